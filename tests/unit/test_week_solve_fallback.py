"""A week plan always comes back: a group whose search finds nothing in time gets the greedy
routes, and its villages are told the search failed, never "capacity"."""

from __future__ import annotations

import numpy as np
import pytest

import planner.week.solve as week_solve
from planner.core.errors import RoutingError
from planner.domain.config import SolverSettings
from planner.routing import RoutingProblem, SolverOptions, Vehicle, Visit
from planner.week.types import Chunk, GroupProblem


def _problem(mandatory: bool = False) -> RoutingProblem:
    minutes = np.array([[0.0, 10.0], [10.0, 0.0]])
    return RoutingProblem(
        visits=(Visit("a#1", 1, penalty=None if mandatory else 100, recordings=5),),
        vehicles=(Vehicle("t@d", 0, 0, 450.0, 960.0, minutes_per_record=7.0),),
        minutes={"default": minutes},
    )


def _failing(*args: object, **kwargs: object) -> object:
    raise RoutingError("no feasible plan found (simulated time-out)")


def test_search_failure_falls_back_to_the_greedy_routes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(week_solve, "solve_routing", _failing)
    solution = week_solve._solve_task((_problem(), SolverOptions(time_limit_s=1), [["a#1"]]))
    assert solution.status == week_solve.FALLBACK_GREEDY
    assert [s.visit_id for r in solution.routes for s in r.stops] == ["a#1"]
    assert solution.dropped == ()


def test_search_failure_without_a_greedy_gives_the_empty_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(week_solve, "solve_routing", _failing)

    def no_greedy(*args: object, **kwargs: object) -> object:
        raise ValueError("greedy_solve supports no locks")

    monkeypatch.setattr(week_solve, "greedy_solve", no_greedy)
    solution = week_solve._solve_task((_problem(), SolverOptions(time_limit_s=1), None))
    assert solution.dropped == ("a#1",)
    assert all(not route.stops for route in solution.routes)
    assert solution.status == week_solve.FALLBACK_EMPTY


def test_search_failure_with_pinned_visits_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(week_solve, "solve_routing", _failing)
    with pytest.raises(RoutingError):
        week_solve._solve_task((_problem(mandatory=True), SolverOptions(time_limit_s=1), None))


def test_a_real_search_still_plans() -> None:
    solution = week_solve._solve_task((_problem(), SolverOptions(time_limit_s=1), None))
    assert [s.visit_id for r in solution.routes for s in r.stops] == ["a#1"]


def _group() -> GroupProblem:
    problem = _problem()
    chunk = Chunk("a#1", "a", part=1, parts=1, recordings=5, weight=1.0)
    return GroupProblem(0, ("t",), (), ("d", "a"), (chunk,), problem, {}, ("a#1",))


def test_a_start_that_cannot_be_rebuilt_gives_the_greedy_routes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the search drops the visit the start routes had; turning the start routes back into a
    # solution then fails too (Sumenep's 45 team-days, Dec 2026): the week gets the greedy
    # routes, reported as a failed search, not an empty week told "capacity"
    empty = week_solve._empty_solution(_problem())
    monkeypatch.setattr(week_solve, "_solve_task", lambda task: empty)
    monkeypatch.setattr(week_solve, "solve_routing", _failing)
    settings = SolverSettings(time_limit_s=1)
    (result,) = week_solve.solve_groups([_group()], settings, initial=[[["a#1"]]])
    assert result.solution.status == week_solve.FALLBACK_GREEDY
    assert [s.visit_id for r in result.solution.routes for s in r.stops] == ["a#1"]


def test_without_a_greedy_the_searched_plan_stands(monkeypatch: pytest.MonkeyPatch) -> None:
    empty = week_solve._empty_solution(_problem())
    monkeypatch.setattr(week_solve, "_solve_task", lambda task: empty)
    monkeypatch.setattr(week_solve, "solve_routing", _failing)

    def no_greedy(*args: object, **kwargs: object) -> object:
        raise ValueError("greedy_solve supports no locks")

    monkeypatch.setattr(week_solve, "greedy_solve", no_greedy)
    settings = SolverSettings(time_limit_s=1)
    (result,) = week_solve.solve_groups([_group()], settings, initial=[[["a#1"]]])
    assert result.solution.dropped == ("a#1",)


def test_a_start_with_more_recordings_is_kept() -> None:
    # the same case with a working solver: the start routes win over the empty search
    settings = SolverSettings(time_limit_s=1)
    kept = week_solve._keep_start(_group(), week_solve.solver_options(settings, 1.0), [["a#1"]])
    assert [s.visit_id for r in kept.routes for s in r.stops] == ["a#1"]


def test_a_failed_search_with_pinned_visits_keeps_its_start_routes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = week_solve.solve_routing
    calls: list[int | None] = []

    def short_search(problem: RoutingProblem, options: SolverOptions, **kw: object) -> object:
        calls.append(options.solution_limit)
        if options.solution_limit != 1:  # the group's own search: nothing in time
            raise RoutingError("no feasible plan found (simulated time-out)")
        return real(problem, options, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(week_solve, "solve_routing", short_search)
    solution = week_solve._solve_task(
        (_problem(mandatory=True), SolverOptions(time_limit_s=1), [["a#1"]])
    )
    assert calls == [None, 1]
    assert [s.visit_id for r in solution.routes for s in r.stops] == ["a#1"]
    assert solution.warm_started
