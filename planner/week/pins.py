"""Visits kept from an earlier plan (re-planning): hard pins, and soft ones a disruption broke.

An announced visit whose team-day still exists, unchanged, is *pinned*: same team, day and
order; its first part is mandatory (``Chunk.locked_vehicle_id``), the rest stays on that
team-day unless it no longer fits (:data:`PINNED_EXTRA_PARTS_PREMIUM`). One that a disruption
breaks (its team is absent or changed, its day is closed, its island cannot be reached without
the boat) becomes a pair of alternatives per part: *kept* on its own team-day when that still
exists, or *moved* to any team-day that covers it at a price of
``policy.announcement_change_penalty`` weighted recordings; dropping both costs that price plus
the recordings. The solver then changes the fewest announcements it must, and among those keeps
the most weighted recordings.

A visit kept on its team-day also keeps its announced time as far as it can: the first part
carries a window of the announced start ± ``policy.announced_time_tolerance_minutes``, and
each minute outside it costs ``policy.announced_time_penalty`` weighted recordings (a soft
time window of the routing model, :class:`planner.routing.Visit`). Soft, not hard: a hard
window on a mandatory visit can make the whole day infeasible after a disruption.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import pandas as pd

from planner.core.errors import ConfigError
from planner.geo.demand import split_into_chunks
from planner.week.types import Chunk, PinnedVisit, TeamDay

PINNED_PART_MINUTES = 30.0
"""A pinned stay is split into parts of at most this many recording minutes (break slots)."""

PINNED_EXTRA_PARTS_PREMIUM = 1.0
"""The parts of a pinned stay after its first are optional on the same team-day, at a drop
price of (1 + this) x their weighted recordings: residents were told to come.

Why not all mandatory: the day fill times a stay in real minutes up to the end of the day
and around the break; cut into parts of :data:`PINNED_PART_MINUTES` with every service and
leg rounded up to whole minutes, the same stay may not fit any more (measured: every full
Friday of the Banten example week of 2017-11-13 was infeasible, 7 parts of 52.5 min around
the 90-minute Friday break). The first part is locked (the team comes that day, in the
announced order); the rest stays unless it cannot fit."""


def announcement_id(visit: PinnedVisit) -> str:
    """Id of an announced visit: ``team@date#order``."""
    return f"{visit.team_id}@{visit.date.isoformat()}#{visit.order}"


def pin_chunks(
    pinned: Sequence[PinnedVisit],
    team_days: Sequence[TeamDay],
    sites: pd.DataFrame,
    *,
    soft: bool = False,
    changed_teams: Collection[str] = (),
    change_penalty: float = 0.0,
    time_tolerance: float = 0.0,
    time_cost: float = 0.0,
) -> list[Chunk]:
    """Chunks for the visits kept from an earlier plan.

    Parameters
    ----------
    pinned
        The announced visits from the first re-planned day on.
    team_days
        The re-planned week's team-days (after disruptions).
    sites
        Demand per site (``site_id``, ``weight``, ``expected``, ``island``).
    soft
        ``False`` (no disruption): every pinned visit must keep its team-day, and one without
        it is an error. ``True``: a broken one becomes kept-or-moved alternatives.
    changed_teams
        Teams whose settings changed since the announcement: their visits are all soft.
    change_penalty
        Weighted recordings one changed announcement costs (spread over its parts).
    time_tolerance, time_cost
        A kept visit's first part should start within its announced start ± ``time_tolerance``
        minutes; each minute outside costs ``time_cost`` weighted recordings (0: times free).

    Raises
    ------
    ConfigError
        Without ``soft``: a pinned visit with no team-day, or at an unknown site.
    """
    if not pinned:
        return []
    by_key = {(td.team.id, td.day.date): td for td in team_days}
    any_day = {td.team.id: td for td in team_days}
    weights = dict(zip(sites["site_id"], sites["weight"], strict=True))
    island = {
        str(s): isinstance(i, str) and bool(i)
        for s, i in zip(sites["site_id"], sites["island"], strict=True)
    }
    # expectations are re-derived from today's registry: a pinned visit keeps its slot but
    # never expects more than the residents still to record
    room = {str(k): int(v) for k, v in zip(sites["site_id"], sites["expected"], strict=True)}
    problems: list[str] = []
    out: list[Chunk] = []
    for visit in pinned:
        td = by_key.get((visit.team_id, visit.date))
        if visit.site_id not in weights:
            problems.append(f"pinned visit to unknown site '{visit.site_id}'")
            continue
        broken = _broken(visit, td, changed_teams, island)
        if broken and not soft:
            problems.append(
                f"pinned visit of team '{visit.team_id}' on {visit.date} has no working day "
                "in the new plan (team removed, or a day off)"
            )
            continue
        # split long pinned stays so the break can fall between parts, as it could before
        sizer = td or any_day.get(visit.team_id) or (team_days[0] if team_days else None)
        if sizer is None:
            continue
        per_part = max(
            1, int(PINNED_PART_MINUTES * sizer.team.kits / sizer.team.minutes_per_record)
        )
        recordings = min(visit.recordings, room[visit.site_id])
        room[visit.site_id] -= recordings
        parts = split_into_chunks(recordings, per_part, 0) or [0]
        weight = float(weights[visit.site_id])
        key = announcement_id(visit)
        window = (
            (max(0.0, visit.start_minutes - time_tolerance), visit.start_minutes + time_tolerance)
            if visit.start_minutes is not None and time_cost > 0
            else None
        )
        for k, part in enumerate(parts):
            stem = f"{visit.site_id}#{{}}-{visit.team_id}-{visit.date}-{visit.order}-{k}"
            if not broken:
                assert td is not None
                out.append(
                    Chunk(
                        stem.format("tetap"),
                        visit.site_id,
                        0,
                        0,
                        part,
                        weight,
                        locked_vehicle_id=td.vehicle_id if k == 0 else None,
                        only_vehicle_id=None if k == 0 else td.vehicle_id,
                        locked_position=visit.order * 100 + k,
                        drop_cost=0.0 if k == 0 else PINNED_EXTRA_PARTS_PREMIUM * weight * part,
                        announcement=key,
                        announced_window=window if k == 0 else None,
                        time_cost=time_cost if k == 0 else 0.0,
                    )
                )
                continue
            share = change_penalty / len(parts)
            pair = stem.format("janji")
            if td is not None:
                out.append(
                    Chunk(
                        stem.format("tetap"),
                        visit.site_id,
                        0,
                        0,
                        part,
                        weight,
                        alternatives=pair,
                        only_vehicle_id=td.vehicle_id,
                        locked_position=visit.order * 100 + k,
                        drop_cost=share,
                        announcement=key,
                        announced_window=window if k == 0 else None,
                        time_cost=time_cost if k == 0 else 0.0,
                    )
                )
            out.append(
                Chunk(
                    stem.format("pindah"),
                    visit.site_id,
                    0,
                    0,
                    part,
                    weight,
                    alternatives=pair,
                    serve_cost=share,
                    drop_cost=share,
                    announcement=key,
                )
            )
    if problems:
        raise ConfigError(problems)
    return out


def _broken(
    visit: PinnedVisit,
    td: TeamDay | None,
    changed_teams: Collection[str],
    island: Mapping[str, bool],
) -> bool:
    """A disruption broke the announced visit: its team-day is gone, its team changed, or it
    is on an island and its team-day has no boat."""
    return (
        td is None
        or visit.team_id in changed_teams
        or (island.get(visit.site_id, False) and not td.team.boat)
    )


def kept_pins(
    pinned: Sequence[PinnedVisit],
    team_days: Sequence[TeamDay],
    sites: pd.DataFrame,
    changed_teams: Collection[str] = (),
) -> list[PinnedVisit]:
    """The announced visits no disruption broke: they must be in the re-plan as announced.

    Parameters are those of :func:`pin_chunks`; the others may move or be cancelled.
    """
    by_key = {(td.team.id, td.day.date): td for td in team_days}
    island = {
        str(s): isinstance(i, str) and bool(i)
        for s, i in zip(sites["site_id"], sites["island"], strict=True)
    }
    return [
        v for v in pinned if not _broken(v, by_key.get((v.team_id, v.date)), changed_teams, island)
    ]


def pinned_recordings(chunks: Sequence[Chunk]) -> dict[str, int]:
    """Recordings per site that pinned chunks take (one per set of alternatives)."""
    taken: dict[str, int] = {}
    seen: set[str] = set()
    for chunk in chunks:
        if chunk.alternatives is not None:
            if chunk.alternatives in seen:
                continue
            seen.add(chunk.alternatives)
        taken[chunk.site_id] = taken.get(chunk.site_id, 0) + chunk.recordings
    return taken
