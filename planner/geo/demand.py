"""Demand per visit site: expected attendance, priority weight, and the split into visit chunks.

Expected attendance of a visit = belum rekam x (1 - ghost share) x turnout (lower on a repeat
visit); the weight comes from the village's classes and vulnerable groups (the policy's)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

import numpy as np
import pandas as pd

from planner.geo.classify import CLASS_NAMES

SITE_COLUMNS: tuple[str, ...] = (
    "site_id",
    "kode_desa",
    "nama",
    "kode_kec",
    "nama_kec",
    "kode_kab",
    "nama_kab",
    "kind",
    "island",
    "island_name",
    "terrain",
    "lon",
    "lat",
    "classes",
    "belum_rekam",
    "expected",
    "weight",
    "repeat",
)


def site_demand(
    villages: pd.DataFrame,
    sites: pd.DataFrame,
    counts: pd.DataFrame,
    *,
    turnout: float,
    repeat_turnout: float,
    ghost_share: float,
    class_weight: Callable[[Sequence[str]], float],
    vulnerable_weights: Mapping[str, float],
    visited: Collection[str] = (),
) -> pd.DataFrame:
    """Expected recordings and priority weight of every visit site.

    Parameters
    ----------
    villages
        Classified villages (``kode``, names, ``is_<class>`` columns).
    sites
        Visit sites (``site_id``, ``kode_desa``, ``demand_share``, ``island``...).
    counts
        Registry counts indexed by ``kode_desa`` (``belum_rekam``, ``lansia``...).
    turnout, repeat_turnout, ghost_share
        Expected attendance = belum rekam x (1 - ghost share) x turnout; ``repeat_turnout``
        for sites in ``visited``.
    class_weight
        Weight of one recording given the village's classes (the policy's class weights).
    vulnerable_weights
        Extra weight per recording of lansia, disabilitas and pemula residents.
    visited
        Site ids already visited in earlier weeks (their turnout is the repeat turnout).

    Returns
    -------
    pandas.DataFrame
        One row per site with :data:`SITE_COLUMNS`, ordered by ``site_id``.
    """

    v = villages.set_index("kode")
    table = counts.reset_index() if "kode_desa" not in counts.columns else counts
    table = table.set_index("kode_desa")
    frame = sites.copy()
    code = frame["kode_desa"]
    share = frame["demand_share"].to_numpy(dtype=float)
    belum = code.map(table["belum_rekam"]).fillna(0).to_numpy(dtype=float) * share
    visited_set = set(visited)
    repeat = frame["site_id"].isin(visited_set).to_numpy()
    rate = np.where(repeat, repeat_turnout, turnout) * (1.0 - ghost_share)
    classes = [tuple(c for c in CLASS_NAMES if bool(v.at[k, f"is_{c}"])) for k in code.astype(str)]
    base = np.array([class_weight(c) for c in classes])
    bonus = np.zeros(len(frame))
    belum_village = code.map(table["belum_rekam"]).fillna(0).to_numpy(dtype=float)
    for group, extra in vulnerable_weights.items():
        if group in table:
            members = code.map(table[group]).fillna(0).to_numpy(dtype=float)
            bonus += extra * np.divide(
                members, belum_village, out=np.zeros(len(frame)), where=belum_village > 0
            )
    frame["nama_kec"] = code.map(v["nama_kec"])
    frame["nama_kab"] = code.map(v["nama_kab"])
    frame["classes"] = [", ".join(c) for c in classes]
    frame["belum_rekam"] = np.round(belum).astype(np.int64)
    frame["expected"] = np.floor(belum * rate + 1e-9).astype(np.int64)
    frame["weight"] = np.round(base + bonus, 4)
    frame["repeat"] = repeat
    return frame[list(SITE_COLUMNS)].sort_values("site_id").reset_index(drop=True)


def split_into_chunks(expected: int, chunk_size: int, min_visit_size: float) -> list[int]:
    """Split a site's expected recordings into visit chunks of at most ``chunk_size``.

    Parts are as equal as possible; a site below ``min_visit_size`` gets no chunk.

    Examples
    --------
    >>> split_into_chunks(320, 150, 10)
    [107, 107, 106]
    >>> split_into_chunks(8, 150, 10)
    []
    """
    if expected < max(min_visit_size, 1) or chunk_size < 1:
        return []
    parts = -(-expected // chunk_size)
    base, extra = divmod(expected, parts)
    return [base + 1 if i < extra else base for i in range(parts)]
