"""Tests for planner.io.region: the bundled regions load, and broken copies fail clearly."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from planner.core.errors import RegionError
from planner.io.region import (
    DEPOT_TOLERANCE_M,
    Region,
    RegionConfig,
    geodata_dir,
    list_regions,
    load_region,
)

EXPECTED = {
    # key: (villages, districts, regencies)
    "banten": (1552, 155, 8),
    "sarolangun": (158, 11, 1),
    "sumsel": (3239, 241, 17),
    "anambas": (54, 10, 1),
    "sumenep": (334, 27, 1),
}


@pytest.fixture(scope="module")
def regions() -> dict[str, Region]:
    return {key: load_region(key) for key in EXPECTED}


def test_list_regions_has_the_bundled_three() -> None:
    assert set(EXPECTED) <= set(list_regions())


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_counts(regions: dict[str, Region], key: str) -> None:
    region = regions[key]
    villages, districts, regencies = EXPECTED[key]
    assert region.key == key
    assert isinstance(region.config, RegionConfig)
    assert len(region.villages) == villages
    assert len(region.districts) == districts
    assert len(region.regencies) == regencies
    assert region.villages.crs.to_epsg() == 4326
    assert region.villages["kode"].is_unique
    # one dinas per regency, one kecamatan office per district
    kinds = region.depots["kind"].value_counts()
    assert kinds["dinas"] == regencies
    assert kinds["kecamatan"] == districts
    # neighbours are outside the region
    assert not set(region.neighbours["kode"]) & set(region.regencies["kode"])


def test_population_presence(regions: dict[str, Region]) -> None:
    banten = regions["banten"].population
    assert banten is not None and len(banten) == 1552
    assert (banten["estimate_status"] == "missing_no_2010_record").sum() == 17
    assert abs(int(banten["wajib_ktp_est"].sum()) - 7_549_281) < 100
    for key, villages, split in (("sumsel", 3239, 111), ("anambas", 54, 18), ("sumenep", 334, 2)):
        population = regions[key].population
        assert population is not None and len(population) == villages
        status = population["estimate_status"]
        assert (status == "derived_split_from_parent").sum() == split
        assert population["pop_2010"].notna().all()


def test_estimates_and_terrain(regions: dict[str, Region]) -> None:
    banten = regions["banten"].config
    assert (banten.estimate.wajib_ktp, banten.estimate.unrecorded) == (7_549_281, 232_020)
    assert banten.terrain.hutan_village_codes == ["36.02.06.2001"]
    assert regions["sarolangun"].config.estimate.unrecorded == 66_496
    sumsel = regions["sumsel"].config.estimate
    assert sumsel.approximate and sumsel.unrecorded == 510_400
    assert {r.kode_kab: r.recorded_pct for r in sumsel.regencies} == {
        "16.11": 45.0, "16.13": 71.0, "16.74": 76.0, "16.09": 78.0, "16.12": 100.0,
    }  # fmt: skip
    assert regions["anambas"].config.estimate.unrecorded == 732
    assert regions["sumenep"].config.estimate.wajib_ktp == 878_609


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_depot_within_its_regency(regions: dict[str, Region], key: str) -> None:
    region = regions[key]
    crs = region.config.crs_metric
    villages = region.villages.to_crs(crs)
    depots = region.depots
    points = gpd.GeoSeries(gpd.points_from_xy(depots["lon"], depots["lat"]), crs=4326).to_crs(crs)
    for i, row in depots.iterrows():
        own = villages[villages["kode_kab"] == row["kode_kab"]]
        assert own.distance(points.loc[i]).min() <= DEPOT_TOLERANCE_M, row["depot_id"]
    assert depots["coord_method"].str.len().gt(0).all()


def test_ports_serve_existing_villages(regions: dict[str, Region]) -> None:
    ports = regions["banten"].ports
    assert set(ports["serves_kode_desa"]) == {"36.04.08.2009", "36.04.13.2009", "36.04.30.2003"}
    assert ports["serves_kode_desa"].isin(regions["banten"].villages["kode"]).all()
    assert (ports["crossing_minutes"] > 0).all()
    assert ports["coord_approximate"].all()
    for key in ("sarolangun", "sumsel"):
        assert regions[key].ports.empty
        assert "port_id" in regions[key].ports.columns


def test_island_sites_refer_to_villages(regions: dict[str, Region]) -> None:
    for region in regions.values():
        codes = set(region.villages["kode"])
        for site in region.config.island_sites:
            assert site.kode_desa in codes
    sangiang = [s for s in regions["banten"].config.island_sites if s.island == "Pulau Sangiang"]
    assert len(sangiang) == 1 and 0 < sangiang[0].population_share < 0.5


def test_unknown_name_lists_bundled_regions() -> None:
    with pytest.raises(RegionError, match="sarolangun"):
        load_region("atlantis")


def test_env_var_overrides_geodata_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JEMPUT_GEODATA", str(tmp_path))
    assert geodata_dir() == tmp_path
    assert list_regions() == []


# ----------------------------------------------------------------------------- broken copies


@pytest.fixture()
def sarolangun_copy(tmp_path: Path) -> Path:
    """A writable copy of the smallest bundled region."""
    dest = tmp_path / "sarolangun"
    shutil.copytree(geodata_dir() / "sarolangun", dest)
    return dest


def test_copy_by_path_loads(sarolangun_copy: Path) -> None:
    assert len(load_region(sarolangun_copy).villages) == 158


def test_broken_copy_lists_every_problem(sarolangun_copy: Path) -> None:
    root = sarolangun_copy
    (root / "islands.csv").unlink()
    toml = (root / "region.toml").read_text(encoding="utf-8")
    (root / "region.toml").write_text(
        toml.replace("wajib_ktp = 223445", 'wajib_ktp = "many"'), encoding="utf-8"
    )
    depots = pd.read_csv(root / "depots.csv", dtype=str, keep_default_na=False)
    depots.loc[2, "depot_id"] = depots.loc[1, "depot_id"]
    depots.loc[3, ["lon", "lat"]] = ["106.15", "-6.12"]  # in Banten, far from Sarolangun
    depots.to_csv(root / "depots.csv", index=False)

    with pytest.raises(RegionError) as info:
        load_region(root)
    text = str(info.value)
    problems = info.value.problems
    assert len(problems) >= 3
    assert "islands.csv: file not found" in text
    assert "region.toml: estimate.wajib_ktp" in text
    assert f"duplicate depot_id: {depots.loc[1, 'depot_id']}" in text


def test_bad_depot_and_port_coordinates(sarolangun_copy: Path) -> None:
    root = sarolangun_copy
    depots = pd.read_csv(root / "depots.csv", dtype=str, keep_default_na=False)
    depots.loc[3, ["lon", "lat"]] = ["106.15", "-6.12"]
    depots.loc[4, "lon"] = "east"
    depots.to_csv(root / "depots.csv", index=False)
    port = {
        "port_id": "x", "port_name": "X", "lon": "102.7", "lat": "-2.3",
        "coord_approximate": "true", "coord_method": "test", "serves_kode_desa": "15.03.99.2999",
        "serves_name": "Nowhere", "crossing_minutes": "10", "crossing_source": "test",
    }  # fmt: skip
    pd.DataFrame([port]).to_csv(root / "ports.csv", index=False)

    with pytest.raises(RegionError) as info:
        load_region(root)
    text = str(info.value)
    assert "depots.csv, row 5: lon=106.15, lat=-6.12 is more than 1000 m" in text
    assert "depots.csv, row 6, column 'lon': not a number: 'east'" in text
    assert "serves unknown village '15.03.99.2999'" in text


def test_unknown_toml_key_names_the_file(sarolangun_copy: Path) -> None:
    toml = sarolangun_copy / "region.toml"
    toml.write_text("colour = 'red'\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(RegionError, match=r"region\.toml: unknown key 'colour'"):
        load_region(sarolangun_copy)


def test_duplicate_village_code_and_missing_column(sarolangun_copy: Path) -> None:
    gpkg = sarolangun_copy / "boundaries.gpkg"
    villages = gpd.read_file(gpkg, layer="villages", engine="pyogrio")
    villages.loc[1, "kode"] = villages.loc[0, "kode"]
    villages.to_file(gpkg, layer="villages", driver="GPKG", engine="pyogrio")
    districts = gpd.read_file(gpkg, layer="districts", engine="pyogrio")
    districts.drop(columns=["nama_kab"]).to_file(
        gpkg, layer="districts", driver="GPKG", engine="pyogrio"
    )
    with pytest.raises(RegionError) as info:
        load_region(sarolangun_copy)
    text = str(info.value)
    assert f"duplicate kode: {villages.loc[0, 'kode']}" in text
    assert "layer 'districts': missing columns ['nama_kab']" in text
