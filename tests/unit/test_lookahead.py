"""Tests of the campaign look-ahead multipliers (planner.week.lookahead)."""

from __future__ import annotations

import math

import pytest

from planner.domain.config import apply_overrides, load_policy
from planner.week.lookahead import TRIP_SHARE_CAP, lookahead_factors


def test_off_by_default_gives_no_factors() -> None:
    policy = load_policy(None)
    assert (
        lookahead_factors({"a": 60.0}, {"a": 10.0}, policy, setup=30, minutes_per_resident=3.5)
        is None
    )


def test_trip_share_values_a_far_small_village_more_than_a_near_large_one() -> None:
    policy = apply_overrides(load_policy(None), {"lookahead_trip_share": 0.5})
    one_way = {"far_small": 90.0, "near_large": 10.0, "cut_off": math.inf}
    expected = {"far_small": 20.0, "near_large": 150.0}
    f = lookahead_factors(one_way, expected, policy, setup=30.0, minutes_per_resident=3.5)
    assert f is not None and "cut_off" not in f
    # far_small: (2 x 90 + 30) / (20 x 3.5) = 3.0; near_large: (20 + 30) / 525
    assert f["far_small"] == pytest.approx(1.0 + 0.5 * 3.0)
    assert f["near_large"] == pytest.approx(1.0 + 0.5 * 50.0 / 525.0)
    # a site with (almost) nobody left is capped, not unbounded
    g = lookahead_factors({"x": 300.0}, {"x": 1.0}, policy, setup=30.0, minutes_per_resident=3.5)
    assert g == {"x": pytest.approx(1.0 + 0.5 * TRIP_SHARE_CAP)}


def test_distance_and_trip_share_add_up() -> None:
    policy = apply_overrides(
        load_policy(None), {"lookahead_per_hour": 1.0, "lookahead_trip_share": 0.5}
    )
    f = lookahead_factors({"a": 90.0}, {"a": 20.0}, policy, setup=30.0, minutes_per_resident=3.5)
    assert f == {"a": pytest.approx(1.0 + 1.5 + 1.5)}
