"""Self-contained, offline Folium maps.

Teams share map files over chat apps in places with no signal, so every map the planner
writes is ONE HTML file that works with no network at all:

* :func:`new_map` makes a :class:`folium.Map` with no tile layer.
* :func:`add_online_basemap` adds an OpenStreetMap layer that is created in the browser only
  when ``navigator.onLine`` is true (or when the ``online`` event fires later), so an offline
  page makes zero network requests.
* :func:`render_self_contained` / :func:`save_self_contained` render the map and replace every
  CDN ``<script src>`` / ``<link href>`` that Folium writes with the vendored file's content
  (``planner/present/maps/assets``, see its README), CSS ``url(...)`` references inlined as
  ``data:`` URIs. Assets are matched by file name, not by exact URL, so a Folium upgrade that only
  changes a CDN host or version still works; an external reference that no vendored asset
  matches raises :class:`OfflineMapError`.

User text in popups, tooltips, icons and legends must be escaped: see
:mod:`planner.present.maps.html` (re-exported here). The vendored files and how CDN URLs map
onto them are in :mod:`planner.present.maps.vendored`.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, MacroElement
from folium.template import Template

from planner.present.maps.errors import OfflineMapError
from planner.present.maps.html import (
    Legend,
    LegendEntry,
    LegendShape,
    _js_json,
    add_legend,
    escape_html,
    format_html,
    html_popup,
    html_tooltip,
    legend_html,
    numbered_icon,
    text_popup,
    text_tooltip,
)
from planner.present.maps.vendored import (
    _CHECKS,
    _EXTERNAL,
    _HREF_RE,
    _LINK_ANY_HREF_RE,
    _LINK_RE,
    _REL_RE,
    _SCRIPT_ANY_SRC_RE,
    _SCRIPT_SRC_RE,
    ASSETS_DIR,
    VENDORED_ASSETS,
    VendoredAsset,
    load_inline_asset,
    match_vendored_asset,
)

__all__ = [
    "ASSETS_DIR",
    "OSM_ATTRIBUTION",
    "OSM_TILES_URL",
    "VENDORED_ASSETS",
    "Legend",
    "LegendEntry",
    "LegendShape",
    "OfflineMapError",
    "OnlineBasemap",
    "VendoredAsset",
    "add_legend",
    "add_online_basemap",
    "escape_html",
    "find_external_references",
    "format_html",
    "html_popup",
    "html_tooltip",
    "inline_offline_assets",
    "legend_html",
    "load_inline_asset",
    "match_vendored_asset",
    "new_map",
    "numbered_icon",
    "render_self_contained",
    "save_self_contained",
    "text_popup",
    "text_tooltip",
]

OSM_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


# --------------------------------------------------------------------------------------
# Inlining and checking a rendered page
# --------------------------------------------------------------------------------------


def find_external_references(page: str) -> list[str]:
    """List every reference in ``page`` that would make the browser fetch from the network.

    Looks at ``<script src>``, ``<link href>``, CSS ``url()`` and ``@import``, and the
    ``src`` of ``img``/``iframe``/``embed``/``source``/``audio``/``video`` tags, for
    ``http:``, ``https:`` and protocol-relative ``//`` URLs. Plain URL strings inside
    JavaScript (such as a tile URL template) are not references and are not reported.

    Parameters
    ----------
    page
        HTML text.

    Returns
    -------
    list of str
        One ``"<kind>: <text>"`` entry per reference, in document order per kind.
    """
    found: list[str] = []
    for kind, pattern in _CHECKS:
        found.extend(f"{kind}: {m.group(0)[:200]}" for m in pattern.finditer(page))
    return found


def inline_offline_assets(page: str) -> str:
    """Replace CDN scripts and stylesheets in an HTML page with the vendored files inline.

    Each vendored asset is inlined once; a second tag for the same asset is removed.

    Parameters
    ----------
    page
        HTML text, typically ``folium.Map.get_root().render()``.

    Returns
    -------
    str
        The page with ``<script>``/``<style>`` blocks in place of the external tags.

    Raises
    ------
    OfflineMapError
        If an external script/stylesheet has no vendored equivalent, or any other network
        reference (see :func:`find_external_references`) is left in the page.
    """
    problems: list[str] = []
    inlined: set[str] = set()

    def script(match: re.Match[str]) -> str:
        url = match.group("url")
        if not re.match(_EXTERNAL, url, flags=re.I):
            return match.group(0)
        asset = match_vendored_asset(url)
        if asset is None or asset.kind != "js":
            problems.append(f"no vendored asset for script {url}")
            return match.group(0)
        if asset.key in inlined:
            return ""
        inlined.add(asset.key)
        body = load_inline_asset(asset.key)
        return f"<script>/* {asset.package}: {asset.path} */\n{body}\n</script>"

    def link(match: re.Match[str]) -> str:
        tag = match.group(0)
        href = _HREF_RE.search(tag)
        if href is None or not re.match(_EXTERNAL, href.group("url"), flags=re.I):
            return tag
        url = href.group("url")
        rel = _REL_RE.search(tag)
        rels = rel.group("rel").lower().split() if rel else []
        if "stylesheet" not in rels:
            problems.append(f"external <link> that is not a stylesheet: {tag}")
            return tag
        asset = match_vendored_asset(url)
        if asset is None or asset.kind != "css":
            problems.append(f"no vendored asset for stylesheet {url}")
            return tag
        if asset.key in inlined:
            return ""
        inlined.add(asset.key)
        body = load_inline_asset(asset.key)
        return f"<style>/* {asset.package}: {asset.path} */\n{body}\n</style>"

    out = _SCRIPT_SRC_RE.sub(script, page)
    out = _LINK_RE.sub(link, out)
    if problems:
        raise OfflineMapError(
            [*problems, "vendor it under planner/present/maps/assets (tools/vendor_map_assets.sh)"]
        )
    left = find_external_references(out)
    if left:
        raise OfflineMapError(["the map still references the network after inlining:", *left])
    separate = [
        f"{kind} refers to a separate file: {url}"
        for kind, pattern in (("<script>", _SCRIPT_ANY_SRC_RE), ("<link>", _LINK_ANY_HREF_RE))
        for url in pattern.findall(out)
        if not url.lower().startswith("data:")
    ]
    if separate:
        raise OfflineMapError(["the map would not be one self-contained file:", *separate])
    return out


def render_self_contained(m: folium.Map | Element) -> str:
    """Render a Folium map (or any element in a figure) to one self-contained HTML page.

    Parameters
    ----------
    m
        The map, usually from :func:`new_map`.

    Returns
    -------
    str
        HTML with every script, stylesheet, font and image inline.

    Raises
    ------
    OfflineMapError
        If something in the page would still be fetched from the network.

    Examples
    --------
    >>> m = new_map((-6.12, 106.15), 10)
    >>> "leaflet" in render_self_contained(m)
    True
    """
    return inline_offline_assets(m.get_root().render())


def save_self_contained(m: folium.Map | Element, path: str | os.PathLike[str]) -> Path:
    """Write :func:`render_self_contained` of ``m`` to ``path`` (UTF-8, atomic replace).

    Parameters
    ----------
    m
        The map.
    path
        Output ``.html`` file; its folder must exist.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    out = Path(path)
    page = render_self_contained(m)
    if not out.parent.is_dir():
        raise OfflineMapError(f"cannot write {out}: folder {out.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(page)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a map is shared like any other output
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


# --------------------------------------------------------------------------------------
# Map construction
# --------------------------------------------------------------------------------------


def new_map(location: Sequence[float], zoom_start: int = 10, **kwargs: Any) -> folium.Map:
    """Make a Folium map with no tile layer, ready for :func:`save_self_contained`.

    Parameters
    ----------
    location
        ``(lat, lon)`` of the initial centre, degrees (EPSG:4326).
    zoom_start
        Initial zoom level.
    **kwargs
        Passed to :class:`folium.Map` (``width``, ``height``, ``control_scale``,
        ``prefer_canvas``, ...). ``tiles`` is not accepted: use :func:`add_online_basemap`.

    Returns
    -------
    folium.Map

    Raises
    ------
    OfflineMapError
        If ``tiles`` is given (a tile layer fetches images even when offline).
    """
    if kwargs.get("tiles") is not None:
        raise OfflineMapError(
            "new_map() adds no tiles, so the map makes no network request when offline; "
            "call add_online_basemap(m) for a basemap shown only when online"
        )
    kwargs["tiles"] = None
    return folium.Map(location=list(location), zoom_start=zoom_start, **kwargs)


class OnlineBasemap(MacroElement):
    """A tile layer created in the browser only when it is online.

    Use :func:`add_online_basemap`.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var layer = null;
            function addBasemap() {
                if (layer !== null) { return; }
                layer = L.tileLayer({{ this.url_json }}, {{ this.options_json }});
                layer.addTo(map);
                layer.bringToBack();
            }
            if (navigator.onLine) {
                addBasemap();
            } else {
                window.addEventListener("online", addBasemap, { once: true });
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, url: str, options: dict[str, Any]) -> None:
        super().__init__()
        self._name = "OnlineBasemap"
        self.url_json = _js_json(url)
        self.options_json = _js_json(options)


def add_online_basemap(
    m: folium.Map,
    *,
    url: str = OSM_TILES_URL,
    attribution: str = OSM_ATTRIBUTION,
    max_zoom: int = 19,
) -> OnlineBasemap:
    """Add a basemap that is loaded only when the browser says it is online.

    The page checks ``navigator.onLine`` when it opens; if offline, it waits for the
    ``online`` event. An offline page therefore requests no tiles at all. On a phone that
    reports "online" on a network with no real connectivity the tiles simply fail to load;
    the map's own layers still show.

    Parameters
    ----------
    m
        The map.
    url
        Tile URL template (default: OpenStreetMap standard tiles).
    attribution
        Attribution HTML shown in the corner (trusted text, not escaped).
    max_zoom
        Maximum zoom of the tile layer.

    Returns
    -------
    OnlineBasemap
        The element added to ``m``.
    """
    element = OnlineBasemap(url, {"attribution": attribution, "maxZoom": max_zoom})
    m.add_child(element)
    return element
