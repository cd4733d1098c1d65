"""A region's places and ports as the travel model sees them, and its default travel model."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from planner.io.region import Region
from planner.travel import EstimateTravelModel, Place, Port, Terrain, TravelModel, TravelParams
from planner.travel.parts import PART_TOLERANCE_M, RegionParts
from planner.travel.types import SeaLink, SeaNetwork

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
    village which is not the port's own (its largest such piece).
    """
    parts = region_parts(region)
    ports: list[Port] = []
    for port_id, rows in region.ports.groupby("port_id", sort=True):
        first = rows.iloc[0]
        lon, lat = float(first["lon"]), float(first["lat"])
        j = int(parts.index_at([lon], [lat], PART_TOLERANCE_M)[0])
        island = parts.keys[j] if j >= 0 else f"port:{port_id}"
        serves: dict[str, float | None] = {}
        for code, minutes in zip(rows["serves_kode_desa"], rows["crossing_minutes"], strict=True):
            if not (isinstance(code, str) and code):
                continue
            keys = [k for k in parts.village_keys(code) if k != island and k is not None]
            if keys:
                serves[keys[0]] = None if pd.isna(minutes) else float(minutes)
        ports.append(Port(str(port_id), str(first["port_name"]), lon, lat, serves, island))
    return ports


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
    )


def travel_model_for(region: Region, *, cache: bool = True) -> EstimateTravelModel:
    """The default travel model of a region: the estimate, with its ports, sea links, land."""
    # the village polygons as they are: the travel grid rasterises them without a union
    land = list(region.villages.geometry.values)
    epsg = int(str(region.config.crs_metric).split(":")[-1])
    boarding = region.config.sea.boarding_minutes
    params = TravelParams() if boarding is None else TravelParams(boarding_minutes=boarding)
    return EstimateTravelModel(
        params=params,
        ports=region_ports(region),
        land=land,
        crs_metric=epsg,
        cache=cache,
        sea=sea_network(region),
    )


def describe_travel(model: TravelModel) -> str:
    """Short people-facing description of a travel model, quoted in reasons."""
    if isinstance(model, EstimateTravelModel):
        return "estimasi jarak garis lurus × faktor jalan, mobil; laut lewat pelabuhan"
    return type(model).__name__
