"""The provider interface: every travel matrix in the planner comes from a ``TravelModel``."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import ClassVar

import numpy as np

from planner.core.errors import TravelError
from planner.travel.cache import TravelCache, digest, places_digest
from planner.travel.ferries import is_timed
from planner.travel.params import TravelParams
from planner.travel.port_graph import PortGraph, port_graph
from planner.travel.sea import Legs, boat_only_legs, compose_sea_legs
from planner.travel.types import (
    LegSegment,
    Mode,
    Place,
    Port,
    SeaNetwork,
    SegmentKind,
    TravelMatrix,
)


class TravelModel(ABC):
    """Source of travel minutes, km and leg geometry for one region.

    Subclasses provide land legs (:meth:`land_legs`, :meth:`land_path`) and an input
    fingerprint; this base class adds the rules every provider shares:

    * places on different land parts are never joined by land;
    * with ``boat=True`` other parts are reached through :class:`Port` s and the sea network
      (``sea`` module);
    * ``Mode.perahu`` is boat-only movement (straight sea lines, see :class:`Mode`);
    * matrices are cached on disk by a hash of every input (``cache``).

    Parameters
    ----------
    params
        Speeds, circuity, boarding minutes (boat legs use them in every provider).
    ports
        Ports on any land part (or outside the region).
    cache
        A :class:`TravelCache`, ``True`` for the default folder, ``False``/``None`` for none.
    sea
        Ferries and charters between the ports (``None``: only the ports' ``serves``).
    """

    version: ClassVar[str] = "1"
    """Bump when a provider's output changes for the same inputs (invalidates caches)."""

    def __init__(
        self,
        params: TravelParams | None = None,
        ports: Sequence[Port] = (),
        *,
        cache: TravelCache | bool | None = None,
        sea: SeaNetwork | None = None,
    ) -> None:
        self.params = params or TravelParams()
        self.ports = tuple(ports)
        self.sea = sea
        problems: list[str] = []
        ids = [p.id for p in self.ports]
        if len(set(ids)) != len(ids):
            problems.append(f"duplicate port ids: {sorted({i for i in ids if ids.count(i) > 1})}")
        for port in self.ports:
            problems += _coordinate_problems(f"port '{port.id}'", port.lon, port.lat)
            for island, minutes in port.serves.items():
                if minutes is not None and not (math.isfinite(minutes) and minutes >= 0):
                    problems.append(
                        f"port '{port.id}': crossing minutes to '{island}' must be a number "
                        f">= 0 or empty (computed from boat speed), got {minutes}"
                    )
        known = set(ids)
        for link in sea.links if sea is not None else ():
            for end in (link.from_port, link.to_port):
                if end not in known:
                    problems.append(f"sea link '{link.id}': unknown port '{end}'")
        if problems:
            raise TravelError(problems)
        if cache is True:
            self.cache: TravelCache | None = TravelCache()
        elif cache is False or cache is None:
            self.cache = None
        else:
            self.cache = cache

    # -- provider hooks ---------------------------------------------------------------------
    @abstractmethod
    def land_legs(self, points: Sequence[Place], mode: Mode) -> tuple[np.ndarray, np.ndarray]:
        """Land minutes and km between ``points`` for a land mode (``inf`` if no road).

        The base class sets legs between different islands to ``inf`` afterwards.
        """

    @abstractmethod
    def land_path(self, a: Place, b: Place, mode: Mode) -> list[tuple[float, float]]:
        """Drawable polyline ``(lon, lat)`` of the land leg ``a -> b`` (ends included)."""

    @abstractmethod
    def fingerprint(self) -> str:
        """Hash of every provider-specific input (files, geometry, tables)."""

    # -- shared behaviour -------------------------------------------------------------------
    def cache_key(
        self, places: Sequence[Place], mode: Mode, boat: bool, weekday: int | None = None
    ) -> str:
        """Key of a matrix in the disk cache."""
        ports = [
            [
                p.id,
                p.name,
                float(p.lon).hex(),
                float(p.lat).hex(),
                sorted(p.serves.items()),
                str(p.island),
                sorted(p.serves_departure.items()),
                sorted((k, sorted(v)) for k, v in p.serves_days.items()),
            ]
            for p in self.ports
        ]
        sea = repr(self.sea) if self.sea is not None else "no-sea"
        return digest(
            [
                type(self).__qualname__,
                self.version,
                self.fingerprint(),
                self.params.model_dump_json(),
                repr(ports),
                places_digest(places),
                str(mode),
                str(bool(boat)),
                sea,
                str(weekday),
            ]
        )

    def matrix(
        self,
        places: Sequence[Place],
        mode: Mode,
        *,
        boat: bool = False,
        weekday: int | None = None,
        depart: Mapping[str, float] | None = None,
    ) -> TravelMatrix:
        """Travel matrix between ``places`` for ``mode``.

        Parameters
        ----------
        places
            Places with unique ids.
        mode
            Travel mode.
        boat
            Allow boat trips through ports (land modes only; ``perahu`` is always by boat).
        weekday
            Only ferries running that weekday (Monday = 0); ``None``: ferries of any day.
        depart
            Clock-aware matrix: place id -> clock minute a team leaves it (the first leg of a
            team-day). Only those rows may catch a timed ferry (``sea_links.csv`` ``departure``),
            waiting at the port; every other leg takes charters and untimed ferries only.
            ``None``: no clock, a timed ferry leaves when the team reaches its port (an
            optimistic estimate for rankings and maps).

        Returns
        -------
        TravelMatrix
            Minutes, km, boat minutes and ports used; ``inf`` where unreachable.
        """
        mode = Mode(mode)
        places = list(places)
        ids = [p.id for p in places]
        problems: list[str] = []
        if len(set(ids)) != len(ids):
            counts = Counter(ids)
            dup = sorted(i for i, c in counts.items() if c > 1)
            problems.append(f"duplicate place ids in a travel matrix request: {dup[:10]}")
        for p in places:
            problems += _coordinate_problems(f"place '{p.id}'", p.lon, p.lat)
        if problems:
            raise TravelError(problems)
        timed = self.sea is not None and any(is_timed(link) for link in self.sea.links)
        rows: dict[int, float] | None = None
        if depart is not None and timed and boat and mode != Mode.perahu:
            pos = {pid: i for i, pid in enumerate(ids)}
            rows = {pos[pid]: float(t) for pid, t in depart.items() if pid in pos}
        # a clock-aware matrix keeps the ferries it catches: not in the disk cache
        cached = self.cache is not None and rows is None
        key = self.cache_key(places, mode, boat, weekday) if cached else ""
        if cached and self.cache is not None:
            hit = self.cache.load(key, ids, mode, boat)
            if hit is not None:
                return hit
        legs = self._legs(places, mode, boat, weekday, rows)
        result = TravelMatrix(
            ids=tuple(ids),
            minutes=legs.minutes,
            km=legs.km,
            boat_minutes=legs.boat_minutes,
            via_port=legs.via_port,
            via_port_end=legs.via_port_end,
            mode=mode,
            boat_allowed=bool(boat) or mode == Mode.perahu,
            ports=tuple(p.id for p in self.ports),
            ferries=legs.ferries,
        )
        if cached and self.cache is not None:
            self.cache.save(key, result)
        return result

    def _legs(
        self,
        places: Sequence[Place],
        mode: Mode,
        boat: bool,
        weekday: int | None,
        depart: Mapping[int, float] | None = None,
    ) -> Legs:
        if mode == Mode.perahu:
            return boat_only_legs(places, self.params)
        use_ports = self.ports if boat else ()
        points = [*places, *(p.as_place() for p in use_ports)]
        minutes, km = self.land_legs(points, mode)
        minutes = np.array(minutes, dtype=np.float64)
        km = np.array(km, dtype=np.float64)
        islands = np.array([p.island or "" for p in points], dtype=object)
        apart = islands[:, None] != islands[None, :]
        minutes[apart] = np.inf
        km[apart] = np.inf
        np.fill_diagonal(minutes, 0.0)
        np.fill_diagonal(km, 0.0)
        return compose_sea_legs(
            places,
            use_ports,
            minutes,
            km,
            self.params,
            boat=boat,
            sea=self.sea,
            weekday=weekday,
            depart=depart,
        )

    def ports_graph(self, mode: Mode, weekday: int | None = None) -> PortGraph:
        """Fastest port-to-port routes for a land ``mode`` (see :func:`port_graph`)."""
        points = [p.as_place() for p in self.ports]
        minutes, km = self.land_legs(points, Mode(mode)) if points else (np.zeros((0, 0)),) * 2
        minutes = np.array(minutes, dtype=np.float64)
        km = np.array(km, dtype=np.float64)
        islands = np.array([p.island or "" for p in points], dtype=object)
        apart = islands[:, None] != islands[None, :]
        minutes[apart] = np.inf
        km[apart] = np.inf
        np.fill_diagonal(minutes, 0.0)
        np.fill_diagonal(km, 0.0)
        return port_graph(self.ports, minutes, km, self.params, self.sea, weekday)

    def port_route(
        self, a: Place, b: Place, mode: Mode, *, boat: bool = False, weekday: int | None = None
    ) -> tuple[str, ...]:
        """Ids of every port the leg ``a -> b`` passes, in order (empty for a land leg)."""
        mode = Mode(mode)
        if mode == Mode.perahu or a.id == b.id:
            return ()
        m = self.matrix([a, b], mode, boat=boat, weekday=weekday)
        first, last = int(m.via_port[0, 1]), int(m.via_port_end[0, 1])
        if first < 0:
            return ()
        path = self.ports_graph(mode, weekday).path(first, last)
        return tuple(self.ports[i].id for i in path)

    def leg_geometry(
        self, a: Place, b: Place, mode: Mode, *, boat: bool = False
    ) -> list[LegSegment]:
        """What a map draws for the leg ``a -> b``: road/walk pieces and dashed sea pieces.

        Raises
        ------
        TravelError
            If ``b`` cannot be reached from ``a`` with this mode (and boat setting).
        """
        mode = Mode(mode)
        if mode == Mode.perahu:
            return [LegSegment([(a.lon, a.lat), (b.lon, b.lat)], "sea")]
        land_kind: SegmentKind = "walk" if mode == Mode.jalan_kaki else "road"
        if a.id == b.id:
            return []
        m = self.matrix([a, b], mode, boat=boat)
        if not np.isfinite(m.minutes[0, 1]):
            how = "with a boat" if boat else "without a boat (pass boat=True)"
            raise TravelError(f"'{b.id}' cannot be reached from '{a.id}' by {mode} {how}")
        first, last = int(m.via_port[0, 1]), int(m.via_port_end[0, 1])
        if first < 0:
            return [LegSegment(self.land_path(a, b, mode), land_kind)]
        graph = self.ports_graph(mode)
        path = graph.path(first, last)
        stops = [self.ports[i].as_place() for i in path]
        segments: list[LegSegment] = []

        def hop(x: Place, y: Place, by_boat: bool) -> None:
            if x.id == y.id:
                return
            if by_boat:
                segments.append(LegSegment([(x.lon, x.lat), (y.lon, y.lat)], "sea"))
            else:
                segments.append(LegSegment(self.land_path(x, y, mode), land_kind))

        hop(a, stops[0], a.island != stops[0].island)
        for i, j, x, y in zip(path, path[1:], stops, stops[1:], strict=False):
            hop(x, y, bool(graph.by_boat[i, j]) or x.island != y.island)
        hop(stops[-1], b, b.island != stops[-1].island)
        return segments


def _coordinate_problems(what: str, lon: float, lat: float) -> list[str]:
    """Problems with one lon/lat pair (empty if it is a valid WGS 84 coordinate)."""
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return [f"{what}: coordinates must be numbers, got lon={lon}, lat={lat}"]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return [f"{what}: lon={lon}, lat={lat} is not a WGS 84 lon/lat (swapped?)"]
    return []


def nearest_minutes(
    model: TravelModel,
    from_places: Sequence[Place],
    to_places: Sequence[Place],
    mode: Mode,
    *,
    boat: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Minutes from each of ``from_places`` to the nearest of ``to_places``.

    Used by the ``terpencil`` classification (village -> nearest depot). Travel is measured
    from the target to the place (depot -> village, the direction a team drives).

    Parameters
    ----------
    model
        Travel provider.
    from_places, to_places
        E.g. villages and depots. A place in both lists (same id) must be the same place.
    mode
        Travel mode.
    boat
        Allow boat trips through ports.

    Returns
    -------
    minutes, index
        ``minutes[i]`` to the nearest target (``inf`` if none reachable) and ``index[i]``,
        its position in ``to_places`` (``-1`` if none reachable).
    """
    if not to_places:
        raise TravelError("nearest_minutes needs at least one target place")
    merged: dict[str, Place] = {}
    for p in [*from_places, *to_places]:
        if merged.setdefault(p.id, p) != p:
            raise TravelError(f"place id '{p.id}' names two different places")
    m = model.matrix(list(merged.values()), mode, boat=boat)
    pos = {pid: i for i, pid in enumerate(m.ids)}
    rows = np.array([pos[p.id] for p in from_places], dtype=np.int64)
    cols = np.array([pos[p.id] for p in to_places], dtype=np.int64)
    sub = m.minutes[np.ix_(cols, rows)].T
    if sub.shape[0] == 0:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    index = np.argmin(sub, axis=1)
    minutes = sub[np.arange(sub.shape[0]), index]
    index = np.where(np.isfinite(minutes), index, -1)
    return minutes, index
