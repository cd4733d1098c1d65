"""Is ``--time-limit`` honoured? Requested vs measured solve wall time of ``jemput plan``.

Run: ``.venv/bin/python benchmarks/time_limit.py [--region banten] [--week 2017-11-13]
[--limits 5,10,20] [--workers 1,2] [--teams FILE]``. Each row is one ``python -m planner plan``
process (a fresh interpreter, as a user runs it). Columns:

* ``groups`` and ``per group``: the week is split into independent groups of teams; each's
  share is ``time_limit x slots / groups`` seconds (``planner.week.groups.solve_groups`` gives at
  least 1 s at the time of writing, which overruns short limits: see ``docs/GUARANTEES.md``);
* ``solve`` : the solve phase's wall time, estimated from ``run.json``: the sum of the groups'
  wall times divided by the parallel slots (exact for one worker; for two, the groups are
  spread over the workers by ``pool.map`` and the estimate assumes an even spread);
* ``max group``: the longest group against its own limit;
* ``run.json``: the wall time ``run_plan`` measured (load, classify, demand, solve, write);
* ``process``: the wall time of the whole process (Python start-up and imports included);
* ``overhead``: process − solve, the start-up and everything that is not search;
* ``ok``: solve ≤ 1.1 × requested.

Stdout is Markdown.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Row:
    """One timed ``jemput plan`` process."""

    limit_s: float
    workers: int
    groups: int
    per_group_s: float
    solve_s: float
    max_group_s: float
    run_json_s: float
    process_s: float

    @property
    def overhead_s(self) -> float:
        """Process wall time not spent searching."""
        return self.process_s - self.solve_s

    @property
    def ok(self) -> bool:
        """Solve wall time within 10 % of the request."""
        return self.solve_s <= 1.1 * self.limit_s


def run_once(
    region: str, week: str, limit_s: float, workers: int, teams: Path | None, folder: Path
) -> Row:
    """Run ``jemput plan`` once in a fresh process and read its ``run.json``."""
    out = folder / f"t{limit_s:g}-w{workers}"
    command = [sys.executable, "-m", "planner", "plan", "--region", region, "--week", week]
    command += ["--time-limit", f"{limit_s:g}", "--workers", str(workers), "--out", str(out)]
    if teams is not None:
        command += ["--teams", str(teams)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    process_s = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    walls = [float(g["wall_seconds"]) for g in run["groups"]]
    slots = max(1, min(workers, len(walls)))
    per_group = limit_s * slots / max(1, len(walls))  # the share; the planner may floor it
    return Row(
        limit_s=limit_s,
        workers=workers,
        groups=len(walls),
        per_group_s=per_group,
        solve_s=sum(walls) / slots,
        max_group_s=max(walls, default=0.0),
        run_json_s=float(run["wall_seconds"]),
        process_s=process_s,
    )


def table(rows: list[Row]) -> str:
    """Markdown table of the rows."""
    lines = [
        "| requested s | workers | groups | per group s | solve s | max group s | run.json s "
        "| process s | overhead s | solve/requested | ok |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.limit_s:g} | {r.workers} | {r.groups} | {r.per_group_s:.2f} | "
            f"{r.solve_s:.2f} | {r.max_group_s:.2f} | {r.run_json_s:.2f} | {r.process_s:.2f} | "
            f"{r.overhead_s:.2f} | {r.solve_s / r.limit_s:.2f} | {'yes' if r.ok else 'NO'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Parse options, run every (limit, workers) pair, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="banten")
    parser.add_argument("--week", default="2017-11-13")
    parser.add_argument("--limits", default="5,10,20", help="seconds, comma-separated")
    parser.add_argument("--workers", default="1,2", help="comma-separated")
    parser.add_argument("--teams", type=Path, default=None)
    args = parser.parse_args(argv)
    limits = [float(x) for x in args.limits.split(",")]
    workers = [int(x) for x in args.workers.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="jemput-time-limit-") as tmp:
        for w in workers:
            for limit in limits:
                rows.append(run_once(args.region, args.week, limit, w, args.teams, Path(tmp)))
                print(f"<!-- {limit:g} s, {w} worker(s) done -->", file=sys.stderr, flush=True)
    print(f"`jemput plan --region {args.region} --week {args.week}` (default teams)\n")
    print(table(rows))


if __name__ == "__main__":
    main()
