"""Independent checks of a planned week, in real arithmetic.

:func:`verify_plan` re-derives every time from the travel matrices and the teams, and lists
every violation of what a plan promises: visits inside shifts and outside breaks, no team in two
places, arrival times that match the travel model, boat legs only for boat teams, locked visits
kept, an announced visit kept or moved but not both, expected recordings within belum rekam, no
place over its daily queue limit (all teams together), the total within the capacity bound, and
the sea rule: no leg changes land part without boat minutes, and no leg inside one land part
uses a boat (a team based on an island works its own island by land). Timed ferries
(``sea_links.csv`` ``departure``): only the first leg of a team-day catches one; the team
leaves at the clock the leg assumes, is at the port by the departure, lands no sooner than
departure + crossing, on a day the ferry runs, and the itinerary names that departure. And
the nights: each team-day starts where the team's previous team-day ended (a trip that
moves between islands starts each day at the last night's place), and a day with nothing
planned can still make its move from one night place to the next within its shift.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping, Sequence

from planner.domain.workdays import format_minutes
from planner.travel import Mode, TravelMatrix
from planner.week.groups import matrix_of, profile_of
from planner.week.types import GroupProblem, TeamDay, WeekPlan

TOLERANCE_MINUTES = 1.0
"""Rounding slack: the solver works in whole minutes."""


def _written_departures(plan: WeekPlan) -> dict[tuple[str, str, str], str] | None:
    """``(team, date, site)`` -> the ferry departure the itinerary names for the leg to it
    (``None``: an itinerary without the column)."""
    frame = plan.itinerary
    if "ferry_departure" not in frame.columns:
        return None
    out = {}
    for team_id, day_iso, site_id, departs in zip(
        frame["team_id"], frame["date"], frame["site_id"], frame["ferry_departure"], strict=True
    ):
        key = (str(team_id), str(day_iso), str(site_id))
        out[key] = departs if isinstance(departs, str) else ""
    return out


def _sea_rule(
    where: str,
    parts: Mapping[str, str | None],
    places: Sequence[str],
    matrix: TravelMatrix,
    a: int,
    b: int,
) -> list[str]:
    """The leg ``a -> b`` changes land part only by boat, and stays on land inside a part."""
    if a == b or places[a] not in parts or places[b] not in parts:
        return []
    boat = float(matrix.boat_minutes[a, b])
    changes = parts[places[a]] != parts[places[b]]
    if changes and not boat > 0 and matrix.mode != Mode.perahu:
        return [f"{where}: {places[a]} -> {places[b]} changes land part without a boat"]
    if not changes and boat > 0 and matrix.mode != Mode.perahu:
        return [f"{where}: {places[a]} -> {places[b]} takes a boat inside one land part"]
    return []


def _ferry_rule(
    where: str,
    matrix: TravelMatrix,
    a: int,
    b: int,
    *,
    first: bool,
    leave: float,
    arrival: float,
    weekday: int,
    written: str | None,
) -> list[str]:
    """The timed ferries the leg ``a -> b`` catches (first legs only): clock, port, day."""
    caught = matrix.ferries.get((a, b), ())
    if not caught:
        return []
    if not first:
        return [f"{where}: a timed ferry ({caught[0].link_id}) on a leg without a known clock"]
    tol = TOLERANCE_MINUTES
    out = []
    for c in caught:
        ferry = f"{where}: ferry {c.link_id} at {format_minutes(round(c.departure))}"
        if abs(leave - c.leave) > tol:
            out.append(f"{ferry}: the team leaves at {leave:.0f}, the leg assumes {c.leave:.0f}")
        at_port = leave + (c.at_port - c.leave)
        if at_port > c.departure + tol:
            out.append(f"{ferry}: the team reaches {c.port} at {at_port:.0f}, after the departure")
        if weekday not in c.days:
            out.append(f"{ferry}: the ferry does not run on weekday {weekday}")
    last = caught[-1]
    if arrival + tol < last.departure + last.crossing:
        out.append(
            f"{where}: arrives {arrival:.0f}, before ferry {last.link_id} leaving at "
            f"{format_minutes(round(last.departure))} lands ({last.departure + last.crossing:.0f})"
        )
    departs = format_minutes(round(caught[0].departure))
    if written is not None and written != departs:
        said = f"says the ferry leaves at {written}" if written else "names no ferry departure"
        out.append(f"{where}: the itinerary {said}, not {departs}")
    return out


def _night_rule(plan: WeekPlan) -> list[str]:
    """Each team-day starts where the team's previous one ended; a day that moves from one
    night place to another without stops can make that move (by boat across parts)."""
    problems: list[str] = []
    days: dict[str, list[tuple[TeamDay, GroupProblem, int]]] = {}
    for result in plan.results:
        group = result.group
        for k, td in enumerate(group.team_days):
            days.setdefault(td.team.id, []).append((td, group, k))
    stops = {
        (id(result.group), route.vehicle): bool(route.stops)
        for result in plan.results
        for route in result.solution.routes
    }
    for team_id, entries in sorted(days.items()):
        entries.sort(key=lambda e: e[0].day.date)
        for (prev, _, _), (td, _, _) in itertools.pairwise(entries):
            if td.start_place != prev.end_place:
                problems.append(
                    f"{team_id} {td.day.date.isoformat()}: starts at {td.start_place}, but the "
                    f"team slept at {prev.end_place}"
                )
        for td, group, k in entries:
            if td.start_place == td.end_place or stops.get((id(group), k), False):
                continue
            where = f"{team_id} {td.day.date.isoformat()}"
            matrix = matrix_of(group.matrices, td)
            node_of = {p: i for i, p in enumerate(group.places)}
            a, b = node_of[td.start_place], node_of[td.end_place]
            if not float(matrix.minutes[a, b]) <= td.day.shift_end - td.day.shift_start:
                problems.append(f"{where}: cannot go from {td.start_place} to {td.end_place}")
            problems += _sea_rule(where, group.parts, group.places, matrix, a, b)
    return problems


def verify_plan(plan: WeekPlan, locked: Collection[str] = ()) -> list[str]:
    """Every violated guarantee of ``plan``, as readable messages (empty when all hold).

    Parameters
    ----------
    plan
        A planned week.
    locked
        Visit (chunk) ids that were pinned and must appear in the plan.
    """
    problems: list[str] = []
    tol = TOLERANCE_MINUTES
    seen_chunks: set[str] = set()
    busy: dict[tuple[str, str], int] = {}
    planned_by_site: dict[str, int] = {}
    place_day: dict[tuple[str, str], int] = {}
    written = _written_departures(plan)
    for result in plan.results:
        group = result.group
        node_of = {p: i for i, p in enumerate(group.places)}
        chunks = {c.chunk_id: c for c in group.chunks}
        for route in result.solution.routes:
            td = group.team_days[route.vehicle]
            team, day = td.team, td.day
            where = f"{team.id} {day.date.isoformat()}"
            key = (team.id, day.date.isoformat())
            busy[key] = busy.get(key, 0) + (1 if route.stops else 0)
            matrix = matrix_of(group.matrices, td)
            if route.start < day.shift_start - tol or route.end > day.shift_end + tol:
                problems.append(f"{where}: route {route.start:.0f}-{route.end:.0f} outside shift")
            prev_node, prev_end = node_of[td.start_place], route.start
            for stop in route.stops:
                chunk = chunks[stop.visit_id]
                if stop.visit_id in seen_chunks:
                    problems.append(f"{where}: visit {stop.visit_id} planned twice")
                seen_chunks.add(stop.visit_id)
                node = node_of[chunk.site_id]
                travel = float(matrix.minutes[prev_node, node])
                setup = float(team.setup_minutes) if node != prev_node else 0.0
                service = chunk.recordings * team.minutes_per_record / team.kits
                if travel == float("inf"):
                    problems.append(f"{where}: {chunk.site_id} unreachable by {profile_of(team)}")
                if stop.start + tol < prev_end + travel + setup:
                    problems.append(
                        f"{where}: {chunk.site_id} starts {stop.start:.1f} before "
                        f"{prev_end:.1f} + travel {travel:.1f} + set-up {setup:.0f}"
                    )
                if abs(stop.end - stop.start - service) > tol:
                    problems.append(f"{where}: {chunk.site_id} service time is not {service:.1f}")
                if stop.start < day.shift_start - tol or stop.end > day.shift_end + tol:
                    problems.append(f"{where}: {chunk.site_id} outside the shift")
                for brk in route.breaks:
                    if stop.start < brk.end - tol and brk.start < stop.end - tol:
                        problems.append(f"{where}: {chunk.site_id} overlaps the break")
                if float(matrix.boat_minutes[prev_node, node]) > 0 and not team.boat:
                    problems.append(f"{where}: boat leg to {chunk.site_id} for a land team")
                problems += _sea_rule(where, group.parts, group.places, matrix, prev_node, node)
                first = prev_node == node_of[td.start_place] and stop is route.stops[0]
                problems += _ferry_rule(
                    where,
                    matrix,
                    prev_node,
                    node,
                    first=first,
                    leave=route.start,
                    arrival=stop.arrival - setup,
                    weekday=day.date.weekday(),
                    written=None
                    if written is None
                    else written.get((team.id, day.date.isoformat(), chunk.site_id), ""),
                )
                planned_by_site[chunk.site_id] = (
                    planned_by_site.get(chunk.site_id, 0) + chunk.recordings
                )
                if chunk.locked_vehicle_id is None:  # a pinned visit was promised before
                    key = (chunk.site_id, day.date.isoformat())
                    place_day[key] = place_day.get(key, 0) + chunk.recordings
                prev_node, prev_end = node, stop.end
            end_node = node_of[td.end_place]
            if route.stops:
                problems += _sea_rule(where, group.parts, group.places, matrix, prev_node, end_node)
                problems += _ferry_rule(
                    where,
                    matrix,
                    prev_node,
                    end_node,
                    first=False,
                    leave=route.start,
                    arrival=route.end,
                    weekday=day.date.weekday(),
                    written=None,
                )
            back = float(matrix.minutes[prev_node, end_node])
            if route.stops and prev_end + back > day.shift_end + tol:
                problems.append(f"{where}: at {td.end_place} after the shift end")
            if route.breaks and day.break_minutes:
                for brk in route.breaks:
                    if abs(brk.end - brk.start - day.break_minutes) > tol:
                        problems.append(f"{where}: break is not {day.break_minutes} minutes")
    served: dict[str, list[str]] = {}  # a re-plan's kept-or-moved pairs: one of each served
    for result in plan.results:
        chunks = {c.chunk_id: c for c in result.group.chunks}
        for route in result.solution.routes:
            for stop in route.stops:
                pair = chunks[stop.visit_id].alternatives
                if pair is not None:
                    served.setdefault(pair, []).append(stop.visit_id)
    for pair, ids in sorted(served.items()):
        if len(ids) > 1:
            problems.append(f"announced visit {pair}: served {len(ids)} times ({', '.join(ids)})")
    for (team_id, day_iso), routes in busy.items():
        if routes > 1:
            problems.append(f"{team_id} {day_iso}: in {routes} routes on one day")
    limit = plan.meta.get("max_recordings_per_place_day")
    if isinstance(limit, int):
        for (site_id, day_iso), recordings in sorted(place_day.items()):
            if recordings > limit:
                problems.append(
                    f"{site_id} {day_iso}: {recordings} recordings planned, over the limit of "
                    f"{limit} a day at one place"
                )
    belum_of = dict(zip(plan.sites["site_id"], plan.sites["belum_rekam"], strict=True))
    expected_of = dict(zip(plan.sites["site_id"], plan.sites["expected"], strict=True))
    for site_id, recordings in planned_by_site.items():
        belum = int(belum_of[site_id])
        if recordings > int(expected_of[site_id]) or recordings > belum:
            problems.append(f"{site_id}: {recordings} planned > expected/belum rekam ({belum})")
    total = sum(planned_by_site.values())
    bound = float(str(plan.summary["capacity_bound"]))
    if total > bound + 1e-6:
        problems.append(f"planned {total} recordings exceed the capacity bound {bound:.1f}")
    if total != plan.summary["planned_recordings"]:
        problems.append(f"summary says {plan.summary['planned_recordings']}, routes hold {total}")
    problems += _night_rule(plan)
    missing = sorted(set(locked) - seen_chunks)
    if missing:
        problems.append(f"locked visits missing from the plan: {', '.join(missing)}")
    return problems
