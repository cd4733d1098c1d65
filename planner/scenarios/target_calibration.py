"""Calibration of the ``jemput target`` surrogate on real week plans.

Two steps, both matching the surrogate's first week to what :func:`plan_week_from` records:

* :func:`calibrate`: the base teams' week sets the travel share ``alpha`` and the efficiency of
  each team group.
* :func:`fit_fleet_factors`: weeks of *bigger* fleets (the base plus added car teams, +100 %
  and +300 %; the base teams with one more kit and Saturdays) measure how much of the added
  capacity the planner really turns into recordings. Per group and fleet the efficiency
  factor that matches the real week is stored against the capacity gained over the base's
  (:func:`~planner.scenarios.target_surrogate.capacity_split`), on one curve for added teams
  and one for the base teams' own gain; the surrogate interpolates both for every option
  (:func:`~planner.scenarios.target_surrogate.fleet_factors`). Without it the surrogate
  assumed that every added team yields as much as a base team, which over-promised large
  additions (teams share the same near villages and queue limits; long trips).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from planner.domain.config import Team, TeamsConfig
from planner.scenarios.target_levers import apply_levers
from planner.scenarios.target_surrogate import (
    Campaign,
    capacity_split,
    group_capacity,
    group_key,
    simulate,
    team_capacity,
)
from planner.scenarios.warmstart import plan_week_from
from planner.week.types import WeekInputs, WeekPlan

ALPHA_RANGE: tuple[float, float] = (0.0, 4.0)
"""Search range of the travel share ``alpha`` in the calibration."""

FLEET_STEPS: tuple[float, ...] = (1.0, 3.0)
"""Added car teams per base team of the calibration fleets (+100 % and +300 %): the search's
options add up to 8 teams of a kind per regency, i.e. up to several times a group's base."""

OWN_FLEET: dict[str, int] = {"alat": 1, "sabtu": 1}
"""Levers of the calibration fleet for the base teams' own gain: one more kit and Saturdays."""

FACTOR_RANGE: tuple[float, float] = (0.05, 1.0)
"""Range of the fleet efficiency factor: a bigger fleet is never credited more per minute
than the base week showed (where the real week beats the surrogate, the factor stays 1)."""


def _groups(teams: Sequence[Team]) -> dict[str, list[Team]]:
    groups: dict[str, list[Team]] = {}
    for t in teams:
        groups.setdefault(group_key(t), []).append(t)
    return groups


def _real_by_group(plan: WeekPlan, groups: dict[str, list[Team]]) -> dict[str, float]:
    real = plan.itinerary.groupby("team_id")["expected_recordings"].sum()
    return {k: float(sum(real.get(t.id, 0) for t in members)) for k, members in groups.items()}


def calibrate(
    campaign: Campaign, teams: TeamsConfig, plan: WeekPlan, *, steps: int = 20
) -> dict[str, tuple[float, float]]:
    """``(alpha, efficiency)`` per team group so the surrogate's first week matches ``plan``.

    ``plan`` is a real week plan of ``teams`` for ``campaign.start``. ``alpha`` (travel share,
    :data:`ALPHA_RANGE`) is searched first with every working minute usable; where even the
    most travel leaves the surrogate above the real week (short trips: the real limits are
    the daily queue limit and whole chunks), ``efficiency`` (share of working minutes turned
    into visits) is lowered until it matches. A group whose real week beats the surrogate
    without any travel keeps ``(0, 1)``.
    """
    groups = _groups(teams.teams)
    real = _real_by_group(plan, groups)
    everything = np.ones(len(campaign.site_ids), dtype=bool)
    out: dict[str, tuple[float, float]] = {}
    for key, members in sorted(groups.items()):
        goal = real[key]

        def week_one(pair: tuple[float, float], members: list[Team] = members) -> float:
            return simulate(campaign, members, everything, calibration=pair, weeks=1).weekly[0]

        lo, hi = ALPHA_RANGE
        if week_one((lo, 1.0)) <= goal:
            out[key] = (lo, 1.0)
            continue
        if week_one((hi, 1.0)) > goal:
            e_lo, e_hi = 0.05, 1.0
            for _ in range(steps):
                mid = (e_lo + e_hi) / 2
                e_lo, e_hi = (e_lo, mid) if week_one((hi, mid)) > goal else (mid, e_hi)
            out[key] = (hi, round((e_lo + e_hi) / 2, 4))
            continue
        for _ in range(steps):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if week_one((mid, 1.0)) > goal else (lo, mid)
        out[key] = (round((lo + hi) / 2, 4), 1.0)
    return out


def calibration_fleet(base: TeamsConfig, added_per_team: float, depots: set[str]) -> TeamsConfig:
    """The base plus ``ceil(added_per_team x teams)`` car teams at each regency's Dinas office.

    The added teams are the search's own ``tim_mobil`` lever, so they work and travel as an
    option's added teams do.
    """
    owned: dict[str, int] = {}
    for t in base.teams:
        owned[t.regency] = owned.get(t.regency, 0) + 1
    levers = {
        ("tim_mobil", kab): math.ceil(added_per_team * n)
        for kab, n in sorted(owned.items())
        if f"dinas-{kab}" in depots
    }
    teams, _ = apply_levers(base, levers)
    return teams


def own_fleet(base: TeamsConfig) -> TeamsConfig:
    """The base teams with :data:`OWN_FLEET` (one more kit each, Saturday work)."""
    regencies = sorted({t.regency for t in base.teams})
    teams, _ = apply_levers(base, {(k, kab): n for k, n in OWN_FLEET.items() for kab in regencies})
    return teams


def fit_fleet_factors(
    campaign: Campaign,
    fleets: Sequence[tuple[TeamsConfig, WeekPlan]],
    *,
    steps: int = 16,
) -> tuple[dict[str, tuple[tuple[float, float], ...]], dict[str, tuple[tuple[float, float], ...]]]:
    """Points ``(capacity ratio, efficiency factor)`` per group from real weeks of fleets.

    ``campaign.calibration``, ``campaign.base_capacity`` and ``campaign.base_teams`` must be
    set. For each fleet and group the factor (:data:`FACTOR_RANGE`) multiplying the group's
    calibrated efficiency is bisected until the surrogate's first week matches the plan's
    recordings. A fleet with added teams gives a point of the added-teams curve, at
    ``1 + added capacity / base``; one without, a point of the own-gain curve
    (:func:`~planner.scenarios.target_surrogate.capacity_split`). Returns both curves.
    """
    everything = np.ones(len(campaign.site_ids), dtype=bool)
    points: dict[str, list[tuple[float, float]]] = {}
    own_points: dict[str, list[tuple[float, float]]] = {}
    for teams, plan in fleets:
        groups = _groups(teams.teams)
        real = _real_by_group(plan, groups)
        split = capacity_split(campaign, teams.teams)
        for key, members in sorted(groups.items()):
            base = campaign.base_capacity.get(key, 0.0)
            added, own = split[key]
            if base <= 0 or max(added, own) <= base * 0.01:
                continue
            pair = campaign.calibration.get(key, (1.0, 1.0))

            def week_one(
                factor: float,
                members: list[Team] = members,
                key: str = key,
                pair: tuple[float, float] = pair,
            ) -> float:
                scaled = {key: (pair[0], pair[1] * factor)}
                run = simulate(campaign, members, everything, calibration=scaled, weeks=1)
                return run.weekly[0]

            lo, hi = FACTOR_RANGE
            if week_one(hi) <= real[key]:
                factor = hi
            else:
                for _ in range(steps):
                    mid = (lo + hi) / 2
                    lo, hi = (lo, mid) if week_one(mid) > real[key] else (mid, hi)
                factor = (lo + hi) / 2
            curve, gain = (points, added) if added > base * 0.01 else (own_points, own)
            curve.setdefault(key, []).append((round(1.0 + gain / base, 4), round(factor, 4)))
    return (
        {k: tuple(sorted(v)) for k, v in sorted(points.items())},
        {k: tuple(sorted(v)) for k, v in sorted(own_points.items())},
    )


def calibrate_fleets(
    campaign: Campaign,
    base: WeekInputs,
    steps: Sequence[float] = FLEET_STEPS,
    *,
    workers: int = 1,
) -> dict[str, dict[str, float]]:
    """Plan the calibration fleets' real weeks and set the campaign's fleet curves.

    ``base`` is the base teams' week (its teams, the week of ``campaign.start``); the fleets
    are :func:`calibration_fleet` for each of ``steps`` and :func:`own_fleet`.
    ``campaign.calibration`` must be set. Sets ``base_capacity``, ``base_teams``, ``scaling``
    and ``scaling_own``; returns each fleet's real recordings per team, by fleet label.
    """
    teams = base.teams.teams
    campaign.base_capacity = group_capacity(campaign, teams)
    campaign.base_teams = {t.id: team_capacity(campaign, t) for t in teams}
    depots = set(base.region.depots["depot_id"].astype(str))
    labelled = [(f"+{s:g} tim", calibration_fleet(base.teams, s, depots)) for s in steps]
    fleets: list[tuple[TeamsConfig, WeekPlan]] = []
    weeks: dict[str, dict[str, float]] = {}
    for label, fleet in [*labelled, ("+alat +Sabtu", own_fleet(base.teams))]:
        plan = plan_week_from(replace(base, teams=fleet), workers=workers)
        fleets.append((fleet, plan))
        by_team = plan.itinerary.groupby("team_id")["expected_recordings"].sum()
        weeks[label] = {str(k): float(v) for k, v in by_team.items()}
    campaign.scaling, campaign.scaling_own = fit_fleet_factors(campaign, fleets)
    return weeks
