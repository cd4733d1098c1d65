"""``kecamatan/<kode>-<nama>.html``: the camat's page, a map of the week's visits and a table.

One self-contained HTML file per kecamatan with at least one visit: the kecamatan's villages
coloured by belum rekam, every visit in it as a numbered marker (the number is the row of the
schedule table, in date and time order, colour = team), and the schedule with a link to each
village's printable announcement. Printing gives the map and the table on A4 landscape,
without the layer control.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import folium
import geopandas as gpd
from branca.element import Element

from planner.domain.workdays import format_tanggal
from planner.present.announce import (
    VillageTotals,
    break_inside,
    open_hours,
    people_text,
)
from planner.present.maps.choropleth import belum_rekam_edges
from planner.present.maps.offline import LegendEntry, add_legend, escape_html, save_self_contained
from planner.present.maps.plan_common import (
    BELUM_REKAM_COLOURS,
    add_stop_marker,
    add_villages_layer,
    lite_map,
    page_root,
    village_label,
)
from planner.present.routes import Stop, TeamDayRoute

PAGE_CSS = """
<style>
html, body { height: auto !important; overflow: auto !important; }
body { display: flex; flex-direction: column; font-family: "DejaVu Sans", Arial, sans-serif;
  margin: 0; color: #111; }
.jb-head { order: 1; padding: 8px 14px 4px; }
.jb-head h1 { font-size: 26px; margin: 0; }
.jb-head p { margin: 2px 0; font-size: 16px; }
.jb-head .jb-estimasi { color: #8a1c1c; font-weight: bold; }
.folium-map { order: 2; position: relative !important; height: 58vh !important;
  min-height: 320px; width: 100% !important; }
.jb-table { order: 3; padding: 8px 14px 18px; }
.jb-table table { border-collapse: collapse; width: 100%; font-size: 16px; }
.jb-jam { white-space: nowrap; font-weight: bold; }
.jb-table th, .jb-table td { border: 1px solid #999; padding: 4px 6px; text-align: left; }
.jb-table th { background: #1f4e78; color: #fff; }
.jb-swatch { display: inline-block; width: 12px; height: 12px; border-radius: 50%;
  vertical-align: middle; margin-right: 4px; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  .leaflet-control-layers, .leaflet-control-zoom, .jb-noprint { display: none !important; }
  .folium-map { height: 120mm !important; }
  .jb-table th, .jb-swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .jb-table tr { break-inside: avoid; }
}
</style>
"""


def kecamatan_visits(
    routes: Sequence[TeamDayRoute], kode_kec: str
) -> list[tuple[TeamDayRoute, Stop]]:
    """The (route, stop) pairs of one kecamatan, in date and time order."""
    pairs = [(r, s) for r in routes for s in r.stops if s.kode_kec == kode_kec]
    return sorted(pairs, key=lambda p: (p[0].day, p[1].arrival, p[0].team_id))


SCHEDULE_HEADER = (
    "No.",
    "Hari, tanggal",
    "Jam pelayanan",
    "Desa/Kelurahan",
    "Tim",
    "Perkiraan perekaman",
)
"""Columns of the kecamatan schedule (page and PDF)."""


def kecamatan_schedule(
    visits: Sequence[tuple[TeamDayRoute, Stop]],
    timezone_label: str,
    breaks: Mapping[tuple[str, str], str],
    totals: Mapping[str, VillageTotals],
) -> list[tuple[str, str, str, str, str, str]]:
    """The schedule rows as plain text (:data:`SCHEDULE_HEADER`), one time base with the desa
    pages: the hours recording is open, in quarter hours, and the break when it falls inside.
    """
    out = []
    for i, (route, stop) in enumerate(visits):
        opens, closes = open_hours(stop.start, stop.end)
        team_break = breaks.get((route.team_id, route.day.isoformat()), "")
        rest = break_inside(team_break, stop.start, stop.end)
        hours = f"{opens}–{closes} {timezone_label}" + (f" (istirahat {rest})" if rest else "")
        name = f"{stop.desa} ({stop.island_name})" if stop.island_name else stop.desa
        # recordings still to come at the same village later this week
        later = sum(
            s.expected_recordings for _, s in visits[i + 1 :] if s.kode_desa == stop.kode_desa
        )
        people = people_text(stop.expected_recordings, totals.get(stop.kode_desa), later)
        day = format_tanggal(route.day)
        out.append((str(i + 1), day, hours, name, route.team_name, people))
    return out


def _table_html(
    visits: Sequence[tuple[TeamDayRoute, Stop]],
    rows: Sequence[tuple[str, str, str, str, str, str]],
    colours: Mapping[str, str],
    desa_links: Mapping[str, str],
) -> str:
    cells = []
    for (route, stop), (number, day, hours, name, team, people) in zip(visits, rows, strict=True):
        label = f"{village_label(stop.kode_desa)} {escape_html(name)}"
        href = desa_links.get(stop.kode_desa)
        if href:
            label = f'<a href="{escape_html(href)}">{label}</a>'
        cells.append(
            f"<tr><td>{number}</td><td>{escape_html(day)}</td>"
            f"<td class='jb-jam'>{escape_html(hours)}</td><td>{label}</td>"
            f"<td><span class='jb-swatch' style='background:{colours[route.team_id]}'></span>"
            f"{escape_html(team)}</td><td>{escape_html(people)}</td></tr>"
        )
    head = "".join(f"<th>{escape_html(h)}</th>" for h in SCHEDULE_HEADER)
    return (
        f"<div class='jb-table'><table><thead><tr>{head}</tr></thead><tbody>"
        + "".join(cells)
        + "</tbody></table><p>Jam pelayanan: jam perekaman dibuka, dibulatkan ke seperempat "
        "jam; saat istirahat tim pelayanan berhenti sebentar.</p></div>"
    )


def save_kecamatan_page(
    *,
    kode_kec: str,
    nama_kec: str,
    nama_kab: str,
    villages: gpd.GeoDataFrame,
    routes: Sequence[TeamDayRoute],
    colours: Mapping[str, str],
    path: Path,
    week_start: date,
    is_estimate: bool,
    timezone_label: str = "WIB",
    crs_metric: str = "EPSG:32748",
    desa_links: Mapping[str, str] | None = None,
    breaks: Mapping[tuple[str, str], str] | None = None,
    totals: Mapping[str, VillageTotals] | None = None,
) -> Path:
    """Write the page of one kecamatan.

    Parameters
    ----------
    kode_kec, nama_kec, nama_kab
        The kecamatan.
    villages
        Its villages (EPSG:4326) with ``kode``, ``nama``, ``nama_kec``, ``nama_kab``,
        ``belum_rekam`` and ``kelas``.
    routes
        Every team-day of the week; the stops in this kecamatan are shown.
    colours
        Team id → colour (the same as ``peta.html``).
    path
        Output file (its folder must exist).
    week_start, is_estimate, timezone_label
        From the plan's meta.
    crs_metric
        Metric CRS for simplifying polygons.
    desa_links
        Village code → link of its announcement page, relative to ``path``; none by default,
        so that the page works when sent alone.
    breaks
        (team id, ISO date) → the team's break that day (``"12:00-13:00"``), shown when it
        falls inside a visit.
    totals
        Village code → expected turnout and planned recordings of the week (partial visits).
    """
    links = desa_links or {}
    visits = kecamatan_visits(routes, kode_kec)
    bounds = villages.total_bounds
    centre = [(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2]
    fmap = lite_map(centre, 12, control_scale=True)
    fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    root = page_root(fmap)
    root.header.add_child(Element(PAGE_CSS))
    title = escape_html(f"Jadwal jemput bola KTP-el: Kecamatan {nama_kec}, {nama_kab}")
    note = (
        "<p class='jb-estimasi'>ESTIMASI: angka belum rekam dan perkiraan perekaman dibuat "
        "model dari total resmi, bukan data resmi per desa.</p>"
        if is_estimate
        else ""
    )
    root.html.add_child(
        Element(
            f"<div class='jb-head'><h1>{title}</h1>"
            f"<p>Minggu mulai {escape_html(format_tanggal(week_start))}: "
            f"{len(visits)} kunjungan ke {len({s.kode_desa for _, s in visits})} desa/kelurahan."
            f" Angka di peta = nomor baris jadwal.</p>{note}</div>"
        )
    )
    rows = kecamatan_schedule(visits, timezone_label, breaks or {}, totals or {})
    root.html.add_child(Element(_table_html(visits, rows, colours, links)))
    edges = belum_rekam_edges(villages["belum_rekam"].tolist(), len(BELUM_REKAM_COLOURS))
    add_villages_layer(
        fmap,
        villages,
        edges,
        name="Belum rekam per desa",
        crs_metric=crs_metric,
        simplify_m=15.0,
        source_label="estimasi" if is_estimate else "register",
    )
    layer = folium.FeatureGroup(name="Kunjungan minggu ini", show=True)
    seen: dict[str, int] = {}
    for i, (route, stop) in enumerate(visits, start=1):
        add_stop_marker(
            layer,
            route,
            stop,
            colours[route.team_id],
            label=i,
            desa_href=links.get(stop.kode_desa),
            is_estimate=is_estimate,
            fan=seen.get(stop.site_id, 0),
            team_times=False,  # the camat's page: the announced hours of its table only
        )
        seen[stop.site_id] = seen.get(stop.site_id, 0) + 1
    layer.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    teams = {r.team_id: r.team_name for r, _ in visits}
    add_legend(
        fmap,
        [LegendEntry(name, colours[t], "circle") for t, name in sorted(teams.items())],
        title="Tim",
        position="bottomright",
    )
    return save_self_contained(fmap, path)
