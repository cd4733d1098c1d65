"""Multi-day boat trips (``base_days``, ``base = "auto"`` for boat teams) and named island cases.

The trip rule is checked on its own (:func:`trip_nights`), on the small island region of
``tests/island_region.py`` (a fixed trip; a trip the planner chooses) and on the bundled
``anambas`` week (a named island village planned through a named port; a team based on an
island works its own island by land).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from island_region import MATAK, NYAMUK, SIANTAN_TIMUR, TEAMS, write_island_region

from planner.domain.config import Team, apply_overrides, load_policy, load_teams, teams_from_dict
from planner.geo.estimate import estimate_registry
from planner.geo.region_classes import classify_region
from planner.io.region import load_region
from planner.travel.regional import travel_model_for
from planner.week.plan import plan_week
from planner.week.team_days import trip_nights
from planner.week.types import WeekInputs
from planner.week.verify import verify_plan

WEEK = date(2017, 11, 13)
MON, TUE, WED, THU, FRI = (date(2017, 11, 13 + k) for k in range(5))


def _team(**extra: object) -> Team:
    return Team.model_validate({"id": "t", "name": "T", "depot": "dinas-21.05", **extra})


def test_trip_nights_only_between_following_trip_days() -> None:
    week = [MON, TUE, WED, THU, FRI]
    assert trip_nights(_team(), week) == [False] * 5
    whole = _team(base="kec-21.05.03")
    assert trip_nights(whole, week) == [True, True, True, True, False]
    trip = _team(base="kec-21.05.03", base_days=["selasa", "rabu", "kamis"])
    assert trip_nights(trip, week) == [False, True, True, False, False]
    # Wednesday off (holiday): no night over it, the trip breaks into two
    assert trip_nights(trip, [MON, TUE, THU, FRI]) == [False, False, False, False]
    assert trip_nights(_team(base="kec-21.05.03", base_days=["selasa"]), week) == [False] * 5


def test_base_days_need_a_base_and_working_days() -> None:
    with pytest.raises(ValidationError, match="needs a base"):
        _team(base_days=["selasa"])
    with pytest.raises(ValidationError, match="sabtu not among the working_days"):
        _team(base="kec-21.05.03", base_days=["jumat", "sabtu"])


@pytest.fixture(scope="module")
def island(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    region = load_region(write_island_region(tmp_path_factory.mktemp("trip") / "anambas-test"))
    classified = classify_region(region)
    return region, classified, travel_model_for(region, cache=False)


def _plan(island, laut: dict[str, object]):  # type: ignore[no-untyped-def]
    region, classified, travel = island
    teams = teams_from_dict(
        {**TEAMS, "teams": [*TEAMS["teams"][:2], {**TEAMS["teams"][2], **laut}]},
        source="test-teams.toml",
    )
    policy = apply_overrides(
        load_policy(None), {"solver": {"time_limit_s": 5, "solution_limit": 100}}
    )
    registry = estimate_registry(region, classified)
    return plan_week(WeekInputs(region, classified, registry, teams, policy, WEEK, travel))


def test_a_fixed_three_day_trip(island) -> None:  # type: ignore[no-untyped-def]
    """Out on Tuesday, two nights at the Siantan Timur office, back on Thursday; Monday and
    Friday are day trips from Tarempa."""
    plan = _plan(island, {"base": "kec-21.05.03", "base_days": ["selasa", "rabu", "kamis"]})
    assert verify_plan(plan) == []
    days = plan.team_days[plan.team_days["team_id"] == "laut"].set_index("date")
    ends = {d: days.at[d.isoformat(), "end_place"] for d in (TUE, WED)}
    assert ends == {TUE: "kec-21.05.03", WED: "kec-21.05.03"}
    for d in (MON, FRI):
        if d.isoformat() in days.index:
            assert days.at[d.isoformat(), "start_place"] == "dinas-21.05"
            assert days.at[d.isoformat(), "end_place"] == "dinas-21.05"
    assert days.at[WED.isoformat(), "boat_minutes"] == 0  # a day on the island, by land
    it = plan.itinerary
    wed = it[(it["team_id"] == "laut") & (it["date"] == WED.isoformat())]
    assert set(wed["site_id"]) <= set(SIANTAN_TIMUR)


def test_the_planner_chooses_a_boat_trip(island) -> None:  # type: ignore[no-untyped-def]
    """``base = "auto"`` on the boat team: the Siantan Timur villages (Nyamuk) are more than a
    crossing away; the planner sends the team there for a run of days and says why."""
    plan = _plan(island, {"base": "auto"})
    assert verify_plan(plan) == []
    choice = next(c for c in plan.meta["bases"] if c["team_id"] == "laut")
    assert choice["reason"] == "boat_trip" and choice["base"] is not None
    assert choice["nights"] >= 1 and "malam di" in choice["alasan"]
    days = plan.team_days[plan.team_days["team_id"] == "laut"].sort_values("date")
    away = days[days["end_place"] == choice["base"]]
    assert len(away) == choice["nights"]
    it = plan.itinerary
    visited = set(it.loc[it["team_id"] == "laut", "site_id"])
    assert visited & {NYAMUK, *MATAK}


@pytest.fixture(scope="module")
def anambas_plan():  # type: ignore[no-untyped-def]
    region = load_region("anambas")
    classified = classify_region(region)
    travel = travel_model_for(region)
    teams = load_teams(Path(__file__).resolve().parents[2] / "examples/anambas/teams.toml")
    policy = apply_overrides(
        load_policy(None), {"solver": {"time_limit_s": 8, "solution_limit": 150}}
    )
    registry = estimate_registry(region, classified)
    plan = plan_week(WeekInputs(region, classified, registry, teams, policy, WEEK, travel))
    return classified, plan


def test_anambas_named_cases(anambas_plan) -> None:  # type: ignore[no-untyped-def]
    classified, plan = anambas_plan
    assert verify_plan(plan) == []
    part = dict(zip(classified.sites["site_id"], classified.sites["island"], strict=True))
    it = plan.itinerary
    # the UPT Jemaja team, based at Letung on Pulau Jemaja, works its own island by land
    jemaja = it[it["team_id"] == "jemaja-upt"]
    assert len(jemaja) and {part[s] for s in jemaja["site_id"]} == {part["21.05.06.1005"]}
    assert (jemaja["boat_minutes"] == 0).all() and (jemaja["mode"] == "motor").all()
    # the Tarempa boat team reaches Pulau Matak (Palmatak) through Pelabuhan Sri Siantan
    boat = it[(it["team_id"] == "tarempa-perahu") & (it["boat_minutes"] > 0)]
    matak = boat[boat["site_id"].str.startswith("21.05.02.")]
    assert len(matak) and matak["ports"].str.contains("Pelabuhan Sri Siantan").all()
    # every island village is planned or left out with its reason
    planned = set(it["site_id"])
    reasons = dict(zip(plan.unplanned["site_id"], plan.unplanned["reason_code"], strict=True))
    pulau = classified.villages.loc[classified.villages["is_pulau"], "kode"]
    assert all(k in planned or k in reasons for k in pulau)
    assert reasons.get("21.05.03.2003") == "no_port"  # Munjan: no port on its island


def test_sumenep_example_boat_team_goes_out_for_several_days() -> None:
    """The example's ``perahu-menginap`` (base = "auto") on its own: the planner sends it to an
    island kantor camat for nights away; its crossings name their ports."""
    region = load_region("sumenep")
    classified = classify_region(region)
    teams = load_teams(Path(__file__).resolve().parents[2] / "examples/sumenep/teams.toml")
    teams = teams.model_copy(
        update={"teams": [t for t in teams.teams if t.id == "perahu-menginap"]}
    )
    policy = apply_overrides(
        load_policy(None), {"solver": {"time_limit_s": 8, "solution_limit": 50}}
    )
    registry = estimate_registry(region, classified)
    travel = travel_model_for(region)
    plan = plan_week(WeekInputs(region, classified, registry, teams, policy, WEEK, travel))
    assert verify_plan(plan) == []
    (choice,) = plan.meta["bases"]
    assert choice["reason"] == "boat_trip" and choice["nights"] >= 2
    office = choice["base"]
    assert region.depots.set_index("depot_id").at[office, "kind"] == "kecamatan"
    days = plan.team_days.sort_values("date")
    assert (days["end_place"] == office).sum() == choice["nights"]
    assert plan.summary["nights_away"] == choice["nights"]
    assert plan.summary["lodging_idr"] == 300_000 * choice["nights"]
    crossings = plan.itinerary[plan.itinerary["boat_minutes"] > 0]
    assert len(crossings) and (crossings["ports"] != "").all()
    assert days.iloc[-1]["end_place"] == "dinas-35.29" and days.iloc[-1]["return_ports"]
