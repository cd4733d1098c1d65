"""Unit tests for planner.present.maps.choropleth: the one belum-rekam bin function of every map."""

from __future__ import annotations

import itertools

import numpy as np

from planner.present.maps import plan_map, sebaran
from planner.present.maps.choropleth import ZERO_COLOUR, belum_rekam_colour, belum_rekam_edges
from planner.present.maps.plan_common import BELUM_REKAM_COLOURS


def test_edges_are_nearest_rank_counts_of_villages_above_zero() -> None:
    counts = [0, 0, 0, 4, 7, 7, 30, 95, 260, 1234]
    edges = belum_rekam_edges(counts, 4)
    assert edges == [4, 7, 30, 95, 1230]
    # below 100 every edge is a count some village has; zeros do not pull the first edge down
    assert all(e in counts for e in edges if e <= 100)
    assert belum_rekam_edges([], 3) == [0, 1, 2, 3]
    assert belum_rekam_edges([0, -2, float("nan")], 2) == [0, 1, 2]


def test_edges_strictly_increase_on_repeated_counts() -> None:
    assert belum_rekam_edges([5] * 20, 5) == [5, 6, 7, 8, 9, 10]
    rng = np.random.default_rng(1)
    for _ in range(50):
        values = rng.integers(0, 3000, size=int(rng.integers(1, 40))).tolist()
        edges = belum_rekam_edges(values, 5)
        assert len(edges) == 6
        assert all(a < b for a, b in itertools.pairwise(edges))


def test_colour_uses_the_given_palette_and_zero_colour() -> None:
    edges = [4, 7, 30, 95, 1230]
    palette = ("#000001", "#000002", "#000003", "#000004")
    assert belum_rekam_colour(0, edges, palette) == ZERO_COLOUR
    assert belum_rekam_colour(2, edges, palette) == "#000001"  # below the first edge
    assert belum_rekam_colour(7, edges, palette) == "#000002"  # an edge opens its bin
    assert belum_rekam_colour(1234, edges, palette) == "#000004"  # above the rounded last edge


def test_both_maps_show_the_same_bins_in_their_own_palettes() -> None:
    edges = belum_rekam_edges([0, 12, 40, 40, 85, 150, 900, 2400], len(sebaran.CHOROPLETH))
    dark = [e for e in sebaran.legend_entries(edges) if e[2] == "box"][: len(edges)]
    light = [e for e in plan_map.legend_entries(edges) if e.shape == "box"][: len(edges)]
    assert [e[0] for e in dark] == [e.label for e in light]
    assert dark[0][0].startswith("0 belum rekam") and dark[0][1] == ZERO_COLOUR
    assert [e[1] for e in dark[1:]] == list(sebaran.CHOROPLETH)
    assert [e.color for e in light[1:]] == list(BELUM_REKAM_COLOURS)
    assert sebaran.CHOROPLETH != BELUM_REKAM_COLOURS
