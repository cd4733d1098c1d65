"""End-to-end jobs shared by the CLI, notebooks and tests: region → classes → demand → outputs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.config import (
    Policy,
    TeamsConfig,
    apply_overrides,
    load_policy,
    load_teams,
    validate_teams_against,
)
from planner.demand import (
    ESTIMATE_MODEL,
    EstimateParams,
    PublishedTotals,
    describe_estimate,
    estimate_counts,
)
from planner.errors import ConfigError
from planner.geography import (
    ClassifiedVillages,
    GeographyParams,
    IslandSite,
    classify_villages,
    mark_terpencil,
)
from planner.inputs import Registry, load_registry, save_registry_csv
from planner.locate import DemandSource, LocateResult, build_result, write_locate_outputs
from planner.outputs import atomic_output_dir
from planner.plan import WeekPlan
from planner.region import Region, load_region
from planner.travel import EstimateTravelModel, Mode, Place, Port, Terrain, TravelModel

TERPENCIL_MINUTES = 90.0
"""Default threshold of the ``terpencil`` class (minutes from the nearest regency office)."""


def site_places(sites: gpd.GeoDataFrame) -> list[Place]:
    """Travel-model places of the visit sites (terrain and island key included)."""
    return [
        Place(
            id=str(s.site_id),
            lon=float(s.lon),
            lat=float(s.lat),
            terrain=Terrain(str(s.terrain)),
            island=None if s.island is None or s.island != s.island else str(s.island),
        )
        for s in sites.itertuples()
    ]


def depot_places(region: Region, kinds: Sequence[str] = ("dinas",)) -> list[Place]:
    """Travel-model places of the region's depots of the given kinds."""
    depots = region.depots[region.depots["kind"].isin(list(kinds))]
    return [
        Place(id=str(i), lon=float(x), lat=float(y), terrain=Terrain.kota)
        for i, x, y in zip(depots["depot_id"], depots["lon"], depots["lat"], strict=True)
    ]


def region_ports(region: Region) -> list[Port]:
    """The region's ports with the island villages each serves and the crossing minutes."""
    ports: list[Port] = []
    for port_id, rows in region.ports.groupby("port_id", sort=True):
        first = rows.iloc[0]
        serves: dict[str, float | None] = {}
        for code, minutes in zip(rows["serves_kode_desa"], rows["crossing_minutes"], strict=True):
            if isinstance(code, str) and code:
                serves[code] = None if pd.isna(minutes) else float(minutes)
        ports.append(
            Port(
                str(port_id),
                str(first["port_name"]),
                float(first["lon"]),
                float(first["lat"]),
                serves,
            )
        )
    return ports


def travel_model_for(region: Region, *, cache: bool = True) -> EstimateTravelModel:
    """The default travel model of a region: the estimate, with its ports and its land."""
    # the village polygons as they are: the travel grid rasterises them without a union
    land = list(region.villages.geometry.values)
    epsg = int(str(region.config.crs_metric).split(":")[-1])
    return EstimateTravelModel(ports=region_ports(region), land=land, crs_metric=epsg, cache=cache)


def describe_travel(model: TravelModel) -> str:
    """Short people-facing description of a travel model, quoted in reasons."""
    if isinstance(model, EstimateTravelModel):
        return "estimasi jarak garis lurus × faktor jalan, mobil; laut lewat pelabuhan"
    return type(model).__name__


_CLASSIFIED: dict[str, ClassifiedVillages] = {}

CLASSIFY_CACHE_VERSION = "1"
"""Bump when the classification changes for the same inputs (invalidates disk caches)."""


def _classify_key(region: Region, terpencil_minutes: float) -> str:
    """Hash of everything the classification depends on: region files, parameters, code."""
    import hashlib

    from planner.geography import GeographyParams

    h = hashlib.sha256()
    for path in sorted(region.root.iterdir()):
        if path.is_file() and path.suffix in (".gpkg", ".csv", ".toml"):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    travel = travel_model_for(region, cache=False)
    h.update(repr(GeographyParams()).encode())
    h.update(f"{terpencil_minutes}|{travel.fingerprint()}|{travel.params!r}".encode())
    h.update(CLASSIFY_CACHE_VERSION.encode())
    return h.hexdigest()[:32]


def classify_region_cached(
    region: Region, terpencil_minutes: float = TERPENCIL_MINUTES
) -> ClassifiedVillages:
    """:func:`classify_region` with the default travel model, memoised in memory and on disk.

    The disk cache (``$JEMPUT_CACHE_DIR/classify`` or ``~/.cache/jemput-bola/classify``) is
    keyed by a hash of the region's files, the parameters and :data:`CLASSIFY_CACHE_VERSION`,
    so editing a region or upgrading the model recomputes it. A damaged file is recomputed.
    """
    import os
    import pickle

    key = _classify_key(region, terpencil_minutes)
    if key in _CLASSIFIED:
        return _CLASSIFIED[key]
    root = os.environ.get("JEMPUT_CACHE_DIR")
    folder = Path(root).expanduser() if root else Path.home() / ".cache" / "jemput-bola"
    path = folder / "classify" / f"{region.key}-{key}.pkl"
    classified: ClassifiedVillages | None = None
    if path.exists():
        try:
            with path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, ClassifiedVillages):
                classified = loaded
        except Exception:  # a damaged cache file is recomputed, never fatal
            classified = None
    if classified is None:
        classified = classify_region(region, terpencil_minutes=terpencil_minutes)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            staging = path.with_suffix(f".tmp{os.getpid()}")
            with staging.open("wb") as handle:
                pickle.dump(classified, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(staging, path)
        except OSError:
            pass  # a read-only cache folder only costs time
    _CLASSIFIED[key] = classified
    return classified


def classify_region(
    region: Region,
    *,
    travel: TravelModel | None = None,
    terpencil_minutes: float = TERPENCIL_MINUTES,
    params: GeographyParams | None = None,
) -> ClassifiedVillages:
    """Classify every village of ``region``, with ``terpencil`` from the travel model.

    ``terpencil`` = the minutes by car (and boat from a port, for islands) from the nearest
    regency Disdukcapil office exceed ``terpencil_minutes``.
    """
    config = region.config
    island_sites: dict[str, list[IslandSite]] = {}
    for site in config.island_sites:
        island_sites.setdefault(site.kode_desa, []).append(
            IslandSite(site.kode_desa, site.island, site.population_share, site.source)
        )
    classified = classify_villages(
        region.villages,
        region.neighbours,
        region.islands,
        crs_metric=config.crs_metric,
        province_codes=config.province_codes,
        island_sites=island_sites,
        hutan_villages=[v.kode for v in config.terrain.hutan_villages],
        hutan_kecamatan=[k.kode for k in config.terrain.hutan_kecamatan],
        params=params,
    )
    travel = travel or travel_model_for(region)
    depots = depot_places(region)
    depot_names = dict(zip(region.depots["depot_id"], region.depots["name"], strict=True))

    def minutes_to_nearest(sites: gpd.GeoDataFrame) -> tuple[np.ndarray, list[str]]:
        places = site_places(sites)
        matrix = travel.matrix([*depots, *places], Mode.mobil, boat=True)
        from_depots = matrix.minutes[: len(depots), len(depots) :]
        nearest = from_depots.argmin(axis=0)
        minutes = from_depots[nearest, np.arange(len(places))]
        return minutes, [depot_names[depots[j].id] for j in nearest]

    return mark_terpencil(
        classified, minutes_to_nearest, terpencil_minutes, method=describe_travel(travel)
    )


def estimate_registry(
    region: Region, classified: ClassifiedVillages, *, seed: int = 0, as_of: str | None = None
) -> Registry:
    """The bundled estimate of counts per village for ``region`` (labelled estimasi)."""
    est = region.config.estimate
    if est is None:
        raise ConfigError(f"region '{region.key}' has no [estimate] totals in region.toml")
    if as_of is not None and as_of != est.as_of:
        raise ConfigError(
            f"region '{region.key}' has published totals for {est.as_of}, not {as_of}; "
            f"use --as-of {est.as_of}"
        )
    totals = PublishedTotals(est.as_of, est.wajib_ktp, est.unrecorded, est.source)
    params = EstimateParams()
    counts = estimate_counts(
        classified.villages, region.population, totals, seed=seed, params=params
    )
    return Registry.from_frame(
        counts.drop(columns=["wajib_method", "rate_multiplier"]),
        source=f"{ESTIMATE_MODEL}:{region.key}:{est.as_of}:seed{seed}",
        is_estimate=True,
        estimate_model=describe_estimate(totals, seed, params),
    )


def load_demand(
    region: Region, classified: ClassifiedVillages | None, registry: Path | None, seed: int
) -> Registry:
    """The user's registry if given (validated against the region's codes), else the estimate."""
    if registry is None:
        if classified is None:
            raise ValueError("the estimate needs the classified villages")
        return estimate_registry(region, classified, seed=seed)
    names = dict(zip(region.villages["kode"], region.villages["nama"], strict=True))
    return load_registry(registry, known_codes=names, region_name=region.config.name)


def run_locate(
    region_name: str, out: Path, *, registry: Path | None = None, seed: int = 0
) -> tuple[LocateResult, list[Path]]:
    """``jemput locate``: classify, join counts and write every output into ``out``."""
    region = load_region(region_name)
    # a user registry is validated before the (slower) classification: bad input fails fast
    user_registry = None if registry is None else load_demand(region, None, registry, seed)
    classified = classify_region_cached(region)
    demand = user_registry or load_demand(region, classified, None, seed)
    source = DemandSource(
        name=demand.source,
        is_estimate=demand.is_estimate,
        model=demand.estimate_model,
        notes=tuple(demand.notes),
    )
    result = build_result(region.key, region.config.name, classified, demand.counts, source)
    written = write_locate_outputs(result, out, depots=region.depots, ports=region.ports)
    return result, written


def write_estimate_registry(
    region_name: str, out: Path, *, as_of: str | None = None, seed: int = 0
) -> Registry:
    """``jemput estimate-registry``: write the estimate as a registry CSV."""
    if out.is_dir():
        raise ConfigError(f"--out {out}: is a folder; give the name of the CSV file to write")
    region = load_region(region_name)
    classified = classify_region_cached(region)
    registry = estimate_registry(region, classified, seed=seed, as_of=as_of)
    save_registry_csv(registry, out)
    return registry


def default_teams_path(region: Region) -> Path:
    """The example teams of a region: ``<region folder>/teams.toml`` or ``examples/<key>/``."""
    inside = region.root / "teams.toml"
    if inside.exists():
        return inside
    return Path(__file__).resolve().parents[1] / "examples" / region.key / "teams.toml"


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


def run_plan(
    region_name: str,
    week: date,
    out: Path,
    *,
    teams_path: Path | None = None,
    policy_path: Path | None = None,
    registry: Path | None = None,
    solver_overrides: dict[str, object] | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    lock: Path | None = None,
    done: Path | None = None,
    from_date: date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> WeekPlan:
    """``jemput plan``: plan a week and write every output into ``out`` atomically.

    With ``lock`` (an earlier ``plan.json``), ``done`` (``DONE.csv``) and ``from_date``, the
    week is re-planned from that date: see :mod:`planner.replan`.
    """
    import time

    from planner.plan import plan_week
    from planner.plan_io import write_itinerary_csv, write_plan_json, write_run_json
    from planner.reports import write_plan_reports

    started = time.perf_counter()
    region = load_region(region_name)
    teams, policy = load_plan_config(region, teams_path, policy_path, solver_overrides or {})
    user_registry = None if registry is None else load_demand(region, None, registry, 0)
    if progress is not None:
        progress("classify", 0, 1)
    classified = classify_region_cached(region, policy.terpencil_minutes)
    demand = user_registry or load_demand(region, classified, None, policy.solver.seed)
    if (done is not None or from_date is not None) and lock is None:
        raise ConfigError("--done and --from need --lock PLAN.json (the plan being revised)")
    replan = None
    if lock is not None:
        from planner.replan import prepare_replan

        if from_date is None:
            raise ConfigError("--lock needs --from DATE: the first day to re-plan")
        replan = prepare_replan(
            demand, lock, done, from_date, region_key=region.key, week_start=week
        )
        demand = replan.registry
        from planner.bases import with_bases
        from planner.config import AUTO_BASE

        # keep where the "auto" teams sleep this week: a re-plan must not move them
        keep = {
            t.id: replan.bases[t.id]
            for t in teams.teams
            if t.base == AUTO_BASE and t.id in replan.bases
        }
        teams = with_bases(teams, keep)
    travel = travel_model_for(region)
    plan = plan_week(
        region,
        classified,
        demand,
        teams,
        policy,
        week,
        travel,
        workers=workers,
        scheduler=scheduler,
        visited=replan.visited if replan else None,
        pinned=replan.pinned if replan else (),
        from_date=replan.from_date if replan else None,
        calendar_source=str(policy_path) if policy_path else "default calendar",
        progress=progress,
    )
    if demand.notes:
        plan.meta["registry_notes"] = list(demand.notes)
    from planner import interrupt

    if interrupt.interrupted_by() is not None:  # a first Ctrl-C: the best plan so far
        plan.meta["interrupted"] = interrupt.interrupted_by()
    if replan is not None:
        plan.meta["replanned_from"] = replan.from_date.isoformat()
        plan.meta["done"] = list(replan.done)
    with atomic_output_dir(out) as tmp:
        write_plan_json(plan, tmp / "plan.json")
        write_itinerary_csv(plan, tmp / "itinerary.csv")
        write_plan_reports(plan, region, classified, tmp, travel=travel)
        write_run_json(plan, tmp / "run.json", time.perf_counter() - started)
    return plan
