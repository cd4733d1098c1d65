"""Reading single cells of a registry file: village codes, counts, yes/no flags, dates.

Each parser returns a value or a problem in words; none keeps a cell value beyond the call
(:class:`_Memo` caches per load only). Messages quote a value only when it is not personal.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import numpy as np
import pandas as pd

from planner.io.registry.columns import MAX_VILLAGE_COUNT

Cell = Any  # str | int | float | bool | datetime.date | datetime.datetime | None
_T = TypeVar("_T")


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _norm(value: Cell) -> str:
    """Normalise a header cell: lower case, runs of non-alphanumerics become one ``_``."""
    if value is None:
        return ""
    return _NON_ALNUM.sub("_", str(value).lower()).strip("_")


_TRUE_WORDS = {"1", "ya", "y", "yes", "sudah", "true", "sudah_rekam", "rekam", "benar", "v"}
_FALSE_WORDS = {"0", "tidak", "tdk", "n", "no", "belum", "false", "belum_rekam", "tidak_rekam"}
_TOTAL_WORDS = {"jumlah", "total", "jumlah_total", "grand_total", "total_keseluruhan", "jml"}


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


def _cell_text(value: Cell) -> str:
    return "" if value is None else " ".join(str(value).split())


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
