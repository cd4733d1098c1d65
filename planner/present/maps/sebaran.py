"""``peta_sebaran.html``: where the unrecorded residents are, by village and class.

One self-contained HTML file (works offline): villages coloured by belum rekam, one toggleable
layer per class (pulau, pesisir, perbatasan, perbatasan_kab, terpencil), depots and ports, a
legend, popups in Bahasa Indonesia, and an "estimasi" note when the counts are the estimate.
Every name from the data is escaped before it reaches HTML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import folium
import geopandas as gpd

from planner.geo.classify import CLASS_LABELS, CLASS_NAMES
from planner.geo.locate import LocateResult
from planner.present.maps.choropleth import ZERO_COLOUR, belum_rekam_colour, belum_rekam_edges
from planner.present.maps.offline import (
    add_legend,
    add_online_basemap,
    escape_html,
    new_map,
    save_self_contained,
)
from planner.present.maps.plan_common import format_count

CLASS_COLOURS: dict[str, str] = {
    "pulau": "#1f78b4",
    "pesisir": "#33a02c",
    "perbatasan": "#6a3d9a",
    "perbatasan_kab": "#b15928",
    "terpencil": "#e31a1c",
}
"""Marker colour per class (ColorBrewer Paired, distinguishable in print)."""

CHOROPLETH = ("#ffffcc", "#fed976", "#fd8d3c", "#e31a1c", "#800026")
"""Fill colours for the belum-rekam bins, light to dark (ColorBrewer YlOrRd): darker than the
plan maps' palette because here the counts are the message; the bin edges are the shared
:func:`planner.present.maps.choropleth.belum_rekam_edges`."""


def village_popup_html(row: Any, source_label: str) -> str:
    """Popup body of a village, in Bahasa Indonesia, with every data value escaped."""
    reasons = [
        f"<li><b>{CLASS_LABELS[c]}</b>: {escape_html(getattr(row, f'alasan_{c}'))}</li>"
        for c in CLASS_NAMES
        if getattr(row, f"is_{c}")
    ]
    kelas = f"<ul style='margin:2px 0 0 14px;padding:0'>{''.join(reasons)}</ul>" if reasons else "-"
    return (
        f"<div style='min-width:220px'><b>Desa/Kel. {escape_html(row.nama)}</b><br>"
        f"Kecamatan {escape_html(row.nama_kec)}, {escape_html(row.nama_kab)}<br>"
        f"Kode: {escape_html(row.kode)}<br>"
        f"Wajib KTP: {format_count(row.wajib_ktp)}<br>"
        f"Belum rekam: <b>{format_count(row.belum_rekam)}</b> ({escape_html(source_label)})<br>"
        f"Kelas: {kelas}</div>"
    )


def _simplified(villages: gpd.GeoDataFrame, crs_metric: str, tolerance_m: float) -> gpd.GeoSeries:
    metric = villages.geometry.to_crs(crs_metric)
    return metric.simplify(tolerance_m, preserve_topology=True).to_crs("EPSG:4326")


def save_sebaran_map(
    result: LocateResult,
    sites: gpd.GeoDataFrame,
    path: Path,
    *,
    depots: Any = None,
    ports: Any = None,
    crs_metric: str = "EPSG:32748",
    simplify_m: float = 40.0,
) -> None:
    """Write the distribution map of ``result`` to ``path`` as one self-contained HTML file."""
    villages = result.villages
    bounds = villages.total_bounds
    centre = [(bounds[1] + bounds[3]) / 2, (bounds[0] + bounds[2]) / 2]
    fmap = new_map(location=centre, zoom_start=9)
    add_online_basemap(fmap)
    fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    label = result.source.label
    edges = belum_rekam_edges(villages["belum_rekam"].tolist(), len(CHOROPLETH))

    layer_data = gpd.GeoDataFrame(
        {
            "fill": [belum_rekam_colour(v, edges, CHOROPLETH) for v in villages["belum_rekam"]],
            "tooltip": [
                escape_html(f"{r.nama}: {format_count(r.belum_rekam)} belum rekam")
                for r in villages.itertuples()
            ],
            "popup": [village_popup_html(r, label) for r in villages.itertuples()],
        },
        geometry=_simplified(villages, crs_metric, simplify_m).set_precision(1e-5).values,
        crs="EPSG:4326",
    )
    # One GeoJson layer for all villages; popup/tooltip values are pre-escaped HTML, which
    # GeoJsonPopup/GeoJsonTooltip insert as markup.
    folium.GeoJson(
        layer_data.to_json(),
        name="Belum rekam per desa",
        style_function=lambda feature: {
            "fillColor": feature["properties"]["fill"],
            "color": "#555555",
            "weight": 0.4,
            "fillOpacity": 0.75,
        },
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=340),
    ).add_to(fmap)

    by_code = villages.set_index("kode")
    for name in CLASS_NAMES:
        layer = folium.FeatureGroup(name=f"Kelas: {CLASS_LABELS[name]}", show=name == "pulau")
        codes = set(villages.loc[villages[f"is_{name}"], "kode"])
        for site in sites[sites["kode_desa"].isin(codes)].itertuples():
            row = by_code.loc[site.kode_desa]
            folium.CircleMarker(
                location=[site.lat, site.lon],
                radius=6 if name == "pulau" else 4,
                color=CLASS_COLOURS[name],
                fill=True,
                fill_opacity=0.9,
                weight=1,
                tooltip=folium.Tooltip(escape_html(f"{row['nama']}: {CLASS_LABELS[name]}")),
                popup=folium.Popup(
                    f"<b>{escape_html(row['nama'])}</b><br>{escape_html(row[f'alasan_{name}'])}",
                    max_width=300,
                ),
            ).add_to(layer)
        layer.add_to(fmap)

    if depots is not None and len(depots):
        layer = folium.FeatureGroup(name="Kantor Disdukcapil", show=True)
        for depot in depots.itertuples():
            folium.Marker(
                location=[depot.lat, depot.lon],
                tooltip=folium.Tooltip(escape_html(depot.name)),
                icon=folium.DivIcon(html="<div style='font-size:18px'>&#127970;</div>"),
            ).add_to(layer)
        layer.add_to(fmap)
    if ports is not None and len(ports):
        layer = folium.FeatureGroup(name="Pelabuhan", show=True)
        for port in ports.drop_duplicates("port_id").itertuples():
            folium.Marker(
                location=[port.lat, port.lon],
                tooltip=folium.Tooltip(escape_html(f"Pelabuhan {port.port_name}")),
                icon=folium.DivIcon(html="<div style='font-size:18px'>&#9875;</div>"),
            ).add_to(layer)
        layer.add_to(fmap)

    folium.LayerControl(collapsed=False).add_to(fmap)
    add_legend(
        fmap,
        legend_entries(edges),
        title=f"{result.region_name}: belum rekam e-KTP per desa",
    )
    add_legend(fmap, [], title=source_note(label, result.source.is_estimate), position="topleft")
    save_self_contained(fmap, path)


def legend_entries(edges: list[int]) -> list[tuple[str, str, str]]:
    """Legend rows: villages with 0, the choropleth bins, then the class marker colours."""
    bins = [("0 belum rekam / tidak ada data", ZERO_COLOUR, "box")]
    bins += [
        (f"{format_count(edges[i])}–{format_count(edges[i + 1])} belum rekam", c, "box")
        for i, c in enumerate(CHOROPLETH)
    ]
    classes = [(CLASS_LABELS[c], CLASS_COLOURS[c], "circle") for c in CLASS_NAMES]
    return [*bins, *classes, ("Kantor Disdukcapil (🏢), pelabuhan (⚓)", "#ffffff", "box")]


def source_note(source_label: str, is_estimate: bool) -> str:
    """The data-source note shown on the map (plain text; escaped by the legend)."""
    if is_estimate:
        return (
            "ESTIMASI: angka belum rekam per desa bukan data resmi, dibuat model dari total "
            f"resmi ({source_label})"
        )
    return f"Sumber data: {source_label}"
