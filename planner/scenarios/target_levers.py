"""What ``jemput target`` may add, what it costs, and the search over it with the surrogate.

A *lever* is one step of added capacity in one regency: an added team of a kind (car,
motorbike, boat), one more kit for each of its teams, Saturday work, overnight stays at
kecamatan offices (``base = "auto"``), or a chartered boat for a land team. A set of levers
becomes scenario overrides (``[[teams.teams]]`` entries merged by id), so what the surrogate
scores is exactly what ``jemput compare``/``jemput project`` replay.

The search is greedy per team group (groups share no team and no regency, so the cheapest
way for the whole area is the sum of the cheapest ways per group): from the base, add the
lever that finishes the target sites at the lowest cost, or else removes the most residents
left at the deadline per rupiah, until done or nothing helps; then drop any step that is no
longer needed. Each *family* limits the levers it may use (only cars, only Saturdays and
kits...), which gives several distinct options to rank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from planner.domain.config import TeamsConfig, apply_overrides
from planner.domain.config.teams import DEFAULT_TEAM_WEEKDAYS, Team
from planner.scenarios.target_costs import TargetCosts
from planner.scenarios.target_surrogate import Campaign, SurrogateRun, simulate

LEVER_NAMES: dict[str, str] = {
    "tim_mobil": "tim mobil tambahan",
    "tim_motor": "tim motor tambahan",
    "tim_perahu": "tim perahu tambahan",
    "alat": "alat rekam tambahan per tim",
    "sabtu": "kerja hari Sabtu",
    "menginap": "menginap di kantor kecamatan",
    "sewa_perahu": "sewa perahu untuk tim darat",
}
"""Lever kinds and their Indonesian names."""

MAX_AMOUNT: dict[str, int] = {
    "tim_mobil": 8,
    "tim_motor": 8,
    "tim_perahu": 2,
    "alat": 2,
    "sabtu": 1,
    "menginap": 1,
    "sewa_perahu": 1,
}
"""Most steps of each lever per regency (teams added, kits added per team...)."""

FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "campuran": ("Campuran termurah", tuple(LEVER_NAMES)),
    "tim_mobil": ("Tambah tim mobil", ("tim_mobil", "tim_perahu")),
    "tim_motor": ("Tambah tim motor", ("tim_motor", "tim_perahu")),
    "sabtu_alat": ("Sabtu dan alat tambahan", ("sabtu", "alat", "sewa_perahu")),
    "menginap_sabtu": ("Menginap dan Sabtu", ("menginap", "sabtu", "sewa_perahu")),
}
"""Option families: key → (Indonesian name, levers allowed)."""

MAX_STEPS = 16
"""Greedy steps per group and family."""

Levers = Mapping[tuple[str, str], int]
"""Lever amounts by (kind, regency)."""


@dataclass(frozen=True)
class Evaluated:
    """A lever set of one group scored by the surrogate."""

    levers: tuple[tuple[tuple[str, str], int], ...]
    run: SurrogateRun
    cost: float
    parts: tuple[tuple[str, float], ...]


def added_team_id(kind: str, kab: str, i: int) -> str:
    """Id of the ``i``-th added team of ``kind`` in regency ``kab`` (e.g. tambah-3601-mobil-1)."""
    return f"tambah-{kab.replace('.', '')}-{kind.removeprefix('tim_')}-{i}"


def _owned(teams: Sequence[Team], kab: str) -> list[Team]:
    """Base teams that belong to regency ``kab`` (their depot's regency), by id."""
    return sorted((t for t in teams if t.regency == kab), key=lambda t: t.id)


def lever_overrides(base: TeamsConfig, levers: Levers) -> dict[str, object]:
    """Scenario overrides (``{"teams": {"teams": [...]}}``) of a lever set on ``base``."""
    entries: dict[str, dict[str, object]] = {}
    groups = {t.regency: sorted(t.regencies) for t in base.teams}
    for (kind, kab), amount in sorted(levers.items()):
        if amount <= 0:
            continue
        own = _owned(base.teams, kab)
        if kind.startswith("tim_"):
            for i in range(1, amount + 1):
                tid = added_team_id(kind, kab, i)
                entries[tid] = {
                    "id": tid,
                    "name": f"Tim tambahan {kind.removeprefix('tim_')} {i} ({kab})",
                    "depot": f"dinas-{kab}",
                    "modes": ["motor"] if kind == "tim_motor" else ["mobil"],
                    "boat": kind == "tim_perahu",
                    "kits": 1,
                    "working_days": list(DEFAULT_TEAM_WEEKDAYS),
                    "regencies": groups.get(kab, [kab]),
                }
            continue
        for k, team in enumerate(own):
            entry = entries.setdefault(team.id, {"id": team.id})
            if kind == "alat":
                entry["kits"] = min(20, team.kits + amount)
            elif kind == "sabtu" and "sabtu" not in team.working_days:
                entry["working_days"] = [*team.working_days, "sabtu"]
            elif kind == "menginap" and team.base is None:
                entry["base"] = "auto"
            elif kind == "sewa_perahu" and k < amount and not team.boat:
                entry["boat"] = True
    teams = [e for e in entries.values() if len(e) > 1]
    return {"teams": teams} if teams else {}


def apply_levers(base: TeamsConfig, levers: Levers) -> tuple[TeamsConfig, dict[str, object]]:
    """The teams with the levers applied, and the overrides that make them."""
    overrides = lever_overrides(base, levers)
    if not overrides:
        return base, {}
    return apply_overrides(base, overrides, source="jemput target"), overrides


def _kind(team: Team) -> str:
    return "motor" if list(team.modes) == ["motor"] else "mobil"


def lever_costs(
    base: TeamsConfig, levers: Levers, run: SurrogateRun, costs: TargetCosts
) -> dict[str, float]:
    """Cost in rupiah of each lever kind of a set, from what its teams did in ``run``."""
    out: dict[str, float] = {}
    for (kind, kab), amount in sorted(levers.items()):
        if amount <= 0:
            continue
        total = 0.0
        if kind.startswith("tim_"):
            for i in range(1, amount + 1):
                done = run.teams.get(added_team_id(kind, kab, i))
                if done is None:
                    continue
                total += done.days * costs.team_day(kind.removeprefix("tim_"))
                if kind == "tim_perahu":
                    total += done.boat_days * costs.charter_day
        for k, team in enumerate(_owned(base.teams, kab) if not kind.startswith("tim_") else []):
            done = run.teams.get(team.id)
            if done is None:
                continue
            if kind == "alat":
                total += min(20 - team.kits, amount) * done.days * costs.kit_day
            elif kind == "sabtu" and "sabtu" not in team.working_days:
                total += done.saturdays * (costs.team_day(_kind(team)) + costs.saturday_premium)
            elif kind == "menginap" and team.base is None:
                total += done.nights * costs.persons_per_team * costs.lodging_night
                total += done.days * costs.away_day_extra()
            elif kind == "sewa_perahu" and k < amount and not team.boat:
                total += done.boat_days * costs.charter_day
        out[kind] = out.get(kind, 0.0) + total
    return out


def group_regencies(base: TeamsConfig) -> list[tuple[str, ...]]:
    """Team groups of the base teams as sorted regency tuples (one per group)."""
    groups: list[set[str]] = []
    for team in base.teams:
        regs = set(team.regencies)
        merged = [g for g in groups if g & regs]
        for g in merged:
            regs |= g
            groups.remove(g)
        groups.append(regs)
    return sorted(tuple(sorted(g)) for g in groups)


class GroupSearch:
    """The greedy search of one team group, with every evaluation memoised across families."""

    def __init__(
        self,
        campaign: Campaign,
        base: TeamsConfig,
        regencies: tuple[str, ...],
        target: np.ndarray,
        costs: TargetCosts,
    ) -> None:
        self.campaign = campaign
        self.base = base
        self.regencies = regencies
        self.target = target & np.isin(campaign.regency, list(regencies))
        self.costs = costs
        self.evaluations = 0
        self._memo: dict[tuple[tuple[tuple[str, str], int], ...], Evaluated] = {}
        islands = campaign.classes["pulau"] & self.target
        self.island_regencies = {str(k) for k in campaign.regency[islands]}
        self.depots = set(campaign.region.depots["depot_id"].astype(str))

    def evaluate(self, levers: Levers) -> Evaluated:
        """Surrogate run and cost of a lever set (memoised)."""
        key = tuple(sorted((k, v) for k, v in levers.items() if v > 0))
        if key not in self._memo:
            teams, _ = apply_levers(self.base, dict(key))
            mine = [t for t in teams.teams if set(t.regencies) <= set(self.regencies)]
            run = simulate(self.campaign, mine, self.target)
            parts = lever_costs(self.base, dict(key), run, self.costs)
            self._memo[key] = Evaluated(key, run, sum(parts.values()), tuple(sorted(parts.items())))
            self.evaluations += 1
        return self._memo[key]

    def steps(self, levers: Levers, allowed: Sequence[str]) -> list[dict[tuple[str, str], int]]:
        """Lever sets one step beyond ``levers``."""
        out = []
        for kind in allowed:
            for kab in self.regencies:
                if kind in ("tim_perahu", "sewa_perahu") and kab not in self.island_regencies:
                    continue
                own = _owned(self.base.teams, kab)
                if kind.startswith("tim_"):
                    if f"dinas-{kab}" not in self.depots:
                        continue
                elif (
                    not own
                    or (kind == "sabtu" and all("sabtu" in t.working_days for t in own))
                    or (kind == "menginap" and all(t.base is not None for t in own))
                    or (kind == "sewa_perahu" and all(t.boat for t in own))
                ):
                    continue
                if levers.get((kind, kab), 0) >= MAX_AMOUNT[kind]:
                    continue
                out.append({**levers, (kind, kab): levers.get((kind, kab), 0) + 1})
        return out

    def search(self, allowed: Sequence[str]) -> Evaluated:
        """The cheapest lever set found that finishes the group, else the closest."""
        current: dict[tuple[str, str], int] = {}
        best = self.evaluate(current)
        for _ in range(MAX_STEPS):
            if best.run.done:
                break
            scored = [(self.evaluate(s), s) for s in self.steps(current, allowed)]
            finishing = [(e, s) for e, s in scored if e.run.done]
            if finishing:
                best, current = min(finishing, key=lambda es: (es[0].cost, es[0].levers))
                break
            gains = [
                ((best.run.left - e.run.left) / max(e.cost - best.cost, 1.0), e, s)
                for e, s in scored
                if best.run.left - e.run.left >= 1.0
            ]
            if not gains:
                break
            _, best, current = max(gains, key=lambda g: (g[0], [-x for _, x in g[1].levers]))
        if best.run.done:
            best = self._prune(dict(best.levers))
        return best

    def _prune(self, levers: dict[tuple[str, str], int]) -> Evaluated:
        """Drop steps the finished set does not need, most expensive saving first."""
        best = self.evaluate(levers)
        improved = True
        while improved:
            improved = False
            for key in sorted(levers):
                if levers[key] <= 0:
                    continue
                trial = {**levers, key: levers[key] - 1}
                e = self.evaluate(trial)
                if e.run.done and e.cost < best.cost:
                    levers, best, improved = trial, e, True
        return best
