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

Every problem in a file is collected and raised as one :class:`~planner.core.errors.ConfigError`
whose lines name the file and the field path, e.g.
``teams.toml: teams[2].kits: must be at least 1 (got 0)``. Unknown keys are rejected (with
the allowed keys and a close match), wrong types are reported with the value found, and no
pydantic traceback ever reaches the user.

Defaults carry their source next to the field. ``recording_operations.csv`` and
``ektp_recording_params_2016_2020.csv`` are in ``shared/popdata``; a default without a
source says "assumption" and why.

The models live in one module per concern, all re-exported here:
:mod:`~planner.domain.config.fields` (base model, weekdays, clock, dates),
:mod:`~planner.domain.config.teams` (and :mod:`~planner.domain.config.team_checks`, the teams
against a region), :mod:`~planner.domain.config.calendar`,
:mod:`~planner.domain.config.policy` (policy, weights, solver),
:mod:`~planner.domain.config.loading` (files, validation, overrides),
:mod:`~planner.domain.config.messages` (error wording) and :mod:`~planner.domain.config.region`
(the ``region.toml`` schema).
"""

from planner.domain.config.calendar import (
    NORMAL_SHIFTS,
    RAMADAN_SHIFTS,
    CalendarConfig,
    DatedNote,
    DateRange,
    RamadanShifts,
    ShiftSpec,
    WeekShifts,
)
from planner.domain.config.fields import (
    WEEKDAYS,
    Clock,
    Day,
    Fraction,
    Weight,
    format_clock,
    parse_weekday,
)
from planner.domain.config.loading import (
    apply_overrides,
    calendar_from_dict,
    load_calendar,
    load_policy,
    load_solver,
    load_teams,
    policy_from_dict,
    read_toml,
    solver_from_dict,
    teams_from_dict,
    validate_config,
)
from planner.domain.config.policy import (
    CLASS_NAMES,
    ClassWeights,
    FirstSolution,
    Metaheuristic,
    Policy,
    SolverSettings,
    VulnerableWeights,
)
from planner.domain.config.team_checks import validate_teams_against
from planner.domain.config.teams import (
    AUTO_BASE,
    DEFAULT_MINUTES_PER_RECORD,
    DEFAULT_SETUP_MINUTES,
    DEFAULT_TEAM_WEEKDAYS,
    DepotId,
    Kits,
    MinutesPerRecord,
    Mode,
    Modes,
    Money,
    Regencies,
    RegencyCode,
    SetupMinutes,
    Team,
    TeamDefaults,
    TeamId,
    TeamsConfig,
    TeamWeekdays,
    WeekdayName,
)

__all__ = [
    "AUTO_BASE",
    "CLASS_NAMES",
    "DEFAULT_MINUTES_PER_RECORD",
    "DEFAULT_SETUP_MINUTES",
    "DEFAULT_TEAM_WEEKDAYS",
    "NORMAL_SHIFTS",
    "RAMADAN_SHIFTS",
    "WEEKDAYS",
    "CalendarConfig",
    "ClassWeights",
    "Clock",
    "DateRange",
    "DatedNote",
    "Day",
    "DepotId",
    "FirstSolution",
    "Fraction",
    "Kits",
    "Metaheuristic",
    "MinutesPerRecord",
    "Mode",
    "Modes",
    "Money",
    "Policy",
    "RamadanShifts",
    "Regencies",
    "RegencyCode",
    "SetupMinutes",
    "ShiftSpec",
    "SolverSettings",
    "Team",
    "TeamDefaults",
    "TeamId",
    "TeamWeekdays",
    "TeamsConfig",
    "VulnerableWeights",
    "WeekShifts",
    "WeekdayName",
    "Weight",
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
