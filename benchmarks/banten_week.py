"""Plan quality on Banten weeks: the planner against the greedy baseline, and with 4x the time.

Run: ``.venv/bin/python benchmarks/banten_week.py [--time-limit 20] [--weeks ...] [--quick]
[--experiments] [--metaheuristics] [--start]``. Inputs: the bundled Banten region, its registry
estimate (seed of the policy), ``examples/banten/teams.toml``, the default policy. Rows per
week:

* ``planner T``: :func:`planner.week.plan.plan_week`, ``--workers`` processes, time limit T s;
* ``greedy density`` / ``greedy priority``: :func:`planner.week.baseline.plan_week_greedy` with its
  two rules (same demand, chunks, matrices, calendar; every reachable chunk offered);
* ``planner 4T``: the planner with four times the time.

Seconds are the wall time of the call (region loading and classification excluded: printed
once). ``--experiments`` reruns the planner on the first week with one planner constant
changed at a time (module attributes patched in this process; nothing is edited) and with the
greedy routes as a warm start, to show where the planner loses quality. ``--metaheuristics``
instead runs only the metaheuristic comparison (:func:`metaheuristic_rows`) on every week;
``--start`` only the warm-start comparison (:func:`start_rows`: the greedy over every chunk, the
planner started from the greedy over its pre-selected candidates, and from the greedy over
every reachable chunk) on every week.
Stdout is Markdown.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    REPO,
    Inputs,
    load_inputs,
    machine,
    markdown,
    patched,
    run_greedy,
    run_planner,
    summary_row,
    time_budget,
    timed,
    utilisation_ceiling,
    with_time_limit,
)

import planner.routing.ortools_model as ortools_module
import planner.week.groups as weekplan_module
import planner.week.plan as plan_module
import planner.week.prepare as prepare_module
import planner.week.solve as solve_module
from planner.domain.config import SolverSettings, apply_overrides
from planner.domain.config.policy import ITERATED_LOCAL_SEARCH
from planner.routing import RoutingProblem, RoutingSolution, SolverOptions
from planner.routing import solve as solve_routing
from planner.week.baseline import greedy_groups
from planner.week.solve import solver_options, weighted_of
from planner.week.types import GroupProblem, GroupResult, WeekPlan

DEFAULT_WEEKS = ("2017-11-13", "2017-11-27", "2017-12-25", "2018-01-08")
"""An ordinary week, Maulid Nabi (Fri 1 Dec), Natal + cuti bersama (Mon-Tue), and January."""

UTILISATION_TARGET = 0.85
WEIGHTED_VS_GREEDY_TARGET = 1.2

COLUMNS = (
    "run",
    "planned",
    "weighted",
    "util",
    "km",
    "boat_h",
    "villages",
    "pulau",
    "pesisir",
    "perbatasan",
    "terpencil",
    "seconds",
)


def _warm_task(args: tuple[RoutingProblem, SolverOptions, list[list[str]]]) -> RoutingSolution:
    problem, options, initial = args
    return solve_routing(problem, options, initial_routes=initial)


def _solve_warm(
    groups: Sequence[GroupProblem], settings: SolverSettings, **options: Any
) -> list[GroupResult]:
    """``solve_groups`` with each group's greedy routes as the initial solution."""
    workers = int(options.get("workers", 1))
    slots = max(1, min(workers, len(groups)))
    per_group = max(1.0, settings.time_limit_s * slots / max(len(groups), 1))
    greedy = greedy_groups(groups)
    tasks = [
        (g.problem, solver_options(settings, per_group), r.solution.route_visit_ids())
        for g, r in zip(groups, greedy, strict=True)
    ]
    if slots > 1:
        with ProcessPoolExecutor(max_workers=slots) as pool:
            solutions = list(pool.map(_warm_task, tasks))
    else:
        solutions = [_warm_task(t) for t in tasks]
    return [GroupResult(g, s) for g, s in zip(groups, solutions, strict=True)]


Variant = tuple[Callable[[], contextlib.AbstractContextManager[None]], dict[str, object]]


def experiments() -> dict[str, Variant]:
    """Named planner variants: one constant or solver setting changed, or a greedy warm start.

    Each is (context manager patching planner module attributes, solver setting overrides;
    ``time_limit_scale`` multiplies the time limit).
    """

    def nothing() -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def warm() -> contextlib.AbstractContextManager[None]:
        return patched(plan_module, solve_groups=_solve_warm)

    return {
        "CHUNK_MINUTES=30": (lambda: patched(prepare_module, CHUNK_MINUTES=30.0), {}),
        "CHUNK_MINUTES=120": (lambda: patched(prepare_module, CHUNK_MINUTES=120.0), {}),
        "CANDIDATE_FACTOR=1.5": (lambda: patched(weekplan_module, CANDIDATE_FACTOR=1.5), {}),
        "CANDIDATE_FACTOR=6": (lambda: patched(weekplan_module, CANDIDATE_FACTOR=6.0), {}),
        "PENALTY=100": (
            lambda: patched(weekplan_module, PENALTY_PER_WEIGHTED_RECORDING=100),
            {},
        ),
        "first_solution=LOCAL_CHEAPEST_INSERTION": (
            nothing,
            {"first_solution": "LOCAL_CHEAPEST_INSERTION"},
        ),
        "first_solution=SAVINGS": (nothing, {"first_solution": "SAVINGS"}),
        "ORDER_COPIES=True": (lambda: patched(ortools_module, ORDER_COPIES=True), {}),
        "greedy warm start": (warm, {}),
        "greedy warm start, 4T": (warm, {"time_limit_scale": 4.0}),
        "warm start + CHUNK_MINUTES=30": (
            lambda: _both(warm(), patched(prepare_module, CHUNK_MINUTES=30.0)),
            {},
        ),
        "warm start + CANDIDATE_FACTOR=1.5": (
            lambda: _both(warm(), patched(weekplan_module, CANDIDATE_FACTOR=1.5)),
            {},
        ),
    }


@contextlib.contextmanager
def _both(
    a: contextlib.AbstractContextManager[None], b: contextlib.AbstractContextManager[None]
) -> Iterator[None]:
    with a, b:
        yield


def _scratch_task(
    args: tuple[RoutingProblem, SolverOptions, list[list[str]] | None],
) -> RoutingSolution:
    """``planner.week.solve._solve_task`` from scratch; the start routes are only compared."""
    problem, options, _ = args
    return _SOLVE_TASK((problem, options, None))


#: the unpatched task (``metaheuristic_rows`` replaces the module attribute by ``_scratch_task``)
_SOLVE_TASK = solve_module._solve_task


def metaheuristic_rows(inputs: Inputs, week: date, workers: int) -> list[dict[str, Any]]:
    """Guided vs iterated local search on one week, side by side, with the density greedy.

    Rows: the policy value as ``jemput plan`` runs it (groups warm-started from the greedy
    routes: for iterated local search they are the hint of its first solution),
    both searches from scratch (``warm_start=False``), and iterated local search from scratch
    with the greedy start routes kept when they carry more weighted recordings (the search of
    each group ignores them; ``solve_groups`` compares afterwards).
    """
    gls = apply_solver(inputs, {"metaheuristic": "GUIDED_LOCAL_SEARCH"})
    ils = apply_solver(inputs, {"metaheuristic": ITERATED_LOCAL_SEARCH})
    runs: list[tuple[str, Callable[[], WeekPlan]]] = [
        ("greedy density", lambda: run_greedy(inputs, week, rule="density")),
        ("GLS (default)", lambda: run_planner(gls, week, workers=workers)),
        ("ILS", lambda: run_planner(ils, week, workers=workers)),
        ("GLS, no warm start", lambda: run_planner(gls, week, workers=workers, warm_start=False)),
        ("ILS, no warm start", lambda: run_planner(ils, week, workers=workers, warm_start=False)),
    ]
    rows = []
    for label, run in runs:
        plan, seconds = timed(run)
        rows.append(summary_row(label, plan, seconds))
        print(f"... {week} {label}: {plan.summary['weighted_recordings']}", file=sys.stderr)
    with patched(solve_module, _solve_task=_scratch_task):
        plan, seconds = timed(run_planner, ils, week, workers=workers)
    rows.append(summary_row("ILS from scratch, greedy kept if better", plan, seconds))
    for row in rows[1:]:
        row["vs GLS"] = round(row["weighted"] / rows[1]["weighted"], 4)
        row["vs greedy"] = round(row["weighted"] / rows[0]["weighted"], 4)
    return rows


def with_bases(inputs: Inputs) -> Inputs:
    """The inputs with the overnight bases of ``examples/scenarios/menginap_kecamatan.toml``."""
    from planner.domain.config import apply_overrides as override
    from planner.scenarios.model import read_scenario

    scenario = read_scenario(REPO / "examples" / "scenarios" / "menginap_kecamatan.toml")
    teams = override(inputs.teams, scenario.teams or {}, source=str(scenario.path))
    return dataclasses.replace(inputs, teams=teams)


def apply_solver(inputs: Inputs, solver: dict[str, object]) -> Inputs:
    """The inputs with solver settings overridden (unchanged when ``solver`` is empty)."""
    if not solver:
        return inputs
    solver = dict(solver)
    scale = solver.pop("time_limit_scale", None)
    if isinstance(scale, float):
        solver["time_limit_s"] = inputs.policy.solver.time_limit_s * scale
    policy = apply_overrides(inputs.policy, {"solver": solver})
    return dataclasses.replace(inputs, policy=policy)


def ratio(a: dict[str, Any], b: dict[str, Any], label: str) -> dict[str, Any]:
    """Column-wise a / b for the numeric columns."""
    out: dict[str, Any] = {"run": label}
    for col in COLUMNS[1:]:
        x, y = float(a[col]), float(b[col])
        out[col] = round(x / y, 3) if y else ("-" if x == 0 else "inf")
    return out


def _group_weighted(results: Sequence[GroupResult]) -> dict[tuple[str, ...], float]:
    """The solver's priority-weighted recordings per group (its chunks, before the day fill)."""
    return {
        r.group.team_ids: weighted_of(r.group, [v for t in r.solution.routes for v in t.visit_ids])
        for r in results
    }


def start_rows(inputs: Inputs, week: date, workers: int) -> list[dict[str, Any]]:
    """Greedy, planner from the pre-selected greedy start, planner from the full-greedy start.

    Besides the week's summary, ``groups below greedy`` counts the team groups whose solver
    routes carry fewer weighted recordings than the greedy's routes of the same group (before
    the day fill), and ``worst group`` is the lowest planner/greedy ratio of a group.
    """
    greedy, t_g = timed(run_greedy, inputs, week, rule="density")
    with patched(plan_module, FULL_GREEDY_START=False):
        old, t_o = timed(run_planner, inputs, week, workers=workers)
    new, t_n = timed(run_planner, inputs, week, workers=workers)
    base = _group_weighted(greedy.results)
    rows = []
    for label, plan, t in (
        ("greedy density", greedy, t_g),
        ("planner, pre-selected greedy start", old, t_o),
        ("planner, full-greedy start", new, t_n),
    ):
        row = summary_row(label, plan, t)
        mine = _group_weighted(plan.results)
        ratios = [mine[k] / base[k] for k in base if base[k] > 0 and k in mine]
        row["groups below greedy"] = sum(1 for r in ratios if r < 1 - 1e-9)
        row["worst group"] = round(min(ratios), 3) if ratios else "-"
        row["vs greedy"] = round(row["weighted"] / summary_row("", greedy, 0)["weighted"], 3)
        rows.append(row)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print the tables; return 0."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=None, help="planner seconds T (20)")
    parser.add_argument("--weeks", default=",".join(DEFAULT_WEEKS), help="Mondays, comma-separated")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="first week only, T = 2 s default")
    parser.add_argument("--experiments", action="store_true", help="planner variants (week 1)")
    parser.add_argument(
        "--metaheuristics",
        action="store_true",
        help="only guided vs iterated local search, every week",
    )
    parser.add_argument(
        "--start", action="store_true", help="only the warm-start comparison, every week"
    )
    args = parser.parse_args(argv)
    weeks = [date.fromisoformat(w) for w in args.weeks.split(",") if w]
    limit = args.time_limit if args.time_limit is not None else (2.0 if args.quick else 20.0)
    if args.quick:
        weeks = weeks[:1]

    inputs = load_inputs("banten")
    print(f"# Banten week plans ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n")
    print(machine())
    print(
        f"\nRegistry: {inputs.registry.source} (estimate). Teams: "
        f"{len(inputs.teams.teams)} (examples/banten/teams.toml). Workers {args.workers}. "
        f"Region load + classification + estimate: {inputs.load_seconds:.1f} s (once).\n"
    )
    fast, slow = with_time_limit(inputs, limit), with_time_limit(inputs, 4 * limit)
    if args.metaheuristics:
        for week in weeks:
            print(f"## Metaheuristics, week {week.isoformat()}, T = {limit:g} s\n")
            rows = metaheuristic_rows(fast, week, args.workers)
            print(markdown(rows, [*COLUMNS, "vs GLS", "vs greedy"]))
            print()
        return 0
    if args.start:
        for week in weeks:
            print(f"## Warm starts, week {week.isoformat()}, T = {limit:g} s\n")
            rows = start_rows(fast, week, args.workers)
            print(markdown(rows, [*COLUMNS, "groups below greedy", "worst group", "vs greedy"]))
            print(flush=True)
        return 0
    verdicts: list[str] = []
    for week in weeks:
        planner, t_a = timed(run_planner, fast, week, workers=args.workers)
        greedy, t_b = timed(run_greedy, fast, week, rule="density")
        prio, t_p = timed(run_greedy, fast, week, rule="priority")
        longer, t_c = timed(run_planner, slow, week, workers=args.workers)
        bare, t_0 = timed(run_planner, fast, week, workers=args.workers, fill=False)
        based = with_bases(fast)
        camp, t_d = timed(run_planner, based, week, workers=args.workers)
        camp_greedy, t_e = timed(run_greedy, based, week, rule="density")
        a = summary_row(f"(a) planner {limit:g}s", planner, t_a)
        b = summary_row("(b) greedy density", greedy, t_b)
        bp = summary_row("(b') greedy priority", prio, t_p)
        c = summary_row(f"(c) planner {4 * limit:g}s", longer, t_c)
        closed = ", ".join(
            f"{d['date']} {d['reason']}"
            for d in planner.meta["non_working_days"]  # type: ignore[attr-defined]
            if "Sabtu" not in str(d) and "Minggu" not in str(d)
        )
        s = planner.summary
        print(
            f"## Week {week.isoformat()}: {s['team_days_available']} team-days, capacity bound "
            f"{s['capacity_bound']:,} recordings{'; closed: ' + closed if closed else ''}\n\n"
            "Utilisation ceiling from travel and set-up alone (each team-day drives to its "
            f"nearest site with demand and back, sets up once): {utilisation_ceiling(greedy):.3f}"
            "\n"
        )
        rows = [a, b, bp, c, ratio(a, b, "(a)/(b)"), ratio(a, bp, "(a)/(b')")]
        a0 = summary_row(f"(a0) planner {limit:g}s, no day fill", bare, t_0)
        d = summary_row(f"(d) planner {limit:g}s, 8 teams with a base", camp, t_d)
        e = summary_row("(e) greedy density, same bases", camp_greedy, t_e)
        rows[4:4] = [a0, d, e]
        rows.append(ratio(c, a, "(c)/(a)"))
        rows.append(ratio(a, a0, "(a)/(a0)"))
        rows.append(ratio(d, a, "(d)/(a)"))
        rows.append(ratio(d, e, "(d)/(e)"))
        print(markdown(rows, COLUMNS))
        print("\nWhere the working minutes of the week's team-days go (shares):\n")
        budget = [
            {"run": row["run"], **time_budget(plan)}
            for row, plan in (
                (a, planner),
                (a0, bare),
                (b, greedy),
                (bp, prio),
                (c, longer),
                (d, camp),
                (e, camp_greedy),
            )
        ]
        print(markdown(budget))
        print()
        best_greedy = max(b["weighted"], bp["weighted"])
        verdicts.append(
            f"| {week.isoformat()} | {a['util']:.3f} | "
            f"{'met' if a['util'] >= UTILISATION_TARGET else 'not met'} | "
            f"{a['weighted'] / best_greedy:.3f} | "
            f"{'met' if a['weighted'] >= WEIGHTED_VS_GREEDY_TARGET * best_greedy else 'not met'}"
            f" | {c['util']:.3f} | {c['weighted'] / best_greedy:.3f} | {t_a:.1f} |"
        )
    print("## Targets\n")
    print(
        f"Utilisation >= {UTILISATION_TARGET} and weighted recordings >= "
        f"{WEIGHTED_VS_GREEDY_TARGET}x the better greedy rule, for the planner at T = {limit:g} s"
        " (columns c: at 4T).\n"
    )
    print(
        "| week | util (a) | util target | (a)/greedy weighted | 1.2x target | util (c) "
        "| (c)/greedy | seconds (a) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(verdicts))
    print()
    if args.experiments:
        week = weeks[0]
        print(f"## Experiments (week {week.isoformat()}, T = {limit:g} s, one change each)\n")
        ref, t_ref = timed(run_planner, fast, week, workers=args.workers)
        greedy, t_g = timed(run_greedy, fast, week, rule="density")
        rows = [
            summary_row("planner as is", ref, t_ref),
            summary_row("greedy density", greedy, t_g),
        ]
        for name, (make, solver) in experiments().items():
            variant = apply_solver(fast, solver)
            with make():
                plan, t = timed(run_planner, variant, week, workers=args.workers)
            rows.append(summary_row(name, plan, t))
            print(f"... {name}: {plan.summary['weighted_recordings']}", file=sys.stderr)
        for row in rows[2:]:
            row["vs as is"] = round(row["weighted"] / rows[0]["weighted"], 3)
            row["vs greedy"] = round(row["weighted"] / rows[1]["weighted"], 3)
        print(markdown(rows, [*COLUMNS, "vs as is", "vs greedy"]))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
