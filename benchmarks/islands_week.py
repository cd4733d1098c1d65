"""Island weeks: multi-day boat trips against day trips only, on ``anambas`` and ``sumenep``.

Run: ``.venv/bin/python benchmarks/islands_week.py [--time-limit 20] [--quick]
[--regions anambas,sumenep]``. Inputs: the bundled region, its registry estimate (policy seed),
``examples/<region>/teams.toml``, the default policy. Two rows per region, one process:

* ``trips``: the example teams as written (fixed bases, ``base = "auto"`` boat teams that may
  go out for several days);
* ``one place a trip``: the same teams without ``nights`` and with ``base = "auto"`` offered
  one-office trips only (``boat_trips.PAIR_OFFICES = 0``): every trip sleeps at one place, the
  behaviour before trips could move between islands;
* ``day trips only``: the same teams with every ``base`` removed (back at the depot every
  evening: the behaviour before multi-day trips).

``--only TEAM[,TEAM]`` plans those teams alone (e.g. the example's two-island team).

Columns: weighted recordings, recordings and villages planned in ``pulau`` villages, boat
hours, nights away, team-days used, unplanned villages by reason, problems :func:`verify_plan`
finds (0 expected). ``--quick``: a 3 s budget and
a solution limit of 60 per group. Stdout is Markdown.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, Inputs, load_inputs, machine, markdown, run_planner

from planner.week import boat_trips
from planner.week.types import WeekPlan
from planner.week.verify import verify_plan

WEEK = date(2017, 11, 13)


def with_team_update(inputs: Inputs, update: dict[str, Any]) -> Inputs:
    """The same inputs with ``update`` applied to every team."""
    teams = inputs.teams.model_copy(
        update={"teams": [t.model_copy(update=update) for t in inputs.teams.teams]}
    )
    return dataclasses.replace(inputs, teams=teams)


def day_trips_only(inputs: Inputs) -> Inputs:
    """The same inputs with every team's overnight base removed."""
    return with_team_update(inputs, {"base": None, "base_days": None, "nights": None})


def only_teams(inputs: Inputs, ids: list[str]) -> Inputs:
    """The same inputs with only the teams ``ids``."""
    teams = inputs.teams.model_copy(
        update={"teams": [t for t in inputs.teams.teams if t.id in ids]}
    )
    return dataclasses.replace(inputs, teams=teams)


def row(region: str, label: str, plan: WeekPlan, seconds: float) -> dict[str, Any]:
    """One table row of a week plan."""
    s = plan.summary
    it = plan.itinerary
    pulau = it[it["classes"].str.contains("pulau")] if len(it) else it
    reasons = s["unplanned_by_reason"]
    assert isinstance(reasons, dict)
    return {
        "region": region,
        "run": label,
        "weighted": float(str(s["weighted_recordings"])),
        "planned": int(str(s["planned_recordings"])),
        "pulau_recordings": int(pulau["expected_recordings"].sum()) if len(pulau) else 0,
        "pulau_villages": int(pulau["kode_desa"].nunique()) if len(pulau) else 0,
        "boat_hours": float(str(s["boat_hours"])),
        "nights_away": int(str(s.get("nights_away", 0))),
        "team_days": f"{s['team_days_used']}/{s['team_days_available']}",
        "unplanned": ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())),
        "verify": len(verify_plan(plan)),
        "seconds": round(seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=20.0, help="planner seconds (20)")
    parser.add_argument("--quick", action="store_true", help="3 s, 60 solutions per group")
    parser.add_argument("--regions", default="anambas,sumenep")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--only", default="", help="plan only these team ids (comma-separated)")
    args = parser.parse_args(argv)
    solver: dict[str, object] = {"time_limit_s": 3.0 if args.quick else args.time_limit}
    if args.quick:
        solver["solution_limit"] = 60
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"# Island weeks, {WEEK} ({stamp})\n\n{machine()}\n")
    print(f"Solver: {solver}; workers {args.workers}.\n")
    rows = []
    for region in args.regions.split(","):
        inputs = load_inputs(region, REPO / "examples" / region / "teams.toml", solver)
        if args.only:
            inputs = only_teams(inputs, args.only.split(","))
        runs = (
            ("trips", inputs, boat_trips.PAIR_OFFICES),
            ("one place a trip", with_team_update(inputs, {"nights": None}), 0),
            ("day trips only", day_trips_only(inputs), boat_trips.PAIR_OFFICES),
        )
        for label, chosen, pairs in runs:
            t0 = time.perf_counter()
            kept, boat_trips.PAIR_OFFICES = boat_trips.PAIR_OFFICES, pairs
            try:
                plan = run_planner(chosen, WEEK, workers=args.workers)
            finally:
                boat_trips.PAIR_OFFICES = kept
            rows.append(row(region, label, plan, time.perf_counter() - t0))
            bases = plan.meta.get("bases", [])
            assert isinstance(bases, list)
            for b in bases:
                print(f"- {region} {label}: {b['team_id']} → {b['name']} ({b['reason']}, "
                      f"days {b.get('days') or 'all'}, nights {b.get('nights', 0)}, "
                      f"places {b.get('night_places') or '-'})")  # fmt: skip
    print()
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
