"""Filling a day's free minutes (:func:`planner.week.fill.fill_days`) on hand-made routes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from planner.domain.config import teams_from_dict
from planner.domain.workdays import WorkDay
from planner.routing.solution import Route, RoutingSolution, ScheduledBreak, Stop
from planner.week.fill import fill_days
from planner.week.types import Chunk, GroupProblem, GroupResult, TeamDay

MONDAY = date(2017, 11, 13)
# one kit, 7 minutes a recording: a minute of recording is 1/7 of a resident
TEAM = teams_from_dict(
    {
        "teams": [
            {"id": "t", "name": "T", "depot": "dinas-36.04", "kits": 1, "minutes_per_record": 7}
        ]
    }
).teams[0]


def _day(when: date = MONDAY, *, with_break: bool = False) -> WorkDay:
    return WorkDay(
        date=when,
        weekday="Senin",
        shift_start=450,  # 07:30
        shift_end=960,  # 16:00
        break_earliest=720 if with_break else None,
        break_latest=780 if with_break else None,
        break_minutes=60 if with_break else 0,
    )


def _chunk(chunk_id: str, site: str, recordings: int, **kw: Any) -> Chunk:
    return Chunk(chunk_id, site, 1, 1, recordings, weight=kw.pop("weight", 1.0), **kw)


def _result(
    routes: list[tuple[WorkDay, list[Stop], float, float, tuple[ScheduledBreak, ...]]],
    chunks: list[Chunk],
) -> GroupResult:
    days = tuple(TeamDay(f"t@{d.date}", TEAM, d) for d, *_ in routes)
    group = GroupProblem(
        index=0,
        team_ids=("t",),
        team_days=days,
        places=("dinas-36.04",),
        chunks=tuple(chunks),
        problem=None,  # type: ignore[arg-type]  # fill_days never reads the routing model
        matrices={},
        candidates=tuple(c.chunk_id for c in chunks),
    )
    solution = RoutingSolution(
        routes=tuple(
            Route(f"t@{d.date}", k, tuple(stops), start, end, brk)
            for k, (d, stops, start, end, brk) in enumerate(routes)
        ),
        dropped=(),
        objective=0,
        status="ROUTING_SUCCESS",
        wall_seconds=0.0,
    )
    return GroupResult(group, solution)


def _one_visit(recordings: int = 20) -> list[Stop]:
    # leaves 08:00, arrives 08:20, sets up 30 min, records 20 x 7 = 140 min, back 11:30
    return [Stop("a#1", 1, 500.0, 530.0, 530.0 + recordings * 7.0)]


def test_a_visit_grows_into_the_free_end_and_start_of_the_day() -> None:
    result = _result([(_day(), _one_visit(), 480.0, 690.0, ())], [_chunk("a#1", "a", 20)])
    [filled] = fill_days([result], {"a": 100}, max_per_day=150)
    route = filled.solution.routes[0]
    [chunk] = filled.group.chunks
    # 270 free minutes at the end + 30 at the start = 300 -> 42 more residents (294 min)
    assert chunk.recordings == 62
    assert route.end == pytest.approx(960.0)
    assert route.start == pytest.approx(456.0)
    stop = route.stops[0]
    assert stop.end - stop.start == pytest.approx(62 * 7.0)
    assert stop.start - stop.arrival == pytest.approx(30.0)  # set-up kept


def test_no_more_than_the_residents_left_and_the_visit_cap() -> None:
    result = _result([(_day(), _one_visit(), 480.0, 690.0, ())], [_chunk("a#1", "a", 20)])
    [few] = fill_days([result], {"a": 30}, max_per_day=150)
    assert few.group.chunks[0].recordings == 30
    assert few.solution.routes[0].end == pytest.approx(760.0)  # 10 x 7 min later
    assert few.solution.routes[0].start == pytest.approx(480.0)  # nothing moved earlier
    [capped] = fill_days([result], {"a": 100}, max_per_day=25)
    assert capped.group.chunks[0].recordings == 25
    [none] = fill_days([result], {"a": 20}, max_per_day=150)
    assert none.group.chunks[0].recordings == 20
    assert none.solution.routes == result.solution.routes


def test_a_break_after_the_visit_moves_only_within_its_window() -> None:
    stops = _one_visit()  # ends 11:10
    brk = (ScheduledBreak(700.0, 760.0),)  # 11:40-12:40 during the return: latest start 13:00
    result = _result([(_day(with_break=True), stops, 480.0, 760.0, brk)], [_chunk("a#1", "a", 20)])
    [filled] = fill_days([result], {"a": 100}, max_per_day=150)
    route = filled.solution.routes[0]
    assert route.breaks[0].start <= 780.0 + 1e-9
    assert route.breaks[0].end - route.breaks[0].start == pytest.approx(60.0)
    # 80 minutes later (break limit) + 30 earlier = 110 -> 15 residents (105 min)
    assert filled.group.chunks[0].recordings == 35
    assert route.breaks[0].start == pytest.approx(780.0)


def test_locked_visits_are_left_as_they_are() -> None:
    locked = _chunk("a#1", "a", 20, locked_vehicle_id="t@2017-11-13", locked_position=0)
    result = _result([(_day(), _one_visit(), 480.0, 690.0, ())], [locked])
    [filled] = fill_days([result], {"a": 100}, max_per_day=150)
    assert filled.group.chunks[0].recordings == 20
    assert filled.solution.routes == result.solution.routes


def test_a_kept_announced_visit_stays_in_its_window() -> None:
    # a at 08:50 (open), then the announced visit b at 11:40, announced 11:30 ± 15 min
    stops = [Stop("a#1", 1, 500.0, 530.0, 670.0), Stop("b#1", 2, 690.0, 700.0, 840.0)]
    kept = _chunk("b#1", "b", 20, locked_vehicle_id="t@2017-11-13", locked_position=0,
                  announced_window=(675.0, 705.0), time_cost=1.0)  # fmt: skip
    result = _result([(_day(), stops, 480.0, 860.0, ())], [_chunk("a#1", "a", 20), kept])
    [filled] = fill_days([result], {"a": 100, "b": 20}, max_per_day=150)
    route = filled.solution.routes[0]
    # a grows by 5 min later (b to the end of its window) and 30 min earlier (the day start)
    assert filled.group.chunks[0].recordings == 25
    assert route.stops[1].start == pytest.approx(705.0)
    assert route.start == pytest.approx(450.0)
    # without the window, b would move 35 minutes later (to the end of the day's free time)
    free = _result([(_day(), stops, 480.0, 860.0, ())], [_chunk("a#1", "a", 20), _chunk("b#1",
                   "b", 20, locked_vehicle_id="t@2017-11-13", locked_position=0)])  # fmt: skip
    [loose] = fill_days([free], {"a": 100, "b": 20}, max_per_day=150)
    assert loose.solution.routes[0].stops[1].start > 705.0


def test_earlier_days_and_higher_priority_sites_come_first() -> None:
    tuesday = date(2017, 11, 14)
    two_sites = [
        Stop("a#1", 1, 500.0, 530.0, 670.0),
        Stop("b#1", 2, 690.0, 720.0, 860.0),
    ]
    result = _result(
        [
            (_day(tuesday), [Stop("a#2", 1, 500.0, 530.0, 670.0)], 480.0, 690.0, ()),
            (_day(), two_sites, 480.0, 880.0, ()),
        ],
        [_chunk("a#1", "a", 20), _chunk("a#2", "a", 20), _chunk("b#1", "b", 20, weight=2.0)],
    )
    [filled] = fill_days([result], {"a": 50, "b": 25}, max_per_day=150)
    got = {c.chunk_id: c.recordings for c in filled.group.chunks}
    # Monday first: b (weight 2) takes its 5 left, then a takes 10 of the 10 left
    assert got["b#1"] == 25
    assert got["a#1"] == 30
    assert got["a#2"] == 20  # nothing left for Tuesday
    monday = filled.solution.routes[1]
    assert monday.stops[0].end <= monday.stops[1].arrival - 20.0 + 1e-9  # travel kept


def test_two_teams_at_one_place_on_one_day_share_its_queue_limit() -> None:
    # two routes on Monday at site "a", 100 recordings each (700 min with one kit: 08:00-19:40
    # is not a real day, but the limit is what is checked here)
    first = [Stop("a#1", 1, 450.0, 480.0, 480.0 + 100 * 7.0)]
    second = [
        Stop("a#2", 1, 450.0, 480.0, 480.0 + 100 * 7.0),
        Stop("b#1", 2, 1200.0, 1230.0, 1230.0 + 10 * 7.0),
    ]
    chunks = [_chunk("a#1", "a", 100), _chunk("a#2", "a", 100), _chunk("b#1", "b", 10)]
    result = _result(
        [(_day(), first, 450.0, 1200.0, ()), (_day(), second, 450.0, 1320.0, ())], chunks
    )
    [capped] = fill_days([result], {"a": 300, "b": 10}, max_per_day=150)
    got = {c.chunk_id: c.recordings for c in capped.group.chunks}
    assert got["a#1"] == 100 and got["a#2"] == 50  # the second team gets what is left
    cut = capped.solution.routes[1].stops[0]
    assert cut.end - cut.start == pytest.approx(50 * 7.0)
    assert capped.solution.routes[1].stops[1] == second[1]  # later stops keep their times
    [dropped] = fill_days([result], {"a": 300, "b": 10}, max_per_day=100)
    assert [s.visit_id for s in dropped.solution.routes[1].stops] == ["b#1"]
    assert dropped.solution.dropped == ("a#2",)
