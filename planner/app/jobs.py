"""End-to-end jobs shared by the CLI, notebooks and tests: region → classes → demand → outputs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from planner.core import interrupt
from planner.core.errors import ConfigError
from planner.domain.config import AUTO_BASE, TeamsConfig
from planner.geo.estimate import estimate_registry, load_demand
from planner.geo.locate import DemandSource, LocateResult, build_result
from planner.geo.region_classes import classify_region_cached
from planner.io.outputs import atomic_output_dir, check_output_dir
from planner.io.plan_config import load_plan_config
from planner.io.region import load_region
from planner.io.registry import Registry, save_registry_csv
from planner.present.locate_outputs import write_locate_outputs
from planner.present.reports import write_plan_reports
from planner.present.reports.changes import write_change_reports
from planner.travel.regional import travel_model_for, with_travel
from planner.week.audit import check_plan_before_writing
from planner.week.bases import with_bases
from planner.week.changes import change_counts, schedule_changes
from planner.week.disruptions import parse_disruptions
from planner.week.plan import plan_week
from planner.week.plan_file import write_itinerary_csv, write_plan_json, write_run_json
from planner.week.replan import changed_teams, prepare_replan
from planner.week.types import WeekInputs, WeekPlan


def run_locate(
    region_name: str,
    out: Path,
    *,
    registry: Path | None = None,
    seed: int = 0,
    roads: Path | None = None,
    travel_matrix: Path | None = None,
) -> tuple[LocateResult, list[Path]]:
    """``jemput locate``: classify, join counts and write every output into ``out``.

    ``roads``/``travel_matrix`` replace the region's travel model (the ``terpencil`` class).
    """
    check_output_dir(out, "locate")  # refuse a wrong --out before the work, not after
    region = with_travel(load_region(region_name), roads=roads, matrix=travel_matrix)
    # a user registry is validated before the (slower) classification: bad input fails fast
    user_registry = None if registry is None else load_demand(region, None, registry, seed)
    classified = classify_region_cached(region)
    demand = user_registry or load_demand(region, classified, None, seed)
    source = DemandSource(
        name=demand.source,
        is_estimate=demand.is_estimate,
        model=demand.estimate_model,
        notes=tuple(demand.notes),
    )
    result = build_result(region.key, region.config.name, classified, demand.counts, source)
    written = write_locate_outputs(result, out, depots=region.depots, ports=region.ports)
    return result, written


def write_estimate_registry(
    region_name: str, out: Path, *, as_of: str | None = None, seed: int = 0
) -> Registry:
    """``jemput estimate-registry``: write the estimate as a registry CSV."""
    if out.is_dir():
        raise ConfigError(f"--out {out}: is a folder; give the name of the CSV file to write")
    region = load_region(region_name)
    classified = classify_region_cached(region)
    registry = estimate_registry(region, classified, seed=seed, as_of=as_of)
    save_registry_csv(registry, out)
    return registry


def team_settings(teams: TeamsConfig) -> dict[str, dict[str, Any]]:
    """Each team's settings as written to ``plan.json`` (a re-plan sees what changed)."""
    return {t.id: t.model_dump(mode="json") for t in teams.teams}


def run_plan(
    region_name: str,
    week: date,
    out: Path,
    *,
    teams_path: Path | None = None,
    policy_path: Path | None = None,
    registry: Path | None = None,
    solver_overrides: dict[str, object] | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    lock: Path | None = None,
    done: Path | Sequence[Path] | None = None,
    from_date: date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    roads: Path | None = None,
    travel_matrix: Path | None = None,
    road_engine: str | None = None,
    absent: Sequence[str] = (),
    closed: Sequence[str] = (),
    no_boat: Sequence[str] = (),
    assume_done: bool = False,
) -> WeekPlan:
    """``jemput plan``: plan a week and write every output into ``out`` atomically.

    With ``lock`` (an earlier ``plan.json``), ``done`` (``selesai.csv`` and/or a filled-in
    ``jadwal.xlsx``) and ``from_date``, the week is re-planned from that date, after the
    disruptions ``absent``, ``closed`` and ``no_boat`` (flag values, see
    :func:`planner.week.disruptions.parse_disruptions`): see :mod:`planner.week.replan`.
    ``roads`` (an OSM extract), ``travel_matrix`` (a CSV) and ``road_engine`` replace
    ``[travel]`` of the region.
    """
    import time

    started = time.perf_counter()
    check_output_dir(out, "plan")  # refuse a wrong --out before the solve, not after
    region = with_travel(
        load_region(region_name), roads=roads, matrix=travel_matrix, engine=road_engine
    )
    teams, policy = load_plan_config(region, teams_path, policy_path, solver_overrides or {})
    user_registry = None if registry is None else load_demand(region, None, registry, 0)
    if progress is not None:
        progress("classify", 0, 1)
    classified = classify_region_cached(region, policy.terpencil_minutes)
    demand = user_registry or load_demand(region, classified, None, policy.solver.seed)
    replanning = bool(done) or from_date is not None or bool(absent or closed or no_boat)
    if lock is None and (replanning or assume_done):
        raise ConfigError(
            "--done, --from, --absent, --closed, --no-boat and --assume-done need "
            "--lock PLAN.json (the plan being revised)"
        )
    replan = None
    disruptions, changed = None, frozenset[str]()
    if lock is not None:
        if from_date is None:
            raise ConfigError("--lock needs --from DATE: the first day to re-plan")
        replan = prepare_replan(
            demand,
            lock,
            done,
            from_date,
            region_key=region.key,
            week_start=week,
            assume_done=assume_done,
        )
        demand = replan.registry
        disruptions = parse_disruptions(
            absent=absent,
            closed=closed,
            no_boat=no_boat,
            team_ids={*replan.team_ids, *(t.id for t in teams.teams)},
            week_start=week,
            from_date=from_date,
        )
        changed = changed_teams(replan, team_settings(teams))

        # keep where the "auto" teams sleep this week: a re-plan must not move them
        keep = {
            t.id: replan.bases[t.id]
            for t in teams.teams
            if t.base == AUTO_BASE and t.id in replan.bases
        }
        teams = with_bases(
            teams,
            keep,
            {t: replan.base_days.get(t) for t in keep},
            {t: replan.base_nights.get(t) for t in keep},
        )
    travel = travel_model_for(region)
    inputs = WeekInputs(region, classified, demand, teams, policy, week, travel)
    plan = plan_week(
        inputs,
        workers=workers,
        scheduler=scheduler,
        visited=replan.visited if replan else None,
        pinned=replan.pinned if replan else (),
        from_date=replan.from_date if replan else None,
        calendar_source=str(policy_path) if policy_path else "default calendar",
        progress=progress,
        disruptions=disruptions,
        changed_teams=changed,
        positions=replan.positions if replan else None,
    )
    plan.meta["team_settings"] = team_settings(teams)
    if demand.notes:
        plan.meta["registry_notes"] = list(demand.notes)

    if interrupt.interrupted_by() is not None:  # a first Ctrl-C: the best plan so far
        plan.meta["interrupted"] = interrupt.interrupted_by()
    if replan is not None:
        plan.meta["replanned_from"] = replan.from_date.isoformat()
        plan.meta["done"] = list(replan.done)
        plan.meta["unreported"] = list(replan.unreported)
        if disruptions is not None and not disruptions.empty:
            plan.meta["disruptions"] = disruptions.as_dict()
        plan.meta["changed_teams"] = sorted(changed)
        sites = plan.sites
        islands = sites.loc[sites["island"].notna() & (sites["island"] != ""), "site_id"]
        changes = schedule_changes(
            replan.announced,
            plan.itinerary,
            unreported=replan.unreported,
            disruptions=disruptions,
            changed_teams=changed,
            island_sites=set(islands.astype(str)),
        )
        plan.meta["changes"] = changes
        plan.meta["change_counts"] = change_counts(changes, len(replan.announced))
    # the written form of the plan, re-derived from the rules alone; a failure writes nothing
    check_plan_before_writing(
        plan,
        inputs,
        replan.pinned if replan else (),
        disruptions=disruptions,
        changed_teams=changed,
    )
    with atomic_output_dir(out, "plan") as tmp:
        write_plan_json(plan, tmp / "plan.json")
        write_itinerary_csv(plan, tmp / "itinerary.csv")
        write_plan_reports(plan, region, classified, tmp, travel=travel)
        if replan is not None:
            write_change_reports(plan, tmp)
        write_run_json(plan, tmp / "run.json", time.perf_counter() - started)
    return plan
