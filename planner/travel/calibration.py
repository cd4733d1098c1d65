"""Calibrate the estimate on observed door-to-door trips (``observed_times.csv`` of a region).

Observations are split once into a fit half and a test half **by group** (rows with the same
endpoints or the same source page stay together), by a hash of the group, so the split never
changes when rows are added elsewhere. The fit minimises the mean absolute log error of the
estimate on the fit half (car, bus, motorbike and boat rows; doubtful rows left out); errors
are reported on the other half. Modes: ``bus`` rows are driven as ``mobil``; ``kapal`` rows are
one boat crossing without the wait (the published times exclude it).
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from planner.core.errors import InputError
from planner.io.region import Region
from planner.travel.estimate import EstimateTravelModel
from planner.travel.geodesic import haversine_km
from planner.travel.params import TravelParams
from planner.travel.types import Mode, Place, Terrain, terrain_from_code

OBSERVED_FILE = "observed_times.csv"
MODE_OF_OBSERVATION = {
    "mobil": Mode.mobil,
    "bus": Mode.mobil,
    "motor": Mode.motor,
    "jalan_kaki": Mode.jalan_kaki,
    "kapal": Mode.perahu,
}
"""Observed mode -> model mode (a bus drives the car's roads; a boat row is one crossing)."""

DOUBTFUL_MARKS = ("POOR PRECISION", "UNRESOLVED")
ESTIMATE_ROWS = {"SS001", "SS002", "SS003", "SS004", "SS019", "SS020", "SS027", "SM012", "AN003"}
"""Rows that quote an estimate or a listicle range, not a trip (observed_times README)."""
FITTED_MODES = ("mobil", "bus", "motor", "kapal")
"""Walking rows (all inside Baduy, endpoints at polygon label points) are reported, not fitted."""


@dataclass(frozen=True)
class Observation:
    """One observed trip, located, with the base distance the estimate starts from."""

    obs_id: str
    region: str
    mode: str
    minutes: float
    a: Place
    b: Place
    base_km: float
    straight_km: float
    half: str
    doubtful: bool
    url: str
    date: str


def _terrain(kode: str, hutan: set[str]) -> Terrain:
    if kode in hutan or kode[:8] in hutan:
        return Terrain.hutan
    return terrain_from_code(kode) if len(kode) == 13 else Terrain.desa


def _groups(rows: list[dict[str, str]]) -> list[str]:
    """Group key per row: rows sharing endpoints (either direction) or a URL are joined."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, r in enumerate(rows):
        pair = "|".join(sorted((r["from_kode"], r["to_kode"])))
        for key in (f"pair:{pair}", f"url:{r['source_url'].strip()}"):
            if key in first:
                parent[find(i)] = find(first[key])
            else:
                first[key] = i
    roots = [find(i) for i in range(len(rows))]
    return [min(rows[j]["obs_id"] for j in range(len(rows)) if roots[j] == root) for root in roots]


def split_halves(groups: Sequence[str]) -> dict[str, str]:
    """``fit`` or ``test`` per group: groups in the order of their hash, each to the half
    with fewer rows so far (ties to ``fit``): a fixed split into near-equal halves."""
    sizes: dict[str, int] = {}
    for g in groups:
        sizes[g] = sizes.get(g, 0) + 1
    order = sorted(sizes, key=lambda g: hashlib.sha256(g.encode()).hexdigest())
    count = {"fit": 0, "test": 0}
    half: dict[str, str] = {}
    for g in order:
        side = "fit" if count["fit"] <= count["test"] else "test"
        half[g] = side
        count[side] += sizes[g]
    return half


def load_observations(region: Region) -> list[Observation]:
    """Read and locate ``observed_times.csv`` of ``region`` (empty if the file is absent).

    Raises
    ------
    InputError
        One line per bad row (non-numeric minutes or coordinates).
    """
    path = region.root / OBSERVED_FILE
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    problems: list[str] = []
    for n, r in enumerate(rows, start=2):
        for col in ("minutes", "from_lon", "from_lat", "to_lon", "to_lat"):
            try:
                if not math.isfinite(float(r[col])):
                    raise ValueError
            except (ValueError, KeyError):
                problems.append(f"{path}: row {n}, column {col}: '{r.get(col)}' is not a number")
        if r.get("mode") not in MODE_OF_OBSERVATION:
            problems.append(f"{path}: row {n}, column mode: unknown mode '{r.get('mode')}'")
    if problems:
        raise InputError(problems)
    hutan = set(region.config.terrain.hutan_village_codes)
    hutan |= set(region.config.terrain.hutan_kecamatan_codes)
    groups = _groups(rows)
    halves = split_halves(groups)
    places = []
    for r in rows:
        a = Place(
            f"{r['obs_id']}:a",
            float(r["from_lon"]),
            float(r["from_lat"]),
            _terrain(r["from_kode"], hutan),
        )
        b = Place(
            f"{r['obs_id']}:b",
            float(r["to_lon"]),
            float(r["to_lat"]),
            _terrain(r["to_kode"], hutan),
        )
        places.append((a, b))
    land = list(region.villages.geometry.values)
    epsg = int(str(region.config.crs_metric).split(":")[-1])
    model = EstimateTravelModel(TravelParams(), land=land, crs_metric=epsg)
    flat = [p for pair in places for p in pair]
    base = model.base_km(flat)
    out = []
    for i, (r, (a, b)) in enumerate(zip(rows, places, strict=True)):
        straight = float(
            haversine_km(np.array(a.lon), np.array(a.lat), np.array(b.lon), np.array(b.lat))
        )
        km = float(base[2 * i, 2 * i + 1])
        if r["mode"] == "kapal" or not math.isfinite(km):
            km = straight  # boats cross open water; a point off the land grid goes straight
        doubtful = r["obs_id"] in ESTIMATE_ROWS or any(
            m in r.get("locate_method", "") for m in DOUBTFUL_MARKS
        )
        out.append(
            Observation(
                r["obs_id"],
                r["region"],
                r["mode"],
                float(r["minutes"]),
                a,
                b,
                km,
                straight,
                halves[groups[i]],
                doubtful,
                r["source_url"],
                r["source_date"],
            )
        )
    return out


def estimate_minutes(obs: Observation, params: TravelParams) -> float:
    """The estimate's minutes for one observed trip (closed form of the estimate model)."""
    mode = MODE_OF_OBSERVATION[obs.mode]
    if mode == Mode.perahu:  # one crossing, boarding and wait excluded like the sources
        return obs.base_km * params.circuity[mode] / params.trunk_speed_kmh[mode] * 60.0
    speed = params.access_speed_kmh[mode]
    access = sum(params.access_km[p.terrain] / speed[p.terrain] * 60.0 for p in (obs.a, obs.b))
    trunk = obs.base_km * params.circuity[mode] / params.trunk_speed_kmh[mode] * 60.0
    return (trunk + access) * (1.0 + params.slack_pct / 100.0)


def errors(observations: Sequence[Observation], params: TravelParams) -> pd.DataFrame:
    """One row per observation: observed and estimated minutes, signed and absolute % error."""
    rows = []
    for o in observations:
        est = estimate_minutes(o, params)
        rows.append(
            {
                "obs_id": o.obs_id,
                "region": o.region,
                "mode": o.mode,
                "terrain": max((o.a.terrain, o.b.terrain), key=list(Terrain).index).value,
                "half": o.half,
                "doubtful": o.doubtful,
                "observed_min": o.minutes,
                "estimate_min": round(est, 1),
                "error_pct": round((est / o.minutes - 1.0) * 100.0, 1),
                "abs_error_pct": round(abs(est / o.minutes - 1.0) * 100.0, 1),
            }
        )
    return pd.DataFrame(rows)


def summarise(table: pd.DataFrame, by: Sequence[str] = ("mode",)) -> pd.DataFrame:
    """Rows, median and 90th-percentile absolute % error, overall and per ``by``."""
    parts = [table.assign(**{k: "semua" for k in by})]
    parts.append(table)
    merged = pd.concat(parts, ignore_index=True)
    out = merged.groupby(list(by), sort=True)["abs_error_pct"].agg(
        rows="count",
        median_abs_pct="median",
        p90_abs_pct=lambda s: float(np.percentile(s, 90)),
    )
    return out.round(1).reset_index()


_FREE = ("mobil_speed", "access_desa", "access_hutan", "boat_speed")


def with_theta(base: TravelParams, theta: Sequence[float]) -> TravelParams:
    """``base`` with the fitted figures; the motorbike keeps its default ratio to the car."""
    car, desa, hutan, boat = (float(v) for v in theta)
    ratio = base.trunk_speed_kmh[Mode.motor] / base.trunk_speed_kmh[Mode.mobil]
    return base.model_copy(
        update={
            "trunk_speed_kmh": {
                **base.trunk_speed_kmh,
                Mode.mobil: car,
                Mode.motor: car * ratio,
                Mode.perahu: boat,
            },
            "access_km": {**base.access_km, Terrain.desa: desa, Terrain.hutan: hutan},
        }
    )


def fit_params(
    observations: Sequence[Observation], base: TravelParams | None = None
) -> tuple[TravelParams, dict[str, float]]:
    """Fit car speed, access km (desa, hutan) and boat speed on the fit half.

    Returns the fitted params (no slack yet) and the fitted figures by name. The objective is
    the mean absolute log error (robust to the few long trips with meal stops).
    """
    base = base or TravelParams()
    rows = [o for o in observations if o.half == "fit" and not o.doubtful]
    rows = [o for o in rows if o.mode in FITTED_MODES]
    if not rows:
        raise InputError("no usable observations in the fit half")
    x0 = np.array(
        [
            base.trunk_speed_kmh[Mode.mobil],
            base.access_km[Terrain.desa],
            base.access_km[Terrain.hutan],
            base.trunk_speed_kmh[Mode.perahu],
        ]
    )
    # access km stay within the range their defaults' reasoning gives (kota 0.5, desa 1-3,
    # hutan 3-8): with ~40 trips, free access lengths soak up the trunk error (tried: desa 8.7
    # km, hutan 0.2 km, worse on the test half)
    lo, hi = np.array([10.0, 1.0, 3.0, 5.0]), np.array([90.0, 3.0, 8.0, 60.0])
    observed = np.log([o.minutes for o in rows])

    def loss(theta: np.ndarray) -> float:
        clipped = np.clip(theta, lo, hi)
        params = with_theta(base, clipped)
        est = np.log([max(estimate_minutes(o, params), 1e-3) for o in rows])
        return float(np.mean(np.abs(est - observed)) + np.sum(np.abs(theta - clipped)))

    best = minimize(loss, x0, method="Nelder-Mead", options={"xatol": 1e-3, "fatol": 1e-6})
    theta = np.clip(best.x, lo, hi)
    return with_theta(base, theta), dict(
        zip(_FREE, (round(float(v), 3) for v in theta), strict=True)
    )


def held_back_p90(observations: Sequence[Observation], params: TravelParams) -> float:
    """90th-percentile absolute % error on the held-back half (doubtful rows left out)."""
    table = errors(observations, params.model_copy(update={"slack_pct": 0.0}))
    test = table[(table["half"] == "test") & ~table["doubtful"]]
    return round(float(np.percentile(test["abs_error_pct"], 90)), 1) if len(test) else 0.0


def under_estimate_slack(observations: Sequence[Observation], params: TravelParams) -> float:
    """90th percentile of (observed / estimate - 1) on the fit half's land rows, in %, >= 0.

    With this reserve added, nine trips in ten of the fit half take no longer than announced.
    """
    rows = [o for o in observations if o.half == "fit" and not o.doubtful and o.mode != "kapal"]
    ratios = [o.minutes / estimate_minutes(o, params) - 1.0 for o in rows]
    return max(0.0, round(float(np.percentile(ratios, 90)) * 100.0, 0)) if ratios else 0.0


def params_toml(params: TravelParams, fitted: dict[str, float], provenance: str) -> str:
    """The ``[params]`` TOML of a calibration (the figures that differ from the defaults)."""
    lines = [f"# {line}" for line in provenance.splitlines()]
    lines += ["[params]", f'calibration = "{provenance.splitlines()[0]}"']
    lines.append(f"slack_pct = {params.slack_pct:g}")
    if params.error_p90_pct is not None:
        lines.append(f"error_p90_pct = {params.error_p90_pct:g}")
    speeds = ", ".join(f"{m} = {params.trunk_speed_kmh[m]:.3f}" for m in Mode)
    lines.append(f"trunk_speed_kmh = {{ {speeds} }}")
    access = ", ".join(f"{t} = {params.access_km[t]:.3f}" for t in Terrain)
    lines.append(f"access_km = {{ {access} }}")
    lines.append(f"# fitted: {fitted}")
    return "\n".join(lines) + "\n"


def write_params(path: Path, text: str) -> None:
    """Write a params TOML (UTF-8)."""
    path.write_text(text, encoding="utf-8")


def relabel(observations: Sequence[Observation], half: str) -> list[Observation]:
    """All observations marked as one half (to report a region's full set)."""
    return [replace(o, half=half) for o in observations]
