"""A greedy baseline week: the yardstick the week planner has to beat.

Each team-day, in date order, takes the best visit chunk that still fits in its day, by the
rules of :mod:`planner.routing.greedy` (``density`` by default, or ``priority``).

The baseline is honest by construction: :func:`plan_week_greedy` runs
the planner's own :func:`~planner.week.prepare.prepare_week` and
:func:`~planner.week.plan.finish_week`, with the same demand, chunks, travel matrices (set-up
included), calendar and team groups, and only replaces the solver call (and, by default,
the candidate pre-selection: the greedy sees every chunk). Its routes are
:class:`~planner.routing.RoutingSolution` objects that :func:`planner.routing.check_solution`
accepts, so itineraries, reasons and the summary come from the planner's own code.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from planner.routing.greedy import Rule
from planner.week.greedy_week import greedy_group
from planner.week.plan import finish_week
from planner.week.prepare import prepare_week
from planner.week.types import GroupProblem, GroupResult, WeekInputs, WeekPlan


def greedy_groups(groups: Sequence[GroupProblem], *, rule: Rule = "density") -> list[GroupResult]:
    """Greedy routes for every group (:func:`planner.week.greedy_week.greedy_group`)."""
    return [GroupResult(group, greedy_group(group, rule=rule)) for group in groups]


def plan_week_greedy(
    inputs: WeekInputs,
    *,
    visited: Collection[str] | None = None,
    rule: Rule = "density",
    preselect: bool = False,
) -> WeekPlan:
    """Plan a week with the greedy baseline; same inputs and output as :func:`plan_week`.

    Parameters
    ----------
    inputs, visited
        As for :func:`planner.week.plan.plan_week`.
    rule
        ``"density"`` or ``"priority"`` (see the module docstring).
    preselect
        Give the greedy only the planner's pre-selected candidate chunks (default: every
        chunk its teams can reach, as a dispatcher without the planner would see them).

    Returns
    -------
    WeekPlan
        ``summary`` is :func:`planner.week.schedule.week_summary` of the greedy routes;
        ``meta["solver"]`` says ``greedy:<rule>``.
    """

    prepared = prepare_week(inputs, visited=visited, select=preselect)
    results = greedy_groups(prepared.groups, rule=rule)
    week = finish_week(inputs, prepared, results)
    week.meta["solver"] = {"name": f"greedy:{rule}", "preselect": preselect}
    return week
