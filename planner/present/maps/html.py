"""Escaped HTML for Folium maps: popups, tooltips, numbered icons and legends.

Long module: every piece of map HTML that carries user text is built here, so that escaping
is written and tested in one place.

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

import html as _html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import folium
from branca.element import MacroElement
from folium.template import Template

from planner.present.maps.errors import OfflineMapError

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
    >>> from planner.present.maps.offline import new_map
    >>> m = new_map((-6.4, 106.1), 9)
    >>> _ = add_legend(m, [("Tim 1", "#d62728", "line"), ("Pulau", "#1f77b4")], title="Legenda")
    """
    if position not in ("topleft", "topright", "bottomleft", "bottomright"):
        raise OfflineMapError(f"legend position '{position}' is not a Leaflet corner")
    element = Legend(legend_html(entries, title), position)
    m.add_child(element)
    return element
