"""End-to-end jobs behind ``jemput compare`` and ``jemput project`` (also for notebooks)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from planner.core.errors import ConfigError
from planner.geo.estimate import load_demand
from planner.geo.region_classes import classify_region_cached
from planner.io.outputs import atomic_output_dir
from planner.io.plan_config import default_teams_path
from planner.io.region import Region, load_region
from planner.io.registry import Registry
from planner.scenarios.compare import Comparison, compare_scenarios, with_solver, write_comparison
from planner.scenarios.model import Scenario, base_scenario, read_scenario, resolve_scenario
from planner.scenarios.projection import Projection, project, write_projection
from planner.travel.regional import travel_model_for, with_travel

DEFAULT_PROJECTION_WEEKS = 26
"""Horizon of a projection when neither ``until`` nor the policy's deadline is given."""


def parse_monday(value: str, option: str) -> date:
    """A ``YYYY-MM-DD`` Monday, or a :class:`ConfigError` naming the option."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{option}: '{value}' is not a date (YYYY-MM-DD)") from None
    if day.weekday() != 0:
        monday = day - timedelta(days=day.weekday())
        raise ConfigError(f"{option}: {day.isoformat()} is not a Monday; use {monday.isoformat()}")
    return day


def default_week(region: Region) -> date:
    """First Monday of the month of the region's published totals (the estimate's date)."""
    est = region.config.estimate
    if est is None:
        raise ConfigError(f"region '{region.key}' has no published totals: give --week")
    first = (
        date.fromisoformat(f"{est.as_of}-01")
        if len(est.as_of) == 7
        else date.fromisoformat(est.as_of)
    )
    return first + timedelta(days=(7 - first.weekday()) % 7)


def load_scenarios(region: Region, paths: Sequence[Path]) -> list[Scenario]:
    """Read every scenario file, resolve each on the first (the base); list every problem."""
    problems: list[str] = []
    files = []
    for path in paths:
        try:
            files.append(read_scenario(path))
        except ConfigError as exc:
            problems += exc.problems
    if problems:
        raise ConfigError(problems)
    keys = [f.path.stem for f in files]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ConfigError(f"scenario file names must differ; repeated: {', '.join(repeated)}")
    teams = default_teams_path(region)
    depots = region.depots["depot_id"].astype(str).tolist()
    regencies = list(region.config.regency_codes)
    out: list[Scenario] = []
    for i, file in enumerate(files):
        try:
            out.append(
                resolve_scenario(
                    file,
                    default_teams=teams,
                    depot_ids=depots,
                    regency_codes=regencies,
                    base=files[0] if i else None,
                )
            )
        except ConfigError as exc:
            problems += exc.problems
    if problems:
        raise ConfigError(problems)
    return out


def registry_loader(region: Region, seed: int) -> Callable[[Scenario], Registry]:
    """Counts per village of a scenario (its registry file, else the estimate), memoised."""
    cache: dict[Path | None, Registry] = {}

    def load(scenario: Scenario) -> Registry:
        if scenario.registry not in cache:
            classified = classify_region_cached(region, scenario.policy.terpencil_minutes)
            cache[scenario.registry] = load_demand(region, classified, scenario.registry, seed)
        return cache[scenario.registry]

    return load


def compare_files(
    region_name: str,
    paths: Sequence[Path],
    *,
    week: date | None = None,
    weeks: int = 1,
    solver_overrides: dict[str, object] | None = None,
    seed: int = 0,
    workers: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    roads: Path | None = None,
    travel_matrix: Path | None = None,
) -> Comparison:
    """Compare scenario files (the first is the base) without writing anything.

    Examples
    --------
    >>> result = compare_files("banten", [Path("examples/scenarios/dasar.toml"),
    ...                                   Path("examples/scenarios/kerja_sabtu.toml")],
    ...                        solver_overrides={"time_limit_s": 3})  # doctest: +SKIP
    >>> result.table[["name", "planned_recordings"]]  # doctest: +SKIP
    """
    if not paths:
        raise ConfigError("give at least one scenario file (the first is the base)")
    if weeks < 1:
        raise ConfigError(f"--weeks must be at least 1 (got {weeks})")
    region = with_travel(load_region(region_name), roads=roads, matrix=travel_matrix)
    scenarios = load_scenarios(region, paths)
    monday = week or default_week(region)
    classified = classify_region_cached(region, scenarios[0].policy.terpencil_minutes)
    overrides = {"seed": seed, **(solver_overrides or {})}
    return compare_scenarios(
        region,
        classified,
        scenarios,
        monday,
        travel_model_for(region),
        registry_loader(region, seed),
        weeks=weeks,
        solver_overrides=overrides,
        workers=workers,
        progress=progress,
    )


def run_compare(
    region_name: str,
    paths: Sequence[Path],
    out: Path,
    *,
    week: date | None = None,
    weeks: int = 1,
    solver_overrides: dict[str, object] | None = None,
    seed: int = 0,
    workers: int = 1,
    progress: Callable[[str, int, int], None] | None = None,
    roads: Path | None = None,
    travel_matrix: Path | None = None,
) -> Comparison:
    """``jemput compare``: plan every scenario, write the table and chart into ``out``."""
    comparison = compare_files(
        region_name,
        paths,
        week=week,
        weeks=weeks,
        solver_overrides=solver_overrides,
        seed=seed,
        workers=workers,
        progress=progress,
        roads=roads,
        travel_matrix=travel_matrix,
    )
    with atomic_output_dir(out) as tmp:
        write_comparison(comparison, tmp)
    return comparison


def run_project(
    region_name: str,
    out: Path,
    *,
    start: date,
    until: date | None = None,
    scenario: Path | None = None,
    solver_overrides: dict[str, object] | None = None,
    seed: int = 0,
    workers: int = 1,
    progress: Callable[[int, int, dict[str, object]], None] | None = None,
    roads: Path | None = None,
    travel_matrix: Path | None = None,
) -> Projection:
    """``jemput project``: roll weekly plans forward and write the tables and chart."""
    region = with_travel(load_region(region_name), roads=roads, matrix=travel_matrix)
    if scenario is not None:
        chosen = load_scenarios(region, [scenario])[0]
    else:
        teams = default_teams_path(region)
        chosen = resolve_scenario(
            base_scenario(teams),
            default_teams=teams,
            depot_ids=region.depots["depot_id"].astype(str).tolist(),
            regency_codes=list(region.config.regency_codes),
        )
    policy = with_solver(chosen.policy, {"seed": seed, **(solver_overrides or {})})
    horizon = until or policy.deadline or start + timedelta(weeks=DEFAULT_PROJECTION_WEEKS)
    if horizon < start:
        raise ConfigError(f"--until {horizon.isoformat()} is before --from {start.isoformat()}")
    classified = classify_region_cached(region, policy.terpencil_minutes)
    registry = registry_loader(region, seed)(chosen)
    proj = project(
        region,
        classified,
        registry,
        chosen.teams,
        policy,
        start,
        horizon,
        travel_model_for(region),
        workers=workers,
        progress=progress,
    )
    title = f"Proyeksi belum rekam e-KTP, {region.config.name}: {chosen.name}"
    if registry.is_estimate:
        title += " (estimasi)"
    with atomic_output_dir(out) as tmp:
        write_projection(proj, tmp, title=title)
    return proj
