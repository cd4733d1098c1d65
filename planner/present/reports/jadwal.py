"""``jadwal.xlsx``: the week's schedule for coordinators, in Bahasa Indonesia.

Sheets: ``Ringkasan`` (summary and per team-day), ``Lembar sopir`` (one printed page per
team-day, :mod:`planner.present.reports.driver`), one sheet per team (its stops in order, with
an empty ``Terekam`` column the team fills in), and ``Tidak terjadwal`` (villages left out, with
the reason). Every sheet starts with a title row
(region, week, ``ESTIMASI`` when the counts are the bundled estimate); dates and times are real
Excel dates and times; header rows are frozen and repeated on every printed page; columns are
sized to their content; pages print landscape on A4, fitted to the width.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain.workdays import format_tanggal
from planner.geo.classify import CLASS_LABELS
from planner.present.reports.driver import DRIVER_SHEET, write_driver_sheet
from planner.week.types import WeekPlan

DONE_HEADER = "Terekam"
"""Header of the column the team fills in with the residents recorded at each visit."""

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14)
ESTIMATE_FONT = Font(bold=True, color="9C0006")
FIRST_TABLE_ROW = 4
"""Header row of the table on a team or ``Tidak terjadwal`` sheet (rows 1–2: title)."""

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
    ("Pelabuhan", "ports"),
    ("Kapal berangkat", "ferry_departure"),
    ("Dari pelabuhan", "ferry_port"),
    ("Cakupan kunjungan", "coverage"),
    ("ID tim", "team_id"),
    (DONE_HEADER, "done"),
)
"""(Indonesian header, itinerary column) of a team sheet. ``Terekam`` is left empty for the
team to fill in; ``jemput plan --done`` reads it back with ``ID tim``, ``Tanggal`` and
``Kode desa`` of the same row."""

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


def class_words(classes: object) -> str:
    """Village classes in words: ``"pesisir, perbatasan_kab"`` → ``"pesisir, perbatasan
    kabupaten/kota"``."""
    names = [c.strip() for c in str(classes or "").split(",") if c.strip()]
    return ", ".join(CLASS_LABELS.get(c, c).lower() for c in names) or "-"


def coverage_words(part: object) -> str:
    """What a visit covers, for a driver: the part code ``"1-4/4"`` in words."""
    text = str(part or "")
    if text == "tetap":
        return "tetap (dari rencana sebelumnya)"
    match = re.fullmatch(r"(\d+)(?:-(\d+))?/(\d+)", text)
    if not match:
        return text
    first, last, total = int(match[1]), int(match[2] or match[1]), int(match[3])
    if first == 1 and last == total:
        return "seluruh warga yang diperkirakan"
    return "sebagian; sisanya pada kunjungan lain"


def _readable(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "classes": class_words(row.get("classes")),
        "coverage": coverage_words(row.get("part")),
        "done": None,
    }


def _cell(column: str, value: object) -> Any:
    if column == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    if column in ("arrival", "start", "end", "depart", "return") and isinstance(value, str):
        hours, minutes = value.split(":")
        return time(int(hours) % 24, int(minutes))
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def title_lines(plan: WeekPlan, what: str) -> tuple[str, str]:
    """The two title rows of a sheet: what and which week; the data source."""
    week = date.fromisoformat(str(plan.meta["week_start"]))
    first = f"{what} — {plan.meta.get('region_name', '')}, minggu mulai {format_tanggal(week)}"
    if plan.meta.get("is_estimate"):
        second = (
            "ESTIMASI: angka belum rekam dan perkiraan perekaman dari model estimasi, "
            "bukan data resmi per desa"
        )
    else:
        second = f"Sumber data: {plan.meta.get('data_source', '')}"
    travel = travel_label(plan.meta)
    if travel:
        second += f" · Waktu tempuh: {travel}"
    return first, second


def travel_label(meta: Mapping[str, object]) -> str:
    """Which model made the minutes (``estimasi``, ``OSM (ekstrak …)``, ``matriks pengguna``)."""
    travel = meta.get("travel")
    return str(travel.get("label", "")) if isinstance(travel, Mapping) else ""


def _write_title(sheet: Worksheet, lines: tuple[str, str], estimate: bool) -> None:
    sheet.cell(row=1, column=1, value=lines[0]).font = TITLE_FONT
    sheet.cell(row=2, column=1, value=lines[1]).font = ESTIMATE_FONT if estimate else Font()


def _print_setup(sheet: Worksheet, header_row: int) -> None:
    """Landscape A4, fitted to the page width, header row repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4


def _width(value: object) -> int:
    if isinstance(value, datetime | date):
        return 11
    if isinstance(value, time):
        return 6
    return len(str(value)) if value is not None else 0


def _write_table(
    sheet: Worksheet,
    columns: tuple[tuple[str, str], ...],
    rows: list[dict[str, object]],
    first_row: int = FIRST_TABLE_ROW,
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
        values = [_width(_cell(key, r.get(key))) for r in rows]
        longest = max([*values, max(len(w) for w in header.split())])
        letter = get_column_letter(j)
        sheet.column_dimensions[letter].width = min(60, max(8, longest + 2))
    if rows:
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A{first_row}:{last}{first_row + len(rows)}"
    _print_setup(sheet, first_row)


def sheet_name(team_id: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, no ``[]:*?/\\``)."""
    base = re.sub(r"[\[\]:*?/\\]", "-", team_id)[:31] or "tim"
    name, k = base, 2
    while name.lower() in used:
        suffix = f"~{k}"
        name, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(name.lower())
    return name


DAY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Tim", "team_name"),
    ("Tanggal", "date"),
    ("Berangkat dari", "start_name"),
    ("Jam berangkat", "depart"),
    ("Jam tiba", "return"),
    ("Bermalam di", "end_name"),
    ("Jumlah lokasi", "stops"),
    ("Perkiraan perekaman", "expected_recordings"),
    ("Jarak (km)", "km"),
    ("Waktu tempuh (menit)", "travel_minutes"),
    ("Di perahu (menit)", "boat_minutes"),
    ("Pelabuhan pulang", "return_ports"),
    ("Istirahat", "break"),
)
"""(Indonesian header, team-day column) of the Ringkasan table."""


def _summary_sheet(plan: WeekPlan, sheet: Worksheet) -> None:
    estimate = bool(plan.meta.get("is_estimate"))
    _write_title(sheet, title_lines(plan, "Ringkasan jadwal jemput bola KTP-el"), estimate)
    s = plan.summary
    source = "ESTIMASI (bukan data resmi)" if estimate else "Register"
    facts: list[tuple[str, object, str | None]] = [
        ("Wilayah", plan.meta.get("region_name"), None),
        ("Minggu mulai", date.fromisoformat(str(plan.meta["week_start"])), "DD/MM/YYYY"),
        ("Sumber data", f"{source}: {plan.meta.get('data_source')}", None),
        ("Waktu tempuh dari", travel_label(plan.meta) or "tidak tercatat", None),
        ("Perkiraan perekaman terjadwal", s["planned_recordings"], "#,##0"),
        ("Kapasitas perekaman minggu ini (batas atas)", s["capacity_bound"], "#,##0"),
        ("Utilisasi", s["utilisation"], "0.0%"),
        ("Jarak tempuh (km)", s["km"], "#,##0.0"),
        ("Jam di perahu", s["boat_hours"], "0.0"),
        ("Desa dikunjungi", s["villages_visited"], None),
        (
            "Hari-tim terpakai / tersedia",
            f"{s['team_days_used']} / {s['team_days_available']}",
            None,
        ),
        ("Desa tidak (seluruhnya) terjadwal", len(plan.unplanned), None),
    ]
    for i, (label, value, fmt) in enumerate(facts, start=FIRST_TABLE_ROW):
        sheet.cell(row=i, column=1, value=label).font = Font(bold=True)
        cell = sheet.cell(row=i, column=2, value=_cell(label, value))
        if fmt:
            cell.number_format = fmt
    names = {td.team.id: td.team.name for td in plan.all_team_days}
    rows = [
        {**r, "team_name": names.get(str(r["team_id"]), r["team_id"])}
        for r in plan.team_days.to_dict("records")
    ]
    first = FIRST_TABLE_ROW + len(facts) + 2
    _write_table(sheet, DAY_COLUMNS, rows, first_row=first)  # type: ignore[arg-type]
    sheet.freeze_panes = "A3"  # the title; the facts and the day table scroll
    sheet.column_dimensions["A"].width = max(44, sheet.column_dimensions["A"].width or 0)
    sheet.column_dimensions["B"].width = max(28, sheet.column_dimensions["B"].width or 0)


def write_jadwal_xlsx(plan: WeekPlan, path: Path) -> None:
    """Write ``jadwal.xlsx`` for ``plan``: Ringkasan, one sheet per team, Tidak terjadwal."""
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Ringkasan"
    _summary_sheet(plan, summary)
    estimate = bool(plan.meta.get("is_estimate"))
    used = {"ringkasan", "tidak terjadwal"}
    teams = {td.team.id: td.team for td in plan.all_team_days}
    for team_id in sorted(teams):
        sheet = book.create_sheet(sheet_name(team_id, used))
        team = teams[team_id]
        _write_title(sheet, title_lines(plan, f"Jadwal {team.name}"), estimate)
        records = plan.itinerary[plan.itinerary["team_id"] == team_id].to_dict("records")
        rows = [_readable({str(k): v for k, v in r.items()}) for r in records]
        _write_table(sheet, TEAM_COLUMNS, rows)
        if not rows:
            sheet.cell(row=FIRST_TABLE_ROW + 1, column=1, value="Tidak ada kunjungan minggu ini")
    driver_title = title_lines(plan, "Lembar sopir dan tim: satu halaman per tim per hari")
    write_driver_sheet(plan, book.create_sheet(DRIVER_SHEET, 1), driver_title)
    left = book.create_sheet("Tidak terjadwal")
    _write_title(left, title_lines(plan, "Desa tidak (seluruhnya) terjadwal"), estimate)
    _write_table(left, UNPLANNED_COLUMNS, plan.unplanned.to_dict("records"))  # type: ignore[arg-type]
    book.save(path)
