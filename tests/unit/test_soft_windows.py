"""Soft time windows in planner.routing: an announced visit kept near its announced time."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from planner.core.errors import RoutingError
from planner.routing import RoutingProblem, SolverOptions, Vehicle, Visit, check_solution, solve

FAST = SolverOptions(time_limit_s=5, solution_limit=50)
MINUTES = np.array([[0.0, 10.0, 10.0], [10.0, 0.0, 10.0], [10.0, 10.0, 0.0]])


def _start_of(problem: RoutingProblem, visit_id: str) -> float:
    solution = solve(problem, FAST)
    assert check_solution(problem, solution) == []
    return next(s.start for r in solution.routes for s in r.stops if s.visit_id == visit_id)


def test_a_served_visit_waits_for_its_soft_window() -> None:
    # reachable at 10; the window asks for 100-110: the team waits rather than pay per minute
    visit = Visit("a", 1, penalty=10_000, recordings=10, soft_time_window=(100.0, 110.0),
                  soft_window_cost=5)  # fmt: skip
    vehicle = Vehicle("v", 0, 0, 0.0, 480.0, minutes_per_record=1.0)
    problem = RoutingProblem(visits=(visit,), vehicles=(vehicle,), minutes={"default": MINUTES})
    assert 100.0 <= _start_of(problem, "a") <= 110.0


def test_a_window_that_cannot_be_met_costs_per_minute_late() -> None:
    # the locked visit b runs 10-200 (a hard window at 10, 190 records): a starts at 210 at the
    # earliest,
    # 100 minutes after its window; the solver keeps it and pays 100 x 3
    b = Visit("b", 2, recordings=190, locked_vehicle=0, time_window=(10.0, 10.0))
    a = Visit("a", 1, penalty=10_000, recordings=10, soft_time_window=(0.0, 110.0),
              soft_window_cost=3)  # fmt: skip
    vehicle = Vehicle("v", 0, 0, 0.0, 480.0, minutes_per_record=1.0)
    problem = RoutingProblem(visits=(b, a), vehicles=(vehicle,), minutes={"default": MINUTES})
    solution = solve(problem, FAST)
    assert solution.route_visit_ids() == [["b", "a"]]
    start = next(s.start for s in solution.routes[0].stops if s.visit_id == "a")
    assert start == pytest.approx(210.0)
    assert solution.objective == 30 + 3 * 100  # three 10-minute legs, 100 minutes late


def test_a_dropped_visit_pays_no_window_cost() -> None:
    # serving a costs 400 x 100 minutes late; dropping it costs its penalty of 50 only
    b = Visit("b", 2, recordings=190, locked_vehicle=0, time_window=(10.0, 10.0))
    a = Visit("a", 1, penalty=50, recordings=10, soft_time_window=(0.0, 110.0),
              soft_window_cost=400)  # fmt: skip
    vehicle = Vehicle("v", 0, 0, 0.0, 480.0, minutes_per_record=1.0)
    problem = RoutingProblem(visits=(b, a), vehicles=(vehicle,), minutes={"default": MINUTES})
    solution = solve(problem, FAST)
    assert solution.dropped == ("a",)
    assert solution.objective == 20 + 50


def test_bad_soft_windows_are_listed() -> None:
    vehicle = Vehicle("v", 0, 0, 0.0, 480.0)
    with pytest.raises(RoutingError) as error:
        RoutingProblem(
            visits=(
                Visit("a", 1, penalty=1, soft_time_window=(50.0, 40.0)),
                Visit("b", 2, penalty=1, soft_time_window=(0.0, 10.0), soft_window_cost=-1),
            ),
            vehicles=(vehicle,),
            minutes={"default": MINUTES},
        )
    text = str(error.value)
    assert "visit 0 ('a'): soft time window (50.0, 40.0) is not 0 ≤ a ≤ b" in text
    assert "visit 1 ('b'): soft_window_cost must be ≥ 0" in text


def test_a_search_that_finds_nothing_with_soft_windows_plans_without_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the package re-exports the function solve() under the module's name
    routing_solve = importlib.import_module("planner.routing.solve")
    real = routing_solve._search

    def no_plan_with_windows(problem: RoutingProblem, *args: object) -> object:
        if any(v.soft_time_window is not None for v in problem.visits):
            return None  # what OR-Tools' scheduling LP was seen to do on a loaded machine
        return real(problem, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(routing_solve, "_search", no_plan_with_windows)
    b = Visit("b", 2, recordings=20, locked_vehicle=0)
    a = Visit("a", 1, penalty=10_000, recordings=10, soft_time_window=(100.0, 110.0),
              soft_window_cost=5)  # fmt: skip
    vehicle = Vehicle("v", 0, 0, 0.0, 480.0, minutes_per_record=1.0)
    problem = RoutingProblem(visits=(b, a), vehicles=(vehicle,), minutes={"default": MINUTES})
    solution = solve(problem, FAST)
    assert solution.soft_windows_dropped and sorted(solution.route_visit_ids()[0]) == ["a", "b"]
    assert check_solution(problem, solution) == []
    plain = RoutingProblem(visits=(b,), vehicles=(vehicle,), minutes={"default": MINUTES})
    assert not solve(plain, FAST).soft_windows_dropped
