"""Boat trips that move between islands: per-night places (``nights`` in ``teams.toml``).

The contract (:func:`validate_teams_against`: one message per problem), the per-day start and
end of a two-island trip (:func:`team_days_of_week`), ``base = "auto"`` choosing a two-island
run on a constructed case (:func:`choose_bases`), and the verification's night rule.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from planner.app.commands import night_words
from planner.domain.config import Team, TeamsConfig, load_policy, validate_teams_against
from planner.travel import Mode, TravelMatrix
from planner.week.bases import choose_bases, with_bases
from planner.week.replan import _chosen_base_days, _chosen_base_nights, _chosen_bases
from planner.week.team_days import night_places, team_days_of_week
from tests.matrices import pair_matrix

WEEK = date(2017, 11, 13)
MON, TUE, WED, THU, FRI = (date(2017, 11, 13 + k) for k in range(5))
DEPOTS = ["dinas-35.29", "kec-35.29.20", "kec-35.29.22", "kec-35.29.24"]


def _team(**extra: object) -> Team:
    return Team.model_validate(
        {"id": "hop", "name": "Hop", "depot": "dinas-35.29", "boat": True, **extra}
    )


HOP = {
    "base": "kec-35.29.22",
    "base_days": ["senin", "selasa", "rabu", "kamis", "jumat"],
    "nights": {"senin": "kec-35.29.20", "selasa": "kec-35.29.20"},
}


def _problems(team: Team) -> list[str]:
    return validate_teams_against([team], DEPOTS, ["35.29"])


def test_a_valid_two_island_trip_has_no_problems() -> None:
    assert _problems(_team(**HOP)) == []


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            {"nights": {"selasa": "kec-35.29.99"}, "base": "kec-35.29.22"},
            ["teams[0].nights.selasa: unknown depot 'kec-35.29.99'"],
        ),
        (
            {
                "nights": {"senin": "kec-35.29.20"},
                "base": "kec-35.29.22",
                "base_days": ["rabu", "kamis"],
            },
            ["teams[0].nights.senin: senin is not a trip day (base_days: rabu, kamis)"],
        ),
        (
            {
                "nights": {"kamis": "kec-35.29.20"},
                "base": "kec-35.29.22",
                "base_days": ["rabu", "kamis"],
            },
            ["teams[0].nights.kamis: the team comes home on the evening of kamis"],
        ),
        (
            {"nights": {"jumat": "kec-35.29.20"}, "base": "kec-35.29.22"},
            ["teams[0].nights.jumat: the team comes home on the evening of jumat"],
        ),
        ({"nights": {"senin": "kec-35.29.20"}}, ["teams[0].nights: needs a base"]),
        (
            {"nights": {"senin": "kec-35.29.20"}, "base": "auto"},
            ['teams[0].nights: cannot go with base = "auto"'],
        ),
        (
            {"nights": {"senin": "dinas-35.29"}, "base": "kec-35.29.22"},
            ["teams[0].nights.senin: dinas-35.29 is the team's depot"],
        ),
        (
            # two problems, two messages
            {
                "nights": {"senin": "kec-35.29.77", "kamis": "kec-35.29.20"},
                "base": "kec-35.29.22",
                "base_days": ["senin", "selasa"],
            },
            [
                "teams[0].nights.kamis: kamis is not a trip day (base_days: senin, selasa)",
                "teams[0].nights.senin: unknown depot 'kec-35.29.77'",
            ],
        ),
    ],
    ids=[
        "unknown-place",
        "not-a-trip-day",
        "last-trip-day",
        "last-working-day",
        "no-base",
        "auto-base",
        "the-depot",
        "two-problems",
    ],
)
def test_bad_nights_give_one_message_per_problem(
    extra: dict[str, object], expected: list[str]
) -> None:
    problems = _problems(_team(**extra))
    assert len(problems) == len(expected), problems
    for line, start in zip(sorted(problems), sorted(expected), strict=True):
        assert line.startswith(f"teams.toml: {start}"), line


def test_a_two_island_trip_starts_each_day_where_it_slept() -> None:
    """Monday out to Sapudi, two nights at Gayam, Wednesday on to Ra'as, two nights there,
    Friday home: each day starts at the last night's place and ends at its own."""
    team = _team(**HOP)
    week = [MON, TUE, WED, THU, FRI]
    gayam, raas = "kec-35.29.20", "kec-35.29.22"
    assert night_places(team, week) == [gayam, gayam, raas, raas, None]
    config = TeamsConfig(teams=[team])
    days, _ = team_days_of_week(config, load_policy(None), WEEK, "Asia/Jakarta")
    legs = [(td.start_place, td.end_place) for td in days]
    assert legs == [
        ("dinas-35.29", gayam),
        (gayam, gayam),
        (gayam, raas),
        (raas, raas),
        (raas, "dinas-35.29"),
    ]
    # a holiday on Wednesday breaks the trip: no night over a day the team does not work
    assert night_places(team, [MON, TUE, THU, FRI]) == [gayam, None, raas, None]


def _matrix(minutes: dict[tuple[str, str], float], ids: list[str]) -> TravelMatrix:
    return pair_matrix(minutes, ids, mode=Mode.motor, boat_allowed=True)


def _hop_world(move: float) -> dict[str, object]:
    """A depot on the mainland; Sapudi (office A, site a) 120 min out, Ra'as (office B,
    site b) 150 min out and ``move`` minutes from Sapudi; a third island office C far away
    with nothing to record. Each island holds two days of work."""
    depot, a, b, c = DEPOTS
    ids = [*DEPOTS, "sa", "sb", "home"]
    legs = {
        (depot, a): 120.0,
        (depot, b): 150.0,
        (depot, c): 400.0,
        (a, b): move,
        (a, "sa"): 10.0,
        (b, "sb"): 10.0,
        (depot, "sa"): 130.0,
        (depot, "sb"): 160.0,
        (a, "sb"): move + 10.0,
        (b, "sa"): move + 10.0,
        (depot, "home"): 10.0,
    }
    matrix = _matrix(legs, ids)
    depots = pd.DataFrame(
        {
            "depot_id": DEPOTS,
            "name": ["Dinas", "Kantor Camat Gayam", "Kantor Camat Ra'as", "Kantor Camat Arjasa"],
            "kind": ["dinas", "kecamatan", "kecamatan", "kecamatan"],
            "kode_kab": ["35.29"] * 4,
        }
    )
    demand = pd.DataFrame(
        {
            "site_id": ["sa", "sb", "home"],
            "kode_kab": ["35.29"] * 3,
            "expected": [100, 100, 20],
            "weight": [3.0, 3.0, 1.0],
        }
    )
    parts = {depot: None, a: "sapudi", b: "raas", c: "kangean"}
    team = _team(base="auto", working_days=["senin", "selasa", "rabu", "kamis", "jumat"])
    capacity = 390.0 / 7.0  # a 6.5-h day at 7 min a recording
    return {
        "team": team,
        "matrix": matrix,
        "depots": depots,
        "demand": demand,
        "parts": parts,
        "days": {team.id: [(d, capacity) for d in (MON, TUE, WED, THU, FRI)]},
        "week": {team.id: capacity * 5},
    }


def _choose(world: dict[str, object]):  # type: ignore[no-untyped-def]
    team = world["team"]
    assert isinstance(team, Team)
    return choose_bases(
        [team],
        {"mobil+perahu": world["matrix"]},  # type: ignore[dict-item]
        world["demand"],  # type: ignore[arg-type]
        world["depots"],  # type: ignore[arg-type]
        world["week"],  # type: ignore[arg-type]
        day_capacity=world["days"],  # type: ignore[arg-type]
        parts=world["parts"],  # type: ignore[arg-type]
        night_penalty=10.0,
    )


def test_auto_picks_a_two_island_run_when_it_is_clearly_best() -> None:
    """Sapudi and Ra'as each hold two days of work and lie 45 min apart: nights on one, then
    on the other, beat any trip to one island (which leaves the other's residents)."""
    teams, (choice,) = _choose(_hop_world(move=45.0))
    assert choice.reason == "boat_trip"
    places = dict(choice.night_places)
    assert set(places.values()) == {"kec-35.29.20", "kec-35.29.22"}
    assert choice.nights == len(places) >= 2
    assert "lalu" in choice.alasan and "Kantor Camat Ra'as" in choice.alasan
    (team,) = teams
    assert team.base == choice.base and team.nights
    assert set(team.nights.values()) == set(places.values()) - {choice.base}
    # the trip's nights in order: first all on one island, then all on the other
    order = [places[d] for d in ("senin", "selasa", "rabu", "kamis", "jumat") if d in places]
    assert order == sorted(order, key=order.index) and order[0] != order[-1]
    # plan.json names each night place, in the trip's order; the summary names them all
    names = dict(choice.as_dict()["night_names"])  # type: ignore[call-overload]
    assert list(names) == list(dict.fromkeys(order))
    assert names["kec-35.29.22"] == "Kantor Camat Ra'as"
    words = night_words(choice.as_dict())
    assert words.count("(") == 2 and "Kantor Camat Ra'as (" in words
    # deterministic: the same inputs, the same choice
    assert _choose(_hop_world(move=45.0))[1] == [choice]


def test_auto_keeps_one_island_when_the_move_is_no_cheaper() -> None:
    """When the move between the islands costs more than going home and out again, no
    two-island run is offered."""
    _, (choice,) = _choose(_hop_world(move=400.0))
    assert len(set(dict(choice.night_places).values())) <= 1


def test_with_bases_keeps_the_second_island() -> None:
    config = TeamsConfig(teams=[_team(base="auto")])
    fixed = with_bases(
        config,
        {"hop": "kec-35.29.22"},
        {"hop": ("senin", "selasa", "rabu")},
        {"hop": {"senin": "kec-35.29.20", "selasa": "kec-35.29.22"}},
    )
    (team,) = fixed.teams
    assert team.base == "kec-35.29.22" and team.nights == {"senin": "kec-35.29.20"}
    assert night_places(team, [MON, TUE, WED]) == ["kec-35.29.20", "kec-35.29.22", None]


def test_a_replan_keeps_the_nights_of_a_two_island_trip() -> None:
    """``plan.json`` ``bases[].night_places`` are read back, and the kept team sleeps at the
    same places (a malformed or missing entry keeps every night at the base)."""
    entries = [
        {
            "team_id": "hop",
            "base": "kec-35.29.22",
            "days": ["senin", "selasa", "rabu"],
            "night_places": {"senin": "kec-35.29.20", "selasa": "kec-35.29.22"},
        },
        {"team_id": "old", "base": "kec-35.29.22", "days": None},
        {"team_id": "bad", "base": "kec-35.29.22", "night_places": {"senin": 3}},
    ]
    nights = _chosen_base_nights(entries)
    assert nights == {"hop": {"senin": "kec-35.29.20", "selasa": "kec-35.29.22"}}
    config = TeamsConfig(teams=[_team(base="auto")])
    kept = with_bases(
        config,
        _chosen_bases(entries[:1], "plan.json"),
        _chosen_base_days(entries[:1]),
        nights,
    )
    (team,) = kept.teams
    assert night_places(team, [MON, TUE, WED]) == ["kec-35.29.20", "kec-35.29.22", None]
