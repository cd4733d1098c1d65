"""The ferry clock: timed ferries caught on the first leg of a team-day.

A timed ferry (a ``ferry`` row of ``sea_links.csv`` with a ``departure``) needs a clock, and a
matrix has none. :func:`~planner.travel.sea.compose_sea_legs` with ``depart`` lets only the rows
of the places a team-day starts from, leaving at a known clock, catch one: the team is at the
port by the departure less ``boarding_minutes``, waits, and lands at departure + crossing
(:class:`~planner.travel.types.FerryCatch`). This module holds that search: the direct
port-to-port hops with the timed ferries kept apart (:class:`Hops`), the earliest arrival at
every port from one clock, and one first-leg row of the matrix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from planner.travel.types import FerryCatch, Place, Port, SeaLink


def is_timed(link: SeaLink) -> bool:
    """Whether ``link`` is a timed ferry: a ``ferry`` with a published departure time."""
    return link.kind == "ferry" and link.departure_minute is not None


@dataclass(frozen=True)
class Hops:
    """Direct port-to-port legs before any route search.

    ``minutes``/``km``/``boat``/``by_boat``: the fastest untimed direct leg ``(k, k)`` (land
    inside a part, charters, untimed ferries); ``timed``: the timed ferries of the day as
    ``(from, to, link, crossing minutes without boarding)``.
    """

    minutes: np.ndarray
    km: np.ndarray
    boat: np.ndarray
    by_boat: np.ndarray
    sea_km: np.ndarray
    timed: tuple[tuple[int, int, SeaLink, float], ...]


def _catch_ferries(
    t0: float,
    reach: np.ndarray,
    reach_km: np.ndarray,
    reach_boat: np.ndarray,
    hops: Hops,
    ports: Sequence[Port],
    boarding: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[tuple[FerryCatch, ...]]]:
    """Earliest arrival at every port leaving at clock ``t0``, timed ferries included.

    ``reach[p]``: minutes from the origin to port ``p`` (land, or the boat of a port that
    serves the origin's part). A timed ferry is caught when the team is at its port by the
    departure minus ``boarding``; it lands at departure + crossing. Waiting never makes a later
    arrival earlier (first in, first out), so a label-setting search is exact.

    Returns
    -------
    arrive, km, boat, first, catches
        Clock arrival, km and boat minutes at each port, the first port of the route to it
        and the timed ferries caught on the way.
    """
    k = len(reach)
    arrive = t0 + reach.astype(np.float64)
    km = reach_km.astype(np.float64).copy()
    boat = reach_boat.astype(np.float64).copy()
    first = np.arange(k)
    catches: list[tuple[FerryCatch, ...]] = [() for _ in range(k)]
    done = np.zeros(k, dtype=bool)
    for _ in range(k):
        left = np.where(done, np.inf, arrive)
        q = int(np.argmin(left))
        if not np.isfinite(left[q]):
            break
        done[q] = True
        via = arrive[q] + hops.minutes[q]
        better = (via < arrive - 1e-9) & ~done
        for r in np.flatnonzero(better):
            arrive[r], km[r] = via[r], km[q] + hops.km[q, r]
            boat[r], first[r], catches[r] = boat[q] + hops.boat[q, r], first[q], catches[q]
        for a, b, link, crossing in hops.timed:
            dep = float(link.departure_minute)  # type: ignore[arg-type]
            if a != q or done[b] or arrive[q] > dep - boarding + 1e-9:
                continue
            if dep + crossing < arrive[b] - 1e-9:
                catch = FerryCatch(
                    link.id, ports[a].id, link.days, t0, float(arrive[q]), dep, crossing
                )
                arrive[b], km[b] = dep + crossing, km[q] + hops.sea_km[a, b]
                boat[b], first[b] = boat[q] + boarding + crossing, first[q]
                catches[b] = (*catches[q], catch)
    return arrive, km, boat, first, catches


def timed_serves(
    places: Sequence[Place],
    ports: Sequence[Port],
    sea_min: np.ndarray,
    sea_km: np.ndarray,
    sea_boat: np.ndarray,
    weekday: int | None,
) -> list[tuple[int, int, str, frozenset[int], float, float, float, float]]:
    """The serves crossings that are timed ferries running on ``weekday``, port -> place:
    ``(port, place, link id, days, departure, minutes from boarding to the place, km, boat
    minutes)``."""
    out = []
    for m, port in enumerate(ports):
        for d, place in enumerate(places):
            part = str(place.island)
            timed = port.serves_departure.get(part)
            if timed is None or place.island is None or not np.isfinite(sea_min[d, m]):
                continue
            if not port.serves_on(part, weekday):
                continue
            link_id, departure = timed
            out.append(
                (
                    m,
                    d,
                    link_id,
                    port.serves_days.get(part, frozenset(range(7))),
                    departure,
                    float(sea_min[d, m]),
                    float(sea_km[d, m]),
                    float(sea_boat[d, m]),
                )
            )
    return out


def first_leg_row(
    o: int,
    t0: float,
    fwd_min: np.ndarray,
    fwd_km: np.ndarray,
    fwd_boat: np.ndarray,
    back: tuple[np.ndarray, np.ndarray, np.ndarray],
    timed_back: Sequence[tuple[int, int, str, frozenset[int], float, float, float, float]],
    hops: Hops,
    ports: Sequence[Port],
    boarding: float,
) -> tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[tuple[FerryCatch, ...]]
]:
    """The legs from place ``o`` leaving at clock ``t0``, timed ferries allowed.

    Returns minutes, km, boat minutes, first and last port and the ferries caught, per place.
    """
    back_min, back_km, back_boat = back
    arrive, hop_km, hop_boat, first_port, caught = _catch_ferries(
        t0, fwd_min[o], fwd_km[o], fwd_boat[o], hops, ports, boarding
    )
    total = arrive[:, None] + back_min  # (k, n): clock at each place
    last = np.argmin(total, axis=0)
    cols = np.arange(total.shape[1])
    clock = total[last, cols]
    km = hop_km[last] + back_km[last, cols]
    boat = hop_boat[last] + back_boat[last, cols]
    first, end = first_port[last], last.copy()
    ferries = [caught[int(m)] for m in last]
    for m, d, link_id, days, departure, cross, cross_km, cross_boat in timed_back:
        if arrive[m] > departure - boarding + 1e-9:
            continue  # the boat out has left
        landed = departure - boarding + cross
        if landed < clock[d] - 1e-9:
            catch = FerryCatch(
                link_id,
                ports[m].id,
                days,
                t0,
                float(arrive[m]),
                departure,
                cross_boat - boarding,
            )
            clock[d], km[d], boat[d] = landed, hop_km[m] + cross_km, hop_boat[m] + cross_boat
            first[d], end[d], ferries[d] = first_port[m], m, (*caught[m], catch)
    return clock - t0, km, boat, first, end, ferries
