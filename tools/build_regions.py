"""Build the bundled region folders under ``geodata/`` from the shared source folder.

Re-runnable: every output file is rewritten from the sources. Run from the repository root::

    .venv/bin/python tools/build_regions.py            # sources in ../shared
    .venv/bin/python tools/build_regions.py /path/to/shared --only banten

Sources (see ``geodata/README.md`` for licences): ``geodata-src/*.gpkg`` (cahyadsn/
wilayah_boundaries, MIT), ``geodata-src/islands.csv`` (idn-area-data 4.0.1, ODbL),
``popdata/*.csv`` (BPS SP2010 via digitalheir/Indonesia-Census-2010, news sources).

The script prints what it writes and stops with an ``AssertionError`` when a check fails
(a depot outside its regency, a port serving an unknown village, ...).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point
from shapely.ops import nearest_points

sys.path.insert(0, str(Path(__file__).resolve().parent))
import population as popmod  # sibling tool modules (tools/ is on sys.path), not planner code
import sea_data

REPO = Path(__file__).resolve().parents[1]
NATIONAL = REPO / "geodata" / "_national"
SOURCES = Path(__file__).resolve().parent / "sources"
METRIC_CRS = "EPSG:32748"
NEIGHBOUR_KM = 50.0
DEPOT_TOLERANCE_M = 1000.0
GPKG_DATE = "2026-11-23T00:00:00Z"
KNOWLEDGE = "approximate coordinate of the town/office from general knowledge (not surveyed)"


@dataclass(frozen=True)
class Office:
    """A regency Disdukcapil office: known approximate point or a capital to derive it from."""

    kode_kab: str
    name: str
    capital_kec: str | None
    capital_village: str | None = None
    lonlat: tuple[float, float] | None = None
    note: str = ""


@dataclass(frozen=True)
class PortSpec:
    """One (port, served island village) row; the point is derived from the port village."""

    port_id: str
    port_name: str
    port_village: str
    serves_kode_desa: str
    crossing_minutes: int
    operation_match: str
    crossing_note: str


@dataclass
class RegionSpec:
    """Everything needed to build one region folder."""

    key: str
    name: str
    gpkg: str
    province_codes: list[str]
    regency_codes: list[str] | None
    offices: list[Office]
    ports: list[PortSpec]
    toml_extra: dict[str, Any]
    population_as_of: str | None = None
    ports_note: str = ""
    notes: list[str] = field(default_factory=list)
    pop: PopSpec | None = None
    sea: SeaSources | None = None
    published_extra: list[Path] = field(default_factory=list)
    gpkg_path: Path | None = None


@dataclass(frozen=True)
class PopSpec:
    """How to build ``population.csv`` from an SP2010 crosswalk (``tools/population.py``)."""

    crosswalk: str
    as_of: str
    growth_code: str
    total_ref: tuple[str, str]
    regency_refs: dict[str, str] = field(default_factory=dict)
    distrust_growth: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SeaSources:
    """The user's offices, ports and sea-link CSV files (``tools/sea_data.py``)."""

    offices: Path | None
    ports: Path | None
    links: Path | None


def norm(name: str) -> str:
    """Normalise a place name for matching: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


# ----------------------------------------------------------------------------- specs

BANTEN_OFFICES = [
    Office("36.01", "Disdukcapil Kabupaten Pandeglang", "Pandeglang", None, (106.1036, -6.3086)),
    Office("36.02", "Disdukcapil Kabupaten Lebak", "Rangkasbitung", None, (106.2488, -6.3573)),
    Office("36.03", "Disdukcapil Kabupaten Tangerang", "Tigaraksa", None, (106.4778, -6.2638)),
    Office(
        "36.04",
        "Disdukcapil Kabupaten Serang",
        "Ciruas",
        "Ciruas",
        None,
        "regency capital Ciruas (PP 32/2012); the office of 2017 may stand in Kota Serang, "
        "outside the regency",
    ),
    Office(
        "36.71", "Disdukcapil Kota Tangerang (Puspemkot)", "Tangerang", None, (106.6305, -6.1782)
    ),
    Office("36.72", "Disdukcapil Kota Cilegon", None, None, (106.0550, -6.0170)),
    Office("36.73", "Disdukcapil Kota Serang", "Serang", None, (106.1503, -6.1200)),
    Office(
        "36.74",
        "Disdukcapil Kota Tangerang Selatan (Puspemkot)",
        "Ciputat",
        None,
        (106.7020, -6.3170),
    ),
]

SAROLANGUN_OFFICES = [
    Office("15.03", "Disdukcapil Kabupaten Sarolangun", "Sarolangun", None, (102.7050, -2.3040)),
]

SUMSEL_OFFICES = [
    Office(
        "16.01",
        "Disdukcapil Kabupaten Ogan Komering Ulu",
        "Baturaja Timur",
        None,
        (104.1660, -4.1290),
    ),
    Office(
        "16.02", "Disdukcapil Kabupaten Ogan Komering Ilir", "Kayu Agung", None, (104.8300, -3.3940)
    ),
    Office("16.03", "Disdukcapil Kabupaten Muara Enim", "Muara Enim", None, (103.7700, -3.6550)),
    Office("16.04", "Disdukcapil Kabupaten Lahat", "Lahat", None, (103.5400, -3.7900)),
    Office("16.05", "Disdukcapil Kabupaten Musi Rawas", "Muara Beliti", "Muara Beliti Baru"),
    Office("16.06", "Disdukcapil Kabupaten Musi Banyuasin", "Sekayu", None, (103.8460, -2.8850)),
    Office(
        "16.07",
        "Disdukcapil Kabupaten Banyuasin",
        "Banyuasin III",
        "Pangkalan Balai",
        (104.3900, -2.8830),
    ),
    Office(
        "16.08",
        "Disdukcapil Kabupaten Ogan Komering Ulu Timur",
        "Martapura",
        None,
        (104.3500, -4.3300),
    ),
    Office(
        "16.09",
        "Disdukcapil Kabupaten Ogan Komering Ulu Selatan",
        "Muara Dua",
        None,
        (104.0750, -4.5370),
    ),
    Office("16.10", "Disdukcapil Kabupaten Ogan Ilir", "Indralaya", None, (104.6500, -3.2200)),
    Office(
        "16.11", "Disdukcapil Kabupaten Empat Lawang", "Tebing Tinggi", None, (102.9970, -3.6300)
    ),
    Office(
        "16.12",
        "Disdukcapil Kabupaten Penukal Abab Lematang Ilir",
        "Talang Ubi",
        None,
        (103.8700, -3.3600),
    ),
    Office("16.13", "Disdukcapil Kabupaten Musi Rawas Utara", "Rupit", "Muara Rupit", None),
    Office("16.71", "Disdukcapil Kota Palembang", None, None, (104.7560, -2.9890)),
    Office("16.72", "Disdukcapil Kota Pagar Alam", None, None, (103.2500, -4.0220)),
    Office("16.73", "Disdukcapil Kota Lubuk Linggau", None, None, (102.8600, -3.2950)),
    Office("16.74", "Disdukcapil Kota Prabumulih", None, None, (104.2350, -3.4330)),
]

BANTEN_PORTS = [
    PortSpec(
        "grenyang",
        "Pelabuhan Grenyang (Bojonegara/Pulo Ampel)",
        "36.04.08.2006",  # Argawana, Kec. Pulo Ampel
        "36.04.08.2009",
        20,
        "Disdukcapil Kab. Serang jemput bola trip by motor boat",
        "Disdukcapil trip 2023 ~20 min; public boat from Grenyang 30 min (Bisnis Banten ~2019)",
    ),
    PortSpec(
        "karangantu",
        "Pelabuhan Karangantu (Kasemen, Kota Serang)",
        "36.73.02.1007",  # Kelurahan Banten, Kec. Kasemen
        "36.04.13.2009",
        120,
        "Pulau Tunda from Karangantu",
        "~2 h by fast fishing boat, up to ~3 h in rough weather (travel blogs)",
    ),
    PortSpec(
        "paku-anyer",
        "Pelabuhan Paku (Anyer)",
        "36.04.30.2001",  # Desa Anyar, Kec. Anyar
        "36.04.30.2003",
        45,
        "Pulau Sangiang from Pelabuhan Paku",
        "30-60 min (travel blogs 2015-2018)",
    ),
]

BANTEN_TOML: dict[str, Any] = {
    "estimate": {
        "as_of": "2017-11",
        "wajib_ktp": 7549281,
        "unrecorded": 232020,
        "approximate": False,
        "source": "Kabupaten/kota diminta jemput bola perekaman KTP-e (Antara Banten, early "
        "November 2017), https://banten.antaranews.com/amp/berita/27791/"
        "kabupaten-kota-diminta-jemput-bola-perekaman-ktp-e",
        "note": "the same official also gave 213,264 (2.82 %) on 8 Nov 2017 (Sindonews/Neraca); "
        "see published.csv",
    },
    "terrain": {
        "hutan_villages": [
            {
                "kode": "36.02.06.2001",
                "nama": "Kanekes",
                "reason": "Baduy customary land (tanah ulayat): no motor vehicles inside, "
                "settlements reached on foot over forested hills",
            }
        ],
        "hutan_kecamatan": [],
    },
    "island_sites": [
        {
            "kode_desa": "36.04.30.2003",
            "island": "Pulau Sangiang",
            "population_share": 0.05,
            "reason": "Cikoneng (Kec. Anyar) has a mainland part at Anyer (7.2 km2) and Pulau "
            "Sangiang (8.0 km2). Sangiang has one small hamlet (a few hundred residents at most in "
            "news reports of its land dispute; not verified here) while most of Cikoneng lives on "
            "the Anyer coast: 0.05 is about 285 of the 5,695 residents of SP2010. Uncertain, "
            "perhaps +/-50 %.",
            "source": "judgement; SP2010 village population (BPS); Sangiang is named as a "
            "hard-to-reach island in published.csv notes (Faktabanten Nov 2017, Radar Banten "
            "Jan 2018)",
        },
        {
            "kode_desa": "36.01.01.2001",
            "island": "Pulau Umang",
            "population_share": 0.0,
            "reason": "flagged populated in idn-area-data but it is a resort island (Pulau Umang "
            "Resort) without permanent residents; Sumberjaya's residents live on the mainland",
            "source": "judgement (resort island); idn-area-data is_populated=1",
        },
        {
            "kode_desa": "36.01.04.2001",
            "island": "Pulau Tinjil",
            "population_share": 0.0,
            "reason": "flagged populated in idn-area-data but it is a primate research and "
            "breeding station (IPB) with staff only, no permanent residents",
            "source": "judgement (research station); idn-area-data is_populated=1",
        },
    ],
}

SAROLANGUN_TOML: dict[str, Any] = {
    "estimate": {
        "as_of": "2018-10",
        "wajib_ktp": 223445,
        "unrecorded": 66496,
        "approximate": False,
        "source": "wajib KTP Aug 2018: Brito.id, https://www.brito.id/sarolangun-dan-batanghari-"
        "paling-banyak-belum-lakukan-perekaman-e-ktp; unrecorded: 60 Ribuan Warga Sarolangun "
        "Belum Rekam KTP (Tribun Jambi, 8 Oct 2018), from the national coordination meeting",
        "note": "wajib KTP (Aug 2018) and unrecorded (Oct 2018) have different dates; the "
        "provincial regular data said about 57 thousand unrecorded",
    },
    "terrain": {"hutan_villages": [], "hutan_kecamatan": []},
    "island_sites": [],
}

MERDEKA_2017_10 = (
    "Listrik kerap padam, Disdukcapil Sumsel pesimis perekaman e-KTP rampung akhir tahun "
    "(Merdeka, 23 Oct 2017), https://merdeka.com/amp/peristiwa/listrik-kerap-padam-disdukcapil-"
    "sumsel-pesimis-perekaman-e-ktp-rampung-akhir-tahun.html"
)
SUMSEL_REGENCY_PCT = {  # recorded % of wajib KTP on 23 Oct 2017, the five regencies named
    "16.11": ("Empat Lawang", 45.0, "named the lowest"),
    "16.13": ("Musi Rawas Utara", 71.0, ""),
    "16.74": ("Prabumulih", 76.0, ""),
    "16.09": ("Ogan Komering Ulu Selatan", 78.0, ""),
    "16.12": ("Penukal Abab Lematang Ilir", 100.0, ""),
}

SUMSEL_TOML: dict[str, Any] = {
    "estimate": {
        "as_of": "2017-10",
        "wajib_ktp": 5800000,
        "unrecorded": 510400,
        "recorded_pct": 91.2,
        "approximate": True,
        "source": f"{MERDEKA_2017_10}: 91.20 % recorded of 5.8 million ('5,8 juta') wajib KTP",
        "note": "unrecorded = 8.80 % of 5.8 M (derived; 5.8 M rounded in the source). The same "
        "statement gives the recorded share of five regencies, met per regency below; the rest "
        "of the province's unrecorded is spread over the other 12 by the model. Other dates in "
        "published.csv: 90 % of ~5.8 M (Jul 2017), 93 % of 5,885,223 (Dec 2017)",
        "regencies": [
            {
                "kode_kab": kab,
                "as_of": "2017-10",
                "recorded_pct": pct,
                "source": MERDEKA_2017_10,
                "note": f"{name}{'; ' + why if why else ''}",
            }
            for kab, (name, pct, why) in SUMSEL_REGENCY_PCT.items()
        ],
    },
    "terrain": {"hutan_villages": [], "hutan_kecamatan": []},
    "island_sites": [
        {
            "kode_desa": "16.02.11.2017",
            "island": "Pulau Maspari",
            "population_share": 0.0,
            "reason": "flagged populated in idn-area-data; a 0.26 km2 island in the Bangka Strait "
            "with a lighthouse and seasonal fishing huts, no permanent settlement known (not "
            "verified); Simpang Tiga Jaya's residents live on the mainland",
            "source": "judgement; idn-area-data is_populated=1",
        },
    ],
}

ANAMBAS_TOML: dict[str, Any] = {
    "estimate": {
        "as_of": "2017-06",
        "wajib_ktp": 30055,
        "unrecorded": 732,
        "approximate": False,
        "source": "732 Orang Wajib KTP di Anambas Belum Lakukan Perekaman (Batamtoday, Jun "
        "2017), https://batamtoday.com/anambas/read/93890/732-Orang-Wajib-KTP-di-Anambas-Belum-"
        "Lakukan-Perekaman",
        "note": "30,290 wajib KTP in Nov 2017 (Batamtoday); the backlog is small, access is the "
        "problem: recording only in Tarempa, unstable power in Palmatak and Jemaja "
        "(published.csv)",
    },
    "terrain": {"hutan_villages": [], "hutan_kecamatan": []},
    "island_sites": [],
}

SUMENEP_TOML: dict[str, Any] = {
    "estimate": {
        "as_of": "2017-09",
        "wajib_ktp": 878609,
        "unrecorded": 156641,
        "recorded_pct": 83.44,
        "approximate": False,
        "source": "150 Ribu Orang di Sumenep Belum Ber-eKTP (Media Madura, 26 Sep 2017), "
        "https://mediamadura.com/2017/09/26/150-ribu-orang-di-sumenep-belum-ber-ektp/",
        "note": "721,968 recorded (83.44 %); the unrecorded are said to be concentrated in the "
        "islands (Masalembu, Sapeken, Kangean; published.csv)",
    },
    "terrain": {"hutan_villages": [], "hutan_kecamatan": []},
    "island_sites": [],
}

ISLAND_NOTES = [
    "All port and office coordinates are approximate (coord_method); sea links come from news, "
    "operators and travel blogs of different years (sea_links.csv, source_url per row).",
    "ports.csv holds every port: departure rows (a port on the land part of the Disdukcapil "
    "office to the villages of an island, fastest published crossing) and one row without "
    "serves_kode_desa for each other harbour (on another land part, or outside the region: "
    "in_region false); sea_links.csv holds the ferry and charter links between ports.",
    "sea_links.csv: a ferry whose days are not published (days empty) is kept for reference "
    "and never planned on; a ferry without published minutes crosses at [sea] "
    "ferry_speed_kmh (an assumption).",
]

REGIONS = [
    RegionSpec(
        "banten",
        "Provinsi Banten",
        "banten.gpkg",
        ["36"],
        None,
        BANTEN_OFFICES,
        BANTEN_PORTS,
        BANTEN_TOML,
        population_as_of="2017-11",
    ),
    RegionSpec(
        "sarolangun",
        "Kabupaten Sarolangun (Jambi)",
        "jambi_sarolangun.gpkg",
        ["15"],
        ["15.03"],
        SAROLANGUN_OFFICES,
        [],
        SAROLANGUN_TOML,
        population_as_of="2018-08",
        ports_note="inland regency: no island villages, no ports",
    ),
    RegionSpec(
        "sumsel",
        "Provinsi Sumatera Selatan",
        "sumsel.gpkg",
        ["16"],
        None,
        SUMSEL_OFFICES,
        [],
        SUMSEL_TOML,
        pop=PopSpec(
            "sumsel",
            "2017-10",
            "16",
            ("2017-12", "16"),
            {
                "16.01": "2017-06",
                "16.03": "2018-03-27",
                "16.09": "2018-02",
                "16.10": "2017-12-21",
                "16.71": "2017-12-05",
            },
            {
                "16.11": "its 2020 figure (334,809, de.wikipedia mirror) implies 4.1 %/yr "
                "against SP2010, not credible"
            },
        ),
        published_extra=[SOURCES / "published_sumsel_extra.csv"],
        ports_note="Pulau Deltaupang (idn-area-data 16.07.40008) lies in Muara Baru 16.07.09.2022, "
        "but the Musi delta villages share land borders with the mainland villages (river "
        "islands), no village is sea-separated and no sourced crossing time exists: no ports",
        notes=[
            "20 Kemendagri villages (recent splits) have no polygon; their area is inside the "
            "parent villages (geodata-src README).",
        ],
    ),
    RegionSpec(
        "anambas",
        "Kabupaten Kepulauan Anambas (Kepulauan Riau)",
        "kep_anambas.gpkg",
        ["21"],
        ["21.05"],
        [],
        [],
        ANAMBAS_TOML,
        notes=ISLAND_NOTES,
        pop=PopSpec("kep_anambas", "2017-06", "21.05", ("2017-06", "21.05")),
        sea=SeaSources(
            SOURCES / "anambas_offices.csv",
            SOURCES / "anambas_ports.csv",
            SOURCES / "anambas_sea_links.csv",
        ),
        published_extra=[SOURCES / "published_anambas.csv", SOURCES / "published_island_ektp.csv"],
    ),
    RegionSpec(
        "sumenep",
        "Kabupaten Sumenep (Jawa Timur)",
        "sumenep.gpkg",
        ["35"],
        ["35.29"],
        [],
        [],
        SUMENEP_TOML,
        notes=ISLAND_NOTES,
        pop=PopSpec("sumenep", "2017-09", "35.29", ("2017-09-26", "35.29")),
        sea=SeaSources(
            SOURCES / "sumenep_offices.csv",
            SOURCES / "sumenep_ports.csv",
            SOURCES / "sumenep_sea_links.csv",
        ),
        published_extra=[SOURCES / "published_sumenep.csv", SOURCES / "published_island_ektp.csv"],
    ),
]


# ----------------------------------------------------------------------------- helpers


def read_layer(path: Path, layer: str) -> gpd.GeoDataFrame:
    """Read one GeoPackage layer with pyogrio."""
    return gpd.read_file(path, layer=layer, engine="pyogrio")


def write_gpkg(layers: dict[str, gpd.GeoDataFrame], path: Path) -> None:
    """Write layers to a fresh GeoPackage (fixed timestamp, so re-runs give the same bytes)."""
    os.environ.setdefault("OGR_CURRENT_DATE", GPKG_DATE)
    if path.exists():
        path.unlink()
    for name, gdf in layers.items():
        gdf.to_file(path, layer=name, driver="GPKG", engine="pyogrio")


def rep_point(geom: shapely.Geometry) -> Point:
    """Representative point of the largest part of a (multi)polygon."""
    parts = list(getattr(geom, "geoms", [geom]))
    largest = max(parts, key=lambda p: p.area)
    pt = largest.representative_point()
    assert isinstance(pt, Point)
    return pt


def first_match(villages: pd.DataFrame, name: str) -> pd.Series | None:
    """The first village (by code) whose normalised name equals ``name``, or None."""
    hits = villages[villages["nama"].map(norm) == norm(name)].sort_values("kode")
    return None if hits.empty else hits.iloc[0]


def kec_seat(
    villages: gpd.GeoDataFrame, kec_name: str, pop: pd.Series | None, crs: str = METRIC_CRS
) -> tuple[pd.Series, str]:
    """Pick the village that stands for a kecamatan seat, with the reason.

    Order: a village named like the kecamatan; the most populous village (SP2010) when
    population is known; a kelurahan (urban) village; else the village nearest the middle of
    the kecamatan.
    """
    hit = first_match(villages, kec_name)
    if hit is not None:
        return hit, f"village named like the kecamatan ({hit['nama']} {hit['kode']})"
    if pop is not None:
        known = villages[villages["kode"].isin(pop.dropna().index)]
        if not known.empty:
            best = known.assign(p=known["kode"].map(pop)).sort_values(["p", "kode"]).iloc[-1]
            return best, f"most populous village in SP2010 ({best['nama']} {best['kode']})"
    kel = villages[villages["kode"].str[9] == "1"].sort_values("kode")
    if not kel.empty:
        row = kel.iloc[0]
        return row, f"first kelurahan (urban village) by code ({row['nama']} {row['kode']})"
    metric = villages.geometry.to_crs(crs)
    middle = rep_point(shapely.union_all(metric.values))
    near = villages.assign(d=metric.distance(middle)).sort_values(["d", "kode"])
    row = near.iloc[0]
    return row, f"village nearest the middle of the kecamatan ({row['nama']} {row['kode']})"


def within_m(pt: Point, geoms_metric: gpd.GeoSeries) -> float:
    """Distance in metres from a lon/lat point to the nearest of ``geoms_metric``."""
    p = gpd.GeoSeries([pt], crs=4326).to_crs(geoms_metric.crs).iloc[0]
    return float(geoms_metric.distance(p).min())


# ----------------------------------------------------------------------------- builders


def build_depots(
    villages: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    offices: Sequence[Office],
    pop: pd.Series | None,
    crs: str = METRIC_CRS,
) -> pd.DataFrame:
    """One ``dinas-PP.KK`` row per regency and one ``kec-PP.KK.CC`` row per kecamatan.

    A regency without an :class:`Office` gets its dinas at the seat of its first kecamatan
    named like the regency (or its first kecamatan), by the kecamatan rules below.
    """
    vm = villages.to_crs(crs)
    named = {o.kode_kab for o in offices}
    for kab, g in villages[~villages["kode_kab"].isin(named)].groupby("kode_kab"):
        kab_name = re.sub(
            r"^(kabupaten|kab\.?|kota)\s+", "", str(g["nama_kab"].iloc[0]), flags=re.I
        )
        kecs = sorted(set(g["nama_kec"]), key=lambda n: (norm(n) != norm(kab_name), n))
        offices = [*offices, Office(str(kab), f"Disdukcapil {g['nama_kab'].iloc[0]}", kecs[0])]
    rows: list[dict[str, Any]] = []
    for office in offices:
        kab = villages[villages["kode_kab"] == office.kode_kab]
        assert not kab.empty, f"no villages for {office.kode_kab}"
        kec_vm = vm[vm["kode_kab"] == office.kode_kab]
        if office.capital_kec is not None:
            kec_vm = kec_vm[kec_vm["nama_kec"].map(norm) == norm(office.capital_kec)]
            assert not kec_vm.empty, f"{office.kode_kab}: no kecamatan {office.capital_kec}"
        if office.lonlat is not None and within_m(Point(office.lonlat), kec_vm.geometry) == 0:
            lon, lat = office.lonlat
            where = f"Kec. {office.capital_kec}" if office.capital_kec else "the regency"
            method = f"{KNOWLEDGE}; checked to lie in {where}"
        else:
            if office.lonlat is not None:
                print(
                    f"  {office.kode_kab}: known point not in Kec. {office.capital_kec}, deriving"
                )
            in_kec = kab[kab["nama_kec"].map(norm) == norm(office.capital_kec or "")]
            hit = None
            if office.capital_village is not None:
                hit = first_match(in_kec, office.capital_village)
            if hit is not None:
                why = f"village holding the regency capital ({hit['nama']} {hit['kode']})"
            else:
                hit, why = kec_seat(in_kec, office.capital_kec or "", pop, crs)
            pt = rep_point(hit.geometry)
            lon, lat = pt.x, pt.y
            method = f"representative point of the {why}"
        if office.note:
            method += f"; {office.note}"
        rows.append(
            {
                "depot_id": f"dinas-{office.kode_kab}",
                "name": office.name,
                "kind": "dinas",
                "kode_kab": office.kode_kab,
                "kode_kec": "",
                "lon": round(lon, 6),
                "lat": round(lat, 6),
                "coord_approximate": True,
                "coord_method": method,
            }
        )
    for _, d in districts.sort_values("kode").iterrows():
        vil = villages[villages["kode_kec"] == d["kode"]]
        hit, why = kec_seat(vil, d["nama"], pop, crs)
        pt = rep_point(hit.geometry)
        rows.append(
            {
                "depot_id": f"kec-{d['kode']}",
                "name": f"Kantor Kecamatan {d['nama']}",
                "kind": "kecamatan",
                "kode_kab": d["kode_kab"],
                "kode_kec": d["kode"],
                "lon": round(pt.x, 6),
                "lat": round(pt.y, 6),
                "coord_approximate": True,
                "coord_method": f"representative point of the {why}; office not surveyed",
            }
        )
    depots = pd.DataFrame(rows)
    check_depots(depots, villages, crs)
    return depots


def check_depots(depots: pd.DataFrame, villages: gpd.GeoDataFrame, crs: str) -> None:
    """Every depot inside (or within 1 km of) a village polygon of its regency; unique ids."""
    vm = villages.to_crs(crs)
    pts = gpd.GeoSeries(gpd.points_from_xy(depots["lon"], depots["lat"]), crs=4326)
    pts_m = pts.to_crs(crs)
    for i, row in depots.reset_index(drop=True).iterrows():
        dist = vm[vm["kode_kab"] == row["kode_kab"]].distance(pts_m.iloc[i]).min()
        assert dist <= DEPOT_TOLERANCE_M, f"{row['depot_id']} is {dist:.0f} m from its regency"
    assert depots["depot_id"].is_unique


def build_ports(
    villages: gpd.GeoDataFrame, specs: Sequence[PortSpec], ops: pd.DataFrame, crs: str
) -> pd.DataFrame:
    """Port rows; the point is the coast of the port village nearest the served island part."""
    cols = [
        "port_id", "port_name", "lon", "lat", "coord_approximate", "coord_method",
        "serves_kode_desa", "serves_name", "crossing_minutes", "crossing_source",
    ]  # fmt: skip
    vm = villages.to_crs(crs).set_index("kode")
    rows = []
    for spec in specs:
        assert spec.serves_kode_desa in vm.index, spec.serves_kode_desa
        assert spec.port_village in vm.index, spec.port_village
        served = vm.loc[spec.serves_kode_desa]
        port_v = vm.loc[spec.port_village]
        # the served island part: the part of the served village farthest from the port village
        island = max(served.geometry.geoms, key=lambda p: p.distance(port_v.geometry))
        coast = port_v.geometry.boundary
        p_m = nearest_points(coast, island)[0]
        p = gpd.GeoSeries([p_m], crs=crs).to_crs(4326).iloc[0]
        op = ops[ops["parameter"].str.contains(spec.operation_match, case=False, regex=False)]
        assert len(op) == 1, f"{spec.port_id}: {len(op)} rows in recording_operations.csv"
        src = op.iloc[0]
        rows.append(
            {
                "port_id": spec.port_id,
                "port_name": spec.port_name,
                "lon": round(p.x, 6),
                "lat": round(p.y, 6),
                "coord_approximate": True,
                "coord_method": f"approximate: point of the coast of {port_v['nama']} "
                f"{spec.port_village} nearest the island part of {served['nama']}; "
                "not the surveyed pier",
                "serves_kode_desa": spec.serves_kode_desa,
                "serves_name": served["nama"],
                "crossing_minutes": spec.crossing_minutes,
                "crossing_source": f"{src['source_title']}, {src['source_url_or_outlet']} "
                f"({spec.crossing_note})",
            }
        )
    return pd.DataFrame(rows, columns=cols)


def build_neighbours(
    regencies: gpd.GeoDataFrame, national: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame,
    own_codes: Iterable[str], province_codes: Sequence[str], crs: str = METRIC_CRS,
) -> gpd.GeoDataFrame:  # fmt: skip
    """Regencies outside the region within 50 km of it, plus the rest of its provinces."""
    own = set(own_codes)
    union_m = shapely.union_all(regencies.to_crs(crs).geometry.values)
    nat_m = national.to_crs(crs)
    near = nat_m.geometry.distance(union_m) <= NEIGHBOUR_KM * 1000
    same_prov = national["kode"].str[:2].isin(province_codes)
    keep = national[(near | same_prov) & ~national["kode"].isin(own)].copy()
    keep["kode_prov"] = keep["kode"].str[:2]
    keep = keep.merge(
        provinces[["kode", "nama"]].rename(columns={"kode": "kode_prov", "nama": "nama_prov"}),
        on="kode_prov",
        how="left",
    )
    assert keep["nama_prov"].notna().all()
    cols = ["kode", "nama", "kode_prov", "nama_prov", "geometry"]
    return gpd.GeoDataFrame(keep[cols], geometry="geometry", crs=national.crs).sort_values("kode")


def build_population(est: pd.DataFrame, codes: pd.Series, as_of: str) -> pd.DataFrame:
    """population.csv rows for the region's villages."""
    sub = est[est["kemendagri_code"].isin(codes)]
    assert len(sub) == len(codes), f"population rows {len(sub)} vs villages {len(codes)}"
    return pd.DataFrame(
        {
            "kode": sub["kemendagri_code"],
            "nama": sub["desa_name_kemendagri"],
            "kode_kab": sub["regency_code"],
            "pop_2010": sub["pop_2010"],
            "pop_est": sub["pop_2017_est"],
            "wajib_ktp_est": sub["est_wajib_ktp_scaled_to_dukcapil"],
            "estimate_status": sub["status"],
            "as_of": as_of,
        }
    ).sort_values("kode")


PUBLISHED_SOURCE_COLUMNS = (
    "date", "area_level", "area_code", "area_name", "metric", "value", "unit",
    "source_title", "source_url_or_outlet", "note",
)  # fmt: skip


def build_published(params: pd.DataFrame, spec: RegionSpec) -> pd.DataFrame:
    """Published figures whose area code lies in the region, plus its province rows."""
    code = params["area_code"].fillna("")
    prefixes = spec.regency_codes or spec.province_codes
    in_region = pd.Series(False, index=params.index)
    for p in prefixes:
        in_region |= (code == p) | code.str.startswith(p + ".")
    province = (params["area_level"] == "province") & code.isin(spec.province_codes)
    sub = params[in_region | province]
    return pd.DataFrame(
        {
            "date": sub["date"],
            "area_level": sub["area_level"],
            "area_code": sub["area_code"],
            "area_name": sub["area_name"],
            "metric": sub["metric"],
            "value": sub["value"],
            "unit": sub["unit"],
            "source": sub["source_title"],
            "source_url": sub["source_url_or_outlet"],
            "note": sub["note"],
        }
    )


# ----------------------------------------------------------------------------- TOML


def toml_value(v: Any) -> str:
    """Format a scalar or a list of scalars as TOML."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    raise TypeError(type(v))


def toml_table(prefix: str, table: dict[str, Any], *, array: bool = False) -> list[str]:
    """Format one table (and its sub-tables / arrays of tables)."""
    out = [f"[[{prefix}]]" if array else f"[{prefix}]"]
    nested: list[tuple[str, Any]] = []
    for k, v in table.items():
        if isinstance(v, dict) or (isinstance(v, list) and v and isinstance(v[0], dict)):
            nested.append((k, v))
        else:
            out.append(f"{k} = {toml_value(v)}")
    for k, v in nested:
        if isinstance(v, dict):
            out += ["", *toml_table(f"{prefix}.{k}", v)]
        else:
            for item in v:
                out += ["", *toml_table(f"{prefix}.{k}", item, array=True)]
    return out


def region_toml(
    spec: RegionSpec,
    regency_codes: list[str],
    files: dict[str, str],
    *,
    crs: str,
    zone: tuple[str, str],
    notes: list[str],
) -> str:
    """The region.toml text (UTM zone and time zone found from the region's location)."""
    top = {
        "key": spec.key,
        "name": spec.name,
        "province_codes": spec.province_codes,
        "regency_codes": regency_codes,
        "crs_metric": crs,
        "timezone": zone[0],
        "timezone_label": zone[1],
        "notes": [*notes, *([f"ports: {spec.ports_note}"] if spec.ports_note else [])],
    }
    lines = [
        f"# Region {spec.key}: written by tools/build_regions.py; edit the script, not this file.",
        *[f"{k} = {toml_value(v)}" for k, v in top.items()],
        "",
    ]
    extra = dict(spec.toml_extra)
    terrain = extra.pop("terrain")
    sites = extra.pop("island_sites")
    lines += toml_table("estimate", extra.pop("estimate"))
    assert not extra, extra
    lines += [""]
    lines += toml_table("terrain", terrain)
    for site in sites:
        lines += ["", *toml_table("island_sites", site, array=True)]
    lines += ["", *toml_table("files", files)]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- main


def utm_crs(regencies: gpd.GeoDataFrame) -> str:
    """WGS 84 / UTM zone of the region's centre (EPSG:326zz north, 327zz south)."""
    c = shapely.union_all(regencies.geometry.values).centroid
    zone = int((c.x + 180) // 6) + 1
    return f"EPSG:{(32600 if c.y >= 0 else 32700) + zone}"


# Indonesian time zones by province (Keppres 41/1987): WITA from Bali, NTB, NTT, South/East/North
# Kalimantan and Sulawesi; WIT in Maluku and Papua; WIB elsewhere (Sumatra, Java, West/Central
# Kalimantan, Kepulauan Riau).
WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}


def time_zone(province_code: str) -> tuple[str, str]:
    """IANA zone and its label (WIB/WITA/WIT) of a province code."""
    if province_code in WIT_PROVINCES:
        return "Asia/Jayapura", "WIT"
    if province_code in WITA_PROVINCES:
        return "Asia/Makassar", "WITA"
    return "Asia/Jakarta", "WIB"


def published_target(published: pd.DataFrame, date: str, code: str) -> popmod.WajibTarget:
    """The published ``wajib_ktp`` row of ``code`` at ``date`` as a scaling target."""
    hit = published[
        (published["date"] == date)
        & (published["area_code"] == code)
        & (published["metric"] == "wajib_ktp")
    ]
    assert len(hit) == 1, f"wajib_ktp {code} {date}: {len(hit)} rows in published.csv"
    row = hit.iloc[0]
    return popmod.WajibTarget(
        int(float(row["value"])), date, f"{row['source']}, {row['source_url']}"
    )


def read_published_extra(paths: Sequence[Path], prefixes: Sequence[str]) -> pd.DataFrame:
    """Rows of extra published CSVs (same columns as published.csv) inside the region."""
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths]
    if not frames:
        return pd.DataFrame()
    df = pd.concat(frames, ignore_index=True)
    code = df["area_code"]
    keep = pd.Series(False, index=df.index)
    for p in prefixes:
        keep |= (code == p) | code.str.startswith(p + ".")
    df = df[keep]
    return df.drop_duplicates(["date", "area_code", "metric", "value"]).reset_index(drop=True)


def build_region(spec: RegionSpec, shared: Path, out: Path) -> list[dict[str, Any]]:
    """Write one region folder; return per-regency count rows for the README."""
    src = shared / "geodata-src"
    popdir = shared / "popdata"
    folder = out / spec.key
    folder.mkdir(parents=True, exist_ok=True)
    print(f"[{spec.key}] -> {folder}")
    gpkg = spec.gpkg_path or src / spec.gpkg
    villages = read_layer(gpkg, "villages")
    districts = read_layer(gpkg, "districts")
    regencies = read_layer(gpkg, "regencies")
    if spec.regency_codes is not None:
        villages = villages[villages["kode_kab"].isin(spec.regency_codes)]
        districts = districts[districts["kode_kab"].isin(spec.regency_codes)]
        regencies = regencies[regencies["kode"].isin(spec.regency_codes)]
    for gdf in (villages, districts, regencies):
        assert gdf.crs is not None and gdf.crs.to_epsg() == 4326
        assert gdf["kode"].is_unique
    reg_codes = sorted(regencies["kode"])
    crs = utm_crs(regencies)
    zones = {time_zone(p) for p in spec.province_codes}
    assert len(zones) == 1, f"provinces {spec.province_codes} span time zones {zones}"
    write_gpkg(
        {"villages": villages, "districts": districts, "regencies": regencies},
        folder / "boundaries.gpkg",
    )

    national = read_layer(NATIONAL / "indonesia_regencies.gpkg", "regencies")
    provinces = read_layer(NATIONAL / "indonesia_regencies.gpkg", "provinces")
    neighbours = build_neighbours(
        regencies, national, provinces, reg_codes, spec.province_codes, crs
    )
    write_gpkg({"regencies": neighbours}, folder / "neighbours.gpkg")
    print(f"  {crs}, {zones}; neighbours: {len(neighbours)} ({', '.join(neighbours['kode'])})")

    islands = pd.read_csv(NATIONAL / "islands.csv", dtype=str, keep_default_na=False)
    prefixes = spec.regency_codes or spec.province_codes
    keep = islands["code"].str[:2].isin(spec.province_codes)
    if spec.regency_codes is not None and spec.sea is not None:  # island regencies: their own
        keep &= islands["regency_code"].isin(spec.regency_codes)
    islands[keep].to_csv(folder / "islands.csv", index=False)

    files = {
        "boundaries": "boundaries.gpkg",
        "neighbours": "neighbours.gpkg",
        "islands": "islands.csv",
        "population": "population.csv",
        "published": "published.csv",
        "ports": "ports.csv",
        "depots": "depots.csv",
    }
    params_csv = popdir / "ektp_recording_params_2016_2020.csv"
    params = (
        pd.read_csv(params_csv, dtype=str)
        if params_csv.is_file()  # a new region built without the shared folder
        else pd.DataFrame(columns=[*PUBLISHED_SOURCE_COLUMNS])
    )
    published = build_published(params, spec)
    extra = read_published_extra(spec.published_extra, prefixes)
    if not extra.empty:
        published = pd.concat([published, extra[published.columns]], ignore_index=True)
        published = published.drop_duplicates(["date", "area_code", "metric", "value"])
    published.to_csv(folder / "published.csv", index=False)

    pop: pd.Series | None = None
    notes = list(spec.notes)
    if spec.pop is not None:
        ps = spec.pop
        crosswalk = pd.read_csv(popdir / f"crosswalk_{ps.crosswalk}.csv", dtype=str)
        total = published_target(published, *ps.total_ref)
        regency_wajib = {k: published_target(published, d, k) for k, d in ps.regency_refs.items()}
        population, _growth = popmod.build_population(
            villages, crosswalk, published, crs=crs, as_of=ps.as_of,
            province_code=ps.growth_code, total=total, regency_wajib=regency_wajib,
            distrust_growth=ps.distrust_growth,
        )  # fmt: skip
        population.to_csv(folder / "population.csv", index=False)
        pop = population.set_index("kode")["pop_2010"].astype("float")
        status = population["estimate_status"].value_counts().to_dict()
        print(f"  population: {len(population)} rows {status}")
        notes.append(
            f"population.csv: SP2010 (BPS) via crosswalk_{ps.crosswalk}.csv, projected to "
            f"{ps.as_of} with regency SP2010->SP2020 growth (growth_basis column), wajib KTP "
            f"scaled to {total.value:,} ({total.as_of}, {total.source})"
            + "".join(
                f"; {k} to {t.value:,} ({t.as_of}, {t.source})"
                for k, t in sorted(regency_wajib.items())
            )
            + f"; villages created after 2010: {status.get('derived_split_from_parent', 0)} "
            "share their parent's 2010 figure equally (parent_kode, parent_method)"
        )
    elif spec.population_as_of is not None:
        est = pd.read_csv(
            popdir / "village_population_est_2017.csv",
            dtype={
                "kemendagri_code": "str",
                "regency_code": "str",
                "pop_2010": "Int64",
                "pop_2017_est": "Int64",
                "est_wajib_ktp_scaled_to_dukcapil": "Int64",
            },
        )
        population = build_population(est, villages["kode"], spec.population_as_of)
        population.to_csv(folder / "population.csv", index=False)
        pop = population.set_index("kode")["pop_2010"].astype("float")
        missing = int(population["pop_2010"].isna().sum())
        print(f"  population: {len(population)} rows, {missing} without 2010")
    else:
        files["population"] = "none"
        (folder / "population.csv").unlink(missing_ok=True)

    if spec.sea is not None and spec.sea.offices is not None:
        offices = pd.read_csv(spec.sea.offices, dtype=str, keep_default_na=False)
        depots = sea_data.offices_to_depots(offices)
        check_depots(depots, villages, crs)
    else:
        depots = build_depots(villages, districts, spec.offices, pop, crs)
    depots.to_csv(folder / "depots.csv", index=False)

    if spec.sea is not None and spec.sea.ports is not None:
        raw_ports = pd.read_csv(spec.sea.ports, dtype=str, keep_default_na=False)
        raw_links = (
            pd.read_csv(spec.sea.links, dtype=str, keep_default_na=False)
            if spec.sea.links is not None
            else pd.DataFrame(columns=["link_id", "from_port", "to_port", "minutes"])
        )
        ports, dropped_ports = sea_data.build_ports(raw_ports, raw_links, villages, depots, crs)
        links, dropped_links = sea_data.build_links(raw_links, set(ports["port_id"]))
        (folder / "ports_outside.csv").unlink(missing_ok=True)  # older builds split the ports
        links.to_csv(folder / "sea_links.csv", index=False)
        for what, items in (("ports", dropped_ports), ("sea links", dropped_links)):
            if items:
                notes.append(f"{what} of the source CSV left out: {', '.join(items)}")
        serving = ports["serves_kode_desa"] != ""
        print(f"  ports: {ports['port_id'].nunique()} ports, "
              f"{ports.loc[serving, 'port_id'].nunique()} with departure rows "
              f"({int(serving.sum())} rows), {len(links)} sea links")  # fmt: skip
    else:
        ops = (
            pd.read_csv(popdir / "recording_operations.csv", dtype=str)
            if spec.ports
            else pd.DataFrame(columns=["parameter"])
        )
        ports = build_ports(villages, spec.ports, ops, crs)
    ports.to_csv(folder / "ports.csv", index=False)
    print(f"  depots: {len(depots)}, ports: {len(ports)}, published: {len(published)}")

    text = region_toml(spec, reg_codes, files, crs=crs, zone=zones.pop(), notes=notes)
    (folder / "region.toml").write_text(text, encoding="utf-8")

    counts = []
    for kode in reg_codes:
        v = villages[villages["kode_kab"] == kode]
        counts.append(
            {
                "region": spec.key,
                "kode": kode,
                "nama": regencies.loc[regencies["kode"] == kode, "nama"].iloc[0],
                "villages": len(v),
                "desa": int((v["kode"].str[9] == "2").sum()),
                "kelurahan": int((v["kode"].str[9] == "1").sum()),
                "districts": int((districts["kode_kab"] == kode).sum()),
            }
        )
    return counts


def counts_markdown(counts: list[dict[str, Any]]) -> str:
    """Per-regency count tables, one per region."""
    df = pd.DataFrame(counts)
    out = []
    for region, g in df.groupby("region", sort=False):
        out += [f"**{region}**", "", "| kode | regency | villages | desa | kelurahan | districts |"]
        out += ["|---|---|---:|---:|---:|---:|"]
        for r in g.itertuples():
            out.append(
                f"| {r.kode} | {r.nama} | {r.villages} | {r.desa} | {r.kelurahan} | {r.districts} |"
            )
        tot = g[["villages", "desa", "kelurahan", "districts"]].sum()
        out.append(
            f"| | **total** | **{tot.villages}** | {tot.desa} | {tot.kelurahan} "
            f"| **{tot.districts}** |"
        )
        out.append("")
    return "\n".join(out)


def update_readme(readme: Path, counts: list[dict[str, Any]]) -> None:
    """Replace the block between the count markers in geodata/README.md."""
    start, end = "<!-- counts:start -->", "<!-- counts:end -->"
    if not readme.exists():
        print(f"  {readme} missing; counts not written")
        return
    text = readme.read_text(encoding="utf-8")
    if start not in text or end not in text:
        print(f"  {readme} has no count markers; counts not written")
        return
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{counts_markdown(counts)}{end}{tail}", encoding="utf-8")


def fail(message: str) -> NoReturn:
    """Stop on bad input: one ``ERROR:`` line, exit status 2, nothing written."""
    print(f"ERROR: {message}", file=sys.stderr)
    raise SystemExit(2)


def new_spec(args: argparse.Namespace) -> RegionSpec:
    """A :class:`RegionSpec` for a region that is not bundled, from the ``--new`` options."""
    missing = [
        f"--{k.replace('_', '-')}"
        for k in ("gpkg", "name", "as_of", "wajib_ktp", "unrecorded", "source")
        if getattr(args, k) is None
    ]
    if missing:
        fail(f"--new {args.new} needs {', '.join(missing)}")
    if not args.gpkg.is_file():
        fail(f"{args.gpkg}: file not found")
    regencies = read_layer(args.gpkg, "regencies")
    codes = sorted(args.regency or regencies["kode"])
    unknown = sorted(set(codes) - set(regencies["kode"]))
    if unknown:
        fail(f"{args.gpkg}: no regencies {unknown} in layer 'regencies'")
    estimate: dict[str, Any] = {
        "as_of": args.as_of,
        "wajib_ktp": args.wajib_ktp,
        "unrecorded": args.unrecorded,
        "approximate": args.approximate,
        "source": args.source,
    }
    sea = None
    if args.offices or args.ports:
        sea = SeaSources(args.offices, args.ports, args.sea_links)
    return RegionSpec(
        key=args.new,
        name=args.name,
        gpkg=args.gpkg.name,
        province_codes=sorted({c[:2] for c in codes}),
        regency_codes=codes if args.regency else None,
        offices=[],
        ports=[],
        toml_extra={
            "estimate": estimate,
            "terrain": {"hutan_villages": [], "hutan_kecamatan": []},
            "island_sites": [],
        },
        ports_note="" if args.ports else "no ports CSV given (--ports): no ports",
        notes=[
            f"built by tools/build_regions.py --new from {args.gpkg.name}; no village "
            "population (the estimate spreads wajib KTP evenly over villages)"
        ],
        sea=sea,
        published_extra=list(args.published or []),
        gpkg_path=args.gpkg,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "shared", nargs="?", type=Path, default=REPO.parent / "shared",
        help="shared source folder holding geodata-src/ and popdata/ (default: ../shared)",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=REPO / "geodata", help="output folder")
    parser.add_argument("--only", choices=[r.key for r in REGIONS], action="append")
    new = parser.add_argument_group("a new region (one command): --new KEY --gpkg ... ")
    new.add_argument("--new", metavar="KEY", help="build one new region folder named KEY")
    new.add_argument("--gpkg", type=Path, help="boundaries GeoPackage (geodata-src schema)")
    new.add_argument("--regency", action="append", help="keep only this regency (repeatable)")
    new.add_argument("--name", help="region name shown to users")
    new.add_argument("--as-of", help="date of the published totals (YYYY-MM)")
    new.add_argument("--wajib-ktp", type=int, help="published wajib KTP total")
    new.add_argument("--unrecorded", type=int, help="published unrecorded total")
    new.add_argument("--source", help="where the two totals were published (title, URL)")
    new.add_argument("--approximate", action="store_true", help="the totals are rounded")
    new.add_argument("--offices", type=Path, help="offices CSV (dinas, kecamatan, upt)")
    new.add_argument("--ports", type=Path, help="ports CSV")
    new.add_argument("--sea-links", type=Path, help="sea links CSV")
    new.add_argument("--published", type=Path, action="append", help="published figures CSV")
    args = parser.parse_args(argv)
    if args.new is not None:
        spec = new_spec(args)
        print(counts_markdown(build_region(spec, args.shared.resolve(), args.out)))
        return 0
    counts: list[dict[str, Any]] = []
    for spec in REGIONS:
        if args.only and spec.key not in args.only:
            continue
        counts += build_region(spec, args.shared.resolve(), args.out)
    if not args.only:
        update_readme(args.out / "README.md", counts)
    print(counts_markdown(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
