"""The routing problem as plain data: visits, vehicles, travel matrices.

Long module: the problem types and the checks that validate them on construction belong
together, so that every invalid problem is refused with all its faults in one error.

Nothing here knows about villages, teams or OR-Tools. Callers (the planner, the Solomon
benchmark) translate their own data into a :class:`RoutingProblem`; ``ortools_model`` turns it
into a solver model; ``solve`` runs it. Times are in *problem minutes* (any consistent unit:
minutes for the planner, Solomon time units for the benchmark), as floats.

A problem is validated when it is constructed: every problem found is listed in one
:class:`~planner.core.errors.RoutingError`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from planner.core.errors import RoutingError


@dataclass(frozen=True)
class Visit:
    """One stop that a vehicle may (or must) make.

    Parameters
    ----------
    id
        Unique identifier, returned in routes and in ``dropped``.
    node
        Row/column of the travel matrices where the visit takes place. Several visits may
        share a node (e.g. chunks of one village).
    penalty
        Cost of leaving the visit out, in objective units (see :class:`RoutingProblem`).
        ``None`` makes the visit mandatory.
    recordings
        Units of work done at the visit. Service on vehicle ``v`` is
        ``v.setup_minutes + recordings * v.minutes_per_record / v.kits``.
    service_minutes
        Fixed service duration that overrides the formula above, for every vehicle.
    demand
        Load taken by the visit on the capacity dimension.
    time_window
        ``(earliest, latest)`` start of service, in problem minutes; ``None`` = any time in
        the vehicle's shift.
    allowed_vehicles
        Indices (into ``RoutingProblem.vehicles``) of the vehicles that may serve the visit;
        ``None`` = any vehicle.
    locked_vehicle
        Index of the vehicle that must serve the visit. A locked visit is never dropped.
    locked_position
        Order among the locked visits of the same vehicle (0-based, smaller first). Other
        visits may be inserted between locked ones.
    alternatives
        Key of a set of interchangeable visits: at most one visit with the same key is
        served, and leaving them all out costs their (equal) ``penalty`` once. Used for a
        visit that should stay on one vehicle but may move to others at a price.
    serve_cost
        Objective units paid when the visit is served (a price for choosing it among
        its alternatives).
    soft_time_window
        ``(earliest, latest)`` preferred start of service, in problem minutes: a served visit
        that starts before ``earliest`` or after ``latest`` pays ``soft_window_cost`` per
        problem minute outside (e.g. an announced visit kept near its announced time).
        ``None`` = no preference.
    soft_window_cost
        Objective units per problem minute outside ``soft_time_window``.
    """

    id: str
    node: int
    penalty: int | None = None
    recordings: int = 0
    service_minutes: float | None = None
    demand: int = 0
    time_window: tuple[float, float] | None = None
    allowed_vehicles: frozenset[int] | None = None
    locked_vehicle: int | None = None
    locked_position: int | None = None
    alternatives: str | None = None
    serve_cost: int = 0
    soft_time_window: tuple[float, float] | None = None
    soft_window_cost: int = 0

    @property
    def mandatory(self) -> bool:
        """True when the visit cannot be dropped (no penalty, or locked to a vehicle)."""
        return self.penalty is None or self.locked_vehicle is not None


@dataclass(frozen=True)
class Break:
    """A break a vehicle must take: it starts in ``[earliest_start, latest_start]``.

    No service overlaps a break, and travel does not happen during it: the gap between two
    services must hold the travel time plus the breaks placed in it.
    """

    earliest_start: float
    latest_start: float
    duration: float


@dataclass(frozen=True)
class Vehicle:
    """One vehicle (for the planner: one team on one working day).

    Parameters
    ----------
    id
        Unique identifier, returned in routes.
    start_node, end_node
        Matrix rows where the route starts and ends.
    shift_start, shift_end
        The route leaves ``start_node`` no earlier than ``shift_start`` and is back at
        ``end_node`` no later than ``shift_end`` (problem minutes).
    breaks
        Breaks to take during the shift.
    profile
        Key of ``RoutingProblem.minutes`` (and ``cost``) to use: the travel mode.
    setup_minutes, minutes_per_record, kits
        Service-time formula, see :class:`Visit`.
    capacity
        Maximum total ``demand`` on the route; ``None`` = unlimited.
    fixed_cost
        Objective cost of using the vehicle at all (objective units).
    max_travel_minutes
        Upper bound on the route's total travel time (service and waiting excluded).
    latest_start
        The route leaves ``start_node`` no later than this (``None``: any time in the shift).
        Set when the start row's arcs assume a departure clock (a timed ferry to catch).
    """

    id: str
    start_node: int
    end_node: int
    shift_start: float
    shift_end: float
    breaks: tuple[Break, ...] = ()
    profile: str = "default"
    setup_minutes: float = 0.0
    minutes_per_record: float = 0.0
    kits: int = 1
    capacity: int | None = None
    fixed_cost: int = 0
    max_travel_minutes: float | None = None
    latest_start: float | None = None

    def service_minutes(self, visit: Visit) -> float:
        """Service duration of ``visit`` when this vehicle serves it, in problem minutes."""
        if visit.service_minutes is not None:
            return float(visit.service_minutes)
        if visit.recordings == 0 and self.minutes_per_record == 0:
            return float(self.setup_minutes)
        return self.setup_minutes + visit.recordings * self.minutes_per_record / self.kits


@dataclass(frozen=True)
class SharedCapacity:
    """Visits that share one capacity across vehicles: a queue limit of a place on one day.

    Of the visits ``visit_ids``, those served by any of ``vehicles`` carry at most ``limit``
    recordings together (visits served by other vehicles do not count). Locked visits count
    too, so a limit below the locked visits' recordings makes the problem infeasible.

    Parameters
    ----------
    visit_ids
        Ids of the visits that share the capacity (e.g. the chunks of one village).
    vehicles
        Indices of the vehicles the limit applies to (e.g. the team-days of one date).
    limit
        Most ``recordings`` the visits may carry together on those vehicles.
    """

    visit_ids: tuple[str, ...]
    vehicles: frozenset[int]
    limit: int


@dataclass(frozen=True)
class RoutingProblem:
    """A vehicle-routing problem with time windows, breaks and optional visits.

    Parameters
    ----------
    visits, vehicles
        The stops and the fleet. Vehicles are referred to by their index.
    minutes
        Travel time per profile: an ``n × n`` float array; ``np.inf`` marks an arc that
        vehicles of that profile cannot use.
    cost
        Arc cost per profile (same shape); defaults to ``minutes``. A non-finite cost also
        forbids the arc.
    shared_capacities
        Limits on the recordings of sets of visits across sets of vehicles
        (:class:`SharedCapacity`); none by default.
    time_scale
        Times are multiplied by this and made integers for the solver: 1 for planner minutes,
        100 for Solomon. Times are rounded *conservatively* (travel and service up, window
        ends down, window starts up), so a plan feasible for the solver is feasible in real
        arithmetic. Arc costs are multiplied by it and rounded to the nearest integer.

    Notes
    -----
    The solver objective, in integer *objective units*, is
    ``Σ round(cost × time_scale)`` over used arcs + ``fixed_cost`` of used vehicles +
    ``penalty`` of dropped visits (once per set of ``alternatives``) + ``serve_cost`` of
    served visits. Penalties and costs are given in these units.
    """

    visits: tuple[Visit, ...]
    vehicles: tuple[Vehicle, ...]
    minutes: Mapping[str, np.ndarray]
    cost: Mapping[str, np.ndarray] | None = None
    time_scale: float = 1.0
    shared_capacities: tuple[SharedCapacity, ...] = ()
    _visit_index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "visits", tuple(self.visits))
        object.__setattr__(self, "vehicles", tuple(self.vehicles))
        object.__setattr__(self, "shared_capacities", tuple(self.shared_capacities))
        object.__setattr__(self, "_visit_index", {v.id: i for i, v in enumerate(self.visits)})
        self.validate()

    @property
    def num_nodes(self) -> int:
        """Number of rows of the travel matrices."""
        first = next(iter(self.minutes.values()))
        return int(np.asarray(first).shape[0])

    def visit_index(self, visit_id: str) -> int:
        """Position of the visit called ``visit_id`` in ``visits``."""
        try:
            return self._visit_index[visit_id]
        except KeyError:
            raise RoutingError(f"unknown visit id {visit_id!r}") from None

    def arc_minutes(self, profile: str) -> np.ndarray:
        """Travel-time matrix of ``profile`` as a float array."""
        return np.asarray(self.minutes[profile], dtype=float)

    def arc_cost(self, profile: str) -> np.ndarray:
        """Arc-cost matrix of ``profile`` (``minutes`` when no cost is given)."""
        if self.cost is None:
            return self.arc_minutes(profile)
        return np.asarray(self.cost[profile], dtype=float)

    def allowed_vehicles(self, visit: Visit) -> frozenset[int]:
        """Vehicle indices that may serve ``visit`` (locks and ``allowed_vehicles``)."""
        allowed = frozenset(range(len(self.vehicles)))
        if visit.allowed_vehicles is not None:
            allowed &= visit.allowed_vehicles
        if visit.locked_vehicle is not None:
            allowed &= frozenset({visit.locked_vehicle})
        return allowed

    def validate(self) -> None:
        """Check shapes, indices and windows; raise one RoutingError listing every problem."""
        problems: list[str] = []
        problems += _check_matrices(self)
        n = self.num_nodes if not problems else -1
        if not math.isfinite(self.time_scale) or self.time_scale <= 0:
            problems.append(f"time_scale must be a positive number, got {self.time_scale}")
        if not self.vehicles:
            problems.append("the problem has no vehicles")
        problems += _check_vehicles(self, n)
        problems += _check_visits(self, n)
        problems += _check_shared(self)
        if problems:
            raise RoutingError(problems)


def _check_matrices(problem: RoutingProblem) -> list[str]:
    problems: list[str] = []
    if not problem.minutes:
        return ["minutes: no travel matrix given"]
    shapes = set()
    tables = [("minutes", problem.minutes)]
    if problem.cost is not None:
        tables.append(("cost", problem.cost))
        missing = sorted(set(problem.minutes) - set(problem.cost))
        if missing:
            problems.append(f"cost: no matrix for profile(s) {missing}")
    for name, table in tables:
        for profile, matrix in table.items():
            array = np.asarray(matrix, dtype=float)
            if array.ndim != 2 or array.shape[0] != array.shape[1]:
                problems.append(f"{name}[{profile!r}]: expected a square matrix, got {array.shape}")
                continue
            shapes.add(array.shape[0])
            if np.isnan(array).any():
                problems.append(f"{name}[{profile!r}]: contains NaN (use np.inf for no arc)")
            if (array < 0).any():
                problems.append(f"{name}[{profile!r}]: contains negative values")
    if len(shapes) > 1:
        problems.append(f"travel matrices have different sizes: {sorted(shapes)}")
    return problems


def _check_vehicles(problem: RoutingProblem, n: int) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for k, v in enumerate(problem.vehicles):
        where = f"vehicle {k} ({v.id!r})"
        if v.id in seen:
            problems.append(f"{where}: duplicate vehicle id")
        seen.add(v.id)
        if v.profile not in problem.minutes:
            problems.append(
                f"{where}: profile {v.profile!r} has no travel matrix; "
                f"profiles are {sorted(problem.minutes)}"
            )
        for label, node in (("start_node", v.start_node), ("end_node", v.end_node)):
            if n >= 0 and not 0 <= node < n:
                problems.append(f"{where}: {label} {node} outside 0..{n - 1}")
        if not (math.isfinite(v.shift_start) and math.isfinite(v.shift_end)):
            problems.append(f"{where}: shift bounds must be finite")
        elif v.shift_start < 0 or v.shift_end < v.shift_start:
            problems.append(
                f"{where}: shift [{v.shift_start}, {v.shift_end}] is not 0 ≤ start ≤ end"
            )
        nodes_ok = n >= 0 and 0 <= v.start_node < n and 0 <= v.end_node < n
        if nodes_ok and v.profile in problem.minutes:
            direct = float(np.asarray(problem.minutes[v.profile])[v.start_node, v.end_node])
            if v.start_node != v.end_node and not direct <= v.shift_end - v.shift_start:
                problems.append(
                    f"{where}: cannot even go from start_node to end_node within the shift"
                )
            elif v.max_travel_minutes is not None and not direct <= v.max_travel_minutes:
                problems.append(
                    f"{where}: going from start_node to end_node alone exceeds "
                    f"max_travel_minutes {v.max_travel_minutes}"
                )
        for b, brk in enumerate(v.breaks):
            if brk.duration < 0 or brk.latest_start < brk.earliest_start:
                problems.append(f"{where}: break {b} has a negative duration or an empty window")
            elif (
                brk.earliest_start < v.shift_start or brk.latest_start + brk.duration > v.shift_end
            ):
                problems.append(f"{where}: break {b} does not fit inside the shift")
        if v.kits < 1:
            problems.append(f"{where}: kits must be at least 1, got {v.kits}")
        if min(v.setup_minutes, v.minutes_per_record) < 0:
            problems.append(f"{where}: setup_minutes and minutes_per_record must be ≥ 0")
        if v.capacity is not None and v.capacity < 0:
            problems.append(f"{where}: capacity must be ≥ 0")
        if v.fixed_cost < 0:
            problems.append(f"{where}: fixed_cost must be ≥ 0")
        if v.max_travel_minutes is not None and v.max_travel_minutes < 0:
            problems.append(f"{where}: max_travel_minutes must be ≥ 0")
    return problems


def _check_visits(problem: RoutingProblem, n: int) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    n_vehicles = len(problem.vehicles)
    locked_positions: dict[tuple[int, int], str] = {}
    alternative_penalty: dict[str, int | None] = {}
    for k, visit in enumerate(problem.visits):
        where = f"visit {k} ({visit.id!r})"
        if visit.id in seen:
            problems.append(f"{where}: duplicate visit id")
        seen.add(visit.id)
        if n >= 0 and not 0 <= visit.node < n:
            problems.append(f"{where}: node {visit.node} outside 0..{n - 1}")
        if visit.penalty is not None and visit.penalty < 0:
            problems.append(f"{where}: penalty must be ≥ 0 (None = mandatory)")
        if visit.recordings < 0 or visit.demand < 0:
            problems.append(f"{where}: recordings and demand must be ≥ 0")
        if visit.service_minutes is not None and not (
            math.isfinite(visit.service_minutes) and visit.service_minutes >= 0
        ):
            problems.append(f"{where}: service_minutes must be a finite number ≥ 0")
        if visit.time_window is not None:
            early, late = visit.time_window
            if not (math.isfinite(early) and math.isfinite(late)) or early > late or early < 0:
                problems.append(f"{where}: time window {visit.time_window} is not 0 ≤ a ≤ b")
        if visit.soft_time_window is not None:
            early, late = visit.soft_time_window
            if not (math.isfinite(early) and math.isfinite(late)) or early > late or early < 0:
                problems.append(
                    f"{where}: soft time window {visit.soft_time_window} is not 0 ≤ a ≤ b"
                )
        if visit.soft_window_cost < 0:
            problems.append(f"{where}: soft_window_cost must be ≥ 0")
        if visit.allowed_vehicles is not None:
            bad = sorted(i for i in visit.allowed_vehicles if not 0 <= i < n_vehicles)
            if bad:
                problems.append(f"{where}: allowed_vehicles {bad} outside 0..{n_vehicles - 1}")
        if visit.locked_vehicle is not None:
            if not 0 <= visit.locked_vehicle < n_vehicles:
                problems.append(f"{where}: locked_vehicle {visit.locked_vehicle} out of range")
            elif (
                visit.allowed_vehicles is not None
                and visit.locked_vehicle not in visit.allowed_vehicles
            ):
                problems.append(f"{where}: locked to a vehicle it is not allowed on")
            if visit.locked_position is not None:
                key = (visit.locked_vehicle, visit.locked_position)
                if key in locked_positions:
                    problems.append(
                        f"{where}: locked position {visit.locked_position} on vehicle "
                        f"{visit.locked_vehicle} already used by {locked_positions[key]!r}"
                    )
                locked_positions[key] = visit.id
        elif visit.locked_position is not None:
            problems.append(f"{where}: locked_position given without locked_vehicle")
        if visit.serve_cost < 0:
            problems.append(f"{where}: serve_cost must be ≥ 0")
        if visit.alternatives is not None:
            if visit.mandatory:
                problems.append(f"{where}: an alternative must be optional and not locked")
            first = alternative_penalty.setdefault(visit.alternatives, visit.penalty)
            if first != visit.penalty:
                problems.append(
                    f"{where}: alternatives {visit.alternatives!r} have different penalties"
                )
    return problems


def _check_shared(problem: RoutingProblem) -> list[str]:
    problems: list[str] = []
    known = {v.id for v in problem.visits}
    n_vehicles = len(problem.vehicles)
    for k, shared in enumerate(problem.shared_capacities):
        where = f"shared capacity {k}"
        unknown = sorted(set(shared.visit_ids) - known)
        if unknown:
            problems.append(f"{where}: unknown visit id(s) {unknown[:5]}")
        if len(set(shared.visit_ids)) != len(shared.visit_ids):
            problems.append(f"{where}: a visit id is listed twice")
        bad = sorted(i for i in shared.vehicles if not 0 <= i < n_vehicles)
        if bad:
            problems.append(f"{where}: vehicles {bad} outside 0..{n_vehicles - 1}")
        if shared.limit < 0:
            problems.append(f"{where}: limit must be ≥ 0, got {shared.limit}")
    return problems
