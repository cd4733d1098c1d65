"""Land parts of a region: every connected piece of its land, none of them privileged.

A region is a set of land parts (the union of its village polygons, split where the sea
separates them). Travel joins two places by land only when they stand on the same part; any
other pair goes through ports by boat (:mod:`planner.travel.sea`). Depots, bases, ports and
visit sites may stand on any part.

Part keys (the ``island`` of a :class:`~planner.travel.types.Place`):

* ``None`` for a *continental* part: one within ``continental_tolerance_m`` of a regency of
  another province (Java in Banten, Sumatra in Sarolangun). Such parts run on by road outside
  the region, so they are one land mass; a region of islands alone (Kepulauan Anambas) has none;
* otherwise the smallest code among the villages whose largest piece lies on the part (stable
  across runs and readable: a single-village island is keyed by that village's code, which is
  what ``ports.csv`` ``serves_kode_desa`` names); a part holding only minor pieces of villages
  (the island part of a village whose main land is elsewhere) takes the smallest of their
  codes, or ``<code>~<index>`` when another part already has that key;
* ``port:<port_id>`` for a port outside the region that lies on no region part (a harbour in a
  neighbouring regency, reached only by sea).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

LAND_CLOSING_M = 25.0
"""Closing (buffer out, then in) of the village union so sliver gaps do not split land."""

CONTINENTAL_TOLERANCE_M = 300.0
"""A part this close to another province's regency polygon is continental (file simplified at
100 m)."""

PART_TOLERANCE_M = 1000.0
"""A point (depot, port) belongs to the nearest part within this distance."""


def geometry_parts(geom: BaseGeometry) -> list[BaseGeometry]:
    """The polygons of a (multi)polygon."""
    return list(getattr(geom, "geoms", [geom]))


def land_parts(villages_m: gpd.GeoSeries, closing_m: float = LAND_CLOSING_M) -> list[BaseGeometry]:
    """Connected land parts of the union of village polygons, largest first.

    Parameters
    ----------
    villages_m
        Village polygons in a metric CRS.
    closing_m
        Closing distance that removes the sliver gaps between neighbouring polygons.
    """
    grown = shapely.buffer(villages_m.values, closing_m, quad_segs=2)
    land = shapely.buffer(shapely.union_all(grown), -closing_m, quad_segs=2)
    return sorted(geometry_parts(land), key=lambda g: -g.area)


@dataclass(frozen=True, eq=False)
class RegionParts:
    """The land parts of a region with their keys (see the module docstring).

    Attributes
    ----------
    geoms
        Part polygons in ``crs_metric``, largest first.
    keys
        Key of each part (``None`` = continental).
    continental
        Whether each part is continental.
    village_parts
        Per village code, the part indices its pieces lie on, largest piece first.
    crs_metric
        The metric CRS of ``geoms``.
    """

    geoms: tuple[BaseGeometry, ...]
    keys: tuple[str | None, ...]
    continental: tuple[bool, ...]
    village_parts: Mapping[str, tuple[int, ...]]
    crs_metric: str

    @classmethod
    def build(
        cls,
        villages: gpd.GeoDataFrame,
        neighbours: gpd.GeoDataFrame,
        province_codes: Sequence[str],
        crs_metric: str,
        *,
        closing_m: float = LAND_CLOSING_M,
        continental_tolerance_m: float = CONTINENTAL_TOLERANCE_M,
    ) -> RegionParts:
        """Split a region's land into parts and key them.

        Parameters
        ----------
        villages
            Village polygons (any CRS) with a ``kode`` column.
        neighbours
            Regency polygons outside the region with ``kode_prov``.
        province_codes
            The region's provinces: a regency of another province makes a part continental.
        crs_metric
            Metric CRS of the region.
        """
        vm = villages.to_crs(crs_metric).reset_index(drop=True)
        parts = land_parts(vm.geometry, closing_m)
        arr = np.array(parts, dtype=object)
        continental = np.zeros(len(parts), dtype=bool)
        if len(neighbours):
            nb = neighbours.to_crs(crs_metric)
            other = nb[~nb["kode_prov"].astype(str).isin(list(province_codes))]
            if len(other):
                tree = shapely.STRtree(other.geometry.values)
                idx, _ = tree.query(arr, predicate="dwithin", distance=continental_tolerance_m)
                continental[np.unique(idx)] = True
        tree = shapely.STRtree(arr)
        village_parts: dict[str, tuple[int, ...]] = {}
        members: dict[int, list[str]] = {}
        primary: dict[int, list[str]] = {}
        for kode, geom in zip(vm["kode"].astype(str), vm.geometry.values, strict=True):
            pieces: dict[int, float] = {}
            for piece in geometry_parts(geom):
                cand = tree.query(piece, predicate="intersects")
                if len(cand) == 0:  # a sliver lost in the closing: the nearest part
                    cand = np.array([tree.nearest(piece)])
                best = int(
                    cand[0]
                    if len(cand) == 1
                    else max(cand, key=lambda j: shapely.area(shapely.intersection(arr[j], piece)))
                )
                pieces[best] = pieces.get(best, 0.0) + piece.area
            order = tuple(sorted(pieces, key=lambda j: -pieces[j]))
            village_parts[kode] = order
            primary.setdefault(order[0], []).append(kode)
            for j in order:
                members.setdefault(j, []).append(kode)
        keys: list[str | None] = [
            None if continental[j] else (min(primary[j]) if j in primary else None)
            for j in range(len(parts))
        ]
        taken = {k for k in keys if k is not None}
        for j in range(len(parts)):
            if continental[j] or j in primary:
                continue
            # a part holding only minor pieces (an islet of a village whose main land is
            # elsewhere): the smallest such village's code, unless another part has it
            name = min(members[j]) if j in members else f"part{j}"
            keys[j] = name if name not in taken else f"{name}~{j}"
            taken.add(str(keys[j]))
        return cls(
            geoms=tuple(parts),
            keys=tuple(keys),
            continental=tuple(bool(c) for c in continental),
            village_parts=village_parts,
            crs_metric=crs_metric,
        )

    def index_at(
        self, lon: Iterable[float], lat: Iterable[float], tolerance_m: float = PART_TOLERANCE_M
    ) -> np.ndarray:
        """Index of the part under (or within ``tolerance_m`` of) each point, ``-1`` if none."""
        pts = gpd.GeoSeries(gpd.points_from_xy(list(lon), list(lat)), crs="EPSG:4326")
        pts_m = pts.to_crs(self.crs_metric).values
        out = np.full(len(pts_m), -1, dtype=np.int64)
        if not self.geoms or not len(pts_m):
            return out
        tree = shapely.STRtree(np.array(self.geoms, dtype=object))
        p_idx, g_idx = tree.query_nearest(pts_m, max_distance=tolerance_m, all_matches=False)
        out[p_idx] = g_idx
        return out

    def key_at(
        self, lon: float, lat: float, tolerance_m: float = PART_TOLERANCE_M
    ) -> tuple[bool, str | None]:
        """``(found, key)`` of the part at one point (``found`` False: on no part)."""
        j = int(self.index_at([lon], [lat], tolerance_m)[0])
        return (j >= 0, self.keys[j] if j >= 0 else None)

    def village_keys(self, kode: str) -> tuple[str | None, ...]:
        """Keys of the parts a village lies on, largest piece first (empty if unknown)."""
        return tuple(self.keys[j] for j in self.village_parts.get(kode, ()))
