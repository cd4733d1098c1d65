"""A region's places and ports as the travel model sees them, and its default travel model."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from planner.io.region import Region
from planner.travel import EstimateTravelModel, Place, Port, Terrain, TravelModel


def site_places(sites: gpd.GeoDataFrame) -> list[Place]:
    """Travel-model places of the visit sites (terrain and island key included)."""
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
    """Travel-model places of the region's depots (of the given kinds), in file order."""
    depots = region.depots
    if kinds is not None:
        depots = depots[depots["kind"].isin(list(kinds))]
    return [
        Place(id=str(i), lon=float(x), lat=float(y), terrain=Terrain.kota)
        for i, x, y in zip(depots["depot_id"], depots["lon"], depots["lat"], strict=True)
    ]


def region_ports(region: Region) -> list[Port]:
    """The region's ports with the island villages each serves and the crossing minutes."""
    ports: list[Port] = []
    for port_id, rows in region.ports.groupby("port_id", sort=True):
        first = rows.iloc[0]
        serves: dict[str, float | None] = {}
        for code, minutes in zip(rows["serves_kode_desa"], rows["crossing_minutes"], strict=True):
            if isinstance(code, str) and code:
                serves[code] = None if pd.isna(minutes) else float(minutes)
        ports.append(
            Port(
                str(port_id),
                str(first["port_name"]),
                float(first["lon"]),
                float(first["lat"]),
                serves,
            )
        )
    return ports


def travel_model_for(region: Region, *, cache: bool = True) -> EstimateTravelModel:
    """The default travel model of a region: the estimate, with its ports and its land."""
    # the village polygons as they are: the travel grid rasterises them without a union
    land = list(region.villages.geometry.values)
    epsg = int(str(region.config.crs_metric).split(":")[-1])
    return EstimateTravelModel(ports=region_ports(region), land=land, crs_metric=epsg, cache=cache)


def describe_travel(model: TravelModel) -> str:
    """Short people-facing description of a travel model, quoted in reasons."""
    if isinstance(model, EstimateTravelModel):
        return "estimasi jarak garis lurus × faktor jalan, mobil; laut lewat pelabuhan"
    return type(model).__name__
