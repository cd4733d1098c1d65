"""What the field reports: residents recorded per visit, from ``selesai.csv`` or ``jadwal.xlsx``.

Two forms are read, both keyed by team id, date and ``kode_desa``:

* ``selesai.csv`` (``DONE.csv``): columns ``team_id`` (or ``tim``), ``date`` (or ``tanggal``,
  YYYY-MM-DD), ``kode_desa``, ``recorded`` (or ``direkam``, ``terekam``);
* ``jadwal.xlsx`` as the teams filled it in: on any sheet, a header row with a cell exactly
  ``Terekam``, and on the same row headers for the village code (``Kode desa``), the date
  (``Tanggal``) and the team id (``ID tim``/``team_id``). An empty ``Terekam`` cell is *no
  report*, never zero.

Every problem is listed with its file, sheet, row and column; nothing is guessed.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from planner.core.errors import InputError, ProblemCollector

DONE_ALIASES: Mapping[str, tuple[str, ...]] = {
    "team_id": ("team_id", "tim", "team"),
    "date": ("date", "tanggal"),
    "kode_desa": ("kode_desa", "kode", "kode_wilayah"),
    "recorded": ("recorded", "direkam", "jumlah_rekam", "terekam"),
}

XLSX_REPORT_HEADER = "Terekam"
"""Header of the column the teams fill in on ``jadwal.xlsx`` (exactly this text)."""

XLSX_ALIASES: Mapping[str, tuple[str, ...]] = {
    "team_id": ("id tim", "team_id", "kode tim"),
    "date": ("tanggal", "date"),
    "kode_desa": ("kode desa", "kode_desa"),
}
HEADER_ROWS_SEARCHED = 10
"""The header row is looked for in the first rows of a sheet (rows 1–2 are its title)."""


def read_done_csv(path: Path, week_start: date, from_date: date) -> list[dict[str, Any]]:
    """Read ``selesai.csv`` / ``DONE.csv``; every problem is listed with its row and column."""
    problems = ProblemCollector(path.name)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise InputError(f"{path.name}: not a UTF-8 text file") from None
    lines = text.splitlines()
    if not lines:
        raise InputError(f"{path.name}: the file is empty")
    dialect = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(lines, delimiter=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    column: dict[str, str] = {}
    for key, aliases in DONE_ALIASES.items():
        found = next((h for h in header if h in aliases), None)
        if found is None:
            problems.add(f"column '{key}' not found; columns are: {', '.join(header) or '(none)'}")
        else:
            column[key] = found
    problems.raise_if_any(InputError)
    rows: list[dict[str, Any]] = []
    for number, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        team = row.get(column["team_id"], "")
        code = row.get(column["kode_desa"], "")
        try:
            day = date.fromisoformat(row.get(column["date"], ""))
        except ValueError:
            problems.add("not a date (YYYY-MM-DD)", row=number, column=column["date"])
            continue
        if not (week_start <= day < from_date):
            problems.add(
                f"{day.isoformat()} is not between the week start and --from",
                row=number,
                column=column["date"],
            )
        value = row.get(column["recorded"], "")
        if not (value.isascii() and value.isdigit()):  # "²" and "٣" are digits, not numbers
            problems.add("must be a whole number ≥ 0", row=number, column=column["recorded"])
            continue
        if not team:
            problems.add("empty team", row=number, column=column["team_id"])
        rows.append(
            {
                "team_id": team,
                "date": day,
                "kode_desa": code,
                "recorded": int(value),
                "source": path.name,
            }
        )
    problems.raise_if_any(InputError)
    return rows


def _cell_date(value: object) -> date | None:
    """A date cell: an Excel date, ``YYYY-MM-DD`` or ``DD/MM/YYYY`` text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d/%m/%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def _cell_count(value: object) -> int | str | None:
    """A ``Terekam`` cell: ``None`` when empty, a whole number ≥ 0, or ``"bad"``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return "bad"
    if isinstance(value, int):
        return value if value >= 0 else "bad"
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else "bad"
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() else "bad"


def read_jadwal_terekam(path: Path, week_start: date, from_date: date) -> list[dict[str, Any]]:
    """Read the filled-in ``Terekam`` column of ``jadwal.xlsx``: one row per reported visit.

    Rows whose ``Terekam`` cell is empty are not reported (not zero). A filled-in cell on a
    day on or after ``from_date`` is an error: that day is being re-planned.
    """
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except Exception as exc:  # openpyxl raises many types for a file that is not xlsx
        raise InputError(f"{path.name}: not a readable .xlsx file ({exc})") from None
    problems = ProblemCollector(path.name)
    rows: list[dict[str, Any]] = []
    found_any = False
    for sheet in book.worksheets:
        lines = list(sheet.iter_rows(values_only=True))
        header_row = next(
            (
                k
                for k, line in enumerate(lines[:HEADER_ROWS_SEARCHED])
                if any(str(c).strip() == XLSX_REPORT_HEADER for c in line if c is not None)
            ),
            None,
        )
        if header_row is None:
            continue
        found_any = True
        names = [str(c).strip() if c is not None else "" for c in lines[header_row]]
        index = {XLSX_REPORT_HEADER: names.index(XLSX_REPORT_HEADER)}
        for key, aliases in XLSX_ALIASES.items():
            hit = next((i for i, n in enumerate(names) if n.lower() in aliases), None)
            if hit is None:
                problems.add(
                    f"sheet '{sheet.title}': column for '{key}' not found beside "
                    f"'{XLSX_REPORT_HEADER}' (expected one of: {', '.join(aliases)})"
                )
            else:
                index[key] = hit
        if len(index) < 4:
            continue
        for number, line in enumerate(lines[header_row + 1 :], start=header_row + 2):
            cells = list(line) + [None] * (len(names) - len(line))
            count = _cell_count(cells[index[XLSX_REPORT_HEADER]])
            if count is None:
                continue
            where = f"sheet '{sheet.title}' row {number}"
            if count == "bad":
                problems.add(f"{where} column '{XLSX_REPORT_HEADER}': must be a whole number ≥ 0")
                continue
            day = _cell_date(cells[index["date"]])
            team = str(cells[index["team_id"]] or "").strip()
            code = str(cells[index["kode_desa"]] or "").strip()
            if day is None:
                problems.add(f"{where} column '{names[index['date']]}': not a date")
                continue
            if not (week_start <= day < from_date):
                problems.add(f"{where}: {day.isoformat()} is not between the week start and --from")
            if not team or not code:
                problems.add(f"{where}: the team id and the village code must be filled in")
                continue
            assert isinstance(count, int)
            rows.append(
                {
                    "team_id": team,
                    "date": day,
                    "kode_desa": code,
                    "recorded": count,
                    "source": path.name,
                }
            )
    book.close()
    if not found_any:
        problems.add(f"no sheet has a '{XLSX_REPORT_HEADER}' column")
    problems.raise_if_any(InputError)
    return rows


def read_field_reports(
    paths: Sequence[Path], week_start: date, from_date: date
) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Every report of ``paths`` (CSV or xlsx) keyed by (team id, ISO date, kode_desa).

    The same visit reported twice with different figures is an error; twice with the same
    figure is one report.
    """
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    problems = ProblemCollector(", ".join(p.name for p in paths) or "reports")
    for path in paths:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            rows = read_jadwal_terekam(path, week_start, from_date)
        else:
            rows = read_done_csv(path, week_start, from_date)
        for row in rows:
            key = (str(row["team_id"]), row["date"].isoformat(), str(row["kode_desa"]))
            earlier = out.get(key)
            if earlier is not None and earlier["recorded"] != row["recorded"]:
                problems.add(
                    f"visit {' '.join(key)} reported twice: {earlier['recorded']} "
                    f"({earlier['source']}) and {row['recorded']} ({row['source']})"
                )
            out.setdefault(key, row)
    problems.raise_if_any(InputError)
    return out
