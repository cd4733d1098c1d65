"""People-facing reports of a plan: ``jadwal.xlsx``, GPX, maps, printable pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from planner.reports.jadwal import write_jadwal_xlsx

if TYPE_CHECKING:
    from planner.geography import ClassifiedVillages
    from planner.plan import WeekPlan
    from planner.region import Region

__all__ = ["write_jadwal_xlsx", "write_plan_reports"]


def write_plan_reports(
    plan: WeekPlan, region: Region, classified: ClassifiedVillages, folder: Path
) -> list[Path]:
    """Write every people-facing report of ``plan`` into ``folder``; return the paths."""
    del region, classified
    path = folder / "jadwal.xlsx"
    write_jadwal_xlsx(plan, path)
    return [path]
