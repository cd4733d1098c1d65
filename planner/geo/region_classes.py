"""Classify a region's villages, ``terpencil`` by its travel model; cached in memory and on disk."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np

from planner.geo.classify import (
    ClassifiedVillages,
    GeographyParams,
    IslandSite,
    classify_villages,
    mark_terpencil,
)
from planner.io.region import Region, depot_names
from planner.travel import Mode, TravelModel
from planner.travel.regional import depot_places, describe_travel, site_places, travel_model_for

TERPENCIL_MINUTES = 90.0
"""Default threshold of the ``terpencil`` class (minutes from the nearest regency office)."""


_CLASSIFIED: dict[str, ClassifiedVillages] = {}


CLASSIFY_CACHE_VERSION = "2"
"""Bump when the classification changes for the same inputs (invalidates disk caches)."""


def _classify_key(region: Region, terpencil_minutes: float) -> str:
    """Hash of everything the classification depends on: region files, parameters, code."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted(region.root.iterdir()):
        if path.is_file() and path.suffix in (".gpkg", ".csv", ".toml"):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    travel = travel_model_for(region, cache=False)
    h.update(repr(GeographyParams()).encode())
    h.update(f"{terpencil_minutes}|{travel.fingerprint()}|{travel.params!r}".encode())
    h.update(CLASSIFY_CACHE_VERSION.encode())
    return h.hexdigest()[:32]


def classify_region_cached(
    region: Region, terpencil_minutes: float = TERPENCIL_MINUTES
) -> ClassifiedVillages:
    """:func:`classify_region` with the default travel model, memoised in memory and on disk.

    The disk cache (``$JEMPUT_CACHE_DIR/classify`` or ``~/.cache/jemput-bola/classify``) is
    keyed by a hash of the region's files, the parameters and :data:`CLASSIFY_CACHE_VERSION`,
    so editing a region or upgrading the model recomputes it. A damaged file is recomputed.
    """
    import os
    import pickle

    key = _classify_key(region, terpencil_minutes)
    if key in _CLASSIFIED:
        return _CLASSIFIED[key]
    root = os.environ.get("JEMPUT_CACHE_DIR")
    folder = Path(root).expanduser() if root else Path.home() / ".cache" / "jemput-bola"
    path = folder / "classify" / f"{region.key}-{key}.pkl"
    classified: ClassifiedVillages | None = None
    if path.exists():
        try:
            with path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, ClassifiedVillages):
                classified = loaded
        except Exception:  # a damaged cache file is recomputed, never fatal
            classified = None
    if classified is None:
        classified = classify_region(region, terpencil_minutes=terpencil_minutes)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            staging = path.with_suffix(f".tmp{os.getpid()}")
            with staging.open("wb") as handle:
                pickle.dump(classified, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(staging, path)
        except OSError:
            pass  # a read-only cache folder only costs time
    _CLASSIFIED[key] = classified
    return classified


def office_points(region: Region) -> dict[str, tuple[float, float]]:
    """Per regency code, ``(lon, lat)`` of its Disdukcapil office (first ``dinas`` depot)."""
    out: dict[str, tuple[float, float]] = {}
    dinas = region.depots[region.depots["kind"] == "dinas"]
    for kab, lon, lat in zip(dinas["kode_kab"], dinas["lon"], dinas["lat"], strict=True):
        out.setdefault(str(kab), (float(lon), float(lat)))
    return out


def classify_region(
    region: Region,
    *,
    travel: TravelModel | None = None,
    terpencil_minutes: float = TERPENCIL_MINUTES,
    params: GeographyParams | None = None,
) -> ClassifiedVillages:
    """Classify every village of ``region``, with ``terpencil`` from the travel model.

    ``terpencil`` = the minutes by car (and boat from a port, for islands) from the nearest
    regency Disdukcapil office exceed ``terpencil_minutes``.
    """
    config = region.config
    island_sites: dict[str, list[IslandSite]] = {}
    for site in config.island_sites:
        island_sites.setdefault(site.kode_desa, []).append(
            IslandSite(site.kode_desa, site.island, site.population_share, site.source)
        )
    classified = classify_villages(
        region.villages,
        region.neighbours,
        region.islands,
        crs_metric=config.crs_metric,
        province_codes=config.province_codes,
        island_sites=island_sites,
        hutan_villages=[v.kode for v in config.terrain.hutan_villages],
        hutan_kecamatan=[k.kode for k in config.terrain.hutan_kecamatan],
        office_points=office_points(region),
        params=params,
    )
    travel = travel or travel_model_for(region)
    depots = depot_places(region, kinds=("dinas",))
    names = depot_names(region)

    def minutes_to_nearest(sites: gpd.GeoDataFrame) -> tuple[np.ndarray, list[str]]:
        places = site_places(sites)
        matrix = travel.matrix([*depots, *places], Mode.mobil, boat=True)
        from_depots = matrix.minutes[: len(depots), len(depots) :]
        nearest = from_depots.argmin(axis=0)
        minutes = from_depots[nearest, np.arange(len(places))]
        return minutes, [names[depots[j].id] for j in nearest]

    return mark_terpencil(
        classified, minutes_to_nearest, terpencil_minutes, method=describe_travel(travel)
    )
