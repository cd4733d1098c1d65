"""Scenario files: a name, a description and overrides on a base configuration.

A scenario is a TOML file::

    name = "Tambah dua tim"
    description = "Dua tim tambahan untuk Pandeglang dan Lebak."
    # teams_file = "teams.toml"     # optional: another teams file (relative to this file)
    # policy_file = "policy.toml"   # optional: another policy file
    # registry = "register.csv"     # optional: counts per village (default: estimate)

    [teams.defaults]                # overrides of teams.toml, merged key by key
    minutes_per_record = 5.0

    [[teams.teams]]                 # teams merge by id; a new id adds a team
    id = "pandeglang-4"
    name = "Mobil Keliling Pandeglang 4"
    depot = "dinas-36.01"

    [policy]                        # overrides of the policy
    turnout = 0.7

    [costs]                         # optional unit costs in rupiah
    per_km = 1500
    per_boat_trip = 750000
    per_team_day = 400000

In a comparison every scenario is applied on top of the *base* scenario: files it does not
name come from the base, and the base's overrides apply before its own. Every problem in a
file is listed in one :class:`~planner.core.errors.ConfigError`, each with the file and the field
path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.core.errors import ConfigError, PlannerError
from planner.domain.config import (
    Policy,
    TeamsConfig,
    apply_overrides,
    load_policy,
    load_teams,
    read_toml,
    validate_teams_against,
)

SCENARIO_KEYS: tuple[str, ...] = (
    "name",
    "description",
    "teams_file",
    "policy_file",
    "registry",
    "teams",
    "policy",
    "costs",
)
"""Keys allowed at the top of a scenario file."""

COST_KEYS: tuple[str, ...] = ("per_km", "per_boat_trip", "per_team_day")
"""Unit costs (rupiah): per km driven, per team-day with a boat crossing (one charter there
and back), per team-day worked."""


@dataclass(frozen=True)
class UnitCosts:
    """Unit costs in rupiah; ``None`` = not given (the cost column stays empty)."""

    per_km: float | None = None
    per_boat_trip: float | None = None
    per_team_day: float | None = None

    @property
    def given(self) -> bool:
        """True when at least one unit cost is set."""
        return any(v is not None for v in (self.per_km, self.per_boat_trip, self.per_team_day))

    def week_cost(
        self, km: float, boat_trips: int, team_days: int, lodging_idr: float = 0.0
    ) -> float | None:
        """Cost of a week's plan, or ``None`` when no unit cost is given.

        ``lodging_idr``: the plan's nights away at each team's ``lodging_per_night``
        (``plan.json`` summary), added whenever a unit cost is given.
        """
        if not self.given:
            return None
        return (
            (self.per_km or 0.0) * km
            + (self.per_boat_trip or 0.0) * boat_trips
            + (self.per_team_day or 0.0) * team_days
            + lodging_idr
        )


@dataclass(frozen=True)
class ScenarioFile:
    """A parsed, not yet resolved scenario file (paths made absolute)."""

    path: Path
    name: str
    description: str
    teams_file: Path | None
    policy_file: Path | None
    registry: Path | None
    teams: dict[str, Any] = field(default_factory=dict)
    policy: dict[str, Any] = field(default_factory=dict)
    costs: UnitCosts | None = None


@dataclass(frozen=True)
class Scenario:
    """A scenario resolved against its base: validated teams and policy, ready to plan."""

    key: str
    name: str
    description: str
    path: Path | None
    teams: TeamsConfig
    policy: Policy
    registry: Path | None
    costs: UnitCosts


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def read_scenario(path: str | Path) -> ScenarioFile:
    """Read and check the shape of one scenario file (every problem listed at once).

    Raises
    ------
    ConfigError
        Missing or unreadable file, unknown keys, a missing name, bad unit costs, a file
        named in it that does not exist.
    """
    p = Path(path)
    data = read_toml(p)
    src = str(p)
    problems: list[str] = []
    for key in data:
        if key not in SCENARIO_KEYS:
            problems.append(f"{src}: {key}: unknown key (allowed: {', '.join(SCENARIO_KEYS)})")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f'{src}: name: required, a text in quotes (e.g. "Tambah dua tim")')
    description = data.get("description", "")
    if not isinstance(description, str):
        problems.append(f"{src}: description: must be a text in quotes")
    files: dict[str, Path | None] = {}
    for key in ("teams_file", "policy_file", "registry"):
        value = data.get(key)
        files[key] = None
        if value is None:
            continue
        if not isinstance(value, str) or not value:
            problems.append(f"{src}: {key}: must be a file path in quotes")
            continue
        target = (p.parent / value).resolve()
        if not target.is_file():
            problems.append(f"{src}: {key}: file not found: {target}")
        files[key] = target
    tables: dict[str, dict[str, Any]] = {}
    for key in ("teams", "policy"):
        value = data.get(key, {})
        if not isinstance(value, Mapping):
            problems.append(f"{src}: {key}: must be a table [{key}]")
            value = {}
        tables[key] = dict(value)
    costs = None
    raw_costs = data.get("costs")
    if raw_costs is not None:
        if not isinstance(raw_costs, Mapping):
            problems.append(f"{src}: costs: must be a table [costs]")
        else:
            values: dict[str, float] = {}
            for key, value in raw_costs.items():
                if key not in COST_KEYS:
                    problems.append(
                        f"{src}: costs.{key}: unknown key (allowed: {', '.join(COST_KEYS)})"
                    )
                elif not _is_number(value) or not math.isfinite(value) or value < 0:
                    problems.append(
                        f"{src}: costs.{key}: must be a number ≥ 0 in rupiah (got {value!r})"
                    )
                else:
                    values[key] = float(value)
            costs = UnitCosts(**values)
    if problems:
        raise ConfigError(problems)
    assert isinstance(name, str) and isinstance(description, str)
    return ScenarioFile(
        path=p,
        name=name.strip(),
        description=description,
        teams_file=files["teams_file"],
        policy_file=files["policy_file"],
        registry=files["registry"],
        teams=tables["teams"],
        policy=tables["policy"],
        costs=costs,
    )


def scenario_key(path: Path) -> str:
    """Short key of a scenario: its file name without ``.toml``."""
    return path.stem


def _label_team_indexes(message: str, teams: Mapping[str, Any] | TeamsConfig | None) -> str:
    """Add the team id to ``teams[N]`` in a message, so a merged index is easy to find."""
    ids: list[str] = []
    if isinstance(teams, TeamsConfig):
        ids = [t.id for t in teams.teams]
    elif isinstance(teams, Mapping):
        ids = [str(t.get("id")) for t in teams.get("teams", []) if isinstance(t, Mapping)]

    def label(match: re.Match[str]) -> str:
        i = int(match.group(1))
        return f"teams[{i}] (id={ids[i]})" if i < len(ids) else match.group(0)

    return re.sub(r"teams\[(\d+)\]", label, message)


def resolve_scenario(
    scenario: ScenarioFile,
    *,
    default_teams: Path,
    depot_ids: list[str],
    regency_codes: list[str],
    base: ScenarioFile | None = None,
) -> Scenario:
    """Apply a scenario (on top of ``base``, when given) to the base configuration.

    Parameters
    ----------
    scenario
        The scenario file.
    default_teams
        Teams file used when neither the scenario nor the base names one (the region's
        example teams, :func:`planner.io.plan_config.default_teams_path`).
    depot_ids, regency_codes
        The region's depots and regencies: every team must fit them.
    base
        The base scenario of a comparison; ``None`` for a scenario on its own.

    Raises
    ------
    ConfigError
        Every problem of the teams, the policy and the costs, with file and field path.
    """
    src = str(scenario.path)
    layers = [s for s in (base, scenario) if s is not None and s is not scenario] + [scenario]
    teams_file = scenario.teams_file or (base.teams_file if base else None) or default_teams
    policy_file = scenario.policy_file or (base.policy_file if base else None)
    registry = scenario.registry or (base.registry if base else None)
    problems: list[str] = []
    try:
        teams: TeamsConfig | None = load_teams(teams_file)
    except PlannerError as exc:
        problems += exc.problems
        teams = None
    try:
        policy: Policy | None = load_policy(policy_file)
    except PlannerError as exc:
        problems += exc.problems
        policy = None
    for layer in layers:
        lsrc = str(layer.path)
        if teams is not None and layer.teams:
            try:
                teams = apply_overrides(teams, layer.teams, source=f"{lsrc} [teams]")
            except ConfigError as exc:
                merged_ids = _merged_ids(teams, layer.teams)
                problems += [_label_team_indexes(m, merged_ids) for m in exc.problems]
                teams = None
        if policy is not None and layer.policy:
            try:
                policy = apply_overrides(policy, layer.policy, source=f"{lsrc} [policy]")
            except ConfigError as exc:
                problems += exc.problems
                policy = None
    if teams is not None:
        problems += validate_teams_against(teams, depot_ids, regency_codes, source=f"{src} (teams)")
    if problems or teams is None or policy is None:
        raise ConfigError(problems or [f"{src}: invalid scenario"])
    costs = scenario.costs or (base.costs if base else None) or UnitCosts()
    return Scenario(
        key=scenario_key(scenario.path),
        name=scenario.name,
        description=scenario.description,
        path=scenario.path,
        teams=teams,
        policy=policy,
        registry=registry,
        costs=costs,
    )


def _merged_ids(teams: TeamsConfig, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Team ids in the order :func:`apply_overrides` merges them (for error messages)."""
    ids = [t.id for t in teams.teams]
    extra = overrides.get("teams", [])
    if isinstance(extra, list):
        for item in extra:
            if isinstance(item, Mapping) and item.get("id") not in ids:
                ids.append(str(item.get("id")))
    return {"teams": [{"id": i} for i in ids]}


def base_scenario(default_teams: Path, path: Path | None = None) -> ScenarioFile:
    """The implicit base: the region's example teams and the default policy."""
    return ScenarioFile(
        path=path or default_teams,
        name="Dasar",
        description="Konfigurasi dasar: tim contoh wilayah dan kebijakan bawaan.",
        teams_file=None,
        policy_file=None,
        registry=None,
    )
