"""Belum-rekam choropleth: the one definition of its bin edges, shared by every map.

The maps keep their own palettes on purpose: the distribution map (``peta_sebaran.html``)
uses a dark YlOrRd because the counts are its message; the plan and kecamatan maps use a light
OrRd so that the routes drawn on top stay readable. The bin edges are the same function of the
counts on both, so one village falls in the same bin on every map of the same registry.
"""

from __future__ import annotations

from collections.abc import Sequence

ZERO_COLOUR = "#fafafa"
"""Fill of a village with no one left to record (or not in the registry), on every map."""


def belum_rekam_edges(values: Sequence[float], n: int) -> list[int]:
    """``n + 1`` strictly increasing bin edges for belum-rekam counts.

    Nearest-rank quantiles of the counts above zero: edge ``k`` is the count at rank
    ``round(k / n × (m − 1))`` of the ``m`` sorted positive counts. So an edge is a count some
    village has (rounded to tens above 100, for a legend that reads easily), never a value
    interpolated between two villages; and villages with 0 (coloured :data:`ZERO_COLOUR`,
    with their own legend row) do not pull the lower bins down to 0 in a regency where many
    villages are done. Repeated counts would give equal edges: each edge is raised to at least
    the previous one + 1.

    Parameters
    ----------
    values
        Belum rekam per village (zeros and negatives are ignored).
    n
        Number of bins (the palette length).

    Returns
    -------
    list of int
        ``n + 1`` edges; ``0, 1, …, n`` when no count is above zero.

    Examples
    --------
    >>> belum_rekam_edges([0, 0, 4, 7, 7, 30, 95, 260, 1234], 4)
    [4, 7, 30, 95, 1230]
    """
    data = sorted(float(v) for v in values if v > 0)
    if not data:
        return list(range(n + 1))
    edges = []
    for k in range(n + 1):
        q = data[min(len(data) - 1, round(k / n * (len(data) - 1)))]
        edges.append(int(round(q, -1 if q > 100 else 0)))
    for i in range(1, len(edges)):
        edges[i] = max(edges[i], edges[i - 1] + 1)
    return edges


def belum_rekam_colour(value: float, edges: Sequence[int], palette: Sequence[str]) -> str:
    """Fill colour of ``value``: :data:`ZERO_COLOUR` for 0, else its bin's ``palette`` colour.

    Bin ``i`` is ``edges[i] <= value < edges[i + 1]``; values below ``edges[1]`` take the
    first colour and values from the last edge on take the last one (rounding can put the
    largest count above the last edge).
    """
    if value <= 0:
        return ZERO_COLOUR
    for i, colour in enumerate(palette):
        if value < edges[i + 1]:
            return colour
    return palette[-1]
