"""``routes.gpx`` (for drivers' GPS apps) and ``routes.geojson`` (for GIS) of a planned week.

GPX: one track per team-day with stops (named ``"<team> — Senin 13/11"``), drawn along the
legs of the travel model, and one waypoint per stop in visit order (``"Sen 13/11 #1 Desa X"``).
GeoJSON: one LineString per team-day and one Point per stop, with properties. Neither holds
personal data: only villages, teams, times and expected counts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import gpxpy.gpx

from planner.present.routes import SHORT_HARI, TeamDayRoute


def route_coords(route: TeamDayRoute) -> list[tuple[float, float]]:
    """The day's path as one ``(lon, lat)`` list (joins between legs not repeated)."""
    coords: list[tuple[float, float]] = []
    for seg in route.segments:
        for point in seg.coords:
            if not coords or coords[-1] != point:
                coords.append(point)
    if len(coords) < 2:
        coords = [(route.depot_lon, route.depot_lat), *((s.lon, s.lat) for s in route.stops)]
        coords.append((route.end_lon, route.end_lat))
    return coords


def waypoint_name(route: TeamDayRoute, order: int, desa: str) -> str:
    """``"Sen 13/11 #1 Desa X"``."""
    day = f"{SHORT_HARI.get(route.hari, route.hari)} {route.day.day:02d}/{route.day.month:02d}"
    return f"{day} #{order} {desa}"


def routes_gpx(routes: Sequence[TeamDayRoute], meta: Mapping[str, object]) -> str:
    """The GPX 1.1 document of ``routes``."""
    doc = gpxpy.gpx.GPX()
    doc.creator = "jemput-bola"
    doc.name = f"Rute jemput bola {meta.get('region_name', '')}, minggu {meta.get('week_start')}"
    if meta.get("is_estimate"):
        doc.description = "Perkiraan perekaman dari data ESTIMASI (bukan data resmi per desa)."
    for route in routes:
        track = gpxpy.gpx.GPXTrack(name=route.label)
        track.description = (
            f"Berangkat {route.depart} dari {route.depot_name}, tiba {route.back} di "
            f"{route.end_name}; {len(route.stops)} lokasi; "
            f"{route.km:.1f} km"
            + (f"; di perahu {route.boat_minutes:.0f} menit" if route.boat_minutes else "")
        )
        segment = gpxpy.gpx.GPXTrackSegment()
        for lon, lat in route_coords(route):
            segment.points.append(gpxpy.gpx.GPXTrackPoint(latitude=lat, longitude=lon))
        track.segments.append(segment)
        doc.tracks.append(track)
        for stop in route.stops:
            waypoint = gpxpy.gpx.GPXWaypoint(
                latitude=stop.lat,
                longitude=stop.lon,
                name=waypoint_name(route, stop.order, stop.desa),
                description=(
                    f"{route.team_name}: Kec. {stop.kecamatan}, tiba {stop.arrival}, rekam "
                    f"{stop.start}-{stop.end}, perkiraan {stop.expected_recordings} orang"
                ),
            )
            waypoint.type = "Kunjungan"
            doc.waypoints.append(waypoint)
    return doc.to_xml(version="1.1")


def routes_geojson(routes: Sequence[TeamDayRoute], meta: Mapping[str, object]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: a LineString per team-day, a Point per stop."""
    common = {"is_estimate": bool(meta.get("is_estimate")), "week_start": meta.get("week_start")}
    features: list[dict[str, Any]] = []
    for route in routes:
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[round(x, 6), round(y, 6)] for x, y in route_coords(route)],
                },
                "properties": {
                    "feature": "rute",
                    "name": route.label,
                    "team_id": route.team_id,
                    "team_name": route.team_name,
                    "date": route.day.isoformat(),
                    "hari": route.hari,
                    "depot_id": route.depot_id,
                    "end_id": route.end_id,
                    "depart": route.depart,
                    "return": route.back,
                    "stops": len(route.stops),
                    "km": route.km,
                    "boat_minutes": route.boat_minutes,
                    "sea_crossing": route.has_boat,
                    **common,
                },
            }
        )
        for stop in route.stops:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [round(stop.lon, 6), round(stop.lat, 6)],
                    },
                    "properties": {
                        "feature": "kunjungan",
                        "name": waypoint_name(route, stop.order, stop.desa),
                        "team_id": route.team_id,
                        "date": route.day.isoformat(),
                        "hari": route.hari,
                        "order": stop.order,
                        "site_id": stop.site_id,
                        "kode_desa": stop.kode_desa,
                        "desa": stop.desa,
                        "kecamatan": stop.kecamatan,
                        "kabupaten": stop.kabupaten,
                        "arrival": stop.arrival,
                        "start": stop.start,
                        "end": stop.end,
                        "expected_recordings": stop.expected_recordings,
                        **common,
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


def write_routes_gpx(
    routes: Sequence[TeamDayRoute], meta: Mapping[str, object], path: Path
) -> Path:
    """Write ``routes.gpx``."""
    path.write_text(routes_gpx(routes, meta), encoding="utf-8")
    return path


def write_routes_geojson(
    routes: Sequence[TeamDayRoute], meta: Mapping[str, object], path: Path
) -> Path:
    """Write ``routes.geojson`` (UTF-8, EPSG:4326 lon/lat)."""
    text = json.dumps(routes_geojson(routes, meta), ensure_ascii=False, indent=None)
    path.write_text(text + "\n", encoding="utf-8")
    return path
