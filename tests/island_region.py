"""A small island region folder cut from real Kepulauan Anambas polygons, for the island tests.

Villages (the bundled ``geodata/anambas/boundaries.gpkg``, the same polygons as
``geodata-src/kep_anambas.gpkg``; regency 21.05, no mainland): the Siantan land part
around Tarempa, where the Disdukcapil office stands; the Pulau Matak part (Kecamatan
Palmatak), whose kecamatan office is a land team's depot; the small Siantan Timur part around
Nyamuk, reached by charter; and Batu Belah, a one-village island served the old way (a
``serves_kode_desa`` crossing from Tarempa). Port and office points are representative points
of their villages (approximate, as the bundled regions label them); the crossings are
illustrative test figures, not published schedules.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

# the project's own bundled copy: a clone runs its tests without ../shared
GPKG = Path(__file__).resolve().parents[1] / "geodata" / "anambas" / "boundaries.gpkg"

TEREMPA = "21.05.01.1001"  # office village, Siantan part
LADAN = "21.05.02.2003"  # Kecamatan Palmatak office, Pulau Matak part
NYAMUK = "21.05.03.2001"  # Siantan Timur part
BATU_BELAH = "21.05.03.2002"  # one-village island, served from Tarempa
LETUNG = "21.05.06.1005"  # Jemaja: outside the cut region, an out-of-region port

SIANTAN = [
    "21.05.01.1001", "21.05.01.2002", "21.05.01.2003", "21.05.01.2005", "21.05.01.2006",
    "21.05.01.2007",
]  # fmt: skip
MATAK = [
    "21.05.02.2002", "21.05.02.2003", "21.05.02.2005", "21.05.02.2006", "21.05.02.2007",
    "21.05.02.2008",
]  # fmt: skip
SIANTAN_TIMUR = ["21.05.03.2001", "21.05.03.2003", "21.05.03.2004"]
VILLAGES = [*SIANTAN, *MATAK, *SIANTAN_TIMUR, BATU_BELAH]

REGION_TOML = """key = "anambas-test"
name = "Potongan Kepulauan Anambas (uji)"
province_codes = ["21"]
regency_codes = ["21.05"]
crs_metric = "EPSG:32648"
timezone = "Asia/Jakarta"
timezone_label = "WIB"

[estimate]
as_of = "2017-11"
wajib_ktp = 20000
unrecorded = 3000
source = "test figures"
approximate = true

[files]
population = "none"

[sea]
charter_speed_kmh = 25.0
charter_cost_per_hour_idr = 350000
boarding_minutes = 20
"""

TEAMS = {
    "defaults": {
        "kits": 1,
        "minutes_per_record": 7.0,
        "setup_minutes": 30,
        "working_days": ["senin", "selasa", "rabu", "kamis", "jumat"],
        "regencies": ["21.05"],
    },
    "teams": [
        {"id": "siantan", "name": "Tim Siantan", "depot": "dinas-21.05", "modes": ["motor"]},
        {"id": "matak", "name": "Tim Matak", "depot": "kec-21.05.02", "modes": ["motor"]},
        {
            "id": "laut",
            "name": "Tim Laut",
            "depot": "dinas-21.05",
            "modes": ["motor"],
            "boat": True,
        },
    ],
}


def _point(villages: gpd.GeoDataFrame, kode: str) -> tuple[float, float]:
    geom = villages.loc[villages["kode"] == kode].geometry.iloc[0]
    parts = list(getattr(geom, "geoms", [geom]))
    p = max(parts, key=lambda g: g.area).representative_point()
    return round(float(p.x), 6), round(float(p.y), 6)


def write_island_region(root: Path, *, sea_links: str | None = None) -> Path:
    """Write the test region folder into ``root`` and return it."""
    root.mkdir(parents=True, exist_ok=True)
    every = gpd.read_file(GPKG, layer="villages")
    villages = every[every["kode"].isin(VILLAGES)].reset_index(drop=True)
    districts = gpd.read_file(GPKG, layer="districts")
    districts = districts[districts["kode"].isin(set(villages["kode_kec"]))]
    regencies = gpd.read_file(GPKG, layer="regencies")
    gpkg = root / "boundaries.gpkg"
    villages.to_file(gpkg, layer="villages", engine="pyogrio")
    districts.to_file(gpkg, layer="districts", engine="pyogrio")
    regencies.to_file(gpkg, layer="regencies", engine="pyogrio")
    # no neighbouring regency within reach: an empty layer of the contract's columns
    empty = gpd.GeoDataFrame(
        {"kode": ["99.99"], "nama": ["x"], "kode_prov": ["99"], "nama_prov": ["x"]},
        geometry=gpd.GeoSeries.from_wkt(["POINT (0 0)"]).buffer(0.001),
        crs=4326,
    ).iloc[:0]
    empty.to_file(root / "neighbours.gpkg", layer="regencies", engine="pyogrio")
    islands = pd.read_csv(GPKG.with_name("islands.csv"), dtype=str)
    islands[islands["regency_code"] == "21.05"].to_csv(root / "islands.csv", index=False)
    (root / "published.csv").write_text(
        "date,area_level,area_code,area_name,metric,value,unit,source\n", encoding="utf-8"
    )
    terempa, ladan, nyamuk = (_point(every, k) for k in (TEREMPA, LADAN, NYAMUK))
    letung = _point(every, LETUNG)
    (root / "depots.csv").write_text(
        "depot_id,name,kind,kode_kab,kode_kec,lon,lat,coord_approximate,coord_method\n"
        f"dinas-21.05,Disdukcapil Kabupaten Kepulauan Anambas,dinas,21.05,,{terempa[0]},"
        f"{terempa[1]},True,representative point of Terempa\n"
        f"kec-21.05.02,Kantor Kecamatan Palmatak,kecamatan,21.05,21.05.02,{ladan[0]},"
        f"{ladan[1]},True,representative point of Ladan\n"
        f"kec-21.05.03,Kantor Kecamatan Siantan Timur,kecamatan,21.05,21.05.03,{nyamuk[0]},"
        f"{nyamuk[1]},True,representative point of Nyamuk\n",
        encoding="utf-8",
    )
    header = (
        "port_id,port_name,lon,lat,coord_approximate,coord_method,serves_kode_desa,serves_name,"
        "crossing_minutes,crossing_source,kode_desa,in_region\n"
    )
    (root / "ports.csv").write_text(
        header
        + f"tarempa,Pelabuhan Tarempa,{terempa[0]},{terempa[1]},True,test,,,,,{TEREMPA},true\n"
        + f"tarempa,Pelabuhan Tarempa,{terempa[0]},{terempa[1]},True,test,{BATU_BELAH},"
        f"Batu Belah,50,test,{TEREMPA},true\n"
        + f"antang,Pelabuhan Matak,{ladan[0]},{ladan[1]},True,test,,,,,{LADAN},true\n"
        + f"nyamuk,Dermaga Nyamuk,{nyamuk[0]},{nyamuk[1]},True,test,,,,,{NYAMUK},true\n"
        + f"letung,Pelabuhan Letung,{letung[0]},{letung[1]},True,test,,,,,{LETUNG},false\n",
        encoding="utf-8",
    )
    links = (
        sea_links
        if sea_links is not None
        else "link_id,from_port,to_port,kind,days,departure,minutes,cost_idr,cost_unit,"
        "source_url,note\n"
        "f1,tarempa,antang,ferry,daily,07:30,40,25000,per_person,,test\n"
        "f2,antang,tarempa,ferry,daily,14:00,40,25000,per_person,,test\n"
        "c1,tarempa,nyamuk,charter,,,,,per_hour,,test\n"
        'f3,tarempa,letung,ferry,"Mon,Thu",08:00,240,150000,per_person,,test\n'
    )
    (root / "sea_links.csv").write_text(links, encoding="utf-8")
    (root / "region.toml").write_text(REGION_TOML, encoding="utf-8")
    return root
