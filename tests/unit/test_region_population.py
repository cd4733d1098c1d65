"""Sourced village population (issue #20) and the per-regency calibrated estimate."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planner.core.errors import RegionError
from planner.geo.estimate import PublishedTotals, RegencyTotals, estimate_counts
from planner.io.region import Region, load_region, read_region_config

# SP2010 regency totals (BPS, Sensus Penduduk 2010) for regencies whose borders and codes did not
# change after 2010, as published (shared/popdata/README.md; scratch research table).
SP2010 = {
    "anambas": {"21.05": 37_411},
    "sumenep": {"35.29": 1_042_312},
    "sumsel": {"16.01": 324_045, "16.06": 561_458, "16.71": 1_455_284, "16.73": 201_308},
}


@pytest.fixture(scope="module")
def regions() -> dict[str, Region]:
    return {key: load_region(key) for key in SP2010}


@pytest.mark.parametrize("key", sorted(SP2010))
def test_regency_sums_of_2010_equal_the_census(regions: dict[str, Region], key: str) -> None:
    population = regions[key].population
    assert population is not None
    sums = population.groupby("kode_kab")["pop_2010"].sum()
    # a parent's figure split equally between it and its daughters is rounded per village
    families = (population["parent_kode"].fillna("") != "").groupby(population["kode_kab"]).sum()
    for kab, total in SP2010[key].items():
        assert abs(int(sums[kab]) - total) <= int(families.get(kab, 0)), kab


@pytest.mark.parametrize("key", sorted(SP2010))
def test_no_village_without_population(regions: dict[str, Region], key: str) -> None:
    population = regions[key].population
    assert population is not None
    assert (population["pop_est"] > 0).all()
    assert (population["wajib_ktp_est"] > 0).all()
    derived = population[population["estimate_status"] == "derived_split_from_parent"]
    assert (derived["parent_kode"].str.len() > 0).all()
    assert (
        derived["parent_method"]
        .isin(["name_pattern", "shared_border", "nearest_in_kecamatan", "nearest_in_regency"])
        .all()
    )
    assert population["growth_basis"].str.len().gt(0).all()


def test_sumsel_growth_basis_is_said(regions: dict[str, Region]) -> None:
    population = regions["sumsel"].population
    assert population is not None
    basis = population.groupby("kode_kab")["growth_basis"].first()
    assert basis["16.11"].startswith("province rate")  # Empat Lawang's 4.1 %/yr distrusted
    assert "not credible" in basis["16.11"]
    assert basis["16.08"].startswith("province rate")  # OKU Timur: no 2020 figure found
    assert basis["16.01"].startswith("regency SP2010 324,045")


def test_sumsel_wajib_meets_the_published_regency_totals(regions: dict[str, Region]) -> None:
    population = regions["sumsel"].population
    assert population is not None
    wajib = population.groupby("kode_kab")["wajib_ktp_est"].sum()
    assert int(wajib.sum()) == 5_885_223  # Dec 2017 (klikampera)
    assert int(wajib["16.71"]) == 1_147_696  # Palembang, Dec 2017 (Antara)
    assert int(wajib["16.09"]) == 270_764  # OKU Selatan, Feb 2018 (Palembang Pos)


def _calibrated(region: Region, seed: int = 0) -> pd.DataFrame:
    est = region.config.estimate
    totals = PublishedTotals(
        est.as_of,
        est.wajib_ktp,
        est.unrecorded,
        est.source,
        tuple(
            RegencyTotals(r.kode_kab, r.as_of, r.source, r.recorded_pct, r.unrecorded)
            for r in est.regencies
        ),
    )
    villages = region.villages[["kode", "kode_kec", "kode_kab"]]
    counts = estimate_counts(villages, region.population, totals, seed=seed)
    return counts.assign(kode_kab=counts["kode_desa"].str[:5])


def test_sumsel_estimate_meets_each_published_regency(regions: dict[str, Region]) -> None:
    region = regions["sumsel"]
    counts = _calibrated(region)
    assert int(counts["wajib_ktp"].sum()) == 5_800_000
    assert int(counts["belum_rekam"].sum()) == 510_400
    by_kab = counts.groupby("kode_kab")[["wajib_ktp", "belum_rekam"]].sum()
    recorded = 100.0 * (1 - by_kab["belum_rekam"] / by_kab["wajib_ktp"])
    published = {"16.11": 45.0, "16.13": 71.0, "16.74": 76.0, "16.09": 78.0, "16.12": 100.0}
    for kab, pct in published.items():
        assert recorded[kab] == pytest.approx(pct, abs=0.01), kab
    others = recorded.drop(list(published))
    # the rest of the province's unrecorded lies in the other 12 regencies: ~96 % recorded there
    assert (others > 90).all() and (others < 99).all()
    assert recorded.idxmin() == "16.11"  # Empat Lawang the lowest, as published


def test_island_estimates_meet_their_totals(regions: dict[str, Region]) -> None:
    for key, (wajib, belum) in {"anambas": (30_055, 732), "sumenep": (878_609, 156_641)}.items():
        counts = _calibrated(regions[key])
        assert (int(counts["wajib_ktp"].sum()), int(counts["belum_rekam"].sum())) == (wajib, belum)


def test_regency_figures_above_the_total_are_an_error(regions: dict[str, Region]) -> None:
    region = regions["sumsel"]
    est = region.config.estimate
    totals = PublishedTotals(
        est.as_of, est.wajib_ktp, 1000, est.source, (RegencyTotals("16.11", "2017-10", "x", 45.0),)
    )
    with pytest.raises(RegionError, match="more than the region's 1,000"):
        estimate_counts(region.villages, region.population, totals)


def _toml(tmp_path: Path, regency_lines: str) -> Path:
    path = tmp_path / "region.toml"
    path.write_text(
        'key = "x"\nname = "X"\nprovince_codes = ["16"]\nregency_codes = ["16.11"]\n'
        'crs_metric = "EPSG:32748"\ntimezone = "Asia/Jakarta"\ntimezone_label = "WIB"\n'
        '[estimate]\nas_of = "2017-10"\nwajib_ktp = 10\nunrecorded = 1\nsource = "s"\n'
        f"[[estimate.regencies]]\n{regency_lines}",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ('kode_kab = "16.11"\nas_of = "2017-10"\nsource = "s"\n', "exactly one of"),
        (
            'kode_kab = "16.11"\nas_of = "2017-10"\nsource = "s"\nrecorded_pct = 45.0\n'
            "unrecorded = 3\n",
            "exactly one of",
        ),
        (
            'kode_kab = "16.12"\nas_of = "2017-10"\nsource = "s"\nrecorded_pct = 45.0\n',
            "not in regency_codes",
        ),
        ('kode_kab = "16.11"\nas_of = "2017-10"\nrecorded_pct = 145.0\nsource = "s"\n', "100"),
    ],
)
def test_bad_regency_figures_are_one_line_each(tmp_path: Path, lines: str, message: str) -> None:
    with pytest.raises(RegionError, match=message) as info:
        read_region_config(_toml(tmp_path, lines))
    assert len(str(info.value).splitlines()) == 1
