"""Tests of planner.week.baseline: the greedy fills days feasibly, by its rules, and warm-starts."""

from __future__ import annotations

import numpy as np
import pytest

from planner.routing import (
    Break,
    RoutingProblem,
    SolverOptions,
    Vehicle,
    Visit,
    check_solution,
    objective_of_routes,
    solve,
)
from planner.routing.greedy import GREEDY_STATUS, greedy_solve
from planner.week.types import WeekInputs


def _euclid(n: int, seed: int, size: float = 60.0) -> np.ndarray:
    pts = np.random.default_rng(seed).uniform(0, size, size=(n, 2))
    return np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(-1))


def _day(k: int, **kw: object) -> Vehicle:
    base: dict[str, object] = dict(
        id=f"team@{k}",
        start_node=0,
        end_node=0,
        shift_start=450.0,
        shift_end=960.0,
        breaks=(Break(720.0, 840.0, 60.0),),
        minutes_per_record=7.0,
        kits=1,
    )
    base.update(kw)
    return Vehicle(**base)  # type: ignore[arg-type]


def _random_problem(seed: int, n_sites: int = 12, n_days: int = 3) -> RoutingProblem:
    rng = np.random.default_rng(seed)
    minutes = _euclid(n_sites + 1, seed) * 1.7 + 0.3
    np.fill_diagonal(minutes, 0.0)
    visits = []
    for site in range(1, n_sites + 1):
        for part in range(int(rng.integers(1, 4))):
            recordings = int(rng.integers(8, 30))
            visits.append(
                Visit(f"{site}#{part + 1}", site, penalty=30 * recordings, recordings=recordings)
            )
    return RoutingProblem(
        visits=tuple(visits),
        vehicles=tuple(_day(k) for k in range(n_days)),
        minutes={"default": minutes},
    )


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("rule", ["density", "priority"])
def test_greedy_routes_pass_the_checker(seed: int, rule: str) -> None:
    problem = _random_problem(seed)
    solution = greedy_solve(problem, rule=rule)  # type: ignore[arg-type]
    assert check_solution(problem, solution) == []
    assert solution.status == GREEDY_STATUS
    assert solution.objective == objective_of_routes(problem, solution.route_visit_ids())
    assert solution.vehicles_used > 0


def test_greedy_stops_when_nothing_fits() -> None:
    minutes = np.array([[0.0, 20.0, 200.0], [20.0, 0.0, 200.0], [200.0, 200.0, 0.0]])
    problem = RoutingProblem(
        visits=(
            Visit("near", 1, penalty=100, recordings=30),
            # 2 x 200 min travel + 30 x 7 min service cannot fit a 510-min shift with a break
            Visit("far", 2, penalty=10_000, recordings=30),
        ),
        vehicles=(_day(0),),
        minutes={"default": minutes},
    )
    solution = greedy_solve(problem)
    assert solution.routes[0].visit_ids == ("near",)
    assert solution.dropped == ("far",)
    assert check_solution(problem, solution) == []


def test_rules_differ_on_a_far_high_priority_village() -> None:
    """density takes the near village; priority takes the heavier one, however far."""
    minutes = np.array([[0.0, 10.0, 90.0], [10.0, 0.0, 90.0], [90.0, 90.0, 0.0]])
    problem = RoutingProblem(
        visits=(
            Visit("near", 1, penalty=30 * 20, recordings=20),
            Visit("far", 2, penalty=30 * 20, recordings=20),
        ),
        vehicles=(_day(0),),
        minutes={"default": minutes},
    )
    weights = [1.0, 1.2]
    assert greedy_solve(problem, weights=weights).routes[0].visit_ids[0] == "near"
    first = greedy_solve(problem, weights=weights, rule="priority").routes[0].visit_ids[0]
    assert first == "far"


def test_the_break_is_taken_in_its_window() -> None:
    problem = _random_problem(3, n_sites=6, n_days=1)
    route = greedy_solve(problem).routes[0]
    assert len(route.breaks) == 1
    assert 720.0 <= route.breaks[0].start <= 840.0
    for stop in route.stops:
        assert stop.end <= route.breaks[0].start or stop.start >= route.breaks[0].end


def test_dispatch_order_decides_who_gets_the_best_chunk() -> None:
    minutes = np.array([[0.0, 5.0], [5.0, 0.0]])
    problem = RoutingProblem(
        visits=(Visit("only", 1, penalty=300, recordings=10),),
        vehicles=(_day(0), _day(1)),
        minutes={"default": minutes},
    )
    assert greedy_solve(problem, order=[1, 0]).routes[1].visit_ids == ("only",)


def test_greedy_routes_warm_start_the_solver() -> None:
    problem = _random_problem(5)
    greedy = greedy_solve(problem)
    solved = solve(
        problem,
        SolverOptions(time_limit_s=5, solution_limit=20),
        initial_routes=greedy.route_visit_ids(),
    )
    assert solved.warm_started
    assert solved.objective <= greedy.objective


def test_unsupported_problems_are_refused() -> None:
    minutes = np.array([[0.0, 5.0], [5.0, 0.0]])
    problem = RoutingProblem(
        visits=(Visit("w", 1, penalty=1, recordings=1, time_window=(500.0, 600.0)),),
        vehicles=(_day(0),),
        minutes={"default": minutes},
    )
    with pytest.raises(ValueError, match="time windows"):
        greedy_solve(problem)


def test_greedy_week_on_banten_is_feasible_and_uses_the_planners_week(
    banten,  # type: ignore[no-untyped-def]
    banten_classified,  # type: ignore[no-untyped-def]
) -> None:
    from datetime import date

    from planner.geo.estimate import estimate_registry
    from planner.io.plan_config import load_plan_config
    from planner.travel.regional import travel_model_for
    from planner.week.baseline import plan_week_greedy

    teams, policy = load_plan_config(banten, None, None, {})
    registry = estimate_registry(banten, banten_classified)
    week = plan_week_greedy(
        WeekInputs(
            banten,
            banten_classified,
            registry,
            teams,
            policy,
            date(2017, 11, 13),
            travel_model_for(banten),
        )
    )
    # the finished week (queue limits held, days filled) no longer matches the routing
    # problem's service times by design: the independent week checker is the judge
    from planner.week.verify import verify_plan

    assert verify_plan(week) == []
    summary = week.summary
    assert summary["team_days_available"] == len(week.all_team_days) == 72
    assert 0.5 < float(summary["utilisation"]) <= 1.0  # type: ignore[arg-type]
    assert week.meta["solver"] == {"name": "greedy:density", "preselect": False}
    assert set(week.itinerary["site_id"]) <= set(week.sites["site_id"])
