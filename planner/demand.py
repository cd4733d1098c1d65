"""Demand: the bundled per-village estimate of unrecorded residents.

No public source gives the number of residents without an e-KTP record per village; offices
publish totals per province or regency only. The bundled registry is therefore an *estimate*
(``estimasi``), made by the documented model :data:`ESTIMATE_MODEL` below and calibrated so that
its totals equal the published figures exactly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.errors import RegionError

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
class PublishedTotals:
    """Published totals the estimate is calibrated to."""

    as_of: str
    wajib_ktp: int
    unrecorded: int
    source: str


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
    cap = np.floor(wajib * params.max_unrecorded_share).astype(np.int64)
    belum = allocate_integer(totals.unrecorded, wajib * multiplier * noise, cap=cap)

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


def describe_estimate(totals: PublishedTotals, seed: int, params: EstimateParams) -> str:
    """One-line description of the estimate, written next to every use of it."""
    mult = ", ".join(f"{k}×{v:g}" for k, v in params.class_multiplier.items())
    return (
        f"{ESTIMATE_MODEL} (seed {seed}): wajib KTP per desa ∝ proyeksi penduduk 2017 × rasio "
        f"wajib KTP, dikalibrasi ke {totals.wajib_ktp:,} wajib KTP dan {totals.unrecorded:,} "
        f"belum rekam ({totals.as_of}, {totals.source}); laju belum rekam relatif: {mult}, "
        f"kelurahan ×{params.kelurahan_multiplier:g}, variasi log-normal σ={params.noise_sigma:g}"
    )


# ---------------------------------------------------------------------------------------------
# Demand of a planning week: expected recordings per visit site, priorities, visit chunks
# ---------------------------------------------------------------------------------------------

SITE_COLUMNS: tuple[str, ...] = (
    "site_id",
    "kode_desa",
    "nama",
    "kode_kec",
    "nama_kec",
    "kode_kab",
    "nama_kab",
    "kind",
    "island",
    "island_name",
    "terrain",
    "lon",
    "lat",
    "classes",
    "belum_rekam",
    "expected",
    "weight",
    "repeat",
)


def site_demand(
    villages: pd.DataFrame,
    sites: pd.DataFrame,
    counts: pd.DataFrame,
    *,
    turnout: float,
    repeat_turnout: float,
    ghost_share: float,
    class_weight: Callable[[Sequence[str]], float],
    vulnerable_weights: Mapping[str, float],
    visited: Collection[str] = (),
) -> pd.DataFrame:
    """Expected recordings and priority weight of every visit site.

    Parameters
    ----------
    villages
        Classified villages (``kode``, names, ``is_<class>`` columns).
    sites
        Visit sites (``site_id``, ``kode_desa``, ``demand_share``, ``island``...).
    counts
        Registry counts indexed by ``kode_desa`` (``belum_rekam``, ``lansia``...).
    turnout, repeat_turnout, ghost_share
        Expected attendance = belum rekam x (1 - ghost share) x turnout; ``repeat_turnout``
        for sites in ``visited``.
    class_weight
        Weight of one recording given the village's classes (the policy's class weights).
    vulnerable_weights
        Extra weight per recording of lansia, disabilitas and pemula residents.
    visited
        Site ids already visited in earlier weeks (their turnout is the repeat turnout).

    Returns
    -------
    pandas.DataFrame
        One row per site with :data:`SITE_COLUMNS`, ordered by ``site_id``.
    """
    from planner.geography import CLASS_NAMES

    v = villages.set_index("kode")
    table = counts.reset_index() if "kode_desa" not in counts.columns else counts
    table = table.set_index("kode_desa")
    frame = sites.copy()
    code = frame["kode_desa"]
    share = frame["demand_share"].to_numpy(dtype=float)
    belum = code.map(table["belum_rekam"]).fillna(0).to_numpy(dtype=float) * share
    visited_set = set(visited)
    repeat = frame["site_id"].isin(visited_set).to_numpy()
    rate = np.where(repeat, repeat_turnout, turnout) * (1.0 - ghost_share)
    classes = [tuple(c for c in CLASS_NAMES if bool(v.at[k, f"is_{c}"])) for k in code.astype(str)]
    base = np.array([class_weight(c) for c in classes])
    bonus = np.zeros(len(frame))
    belum_village = code.map(table["belum_rekam"]).fillna(0).to_numpy(dtype=float)
    for group, extra in vulnerable_weights.items():
        if group in table:
            members = code.map(table[group]).fillna(0).to_numpy(dtype=float)
            bonus += extra * np.divide(
                members, belum_village, out=np.zeros(len(frame)), where=belum_village > 0
            )
    frame["nama_kec"] = code.map(v["nama_kec"])
    frame["nama_kab"] = code.map(v["nama_kab"])
    frame["classes"] = [", ".join(c) for c in classes]
    frame["belum_rekam"] = np.round(belum).astype(np.int64)
    frame["expected"] = np.floor(belum * rate + 1e-9).astype(np.int64)
    frame["weight"] = np.round(base + bonus, 4)
    frame["repeat"] = repeat
    return frame[list(SITE_COLUMNS)].sort_values("site_id").reset_index(drop=True)


def split_into_chunks(expected: int, chunk_size: int, min_visit_size: float) -> list[int]:
    """Split a site's expected recordings into visit chunks of at most ``chunk_size``.

    Parts are as equal as possible; a site below ``min_visit_size`` gets no chunk.

    Examples
    --------
    >>> split_into_chunks(320, 150, 10)
    [107, 107, 106]
    >>> split_into_chunks(8, 150, 10)
    []
    """
    if expected < max(min_visit_size, 1) or chunk_size < 1:
        return []
    parts = -(-expected // chunk_size)
    base, extra = divmod(expected, parts)
    return [base + 1 if i < extra else base for i in range(parts)]
