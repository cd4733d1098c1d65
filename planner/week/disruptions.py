"""Disruptions of a planned week: an absent team, a closed day, no boat.

``jemput plan --lock plan.json --from DATE`` takes them as flags
(``--absent TEAM:YYYY-MM-DD[..YYYY-MM-DD]``, ``--closed YYYY-MM-DD[:reason]``,
``--no-boat YYYY-MM-DD[..YYYY-MM-DD]``). They are parsed and checked here, once, against the
week and the teams (:func:`parse_disruptions`), then applied to the week's team-days
(:func:`disrupt_team_days`): an absent team or a closed day has no vehicle; on a day without
boat a team plans with its land profile only, so island sites are out of its reach.

Multi-day boat trips (nights on an island) are planned by :mod:`planner.week.bases`; a team
whose overnight base is on an island keeps it through a re-plan. A re-plan also starts each
team where it slept the night before the first re-planned day (:func:`start_where_slept`, the
locked plan's ``end_place``), whatever its base says now; a team on an island without a boat
that day stays on that island. Where a trip planner wants such a team back on the mainland is
its own decision: the hooks are :func:`disrupt_team_days` and :func:`start_where_slept`, which
see every team-day with its start and end place.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from planner.core.errors import ConfigError
from planner.week.types import TeamDay

NO_BOAT_REASON = "tidak ada perahu (cuaca/perahu rusak)"
"""Reason of a change caused by ``--no-boat``."""


@dataclass(frozen=True)
class Disruptions:
    """What changed since a week was announced.

    Attributes
    ----------
    absent
        Team id -> the days it does not work.
    closed
        Day -> reason: no team works that day.
    no_boat
        Days without any sea leg.
    """

    absent: Mapping[str, frozenset[date]] = dataclasses.field(default_factory=dict)
    closed: Mapping[date, str] = dataclasses.field(default_factory=dict)
    no_boat: frozenset[date] = frozenset()

    @property
    def empty(self) -> bool:
        """True when nothing is disrupted."""
        return not (self.absent or self.closed or self.no_boat)

    def reason(self, team_id: str, day: date) -> str | None:
        """Why team ``team_id`` cannot keep a visit on ``day`` (Bahasa Indonesia), if it cannot."""
        if day in self.closed:
            return f"hari ditutup: {self.closed[day]}"
        if day in self.absent.get(team_id, frozenset()):
            return f"tim {team_id} berhalangan"
        return None

    def as_dict(self) -> dict[str, object]:
        """Plain fields for ``plan.json``."""
        return {
            "absent": {t: sorted(d.isoformat() for d in days) for t, days in self.absent.items()},
            "closed": {d.isoformat(): r for d, r in sorted(self.closed.items())},
            "no_boat": sorted(d.isoformat() for d in self.no_boat),
        }


def _parse_range(text: str, flag: str, problems: list[str]) -> list[date] | None:
    """``YYYY-MM-DD`` or ``YYYY-MM-DD..YYYY-MM-DD`` as the list of its days."""
    first, sep, last = text.partition("..")
    try:
        start = date.fromisoformat(first.strip())
        end = date.fromisoformat(last.strip()) if sep else start
    except ValueError:
        problems.append(f"{flag} {text!r}: not a date or a range YYYY-MM-DD..YYYY-MM-DD")
        return None
    if end < start:
        problems.append(f"{flag} {text!r}: the range ends before it starts")
        return None
    return [start + timedelta(days=k) for k in range((end - start).days + 1)]


def _check_in_week(
    days: Sequence[date], flag: str, text: str, week_start: date, from_date: date
) -> list[str]:
    """A disruption must fall in the re-planned days of the week."""
    out = []
    for day in days:
        if not week_start <= day < week_start + timedelta(days=7):
            out.append(f"{flag} {text!r}: {day} is not in the week of {week_start}")
            break
        if day < from_date:
            out.append(f"{flag} {text!r}: {day} is before --from {from_date} (already past)")
            break
    return out


def parse_disruptions(
    *,
    absent: Sequence[str] = (),
    closed: Sequence[str] = (),
    no_boat: Sequence[str] = (),
    team_ids: Collection[str],
    week_start: date,
    from_date: date,
) -> Disruptions:
    """Parse and check the disruption flags; every problem is listed in one error.

    Parameters
    ----------
    absent
        ``TEAM_ID:YYYY-MM-DD`` or ``TEAM_ID:YYYY-MM-DD..YYYY-MM-DD`` values.
    closed
        ``YYYY-MM-DD`` or ``YYYY-MM-DD:reason`` values.
    no_boat
        ``YYYY-MM-DD`` or ``YYYY-MM-DD..YYYY-MM-DD`` values.
    team_ids
        Teams of the re-planned week (of the lock file and the teams file).
    week_start, from_date
        Monday of the week and the first re-planned day: every date must lie in between
        ``from_date`` and the Sunday.

    Raises
    ------
    ConfigError
        One line per problem: an unknown team, a date outside the week or before
        ``from_date``, a range that ends before it starts, a malformed value.

    Examples
    --------
    >>> d = parse_disruptions(absent=["T1:2017-11-15..2017-11-16"], team_ids={"T1"},
    ...     week_start=date(2017, 11, 13), from_date=date(2017, 11, 15))
    >>> sorted(d.absent["T1"])
    [datetime.date(2017, 11, 15), datetime.date(2017, 11, 16)]
    """
    problems: list[str] = []
    away: dict[str, set[date]] = {}
    for text in absent:
        team, sep, when = text.partition(":")
        team = team.strip()
        if not sep or not team:
            problems.append(f"--absent {text!r}: expected TEAM_ID:YYYY-MM-DD[..YYYY-MM-DD]")
            continue
        if team not in team_ids:
            known = ", ".join(sorted(team_ids)) or "(none)"
            problems.append(f"--absent {text!r}: unknown team '{team}'; teams are: {known}")
            continue
        days = _parse_range(when, "--absent", problems)
        if days is not None:
            found = _check_in_week(days, "--absent", text, week_start, from_date)
            problems += found
            if not found:
                away.setdefault(team, set()).update(days)
    shut: dict[date, str] = {}
    for text in closed:
        when, _, reason = text.partition(":")
        try:
            day = date.fromisoformat(when.strip())
        except ValueError:
            problems.append(f"--closed {text!r}: expected YYYY-MM-DD[:reason]")
            continue
        found = _check_in_week([day], "--closed", text, week_start, from_date)
        problems += found
        if not found:
            shut[day] = reason.strip() or "libur/ditutup"
    dry: set[date] = set()
    for text in no_boat:
        days = _parse_range(text, "--no-boat", problems)
        if days is not None:
            found = _check_in_week(days, "--no-boat", text, week_start, from_date)
            problems += found
            if not found:
                dry.update(days)
    if problems:
        raise ConfigError(problems)
    return Disruptions(
        absent={t: frozenset(d) for t, d in sorted(away.items())},
        closed=dict(sorted(shut.items())),
        no_boat=frozenset(dry),
    )


def disrupt_team_days(
    team_days: Sequence[TeamDay], disruptions: Disruptions | None
) -> tuple[list[TeamDay], list[tuple[date, str]]]:
    """The team-days left by ``disruptions``, and the days closed for every team.

    An absent team-day and every team-day of a closed day are removed; on a day without boat
    a team-day keeps its vehicle id but its team plans with boat access off. A team with an
    overnight base still starts the day after a gap at its base (it slept there), but its
    last remaining day of the week ends at home.
    """
    if disruptions is None or disruptions.empty:
        return list(team_days), []
    kept: list[TeamDay] = []
    for td in team_days:
        day = td.day.date
        if disruptions.reason(td.team.id, day) is not None:
            continue
        if day in disruptions.no_boat and td.team.boat:
            td = dataclasses.replace(td, team=td.team.model_copy(update={"boat": False}))
        kept.append(td)
    last = {td.team.id: td.vehicle_id for td in sorted(kept, key=lambda t: t.day.date)}
    out = [
        dataclasses.replace(td, ends_at=None) if last[td.team.id] == td.vehicle_id else td
        for td in kept
    ]
    # a trip that moves between islands: after a gap the team starts where it slept, the
    # end of its day before the gap (not the night place the missing day would have had)
    ended: dict[str, str | None] = {}
    for k in sorted(range(len(out)), key=lambda i: (out[i].team.id, out[i].day.date)):
        td = out[k]
        if td.team.id in ended:
            out[k] = dataclasses.replace(td, starts_at=ended[td.team.id])
        ended[td.team.id] = td.ends_at
    return out, sorted(disruptions.closed.items())


def start_where_slept(
    team_days: Sequence[TeamDay],
    positions: Mapping[str, str],
    parts: Mapping[str, str | None],
) -> list[TeamDay]:
    """Each team's re-planned days, starting where the team slept the night before.

    A team listed in ``positions`` starts its first remaining day there (it does not move
    while it does not work: an absent or closed day in between changes nothing), and every
    later day where the day before ended. A day without boat access that would have to
    cross to another land part to end where it was planned ends where it started instead:
    the team stays on its island until a boat can take it.

    Parameters
    ----------
    team_days
        The re-planned week's team-days (after :func:`disrupt_team_days`).
    positions
        Team id -> place id where the team slept the night before the first re-planned day
        (:attr:`planner.week.replan.Replan.positions`); teams not listed keep their days.
    parts
        Land-part key of every depot of the region (``None``: the part of no island).

    Raises
    ------
    ConfigError
        A position that is not a depot of the region (a lock file from elsewhere).
    """
    unknown = sorted(f"{t} at '{p}'" for t, p in positions.items() if p not in parts)
    if unknown:
        raise ConfigError(
            [
                f"the locked plan puts team {u} overnight, not a depot of this region"
                for u in unknown
            ]
        )
    out = list(team_days)
    here: dict[str, str] = dict(positions)
    for k in sorted(range(len(out)), key=lambda i: (out[i].team.id, out[i].day.date)):
        td = out[k]
        start = here.get(td.team.id)
        if start is None:
            continue
        end = td.end_place
        if not td.team.boat and parts.get(start) != parts.get(end):
            end = start  # no boat that day: stranded where it is
        out[k] = dataclasses.replace(
            td,
            starts_at=None if start == td.team.depot else start,
            ends_at=None if end == td.team.depot else end,
        )
        here[td.team.id] = end
    return out
