"""Tests of the relaxation bound (planner.routing.bound, planner.week.bound): it is never
below a plan's weighted recordings and never above the trivial capacity bound."""

from __future__ import annotations

import numpy as np
import pytest

from planner.routing import (
    Break,
    RoutingProblem,
    RoutingSolution,
    SolverOptions,
    Vehicle,
    Visit,
    solve,
)
from planner.routing.bound import WorkLimit, relaxation_bound, shortest_from
from planner.routing.greedy import greedy_solve


def _value(problem: RoutingProblem, solution: RoutingSolution, weight: dict[int, float]) -> float:
    visits = {v.id: v for v in problem.visits}
    return sum(
        weight[visits[s.visit_id].node] * visits[s.visit_id].recordings
        for r in solution.routes
        for s in r.stops
    )


def _random_problem(seed: int, n_sites: int = 10, n_days: int = 3) -> RoutingProblem:
    rng = np.random.default_rng(seed)
    pts = rng.uniform(0, 60, size=(n_sites + 1, 2))
    minutes = np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(-1)) * 1.7
    minutes[:, 1:] += 30.0  # set-up on arrival at a site, as the planner puts it on arcs
    np.fill_diagonal(minutes, 0.0)
    visits = []
    for site in range(1, n_sites + 1):
        for part in range(int(rng.integers(1, 4))):
            recordings = int(rng.integers(8, 30))
            weight = 1.0 + site % 3
            visits.append(
                Visit(
                    f"{site}#{part + 1}",
                    site,
                    penalty=round(30 * weight * recordings),
                    recordings=recordings,
                )
            )
    vehicles = tuple(
        Vehicle(
            id=f"d{k}",
            start_node=0,
            end_node=0,
            shift_start=450.0,
            shift_end=960.0,
            breaks=(Break(720.0, 840.0, 60.0),),
            minutes_per_record=7.0,
            kits=1,
        )
        for k in range(n_days)
    )
    return RoutingProblem(visits=tuple(visits), vehicles=vehicles, minutes={"default": minutes})


def test_hand_computed_bound_one_vehicle_one_place() -> None:
    # 10 minutes out, 10 back, 100-minute shift, 1 record a minute: 80 records at most
    minutes = np.array([[0.0, 10.0], [10.0, 0.0]])
    problem = RoutingProblem(
        visits=(Visit("a", 1, penalty=1, recordings=1000),),
        vehicles=(Vehicle("v", 0, 0, 0.0, 100.0, minutes_per_record=1.0),),
        minutes={"default": minutes},
    )
    bound = relaxation_bound(problem, {1: 2.0})
    assert bound.status == "OPTIMAL"
    assert bound.value == pytest.approx(160.0)
    assert bound.units == pytest.approx(80.0)
    assert bound.capacity_value == pytest.approx(200.0)


def test_average_trip_cuts_stop_the_lp_sharing_one_trip_between_two_far_places() -> None:
    # two places 20 minutes out (40 there and back), 5 apart, a 100-minute shift, 1 record a
    # minute: one place gives 60 records, both 100 - 45 = 55, so no plan records more than 60.
    # The LP without the cuts half-visits both (y = 0.625 each), pays 0.625 of one trip, 75.
    minutes = np.array([[0.0, 20.0, 20.0], [20.0, 0.0, 5.0], [20.0, 5.0, 0.0]])
    problem = RoutingProblem(
        visits=(
            Visit("a", 1, penalty=1, recordings=1000),
            Visit("b", 2, penalty=1, recordings=1000),
        ),
        vehicles=(Vehicle("v", 0, 0, 0.0, 100.0, minutes_per_record=1.0),),
        minutes={"default": minutes},
    )
    loose = relaxation_bound(problem, {1: 1.0, 2: 1.0}, trip_cuts=False)
    assert loose.value == pytest.approx(75.0)
    tight = relaxation_bound(problem, {1: 1.0, 2: 1.0})
    # 60 exactly with the curve T (100 - T); the tangents leave a little above it
    assert 60.0 - 1e-6 <= tight.value <= 60.5
    assert sum(tight.vehicle_values) == pytest.approx(tight.value)


def test_shared_limit_across_vehicles_caps_the_bound() -> None:
    minutes = np.array([[0.0, 10.0], [10.0, 0.0]])
    day = [Vehicle(f"v{k}", 0, 0, 0.0, 100.0, minutes_per_record=1.0) for k in range(2)]
    problem = RoutingProblem(
        visits=(Visit("a", 1, penalty=1, recordings=1000),),
        vehicles=tuple(day),
        minutes={"default": minutes},
    )
    assert relaxation_bound(problem, {1: 1.0}).value == pytest.approx(160.0)
    capped = relaxation_bound(
        problem, {1: 1.0}, limits=[WorkLimit(frozenset({1}), frozenset({0, 1}), 50)]
    )
    assert capped.value == pytest.approx(50.0)


def test_shortest_paths_beat_a_matrix_without_triangle_inequality() -> None:
    m = np.array([[0.0, 100.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
    assert shortest_from(m, 0).tolist() == [0.0, 2.0, 1.0]
    assert shortest_from(m, 1, reverse=True).tolist() == [2.0, 0.0, 1.0]


@pytest.mark.parametrize("seed", range(5))
def test_bound_is_above_greedy_and_solver_and_below_capacity(seed: int) -> None:
    problem = _random_problem(seed)
    weight = {v.node: 1.0 + v.node % 3 for v in problem.visits}
    bound = relaxation_bound(problem, weight)
    greedy = greedy_solve(problem, weights=[weight[v.node] for v in problem.visits])
    solved = solve(problem, SolverOptions(time_limit_s=2, solution_limit=50))
    assert _value(problem, greedy, weight) <= bound.value + 1e-6
    assert _value(problem, solved, weight) <= bound.value + 1e-6
    assert bound.value <= bound.capacity_value + 1e-6
    # the capacity bound itself, from the shifts: 3 days x 450 working minutes / 7 x weight 3
    assert bound.capacity_value <= 3 * 450 / 7 * 3 + 1e-6
    # and the bound is not the trivial one: travel and set-up cost something
    assert bound.value < bound.capacity_value
    # with 0/1 stops (SCIP's dual bound) it is still above both plans, and not above the LP
    assert bound.value <= relaxation_bound(problem, weight, trip_cuts=False).value + 1e-6
    tighter = relaxation_bound(problem, weight, integral_stops_s=3.0)
    assert tighter.status in ("OPTIMAL", "FEASIBLE")  # FEASIBLE: stopped by the clock
    assert _value(problem, solved, weight) <= tighter.value + 1e-6
    assert _value(problem, greedy, weight) <= tighter.value + 1e-6
    assert tighter.value <= bound.value + 1e-6
