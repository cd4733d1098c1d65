"""People-facing CLI text: Indonesian numbers, reasons in words, help with examples, errors that
name the flag and say the fix, progress as plain lines when piped."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.app.cli import app
from planner.app.commands import REASON_WORDS, night_words, plan_summary_table
from planner.app.console import angka, name_the_flags, persen
from planner.week.left_out import REASONS
from planner.week.types import BaseChoice

runner = CliRunner()


def test_indonesian_numbers() -> None:
    assert angka(7549281) == "7.549.281"
    assert angka(1607.1, 1) == "1.607,1"
    assert angka("6904.3", 1) == "6.904,3"
    assert persen(0.686) == "68,6%"


def test_every_reason_has_words() -> None:
    assert set(REASON_WORDS) == set(REASONS)


def test_summary_table_in_indonesian_notation() -> None:
    summary = {
        "planned_recordings": 4738,
        "capacity_bound": 6904.3,
        "utilisation": 0.686,
        "weighted_recordings": 8543.3,
        "villages_visited": 56,
        "team_days_used": 72,
        "team_days_available": 72,
        "km": 2342.6,
        "boat_hours": 3.33,
        "class_share": {"perbatasan_kab": 0.697},
        "unplanned_by_reason": {"capacity": 1484, "search_failed": 3},
    }
    table = plan_summary_table(summary, {"week_start": "2017-11-13", "is_estimate": True})
    cells = [str(c) for column in table.columns for c in column._cells]
    for text in ("4.738", "6.904,3", "68,6%", "2.342,6", "1.484", "69,7%"):
        assert text in cells, (text, cells)
    assert "Tidak terjadwal: kapasitas minggu ini habis" in cells
    assert "Tidak terjadwal: pencarian rute gagal dalam batas waktu" in cells
    assert not any("capacity" in c or "perbatasan_kab" in c for c in cells)


def _depot_names(region: str) -> dict[str, str]:
    root = Path(__file__).resolve().parents[2]
    with (root / "geodata" / region / "depots.csv").open(encoding="utf-8") as handle:
        return {row["depot_id"]: row["name"] for row in csv.DictReader(handle)}


def test_bermalam_names_every_night_place_of_a_trip() -> None:
    names = _depot_names("sumenep")
    talango, giliginting = "kec-35.29.04", "kec-35.29.08"
    trip = BaseChoice(
        "sumenep-perahu",
        talango,
        names[talango],
        900.0,
        400.0,
        60.0,
        "boat_trip",
        "perjalanan perahu",
        ("senin", "selasa", "rabu", "kamis"),
        3,
        (("senin", talango), ("selasa", talango), ("rabu", giliginting)),
        ((talango, names[talango]), (giliginting, names[giliginting])),
    )
    one_island = dataclasses.replace(
        trip,
        team_id="perahu-2",
        night_places=(("senin", talango), ("selasa", talango)),
        night_names=((talango, names[talango]),),
    )
    home = BaseChoice("darat", None, "Dinas", 1.0, 1.0, None, "depot_reaches_more", "pulang")
    meta = {
        "week_start": "2026-11-30",
        "bases": [c.as_dict() for c in (trip, one_island, home)],
    }
    summary = {
        key: 0
        for key in [
            "planned_recordings",
            "capacity_bound",
            "utilisation",
            "weighted_recordings",
            "villages_visited",
            "team_days_used",
            "team_days_available",
            "km",
            "boat_hours",
        ]
    }
    table = plan_summary_table(summary, meta)
    rows = dict(zip(table.columns[0]._cells, table.columns[1]._cells, strict=True))
    assert rows["Bermalam sumenep-perahu"] == (
        "Kantor Kecamatan Talango (Sen, Sel), Kantor Kecamatan Giliginting (Rab)"
    )
    assert rows["Bermalam perahu-2"] == "Kantor Kecamatan Talango"
    assert rows["Bermalam darat"] == "pulang setiap hari"
    # a plan.json written before night_names: the ids stand in for the names
    older = {k: v for k, v in trip.as_dict().items() if k != "night_names"}
    assert night_words(older) == "kec-35.29.04 (Sen, Sel), kec-35.29.08 (Rab)"


@pytest.mark.parametrize("command", ["locate", "estimate-registry", "plan", "compare", "project"])
def test_help_has_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert f"Example: jemput {command} " in result.output


def test_help_shows_the_defaults_of_plan() -> None:
    text = runner.invoke(app, ["plan", "--help"], env={"COLUMNS": "200"}).output
    assert "(default: the policy's, 30)" in text and "[default: 1]" in text


def test_a_tuesday_week_says_which_monday(tmp_path: Path) -> None:
    args = ["plan", "--region", "banten", "--week", "2017-11-14", "--out", str(tmp_path / "o")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.output.strip() == (
        "ERROR: --week: 2017-11-14 is a Tuesday and not a Monday; the week starts Monday "
        "2017-11-13: give --week 2017-11-13"
    )


def test_errors_name_the_flag_not_the_setting() -> None:
    problems = ["overrides: solver.time_limit_s: must be greater than 0.0 (got 0.0)"]
    assert name_the_flags(problems, {"time_limit_s": 0.0}) == [
        "--time-limit: must be greater than 0.0 (got 0.0)"
    ]
    # a setting from the policy file keeps its key path: the flag was not given
    assert name_the_flags(["policy.toml: solver.seed: bad"], {"seed": None}) == [
        "policy.toml: solver.seed: bad"
    ]
    # ... and so does a problem of the policy file when the flag was given too
    assert name_the_flags(["policy.toml: solver.time_limit_s: bad"], {"time_limit_s": 1}) == [
        "policy.toml: solver.time_limit_s: bad"
    ]


def test_time_limit_zero_names_the_flag(tmp_path: Path) -> None:
    args = ["plan", "--region", "sarolangun", "--week", "2018-10-08", "--time-limit", "0"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.output.strip() == "ERROR: --time-limit: must be greater than 0.0 (got 0.0)"


def test_piped_progress_is_plain_lines_with_elapsed_time(tmp_path: Path) -> None:
    args = ["plan", "--region", "sarolangun", "--week", "2018-10-08", "--time-limit", "2"]
    result = runner.invoke(app, [*args, "--solution-limit", "5", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("[")]
    assert lines and all(" s] " in line for line in lines), result.output
    assert any("Menyusun rute tim" in line for line in lines)
    assert lines[-1].endswith("Selesai")
