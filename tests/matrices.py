"""Small hand-made travel matrices for unit tests (no region, no travel model)."""

from __future__ import annotations

import numpy as np

from planner.travel import Mode, TravelMatrix


def pair_matrix(
    minutes: dict[tuple[str, str], float],
    ids: list[str],
    *,
    mode: Mode = Mode.mobil,
    boat_allowed: bool = False,
) -> TravelMatrix:
    """A symmetric matrix over ``ids`` with the given pair minutes; other pairs unreachable."""
    n = len(ids)
    m = np.full((n, n), np.inf)
    np.fill_diagonal(m, 0.0)
    for (a, b), v in minutes.items():
        m[ids.index(a), ids.index(b)] = m[ids.index(b), ids.index(a)] = v
    zero = np.zeros((n, n))
    return TravelMatrix(
        ids=tuple(ids),
        minutes=m,
        km=zero,
        boat_minutes=zero,
        via_port=np.full((n, n), -1),
        via_port_end=np.full((n, n), -1),
        mode=mode,
        boat_allowed=boat_allowed,
    )
