"""Plain data of the travel module: modes, terrains, places, ports, matrices, leg geometry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

import numpy as np

from planner.core.errors import TravelError


class Mode(StrEnum):
    """How a team moves.

    ``mobil``, ``motor`` and ``jalan_kaki`` are land modes: they use roads (or paths) and reach
    islands only through ports, by boat, when ``boat=True``. ``perahu`` is boat-only movement
    (a team travelling in its own boat between landings): every place is treated as a landing
    on the shore, legs are straight sea lines at boat speed plus boarding, and there is no road
    travel and no port detour. Use it for island-hopping teams based at a port.
    """

    mobil = "mobil"
    motor = "motor"
    perahu = "perahu"
    jalan_kaki = "jalan_kaki"


class Terrain(StrEnum):
    """Access terrain of a place: urban kelurahan, rural desa, hilly/forest/poor access."""

    kota = "kota"
    desa = "desa"
    hutan = "hutan"


def terrain_from_code(kode: str) -> Terrain:
    """Default terrain from a Kemendagri village code (digit 10: 1 = kelurahan, 2 = desa).

    Parameters
    ----------
    kode
        Dotted village code ``PP.KK.CC.DDDD``.

    Returns
    -------
    Terrain
        ``kota`` for a kelurahan, ``desa`` otherwise. Regions override hilly villages to
        ``hutan`` in ``region.toml`` ``[terrain]``.

    Examples
    --------
    >>> terrain_from_code("36.73.01.1001")
    <Terrain.kota: 'kota'>
    """
    digits = kode.replace(".", "")
    return Terrain.kota if len(digits) >= 7 and digits[6] == "1" else Terrain.desa


@dataclass(frozen=True)
class Place:
    """A point teams travel from or to (village visit point, depot, port).

    ``island`` is the key of the land part the place stands on (:mod:`planner.travel.parts`:
    ``None`` for a continental part, else e.g. the smallest village code of the island). Places
    on different parts are connected only by boat through ports; no part is privileged.
    """

    id: str
    lon: float
    lat: float
    terrain: Terrain = Terrain.desa
    island: str | None = None


@dataclass(frozen=True)
class Port:
    """A harbour or pier on any land part, in the region or outside it.

    ``serves`` maps land-part key -> crossing minutes (one way, on the boat) of a boat that
    lands at the places of that part themselves (the ``serves_kode_desa`` rows of
    ``ports.csv``). ``None`` minutes mean "compute from boat speed and distance".
    ``serves_departure`` maps some of those parts -> ``(link id, clock minute)``: the boat out
    is that timed ferry and leaves the port at its departure (the boat back stays untimed,
    as the row describes it); parts not listed have an untimed boat. ``serves_days`` maps
    some parts -> the weekdays (Monday = 0) the boat out runs, those of the ferry it follows
    (``ports.csv`` ``crossing_link``); parts not listed have a boat out every day, and the boat
    back runs every day. ``island`` is
    the key of the land part the port stands on (``None``: continental); a port outside the
    region on no part of it has a part of its own (``port:<id>``).
    """

    id: str
    name: str
    lon: float
    lat: float
    serves: Mapping[str, float | None] = field(default_factory=dict)
    island: str | None = None
    serves_departure: Mapping[str, tuple[str, float]] = field(default_factory=dict)
    serves_days: Mapping[str, frozenset[int]] = field(default_factory=dict)

    def serves_on(self, part: str, weekday: int | None) -> bool:
        """Whether the boat out of the port to ``part`` runs on ``weekday`` (``None``: on
        some day of the week)."""
        days = self.serves_days.get(part)
        return days is None or weekday is None or weekday in days

    def as_place(self) -> Place:
        """The port as a :class:`Place` on its land part (urban access: harbours are on a
        street)."""
        return Place(self.id, self.lon, self.lat, Terrain.kota, self.island)


DAY_NAMES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""Day names of ``sea_links.csv`` ``days``, Monday = 0 (``date.weekday()``)."""


@dataclass(frozen=True)
class SeaLink:
    """A boat connection between two ports (one row of ``sea_links.csv``).

    Attributes
    ----------
    id, from_port, to_port
        Link id and the port ids it joins.
    kind
        ``ferry``: scheduled, one direction; ``charter``: a hired boat, both directions.
    days
        Weekdays (Monday = 0) the ferry runs; every day for a charter. Empty for a ferry whose
        days are not published: it never runs in a plan (kept for reference).
    departure_minute
        Minutes after midnight of the ferry's departure, ``None`` if not fixed.
    minutes
        Crossing minutes on the boat; ``None``: not published, the distance at the charter
        speed (charter) or at the ferry speed (ferry), an assumption.
    cost_idr, cost_unit
        Fare or hire and its unit (``per_person``, ``per_trip``, ``per_hour`` or empty).
    """

    id: str
    from_port: str
    to_port: str
    kind: Literal["ferry", "charter"]
    days: frozenset[int] = frozenset(range(7))
    departure_minute: float | None = None
    minutes: float | None = None
    cost_idr: float | None = None
    cost_unit: str = ""

    def runs_on(self, weekday: int | None) -> bool:
        """Whether the link runs on ``weekday`` (``None``: on some day of the week)."""
        return bool(self.days) if weekday is None else weekday in self.days


@dataclass(frozen=True)
class SeaNetwork:
    """Sea links and the charter terms of a region (``sea_links.csv`` and ``[sea]``).

    Attributes
    ----------
    links
        Ferries and named charter links.
    charter_speed_kmh
        Speed of a chartered boat (straight sea line x the boat circuity).
    charter_max_km
        Any two ports at most this far apart (straight line) are joined by a charter; 0 = only
        the charter rows of ``sea_links.csv``.
    ferry_speed_kmh
        Speed of a ferry whose crossing minutes are not published (``[sea] ferry_speed_kmh``).
    charter_cost_per_hour_idr
        Hire of a chartered boat per hour on the water (for cost estimates).
    """

    links: tuple[SeaLink, ...] = ()
    charter_speed_kmh: float = 20.0
    charter_max_km: float = 0.0
    charter_cost_per_hour_idr: float = 0.0
    ferry_speed_kmh: float = 20.0


@dataclass(frozen=True)
class FerryCatch:
    """A timed ferry caught on the first leg of a team-day (the leg's clock is known).

    Attributes
    ----------
    link_id
        The ``sea_links.csv`` row of the ferry.
    port
        Id of the port it leaves from.
    days
        Weekdays the ferry runs (Monday = 0).
    leave
        Clock minute the team leaves the leg's origin (the shift start).
    at_port
        Clock minute the team reaches ``port`` (no later than ``departure`` minus boarding).
    departure
        Published departure, clock minutes.
    crossing
        Minutes on the ferry from departure to landing (boarding not included).
    """

    link_id: str
    port: str
    days: frozenset[int]
    leave: float
    at_port: float
    departure: float
    crossing: float


SegmentKind = Literal["road", "sea", "walk"]


@dataclass(frozen=True)
class LegSegment:
    """One drawable piece of a leg: ``coords`` are ``(lon, lat)``; sea pieces are drawn dashed."""

    coords: list[tuple[float, float]]
    kind: SegmentKind


@dataclass(frozen=True, eq=False)
class TravelMatrix:
    """Travel minutes and km between places, for one mode.

    Attributes
    ----------
    ids
        Place ids, the row/column order of every array.
    minutes, km
        ``(n, n)`` float64; ``np.inf`` means unreachable by this mode (never a big number).
    boat_minutes
        The part of ``minutes`` spent on boats, boarding included.
    via_port, via_port_end
        Index into ``ports`` of the first and the last port the leg passes, ``-1`` if none.
        They are equal when one port serves the leg.
    ports
        Port ids in the order the indices above refer to.
    mode, boat_allowed
        What the matrix was built for.
    ferries
        ``(row, column)`` -> the timed ferries the leg catches (first legs of a team-day, whose
        clock is known: :func:`planner.travel.sea.compose_sea_legs` ``depart``); empty for a
        matrix without a clock.
    """

    ids: tuple[str, ...]
    minutes: np.ndarray
    km: np.ndarray
    boat_minutes: np.ndarray
    via_port: np.ndarray
    via_port_end: np.ndarray
    mode: Mode
    boat_allowed: bool
    ports: tuple[str, ...] = ()
    ferries: Mapping[tuple[int, int], tuple[FerryCatch, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.ids)
        for name in ("minutes", "km", "boat_minutes", "via_port", "via_port_end"):
            if getattr(self, name).shape != (n, n):
                raise TravelError(f"TravelMatrix.{name} has shape {getattr(self, name).shape}")

    def index(self, place_id: str) -> int:
        """Row of ``place_id``; raises :class:`TravelError` if it is not in the matrix."""
        try:
            return self.ids.index(place_id)
        except ValueError:
            raise TravelError(f"place '{place_id}' is not in the travel matrix") from None

    def travel_minutes(self, a: str, b: str) -> float:
        """Minutes from place ``a`` to place ``b`` (``inf`` if unreachable)."""
        return float(self.minutes[self.index(a), self.index(b)])

    def distance_km(self, a: str, b: str) -> float:
        """Km from place ``a`` to place ``b`` (boat km included; ``inf`` if unreachable)."""
        return float(self.km[self.index(a), self.index(b)])

    def submatrix(self, ids: Sequence[str]) -> TravelMatrix:
        """The rows and columns of ``ids``, in that order (a place may not repeat)."""
        pos = {pid: i for i, pid in enumerate(self.ids)}
        missing = [i for i in ids if i not in pos]
        if missing:
            raise TravelError(f"places not in the travel matrix: {missing[:10]}")
        idx = np.array([pos[i] for i in ids], dtype=np.int64)
        grid = np.ix_(idx, idx)
        new_of = {int(old): new for new, old in enumerate(idx)}
        ferries = {
            (new_of[a], new_of[b]): caught
            for (a, b), caught in self.ferries.items()
            if a in new_of and b in new_of
        }
        return TravelMatrix(
            ids=tuple(ids),
            minutes=self.minutes[grid],
            km=self.km[grid],
            boat_minutes=self.boat_minutes[grid],
            via_port=self.via_port[grid],
            via_port_end=self.via_port_end[grid],
            mode=self.mode,
            boat_allowed=self.boat_allowed,
            ports=self.ports,
            ferries=ferries,
        )

    def ports_used(self, a: str, b: str) -> tuple[str, ...]:
        """Ids of the ports the leg ``a -> b`` passes, in order (empty for a land leg)."""
        i, j = self.index(a), self.index(b)
        first, last = int(self.via_port[i, j]), int(self.via_port_end[i, j])
        out = [self.ports[p] for p in (first, last) if p >= 0]
        return tuple(dict.fromkeys(out))
