"""Known cases of the classification on the real Banten and Sarolangun boundaries."""

from __future__ import annotations

import pandas as pd

from planner.geo.classify import CLASS_NAMES


def _row(villages: pd.DataFrame, kode: str) -> pd.Series:
    return villages.set_index("kode").loc[kode]


def test_island_villages_are_pulau(banten_classified) -> None:  # type: ignore[no-untyped-def]
    v = banten_classified.villages
    for kode, island in (("36.04.08.2009", "Pulau Panjang"), ("36.04.13.2009", "Pulau Tunda")):
        row = _row(v, kode)
        assert row["is_pulau"], kode
        assert island in row["alasan_pulau"]
        assert row["is_pesisir"], f"{kode}: an island village is coastal too"
    # only these two and Cikoneng (Sangiang part) are pulau: islets of mainland villages are not
    assert set(v.loc[v["is_pulau"], "kode"]) == {"36.04.08.2009", "36.04.13.2009", "36.04.30.2003"}


def test_cikoneng_gets_a_sangiang_visit_point(banten_classified) -> None:  # type: ignore[no-untyped-def]
    sites = banten_classified.sites
    cikoneng = sites[sites["kode_desa"] == "36.04.30.2003"].set_index("kind")
    assert set(cikoneng.index) == {"utama", "pulau"}
    sangiang = cikoneng.loc["pulau"]
    assert sangiang["island_name"] == "Pulau Sangiang"
    # Sangiang lies ~10 km off Anyer, around 105.85 E, 5.96 S
    assert 105.82 < sangiang["lon"] < 105.89 and -5.99 < sangiang["lat"] < -5.93
    assert abs(cikoneng["demand_share"].sum() - 1.0) < 1e-9
    assert pd.isna(cikoneng.loc["utama", "island"])


def test_visit_points_lie_inside_their_village(banten_classified) -> None:  # type: ignore[no-untyped-def]
    import geopandas as gpd

    v = banten_classified.villages.set_index("kode")
    sites = banten_classified.sites
    polygons = gpd.GeoSeries(v.loc[sites["kode_desa"], "geometry"].values, crs=v.crs)
    polygons = polygons.to_crs("EPSG:32748").buffer(0.5)
    inside = polygons.contains(sites.geometry.to_crs("EPSG:32748").reset_index(drop=True))
    assert inside.all(), sites.loc[~inside.values, "site_id"].tolist()


def test_jakarta_border_is_perbatasan(banten_classified) -> None:  # type: ignore[no-untyped-def]
    v = banten_classified.villages
    jakarta = v[v["alasan_perbatasan"].str.contains("Jakarta")]
    assert {"36.71", "36.74", "36.03"} <= set(jakarta["kode_kab"])
    # Rempoa (Ciputat Timur) borders Jakarta Selatan; Pondok Aren borders Jakarta Selatan too
    rempoa = v[(v["nama"] == "Rempoa") & (v["kode_kab"] == "36.74")].iloc[0]
    assert rempoa["is_perbatasan"] and "Jakarta Selatan" in rempoa["alasan_perbatasan"]


def test_lebak_jawa_barat_border_is_perbatasan(banten_classified) -> None:  # type: ignore[no-untyped-def]
    v = banten_classified.villages
    lebak = v[(v["kode_kab"] == "36.02") & v["is_perbatasan"]]
    assert len(lebak) >= 15
    assert lebak["alasan_perbatasan"].str.contains("Jawa Barat").all()
    assert "Cibareno" in set(lebak["nama"])  # Cilograng, at the Sukabumi border on the coast


def test_inner_cities_are_not_coastal_and_not_province_border(banten_classified) -> None:  # type: ignore[no-untyped-def]
    v = banten_classified.villages
    # Kota Tangerang and Tangerang Selatan have no sea coast
    assert not v.loc[v["kode_kab"].isin(["36.71", "36.74"]), "is_pesisir"].any()
    # Kota Serang and Cilegon touch no other province
    assert not v.loc[v["kode_kab"].isin(["36.72", "36.73"]), "is_perbatasan"].any()


def test_coasts_per_regency_are_plausible(banten_classified) -> None:  # type: ignore[no-untyped-def]
    v = banten_classified.villages
    coastal = v[v["is_pesisir"]].groupby("kode_kab").size()
    # Pandeglang, Lebak, Kab. Tangerang, Kab. Serang and Cilegon all have long coasts
    for kab in ("36.01", "36.02", "36.03", "36.04", "36.72"):
        assert coastal.get(kab, 0) >= 10, kab
    assert "Sawarna" in set(v.loc[v["is_pesisir"], "nama"])
    assert "Tanjung Pasir" in set(v.loc[v["is_pesisir"], "nama"])


def test_regency_borders(banten_classified) -> None:  # type: ignore[no-untyped-def]
    v = banten_classified.villages
    kab = v[v["is_perbatasan_kab"]]
    assert len(kab) > 200
    assert (
        kab["alasan_perbatasan_kab"].str.startswith("Berbatasan dengan kabupaten/kota lain").all()
    )


def test_kanekes_is_terpencil(banten_classified) -> None:  # type: ignore[no-untyped-def]
    row = _row(banten_classified.villages, "36.02.06.2001")
    assert row["is_terpencil"], row["alasan_terpencil"]
    assert row["terrain"] == "hutan"
    assert "menit" in row["alasan_terpencil"]


def test_every_class_has_a_reason(banten_classified) -> None:  # type: ignore[no-untyped-def]
    v = banten_classified.villages
    for name in CLASS_NAMES:
        flagged = v[v[f"is_{name}"]]
        assert (flagged[f"alasan_{name}"].str.len() > 10).all(), name
        assert (v.loc[~v[f"is_{name}"], f"alasan_{name}"] == "").all(), name


def test_sarolangun_is_inland_and_borders_other_provinces(sarolangun_classified) -> None:  # type: ignore[no-untyped-def]
    v = sarolangun_classified.villages
    assert len(v) == 158
    assert not v["is_pulau"].any()
    assert not v["is_pesisir"].any()
    assert v["is_perbatasan"].sum() >= 5
    assert v["is_perbatasan_kab"].sum() >= 10
    assert v["is_terpencil"].any()
