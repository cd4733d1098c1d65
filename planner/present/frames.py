"""Frames the people-facing reports share: villages with counts, villages left out, file names."""

from __future__ import annotations

import re
import unicodedata

import geopandas as gpd
import pandas as pd

from planner.geo.classify import ClassifiedVillages
from planner.week.types import WeekPlan


def slugify(text: object, *, max_length: int = 60) -> str:
    """An ASCII file-name part: lower case, ``a-z0-9`` and single hyphens, never empty.

    Path separators, dots and markup become hyphens, so any village name is a safe file name.

    Examples
    --------
    >>> slugify("Pulo Panjang")
    'pulo-panjang'
    >>> slugify("<script>alert(1)</script>")
    'script-alert-1-script'
    >>> slugify("../x")
    'x'
    """
    ascii_text = (
        unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii").lower()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:max_length].strip("-")
    return slug or "tanpa-nama"


def page_name(kode: object, nama: object) -> str:
    """``<kode>-<nama-slug>.html`` (code dots kept as digits and dots only)."""
    code = re.sub(r"[^0-9.]", "", str(kode)) or "0"
    return f"{code}-{slugify(nama)}.html"


def villages_with_counts(plan: WeekPlan, classified: ClassifiedVillages) -> gpd.GeoDataFrame:
    """Classified villages plus ``belum_rekam`` (sum over the village's visit sites)."""
    counts = plan.sites.groupby("kode_desa")["belum_rekam"].sum()
    villages = classified.villages.copy()
    villages["belum_rekam"] = villages["kode"].map(counts).fillna(0).astype(int)
    villages["kelas"] = villages["kelas"].fillna("").astype(str)
    return villages


def left_out_with_points(plan: WeekPlan) -> pd.DataFrame:
    """The plan's ``unplanned`` frame with each site's ``lon``/``lat``."""
    points = plan.sites[["site_id", "lon", "lat"]]
    return plan.unplanned.merge(points, on="site_id", how="left")
