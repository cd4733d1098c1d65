"""A re-plan keeps the days of a multi-day trip the earlier plan chose, not only its base."""

from __future__ import annotations

from planner.domain.config import TeamsConfig
from planner.week.bases import with_bases
from planner.week.replan import _chosen_base_days, _chosen_bases

BASES = [
    {"team_id": "perahu", "base": "kec-35.29.08", "days": ["senin", "selasa", "rabu"]},
    {"team_id": "darat", "base": "kec-35.29.01", "days": None},
    {"team_id": "pulang", "base": None},
]


def test_trip_days_are_read_with_their_bases() -> None:
    assert _chosen_bases(BASES, "plan.json") == {
        "perahu": "kec-35.29.08",
        "darat": "kec-35.29.01",
        "pulang": None,
    }
    assert _chosen_base_days(BASES) == {"perahu": ("senin", "selasa", "rabu")}
    assert _chosen_base_days(None) == {}


def test_kept_trip_days_reach_the_team() -> None:
    teams = TeamsConfig.model_validate(
        {
            "region": "sumenep",
            "teams": [
                {"id": "perahu", "name": "Tim Perahu", "depot": "dinas-35.29", "boat": True,
                 "base": "auto"},
                {"id": "darat", "name": "Tim Darat", "depot": "dinas-35.29", "base": "auto"},
            ],
        }
    )  # fmt: skip
    bases = _chosen_bases(BASES[:2], "plan.json")
    days = _chosen_base_days(BASES[:2])
    kept = {t.id: t for t in with_bases(teams, bases, {t: days.get(t) for t in bases}).teams}
    assert kept["perahu"].base == "kec-35.29.08"
    assert kept["perahu"].base_days == ["senin", "selasa", "rabu"]
    assert kept["darat"].base == "kec-35.29.01" and kept["darat"].base_days is None
