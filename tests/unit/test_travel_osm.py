"""OsmTravelModel on a tiny .osm.pbf that the test writes itself with pyosmium."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import osmium
import pytest
from osmium.osm.mutable import Node, Way

from planner.core.errors import TravelError
from planner.travel import (
    Mode,
    OsmTravelModel,
    Place,
    Port,
    Terrain,
    TravelCache,
    TravelParams,
    haversine_km,
)

# Nodes along latitude -6.0 every 0.01 deg (~1.106 km), plus a footway shortcut and an island
NODES = {
    1: (106.00, -6.00),
    2: (106.01, -6.00),
    3: (106.02, -6.00),
    4: (106.03, -6.00),
    5: (106.01, -6.02),  # detour node south of the road
    6: (106.50, -6.50),  # on a road not connected to the rest
    7: (106.51, -6.50),
}
WAYS = {
    10: ([1, 2], "primary"),  # 45 km/h by car
    11: ([2, 5, 4], "residential"),  # 25 km/h, long way round to 4
    12: ([2, 3], "footway"),  # walkers only
    13: ([3, 4], "footway"),
    14: ([6, 7], "primary"),
    15: ([1, 6], "building"),  # no highway tag: ignored
}


def _km(a: int, b: int) -> float:
    (x1, y1), (x2, y2) = NODES[a], NODES[b]
    return float(haversine_km(np.array(x1), np.array(y1), np.array(x2), np.array(y2)))


@pytest.fixture(scope="module")
def pbf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("osm") / "tiny.osm.pbf"
    with osmium.SimpleWriter(str(path)) as writer:
        for nid, loc in NODES.items():
            writer.add_node(Node(id=nid, location=loc, tags={}))
        for wid, (refs, cls) in WAYS.items():
            key = "building" if cls == "building" else "highway"
            writer.add_way(Way(id=wid, nodes=refs, tags={key: "yes" if key == "building" else cls}))
    return path


def test_fastest_road_route_and_snap_legs(pbf: Path) -> None:
    model = OsmTravelModel.from_pbf(pbf)
    params = TravelParams()
    a = Place("a", 106.00, -6.001, Terrain.desa)  # ~0.11 km off node 1
    b = Place("b", 106.03, -6.00, Terrain.kota)  # on node 4
    m = model.matrix([a, b], Mode.mobil)
    road = _km(1, 2) / 45 * 60 + (_km(2, 5) + _km(5, 4)) / 25 * 60
    snap = _km(1, 1) + float(haversine_km(*map(np.array, (106.0, -6.001, 106.0, -6.0))))
    snap_min = snap / params.access_speed_kmh[Mode.mobil][Terrain.desa] * 60
    assert m.minutes[0, 1] == pytest.approx(road + snap_min, rel=1e-9)
    assert m.km[0, 1] == pytest.approx(_km(1, 2) + _km(2, 5) + _km(5, 4) + snap, rel=1e-9)
    assert m.minutes[1, 0] == m.minutes[0, 1] and np.all(np.diag(m.minutes) == 0)

    legs = model.leg_geometry(a, b, Mode.mobil)
    assert [s.kind for s in legs] == ["road"]
    assert legs[0].coords == [
        (106.0, -6.001),
        NODES[1],
        NODES[2],
        NODES[5],
        NODES[4],
        (106.03, -6.0),
    ]


def test_walkers_take_the_footway(pbf: Path) -> None:
    model = OsmTravelModel.from_pbf(pbf)
    a, b = Place("a", *NODES[1], Terrain.kota), Place("b", *NODES[4], Terrain.kota)
    m = model.matrix([a, b], Mode.jalan_kaki)
    footway_km = _km(1, 2) + _km(2, 3) + _km(3, 4)
    assert m.km[0, 1] == pytest.approx(footway_km, abs=1e-5)  # km to ~1e-6 (tie-break)
    assert m.minutes[0, 1] == pytest.approx(footway_km / 4.5 * 60, rel=1e-9)
    walk = model.leg_geometry(a, b, Mode.jalan_kaki)
    assert walk[0].kind == "walk" and NODES[3] in walk[0].coords


def test_disconnected_roads_are_unreachable_and_triangle_holds(pbf: Path) -> None:
    model = OsmTravelModel.from_pbf(pbf)
    places = [Place(f"n{i}", *NODES[i]) for i in (1, 2, 3, 4, 5, 6, 7)]
    m = model.matrix(places, Mode.motor)
    assert np.isinf(m.minutes[0, 5]) and np.isinf(m.km[0, 5])
    assert np.isfinite(m.minutes[5, 6])
    via = m.minutes[:, :, None] + m.minutes[None, :, :]
    direct = np.broadcast_to(m.minutes[:, None, :], via.shape)
    ok = np.isfinite(via)
    assert np.all(direct[ok] <= via[ok] + 1e-9)


def test_custom_speeds_and_sea_legs(pbf: Path) -> None:
    slow = OsmTravelModel.from_pbf(pbf, {"primary": 10.0, "residential": 10.0})
    a, b = Place("a", *NODES[1], Terrain.kota), Place("b", *NODES[2], Terrain.kota)
    assert slow.matrix([a, b], Mode.mobil).minutes[0, 1] == pytest.approx(_km(1, 2) / 10 * 60)
    port = Port("port", "Port", *NODES[4], serves={"isle": 50.0})
    model = OsmTravelModel.from_pbf(pbf, ports=[port])
    isle = Place("isle", 106.05, -5.9, island="isle")
    m = model.matrix([a, isle], Mode.mobil, boat=True)
    road = model.matrix([a, port.as_place()], Mode.mobil).minutes[0, 1]
    assert m.minutes[0, 1] == pytest.approx(road + TravelParams().boarding_minutes + 50.0)
    kinds = [s.kind for s in model.leg_geometry(a, isle, Mode.mobil, boat=True)]
    assert kinds == ["road", "sea"]


def test_osm_cache_roundtrip(pbf: Path, tmp_path: Path) -> None:
    places = [Place(f"n{i}", *NODES[i]) for i in (1, 3, 4, 6)]
    first = OsmTravelModel.from_pbf(pbf, cache=TravelCache(tmp_path)).matrix(places, Mode.mobil)
    second = OsmTravelModel.from_pbf(pbf, cache=TravelCache(tmp_path)).matrix(places, Mode.mobil)
    assert np.array_equal(first.minutes, second.minutes) and len(list(tmp_path.glob("*.npz"))) == 1


def test_bad_extracts_raise_travel_error(tmp_path: Path) -> None:
    with pytest.raises(TravelError, match="not found"):
        OsmTravelModel.from_pbf(tmp_path / "missing.osm.pbf")
    broken = tmp_path / "broken.osm.pbf"
    broken.write_bytes(b"\x00\x00\x00\x0dnot a pbf at all")
    with pytest.raises(TravelError, match=r"cannot read|no way"):
        OsmTravelModel.from_pbf(broken)
    empty = tmp_path / "empty.osm.pbf"
    with osmium.SimpleWriter(str(empty)) as writer:
        writer.add_node(Node(id=1, location=(106.0, -6.0), tags={}))
    with pytest.raises(TravelError, match="no way with a highway tag"):
        OsmTravelModel.from_pbf(empty)


def test_grid_network_in_chunks_km_follow_the_route(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 25 x 25 street grid at one speed: km along the fastest route = minutes x speed.

    Dijkstra runs one source per chunk here (as on a province-size extract) and the path km
    come from the tie-broken second Dijkstra (to within ~1e-6 km).
    """
    import planner.travel.osm as osm_module

    path = tmp_path / "grid.osm.pbf"
    size, step = 25, 0.003
    with osmium.SimpleWriter(str(path)) as writer:
        for r in range(size):
            for c in range(size):
                loc = (106.0 + c * step, -6.0 - r * step)
                writer.add_node(Node(id=1 + r * size + c, location=loc, tags={}))
        wid = 1
        for r in range(size):
            row = [1 + r * size + c for c in range(size)]
            col = [1 + c * size + r for c in range(size)]
            for refs in (row, col):
                writer.add_way(Way(id=wid, nodes=refs, tags={"highway": "residential"}))
                wid += 1
    monkeypatch.setattr(osm_module, "_CELLS_PER_CHUNK", 1)
    model = OsmTravelModel.from_pbf(path)
    rng = np.random.default_rng(5)
    cells = rng.choice(size * size, 12, replace=False)
    places = [
        Place(f"c{i}", 106.0 + (i % size) * step, -6.0 - (i // size) * step, Terrain.kota)
        for i in cells
    ]
    m = model.matrix(places, Mode.mobil)
    assert np.allclose(m.km, m.minutes * 25.0 / 60.0, rtol=0.0, atol=1e-5)
    a, b = places[0], places[1]
    legs = model.leg_geometry(a, b, Mode.mobil)
    coords = np.array(legs[0].coords)
    along = haversine_km(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1]).sum()
    assert along == pytest.approx(m.km[0, 1], abs=1e-5)


def test_two_ways_over_the_same_nodes_keep_the_faster(tmp_path: Path) -> None:
    """A primary and a track over the same two nodes: the car takes the primary (45 km/h).

    A sparse matrix built naively would add both edges into one as slow as both together.
    """
    path = tmp_path / "double.osm.pbf"
    with osmium.SimpleWriter(str(path)) as writer:
        for nid in (1, 2):
            writer.add_node(Node(id=nid, location=NODES[nid], tags={}))
        writer.add_way(Way(id=1, nodes=[1, 2], tags={"highway": "primary"}))
        writer.add_way(Way(id=2, nodes=[1, 2], tags={"highway": "track"}))
    model = OsmTravelModel.from_pbf(path)
    a, b = (Place(f"p{i}", *NODES[i], Terrain.kota) for i in (1, 2))
    m = model.matrix([a, b], Mode.mobil)
    assert m.minutes[0, 1] == pytest.approx(_km(1, 2) / 45.0 * 60.0)
    assert m.km[0, 1] == pytest.approx(_km(1, 2), abs=1e-5)


def test_lazy_model_reads_the_extract_only_on_a_cache_miss(pbf: Path, tmp_path: Path) -> None:
    """A cache hit costs the file hash, not a parse; the lazy result equals the eager one."""
    places = [Place("a", *NODES[1], Terrain.kota), Place("b", *NODES[4], Terrain.kota)]
    cache = TravelCache(tmp_path)
    lazy = OsmTravelModel.from_pbf(pbf, cache=cache, lazy=True)
    eager = OsmTravelModel.from_pbf(pbf, cache=False)
    first = lazy.matrix(places, Mode.mobil)
    assert np.array_equal(first.minutes, eager.matrix(places, Mode.mobil).minutes)
    again = OsmTravelModel.from_pbf(pbf, cache=cache, lazy=True)
    assert again.matrix(places, Mode.mobil).minutes.tolist() == first.minutes.tolist()
    assert again._net is None  # served from the cache without reading the ways
    broken = tmp_path / "broken.osm.pbf"
    broken.write_bytes(b"\x00\x00\x00\x0dnot a pbf at all")
    with pytest.raises(TravelError, match=r"cannot read|no way"):
        OsmTravelModel.from_pbf(broken, lazy=True).matrix(places, Mode.mobil)
