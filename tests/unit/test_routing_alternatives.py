"""Tests of visit alternatives and serve costs in planner.routing (re-planning's soft pins)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import planner.routing.ortools_model as ortools_model
from planner.core.errors import RoutingError
from planner.routing import (
    Route,
    RoutingProblem,
    SolverOptions,
    Stop,
    Vehicle,
    Visit,
    check_solution,
    objective_of_routes,
    solve,
)

FAST = SolverOptions(time_limit_s=5, solution_limit=50)
MINUTES = np.array([[0.0, 10.0, 20.0], [10.0, 0.0, 10.0], [20.0, 10.0, 0.0]])


def _vehicles(first_shift_end: float = 480.0) -> tuple[Vehicle, ...]:
    return (
        Vehicle("kept", 0, 0, 0.0, first_shift_end, minutes_per_record=3.0),
        Vehicle("other", 0, 0, 0.0, 480.0, minutes_per_record=3.0),
    )


def _pair(serve_cost: int = 500, penalty: int = 10_000) -> tuple[Visit, Visit]:
    keep = Visit("a@kept", 1, penalty=penalty, recordings=20, allowed_vehicles=frozenset({0}),
                 alternatives="a")  # fmt: skip
    move = Visit("a@moved", 1, penalty=penalty, recordings=20, allowed_vehicles=frozenset({1}),
                 alternatives="a", serve_cost=serve_cost)  # fmt: skip
    return keep, move


def _solve(problem: RoutingProblem) -> list[str]:
    solution = solve(problem, FAST)
    assert check_solution(problem, solution) == []
    assert solution.objective == objective_of_routes(problem, solution.route_visit_ids())
    return [v for route in solution.route_visit_ids() for v in route]


def test_the_kept_alternative_wins_when_it_fits() -> None:
    problem = RoutingProblem(visits=_pair(), vehicles=_vehicles(), minutes={"default": MINUTES})
    assert _solve(problem) == ["a@kept"]


def test_the_moved_alternative_is_served_when_the_kept_one_cannot_be() -> None:
    # the first vehicle's shift is too short for 20 records x 3 minutes plus the trip
    problem = RoutingProblem(
        visits=_pair(), vehicles=_vehicles(first_shift_end=30.0), minutes={"default": MINUTES}
    )
    assert _solve(problem) == ["a@moved"]
    # the objective carries the serve cost: travel 20 + serve cost 500
    assert objective_of_routes(problem, [[], ["a@moved"]]) == 520


def test_dropping_every_alternative_costs_the_penalty_once() -> None:
    problem = RoutingProblem(visits=_pair(), vehicles=_vehicles(), minutes={"default": MINUTES})
    assert objective_of_routes(problem, [[], []]) == 10_000
    # a serve cost above the penalty: dropping is cheaper than moving
    costly = RoutingProblem(
        visits=_pair(serve_cost=20_000),
        vehicles=_vehicles(first_shift_end=30.0),
        minutes={"default": MINUTES},
    )
    assert _solve(costly) == []


def test_checker_flags_two_alternatives_served() -> None:
    problem = RoutingProblem(visits=_pair(), vehicles=_vehicles(), minutes={"default": MINUTES})
    solution = solve(problem, FAST)
    routes = tuple(
        Route(v.id, k, (Stop(visit, 1, 10.0, 10.0, 70.0),), 0.0, 80.0)
        for k, (v, visit) in enumerate(zip(problem.vehicles, ("a@kept", "a@moved"), strict=True))
    )
    both = dataclasses.replace(solution, routes=routes, dropped=())
    assert any("at most 1" in e for e in check_solution(problem, both))


def test_alternatives_must_be_optional_with_one_penalty() -> None:
    keep, move = _pair()
    with pytest.raises(RoutingError, match="different penalties"):
        RoutingProblem(
            visits=(keep, Visit("a@x", 2, penalty=5, alternatives="a")),
            vehicles=_vehicles(),
            minutes={"default": MINUTES},
        )
    with pytest.raises(RoutingError, match="must be optional"):
        RoutingProblem(
            visits=(Visit("b", 1, penalty=None, alternatives="b"), move),
            vehicles=_vehicles(),
            minutes={"default": MINUTES},
        )


def test_equal_copies_are_served_in_order_and_start_routes_are_renamed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # three equal chunks of one village, time for two: the first two are served, whichever
    # copies the start routes used (the model orders copies when ORDER_COPIES is on)
    monkeypatch.setattr(ortools_model, "ORDER_COPIES", True)
    copies = tuple(Visit(f"a#{k}", 1, penalty=10_000, recordings=60) for k in (1, 2, 3))
    problem = RoutingProblem(
        visits=copies,
        vehicles=(Vehicle("v", 0, 0, 0.0, 400.0, minutes_per_record=3.0),),
        minutes={"default": MINUTES},
    )
    solved = solve(problem, FAST, initial_routes=[["a#3", "a#2"]])
    assert solved.warm_started
    served = sorted(s.visit_id for r in solved.routes for s in r.stops)
    assert served == ["a#1", "a#2"]
    assert check_solution(problem, solved) == []
    assert solved.objective == objective_of_routes(problem, [["a#1", "a#2"]])
