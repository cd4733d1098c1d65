"""Open a self-contained map in headless Chromium with the network off."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import folium
import pytest

from planner.present.maps import (
    add_legend,
    add_online_basemap,
    escape_html,
    new_map,
    numbered_icon,
    save_self_contained,
    text_popup,
    text_tooltip,
)

if TYPE_CHECKING:
    from tests.browser.conftest import PageInfo

pytestmark = pytest.mark.browser

EVIL = "<script>alert(1)</script>"
DESA_LAYER = "Desa (belum rekam)"
ROUTE_LAYER = "Rute Tim 1 — Senin"
OSM = "https://tile.openstreetmap.org/"


def _small_map(path: Path) -> Path:
    """Two village polygons, a dashed route, a numbered stop, icons, legend, layer control."""
    m = new_map((-6.10, 106.05), 11)
    add_online_basemap(m)

    desa = folium.FeatureGroup(name=escape_html(DESA_LAYER)).add_to(m)
    folium.Polygon(
        [(-6.06, 105.98), (-6.06, 106.04), (-6.11, 106.04), (-6.11, 105.98)],
        color="#8c2d04",
        fill=True,
        fill_color="#fd8d3c",
        fill_opacity=0.6,
        tooltip=text_tooltip("Desa Sukamaju"),
    ).add_to(desa)
    folium.Polygon(
        [(-6.11, 106.06), (-6.11, 106.13), (-6.16, 106.13), (-6.16, 106.06)],
        color="#08519c",
        fill=True,
        fill_color="#6baed6",
        fill_opacity=0.6,
        tooltip=text_tooltip(EVIL),
    ).add_to(desa)

    route = folium.FeatureGroup(name=escape_html(ROUTE_LAYER)).add_to(m)
    folium.PolyLine(
        [(-6.14, 105.95), (-6.085, 106.01), (-6.135, 106.095)],
        color="#d62728",
        weight=4,
        dash_array="10 8",
    ).add_to(route)
    folium.Marker(
        (-6.085, 106.01),
        icon=numbered_icon(1, color="#d62728"),
        popup=text_popup(f"Kunjungan 1: {EVIL}"),
    ).add_to(route)

    # Folium's own icon markers use the inlined Glyphicons and Font Awesome fonts.
    folium.Marker((-6.14, 105.95), icon=folium.Icon(icon="home", color="green")).add_to(m)
    folium.Marker((-6.06, 106.12), icon=folium.Icon(icon="ship", prefix="fa", color="blue")).add_to(
        m
    )

    add_legend(
        m,
        [
            ("Belum rekam tinggi", "#fd8d3c"),
            ("Desa pulau", "#6baed6"),
            (ROUTE_LAYER, "#d62728", "dashed"),
        ],
        title="Legenda",
    )
    folium.LayerControl(collapsed=False).add_to(m)
    return save_self_contained(m, path)


def test_map_works_offline(offline_page: PageInfo, tmp_path: Path) -> None:
    page = offline_page.page
    offline_page.open(_small_map(tmp_path / "peta.html"))
    page.wait_for_selector(".jb-number-marker", timeout=10_000)
    page.evaluate("document.fonts.ready.then(() => true)")

    assert page.evaluate("typeof L") == "object"
    assert page.evaluate("navigator.onLine") is False
    # No basemap when offline, so no tile images at all.
    assert page.locator(".leaflet-tile").count() == 0

    labels = page.locator(".leaflet-control-layers-overlays label > span > span")
    overlays = [t.strip() for t in labels.all_inner_texts()]
    assert overlays == [DESA_LAYER, ROUTE_LAYER]

    legend = page.locator(".jb-legend").inner_text()
    assert "Legenda" in legend
    assert ROUTE_LAYER in legend

    # Two polygons + one dashed polyline drawn as SVG paths.
    paths = page.locator(".leaflet-overlay-pane path")
    assert paths.count() == 3
    assert page.locator('.leaflet-overlay-pane path[stroke-dasharray="10 8"]').count() == 1

    # Icon fonts are inline and actually used.
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert any("Glyphicons Halflings" in f for f in loaded), loaded
    assert any("Font Awesome 6 Free" in f for f in loaded), loaded

    # Hovering the second village shows its tooltip, also as text.
    box = paths.nth(1).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.2)
    page.locator(".leaflet-tooltip").wait_for(timeout=5_000)
    assert page.locator(".leaflet-tooltip").inner_text().strip() == EVIL

    # Clicking the numbered marker opens its popup; the village name shows as text.
    page.locator(".jb-number-marker").click()
    content = page.locator(".leaflet-popup-content")
    content.wait_for(timeout=5_000)
    assert content.inner_text().strip() == f"Kunjungan 1: {EVIL}"

    page.wait_for_function(
        "getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    shot = offline_page.screenshot("offline_map")
    assert shot.stat().st_size > 10_000

    # Toggling the route layer off removes the dashed line.
    page.locator(".leaflet-control-layers-overlays input").nth(1).uncheck()
    assert page.locator('.leaflet-overlay-pane path[stroke-dasharray="10 8"]').count() == 0

    assert offline_page.problems == []


def test_basemap_waits_for_online_event(offline_page: PageInfo, tmp_path: Path) -> None:
    """Offline: no tile request. Back online: the OSM layer is added (requests aborted)."""
    offline_page.open(_small_map(tmp_path / "peta.html"))
    page = offline_page.page
    page.wait_for_selector(".jb-number-marker", timeout=10_000)
    assert offline_page.requests == []

    with page.expect_request(lambda r: r.url.startswith(OSM), timeout=5_000):
        page.context.set_offline(False)
    tiles = [u for u in offline_page.requests if u.startswith(OSM)]
    assert tiles, offline_page.requests
    assert all(u.startswith(OSM) for u in offline_page.requests)


def test_basemap_loads_when_online(online_blocked_page: PageInfo, tmp_path: Path) -> None:
    page = online_blocked_page.page
    with page.expect_request(lambda r: r.url.startswith(OSM), timeout=5_000):
        online_blocked_page.open(_small_map(tmp_path / "peta.html"))
    assert page.evaluate("navigator.onLine") is True
    assert online_blocked_page.requests
    assert all(u.startswith(OSM) for u in online_blocked_page.requests)
