"""Scenario files, capacity checks, warm starts from a base plan, and registry updates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from planner.core.errors import ConfigError
from planner.domain.config import apply_overrides, load_policy, teams_from_dict
from planner.io.registry import Registry
from planner.scenarios.compare import adds_capacity_only, same_demand, weeks_to_completion
from planner.scenarios.model import (
    Scenario,
    UnitCosts,
    base_scenario,
    read_scenario,
    resolve_scenario,
)
from planner.scenarios.projection import subtract_recorded
from planner.week.types import WeekInputs

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "scenarios"
BANTEN_TEAMS = REPO / "examples" / "banten" / "teams.toml"
WEEK = date(2017, 11, 13)


def _region_lists() -> tuple[list[str], list[str]]:
    depots = pd.read_csv(REPO / "geodata" / "banten" / "depots.csv", comment="#")
    regencies = sorted({str(d).split("-")[1][:5] for d in depots["depot_id"]})
    return depots["depot_id"].astype(str).tolist(), regencies


def _resolve(name: str, base: str | None = "dasar") -> Scenario:
    depots, regencies = _region_lists()
    return resolve_scenario(
        read_scenario(EXAMPLES / f"{name}.toml"),
        default_teams=BANTEN_TEAMS,
        depot_ids=depots,
        regency_codes=regencies,
        base=read_scenario(EXAMPLES / f"{base}.toml") if base else None,
    )


@pytest.mark.parametrize(
    "name",
    ["dasar", "tambah_dua_tim", "sewa_perahu", "kerja_sabtu", "alat_cepat", "tanpa_perahu"],
)
def test_example_scenarios_resolve(name: str) -> None:
    scenario = _resolve(name)
    assert scenario.name and scenario.description
    assert scenario.costs.given  # inherited from dasar.toml


def test_example_scenarios_change_what_they_say() -> None:
    base = _resolve("dasar", None)
    assert len(_resolve("tambah_dua_tim").teams.teams) == len(base.teams.teams) + 2
    assert sum(t.boat for t in _resolve("sewa_perahu").teams.teams) == 2
    assert not any(t.boat for t in _resolve("tanpa_perahu").teams.teams)
    assert all("sabtu" in t.working_days for t in _resolve("kerja_sabtu").teams.teams)
    assert {t.minutes_per_record for t in _resolve("alat_cepat").teams.teams} == {5.0}


def test_capacity_only_scenarios() -> None:
    base = _resolve("dasar", None)
    for name in ("tambah_dua_tim", "sewa_perahu", "kerja_sabtu", "alat_cepat"):
        assert adds_capacity_only(base, _resolve(name)), name
    assert not adds_capacity_only(base, _resolve("tanpa_perahu"))
    assert same_demand(base, _resolve("tanpa_perahu"))


def test_auto_base_scenario_resolves_and_is_never_capacity_only() -> None:
    base = _resolve("dasar", None)
    scenario = _resolve("menginap_otomatis")
    assert scenario.name and scenario.description
    auto = sorted(t.id for t in scenario.teams.teams if t.base == "auto")
    assert len(auto) == 8 and "serang-pulau" not in auto
    assert not adds_capacity_only(base, scenario)
    # more capacity may move an "auto" team's base: such a base is not compared as capacity
    assert not adds_capacity_only(scenario, scenario)


def test_policy_change_is_not_capacity_only(tmp_path: Path) -> None:
    path = tmp_path / "turnout.toml"
    path.write_text('name = "Kehadiran"\n[policy]\nturnout = 0.7\n', encoding="utf-8")
    depots, regencies = _region_lists()
    base_file = read_scenario(EXAMPLES / "dasar.toml")
    other = resolve_scenario(
        read_scenario(path),
        default_teams=BANTEN_TEAMS,
        depot_ids=depots,
        regency_codes=regencies,
        base=base_file,
    )
    assert other.policy.turnout == 0.7
    assert not same_demand(_resolve("dasar", None), other)


def test_bad_scenario_lists_every_problem_with_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "rusak.toml"
    path.write_text(
        """
nama = "typo"
registry = "tidak-ada.csv"
[teams.defaults]
kits = 0
[[teams.teams]]
id = "baru"
name = "Tim baru"
depot = "dinas-99.99"
[policy]
turnout = 1.5
[costs]
per_km = -1
per_liter = 3
""",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        read_scenario(path)
    text = "\n".join(info.value.problems)
    assert f"{path}: nama: unknown key" in text
    assert f"{path}: name: required" in text
    assert f"{path}: registry: file not found" in text
    assert f"{path}: costs.per_km: must be a number ≥ 0" in text
    assert f"{path}: costs.per_liter: unknown key" in text

    depots, regencies = _region_lists()
    path = tmp_path / "rusak2.toml"
    path.write_text(
        """
name = "Rusak"
[teams.defaults]
kits = 0
[[teams.teams]]
id = "baru"
name = "Tim baru"
depot = "dinas-99.99"
[policy]
turnout = 1.5
""",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        resolve_scenario(
            read_scenario(path),
            default_teams=BANTEN_TEAMS,
            depot_ids=depots,
            regency_codes=regencies,
        )
    text = "\n".join(info.value.problems)
    assert f"{path} [teams]: defaults.kits: must be at least 1" in text
    assert f"{path} [policy]: turnout: must be at most 1" in text

    path.write_text(path.read_text().replace("kits = 0", "kits = 1"), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        resolve_scenario(
            read_scenario(path),
            default_teams=BANTEN_TEAMS,
            depot_ids=depots,
            regency_codes=regencies,
        )
    text = "\n".join(info.value.problems)
    assert "(teams): teams[" in text and "unknown depot 'dinas-99.99' (team baru)" in text


def test_unit_costs() -> None:
    assert UnitCosts().week_cost(100.0, 1, 5) is None
    costs = UnitCosts(per_km=1500, per_boat_trip=750_000, per_team_day=450_000)
    assert costs.week_cost(100.0, 2, 5) == 150_000 + 1_500_000 + 2_250_000


def test_base_scenario_is_the_example_teams() -> None:
    depots, regencies = _region_lists()
    plain = resolve_scenario(
        base_scenario(BANTEN_TEAMS),
        default_teams=BANTEN_TEAMS,
        depot_ids=depots,
        regency_codes=regencies,
    )
    assert plain.teams == _resolve("dasar", None).teams
    assert not plain.costs.given


def test_subtract_recorded_never_below_zero() -> None:
    frame = pd.DataFrame(
        {
            "kode_desa": ["36.01.01.2001", "36.01.01.2002"],
            "wajib_ktp": [1000, 500],
            "sudah_rekam": [900, 480],
            "lansia": [40, 10],
            "disabilitas": [10, 0],
            "pemula": [20, 20],
        }
    )
    registry = Registry.from_frame(frame, source="uji")
    recorded = pd.Series({"36.01.01.2001": 30, "36.01.01.2002": 50})
    after = subtract_recorded(registry, recorded, "uji").counts
    assert after["belum_rekam"].tolist() == [70, 0]
    assert (after["sudah_rekam"] + after["belum_rekam"] == after["wajib_ktp"]).all()
    for group in ("lansia", "disabilitas", "pemula"):
        assert (after[group] <= after["belum_rekam"]).all()
    assert after.loc["36.01.01.2001", "lansia"] == 28


def _serang_teams(extra: list[dict[str, object]] | None = None):  # type: ignore[no-untyped-def]
    teams = [
        {"id": "serang-darat", "name": "Darat", "depot": "dinas-36.04", "kits": 2},
        {"id": "serang-pulau", "name": "Pulau", "depot": "dinas-36.04", "boat": True},
    ]
    return teams_from_dict({"teams": teams + (extra or [])})


@pytest.fixture(scope="module")
def serang_base(banten, banten_classified):  # type: ignore[no-untyped-def]
    from planner.geo.estimate import estimate_registry
    from planner.scenarios.warmstart import plan_week_from
    from planner.travel.regional import travel_model_for

    registry = estimate_registry(banten, banten_classified, seed=0)
    policy = apply_overrides(load_policy(), {"solver": {"time_limit_s": 20.0, "solution_limit": 5}})
    travel = travel_model_for(banten)
    base = plan_week_from(
        WeekInputs(banten, banten_classified, registry, _serang_teams(), policy, WEEK, travel)
    )
    return registry, policy, travel, base


@pytest.mark.parametrize(
    "extra, days",
    [
        ([{"id": "serang-3", "name": "Tambahan", "depot": "dinas-36.04"}], None),
        ([], ["senin", "selasa", "rabu", "kamis", "jumat", "sabtu"]),
    ],
)
def test_added_capacity_is_never_worse(  # type: ignore[no-untyped-def]
    banten, banten_classified, serang_base, extra, days
) -> None:
    from planner.scenarios.warmstart import plan_week_from

    registry, policy, travel, base = serang_base
    teams = _serang_teams(extra)
    if days:
        teams = apply_overrides(
            teams, {"teams": [{"id": t.id, "working_days": days} for t in teams.teams]}
        )
    more = plan_week_from(
        WeekInputs(banten, banten_classified, registry, teams, policy, WEEK, travel), start=base
    )
    assert more.meta["warm_started"] >= 1
    assert more.summary["weighted_recordings"] >= base.summary["weighted_recordings"]
    assert more.summary["planned_recordings"] > 0


def test_no_boat_leaves_islands_with_the_boat_reason(  # type: ignore[no-untyped-def]
    banten, banten_classified, serang_base
) -> None:
    from planner.scenarios.warmstart import plan_week_from

    registry, policy, travel, _ = serang_base
    teams = apply_overrides(_serang_teams(), {"teams": [{"id": "serang-pulau", "boat": False}]})
    plan = plan_week_from(
        WeekInputs(banten, banten_classified, registry, teams, policy, WEEK, travel)
    )
    islands = set(plan.sites.loc[plan.sites["island"].notna(), "site_id"])
    assert islands
    assert not islands & set(plan.itinerary["site_id"])
    left = plan.unplanned.set_index("site_id")
    for site in islands:
        if site in left.index and left.at[site, "expected"] > 0:
            assert left.at[site, "reason_code"] == "needs_boat"
            assert str(left.at[site, "alasan"]).startswith("Perlu perahu")


def test_weeks_to_completion_methods() -> None:
    from planner.scenarios.projection import Projection

    weeks = pd.DataFrame(
        {
            "status": ["direncanakan", "dilewati", "direncanakan"],
            "planned_recordings": [100, 0, 100],
            "remaining_expected": [500, 500, 400],
        }
    )
    proj = Projection(
        weeks=weeks,
        completion=pd.DataFrame(),
        stop="batas",
        start=WEEK,
        until=WEEK,
        target=WEEK,
        unreachable=pd.DataFrame(),
        wall_seconds=0.0,
    )
    assert weeks_to_completion(proj) == (7.0, "perkiraan")
    done = Projection(**{**proj.__dict__, "stop": "selesai"})
    assert weeks_to_completion(done) == (3.0, "proyeksi")
