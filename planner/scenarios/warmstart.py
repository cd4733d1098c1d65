"""A week plan that starts from another plan's routes (what-if scenarios).

A scenario that only *adds* capacity (a team, a kit, a working day, faster kits) must never be
reported worse than its base. :func:`planner.week.plan.plan_week` with ``start=`` does what that
needs: it keeps the base's chunk size of every site (same chunk ids), makes every chunk the
base routed a candidate of its group, starts each group's search from the base's routes
(mapped by vehicle id ``team@date`` and visit id ``site#part``), and keeps the start routes if
the search ends with fewer priority-weighted recordings.
"""

from __future__ import annotations

from planner.week.plan import plan_week
from planner.week.types import WeekInputs, WeekPlan


def plan_week_from(
    inputs: WeekInputs,
    *,
    start: WeekPlan | None = None,
    workers: int = 1,
    visited: set[str] | None = None,
) -> WeekPlan:
    """Plan one week like :func:`planner.week.plan.plan_week`, optionally from ``start``'s routes.

    Parameters
    ----------
    inputs, workers, visited
        As for :func:`planner.week.plan.plan_week`.
    start
        A plan of the same week, registry and policy with *fewer or equal* resources (the
        base of a scenario). ``None`` plans from scratch (greedy warm start, as ``plan_week``).

    Returns
    -------
    WeekPlan
        ``meta["chunk_size"]`` holds the chunk size per site; ``meta["warm_started"]`` the
        number of groups whose search started from ``start``.
    """

    plan = plan_week(
        inputs,
        workers=workers,
        visited=visited,
        start=start,
        # from a base, start from the base alone: "never worse than the base" is then exact
        warm_start=start is None,
    )
    groups = plan.meta.get("groups", [])
    assert isinstance(groups, list)
    plan.meta["warm_started"] = (
        sum(1 for g in groups if g.get("warm_started")) if start is not None else 0
    )
    return plan
