"""The bundled estimate: exact calibration, determinism, and the class ordering it encodes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.core.errors import RegionError
from planner.geo.estimate import (
    ESTIMATE_MODEL,
    EstimateParams,
    PublishedTotals,
    allocate_integer,
    describe_estimate,
    estimate_counts,
)


@given(
    total=st.integers(0, 10**7),
    weights=st.lists(st.floats(0.01, 1000.0), min_size=1, max_size=40),
)
def test_allocate_integer_sums_exactly(total: int, weights: list[float]) -> None:
    out = allocate_integer(total, np.array(weights))
    assert out.sum() == total
    assert (out >= 0).all()
    # proportional within one unit
    exact = total * np.array(weights) / sum(weights)
    assert np.all(np.abs(out - exact) < 1.0 + 1e-9)


@given(
    total=st.integers(0, 5000),
    weights=st.lists(st.floats(0.01, 100.0), min_size=2, max_size=30),
    cap_value=st.integers(1, 400),
)
def test_allocate_integer_respects_caps(total: int, weights: list[float], cap_value: int) -> None:
    cap = np.full(len(weights), cap_value)
    if cap.sum() < total:
        with pytest.raises(RegionError):
            allocate_integer(total, np.array(weights), cap=cap)
        return
    out = allocate_integer(total, np.array(weights), cap=cap)
    assert out.sum() == total
    assert (out <= cap).all()


def _villages() -> pd.DataFrame:
    codes = [f"36.01.01.20{i:02d}" for i in range(1, 21)] + ["36.71.01.1001"]
    frame = pd.DataFrame(
        {"kode": codes, "kode_kec": "36.01.01", "kode_kab": [c[:5] for c in codes]}
    )
    for name in ("pulau", "pesisir", "perbatasan", "perbatasan_kab", "terpencil"):
        frame[f"is_{name}"] = False
    frame.loc[0, "is_pulau"] = True
    frame.loc[1, "is_terpencil"] = True
    return frame


def _population(villages: pd.DataFrame) -> pd.DataFrame:
    pop = pd.DataFrame({"kode": villages["kode"], "wajib_ktp_est": 1000.0})
    pop.loc[5, "wajib_ktp_est"] = np.nan  # a village created after the census
    return pop


def test_estimate_matches_published_totals_exactly() -> None:
    villages = _villages()
    totals = PublishedTotals("2017-11", 21_000, 630, "test")
    counts = estimate_counts(villages, _population(villages), totals, seed=3)
    assert counts["wajib_ktp"].sum() == 21_000
    assert counts["belum_rekam"].sum() == 630
    assert (counts["sudah_rekam"] + counts["belum_rekam"] == counts["wajib_ktp"]).all()
    assert (
        (counts[["lansia", "disabilitas", "pemula"]].le(counts["belum_rekam"], axis=0)).all().all()
    )
    assert counts.loc[5, "wajib_method"] == "imputed_kecamatan_median"


def test_estimate_is_seeded_and_order_independent() -> None:
    villages = _villages()
    totals = PublishedTotals("2017-11", 21_000, 630, "test")
    a = estimate_counts(villages, _population(villages), totals, seed=1)
    b = estimate_counts(villages.iloc[::-1], _population(villages), totals, seed=1)
    pd.testing.assert_frame_equal(a, b)
    c = estimate_counts(villages, _population(villages), totals, seed=2)
    assert not a["belum_rekam"].equals(c["belum_rekam"])


def test_island_and_remote_villages_get_higher_rates_on_average() -> None:
    villages = _villages()
    totals = PublishedTotals("2017-11", 21_000, 630, "test")
    params = EstimateParams(noise_sigma=0.0)
    counts = estimate_counts(villages, _population(villages), totals, seed=0, params=params)
    rate = counts["belum_rekam"] / counts["wajib_ktp"]
    assert rate[0] > 2.5 * rate[2]  # pulau vs ordinary desa
    assert rate[1] > 2.0 * rate[2]  # terpencil
    assert rate[20] < rate[2]  # kelurahan


def test_description_names_the_model_and_totals() -> None:
    text = describe_estimate(
        PublishedTotals("2017-11", 7_549_281, 232_020, "Antara"), 0, EstimateParams()
    )
    assert ESTIMATE_MODEL in text and "232,020" in text and "2017-11" in text
