"""Solomon VRPTW benchmark of the planner's routing layer (and optionally PyVRP).

Usage (from the repository root)::

    .venv/bin/python benchmarks/solomon.py --time-limit 5 --subset C101,R101,RC101
    .venv/bin/python benchmarks/solomon.py --time-limit 10 --pyvrp        # all 56, both solvers

Each instance goes through ``solomon_adapter.to_problem`` into ``planner.routing.solve``. The
returned routes are re-evaluated here in real arithmetic (distance, and feasibility by the
adapter's own checker *and* by ``planner.routing.check_solution``). Gap % is only meaningful
when the vehicle count equals the BKS count (hierarchical objective).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from solomon_adapter import (
    DROP_PENALTY,
    TIME_SCALE,
    VEHICLE_FIXED_COST,
    SolomonInstance,
    check_routes,
    gap_percent,
    read_bks,
    read_instance,
    route_distance,
    to_problem,
)

from planner.core.errors import RoutingError
from planner.routing import SolverOptions, check_solution, solve

FAMILIES = ("C1", "C2", "R1", "R2", "RC1", "RC2")
DEFAULT_INSTANCES = Path(__file__).resolve().parents[1] / ".." / "shared" / "vrp-instances"


@dataclass
class Outcome:
    """One solver's result on one instance, re-evaluated in real arithmetic."""

    ok: bool
    wall: float
    vehicles: int = 0
    distance: float = math.nan
    dropped: int = 0
    feasible: bool = False
    errors: list[str] = field(default_factory=list)
    status: str = ""


@dataclass
class Row:
    """One instance: BKS and the outcomes."""

    instance: str
    family: str
    fleet: int
    bks: tuple[int, float]
    ours: Outcome
    pyvrp: Outcome | None
    settings: dict[str, object]


def run_ours(instance: SolomonInstance, fleet: int, args: argparse.Namespace) -> Outcome:
    """Solve with planner.routing and re-check the result."""
    problem = to_problem(instance, fleet, mandatory=args.mandatory)
    options = SolverOptions(
        time_limit_s=args.time_limit,
        first_solution=args.first_solution,
        metaheuristic=args.metaheuristic,
        seed=args.seed,
        iterated_local_search=args.ils,
        guided_local_search_lambda=args.gls_lambda,
    )
    started = time.perf_counter()
    try:
        solution = solve(problem, options)
    except RoutingError as error:
        return Outcome(ok=False, wall=time.perf_counter() - started, errors=error.problems[:3])
    wall = time.perf_counter() - started
    routes = [[int(v) for v in r.visit_ids] for r in solution.routes if r.visit_ids]
    errors = check_routes(instance, routes, fleet) + check_solution(problem, solution)
    return Outcome(
        ok=True,
        wall=wall,
        vehicles=len(routes),
        distance=route_distance(instance, routes),
        dropped=len(solution.dropped),
        feasible=not errors,
        errors=errors[:3],
        status=solution.status,
    )


def run_pyvrp(instance: SolomonInstance, fleet: int, args: argparse.Namespace) -> Outcome:
    """Solve with PyVRP on the same integer data (×100, rounded) and budget."""
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    started = time.perf_counter()
    model = Model()
    locations = [model.add_location(float(x), float(y)) for x, y in instance.xy]

    def scaled(value: float) -> int:
        return round(value * TIME_SCALE)

    model.add_depot(
        locations[0], tw_early=scaled(instance.ready[0]), tw_late=scaled(instance.due[0])
    )
    for c in range(1, len(locations)):
        model.add_client(
            locations[c],
            delivery=[int(instance.demand[c])],
            service_duration=scaled(instance.service[c]),
            tw_early=scaled(instance.ready[c]),
            tw_late=scaled(instance.due[c]),
        )
    model.add_vehicle_type(
        fleet,
        capacity=[instance.capacity],
        fixed_cost=VEHICLE_FIXED_COST,
        tw_early=scaled(instance.ready[0]),
        tw_late=scaled(instance.due[0]),
    )
    d = instance.distances()
    for a, frm in enumerate(locations):
        for b, to in enumerate(locations):
            model.add_edge(frm, to, distance=scaled(d[a, b]), duration=scaled(d[a, b]))
    result = model.solve(stop=MaxRuntime(args.time_limit), seed=args.seed, display=False)
    wall = time.perf_counter() - started
    routes = [[a.idx + 1 for a in route if a.is_client()] for route in result.best.routes()]
    errors = check_routes(instance, routes, fleet)
    return Outcome(
        ok=True,
        wall=wall,
        vehicles=len([r for r in routes if r]),
        distance=route_distance(instance, routes),
        dropped=result.best.num_missing_clients(),
        feasible=not errors and result.best.is_feasible(),
        errors=errors[:3],
    )


def _cell(outcome: Outcome | None, bks: tuple[int, float]) -> list[str]:
    if outcome is None:
        return []
    if not outcome.ok:
        return ["-", "-", "-", "no solution", "-", f"{outcome.wall:.1f}"]
    return [
        str(outcome.vehicles),
        f"{outcome.distance:.2f}",
        f"{gap_percent(outcome.distance, bks[1]):+.2f}",
        "yes" if outcome.feasible else "NO",
        str(outcome.dropped),
        f"{outcome.wall:.1f}",
    ]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _family_summary(results: list[Row], key: str) -> list[list[str]]:
    out = []
    for family in (*FAMILIES, "all"):
        pairs = [
            (r, o)
            for r in results
            if family in ("all", r.family) and (o := getattr(r, key)) is not None
        ]
        if not pairs:
            continue
        solved = [(r, o) for r, o in pairs if o.ok and o.feasible]
        vehicles = sum(o.vehicles for _, o in solved)
        bks_vehicles = sum(r.bks[0] for r, _ in solved)
        distance = sum(o.distance for _, o in solved)
        same = [(r, o) for r, o in solved if o.vehicles == r.bks[0]]
        gaps = [gap_percent(o.distance, r.bks[1]) for r, o in same]
        walls = [o.wall for _, o in pairs]
        out.append(
            [
                family,
                f"{len(solved)}/{len(pairs)}",
                f"{vehicles} / {bks_vehicles}",
                f"{distance:.1f}",
                f"{len(same)}",
                f"{statistics.mean(gaps):+.2f}" if gaps else "-",
                f"{statistics.mean(walls):.1f}",
            ]
        )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", type=Path, default=DEFAULT_INSTANCES)
    parser.add_argument("--time-limit", type=float, default=5.0, help="seconds per instance")
    parser.add_argument("--subset", default="", help="comma-separated names, e.g. C101,R101")
    parser.add_argument("--fleet", default="25", help="'25' (Solomon), 'file' (VEHICLES), or N")
    parser.add_argument(
        "--mandatory",
        action="store_true",
        help="customers mandatory (default: optional with a penalty above a vehicle's cost)",
    )
    parser.add_argument("--first-solution", default="PARALLEL_CHEAPEST_INSERTION")
    parser.add_argument("--metaheuristic", default="GUIDED_LOCAL_SEARCH")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--ils",
        action="store_true",
        help="iterated local search (SISR ruin and recreate) instead of --metaheuristic",
    )
    parser.add_argument("--gls-lambda", type=float, default=None, help="GLS lambda coefficient")
    parser.add_argument("--pyvrp", action="store_true", help="also solve with PyVRP")
    parser.add_argument("--jsonl", type=Path, help="append raw result rows to this file")
    args = parser.parse_args(argv)

    folder = args.instances / "solomon" if (args.instances / "solomon").is_dir() else args.instances
    bks_path = folder.parent / "solomon_bks.csv"
    if not folder.is_dir() or not bks_path.is_file():
        print(f"ERROR: no Solomon instances at {folder} (with {bks_path}); pass --instances")
        return 2
    bks = read_bks(bks_path)
    wanted = {s.strip().upper() for s in args.subset.split(",") if s.strip()}
    paths = sorted(folder.glob("*.vrptw"))
    if wanted:
        paths = [p for p in paths if p.name.split(".")[0] in wanted]
        missing = wanted - {p.name.split(".")[0] for p in paths}
        if missing:
            print(f"ERROR: unknown instance(s) {sorted(missing)}")
            return 2

    print(
        f"time limit {args.time_limit:g} s, fleet {args.fleet}, customers "
        f"{'mandatory' if args.mandatory else f'optional (penalty {DROP_PENALTY:,})'}, "
        f"{args.first_solution} + "
        f"{'iterated local search' if args.ils else args.metaheuristic}"
        f"{f' (lambda {args.gls_lambda:g})' if args.gls_lambda else ''}, vehicle fixed cost "
        f"{VEHICLE_FIXED_COST:,}, time scale {TIME_SCALE:g}",
        flush=True,
    )
    results: list[Row] = []
    for path in paths:
        instance = read_instance(path)
        fleet = (
            25
            if args.fleet == "25"
            else instance.vehicles_file
            if args.fleet == "file"
            else int(args.fleet)
        )
        row = Row(
            instance=instance.name,
            family=instance.family,
            fleet=fleet,
            bks=bks[instance.name],
            ours=run_ours(instance, fleet, args),
            pyvrp=run_pyvrp(instance, fleet, args) if args.pyvrp else None,
            settings={
                "time_limit": args.time_limit,
                "first_solution": args.first_solution,
                "metaheuristic": args.metaheuristic,
                "iterated_local_search": args.ils,
                "gls_lambda": args.gls_lambda,
                "mandatory": args.mandatory,
                "seed": args.seed,
            },
        )
        results.append(row)
        cells = _cell(row.ours, row.bks) + _cell(row.pyvrp, row.bks)
        print(f"{instance.name}: " + " ".join(cells), file=sys.stderr, flush=True)
        if args.jsonl:
            with args.jsonl.open("a") as handle:
                handle.write(json.dumps(dataclasses.asdict(row)) + "\n")

    header = ["instance", "fleet", "BKS veh / dist"]
    columns = ["veh", "dist", "gap %", "feasible", "dropped", "s"]
    header += [f"ours {c}" for c in columns]
    if args.pyvrp:
        header += [f"PyVRP {c}" for c in columns] + ["gap ours − PyVRP"]
    table = []
    for r in results:
        b = r.bks
        cells = [r.instance, str(r.fleet), f"{b[0]} / {b[1]:.2f}", *_cell(r.ours, b)]
        if r.pyvrp is not None:
            cells += _cell(r.pyvrp, b)
            both = r.ours.ok and r.pyvrp.ok
            delta = (
                gap_percent(r.ours.distance, b[1]) - gap_percent(r.pyvrp.distance, b[1])
                if both
                else math.nan
            )
            same_veh = both and r.ours.vehicles == r.pyvrp.vehicles
            cells.append(f"{delta:+.2f}" + ("" if same_veh else " (veh differ)"))
        table.append(cells)
    print()
    print(_table(header, table))
    summary_header = [
        "family",
        "feasible",
        "vehicles (CNV) / BKS",
        "distance (CTD)",
        "at BKS veh",
        "mean gap % at BKS veh",
        "mean s",
    ]
    print("\nplanner.routing (OR-Tools), per family:\n")
    print(_table(summary_header, _family_summary(results, "ours")))
    if args.pyvrp:
        print("\nPyVRP, per family:\n")
        print(_table(summary_header, _family_summary(results, "pyvrp")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
