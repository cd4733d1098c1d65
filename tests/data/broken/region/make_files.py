"""Generate the broken region folders next to this script from the bundled ``sarolangun``.

Run ``python tests/data/broken/region/make_files.py``. ``00_valid_base/`` is a small valid
region (Kecamatan Sarolangun, 16 villages, of Kabupaten Sarolangun 15.03); every other folder
is that region with one thing broken. Folders reuse the base's files through ``[files]`` paths
(``../00_valid_base/...``) and hold only the file they break, so the corpus stays small.

Text files are byte-for-byte the same on every run. GeoPackages are SQLite files that GDAL
stamps with the time of writing: their *content* (layers, columns, rows, geometries) is
reproducible, their bytes are not (``tests/integration/test_broken_inputs.py`` compares
content).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiPolygon, Polygon

HERE = Path(__file__).resolve().parent
SOURCE = Path(__file__).resolve().parents[4] / "geodata" / "sarolangun"
KEC = "15.03.03"  # Kecamatan Sarolangun: holds the regency Disdukcapil office (dinas-15.03)
BASE = "00_valid_base"

REGION_TOML = """# Broken-corpus test region: Kecamatan Sarolangun only (from geodata/sarolangun).
key = "{key}"
name = "Uji: Kecamatan Sarolangun"
province_codes = ["15"]
regency_codes = ["15.03"]
crs_metric = "EPSG:32748"
timezone = "Asia/Jakarta"
timezone_label = "WIB"

[estimate]
as_of = "2018-10"
wajib_ktp = 30000
unrecorded = 3000
approximate = true
source = "test figures, not published"

[files]
{files}
"""
FILE_KEYS = ("boundaries", "neighbours", "islands", "population", "published", "ports", "depots")
FILE_NAMES = {
    "boundaries": "boundaries.gpkg",
    "neighbours": "neighbours.gpkg",
    "islands": "islands.csv",
    "population": "population.csv",
    "published": "published.csv",
    "ports": "ports.csv",
    "depots": "depots.csv",
}


def region_toml(key: str, own: set[str]) -> str:
    """``region.toml`` text: files in ``own`` are in the folder, the rest in the base."""
    lines = []
    for name in FILE_KEYS:
        where = FILE_NAMES[name] if name in own else f"../{BASE}/{FILE_NAMES[name]}"
        lines.append(f'{name} = "{where}"')
    return REGION_TOML.format(key=key, files="\n".join(lines))


def garbage(size: int, salt: bytes) -> bytes:
    """Deterministic pseudo-random bytes (SHA-256 chain)."""
    out = b""
    block = salt
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return out[:size]


def base_layers() -> dict[str, gpd.GeoDataFrame]:
    """The villages, districts and regencies layers of the small region."""
    src = SOURCE / "boundaries.gpkg"
    villages = gpd.read_file(src, layer="villages")
    villages = villages[villages["kode_kec"] == KEC].sort_values("kode").reset_index(drop=True)
    districts = gpd.read_file(src, layer="districts")
    districts = districts[districts["kode"] == KEC].reset_index(drop=True)
    regencies = gpd.read_file(src, layer="regencies").reset_index(drop=True)
    return {"villages": villages, "districts": districts, "regencies": regencies}


def write_gpkg(path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Write layers into a fresh GeoPackage."""
    path.unlink(missing_ok=True)
    for name, frame in layers.items():
        frame.to_file(path, layer=name, driver="GPKG", engine="pyogrio")


def write_folder(name: str, files: dict[str, str | bytes | None] | None = None) -> Path:
    """A region folder holding ``region.toml`` and the given own text/bytes files."""
    folder = OUT / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    files = files or {}
    own = {key for key, fname in FILE_NAMES.items() if fname in files}
    toml = files.pop("region.toml", None) if "region.toml" in files else None
    key = name.split("_", 1)[1].replace("_", "-")
    text = toml if isinstance(toml, str) else region_toml(key, own)
    (folder / "region.toml").write_bytes(text.encode("utf-8"))
    for fname, content in files.items():
        if content is None:
            continue
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / fname).write_bytes(data)
    return folder


def csv_text(frame: pd.DataFrame) -> str:
    """A frame as CSV text with ``\\n`` line endings."""
    return str(frame.to_csv(index=False, lineterminator="\n"))


def make_base(layers: dict[str, gpd.GeoDataFrame]) -> None:
    """``00_valid_base``: a small region that loads and runs."""
    folder = write_folder(BASE)
    (folder / "region.toml").write_text(region_toml("valid-base", set(FILE_NAMES)), "utf-8")
    write_gpkg(folder / "boundaries.gpkg", layers)
    neighbours = gpd.read_file(SOURCE / "neighbours.gpkg", layer="regencies")
    write_gpkg(folder / "neighbours.gpkg", {"regencies": neighbours.sort_values("kode")})
    codes = set(layers["villages"]["kode"])
    population = pd.read_csv(SOURCE / "population.csv", dtype=str, keep_default_na=False)
    population = population[population["kode"].isin(codes)]
    (folder / "population.csv").write_text(csv_text(population), "utf-8")
    for fname in ("islands.csv", "published.csv", "ports.csv"):
        shutil.copyfile(SOURCE / fname, folder / fname)
    depots = pd.read_csv(SOURCE / "depots.csv", dtype=str, keep_default_na=False)
    depots = depots[depots["depot_id"].isin(["dinas-15.03", f"kec-{KEC}"])]
    (folder / "depots.csv").write_text(csv_text(depots), "utf-8")


def base_text(fname: str) -> str:
    """Text of one CSV of the base region."""
    return (OUT / BASE / fname).read_text(encoding="utf-8")


def make_geometry_folders(layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Folders whose ``boundaries.gpkg`` is broken."""
    villages = layers["villages"]

    bowtie = villages.copy()  # a self-intersecting polygon: invalid, not empty
    x, y = float(bowtie.at[0, "lon"]), float(bowtie.at[0, "lat"])
    d = 0.01
    bowtie.loc[0, "geometry"] = MultiPolygon(
        [Polygon([(x - d, y - d), (x + d, y + d), (x + d, y - d), (x - d, y + d)])]
    )
    folder = write_folder("01_invalid_geometry", {"boundaries.gpkg": None})
    write_gpkg(folder / "boundaries.gpkg", {**layers, "villages": bowtie})

    empty = villages.copy()
    empty.loc[[1, 2], "geometry"] = MultiPolygon()
    folder = write_folder("02_empty_geometry", {"boundaries.gpkg": None})
    write_gpkg(folder / "boundaries.gpkg", {**layers, "villages": empty})

    null = villages.copy()
    null.loc[3, "geometry"] = None
    folder = write_folder("03_null_geometry", {"boundaries.gpkg": None})
    write_gpkg(folder / "boundaries.gpkg", {**layers, "villages": null})

    folder = write_folder("04_missing_layer", {"boundaries.gpkg": None})
    write_gpkg(folder / "boundaries.gpkg", {k: v for k, v in layers.items() if k != "districts"})

    other = villages.copy()  # codes of another province (16 = Sumatera Selatan)
    other.loc[[0, 1], "kode"] = ["16.03.03.2001", "16.03.03.2002"]
    other.loc[[0, 1], "kode_kec"] = "16.03.03"
    other.loc[[0, 1], "kode_kab"] = "16.03"
    other.loc[[0, 1], "kode_prov"] = "16"
    folder = write_folder("05_other_province_codes", {"boundaries.gpkg": None})
    write_gpkg(folder / "boundaries.gpkg", {**layers, "villages": other})

    folder = write_folder("06_missing_columns", {"boundaries.gpkg": None})
    write_gpkg(
        folder / "boundaries.gpkg",
        {**layers, "villages": villages.drop(columns=["kode_kab", "nama"])},
    )

    folder = write_folder("07_gpkg_garbage", {"boundaries.gpkg": garbage(4096, b"gpkg")})

    # a SQLite file that is not a GeoPackage (no gpkg_contents table)
    folder = write_folder("08_sqlite_not_gpkg", {"boundaries.gpkg": None})
    with sqlite3.connect(folder / "boundaries.gpkg") as db:
        db.execute("CREATE TABLE villages (kode TEXT, nama TEXT)")
        db.execute("INSERT INTO villages VALUES ('15.03.03.2001', 'Desa')")
    db.close()

    folder = write_folder("09_empty_gpkg_file", {"boundaries.gpkg": b""})

    wrong_crs = {k: v.to_crs(32748) for k, v in layers.items()}
    folder = write_folder("10_wrong_crs", {"boundaries.gpkg": None})
    write_gpkg(folder / "boundaries.gpkg", wrong_crs)

    duplicate = pd.concat([villages, villages.iloc[[4]]], ignore_index=True)
    folder = write_folder("11_duplicate_village_code", {"boundaries.gpkg": None})
    write_gpkg(folder / "boundaries.gpkg", {**layers, "villages": gpd.GeoDataFrame(duplicate)})


def make_csv_folders() -> None:
    """Folders whose CSV files or ``region.toml`` are broken."""
    depots = base_text("depots.csv").splitlines()
    depots.append(
        "dinas-15.99,Disdukcapil Kabupaten Entah,dinas,15.99,,102.705,-2.304,True,test row"
    )
    write_folder("12_depot_unknown_regency", {"depots.csv": "\n".join(depots) + "\n"})

    header = base_text("ports.csv").splitlines()[0]
    ports = (
        f"{header}\n"
        "p-1,Dermaga Sungai,102.705,-2.304,True,test,15.03.03.1001,Desa,dua jam,test\n"
        "p-2,Dermaga Hilir,102.706,-2.305,True,test,15.03.03.1015,Desa,45,test\n"
    )
    write_folder("13_ports_non_numeric_minutes", {"ports.csv": ports})

    ports_bad = (
        f"{header}\n"
        "p-1,Dermaga,102.705,-2.304,True,test,15.03.03.9999,Desa Entah,30,test\n"
        "p-2,Dermaga Jauh,106.1,-6.0,True,test,15.03.03.1015,Desa,-5,test\n"
    )
    write_folder("14_ports_unknown_village", {"ports.csv": ports_bad})

    depots_coords = base_text("depots.csv").splitlines()
    depots_coords[1] = depots_coords[1].replace("102.705,-2.304", "timur,-2.304")
    write_folder("15_depot_bad_coordinate", {"depots.csv": "\n".join(depots_coords) + "\n"})

    write_folder("16_depots_empty_file", {"depots.csv": ""})

    latin = base_text("depots.csv").replace("Kabupaten Sarolangun", "Kabupaten Sarolangün")
    write_folder("17_depots_latin1", {"depots.csv": latin.encode("latin-1")})

    write_folder(
        "18_region_toml_bad",
        {
            "region.toml": region_toml("18-bad", set())
            .replace('crs_metric = "EPSG:32748"', 'crs_metric = "EPSG:4326"')
            .replace('timezone = "Asia/Jakarta"', 'timezone = "Asia/Sarolangun"')
            + "\nwarna = 'merah'\n"
        },
    )

    write_folder(
        "19_region_toml_syntax",
        {"region.toml": region_toml("19-syntax", set()).replace("[files]", "[files")},
    )

    missing = write_folder("20_missing_depots_csv")
    text = (missing / "region.toml").read_text(encoding="utf-8")
    (missing / "region.toml").write_text(
        text.replace(f'"../{BASE}/depots.csv"', '"depots.csv"'), encoding="utf-8"
    )


OUT = HERE


def main(out: Path = HERE) -> None:
    """Write every folder into ``out`` (default: next to this script)."""
    global OUT
    OUT = out
    out.mkdir(parents=True, exist_ok=True)
    layers = base_layers()
    make_base(layers)
    make_geometry_folders(layers)
    make_csv_folders()


if __name__ == "__main__":
    main()
