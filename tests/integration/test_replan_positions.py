"""Re-planning where the teams are: a team starts the re-planned days where it slept (issue 17).

Banten, one team on a week-long trip with a land base (the Taktakan kecamatan office), four
Kota Serang villages with residents for the whole week. The re-plan from Wednesday is made
with the base taken out of the teams file: the team slept at the base on Tuesday night, so
Wednesday starts there, and it goes home in the evening.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planner.app.cli import app
from planner.io.registry import Registry, save_registry_csv

runner = CliRunner()
WEEK = "2017-11-13"
FROM = "2017-11-15"
VILLAGES = ("36.73.02.1007", "36.73.02.1010", "36.73.02.1008", "36.73.02.1001")
BASE = "kec-36.73.06"
TEAM = """
[[teams]]
id = "a"
name = "Tim A"
depot = "dinas-36.73"
kits = 1
"""
FAST = ["--time-limit", "3", "--solution-limit", "30"]


def _plan(args: list[str], out: Path) -> tuple[int, str]:
    result = runner.invoke(
        app, ["plan", "--region", "banten", "--week", WEEK, *FAST, *args, "--out", str(out)]
    )
    return result.exit_code, result.output


def _days(plan_json: Path) -> list[dict[str, Any]]:
    return list(json.loads(plan_json.read_text(encoding="utf-8"))["team_days"])


@pytest.fixture(scope="module")
def week(banten, banten_classified, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    """The announced week of a team based at Taktakan, with residents for every day."""
    from planner.geo.estimate import estimate_registry

    folder = tmp_path_factory.mktemp("based")
    counts = estimate_registry(banten, banten_classified).counts.copy()
    inside = counts.index.isin(list(VILLAGES))
    counts.loc[~inside, "sudah_rekam"] = counts.loc[~inside, "wajib_ktp"]
    for column in ("belum_rekam", "lansia", "disabilitas", "pemula"):
        counts.loc[~inside, column] = 0
    # enough residents for a week of one kit (about 60 a day) in four villages
    counts.loc[inside, "belum_rekam"] = counts.loc[inside, "wajib_ktp"].clip(upper=600)
    counts.loc[inside, "sudah_rekam"] = counts.loc[inside, "wajib_ktp"] - 600
    registry = folder / "registry.csv"
    save_registry_csv(
        Registry.from_frame(counts, source="uji", is_estimate=True, estimate_model="uji"),
        registry,
    )
    based = folder / "based.toml"
    based.write_text(TEAM + f'base = "{BASE}"\n', encoding="utf-8")
    home = folder / "home.toml"
    home.write_text(TEAM, encoding="utf-8")
    out = folder / "first"
    code, output = _plan(["--teams", str(based), "--registry", str(registry)], out)
    assert code == 0, output
    return {"folder": folder, "registry": registry, "home": home, "plan": out / "plan.json"}


def test_the_replan_starts_where_the_team_slept(week: dict[str, Path]) -> None:
    tuesday = [d for d in _days(week["plan"]) if d["date"] == "2017-11-14"]
    assert [d["end_place"] for d in tuesday] == [BASE]  # the announced trip sleeps at the base
    out = week["folder"] / "home"
    code, output = _plan(
        [
            *("--teams", str(week["home"]), "--registry", str(week["registry"])),
            *("--lock", str(week["plan"]), "--from", FROM),
        ],
        out,
    )
    assert code == 0, output
    days = {d["date"]: d for d in _days(out / "plan.json") if d["date"] >= FROM}
    # Wednesday: from the base where the team slept, home in the evening; then day trips
    assert (days[FROM]["start_place"], days[FROM]["end_place"]) == (BASE, "dinas-36.73")
    later = [d for when, d in days.items() if when > FROM]
    assert later and all(d["start_place"] == d["end_place"] == "dinas-36.73" for d in later)
