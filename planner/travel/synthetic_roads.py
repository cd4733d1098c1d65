"""A synthetic road network as an ``.osm.pbf``, for tests and benchmarks (not a real map).

It has a road hierarchy like a province: a grid of ``tertiary`` roads, every ``secondary_every``
line a ``secondary`` road and every ``primary_every`` line a ``primary`` road, and one
``residential`` spur from each given place to the nearest grid crossing. Places flagged as on
an island get no spur (they stay off the mainland network). It is written with pyosmium, whose
``SimpleWriter`` sets the header timestamp used as the extract date.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import osmium
from osmium.osm.mutable import Node, Way

from planner.travel.types import Place


def write_synthetic_roads(
    path: Path,
    places: Sequence[Place],
    *,
    spacing_km: float = 2.0,
    secondary_every: int = 4,
    primary_every: int = 12,
    margin_km: float = 3.0,
    timestamp: str = "2024-01-01T00:00:00Z",
) -> dict[str, int]:
    """Write the network around ``places`` to ``path``; return node and way counts.

    Parameters
    ----------
    path
        ``.osm.pbf`` file to write (replaced).
    places
        Points to connect (village visit points, depots, ports); ``island`` places are skipped.
    spacing_km
        Distance between grid lines.
    secondary_every, primary_every
        Every n-th grid line is a secondary / primary road.
    margin_km
        Extra grid beyond the places' bounding box.
    timestamp
        ``osmosis_replication_timestamp`` of the header (the extract date).
    """
    mainland = [p for p in places if p.island is None]
    lons = np.array([p.lon for p in mainland])
    lats = np.array([p.lat for p in mainland])
    lat0 = float(lats.mean()) if lats.size else 0.0
    dlat = spacing_km / 110.57
    dlon = spacing_km / (111.32 * math.cos(math.radians(lat0)))
    pad_lat, pad_lon = margin_km / 110.57, margin_km / (111.32 * math.cos(math.radians(lat0)))
    xs = np.arange(lons.min() - pad_lon, lons.max() + pad_lon + dlon, dlon)
    ys = np.arange(lats.min() - pad_lat, lats.max() + pad_lat + dlat, dlat)
    nx, ny = len(xs), len(ys)

    def grid_id(i: int, j: int) -> int:
        return 1 + j * nx + i

    def road_class(line: int) -> str:
        if line % primary_every == 0:
            return "primary"
        if line % secondary_every == 0:
            return "secondary"
        return "tertiary"

    path.unlink(missing_ok=True)
    header = osmium.io.Header()
    header.set("osmosis_replication_timestamp", timestamp)
    writer = osmium.SimpleWriter(str(path), header=header)
    ways = 0
    try:
        for j, y in enumerate(ys):
            for i, x in enumerate(xs):
                writer.add_node(Node(id=grid_id(i, j), location=(float(x), float(y))))
        for i in range(nx):  # north-south lines
            ways += 1
            nodes = [grid_id(i, j) for j in range(ny)]
            writer.add_way(Way(id=ways, nodes=nodes, tags={"highway": road_class(i)}))
        for j in range(ny):  # east-west lines
            ways += 1
            nodes = [grid_id(i, j) for i in range(nx)]
            writer.add_way(Way(id=ways, nodes=nodes, tags={"highway": road_class(j)}))
        next_node = nx * ny + 1
        for p in mainland:
            i = round((p.lon - xs[0]) / dlon)
            j = round((p.lat - ys[0]) / dlat)
            writer.add_node(Node(id=next_node, location=(p.lon, p.lat)))
            ways += 1
            spur = [next_node, grid_id(min(max(i, 0), nx - 1), min(max(j, 0), ny - 1))]
            writer.add_way(Way(id=ways, nodes=spur, tags={"highway": "residential"}))
            next_node += 1
    finally:
        writer.close()
    return {"nodes": next_node - 1, "ways": ways}
