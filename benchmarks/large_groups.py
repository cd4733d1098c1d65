"""Large team groups (issues #14, #18): the planner before and after the fix, side by side.

Run: ``.venv/bin/python benchmarks/large_groups.py [--only "banten 20,sumenep"] [--workers 2]
[--after-first]``. In one process, each case is planned twice, alternately: ``before`` patches
back the two causes (OR-Tools' 100 ms finalizer budget, no greedy start for problems with
shared capacities; module attributes patched in this process, nothing is edited), ``after``
is the code as it is. Cases: Banten week 2017-11-13 at 20 s (example teams); Sarolangun week
2018-10-01 with 12 teams (the example 4 plus 4 car and 4 motorbike teams at the Disdukcapil
office, as ``jemput target`` adds them) at ``--solution-limit 1`` and at 20 s; Banten with 7
motorbike teams added in Kab. Tangerang (its group grows from 2 to 9 teams) at
``--solution-limit 1``; Sumenep week 2017-11-13, full example fleet, 30 s. Stdout is Markdown.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Inputs, load_inputs, machine, markdown, patched, run_planner

import planner.routing.ortools_model as ortools_module
from planner.domain.config import apply_overrides
from planner.scenarios.target_levers import apply_levers
from planner.week.types import WeekPlan

Levers = dict[tuple[str, str], int]
SAROLANGUN_12: Levers = {("tim_mobil", "15.03"): 4, ("tim_motor", "15.03"): 4}
TANGERANG_9: Levers = {("tim_motor", "36.03"): 7}
CASES: dict[str, tuple[str, str, float, int | None, Levers]] = {
    "banten 20 s": ("banten", "2017-11-13", 20.0, None, {}),
    "banten, Kab. Tangerang 2 -> 9 teams, 1 solution": (
        "banten",
        "2017-11-13",
        60.0,
        1,
        TANGERANG_9,
    ),
    "sarolangun 12 teams, 1 solution": ("sarolangun", "2018-10-01", 60.0, 1, SAROLANGUN_12),
    "sarolangun 12 teams, 20 s": ("sarolangun", "2018-10-01", 20.0, None, SAROLANGUN_12),
    "sumenep 30 s": ("sumenep", "2017-11-13", 30.0, None, {}),
}
# the package re-exports the function ``solve`` under the module's name
routing_solve_module = importlib.import_module("planner.routing.solve")
FINALIZER_S = ortools_module.FINALIZER_TIME_LIMIT_S
START = routing_solve_module.constructed_start


def _inputs(region: str, time_limit: float, solution_limit: int | None, levers: Levers) -> Inputs:
    inputs = load_inputs(region)
    if levers:
        teams, _ = apply_levers(inputs.teams, levers)
        inputs = dataclasses.replace(inputs, teams=teams)
    solver: dict[str, object] = {"time_limit_s": time_limit}
    if solution_limit is not None:
        solver["solution_limit"] = solution_limit
    policy = apply_overrides(inputs.policy, {"solver": solver})
    return dataclasses.replace(inputs, policy=policy)


def _row(case: str, variant: str, plan: WeekPlan, seconds: float) -> dict[str, Any]:
    groups = plan.meta.get("groups", [])
    assert isinstance(groups, list)
    failed = plan.meta.get("search_failed", [])
    return {
        "case": case,
        "variant": variant,
        "teams": len({t for g in groups for t in g["teams"]}),
        "planned": plan.summary["planned_recordings"],
        "weighted": plan.summary["weighted_recordings"],
        "warm-started groups": f"{sum(bool(g.get('warm_started')) for g in groups)}/{len(groups)}",
        "failed searches": len(failed) if isinstance(failed, list) else failed,
        "statuses": ", ".join(sorted({str(g["status"]) for g in groups})),
        "seconds": round(seconds, 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table; return 0."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated case-name prefixes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--after-first", action="store_true", help="run 'after' before 'before'")
    args = parser.parse_args(argv)
    only = {r for r in args.only.split(",") if r}
    print(f"# Large groups before/after ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n")
    print(machine())
    rows = []
    for case, (region, week, limit, solutions, levers) in CASES.items():
        if only and not any(case.startswith(o) for o in only):
            continue
        inputs = _inputs(region, limit, solutions, levers)
        for variant in ("after", "before") if args.after_first else ("before", "after"):
            with (
                patched(
                    ortools_module,
                    FINALIZER_TIME_LIMIT_S=0.1 if variant == "before" else FINALIZER_S,
                ),
                patched(
                    routing_solve_module,
                    constructed_start=(lambda problem: None) if variant == "before" else START,
                ),
            ):
                started = time.perf_counter()
                plan = run_planner(inputs, date.fromisoformat(week), workers=args.workers)
                rows.append(_row(case, variant, plan, time.perf_counter() - started))
            print(rows[-1], file=sys.stderr, flush=True)
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
