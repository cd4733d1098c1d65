"""Load and validate a registry of e-KTP recording counts per village.

Coordinators bring whatever their spreadsheets hold: CSV with commas, semicolons or tabs, in
UTF-8, UTF-8 with BOM, UTF-16 or Windows-1252; Excel workbooks with title rows and two-row
headers; village codes with or without dots; numbers with thousands separators; or one row per
person. :func:`load_registry` reads all of these into one :class:`Registry` of integer counts
per village, records every interpretation it made in ``Registry.notes``, and otherwise collects
every problem and raises one :class:`~planner.errors.InputError` that lists them with the file
row (as a spreadsheet shows it, header rows included) and column.

Privacy: in a person-level file, NIK, names and birth dates never leave :func:`load_registry`.
They are not in the returned object, and error messages about person-level rows quote the row
number, never a cell value (village codes excepted: they are not personal).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io
import itertools
import math
import numbers
import os
import re
import tempfile
import warnings
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np
import pandas as pd

from planner.errors import InputError, ProblemCollector

__all__ = [
    "COUNT_COLUMNS",
    "ESTIMATE_STATUS",
    "LANSIA_AGE",
    "MAX_VILLAGE_COUNT",
    "OPTIONAL_COLUMNS",
    "PEMULA_BELOW_AGE",
    "Registry",
    "load_registry",
    "save_registry_csv",
]

#: Columns of ``Registry.counts``, in order. All are ``int64``.
COUNT_COLUMNS: tuple[str, ...] = (
    "wajib_ktp",
    "sudah_rekam",
    "belum_rekam",
    "lansia",
    "disabilitas",
    "pemula",
)
#: Count columns a file may leave out (they default to 0).
OPTIONAL_COLUMNS: tuple[str, ...] = ("lansia", "disabilitas", "pemula")
#: More people than this in one village is treated as a typing error.
MAX_VILLAGE_COUNT = 10_000_000
#: Value of the ``status`` column in a registry file written from an estimate.
ESTIMATE_STATUS = "estimasi"
#: Age (full years at the reference date) from which a person counts as ``lansia``.
LANSIA_AGE = 60
#: A person younger than this at the reference date counts as ``pemula`` (first KTP).
PEMULA_BELOW_AGE = 18

_HEADER_SEARCH_ROWS = 30
_MAX_PROBLEMS = 200
_DELIMITERS = (";", "\t", ",", "|")

Cell = Any  # str | int | float | bool | datetime.date | datetime.datetime | None
_T = TypeVar("_T")

# --------------------------------------------------------------------------- column names


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _norm(value: Cell) -> str:
    """Normalise a header cell: lower case, runs of non-alphanumerics become one ``_``."""
    if value is None:
        return ""
    return _NON_ALNUM.sub("_", str(value).lower()).strip("_")


_CODE_ALIASES = (
    "kode_desa",
    "kode",
    "kode_wilayah",
    "kd_desa",
    "kode_kelurahan",
    "kode_desa_kelurahan",
    "kode_kemendagri",
)
_COUNT_ALIASES: dict[str, tuple[str, ...]] = {
    "wajib_ktp": ("wajib_ktp", "wktp", "w_ktp", "jumlah_wajib_ktp", "jml_wajib_ktp"),
    "sudah_rekam": ("sudah_rekam", "sudah_perekaman", "jumlah_sudah_rekam", "jml_sudah_rekam"),
    "belum_rekam": ("belum_rekam", "belum_perekaman", "jumlah_belum_rekam", "jml_belum_rekam"),
    "lansia": ("lansia", "lanjut_usia"),
    "disabilitas": ("disabilitas", "difabel", "penyandang_disabilitas"),
    "pemula": ("pemula", "pemilih_pemula", "ktp_pemula"),
    "status": ("status", "keterangan_data"),
    "is_estimate": ("is_estimate",),
    "estimate_model": ("estimate_model",),
}
_PERSON_ALIASES: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "no_nik", "nomor_nik"),
    "nama": ("nama", "nama_lengkap", "nama_penduduk"),
    "status_rekam": (
        "status_rekam",
        "sudah_rekam",
        "status_perekaman",
        "status_ktp_el",
        "rekam",
        "perekaman",
    ),
    "tanggal_lahir": ("tanggal_lahir", "tgl_lahir", "tanggal_lhr"),
    "lansia": _COUNT_ALIASES["lansia"],
    "disabilitas": _COUNT_ALIASES["disabilitas"],
    "pemula": _COUNT_ALIASES["pemula"],
}


def _alias_map(aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    out = {alias: "kode_desa" for alias in _CODE_ALIASES}
    for canonical, names in aliases.items():
        out.update({name: canonical for name in names})
    return out


_COUNT_MAP = _alias_map(_COUNT_ALIASES)
_PERSON_MAP = _alias_map(_PERSON_ALIASES)
_ANY_MAP = {**_COUNT_MAP, **_PERSON_MAP}
_TOTAL_WORDS = {"jumlah", "total", "jumlah_total", "grand_total", "total_keseluruhan", "jml"}

_TRUE_WORDS = {"1", "ya", "y", "yes", "sudah", "true", "sudah_rekam", "rekam", "benar", "v"}
_FALSE_WORDS = {"0", "tidak", "tdk", "n", "no", "belum", "false", "belum_rekam", "tidak_rekam"}

# --------------------------------------------------------------------------- the registry


@dataclass(frozen=True, eq=False)
class Registry:
    """Counts of wajib-KTP residents and their e-KTP recording per village.

    Attributes
    ----------
    counts
        Indexed by ``kode_desa`` (dotted ``PP.KK.CC.DDDD``, sorted), ``int64`` columns
        :data:`COUNT_COLUMNS`. ``sudah_rekam + belum_rekam == wajib_ktp`` on every row.
        Treat as read-only.
    source
        File name the counts came from (or a label for in-memory data).
    is_estimate
        True when the counts are a model estimate, not an official registry extract.
    estimate_model
        Name of the estimating model, when ``is_estimate``.
    notes
        What the loader interpreted, e.g. ``"decimal comma read as thousands separator in
        column 'wajib_ktp' ..."``; empty when the file was read as is.
    """

    counts: pd.DataFrame
    source: str
    is_estimate: bool = False
    estimate_model: str | None = None
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if list(self.counts.columns) != list(COUNT_COLUMNS):
            raise ValueError(f"Registry.counts columns must be {COUNT_COLUMNS}")
        if self.counts.index.name != "kode_desa":
            raise ValueError("Registry.counts must be indexed by 'kode_desa'")

    @property
    def village_count(self) -> int:
        """Number of villages in the registry."""
        return len(self.counts)

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        source: str = "registry frame",
        is_estimate: bool = False,
        estimate_model: str | None = None,
        notes: Iterable[str] = (),
        known_codes: Mapping[str, str] | Collection[str] | None = None,
        region_name: str = "",
    ) -> Registry:
        """Build a validated registry from an in-memory frame (e.g. an estimate).

        Parameters
        ----------
        frame
            ``kode_desa`` as index or column; ``wajib_ktp`` and ``sudah_rekam`` and/or
            ``belum_rekam``; optional ``lansia``, ``disabilitas``, ``pemula`` (default 0).
            Values must be whole, non-negative numbers. Other columns are ignored.
        source
            Label used in error messages and as ``Registry.source``.
        is_estimate, estimate_model, notes
            Stored as given.
        known_codes
            When given, codes outside this set are errors (as in :func:`load_registry`).
        region_name
            Region name for messages.

        Returns
        -------
        Registry

        Raises
        ------
        InputError
            Listing every problem, located by village code.
        """
        problems = ProblemCollector(source)
        data = frame.reset_index() if "kode_desa" not in frame.columns else frame.copy()
        if "kode_desa" not in data.columns:
            problems.add(f"no 'kode_desa' column or index; columns are {list(frame.columns)}")
            _raise(problems)
        missing = [c for c in ("wajib_ktp",) if c not in data.columns]
        if "sudah_rekam" not in data.columns and "belum_rekam" not in data.columns:
            missing.append("sudah_rekam or belum_rekam")
        if missing:
            problems.add(f"missing column(s) {', '.join(missing)}")
            _raise(problems)
        present = [c for c in COUNT_COLUMNS if c in data.columns]
        rows: list[_CountRow] = []
        for position, record in enumerate(data[["kode_desa", *present]].itertuples(index=False)):
            raw_code, *raw_values = record
            code, message, _ = _parse_code(raw_code)
            label = code or f"index position {position}"
            if code is None:
                problems.add(f"{label}: {message}", column="kode_desa")
                continue
            values: dict[str, int] = {}
            for column, raw in zip(present, raw_values, strict=True):
                parsed = _parse_count(raw)
                if parsed.error is not None:
                    problems.add(f"{label}: {parsed.error}", column=column)
                elif parsed.value is not None:
                    values[column] = parsed.value
                elif column in OPTIONAL_COLUMNS:
                    values[column] = 0
                else:
                    problems.add(f"{label}: empty count", column=column)
            if len(values) == len(present):
                rows.append(_CountRow(None, code, values))
        counts = _validate_counts(rows, problems, _CodeCheck(known_codes, region_name))
        _raise(problems)
        return cls(
            counts=counts,
            source=source,
            is_estimate=is_estimate,
            estimate_model=estimate_model,
            notes=tuple(notes),
        )


# --------------------------------------------------------------------------- value parsing

_CODE_DOTTED = re.compile(r"(\d{2})\.(\d{2})\.(\d{2})\.(\d{4})")
_CODE_PLAIN = re.compile(r"(\d{2})(\d{2})(\d{2})(\d{4})(?:\.0+)?")
_SCIENTIFIC = re.compile(r"\d(?:[.,]\d+)?[eE][+]?\d+")
_CODE_KECAMATAN = re.compile(r"\d{2}\.\d{2}\.\d{2}|\d{6}(?:\.0+)?")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def _shown(value: Cell, limit: int = 24) -> str:
    """Quote a (non-personal) cell value for a message, shortened."""
    text = str(value).strip()
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _parse_code(value: Cell, *, personal: bool = False) -> tuple[str | None, str, str]:
    """Read a village code. Returns ``(code, problem, interpretation)``.

    ``interpretation`` is ``""``, ``"plain"`` (10 digits, no dots) or ``"number"`` (read as a
    number by a spreadsheet). In a person-level file only code-like values are quoted.
    """
    if isinstance(value, bool | np.bool_):
        return None, "not a village code", ""
    if isinstance(value, numbers.Integral):
        value = int(value)
    elif isinstance(value, numbers.Real):
        value = float(value)
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None, f"{_shown(value)} is not a village code (PP.KK.CC.DDDD)", ""
        value = int(value)
    if isinstance(value, int):
        match = _CODE_PLAIN.fullmatch(str(value))
        if match:
            return ".".join(match.groups()), "", "number"
        return None, f"{_shown(value)} is not a village code (PP.KK.CC.DDDD)", ""
    text = "" if value is None else str(value).translate(_SPACES).strip().lstrip("'")
    if not text:
        return None, "empty village code", ""
    if _SCIENTIFIC.fullmatch(text):
        return (
            None,
            f"{_shown(text)} is a number in scientific notation: the spreadsheet lost the code's "
            "digits; format the column as text and export again",
            "",
        )
    match = _CODE_DOTTED.fullmatch(text)
    if match:
        return text, "", ""
    match = _CODE_PLAIN.fullmatch(text)
    if match:
        return ".".join(match.groups()), "", "number" if "." in text else "plain"
    if _CODE_KECAMATAN.fullmatch(text):
        return None, f"{_shown(text)} is a kecamatan code, not a village code (subtotal row?)", ""
    looks_like_code = re.fullmatch(r"[\d. ]{1,16}", text) and sum(c.isdigit() for c in text) <= 12
    if personal and not looks_like_code:
        return None, "not a village code PP.KK.CC.DDDD (value not shown)", ""
    if sum(c.isdigit() for c in text) >= 13:  # perhaps a NIK in the wrong column
        return None, "not a village code PP.KK.CC.DDDD (value not shown: too many digits)", ""
    return None, f"{_shown(text)} is not a village code (PP.KK.CC.DDDD)", ""


@dataclass(frozen=True)
class _Count:
    value: int | None = None
    error: str | None = None
    kind: str = ""  # interpretation made, for the notes
    example: str = ""


_INT = re.compile(r"\d+")
_GROUP_DOT = re.compile(r"\d{1,3}(?:\.\d{3})+")
_GROUP_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+")
_GROUP_SPACE = re.compile(r"\d{1,3}(?: \d{3})+")
_DEC_COMMA = re.compile(r"(\d+|\d{1,3}(?:\.\d{3})+),(\d+)")
_DEC_DOT = re.compile(r"(\d+|\d{1,3}(?:,\d{3})+)\.(\d+)")


def _checked(number: int, kind: str = "", example: str = "") -> _Count:
    if number > MAX_VILLAGE_COUNT:
        return _Count(error=f"{number:,} is more than 10 million people in one village")
    return _Count(number, kind=kind, example=example)


def _parse_count(value: Cell) -> _Count:
    """Read a whole, non-negative count from a cell; ``value=None`` means empty."""
    if value is None or value is pd.NA or value is pd.NaT:
        return _Count()
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return _Count(error=f"{_shown(value)} is a date, not a number (did Excel convert it?)")
    if isinstance(value, bool | np.bool_):
        return _Count(error=f"{_shown(value)} is not a number")
    if isinstance(value, numbers.Real):
        if not isinstance(value, numbers.Integral):
            value = float(value)
            if math.isnan(value):
                return _Count()
            if not math.isfinite(value):
                return _Count(error=f"{_shown(value)} is not a number")
            if not value.is_integer():
                return _Count(error=f"{value:g} is not a whole number of people")
        number = int(value)
        if number < 0:
            return _Count(error=f"negative count {number}")
        return _checked(number)
    text = str(value).translate(_SPACES).strip()
    if not text:
        return _Count()
    if text in {"-", "–", "—"}:
        return _Count(0, kind="dash", example=text)
    if text[0] in "+-" and len(text) > 1:
        inner = _parse_count(text[1:])
        if text[0] == "-" and inner.value is not None:
            return _Count(error=f"negative count {_shown(text)}")
        if inner.error or text[0] == "-":
            return inner if inner.error else _Count(error=f"{_shown(text)} is not a number")
        return inner
    digits = sum(c.isdigit() for c in text)
    if digits > 18 and re.fullmatch(r"[\d.,]+", text):
        return _Count(error=f"{_shown(text)} is more than 10 million people in one village")
    if _INT.fullmatch(text):
        return _checked(int(text))
    for pattern, kind in ((_GROUP_SPACE, "space"), (_GROUP_DOT, "dot"), (_GROUP_COMMA, "comma")):
        if pattern.fullmatch(text):
            return _checked(int(re.sub(r"\D", "", text)), kind, text)
    for pattern, kind in ((_DEC_COMMA, "decimal_comma"), (_DEC_DOT, "decimal_dot")):
        match = pattern.fullmatch(text)
        if match:
            whole, fraction = match.groups()
            if set(fraction) != {"0"}:
                return _Count(error=f"{_shown(text)} is not a whole number of people")
            return _checked(int(re.sub(r"\D", "", whole)), kind, text)
    return _Count(error=f"{_shown(text)} is not a number")


def _parse_flag(value: Cell) -> bool | None:
    """Read yes/no (1/0, ya/tidak, sudah/belum, Y/N, true/false); None if unreadable."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True if value == 1 else False if value == 0 else None
    word = _norm(value)
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    return None


_DATE_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?")
_DATE_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T].*)?")


def _parse_date(value: Cell) -> dt.date | None:
    """Read a birth date: Excel date, ``YYYY-MM-DD`` or day-first ``DD-MM-YYYY``/``DD/MM/YYYY``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        match = _DATE_ISO.fullmatch(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        match = _DATE_DMY.fullmatch(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


def _age_years(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class _Memo(Generic[_T]):
    """Remember a parser's result per distinct cell value, for one load only.

    A local object (not a module-level cache), so no cell value outlives the load.
    """

    def __init__(self, func: Callable[[Cell], _T]) -> None:
        self.func = func
        self.cache: dict[tuple[type, Cell], _T] = {}

    def __call__(self, value: Cell) -> _T:
        key = (type(value), value)
        try:
            return self.cache[key]
        except KeyError:
            result = self.cache[key] = self.func(value)
            return result
        except TypeError:  # unhashable
            return self.func(value)


# --------------------------------------------------------------------------- reading files


@dataclass
class _Sheet:
    """Rows of one table as a spreadsheet shows them."""

    rows: list[list[Cell]]  # rows[i] is file row i + 1
    delimiter: str | None = None
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1


def _read_sheet(path: Path, notes: list[str]) -> _Sheet:
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: file not found ({path})") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read the file ({exc.strerror})") from None
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"{name}: old Excel .xls (or another OLE) file; save it as .xlsx or CSV and retry"
        )
    if data.startswith(b"PK\x03\x04"):
        if b"application/vnd.oasis.opendocument" in data[:200]:
            raise InputError(f"{name}: OpenDocument spreadsheet; save it as .xlsx or CSV")
        return _read_xlsx(path, notes)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        raise InputError(f"{name}: not a valid .xlsx workbook (the file is not a zip archive)")
    text = _decode(data, name, notes)
    return _parse_text(text, name, notes)


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _decode(data: bytes, name: str, notes: list[str]) -> str:
    unreadable = InputError(
        f"{name}: unreadable file type: not text (CSV/TSV) and not an .xlsx workbook"
    )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise unreadable from None
        notes.append("file read as UTF-16 text (Excel 'Unicode text')")
    elif b"\x00" in data:
        raise unreadable
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
            notes.append("UTF-8 byte order mark (BOM) skipped")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
                notes.append("file is not UTF-8: read as Windows-1252 (Latin-1)")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
                notes.append("file is not UTF-8: read as Latin-1 (ISO-8859-1)")
    text = text.rstrip("\x1a")  # DOS end-of-file marker
    controls = len(_CONTROL_CHARS.findall(text))
    if controls > max(2, len(text) / 100):
        raise unreadable
    return text


def _parse_text(text: str, name: str, notes: list[str]) -> _Sheet:
    best: tuple[int, int, str] | None = None
    for rank, delimiter in enumerate(_DELIMITERS):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            head: list[list[Cell]] = [
                list(r) for r in itertools.islice(reader, 2 + _HEADER_SEARCH_ROWS)
            ]
        except csv.Error:
            continue
        header = _find_header(head)
        score = header.recognised if header else 0
        width = max((len(r) for r in head), default=0)
        key = (score, width if score == 0 else -rank)
        if best is None or key > best[:2]:
            best = (*key, delimiter)
    delimiter = best[2] if best else ","
    try:
        rows: list[list[Cell]] = [
            list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise InputError(f"{name}: cannot read as CSV ({exc})") from None
    if delimiter != ",":
        shown = {";": "semicolon", "\t": "tab", "|": "vertical bar"}[delimiter]
        notes.append(f"columns separated by {shown}")
    return _Sheet(rows=rows, delimiter=delimiter)


def _sheet_rows(sheet: Any) -> list[list[Cell]]:
    return [
        list(r)
        for r in sheet.iter_rows(
            min_row=1,
            min_col=1,
            max_row=max(sheet.max_row, 1),
            max_col=max(sheet.max_column, 1),
            values_only=True,
        )
    ]


def _pick_worksheet(workbook: Any) -> tuple[Any, list[list[Cell]]]:
    """The sheet named like ``registry``/``data``, else the first sheet with a header row."""
    for sheet in workbook.worksheets:
        key = _norm(sheet.title)
        if key in {"registry", "registri", "data"} or key.startswith(("registry", "data_")):
            return sheet, _sheet_rows(sheet)
    first = None
    for sheet in workbook.worksheets:
        rows = _sheet_rows(sheet)
        if _find_header(rows) is not None:
            return sheet, rows
        first = first or (sheet, rows)
    assert first is not None
    return first


def _read_xlsx(path: Path, notes: list[str]) -> _Sheet:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, data_only=True)
        sheet, rows = _pick_worksheet(workbook)
        merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in sheet.merged_cells.ranges]
    except Exception as exc:  # openpyxl raises many types on damaged files
        raise InputError(
            f"{path.name}: cannot read as an Excel .xlsx workbook ({type(exc).__name__})"
        ) from None
    if len(workbook.worksheets) > 1:
        notes.append(f"sheet {sheet.title!r} read (workbook has {len(workbook.worksheets)} sheets)")
    workbook.close()
    return _Sheet(rows=rows, merged=merged)


# --------------------------------------------------------------------------- header


@dataclass
class _Header:
    row: int  # file row of the (last) header row
    first: int  # file row of the first header row (differs for a two-row header)
    labels: list[str]  # column labels as the file shows them
    keys: list[str]  # normalised names (matched alias where one matched)
    recognised: int


def _cell_text(value: Cell) -> str:
    return "" if value is None else " ".join(str(value).split())


def _looks_like_code(value: Cell) -> bool:
    return _parse_code(value)[0] is not None


def _find_header(rows: Sequence[Sequence[Cell]]) -> _Header | None:
    """Find the first row with a village-code column; merge a sub-header row below it."""
    for index, cells in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        keys = [_norm(c) for c in cells]
        if not any(_ANY_MAP.get(k) == "kode_desa" for k in keys):
            continue
        labels = [_cell_text(c) for c in cells]
        below = list(rows[index + 1]) if index + 1 < len(rows) else []
        below_keys = [_norm(c) for c in below]
        is_sub_header = any(k in _ANY_MAP for k in below_keys) and not any(
            _looks_like_code(c) for c in below
        )
        last = index
        if is_sub_header:
            last = index + 1
            width = max(len(cells), len(below))
            labels += [""] * (width - len(labels))
            keys += [""] * (width - len(keys))
            for j, sub in enumerate(below):
                sub_label, top_label = _cell_text(sub), labels[j]
                for label in (sub_label, top_label, f"{top_label} {sub_label}".strip()):
                    if _norm(label) in _ANY_MAP:
                        labels[j], keys[j] = label, _norm(label)
                        break
                else:
                    parts = dict.fromkeys(x for x in (top_label, sub_label) if x)
                    labels[j] = " ".join(parts)
                    keys[j] = _norm(labels[j])
        recognised = sum(1 for k in keys if k in _ANY_MAP)
        return _Header(
            row=last + 1, first=index + 1, labels=labels, keys=keys, recognised=recognised
        )
    return None


def _fill_merged_header(sheet: _Sheet, header_rows: range) -> None:
    """Copy the value of a merged header cell into every cell the merge covers."""
    for r0, c0, r1, c1 in sheet.merged:
        if r0 - 1 not in header_rows:
            continue
        value = sheet.rows[r0 - 1][c0 - 1]
        for r in range(r0, r1 + 1):
            if r - 1 not in header_rows:
                continue
            row = sheet.rows[r - 1]
            for c in range(c0, c1 + 1):
                if c - 1 < len(row) and row[c - 1] is None:
                    row[c - 1] = value


def _expected_names(person: bool) -> str:
    if person:
        return (
            "kode_desa (or kode, kode_wilayah, kd_desa), status_rekam (or sudah_rekam: "
            "1/0, ya/tidak, sudah/belum, Y/N); optional nik, nama, tanggal_lahir, disabilitas"
        )
    return (
        "kode_desa (or kode, kode_wilayah, kd_desa), wajib_ktp (or wktp), "
        "sudah_rekam and/or belum_rekam; optional lansia, disabilitas, pemula"
    )


def _suggestions(labels: Iterable[str], known: Mapping[str, str]) -> str:
    hints = []
    for label in labels:
        key = _norm(label)
        if not key or key in known:
            continue
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
        if close:
            hints.append(f"{label!r} → {known[close[0]]}?")
    return f" Did you mean: {', '.join(hints)}" if hints else ""


# --------------------------------------------------------------------------- validation


@dataclass
class _CountRow:
    row: int | None  # file row; None for in-memory frames
    code: str
    values: dict[str, int]  # columns present in the file and readable


@dataclass
class _CodeCheck:
    known: Mapping[str, str] | Collection[str] | None
    region_name: str = ""
    codes: set[str] = field(init=False)
    names: dict[str, str] = field(init=False)
    provinces: set[str] = field(init=False)
    by_district: dict[str, list[str]] = field(init=False)

    def __post_init__(self) -> None:
        known = self.known or ()
        self.names, self.codes, self.by_district = {}, set(), defaultdict(list)
        for raw in known:
            code = _parse_code(raw)[0] or str(raw)
            self.codes.add(code)
            self.by_district[code[:8]].append(code)
            if isinstance(known, Mapping):
                self.names[code] = str(known[raw])
        self.provinces = {c[:2] for c in self.codes}

    def problem(self, code: str) -> str | None:
        if not self.codes or code in self.codes:
            return None
        region = f" {self.region_name}" if self.region_name else ""
        if code[:2] not in self.provinces:
            provinces = ", ".join(sorted(self.provinces))
            return (
                f"village code {code} is in province {code[:2]}, outside the region{region} "
                f"(province {provinces})"
            )
        same_district = self.by_district.get(code[:8], [])
        close = difflib.get_close_matches(code, same_district, n=1, cutoff=0.8)
        hint = f"; did you mean {close[0]}{self.name_of(close[0])}?" if close else ""
        return f"unknown village code {code} for the region{region}{hint}"

    def name_of(self, code: str) -> str:
        name = self.names.get(code)
        return f" ({name})" if name else ""


def _where(row: _CountRow) -> tuple[dict[str, Any], str]:
    """Locate a problem: by file row, or by code for in-memory data."""
    if row.row is None:
        return {}, f"{row.code}: "
    return {"row": row.row}, ""


def _rows_text(rows: Sequence[int | None]) -> str:
    return ", ".join(str(r) for r in rows if r is not None)


def _validate_counts(
    rows: list[_CountRow],
    problems: ProblemCollector,
    check: _CodeCheck,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Check codes and counts row by row and across rows; return the counts frame."""
    labels = labels or {}
    label = {c: labels.get(c, c) for c in ("kode_desa", *COUNT_COLUMNS)}
    complete: list[_CountRow] = []
    for r in rows:
        where, prefix = _where(r)
        code_problem = check.problem(r.code)
        if code_problem:
            problems.add(prefix + code_problem, column=label["kode_desa"], **where)
        values = r.values
        wajib = values.get("wajib_ktp")
        sudah, belum = values.get("sudah_rekam"), values.get("belum_rekam")
        ok = wajib is not None and (sudah is not None or belum is not None)
        if wajib is not None and sudah is not None and sudah > wajib:
            problems.add(
                prefix + f"sudah_rekam {sudah:,} is more than wajib_ktp {wajib:,}",
                column=label["sudah_rekam"],
                **where,
            )
            ok = False
        if wajib is not None and belum is not None and belum > wajib:
            problems.add(
                prefix + f"belum_rekam {belum:,} is more than wajib_ktp {wajib:,}",
                column=label["belum_rekam"],
                **where,
            )
            ok = False
        if ok and sudah is not None and belum is not None and sudah + belum != wajib:
            problems.add(
                prefix + f"sudah_rekam + belum_rekam = {sudah:,} + {belum:,} = "
                f"{sudah + belum:,}, but wajib_ktp is {wajib:,}",
                **where,
            )
            ok = False
        if ok and not code_problem:
            complete.append(r)
    by_code: dict[str, list[_CountRow]] = defaultdict(list)
    for r in rows:
        by_code[r.code].append(r)
    for code, group in by_code.items():
        if len(group) < 2:
            continue
        where, prefix = _where(group[1])
        first = group[0].values
        differing = sorted(
            {
                c
                for g in group[1:]
                for c in set(first) | set(g.values)
                if g.values.get(c) != first.get(c)
            },
            key=COUNT_COLUMNS.index,
        )
        rows_text = _rows_text([g.row for g in group])
        places = f"rows {rows_text}" if rows_text else f"{len(group)} rows"
        name = f"{code}{check.name_of(code)}"
        if differing:
            detail = "; ".join(
                f"{c}: {' vs '.join(str(g.values.get(c, '—')) for g in group)}" for c in differing
            )
            problems.add(
                f"village {name} appears in {places} with different counts ({detail}); "
                "keep the right one",
                column=label["kode_desa"],
                **where,
            )
        else:
            problems.add(
                f"village {name} appears in {places} (identical duplicates); keep one row",
                column=label["kode_desa"],
                **where,
            )
    return _counts_frame(complete)


def _counts_frame(rows: Sequence[_CountRow]) -> pd.DataFrame:
    records = []
    for r in rows:
        v = r.values
        wajib = v["wajib_ktp"]
        sudah = v["sudah_rekam"] if "sudah_rekam" in v else wajib - v["belum_rekam"]
        records.append(
            (
                r.code,
                wajib,
                sudah,
                wajib - sudah,
                v.get("lansia", 0),
                v.get("disabilitas", 0),
                v.get("pemula", 0),
            )
        )
    frame = pd.DataFrame.from_records(records, columns=["kode_desa", *COUNT_COLUMNS])
    frame = frame.astype({c: "int64" for c in COUNT_COLUMNS}).astype({"kode_desa": "str"})
    return frame.set_index("kode_desa").sort_index()


def _raise(problems: ProblemCollector) -> None:
    if len(problems) > _MAX_PROBLEMS:
        extra = len(problems) - _MAX_PROBLEMS
        raise InputError([*problems.items[:_MAX_PROBLEMS], f"... and {extra} more problems"])
    problems.raise_if_any(InputError)


# --------------------------------------------------------------------------- notes


class _Notes:
    """Count interpretations per (kind, column) and word them once."""

    def __init__(self, delimiter: str | None) -> None:
        self.delimiter = delimiter
        self.seen: dict[tuple[str, str], list[Any]] = {}

    def add(self, kind: str, column: str, example: str = "") -> None:
        entry = self.seen.setdefault((kind, column), [0, example])
        entry[0] += 1

    def text(self) -> list[str]:
        out = []
        for (kind, column), (n, example) in self.seen.items():
            many = f"{n:,} value{'s' if n > 1 else ''}"
            eg = f", e.g. {example!r}" if example else ""
            if kind == "comma":
                what = (
                    "decimal comma read as thousands separator"
                    if self.delimiter in {";", "\t"}
                    else "comma read as thousands separator"
                )
                out.append(f"{what} in column {column!r} ({many}{eg})")
            elif kind == "dot":
                out.append(f"dot read as thousands separator in column {column!r} ({many}{eg})")
            elif kind == "space":
                out.append(f"space read as thousands separator in column {column!r} ({many}{eg})")
            elif kind in {"decimal_comma", "decimal_dot"}:
                mark = "comma" if kind == "decimal_comma" else "point"
                out.append(
                    f"zero decimals after a decimal {mark} dropped in column {column!r} "
                    f"({many}{eg})"
                )
            elif kind == "dash":
                out.append(f"'-' read as 0 in column {column!r} ({many})")
            elif kind == "empty":
                out.append(f"empty cells read as 0 in optional column {column!r} ({many})")
            elif kind == "plain":
                out.append(f"village codes without dots read as PP.KK.CC.DDDD ({many}{eg})")
            elif kind == "number":
                out.append(f"village codes stored as numbers read as PP.KK.CC.DDDD ({many}{eg})")
            elif kind == "total":
                out.append(f"total row skipped (row {example})")
            elif kind == "flag_empty":
                out.append(f"empty cells read as 'no' in column {column!r} ({many})")
            elif kind == "no_birth_date":
                out.append(f"no birth date: not counted as lansia or pemula ({many})")
        return out


# --------------------------------------------------------------------------- loading


def load_registry(
    path: Path,
    *,
    known_codes: Mapping[str, str] | Collection[str],
    region_name: str = "",
    reference_date: dt.date | None = None,
) -> Registry:
    """Load a registry file (counts per village, or one row per person) and validate it.

    Parameters
    ----------
    path
        CSV/TSV/TXT (comma, semicolon, tab; UTF-8, UTF-8 with BOM, UTF-16, Windows-1252) or
        ``.xlsx`` (the sheet named like ``registry``/``data``, else the first sheet). Title
        rows above the header are skipped; a two-row header is merged.
    known_codes
        Village codes of the region (a mapping code → name gives names in messages). Codes
        outside it are errors; an empty collection disables the check.
    region_name
        Region name for messages.
    reference_date
        Person-level files only: date at which ages are taken (default: today). A person
        aged :data:`LANSIA_AGE` (60) or more counts as ``lansia``; younger than
        :data:`PEMULA_BELOW_AGE` (18) as ``pemula`` (a first-time KTP holder or voter).

    Returns
    -------
    Registry
        Counts per village; ``notes`` says what was interpreted (separators, encoding,
        aggregation of person rows, ...).

    Raises
    ------
    InputError
        Listing every problem with file row and column: unreadable or empty file, missing
        columns, bad or unknown codes, codes of another province, duplicate villages,
        negative, non-numeric, fractional or huge counts, inconsistent counts.

    Examples
    --------
    >>> reg = load_registry(Path("rekap.csv"), known_codes={"36.01.01.2001"})  # doctest: +SKIP
    >>> reg.counts.loc["36.01.01.2001", "belum_rekam"]  # doctest: +SKIP

    Notes
    -----
    A file is person-level when it has a NIK column, or a name column (``nama``,
    ``nama_lengkap``) and no ``wajib_ktp``/``belum_rekam`` column. Each row is one wajib-KTP
    person of village ``kode_desa``; the status column (``status_rekam``, ``sudah_rekam``,
    ...) reads 1/0, ya/tidak, sudah/belum, Y/N, true/false (empty or anything else is an
    error). ``lansia``/``pemula`` come from ``tanggal_lahir`` (ISO or day-first dates) unless
    a yes/no column of that name is given; ``disabilitas`` is a yes/no column (empty = no).
    A repeated NIK is an error (a person counted twice).

    The raised error's traceback holds no frame of the parsing code, so not even a
    traceback printed with local variables can show a cell of the file.
    """
    problems: list[str] | None = None
    try:
        return _load_registry_file(
            Path(path),
            known_codes=known_codes,
            region_name=region_name,
            reference_date=reference_date or dt.date.today(),
        )
    except InputError as error:
        problems = error.problems
    # Raised outside the ``except`` block: no chained context, and the frames that held the
    # file's cells are released.
    raise InputError(problems)


def _load_registry_file(
    path: Path,
    *,
    known_codes: Mapping[str, str] | Collection[str],
    region_name: str,
    reference_date: dt.date,
) -> Registry:
    name = path.name
    notes: list[str] = []
    if path.is_dir():
        raise InputError(f"{name}: is a folder, not a registry file")
    sheet = _read_sheet(path, notes)
    if not any(_cell_text(c) for r in sheet.rows for c in r):
        raise InputError(f"{name}: the file is empty")
    header = _find_header(sheet.rows)
    if header is None:
        raise InputError(_no_header_message(name, sheet.rows))
    if sheet.merged:
        _fill_merged_header(sheet, range(header.row - 2, header.row))
        header = _find_header(sheet.rows) or header
    data_rows = [
        (number, cells)
        for number, cells in enumerate(sheet.rows[header.row :], start=header.row + 1)
        if not all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)
    ]
    if data_rows and _is_column_numbering(data_rows[0][1]):
        notes.append(f"row {data_rows[0][0]} holds column numbers (1, 2, 3, ...): skipped")
        data_rows = data_rows[1:]
    if header.first > 1:
        notes.append(f"header found in row {header.first}; rows above it skipped")
    if header.row > header.first:
        notes.append(f"two-row header: rows {header.first} and {header.row} read as one")
    keys = set(header.keys)
    has_nik = any(_PERSON_MAP.get(k) == "nik" for k in keys)
    has_nama = any(_PERSON_MAP.get(k) == "nama" for k in keys)
    has_wajib = any(_COUNT_MAP.get(k) == "wajib_ktp" for k in keys)
    has_belum = any(_COUNT_MAP.get(k) == "belum_rekam" for k in keys)
    person = has_nik or (has_nama and not has_wajib and not has_belum)
    if has_nik and has_wajib:
        raise InputError(
            f"{name}, row {header.row}: the file has both a NIK column and a wajib_ktp column; "
            "give either one row per person or counts per village"
        )
    alias_map = _PERSON_MAP if person else _COUNT_MAP
    columns, problems = _map_columns(name, header, alias_map, person, notes)
    if not data_rows:
        problems.add("header row found but no data rows below it", row=header.row)
    _raise(problems)
    covered = _Merges(sheet.merged)
    check = _CodeCheck(known_codes, region_name)
    if person:
        return _load_persons(name, header, columns, data_rows, check, notes, reference_date)
    return _load_counts(name, header, columns, data_rows, check, notes, sheet.delimiter, covered)


def _no_header_message(name: str, rows: Sequence[Sequence[Cell]]) -> str:
    expected = (
        f"expected a header row with a village code column named one of {', '.join(_CODE_ALIASES)}"
    )
    head = list(rows[:_HEADER_SEARCH_ROWS])
    scores = [sum(1 for c in cells if _norm(c) in _ANY_MAP) for cells in head]
    best = max(range(len(head)), key=scores.__getitem__, default=None)
    # Only a row that is clearly a header (two known names) is echoed: a headerless
    # person-level file must not have its first person quoted back.
    if best is not None and scores[best] >= 2:
        found = [_cell_text(c) for c in head[best] if _cell_text(c)]
        hints = _suggestions(found, dict.fromkeys(_CODE_ALIASES, "kode_desa"))
        return (
            f"{name}, row {best + 1}: missing required column kode_desa; columns found: "
            f"{', '.join(found)}; {expected}; rename the village code column.{hints}"
        )
    return f"{name}: no header row found in the first {_HEADER_SEARCH_ROWS} rows; {expected}"


def _map_columns(
    name: str, header: _Header, alias_map: Mapping[str, str], person: bool, notes: list[str]
) -> tuple[dict[str, int], ProblemCollector]:
    """Map canonical column names to column indexes; report missing/ambiguous columns."""
    problems = ProblemCollector(name)
    candidates: dict[str, list[int]] = defaultdict(list)
    for index, key in enumerate(header.keys):
        canonical = alias_map.get(key)
        if canonical is not None:
            candidates[canonical].append(index)
    columns: dict[str, int] = {}
    ambiguous: set[str] = set()
    for canonical, indexes in candidates.items():
        exact = [i for i in indexes if header.keys[i] == canonical]
        if len(indexes) == 1 or len(exact) == 1:
            columns[canonical] = indexes[0] if len(indexes) == 1 else exact[0]
            others = [header.labels[i] for i in indexes if i != columns[canonical]]
            if others:
                notes.append(f"column {canonical!r} used; {', '.join(map(repr, others))} ignored")
            continue
        ambiguous.add(canonical)
        shown = " and ".join(repr(header.labels[i]) for i in indexes)
        problems.add(
            f"columns {shown} all read as {canonical}; rename or remove all but one",
            row=header.row,
        )
    required = ["kode_desa", "status_rekam"] if person else ["kode_desa", "wajib_ktp"]
    missing = [c for c in required if c not in columns and c not in ambiguous]
    given = set(columns) | ambiguous
    if not person and "sudah_rekam" not in given and "belum_rekam" not in given:
        missing.append("sudah_rekam or belum_rekam")
    if missing:
        found = [label for label in header.labels if label]
        kind = "a person-level file (NIK/nama columns)" if person else "counts per village"
        hint = (
            "; if every row is a person not yet recorded, add a column status_rekam = belum"
            if person
            else ""
        )
        problems.add(
            f"missing required column(s) {', '.join(missing)} for {kind}; columns found: "
            f"{', '.join(found)}; expected {_expected_names(person)}{hint}."
            f"{_suggestions(found, alias_map)}",
            row=header.row,
        )
    return columns, problems


class _Merges:
    """Tell whether a cell lies inside a merged range (other than its top-left cell)."""

    def __init__(self, merged: Sequence[tuple[int, int, int, int]]) -> None:
        self.merged = merged

    def __contains__(self, cell: tuple[int, int]) -> bool:
        row, column = cell[0], cell[1] + 1  # (file row, 0-based column index)
        return any(
            r0 <= row <= r1 and c0 <= column <= c1 and (row, column) != (r0, c0)
            for r0, c0, r1, c1 in self.merged
        )


def _cell(cells: Sequence[Cell], index: int) -> Cell:
    value = cells[index] if index < len(cells) else None
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _is_column_numbering(cells: Sequence[Cell]) -> bool:
    """True for a row ``1, 2, 3, ...`` (or ``(1), (2), ...``) that numbers the columns."""
    texts = [re.sub(r"[()\s]", "", _cell_text(c)).removesuffix(".0") for c in cells]
    texts = [t for t in texts if t]
    if len(texts) < 3 or not all(t.isdigit() and len(t) < 4 for t in texts):
        return False
    start = int(texts[0])
    return start in {0, 1} and [int(t) for t in texts] == list(range(start, start + len(texts)))


def _is_total_row(cells: Sequence[Cell], code_cell: Cell) -> bool:
    if code_cell is not None and _norm(code_cell) not in _TOTAL_WORDS:
        return False
    return any(
        _norm(c) in _TOTAL_WORDS or _norm(c).startswith(("jumlah_", "total_", "sub_total"))
        for c in cells
    )


def _load_counts(
    name: str,
    header: _Header,
    columns: Mapping[str, int],
    data_rows: Sequence[tuple[int, list[Cell]]],
    check: _CodeCheck,
    notes: list[str],
    delimiter: str | None,
    covered: _Merges,
) -> Registry:
    problems = ProblemCollector(name)
    interpreted = _Notes(delimiter)
    label = {c: header.labels[i] or c for c, i in columns.items()}
    count_columns = [c for c in COUNT_COLUMNS if c in columns]
    parse_code, parse_count = _Memo(_parse_code), _Memo(_parse_count)
    rows: list[_CountRow] = []
    statuses: dict[str, list[int]] = defaultdict(list)
    models: set[str] = set()
    for number, cells in data_rows:
        code_cell = _cell(cells, columns["kode_desa"])
        if _is_total_row(cells, code_cell):
            interpreted.add("total", "", str(number))
            continue
        code, message, kind = parse_code(code_cell)
        if code is None:
            if code_cell is None and (number, columns["kode_desa"]) in covered:
                message += " (inside a merged cell: unmerge and fill every row)"
            problems.add(message, row=number, column=label["kode_desa"])
        elif kind:
            interpreted.add(kind, label["kode_desa"], _cell_text(code_cell))
        values: dict[str, int] = {}
        for column in count_columns:
            parsed = parse_count(_cell(cells, columns[column]))
            if parsed.error:
                problems.add(parsed.error, row=number, column=label[column])
            elif parsed.value is None and column in OPTIONAL_COLUMNS:
                values[column] = 0
                interpreted.add("empty", label[column])
            elif parsed.value is None:
                hint = " (inside a merged cell)" if (number, columns[column]) in covered else ""
                problems.add("empty count" + hint, row=number, column=label[column])
            else:
                values[column] = parsed.value
                if parsed.kind:
                    interpreted.add(parsed.kind, label[column], parsed.example)
        if code is not None and len(values) == len(count_columns):
            rows.append(_CountRow(number, code, values))
        _read_estimate_marks(cells, columns, number, statuses, models, problems, label)
    counts = _validate_counts(rows, problems, check, label)
    is_estimate = _estimate_flag(statuses, problems)
    _raise(problems)
    notes.extend(interpreted.text())
    model = "; ".join(sorted(models)) or None
    if is_estimate:
        notes.append(f"file is marked as an estimate ({ESTIMATE_STATUS}), model: {model}")
    ignored = [header.labels[i] for i, k in enumerate(header.keys) if k and k not in _COUNT_MAP]
    if ignored:
        notes.append(f"columns ignored: {', '.join(ignored)}")
    return Registry(
        counts=counts,
        source=name,
        is_estimate=is_estimate,
        estimate_model=model if is_estimate else None,
        notes=tuple(notes),
    )


def _read_estimate_marks(
    cells: Sequence[Cell],
    columns: Mapping[str, int],
    number: int,
    statuses: dict[str, list[int]],
    models: set[str],
    problems: ProblemCollector,
    label: Mapping[str, str],
) -> None:
    """Collect the ``status``/``is_estimate``/``estimate_model`` marks of a row."""
    marked: bool | None = None
    if "status" in columns:
        status = _norm(_cell(cells, columns["status"]))
        marked = status == ESTIMATE_STATUS if status else None
    if "is_estimate" in columns:
        raw = _cell(cells, columns["is_estimate"])
        flag = _parse_flag(raw)
        if raw is not None and flag is None:
            problems.add(
                f"{_shown(raw)} is not true/false", row=number, column=label["is_estimate"]
            )
        elif flag is not None:
            marked = flag if marked is None else (marked or flag)
    statuses["yes" if marked else "no" if marked is False else "unmarked"].append(number)
    if "estimate_model" in columns:
        model = _cell_text(_cell(cells, columns["estimate_model"]))
        if model:
            models.add(model)


def _estimate_flag(statuses: Mapping[str, list[int]], problems: ProblemCollector) -> bool:
    yes = statuses.get("yes", [])
    if not yes:
        return False
    others = [*statuses.get("no", []), *statuses.get("unmarked", [])]
    if others:
        problems.add(
            f"rows {_rows_text(yes[:10])} are marked {ESTIMATE_STATUS!r} but rows "
            f"{_rows_text(sorted(others)[:10])} are not; a registry is either an estimate or not"
        )
    return True


def _load_persons(
    name: str,
    header: _Header,
    columns: Mapping[str, int],
    data_rows: Sequence[tuple[int, list[Cell]]],
    check: _CodeCheck,
    notes: list[str],
    reference_date: dt.date,
) -> Registry:
    """Aggregate one row per person to counts per village. No personal value escapes."""
    problems = ProblemCollector(name)
    interpreted = _Notes(None)
    label = {c: header.labels[i] or c for c, i in columns.items()}
    totals: dict[str, dict[str, int]] = {}
    first_row: dict[str, int] = {}
    nik_rows: dict[str, int] = {}
    persons = 0
    parse_code = _Memo(lambda value: _parse_code(value, personal=True))
    parse_flag, parse_date = _Memo(_parse_flag), _Memo(_parse_date)
    for number, cells in data_rows:
        code_cell = _cell(cells, columns["kode_desa"])
        if _is_total_row(cells, code_cell):
            interpreted.add("total", "", str(number))
            continue
        ok = True
        code, message, kind = parse_code(code_cell)
        if code is None:
            problems.add(message, row=number, column=label["kode_desa"])
            ok = False
        else:
            if kind:
                interpreted.add(kind, label["kode_desa"], _cell_text(code_cell))
            code_problem = check.problem(code)
            if code_problem:
                problems.add(code_problem, row=number, column=label["kode_desa"])
                ok = False
        if "nik" in columns:
            nik = _nik_key(_cell(cells, columns["nik"]))
            if nik is not None:
                if nik in nik_rows:
                    problems.add(
                        f"same NIK as row {nik_rows[nik]} (one person counted twice; "
                        "value not shown)",
                        row=number,
                        column=label["nik"],
                    )
                    ok = False
                else:
                    nik_rows[nik] = number
        raw_status = _cell(cells, columns["status_rekam"])
        recorded = parse_flag(raw_status)
        if recorded is None:
            what = "empty recording status" if raw_status is None else "unreadable recording status"
            problems.add(
                f"{what} (value not shown); use 1/0, ya/tidak, sudah/belum or Y/N",
                row=number,
                column=label["status_rekam"],
            )
            ok = False
        flags = {}
        for column in OPTIONAL_COLUMNS:
            if column not in columns:
                continue
            raw = _cell(cells, columns[column])
            flag = parse_flag(raw)
            if raw is None:
                interpreted.add("flag_empty", label[column])
                flag = False
            elif flag is None:
                problems.add(
                    "unreadable yes/no value (value not shown); use 1/0, ya/tidak or Y/N",
                    row=number,
                    column=label[column],
                )
                ok = False
            flags[column] = bool(flag)
        if "tanggal_lahir" in columns:
            raw_date = _cell(cells, columns["tanggal_lahir"])
            born = parse_date(raw_date)
            if raw_date is None:
                interpreted.add("no_birth_date", label["tanggal_lahir"])
            elif born is None or born > reference_date or _age_years(born, reference_date) > 130:
                problems.add(
                    "not a plausible birth date (value not shown); use YYYY-MM-DD or DD-MM-YYYY",
                    row=number,
                    column=label["tanggal_lahir"],
                )
                ok = False
            else:
                age = _age_years(born, reference_date)
                flags.setdefault("lansia", age >= LANSIA_AGE)
                flags.setdefault("pemula", age < PEMULA_BELOW_AGE)
        if not ok or code is None:
            continue
        persons += 1
        village = totals.setdefault(code, dict.fromkeys(COUNT_COLUMNS, 0))
        first_row.setdefault(code, number)
        village["wajib_ktp"] += 1
        village["sudah_rekam" if recorded else "belum_rekam"] += 1
        for column, flag in flags.items():
            village[column] += int(flag)
    del nik_rows, parse_code, parse_flag, parse_date
    _raise(problems)
    rows = [_CountRow(first_row[c], c, v) for c, v in totals.items()]
    counts = _counts_frame(rows)
    notes.append(f"person-level rows aggregated: {persons:,} persons → {len(counts):,} villages")
    notes.append("NIK, names and birth dates were used for counting only and are not kept")
    if "tanggal_lahir" in columns:
        notes.append(
            f"ages taken on {reference_date.isoformat()}: lansia = {LANSIA_AGE}+, "
            f"pemula = under {PEMULA_BELOW_AGE}"
        )
    else:
        derived = [c for c in ("lansia", "pemula") if c not in columns]
        if derived:
            notes.append(f"no tanggal_lahir column: {' and '.join(derived)} set to 0")
    notes.extend(interpreted.text())
    return Registry(counts=counts, source=name, notes=tuple(notes))


def _nik_key(value: Cell) -> str | None:
    """A comparable form of a NIK cell (Excel may store it as a number), or None if empty."""
    if value is None:
        return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    text = "".join(str(value).split())
    return text or None


# --------------------------------------------------------------------------- writing


def save_registry_csv(registry: Registry, path: Path) -> Path:
    """Write a registry as UTF-8 CSV that :func:`load_registry` reads back unchanged.

    Columns: ``kode_desa`` and :data:`COUNT_COLUMNS`; an estimate also gets ``status``
    (always ``estimasi``), ``is_estimate`` (``true``) and ``estimate_model``, so a file made
    from an estimate says so on every row. The file is written atomically.

    Parameters
    ----------
    registry
        The registry to write.
    path
        Target file; its folder is created if needed.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    frame = registry.counts.reset_index()[["kode_desa", *COUNT_COLUMNS]]
    if registry.is_estimate:
        frame = frame.assign(
            status=ESTIMATE_STATUS,
            is_estimate="true",
            estimate_model=registry.estimate_model or "",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            frame.to_csv(stream, index=False, lineterminator="\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
