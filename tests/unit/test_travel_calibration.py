"""Calibration of the estimate on observed trips, and ``jemput check-travel``."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from planner.app.cli import app
from planner.travel import Mode, Place, Terrain, TravelParams
from planner.travel.calibration import (
    Observation,
    errors,
    estimate_minutes,
    fit_params,
    load_observations,
    split_halves,
    summarise,
)

runner = CliRunner()


def _obs(i: int, km: float, minutes: float, half: str = "fit") -> Observation:
    a, b = Place(f"{i}a", 106.0, -6.0, Terrain.desa), Place(f"{i}b", 106.1, -6.0, Terrain.desa)
    return Observation(f"T{i}", "t", "mobil", minutes, a, b, km, km, half, False, "u", "")


def test_fit_recovers_a_known_car_speed() -> None:
    truth = TravelParams(trunk_speed_kmh={"mobil": 30.0})
    rows = [_obs(i, km, 0.0) for i, km in enumerate([5, 12, 20, 35, 60, 90])]
    rows = [Observation(**{**o.__dict__, "minutes": estimate_minutes(o, truth)}) for o in rows]
    fitted, figures = fit_params(rows)
    assert figures["mobil_speed"] == pytest.approx(30.0, rel=0.05)
    assert fitted.trunk_speed_kmh[Mode.mobil] == pytest.approx(30.0, rel=0.05)
    table = errors(rows, fitted)
    assert table["abs_error_pct"].max() < 5


def test_split_keeps_groups_together_and_is_balanced() -> None:
    groups = ["g1", "g1", "g1", "g2", "g3", "g3", "g4", "g5", "g6", "g6"]
    half = split_halves(groups)
    assert set(half.values()) == {"fit", "test"}
    sizes = {"fit": 0, "test": 0}
    for g in groups:
        sizes[half[g]] += 1
    assert abs(sizes["fit"] - sizes["test"]) <= 3
    assert split_halves(groups) == half  # fixed


def test_bundled_observations_and_summary(banten) -> None:  # type: ignore[no-untyped-def]
    rows = load_observations(banten)
    assert len(rows) == 28 and all(o.url.startswith("http") for o in rows)
    assert {o.half for o in rows} == {"fit", "test"}
    table = errors(rows, TravelParams())
    summary = summarise(table, ("mode",))
    assert "semua" in set(summary["mode"]) and (summary["rows"] > 0).all()


def test_check_travel_prints_the_comparison() -> None:
    result = runner.invoke(app, ["check-travel", "--region", "sarolangun", "--half", "all"])
    assert result.exit_code == 0, result.output
    assert "bawaan" in result.output and "kalibrasi" in result.output
    bad = runner.invoke(app, ["check-travel", "--region", "sarolangun", "--half", "x"])
    assert bad.exit_code == 2 and "ERROR:" in bad.output
