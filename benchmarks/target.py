"""``jemput target`` on Banten and Sarolangun: time to answer, surrogate against confirmed.

Run: ``.venv/bin/python benchmarks/target.py [--confirm 2] [--workers 2] [--only banten]
[--sequential]``.
Banten: example teams, 2017-11-13 to 2018-06-27 (Pilkada day); Sarolangun: example teams,
2018-10-01 to 2018-12-31 (the national recording deadline before the 2019 election). Each
run is :func:`planner.scenarios.target.find_target` with the defaults of the command (one
calibration week, the surrogate search, the top options projected by the real planner as
``jemput project`` does: first solution per part and week). Stdout is Markdown.

Agreement: each option's residents left at the deadline by the surrogate calibrated on the
base week alone (as before the fleet calibration) and with the fleet calibration, against
the confirmed projection, side by side in one run. ``--sequential`` confirms one option after
the other (as before) instead of in parallel processes.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from common import machine, markdown

from planner.scenarios.target import find_target
from planner.scenarios.target_types import TargetResult

CASES: dict[str, tuple[str, str]] = {
    "banten": ("2017-11-13", "2018-06-27"),
    "sarolangun": ("2018-10-01", "2018-12-31"),
}


def _error(surrogate: float | None, confirmed: int) -> str:
    """Surrogate minus confirmed residents left, and as a share of the confirmed."""
    if surrogate is None:
        return "-"
    diff = surrogate - confirmed
    return f"{diff:+,.0f} ({diff / max(confirmed, 1):+.0%})"


def _trajectories(result: TargetResult) -> list[dict[str, object]]:
    """Residents left after some weeks, by the planner and both surrogates (confirmed only)."""
    rows: list[dict[str, object]] = []
    for option in result.options:
        conf = option.confirmed
        if conf is None:
            continue
        total = conf.projection.completion
        start = float(total.loc[total["level"] == "total", "belum_rekam_start"].iloc[0])
        real = conf.projection.weeks["remaining_belum_rekam"].tolist()
        base = start - np.cumsum(option.weekly_base)
        fleet = start - np.cumsum(option.weekly)
        row: dict[str, object] = {"option": option.name}
        n = len(real)
        for week in sorted({4, 8, n // 2, n}):
            if 0 < week <= min(n, len(base)):
                row[f"week {week}"] = (
                    f"{real[week - 1]:,.0f} / {base[week - 1]:,.0f} / {fleet[week - 1]:,.0f}"
                )
        rows.append(row)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print the tables; return 0."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--confirm", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=sorted(CASES), default=None)
    parser.add_argument("--sequential", action="store_true")
    args = parser.parse_args(argv)
    print(f"# jemput target ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n")
    print(machine())
    summary = []
    for region, (start, until) in CASES.items():
        if args.only and region != args.only:
            continue
        started = time.perf_counter()
        result = find_target(
            region,
            date.fromisoformat(start),
            date.fromisoformat(until),
            confirm=args.confirm,
            workers=args.workers,
            confirm_parallel=not args.sequential,
        )
        total = time.perf_counter() - started
        print(f"\n## {region}: {start} to {until}, {result.area}\n")
        rows = []
        for rank, option in enumerate(result.options, start=1):
            conf = option.confirmed
            rows.append(
                {
                    "rank": rank,
                    "option": option.name,
                    "adds": option.description,
                    "cost (Rp M, estimate)": round(option.cost / 1e6, 1),
                    "surrogate done": option.done_week.isoformat() if option.done_week else "no",
                    "surrogate left, base week only": "-"
                    if option.left_base is None
                    else int(option.left_base),
                    "surrogate left, fleet calibration": int(option.left),
                    "confirmed done": "-"
                    if conf is None
                    else (conf.done_week.isoformat() if conf.done_week else "no"),
                    "confirmed left": "-" if conf is None else conf.left,
                    "error before": "-" if conf is None else _error(option.left_base, conf.left),
                    "error after": "-" if conf is None else _error(option.left, conf.left),
                    "confirm s": "-" if conf is None else round(conf.seconds, 1),
                    "stop": "-" if conf is None else conf.stop,
                }
            )
        print(markdown(rows))
        top = result.options[0]
        summary.append(
            {
                "region": region,
                "search s (incl. calibration week)": result.search_seconds,
                "confirm s": result.confirm_seconds,
                "total s": round(total, 1),
                "surrogate runs": result.evaluations,
                "top option": top.name,
                "top surrogate left": int(top.left),
                "top confirmed left": top.confirmed.left if top.confirmed else "-",
            }
        )
        print("\nUnrecorded left after week N (whole region): confirmed / surrogate, base week")
        print("only / surrogate, fleet calibration\n")
        print(markdown(_trajectories(result)))
        print("\nCalibration (alpha, efficiency) per team group:", result.calibration)
        print("Fleet factors (capacity ratio, factor) per team group:", result.scaling)
    print("\n## Summary\n")
    print(markdown(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
