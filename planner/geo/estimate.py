"""The bundled per-village estimate of unrecorded residents, and where a run's counts come from.

No public source gives the number of residents without an e-KTP record per village; offices
publish totals per province or regency only. The bundled registry is therefore an *estimate*
(``estimasi``), made by the documented model :data:`ESTIMATE_MODEL` below and calibrated so that
its totals equal the published figures exactly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from planner.core.errors import ConfigError, RegionError
from planner.geo.classify import ClassifiedVillages
from planner.io.region import Region
from planner.io.registry.counts import Registry
from planner.io.registry.loading import load_registry

ESTIMATE_MODEL = "jemput-estimasi-v1"
"""Name and version of the estimate model, written into every file made from it."""

ESTIMATE_LABEL = "estimasi"
"""What every people-facing output says when its counts come from the estimate."""


@dataclass(frozen=True)
class EstimateParams:
    """Multipliers of the estimate model (assumptions, not measurements).

    The only published hint on *where* the unrecorded live is qualitative: "mostly in remote
    (pelosok), rural coastal, border and island areas" (Antara Banten, Nov 2017; beritaindonesia,
    Nov 2017). The relative rates below encode that ordering; they are assumptions to be
    replaced by a real registry (``--registry``) whenever an office has one.

    Attributes
    ----------
    class_multiplier
        Relative unrecorded rate of a village with this class, against 1.0 for an ordinary desa.
        A village with several classes takes the largest multiplier (not the product), so that
        rates stay bounded.
    kelurahan_multiplier
        Relative rate of an urban kelurahan (near offices, better served): lower.
    noise_sigma
        Spread of the seeded log-normal village-to-village variation.
    max_unrecorded_share
        No village is estimated to have more than this share of its wajib KTP unrecorded.
    vulnerable_share
        Expected share of the unrecorded who are lansia (60+), disabilitas and pemula (turning
        17 before election day). Assumptions: pemula dominate late-stage backlogs (Banten
        counted 858,089 residents aged 15-19 in April 2018, Antara), lansia and disabled people
        are who cannot travel to an office.
    """

    class_multiplier: Mapping[str, float] = field(
        default_factory=lambda: {
            "pulau": 3.0,
            "terpencil": 2.5,
            "perbatasan": 1.8,
            "pesisir": 1.6,
            "perbatasan_kab": 1.2,
        }
    )
    kelurahan_multiplier: float = 0.7
    noise_sigma: float = 0.3
    max_unrecorded_share: float = 0.5
    vulnerable_share: Mapping[str, float] = field(
        default_factory=lambda: {"lansia": 0.12, "disabilitas": 0.02, "pemula": 0.30}
    )


@dataclass(frozen=True)
class RegencyTotals:
    """A published regency figure the estimate meets: its recorded share or unrecorded count."""

    kode_kab: str
    as_of: str
    source: str
    recorded_pct: float | None = None
    unrecorded: int | None = None

    def target(self, wajib: int) -> int:
        """Unrecorded residents of the regency, given the estimate's wajib KTP there."""
        if self.unrecorded is not None:
            return self.unrecorded
        assert self.recorded_pct is not None
        return round(wajib * (100.0 - self.recorded_pct) / 100.0)


@dataclass(frozen=True)
class PublishedTotals:
    """Published totals the estimate is calibrated to (the region's, and some regencies')."""

    as_of: str
    wajib_ktp: int
    unrecorded: int
    source: str
    regencies: tuple[RegencyTotals, ...] = ()


def allocate_integer(total: int, weights: np.ndarray, cap: np.ndarray | None = None) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), under ``cap``.

    Parameters
    ----------
    total
        The integer to split; the result sums to it exactly (raises if the caps cannot hold it).
    weights
        Non-negative weights.
    cap
        Optional per-item maximum.

    Examples
    --------
    >>> allocate_integer(10, np.array([1.0, 1.0, 2.0])).tolist()
    [2, 3, 5]
    """
    weights = np.asarray(weights, dtype=float)
    unbounded = np.full(len(weights), total, dtype=np.int64)
    cap_arr = unbounded if cap is None else np.minimum(np.asarray(cap, dtype=np.int64), total)
    if cap_arr.sum() < total:
        raise RegionError(f"cannot allocate {total:,} within the caps (sum {cap_arr.sum():,})")
    out = np.zeros(len(weights), dtype=np.int64)
    remaining = total
    active = weights > 0
    for _ in range(100):
        if remaining == 0 or not active.any():
            break
        w = np.where(active, weights, 0.0)
        exact = remaining * w / w.sum()
        share = np.floor(exact).astype(np.int64)
        room = cap_arr - out
        share = np.minimum(share, room)
        leftover = remaining - int(share.sum())
        frac = np.where(active & (share < room), exact - np.floor(exact), -1.0)
        # deterministic tie-break: larger remainder first, then lower index
        order = np.lexsort((np.arange(len(frac)), -frac))
        for j in order[:leftover]:
            if frac[j] < 0:
                break
            share[j] += 1
        out += share
        remaining = total - int(out.sum())
        active = active & (out < cap_arr)
    if remaining:
        raise RegionError(f"could not allocate {remaining:,} of {total:,} within the caps")
    return out


def _village_noise(codes: pd.Series, seed: int, sigma: float) -> np.ndarray:
    """Seeded log-normal factor per village, independent of row order."""
    out = np.empty(len(codes))
    for i, code in enumerate(codes.astype(str)):
        digest = hashlib.sha256(f"{seed}:{code}".encode()).digest()
        rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
        out[i] = rng.lognormal(0.0, sigma)
    return out


def wajib_ktp_base(villages: pd.DataFrame, population: pd.DataFrame | None) -> pd.DataFrame:
    """Per-village wajib-KTP base before calibration, with how each value was obtained.

    Villages created after the 2010 census have no population figure: they get the median of
    their kecamatan (``imputed_kecamatan_median``). Without any population source every village
    weighs the same (``uniform_no_population_source``).
    """
    base = villages[["kode", "kode_kec", "kode_kab"]].copy()
    if population is None or population.empty:
        base["wajib_base"] = 1.0
        base["wajib_method"] = "uniform_no_population_source"
        return base
    pop = population.set_index("kode")["wajib_ktp_est"]
    base["wajib_base"] = base["kode"].map(pop).astype(float)
    base["wajib_method"] = np.where(base["wajib_base"].notna(), "population_csv", "")
    kec_median = base.groupby("kode_kec")["wajib_base"].transform("median")
    kab_median = base.groupby("kode_kab")["wajib_base"].transform("median")
    missing = base["wajib_base"].isna()
    base.loc[missing, "wajib_base"] = kec_median[missing].fillna(kab_median[missing])
    base.loc[missing, "wajib_method"] = "imputed_kecamatan_median"
    base["wajib_base"] = base["wajib_base"].fillna(base["wajib_base"].median()).fillna(1.0)
    return base


def estimate_counts(
    villages: pd.DataFrame,
    population: pd.DataFrame | None,
    totals: PublishedTotals,
    *,
    seed: int = 0,
    params: EstimateParams | None = None,
) -> pd.DataFrame:
    """Estimate wajib KTP, recorded and unrecorded residents per village.

    Parameters
    ----------
    villages
        Classified villages (``kode``, ``kode_kec``, ``kode_kab`` and ``is_<class>`` columns).
    population
        The region's ``population.csv`` (``kode``, ``wajib_ktp_est``), or ``None``.
    totals
        Published totals; the result's sums equal them exactly.
    seed
        Seed of the village-to-village variation; same seed → same estimate.
    params
        Model multipliers.

    Returns
    -------
    pandas.DataFrame
        Columns ``kode_desa, wajib_ktp, sudah_rekam, belum_rekam, lansia, disabilitas, pemula,
        wajib_method, rate_multiplier``; one row per village, ordered by code.

    Notes
    -----
    A regency of ``totals.regencies`` gets exactly its published unrecorded count (or its
    recorded share of the wajib KTP the estimate puts there); the rest of the region's total is
    spread over the other regencies. Inside a regency the model's relative rates decide.
    """
    params = params or EstimateParams()
    frame = villages.sort_values("kode").reset_index(drop=True)
    base = wajib_ktp_base(frame, population)
    wajib = allocate_integer(totals.wajib_ktp, base["wajib_base"].to_numpy())

    multiplier = np.ones(len(frame))
    for name, value in params.class_multiplier.items():
        column = f"is_{name}"
        if column in frame:
            multiplier = np.where(
                frame[column].to_numpy(bool), np.maximum(multiplier, value), multiplier
            )
    is_kelurahan = frame["kode"].astype(str).str.replace(".", "", regex=False).str[6] == "1"
    plain = multiplier == 1.0
    multiplier = np.where(is_kelurahan & plain, params.kelurahan_multiplier, multiplier)
    noise = _village_noise(frame["kode"], seed, params.noise_sigma)
    weights = wajib * multiplier * noise
    belum = np.zeros(len(frame), dtype=np.int64)
    fixed = np.zeros(len(frame), dtype=bool)
    for regency in totals.regencies:
        mask = (frame["kode_kab"] == regency.kode_kab).to_numpy()
        if not mask.any():
            raise RegionError(f"estimate.regencies: no villages in regency {regency.kode_kab}")
        target = regency.target(int(wajib[mask].sum()))
        # a regency far behind (Empat Lawang: 55 % unrecorded) needs room above the usual cap
        share = max(params.max_unrecorded_share, min(0.95, 1.5 * target / wajib[mask].sum()))
        belum[mask] = allocate_integer(
            target, weights[mask], cap=np.floor(wajib[mask] * share).astype(np.int64)
        )
        fixed |= mask
    rest = totals.unrecorded - int(belum.sum())
    if rest < 0:
        raise RegionError(
            f"the regency figures give {int(belum.sum()):,} unrecorded, more than the "
            f"region's {totals.unrecorded:,}"
        )
    cap = np.floor(wajib[~fixed] * params.max_unrecorded_share).astype(np.int64)
    belum[~fixed] = allocate_integer(rest, weights[~fixed], cap=cap)

    out = pd.DataFrame(
        {
            "kode_desa": frame["kode"].astype(str),
            "wajib_ktp": wajib,
            "sudah_rekam": wajib - belum,
            "belum_rekam": belum,
        }
    )
    for offset, (group, share) in enumerate(params.vulnerable_share.items()):
        rng = np.random.default_rng([seed, 1000 + offset])
        out[group] = rng.binomial(belum, share).astype(np.int64)
    out["wajib_method"] = base["wajib_method"].to_numpy()
    out["rate_multiplier"] = np.round(multiplier * noise, 4)
    return out


def describe_estimate(
    totals: PublishedTotals, seed: int, params: EstimateParams, *, uniform: bool = False
) -> str:
    """One-line description of the estimate, written next to every use of it.

    ``uniform``: the region has no village population, so wajib KTP is spread evenly.
    """
    mult = ", ".join(f"{k}×{v:g}" for k, v in params.class_multiplier.items())
    spread = (
        "sama rata antar desa (tanpa data penduduk desa)"
        if uniform
        else "∝ proyeksi penduduk desa × rasio wajib KTP"
    )
    text = (
        f"{ESTIMATE_MODEL} (seed {seed}): wajib KTP per desa {spread}, dikalibrasi ke "
        f"{totals.wajib_ktp:,} wajib KTP dan {totals.unrecorded:,} belum rekam "
        f"({totals.as_of}, {totals.source}); laju belum rekam relatif: {mult}, "
        f"kelurahan ×{params.kelurahan_multiplier:g}, variasi log-normal σ={params.noise_sigma:g}"
    )
    if totals.regencies:
        figures = ", ".join(
            f"{r.kode_kab} {r.recorded_pct:g} % terekam"
            if r.recorded_pct is not None
            else f"{r.kode_kab} {r.unrecorded:,} belum rekam"
            for r in totals.regencies
        )
        sources = "; ".join(dict.fromkeys(f"{r.as_of}, {r.source}" for r in totals.regencies))
        text += (
            f"; per kabupaten/kota sesuai angka terbit: {figures} ({sources}); sisa belum rekam "
            "disebar ke kabupaten/kota lain"
        )
    return text


# ---------------------------------------------------------------------------------------------
# Demand of a planning week: expected recordings per visit site, priorities, visit chunks
# ---------------------------------------------------------------------------------------------


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
    regencies = tuple(
        RegencyTotals(r.kode_kab, r.as_of, r.source, r.recorded_pct, r.unrecorded)
        for r in est.regencies
    )
    totals = PublishedTotals(est.as_of, est.wajib_ktp, est.unrecorded, est.source, regencies)
    params = EstimateParams()
    counts = estimate_counts(
        classified.villages, region.population, totals, seed=seed, params=params
    )
    return Registry.from_frame(
        counts.drop(columns=["wajib_method", "rate_multiplier"]),
        source=f"{ESTIMATE_MODEL}:{region.key}:{est.as_of}:seed{seed}",
        is_estimate=True,
        estimate_model=describe_estimate(totals, seed, params, uniform=region.population is None),
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
