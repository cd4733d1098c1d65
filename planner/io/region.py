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
from dataclasses import dataclass, field
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
    SeaConfig,
    TerrainConfig,
    TerrainSite,
    read_files_config,
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
    "SEA_LINK_COLUMNS",
    "TRUE_WORDS",
    "VILLAGE_CODE",
    "EstimateConfig",
    "FilesConfig",
    "IslandSiteConfig",
    "Region",
    "RegionConfig",
    "SeaConfig",
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
"""A port in the region (``in_region`` true or absent) must lie inside, or this close to, a
village polygon of the region (on its coast). A port with ``in_region=false`` is not checked."""

PORT_OPTIONAL_COLUMNS = ["kode_desa", "in_region", "crossing_link"]
"""Optional columns of ``ports.csv`` (see ``docs/CONTRACTS.md``)."""

SEA_LINK_COLUMNS = [
    "link_id", "from_port", "to_port", "kind", "days", "departure", "minutes", "cost_idr",
    "cost_unit", "source_url", "note",
]  # fmt: skip
"""Columns of the optional ``sea_links.csv``."""

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
COST_UNITS = ("per_person", "per_trip", "per_hour", "")

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
        ``ports`` always has ``kode_desa`` and ``crossing_link`` (strings, may be empty) and
        ``in_region`` (bool).
    sea_links
        ``sea_links.csv`` (empty without the file), with parsed ``day_set`` (frozenset of
        weekdays, Monday = 0; empty for a ferry whose days are not published: it is kept
        but never planned on), ``departure_minute`` and numeric ``minutes``/``cost_idr``
        (``minutes`` NaN: not published, estimated from the distance by the travel model).
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
    sea_links: pd.DataFrame = field(default_factory=lambda: no_sea_links())


def no_sea_links() -> pd.DataFrame:
    """The ``sea_links`` table of a region folder without ``sea_links.csv``."""
    return pd.DataFrame(columns=[*SEA_LINK_COLUMNS, "day_set", "departure_minute"])


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
    if config is not None:
        files = config.files
    else:
        # the rest of the folder is still checked, by the names its [files] gives (or, if
        # that table is unreadable too, the defaults without the optional population file)
        files = read_files_config(root / "region.toml") or FilesConfig(population=None)

    layers: dict[str, gpd.GeoDataFrame | None] = {}
    gpkg = root / files.boundaries
    for layer, columns in LAYER_COLUMNS.items():
        layers[layer] = _read_layer(gpkg, layer, columns, lines)
    neighbours = _read_layer(root / files.neighbours, "regencies", NEIGHBOUR_COLUMNS, lines)

    tables: dict[str, pd.DataFrame | None] = {}
    for name in CSV_COLUMNS:
        fname = getattr(files, name)
        tables[name] = None if fname is None else _read_csv(root / fname, name, lines)

    sea_path = root / files.sea_links
    sea_links = _read_sea_links(sea_path, lines) if sea_path.is_file() else None
    villages = layers["villages"]
    if config is not None and villages is not None:
        _cross_check(root, config, layers, tables, lines)
        if tables["ports"] is not None:
            if sea_links is not None:
                _check_sea_links(sea_path, sea_links, tables["ports"], lines)
            _check_crossing_links(root / files.ports, tables["ports"], sea_links, lines)
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
        sea_links=sea_links if sea_links is not None else no_sea_links(),
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
    if name == "ports":
        if "kode_desa" not in df.columns:
            df["kode_desa"] = ""
        for i, kode in df["kode_desa"].items():
            if kode and not re.fullmatch(VILLAGE_CODE, kode):
                problems.add(
                    f"not a village code PP.KK.CC.DDDD: {kode!r}", row=_row(i), column="kode_desa"
                )
        words = df["in_region"] if "in_region" in df.columns else pd.Series("", index=df.index)
        flags = words.str.strip().str.lower().replace("", "true").map(TRUE_WORDS)
        for i in df.index[flags.isna()]:
            problems.add("expected true or false (or empty)", row=_row(i), column="in_region")
        df["in_region"] = flags.fillna(True).astype(bool)
        if "crossing_link" not in df.columns:
            df["crossing_link"] = ""  # an older folder: no crossing follows a ferry
        df["crossing_link"] = df["crossing_link"].str.strip()
    lines += problems.items
    return df


def _read_sea_links(path: Path, lines: list[str]) -> pd.DataFrame | None:
    """Read ``sea_links.csv``: columns, kinds, days, departure times, numbers, cost units."""
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        lines.append(f"{path}: cannot parse CSV ({exc})")
        return None
    missing = [c for c in SEA_LINK_COLUMNS if c not in df.columns]
    if missing:
        lines.append(f"{path}: missing columns {missing}; columns are: {list(df.columns)}")
        return None
    problems = ProblemCollector(str(path))
    _duplicates(df, ["link_id"], str(path), lines)
    for col in ("minutes", "cost_idr"):
        values = pd.to_numeric(df[col].str.strip().replace("", None), errors="coerce")
        for i in df.index[df[col].str.strip().ne("") & values.isna()]:
            problems.add(f"not a number: {df.at[i, col]!r}", row=_row(i), column=col)
        for i in df.index[values.notna() & ~(values >= 0)]:
            problems.add("must be >= 0", row=_row(i), column=col)
        df[col] = values.astype(float)
    day_sets: list[frozenset[int]] = []
    departures: list[float | None] = []
    for i, row in df.iterrows():
        kind = row["kind"].strip()
        if kind not in ("ferry", "charter"):
            problems.add(f"kind must be ferry or charter, not {kind!r}", row=_row(i), column="kind")
        days_text = row["days"].strip()
        days: set[int] = set()
        if days_text.lower() == "daily" or (not days_text and kind == "charter"):
            days = set(range(7))
        elif not days_text:
            pass  # a ferry whose days are not published: kept, never planned on (no day)
        else:
            for word in days_text.split(","):
                if word.strip() in DAY_NAMES:
                    days.add(DAY_NAMES.index(word.strip()))
                else:
                    problems.add(
                        f"unknown day {word.strip()!r}; use daily or {','.join(DAY_NAMES)}",
                        row=_row(i),
                        column="days",
                    )
        day_sets.append(frozenset(days))
        dep = row["departure"].strip()
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", dep)
        if dep and not (match and int(match[1]) < 24 and int(match[2]) < 60):
            problems.add(
                f"departure must be HH:MM or empty, not {dep!r}", row=_row(i), column="departure"
            )
            departures.append(None)
        else:
            departures.append(int(match[1]) * 60 + int(match[2]) if match else None)
        if row["cost_unit"].strip() not in COST_UNITS:
            problems.add(
                f"cost_unit must be one of per_person, per_trip, per_hour or empty, not "
                f"{row['cost_unit']!r}",
                row=_row(i),
                column="cost_unit",
            )
    df["day_set"] = pd.Series(day_sets, index=df.index, dtype=object)
    df["departure_minute"] = pd.Series(departures, index=df.index, dtype=float)
    lines += problems.items
    return df


def _check_sea_links(
    path: Path, links: pd.DataFrame, ports: pd.DataFrame, lines: list[str]
) -> None:
    """Both ends of every link are ports of ``ports.csv``, and not the same port."""
    known = set(ports["port_id"])
    problems = ProblemCollector(str(path))
    for i, row in links.iterrows():
        for col in ("from_port", "to_port"):
            if row[col] not in known:
                problems.add(
                    f"unknown port {row[col]!r} (not in ports.csv)", row=_row(i), column=col
                )
        if row["from_port"] == row["to_port"]:
            problems.add("from_port and to_port are the same port", row=_row(i), column="to_port")
    lines += problems.items


def _check_crossing_links(
    path: Path, ports: pd.DataFrame, links: pd.DataFrame | None, lines: list[str]
) -> None:
    """``crossing_link`` names a ferry of ``sea_links.csv`` leaving from the row's port, on a
    row that serves a village (the boat out of the port is that ferry)."""
    known = {} if links is None else {str(r["link_id"]): r for _, r in links.iterrows()}
    problems = ProblemCollector(str(path))
    for i, row in ports.iterrows():
        link_id = row["crossing_link"]
        if not link_id:
            continue
        link = known.get(link_id)
        if not row["serves_kode_desa"]:
            problems.add(
                "crossing_link without serves_kode_desa (only a crossing to a village follows "
                "a ferry)",
                row=_row(i),
                column="crossing_link",
            )
        elif link is None:
            problems.add(
                f"unknown link {link_id!r} (not in sea_links.csv)",
                row=_row(i),
                column="crossing_link",
            )
        elif link["kind"].strip() != "ferry":
            problems.add(
                f"link {link_id!r} is a {link['kind'].strip()}, not a ferry",
                row=_row(i),
                column="crossing_link",
            )
        elif link["from_port"] != row["port_id"]:
            problems.add(
                f"link {link_id!r} leaves from {link['from_port']!r}, not from this port "
                f"{row['port_id']!r}",
                row=_row(i),
                column="crossing_link",
            )
    lines += problems.items


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
            if kode and kode not in codes:
                pp.add(f"serves unknown village {kode!r}", row=_row(i), column="serves_kode_desa")
        minutes = ports["crossing_minutes"]
        serving = ports["serves_kode_desa"].ne("")
        for i in ports.index[serving & ~(minutes > 0)]:
            pp.add("crossing_minutes must be > 0", row=_row(i), column="crossing_minutes")
        for i in ports.index[~serving & minutes.notna()]:
            pp.add(
                "crossing_minutes without serves_kode_desa (crossings between ports go in "
                "sea_links.csv)",
                row=_row(i),
                column="crossing_minutes",
            )
        in_region = ports[ports["in_region"]]
        _check_points(in_region, metric, None, PORT_TOLERANCE_M, "the region", pp)
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
