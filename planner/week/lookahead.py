"""Campaign look-ahead: how much more a site's recordings are worth this week to the solver.

A week planned on its own leaves far villages and the last residents of a village for later,
where each costs another trip. The look-ahead multiplies a site's value (the
``value_factor`` of :func:`planner.week.groups.build_group_problem`) by its distance
(``lookahead_per_hour``) and by the share of a later trip its remaining residents would have to
carry (``lookahead_trip_share``), both scaled down as the deadline nears
(``lookahead_deadline_weeks``, :func:`deadline_scale`). Reports still count plain
priority-weighted recordings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

from planner.domain.config import Policy

TRIP_SHARE_CAP = 4.0
"""Most a trip can outweigh the work it serves in ``lookahead_trip_share`` (a village with a
handful of residents left is not worth unbounded detours)."""


def weeks_left(week_start: date, deadline: date | None) -> int | None:
    """Calendar weeks after the week of ``week_start`` that start by ``deadline`` (``None``: no
    deadline): the weeks still to come back in. The deadline's own week has 0 left, and so has
    a week after the deadline.

    Examples
    --------
    >>> weeks_left(date(2018, 6, 25), date(2018, 6, 27))
    0
    >>> weeks_left(date(2018, 6, 11), date(2018, 6, 27))
    2
    """
    if deadline is None:
        return None
    return max(0, (deadline - week_start).days // 7)


def deadline_scale(policy: Policy, weeks: int | None) -> float:
    """Share of the look-ahead a week keeps with ``weeks`` left before the deadline.

    ``min(1, weeks / lookahead_deadline_weeks)``; 1 when the deadline term is off
    (``lookahead_deadline_weeks = 0``) or the week has no deadline (``weeks`` is ``None``).
    """
    full = policy.lookahead_deadline_weeks
    if full <= 0 or weeks is None:
        return 1.0
    return min(1.0, weeks / full)


def lookahead_factors(
    one_way: Mapping[str, float],
    expected: Mapping[str, float],
    policy: Policy,
    *,
    setup: float,
    minutes_per_resident: float,
    weeks: int | None = None,
) -> dict[str, float] | None:
    """Campaign look-ahead multipliers of sites' values (``value_factor`` of a group problem).

    ``1 + s x (lookahead_per_hour x one-way hours + lookahead_trip_share x min(cap, trip /
    work))``, ``trip`` = round trip + set-up, ``work`` = minutes to record the site's expected
    residents of the week, ``s`` the deadline scale (:func:`deadline_scale`; see
    :class:`planner.domain.config.Policy`). ``None`` when both are off or ``s`` is 0.

    Parameters
    ----------
    one_way
        One-way travel minutes per site id from the nearest depot of the group.
    expected
        Expected recordings of the week per site id.
    policy
        Carries ``lookahead_per_hour`` and ``lookahead_trip_share``.
    setup, minutes_per_resident
        The group's mean set-up minutes and recording minutes per resident (per team-day).
    weeks
        Weeks left before the deadline after this one (:func:`weeks_left`), ``None``: none.
    """
    scale = deadline_scale(policy, weeks)
    per_hour, share = scale * policy.lookahead_per_hour, scale * policy.lookahead_trip_share
    if per_hour <= 0 and share <= 0:
        return None
    factors = {}
    for site, minutes in one_way.items():
        if not math.isfinite(minutes):
            continue
        work = max(1.0, float(expected.get(site, 0.0))) * minutes_per_resident
        trip = min(TRIP_SHARE_CAP, (2.0 * minutes + setup) / work)
        factors[site] = 1.0 + per_hour * minutes / 60.0 + share * trip
    return factors
