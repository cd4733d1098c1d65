"""Every benchmark script still runs, on one tiny case each (so the scripts cannot rot).

The numbers are not checked, only that each script exits 0 and prints its table. Budget: about
a minute in all. ``travel_matrix.py`` (the full Banten matrix, ~40 s on a busy 2-core machine)
and ``time_limit.py`` (a whole ``jemput plan`` process per row) are only started with
``--help`` here; ``make bench-quick`` runs them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "benchmarks"
VRP = REPO.parent / "shared" / "vrp-instances"


def _run(*args: str, timeout: float = 120.0) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_banten_week_quick() -> None:
    out = _run(str(BENCH / "banten_week.py"), "--quick", "--time-limit", "1")
    assert "(b) greedy density" in out
    assert "(c)/(a)" in out
    assert "## Targets" in out


def test_scale_one_small_case(tmp_path: Path) -> None:
    chart = tmp_path / "scale.png"
    out = _run(
        str(BENCH / "scale.py"),
        "--cases",
        "banten-200",
        "--group-seconds",
        "1",
        "--chart",
        str(chart),
    )
    assert "| banten-200 |" in out
    assert chart.stat().st_size > 0


@pytest.mark.skipif(not VRP.is_dir(), reason="../shared/vrp-instances not present")
def test_solomon_one_instance() -> None:
    out = _run(str(BENCH / "solomon.py"), "--subset", "C101", "--time-limit", "1")
    assert "C1" in out


def test_travel_matrix_parses_its_options() -> None:
    assert "--repeat" in _run(str(BENCH / "travel_matrix.py"), "--help")


def test_time_limit_parses_its_options() -> None:
    assert "--limits" in _run(str(BENCH / "time_limit.py"), "--help")


def test_disruptions_parses_its_options() -> None:
    # the whole script re-plans a Banten week six times (~3 min): only its options here
    assert "--regions" in _run(str(BENCH / "disruptions.py"), "--help")
