"""``jemput locate``: where the unrecorded residents are, and in which kinds of village.

Joins the classified villages (:mod:`planner.geography`) with a registry of counts (a real one
from :mod:`planner.inputs`, or the bundled estimate from :mod:`planner.demand`), and writes
``desa.gpkg``, ``desa.geojson``, ``ringkasan.csv`` and ``peta_sebaran.html``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.geography import CLASS_LABELS, CLASS_NAMES, ClassifiedVillages
from planner.outputs import atomic_output_dir

COUNT_COLUMNS: tuple[str, ...] = (
    "wajib_ktp",
    "sudah_rekam",
    "belum_rekam",
    "lansia",
    "disabilitas",
    "pemula",
)


@dataclass(frozen=True)
class DemandSource:
    """Where the counts came from, carried into every output."""

    name: str
    is_estimate: bool
    model: str | None = None
    notes: tuple[str, ...] = ()
    """What the registry loader interpreted (decimal commas, encodings, aggregation)."""

    @property
    def label(self) -> str:
        """People-facing label: ``estimasi`` for the bundled estimate, else the file name."""
        return f"estimasi ({self.model})" if self.is_estimate else f"register: {self.name}"


@dataclass(frozen=True)
class LocateResult:
    """Villages with classes and counts, their visit sites and the summary table."""

    region_key: str
    region_name: str
    villages: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    summary: pd.DataFrame
    source: DemandSource


def join_counts(classified: ClassifiedVillages, counts: pd.DataFrame) -> gpd.GeoDataFrame:
    """Attach registry counts (indexed or keyed by ``kode_desa``) to the classified villages.

    Villages missing from the registry get zero counts (they have nobody left to record, as
    far as the registry knows).
    """
    table = counts.reset_index() if "kode_desa" not in counts.columns else counts
    table = table.set_index("kode_desa")
    villages = classified.villages.copy()
    for column in COUNT_COLUMNS:
        values = villages["kode"].map(table[column]) if column in table else None
        villages[column] = (
            values.fillna(0).astype(np.int64)
            if values is not None
            else np.zeros(len(villages), np.int64)
        )
    return gpd.GeoDataFrame(villages, geometry="geometry", crs=classified.villages.crs)


def summarise(villages: pd.DataFrame) -> pd.DataFrame:
    """Per regency x class: villages, belum rekam and its share of the regency's belum rekam.

    A village with several classes counts in each of them; the ``semua`` row counts it once.
    """
    rows = []
    for (kode_kab, nama_kab), group in villages.groupby(["kode_kab", "nama_kab"], sort=True):
        total = int(group["belum_rekam"].sum())
        kab, nama = str(kode_kab), str(nama_kab)
        rows.append(_summary_row(kab, nama, "semua", group, total))
        for name in CLASS_NAMES:
            rows.append(_summary_row(kab, nama, name, group[group[f"is_{name}"]], total))
    total_all = int(villages["belum_rekam"].sum())
    rows.append(_summary_row("", "Seluruh wilayah", "semua", villages, total_all))
    for name in CLASS_NAMES:
        subset = villages[villages[f"is_{name}"]]
        rows.append(_summary_row("", "Seluruh wilayah", name, subset, total_all))
    return pd.DataFrame(rows)


def _summary_row(
    kode_kab: str, nama_kab: str, kelas: str, group: pd.DataFrame, total: int
) -> dict[str, object]:
    belum = int(group["belum_rekam"].sum())
    return {
        "kode_kab": kode_kab,
        "nama_kab": nama_kab,
        "kelas": kelas,
        "desa": len(group),
        "belum_rekam": belum,
        "wajib_ktp": int(group["wajib_ktp"].sum()),
        "pangsa_belum_rekam": round(belum / total, 4) if total else 0.0,
    }


def build_result(
    region_key: str,
    region_name: str,
    classified: ClassifiedVillages,
    counts: pd.DataFrame,
    source: DemandSource,
) -> LocateResult:
    """Combine classification and counts into a :class:`LocateResult`."""
    villages = join_counts(classified, counts)
    villages["sumber_data"] = source.label
    return LocateResult(
        region_key=region_key,
        region_name=region_name,
        villages=villages,
        sites=classified.sites,
        summary=summarise(villages),
        source=source,
    )


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
    from planner.maps.sebaran import save_sebaran_map

    villages = result.villages
    sites = _site_counts(result)
    main = sites[sites["kind"] == "utama"].set_index("kode_desa")
    with atomic_output_dir(out) as tmp:
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
