"""Unit tests of re-planning's parts: disruption flags, field reports, soft pins, change list."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from planner.core.errors import ConfigError, InputError, PlannerError
from planner.domain.config import teams_from_dict
from planner.domain.workdays import WorkDay
from planner.week.changes import change_counts, schedule_changes
from planner.week.disruptions import (
    Disruptions,
    disrupt_team_days,
    parse_disruptions,
    start_where_slept,
)
from planner.week.field_reports import read_field_reports, read_jadwal_terekam
from planner.week.pins import kept_pins, pin_chunks, pinned_recordings
from planner.week.types import PinnedVisit, TeamDay

MONDAY = date(2017, 11, 13)
WEDNESDAY = date(2017, 11, 15)


def _parse(**flags: list[str]) -> Disruptions:
    return parse_disruptions(**flags, team_ids={"a", "b"}, week_start=MONDAY, from_date=WEDNESDAY)


def test_flags_are_parsed_into_days() -> None:
    d = _parse(absent=["a:2017-11-15..2017-11-17"], closed=["2017-11-16:banjir"],
               no_boat=["2017-11-17"])  # fmt: skip
    assert d.absent == {"a": frozenset({WEDNESDAY, date(2017, 11, 16), date(2017, 11, 17)})}
    assert d.closed == {date(2017, 11, 16): "banjir"}
    assert d.no_boat == frozenset({date(2017, 11, 17)})
    assert d.reason("a", WEDNESDAY) == "tim a berhalangan"
    assert d.reason("b", date(2017, 11, 16)) == "hari ditutup: banjir"
    assert d.reason("b", WEDNESDAY) is None
    assert _parse(closed=["2017-11-16"]).closed[date(2017, 11, 16)] == "libur/ditutup"


def test_every_bad_flag_is_listed() -> None:
    with pytest.raises(ConfigError) as err:
        _parse(
            absent=["z:2017-11-15", "a:2017-11-17..2017-11-15", "a2017-11-15"],
            closed=["2017-11-20", "besok"],
            no_boat=["2017-11-14"],
        )
    text = "\n".join(err.value.problems)
    assert len(err.value.problems) == 6, text
    for part in ("unknown team 'z'", "ends before it starts", "expected TEAM_ID",
                 "not in the week", "expected YYYY-MM-DD", "before --from"):  # fmt: skip
        assert part in text


def _team_days() -> list[TeamDay]:
    teams = teams_from_dict(
        {
            "teams": [
                {
                    "id": "a",
                    "name": "A",
                    "depot": "dinas-36.04",
                    "boat": True,
                    "base": "kec-36.04.08",
                }
            ]
        },
        source="t.toml",
    ).teams
    out = []
    for k in range(3):
        day = WorkDay(date(2017, 11, 15 + k), "Rabu", 450, 960, 720, 780, 60)
        out.append(
            TeamDay(
                f"a@{day.date}",
                teams[0],
                day,
                starts_at="kec-36.04.08",
                ends_at="kec-36.04.08" if k < 2 else None,
            )
        )
    return out


def test_team_days_lose_absent_and_closed_days_and_the_boat() -> None:
    days = _team_days()
    d = Disruptions(absent={"a": frozenset({date(2017, 11, 17)})}, no_boat=frozenset({WEDNESDAY}))
    kept, closed = disrupt_team_days(days, d)
    assert [td.day.date for td in kept] == [WEDNESDAY, date(2017, 11, 16)]
    assert kept[0].team.boat is False and kept[1].team.boat is True
    # the team slept at its base; its last day left now ends at home
    assert kept[0].start_place == "kec-36.04.08" and kept[1].end_place == "dinas-36.04"
    assert closed == []
    shut, closed = disrupt_team_days(days, Disruptions(closed={WEDNESDAY: "banjir"}))
    assert len(shut) == 2 and closed == [(WEDNESDAY, "banjir")]


def test_a_replan_starts_each_team_where_it_slept() -> None:
    # the team slept at an old base (kec-36.04.09) although its base is now kec-36.04.08:
    # Wednesday starts there; later days follow the day before
    parts = {"dinas-36.04": None, "kec-36.04.08": None, "kec-36.04.09": None, "pulau": "p1"}
    days = start_where_slept(_team_days(), {"a": "kec-36.04.09"}, parts)
    assert [(td.start_place, td.end_place) for td in days] == [
        ("kec-36.04.09", "kec-36.04.08"),
        ("kec-36.04.08", "kec-36.04.08"),
        ("kec-36.04.08", "dinas-36.04"),
    ]
    # an absent Wednesday: Thursday starts where the team slept on Tuesday night
    kept, _ = disrupt_team_days(_team_days(), Disruptions(absent={"a": frozenset({WEDNESDAY})}))
    later = start_where_slept(kept, {"a": "kec-36.04.09"}, parts)
    assert later[0].day.date == date(2017, 11, 16) and later[0].start_place == "kec-36.04.09"
    # teams not listed keep their days
    assert start_where_slept(_team_days(), {}, parts) == _team_days()


def test_a_team_on_an_island_without_a_boat_stays_there() -> None:
    parts = {"dinas-36.04": None, "kec-36.04.08": None, "pulau": "p1"}
    dry = Disruptions(no_boat=frozenset({WEDNESDAY, date(2017, 11, 16)}))
    kept, _ = disrupt_team_days(_team_days(), dry)
    days = start_where_slept(kept, {"a": "pulau"}, parts)
    # Wednesday and Thursday without boat: on the island; Friday the boat takes it home
    assert [(td.start_place, td.end_place) for td in days] == [
        ("pulau", "pulau"),
        ("pulau", "pulau"),
        ("pulau", "dinas-36.04"),
    ]
    with pytest.raises(ConfigError, match="team a at 'elsewhere' overnight, not a depot"):
        start_where_slept(kept, {"a": "elsewhere"}, parts)


def _sites() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "site_id": ["s1", "s2"],
            "weight": [1.0, 2.0],
            "expected": [100, 30],
            "island": [None, "p"],
        }
    )


def test_broken_pins_become_kept_or_moved_alternatives() -> None:
    days = _team_days()
    pins = [PinnedVisit("a", WEDNESDAY, 1, "s1", 40), PinnedVisit("a", date(2017, 11, 18), 1,
                                                                   "s2", 20)]  # fmt: skip
    with pytest.raises(ConfigError, match="no working day"):
        pin_chunks(pins, days, _sites())
    chunks = pin_chunks(pins, days, _sites(), soft=True, changed_teams={"a"}, change_penalty=50)
    kept = [c for c in chunks if "#tetap" in c.chunk_id]
    moved = [c for c in chunks if "#pindah" in c.chunk_id]
    # Saturday has no team-day: only the moved alternative; Wednesday's team changed: both
    assert {c.site_id for c in kept} == {"s1"} and {c.site_id for c in moved} == {"s1", "s2"}
    assert all(c.only_vehicle_id == days[0].vehicle_id for c in kept)
    assert sum(c.serve_cost for c in moved if c.site_id == "s1") == pytest.approx(50)
    assert all(c.locked_vehicle_id is None for c in chunks)
    # the recordings of a pair are taken from the site's demand once
    assert pinned_recordings(chunks) == {"s1": 40, "s2": 20}


def test_a_kept_pin_carries_a_window_around_its_announced_start() -> None:
    days = _team_days()
    pin = PinnedVisit("a", WEDNESDAY, 1, "s1", 100, start_minutes=600.0)
    chunks = pin_chunks([pin], days, _sites(), time_tolerance=15, time_cost=2.0)
    # the first part only: the rest follows it on the same team-day
    assert len(chunks) > 1
    assert chunks[0].announced_window == (585.0, 615.0) and chunks[0].time_cost == 2.0
    assert all(c.announced_window is None and c.time_cost == 0 for c in chunks[1:])
    # a broken pin keeps the window on its "kept" alternative, never on the moved one
    soft = pin_chunks([pin], days, _sites(), soft=True, changed_teams={"a"}, time_tolerance=15,
                      time_cost=2.0)  # fmt: skip
    kept = [c for c in soft if "#tetap" in c.chunk_id and c.announced_window is not None]
    assert len(kept) == 1 and kept[0].announced_window == (585.0, 615.0)
    assert all(c.announced_window is None for c in soft if "#pindah" in c.chunk_id)
    # no cost, or no announced time: no window
    assert all(c.announced_window is None for c in pin_chunks([pin], days, _sites()))
    unknown = PinnedVisit("a", WEDNESDAY, 1, "s1", 100)
    assert all(
        c.announced_window is None for c in pin_chunks([unknown], days, _sites(), time_cost=2.0)
    )


def test_only_unbroken_pins_must_stay() -> None:
    days = _team_days()
    dry, _ = disrupt_team_days(days, Disruptions(no_boat=frozenset({WEDNESDAY})))
    on_land = PinnedVisit("a", WEDNESDAY, 1, "s1", 40)
    on_island = PinnedVisit("a", WEDNESDAY, 2, "s2", 20)
    on_saturday = PinnedVisit("a", date(2017, 11, 18), 1, "s1", 20)
    pins = [on_land, on_island, on_saturday]
    # no boat on Wednesday breaks the island visit; Saturday has no team-day
    assert kept_pins(pins, dry, _sites()) == [on_land]
    assert kept_pins(pins, days, _sites()) == [on_land, on_island]
    assert kept_pins(pins, days, _sites(), changed_teams={"a"}) == []


def _xlsx(path: Path, rows: list[list[object]], header: list[str] | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Jadwal Tim A"])
    sheet.append([])
    sheet.append(header or ["Tanggal", "ID tim", "Kode desa", "Terekam"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_terekam_column_is_read_and_empty_cells_are_no_report(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "jadwal.xlsx", [
        [datetime(2017, 11, 13), "a", "36.73.02.1007", 61],
        ["14/11/2017", "a", "36.73.02.1008", None],
        ["2017-11-14", "a", "36.73.02.1010", "0"],
    ])  # fmt: skip
    rows = read_jadwal_terekam(path, MONDAY, WEDNESDAY)
    assert [(r["kode_desa"], r["recorded"]) for r in rows] == [
        ("36.73.02.1007", 61),
        ("36.73.02.1010", 0),
    ]


def test_terekam_problems_name_sheet_row_and_column(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "jadwal.xlsx", [
        [datetime(2017, 11, 13), "a", "36.73.02.1007", -3],
        [datetime(2017, 11, 16), "a", "36.73.02.1007", 4],
        ["kemarin", "a", "36.73.02.1007", 4],
    ])  # fmt: skip
    with pytest.raises(InputError) as err:
        read_jadwal_terekam(path, MONDAY, WEDNESDAY)
    text = "\n".join(err.value.problems)
    assert "row 4 column 'Terekam'" in text and "row 5" in text and "row 6 column 'Tanggal'" in text
    no_team = _xlsx(tmp_path / "x.xlsx", [], header=["Tanggal", "Kode desa", "Terekam"])
    with pytest.raises(InputError, match="'team_id' not found"):
        read_jadwal_terekam(no_team, MONDAY, WEDNESDAY)
    with pytest.raises(InputError, match="no sheet has a 'Terekam' column"):
        read_jadwal_terekam(_xlsx(tmp_path / "y.xlsx", [], header=["Tanggal"]), MONDAY, WEDNESDAY)


def test_the_same_visit_reported_twice_differently_is_an_error(tmp_path: Path) -> None:
    csv = tmp_path / "selesai.csv"
    csv.write_text("team_id,date,kode_desa,recorded\na,2017-11-13,36.73.02.1007,60\n", "utf-8")
    same = _xlsx(tmp_path / "same.xlsx", [[datetime(2017, 11, 13), "a", "36.73.02.1007", 60]])
    assert len(read_field_reports([csv, same], MONDAY, WEDNESDAY)) == 1
    other = _xlsx(tmp_path / "other.xlsx", [[datetime(2017, 11, 13), "a", "36.73.02.1007", 50]])
    with pytest.raises(InputError, match="reported twice"):
        read_field_reports([csv, other], MONDAY, WEDNESDAY)


def _stop(team: str, day: str, site: str, start: str) -> dict[str, object]:
    return {"team_id": team, "date": day, "site_id": site, "kode_desa": site, "desa": site,
            "kecamatan": "k", "start": start}  # fmt: skip


def test_changes_match_kept_moved_cancelled_and_time_shifts() -> None:
    announced = [
        _stop("a", "2017-11-15", "s1", "08:00"),  # kept, same time
        _stop("a", "2017-11-15", "s2", "10:00"),  # kept, 45 min later
        _stop("a", "2017-11-16", "s3", "08:00"),  # moved to b on Friday
        _stop("a", "2017-11-16", "s4", "11:00"),  # cancelled
    ]
    new = pd.DataFrame(
        [
            _stop("a", "2017-11-15", "s1", "08:10"),
            _stop("a", "2017-11-15", "s2", "10:45"),
            _stop("b", "2017-11-17", "s3", "09:00"),
        ]
    )
    d = Disruptions(absent={"a": frozenset({date(2017, 11, 16)})})
    unreported = [_stop("a", "2017-11-13", "s9", "08:00")]
    changes = schedule_changes(announced, new, unreported=unreported, disruptions=d)
    by_site = {c["site_id"]: c for c in changes}
    assert set(by_site) == {"s2", "s3", "s4", "s9"}
    assert by_site["s2"]["status"] == "time_changed"
    assert (by_site["s3"]["status"], by_site["s3"]["new_team"]) == ("moved", "b")
    assert by_site["s3"]["reason"] == "tim a berhalangan"
    assert by_site["s4"]["status"] == "cancelled" and by_site["s4"]["new_date"] == ""
    assert by_site["s9"]["status"] == "unreported"
    assert change_counts(changes, len(announced)) == {
        "announced": 4, "kept": 2, "time_changed": 1, "moved": 1, "cancelled": 1,
        "unreported": 1,
    }  # fmt: skip


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=400))
def test_any_bytes_as_jadwal_xlsx_give_a_planner_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "jadwal.xlsx"
        path.write_bytes(data)
        with pytest.raises(PlannerError):
            read_jadwal_terekam(path, MONDAY, WEDNESDAY)


def test_superscript_and_arabic_digits_are_not_a_count(tmp_path: Path) -> None:
    # str.isdigit() accepts "²" and "٣", which int() refuses: one ERROR line, no crash
    path = tmp_path / "selesai.csv"
    path.write_text("team_id,date,kode_desa,recorded\na,2017-11-13,36.01,²\n", encoding="utf-8")
    with pytest.raises(InputError, match="whole number"):
        read_field_reports([path], MONDAY, WEDNESDAY)
