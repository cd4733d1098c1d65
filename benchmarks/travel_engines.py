"""Matrix build time for a region: estimate, scipy Dijkstra on OSM, and OSRM, in one run.

The OSM extract is SYNTHETIC (``planner.travel.synthetic_roads``: a road-hierarchy grid with
a spur to every village), not a real map: the timings show the engines' cost at the region's
size, not real minutes.

    .venv/bin/python benchmarks/travel_engines.py [--region banten] [--spacing-km 1.0]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from planner.io.region import load_region
from planner.travel.estimate import EstimateTravelModel
from planner.travel.osm import OsmTravelModel
from planner.travel.osrm_roads import OsrmTravelModel, prepare_osrm
from planner.travel.regional import depot_places, region_ports
from planner.travel.synthetic_roads import write_synthetic_roads
from planner.travel.types import Mode, Place


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="banten")
    parser.add_argument("--spacing-km", type=float, default=1.0)
    args = parser.parse_args()
    region = load_region(args.region)
    v = region.villages
    rows = zip(v.kode, v.lon, v.lat, strict=True)
    villages = [Place(str(k), float(x), float(y)) for k, x, y in rows]
    places = villages + depot_places(region)
    with tempfile.TemporaryDirectory() as tmp:
        pbf = Path(tmp) / "synthetic.osm.pbf"
        t = time.perf_counter()
        counts = write_synthetic_roads(pbf, places, spacing_km=args.spacing_km)
        print(
            f"synthetic extract: {counts} ({pbf.stat().st_size:,} B) "
            f"in {time.perf_counter() - t:.1f} s; {len(places)} places"
        )
        land = list(v.geometry.values)
        epsg = int(str(region.config.crs_metric).split(":")[-1])
        timings: list[tuple[str, float, np.ndarray]] = []
        t = time.perf_counter()
        est = EstimateTravelModel(ports=region_ports(region), land=land, crs_metric=epsg)
        m = est.matrix(places, Mode.mobil)
        timings.append(("estimate (land grid)", time.perf_counter() - t, m.minutes))
        t = time.perf_counter()
        scipy_model = OsmTravelModel.from_pbf(pbf)
        m = scipy_model.matrix(places, Mode.mobil)
        timings.append(
            ("scipy Dijkstra on OSM (read + matrix)", time.perf_counter() - t, m.minutes)
        )
        work = Path(tmp) / "osrm"
        t = time.perf_counter()
        prepare_osrm(pbf, "car", work_dir=work)
        prep = time.perf_counter() - t
        t = time.perf_counter()
        m = OsrmTravelModel(pbf, work_dir=work).matrix(places, Mode.mobil)
        timings.append(
            (
                f"OSRM MLD matrix (pre-processing {prep:.1f} s, cached after)",
                time.perf_counter() - t,
                m.minutes,
            )
        )
        n = len(places)
        off = ~np.eye(n, dtype=bool)
        print(f"\n| engine ({args.region}, {n} x {n}, mobil) | seconds | median minutes |")
        print("|---|---:|---:|")
        for name, seconds, minutes in timings:
            finite = minutes[off][np.isfinite(minutes[off])]
            print(f"| {name} | {seconds:.1f} | {np.median(finite):.1f} |")


if __name__ == "__main__":
    main()
