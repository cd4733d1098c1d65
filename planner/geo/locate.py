"""``jemput locate``: where the unrecorded residents are, and in which kinds of village.

Joins the classified villages (:mod:`planner.geo.classify`) with a registry of counts (a real one
from :mod:`planner.io.registry`, or the bundled estimate from :mod:`planner.geo.estimate`) and
sums them by regency and class; :mod:`planner.present.locate_outputs` writes ``desa.gpkg``,
``desa.geojson``, ``ringkasan.csv`` and ``peta_sebaran.html``.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from planner.geo.classify import CLASS_NAMES, ClassifiedVillages

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
