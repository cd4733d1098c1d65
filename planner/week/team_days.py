"""The week's team-days: which days each team works, and where each day starts and ends.

A team-day is one team on one working day (:class:`~planner.week.types.TeamDay`), the vehicle
of the routing problem. Its start and end are the team's depot, or, on a multi-day trip, the
place the team slept and the place it sleeps next (``base``, ``base_days`` and ``nights`` in
``teams.toml``): :func:`trip_nights` says which nights are away, :func:`night_places` where,
:func:`night_shares` how the nights divide among the places.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from planner.core.errors import ConfigError
from planner.domain.config import WEEKDAYS, Policy, Team, TeamsConfig
from planner.domain.workdays import non_working_days, working_days
from planner.week.types import TeamDay


def team_days_of_week(
    teams: TeamsConfig, policy: Policy, week_start: date, timezone: str
) -> tuple[list[TeamDay], list[tuple[date, str]]]:
    """Vehicles of the week (team x working day) and the non-working days with reasons."""

    out: list[TeamDay] = []
    for team in teams.teams:
        days = working_days(
            week_start,
            calendar=policy.calendar,
            weekdays_allowed=team.working_days,
            timezone=timezone,
            n_days=7,
        )
        nights = night_places(team, [d.date for d in days])
        for k, day in enumerate(days):
            out.append(
                TeamDay(
                    f"{team.id}@{day.date.isoformat()}",
                    team,
                    day,
                    starts_at=nights[k - 1] if k > 0 else None,
                    ends_at=nights[k],
                )
            )
    worked = {td.day.date for td in out}
    closed = [
        (day, reason)
        for day, reason in non_working_days(week_start, calendar=policy.calendar, n_days=7)
        if day not in worked  # e.g. a Saturday only some teams work is not a day off
    ]
    return out, closed


def trip_nights(team: Team, dates: Sequence[date]) -> list[bool]:
    """Whether ``team`` sleeps at its base after each of its working ``dates`` (sorted).

    Without ``base_days`` a team with a base makes the week one trip: out on the first working
    day, nights at the base, home on the last (one working day stays a day trip). With
    ``base_days`` only those days are the trip, and the team sleeps away only between two trip
    days that follow each other on the calendar: never over a day it does not work.
    """
    if team.base is None or len(dates) < 2:
        return [False] * len(dates)
    if team.base_days is None:
        return [k < len(dates) - 1 for k in range(len(dates))]
    trip = {WEEKDAYS.index(name) for name in team.base_days}
    pairs = zip(dates, [*dates[1:], None], strict=True)
    return [
        n is not None and (n - d).days == 1 and {d.weekday(), n.weekday()} <= trip for d, n in pairs
    ]


def night_places(team: Team, dates: Sequence[date]) -> list[str | None]:
    """Where ``team`` sleeps after each of its working ``dates`` (sorted), ``None`` at home.

    The nights away are those of :func:`trip_nights`; each is at the place ``nights`` names
    for that weekday, else at ``base`` (:meth:`~planner.domain.config.Team.night_place`): a
    trip may sleep on one island, then on another.
    """
    away = trip_nights(team, dates)
    return [
        team.night_place(WEEKDAYS[d.weekday()]) if night else None
        for d, night in zip(dates, away, strict=True)
    ]


def night_shares(team: Team, dates: Sequence[date]) -> dict[str, float]:
    """Share of the nights away ``team`` spends at each place over its working ``dates``
    (sorted), in the order the trip first reaches them; empty without a night away.

    Examples
    --------
    >>> team = Team(
    ...     id="a", name="A", depot="dinas-35.29", base="kec-35.29.08",
    ...     base_days=["senin", "selasa", "rabu", "kamis"],
    ...     nights={"senin": "kec-35.29.04", "selasa": "kec-35.29.04"},
    ... )
    >>> from datetime import timedelta
    >>> week = [date(2026, 11, 30) + timedelta(days=k) for k in range(5)]  # Mon..Fri
    >>> shares = night_shares(team, week)
    >>> {place: round(share, 3) for place, share in shares.items()}
    {'kec-35.29.04': 0.667, 'kec-35.29.08': 0.333}
    """
    nights = [p for p in night_places(team, dates) if p is not None]
    counts: dict[str, int] = {}
    for place in nights:
        counts[place] = counts.get(place, 0) + 1
    return {place: n / len(nights) for place, n in counts.items()}


def require_working_days(
    team_days: Sequence[TeamDay], closed: Sequence[tuple[date, str]], *, source: str = "calendar"
) -> None:
    """Raise a clear error for a week with no working day for any team."""
    if not team_days:
        reasons = "; ".join(f"{d.isoformat()}: {r}" for d, r in closed)
        raise ConfigError(f"{source}: the week has no working day for any team ({reasons})")
