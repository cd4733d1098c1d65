"""A Banten campaign, planner against density greedy, both rolled week by week the same way.

Run: ``.venv/bin/python benchmarks/campaign.py [--time-limit 4] [--from 2017-11-13]
[--until 2018-06-27 | --quick] [--deadline 2018-06-27] [--workers 2] [--old-start]
[--lookahead 0.5,1] [--trip-share 1] [--deadline-term 0.5:8]``. Inputs as
``benchmarks/banten_week.py``. Rows: the greedy; the planner (warm-started from the greedy over
every reachable chunk, :data:`planner.week.plan.FULL_GREEDY_START`); with ``--old-start`` the
planner warm-started from the greedy over its pre-selected candidates only (the start before
issue 18's second round); with ``--deadline-term SHARE:WEEKS`` the planner with
``lookahead_trip_share = SHARE`` and ``lookahead_deadline_weeks = WEEKS`` (the deadline term).
Every week is planned towards ``--deadline`` (also under ``--quick``). All runs use
:func:`planner.scenarios.projection.project` (the roll-forward of ``jemput project``: what a
week expects to record is subtracted, fully served sites get the repeat turnout, holidays
skipped); the greedy run swaps only the week planner for
:func:`planner.week.baseline.plan_week_greedy`.
Printed side by side: residents left at the deadline, the week each regency and class is done,
km and boat hours over the campaign. Stdout is Markdown.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd
from common import load_inputs, machine, markdown, patched, with_time_limit

import planner.scenarios.projection as projection_module
import planner.week.plan as plan_module
from planner.domain.config import apply_overrides
from planner.scenarios.projection import Projection, project
from planner.week.baseline import plan_week_greedy
from planner.week.types import WeekInputs, WeekPlan

QUICK_UNTIL = "2018-01-07"
"""End of ``--quick``: the first eight weeks (holidays included), to compare variants."""

ISSUE_TARGET = 0.10
"""Issue 18: at least 10 % fewer residents left at the deadline than the greedy campaign."""


def _greedy_week(inputs: WeekInputs, *, visited: set[str] | None = None, **_: Any) -> WeekPlan:
    return plan_week_greedy(inputs, visited=visited)


def run(
    inputs: Any,
    start: date,
    until: date,
    workers: int,
    *,
    greedy: bool = False,
    old_start: bool = False,
    deadline: date | None = None,
) -> Projection:
    """One campaign (the planner's, or the greedy's with the same roll-forward)."""

    def go() -> Projection:
        return project(
            inputs.region,
            inputs.classified,
            inputs.registry,
            inputs.teams,
            inputs.policy,
            start,
            until,
            inputs.travel,
            workers=workers,
            deadline=deadline,
        )

    if old_start:
        with patched(plan_module, FULL_GREEDY_START=False):
            return go()
    if not greedy:
        return go()
    with patched(projection_module, plan_week_from=_greedy_week):
        return go()


def _with(inputs: Any, **policy: float) -> Any:
    """The inputs with policy overrides."""
    return dataclasses.replace(inputs, policy=apply_overrides(inputs.policy, policy))


def main(argv: Sequence[str] | None = None) -> int:
    """Print the tables; return 0."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=4.0, help="planner seconds a week")
    parser.add_argument("--from", dest="start", default="2017-11-13")
    parser.add_argument("--until", default="2018-06-27")
    parser.add_argument("--deadline", default="2018-06-27", help="the campaign's deadline")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--old-start",
        action="store_true",
        help="also the planner warm-started from the greedy over its pre-selected candidates",
    )
    parser.add_argument(
        "--deadline-term",
        default="",
        help="also the planner with the deadline term, SHARE:WEEKS (comma-separated), e.g. 0.5:8",
    )
    parser.add_argument(
        "--lookahead",
        default="",
        help="also the planner with these look-aheads per hour (comma-separated, e.g. 0.5,1)",
    )
    parser.add_argument(
        "--trip-share",
        default="",
        help="also the planner with these lookahead_trip_share values (comma-separated)",
    )
    parser.add_argument(
        "--variants-only",
        action="store_true",
        help="leave out the default planner (the greedy still runs: every ratio is against it)",
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"stop at {QUICK_UNTIL} (8 weeks), for comparisons"
    )
    args = parser.parse_args(argv)
    start = date.fromisoformat(args.start)
    until = date.fromisoformat(QUICK_UNTIL if args.quick else args.until)
    deadline = date.fromisoformat(args.deadline)
    inputs = with_time_limit(load_inputs("banten"), args.time_limit)
    print(f"# Banten campaign ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n")
    print(machine())
    print(
        f"\n{start} to {until}, example teams, registry estimate, planner T = "
        f"{args.time_limit:g} s a week, {args.workers} workers, deadline {deadline}.\n"
    )
    runs: list[tuple[str, Projection]] = []
    go = functools.partial(run, start=start, until=until, workers=args.workers, deadline=deadline)
    if not args.variants_only:
        runs.append(("planner", go(inputs)))
    runs.append(("greedy", go(inputs, greedy=True)))
    if args.old_start:
        runs.append(("planner, pre-selected start", go(inputs, old_start=True)))
    for value in (float(v) for v in args.lookahead.split(",") if v):
        ahead = _with(inputs, lookahead_per_hour=value)
        runs.append((f"planner, look-ahead {value:g}/h", go(ahead)))
    for value in (float(v) for v in args.trip_share.split(",") if v):
        ahead = _with(inputs, lookahead_trip_share=value)
        runs.append((f"planner, trip share {value:g}", go(ahead)))
    for term in (t for t in args.deadline_term.split(",") if t):
        share, weeks = (float(x) for x in term.split(":"))
        ahead = _with(inputs, lookahead_trip_share=share, lookahead_deadline_weeks=weeks)
        runs.append((f"planner, deadline term {share:g}:{weeks:g}", go(ahead)))
    rows = []
    for k, area in runs[0][1].completion.iterrows():
        row: dict[str, Any] = {
            "area": f"{area['level']} {area['name']}",
            "belum rekam at start": int(area["belum_rekam_start"]),
        }
        for label, proj in runs:
            row[f"left, {label}"] = int(proj.completion.iloc[k]["belum_rekam_end"])
        for label, proj in runs:
            done = proj.completion.iloc[k]["completion_week"]
            row[f"done, {label}"] = "-" if done is None or pd.isna(done) else done
        rows.append(row)
    print(markdown(rows))
    totals = []
    for label, proj in runs:
        weeks = proj.weeks
        totals.append(
            {
                "run": label,
                "recorded": int(weeks["planned_recordings"].fillna(0).sum()),
                "weighted": round(float(weeks["weighted_recordings"].fillna(0).sum()), 1),
                "km": round(float(weeks["km"].fillna(0).sum()), 1),
                "boat_h": round(float(weeks["boat_hours"].fillna(0).sum()), 1),
                "left at the deadline": int(proj.completion.iloc[0]["belum_rekam_end"]),
                "stop": proj.stop,
                "seconds": proj.wall_seconds,
            }
        )
    print()
    print(markdown(totals))
    greedy = dict(runs)["greedy"]
    left_g = int(greedy.completion.iloc[0]["belum_rekam_end"])
    for label, proj in runs:
        if label == "greedy":
            continue
        left_p = int(proj.completion.iloc[0]["belum_rekam_end"])
        fewer = 1 - left_p / left_g if left_g else 0.0
        print(
            f"\nResidents left at {until}: {label} {left_p:,}, greedy {left_g:,} "
            f"({fewer:.1%} fewer; target >= {ISSUE_TARGET:.0%}: "
            f"{'met' if fewer >= ISSUE_TARGET else 'not met'})."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
