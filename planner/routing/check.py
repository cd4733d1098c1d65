"""Check a solution against its problem in real arithmetic, independently of the solver.

:func:`check_solution` re-derives every constraint from the :class:`RoutingProblem` and the
returned times; it shares no code with the OR-Tools model except the problem classes.
:func:`objective_of_routes` recomputes the solver objective of given routes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

import planner.routing.integer as integer
from planner.core.errors import RoutingError
from planner.routing.problem import RoutingProblem
from planner.routing.solution import Route, RoutingSolution

#: Slack allowed on time comparisons, in problem minutes.
TOLERANCE = 1e-6


def check_solution(
    problem: RoutingProblem, solution: RoutingSolution, tolerance: float = TOLERANCE
) -> list[str]:
    """List every way ``solution`` breaks ``problem`` (an empty list = feasible).

    Checked: one route per vehicle in order; each visit served at most once and either
    served or dropped; at most one of a set of alternatives served; mandatory and locked
    visits served, on their vehicle and in locked
    order; allowed vehicles; no arc with infinite travel time or cost; service duration; time
    windows (service start); shift start and end; gaps between services long enough for the
    travel plus the breaks placed in them; breaks in their windows and not overlapping a
    service; capacity; maximum travel time; shared capacities.

    Parameters
    ----------
    problem, solution
        The problem and a solution of it.
    tolerance
        Slack on time comparisons, in problem minutes.

    Returns
    -------
    list of str
        One message per violation.
    """
    errors: list[str] = []
    if len(solution.routes) != len(problem.vehicles):
        errors.append(
            f"{len(solution.routes)} routes for {len(problem.vehicles)} vehicles "
            "(expected one each)"
        )
    served: dict[str, int] = {}
    for k, route in enumerate(solution.routes):
        if k >= len(problem.vehicles):
            break
        errors += _check_route(problem, k, route, tolerance)
        for stop in route.stops:
            if stop.visit_id in served:
                errors.append(f"visit {stop.visit_id!r} is served twice")
            served[stop.visit_id] = k
    dropped = set(solution.dropped)
    if len(dropped) != len(solution.dropped):
        errors.append("a visit is listed twice in dropped")
    for i, visit in enumerate(problem.visits):
        where = f"visit {visit.id!r}"
        if visit.id in served and visit.id in dropped:
            errors.append(f"{where} is both served and dropped")
        if visit.id not in served and visit.id not in dropped:
            errors.append(f"{where} is neither served nor dropped")
        if visit.id not in served:
            if visit.mandatory:
                errors.append(f"{where} is mandatory but not served")
            continue
        k = served[visit.id]
        if k not in problem.allowed_vehicles(visit):
            errors.append(f"{where} is on vehicle {k}, which it is not allowed on")
        del i
    groups: dict[str, list[str]] = {}
    for visit in problem.visits:
        if visit.alternatives is not None and visit.id in served:
            groups.setdefault(visit.alternatives, []).append(visit.id)
    for key, ids in sorted(groups.items()):
        if len(ids) > 1:
            errors.append(f"alternatives {key!r}: {len(ids)} served ({', '.join(ids)}), at most 1")
    known = {v.id for v in problem.visits}
    for visit_id in set(served) | dropped:
        if visit_id not in known:
            errors.append(f"unknown visit {visit_id!r} in the solution")
    errors += _check_locked_order(problem, solution)
    errors += _check_shared(problem, served)
    return errors


def _check_shared(problem: RoutingProblem, served: dict[str, int]) -> list[str]:
    """Shared capacities: recordings of the listed visits on the listed vehicles."""
    errors = []
    for k, shared in enumerate(problem.shared_capacities):
        carried = sum(
            problem.visits[problem.visit_index(v)].recordings
            for v in shared.visit_ids
            if served.get(v, -1) in shared.vehicles
        )
        if carried > shared.limit:
            errors.append(
                f"shared capacity {k}: {carried} recordings above its limit {shared.limit}"
            )
    return errors


def _check_route(problem: RoutingProblem, k: int, route: Route, tol: float) -> list[str]:
    vehicle = problem.vehicles[k]
    where = f"vehicle {k} ({vehicle.id!r})"
    errors: list[str] = []
    if route.vehicle_id != vehicle.id or route.vehicle != k:
        errors.append(f"{where}: route {k} belongs to {route.vehicle_id!r}")
    minutes = problem.arc_minutes(vehicle.profile)
    cost = problem.arc_cost(vehicle.profile)
    if route.start < vehicle.shift_start - tol:
        errors.append(f"{where}: starts at {route.start} before its shift {vehicle.shift_start}")
    if route.end > vehicle.shift_end + tol:
        errors.append(f"{where}: ends at {route.end} after its shift {vehicle.shift_end}")
    if vehicle.latest_start is not None and route.start > vehicle.latest_start + tol:
        errors.append(f"{where}: leaves at {route.start}, after its latest {vehicle.latest_start}")

    brks = sorted(route.breaks, key=lambda b: b.start)
    if len(brks) != len(vehicle.breaks):
        errors.append(f"{where}: {len(brks)} breaks scheduled, {len(vehicle.breaks)} required")
    for spec, placed in zip(
        sorted(vehicle.breaks, key=lambda b: b.earliest_start), brks, strict=False
    ):
        if not spec.earliest_start - tol <= placed.start <= spec.latest_start + tol:
            errors.append(f"{where}: break at {placed.start} outside its window")
        if placed.end - placed.start < spec.duration - tol:
            errors.append(f"{where}: break at {placed.start} shorter than {spec.duration}")

    visits = [problem.visits[problem.visit_index(s.visit_id)] for s in route.stops]
    nodes = [vehicle.start_node] + [v.node for v in visits] + [vehicle.end_node]
    # (time the vehicle is free to leave, time it must be at the next node) per gap
    free = [route.start] + [s.end for s in route.stops]
    due = [s.start for s in route.stops] + [route.end]
    travel_total = 0.0
    for a, b, t_free, t_due in zip(nodes[:-1], nodes[1:], free, due, strict=True):
        travel = 0.0 if a == b else float(minutes[a, b])
        if not (np.isfinite(travel) and (a == b or np.isfinite(cost[a, b]))):
            errors.append(f"{where}: uses the arc {a}→{b}, which its profile cannot travel")
            continue
        travel_total += travel
        pause = sum(
            p.end - p.start for p in brks if t_free - tol <= p.start and p.end <= t_due + tol
        )
        if t_due - t_free < travel + pause - tol:
            errors.append(
                f"{where}: {t_due - t_free:.4f} between {a} and {b}, needs {travel:.4f} travel"
                f" + {pause:.4f} break"
            )
    for stop, visit in zip(route.stops, visits, strict=True):
        sw = f"{where}, visit {visit.id!r}"
        if stop.node != visit.node:
            errors.append(f"{sw}: at node {stop.node}, the visit is at {visit.node}")
        if stop.arrival > stop.start + tol:
            errors.append(f"{sw}: service starts at {stop.start} before arrival {stop.arrival}")
        if stop.end - stop.start < vehicle.service_minutes(visit) - tol:
            errors.append(f"{sw}: service shorter than {vehicle.service_minutes(visit)}")
        if visit.time_window is not None:
            early, late = visit.time_window
            if not early - tol <= stop.start <= late + tol:
                errors.append(f"{sw}: starts at {stop.start}, window is [{early}, {late}]")
        for p in brks:
            if p.start < stop.end - tol and stop.start < p.end - tol:
                errors.append(f"{sw}: service [{stop.start}, {stop.end}] overlaps a break")
    if vehicle.capacity is not None:
        load = sum(v.demand for v in visits)
        if load > vehicle.capacity:
            errors.append(f"{where}: load {load} above capacity {vehicle.capacity}")
    if vehicle.max_travel_minutes is not None and travel_total > vehicle.max_travel_minutes + tol:
        errors.append(f"{where}: travels {travel_total}, limit {vehicle.max_travel_minutes}")
    return errors


def _check_locked_order(problem: RoutingProblem, solution: RoutingSolution) -> list[str]:
    errors = []
    position = {
        stop.visit_id: (route.vehicle, n)
        for route in solution.routes
        for n, stop in enumerate(route.stops)
    }
    for visit in problem.visits:
        if visit.locked_vehicle is None or visit.id not in position:
            continue
        k, n = position[visit.id]
        for other in problem.visits:
            if (
                other.locked_vehicle == visit.locked_vehicle
                and other.locked_position is not None
                and visit.locked_position is not None
                and other.locked_position > visit.locked_position
                and other.id in position
                and position[other.id][1] <= n
            ):
                errors.append(f"locked visits {visit.id!r} and {other.id!r} are out of order")
        del k
    return errors


def objective_of_routes(problem: RoutingProblem, routes: Sequence[Sequence[str]]) -> int:
    """The solver objective of ``routes`` (visit ids per vehicle), in objective units.

    Σ scaled arc costs + fixed cost of each used vehicle + penalty of each visit not routed
    (once per set of alternatives none of which is routed) + serve cost of each routed visit.
    This is what OR-Tools minimises, so ``solve(...).objective`` equals
    ``objective_of_routes(problem, solve(...).route_visit_ids())`` for a problem without
    soft time windows (their cost depends on the times, which routes alone do not fix; it is
    not counted here).

    Raises
    ------
    RoutingError
        When a mandatory visit is not routed (its drop has no price).
    """
    total = 0
    routed: set[str] = set()
    costs: dict[str, np.ndarray] = {}
    for k, route in enumerate(routes):
        if not route:
            continue
        vehicle = problem.vehicles[k]
        if vehicle.profile not in costs:
            costs[vehicle.profile] = integer.cost_matrix(problem, vehicle.profile)
        cost = costs[vehicle.profile]
        nodes = [vehicle.start_node]
        nodes += [problem.visits[problem.visit_index(v)].node for v in route]
        nodes += [vehicle.end_node]
        total += vehicle.fixed_cost + int(sum(cost[a, b] for a, b in itertools.pairwise(nodes)))
        routed.update(route)
    served_groups = {
        v.alternatives for v in problem.visits if v.id in routed and v.alternatives is not None
    }
    dropped_groups: set[str] = set()
    for visit in problem.visits:
        if visit.id in routed:
            total += visit.serve_cost
            continue
        if visit.mandatory:
            raise RoutingError(f"mandatory visit {visit.id!r} is not routed")
        if visit.alternatives is None:
            total += int(visit.penalty or 0)
        elif visit.alternatives not in served_groups | dropped_groups:
            dropped_groups.add(visit.alternatives)  # a set of alternatives is paid for once
            total += int(visit.penalty or 0)
    return total
