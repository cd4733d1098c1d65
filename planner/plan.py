"""``jemput plan``: a week of team routes, from region and registry to itinerary and reasons."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from planner.bases import BaseChoice, base_candidates, choose_bases, with_bases
from planner.config import AUTO_BASE, Policy, Team, TeamsConfig, validate_teams_against
from planner.demand import site_demand, split_into_chunks
from planner.errors import ConfigError
from planner.fill import fill_days
from planner.geography import ClassifiedVillages
from planner.inputs import Registry
from planner.region import Region
from planner.schedule import itinerary_rows, team_day_rows, unplanned_sites, week_summary
from planner.travel import Mode, Place, Terrain, TravelMatrix, TravelModel
from planner.weekplan import (
    Chunk,
    GroupProblem,
    GroupResult,
    PinnedVisit,
    TeamDay,
    build_group_problem,
    covering_regencies,
    make_chunks,
    preselect,
    profile_of,
    require_working_days,
    site_place,
    solve_groups,
    team_days_of_week,
    team_groups,
)

PINNED_PART_MINUTES = 60.0
"""A pinned stay is split into parts of at most this many recording minutes (break slots)."""

CHUNK_MINUTES = 60.0
"""Recording minutes of one visit chunk (for the best team that can serve the site).

Measured on the Banten week of 2017-11-13 with the example teams, 20 s, 2 workers: 120 min →
utilisation 0.59; 90 → 0.64; 60 → 0.69; 45 → 0.70; 30 → 0.70 (more parts hit the time
limit). Smaller chunks pack days better around travel and the break; 60 is the knee."""


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts (typed access without pandas' scalar unions)."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


@dataclass(frozen=True)
class WeekPlan:
    """A planned week.

    Attributes
    ----------
    itinerary
        One row per stop (see :data:`planner.schedule.ITINERARY_COLUMNS`).
    team_days
        One row per team-day used (depart, return, km, boat minutes).
    unplanned
        Sites with residents to record that the week leaves out, with the reason.
    sites
        Demand per visit site (expected recordings, weights).
    summary
        Totals: planned recordings, utilisation, km, boat hours, class shares...
    meta
        Region, week, teams, solver settings, data source, non-working days.
    results
        Solved groups (routes and the matrices behind them), for maps and GPX.
    """

    itinerary: pd.DataFrame
    team_days: pd.DataFrame
    unplanned: pd.DataFrame
    sites: pd.DataFrame
    summary: dict[str, object]
    meta: dict[str, object]
    results: tuple[GroupResult, ...]
    all_team_days: tuple[TeamDay, ...]


def depot_names(region: Region) -> dict[str, str]:
    """People's names of the region's depots (offices, and the bases teams sleep at)."""
    depots = region.depots
    return dict(zip(depots["depot_id"].astype(str), depots["name"].astype(str), strict=True))


def depot_places(region: Region) -> dict[str, Place]:
    """Every depot of the region as a travel-model place."""
    return {
        str(i): Place(str(i), float(x), float(y), Terrain.kota)
        for i, x, y in zip(
            region.depots["depot_id"], region.depots["lon"], region.depots["lat"], strict=True
        )
    }


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
    teams: Sequence[Team], places: Sequence[Place], travel: TravelModel
) -> dict[str, TravelMatrix]:
    """One travel matrix per travel profile of ``teams`` (:func:`profile_of`) over ``places``."""
    matrices: dict[str, TravelMatrix] = {}
    for team in teams:
        profile = profile_of(team)
        if profile not in matrices:
            matrices[profile] = travel.matrix(places, Mode(team.modes[0]), boat=team.boat)
    return matrices


def round_trips(
    teams: Sequence[Team], matrices: Mapping[str, TravelMatrix], site_ids: Sequence[str]
) -> dict[str, dict[str, float]]:
    """Per team: depot → site → depot minutes for every site (``inf`` = unreachable).

    For a team with an overnight base, the shorter of the trips from the depot and from the
    base: the days between the first and the last of its week start and end there.
    """
    out: dict[str, dict[str, float]] = {}
    for team in teams:
        matrix = matrices[profile_of(team)]
        pos = {pid: i for i, pid in enumerate(matrix.ids)}
        cols = np.array([pos[s] for s in site_ids], dtype=np.int64)
        m = matrix.minutes
        d = pos[team.depot]
        trip = m[d, cols] + m[cols, d]
        if team.base is not None:
            b = pos[team.base]
            trip = np.minimum(trip, m[b, cols] + m[cols, b])
        out[team.id] = dict(zip(site_ids, trip.tolist(), strict=True))
    return out


def pin_chunks(
    pinned: Sequence[PinnedVisit], team_days: Sequence[TeamDay], sites: pd.DataFrame
) -> list[Chunk]:
    """Locked chunks for visits kept from an earlier plan (every unknown one is an error)."""
    if not pinned:
        return []
    by_key = {(td.team.id, td.day.date): td for td in team_days}
    weights = dict(zip(sites["site_id"], sites["weight"], strict=True))
    # expectations are re-derived from today's registry: a pinned visit keeps its slot but
    # never expects more than the residents still to record
    room = {str(k): int(v) for k, v in zip(sites["site_id"], sites["expected"], strict=True)}
    problems: list[str] = []
    out: list[Chunk] = []
    for visit in pinned:
        td = by_key.get((visit.team_id, visit.date))
        if td is None:
            problems.append(
                f"pinned visit of team '{visit.team_id}' on {visit.date} has no working day "
                "in the new plan (team removed, or a day off)"
            )
            continue
        if visit.site_id not in weights:
            problems.append(f"pinned visit to unknown site '{visit.site_id}'")
            continue
        # split long pinned stays so the break can fall between parts, as it could before
        per_part = max(1, int(PINNED_PART_MINUTES * td.team.kits / td.team.minutes_per_record))
        recordings = min(visit.recordings, room[visit.site_id])
        room[visit.site_id] -= recordings
        parts = split_into_chunks(recordings, per_part, 0) or [0]
        for k, recordings in enumerate(parts):
            out.append(
                Chunk(
                    chunk_id=f"{visit.site_id}#tetap-{visit.team_id}-{visit.date}-{visit.order}-{k}",
                    site_id=visit.site_id,
                    part=0,
                    parts=0,
                    recordings=recordings,
                    weight=float(weights[visit.site_id]),
                    locked_vehicle_id=td.vehicle_id,
                    locked_position=visit.order * 100 + k,
                )
            )
    if problems:
        raise ConfigError(problems)
    return out


@dataclass(frozen=True)
class PreparedWeek:
    """A week ready to solve: vehicles, demand, chunks, reasons and the decomposed groups."""

    team_days: tuple[TeamDay, ...]
    closed: tuple[tuple[date, str], ...]
    sites: pd.DataFrame
    chunks: tuple[Chunk, ...]
    excluded: dict[str, tuple[str, dict[str, object]]]
    chunk_size: dict[str, int]
    groups: tuple[GroupProblem, ...]
    bases: tuple[BaseChoice, ...] = ()
    """The overnight bases chosen for ``base = "auto"`` teams (:mod:`planner.bases`)."""


def prepare_week(
    region: Region,
    classified: ClassifiedVillages,
    registry: Registry,
    teams: TeamsConfig,
    policy: Policy,
    week_start: date,
    travel: TravelModel,
    *,
    visited: Collection[str] | None = None,
    pinned: Sequence[PinnedVisit] = (),
    from_date: date | None = None,
    calendar_source: str = "calendar",
    chunk_sizes: Mapping[str, int] | None = None,
    include: Collection[str] = (),
    select: bool = True,
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
    """
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

    def days_of(config: TeamsConfig) -> tuple[list[TeamDay], list[tuple[date, str]]]:
        days, closed = team_days_of_week(config, policy, week_start, region.config.timezone)
        if from_date is not None:
            days = [td for td in days if td.day.date >= from_date]
        return days, closed

    # "auto" bases are chosen below, once the travel matrices exist; until then those teams
    # count as going home (vehicle ids and working days do not depend on the base)
    auto_bases: dict[str, str | None] = {t.id: None for t in teams.teams if t.base == AUTO_BASE}
    team_days, closed = days_of(with_bases(teams, auto_bases))
    require_working_days(team_days, closed, source=calendar_source)

    sites = site_demand(
        classified.villages,
        classified.sites,
        registry.counts,
        turnout=policy.turnout,
        repeat_turnout=policy.repeat_turnout,
        ghost_share=policy.ghost_share,
        class_weight=policy.class_weights.weight,
        vulnerable_weights=policy.vulnerable_weights.model_dump(),
        visited=visited or (),
    )
    pinned_chunks = pin_chunks(pinned, team_days, sites)
    open_sites = sites  # demand still to be chunked (after what pinned visits take)
    if pinned_chunks:
        taken: dict[str, int] = {}
        for chunk in pinned_chunks:
            taken[chunk.site_id] = taken.get(chunk.site_id, 0) + chunk.recordings
        left = sites["expected"] - sites["site_id"].map(taken).fillna(0).astype(int)
        open_sites = sites.assign(expected=left.clip(lower=0))
    with_demand = open_sites[open_sites["expected"] > 0].reset_index(drop=True)
    # pinned sites may have no demand left: their places are needed all the same
    kept = sites[sites["site_id"].isin([v.site_id for v in pinned])]
    week_sites = pd.concat([with_demand, kept]).drop_duplicates("site_id")
    week_places = WeekPlaces(
        depot_places(region), {str(r["site_id"]): site_place(r) for _, r in week_sites.iterrows()}
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
    for td in team_days:
        week_capacity[td.team.id] = week_capacity.get(td.team.id, 0.0) + td.capacity_recordings
    choices: list[BaseChoice] = []
    reach: list[dict[str, TravelMatrix]] = []
    trips: dict[str, dict[str, float]] = {}
    for index, members in enumerate(member_groups):
        regs = set().union(*(covering_regencies(t, depot_regency) for t in members))
        ids = {t.id for t in members}
        mine_ids = [sid for kab in sorted(regs) for sid in by_kab.get(kab, [])]
        locked = [v.site_id for v in pinned if v.team_id in ids]
        ends = {t.depot for t in members} | {t.base for t in members if t.base}
        auto = [t for t in members if t.base == AUTO_BASE]
        for team in auto:
            ends |= set(base_candidates(team, region.depots))
        ends.discard(AUTO_BASE)
        places = week_places.places_for(ends, [*mine_ids, *locked])
        reach.append(group_matrices(members, places, travel))
        if auto:
            demand = with_demand[with_demand["site_id"].isin(mine_ids)]
            members, chosen_here = choose_bases(
                members, reach[-1], demand, region.depots, week_capacity
            )
            member_groups[index] = members
            choices += chosen_here
        trips.update(round_trips(members, reach[-1], mine_ids))
    if auto_bases:
        auto_bases.update({c.team_id: c.base for c in choices})
        teams = with_bases(teams, auto_bases)
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
        island = isinstance(site["island"], str) and bool(site["island"])
        if island and not any(t.boat for t in covering):
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

        capacity = sum(td.capacity_recordings for td in days)
        if select:
            candidates = preselect(mine, sites, capacity, nearest, service)
        else:
            candidates = [c for c in mine if math.isfinite(nearest.get(c.site_id, math.inf))]
        chosen = {c.chunk_id for c in candidates}
        candidates += [c for c in mine if c.chunk_id in wanted and c.chunk_id not in chosen]
        candidates.sort(key=lambda c: c.chunk_id)
        day_ids = {td.vehicle_id for td in days}
        candidates += [c for c in pinned_chunks if c.locked_vehicle_id in day_ids]
        if not candidates:
            continue
        groups.append(
            build_group_problem(index, members, days, candidates, sites, depot_regency, matrices)
        )
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


def start_routes(
    groups: Sequence[GroupProblem], start: WeekPlan | None = None, *, greedy: bool = True
) -> list[list[list[str]] | None]:
    """Start routes per group: the better of a start plan's routes and the greedy routes.

    Measured on the Banten week of 2017-11-13 (BENCHMARKS.md): starting each group from the
    greedy baseline's routes gave +1.9 % weighted recordings and -17 % km at the same budget.
    Groups with pinned visits start from scratch (the greedy does not handle locks).
    """
    from planner.baseline import greedy_solve
    from planner.routing import objective_of_routes

    by_vehicle: dict[str, list[str]] = {}
    if start is not None:
        for result in start.results:
            for route in result.solution.routes:
                by_vehicle[route.vehicle_id] = list(route.visit_ids)
    out: list[list[list[str]] | None] = []
    for group in groups:
        known = {c.chunk_id for c in group.chunks}
        options: list[list[list[str]]] = []
        if by_vehicle:
            options.append(
                [
                    [v for v in by_vehicle.get(td.vehicle_id, []) if v in known]
                    for td in group.team_days
                ]
            )
        if greedy and not any(c.locked_vehicle_id for c in group.chunks):
            order = sorted(
                range(len(group.team_days)),
                key=lambda k: (group.team_days[k].day.date, group.team_days[k].team.id),
            )
            weights = [c.weight for c in group.chunks]
            found = greedy_solve(group.problem, weights=weights, order=order)
            options.append(found.route_visit_ids())
        usable = [o for o in options if any(o)]
        out.append(
            min(usable, key=lambda o: objective_of_routes(group.problem, o)) if usable else None
        )
    return out


def finish_week(
    region: Region,
    registry: Registry,
    teams: TeamsConfig,
    policy: Policy,
    week_start: date,
    prepared: PreparedWeek,
    results: Sequence[GroupResult],
    *,
    fill: bool = True,
) -> WeekPlan:
    """Schedule the solved groups and explain what is left out: the :class:`WeekPlan`.

    Every place is first held to its daily queue limit, all teams together; with ``fill``
    each day's free minutes then go to longer visits where residents are left
    (:func:`planner.fill.fill_days`).
    """
    sites = prepared.sites
    expected = dict(zip(sites["site_id"], sites["expected"].astype(int), strict=True))
    results = fill_days(results, expected, policy.max_attendance_per_visit_day, lengthen=fill)
    itinerary = itinerary_rows(results, sites)
    used = team_day_rows(results, depot_names(region))
    unplanned = unplanned_sites(sites, itinerary, prepared.excluded)
    summary = week_summary(itinerary, used, prepared.team_days, sites, unplanned, prepared.chunks)
    meta: dict[str, object] = {
        "region": region.key,
        "region_name": region.config.name,
        "week_start": week_start.isoformat(),
        "timezone": region.config.timezone_label,
        "teams": [t.id for t in teams.teams],
        "non_working_days": [{"date": d.isoformat(), "reason": r} for d, r in prepared.closed],
        "data_source": registry.source,
        "is_estimate": registry.is_estimate,
        "estimate_model": registry.estimate_model,
        "solver": policy.solver.model_dump(),
        "max_recordings_per_place_day": policy.max_attendance_per_visit_day,
        "chunk_size": dict(prepared.chunk_size),
        **({"bases": [c.as_dict() for c in prepared.bases]} if prepared.bases else {}),
        "groups": [
            {
                "teams": list(r.group.team_ids),
                "candidates": len(r.group.candidates),
                "dropped": len(r.solution.dropped),
                "status": r.solution.status,
                "objective": r.solution.objective,
                "warm_started": r.solution.warm_started,
                "wall_seconds": round(r.solution.wall_seconds, 2),
            }
            for r in results
        ],
    }
    return WeekPlan(
        itinerary=itinerary,
        team_days=used,
        unplanned=unplanned,
        sites=sites,
        summary=summary,
        meta=meta,
        results=tuple(results),
        all_team_days=prepared.team_days,
    )


def plan_week(
    region: Region,
    classified: ClassifiedVillages,
    registry: Registry,
    teams: TeamsConfig,
    policy: Policy,
    week_start: date,
    travel: TravelModel,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    visited: Collection[str] | None = None,
    pinned: Sequence[PinnedVisit] = (),
    from_date: date | None = None,
    calendar_source: str = "calendar",
    start: WeekPlan | None = None,
    warm_start: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
    fill: bool = True,
) -> WeekPlan:
    """Plan one week: decompose, pre-select, solve, schedule, explain what is left out.

    Parameters
    ----------
    region, classified, registry
        The region, its classified villages and the counts per village.
    teams, policy
        Validated configuration; the policy carries the calendar and solver settings.
    week_start
        Monday of the week.
    travel
        Travel model (the region's default estimate, a CSV matrix or an OSM network).
    workers
        Parallel processes for the decomposed groups (1 = in process).
    scheduler
        Dask scheduler address; solves the groups on that cluster instead.
    visited
        Site ids visited in earlier weeks (repeat-visit turnout).
    pinned
        Visits kept from an earlier plan (re-planning): same team, day and order.
    from_date
        Plan only the days from this date on (re-planning mid-week).
    calendar_source
        Where the calendar came from (the policy file), named in a "no working day" error.
    start
        A plan to start the search from (a scenario's base): its chunk sizes and routed chunks
        are reused, and a group never ends with fewer weighted recordings than its start.
    warm_start
        Also offer the greedy baseline's routes as a start (the better start is used).
    progress
        Called with (stage, done, total) as groups are solved.
    fill
        Lengthen visits into each day's free minutes while their village has residents
        left (:func:`planner.fill.fill_days`); ``False`` keeps the solver's chunks as they are.
    """
    start_sizes = start.meta.get("chunk_size") if start is not None else None
    routed = (
        [v for r in start.results for route in r.solution.routes for v in route.visit_ids]
        if start is not None
        else []
    )
    prepared = prepare_week(
        region,
        classified,
        registry,
        teams,
        policy,
        week_start,
        travel,
        visited=visited,
        pinned=pinned,
        from_date=from_date,
        calendar_source=calendar_source,
        chunk_sizes=start_sizes if isinstance(start_sizes, dict) else None,
        include=routed,
    )
    groups = prepared.groups
    initial = start_routes(groups, start, greedy=warm_start) if (start or warm_start) else None
    done = 0

    def on_done(group: GroupProblem) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress("solve", done, len(groups))

    results = solve_groups(
        groups,
        policy.solver,
        workers=workers,
        scheduler=scheduler,
        initial=initial,
        on_done=on_done,
    )
    if progress is not None and workers > 1:
        progress("solve", len(groups), len(groups))
    week = finish_week(region, registry, teams, policy, week_start, prepared, results, fill=fill)
    slots = max(1, min(workers, len(groups)))
    effective = max(1.0, policy.solver.time_limit_s * slots / max(1, len(groups)))
    effective *= len(groups) / slots
    if groups and effective > policy.solver.time_limit_s + 1e-9:
        # each part gets at least 1 s (shorter searches often find nothing): say so
        week.meta["time_limit_raised_to_s"] = round(effective, 1)
    return week
