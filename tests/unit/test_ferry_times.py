"""Timed ferries (``sea_links.csv`` ``departure``) on a small synthetic sea network.

A mainland with a depot ``D`` and a village ``A``, an island with villages ``X`` and ``Y``;
port ``P`` on the mainland, ``Q`` on the island. Land minutes: D-P 40, A-P 30, D-A 20, Q-X 10,
Q-Y 20, X-Y 15. A ferry P -> Q leaves at 09:00 and crosses in 120 minutes; boarding is 30 minutes.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from planner.present.routes import Stop, arrival_words, ferry_words
from planner.travel import Place, Port, TravelParams
from planner.travel.sea import compose_sea_legs
from planner.travel.types import SeaLink, SeaNetwork

PLACES = [
    Place("D", 113.90, -7.00),
    Place("A", 113.92, -7.02),
    Place("X", 114.40, -7.10, island="I"),
    Place("Y", 114.42, -7.12, island="I"),
]
PORTS = [
    Port("P", "Pelabuhan P", 113.95, -7.05),
    Port("Q", "Pelabuhan Q", 114.38, -7.09, island="I"),
]
D, A, X, Y = range(4)
SHIFT_START = 450.0  # 07:30
PARAMS = TravelParams(boarding_minutes=30.0)


def _land() -> tuple[np.ndarray, np.ndarray]:
    """Land legs over places + ports (rows D, A, X, Y, P, Q), ``inf`` between parts."""
    names = ["D", "A", "X", "Y", "P", "Q"]
    legs = {("D", "P"): 40, ("A", "P"): 30, ("D", "A"): 20, ("Q", "X"): 10, ("Q", "Y"): 20}
    legs[("X", "Y")] = 15
    n = len(names)
    minutes = np.full((n, n), math.inf)
    np.fill_diagonal(minutes, 0.0)
    for (a, b), m in legs.items():
        i, j = names.index(a), names.index(b)
        minutes[i, j] = minutes[j, i] = float(m)
    return minutes, minutes / 60.0 * 40.0  # km at 40 km/h


def _ferry(departure: float | None = 540.0, **kw: object) -> SeaLink:
    return SeaLink("F1", "P", "Q", "ferry", departure_minute=departure, minutes=120.0, **kw)  # type: ignore[arg-type]


def _legs(links: tuple[SeaLink, ...], depart: dict[int, float] | None = None):  # type: ignore[no-untyped-def]
    minutes, km = _land()
    sea = SeaNetwork(links=links)
    return compose_sea_legs(
        PLACES, PORTS, minutes, km, PARAMS, boat=True, sea=sea, weekday=0, depart=depart
    )


def test_first_leg_waits_for_the_ferry_and_lands_after_its_crossing() -> None:
    legs = _legs((_ferry(),), depart={D: SHIFT_START})
    # 07:30 + 40 min to P = 08:10; boarding from 08:30; leaves 09:00; lands 11:00; X at 11:10
    assert legs.minutes[D, X] == pytest.approx(11 * 60 + 10 - SHIFT_START)
    assert legs.boat_minutes[D, X] == pytest.approx(30.0 + 120.0)
    (catch,) = legs.ferries[(D, X)]
    assert (catch.link_id, catch.port) == ("F1", "P")
    assert catch.at_port == pytest.approx(SHIFT_START + 40.0)
    assert (catch.leave, catch.departure, catch.crossing) == (SHIFT_START, 540.0, 120.0)
    assert legs.via_port[D, X] == 0 and legs.via_port_end[D, X] == 1


def test_a_mid_day_leg_cannot_catch_a_timed_ferry() -> None:
    legs = _legs((_ferry(),), depart={D: SHIFT_START})
    # A is not a start place: no clock, no timed ferry, and no other boat
    assert math.isinf(legs.minutes[A, X])
    assert (A, X) not in legs.ferries
    # the ferry runs one way: nothing brings the team back
    assert math.isinf(legs.minutes[X, D])


def test_a_departure_before_the_team_can_reach_the_port_is_impossible() -> None:
    # at P at 08:10, but boarding for an 08:30 ferry closes at 08:00
    legs = _legs((_ferry(departure=510.0),), depart={D: SHIFT_START})
    assert math.isinf(legs.minutes[D, X])
    assert not legs.ferries
    # the same ferry caught when the shift starts earlier
    early = _legs((_ferry(departure=510.0),), depart={D: 420.0})
    assert early.minutes[D, X] == pytest.approx(510.0 + 120.0 + 10.0 - 420.0)


def test_a_ferry_on_another_weekday_is_not_caught() -> None:
    legs = _legs((_ferry(days=frozenset({1, 4})),), depart={D: SHIFT_START})
    assert math.isinf(legs.minutes[D, X])


def test_without_a_clock_the_ferry_leaves_when_the_team_arrives() -> None:
    legs = _legs((_ferry(),), depart=None)
    # the week's ranking estimate: 40 + 30 + 120 + 10, on every row
    assert legs.minutes[D, X] == pytest.approx(200.0)
    assert legs.minutes[A, X] == pytest.approx(190.0)
    assert not legs.ferries


@pytest.mark.parametrize(
    "other",
    [
        SeaLink("C1", "P", "Q", "charter", minutes=60.0),
        SeaLink("F2", "P", "Q", "ferry", minutes=60.0),
    ],
    ids=["charter", "untimed_ferry"],
)
def test_charters_and_untimed_ferries_are_unaffected(other: SeaLink) -> None:
    alone = _legs((other,), depart=None)
    both = _legs((_ferry(), other), depart={D: SHIFT_START})
    # mid-day and first legs take the untimed boat at the same price as without a clock
    assert both.minutes[A, X] == pytest.approx(alone.minutes[A, X]) == pytest.approx(130.0)
    assert both.minutes[D, X] == pytest.approx(alone.minutes[D, X]) == pytest.approx(140.0)
    assert not both.ferries


def test_a_slower_timed_ferry_is_taken_only_when_it_is_faster() -> None:
    slow = SeaLink("C1", "P", "Q", "charter", minutes=300.0)
    legs = _legs((_ferry(), slow), depart={D: SHIFT_START})
    # charter: 40 + 30 + 300 + 10 = 380 > ferry 220 on the first leg; mid-day the charter
    assert legs.minutes[D, X] == pytest.approx(220.0)
    assert legs.minutes[A, X] == pytest.approx(370.0)
    assert (D, X) in legs.ferries and (A, X) not in legs.ferries


def test_a_serves_crossing_made_from_a_timed_ferry_leaves_at_its_departure() -> None:
    # ports.csv: P's boat lands at the island's villages themselves in 120 minutes, and its
    # crossing_link names the 09:00 ferry F1 (the Dungkek - Raas case)
    port = Port("P", "Pelabuhan P", 113.95, -7.05, {"I": 120.0}, None, {"I": ("F1", 540.0)})
    minutes, km = _land()
    n = len(PLACES)
    land = np.delete(np.delete(minutes, n + 1, axis=0), n + 1, axis=1)  # without port Q
    land_km = np.delete(np.delete(km, n + 1, axis=0), n + 1, axis=1)

    def legs(depart: dict[int, float] | None):  # type: ignore[no-untyped-def]
        return compose_sea_legs(PLACES, [port], land, land_km, PARAMS, boat=True, depart=depart)

    clocked, free = legs({D: SHIFT_START}), legs(None)
    # at P 08:10, the boat leaves 09:00, lands at X 11:00
    assert clocked.minutes[D, X] == pytest.approx(11 * 60 - SHIFT_START)
    (catch,) = clocked.ferries[(D, X)]
    assert (catch.link_id, catch.port, catch.departure, catch.crossing) == ("F1", "P", 540, 120)
    assert math.isinf(clocked.minutes[A, X])  # no clock mid-day: the boat out has no other time
    # the boat back is untimed, as ports.csv describes it; without a clock nothing waits
    assert clocked.minutes[X, D] == pytest.approx(free.minutes[X, D]) == pytest.approx(190.0)
    assert free.minutes[D, X] == pytest.approx(190.0) and not free.ferries


def test_the_village_announcement_names_the_ferry_departure() -> None:
    stop = Stop(
        1, "35.29.22.2001", "35.29.22.2001", "Ketupat", "35.29.22", "Ra'as", "Sumenep", "pulau",
        "Pulau Raas", "14:00", "14:30", "15:54", 12, "1/1", 114.49, -7.15,
        mode="motor+perahu", ports="Pelabuhan Dungkek", ferry_departure="09:00",
        ferry_port="Pelabuhan Dungkek",
    )  # fmt: skip
    assert arrival_words(stop, "Kantor Kecamatan Ra'as") == (
        "datang dengan perahu lewat Pelabuhan Dungkek (kapal berangkat 09:00 dari Pelabuhan "
        "Dungkek); tim bermalam di Kantor Kecamatan Ra'as"
    )
    untimed = dataclasses.replace(stop, ferry_departure="", ferry_port="")
    assert arrival_words(untimed, "") == "datang dengan perahu lewat Pelabuhan Dungkek"
    assert ferry_words("09:00", "Dungkek") == "kapal berangkat 09:00 dari pelabuhan Dungkek"
