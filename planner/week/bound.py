"""An upper bound on the weighted recordings of any plan of a week (docs/BOUND.md).

The week is prepared as the greedy baseline prepares it (every chunk its teams can reach, no
pre-selection), then each team group's routing problem is relaxed by
:func:`planner.routing.bound.relaxation_bound`: residents of a site are divisible work (up to
the site's expected recordings of the week), worth the site's priority weight each, and each
place holds at most the policy's daily queue limit per day, all teams together. Groups share
no team and no regency, so the week's bound is the sum of the groups' bounds.

A plan made by the planner or by the greedy, day fill included, never has more weighted
recordings than this bound; the bound is never above the recording-capacity bound times the
highest weight.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from planner.routing.bound import RelaxationBound, WorkLimit, relaxation_bound
from planner.week.prepare import prepare_week
from planner.week.types import GroupProblem, WeekInputs


@dataclass(frozen=True)
class WeekBound:
    """The week's bound and its parts.

    Attributes
    ----------
    weighted
        Upper bound on the priority-weighted recordings of any plan of the week.
    recordings
        Recordings in the LP optimum (not a bound on recordings: the LP maximises weight).
    capacity_weighted
        The trivial bound, summed over groups: recording capacity x the highest weight, or
        all the expected demand, whichever is smaller.
    groups
        Per group: its team ids and the LP result.
    seconds
        Wall time of preparation and the LPs.
    """

    weighted: float
    recordings: float
    capacity_weighted: float
    groups: tuple[tuple[tuple[str, ...], RelaxationBound], ...]
    seconds: float


def group_bound(
    group: GroupProblem,
    expected: dict[str, int],
    queue_limit: int,
    integral_stops_s: float | None = None,
    trip_cuts: bool = True,
) -> RelaxationBound:
    """The relaxation bound of one team group (see the module docstring).

    With ``integral_stops_s`` the stops are also made 0/1 and SCIP gets that many seconds; the
    smaller of the LP bound and SCIP's dual bound is returned (both are bounds).
    ``trip_cuts=False`` leaves out the average-trip inequalities (to measure what they add).
    """
    node_of = {p: i for i, p in enumerate(group.places)}
    work: dict[int, float] = {}
    value: dict[int, float] = {}
    for chunk in group.chunks:
        node = node_of[chunk.site_id]
        work[node] = float(expected.get(chunk.site_id, 0))
        value[node] = chunk.weight
    by_date: dict[date, set[int]] = {}
    for k, td in enumerate(group.team_days):
        by_date.setdefault(td.day.date, set()).add(k)
    limits = [
        WorkLimit(frozenset({node}), frozenset(vehicles), float(queue_limit))
        for vehicles in by_date.values()
        for node in work
    ]
    lp = relaxation_bound(group.problem, value, work=work, limits=limits, trip_cuts=trip_cuts)
    if integral_stops_s is None:
        return lp
    mip = relaxation_bound(
        group.problem,
        value,
        work=work,
        limits=limits,
        integral_stops_s=integral_stops_s,
        trip_cuts=trip_cuts,
    )
    return mip if mip.value < lp.value else lp


def week_bound(
    inputs: WeekInputs,
    *,
    visited: Collection[str] | None = None,
    integral_stops_s: float | None = None,
    trip_cuts: bool = True,
) -> WeekBound:
    """Upper bound on the weighted recordings of every plan of the week of ``inputs``.

    Parameters
    ----------
    inputs
        The week's inputs (as for :func:`planner.week.plan.plan_week`).
    visited
        Site ids visited in earlier weeks (repeat-visit turnout), as for the plan.
    integral_stops_s
        Seconds of SCIP per group on the programme with 0/1 stops (see :func:`group_bound`);
        ``None``: the LP only.
    trip_cuts
        Include the average-trip inequalities (docs/BOUND.md); ``False`` only to measure them.

    Returns
    -------
    WeekBound
    """
    started = time.perf_counter()
    prepared = prepare_week(inputs, visited=visited, select=False)
    sites = prepared.sites
    expected = {str(s): int(e) for s, e in zip(sites["site_id"], sites["expected"], strict=True)}
    parts = []
    for group in prepared.groups:
        parts.append(
            (
                group.team_ids,
                group_bound(
                    group,
                    expected,
                    inputs.policy.max_attendance_per_visit_day,
                    integral_stops_s,
                    trip_cuts,
                ),
            )
        )
    return WeekBound(
        weighted=sum(b.value for _, b in parts),
        recordings=sum(b.units for _, b in parts),
        capacity_weighted=sum(b.capacity_value for _, b in parts),
        groups=tuple(parts),
        seconds=time.perf_counter() - started,
    )
