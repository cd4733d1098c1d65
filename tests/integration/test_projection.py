"""Projection and comparison end to end, on Sarolangun with a solution limit (reproducible)."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.domain.config import apply_overrides
from planner.scenarios.projection import Projection, project

START = date(2018, 10, 1)
SOLVER = {"time_limit_s": 30.0, "solution_limit": 3, "seed": 0}
"""Stops on the solution limit long before the time limit: a reproducible run."""

TEAMS = """
[[teams]]
id = "sarolangun-2"
name = "Tim Jemput Bola Sarolangun 2"
depot = "dinas-15.03"

[[teams]]
id = "batangasai"
name = "Tim Jemput Bola Batang Asai (motor)"
depot = "kec-15.03.01"
modes = ["motor"]
regencies = ["15.03"]
"""
"""Two one-kit teams of the example: a small week that solves in a few seconds."""


@pytest.fixture(scope="module")
def setup(sarolangun, sarolangun_classified, tmp_path_factory):  # type: ignore[no-untyped-def]
    from planner.geo.estimate import estimate_registry
    from planner.io.plan_config import load_plan_config
    from planner.travel.regional import travel_model_for

    teams_file = tmp_path_factory.mktemp("tim") / "teams.toml"
    teams_file.write_text(TEAMS, encoding="utf-8")
    teams, policy = load_plan_config(sarolangun, teams_file, None, SOLVER)
    # the second week is closed (every weekday a day off): it must be skipped with the reason
    closed = [{"date": f"2018-10-{d:02d}", "note": "Uji libur"} for d in range(8, 13)]
    policy = apply_overrides(policy, {"calendar": {"extra_non_working": closed}})
    registry = estimate_registry(sarolangun, sarolangun_classified, seed=0)
    return teams, policy, registry, travel_model_for(sarolangun)


def _project(sarolangun, classified, setup) -> Projection:  # type: ignore[no-untyped-def]
    teams, policy, registry, travel = setup
    return project(
        sarolangun, classified, registry, teams, policy, START, date(2018, 10, 21), travel
    )


@pytest.fixture(scope="module")
def projected(sarolangun, sarolangun_classified, setup) -> Projection:  # type: ignore[no-untyped-def]
    return _project(sarolangun, sarolangun_classified, setup)


def test_remaining_never_rises_nor_goes_below_zero(projected: Projection) -> None:
    weeks = projected.weeks
    assert list(weeks["status"]) == ["direncanakan", "dilewati", "direncanakan"]
    remaining = weeks["remaining_belum_rekam"].astype(int).tolist()
    assert all(r >= 0 for r in remaining)
    assert all(a >= b for a, b in itertools.pairwise(remaining))
    start = int(projected.completion.iloc[0]["belum_rekam_start"])
    assert remaining[0] == start - int(weeks["planned_recordings"].iloc[0])
    assert remaining[-1] < start


def test_closed_week_is_skipped_with_the_reason(projected: Projection) -> None:
    skipped = projected.weeks.iloc[1]
    assert skipped["week_start"] == "2018-10-08"
    assert "Uji libur" in str(skipped["reason"])
    assert skipped["planned_recordings"] == 0


def test_completion_table_has_regency_and_classes(projected: Projection) -> None:
    levels = projected.completion.set_index(["level", "code"])
    assert ("kabupaten", "15.03") in levels.index
    assert ("kelas", "terpencil") in levels.index
    assert projected.stop == "batas"


def test_reproducible_with_seed_and_solution_limit(  # type: ignore[no-untyped-def]
    sarolangun, sarolangun_classified, setup, projected
) -> None:
    again = _project(sarolangun, sarolangun_classified, setup)
    columns = [c for c in projected.weeks.columns if c != "wall_seconds"]
    pd.testing.assert_frame_equal(projected.weeks[columns], again.weeks[columns])
    pd.testing.assert_frame_equal(projected.completion, again.completion)


@pytest.mark.parametrize("deadline", [None, date(2018, 12, 31)])
def test_every_week_is_planned_towards_the_deadline(  # type: ignore[no-untyped-def]
    sarolangun, sarolangun_classified, setup, monkeypatch, deadline
) -> None:
    import planner.scenarios.projection as projection_module

    teams, policy, registry, travel = setup
    seen: list[date | None] = []
    real = projection_module.plan_week_from

    def spy(inputs, **kw):  # type: ignore[no-untyped-def]
        seen.append(inputs.policy.deadline)
        return real(inputs, **kw)

    monkeypatch.setattr(projection_module, "plan_week_from", spy)
    until = date(2018, 10, 7)  # one week
    proj = project(
        sarolangun,
        sarolangun_classified,
        registry,
        teams,
        policy,
        START,
        until,
        travel,
        deadline=deadline,
    )
    # the horizon is the deadline when none is given (``jemput project --until``)
    assert seen == [deadline or until]
    assert proj.target == (deadline or until)  # the chart's line
    assert policy.deadline is None  # the caller's policy is not changed


def test_project_and_compare_cli(tmp_path: Path) -> None:
    from planner.app.cli import app

    runner = CliRunner()
    out = tmp_path / "proyeksi"
    result = runner.invoke(
        app,
        [
            "project",
            "--region",
            "sarolangun",
            "--from",
            "2018-10-01",
            "--until",
            "2018-10-07",
            "--time-limit",
            "2",
            "--solution-limit",
            "3",
            "--workers",
            "1",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    for name in ("proyeksi.csv", "selesai.csv", "proyeksi.xlsx", "proyeksi.png"):
        assert (out / name).stat().st_size > 0

    (tmp_path / "teams.toml").write_text(TEAMS, encoding="utf-8")
    base = tmp_path / "dasar.toml"
    base.write_text(
        'name = "Dasar"\ndescription = "Dua tim"\nteams_file = "teams.toml"\n'
        "[costs]\nper_km = 1500\n",
        encoding="utf-8",
    )
    more = tmp_path / "tambah.toml"
    more.write_text(
        'name = "Tambah tim"\n[[teams.teams]]\nid = "sarolangun-3"\n'
        'name = "Tim 3"\ndepot = "dinas-15.03"\n',
        encoding="utf-8",
    )
    bad = tmp_path / "rusak.toml"
    bad.write_text('name = "Rusak"\n[policy]\nturnot = 0.5\n', encoding="utf-8")
    args = ["compare", "--region", "sarolangun", "--week", "2018-10-01", "--time-limit", "2"]
    args += ["--solution-limit", "3", "--workers", "1"]
    failed = runner.invoke(app, [*args, "--out", str(tmp_path / "x"), str(base), str(bad)])
    assert failed.exit_code == 2
    assert "turnot" in failed.output and "did you mean 'turnout'" in failed.output

    out = tmp_path / "banding"
    result = runner.invoke(app, [*args, "--out", str(out), str(base), str(more)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "bandingkan.csv")
    assert table["key"].tolist() == ["dasar", "tambah"]
    assert table["warm_started"].tolist() == [False, True]
    assert table["weighted_recordings"].iloc[1] >= table["weighted_recordings"].iloc[0]
    assert table["weeks_method"].tolist() == ["perkiraan", "perkiraan"]
    assert table["cost_week"].notna().all()
    assert (out / "bandingkan.xlsx").exists() and (out / "bandingkan.png").exists()
