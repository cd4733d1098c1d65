"""Timed ferries end to end on ``sumenep``: the Ra'as boat team catches the 09:00 Dungkek boat.

``examples/sumenep/teams.toml`` ``raas-menginap`` (depot: the Dinas in Sumenep, base: the kantor
camat of Ra'as) alone, week of 2017-11-13. Dungkek - Ra'as is one passenger boat a day at about
09:00, 240 minutes (``sea_links.csv`` S14; the ``ports.csv`` rows of Dungkek name it in
``crossing_link``).
"""

from __future__ import annotations

import dataclasses
import functools
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.domain.config import apply_overrides, load_policy, load_teams
from planner.geo.estimate import estimate_registry
from planner.geo.region_classes import classify_region
from planner.io.region import load_region
from planner.present.reports.jadwal import FIRST_TABLE_ROW, TEAM_COLUMNS, write_jadwal_xlsx
from planner.travel.regional import travel_model_for
from planner.week.audit import audit_plan
from planner.week.groups import matrix_of
from planner.week.plan import plan_week
from planner.week.plan_file import plan_document
from planner.week.types import WeekInputs, WeekPlan
from planner.week.verify import verify_plan

WEEK = date(2017, 11, 13)
TEAM = "raas-menginap"
DUNGKEK = "Pelabuhan Dungkek"


@functools.cache
def raas_plan_inputs() -> WeekInputs:
    region = load_region("sumenep")
    classified = classify_region(region)
    teams = load_teams(Path(__file__).resolve().parents[2] / "examples/sumenep/teams.toml")
    teams = teams.model_copy(update={"teams": [t for t in teams.teams if t.id == TEAM]})
    policy = apply_overrides(
        load_policy(None), {"solver": {"time_limit_s": 5, "solution_limit": 50}}
    )
    registry = estimate_registry(region, classified)
    travel = travel_model_for(region)
    return WeekInputs(region, classified, registry, teams, policy, WEEK, travel)


@pytest.fixture(scope="module")
def raas_plan() -> WeekPlan:
    return plan_week(raas_plan_inputs())


def _crossing(plan: WeekPlan) -> pd.Series:
    """The itinerary row whose leg catches the timed ferry (Monday: out to Ra'as)."""
    it = plan.itinerary
    rows = it[(it["team_id"] == TEAM) & (it["ferry_departure"] != "")]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_the_crossing_out_leaves_dungkek_at_nine(raas_plan: WeekPlan) -> None:
    assert verify_plan(raas_plan) == []
    row = _crossing(raas_plan)
    assert row["date"] == WEEK.isoformat() and row["order"] == 1
    assert (row["ferry_departure"], row["ferry_port"]) == ("09:00", DUNGKEK)
    assert row["mode"] == "motor+perahu"
    # the team left at 07:30 and waited at the port; it lands four hours after 09:00
    day = raas_plan.team_days.set_index(["team_id", "date"]).loc[(TEAM, WEEK.isoformat())]
    assert day["depart"] == "07:30"
    assert row["port_wait_minutes"] >= 30.0  # boarding closes half an hour before
    hours, minutes = (int(x) for x in str(row["arrival"]).split(":"))
    assert hours * 60 + minutes >= 9 * 60 + 240
    # the mid-week days stay on Ra'as, by land, without a ferry
    later = raas_plan.itinerary[
        (raas_plan.itinerary["team_id"] == TEAM) & (raas_plan.itinerary["date"] > row["date"])
    ]
    assert (later["ferry_departure"] == "").all()


def test_plan_json_and_jadwal_name_the_departure(raas_plan: WeekPlan, tmp_path: Path) -> None:
    document = plan_document(raas_plan)
    visits = [
        v
        for day in document["team_days"]
        if day["team_id"] == TEAM and day["date"] == WEEK.isoformat()
        for v in day["visits"]
    ]
    assert visits[0]["ferry_departure"] == "09:00" and visits[0]["ferry_port"] == DUNGKEK
    write_jadwal_xlsx(raas_plan, tmp_path / "jadwal.xlsx")
    sheet = load_workbook(tmp_path / "jadwal.xlsx")[TEAM]
    headers = [c.value for c in sheet[FIRST_TABLE_ROW]]
    assert headers == [h for h, _ in TEAM_COLUMNS]
    first = [c.value for c in sheet[FIRST_TABLE_ROW + 1]]
    assert first[headers.index("Kapal berangkat")] == "09:00"
    assert first[headers.index("Dari pelabuhan")] == DUNGKEK


def test_verify_rejects_a_crossing_at_another_time(raas_plan: WeekPlan) -> None:
    it = raas_plan.itinerary.copy()
    it.loc[it["ferry_departure"] == "09:00", "ferry_departure"] = "08:00"
    problems = verify_plan(dataclasses.replace(raas_plan, itinerary=it))
    assert any("says the ferry leaves at 08:00, not 09:00" in p for p in problems), problems


def test_verify_rejects_a_team_that_leaves_too_late(raas_plan: WeekPlan) -> None:
    result = raas_plan.results[0]
    group = result.group
    k, route = next(
        (k, r)
        for k, r in enumerate(result.solution.routes)
        if group.team_days[r.vehicle].day.date == WEEK and r.stops
    )
    late = dataclasses.replace(route, start=route.start + 90.0)
    routes = list(result.solution.routes)
    routes[k] = late
    solution = dataclasses.replace(result.solution, routes=tuple(routes))
    plan = dataclasses.replace(raas_plan, results=(dataclasses.replace(result, solution=solution),))
    problems = verify_plan(plan)
    assert any("the leg assumes" in p for p in problems), problems
    assert any("after the departure" in p for p in problems), problems


def test_verify_rejects_a_ferry_that_lands_later_than_the_plan_says(raas_plan: WeekPlan) -> None:
    result = raas_plan.results[0]
    group = result.group
    route = next(r for r in result.solution.routes if group.team_days[r.vehicle].day.date == WEEK)
    td = group.team_days[route.vehicle]
    matrix = matrix_of(group.matrices, td)
    site = next(c.site_id for c in group.chunks if c.chunk_id == route.stops[0].visit_id)
    key = (group.places.index(td.start_place), group.places.index(site))
    caught = matrix.ferries[key]
    moved = {
        **matrix.ferries,
        key: (dataclasses.replace(caught[0], departure=caught[0].departure + 120),),
    }
    matrices = {
        name: dataclasses.replace(m, ferries=moved) if m is matrix else m
        for name, m in group.matrices.items()
    }
    group = dataclasses.replace(group, matrices=matrices)
    plan = dataclasses.replace(raas_plan, results=(dataclasses.replace(result, group=group),))
    problems = verify_plan(plan)
    assert any("before ferry S14 leaving at 11:00 lands" in p for p in problems), problems


def test_the_final_check_reads_the_written_departure(raas_plan: WeekPlan) -> None:
    """``audit_plan`` (every plan written) re-derives the crossing on a fresh clock-aware
    matrix: the plan as made passes, a written 08:00 departure does not."""
    inputs = raas_plan_inputs()
    assert audit_plan(raas_plan, inputs) == []
    it = raas_plan.itinerary.copy()
    it.loc[it["ferry_departure"] == "09:00", "ferry_departure"] = "08:00"
    problems = audit_plan(dataclasses.replace(raas_plan, itinerary=it), inputs)
    assert any("says the ferry leaves at 08:00" in p for p in problems), problems
