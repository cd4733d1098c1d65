"""What ``jemput target`` returns: the options found (:class:`TargetOption`), the real
planner's confirmation of each (:class:`Confirmed`) and the whole result (:class:`TargetResult`).

Plain frozen data, built by :func:`planner.scenarios.target.find_target` and written by
:mod:`planner.scenarios.target_report`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from planner.scenarios.projection import Projection
from planner.scenarios.target_costs import TargetCosts
from planner.scenarios.target_levers import LEVER_NAMES


@dataclass(frozen=True)
class Confirmed:
    """An option's projection by the real planner (``jemput project``)."""

    left: int
    done_week: date | None
    unreachable: int
    seconds: float
    projection: Projection

    @property
    def stop(self) -> str:
        """Why the projection stopped (a key of ``STOP_REASONS``; ``macet``: a week planned
        nothing although villages remained, i.e. the planner found no routes)."""
        return self.projection.stop


@dataclass(frozen=True)
class TargetOption:
    """One way to reach the target: levers, cost, surrogate and confirmed completion."""

    key: str
    name: str
    family: str
    levers: tuple[tuple[tuple[str, str], int], ...]
    overrides: dict[str, object]
    cost: float
    cost_parts: dict[str, float]
    left: float
    done_week: date | None
    unreachable: int
    confirmed: Confirmed | None = None
    left_base: float | None = None
    """Residents left by the surrogate calibrated on the base week only (no fleet factors):
    what the search reported before the fleet calibration, kept for comparison."""
    weekly: tuple[float, ...] = ()
    """Surrogate recordings per week (all sites of the option's teams)."""
    weekly_base: tuple[float, ...] = ()
    """The same by the surrogate calibrated on the base week alone."""

    @property
    def done(self) -> bool:
        """The surrogate finishes the target area by the deadline."""
        return self.done_week is not None

    @property
    def description(self) -> str:
        """What the option adds, in Bahasa Indonesia."""
        if not self.levers:
            return "Tanpa tambahan (tim dan hari kerja yang ada)"
        return "; ".join(f"{kab}: {LEVER_NAMES[kind]} x{n}" for (kind, kab), n in self.levers)


@dataclass(frozen=True)
class TargetResult:
    """Result of :func:`~planner.scenarios.target.find_target`; ``files`` is filled by
    :func:`~planner.scenarios.target_report.run_target`."""

    region: str
    region_name: str
    start: date
    until: date
    kabupaten: str | None
    klass: str | None
    area: str
    options: tuple[TargetOption, ...]
    calibration: dict[str, tuple[float, float]]
    calibration_week: dict[str, float]
    costs: TargetCosts
    search_seconds: float
    confirm_seconds: float
    evaluations: int
    is_estimate: bool
    teams_file: Path | None
    policy_file: Path | None
    files: tuple[Path, ...] = field(default=())
    scaling: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)
    scaling_own: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)
    fleet_week: dict[str, dict[str, float]] = field(default_factory=dict)
