"""Re-planning after disruptions: what stays announced, and what stability costs.

Run: ``.venv/bin/python benchmarks/disruptions.py [--regions banten anambas]
[--week 2017-11-13] [--time-limit 10] [--workers 2] [--time-penalties 0 1]``. Inputs: the
bundled region, its registry estimate, ``examples/<region>/teams.toml``, the default policy.
The week is planned once (the announced plan, written to ``plan.json`` as ``jemput plan``
does), the field reports every visit of Monday and Tuesday as planned, and the rest of the
week is re-planned from Wednesday after each scripted disruption:

* ``absent``: the first team with a Wednesday visit is absent Wednesday and Thursday;
* ``closed``: Thursday is closed for every team;
* ``no_boat``: no sea leg Wednesday and Thursday;
* ``shortfall``: Monday recorded 30 % fewer than planned (reports only, no disruption);
* ``all``: the four together.

Each re-plan is run once per ``--time-penalties`` value (the policy's
``announced_time_penalty``: 0 leaves announced times free, as before issue 17's time
windows). Per row: announced visits from Wednesday kept / moved / cancelled (and kept ones
whose start moved 30 min or more, with the distribution of the start shift of every kept
visit), weighted recordings of the re-plan against a from-scratch plan of the same remaining
team-days that keeps nothing (``1 - replan / scratch`` is the price of stability), and the
wall seconds of each. Stdout is Markdown.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, load_inputs, machine, markdown

from planner.app.jobs import team_settings
from planner.core.errors import PlannerError
from planner.week.changes import change_counts, schedule_changes
from planner.week.disruptions import Disruptions
from planner.week.plan import plan_week
from planner.week.plan_file import write_plan_json
from planner.week.replan import Replan, prepare_replan
from planner.week.types import WeekInputs, WeekPlan


def _weighted_from(plan: WeekPlan, first: date) -> float:
    """Weighted expected recordings of the plan's stops on or after ``first``."""
    stops = plan.itinerary[plan.itinerary["date"] >= first.isoformat()]
    weights = plan.sites.set_index("site_id")["weight"]
    return float((stops["expected_recordings"] * stops["site_id"].map(weights)).sum())


def _clock(text: object) -> int | None:
    """``HH:MM`` as minutes after midnight (``None`` when empty)."""
    hours, sep, minutes = str(text or "").partition(":")
    return int(hours) * 60 + int(minutes) if sep and hours.isdigit() else None


def start_shifts(announced: list[dict[str, Any]], itinerary: Any) -> list[int]:
    """Minutes each kept announced visit (same team, day and village) starts away from its
    announced start, one value per kept visit."""
    new = {
        (str(r["team_id"]), str(r["date"]), str(r["site_id"])): _clock(r["start"])
        for r in itinerary.to_dict("records")
    }
    out = []
    for old in announced:
        after = new.get((str(old["team_id"]), str(old["date"]), str(old["site_id"])))
        before = _clock(old.get("start"))
        if after is not None and before is not None:
            out.append(abs(after - before))
    return out


def _reports(plan: WeekPlan, folder: Path, first: date, shortfall: float) -> Path:
    """``selesai.csv``: every visit before ``first`` as planned, Monday's ``x (1 - shortfall)``."""
    monday = plan.meta["week_start"]
    lines = ["team_id,date,kode_desa,recorded"]
    past = plan.itinerary[plan.itinerary["date"] < first.isoformat()]
    totals = past.groupby(["team_id", "date", "kode_desa"])["expected_recordings"].sum()
    for (team, day, code), expected in totals.items():
        factor = 1.0 - shortfall if day == monday else 1.0
        lines.append(f"{team},{day},{code},{int(int(expected) * factor)}")
    path = folder / f"selesai-{shortfall:.2f}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _scenarios(plan: WeekPlan, week: date) -> dict[str, tuple[Disruptions, float]]:
    wednesday, thursday = week + timedelta(days=2), week + timedelta(days=3)
    on_wednesday = plan.itinerary[plan.itinerary["date"] == wednesday.isoformat()]
    team = str(on_wednesday["team_id"].iloc[0]) if len(on_wednesday) else ""
    absent = Disruptions(absent={team: frozenset({wednesday, thursday})}) if team else None
    closed = Disruptions(closed={thursday: "ditutup (uji)"})
    dry = Disruptions(no_boat=frozenset({wednesday, thursday}))
    out: dict[str, tuple[Disruptions, float]] = {}
    if absent is not None:
        out[f"absent ({team}, Wed-Thu)"] = (absent, 0.0)
    out["closed (Thu)"] = (closed, 0.0)
    out["no_boat (Wed-Thu)"] = (dry, 0.0)
    out["shortfall (Mon -30 %)"] = (Disruptions(), 0.30)
    out["all four"] = (
        Disruptions(
            absent=absent.absent if absent else {},
            closed=closed.closed,
            no_boat=dry.no_boat,
        ),
        0.30,
    )
    return out


def run_region(
    region: str, week: date, seconds: float, workers: int, penalties: list[float]
) -> list[dict[str, Any]]:
    """The table rows of one region: per scenario, one row per announced-time penalty."""
    teams = REPO / "examples" / region / "teams.toml"
    inputs = load_inputs(region, teams if teams.exists() else None, {"time_limit_s": seconds})
    bundle = inputs.for_week(week)
    t0 = time.perf_counter()
    announced = plan_week(bundle, workers=workers)
    print(
        f"{region}: announced week planned in {time.perf_counter() - t0:.1f} s, "
        f"{len(announced.itinerary)} stops",
        file=sys.stderr,
    )
    announced.meta["team_settings"] = team_settings(inputs.teams)
    wednesday = week + timedelta(days=2)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lock = folder / "plan.json"
        write_plan_json(announced, lock)
        for name, (disruptions, shortfall) in _scenarios(announced, week).items():
            reports = _reports(announced, folder, wednesday, shortfall)
            replan = prepare_replan(
                inputs.registry, lock, reports, wednesday, region_key=region, week_start=week
            )
            adjusted = dataclasses.replace(bundle, registry=replan.registry)
            common: dict[str, Any] = {
                "workers": workers,
                "visited": replan.visited,
                "from_date": replan.from_date,
                "disruptions": disruptions,
            }
            t0 = time.perf_counter()
            scratch = plan_week(adjusted, **common)
            scratch_row = (_weighted_from(scratch, wednesday), time.perf_counter() - t0)
            for penalty in penalties:
                policy = adjusted.policy.model_copy(update={"announced_time_penalty": penalty})
                rows.append(
                    _row(
                        region,
                        name,
                        dataclasses.replace(adjusted, policy=policy),
                        replan,
                        common,
                        scratch_row,
                    )
                )
            print(f"  {name}: done", file=sys.stderr)
    return rows


def _row(
    region: str,
    name: str,
    adjusted: WeekInputs,
    replan: Replan,
    common: dict[str, Any],
    scratch: tuple[float, float],
) -> dict[str, Any]:
    free, scratch_seconds = scratch
    row: dict[str, Any] = {
        "region": region,
        "disruption": name,
        "time penalty": f"{adjusted.policy.announced_time_penalty:g}",
    }
    t0 = time.perf_counter()
    try:
        kept = plan_week(adjusted, pinned=replan.pinned, **common)
    except PlannerError as error:  # a failed re-plan is a result too
        return {**row, "announced": len(replan.announced), "kept": f"ERROR: {error}"[:90]}
    replan_seconds = time.perf_counter() - t0
    changes = schedule_changes(
        replan.announced,
        kept.itinerary,
        disruptions=common["disruptions"],
        island_sites=set(kept.sites.loc[kept.sites["island"].notna(), "site_id"].astype(str)),
    )
    counts = change_counts(changes, len(replan.announced))
    shifts = sorted(start_shifts(list(replan.announced), kept.itinerary))
    weighted = _weighted_from(kept, replan.from_date)
    return {
        **row,
        "announced": counts["announced"],
        "kept": counts["kept"],
        "time moved": counts["time_changed"],
        "shift p50/p90/max (min)": (
            f"{shifts[len(shifts) // 2]}/{shifts[int(0.9 * (len(shifts) - 1))]}/{shifts[-1]}"
            if shifts
            else "-"
        ),
        "moved": counts["moved"],
        "cancelled": counts["cancelled"],
        "weighted (re-plan)": round(weighted, 1),
        "weighted (scratch)": round(free, 1),
        "price of stability": round(1.0 - weighted / free, 4) if free else 0.0,
        "s (re-plan)": round(replan_seconds, 1),
        "s (scratch)": round(scratch_seconds, 1),
    }


def main(argv: list[str] | None = None) -> None:
    """Parse options, run every region, print the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--regions", nargs="+", default=["banten"])
    parser.add_argument("--week", default="2017-11-13", help="Monday of the announced week.")
    parser.add_argument("--time-limit", type=float, default=10.0, help="Solver s per week.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--time-penalties",
        nargs="+",
        type=float,
        default=[0.0, 1.0],
        help="announced_time_penalty values to compare (0 = announced times free).",
    )
    args = parser.parse_args(argv)
    week = date.fromisoformat(args.week)
    rows = []
    for region in args.regions:
        rows += run_region(region, week, args.time_limit, args.workers, args.time_penalties)
    print(f"Machine: {machine()}; week {week}, re-planned from Wednesday; "
          f"time limit {args.time_limit:g} s per plan, {args.workers} workers.\n")  # fmt: skip
    columns = max((list(r) for r in rows), key=len) if rows else None
    print(markdown(rows, columns))


if __name__ == "__main__":
    main()
