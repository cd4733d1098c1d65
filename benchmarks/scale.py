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
    R copies of Banten and Sumsel (4,791 villages, 25 regency groups per copy; R = 17 is
    81,447 villages, about Indonesia's ~83,000): every copy is planned by a full
    :func:`planner.week.plan.plan_week` call (preparation with its per-group travel matrices,
    disk cache off, then the solve on a Dask ``LocalCluster`` of 2 worker processes x
    1 thread, then scheduling), one after another in one process. The copies share the
    province objects (the land grid is rasterised once per province, as it would be once per
    region in a real national run); nothing else is reused between copies. ``curve`` in the
    JSON row has the running totals after each copy.
``national-banten-R``
    The same with Banten only (quick).

Every solve gets the same budget per regency group (``--group-seconds``; the week's time limit
is set to ``group_seconds x groups / workers``), so the solve stage grows with the number of
groups by construction; what the curve shows is the rest: preparing the week (matrices,
chunks, pre-selection, problem building), scheduling, and the parallel overhead. Columns:
``wall`` = the ``plan_week`` call (classification excluded), ``solve`` = the solve stage inside
it, ``prep+sched`` = the difference, ``matrix`` = the travel matrices alone (one set per
team group, :func:`planner.week.plan.group_matrices`), ``peak RSS`` = the process' peak,
``children`` = the largest worker process' peak. Saves ``benchmarks/out/scale.png``.
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

import planner.week.plan as plan_module
import planner.week.prepare as prepare_module
from planner.domain.config import SolverSettings, apply_overrides
from planner.week.groups import team_groups
from planner.week.solve import solve_groups
from planner.week.types import GroupProblem

WEEK = date(2017, 11, 13)
BANTEN_SIZES = (200, 400, 800, 1552)
NATIONAL_REPLICAS = (17,)
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
    from planner.io.region import load_region

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
    """Run ``plan_week`` once, timing its solve stage and its travel matrices."""
    stage: dict[str, Any] = {"solve": 0.0, "matrix": 0.0}
    captured: list[GroupProblem] = []
    real_matrices = prepare_module.group_matrices

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
    with (
        patched(plan_module, solve_groups=timed_solve),
        patched(prepare_module, group_matrices=timed_matrices),
    ):
        plan = plan_module.plan_week(
            inputs.for_week(WEEK),
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
        "planned": s["planned_recordings"],
        "region_villages": len(inputs.region.villages),
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
    """``replicas`` copies of the provinces, each planned by ``plan_week`` on one Dask cluster."""
    regions = []
    for key in provinces:
        if key == "sumsel":
            with tempfile.TemporaryDirectory() as tmp:
                inputs = load_inputs("sumsel", sumsel_teams_file(Path(tmp)), cache=False)
        else:
            inputs = load_inputs(key, cache=False)
        getattr(inputs.travel, "grid", None)  # the land raster, once per province
        regions.append(with_budget(inputs, group_seconds, workers))
    rss_before = peak_rss_mib()
    totals: dict[str, float] = dict.fromkeys(("villages", "groups", "team_days", "candidates"), 0)
    totals.update(dict.fromkeys(("planned", "wall", "solve", "matrix"), 0.0))
    curve: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    with local_cluster(workers) as cluster:
        started = time.perf_counter() - t0
        for copy in range(replicas):
            for inputs in regions:
                row, _ = plan_case(inputs, workers, scheduler=cluster.scheduler_address)
                totals["villages"] += row["region_villages"]
                for key in ("groups", "team_days", "candidates", "planned", "wall", "solve"):
                    totals[key] += row[key]
                totals["matrix"] += row["matrix"]
            curve.append(
                {
                    "copies": copy + 1,
                    "villages": totals["villages"],
                    "groups": totals["groups"],
                    "wall": round(totals["wall"], 2),
                    "solve": round(totals["solve"], 2),
                    "prep+sched": round(totals["wall"] - totals["solve"], 2),
                    "matrix": round(totals["matrix"], 2),
                    "peak_rss": round(peak_rss_mib(), 0),
                }
            )
            print(json.dumps(curve[-1]), file=sys.stderr, flush=True)
    wall = time.perf_counter() - t0
    return {
        "case": f"national-{'banten-' if tuple(provinces) == ('banten',) else ''}{replicas}",
        "regencies": f"{totals['groups']} ({'+'.join(provinces)} x{replicas})",
        **{k: int(totals[k]) for k in ("villages", "groups", "team_days", "candidates")},
        "cluster_start": round(started, 2),
        "wall": round(wall, 2),
        "plan_week": round(totals["wall"], 2),
        "solve": round(totals["solve"], 2),
        "ideal_solve": round(group_seconds * totals["groups"] / workers, 1),
        "prep+sched": round(totals["wall"] - totals["solve"], 2),
        "matrix": round(totals["matrix"], 2),
        "rss_before": round(rss_before, 0),
        "peak_rss": round(peak_rss_mib(), 0),
        "children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0, 0),
        "planned": int(totals["planned"]),
        "curve": curve,
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
    ax.plot(xs, [r["matrix"] for r in region], "^:", label="travel matrices (per group)")
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
    for r in national:
        curve = r.get("curve", [])
        cx = [c["villages"] for c in curve]
        ax.plot(cx, [c["wall"] for c in curve], "o-", label=f"{r['case']}: plan_week total")
        ax.plot(cx, [c["solve"] for c in curve], "s--", label="solve (1 s per group)")
        ax.plot(cx, [c["prep+sched"] for c in curve], "^:", label="prep + schedule")
        ax.plot(cx, [c["matrix"] for c in curve], "x:", label="travel matrices")
    if national:
        ax.set_xlabel("villages (running total over copies)")
        ax.set_ylabel("seconds (cumulative)")
        ax.legend(fontsize=7)
    ax.set_title("National: plan_week per copy (Dask)")
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
                    "wall",
                    "plan_week",
                    "solve",
                    "ideal_solve",
                    "prep+sched",
                    "matrix",
                    "peak_rss",
                    "children",
                    "planned",
                ],
            )
        )
        for row in national:
            print(f"\nRunning totals of {row['case']} after each copy:\n")
            print(markdown(row["curve"], list(row["curve"][0]) if row["curve"] else []))
    chart(rows, args.chart)
    shown = args.chart.relative_to(REPO) if args.chart.is_relative_to(REPO) else args.chart
    print(f"\nChart: {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
