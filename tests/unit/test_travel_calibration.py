"""Calibration of the estimate on observed trips, and ``jemput check-travel``."""

from __future__ import annotations

from datetime import date

import pytest
from shapely.geometry import box
from typer.testing import CliRunner

from planner.app.cli import app
from planner.io.region import load_region
from planner.present.reports.desa import DesaVisit, desa_page_html
from planner.present.reports.pages import travel_uncertainty_note
from planner.travel import Mode, Place, Terrain, TravelParams
from planner.travel.calibration import (
    Observation,
    errors,
    estimate_minutes,
    fit_params,
    held_back_p90,
    load_observations,
    split_halves,
    summarise,
)
from planner.travel.estimate import EstimateTravelModel
from planner.travel.source import travel_source

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


def test_estimate_announces_its_measured_error() -> None:
    """The estimate's label and source carry the held-back 90th-percentile error."""
    default = travel_source(EstimateTravelModel(TravelParams()))
    assert default.uncertainty_pct == TravelParams().error_p90_pct
    assert f"perkiraan waktu tempuh ± {default.uncertainty_pct:g} %" in default.label
    assert default.uncertainty_text in default.label
    unknown = travel_source(EstimateTravelModel(TravelParams(error_p90_pct=None)))
    assert unknown.uncertainty_pct is None and "±" not in unknown.label
    assert unknown.uncertainty_text == ""
    with pytest.raises(ValueError, match="error_p90_pct"):
        TravelParams(error_p90_pct=-1.0)


def test_default_error_matches_the_bundled_observations(banten, sarolangun) -> None:  # type: ignore[no-untyped-def]
    """The announced ± N % is the data's number, not a typed-in one: recompute it."""
    rows = [*load_observations(banten), *load_observations(sarolangun)]
    rows += load_observations(load_region("sumsel"))
    assert held_back_p90(rows, TravelParams()) == pytest.approx(
        TravelParams().error_p90_pct, abs=0.5
    )


def test_pages_say_announced_hours_carry_the_error() -> None:
    """Desa page: the note under the schedule, escaped; no note when nothing is measured."""
    note = travel_uncertainty_note({"travel": {"uncertainty_pct": 57.0}})
    assert "perkiraan waktu tempuh ± 57 %" in note
    assert travel_uncertainty_note({"travel": {"uncertainty_pct": None}}) == ""
    assert travel_uncertainty_note({}) == ""
    visit = DesaVisit(date(2026, 1, 5), "08:00", "11:00", "Tim 1", "Balai Desa X", 106.1, -6.1)
    html = desa_page_html(
        kode="36.01.01.2001",
        nama="X",
        kecamatan="K",
        kabupaten="B",
        is_kelurahan=False,
        visits=[visit],
        village=box(106.0, -6.2, 106.2, -6.0),
        neighbours=[],
        timezone_label="WIB",
        week_start=date(2026, 1, 5),
        is_estimate=False,
        travel_note=note + " <b>",
    )
    assert "perkiraan waktu tempuh ± 57 %" in html and "&lt;b&gt;" in html
    plain = html.replace(note, "")
    assert "perkiraan waktu tempuh" not in plain
