"""Fill the idle minutes of solved team-days with more recordings where residents are waiting.

The solver packs days with visit chunks of about an hour of recording (:data:`planner.week.plan.
CHUNK_MINUTES`), so most days end with a remainder too short for another chunk: measured on the
Banten week of 2017-11-13 (example teams, 20 s), 35 minutes a team-day, split between leaving the
depot after the shift starts and coming back before it ends. A team in the field does not pack
up early while residents are still queueing: it keeps recording. :func:`fill_days` does the
same on the solved routes. It lengthens visits at sites that still have expected residents
left this week, using the time the route leaves free at the start (leave earlier) and at the
end (come back later), without moving a break outside its window or a return past the shift
end. Travel, order and places stay as the solver chose them, so every guarantee
:func:`planner.week.verify.verify_plan` checks still holds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from planner.routing.solution import Route, ScheduledBreak, Stop
from planner.week.types import Chunk, GroupProblem, GroupResult, TeamDay

_EPS = 1e-6


@dataclass
class _Room:
    """Minutes a stop can be lengthened by: shifting what follows later (``late``) or what
    precedes it, itself included, earlier (``early``)."""

    late: float
    early: float


def fill_days(
    results: Sequence[GroupResult],
    expected: Mapping[str, int],
    max_per_day: int,
    *,
    lengthen: bool = True,
) -> list[GroupResult]:
    """Hold each place to its daily queue limit, then lengthen visits into each route's free
    time while their site has residents left.

    Parameters
    ----------
    results
        Solved groups.
    expected
        Expected recordings of the week per site id (the demand the chunks were cut from).
    max_per_day
        Most recordings at one place in one day, all teams together (the policy's
        ``max_attendance_per_visit_day``, a queue limit). The solver bounds each chunk, not a
        place's day: when two teams of a group work one large village on the same day, the
        later one in (team id) order is cut back to what the limit leaves, or its visit is
        dropped (the times of its other stops stay valid: travel obeys the triangle
        inequality).
    lengthen
        ``False``: only hold places to the limit (the solver's chunks kept otherwise).

    Returns
    -------
    list of GroupResult
        The same groups with lengthened chunks and re-timed routes. Team-days are filled in
        date order, then team id, and within a day the highest-priority site first, so the
        result is deterministic. Pinned (locked) visits are never lengthened, and a kept
        announced visit is never moved out of its window (``Chunk.announced_window``).

    Examples
    --------
    A visit of 40 recordings (1 kit, 7 min each) from 08:00 to 12:40, a depot 0 minutes away
    and a shift ending at 14:00 leaves 80 minutes: 11 more recordings fit, if the site has them.
    """
    order = sorted(
        (
            (result.group.team_days[route.vehicle], g, r)
            for g, result in enumerate(results)
            for r, route in enumerate(result.solution.routes)
            if route.stops
        ),
        key=lambda item: (item[0].day.date, item[0].team.id, item[1], item[2]),
    )
    new_routes = {g: list(result.solution.routes) for g, result in enumerate(results)}
    new_chunks = {
        g: {c.chunk_id: c for c in result.group.chunks} for g, result in enumerate(results)
    }
    dropped: dict[int, set[str]] = {g: set() for g in range(len(results))}
    day_total: dict[tuple[str, date], int] = {}
    for td, g, r in order:
        route, changed, gone = _cap_route(
            new_routes[g][r], td, new_chunks[g], day_total, max_per_day
        )
        new_routes[g][r] = route
        dropped[g] |= gone
        for chunk in changed:
            new_chunks[g][chunk.chunk_id] = chunk

    planned: dict[str, int] = {}
    for (site, _), n in day_total.items():
        planned[site] = planned.get(site, 0) + n
    left = {site: max(0, int(expected.get(site, 0)) - n) for site, n in planned.items()}
    if lengthen:
        for td, g, r in order:
            route, changed = _fill_route(
                new_routes[g][r], td, new_chunks[g], left, day_total, max_per_day
            )
            new_routes[g][r] = route
            for chunk in changed:
                new_chunks[g][chunk.chunk_id] = chunk

    out: list[GroupResult] = []
    for g, result in enumerate(results):
        group: GroupProblem = result.group
        filled = tuple(new_chunks[g][c.chunk_id] for c in group.chunks)
        left_out = set(result.solution.dropped) | dropped[g]
        solution = replace(
            result.solution,
            routes=tuple(new_routes[g]),
            dropped=tuple(c.chunk_id for c in group.chunks if c.chunk_id in left_out),
        )
        out.append(GroupResult(group=replace(group, chunks=filled), solution=solution))
    return out


def _cap_route(
    route: Route,
    td: TeamDay,
    chunks: Mapping[str, Chunk],
    day_total: dict[tuple[str, date], int],
    max_per_day: int,
) -> tuple[Route, list[Chunk], set[str]]:
    """Cut the route's visits to what each place's daily limit leaves; ``day_total`` (planned
    recordings per place and date so far) is updated in place."""
    per_minute = td.team.kits / td.team.minutes_per_record
    kept: list[Stop] = []
    changed: list[Chunk] = []
    gone: set[str] = set()
    for stop in route.stops:
        chunk = chunks[stop.visit_id]
        key = (chunk.site_id, td.day.date)
        room = max_per_day - day_total.get(key, 0)
        if chunk.recordings > room and chunk.locked_vehicle_id is None:
            if room <= 0:
                gone.add(chunk.chunk_id)
                continue
            chunk = replace(chunk, recordings=room)
            changed.append(chunk)
            stop = replace(stop, end=stop.start + room / per_minute)
        day_total[key] = day_total.get(key, 0) + chunk.recordings
        kept.append(stop)
    if len(kept) == len(route.stops) and not changed:
        return route, [], set()
    if not kept:  # nothing left to do that day: the team stays home
        return replace(route, stops=(), breaks=(), end=route.start), changed, gone
    return replace(route, stops=tuple(kept)), changed, gone


def _fill_route(
    route: Route,
    td: TeamDay,
    chunks: Mapping[str, Chunk],
    left: dict[str, int],
    day_total: dict[tuple[str, date], int],
    max_per_day: int,
) -> tuple[Route, list[Chunk]]:
    """Fill one route; ``left`` (residents left per site) and ``day_total`` are updated."""
    team = td.team
    per_minute = team.kits / team.minutes_per_record
    changed: dict[str, Chunk] = {}
    stops = list(route.stops)
    breaks = list(route.breaks)
    start, end = route.start, route.end
    tried: set[int] = set()
    while True:
        candidates = [
            i
            for i, stop in enumerate(stops)
            if i not in tried
            and left.get(_chunk(stop, chunks, changed).site_id, 0) > 0
            and _chunk(stop, chunks, changed).locked_vehicle_id is None
        ]
        if not candidates:
            break
        # highest priority first; among equals the later stop (its shift moves less)
        i = max(candidates, key=lambda k: (_chunk(stops[k], chunks, changed).weight, k))
        tried.add(i)
        chunk = _chunk(stops[i], chunks, changed)
        windows = [_chunk(stop, chunks, changed).announced_window for stop in stops]
        room = _room(i, stops, breaks, start, end, td, windows)
        key = (chunk.site_id, td.day.date)
        extra = min(
            left.get(chunk.site_id, 0),
            max_per_day - day_total.get(key, 0),
            math.floor((room.late + room.early) * per_minute + _EPS),
        )
        if extra <= 0:
            continue
        minutes = extra / per_minute
        late = min(minutes, room.late)
        early = minutes - late
        cut = stops[i].start
        # what follows stop i moves later, stop i and what precedes it moves earlier
        stops = [
            _shift(s, -early) if k < i else _shift(s, late) if k > i else s
            for k, s in enumerate(stops)
        ]
        stop = stops[i]
        stops[i] = replace(
            stop, arrival=stop.arrival - early, start=stop.start - early, end=stop.end + late
        )
        breaks = [
            ScheduledBreak(b.start + late, b.end + late)
            if b.start >= cut
            else ScheduledBreak(b.start - early, b.end - early)
            for b in breaks
        ]
        start -= early
        end += late
        changed[chunk.chunk_id] = replace(chunk, recordings=chunk.recordings + extra)
        left[chunk.site_id] -= extra
        day_total[key] = day_total.get(key, 0) + extra
    filled = replace(route, stops=tuple(stops), breaks=tuple(breaks), start=start, end=end)
    return filled, list(changed.values())


def _chunk(stop: Stop, chunks: Mapping[str, Chunk], changed: Mapping[str, Chunk]) -> Chunk:
    return changed.get(stop.visit_id) or chunks[stop.visit_id]


def _shift(stop: Stop, minutes: float) -> Stop:
    return replace(
        stop, arrival=stop.arrival + minutes, start=stop.start + minutes, end=stop.end + minutes
    )


def _room(
    i: int,
    stops: Sequence[Stop],
    breaks: Sequence[ScheduledBreak],
    start: float,
    end: float,
    td: TeamDay,
    windows: Sequence[tuple[float, float] | None] = (),
) -> _Room:
    """How far stop ``i`` can grow later and earlier within the shift and break windows, and
    without moving a kept announced visit out of its window (``windows``, one per stop)."""
    day = td.day
    late = day.shift_end - end
    early = start - day.shift_start
    for k, window in enumerate(windows):
        if window is None:
            continue
        if k > i:  # what follows stop i moves later
            late = min(late, window[1] - stops[k].start)
        else:  # stop i and what precedes it move earlier
            early = min(early, stops[k].start - window[0])
    cut = stops[i].start
    for b in breaks:
        if b.start >= cut:
            if day.break_latest is not None:
                late = min(late, day.break_latest - b.start)
        elif day.break_earliest is not None:
            early = min(early, b.start - day.break_earliest)
    return _Room(late=max(0.0, late), early=max(0.0, early))
