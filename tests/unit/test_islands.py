"""Island regions: land parts, the pulau rule, the sea network, and plans that obey the sea.

On a cut of real Kepulauan Anambas polygons (``tests/island_region.py``): no mainland, the
office on Pulau Siantan, a land team on Pulau Matak, a boat team, ferries, a charter, an
out-of-region port and a ``serves_kode_desa`` crossing.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from island_region import (
    BATU_BELAH,
    MATAK,
    NYAMUK,
    SIANTAN,
    TEAMS,
    write_island_region,
)

from planner.core.errors import RegionError
from planner.domain.config import apply_overrides, load_policy, teams_from_dict
from planner.geo.estimate import estimate_registry
from planner.geo.region_classes import classify_region
from planner.io.region import load_region
from planner.travel import Mode
from planner.travel.geodesic import haversine_km
from planner.travel.regional import (
    depot_places,
    region_ports,
    site_places,
    travel_model_for,
)
from planner.week.plan import plan_week
from planner.week.types import WeekInputs
from planner.week.verify import verify_plan

WEEK = date(2017, 11, 13)


@pytest.fixture(scope="module")
def island(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = write_island_region(tmp_path_factory.mktemp("anambas") / "anambas-test")
    region = load_region(root)
    classified = classify_region(region)
    travel = travel_model_for(region, cache=False)
    return region, classified, travel


@pytest.fixture(scope="module")
def island_plan(island):  # type: ignore[no-untyped-def]
    region, classified, travel = island
    teams = teams_from_dict(TEAMS, source="test-teams.toml")
    policy = apply_overrides(
        load_policy(None), {"solver": {"time_limit_s": 5, "solution_limit": 200}}
    )
    registry = estimate_registry(region, classified)
    return plan_week(WeekInputs(region, classified, registry, teams, policy, WEEK, travel))


def test_no_mainland_pulau_by_office_part(island) -> None:  # type: ignore[no-untyped-def]
    _, classified, _ = island
    villages = classified.villages.set_index("kode")
    # the office's island (Siantan) is not pulau although it is itself an island
    assert not villages.loc[SIANTAN, "is_pulau"].any()
    assert villages.loc[[*MATAK, NYAMUK, BATU_BELAH], "is_pulau"].all()
    assert "kantor Disdukcapil (Pulau Siantan)" in villages.at[MATAK[0], "alasan_pulau"]
    sites = classified.sites.set_index("site_id")
    assert sites.loc[SIANTAN, "island"].nunique() == 1
    assert sites.loc[MATAK, "island"].nunique() == 1
    assert sites.at[SIANTAN[0], "island"] != sites.at[MATAK[0], "island"]
    # every part key is unique to its part
    assert len(set(sites.loc[[SIANTAN[0], MATAK[0], NYAMUK, BATU_BELAH], "island"])) == 4


def test_depots_and_ports_stand_on_their_parts(island) -> None:  # type: ignore[no-untyped-def]
    region, classified, _ = island
    sites = classified.sites.set_index("site_id")
    depots = {p.id: p for p in depot_places(region)}
    assert depots["dinas-21.05"].island == sites.at[SIANTAN[0], "island"]
    assert depots["kec-21.05.02"].island == sites.at[MATAK[0], "island"]
    ports = {p.id: p for p in region_ports(region)}
    assert ports["antang"].island == sites.at[MATAK[0], "island"]
    assert ports["letung"].island == "port:letung"  # outside the region: reached by sea only
    assert ports["tarempa"].serves == {sites.at[BATU_BELAH, "island"]: 50.0}


def test_legs_between_parts_go_by_boat(island) -> None:  # type: ignore[no-untyped-def]
    region, classified, travel = island
    places = depot_places(region) + site_places(classified.sites)
    by_id = {p.id: p for p in places}
    land = travel.matrix(places, Mode.motor, boat=False)
    boat = travel.matrix(places, Mode.motor, boat=True)
    part = np.array([p.island for p in places], dtype=object)
    apart = part[:, None] != part[None, :]
    # without a boat another part is unreachable; inside a part nothing uses a boat
    assert np.isinf(land.minutes[apart]).all()
    assert (boat.boat_minutes[~apart] == 0).all()
    assert np.array_equal(boat.minutes[~apart], land.minutes[~apart])
    crossing = apart & np.isfinite(boat.minutes)
    assert crossing.any() and (boat.boat_minutes[crossing] > 0).all()
    # the office to Matak: the ferry Tarempa -> Matak, 40 min + 20 min boarding ([sea])
    i, j = boat.index("dinas-21.05"), boat.index(MATAK[2])
    assert boat.boat_minutes[i, j] == pytest.approx(60.0)
    assert boat.ports_used("dinas-21.05", MATAK[2]) == ("tarempa", "antang")
    # the office to Nyamuk: the charter at 25 km/h ([sea]), straight line x boat circuity
    geometry = travel.leg_geometry(by_id["dinas-21.05"], by_id[NYAMUK], Mode.motor, boat=True)
    assert [g.kind for g in geometry].count("sea") == 1
    sea = next(g for g in geometry if g.kind == "sea")
    ports = {p.id: p for p in travel.ports}
    assert sea.coords[0] == (ports["tarempa"].lon, ports["tarempa"].lat)
    assert sea.coords[-1] == (ports["nyamuk"].lon, ports["nyamuk"].lat)


def test_ferry_days(island) -> None:  # type: ignore[no-untyped-def]
    _, _, travel = island
    graph_any = travel.ports_graph(Mode.motor)
    ids = [p.id for p in travel.ports]
    t, letung = ids.index("tarempa"), ids.index("letung")
    # Mon,Thu ferry: 240 + 20 minutes on Monday (0), none on Tuesday (1)
    assert graph_any.minutes[t, letung] == pytest.approx(260.0)
    assert travel.ports_graph(Mode.motor, weekday=0).minutes[t, letung] == pytest.approx(260.0)
    assert np.isinf(travel.ports_graph(Mode.motor, weekday=1).minutes[t, letung])
    # one direction only: no ferry back from Letung
    assert np.isinf(graph_any.minutes[letung, t])


def test_plan_obeys_the_sea(island, island_plan) -> None:  # type: ignore[no-untyped-def]
    _, classified, _ = island
    plan = island_plan
    assert verify_plan(plan) == []
    part = dict(zip(classified.sites["site_id"], classified.sites["island"], strict=True))
    it = plan.itinerary
    assert len(it) > 0
    # the land teams work their own island, by land
    matak = it[it["team_id"] == "matak"]
    siantan = it[it["team_id"] == "siantan"]
    assert len(matak) and {part[s] for s in matak["site_id"]} == {part[MATAK[0]]}
    assert len(siantan) and {part[s] for s in siantan["site_id"]} == {part[SIANTAN[0]]}
    land = it[it["team_id"] != "laut"]
    assert (land["boat_minutes"] == 0).all() and (land["mode"] == "motor").all()
    assert (land["ports"] == "").all()
    # the boat team's legs: "+perahu" exactly when the leg has boat minutes, ports named
    boat = it[it["team_id"] == "laut"]
    assert len(boat) and (boat["boat_minutes"] > 0).any()
    by_boat = boat["boat_minutes"] > 0
    assert (boat.loc[by_boat, "mode"] == "motor+perahu").all()
    assert (boat.loc[~by_boat, "mode"] == "motor").all()
    assert boat.loc[by_boat, "ports"].str.contains("Pelabuhan Tarempa").all()
    # an island without any port is left out with that reason, not "does not fit a day"
    reasons = dict(zip(plan.unplanned["site_id"], plan.unplanned["reason_code"], strict=True))
    assert reasons.get("21.05.03.2003") == "no_port"


def test_sea_links_errors_are_one_line_each(tmp_path: Path) -> None:
    bad = (
        "link_id,from_port,to_port,kind,days,departure,minutes,cost_idr,cost_unit,source_url,"
        "note\n"
        "a,tarempa,antang,ferry,Mon,25:00,40,,per_person,,\n"
        "b,tarempa,nowhere,boat,Funday,,x,,per_kg,,\n"
        "c,antang,antang,ferry,,,,,,,\n"
    )
    root = write_island_region(tmp_path / "r", sea_links=bad)
    with pytest.raises(RegionError) as info:
        load_region(root)
    lines = [str(p) for p in info.value.problems]
    text = "\n".join(lines)
    assert "row 2, column 'departure'" in text
    assert "row 3, column 'kind'" in text and "row 3, column 'days'" in text
    assert "row 3, column 'minutes': not a number" in text
    assert "row 3, column 'cost_unit'" in text and "row 3, column 'to_port'" in text
    # a ferry without published days or minutes is not an error (see the test below)
    assert "row 4, column 'days'" not in text and "row 4, column 'minutes'" not in text
    assert "row 4, column 'to_port': from_port and to_port are the same port" in text
    assert all("sea_links.csv" in line for line in lines)


def test_ferry_without_days_or_minutes(tmp_path: Path) -> None:
    """Days not published: kept, never planned on. Minutes not published: the distance at
    ``[sea] ferry_speed_kmh`` (an assumption), plus boarding."""
    links = (
        "link_id,from_port,to_port,kind,days,departure,minutes,cost_idr,cost_unit,source_url,"
        "note\n"
        "u,tarempa,antang,ferry,,,40,,,,days not published\n"
        "m,antang,tarempa,ferry,daily,,,,,,minutes not published\n"
    )
    region = load_region(write_island_region(tmp_path / "r", sea_links=links))
    travel = travel_model_for(region, cache=False)
    ids = [p.id for p in travel.ports]
    t, a = ids.index("tarempa"), ids.index("antang")
    graph = travel.ports_graph(Mode.motor)
    by_id = {p.id: p for p in travel.ports}
    km = haversine_km(
        np.array(by_id["antang"].lon), np.array(by_id["antang"].lat),
        np.array(by_id["tarempa"].lon), np.array(by_id["tarempa"].lat),
    )  # fmt: skip
    params = travel.params
    expected = float(km) * params.circuity[Mode.perahu] / 20.0 * 60 + params.boarding_minutes
    assert graph.minutes[a, t] == pytest.approx(expected)
    assert graph.minutes[a, t] > 40  # not the zero-minute crossing of a missing value
    # Tarempa -> Antang only by the days-unknown ferry: on no day, not even "some day"
    assert np.isinf(graph.minutes[t, a])
    assert all(np.isinf(travel.ports_graph(Mode.motor, weekday=d).minutes[t, a]) for d in range(7))


def test_no_false_population_error_after_a_toml_error(tmp_path: Path) -> None:
    root = write_island_region(tmp_path / "r")
    toml = root / "region.toml"
    toml.write_text(toml.read_text().replace('timezone_label = "WIB"', 'timezone_label = "XX"'))
    with pytest.raises(RegionError) as info:
        load_region(root)
    lines = [str(p) for p in info.value.problems]
    assert len(lines) == 1 and "timezone_label" in lines[0]


def test_ferry_days_in_the_week(tmp_path: Path) -> None:
    """Ferries to Matak only on Mon/Wed/Fri: the boat team never crosses there on Tue/Thu.

    The ferries have no departure time here (days only): a timed return ferry could not be
    caught at the end of a day (``tests/unit/test_ferry_times.py``)."""
    links = (
        "link_id,from_port,to_port,kind,days,departure,minutes,cost_idr,cost_unit,source_url,"
        "note\n"
        'f1,tarempa,antang,ferry,"Mon,Wed,Fri",,40,,,,\n'
        'f2,antang,tarempa,ferry,"Mon,Wed,Fri",,40,,,,\n'
    )
    region = load_region(write_island_region(tmp_path / "r", sea_links=links))
    classified = classify_region(region)
    travel = travel_model_for(region, cache=False)
    places = depot_places(region) + site_places(classified.sites)
    tuesday = travel.matrix(places, Mode.motor, boat=True, weekday=1)
    monday = travel.matrix(places, Mode.motor, boat=True, weekday=0)
    i, j = tuesday.index("dinas-21.05"), tuesday.index(MATAK[0])
    assert np.isinf(tuesday.minutes[i, j]) and np.isfinite(monday.minutes[i, j])
    # only the boat team, so Matak is reached by boat or not at all
    teams = teams_from_dict({**TEAMS, "teams": [TEAMS["teams"][2]]}, source="test-teams.toml")
    policy = apply_overrides(
        load_policy(None), {"solver": {"time_limit_s": 5, "solution_limit": 200}}
    )
    registry = estimate_registry(region, classified)
    plan = plan_week(WeekInputs(region, classified, registry, teams, policy, WEEK, travel))
    assert verify_plan(plan) == []
    on_matak = plan.itinerary[plan.itinerary["site_id"].isin(MATAK)]
    weekdays = {date.fromisoformat(d).weekday() for d in on_matak["date"]}
    assert weekdays and weekdays <= {0, 2, 4}


def test_boat_team_sleeps_on_an_island(island) -> None:  # type: ignore[no-untyped-def]
    """A boat team based at the Siantan Timur kecamatan office for the week: it crosses on the
    first day, works that island by land in between, and comes back by boat on the last."""
    region, classified, travel = island
    laut = {**TEAMS["teams"][2], "base": "kec-21.05.03"}
    teams = teams_from_dict(
        {**TEAMS, "teams": [*TEAMS["teams"][:2], laut]}, source="test-teams.toml"
    )
    policy = apply_overrides(
        load_policy(None), {"solver": {"time_limit_s": 5, "solution_limit": 200}}
    )
    registry = estimate_registry(region, classified)
    plan = plan_week(WeekInputs(region, classified, registry, teams, policy, WEEK, travel))
    assert verify_plan(plan) == []
    days = plan.team_days[plan.team_days["team_id"] == "laut"].sort_values("date")
    assert len(days) == 5
    assert days.iloc[0]["end_place"] == "kec-21.05.03" and days.iloc[0]["boat_minutes"] > 0
    middle = days.iloc[1:-1]
    assert (middle["start_place"] == "kec-21.05.03").all()
    assert (middle["end_place"] == "kec-21.05.03").all()
    assert (middle["boat_minutes"] == 0).all()  # its island, by land
    last = days.iloc[-1]
    assert last["end_place"] == "dinas-21.05" and "Pelabuhan Tarempa" in last["return_ports"]
    part = dict(zip(classified.sites["site_id"], classified.sites["island"], strict=True))
    between = plan.itinerary[
        (plan.itinerary["team_id"] == "laut") & plan.itinerary["date"].isin(middle["date"])
    ]
    assert {part[s] for s in between["site_id"]} == {part[NYAMUK]}
