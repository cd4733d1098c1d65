"""Over-land distances on a coarse raster, so that land travel never cuts across the sea.

Why a raster and not a region-supplied matrix: the estimate must work for any region the
user brings (only village polygons are guaranteed), for any set of places (depots and visit
points chosen at run time), and offline. Rasterising the union of village polygons at
2 km and running Dijkstra over land cells (scipy.sparse.csgraph) finds the way round a bay
(Teluk Banten, Teluk Lada, the Ujung Kulon bays) in well under a second for a province. A
user who has a real road matrix supplies it through ``MatrixTravelModel`` or an OSM extract.

Geometry of the grid: cells are squares in a metric CRS (the UTM zone of the land's centre
unless given). Moves go to 16 neighbours (orthogonal, diagonal and knight moves) and are
allowed only if the cells they pass through are land. A 16-neighbour path overestimates the
straight line by at most ``GRID_STRETCH`` (2.75 %, at 13.3 degrees off an axis), so dividing
grid distances by it gives a distance that is never longer than the straight line between
cell centres over open land: the detour only shows where water is in the way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import pyproj
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from planner.core.errors import TravelError

GRID_STRETCH = float(np.hypot(1.0, (np.sqrt(5.0) - 2.0)))
"""Largest ratio of a 16-neighbour grid path to the straight line (cos + (sqrt5-2) sin)."""

SEARCH_REACH = 1.25
"""A Dijkstra search stops at this multiple of the straight distance to its farthest target."""

SEARCH_BATCHES = 8
"""Sources are searched in at most this many batches of similar reach (see ``_node_km``)."""

# (dy, dx, cells the move passes through besides its ends, as (dy, dx) offsets)
_MOVES: tuple[tuple[int, int, tuple[tuple[int, int], ...]], ...] = (
    (0, 1, ()),
    (1, 0, ()),
    (1, 1, ((0, 1), (1, 0))),
    (1, -1, ((0, -1), (1, 0))),
    (1, 2, ((0, 1), (1, 1))),
    (2, 1, ((1, 0), (1, 1))),
    (1, -2, ((0, -1), (1, -1))),
    (2, -1, ((1, 0), (1, -1))),
)


LandInput: TypeAlias = BaseGeometry | Sequence[BaseGeometry] | np.ndarray
"""Land as one (Multi)Polygon or as its parts, e.g. ``villages.geometry`` (no union needed)."""


def land_parts(land: LandInput) -> np.ndarray:
    """Non-empty polygon parts of ``land`` as a shapely array."""
    if isinstance(land, BaseGeometry):
        geoms = np.asarray(shapely.get_parts(land))
    else:
        geoms = np.asarray(shapely.get_parts(np.asarray(land, dtype=object)))
    return geoms[~shapely.is_empty(geoms)] if geoms.size else geoms


def land_digest(land: LandInput) -> str:
    """SHA-256 of the land geometries' WKB (the cache key part of the land)."""
    h = hashlib.sha256()
    for wkb in shapely.to_wkb(land_parts(land)):
        h.update(wkb)
    return h.hexdigest()


def utm_epsg(lon: float, lat: float) -> int:
    """EPSG code of the WGS 84 UTM zone holding ``(lon, lat)`` (e.g. 32748 for Banten)."""
    zone = int((lon + 180.0) // 6.0) + 1
    return (32700 if lat < 0 else 32600) + min(max(zone, 1), 60)


class LandGrid:
    """Raster of land cells with shortest over-land distances between them.

    Parameters
    ----------
    land
        Land in EPSG:4326 (lon/lat): one (Multi)Polygon or its parts, e.g. the village
        polygons of the region as they are (rasterised through an STRtree: no union needed).
    cell_km
        Cell size in km.
    crs_metric
        EPSG code of a metric CRS; default the UTM zone of the land's centre.
    """

    def __init__(self, land: LandInput, cell_km: float, crs_metric: int | None = None) -> None:
        parts = land_parts(land)
        if parts.size == 0:
            raise TravelError("the land geometry for over-land detours is empty")
        minx, miny, maxx, maxy = shapely.total_bounds(parts)
        epsg = crs_metric or utm_epsg((minx + maxx) / 2, (miny + maxy) / 2)
        self._to_metric = pyproj.Transformer.from_crs(4326, epsg, always_xy=True)
        self._to_lonlat = pyproj.Transformer.from_crs(epsg, 4326, always_xy=True)
        x0, y0, x1, y1 = self._to_metric.transform_bounds(minx, miny, maxx, maxy)
        self.cell_m = cell_km * 1000.0
        self.nx = int(np.ceil((x1 - x0) / self.cell_m)) + 1
        self.ny = int(np.ceil((y1 - y0) / self.cell_m)) + 1
        self.x0, self.y0 = x0 - self.cell_m / 2, y0 - self.cell_m / 2
        self.mask = self._rasterise(parts)
        if not self.mask.any():
            raise TravelError(
                f"the land geometry has no {cell_km} km cell on land; use a smaller "
                "detour_grid_km or pass land=None"
            )
        self.node_of = np.full(self.mask.shape, -1, dtype=np.int64)
        cells = np.flatnonzero(self.mask.ravel())
        self.node_of.ravel()[cells] = np.arange(cells.size)
        rows, cols = np.divmod(cells, self.nx)
        self.cell_rows, self.cell_cols = rows, cols
        self.cell_x = self.x0 + (cols + 0.5) * self.cell_m
        self.cell_y = self.y0 + (rows + 0.5) * self.cell_m
        self.graph = self._build_graph()
        _, self.component = connected_components(self.graph, directed=False)
        self.main = int(np.bincount(self.component).argmax()) if self.component.size else -1
        """The largest connected land component (the mainland); places snap into it."""
        self._tree = cKDTree(np.column_stack([self.cell_x, self.cell_y]))
        self._trees: dict[int, tuple[np.ndarray, cKDTree]] = {}

    def _rasterise(self, parts: np.ndarray) -> np.ndarray:
        """A cell is land if its centre or one of four inner points is in a land polygon."""
        tree = shapely.STRtree(parts)
        cols, rows = np.meshgrid(np.arange(self.nx), np.arange(self.ny))
        mask = np.zeros(self.ny * self.nx, dtype=bool)
        for fx, fy in ((0.5, 0.5), (0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)):
            x = self.x0 + (cols + fx) * self.cell_m
            y = self.y0 + (rows + fy) * self.cell_m
            lon, lat = self._to_lonlat.transform(x.ravel(), y.ravel())
            hits = tree.query(shapely.points(lon, lat), predicate="intersects")[0]
            mask[hits] = True
        return mask.reshape(self.ny, self.nx)

    def _build_graph(self) -> csr_matrix:
        src: list[np.ndarray] = []
        dst: list[np.ndarray] = []
        wgt: list[np.ndarray] = []
        r, c = self.cell_rows, self.cell_cols
        for dy, dx, through in _MOVES:
            r2, c2 = r + dy, c + dx
            ok = (r2 >= 0) & (r2 < self.ny) & (c2 >= 0) & (c2 < self.nx)
            ok[ok] &= self.mask[r2[ok], c2[ok]]
            for ty, tx in through:
                rt, ct = r + ty, c + tx
                inside = (rt >= 0) & (rt < self.ny) & (ct >= 0) & (ct < self.nx)
                ok &= inside
                ok[ok] &= self.mask[rt[ok], ct[ok]]
            a = self.node_of[r[ok], c[ok]]
            b = self.node_of[r2[ok], c2[ok]]
            w = np.full(a.size, np.hypot(dx, dy) * self.cell_m / 1000.0)
            src += [a, b]
            dst += [b, a]
            wgt += [w, w]
        n = int(self.mask.sum())
        return csr_matrix(
            (np.concatenate(wgt), (np.concatenate(src), np.concatenate(dst))), shape=(n, n)
        )

    def snap(self, lon: np.ndarray, lat: np.ndarray, component: int | None = None) -> np.ndarray:
        """Nearest land cell (graph node) of each point, optionally within one component."""
        x, y = self._to_metric.transform(np.asarray(lon), np.asarray(lat))
        pts = np.column_stack([np.atleast_1d(x), np.atleast_1d(y)])
        if component is None:
            return np.asarray(self._tree.query(pts)[1], dtype=np.int64)
        if component not in self._trees:
            nodes = np.flatnonzero(self.component == component)
            tree = cKDTree(np.column_stack([self.cell_x[nodes], self.cell_y[nodes]]))
            self._trees[component] = (nodes, tree)
        nodes, tree = self._trees[component]
        return nodes[np.asarray(tree.query(pts)[1], dtype=np.int64)]

    def geodesic_km(self, lon: Sequence[float], lat: Sequence[float]) -> np.ndarray:
        """Over-land distance between points, in km, scaled to never exceed open-land lines.

        Every point is snapped to the nearest cell of the largest land component (the
        mainland: a pair's distance never depends on the other points), so the result is a
        finite metric (triangle inequality holds exactly) over all points.
        """
        lons, lats = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
        if lons.size == 0:
            return np.zeros((0, 0))
        nodes = self.snap(lons, lats, self.main)
        unique, inverse = np.unique(nodes, return_inverse=True)
        dist = self._node_km(unique)
        dist = np.minimum(dist, dist.T)  # a->b and b->a differ only by float summation order
        out = dist[inverse][:, inverse] / GRID_STRETCH
        return np.asarray(out, dtype=np.float64)

    def _node_km(self, nodes: np.ndarray) -> np.ndarray:
        """Grid km between graph nodes of the main component, row ``i`` searched from ``i``.

        A full search from every node costs (nodes x grid cells), mostly spent far from the
        nodes when they are a group of villages in a large region. Each search stops instead
        at ``SEARCH_REACH`` x the straight distance to its farthest node (sources are searched
        in a few batches of similar reach). A search with a limit settles every node within it
        with the same relaxations, hence the same sums, as a full search: the distances are
        identical. A row that misses a node (a long detour round a bay) is searched in full.
        """
        x, y = self.cell_x[nodes], self.cell_y[nodes]
        farthest = np.zeros(nodes.size)
        for i in range(nodes.size):  # row by row: no (n, n) temporary for a whole region
            farthest[i] = np.sqrt(np.max((x - x[i]) ** 2 + (y - y[i]) ** 2)) / 1000.0
        reach = SEARCH_REACH * GRID_STRETCH * farthest + 2.0 * self.cell_m / 1000.0
        dist = np.empty((nodes.size, nodes.size))
        order = np.argsort(reach, kind="stable")
        # The graph holds both directions of every move: directed=True is the same and faster.
        for rows in np.array_split(order, min(SEARCH_BATCHES, max(1, nodes.size // 32))):
            if rows.size:
                found = dijkstra(
                    self.graph, directed=True, indices=nodes[rows], limit=reach[rows].max()
                )
                dist[rows] = found[:, nodes]
        short = ~np.isfinite(dist).all(axis=1)
        if short.any():
            dist[short] = dijkstra(self.graph, directed=True, indices=nodes[short])[:, nodes]
        return dist

    def path_lonlat(
        self, a: tuple[float, float], b: tuple[float, float]
    ) -> list[tuple[float, float]]:
        """Over-land polyline from ``a`` to ``b`` through cell centres (ends included)."""
        lons, lats = np.array([a[0], b[0]]), np.array([a[1], b[1]])
        na, nb = (int(v) for v in self.snap(lons, lats, self.main))
        _, pred = dijkstra(self.graph, directed=False, indices=na, return_predecessors=True)
        chain = [nb]
        while chain[-1] != na and pred[chain[-1]] >= 0:
            chain.append(int(pred[chain[-1]]))
        chain.reverse()
        x, y = self._to_lonlat.transform(self.cell_x[chain], self.cell_y[chain])
        middle = [
            (float(u), float(v)) for u, v in zip(np.atleast_1d(x), np.atleast_1d(y), strict=True)
        ]
        return [a, *middle, b]
