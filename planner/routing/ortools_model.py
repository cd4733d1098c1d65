"""Build and search the OR-Tools routing model of a :class:`RoutingProblem`.

Long module: it is the only file that speaks OR-Tools (docs/ARCHITECTURE.md); the model's
index bookkeeping, dimensions and search parameters belong together.

This is the only module of the planner that imports OR-Tools. It works in the solver's
integers (see :mod:`planner.routing.integer`) and hands back a :class:`RawSolution` with
integer times; :mod:`planner.routing.solve` turns that into plain, real-valued routes.

Model, in short
---------------
* One OR-Tools vehicle per :class:`Vehicle`; one model node per visit plus one per depot node.
* A transit matrix per vehicle class (profile and service formula): travel by the vehicle's
  profile plus service at the from-node. Forbidden arcs (non-finite travel or cost) get a
  transit above every shift end, so the Time dimension rejects them; arcs forbidden for every
  profile are also removed from the ``Next`` variables. A visit that a vehicle cannot reach
  from its start, or from which it cannot reach its end, is not allowed on that vehicle.
* Time dimension: waiting allowed (slack), shift windows on route start and end, visit time
  windows on the cumul (the start of service), soft time windows as soft lower and upper
  bounds of that cumul (a cost per unit outside, paid only by served visits), breaks as
  fixed-duration intervals with the per-vehicle service times as node visit transits (no
  break during a service).
* Optional visits: a one-node disjunction with the visit's penalty; a set of ``alternatives``
  is one disjunction of at most one node with their common penalty; ``serve_cost`` is added
  to every arc into the visit. Allowed vehicles via the
  domain of ``VehicleVar`` (-1 = not performed). Locked visits: allowed only on their
  vehicle, mandatory, and in ``locked_position`` order through a Rank dimension.
* Shared capacities (a place's daily queue limit across vehicles) as solver constraints on
  the visits' vehicle variables. No routing filter sees them: the first-solution heuristics
  find a broken limit only when they commit a whole solution, which on large groups ate the
  time limit; :func:`planner.routing.solve` therefore starts such problems from greedy routes
  that hold the limits, and local search checks each move against them when committing it.
* Every accepted solution is completed by OR-Tools' finalizer (route times, breaks) within
  :data:`FINALIZER_TIME_LIMIT_S`, not OR-Tools' default 100 ms, which threw away the solutions
  (and replayed starts) of groups with tens of team-days (issues #14, #18).
* Capacity dimension when any vehicle has a capacity; Travel dimension when any vehicle has
  ``max_travel_minutes``. Arc cost per vehicle from the profile's cost; fixed cost per vehicle.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2, routing_ils_pb2
from ortools.util import optional_boolean_pb2

import planner.routing.integer as integer
from planner.core import interrupt
from planner.core.errors import RoutingError
from planner.routing.problem import RoutingProblem, Vehicle

FIRST_SOLUTION_STRATEGIES: tuple[str, ...] = tuple(
    name
    for name in routing_enums_pb2.FirstSolutionStrategy.Value.keys()  # noqa: SIM118
    if name not in {"UNSET", "EVALUATOR_STRATEGY"}
)
METAHEURISTICS: tuple[str, ...] = tuple(
    name
    for name in routing_enums_pb2.LocalSearchMetaheuristic.Value.keys()  # noqa: SIM118
    if name != "UNSET"
)
_STATUS_NAMES = {
    number: name for name, number in routing_enums_pb2.RoutingSearchStatus.Value.items()
}


@dataclass(frozen=True)
class RawRoute:
    """A route in solver integers: visit indices and scaled service-start times."""

    vehicle: int
    visits: tuple[int, ...]
    starts: tuple[int, ...]
    route_start: int
    route_end: int
    breaks: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class RawSolution:
    """What a search gives back, before conversion to problem minutes."""

    routes: tuple[RawRoute, ...]
    dropped: tuple[int, ...]
    objective: int
    status: str
    warm_started: bool


@dataclass
class OrToolsModel:
    """A built OR-Tools model and the maps between visits and solver indices."""

    problem: RoutingProblem
    manager: Any
    routing: Any
    time_dimension: Any
    visit_of_node: list[int]
    index_of_visit: dict[int, int]
    excluded: tuple[int, ...]
    excluded_penalty: int
    break_intervals: list[list[Any]] = field(default_factory=list)
    build_seconds: float = 0.0
    copies: tuple[tuple[int, ...], ...] = ()


ORDER_COPIES = False
"""Order interchangeable copies (same node, recordings, penalty, vehicles...: the equal chunks
of one village): copy *j+1* is served only if copy *j* is. Any solution maps onto one that
obeys this by renaming copies, so no plan is lost; the search no longer walks through the
copies' permutations. Start routes are renamed the same way (:func:`_read_routes`).
Off: on Banten weeks it changed the solver objective by +-0.1 % and the weighted recordings
after the day fill by -0.2 to -0.6 % (BENCHMARKS.md section 12)."""


def _copy_classes(problem: RoutingProblem, modelled: Sequence[int]) -> list[tuple[int, ...]]:
    """Visits (indices, problem order) that are exact copies of each other, two or more."""
    classes: dict[tuple[object, ...], list[int]] = {}
    for i in sorted(modelled):
        v = problem.visits[i]
        if v.mandatory or v.alternatives is not None or v.locked_vehicle is not None:
            continue
        key = (
            v.node,
            v.penalty,
            v.recordings,
            v.service_minutes,
            v.demand,
            v.time_window,
            v.allowed_vehicles,
            v.serve_cost,
        )
        classes.setdefault(key, []).append(i)
    return [tuple(c) for c in classes.values() if len(c) > 1]


def _reachable(finite: np.ndarray, source: int) -> np.ndarray:
    """Nodes reachable from ``source`` over ``finite`` arcs (boolean vector)."""
    seen = np.zeros(finite.shape[0], dtype=bool)
    seen[source] = True
    frontier = seen.copy()
    while frontier.any():
        nxt = finite[frontier].any(axis=0) & ~seen
        seen |= nxt
        frontier = nxt
    return seen


def _possible_vehicles(problem: RoutingProblem) -> tuple[list[list[int]], list[str]]:
    """For each visit, the vehicles that could serve it on their own; and problems found."""
    scale = problem.time_scale
    forward: dict[tuple[str, int], np.ndarray] = {}
    backward: dict[tuple[str, int], np.ndarray] = {}
    finite_of: dict[str, np.ndarray] = {}
    for profile in {v.profile for v in problem.vehicles}:
        _, forbidden = integer.travel_matrix(problem, profile)
        finite_of[profile] = ~forbidden
    for v in problem.vehicles:
        finite = finite_of[v.profile]
        if (v.profile, v.start_node) not in forward:
            forward[(v.profile, v.start_node)] = _reachable(finite, v.start_node)
        if (v.profile, v.end_node) not in backward:
            backward[(v.profile, v.end_node)] = _reachable(finite.T, v.end_node)
    possible: list[list[int]] = []
    problems: list[str] = []
    for visit in problem.visits:
        window_ok = True
        early_int, late_int = 0, 2**62
        if visit.time_window is not None:
            early, late = visit.time_window
            early_int, late_int = integer.time_up(early, scale), integer.time_down(late, scale)
            window_ok = early_int <= late_int
        vehicles = []
        for k in sorted(problem.allowed_vehicles(visit)):
            v = problem.vehicles[k]
            shift_start = integer.time_up(v.shift_start, scale)
            shift_end = integer.time_down(v.shift_end, scale)
            shift = shift_end - shift_start
            if (
                window_ok
                and early_int <= shift_end
                and late_int >= shift_start
                and forward[(v.profile, v.start_node)][visit.node]
                and backward[(v.profile, v.end_node)][visit.node]
                and integer.service_time(v, visit, scale) <= shift
            ):
                vehicles.append(k)
        possible.append(vehicles)
        if not vehicles and visit.mandatory:
            reason = (
                "its time window holds no whole time step"
                if not window_ok
                else "no allowed vehicle can reach it and get back in its shift, or its "
                "time window is outside every allowed shift, or its service is longer "
                "than the shift"
            )
            problems.append(f"visit {visit.id!r} is mandatory but cannot be served: {reason}")
    return possible, problems


def _empty_routes_infeasible(problem: RoutingProblem) -> list[str]:
    """Vehicles whose empty route (start → end) is infeasible once times are integers."""
    scale = problem.time_scale
    problems = []
    travel_of = {
        p: integer.travel_matrix(problem, p)[0] for p in {v.profile for v in problem.vehicles}
    }
    for v in problem.vehicles:
        direct = int(travel_of[v.profile][v.start_node, v.end_node])
        shift = integer.time_down(v.shift_end, scale) - integer.time_up(v.shift_start, scale)
        limit = (
            integer.time_down(v.max_travel_minutes, scale)
            if v.max_travel_minutes is not None
            else direct
        )
        windows_ok = all(
            integer.time_up(b.earliest_start, scale) <= integer.time_down(b.latest_start, scale)
            for b in v.breaks
        )
        if direct > min(shift, limit) or not windows_ok:
            problems.append(
                f"vehicle {v.id!r}: after rounding times to 1/{scale:g} minute, going straight "
                "from start to end does not fit its shift or travel limit, or a break window "
                "holds no whole time step; widen them or raise time_scale"
            )
    return problems


def _service_key(v: Vehicle) -> tuple[str, float, float, int]:
    return (v.profile, v.setup_minutes, v.minutes_per_record, v.kits)


def build_model(problem: RoutingProblem, seed: int = 0) -> OrToolsModel:
    """Build the OR-Tools model of ``problem``.

    Parameters
    ----------
    problem
        A validated routing problem.
    seed
        0 keeps the visits in problem order inside the model; any other value shuffles that
        order reproducibly, which changes how the heuristics break ties.

    Returns
    -------
    OrToolsModel

    Raises
    ------
    RoutingError
        When a mandatory visit cannot be served by any vehicle (listed one by one).
    """
    started = time.perf_counter()
    scale = problem.time_scale
    possible, problems = _possible_vehicles(problem)
    problems += _empty_routes_infeasible(problem)
    if problems:
        raise RoutingError(problems)

    order = list(range(len(problem.visits)))
    if seed:
        order = [int(i) for i in np.random.default_rng(seed).permutation(len(order))]
    modelled = [i for i in order if possible[i]]
    excluded = tuple(sorted(i for i in order if not possible[i]))
    group_penalty = {
        v.alternatives: int(v.penalty or 0) for v in problem.visits if v.alternatives is not None
    }
    excluded_penalty = sum(
        int(problem.visits[i].penalty or 0)
        for i in excluded
        if problem.visits[i].alternatives is None
    )
    # a set of alternatives costs its penalty once, when none of them can be modelled
    modelled_groups = {problem.visits[i].alternatives for i in modelled}
    excluded_penalty += sum(p for key, p in group_penalty.items() if key not in modelled_groups)

    depots = sorted(
        {v.start_node for v in problem.vehicles} | {v.end_node for v in problem.vehicles}
    )
    matrix_node = [problem.visits[i].node for i in modelled] + depots
    depot_model_node = {d: len(modelled) + k for k, d in enumerate(depots)}
    visit_of_node = list(modelled) + [-1] * len(depots)
    n_model = len(matrix_node)
    node_arr = np.asarray(matrix_node, dtype=np.int64)

    manager = pywrapcp.RoutingIndexManager(
        n_model,
        len(problem.vehicles),
        [depot_model_node[v.start_node] for v in problem.vehicles],
        [depot_model_node[v.end_node] for v in problem.vehicles],
    )
    routing = pywrapcp.RoutingModel(manager)

    horizon = max(integer.time_down(v.shift_end, scale) for v in problem.vehicles)
    big_transit = horizon + 1

    # a served visit's price is paid on the arc that reaches it (one model node per visit)
    serve_cost = np.array(
        [problem.visits[i].serve_cost if i >= 0 else 0 for i in visit_of_node], dtype=np.int64
    )
    travel_of: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    cost_callback: dict[str, int] = {}
    forbidden_everywhere = np.ones((n_model, n_model), dtype=bool)
    for profile in sorted({v.profile for v in problem.vehicles}):
        travel, forbidden = integer.travel_matrix(problem, profile)
        travel = travel[np.ix_(node_arr, node_arr)]
        forbidden = forbidden[np.ix_(node_arr, node_arr)]
        travel_of[profile] = (travel, forbidden)
        forbidden_everywhere &= forbidden
        cost = integer.cost_matrix(problem, profile)[np.ix_(node_arr, node_arr)]
        big_cost = 10 * (int(cost.max()) + 1) * max(1, n_model)
        cost = np.where(forbidden, big_cost, cost) + serve_cost[None, :]
        cost_callback[profile] = routing.RegisterTransitMatrix(cost.tolist())

    service_of: dict[tuple[str, float, float, int], np.ndarray] = {}
    time_callback: dict[tuple[str, float, float, int], int] = {}
    for v in problem.vehicles:
        key = _service_key(v)
        if key in time_callback:
            continue
        service = np.zeros(n_model, dtype=np.int64)
        for m, i in enumerate(visit_of_node):
            if i >= 0:
                service[m] = integer.service_time(v, problem.visits[i], scale)
        travel, forbidden = travel_of[v.profile]
        transit = np.where(forbidden, big_transit, travel + service[:, None])
        service_of[key] = service
        time_callback[key] = routing.RegisterTransitMatrix(transit.tolist())

    for k, v in enumerate(problem.vehicles):
        routing.SetArcCostEvaluatorOfVehicle(cost_callback[v.profile], k)
        routing.SetFixedCostOfVehicle(int(v.fixed_cost), k)

    routing.AddDimensionWithVehicleTransitAndCapacity(
        [time_callback[_service_key(v)] for v in problem.vehicles],
        horizon,
        [integer.time_down(v.shift_end, scale) for v in problem.vehicles],
        False,
        "Time",
    )
    time_dim = routing.GetDimensionOrDie("Time")
    for k, v in enumerate(problem.vehicles):
        lo, hi = integer.time_up(v.shift_start, scale), integer.time_down(v.shift_end, scale)
        # a start row priced for a departure clock (timed ferry): leave no later than that
        leave = hi if v.latest_start is None else max(lo, integer.time_down(v.latest_start, scale))
        time_dim.CumulVar(routing.Start(k)).SetRange(lo, min(hi, leave))
        time_dim.CumulVar(routing.End(k)).SetRange(lo, hi)

    index_of_visit: dict[int, int] = {}
    alternatives: dict[str, list[int]] = {}
    for m, i in enumerate(visit_of_node):
        if i < 0:
            continue
        index = manager.NodeToIndex(m)
        index_of_visit[i] = index
        visit = problem.visits[i]
        if visit.time_window is not None:
            early, late = visit.time_window
            time_dim.CumulVar(index).SetRange(
                max(0, integer.time_up(early, scale)),
                min(horizon, integer.time_down(late, scale)),
            )
        if visit.soft_time_window is not None and visit.soft_window_cost > 0:
            # rounded leniently (start down, end up): a soft bound only prices minutes
            per_unit = max(1, round(visit.soft_window_cost / scale))
            early, late = visit.soft_time_window
            time_dim.SetCumulVarSoftLowerBound(
                index, max(0, integer.time_down(early, scale)), per_unit
            )
            time_dim.SetCumulVarSoftUpperBound(index, integer.time_up(late, scale), per_unit)
        if len(possible[i]) < len(problem.vehicles):
            # SetAllowedVehiclesForIndex does not accept Python lists in ortools 9.15
            # (absl::Span typemap); restricting VehicleVar is the same constraint.
            unperformed = [] if visit.mandatory else [-1]
            routing.VehicleVar(index).SetValues(unperformed + possible[i])
        if visit.alternatives is not None:
            alternatives.setdefault(visit.alternatives, []).append(index)
        elif not visit.mandatory:
            routing.AddDisjunction([index], int(visit.penalty or 0))
    for group, indices in alternatives.items():
        routing.AddDisjunction(indices, group_penalty[group], 1)

    _forbid_arcs(routing, manager, forbidden_everywhere, visit_of_node)
    breaks = _add_breaks(problem, routing, manager, time_dim, service_of)
    _add_capacity(problem, routing, visit_of_node)
    _add_travel_limit(problem, routing, travel_of)
    _add_locked_order(problem, routing, index_of_visit)
    _add_shared_capacities(problem, routing, index_of_visit)
    copies = _copy_classes(problem, modelled) if ORDER_COPIES else []
    for members in copies:
        for first, then in itertools.pairwise(members):
            routing.solver().Add(
                routing.ActiveVar(index_of_visit[then]) <= routing.ActiveVar(index_of_visit[first])
            )

    for k in range(len(problem.vehicles)):
        routing.AddVariableMaximizedByFinalizer(time_dim.CumulVar(routing.Start(k)))
        routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(routing.End(k)))

    return OrToolsModel(
        problem=problem,
        manager=manager,
        routing=routing,
        time_dimension=time_dim,
        visit_of_node=visit_of_node,
        index_of_visit=index_of_visit,
        excluded=excluded,
        excluded_penalty=excluded_penalty,
        break_intervals=breaks,
        build_seconds=time.perf_counter() - started,
        copies=tuple(copies),
    )


def _forbid_arcs(
    routing: Any, manager: Any, forbidden: np.ndarray, visit_of_node: list[int]
) -> None:
    """Remove arcs between visits that no profile can use from the Next variables."""
    visits = np.asarray([m for m, i in enumerate(visit_of_node) if i >= 0], dtype=np.int64)
    if not visits.size:
        return
    between = forbidden[np.ix_(visits, visits)]
    np.fill_diagonal(between, False)
    for row in np.nonzero(between.any(axis=1))[0]:
        targets = visits[np.nonzero(between[row])[0]]
        routing.NextVar(manager.NodeToIndex(int(visits[row]))).RemoveValues(
            [manager.NodeToIndex(int(t)) for t in targets]
        )


def _add_breaks(
    problem: RoutingProblem,
    routing: Any,
    manager: Any,
    time_dim: Any,
    service_of: dict[tuple[str, float, float, int], np.ndarray],
) -> list[list[Any]]:
    solver = routing.solver()
    scale = problem.time_scale
    intervals_of: list[list[Any]] = []
    for k, v in enumerate(problem.vehicles):
        intervals = [
            solver.FixedDurationIntervalVar(
                integer.time_up(b.earliest_start, scale),
                integer.time_down(b.latest_start, scale),
                integer.time_up(b.duration, scale),
                False,
                f"break {k}.{j}",
            )
            for j, b in enumerate(v.breaks)
        ]
        intervals_of.append(intervals)
        if not intervals:
            continue
        service = service_of[_service_key(v)]
        visit_transits = [0] * routing.Size()
        for index in range(routing.Size()):
            if not routing.IsStart(index):
                visit_transits[index] = int(service[manager.IndexToNode(index)])
        time_dim.SetBreakIntervalsOfVehicle(intervals, k, visit_transits)
        for interval in intervals:
            routing.AddIntervalToAssignment(interval)
    return intervals_of


def _add_capacity(problem: RoutingProblem, routing: Any, visit_of_node: list[int]) -> None:
    if all(v.capacity is None for v in problem.vehicles):
        return
    demand = [problem.visits[i].demand if i >= 0 else 0 for i in visit_of_node]
    total = sum(demand)
    callback = routing.RegisterUnaryTransitVector(demand)
    capacities = [int(v.capacity) if v.capacity is not None else total for v in problem.vehicles]
    routing.AddDimensionWithVehicleCapacity(callback, 0, capacities, True, "Capacity")


def _add_travel_limit(
    problem: RoutingProblem, routing: Any, travel_of: dict[str, tuple[np.ndarray, np.ndarray]]
) -> None:
    if all(v.max_travel_minutes is None for v in problem.vehicles):
        return
    callbacks = {
        profile: routing.RegisterTransitMatrix(travel.tolist())
        for profile, (travel, _) in travel_of.items()
    }
    unlimited = int(sum(int(t.sum()) for t, _ in travel_of.values())) + 1
    routing.AddDimensionWithVehicleTransitAndCapacity(
        [callbacks[v.profile] for v in problem.vehicles],
        0,
        [
            integer.time_down(v.max_travel_minutes, problem.time_scale)
            if v.max_travel_minutes is not None
            else unlimited
            for v in problem.vehicles
        ],
        True,
        "Travel",
    )


def _add_locked_order(
    problem: RoutingProblem, routing: Any, index_of_visit: dict[int, int]
) -> None:
    ordered: dict[int, list[tuple[int, int]]] = {}
    for i, visit in enumerate(problem.visits):
        if visit.locked_vehicle is not None and visit.locked_position is not None:
            ordered.setdefault(visit.locked_vehicle, []).append((visit.locked_position, i))
    if not any(len(chain) > 1 for chain in ordered.values()):
        return
    routing.AddConstantDimension(1, routing.Size() + 1, True, "Rank")
    rank = routing.GetDimensionOrDie("Rank")
    solver = routing.solver()
    for chain in ordered.values():
        chain.sort()
        for (_, a), (_, b) in itertools.pairwise(chain):
            solver.Add(rank.CumulVar(index_of_visit[a]) + 1 <= rank.CumulVar(index_of_visit[b]))


def _add_shared_capacities(
    problem: RoutingProblem, routing: Any, index_of_visit: dict[int, int]
) -> None:
    """Each shared capacity as a solver constraint on the visits' vehicle variables.

    ``Σ recordings x [vehicle of the visit in the set] ≤ limit`` (visits that cannot be served
    are outside the model and carry nothing). The routing filters do not see it: a move or an
    insertion that breaks it fails only when the solution is committed, so first-solution
    heuristics waste their time on it (:func:`planner.routing.solve.constructed_start`).
    """
    solver = routing.solver()
    for shared in problem.shared_capacities:
        vehicles = sorted(shared.vehicles)
        terms, weights = [], []
        for visit_id in shared.visit_ids:
            i = problem.visit_index(visit_id)
            recordings = problem.visits[i].recordings
            if i not in index_of_visit or recordings == 0 or not vehicles:
                continue
            terms.append(solver.IsMemberVar(routing.VehicleVar(index_of_visit[i]), vehicles))
            weights.append(int(recordings))
        if terms and sum(weights) > shared.limit:
            solver.Add(solver.ScalProd(terms, weights) <= int(shared.limit))


#: Iterated local search (``search_parameters(iterated_local_search=True)``): SISR ruin
#: ("Slack Induction by String Removals", Christiaens & Vanden Berghe 2020) with the paper's
#: suggested sizes, recreated by local cheapest insertion, each perturbed solution improved by
#: a greedy local search, and accepted by simulated annealing with OR-Tools' automatic
#: temperatures (greedy acceptance under a solution limit, see ``search_parameters``).
ILS_SISR_MAX_SEQUENCE = 10
ILS_SISR_AVERAGE_REMOVED = 10
ILS_SISR_BYPASS = 0.01
#: Operators switched off inside the ILS: insertion-based LNS operators that rebuild whole
#: paths (and the visit-type ones, for a constraint the planner does not use). The ILS
#: perturbation already is a ruin-and-recreate; without them each iteration's local search
#: is shorter, so more iterations fit in the time limit.
ILS_OPERATORS_OFF = (
    "use_global_cheapest_insertion_path_lns",
    "use_local_cheapest_insertion_path_lns",
    "use_relocate_path_global_cheapest_insertion_insert_unperformed",
    "use_global_cheapest_insertion_visit_types_lns",
    "use_local_cheapest_insertion_visit_types_lns",
)


FINALIZER_TIME_LIMIT_S = 10.0
"""Budget of OR-Tools' solution finalizer (its ``lns_time_limit``), capped by the time limit.

Every solution OR-Tools accepts (a replayed start, a first solution, a local-search move) is
completed by a nested search, the *finalizer*, that fixes what the routes leave open: the
start and end times of each route and the break intervals. That nested search runs under
``lns_time_limit``, 100 ms by default; when it runs out the solution is thrown away, as if it
were infeasible. Its work grows with the vehicles that have a break (the break constraint
propagates over every route): Sumenep's example week (45 team-days, 781 candidate chunks)
needs 0.1-0.3 s, so OR-Tools rejected the greedy start routes, and even the empty plan, in
most runs (all 45 start routes accepted with 1 s, none with the default; BENCHMARKS.md
section 12). The finalizer succeeds in well under a second on the planner's largest weeks,
so a generous cap costs nothing when it is not needed."""


def search_parameters(
    *,
    first_solution: str,
    metaheuristic: str,
    time_limit_s: float | None,
    solution_limit: int | None,
    log_search: bool,
    iterated_local_search: bool = False,
    guided_local_search_lambda: float | None = None,
) -> Any:
    """OR-Tools search parameters for the given strategy names and limits.

    With ``iterated_local_search`` the search is OR-Tools' ruin-and-recreate iterated local
    search (run it through :func:`search`, which calls the ILS entry point); ``metaheuristic``
    is then replaced by greedy descent, which is the local search of each ILS iteration.
    Simulated-annealing acceptance measures progress with the clock, so under a
    ``solution_limit`` the acceptance is greedy instead, which keeps runs reproducible.
    The finalizer that completes each solution gets :data:`FINALIZER_TIME_LIMIT_S` (at most
    the time limit) instead of OR-Tools' 100 ms, which threw away solutions of large groups.
    """
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, first_solution
    )
    params.local_search_metaheuristic = getattr(
        routing_enums_pb2.LocalSearchMetaheuristic, metaheuristic
    )
    if guided_local_search_lambda is not None:
        params.guided_local_search_lambda_coefficient = float(guided_local_search_lambda)
    if iterated_local_search:
        params.local_search_metaheuristic = (
            routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
        )
        params.use_iterated_local_search = True
        ils = params.iterated_local_search_parameters
        ils.perturbation_strategy = routing_ils_pb2.PerturbationStrategy.RUIN_AND_RECREATE
        rr = ils.ruin_recreate_parameters
        del rr.ruin_strategies[:]
        sisr = rr.ruin_strategies.add().sisr
        sisr.max_removed_sequence_size = ILS_SISR_MAX_SEQUENCE
        sisr.avg_num_removed_visits = ILS_SISR_AVERAGE_REMOVED
        sisr.bypass_factor = ILS_SISR_BYPASS
        rr.recreate_strategy.heuristic = (
            routing_enums_pb2.FirstSolutionStrategy.LOCAL_CHEAPEST_INSERTION
        )
        ils.improve_perturbed_solution = True
        if solution_limit is None:
            annealing = ils.reference_solution_acceptance_strategy.simulated_annealing
            annealing.cooling_schedule_strategy = (
                routing_ils_pb2.CoolingScheduleStrategy.EXPONENTIAL
            )
            annealing.automatic_temperatures = True
        else:
            ils.reference_solution_acceptance_strategy.greedy_descent.SetInParent()
        ils.best_solution_acceptance_strategy.greedy_descent.SetInParent()
        for name in ILS_OPERATORS_OFF:
            setattr(params.local_search_operators, name, optional_boolean_pb2.BOOL_FALSE)
    finalizer_s = FINALIZER_TIME_LIMIT_S
    if time_limit_s is not None:
        params.time_limit.FromMilliseconds(max(1, round(time_limit_s * 1000)))
        finalizer_s = min(finalizer_s, max(time_limit_s, 0.1))
    params.lns_time_limit.FromMilliseconds(round(finalizer_s * 1000))
    if solution_limit is not None:
        params.solution_limit = int(solution_limit)
    params.log_search = bool(log_search)
    return params


def search(
    model: OrToolsModel,
    params: Any,
    initial_routes: Sequence[Sequence[int]] | None = None,
) -> RawSolution | None:
    """Search the model; start from ``initial_routes`` (visit indices) when they are feasible.

    When the first-solution heuristic finds nothing (it can run out of time on a large
    problem), the search is run again from the *locked-only* routes: every locked visit on
    its vehicle in locked order, everything else dropped. When all other visits are optional
    that start is feasible, so a solution is always returned; this second run gets the time
    left, and at least one second.

    Returns ``None`` when no solution was found.
    """
    routing = model.routing
    # ReadAssignmentFromRoutes runs under the search limits given at closing time: with the
    # real (short) time limit it fails at random on large models. Close with a loose limit;
    # SolveWithParameters applies the real one.
    loose = type(params)()
    loose.CopyFrom(params)
    loose.time_limit.FromSeconds(86_400)
    solver = routing.solver()
    # Ctrl-C / SIGTERM stop the search (planner/core/interrupt.py): a Python callable in a search
    # limit lets the signal handler run during the C++ search and ends it cleanly
    stop = solver.CustomLimit(interrupt.search_stop_check(lambda: solver.Solutions() > 0))
    routing.AddSearchMonitor(stop)
    routing.CloseModelWithParameters(loose)
    started = time.perf_counter()
    start = None
    if initial_routes is not None:
        start = _read_routes(model, initial_routes)
    fallback = _read_routes(model, _locked_routes(model.problem)) if start is None else None
    with interrupt.solver_section():
        if start is not None and params.use_iterated_local_search:
            # OR-Tools' ILS has no start-assignment argument: its first solution comes from the
            # first-solution heuristic, and a hint steers LOCAL_CHEAPEST_INSERTION (only it and
            # LOCAL_CHEAPEST_COST_INSERTION read hints, per the 9.15 docs) towards the routes
            hinted = type(params)()
            hinted.CopyFrom(params)
            hinted.first_solution_strategy = (
                routing_enums_pb2.FirstSolutionStrategy.LOCAL_CHEAPEST_INSERTION
            )
            routing.SetFirstSolutionHint(start)
            found = routing.SolveWithIteratedLocalSearch(hinted)
        elif start is not None:
            found = routing.SolveFromAssignmentWithParameters(start, params)
        elif params.use_iterated_local_search:
            # Ruin-and-recreate iterations around a local search; OR-Tools only runs them
            # through this entry point (SolveWithParameters ignores the flag).
            found = routing.SolveWithIteratedLocalSearch(params)
        else:
            found = routing.SolveWithParameters(params)
        retry_from_locked = found is None and start is None and fallback is not None
        if retry_from_locked and not interrupt.stop_requested():
            retry = type(params)()
            retry.CopyFrom(params)
            if params.HasField("time_limit"):
                limit_s = params.time_limit.ToMilliseconds() / 1000
                left = limit_s - (time.perf_counter() - started)
                retry.time_limit.FromMilliseconds(round(1000 * max(1.0, left)))
            found = routing.SolveFromAssignmentWithParameters(fallback, retry)
    if found is None:
        return None
    return _extract(model, found, warm_started=start is not None)


def _locked_routes(problem: RoutingProblem) -> list[list[int]]:
    """Locked visits per vehicle, in locked order (unpositioned ones last): a safe start."""
    routes: list[list[tuple[float, int]]] = [[] for _ in problem.vehicles]
    for i, visit in enumerate(problem.visits):
        if visit.locked_vehicle is not None:
            rank = visit.locked_position if visit.locked_position is not None else float("inf")
            routes[visit.locked_vehicle].append((rank, i))
    return [[i for _, i in sorted(route)] for route in routes]


def _canonical_copies(
    copies: Sequence[Sequence[int]], routes: Sequence[Sequence[int]]
) -> list[list[int]]:
    """Rename served copies to the first members of their class (same routes otherwise)."""
    rename: dict[int, int] = {}
    served = {i for route in routes for i in route}
    for members in copies:
        used = [i for i in members if i in served]
        rename.update(zip(used, members[: len(used)], strict=True))
    return [[rename.get(i, i) for i in route] for route in routes]


def _read_routes(model: OrToolsModel, routes: Sequence[Sequence[int]]) -> Any:
    if any(i not in model.index_of_visit for route in routes for i in route):
        return None
    routes = _canonical_copies(model.copies, routes)
    padded = [list(r) for r in routes] + [[]] * (len(model.problem.vehicles) - len(routes))
    as_indices = [[model.index_of_visit[i] for i in route] for route in padded]
    return model.routing.ReadAssignmentFromRoutes(as_indices, True)


def _extract(model: OrToolsModel, found: Any, *, warm_started: bool) -> RawSolution:
    routing, time_dim = model.routing, model.time_dimension
    routes = []
    served: set[int] = set()
    for k in range(len(model.problem.vehicles)):
        visits, starts = [], []
        index = found.Value(routing.NextVar(routing.Start(k)))
        while not routing.IsEnd(index):
            i = model.visit_of_node[model.manager.IndexToNode(index)]
            visits.append(i)
            starts.append(found.Value(time_dim.CumulVar(index)))
            index = found.Value(routing.NextVar(index))
        served.update(visits)
        breaks = tuple(
            (found.StartValue(interval), found.DurationValue(interval))
            for interval in model.break_intervals[k]
        )
        routes.append(
            RawRoute(
                vehicle=k,
                visits=tuple(visits),
                starts=tuple(starts),
                route_start=found.Value(time_dim.CumulVar(routing.Start(k))),
                route_end=found.Value(time_dim.CumulVar(routing.End(k))),
                breaks=breaks,
            )
        )
    dropped = tuple(i for i in range(len(model.problem.visits)) if i not in served)
    return RawSolution(
        routes=tuple(routes),
        dropped=dropped,
        objective=int(found.ObjectiveValue()) + model.excluded_penalty,
        status=_STATUS_NAMES.get(routing.status(), str(routing.status())),
        warm_started=warm_started,
    )
