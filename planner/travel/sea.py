"""Sea legs through ports, composed on top of any provider's land matrix.

A region is a set of land parts (:mod:`planner.travel.parts`); places, depots and ports may
stand on any of them. A leg inside a part is a land leg. A leg between two parts always goes
through ports by boat:

* place -> first port: by land when the port is on the place's part, or by the boat of a port
  that ``serves`` the place's part (``ports.csv`` ``serves_kode_desa``: the boat lands at the
  place itself, as Banten's island crossings do);
* first port -> last port: the fastest route of
  :func:`~planner.travel.port_graph.port_graph`, by land between ports of one part and by boat
  between parts: scheduled ferries (``sea_links.csv`` ``ferry`` rows, one direction, only on
  their days), named charters (``charter`` rows, both directions) and, with
  ``[sea] charter_max_km``, a charter between any two ports that close;
* last port -> place: the same as the first step, backwards.

Every boat hop costs ``boarding_minutes`` plus the crossing: the published minutes when given,
else straight-line distance x sea circuity at the boat (``serves``) or charter speed.

Modelling choices:

* ferry days: a matrix is built for one weekday (``weekday``) or for the week (``None``: every
  ferry that runs on some day). A leg that needs a ferry on a day without one is impossible on
  that day (``inf``), never a wait until the next sailing. A ferry whose days are not
  published (empty ``days``) runs on no day: it is kept for reference, never planned on;
* a ferry without published minutes crosses at ``[sea] ferry_speed_kmh`` (an assumption);
* ferry departure times (a *timed* ferry: ``departure`` given) need a clock, and a matrix has
  none. With ``depart`` (:func:`compose_sea_legs`) only the rows of the places a team-day starts
  from, leaving at a known clock (the shift start), may catch a timed ferry: the team is at the
  port by the departure less ``boarding_minutes``, waits (the wait is in the leg's minutes) and
  lands at departure + crossing (:class:`~planner.travel.types.FerryCatch`; the search is in
  :mod:`planner.travel.ferries`); a departure the team cannot reach in time makes that route
  impossible. Every other leg of such a matrix (mid-day, back to the depot or base) takes charters
  and untimed ferries only, or is impossible. This is how boat teams travel: the morning boat out,
  the morning boat back on a trip's last day. Without ``depart`` (the week's ranking matrix, maps)
  a timed ferry leaves when the team reaches the port, an optimistic estimate;
* a ``serves`` crossing whose ``ports.csv`` row names a ferry in ``crossing_link`` is that
  ferry on the way out of the port: it leaves at the ferry's departure when the ferry is timed
  (:attr:`~planner.travel.types.Port.serves_departure`, caught on first legs only, as above)
  and runs only on the ferry's days when they are published
  (:attr:`~planner.travel.types.Port.serves_days`; on another weekday the boat out is
  ``inf``). A ferry with unpublished days does not stop the crossing: it runs every day, as
  the port row itself says a boat goes (unlike the ferry, which is never planned on). The way
  back is not that ferry (a ferry runs one way): it stays untimed and runs every day, as the
  row describes it;
* the boat of a ``serves`` crossing may land at another place of the same part and go on by
  land if that is quicker;
* pairs on one part never take a boat shortcut, even where a boat around a headland would be
  faster; pairs on the most common part are not even searched (the cost stays that of a few
  island rows in a mainland region);
* a port outside the region stands on a part of its own (``port:<id>``): only boats reach it;
* the km of a leg are the km of its fastest route (boat km included), so km obey the
  triangle inequality only for land legs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from planner.travel.ferries import first_leg_row, timed_serves
from planner.travel.geodesic import haversine_km, pairwise_haversine_km
from planner.travel.params import TravelParams
from planner.travel.port_graph import direct_hops, port_graph
from planner.travel.types import FerryCatch, Mode, Place, Port, SeaNetwork


@dataclass(frozen=True)
class Legs:
    """Arrays of one travel matrix before it is wrapped in a ``TravelMatrix``."""

    minutes: np.ndarray
    km: np.ndarray
    boat_minutes: np.ndarray
    via_port: np.ndarray
    via_port_end: np.ndarray
    ferries: Mapping[tuple[int, int], tuple[FerryCatch, ...]] = field(default_factory=dict)


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
            if place.island not in port.serves or port.island == place.island:
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
    sea: SeaNetwork | None = None,
    weekday: int | None = None,
    depart: Mapping[int, float] | None = None,
) -> Legs:
    """Combine a land matrix over ``places + ports`` with boat trips through the ports.

    A leg inside a land part is the land leg. A leg between two parts is: land (or, for a
    part a port ``serves``, the boat landing at the place itself) to a first port, the
    fastest port-to-port route (:func:`~planner.travel.port_graph.port_graph`: boats between
    parts, land inside one), and on from the last port. It never changes part without boat
    minutes.

    Parameters
    ----------
    places, ports
        The ``n`` places of the matrix and the ``k`` ports.
    land_minutes, land_km
        ``(n + k, n + k)`` land legs over ``places`` then ``ports`` (port ``j`` is row
        ``n + j``), ``inf`` between different land parts.
    params
        Boarding minutes, boat speed and sea circuity.
    boat
        Whether boat trips are allowed; without them the land legs are returned unchanged.
    sea
        Ferries and charters between ports (``None``: only the ``serves`` crossings).
    weekday
        Only ferries running that day (``None``: ferries of any day of the week).
    depart
        ``None``: no clock, a timed ferry leaves when the team reaches its port (the week's
        estimate). Else row index -> clock minute the team leaves that place: only those rows
        (first legs of a team-day) may catch timed ferries, waiting at the port for the
        departure; every other leg uses charters and untimed ferries only
        (:attr:`Legs.ferries` names the ferries caught).

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
    keys = [p.island for p in places]
    counts: dict[str | None, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    # pairs on the most common part are joined by land only (no boat shortcut inside a part)
    common = max(counts, key=lambda c: (counts[c], c is None)) if counts else None
    apart = np.array([key != common for key in keys], dtype=bool)
    if not boat or k == 0 or not apart.any():
        return Legs(minutes, km, boat_minutes, via, via_end)

    sea_min, sea_km = crossing(places, ports, params)
    sea_boat = sea_min.copy()
    _land_on_the_island(places, land_minutes, land_km, sea_min, sea_km, sea_boat)
    # Place -> port j (forward) and port m -> place (back): by land on the port's part, or by
    # the boat of a port that serves the place's part, whichever is faster.
    land_fwd, land_back = land_minutes[:n, n:], land_minutes[n:, :n]
    by_sea = sea_min < land_fwd
    fwd_min = np.where(by_sea, sea_min, land_fwd)
    fwd_km = np.where(by_sea, sea_km, land_km[:n, n:])
    fwd_boat = np.where(by_sea, sea_boat, 0.0)
    clocked = depart is not None
    # the boat out of a port whose serves crossing is a timed ferry: caught on first legs only
    timed_out = np.array(
        [[p.island in port.serves_departure for port in ports] for p in places], dtype=bool
    )
    clocked_out = clocked and bool(timed_out.any())
    out_min = np.where(timed_out, np.inf, sea_min) if clocked_out else sea_min
    # the boat out of a port that follows a ferry's days: none on a day the ferry skips
    closed = np.array(
        [
            [p.island is not None and not port.serves_on(p.island, weekday) for port in ports]
            for p in places
        ],
        dtype=bool,
    )
    out_min = np.where(closed, np.inf, out_min)
    by_sea_back = land_back > out_min.T
    back_min = np.where(by_sea_back, out_min.T, land_back)
    back_km = np.where(by_sea_back, sea_km.T, land_km[n:, :n])
    back_boat = np.where(by_sea_back, sea_boat.T, 0.0)
    port_land_min, port_land_km = land_minutes[n:, n:], land_km[n:, n:]
    graph = port_graph(ports, port_land_min, port_land_km, params, sea, weekday, timed=not clocked)
    port_min, port_km = graph.minutes, graph.km

    # Best first port j for each (origin, last port m): (n, k).
    through = fwd_min[:, :, None] + port_min[None, :, :]
    first = np.argmin(through, axis=1)
    reach_min = np.take_along_axis(through, first[:, None, :], axis=1)[:, 0, :]
    cols_k = np.arange(k)[None, :]
    reach_km = np.take_along_axis(fwd_km, first, axis=1) + port_km[first, cols_k]
    reach_boat = np.take_along_axis(fwd_boat, first, axis=1) + graph.boat_minutes[first, cols_k]

    rows = np.flatnonzero(apart)
    part_of = {key: i for i, key in enumerate(counts)}
    part = np.array([part_of[key] for key in keys], dtype=np.int64)
    for origins, dests in ((rows, np.arange(n)), (np.arange(n), rows)):
        total = reach_min[origins][:, None, :] + back_min[:, dests].T[None, :, :]
        last = np.argmin(total, axis=2)
        best = np.take_along_axis(total, last[:, :, None], axis=2)[:, :, 0]
        o, d = np.ix_(origins, dests)
        # inside one part the leg stays on land, even where a boat around would be faster
        better = (best < minutes[o, d]) & (part[o] != part[d])
        if not better.any():
            continue
        bo, bd = o.repeat(len(dests), 1)[better], d.repeat(len(origins), 0)[better]
        lm = last[better]
        minutes[bo, bd] = best[better]
        km[bo, bd] = reach_km[bo, lm] + back_km[lm, bd]
        boat_minutes[bo, bd] = reach_boat[bo, lm] + back_boat[lm, bd]
        via[bo, bd] = first[bo, lm]
        via_end[bo, bd] = lm
    symmetric = (
        not clocked_out  # the boat out is timed, the boat back is not
        and not closed.any()  # the boat out does not run today, the boat back does
        and np.array_equal(land_minutes, land_minutes.T)
        and np.array_equal(land_km, land_km.T)
        and np.array_equal(port_min, port_min.T)
    )
    if symmetric:
        # Same legs both ways: make the result exactly symmetric (sums added in another order
        # can differ in the last bit). Only the rows/columns off the common part changed above.
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
    ferries: dict[tuple[int, int], tuple[FerryCatch, ...]] = {}
    if depart:
        hops = direct_hops(ports, port_land_min, port_land_km, params, sea, weekday, timed=False)
        if hops.timed or clocked_out:
            timed_back = timed_serves(places, ports, sea_min, sea_km, sea_boat, weekday)
            for row, t0 in sorted(depart.items()):
                leg_min, leg_km, leg_boat, leg_first, leg_last, caught = first_leg_row(
                    row,
                    float(t0),
                    fwd_min,
                    fwd_km,
                    fwd_boat,
                    (back_min, back_km, back_boat),
                    timed_back,
                    hops,
                    ports,
                    params.boarding_minutes,
                )
                better = (leg_min < minutes[row] - 1e-9) & (part != part[row])
                for col in (int(c) for c in np.flatnonzero(better)):
                    if not caught[col]:
                        continue  # no timed ferry on it: the untimed leg is as good
                    minutes[row, col], km[row, col] = leg_min[col], leg_km[col]
                    boat_minutes[row, col] = leg_boat[col]
                    via[row, col], via_end[row, col] = leg_first[col], leg_last[col]
                    ferries[(row, col)] = caught[col]
    return Legs(minutes, km, boat_minutes, via, via_end, ferries)
