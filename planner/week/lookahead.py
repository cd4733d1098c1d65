"""Campaign look-ahead: how much more a site's recordings are worth this week to the solver.

A week planned on its own leaves far villages and the last residents of a village for later,
where each costs another trip. The look-ahead multiplies a site's value (the
``value_factor`` of :func:`planner.week.groups.build_group_problem`) by its distance
(``lookahead_per_hour``) and by the share of a later trip its remaining residents would have to
carry (``lookahead_trip_share``). Reports still count plain priority-weighted recordings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from planner.domain.config import Policy

TRIP_SHARE_CAP = 4.0
"""Most a trip can outweigh the work it serves in ``lookahead_trip_share`` (a village with a
handful of residents left is not worth unbounded detours)."""


def lookahead_factors(
    one_way: Mapping[str, float],
    expected: Mapping[str, float],
    policy: Policy,
    *,
    setup: float,
    minutes_per_resident: float,
) -> dict[str, float] | None:
    """Campaign look-ahead multipliers of sites' values (``value_factor`` of a group problem).

    ``1 + lookahead_per_hour x one-way hours + lookahead_trip_share x min(cap, trip / work)``,
    ``trip`` = round trip + set-up, ``work`` = minutes to record the site's expected residents
    of the week (see :class:`planner.domain.config.Policy`). ``None`` when both are off.

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
    """
    per_hour, share = policy.lookahead_per_hour, policy.lookahead_trip_share
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
