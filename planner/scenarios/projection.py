"""The road to completion: roll weekly plans forward until every village is done.

Each week is planned with :func:`~planner.scenarios.warmstart.plan_week_from`; what it expects
to record is then subtracted from the villages' ``belum_rekam`` (never below zero), sites whose
expected attendance the week fully served count as visited (the next visit there has the
policy's repeat turnout), and the next week is planned on what is left. A partly served site
is not yet "visited": its remaining residents still come at first-visit turnout.

The projection stops when no reachable site has an expected attendance at or above the
policy's minimum visit size (*selesai*; "reachable" as the last planned week's teams and
shifts see it: not left out for a missing boat, no covering team, or a round trip longer than
a working day; residents below the minimum visit size remain unrecorded and are counted),
when a week plans nothing although such sites remain (*macet*), or when the horizon passes.
Weeks without a working day (holidays, cuti bersama) are skipped with the reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from planner.domain.config import Policy, TeamsConfig, apply_overrides
from planner.geo.classify import CLASS_NAMES, ClassifiedVillages
from planner.io.region import Region
from planner.io.registry import Registry
from planner.scenarios.charts import projection_figure, save_figure
from planner.scenarios.warmstart import plan_week_from
from planner.travel import TravelModel
from planner.week.team_days import team_days_of_week
from planner.week.types import WeekInputs, WeekPlan

UNREACHABLE_REASONS: frozenset[str] = frozenset({"needs_boat", "no_port", "no_team", "no_day_fits"})
"""Reason codes of sites no team of the configuration can serve at all."""

STOP_REASONS: dict[str, str] = {
    "selesai": "Selesai: semua desa yang terjangkau di bawah ukuran kunjungan minimum",
    "macet": "Berhenti: minggu ini tidak ada perekaman terjadwal, padahal masih ada desa",
    "batas": "Batas waktu proyeksi tercapai",
    "selesai_area": "Selesai untuk wilayah target: proyeksi dihentikan, wilayah lain tidak "
    "diproyeksikan lagi",
}
"""Why a projection stopped (Bahasa Indonesia)."""

WEEK_COLUMNS: tuple[str, ...] = (
    "week",
    "week_start",
    "status",
    "reason",
    "planned_recordings",
    "weighted_recordings",
    "utilisation",
    "km",
    "boat_hours",
    "team_days_used",
    "villages_visited",
    "remaining_belum_rekam",
    "remaining_expected",
    "remaining_sites",
    "wall_seconds",
)
"""Columns of the week-by-week table (``proyeksi.csv``)."""


@dataclass(frozen=True)
class Projection:
    """A projection's result.

    Attributes
    ----------
    weeks
        One row per calendar week (:data:`WEEK_COLUMNS`); ``status`` is ``direncanakan``
        or ``dilewati`` (no working day, ``reason`` says why).
    completion
        One row per regency and per class (``level`` = ``kabupaten``/``kelas``/``total``):
        unrecorded at the start and at the end, and the week the area was done
        (``completion_week``, empty if not within the horizon).
    stop
        Key of :data:`STOP_REASONS`.
    start, until, target
        First Monday, horizon, and the target date drawn on the chart.
    unreachable
        Sites no team could serve in the last planned week (with the reason code), with their
        remaining unrecorded.
    wall_seconds
        Total run time.
    """

    weeks: pd.DataFrame
    completion: pd.DataFrame
    stop: str
    start: date
    until: date
    target: date
    unreachable: pd.DataFrame
    wall_seconds: float

    @property
    def completion_date(self) -> date | None:
        """Last day (Sunday) of the week the whole region was done, if it was."""
        total = self.completion[self.completion["level"] == "total"]
        if total.empty or pd.isna(total["completion_week"].iloc[0]):
            return None
        monday = date.fromisoformat(str(total["completion_week"].iloc[0]))
        return monday + timedelta(days=6)


def expected_attendance(
    sites: pd.DataFrame, counts: pd.DataFrame, visited: set[str], policy: Policy
) -> np.ndarray:
    """Expected attendance per site (as :func:`planner.geo.demand.site_demand` computes it)."""
    belum = sites["kode_desa"].map(counts["belum_rekam"]).fillna(0).to_numpy(dtype=float)
    belum = belum * sites["demand_share"].to_numpy(dtype=float)
    repeat = sites["site_id"].isin(visited).to_numpy()
    rate = np.where(repeat, policy.repeat_turnout, policy.turnout) * (1.0 - policy.ghost_share)
    return np.floor(belum * rate + 1e-9)


def subtract_recorded(registry: Registry, recorded: pd.Series, note: str) -> Registry:
    """A registry with ``recorded`` (per ``kode_desa``) taken off ``belum_rekam`` (≥ 0).

    ``sudah_rekam`` grows by the same amount; the vulnerable groups shrink in proportion and
    never exceed ``belum_rekam``.
    """
    counts = registry.counts.copy()
    done = recorded.reindex(counts.index).fillna(0).to_numpy(dtype=float)
    before = counts["belum_rekam"].to_numpy(dtype=float)
    after = np.maximum(0.0, before - np.round(done))
    counts["belum_rekam"] = after.astype(np.int64)
    counts["sudah_rekam"] = (counts["wajib_ktp"] - counts["belum_rekam"]).astype(np.int64)
    share = np.divide(after, before, out=np.zeros_like(after), where=before > 0)
    for group in ("lansia", "disabilitas", "pemula"):
        scaled = np.floor(counts[group].to_numpy(dtype=float) * share)
        counts[group] = np.minimum(scaled, after).astype(np.int64)
    return replace(registry, counts=counts, source=f"{registry.source} ({note})")


def project(
    region: Region,
    classified: ClassifiedVillages,
    registry: Registry,
    teams: TeamsConfig,
    policy: Policy,
    start: date,
    until: date,
    travel: TravelModel,
    *,
    target: date | None = None,
    first: WeekPlan | None = None,
    workers: int = 1,
    progress: Callable[[int, int, dict[str, object]], None] | None = None,
    area: frozenset[str] | None = None,
    deadline: date | None = None,
) -> Projection:
    """Plan week after week from ``start`` to ``until`` (or until done), subtracting records.

    Parameters
    ----------
    region, classified, registry, teams, policy, travel
        As for :func:`planner.week.plan.plan_week`; ``policy.solver`` is used for every week (its
        ``time_limit_s`` is the budget of one week).
    start
        Monday of the first week.
    until
        Horizon: the last week planned is the one containing this date.
    target
        Date marked on the chart (default: ``deadline``, else the policy's, else ``until``).
    first
        An already solved plan of the week of ``start`` (same registry and configuration),
        used instead of planning that week again.
    workers
        Parallel processes for the groups of each week.
    progress
        Called after each week with (week number, weeks in the horizon, that week's row).
    area
        Site ids of a target area: stop (*selesai_area*) once none of them is open, without
        planning the rest of the region further (``jemput target`` asks only about the area).
    deadline
        The date every week is planned towards (the policy's ``deadline`` each week sees, for
        the deadline term ``lookahead_deadline_weeks``); default: the policy's deadline, else
        ``until``.

    Returns
    -------
    Projection
    """
    started = time.perf_counter()
    target = target or deadline or policy.deadline or until
    deadline = deadline or policy.deadline or until
    if policy.deadline != deadline:
        policy = apply_overrides(policy, {"deadline": deadline.isoformat()}, source="deadline")
    static = classified.sites[["site_id", "kode_desa", "kode_kab", "demand_share"]].copy()
    village_classes = classified.villages.set_index("kode")
    names_kab = {
        str(k): str(n)
        for k, n in zip(
            classified.villages["kode_kab"], classified.villages["nama_kab"], strict=True
        )
    }
    n_weeks = (until - start).days // 7 + 1
    visited: set[str] = set()
    unreachable: dict[str, str] = {}
    current = registry
    initial_belum = registry.counts["belum_rekam"].copy()
    rows: list[dict[str, object]] = []
    remaining_by_week: list[tuple[str, set[str]]] = []
    stop = "batas"
    for k in range(n_weeks):
        monday = start + timedelta(days=7 * k)
        team_days, closed = team_days_of_week(teams, policy, monday, region.config.timezone)
        row: dict[str, object] = {c: None for c in WEEK_COLUMNS}
        row.update(week=k + 1, week_start=monday.isoformat())
        if not team_days:
            reasons = sorted({r for d, r in closed if d.weekday() < 5})
            row.update(
                status="dilewati",
                reason="Tidak ada hari kerja: " + "; ".join(reasons),
                planned_recordings=0,
                remaining_belum_rekam=int(current.counts["belum_rekam"].sum()),
            )
            rows.append(row)
            if progress is not None:
                progress(k + 1, n_weeks, row)
            continue
        t0 = time.perf_counter()
        if k == 0 and first is not None:
            plan = first
        else:
            plan = plan_week_from(
                WeekInputs(region, classified, current, teams, policy, monday, travel),
                workers=workers,
                visited=visited,
            )
        # as this week's teams and shifts see it (a short Ramadan day may not fit a far site
        # that a normal day does)
        unreachable = {
            str(rec["site_id"]): str(rec["reason_code"])
            for rec in plan.unplanned.to_dict("records")
            if rec["reason_code"] in UNREACHABLE_REASONS
        }
        planned = plan.itinerary.groupby("site_id")["expected_recordings"].sum()
        by_village = plan.itinerary.groupby("kode_desa")["expected_recordings"].sum()
        current = subtract_recorded(current, by_village, f"proyeksi s.d. {monday.isoformat()}")
        expected_before = dict(zip(plan.sites["site_id"], plan.sites["expected"], strict=True))
        visited |= {str(s) for s, n in planned.items() if n >= expected_before.get(str(s), 0)}
        left = expected_attendance(static, current.counts, visited, policy)
        open_mask = (left >= max(policy.min_visit_size, 1.0)) & ~static["site_id"].isin(
            list(unreachable)
        ).to_numpy()
        open_sites = set(static.loc[open_mask, "site_id"].astype(str))
        summary = plan.summary
        row.update(
            status="direncanakan",
            reason="",
            planned_recordings=int(str(summary["planned_recordings"])),
            weighted_recordings=float(str(summary["weighted_recordings"])),
            utilisation=float(str(summary["utilisation"])),
            km=float(str(summary["km"])),
            boat_hours=float(str(summary["boat_hours"])),
            team_days_used=int(str(summary["team_days_used"])),
            villages_visited=int(str(summary["villages_visited"])),
            remaining_belum_rekam=int(current.counts["belum_rekam"].sum()),
            remaining_expected=int(left[open_mask].sum()),
            remaining_sites=len(open_sites),
            wall_seconds=round(time.perf_counter() - t0, 2),
        )
        rows.append(row)
        remaining_by_week.append((monday.isoformat(), open_sites))
        if progress is not None:
            progress(k + 1, n_weeks, row)
        if not open_sites:
            stop = "selesai"
            break
        if area is not None and not open_sites & area:
            stop = "selesai_area"
            break
        if row["planned_recordings"] == 0:
            stop = "macet"
            break
    weeks = pd.DataFrame(rows, columns=list(WEEK_COLUMNS))
    site_ids = static["site_id"].astype(str).tolist()
    site_village = dict(zip(site_ids, static["kode_desa"].astype(str), strict=True))
    all_villages = [str(v) for v in initial_belum.index]
    # (level, code, name, its sites, its villages)
    areas: list[tuple[str, str, str, set[str], list[str]]] = [
        ("total", "", "Semua desa", set(site_ids), all_villages)
    ]
    for kab in sorted(names_kab):
        areas.append(
            (
                "kabupaten",
                kab,
                names_kab[kab],
                {s for s in site_ids if site_village[s][:5] == kab},
                [v for v in all_villages if v[:5] == kab],
            )
        )
    for name in CLASS_NAMES:
        members = {
            str(v) for v in village_classes.index[village_classes[f"is_{name}"].astype(bool)]
        }
        areas.append(
            (
                "kelas",
                name,
                name,
                {s for s in site_ids if site_village[s] in members},
                [v for v in all_villages if v in members],
            )
        )
    final_belum = current.counts["belum_rekam"]
    completion_rows = []
    for level, code, label, area_sites, villages in areas:
        done_week = None
        for monday_iso, open_sites in remaining_by_week if area_sites else []:
            if not open_sites & area_sites:
                done_week = monday_iso
                break
        unreached = [s for s in unreachable if s in area_sites]
        completion_rows.append(
            {
                "level": level,
                "code": code,
                "name": label,
                "villages": len(villages),
                "belum_rekam_start": int(initial_belum.loc[villages].sum()),
                "belum_rekam_end": int(final_belum.loc[villages].sum()),
                "completion_week": done_week,
                "unreachable_sites": len(unreached),
            }
        )
    unreachable_frame = pd.DataFrame(
        [
            {
                "site_id": s,
                "kode_desa": site_village[s],
                "reason_code": r,
                "belum_rekam": int(final_belum.get(site_village[s], 0)),
            }
            for s, r in sorted(unreachable.items())
        ],
        columns=["site_id", "kode_desa", "reason_code", "belum_rekam"],
    )
    return Projection(
        weeks=weeks,
        completion=pd.DataFrame(completion_rows),
        stop=stop,
        start=start,
        until=until,
        target=target,
        unreachable=unreachable_frame,
        wall_seconds=round(time.perf_counter() - started, 1),
    )


def write_projection(proj: Projection, folder: Path, *, title: str = "") -> list[Path]:
    """Write ``proyeksi.csv``, ``selesai.csv``, ``proyeksi.xlsx`` and ``proyeksi.png``.

    ``folder`` should be the staging folder of :func:`planner.io.outputs.atomic_output_dir`.
    """

    weeks_csv = folder / "proyeksi.csv"
    proj.weeks.to_csv(weeks_csv, index=False)
    done_csv = folder / "selesai.csv"
    proj.completion.to_csv(done_csv, index=False)
    xlsx = folder / "proyeksi.xlsx"
    finished = proj.completion_date
    notes = pd.DataFrame(
        {
            "Catatan": [
                f"Proyeksi dari {proj.start.isoformat()} sampai paling lambat "
                f"{proj.until.isoformat()}; target {proj.target.isoformat()}.",
                f"Status akhir: {STOP_REASONS[proj.stop]}.",
                "Selesai seluruhnya: "
                + (finished.isoformat() if finished else "belum dalam batas proyeksi"),
                "Setiap minggu, perkiraan perekaman dikurangkan dari belum rekam (tidak pernah "
                "di bawah nol); desa yang sudah dikunjungi penuh memakai tingkat kehadiran "
                "kunjungan ulang.",
                "Minggu tanpa hari kerja (libur nasional, cuti bersama) dilewati dengan alasannya.",
                f"Waktu hitung: {proj.wall_seconds} detik.",
            ]
        }
    )
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        proj.weeks.to_excel(writer, sheet_name="Mingguan", index=False)
        proj.completion.to_excel(writer, sheet_name="Selesai", index=False)
        proj.unreachable.to_excel(writer, sheet_name="Tidak terjangkau", index=False)
        notes.to_excel(writer, sheet_name="Catatan", index=False)
    total = proj.completion[proj.completion["level"] == "total"]
    initial = int(total["belum_rekam_start"].iloc[0]) if len(total) else None
    figure = projection_figure(
        proj.weeks, proj.target, title or "Proyeksi belum rekam e-KTP", initial=initial
    )
    png = save_figure(figure, folder / "proyeksi.png")
    return [weeks_csv, done_csv, xlsx, png]
