"""A boat trip that moves between two islands on the bundled ``sumenep`` example.

The example's ``sumenep-perahu`` sleeps on Talango on Monday and Tuesday and on Giligenting on
Wednesday (``nights`` in ``examples/sumenep/teams.toml``): ``plan.json`` and ``jadwal.xlsx``
show both night places, the day between them crosses by boat through ports, and the plan
verifies.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.domain.config import apply_overrides, load_policy, load_teams
from planner.geo.estimate import estimate_registry
from planner.geo.region_classes import classify_region
from planner.io.region import load_region
from planner.present.reports.gpx import routes_gpx
from planner.present.reports.jadwal import write_jadwal_xlsx
from planner.present.routes import team_day_routes
from planner.travel.regional import travel_model_for
from planner.week.audit import audit_plan
from planner.week.groups import matrix_of
from planner.week.plan import plan_week
from planner.week.plan_file import write_plan_json
from planner.week.schedule import team_day_rows
from planner.week.types import GroupResult, WeekInputs, WeekPlan
from planner.week.verify import verify_plan

WEEK = date(2017, 11, 13)
DEPOT, TALANGO, GILIGENTING = "dinas-35.29", "kec-35.29.04", "kec-35.29.08"
TEAM = "sumenep-perahu"


@pytest.fixture(scope="module")
def hop() -> tuple[WeekPlan, WeekInputs]:
    region = load_region("sumenep")
    classified = classify_region(region)
    teams = load_teams(Path(__file__).resolve().parents[2] / "examples/sumenep/teams.toml")
    teams = teams.model_copy(update={"teams": [t for t in teams.teams if t.id == TEAM]})
    policy = apply_overrides(
        load_policy(None), {"solver": {"time_limit_s": 4, "solution_limit": 50}}
    )
    registry = estimate_registry(region, classified)
    travel = travel_model_for(region)
    inputs = WeekInputs(region, classified, registry, teams, policy, WEEK, travel)
    return plan_week(inputs), inputs


@pytest.fixture(scope="module")
def hop_plan(hop: tuple[WeekPlan, WeekInputs]) -> WeekPlan:
    return hop[0]


def test_two_night_places_in_plan_json_and_jadwal(hop_plan: WeekPlan, tmp_path: Path) -> None:
    assert verify_plan(hop_plan) == []
    write_plan_json(hop_plan, tmp_path / "plan.json")
    document = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    legs = {d["date"]: (d["start_place"], d["end_place"]) for d in document["team_days"]}
    assert legs["2017-11-13"] == (DEPOT, TALANGO)
    assert legs["2017-11-14"] == (TALANGO, TALANGO)
    assert legs["2017-11-15"] == (TALANGO, GILIGENTING)
    assert legs["2017-11-16"] == (GILIGENTING, DEPOT)
    assert document["summary"]["nights_away"] == 3
    assert document["summary"]["lodging_idr"] == 900_000
    # each night place has its own candidates: the days on Talango record on Talango
    on_talango = [v["site_id"] for d in document["team_days"][:2] for v in d["visits"]]
    assert on_talango and all(s.startswith("35.29.04.") for s in on_talango)

    write_jadwal_xlsx(hop_plan, tmp_path / "jadwal.xlsx")
    sheet = load_workbook(tmp_path / "jadwal.xlsx")["Ringkasan"]
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "Tim")
    start, night = header.index("Berangkat dari"), header.index("Bermalam di")
    table = [r for r in rows[rows.index(header) + 1 :] if r and r[0]]
    nights = [str(r[night]) for r in table]
    assert "Kantor Kecamatan Talango" in nights[1]
    assert "Kantor Kecamatan Giliginting" in nights[2]
    assert str(table[2][start]) == nights[1]  # Wednesday leaves from where Tuesday slept


def test_the_move_between_islands_is_a_boat_leg_through_ports(hop_plan: WeekPlan) -> None:
    (result,) = [r for r in hop_plan.results if TEAM in r.group.team_ids]
    group = result.group
    (td,) = [t for t in group.team_days if t.day.date == date(2017, 11, 15)]
    assert (td.start_place, td.end_place) == (TALANGO, GILIGENTING)
    assert group.parts[TALANGO] != group.parts[GILIGENTING]
    matrix = matrix_of(group.matrices, td)
    a, b = group.places.index(TALANGO), group.places.index(GILIGENTING)
    assert matrix.boat_minutes[a, b] > 0 and matrix.via_port[a, b] >= 0
    # the written day crosses by boat and its visits name the ports
    day = hop_plan.team_days.set_index("date").loc["2017-11-15"]
    assert day["boat_minutes"] > 0
    it = hop_plan.itinerary
    crossing = it[(it["date"] == "2017-11-15") & (it["boat_minutes"] > 0)]
    if len(crossing):
        assert (crossing["ports"] != "").all()
    else:  # the crossing is on the way to the night place
        assert day["return_ports"]


def test_verify_plan_catches_a_day_that_starts_elsewhere(hop_plan: WeekPlan) -> None:
    """The night rule can fail: Wednesday moved to start at the depot while the team slept
    on Talango is reported."""
    results = []
    for result in hop_plan.results:
        days = tuple(
            dataclasses.replace(td, starts_at=None) if td.day.date == date(2017, 11, 15) else td
            for td in result.group.team_days
        )
        group = dataclasses.replace(result.group, team_days=days)
        results.append(dataclasses.replace(result, group=group))
    broken = dataclasses.replace(hop_plan, results=tuple(results))
    problems = verify_plan(broken)
    assert f"{TEAM} 2017-11-15: starts at {DEPOT}, but the team slept at {TALANGO}" in problems


def _without_visits_on(plan: WeekPlan, day: date) -> list[GroupResult]:
    """The plan's group results with every route of ``day`` emptied (the team only moves)."""
    results = []
    for result in plan.results:
        routes = tuple(
            dataclasses.replace(route, stops=())
            if result.group.team_days[route.vehicle].day.date == day
            else route
            for route in result.solution.routes
        )
        solution = dataclasses.replace(result.solution, routes=routes)
        results.append(dataclasses.replace(result, solution=solution))
    return results


def test_a_move_day_without_visits_is_written(hop_plan: WeekPlan) -> None:
    """Wednesday's visits dropped: the day still moves the team from Talango to Giligenting,
    and its row says so (no stops, the crossing's boat minutes, a return after the move)."""
    results = _without_visits_on(hop_plan, date(2017, 11, 15))
    rows = team_day_rows(results).set_index("date")
    day = rows.loc["2017-11-15"]
    assert (day["start_place"], day["end_place"]) == (TALANGO, GILIGENTING)
    assert day["stops"] == 0 and day["expected_recordings"] == 0
    assert day["boat_minutes"] > 0 and day["return_ports"]
    assert day["return"] > day["depart"]
    moved = dataclasses.replace(hop_plan, results=tuple(results))
    assert [p for p in verify_plan(moved) if "2017-11-15" in p] == []


def test_audit_checks_where_each_written_day_leaves_from(
    hop: tuple[WeekPlan, WeekInputs],
) -> None:
    plan, inputs = hop
    assert audit_plan(plan, inputs) == []
    rows = plan.team_days.copy()
    rows.loc[rows["date"] == "2017-11-15", "start_place"] = DEPOT
    problems = audit_plan(dataclasses.replace(plan, team_days=rows), inputs)
    assert f"{TEAM} 2017-11-15: leaves from {DEPOT}, but the team slept at {TALANGO}" in problems


def test_a_move_day_without_visits_is_drawn(hop: tuple[WeekPlan, WeekInputs]) -> None:
    """The map and GPX routes include the move from Talango to Giligenting on a day without
    visits: no stops, one leg that crosses by boat; a day that stays put is not drawn."""
    plan, inputs = hop
    results = _without_visits_on(plan, date(2017, 11, 15))
    moved = dataclasses.replace(
        plan,
        results=tuple(results),
        team_days=team_day_rows(results),
        itinerary=plan.itinerary[plan.itinerary["date"] != "2017-11-15"],
    )
    routes = {r.day.isoformat(): r for r in team_day_routes(moved, inputs.region, inputs.travel)}
    day = routes["2017-11-15"]
    assert (day.depot_id, day.end_id, day.stops) == (TALANGO, GILIGENTING, ())
    assert "sea" in {s.kind for s in day.segments}
    gpx = routes_gpx([day], moved.meta)
    assert gpx.count("<trk>") == 1 and "0 lokasi" in gpx
    assert all(r.stops or r.depot_id != r.end_id for r in routes.values())
