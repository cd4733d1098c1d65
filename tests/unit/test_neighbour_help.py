"""Cross-regency help (policy ``help_neighbour_regencies``): teams record in touching regencies."""

from __future__ import annotations

from datetime import date

from planner.domain.config import apply_overrides, load_policy, teams_from_dict
from planner.geo.neighbours import regency_neighbours, teams_with_neighbours
from planner.week.types import WeekInputs

KOTA_SERANG, CILEGON, KAB_SERANG, KAB_TANGERANG = "36.73", "36.72", "36.04", "36.03"


def test_banten_regency_neighbours_are_symmetric_and_plausible(banten, banten_classified) -> None:  # type: ignore[no-untyped-def]
    neighbours = regency_neighbours(banten_classified.villages, banten.config.crs_metric)
    assert set(neighbours) == set(banten.config.regency_codes)
    for kab, others in neighbours.items():
        assert kab not in others
        assert all(kab in neighbours[o] for o in others)
    assert KAB_SERANG in neighbours[KOTA_SERANG] and KAB_SERANG in neighbours[CILEGON]
    # Kota Serang lies inside Kab. Serang, far from Kab. Tangerang
    assert KAB_TANGERANG not in neighbours[KOTA_SERANG]


def test_help_lets_teams_record_in_a_touching_regency(banten, banten_classified) -> None:  # type: ignore[no-untyped-def]
    from planner.geo.estimate import estimate_registry
    from planner.travel.regional import travel_model_for
    from planner.week.plan import plan_week
    from planner.week.verify import verify_plan

    teams = teams_from_dict(
        {
            "teams": [
                {"id": "a", "name": "A", "depot": "dinas-36.73", "kits": 2},
                {"id": "b", "name": "B", "depot": "dinas-36.72", "kits": 1},
            ]
        },
        source="test-teams.toml",
    )
    neighbours = regency_neighbours(banten_classified.villages, banten.config.crs_metric)
    helped = teams_with_neighbours(teams, neighbours)
    assert [t.regencies[0] for t in helped.teams] == [KOTA_SERANG, CILEGON]
    assert all(KAB_SERANG in t.regencies for t in helped.teams)
    policy = apply_overrides(
        load_policy(None),
        {"help_neighbour_regencies": True, "solver": {"time_limit_s": 2, "solution_limit": 20}},
    )
    plan = plan_week(
        WeekInputs(
            banten,
            banten_classified,
            estimate_registry(banten, banten_classified),
            teams,
            policy,
            date(2017, 11, 13),
            travel_model_for(banten),
        )
    )
    assert verify_plan(plan) == []
    # the two teams now share Kab. Serang, so they are planned together, and go there
    assert len(plan.results) == 1
    assert (plan.itinerary["kode_desa"].str[:5] == KAB_SERANG).any()
