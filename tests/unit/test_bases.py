"""Tests for planner.week.bases: which kecamatan office an "auto" team sleeps at, and why."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from planner.domain.config import teams_from_dict
from planner.travel import TravelMatrix
from planner.week.bases import MIN_BASE_MINUTES, choose_bases
from tests.matrices import pair_matrix

DEPOTS = pd.DataFrame(
    {
        "depot_id": ["dinas-36.01", "kec-36.01.01", "kec-36.01.02", "kec-36.01.03"],
        "name": ["Dinas", "Kec Dekat", "Kec Selatan", "Kec Barat"],
        "kind": ["dinas", "kecamatan", "kecamatan", "kecamatan"],
        "kode_kab": ["36.01"] * 4,
    }
)


def _matrix(minutes: dict[tuple[str, str], float], ids: list[str]) -> TravelMatrix:
    return pair_matrix(minutes, ids)


def _world() -> tuple[dict[str, TravelMatrix], pd.DataFrame]:
    """Depot near site a; 'Dekat' 20 min from it; 'Selatan' near b, 'Barat' near c."""
    ids = [*DEPOTS["depot_id"], "a", "b", "c"]
    legs = {
        ("dinas-36.01", "a"): 10.0,
        ("dinas-36.01", "kec-36.01.01"): 20.0,
        ("kec-36.01.01", "a"): 15.0,
        ("dinas-36.01", "kec-36.01.02"): 120.0,
        ("kec-36.01.02", "b"): 20.0,
        ("dinas-36.01", "kec-36.01.03"): 100.0,
        ("kec-36.01.03", "c"): 30.0,
        ("dinas-36.01", "b"): 130.0,
        ("dinas-36.01", "c"): 110.0,
    }
    demand = pd.DataFrame(
        {
            "site_id": ["a", "b", "c"],
            "kode_kab": ["36.01"] * 3,
            "expected": [100, 100, 100],
            "weight": [1.0, 3.0, 2.0],
        }
    )
    return {"mobil": _matrix(legs, ids)}, demand


def _teams(*bases: str | None):  # type: ignore[no-untyped-def]
    rows = [
        {"id": f"t{k}", "name": f"T{k}", "depot": "dinas-36.01", **({"base": b} if b else {})}
        for k, b in enumerate(bases)
    ]
    return teams_from_dict({"teams": rows}).teams


def test_auto_teams_spread_over_the_best_offices() -> None:
    matrices, demand = _world()
    teams = _teams("auto", "auto", "auto")
    resolved, choices = choose_bases(
        teams, matrices, demand, DEPOTS, dict.fromkeys(["t0", "t1", "t2"], 100.0)
    )
    # each team can record 100 a week: the first takes b (weight 3), the second c (weight 2),
    # the third finds only a left, which the depot reaches as well: it stays home
    assert [t.base for t in resolved] == ["kec-36.01.02", "kec-36.01.03", None]
    assert [c.reason for c in choices] == ["more_in_reach", "more_in_reach", "depot_reaches_more"]
    assert (choices[0].score, choices[0].depot_score) == (300.0, 100.0)
    assert choices[0].minutes_from_depot == 120.0
    assert choices[0].alasan.startswith("menginap di Kec Selatan")
    assert choices[2].alasan.startswith("pulang ke Dinas")
    # the office 20 min from the depot is never offered (MIN_BASE_MINUTES)
    assert MIN_BASE_MINUTES > 20.0
    assert all(c.base != "kec-36.01.01" for c in choices)
    # same inputs, same choices
    assert (
        choose_bases(teams, matrices, demand, DEPOTS, dict.fromkeys(["t0", "t1", "t2"], 100.0))[1]
        == choices
    )


def test_fixed_teams_claim_first_and_small_gains_stay_home() -> None:
    matrices, demand = _world()
    teams = _teams("kec-36.01.02", "auto")
    capacity = {"t0": 100.0, "t1": 100.0}
    resolved, choices = choose_bases(teams, matrices, demand, DEPOTS, capacity)
    # t0 sleeps at Selatan and claims b: t1 goes west, to c
    assert [t.base for t in resolved] == ["kec-36.01.02", "kec-36.01.03"]
    assert len(choices) == 1 and choices[0].team_id == "t1"
    # c worth no more than a: home
    flat = demand.assign(weight=1.0)
    _, choices = choose_bases(_teams("auto"), matrices, flat, DEPOTS, {"t0": 100.0})
    assert choices[0].base is None and choices[0].reason == "depot_reaches_more"
    # no office far enough: home, with that reason
    near = DEPOTS[DEPOTS["depot_id"].isin(["dinas-36.01", "kec-36.01.01"])]
    _, choices = choose_bases(_teams("auto"), matrices, demand, near, {"t0": 100.0})
    assert choices[0].reason == "no_candidate" and "30 menit" in choices[0].alasan


def test_a_fixed_trip_claims_from_every_night_place() -> None:
    matrices, demand = _world()
    trip = {
        "id": "t0",
        "name": "T0",
        "depot": "dinas-36.01",
        "base": "kec-36.01.02",
        # Monday and Tuesday nights at Barat (near c), Wednesday and Thursday at Selatan (b)
        "nights": {"senin": "kec-36.01.03", "selasa": "kec-36.01.03"},
    }
    auto = {"id": "t1", "name": "T1", "depot": "dinas-36.01", "base": "auto"}
    teams = teams_from_dict({"teams": [trip, auto]}).teams
    capacity = {"t0": 200.0, "t1": 100.0}
    # t0 records 100 a week from each place (half its nights at each): b and c are taken, so
    # t1 finds nothing out there and stays home (counting only Selatan, it went to Barat for c)
    resolved, choices = choose_bases(teams, matrices, demand, DEPOTS, capacity)
    assert resolved[0] == teams[0]
    assert [(c.team_id, c.base, c.reason) for c in choices] == [("t1", None, "depot_reaches_more")]
    assert choices[0].score == choices[0].depot_score == 100.0
    # the week's own dates give the same split (Monday..Friday, no holiday)
    week = [(date(2026, 11, 30) + timedelta(days=k), 40.0) for k in range(5)]
    dated = choose_bases(
        teams, matrices, demand, DEPOTS, capacity, day_capacity={"t0": week, "t1": week}
    )
    assert dated[1] == choices
    # a week without the Barat nights (Monday and Tuesday off): every night at Selatan, and
    # the claim is the fixed base's alone, as before: c is left for t1
    short = week[2:]
    _, choices = choose_bases(
        teams, matrices, demand, DEPOTS, capacity, day_capacity={"t0": short, "t1": week}
    )
    assert [(c.base, c.reason) for c in choices] == [("kec-36.01.03", "more_in_reach")]
