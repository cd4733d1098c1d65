"""The density greedy on one team group: the baseline's routes, and the planner's floor.

:func:`greedy_group` is the dispatcher the baseline (:mod:`planner.week.baseline`) runs on every
group; :func:`planner.week.prepare.prepare_week` runs the same function over every reachable
chunk of a group so that the planner's search starts from (and never ends below) the
baseline's routes.
"""

from __future__ import annotations

from dataclasses import replace

from planner.routing import RoutingSolution, objective_of_routes
from planner.routing.greedy import Rule, greedy_solve
from planner.week.types import GroupProblem


def greedy_group(group: GroupProblem, *, rule: Rule = "density") -> RoutingSolution:
    """Greedy routes of one group: team-days dispatched day by day (then by team id).

    Chunks are valued at their plain priority weight (no campaign look-ahead), and equally
    good chunks are taken in part order (``#1`` before ``#2``), as a dispatcher would.

    Parameters
    ----------
    group
        A group without pinned visits (the greedy does not plan locks or alternatives).
    rule
        ``"density"`` or ``"priority"`` (:mod:`planner.routing.greedy`).

    Returns
    -------
    RoutingSolution
        One route per team-day of the group, in its order.
    """
    order = sorted(
        range(len(group.team_days)),
        key=lambda k: (group.team_days[k].day.date, group.team_days[k].team.id),
    )
    weights = [c.weight for c in group.chunks]
    by_part = sorted(range(len(group.chunks)), key=lambda i: (group.chunks[i].part, i))
    rank = [0] * len(by_part)
    for position, i in enumerate(by_part):
        rank[i] = position
    return greedy_solve(group.problem, weights=weights, order=order, rule=rule, rank=rank)


def on_places(
    solution: RoutingSolution, source: GroupProblem, target: GroupProblem
) -> RoutingSolution:
    """``solution`` of ``source`` with its stops moved to the nodes of ``target``.

    Both groups must have the same team-days and every routed place in ``target``'s places
    (the planner's group, whose candidates hold every chunk the greedy routed); times stay.
    Visits of ``target`` that no route serves are dropped.
    """
    node_of = {place: k for k, place in enumerate(target.places)}
    routes = tuple(
        replace(
            route,
            stops=tuple(
                replace(stop, node=node_of[source.places[stop.node]]) for stop in route.stops
            ),
        )
        for route in solution.routes
    )
    served = {stop.visit_id for route in routes for stop in route.stops}
    return replace(
        solution,
        routes=routes,
        dropped=tuple(v.id for v in target.problem.visits if v.id not in served),
        objective=objective_of_routes(target.problem, [r.visit_ids for r in routes]),
    )
