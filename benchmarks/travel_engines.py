"""Matrix build time for a region: estimate, scipy Dijkstra on OSM, and OSRM, in one run.

The OSM extract is SYNTHETIC (``planner.travel.synthetic_roads``: a road-hierarchy grid with
a spur to every village), not a real map: the timings show the engines' cost at the region's
size, not real minutes. A perfect grid is a hard case for OSRM (every grid line crosses every
cell boundary of MLD's partition, and CH finds no small separators), so read the OSRM rows as
an upper bound for a real extract of the same size.

    .venv/bin/python benchmarks/travel_engines.py [--region banten] [--quick] [--spacing-km 1.0]

Per engine it prints the one-off pre-processing (OSRM: extract + partition + customize, run
as child processes; scipy has none: it reads the extract inside the matrix build), the matrix
build, and a disk-cache hit (a fresh model reading the ``.npz`` the build wrote). Wall and
CPU seconds are both shown: on a shared machine the CPU seconds are the number to compare.
Lines are flushed as they come.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from planner.io.region import load_region
from planner.travel.cache import TravelCache
from planner.travel.estimate import EstimateTravelModel
from planner.travel.model import TravelModel
from planner.travel.osm import OsmTravelModel
from planner.travel.osrm_roads import OsrmTravelModel, prepare_osrm
from planner.travel.regional import depot_places, region_ports
from planner.travel.synthetic_roads import write_synthetic_roads
from planner.travel.types import Mode, Place

QUICK_PLACES = 300
"""Places of ``--quick`` (every k-th village and depot): a few minutes on a loaded machine."""


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the OSRM tools)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timed[T](step: Callable[[], T]) -> tuple[T, float, float]:
    """``step()``, its wall seconds and its CPU seconds."""
    t, c = time.perf_counter(), _cpu()
    out = step()
    return out, time.perf_counter() - t, _cpu() - c


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="banten")
    parser.add_argument("--spacing-km", type=float, default=1.0)
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_PLACES} places instead of all of them"
    )
    args = parser.parse_args()
    region = load_region(args.region)
    v = region.villages
    rows = zip(v.kode, v.lon, v.lat, strict=True)
    places = [Place(str(k), float(x), float(y)) for k, x, y in rows] + depot_places(region)
    if args.quick:
        places = places[:: max(1, len(places) // QUICK_PLACES)][:QUICK_PLACES]
    n = len(places)
    print(f"{args.region}: {n} places (mobil), {time.strftime('%Y-%m-%d %H:%M %Z')}", flush=True)
    results: list[tuple[str, float, float, float, float, float, np.ndarray]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pbf = root / "synthetic.osm.pbf"
        counts, wall, _ = _timed(
            lambda: write_synthetic_roads(pbf, places, spacing_km=args.spacing_km)
        )
        print(f"synthetic extract {counts}, {pbf.stat().st_size:,} B, {wall:.1f} s", flush=True)
        land = list(v.geometry.values)
        epsg = int(str(region.config.crs_metric).split(":")[-1])
        ports = region_ports(region)
        osrm_dir = root / "osrm"

        def estimate(cache: TravelCache) -> TravelModel:
            return EstimateTravelModel(ports=ports, land=land, crs_metric=epsg, cache=cache)

        def scipy_osm(cache: TravelCache) -> TravelModel:
            return OsmTravelModel.from_pbf(pbf, cache=cache, lazy=True)  # as the planner does

        def osrm(cache: TravelCache) -> TravelModel:
            return OsrmTravelModel(pbf, work_dir=osrm_dir, cache=cache)

        engines: list[tuple[str, Callable[[TravelCache], TravelModel], Callable[[], object]]] = [
            ("estimate (land grid)", estimate, lambda: None),
            ("scipy Dijkstra on OSM (read in the matrix)", scipy_osm, lambda: None),
            ("OSRM MLD (osrm-bindings)", osrm, lambda: prepare_osrm(pbf, "car", work_dir=osrm_dir)),
        ]
        for name, make, prepare in engines:
            cache = TravelCache(root / f"cache-{len(results)}")
            _, prep_wall, prep_cpu = _timed(prepare)
            print(f"{name}: pre-processing {prep_wall:.1f} s ({prep_cpu:.1f} CPU-s)", flush=True)
            model = make(cache)
            built, wall, cpu = _timed(lambda m=model: m.matrix(places, Mode.mobil))
            print(f"{name}: matrix {wall:.1f} s ({cpu:.1f} CPU-s)", flush=True)
            hit, hit_wall, _ = _timed(lambda c=cache, f=make: f(c).matrix(places, Mode.mobil))
            assert np.array_equal(hit.minutes, built.minutes)
            print(f"{name}: cache hit {hit_wall:.2f} s (with model set-up)", flush=True)
            results.append((name, prep_wall, prep_cpu, wall, cpu, hit_wall, built.minutes))
    off = ~np.eye(n, dtype=bool)
    print(
        f"\n| engine ({args.region}, {n} x {n}, mobil) | pre-processing once s (CPU-s) "
        "| matrix s (CPU-s) | cache hit s | median minutes |"
    )
    print("|---|---:|---:|---:|---:|")
    for name, prep_wall, prep_cpu, wall, cpu, hit_wall, minutes in results:
        finite = minutes[off][np.isfinite(minutes[off])]
        print(
            f"| {name} | {prep_wall:.1f} ({prep_cpu:.1f}) | {wall:.1f} ({cpu:.1f}) "
            f"| {hit_wall:.2f} | {np.median(finite):.1f} |"
        )


if __name__ == "__main__":
    main()
