"""A new region is one command (issue #14): build, load, locate and plan a regency folder.

The boundaries come from the bundled Banten GeoPackage (the same schema as
``shared/geodata-src``); neighbours and islands from ``geodata/_national``; no shared folder.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.app.cli import app
from planner.io.region import load_region

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture(scope="module")
def kota_serang(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("regions")
    command = [
        sys.executable, str(REPO / "tools" / "build_regions.py"), str(out / "no-shared-folder"),
        "--new", "kota_serang", "--gpkg", str(REPO / "geodata" / "banten" / "boundaries.gpkg"),
        "--regency", "36.73", "--name", "Kota Serang (Banten)", "--as-of", "2017-11",
        "--wajib-ktp", "420000", "--unrecorded", "9000", "--source", "test totals",
        "--out", str(out),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    return out / "kota_serang"


def test_the_new_folder_loads(kota_serang: Path) -> None:
    region = load_region(kota_serang)
    assert region.config.regency_codes == ["36.73"]
    assert (region.config.crs_metric, region.config.timezone_label) == ("EPSG:32748", "WIB")
    assert len(region.villages) == 67
    kinds = region.depots["kind"].value_counts().to_dict()
    assert kinds == {"dinas": 1, "kecamatan": 6}
    assert "36.73" not in set(region.neighbours["kode"])
    assert {"36.04", "36.72"} <= set(region.neighbours["kode"])  # Kab. Serang, Cilegon
    assert region.population is None and region.ports.empty


def test_the_new_folder_locates_and_plans(kota_serang: Path, tmp_path: Path) -> None:
    located = runner.invoke(
        app, ["locate", "--region", str(kota_serang), "--out", str(tmp_path / "loc")]
    )
    assert located.exit_code == 0, located.output
    source = json.loads((tmp_path / "loc" / "sumber.json").read_text(encoding="utf-8"))
    assert source["is_estimate"] and "test totals" in source["estimate_model"]
    teams = tmp_path / "teams.toml"
    teams.write_text('[[teams]]\nid = "serang-1"\nname = "Tim 1"\ndepot = "dinas-36.73"\n')
    planned = runner.invoke(
        app,
        [
            "plan", "--region", str(kota_serang), "--teams", str(teams), "--week", "2017-11-13",
            "--time-limit", "3", "--solution-limit", "30", "--workers", "1",
            "--out", str(tmp_path / "plan"),
        ],
    )  # fmt: skip
    assert planned.exit_code == 0, planned.output
    plan = json.loads((tmp_path / "plan" / "plan.json").read_text(encoding="utf-8"))
    assert plan["region"] == "kota_serang"
    assert plan["summary"]["planned_recordings"] > 0
    assert plan["summary"]["team_days_used"] >= 1


def test_missing_totals_are_one_error_line(tmp_path: Path) -> None:
    command = [
        sys.executable, str(REPO / "tools" / "build_regions.py"), "--new", "x",
        "--gpkg", str(REPO / "geodata" / "banten" / "boundaries.gpkg"), "--out", str(tmp_path),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "ERROR: --new x needs --name, --as-of, --wajib-ktp, --unrecorded, --source"
    ]
    assert not (tmp_path / "x").exists()


def test_a_new_island_regency_with_ports_and_sea_links(tmp_path: Path) -> None:
    """An island regency built with the one command from its offices, ports and sea-links
    CSVs: every port in the one ``ports.csv`` (harbours outside the region too), ferries
    without published days kept but never run, and its boat team plans through a port."""
    sources = REPO / "tools" / "sources"
    command = [
        sys.executable, str(REPO / "tools" / "build_regions.py"), str(tmp_path / "no-shared"),
        "--new", "anambas_baru", "--gpkg", str(REPO / "geodata" / "anambas" / "boundaries.gpkg"),
        "--name", "Kepulauan Anambas (uji)", "--as-of", "2017-06", "--wajib-ktp", "30055",
        "--unrecorded", "732", "--source", "test totals",
        "--offices", str(sources / "anambas_offices.csv"),
        "--ports", str(sources / "anambas_ports.csv"),
        "--sea-links", str(sources / "anambas_sea_links.csv"), "--out", str(tmp_path),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "anambas_baru"
    assert not (folder / "ports_outside.csv").exists()
    region = load_region(folder)
    assert region.config.regency_codes == ["21.05"]
    ports = region.ports
    assert (~ports["in_region"]).any()  # Tanjungpinang, Batam, Kijang: by sea only
    assert (ports["serves_kode_desa"] == "").any()
    ferries = region.sea_links[region.sea_links["kind"] == "ferry"]
    assert (ferries["day_set"].map(len) == 0).any()  # days not published: never planned on
    teams = tmp_path / "teams.toml"
    teams.write_text(
        '[[teams]]\nid = "perahu"\nname = "Tim Perahu"\ndepot = "dinas-21.05"\n'
        'boat = true\nmodes = ["motor"]\n'
    )
    planned = runner.invoke(
        app,
        [
            "plan", "--region", str(folder), "--teams", str(teams), "--week", "2017-11-13",
            "--time-limit", "3", "--solution-limit", "30", "--workers", "1",
            "--out", str(tmp_path / "plan"),
        ],
    )  # fmt: skip
    assert planned.exit_code == 0, planned.output
    plan = json.loads((tmp_path / "plan" / "plan.json").read_text(encoding="utf-8"))
    visits = [v for td in plan["team_days"] for v in td.get("visits", [])]
    assert plan["summary"]["planned_recordings"] > 0
    assert any(v.get("ports") for v in visits)  # a crossing names its port
