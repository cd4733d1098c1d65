"""Overnight bases chosen by the planner (``base = "auto"`` in ``teams.toml``).

A team with ``base = "auto"`` gets, each week, the kecamatan office of its regencies from which
its best week of work is worth the most: the priority-weighted expected recordings within
:data:`REACH_MINUTES` by its own travel profile, highest weight first, up to what the team can
record in its working days. The office must beat the team's depot on that count by
:data:`MIN_GAIN`, otherwise the team stays home (no base). Offices closer than
:data:`MIN_BASE_MINUTES` to the depot are no candidates: sleeping there saves little driving.
Teams of one group choose one after another (teams with a fixed place first, then the "auto"
ones in id order), and each claims the recordings it counted, so later teams look elsewhere:
the bases spread out. A fixed trip with ``nights`` elsewhere claims from every night place, its
week shared among them by the nights it spends at each.

**Multi-day boat trips** reuse this machinery: for a boat team, a kecamatan office on another
land part (an island) is also offered for a *run* of consecutive working days only (out on the
first day of the run, nights at the office, back on the last; the other days are day trips
from the depot). A run is scored as the recordings within reach of the office in the run's
capacity less the crossing out and back (minutes of that weekday's ferries), plus the depot's
best week in the other days, less ``night_away_penalty`` weighted recordings per night (policy).
The best run of any office competes with the whole-week bases and must beat the depot by
:data:`MIN_GAIN` like them. The chosen run becomes the team's ``base`` and ``base_days``
(:func:`planner.week.team_days.trip_nights`).

A trip may also **move between islands**: nights on office A, then on office B (another office,
on another land part than the depot), when the move A -> B that day is quicker than going home
and out again. Each stay's capacity pays for the crossing that reaches it (the last one also for
the way home), B counts only what A did not take, and the score is otherwise the one-office
run's. Only the :data:`~planner.week.boat_trips.PAIR_OFFICES` offices with the best one-office
trips are paired (a few hundred candidates), in a fixed order with ties to the earlier candidate
(every one-office trip before any two-office one): the choice is deterministic. The second
office's nights become the team's ``nights``. One trip per week. The trips are scored in
:mod:`planner.week.boat_trips`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import numpy as np
import pandas as pd

from planner.domain.config import AUTO_BASE, WEEKDAYS, Team, TeamsConfig
from planner.travel import TravelMatrix
from planner.week.boat_trips import Trip, nights_words
from planner.week.boat_trips import best_trip as best_boat_trip
from planner.week.groups import profile_of
from planner.week.team_days import night_shares
from planner.week.types import BaseChoice

REACH_MINUTES = 30.0
"""One-way travel minutes within which a base (or the depot) counts a site as reachable.

Measured with ``examples/scenarios/menginap_otomatis.toml`` (Banten, week of 2017-11-13, 20 s,
2 workers; weighted recordings of the week): 60 min → 9,810; 45 → 9,920; 30 → 10,087 (the
hand-picked bases of ``menginap_kecamatan.toml``: 10,049-10,060; runs of one scenario vary by
about 10). A wide radius rewards far offices that reach much of everything; a short one picks
the office in the middle of its best villages."""

MIN_BASE_MINUTES = 30.0
"""A kecamatan office closer than this to the team's depot (one way) is not offered as a base:
half an hour is what the team would save in a morning, not worth a night away."""

NOMINAL_MONDAY = date(2024, 1, 1)
"""A Monday: :func:`nominal_week` counts from it."""

MIN_GAIN = 0.05
"""An office must promise at least this share more weighted recordings than the depot: nights
away cost allowances and lodging the planner does not count, so a tie or a sliver stays home."""


def _count(value: float) -> str:
    """A count the Indonesian way: ``12.345``."""
    return f"{round(value):,}".replace(",", ".")


def base_candidates(team: Team, depots: pd.DataFrame) -> list[str]:
    """Kecamatan offices (``kind == "kecamatan"``) in the regencies ``team`` covers, sorted."""
    rows = depots[(depots["kind"] == "kecamatan") & depots["kode_kab"].isin(team.regencies)]
    return sorted(str(d) for d in rows["depot_id"])


def nominal_week(team: Team) -> list[date]:
    """The team's working days as dates of one week without holidays (for weekday rules when
    no week's dates are given)."""
    return [NOMINAL_MONDAY + timedelta(days=WEEKDAYS.index(d)) for d in team.working_days]


def choose_bases(
    teams: Sequence[Team],
    matrices: Mapping[str, TravelMatrix],
    demand: pd.DataFrame,
    depots: pd.DataFrame,
    week_capacity: Mapping[str, float],
    *,
    reach_minutes: float = REACH_MINUTES,
    min_base_minutes: float = MIN_BASE_MINUTES,
    min_gain: float = MIN_GAIN,
    day_capacity: Mapping[str, Sequence[tuple[date, float]]] | None = None,
    parts: Mapping[str, str | None] | None = None,
    night_penalty: float = 10.0,
) -> tuple[list[Team], list[BaseChoice]]:
    """Resolve ``base = "auto"`` for the teams of one group.

    A place's score for a team is the priority-weighted recordings of the best week of work
    within reach: the sites within :data:`REACH_MINUTES` (out and back) of the regencies the
    team covers, highest weight first, up to the team's recording capacity of the week. An
    office must score :data:`MIN_GAIN` more than the depot to become the base; the recordings
    counted for the place a team sleeps at are claimed, and later teams score only what is left.

    Parameters
    ----------
    teams
        The group's teams, in id order.
    matrices
        Travel matrices per travel profile (:func:`planner.week.groups.profile_of`) over the
        teams' depots and fixed bases, the candidate offices of the "auto" teams and the sites.
    demand
        Sites with residents to record: ``site_id``, ``kode_kab``, ``expected``, ``weight``.
    depots
        The region's ``depots.csv`` (``depot_id``, ``name``, ``kind``, ``kode_kab``).
    week_capacity
        Team id → recordings the team could make in the week's working minutes (an upper
        bound: no travel).
    day_capacity
        Team id → its working dates (sorted) with the recordings each could take: with
        ``parts``, boat teams are offered multi-day trips (module docstring).
    parts
        Land-part key of each depot id (``None``: continental).
    night_penalty
        Weighted recordings one night away costs (the policy's ``night_away_penalty``).

    Returns
    -------
    teams, choices
        The teams with every "auto" base replaced by the chosen depot id or ``None``, in the
        same order; one :class:`BaseChoice` per "auto" team, in id order.
    """
    names = dict(zip(depots["depot_id"].astype(str), depots["name"].astype(str), strict=True))
    ordered = demand.sort_values(["weight", "site_id"], ascending=[False, True])
    weight = dict(zip(ordered["site_id"].astype(str), ordered["weight"].astype(float), strict=True))
    regency = dict(
        zip(ordered["site_id"].astype(str), ordered["kode_kab"].astype(str), strict=True)
    )
    left = dict(zip(ordered["site_id"].astype(str), ordered["expected"].astype(float), strict=True))

    def week_at(
        team: Team,
        place: str,
        capacity: float | None = None,
        taken: Mapping[str, float] | None = None,
    ) -> tuple[float, dict[str, float]]:
        """Weighted recordings of the team's best week from ``place``, and what it takes
        (``capacity``: recordings, default the team's week; ``taken``: not counted again)."""
        matrix = matrices[profile_of(team)]
        pos = {pid: i for i, pid in enumerate(matrix.ids)}
        mine = [s for s in weight if regency[s] in team.regencies and s in pos]
        if not mine:
            return 0.0, {}
        cols = np.array([pos[s] for s in mine], dtype=np.int64)
        here = pos[place]
        # out and back both within the radius (sea legs may differ by direction)
        worst = np.maximum(matrix.minutes[here, cols], matrix.minutes[cols, here])
        room = float(week_capacity[team.id] if capacity is None else capacity)
        value, take = 0.0, {}
        for sid, ok in zip(mine, worst <= reach_minutes, strict=True):
            if room <= 0:
                break
            free = left[sid] - (taken.get(sid, 0.0) if taken else 0.0)
            n = min(free, room) if ok else 0.0
            if n > 0:
                take[sid] = n
                value += n * weight[sid]
                room -= n
        return value, take

    def claim(take: Mapping[str, float]) -> None:
        for sid, n in take.items():
            left[sid] -= n

    def best_trip(team: Team) -> Trip | None:
        """The boat team's best multi-day trip (:func:`planner.week.boat_trips.best_trip`)."""
        assert day_capacity is not None and parts is not None
        return best_boat_trip(
            team,
            base_candidates(team, depots),
            day_capacity[team.id],
            parts,
            matrices,
            week_at,
            float(week_capacity[team.id]),
            night_penalty,
        )

    # teams with a fixed place to sleep claim their week first; a trip that moves between
    # night places claims from each, its week shared by the nights spent there, so the
    # "auto" teams after it do not count those villages again
    for team in teams:
        if team.base == AUTO_BASE:
            continue
        places = team.away_places or (team.depot,)
        dates = [d for d, _ in day_capacity[team.id]] if day_capacity else nominal_week(team)
        shares = night_shares(team, dates) if len(places) > 1 else {}
        if not shares:
            claim(week_at(team, places[0])[1])
        for place, share in shares.items():
            claim(week_at(team, place, share * float(week_capacity[team.id]))[1])

    resolved: dict[str, Team] = {}
    choices: list[BaseChoice] = []
    for team in sorted((t for t in teams if t.base == AUTO_BASE), key=lambda t: t.id):
        matrix = matrices[profile_of(team)]
        depot_score, depot_take = week_at(team, team.depot)
        far = []
        trips = team.boat and bool(day_capacity) and bool(parts)
        for office in base_candidates(team, depots):
            minutes = matrix.travel_minutes(team.depot, office)
            if trips and parts and parts.get(office) != parts.get(team.depot):
                continue  # another land part: a boat trip, scored net below
            if np.isfinite(minutes) and minutes >= min_base_minutes:
                far.append((*week_at(team, office), office, minutes))
        # the best week; ties go to the lower depot id (deterministic)
        far.sort(key=lambda c: (-c[0], c[2]))
        home = names[team.depot]
        trip = best_trip(team) if trips else None
        if (
            trip is not None
            and trip.score > depot_score * (1.0 + min_gain)
            and (not far or trip.score >= far[0][0])
        ):
            dates = [d for d, _ in day_capacity[team.id]] if day_capacity else []
            whole = len(trip.run) == len(dates)
            day_names = tuple(WEEKDAYS[d.weekday()] for d in trip.run)
            night_places = tuple((WEEKDAYS[d.weekday()], o) for d, o in trip.nights)
            others = {day: o for day, o in night_places if o != trip.office}
            choice = BaseChoice(
                team.id,
                trip.office,
                names[trip.office],
                trip.score,
                depot_score,
                trip.minutes_out,
                "boat_trip",
                f"perjalanan perahu {len(trip.run)} hari ({day_names[0]}–{day_names[-1]}), "
                f"{nights_words(night_places, names)} ({trip.minutes_out:.0f} menit dari "
                f"{home}): {_count(trip.score)} rekaman berbobot setelah penyeberangan dan "
                f"{night_penalty:g} per malam, dari {home} saja {_count(depot_score)}",
                None if whole else day_names,
                len(trip.nights),
                night_places,
                tuple((o, names[o]) for o in dict.fromkeys(o for _, o in night_places)),
            )
            claim(trip.take)
            choices.append(choice)
            resolved[team.id] = team.model_copy(
                update={
                    "base": trip.office,
                    "base_days": None if whole else list(day_names),
                    "nights": others or None,
                }
            )
            continue
        if far and far[0][0] > depot_score * (1.0 + min_gain):
            best, take, office, minutes = far[0]
            choice = BaseChoice(
                team.id,
                office,
                names[office],
                best,
                depot_score,
                minutes,
                "more_in_reach",
                f"menginap di {names[office]} ({minutes:.0f} menit dari {home}): seminggu "
                f"kerja dalam {reach_minutes:.0f} menit dari sana {_count(best)} rekaman berbobot, "
                f"dari {home} {_count(depot_score)}",
            )
            claim(take)
        else:
            if far:
                reason = "depot_reaches_more"
                alasan = (
                    f"pulang ke {home} setiap hari: seminggu kerja dalam {reach_minutes:.0f} "
                    f"menit dari sana {_count(depot_score)} rekaman berbobot; kantor kecamatan "
                    f"terbaik ({names[far[0][2]]}, {_count(far[0][0])}) tidak {min_gain:.0%} lebih"
                )
            else:
                reason = "no_candidate"
                alasan = (
                    f"pulang ke {home} setiap hari: tidak ada kantor kecamatan di wilayah tim "
                    f"yang {min_base_minutes:.0f} menit atau lebih dari sana"
                )
            choice = BaseChoice(team.id, None, home, depot_score, depot_score, None, reason, alasan)
            claim(depot_take)
        choices.append(choice)
        resolved[team.id] = team.model_copy(update={"base": choice.base})
    return [resolved.get(t.id, t) for t in teams], choices


def with_bases(
    teams: TeamsConfig,
    bases: Mapping[str, str | None],
    days: Mapping[str, Sequence[str] | None] | None = None,
    nights: Mapping[str, Mapping[str, str] | None] | None = None,
) -> TeamsConfig:
    """``teams`` with the overnight base (the trip's days, ``days``, and its night places,
    ``nights``: weekday -> depot id) of each team in ``bases`` replaced; a team missing from
    ``days`` keeps the whole week, one missing from ``nights`` sleeps at its base every night.

    Used to fix the bases "auto" chose (a week's plan, and a re-plan of it that keeps them).
    """
    if not bases:
        return teams

    def update(team_id: str) -> dict[str, object]:
        base = bases[team_id]
        trip = (days or {}).get(team_id)
        # nights at the base are implied; keep only the other places
        night = {d: p for d, p in ((nights or {}).get(team_id) or {}).items() if p != base}
        return {
            "base": base,
            "base_days": list(trip) if trip and base is not None else None,
            "nights": night if night and base is not None else None,
        }

    return teams.model_copy(
        update={
            "teams": [
                t.model_copy(update=update(t.id)) if t.id in bases else t for t in teams.teams
            ]
        }
    )
