"""Tests of planner.routing: problem validation, the OR-Tools model, solve and the checker."""

from __future__ import annotations

import dataclasses
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.errors import RoutingError
from planner.routing import (
    Break,
    RoutingProblem,
    RoutingSolution,
    SolverOptions,
    Vehicle,
    Visit,
    check_solution,
    objective_of_routes,
    solve,
)

FAST = SolverOptions(time_limit_s=5, solution_limit=30)


def _euclid(n: int, seed: int, size: float = 60.0) -> np.ndarray:
    pts = np.random.default_rng(seed).uniform(0, size, size=(n, 2))
    return np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(-1))


def _vehicle(k: int, profile: str = "land", **kw: object) -> Vehicle:
    base: dict[str, object] = dict(
        id=f"team{k}",
        start_node=0,
        end_node=0,
        shift_start=0.0,
        shift_end=480.0,
        profile=profile,
        setup_minutes=10.0,
        minutes_per_record=3.0,
    )
    base.update(kw)
    return Vehicle(**base)  # type: ignore[arg-type]


def _island_problem() -> RoutingProblem:
    """Depot 0, villages 1..6 on land, node 7 an island only the boat profile reaches."""
    land = _euclid(8, seed=1)
    boat = land.copy()
    land[7, :] = np.inf
    land[:, 7] = np.inf
    land[7, 7] = 0.0
    visits = [Visit(id=f"desa{i}", node=i, penalty=100, recordings=10) for i in range(1, 7)]
    visits.append(
        Visit(id="pulau", node=7, penalty=10_000, recordings=10, allowed_vehicles=frozenset({1}))
    )
    return RoutingProblem(
        visits=tuple(visits),
        vehicles=(_vehicle(0, "land"), _vehicle(1, "boat")),
        minutes={"land": land, "boat": boat},
    )


def _vehicle_of(solution: RoutingSolution, visit_id: str) -> int | None:
    for route in solution.routes:
        if visit_id in route.visit_ids:
            return route.vehicle
    return None


def _assert_valid(problem: RoutingProblem, solution: RoutingSolution) -> None:
    assert check_solution(problem, solution) == []
    assert solution.objective == objective_of_routes(problem, solution.route_visit_ids())


# --- problem validation -------------------------------------------------------------------


def test_validation_lists_every_problem_at_once() -> None:
    m = np.zeros((3, 3))
    with pytest.raises(RoutingError) as caught:
        RoutingProblem(
            visits=(
                Visit(id="a", node=5),
                Visit(id="a", node=1, time_window=(10.0, 5.0)),
                Visit(id="b", node=1, allowed_vehicles=frozenset({4}), locked_position=0),
            ),
            vehicles=(_vehicle(0, profile="boat", shift_end=-1.0),),
            minutes={"land": m},
        )
    text = str(caught.value)
    for expected in (
        "node 5 outside",
        "duplicate visit id",
        "time window",
        "allowed_vehicles [4]",
        "locked_position given without locked_vehicle",
        "profile 'boat' has no travel matrix",
        "shift",
    ):
        assert expected in text
    assert len(caught.value.problems) >= 7


def test_validation_rejects_bad_matrices() -> None:
    with pytest.raises(RoutingError, match="square matrix"):
        RoutingProblem(
            visits=(Visit(id="a", node=0),),
            vehicles=(_vehicle(0),),
            minutes={"land": np.zeros((2, 3))},
        )
    with pytest.raises(RoutingError, match="NaN"):
        RoutingProblem(
            visits=(Visit(id="a", node=1),),
            vehicles=(_vehicle(0),),
            minutes={"land": np.array([[0.0, np.nan], [1.0, 0.0]])},
        )


def test_service_minutes_formula_and_override() -> None:
    team = _vehicle(0, setup_minutes=15.0, minutes_per_record=4.0, kits=2)
    assert team.service_minutes(Visit(id="a", node=1, recordings=10)) == 15.0 + 10 * 4.0 / 2
    assert team.service_minutes(Visit(id="b", node=1, service_minutes=7.5)) == 7.5


def test_mandatory_visits_get_a_second_relaxed_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the first search finds nothing, mandatory visits are retried as costly drops.

    (Seen on Solomon R110 with its file fleet of 12: parallel cheapest insertion gives up at
    once, the relaxed search serves every customer.) The first search is forced to fail.
    """
    module = sys.modules["planner.routing.solve"]
    real_search = module._search
    calls: list[RoutingProblem] = []

    def failing_once(problem: RoutingProblem, *args: object) -> object:
        calls.append(problem)
        return None if len(calls) == 1 else real_search(problem, *args)

    monkeypatch.setattr(module, "_search", failing_once)
    m = np.array([[0.0, 10.0, 10.0], [10.0, 0.0, 5.0], [10.0, 5.0, 0.0]])
    visits = (
        Visit(id="late", node=2, service_minutes=10.0, time_window=(40.0, 200.0)),
        Visit(id="early", node=1, service_minutes=10.0, time_window=(0.0, 30.0)),
        Visit(id="extra", node=1, penalty=7),
    )
    problem = RoutingProblem(visits=visits, vehicles=(_vehicle(0),), minutes={"land": m})
    solution = solve(problem, FAST)
    assert len(calls) == 2
    relaxed = {v.id: v.penalty for v in calls[1].visits}
    assert relaxed["extra"] == 7 and relaxed["late"] == relaxed["early"]
    # Above every arc at its dearest (4 arcs at most × 10) plus every optional penalty (7).
    assert relaxed["late"] is not None and relaxed["late"] > 4 * 10 + 7
    _assert_valid(problem, solution)
    assert (
        solution.routes[0].visit_ids[:2] == ("early", "late")
        or "early" in solution.routes[0].visit_ids
    )


def test_solver_options_are_validated() -> None:
    with pytest.raises(RoutingError, match="unknown first_solution"):
        SolverOptions(first_solution="FASTEST")
    with pytest.raises(RoutingError, match="never stop"):
        SolverOptions(time_limit_s=None)


# --- solving ------------------------------------------------------------------------------


def test_boat_visit_never_on_land_vehicle() -> None:
    problem = _island_problem()
    solution = solve(problem, FAST)
    _assert_valid(problem, solution)
    assert _vehicle_of(solution, "pulau") == 1
    assert "pulau" not in solution.routes[0].visit_ids


def test_unreachable_arcs_are_never_used_even_without_allowed_vehicles() -> None:
    base = _island_problem()
    visits = tuple(
        Visit(id=v.id, node=v.node, penalty=v.penalty, recordings=v.recordings) for v in base.visits
    )
    # Only the land team exists: the island has no allowed-vehicle rule, just infinite arcs.
    problem = RoutingProblem(
        visits=visits, vehicles=(_vehicle(0, "land"),), minutes=dict(base.minutes)
    )
    solution = solve(problem, FAST)
    _assert_valid(problem, solution)
    assert "pulau" in solution.dropped


def test_mandatory_visit_that_cannot_be_served_raises_clearly() -> None:
    base = _island_problem()
    visits = (*base.visits[:-1], Visit(id="pulau", node=7, recordings=5))
    problem = RoutingProblem(
        visits=visits, vehicles=(_vehicle(0, "land"),), minutes=dict(base.minutes)
    )
    with pytest.raises(RoutingError, match="'pulau' is mandatory but cannot be served"):
        solve(problem, FAST)


def test_too_much_mandatory_work_raises() -> None:
    m = _euclid(4, seed=3)
    visits = tuple(Visit(id=f"v{i}", node=i, service_minutes=300.0) for i in range(1, 4))
    problem = RoutingProblem(visits=visits, vehicles=(_vehicle(0),), minutes={"land": m})
    # The first heuristic fails; the relaxed second search serves one visit and names the
    # two it had to leave out.
    with pytest.raises(RoutingError, match=r"leaves out 2 of them \(v\d, v\d\)"):
        solve(problem, SolverOptions(time_limit_s=2, solution_limit=10))


def test_breaks_do_not_overlap_services() -> None:
    m = _euclid(7, seed=5, size=20.0)
    lunch = Break(earliest_start=180.0, latest_start=240.0, duration=60.0)
    visits = tuple(
        Visit(id=f"v{i}", node=i, penalty=1_000, service_minutes=70.0) for i in range(1, 7)
    )
    problem = RoutingProblem(
        visits=visits,
        vehicles=(_vehicle(0, breaks=(lunch,)),),
        minutes={"land": m},
    )
    solution = solve(problem, FAST)
    _assert_valid(problem, solution)
    route = solution.routes[0]
    assert len(route.breaks) == 1
    placed = route.breaks[0]
    assert 180.0 <= placed.start <= 240.0 and placed.end - placed.start == pytest.approx(60.0)
    for stop in route.stops:
        assert stop.end <= placed.start + 1e-9 or stop.start >= placed.end - 1e-9
    # 480 minutes minus a 60-minute break leaves room for at most 5 services of 70 minutes.
    assert len(route.stops) <= 5 and len(solution.dropped) >= 1


def test_tight_instance_returns_plan_with_drops() -> None:
    m = _euclid(11, seed=7)
    visits = tuple(Visit(id=f"v{i}", node=i, penalty=50 * i, recordings=40) for i in range(1, 11))
    problem = RoutingProblem(visits=visits, vehicles=(_vehicle(0),), minutes={"land": m})
    solution = solve(problem, FAST)
    _assert_valid(problem, solution)
    assert solution.dropped and solution.routes[0].stops
    # 40 recordings × 3 min + 10 setup = 130 min each: at most 3 fit in 480 minutes.
    assert len(solution.routes[0].stops) <= 3


def test_locked_visits_kept_on_their_vehicle_in_order() -> None:
    problem0 = _island_problem()
    visits = list(problem0.visits)
    # Zero penalty: the solver would gladly drop them if they were not locked.
    visits[4] = Visit(id="desa5", node=5, penalty=0, recordings=10, locked_vehicle=0,
                      locked_position=0)  # fmt: skip
    visits[1] = Visit(id="desa2", node=2, penalty=0, recordings=10, locked_vehicle=0,
                      locked_position=1)  # fmt: skip
    visits[2] = Visit(id="desa3", node=3, penalty=0, recordings=10, locked_vehicle=1)
    problem = RoutingProblem(
        visits=tuple(visits), vehicles=problem0.vehicles, minutes=dict(problem0.minutes)
    )
    solution = solve(problem, FAST)
    _assert_valid(problem, solution)
    ids0 = solution.routes[0].visit_ids
    assert ids0.index("desa5") < ids0.index("desa2")
    assert "desa3" in solution.routes[1].visit_ids


def test_same_inputs_and_solution_limit_give_identical_routes() -> None:
    problem = _island_problem()
    options = SolverOptions(time_limit_s=30, solution_limit=40)
    first, second = solve(problem, options), solve(problem, options)
    assert first.route_visit_ids() == second.route_visit_ids()
    assert first.objective == second.objective
    shuffled = SolverOptions(time_limit_s=30, solution_limit=40, seed=3)
    a, b = solve(problem, shuffled), solve(problem, shuffled)
    assert a.route_visit_ids() == b.route_visit_ids()
    _assert_valid(problem, a)


def test_warm_start_is_never_worse_than_initial_routes() -> None:
    m = _euclid(13, seed=11)
    visits = tuple(Visit(id=f"v{i}", node=i, penalty=400, recordings=15) for i in range(1, 13))
    base = RoutingProblem(
        visits=visits,
        vehicles=(_vehicle(0, fixed_cost=30), _vehicle(1, fixed_cost=30)),
        minutes={"land": m},
    )
    rough = solve(
        base, SolverOptions(time_limit_s=5, solution_limit=1, metaheuristic="GREEDY_DESCENT")
    )
    initial = rough.route_visit_ids()
    warm = solve(base, SolverOptions(time_limit_s=5, solution_limit=5), initial_routes=initial)
    assert warm.warm_started
    assert warm.objective <= objective_of_routes(base, initial)
    _assert_valid(base, warm)

    # Scenario "one more team": the base routes stay feasible, so the plan is never worse.
    more = RoutingProblem(
        visits=visits,
        vehicles=(*base.vehicles, _vehicle(2, fixed_cost=30)),
        minutes={"land": m},
    )
    scenario = solve(more, SolverOptions(time_limit_s=5, solution_limit=3), initial_routes=initial)
    assert scenario.warm_started
    assert scenario.objective <= objective_of_routes(more, initial) == rough.objective
    _assert_valid(more, scenario)


def test_infeasible_initial_routes_fall_back_to_a_fresh_search() -> None:
    problem = _island_problem()
    # The island on the land vehicle is impossible: the warm start is ignored.
    solution = solve(problem, FAST, initial_routes=[["pulau", "desa1"], []])
    assert not solution.warm_started
    _assert_valid(problem, solution)
    with pytest.raises(RoutingError, match="unknown visit id 'nowhere'"):
        solve(problem, FAST, initial_routes=[["nowhere"]])
    with pytest.raises(RoutingError, match="appears twice"):
        solve(problem, FAST, initial_routes=[["desa1"], ["desa1"]])


def test_window_too_narrow_for_the_time_scale_is_dropped() -> None:
    m = _euclid(3, seed=2)
    visits = (
        Visit(id="a", node=1, penalty=10, time_window=(100.2, 100.7)),
        Visit(id="b", node=2, penalty=10_000),
    )
    problem = RoutingProblem(visits=visits, vehicles=(_vehicle(0),), minutes={"land": m})
    solution = solve(problem, FAST)
    _assert_valid(problem, solution)
    assert solution.dropped == ("a",)


def test_capacity_and_travel_limit_are_respected() -> None:
    m = _euclid(9, seed=4)
    visits = tuple(Visit(id=f"v{i}", node=i, penalty=1_000, demand=3) for i in range(1, 9))
    problem = RoutingProblem(
        visits=visits,
        vehicles=(_vehicle(0, capacity=7), _vehicle(1, max_travel_minutes=60.0)),
        minutes={"land": m},
    )
    solution = solve(problem, FAST)
    _assert_valid(problem, solution)
    assert len(solution.routes[0].stops) <= 2


# --- random small instances ---------------------------------------------------------------


@st.composite
def small_problems(draw: st.DrawFn) -> RoutingProblem:
    n_visits = draw(st.integers(1, 12))
    n_vehicles = draw(st.integers(1, 3))
    n = n_visits + 2  # node 0 and 1 are depots
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    land = _euclid(n, seed=seed, size=draw(st.sampled_from([30.0, 80.0, 150.0])))
    boat = land * 1.5
    cut = rng.random((n, n)) < draw(st.sampled_from([0.0, 0.1, 0.3]))
    cut[:2, :2] = False
    land = np.where(cut, np.inf, land)
    np.fill_diagonal(land, 0.0)
    minutes = {"land": land, "boat": boat}
    vehicles = []
    for k in range(n_vehicles):
        profile = draw(st.sampled_from(["land", "boat"]))
        first, last = draw(st.integers(0, 1)), draw(st.integers(0, 1))
        direct = float(minutes[profile][first, last])
        start = draw(st.floats(0, 120))
        end = draw(st.floats(start + direct + 120, start + direct + 600))
        breaks: tuple[Break, ...] = ()
        if draw(st.booleans()):
            early = draw(st.floats(start, start + 100))
            length = draw(st.sampled_from([15.0, 30.0, 60.0]))
            if early + 30 + length <= end:
                breaks = (Break(early, early + 30, length),)
        vehicles.append(
            Vehicle(
                id=f"veh{k}",
                start_node=first,
                end_node=last,
                shift_start=start,
                shift_end=end,
                breaks=breaks,
                profile=profile,
                setup_minutes=draw(st.sampled_from([0.0, 7.5, 15.0])),
                minutes_per_record=draw(st.sampled_from([0.0, 2.0, 3.3])),
                kits=draw(st.integers(1, 2)),
                capacity=draw(st.none() | st.integers(0, 30)),
                fixed_cost=draw(st.integers(0, 200)),
                max_travel_minutes=draw(st.none() | st.floats(direct + 1, direct + 300)),
            )
        )
    visits = []
    for i in range(n_visits):
        window = None
        if draw(st.booleans()):
            a = draw(st.floats(0, 400))
            window = (a, a + draw(st.floats(0, 200)))
        kind = draw(st.integers(0, 19))  # 0: mandatory, 1: locked, else optional
        locked = draw(st.integers(0, n_vehicles - 1)) if kind == 1 else None
        visits.append(
            Visit(
                id=f"v{i}",
                node=2 + i,
                penalty=None if kind == 0 else draw(st.integers(0, 5_000)),
                locked_vehicle=locked,
                locked_position=i if locked is not None and draw(st.booleans()) else None,
                recordings=draw(st.integers(0, 60)),
                service_minutes=draw(st.none() | st.floats(0, 90)),
                demand=draw(st.integers(0, 12)),
                time_window=window,
                allowed_vehicles=None
                if locked is not None
                else draw(st.none() | st.frozensets(st.integers(0, n_vehicles - 1), min_size=1)),
            )
        )
    return RoutingProblem(
        visits=tuple(visits), vehicles=tuple(vehicles), minutes=minutes, time_scale=10.0
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    problem=small_problems(),
    seed=st.integers(0, 3),
    first=st.sampled_from(["PARALLEL_CHEAPEST_INSERTION", "PATH_CHEAPEST_ARC", "SAVINGS"]),
)
def test_random_small_instances_give_checked_solutions(
    problem: RoutingProblem, seed: int, first: str
) -> None:
    options = SolverOptions(time_limit_s=5, solution_limit=15, seed=seed, first_solution=first)
    try:
        solution = solve(problem, options)
    except RoutingError as error:
        # Only mandatory (or locked) visits may make a problem unsolvable.
        assert any(visit.mandatory for visit in problem.visits), error
        return
    _assert_valid(problem, solution)


def test_a_solution_even_when_the_first_solution_heuristic_runs_out_of_time() -> None:
    m = _euclid(121, seed=13, size=100.0)
    visits = tuple(
        Visit(id=f"v{i}", node=i, penalty=10_000, service_minutes=10.0, time_window=(0.0, 400.0))
        for i in range(1, 121)
    )
    visits = (
        Visit(id="v1", node=1, service_minutes=10.0, locked_vehicle=2, locked_position=1),
        Visit(id="v2", node=2, service_minutes=10.0, locked_vehicle=2, locked_position=0),
        *visits[2:],
    )
    vehicles = tuple(_vehicle(k, fixed_cost=100) for k in range(8))
    problem = RoutingProblem(visits=visits, vehicles=vehicles, minutes={"land": m})
    # 1 ms is too short for the first-solution heuristic: the search restarts from
    # "everything dropped", which is always feasible, and improves on it.
    solution = solve(problem, SolverOptions(time_limit_s=0.001))
    _assert_valid(problem, solution)
    ids = solution.routes[2].visit_ids
    assert ids.index("v2") < ids.index("v1")


def test_checker_catches_broken_solutions() -> None:
    """The checker is the judge of every other test: make sure it does catch violations."""
    problem = _island_problem()
    lunch = Break(earliest_start=180.0, latest_start=240.0, duration=60.0)
    problem = dataclasses.replace(
        problem,
        vehicles=(problem.vehicles[0], dataclasses.replace(problem.vehicles[1], breaks=(lunch,))),
    )
    good = solve(problem, FAST)
    assert check_solution(problem, good) == []
    land, boat = good.routes
    assert boat.stops

    # The boat-only island moved onto the land team.
    island = next(s for s in boat.stops if s.visit_id == "pulau")
    moved = dataclasses.replace(
        good,
        routes=(
            dataclasses.replace(land, stops=(*land.stops, island)),
            dataclasses.replace(boat, stops=tuple(s for s in boat.stops if s is not island)),
        ),
    )
    errors = " ".join(check_solution(problem, moved))
    assert "not allowed" in errors and "cannot travel" in errors

    # A service started later than its window and overlapping the break.
    first = boat.stops[0]
    late = dataclasses.replace(first, start=200.0, end=200.0 + (first.end - first.start))
    problem_tw = dataclasses.replace(
        problem,
        visits=tuple(
            dataclasses.replace(v, time_window=(0.0, 150.0)) if v.id == first.visit_id else v
            for v in problem.visits
        ),
    )
    shifted = dataclasses.replace(
        good,
        routes=(land, dataclasses.replace(boat, stops=(late, *boat.stops[1:]), breaks=(
            dataclasses.replace(boat.breaks[0], start=190.0, end=250.0),
        ))),
    )  # fmt: skip
    errors = " ".join(check_solution(problem_tw, shifted))
    assert "window" in errors and "overlaps a break" in errors

    # A visit both dropped and served, and one missing altogether.
    dropped_too = dataclasses.replace(good, dropped=(*good.dropped, first.visit_id))
    assert any("both served and dropped" in e for e in check_solution(problem, dropped_too))
    empty = dataclasses.replace(good, routes=(land, dataclasses.replace(boat, stops=())))
    assert any("neither served nor dropped" in e for e in check_solution(problem, empty))


# --- search options -----------------------------------------------------------------------


def _windowed_problem(n: int = 30, seed: int = 5) -> RoutingProblem:
    m = _euclid(n + 1, seed=seed, size=80.0)
    rng = np.random.default_rng(seed)
    visits = []
    for i in range(1, n + 1):
        early = float(rng.uniform(0, 300))
        visits.append(
            Visit(
                id=f"v{i}",
                node=i,
                penalty=100_000,
                service_minutes=10.0,
                demand=int(rng.integers(1, 10)),
                time_window=(early, early + 120.0),
            )
        )
    vehicles = tuple(_vehicle(k, capacity=60, fixed_cost=5_000) for k in range(6))
    return RoutingProblem(visits=tuple(visits), vehicles=vehicles, minutes={"land": m})


def test_search_options_are_validated() -> None:
    with pytest.raises(RoutingError, match="guided_local_search_lambda"):
        SolverOptions(guided_local_search_lambda=0.0)
    with pytest.raises(RoutingError, match="never stop"):
        SolverOptions(time_limit_s=None, metaheuristic="GREEDY_DESCENT", iterated_local_search=True)


def test_iterated_local_search_gives_checked_reproducible_plans() -> None:
    problem = _windowed_problem()
    options = SolverOptions(time_limit_s=30, solution_limit=60, iterated_local_search=True)
    first, second = solve(problem, options), solve(problem, options)
    _assert_valid(problem, first)
    assert first.route_visit_ids() == second.route_visit_ids()
    assert first.objective == second.objective
    timed = solve(problem, SolverOptions(time_limit_s=1, iterated_local_search=True))
    _assert_valid(problem, timed)


def test_iterated_local_search_keeps_warm_starts_and_locks() -> None:
    problem = _windowed_problem(seed=9)
    rough = solve(
        problem, SolverOptions(time_limit_s=5, solution_limit=1, metaheuristic="GREEDY_DESCENT")
    )
    initial = rough.route_visit_ids()
    options = SolverOptions(time_limit_s=5, solution_limit=20, iterated_local_search=True)
    warm = solve(problem, options, initial_routes=initial)
    assert warm.warm_started
    assert warm.objective <= objective_of_routes(problem, initial)
    _assert_valid(problem, warm)
    locked = dataclasses.replace(
        problem,
        visits=(
            dataclasses.replace(problem.visits[0], locked_vehicle=1, locked_position=1),
            dataclasses.replace(problem.visits[1], locked_vehicle=1, locked_position=0),
            *problem.visits[2:],
        ),
    )
    solution = solve(locked, options)
    _assert_valid(locked, solution)
    ids = solution.routes[1].visit_ids
    assert ids.index("v2") < ids.index("v1")


def test_guided_local_search_lambda_is_used() -> None:
    problem = _windowed_problem(seed=3)
    solution = solve(
        problem, SolverOptions(time_limit_s=5, solution_limit=30, guided_local_search_lambda=0.05)
    )
    _assert_valid(problem, solution)


def test_latest_start_keeps_the_route_leaving_on_time() -> None:
    """A start row priced for a departure clock (a timed ferry): the route leaves by then, even
    when its only visit opens late (the finalizer would otherwise leave as late as it can)."""
    m = np.array([[0.0, 30.0], [30.0, 0.0]])
    visits = (Visit(id="pulau", node=1, service_minutes=20.0, time_window=(200.0, 300.0)),)
    free = RoutingProblem(visits=visits, vehicles=(_vehicle(0),), minutes={"land": m})
    fixed = dataclasses.replace(free, vehicles=(_vehicle(0, latest_start=0.0),))
    assert solve(free, FAST).routes[0].start >= 170.0  # leaves as late as the window allows
    solution = solve(fixed, FAST)
    _assert_valid(fixed, solution)
    assert solution.routes[0].start == pytest.approx(0.0)
    late = dataclasses.replace(solution.routes[0], start=15.0)
    errors = check_solution(fixed, dataclasses.replace(solution, routes=(late,)))
    assert any("after its latest" in e for e in errors)
