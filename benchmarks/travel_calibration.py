"""Calibrate the travel estimate on the observed trips of the bundled regions.

Fits on the fixed fit half (``planner.travel.calibration``), prints the median and
90th-percentile absolute % error of the held-back half before and after, by mode and terrain,
and with ``--write`` stores the fitted parameters and their provenance in
``planner/travel/calibrated.toml`` (used by regions with ``[travel] params = "calibrated"``).

    .venv/bin/python benchmarks/travel_calibration.py [--write]
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from planner.io.region import list_regions, load_region
from planner.travel.calibration import (
    OBSERVED_FILE,
    errors,
    fit_params,
    held_back_p90,
    load_observations,
    params_toml,
    summarise,
    under_estimate_slack,
)
from planner.travel.params import TravelParams

TARGET = Path(__file__).resolve().parents[1] / "planner" / "travel" / "calibrated.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {TARGET.name}")
    args = parser.parse_args()
    observations = []
    used = []
    for name in list_regions():
        region = load_region(name)  # a region that does not load is an error: fix its data
        if (region.root / OBSERVED_FILE).is_file():
            rows = load_observations(region)
            observations += rows
            used.append(f"{name} ({len(rows)})")
    default = TravelParams()
    fitted, figures = fit_params(observations, default)
    slack = under_estimate_slack(observations, fitted)
    fitted = fitted.model_copy(
        update={"slack_pct": slack, "error_p90_pct": held_back_p90(observations, fitted)}
    )
    print(f"held-back p90 absolute error: default {held_back_p90(observations, default):g} %")
    n_fit = sum(o.half == "fit" for o in observations)
    print(f"observations: {len(observations)} ({', '.join(used)}); fit half {n_fit}")
    print(f"fitted: {figures}; slack (p90 under-estimate, fit half) {slack:g} %")
    for by in (("mode",), ("terrain",)):
        tables = []
        for label, params in (("before", default), ("after", fitted.model_copy(
                update={"slack_pct": 0.0}))):  # fmt: skip
            table = errors(observations, params)
            test = table[(table["half"] == "test") & ~table["doubtful"]]
            s = summarise(test, by).rename(
                columns={"median_abs_pct": f"median_{label}", "p90_abs_pct": f"p90_{label}"}
            )
            tables.append(s)
        merged = tables[0].merge(tables[1].drop(columns="rows"), on=list(by))
        print(f"\nheld-back half (doubtful rows left out), by {by[0]}:")
        print(merged.to_string(index=False))
    if args.write:
        provenance = (
            f"fitted {date.today().isoformat()} by benchmarks/travel_calibration.py on the fit "
            f"half of geodata/*/{OBSERVED_FILE}\n"
            f"regions: {', '.join(used)}; fitted figures {figures}; slack_pct = 90th-percentile "
            "under-estimate on the fit half"
        )
        TARGET.write_text(params_toml(fitted, figures, provenance), encoding="utf-8")
        print(f"\nwrote {TARGET}")


if __name__ == "__main__":
    main()
