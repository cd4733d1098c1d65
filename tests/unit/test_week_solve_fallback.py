"""A week plan always comes back: a group whose search finds nothing in time plans nothing."""

from __future__ import annotations

import numpy as np
import pytest

import planner.week.solve as week_solve
from planner.core.errors import RoutingError
from planner.routing import RoutingProblem, SolverOptions, Vehicle, Visit


def _problem(mandatory: bool = False) -> RoutingProblem:
    minutes = np.array([[0.0, 10.0], [10.0, 0.0]])
    return RoutingProblem(
        visits=(Visit("a#1", 1, penalty=None if mandatory else 100, recordings=5),),
        vehicles=(Vehicle("t@d", 0, 0, 450.0, 960.0, minutes_per_record=7.0),),
        minutes={"default": minutes},
    )


def _failing(*args: object, **kwargs: object) -> object:
    raise RoutingError("no feasible plan found (simulated time-out)")


def test_search_failure_gives_the_empty_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(week_solve, "solve_routing", _failing)
    solution = week_solve._solve_task((_problem(), SolverOptions(time_limit_s=1), [["a#1"]]))
    assert solution.dropped == ("a#1",)
    assert all(not route.stops for route in solution.routes)
    assert solution.status == "EMPTY_PLAN_NO_SOLUTION_IN_TIME"


def test_search_failure_with_pinned_visits_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(week_solve, "solve_routing", _failing)
    with pytest.raises(RoutingError):
        week_solve._solve_task((_problem(mandatory=True), SolverOptions(time_limit_s=1), None))


def test_a_real_search_still_plans() -> None:
    solution = week_solve._solve_task((_problem(), SolverOptions(time_limit_s=1), None))
    assert [s.visit_id for r in solution.routes for s in r.stops] == ["a#1"]
