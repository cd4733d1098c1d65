"""``jemput target``: the surrogate, the lever search and the costs on a tiny synthetic campaign.

One regency (99.01) with seven villages, a Disdukcapil office and one kecamatan office; travel
minutes are given directly (no travel model), so every number here can be checked by hand.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from planner.core.errors import ConfigError
from planner.domain.config import Policy, Team, TeamsConfig
from planner.scenarios.model import read_scenario
from planner.scenarios.target_calibration import (
    calibrate,
    calibration_fleet,
    fit_fleet_factors,
    own_fleet,
)
from planner.scenarios.target_costs import DEFAULT_COSTS_FILE, TargetCosts, load_target_costs
from planner.scenarios.target_levers import (
    GroupSearch,
    added_team_id,
    apply_levers,
    lever_costs,
)
from planner.scenarios.target_report import scenario_toml
from planner.scenarios.target_surrogate import (
    Campaign,
    capacity_split,
    fleet_factors,
    group_capacity,
    simulate,
    team_capacity,
)
from planner.scenarios.target_types import TargetOption

KAB = "99.01"
START = date(2018, 10, 1)  # a Monday, no holiday that week
# one-way minutes from the Dinas and from the kecamatan office to each site; site 6 is two
# hours 40 from the Dinas (no day trip) but 10 minutes from the kecamatan office
FROM_DINAS = [10.0, 15.0, 20.0, 30.0, 40.0, 60.0, 220.0]
FROM_KEC = [60.0, 60.0, 60.0, 60.0, 60.0, 60.0, 10.0]
BELUM = [400.0, 300.0, 300.0, 200.0, 200.0, 150.0, 120.0]


def _campaign(until: date, belum: list[float] | None = None) -> Campaign:
    n = len(FROM_DINAS)
    depots = pd.DataFrame(
        {
            "depot_id": ["dinas-99.01", "kec-99.01.01"],
            "kind": ["dinas", "kecamatan"],
            "kode_kab": [KAB, KAB],
        }
    )
    region = SimpleNamespace(config=SimpleNamespace(timezone="Asia/Jakarta"), depots=depots)
    rows = np.array([FROM_DINAS, FROM_KEC])
    campaign = Campaign(
        region=region,  # type: ignore[arg-type]
        policy=Policy(),
        start=START,
        until=until,
        site_ids=np.array([f"{KAB}.01.200{i}" for i in range(n)]),
        regency=np.array([KAB] * n),
        belum=np.array(belum or BELUM, dtype=float),
        weight=np.ones(n),
        classes={
            "pulau": np.zeros(n, dtype=bool),
            "pesisir": np.zeros(n, dtype=bool),
            "perbatasan": np.zeros(n, dtype=bool),
            "perbatasan_kab": np.zeros(n, dtype=bool),
            "terpencil": np.array([False] * (n - 1) + [True]),
        },
        travel=None,  # type: ignore[arg-type]
    )
    for mode in ("mobil", "motor"):
        for boat in (False, True):
            campaign._minutes[(KAB, mode, boat)] = (rows, ["dinas-99.01", "kec-99.01.01"])
    return campaign


def _teams(**extra: object) -> TeamsConfig:
    return TeamsConfig(teams=[Team(id="a", name="Tim A", depot="dinas-99.01", **extra)])


ALL = np.ones(len(FROM_DINAS), dtype=bool)


def test_more_capacity_never_leaves_more_residents() -> None:
    campaign = _campaign(date(2018, 10, 26))
    base = simulate(campaign, _teams().teams, ALL, calibration=(1.0, 1.0))
    for better in (
        _teams(kits=2),
        _teams(working_days=["senin", "selasa", "rabu", "kamis", "jumat", "sabtu"]),
        _teams(minutes_per_record=5.0),
    ):
        run = simulate(campaign, better.teams, ALL, calibration=(1.0, 1.0))
        assert run.left <= base.left
        assert sum(run.weekly) >= sum(base.weekly)
    # what was recorded is what left the registry, and never more than there was
    assert base.left == pytest.approx(sum(BELUM) - sum(base.weekly))
    assert base.left >= 0


def test_first_week_records_the_hand_computed_amount() -> None:
    # one kit, 7 min a record, 30 min set-up, alpha 0 (no travel): 5 days of 450/450/450/450/
    # 420 minutes (Friday's longer break) = 2,220 minutes; first-visit expected attendance is
    # floor(belum x 0.9 x 0.6) = 216, 162, 162, 108, 108, 81, 64
    campaign = _campaign(START)
    run = simulate(campaign, _teams().teams, ALL, calibration=(0.0, 1.0), weeks=1)
    budget = sum(m for m, _ in campaign.day_minutes(_teams().teams[0], START))
    expected = [216, 162, 162, 108, 108, 81, 64]
    full, spent = 0.0, 0.0
    for e in expected[:-1]:  # the far site 6 is not reachable on a day trip
        if spent + 30 + 7 * e <= budget:
            spent += 30 + 7 * e
            full += e
        else:
            full += np.floor((budget - spent - 30) / 7)
            break
    assert run.weekly[0] == pytest.approx(full)


def test_far_site_needs_an_overnight_base() -> None:
    campaign = _campaign(date(2018, 12, 28))
    day_trips = simulate(campaign, _teams().teams, ALL, calibration=(1.0, 1.0))
    assert day_trips.unreachable == 1
    assert not day_trips.done
    stays = simulate(campaign, _teams(base="auto").teams, ALL, calibration=(1.0, 1.0))
    assert stays.unreachable == 0
    assert stays.done
    assert stays.teams["a"].nights > 0


def test_calibration_reproduces_the_real_week() -> None:
    campaign = _campaign(date(2018, 10, 26))
    teams = _teams()
    plan = SimpleNamespace(
        itinerary=pd.DataFrame({"team_id": ["a", "a"], "expected_recordings": [120, 100]})
    )
    calibration = calibrate(campaign, teams, plan)  # type: ignore[arg-type]
    alpha, efficiency = calibration[KAB]
    week = simulate(campaign, teams.teams, ALL, calibration=(alpha, efficiency), weeks=1)
    assert week.weekly[0] == pytest.approx(220, abs=8)
    assert efficiency < 1.0  # 220 is less than even the most travel leaves: efficiency lowered


def test_search_finds_a_minimal_finishing_set() -> None:
    # one week; every village small enough to be done in one visit (a second visit only
    # follows a week later); the far site needs a stay
    campaign = _campaign(date(2018, 10, 5), belum=[80, 80, 70, 70, 60, 60, 60])
    base = _teams()
    costs = TargetCosts()
    search = GroupSearch(campaign, base, (KAB,), ALL, costs)
    assert not search.evaluate({}).run.done
    found = search.search(("tim_mobil", "alat", "sabtu", "menginap"))
    assert found.run.done
    levers = dict(found.levers)
    assert found.cost == pytest.approx(sum(lever_costs(base, levers, found.run, costs).values()))
    for key, amount in levers.items():  # no step can be dropped
        fewer = search.evaluate({**levers, key: amount - 1})
        assert not fewer.run.done or fewer.cost >= found.cost
    # a family without the overnight stay cannot reach the far site: it says how close it gets
    close = search.search(("alat", "sabtu"))
    assert not close.run.done
    assert close.run.unreachable == 1
    assert 0 < close.run.left <= search.evaluate({}).run.left


def test_levers_become_scenario_overrides() -> None:
    base = _teams()
    teams, overrides = apply_levers(
        base, {("tim_motor", KAB): 2, ("alat", KAB): 1, ("sabtu", KAB): 1, ("menginap", KAB): 1}
    )
    by_id = {t.id: t for t in teams.teams}
    assert by_id["a"].kits == 2 and "sabtu" in by_id["a"].working_days
    assert by_id["a"].base == "auto"
    for i in (1, 2):
        added = by_id[added_team_id("tim_motor", KAB, i)]
        assert list(added.modes) == ["motor"] and added.kits == 1 and added.depot == "dinas-99.01"
    assert len(overrides["teams"]) == 3  # type: ignore[arg-type]


def test_costs_file_defaults_and_errors(tmp_path: Path) -> None:
    costs = load_target_costs()
    assert costs.per_diem_local == 150_000  # SBM, Banten and Jambi
    assert costs.team_day("mobil") == 3 * 150_000 + costs.car_day
    assert "costs" in tomllib.loads(DEFAULT_COSTS_FILE.read_text(encoding="utf-8"))
    bad = tmp_path / "biaya.toml"
    bad.write_text("[costs]\ncar_day = -5\nkapal = 3\n[biaya]\nx = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_target_costs(bad)
    assert any("biaya" in p for p in err.value.problems)
    bad.write_text("[costs]\ncar_day = -5\nkapal = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_target_costs(bad)
    text = "\n".join(err.value.problems)
    assert "car_day" in text and "kapal" in text and str(bad) in text


def test_scenario_toml_round_trips_the_overrides(tmp_path: Path) -> None:
    levers = {("tim_perahu", KAB): 1, ("sabtu", KAB): 1}
    _, overrides = apply_levers(_teams(), levers)
    option = TargetOption(
        key="campuran",
        name='Campuran "termurah"',
        family="campuran",
        levers=tuple(sorted(levers.items())),
        overrides=overrides,
        cost=1.0,
        cost_parts={},
        left=0.0,
        done_week=None,
        unreachable=0,
    )
    result = SimpleNamespace(
        area="uji", start=START, until=START, region="uji", teams_file=None, policy_file=None
    )
    path = tmp_path / "campuran.toml"
    path.write_text(scenario_toml(result, option), encoding="utf-8")  # type: ignore[arg-type]
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["teams"]["teams"] == overrides["teams"]
    assert read_scenario(path).name == 'Campuran "termurah"'


def test_fleet_factors_match_the_bigger_fleet_and_interpolate() -> None:
    # the real week of a doubled fleet records less than twice the base: the surrogate with
    # the fitted factor reproduces it, a fleet in between gets a factor in between
    campaign = _campaign(date(2018, 10, 26))
    base = _teams()
    campaign.calibration = {KAB: (1.0, 1.0)}
    campaign.base_capacity = group_capacity(campaign, base.teams)
    double = calibration_fleet(base, 1.0, {"dinas-99.01"})
    assert [t.id for t in double.teams] == ["a", added_team_id("tim_mobil", KAB, 1)]
    free = simulate(campaign, double.teams, ALL, calibration={KAB: (1.0, 1.0)}, weeks=1)
    plan = SimpleNamespace(
        itinerary=pd.DataFrame(
            {"team_id": ["a", double.teams[1].id], "expected_recordings": [300.0, 200.0]}
        )
    )
    points, own = fit_fleet_factors(campaign, [(double, plan)])  # type: ignore[list-item]
    assert own == {}  # a fleet with added teams: a point of the added-teams curve
    ratio, factor = points[KAB][0]
    assert ratio == pytest.approx(2.0)
    assert free.weekly[0] > 500 and factor < 1.0
    campaign.scaling = points
    week = simulate(campaign, double.teams, ALL, weeks=1)  # the campaign's own calibration
    assert week.weekly[0] == pytest.approx(500, abs=8)
    # the base keeps factor 1; one kit more (capacity x2) gets the doubled fleet's factor
    assert fleet_factors(campaign, base.teams) == {KAB: 1.0}
    assert fleet_factors(campaign, _teams(kits=2).teams)[KAB] == pytest.approx(factor)
    assert fleet_factors(campaign, _teams(kits=3).teams)[KAB] == pytest.approx(factor)  # held
    saturday = _teams(working_days=["senin", "selasa", "rabu", "kamis", "jumat", "sabtu"])
    ratio_sat = group_capacity(campaign, saturday.teams)[KAB] / campaign.base_capacity[KAB]
    expected = 1.0 + (factor - 1.0) * (ratio_sat - 1.0)
    assert fleet_factors(campaign, saturday.teams)[KAB] == pytest.approx(expected)
    assert 1.0 > fleet_factors(campaign, saturday.teams)[KAB] > factor  # in between


def test_added_teams_and_own_gain_are_read_on_their_own_curves() -> None:
    # measured: a doubled fleet keeps 0.6 of its minutes, one more kit per team keeps 0.9;
    # an option with both keeps the smaller factor
    campaign = _campaign(date(2018, 10, 26))
    base = _teams()
    campaign.base_capacity = group_capacity(campaign, base.teams)
    campaign.base_teams = {"a": team_capacity(campaign, base.teams[0])}
    campaign.scaling = {KAB: ((2.0, 0.6),)}
    campaign.scaling_own = {KAB: ((2.0, 0.9),)}
    double = calibration_fleet(base, 1.0, {"dinas-99.01"})
    assert fleet_factors(campaign, double.teams)[KAB] == pytest.approx(0.6)
    assert fleet_factors(campaign, _teams(kits=2).teams)[KAB] == pytest.approx(0.9)
    both = calibration_fleet(_teams(kits=2), 1.0, {"dinas-99.01"})  # the added team: 1 kit
    split = capacity_split(campaign, both.teams)[KAB]
    assert split == pytest.approx((campaign.base_capacity[KAB], campaign.base_capacity[KAB]))
    assert fleet_factors(campaign, both.teams)[KAB] == pytest.approx(0.6)
    campaign.scaling = {KAB: ((2.0, 0.95),)}
    assert fleet_factors(campaign, both.teams)[KAB] == pytest.approx(0.9)
    # the own-gain fleet of the calibration is the base with one more kit and Saturdays
    own = own_fleet(base).teams[0]
    assert own.kits == 2 and "sabtu" in own.working_days
