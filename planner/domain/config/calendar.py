"""The working calendar of ``policy.toml`` (``[calendar]``): shifts, breaks, Ramadan, holidays.

:class:`CalendarConfig` holds the normal shifts per weekday (:class:`WeekShifts`, defaults in
:data:`NORMAL_SHIFTS`), the Ramadan shifts (:class:`RamadanShifts`, :data:`RAMADAN_SHIFTS`),
Ramadan periods (:class:`DateRange`) and extra days off or on (:class:`DatedNote`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from planner.domain.config.fields import WEEKDAYS, Clock, Day, _Model, _weekday_name, format_clock


class ShiftSpec(_Model):
    """Working hours of one weekday: shift start/end and a break that floats in a window."""

    start: Clock
    """Start of the shift, ``"HH:MM"`` local time."""
    end: Clock
    """End of the shift, after ``start``."""
    break_minutes: Annotated[int, Field(ge=0, le=240)] = 0
    """Length of the break (ishoma: rest, prayer, meal); 0 for none."""
    break_earliest: Clock | None = None
    """Earliest start of the break (needed if ``break_minutes`` > 0)."""
    break_latest: Clock | None = None
    """Latest start of the break; the break must end by ``end``."""

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: int, info: ValidationInfo) -> int:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError(
                f"shift end {format_clock(end)} must be after its start {format_clock(start)}"
            )
        return end

    @field_validator("break_minutes")
    @classmethod
    def _break_fits(cls, minutes: int, info: ValidationInfo) -> int:
        start, end = info.data.get("start"), info.data.get("end")
        if start is not None and end is not None and minutes >= end - start:
            raise ValueError(
                f"a {minutes}-minute break does not fit in the shift "
                f"{format_clock(start)}–{format_clock(end)}"
            )
        return minutes

    @field_validator("break_earliest")
    @classmethod
    def _earliest_in_shift(cls, value: int | None, info: ValidationInfo) -> int | None:
        start = info.data.get("start")
        if value is not None and start is not None and value < start:
            raise ValueError(
                f"break cannot start ({format_clock(value)}) before the shift "
                f"({format_clock(start)})"
            )
        return value

    @field_validator("break_latest")
    @classmethod
    def _latest_in_shift(cls, value: int | None, info: ValidationInfo) -> int | None:
        earliest = info.data.get("break_earliest")
        end = info.data.get("end")
        minutes = info.data.get("break_minutes", 0)
        if value is None:
            return value
        if earliest is not None and value < earliest:
            raise ValueError(
                f"latest break start {format_clock(value)} is before the earliest "
                f"{format_clock(earliest)}"
            )
        if end is not None and minutes and value + minutes > end:
            raise ValueError(
                f"a {minutes}-minute break starting at {format_clock(value)} ends after the "
                f"shift ({format_clock(end)})"
            )
        return value

    @model_validator(mode="after")
    def _window_given(self) -> ShiftSpec:
        if self.break_minutes and (self.break_earliest is None or self.break_latest is None):
            raise ValueError(
                "break_earliest and break_latest are needed when break_minutes is above 0"
            )
        return self

    @property
    def working_minutes(self) -> int:
        """Minutes of work: shift length minus the break."""
        return self.end - self.start - self.break_minutes


_DAY_FIELDS = WEEKDAYS


def _merge_day_tables(data: Any, defaults: Mapping[str, Mapping[str, Any] | None]) -> Any:
    """Rename weekday aliases and lay each day's table over that day's default."""
    if not isinstance(data, dict):
        return data
    out: dict[Any, Any] = {}
    for key, value in data.items():
        try:
            name = _weekday_name(key)
        except ValueError:
            name = key  # left for "unknown key"
        out[name] = value
    for day, default in defaults.items():
        if default is None:
            continue
        value = out.get(day)
        if day not in out:
            out[day] = dict(default)
        elif isinstance(value, dict):
            out[day] = {**default, **value}
    order = {day: i for i, day in enumerate(WEEKDAYS)}
    return dict(sorted(out.items(), key=lambda kv: order.get(kv[0], len(order))))


def _shift(
    start: str, end: str, brk: int = 0, earliest: str | None = None, latest: str | None = None
) -> dict[str, Any]:
    return {
        "start": start,
        "end": end,
        "break_minutes": brk,
        "break_earliest": earliest,
        "break_latest": latest,
    }


#: Perpres 21/2023 Art. 4: 37.5 h/week net, Mon–Fri, start 07:30; break 60 min Mon–Thu and
#: 90 min on Friday (recording_operations.csv, working_hours). 07:30–16:00 − 60 = 7.5 h on
#: Mon–Thu, 07:30–16:30 − 90 = 7.5 h on Friday: 5 × 7.5 = 37.5 h. Break windows are an
#: assumption: Mon–Thu the hour starts between 12:00 and 13:00 (ishoma); Friday it is fixed at
#: 11:30–13:00 around Friday prayer. Saturday 07:30–12:00 without a break is a project
#: assumption (Perpres 21/2023 has no Saturday), used only for teams that work Saturdays.
NORMAL_SHIFTS: dict[str, dict[str, Any] | None] = {
    "senin": _shift("07:30", "16:00", 60, "12:00", "13:00"),
    "selasa": _shift("07:30", "16:00", 60, "12:00", "13:00"),
    "rabu": _shift("07:30", "16:00", 60, "12:00", "13:00"),
    "kamis": _shift("07:30", "16:00", 60, "12:00", "13:00"),
    "jumat": _shift("07:30", "16:30", 90, "11:30", "11:30"),
    "sabtu": _shift("07:30", "12:00"),
    "minggu": None,
}

#: Perpres 21/2023 for Ramadan: 32.5 h/week net, start 08:00, breaks 30 min (Friday 60 min)
#: (recording_operations.csv). The end times are derived, not in the source: 32.5 h / 5 days
#: = 6.5 h net a day, so Mon–Thu 08:00–15:00 − 30 min and Friday 08:00–15:30 − 60 min
#: (the pattern of MenPANRB's Ramadan circulars, quoted from memory, not from popdata).
#: Break windows: Mon–Thu the break starts 12:00–12:30, Friday it is 11:30–12:30.
#: Saturday 08:00–12:00 without a break: project assumption.
RAMADAN_SHIFTS: dict[str, dict[str, Any] | None] = {
    "senin": _shift("08:00", "15:00", 30, "12:00", "12:30"),
    "selasa": _shift("08:00", "15:00", 30, "12:00", "12:30"),
    "rabu": _shift("08:00", "15:00", 30, "12:00", "12:30"),
    "kamis": _shift("08:00", "15:00", 30, "12:00", "12:30"),
    "jumat": _shift("08:00", "15:30", 60, "11:30", "11:30"),
    "sabtu": _shift("08:00", "12:00"),
    "minggu": None,
}


class WeekShifts(_Model):
    """Shift per weekday (keys ``senin``..``minggu`` or ``mon``..``sun``).

    A table given for a day is laid over that day's default, so ``[calendar.shifts.jumat]
    break_minutes = 60`` keeps Friday's other defaults. ``minggu`` has no shift by default.
    """

    senin: ShiftSpec
    selasa: ShiftSpec
    rabu: ShiftSpec
    kamis: ShiftSpec
    jumat: ShiftSpec
    sabtu: ShiftSpec | None = None
    minggu: ShiftSpec | None = None

    @model_validator(mode="before")
    @classmethod
    def _merge_defaults(cls, data: Any) -> Any:
        return _merge_day_tables(data, NORMAL_SHIFTS)

    def for_weekday(self, weekday: int) -> ShiftSpec | None:
        """The shift of weekday 0 (Monday) … 6 (Sunday), or None if there is none."""
        spec: ShiftSpec | None = getattr(self, WEEKDAYS[weekday])
        return spec


class RamadanShifts(WeekShifts):
    """Shift per weekday during Ramadan; defaults from Perpres 21/2023 (see RAMADAN_SHIFTS)."""

    @model_validator(mode="before")
    @classmethod
    def _merge_defaults(cls, data: Any) -> Any:
        return _merge_day_tables(data, RAMADAN_SHIFTS)


class DatedNote(_Model):
    """A date with an optional note; a bare date is accepted in its place."""

    date: Day
    note: Annotated[str, Field(max_length=200)] = ""

    @model_validator(mode="before")
    @classmethod
    def _bare_date(cls, data: Any) -> Any:
        if isinstance(data, date | str) and not isinstance(data, datetime):
            return {"date": data}
        return data


class DateRange(_Model):
    """An inclusive range of dates, e.g. one Ramadan as announced by Kemenag."""

    start: Day
    end: Day
    note: Annotated[str, Field(max_length=200)] = ""

    @field_validator("end")
    @classmethod
    def _end_not_before_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError(f"end {end} is before start {start}")
        return end


class CalendarConfig(_Model):
    """Working calendar: shifts, breaks, Ramadan hours, holidays and overrides."""

    shifts: WeekShifts = Field(default_factory=lambda: WeekShifts.model_validate({}))
    """Normal shifts per weekday (Perpres 21/2023, see ``NORMAL_SHIFTS``)."""
    ramadan_hours: bool = True
    """Use the shorter Ramadan shifts during Ramadan (Perpres 21/2023)."""
    ramadan_shifts: RamadanShifts = Field(default_factory=lambda: RamadanShifts.model_validate({}))
    """Shifts per weekday during Ramadan (see ``RAMADAN_SHIFTS``)."""
    ramadan_from_hijri: bool = True
    """Find Ramadan (Hijri month 9) with ``hijridate`` (Umm al-Qura calendar). Indonesia's
    sidang isbat may start a day later (2018: 17 May, Umm al-Qura 16 May)."""
    ramadan_periods: list[DateRange] = Field(default_factory=list)
    """Ramadan periods as announced; each replaces the computed Ramadan it overlaps."""
    public_holidays: bool = True
    """Skip national public holidays (``holidays`` package, category "public")."""
    cuti_bersama: bool = True
    """Skip cuti bersama (joint leave days, category "government"): ASN are off on these
    days by SKB of the ministers, so mobile teams are not planned either."""
    extra_non_working: list[DatedNote] = Field(default_factory=list)
    """More days off (regional holidays, Pilkada, staff meetings): dates or {date, note}."""
    extra_working: list[DatedNote] = Field(default_factory=list)
    """Days worked although they would be off (a holiday, a Saturday for a campaign): they
    use that weekday's shift, or Saturday's hours on a Sunday."""

    @model_validator(mode="after")
    def _no_date_both_ways(self) -> CalendarConfig:
        both = {d.date for d in self.extra_working} & {d.date for d in self.extra_non_working}
        if both:
            days = ", ".join(str(d) for d in sorted(both))
            raise ValueError(f"dates listed in both extra_working and extra_non_working: {days}")
        return self
