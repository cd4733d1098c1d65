"""Plain types of a planned week: team-days, chunks, solved groups, the week plan and its inputs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date

import pandas as pd

from planner.domain.config import Policy, Team, TeamsConfig
from planner.domain.workdays import WorkDay
from planner.geo.classify import ClassifiedVillages
from planner.io.region import Region
from planner.io.registry import Registry
from planner.routing import (
    RoutingProblem,
    RoutingSolution,
)
from planner.travel import TravelMatrix, TravelModel


@dataclass(frozen=True)
class WeekInputs:
    """Everything one week's plan is made from.

    The planner (:func:`planner.week.plan.plan_week`), the greedy baseline, the scenarios and
    the benchmarks all take this one bundle, so a new input is added in one place.

    Attributes
    ----------
    region
        The region: villages, depots, ports, its ``region.toml``.
    classified
        Its classified villages and visit sites
        (:func:`planner.geo.region_classes.classify_region`).
    registry
        Counts per village: the user's registry or the labelled estimate.
    teams, policy
        Validated configuration; the policy carries the calendar and solver settings.
    week_start
        Monday of the week.
    travel
        Travel model (the region's estimate, a CSV matrix or an OSM network).

    Use :func:`dataclasses.replace` for the same inputs with another week or other teams.
    """

    region: Region
    classified: ClassifiedVillages
    registry: Registry
    teams: TeamsConfig
    policy: Policy
    week_start: date
    travel: TravelModel


@dataclass(frozen=True)
class TeamDay:
    """One team on one working day: one routing vehicle."""

    vehicle_id: str
    team: Team
    day: WorkDay
    starts_at: str | None = None
    """Place id where the day starts, when not the team's depot (its overnight base)."""
    ends_at: str | None = None
    """Place id where the day ends, when not the team's depot (its overnight base)."""

    @property
    def start_place(self) -> str:
        """Where the team leaves from in the morning."""
        return self.starts_at or self.team.depot

    @property
    def end_place(self) -> str:
        """Where the team spends the night: its depot, or its base on a multi-day trip."""
        return self.ends_at or self.team.depot

    @property
    def working_minutes(self) -> float:
        """Shift length less the break."""
        return float(self.day.shift_end - self.day.shift_start - self.day.break_minutes)

    @property
    def capacity_recordings(self) -> float:
        """Recording-capacity bound of the day: kits x working minutes / minutes per record."""
        return self.team.kits * self.working_minutes / self.team.minutes_per_record


@dataclass(frozen=True)
class PinnedVisit:
    """A visit kept from an earlier plan: same team, day and order."""

    team_id: str
    date: date
    order: int
    site_id: str
    recordings: int
    start_minutes: float | None = None
    """Announced start of recording, minutes after midnight (``None``: not known)."""


@dataclass(frozen=True)
class Chunk:
    """A part of a site's expected recordings that one team-day can do."""

    chunk_id: str
    site_id: str
    part: int
    parts: int
    recordings: int
    weight: float
    locked_vehicle_id: str | None = None
    locked_position: int | None = None
    alternatives: str | None = None
    """Re-planning: key of an announced visit's part; at most one chunk of a key is served."""
    only_vehicle_id: str | None = None
    """The one team-day this chunk may go on (the announced one, for the "kept" alternative)."""
    serve_cost: float = 0.0
    """Weighted recordings paid when the chunk is served (moving an announced visit)."""
    drop_cost: float = 0.0
    """Weighted recordings paid, besides the chunk's own, when its whole set is dropped."""
    announcement: str | None = None
    """Id of the announced visit this chunk keeps or moves (``team@date#order``)."""
    announced_window: tuple[float, float] | None = None
    """Re-planning: minutes after midnight the kept visit should start within (its announced
    start ± the policy's tolerance); outside it costs ``time_cost`` per minute."""
    time_cost: float = 0.0
    """Weighted recordings per minute the chunk starts outside ``announced_window``."""


@dataclass(frozen=True)
class GroupProblem:
    """A decomposed part of the week, ready to solve."""

    index: int
    team_ids: tuple[str, ...]
    team_days: tuple[TeamDay, ...]
    places: tuple[str, ...]
    chunks: tuple[Chunk, ...]
    problem: RoutingProblem
    matrices: dict[str, TravelMatrix]
    candidates: tuple[str, ...]
    parts: Mapping[str, str | None] = field(default_factory=dict)
    """Land-part key of each place (``planner.travel.parts``), for the verification."""
    floor: RoutingSolution | None = None
    """The density greedy's solution over every chunk the group can reach (the baseline's,
    :func:`planner.week.greedy_week.greedy_group`), its stops on this problem's nodes; its
    chunks are candidates. The planner starts its search no lower than these routes, and keeps
    them when they record more after the day fill (``None``: not computed, e.g. a group with
    pinned visits)."""
    preselected: tuple[str, ...] | None = None
    """Ids of the candidates the pre-selection chose, before the ``floor``'s chunks were added
    (``None``: no floor, or no pre-selection); :func:`planner.week.plan.start_routes` offers
    the greedy over these alone as another start."""


@dataclass(frozen=True)
class GroupResult:
    """A solved group."""

    group: GroupProblem
    solution: RoutingSolution


@dataclass(frozen=True)
class WeekPlan:
    """A planned week.

    Attributes
    ----------
    itinerary
        One row per stop (see :data:`planner.week.schedule.ITINERARY_COLUMNS`).
    team_days
        One row per team-day used (depart, return, km, boat minutes).
    unplanned
        Sites with residents to record that the week leaves out, with the reason.
    sites
        Demand per visit site (expected recordings, weights).
    summary
        Totals: planned recordings, utilisation, km, boat hours, class shares...
    meta
        Region, week, teams, solver settings, data source, non-working days.
    results
        Solved groups (routes and the matrices behind them), for maps and GPX.
    """

    itinerary: pd.DataFrame
    team_days: pd.DataFrame
    unplanned: pd.DataFrame
    sites: pd.DataFrame
    summary: dict[str, object]
    meta: dict[str, object]
    results: tuple[GroupResult, ...]
    all_team_days: tuple[TeamDay, ...]


@dataclass(frozen=True)
class PreparedWeek:
    """A week ready to solve: vehicles, demand, chunks, reasons and the decomposed groups."""

    team_days: tuple[TeamDay, ...]
    closed: tuple[tuple[date, str], ...]
    sites: pd.DataFrame
    chunks: tuple[Chunk, ...]
    excluded: dict[str, tuple[str, dict[str, object]]]
    chunk_size: dict[str, int]
    groups: tuple[GroupProblem, ...]
    bases: tuple[BaseChoice, ...] = ()
    """The overnight bases chosen for ``base = "auto"`` teams (:mod:`planner.week.bases`)."""


@dataclass(frozen=True)
class BaseChoice:
    """The overnight base chosen for one ``base = "auto"`` team, and why.

    Attributes
    ----------
    team_id
        The team.
    base
        The chosen depot id (a kecamatan office), or ``None``: the team stays home.
    name
        Name of the base, or of the depot when the team stays home.
    score
        Priority-weighted expected recordings within reach of the base (of the depot when
        ``base`` is ``None``), not yet claimed by a team chosen earlier.
    depot_score
        The same count from the team's depot.
    minutes_from_depot
        One-way minutes from the depot to the base (``None`` without a base).
    reason
        ``more_in_reach`` (the base promises :data:`MIN_GAIN` more than the depot),
        ``depot_reaches_more`` (it does not) or
        ``no_candidate`` (no kecamatan office far enough from the depot),
        ``boat_trip`` (a boat team's multi-day trip to an office on another land part).
    alasan
        The reason in Bahasa Indonesia.
    days
        Working days of the trip (``senin``..), ``None``: the whole week (or no base).
    nights
        Nights away from the depot the choice plans.
    night_places
        Where each night of a trip is spent, ``(weekday, depot id)`` in order: ``base`` for
        every night, or a second island office for the last nights of a two-island trip.
    night_names
        Name of each night place, ``(depot id, name)`` in the order the trip reaches them.
    """

    team_id: str
    base: str | None
    name: str
    score: float
    depot_score: float
    minutes_from_depot: float | None
    reason: str
    alasan: str
    days: tuple[str, ...] | None = None
    nights: int = 0
    night_places: tuple[tuple[str, str], ...] = ()
    night_names: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, object]:
        """Plain fields for ``plan.json`` (scores rounded to whole recordings)."""
        out = asdict(self)
        out["score"] = round(self.score)
        out["depot_score"] = round(self.depot_score)
        if self.minutes_from_depot is not None:
            out["minutes_from_depot"] = round(self.minutes_from_depot, 1)
        out["days"] = list(self.days) if self.days is not None else None
        out["night_places"] = dict(self.night_places)
        out["night_names"] = dict(self.night_names)
        return out
