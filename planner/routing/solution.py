"""A solved routing problem as plain data: routes with times, dropped visits, objective."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stop:
    """One served visit, times in problem minutes.

    ``arrival`` is when the vehicle reaches the node if it leaves the previous stop (or the
    start) as soon as it can and takes any break scheduled in between on the way;
    ``start`` - ``arrival`` is waiting. Service runs from ``start`` to ``end``.
    """

    visit_id: str
    node: int
    arrival: float
    start: float
    end: float


@dataclass(frozen=True)
class ScheduledBreak:
    """A break as placed by the solver, in problem minutes."""

    start: float
    end: float


@dataclass(frozen=True)
class Route:
    """The plan of one vehicle: leaves its start node at ``start``, is back at ``end``.

    An unused vehicle has no stops.
    """

    vehicle_id: str
    vehicle: int
    stops: tuple[Stop, ...]
    start: float
    end: float
    breaks: tuple[ScheduledBreak, ...] = ()

    @property
    def visit_ids(self) -> tuple[str, ...]:
        """Visit ids in service order."""
        return tuple(stop.visit_id for stop in self.stops)

    @property
    def used(self) -> bool:
        """True when the route serves at least one visit."""
        return bool(self.stops)


@dataclass(frozen=True)
class RoutingSolution:
    """What :func:`planner.routing.solve` returns.

    Parameters
    ----------
    routes
        One route per vehicle, in the problem's vehicle order (empty for unused vehicles).
    dropped
        Ids of the visits left out, in problem order.
    objective
        Solver objective in integer objective units (see
        :class:`~planner.routing.problem.RoutingProblem`).
    status
        OR-Tools status name: ``ROUTING_SUCCESS`` (stopped by a limit after finding
        solutions), ``ROUTING_PARTIAL_SUCCESS_LOCAL_OPTIMUM_NOT_REACHED``, ``ROUTING_OPTIMAL``...
    wall_seconds
        Model build plus search time.
    warm_started
        True when ``initial_routes`` were given and feasible, so the search started from them.
    soft_windows_dropped
        True when the search found nothing with the visits' soft time windows and this
        solution was found without them (their preference was not priced).
    """

    routes: tuple[Route, ...]
    dropped: tuple[str, ...]
    objective: int
    status: str
    wall_seconds: float
    warm_started: bool = False
    soft_windows_dropped: bool = False

    @property
    def vehicles_used(self) -> int:
        """Number of routes that serve at least one visit."""
        return sum(route.used for route in self.routes)

    def route_visit_ids(self) -> list[list[str]]:
        """Visit ids per vehicle: the ``initial_routes`` form for a warm start."""
        return [list(route.visit_ids) for route in self.routes]
