"""Pieces shared by the plan maps (``peta.html``) and the kecamatan pages.

Colours per team, lightweight offline maps (Leaflet only), village polygons coloured by belum
rekam, numbered stop markers with Indonesian popups, and route lines drawn along the legs of
the travel model. Every data string goes through :func:`~planner.present.maps.offline.escape_html`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
from branca.element import Figure

from planner.domain.workdays import format_tanggal
from planner.present.announce import open_hours
from planner.present.maps.choropleth import belum_rekam_colour
from planner.present.maps.offline import (
    escape_html,
    html_popup,
    html_tooltip,
    new_map,
    numbered_icon,
)
from planner.present.routes import Stop, TeamDayRoute, ferry_words, port_words

SHORT_HARI: dict[str, str] = {
    "Senin": "Sen",
    "Selasa": "Sel",
    "Rabu": "Rab",
    "Kamis": "Kam",
    "Jumat": "Jum",
    "Sabtu": "Sab",
    "Minggu": "Min",
}
"""Three-letter weekday tags on stop markers."""

TEAM_PALETTE: tuple[str, ...] = (
    "#e6194b",
    "#4363d8",
    "#3cb44b",
    "#911eb4",
    "#f58231",
    "#008b8b",
    "#f032e6",
    "#800000",
    "#000075",
    "#9a6324",
    "#808000",
    "#222222",
    "#42a5f5",
    "#b8860b",
    "#c2185b",
    "#2e7d32",
)
"""Route colours, one per team (distinct hues, dark enough for white numbers and print)."""

BELUM_REKAM_COLOURS: tuple[str, ...] = ("#fff7ec", "#fee8c8", "#fdd49e", "#fdbb84", "#fc8d59")
"""Light choropleth (ColorBrewer OrRd, first five) so that the routes stay readable on top."""

LEFT_OUT_COLOUR = "#7f7f7f"
"""Marker colour of villages left out of the week."""

SEA_HALO = "#6baed6"
"""Halo under a sea leg (boat crossing through a port)."""

LITE_JS = ("leaflet", "jquery")
LITE_CSS = ("leaflet_css",)


def page_root(fmap: folium.Map) -> Figure:
    """The :class:`branca.element.Figure` a map renders into (for page header/body HTML)."""
    root = fmap.get_root()
    assert isinstance(root, Figure)
    return root


def lite_map(location: Sequence[float], zoom_start: int = 10, **kwargs: Any) -> folium.Map:
    """An offline map that inlines Leaflet and jQuery only (no Bootstrap, Font Awesome).

    The plan maps use plain Leaflet features (polygons, lines, DivIcon markers, popups, the
    layer control; folium popups need jQuery), so the ~1.1 MB of the other default assets
    would only add size: a page is about 290 KB plus its data.
    """
    fmap = new_map(location, zoom_start, **kwargs)
    fmap.default_js = [j for j in fmap.default_js if j[0] in LITE_JS]
    fmap.default_css = [c for c in fmap.default_css if c[0] in LITE_CSS]
    return fmap


def team_colours(team_ids: Sequence[str]) -> dict[str, str]:
    """One palette colour per team id (sorted), cycling if there are more teams than colours."""
    return {t: TEAM_PALETTE[i % len(TEAM_PALETTE)] for i, t in enumerate(sorted(set(team_ids)))}


def format_count(value: float) -> str:
    """A count the Indonesian way: ``12.345``."""
    return f"{round(value):,}".replace(",", ".")


def simplified(frame: gpd.GeoDataFrame, crs_metric: str, tolerance_m: float) -> gpd.GeoSeries:
    """Polygons simplified by ``tolerance_m`` metres (topology kept), back in EPSG:4326."""
    metric = frame.geometry.to_crs(crs_metric)
    out = metric.simplify(tolerance_m, preserve_topology=True).to_crs("EPSG:4326")
    return out.set_precision(1e-5)


def village_label(kode: str) -> str:
    """``Kel.`` for a kelurahan (code digit 7 of the village part is 1), else ``Desa``."""
    digits = str(kode).replace(".", "")
    return "Kel." if len(digits) >= 7 and digits[6] == "1" else "Desa"


def add_villages_layer(
    fmap: folium.Map | folium.FeatureGroup,
    villages: gpd.GeoDataFrame,
    edges: Sequence[int],
    *,
    name: str,
    crs_metric: str,
    simplify_m: float,
    source_label: str,
) -> None:
    """Village polygons coloured by belum rekam, with an escaped tooltip and popup.

    ``villages`` needs ``kode``, ``nama``, ``nama_kec``, ``nama_kab``, ``belum_rekam``,
    ``kelas`` and polygons (EPSG:4326).
    """
    rows = villages.to_dict("records")
    data = gpd.GeoDataFrame(
        {
            "fill": [
                belum_rekam_colour(float(r["belum_rekam"]), edges, BELUM_REKAM_COLOURS)
                for r in rows
            ],
            "tip": [
                escape_html(
                    f"{village_label(r['kode'])} {r['nama']}: "
                    f"{format_count(r['belum_rekam'])} belum rekam"
                )
                for r in rows
            ],
            "info": [
                (
                    f"<b>{village_label(r['kode'])} {escape_html(r['nama'])}</b><br>"
                    f"Kec. {escape_html(r['nama_kec'])}, {escape_html(r['nama_kab'])}<br>"
                    f"Kode: {escape_html(r['kode'])}<br>"
                    f"Belum rekam: <b>{format_count(r['belum_rekam'])}</b> "
                    f"({escape_html(source_label)})<br>"
                    f"Kelas: {escape_html(r['kelas'] or '-')}"
                )
                for r in rows
            ],
        },
        geometry=simplified(villages, crs_metric, simplify_m).values,
        crs="EPSG:4326",
    )
    folium.GeoJson(
        data.to_json(),
        name=escape_html(name),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#9e9e9e",
            "weight": 0.4,
            "fillOpacity": 0.6,
        },
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        popup=folium.GeoJsonPopup(fields=["info"], labels=False, max_width=320),
    ).add_to(fmap)


def add_outline_layer(
    fmap: folium.Map,
    areas: gpd.GeoDataFrame,
    *,
    name: str,
    crs_metric: str,
    simplify_m: float,
    colour: str = "#555555",
    weight: float = 1.2,
) -> None:
    """Boundaries with no fill (kecamatan, kabupaten), named in a tooltip (escaped)."""
    data = gpd.GeoDataFrame(
        {"tip": [escape_html(f"Kec. {n}") for n in areas["nama"]]},
        geometry=simplified(areas, crs_metric, simplify_m).values,
        crs="EPSG:4326",
    )
    folium.GeoJson(
        data.to_json(),
        name=escape_html(name),
        style_function=lambda f: {
            "fill": False,
            "color": colour,
            "weight": weight,
            "opacity": 0.7,
        },
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
    ).add_to(fmap)


def stop_popup_html(
    route: TeamDayRoute,
    stop: Stop,
    *,
    desa_href: str | None = None,
    is_estimate: bool = False,
    team_times: bool = True,
) -> str:
    """Popup of a stop, in Bahasa Indonesia, every value escaped.

    The hours are the announced ones (:func:`planner.present.announce.open_hours`), as on the
    desa and kecamatan pages; ``team_times`` adds the team's exact arrival and recording start
    (the coordinator's map, not the camat's page).
    """
    opens, closes = open_hours(stop.start, stop.end)
    exact = (
        f" <small>(tim tiba {escape_html(stop.arrival)}, mulai rekam {escape_html(stop.start)})"
        "</small>"
        if team_times
        else ""
    )
    place = f"{village_label(stop.kode_desa)} {escape_html(stop.desa)}"
    island = f"<br>{escape_html(stop.island_name)}" if stop.island_name else ""
    port = f"Perahu lewat {escape_html(port_words(stop.ports))}<br>" if stop.ports else ""
    if ferry := ferry_words(stop.ferry_departure, stop.ferry_port):
        port += f"{escape_html(ferry[:1].upper() + ferry[1:])}<br>"
    estimasi = " (estimasi)" if is_estimate else ""
    link = (
        f'<br><a href="{escape_html(desa_href)}" target="_blank">Pengumuman desa</a>'
        if desa_href
        else ""
    )
    return (
        f"<div class='jb-stop' style='min-width:230px'>"
        f"<b class='jb-desa'>{place}</b>{island}<br>"
        f"Kec. {escape_html(stop.kecamatan)}, {escape_html(stop.kabupaten)}<br>"
        f"Hari/tanggal: <b>{escape_html(format_tanggal(route.day))}</b><br>"
        f"Jam pelayanan: <b>{opens}–{closes}</b>{exact}<br>"
        f"{port}"
        f"Perkiraan perekaman: {format_count(stop.expected_recordings)} orang{estimasi}<br>"
        f"Tim: {escape_html(route.team_name)}<br>"
        f"Urutan: {stop.order} dari {len(route.stops)} hari itu"
        f"{link}</div>"
    )


def fan_anchor(k: int, size_px: int = 26) -> tuple[int, int]:
    """Icon anchor of the ``k``-th marker at one place (0 = centred).

    A village visited on several days or by several teams shows one marker per visit; the
    later ones are fanned out on a ring around the point so that each stays clickable.
    """
    if k <= 0:
        return (size_px // 2, size_px // 2)
    ring, slot = divmod(k - 1, 8)
    angle = slot * 2 * math.pi / 8 + ring * math.pi / 8
    r = 14 + 12 * ring
    return (size_px // 2 + round(r * math.cos(angle)), size_px // 2 + round(r * math.sin(angle)))


def add_stop_marker(
    layer: folium.FeatureGroup | folium.Map,
    route: TeamDayRoute,
    stop: Stop,
    colour: str,
    *,
    label: str | int | None = None,
    desa_href: str | None = None,
    is_estimate: bool = False,
    fan: int = 0,
    day_tag: bool = True,
    team_times: bool = True,
) -> folium.Marker:
    """A numbered marker (visit order unless ``label`` is given) with popup and tooltip.

    ``fan`` is how many markers already stand at this place (see :func:`fan_anchor`);
    ``day_tag`` adds a small weekday tag (``Sen``, ``Sel``...) under the number, so that the
    days of a team can be told apart on the overview without opening a popup.
    """
    icon = numbered_icon(stop.order if label is None else label, color=colour)
    icon.options["icon_anchor"] = fan_anchor(fan)
    if day_tag:
        short = escape_html(SHORT_HARI.get(route.hari, route.hari[:3]))
        tag = (
            "<div class='jb-day-tag' style='position:absolute;top:21px;left:50%;"
            "transform:translateX(-50%);font:bold 9px/10px sans-serif;background:#fff;"
            f"color:{colour};border:1px solid {colour};border-radius:3px;padding:0 2px'>"
            f"{short}</div>"
        )
        icon.options["html"] = f"<div style='position:relative'>{icon.options['html']}{tag}</div>"
    opens, closes = open_hours(stop.start, stop.end)
    tip = escape_html(f"{stop.order}. {stop.desa} — {route.hari} {opens}–{closes}")
    marker = folium.Marker(
        location=[stop.lat, stop.lon],
        icon=icon,
        tooltip=html_tooltip(tip),
        popup=html_popup(
            stop_popup_html(
                route, stop, desa_href=desa_href, is_estimate=is_estimate, team_times=team_times
            ),
            max_width=320,
        ),
    )
    marker.add_to(layer)
    return marker


def add_route_lines(layer: folium.FeatureGroup, route: TeamDayRoute, colour: str) -> None:
    """The day's legs: road solid (on a white casing), sea dashed on a blue halo, walk dotted."""
    for seg in route.segments:
        points = [[lat, lon] for lon, lat in seg.coords]
        if len(points) < 2:
            continue
        if seg.kind == "sea":
            # a light-blue "water" halo under a dashed line: a boat crossing stands out
            folium.PolyLine(points, color=SEA_HALO, weight=10, opacity=0.6).add_to(layer)
            folium.PolyLine(
                points, color=colour, weight=3.5, opacity=0.95, dash_array="8 7"
            ).add_to(layer)
            continue
        folium.PolyLine(points, color="#ffffff", weight=6, opacity=0.8).add_to(layer)
        folium.PolyLine(
            points,
            color=colour,
            weight=3.5,
            opacity=0.9,
            dash_array="2 6" if seg.kind == "walk" else None,
        ).add_to(layer)


def emoji_marker(lat: float, lon: float, markup: str, tooltip: str) -> folium.Marker:
    """A marker drawn with trusted ``markup`` (a character or a small box), escaped tooltip."""
    if not markup.startswith("<"):
        markup = f"<div style='font-size:20px;line-height:20px'>{markup}</div>"
    return folium.Marker(
        location=[lat, lon],
        tooltip=html_tooltip(escape_html(tooltip)),
        icon=folium.DivIcon(
            html=markup,
            icon_size=(22, 22),
            icon_anchor=(11, 11),
        ),
    )
