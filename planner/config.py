"""Configuration files: TOML in, validated pydantic models out.

Three files configure a run, each validated once here at the boundary:

``teams.toml``
    The recording teams (:class:`TeamsConfig`, :class:`Team`), with an optional ``[defaults]``
    table applied to every team.
``policy.toml``
    Planning policy (:class:`Policy`): turnout, ghost share, priority weights, visit limits;
    and two sub-tables, ``[calendar]`` (:class:`CalendarConfig`: shifts, breaks, Ramadan hours,
    extra days off / on) and ``[solver]`` (:class:`SolverSettings`). A missing file or table
    means "all defaults".
scenario overrides
    A dict deep-merged on a model by :func:`apply_overrides`, then validated again.

Every problem in a file is collected and raised as one :class:`~planner.errors.ConfigError`
whose lines name the file and the field path, e.g.
``teams.toml: teams[2].kits: must be at least 1 (got 0)``. Unknown keys are rejected (with
the allowed keys and a close match), wrong types are reported with the value found, and no
pydantic traceback ever reaches the user.

Defaults carry their source next to the field. ``recording_operations.csv`` and
``ektp_recording_params_2016_2020.csv`` are in ``shared/popdata``; a default without a
source says "assumption" and why.
"""

from __future__ import annotations

import copy
import difflib
import re
import tomllib
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from planner.errors import ConfigError

__all__ = [
    "WEEKDAYS",
    "CalendarConfig",
    "ClassWeights",
    "DateRange",
    "DatedNote",
    "FirstSolution",
    "Metaheuristic",
    "Policy",
    "RamadanShifts",
    "ShiftSpec",
    "SolverSettings",
    "Team",
    "TeamsConfig",
    "VulnerableWeights",
    "WeekShifts",
    "apply_overrides",
    "calendar_from_dict",
    "format_clock",
    "load_calendar",
    "load_policy",
    "load_solver",
    "load_teams",
    "parse_weekday",
    "policy_from_dict",
    "read_toml",
    "solver_from_dict",
    "teams_from_dict",
    "validate_config",
    "validate_teams_against",
]

M = TypeVar("M", bound=BaseModel)

# --------------------------------------------------------------------------- weekdays, clock

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


# --------------------------------------------------------------------------- base model


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


# --------------------------------------------------------------------------- teams


def _check_team_id(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", value):
        raise ValueError(
            f"must be lower-case letters, digits, '-', '_' or '.', like serang-1 (got {value!r})"
        )
    return value


def _check_depot(value: str) -> str:
    if not re.fullmatch(r"dinas-\d{2}\.\d{2}|kec-\d{2}\.\d{2}\.\d{2}", value):
        raise ValueError(
            "must be a depot id like dinas-36.04 (regency Disdukcapil office) or "
            f"kec-36.04.08 (kecamatan office) (got {value!r})"
        )
    return value


def _check_regency(value: str) -> str:
    if not re.fullmatch(r"\d{2}\.\d{2}", value):
        raise ValueError(f"must be a regency code PP.KK like 36.04 (got {value!r})")
    return value


def _check_modes(value: list[str]) -> list[str]:
    if len(set(value)) != len(value):
        raise ValueError(f"lists a mode twice ({', '.join(value)})")
    return value


def _check_team_weekdays(value: list[str]) -> list[str]:
    if "minggu" in value:
        raise ValueError("Sunday (minggu) is not a working day; teams work senin..sabtu")
    if len(set(value)) != len(value):
        raise ValueError(f"lists a day twice ({', '.join(value)})")
    if not value:
        raise ValueError("must name at least one working day")
    return sorted(value, key=WEEKDAYS.index)


def _check_unique(value: list[str]) -> list[str]:
    if len(set(value)) != len(value):
        raise ValueError(f"lists an entry twice ({', '.join(value)})")
    return value


def _mode_before(value: object) -> object:
    if value in ("perahu", "boat"):
        raise ValueError("'perahu' is not a team mode; set boat = true to allow sea crossings")
    return value


WeekdayName = Annotated[str, BeforeValidator(_weekday_name)]
TeamId = Annotated[str, AfterValidator(_check_team_id)]
DepotId = Annotated[str, AfterValidator(_check_depot)]
RegencyCode = Annotated[str, AfterValidator(_check_regency)]
Mode = Annotated[Literal["mobil", "motor"], BeforeValidator(_mode_before)]
Modes = Annotated[list[Mode], Field(min_length=1), AfterValidator(_check_modes)]
Kits = Annotated[int, Field(ge=1, le=20)]
MinutesPerRecord = Annotated[float, Field(gt=0.0, le=60.0)]
SetupMinutes = Annotated[int, Field(ge=0, le=240)]
TeamWeekdays = Annotated[list[WeekdayName], AfterValidator(_check_team_weekdays)]
Regencies = Annotated[list[RegencyCode], Field(min_length=1), AfterValidator(_check_unique)]
Money = Annotated[float, Field(ge=0.0)]

#: Recording minutes per person. 360 min / 50 persons = 7.2: the Surabaya mobile units record
#: about 50 persons per kit per day between 08:00 and 14:00 (recording_operations.csv,
#: throughput, 2022-05-11); Kab. Bogor's jemput bola quota is also 50/day (2023-07-15). The
#: 2.18-min Kemendagri simulation (2011) is an ideal case; 5 min was observed at a kecamatan
#: (2012) and uploads on a poor network take up to 10 min (2020). 7 min sits in that 2–10 range.
DEFAULT_MINUTES_PER_RECORD = 7.0
#: Per visit: unload the kit, start the generator, connect camera/fingerprint/iris/signature
#: devices, set up a registration desk, and pack up again. Assumption (no source times it):
#: about 30 min, i.e. ~4 recordings' worth at 7 min each.
DEFAULT_SETUP_MINUTES = 30
#: Perpres 21/2023: 5 working days, Monday–Friday (recording_operations.csv, working_hours).
DEFAULT_TEAM_WEEKDAYS = ["senin", "selasa", "rabu", "kamis", "jumat"]


_DEFAULT_MODES: tuple[Literal["mobil", "motor"], ...] = ("mobil",)


class Team(_Model):
    """One mobile recording team.

    A team starts and ends each working day at its depot and records at the villages of the
    regencies it covers.
    """

    id: TeamId
    """Short unique id used in outputs and file names, e.g. ``serang-pulau``."""
    name: Annotated[str, Field(min_length=1, max_length=120)]
    """Display name, e.g. ``"Tim Jemput Bola Kab. Serang (pulau)"``."""
    depot: DepotId
    """Where the team starts and ends each day: ``dinas-PP.KK`` (regency Disdukcapil office)
    or ``kec-PP.KK.CC`` (kecamatan office), an id of the region's ``depots.csv``."""
    modes: Modes = Field(default_factory=lambda: list(_DEFAULT_MODES))
    """Land vehicles the team has: ``mobil`` and/or ``motor`` (at least one). Default
    ``["mobil"]``: Banten's reported jemput bola fleets are cars (Pandeglang 3, Kota Tangerang
    2; recording_operations.csv, banten_practice)."""
    boat: bool = False
    """May the team cross to islands by boat from a port? Default false: only teams a Dinas
    equips for it (Kab. Serang crosses to Pulo Panjang by motor boat, 2023)."""
    kits: Kits = 1
    """Recording kits (PC, camera, fingerprint + iris scanner, signature pad) run in parallel.
    Default 1 (assumption: no public source gives kits per Banten team)."""
    minutes_per_record: MinutesPerRecord = DEFAULT_MINUTES_PER_RECORD
    """Minutes per recording per kit; default 7.0, see ``DEFAULT_MINUTES_PER_RECORD``."""
    setup_minutes: SetupMinutes = DEFAULT_SETUP_MINUTES
    """Fixed minutes per visit; default 30, see ``DEFAULT_SETUP_MINUTES``."""
    working_days: TeamWeekdays = Field(default_factory=lambda: list(DEFAULT_TEAM_WEEKDAYS))
    """Weekdays the team works, ``senin``..``sabtu`` or ``mon``..``sat`` (stored in
    Indonesian). Default Monday–Friday (Perpres 21/2023); add ``sabtu`` for Saturday work
    (Kota Tangerang opened Saturdays and Sundays in Aug 2016 to speed up recording)."""
    regencies: Regencies = Field(default_factory=list)
    """Regency codes ``PP.KK`` whose villages the team may visit. Default: the depot's
    regency (each Disdukcapil serves its own kabupaten/kota)."""
    cost_per_km: Money | None = None
    """Optional running cost in rupiah per km (fuel, wear); none by default."""
    cost_per_day: Money | None = None
    """Optional cost in rupiah per team-day (allowances, boat charter); none by default."""

    @model_validator(mode="after")
    def _regencies_from_depot(self) -> Team:
        if not self.regencies:
            object.__setattr__(self, "regencies", [self.regency])
        return self

    @property
    def regency(self) -> str:
        """Regency code ``PP.KK`` of the depot."""
        return self.depot.split("-", 1)[1][:5]

    def service_minutes(self, recordings: float) -> float:
        """Minutes a visit takes: ``setup_minutes + recordings × minutes_per_record / kits``.

        Examples
        --------
        >>> team = Team(id="a", name="A", depot="dinas-36.04", kits=2)
        >>> team.service_minutes(40)
        170.0
        """
        return self.setup_minutes + float(recordings) * self.minutes_per_record / self.kits


def _team_defaults_model() -> type[_Model]:
    fields: dict[str, Any] = {}
    for name, info in Team.model_fields.items():
        if name in ("id", "name"):
            continue
        tp: Any = info.annotation
        if info.metadata:
            tp = Annotated[(tp, *info.metadata)]
        fields[name] = (tp | None, None)
    model: type[_Model] = create_model("TeamDefaults", __base__=_Model, **fields)
    model.__doc__ = "Values applied to every team that does not set them (``[defaults]``)."
    return model


#: The ``[defaults]`` table of ``teams.toml``: any :class:`Team` field except id and name.
TeamDefaults = _team_defaults_model()


class TeamsConfig(_Model):
    """The content of ``teams.toml``: ``[defaults]`` and one ``[[teams]]`` table per team."""

    region: str | None = None
    """Optional key of the region folder the file was written for (informational)."""
    defaults: TeamDefaults | None = None  # type: ignore[valid-type]
    """Values applied to every team that does not set them itself."""
    teams: Annotated[list[Team], Field(min_length=1)]
    """The teams; ids must be unique."""

    @model_validator(mode="before")
    @classmethod
    def _apply_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        defaults = data.get("defaults")
        teams = data.get("teams")
        if not isinstance(defaults, dict) or not isinstance(teams, list):
            return data
        try:
            TeamDefaults.model_validate(defaults)
            bad: set[object] = set()
        except ValidationError as exc:
            bad = {err["loc"][0] for err in exc.errors() if err["loc"]}
        usable = {k: v for k, v in defaults.items() if k not in bad and k in Team.model_fields}
        merged = [
            {**copy.deepcopy(usable), **team} if isinstance(team, dict) else team for team in teams
        ]
        return {**data, "teams": merged}

    @field_validator("teams")
    @classmethod
    def _unique_ids(cls, teams: list[Team]) -> list[Team]:
        message = _duplicate_ids([team.id for team in teams])
        if message:
            raise ValueError(message)
        return teams

    @classmethod
    def _raw_problems(cls, data: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Checks that pydantic skips when a team fails: (path, message) pairs."""
        teams = data.get("teams")
        if not isinstance(teams, list):
            return []
        ids = [t.get("id") if isinstance(t, Mapping) else None for t in teams]
        message = _duplicate_ids(ids)
        return [("teams", message)] if message else []

    def team(self, team_id: str) -> Team:
        """The team with this id (:class:`~planner.errors.ConfigError` if there is none)."""
        for team in self.teams:
            if team.id == team_id:
                return team
        known = ", ".join(t.id for t in self.teams)
        raise ConfigError(f"no team with id {team_id!r}; teams are: {known}")


def _duplicate_ids(ids: Sequence[object]) -> str | None:
    seen: dict[str, int] = {}
    repeated = []
    for i, team_id in enumerate(ids):
        if not isinstance(team_id, str):
            continue
        if team_id in seen:
            repeated.append(f"'{team_id}' (teams[{seen[team_id]}] and teams[{i}])")
        seen.setdefault(team_id, i)
    if repeated:
        return f"team ids must be unique; repeated: {', '.join(repeated)}"
    return None


def validate_teams_against(
    teams: TeamsConfig | Sequence[Team],
    depot_ids: Iterable[str],
    regency_codes: Iterable[str],
    *,
    source: str = "teams.toml",
) -> list[str]:
    """List teams whose depot or regencies are not in the region.

    Parameters
    ----------
    teams
        A loaded :class:`TeamsConfig` or a list of :class:`Team`.
    depot_ids
        Depot ids of the region (``depots.csv`` column ``depot_id``).
    regency_codes
        Regency codes ``PP.KK`` of the region.
    source
        File name used at the start of each message.

    Returns
    -------
    list of str
        One message per problem, empty if every team fits the region. The caller raises
        ``ConfigError(problems)`` if the list is not empty.
    """
    team_list = teams.teams if isinstance(teams, TeamsConfig) else list(teams)
    depots = set(depot_ids)
    regencies = set(regency_codes)
    problems: list[str] = []
    for i, team in enumerate(team_list):
        if team.depot not in depots:
            hint = difflib.get_close_matches(team.depot, sorted(depots), n=1)
            problems.append(
                f"{source}: teams[{i}].depot: unknown depot '{team.depot}' (team {team.id})"
                + (f"; did you mean '{hint[0]}'?" if hint else "")
                + f"; the region's depots are: {_short_list(sorted(depots))}"
            )
        for j, code in enumerate(team.regencies):
            if code not in regencies:
                problems.append(
                    f"{source}: teams[{i}].regencies[{j}]: regency '{code}' is not in the region "
                    f"(team {team.id}); its regencies are: {_short_list(sorted(regencies))}"
                )
    return problems


# --------------------------------------------------------------------------- calendar


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


# --------------------------------------------------------------------------- solver

FirstSolution = Literal[
    "AUTOMATIC",
    "PATH_CHEAPEST_ARC",
    "PATH_MOST_CONSTRAINED_ARC",
    "EVALUATOR_STRATEGY",
    "SAVINGS",
    "PARALLEL_SAVINGS",
    "SWEEP",
    "CHRISTOFIDES",
    "ALL_UNPERFORMED",
    "BEST_INSERTION",
    "PARALLEL_CHEAPEST_INSERTION",
    "SEQUENTIAL_CHEAPEST_INSERTION",
    "LOCAL_CHEAPEST_INSERTION",
    "LOCAL_CHEAPEST_COST_INSERTION",
    "GLOBAL_CHEAPEST_ARC",
    "LOCAL_CHEAPEST_ARC",
    "FIRST_UNBOUND_MIN_VALUE",
]
Metaheuristic = Literal[
    "AUTOMATIC",
    "GREEDY_DESCENT",
    "GUIDED_LOCAL_SEARCH",
    "SIMULATED_ANNEALING",
    "TABU_SEARCH",
    "GENERIC_TABU_SEARCH",
]


class SolverSettings(_Model):
    """OR-Tools search parameters (names of ``routing_enums_pb2`` values)."""

    time_limit_s: Annotated[float, Field(gt=0.0, le=86_400.0)] = 30.0
    """Wall-clock limit per solve, seconds. 30 s: a weekly regency plan is small (tens of
    team-days, hundreds of visits); longer runs are a command-line option."""
    solution_limit: Annotated[int, Field(ge=1)] | None = None
    """Stop after this many solutions: reproducible runs for tests (none by default)."""
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0
    """Random seed; the same inputs and seed give the same plan."""
    first_solution: FirstSolution = "PARALLEL_CHEAPEST_INSERTION"
    """First-solution strategy. PATH_CHEAPEST_ARC found no first solution on any tested
    Solomon VRPTW instance; PARALLEL_CHEAPEST_INSERTION solved R101 (vrp-instances/ANCHORS.md)."""
    metaheuristic: Metaheuristic = "GUIDED_LOCAL_SEARCH"
    """Local-search metaheuristic; GUIDED_LOCAL_SEARCH is the OR-Tools recommendation for
    vehicle routing and the configuration measured in ANCHORS.md."""


# --------------------------------------------------------------------------- policy

CLASS_NAMES: tuple[str, ...] = ("pulau", "pesisir", "perbatasan", "perbatasan_kab", "terpencil")


class ClassWeights(_Model):
    """Priority of one recording by village class. **Additive**: a village's weight is
    ``base + Σ bonus of each class it has``, so an island that is also coastal gets
    ``1.0 + 1.0 + 0.25 = 2.25``. Additive keeps a village with many classes from running away
    (multiplying 2.0 × 1.25 × 1.5 … grows quickly) and each number reads as "worth X more
    recordings in town". The bonuses are policy choices, not measurements; their order follows
    the Banten province's request of Nov 2017 to go to pelosok, pesisir, border and island
    villages (ektp_recording_params_2016_2020.csv, unrecorded_location_profile)."""

    base: Weight = 1.0
    """Weight of a recording in a village with no class (town)."""
    pulau: Weight = 1.0
    """Island: reachable only by boat, visited rarely (Kab. Serang every ~2 weeks, 2025)."""
    pesisir: Weight = 0.25
    """Coastal: named by the province in Nov 2017 as where the rest is; small bonus."""
    perbatasan: Weight = 0.5
    """Border with another province (Lebak–Jawa Barat, Tangerang–Jakarta/Jawa Barat)."""
    perbatasan_kab: Weight = 0.25
    """Border with another regency of the same province."""
    terpencil: Weight = 0.5
    """Remote: travel from the nearest depot above ``Policy.terpencil_minutes``."""

    def weight(self, classes: Iterable[str]) -> float:
        """Weight of a recording in a village with these classes (``base`` + bonuses)."""
        total = self.base
        for name in set(classes):
            if name not in CLASS_NAMES:
                raise ConfigError(f"unknown village class {name!r}; classes are {CLASS_NAMES}")
            total += float(getattr(self, name))
        return total


class VulnerableWeights(_Model):
    """Extra weight per expected recording of a person in a vulnerable group, added to the
    village weight (additive, like :class:`ClassWeights`). Policy choices (assumption)."""

    lansia: Weight = 0.5
    """Elderly: harder to bring to the kecamatan office (Kota Serang records them at home)."""
    disabilitas: Weight = 1.0
    """Persons with a disability: the office is least reachable for them."""
    pemula: Weight = 0.5
    """First-time voters turning 17 before an election (Banten pushed them in Apr 2018)."""


class Policy(_Model):
    """Planning policy (``policy.toml``): who comes, what a recording is worth, limits."""

    turnout: Annotated[float, Field(gt=0.0, le=1.0)] = 0.6
    """Share of the expected (after ghosts) who come to a first visit. Assumption: no source
    measures it; the Kab. Bogor quota (50/day) and Pulo Panjang visit (47 recordings, 2023)
    show visits are demand-limited, so well below 1."""
    repeat_turnout: Fraction = 0.3
    """Turnout of a repeat visit to a village already visited: those who stayed away the first
    time come less. Assumption: half the first-visit turnout."""
    ghost_share: Annotated[float, Field(ge=0.0, lt=1.0)] = 0.10
    """Share of registry "belum rekam" who moved, died or cannot be found. Assumption sized on
    how far official counts of the same population disagree: Banten Nov 2017 232,020 vs
    213,264 (8 %); Sarolangun Oct 2018 66,496 (rakornas) vs ~57,000 (provincial data) (14 %)."""
    class_weights: ClassWeights = Field(default_factory=ClassWeights)
    """Additive weights per village class, see :class:`ClassWeights`."""
    vulnerable_weights: VulnerableWeights = Field(default_factory=VulnerableWeights)
    """Additive weights per vulnerable group, see :class:`VulnerableWeights`."""
    min_visit_size: Annotated[float, Field(ge=0.0)] = 10.0
    """Expected recordings below which a village is not worth a stop. Assumption: with
    30 min setup (≈ 4 recordings) a stop below 10 spends a third or more of its time
    setting up. Islands still need a boat trip, so do not set this too high."""
    max_attendance_per_visit_day: Annotated[int, Field(ge=1)] = 150
    """Queue limit: at most this many recordings at one place in one day. Kota Tangerang's two
    cars served 100–200 a day (2016); one kit recorded 123 at a Surabaya school (2013)."""
    terpencil_minutes: Annotated[float, Field(gt=0.0, le=1440.0)] = 90.0
    """Travel time (minutes) from the team's nearest depot above which a village is
    ``terpencil`` (remote). 90 min: a one-way trip longer than that uses a fifth of a 7.5-h
    working day each way (project design)."""
    deadline: Day | None = None
    """Optional target date for recording everyone (e.g. 2018-12-31, the national deadline
    before the 2019 election); projections stop there."""
    deadline_note: Annotated[str, Field(max_length=200)] = ""
    """What the deadline is, for reports."""
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    """``[calendar]`` table: see :class:`CalendarConfig`."""
    solver: SolverSettings = Field(default_factory=SolverSettings)
    """``[solver]`` table: see :class:`SolverSettings`."""

    @field_validator("repeat_turnout")
    @classmethod
    def _repeat_not_above_first(cls, value: float, info: ValidationInfo) -> float:
        first = info.data.get("turnout")
        if first is not None and value > first:
            raise ValueError(f"must not exceed turnout ({first}) (got {value})")
        return value

    def expected_attendance(self, belum_rekam: float, *, repeat: bool = False) -> float:
        """Expected recordings: ``belum_rekam × (1 − ghost_share) × turnout``."""
        rate = self.repeat_turnout if repeat else self.turnout
        return float(belum_rekam) * (1.0 - self.ghost_share) * rate


# --------------------------------------------------------------------------- loading


def read_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML file; a missing or unparsable file is a :class:`ConfigError`."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, expected a TOML file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def validate_config(model_cls: type[M], data: object, source: str) -> M:
    """Validate ``data`` as ``model_cls``; every problem goes into one ConfigError.

    Parameters
    ----------
    model_cls
        One of the models of this module.
    data
        The parsed TOML (a dict).
    source
        File name put at the start of every message.
    """
    if not isinstance(data, Mapping):
        raise ConfigError(f"{source}: expected a table of settings (got {_show(data)})")
    raw = copy.deepcopy(dict(data))
    try:
        model = model_cls.model_validate(copy.deepcopy(raw))
    except ValidationError as exc:
        lines = _format_errors(exc, model_cls, source)
        raw_check = getattr(model_cls, "_raw_problems", None)
        for path, message in raw_check(raw) if raw_check else []:
            line = f"{source}: {path}: {message}"
            if line not in lines:
                lines.append(line)
        raise ConfigError(lines) from None
    if isinstance(model, _Model):
        model._raw = raw
    return model


def teams_from_dict(data: object, source: str = "teams.toml") -> TeamsConfig:
    """Validate parsed ``teams.toml`` content."""
    return validate_config(TeamsConfig, data, source)


def policy_from_dict(data: object, source: str = "policy.toml") -> Policy:
    """Validate parsed ``policy.toml`` content."""
    return validate_config(Policy, data, source)


def calendar_from_dict(data: object, source: str = "calendar") -> CalendarConfig:
    """Validate a ``[calendar]`` table on its own."""
    return validate_config(CalendarConfig, data, source)


def solver_from_dict(data: object, source: str = "solver") -> SolverSettings:
    """Validate a ``[solver]`` table on its own."""
    return validate_config(SolverSettings, data, source)


def load_teams(path: str | Path) -> TeamsConfig:
    """Load and validate ``teams.toml``.

    Examples
    --------
    >>> teams = load_teams("examples/banten/teams.toml")  # doctest: +SKIP
    >>> teams.team("serang-pulau").boat  # doctest: +SKIP
    True
    """
    return teams_from_dict(read_toml(path), str(path))


def load_policy(path: str | Path | None = None) -> Policy:
    """Load and validate ``policy.toml``; ``None`` gives every default."""
    if path is None:
        return Policy()
    return policy_from_dict(read_toml(path), str(path))


def load_calendar(path: str | Path | None = None) -> CalendarConfig:
    """The ``[calendar]`` table of a policy file (the whole file is validated)."""
    return load_policy(path).calendar


def load_solver(path: str | Path | None = None) -> SolverSettings:
    """The ``[solver]`` table of a policy file (the whole file is validated)."""
    return load_policy(path).solver


def apply_overrides(model: M, overrides: Mapping[str, Any], *, source: str = "overrides") -> M:
    """Deep-merge ``overrides`` on a model's settings and validate the result again.

    Tables merge key by key; a list of tables that all carry an ``id`` (``teams``) merges
    entry by entry on that id, and entries with a new id are appended; any other value,
    lists included, is replaced. A model loaded from a file merges onto what the file said,
    so an override of ``defaults.kits`` in ``teams.toml`` reaches every team that did not
    set its own.

    Parameters
    ----------
    model
        A loaded model (:class:`TeamsConfig`, :class:`Policy`, …); it is not changed.
    overrides
        Nested dict, e.g. ``{"turnout": 0.7, "calendar": {"shifts": {"sabtu": {...}}}}``.
    source
        Name used in error messages, e.g. the scenario file.

    Returns
    -------
    A new model of the same type.
    """
    if not isinstance(overrides, Mapping):
        raise ConfigError(f"{source}: overrides must be a table (got {_show(overrides)})")
    raw = model._raw if isinstance(model, _Model) else None
    if raw is not None:
        try:  # a model changed after loading (model_copy) no longer matches its file
            if type(model).model_validate(copy.deepcopy(raw)) != model:
                raw = None
        except ValidationError:
            raw = None
    base = (
        copy.deepcopy(raw)
        if raw is not None
        else model.model_dump(mode="python", exclude_unset=True)
    )
    merged = _deep_merge(base, overrides)
    return validate_config(type(model), merged, source)


def _deep_merge(base: Any, override: Any) -> Any:
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        out = dict(base)
        for key, value in override.items():
            out[key] = _deep_merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    if _is_id_list(base) and _is_id_list(override):
        out_list = [dict(item) for item in base]
        index = {item["id"]: i for i, item in enumerate(out_list)}
        for item in override:
            if item["id"] in index:
                i = index[item["id"]]
                out_list[i] = _deep_merge(out_list[i], item)
            else:
                index[item["id"]] = len(out_list)
                out_list.append(copy.deepcopy(dict(item)))
        return out_list
    return copy.deepcopy(override)


def _is_id_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, Mapping) and isinstance(v.get("id"), str) for v in value)
    )


# --------------------------------------------------------------------------- error messages

_TYPE_WORDS: dict[str, str] = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a text in quotes",
    "list_type": "a list [ ... ]",
    "tuple_type": "a list [ ... ]",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "dict_type": "a table",
    "date_type": "a date like 2017-11-13",
}


def _show(value: object) -> str:
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _loc_path(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if args else tp
            if len(args) <= 1:
                continue
            return tp
        else:
            return tp


def _type_at(root: type[BaseModel], loc: Sequence[int | str]) -> Any:
    tp: Any = root
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int):
            if typing.get_origin(tp) in (list, tuple):
                tp = typing.get_args(tp)[0]
            else:
                return None
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(part)
            if field is None:
                return None
            tp = field.annotation
        else:
            return None
    return _unwrap(tp)


def _unknown_key_message(root: type[BaseModel], loc: Sequence[int | str]) -> str:
    key = str(loc[-1]) if loc else "?"
    parent = _type_at(root, loc[:-1])
    if not (isinstance(parent, type) and issubclass(parent, BaseModel)):
        return f"unknown key '{key}'"
    allowed = list(parent.model_fields)
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown key '{key}'{hint} (allowed: {', '.join(allowed)})"


def _error_message(err: Mapping[str, Any], root: type[BaseModel]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    got = _show(err.get("input"))
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return _unknown_key_message(root, err.get("loc", ()))
    if kind in _TYPE_WORDS:
        return f"must be {_TYPE_WORDS[kind]} (got {got})"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')} (got {got})"
    if kind == "greater_than":
        return f"must be greater than {ctx.get('gt')} (got {got})"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')} (got {got})"
    if kind == "less_than":
        return f"must be less than {ctx.get('lt')} (got {got})"
    if kind == "finite_number":
        return f"must be a finite number (got {got})"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return f"must have at least {n} item{'s' if n != 1 else ''}"
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length')} items"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')} (got {got})"
    if kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error", err.get("msg", "")))
        return re.sub(r"^(Value|Assertion) error, ", "", message)
    return str(err.get("msg", "invalid value"))


def _format_errors(exc: ValidationError, root: type[BaseModel], source: str) -> list[str]:
    lines: list[str] = []
    for err in exc.errors():
        path = _loc_path(err.get("loc", ()))
        message = _error_message(err, root)
        line = f"{source}: {path}: {message}" if path else f"{source}: {message}"
        if line not in lines:
            lines.append(line)
    return lines


def _short_list(items: Sequence[str], limit: int = 12) -> str:
    if not items:
        return "(none)"
    shown = ", ".join(items[:limit])
    return shown + (f", … ({len(items)} in all)" if len(items) > limit else "")
