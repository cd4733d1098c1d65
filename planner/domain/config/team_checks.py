"""Teams checked against a region: depots, bases, night places and regencies.

:func:`validate_teams_against` runs once a region is loaded (``teams.toml`` alone cannot know
the region's depots); :func:`night_problems` checks a team's ``nights`` against its trip days.
Both return one message per problem, never raise.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from planner.domain.config.fields import WEEKDAYS
from planner.domain.config.messages import _short_list
from planner.domain.config.teams import AUTO_BASE, Team, TeamsConfig


def night_problems(team: Team) -> list[tuple[str, str]]:
    """What is wrong with a team's ``nights``: ``(field path, message)`` per problem.

    Checked with the region (:func:`validate_teams_against`), one message per problem.
    """
    if not team.nights:
        return []
    if team.base is None:
        return [("nights", "needs a base (where the trip sleeps on the nights not named)")]
    if team.base == AUTO_BASE:
        return [("nights", 'cannot go with base = "auto" (the planner chooses the nights)')]
    trip = team.base_days if team.base_days is not None else team.working_days
    what = "base_days" if team.base_days is not None else "working_days"
    problems = []
    for day, place in sorted(team.nights.items(), key=lambda kv: WEEKDAYS.index(kv[0])):
        following = WEEKDAYS[(WEEKDAYS.index(day) + 1) % 7]
        path = f"nights.{day}"
        if place == AUTO_BASE:
            problems.append((path, '"auto" is not a night place; name a depot id'))
        elif place == team.depot:
            problems.append(
                (path, f"{place} is the team's depot: a night at home is no night away")
            )
        if day not in trip:
            problems.append((path, f"{day} is not a trip day ({what}: {', '.join(trip)})"))
        elif following not in trip:
            problems.append(
                (
                    path,
                    f"the team comes home on the evening of {day} (the next day, {following}, "
                    "is not a trip day): there is no night away to place",
                )
            )
    return problems


def validate_teams_against(
    teams: TeamsConfig | Sequence[Team],
    depot_ids: Iterable[str],
    regency_codes: Iterable[str],
    *,
    source: str = "teams.toml",
) -> list[str]:
    """List teams whose depot, base or regencies are not in the region.

    Parameters
    ----------
    teams
        A loaded :class:`TeamsConfig` or a list of :class:`Team`.
    depot_ids
        Depot ids of the region (``depots.csv`` column ``depot_id``).
    regency_codes
        Regency codes ``PP.KK`` of the region.
    source
        File name used at the start of each message.

    Returns
    -------
    list of str
        One message per problem, empty if every team fits the region. The caller raises
        ``ConfigError(problems)`` if the list is not empty.
    """
    team_list = teams.teams if isinstance(teams, TeamsConfig) else list(teams)
    depots = set(depot_ids)
    regencies = set(regency_codes)
    problems: list[str] = []
    for i, team in enumerate(team_list):
        if team.depot not in depots:
            hint = difflib.get_close_matches(team.depot, sorted(depots), n=1)
            problems.append(
                f"{source}: teams[{i}].depot: unknown depot '{team.depot}' (team {team.id})"
                + (f"; did you mean '{hint[0]}'?" if hint else "")
                + f"; the region's depots are: {_short_list(sorted(depots))}"
            )
        if team.base not in (None, AUTO_BASE) and team.base not in depots:
            hint = difflib.get_close_matches(team.base, sorted(depots), n=1)
            problems.append(
                f"{source}: teams[{i}].base: unknown depot '{team.base}' (team {team.id})"
                + (f"; did you mean '{hint[0]}'?" if hint else "")
                + f"; the region's depots are: {_short_list(sorted(depots))}"
            )
        for path, message in night_problems(team):
            problems.append(f"{source}: teams[{i}].{path}: {message} (team {team.id})")
        for day, place in sorted((team.nights or {}).items()):
            if place not in (AUTO_BASE, team.depot) and place not in depots:
                hint = difflib.get_close_matches(place, sorted(depots), n=1)
                problems.append(
                    f"{source}: teams[{i}].nights.{day}: unknown depot '{place}' (team {team.id})"
                    + (f"; did you mean '{hint[0]}'?" if hint else "")
                    + f"; the region's depots are: {_short_list(sorted(depots))}"
                )
        for j, code in enumerate(team.regencies):
            if code not in regencies:
                problems.append(
                    f"{source}: teams[{i}].regencies[{j}]: regency '{code}' is not in the region "
                    f"(team {team.id}); its regencies are: {_short_list(sorted(regencies))}"
                )
    return problems
