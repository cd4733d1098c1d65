"""Run several scenarios on the same week and put them side by side.

The base (first) scenario is planned first. Every other scenario with the same demand (same
registry and the same policy apart from solver settings) starts its search from the base
plan's routes (:func:`~planner.scenarios.warmstart.plan_week_from`): a scenario that only
adds capacity is then never reported with fewer priority-weighted recordings than the base.

Scenarios run one after the other; each one solves its groups on ``workers`` processes. On a
small machine that is where parallelism helps: running whole scenarios side by side would
only split the same cores and halve every solver's time budget.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from planner.domain.config import AUTO_BASE, Policy, apply_overrides
from planner.geo.classify import ClassifiedVillages
from planner.io.region import Region
from planner.io.registry import Registry
from planner.scenarios.charts import comparison_figure, save_figure
from planner.scenarios.model import Scenario
from planner.scenarios.projection import Projection, project
from planner.scenarios.warmstart import plan_week_from
from planner.travel import TravelModel
from planner.week.types import WeekInputs, WeekPlan

TABLE_COLUMNS: dict[str, str] = {
    "key": "Kode",
    "name": "Skenario",
    "capacity_only": "Hanya menambah kapasitas",
    "warm_started": "Mulai dari rute dasar",
    "planned_recordings": "Perekaman/minggu",
    "weighted_recordings": "Rekaman berbobot",
    "capacity_bound": "Kapasitas (batas atas)",
    "utilisation": "Utilisasi",
    "share_pulau": "Pangsa pulau",
    "share_pesisir": "Pangsa pesisir",
    "share_perbatasan": "Pangsa perbatasan",
    "share_terpencil": "Pangsa terpencil",
    "km": "Km",
    "boat_hours": "Jam perahu",
    "nights_away": "Malam di luar",
    "team_days_used": "Hari-tim",
    "villages_visited": "Desa dikunjungi",
    "needs_boat_sites": "Lokasi perlu perahu",
    "weeks_to_completion": "Minggu sampai selesai",
    "weeks_method": "Metode",
    "cost_week": "Biaya/minggu (Rp)",
    "cost_per_recording": "Biaya/perekaman (Rp)",
    "wall_seconds": "Waktu hitung (dtk)",
}
"""Machine column → Indonesian header of the comparison table."""

WEEKS_METHODS: dict[str, str] = {
    "proyeksi": "proyeksi minggu demi minggu sampai selesai",
    "perkiraan": (
        "perkiraan kapasitas: minggu yang diproyeksikan + sisa perkiraan kehadiran di desa "
        "terjangkau ÷ rata-rata perekaman per minggu (tanpa kunjungan ulang dan libur)"
    ),
}
"""How ``weeks_to_completion`` was obtained."""


@dataclass(frozen=True)
class ScenarioRun:
    """One scenario's first-week plan and short projection."""

    scenario: Scenario
    plan: WeekPlan
    projection: Projection
    capacity_only: bool
    warm_started: bool


@dataclass(frozen=True)
class Comparison:
    """The comparison: one table row per scenario, and every run behind it."""

    table: pd.DataFrame
    runs: tuple[ScenarioRun, ...]
    week: date
    weeks: int


def same_demand(base: Scenario, other: Scenario) -> bool:
    """Same registry and same policy except the solver: the same sites and chunks."""
    a = base.policy.model_dump(exclude={"solver"})
    b = other.policy.model_dump(exclude={"solver"})
    return base.registry == other.registry and a == b


def adds_capacity_only(base: Scenario, other: Scenario) -> bool:
    """True when ``other`` keeps every base team and only adds teams, kits, days or speed.

    Each base team must keep its depot, overnight base and night places, modes and regencies;
    it may gain a boat, kits and working days, and lose minutes per record and set-up minutes.
    A team with ``base = "auto"`` never counts: more capacity may move where it sleeps.
    """
    if not same_demand(base, other):
        return False
    theirs = {t.id: t for t in other.teams.teams}
    for team in base.teams.teams:
        new = theirs.get(team.id)
        if new is None or AUTO_BASE in (team.base, new.base):
            return False
        if (new.depot, new.base, new.nights, new.modes, new.regencies) != (
            team.depot,
            team.base,
            team.nights,
            team.modes,
            team.regencies,
        ):
            return False
        if (team.boat and not new.boat) or new.kits < team.kits:
            return False
        if new.minutes_per_record > team.minutes_per_record:
            return False
        if new.setup_minutes > team.setup_minutes:
            return False
        if not set(team.working_days) <= set(new.working_days):
            return False
    return True


def with_solver(policy: Policy, overrides: dict[str, object]) -> Policy:
    """The policy with command-line solver settings on top (``None`` values ignored)."""
    given = {k: v for k, v in overrides.items() if v is not None}
    return apply_overrides(policy, {"solver": given}) if given else policy


def compare_scenarios(
    region: Region,
    classified: ClassifiedVillages,
    scenarios: Sequence[Scenario],
    week: date,
    travel: TravelModel,
    registry_for: Callable[[Scenario], Registry],
    *,
    weeks: int = 1,
    solver_overrides: dict[str, object] | None = None,
    workers: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
) -> Comparison:
    """Plan ``week`` (and project ``weeks`` weeks) for every scenario; the first is the base.

    Parameters
    ----------
    region, classified, travel
        The region, its classified villages and the travel model.
    scenarios
        Resolved scenarios; ``scenarios[0]`` is the base.
    week
        Monday of the week compared.
    registry_for
        The counts per village of a scenario (its registry file, or the estimate).
    weeks
        Weeks projected per scenario to find the weeks to completion; when the projection
        does not finish within them, the rest is a capacity-based estimate (``weeks_method``).
    solver_overrides
        Solver settings for every scenario (``time_limit_s`` per week, ``solution_limit``,
        ``seed``...).
    workers
        Processes for the groups of each week.
    progress
        Called with (scenario name, done, total).
    """
    overrides = solver_overrides or {}
    base = scenarios[0]
    base_plan: WeekPlan | None = None
    runs: list[ScenarioRun] = []
    rows: list[dict[str, object]] = []
    until = week + timedelta(days=7 * (max(1, weeks) - 1))
    for i, scenario in enumerate(scenarios):
        if progress is not None:
            progress(scenario.name, i, len(scenarios))
        started = time.perf_counter()
        policy = with_solver(scenario.policy, overrides)
        registry = registry_for(scenario)
        start = base_plan if i > 0 and same_demand(base, scenario) else None
        plan = plan_week_from(
            WeekInputs(region, classified, registry, scenario.teams, policy, week, travel),
            start=start,
            workers=workers,
        )
        if i == 0:
            base_plan = plan
        proj = project(
            region,
            classified,
            registry,
            scenario.teams,
            policy,
            week,
            until,
            travel,
            first=plan,
            workers=workers,
        )
        run = ScenarioRun(
            scenario=scenario,
            plan=plan,
            projection=proj,
            capacity_only=i > 0 and adds_capacity_only(base, scenario),
            warm_started=bool(plan.meta.get("warm_started")),
        )
        runs.append(run)
        rows.append(_row(run, time.perf_counter() - started))
    if progress is not None:
        progress("", len(scenarios), len(scenarios))
    table = pd.DataFrame(rows, columns=[*TABLE_COLUMNS, "description"])
    return Comparison(table=table, runs=tuple(runs), week=week, weeks=max(1, weeks))


def weeks_to_completion(proj: Projection) -> tuple[float | None, str]:
    """Weeks until done and how that was found (a key of :data:`WEEKS_METHODS`)."""
    weeks = proj.weeks
    if proj.stop == "selesai":
        return float(len(weeks)), "proyeksi"
    planned = weeks[weeks["status"] == "direncanakan"]
    per_week = float(planned["planned_recordings"].mean()) if len(planned) else 0.0
    if per_week <= 0 or planned.empty:
        return None, "perkiraan"
    left = float(planned["remaining_expected"].iloc[-1])
    return round(len(weeks) + left / per_week, 1), "perkiraan"


def _row(run: ScenarioRun, seconds: float) -> dict[str, object]:
    s = run.plan.summary
    shares = s["class_share"]
    assert isinstance(shares, dict)
    reasons = s["unplanned_by_reason"]
    assert isinstance(reasons, dict)
    used = run.plan.team_days
    boat_trips = int((used["boat_minutes"] > 0).sum()) if len(used) else 0
    km = float(str(s["km"]))
    planned = int(str(s["planned_recordings"]))
    lodging = float(str(s.get("lodging_idr", 0)))
    cost = run.scenario.costs.week_cost(km, boat_trips, int(str(s["team_days_used"])), lodging)
    weeks, method = weeks_to_completion(run.projection)
    return {
        "key": run.scenario.key,
        "name": run.scenario.name,
        "description": run.scenario.description,
        "capacity_only": run.capacity_only,
        "warm_started": run.warm_started,
        "planned_recordings": planned,
        "weighted_recordings": float(str(s["weighted_recordings"])),
        "capacity_bound": float(str(s["capacity_bound"])),
        "utilisation": float(str(s["utilisation"])),
        **{f"share_{c}": float(shares.get(c, 0.0)) for c in CLASSES},
        "km": km,
        "boat_hours": float(str(s["boat_hours"])),
        "nights_away": int(str(s.get("nights_away", 0))),
        "team_days_used": int(str(s["team_days_used"])),
        "villages_visited": int(str(s["villages_visited"])),
        "needs_boat_sites": int(reasons.get("needs_boat", 0)),
        "weeks_to_completion": weeks,
        "weeks_method": method,
        "cost_week": None if cost is None else round(cost),
        "cost_per_recording": None if cost is None or not planned else round(cost / planned),
        "wall_seconds": round(seconds, 1),
    }


CLASSES: tuple[str, ...] = ("pulau", "pesisir", "perbatasan", "terpencil")
"""Classes shown in the comparison (``perbatasan_kab`` is in the plans, not here)."""


def write_comparison(comparison: Comparison, folder: Path) -> list[Path]:
    """Write ``bandingkan.csv`` (machine columns), ``bandingkan.xlsx`` and ``bandingkan.png``.

    ``folder`` should be the staging folder of :func:`planner.io.outputs.atomic_output_dir`.
    """

    table = comparison.table
    csv = folder / "bandingkan.csv"
    table.to_csv(csv, index=False)
    xlsx = folder / "bandingkan.xlsx"
    people = table.rename(columns={**TABLE_COLUMNS, "description": "Keterangan"})
    people["Metode"] = table["weeks_method"].map(WEEKS_METHODS)
    notes = pd.DataFrame(
        {
            "Catatan": [
                f"Minggu dibandingkan: {comparison.week.isoformat()}; minggu diproyeksikan: "
                f"{comparison.weeks}",
                "Pangsa = bagian perekaman terjadwal di desa kelas itu (satu desa bisa "
                "termasuk beberapa kelas).",
                "Skenario yang hanya menambah kapasitas mulai dari rute skenario dasar, "
                "sehingga tidak pernah dilaporkan lebih buruk dari dasar.",
                "Biaya hanya dihitung bila [costs] diberikan (asumsi satuan biaya).",
                "Tanpa register, jumlah belum rekam per desa adalah estimasi.",
            ]
        }
    )
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        people.to_excel(writer, sheet_name="Perbandingan", index=False)
        notes.to_excel(writer, sheet_name="Catatan", index=False)
    png = save_figure(comparison_figure(table), folder / "bandingkan.png")
    return [csv, xlsx, png]
