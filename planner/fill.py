"""Fill the idle minutes of solved team-days with more recordings where residents are waiting.

The solver packs days with visit chunks of about an hour of recording (:data:`planner.plan.
CHUNK_MINUTES`), so most days end with a remainder too short for another chunk: measured on the
Banten week of 2017-11-13 (example teams, 20 s), 35 minutes a team-day, split between leaving the
depot after the shift starts and coming back before it ends. A team in the field does not pack
up early while residents are still queueing: it keeps recording. :func:`fill_days` does the
same on the solved routes. It lengthens visits at sites that still have expected residents
left this week, using the time the route leaves free at the start (leave earlier) and at the
end (come back later), without moving a break outside its window or a return past the shift
end. Travel, order and places stay as the solver chose them, so every guarantee
:func:`planner.verify.verify_plan` checks still holds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from planner.routing.solution import Route, ScheduledBreak, Stop
from planner.weekplan import Chunk, GroupProblem, GroupResult, TeamDay

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
    max_per_visit: int,
) -> list[GroupResult]:
    """Lengthen visits into each route's free time while their site has residents left.

    Parameters
    ----------
    results
        Solved groups.
    expected
        Expected recordings of the week per site id (the demand the chunks were cut from).
    max_per_visit
        Largest number of recordings planned for one visit (consecutive chunks of one site on
        one team-day), the policy's ``max_attendance_per_visit_day``.

    Returns
    -------
    list of GroupResult
        The same groups with lengthened chunks and re-timed routes. Team-days are filled in
        date order, then team id, and within a day the highest-priority site first, so the
        result is deterministic. Pinned (locked) visits are never changed.

    Examples
    --------
    A visit of 40 recordings (1 kit, 7 min each) from 08:00 to 12:40, a depot 0 minutes away
    and a shift ending at 14:00 leaves 80 minutes: 11 more recordings fit, if the site has them.
    """
    planned: dict[str, int] = {}
    for result in results:
        chunks = {c.chunk_id: c for c in result.group.chunks}
        for route in result.solution.routes:
            for stop in route.stops:
                chunk = chunks[stop.visit_id]
                planned[chunk.site_id] = planned.get(chunk.site_id, 0) + chunk.recordings
    left = {site: max(0, int(expected.get(site, 0)) - n) for site, n in planned.items()}

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
    for td, g, r in order:
        route, changed = _fill_route(new_routes[g][r], td, new_chunks[g], left, max_per_visit)
        new_routes[g][r] = route
        for chunk in changed:
            new_chunks[g][chunk.chunk_id] = chunk

    out: list[GroupResult] = []
    for g, result in enumerate(results):
        group: GroupProblem = result.group
        filled = tuple(new_chunks[g][c.chunk_id] for c in group.chunks)
        solution = replace(result.solution, routes=tuple(new_routes[g]))
        out.append(GroupResult(group=replace(group, chunks=filled), solution=solution))
    return out


def _fill_route(
    route: Route,
    td: TeamDay,
    chunks: Mapping[str, Chunk],
    left: dict[str, int],
    max_per_visit: int,
) -> tuple[Route, list[Chunk]]:
    """Fill one route; ``left`` (residents left per site) is updated in place."""
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
        room = _room(i, stops, breaks, start, end, td)
        visit = _visit_recordings(i, stops, chunks, changed)
        extra = min(
            left[chunk.site_id],
            max_per_visit - visit,
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
        stops[i] = Stop(
            visit_id=stop.visit_id,
            node=stop.node,
            arrival=stop.arrival - early,
            start=stop.start - early,
            end=stop.end + late,
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
    filled = replace(route, stops=tuple(stops), breaks=tuple(breaks), start=start, end=end)
    return filled, list(changed.values())


def _chunk(stop: Stop, chunks: Mapping[str, Chunk], changed: Mapping[str, Chunk]) -> Chunk:
    return changed.get(stop.visit_id) or chunks[stop.visit_id]


def _shift(stop: Stop, minutes: float) -> Stop:
    return Stop(
        visit_id=stop.visit_id,
        node=stop.node,
        arrival=stop.arrival + minutes,
        start=stop.start + minutes,
        end=stop.end + minutes,
    )


def _room(
    i: int,
    stops: Sequence[Stop],
    breaks: Sequence[ScheduledBreak],
    start: float,
    end: float,
    td: TeamDay,
) -> _Room:
    """How far stop ``i`` can grow later and earlier within the shift and break windows."""
    day = td.day
    late = day.shift_end - end
    early = start - day.shift_start
    cut = stops[i].start
    for b in breaks:
        if b.start >= cut:
            if day.break_latest is not None:
                late = min(late, day.break_latest - b.start)
        elif day.break_earliest is not None:
            early = min(early, b.start - day.break_earliest)
    return _Room(late=max(0.0, late), early=max(0.0, early))


def _visit_recordings(
    i: int, stops: Sequence[Stop], chunks: Mapping[str, Chunk], changed: Mapping[str, Chunk]
) -> int:
    """Recordings of the visit stop ``i`` belongs to: consecutive stops at the same site."""

    def site(k: int) -> str:
        return _chunk(stops[k], chunks, changed).site_id

    lo = i
    while lo > 0 and site(lo - 1) == site(i):
        lo -= 1
    hi = i
    while hi + 1 < len(stops) and site(hi + 1) == site(i):
        hi += 1
    return sum(_chunk(stops[k], chunks, changed).recordings for k in range(lo, hi + 1))
