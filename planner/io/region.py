"""Load a region folder (``geodata/<key>/``) and validate it at the boundary.

Long module: every file of a folder is read and cross-checked in one pass so that one run
reports every problem of the folder (one ``ERROR:`` line each), not the first one.

A region folder holds ``region.toml``, ``boundaries.gpkg`` (layers ``villages``, ``districts``,
``regencies``), ``neighbours.gpkg`` and the CSV files described in ``docs/CONTRACTS.md``.
:func:`load_region` reads all of it, checks every file and raises one
:class:`~planner.core.errors.RegionError` listing every problem found.

Nothing is cached: each call reads the files again (a whole province takes about a second).
The ``region.toml`` models live in :mod:`planner.domain.config.region` and are re-exported here.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from planner.core.errors import ProblemCollector, RegionError
from planner.domain.config.region import (
    PROVINCE_CODE,
    REGENCY_CODE,
    VILLAGE_CODE,
    EstimateConfig,
    FilesConfig,
    IslandSiteConfig,
    RegionConfig,
    TerrainConfig,
    TerrainSite,
    read_region_config,
)

__all__ = [
    "CSV_COLUMNS",
    "CSV_KEYS",
    "CSV_NUMBERS",
    "DEPOT_TOLERANCE_M",
    "GEODATA_ENV",
    "LAYER_COLUMNS",
    "NEIGHBOUR_COLUMNS",
    "PORT_TOLERANCE_M",
    "PROVINCE_CODE",
    "REGENCY_CODE",
    "TRUE_WORDS",
    "VILLAGE_CODE",
    "EstimateConfig",
    "FilesConfig",
    "IslandSiteConfig",
    "Region",
    "RegionConfig",
    "TerrainConfig",
    "TerrainSite",
    "geodata_dir",
    "list_regions",
    "load_region",
    "read_region_config",
    "resolve_region_dir",
]

GEODATA_ENV = "JEMPUT_GEODATA"
"""Environment variable naming the folder that holds the bundled regions."""

DEPOT_TOLERANCE_M = 1000.0
"""A depot must lie inside, or this close to, a village polygon of its regency."""

PORT_TOLERANCE_M = 1000.0
"""A port must lie inside, or this close to, a village polygon of the region (on its coast)."""

LAYER_COLUMNS: dict[str, list[str]] = {
    "villages": [
        "kode", "nama", "kode_kec", "nama_kec", "kode_kab", "nama_kab",
        "kode_prov", "nama_prov", "lat", "lon",
    ],
    "districts": ["kode", "nama", "kode_kab", "nama_kab"],
    "regencies": ["kode", "nama"],
}  # fmt: skip
NEIGHBOUR_COLUMNS = ["kode", "nama", "kode_prov", "nama_prov"]

CSV_COLUMNS: dict[str, list[str]] = {
    "islands": ["code", "regency_code", "name", "is_populated", "is_outermost_small", "lat", "lon"],
    "population": [
        "kode", "nama", "kode_kab", "pop_2010", "pop_est", "wajib_ktp_est",
        "estimate_status", "as_of",
    ],
    "published": [
        "date", "area_level", "area_code", "area_name", "metric", "value", "unit", "source",
    ],
    "ports": [
        "port_id", "port_name", "lon", "lat", "coord_approximate", "coord_method",
        "serves_kode_desa", "serves_name", "crossing_minutes", "crossing_source",
    ],
    "depots": [
        "depot_id", "name", "kind", "kode_kab", "kode_kec", "lon", "lat",
        "coord_approximate", "coord_method",
    ],
}  # fmt: skip
CSV_KEYS: dict[str, list[str]] = {
    "islands": ["code"],
    "population": ["kode"],
    "published": [],
    "ports": ["port_id", "serves_kode_desa"],
    "depots": ["depot_id"],
}
CSV_NUMBERS: dict[str, list[str]] = {
    "islands": ["lat", "lon"],
    "population": ["pop_2010", "pop_est", "wajib_ktp_est"],
    "published": [],
    "ports": ["lon", "lat", "crossing_minutes"],
    "depots": ["lon", "lat"],
}
TRUE_WORDS = {"true": True, "1": True, "false": False, "0": False}

# ----------------------------------------------------------------------------- region


@dataclass(frozen=True)
class Region:
    """A loaded, validated region.

    Attributes
    ----------
    key, root, config
        Region key, its folder and the validated ``region.toml``.
    villages, districts, regencies
        Boundary layers (EPSG:4326) of the region.
    neighbours
        Regencies outside the region within 50 km (coarse national file).
    islands, population, published, ports, depots
        CSV tables; ``population`` is ``None`` for a region without sourced population.
        Codes are strings; ``lon``/``lat``/counts are numbers; ``coord_approximate`` is bool.
    """

    key: str
    root: Path
    config: RegionConfig
    villages: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    regencies: gpd.GeoDataFrame
    neighbours: gpd.GeoDataFrame
    islands: pd.DataFrame
    population: pd.DataFrame | None
    published: pd.DataFrame
    ports: pd.DataFrame
    depots: pd.DataFrame


def geodata_dir() -> Path:
    """Folder of the bundled regions: ``$JEMPUT_GEODATA`` or the repository's ``geodata/``."""
    env = os.environ.get(GEODATA_ENV)
    return Path(env) if env else Path(__file__).resolve().parents[2] / "geodata"


def list_regions() -> list[str]:
    """Keys of the bundled regions (sub-folders of :func:`geodata_dir` with a region.toml)."""
    base = geodata_dir()
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / "region.toml").is_file())


def resolve_region_dir(name_or_path: str | Path) -> Path:
    """Folder of a region given by bundled name or by path."""
    text = str(name_or_path)
    is_name = isinstance(name_or_path, str) and re.fullmatch(r"[A-Za-z0-9_-]+", text)
    candidate = geodata_dir() / text if is_name else Path(name_or_path)
    if candidate.is_dir():
        return candidate.resolve()
    if is_name:
        known = ", ".join(list_regions()) or "none"
        raise RegionError(
            f"region '{text}' not found in {geodata_dir()} (bundled regions: {known}); "
            f"give a folder path or set {GEODATA_ENV}"
        )
    raise RegionError(f"{candidate}: region folder not found")


def load_region(name_or_path: str | Path) -> Region:
    """Load and validate a region folder.

    Parameters
    ----------
    name_or_path
        A bundled region key (``"sarolangun"``), looked up in :func:`geodata_dir`, or the path
        of a region folder.

    Returns
    -------
    Region

    Raises
    ------
    RegionError
        Listing every problem found: missing files, layers or columns, duplicate codes,
        depots or ports with bad coordinates, ports serving unknown villages, ...

    Examples
    --------
    >>> region = load_region("sarolangun")  # doctest: +SKIP
    >>> len(region.villages)  # doctest: +SKIP
    158
    """
    root = resolve_region_dir(name_or_path)
    lines: list[str] = []
    try:
        config: RegionConfig | None = read_region_config(root / "region.toml")
    except RegionError as exc:
        lines += exc.problems
        config = None
    files = config.files if config is not None else FilesConfig()

    layers: dict[str, gpd.GeoDataFrame | None] = {}
    gpkg = root / files.boundaries
    for layer, columns in LAYER_COLUMNS.items():
        layers[layer] = _read_layer(gpkg, layer, columns, lines)
    neighbours = _read_layer(root / files.neighbours, "regencies", NEIGHBOUR_COLUMNS, lines)

    tables: dict[str, pd.DataFrame | None] = {}
    for name in CSV_COLUMNS:
        fname = getattr(files, name)
        tables[name] = None if fname is None else _read_csv(root / fname, name, lines)

    villages = layers["villages"]
    if config is not None and villages is not None:
        _cross_check(root, config, layers, tables, lines)
    if lines or config is None:
        raise RegionError(lines)
    assert villages is not None and neighbours is not None
    assert layers["districts"] is not None and layers["regencies"] is not None
    ports, depots = tables["ports"], tables["depots"]
    islands, published = tables["islands"], tables["published"]
    assert ports is not None and depots is not None
    assert islands is not None and published is not None
    return Region(
        key=config.key,
        root=root,
        config=config,
        villages=villages,
        districts=layers["districts"],
        regencies=layers["regencies"],
        neighbours=neighbours,
        islands=islands,
        population=tables["population"],
        published=published,
        ports=ports,
        depots=depots,
    )


# ----------------------------------------------------------------------------- readers


def depot_names(region: Region) -> dict[str, str]:
    """People's names of the region's depots (offices, and the bases teams sleep at)."""
    depots = region.depots
    return dict(zip(depots["depot_id"].astype(str), depots["name"].astype(str), strict=True))


def _read_layer(
    path: Path, layer: str, columns: list[str], lines: list[str]
) -> gpd.GeoDataFrame | None:
    """Read one layer, checking file, layer, columns, CRS and unique ``kode``."""
    where = f"{path}, layer '{layer}'"
    if not path.is_file():
        msg = f"{path}: file not found"
        if msg not in lines:
            lines.append(msg)
        return None
    try:
        with warnings.catch_warnings():
            # GDAL's own warnings on a damaged file repeat the error reported below
            warnings.simplefilter("ignore", RuntimeWarning)
            present = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # any GDAL failure means an unreadable file
        msg = f"{path}: not a readable GeoPackage ({exc})"
        if msg not in lines:  # one line per file, not one per layer
            lines.append(msg)
        return None
    if layer not in present:
        lines.append(f"{path}: layer '{layer}' not found; layers are: {', '.join(present)}")
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    missing = [c for c in columns if c not in gdf.columns]
    if missing:
        lines.append(f"{where}: missing columns {missing}; columns are: {list(gdf.columns)}")
        return None
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        lines.append(f"{where}: CRS must be EPSG:4326, found {gdf.crs}")
    missing_geom = gdf.geometry.isna() | gdf.geometry.is_empty
    if missing_geom.any():
        codes = ", ".join(gdf.loc[missing_geom, "kode"].astype(str).head(10))
        lines.append(f"{where}: {int(missing_geom.sum())} empty geometries (kode {codes})")
    invalid = ~missing_geom & ~gdf.geometry.is_valid
    if invalid.any():
        # repaired sources are valid (geodata-src README); an invalid polygon breaks adjacency
        codes = ", ".join(gdf.loc[invalid, "kode"].astype(str).head(10))
        lines.append(
            f"{where}: {int(invalid.sum())} invalid geometries (kode {codes}); repair them, "
            "e.g. with shapely.make_valid(method='structure')"
        )
    for col in columns:
        if col not in ("lat", "lon"):
            gdf[col] = gdf[col].astype("str")
    _duplicates(gdf, ["kode"], where, lines)
    return gdf


def _read_csv(path: Path, name: str, lines: list[str]) -> pd.DataFrame | None:
    """Read one CSV as strings, check columns and keys, convert numbers and flags."""
    if not path.is_file():
        lines.append(f"{path}: file not found")
        return None
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        lines.append(f"{path}: cannot parse CSV ({exc})")
        return None
    missing = [c for c in CSV_COLUMNS[name] if c not in df.columns]
    if missing:
        lines.append(f"{path}: missing columns {missing}; columns are: {list(df.columns)}")
        return None
    problems = ProblemCollector(str(path))
    _duplicates(df, CSV_KEYS[name], str(path), lines)
    for col in CSV_NUMBERS[name]:
        values = pd.to_numeric(df[col].replace("", None), errors="coerce")
        bad = df[col].ne("") & values.isna()
        for i in df.index[bad]:
            problems.add(f"not a number: {df.at[i, col]!r}", row=_row(i), column=col)
        df[col] = values
    if "coord_approximate" in df.columns:
        flags = df["coord_approximate"].str.strip().str.lower().map(TRUE_WORDS)
        for i in df.index[flags.isna()]:
            problems.add("expected true or false", row=_row(i), column="coord_approximate")
        df["coord_approximate"] = flags.fillna(True).astype(bool)
    for col in ("pop_2010", "pop_est", "wajib_ktp_est"):
        if col in CSV_NUMBERS[name] and not df[col].isna().all():
            df[col] = df[col].round().astype("Int64")
    lines += problems.items
    return df


def _where(df: pd.DataFrame, label: object) -> str:
    """``lon, lat=...`` text of one row, for messages."""
    key = cast(int, label)
    lon, lat = df["lon"].astype(float)[key], df["lat"].astype(float)[key]
    return f"{lon:g}, lat={lat:g}"


def _row(label: object) -> int:
    """1-based file row (header = 1) of a 0-based data-frame label."""
    assert isinstance(label, int | np.integer)
    return int(label) + 2


def _duplicates(df: pd.DataFrame, keys: list[str], where: str, lines: list[str]) -> None:
    if not keys:
        return
    dup = df[df.duplicated(keys, keep=False)]
    if not dup.empty:
        shown = sorted({" / ".join(str(v) for v in row) for row in dup[keys].to_numpy()})
        lines.append(f"{where}: duplicate {'+'.join(keys)}: {', '.join(shown[:10])}")


# ----------------------------------------------------------------------------- cross checks


def _cross_check(
    root: Path,
    config: RegionConfig,
    layers: dict[str, gpd.GeoDataFrame | None],
    tables: dict[str, pd.DataFrame | None],
    lines: list[str],
) -> None:
    """Checks between files: codes that must exist, coordinates that must be inside."""
    villages = layers["villages"]
    assert villages is not None
    codes = set(villages["kode"])
    regencies = layers["regencies"]
    if regencies is not None and set(regencies["kode"]) != set(config.regency_codes):
        lines.append(
            f"{root / 'region.toml'}: regency_codes {sorted(config.regency_codes)} differ from "
            f"the regencies layer {sorted(regencies['kode'])}"
        )
    stray = sorted(set(villages["kode_kab"]) - set(config.regency_codes))
    if stray:
        lines.append(f"{root}: villages of regencies not in region.toml: {stray}")
    toml = root / "region.toml"
    for site in config.island_sites:
        if site.kode_desa not in codes:
            lines.append(f"{toml}: island_sites: unknown village {site.kode_desa}")
    for terrain in config.terrain.hutan_villages:
        if terrain.kode not in codes:
            lines.append(f"{toml}: terrain.hutan_villages: unknown village {terrain.kode}")
    districts = layers["districts"]
    kec_codes = set(districts["kode"]) if districts is not None else set(villages["kode_kec"])
    for terrain in config.terrain.hutan_kecamatan:
        if terrain.kode not in kec_codes:
            lines.append(f"{toml}: terrain.hutan_kecamatan: unknown kecamatan {terrain.kode}")

    population = tables["population"]
    if population is not None:
        unknown = sorted(set(population["kode"]) - codes)
        if unknown:
            lines.append(f"{root / str(config.files.population)}: unknown villages {unknown[:10]}")

    metric = villages.to_crs(config.crs_metric)
    ports = tables["ports"]
    if ports is not None:
        pp = ProblemCollector(str(root / config.files.ports))
        for i, kode in ports["serves_kode_desa"].items():
            if kode not in codes:
                pp.add(f"serves unknown village {kode!r}", row=_row(i), column="serves_kode_desa")
        minutes = ports["crossing_minutes"]
        for i in ports.index[~(minutes > 0)]:
            pp.add("crossing_minutes must be > 0", row=_row(i), column="crossing_minutes")
        _check_points(ports, metric, None, PORT_TOLERANCE_M, "the region", pp)
        lines += pp.items
    depots = tables["depots"]
    if depots is not None:
        dp = ProblemCollector(str(root / config.files.depots))
        for i, row in depots.iterrows():
            if row["kind"] not in ("dinas", "kecamatan"):
                dp.add(f"kind must be dinas or kecamatan, not {row['kind']!r}", row=_row(i))
            if row["kode_kab"] not in config.regency_codes:
                dp.add(f"unknown regency {row['kode_kab']!r}", row=_row(i), column="kode_kab")
            if row["kind"] == "kecamatan" and row["kode_kec"] not in kec_codes:
                dp.add(f"unknown kecamatan {row['kode_kec']!r}", row=_row(i), column="kode_kec")
        _check_points(depots, metric, "kode_kab", DEPOT_TOLERANCE_M, "its regency", dp)
        lines += dp.items


def _check_points(
    df: pd.DataFrame,
    metric: gpd.GeoDataFrame,
    group: str | None,
    tolerance_m: float,
    what: str,
    problems: ProblemCollector,
) -> None:
    """Each row's lon/lat must be valid and within ``tolerance_m`` of a village polygon.

    With ``group`` (a column shared with the villages, e.g. ``kode_kab``) the village must
    have the same value.
    """
    ok = df["lon"].between(-180, 180) & df["lat"].between(-90, 90)
    for i in df.index[~ok]:
        problems.add(f"bad coordinates lon={_where(df, i)}", row=_row(i))
    sub = df[ok]
    if sub.empty:
        return
    pts = gpd.GeoSeries(gpd.points_from_xy(sub["lon"], sub["lat"]), index=sub.index, crs=4326)
    pts_m = pts.to_crs(metric.crs)
    p_idx, v_idx = metric.sindex.query(pts_m.values, predicate="dwithin", distance=tolerance_m)
    near = pd.DataFrame({"row": sub.index[p_idx], "village": v_idx})
    if group is not None:
        same = metric[group].to_numpy()[near["village"]] == sub.loc[near["row"], group].to_numpy()
        near = near[same]
    for i in sub.index.difference(pd.Index(near["row"].unique())):
        problems.add(
            f"lon={_where(df, i)} is more than {tolerance_m:.0f} m "
            f"from every village polygon of {what}",
            row=_row(i),
        )
