"""The final check before a plan is written: a good plan passes, each kind of damage is named.

One small Banten week (a Kota Serang team and a Kab. Serang boat team, a few villages and two
islands) is planned once; each test damages a copy of its written form and expects the message
of exactly the check that should fire.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import planner.week.audit as audit
import planner.week.solve as week_solve
from planner.app.cli import app
from planner.core.errors import RoutingError
from planner.domain.config import apply_overrides, load_policy, teams_from_dict
from planner.geo.estimate import estimate_registry
from planner.io.registry import Registry
from planner.travel.regional import travel_model_for
from planner.week.disruptions import Disruptions
from planner.week.plan import plan_week
from planner.week.types import PinnedVisit, WeekInputs, WeekPlan

WEEK = date(2017, 11, 13)
ISLANDS = {"36.04.08.2009", "36.04.13.2009"}


def _only(registry: Registry, codes: set[str], most: int) -> Registry:
    """Residents to record only in ``codes``, at most ``most`` a village (several a day)."""
    counts = registry.counts.copy()
    outside = ~counts.index.isin(list(codes))
    for column in ("belum_rekam", "lansia", "disabilitas", "pemula"):
        counts.loc[outside, column] = 0
        counts[column] = counts[column].clip(upper=most)
    counts["sudah_rekam"] = counts["wajib_ktp"] - counts["belum_rekam"]
    return Registry.from_frame(counts, source="test subset", is_estimate=True, estimate_model="x")


@pytest.fixture(scope="module")
def week(banten, banten_classified) -> tuple[WeekPlan, WeekInputs]:  # type: ignore[no-untyped-def]
    registry = estimate_registry(banten, banten_classified)
    codes = [str(c) for c in registry.counts.index]
    kota = [c for c in codes if c.startswith("36.73.01")][:10]
    serang = [c for c in codes if c.startswith("36.04.08")][:6]
    registry = _only(registry, set(kota) | set(serang) | ISLANDS, 40)
    teams = teams_from_dict(
        {
            "teams": [
                {"id": "kota", "name": "Kota", "depot": "dinas-36.73", "kits": 2},
                {"id": "laut", "name": "Laut", "depot": "dinas-36.04", "boat": True},
            ]
        },
        source="test-teams.toml",
    )
    policy = apply_overrides(
        load_policy(None), {"solver": {"time_limit_s": 4, "solution_limit": 200}}
    )
    inputs = WeekInputs(
        banten, banten_classified, registry, teams, policy, WEEK, travel_model_for(banten)
    )
    return plan_week(inputs), inputs


def _damaged(plan: WeekPlan, change: Callable[[pd.DataFrame, pd.DataFrame], None]) -> WeekPlan:
    stops, days = plan.itinerary.copy(), plan.team_days.copy()
    change(stops, days)
    return dataclasses.replace(plan, itinerary=stops, team_days=days)


def _fires(plan: WeekPlan, inputs: WeekInputs, text: str, **kw: object) -> list[str]:
    problems = audit.audit_plan(plan, inputs, **kw)  # type: ignore[arg-type]
    assert any(text in p for p in problems), (text, problems)
    return problems


def _minutes(text: str) -> float:
    return audit.clock_minutes(text)


def _clock(minutes: float) -> str:
    whole = round(minutes)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def _multi_stop_day(plan: WeekPlan) -> tuple[str, str]:
    sizes = plan.itinerary.groupby(["team_id", "date"]).size()
    team_id, day = sizes[sizes >= 2].index[0]
    return str(team_id), str(day)


def _rows(stops: pd.DataFrame, team_id: str, day: str) -> list[int]:
    mine = stops[(stops["team_id"] == team_id) & (stops["date"] == day)]
    return list(mine.sort_values("order").index)


def test_the_good_plan_passes_and_visits_an_island(week) -> None:  # type: ignore[no-untyped-def]
    plan, inputs = week
    assert len(plan.itinerary) >= 4
    assert audit.audit_plan(plan, inputs) == []
    assert plan.itinerary["boat_minutes"].max() > 0, "the week should cross to an island"


def test_departure_before_the_shift(week) -> None:  # type: ignore[no-untyped-def]
    plan, inputs = week

    def early(s: pd.DataFrame, d: pd.DataFrame) -> None:
        d.loc[0, "depart"] = "06:00"

    bad = _damaged(plan, early)
    _fires(bad, inputs, "outside the shift")


def test_break_outside_its_window_or_too_short(week) -> None:  # type: ignore[no-untyped-def]
    plan, inputs = week
    used = plan.team_days[plan.team_days["break"].astype(str) != ""]
    row = used.index[0]

    def late(s: pd.DataFrame, d: pd.DataFrame) -> None:
        d.loc[row, "break"] = "14:30-15:30"

    _fires(_damaged(plan, late), inputs, "outside")

    def short(s: pd.DataFrame, d: pd.DataFrame) -> None:
        start = _minutes(str(d.loc[row, "break"]).split("-")[0])
        d.loc[row, "break"] = f"{_clock(start)}-{_clock(start + 20)}"

    _fires(_damaged(plan, short), inputs, "break of 20 min")

    def none(s: pd.DataFrame, d: pd.DataFrame) -> None:
        d.loc[row, "break"] = ""

    _fires(_damaged(plan, none), inputs, "no break")


def test_friday_break_is_11_30_to_13_00(week) -> None:  # type: ignore[no-untyped-def]
    plan, inputs = week
    fridays = plan.team_days[plan.team_days["date"] == "2017-11-17"]
    assert len(fridays), "no Friday in the plan"
    row = fridays.index[0]
    assert plan.team_days.loc[row, "break"] == "11:30-13:00"

    def monday_hour(s: pd.DataFrame, d: pd.DataFrame) -> None:
        d.loc[row, "break"] = "12:00-13:00"

    problems = _fires(_damaged(plan, monday_hour), inputs, "break of 60 min, not 90")
    assert any("outside 11:30-13:00" in p for p in problems), problems


def test_recording_during_the_break(week) -> None:  # type: ignore[no-untyped-def]
    plan, inputs = week
    team_id, day = _multi_stop_day(plan)
    row = plan.team_days[(plan.team_days["team_id"] == team_id) & (plan.team_days["date"] == day)]
    brk = str(row["break"].iloc[0])
    assert brk, "the day has no break"
    start = _minutes(brk.split("-")[0])

    def into_break(s: pd.DataFrame, d: pd.DataFrame) -> None:
        # the first stop moved to straddle the break, with no time left for it
        first = _rows(s, team_id, day)[0]
        length = _minutes(str(s.loc[first, "end"])) - _minutes(str(s.loc[first, "start"]))
        s.loc[first, "start"] = _clock(start - 30)
        s.loc[first, "end"] = _clock(start - 30 + length)

    _fires(_damaged(plan, into_break), inputs, "during the break")


def test_break_taken_on_the_road_needs_its_time(week) -> None:  # type: ignore[no-untyped-def]
    plan, inputs = week
    team_id, day = _multi_stop_day(plan)
    rows = _rows(plan.itinerary, team_id, day)
    gap_start = _minutes(str(plan.itinerary.loc[rows[0], "end"]))

    def squeeze(s: pd.DataFrame, d: pd.DataFrame) -> None:
        # a whole break fits between the two stops, but not with the travel and set-up too
        where = (d["team_id"] == team_id) & (d["date"] == day)
        d.loc[where, "break"] = f"{_clock(gap_start)}-{_clock(gap_start + 60)}"
        length = _minutes(str(s.loc[rows[1], "end"])) - _minutes(str(s.loc[rows[1], "start"]))
        s.loc[rows[1], "start"] = _clock(gap_start + 61)
        s.loc[rows[1], "end"] = _clock(gap_start + 61 + length)

    _fires(_damaged(plan, squeeze), inputs, "with the break")


def test_arrival_faster_than_the_travel_model(week) -> None:  # type: ignore[no-untyped-def]
    plan, inputs = week
    team_id, day = _multi_stop_day(plan)
    rows = _rows(plan.itinerary, team_id, day)
    prev_end = _minutes(str(plan.itinerary.loc[rows[0], "end"]))

    def teleport(s: pd.DataFrame, d: pd.DataFrame) -> None:
        s.loc[rows[1], "arrival"] = _clock(prev_end)

    bad = _damaged(plan, teleport)
    if float(plan.itinerary.loc[rows[1], "travel_minutes"]) < 3:
        pytest.skip("the two stops are next to each other")
    _fires(bad, inputs, "before the")


def test_recording_before_set_up_and_too_short(week) -> None:  # type: ignore[no-untyped-def]
    plan, inputs = week
    row = plan.itinerary.index[0]

    def no_setup(s: pd.DataFrame, d: pd.DataFrame) -> None:
        s.loc[row, "start"] = s.loc[row, "arrival"]

    _fires(_damaged(plan, no_setup), inputs, "before set-up is done")

    def rushed(s: pd.DataFrame, d: pd.DataFrame) -> None:
        s.loc[row, "expected_recordings"] = int(s.loc[row, "expected_recordings"]) * 3

    _fires(_damaged(plan, rushed), inputs, "residents (needs")


def test_two_places_at_once_and_two_routes_a_day(week) -> None:  # type: ignore[no-untyped-def]
    plan, inputs = week
    team_id, day = _multi_stop_day(plan)
    rows = _rows(plan.itinerary, team_id, day)

    def overlap(s: pd.DataFrame, d: pd.DataFrame) -> None:
        s.loc[rows[1], "start"] = s.loc[rows[0], "start"]
        s.loc[rows[1], "arrival"] = s.loc[rows[0], "arrival"]

    _fires(_damaged(plan, overlap), inputs, "two places")
    doubled = dataclasses.replace(
        plan, team_days=pd.concat([plan.team_days, plan.team_days.iloc[:1]], ignore_index=True)
    )
    _fires(doubled, inputs, "2 routes on one day")


def test_not_a_working_day(week) -> None:  # type: ignore[no-untyped-def]
    plan, inputs = week

    def sunday(s: pd.DataFrame, d: pd.DataFrame) -> None:
        team_id, day = str(d.loc[0, "team_id"]), str(d.loc[0, "date"])
        s.loc[(s["team_id"] == team_id) & (s["date"] == day), "date"] = "2017-11-19"
        d.loc[0, "date"] = "2017-11-19"

    _fires(_damaged(plan, sunday), inputs, "not a working day")


def test_island_by_a_team_without_a_boat(week) -> None:  # type: ignore[no-untyped-def]
    plan, inputs = week
    landlocked = dataclasses.replace(
        inputs,
        teams=teams_from_dict(
            {
                "teams": [
                    {"id": "kota", "name": "Kota", "depot": "dinas-36.73", "kits": 2},
                    {"id": "laut", "name": "Laut", "depot": "dinas-36.04", "boat": False},
                ]
            },
            source="test-teams.toml",
        ),
    )
    _fires(plan, landlocked, "cannot be reached")


def test_queue_limit_and_residents(week) -> None:  # type: ignore[no-untyped-def]
    plan, inputs = week
    limit = inputs.policy.max_attendance_per_visit_day
    row = plan.itinerary.index[0]

    def crowd(s: pd.DataFrame, d: pd.DataFrame) -> None:
        s.loc[row, "expected_recordings"] = limit + 1

    problems = _fires(_damaged(plan, crowd), inputs, f"over the limit of {limit} a day")
    assert any("more than the" in p for p in problems), problems


def test_a_missing_locked_visit(week) -> None:  # type: ignore[no-untyped-def]
    plan, inputs = week
    first = plan.itinerary.iloc[0]
    kept = PinnedVisit(str(first["team_id"]), date.fromisoformat(str(first["date"])), 1, "x", 5)
    _fires(plan, inputs, "locked visit to x is missing", pinned=[kept])
    real = PinnedVisit(
        str(first["team_id"]), date.fromisoformat(str(first["date"])), 1, str(first["site_id"]), 5
    )
    assert audit.audit_plan(plan, inputs, [real]) == []


def test_a_locked_visit_a_disruption_broke_must_be_in_the_change_list(week) -> None:  # type: ignore[no-untyped-def]
    """A re-plan with ``--absent``: the absent team's announced visits may go, but only when
    the change list says so (found on Banten: the check refused every such re-plan)."""
    plan, inputs = week
    first = plan.itinerary[~plan.itinerary["kode_desa"].isin(ISLANDS)].iloc[0]
    team_id, day = str(first["team_id"]), date.fromisoformat(str(first["date"]))
    gone = PinnedVisit(team_id, day + timedelta(days=7), 1, str(first["site_id"]), 5)
    away = Disruptions(absent={team_id: frozenset({gone.date})})
    problems = _fires(
        plan, inputs, "changed but not in the change list", pinned=[gone], disruptions=away
    )
    assert not any("is missing" in p for p in problems), problems
    cancelled = {
        "status": "cancelled",
        "old_team": team_id,
        "old_date": gone.date.isoformat(),
        "site_id": gone.site_id,
    }
    told = dataclasses.replace(plan, meta={**plan.meta, "changes": [cancelled]})
    assert audit.audit_plan(told, inputs, [gone], disruptions=away) == []
    # the same visit without a disruption that explains it: missing
    _fires(told, inputs, "is missing", pinned=[gone])
    # a team whose settings changed may lose its announced visits too, once listed
    assert audit.audit_plan(told, inputs, [gone], changed_teams={team_id}) == []
    # a day without boat excuses a visit to an island only
    crossing = plan.itinerary[plan.itinerary["kode_desa"].isin(ISLANDS)].iloc[0]
    island = PinnedVisit(team_id, gone.date, 2, str(crossing["site_id"]), 5)
    calm = Disruptions(no_boat=frozenset({gone.date}))
    listed = {**cancelled, "site_id": island.site_id}
    both = dataclasses.replace(plan, meta={**plan.meta, "changes": [cancelled, listed]})
    assert audit.audit_plan(both, inputs, [island], disruptions=calm) == []
    _fires(both, inputs, f"locked visit to {gone.site_id} is missing", pinned=[gone, island],
           disruptions=calm)  # fmt: skip


def test_no_route_on_a_day_off_and_no_boat_on_a_day_without(week) -> None:  # type: ignore[no-untyped-def]
    plan, inputs = week
    row = plan.team_days.iloc[0]
    team_id, day = str(row["team_id"]), date.fromisoformat(str(row["date"]))
    _fires(
        plan,
        inputs,
        "a day the team cannot work (tim",
        disruptions=Disruptions(absent={team_id: frozenset({day})}),
    )
    _fires(
        plan, inputs, "cannot work (hari ditutup", disruptions=Disruptions(closed={day: "banjir"})
    )
    boat_days = plan.team_days[plan.team_days["boat_minutes"] > 0]
    crossing = date.fromisoformat(str(boat_days.iloc[0]["date"]))
    _fires(
        plan,
        inputs,
        "sea leg on a day without boat",
        disruptions=Disruptions(no_boat=frozenset({crossing})),
    )
    assert audit.audit_plan(plan, inputs, disruptions=Disruptions()) == []


def test_a_plan_that_fails_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "audit_plan", lambda *a, **k: ["kota 2018-10-08: simulated"])
    out = tmp_path / "hasil"
    args = ["plan", "--region", "sarolangun", "--week", "2018-10-08", "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--time-limit", "2", "--solution-limit", "5"])
    assert result.exit_code == 3, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("ERROR:")]
    assert lines[0].startswith("ERROR: internal error, please report"), result.output
    assert "ERROR: kota 2018-10-08: simulated" in lines
    assert not out.exists()


def test_failed_searches_fall_back_to_greedy_routes_that_pass(
    week, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """No search finds anything: the days get the greedy routes, which pass the final check,
    and what is left out is told the search failed, never "capacity"."""
    _, inputs = week

    def nothing(*args: object, **kwargs: object) -> object:
        raise RoutingError("no feasible plan found (simulated time-out)")

    monkeypatch.setattr(week_solve, "solve_routing", nothing)
    plan = plan_week(inputs)
    assert [g["fallback"] for g in plan.meta["search_failed"]] == [
        week_solve.FALLBACK_GREEDY
    ] * len(plan.meta["groups"])
    assert plan.summary["planned_recordings"] > 0
    assert audit.audit_plan(plan, inputs) == []
    reasons = set(plan.unplanned["reason_code"])
    assert "capacity" not in reasons and "partial" not in reasons, reasons
    left = plan.unplanned[plan.unplanned["reason_code"].str.contains("search_failed")]
    assert len(left) and left["alasan"].str.contains("batas waktu").all()
