"""A week as routing problems: team-days as vehicles, visit chunks as optional visits.

The week is decomposed into groups of teams that share regencies (each Disdukcapil plans its
own teams); each group gets the candidate chunks of its regencies, pre-selected by priority
density to a few times its recording capacity, and becomes one plain
:class:`~planner.routing.RoutingProblem` (:func:`build_group_problem`), solved on its own by
:mod:`planner.week.solve`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from planner.domain.config import Team
from planner.geo.demand import split_into_chunks
from planner.routing import (
    Break,
    RoutingProblem,
    Vehicle,
    Visit,
)
from planner.routing.problem import SharedCapacity
from planner.travel import Place, Terrain, TravelMatrix
from planner.week.types import Chunk, GroupProblem, TeamDay

PENALTY_PER_WEIGHTED_RECORDING = 30
"""Objective units (travel minutes) one weighted recording is worth: a stop is dropped only if
reaching it costs more than 30 minutes of driving per weighted recording, i.e. almost never for
its own sake; capacity (the working day) is what limits a plan."""

CANDIDATE_FACTOR = 3.0
"""Pre-select candidate chunks up to this multiple of a group's recording capacity."""


def profile_of(team: Team) -> str:
    """Routing profile of a team: its (first) land mode, plus ``+perahu`` if it takes boats.

    A team with several modes plans with the first listed (the vehicle it leaves with).
    """
    return f"{team.modes[0]}{'+perahu' if team.boat else ''}"


def day_profile(team: Team, weekday: int) -> str:
    """Key of a team's travel matrix for one weekday (built when ferries skip some days)."""
    return f"{profile_of(team)}@{weekday}"


def matrix_of(matrices: Mapping[str, TravelMatrix], td: TeamDay) -> TravelMatrix:
    """The travel matrix of a team-day: its weekday's when one was built (ferry days), else
    the week's."""
    day = matrices.get(day_profile(td.team, td.day.date.weekday()))
    return day if day is not None else matrices[profile_of(td.team)]


def covering_regencies(team: Team, depot_regency: dict[str, str]) -> frozenset[str]:
    """Regencies a team serves: its list, or its depot's regency."""
    if team.regencies:
        return frozenset(team.regencies)
    return frozenset({depot_regency[team.depot]})


def team_groups(teams: Sequence[Team], depot_regency: dict[str, str]) -> list[list[Team]]:
    """Teams that share a regency, transitively, form one group (solved together)."""
    groups: list[tuple[set[str], list[Team]]] = []
    for team in teams:
        regs = set(covering_regencies(team, depot_regency))
        merged = [g for g in groups if g[0] & regs]
        for g in merged:
            regs |= g[0]
            groups.remove(g)
        members = [t for g in merged for t in g[1]] + [team]
        groups.append((regs, members))
    return [sorted(g[1], key=lambda t: t.id) for g in sorted(groups, key=lambda g: min(g[0]))]


def make_chunks(
    sites: pd.DataFrame,
    chunk_size: Callable[[pd.Series], int],
    min_visit_size: float,
) -> list[Chunk]:
    """Split every site's expected recordings into chunks (see :func:`split_into_chunks`)."""
    out: list[Chunk] = []
    for _, site in sites.iterrows():
        parts = split_into_chunks(int(site["expected"]), chunk_size(site), min_visit_size)
        for k, recordings in enumerate(parts, start=1):
            out.append(
                Chunk(
                    chunk_id=f"{site['site_id']}#{k}",
                    site_id=str(site["site_id"]),
                    part=k,
                    parts=len(parts),
                    recordings=recordings,
                    weight=float(site["weight"]),
                )
            )
    return out


def site_place(site: pd.Series) -> Place:
    """Travel-model place of a visit site."""
    island = site["island"]
    return Place(
        id=str(site["site_id"]),
        lon=float(site["lon"]),
        lat=float(site["lat"]),
        terrain=Terrain(str(site["terrain"])),
        island=None if island is None or pd.isna(island) else str(island),
    )


def routing_profile(team: Team) -> str:
    """Routing profile: travel profile plus the team's set-up minutes (paid on arrival)."""
    return f"{profile_of(team)}|setup={team.setup_minutes:g}"


def vehicle_profile(td: TeamDay, matrices: Mapping[str, TravelMatrix]) -> str:
    """Routing profile of a team-day: the team's, on its weekday's matrix if there is one."""
    key = day_profile(td.team, td.day.date.weekday())
    return f"{routing_profile(td.team)}@{key}" if key in matrices else routing_profile(td.team)


def with_setup(minutes: np.ndarray, setup: float, n_depots: int) -> np.ndarray:
    """Travel minutes plus ``setup`` on every arc that arrives at a new visit site.

    Set-up (unpacking the kit, generator, desk) is paid once per place: two visit chunks of
    the same site in a row on one day need none in between, which lets the solver fill a day
    with chunks of one large village.
    """
    out = minutes.copy()
    n = len(out)
    arrive_new = ~np.eye(n, dtype=bool)
    arrive_new[:, :n_depots] = False
    out[arrive_new] += setup
    return out


def build_group_problem(
    index: int,
    teams: Sequence[Team],
    team_days: Sequence[TeamDay],
    chunks: Sequence[Chunk],
    sites: pd.DataFrame,
    depot_regency: dict[str, str],
    full_matrices: dict[str, TravelMatrix],
    queue_limit: int | None = None,
    value_factor: Mapping[str, float] | None = None,
    parts: Mapping[str, str | None] | None = None,
) -> GroupProblem:
    """Build the routing problem of one group of teams.

    Nodes are where the team-days start and end (depots, bases, where a re-plan finds a team),
    then the candidate sites. Each chunk is an optional visit whose penalty is its weighted
    expected recordings; it may go only on team-days of teams that cover its regency, and on
    island sites only with boat access (land-only matrices make islands unreachable).

    Parameters
    ----------
    full_matrices
        Travel matrices per profile (:func:`profile_of`), and per weekday (:func:`day_profile`)
        where ferries skip some days, over at least the group's places (it uses their rows).
    queue_limit
        Most recordings at one place in one day, all teams together (the policy's
        ``max_attendance_per_visit_day``): a shared capacity per place and date
        (:func:`queue_limits`). ``None``: no such limit in the model.
    value_factor
        Multiplier of a site's penalty per site id (the policy's campaign look-ahead); 1 for
        sites not listed.
    parts
        Land-part key of each place, kept on the problem so :func:`verify_plan` can check that
        no leg changes part without a boat.
    """
    depot_ids = sorted({p for td in team_days for p in (td.start_place, td.end_place)})
    site_ids = sorted({c.site_id for c in chunks})
    by_site = sites.set_index("site_id", drop=False)
    places = [*depot_ids, *site_ids]
    node_of = {p: i for i, p in enumerate(places)}
    # a team-day may plan with another profile than its team (no boat that day)
    day_teams = [*teams, *(td.team for td in team_days)]
    matrices = {profile_of(t): full_matrices[profile_of(t)].submatrix(places) for t in day_teams}
    for td in team_days:  # the weekday's matrix where ferries skip some days
        key = day_profile(td.team, td.day.date.weekday())
        if key in full_matrices and key not in matrices:
            matrices[key] = full_matrices[key].submatrix(places)
    routing_minutes = {
        routing_profile(t): with_setup(
            matrices[profile_of(t)].minutes, float(t.setup_minutes), len(depot_ids)
        )
        for t in day_teams
    }
    for td in team_days:
        key = day_profile(td.team, td.day.date.weekday())
        if key in matrices:
            routing_minutes[vehicle_profile(td, matrices)] = with_setup(
                matrices[key].minutes, float(td.team.setup_minutes), len(depot_ids)
            )
    vehicles = []
    for td in team_days:
        day, team = td.day, td.team
        breaks: tuple[Break, ...] = ()
        if day.break_minutes > 0 and day.break_earliest is not None:
            latest = day.break_latest if day.break_latest is not None else day.break_earliest
            breaks = (Break(float(day.break_earliest), float(latest), float(day.break_minutes)),)
        start = node_of[td.start_place]
        clocks = [
            c.leave
            for (a, _), caught in matrix_of(matrices, td).ferries.items()
            if a == start
            for c in caught
        ]
        vehicles.append(
            Vehicle(
                id=td.vehicle_id,
                start_node=start,
                end_node=node_of[td.end_place],
                shift_start=float(day.shift_start),
                shift_end=float(day.shift_end),
                breaks=breaks,
                profile=vehicle_profile(td, matrices),
                setup_minutes=0.0,
                minutes_per_record=float(team.minutes_per_record),
                kits=int(team.kits),
                # its first legs catch timed ferries: it leaves at the clock they assume
                latest_start=min(clocks) if clocks else None,
            )
        )
    covers = [covering_regencies(td.team, depot_regency) for td in team_days]
    vehicle_of = {td.vehicle_id: v for v, td in enumerate(team_days)}
    visits = []
    for chunk in chunks:
        kab = str(by_site.at[chunk.site_id, "kode_kab"])
        allowed = frozenset(v for v, regs in enumerate(covers) if kab in regs)
        factor = value_factor.get(chunk.site_id, 1.0) if value_factor else 1.0
        value = chunk.weight * chunk.recordings * factor + chunk.drop_cost
        penalty = round(value * PENALTY_PER_WEIGHTED_RECORDING)
        locked = vehicle_of.get(chunk.locked_vehicle_id) if chunk.locked_vehicle_id else None
        if locked is not None:
            allowed = frozenset({locked})
        elif chunk.only_vehicle_id is not None:
            only = vehicle_of.get(chunk.only_vehicle_id)
            allowed = allowed & frozenset({only} if only is not None else set())
        visits.append(
            Visit(
                id=chunk.chunk_id,
                node=node_of[chunk.site_id],
                penalty=max(1, penalty),
                recordings=chunk.recordings,
                allowed_vehicles=allowed,
                locked_vehicle=locked,
                locked_position=chunk.locked_position if locked is not None else None,
                alternatives=chunk.alternatives,
                serve_cost=round(chunk.serve_cost * PENALTY_PER_WEIGHTED_RECORDING),
                soft_time_window=chunk.announced_window,
                soft_window_cost=round(chunk.time_cost * PENALTY_PER_WEIGHTED_RECORDING),
            )
        )
    problem = RoutingProblem(
        visits=tuple(visits),
        vehicles=tuple(vehicles),
        minutes=routing_minutes,
        shared_capacities=queue_limits(chunks, team_days, queue_limit),
    )
    return GroupProblem(
        index=index,
        team_ids=tuple(t.id for t in teams),
        team_days=tuple(team_days),
        places=tuple(places),
        chunks=tuple(chunks),
        problem=problem,
        matrices=matrices,
        candidates=tuple(c.chunk_id for c in chunks),
        parts={p: parts[p] for p in places if p in parts} if parts else {},
    )


def queue_limits(
    chunks: Sequence[Chunk], team_days: Sequence[TeamDay], limit: int | None
) -> tuple[SharedCapacity, ...]:
    """A place's daily queue limit as shared capacities: one per site and date.

    The chunks of a site served by the team-days of one date carry at most ``limit``
    recordings together, less what pinned (locked) chunks of that site already take that day.
    Only sites whose open chunks exceed that room get a limit (the others cannot break it).
    """
    if limit is None:
        return ()
    vehicles_of: dict[date, set[int]] = {}
    for k, td in enumerate(team_days):
        vehicles_of.setdefault(td.day.date, set()).add(k)
    day_of = {td.vehicle_id: td.day.date for td in team_days}
    open_of: dict[str, list[Chunk]] = {}
    locked: dict[tuple[str, date], int] = {}
    for chunk in chunks:
        if chunk.locked_vehicle_id is None:
            open_of.setdefault(chunk.site_id, []).append(chunk)
        elif chunk.locked_vehicle_id in day_of:
            key = (chunk.site_id, day_of[chunk.locked_vehicle_id])
            locked[key] = locked.get(key, 0) + chunk.recordings
    out = []
    for site in sorted(open_of):
        total = sum(c.recordings for c in open_of[site])
        for day in sorted(vehicles_of):
            room = max(0, limit - locked.get((site, day), 0))
            if total > room:
                out.append(
                    SharedCapacity(
                        tuple(c.chunk_id for c in open_of[site]),
                        frozenset(vehicles_of[day]),
                        room,
                    )
                )
    return tuple(out)


def preselect(
    chunks: Sequence[Chunk],
    sites: pd.DataFrame,
    capacity: float,
    minutes_from_depot: dict[str, float],
    service_minutes: Callable[[Chunk], float],
) -> list[Chunk]:
    """Keep the chunks with the highest priority density until ``CANDIDATE_FACTOR`` x capacity.

    Density = weighted recordings / (service + round trip from the nearest group depot).
    """

    def density(c: Chunk) -> float:
        trip = 2.0 * minutes_from_depot.get(c.site_id, math.inf)
        return c.weight * c.recordings / (service_minutes(c) + trip)

    ranked = sorted(chunks, key=lambda c: (-density(c), c.chunk_id))
    out, total = [], 0.0
    for chunk in ranked:
        if total >= CANDIDATE_FACTOR * capacity:
            break
        if not np.isfinite(minutes_from_depot.get(chunk.site_id, math.inf)):
            continue
        out.append(chunk)
        total += chunk.recordings
    return sorted(out, key=lambda c: c.chunk_id)
