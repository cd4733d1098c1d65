"""``--roads`` and ``--travel-matrix`` end to end on Sarolangun with a synthetic extract.

The extract is a synthetic grid with a road hierarchy (``planner.travel.synthetic_roads``),
not a real map: what is tested is the plumbing (OSRM in process, the scipy fallback, road
geometry in the map and the GPX, the travel source in every output), not real minutes.
"""

from __future__ import annotations

import json
from pathlib import Path

import gpxpy
import numpy as np
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from planner.app.cli import app
from planner.travel import Mode, OsmTravelModel, OsrmTravelModel, Place, Terrain
from planner.travel import osrm_roads as osrm_module
from planner.travel import source as source_module
from planner.travel.regional import depot_places, region_ports, travel_model_for, with_travel
from planner.travel.source import travel_source
from planner.travel.synthetic_roads import write_synthetic_roads

runner = CliRunner()
PLAN = ["plan", "--region", "sarolangun", "--week", "2018-10-08", "--solution-limit", "1"]


@pytest.fixture(scope="module")
def pbf(sarolangun, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("roads") / "sarolangun-synthetic.osm.pbf"
    v = sarolangun.villages
    rows = zip(v.kode, v.lon, v.lat, strict=True)
    places = [Place(str(k), float(x), float(y)) for k, x, y in rows]
    places += depot_places(sarolangun) + [p.as_place() for p in region_ports(sarolangun)]
    write_synthetic_roads(path, places, spacing_km=2.0, timestamp="2024-05-01T00:00:00Z")
    return path


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # one OSRM pre-processing per test session, not in the user's cache
    monkeypatch.setenv("JEMPUT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


def test_osrm_and_scipy_agree_on_the_synthetic_network(sarolangun, pbf: Path) -> None:  # type: ignore[no-untyped-def]
    osrm_model = travel_model_for(with_travel(sarolangun, roads=pbf), cache=False)
    scipy_model = travel_model_for(with_travel(sarolangun, roads=pbf, engine="scipy"), cache=False)
    assert isinstance(osrm_model, OsrmTravelModel)
    assert isinstance(scipy_model, OsmTravelModel)
    places = depot_places(sarolangun)
    a, b = osrm_model.matrix(places, Mode.motor), scipy_model.matrix(places, Mode.motor)
    off = ~np.eye(len(places), dtype=bool)
    assert np.isfinite(a.minutes[off]).all()
    # same speed table (motorbike.lua and osm.py), same grid: within rounding and snapping
    ratio = a.minutes[off] / b.minutes[off]
    assert np.median(ratio) == pytest.approx(1.0, abs=0.05)
    assert a.km[off] == pytest.approx(b.km[off], rel=0.05)
    # the car too: profiles/car.lua carries osm.py's Indonesian speeds (stock car.lua: -28 %)
    car_ratio = (
        osrm_model.matrix(places, Mode.mobil).minutes[off]
        / scipy_model.matrix(places, Mode.mobil).minutes[off]
    )
    assert np.median(car_ratio) == pytest.approx(1.0, abs=0.05)
    assert travel_source(osrm_model).label == "OSM (ekstrak 2024-05-01), OSRM"
    assert travel_source(scipy_model).engine == "scipy-dijkstra"


def test_fallback_without_osrm_is_announced(sarolangun, pbf: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("planner.travel.regional.osrm_version", lambda: None)
    monkeypatch.setattr(source_module, "osrm_version", lambda: None)
    model = travel_model_for(with_travel(sarolangun, roads=pbf), cache=False)
    assert isinstance(model, OsmTravelModel)
    label = travel_source(model).label
    assert "Dijkstra (scipy)" in label and "osrm-bindings tidak terpasang" in label
    monkeypatch.setattr(osrm_module, "osrm_version", lambda: None)
    with pytest.raises(Exception, match="osrm-bindings is not installed"):
        OsrmTravelModel(pbf)


@pytest.mark.slow  # ~45 s on a shared 2-core machine: classification + plan + reports on roads
def test_plan_with_roads_end_to_end(pbf: Path, tmp_path: Path) -> None:
    out = tmp_path / "rencana"
    result = runner.invoke(app, [*PLAN, "--roads", str(pbf), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "OSM (ekstrak 2024-05-01), OSRM" in result.output
    doc = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert doc["travel"]["kind"] == "roads" and doc["travel"]["engine"].startswith("osrm ")
    assert doc["travel"]["slack_pct"] == 0.0
    assert doc["travel"]["uncertainty_pct"] is None  # not measured for roads: no "± N %"
    assert "perkiraan waktu tempuh" not in result.output
    # legs follow the road grid: far more GPX points than stops
    with (out / "routes.gpx").open(encoding="utf-8") as fh:
        gpx = gpxpy.parse(fh)
    stops = sum(len(d["visits"]) for d in doc["team_days"] if d["visits"])
    points = sum(len(t.segments[0].points) for t in gpx.tracks)
    assert points > 3 * (stops + len(gpx.tracks))
    assert "OSM (ekstrak 2024-05-01), OSRM" in (out / "peta.html").read_text(encoding="utf-8")
    sheet = load_workbook(out / "jadwal.xlsx")["Ringkasan"]
    values = [c.value for row in sheet.iter_rows(max_col=2) for c in row]
    assert "OSM (ekstrak 2024-05-01), OSRM" in values


def test_plan_with_a_user_matrix_and_a_missing_pair(sarolangun, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    depots = depot_places(sarolangun)
    path = tmp_path / "matriks.csv"
    path.write_text("from,to,minutes,km\n" + f"{depots[0].id},x,10,5\n", encoding="utf-8")
    result = runner.invoke(app, [*PLAN, "--travel-matrix", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.startswith("ERROR:")]
    assert lines and all("matriks.csv" in ln for ln in lines)
    assert not (tmp_path / "o").exists()


def test_user_matrix_source_label(sarolangun, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = Place("a", 102.7, -2.3, Terrain.desa), Place("b", 102.8, -2.3, Terrain.desa)
    path = tmp_path / "m.csv"
    path.write_text("from,to,minutes,km\na,b,33,12\n", encoding="utf-8")
    model = travel_model_for(with_travel(sarolangun, matrix=path), cache=False)
    assert model.matrix([a, b], Mode.mobil).minutes[0, 1] == 33
    assert travel_source(model).label == "matriks pengguna (m.csv)"
