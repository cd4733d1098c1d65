"""Default provider: great-circle (or over-land) distance x circuity / speed, plus access legs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from planner.travel.cache import TravelCache, places_digest
from planner.travel.geodesic import pairwise_haversine_km
from planner.travel.landgrid import LandGrid, LandInput, land_digest
from planner.travel.model import TravelModel
from planner.travel.params import TravelParams
from planner.travel.types import Mode, Place, Port, SeaNetwork


class EstimateTravelModel(TravelModel):
    """Travel estimate from coordinates alone, vectorised with NumPy.

    For two different places on the same land part::

        km(a, b)      = access_km(a) + access_km(b) + base_km(a, b) * circuity(mode)
        minutes(a, b) = access_min(a, mode) + access_min(b, mode)
                        + base_km(a, b) * circuity(mode) / trunk_speed(mode) * 60

    and 0 on the diagonal. ``base_km`` is the great-circle distance, or, when ``land`` is
    given, ``max(great-circle, over-land grid distance)`` (see :mod:`~planner.travel.landgrid`)
    so that a pair across a bay drives round it. Both terms are metrics and the maximum of two
    metrics is a metric, and adding a per-place access term keeps the triangle inequality, so
    the estimate satisfies it exactly. It is symmetric.

    Parameters
    ----------
    params
        Speeds, circuity, access legs, boarding minutes.
    ports
        Ports serving islands.
    land
        Land (EPSG:4326): the region's village polygons (a GeoSeries / list, no union needed)
        or one (Multi)Polygon; ``None`` uses straight lines. Only mainland places
        (``island is None``) use the land grid.
    crs_metric
        Metric CRS (EPSG) of the land grid; default the UTM zone of the land.
    cache
        Disk cache (see :class:`~planner.travel.TravelModel`).
    sea
        Ferries and charters between ports (see :mod:`planner.travel.sea`).

    Examples
    --------
    >>> from planner.travel import Place, Mode
    >>> model = EstimateTravelModel()
    >>> m = model.matrix([Place("a", 106.15, -6.12), Place("b", 106.10, -6.31)], Mode.mobil)
    >>> bool(40 < m.minutes[0, 1] < 60)
    True
    """

    version = "1"

    def __init__(
        self,
        params: TravelParams | None = None,
        ports: Sequence[Port] = (),
        land: LandInput | None = None,
        *,
        crs_metric: int | None = None,
        cache: TravelCache | bool | None = None,
        sea: SeaNetwork | None = None,
    ) -> None:
        super().__init__(params, ports, cache=cache, sea=sea)
        self.land = land
        self.crs_metric = crs_metric
        self._land_hash = land_digest(land) if land is not None else "no-land"
        self._grid: LandGrid | None = None
        self._geodesic_memo: tuple[str, np.ndarray] | None = None

    def fingerprint(self) -> str:
        """Land geometry (WKB hash) and grid CRS."""
        return f"{self._land_hash}:{self.crs_metric}"

    @property
    def grid(self) -> LandGrid | None:
        """The land raster, built on first use (``None`` without ``land``)."""
        if self.land is not None and self._grid is None:
            self._grid = LandGrid(self.land, self.params.detour_grid_km, self.crs_metric)
        return self._grid

    def base_km(self, points: Sequence[Place]) -> np.ndarray:
        """Straight-line or over-land distance (whichever is longer) before circuity."""
        hav = pairwise_haversine_km(points)
        grid = self.grid
        if grid is None:
            return hav
        mainland = np.flatnonzero([p.island is None for p in points])
        if mainland.size < 2:
            return hav
        main_points = [points[int(i)] for i in mainland]
        key = places_digest(main_points)
        if self._geodesic_memo is not None and self._geodesic_memo[0] == key:
            geo = self._geodesic_memo[1]
        else:
            geo = grid.geodesic_km([p.lon for p in main_points], [p.lat for p in main_points])
            self._geodesic_memo = (key, geo)
        sub = hav[np.ix_(mainland, mainland)]
        hav[np.ix_(mainland, mainland)] = np.maximum(sub, geo)
        return hav

    def access(self, points: Sequence[Place], mode: Mode) -> tuple[np.ndarray, np.ndarray]:
        """Access leg of each place: minutes and km off the trunk road."""
        km = np.array([self.params.access_km[p.terrain] for p in points], dtype=np.float64)
        speed = self.params.access_speed_kmh[mode]
        kmh = np.array([speed[p.terrain] for p in points], dtype=np.float64)
        return km / kmh * 60.0, km

    def land_legs(self, points: Sequence[Place], mode: Mode) -> tuple[np.ndarray, np.ndarray]:
        """Estimate land minutes and km (see the class docstring)."""
        trunk_km = self.base_km(points)
        trunk_km *= self.params.circuity[mode]
        acc_min, acc_km = self.access(points, mode)
        minutes = trunk_km * (60.0 / self.params.trunk_speed_kmh[mode])
        # a_i + a_j is commutative, so adding the pair sum keeps the matrix exactly symmetric
        minutes += np.add.outer(acc_min, acc_min)
        if self.params.slack_pct:  # the planning reserve (see TravelParams.slack_pct)
            minutes *= 1.0 + self.params.slack_pct / 100.0
        km = trunk_km
        km += np.add.outer(acc_km, acc_km)
        np.fill_diagonal(minutes, 0.0)
        np.fill_diagonal(km, 0.0)
        return minutes, km

    def land_path(self, a: Place, b: Place, mode: Mode) -> list[tuple[float, float]]:
        """Straight line, or the over-land grid path when it is longer (a bay in the way)."""
        straight = [(a.lon, a.lat), (b.lon, b.lat)]
        grid = self.grid
        if grid is None or a.island is not None or b.island is not None:
            return straight
        base = self.base_km([a, b])[0, 1]
        hav = pairwise_haversine_km([a, b])[0, 1]
        if base <= hav:
            return straight
        return grid.path_lonlat((a.lon, a.lat), (b.lon, b.lat))
