"""People-facing reports of a plan: ``jadwal.xlsx``, GPX/GeoJSON, maps, printable pages.

:func:`write_plan_reports` writes, into one folder:

* ``peta.html``: the coordinator's overview map (:mod:`planner.present.maps.plan_map`);
* ``kecamatan/<kode>-<nama>.html``: one page per kecamatan with a visit (map + schedule);
* ``desa/<kode>-<nama>.html``: one printable announcement per visited village;
* ``jadwal.xlsx``: the schedule workbook (:mod:`planner.present.reports.jadwal`);
* ``routes.gpx`` and ``routes.geojson`` (:mod:`planner.present.reports.gpx`).
"""

from __future__ import annotations

from pathlib import Path

from planner.geo.classify import ClassifiedVillages
from planner.io.region import Region
from planner.present.reports.gpx import write_routes_geojson, write_routes_gpx
from planner.present.reports.jadwal import write_jadwal_xlsx
from planner.present.reports.pages import write_pages
from planner.present.routes import team_day_routes
from planner.travel import TravelModel
from planner.week.types import WeekPlan

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

    written = [folder / "jadwal.xlsx"]
    write_jadwal_xlsx(plan, written[0])
    routes = team_day_routes(plan, region, travel)
    written.append(write_routes_gpx(routes, plan.meta, folder / "routes.gpx"))
    written.append(write_routes_geojson(routes, plan.meta, folder / "routes.geojson"))
    written += write_pages(plan, region, classified, routes, folder)
    return written
