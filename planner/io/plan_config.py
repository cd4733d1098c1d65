"""Teams and policy of a plan: the given files or the region's examples, checked against it."""

from __future__ import annotations

from pathlib import Path

from planner.core.errors import ConfigError
from planner.domain.config import (
    Policy,
    TeamsConfig,
    apply_overrides,
    load_policy,
    load_teams,
    validate_teams_against,
)
from planner.io.region import Region


def default_teams_path(region: Region) -> Path:
    """The example teams of a region: ``<region folder>/teams.toml`` or ``examples/<key>/``."""
    inside = region.root / "teams.toml"
    if inside.exists():
        return inside
    return Path(__file__).resolve().parents[2] / "examples" / region.key / "teams.toml"


def load_plan_config(
    region: Region,
    teams_path: Path | None,
    policy_path: Path | None,
    solver_overrides: dict[str, object],
) -> tuple[TeamsConfig, Policy]:
    """Teams and policy for a plan, with command-line solver settings applied on top."""
    path = teams_path or default_teams_path(region)
    teams = load_teams(path)
    depots = region.depots["depot_id"].astype(str).tolist()
    problems = validate_teams_against(teams, depots, region.config.regency_codes, source=str(path))
    if problems:
        raise ConfigError(problems)
    policy = load_policy(policy_path)
    overrides = {k: v for k, v in solver_overrides.items() if v is not None}
    if overrides:
        policy = apply_overrides(policy, {"solver": overrides})
    return teams, policy
