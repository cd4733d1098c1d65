"""Tests of the campaign look-ahead multipliers (planner.week.lookahead)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from planner.core.errors import ConfigError
from planner.domain.config import Policy, apply_overrides, load_policy
from planner.week.lookahead import TRIP_SHARE_CAP, deadline_scale, lookahead_factors, weeks_left


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


def _deadline_policy(weeks: float) -> Policy:
    return apply_overrides(
        load_policy(None),
        {
            "lookahead_trip_share": 0.5,
            "lookahead_deadline_weeks": weeks,
            "deadline": "2018-06-27",
        },
    )


def _factor(policy: Policy, monday: date) -> float | None:
    f = lookahead_factors(
        {"a": 90.0},
        {"a": 20.0},
        policy,
        setup=30.0,
        minutes_per_resident=3.5,
        weeks=weeks_left(monday, policy.deadline),
    )
    return None if f is None else f["a"]


def test_weeks_left_counts_later_weeks_that_start_by_the_deadline() -> None:
    deadline = date(2018, 6, 27)  # a Wednesday
    assert weeks_left(date(2018, 6, 25), deadline) == 0  # the deadline's own week
    assert weeks_left(date(2018, 7, 2), deadline) == 0  # after it
    assert weeks_left(date(2018, 6, 18), deadline) == 1
    assert weeks_left(date(2017, 11, 13), deadline) == 32
    assert weeks_left(date(2018, 6, 18), None) is None


def test_deadline_term_no_weeks_left_means_no_lookahead_more_weeks_more() -> None:
    policy = _deadline_policy(8.0)
    assert _factor(policy, date(2018, 6, 25)) is None  # record the most now
    two, four = _factor(policy, date(2018, 6, 11)), _factor(policy, date(2018, 5, 28))
    full = _factor(policy, date(2017, 11, 13))
    assert two is not None and four is not None and full is not None
    # (2 x 90 + 30) / (20 x 3.5) = 3.0 trips of work; 0.5 of it, scaled by weeks left / 8
    assert two == pytest.approx(1.0 + 2 / 8 * 0.5 * 3.0)
    assert four == pytest.approx(1.0 + 4 / 8 * 0.5 * 3.0)
    assert full == pytest.approx(1.0 + 0.5 * 3.0)  # 32 weeks left: capped at the full term
    assert 1.0 < two < four < full


def test_deadline_term_off_or_without_deadline_keeps_the_full_lookahead() -> None:
    off = _deadline_policy(0.0)
    assert _factor(off, date(2018, 6, 25)) == pytest.approx(1.0 + 0.5 * 3.0)
    no_deadline = apply_overrides(
        load_policy(None), {"lookahead_trip_share": 0.5, "lookahead_deadline_weeks": 8.0}
    )
    assert deadline_scale(no_deadline, None) == 1.0
    assert _factor(no_deadline, date(2018, 6, 25)) == pytest.approx(1.0 + 0.5 * 3.0)


@pytest.mark.parametrize("bad", [-1.0, 105.0, "8", math.nan])
def test_deadline_weeks_knob_is_validated(bad: object) -> None:
    with pytest.raises(ConfigError, match="lookahead_deadline_weeks"):
        apply_overrides(load_policy(None), {"lookahead_deadline_weeks": bad})
