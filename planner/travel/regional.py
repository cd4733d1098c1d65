"""A region's places and ports as the travel model sees them, and its travel model.

The model follows ``region.toml`` ``[travel]`` (or :func:`with_travel` for one run): an OSM
extract (OSRM, or the scipy fallback), a user matrix, or the calibrated estimate.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from planner.core.errors import ConfigError, TravelError
from planner.domain.config.region import TravelConfig
from planner.io.region import Region
from planner.travel.estimate import EstimateTravelModel
from planner.travel.model import TravelModel
from planner.travel.osm import OsmTravelModel
from planner.travel.osrm_roads import OsrmTravelModel, osrm_version
from planner.travel.params import TravelParams
from planner.travel.parts import PART_TOLERANCE_M, RegionParts
from planner.travel.providers import MatrixTravelModel
from planner.travel.source import travel_source
from planner.travel.types import Place, Port, SeaLink, SeaNetwork, Terrain

CALIBRATED_PARAMS = "calibrated.toml"
"""Package file (``planner/travel/``) with the estimate's parameters fitted on observed trips."""

_PARTS: dict[int, tuple[Region, RegionParts]] = {}


def region_parts(region: Region) -> RegionParts:
    """The land parts of ``region`` (built once per loaded region)."""
    hit = _PARTS.get(id(region))
    if hit is not None and hit[0] is region:
        return hit[1]
    parts = RegionParts.build(
        region.villages, region.neighbours, region.config.province_codes, region.config.crs_metric
    )
    _PARTS[id(region)] = (region, parts)
    return parts


def site_places(sites: gpd.GeoDataFrame) -> list[Place]:
    """Travel-model places of the visit sites (terrain and land-part key included)."""
    return [
        Place(
            id=str(s.site_id),
            lon=float(s.lon),
            lat=float(s.lat),
            terrain=Terrain(str(s.terrain)),
            island=None if s.island is None or s.island != s.island else str(s.island),
        )
        for s in sites.itertuples()
    ]


def depot_places(region: Region, kinds: Sequence[str] | None = None) -> list[Place]:
    """Travel-model places of the region's depots (of the given kinds), in file order.

    Each depot stands on the land part under it (a kecamatan office on an island is on that
    island: its teams reach the island's villages by land and everything else by boat).
    """
    depots = region.depots
    if kinds is not None:
        depots = depots[depots["kind"].isin(list(kinds))]
    parts = region_parts(region)
    index = parts.index_at(depots["lon"].astype(float), depots["lat"].astype(float))
    return [
        Place(
            id=str(i),
            lon=float(x),
            lat=float(y),
            terrain=Terrain.kota,
            island=parts.keys[j] if j >= 0 else None,
        )
        for i, x, y, j in zip(depots["depot_id"], depots["lon"], depots["lat"], index, strict=True)
    ]


def region_ports(region: Region) -> list[Port]:
    """The region's ports: the land part each stands on, the parts it serves by boat.

    A port in the region stands on the part under it (within 1 km); a port outside the region
    (``in_region`` false) on a part of the region only if it lies within 1 km of one, else on
    a part of its own. ``serves_kode_desa`` names a village: the boat serves the part of that
    village which is not the port's own (its largest such piece). ``crossing_link`` names the
    ferry that boat out is (validated at load): it leaves at the ferry's departure when the
    ferry is timed and runs on the ferry's days when they are published (a ferry with
    unpublished days: the boat runs every day, as the row itself says one goes).
    """
    parts = region_parts(region)
    ferries = _ferries(region)
    ports: list[Port] = []
    for port_id, rows in region.ports.groupby("port_id", sort=True):
        first = rows.iloc[0]
        lon, lat = float(first["lon"]), float(first["lat"])
        j = int(parts.index_at([lon], [lat], PART_TOLERANCE_M)[0])
        island = parts.keys[j] if j >= 0 else f"port:{port_id}"
        serves: dict[str, float | None] = {}
        departs: dict[str, tuple[str, float]] = {}
        days: dict[str, frozenset[int]] = {}
        # a Region built by hand (not load_region) may lack the optional column
        tied = rows["crossing_link"] if "crossing_link" in rows else [""] * len(rows)
        for code, minutes, link_id in zip(
            rows["serves_kode_desa"], rows["crossing_minutes"], tied, strict=True
        ):
            if not (isinstance(code, str) and code):
                continue
            keys = [k for k in parts.village_keys(code) if k != island and k is not None]
            if not keys:
                continue
            serves[keys[0]] = None if pd.isna(minutes) else float(minutes)
            link = ferries.get(link_id) if link_id else None
            if link is None:
                continue
            departure, link_days = link
            if departure is not None:
                departs[keys[0]] = (link_id, departure)
            if link_days:
                days[keys[0]] = link_days
        ports.append(
            Port(str(port_id), str(first["port_name"]), lon, lat, serves, island, departs, days)
        )
    return ports


def _ferries(region: Region) -> dict[str, tuple[float | None, frozenset[int]]]:
    """Link id -> (departure minute or ``None``, published days) of every ferry."""
    links = region.sea_links
    return {
        str(row["link_id"]): (
            None if pd.isna(row["departure_minute"]) else float(row["departure_minute"]),
            frozenset(row["day_set"]),
        )
        for _, row in links.iterrows()
        if row["kind"] == "ferry"
    }


def sea_network(region: Region) -> SeaNetwork | None:
    """Ferries and charters of ``sea_links.csv`` with the ``[sea]`` terms (``None``: neither)."""
    sea = region.config.sea
    links = tuple(
        SeaLink(
            id=str(row["link_id"]),
            from_port=str(row["from_port"]),
            to_port=str(row["to_port"]),
            kind="ferry" if row["kind"] == "ferry" else "charter",
            days=frozenset(row["day_set"]),
            departure_minute=(
                None if pd.isna(row["departure_minute"]) else float(row["departure_minute"])
            ),
            minutes=None if pd.isna(row["minutes"]) else float(row["minutes"]),
            cost_idr=None if pd.isna(row["cost_idr"]) else float(row["cost_idr"]),
            cost_unit=str(row["cost_unit"]),
        )
        for _, row in region.sea_links.iterrows()
    )
    if not links and sea.charter_max_km <= 0:
        return None
    return SeaNetwork(
        links=links,
        charter_speed_kmh=sea.charter_speed_kmh,
        charter_max_km=sea.charter_max_km,
        charter_cost_per_hour_idr=sea.charter_cost_per_hour_idr,
        ferry_speed_kmh=sea.ferry_speed_kmh,
    )


def with_travel(
    region: Region,
    *,
    roads: Path | None = None,
    matrix: Path | None = None,
    engine: str | None = None,
) -> Region:
    """``region`` with its ``[travel]`` table replaced for one run (``--roads`` and friends).

    Paths given here are relative to the working folder; they are stored absolute.
    """
    if roads is None and matrix is None and engine is None:
        return region
    if roads is not None and matrix is not None:
        raise ConfigError("--roads and --travel-matrix exclude each other: give one")
    current = region.config.travel
    update: dict[str, Any] = {}
    if roads is not None or matrix is not None:
        update["roads"] = str(roads.resolve()) if roads is not None else None
        update["matrix"] = str(matrix.resolve()) if matrix is not None else None
    if engine is not None:
        if engine not in ("auto", "osrm", "scipy"):
            raise ConfigError(f"--road-engine: '{engine}' is not one of auto, osrm, scipy")
        update["engine"] = engine
    travel = TravelConfig.model_validate({**current.model_dump(), **update})
    return dataclasses.replace(region, config=region.config.model_copy(update={"travel": travel}))


def _region_file(region: Region, name: str) -> Path:
    path = Path(name).expanduser()
    return path if path.is_absolute() else region.root / path


def estimate_params(region: Region) -> TravelParams:
    """The estimate's parameters for ``region`` (``[travel] params`` and ``slack_pct``).

    Default: :class:`TravelParams` as documented; ``"calibrated"``: the package's fit on
    observed trips; a file name: that file's ``[params]`` table.
    """
    config = region.config.travel
    if config.params is None:
        params = TravelParams()
    else:
        if config.params == "calibrated":
            packaged = resources.files("planner.travel") / CALIBRATED_PARAMS
            source, text = f"planner/travel/{CALIBRATED_PARAMS}", packaged.read_text("utf-8")
        else:
            path = _region_file(region, config.params)
            if not path.is_file():
                raise ConfigError(f"{path}: travel parameters not found ([travel] params)")
            source, text = str(path), path.read_text(encoding="utf-8")
        try:
            params = TravelParams.model_validate(tomllib.loads(text).get("params", {}))
        except (tomllib.TOMLDecodeError, ValueError) as exc:
            raise ConfigError(f"{source}: invalid travel parameters ({exc})") from None
    if config.slack_pct is not None:
        params = params.model_copy(update={"slack_pct": float(config.slack_pct)})
    boarding = region.config.sea.boarding_minutes
    if boarding is not None:  # [sea] boarding_minutes: paid on every boat hop
        params = params.model_copy(update={"boarding_minutes": float(boarding)})
    return params


def travel_model_for(region: Region, *, cache: bool = True) -> TravelModel:
    """The travel model of a region, as its ``[travel]`` table says (default: the estimate).

    Roads: OSRM when ``osrm-bindings`` imports (``engine = "auto"`` or ``"osrm"``), else the
    scipy Dijkstra provider; never a silent switch to the estimate (a missing extract is an
    error). :func:`~planner.travel.source.travel_source` says which engine was used.
    """
    config = region.config.travel
    ports = region_ports(region)
    sea = sea_network(region)
    # roads and matrices still use the params for access legs and boats, without the reserve
    plain = estimate_params(region).model_copy(update={"slack_pct": 0.0})
    if config.roads:
        pbf = _region_file(region, config.roads)
        if not pbf.is_file():
            raise TravelError(f"{pbf}: OSM extract not found (--roads / [travel] roads)")
        if config.engine == "osrm" or (config.engine == "auto" and osrm_version() is not None):
            return OsrmTravelModel(pbf, params=plain, ports=ports, cache=cache, sea=sea)
        return OsmTravelModel.from_pbf(
            pbf, params=plain, ports=ports, cache=cache, sea=sea, lazy=True
        )
    if config.matrix:
        csv = _region_file(region, config.matrix)
        return MatrixTravelModel.from_csv(csv, params=plain, ports=ports, cache=cache, sea=sea)
    # the village polygons as they are: the travel grid rasterises them without a union
    land = list(region.villages.geometry.values)
    epsg = int(str(region.config.crs_metric).split(":")[-1])
    return EstimateTravelModel(
        estimate_params(region), ports=ports, land=land, crs_metric=epsg, cache=cache, sea=sea
    )


def describe_travel(model: TravelModel) -> str:
    """Short people-facing description of a travel model, quoted in reasons."""
    return travel_source(model).label
