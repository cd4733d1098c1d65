"""An upper bound on the value any plan of a routing problem can reach: a linear relaxation.

The work at each node (e.g. the residents waiting in one village) is treated as *divisible*:
any vehicle may do any real amount of it, up to what the node holds, and a plan's value is the
sum of value-per-unit x units done. Every plan of the problem (routes that respect the shifts
and breaks) is a point of the linear programme built here, so the LP optimum is at least the
value of every plan; the derivation, inequality by inequality, is in ``docs/BOUND.md``.

Variables, per vehicle ``k`` and node ``n`` the vehicle may serve:

* ``x[k, n]`` units of work done at ``n`` by ``k`` (continuous, ``0 ≤ x ≤ U[k, n]``);
* ``y[k, n]`` in ``[0, 1]``, relaxing "``k`` visits ``n``";
* ``T[k] ≥ 0``, the travel minutes of ``k``'s route (arcs as given, set-up included when the
  caller puts it on the arcs, as the planner does).

Constraints: work at a node at most what it holds; shared limits (e.g. a daily queue limit of a
place across all vehicles of a day); ``x ≤ U y``; service + per-visit set-up + travel within
the shift less its breaks; travel at least the shortest way out to a visited node and back,
and at least one cheapest incoming and one cheapest outgoing arc per visited node.

Solved with OR-Tools' GLOP (the routing layer is the only one allowed to import OR-Tools).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from planner.core.errors import RoutingError
from planner.routing.problem import RoutingProblem, Vehicle


@dataclass(frozen=True)
class WorkLimit:
    """At most ``limit`` units of work at ``nodes``, all ``vehicles`` together."""

    nodes: frozenset[int]
    vehicles: frozenset[int]
    limit: float


@dataclass(frozen=True)
class RelaxationBound:
    """The LP optimum and what it is made of.

    Attributes
    ----------
    value
        Upper bound on the value of every plan (value-per-unit x units done).
    units
        Units of work in the LP optimum (an upper bound only together with ``value``: the LP
        maximises value, not units).
    capacity_value
        The trivial bound it never exceeds: every vehicle recording its whole shift less its
        breaks at the highest value per unit, or all the work done, whichever is smaller.
    status
        GLOP's result status name (``OPTIMAL`` when the value is a proven LP optimum).
    variables, constraints, seconds
        Size of the LP and the wall time to build and solve it.
    vehicle_values
        Value each vehicle does in the LP optimum (SCIP's incumbent with 0/1 stops): where the
        bound puts the work, to set beside a plan's routes (not a bound per vehicle).
    """

    value: float
    units: float
    capacity_value: float
    status: str
    variables: int
    constraints: int
    seconds: float
    vehicle_values: tuple[float, ...] = ()


def shortest_from(minutes: np.ndarray, source: int, *, reverse: bool = False) -> np.ndarray:
    """Shortest-path minutes from ``source`` to every node (to ``source`` with ``reverse``).

    A dense Bellman-Ford: relax every arc until nothing changes (a few passes on travel
    matrices). Needed because a travel matrix need not obey the triangle inequality (sea legs
    through ports, user matrices); ``np.inf`` marks a missing arc.
    """
    m = minutes.T if reverse else minutes
    dist = np.array(m[source], dtype=float)
    dist[source] = 0.0
    for _ in range(len(dist)):
        relaxed = np.minimum(dist, (dist[:, None] + m).min(axis=0))
        relaxed[source] = 0.0
        if np.array_equal(relaxed, dist):
            break
        dist = relaxed
    return dist


def _available_minutes(vehicle: Vehicle) -> float:
    return float(vehicle.shift_end - vehicle.shift_start - sum(b.duration for b in vehicle.breaks))


def _units_per_minute(vehicle: Vehicle) -> float:
    if vehicle.minutes_per_record <= 0:
        return math.inf
    return vehicle.kits / vehicle.minutes_per_record


TANGENTS = 13
"""Tangent points of the average-trip inequality per vehicle, evenly from 0 to half a shift."""


def _tangent_points(available: float) -> list[float]:
    """Where the concave ``T (available - T)`` is replaced by its tangent (each one valid).

    A tangent of a concave curve lies above it, so each tangent inequality holds for every
    plan; between two points ``h`` apart they overstate the curve by at most ``(h / 2)^2``
    minutes squared (times the rate), which only loosens the bound.
    """
    if available <= 0:
        return []
    return [available / 2.0 * i / (TANGENTS - 1) for i in range(TANGENTS)]


def relaxation_bound(
    problem: RoutingProblem,
    value_per_unit: Mapping[int, float],
    *,
    work: Mapping[int, float] | None = None,
    limits: Sequence[WorkLimit] = (),
    integral_stops_s: float | None = None,
    trip_cuts: bool = True,
) -> RelaxationBound:
    """Solve the divisible-work LP relaxation of ``problem`` (see the module docstring).

    Parameters
    ----------
    problem
        The routing problem. Service of ``u`` units on vehicle ``v`` takes
        ``v.setup_minutes + u * v.minutes_per_record / v.kits`` (the visit formula);
        visits with a fixed ``service_minutes`` are not supported.
    value_per_unit
        Value of one unit of work per node (nodes absent or with value ≤ 0 are ignored).
    work
        Units of work each node holds; default: the sum of ``recordings`` of its visits.
    limits
        Shared limits on the work at sets of nodes by sets of vehicles.
    integral_stops_s
        ``None``: the LP (GLOP). A number of seconds: the stop variables ``y`` are 0/1 and
        SCIP searches for that long; the value is SCIP's proven *dual* bound when it stops
        (every plan is still a point of this mixed-integer programme, so it remains a bound,
        and a tighter one). Falls back to the LP when SCIP proves nothing.
    trip_cuts
        Add the average-trip inequalities (docs/BOUND.md, constraint 7): a vehicle's work,
        weighted by each node's round trip, is at most ``rate x T x (available - T)``, taken
        through its tangents. Valid for every plan; ``False`` only to measure what they add.

    Returns
    -------
    RelaxationBound

    Raises
    ------
    RoutingError
        When a visit has a fixed service time, or GLOP finds no optimum.
    """
    started = time.perf_counter()
    fixed = [v.id for v in problem.visits if v.service_minutes is not None]
    if fixed:
        raise RoutingError(
            f"the relaxation bound needs service from recordings; fixed service_minutes on "
            f"{', '.join(fixed[:5])}"
        )
    held: dict[int, float] = {}
    allowed_at: dict[int, set[int]] = {}
    for visit in problem.visits:
        held[visit.node] = held.get(visit.node, 0.0) + float(visit.recordings)
        allowed_at.setdefault(visit.node, set()).update(problem.allowed_vehicles(visit))
    if work is not None:
        held = {n: float(work.get(n, 0.0)) for n in held}
    nodes = sorted(n for n in held if held[n] > 0 and value_per_unit.get(n, 0.0) > 0)

    name = "GLOP" if integral_stops_s is None else "SCIP"
    solver = pywraplp.Solver.CreateSolver(name)
    if solver is None:  # pragma: no cover - both ship with every OR-Tools wheel
        raise RoutingError(f"OR-Tools has no {name} solver in this installation")
    x: dict[tuple[int, int], pywraplp.Variable] = {}
    top_value = max((value_per_unit[n] for n in nodes), default=0.0)
    capacity_units = 0.0
    cache: dict[tuple[str, int, bool], np.ndarray] = {}

    def paths(profile: str, node: int, reverse: bool) -> np.ndarray:
        key = (profile, node, reverse)
        if key not in cache:
            cache[key] = shortest_from(problem.arc_minutes(profile), node, reverse=reverse)
        return cache[key]

    # a limit on one node bounds what any one of its vehicles does there, too
    single: dict[int, list[WorkLimit]] = {}
    for limit in limits:
        if len(limit.nodes) == 1:
            single.setdefault(next(iter(limit.nodes)), []).append(limit)

    for k, vehicle in enumerate(problem.vehicles):
        minutes = problem.arc_minutes(vehicle.profile)
        available = _available_minutes(vehicle)
        rate = _units_per_minute(vehicle)
        if math.isfinite(rate):
            capacity_units += max(0.0, available) * rate
        mine = np.asarray([n for n in nodes if k in allowed_at[n]], dtype=np.int64)
        if not mine.size:
            continue
        trip = paths(vehicle.profile, vehicle.start_node, False)[mine]
        trip = trip + paths(vehicle.profile, vehicle.end_node, True)[mine]
        # cheapest arc into (out of) each node from the start (to the end) or another node
        between = minutes[np.ix_(mine, mine)].copy()
        np.fill_diagonal(between, np.inf)
        into = np.minimum(minutes[vehicle.start_node, mine], between.min(axis=0))
        away = np.minimum(minutes[mine, vehicle.end_node], between.min(axis=1))
        free = available - vehicle.setup_minutes - trip
        entries: list[tuple[int, float, float, float, float]] = []
        for j, n in enumerate(mine.tolist()):
            if not math.isfinite(float(trip[j])) or free[j] <= 0:
                continue
            upper = min(
                [held[n], float(free[j]) * rate]
                + [lim.limit for lim in single.get(n, []) if k in lim.vehicles]
            )
            if upper > 0:
                entries.append((n, float(trip[j]), upper, float(into[j]), float(away[j])))
        if not entries:
            continue
        travel = solver.NumVar(0.0, available, f"T[{k}]")
        spent = []
        into_sum = []
        away_sum = []
        for n, trip_n, upper, into_n, away_n in entries:
            xv = solver.NumVar(0.0, upper, f"x[{k},{n}]")
            yv = (
                solver.NumVar(0.0, 1.0, f"y[{k},{n}]")
                if integral_stops_s is None
                else solver.IntVar(0.0, 1.0, f"y[{k},{n}]")
            )
            x[(k, n)] = xv
            solver.Add(xv <= upper * yv)
            solver.Add(travel >= trip_n * yv)
            per_unit = 0.0 if not math.isfinite(rate) else 1.0 / rate
            spent += [per_unit * xv, vehicle.setup_minutes * yv]
            into_sum.append(into_n * yv)
            away_sum.append(away_n * yv)
        solver.Add(solver.Sum(spent) + travel <= available)
        solver.Add(travel >= solver.Sum(into_sum))
        solver.Add(travel >= solver.Sum(away_sum))
        if trip_cuts and math.isfinite(rate):
            weighted_trip = solver.Sum([trip_n * x[(k, n)] for n, trip_n, *_ in entries])
            for t0 in _tangent_points(available):
                solver.Add(weighted_trip <= rate * ((available - 2.0 * t0) * travel + t0 * t0))

    by_node: dict[int, list[pywraplp.Variable]] = {}
    for (_, n), var in x.items():
        by_node.setdefault(n, []).append(var)
    for n, variables in by_node.items():
        solver.Add(solver.Sum(variables) <= held[n])
    for limit in limits:
        inside = [var for (k, n), var in x.items() if n in limit.nodes and k in limit.vehicles]
        if inside:
            solver.Add(solver.Sum(inside) <= float(limit.limit))
    solver.Maximize(solver.Sum([value_per_unit[n] * var for (_, n), var in x.items()]))
    if integral_stops_s is not None:
        solver.SetTimeLimit(max(1, round(1000 * integral_stops_s)))
    status = solver.Solve()
    names = {
        pywraplp.Solver.OPTIMAL: "OPTIMAL",
        pywraplp.Solver.FEASIBLE: "FEASIBLE",
        pywraplp.Solver.INFEASIBLE: "INFEASIBLE",
        pywraplp.Solver.UNBOUNDED: "UNBOUNDED",
        pywraplp.Solver.ABNORMAL: "ABNORMAL",
        pywraplp.Solver.NOT_SOLVED: "NOT_SOLVED",
    }
    if integral_stops_s is not None:
        if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE) or not x:
            return relaxation_bound(
                problem, value_per_unit, work=work, limits=limits, trip_cuts=trip_cuts
            )
        # the dual bound: what no plan exceeds, whatever the best plan SCIP found so far
        value = float(solver.Objective().BestBound())
    elif status != pywraplp.Solver.OPTIMAL:
        raise RoutingError(f"the relaxation LP ended {names.get(status, status)}, not OPTIMAL")
    else:
        value = float(solver.Objective().Value()) if x else 0.0
    units = float(sum(var.solution_value() for var in x.values()))
    per_vehicle = [0.0] * len(problem.vehicles)
    for (k, n), var in x.items():
        per_vehicle[k] += value_per_unit[n] * var.solution_value()
    total_work = sum(held[n] * value_per_unit[n] for n in nodes)
    return RelaxationBound(
        value=value,
        units=units,
        capacity_value=min(capacity_units * top_value, total_work),
        status=names[status],
        variables=solver.NumVariables(),
        constraints=solver.NumConstraints(),
        seconds=time.perf_counter() - started,
        vehicle_values=tuple(per_vehicle),
    )
