"""``jemput plan``: guarantees on real Banten data, random small instances, and bad inputs."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from planner.app.cli import app
from planner.core.errors import ConfigError
from planner.domain.config import apply_overrides, load_policy, teams_from_dict
from planner.io.registry import Registry
from planner.travel import Mode
from planner.travel.regional import depot_places
from planner.week.groups import site_place
from planner.week.plan import plan_week
from planner.week.plan_file import PLAN_SCHEMA, PLAN_SCHEMA_VERSION
from planner.week.schedule import ITINERARY_COLUMNS
from planner.week.types import WeekInputs
from planner.week.verify import verify_plan

runner = CliRunner()
WEEK = date(2017, 11, 13)


@pytest.fixture(scope="module")
def banten_env(banten, banten_classified):  # type: ignore[no-untyped-def]
    from planner.geo.estimate import estimate_registry
    from planner.travel.regional import travel_model_for

    return (
        banten,
        banten_classified,
        estimate_registry(banten, banten_classified),
        travel_model_for(banten),
    )


def _teams(rows: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    return teams_from_dict({"teams": rows}, source="test-teams.toml")


def _two_teams():  # type: ignore[no-untyped-def]
    """Kota Serang (2 kits) and Cilegon (1 kit): a small week that solves in seconds."""
    return _teams(
        [
            {"id": "a", "name": "A", "depot": "dinas-36.73", "kits": 2},
            {"id": "b", "name": "B", "depot": "dinas-36.72", "kits": 1},
        ]
    )


def _policy(**solver: object):  # type: ignore[no-untyped-def]
    return apply_overrides(load_policy(None), {"solver": {"time_limit_s": 5, **solver}})


def _only(registry: Registry, codes: set[str]) -> Registry:
    """The registry with residents to record only in ``codes``."""
    counts = registry.counts.copy()
    outside = ~counts.index.isin(list(codes))
    counts.loc[outside, "sudah_rekam"] = counts.loc[outside, "wajib_ktp"]
    for column in ("belum_rekam", "lansia", "disabilitas", "pemula"):
        counts.loc[outside, column] = 0
    return Registry.from_frame(counts, source="test subset", is_estimate=True, estimate_model="x")


@pytest.fixture(scope="module")
def banten_cli_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plan") / "banten"
    result = runner.invoke(
        app,
        [
            "plan",
            "--region",
            "banten",
            "--week",
            "2017-11-13",
            "--time-limit",
            "10",
            "--workers",
            "2",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_cli_plan_writes_outputs(banten_cli_plan: Path) -> None:
    names = {p.name for p in banten_cli_plan.iterdir()}
    assert {"plan.json", "itinerary.csv", "jadwal.xlsx", "run.json"} <= names
    document = json.loads((banten_cli_plan / "plan.json").read_text())
    assert document["schema"] == PLAN_SCHEMA and document["schema_version"] == PLAN_SCHEMA_VERSION
    assert document["is_estimate"] is True and "jemput-estimasi-v1" in document["estimate_model"]
    summary = document["summary"]
    assert 0 < summary["planned_recordings"] <= summary["capacity_bound"]
    assert 0 < summary["utilisation"] <= 1
    itinerary = pd.read_csv(banten_cli_plan / "itinerary.csv", dtype=str)
    assert tuple(itinerary.columns) == ITINERARY_COLUMNS
    stops = sum(len(day["visits"]) for day in document["team_days"])
    assert stops == len(itinerary) == summary["stops"]
    assert itinerary["expected_recordings"].astype(int).sum() == summary["planned_recordings"]
    for day in document["team_days"]:
        assert day["visits"], "a used team-day has stops"
    book = load_workbook(banten_cli_plan / "jadwal.xlsx")
    assert "Ringkasan" in book.sheetnames and "Tidak terjadwal" in book.sheetnames
    assert all(u["alasan"] for u in document["unplanned"])
    assert "Traceback" not in (banten_cli_plan / "run.json").read_text()


def test_banten_plan_holds_every_guarantee(banten_env) -> None:  # type: ignore[no-untyped-def]
    region, classified, registry, travel = banten_env
    from planner.domain.config import load_teams

    teams = load_teams(Path(__file__).resolve().parents[2] / "examples/banten/teams.toml")
    plan = plan_week(
        WeekInputs(region, classified, registry, teams, _policy(time_limit_s=8), WEEK, travel)
    )
    assert verify_plan(plan) == []
    # arrival times come from the travel model: re-derive one leg per team-day from scratch

    first = plan.itinerary.groupby(["team_id", "date"]).head(1)
    team_of = {t.id: t for t in teams.teams}
    sites = plan.sites.set_index("site_id", drop=False)
    depots = {p.id: p for p in depot_places(region)}
    for row in first.to_dict("records")[:10]:
        team = team_of[str(row["team_id"])]
        site = site_place(sites.loc[str(row["site_id"])])
        fresh = travel.matrix([depots[team.depot], site], Mode(team.modes[0]), boat=team.boat)
        assert abs(fresh.minutes[0, 1] - float(row["travel_minutes"])) < 0.11


@st.composite
def small_instances(draw: st.DrawFn) -> dict[str, object]:
    kab = draw(st.sampled_from(["36.04", "36.01", "36.73", "36.02"]))
    n_teams = draw(st.integers(1, 2))
    teams = []
    for k in range(n_teams):
        teams.append(
            {
                "id": f"t{k}",
                "name": f"Tim {k}",
                "depot": f"dinas-{kab}",
                "kits": draw(st.integers(1, 3)),
                "boat": draw(st.booleans()),
                "modes": [draw(st.sampled_from(["mobil", "motor"]))],
                "minutes_per_record": draw(st.sampled_from([4.0, 7.0, 10.0])),
                "setup_minutes": draw(st.sampled_from([15, 30, 60])),
                "working_days": draw(
                    st.sampled_from([["senin", "selasa"], ["rabu", "kamis", "jumat", "sabtu"]])
                ),
            }
        )
    week = date(2017, 10, 2) + timedelta(weeks=draw(st.integers(0, 20)))
    return {
        "kab": kab,
        "teams": teams,
        "week": week,
        "seed": draw(st.integers(0, 3)),
        "n_villages": draw(st.integers(3, 12)),
    }


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(instance=small_instances())
def test_random_small_plans_hold_every_guarantee(banten_env, instance) -> None:  # type: ignore[no-untyped-def]
    region, classified, registry, travel = banten_env
    villages = classified.villages
    codes = villages.loc[villages["kode_kab"] == instance["kab"], "kode"].tolist()
    if instance["kab"] == "36.04":
        codes = ["36.04.08.2009", "36.04.30.2003", *codes]  # islands in play
    chosen = set(codes[: instance["n_villages"]])
    teams = _teams(instance["teams"])
    policy = _policy(time_limit_s=2, solution_limit=40, seed=instance["seed"])
    try:
        plan = plan_week(
            WeekInputs(
                region, classified, _only(registry, chosen), teams, policy, instance["week"], travel
            )
        )
    except ConfigError as exc:  # a week of holidays for these teams
        assert "no working day" in str(exc)
        return
    assert verify_plan(plan) == []
    planned = set(plan.itinerary["site_id"])
    reasons = set(plan.unplanned["site_id"])
    with_demand = set(plan.sites.loc[plan.sites["belum_rekam"] > 0, "site_id"])
    assert with_demand <= planned | reasons  # every site with residents is planned or explained
    if not any(t["boat"] for t in instance["teams"]):
        island = plan.sites.loc[
            plan.sites["island"].notna() & (plan.sites["belum_rekam"] > 0), "site_id"
        ]
        left = plan.unplanned.set_index("site_id")
        for site_id in island:
            assert site_id not in planned
            if left.at[site_id, "reason_code"] != "below_minimum":
                assert left.at[site_id, "alasan"].startswith("Perlu perahu")


def test_same_inputs_same_plan_single_and_pool(banten_env) -> None:  # type: ignore[no-untyped-def]
    from planner.week.plan_file import plan_document

    region, classified, registry, travel = banten_env
    teams = _two_teams()
    policy = _policy(time_limit_s=30, solution_limit=60, seed=1)
    docs = []
    for workers in (1, 1, 2):
        plan = plan_week(
            WeekInputs(region, classified, registry, teams, policy, WEEK, travel), workers=workers
        )
        docs.append(json.dumps(plan_document(plan), sort_keys=True))
        assert plan.summary["planned_recordings"] > 0
    assert docs[0] == docs[1] == docs[2]


def test_filling_days_adds_recordings_and_keeps_every_guarantee(banten_env) -> None:  # type: ignore[no-untyped-def]
    region, classified, registry, travel = banten_env
    teams = _two_teams()
    policy = _policy(time_limit_s=30, solution_limit=60, seed=1)
    plans = {
        fill: plan_week(
            WeekInputs(region, classified, registry, teams, policy, WEEK, travel), fill=fill
        )
        for fill in (False, True)
    }
    for plan in plans.values():
        assert verify_plan(plan) == []
    bare, filled = plans[False], plans[True]
    # the same places in the same order: only visit lengths and clock times change
    routes = [[r.visit_ids for r in g.solution.routes] for g in bare.results]
    assert routes == [[r.visit_ids for r in g.solution.routes] for g in filled.results]
    assert filled.summary["planned_recordings"] > bare.summary["planned_recordings"]
    assert filled.summary["utilisation"] <= 1.0

    def idle(plan):  # type: ignore[no-untyped-def]
        return sum(
            (td.day.shift_end - route.end) + (route.start - td.day.shift_start)
            for g in plan.results
            for route in g.solution.routes
            if route.stops
            for td in [g.group.team_days[route.vehicle]]
        )

    assert idle(filled) < idle(bare)
    planned = filled.itinerary.groupby("site_id")["expected_recordings"].sum()
    expected = filled.sites.set_index("site_id")["expected"]
    assert (planned <= expected.loc[planned.index]).all()


def test_iterated_local_search_plans_hold_every_guarantee(banten_env) -> None:  # type: ignore[no-untyped-def]
    from planner.week.plan_file import plan_document

    region, classified, registry, travel = banten_env
    teams = _two_teams()
    policy = _policy(
        metaheuristic="ITERATED_LOCAL_SEARCH", time_limit_s=60, solution_limit=40, seed=1
    )
    docs = []
    # without the greedy start routes every group runs the iterated local search itself
    for workers in (1, 2):
        plan = plan_week(
            WeekInputs(region, classified, registry, teams, policy, WEEK, travel),
            workers=workers,
            warm_start=False,
        )
        assert verify_plan(plan) == []
        assert plan.summary["planned_recordings"] > 0
        assert not any(r.solution.warm_started for r in plan.results)
        # the solution limit ends the search, not the clock: reproducible
        assert all(r.solution.wall_seconds < 30 for r in plan.results)
        docs.append(json.dumps(plan_document(plan), sort_keys=True))
    assert docs[0] == docs[1]
    # with them (the default) the greedy routes are the hint of each group's first solution
    warm = plan_week(WeekInputs(region, classified, registry, teams, policy, WEEK, travel))
    assert verify_plan(warm) == []


def test_a_team_with_a_base_stays_out_the_whole_week(banten_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from planner.present.reports.gpx import route_coords
    from planner.present.reports.jadwal import write_jadwal_xlsx
    from planner.present.routes import team_day_routes
    from planner.week.plan_file import plan_document

    region, classified, registry, travel = banten_env
    depot, base = "dinas-36.01", "kec-36.01.04"  # Pandeglang office; Cikeusik, far south-west
    teams = _teams([{"id": "p", "name": "P", "depot": depot, "base": base, "kits": 2}])
    policy = _policy(time_limit_s=30, solution_limit=60, seed=1)
    plan = plan_week(WeekInputs(region, classified, registry, teams, policy, WEEK, travel))
    assert verify_plan(plan) == []
    days = plan.team_days.set_index("date")
    assert len(days) == 5
    assert (days.iloc[0]["start_place"], days.iloc[0]["end_place"]) == (depot, base)
    assert (days.iloc[-1]["start_place"], days.iloc[-1]["end_place"]) == (base, depot)
    assert set(days.iloc[1:-1]["start_place"]) == set(days.iloc[1:-1]["end_place"]) == {base}
    assert days.iloc[0]["end_name"] == "Kantor Kecamatan Cikeusik"
    # the first stop of a day at the base is reached from the base, not from the depot
    tuesday = plan.itinerary[plan.itinerary["date"] == days.index[1]].iloc[0]
    place = dict(zip(plan.results[0].group.places, range(10**6), strict=False))
    matrix = plan.results[0].group.matrices["mobil"]
    leg = float(matrix.minutes[place[base], place[str(tuesday["site_id"])]])
    assert float(tuesday["travel_minutes"]) == pytest.approx(leg, abs=0.1)
    document = plan_document(plan)
    assert document["team_days"][0]["end_place"] == base
    routes = team_day_routes(plan, region, travel)
    bases = region.depots.set_index("depot_id").loc[base]
    assert (routes[0].end_lon, routes[0].end_lat) == (bases["lon"], bases["lat"])
    assert routes[-1].end_id == depot and routes[-1].depot_id == base
    assert route_coords(routes[0])[-1] == (bases["lon"], bases["lat"])
    write_jadwal_xlsx(plan, tmp_path / "jadwal.xlsx")
    sheet = load_workbook(tmp_path / "jadwal.xlsx")["Ringkasan"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] == "P"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "Tim")
    night = header.index("Bermalam di")
    assert [r[night] for r in rows][:1] == ["Kantor Kecamatan Cikeusik"]
    assert rows[-1][night] == "Disdukcapil Kabupaten Pandeglang"


def test_auto_bases_spread_pandeglang_teams_over_kecamatan_offices(banten_env) -> None:  # type: ignore[no-untyped-def]
    from planner.week.plan_file import plan_document

    region, classified, registry, travel = banten_env
    rows = [
        {"id": f"p{k}", "name": f"P{k}", "depot": "dinas-36.01", "base": "auto"} for k in (1, 2)
    ]
    policy = _policy(time_limit_s=20, solution_limit=40, seed=1)
    plan = plan_week(WeekInputs(region, classified, registry, _teams(rows), policy, WEEK, travel))
    assert verify_plan(plan) == []
    bases = plan.meta["bases"]
    assert isinstance(bases, list) and [b["team_id"] for b in bases] == ["p1", "p2"]
    offices = region.depots.set_index("depot_id")
    chosen = [b["base"] for b in bases]
    assert len(set(chosen)) == 2, "two auto teams of one depot sleep at different offices"
    for b in bases:
        assert offices.loc[b["base"], "kind"] == "kecamatan"
        assert offices.loc[b["base"], "kode_kab"] == "36.01"
        assert b["reason"] == "more_in_reach" and b["score"] > b["depot_score"]
        assert b["alasan"].startswith(f"menginap di {offices.loc[b['base'], 'name']}")
    # the week is one trip to the chosen base
    for b in bases:
        days = plan.team_days[plan.team_days["team_id"] == b["team_id"]].sort_values("date")
        assert days.iloc[0]["start_place"] == "dinas-36.01"
        assert days.iloc[0]["end_place"] == b["base"]
    document = plan_document(plan)
    assert document["bases"] == bases
    # the same inputs give the same plan
    again = plan_week(WeekInputs(region, classified, registry, _teams(rows), policy, WEEK, travel))
    assert plan_document(again) == document


def test_auto_base_keeps_an_urban_team_home(banten_env) -> None:  # type: ignore[no-untyped-def]
    from planner.week.prepare import prepare_week

    region, classified, registry, travel = banten_env
    rows = [{"id": "kota", "name": "Kota", "depot": "dinas-36.71", "base": "auto"}]
    prepared = prepare_week(
        WeekInputs(region, classified, registry, _teams(rows), _policy(), WEEK, travel)
    )
    (choice,) = prepared.bases
    # every office of Kota Tangerang reaches no better week than the Dinas itself
    assert choice.base is None and choice.reason in {"depot_reaches_more", "no_candidate"}
    assert choice.alasan.startswith("pulang ke ")
    assert all(td.start_place == td.end_place == "dinas-36.71" for td in prepared.team_days)
    assert all(td.team.base is None for td in prepared.team_days)


def test_tight_instance_still_plans(banten_env) -> None:  # type: ignore[no-untyped-def]
    region, classified, registry, travel = banten_env
    teams = _teams(
        [
            {
                "id": "solo",
                "name": "Solo",
                "depot": "dinas-36.03",
                "kits": 1,
                "working_days": ["senin"],
            }
        ]
    )
    plan = plan_week(
        WeekInputs(region, classified, registry, teams, _policy(time_limit_s=3), WEEK, travel)
    )
    assert verify_plan(plan) == []
    assert 0 < plan.summary["planned_recordings"] <= plan.summary["capacity_bound"]
    assert (plan.unplanned["reason_code"] == "no_team").sum() > 1000  # other regencies


def test_no_boat_team_leaves_islands_with_reason(banten_env) -> None:  # type: ignore[no-untyped-def]
    region, classified, registry, travel = banten_env
    teams = _teams([{"id": "darat", "name": "Darat", "depot": "dinas-36.04", "boat": False}])
    plan = plan_week(
        WeekInputs(region, classified, registry, teams, _policy(time_limit_s=3), WEEK, travel)
    )
    left = plan.unplanned.set_index("site_id")
    for site_id in ("36.04.08.2009", "36.04.13.2009"):
        assert left.at[site_id, "reason_code"] == "needs_boat"
        assert left.at[site_id, "alasan"].startswith("Perlu perahu")


def _cli(tmp_path: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["plan", "--region", "banten", "--out", str(tmp_path / "o"), *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("teams_toml", "expected"),
    [
        ('[[teams]]\nid="x"\nname="X"\ndepot="dinas-99.99"\n', "dinas-99.99"),
        ('[[teams]]\nid="x"\nname="X"\ndepot="dinas-36.01"\nkits=0\n', "kits"),
        ('[[teams]]\nid="x"\nname="X"\ndepot="dinas-36.01"\nkits="dua"\n', "kits"),
        ('[[teams]]\nid="x"\nname="X"\ndepot="dinas-36.01"\nwarna="merah"\n', "warna"),
        ("teams = 3\n", "teams"),
    ],
)
def test_bad_teams_files_give_clear_errors(tmp_path: Path, teams_toml: str, expected: str) -> None:
    path = tmp_path / "teams.toml"
    path.write_text(teams_toml, encoding="utf-8")
    code, output = _cli(tmp_path, "--week", "2017-11-13", "--teams", str(path))
    assert code == 2, output
    assert output.strip().startswith("ERROR:") and expected in output and "Traceback" not in output
    assert not (tmp_path / "o").exists()


def test_shift_end_before_start_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('[calendar.shifts.senin]\nstart = "16:00"\nend = "07:30"\n', encoding="utf-8")
    code, output = _cli(tmp_path, "--week", "2017-11-13", "--policy", str(path))
    assert code == 2 and output.strip().startswith("ERROR:") and "senin" in output, output


def test_week_of_holidays_is_an_error(tmp_path: Path) -> None:
    code, output = _cli(tmp_path, "--week", "2018-06-11")  # Idul Fitri 2018 + cuti bersama
    assert code == 2 and "no working day" in output, output
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("week", "expected"), [("2017-11-14", "Monday"), ("13/11/2017", "date")])
def test_week_must_be_a_monday_date(tmp_path: Path, week: str, expected: str) -> None:
    code, output = _cli(tmp_path, "--week", week)
    assert code == 2 and expected in output, output


def test_zero_time_limit_is_an_error(tmp_path: Path) -> None:
    code, output = _cli(tmp_path, "--week", "2017-11-13", "--time-limit", "0")
    assert code == 2 and output.strip().startswith("ERROR:") and "--time-limit" in output, output


def test_replan_keeps_the_bases_the_plan_chose(tmp_path: Path) -> None:
    teams = tmp_path / "teams.toml"
    teams.write_text(
        '[[teams]]\nid="p"\nname="P"\ndepot="dinas-36.01"\nbase="auto"\nkits=2\n',
        encoding="utf-8",
    )
    fast = ["--teams", str(teams), "--time-limit", "3", "--solution-limit", "30"]
    code, output = _cli(tmp_path, "--week", "2017-11-13", *fast)
    assert code == 0, output
    document = json.loads((tmp_path / "o" / "plan.json").read_text(encoding="utf-8"))
    chosen = document["bases"][0]["base"]
    assert chosen and chosen.startswith("kec-36.01."), document["bases"]
    lock = tmp_path / "lock.json"
    # only Monday and Tuesday in the lock: nothing pinned from Wednesday on, so any base works
    early = [d for d in document["team_days"] if d["date"] < "2017-11-15"]
    document = {**document, "team_days": early}

    def replan(bases: object, out: str) -> tuple[int, str]:
        lock.write_text(json.dumps({**document, "bases": bases}), encoding="utf-8")
        result = runner.invoke(
            app,
            ["plan", "--region", "banten", "--week", "2017-11-13", "--lock", str(lock),
             "--from", "2017-11-15", "--out", str(tmp_path / out), *fast],
        )  # fmt: skip
        return result.exit_code, result.output

    def places(out: str) -> list[tuple[str, str]]:
        days = json.loads((tmp_path / out / "plan.json").read_text(encoding="utf-8"))["team_days"]
        return [(d["start_place"], d["end_place"]) for d in days]

    # Wednesday on: the team is already at the base it went to on Monday
    code, output = replan(document["bases"], "kept")
    assert code == 0, output
    assert places("kept")[0][0] == chosen and places("kept")[-1][1] == "dinas-36.01"
    # the lock decides, not a new choice: a lock that says "home" keeps the team home, once
    # it is back from where the lock's Tuesday left it (issue 17: a re-plan starts each team
    # where it slept)
    code, output = replan([{**document["bases"][0], "base": None}], "home")
    assert code == 0, output
    slept = early[-1]["end_place"]
    first, *rest = places("home")
    assert first == (slept, "dinas-36.01")
    assert set(rest) <= {("dinas-36.01", "dinas-36.01")}
    code, output = replan([{"team_id": 3}], "bad")
    assert code == 2 and "bases[0]" in output and output.strip().startswith("ERROR:"), output
    assert not (tmp_path / "bad").exists()


def test_replan_keeps_done_and_pinned_visits(banten_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from planner.week.plan_file import write_plan_json
    from planner.week.replan import prepare_replan

    region, classified, registry, travel = banten_env
    teams = _teams(
        [
            {"id": "a", "name": "A", "depot": "dinas-36.73", "kits": 2},
            {"id": "b", "name": "B", "depot": "dinas-36.04", "kits": 1, "boat": True},
        ]
    )
    policy = _policy(time_limit_s=4, solution_limit=50)
    first = plan_week(WeekInputs(region, classified, registry, teams, policy, WEEK, travel))
    lock = tmp_path / "plan.json"
    write_plan_json(first, lock)
    monday = first.itinerary[first.itinerary["date"] == "2017-11-13"].iloc[0]
    done = tmp_path / "done.csv"
    done.write_text(
        f"tim;tanggal;kode_desa;direkam\n{monday['team_id']};2017-11-13;{monday['kode_desa']};5\n",
        encoding="utf-8",
    )
    from_day = date(2017, 11, 15)
    replan = prepare_replan(
        registry, lock, done, from_day, region_key="banten", week_start=WEEK, assume_done=True
    )
    before = int(registry.counts.at[monday["kode_desa"], "belum_rekam"])
    # without --assume-done, a visit nobody reported is not done: only the reported 5 count
    strict = prepare_replan(registry, lock, done, from_day, region_key="banten", week_start=WEEK)
    assert int(strict.registry.counts.at[monday["kode_desa"], "belum_rekam"]) == before - 5
    past = first.itinerary[first.itinerary["date"] < "2017-11-15"]
    reported_key = (monday["team_id"], "2017-11-13", monday["kode_desa"])
    keys = list(zip(past["team_id"], past["date"], past["kode_desa"], strict=True))
    assert len(strict.unreported) == sum(k != reported_key for k in keys)
    history = first.itinerary[
        (first.itinerary["date"] < "2017-11-15")
        & (first.itinerary["kode_desa"] == monday["kode_desa"])
    ]
    # the reported visit counts 5; with --assume-done other visits before --from count what
    # the plan expected
    others = int(history["expected_recordings"].sum()) - int(monday["expected_recordings"])
    after = int(replan.registry.counts.at[monday["kode_desa"], "belum_rekam"])
    assert after == max(0, before - 5 - others)
    second = plan_week(
        WeekInputs(region, classified, replan.registry, teams, policy, WEEK, travel),
        visited=replan.visited,
        pinned=replan.pinned,
        from_date=from_day,
    )
    pinned_ids = [c.chunk_id for r in second.results for c in r.group.chunks if c.locked_vehicle_id]
    assert pinned_ids and verify_plan(second, locked=pinned_ids) == []
    assert (second.itinerary["date"] >= "2017-11-15").all()
    kept = first.itinerary[first.itinerary["date"] >= "2017-11-15"]
    for row in kept.to_dict("records"):
        same_day = second.itinerary[
            (second.itinerary["team_id"] == row["team_id"])
            & (second.itinerary["date"] == row["date"])
        ]
        assert row["site_id"] in set(same_day["site_id"])
    assert set(second.itinerary.loc[second.itinerary["part"] == "tetap", "site_id"]) <= set(
        kept["site_id"]
    )


def test_done_csv_problems_are_listed(banten_env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from planner.core.errors import InputError
    from planner.week.plan_file import write_plan_json
    from planner.week.replan import prepare_replan

    region, classified, registry, travel = banten_env
    teams = _teams([{"id": "a", "name": "A", "depot": "dinas-36.73"}])
    first = plan_week(
        WeekInputs(
            region,
            classified,
            registry,
            teams,
            _policy(time_limit_s=2, solution_limit=20),
            WEEK,
            travel,
        ),
    )
    lock = tmp_path / "plan.json"
    write_plan_json(first, lock)
    done = tmp_path / "done.csv"
    done.write_text(
        "team_id,date,kode_desa,recorded\na,2017-13-01,36.73.01.1001,4\na,2017-11-13,36.73.01.1001,-2\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        prepare_replan(
            registry, lock, done, date(2017, 11, 15), region_key="banten", week_start=WEEK
        )
    text = "\n".join(err.value.problems)
    assert "row 2" in text and "row 3" in text
    with pytest.raises(InputError, match="week"):
        prepare_replan(
            registry,
            lock,
            None,
            date(2017, 11, 22),
            region_key="banten",
            week_start=date(2017, 11, 20),
        )


def test_dask_scheduler_gives_the_same_plan(banten_env) -> None:  # type: ignore[no-untyped-def]
    from distributed import LocalCluster

    from planner.week.plan_file import plan_document

    region, classified, registry, travel = banten_env
    teams = _teams(
        [
            {"id": "a", "name": "A", "depot": "dinas-36.73", "kits": 2},
            {"id": "c", "name": "C", "depot": "dinas-36.72", "kits": 1},
        ]
    )
    policy = _policy(time_limit_s=30, solution_limit=40, seed=2)
    local = plan_week(WeekInputs(region, classified, registry, teams, policy, WEEK, travel))
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        remote = plan_week(
            WeekInputs(region, classified, registry, teams, policy, WEEK, travel),
            scheduler=cluster.scheduler_address,
        )
    assert verify_plan(remote) == []
    assert json.dumps(plan_document(local), sort_keys=True) == json.dumps(
        plan_document(remote), sort_keys=True
    )
