"""``Lembar sopir`` in ``jadwal.xlsx``: one printed page per team-day, for the driver and team.

Each page says where and when the team leaves, each stop in order (arrival, recording hours,
the break, a boat crossing, coordinates and a map link a phone opens), and when it is back.
Pages break between team-days; the footer carries the page number and the print date (Excel
fills ``&P``, ``&N`` and ``&D`` when printing), so a stack of printed days stays in order.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from planner.domain.workdays import format_tanggal
from planner.present.routes import ferry_words, port_words
from planner.week.types import WeekPlan

DRIVER_SHEET = "Lembar sopir"
"""Name of the sheet."""

STOP_HEADER = (
    "No.",
    "Desa/Kelurahan",
    "Kecamatan",
    "Tiba",
    "Rekam mulai",
    "Rekam selesai",
    "Perkiraan orang",
    "Perjalanan ke sini",
    "Koordinat (lat, lon)",
    "Peta",
    "Jumlah terekam (isi)",
)
"""Columns of a team-day's stop table."""

MAP_URL = "https://www.google.com/maps/search/?api=1&query={lat:.6f},{lon:.6f}"
"""A map link that opens the map app on a phone, at the stop."""

_HEAD_FILL = PatternFill("solid", fgColor="1F4E78")
_THIN = Side(style="thin", color="777777")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _leg_words(row: dict[str, Any]) -> str:
    minutes = float(row.get("travel_minutes") or 0)
    km = float(row.get("km") or 0)
    boat = float(row.get("boat_minutes") or 0)
    text = f"± {minutes:.0f} menit, {km:.1f} km".replace(".", ",")
    if boat > 0:
        ports = port_words(row.get("ports"))
        text += f"; termasuk perahu ± {boat:.0f} menit" + (f", {ports}" if ports else "")
        if ferry := ferry_words(row.get("ferry_departure"), row.get("ferry_port")):
            wait = float(row.get("port_wait_minutes") or 0)
            text += f"; {ferry}" + (f", menunggu ± {wait:.0f} menit" if wait >= 1 else "")
    return text


def write_driver_sheet(plan: WeekPlan, sheet: Worksheet, title: tuple[str, str]) -> None:
    """Fill ``sheet`` with one printable page per used team-day of ``plan``.

    ``title`` is the two title rows every sheet of the workbook starts with.
    """
    names = {td.team.id: td.team.name for td in plan.all_team_days}
    estimate = bool(plan.meta.get("is_estimate"))
    widths = (5, 24, 18, 8, 10, 11, 10, 30, 22, 12, 14)
    for j, width in enumerate(widths, start=1):
        sheet.column_dimensions[chr(64 + j)].width = width
    sheet.cell(row=1, column=1, value=title[0]).font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1, value=title[1]).font = Font(bold=True, color="9C0006")
    row = 4
    days = plan.team_days.sort_values(["team_id", "date"]).to_dict("records")
    breaks = RowBreak()
    for k, day in enumerate(days):
        team_id, date_iso = str(day["team_id"]), str(day["date"])
        when = format_tanggal(date.fromisoformat(date_iso))
        sheet.cell(row=row, column=1, value=f"{names.get(team_id, team_id)} — {when}").font = Font(
            bold=True, size=14
        )
        row += 1
        sheet.cell(
            row=row,
            column=1,
            value=f"Berangkat dari {day['start_name']} pukul {day['depart']}",
        ).font = Font(bold=True, size=12)
        row += 1
        rest = str(day.get("break") or "")
        if rest:
            sheet.cell(row=row, column=1, value=f"Istirahat: {rest.replace('-', '–')}")
            row += 1
        if estimate:
            sheet.cell(row=row, column=1, value="Perkiraan orang: ESTIMASI, bukan data resmi")
            sheet.cell(row=row, column=1).font = Font(color="9C0006")
            row += 1
        for j, header in enumerate(STOP_HEADER, start=1):
            cell = sheet.cell(row=row, column=j, value=header)
            cell.font, cell.fill = Font(bold=True, color="FFFFFF"), _HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cell.border = _BOX
        row += 1
        stops = plan.itinerary[
            (plan.itinerary["team_id"] == team_id) & (plan.itinerary["date"] == date_iso)
        ].sort_values("order")
        for stop in stops.to_dict("records"):
            lat, lon = float(stop["lat"]), float(stop["lon"])
            values = (
                int(stop["order"]),
                str(stop["desa"]),
                str(stop["kecamatan"]),
                str(stop["arrival"]),
                str(stop["start"]),
                str(stop["end"]),
                int(stop["expected_recordings"]),
                _leg_words({str(a): b for a, b in stop.items()}),
                f"{lat:.6f}, {lon:.6f}",
                "buka peta",
                None,
            )
            for j, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=j, value=value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                cell.border = _BOX
            link = sheet.cell(row=row, column=10)
            link.hyperlink = MAP_URL.format(lat=lat, lon=lon)
            link.font = Font(color="0563C1", underline="single")
            row += 1
        back = f"Kembali di {day['end_name']} pukul {day['return']}"
        if ports := port_words(day.get("return_ports")):
            back += f", perahu lewat {ports}"
        sheet.cell(
            row=row,
            column=1,
            value=back + f" (jarak hari ini {float(day['km']):.1f} km)".replace(".", ","),
        ).font = Font(bold=True, size=12)
        row += 1
        sheet.cell(row=row, column=1, value="Tanda tangan ketua tim: ____________________")
        row += 1
        if k < len(days) - 1:
            breaks.append(Break(id=row))
            row += 1
    sheet.row_breaks = breaks
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    footer, page_head = sheet.oddFooter, sheet.oddHeader
    if footer is not None:
        footer.left.text = "Dicetak &D"
        footer.right.text = "Halaman &P dari &N"
    if page_head is not None:
        page_head.center.text = "Lembar sopir dan tim jemput bola KTP-el"
