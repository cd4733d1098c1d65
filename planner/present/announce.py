"""What an announcement tells residents, shared by the desa and kecamatan pages and their PDFs.

The plan keeps exact minutes; people are given times they can keep: the hours recording is
open, rounded to the quarter hour *inwards* (start up, end down), so a resident who comes at the
announced time finds the team set up, and one who comes just before the announced end is still
served. Both pages use this one time base. The team's break is shown when it falls inside
those hours, rounded outwards (start down, end up), and a visit that does not cover the whole
village says how many it expects and that the rest comes later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

QUARTER = 15
"""Minutes the announced times are rounded to."""


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}.{minutes % 60:02d}"


def open_hours(start: str, end: str) -> tuple[str, str]:
    """The announced hours of a visit recording from ``start`` to ``end`` (``"HH:MM"``).

    Rounded inwards to the quarter hour, in Indonesian clock notation; a visit shorter than
    that keeps the nearest quarters (never an empty or reversed window).

    Examples
    --------
    >>> open_hours("08:22", "11:40")
    ('08.30', '11.30')
    >>> open_hours("09:05", "09:20")
    ('09.00', '09.15')
    """
    a, b = _minutes(start), _minutes(end)
    up, down = -(-a // QUARTER) * QUARTER, b // QUARTER * QUARTER
    if down <= up:
        up = round(a / QUARTER) * QUARTER
        down = max(up + QUARTER, round(b / QUARTER) * QUARTER)
    return _clock(up), _clock(down)


def announced_start(start: str) -> str:
    """The announced opening of a visit recording from ``start``: the quarter hour at or after
    it (as :func:`open_hours` gives it), e.g. ``"08:27"`` → ``"08.30"``."""
    return _clock(-(-_minutes(start) // QUARTER) * QUARTER)


def break_inside(break_text: str, start: str, end: str) -> str | None:
    """The team's break (``"12:28-13:28"``) as announced when it falls in a visit.

    The break floats in its window (Monday–Thursday it may start any minute from 12:00 to
    13:00), so its exact minutes are no time to keep: it is rounded *outwards* to the quarter
    hour (start down, end up), the counterpart of :func:`open_hours`. A resident who comes
    outside the announced break finds the team recording. ``None`` when the visit ends before
    the break or starts after it.

    Examples
    --------
    >>> break_inside("12:28-13:28", "08:27", "15:38")
    '12.15–13.30'
    >>> break_inside("11:30-13:00", "08:13", "16:00")
    '11.30–13.00'
    """
    for part in break_text.split(","):
        if "-" not in part:
            continue
        b0, b1 = (_minutes(x.strip()) for x in part.split("-"))
        if b0 < _minutes(end) and _minutes(start) < b1:
            down, up = b0 // QUARTER * QUARTER, -(-b1 // QUARTER) * QUARTER
            return f"{_clock(down)}–{_clock(up)}"
    return None


@dataclass(frozen=True)
class VillageTotals:
    """How much of a village's expected turnout the week's visits cover."""

    expected: int
    planned: int


def people_text(recordings: int, totals: VillageTotals | None, later_visits: int) -> str:
    """What a visit expects: ``"± 40 orang"``, or for a partial visit ``"± 40 orang pada
    kunjungan ini; sisanya dijadwalkan kemudian"``.

    Parameters
    ----------
    recordings
        Expected recordings of this visit.
    totals
        The village's expected turnout and the week's planned recordings there.
    later_visits
        Recordings planned at the village later this week.
    """
    base = f"± {format_number(recordings)} orang"
    if totals is None or recordings >= totals.expected:
        return base
    if later_visits > 0 or totals.planned < totals.expected:
        return f"{base} pada kunjungan ini; sisanya dijadwalkan kemudian"
    return f"{base} pada kunjungan ini (lanjutan kunjungan sebelumnya)"


def format_number(value: float, decimals: int = 0) -> str:
    """A number in Indonesian notation: ``7549281`` → ``"7.549.281"``, ``1607.1`` →
    ``"1.607,1"`` (``decimals=1``).
    """
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def village_totals(
    expected: Mapping[str, int], planned: Mapping[str, int]
) -> dict[str, VillageTotals]:
    """Per village code: expected turnout and planned recordings of the week."""
    return {k: VillageTotals(int(v), int(planned.get(k, 0))) for k, v in expected.items()}
