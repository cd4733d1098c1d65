"""Fastest port-to-port routes: land between ports of one part, boats between parts.

The direct hops (:func:`direct_hops`: land legs, charters, ferries running on the weekday)
and their shortest routes (:func:`port_graph`, Floyd-Warshall over a few dozen ports). Used by
:func:`~planner.travel.sea.compose_sea_legs` and by the maps' port routes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from planner.travel.ferries import Hops, is_timed
from planner.travel.geodesic import haversine_km
from planner.travel.params import TravelParams
from planner.travel.types import Mode, Port, SeaLink, SeaNetwork


@dataclass(frozen=True)
class PortGraph:
    """Fastest port-to-port legs: land between ports of one part, boats between parts.

    Attributes
    ----------
    minutes, km, boat_minutes
        ``(k, k)`` arrays of the fastest route from port to port (``inf`` if none).
    next_port
        ``next_port[p, q]``: the port after ``p`` on that route (``q`` for a direct leg,
        ``-1`` if none).
    by_boat
        ``by_boat[p, q]``: the direct hop ``p -> q`` on the route is a boat (else by land).
    """

    minutes: np.ndarray
    km: np.ndarray
    boat_minutes: np.ndarray
    next_port: np.ndarray
    by_boat: np.ndarray

    def path(self, first: int, last: int) -> list[int]:
        """Port indices from ``first`` to ``last`` along the fastest route."""
        out = [first]
        while out[-1] != last and len(out) <= len(self.minutes):
            nxt = int(self.next_port[out[-1], last])
            if nxt < 0:
                break
            out.append(nxt)
        return out


def direct_hops(
    ports: Sequence[Port],
    land_minutes: np.ndarray,
    land_km: np.ndarray,
    params: TravelParams,
    sea: SeaNetwork | None,
    weekday: int | None,
    *,
    timed: bool,
) -> Hops:
    """Direct legs between ports; ``timed``: timed ferries are ordinary hops (no clock),
    else they are kept apart in :attr:`Hops.timed`."""
    k = len(ports)
    minutes = land_minutes.astype(np.float64).copy()
    km = land_km.astype(np.float64).copy()
    boat = np.zeros((k, k))
    by_boat = np.zeros((k, k), dtype=bool)
    sea_km = np.full((k, k), np.inf)
    apart: list[tuple[int, int, SeaLink, float]] = []
    if sea is not None and k:
        pos = {p.id: i for i, p in enumerate(ports)}
        lon = np.array([p.lon for p in ports])
        lat = np.array([p.lat for p in ports])
        straight = haversine_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
        sea_km = straight * params.circuity[Mode.perahu]
        charter_min = sea_km / sea.charter_speed_kmh * 60.0 + params.boarding_minutes
        # a ferry without published minutes: the distance at the assumed ferry speed
        ferry_min = sea_km / sea.ferry_speed_kmh * 60.0 + params.boarding_minutes
        hops: list[tuple[int, int, float]] = []
        if sea.charter_max_km > 0:
            near = (straight <= sea.charter_max_km) & ~np.eye(k, dtype=bool)
            hops += [(int(a), int(b), float(charter_min[a, b])) for a, b in np.argwhere(near)]
        for link in sea.links:
            if link.from_port not in pos or link.to_port not in pos:
                continue  # validated at the boundary; a model built by hand may omit ports
            a, b = pos[link.from_port], pos[link.to_port]
            if link.kind == "ferry":
                if link.runs_on(weekday):
                    given = link.minutes
                    hop = ferry_min[a, b] if given is None else given + params.boarding_minutes
                    if is_timed(link) and not timed:
                        apart.append((a, b, link, float(hop) - params.boarding_minutes))
                    else:
                        hops.append((a, b, float(hop)))
            else:
                given = link.minutes
                hop = charter_min[a, b] if given is None else given + params.boarding_minutes
                hops += [(a, b, float(hop)), (b, a, float(hop))]
        for a, b, hop in hops:
            if hop < minutes[a, b]:
                minutes[a, b], km[a, b], boat[a, b] = hop, sea_km[a, b], hop
                by_boat[a, b] = True
    return Hops(minutes, km, boat, by_boat, sea_km, tuple(apart))


def port_graph(
    ports: Sequence[Port],
    land_minutes: np.ndarray,
    land_km: np.ndarray,
    params: TravelParams,
    sea: SeaNetwork | None,
    weekday: int | None = None,
    *,
    timed: bool = True,
) -> PortGraph:
    """Fastest legs between ports, through the sea links running on ``weekday``.

    Parameters
    ----------
    ports
        The ``k`` ports.
    land_minutes, land_km
        ``(k, k)`` land legs between the ports (``inf`` between parts).
    params
        Boarding minutes (every boat hop pays them) and the boat circuity.
    sea
        Ferries, charter links and charter terms; ``None``: no boat between ports.
    weekday
        Only ferries running that day (Monday = 0); ``None``: ferries of any day.
    timed
        Whether timed ferries (:func:`is_timed`) are hops; ``False``: a leg without a clock
        (mid-day) cannot catch them, only charters and untimed ferries are used.
    """
    k = len(ports)
    hops = direct_hops(ports, land_minutes, land_km, params, sea, weekday, timed=timed)
    minutes, km, boat, by_boat = hops.minutes, hops.km, hops.boat, hops.by_boat
    nxt = np.where(np.isfinite(minutes), np.arange(k)[None, :], -1)
    np.fill_diagonal(nxt, np.arange(k))
    if by_boat.any():
        for via in range(k):  # Floyd-Warshall: a few dozen ports at most
            cand = minutes[:, via, None] + minutes[None, via, :]
            better = cand < minutes - 1e-9
            if not better.any():
                continue
            minutes = np.where(better, cand, minutes)
            km = np.where(better, km[:, via, None] + km[None, via, :], km)
            boat = np.where(better, boat[:, via, None] + boat[None, via, :], boat)
            nxt = np.where(better, nxt[:, via, None], nxt)
    return PortGraph(minutes, km, boat, nxt, by_boat)
