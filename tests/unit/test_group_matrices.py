"""Travel matrices per team group: each covers its group's places, and its entries are the
entries a matrix over every place of the week would have (``planner.week.plan.prepare_week``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import box

from planner.domain.config import load_policy, teams_from_dict
from planner.travel import EstimateTravelModel, Mode, Place, Port, TravelMatrix, TravelModel
from planner.travel.landgrid import GRID_STRETCH, LandGrid
from planner.week.groups import profile_of, site_place
from planner.week.prepare import WeekPlaces, prepare_week
from planner.week.types import PinnedVisit, WeekInputs

WEEK = date(2017, 11, 13)
ARRAYS = ("minutes", "km", "boat_minutes", "via_port", "via_port_end")

# Kota Serang and Cilegon by car, Kab. Serang by car and by boat (its islands)
TEAMS = [
    {"id": "kota", "name": "Kota Serang", "depot": "dinas-36.73"},
    {"id": "cilegon", "name": "Cilegon", "depot": "dinas-36.72"},
    {"id": "darat", "name": "Serang darat", "depot": "dinas-36.04"},
    {"id": "pulau", "name": "Serang pulau", "depot": "dinas-36.04", "boat": True},
]


class Counting:
    """Wraps a travel model's ``matrix`` and records every call: place ids, mode, boat."""

    def __init__(self, model: TravelModel) -> None:
        self.model = model
        self.calls: list[tuple[tuple[str, ...], str, bool]] = []
        self._matrix = model.matrix

    def __enter__(self) -> Counting:
        def counted(places: Sequence[Place], mode: Mode, *, boat: bool = False) -> TravelMatrix:
            self.calls.append((tuple(p.id for p in places), str(mode), boat))
            return self._matrix(places, mode, boat=boat)

        self.model.matrix = counted  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        del self.model.matrix  # back to the class method


@pytest.fixture(scope="module")
def env(banten, banten_classified):  # type: ignore[no-untyped-def]
    from planner.geo.estimate import estimate_registry
    from planner.travel.regional import travel_model_for

    registry = estimate_registry(banten, banten_classified)
    teams = teams_from_dict({"teams": TEAMS}, source="test-teams.toml")
    return banten, banten_classified, registry, teams, travel_model_for(banten, cache=False)


def _prepare(env: Any, pinned: Sequence[PinnedVisit] = ()) -> Any:
    region, classified, registry, teams, travel = env
    inputs = WeekInputs(region, classified, registry, teams, load_policy(None), WEEK, travel)
    return prepare_week(inputs, pinned=pinned)


def test_each_group_matrix_covers_only_its_groups_places(env: Any) -> None:
    travel = env[-1]
    with Counting(travel) as counting:
        prepared = _prepare(env)
    kab_of = dict(zip(prepared.sites["site_id"], prepared.sites["kode_kab"], strict=True))
    with_demand = prepared.sites[prepared.sites["expected"] > 0]
    assert len(prepared.groups) == 3
    for group in prepared.groups:
        for matrix in group.matrices.values():
            assert matrix.ids == group.places
    # every matrix built is over one group's depots and the sites of its regency, never
    # over the week (the old week matrix held all 1,553 sites of Banten)
    for ids, _, _ in counting.calls:
        kabs = {kab_of[i] for i in ids if i in kab_of}
        assert len(kabs) == 1, kabs
        assert len(ids) < len(with_demand) / 2
    assert len(counting.calls) == 4  # 3 groups, the Kab. Serang group with 2 profiles


def test_group_entries_equal_the_week_matrix_entries(env: Any) -> None:
    from planner.travel.regional import depot_places

    region, _, _, teams, travel = env
    prepared = _prepare(env)
    with_demand = prepared.sites[prepared.sites["expected"] > 0]
    depots = {p.id: p for p in depot_places(region)}
    week = [depots[d] for d in sorted({t.depot for t in teams.teams})]
    week += [site_place(row) for _, row in with_demand.iterrows()]
    compared = 0
    for team in teams.teams:
        whole = travel.matrix(week, Mode(team.modes[0]), boat=team.boat)
        for group in prepared.groups:
            if team.id not in group.team_ids:
                continue
            mine = group.matrices[profile_of(team)]
            cut = whole.submatrix(group.places)
            for name in ARRAYS:
                assert np.array_equal(getattr(mine, name), getattr(cut, name)), name
            compared += 1
    assert compared == len(teams.teams)


def test_replan_with_pins_builds_each_matrix_once(env: Any) -> None:
    _, _, _, _, travel = env
    with Counting(travel) as plain:
        first = _prepare(env)
    sites = first.sites
    serang = sites[(sites["kode_kab"] == "36.73") & (sites["expected"] > 0)]
    # one pinned visit takes all its site's residents: the site has no demand left but its
    # place is needed; another takes part of a site
    full, part = serang.iloc[0], serang.iloc[1]
    pinned = [
        PinnedVisit("kota", date(2017, 11, 15), 1, str(full["site_id"]), int(full["expected"])),
        PinnedVisit("kota", date(2017, 11, 15), 2, str(part["site_id"]), 1),
    ]
    with Counting(travel) as pins:
        second = _prepare(env, pinned)
    # the old code built the week matrices a second time (with the pinned sites) on a re-plan
    assert len(pins.calls) == len(plain.calls)
    assert len(set(pins.calls)) == len(pins.calls)
    kota = next(g for g in second.groups if g.team_ids == ("kota",))
    assert str(full["site_id"]) in kota.places
    assert {c.site_id for c in kota.chunks if c.locked_vehicle_id} == {
        str(full["site_id"]),
        str(part["site_id"]),
    }


# -- the travel model: which entries depend on the other places ------------------------------

LAND = box(105.6, -6.8, 106.8, -5.8).difference(box(106.0, -6.2, 106.4, -5.8))
PORT = Port("p", "Port", 106.1, -5.81, {"I": None})  # crossing minutes from distance


def test_island_entries_depend_on_the_islands_places_and_places_for_keeps_them() -> None:
    """A boat lands at the island place nearest the port and drives on: a matrix without
    that place has a longer leg, so per-group matrices take every week site of an island."""
    model = EstimateTravelModel(ports=(PORT,), land=LAND)
    depot = Place("d", 106.5, -6.5)
    near = Place("near", 106.12, -5.70, island="I")  # ~12 km off the port
    far = Place("far", 106.35, -5.55, island="I")  # ~38 km off the port
    town = Place("t", 105.9, -6.4)
    whole = model.matrix([depot, near, far, town], Mode.mobil, boat=True)
    alone = model.matrix([depot, far], Mode.mobil, boat=True)
    assert alone.travel_minutes("d", "far") > whole.travel_minutes("d", "far")

    week = WeekPlaces({"d": depot}, {p.id: p for p in (near, town, far)})
    assert [p.id for p in week.places_for({"d"}, ["far"])] == ["d", "near", "far"]
    assert [p.id for p in week.places_for({"d"}, ["t"])] == ["d", "t"]
    group = model.matrix(week.places_for({"d"}, ["far"]), Mode.mobil, boat=True)
    for name in ARRAYS:
        got = getattr(group.submatrix(["d", "far"]), name)
        assert np.array_equal(got, getattr(whole.submatrix(["d", "far"]), name))


def test_cut_searches_give_the_full_search_distances() -> None:
    """Searches stopped near their targets (and redone in full round the bay) are exact."""
    grid = LandGrid(LAND, 2.0)
    lons = np.array([105.95, 106.45, 105.7, 106.7, 106.2, 105.9, 106.5])
    lats = np.array([-6.0, -6.0, -6.7, -6.75, -6.3, -6.5, -6.1])
    nodes = np.unique(grid.snap(lons, lats, grid.main))
    full = dijkstra(grid.graph, directed=True, indices=nodes)[:, nodes]
    assert np.array_equal(grid._node_km(nodes), full)
    # across the bay the way round is > 1.5x the straight line: beyond the cut, redone
    across = grid.geodesic_km([105.95, 106.45], [-6.0, -6.0])[0, 1] * GRID_STRETCH
    x, y = grid._to_metric.transform([105.95, 106.45], [-6.0, -6.0])
    straight = float(np.hypot(x[1] - x[0], y[1] - y[0])) / 1000.0
    assert across > 1.5 * straight
    everything = grid.geodesic_km(lons.tolist(), lats.tolist())
    part = [0, 1, 4]
    alone = grid.geodesic_km(lons[part].tolist(), lats[part].tolist())
    assert np.array_equal(alone, everything[np.ix_(part, part)])


def test_group_matrices_are_cached_on_disk_per_place_set(
    env: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.travel.regional import travel_model_for

    region, classified, registry, teams, _ = env
    monkeypatch.setenv("JEMPUT_CACHE_DIR", str(tmp_path))
    first = travel_model_for(region)
    with Counting(first) as counting:
        cold = _prepare((region, classified, registry, teams, first))
    assert len(list((tmp_path / "travel").glob("*.npz"))) == len(counting.calls) == 4
    warm_model = travel_model_for(region)

    def no_legs(*args: object, **kw: object) -> None:
        raise AssertionError("a cached matrix was computed again")

    monkeypatch.setattr(warm_model, "_legs", no_legs)
    warm = _prepare((region, classified, registry, teams, warm_model))
    for a, b in zip(cold.groups, warm.groups, strict=True):
        assert a.places == b.places
        for profile, matrix in a.matrices.items():
            assert np.array_equal(matrix.minutes, b.matrices[profile].minutes)
