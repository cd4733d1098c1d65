"""Long module: one independent checker, every promise of a posted plan in one place.

The last check before a plan is written: the posted times, re-derived from the rules.

:func:`audit_plan` reads what a coordinator would post (the itinerary and the team-day rows,
in clock minutes as written) and re-derives every promise from the inputs alone: the working
calendar of the policy, the teams file and a fresh travel matrix from the travel model over the
places the plan visits. It shares nothing with the solver (:mod:`planner.week.verify` checks the
solver's own routes and matrices): a plan that both accept was built right and written right.

Checked, per team-day: it is one of the team's working days and the team is in one route that
day; departure and return inside the shift; the break of the right length inside its window
(Friday 11:30-13:00 by default), never during recording, and, when taken on the road, on top of
the travel it interrupts; each stop reached no sooner than travel allows after the previous one,
recording after the set-up, long enough for its residents; every leg passable by the team
(a boat leg only for a boat team, no leg to an island without one). Where the sea has timed
ferries, a boat team-day is measured on that weekday's clock-aware matrix (a timed ferry only
on the first leg, caught from the written departure, waiting at the port), and the written
ferry departure of each leg is the one that matrix catches. Per place and day: the
policy's queue limit, all teams together. Per village: no more than its expected residents.
Per pinned visit: kept, by the same team on the same day, unless a disruption broke it (its
team absent or changed, its day closed, its island out of reach on a day without boat), and
then listed as moved or cancelled in the plan's change list. No route on a day its team is
absent or the office closed, no sea leg on a day without boat. Per team: each written day
leaves from where the previous one ended (a trip sleeps on one island, then on another).
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from planner.core.errors import PlannerError
from planner.domain.config import Team
from planner.domain.workdays import WorkDay, working_days
from planner.travel import Mode, Place, TravelMatrix
from planner.travel.ferries import is_timed
from planner.travel.regional import depot_places, site_places
from planner.week.disruptions import Disruptions
from planner.week.types import PinnedVisit, WeekInputs, WeekPlan

TOLERANCE_MINUTES = 1.5
"""Written times are whole minutes, rounded from the solver's: each may be off by half a minute
at both ends of a comparison."""

PINNED_PART = "tetap"
"""``part`` of an itinerary row kept from an earlier plan (outside the queue limit)."""


class PlanAuditError(PlannerError):
    """A finished plan breaks a promise: a bug of the planner, never of the user's input.

    ``jemput`` reports it as ``ERROR:`` lines with exit code :attr:`exit_code` and writes
    nothing.
    """

    exit_code = 3


@dataclass(frozen=True)
class _Break:
    start: float
    end: float


def clock_minutes(text: object) -> float:
    """Minutes after midnight of a written clock time ``"HH:MM"`` (``"07:30"`` → 450)."""
    hours, minutes = str(text).split(":")
    return float(int(hours) * 60 + int(minutes))


def _breaks(text: object) -> list[_Break]:
    """The breaks of a ``team_days`` row: ``"12:00-13:00"``, several joined by ``", "``."""
    if not isinstance(text, str) or not text.strip():
        return []
    out = []
    for part in text.split(","):
        start, end = part.strip().split("-")
        out.append(_Break(clock_minutes(start), clock_minutes(end)))
    return out


def _travel_matrices(
    plan: WeekPlan, inputs: WeekInputs
) -> tuple[dict[tuple[str, bool], TravelMatrix], list[Place]]:
    """A fresh travel matrix per (mode, boat) of the teams, over the places the plan uses
    (returned too).

    A boat may land anywhere on an island and go on by land, so every site of the week on an
    island the plan visits is included (:mod:`planner.travel.sea`).
    """
    used = set(plan.itinerary["site_id"].astype(str))
    sites = plan.sites
    islands = {
        str(i) for i in sites.loc[sites["site_id"].isin(used), "island"] if isinstance(i, str) and i
    }
    on_island = sites["island"].isin(islands) if islands else np.zeros(len(sites), dtype=bool)
    chosen = sites[sites["site_id"].isin(used) | on_island].drop_duplicates("site_id")
    ends = set(plan.team_days["start_place"].astype(str)) | set(
        plan.team_days["end_place"].astype(str)
    )
    depots = [p for p in depot_places(inputs.region) if p.id in ends]
    places: list[Place] = [*depots, *site_places(chosen)]
    matrices: dict[tuple[str, bool], TravelMatrix] = {}
    for team in inputs.teams.teams:
        key = (str(team.modes[0]), bool(team.boat))
        if key not in matrices and places:
            matrices[key] = inputs.travel.matrix(places, Mode(team.modes[0]), boat=team.boat)
    return matrices, places


def _clocked(
    inputs: WeekInputs, places: list[Place], team: Team, day: WorkDay, row: dict[str, object]
) -> tuple[tuple[object, ...], dict[str, float]] | None:
    """Key and ``depart`` of the clock-aware matrix of a boat team-day where the sea has timed
    ferries (they are caught only on the first leg, leaving at the written departure), else
    ``None``."""
    sea = inputs.travel.sea
    mode = Mode(team.modes[0])
    if not team.boat or mode == Mode.perahu or sea is None or not places:
        return None
    if not any(is_timed(link) for link in sea.links):
        return None
    start, depart = str(row["start_place"]), clock_minutes(row["depart"])
    return (str(mode), day.date.weekday(), start, depart), {start: depart}


def _days_of(team: Team, inputs: WeekInputs) -> dict[str, WorkDay]:
    days = working_days(
        inputs.week_start,
        n_days=7,
        calendar=inputs.policy.calendar,
        weekdays_allowed=team.working_days,
        timezone=inputs.region.config.timezone,
    )
    return {d.date.isoformat(): d for d in days}


def audit_plan(
    plan: WeekPlan,
    inputs: WeekInputs,
    pinned: Sequence[PinnedVisit] = (),
    *,
    disruptions: Disruptions | None = None,
    changed_teams: Collection[str] = (),
) -> list[str]:
    """Every broken promise of the written form of ``plan``, as messages (empty when none).

    Parameters
    ----------
    plan
        The finished week (its ``itinerary``, ``team_days`` and ``sites`` are checked).
    inputs
        What the week was made from: teams, policy (calendar, queue limit), region and the
        travel model.
    pinned
        Visits kept from an earlier plan (``--lock``): each must be in the plan as it was,
        unless ``disruptions`` or ``changed_teams`` broke it and the change list says so.
    disruptions, changed_teams
        What a re-plan was told (``--absent``, ``--closed``, ``--no-boat``; teams whose
        settings changed since the announcement).

    Returns
    -------
    list of str
        One message per problem, naming the team, the date and the village.
    """
    problems: list[str] = []
    teams = {t.id: t for t in inputs.teams.teams}
    stops = plan.itinerary
    matrices, places = _travel_matrices(plan, inputs) if len(stops) else ({}, [])
    clocked: dict[tuple[object, ...], TravelMatrix] = {}
    day_rows = plan.team_days
    pairs = list(zip(day_rows["team_id"].astype(str), day_rows["date"].astype(str), strict=True))
    for pair in sorted(set(pairs)):
        if pairs.count(pair) > 1:
            problems.append(f"{pair[0]} {pair[1]}: {pairs.count(pair)} routes on one day")
    routed = set(zip(day_rows["team_id"].astype(str), day_rows["date"].astype(str), strict=True))
    for key in sorted(set(zip(stops["team_id"], stops["date"], strict=True)) - routed):
        problems.append(f"{key[0]} {key[1]}: stops without a team-day (departure, return)")
    days_of: dict[str, dict[str, WorkDay]] = {}
    for row in _records(day_rows):
        team_id, day_iso = str(row["team_id"]), str(row["date"])
        where = f"{team_id} {day_iso}"
        team = teams.get(team_id)
        if team is None:
            problems.append(f"{where}: team {team_id} is not in the teams file")
            continue
        if team_id not in days_of:
            days_of[team_id] = _days_of(team, inputs)
        day = days_of[team_id].get(day_iso)
        if day is None:
            problems.append(f"{where}: not a working day of the team")
            continue
        mine = stops[(stops["team_id"] == team_id) & (stops["date"] == day_iso)]
        matrix = matrices.get((str(team.modes[0]), bool(team.boat)))
        clock = _clocked(inputs, places, team, day, row) if len(mine) else None
        if clock is not None:  # timed ferries: that weekday's, caught on the first leg only
            clock_key, depart = clock
            if clock_key not in clocked:
                clocked[clock_key] = inputs.travel.matrix(
                    places, Mode(team.modes[0]), boat=True, weekday=day.date.weekday(),
                    depart=depart,
                )  # fmt: skip
            matrix = clocked[clock_key]
        problems += _audit_day(where, row, mine.sort_values("order"), team, day, matrix)
    problems += _audit_places(plan, inputs)
    told = disruptions or Disruptions()
    problems += _audit_disruptions(day_rows, told)
    problems += _audit_nights(day_rows)
    problems += _audit_pinned(plan, pinned, told, frozenset(changed_teams))
    return problems


def _audit_day(
    where: str,
    row: dict[str, object],
    stops: pd.DataFrame,
    team: Team,
    day: WorkDay,
    matrix: TravelMatrix | None,
) -> list[str]:
    """The problems of one team-day: shift, break, travel, set-up, service, boat legs."""
    tol = TOLERANCE_MINUTES
    problems: list[str] = []
    depart, back = clock_minutes(row["depart"]), clock_minutes(row["return"])
    if depart < day.shift_start - tol or back > day.shift_end + tol:
        problems.append(
            f"{where}: out {row['depart']}-{row['return']}, outside the shift {day.shift_label}"
        )
    breaks = _breaks(row.get("break"))
    problems += _audit_breaks(where, breaks, day, depart, back)
    records = _records(stops)
    for stop in records:
        start, end = clock_minutes(stop["start"]), clock_minutes(stop["end"])
        for brk in breaks:
            if start < brk.end - tol and brk.start < end - tol:
                recorded = end - start - (brk.end - brk.start)
                service = (
                    int(str(stop["expected_recordings"])) * team.minutes_per_record / team.kits
                )
                if recorded < service - tol:  # a break inside one long visit is fine
                    problems.append(f"{where}: recording at {stop['desa']} during the break")
    if matrix is None:
        return problems + ([f"{where}: no travel matrix for the team"] if records else [])
    place = str(row["start_place"])
    free_at = depart
    for stop in records:
        site = str(stop["site_id"])
        label = f"{where}: {stop['desa']} ({site})"
        arrival = clock_minutes(stop["arrival"])
        start, end = clock_minutes(stop["start"]), clock_minutes(stop["end"])
        travel = matrix.travel_minutes(place, site) if place != site else 0.0
        if not np.isfinite(travel):
            problems.append(f"{label}: cannot be reached from {place} by {team.modes[0]}")
            travel = 0.0
        boat = float(matrix.boat_minutes[matrix.index(place), matrix.index(site)])
        if boat > 0 and not team.boat:
            problems.append(f"{label}: reached by boat, but the team has no boat")
        problems += _audit_ferry(label, stop, matrix, place, site)
        pause = _break_between(breaks, free_at, arrival)
        if arrival + tol < free_at + travel + pause:
            problems.append(
                f"{label}: arrives {stop['arrival']}, before the {travel:.0f} min from {place} "
                f"after {_clock(free_at)} allow"
            )
        setup = float(team.setup_minutes) if place != site else 0.0
        if start + tol < arrival + setup:
            problems.append(f"{label}: recording from {stop['start']}, before set-up is done")
        # the gap holds the travel, the set-up and a break taken in it (on the road or on
        # arrival), whatever the written arrival says
        pause = _break_between(breaks, free_at, start)
        if pause and start + tol < free_at + travel + setup + pause:
            problems.append(
                f"{label}: recording from {stop['start']}, but {travel:.0f} min travel, "
                f"{setup:.0f} min set-up with the break of {pause:.0f} min need until "
                f"{_clock(free_at + travel + setup + pause)}"
            )
        service = int(str(stop["expected_recordings"])) * team.minutes_per_record / team.kits
        if end - start + tol < service:
            problems.append(
                f"{label}: {end - start:.0f} min for {stop['expected_recordings']} residents "
                f"(needs {service:.0f})"
            )
        if start + tol < free_at:
            problems.append(f"{label}: starts before the previous stop ends (two places)")
        place, free_at = site, max(free_at, end)
    end_place = str(row["end_place"])
    if records:
        travel = matrix.travel_minutes(place, end_place) if place != end_place else 0.0
        if not np.isfinite(travel):
            problems.append(f"{where}: {end_place} cannot be reached from {place}")
            travel = 0.0
        pause = _break_between(breaks, free_at, back)
        if back + tol < free_at + travel + pause:
            problems.append(
                f"{where}: back at {end_place} at {row['return']}, before the {travel:.0f} min "
                f"from {place} allow"
            )
    return problems


def _audit_ferry(
    label: str, stop: dict[str, object], matrix: TravelMatrix, place: str, site: str
) -> list[str]:
    """A ferry departure the plan writes for a leg is the timed ferry the travel model catches
    on it. (A leg written without one is held to the arrival bound only: leaving later than
    the shift start, a team may have a timed ferry it did not need.)"""
    written = str(stop.get("ferry_departure") or "")
    if written in ("", "nan"):
        return []
    caught = matrix.ferries.get((matrix.index(place), matrix.index(site)), ())
    departs = _clock(caught[0].departure) if caught else ""
    if written != departs:
        return [
            f"{label}: the plan says the ferry leaves at {written}, the timed ferry of the leg "
            f"leaves at {departs or '-'}"
        ]
    return []


def _audit_breaks(
    where: str, breaks: list[_Break], day: WorkDay, depart: float, back: float
) -> list[str]:
    """The break: right length, inside its window, taken when the day runs past the window."""
    tol = TOLERANCE_MINUTES
    problems = []
    if not day.break_minutes or day.break_earliest is None or day.break_latest is None:
        return [f"{where}: a break on a day without one" for _ in breaks]
    window = f"{_clock(day.break_earliest)}-{_clock(day.break_latest + day.break_minutes)}"
    if not breaks and back > day.break_earliest + tol and depart < day.break_latest - tol:
        problems.append(f"{where}: no break, though the team works through {window}")
    for brk in breaks:
        if abs(brk.end - brk.start - day.break_minutes) > tol:
            length = brk.end - brk.start
            problems.append(f"{where}: break of {length:.0f} min, not {day.break_minutes}")
        if brk.start < day.break_earliest - tol or brk.start > day.break_latest + tol:
            problems.append(f"{where}: break at {_clock(brk.start)}, outside {window}")
    return problems


def _break_between(breaks: list[_Break], since: float, until: float) -> float:
    """Minutes of break taken inside the gap ``since``-``until`` (a break on the road)."""
    tol = TOLERANCE_MINUTES
    return sum(b.end - b.start for b in breaks if b.start >= since - tol and b.end <= until + tol)


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _clock(minutes: float) -> str:
    whole = round(minutes)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def _audit_places(plan: WeekPlan, inputs: WeekInputs) -> list[str]:
    """Queue limit per place and day (all teams together) and residents per village."""
    problems = []
    stops = plan.itinerary
    limit = inputs.policy.max_attendance_per_visit_day
    new = stops[stops["part"].astype(str) != PINNED_PART]
    per_day: dict[tuple[str, str], int] = {}
    for row in _records(new):
        key = (str(row["site_id"]), str(row["date"]))
        per_day[key] = per_day.get(key, 0) + int(str(row["expected_recordings"]))
    for (site_id, day_iso), recordings in sorted(per_day.items()):
        if limit is not None and recordings > limit:
            problems.append(
                f"{site_id} {day_iso}: {int(recordings)} residents expected at one place, over "
                f"the limit of {limit} a day"
            )
    sites = plan.sites
    expected = {str(k): int(v) for k, v in zip(sites["site_id"], sites["expected"], strict=True)}
    per_site: dict[str, int] = {}
    for (site_id, _), recordings in per_day.items():
        per_site[site_id] = per_site.get(site_id, 0) + recordings
    for site_id, recordings in sorted(per_site.items()):
        if recordings > expected.get(site_id, 0):
            problems.append(
                f"{site_id}: {recordings} residents planned, more than the "
                f"{expected.get(site_id, 0)} expected"
            )
    return problems


def _audit_nights(day_rows: pd.DataFrame) -> list[str]:
    """Each written team-day starts where the team's previous one ended (a trip that moves
    between islands starts each day at the last night's place). A day that is not written
    has no visit and no move, so the chain holds over it."""
    problems = []
    by_team: dict[str, list[dict[str, object]]] = {}
    for row in _records(day_rows):
        by_team.setdefault(str(row["team_id"]), []).append(row)
    for team_id, rows in sorted(by_team.items()):
        rows.sort(key=lambda r: str(r["date"]))
        for prev, row in itertools.pairwise(rows):
            if str(row["start_place"]) != str(prev["end_place"]):
                problems.append(
                    f"{team_id} {row['date']}: leaves from {row['start_place']}, but the team "
                    f"slept at {prev['end_place']}"
                )
    return problems


def _audit_disruptions(day_rows: pd.DataFrame, disruptions: Disruptions) -> list[str]:
    """No route on a day its team cannot work; no boat on a day without boat."""
    problems = []
    for row in _records(day_rows):
        team_id, day = str(row["team_id"]), date.fromisoformat(str(row["date"]))
        why = disruptions.reason(team_id, day)
        if why is not None:
            problems.append(f"{team_id} {day}: a route on a day the team cannot work ({why})")
        if day in disruptions.no_boat and float(str(row.get("boat_minutes") or 0)) > 0:
            problems.append(f"{team_id} {day}: a sea leg on a day without boat (--no-boat)")
    return problems


def _audit_pinned(
    plan: WeekPlan,
    pinned: Sequence[PinnedVisit],
    disruptions: Disruptions,
    changed_teams: frozenset[str],
) -> list[str]:
    """Each pinned visit is in the plan (same team, day and place), or a disruption broke it
    and the plan's change list announces it as moved or cancelled."""
    stops = plan.itinerary
    have = set(
        zip(
            stops["team_id"].astype(str),
            stops["date"].astype(str),
            stops["site_id"].astype(str),
            strict=True,
        )
    )
    sites = plan.sites
    on_island = {
        str(s)
        for s, i in zip(sites["site_id"], sites["island"], strict=True)
        if isinstance(i, str) and i
    }
    changes = plan.meta.get("changes", [])
    announced = {
        (str(c.get("old_team")), str(c.get("old_date")), str(c.get("site_id")))
        for c in (changes if isinstance(changes, list) else [])
        if isinstance(c, dict) and c.get("status") in ("moved", "cancelled")
    }
    problems = []
    for p in pinned:
        key = (p.team_id, p.date.isoformat(), p.site_id)
        if key in have:
            continue
        broken = (
            disruptions.reason(p.team_id, p.date) is not None
            or p.team_id in changed_teams
            or (p.date in disruptions.no_boat and p.site_id in on_island)
        )
        where = f"{p.team_id} {p.date.isoformat()}"
        if not broken:
            problems.append(f"{where}: locked visit to {p.site_id} is missing")
        elif key not in announced:
            problems.append(
                f"{where}: locked visit to {p.site_id} changed but not in the change list"
            )
    return problems


def check_plan_before_writing(
    plan: WeekPlan,
    inputs: WeekInputs,
    pinned: Sequence[PinnedVisit] = (),
    *,
    disruptions: Disruptions | None = None,
    changed_teams: Collection[str] = (),
) -> None:
    """Raise :class:`PlanAuditError` when :func:`audit_plan` finds anything.

    The message asks for a report: the user's input cannot cause it.
    """
    problems = audit_plan(
        plan, inputs, pinned, disruptions=disruptions, changed_teams=changed_teams
    )
    if problems:
        head = (
            "internal error, please report: the finished plan failed its final check "
            f"({len(problems)} problems); nothing was written"
        )
        raise PlanAuditError([head, *problems[:50]])
