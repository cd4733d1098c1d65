"""The fast surrogate of ``jemput target``: a campaign rolled forward without a router.

Long module: the campaign's static data, its week loop and the calibration of that loop
against a real week are one model; split, each part would only make sense with the others.

Each week every team has its working minutes (the calendar's shifts, holidays and Ramadan as
:func:`planner.week.team_days.team_days_of_week` gives them). A team takes the open sites of its
regencies in order of priority-weighted recordings per minute, a visit costing::

    setup + alpha x 2 x one-way travel from the team's depot (or overnight base)
          + expected recordings x minutes per record / kits

until its minutes run out (the last site partly). ``alpha`` stands for how much of a round
trip one site carries when a day serves several: it is **calibrated per team group** so that
the surrogate's first week records what one real week plan (:func:`plan_week_from`) records.
A team's working minutes are further scaled by its group's *fleet factor* (:func:`fleet_factors`),
measured on real weeks of bigger fleets: added teams and kits yield less than the base did.
What a week records is subtracted from ``belum_rekam`` and fully served sites get the repeat
turnout, as :mod:`planner.scenarios.projection` does; a site is open while its expected
attendance is at least the policy's minimum visit size. It takes milliseconds per campaign,
so the search can try hundreds of configurations; the real planner confirms the chosen ones.

What it leaves out: the daily queue limit of a place, chunking, the order of visits within a
day, ferries' days; an overnight base ``"auto"`` is taken as the best kecamatan office of the
team's regencies for every site (optimistic); the fleet factor is measured on the first week
and held for the whole campaign (in Banten the planner catches up late in the campaign:
BENCHMARKS.md 13b). These are why the confirmed numbers differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from planner.domain.config import AUTO_BASE, Policy, Team, TeamsConfig
from planner.geo.classify import CLASS_NAMES, ClassifiedVillages
from planner.geo.demand import site_demand
from planner.io.region import Region
from planner.io.registry import Registry
from planner.travel import Mode, TravelModel
from planner.travel.regional import depot_places, site_places
from planner.week.team_days import team_days_of_week


@dataclass(frozen=True)
class TeamWeek:
    """What one team did in the surrogate over the weeks counted."""

    days: int = 0
    saturdays: int = 0
    nights: int = 0
    boat_days: float = 0.0
    recordings: float = 0.0


@dataclass(frozen=True)
class SurrogateRun:
    """A surrogate campaign of some teams.

    Attributes
    ----------
    left
        ``belum_rekam`` left at the deadline in the target sites.
    done_week
        Monday of the week the target sites were done (none open, none unreachable).
    unreachable
        Target sites with residents no team of the run can reach.
    teams
        Per team id: days worked etc. up to the done week (or the deadline).
    weekly
        Recordings per week (all sites of the run's groups).
    """

    left: float
    done_week: date | None
    unreachable: int
    teams: dict[str, TeamWeek]
    weekly: tuple[float, ...]

    @property
    def done(self) -> bool:
        """True when the target sites were done by the deadline."""
        return self.done_week is not None


@dataclass
class Campaign:
    """Static data of a region's campaign for the surrogate (built once, reused).

    Build it with :func:`build_campaign`; ``calibration`` (travel share and efficiency per
    team group) comes from :func:`planner.scenarios.target_calibration.calibrate`;
    ``scaling`` (per group, points ``(capacity ratio, efficiency factor)`` measured on real
    weeks with added teams), ``scaling_own`` (the same for more capacity of the base teams
    themselves: kits, Saturdays), ``base_capacity`` (the base fleet's :func:`group_capacity`)
    and ``base_teams`` (:func:`team_capacity` of each base team by id) from
    :mod:`planner.scenarios.target_calibration`.
    """

    region: Region
    policy: Policy
    start: date
    until: date
    site_ids: np.ndarray
    regency: np.ndarray
    belum: np.ndarray
    weight: np.ndarray
    classes: dict[str, np.ndarray]
    travel: TravelModel
    calibration: dict[str, tuple[float, float]] = field(default_factory=dict)
    scaling: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)
    scaling_own: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)
    base_capacity: dict[str, float] = field(default_factory=dict)
    base_teams: dict[str, float] = field(default_factory=dict)
    sites_frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    _minutes: dict[tuple[str, str, bool], tuple[np.ndarray, list[str]]] = field(
        default_factory=dict
    )
    _days: dict[tuple[tuple[str, ...], date], list[tuple[int, bool]]] = field(default_factory=dict)

    @property
    def mondays(self) -> list[date]:
        """Mondays of the weeks from ``start`` to the week holding ``until``."""
        n = (self.until - self.start).days // 7 + 1
        return [self.start + timedelta(days=7 * k) for k in range(n)]

    def target_mask(self, kabupaten: str | None, klass: str | None) -> np.ndarray:
        """Sites of the target area: a regency, a class, both, or all."""
        mask = np.ones(len(self.site_ids), dtype=bool)
        if kabupaten:
            mask &= self.regency == kabupaten
        if klass:
            mask &= self.classes[klass]
        return mask

    def day_minutes(self, team: Team, monday: date) -> list[tuple[int, bool]]:
        """(working minutes, is Saturday) of each working day of ``team`` in the week."""
        key = (tuple(team.working_days), monday)
        if key not in self._days:
            probe = TeamsConfig(teams=[team.model_copy(update={"base": None})])
            days, _ = team_days_of_week(probe, self.policy, monday, self.region.config.timezone)
            self._days[key] = [
                (
                    td.day.shift_end - td.day.shift_start - td.day.break_minutes,
                    td.day.date.weekday() == 5,
                )
                for td in days
            ]
        return self._days[key]

    def one_way(self, origin: str, mode: str, boat: bool, regencies: Sequence[str]) -> np.ndarray:
        """Minutes from ``origin`` (a depot id) to every site (``inf`` outside ``regencies``)."""
        out = np.full(len(self.site_ids), np.inf)
        for kab in regencies:
            rows, ids = self._block(kab, mode, boat)
            if origin in ids:
                out = np.minimum(out, rows[ids.index(origin)])
        return out

    def _block(self, kab: str, mode: str, boat: bool) -> tuple[np.ndarray, list[str]]:
        """Minutes from every depot of the region to the sites of ``kab`` (one matrix)."""
        key = (kab, mode, boat)
        if key not in self._minutes:
            sites = np.flatnonzero(self.regency == kab)
            depots = depot_places(self.region)
            rows = np.full((len(depots), len(self.site_ids)), np.inf)
            if len(sites):
                places = site_places(self.sites_frame.iloc[sites])
                matrix = self.travel.matrix([*depots, *places], Mode(mode), boat=boat)
                rows[:, sites] = matrix.minutes[: len(depots), len(depots) :]
            self._minutes[key] = (rows, [p.id for p in depots])
        return self._minutes[key]


def build_campaign(
    region: Region,
    classified: ClassifiedVillages,
    registry: Registry,
    policy: Policy,
    start: date,
    until: date,
    travel: TravelModel,
) -> Campaign:
    """Static site data (belum rekam, weight, classes) of a campaign from ``start``."""
    sites = site_demand(
        classified.villages,
        classified.sites,
        registry.counts,
        turnout=policy.turnout,
        repeat_turnout=policy.repeat_turnout,
        ghost_share=policy.ghost_share,
        class_weight=policy.class_weights.weight,
        vulnerable_weights=policy.vulnerable_weights.model_dump(),
    )
    frame = classified.sites.set_index("site_id").loc[sites["site_id"]].reset_index()
    village = classified.villages.set_index("kode")
    codes = frame["kode_desa"].astype(str)
    classes = {
        name: codes.map(village[f"is_{name}"]).fillna(False).to_numpy(dtype=bool)
        for name in CLASS_NAMES
    }
    counts = registry.counts["belum_rekam"]
    belum = codes.map(counts).fillna(0).to_numpy(dtype=float) * frame["demand_share"].to_numpy(
        dtype=float
    )
    return Campaign(
        region=region,
        policy=policy,
        start=start,
        until=until,
        site_ids=frame["site_id"].astype(str).to_numpy(),
        regency=frame["kode_kab"].astype(str).to_numpy(),
        belum=belum,
        weight=sites["weight"].to_numpy(dtype=float),
        classes=classes,
        travel=travel,
        sites_frame=frame,
    )


def _origins(campaign: Campaign, team: Team) -> list[str]:
    if team.base is None:
        return [team.depot]
    if team.base != AUTO_BASE:
        return [team.base]
    depots = campaign.region.depots
    offices = depots[(depots["kind"] != "dinas") & depots["kode_kab"].isin(team.regencies)]
    return [team.depot, *offices["depot_id"].astype(str)]


def team_minutes(campaign: Campaign, team: Team) -> np.ndarray:
    """One-way minutes from the team's start (depot or base) to every site it may serve."""
    modes = [str(m) for m in team.modes]
    out = np.full(len(campaign.site_ids), np.inf)
    for origin in _origins(campaign, team):
        for mode in modes:
            out = np.minimum(out, campaign.one_way(origin, mode, team.boat, team.regencies))
    return out


def simulate(
    campaign: Campaign,
    teams: Sequence[Team],
    target: np.ndarray,
    *,
    calibration: tuple[float, float] | dict[str, tuple[float, float]] | None = None,
    weeks: int | None = None,
) -> SurrogateRun:
    """Roll the surrogate campaign of ``teams`` forward (see the module docstring).

    Parameters
    ----------
    campaign
        The campaign's static data.
    teams
        The teams (all of one or more team groups; other sites stay untouched).
    target
        Boolean mask of the target sites (over all the campaign's sites).
    calibration
        ``(alpha, efficiency)``: travel share and the share of working minutes a team turns
        into visits, or such pairs per group key; default the calibrated pair of each team's
        group (``(1, 1)`` if none), times the group's fleet factor (:func:`fleet_factors`).
    weeks
        Only the first ``weeks`` weeks (the calibration uses 1).
    """
    policy = campaign.policy
    # bigger fleets turn fewer of their minutes into visits: the measured factor per group
    factors = fleet_factors(campaign, teams) if calibration is None else {}
    full_travel = {t.id: team_minutes(campaign, t) for t in teams}
    served_all = np.zeros(len(campaign.site_ids), dtype=bool)
    for tau in full_travel.values():
        served_all |= np.isfinite(tau)
    # only the sites these teams can serve or that are targets: a group's few hundred
    sub = np.flatnonzero(served_all | target)
    n = len(sub)
    belum = campaign.belum[sub].copy()
    weight = campaign.weight[sub]
    island = campaign.classes["pulau"][sub]
    goal = target[sub]
    travel = {k: v[sub] for k, v in full_travel.items()}
    visited = np.zeros(n, dtype=bool)
    minimum = max(policy.min_visit_size, 1.0)
    reach = np.zeros(n, dtype=bool)
    for t in teams:
        lengths = [m for week in campaign.mondays[:2] for m, _ in campaign.day_minutes(t, week)]
        day = max(lengths, default=0)
        ok = 2 * travel[t.id] + t.setup_minutes + t.minutes_per_record / t.kits <= day
        # an overnight base makes far sites a stay, not a round trip
        reach |= ok | (np.isfinite(travel[t.id]) & (t.base is not None))
    stats: dict[str, dict[str, float]] = {
        t.id: {"days": 0, "saturdays": 0, "nights": 0, "boat_days": 0.0, "recordings": 0.0}
        for t in teams
    }
    mondays = campaign.mondays[:weeks] if weeks else campaign.mondays

    def rate() -> np.ndarray:
        turnout = np.where(visited, policy.repeat_turnout, policy.turnout)
        return np.asarray(turnout * (1 - policy.ghost_share))

    weekly: list[float] = []
    done_week: date | None = None
    for monday in mondays:
        expected = np.floor(belum * rate() + 1e-9)
        left = expected.copy()
        recorded = np.zeros(n)
        for t in teams:
            days = campaign.day_minutes(t, monday)
            if not days:
                continue
            alpha, efficiency = _calibration_of(campaign, t, calibration)
            efficiency *= factors.get(group_key(t), 1.0)
            budget = efficiency * float(sum(m for m, _ in days))
            tau = travel[t.id]
            per = t.minutes_per_record / t.kits
            fixed = t.setup_minutes + alpha * 2 * np.where(np.isfinite(tau), tau, 0.0)
            idx = np.flatnonzero(np.isfinite(tau) & (left >= minimum) & reach)
            cost = fixed[idx] + left[idx] * per
            order = idx[np.argsort(-weight[idx] * left[idx] / cost, kind="stable")]
            cum = np.cumsum(fixed[order] + left[order] * per)
            full = int(np.searchsorted(cum, budget, side="right"))
            take = np.zeros(n)
            take[order[:full]] = left[order[:full]]
            if full < len(order):
                spent = float(cum[full - 1]) if full else 0.0
                s = order[full]
                partial = np.floor(max(0.0, budget - spent - fixed[s]) / per)
                if partial >= minimum:
                    take[s] = min(partial, left[s])
            recorded += take
            left -= take
            if done_week is None:
                st = stats[t.id]
                st["days"] += len(days)
                st["saturdays"] += sum(1 for _, sat in days if sat)
                st["nights"] += max(0, len(days) - 1) if t.base is not None else 0
                boat = (take > 0) & island
                if boat.any():
                    island_minutes = float((fixed[boat] + take[boat] * per).sum())
                    st["boat_days"] += float(np.ceil(island_minutes / max(m for m, _ in days)))
                st["recordings"] += float(take.sum())
        belum = np.maximum(0.0, belum - recorded)
        visited |= (recorded > 0) & (recorded >= expected)
        weekly.append(float(recorded.sum()))
        if done_week is None and not ((np.floor(belum * rate() + 1e-9) >= minimum) & goal).any():
            done_week = monday
    still = np.floor(belum * rate() + 1e-9) >= minimum
    return SurrogateRun(
        left=float(belum[goal].sum()),
        done_week=done_week,
        unreachable=int((still & goal & ~reach).sum()),
        teams={
            k: TeamWeek(
                days=int(v["days"]),
                saturdays=int(v["saturdays"]),
                nights=int(v["nights"]),
                boat_days=v["boat_days"],
                recordings=v["recordings"],
            )
            for k, v in stats.items()
        },
        weekly=tuple(weekly),
    )


def group_key(team: Team) -> str:
    """Key of a team's group for the calibration: its sorted regencies."""
    return "+".join(sorted(team.regencies))


def _calibration_of(
    campaign: Campaign,
    team: Team,
    calibration: tuple[float, float] | dict[str, tuple[float, float]] | None,
) -> tuple[float, float]:
    if isinstance(calibration, tuple):
        return calibration
    table = calibration if calibration is not None else campaign.calibration
    return table.get(group_key(team), (1.0, 1.0))


def team_capacity(campaign: Campaign, team: Team) -> float:
    """Recordings a team could make in the first two weeks if it never travelled.

    Kits x working minutes / minutes per record (the recording-capacity bound of DESIGN.md),
    so added teams, kits and Saturdays all count.
    """
    minutes = sum(m for week in campaign.mondays[:2] for m, _ in campaign.day_minutes(team, week))
    return team.kits * minutes / team.minutes_per_record


def group_capacity(campaign: Campaign, teams: Sequence[Team]) -> dict[str, float]:
    """:func:`team_capacity` summed per group key."""
    out: dict[str, float] = {}
    for t in teams:
        out[group_key(t)] = out.get(group_key(t), 0.0) + team_capacity(campaign, t)
    return out


def capacity_split(campaign: Campaign, teams: Sequence[Team]) -> dict[str, tuple[float, float]]:
    """Per group: capacity of added teams, and capacity the base teams gained (kits, days).

    Teams whose id is not in ``campaign.base_teams`` are added; without ``base_teams`` every
    gain counts as added.
    """
    out: dict[str, tuple[float, float]] = {}
    for t in teams:
        key = group_key(t)
        added, own = out.get(key, (0.0, 0.0))
        capacity = team_capacity(campaign, t)
        if t.id in campaign.base_teams:
            own += capacity - campaign.base_teams[t.id]
        else:
            added += capacity
        out[key] = (added, own)
    if not campaign.base_teams:
        base = campaign.base_capacity
        out = {k: (a - base.get(k, 0.0), 0.0) for k, (a, _) in out.items()}
    return out


def _interp(points: Sequence[tuple[float, float]], ratio: float) -> float:
    ratios, factors = zip(*sorted({(1.0, 1.0), *points}), strict=True)
    return float(np.interp(ratio, ratios, factors))


def fleet_factors(campaign: Campaign, teams: Sequence[Team]) -> dict[str, float]:
    """Efficiency factor per group of ``teams`` from the campaign's measured scaling.

    Added teams and the base teams' own gain are read on their own curves (``scaling``,
    ``scaling_own``; the own gain on ``scaling`` where no own curve was measured), each at
    ``1 + gain / base capacity``, interpolated linearly between the measured points with
    ``(1, 1)`` for the base and the last point held beyond the biggest fleet measured
    (``numpy.interp``). Of the two factors the smaller holds: both gains compete for the
    same villages, and adding the two losses under-estimated a mixed option on Sarolangun
    (3 weeks: 10,538 recordings against the planner's 14,089; the smaller factor: 13,773).
    """
    out: dict[str, float] = {}
    for key, (added, own) in capacity_split(campaign, teams).items():
        base = campaign.base_capacity.get(key, 0.0)
        teams_curve = campaign.scaling.get(key, ())
        own_curve = campaign.scaling_own.get(key, ())
        if base <= 0 or not (teams_curve or own_curve):
            continue
        if not own_curve:
            added, own = added + own, 0.0
        factor = 1.0
        if teams_curve:
            factor = min(factor, _interp(teams_curve, 1.0 + added / base))
        if own_curve:
            factor = min(factor, _interp(own_curve, 1.0 + own / base))
        out[key] = factor
    return out
