"""Team-day routes of a plan as plain data: stops in order and the drawable legs between them.

Maps (:mod:`planner.present.maps.plan_map`), GPX and GeoJSON
(:mod:`planner.present.reports.gpx`) and the
printable pages all draw the same thing, so it is built once here. Leg shapes come from the
plan's travel model (:meth:`planner.travel.TravelModel.leg_geometry`): road pieces, and sea
pieces through the port for island trips.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from planner.core.errors import TravelError
from planner.domain.config import Team
from planner.domain.workdays import nama_hari
from planner.io.region import Region, depot_names
from planner.travel import Mode, Place, TravelModel
from planner.travel.regional import depot_places, travel_model_for
from planner.week.groups import site_place
from planner.week.types import WeekPlan

SHORT_HARI: dict[str, str] = {
    "Senin": "Sen",
    "Selasa": "Sel",
    "Rabu": "Rab",
    "Kamis": "Kam",
    "Jumat": "Jum",
    "Sabtu": "Sab",
    "Minggu": "Min",
}
"""Three-letter Indonesian weekday abbreviations."""


def port_words(ports: object) -> str:
    """``"Pelabuhan Grenyang"`` or ``"pelabuhan Karangantu → Pulau Tunda"``: a port leg named
    once, never "pelabuhan Pelabuhan …" (port names often start with the word)."""
    text = str(ports or "").strip()
    if not text or text.lower().startswith(("pelabuhan", "dermaga")):
        return text
    return f"pelabuhan {text}"


def home_depots(routes: Sequence[TeamDayRoute], meta: Mapping[str, object]) -> dict[str, str]:
    """Each team's home depot: ``team_settings`` of the plan, else where its first day starts."""
    settings = meta.get("team_settings")
    homes: dict[str, str] = {}
    for route in sorted(routes, key=lambda r: r.day):
        mine = settings.get(route.team_id) if isinstance(settings, Mapping) else None
        depot = mine.get("depot") if isinstance(mine, Mapping) else None
        homes.setdefault(route.team_id, str(depot) if depot else route.depot_id)
    return homes


def night_away(route: TeamDayRoute, homes: Mapping[str, str]) -> str:
    """Where the team sleeps after ``route`` when that is not its home depot (else ``""``):
    the base of an overnight stay or of a multi-day boat trip."""
    return route.end_name if route.end_id != homes.get(route.team_id, route.end_id) else ""


def ferry_words(departure: object, port: object) -> str:
    """``"kapal berangkat 09:00 dari Pelabuhan Dungkek"`` for a timed ferry, else ``""``."""
    departs = str(departure or "").strip()
    if not departs:
        return ""
    where = port_words(port)
    return f"kapal berangkat {departs}" + (f" dari {where}" if where else "")


def arrival_words(stop: Stop, night: str) -> str:
    """How the team reaches a village and where it sleeps, for the village's announcement:
    ``"datang dengan perahu lewat Pelabuhan X (kapal berangkat 09:00 dari Pelabuhan X); tim
    bermalam di Kantor Camat Y"``."""
    words = []
    if "perahu" in stop.mode:
        port = port_words(stop.ports)
        text = f"datang dengan perahu lewat {port}" if port else "datang dengan perahu"
        ferry = ferry_words(stop.ferry_departure, stop.ferry_port)
        words.append(f"{text} ({ferry})" if ferry else text)
    if night:
        words.append(f"tim bermalam di {night}")
    return "; ".join(words)


@dataclass(frozen=True)
class Stop:
    """One stop of a team-day, in people's terms (no personal data)."""

    order: int
    site_id: str
    kode_desa: str
    desa: str
    kode_kec: str
    kecamatan: str
    kabupaten: str
    classes: str
    island_name: str
    arrival: str
    start: str
    end: str
    expected_recordings: int
    part: str
    lon: float
    lat: float
    mode: str = ""
    """How the leg to this stop is travelled (``motor``, ``motor+perahu``, ``perahu``...)."""
    ports: str = ""
    """First and last port of that leg when it crosses by boat (``A → B``), else empty."""
    ferry_departure: str = ""
    """Departure (``HH:MM``) of the timed ferry that leg catches, else empty."""
    ferry_port: str = ""
    """The port that ferry leaves from, else empty."""


@dataclass(frozen=True)
class Segment:
    """A drawable piece of a leg: ``coords`` are ``(lon, lat)``; ``kind`` road, sea or walk."""

    coords: tuple[tuple[float, float], ...]
    kind: str


@dataclass(frozen=True)
class TeamDayRoute:
    """One team on one day: where it starts (``depot_*``: the depot, or its overnight base),
    stops in visit order, where it ends (``end_*``) and the legs drawn between them."""

    team_id: str
    team_name: str
    day: date
    depot_id: str
    depot_name: str
    depot_lon: float
    depot_lat: float
    end_id: str
    end_name: str
    end_lon: float
    end_lat: float
    depart: str
    back: str
    km: float
    boat_minutes: float
    stops: tuple[Stop, ...]
    segments: tuple[Segment, ...]

    @property
    def hari(self) -> str:
        """Indonesian weekday name (``"Senin"``)."""
        return nama_hari(self.day)

    @property
    def label(self) -> str:
        """People-facing name of the team-day, e.g. ``"Tim X — Senin 13/11"``."""
        return f"{self.team_name} — {self.hari} {self.day.day:02d}/{self.day.month:02d}"

    @property
    def has_boat(self) -> bool:
        """Whether the day includes a sea crossing."""
        return self.boat_minutes > 0 or any(s.kind == "sea" for s in self.segments)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _leg_segments(travel: TravelModel, a: Place, b: Place, mode: Mode, boat: bool) -> list[Segment]:
    """Drawable pieces of one leg; a straight line if the model cannot draw it (a dashed sea
    line when the two places stand on different land parts)."""
    try:
        legs = travel.leg_geometry(a, b, mode, boat=boat)
    except TravelError:
        legs = []
    if not legs:
        # never a road line over the sea: a leg between land parts is drawn as a crossing
        kind = "sea" if a.island != b.island or mode == Mode.perahu else "road"
        return [Segment(((a.lon, a.lat), (b.lon, b.lat)), kind)]
    return [
        Segment(tuple((float(x), float(y)) for x, y in leg.coords), str(leg.kind)) for leg in legs
    ]


def team_day_routes(
    plan: WeekPlan, region: Region, travel: TravelModel | None = None
) -> list[TeamDayRoute]:
    """Every team-day of ``plan`` that has stops or moves the team between night places
    (a trip between islands: no stops, one leg), sorted by team and date.

    Parameters
    ----------
    plan
        The planned week.
    region
        Its region (depot names and places).
    travel
        The travel model the plan was made with; default the region's estimate
        (:func:`planner.app.jobs.travel_model_for`), which is what ``jemput plan`` uses.

    Returns
    -------
    list of TeamDayRoute
        Legs start → stops → end (depot or overnight base); a leg the model cannot draw
        becomes a straight line.
    """
    if travel is None:
        travel = travel_model_for(region, cache=False)
    teams = {td.team.id: td.team for td in plan.all_team_days}
    depots = {p.id: p for p in depot_places(region)}
    names = depot_names(region)
    sites = plan.sites.set_index("site_id", drop=False)
    places: dict[str, Place] = {}
    days = {(str(r["team_id"]), str(r["date"])): r for r in _records(plan.team_days)}
    routes: list[TeamDayRoute] = []
    drawn: dict[tuple[str, str, str, bool], list[Segment]] = {}

    def leg(a: Place, b: Place, team: Team) -> list[Segment]:
        key = (a.id, b.id, team.modes[0], team.boat)
        if key not in drawn:
            drawn[key] = _leg_segments(travel, a, b, Mode(team.modes[0]), team.boat)
        return drawn[key]

    for (team_id, day), rows in plan.itinerary.groupby(["team_id", "date"], sort=True):
        team = teams[str(team_id)]
        stops: list[Stop] = []
        for row in _records(rows.sort_values("order")):
            site = sites.loc[row["site_id"]]
            sid = str(row["site_id"])
            if sid not in places:
                places[sid] = site_place(site)
            stops.append(
                Stop(
                    order=int(row["order"]),
                    site_id=sid,
                    kode_desa=str(row["kode_desa"]),
                    desa=_text(row["desa"]),
                    kode_kec=str(site["kode_kec"]),
                    kecamatan=_text(row["kecamatan"]),
                    kabupaten=_text(row["kabupaten"]),
                    classes=_text(row["classes"]),
                    island_name=_text(site["island_name"]) if _text(site["island"]) else "",
                    arrival=str(row["arrival"]),
                    start=str(row["start"]),
                    end=str(row["end"]),
                    expected_recordings=int(row["expected_recordings"]),
                    part=str(row["part"]),
                    lon=float(row["lon"]),
                    lat=float(row["lat"]),
                    mode=_text(row.get("mode")),
                    ports=_text(row.get("ports")),
                    ferry_departure=_text(row.get("ferry_departure")),
                    ferry_port=_text(row.get("ferry_port")),
                )
            )
        info = days.get((str(team_id), str(day)), {})
        routes.append(_route(team, str(day), info, tuple(stops), places, depots, names, leg))
    # a day without visits that moves the team from one night place to the next (a trip
    # between islands): drawn too, so the map and GPX show how the team got there
    drawn_days = {(r.team_id, r.day.isoformat()) for r in routes}
    for (team_id, day), info in sorted(days.items()):
        start_id = _text(info.get("start_place"))
        end_id = _text(info.get("end_place"))
        if (team_id, day) in drawn_days or not start_id or not end_id or start_id == end_id:
            continue
        routes.append(_route(teams[team_id], day, info, (), places, depots, names, leg))
    routes.sort(key=lambda r: (r.team_id, r.day))
    return routes


def _route(
    team: Team,
    day: str,
    info: Mapping[str, Any],
    stops: tuple[Stop, ...],
    places: Mapping[str, Place],
    depots: Mapping[str, Place],
    names: Mapping[str, str],
    leg: Callable[[Place, Place, Team], list[Segment]],
) -> TeamDayRoute:
    """One team-day: start place -> stops -> end place (``team_days`` row ``info``)."""
    start_id = _text(info.get("start_place")) or team.depot
    end_id = _text(info.get("end_place")) or team.depot
    depot, end = depots[start_id], depots[end_id]
    path = [depot, *(places[s.site_id] for s in stops), end]
    segments: list[Segment] = []
    for a, b in itertools.pairwise(path):
        if a.id != b.id:
            segments.extend(leg(a, b, team))
    return TeamDayRoute(
        team_id=team.id,
        team_name=team.name,
        day=date.fromisoformat(day),
        depot_id=start_id,
        depot_name=names.get(start_id, start_id),
        depot_lon=depot.lon,
        depot_lat=depot.lat,
        end_id=end_id,
        end_name=names.get(end_id, end_id),
        end_lon=end.lon,
        end_lat=end.lat,
        depart=_text(info.get("depart")),
        back=_text(info.get("return")),
        km=float(info.get("km", 0.0) or 0.0),
        boat_minutes=float(info.get("boat_minutes", 0.0) or 0.0),
        stops=stops,
        segments=tuple(segments),
    )
