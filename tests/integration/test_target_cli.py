"""``jemput target`` end to end on Banten (Kab. Serang's two teams, one week, tiny limits).

The written scenario of the confirmed option replays with ``jemput project`` to the same
completion table; bad input is one ERROR line per problem, exit 2, nothing written.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.app.cli import app

TEAMS = """
region = "banten"

[[teams]]
id = "serang-darat"
name = "Tim Jemput Bola Kab. Serang (darat)"
depot = "dinas-36.04"
kits = 2

[[teams]]
id = "serang-pulau"
name = "Tim Jemput Bola Kab. Serang (pulau)"
depot = "dinas-36.04"
boat = true
kits = 2
"""

WEEK = ["--from", "2017-11-13", "--until", "2017-11-17"]
LIMITS = ["--time-limit", "5", "--solution-limit", "1", "--workers", "1"]


@pytest.mark.slow  # two planned Banten weeks and a replayed one: ~40 s idle, minutes loaded
def test_target_cli_writes_ranked_options_that_replay(tmp_path: Path) -> None:
    teams = tmp_path / "teams.toml"
    teams.write_text(TEAMS, encoding="utf-8")
    out = tmp_path / "target"
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "target",
            "--region",
            "banten",
            *WEEK,
            "--teams",
            str(teams),
            "--kabupaten",
            "36.04",
            "--confirm",
            "1",
            "--no-fleet-calibration",  # the fleet weeks are tested in test_target_calibration
            *LIMITS,
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "target.csv")
    assert table["rank"].tolist() == list(range(1, len(table) + 1))
    assert "dasar" in set(table["key"])
    # done options first, cheapest first; then the rest, fewest left first
    done = table[table["surrogate_done"]]
    assert done["cost_rp"].is_monotonic_increasing
    assert table[~table["surrogate_done"]]["surrogate_left"].is_monotonic_increasing
    for name in ("target.xlsx", "target.png"):
        assert (out / name).stat().st_size > 0
    top = table.iloc[0]
    assert pd.notna(top["confirmed_left"])
    people = pd.read_excel(out / "target.xlsx", sheet_name="Pilihan")
    assert "Biaya (Rp, estimasi)" in people.columns

    scenario = out / str(top["scenario_file"])
    replay = tmp_path / "ulang"
    again = runner.invoke(
        app,
        [
            "project",
            "--region",
            "banten",
            *WEEK,
            "--scenario",
            str(scenario),
            *LIMITS,
            "--out",
            str(replay),
        ],
    )
    assert again.exit_code == 0, again.output
    confirmed = pd.read_csv(out / f"proyeksi_{top['key']}.csv")
    replayed = pd.read_csv(replay / "proyeksi.csv")
    columns = ["week_start", "planned_recordings", "remaining_belum_rekam"]
    pd.testing.assert_frame_equal(confirmed[columns], replayed[columns])
    done_table = pd.read_csv(replay / "selesai.csv")
    row = done_table[(done_table["level"] == "kabupaten") & (done_table["code"] == "36.04")]
    assert int(row["belum_rekam_end"].iloc[0]) == int(top["confirmed_left"])


def test_target_cli_bad_input_is_one_error_line_each(tmp_path: Path) -> None:
    out = tmp_path / "target"
    costs = tmp_path / "biaya.toml"
    costs.write_text("[costs]\ncar_day = -1\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "target",
            "--region",
            "banten",
            "--from",
            "2017-11-14",
            "--until",
            "2018-06-27",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 2
    assert "ERROR: --from: 2017-11-14 is not a Monday; use 2017-11-13" in result.output
    result = CliRunner().invoke(
        app,
        [
            "target",
            "--region",
            "banten",
            *WEEK,
            "--kabupaten",
            "99.99",
            "--class",
            "gunung",
            "--costs",
            str(costs),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 3, result.output
    assert "car_day" in errors[0] and "99.99" in errors[1] and "gunung" in errors[2]
    assert not out.exists()
