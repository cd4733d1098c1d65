"""Routing: plain problem data in, plain routes out; OR-Tools stays inside ``ortools_model``.

>>> from planner.routing import RoutingProblem, Vehicle, Visit, SolverOptions, solve
"""

from planner.routing.check import check_solution, objective_of_routes
from planner.routing.problem import Break, RoutingProblem, Vehicle, Visit
from planner.routing.solution import Route, RoutingSolution, ScheduledBreak, Stop
from planner.routing.solve import SolverOptions, solve

__all__ = [
    "Break",
    "Route",
    "RoutingProblem",
    "RoutingSolution",
    "ScheduledBreak",
    "SolverOptions",
    "Stop",
    "Vehicle",
    "Visit",
    "check_solution",
    "objective_of_routes",
    "solve",
]
