"""``peta.html``: the coordinator's overview of a planned week, one self-contained HTML file.

What it shows:

* villages coloured by belum rekam (simplified polygons) and kecamatan boundaries, so the map
  reads without a basemap (an OpenStreetMap basemap is added only when the browser is online);
* class markers (pulau, pesisir, perbatasan, terpencil), Disdukcapil offices and ports;
* ONE toggleable layer per team and day (``"<team> — Senin 13/11"``) with the route drawn along
  the legs of the plan's travel model (sea legs dashed, through the port) and the stops
  numbered in visit order; popups in Bahasa Indonesia;
* one colour per team; the days of a team are separate layers, and a village visited on
  several days (or by several teams) shows one marker per visit, fanned out on a ring;
* villages left out of the week as small grey markers with the reason;
* a legend, and an ``ESTIMASI`` note when the counts are the bundled estimate.

The class, left-out, office and port layers are drawn by :mod:`planner.present.maps.plan_layers`.
Every data string is escaped (see :mod:`planner.present.maps.offline`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement, Template

from planner.domain.workdays import format_tanggal
from planner.geo.classify import CLASS_LABELS
from planner.present.maps.choropleth import ZERO_COLOUR, belum_rekam_edges
from planner.present.maps.filters import TeamDayLayer, add_team_day_filter
from planner.present.maps.offline import (
    LegendEntry,
    add_legend,
    add_online_basemap,
    escape_html,
    save_self_contained,
)
from planner.present.maps.plan_common import (
    BELUM_REKAM_COLOURS,
    LEFT_OUT_COLOUR,
    SEA_HALO,
    add_outline_layer,
    add_route_lines,
    add_stop_marker,
    add_villages_layer,
    format_count,
    lite_map,
    page_root,
    team_colours,
)
from planner.present.maps.plan_layers import (
    CLASS_MARKER_COLOURS,
    OFFICE_COLOUR,
    add_class_markers,
    add_depots_and_ports,
    add_left_out_layers,
)
from planner.present.maps.sebaran import PORT_COLOUR
from planner.present.routes import TeamDayRoute, home_depots, night_away

PRINT_CSS = """
<style>
@media print {
  .leaflet-control-layers, .leaflet-control-zoom { display: none !important; }
  .jb-legend { box-shadow: none !important; }
}
</style>
"""


def source_note(meta: Mapping[str, object]) -> str:
    """The map's title note: region, week, and the data source (ESTIMASI when estimated)."""
    week = meta.get("week_start")
    when = ""
    if isinstance(week, str) and week:
        when = f", minggu mulai {format_tanggal(date.fromisoformat(week))}"
    head = f"Jadwal jemput bola perekaman KTP-el: {meta.get('region_name', '')}{when}"
    travel = meta.get("travel")
    tail = ""
    if isinstance(travel, Mapping) and travel.get("label"):
        tail = f" Waktu tempuh: {travel['label']}."
    if meta.get("is_estimate"):
        return (
            f"{head}. ESTIMASI: angka belum rekam per desa bukan data resmi, dibuat model "
            f"dari total resmi; perkiraan perekaman ikut estimasi.{tail}"
        )
    return f"{head}. Sumber data: {meta.get('data_source', '')}" + (f".{tail}" if tail else "")


class FitBesideLegends(MacroElement):
    """Fit the map to ``bounds`` with room for the legends at the left and right edges.

    The padding is dropped when the map is too small for it (a frame that is still hidden or
    narrow): Leaflet then computes a negative view size and throws "Invalid LatLng (NaN, NaN)".
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
    var map = {{ this._parent.get_name() }};
    var size = map.getSize();
    var roomy = size.x > 2 * {{ this.side }} + 100 && size.y > {{ this.top + this.bottom }} + 100;
    map.fitBounds({{ this.bounds|tojson }}, roomy ? {
        paddingTopLeft: [{{ this.side }}, {{ this.top }}],
        paddingBottomRight: [{{ this.side }}, {{ this.bottom }}]
    } : {});
})();
{% endmacro %}
"""
    )

    def __init__(self, bounds: list[list[float]], side: int = 290, top: int = 50, bottom: int = 10):
        super().__init__()
        self._name = "FitBesideLegends"
        self.bounds = [[float(v) for v in corner] for corner in bounds]
        self.side, self.top, self.bottom = side, top, bottom


def route_legend(routes: Sequence[TeamDayRoute], colours: Mapping[str, str]) -> list[LegendEntry]:
    """One line per team (its colour), then the sea/walk line styles."""
    names: dict[str, str] = {}
    for r in routes:
        names.setdefault(r.team_id, r.team_name)
    rows = [LegendEntry(names[t], colours[t], "line") for t in sorted(names)]
    rows.append(LegendEntry("Penyeberangan perahu (lewat pelabuhan)", SEA_HALO, "dashed"))
    rows.append(
        LegendEntry("Angka = urutan kunjungan hari itu; Sen, Sel, … = hari", "#555555", "circle")
    )
    return rows


def _view_bounds(routes: Sequence[TeamDayRoute], region_bounds: Any) -> list[list[float]]:
    """Initial view: every route with a margin, or the whole region when nothing is planned."""
    xs = [x for r in routes for s in r.segments for x, _ in s.coords]
    ys = [y for r in routes for s in r.segments for _, y in s.coords]
    if not xs:
        b = region_bounds
        return [[float(b[1]), float(b[0])], [float(b[3]), float(b[2])]]
    pad_x = (max(xs) - min(xs)) * 0.08 + 0.02
    pad_y = (max(ys) - min(ys)) * 0.08 + 0.02
    return [[min(ys) - pad_y, min(xs) - pad_x], [max(ys) + pad_y, max(xs) + pad_x]]


def save_plan_map(
    routes: Sequence[TeamDayRoute],
    villages: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    path: Path,
    *,
    meta: Mapping[str, object],
    left_out: pd.DataFrame | None = None,
    depots: pd.DataFrame | None = None,
    ports: pd.DataFrame | None = None,
    crs_metric: str = "EPSG:32748",
    simplify_m: float = 80.0,
    desa_links: Mapping[str, str] | None = None,
    colours: Mapping[str, str] | None = None,
) -> Path:
    """Write ``peta.html`` for a planned week.

    Parameters
    ----------
    routes
        Team-days with stops (:func:`planner.present.routes.team_day_routes`).
    villages
        Villages (EPSG:4326) with ``kode``, ``nama``, ``nama_kec``, ``nama_kab``, ``lon``,
        ``lat``, ``kelas``, ``is_<class>``/``alasan_<class>`` and ``belum_rekam``.
    districts
        Kecamatan polygons with ``nama`` (a light boundary layer).
    path
        Output file.
    meta
        The plan's meta (``region_name``, ``week_start``, ``is_estimate``, ``data_source``).
    left_out
        Villages left out (the plan's ``unplanned`` frame with ``lon``/``lat``).
    depots, ports
        The region's depot and port tables.
    crs_metric
        Metric CRS used to simplify polygons.
    simplify_m
        Simplification tolerance of village polygons, metres.
    desa_links
        Village code → relative link of its printable page (shown in stop popups).
    colours
        Team id → colour (default :func:`~planner.present.maps.plan_common.team_colours`).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    bounds = villages.total_bounds
    centre = [(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2]
    fmap = lite_map(centre, 9, control_scale=True, prefer_canvas=False)
    add_online_basemap(fmap)
    # the legends stand at the left and right edges: the routes open beside them, not under
    fmap.add_child(FitBesideLegends(_view_bounds(routes, bounds)))
    page_root(fmap).header.add_child(folium.Element(PRINT_CSS))
    is_estimate = bool(meta.get("is_estimate"))
    label = "estimasi" if is_estimate else str(meta.get("data_source", "register"))
    edges = belum_rekam_edges(villages["belum_rekam"].tolist(), len(BELUM_REKAM_COLOURS))
    add_villages_layer(
        fmap,
        villages,
        edges,
        name="Belum rekam per desa",
        crs_metric=crs_metric,
        simplify_m=simplify_m,
        source_label=label,
    )
    add_outline_layer(
        fmap, districts, name="Batas kecamatan", crs_metric=crs_metric, simplify_m=simplify_m
    )
    add_class_markers(fmap, villages)
    if left_out is not None:
        add_left_out_layers(fmap, left_out)
    add_depots_and_ports(fmap, depots, ports)

    colours = dict(colours or team_colours([r.team_id for r in routes]))
    links = desa_links or {}
    seen: dict[str, int] = {}
    filtered: list[TeamDayLayer] = []
    homes = home_depots(routes, meta)
    for route in sorted(routes, key=lambda r: (r.team_id, r.day)):
        # shown through the Tim/Hari filter, not as one checkbox per team-day
        layer = folium.FeatureGroup(name=escape_html(route.label), show=True, control=False)
        filtered.append(
            TeamDayLayer(
                layer.get_name(),
                route.team_id,
                route.team_name,
                route.day.isoformat(),
                format_tanggal(route.day),
            )
        )
        add_route_lines(layer, route, colours[route.team_id])
        for stop in route.stops:
            add_stop_marker(
                layer,
                route,
                stop,
                colours[route.team_id],
                desa_href=links.get(stop.kode_desa),
                is_estimate=is_estimate,
                fan=seen.get(stop.site_id, 0),
            )
            seen[stop.site_id] = seen.get(stop.site_id, 0) + 1
        night = night_away(route, homes)
        if night:  # an overnight base or a multi-day boat trip: where the team sleeps
            text = escape_html(f"{route.team_name} bermalam di {night} ({route.hari})")
            folium.CircleMarker(
                location=[route.end_lat, route.end_lon],
                radius=9,
                color="#1f2a44",
                weight=3,
                fill=True,
                fill_color="#ffd54f",
                fill_opacity=0.95,
                tooltip=text,
                popup=folium.Popup(f"<b>Bermalam</b><br>{text}", max_width=260),
                class_name="jb-night-marker",
            ).add_to(layer)
        layer.add_to(fmap)

    folium.LayerControl(collapsed=True).add_to(fmap)
    add_team_day_filter(fmap, filtered)
    add_legend(fmap, route_legend(routes, colours), title="Tim", position="bottomleft")
    add_legend(fmap, legend_entries(edges), title="Keterangan", position="bottomright")
    add_legend(fmap, [], title=source_note(meta), position="topleft")
    return save_self_contained(fmap, path)


def legend_entries(edges: Sequence[int]) -> list[LegendEntry]:
    """Choropleth bins, class markers, left-out villages, offices and ports."""
    rows = [LegendEntry("0 belum rekam / tidak ada data", ZERO_COLOUR, "box")]
    rows += [
        LegendEntry(f"{format_count(edges[i])}–{format_count(edges[i + 1])} belum rekam", c, "box")
        for i, c in enumerate(BELUM_REKAM_COLOURS)
    ]
    rows += [LegendEntry(CLASS_LABELS[c], col, "circle") for c, col in CLASS_MARKER_COLOURS.items()]
    rows.append(
        LegendEntry("Tidak terjadwal minggu ini (alasan di popup)", LEFT_OUT_COLOUR, "circle")
    )
    rows.append(LegendEntry("Kantor Disdukcapil", OFFICE_COLOUR, "box"))
    rows.append(LegendEntry("Pelabuhan", PORT_COLOUR, "circle"))
    return rows


def describe_layers(routes: Sequence[TeamDayRoute]) -> list[dict[str, Any]]:
    """The team-day layers a map of ``routes`` has (name, stops), for tests and summaries."""
    return [{"name": r.label, "stops": len(r.stops)} for r in routes]
