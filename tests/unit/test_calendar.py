"""Working calendar: holidays, cuti bersama, Ramadan hours, breaks, formatting."""

from __future__ import annotations

from datetime import date

import pytest

from planner.core.errors import ConfigError
from planner.domain.config import CalendarConfig, calendar_from_dict
from planner.domain.workdays import (
    format_minutes,
    format_tanggal,
    holidays_between,
    nama_bulan,
    nama_hari,
    non_working_days,
    ramadan_periods,
    week_start,
    working_days,
)


def test_christmas_2017_and_cuti_bersama_excluded() -> None:
    days = working_days(date(2017, 12, 25), date(2017, 12, 29))
    assert [d.date for d in days] == [date(2017, 12, 27), date(2017, 12, 28), date(2017, 12, 29)]
    off = dict(non_working_days(date(2017, 12, 25), n_days=7))
    assert off[date(2017, 12, 25)] == "Libur nasional: Hari Raya Natal"
    assert off[date(2017, 12, 26)] == "Cuti bersama: Hari Raya Natal"
    assert off[date(2017, 12, 30)] == "Sabtu"
    assert off[date(2017, 12, 31)] == "Minggu"


def test_ordinary_week_november_2017() -> None:
    monday = date(2017, 11, 13)
    days = working_days(monday, n_days=7)
    assert [d.weekday for d in days] == ["Senin", "Selasa", "Rabu", "Kamis", "Jumat"]
    assert sum(d.working_minutes for d in days) == 37.5 * 60  # Perpres 21/2023
    assert all(not d.is_ramadan and d.note == "" for d in days)
    assert days[0].timezone == "Asia/Jakarta"
    assert days[0].at(days[0].shift_start).isoformat() == "2017-11-13T07:30:00+07:00"


def test_friday_has_longer_break_around_prayer() -> None:
    days = {d.weekday: d for d in working_days(date(2017, 11, 13), n_days=5)}
    monday, friday = days["Senin"], days["Jumat"]
    assert (monday.shift_start, monday.shift_end, monday.break_minutes) == (450, 960, 60)
    assert (friday.shift_start, friday.shift_end, friday.break_minutes) == (450, 990, 90)
    assert friday.break_minutes > monday.break_minutes
    assert friday.break_earliest == friday.break_latest == 11 * 60 + 30
    assert monday.break_earliest == 12 * 60 and monday.break_latest == 13 * 60


def test_idul_fitri_2018_week_has_cuti_bersama_and_no_working_day() -> None:
    off = dict(non_working_days(date(2018, 6, 11), n_days=7))
    assert all(
        off[date(2018, 6, d)] == "Cuti bersama: Hari Raya Idul Fitri" for d in (11, 12, 13, 14)
    )
    assert off[date(2018, 6, 15)] == "Libur nasional: Hari Raya Idul Fitri"
    # the whole week is holidays: zero working days (the caller turns that into an error)
    assert working_days(date(2018, 6, 11), n_days=7) == []
    # the following week still has three days of cuti bersama
    assert [d.date.day for d in working_days(date(2018, 6, 18), n_days=7)] == [21, 22]


def test_ramadan_2018_has_shorter_hours() -> None:
    days = working_days(date(2018, 5, 14), date(2018, 6, 22))
    ramadan = [d for d in days if d.is_ramadan]
    normal = [d for d in days if not d.is_ramadan]
    assert ramadan[0].date == date(2018, 5, 16)  # Umm al-Qura; Kemenag said 17 May
    assert ramadan[-1].date <= date(2018, 6, 14)
    assert all(date(2018, 5, 16) <= d.date <= date(2018, 6, 14) for d in ramadan)
    assert all(d.shift_start == 8 * 60 and d.note == "Jam kerja Ramadan" for d in ramadan)
    assert all(r.working_minutes < 7.5 * 60 for r in ramadan)
    assert {d.working_minutes for d in normal} == {450}
    fridays = [d for d in ramadan if d.weekday == "Jumat"]
    assert fridays and all((d.shift_end, d.break_minutes) == (930, 60) for d in fridays)
    # a full Ramadan week (Mon 21 May 2018) is 32.5 h net (Perpres 21/2023)
    week = [d for d in ramadan if date(2018, 5, 21) <= d.date <= date(2018, 5, 25)]
    assert sum(d.working_minutes for d in week) == 32.5 * 60


def test_ramadan_periods_follow_official_idul_fitri() -> None:
    periods = dict(ramadan_periods(date(2019, 1, 1), date(2019, 12, 31)))
    assert periods[date(2019, 5, 6)] == date(2019, 6, 4)  # Idul Fitri 5 June 2019


def test_configured_ramadan_period_replaces_computed_one() -> None:
    cal = calendar_from_dict(
        {"ramadan_periods": [{"start": date(2018, 5, 17), "end": date(2018, 6, 14)}]}
    )
    assert ramadan_periods(date(2018, 1, 1), date(2018, 12, 31), cal) == [
        (date(2018, 5, 17), date(2018, 6, 14))
    ]
    wednesday = working_days(date(2018, 5, 16), n_days=1, calendar=cal)[0]
    assert not wednesday.is_ramadan
    no_ramadan = calendar_from_dict({"ramadan_hours": False})
    assert not any(d.is_ramadan for d in working_days(date(2018, 5, 21), calendar=no_ramadan))


def test_saturday_only_for_teams_that_work_it() -> None:
    week = date(2017, 11, 13)
    assert len(working_days(week, calendar=CalendarConfig())) == 5
    days = working_days(week, weekdays_allowed=["mon", "tue", "wed", "thu", "fri", "sabtu"])
    saturday = days[-1]
    assert saturday.weekday == "Sabtu"
    assert (saturday.shift_start, saturday.shift_end, saturday.break_minutes) == (450, 720, 0)
    assert saturday.break_earliest is None and saturday.break_latest is None
    off = dict(non_working_days(week, weekdays_allowed=["senin", "rabu"]))
    assert off[date(2017, 11, 14)] == "Selasa: tim tidak bekerja"


def test_extra_working_and_non_working_dates() -> None:
    cal = calendar_from_dict(
        {
            "extra_non_working": [
                date(2017, 11, 14),
                {"date": date(2017, 11, 15), "note": "Rapat koordinasi"},
            ],
            "extra_working": [
                {"date": date(2017, 12, 26), "note": "Pelayanan saat cuti bersama"},
                date(2017, 12, 31),
            ],
        }
    )
    off = dict(non_working_days(date(2017, 11, 13), n_days=5, calendar=cal))
    assert off == {
        date(2017, 11, 14): "Libur tambahan",
        date(2017, 11, 15): "Libur tambahan: Rapat koordinasi",
    }
    days = {d.date: d for d in working_days(date(2017, 12, 25), n_days=7, calendar=cal)}
    assert days[date(2017, 12, 26)].note == "Hari kerja tambahan: Pelayanan saat cuti bersama"
    sunday = days[date(2017, 12, 31)]  # no Sunday shift: Saturday hours
    assert (sunday.weekday, sunday.shift_start, sunday.shift_end) == ("Minggu", 450, 720)


def test_switching_off_cuti_bersama() -> None:
    cal = calendar_from_dict({"cuti_bersama": False})
    days = [d.date for d in working_days(date(2017, 12, 25), n_days=5, calendar=cal)]
    assert date(2017, 12, 26) in days and date(2017, 12, 25) not in days


def test_holidays_cover_2017_to_2026() -> None:
    found = holidays_between(date(2017, 1, 1), date(2026, 12, 31))
    for year in range(2017, 2027):
        reasons = [r for d, rs in found.items() if d.year == year for r in rs]
        assert any(r.startswith("Libur nasional: Hari Raya Idul Fitri") for r in reasons), year
        assert any(r.startswith("Cuti bersama:") for r in reasons), year


def test_bad_arguments_raise_config_error() -> None:
    with pytest.raises(ConfigError, match="before start"):
        working_days(date(2017, 11, 13), date(2017, 11, 1))
    with pytest.raises(ConfigError, match="not both"):
        working_days(date(2017, 11, 13), date(2017, 11, 14), n_days=2)
    with pytest.raises(ConfigError, match="at least 1"):
        working_days(date(2017, 11, 13), n_days=0)
    with pytest.raises(ConfigError, match="unknown weekday"):
        working_days(date(2017, 11, 13), weekdays_allowed=["fryday"])
    with pytest.raises(ConfigError, match="time zone"):
        working_days(date(2017, 11, 13), timezone="Asia/Nowhere")


def test_week_start_and_formatting() -> None:
    assert week_start(date(2017, 11, 17)) == date(2017, 11, 13)
    assert week_start(date(2017, 11, 13)) == date(2017, 11, 13)
    assert week_start(date(2017, 11, 19)) == date(2017, 11, 13)
    assert format_minutes(450) == "07:30" and format_minutes(990) == "16:30"
    assert format_tanggal(date(2017, 11, 13)) == "Senin, 13 November 2017"
    assert format_tanggal(date(2018, 6, 15), with_weekday=False) == "15 Juni 2018"
    assert nama_hari(4) == "Jumat" and nama_hari(date(2017, 11, 19)) == "Minggu"
    assert nama_bulan(1) == "Januari" and nama_bulan(12) == "Desember"
