"""Solve a :class:`RoutingProblem` with OR-Tools and return plain routes.

Randomness and reproducibility
------------------------------
OR-Tools' routing search has no random seed: its first-solution heuristics and local search
are deterministic for a given model and parameters (``Solver.ReSeed`` has no effect on them).
What makes two runs differ is the **time limit**: the search stops wherever it is when the
clock runs out, which depends on the machine and its load. A run stopped by
``solution_limit`` (before any time limit) is reproducible. ``SolverOptions.seed`` is
therefore used by the planner itself: 0 keeps the visits in problem order inside the model,
any other value shuffles that order reproducibly, which changes tie-breaking in the
heuristics (a cheap way to get a different, still reproducible, run).

Start routes
------------
A problem with shared capacities (the daily queue limit of a place across team-days) and no
start routes of the caller's starts from the greedy's routes (:func:`constructed_start`):
OR-Tools' first-solution heuristics do not see that constraint and, on large team groups,
ran out of time before finding a plan that holds it (issues #14, #18).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass

import planner.routing.integer as integer
import planner.routing.ortools_model as ortools_model
from planner.core.errors import RoutingError
from planner.routing.check import objective_of_routes
from planner.routing.greedy import greedy_solve
from planner.routing.ortools_model import RawSolution
from planner.routing.problem import RoutingProblem
from planner.routing.solution import Route, RoutingSolution, ScheduledBreak, Stop


@dataclass(frozen=True)
class SolverOptions:
    """Search settings.

    Parameters
    ----------
    time_limit_s
        Wall-clock limit of the search in seconds (default 10). ``None`` = no limit; then
        ``solution_limit`` must be set (guided local search never stops by itself).
    solution_limit
        Stop after this many solutions (improving or accepted by the metaheuristic). With it,
        and a time limit that is not reached, runs are reproducible.
    first_solution
        OR-Tools ``FirstSolutionStrategy`` name: ``PARALLEL_CHEAPEST_INSERTION`` (default),
        ``LOCAL_CHEAPEST_INSERTION``, ``PATH_CHEAPEST_ARC``, ``SAVINGS``, ``SWEEP``,
        ``GLOBAL_CHEAPEST_ARC``, ``AUTOMATIC``, ...
    metaheuristic
        OR-Tools ``LocalSearchMetaheuristic`` name: ``GUIDED_LOCAL_SEARCH`` (default),
        ``GREEDY_DESCENT``, ``SIMULATED_ANNEALING``, ``TABU_SEARCH``, ``AUTOMATIC``.
    seed
        0 = visits in problem order; otherwise a reproducible shuffle of the model's node order
        (see the module docstring: OR-Tools itself takes no seed).
    log_search
        Let OR-Tools log its search to stderr.
    iterated_local_search
        Search with OR-Tools' iterated local search instead of ``metaheuristic``: remove
        strings of nearby visits (SISR ruin), re-insert them by cheapest insertion, improve by
        local search, accept by simulated annealing (by improvement only under
        ``solution_limit``, so runs stay reproducible). With ``initial_routes`` the routes are
        the hint of its first solution (OR-Tools' iterated local search takes no start
        assignment; its LOCAL_CHEAPEST_INSERTION first solution reads the hint), so the result
        may be worse than the start: callers that need "never worse" compare afterwards, as
        :func:`planner.week.solve.solve_groups` does.
    guided_local_search_lambda
        OR-Tools ``guided_local_search_lambda_coefficient`` (``None`` = its default, 0.1).
    """

    time_limit_s: float | None = 10.0
    solution_limit: int | None = None
    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    seed: int = 0
    log_search: bool = False
    iterated_local_search: bool = False
    guided_local_search_lambda: float | None = None

    def __post_init__(self) -> None:
        problems = []
        if self.time_limit_s is not None and not self.time_limit_s > 0:
            problems.append(f"time_limit_s must be > 0, got {self.time_limit_s}")
        if self.solution_limit is not None and self.solution_limit < 1:
            problems.append(f"solution_limit must be ≥ 1, got {self.solution_limit}")
        if (
            self.time_limit_s is None
            and self.solution_limit is None
            and (self.metaheuristic != "GREEDY_DESCENT" or self.iterated_local_search)
        ):
            problems.append("give time_limit_s or solution_limit: the search would never stop")
        if self.first_solution not in ortools_model.FIRST_SOLUTION_STRATEGIES:
            problems.append(
                f"unknown first_solution {self.first_solution!r}; "
                f"choose one of {', '.join(ortools_model.FIRST_SOLUTION_STRATEGIES)}"
            )
        if self.metaheuristic not in ortools_model.METAHEURISTICS:
            problems.append(
                f"unknown metaheuristic {self.metaheuristic!r}; "
                f"choose one of {', '.join(ortools_model.METAHEURISTICS)}"
            )
        if self.seed < 0:
            problems.append(f"seed must be ≥ 0, got {self.seed}")
        if self.guided_local_search_lambda is not None and not (
            0 < self.guided_local_search_lambda < 10
        ):
            problems.append(
                "guided_local_search_lambda must be in (0, 10), got "
                f"{self.guided_local_search_lambda}"
            )
        if problems:
            raise RoutingError(problems)


def solve(
    problem: RoutingProblem,
    options: SolverOptions | None = None,
    initial_routes: Sequence[Sequence[str]] | None = None,
) -> RoutingSolution:
    """Solve ``problem`` and return routes for every vehicle.

    Parameters
    ----------
    problem
        The problem to solve.
    options
        Search settings; defaults to :class:`SolverOptions()`.
    initial_routes
        Visit ids per vehicle (in vehicle order; fewer lists than vehicles = the rest empty),
        e.g. ``previous.route_visit_ids()``. When they are feasible for ``problem``, the
        search starts from them and the result is never worse than them; when they are not
        (a visit no longer exists, a window changed), the search starts from scratch and
        ``warm_started`` is False.

    Returns
    -------
    RoutingSolution
        Always a solution when every visit is optional (dropping all is feasible).

    Raises
    ------
    RoutingError
        When mandatory visits cannot all be served, or ``initial_routes`` are malformed.

    Examples
    --------
    >>> solution = solve(problem, SolverOptions(time_limit_s=5))  # doctest: +SKIP
    >>> again = solve(changed, SolverOptions(time_limit_s=5),
    ...               initial_routes=solution.route_visit_ids())  # doctest: +SKIP
    """
    options = options or SolverOptions()
    started = time.perf_counter()
    initial = _initial_indices(problem, initial_routes)
    given = initial is not None
    if initial is None:
        initial = constructed_start(problem)
    raw = _search(problem, options, initial, options.time_limit_s)
    if raw is not None and raw.warm_started and options.iterated_local_search:
        raw = _not_worse_than_start(problem, options, initial, raw)
    searched = problem
    if raw is None and any(v.soft_time_window is not None for v in problem.visits):
        # OR-Tools prices soft bounds with a scheduling LP on every route, one more thing
        # that can fail in a short search: should the search find nothing with them, the
        # preference is dropped, never the plan. (Re-plans with mandatory pins were also
        # seen to find nothing without any window: this is not the only cause.)
        searched = dataclasses.replace(
            problem,
            visits=tuple(
                dataclasses.replace(v, soft_time_window=None, soft_window_cost=0)
                for v in problem.visits
            ),
        )
        left = None
        if options.time_limit_s is not None:
            left = max(1.0, options.time_limit_s - (time.perf_counter() - started))
        raw = _search(searched, options, initial, left)
    if raw is None and any(v.penalty is None and v.locked_vehicle is None for v in problem.visits):
        # The first-solution heuristics insert mandatory visits greedily and give up at the
        # first one they cannot place. Second try: every mandatory (unlocked) visit optional
        # with a penalty above any possible saving, so the search can start from a partial
        # plan and insert them later; accepted only if it serves them all.
        relaxed = _relax_mandatory(searched)
        left = None
        if options.time_limit_s is not None:
            left = max(1.0, options.time_limit_s - (time.perf_counter() - started))
        raw = _search(relaxed, options, initial, left)
        if raw is not None:
            missing = [problem.visits[i].id for i in raw.dropped if problem.visits[i].mandatory]
            if missing:
                raise RoutingError(
                    f"no plan serves every mandatory visit: the best plan found leaves out "
                    f"{len(missing)} of them ({', '.join(missing[:10])}"
                    f"{', ...' if len(missing) > 10 else ''}); make them optional (give a "
                    "penalty), add vehicles, widen time windows, or allow more time"
                )
    if raw is None:
        mandatory = sum(visit.mandatory for visit in problem.visits)
        raise RoutingError(
            f"no feasible plan found for {mandatory} mandatory visit(s) on "
            f"{len(problem.vehicles)} vehicle(s) with first_solution={options.first_solution} "
            f"and time limit {options.time_limit_s} s; make visits optional (give a penalty), "
            "add vehicles, widen time windows, or allow more time"
        )
    solution = _to_solution(problem, raw, time.perf_counter() - started)
    if not given:
        # a start the caller did not give is not a warm start of theirs
        solution = dataclasses.replace(solution, warm_started=False)
    if searched is not problem:
        solution = dataclasses.replace(solution, soft_windows_dropped=True)
    return solution


def constructed_start(problem: RoutingProblem) -> list[list[int]] | None:
    """Greedy start routes (visit indices) for a problem with shared capacities, else ``None``.

    OR-Tools' first-solution heuristics check their insertions with routing filters only; a
    shared capacity (a place's daily queue limit across vehicles) is a plain solver constraint
    that no filter sees, so an insertion that breaks it is found out only when the whole
    solution is committed, and the heuristic retries. With many vehicles that can reach one
    place on one day (large team groups) that ate the whole time limit and ended with an
    empty or almost empty plan: a synthetic day of 60 vehicles and six places with a queue
    limit planned 24 of 60 possible visits in 10 s, 0 in 5 s (``tests/unit/test_large_groups.py``).
    The greedy (:func:`planner.routing.greedy.greedy_solve`) respects shared capacities by
    construction, so the search starts from a plan that holds them and local search improves
    it (each move is checked against the constraint when it is committed). Problems the
    greedy does not plan (locks, time windows, alternatives, mandatory visits...) keep the
    first-solution heuristic.
    """
    if not problem.shared_capacities or any(v.mandatory for v in problem.visits):
        return None
    try:
        found = greedy_solve(problem)
    except ValueError:  # time windows, locks, alternatives...: not the greedy's problems
        return None
    return [[problem.visit_index(v) for v in route.visit_ids] for route in found.routes]


def _search(
    problem: RoutingProblem,
    options: SolverOptions,
    initial: list[list[int]] | None,
    time_limit_s: float | None,
) -> RawSolution | None:
    model = ortools_model.build_model(problem, seed=options.seed)
    params = ortools_model.search_parameters(
        first_solution=options.first_solution,
        metaheuristic=options.metaheuristic,
        time_limit_s=time_limit_s,
        solution_limit=options.solution_limit,
        log_search=options.log_search,
        iterated_local_search=options.iterated_local_search,
        guided_local_search_lambda=options.guided_local_search_lambda,
    )
    return ortools_model.search(model, params, initial)


def _not_worse_than_start(
    problem: RoutingProblem,
    options: SolverOptions,
    initial: list[list[int]] | None,
    raw: RawSolution,
) -> RawSolution:
    """The start routes (as a solver solution) when the hinted ILS ended worse than them."""
    if initial is None:
        return raw
    start = objective_of_routes(problem, [[problem.visits[i].id for i in r] for r in initial])
    if raw.objective <= start:
        return raw
    keep = dataclasses.replace(
        options, iterated_local_search=False, metaheuristic="GREEDY_DESCENT", solution_limit=1
    )
    kept = _search(problem, keep, initial, max(1.0, options.time_limit_s or 1.0))
    return kept if kept is not None and kept.objective <= raw.objective else raw


def _relax_mandatory(problem: RoutingProblem) -> RoutingProblem:
    """``problem`` with unlocked mandatory visits optional, at a prohibitive penalty.

    The penalty exceeds the largest possible difference in arc and fixed costs between two
    plans (every arc at its most expensive, every vehicle used) plus every optional penalty,
    so a plan that drops a mandatory visit always costs more than one that serves it.
    """
    worst_arc = 0
    for profile in {v.profile for v in problem.vehicles}:
        cost = integer.cost_matrix(problem, profile)
        worst_arc = max(worst_arc, int(cost.max()))
    arcs = len(problem.visits) + len(problem.vehicles)
    penalty = (
        worst_arc * arcs
        + sum(v.fixed_cost for v in problem.vehicles)
        + sum(int(v.penalty or 0) for v in problem.visits)
        + 1
    )
    visits = tuple(
        dataclasses.replace(v, penalty=penalty)
        if v.penalty is None and v.locked_vehicle is None
        else v
        for v in problem.visits
    )
    return dataclasses.replace(problem, visits=visits)


def _initial_indices(
    problem: RoutingProblem, routes: Sequence[Sequence[str]] | None
) -> list[list[int]] | None:
    if routes is None:
        return None
    problems = []
    if len(routes) > len(problem.vehicles):
        problems.append(
            f"initial_routes has {len(routes)} routes for {len(problem.vehicles)} vehicles"
        )
    seen: set[str] = set()
    out: list[list[int]] = []
    for k, route in enumerate(routes):
        if isinstance(route, str):
            problems.append(f"initial route {k} is a string, expected a sequence of visit ids")
            continue
        indices = []
        for visit_id in route:
            if visit_id in seen:
                problems.append(f"initial routes: visit {visit_id!r} appears twice")
            seen.add(visit_id)
            try:
                indices.append(problem.visit_index(visit_id))
            except RoutingError:
                problems.append(f"initial route {k}: unknown visit id {visit_id!r}")
        out.append(indices)
    if problems:
        raise RoutingError(problems)
    return out


def _to_solution(problem: RoutingProblem, raw: RawSolution, wall_seconds: float) -> RoutingSolution:
    """Turn solver integers into problem minutes, with real-valued arrivals."""
    scale = problem.time_scale
    routes = []
    for r in raw.routes:
        vehicle = problem.vehicles[r.vehicle]
        minutes = problem.arc_minutes(vehicle.profile)
        breaks = tuple(
            ScheduledBreak(start=s / scale, end=(s + d) / scale) for s, d in sorted(r.breaks)
        )
        stops = []
        here, ready = vehicle.start_node, r.route_start / scale
        for i, start_int in zip(r.visits, r.starts, strict=True):
            visit = problem.visits[i]
            start = start_int / scale
            travel = 0.0 if here == visit.node else float(minutes[here, visit.node])
            pause = sum(b.end - b.start for b in breaks if ready <= b.start and b.end <= start)
            end = start + vehicle.service_minutes(visit)
            stops.append(
                Stop(
                    visit_id=visit.id,
                    node=visit.node,
                    arrival=min(start, ready + travel + pause),
                    start=start,
                    end=end,
                )
            )
            here, ready = visit.node, end
        routes.append(
            Route(
                vehicle_id=vehicle.id,
                vehicle=r.vehicle,
                stops=tuple(stops),
                start=r.route_start / scale,
                end=r.route_end / scale,
                breaks=breaks,
            )
        )
    return RoutingSolution(
        routes=tuple(routes),
        dropped=tuple(problem.visits[i].id for i in raw.dropped),
        objective=raw.objective,
        status=raw.status,
        wall_seconds=wall_seconds,
        warm_started=raw.warm_started,
    )
