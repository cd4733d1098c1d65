"""Village population for a region folder: SP2010 projected with sourced growth, scaled to Dukcapil.

Used by ``tools/build_regions.py`` for the regions whose SP2010 figures come as a crosswalk
(``<shared>/popdata/crosswalk_<area>.csv``: current Kemendagri village -> BPS 2010 village and its
population). The steps, each written into ``population.csv`` or the region's notes:

1. **Parents of villages created after 2010.** A current village without a 2010 partner was split
   from a village of 2010. No 2010 boundaries ship with the project, so its parent is found on
   today's map, inside its own kecamatan: a matched village whose name its name extends
   (``name_pattern``: "Tarempa Barat Daya" from "Terempa Barat"), else the matched village it
   shares the longest border with (``shared_border``), else the nearest matched village of the
   kecamatan (``nearest_in_kecamatan``) or of the regency (``nearest_in_regency``). The parent's
   2010 figure is then shared equally by the parent and its daughters (a split makes desa of
   comparable size; the real split is unknown), and every such row says so in
   ``estimate_status`` (``derived_split_from_parent`` / ``estimated_parent_split``).
2. **Growth.** ``pop_est = pop_2010 x (1 + r)^years`` with r the regency's geometric SP2010 ->
   SP2020 rate where a 2020 figure is published (``published.csv``), else the province rate;
   ``growth_basis`` says which.
3. **Wajib KTP.** ``wajib_ktp_est`` is ``pop_est`` scaled so each regency with a published
   Dukcapil wajib-KTP total meets it and the others share the rest of the area's published total
   in proportion to ``pop_est``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

CENSUS_2010 = 2010 + 4.5 / 12  # SP2010 reference: May 2010
CENSUS_2020 = 2020 + 8.5 / 12  # SP2020 reference: September 2020
POP_2020_METRICS = ("population_sp2020", "population_2020_news", "population_2021_news")


@dataclass(frozen=True)
class WajibTarget:
    """A published Dukcapil wajib-KTP total for an area (a regency, or the whole region)."""

    value: int
    as_of: str
    source: str


def years_since_2010(as_of: str) -> float:
    """Years from the SP2010 reference date (May 2010) to the middle of ``as_of`` (YYYY-MM)."""
    year, month = (int(x) for x in as_of.split("-")[:2])
    return year + (month - 0.5) / 12 - CENSUS_2010


def _norm(name: str) -> str:
    """Name for matching splits: lower case letters, common spelling variants folded."""
    s = re.sub(r"[^a-z ]", "", name.lower())
    s = s.replace("terempa", "tarempa").replace("oe", "u")
    return re.sub(r"\s+", " ", s).strip()


def _extends(name: str, parent: str) -> bool:
    """Whether ``name`` is ``parent`` (spelt within one letter in ten) plus more words."""
    if len(parent) < 5 or len(name) <= len(parent) + 1 or name[len(parent)] != " ":
        return False
    return difflib.SequenceMatcher(None, name[: len(parent)], parent).ratio() >= 0.9


def assign_parents(villages: gpd.GeoDataFrame, crosswalk: pd.DataFrame, crs: str) -> pd.DataFrame:
    """Parent village of every current village that has no SP2010 partner.

    Parameters
    ----------
    villages
        Current villages (``kode``, ``nama``, ``kode_kec``, ``kode_kab``, polygons in EPSG:4326).
    crosswalk
        ``kemendagri_code``, ``pop_2010`` (empty for villages without a 2010 partner).
    crs
        Metric CRS for borders and distances.

    Returns
    -------
    pandas.DataFrame
        ``kode, parent_kode, parent_method`` for the unmatched villages.
    """
    pop = crosswalk.set_index("kemendagri_code")["pop_2010"]
    vm = villages.to_crs(crs).set_index("kode")
    matched = vm.index[vm.index.map(pop).notna()]
    rows = []
    for kode in sorted(set(vm.index) - set(matched)):
        v = vm.loc[kode]
        same_kec = [m for m in matched if vm.at[m, "kode_kec"] == v["kode_kec"]]
        name = _norm(v["nama"])
        by_name = [
            m
            for m in same_kec
            if _norm(vm.at[m, "nama"]) and name.startswith(_norm(vm.at[m, "nama"]) + " ")
        ]
        if not by_name:  # spelling variants: "Tarempa Barat Daya" against "Terempa Barat"
            by_name = [m for m in same_kec if _extends(name, _norm(vm.at[m, "nama"]))]
        if by_name:
            parent = max(by_name, key=lambda m: (len(vm.at[m, "nama"]), m))
            rows.append((kode, parent, "name_pattern"))
            continue
        geom = v.geometry
        border = {
            m: geom.boundary.intersection(vm.at[m, "geometry"].buffer(25.0)).length
            for m in same_kec
        }
        border = {m: b for m, b in border.items() if b > 0}
        if border:
            parent = max(sorted(border), key=lambda m: border[m])
            rows.append((kode, parent, "shared_border"))
            continue
        pool, method = (
            (same_kec, "nearest_in_kecamatan")
            if same_kec
            else (
                [m for m in matched if vm.at[m, "kode_kab"] == v["kode_kab"]],
                "nearest_in_regency",
            )
        )
        assert pool, f"{kode}: no village with a 2010 figure in its regency"
        parent = min(sorted(pool), key=lambda m: geom.distance(vm.at[m, "geometry"]))
        rows.append((kode, parent, method))
    return pd.DataFrame(rows, columns=["kode", "parent_kode", "parent_method"])


def regency_growth(
    pop2010: pd.Series,
    published: pd.DataFrame,
    province_code: str,
    *,
    distrust: Mapping[str, str] | None = None,
    province_fallback: tuple[float, float, str] | None = None,
) -> pd.DataFrame:
    """Geometric SP2010 -> SP2020 growth per regency, with its basis.

    Parameters
    ----------
    pop2010
        SP2010 population per current regency code (villages summed through the crosswalk).
    published
        The region's ``published.csv`` rows (``area_code``, ``metric``, ``value``, ``source``,
        ``source_url``); 2020 figures are taken from :data:`POP_2020_METRICS`.
    province_code
        Code whose published 2020 figure gives the fallback rate.
    distrust
        Regency code -> reason for not using its own 2020 figure (the province rate is used).
    province_fallback
        ``(p2010, p2020, source)`` for the province when ``published`` has no province row
        (a single-regency region uses its own regency figure instead).

    Returns
    -------
    pandas.DataFrame
        Indexed by regency code: ``p2010, p2020, rate, growth_basis``.
    """
    distrust = dict(distrust or {})
    pub = published[published["metric"].isin(POP_2020_METRICS)].copy()
    pub["value"] = pd.to_numeric(pub["value"])
    by_code = {r.area_code: r for r in pub.itertuples()}
    span = CENSUS_2020 - CENSUS_2010
    if province_fallback is not None:
        p10, p20, src = province_fallback
    else:
        prov = by_code[province_code]
        p10, p20, src = float(pop2010.sum()), float(prov.value), f"{prov.source} {prov.source_url}"
    prov_rate = (p20 / p10) ** (1 / span) - 1
    rows = {}
    for kab, p2010 in pop2010.items():
        row = by_code.get(str(kab))
        if row is not None and str(kab) not in distrust:
            rate = (float(row.value) / float(p2010)) ** (1 / span) - 1
            basis = (
                f"regency SP2010 {int(p2010):,} -> {row.metric} {int(row.value):,}: "
                f"{rate * 100:.2f} %/yr ({row.source}, {row.source_url})"
            )
            rows[kab] = (p2010, float(row.value), rate, basis)
        else:
            why = distrust.get(str(kab), "no published 2020 figure")
            basis = f"province rate {prov_rate * 100:.2f} %/yr ({why}; province 2020: {src})"
            rows[kab] = (p2010, np.nan, prov_rate, basis)
    return pd.DataFrame.from_dict(
        rows, orient="index", columns=["p2010", "p2020", "rate", "growth_basis"]
    )


def build_population(
    villages: gpd.GeoDataFrame,
    crosswalk: pd.DataFrame,
    published: pd.DataFrame,
    *,
    crs: str,
    as_of: str,
    province_code: str,
    total: WajibTarget,
    regency_wajib: Mapping[str, WajibTarget] | None = None,
    distrust_growth: Mapping[str, str] | None = None,
    province_fallback: tuple[float, float, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``population.csv`` rows for ``villages`` and the per-regency growth table.

    The returned population has the contract columns (``kode, nama, kode_kab, pop_2010,
    pop_est, wajib_ktp_est, estimate_status, as_of``) plus ``parent_kode``, ``parent_method``
    and ``growth_basis``; its ``wajib_ktp_est`` sums to ``total.value`` and each regency of
    ``regency_wajib`` to its value (largest-remainder rounding).
    """
    regency_wajib = dict(regency_wajib or {})
    cw = crosswalk.copy()
    cw["pop_2010"] = pd.to_numeric(cw["pop_2010"], errors="coerce")
    codes = set(villages["kode"])
    assert set(cw["kemendagri_code"]) >= codes, "crosswalk lacks villages of the region"
    cw = cw[cw["kemendagri_code"].isin(codes)]
    parents = assign_parents(villages, cw, crs)
    frame = villages[["kode", "nama", "kode_kab"]].sort_values("kode").reset_index(drop=True)
    frame["pop_2010_bps"] = frame["kode"].map(cw.set_index("kemendagri_code")["pop_2010"])
    frame = frame.merge(parents, on="kode", how="left")
    n_daughters = parents.groupby("parent_kode").size()
    family = frame["kode"].map(n_daughters).fillna(0) + 1  # the parent and its daughters
    share_of = frame["parent_kode"].fillna(frame["kode"])
    family_size = share_of.map(lambda k: int(n_daughters.get(k, 0)) + 1)
    parent_pop = share_of.map(frame.set_index("kode")["pop_2010_bps"])
    frame["pop_2010"] = (parent_pop / family_size).round().astype("Int64")
    frame["estimate_status"] = np.where(
        frame["parent_kode"].notna(),
        "derived_split_from_parent",
        np.where(family > 1, "estimated_parent_split", "estimated"),
    )
    frame["parent_kode"] = frame["parent_kode"].fillna("")
    frame["parent_method"] = frame["parent_method"].fillna("")

    pop2010 = cw.assign(kab=cw["kemendagri_code"].str[:5]).groupby("kab")["pop_2010"].sum()
    growth = regency_growth(
        pop2010,
        published,
        province_code,
        distrust=distrust_growth,
        province_fallback=province_fallback,
    )
    years = years_since_2010(as_of)
    factor = frame["kode_kab"].map((1 + growth["rate"]) ** years)
    frame["pop_est"] = (frame["pop_2010"].astype(float) * factor).round().astype("Int64")
    frame["growth_basis"] = frame["kode_kab"].map(growth["growth_basis"])

    frame["wajib_ktp_est"] = _scale_wajib(frame, total, regency_wajib)
    frame["as_of"] = as_of
    cols = [
        "kode", "nama", "kode_kab", "pop_2010", "pop_est", "wajib_ktp_est", "estimate_status",
        "as_of", "parent_kode", "parent_method", "growth_basis",
    ]  # fmt: skip
    return frame[cols], growth


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` summing to ``total`` (ties by position)."""
    exact = total * weights / weights.sum()
    out = np.floor(exact).astype(np.int64)
    order = np.lexsort((np.arange(len(exact)), -(exact - out)))
    out[order[: total - int(out.sum())]] += 1
    return out


def _scale_wajib(
    frame: pd.DataFrame, total: WajibTarget, regency_wajib: Mapping[str, WajibTarget]
) -> pd.Series:
    """Wajib KTP per village: published regency totals met, the rest shared by population."""
    pop = frame["pop_est"].astype(float).to_numpy()
    fixed = frame["kode_kab"].isin(list(regency_wajib)).to_numpy()
    rest = total.value - sum(t.value for t in regency_wajib.values())
    assert rest > 0, f"regency wajib totals exceed the area total {total.value:,}"
    out = np.zeros(len(frame), dtype=np.int64)
    out[~fixed] = _largest_remainder(rest, pop[~fixed])
    for kab, target in regency_wajib.items():
        mask = (frame["kode_kab"] == kab).to_numpy()
        assert mask.any(), f"no villages in regency {kab}"
        out[mask] = _largest_remainder(target.value, pop[mask])
    return pd.Series(out, index=frame.index)
