"""Planning policy (``policy.toml``): :class:`Policy`, its weights and :class:`SolverSettings`.

A missing file or table means "all defaults"; every default names its source or says it is
an assumption.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from planner.core.errors import ConfigError
from planner.domain.config.calendar import CalendarConfig
from planner.domain.config.fields import Day, Fraction, Weight, _Model

FirstSolution = Literal[
    "AUTOMATIC",
    "PATH_CHEAPEST_ARC",
    "PATH_MOST_CONSTRAINED_ARC",
    "EVALUATOR_STRATEGY",
    "SAVINGS",
    "PARALLEL_SAVINGS",
    "SWEEP",
    "CHRISTOFIDES",
    "ALL_UNPERFORMED",
    "BEST_INSERTION",
    "PARALLEL_CHEAPEST_INSERTION",
    "SEQUENTIAL_CHEAPEST_INSERTION",
    "LOCAL_CHEAPEST_INSERTION",
    "LOCAL_CHEAPEST_COST_INSERTION",
    "GLOBAL_CHEAPEST_ARC",
    "LOCAL_CHEAPEST_ARC",
    "FIRST_UNBOUND_MIN_VALUE",
]
Metaheuristic = Literal[
    "AUTOMATIC",
    "GREEDY_DESCENT",
    "GUIDED_LOCAL_SEARCH",
    "SIMULATED_ANNEALING",
    "TABU_SEARCH",
    "GENERIC_TABU_SEARCH",
    "ITERATED_LOCAL_SEARCH",
]
#: Not an OR-Tools ``LocalSearchMetaheuristic``: the planner's name for OR-Tools' iterated local
#: search (``SolverOptions.iterated_local_search``), see :func:`planner.week.groups.solver_options`.
ITERATED_LOCAL_SEARCH = "ITERATED_LOCAL_SEARCH"


class SolverSettings(_Model):
    """OR-Tools search parameters (names of ``routing_enums_pb2`` values)."""

    time_limit_s: Annotated[float, Field(gt=0.0, le=86_400.0)] = 30.0
    """Wall-clock limit per solve, seconds. 30 s: a weekly regency plan is small (tens of
    team-days, hundreds of visits); longer runs are a command-line option."""
    solution_limit: Annotated[int, Field(ge=1)] | None = None
    """Stop after this many solutions: reproducible runs for tests (none by default)."""
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0
    """Random seed; the same inputs and seed give the same plan."""
    first_solution: FirstSolution = "PARALLEL_CHEAPEST_INSERTION"
    """First-solution strategy. PATH_CHEAPEST_ARC found no first solution on any tested
    Solomon VRPTW instance; PARALLEL_CHEAPEST_INSERTION solved R101 (vrp-instances/ANCHORS.md)."""
    metaheuristic: Metaheuristic = "GUIDED_LOCAL_SEARCH"
    """Local-search metaheuristic: an OR-Tools ``LocalSearchMetaheuristic`` name, or
    ITERATED_LOCAL_SEARCH for OR-Tools' iterated local search (remove strings of nearby visits,
    re-insert them, improve, repeat).

    GUIDED_LOCAL_SEARCH stays the default because it is at least as good on the planner's own
    workload: Banten weeks 2017-11-13, 2017-11-27 and 2018-01-08, example teams, 20 s, 2
    workers (BENCHMARKS.md section 1, 2026-11-23), weighted recordings ILS / GLS = 1.001,
    1.000, 1.000 as ``jemput plan`` runs them, and 0.993, 0.995, 0.993 with both searching
    from scratch. OR-Tools' iterated local search takes no start routes, so a group started
    from the greedy or an earlier plan's routes (the default) is searched by guided local
    search either way; ILS then only runs for groups without start routes (those with pinned
    visits when re-planning). On the Solomon VRPTW instances ILS is the better search (10 s,
    same run: mean gap at the best-known vehicle count +0.61 % vs +3.50 %, routes 1.7 %
    shorter at equal vehicle counts, but 448 vehicles vs 442; benchmarks/results/solomon.md)."""


# --------------------------------------------------------------------------- policy

CLASS_NAMES: tuple[str, ...] = ("pulau", "pesisir", "perbatasan", "perbatasan_kab", "terpencil")


class ClassWeights(_Model):
    """Priority of one recording by village class. **Additive**: a village's weight is
    ``base + Σ bonus of each class it has``, so an island that is also coastal gets
    ``1.0 + 1.0 + 0.25 = 2.25``. Additive keeps a village with many classes from running away
    (multiplying 2.0 × 1.25 × 1.5 … grows quickly) and each number reads as "worth X more
    recordings in town". The bonuses are policy choices, not measurements; their order follows
    the Banten province's request of Nov 2017 to go to pelosok, pesisir, border and island
    villages (ektp_recording_params_2016_2020.csv, unrecorded_location_profile)."""

    base: Weight = 1.0
    """Weight of a recording in a village with no class (town)."""
    pulau: Weight = 2.0
    """Island: reachable only by boat, visited rarely (Kab. Serang every ~2 weeks, 2025), and
    islanders pay a boat fare to reach any office, so few come on their own. With 2.0 an island
    recording is worth three in town: measured on Banten (Kab. Serang boat team, 2 kits, week
    of 2017-11-13), 1.0 sends the boat team to mainland villages all week and 2.0 to Pulo
    Panjang twice (74 recordings, 3.3 boat hours) — a policy choice, not a fact."""
    pesisir: Weight = 0.25
    """Coastal: named by the province in Nov 2017 as where the rest is; small bonus."""
    perbatasan: Weight = 0.5
    """Border with another province (Lebak–Jawa Barat, Tangerang–Jakarta/Jawa Barat)."""
    perbatasan_kab: Weight = 0.25
    """Border with another regency of the same province."""
    terpencil: Weight = 0.5
    """Remote: travel from the nearest depot above ``Policy.terpencil_minutes``."""

    def weight(self, classes: Iterable[str]) -> float:
        """Weight of a recording in a village with these classes (``base`` + bonuses)."""
        total = self.base
        for name in set(classes):
            if name not in CLASS_NAMES:
                raise ConfigError(f"unknown village class {name!r}; classes are {CLASS_NAMES}")
            total += float(getattr(self, name))
        return total


class VulnerableWeights(_Model):
    """Extra weight per expected recording of a person in a vulnerable group, added to the
    village weight (additive, like :class:`ClassWeights`). Policy choices (assumption)."""

    lansia: Weight = 0.5
    """Elderly: harder to bring to the kecamatan office (Kota Serang records them at home)."""
    disabilitas: Weight = 1.0
    """Persons with a disability: the office is least reachable for them."""
    pemula: Weight = 0.5
    """First-time voters turning 17 before an election (Banten pushed them in Apr 2018)."""


class Policy(_Model):
    """Planning policy (``policy.toml``): who comes, what a recording is worth, limits."""

    turnout: Annotated[float, Field(gt=0.0, le=1.0)] = 0.6
    """Share of the expected (after ghosts) who come to a first visit. Assumption: no source
    measures it; the Kab. Bogor quota (50/day) and Pulo Panjang visit (47 recordings, 2023)
    show visits are demand-limited, so well below 1."""
    repeat_turnout: Fraction = 0.3
    """Turnout of a repeat visit to a village already visited: those who stayed away the first
    time come less. Assumption: half the first-visit turnout."""
    ghost_share: Annotated[float, Field(ge=0.0, lt=1.0)] = 0.10
    """Share of registry "belum rekam" who moved, died or cannot be found. Assumption sized on
    how far official counts of the same population disagree: Banten Nov 2017 232,020 vs
    213,264 (8 %); Sarolangun Oct 2018 66,496 (rakornas) vs ~57,000 (provincial data) (14 %)."""
    class_weights: ClassWeights = Field(default_factory=ClassWeights)
    """Additive weights per village class, see :class:`ClassWeights`."""
    vulnerable_weights: VulnerableWeights = Field(default_factory=VulnerableWeights)
    """Additive weights per vulnerable group, see :class:`VulnerableWeights`."""
    min_visit_size: Annotated[float, Field(ge=0.0)] = 10.0
    """Expected recordings below which a village is not worth a stop. Assumption: with
    30 min setup (≈ 4 recordings) a stop below 10 spends a third or more of its time
    setting up. Islands still need a boat trip, so do not set this too high."""
    max_attendance_per_visit_day: Annotated[int, Field(ge=1)] = 150
    """Queue limit: at most this many recordings at one place in one day. Kota Tangerang's two
    cars served 100–200 a day (2016); one kit recorded 123 at a Surabaya school (2013)."""
    announcement_change_penalty: Annotated[float, Field(ge=0.0, le=10_000.0)] = 50.0
    """Re-planning: weighted recordings one changed (moved or cancelled) announced visit is
    worth giving up. 50 = one kit-day (a kit records about 50 a day, project design): a
    re-plan breaks a promise to a village only where the disruption leaves no room, or to
    gain more than a kit-day elsewhere; the camat, the kepala desa and the residents who
    were told the date pay for every change. An assumption, not a measurement."""
    announced_time_tolerance_minutes: Annotated[float, Field(ge=0.0, le=240.0)] = 15.0
    """Re-planning: a kept announced visit may start this many minutes before or after its
    announced start at no cost (a village told 09:00 waits a quarter of an hour; the change
    list re-announces a shift of 30 minutes or more)."""
    announced_time_penalty: Annotated[float, Field(ge=0.0, le=1_000.0)] = 1.0
    """Re-planning: weighted recordings each minute a kept announced visit starts outside its
    tolerance costs. 1 is more than a team records in a minute (2 kits at 5 min a record:
    0.4), so the solver keeps announced times unless only a shift keeps a visit at all. An
    assumption, not a measurement; 0 leaves the times free."""
    lookahead_per_hour: Annotated[float, Field(ge=0.0, le=10.0)] = 0.0
    """Campaign look-ahead: a site's recordings are worth ``1 + lookahead_per_hour x hours``
    more to the solver, ``hours`` the one-way travel from the nearest depot of its team group:
    what is left at a far village costs another long trip in a later week. 0 (default): each
    week is valued on its own. Reports still count plain priority-weighted recordings."""
    lookahead_trip_share: Annotated[float, Field(ge=0.0, le=10.0)] = 0.0
    """Campaign look-ahead by remaining demand: a site's recordings are worth ``1 +
    lookahead_trip_share x min(4, trip / work)`` more to the solver (on top of
    ``lookahead_per_hour``), ``trip`` its round trip plus set-up from the nearest depot of its
    team group, ``work`` the minutes its expected residents of the week take to record: a far
    village with few residents left costs a whole trip for them in a later week, so finishing
    it now is worth more. 0 (default): off."""
    lookahead_deadline_weeks: Annotated[float, Field(ge=0.0, le=104.0)] = 0.0
    """Deadline term of the campaign look-ahead: when > 0 and the week has a deadline
    (``deadline``; ``jemput project`` passes its horizon when the policy has none), both
    look-aheads above are scaled by ``min(1, weeks left / lookahead_deadline_weeks)``, weeks
    left = calendar weeks after this one that start by the deadline. What is left in a village
    is worth a later trip only while later weeks remain: in the deadline's week there is no
    look-ahead (the week records the most it can now), with this many weeks left or more the
    full one. 0 (default): the look-ahead ignores the deadline. Measured in BENCHMARKS.md
    section 12; off until a campaign shows a gain."""
    night_away_penalty: Annotated[float, Field(ge=0.0, le=1000.0)] = 10.0
    """Weighted recordings one night away from the depot must be worth before the planner
    sends a boat team on a multi-day trip (``base = "auto"``, :mod:`planner.week.bases`):
    lodging, allowances, a night away from home. 10 = a fifth of a kit-day; an assumption,
    not a measurement. The crossing's lost working time is counted on its own."""
    help_neighbour_regencies: bool = False
    """Cross-regency help: every team may also record in the regencies that touch its own
    (its regencies plus their neighbours, :func:`planner.geo.neighbours.regency_neighbours`).
    Off by default: each Disdukcapil serves its own regency. With it, teams of touching
    regencies are planned together (one larger team group)."""
    terpencil_minutes: Annotated[float, Field(gt=0.0, le=1440.0)] = 90.0
    """Travel time (minutes) from the team's nearest depot above which a village is
    ``terpencil`` (remote). 90 min: a one-way trip longer than that uses a fifth of a 7.5-h
    working day each way (project design)."""
    deadline: Day | None = None
    """Optional target date for recording everyone (e.g. 2018-12-31, the national deadline
    before the 2019 election); projections stop there."""
    deadline_note: Annotated[str, Field(max_length=200)] = ""
    """What the deadline is, for reports."""
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    """``[calendar]`` table: see :class:`CalendarConfig`."""
    solver: SolverSettings = Field(default_factory=SolverSettings)
    """``[solver]`` table: see :class:`SolverSettings`."""

    @field_validator("repeat_turnout")
    @classmethod
    def _repeat_not_above_first(cls, value: float, info: ValidationInfo) -> float:
        first = info.data.get("turnout")
        if first is not None and value > first:
            raise ValueError(f"must not exceed turnout ({first}) (got {value})")
        return value

    def expected_attendance(self, belum_rekam: float, *, repeat: bool = False) -> float:
        """Expected recordings: ``belum_rekam × (1 − ghost_share) × turnout``."""
        rate = self.repeat_turnout if repeat else self.turnout
        return float(belum_rekam) * (1.0 - self.ghost_share) * rate
