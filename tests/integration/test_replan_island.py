"""Re-planning the island region after the boat is cancelled, from the CLI (issue 17).

Kepulauan Anambas with its example teams: the announced week sends the boat team of Tarempa
across on Wednesday. The boat cannot sail Wednesday and Thursday: the re-plan has no sea leg
on those days, and the Wednesday crossing moves to a day with a boat or is cancelled, with the
reason, in ``perubahan.csv`` and on the coordinator's change page.
"""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planner.app.cli import app

runner = CliRunner()
WEEK = "2017-11-13"
FROM = "2017-11-15"
DRY = ("2017-11-15", "2017-11-16")
FAST = ["--time-limit", "3", "--solution-limit", "20"]


def _plan(args: list[str], out: Path) -> tuple[int, str]:
    result = runner.invoke(
        app, ["plan", "--region", "anambas", "--week", WEEK, *FAST, *args, "--out", str(out)]
    )
    return result.exit_code, result.output


def _stops(plan_json: Path) -> list[dict[str, Any]]:
    document = json.loads(plan_json.read_text(encoding="utf-8"))
    return [
        {**visit, "team_id": day["team_id"], "date": day["date"]}
        for day in document["team_days"]
        for visit in day["visits"]
    ]


@pytest.fixture(scope="module")
def announced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("anambas") / "first"
    code, output = _plan([], out)
    assert code == 0, output
    return out / "plan.json"


def test_no_boat_moves_or_cancels_the_crossing_and_says_why(announced: Path) -> None:
    crossing = [s for s in _stops(announced) if s["date"] in DRY and s["boat_minutes"] > 0]
    assert crossing, "the announced week has no boat leg on Wednesday or Thursday to disrupt"
    out = announced.parent.parent / "noboat"
    flags = ["--lock", str(announced), "--from", FROM, "--no-boat", f"{DRY[0]}..{DRY[1]}"]
    code, output = _plan([*flags, "--assume-done"], out)
    assert code == 0, output
    after = _stops(out / "plan.json")
    on_dry_days = [s for s in after if s["date"] in DRY]
    assert not [s for s in on_dry_days if s["boat_minutes"] > 0 or "perahu" in str(s["mode"])]
    with (out / "perubahan.csv").open(encoding="utf-8") as handle:
        changes = list(csv.DictReader(handle))
    page = (out / "perubahan.html").read_text(encoding="utf-8")
    for stop in crossing:
        listed = [
            c
            for c in changes
            if c["kode_desa"] == stop["kode_desa"] and c["tanggal_lama"] == stop["date"]
        ]
        assert len(listed) == 1, changes
        change = listed[0]
        assert change["alasan"].startswith("tidak ada perahu")
        assert change["status"] in ("dipindah", "dibatalkan")
        if change["status"] == "dipindah":  # moved to a day with a boat
            assert change["tanggal_baru"] not in DRY
        assert html.escape(stop["desa"]) in page and "tidak ada perahu" in page
