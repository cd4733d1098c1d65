"""How much a Sumsel week changes with the sourced, per-regency estimate (issue #20).

Plans the same week with the same fleet (one two-kit car team per regency office, the
``benchmarks/scale.py`` fleet) twice: on the **uniform** estimate (no village population, only
the province total: what Sumsel had before) and on the **sourced** one (``population.csv`` and
the five regency figures of Oct 2017). Prints, per regency of interest, the estimate's
unrecorded residents and the planned recordings of each run, as a Markdown table.

    .venv/bin/python benchmarks/sumsel_estimate.py [--week 2017-10-23] [--time-limit 20]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd
from common import Inputs, load_inputs, run_planner, timed
from scale import sumsel_teams_file

from planner.domain.config import apply_overrides
from planner.geo.estimate import estimate_registry

FOCUS = {  # recorded share published for 23 Oct 2017 (Merdeka)
    "16.11": "Empat Lawang (45 %)",
    "16.13": "Musi Rawas Utara (71 %)",
    "16.74": "Prabumulih (76 %)",
    "16.09": "OKU Selatan (78 %)",
    "16.12": "PALI (100 %)",
    "16.71": "Palembang",
}


def uniform(inputs: Inputs) -> Inputs:
    """The same inputs on the uniform estimate: no population, no regency figures."""
    region = inputs.region
    est = region.config.estimate.model_copy(update={"regencies": []})
    config = region.config.model_copy(update={"estimate": est})
    flat = dataclasses.replace(region, population=None, config=config)
    registry = estimate_registry(flat, inputs.classified, seed=inputs.policy.solver.seed)
    return dataclasses.replace(inputs, registry=registry)


def by_regency(inputs: Inputs, itinerary: pd.DataFrame) -> pd.DataFrame:
    """Estimated unrecorded and planned recordings per regency."""
    counts = inputs.registry.counts
    belum = counts["belum_rekam"].groupby(counts.index.str[:5]).sum()
    planned = itinerary.groupby(itinerary["kode_desa"].str[:5])["expected_recordings"].sum()
    return pd.DataFrame({"belum": belum, "planned": planned}).fillna(0)


def main(argv: Sequence[str] | None = None) -> int:
    """Run both weeks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", type=date.fromisoformat, default=date(2017, 10, 23))
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        sourced = load_inputs("sumsel", sumsel_teams_file(Path(tmp)))
    policy = apply_overrides(sourced.policy, {"solver": {"time_limit_s": args.time_limit}})
    sourced = dataclasses.replace(sourced, policy=policy)
    flat = uniform(sourced)
    tables = {}
    for label, inputs in (("uniform", flat), ("sourced", sourced)):
        plan, seconds = timed(run_planner, inputs, args.week, workers=args.workers)
        tables[label] = by_regency(inputs, plan.itinerary)
        total = plan.summary["planned_recordings"]
        print(f"{label}: planned {total}, weighted {plan.summary['weighted_recordings']}, "
              f"{seconds:.0f} s")  # fmt: skip
    print(f"\nWeek of {args.week}, {len(sourced.teams.teams)} teams (2 kits each), "
          f"time limit {args.time_limit:g} s\n")  # fmt: skip
    print("| regency | unrecorded, uniform | unrecorded, sourced | planned, uniform "
          "| planned, sourced |")  # fmt: skip
    print("|---|---:|---:|---:|---:|")
    u, s = tables["uniform"], tables["sourced"]
    for kab, name in FOCUS.items():
        print(f"| {kab} {name} | {u.at[kab, 'belum']:,.0f} | {s.at[kab, 'belum']:,.0f} "
              f"| {u.at[kab, 'planned']:,.0f} | {s.at[kab, 'planned']:,.0f} |")  # fmt: skip
    low = list(FOCUS)[:4]
    print(f"| **four lowest-rate regencies** | {u.loc[low, 'belum'].sum():,.0f} "
          f"| {s.loc[low, 'belum'].sum():,.0f} | {u.loc[low, 'planned'].sum():,.0f} "
          f"| {s.loc[low, 'planned'].sum():,.0f} |")  # fmt: skip
    print(f"| province | {u['belum'].sum():,.0f} | {s['belum'].sum():,.0f} "
          f"| {u['planned'].sum():,.0f} | {s['planned'].sum():,.0f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
