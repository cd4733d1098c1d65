"""The daily queue limit of a place inside the routing model (shared capacities), and the
week bound against real plans on a small Banten week."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest

import planner.week.groups as groups_module
from planner.domain.config import apply_overrides, load_policy, teams_from_dict
from planner.routing import (
    Route,
    RoutingProblem,
    RoutingSolution,
    SolverOptions,
    Stop,
    Vehicle,
    Visit,
    check_solution,
    solve,
)
from planner.routing.greedy import greedy_solve
from planner.routing.problem import SharedCapacity
from planner.week.types import GroupResult, WeekInputs

WEEK = date(2017, 11, 13)


def _one_place_two_vehicles(limit: int) -> RoutingProblem:
    minutes = np.array([[0.0, 10.0], [10.0, 0.0]])
    visits = tuple(Visit(f"a#{k}", 1, penalty=100, recordings=30) for k in range(4))
    vehicles = tuple(Vehicle(f"v{k}", 0, 0, 0.0, 400.0, minutes_per_record=1.0) for k in range(2))
    shared = (SharedCapacity(tuple(v.id for v in visits), frozenset({0, 1}), limit),)
    return RoutingProblem(
        visits=visits, vehicles=vehicles, minutes={"default": minutes}, shared_capacities=shared
    )


def _carried(solution: RoutingSolution) -> int:
    return 30 * sum(len(r.stops) for r in solution.routes)


def test_solver_and_greedy_hold_a_shared_capacity_across_vehicles() -> None:
    problem = _one_place_two_vehicles(limit=60)
    solved = solve(problem, SolverOptions(time_limit_s=2, solution_limit=50))
    assert check_solution(problem, solved) == []
    assert _carried(solved) == 60
    greedy = greedy_solve(problem)
    assert check_solution(problem, greedy) == []
    assert _carried(greedy) == 60
    # without the limit both vehicles take everything
    free = _one_place_two_vehicles(limit=120)
    assert _carried(solve(free, SolverOptions(time_limit_s=2, solution_limit=50))) == 120


def test_checker_reports_a_broken_shared_capacity() -> None:
    problem = _one_place_two_vehicles(limit=30)
    stops = (Stop("a#0", 1, 10.0, 10.0, 40.0), Stop("a#1", 1, 40.0, 40.0, 70.0))
    routes = (Route("v0", 0, stops, 0.0, 80.0), Route("v1", 1, (), 0.0, 0.0))
    solution = RoutingSolution(routes, ("a#2", "a#3"), 0, "TEST", 0.0)
    assert any("shared capacity 0" in e for e in check_solution(problem, solution))


def test_shared_capacity_with_an_unknown_visit_is_an_error() -> None:
    from planner.core.errors import RoutingError

    with pytest.raises(RoutingError, match="unknown visit"):
        RoutingProblem(
            visits=(Visit("a", 1, penalty=1, recordings=1),),
            vehicles=(Vehicle("v", 0, 0, 0.0, 10.0),),
            minutes={"default": np.zeros((2, 2))},
            shared_capacities=(SharedCapacity(("b",), frozenset({0}), 1),),
        )


@pytest.fixture(scope="module")
def small_week(banten, banten_classified) -> WeekInputs:  # type: ignore[no-untyped-def]
    """Kota Serang (2 kits) and Cilegon (1 kit), queue limit 40: it binds in large villages."""
    from planner.geo.estimate import estimate_registry
    from planner.travel.regional import travel_model_for

    teams = teams_from_dict(
        {
            "teams": [
                {"id": "a", "name": "A", "depot": "dinas-36.73", "kits": 2},
                {"id": "b", "name": "B", "depot": "dinas-36.72", "kits": 1},
            ]
        },
        source="test-teams.toml",
    )
    policy = apply_overrides(
        load_policy(None),
        {"max_attendance_per_visit_day": 40, "solver": {"time_limit_s": 2, "solution_limit": 30}},
    )
    return WeekInputs(
        banten,
        banten_classified,
        estimate_registry(banten, banten_classified),
        teams,
        policy,
        WEEK,
        travel_model_for(banten),
    )


def _excess(results: Sequence[GroupResult], limit: int) -> int:
    total: dict[tuple[str, date], int] = {}
    for result in results:
        chunks = {c.chunk_id: c for c in result.group.chunks}
        for route in result.solution.routes:
            day = result.group.team_days[route.vehicle].day.date
            for stop in route.stops:
                key = (chunks[stop.visit_id].site_id, day)
                total[key] = total.get(key, 0) + chunks[stop.visit_id].recordings
    return sum(max(0, n - limit) for n in total.values())


def test_queue_limit_binds_inside_the_model_and_the_cut_never_bites(
    small_week: WeekInputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.week.prepare import prepare_week
    from planner.week.solve import solve_groups

    settings = small_week.policy.solver
    prepared = prepare_week(small_week)
    assert any(g.problem.shared_capacities for g in prepared.groups)
    solved = solve_groups(prepared.groups, settings)
    assert _excess(solved, 40) == 0
    # the same week without the limit in the model goes over it (what fill_days used to cut)
    monkeypatch.setattr(groups_module, "queue_limits", lambda *a, **k: ())
    unlimited = solve_groups(prepare_week(small_week).groups, settings)
    assert _excess(unlimited, 40) > 0


def test_week_bound_is_above_planner_and_greedy_and_below_capacity(
    small_week: WeekInputs,
) -> None:
    from planner.week.baseline import plan_week_greedy
    from planner.week.bound import week_bound
    from planner.week.plan import plan_week
    from planner.week.verify import verify_plan

    bound = week_bound(small_week)
    plan = plan_week(small_week)
    greedy = plan_week_greedy(small_week)
    assert verify_plan(plan) == [] and verify_plan(greedy) == []
    for week in (plan, greedy):
        weighted = float(week.summary["weighted_recordings"])  # type: ignore[arg-type]
        assert 0 < weighted <= bound.weighted + 0.05  # summary rounds to 0.1
    top_weight = float(plan.sites["weight"].max())
    capacity = float(plan.summary["capacity_bound"])  # type: ignore[arg-type]
    assert bound.weighted <= bound.capacity_weighted + 1e-6
    assert bound.capacity_weighted <= capacity * top_weight + 1e-6
    assert bound.weighted < capacity * top_weight


def test_lookahead_values_far_sites_more(small_week: WeekInputs) -> None:
    import dataclasses

    from planner.week.prepare import prepare_week

    ahead = dataclasses.replace(
        small_week, policy=apply_overrides(small_week.policy, {"lookahead_per_hour": 1.0})
    )
    plain = {v.id: v.penalty for g in prepare_week(small_week).groups for v in g.problem.visits}
    far = {v.id: v.penalty for g in prepare_week(ahead).groups for v in g.problem.visits}
    assert far.keys() == plain.keys()
    ratios = [far[k] / plain[k] for k in plain if plain[k] and plain[k] > 100]  # type: ignore[operator]
    assert min(ratios) >= 0.99  # never valued less (rounding aside)
    assert max(ratios) > 1.2  # a site more than 12 minutes from the depot gains
