"""Provider of road travel from an OpenStreetMap extract (``.osm.pbf``) the user supplies."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from planner.core.errors import TravelError
from planner.travel.cache import TravelCache
from planner.travel.geodesic import haversine_km
from planner.travel.model import TravelModel
from planner.travel.params import TravelParams
from planner.travel.types import Mode, Place, Port, SeaNetwork

_CAR = {
    # Typical free-flow speeds on Indonesian roads by OSM class, km/h (jalan nasional /
    # provinsi / kabupaten / desa); below posted limits because of mixed traffic.
    "motorway": 80.0, "motorway_link": 50.0, "trunk": 55.0, "trunk_link": 40.0,
    "primary": 45.0, "primary_link": 35.0, "secondary": 40.0, "secondary_link": 30.0,
    "tertiary": 35.0, "tertiary_link": 25.0, "unclassified": 30.0, "residential": 25.0,
    "living_street": 10.0, "service": 15.0, "road": 25.0, "track": 12.0,
}  # fmt: skip
_MOTOR = {
    **{k: v for k, v in _CAR.items() if not k.startswith("motorway")},  # no motorbikes on toll
    "track": 20.0, "path": 10.0, "bridleway": 10.0,
}  # fmt: skip
_WALK = {
    k: 4.5
    for k in (
        "primary", "primary_link", "secondary", "secondary_link", "tertiary", "tertiary_link",
        "unclassified", "residential", "living_street", "service", "road", "track", "path",
        "footway", "pedestrian", "steps", "bridleway", "cycleway",
    )
}  # fmt: skip

_MIN_EDGE_KM = 1e-6
_CELLS_PER_CHUNK = 20_000_000
"""Dijkstra rows are computed in chunks of at most this many (source, node) cells."""
_TIE_MIN_PER_KM = 1e-6
"""Tie-break weight of a km (minutes): far below any real time difference, far above the
float64 rounding of a route's minutes (~1e-12), so km come back to within ~1e-6 km."""

DEFAULT_OSM_SPEEDS: dict[Mode, dict[str, float]] = {
    Mode.mobil: _CAR,
    Mode.motor: _MOTOR,
    Mode.jalan_kaki: _WALK,
}
"""km/h per ``highway=*`` class and mode; classes not listed are not usable by the mode."""


class OsmTravelModel(TravelModel):
    """Shortest-time road routes on an OSM extract.

    Ways with a ``highway`` tag of a class the mode may use become edges (length by
    great-circle between consecutive nodes, time = length / class speed). Ways are treated as
    two-way (``oneway`` ignored; the result is symmetric). A place is snapped to the nearest
    usable road node; the snap distance is an access leg at the params' access speed for the
    place's terrain. Pairs on different connected road parts are ``inf``.

    Build it with :meth:`from_pbf`.
    """

    version = "2"  # 2: km by tie-broken Dijkstra, repeated edges keep the fastest

    def __init__(
        self,
        node_lonlat: np.ndarray | None,
        edges: np.ndarray | None,
        edge_class: Sequence[str] | None,
        speeds: Mapping[Mode, Mapping[str, float]],
        *,
        digest_text: str,
        reader: Callable[[], tuple[np.ndarray, np.ndarray, list[str]]] | None = None,
        params: TravelParams | None = None,
        ports: Sequence[Port] = (),
        cache: TravelCache | bool | None = None,
        sea: SeaNetwork | None = None,
    ) -> None:
        super().__init__(params, ports, cache=cache, sea=sea)
        self.speeds = {Mode(m): dict(v) for m, v in speeds.items()}
        self._digest = digest_text
        if node_lonlat is not None and edges is not None and edge_class is not None:
            self._net: _Network | None = _Network.build(node_lonlat, edges, list(edge_class))
        elif reader is not None:
            self._net = None
        else:
            raise TravelError("OsmTravelModel needs the network arrays or a reader")
        self._reader = reader
        self._graphs: dict[Mode, tuple[csr_matrix, csr_matrix, np.ndarray, cKDTree]] = {}
        self.pbf: Path | None = None
        """The extract this network was read from (set by :meth:`from_pbf`)."""

    def network(self) -> _Network:
        """The road network, read from the extract on first use (see ``lazy``)."""
        if self._net is None:
            assert self._reader is not None  # __init__ ensures arrays or a reader
            self._net = _Network.build(*self._reader())
        return self._net

    @classmethod
    def from_pbf(
        cls,
        path: str | Path,
        speeds_by_highway_class: Mapping[str, float]
        | Mapping[Mode, Mapping[str, float]]
        | None = None,
        *,
        params: TravelParams | None = None,
        ports: Sequence[Port] = (),
        cache: TravelCache | bool | None = None,
        sea: SeaNetwork | None = None,
        lazy: bool = False,
    ) -> OsmTravelModel:
        """Read the road network of an ``.osm.pbf`` (or ``.osm``) file with pyosmium.

        Parameters
        ----------
        path
            OSM extract.
        speeds_by_highway_class
            km/h per ``highway`` class: one table (used for ``mobil`` and ``motor``; walking
            keeps its default) or a table per mode. Default :data:`DEFAULT_OSM_SPEEDS`.
        params, ports, cache, sea
            As in :class:`~planner.travel.TravelModel`.
        lazy
            Read the ways only when a matrix is not in the cache (the file is still hashed
            now): a cache hit then costs the hash, not a parse of the whole extract. A bad
            file is reported at the first matrix instead of here.

        Raises
        ------
        TravelError
            If the file is missing, or (not ``lazy``) cannot be read or has no usable road.
        """
        path = Path(path)
        speeds = _speed_tables(speeds_by_highway_class)
        if not path.is_file():
            raise TravelError(f"{path}: OSM extract not found")
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(repr(sorted((str(m), sorted(t.items())) for m, t in speeds.items())).encode())
        if lazy:
            model = cls(
                None, None, None, speeds, digest_text=h.hexdigest(),
                reader=lambda: _read_pbf(path), params=params, ports=ports, cache=cache, sea=sea,
            )  # fmt: skip
        else:
            lonlat, pairs, classes = _read_pbf(path)
            model = cls(
                lonlat, pairs, classes, speeds, digest_text=h.hexdigest(),
                params=params, ports=ports, cache=cache, sea=sea,
            )  # fmt: skip
        model.pbf = path
        return model

    def fingerprint(self) -> str:
        """Hash of the extract and the speed tables."""
        return self._digest

    def _graph(self, mode: Mode) -> tuple[csr_matrix, csr_matrix, np.ndarray, cKDTree]:
        """Minutes graph, tie-broken graph, usable nodes and their KD-tree for one mode."""
        if mode not in self._graphs:
            table = self.speeds.get(mode, {})
            net = self.network()
            kmh = np.array([table.get(c, 0.0) for c in net.edge_class], dtype=np.float64)
            ok = kmh > 0
            if not ok.any():
                raise TravelError(f"the OSM extract has no road usable by {mode}")
            a, b = net.edges[ok, 0], net.edges[ok, 1]
            km = np.maximum(net.edge_km[ok], _MIN_EDGE_KM)  # csgraph drops explicit zeros
            minutes = km / kmh[ok] * 60.0
            n = len(net.node_lonlat)
            rows, cols = np.r_[a, b], np.r_[b, a]
            g_min = _min_csr(rows, cols, np.r_[minutes, minutes], n)
            tie = minutes + km * _TIE_MIN_PER_KM
            g_tie = _min_csr(rows, cols, np.r_[tie, tie], n)
            nodes = np.unique(np.r_[a, b])
            tree = cKDTree(net.node_lonlat[nodes] * net.scale)
            self._graphs[mode] = (g_min, g_tie, nodes, tree)
        return self._graphs[mode]

    def _snap(self, points: Sequence[Place], mode: Mode) -> tuple[np.ndarray, np.ndarray]:
        """Nearest usable node of each point and the snap distance in km."""
        _, _, nodes, tree = self._graph(mode)
        net = self.network()
        xy = np.array([[p.lon, p.lat] for p in points], dtype=np.float64).reshape(-1, 2)
        _, idx = tree.query(xy * net.scale)
        snapped = nodes[np.asarray(idx, dtype=np.int64)]
        ll = net.node_lonlat[snapped]
        snap_km = haversine_km(xy[:, 0], xy[:, 1], ll[:, 0], ll[:, 1])
        return snapped, np.atleast_1d(snap_km)

    def land_legs(self, points: Sequence[Place], mode: Mode) -> tuple[np.ndarray, np.ndarray]:
        """Shortest-time road legs plus snap (access) legs at both ends.

        Km along the fastest route come from a second Dijkstra on ``minutes + eps * km``:
        its distance minus the fastest minutes, divided by ``eps``, is the km of a fastest
        route (ties broken towards the shorter one). Walking each route back through the
        predecessor arrays cost ~3x more than both Dijkstras on a Banten-size network.
        """
        g_min, g_tie, _, _ = self._graph(mode)
        snapped, snap_km = self._snap(points, mode)
        unique, inverse = np.unique(snapped, return_inverse=True)
        n_nodes = len(self.network().node_lonlat)
        chunk = max(1, _CELLS_PER_CHUNK // max(n_nodes, 1))  # bound memory: rows x nodes
        road_min = np.empty((unique.size, unique.size))
        road_km = np.empty((unique.size, unique.size))
        for start in range(0, unique.size, chunk):
            sources = unique[start : start + chunk]
            fastest = dijkstra(g_min, directed=False, indices=sources)[:, unique]
            tied = dijkstra(g_tie, directed=False, indices=sources)[:, unique]
            road_min[start : start + chunk] = fastest
            with np.errstate(invalid="ignore"):  # inf - inf where no road
                km = np.maximum(tied - fastest, 0.0) / _TIE_MIN_PER_KM
            road_km[start : start + chunk] = np.where(np.isfinite(fastest), km, np.inf)
        road_min = road_min[inverse][:, inverse]
        road_km = road_km[inverse][:, inverse]
        speed = self.params.access_speed_kmh[mode]
        acc_min = snap_km / np.array([speed[p.terrain] for p in points]) * 60.0
        minutes = road_min + np.add.outer(acc_min, acc_min)
        km = road_km + np.add.outer(snap_km, snap_km)
        np.fill_diagonal(minutes, 0.0)
        np.fill_diagonal(km, 0.0)
        return minutes, km

    def land_path(self, a: Place, b: Place, mode: Mode) -> list[tuple[float, float]]:
        """The road polyline of the fastest route (snap legs as its first and last piece)."""
        g_min, _, _, _ = self._graph(mode)
        (na, nb), _ = self._snap([a, b], mode)
        _, pred = dijkstra(g_min, directed=False, indices=int(na), return_predecessors=True)
        chain = [int(nb)]
        while chain[-1] != na:
            if pred[chain[-1]] < 0:
                raise TravelError(f"no road from '{a.id}' to '{b.id}' in the OSM extract")
            chain.append(int(pred[chain[-1]]))
        chain.reverse()
        coords = [(float(x), float(y)) for x, y in self.network().node_lonlat[chain]]
        return [(a.lon, a.lat), *coords, (b.lon, b.lat)]


@dataclass(frozen=True)
class _Network:
    """Road nodes (lon, lat), edges as node index pairs with their class, edge km."""

    node_lonlat: np.ndarray
    edges: np.ndarray
    edge_class: np.ndarray
    edge_km: np.ndarray
    scale: np.ndarray
    """km per degree (lon, lat) at the network's mean latitude, for the snapping KD-tree."""

    @classmethod
    def build(cls, node_lonlat: np.ndarray, edges: np.ndarray, classes: list[str]) -> _Network:
        a, b = edges[:, 0], edges[:, 1]
        km = haversine_km(
            node_lonlat[a, 0], node_lonlat[a, 1], node_lonlat[b, 0], node_lonlat[b, 1]
        )
        lat0 = float(np.mean(node_lonlat[:, 1])) if len(node_lonlat) else 0.0
        scale = np.array([111.32 * np.cos(np.radians(lat0)), 110.57])
        return cls(node_lonlat, edges, np.asarray(classes, dtype=object), km, scale)


def _read_pbf(path: Path) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Nodes, edges and edge classes of every ``highway`` way of an extract (pyosmium)."""
    import osmium

    index: dict[int, int] = {}
    lonlat: list[tuple[float, float]] = []
    pairs: list[tuple[int, int]] = []
    classes: list[str] = []
    try:
        processor = (
            osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.KeyFilter("highway"))
        )
        for obj in processor:
            if not isinstance(obj, osmium.osm.Way):
                continue
            cls_name = str(obj.tags.get("highway", ""))
            refs: list[int] = []
            for node in obj.nodes:
                if not node.location.valid():
                    continue
                if node.ref not in index:
                    index[node.ref] = len(lonlat)
                    lonlat.append((node.lon, node.lat))
                refs.append(index[node.ref])
            for u, v in itertools.pairwise(refs):
                if u != v:
                    pairs.append((u, v))
                    classes.append(cls_name)
    except (RuntimeError, OSError, ValueError) as exc:
        raise TravelError(f"{path}: cannot read the OSM extract ({exc})") from None
    if not pairs:
        raise TravelError(f"{path}: no way with a highway tag and node locations found")
    return np.array(lonlat, dtype=np.float64), np.array(pairs, dtype=np.int64), classes


def _min_csr(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n: int) -> csr_matrix:
    """Sparse ``n x n`` graph keeping the smallest value of repeated edges.

    ``csr_matrix`` would add them up: two ways over the same pair of nodes would make one
    edge as slow as both together.
    """
    order = np.lexsort((values, cols, rows))
    rows, cols, values = rows[order], cols[order], values[order]
    first = np.ones(rows.size, dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    return csr_matrix((values[first], (rows[first], cols[first])), (n, n))


def _speed_tables(
    given: Mapping[str, float] | Mapping[Mode, Mapping[str, float]] | None,
) -> dict[Mode, dict[str, float]]:
    """Normalise the ``speeds_by_highway_class`` argument to a table per land mode."""
    tables = {m: dict(t) for m, t in DEFAULT_OSM_SPEEDS.items()}
    if given is None:
        return tables
    values = list(given.values())
    if values and all(isinstance(v, Mapping) for v in values):
        for mode, table in given.items():
            tables[Mode(mode)] = {str(k): float(v) for k, v in table.items()}  # type: ignore[union-attr]
        return tables
    flat = {str(k): float(v) for k, v in given.items()}  # type: ignore[arg-type]
    tables[Mode.mobil] = flat
    tables[Mode.motor] = flat
    return tables
