"""How problem minutes and costs become the integers the solver works with.

Times are rounded *conservatively*: travel, service and break durations up, window and shift
starts up, window and shift ends down. A schedule that is feasible on these integers is then
feasible in real arithmetic too (the real schedule can keep the same start times: it only
waits a little longer). Costs are rounded to the nearest integer.

Pure NumPy: both the OR-Tools model and :func:`planner.routing.check.objective_of_routes`
use these functions, so the two agree to the unit.
"""

from __future__ import annotations

import math

import numpy as np

from planner.routing.problem import RoutingProblem, Vehicle, Visit

#: Tolerance on ``x × scale`` before rounding, so that 3.0000000001 × 100 becomes 300.
EPSILON = 1e-7


def time_up(minutes: float, scale: float) -> int:
    """Scaled time rounded up (durations, earliest starts)."""
    return math.ceil(minutes * scale - EPSILON)


def time_down(minutes: float, scale: float) -> int:
    """Scaled time rounded down (latest starts, shift ends)."""
    return math.floor(minutes * scale + EPSILON)


def travel_matrix(problem: RoutingProblem, profile: str) -> tuple[np.ndarray, np.ndarray]:
    """Scaled travel times (rounded up) and a mask of forbidden arcs for ``profile``.

    An arc is forbidden when its travel time or its cost is not finite. The diagonal is
    always allowed and takes no time (two visits at the same node).

    Returns
    -------
    travel : numpy.ndarray of int64
        Scaled travel times; 0 where forbidden.
    forbidden : numpy.ndarray of bool
    """
    minutes = problem.arc_minutes(profile)
    cost = problem.arc_cost(profile)
    forbidden = ~(np.isfinite(minutes) & np.isfinite(cost))
    np.fill_diagonal(forbidden, False)
    safe = np.where(forbidden, 0.0, minutes)
    np.fill_diagonal(safe, 0.0)
    travel = np.ceil(safe * problem.time_scale - EPSILON).astype(np.int64)
    return np.maximum(travel, 0), forbidden


def cost_matrix(problem: RoutingProblem, profile: str) -> np.ndarray:
    """Scaled arc costs rounded to the nearest integer; 0 on forbidden arcs."""
    minutes = problem.arc_minutes(profile)
    cost = problem.arc_cost(profile)
    ok = np.isfinite(minutes) & np.isfinite(cost)
    safe = np.where(ok, cost, 0.0)
    np.fill_diagonal(safe, 0.0)
    return np.rint(safe * problem.time_scale).astype(np.int64)


def service_time(vehicle: Vehicle, visit: Visit, scale: float) -> int:
    """Scaled service duration of ``visit`` on ``vehicle``, rounded up."""
    return max(0, time_up(vehicle.service_minutes(visit), scale))
