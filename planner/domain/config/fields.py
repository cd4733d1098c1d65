"""Building blocks shared by the config models: the strict base model, weekdays, clock, dates.

Every model of :mod:`planner.domain.config` derives from :class:`_Model` (strict, frozen, closed).
Weekday names (Indonesian or English) are parsed by :func:`parse_weekday`; clock times
``"07:30"`` become minutes after midnight (:data:`Clock`); dates are TOML dates or ISO text
(:data:`Day`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, PrivateAttr

from planner.domain.config.messages import _show

M = TypeVar("M", bound=BaseModel)

#: Canonical weekday names (Indonesian, lower case), index = ``date.weekday()``.
WEEKDAYS: tuple[str, ...] = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")

_WEEKDAY_ALIASES: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("senin", "sen", "mon", "monday"),
        ("selasa", "sel", "tue", "tues", "tuesday"),
        ("rabu", "rab", "wed", "wednesday"),
        ("kamis", "kam", "thu", "thur", "thurs", "thursday"),
        ("jumat", "jum", "fri", "friday"),
        ("sabtu", "sab", "sat", "saturday"),
        ("minggu", "ahad", "min", "sun", "sunday"),
    ]
):
    for _name in _names:
        _WEEKDAY_ALIASES[_name] = _i

_WEEKDAY_HINT = "use senin, selasa, rabu, kamis, jumat, sabtu (or mon, tue, wed, thu, fri, sat)"


def parse_weekday(value: object) -> int:
    """Turn a weekday name (Indonesian or English, any case) or an index 0–6 into 0–6.

    Parameters
    ----------
    value
        ``"senin"``, ``"Jum'at"``, ``"fri"``, ``"Saturday"``, or an ``int`` 0 (Monday) … 6.

    Returns
    -------
    int
        ``date.weekday()`` numbering: 0 = Monday (Senin) … 6 = Sunday (Minggu).

    Raises
    ------
    ValueError
        For an unknown name or a value of another type.
    """
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
        return value
    if isinstance(value, str):
        key = re.sub(r"[^a-z]", "", value.lower())
        if key in _WEEKDAY_ALIASES:
            return _WEEKDAY_ALIASES[key]
    raise ValueError(f"unknown weekday name {_show(value)}; {_WEEKDAY_HINT}")


def _weekday_name(value: object) -> str:
    return WEEKDAYS[parse_weekday(value)]


def format_clock(minutes: int) -> str:
    """Format minutes after local midnight as ``HH:MM`` (``450`` → ``"07:30"``)."""
    hours, mins = divmod(int(minutes), 60)
    return f"{hours:02d}:{mins:02d}"


def _parse_clock(value: object) -> int:
    if isinstance(value, time):
        if value.tzinfo is not None or value.second or value.microsecond:
            raise ValueError(f'must be a clock time like "07:30" (got {value.isoformat()})')
        return value.hour * 60 + value.minute
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*", value)
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            return int(match[1]) * 60 + int(match[2])
    raise ValueError(f'must be a clock time like "07:30" (got {_show(value)})')


def _parse_date(value: object) -> object:
    if isinstance(value, datetime):
        raise ValueError(f"must be a date without a time, like 2017-11-13 (got {value})")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"must be a date like 2017-11-13 (got {_show(value)})")


#: Minutes after local midnight; written ``"07:30"`` (or a TOML time ``07:30:00``).
Clock = Annotated[
    int, BeforeValidator(_parse_clock), PlainSerializer(format_clock, return_type=str)
]
#: A calendar date; a TOML date ``2017-11-13`` or the string ``"2017-11-13"``.
Day = Annotated[date, BeforeValidator(_parse_date)]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
Weight = Annotated[float, Field(ge=0.0, le=100.0)]


class _Model(BaseModel):
    """Strict, frozen, closed: TOML gives real types, so ``"5"`` is not silently an int."""

    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, allow_inf_nan=False, validate_default=False
    )
    _raw: dict[str, Any] | None = PrivateAttr(default=None)

    def __eq__(self, other: object) -> bool:
        """Equal settings are equal models, whatever file text they were read from."""
        if not isinstance(other, BaseModel):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    __hash__ = BaseModel.__hash__
