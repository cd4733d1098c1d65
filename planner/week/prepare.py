"""Prepare a week for the solver: vehicles, demand, chunks, reasons and the decomposed groups.

Long module: the week's places, matrices (per weekday where ferries skip days), exclusion
reasons and groups are decided in one pass over the same team and site tables; split, each
part would rebuild or pass them around.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from planner.core.errors import ConfigError
from planner.domain.config import AUTO_BASE, Team, TeamsConfig, validate_teams_against
from planner.geo.demand import site_demand
from planner.geo.neighbours import regency_neighbours, teams_with_neighbours
from planner.routing import RoutingSolution
from planner.travel import Mode, Place, TravelMatrix, TravelModel
from planner.travel.ferries import is_timed
from planner.travel.regional import depot_places
from planner.week.bases import BaseChoice, base_candidates, choose_bases, with_bases
from planner.week.disruptions import Disruptions, disrupt_team_days, start_where_slept
from planner.week.greedy_week import greedy_group, on_places
from planner.week.groups import (
    build_group_problem,
    covering_regencies,
    day_profile,
    make_chunks,
    preselect,
    profile_of,
    site_place,
    team_groups,
)
from planner.week.lookahead import lookahead_factors, weeks_left
from planner.week.pins import pin_chunks, pinned_recordings
from planner.week.team_days import require_working_days, team_days_of_week
from planner.week.types import Chunk, GroupProblem, PinnedVisit, PreparedWeek, TeamDay, WeekInputs

CHUNK_MINUTES = 60.0
"""Recording minutes of one visit chunk (for the best team that can serve the site).

Measured on the Banten week of 2017-11-13 with the example teams, 20 s, 2 workers: 120 min →
utilisation 0.59; 90 → 0.64; 60 → 0.69; 45 → 0.70; 30 → 0.70 (more parts hit the time
limit). Smaller chunks pack days better around travel and the break; 60 is the knee."""


def team_parts(team: Team, depots: Mapping[str, Place]) -> set[str | None]:
    """Land-part keys of the team's depot and night places (``None``: a continental part)."""
    ends = [team.depot, *team.away_places]
    return {depots[e].island for e in ends if e and e in depots}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts (typed access without pandas' scalar unions)."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


class WeekPlaces:
    """The places a week's travel matrices are built over: depots, and sites in week order.

    Parameters
    ----------
    depots
        Every depot of the region.
    sites
        Every site of the week (with demand, then pinned ones without), in that order.
    """

    def __init__(self, depots: Mapping[str, Place], sites: Mapping[str, Place]) -> None:
        self.depots = dict(depots)
        self.sites = dict(sites)
        self._position = {sid: i for i, sid in enumerate(self.sites)}
        self._island: dict[str, list[str]] = {}
        for sid, place in self.sites.items():
            if place.island:
                self._island.setdefault(place.island, []).append(sid)

    def places_for(self, depot_ids: Collection[str], site_ids: Collection[str]) -> list[Place]:
        """Sorted depots, then the sites in week order with every week site on their islands.

        A boat may land at another place of the same island and go on by land
        (``planner.travel.sea``), so an island site's legs depend on which places of its
        island are in the matrix. Taking the whole island keeps every entry of a smaller
        matrix equal to the entry of the matrix over every place of the week; on the
        mainland a pair's entries depend on the pair alone.
        """
        wanted = set(site_ids)
        for island in {self.sites[sid].island for sid in wanted} - {None}:
            wanted.update(self._island[str(island)])
        ordered = sorted(wanted, key=self._position.__getitem__)
        return [self.depots[d] for d in sorted(set(depot_ids))] + [self.sites[s] for s in ordered]


def group_matrices(
    teams: Sequence[Team],
    places: Sequence[Place],
    travel: TravelModel,
    weekdays: Collection[int] = (),
    starts: Mapping[int, float] | None = None,
    origins: Collection[str] = (),
) -> dict[str, TravelMatrix]:
    """One travel matrix per travel profile of ``teams`` (:func:`profile_of`) over ``places``.

    The profile's matrix has every ferry of the week, without a clock (round trips,
    pre-selection and bases use it). When a ferry of the sea network skips some days, or runs
    at a published time, boat teams also get one matrix per working weekday
    (:func:`day_profile`) with only that day's ferries: the solver, the schedule and the
    verification of a team-day use it, so a leg needing a ferry on a day without one is
    impossible that day. A timed ferry is caught only on a first leg: from the ``origins``
    (depots, bases), leaving at the weekday's shift start (``starts``); every other leg of the
    day matrix goes by charter or untimed ferry, or not at all.
    """
    sea = travel.sea
    timed = sea is not None and any(is_timed(link) for link in sea.links)
    some_days = sea is not None and (
        timed or any(link.kind == "ferry" and 0 < len(link.days) < 7 for link in sea.links)
    )
    ids = {p.id for p in places}
    matrices: dict[str, TravelMatrix] = {}
    for team in teams:
        profile = profile_of(team)
        mode = Mode(team.modes[0])
        if profile not in matrices:
            matrices[profile] = travel.matrix(places, mode, boat=team.boat)
        if not (some_days and team.boat and mode != Mode.perahu):
            continue
        for weekday in sorted(set(weekdays)):
            key = day_profile(team, weekday)
            if key not in matrices:
                depart = None
                if timed and starts is not None and weekday in starts:
                    depart = {o: float(starts[weekday]) for o in sorted(origins) if o in ids}
                matrices[key] = travel.matrix(
                    places, mode, boat=True, weekday=weekday, depart=depart
                )
    return matrices


def round_trips(
    teams: Sequence[Team], matrices: Mapping[str, TravelMatrix], site_ids: Sequence[str]
) -> dict[str, dict[str, float]]:
    """Per team: depot → site → depot minutes for every site (``inf`` = unreachable).

    For a team with an overnight base, the shortest of the trips from the depot and from each
    of its night places: the days of a trip start and end there.
    """
    out: dict[str, dict[str, float]] = {}
    for team in teams:
        matrix = matrices[profile_of(team)]
        pos = {pid: i for i, pid in enumerate(matrix.ids)}
        cols = np.array([pos[s] for s in site_ids], dtype=np.int64)
        m = matrix.minutes
        d = pos[team.depot]
        trip = m[d, cols] + m[cols, d]
        for place in team.away_places:
            b = pos[place]
            trip = np.minimum(trip, m[b, cols] + m[cols, b])
        out[team.id] = dict(zip(site_ids, trip.tolist(), strict=True))
    return out


def stay_candidates(
    team_days: Sequence[TeamDay],
    chunks: Sequence[Chunk],
    matrix: TravelMatrix,
    service_minutes: Callable[[Chunk], float],
) -> list[Chunk]:
    """Candidates near each night place of a trip that sleeps at two places or more.

    Ranked by the nearest of all the team's places, the chunks of the island with the
    highest weights fill the team's candidates, and the other island's nights have nothing
    near to record: each night place also gets its own pre-selection, ranked by the round
    trip from it, up to the capacity of the team-days that start or end there.
    """
    places = {p for td in team_days for p in (td.starts_at, td.ends_at) if p is not None}
    if len(places) < 2:
        return []
    pos = {pid: i for i, pid in enumerate(matrix.ids)}
    out: list[Chunk] = []
    for place in sorted(places):
        days = [td for td in team_days if place in (td.starts_at, td.ends_at)]
        capacity = sum(td.capacity_recordings for td in days)
        here = pos[place]
        half = {
            c.site_id: float(
                matrix.minutes[here, pos[c.site_id]] + matrix.minutes[pos[c.site_id], here]
            )
            / 2.0
            for c in chunks
        }
        out += preselect(chunks, pd.DataFrame(), capacity, half, service_minutes)
    return out


def prepare_week(
    inputs: WeekInputs,
    *,
    visited: Collection[str] | None = None,
    pinned: Sequence[PinnedVisit] = (),
    from_date: date | None = None,
    calendar_source: str = "calendar",
    chunk_sizes: Mapping[str, int] | None = None,
    include: Collection[str] = (),
    select: bool = True,
    disruptions: Disruptions | None = None,
    changed_teams: Collection[str] = (),
    positions: Mapping[str, str] | None = None,
    greedy_floor: bool = False,
) -> PreparedWeek:
    """Everything before the solver: vehicles, site demand, chunks, exclusions and groups.

    Parameters are those of :func:`plan_week`, plus:

    chunk_sizes
        Chunk size per site to use instead of the computed one (a start plan's, so that its
        chunk ids exist in this week too).
    include
        Chunk ids that are candidates whatever the pre-selection says (a start plan's routes).
    select
        Pre-select candidates by priority density (``False``: every chunk a group can reach).
    disruptions
        Absent teams, closed days, days without boat (re-planning,
        :mod:`planner.week.disruptions`).
    changed_teams
        Teams whose settings changed since the pinned visits were announced.
    positions
        Re-planning: where each team slept the night before ``from_date``; its days start
        there (:func:`planner.week.disruptions.start_where_slept`).
    greedy_floor
        Run the baseline's density greedy over every chunk each group can reach, make the
        chunks it routes candidates and keep its solution as the group's ``floor``
        (groups with pinned visits excepted): the planner's search then starts no lower than
        the greedy baseline (:func:`planner.week.plan.start_routes`).
    """
    region, registry, teams, policy = inputs.region, inputs.registry, inputs.teams, inputs.policy

    depot_regency = dict(
        zip(
            region.depots["depot_id"].astype(str),
            region.depots["kode_kab"].astype(str),
            strict=True,
        )
    )
    problems = validate_teams_against(teams, depot_regency.keys(), region.config.regency_codes)
    if problems:
        raise ConfigError(problems)
    if policy.help_neighbour_regencies:
        neighbours = regency_neighbours(inputs.classified.villages, region.config.crs_metric)
        teams = teams_with_neighbours(teams, neighbours)

    depot_parts = {p.id: p.island for p in depot_places(region)}

    def days_of(config: TeamsConfig) -> tuple[list[TeamDay], list[tuple[date, str]]]:
        days, closed = team_days_of_week(config, policy, inputs.week_start, region.config.timezone)
        if from_date is not None:
            days = [td for td in days if td.day.date >= from_date]
        days, shut = disrupt_team_days(days, disruptions)
        if positions:
            days = start_where_slept(days, positions, depot_parts)
        worked = {td.day.date for td in days}
        return days, sorted({*closed, *((d, r) for d, r in shut if d not in worked)})

    # "auto" bases are chosen below, once the travel matrices exist; until then those teams
    # count as going home (vehicle ids and working days do not depend on the base)
    auto_bases: dict[str, str | None] = {t.id: None for t in teams.teams if t.base == AUTO_BASE}
    team_days, closed = days_of(with_bases(teams, auto_bases))
    require_working_days(team_days, closed, source=calendar_source)

    sites = site_demand(
        inputs.classified.villages,
        inputs.classified.sites,
        registry.counts,
        turnout=policy.turnout,
        repeat_turnout=policy.repeat_turnout,
        ghost_share=policy.ghost_share,
        class_weight=policy.class_weights.weight,
        vulnerable_weights=policy.vulnerable_weights.model_dump(),
        visited=visited or (),
    )
    soft = bool(changed_teams) or (disruptions is not None and not disruptions.empty)
    pinned_chunks = pin_chunks(
        pinned,
        team_days,
        sites,
        soft=soft,
        changed_teams=changed_teams,
        change_penalty=policy.announcement_change_penalty,
        time_tolerance=policy.announced_time_tolerance_minutes,
        time_cost=policy.announced_time_penalty,
    )
    open_sites = sites  # demand still to be chunked (after what pinned visits take)
    if pinned_chunks:
        taken = pinned_recordings(pinned_chunks)
        left = sites["expected"] - sites["site_id"].map(taken).fillna(0).astype(int)
        open_sites = sites.assign(expected=left.clip(lower=0))
    with_demand = open_sites[open_sites["expected"] > 0].reset_index(drop=True)
    # pinned sites may have no demand left: their places are needed all the same
    kept = sites[sites["site_id"].isin([v.site_id for v in pinned])]
    week_sites = pd.concat([with_demand, kept]).drop_duplicates("site_id")
    week_places = WeekPlaces(
        {p.id: p for p in depot_places(region)},
        {str(r["site_id"]): site_place(r) for _, r in week_sites.iterrows()},
    )
    # One set of matrices per team group over its depots and the sites of its regencies
    # (round trips need depot legs only, but the estimate's over-land legs are searched from
    # both ends, so the square costs about what the rectangle would): the work grows with the
    # groups, not with the square of the region's sites. Each group's problem is cut from it.
    site_kab = dict(zip(sites["site_id"], sites["kode_kab"], strict=True))
    by_kab: dict[str, list[str]] = {}
    for sid in with_demand["site_id"]:
        by_kab.setdefault(str(site_kab[sid]), []).append(str(sid))
    member_groups = team_groups(list(teams.teams), depot_regency)
    week_capacity: dict[str, float] = {}
    day_capacity: dict[str, list[tuple[date, float]]] = {}
    for td in team_days:
        week_capacity[td.team.id] = week_capacity.get(td.team.id, 0.0) + td.capacity_recordings
        day_capacity.setdefault(td.team.id, []).append((td.day.date, td.capacity_recordings))
    for dates in day_capacity.values():
        dates.sort()
    parts = {
        pid: place.island
        for pid, place in [*week_places.depots.items(), *week_places.sites.items()]
    }
    # a team-day leaves at its shift start: the clock of its first leg (timed ferries)
    shift_starts: dict[int, float] = {}
    for td in team_days:
        wd = td.day.date.weekday()
        shift_starts[wd] = min(shift_starts.get(wd, math.inf), float(td.day.shift_start))
    choices: list[BaseChoice] = []
    reach: list[dict[str, TravelMatrix]] = []
    trips: dict[str, dict[str, float]] = {}
    for index, members in enumerate(member_groups):
        regs = set().union(*(covering_regencies(t, depot_regency) for t in members))
        ids = {t.id for t in members}
        mine_ids = [sid for kab in sorted(regs) for sid in by_kab.get(kab, [])]
        locked = [v.site_id for v in pinned if v.team_id in ids or site_kab[v.site_id] in regs]
        ends = {t.depot for t in members} | {p for t in members for p in t.away_places}
        # a re-plan may start a team where it slept (a base it no longer has)
        ends |= {p for td in team_days if td.team.id in ids for p in (td.start_place, td.end_place)}
        auto = [t for t in members if t.base == AUTO_BASE]
        for team in auto:
            ends |= set(base_candidates(team, region.depots))
        ends.discard(AUTO_BASE)
        places = week_places.places_for(ends, [*mine_ids, *locked])
        # days without boat plan with the land profile of the same team
        day_teams = [td.team for td in team_days if td.team.id in ids]
        weekdays = {td.day.date.weekday() for td in team_days}
        reach.append(
            group_matrices(
                [*members, *day_teams], places, inputs.travel, weekdays, shift_starts, ends
            )
        )
        if auto:
            demand = with_demand[with_demand["site_id"].isin(mine_ids)]
            members, chosen_here = choose_bases(
                members,
                reach[-1],
                demand,
                region.depots,
                week_capacity,
                day_capacity=day_capacity,
                parts=parts,
                night_penalty=policy.night_away_penalty,
            )
            member_groups[index] = members
            choices += chosen_here
        trips.update(round_trips(members, reach[-1], mine_ids))
    if auto_bases:
        auto_bases.update({c.team_id: c.base for c in choices})
        teams = with_bases(
            teams,
            auto_bases,
            {c.team_id: c.days for c in choices},
            {c.team_id: dict(c.night_places) for c in choices},
        )
        team_days, closed = days_of(teams)
    best_day = {t.id: 0.0 for t in teams.teams}
    for td in team_days:
        best_day[td.team.id] = max(best_day[td.team.id], td.working_minutes)

    excluded: dict[str, tuple[str, dict[str, object]]] = {}
    chunk_size: dict[str, int] = {}
    for site in _records(with_demand):
        covering = [
            t for t in teams.teams if site["kode_kab"] in covering_regencies(t, depot_regency)
        ]
        if not covering:
            excluded[site["site_id"]] = ("no_team", {})
            continue
        # a land team reaches only the land part its depot (or base) stands on
        part = site["island"] if isinstance(site["island"], str) and site["island"] else None
        if not any(t.boat or part in team_parts(t, week_places.depots) for t in covering):
            excluded[site["site_id"]] = ("needs_boat", {})
            continue
        if site["expected"] < policy.min_visit_size:
            excluded[site["site_id"]] = ("below_minimum", {"minimum": policy.min_visit_size})
            continue
        rate, fits, shortest = 0.0, False, math.inf
        smallest = min(policy.min_visit_size, float(site["expected"]))
        for team in covering:
            trip = trips[team.id][site["site_id"]]
            shortest = min(shortest, trip)
            free = best_day[team.id] - team.setup_minutes - trip
            if np.isfinite(free) and free >= smallest * team.minutes_per_record / team.kits:
                fits = True
                rate = max(rate, team.kits / team.minutes_per_record)
        if not fits and not math.isfinite(shortest):
            # no team can get there at all: its land part has no port a boat reaches
            excluded[site["site_id"]] = ("no_port", {})
            continue
        if not fits:
            excluded[site["site_id"]] = ("no_day_fits", {"round_trip": shortest})
            continue
        # chunks of about CHUNK_MINUTES of recording for the best covering team: small
        # enough to fill a day around travel, large enough to keep the model small
        size = max(int(policy.min_visit_size), int(rate * CHUNK_MINUTES))
        size = min(size, policy.max_attendance_per_visit_day)
        if chunk_sizes is not None and site["site_id"] in chunk_sizes:
            size = int(chunk_sizes[site["site_id"]])
        chunk_size[site["site_id"]] = size

    offered = with_demand[with_demand["site_id"].isin(list(chunk_size))]
    chunks = make_chunks(offered, lambda s: chunk_size[str(s["site_id"])], policy.min_visit_size)

    wanted = set(include)
    site_expected = dict(
        zip(open_sites["site_id"].astype(str), open_sites["expected"], strict=True)
    )
    groups: list[GroupProblem] = []
    for index, members in enumerate(member_groups):
        matrices, reach[index] = reach[index], {}  # the group keeps its own places only
        regs = set().union(*(covering_regencies(t, depot_regency) for t in members))
        ids = {t.id for t in members}
        days = [td for td in team_days if td.team.id in ids]
        if not days:
            continue
        mine = [c for c in chunks if site_kab[c.site_id] in regs]
        nearest = {c.site_id: min(trips[t.id][c.site_id] for t in members) / 2.0 for c in mine}
        mpr = float(np.mean([t.minutes_per_record for t in members]))
        setup = float(np.mean([t.setup_minutes for t in members]))
        kits = float(np.mean([t.kits for t in members]))

        def service(c: Chunk, mpr: float = mpr, setup: float = setup, kits: float = kits) -> float:
            return setup + c.recordings * mpr / kits

        reachable = sorted(
            (c for c in mine if math.isfinite(nearest.get(c.site_id, math.inf))),
            key=lambda c: c.chunk_id,
        )
        if select:
            # each team its own candidates, ranked by its own trips, up to its own capacity:
            # ranked for the group as a whole, an island team's short hops crowd out every
            # mainland chunk, and the land teams of the group get nothing to do
            picked: dict[str, Chunk] = {}
            for team in members:
                own_days = [td for td in days if td.team.id == team.id]
                own_capacity = sum(td.capacity_recordings for td in own_days)
                covered = covering_regencies(team, depot_regency)
                half = {c.site_id: trips[team.id][c.site_id] / 2.0 for c in mine}
                own = [
                    c
                    for c in mine
                    if site_kab[c.site_id] in covered and math.isfinite(half[c.site_id])
                ]
                for c in preselect(own, sites, own_capacity, half, service):
                    picked[c.chunk_id] = c
                for c in stay_candidates(own_days, own, matrices[profile_of(team)], service):
                    picked[c.chunk_id] = c
            candidates = sorted(picked.values(), key=lambda c: c.chunk_id)
        else:
            candidates = list(reachable)
        day_ids = {td.vehicle_id for td in days}
        pinned_here = [c for c in pinned_chunks if c.locked_vehicle_id in day_ids]
        # both alternatives of a broken announcement go where its village is planned
        pinned_here += [
            c for c in pinned_chunks if c.locked_vehicle_id is None and site_kab[c.site_id] in regs
        ]
        full: GroupProblem | None = None
        floor: RoutingSolution | None = None
        wanted_here: set[str] = set()
        if greedy_floor and reachable and not pinned_here:
            full = build_group_problem(
                index,
                members,
                days,
                reachable,
                sites,
                depot_regency,
                matrices,
                queue_limit=policy.max_attendance_per_visit_day,
                parts=parts,
            )
            floor = greedy_group(full)
            wanted_here = {v for route in floor.routes for v in route.visit_ids}
        preselected = None
        if select and floor is not None:
            preselected = tuple(c.chunk_id for c in candidates)
        chosen = {c.chunk_id for c in candidates}
        candidates += [
            c
            for c in mine
            if (c.chunk_id in wanted or c.chunk_id in wanted_here) and c.chunk_id not in chosen
        ]
        candidates.sort(key=lambda c: c.chunk_id)
        candidates += pinned_here
        if not candidates:
            continue
        problem = build_group_problem(
            index,
            members,
            days,
            candidates,
            sites,
            depot_regency,
            matrices,
            queue_limit=policy.max_attendance_per_visit_day,
            value_factor=lookahead_factors(
                nearest,
                site_expected,
                policy,
                setup=setup,
                minutes_per_resident=mpr / kits,
                weeks=weeks_left(inputs.week_start, policy.deadline),
            ),
            parts=parts,
        )
        if full is not None and floor is not None:
            problem = replace(
                problem, floor=on_places(floor, full, problem), preselected=preselected
            )
        groups.append(problem)
    return PreparedWeek(
        team_days=tuple(team_days),
        closed=tuple(closed),
        sites=sites,
        chunks=tuple(chunks),
        excluded=excluded,
        chunk_size=chunk_size,
        groups=tuple(groups),
        bases=tuple(choices),
    )
