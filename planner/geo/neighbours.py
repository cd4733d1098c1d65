"""Which regencies of a region touch: the neighbours a team may help when the policy allows it.

Two regencies are neighbours when a village of one lies within ``distance_m`` of a village of
the other (the same tolerance as the ``perbatasan_kab`` class: boundaries of neighbouring
villages do not meet exactly in the source polygons).
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import shapely

from planner.domain.config import TeamsConfig

REGENCY_TOUCH_M = 20.0
"""Distance (metres) within which two villages of different regencies make them neighbours;
the ``perbatasan_kab`` tolerance (:class:`planner.geo.classify.GeographyParams`)."""


def regency_neighbours(
    villages: gpd.GeoDataFrame, crs_metric: str, distance_m: float = REGENCY_TOUCH_M
) -> dict[str, frozenset[str]]:
    """Neighbouring regencies (``kode_kab``) of every regency of ``villages``.

    Parameters
    ----------
    villages
        Village polygons with a ``kode_kab`` column (any CRS).
    crs_metric
        A metric CRS of the region (``region.toml`` ``crs_metric``).
    distance_m
        Tolerance between village polygons.

    Returns
    -------
    dict
        Regency code → the codes of the other regencies it touches (empty when none).
    """
    metric = villages.to_crs(crs_metric).reset_index(drop=True)
    kab = metric["kode_kab"].astype(str).to_numpy()
    out: dict[str, set[str]] = {str(k): set() for k in set(kab)}
    tree = shapely.STRtree(metric.geometry.values)
    a, b = tree.query(metric.geometry.values, predicate="dwithin", distance=distance_m)
    for ai, bi in zip(a, b, strict=True):
        if kab[ai] != kab[bi]:
            out[str(kab[ai])].add(str(kab[bi]))
    return {k: frozenset(v) for k, v in out.items()}


def teams_with_neighbours(
    teams: TeamsConfig, neighbours: Mapping[str, frozenset[str]]
) -> TeamsConfig:
    """The teams, each also covering the regencies that touch one of its own."""
    helped = []
    for team in teams.teams:
        own = set(team.regencies)
        extra = set().union(*(neighbours.get(k, frozenset()) for k in own)) - own
        helped.append(team.model_copy(update={"regencies": [*team.regencies, *sorted(extra)]}))
    return teams.model_copy(update={"teams": helped})
