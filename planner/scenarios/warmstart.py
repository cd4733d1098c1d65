"""A week plan that can start from another plan's routes (what-if scenarios).

:func:`plan_week_from` is :func:`planner.plan.plan_week` with three additions, so that a
scenario that only *adds* capacity (a team, a kit, a working day, faster kits) is never
reported worse than its base:

1. the chunk size of every site the start plan chunked is kept (same chunk ids, same
   recordings), so the start plan's visits exist in the new problem;
2. every chunk the start plan routed is a candidate of its group, whatever the pre-selection
   says;
3. each group's search starts from the start plan's routes, mapped by vehicle id
   (``team@date``) and visit id (``site#part``), through
   ``planner.routing.solve(initial_routes=...)``. If the search ends with fewer
   priority-weighted recordings than its start (it trades recordings for travel only when
   that pays in its objective), the start routes are kept instead.

Proposed hook in :mod:`planner.plan` (then this module shrinks to a call):
``plan_week(..., start: WeekPlan | None = None)`` that (a) takes the chunk size of a site from
``start.meta["chunk_size"]`` when ``start`` has it, (b) appends to each group's candidates the
chunks of ``start``'s routes that the pre-selection left out, (c) passes
``initial_routes=[start_routes.get(td.vehicle_id, []) filtered to the group's chunk ids for td
in group.team_days]`` per group through ``solve_groups(..., initial_routes=...)`` to
``planner.routing.solve``, keeping the start when the search ends with fewer weighted
recordings, and (d) stores ``meta["chunk_size"]`` and ``meta["warm_started"]``. Until then this
module mirrors the body of ``plan_week`` and re-uses :mod:`planner.weekplan`'s building blocks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from planner.config import Policy, SolverSettings, TeamsConfig, validate_teams_against
from planner.demand import site_demand
from planner.errors import ConfigError
from planner.geography import ClassifiedVillages
from planner.inputs import Registry
from planner.plan import CHUNK_MINUTES, WeekPlan, depot_places, round_trips, week_matrices
from planner.region import Region
from planner.routing import RoutingProblem, RoutingSolution, SolverOptions, solve
from planner.schedule import itinerary_rows, team_day_rows, unplanned_sites, week_summary
from planner.travel import TravelModel
from planner.weekplan import (
    Chunk,
    GroupProblem,
    GroupResult,
    build_group_problem,
    covering_regencies,
    make_chunks,
    preselect,
    require_working_days,
    solver_options,
    team_days_of_week,
    team_groups,
)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def routes_by_vehicle(plan: WeekPlan) -> dict[str, list[str]]:
    """Visit ids (chunk ids) per vehicle id of every used route of a plan."""
    out: dict[str, list[str]] = {}
    for result in plan.results:
        for route in result.solution.routes:
            if route.stops:
                out[route.vehicle_id] = list(route.visit_ids)
    return out


def chunk_sizes_of(plan: WeekPlan) -> dict[str, int]:
    """Chunk size per site of a plan (from its meta, or recovered from its chunks)."""
    stored = plan.meta.get("chunk_size")
    if isinstance(stored, dict):
        return {str(k): int(v) for k, v in stored.items()}
    out: dict[str, int] = {}
    expected = dict(zip(plan.sites["site_id"], plan.sites["expected"], strict=True))
    for result in plan.results:
        for chunk in result.group.chunks:
            out[chunk.site_id] = math.ceil(int(expected[chunk.site_id]) / chunk.parts)
    return out


def weighted_of(group: GroupProblem, visit_ids: Sequence[str]) -> float:
    """Priority-weighted recordings of the given visits (chunks) of a group."""
    chunks = {c.chunk_id: c for c in group.chunks}
    return float(sum(chunks[v].weight * chunks[v].recordings for v in visit_ids if v in chunks))


def _solve_task(
    args: tuple[RoutingProblem, SolverOptions, list[list[str]] | None],
) -> RoutingSolution:
    problem, options, initial = args
    return solve(problem, options, initial_routes=initial)


def _keep_start(
    group: GroupProblem, options: SolverOptions, initial: list[list[str]]
) -> RoutingSolution:
    """The start routes as a solution: a warm start stopped at its first solution."""
    keep = SolverOptions(
        time_limit_s=max(1.0, options.time_limit_s or 1.0),
        solution_limit=1,
        first_solution=options.first_solution,
        metaheuristic="GREEDY_DESCENT",
        seed=options.seed,
    )
    return solve(group.problem, keep, initial_routes=initial)


def solve_groups_from(
    groups: Sequence[GroupProblem],
    settings: SolverSettings,
    initial: Sequence[list[list[str]] | None],
    *,
    workers: int = 1,
) -> list[GroupResult]:
    """:func:`planner.weekplan.solve_groups` with initial routes per group (local pool only)."""
    if not groups:
        return []
    slots = max(1, min(workers, len(groups)))
    per_group = max(1.0, settings.time_limit_s * slots / len(groups))
    tasks = [
        (g.problem, solver_options(settings, per_group), init)
        for g, init in zip(groups, initial, strict=True)
    ]
    if slots > 1:
        with ProcessPoolExecutor(max_workers=slots) as pool:
            solutions = list(pool.map(_solve_task, tasks))
    else:
        solutions = [_solve_task(t) for t in tasks]
    out = []
    for group, (_, options, init), solution in zip(groups, tasks, solutions, strict=True):
        if init is not None and solution.warm_started:
            found = weighted_of(group, [v for r in solution.routes for v in r.visit_ids])
            if found < weighted_of(group, [v for r in init for v in r]):
                # the search traded recordings for travel: keep the start routes
                kept = _keep_start(group, options, init)
                if weighted_of(group, [v for r in kept.routes for v in r.visit_ids]) >= found:
                    solution = kept
        out.append(solution)
    return [GroupResult(g, s) for g, s in zip(groups, out, strict=True)]


def plan_week_from(
    region: Region,
    classified: ClassifiedVillages,
    registry: Registry,
    teams: TeamsConfig,
    policy: Policy,
    week_start: date,
    travel: TravelModel,
    *,
    start: WeekPlan | None = None,
    workers: int = 1,
    visited: set[str] | None = None,
) -> WeekPlan:
    """Plan one week like :func:`planner.plan.plan_week`, optionally from ``start``'s routes.

    Parameters
    ----------
    region, classified, registry, teams, policy, week_start, travel, workers, visited
        As for :func:`planner.plan.plan_week`.
    start
        A plan of the same week, registry and policy with *fewer or equal* resources (the
        base of a scenario). Its chunking is kept, its routed chunks are always candidates,
        and its routes are the search's starting point. ``None`` plans from scratch (the
        result is then the one ``plan_week`` gives).

    Returns
    -------
    WeekPlan
        ``meta["chunk_size"]`` holds the chunk size per site; ``meta["warm_started"]`` the
        number of groups whose search started from ``start``.
    """
    depot_regency = dict(
        zip(
            region.depots["depot_id"].astype(str),
            region.depots["kode_kab"].astype(str),
            strict=True,
        )
    )
    problems = validate_teams_against(teams, depot_regency.keys(), region.config.regency_codes)
    if problems:
        raise ConfigError(problems)
    team_days, closed = team_days_of_week(teams, policy, week_start, region.config.timezone)
    require_working_days(team_days, closed)
    sites = site_demand(
        classified.villages,
        classified.sites,
        registry.counts,
        turnout=policy.turnout,
        repeat_turnout=policy.repeat_turnout,
        ghost_share=policy.ghost_share,
        class_weight=policy.class_weights.weight,
        vulnerable_weights=policy.vulnerable_weights.model_dump(),
        visited=visited or (),
    )
    with_demand = sites[sites["expected"] > 0].reset_index(drop=True)
    team_list = list(teams.teams)
    place_ids, full_matrices = week_matrices(team_list, with_demand, depot_places(region), travel)
    trips = round_trips(team_list, place_ids, full_matrices, with_demand["site_id"].tolist())
    best_day = {t.id: 0.0 for t in team_list}
    for td in team_days:
        best_day[td.team.id] = max(best_day[td.team.id], td.working_minutes)

    kept_size = chunk_sizes_of(start) if start is not None else {}
    excluded: dict[str, tuple[str, dict[str, object]]] = {}
    chunk_size: dict[str, int] = {}
    for site in _records(with_demand):
        kab = site["kode_kab"]
        covering = [t for t in team_list if kab in covering_regencies(t, depot_regency)]
        if not covering:
            excluded[site["site_id"]] = ("no_team", {})
            continue
        island = isinstance(site["island"], str) and bool(site["island"])
        if island and not any(t.boat for t in covering):
            excluded[site["site_id"]] = ("needs_boat", {})
            continue
        if site["expected"] < policy.min_visit_size:
            excluded[site["site_id"]] = ("below_minimum", {"minimum": policy.min_visit_size})
            continue
        rate, fits, shortest = 0.0, False, math.inf
        smallest = min(policy.min_visit_size, float(site["expected"]))
        for team in covering:
            trip = trips[team.id][site["site_id"]]
            shortest = min(shortest, trip)
            free = best_day[team.id] - team.setup_minutes - trip
            if np.isfinite(free) and free >= smallest * team.minutes_per_record / team.kits:
                fits = True
                rate = max(rate, team.kits / team.minutes_per_record)
        if not fits:
            excluded[site["site_id"]] = ("no_day_fits", {"round_trip": shortest})
            continue
        size = max(int(policy.min_visit_size), int(rate * CHUNK_MINUTES))
        size = min(size, policy.max_attendance_per_visit_day)
        chunk_size[site["site_id"]] = kept_size.get(site["site_id"], size)

    offered = with_demand[with_demand["site_id"].isin(list(chunk_size))]
    chunks = make_chunks(offered, lambda s: chunk_size[str(s["site_id"])], policy.min_visit_size)
    start_routes = routes_by_vehicle(start) if start is not None else {}
    start_chunks = {c for route in start_routes.values() for c in route}

    groups: list[GroupProblem] = []
    initial: list[list[list[str]] | None] = []
    site_kab = dict(zip(sites["site_id"], sites["kode_kab"], strict=True))
    for index, members in enumerate(team_groups(team_list, depot_regency)):
        regs = set().union(*(covering_regencies(t, depot_regency) for t in members))
        ids = {t.id for t in members}
        days = [td for td in team_days if td.team.id in ids]
        if not days:
            continue
        mine = [c for c in chunks if site_kab[c.site_id] in regs]
        nearest = {c.site_id: min(trips[t.id][c.site_id] for t in members) / 2.0 for c in mine}
        mpr = float(np.mean([t.minutes_per_record for t in members]))
        setup = float(np.mean([t.setup_minutes for t in members]))
        kits = float(np.mean([t.kits for t in members]))

        def service(c: Chunk, mpr: float = mpr, setup: float = setup, kits: float = kits) -> float:
            return setup + c.recordings * mpr / kits

        capacity = sum(td.capacity_recordings for td in days)
        candidates = preselect(mine, sites, capacity, nearest, service)
        chosen = {c.chunk_id for c in candidates}
        forced = [c for c in mine if c.chunk_id in start_chunks and c.chunk_id not in chosen]
        candidates = sorted([*candidates, *forced], key=lambda c: c.chunk_id)
        if not candidates:
            continue
        group = build_group_problem(
            index, members, days, candidates, sites, depot_regency, full_matrices
        )
        groups.append(group)
        known = {c.chunk_id for c in candidates}
        routes = [[c for c in start_routes.get(td.vehicle_id, []) if c in known] for td in days]
        initial.append(routes if any(routes) else None)

    settings = policy.solver
    results = solve_groups_from(groups, settings, initial, workers=workers)
    itinerary = itinerary_rows(results, sites)
    used = team_day_rows(results)
    unplanned = unplanned_sites(sites, itinerary, excluded)
    summary = week_summary(itinerary, used, team_days, sites, unplanned, chunks)
    meta: dict[str, object] = {
        "region": region.key,
        "region_name": region.config.name,
        "week_start": week_start.isoformat(),
        "timezone": region.config.timezone_label,
        "teams": [t.id for t in team_list],
        "non_working_days": [{"date": d.isoformat(), "reason": r} for d, r in closed],
        "data_source": registry.source,
        "is_estimate": registry.is_estimate,
        "estimate_model": registry.estimate_model,
        "solver": settings.model_dump(),
        "chunk_size": chunk_size,
        "warm_started": sum(r.solution.warm_started for r in results),
        "groups": [
            {
                "teams": list(r.group.team_ids),
                "candidates": len(r.group.candidates),
                "dropped": len(r.solution.dropped),
                "status": r.solution.status,
                "objective": r.solution.objective,
                "wall_seconds": round(r.solution.wall_seconds, 2),
                "warm_started": r.solution.warm_started,
            }
            for r in results
        ],
    }
    return WeekPlan(
        itinerary=itinerary,
        team_days=used,
        unplanned=unplanned,
        sites=sites,
        summary=summary,
        meta=meta,
        results=tuple(results),
        all_team_days=tuple(team_days),
    )
