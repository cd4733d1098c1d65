"""People-facing reports of a plan: ``jadwal.xlsx``, GPX/GeoJSON, maps, printable pages.

:func:`write_plan_reports` writes, into one folder:

* ``peta.html``: the coordinator's overview map (:mod:`planner.maps.plan_map`);
* ``kecamatan/<kode>-<nama>.html``: one page per kecamatan with a visit (map + schedule);
* ``desa/<kode>-<nama>.html``: one printable announcement per visited village;
* ``jadwal.xlsx``: the schedule workbook (:mod:`planner.reports.jadwal`);
* ``routes.gpx`` and ``routes.geojson`` (:mod:`planner.reports.gpx`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from planner.reports.jadwal import write_jadwal_xlsx

if TYPE_CHECKING:
    from planner.geography import ClassifiedVillages
    from planner.plan import WeekPlan
    from planner.region import Region
    from planner.travel import TravelModel

__all__ = ["write_jadwal_xlsx", "write_plan_reports"]


def write_plan_reports(
    plan: WeekPlan,
    region: Region,
    classified: ClassifiedVillages,
    folder: Path,
    *,
    travel: TravelModel | None = None,
) -> list[Path]:
    """Write every people-facing report of ``plan`` into ``folder``; return the paths.

    Parameters
    ----------
    plan
        The planned week.
    region, classified
        Its region and classified villages (polygons, classes, kecamatan boundaries).
    folder
        Output folder (must exist); ``kecamatan/`` and ``desa/`` are created in it.
    travel
        The travel model of the plan, for drawing legs; default the region's estimate.

    Returns
    -------
    list of pathlib.Path
        ``jadwal.xlsx``, ``routes.gpx``, ``routes.geojson``, ``peta.html``, then every
        kecamatan and desa page.
    """
    from planner.reports.gpx import write_routes_geojson, write_routes_gpx
    from planner.reports.pages import write_pages
    from planner.reports.routes import team_day_routes

    written = [folder / "jadwal.xlsx"]
    write_jadwal_xlsx(plan, written[0])
    routes = team_day_routes(plan, region, travel)
    written.append(write_routes_gpx(routes, plan.meta, folder / "routes.gpx"))
    written.append(write_routes_geojson(routes, plan.meta, folder / "routes.geojson"))
    written += write_pages(plan, region, classified, routes, folder)
    return written
