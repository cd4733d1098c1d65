"""Tests of planner.travel: properties of the estimate, sea legs, CSV provider, cache."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from planner.core.errors import TravelError
from planner.travel import (
    EstimateTravelModel,
    MatrixTravelModel,
    Mode,
    Place,
    Port,
    Terrain,
    TravelCache,
    TravelParams,
    haversine_km,
    nearest_minutes,
    terrain_from_code,
)

LAND_MODES = [Mode.mobil, Mode.motor, Mode.jalan_kaki]
TOL = 1e-9  # minutes/km: float rounding only

# A mainland with a deep bay (x 106.0-106.4, y -6.2..-5.9 is water), and two islands.
BAY_LAND = box(105.6, -6.8, 106.8, -5.8).difference(box(106.0, -6.2, 106.4, -5.8))
ISLANDS = {"I1": (106.2, -5.5), "I2": (106.6, -5.55)}
PORTS = (
    Port("p1", "Port one", 106.1, -5.81, {"I1": 60.0}),
    Port("p2", "Port two", 106.6, -5.85, {"I2": None}),
)


PlaceSpec = tuple[float, float, Terrain, str | None]


def _mainland(lon: float, lat: float, t: Terrain) -> PlaceSpec:
    return (lon, lat, t, None)


def _island(key: str, dx: float, dy: float, t: Terrain) -> PlaceSpec:
    return (ISLANDS[key][0] + dx, ISLANDS[key][1] + dy, t, key)


def _to_places(specs: list[PlaceSpec]) -> list[Place]:
    return [Place(f"x{i}", lon, lat, t, isl) for i, (lon, lat, t, isl) in enumerate(specs)]


def _place_strategy() -> st.SearchStrategy[PlaceSpec]:
    mainland = st.builds(
        _mainland,
        st.floats(105.65, 106.75),
        st.floats(-6.75, -5.85),
        st.sampled_from(list(Terrain)),
    ).filter(lambda v: BAY_LAND.contains(Point(v[0], v[1])))
    island = st.builds(
        _island,
        st.sampled_from(sorted(ISLANDS)),
        st.floats(-0.02, 0.02),
        st.floats(-0.02, 0.02),
        st.sampled_from(list(Terrain)),
    )
    return st.one_of(mainland, mainland, island)


places_lists = st.lists(_place_strategy(), min_size=1, max_size=9).map(_to_places)

PLAIN = EstimateTravelModel(ports=PORTS)
WITH_LAND = EstimateTravelModel(ports=PORTS, land=BAY_LAND)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assert_triangle(minutes: np.ndarray) -> None:
    """``m[i, k] <= m[i, j] + m[j, k]`` for every finite triple (float tolerance ``TOL``)."""
    via = minutes[:, :, None] + minutes[None, :, :]  # i, j, k
    direct = np.broadcast_to(minutes[:, None, :], via.shape)
    finite = np.isfinite(via)
    assert np.all(direct[finite] <= via[finite] + TOL * (1 + via[finite]))


@FAST
@given(places=places_lists, mode=st.sampled_from(list(Mode)), boat=st.booleans())
@pytest.mark.parametrize("model", [PLAIN, WITH_LAND], ids=["straight", "land-detour"])
def test_diagonal_zero_symmetric_nonnegative(
    model: EstimateTravelModel, places: list[Place], mode: Mode, boat: bool
) -> None:
    m = model.matrix(places, mode, boat=boat)
    for arr in (m.minutes, m.km, m.boat_minutes):
        assert arr.dtype == np.float64
        assert np.all(np.diag(arr) == 0)
        assert np.array_equal(arr, arr.T)  # every mode is symmetric in the estimate
        assert np.all(arr >= 0)
    assert np.all(m.boat_minutes <= m.minutes)
    assert np.array_equal(m.via_port, m.via_port_end.T)  # b -> a is a -> b reversed
    assert not np.any(np.isnan(m.minutes))
    # unreachable is inf, never a big finite number
    assert np.all(np.isinf(m.minutes) | (m.minutes < 5000))


@FAST
@given(places=places_lists, mode=st.sampled_from(list(Mode)), boat=st.booleans())
@pytest.mark.parametrize("model", [PLAIN, WITH_LAND], ids=["straight", "land-detour"])
def test_triangle_inequality(
    model: EstimateTravelModel, places: list[Place], mode: Mode, boat: bool
) -> None:
    """Minutes: exact up to float rounding (1e-9), detours and sea legs included.

    Holds here because each island is served by one port; with several ports per island the
    composition does not route mainland pairs through an island (see planner.travel.sea).
    Km are the km of the fastest route, a metric only for land legs (a boat trip can be
    faster and longer than a walk across the island).
    """
    m = model.matrix(places, mode, boat=boat)
    _assert_triangle(m.minutes)
    if not boat or mode == Mode.perahu:
        _assert_triangle(m.km)


@FAST
@given(places=places_lists, mode=st.sampled_from(LAND_MODES))
def test_islands_need_a_boat_through_a_port(places: list[Place], mode: Mode) -> None:
    land = WITH_LAND.matrix(places, mode, boat=False)
    boat = WITH_LAND.matrix(places, mode, boat=True)
    for i, a in enumerate(places):
        for j, b in enumerate(places):
            same_land = a.island == b.island
            assert np.isfinite(land.minutes[i, j]) == same_land
            assert np.isfinite(boat.minutes[i, j])  # every island here has a port
            if not same_land:
                assert boat.via_port[i, j] >= 0 and boat.boat_minutes[i, j] > 0
                assert boat.ports_used(a.id, b.id)
            if same_land:  # a boat may beat a long walk on the same island, never lose to it
                assert boat.minutes[i, j] <= land.minutes[i, j]


@pytest.mark.parametrize("mode", LAND_MODES)
@pytest.mark.parametrize("model", [PLAIN, WITH_LAND], ids=["straight", "land-detour"])
def test_sea_leg_is_road_to_port_plus_boarding_plus_crossing(
    model: EstimateTravelModel, mode: Mode
) -> None:
    """minutes(depot, island) = road(depot, port) + boarding + crossing, to 1e-9 min."""
    params = model.params
    depot = Place("depot", 106.5, -6.4, Terrain.kota)
    isl1 = Place("isl1", 106.2, -5.5, Terrain.desa, "I1")  # crossing given: 60 min from p1
    isl2 = Place("isl2", 106.6, -5.55, Terrain.desa, "I2")  # crossing from boat speed
    m = model.matrix([depot, isl1, isl2], mode, boat=True)
    ports = {p.id: p for p in PORTS}
    road = model.matrix([depot, ports["p1"].as_place(), ports["p2"].as_place()], mode)

    sea1 = params.boarding_minutes + 60.0
    assert m.travel_minutes("depot", "isl1") == pytest.approx(road.minutes[0, 1] + sea1, abs=TOL)
    assert m.boat_minutes[0, 1] == pytest.approx(sea1, abs=TOL)
    assert m.ports_used("depot", "isl1") == ("p1",)

    km2 = float(haversine_km(*map(np.array, (106.6, -5.85, 106.6, -5.55))))
    km2 *= params.circuity[Mode.perahu]
    sea2 = params.boarding_minutes + km2 / params.trunk_speed_kmh[Mode.perahu] * 60
    assert m.travel_minutes("depot", "isl2") == pytest.approx(road.minutes[0, 2] + sea2, abs=TOL)
    assert m.distance_km("depot", "isl2") == pytest.approx(road.km[0, 2] + km2, abs=TOL)
    assert m.ports_used("isl2", "depot") == ("p2",)

    # island -> port -> road between ports -> port -> island
    between = model.matrix([ports["p1"].as_place(), ports["p2"].as_place()], mode).minutes[0, 1]
    assert m.travel_minutes("isl1", "isl2") == pytest.approx(sea1 + between + sea2, abs=TOL)
    assert m.ports_used("isl1", "isl2") == ("p1", "p2")


def test_one_port_serving_two_islands_goes_port_to_island() -> None:
    port = Port("hub", "Hub", 106.2, -5.9, {"A": 30.0, "B": 40.0})
    model = EstimateTravelModel(ports=[port])
    a, b = Place("a", 106.1, -5.7, island="A"), Place("b", 106.3, -5.7, island="B")
    m = model.matrix([a, b], Mode.mobil, boat=True)
    boarding = model.params.boarding_minutes
    assert m.minutes[0, 1] == pytest.approx(2 * boarding + 70.0, abs=TOL)
    assert m.boat_minutes[0, 1] == m.minutes[0, 1]
    assert m.ports_used("a", "b") == ("hub",)
    assert not np.isfinite(model.matrix([a, b], Mode.mobil).minutes[0, 1])


def test_island_without_port_stays_unreachable() -> None:
    model = EstimateTravelModel(ports=PORTS)
    far = Place("far", 105.0, -5.0, island="nowhere")
    m = model.matrix([Place("d", 106.5, -6.4), far], Mode.mobil, boat=True)
    assert np.isinf(m.minutes[0, 1]) and m.via_port[0, 1] == -1


def test_perahu_is_boat_only_movement() -> None:
    """perahu: straight sea lines at boat speed + boarding, every pair reachable."""
    params = TravelParams()
    places = [Place("a", 106.1, -5.9), Place("b", 106.2, -5.5, island="I1")]
    m = EstimateTravelModel().matrix(places, Mode.perahu)
    km = float(haversine_km(*map(np.array, (106.1, -5.9, 106.2, -5.5)))) * 1.1
    assert m.km[0, 1] == pytest.approx(km)
    assert m.minutes[0, 1] == pytest.approx(km / 15 * 60 + params.boarding_minutes)
    assert np.array_equal(m.boat_minutes, m.minutes) and m.boat_allowed


def test_land_travel_drives_round_the_bay() -> None:
    """Across the 44 km wide synthetic bay (points 22 km from its head) the road goes round."""
    west, east = Place("w", 105.95, -6.0), Place("e", 106.45, -6.0)
    straight = PLAIN.matrix([west, east], Mode.mobil)
    detour = WITH_LAND.matrix([west, east], Mode.mobil)
    base_straight = float(haversine_km(*map(np.array, (105.95, -6.0, 106.45, -6.0))))
    assert detour.minutes[0, 1] > 1.5 * straight.minutes[0, 1]
    # round the bay: 2 x 22 km + 44 km across, less what the grid cuts at corners (<= 2 cells)
    # and its 2.75 % stretch discount; x 1.35 circuity
    assert detour.km[0, 1] > (2 * 22 + 44 - 4) / 1.0275 * 1.35 > base_straight * 1.35
    legs = WITH_LAND.leg_geometry(west, east, Mode.mobil)
    assert len(legs) == 1 and legs[0].kind == "road" and legs[0].coords[0] == (105.95, -6.0)
    line = shapely.LineString(legs[0].coords)
    assert line.intersection(box(106.05, -6.1, 106.35, -5.8)).is_empty  # stays off the bay
    # on open land the detour model equals the straight-line model
    a, b = Place("a", 105.8, -6.6), Place("b", 106.6, -6.5)
    assert WITH_LAND.matrix([a, b], Mode.motor).minutes[0, 1] == pytest.approx(
        PLAIN.matrix([a, b], Mode.motor).minutes[0, 1], rel=0.03
    )


def test_leg_geometry_sea_legs_through_the_port() -> None:
    depot, isl = Place("d", 106.5, -6.4), Place("i", 106.2, -5.5, island="I1")
    legs = PLAIN.leg_geometry(depot, isl, Mode.mobil, boat=True)
    assert [s.kind for s in legs] == ["road", "sea"]
    assert legs[0].coords[-1] == (106.1, -5.81) == legs[1].coords[0]
    assert legs[1].coords[-1] == (106.2, -5.5)
    walk = PLAIN.leg_geometry(depot, isl, Mode.jalan_kaki, boat=True)
    assert [s.kind for s in walk] == ["walk", "sea"]
    with pytest.raises(TravelError, match="boat=True"):
        PLAIN.leg_geometry(depot, isl, Mode.mobil)


def test_terrain_and_mode_change_the_access_legs() -> None:
    a, b = (106.0, -6.5), (106.3, -6.4)
    mins = {
        t: PLAIN.matrix([Place("a", *a, t), Place("b", *b, t)], Mode.mobil).minutes[0, 1]
        for t in Terrain
    }
    assert mins[Terrain.kota] < mins[Terrain.desa] < mins[Terrain.hutan]
    pair = [Place("a", *a), Place("b", *b)]
    by_mode = {m: PLAIN.matrix(pair, m).minutes[0, 1] for m in LAND_MODES}
    assert by_mode[Mode.motor] < by_mode[Mode.mobil] < by_mode[Mode.jalan_kaki]
    assert terrain_from_code("36.73.01.1001") == Terrain.kota
    assert terrain_from_code("36.04.13.2009") == Terrain.desa


def test_params_partial_override_and_validation() -> None:
    p = TravelParams.model_validate(
        {"trunk_speed_kmh": {"mobil": 30.0}, "access_speed_kmh": {"motor": {"hutan": 10}}}
    )
    assert p.trunk_speed_kmh[Mode.mobil] == 30.0 and p.trunk_speed_kmh[Mode.motor] == 42.0
    assert p.access_speed_kmh[Mode.motor][Terrain.hutan] == 10.0
    assert p.access_speed_kmh[Mode.motor][Terrain.kota] == 22.0
    with pytest.raises(ValueError, match="trunk_speed_kmh"):
        TravelParams.model_validate({"trunk_speed_kmh": {"mobil": 0.0}})


def test_duplicate_ids_rejected() -> None:
    with pytest.raises(TravelError, match="duplicate"):
        PLAIN.matrix([Place("a", 106, -6), Place("a", 106.1, -6)], Mode.mobil)


def test_nearest_minutes_matches_brute_force() -> None:
    rng = np.random.default_rng(3)
    villages = [Place(f"v{i}", 105.7 + rng.random(), -6.7 + rng.random() * 0.8) for i in range(30)]
    villages.append(Place("isl", 106.2, -5.5, island="I1"))
    depots = [Place(f"d{i}", 105.7 + rng.random(), -6.7 + rng.random() * 0.8) for i in range(4)]
    minutes, index = nearest_minutes(WITH_LAND, villages, depots, Mode.mobil)
    nv = len(villages)
    full = WITH_LAND.matrix([*villages, *depots], Mode.mobil).minutes[nv:, :nv]
    assert np.allclose(minutes[:-1], full.min(axis=0)[:-1])
    assert np.array_equal(index[:-1], full.argmin(axis=0)[:-1])
    assert np.isinf(minutes[-1]) and index[-1] == -1
    by_boat, _ = nearest_minutes(WITH_LAND, villages, depots, Mode.mobil, boat=True)
    assert np.isfinite(by_boat[-1])


# -- CSV provider ------------------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_matrix_reads_pairs_and_fills_the_reverse(tmp_path: Path) -> None:
    csv = _write(tmp_path / "m.csv", "from,to,minutes,km\na,b,10,5\nb,c,20,8\na,c,25,12\n")
    model = MatrixTravelModel.from_csv(csv)
    places = [Place("a", 106, -6), Place("b", 106.1, -6), Place("c", 106.2, -6)]
    m = model.matrix(places, Mode.mobil)
    assert m.minutes.tolist() == [[0, 10, 25], [10, 0, 20], [25, 20, 0]]
    assert m.km[2, 1] == 8
    assert model.leg_geometry(places[0], places[1], Mode.mobil)[0].coords == [
        (106, -6),
        (106.1, -6),
    ]


def test_csv_matrix_lists_every_problem(tmp_path: Path) -> None:
    csv = _write(
        tmp_path / "bad.csv",
        "from,to,minutes,km,mode\n"
        "a,b,ten,5,mobil\n"  # row 2 non-numeric
        "a,c,-3,5,mobil\n"  # row 3 negative
        "b,c,4,x,mobil\n"  # row 4 non-numeric km
        "a,b,1,1,helicopter\n"  # row 5 unknown mode
        ",c,1,1,motor\n",  # row 6 empty id
    )
    with pytest.raises(TravelError) as err:
        MatrixTravelModel.from_csv(csv)
    problems = err.value.problems
    assert len(problems) == 5, problems
    assert any("row 2" in p and "'minutes'" in p and "not a number" in p for p in problems)
    assert any("row 3" in p and ">= 0" in p for p in problems)
    assert any("row 4" in p and "'km'" in p for p in problems)
    assert any("row 5" in p and "helicopter" in p for p in problems)
    assert any("row 6" in p and "empty place id" in p for p in problems)


def test_csv_matrix_missing_columns_and_pairs(tmp_path: Path) -> None:
    with pytest.raises(TravelError, match="columns are"):
        MatrixTravelModel.from_csv(_write(tmp_path / "c.csv", "origin,dest,minutes\n"))
    model = MatrixTravelModel.from_csv(_write(tmp_path / "m.csv", "from,to,minutes,km\na,b,1,1\n"))
    places = [Place("a", 106, -6), Place("b", 106.1, -6), Place("c", 106.2, -6)]
    with pytest.raises(TravelError) as err:
        model.matrix(places, Mode.mobil)
    assert sorted(err.value.problems) == sorted(
        f"{tmp_path / 'm.csv'}: mode mobil: missing pair {p}"
        for p in ("a -> c", "b -> c", "c -> a", "c -> b")
    )
    # island pairs need no row; sea legs use ports listed in the CSV
    csv = _write(tmp_path / "s.csv", "from,to,minutes,km\nd,p1,15,9\n")
    sea = MatrixTravelModel.from_csv(csv, ports=[PORTS[0]])
    m = sea.matrix(
        [Place("d", 106, -6), Place("i", 106.2, -5.5, island="I1")], Mode.motor, boat=True
    )
    assert m.minutes[0, 1] == pytest.approx(15 + TravelParams().boarding_minutes + 60)


def test_csv_mode_column_selects_rows(tmp_path: Path) -> None:
    csv = _write(tmp_path / "m.csv", "from,to,minutes,km,mode\na,b,10,5,mobil\na,b,8,5,motor\n")
    model = MatrixTravelModel.from_csv(csv)
    places = [Place("a", 106, -6), Place("b", 106.1, -6)]
    assert model.matrix(places, Mode.motor).minutes[0, 1] == 8
    with pytest.raises(TravelError, match="no rows for mode 'jalan_kaki'"):
        model.matrix(places, Mode.jalan_kaki)


# -- cache ---------------------------------------------------------------------------------------


def _grid_places(n: int) -> list[Place]:
    rng = np.random.default_rng(7)
    lon = 105.65 + rng.random(n) * 1.1
    lat = -6.75 + rng.random(n) * 0.9
    keep = shapely.contains_xy(BAY_LAND, lon, lat)
    return [
        Place(f"p{i}", float(x), float(y))
        for i, (x, y) in enumerate(zip(lon[keep], lat[keep], strict=True))
    ]


def test_cache_hit_is_identical_and_fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    places = _grid_places(1200)
    cold_model = EstimateTravelModel(ports=PORTS, land=BAY_LAND, cache=TravelCache(tmp_path))
    t0 = time.perf_counter()
    cold = cold_model.matrix(places, Mode.mobil, boat=True)
    t_cold = time.perf_counter() - t0
    assert len(list(tmp_path.glob("*.npz"))) == 1

    warm_model = EstimateTravelModel(ports=PORTS, land=BAY_LAND, cache=TravelCache(tmp_path))

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("cache miss")

    monkeypatch.setattr(warm_model, "land_legs", no_build)
    t0 = time.perf_counter()
    warm = warm_model.matrix(places, Mode.mobil, boat=True)
    t_warm = time.perf_counter() - t0
    for name in ("minutes", "km", "boat_minutes", "via_port", "via_port_end"):
        assert np.array_equal(getattr(cold, name), getattr(warm, name)), name
    assert warm.ids == cold.ids and warm.ports == cold.ports and warm.mode == cold.mode
    assert t_warm < t_cold, (t_warm, t_cold)

    # any changed input is a different key
    keys = {
        cold_model.cache_key(places, Mode.mobil, True),
        cold_model.cache_key(places, Mode.motor, True),
        cold_model.cache_key(places, Mode.mobil, False),
        cold_model.cache_key(places[:-1], Mode.mobil, True),
        EstimateTravelModel(ports=PORTS[:1], land=BAY_LAND).cache_key(places, Mode.mobil, True),
        EstimateTravelModel(ports=PORTS, land=None).cache_key(places, Mode.mobil, True),
        EstimateTravelModel(
            TravelParams(boarding_minutes=10), ports=PORTS, land=BAY_LAND
        ).cache_key(places, Mode.mobil, True),
    }
    assert len(keys) == 7


def test_corrupt_cache_file_is_rebuilt(tmp_path: Path) -> None:
    cache = TravelCache(tmp_path)
    model = EstimateTravelModel(cache=cache)
    places = [Place("a", 106, -6), Place("b", 106.1, -6.1)]
    first = model.matrix(places, Mode.motor)
    (path,) = tmp_path.glob("*.npz")
    path.write_bytes(b"not a zip file")
    again = model.matrix(places, Mode.motor)
    assert np.array_equal(first.minutes, again.minutes)
    assert np.load(path)["minutes"].shape == (2, 2)  # rewritten
    assert cache.clear() == 1 and not list(tmp_path.glob("*.npz"))


def test_cache_folder_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JEMPUT_CACHE_DIR", str(tmp_path))
    model = EstimateTravelModel(cache=True)
    model.matrix([Place("a", 106, -6), Place("b", 106.1, -6.1)], Mode.mobil)
    assert len(list((tmp_path / "travel").glob("*.npz"))) == 1


# -- plausibility on real Banten coordinates ----------------------------------------------------


@pytest.fixture(scope="module")
def banten() -> dict[str, object]:
    """Banten villages, land, ports, depots: from ``planner.io.region`` (geodata/banten)."""
    from planner.io.region import load_region

    region = load_region("banten")
    villages = region.villages
    land = shapely.union_all(villages.geometry.values)
    parts = sorted(getattr(land, "geoms", [land]), key=lambda g: g.area, reverse=True)
    mainland = parts[0]
    points = villages.geometry.representative_point()
    places = {}
    for kode, pt in zip(villages["kode"], points, strict=True):
        island = None if mainland.contains(pt) else str(kode)
        places[str(kode)] = Place(str(kode), pt.x, pt.y, terrain_from_code(str(kode)), island)
    ports: dict[str, dict[str, float | None]] = {}
    coords: dict[str, tuple[str, float, float]] = {}
    for row in region.ports.to_dict("records"):
        crossing = float(row["crossing_minutes"])
        minutes = crossing if np.isfinite(crossing) else None
        ports.setdefault(str(row["port_id"]), {})[str(row["serves_kode_desa"])] = minutes
        coords[str(row["port_id"])] = (str(row["port_name"]), float(row["lon"]), float(row["lat"]))
    port_list = [
        Port(pid, coords[pid][0], coords[pid][1], coords[pid][2], s) for pid, s in ports.items()
    ]
    depots = {
        str(r["depot_id"]): Place(
            str(r["depot_id"]), float(r["lon"]), float(r["lat"]), Terrain.kota
        )
        for r in region.depots.to_dict("records")
    }
    return {
        "places": places,
        "land": villages.geometry.values,  # the polygons as they are: no union needed
        "union": land,
        "ports": port_list,
        "depots": depots,
    }


def test_banten_road_times_are_plausible(banten: dict) -> None:
    """Car times between regency towns.

    * Serang -> Pandeglang (Disdukcapil Kota Serang area to Disdukcapil Pandeglang, ~23 km):
      accepted 40-75 min. Google Maps-style figures for Serang-Pandeglang are ~45-60 min
      (~25-30 km on Jl. Raya Serang-Pandeglang); the margin covers traffic.
    * Serang -> Rangkasbitung (~28 km straight, ~40-45 km by road via Petir/Cikeusal):
      accepted 60-120 min (published bus/car trip ~1-1.5 h, worse at market hours).
    """
    model = EstimateTravelModel(land=banten["land"])
    serang = Place("serang", 106.1503, -6.1200, Terrain.kota)  # alun-alun Kota Serang
    d = banten["depots"]
    m = model.matrix([serang, d["dinas-36.01"], d["dinas-36.02"]], Mode.mobil)
    assert 40 <= m.minutes[0, 1] <= 75, m.minutes[0, 1]
    assert 60 <= m.minutes[0, 2] <= 120, m.minutes[0, 2]
    motor = model.matrix([serang, d["dinas-36.01"], d["dinas-36.02"]], Mode.motor)
    assert motor.minutes[0, 2] < m.minutes[0, 2]


def test_banten_pulau_tunda_by_boat_from_karangantu(banten: dict) -> None:
    """Karangantu -> Pulau Tunda (Wargasara 36.04.13.2009): ~2 h crossing + boarding.

    Source of the 120 min: geodata/banten/ports.csv (travel blogs: ~2 h by fishing boat, up to
    3 h in rough weather). Accepted: minutes from the Karangantu port place = boarding (30)
    + 120 + its short urban access leg (<= 5 min); from Disdukcapil Kota Serang 2.5-3.5 h.
    """
    model = EstimateTravelModel(ports=banten["ports"], land=banten["land"])
    tunda = banten["places"]["36.04.13.2009"]
    assert tunda.island == "36.04.13.2009"
    karangantu = next(p for p in banten["ports"] if p.id == "karangantu")
    serang = banten["depots"]["dinas-36.73"]
    m = model.matrix([karangantu.as_place(), serang, tunda], Mode.mobil, boat=True)
    boarding = model.params.boarding_minutes
    assert 150 <= m.minutes[0, 2] <= 150 + 5
    assert m.boat_minutes[0, 2] == pytest.approx(boarding + 120)
    assert 150 <= m.minutes[1, 2] <= 210
    assert m.ports_used("dinas-36.73", "36.04.13.2009") == ("karangantu",)
    assert np.isinf(model.matrix([serang, tunda], Mode.mobil).minutes[0, 1])


def test_banten_teluk_banten_detour(banten: dict) -> None:
    """Pulo Ampel (west shore of Teluk Banten) -> Tanara (east shore), ~35 km apart.

    The straight line runs over the bay; the road goes round it through Kramatwatu and the
    Serang ring (Bojonegara - Kramatwatu - Kasemen - Pontang - Tanara), ~55-65 km on the map.
    Accepted: 50-75 km by car with the land grid, and longer than the straight-line estimate.
    """
    model = EstimateTravelModel(land=banten["land"])
    plain = EstimateTravelModel()
    west, east = Place("w", 106.08, -5.93), Place("e", 106.39, -6.01)
    detour = model.matrix([west, east], Mode.mobil).km[0, 1]
    assert 50 <= detour <= 75, detour
    assert detour > 1.1 * plain.matrix([west, east], Mode.mobil).km[0, 1]


def test_bad_places_and_ports_are_listed() -> None:
    with pytest.raises(TravelError) as err:
        PLAIN.matrix([Place("a", float("nan"), -6), Place("b", -6.1, 106.1)], Mode.mobil)
    assert len(err.value.problems) == 2 and "swapped" in err.value.problems[1]
    with pytest.raises(TravelError) as err:
        EstimateTravelModel(ports=[Port("p", "P", 106, -6, {"x": -5.0}), Port("p", "Q", 0, 0)])
    assert len(err.value.problems) == 2


def test_banten_land_matrix_is_a_metric(banten: dict) -> None:
    """Triangle inequality, exact to 1e-9 min, on 150 real villages with the Banten land grid."""
    rng = np.random.default_rng(11)
    mainland = [p for p in banten["places"].values() if p.island is None]
    sample = [mainland[i] for i in rng.choice(len(mainland), 150, replace=False)]
    m = EstimateTravelModel(land=banten["land"]).matrix(sample, Mode.motor)
    assert np.all(np.isfinite(m.minutes)) and np.array_equal(m.minutes, m.minutes.T)
    _assert_triangle(m.minutes)
    _assert_triangle(m.km)


def test_banten_land_grid_from_parts_equals_union(banten: dict) -> None:
    """Rasterising the village polygons directly gives the grid of their union."""
    from planner.travel.landgrid import LandGrid

    from_parts = LandGrid(banten["land"], 2.0)
    from_union = LandGrid(banten["union"], 2.0)
    assert np.array_equal(from_parts.mask, from_union.mask)
    assert from_parts.mask.sum() > 2000  # ~9,700 km2 of land in 4 km2 cells


def test_submatrix_keeps_every_array() -> None:
    places = [Place("d", 106.5, -6.4), Place("i", 106.2, -5.5, island="I1"), Place("x", 106, -6.5)]
    m = PLAIN.matrix(places, Mode.motor, boat=True)
    sub = m.submatrix(["i", "d"])
    assert sub.ids == ("i", "d") and sub.minutes[1, 0] == m.minutes[0, 1]
    assert sub.ports_used("d", "i") == m.ports_used("d", "i") == ("p1",)
    with pytest.raises(TravelError, match="not in the travel matrix"):
        m.submatrix(["nope"])
