"""Confirmations of ``jemput target``: the top options projected by the real planner.

A confirmation is :func:`planner.scenarios.projection.project`, exactly as ``jemput project``
runs the option's scenario, so the written TOML replays to the same numbers. Two things make
the confirmations cheaper without changing what they report:

* **in parallel**: with ``workers >= 2`` and two or more options, each option's projection runs
  in its own process (one worker each) instead of one after the other with the week's groups
  spread over the workers; the serial parts of a week (preparation, matrices, scheduling) then
  overlap too. A week's solver budget (``time_limit_s``) is shared by its groups,
  ``workers`` at a time; with one worker per process the budget is multiplied by ``workers``
  so that every group keeps at least the seconds it has in a sequential confirmation. With
  the default first-solution limit the budget only matters when a group's first solution
  takes longer than it (a loaded machine, very large groups): then the projections can
  differ, as two runs on a loaded machine can.
* **stop when the area is done**: for a regency or class target the projection stops in the
  week the area is done (``selesai_area``), without planning the rest of the region.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date

from planner.domain.config import Policy, TeamsConfig
from planner.geo.classify import ClassifiedVillages
from planner.io.region import Region
from planner.io.registry import Registry
from planner.scenarios.projection import Projection, project
from planner.travel import TravelModel


@dataclass(frozen=True)
class Shared:
    """What every confirmation shares: region, demand, travel and the dates."""

    region: Region
    classified: ClassifiedVillages
    registry: Registry
    travel: TravelModel
    start: date
    until: date
    area: frozenset[str] | None = None


def _project_timed(
    shared: Shared, teams: TeamsConfig, policy: Policy, workers: int
) -> tuple[Projection, float]:
    started = time.perf_counter()
    proj = project(
        shared.region,
        shared.classified,
        shared.registry,
        teams,
        policy,
        shared.start,
        shared.until,
        shared.travel,
        workers=workers,
        area=shared.area,
    )
    return proj, time.perf_counter() - started


def _budget(policy: Policy, workers: int) -> Policy:
    """``policy`` with the week's solver seconds times ``workers`` (see the module docstring)."""
    solver = policy.solver.model_copy(update={"time_limit_s": policy.solver.time_limit_s * workers})
    return policy.model_copy(update={"solver": solver})


def confirm_options(
    shared: Shared,
    options: Sequence[tuple[TeamsConfig, Policy]],
    *,
    workers: int = 1,
    parallel: bool = True,
    progress: Callable[[int], None] | None = None,
) -> list[tuple[Projection, float]]:
    """Project each ``(teams, policy)``; return the projections and their seconds, in order.

    Parameters
    ----------
    shared
        Region, demand, travel, dates and the optional target area (see the module docstring).
    options
        The options' teams and policies.
    workers
        Processes: with 2 or more and several options, one process per option (at most
        ``workers`` at once), each planning its weeks with one worker.
    parallel
        ``False``: one option after the other, each week's groups over ``workers`` processes
        (as before; for comparison).
    progress
        Called with the option's index when its confirmation starts (sequential) or is
        submitted (parallel).
    """
    say = progress or (lambda _i: None)
    if not parallel or workers < 2 or len(options) < 2:
        out = []
        for i, (teams, policy) in enumerate(options):
            say(i)
            out.append(_project_timed(shared, teams, policy, workers))
        return out
    with ProcessPoolExecutor(max_workers=min(workers, len(options))) as pool:
        futures = []
        for i, (teams, policy) in enumerate(options):
            say(i)
            futures.append(pool.submit(_project_timed, shared, teams, _budget(policy, workers), 1))
        return [f.result() for f in futures]


def stop_area(
    classified: ClassifiedVillages, kabupaten: str | None, klass: str | None
) -> frozenset[str] | None:
    """Sites whose completion ends a confirmation early: those :func:`confirmed_numbers`
    reads (the class over the whole region, else the regency; ``None`` for everything)."""
    if not (kabupaten or klass):
        return None
    sites = classified.sites
    if klass:
        members = classified.villages.loc[classified.villages[f"is_{klass}"].astype(bool), "kode"]
        mask = sites["kode_desa"].astype(str).isin(set(members.astype(str)))
    else:
        mask = sites["kode_kab"].astype(str) == kabupaten
    return frozenset(sites.loc[mask, "site_id"].astype(str))


def confirmed_numbers(
    proj: Projection, kabupaten: str | None, klass: str | None
) -> tuple[int, date | None, int]:
    """Residents left, done week and unreachable sites of the area in a projection.

    With both a regency and a class the projection's class row is used (the class over
    the whole region: a conservative reading of the regency's class).
    """
    table = proj.completion
    if klass:
        row = table[(table["level"] == "kelas") & (table["code"] == klass)]
    elif kabupaten:
        row = table[(table["level"] == "kabupaten") & (table["code"] == kabupaten)]
    else:
        row = table[table["level"] == "total"]
    rec = row.iloc[0]
    week = rec["completion_week"]
    unreachable = int(rec["unreachable_sites"])
    done = date.fromisoformat(str(week)) if isinstance(week, str) and not unreachable else None
    return int(rec["belum_rekam_end"]), done, unreachable
