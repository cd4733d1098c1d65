"""Locate and classify villages: visit points and the pulau/pesisir/perbatasan/terpencil classes.

Long module: the classes share the projected polygons, land parts and neighbour unions that are
built once per region; split by class, each file would rebuild or pass them around.

Every class comes with a reason in Bahasa Indonesia, because camat and coordinators must be able
to see *why* a village is called remote or coastal.

Geometry notes (see ``geodata/README.md``): neighbouring village polygons share borders only
approximately (slivers and overlaps of a few metres) and the national regency file is coarser
than the village file, so every adjacency and coast test uses a tolerance in metres, computed in
the region's metric CRS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from planner.travel.parts import RegionParts, geometry_parts

CLASS_NAMES: tuple[str, ...] = ("pulau", "pesisir", "perbatasan", "perbatasan_kab", "terpencil")
"""Village classes, in the order they are reported."""

CLASS_LABELS: dict[str, str] = {
    "pulau": "Pulau",
    "pesisir": "Pesisir",
    "perbatasan": "Perbatasan provinsi",
    "perbatasan_kab": "Perbatasan kabupaten/kota",
    "terpencil": "Terpencil",
}
"""People-facing labels of the classes."""


@dataclass(frozen=True)
class GeographyParams:
    """Tolerances of the classification, in metres unless stated.

    Attributes
    ----------
    land_closing_m
        Morphological closing (buffer out, then in) applied to the union of village polygons so
        that the sliver gaps between neighbours (< 0.01 km² each in Banten) do not split land.
    mainland_tolerance_m
        A land part within this distance of another province's regency polygon is continental
        (:mod:`planner.travel.parts`; the national regency file is simplified at 100 m).
    island_point_tolerance_m
        Named island points (idn-area-data) within this distance of a land part name it.
    coast_tolerance_m
        A village edge within this distance of the coastline counts as coast.
    coast_min_length_m
        Minimum length of coast edge for ``pesisir`` (filters corners touching the sea).
    province_border_m
        Distance to another province's regency polygon for ``perbatasan``; 250-500 m is what the
        source README recommends for the coarse national file.
    regency_border_m
        Distance between two village polygons of different regencies for ``perbatasan_kab``.
    coast_sample_m, coast_probe_radius_m, coast_sea_share
        Boundary sampling step, and the disk radius and open-sea share that make an outer
        edge a sea coast (see :func:`coast_lengths_m`).
    default_island_share
        Share of a village's residents assumed to live on an inhabited island part when the
        region does not say (only used for villages with parts both on and off the land part
        of their regency's office).
    """

    land_closing_m: float = 25.0
    mainland_tolerance_m: float = 300.0
    island_point_tolerance_m: float = 500.0
    coast_tolerance_m: float = 40.0
    coast_min_length_m: float = 150.0
    province_border_m: float = 300.0
    regency_border_m: float = 20.0
    default_island_share: float = 0.05
    coast_sample_m: float = 100.0
    coast_probe_radius_m: float = 3000.0
    coast_sea_share: float = 0.3


@dataclass(frozen=True)
class IslandSite:
    """What the region says about an island part of a village that also has land at home."""

    kode_desa: str
    island: str
    population_share: float
    source: str = ""


@dataclass(frozen=True)
class ClassifiedVillages:
    """Result of :func:`classify_villages`.

    Attributes
    ----------
    villages
        One row per village (EPSG:4326 polygons) with boolean columns ``is_<class>`` for every
        class in :data:`CLASS_NAMES`, ``alasan_<class>`` reasons (empty string when the class
        does not apply), ``kelas`` (classes joined by ", "), ``terrain`` and ``coast_km``.
    sites
        Visit points (EPSG:4326): ``site_id``, ``kode_desa``, ``nama``, ``kind`` (``utama`` or
        ``pulau``), ``island`` (key of the land part the point stands on, see
        :mod:`planner.travel.parts`: ``None`` on a continental part), ``island_name`` (name of
        that part when it is not continental, else empty), ``demand_share`` (sums to 1 per
        village), ``terrain``, ``lon``, ``lat``.
    """

    villages: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    params: GeographyParams = field(default_factory=GeographyParams)


def _parts(geom: BaseGeometry) -> list[BaseGeometry]:
    return geometry_parts(geom)


def office_part_index(
    parts: RegionParts,
    villages: pd.DataFrame,
    office_points: Mapping[str, tuple[float, float]],
) -> dict[str, int]:
    """Per regency code, the index of the land part its Disdukcapil office stands on.

    The rule of the ``pulau`` class: a village (or a part of one) is ``pulau`` when it lies on
    another land part than its regency's office. A regency without an office point (or one on
    no part) falls back to the continental part if the region has one, else to the largest
    part holding villages of the regency.
    """
    codes = sorted(set(villages["kode_kab"].astype(str)))
    out: dict[str, int] = {}
    given = [k for k in codes if k in office_points]
    found = parts.index_at(
        [office_points[k][0] for k in given], [office_points[k][1] for k in given]
    )
    for kab, j in zip(given, found, strict=True):
        if j >= 0:
            out[kab] = int(j)
    continental = [j for j, c in enumerate(parts.continental) if c]
    for kab in codes:
        if kab in out:
            continue
        if continental:
            out[kab] = continental[0]
            continue
        mine = villages.loc[villages["kode_kab"].astype(str) == kab, "kode"].astype(str)
        held = {j for k in mine for j in parts.village_parts.get(k, ())}
        out[kab] = min(held) if held else 0  # parts are sorted largest first
    return out


def _land_raster(
    land: BaseGeometry, bounds: tuple[float, float, float, float], max_cells: int
) -> tuple[np.ndarray, float, float, float]:
    """Rasterise ``land`` (metric CRS) on a square grid of at most ``max_cells`` cells."""
    minx, miny, maxx, maxy = bounds
    cell = max(200.0, float(np.sqrt((maxx - minx) * (maxy - miny) / max_cells)))
    xs = np.arange(minx + cell / 2, maxx, cell)
    ys = np.arange(miny + cell / 2, maxy, cell)
    gx, gy = np.meshgrid(xs, ys)
    shapely.prepare(land)
    inside = shapely.contains_xy(land, gx.ravel(), gy.ravel()).reshape(gx.shape)
    return inside, float(minx), float(miny), cell


def _sea_fraction(
    xy: np.ndarray, land_all: BaseGeometry, radius_m: float, max_cells: int = 800_000
) -> np.ndarray:
    """Share of a disk of ``radius_m`` around each point that is not land (i.e. open sea)."""
    from scipy import ndimage

    if len(xy) == 0:
        return np.zeros(0)
    margin = 2 * radius_m
    bounds = (
        xy[:, 0].min() - margin,
        xy[:, 1].min() - margin,
        xy[:, 0].max() + margin,
        xy[:, 1].max() + margin,
    )
    inside, x0, y0, cell = _land_raster(land_all, bounds, max_cells)
    r = max(1, round(radius_m / cell))
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    disk = (xx**2 + yy**2 <= r * r).astype(float)
    disk /= disk.sum()
    sea = ndimage.convolve((~inside).astype(float), disk, mode="constant", cval=1.0)
    col = np.clip(((xy[:, 0] - x0) / cell).astype(int), 0, inside.shape[1] - 1)
    row = np.clip(((xy[:, 1] - y0) / cell).astype(int), 0, inside.shape[0] - 1)
    return np.asarray(sea[row, col])


def coast_lengths_m(
    villages_m: gpd.GeoSeries,
    parts: Sequence[BaseGeometry],
    other_land_m: gpd.GeoSeries,
    params: GeographyParams,
) -> np.ndarray:
    """Length of each village boundary that lies on the sea coast, in metres.

    A boundary sample is coast when it lies on the outer edge of the region's land (within
    ``coast_tolerance_m``) *and* at least ``coast_sea_share`` of a disk of
    ``coast_probe_radius_m`` around it is neither the region's land nor a neighbouring regency.
    The openness test is what separates a real coast from the region's land border, where the
    coarse national regency polygons leave gaps of up to ~1 km.
    """
    outer = shapely.union_all([shapely.LineString(p.exterior.coords) for p in parts])
    shapely.prepare(outer)
    other = shapely.union_all(
        shapely.buffer(other_land_m.values, params.mainland_tolerance_m, quad_segs=2)
    )
    land_all = shapely.union_all([*parts, other])
    step = params.coast_sample_m
    samples: list[np.ndarray] = []
    owner: list[np.ndarray] = []
    for i, geom in enumerate(villages_m.values):
        for ring in _parts(shapely.boundary(geom)):
            n = max(2, int(ring.length // step) + 1)
            pts = shapely.get_coordinates(
                shapely.line_interpolate_point(ring, np.linspace(0, ring.length, n))
            )
            samples.append(pts)
            owner.append(np.full(len(pts), i))
    xy = np.vstack(samples)
    who = np.concatenate(owner)
    on_edge = shapely.dwithin(outer, shapely.points(xy), params.coast_tolerance_m)
    open_sea = np.zeros(len(xy), dtype=bool)
    open_sea[on_edge] = (
        _sea_fraction(xy[on_edge], land_all, params.coast_probe_radius_m) >= params.coast_sea_share
    )
    return np.bincount(who[open_sea], minlength=len(villages_m)) * step


def _format_names(names: Sequence[str], limit: int = 3) -> str:
    unique = list(dict.fromkeys(names))
    text = ", ".join(unique[:limit])
    return text + (f" dan {len(unique) - limit} lainnya" if len(unique) > limit else "")


def visit_point(geom: BaseGeometry, label: BaseGeometry | None) -> BaseGeometry:
    """A point inside ``geom``: the label point if inside, else a point of its largest part."""
    if label is not None and not label.is_empty and geom.contains(label):
        return label
    largest = max(_parts(geom), key=lambda g: g.area)
    return largest.representative_point()


def classify_villages(
    villages: gpd.GeoDataFrame,
    neighbours: gpd.GeoDataFrame,
    islands: pd.DataFrame,
    *,
    crs_metric: str,
    province_codes: Sequence[str],
    island_sites: Mapping[str, Sequence[IslandSite]] | None = None,
    hutan_villages: Sequence[str] = (),
    hutan_kecamatan: Sequence[str] = (),
    office_points: Mapping[str, tuple[float, float]] | None = None,
    params: GeographyParams | None = None,
) -> ClassifiedVillages:
    """Classify villages as pulau, pesisir, perbatasan and perbatasan_kab and place visit points.

    ``terpencil`` needs travel times and is added by :func:`mark_terpencil`; here it is False.

    Parameters
    ----------
    villages
        Village polygons (EPSG:4326) with the columns of the region's ``villages`` layer.
    neighbours
        Regency polygons outside the region (``kode``, ``nama``, ``kode_prov``, ``nama_prov``).
    islands
        Named islands (``name``, ``is_populated``, ``lat``, ``lon``).
    crs_metric
        Metric CRS of the region (e.g. ``EPSG:32748``).
    province_codes
        Province codes of the region; regencies of other provinces make ``perbatasan``.
    island_sites
        Per village code, what the region knows about its island parts (population share).
    hutan_villages, hutan_kecamatan
        Village and kecamatan codes with hilly/forest terrain (slow access).
    office_points
        Per regency code, ``(lon, lat)`` of its Disdukcapil office (depot kind ``dinas``): the
        land part it stands on is the regency's home part, and a village elsewhere is
        ``pulau`` (see :func:`office_part_index` for regencies without one).
    params
        Tolerances; defaults suit the bundled sources.

    Returns
    -------
    ClassifiedVillages
    """
    params = params or GeographyParams()
    island_sites = island_sites or {}
    vm = villages.to_crs(crs_metric).reset_index(drop=True)
    nb = neighbours.to_crs(crs_metric).reset_index(drop=True)
    other_province = nb[~nb["kode_prov"].astype(str).isin(list(province_codes))]

    region_parts = RegionParts.build(
        villages,
        neighbours,
        province_codes,
        crs_metric,
        closing_m=params.land_closing_m,
        continental_tolerance_m=params.mainland_tolerance_m,
    )
    parts = list(region_parts.geoms)
    home_of = office_part_index(region_parts, vm, office_points or {})
    parts_arr = np.array(parts, dtype=object)
    part_tree = shapely.STRtree(parts_arr)

    isl = islands.copy()
    isl_geom = gpd.GeoSeries(gpd.points_from_xy(isl["lon"], isl["lat"]), crs="EPSG:4326")
    isl_m = isl_geom.to_crs(crs_metric)
    named_parts: dict[int, tuple[str, bool]] = {}

    def part_name(j: int) -> tuple[str, bool]:
        """Name of part ``j`` from the named island points, and whether it is populated."""
        if j not in named_parts:
            near = isl_m.distance(parts_arr[j]) <= params.island_point_tolerance_m
            named = isl.loc[near.values]
            populated = bool(named["is_populated"].astype(int).any()) if len(named) else False
            named_parts[j] = (_island_name(named, parts_arr[j], isl_m[near.values]), populated)
        return named_parts[j]

    coast_len = coast_lengths_m(vm.geometry, parts, nb.geometry, params)

    n = len(vm)
    flags = {name: np.zeros(n, dtype=bool) for name in CLASS_NAMES}
    reasons = {name: [""] * n for name in CLASS_NAMES}
    site_rows: list[dict[str, object]] = []

    label_points = gpd.GeoSeries(gpd.points_from_xy(vm["lon"], vm["lat"]), crs="EPSG:4326")
    label_m = label_points.to_crs(crs_metric).values

    for i, row in vm.iterrows():
        kode = str(row["kode"])
        geom = row.geometry
        home = home_of[str(row["kode_kab"])]
        on_island: list[tuple[BaseGeometry, int]] = []
        on_main: list[BaseGeometry] = []
        for vp in _parts(geom):
            cand = part_tree.query(vp, predicate="intersects")
            if len(cand) == 0:
                # a sliver lost in the closing: attach it to the nearest part
                cand = np.array([part_tree.nearest(vp)])
            best = int(
                cand[0]
                if len(cand) == 1
                else max(cand, key=lambda j: shapely.area(shapely.intersection(parts_arr[j], vp)))
            )
            if region_parts.keys[best] == region_parts.keys[home]:  # continental parts are one
                on_main.append(vp)
            else:
                on_island.append((vp, best))

        main_share = 1.0
        home_key = region_parts.keys[home]
        home_name = part_name(home)[0] if home_key is not None else ""
        if on_island:
            # the island part of the village: the part holding its largest piece off the
            # office's part; a village on several islands is visited on the largest one
            largest_island_part = max(on_island, key=lambda t: t[0].area)
            j = largest_island_part[1]
            pieces = [p for p, k in on_island if k == j]
            island_area = sum(p.area for p in pieces)
            island_name, populated = part_name(j)
            key = region_parts.keys[j]
            configured = {s.island.lower(): s for s in island_sites.get(kode, ())}
            config = configured.get(island_name.lower()) if island_name else None
            if config is None and len(configured) == 1 and not on_main:
                config = next(iter(configured.values()))
            if not on_main:
                flags["pulau"][i] = True
                where = f" ({island_name})" if island_name else ""
                office = f" ({home_name})" if home_name else ""
                reasons["pulau"][i] = (
                    f"Seluruh wilayah desa berada di pulau{where}, tidak tersambung lewat darat "
                    f"ke daratan kantor Disdukcapil{office}"
                )
                point = visit_point(_union(pieces), label_m[i])
                site_rows.append(
                    _site(row, kode, "utama", point, key, island_name, 1.0, crs_metric)
                )
                main_share = 0.0
            else:
                share = (
                    config.population_share
                    if config is not None
                    else (params.default_island_share if populated else 0.0)
                )
                if share > 0 and island_area >= 0.05e6:
                    flags["pulau"][i] = True
                    source = config.source if config is not None else "bagian bawaan"
                    reasons["pulau"][i] = (
                        f"Memiliki bagian berpenghuni di {island_name or 'pulau'} "
                        f"(titik kunjungan tersendiri; perkiraan {share:.0%} penduduk, {source})"
                    )
                    point = largest_island_part[0].representative_point()
                    site_rows.append(
                        _site(row, f"{kode}-P", "pulau", point, key, island_name, share, crs_metric)
                    )
                    main_share = 1.0 - share
        if on_main:
            point = visit_point(_union(on_main), label_m[i])
            site_rows.append(
                _site(row, kode, "utama", point, home_key, home_name, main_share, crs_metric)
            )

        if coast_len[i] >= params.coast_min_length_m:
            flags["pesisir"][i] = True
            reasons["pesisir"][i] = (
                f"Batas desa bersinggungan dengan laut sepanjang ± {coast_len[i] / 1000:.1f} km"
            )

    # perbatasan: another province's regency within tolerance
    if len(other_province):
        tree = shapely.STRtree(other_province.geometry.values)
        vi, oi = tree.query(
            vm.geometry.values, predicate="dwithin", distance=params.province_border_m
        )
        for v_idx in np.unique(vi):
            hits = other_province.iloc[oi[vi == v_idx]]
            flags["perbatasan"][v_idx] = True
            names = [f"{r.nama} ({r.nama_prov})" for r in hits.itertuples()]
            reasons["perbatasan"][v_idx] = "Berbatasan dengan provinsi lain: " + _format_names(
                names
            )

    # perbatasan_kab: a village of another regency of the region, or a neighbouring regency of
    # the same province outside the region
    kab = vm["kode_kab"].astype(str).to_numpy()
    tree = shapely.STRtree(vm.geometry.values)
    a, b = tree.query(vm.geometry.values, predicate="dwithin", distance=params.regency_border_m)
    other_kab: dict[int, list[str]] = {}
    for ai, bi in zip(a, b, strict=True):
        if kab[ai] != kab[bi]:
            other_kab.setdefault(int(ai), []).append(str(vm.at[bi, "nama_kab"]))
    same_province = nb[nb["kode_prov"].astype(str).isin(list(province_codes))]
    if len(same_province):
        tree_sp = shapely.STRtree(same_province.geometry.values)
        vi, si = tree_sp.query(
            vm.geometry.values, predicate="dwithin", distance=params.province_border_m
        )
        for v_idx, s_idx in zip(vi, si, strict=True):
            other_kab.setdefault(int(v_idx), []).append(str(same_province.iloc[s_idx]["nama"]))
    for v_idx, names in other_kab.items():
        flags["perbatasan_kab"][v_idx] = True
        reasons["perbatasan_kab"][v_idx] = (
            "Berbatasan dengan kabupaten/kota lain: " + _format_names(names)
        )

    terrain = _terrain(vm, hutan_villages, hutan_kecamatan)
    out = villages.reset_index(drop=True).copy()
    for name in CLASS_NAMES:
        out[f"is_{name}"] = flags[name]
        out[f"alasan_{name}"] = reasons[name]
    out["coast_km"] = np.round(coast_len / 1000.0, 2)
    out["terrain"] = terrain
    out["kelas"] = _class_text(out)

    sites = gpd.GeoDataFrame(site_rows, geometry="geometry", crs=crs_metric).to_crs("EPSG:4326")
    sites["lon"] = sites.geometry.x.round(6)
    sites["lat"] = sites.geometry.y.round(6)
    terrain_by_code = dict(zip(out["kode"], out["terrain"], strict=True))
    sites["terrain"] = sites["kode_desa"].map(terrain_by_code)
    sites = sites.sort_values("site_id").reset_index(drop=True)
    return ClassifiedVillages(villages=out, sites=sites, params=params)


def _union(pieces: Sequence[BaseGeometry]) -> BaseGeometry:
    return shapely.MultiPolygon(list(pieces)) if len(pieces) > 1 else pieces[0]


def _island_name(named: pd.DataFrame, land_part: BaseGeometry, named_m: gpd.GeoSeries) -> str:
    if not len(named):
        return ""
    pool, where = named, named_m
    populated = (pool["is_populated"].astype(int) == 1).to_numpy()
    if populated.any():
        pool, where = pool[populated], where[populated]
    # the island's own name point lies nearest its middle (name points of the simplified
    # polygons may fall just offshore); islets off its coast lie farther out
    middle = land_part.representative_point()
    return str(pool.iloc[int(np.argmin(where.distance(middle).to_numpy()))]["name"])


def _site(
    row: pd.Series,
    site_id: str,
    kind: str,
    point_m: BaseGeometry,
    island: str | None,
    island_name: str,
    share: float,
    crs_metric: str,
) -> dict[str, object]:
    del crs_metric
    return {
        "site_id": site_id,
        "kode_desa": str(row["kode"]),
        "nama": str(row["nama"]),
        "kode_kec": str(row["kode_kec"]),
        "kode_kab": str(row["kode_kab"]),
        "kind": kind,
        "island": island,
        "island_name": island_name,
        "demand_share": float(share),
        "geometry": point_m,
    }


def _terrain(
    vm: pd.DataFrame, hutan_villages: Sequence[str], hutan_kecamatan: Sequence[str]
) -> list[str]:
    hutan_v, hutan_k = set(hutan_villages), set(hutan_kecamatan)
    out = []
    for kode, kec in zip(vm["kode"].astype(str), vm["kode_kec"].astype(str), strict=True):
        if kode in hutan_v or kec in hutan_k:
            out.append("hutan")
        elif kode.replace(".", "")[6:7] == "1":
            out.append("kota")  # 10th digit 1 = kelurahan (urban)
        else:
            out.append("desa")
    return out


def _class_text(villages: pd.DataFrame) -> list[str]:
    cols = [f"is_{c}" for c in CLASS_NAMES]
    return [
        ", ".join(c for c, flag in zip(CLASS_NAMES, row, strict=True) if flag)
        for row in villages[cols].itertuples(index=False)
    ]


def mark_terpencil(
    classified: ClassifiedVillages,
    minutes_to_nearest_depot: Callable[[gpd.GeoDataFrame], tuple[np.ndarray, list[str]]],
    threshold_minutes: float,
    method: str,
) -> ClassifiedVillages:
    """Add the ``terpencil`` class from travel minutes to the nearest depot.

    Parameters
    ----------
    classified
        Output of :func:`classify_villages`.
    minutes_to_nearest_depot
        Given the visit sites, returns the minutes from the nearest depot to each site and the
        depot names (``np.inf`` where no depot reaches the site).
    threshold_minutes
        A village whose slowest visit site is farther than this is ``terpencil``.
    method
        Short description of the travel model, quoted in the reason.
    """
    sites = classified.sites
    minutes, depot_names = minutes_to_nearest_depot(sites)
    frame = pd.DataFrame(
        {"kode_desa": sites["kode_desa"], "minutes": minutes, "depot": depot_names}
    )
    frame = frame.sort_values("minutes").groupby("kode_desa").last()
    villages = classified.villages.copy()
    by_code = villages["kode"].map(frame["minutes"]).to_numpy(dtype=float)
    depot = villages["kode"].map(frame["depot"]).fillna("")
    villages["menit_ke_kantor"] = np.where(np.isfinite(by_code), np.round(by_code), np.nan)
    remote = by_code > threshold_minutes
    villages["is_terpencil"] = remote
    villages["alasan_terpencil"] = [
        (
            f"Waktu tempuh dari {d} ± {m:.0f} menit (> {threshold_minutes:.0f} menit; {method})"
            if r and np.isfinite(m)
            else ("Tidak terjangkau kendaraan dari kantor mana pun" if r else "")
        )
        for r, m, d in zip(remote, by_code, depot, strict=True)
    ]
    villages["kelas"] = _class_text(villages)
    return ClassifiedVillages(villages=villages, sites=classified.sites, params=classified.params)


def straight_line_minutes(
    sites: gpd.GeoDataFrame,
    depots: pd.DataFrame,
    crs_metric: str,
    *,
    circuity: float = 1.4,
    speed_kmh: float = 30.0,
) -> tuple[np.ndarray, list[str]]:
    """Fallback remoteness: straight-line distance x circuity / speed to the nearest depot.

    Used only when no travel model is given; :mod:`planner.travel` is the real source.
    """
    site_m = sites.to_crs(crs_metric).geometry
    depot_m = gpd.GeoSeries(gpd.points_from_xy(depots["lon"], depots["lat"]), crs="EPSG:4326")
    depot_m = depot_m.to_crs(crs_metric)
    d = np.array([[p.distance(q) for q in depot_m] for p in site_m]) / 1000.0
    nearest = d.argmin(axis=1)
    minutes = d[np.arange(len(d)), nearest] * circuity / speed_kmh * 60.0
    names = [str(depots.iloc[j]["name"]) for j in nearest]
    return minutes, names
