"""Write ``jemput locate``'s outputs: village files, the summary table and the distribution map."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.geo.classify import CLASS_LABELS, CLASS_NAMES
from planner.geo.locate import LocateResult
from planner.io.outputs import atomic_output_dir
from planner.present.maps.sebaran import save_sebaran_map


def _site_counts(result: LocateResult) -> gpd.GeoDataFrame:
    sites = result.sites.copy()
    belum = sites["kode_desa"].map(result.villages.set_index("kode")["belum_rekam"]).fillna(0)
    sites["belum_rekam"] = np.round(belum * sites["demand_share"]).astype(np.int64)
    sites["sumber_data"] = result.source.label
    return sites


def write_locate_outputs(
    result: LocateResult,
    out: Path,
    *,
    depots: pd.DataFrame | None = None,
    ports: pd.DataFrame | None = None,
) -> list[Path]:
    """Write every locate output into ``out`` atomically; return the written paths.

    Files: ``desa.gpkg`` (layers ``desa`` polygons and ``titik_kunjungan`` visit points),
    ``desa.geojson`` (polygons with the visit point of the main site as ``titik_lon/lat``),
    ``ringkasan.csv`` and ``peta_sebaran.html``; plus ``sumber.json`` describing the data.
    """

    villages = result.villages
    sites = _site_counts(result)
    main = sites[sites["kind"] == "utama"].set_index("kode_desa")
    with atomic_output_dir(out, "locate") as tmp:
        desa = villages.copy()
        desa["titik_lon"] = desa["kode"].map(main["lon"])
        desa["titik_lat"] = desa["kode"].map(main["lat"])
        desa.to_file(tmp / "desa.gpkg", layer="desa", driver="GPKG", engine="pyogrio")
        sites.to_file(tmp / "desa.gpkg", layer="titik_kunjungan", driver="GPKG", engine="pyogrio")
        desa.to_file(tmp / "desa.geojson", driver="GeoJSON", engine="pyogrio")
        summary = result.summary.assign(sumber_data=result.source.label)
        summary.to_csv(tmp / "ringkasan.csv", index=False)
        save_sebaran_map(result, sites, tmp / "peta_sebaran.html", depots=depots, ports=ports)
        meta = {
            "region": result.region_key,
            "source": result.source.name,
            "is_estimate": result.source.is_estimate,
            "estimate_model": result.source.model,
            "label": result.source.label,
            "classes": {name: CLASS_LABELS[name] for name in CLASS_NAMES},
        }
        (tmp / "sumber.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    return sorted(out.iterdir())
