"""Announcements residents can keep: quarter hours, breaks, partial visits, number formats.

The pages and PDFs themselves are checked in ``test_reports.py`` (they share its plan).
"""

from __future__ import annotations

from datetime import date

import pytest

from planner.present.announce import (
    VillageTotals,
    break_inside,
    format_number,
    open_hours,
    people_text,
)
from planner.present.reports.desa import DesaVisit, announcement_rows


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ("08:22", "11:40", ("08.30", "11.30")),
        ("08:30", "12:45", ("08.30", "12.45")),
        ("07:59", "16:01", ("08.00", "16.00")),
        ("09:05", "09:20", ("09.00", "09.15")),  # too short to round inwards
        ("13:37", "14:47", ("13.45", "14.45")),
    ],
)
def test_hours_are_rounded_inwards_to_the_quarter(
    start: str, end: str, shown: tuple[str, str]
) -> None:
    assert open_hours(start, end) == shown


def test_break_is_shown_only_inside_the_visit() -> None:
    assert break_inside("12:00-13:00", "08:30", "15:20") == "12.00–13.00"
    assert break_inside("11:30-13:00", "08:13", "11:45") == "11.30–13.00"
    # a floating break is announced on quarter hours, rounded outwards: no one comes to a
    # team still at lunch
    assert break_inside("12:28-13:28", "08:27", "15:38") == "12.15–13.30"
    assert break_inside("12:04-13:04", "08:27", "15:38") == "12.00–13.15"
    assert break_inside("12:50-13:50", "08:24", "12:50") is None
    assert break_inside("", "08:24", "12:50") is None


def test_partial_visits_say_the_rest_comes_later() -> None:
    whole = VillageTotals(expected=38, planned=38)
    assert people_text(38, whole, 0) == "± 38 orang"
    part = VillageTotals(expected=120, planned=50)
    rest = "± 50 orang pada kunjungan ini; sisanya dijadwalkan kemudian"
    assert people_text(50, part, 0) == rest
    split = VillageTotals(expected=75, planned=75)
    assert people_text(18, split, 57).endswith("sisanya dijadwalkan kemudian")
    assert (
        people_text(9, split, 0) == "± 9 orang pada kunjungan ini (lanjutan kunjungan sebelumnya)"
    )


def test_indonesian_number_format() -> None:
    assert format_number(7549281) == "7.549.281"
    assert format_number(1607.1, 1) == "1.607,1"
    assert format_number(0.5, 1) == "0,5"


def test_announcement_rows_of_a_partial_week_with_a_friday() -> None:
    """A village visited Thursday and Friday that the week does not finish: each row gives
    quarter hours, the day's own break (Friday's is longer) and says the rest comes later."""

    def visit(day: int, start: str, end: str, rest: str, n: int) -> DesaVisit:
        return DesaVisit(
            date(2017, 11, day), start, end, "Tim A", "Balai Desa X", 106.0, -6.0, n, rest
        )

    visits = [
        visit(16, "08:27", "15:38", "12:28-13:28", 53),
        visit(17, "08:13", "16:02", "11:30-13:00", 50),
    ]
    rows, places = announcement_rows(visits, "WIB", VillageTotals(expected=160, planned=103))
    assert places == ["Balai Desa X"]
    assert [r.hours for r in rows] == ["Pukul 08.30–15.30 WIB", "Pukul 08.15–16.00 WIB"]
    assert [r.rest for r in rows] == ["istirahat 12.15–13.30", "istirahat 11.30–13.00"]
    later = "pada kunjungan ini; sisanya dijadwalkan kemudian"
    assert rows[0].people == f"± 53 orang {later}" and rows[1].people == f"± 50 orang {later}"
    assert rows[0].day.startswith("Kamis") and rows[1].day.startswith("Jumat")
