"""Working calendar: which days a team works, and its hours on each day.

Long module: the day rules (weekdays, holidays and cuti bersama, Ramadan hours, dated
exceptions) decide together whether and how long a team works; read apart they hide their order.

Days off come from four places, checked in this order:

1. ``extra_working`` dates of the :class:`~planner.domain.config.CalendarConfig` are always worked
   (they override everything below);
2. ``extra_non_working`` dates (regional holidays, meetings);
3. weekdays the team does not work (Sunday always; Saturday unless the team works it);
4. national public holidays and cuti bersama from the ``holidays`` package:
   ``country_holidays("ID", categories=("public", "government"), language="id")``; the
   "government" category holds the cuti bersama (joint leave) days, e.g. 26 Dec 2017.

Ramadan (Hijri month 9, from ``hijridate``, Umm al-Qura) switches a day to the shorter
Ramadan shift of Perpres 21/2023. Times are minutes after local midnight in the region's
time zone (WIB ``Asia/Jakarta`` for Banten and Jambi).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from hijridate import Gregorian, Hijri

from planner.core.errors import ConfigError
from planner.domain.config import (
    CalendarConfig,
    DateRange,
    ShiftSpec,
    format_clock,
    parse_weekday,
)

__all__ = [
    "BULAN",
    "HARI",
    "WorkDay",
    "format_minutes",
    "format_tanggal",
    "holidays_between",
    "nama_bulan",
    "nama_hari",
    "non_working_days",
    "ramadan_periods",
    "week_start",
    "working_days",
]

#: Indonesian day names, index = ``date.weekday()`` (0 = Senin).
HARI: tuple[str, ...] = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
#: Indonesian month names, index = month − 1.
BULAN: tuple[str, ...] = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

_DEFAULT_WEEKDAYS = (0, 1, 2, 3, 4)  # Perpres 21/2023: Monday-Friday


@dataclass(frozen=True)
class WorkDay:
    """One working day of a team, times in minutes after local midnight.

    Attributes
    ----------
    date
        The calendar date.
    weekday
        Indonesian day name, ``"Senin"`` … ``"Sabtu"``.
    shift_start, shift_end
        Start and end of the shift.
    break_earliest, break_latest
        Earliest and latest start of the break; ``None`` when there is no break.
    break_minutes
        Length of the break (0 for none).
    is_ramadan
        True when the Ramadan shift applies.
    note
        Why the day is special, in Bahasa Indonesia (empty for an ordinary day).
    timezone
        IANA time zone of the clock times, e.g. ``"Asia/Jakarta"``.
    """

    date: date
    weekday: str
    shift_start: int
    shift_end: int
    break_earliest: int | None
    break_latest: int | None
    break_minutes: int
    is_ramadan: bool = False
    note: str = ""
    timezone: str = "Asia/Jakarta"

    @property
    def working_minutes(self) -> int:
        """Minutes of work: shift length minus the break."""
        return self.shift_end - self.shift_start - self.break_minutes

    @property
    def shift_label(self) -> str:
        """The shift as text, e.g. ``"07:30–16:00"``."""
        return f"{format_minutes(self.shift_start)}–{format_minutes(self.shift_end)}"

    def at(self, minutes: int) -> datetime:
        """Time-zone-aware datetime of ``minutes`` after local midnight of this day."""
        midnight = datetime(self.date.year, self.date.month, self.date.day)
        return (midnight + timedelta(minutes=minutes)).replace(tzinfo=ZoneInfo(self.timezone))


# --------------------------------------------------------------------------- formatting


def format_minutes(minutes: int) -> str:
    """Minutes after midnight as ``HH:MM`` (``450`` → ``"07:30"``)."""
    return format_clock(minutes)


def nama_hari(day: date | int) -> str:
    """Indonesian name of a date's weekday, or of weekday index 0–6 (``"Senin"``)."""
    return HARI[day if isinstance(day, int) else day.weekday()]


def nama_bulan(month: int) -> str:
    """Indonesian month name of month 1–12 (``11`` → ``"November"``)."""
    return BULAN[month - 1]


def format_tanggal(day: date, *, with_weekday: bool = True) -> str:
    """A date in Indonesian, e.g. ``"Senin, 13 November 2017"``.

    Examples
    --------
    >>> format_tanggal(date(2017, 11, 13))
    'Senin, 13 November 2017'
    >>> format_tanggal(date(2017, 11, 13), with_weekday=False)
    '13 November 2017'
    """
    text = f"{day.day} {nama_bulan(day.month)} {day.year}"
    return f"{nama_hari(day)}, {text}" if with_weekday else text


def week_start(day: date) -> date:
    """The Monday of the week of ``day``."""
    return day - timedelta(days=day.weekday())


# --------------------------------------------------------------------------- sources


@lru_cache(maxsize=64)
def _holidays_for(years: tuple[int, ...]) -> dict[date, tuple[tuple[str, str], ...]]:
    """Per date, (kind, name) with kind ``public`` or ``government`` (cuti bersama)."""
    out: dict[date, list[tuple[str, str]]] = {}
    for category in ("public", "government"):
        table = holidays.country_holidays(
            "ID", years=list(years), categories=(category,), language="id"
        )
        for day in sorted(table):
            for name in table.get_list(day):
                out.setdefault(day, []).append((category, str(name)))
    return {day: tuple(names) for day, names in out.items()}


def _holiday_reason(kind: str, name: str) -> str:
    if kind == "government" or re.search(r"(?i)cuti bersama", name):
        clean = re.sub(r"(?i)\bcuti bersama\s*", "", name).strip()
        clean = clean.replace("Pegangti", "Pengganti")  # spelling in holidays 0.109 (2020)
        return f"Cuti bersama: {clean or name}"
    return f"Libur nasional: {name}"


def holidays_between(
    start: date, end: date, calendar: CalendarConfig | None = None
) -> dict[date, list[str]]:
    """National holidays and cuti bersama from ``start`` to ``end`` (inclusive).

    Parameters
    ----------
    start, end
        Inclusive date range.
    calendar
        Its ``public_holidays`` / ``cuti_bersama`` switches say which are included.

    Returns
    -------
    dict
        Date → reasons in Bahasa Indonesia, e.g. ``["Cuti bersama: Hari Raya Natal"]``.
    """
    cal = calendar or CalendarConfig()
    wanted = {"public": cal.public_holidays, "government": cal.cuti_bersama}
    years = tuple(range(start.year, end.year + 1))
    out: dict[date, list[str]] = {}
    for day, names in _holidays_for(years).items():
        if start <= day <= end:
            reasons = [_holiday_reason(kind, name) for kind, name in names if wanted[kind]]
            if reasons:
                out[day] = reasons
    return out


@lru_cache(maxsize=64)
def _hijri_ramadans(first_year: int, last_year: int) -> tuple[tuple[date, date], ...]:
    try:
        h_first = Gregorian(first_year, 1, 1).to_hijri().year
        h_last = Gregorian(last_year, 12, 31).to_hijri().year
        periods = []
        for h_year in range(h_first, h_last + 1):
            first = Hijri(h_year, 9, 1)
            start = first.to_gregorian()
            begin = date(start.year, start.month, start.day)
            periods.append((begin, begin + timedelta(days=first.month_length() - 1)))
    except (OverflowError, ValueError) as exc:
        raise ConfigError(
            f"Ramadan dates for {first_year}–{last_year} are outside what hijridate knows "
            f"({exc}); set calendar.ramadan_from_hijri = false and list calendar.ramadan_periods"
        ) from None
    return tuple(periods)


def _official_ramadan_end(last: date) -> date:
    """Move an Umm al-Qura Ramadan end to the eve of Indonesia's official Idul Fitri.

    The ``holidays`` package carries the government's Idul Fitri (2019: 5 June, while Umm
    al-Qura ends Ramadan on 3 June); a holiday named exactly "Hari Raya Idul Fitri" within
    two days before to three days after the computed end wins.
    """
    years = tuple(sorted({(last - timedelta(days=2)).year, (last + timedelta(days=4)).year}))
    for day, names in _holidays_for(years).items():
        if -1 <= (day - last).days <= 4 and any(
            part.strip() == "Hari Raya Idul Fitri"
            for kind, name in names
            if kind == "public"
            for part in name.split(";")
        ):
            return day - timedelta(days=1)
    return last


def ramadan_periods(
    start: date, end: date, calendar: CalendarConfig | None = None
) -> list[tuple[date, date]]:
    """Ramadan periods (inclusive first and last day) that touch ``start``..``end``.

    Computed with ``hijridate`` (Umm al-Qura) unless ``calendar.ramadan_from_hijri`` is false;
    the last day is moved to the eve of the official Idul Fitri when the ``holidays`` package
    has it. The first day can still be a day earlier than Indonesia's sidang isbat (2018:
    16 May, Kemenag 17 May). Each period in ``calendar.ramadan_periods`` replaces the
    computed one it overlaps.
    """
    cal = calendar or CalendarConfig()
    given: list[DateRange] = list(cal.ramadan_periods)
    periods: list[tuple[date, date]] = [(r.start, r.end) for r in given]
    if cal.ramadan_from_hijri:
        for first, last in _hijri_ramadans(start.year - 1, end.year + 1):
            if not any(first <= r.end and r.start <= last for r in given):
                periods.append((first, _official_ramadan_end(last)))
    return sorted(p for p in periods if p[0] <= end and start <= p[1])


# --------------------------------------------------------------------------- working days


def _date_range(start: date, end: date | None, n_days: int | None) -> tuple[date, date]:
    if end is not None and n_days is not None:
        raise ConfigError("give either an end date or a number of days, not both")
    if n_days is not None:
        if n_days < 1:
            raise ConfigError(f"number of days must be at least 1 (got {n_days})")
        end = start + timedelta(days=n_days - 1)
    elif end is None:
        end = start + timedelta(days=6)
    if end < start:
        raise ConfigError(f"end date {end} is before start date {start}")
    return start, end


def _allowed(weekdays_allowed: Iterable[str | int] | None) -> frozenset[int]:
    if weekdays_allowed is None:
        return frozenset(_DEFAULT_WEEKDAYS)
    if isinstance(weekdays_allowed, str):
        weekdays_allowed = [weekdays_allowed]
    days = set()
    problems = []
    for value in weekdays_allowed:
        try:
            days.add(parse_weekday(value))
        except ValueError as exc:
            problems.append(f"weekdays_allowed: {exc}")
    if problems:
        raise ConfigError(problems)
    return frozenset(days)


def _check_timezone(timezone: str) -> None:
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"unknown time zone {timezone!r}; use an IANA name such as Asia/Jakarta (WIB), "
            "Asia/Makassar (WITA) or Asia/Jayapura (WIT)"
        ) from None


def _classify(
    start: date,
    end: date | None,
    calendar: CalendarConfig | None,
    weekdays_allowed: Iterable[str | int] | None,
    timezone: str,
    n_days: int | None,
) -> list[tuple[date, WorkDay | None, str]]:
    """Each date of the range with its WorkDay, or None and the reason it is off."""
    cal = calendar or CalendarConfig()
    first, last = _date_range(start, end, n_days)
    allowed = _allowed(weekdays_allowed)
    _check_timezone(timezone)
    extra_on = {d.date: d.note for d in cal.extra_working}
    extra_off = {d.date: d.note for d in cal.extra_non_working}
    holiday_reasons = holidays_between(first, last, cal)
    ramadans = ramadan_periods(first, last, cal) if cal.ramadan_hours else []

    out: list[tuple[date, WorkDay | None, str]] = []
    day = first
    while day <= last:
        weekday = day.weekday()
        reasons: list[str] = []
        note = ""
        if day in extra_on:
            note = "Hari kerja tambahan" + (f": {extra_on[day]}" if extra_on[day] else "")
        else:
            if day in extra_off:
                reasons.append("Libur tambahan" + (f": {extra_off[day]}" if extra_off[day] else ""))
            if weekday == 6:
                reasons.insert(0, "Minggu")
            elif weekday not in allowed:
                reasons.insert(
                    0, "Sabtu" if weekday == 5 else f"{HARI[weekday]}: tim tidak bekerja"
                )
            reasons.extend(holiday_reasons.get(day, []))
        if reasons:
            out.append((day, None, "; ".join(reasons)))
            day += timedelta(days=1)
            continue
        in_ramadan = any(a <= day <= b for a, b in ramadans)
        shifts = cal.ramadan_shifts if in_ramadan else cal.shifts
        spec: ShiftSpec | None = shifts.for_weekday(weekday)
        if spec is None and note:  # an extra working day on a day without a shift
            spec = shifts.sabtu or shifts.senin
        if spec is None:
            out.append((day, None, f"{HARI[weekday]}: tidak ada jam kerja di kalender"))
            day += timedelta(days=1)
            continue
        if in_ramadan:
            note = "; ".join(n for n in (note, "Jam kerja Ramadan") if n)
        has_break = spec.break_minutes > 0
        work = WorkDay(
            date=day,
            weekday=HARI[weekday],
            shift_start=spec.start,
            shift_end=spec.end,
            break_earliest=spec.break_earliest if has_break else None,
            break_latest=spec.break_latest if has_break else None,
            break_minutes=spec.break_minutes,
            is_ramadan=in_ramadan,
            note=note,
            timezone=timezone,
        )
        out.append((day, work, ""))
        day += timedelta(days=1)
    return out


def working_days(
    start: date,
    end: date | None = None,
    calendar: CalendarConfig | None = None,
    weekdays_allowed: Iterable[str | int] | None = None,
    timezone: str = "Asia/Jakarta",
    *,
    n_days: int | None = None,
) -> list[WorkDay]:
    """The working days of a team between two dates, with their hours.

    Parameters
    ----------
    start
        First date, e.g. ``week_start(some_day)``.
    end
        Last date, inclusive. Give ``end`` or ``n_days``; with neither, one week (7 days).
    calendar
        Shifts, Ramadan hours and overrides; ``None`` for the defaults.
    weekdays_allowed
        Weekdays the team works: names (``"senin"``, ``"sat"``) or indexes 0–6, e.g. a
        team's ``working_days``. ``None`` means Monday–Friday.
    timezone
        IANA time zone of the clock times (the region's ``timezone``).
    n_days
        Number of days from ``start``, instead of ``end``.

    Returns
    -------
    list of WorkDay
        In date order; may be empty (a week of holidays): the caller decides if that is an
        error.

    Raises
    ------
    ConfigError
        For a bad range, weekday name or time zone.

    Examples
    --------
    >>> days = working_days(date(2017, 12, 25), n_days=7)
    >>> [d.date.day for d in days]  # 25 Natal, 26 cuti bersama
    [27, 28, 29]
    """
    return [
        work
        for _, work, _ in _classify(start, end, calendar, weekdays_allowed, timezone, n_days)
        if work is not None
    ]


def non_working_days(
    start: date,
    end: date | None = None,
    calendar: CalendarConfig | None = None,
    weekdays_allowed: Iterable[str | int] | None = None,
    timezone: str = "Asia/Jakarta",
    *,
    n_days: int | None = None,
) -> list[tuple[date, str]]:
    """The days off between two dates, each with its reason in Bahasa Indonesia.

    Parameters are those of :func:`working_days`.

    Returns
    -------
    list of (date, str)
        E.g. ``(date(2017, 12, 25), "Libur nasional: Hari Raya Natal")``,
        ``(date(2017, 12, 26), "Cuti bersama: Hari Raya Natal")``, ``(…, "Minggu")``;
        several reasons are joined by ``"; "``.
    """
    return [
        (day, reason)
        for day, work, reason in _classify(start, end, calendar, weekdays_allowed, timezone, n_days)
        if work is None
    ]
