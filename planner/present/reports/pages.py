"""Write ``peta.html``, the kecamatan pages and the desa announcements of a planned week,
each page also as an A4 PDF (:mod:`planner.present.reports.pdf`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm

from planner.domain.workdays import format_tanggal
from planner.geo.classify import ClassifiedVillages
from planner.io.region import Region
from planner.present.announce import VillageTotals, village_totals
from planner.present.frames import left_out_with_points, page_name, villages_with_counts
from planner.present.maps.kecamatan import (
    SCHEDULE_HEADER,
    kecamatan_schedule,
    kecamatan_visits,
    save_kecamatan_page,
)
from planner.present.maps.plan_common import team_colours
from planner.present.maps.plan_map import save_plan_map
from planner.present.reports.changes import desa_change_lines, plan_changes
from planner.present.reports.desa import (
    DesaVisit,
    announcement_rows,
    desa_page_html,
    kecamatan_neighbours,
    visit_points,
)
from planner.present.reports.pdf import village_drawing, write_desa_pdf, write_kecamatan_pdf
from planner.present.routes import TeamDayRoute, arrival_words, home_depots, night_away
from planner.week.types import WeekPlan


def _is_kelurahan(kode: str) -> bool:
    digits = kode.replace(".", "")
    return len(digits) >= 7 and digits[6] == "1"


def week_totals(plan: WeekPlan) -> dict[str, VillageTotals]:
    """Per village code: its expected turnout and the recordings the week plans there."""
    expected = plan.sites.groupby("kode_desa")["expected"].sum()
    planned = plan.itinerary.groupby("kode_desa")["expected_recordings"].sum()
    return village_totals(
        {str(k): int(v) for k, v in expected.items()},
        {str(k): int(v) for k, v in planned.items()},
    )


def travel_uncertainty_note(meta: Mapping[str, object]) -> str:
    """People-facing note on announced hours when the minutes carry a measured error.

    Empty unless ``meta["travel"]["uncertainty_pct"]`` (the estimate's 90th-percentile error
    on held-back observed trips) is a number.
    """
    travel = meta.get("travel")
    pct = travel.get("uncertainty_pct") if isinstance(travel, Mapping) else None
    if not isinstance(pct, int | float):
        return ""
    return (
        f"Jam kedatangan disusun dengan perkiraan waktu tempuh ± {pct:g} % (estimasi): "
        "tim dapat tiba lebih awal atau lebih lambat dari jam yang tertulis."
    )


def write_pages(
    plan: WeekPlan,
    region: Region,
    classified: ClassifiedVillages,
    routes: Sequence[TeamDayRoute],
    folder: Path,
) -> list[Path]:
    """Write ``peta.html``, ``kecamatan/*.html`` and ``desa/*.html``; return their paths."""

    meta = plan.meta
    week = date.fromisoformat(str(meta["week_start"]))
    is_estimate = bool(meta.get("is_estimate"))
    tz = str(meta.get("timezone", region.config.timezone_label))
    travel_note = travel_uncertainty_note(meta)
    crs = str(region.config.crs_metric)
    villages = villages_with_counts(plan, classified)
    by_code = villages.set_index("kode", drop=False)
    colours = team_colours([td.team.id for td in plan.all_team_days])

    visited = sorted({s.kode_desa for r in routes for s in r.stops})
    desa_file = {k: page_name(k, by_code.loc[k, "nama"]) for k in visited}
    kec_codes = sorted({str(by_code.loc[k, "kode_kec"]) for k in visited})
    kec_names = dict(zip(region.districts["kode"], region.districts["nama"], strict=True))
    kec_file = {k: page_name(k, kec_names.get(k, k)) for k in kec_codes}

    breaks = {
        (str(t), str(d)): str(b)
        for t, d, b in zip(
            plan.team_days["team_id"], plan.team_days["date"], plan.team_days["break"], strict=True
        )
    }
    totals = week_totals(plan)
    written: list[Path] = []
    ends = {r.depot_id for r in routes} | {r.end_id for r in routes}  # depots and bases
    depots = region.depots[region.depots["depot_id"].isin(ends)]
    written.append(
        save_plan_map(
            routes,
            villages,
            region.districts,
            folder / "peta.html",
            meta=meta,
            left_out=left_out_with_points(plan),
            depots=depots if len(depots) else region.depots,
            ports=region.ports,
            crs_metric=crs,
            desa_links={k: f"desa/{f}" for k, f in desa_file.items()},
            colours=colours,
        )
    )

    (folder / "kecamatan").mkdir(exist_ok=True)
    for kode_kec in kec_codes:
        in_kec = villages[villages["kode_kec"] == kode_kec]
        first = in_kec.iloc[0]
        page = folder / "kecamatan" / kec_file[kode_kec]
        schedule = kecamatan_schedule(kecamatan_visits(routes, kode_kec), tz, breaks, totals)
        written.append(
            write_kecamatan_pdf(
                page.with_suffix(".pdf"),
                title=f"Jadwal jemput bola KTP-el: Kecamatan {first['nama_kec']}, "
                f"{first['nama_kab']}",
                subtitle=f"Minggu mulai {format_tanggal(week)}: {len(schedule)} kunjungan",
                header=SCHEDULE_HEADER,
                rows=schedule,
                is_estimate=is_estimate,
                travel_note=travel_note,
            )
        )
        written.append(
            save_kecamatan_page(
                kode_kec=kode_kec,
                nama_kec=str(first["nama_kec"]),
                nama_kab=str(first["nama_kab"]),
                villages=in_kec,
                routes=routes,
                colours=colours,
                path=folder / "kecamatan" / kec_file[kode_kec],
                week_start=week,
                is_estimate=is_estimate,
                timezone_label=tz,
                crs_metric=crs,
                # no links to ../desa/: the page is sent alone (WhatsApp) and must work so
                breaks=breaks,
                totals=totals,
                travel_note=travel_note,
            )
        )

    (folder / "desa").mkdir(exist_ok=True)
    metric = villages.geometry.to_crs(crs).simplify(10.0, preserve_topology=True)
    small = villages.set_geometry(metric.to_crs("EPSG:4326").values)
    geoms = small.set_index("kode")["geometry"]
    # a village whose every announced visit was cancelled still gets its page: the
    # announcement pinned up there must be taken down (re-plans only)
    cancelled = sorted(
        {str(c["kode_desa"]) for c in plan_changes(plan) if c["status"] == "cancelled"}
        - set(visited)
    )
    desa_file.update({k: page_name(k, by_code.loc[k, "nama"]) for k in cancelled})
    homes = home_depots(routes, plan.meta)
    for kode in [*visited, *cancelled]:
        row = by_code.loc[kode]
        visits = [
            DesaVisit(
                day=r.day,
                start=s.start,
                end=s.end,
                team_name=r.team_name,
                place=(f"{s.island_name}, " if s.island_name else "")
                + ("Kantor Kelurahan " if _is_kelurahan(kode) else "Balai Desa ")
                + s.desa,
                lon=s.lon,
                lat=s.lat,
                recordings=s.expected_recordings,
                break_text=breaks.get((r.team_id, r.day.isoformat()), ""),
                arrival=arrival_words(s, night_away(r, homes)),
            )
            for r in routes
            for s in r.stops
            if s.kode_desa == kode
        ]
        changes = desa_change_lines(plan, kode)
        text = desa_page_html(
            kode=kode,
            nama=str(row["nama"]),
            kecamatan=str(row["nama_kec"]),
            kabupaten=str(row["nama_kab"]),
            is_kelurahan=_is_kelurahan(kode),
            visits=visits,
            village=geoms[kode],
            neighbours=kecamatan_neighbours(small, str(row["kode_kec"]), kode),
            timezone_label=tz,
            week_start=week,
            is_estimate=is_estimate,
            changes=changes,
            totals=totals.get(kode),
            travel_note=travel_note,
        )
        path = folder / "desa" / desa_file[kode]
        path.write_text(text, encoding="utf-8")
        written.append(path)
        kelurahan = _is_kelurahan(kode)
        table, places = announcement_rows(visits, tz, totals.get(kode))
        box = 14.0 + 9.0 * len(changes) if changes else 0.0
        drawing = village_drawing(
            geoms[kode],
            kecamatan_neighbours(small, str(row["kode_kec"]), kode),
            visit_points(visits, places),
            # the map gives way to a long table, a change box and the travel note: one page
            height=max(24.0, 70.0 - 10.0 * len(table) - box - (10.0 if travel_note else 0.0)) * mm,
        )
        written.append(
            write_desa_pdf(
                path.with_suffix(".pdf"),
                kind="Kelurahan" if kelurahan else "Desa",
                nama=str(row["nama"]),
                kecamatan=str(row["nama_kec"]),
                kabupaten=str(row["nama_kab"]),
                office="Kantor Kelurahan" if kelurahan else "Balai Desa",
                rows=table,
                map_drawing=drawing,
                week_start=week,
                is_estimate=is_estimate,
                kode=kode,
                changes=changes,
                travel_note=travel_note,
            )
        )
    return written
