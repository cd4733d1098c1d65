"""``peta_sebaran.html``: where the unrecorded residents are, by village and class.

One self-contained HTML file (works offline): villages coloured by belum rekam, one toggleable
layer per class (pulau, pesisir, perbatasan, perbatasan_kab, terpencil), depots and ports, a
legend, popups in Bahasa Indonesia, and an "estimasi" note when the counts are the estimate.
Every name from the data is escaped before it reaches HTML.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
from branca.element import Element

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


OFFICE_COLOURS: dict[str, str] = {"dinas": "#1f4e78", "kecamatan": "#6d6d6d"}
"""Icon colour of a Disdukcapil office and of a kecamatan office."""

PORT_COLOUR = "#00838f"

METHOD_IN_REASON = re.compile(r"^(.* \(> \d+ menit); (.+)\)$")
"""A ``terpencil`` reason ends with the travel model's description: said once in the map's
note instead of in every popup (1,552 copies of a 547-character sentence were 0.85 MB)."""


def office_icon(colour: str) -> str:
    """An inline SVG office building (no emoji font needed)."""
    return (
        "<svg xmlns='http://www.w3.org/2000/svg' width='18' height='18' viewBox='0 0 18 18'>"
        f"<path d='M9 1 L17 6 L17 17 L1 17 L1 6 Z' fill='{colour}' stroke='#fff' "
        "stroke-width='1.2'/><rect x='7' y='11' width='4' height='6' fill='#fff'/>"
        "<rect x='4' y='8' width='3' height='2.5' fill='#fff'/>"
        "<rect x='11' y='8' width='3' height='2.5' fill='#fff'/></svg>"
    )


def port_icon() -> str:
    """An inline SVG anchor in a circle (no emoji font needed)."""
    return (
        "<svg xmlns='http://www.w3.org/2000/svg' width='20' height='20' viewBox='0 0 20 20'>"
        f"<circle cx='10' cy='10' r='9' fill='{PORT_COLOUR}' stroke='#fff' stroke-width='1.2'/>"
        "<path d='M10 4 V15 M6.5 7.5 H13.5 M5 11.5 Q10 17 15 11.5' fill='none' stroke='#fff' "
        "stroke-width='1.6' stroke-linecap='round'/><circle cx='10' cy='4.3' r='1.4' "
        "fill='none' stroke='#fff' stroke-width='1.2'/></svg>"
    )


def port_label(name: str) -> str:
    """``"Grenyang"`` → ``"Pelabuhan Grenyang"``; a name that says it already stays as it is."""
    return name if name.lower().startswith("pelabuhan") else f"Pelabuhan {name}"


def short_reason(text: object) -> tuple[str, str | None]:
    """A class reason without the travel model's description, and that description."""
    found = METHOD_IN_REASON.match(str(text))
    if found is None:
        return str(text), None
    return f"{found[1]})", found[2]


def village_popup_html(row: Any, source_label: str) -> str:
    """Popup body of a village, in Bahasa Indonesia, with every data value escaped.

    The travel model behind a ``terpencil`` reason is not repeated here: the map's note
    gives it once.
    """
    reasons = [
        f"<li><b>{CLASS_LABELS[c]}</b>: "
        f"{escape_html(short_reason(getattr(row, f'alasan_{c}'))[0])}</li>"
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
    short_label = "estimasi" if result.source.is_estimate else "register"
    edges = belum_rekam_edges(villages["belum_rekam"].tolist(), len(CHOROPLETH))

    layer_data = gpd.GeoDataFrame(
        {
            "fill": [belum_rekam_colour(v, edges, CHOROPLETH) for v in villages["belum_rekam"]],
            "tooltip": [
                escape_html(f"{r.nama}: {format_count(r.belum_rekam)} belum rekam")
                for r in villages.itertuples()
            ],
            # a short label in each of ~1,500 popups; the source's full description is in
            # the note, once (547 characters x 1,552 popups were 0.85 MB)
            "popup": [village_popup_html(r, short_label) for r in villages.itertuples()],
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
                    f"<b>{escape_html(row['nama'])}</b><br>"
                    f"{escape_html(short_reason(row[f'alasan_{name}'])[0])}",
                    max_width=300,
                ),
            ).add_to(layer)
        layer.add_to(fmap)

    if depots is not None and len(depots):
        kinds = depots["kind"] if "kind" in depots else ["dinas"] * len(depots)
        for kind, title in (("dinas", "Kantor Disdukcapil"), ("kecamatan", "Kantor kecamatan")):
            mine = depots[[k == kind for k in kinds]]
            if not len(mine):
                continue
            layer = folium.FeatureGroup(name=title, show=kind == "dinas")
            for depot in mine.itertuples():
                folium.Marker(
                    location=[depot.lat, depot.lon],
                    tooltip=folium.Tooltip(escape_html(depot.name)),
                    icon=folium.DivIcon(
                        html=office_icon(OFFICE_COLOURS[kind]),
                        icon_size=(18, 18),
                        icon_anchor=(9, 9),
                    ),
                ).add_to(layer)
            layer.add_to(fmap)
    if ports is not None and len(ports):
        layer = folium.FeatureGroup(name="Pelabuhan", show=True)
        for port in ports.drop_duplicates("port_id").itertuples():
            folium.Marker(
                location=[port.lat, port.lon],
                tooltip=folium.Tooltip(escape_html(port_label(str(port.port_name)))),
                icon=folium.DivIcon(html=port_icon(), icon_size=(20, 20), icon_anchor=(10, 10)),
            ).add_to(layer)
        layer.add_to(fmap)

    folium.LayerControl(collapsed=False).add_to(fmap)
    add_legend(
        fmap,
        legend_entries(edges),
        title=f"{result.region_name}: belum rekam e-KTP per desa",
    )
    add_legend(
        fmap, [], title=source_note(short_label, result.source.is_estimate), position="topleft"
    )
    methods = sorted({m for t in villages["alasan_terpencil"] if (m := short_reason(t)[1])})
    note = method_note_html([f"Sumber angka belum rekam: {label}", *methods])
    fmap.get_root().html.add_child(Element(note))  # type: ignore[attr-defined]
    save_self_contained(fmap, path)


def method_note_html(methods: list[str]) -> str:
    """A short Indonesian note on the map, the method one click away (escaped)."""
    detail = "".join(f"<p style='margin:4px 0'>{escape_html(m)}</p>" for m in methods)
    return (
        "<details class='jb-catatan' style='position:fixed;left:10px;bottom:24px;z-index:1000;"
        "background:#fff;padding:6px 10px;border-radius:4px;max-width:340px;font:13px "
        "DejaVu Sans,Arial,sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)'>"
        "<summary>Catatan: klik desa untuk jumlah dan kelasnya; klik di sini untuk sumber "
        "data dan cara menghitung waktu tempuh</summary>" + detail + "</details>"
    )


def legend_entries(edges: list[int]) -> list[tuple[str, str, str]]:
    """Legend rows: villages with 0, the choropleth bins, then the class marker colours."""
    bins = [("0 belum rekam / tidak ada data", ZERO_COLOUR, "box")]
    bins += [
        (f"{format_count(edges[i])}–{format_count(edges[i + 1])} belum rekam", c, "box")
        for i, c in enumerate(CHOROPLETH)
    ]
    classes = [(CLASS_LABELS[c], CLASS_COLOURS[c], "circle") for c in CLASS_NAMES]
    places = [
        ("Kantor Disdukcapil", OFFICE_COLOURS["dinas"], "box"),
        ("Kantor kecamatan", OFFICE_COLOURS["kecamatan"], "box"),
        ("Pelabuhan", PORT_COLOUR, "circle"),
    ]
    return [*bins, *classes, *places]


def source_note(source_label: str, is_estimate: bool) -> str:
    """The data-source note shown on the map (plain text; escaped by the legend)."""
    if is_estimate:
        return (
            "ESTIMASI: angka belum rekam per desa bukan data resmi, dibuat model dari total "
            f"resmi ({source_label})"
        )
    return f"Sumber data: {source_label}"
