"""Self-contained, offline Folium maps.

Teams share map files over chat apps in places with no signal, so every map the planner
writes is ONE HTML file that works with no network at all:

* :func:`new_map` makes a :class:`folium.Map` with no tile layer.
* :func:`add_online_basemap` adds an OpenStreetMap layer that is created in the browser only
  when ``navigator.onLine`` is true (or when the ``online`` event fires later), so an offline
  page makes zero network requests.
* :func:`render_self_contained` / :func:`save_self_contained` render the map and replace every
  CDN ``<script src>`` / ``<link href>`` that Folium writes with the vendored file's content
  (``planner/maps/assets``, see its README), CSS ``url(...)`` references inlined as ``data:``
  URIs. Assets are matched by file name, not by exact URL, so a Folium upgrade that only
  changes a CDN host or version still works; an external reference that no vendored asset
  matches raises :class:`OfflineMapError`.

Escaping user text
------------------
Village, kecamatan, team and layer names come from user files and must be shown as text,
never run. Folium does not do this for you:

* ``folium.Popup(html)`` inserts ``html`` unescaped by default (``parse_html=False`` means
  "raw HTML"; ``parse_html=True`` HTML-escapes it), and in both cases the result is placed in
  a JavaScript template literal (`````...`````) where ``${...}`` is evaluated and a backslash
  starts an escape sequence.
* ``folium.Tooltip(text)`` puts ``text`` raw into a JavaScript template literal that Leaflet
  sets as ``innerHTML``.
* ``folium.DivIcon(html=...)``, ``LayerControl`` labels (the ``name`` of a layer), and the
  property values shown by ``GeoJsonTooltip`` / ``GeoJsonPopup`` all reach ``innerHTML``.

So callers must:

* use :func:`text_popup` / :func:`text_tooltip` for plain text, or build HTML with
  :func:`format_html` (which escapes every argument) and pass it to :func:`html_popup` /
  :func:`html_tooltip`;
* pass ``escape_html(name)`` as the ``name`` of a ``FeatureGroup`` or any other layer that a
  ``LayerControl`` lists, and as any GeoJSON property a ``GeoJsonTooltip`` / ``GeoJsonPopup``
  shows;
* never pass user text to ``folium.Popup``, ``folium.Tooltip`` or ``folium.DivIcon``
  directly, nor as a plain string to the ``popup=`` / ``tooltip=`` argument of a marker,
  polygon or line (Folium wraps such a string unescaped; a ``</script>`` in it even breaks
  the page).

GeoJSON data itself is embedded safely (Folium's ``tojson`` escapes ``<``, ``>`` and ``&``).

With that, a village named ``<script>alert(1)</script>`` (or ``${alert(1)}``) is displayed
as those characters and never executed.
"""

from __future__ import annotations

import base64
import html as _html
import json
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import folium
from branca.element import Element, MacroElement
from folium.template import Template

from planner.errors import PlannerError

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
"""Folder of the vendored JavaScript, CSS, fonts and images (see its README.md)."""

OSM_TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


class OfflineMapError(PlannerError):
    """A map cannot be made self-contained (unvendored asset, bad legend colour, ...)."""


# --------------------------------------------------------------------------------------
# Vendored assets and how CDN URLs map onto them
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VendoredAsset:
    """One vendored file and the CDN URLs it stands in for.

    Parameters
    ----------
    key
        Short name, used to inline each asset once per page.
    kind
        ``"js"`` (replaces a ``<script src>``) or ``"css"`` (replaces a ``<link href>``).
    url_pattern
        Regular expression searched in the URL path (query and fragment removed).
    path
        File path relative to :data:`ASSETS_DIR`.
    package
        npm package and version the file comes from.
    """

    key: str
    kind: Literal["js", "css"]
    url_pattern: str
    path: str
    package: str


# Order matters: the first matching entry wins (awesome-markers before font-awesome).
VENDORED_ASSETS: tuple[VendoredAsset, ...] = (
    VendoredAsset(
        "leaflet-js", "js", r"/leaflet(-src)?(\.min)?\.js$", "leaflet/leaflet.js", "leaflet@1.9.3"
    ),
    VendoredAsset(
        "jquery",
        "js",
        r"/jquery([.-]\d[\w.]*)?(\.min)?\.js$",
        "jquery/jquery.min.js",
        "jquery@3.7.1",
    ),
    VendoredAsset(
        "bootstrap-js",
        "js",
        r"/bootstrap(\.bundle)?(\.min)?\.js$",
        "bootstrap/bootstrap.bundle.min.js",
        "bootstrap@5.2.2",
    ),
    VendoredAsset(
        "awesome-markers-js",
        "js",
        r"/leaflet\.awesome-markers(\.min)?\.js$",
        "awesome-markers/leaflet.awesome-markers.js",
        "leaflet.awesome-markers@2.0.5",
    ),
    VendoredAsset(
        "leaflet-css", "css", r"/leaflet(\.min)?\.css$", "leaflet/leaflet.css", "leaflet@1.9.3"
    ),
    VendoredAsset(
        "awesome-markers-css",
        "css",
        r"/leaflet\.awesome-markers(\.min)?\.css$",
        "awesome-markers/leaflet.awesome-markers.css",
        "leaflet.awesome-markers@2.0.5",
    ),
    VendoredAsset(
        "awesome-rotate-css",
        "css",
        r"/leaflet\.awesome\.rotate(\.min)?\.css$",
        "awesome-rotate/leaflet.awesome.rotate.css",
        "generated by tools/vendor_map_assets.sh",
    ),
    VendoredAsset(
        "glyphicons-css",
        "css",
        r"/[\w.-]*glyphicons[\w.-]*\.css$",
        "glyphicons/css/glyphicons.css",
        "bootstrap@3.4.1 (glyphicons part)",
    ),
    VendoredAsset(
        "bootstrap-css",
        "css",
        r"/bootstrap(\.min)?\.css$",
        "bootstrap/bootstrap.min.css",
        "bootstrap@5.2.2",
    ),
    VendoredAsset(
        "fontawesome-css",
        "css",
        r"/font-?awesome[^/]*/(.*/)?(all|font-?awesome)(\.min)?\.css$",
        "fontawesome/css/all.min.css",
        "@fortawesome/fontawesome-free@6.2.0",
    ),
)

_MIME_TYPES = {
    ".png": "image/png",
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
}

_EXTERNAL = r"(?:https?:)?//"
_SCRIPT_SRC_RE = re.compile(
    r"<script\b[^>]*?\bsrc\s*=\s*([\"'])(?P<url>[^\"']+)\1[^>]*>\s*</script\s*>", re.I
)
_LINK_RE = re.compile(r"<link\b[^>]*>", re.I)
_HREF_RE = re.compile(r"\bhref\s*=\s*([\"'])(?P<url>[^\"']+)\1", re.I)
_REL_RE = re.compile(r"\brel\s*=\s*([\"'])(?P<rel>[^\"']+)\1", re.I)
_CSS_URL_RE = re.compile(r"url\(\s*([\"']?)(?P<url>[^\"')]+)\1\s*\)", re.I)
_FONT_FACE_RE = re.compile(r"@font-face\s*\{[^}]*\}", re.I)
_SRC_DECL_RE = re.compile(r"\bsrc\s*:[^;}]*;?", re.I)
_SOURCE_MAP_RE = re.compile(r"(/\*#\s*sourceMappingURL=[^*]*\*/|//[#@]\s*sourceMappingURL=\S*)")
_SCRIPT_ANY_SRC_RE = re.compile(r"<script\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_LINK_ANY_HREF_RE = re.compile(
    r"<link\b(?=[^>]*\brel\s*=\s*[\"']?[^\"'>]*stylesheet)[^>]*?\bhref\s*=\s*[\"']?([^\"'\s>]+)",
    re.I,
)
_CHECKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("script", re.compile(r"<script\b[^>]*?\bsrc\s*=\s*[\"']?" + _EXTERNAL + r"[^\s\"'>]*", re.I)),
    ("link", re.compile(r"<link\b[^>]*?\bhref\s*=\s*[\"']?" + _EXTERNAL + r"[^\s\"'>]*", re.I)),
    ("css url()", re.compile(r"url\(\s*[\"']?" + _EXTERNAL + r"[^)\s\"']*", re.I)),
    ("@import", re.compile(r"@import\s+[\"']" + _EXTERNAL + r"[^\"']*", re.I)),
    (
        "embedded resource",
        re.compile(
            r"<(?:img|iframe|embed|source|audio|video)\b[^>]*?\bsrc\s*=\s*[\"']?"
            + _EXTERNAL
            + r"[^\s\"'>]*",
            re.I,
        ),
    ),
)


def match_vendored_asset(url: str) -> VendoredAsset | None:
    """Return the vendored asset that stands in for a CDN ``url``, or ``None``.

    Matching uses the file name (and, for Font Awesome, the package folder), not the host
    or version, so it keeps working when Folium changes its CDN.

    Examples
    --------
    >>> match_vendored_asset("https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js").key
    'leaflet-js'
    """
    path = re.sub(r"[?#].*$", "", url.strip())
    for asset in VENDORED_ASSETS:
        if re.search(asset.url_pattern, path, flags=re.I):
            return asset
    return None


def _data_uri(path: Path) -> str:
    mime = _MIME_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _keep_woff2_only(css: str, base: Path) -> str:
    """Reduce each ``@font-face`` to its woff2 source; drop repeats of the same font file.

    Every browser that runs Leaflet 1.9 reads woff2, so the ttf/eot/svg fallbacks would only
    add size. Font Awesome declares the same font file under several family names (v4/v5
    aliases); a file is embedded once, later aliases of it are dropped.
    """
    seen: set[Path] = set()

    def rewrite(match: re.Match[str]) -> str:
        block = match.group(0)
        woff2 = [u.group("url") for u in _CSS_URL_RE.finditer(block) if ".woff2" in u.group("url")]
        if not woff2:
            return block
        target = (base / re.sub(r"[?#].*$", "", woff2[0])).resolve()
        if target in seen:
            return ""
        seen.add(target)
        body = _SRC_DECL_RE.sub("", block).rstrip().rstrip("}").rstrip().rstrip(";")
        return f'{body};src:url({woff2[0]}) format("woff2")}}'

    return _FONT_FACE_RE.sub(rewrite, css)


def _inline_css_urls(css: str, base: Path, source: str) -> str:
    problems: list[str] = []

    def replace(match: re.Match[str]) -> str:
        url = match.group("url").strip()
        if url.startswith(("data:", "#")):
            return match.group(0)
        if re.match(_EXTERNAL, url, flags=re.I):
            problems.append(f"{source}: external url({url}) in vendored CSS")
            return match.group(0)
        target = base / re.sub(r"[?#].*$", "", url)
        if not target.is_file():
            problems.append(
                f"{source}: url({url}) points to {target}, which is missing; "
                "run tools/vendor_map_assets.sh"
            )
            return match.group(0)
        return f'url("{_data_uri(target)}")'

    out = _CSS_URL_RE.sub(replace, css)
    if problems:
        raise OfflineMapError(problems)
    return out


def _leaflet_default_icon_patch(leaflet_dir: Path) -> str:
    """JS that points Leaflet's default marker icon at inline images.

    ``L.Icon.Default`` finds its images from the ``url()`` of ``leaflet.css``; once that is
    a ``data:`` URI the detection fails and Leaflet requests ``marker-icon.png`` next to
    the page (Folium creates every ``L.marker`` with the default icon before setting its
    own). Setting ``imagePath`` to ``""`` and the icon URLs to data URIs avoids that.
    """
    images = leaflet_dir / "images"
    options = {
        "iconUrl": _data_uri(images / "marker-icon.png"),
        "iconRetinaUrl": _data_uri(images / "marker-icon-2x.png"),
        "shadowUrl": _data_uri(images / "marker-shadow.png"),
    }
    return (
        "\n/* planner.maps.offline: default marker icon from inline images */\n"
        f'L.Icon.Default.imagePath = "";\nL.Icon.Default.mergeOptions({json.dumps(options)});\n'
    )


@cache
def load_inline_asset(key: str) -> str:
    """Return the ready-to-inline text of one vendored asset.

    JavaScript is returned with ``</script`` neutralised and source-map comments removed;
    CSS with every ``url(...)`` turned into a ``data:`` URI and fonts reduced to woff2.

    Parameters
    ----------
    key
        :attr:`VendoredAsset.key`.

    Returns
    -------
    str
        The file content to put between ``<script>`` / ``<style>`` tags.

    Raises
    ------
    OfflineMapError
        If the key is unknown or the vendored files are missing.
    """
    assets = {a.key: a for a in VENDORED_ASSETS}
    if key not in assets:
        raise OfflineMapError(f"unknown vendored asset '{key}'; known: {', '.join(assets)}")
    asset = assets[key]
    path = ASSETS_DIR / asset.path
    if not path.is_file():
        raise OfflineMapError(
            f"vendored asset {path} is missing; run tools/vendor_map_assets.sh to restore it"
        )
    text = _SOURCE_MAP_RE.sub("", path.read_text(encoding="utf-8"))
    if asset.kind == "js":
        if key == "leaflet-js":
            text += _leaflet_default_icon_patch(path.parent)
        return re.sub(r"</(script)", r"<\\/\1", text, flags=re.I)
    text = _keep_woff2_only(text, path.parent)
    text = _inline_css_urls(text, path.parent, asset.path)
    return re.sub(r"</(style)", r"<\\/\1", text, flags=re.I)


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
            [*problems, "vendor it under planner/maps/assets (tools/vendor_map_assets.sh)"]
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


# --------------------------------------------------------------------------------------
# Escaping, popups, tooltips, icons
# --------------------------------------------------------------------------------------

# Characters that are harmless in HTML but special in the JavaScript template literals
# that folium's Popup and Tooltip templates wrap their content in.
_TEMPLATE_LITERAL_ENTITIES = {"`": "&#96;", "$": "&#36;", "\\": "&#92;"}


def _guard_template_literal(markup: str) -> str:
    return re.sub(r"[`$\\]", lambda m: _TEMPLATE_LITERAL_ENTITIES[m.group(0)], markup)


def _js_json(value: object) -> str:
    """JSON for a value embedded in an inline ``<script>`` (``<``, ``>``, ``&`` escaped)."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def escape_html(text: object) -> str:
    """Escape user text so that it shows as text in any HTML that a Folium map builds.

    This is :func:`html.escape` (with quotes) plus the three characters that are special
    in the JavaScript template literals Folium wraps popups and tooltips in: a backtick,
    ``$`` and a backslash become the numeric character references ``&#96;``, ``&#36;``
    and ``&#92;``, which the browser shows as the same characters.

    Parameters
    ----------
    text
        Any value; ``None`` becomes an empty string, other values go through ``str``.

    Returns
    -------
    str

    Examples
    --------
    >>> escape_html("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> escape_html("${x}")
    '&#36;{x}'
    """
    if text is None:
        return ""
    return _guard_template_literal(_html.escape(str(text), quote=True))


def format_html(template: str, *args: object, **kwargs: object) -> str:
    """Fill a trusted HTML ``template`` (``str.format`` syntax) with escaped values.

    Parameters
    ----------
    template
        HTML written by the programmer, never by a user.
    *args, **kwargs
        Values, each passed through :func:`escape_html`.

    Returns
    -------
    str

    Examples
    --------
    >>> format_html("<b>{}</b>: {n} belum rekam", "Desa <X>", n=120)
    '<b>Desa &lt;X&gt;</b>: 120 belum rekam'
    """
    return template.format(
        *(escape_html(a) for a in args), **{k: escape_html(v) for k, v in kwargs.items()}
    )


def text_popup(text: object, *, max_width: int = 300, show: bool = False) -> folium.Popup:
    """A popup that shows ``text`` as plain text (escaped).

    Parameters
    ----------
    text
        User text, e.g. a village name.
    max_width
        Maximum popup width, pixels.
    show
        Open the popup when the page loads.

    Returns
    -------
    folium.Popup
    """
    return folium.Popup(escape_html(text), parse_html=False, max_width=max_width, show=show)


def html_popup(markup: str, *, max_width: int = 300, show: bool = False) -> folium.Popup:
    """A popup from trusted HTML, e.g. built with :func:`format_html`.

    The markup is used as HTML; only the template-literal characters (a backtick, ``$``,
    a backslash) are turned into character references so Folium's JavaScript cannot be
    broken. Every user value inside ``markup`` must already be escaped.

    Parameters
    ----------
    markup
        HTML.
    max_width
        Maximum popup width, pixels.
    show
        Open the popup when the page loads.

    Returns
    -------
    folium.Popup
    """
    return folium.Popup(
        _guard_template_literal(markup), parse_html=False, max_width=max_width, show=show
    )


def text_tooltip(text: object, **kwargs: Any) -> folium.Tooltip:
    """A tooltip that shows ``text`` as plain text (escaped).

    Parameters
    ----------
    text
        User text.
    **kwargs
        Passed to :class:`folium.Tooltip` (``sticky``, ``style``, Leaflet options).

    Returns
    -------
    folium.Tooltip
    """
    return folium.Tooltip(escape_html(text), **kwargs)


def html_tooltip(markup: str, **kwargs: Any) -> folium.Tooltip:
    """A tooltip from trusted HTML (see :func:`html_popup` for the rules).

    Parameters
    ----------
    markup
        HTML whose user values are already escaped.
    **kwargs
        Passed to :class:`folium.Tooltip`.

    Returns
    -------
    folium.Tooltip
    """
    return folium.Tooltip(_guard_template_literal(markup), **kwargs)


_COLOR_RE = re.compile(
    r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|(rgb|rgba|hsl|hsla)\(\s*[\d.%\s,/]+\))$"
)


def _check_colors(colors: Iterable[tuple[str, str]]) -> None:
    problems = [
        f"{what}: '{color}' is not a CSS colour (use #rrggbb, a colour name or rgb(...))"
        for what, color in colors
        if not _COLOR_RE.match(color)
    ]
    if problems:
        raise OfflineMapError(problems)


def numbered_icon(
    number: int | str,
    *,
    color: str = "#1565c0",
    text_color: str = "#ffffff",
    size_px: int = 26,
) -> folium.DivIcon:
    """A round marker icon with a number (the visit order), drawn with HTML only.

    Parameters
    ----------
    number
        Shown in the circle; escaped, so any short label works.
    color, text_color
        CSS colours of the circle and the number.
    size_px
        Diameter, pixels.

    Returns
    -------
    folium.DivIcon

    Raises
    ------
    OfflineMapError
        If a colour is not a plain CSS colour.
    """
    _check_colors([("numbered_icon color", color), ("numbered_icon text_color", text_color)])
    size = int(size_px)
    style = (
        f"box-sizing:border-box;width:{size}px;height:{size}px;border-radius:50%;"
        f"background:{color};color:{text_color};border:2px solid #ffffff;"
        "box-shadow:0 1px 3px rgba(0,0,0,.5);text-align:center;"
        f"font:bold 12px/{size - 4}px sans-serif;"
    )
    markup = f'<div class="jb-number-icon" style="{style}">{escape_html(number)}</div>'
    return folium.DivIcon(
        html=markup,
        icon_size=(size, size),
        icon_anchor=(size // 2, size // 2),
        class_name="jb-number-marker",
    )


# --------------------------------------------------------------------------------------
# Legend
# --------------------------------------------------------------------------------------

LegendShape = Literal["box", "line", "dashed", "circle"]


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: a swatch and a label.

    Parameters
    ----------
    label
        User-facing text (escaped when rendered).
    color
        CSS colour (``#rrggbb``, a colour name or ``rgb(...)``).
    shape
        ``"box"`` (filled area), ``"line"``, ``"dashed"`` (route line) or ``"circle"``.
    """

    label: str
    color: str
    shape: LegendShape = "box"


_SWATCH_STYLES: dict[str, str] = {
    "box": "background:{c};border:1px solid rgba(0,0,0,.35);height:12px;",
    "line": "border-top:3px solid {c};height:0;margin-top:6px;",
    "dashed": "border-top:3px dashed {c};height:0;margin-top:6px;",
    "circle": "background:{c};border-radius:50%;width:12px;height:12px;margin:0 4px;",
}

_LEGEND_CSS = """
<style>
.jb-legend{background:rgba(255,255,255,.92);padding:6px 10px;border-radius:5px;
  box-shadow:0 1px 5px rgba(0,0,0,.4);font:12px/1.4 sans-serif;color:#222;max-width:260px;}
.jb-legend-title{font-weight:bold;margin-bottom:4px;}
.jb-legend-row{display:flex;align-items:center;gap:6px;margin:2px 0;}
.jb-legend-swatch{display:inline-block;width:20px;flex:none;}
</style>
"""


class Legend(MacroElement):
    """A Leaflet control that shows a legend. Use :func:`add_legend`."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}{{ this.css }}{% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({ position: {{ this.position_json }} });
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "jb-legend");
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, markup: str, position: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.css = _LEGEND_CSS
        self.html = markup
        self.html_json = _js_json(markup)
        self.position_json = _js_json(position)


def legend_html(
    entries: Sequence[LegendEntry | tuple[str, str] | tuple[str, str, str]],
    title: str | None = None,
) -> str:
    """Build the (escaped) HTML of a legend; see :func:`add_legend`.

    Returns
    -------
    str
    """
    rows = [e if isinstance(e, LegendEntry) else LegendEntry(*e) for e in entries]
    _check_colors((f"legend entry '{e.label}'", e.color) for e in rows)
    bad = [e.shape for e in rows if e.shape not in _SWATCH_STYLES]
    if bad:
        raise OfflineMapError(
            f"legend shape(s) {bad} unknown; use one of {', '.join(_SWATCH_STYLES)}"
        )
    parts = []
    if title:
        parts.append(f'<div class="jb-legend-title">{escape_html(title)}</div>')
    for e in rows:
        swatch = _SWATCH_STYLES[e.shape].format(c=e.color)
        parts.append(
            f'<div class="jb-legend-row"><span class="jb-legend-swatch" style="{swatch}">'
            f"</span><span>{escape_html(e.label)}</span></div>"
        )
    return "".join(parts)


def add_legend(
    m: folium.Map,
    entries: Sequence[LegendEntry | tuple[str, str] | tuple[str, str, str]],
    *,
    title: str | None = None,
    position: Literal["topleft", "topright", "bottomleft", "bottomright"] = "bottomright",
) -> Legend:
    """Add a legend control to a map.

    Parameters
    ----------
    m
        The map.
    entries
        :class:`LegendEntry` objects or ``(label, color[, shape])`` tuples. Labels are
        escaped, so user text is safe here.
    title
        Optional heading (escaped).
    position
        Leaflet control corner.

    Returns
    -------
    Legend
        The element added to ``m``.

    Raises
    ------
    OfflineMapError
        If a colour or shape is invalid (all problems listed).

    Examples
    --------
    >>> m = new_map((-6.4, 106.1), 9)
    >>> _ = add_legend(m, [("Tim 1", "#d62728", "line"), ("Pulau", "#1f77b4")], title="Legenda")
    """
    if position not in ("topleft", "topright", "bottomleft", "bottomright"):
        raise OfflineMapError(f"legend position '{position}' is not a Leaflet corner")
    element = Legend(legend_html(entries, title), position)
    m.add_child(element)
    return element
