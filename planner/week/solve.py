"""Solve a week's groups: in process, on a local process pool or on a Dask cluster.

Everything a solver run needs is built in the parent process (:mod:`planner.week.groups`); the
workers only run :func:`planner.routing.solve`, so the result is the same on one process or
many. A week plan always comes back, even when a group's search finds nothing in time."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from planner.core import interrupt
from planner.core.errors import RoutingError
from planner.domain.config import SolverSettings
from planner.domain.config.policy import ITERATED_LOCAL_SEARCH
from planner.routing import (
    Route,
    RoutingProblem,
    RoutingSolution,
    SolverOptions,
)
from planner.routing import solve as solve_routing
from planner.routing.greedy import greedy_solve
from planner.week.types import GroupProblem, GroupResult

KEEP_START_SECONDS = 30.0
"""Time guard of the one-solution search that turns start routes into a solution."""


def solver_options(settings: SolverSettings, time_limit_s: float | None) -> SolverOptions:
    """Routing options from the policy's solver settings and a per-group time limit.

    ``metaheuristic = "ITERATED_LOCAL_SEARCH"`` becomes ``iterated_local_search=True``, warm
    started or not: a group's start routes become the hint of the search's first solution
    (:func:`planner.routing.solve`), and :func:`solve_groups` keeps the start routes when the
    search ends with fewer weighted recordings. The metaheuristic passed on (guided local
    search) is then unused.
    """
    ils = settings.metaheuristic == ITERATED_LOCAL_SEARCH
    return SolverOptions(
        time_limit_s=time_limit_s,
        solution_limit=settings.solution_limit,
        first_solution=settings.first_solution,
        metaheuristic="GUIDED_LOCAL_SEARCH" if ils else settings.metaheuristic,
        seed=settings.seed,
        iterated_local_search=ils,
    )


def weighted_of(group: GroupProblem, visit_ids: Sequence[str]) -> float:
    """Priority-weighted recordings of the given visits (chunks) of a group."""
    chunks = {c.chunk_id: c for c in group.chunks}
    return float(sum(chunks[v].weight * chunks[v].recordings for v in visit_ids if v in chunks))


FALLBACK_GREEDY = "FALLBACK_GREEDY_NO_SOLUTION_IN_TIME"
"""Status of a group whose search found nothing in time and whose days got the greedy routes."""

FALLBACK_EMPTY = "EMPTY_PLAN_NO_SOLUTION_IN_TIME"
"""Status of a group whose search found nothing in time and which had no greedy fallback."""

SEARCH_FAILED = (FALLBACK_GREEDY, FALLBACK_EMPTY)
"""Statuses that say the search failed: its villages are not left out for capacity."""


def _solve_task(
    args: tuple[RoutingProblem, SolverOptions, list[list[str]] | None],
) -> RoutingSolution:
    """Solve one group; a week plan always comes back, even when the search finds nothing.

    Every week visit except pinned ones is optional, so "nothing found in time" (seen on a
    loaded machine with 1 s a group) must not fail the week: retry without the start routes,
    then give the team-days the greedy routes (status :data:`FALLBACK_GREEDY`), or, where the
    greedy cannot run, the empty plan (:data:`FALLBACK_EMPTY`). Either status is reported as
    a failed search, never as capacity.
    """
    problem, options, initial = args
    try:
        return solve_routing(problem, options, initial_routes=initial)
    except RoutingError:
        if any(v.mandatory for v in problem.visits):
            if initial is None:
                raise
            # pinned visits (a re-plan): measured in the disruption benchmark on a loaded
            # machine, a 1-2.5 s part can end before the search has even taken its start
            # routes (the announced ones); a one-solution search from them keeps them
            return solve_routing(problem, _keep_options(options), initial_routes=initial)
    if initial is not None:
        try:
            return solve_routing(problem, options)
        except RoutingError:
            pass
    return _fallback_solution(problem)


def _fallback_solution(problem: RoutingProblem) -> RoutingSolution:
    """The greedy routes of ``problem``, or every vehicle at its depot when it has none."""
    try:
        found = greedy_solve(problem)
    except ValueError:  # locks or time windows: the greedy does not plan those
        return _empty_solution(problem)
    return RoutingSolution(
        routes=found.routes,
        dropped=found.dropped,
        objective=found.objective,
        status=FALLBACK_GREEDY,
        wall_seconds=found.wall_seconds,
    )


def _empty_solution(problem: RoutingProblem) -> RoutingSolution:
    """Every vehicle stays at its depot; every visit is dropped."""
    routes = tuple(
        Route(v.id, k, (), v.shift_start, v.shift_start) for k, v in enumerate(problem.vehicles)
    )
    penalty = sum(v.penalty or 0 for v in problem.visits)
    return RoutingSolution(
        routes=routes,
        dropped=tuple(v.id for v in problem.visits),
        objective=int(penalty),
        status=FALLBACK_EMPTY,
        wall_seconds=0.0,
    )


def _keep_start(
    group: GroupProblem, options: SolverOptions, initial: list[list[str]]
) -> RoutingSolution:
    """The start routes as a solution: a warm start stopped at its first solution."""
    # the search stops at its first solution (the start routes); the time limit is only a guard
    # and must not be the group's budget: on a loaded machine building the model alone can take
    # longer than a 1 s part, and the start routes would be lost for nothing
    return solve_routing(group.problem, _keep_options(options), initial_routes=initial)


def _keep_options(options: SolverOptions) -> SolverOptions:
    """Options of a search that stops at its first solution: its start routes."""
    return SolverOptions(
        time_limit_s=max(KEEP_START_SECONDS, options.time_limit_s or 1.0),
        solution_limit=1,
        first_solution=options.first_solution,
        metaheuristic="GREEDY_DESCENT",
        seed=options.seed,
    )


def solve_groups(
    groups: Sequence[GroupProblem],
    settings: SolverSettings,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    initial: Sequence[list[list[str]] | None] | None = None,
    on_done: Callable[[GroupProblem], None] | None = None,
) -> list[GroupResult]:
    """Solve every group; in a process pool when ``workers > 1``, on Dask with ``scheduler``.

    The time limit of the settings is the wall-clock budget of the whole week: each group gets
    ``time_limit x parallel slots / groups`` seconds (at least 1 s). ``initial`` gives start
    routes per group (visit ids per vehicle, or ``None``): the search starts from them, and
    if it ends with fewer priority-weighted recordings than they had (trading recordings for
    travel), the start routes are kept, so a warm-started plan is never worse than its start.
    """
    if not groups:
        return []
    starts = list(initial) if initial is not None else [None] * len(groups)
    slots = max(1, min(workers, len(groups)))
    # at least 1 s a group: shorter searches often find nothing (docs/GUARANTEES.md)
    per_group = max(1.0, settings.time_limit_s * slots / len(groups))
    tasks = [
        (g.problem, solver_options(settings, per_group), init)
        for g, init in zip(groups, starts, strict=True)
    ]
    if scheduler:
        from distributed import Client

        with Client(scheduler) as client:
            futures = client.map(_solve_task, tasks, pure=False)
            solutions = client.gather(futures)
    elif slots > 1:
        # Ctrl-C reaches the workers too (same process group): each returns its best plan
        # while this process waits; SIGTERM is passed on to them (planner/core/interrupt.py)
        with interrupt.solver_section(), ProcessPoolExecutor(max_workers=slots) as pool:
            solutions = list(pool.map(_solve_task, tasks))
    else:
        solutions = []
        for task, group in zip(tasks, groups, strict=True):
            solutions.append(_solve_task(task))
            if on_done is not None:
                on_done(group)
    out = []
    for group, (_, options, init), solution in zip(groups, tasks, solutions, strict=True):
        if init is not None:
            found = weighted_of(group, [v for r in solution.routes for v in r.visit_ids])
            if found < weighted_of(group, [v for r in init for v in r]):
                try:
                    kept = _keep_start(group, options, init)
                except RoutingError:
                    # replaying the start found nothing in its second (a loaded machine):
                    # the search's own plan stands
                    kept = None
                if kept is None:
                    # OR-Tools could not even replay the start (Sumenep's 45 team-days, until
                    # its finalizer got more than 100 ms: ortools_model.FINALIZER_TIME_LIMIT_S);
                    # kept as a safety net: the greedy routes, checked by the project's own
                    # checker, beat an empty week; reported as a failed search
                    kept = _fallback_solution(group.problem)
                if weighted_of(group, [v for r in kept.routes for v in r.visit_ids]) >= found:
                    solution = kept
        out.append(solution)
    return [GroupResult(g, s) for g, s in zip(groups, out, strict=True)]
