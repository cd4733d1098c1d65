"""Plan time and peak memory against the number of villages, and a synthetic national run.

Run: ``.venv/bin/python benchmarks/scale.py [--group-seconds 1] [--quick]``. Each case runs in
its own subprocess (``--case NAME``), so peak memory (``ru_maxrss``) is the case's own:

``banten-N``
    Banten restricted to the regencies whose village counts add up closest to N (200, 400,
    800, all 1,552): registry rows of other regencies dropped, only their teams kept
    (``examples/banten/teams.toml``).
``sumsel``
    Sumatera Selatan, 3,239 villages, registry estimate (no population file: uniform base),
    one car team with two kits per regency at ``dinas-16.xx`` (written to a temp file).
``national-R``
    R replicas of every Banten and Sumsel regency group (25 x R regencies): the week problems
    that :func:`planner.plan.plan_week` builds for both provinces, copied R times and solved by
    :func:`planner.weekplan.solve_groups` on a Dask ``LocalCluster`` (2 worker processes,
    1 thread each). Only the solve stage is replicated: ``plan_week`` itself builds one travel
    matrix over every site of the week (quadratic in sites, see the ``matrix`` columns), so a
    true national ``plan_week`` is not run here.
``national-banten-R``
    The same with Banten's 8 groups only (quick).

Every solve gets the same budget per regency group (``--group-seconds``; the week's time limit
is set to ``group_seconds x groups / workers``), so the solve stage grows with the number of
groups by construction; what the curve shows is the rest: preparing the week (matrices,
chunks, pre-selection, problem building), scheduling, and the parallel overhead. Columns:
``wall`` = the ``plan_week`` call (classification excluded), ``solve`` = the solve stage inside
it, ``prep+sched`` = the difference, ``matrix`` = the week travel matrices alone, ``peak RSS``
= the process' peak, ``children`` = the largest worker process' peak. Saves
``benchmarks/out/scale.png``.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, Inputs, load_inputs, machine, markdown, patched, peak_rss_mib

import planner.plan as plan_module
from planner.config import SolverSettings, apply_overrides
from planner.weekplan import GroupProblem, GroupResult, solve_groups, team_groups

WEEK = date(2017, 11, 13)
BANTEN_SIZES = (200, 400, 800, 1552)
NATIONAL_REPLICAS = (1, 2, 4)
OUT = REPO / "benchmarks" / "out"


def regency_of(code: str) -> str:
    """``PP.KK`` of a village code ``PP.KK.CC.DDDD``."""
    return code[:5]


def subset_regencies(counts: dict[str, int], target: int) -> list[str]:
    """The regencies whose village counts add up closest to ``target`` (fewest on ties)."""
    best: tuple[int, int, tuple[str, ...]] | None = None
    codes = sorted(counts)
    for r in range(1, len(codes) + 1):
        for combo in itertools.combinations(codes, r):
            key = (abs(sum(counts[c] for c in combo) - target), r, combo)
            if best is None or key < best:
                best = key
    assert best is not None
    return list(best[2])


def sumsel_teams_file(folder: Path) -> Path:
    """A teams file for Sumsel: one car team with two kits per regency office."""
    from planner.region import load_region

    region = load_region("sumsel")
    lines = [
        'region = "sumsel"',
        "# Benchmark fleet (not a sourced one): one team per regency Disdukcapil office.",
        "[defaults]",
        "kits = 2",
        'modes = ["mobil"]',
    ]
    dinas = region.depots[region.depots["kind"] == "dinas"]
    for depot, kab in zip(dinas["depot_id"], dinas["kode_kab"], strict=True):
        lines += [
            "[[teams]]",
            f'id = "sumsel-{str(kab).replace(".", "-")}"',
            f'name = "Tim Jemput Bola {kab}"',
            f'depot = "{depot}"',
        ]
    path = folder / "sumsel-teams.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def restrict(inputs: Inputs, regencies: Sequence[str]) -> Inputs:
    """Inputs with the registry and the teams of ``regencies`` only."""
    keep = set(regencies)
    counts = inputs.registry.counts
    counts = counts[[regency_of(str(k)) in keep for k in counts.index]]
    registry = dataclasses.replace(inputs.registry, counts=counts)
    depot_regency = dict(
        zip(inputs.region.depots["depot_id"], inputs.region.depots["kode_kab"], strict=True)
    )
    teams = inputs.teams.model_copy(
        update={"teams": [t for t in inputs.teams.teams if depot_regency[t.depot] in keep]}
    )
    return dataclasses.replace(inputs, registry=registry, teams=teams)


def group_count(inputs: Inputs) -> int:
    """Number of regency groups ``plan_week`` will solve."""
    depot_regency = dict(
        zip(
            inputs.region.depots["depot_id"].astype(str),
            inputs.region.depots["kode_kab"].astype(str),
            strict=True,
        )
    )
    return len(team_groups(list(inputs.teams.teams), depot_regency))


def with_budget(inputs: Inputs, group_seconds: float, workers: int) -> Inputs:
    """Solver time limit = ``group_seconds`` per group on ``workers`` parallel slots."""
    groups = group_count(inputs)
    limit = group_seconds * groups / max(1, min(workers, groups))
    policy = apply_overrides(inputs.policy, {"solver": {"time_limit_s": limit}})
    return dataclasses.replace(inputs, policy=policy)


def plan_case(
    inputs: Inputs, workers: int, scheduler: str | None = None
) -> tuple[dict[str, Any], list[GroupProblem]]:
    """Run ``plan_week`` once, timing its solve stage and its week matrices."""
    stage: dict[str, Any] = {"solve": 0.0, "matrix": 0.0}
    captured: list[GroupProblem] = []
    real_matrices = plan_module.week_matrices

    def timed_solve(groups: Sequence[GroupProblem], settings: SolverSettings, **kw: Any) -> Any:
        captured.extend(groups)
        t0 = time.perf_counter()
        out = solve_groups(groups, settings, **kw)
        stage["solve"] += time.perf_counter() - t0
        return out

    def timed_matrices(*args: Any) -> Any:
        t0 = time.perf_counter()
        out = real_matrices(*args)
        stage["matrix"] += time.perf_counter() - t0
        return out

    # the estimate model rasterises its land grid on first use: build it outside the timing
    t0 = time.perf_counter()
    getattr(inputs.travel, "grid", None)
    grid = time.perf_counter() - t0
    rss_before = peak_rss_mib()
    t0 = time.perf_counter()
    with patched(plan_module, solve_groups=timed_solve, week_matrices=timed_matrices):
        plan = plan_module.plan_week(
            inputs.region,
            inputs.classified,
            inputs.registry,
            inputs.teams,
            inputs.policy,
            WEEK,
            inputs.travel,
            workers=workers,
            scheduler=scheduler,
        )
    wall = time.perf_counter() - t0
    s = plan.summary
    sites = plan.sites
    row = {
        "villages": int(sites.loc[sites["expected"] > 0, "kode_desa"].nunique()),
        "sites": int((sites["expected"] > 0).sum()),
        "groups": len(captured),
        "team_days": s["team_days_available"],
        "candidates": sum(len(g.chunks) for g in captured),
        "wall": round(wall, 2),
        "solve": round(stage["solve"], 2),
        "prep+sched": round(wall - stage["solve"], 2),
        "matrix": round(stage["matrix"], 2),
        "land_grid": round(grid, 2),
        "rss_before": round(rss_before, 0),
        "peak_rss": round(peak_rss_mib(), 0),
        "children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0, 0),
        "util": s["utilisation"],
    }
    return row, captured


def local_cluster(workers: int) -> Any:
    """A Dask LocalCluster of ``workers`` single-threaded processes (no dashboard)."""
    from distributed import LocalCluster

    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=40,
    )


def run_case(name: str, group_seconds: float, workers: int) -> dict[str, Any]:
    """One case, in this process; returns its row."""
    if name.startswith("banten-") and name != "banten-dask":
        inputs = load_inputs("banten", cache=False)
        size = int(name.split("-")[1])
        counts = inputs.region.villages["kode"].astype(str).map(regency_of).value_counts().to_dict()
        regs = subset_regencies({str(k): int(v) for k, v in counts.items()}, size)
        inputs = with_budget(restrict(inputs, regs), group_seconds, workers)
        row, _ = plan_case(inputs, workers)
        return {"case": name, "regencies": ",".join(regs), **row}
    if name == "banten-dask":
        inputs = with_budget(load_inputs("banten", cache=False), group_seconds, workers)
        with local_cluster(workers) as cluster:
            row, _ = plan_case(inputs, workers, scheduler=cluster.scheduler_address)
        return {"case": name, "regencies": "all (Dask)", **row}
    if name == "sumsel":
        with tempfile.TemporaryDirectory() as tmp:
            teams = sumsel_teams_file(Path(tmp))
            inputs = load_inputs("sumsel", teams, cache=False)
        inputs = with_budget(inputs, group_seconds, workers)
        row, _ = plan_case(inputs, workers)
        return {"case": name, "regencies": "all", **row}
    if name.startswith("national-banten-"):
        return run_national(int(name.split("-")[2]), group_seconds, workers, ("banten",))
    if name.startswith("national-"):
        return run_national(int(name.split("-")[1]), group_seconds, workers)
    raise SystemExit(f"unknown case {name!r}")


def run_national(
    replicas: int,
    group_seconds: float,
    workers: int,
    provinces: Sequence[str] = ("banten", "sumsel"),
) -> dict[str, Any]:
    """The provinces' regency groups replicated ``replicas`` times, solved on Dask."""
    import planner.baseline as baseline

    groups: list[GroupProblem] = []
    prep = 0.0
    regions = []
    for key in provinces:
        if key == "sumsel":
            with tempfile.TemporaryDirectory() as tmp:
                regions.append(load_inputs("sumsel", sumsel_teams_file(Path(tmp)), cache=False))
        else:
            regions.append(load_inputs(key, cache=False))

    def capture(found: Sequence[GroupProblem], settings: SolverSettings, **kw: Any) -> Any:
        # only the week problems matter here: the greedy stands in for the solve
        groups.extend(found)
        return baseline.greedy_groups(found)

    for inputs in regions:
        t0 = time.perf_counter()
        with patched(plan_module, solve_groups=capture):
            plan_module.plan_week(
                inputs.region,
                inputs.classified,
                inputs.registry,
                inputs.teams,
                inputs.policy,
                WEEK,
                inputs.travel,
            )
        prep += time.perf_counter() - t0
    base = len(groups)
    replicated = [
        dataclasses.replace(g, index=r * base + g.index) for r in range(replicas) for g in groups
    ]
    settings = regions[0].policy.solver.model_copy(
        update={"time_limit_s": group_seconds * len(replicated) / workers}
    )
    rss_before = peak_rss_mib()
    t0 = time.perf_counter()
    with local_cluster(workers) as cluster:
        started = time.perf_counter() - t0
        t1 = time.perf_counter()
        results: list[GroupResult] = solve_groups(
            replicated, settings, workers=workers, scheduler=cluster.scheduler_address
        )
        solve = time.perf_counter() - t1
    wall = time.perf_counter() - t0
    planned = sum(
        c.recordings
        for r in results
        for route in r.solution.routes
        for stop in route.stops
        for c in r.group.chunks
        if c.chunk_id == stop.visit_id
    )
    return {
        "case": f"national-{'banten-' if tuple(provinces) == ('banten',) else ''}{replicas}",
        "regencies": f"{len(replicated)} ({'+'.join(provinces)} x{replicas})",
        "villages": sum(len(r.region.villages) for r in regions) * replicas,
        "groups": len(replicated),
        "team_days": sum(len(g.team_days) for g in replicated),
        "candidates": sum(len(g.chunks) for g in replicated),
        "wall": round(wall, 2),
        "solve": round(solve, 2),
        "prep (xR)": round(prep * replicas, 2),
        "cluster_start": round(started, 2),
        "rss_before": round(rss_before, 0),
        "peak_rss": round(peak_rss_mib(), 0),
        "planned": planned,
        "ideal_solve": round(group_seconds * len(replicated) / workers, 1),
    }


def chart(rows: Sequence[dict[str, Any]], path: Path) -> None:
    """Wall time and peak memory against villages; national solve time against regencies."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    region = [r for r in rows if not r["case"].startswith("national") and "error" not in r]
    national = [r for r in rows if r["case"].startswith("national") and "error" not in r]
    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    ax = axes[0]
    xs = [r["villages"] for r in region]
    ax.plot(xs, [r["wall"] for r in region], "o-", label="plan_week wall")
    ax.plot(xs, [r["prep+sched"] for r in region], "s--", label="prep + schedule")
    ax.plot(xs, [r["matrix"] for r in region], "^:", label="week matrices")
    for r in region:
        ax.annotate(r["case"], (r["villages"], r["wall"]), fontsize=7)
    ax.set_xlabel("villages with demand")
    ax.set_ylabel("seconds")
    ax.legend(fontsize=8)
    ax.set_title("Time per week plan")
    ax = axes[1]
    ax.plot(xs, [r["peak_rss"] for r in region], "o-")
    ax.set_xlabel("villages with demand")
    ax.set_ylabel("peak RSS (MiB)")
    ax.set_title("Memory")
    ax = axes[2]
    if national:
        gx = [r["groups"] for r in national]
        ax.plot(gx, [r["solve"] for r in national], "o-", label="Dask solve stage")
        ax.plot(gx, [r["ideal_solve"] for r in national], "k:", label="budget x groups / workers")
        ax.set_xlabel("regency groups")
        ax.set_ylabel("seconds")
        ax.legend(fontsize=8)
    ax.set_title("Synthetic national (Dask, 2 workers)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the cases (each in a subprocess) and print the tables; return 0."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--group-seconds", type=float, default=1.0, help="solve budget per group")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cases", default="", help="comma-separated case names")
    parser.add_argument("--quick", action="store_true", help="banten-200, national-banten-2")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--chart", type=Path, default=OUT / "scale.png")
    args = parser.parse_args(argv)
    if args.case:
        print(json.dumps(run_case(args.case, args.group_seconds, args.workers)))
        return 0
    if args.cases:
        cases = args.cases.split(",")
    elif args.quick:
        cases = ["banten-200", "national-banten-2"]
    else:
        cases = [f"banten-{n}" for n in BANTEN_SIZES] + ["banten-dask", "sumsel"]
        cases += [f"national-{r}" for r in NATIONAL_REPLICAS]
    rows = []
    for case in cases:
        cmd = [sys.executable, __file__, "--case", case]
        cmd += ["--group-seconds", str(args.group_seconds), "--workers", str(args.workers)]
        done = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ))
        if done.returncode != 0:
            rows.append({"case": case, "error": done.stderr.strip().splitlines()[-1:]})
            print(f"... {case}: FAILED\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"... {case}: {rows[-1]['wall']} s", file=sys.stderr)
    print(f"# Scale ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n")
    print(machine())
    print(
        f"\nWeek {WEEK.isoformat()}, {args.group_seconds:g} s solve budget per regency group, "
        f"{args.workers} workers. Times in seconds, memory in MiB.\n"
    )
    region_cols = [
        "case",
        "villages",
        "sites",
        "groups",
        "team_days",
        "candidates",
        "wall",
        "solve",
        "prep+sched",
        "matrix",
        "land_grid",
        "rss_before",
        "peak_rss",
        "children",
        "util",
    ]
    print(markdown([r for r in rows if not r["case"].startswith("national")], region_cols))
    national = [r for r in rows if r["case"].startswith("national")]
    if national:
        print()
        print(
            markdown(
                national,
                [
                    "case",
                    "regencies",
                    "villages",
                    "groups",
                    "team_days",
                    "candidates",
                    "cluster_start",
                    "solve",
                    "ideal_solve",
                    "prep (xR)",
                    "peak_rss",
                    "planned",
                ],
            )
        )
    chart(rows, args.chart)
    shown = args.chart.relative_to(REPO) if args.chart.is_relative_to(REPO) else args.chart
    print(f"\nChart: {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
