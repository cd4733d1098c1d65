"""Villages left out of the week, and why: the reasons in Bahasa Indonesia and the table.

A site with residents to record that the week does not (fully) serve gets one reason: decided
before the search (:mod:`planner.week.prepare`: no team, needs a boat, no port, below the
minimum, no day fits), or after it (capacity, partial, the group's search failed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

REASONS: dict[str, str] = {
    "no_team": "Tidak ada tim yang mencakup {kabupaten}",
    "needs_boat": "Perlu perahu: tidak ada tim dengan akses perahu untuk {kabupaten}",
    "no_port": (
        "Tidak terjangkau: tidak ada pelabuhan atau dermaga di pulaunya yang terhubung "
        "dengan pelabuhan tim (tambahkan di ports.csv / sea_links.csv)"
    ),
    "below_minimum": (
        "Perkiraan kehadiran ({expected}) di bawah ukuran kunjungan minimum ({minimum:g})"
    ),
    "no_day_fits": (
        "Tidak muat dalam satu hari kerja, bahkan sendirian (perjalanan pergi-pulang ± "
        "{round_trip:.0f} menit)"
    ),
    "capacity": "Kapasitas minggu ini terpakai untuk desa berprioritas lebih tinggi",
    "partial": "Sebagian terjadwal ({planned} dari {expected}); sisanya menunggu minggu berikut",
    "no_demand": "Tidak ada penduduk belum rekam menurut register",
    "search_failed": (
        "Pencarian rute untuk tim {teams} tidak menemukan jadwal dalam batas waktu; hari-hari "
        "tim itu memakai rute cadangan (cara sederhana) yang belum mencakup desa ini. "
        "Jalankan lagi dengan --time-limit lebih besar"
    ),
    "partial_search_failed": (
        "Sebagian terjadwal ({planned} dari {expected}) dengan rute cadangan: pencarian rute "
        "untuk tim {teams} tidak menemukan jadwal dalam batas waktu"
    ),
}
"""Reasons, in Bahasa Indonesia, for a site left out (wholly or partly) of the week."""


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def unplanned_sites(
    sites: pd.DataFrame,
    itinerary: pd.DataFrame,
    excluded: Mapping[str, tuple[str, dict[str, object]]],
    search_failed: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Every site with residents to record that the week does not (fully) serve, with a reason.

    Parameters
    ----------
    sites
        Site demand (``expected``, names...).
    itinerary
        The planned stops.
    excluded
        Site id → (reason key of :data:`REASONS`, format values) for sites that were never
        offered to the solver; other unserved sites were left out for capacity...
    search_failed
        ...unless their group's search found nothing in time: site id → the group's team ids
        (reason ``search_failed`` or ``partial_search_failed``, never capacity).
    """
    failed = search_failed or {}
    planned = itinerary.groupby("site_id")["expected_recordings"].sum()
    rows = []
    for site in _records(sites):
        if site["belum_rekam"] <= 0:
            continue
        done = int(planned.get(site["site_id"], 0))
        if done >= site["expected"] and site["site_id"] not in excluded:
            continue
        values: dict[str, object] = {
            "kabupaten": site["nama_kab"],
            "expected": int(site["expected"]),
            "planned": done,
        }
        if site["site_id"] in excluded:
            key, extra = excluded[site["site_id"]]
            values.update(extra)
        elif site["site_id"] in failed:
            key = "partial_search_failed" if done > 0 else "search_failed"
            values["teams"] = failed[site["site_id"]]
        elif done > 0:
            key = "partial"
        else:
            key = "capacity"
        rows.append(
            {
                "site_id": site["site_id"],
                "kode_desa": site["kode_desa"],
                "desa": site["nama"],
                "kecamatan": site["nama_kec"],
                "kabupaten": site["nama_kab"],
                "classes": site["classes"],
                "belum_rekam": int(site["belum_rekam"]),
                "expected": int(site["expected"]),
                "planned": done,
                "reason_code": key,
                "alasan": REASONS[key].format(**values),
            }
        )
    columns = [
        "site_id",
        "kode_desa",
        "desa",
        "kecamatan",
        "kabupaten",
        "classes",
        "belum_rekam",
        "expected",
        "planned",
        "reason_code",
        "alasan",
    ]
    return pd.DataFrame(rows, columns=columns)
