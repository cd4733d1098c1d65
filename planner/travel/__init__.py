"""Travel time and distance: the single source for classification, routing, schedule, maps.

Public API
----------
- :class:`Mode`, :class:`Terrain`, :class:`Place`, :class:`Port`, :class:`LegSegment`,
  :class:`TravelMatrix` — plain data;
- :class:`TravelParams` — speeds, circuity, access legs, boarding (pydantic, with sources);
- :class:`TravelModel` — the provider interface (``matrix``, ``leg_geometry``);
- providers :class:`EstimateTravelModel` (default), :class:`MatrixTravelModel` (CSV),
  :class:`OsrmTravelModel` (``.osm.pbf`` through OSRM), :class:`OsmTravelModel` (``.osm.pbf``,
  scipy Dijkstra: the fallback where OSRM cannot be installed);
- :class:`TravelSource` / :func:`travel_source` — which model made the minutes;
- :class:`TravelCache` — ``.npz`` disk cache; :func:`nearest_minutes` — nearest target.
"""

from planner.travel.cache import CACHE_ENV, TravelCache, default_cache_dir
from planner.travel.estimate import EstimateTravelModel
from planner.travel.geodesic import haversine_km
from planner.travel.model import TravelModel, nearest_minutes
from planner.travel.osm import OsmTravelModel
from planner.travel.osrm_roads import OsrmTravelModel
from planner.travel.params import TravelParams
from planner.travel.providers import MatrixTravelModel
from planner.travel.source import TravelSource, travel_source
from planner.travel.types import (
    LegSegment,
    Mode,
    Place,
    Port,
    Terrain,
    TravelMatrix,
    terrain_from_code,
)

__all__ = [
    "CACHE_ENV",
    "EstimateTravelModel",
    "LegSegment",
    "MatrixTravelModel",
    "Mode",
    "OsmTravelModel",
    "OsrmTravelModel",
    "Place",
    "Port",
    "Terrain",
    "TravelCache",
    "TravelMatrix",
    "TravelModel",
    "TravelParams",
    "TravelSource",
    "default_cache_dir",
    "haversine_km",
    "nearest_minutes",
    "terrain_from_code",
    "travel_source",
]
