"""The reference layers of ``peta.html`` under the routes: classes, left-out villages, offices.

Class markers (pulau, pesisir, perbatasan, terpencil), the villages left out of the week with
their reason, the Disdukcapil offices and the ports. The team-day route layers and the page
itself are in :mod:`planner.present.maps.plan_map`. Every data string is escaped.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from planner.geo.classify import CLASS_LABELS
from planner.present.maps.offline import escape_html
from planner.present.maps.plan_common import (
    LEFT_OUT_COLOUR,
    emoji_marker,
    format_count,
    village_label,
)
from planner.present.maps.sebaran import port_icon, port_label

CLASS_MARKER_COLOURS: dict[str, str] = {
    "pulau": "#1f78b4",
    "pesisir": "#33a02c",
    "perbatasan": "#6a3d9a",
    "terpencil": "#e31a1c",
}
"""Class marker colours (as in ``peta_sebaran.html``); perbatasan_kab is not marked here."""

OFFICE_COLOUR = "#263238"
OFFICE_ICON = (
    f"<div style='width:14px;height:14px;margin:3px;background:{OFFICE_COLOUR};"
    "border:2px solid #fff;box-shadow:0 0 2px #000'></div>"
)
"""A Disdukcapil office: a dark square (emoji fonts are missing on many machines)."""


def add_class_markers(fmap: folium.Map, villages: gpd.GeoDataFrame) -> None:
    """One layer per class (:data:`CLASS_MARKER_COLOURS`): a dot per village, the reason in
    the popup; only ``pulau`` is shown at first."""
    for name, colour in CLASS_MARKER_COLOURS.items():
        chosen = villages[villages[f"is_{name}"].astype(bool)]
        layer = folium.FeatureGroup(
            name=escape_html(f"Kelas: {CLASS_LABELS[name]}"), show=name == "pulau"
        )
        if len(chosen):
            data = gpd.GeoDataFrame(
                {
                    "tip": [
                        escape_html(f"{village_label(k)} {n}: {CLASS_LABELS[name]}")
                        for k, n in zip(chosen["kode"], chosen["nama"], strict=True)
                    ],
                    "info": [
                        f"<b>{escape_html(n)}</b><br>{escape_html(r)}"
                        for n, r in zip(chosen["nama"], chosen[f"alasan_{name}"], strict=True)
                    ],
                },
                geometry=gpd.points_from_xy(chosen["lon"], chosen["lat"]),
                crs="EPSG:4326",
            )
            folium.GeoJson(
                data.to_json(),
                marker=folium.CircleMarker(
                    radius=5, color=colour, weight=1, fill=True, fill_opacity=0.9
                ),
                style_function=lambda f, c=colour: {"fillColor": c, "color": c},
                tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
                popup=folium.GeoJsonPopup(fields=["info"], labels=False, max_width=300),
            ).add_to(layer)
        layer.add_to(fmap)


def add_left_out_layers(fmap: folium.Map, left_out: pd.DataFrame) -> None:
    """Villages left out of the week: small grey markers with the reason in the popup.

    Two layers: left out because the week is full or no team covers the regency (many;
    hidden at first), and for any other reason (needs a boat or a port, no day fits, too few
    residents, partly planned, the search failed; shown).
    """
    if not len(left_out):
        return
    frame = left_out.dropna(subset=["lon", "lat"])
    capacity = frame["reason_code"].isin(["capacity", "no_team"])
    for name, part, show in (
        (
            "Tidak terjadwal: alasan lain (perahu, jauh, kecil, sebagian, pencarian gagal)",
            frame[~capacity],
            True,
        ),
        ("Tidak terjadwal: kapasitas penuh atau tanpa tim", frame[capacity], False),
    ):
        layer = folium.FeatureGroup(name=escape_html(name), show=show)
        rows = part.to_dict("records")
        if rows:
            data = gpd.GeoDataFrame(
                {
                    "tip": [escape_html(f"{r['desa']}: tidak terjadwal") for r in rows],
                    "info": [
                        f"<b>{village_label(str(r['kode_desa']))} {escape_html(r['desa'])}</b>"
                        f"<br>Kec. {escape_html(r['kecamatan'])}, {escape_html(r['kabupaten'])}"
                        f"<br>Belum rekam: {format_count(float(r['belum_rekam']))}"
                        f"<br>Terjadwal: {format_count(float(r['planned']))} dari perkiraan "
                        f"{format_count(float(r['expected']))}"
                        f"<br>Alasan: {escape_html(r['alasan'])}"
                        for r in rows
                    ],
                },
                geometry=gpd.points_from_xy(part["lon"], part["lat"]),
                crs="EPSG:4326",
            )
            folium.GeoJson(
                data.to_json(),
                marker=folium.CircleMarker(
                    radius=3, color=LEFT_OUT_COLOUR, weight=1, fill=True, fill_opacity=0.8
                ),
                style_function=lambda f: {"fillColor": LEFT_OUT_COLOUR, "color": "#555555"},
                tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
                popup=folium.GeoJsonPopup(fields=["info"], labels=False, max_width=300),
            ).add_to(layer)
        layer.add_to(fmap)


def add_depots_and_ports(
    fmap: folium.Map, depots: pd.DataFrame | None, ports: pd.DataFrame | None
) -> None:
    """Disdukcapil offices (dark square) and ports (an SVG anchor) as two layers."""
    if depots is not None and len(depots):
        layer = folium.FeatureGroup(name="Kantor Disdukcapil", show=True)
        for d in depots.to_dict("records"):
            emoji_marker(float(d["lat"]), float(d["lon"]), OFFICE_ICON, str(d["name"])).add_to(
                layer
            )
        layer.add_to(fmap)
    if ports is not None and len(ports):
        layer = folium.FeatureGroup(name="Pelabuhan", show=True)
        for p in ports.drop_duplicates("port_id").to_dict("records"):
            # the SVG anchor of peta_sebaran.html: no emoji or symbol font needed
            name = port_label(str(p["port_name"]))
            marker = emoji_marker(float(p["lat"]), float(p["lon"]), port_icon(), name)
            marker.options["z_index_offset"] = -1000  # under the stops of a landing place
            marker.add_to(layer)
        layer.add_to(fmap)
