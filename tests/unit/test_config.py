"""Configuration models: defaults, loading, one ConfigError listing every problem."""

from __future__ import annotations

import contextlib
import csv
from datetime import date, time
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.errors import ConfigError
from planner.domain.config import (
    CalendarConfig,
    FirstSolution,
    Metaheuristic,
    Policy,
    SolverSettings,
    Team,
    TeamsConfig,
    apply_overrides,
    calendar_from_dict,
    load_calendar,
    load_policy,
    load_solver,
    load_teams,
    parse_weekday,
    policy_from_dict,
    solver_from_dict,
    teams_from_dict,
    validate_teams_against,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def _team(**extra: Any) -> dict[str, Any]:
    return {"id": "serang-1", "name": "Tim Serang 1", "depot": "dinas-36.04", **extra}


def _problems(func: Any, data: Any) -> list[str]:
    with pytest.raises(ConfigError) as info:
        func(data)
    return info.value.problems


# --------------------------------------------------------------------------- teams


def test_team_defaults_and_depot_regency() -> None:
    config = teams_from_dict({"teams": [_team(), _team(id="pulo", depot="kec-36.04.08")]})
    team = config.teams[0]
    assert team.modes == ["mobil"] and team.kits == 1 and not team.boat
    assert team.minutes_per_record == 7.0 and team.setup_minutes == 30
    assert team.working_days == ["senin", "selasa", "rabu", "kamis", "jumat"]
    assert team.regencies == ["36.04"]
    assert config.teams[1].regency == "36.04" and config.teams[1].regencies == ["36.04"]
    assert config.team("pulo").depot == "kec-36.04.08"
    with pytest.raises(ConfigError, match="no team with id"):
        config.team("nope")


def test_service_minutes() -> None:
    team = teams_from_dict({"teams": [_team(kits=2, minutes_per_record=6.0)]}).teams[0]
    assert team.service_minutes(0) == 30.0
    assert team.service_minutes(50) == pytest.approx(30 + 50 * 6 / 2)


def test_weekday_names_in_both_languages() -> None:
    team = teams_from_dict({"teams": [_team(working_days=["Sat", "senin", "Jum'at", "TUE"])]})
    assert team.teams[0].working_days == ["senin", "selasa", "jumat", "sabtu"]
    assert parse_weekday("friday") == 4 and parse_weekday("minggu") == 6
    with pytest.raises(ValueError):
        parse_weekday("fryday")


def test_defaults_table_applies_unless_team_sets_its_own() -> None:
    config = teams_from_dict(
        {
            "defaults": {"kits": 2, "working_days": ["mon", "tue", "wed", "thu", "fri", "sat"]},
            "teams": [_team(), _team(id="b", kits=1)],
        }
    )
    assert [t.kits for t in config.teams] == [2, 1]
    assert all("sabtu" in t.working_days for t in config.teams)


def test_zero_kits_message_has_file_and_path() -> None:
    problems = _problems(
        teams_from_dict, {"teams": [_team(), _team(id="b"), _team(id="c", kits=0)]}
    )
    assert problems == ["teams.toml: teams[2].kits: must be at least 1 (got 0)"]


def test_every_team_problem_listed_at_once() -> None:
    data = {
        "defaults": {"kits": "two", "colour": "red"},
        "teams": [
            _team(kitz=1, working_days=["fryday"], modes=["perahu"]),
            _team(name="", depot="dinas-3604", boat="yes", minutes_per_record=-1),
            _team(regencies=["36.4"], modes=[]),
        ],
    }
    text = "\n".join(_problems(teams_from_dict, data))
    for expected in [
        "teams.toml: defaults.kits: must be a whole number (got 'two')",
        "teams.toml: defaults.colour: unknown key 'colour'",
        "teams.toml: teams[0].kitz: unknown key 'kitz'; did you mean 'kits'?",
        "teams.toml: teams[0].working_days[0]: unknown weekday name 'fryday'",
        "teams.toml: teams[0].modes[0]: 'perahu' is not a team mode; set boat = true",
        "teams.toml: teams[1].name: must not be empty",
        "teams.toml: teams[1].depot: must be a depot id like dinas-36.04",
        "teams.toml: teams[1].boat: must be true or false (got 'yes')",
        "teams.toml: teams[1].minutes_per_record: must be greater than 0",
        "teams.toml: teams[2].regencies[0]: must be a regency code PP.KK",
        "teams.toml: teams[2].modes: must have at least 1 item",
        "teams.toml: teams: team ids must be unique; repeated: 'serang-1'",
    ]:
        assert expected in text
    assert "pydantic" not in text and "Input should" not in text
    # a bad default is reported once, under defaults, not again for every team
    assert "teams[0].kits" not in text


def test_sunday_and_wrong_types() -> None:
    problems = _problems(
        teams_from_dict, {"teams": [_team(working_days=["minggu"], kits=1.5, cost_per_km="5")]}
    )
    text = "\n".join(problems)
    assert "teams[0].working_days: Sunday (minggu) is not a working day" in text
    assert "teams[0].kits: must be a whole number (got 1.5)" in text
    assert "teams[0].cost_per_km: must be a number (got '5')" in text


def test_top_level_shape_errors() -> None:
    assert _problems(teams_from_dict, {}) == ["teams.toml: teams: required key is missing"]
    assert _problems(teams_from_dict, {"teams": []}) == [
        "teams.toml: teams: must have at least 1 item"
    ]
    assert _problems(teams_from_dict, {"teams": "x"}) == [
        "teams.toml: teams: must be a list [ ... ] (got 'x')"
    ]
    assert _problems(teams_from_dict, ["x"])[0].startswith("teams.toml: expected a table")


def test_validate_teams_against_region() -> None:
    config = teams_from_dict(
        {"teams": [_team(), _team(id="x", depot="dinas-36.99", regencies=["36.04", "32.01"])]}
    )
    problems = validate_teams_against(config, ["dinas-36.04", "dinas-36.01"], ["36.04", "36.01"])
    assert len(problems) == 2
    assert problems[0].startswith("teams.toml: teams[1].depot: unknown depot 'dinas-36.99'")
    assert problems[1].startswith("teams.toml: teams[1].regencies[1]: regency '32.01'")
    assert validate_teams_against(config.teams[:1], ["dinas-36.04"], ["36.04"]) == []


def test_overnight_base_must_be_a_depot_of_the_region() -> None:
    config = teams_from_dict(
        {"teams": [_team(base="kec-36.04.08"), _team(id="y", base="kec-36.04.99")]}
    )
    assert config.teams[0].base == "kec-36.04.08"
    problems = validate_teams_against(config, ["dinas-36.04", "kec-36.04.08"], ["36.04"])
    assert len(problems) == 1
    assert problems[0].startswith("teams.toml: teams[1].base: unknown depot 'kec-36.04.99'")
    assert "did you mean 'kec-36.04.08'" in problems[0]
    with pytest.raises(ConfigError, match=r"teams\[0\]\.base: must be a depot id"):
        teams_from_dict({"teams": [_team(base="balai desa")]})


def test_auto_base_is_accepted_everywhere_a_base_is() -> None:
    config = teams_from_dict({"defaults": {"base": "auto"}, "teams": [_team(), _team(id="y")]})
    assert [t.base for t in config.teams] == ["auto", "auto"]
    # "auto" is no depot id, yet the region check leaves it to the planner
    assert validate_teams_against(config, ["dinas-36.04"], ["36.04"]) == []
    problems = _problems(teams_from_dict, {"teams": [_team(base="otomatis")]})
    assert len(problems) == 1
    assert "teams[0].base" in problems[0] and "'otomatis'" in problems[0]
    assert '"auto"' in problems[0] and "kec-36.04.08" in problems[0]


def test_a_base_makes_the_week_one_trip() -> None:
    from planner.week.team_days import team_days_of_week

    config = teams_from_dict({"teams": [_team(base="kec-36.04.08"), _team(id="home")]})
    days, _ = team_days_of_week(config, load_policy(None), date(2017, 11, 13), "Asia/Jakarta")
    trip = [(td.start_place, td.end_place) for td in days if td.team.id == "serang-1"]
    depot, base = "dinas-36.04", "kec-36.04.08"
    assert trip == [(depot, base), (base, base), (base, base), (base, base), (base, depot)]
    assert {(td.start_place, td.end_place) for td in days if td.team.id == "home"} == {
        (depot, depot)
    }
    # Maulid Nabi (Fri 1 Dec 2017): the trip ends on Thursday
    days, _ = team_days_of_week(config, load_policy(None), date(2017, 11, 27), "Asia/Jakarta")
    trip = [(td.day.weekday, td.end_place) for td in days if td.team.id == "serang-1"]
    assert trip[-1] == ("Kamis", depot)


# --------------------------------------------------------------------------- policy, calendar


def test_policy_defaults() -> None:
    policy = load_policy(None)
    assert policy == Policy()
    assert (policy.turnout, policy.repeat_turnout, policy.ghost_share) == (0.6, 0.3, 0.1)
    assert policy.terpencil_minutes == 90
    assert policy.class_weights.weight([]) == 1.0
    assert policy.class_weights.weight(["pulau", "pesisir"]) == pytest.approx(3.25)
    assert policy.expected_attendance(100) == pytest.approx(54.0)
    assert policy.expected_attendance(100, repeat=True) == pytest.approx(27.0)
    assert policy.solver == SolverSettings()
    assert policy.solver.first_solution == "PARALLEL_CHEAPEST_INSERTION"
    with pytest.raises(ConfigError):
        policy.class_weights.weight(["kota"])


def test_calendar_defaults_perpres_21_2023() -> None:
    cal = CalendarConfig()
    week = [cal.shifts.for_weekday(i) for i in range(5)]
    assert sum(s.working_minutes for s in week if s) == 37.5 * 60
    ramadan = [cal.ramadan_shifts.for_weekday(i) for i in range(5)]
    assert sum(s.working_minutes for s in ramadan if s) == 32.5 * 60
    assert cal.shifts.for_weekday(6) is None
    sabtu = cal.shifts.sabtu
    assert sabtu is not None and (sabtu.start, sabtu.end, sabtu.break_minutes) == (450, 720, 0)


def test_partial_shift_table_keeps_that_days_defaults() -> None:
    cal = calendar_from_dict({"shifts": {"fri": {"break_minutes": 60}, "sabtu": {"end": "13:00"}}})
    assert (cal.shifts.jumat.end, cal.shifts.jumat.break_minutes) == (990, 60)
    assert cal.shifts.sabtu is not None and cal.shifts.sabtu.end == 780
    cal2 = calendar_from_dict({"shifts": {"senin": {"start": time(8, 0)}}})
    assert cal2.shifts.senin.start == 480


def test_bad_calendar_lists_all_problems() -> None:
    data = {
        "calendar": {
            "shifts": {
                "monday": {"end": "07:00"},
                "selasa": {"break_latest": "15:30"},
                "rabu": {"start": "7.30am"},
                "funday": {},
            },
            "extra_working": ["2017-13-01"],
            "ramadan_periods": [{"start": date(2018, 5, 17), "end": date(2018, 5, 1)}],
        },
        "turnout": 1.5,
        "ghost_share": 1,
        "class_weights": {"pulau": float("nan")},
        "solver": {"seed": -1, "first_solution": "FASTEST"},
        "max_attendance_per_visit_day": 0,
    }
    text = "\n".join(_problems(policy_from_dict, data))
    for expected in [
        "policy.toml: calendar.shifts.senin.end: shift end 07:00 must be after its start 07:30",
        "policy.toml: calendar.shifts.selasa.break_latest: a 60-minute break starting at 15:30",
        'policy.toml: calendar.shifts.rabu.start: must be a clock time like "07:30"',
        "policy.toml: calendar.shifts.funday: unknown key 'funday'",
        "policy.toml: calendar.extra_working[0].date: must be a date like 2017-11-13",
        "policy.toml: calendar.ramadan_periods[0].end: end 2018-05-01 is before start",
        "policy.toml: turnout: must be at most 1.0 (got 1.5)",
        "policy.toml: ghost_share: must be less than 1.0 (got 1)",
        "policy.toml: class_weights.pulau: must be a finite number",
        "policy.toml: solver.seed: must be at least 0 (got -1)",
        "policy.toml: solver.first_solution: must be one of",
        "policy.toml: max_attendance_per_visit_day: must be at least 1 (got 0)",
    ]:
        assert expected in text


def test_repeat_turnout_not_above_turnout() -> None:
    problems = _problems(policy_from_dict, {"turnout": 0.5, "repeat_turnout": 0.8})
    assert problems == ["policy.toml: repeat_turnout: must not exceed turnout (0.5) (got 0.8)"]


def test_solver_settings() -> None:
    solver = solver_from_dict({"time_limit_s": 5, "solution_limit": 10, "seed": 3})
    assert (solver.time_limit_s, solver.solution_limit, solver.seed) == (5.0, 10, 3)
    from ortools.constraint_solver import routing_enums_pb2 as enums

    first = set(enums.FirstSolutionStrategy.Value.keys()) - {"UNSET"}
    meta = set(enums.LocalSearchMetaheuristic.Value.keys()) - {"UNSET"}
    assert set(get_args(FirstSolution)) == first
    assert set(get_args(Metaheuristic)) == meta | {"ITERATED_LOCAL_SEARCH"}
    assert solver.first_solution in first and solver.metaheuristic in meta


def test_iterated_local_search_is_a_policy_choice(tmp_path: Path) -> None:
    from planner.week.solve import solver_options

    path = tmp_path / "policy.toml"
    path.write_text('[solver]\nmetaheuristic = "ITERATED_LOCAL_SEARCH"\nsolution_limit = 40\n')
    policy = load_policy(path)
    assert policy.solver.metaheuristic == "ITERATED_LOCAL_SEARCH"
    options = solver_options(policy.solver, 3.0)
    # warm-started groups run the iterated local search too, the start routes as its hint;
    # the metaheuristic passed on is unused
    assert options.iterated_local_search and options.metaheuristic == "GUIDED_LOCAL_SEARCH"
    assert (options.time_limit_s, options.solution_limit) == (3.0, 40)
    for name in ("GUIDED_LOCAL_SEARCH", "TABU_SEARCH"):
        plain = solver_options(solver_from_dict({"metaheuristic": name}), 3.0)
        assert not plain.iterated_local_search and plain.metaheuristic == name
    # the command line's --metaheuristic goes through the same override
    assert apply_overrides(
        load_policy(None), {"solver": {"metaheuristic": "ITERATED_LOCAL_SEARCH"}}
    )
    with pytest.raises(ConfigError) as info:
        solver_from_dict({"metaheuristic": "ITERATED"})
    assert "ITERATED_LOCAL_SEARCH" in " ".join(info.value.problems)


# --------------------------------------------------------------------------- files, overrides


def test_load_files(tmp_path: Path) -> None:
    path = tmp_path / "teams.toml"
    path.write_text('[[teams]]\nid = "a"\nname = "A"\ndepot = "dinas-36.01"\nkits = 0\n')
    with pytest.raises(ConfigError) as info:
        load_teams(path)
    assert info.value.problems == [f"{path}: teams[0].kits: must be at least 1 (got 0)"]
    bad = tmp_path / "bad.toml"
    bad.write_text("turnout = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_policy(bad)
    with pytest.raises(ConfigError, match="file not found"):
        load_teams(tmp_path / "missing.toml")
    policy = tmp_path / "policy.toml"
    policy.write_text("[calendar.shifts.sabtu]\nend = 13:00:00\n[solver]\nseed = 7\n")
    assert load_calendar(policy).shifts.sabtu.end == 780  # type: ignore[union-attr]
    assert load_solver(policy).seed == 7


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*/teams.toml")), ids=lambda p: p.parent.name)
def test_example_teams_load(path: Path) -> None:
    config = load_teams(path)
    assert config.teams
    assert all(1 <= t.kits <= 2 for t in config.teams)
    depots_csv = REPO / "geodata" / path.parent.name / "depots.csv"
    if depots_csv.exists():
        with depots_csv.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        depots = [row["depot_id"] for row in rows]
        regencies = {row["kode_kab"] for row in rows}
        assert validate_teams_against(config, depots, regencies) == []


def test_example_banten_teams_match_the_brief() -> None:
    config = load_teams(EXAMPLES / "banten" / "teams.toml")
    by_regency: dict[str, list[Team]] = {}
    for team in config.teams:
        by_regency.setdefault(team.regency, []).append(team)
    assert sorted(by_regency) == [
        "36.01", "36.02", "36.03", "36.04", "36.71", "36.72", "36.73", "36.74"
    ]  # fmt: skip
    assert len(by_regency["36.01"]) == 3  # Pandeglang: 3 mobile cars (2018)
    assert any(t.boat for t in by_regency["36.04"])  # Kab. Serang islands
    assert any(t.modes == ["motor"] for t in by_regency["36.02"])  # Lebak hills
    assert all(t.depot == f"dinas-{t.regency}" for t in config.teams)


def test_example_policy_is_the_defaults() -> None:
    assert load_policy(EXAMPLES / "policy.toml") == Policy()


def test_apply_overrides_deep_merge_and_revalidate() -> None:
    policy = Policy()
    new = apply_overrides(
        policy, {"turnout": 0.7, "calendar": {"shifts": {"sabtu": {"end": "13:00"}}}}
    )
    assert new.turnout == 0.7 and policy.turnout == 0.6
    assert new.calendar.shifts.sabtu is not None and new.calendar.shifts.sabtu.end == 780
    assert new.calendar.shifts.jumat == policy.calendar.shifts.jumat
    with pytest.raises(ConfigError) as info:
        apply_overrides(policy, {"turnout": 2, "calendar": {"shiftz": {}}}, source="s.toml")
    assert "s.toml: turnout: must be at most 1.0 (got 2)" in info.value.problems
    assert any(p.startswith("s.toml: calendar.shiftz: unknown key") for p in info.value.problems)


def test_apply_overrides_on_teams_merges_by_id_and_defaults() -> None:
    config = teams_from_dict({"defaults": {"kits": 1}, "teams": [_team(), _team(id="b", kits=2)]})
    new = apply_overrides(
        config,
        {
            "defaults": {"kits": 2, "minutes_per_record": 5.0},
            "teams": [{"id": "b", "boat": True}, _team(id="c", depot="dinas-36.01")],
        },
    )
    assert [(t.id, t.kits, t.boat) for t in new.teams] == [
        ("serang-1", 2, False),
        ("b", 2, True),
        ("c", 2, False),
    ]
    assert all(t.minutes_per_record == 5.0 for t in new.teams)
    assert isinstance(new, TeamsConfig) and isinstance(new.teams[0], Team)


# --------------------------------------------------------------------------- fuzzing

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.dates()
    | st.times()
    | st.sampled_from(["07:30", "senin", "sat", "mobil", "dinas-36.04", "36.04", "2018-05-17"])
)
_keys = st.sampled_from(
    [
        "teams",
        "defaults",
        "id",
        "name",
        "depot",
        "modes",
        "kits",
        "boat",
        "working_days",
        "regencies",
        "calendar",
        "shifts",
        "jumat",
        "start",
        "end",
        "break_minutes",
        "break_earliest",
        "break_latest",
        "turnout",
        "solver",
        "seed",
        "extra_working",
        "ramadan_periods",
        "date",
        "note",
        "class_weights",
        "pulau",
    ]
) | st.text(max_size=8)
_values = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_keys, children, max_size=5),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.dictionaries(_keys, _values, max_size=6))
def test_any_dict_gives_a_model_or_config_error(data: dict[str, Any]) -> None:
    for func in (teams_from_dict, policy_from_dict, calendar_from_dict, solver_from_dict):
        try:
            func(data)
        except ConfigError as exc:
            assert exc.problems and all(isinstance(p, str) for p in exc.problems)


@settings(max_examples=100, deadline=None)
@given(overrides=st.dictionaries(_keys, _values, max_size=4))
def test_any_override_gives_a_model_or_config_error(overrides: dict[str, Any]) -> None:
    base = teams_from_dict({"teams": [_team()]})
    for model in (base, Policy()):
        with contextlib.suppress(ConfigError):
            apply_overrides(model, overrides)
