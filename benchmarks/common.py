"""Shared pieces of the plan benchmarks: inputs loaded once, timed runs, Markdown tables.

Not a test helper: scripts in this folder import it by path (``python benchmarks/x.py`` puts
this folder on ``sys.path``).
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from planner.domain.config import Policy, TeamsConfig
from planner.geo.classify import ClassifiedVillages
from planner.geo.estimate import estimate_registry
from planner.geo.region_classes import classify_region_cached
from planner.io.plan_config import load_plan_config
from planner.io.region import Region, load_region
from planner.io.registry import Registry
from planner.travel import TravelModel
from planner.travel.regional import travel_model_for
from planner.week.types import WeekInputs, WeekPlan

REPO = Path(__file__).resolve().parents[1]
CLASSES = ("pulau", "pesisir", "perbatasan", "terpencil")


@dataclass
class Inputs:
    """Everything :func:`planner.week.plan.plan_week` needs except the week."""

    region: Region
    classified: ClassifiedVillages
    registry: Registry
    teams: TeamsConfig
    policy: Policy
    travel: TravelModel
    load_seconds: float

    def for_week(self, week: date) -> WeekInputs:
        """The planner's bundle of these inputs for the week starting ``week``."""
        return WeekInputs(
            self.region, self.classified, self.registry, self.teams, self.policy, week, self.travel
        )


def load_inputs(
    region_name: str,
    teams_path: Path | None = None,
    solver: dict[str, object] | None = None,
    *,
    cache: bool = True,
) -> Inputs:
    """Region, classes, the estimate registry, teams, policy and travel model of a region."""
    t0 = time.perf_counter()
    region = load_region(region_name)
    teams, policy = load_plan_config(region, teams_path, None, solver or {})
    classified = classify_region_cached(region, policy.terpencil_minutes)
    registry = estimate_registry(region, classified, seed=policy.solver.seed)
    travel = travel_model_for(region, cache=cache)
    return Inputs(region, classified, registry, teams, policy, travel, time.perf_counter() - t0)


def with_time_limit(inputs: Inputs, seconds: float) -> Inputs:
    """The same inputs with another solver time limit (the week's wall-clock budget)."""
    from planner.domain.config import apply_overrides

    policy = apply_overrides(inputs.policy, {"solver": {"time_limit_s": seconds}})
    return Inputs(
        inputs.region,
        inputs.classified,
        inputs.registry,
        inputs.teams,
        policy,
        inputs.travel,
        inputs.load_seconds,
    )


def timed(fn: Callable[..., WeekPlan], *args: Any, **kw: Any) -> tuple[WeekPlan, float]:
    """Run ``fn(*args, **kw)`` and return its plan and the wall seconds."""
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t0


def run_planner(inputs: Inputs, week: date, *, workers: int = 2, **kw: Any) -> WeekPlan:
    """:func:`planner.week.plan.plan_week` on the inputs."""
    from planner.week.plan import plan_week

    return plan_week(
        inputs.for_week(week),
        workers=workers,
        **kw,
    )


def run_greedy(inputs: Inputs, week: date, **kw: Any) -> WeekPlan:
    """:func:`planner.week.baseline.plan_week_greedy` on the inputs."""
    from planner.week.baseline import plan_week_greedy

    return plan_week_greedy(
        inputs.for_week(week),
        **kw,
    )


@contextlib.contextmanager
def patched(module: Any, **values: Any) -> Iterator[None]:
    """Set module attributes for the duration of a block (benchmark experiments only)."""
    saved = {k: getattr(module, k) for k in values}
    for k, v in values.items():
        setattr(module, k, v)
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(module, k, v)


def summary_row(label: str, plan: WeekPlan, seconds: float) -> dict[str, Any]:
    """One table row from a plan's summary."""
    s = plan.summary
    shares = s["class_share"]
    assert isinstance(shares, dict)
    row: dict[str, Any] = {
        "run": label,
        "planned": s["planned_recordings"],
        "weighted": s["weighted_recordings"],
        "util": s["utilisation"],
        "km": s["km"],
        "boat_h": s["boat_hours"],
        "villages": s["villages_visited"],
    }
    for name in CLASSES:
        row[name] = shares.get(name, 0.0)
    row["seconds"] = round(seconds, 1)
    return row


def utilisation_ceiling(plan: WeekPlan) -> float:
    """An upper bound on any plan's utilisation from travel and set-up alone.

    Each team-day must at least drive to one site with residents to record and back and set up
    there once, so it records at most (working minutes - set-up - shortest round trip to any
    site it may serve) x kits / minutes per record. Summed over team-days, divided by the
    capacity bound. Valid for plans whose groups offer every reachable chunk (the greedy's).
    """
    total = 0.0
    bound = 0.0
    for result in plan.results:
        problem = result.group.problem
        for k, (td, vehicle) in enumerate(
            zip(result.group.team_days, problem.vehicles, strict=True)
        ):
            minutes = problem.arc_minutes(vehicle.profile)  # set-up included on arrival
            nodes = {v.node for v in problem.visits if k in problem.allowed_vehicles(v)}
            depot = vehicle.start_node
            trip = min((minutes[depot, n] + minutes[n, depot] for n in nodes), default=math.inf)
            free = td.working_minutes - trip if math.isfinite(trip) else 0.0
            total += max(0.0, free) * td.team.kits / td.team.minutes_per_record
            bound += td.capacity_recordings
    return total / bound if bound else 0.0


def time_budget(plan: WeekPlan) -> dict[str, float]:
    """Where a week's working minutes go, as shares of the minutes of every team-day available.

    ``record`` (service), ``setup`` (one per place), ``depot_legs`` (leaving the depot or
    overnight base and coming back to it), ``between`` (travel between places) and ``rest``
    (idle, waiting, unused team-days; minus any travel done during the break, which is not
    working time).
    """
    from planner.week.groups import profile_of

    working = sum(td.working_minutes for td in plan.all_team_days)
    record = setup = depot_legs = between = 0.0
    for result in plan.results:
        group = result.group
        node_of = {p: i for i, p in enumerate(group.places)}
        chunks = {c.chunk_id: c for c in group.chunks}
        for route in result.solution.routes:
            if not route.stops:
                continue
            td = group.team_days[route.vehicle]
            minutes = group.matrices[profile_of(td.team)].minutes
            nodes = [node_of[chunks[s.visit_id].site_id] for s in route.stops]
            record += sum(s.end - s.start for s in route.stops)
            places = [n for k, n in enumerate(nodes) if k == 0 or n != nodes[k - 1]]
            setup += len(places) * float(td.team.setup_minutes)
            start, end = node_of[td.start_place], node_of[td.end_place]
            depot_legs += float(minutes[start, places[0]] + minutes[places[-1], end])
            between += float(sum(minutes[a, b] for a, b in itertools.pairwise(places)))
    parts = {"record": record, "setup": setup, "depot_legs": depot_legs, "between": between}
    parts["rest"] = working - sum(parts.values())
    return {k: round(v / working, 3) if working else 0.0 for k, v in parts.items()}


def markdown(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Rows as a Markdown table (floats: 4 significant decimals at most)."""
    if not rows:
        return "(no rows)"
    cols = list(columns or rows[0].keys())

    def cell(v: Any) -> str:
        if isinstance(v, float):
            if abs(v) < 10:
                return f"{v:.3f}"
            return f"{v:,.1f}"
        if isinstance(v, int):
            return f"{v:,}"
        return str(v)

    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(cell(r.get(c, "")) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def machine() -> str:
    """One line: cores, CPU model, RAM, Python and key library versions."""
    import numpy
    import ortools
    import pandas

    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024**2:.0f} GiB"
    return (
        f"nproc {os.cpu_count()}, {cpu}, RAM {ram}; Python {platform.python_version()}, "
        f"ortools {ortools.__version__}, numpy {numpy.__version__}, pandas {pandas.__version__}"
    )


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (MiB)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024.0 if sys.platform != "darwin" else rss / 1024.0**2
