"""Large team groups get a plan from OR-Tools (issues #14 and #18).

Two defects made OR-Tools plan nothing, or throw away a feasible start, once a group had many
team-days (docs/GUARANTEES.md, *Plans*):

* the daily queue limit (a shared capacity across vehicles) is a solver constraint that the
  first-solution heuristics do not see: with many vehicles able to reach a place on one day
  they spent the whole time limit on insertions that failed when committed;
* OR-Tools completes each solution with a nested search (the finalizer: route start and end
  times, break intervals) bounded by ``lns_time_limit``, 100 ms by default; with many vehicles
  with a break it needs longer, and the solution (a replayed start too) was thrown away.

Both are checked on synthetic problems sized so that the old code fails on this project's
2-core machine (the finalizer needs ~1 s for the second one, ten times OR-Tools' default).
"""

from __future__ import annotations

import numpy as np

import planner.routing.ortools_model as ortools_model
from planner.routing import (
    Break,
    RoutingProblem,
    SolverOptions,
    Vehicle,
    Visit,
    check_solution,
    solve,
)
from planner.routing.greedy import greedy_solve
from planner.routing.problem import SharedCapacity

LUNCH = (Break(720.0, 780.0, 60.0),)


def _team_days(n: int) -> tuple[Vehicle, ...]:
    return tuple(
        Vehicle(f"tim-{k}@senin", 0, 0, 450.0, 960.0, LUNCH, "mobil", minutes_per_record=7.0)
        for k in range(n)
    )


def _busy_places_one_day(
    n_vehicles: int = 60, n_places: int = 6, chunks: int = 40, limit: int = 100
) -> RoutingProblem:
    """One day, ``n_vehicles`` team-days at one office, big villages 30 minutes away, each
    with a queue limit of ``limit`` recordings a day across all team-days."""
    n = n_places + 1
    minutes = np.full((n, n), 30.0)
    np.fill_diagonal(minutes, 0.0)
    visits = tuple(
        Visit(f"desa-{p}#{j}", p, penalty=3000, recordings=10, service_minutes=100.0)
        for p in range(1, n)
        for j in range(chunks)
    )
    shared = tuple(
        SharedCapacity(
            tuple(f"desa-{p}#{j}" for j in range(chunks)), frozenset(range(n_vehicles)), limit
        )
        for p in range(1, n)
    )
    return RoutingProblem(
        visits, _team_days(n_vehicles), {"mobil": minutes}, shared_capacities=shared
    )


def _recordings(problem: RoutingProblem, visit_ids: list[str]) -> int:
    return sum(problem.visits[problem.visit_index(v)].recordings for v in visit_ids)


def test_many_team_days_at_places_with_a_queue_limit_get_a_full_first_solution() -> None:
    # 60 team-days could record far more than the six places' queue limits allow: the plan
    # is bounded by the limits (600 recordings). The old first-solution heuristic ran out of
    # its 3 s here and planned nothing (24 of 60 visits in 10 s).
    problem = _busy_places_one_day()
    solution = solve(problem, SolverOptions(time_limit_s=3.0, solution_limit=1))
    served = [v for route in solution.routes for v in route.visit_ids]
    assert check_solution(problem, solution) == []
    assert _recordings(problem, served) >= 0.9 * 600
    assert solution.status.startswith("ROUTING_")
    assert not solution.warm_started  # the greedy start is the solver's own, not the caller's


def test_the_search_keeps_the_queue_limit_after_the_greedy_start() -> None:
    problem = _busy_places_one_day(n_vehicles=20, n_places=3, chunks=20, limit=60)
    solution = solve(problem, SolverOptions(time_limit_s=1.0))
    served = [v for route in solution.routes for v in route.visit_ids]
    assert check_solution(problem, solution) == []
    assert _recordings(problem, served) == 3 * 60


def _spread_villages(n_vehicles: int, n_places: int, chunks: int) -> RoutingProblem:
    rng = np.random.default_rng(7)
    xy = rng.uniform(0.0, 40.0, size=(n_places + 1, 2))
    xy[0] = 20.0
    minutes = 1.5 * np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    visits = tuple(
        Visit(f"desa-{p}#{j}", p, penalty=3000, recordings=10)
        for p in range(1, n_places + 1)
        for j in range(chunks)
    )
    vehicles = tuple(
        Vehicle(
            f"tim-{k}",
            0,
            0,
            450.0,
            960.0,
            LUNCH,
            "mobil",
            setup_minutes=30.0,
            minutes_per_record=7.0,
        )
        for k in range(n_vehicles)
    )
    return RoutingProblem(visits, vehicles, {"mobil": minutes})


def test_greedy_start_of_a_large_group_with_breaks_is_replayed() -> None:
    # 100 team-days with a lunch break, 1,000 chunks: completing the start (times and breaks)
    # takes OR-Tools' finalizer longer than its default 100 ms, so the start was rejected
    problem = _spread_villages(n_vehicles=100, n_places=200, chunks=5)
    start = greedy_solve(problem)
    routes = start.route_visit_ids()
    solution = solve(problem, SolverOptions(time_limit_s=20.0, solution_limit=1), routes)
    assert solution.warm_started
    assert solution.route_visit_ids() == routes
    assert check_solution(problem, solution) == []


def test_finalizer_budget_is_above_the_default_and_within_the_time_limit() -> None:
    def budget(time_limit_s: float | None) -> float:
        params = ortools_model.search_parameters(
            first_solution="PARALLEL_CHEAPEST_INSERTION",
            metaheuristic="GUIDED_LOCAL_SEARCH",
            time_limit_s=time_limit_s,
            solution_limit=1,
            log_search=False,
        )
        return float(params.lns_time_limit.ToMilliseconds()) / 1000

    assert budget(None) == ortools_model.FINALIZER_TIME_LIMIT_S
    assert budget(60.0) == ortools_model.FINALIZER_TIME_LIMIT_S
    assert budget(2.0) == 2.0
    assert budget(0.5) == 0.5
