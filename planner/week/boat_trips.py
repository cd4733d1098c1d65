"""Multi-day boat trips for ``base = "auto"``: nights on island offices, scored.

A boat team may be offered a *run* of consecutive working days on a kecamatan office on
another land part, or a run split between two such offices (nights on A, then on B). This
module scores those runs (:func:`best_trip`) and words a trip's nights; the choice between a
trip, a whole-week base and the depot is :func:`planner.week.bases.choose_bases` (its module
docstring gives the rules).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from planner.domain.config import Team
from planner.travel import TravelMatrix
from planner.week.groups import day_profile, profile_of

PAIR_OFFICES = 6
"""Two-island trips pair the offices whose one-office trips score best, this many: with 6
offices and a week of 5 days, at most 6 × 5 pairs × 10 splits of a run = 300 candidates."""


WeekAt = Callable[[Team, str, float, Mapping[str, float]], tuple[float, dict[str, float]]]
"""``week_at(team, place, capacity, taken)`` of :func:`planner.week.bases.choose_bases`."""


@dataclass(frozen=True)
class Trip:
    """A candidate boat trip: its score, the recordings it claims, the first office, the
    minutes out to it, its dates and its nights (date, office) in order."""

    score: float
    take: dict[str, float]
    office: str
    minutes_out: float
    run: tuple[date, ...]
    nights: tuple[tuple[date, str], ...]


def nights_words(nights: Sequence[tuple[str, str]], names: Mapping[str, str]) -> str:
    """``"2 malam di Kantor A, lalu 1 malam di Kantor B"``: the nights of a trip in order."""
    stays: list[list[object]] = []
    for _, office in nights:
        if stays and stays[-1][0] == office:
            stays[-1][1] = int(str(stays[-1][1])) + 1
        else:
            stays.append([office, 1])
    return ", lalu ".join(f"{n} malam di {names[str(o)]}" for o, n in stays)


def best_trip(
    team: Team,
    candidates: Sequence[str],
    day_capacity: Sequence[tuple[date, float]],
    parts: Mapping[str, str | None],
    matrices: Mapping[str, TravelMatrix],
    week_at: WeekAt,
    week_capacity: float,
    night_penalty: float,
) -> Trip | None:
    """The boat team's best multi-day trip to offices on other land parts, if any: one
    office for the run, or two (nights on A, then on B: :data:`PAIR_OFFICES`).

    Parameters
    ----------
    team
        A boat team with ``base = "auto"``.
    candidates
        Its candidate offices (:func:`planner.week.bases.base_candidates`); only those on
        another land part than the depot are offered.
    day_capacity
        The team's working dates (sorted) with the recordings each could take.
    parts
        Land-part key of each depot id (``None``: continental).
    matrices
        Travel matrices per travel profile, per weekday for boat teams
        (:func:`planner.week.groups.day_profile`).
    week_at
        ``week_at(team, place, capacity, taken)``: weighted recordings of the team's best
        work from ``place`` within ``capacity`` recordings, not counting ``taken``, and what
        it takes (the claims of the teams before it already deducted).
    week_capacity
        Recordings the team could make in the week (no travel).
    night_penalty
        Weighted recordings one night away costs.

    Returns
    -------
    Trip or None
        The best-scoring trip (ties to the earlier candidate), ``None`` if no run is possible.
    """
    dates = list(day_capacity)
    home_part = parts.get(team.depot)
    rate = team.kits / team.minutes_per_record
    offices = [o for o in candidates if o in parts and parts[o] != home_part]
    runs = [
        (a, b)
        for a in range(len(dates))
        for b in range(a + 1, len(dates))
        # nights only between days that follow each other
        if all((dates[k][0] - dates[k - 1][0]).days == 1 for k in range(a + 1, b + 1))
    ]

    def minutes(day: date, a: str, b: str) -> float:
        return float(day_matrix(matrices, team, day).travel_minutes(a, b))

    def score_of(stays: Sequence[tuple[str, Sequence[tuple[date, float]]]]) -> Trip | None:
        """Score of a run split into stays (office, its days); each stay's room pays for
        the crossing that reaches it, the last one also for the way home."""
        run = [d for _, days in stays for d in days]
        here, value = team.depot, 0.0
        take: dict[str, float] = {}
        for k, (office, days) in enumerate(stays):
            cross = minutes(days[0][0], here, office)
            if k == len(stays) - 1:
                cross += minutes(days[-1][0], office, team.depot)
            if not np.isfinite(cross):
                return None
            room = sum(c for _, c in days) - cross * rate
            if room <= 0:
                return None
            there, got = week_at(team, office, room, take)
            value += there
            for sid, n in got.items():
                take[sid] = take.get(sid, 0.0) + n
            here = office
        rest = week_capacity - sum(c for _, c in run)
        home_value, home_take = week_at(team, team.depot, rest, take)
        for sid, n in home_take.items():
            take[sid] = take.get(sid, 0.0) + n
        score = value + home_value - night_penalty * (len(run) - 1)
        first = stays[0][0]
        out = minutes(run[0][0], team.depot, first)
        nights = tuple((d, office) for office, days in stays for d, _ in days if d != run[-1][0])
        return Trip(score, take, first, out, tuple(d for d, _ in run), nights)

    def better(trip: Trip | None, best: Trip | None) -> bool:
        # the best score; ties to the earlier candidate (fewer offices, shorter run,
        # earlier, lower id: the loops' order)
        return trip is not None and (best is None or trip.score > best.score + 1e-9)

    best: Trip | None = None
    single: dict[str, float] = {}
    for office in offices:
        for a, b in runs:
            trip = score_of([(office, dates[a : b + 1])])
            if trip is not None:
                single[office] = max(single.get(office, -np.inf), trip.score)
            if better(trip, best):
                best = trip
    # two-island runs among the offices whose own trips score best: a few hundred at most
    top = sorted(single, key=lambda o: (-single[o], o))[:PAIR_OFFICES]
    for first in top:
        for second in top:
            if first == second:
                continue
            for a, b in runs:
                for s in range(a + 1, b):  # first night on A after day a, last on B
                    move = minutes(dates[s][0], first, second)
                    home = minutes(dates[s][0], first, team.depot)
                    away = minutes(dates[s][0], team.depot, second)
                    if not move < home + away:
                        continue  # back home and out again is no dearer
                    trip = score_of([(first, dates[a:s]), (second, dates[s : b + 1])])
                    if better(trip, best):
                        best = trip
    return best


def day_matrix(matrices: Mapping[str, TravelMatrix], team: Team, day: date) -> TravelMatrix:
    """The weekday's matrix of a boat team (ferry days) or its week's."""
    return matrices.get(day_profile(team, day.weekday()), matrices[profile_of(team)])
