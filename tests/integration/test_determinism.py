"""Same inputs, seed and solution limit give byte-identical ``plan.json`` and ``itinerary.csv``.

Through the CLI: two runs with ``--workers 1`` and one with ``--workers 2`` on Banten with two
teams in different regencies (two independent parts, so the pool really splits the work). The
time limit is far above what the solution limit needs, so the search stops on the solution
count, never on the clock (``planner/routing/solve.py``). ``run.json`` holds wall times and is
not compared.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.app.cli import app

runner = CliRunner()
TEAMS = """
[[teams]]
id = "kota-serang"
name = "Tim Kota Serang"
depot = "dinas-36.73"
kits = 2

[[teams]]
id = "kota-cilegon"
name = "Tim Kota Cilegon"
depot = "dinas-36.72"
"""
COMPARED = ("plan.json", "itinerary.csv")


def _run_plan(out: Path, teams: Path, workers: int) -> dict[str, bytes]:
    args = ["plan", "--region", "banten", "--week", "2017-11-13", "--teams", str(teams)]
    args += ["--time-limit", "60", "--solution-limit", "40", "--seed", "1"]
    args += ["--workers", str(workers), "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return {name: (out / name).read_bytes() for name in COMPARED}


def _diff(a: bytes, b: bytes) -> str:
    lines = difflib.unified_diff(a.decode().splitlines(), b.decode().splitlines(), lineterm="", n=1)
    return "\n".join(list(lines)[:40])


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("determinism")
    teams = root / "teams.toml"
    teams.write_text(TEAMS, encoding="utf-8")
    return {
        "w1-a": _run_plan(root / "w1-a", teams, 1),
        "w1-b": _run_plan(root / "w1-b", teams, 1),
        "w2": _run_plan(root / "w2", teams, 2),
    }


@pytest.mark.parametrize("name", COMPARED)
def test_two_runs_are_byte_identical(runs: dict[str, dict[str, bytes]], name: str) -> None:
    a, b = runs["w1-a"][name], runs["w1-b"][name]
    assert a == b, _diff(a, b)


@pytest.mark.parametrize("name", COMPARED)
def test_one_and_two_workers_are_byte_identical(
    runs: dict[str, dict[str, bytes]], name: str
) -> None:
    a, b = runs["w1-a"][name], runs["w2"][name]
    assert a == b, _diff(a, b)


def test_the_plan_is_not_empty(runs: dict[str, dict[str, bytes]]) -> None:
    itinerary = runs["w1-a"]["itinerary.csv"].decode().splitlines()
    assert len(itinerary) > 3
