"""Banten weeks against an upper bound: how far the planner and the greedy are from the best.

Run: ``.venv/bin/python benchmarks/bound.py [--time-limit 20] [--weeks ...] [--workers 2]
[--queue-before] [--region anambas]``. Inputs as ``benchmarks/banten_week.py`` (bundled Banten
region, registry estimate, ``examples/banten/teams.toml``, default policy; ``--region``: that
region's example teams). Per week, side by side in one run:

* ``bound``: :func:`planner.week.bound.week_bound`, the LP relaxation of docs/BOUND.md (every
  plan's weighted recordings are at most this), the same LP without the average-trip
  inequalities (constraint 7, to show what they add), and the trivial capacity bound;
* ``planner T``: :func:`planner.week.plan.plan_week` (queue limit inside the model);
* ``greedy density``: :func:`planner.week.baseline.plan_week_greedy`.

``--queue-before`` adds the planner with the daily queue limit *outside* the model (as before
this branch: no shared capacities, the limit applied after solving by ``fill_days``), and
counts the recordings the post-solve cut removed in both. A last table splits the gap by team
group (where it is). Stdout is Markdown.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from banten_week import DEFAULT_WEEKS
from common import (
    load_inputs,
    machine,
    markdown,
    patched,
    run_greedy,
    run_planner,
    summary_row,
    timed,
    with_time_limit,
)

import planner.week.fill as fill_module
import planner.week.groups as groups_module
import planner.week.plan as plan_module
from planner.week.bound import WeekBound, week_bound
from planner.week.types import GroupResult, WeekPlan

CUT: list[int] = []
"""Recordings the post-solve queue cut removed, per call of ``fill_days`` (filled by the hook)."""


def _excess(results: Sequence[GroupResult], limit: int) -> int:
    """Recordings above the daily queue limit in solved routes (what the cut removes)."""
    total: dict[tuple[str, date], int] = {}
    for result in results:
        chunks = {c.chunk_id: c for c in result.group.chunks}
        for route in result.solution.routes:
            td = result.group.team_days[route.vehicle]
            for stop in route.stops:
                key = (chunks[stop.visit_id].site_id, td.day.date)
                total[key] = total.get(key, 0) + chunks[stop.visit_id].recordings
    return sum(max(0, n - limit) for n in total.values())


@contextlib.contextmanager
def counting_cut() -> Iterator[None]:
    """Record, on every ``fill_days`` call, how much the queue cut will remove."""
    real = fill_module.fill_days

    def hooked(results: Any, expected: Any, max_per_day: int, **kw: Any) -> Any:
        CUT.append(_excess(results, max_per_day))
        return real(results, expected, max_per_day, **kw)

    with patched(plan_module, fill_days=hooked):
        yield


def _by_team(plan: WeekPlan) -> dict[str, float]:
    """Weighted recordings of each team in a plan."""
    it = plan.itinerary
    if not len(it):
        return {}
    weight = it["site_id"].map(plan.sites.set_index("site_id")["weight"])
    return (it["expected_recordings"] * weight).groupby(it["team_id"]).sum().to_dict()


def _group_gaps(bound: WeekBound, planner: WeekPlan, greedy: WeekPlan) -> list[dict[str, Any]]:
    """Per team group: its bound, the two plans, and the planner's share of the week's gap."""
    p_team, g_team = _by_team(planner), _by_team(greedy)
    total_gap = bound.weighted - sum(p_team.values())
    rows = []
    for teams, part in bound.groups:
        p = sum(p_team.get(t, 0.0) for t in teams)
        g = sum(g_team.get(t, 0.0) for t in teams)
        rows.append(
            {
                "group": ", ".join(teams),
                "bound": round(part.value, 1),
                "planner": round(p, 1),
                "greedy": round(g, 1),
                "planner gap": f"{1 - p / part.value:.1%}" if part.value else "-",
                "greedy gap": f"{1 - g / part.value:.1%}" if part.value else "-",
                "share of the week's gap": (
                    f"{(part.value - p) / total_gap:.0%}" if total_gap > 0 else "-"
                ),
            }
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print the tables; return 0."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--weeks", default=",".join(DEFAULT_WEEKS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queue-before", action="store_true")
    parser.add_argument(
        "--region", default="banten", help="a bundled region with example teams (e.g. anambas)"
    )
    parser.add_argument(
        "--mip-seconds", type=float, default=10.0, help="SCIP seconds per group (0: LP only)"
    )
    args = parser.parse_args(argv)
    weeks = [date.fromisoformat(w) for w in args.weeks.split(",") if w]
    inputs = with_time_limit(load_inputs(args.region), args.time_limit)
    print(
        f"# {args.region.capitalize()} weeks against the bound "
        f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n"
    )
    print(machine())
    print(f"\nT = {args.time_limit:g} s, {args.workers} workers.\n")
    gaps = []
    for week in weeks:
        loose = week_bound(inputs.for_week(week), trip_cuts=False)
        lp = week_bound(inputs.for_week(week))
        bound = lp
        if args.mip_seconds > 0:
            bound = week_bound(inputs.for_week(week), integral_stops_s=args.mip_seconds)
        CUT.clear()
        with counting_cut():
            planner, t_a = timed(run_planner, inputs, week, workers=args.workers)
            greedy, t_b = timed(run_greedy, inputs, week, rule="density")
        cut_a, cut_b = CUT[0], CUT[1]
        rows = [
            {
                "run": "LP bound without average-trip cuts (before)",
                "weighted": round(loose.weighted, 1),
                "planned": round(loose.recordings),
                "vs bound": round(loose.weighted / bound.weighted, 3),
                "seconds": round(loose.seconds, 1),
            },
            {
                "run": "LP bound (docs/BOUND.md)",
                "weighted": round(lp.weighted, 1),
                "planned": round(lp.recordings),
                "vs bound": round(lp.weighted / bound.weighted, 3),
                "seconds": round(lp.seconds, 1),
            },
            {
                "run": f"bound: min(LP, SCIP 0/1 stops {args.mip_seconds:g} s/group)",
                "weighted": round(bound.weighted, 1),
                "vs bound": 1.0,
                "seconds": round(bound.seconds, 1),
            },
            {
                "run": "trivial capacity bound",
                "weighted": round(bound.capacity_weighted, 1),
                "vs bound": round(bound.capacity_weighted / bound.weighted, 3),
            },
        ]
        labelled = [
            (f"planner {args.time_limit:g}s", planner, t_a, cut_a),
            ("greedy density", greedy, t_b, cut_b),
        ]
        if args.queue_before:
            CUT.clear()
            with counting_cut(), patched(groups_module, queue_limits=lambda *a, **k: ()):
                before, t_c = timed(run_planner, inputs, week, workers=args.workers)
            labelled.insert(
                1, (f"planner {args.time_limit:g}s, queue limit after solving", before, t_c, CUT[0])
            )
        for label, plan, seconds, cut in labelled:
            row = summary_row(label, plan, seconds)
            row["vs bound"] = round(row["weighted"] / bound.weighted, 3)
            row["cut by queue limit"] = cut
            rows.append(row)
        print(f"## Week {week.isoformat()}\n")
        print(
            markdown(
                rows,
                [
                    "run",
                    "planned",
                    "weighted",
                    "vs bound",
                    "util",
                    "km",
                    "villages",
                    "cut by queue limit",
                    "seconds",
                ],
            )
        )
        print()
        print(f"Where the gap is, week {week.isoformat()} (per team group):\n")
        print(markdown(_group_gaps(bound, planner, greedy)))
        print()
        p_w = float(planner.summary["weighted_recordings"])  # type: ignore[arg-type]
        g_w = float(greedy.summary["weighted_recordings"])  # type: ignore[arg-type]
        gaps.append(
            f"| {week.isoformat()} | {bound.weighted:,.1f} | {p_w:,.1f} | "
            f"{1 - p_w / bound.weighted:.1%} | {g_w:,.1f} | {1 - g_w / bound.weighted:.1%} | "
            f"{1 - p_w / loose.weighted:.1%} |"
        )
    print("## Gap to the bound\n")
    print(
        "| week | bound | planner | planner gap | greedy | greedy gap "
        "| planner gap to the LP without cuts |"
    )
    print("|---|---|---|---|---|---|---|")
    print("\n".join(gaps))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
