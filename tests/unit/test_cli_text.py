"""People-facing CLI text: Indonesian numbers, reasons in words, help with examples, errors that
name the flag and say the fix, progress as plain lines when piped."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.app.cli import app
from planner.app.commands import REASON_WORDS, plan_summary_table
from planner.app.console import angka, name_the_flags, persen
from planner.week.left_out import REASONS

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
