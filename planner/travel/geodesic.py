"""Great-circle distances on the earth's mean sphere, for single pairs and whole matrices."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from planner.travel.types import Place

EARTH_RADIUS_KM = 6371.0088


def haversine_km(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Great-circle distance in km, broadcasting over the inputs (degrees)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def pairwise_haversine_km(places: Sequence[Place]) -> np.ndarray:
    """``(n, n)`` great-circle distances between places, in km (exactly symmetric).

    Computed from the chord between unit vectors, ``2 R asin(chord / 2)``: the same
    great-circle distance as the haversine formula, ~7x faster for a province matrix.
    """
    lon = np.radians(np.array([p.lon for p in places], dtype=np.float64))
    lat = np.radians(np.array([p.lat for p in places], dtype=np.float64))
    xyz = (np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat))
    n = lon.size
    out = np.zeros((n, n))
    buf = np.empty((n, n))
    for c in xyz:  # in place: a province matrix is 25 MB per array
        np.subtract.outer(c, c, out=buf)
        np.multiply(buf, buf, out=buf)
        out += buf
    np.sqrt(out, out=out)
    out *= 0.5
    np.minimum(out, 1.0, out=out)
    np.arcsin(out, out=out)
    out *= 2 * EARTH_RADIUS_KM
    return out
