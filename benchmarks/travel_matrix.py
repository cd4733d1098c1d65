"""Full Banten travel matrix: cold build vs disk-cache hit, per mode.

Run: ``.venv/bin/python benchmarks/travel_matrix.py [--repeat 3]``. Places are every Banten
village (representative point), every depot of ``geodata/banten/depots.csv``; the ports of
``ports.csv`` join the matrix internally when ``boat=True``. "Cold" is a fresh model with an
empty cache folder (includes rasterising the land grid); "warm" is a fresh model reading the
``.npz`` written by the cold run. The land union (region loading) is timed separately.
CPU time is shown next to wall time because a shared machine inflates wall time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

from planner.io.region import load_region
from planner.travel import (
    EstimateTravelModel,
    Mode,
    Place,
    Port,
    Terrain,
    TravelCache,
    terrain_from_code,
)


def banten_inputs() -> tuple[list[Place], list[Port], np.ndarray, float]:
    """Places, ports and village polygons of Banten, and the seconds of the land union.

    The union only tells which villages are on islands (not on its largest part); the model
    rasterises the village polygons directly.
    """
    region = load_region("banten")
    villages = region.villages
    t0 = time.perf_counter()
    land = shapely.union_all(villages.geometry.values)
    t_union = time.perf_counter() - t0
    parts = sorted(getattr(land, "geoms", [land]), key=lambda g: g.area, reverse=True)
    points = villages.geometry.representative_point()
    places = [
        Place(
            str(k),
            p.x,
            p.y,
            terrain_from_code(str(k)),
            None if parts[0].contains(p) else str(k),
        )
        for k, p in zip(villages["kode"], points, strict=True)
    ]
    places += [
        Place(str(r["depot_id"]), float(r["lon"]), float(r["lat"]), Terrain.kota)
        for r in region.depots.to_dict("records")
    ]
    serves: dict[str, dict[str, float | None]] = {}
    where: dict[str, tuple[str, float, float]] = {}
    for r in region.ports.to_dict("records"):
        minutes = float(r["crossing_minutes"])
        serves.setdefault(str(r["port_id"]), {})[str(r["serves_kode_desa"])] = (
            minutes if np.isfinite(minutes) else None
        )
        where[str(r["port_id"])] = (str(r["port_name"]), float(r["lon"]), float(r["lat"]))
    ports = [Port(pid, *where[pid], serves=s) for pid, s in serves.items()]
    return places, ports, villages.geometry.values, t_union


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per cell (median shown)")
    args = parser.parse_args()
    places, ports, land, t_union = banten_inputs()
    n_island = sum(p.island is not None for p in places)
    print(
        f"Banten: {len(places)} places ({n_island} on islands), {len(ports)} ports; "
        f"land union for island detection {t_union:.2f} s (not needed by the model)\n"
    )
    print(
        "| mode | boat | cold build wall (s) | cold CPU (s) | warm cache hit wall (s) "
        "| cold / warm | file (MB) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for mode in (Mode.mobil, Mode.motor):
        for boat in (False, True):
            colds, cpus, warms, size = [], [], [], 0.0
            for _ in range(args.repeat):
                with tempfile.TemporaryDirectory() as tmp:
                    cold_model = EstimateTravelModel(ports=ports, land=land, cache=TravelCache(tmp))
                    t0, c0 = time.perf_counter(), time.process_time()
                    cold = cold_model.matrix(places, mode, boat=boat)
                    colds.append(time.perf_counter() - t0)
                    cpus.append(time.process_time() - c0)
                    size = sum(f.stat().st_size for f in Path(tmp).glob("*.npz")) / 1e6
                    warm_model = EstimateTravelModel(ports=ports, land=land, cache=TravelCache(tmp))
                    t0 = time.perf_counter()
                    warm = warm_model.matrix(places, mode, boat=boat)
                    warms.append(time.perf_counter() - t0)
                    assert np.array_equal(cold.minutes, warm.minutes)
            c, w = statistics.median(colds), statistics.median(warms)
            cpu = statistics.median(cpus)
            print(
                f"| {mode} | {boat} | {c:.2f} | {cpu:.2f} | {w:.3f} | {c / w:.0f}x | {size:.0f} |"
            )


if __name__ == "__main__":
    main()
