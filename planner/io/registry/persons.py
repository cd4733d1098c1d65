"""Aggregating a person-level registry file (one row per person) to counts per village.

Privacy: NIK, names and birth dates are read here only to count; no personal value is
kept in the result or quoted in a message (row numbers only).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

from planner.core.errors import ProblemCollector
from planner.io.registry.cells import (
    Cell,
    _age_years,
    _cell,
    _cell_text,
    _is_total_row,
    _Memo,
    _parse_code,
    _parse_date,
    _parse_flag,
)
from planner.io.registry.columns import (
    COUNT_COLUMNS,
    LANSIA_AGE,
    OPTIONAL_COLUMNS,
    PEMULA_BELOW_AGE,
)
from planner.io.registry.counts import Registry
from planner.io.registry.header import _Header
from planner.io.registry.validation import _CodeCheck, _CountRow, _counts_frame, _Notes, _raise


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
            if nik is not None and not (len(nik) == 16 and nik.isascii() and nik.isdigit()):
                problems.add(
                    "a NIK has 16 digits; this one does not (value not shown)",
                    row=number,
                    column=label["nik"],
                )
                ok = False
            elif nik is not None:
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
