"""Sea legs through ports, composed on top of any provider's land matrix.

A place on an island is reached from the mainland as: land leg to a port that serves its
island, then one boat trip (boarding + crossing). Island to island goes island -> port ->
(land leg between ports, zero if the same port serves both) -> port -> island. Every boat trip
costs ``boarding_minutes`` plus the crossing: the port's published figure for that island if
it has one, else straight-line distance x sea circuity at boat speed.

Modelling choices:

* the boat lands at the island place itself (an island village is reached at its shore,
  without the access leg a mainland place has), or at another place of the same island and
  goes on by land if that is quicker;
* mainland pairs never take a ferry shortcut through an island. With one port per island
  this loses nothing and the minutes keep the triangle inequality; with two ports serving the
  same island, a mainland pair could in principle be faster through it and is not;
* the km of a leg are the km of its fastest route (boat km included), so km obey the
  triangle inequality only for land legs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from planner.travel.params import TravelParams
from planner.travel.types import Mode, Place, Port

EARTH_RADIUS_KM = 6371.0088


def haversine_km(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Great-circle distance in km, broadcasting over the inputs (degrees)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def pairwise_haversine_km(places: Sequence[Place]) -> np.ndarray:
    """``(n, n)`` great-circle distances between places, in km (exactly symmetric).

    Computed from the chord between unit vectors, ``2 R asin(chord / 2)``: the same
    great-circle distance as the haversine formula, ~7x faster for a province matrix.
    """
    lon = np.radians(np.array([p.lon for p in places], dtype=np.float64))
    lat = np.radians(np.array([p.lat for p in places], dtype=np.float64))
    xyz = (np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat))
    n = lon.size
    out = np.zeros((n, n))
    buf = np.empty((n, n))
    for c in xyz:  # in place: a province matrix is 25 MB per array
        np.subtract.outer(c, c, out=buf)
        np.multiply(buf, buf, out=buf)
        out += buf
    np.sqrt(out, out=out)
    out *= 0.5
    np.minimum(out, 1.0, out=out)
    np.arcsin(out, out=out)
    out *= 2 * EARTH_RADIUS_KM
    return out


@dataclass(frozen=True)
class Legs:
    """Arrays of one travel matrix before it is wrapped in a ``TravelMatrix``."""

    minutes: np.ndarray
    km: np.ndarray
    boat_minutes: np.ndarray
    via_port: np.ndarray
    via_port_end: np.ndarray


def boat_only_legs(places: Sequence[Place], params: TravelParams) -> Legs:
    """Legs for ``Mode.perahu``: straight sea lines at boat speed, boarding on every leg."""
    n = len(places)
    km = pairwise_haversine_km(places) * params.circuity[Mode.perahu]
    minutes = km / params.trunk_speed_kmh[Mode.perahu] * 60.0 + params.boarding_minutes
    np.fill_diagonal(minutes, 0.0)
    minus = np.full((n, n), -1, dtype=np.int64)
    return Legs(minutes, km, minutes.copy(), minus, minus.copy())


def crossing(
    places: Sequence[Place], ports: Sequence[Port], params: TravelParams
) -> tuple[np.ndarray, np.ndarray]:
    """One boat trip between each place and each port, boarding included.

    Returns
    -------
    minutes, km
        ``(n, k)`` arrays; ``inf`` where the place is on the mainland or the port does not
        serve the place's island.
    """
    n, k = len(places), len(ports)
    minutes = np.full((n, k), np.inf)
    km = np.full((n, k), np.inf)
    speed = params.trunk_speed_kmh[Mode.perahu]
    circuity = params.circuity[Mode.perahu]
    for i, place in enumerate(places):
        if place.island is None:
            continue
        for j, port in enumerate(ports):
            if place.island not in port.serves:
                continue
            dist = float(
                haversine_km(
                    np.array(place.lon), np.array(place.lat), np.array(port.lon), np.array(port.lat)
                )
            )
            km[i, j] = dist * circuity
            given = port.serves[place.island]
            cross = km[i, j] / speed * 60.0 if given is None else float(given)
            minutes[i, j] = params.boarding_minutes + cross
    return minutes, km


def _land_on_the_island(
    places: Sequence[Place],
    land_minutes: np.ndarray,
    land_km: np.ndarray,
    sea_min: np.ndarray,
    sea_km: np.ndarray,
    sea_boat: np.ndarray,
) -> None:
    """Let a boat land at another place of the same island and go on by land (in place).

    Without this, a boat trip straight to a place could cost more than landing at its
    neighbour and walking over, and the matrix would break the triangle inequality.
    """
    members: dict[str, list[int]] = {}
    for i, p in enumerate(places):
        if p.island is not None:
            members.setdefault(p.island, []).append(i)
    for idx in members.values():
        if len(idx) < 2:
            continue
        ix = np.array(idx)
        # total[q, r, port] = land q -> r on the island + boat r -> port
        total = land_minutes[np.ix_(ix, ix)][:, :, None] + sea_min[ix][None, :, :]
        best = np.argmin(total, axis=1)  # (members, ports): landing place r
        cols = np.arange(sea_min.shape[1])[None, :]
        landing = ix[best]
        new_min = np.take_along_axis(total, best[:, None, :], axis=1)[:, 0, :]
        new_km = land_km[ix[:, None], landing] + sea_km[landing, cols]
        new_boat = sea_boat[landing, cols]
        sea_min[ix], sea_km[ix], sea_boat[ix] = new_min, new_km, new_boat


def compose_sea_legs(
    places: Sequence[Place],
    ports: Sequence[Port],
    land_minutes: np.ndarray,
    land_km: np.ndarray,
    params: TravelParams,
    *,
    boat: bool,
) -> Legs:
    """Combine a land matrix over ``places + ports`` with boat trips through the ports.

    Parameters
    ----------
    places, ports
        The ``n`` places of the matrix and the ``k`` ports.
    land_minutes, land_km
        ``(n + k, n + k)`` land legs over ``places`` then ``ports`` (port ``j`` is row
        ``n + j``), ``inf`` between different islands.
    params
        Boarding minutes, boat speed and sea circuity.
    boat
        Whether boat trips are allowed; without them the land legs are returned unchanged.

    Returns
    -------
    Legs
        The best of the land leg and every port route, for each pair.
    """
    n, k = len(places), len(ports)
    minutes = land_minutes[:n, :n].copy()
    km = land_km[:n, :n].copy()
    boat_minutes = np.zeros((n, n))
    via = np.full((n, n), -1, dtype=np.int64)
    via_end = np.full((n, n), -1, dtype=np.int64)
    on_island = np.array([p.island is not None for p in places], dtype=bool)
    if not boat or k == 0 or not on_island.any():
        return Legs(minutes, km, boat_minutes, via, via_end)

    sea_min, sea_km = crossing(places, ports, params)
    sea_boat = sea_min.copy()
    _land_on_the_island(places, land_minutes, land_km, sea_min, sea_km, sea_boat)
    # Place -> port j (forward) and port m -> place (back); island places only by boat.
    fwd_min = np.where(on_island[:, None], sea_min, land_minutes[:n, n:])
    fwd_km = np.where(on_island[:, None], sea_km, land_km[:n, n:])
    back_min = np.where(on_island[None, :], sea_min.T, land_minutes[n:, :n])
    back_km = np.where(on_island[None, :], sea_km.T, land_km[n:, :n])
    fwd_boat = np.where(on_island[:, None], sea_boat, 0.0)
    back_boat = np.where(on_island[None, :], sea_boat.T, 0.0)
    port_min = land_minutes[n:, n:]
    port_km = land_km[n:, n:]

    # Best first port j for each (origin, last port m): (n, k).
    through = fwd_min[:, :, None] + port_min[None, :, :]
    first = np.argmin(through, axis=1)
    reach_min = np.take_along_axis(through, first[:, None, :], axis=1)[:, 0, :]
    reach_km = np.take_along_axis(fwd_km, first, axis=1) + port_km[first, np.arange(k)[None, :]]
    reach_boat = np.take_along_axis(fwd_boat, first, axis=1)

    rows = np.flatnonzero(on_island)
    cols = np.flatnonzero(on_island)
    for origins, dests in ((rows, np.arange(n)), (np.arange(n), cols)):
        if origins.size == 0 or dests.size == 0:
            continue
        total = reach_min[origins][:, None, :] + back_min[:, dests].T[None, :, :]
        last = np.argmin(total, axis=2)
        best = np.take_along_axis(total, last[:, :, None], axis=2)[:, :, 0]
        o, d = np.ix_(origins, dests)
        better = best < minutes[o, d]
        if not better.any():
            continue
        bo, bd = o.repeat(len(dests), 1)[better], d.repeat(len(origins), 0)[better]
        lm = last[better]
        minutes[bo, bd] = best[better]
        km[bo, bd] = reach_km[bo, lm] + back_km[lm, bd]
        boat_minutes[bo, bd] = reach_boat[bo, lm] + back_boat[lm, bd]
        via[bo, bd] = first[bo, lm]
        via_end[bo, bd] = lm
    if np.array_equal(land_minutes, land_minutes.T) and np.array_equal(land_km, land_km.T):
        # Same legs both ways: make the result exactly symmetric (sums added in another order
        # can differ in the last bit). Only island rows/columns changed above.
        isl = rows
        for arr in (minutes, km, boat_minutes):
            arr[:, isl] = arr[isl, :].T
        via[:, isl], via_end[:, isl] = via_end[isl, :].T, via[isl, :].T
        block = np.ix_(isl, isl)
        low = np.tril_indices(isl.size, -1)
        for arr in (minutes, km, boat_minutes):
            sub = arr[block]
            sub[low] = sub.T[low]
            arr[block] = sub
        sub_via, sub_end = via[block], via_end[block]
        sub_via[low], sub_end[low] = sub_end.T[low], sub_via.T[low]
        via[block], via_end[block] = sub_via, sub_end
    return Legs(minutes, km, boat_minutes, via, via_end)
