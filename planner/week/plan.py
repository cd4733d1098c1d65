"""Plan one week: prepare, solve from the best start, finish (queue limits, day fill, schedule).

:func:`plan_week` is the entry point; :func:`finish_week` turns solved groups into the
:class:`~planner.week.types.WeekPlan` (itinerary, team-days, reasons, summary, meta).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date

from planner.io.region import depot_names
from planner.routing import objective_of_routes
from planner.routing.greedy import greedy_solve
from planner.travel.source import travel_source
from planner.week.disruptions import Disruptions
from planner.week.fill import fill_days
from planner.week.left_out import unplanned_sites
from planner.week.prepare import prepare_week
from planner.week.schedule import itinerary_rows, team_day_rows, week_summary
from planner.week.solve import SEARCH_FAILED, solve_groups, weighted_of
from planner.week.types import (
    GroupProblem,
    GroupResult,
    PinnedVisit,
    PreparedWeek,
    WeekInputs,
    WeekPlan,
)

FULL_GREEDY_START = True
"""Warm start from the greedy baseline over *every* chunk a group can reach, not only over
the pre-selected candidates (:func:`planner.week.prepare.prepare_week` ``greedy_floor``): the
planner then never plans a group below the baseline. Measured in BENCHMARKS.md section 12
("Full-greedy start"); ``False`` restores the older start for comparison."""


def start_routes(
    groups: Sequence[GroupProblem], start: WeekPlan | None = None, *, greedy: bool = True
) -> list[list[list[str]] | None]:
    """Start routes per group: the better of a start plan's routes and the greedy routes.

    Measured on the Banten week of 2017-11-13 (BENCHMARKS.md): starting each group from the
    greedy baseline's routes gave +1.9 % weighted recordings and -17 % km at the same budget.
    Groups with pinned visits start from scratch (the greedy does not handle locks).

    A group with a ``floor`` (the baseline greedy over every reachable chunk) offers its routes
    too, and the greedy over its ``preselected`` candidates alone (the start before the floor
    was added): on the four Banten weeks neither start led the search higher in every group.
    The best solver objective is chosen; :func:`keep_floor` then keeps the floor where the
    search ends below it.
    """

    by_vehicle: dict[str, list[str]] = {}
    if start is not None:
        for result in start.results:
            for route in result.solution.routes:
                by_vehicle[route.vehicle_id] = list(route.visit_ids)
    out: list[list[list[str]] | None] = []
    for group in groups:
        known = {c.chunk_id for c in group.chunks}
        options: list[list[list[str]]] = []
        if by_vehicle:
            options.append(
                [
                    [v for v in by_vehicle.get(td.vehicle_id, []) if v in known]
                    for td in group.team_days
                ]
            )
        if greedy and not any(c.locked_vehicle_id or c.alternatives for c in group.chunks):
            order = sorted(
                range(len(group.team_days)),
                key=lambda k: (group.team_days[k].day.date, group.team_days[k].team.id),
            )
            weights = [c.weight for c in group.chunks]
            found = greedy_solve(group.problem, weights=weights, order=order)
            options.append(found.route_visit_ids())
            if group.preselected is not None:
                options.append(_preselected_greedy(group, order))
        if any(c.locked_vehicle_id or c.alternatives for c in group.chunks):
            options.append(announced_routes(group))
        if greedy and group.floor is not None:
            options.append(group.floor.route_visit_ids())
        usable = [o for o in options if any(o)]
        out.append(
            min(usable, key=lambda o: objective_of_routes(group.problem, o)) if usable else None
        )
    return out


def _preselected_greedy(group: GroupProblem, order: Sequence[int]) -> list[list[str]]:
    """The warm-start greedy's routes over the group's pre-selected candidates only."""
    keep = set(group.preselected or ())
    visits = tuple(v for v in group.problem.visits if v.id in keep)
    shared = tuple(
        replace(c, visit_ids=ids)
        for c in group.problem.shared_capacities
        if (ids := tuple(v for v in c.visit_ids if v in keep))
    )
    problem = replace(group.problem, visits=visits, shared_capacities=shared)
    weight = {c.chunk_id: c.weight for c in group.chunks}
    found = greedy_solve(problem, weights=[weight[v.id] for v in visits], order=order)
    return found.route_visit_ids()


def _filled_weighted(
    result: GroupResult, expected: Mapping[str, int], max_per_day: int, fill: bool
) -> float:
    """Priority-weighted recordings of a solved group after the day fill (``fill``) or the
    queue-limit cut alone."""
    (filled,) = fill_days([result], expected, max_per_day, lengthen=fill)
    return weighted_of(filled.group, [v for r in filled.solution.routes for v in r.visit_ids])


def keep_floor(
    results: Sequence[GroupResult],
    expected: Mapping[str, int],
    max_per_day: int,
    *,
    fill: bool = True,
) -> list[GroupResult]:
    """Each group's solution, or its ``floor`` (the greedy baseline's) where that records more
    priority-weighted recordings once both are filled (:func:`planner.week.fill.fill_days`).

    The search may start from another greedy (:func:`start_routes`) and end below the floor,
    and the day fill lengthens visits into idle minutes, of which a greedy day can leave more.
    A group's sites belong to it alone, so each group is filled on its own as the week would
    fill it (``fill=False``: only the queue-limit cut, as :func:`finish_week` without fill):
    the week is never below the greedy baseline on any group.
    """
    out = []
    for result in results:
        floor = result.group.floor
        if floor is not None:
            base = GroupResult(result.group, floor)
            if _filled_weighted(base, expected, max_per_day, fill) > _filled_weighted(
                result, expected, max_per_day, fill
            ):
                result = base
        out.append(result)
    return out


def announced_routes(group: GroupProblem) -> list[list[str]]:
    """Every announced visit that can stay, on its team-day in announced order: a start that
    changes nothing the disruption did not break (the search moves the rest).

    The last part of each stay is left for the search to put back: a stay cut into parts with
    times rounded up may have lost a few minutes, and one infeasible route would make the
    solver discard the whole start.
    """
    vehicle_of = {td.vehicle_id: k for k, td in enumerate(group.team_days)}
    routes: list[list[tuple[int, str, str | None]]] = [[] for _ in group.team_days]
    for chunk in group.chunks:
        target = chunk.locked_vehicle_id or chunk.only_vehicle_id
        if target in vehicle_of and chunk.locked_position is not None:
            routes[vehicle_of[target]].append(
                (chunk.locked_position, chunk.chunk_id, chunk.announcement)
            )
    out = []
    for route in routes:
        ordered = sorted(route)
        last = {announced: cid for _, cid, announced in ordered}  # last part of each stay
        out.append(
            [
                cid
                for _, cid, announced in ordered
                if announced is None or last[announced] != cid or cid.endswith("-0")
            ]
        )
    return out


def finish_week(
    inputs: WeekInputs,
    prepared: PreparedWeek,
    results: Sequence[GroupResult],
    *,
    fill: bool = True,
) -> WeekPlan:
    """Schedule the solved groups and explain what is left out: the :class:`WeekPlan`.

    Every place is first held to its daily queue limit, all teams together; with ``fill``
    each day's free minutes then go to longer visits where residents are left
    (:func:`planner.week.fill.fill_days`).
    """
    region, registry, policy = inputs.region, inputs.registry, inputs.policy
    sites = prepared.sites
    expected = dict(zip(sites["site_id"], sites["expected"].astype(int), strict=True))
    results = fill_days(results, expected, policy.max_attendance_per_visit_day, lengthen=fill)
    port_names = {p.id: p.name for p in inputs.travel.ports}
    itinerary = itinerary_rows(results, sites, port_names)
    used = team_day_rows(results, depot_names(region), port_names)
    failed_groups = [r for r in results if r.solution.status in SEARCH_FAILED]
    failed_sites = {
        c.site_id: ", ".join(r.group.team_ids) for r in failed_groups for c in r.group.chunks
    }
    unplanned = unplanned_sites(sites, itinerary, prepared.excluded, failed_sites)
    summary = week_summary(itinerary, used, prepared.team_days, sites, unplanned, prepared.chunks)
    meta: dict[str, object] = {
        "region": region.key,
        "region_name": region.config.name,
        "week_start": inputs.week_start.isoformat(),
        "timezone": region.config.timezone_label,
        "teams": [t.id for t in inputs.teams.teams],
        "non_working_days": [{"date": d.isoformat(), "reason": r} for d, r in prepared.closed],
        "data_source": registry.source,
        "is_estimate": registry.is_estimate,
        "estimate_model": registry.estimate_model,
        "travel": travel_source(inputs.travel).as_dict(),
        "solver": policy.solver.model_dump(),
        "max_recordings_per_place_day": policy.max_attendance_per_visit_day,
        "chunk_size": dict(prepared.chunk_size),
        **({"bases": [c.as_dict() for c in prepared.bases]} if prepared.bases else {}),
        # groups whose search found nothing in time: their days run on the fallback routes
        "search_failed": [
            {"teams": list(r.group.team_ids), "fallback": r.solution.status} for r in failed_groups
        ],
        "groups": [
            {
                "teams": list(r.group.team_ids),
                "candidates": len(r.group.candidates),
                "dropped": len(r.solution.dropped),
                "status": r.solution.status,
                "objective": r.solution.objective,
                "warm_started": r.solution.warm_started,
                # re-planning: announced times could not be priced in this group's search
                "announced_times_dropped": r.solution.soft_windows_dropped,
                "wall_seconds": round(r.solution.wall_seconds, 2),
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
        all_team_days=prepared.team_days,
    )


def plan_week(
    inputs: WeekInputs,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    visited: Collection[str] | None = None,
    pinned: Sequence[PinnedVisit] = (),
    from_date: date | None = None,
    calendar_source: str = "calendar",
    start: WeekPlan | None = None,
    warm_start: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
    fill: bool = True,
    disruptions: Disruptions | None = None,
    changed_teams: Collection[str] = (),
    positions: Mapping[str, str] | None = None,
) -> WeekPlan:
    """Plan one week: decompose, pre-select, solve, schedule, explain what is left out.

    Parameters
    ----------
    inputs
        Region, classes, registry, teams, policy, week and travel model.
    workers
        Parallel processes for the decomposed groups (1 = in process).
    scheduler
        Dask scheduler address; solves the groups on that cluster instead.
    visited
        Site ids visited in earlier weeks (repeat-visit turnout).
    pinned
        Visits kept from an earlier plan (re-planning): same team, day and order.
    from_date
        Plan only the days from this date on (re-planning mid-week).
    calendar_source
        Where the calendar came from (the policy file), named in a "no working day" error.
    start
        A plan to start the search from (a scenario's base): its chunk sizes and routed chunks
        are reused, and a group never ends with fewer weighted recordings than its start.
    warm_start
        Also offer the greedy baseline's routes as a start (the better start is used); with
        :data:`FULL_GREEDY_START` the baseline over every reachable chunk is each group's
        ``floor``: no group ends below it (:func:`keep_floor`).
    progress
        Called with (stage, done, total) as groups are solved.
    fill
        Lengthen visits into each day's free minutes while their village has residents
        left (:func:`planner.week.fill.fill_days`); ``False`` keeps the solver's chunks as they are.
    disruptions, changed_teams, positions
        Re-planning after disruptions, and where each team slept the night before
        ``from_date``: see :func:`planner.week.prepare.prepare_week`.
    """

    start_sizes = start.meta.get("chunk_size") if start is not None else None
    routed = (
        [v for r in start.results for route in r.solution.routes for v in route.visit_ids]
        if start is not None
        else []
    )
    prepared = prepare_week(
        inputs,
        visited=visited,
        pinned=pinned,
        from_date=from_date,
        calendar_source=calendar_source,
        chunk_sizes=start_sizes if isinstance(start_sizes, dict) else None,
        include=routed,
        disruptions=disruptions,
        changed_teams=changed_teams,
        positions=positions,
        greedy_floor=warm_start and FULL_GREEDY_START,
    )
    groups = prepared.groups
    initial = start_routes(groups, start, greedy=warm_start) if (start or warm_start) else None
    done = 0

    def on_done(group: GroupProblem) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress("solve", done, len(groups))

    if progress is not None:
        progress("solve", 0, len(groups))  # inputs are checked: the search starts
    results = solve_groups(
        groups,
        inputs.policy.solver,
        workers=workers,
        scheduler=scheduler,
        initial=initial,
        on_done=on_done,
    )
    if progress is not None and workers > 1:
        progress("solve", len(groups), len(groups))
    sites = prepared.sites
    expected = dict(zip(sites["site_id"], sites["expected"].astype(int), strict=True))
    results = keep_floor(results, expected, inputs.policy.max_attendance_per_visit_day, fill=fill)
    week = finish_week(inputs, prepared, results, fill=fill)
    slots = max(1, min(workers, len(groups)))
    effective = max(1.0, inputs.policy.solver.time_limit_s * slots / max(1, len(groups)))
    effective *= len(groups) / slots
    if groups and effective > inputs.policy.solver.time_limit_s + 1e-9:
        # each part gets at least 1 s (shorter searches often find nothing): say so
        week.meta["time_limit_raised_to_s"] = round(effective, 1)
    return week
