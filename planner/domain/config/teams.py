"""``teams.toml``: the recording teams (:class:`TeamsConfig`, :class:`Team`).

An optional ``[defaults]`` table (:data:`TeamDefaults`) is applied to every team that does not
set a value itself. :func:`~planner.domain.config.team_checks.validate_teams_against` checks
the teams against a region's depots and regencies.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)

from planner.core.errors import ConfigError
from planner.domain.config.fields import WEEKDAYS, _Model, _weekday_name


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


#: ``base = "auto"``: the planner chooses the overnight base (:mod:`planner.week.bases`).
AUTO_BASE = "auto"


def _check_base(value: str) -> str:
    if value == AUTO_BASE:
        return value
    try:
        return _check_depot(value)
    except ValueError:
        raise ValueError(
            "must be a depot id like kec-36.04.08 (kecamatan office) or dinas-36.04 (regency "
            f'Disdukcapil office), or "auto" to let the planner choose (got {value!r})'
        ) from None


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
BaseId = Annotated[str, AfterValidator(_check_base)]
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

    A team starts and ends each working day at its depot (or, with ``base``, spends the week's
    nights there) and records at the villages of the regencies it covers.
    """

    id: TeamId
    """Short unique id used in outputs and file names, e.g. ``serang-pulau``."""
    name: Annotated[str, Field(min_length=1, max_length=120)]
    """Display name, e.g. ``"Tim Jemput Bola Kab. Serang (pulau)"``."""
    depot: DepotId
    """Where the team starts and ends each day: ``dinas-PP.KK`` (regency Disdukcapil office)
    or ``kec-PP.KK.CC`` (kecamatan office), an id of the region's ``depots.csv``."""
    base: BaseId | None = None
    """Where the team stays overnight during the week (*menginap*), e.g. ``kec-36.01.04``, a
    kecamatan office near villages far from the depot. The first working day of the week runs
    from the depot to the base, the days between start and end at the base, and the last one
    runs from the base back to the depot (a week of one working day stays a day trip).
    ``"auto"``: the planner chooses a kecamatan office of the team's regencies, or none, each
    week (:func:`planner.week.bases.choose_bases`). Default none: the team is back at its depot
    every evening."""
    base_days: TeamWeekdays | None = None
    """With a fixed ``base``: the working days of the week the team spends at the base, e.g.
    ``["selasa", "rabu", "kamis"]`` (a multi-day boat trip: out on Tuesday, nights on the
    island on Tuesday and Wednesday, back on Thursday; the other days are day trips from the
    depot). The team sleeps at the base only between two trip days that follow each other on
    the calendar, never over a day it does not work. Default none: the whole week (the
    ``base`` rule above). With ``base = "auto"`` the planner sets both."""
    nights: dict[WeekdayName, BaseId] | None = None
    """With a fixed ``base``: another night place for some nights of the trip, by the working
    day whose evening it is, e.g. ``{ rabu = "kec-35.29.22" }`` next to ``base =
    "kec-35.29.20"`` and ``base_days = ["senin", "selasa", "rabu", "kamis"]``: nights on Sapudi
    on Monday and Tuesday, on Ra'as on Wednesday, home on Thursday. Day *d* starts where the
    team slept after the working day before it and ends at the night place of *d*; a leg
    between night places on different land parts goes through ports by boat. Each day named
    must be a trip day followed on the calendar by another trip day (a night away, not the
    evening the team comes home). Default none: every night of the trip at ``base``."""
    lodging_per_night: Money = 300_000.0
    """Rupiah per night the team sleeps away from its depot (room or balai desa, meals): for
    cost estimates (``plan.json`` ``lodging_idr``, scenario costs). Default Rp300,000 per team
    per night: an assumption (no published figure found for a Dukcapil team), set your own."""
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
    def _base_days_with_base(self) -> Team:
        if self.base_days is not None:
            if self.base is None:
                raise ValueError("base_days needs a base (the place the team sleeps at)")
            extra = sorted(set(self.base_days) - set(self.working_days), key=WEEKDAYS.index)
            if extra:
                raise ValueError(f"base_days: {', '.join(extra)} not among the working_days")
        return self

    def night_place(self, weekday: str) -> str | None:
        """Where the team sleeps after a trip day (a weekday name) when it sleeps away: the
        place ``nights`` names for that day, else ``base`` (``None`` without a base)."""
        if self.nights and weekday in self.nights:
            return self.nights[weekday]
        return None if self.base == AUTO_BASE else self.base

    @model_validator(mode="after")
    def _regencies_from_depot(self) -> Team:
        if not self.regencies:
            object.__setattr__(self, "regencies", [self.regency])
        return self

    @property
    def away_places(self) -> tuple[str, ...]:
        """Fixed places the team may sleep at on a trip: ``base``, then the ``nights`` places
        (sorted, without repeats; none for ``base = "auto"`` until the planner chooses)."""
        if self.base in (None, AUTO_BASE):
            return ()
        others = sorted(set((self.nights or {}).values()) - {self.base, AUTO_BASE})
        return (str(self.base), *others)

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
        """The team with this id (:class:`~planner.core.errors.ConfigError` if there is none)."""
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
