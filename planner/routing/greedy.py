"""Greedy construction of routes on a plain routing problem: the yardstick and the warm start.

Each vehicle (team-day), in the given order, leaves its start at shift start and repeatedly
takes the best visit that still fits in the day (travel + set-up on arrival + service, the
break in its window, back at its end node by shift end), until nothing fits. "Best" is one of
two rules:

``density`` (default)
    Most priority-weighted recordings per minute spent to get there and do it:
    ``weight x recordings / (travel incl. set-up + service)``: "nearest highest-priority" as a
    dispatcher would weigh it.
``priority``
    Highest priority weight first (per recording, in tiers of 0.1 so that estimate noise does
    not split a class), the nearest of those.

The result is a :class:`~planner.routing.RoutingSolution` that
:func:`planner.routing.check_solution` accepts."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

import planner.routing.integer as integer
from planner.routing.check import objective_of_routes
from planner.routing.problem import RoutingProblem, Vehicle
from planner.routing.solution import Route, RoutingSolution, ScheduledBreak, Stop

Rule = Literal["density", "priority"]
"""How the greedy picks the next chunk (see the module docstring)."""


GREEDY_STATUS = "GREEDY"
"""Status of a greedy solution (in place of the OR-Tools status name)."""


PRIORITY_TIER = 0.1
"""Width of a priority tier of the ``priority`` rule, in weight per recording."""


@dataclass(frozen=True)
class _Day:
    """A vehicle's day in the solver's integer time units (see :mod:`planner.routing.integer`).

    Rounded the way the solver rounds (durations and starts up, ends down), so that greedy
    routes are feasible for the solver too and can warm-start it.
    """

    start: int
    end: int
    end_node: int
    break_earliest: int
    break_latest: int
    break_minutes: int

    @classmethod
    def of(cls, vehicle: Vehicle, scale: float) -> _Day:
        brk = vehicle.breaks[0] if vehicle.breaks else None
        return cls(
            start=integer.time_up(vehicle.shift_start, scale),
            end=integer.time_down(vehicle.shift_end, scale),
            end_node=vehicle.end_node,
            break_earliest=integer.time_up(brk.earliest_start, scale) if brk else 0,
            break_latest=integer.time_down(brk.latest_start, scale) if brk else 0,
            break_minutes=integer.time_up(brk.duration, scale) if brk else 0,
        )


@dataclass(frozen=True)
class _Move:
    """One feasible next stop of a route under construction (integer time units)."""

    visit: int
    arrival: int
    start: int
    end: int
    break_start: int | None


def _next_move(
    day: _Day, ready: int, break_open: bool, visit: int, travel: int, service: int, back: int
) -> _Move | None:
    """The earliest way to serve ``visit`` next, or ``None`` if the day cannot hold it.

    ``break_open`` means the day's break is still to be taken: either in the gap before this
    visit, or later, which requires it to still fit in the gap back to the depot after it.
    """
    start = ready + travel
    end = start + service
    if not break_open:
        return _Move(visit, start, start, end, None) if end + back <= day.end else None
    # a) break later: this visit ends before the break's latest start, and the break still
    #    fits in the way back to the depot
    later = max(end, day.break_earliest)
    if later <= day.break_latest and later + day.break_minutes + back <= day.end:
        return _Move(visit, start, start, end, None)
    # b) break in the gap before this visit (before or after the travel, whichever is earlier)
    pause = max(ready, day.break_earliest)
    if pause > day.break_latest:
        return None
    start = max(ready + travel, day.break_earliest) + day.break_minutes
    end = start + service
    if end + back > day.end:
        return None
    arrival = ready + travel if pause >= ready + travel else start
    return _Move(visit, arrival, start, end, pause)


def _unused_breaks(vehicle: Vehicle) -> tuple[ScheduledBreak, ...]:
    """Breaks of an unused vehicle, at their earliest start."""
    return tuple(
        ScheduledBreak(b.earliest_start, b.earliest_start + b.duration) for b in vehicle.breaks
    )


def greedy_solve(
    problem: RoutingProblem,
    *,
    weights: Sequence[float] | None = None,
    order: Sequence[int] | None = None,
    rule: Rule = "density",
    rank: Sequence[int] | None = None,
) -> RoutingSolution:
    """Fill each vehicle's day greedily; what is not taken is dropped.

    Times are rounded as the solver rounds them (travel, service and break durations up, shift
    ends down), so the routes are feasible for the solver as well as in real arithmetic and
    can be given to :func:`planner.routing.solve` as ``initial_routes``.

    Parameters
    ----------
    problem
        Any routing problem whose vehicles have at most one break and whose visits have no
        time windows, capacities or locks (the planner's week problems). Shared capacities
        are respected: a visit is taken only while its shared capacities have room for it.
    weights
        Priority weight per recording of each visit (problem order); default: the visit's
        penalty per recording.
    order
        Vehicle indices in dispatch order (default: problem order). Each vehicle's day is
        filled completely before the next vehicle starts.
    rule
        ``"density"`` or ``"priority"`` (see the module docstring).
    rank
        Tie-break among equally good visits, smaller first (default: problem order); e.g.
        the part number, so that the chunks of one village are taken as 1, 2, 3.

    Returns
    -------
    RoutingSolution
        Routes (one per vehicle, in problem order), dropped visits, the solver objective of
        these routes, status :data:`GREEDY_STATUS`.

    Examples
    --------
    >>> import numpy as np
    >>> from planner.routing import RoutingProblem, Vehicle, Visit
    >>> m = np.array([[0.0, 10.0], [10.0, 0.0]])
    >>> p = RoutingProblem(
    ...     visits=(Visit("a", 1, penalty=5, service_minutes=30.0),),
    ...     vehicles=(Vehicle("v", 0, 0, 0.0, 100.0),),
    ...     minutes={"default": m},
    ... )
    >>> greedy_solve(p).routes[0].visit_ids
    ('a',)
    """
    started = time.perf_counter()
    unsupported = [
        v.id
        for v in problem.visits
        if v.time_window is not None
        or v.locked_vehicle is not None
        or v.demand
        or v.alternatives is not None
    ]
    unsupported += [
        v.id
        for v in problem.vehicles
        if len(v.breaks) > 1 or v.capacity is not None or v.max_travel_minutes is not None
    ]
    if unsupported:
        raise ValueError(
            "greedy_solve supports no time windows, locks, alternatives, capacities, travel "
            f"limits or second breaks; found on {', '.join(unsupported[:5])}"
        )
    scale = problem.time_scale
    n = len(problem.visits)
    if weights is None:
        weights = [float(v.penalty or 0) / max(v.recordings, 1) for v in problem.visits]
    weight = np.asarray(weights, dtype=float)
    value = weight * np.array([max(v.recordings, 1) for v in problem.visits], dtype=float)
    tier = np.round(weight / PRIORITY_TIER)
    nodes = np.array([v.node for v in problem.visits], dtype=np.int64)
    tie = np.arange(n) if rank is None else np.asarray(rank, dtype=np.int64)
    free = np.ones(n, dtype=bool)
    allowed = [problem.allowed_vehicles(v) for v in problem.visits]
    recordings = np.array([v.recordings for v in problem.visits], dtype=np.int64)
    # shared capacities: members (visit indices) and what is used so far
    members = [
        np.array([problem.visit_index(v) for v in c.visit_ids], dtype=np.int64)
        for c in problem.shared_capacities
    ]
    used = [0] * len(members)
    travel_of: dict[str, np.ndarray] = {}
    routes: dict[int, Route] = {}
    for k in order if order is not None else range(len(problem.vehicles)):
        vehicle = problem.vehicles[k]
        if vehicle.profile not in travel_of:
            ints, forbidden = integer.travel_matrix(problem, vehicle.profile)
            travel_of[vehicle.profile] = np.where(forbidden, np.iinfo(np.int64).max // 4, ints)
        travel = travel_of[vehicle.profile]
        day = _Day.of(vehicle, scale)
        service = np.array(
            [integer.service_time(vehicle, v, scale) for v in problem.visits], dtype=np.int64
        )
        back_all = travel[nodes, day.end_node]
        mine = np.array([k in a for a in allowed], dtype=bool)
        caps = [c for c, shared in enumerate(problem.shared_capacities) if k in shared.vehicles]
        here, ready, break_open = vehicle.start_node, day.start, bool(vehicle.breaks)
        stops: list[Stop] = []
        placed: list[ScheduledBreak] = []
        while True:
            open_ = free & mine
            for c in caps:
                room = problem.shared_capacities[c].limit - used[c]
                over = members[c][recordings[members[c]] > room]
                open_[over] = False
            pool = np.flatnonzero(open_)
            to = travel[here, nodes[pool]]
            # a necessary condition (no break) first, then the exact check, best first
            fits = ready + to + service[pool] + back_all[pool] <= day.end
            pool, to = pool[fits], to[fits]
            if rule == "density":
                spent = np.maximum(to + service[pool], 1).astype(float)
                ranked = pool[np.lexsort((tie[pool], -value[pool] / spent))]
            else:
                ranked = pool[np.lexsort((tie[pool], to, -tier[pool]))]
            move = None
            for i in ranked:
                move = _next_move(
                    day,
                    ready,
                    break_open,
                    int(i),
                    int(travel[here, nodes[i]]),
                    int(service[i]),
                    int(back_all[i]),
                )
                if move is not None:
                    break
            if move is None:
                break
            if move.break_start is not None:
                placed.append(
                    ScheduledBreak(
                        move.break_start / scale, (move.break_start + day.break_minutes) / scale
                    )
                )
                break_open = False
            visit = problem.visits[move.visit]
            stops.append(
                Stop(
                    visit.id, visit.node, move.arrival / scale, move.start / scale, move.end / scale
                )
            )
            free[move.visit] = False
            for c in caps:
                if move.visit in members[c]:
                    used[c] += int(recordings[move.visit])
            here, ready = visit.node, move.end
        if stops:
            end = ready + int(travel[here, day.end_node])
            if break_open:
                pause = max(ready, day.break_earliest)
                placed.append(ScheduledBreak(pause / scale, (pause + day.break_minutes) / scale))
                end = max(end, pause + day.break_minutes + int(travel[here, day.end_node]))
            routes[k] = Route(
                vehicle.id, k, tuple(stops), day.start / scale, end / scale, tuple(placed)
            )
    all_routes = tuple(
        routes.get(
            k,
            Route(v.id, k, (), float(v.shift_start), float(v.shift_start), _unused_breaks(v)),
        )
        for k, v in enumerate(problem.vehicles)
    )
    objective = objective_of_routes(problem, [r.visit_ids for r in all_routes])
    return RoutingSolution(
        routes=all_routes,
        dropped=tuple(problem.visits[i].id for i in np.flatnonzero(free)),
        objective=objective,
        status=GREEDY_STATUS,
        wall_seconds=time.perf_counter() - started,
    )
