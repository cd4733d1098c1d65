"""The change list of a re-plan: ``perubahan.csv`` and the "Daftar perubahan jadwal" page.

Both read ``plan.meta["changes"]`` (made by :func:`planner.week.changes.schedule_changes`):
one row per changed announced visit (moved, cancelled, its time changed) and per past visit
nobody reported. The page is one printable table for the coordinator, who calls the camat and
the kepala desa of each row; the desa pages of the changed villages carry the same lines
(:func:`desa_change_lines`).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from planner.domain.workdays import format_tanggal
from planner.present.announce import announced_start
from planner.present.reports.desa import PAGE_CSS, esc, jam
from planner.week.changes import STATUS_LABELS, day_name
from planner.week.types import WeekPlan

CHANGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("kode_desa", "kode_desa"),
    ("desa", "desa"),
    ("kecamatan", "kecamatan"),
    ("hari_lama", "old_day"),
    ("tanggal_lama", "old_date"),
    ("jam_lama", "old_start"),
    ("tim_lama", "old_team"),
    ("hari_baru", "new_day"),
    ("tanggal_baru", "new_date"),
    ("jam_baru", "new_start"),
    ("tim_baru", "new_team"),
    ("status", "status_label"),
    ("alasan", "reason"),
)
"""(``perubahan.csv`` header, field) in column order."""


def _rows(changes: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    out = []
    for change in changes:
        row = {str(k): str(v) for k, v in change.items()}
        row["old_day"] = day_name(row["old_date"])
        row["new_day"] = day_name(row["new_date"])
        row["status_label"] = STATUS_LABELS.get(row["status"], row["status"])
        if row["status"] == "cancelled":
            row["new_team"] = "dibatalkan"
        out.append(row)
    return out


def plan_changes(plan: WeekPlan) -> list[dict[str, Any]]:
    """The change records of a re-planned week (empty for a first plan)."""
    changes = plan.meta.get("changes", [])
    return [dict(c) for c in changes] if isinstance(changes, list) else []


def write_changes_csv(plan: WeekPlan, path: Path) -> Path:
    """Write ``perubahan.csv``: one row per change, headers in Bahasa Indonesia."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([header for header, _ in CHANGE_COLUMNS])
        for row in _rows(plan_changes(plan)):
            writer.writerow([row.get(field, "") for _, field in CHANGE_COLUMNS])
    return path


def _when(iso: str, clock: str, team: str) -> str:
    if not iso:
        return ""
    text = format_tanggal(date.fromisoformat(iso))
    return f"{text} pukul {announced_start(clock)} ({team})" if clock else f"{text} ({team})"


def desa_change_lines(plan: WeekPlan, kode_desa: str) -> list[str]:
    """Lines for the desa page of ``kode_desa``: what was announced, what holds now, why.

    Times as residents were told them (the announced opening, on the quarter hour) and teams
    by name, as on the announcement being replaced.
    """
    names = {td.team.id: td.team.name for td in plan.all_team_days}
    lines = []
    for row in _rows(plan_changes(plan)):
        if row["kode_desa"] != kode_desa or row["status"] == "unreported":
            continue
        old_team = names.get(row["old_team"], row["old_team"])
        old = _when(row["old_date"], row["old_start"], old_team)
        new = (
            "DIBATALKAN"
            if row["status"] == "cancelled"
            else _when(
                row["new_date"], row["new_start"], names.get(row["new_team"], row["new_team"])
            )
        )
        lines.append(f"Semula {old}; sekarang {new}. Alasan: {row['reason']}.")
    return lines


def changes_page_html(plan: WeekPlan) -> str:
    """The coordinator's one-page "Daftar perubahan jadwal" (every value escaped)."""
    rows = _rows(plan_changes(plan))
    counts = plan.meta.get("change_counts", {})
    assert isinstance(counts, dict)
    body = "".join(
        "<tr>"
        f"<td>{esc(r['desa'])}<br><small>{esc(r['kecamatan'])} · {esc(r['kode_desa'])}</small></td>"
        f"<td class='tgl'>{esc(r['old_day'])} {esc(r['old_date'])}<br>"
        f"{esc(jam(r['old_start']))} · {esc(r['old_team'])}</td>"
        + (
            f"<td class='tgl'><b>{esc(r['new_team'].upper())}</b></td>"
            if r["status"] == "cancelled"
            else f"<td class='tgl'>{esc(r['new_day'])} {esc(r['new_date'])}<br>"
            f"{esc(jam(r['new_start']))} · {esc(r['new_team'])}</td>"
        )
        + f"<td>{esc(r['status_label'])}</td><td>{esc(r['reason'])}</td></tr>"
        for r in rows
    )
    if not rows:
        body = "<tr><td colspan='5'>Tidak ada perubahan jadwal.</td></tr>"
    summary = (
        f"Diumumkan {counts.get('announced', 0)} kunjungan: {counts.get('kept', 0)} tetap, "
        f"{counts.get('moved', 0)} dipindah, {counts.get('cancelled', 0)} dibatalkan, "
        f"{counts.get('time_changed', 0)} berubah jam; "
        f"{counts.get('unreported', 0)} kunjungan lalu belum dilaporkan."
    )
    estimasi = (
        '<p class="estimasi">Perkiraan perekaman adalah ESTIMASI '
        f"({esc(plan.meta.get('estimate_model'))}).</p>"
        if plan.meta.get("is_estimate")
        else ""
    )
    week = esc(plan.meta.get("week_start"))
    since = esc(plan.meta.get("replanned_from"))
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Daftar perubahan jadwal — minggu {week}</title>
<style>{PAGE_CSS}</style></head>
<body>
<h1 style="font-size:26px;letter-spacing:1px">Daftar perubahan jadwal</h1>
<h2>{esc(plan.meta.get("region_name"))} · minggu mulai {week} · disusun ulang mulai {since}</h2>
<p>{esc(summary)} Hubungi camat dan kepala desa/lurah setiap baris di bawah ini.</p>
<table class="jadwal"><thead><tr><th>Desa/Kelurahan</th><th>Semula</th><th>Sekarang</th>
<th>Status</th><th>Alasan</th></tr></thead><tbody>{body}</tbody></table>
{estimasi}
</body></html>
"""


def write_change_reports(plan: WeekPlan, folder: Path) -> list[Path]:
    """Write ``perubahan.csv`` and ``perubahan.html`` into ``folder``; return the paths."""
    page = folder / "perubahan.html"
    page.write_text(changes_page_html(plan), encoding="utf-8")
    return [write_changes_csv(plan, folder / "perubahan.csv"), page]
