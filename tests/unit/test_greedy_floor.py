"""The planner's week starts from, and never ends below, the greedy baseline over every
reachable chunk (planner.week.prepare ``greedy_floor``, planner.week.plan.start_routes)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

import planner.week.plan as plan_module
from planner.domain.config import apply_overrides, load_policy, teams_from_dict
from planner.routing import check_solution, objective_of_routes
from planner.week.baseline import greedy_groups, plan_week_greedy
from planner.week.plan import keep_floor, start_routes
from planner.week.prepare import prepare_week
from planner.week.solve import solve_groups, weighted_of
from planner.week.types import GroupResult, WeekInputs
from planner.week.verify import verify_plan

WEEK = date(2017, 11, 13)


@pytest.fixture(scope="module")
def pandeglang_week(banten, banten_classified) -> WeekInputs:  # type: ignore[no-untyped-def]
    """One Pandeglang team with one kit: hundreds of reachable chunks, few pre-selected."""
    from planner.geo.estimate import estimate_registry
    from planner.travel.regional import travel_model_for

    teams = teams_from_dict(
        {"teams": [{"id": "p", "name": "P", "depot": "dinas-36.01", "kits": 1}]},
        source="test-teams.toml",
    )
    # a search of 3 solutions: far from converged, so only the start keeps it above the greedy
    policy = apply_overrides(
        load_policy(None), {"solver": {"time_limit_s": 5, "solution_limit": 3}}
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


def _weighted(result: GroupResult) -> float:
    return weighted_of(result.group, [v for r in result.solution.routes for v in r.visit_ids])


def test_floor_routes_are_the_baselines_and_their_chunks_are_candidates(
    pandeglang_week: WeekInputs,
) -> None:
    floored = prepare_week(pandeglang_week, greedy_floor=True)
    plain = prepare_week(pandeglang_week)
    baseline = greedy_groups(prepare_week(pandeglang_week, select=False).groups)
    (group,) = floored.groups
    (base,) = baseline
    assert group.floor is not None
    assert group.floor.route_visit_ids() == base.solution.route_visit_ids()
    routed = {v for r in group.floor.routes for v in r.visit_ids}
    assert routed <= set(group.candidates)
    # moved onto the planner's nodes, the greedy's routes are a valid solution of its problem
    assert check_solution(group.problem, group.floor) == []
    # the pre-selection alone misses some of the baseline's chunks (what this start adds)
    assert not routed <= set(plain.groups[0].candidates)
    assert plain.groups[0].floor is None


def test_planner_week_is_never_below_the_greedy(pandeglang_week: WeekInputs) -> None:
    # before the day fill: the search keeps a start it cannot beat
    prepared = prepare_week(pandeglang_week, greedy_floor=True)
    baseline = greedy_groups(prepare_week(pandeglang_week, select=False).groups)
    solved = solve_groups(
        prepared.groups, pandeglang_week.policy.solver, initial=start_routes(prepared.groups)
    )
    for mine, greedy in zip(solved, baseline, strict=True):
        assert mine.group.team_ids == greedy.group.team_ids
        assert _weighted(mine) >= _weighted(greedy) - 1e-6
    # after it: the week as a coordinator gets it, against the baseline week
    week = plan_module.plan_week(pandeglang_week)
    greedy_week = plan_week_greedy(pandeglang_week)
    assert verify_plan(week) == []
    planned = float(week.summary["weighted_recordings"])  # type: ignore[arg-type]
    assert planned >= float(greedy_week.summary["weighted_recordings"])  # type: ignore[arg-type]
    for mine, greedy in zip(week.results, greedy_week.results, strict=True):
        assert _weighted(mine) >= _weighted(greedy) - 1e-6


def test_keep_floor_takes_the_greedy_where_it_fills_better(pandeglang_week: WeekInputs) -> None:
    prepared = prepare_week(pandeglang_week, greedy_floor=True)
    (group,) = prepared.groups
    assert group.floor is not None
    expected = dict(
        zip(prepared.sites["site_id"], prepared.sites["expected"].astype(int), strict=True)
    )
    # a "solution" that serves nothing loses to the floor; the floor against itself stays
    empty = replace(
        group.floor,
        routes=tuple(replace(r, stops=(), breaks=()) for r in group.floor.routes),
        dropped=tuple(v.id for v in group.problem.visits),
    )
    (kept,) = keep_floor([GroupResult(group, empty)], expected, 150)
    assert kept.solution is group.floor
    (same,) = keep_floor([GroupResult(group, group.floor)], expected, 150)
    assert same.solution is group.floor


def test_start_routes_offer_the_floor_and_the_preselected_greedy(
    pandeglang_week: WeekInputs,
) -> None:
    prepared = prepare_week(pandeglang_week, greedy_floor=True)
    (group,) = prepared.groups
    assert group.floor is not None and group.preselected is not None
    assert set(group.preselected) < set(group.candidates)
    (start,) = start_routes(prepared.groups)
    assert start is not None
    # the chosen start is at least as good for the solver as the floor's routes
    floor = objective_of_routes(group.problem, group.floor.route_visit_ids())
    assert objective_of_routes(group.problem, start) <= floor
    # the greedy over the pre-selected candidates routes only those
    (old,) = start_routes(prepare_week(pandeglang_week).groups)
    assert old is not None
    assert {v for r in old for v in r} <= set(group.preselected)
