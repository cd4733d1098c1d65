"""Folium maps for the planner. Only this package imports folium.

Every map the planner writes is one self-contained HTML file that works offline; see
:mod:`planner.present.maps.offline`.
"""

from planner.present.maps.offline import (
    LegendEntry,
    OfflineMapError,
    add_legend,
    add_online_basemap,
    escape_html,
    find_external_references,
    format_html,
    html_popup,
    html_tooltip,
    inline_offline_assets,
    new_map,
    numbered_icon,
    render_self_contained,
    save_self_contained,
    text_popup,
    text_tooltip,
)

__all__ = [
    "LegendEntry",
    "OfflineMapError",
    "add_legend",
    "add_online_basemap",
    "escape_html",
    "find_external_references",
    "format_html",
    "html_popup",
    "html_tooltip",
    "inline_offline_assets",
    "new_map",
    "numbered_icon",
    "render_self_contained",
    "save_self_contained",
    "text_popup",
    "text_tooltip",
]
