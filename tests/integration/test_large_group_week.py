"""Sarolangun with 12 teams in its one team group is planned by OR-Tools (issues #14, #18).

The example's 4 teams plus 4 car and 4 motorbike teams at the Disdukcapil office, added as
``jemput target`` adds them (60 team-days in one group): the week is planned from the greedy
start by OR-Tools, at the first solution (what ``jemput project`` and the target confirmations
use) and at a short time limit, never by the greedy fallback and never empty.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from planner.domain.config import apply_overrides
from planner.geo.estimate import estimate_registry
from planner.io.plan_config import load_plan_config
from planner.scenarios.target_levers import apply_levers
from planner.travel.regional import travel_model_for
from planner.week.plan import plan_week
from planner.week.solve import SEARCH_FAILED
from planner.week.types import WeekInputs
from planner.week.verify import verify_plan


@pytest.fixture(scope="module")
def twelve_teams(sarolangun, sarolangun_classified) -> WeekInputs:  # type: ignore[no-untyped-def]
    teams, policy = load_plan_config(sarolangun, None, None, {"seed": 0})
    teams, _ = apply_levers(teams, {("tim_mobil", "15.03"): 4, ("tim_motor", "15.03"): 4})
    registry = estimate_registry(sarolangun, sarolangun_classified, seed=0)
    return WeekInputs(
        sarolangun,
        sarolangun_classified,
        registry,
        teams,
        policy,
        date(2018, 10, 1),
        travel_model_for(sarolangun),
    )


@pytest.mark.parametrize(
    "solver",
    [
        pytest.param({"time_limit_s": 20.0, "solution_limit": 1}, id="first-solution"),
        pytest.param({"time_limit_s": 4.0}, id="time-limit-4s"),
    ],
)
def test_twelve_teams_in_one_group_get_an_ortools_plan(
    twelve_teams: WeekInputs, solver: dict[str, object]
) -> None:
    assert len(twelve_teams.teams.teams) == 12
    policy = apply_overrides(twelve_teams.policy, {"solver": solver})
    plan = plan_week(dataclasses.replace(twelve_teams, policy=policy))
    groups = plan.meta["groups"]
    assert isinstance(groups, list) and len(groups) == 1
    (group,) = groups
    assert len(group["teams"]) == 12
    assert group["status"] not in SEARCH_FAILED
    assert group["status"].startswith("ROUTING_")
    assert group["warm_started"]  # the greedy start was replayed, not lost
    assert group["dropped"] < group["candidates"]
    assert plan.meta["search_failed"] == []
    summary = plan.summary
    assert isinstance(summary["planned_recordings"], int)
    assert summary["planned_recordings"] > 0
    assert verify_plan(plan) == []
