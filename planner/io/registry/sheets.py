"""Reading a registry file into rows of cells: decoding, CSV dialect sniffing, .xlsx sheets.

CSV/TSV text in UTF-8 (with or without BOM), UTF-16 or Windows-1252 with any of the usual
delimiters; Excel ``.xlsx`` workbooks with merged cells. What was interpreted goes to the
``notes`` list the caller passes in.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.core.errors import InputError
from planner.io.registry.cells import Cell, _norm
from planner.io.registry.header import _HEADER_SEARCH_ROWS, _find_header

_DELIMITERS = (";", "\t", ",", "|")


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
