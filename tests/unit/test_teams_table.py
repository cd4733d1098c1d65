"""The Tim table keeps a team's trip: ``base_days``, ``nights`` and ``lodging_per_night``.

Rows of text ⇄ :class:`TeamsConfig` ⇄ TOML for every bundled ``examples/*/teams.toml``, and
bad trip cells as one problem each naming the row and the column.
"""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

import pytest

from planner.app.web.scenario_form import ScenarioDraft, scenario_toml
from planner.app.web.teams_table import COLUMNS, team_rows, teams_from_rows, teams_toml
from planner.core.errors import ConfigError
from planner.domain.config import TeamsConfig, load_teams, teams_from_dict

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/teams.toml"))


def _region(name: str) -> tuple[list[str], list[str]]:
    """Depot ids and regency codes of a bundled region (its ``depots.csv``)."""
    with (ROOT / "geodata" / name / "depots.csv").open(encoding="utf-8") as handle:
        depots = list(csv.DictReader(handle))
    return [d["depot_id"] for d in depots], sorted({d["kode_kab"] for d in depots})


def _from_rows(rows: list[dict[str, str]], region: str) -> TeamsConfig:
    depots, regencies = _region(region)
    return teams_from_rows(rows, depot_ids=depots, regency_codes=regencies, region=region)


def _sumenep_trip() -> tuple[list[dict[str, str]], int]:
    rows = team_rows(load_teams(ROOT / "examples" / "sumenep" / "teams.toml"))
    return rows, next(i for i, r in enumerate(rows) if r["nights"])


def test_every_bundled_example_round_trips_exactly() -> None:
    assert {"anambas", "banten", "sarolangun", "sumenep"} <= set(EXAMPLES)
    for name in EXAMPLES:
        teams = load_teams(ROOT / "examples" / name / "teams.toml")
        rows = team_rows(teams)
        assert all(list(r) == list(COLUMNS) for r in rows)
        again = _from_rows(rows, name)
        assert again.teams == teams.teams, name
        assert team_rows(again) == rows, name
        text = teams_toml(again, header=f"contoh {name}")
        assert teams_from_dict(tomllib.loads(text)).teams == teams.teams, name


def test_the_two_island_trip_survives_the_table() -> None:
    # the loss this table had: a trip's days and nights vanished when the rows became TOML
    rows, i = _sumenep_trip()
    assert rows[i]["base"] == "kec-35.29.08"
    assert rows[i]["base_days"] == "senin, selasa, rabu, kamis"
    assert rows[i]["nights"] == "senin=kec-35.29.04, selasa=kec-35.29.04"
    team = _from_rows(rows, "sumenep").teams[i]
    assert team.base_days == ["senin", "selasa", "rabu", "kamis"]
    assert team.nights == {"senin": "kec-35.29.04", "selasa": "kec-35.29.04"}
    text = teams_toml(_from_rows(rows, "sumenep"))
    assert 'nights = { senin = "kec-35.29.04", selasa = "kec-35.29.04" }' in text
    assert tomllib.loads(text)["teams"][i]["base_days"] == ["senin", "selasa", "rabu", "kamis"]


def test_edited_trip_cells_are_read() -> None:
    rows, i = _sumenep_trip()
    rows[i].update(
        base_days="Selasa; rabu, kamis",
        nights="selasa = kec-35.29.04",
        lodging_per_night="Rp 250.000",
    )
    rows[0]["lodging_per_night"] = "175000,5"
    teams = _from_rows(rows, "sumenep").teams
    assert teams[i].base_days == ["selasa", "rabu", "kamis"]
    assert teams[i].nights == {"selasa": "kec-35.29.04"}
    assert teams[i].lodging_per_night == 250_000.0
    assert teams[0].lodging_per_night == 175_000.5
    # empty cells: no trip days, every night at the base, the default lodging
    rows[i].update(base_days="", nights="", lodging_per_night="")
    team = _from_rows(rows, "sumenep").teams[i]
    assert (team.base_days, team.nights, team.lodging_per_night) == (None, None, 300_000.0)


def test_bad_trip_cells_name_row_and_column() -> None:
    rows, i = _sumenep_trip()
    row = i + 1
    rows[i].update(
        nights="senin kec-35.29.04, libur=kec-35.29.04, selasa=kec-35.29.04, Selasa=kec-35.29.05",
        base_days="senin, jumad",
    )
    rows[0]["lodging_per_night"] = "gratis"
    rows[1]["lodging_per_night"] = "-5"
    with pytest.raises(ConfigError) as caught:
        _from_rows(rows, "sumenep")
    assert caught.value.problems[:4] == [
        "tabel tim, baris 1, kolom lodging_per_night: 'gratis' bukan jumlah rupiah",
        f"tabel tim, baris {row}, kolom nights: 'senin kec-35.29.04' bukan hari=tempat "
        "(contoh: senin=kec-35.29.04)",
        f"tabel tim, baris {row}, kolom nights: hari 'Selasa' disebut dua kali",
        "tabel tim, baris 2, kolom lodging_per_night: must be at least 0.0 (got -5.0)",
    ]
    rest = caught.value.problems[4:]
    assert len(rest) == 2
    assert rest[0].startswith(f"tabel tim, baris {row}, kolom base_days[1]: unknown weekday")
    assert rest[1].startswith(f"tabel tim, baris {row}, kolom nights.libur: unknown weekday")


def test_trip_checks_against_the_region_name_row_and_column() -> None:
    rows, i = _sumenep_trip()
    row = i + 1
    rows[i].update(nights="senin=kec-35.29.99, kamis=kec-35.29.04")
    with pytest.raises(ConfigError) as caught:
        _from_rows(rows, "sumenep")
    problems = caught.value.problems
    assert len(problems) == 2
    # kamis is the last trip day: the team is home that evening
    assert problems[0].startswith(f"tabel tim, baris {row}, kolom nights.kamis: the team comes")
    assert problems[1].startswith(
        f"tabel tim, baris {row}, kolom nights.senin: unknown depot 'kec-35.29.99'"
    )
    # nights without a base: the file's rule, in the table's words
    rows, i = _sumenep_trip()
    rows[i].update(base="", base_days="")
    with pytest.raises(ConfigError) as caught:
        _from_rows(rows, "sumenep")
    assert caught.value.problems == [
        f"tabel tim, baris {i + 1}, kolom nights: needs a base (where the trip sleeps on the "
        "nights not named) (team sumenep-perahu)"
    ]


def test_a_saved_scenario_keeps_the_trip() -> None:
    # the Skenario page writes every team with the same TOML values as teams.toml
    rows, i = _sumenep_trip()
    teams = _from_rows(rows, "sumenep")
    draft = ScenarioDraft("Dua pulau", "uji", teams, {"turnout": 0.6})
    parsed = tomllib.loads(scenario_toml(draft, region="sumenep"))
    written = parsed["teams"]["teams"][i]
    assert written["nights"] == {"senin": "kec-35.29.04", "selasa": "kec-35.29.04"}
    assert teams_from_dict({"teams": parsed["teams"]["teams"]}).teams == teams.teams
