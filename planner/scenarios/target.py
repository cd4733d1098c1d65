"""``jemput target``: the cheapest ways to be done by a deadline, searched fast, then confirmed.

1. One real week plan of the base teams (:func:`plan_week_from`, the week of ``start``)
   calibrates the surrogate (:mod:`planner.scenarios.target_surrogate`) per team group.
2. The surrogate searches, per option family and team group, the cheapest levers (added
   teams by kind, kits, Saturdays, overnight stays, chartered boats:
   :mod:`planner.scenarios.target_levers`) that finish the target area (a regency, a class,
   both, or everything) by the deadline, costed with :class:`TargetCosts`; where nothing
   finishes, the option that leaves the fewest residents.
3. The real planner (:func:`planner.scenarios.projection.project`, as ``jemput project``)
   confirms the top options: both numbers are reported, with the time each took.

Each option is a scenario (:class:`~planner.scenarios.model.ScenarioFile`) built from the
same overrides the surrogate scored, so its written TOML replays with ``jemput project
--scenario`` to the confirmed completion. The result types are in
:mod:`planner.scenarios.target_types`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

from planner.core.errors import ConfigError
from planner.domain.config import TeamsConfig
from planner.geo.classify import CLASS_NAMES
from planner.geo.region_classes import classify_region_cached
from planner.io.plan_config import default_teams_path
from planner.io.region import Region, load_region
from planner.scenarios.compare import with_solver
from planner.scenarios.model import Scenario, ScenarioFile, base_scenario, resolve_scenario
from planner.scenarios.run import registry_loader
from planner.scenarios.target_calibration import FLEET_STEPS, calibrate, calibrate_fleets
from planner.scenarios.target_confirm import (
    Shared,
    confirm_options,
    confirmed_numbers,
    stop_area,
)
from planner.scenarios.target_costs import TargetCosts, load_target_costs
from planner.scenarios.target_levers import (
    FAMILIES,
    Evaluated,
    GroupSearch,
    apply_levers,
    group_regencies,
)
from planner.scenarios.target_surrogate import Campaign, build_campaign, simulate
from planner.scenarios.target_types import Confirmed, TargetOption, TargetResult
from planner.scenarios.warmstart import plan_week_from
from planner.travel.regional import travel_model_for
from planner.week.types import WeekInputs

DEFAULT_SOLVER: dict[str, object] = {"time_limit_s": 60.0, "solution_limit": 1}
"""Solver settings of the confirmation, as ``jemput project``'s defaults (replayable)."""


def area_label(region: Region, kabupaten: str | None, klass: str | None) -> str:
    """Indonesian name of the target area."""
    parts = []
    if kabupaten:
        names = dict(zip(region.regencies["kode"], region.regencies["nama"], strict=True))
        parts.append(f"{names.get(kabupaten, kabupaten)} ({kabupaten})")
    if klass:
        parts.append(f"desa kelas {klass}")
    return ", ".join(parts) if parts else f"seluruh {region.config.name}"


def _area_problems(region: Region, kabupaten: str | None, klass: str | None) -> list[str]:
    problems = []
    if kabupaten and kabupaten not in region.config.regency_codes:
        problems.append(
            f"--kabupaten: '{kabupaten}' is not a regency of {region.key} "
            f"(regencies: {', '.join(region.config.regency_codes)})"
        )
    if klass and klass not in CLASS_NAMES:
        problems.append(f"--class: '{klass}' is not a village class ({', '.join(CLASS_NAMES)})")
    return problems


def option_scenario(
    region: Region,
    option: TargetOption,
    path: Path,
    *,
    teams_file: Path | None,
    policy_file: Path | None,
) -> Scenario:
    """The option as a resolved scenario (what its TOML at ``path`` resolves to)."""
    file = ScenarioFile(
        path=path,
        name=option.name,
        description=option.description,
        teams_file=teams_file,
        policy_file=policy_file,
        registry=None,
        teams=option.overrides,
    )
    return resolve_scenario(
        file,
        default_teams=default_teams_path(region),
        depot_ids=region.depots["depot_id"].astype(str).tolist(),
        regency_codes=list(region.config.regency_codes),
    )


def find_target(
    region_name: str,
    start: date,
    until: date,
    *,
    teams_file: Path | None = None,
    policy_file: Path | None = None,
    kabupaten: str | None = None,
    klass: str | None = None,
    costs_file: Path | None = None,
    confirm: int = 2,
    solver_overrides: dict[str, object] | None = None,
    seed: int = 0,
    workers: int = 1,
    fleet_steps: tuple[float, ...] = FLEET_STEPS,
    confirm_parallel: bool = True,
    progress: Callable[[str], None] | None = None,
) -> TargetResult:
    """Search the cheapest options to finish an area by ``until``; confirm the top ones.

    Parameters
    ----------
    region_name
        Bundled region name or region folder.
    start, until
        Monday of the first week and the deadline (the last week is the one holding it).
    teams_file, policy_file
        The base teams and policy (default: the region's example teams, default policy).
    kabupaten, klass
        Target area: a regency code ``PP.KK``, a village class, both, or neither (all).
    costs_file
        Unit costs (default ``examples/target_costs.toml``).
    confirm
        How many of the top options the real planner projects (0: surrogate only).
    solver_overrides
        Solver settings of the calibration week and the confirmations (default
        :data:`DEFAULT_SOLVER`, as ``jemput project``).
    seed, workers
        Seed (estimate and solver) and processes per planned week.
    fleet_steps
        Added car teams per base team of the fleets whose real first week calibrates how
        much added capacity yields
        (:func:`~planner.scenarios.target_calibration.fit_fleet_factors`); ``()`` calibrates
        on the base week alone.
    confirm_parallel
        Confirm the options in parallel processes when ``workers >= 2``
        (:func:`~planner.scenarios.target_confirm.confirm_options`).
    progress
        Called with a short Indonesian message at each stage.

    Returns
    -------
    TargetResult
        Options ranked: those done by the deadline first, cheapest first; then the rest,
        fewest residents left first.
    """
    say = progress or (lambda _msg: None)
    if until < start:
        raise ConfigError(f"--until {until.isoformat()} is before --from {start.isoformat()}")
    problems: list[str] = []
    costs = TargetCosts()
    try:
        costs = load_target_costs(costs_file)
    except ConfigError as exc:
        problems += exc.problems
    region = load_region(region_name)
    problems += _area_problems(region, kabupaten, klass)
    if problems:
        raise ConfigError(problems)
    base_file = base_scenario(default_teams_path(region))
    base_file = ScenarioFile(
        path=base_file.path,
        name=base_file.name,
        description=base_file.description,
        teams_file=teams_file.resolve() if teams_file else None,
        policy_file=policy_file.resolve() if policy_file else None,
        registry=None,
    )
    base = resolve_scenario(
        base_file,
        default_teams=default_teams_path(region),
        depot_ids=region.depots["depot_id"].astype(str).tolist(),
        regency_codes=list(region.config.regency_codes),
    )
    given = {k: v for k, v in (solver_overrides or {}).items() if v is not None}
    solver = {"seed": seed, **DEFAULT_SOLVER, **given}
    policy = with_solver(base.policy, solver)
    classified = classify_region_cached(region, policy.terpencil_minutes)
    registry = registry_loader(region, seed)(base)
    travel = travel_model_for(region)
    t0 = time.perf_counter()
    say("Merencanakan satu minggu nyata untuk kalibrasi")
    week = plan_week_from(
        WeekInputs(region, classified, registry, base.teams, policy, start, travel),
        workers=workers,
    )
    campaign = build_campaign(region, classified, registry, policy, start, until, travel)
    campaign.calibration = calibrate(campaign, base.teams, week)
    real_week = week.itinerary.groupby("team_id")["expected_recordings"].sum()
    fleet_week: dict[str, dict[str, float]] = {}
    if fleet_steps:
        say("Merencanakan minggu nyata dengan tim tambahan untuk kalibrasi")
        fleet_week = calibrate_fleets(
            campaign,
            WeekInputs(region, classified, registry, base.teams, policy, start, travel),
            fleet_steps,
            workers=workers,
        )
    target = campaign.target_mask(kabupaten, klass)
    say("Mencari pilihan dengan model cepat (surrogate)")
    options, evaluations = _search(campaign, base.teams, target, costs)
    options = [_with_base_calibration(campaign, base.teams, o, target) for o in options]
    search_seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    chosen = options[: max(0, confirm)]
    scenarios = [
        option_scenario(
            region,
            option,
            Path(f"{option.key}.toml"),
            teams_file=base_file.teams_file,
            policy_file=base_file.policy_file,
        )
        for option in chosen
    ]
    shared = Shared(
        region,
        classified,
        registry,
        travel,
        start,
        until,
        area=stop_area(classified, kabupaten, klass),
    )

    def announce(i: int) -> None:
        say(f"Memastikan pilihan {i + 1}/{len(chosen)}: {chosen[i].name}")

    projections = confirm_options(
        shared,
        [(sc.teams, with_solver(sc.policy, solver)) for sc in scenarios],
        workers=workers,
        parallel=confirm_parallel,
        progress=announce,
    )
    confirmed_options = list(options)
    for rank, (proj, seconds) in enumerate(projections):
        left, done, unreachable = confirmed_numbers(proj, kabupaten, klass)
        confirmed_options[rank] = replace(
            options[rank], confirmed=Confirmed(left, done, unreachable, seconds, proj)
        )
    return TargetResult(
        region=region.key,
        region_name=region.config.name,
        start=start,
        until=until,
        kabupaten=kabupaten,
        klass=klass,
        area=area_label(region, kabupaten, klass),
        options=tuple(confirmed_options),
        calibration=dict(campaign.calibration),
        calibration_week={str(k): float(v) for k, v in real_week.items()},
        costs=costs,
        search_seconds=round(search_seconds, 1),
        confirm_seconds=round(time.perf_counter() - t1, 1),
        evaluations=evaluations,
        is_estimate=registry.is_estimate,
        teams_file=base_file.teams_file,
        policy_file=base_file.policy_file,
        scaling=dict(campaign.scaling),
        scaling_own=dict(campaign.scaling_own),
        fleet_week=fleet_week,
    )


def _with_base_calibration(
    campaign: Campaign, base: TeamsConfig, option: TargetOption, target: np.ndarray
) -> TargetOption:
    """The option with what the surrogate calibrated on the base week alone gives, and the
    weekly recordings of both surrogates (all sites of the option's teams)."""
    teams, _ = apply_levers(base, dict(option.levers))
    plain = simulate(campaign, teams.teams, target, calibration=campaign.calibration)
    fleet = simulate(campaign, teams.teams, target)
    return replace(
        option, left_base=float(round(plain.left)), weekly=fleet.weekly, weekly_base=plain.weekly
    )


def _search(
    campaign: Campaign, base: TeamsConfig, target: np.ndarray, costs: TargetCosts
) -> tuple[list[TargetOption], int]:
    """Every family's option (plus the base), ranked; and the surrogate runs it took."""
    searches = [GroupSearch(campaign, base, regs, target, costs) for regs in group_regencies(base)]
    searches = [s for s in searches if s.target.any()]
    if not searches:
        raise ConfigError("the target area has no visit site that a team of the base covers")
    found: dict[tuple[tuple[tuple[str, str], int], ...], TargetOption] = {}
    for family, (name, allowed) in [("dasar", ("Dasar (tanpa tambahan)", ())), *FAMILIES.items()]:
        parts: list[Evaluated] = [
            s.search(allowed) if allowed else s.evaluate({}) for s in searches
        ]
        levers = tuple(sorted(lv for p in parts for lv in p.levers))
        if levers in found:
            continue
        _, overrides = apply_levers(base, dict(levers))
        cost_parts: dict[str, float] = {}
        for p in parts:
            for kind, value in p.parts:
                cost_parts[kind] = cost_parts.get(kind, 0.0) + value
        weeks = [p.run.done_week for p in parts]
        found[levers] = TargetOption(
            key=family,
            name=name,
            family=family,
            levers=levers,
            overrides=overrides,
            cost=round(sum(cost_parts.values())),
            cost_parts={k: round(v) for k, v in cost_parts.items()},
            left=round(sum(p.run.left for p in parts)),
            done_week=None if None in weeks else max(w for w in weeks if w is not None),
            unreachable=sum(p.run.unreachable for p in parts),
        )
    ranked = sorted(
        found.values(),
        key=lambda o: (not o.done, o.cost if o.done else o.left, o.cost, o.key),
    )
    return ranked, sum(s.evaluations for s in searches)
