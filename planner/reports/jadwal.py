"""``jadwal.xlsx``: the week's schedule for coordinators, in Bahasa Indonesia.

Sheets: ``Ringkasan`` (summary and per team-day), one sheet per team (its stops in order), and
``Tidak terjadwal`` (villages left out, with the reason). Dates and times are real Excel
dates and times; headers are frozen; columns are sized to their content.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.plan import WeekPlan

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")

TEAM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Tanggal", "date"),
    ("Hari", "day"),
    ("Urutan", "order"),
    ("Kode desa", "kode_desa"),
    ("Desa/Kelurahan", "desa"),
    ("Kecamatan", "kecamatan"),
    ("Kabupaten/Kota", "kabupaten"),
    ("Kelas desa", "classes"),
    ("Tiba", "arrival"),
    ("Mulai rekam", "start"),
    ("Selesai", "end"),
    ("Perkiraan perekaman", "expected_recordings"),
    ("Jarak (km)", "km"),
    ("Waktu tempuh (menit)", "travel_minutes"),
    ("Di perahu (menit)", "boat_minutes"),
    ("Moda", "mode"),
    ("Bagian", "part"),
)
"""(Indonesian header, itinerary column) of a team sheet."""

UNPLANNED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Kode desa", "kode_desa"),
    ("Desa/Kelurahan", "desa"),
    ("Kecamatan", "kecamatan"),
    ("Kabupaten/Kota", "kabupaten"),
    ("Kelas desa", "classes"),
    ("Belum rekam", "belum_rekam"),
    ("Perkiraan hadir", "expected"),
    ("Terjadwal", "planned"),
    ("Alasan", "alasan"),
)


def _cell(column: str, value: object) -> Any:
    if column == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    if column in ("arrival", "start", "end", "depart", "return") and isinstance(value, str):
        hours, minutes = value.split(":")
        return time(int(hours) % 24, int(minutes))
    if hasattr(value, "item"):
        return value.item()
    return value


def _write_table(
    sheet: Worksheet,
    columns: tuple[tuple[str, str], ...],
    rows: list[dict[str, object]],
    first_row: int = 1,
) -> None:
    for j, (header, _) in enumerate(columns, start=1):
        cell = sheet.cell(row=first_row, column=j, value=header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i, row in enumerate(rows, start=first_row + 1):
        for j, (_, key) in enumerate(columns, start=1):
            cell = sheet.cell(row=i, column=j, value=_cell(key, row.get(key)))
            if isinstance(cell.value, date) and not isinstance(cell.value, datetime):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(cell.value, time):
                cell.number_format = "HH:MM"
    sheet.freeze_panes = f"A{first_row + 1}"
    for j, (header, key) in enumerate(columns, start=1):
        values = [len(str(r.get(key, ""))) for r in rows] + [len(header)]
        sheet.column_dimensions[get_column_letter(j)].width = min(60, max(8, max(values) + 2))
    if rows:
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A{first_row}:{last}{first_row + len(rows)}"


def sheet_name(team_id: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, no ``[]:*?/\\``)."""
    base = re.sub(r"[\[\]:*?/\\]", "-", team_id)[:31] or "tim"
    name, k = base, 2
    while name.lower() in used:
        suffix = f"~{k}"
        name, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(name.lower())
    return name


def write_jadwal_xlsx(plan: WeekPlan, path: Path) -> None:
    """Write ``jadwal.xlsx`` for ``plan``."""
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Ringkasan"
    s = plan.summary
    source = "ESTIMASI (bukan data resmi)" if plan.meta.get("is_estimate") else "Register"
    facts: list[tuple[str, object]] = [
        ("Wilayah", plan.meta.get("region_name")),
        ("Minggu mulai", date.fromisoformat(str(plan.meta["week_start"]))),
        ("Sumber data", f"{source}: {plan.meta.get('data_source')}"),
        ("Perkiraan perekaman terjadwal", s["planned_recordings"]),
        ("Kapasitas perekaman minggu ini (batas atas)", s["capacity_bound"]),
        ("Utilisasi", s["utilisation"]),
        ("Jarak tempuh (km)", s["km"]),
        ("Jam di perahu", s["boat_hours"]),
        ("Desa dikunjungi", s["villages_visited"]),
        ("Hari-tim terpakai / tersedia", f"{s['team_days_used']} / {s['team_days_available']}"),
    ]
    for i, (label, value) in enumerate(facts, start=1):
        summary.cell(row=i, column=1, value=label).font = Font(bold=True)
        cell = summary.cell(row=i, column=2, value=_cell(label, value))
        if isinstance(value, date):
            cell.number_format = "DD/MM/YYYY"
        if label == "Utilisasi":
            cell.number_format = "0.0%"
    day_columns: tuple[tuple[str, str], ...] = (
        ("Tim", "team_id"),
        ("Tanggal", "date"),
        ("Berangkat", "depart"),
        ("Kembali", "return"),
        ("Jumlah lokasi", "stops"),
        ("Perkiraan perekaman", "expected_recordings"),
        ("Jarak (km)", "km"),
        ("Waktu tempuh (menit)", "travel_minutes"),
        ("Di perahu (menit)", "boat_minutes"),
        ("Istirahat", "break"),
    )
    first = len(facts) + 3
    _write_table(summary, day_columns, plan.team_days.to_dict("records"), first_row=first)  # type: ignore[arg-type]
    summary.column_dimensions["A"].width = 44
    used = {"ringkasan", "tidak terjadwal"}
    for team_id in sorted({td.team.id for td in plan.all_team_days}):
        sheet = book.create_sheet(sheet_name(team_id, used))
        rows = plan.itinerary[plan.itinerary["team_id"] == team_id].to_dict("records")
        _write_table(sheet, TEAM_COLUMNS, rows)  # type: ignore[arg-type]
    left = book.create_sheet("Tidak terjadwal")
    _write_table(left, UNPLANNED_COLUMNS, plan.unplanned.to_dict("records"))  # type: ignore[arg-type]
    book.save(path)
