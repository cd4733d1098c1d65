"""A team filter and a day filter for ``peta.html``, in place of one checkbox per team-day.

A Banten week has 72 team-day layers; as checkboxes they made a 2,131-px list that the legend
covered. Here the team-day layers stay out of the layer control and two drop-down lists
(``Tim``, ``Hari``) show the layers of one team, one day, or both. Plain Leaflet calls, no
library: the page still works offline.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import folium
from branca.element import Element, MacroElement, Template

from planner.present.maps.offline import escape_html


@dataclass(frozen=True)
class TeamDayLayer:
    """One team-day layer of the map: its JS name, team and ISO date."""

    layer: str
    team_id: str
    team_name: str
    day: str
    day_label: str


_SCRIPT = """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var layers = {{ this.layers_json }};
  function apply() {
    var team = document.getElementById('jb-filter-team').value;
    var day = document.getElementById('jb-filter-day').value;
    layers.forEach(function (l) {
      var layer = window[l.layer];
      var show = (!team || l.team === team) && (!day || l.day === day);
      if (show && !map.hasLayer(layer)) { map.addLayer(layer); }
      if (!show && map.hasLayer(layer)) { map.removeLayer(layer); }
    });
  }
  document.getElementById('jb-filter-team').addEventListener('change', apply);
  document.getElementById('jb-filter-day').addEventListener('change', apply);
})();
{% endmacro %}
"""


class _FilterScript(MacroElement):
    def __init__(self, layers_json: str) -> None:
        super().__init__()
        self._name = "JbTeamDayFilter"
        self.layers_json = layers_json
        self._template = Template(_SCRIPT)


def add_team_day_filter(fmap: folium.Map, layers: Sequence[TeamDayLayer]) -> None:
    """Add the ``Tim`` and ``Hari`` drop-down lists that show and hide team-day layers."""
    teams = dict(sorted({(x.team_id, x.team_name) for x in layers}))
    days = dict(sorted({(x.day, x.day_label) for x in layers}))
    team_options = "".join(
        f"<option value='{escape_html(k)}'>{escape_html(v)}</option>" for k, v in teams.items()
    )
    day_options = "".join(
        f"<option value='{escape_html(k)}'>{escape_html(v)}</option>" for k, v in days.items()
    )
    box = (
        "<div class='jb-filter' style='position:fixed;top:10px;left:60px;z-index:1000;"
        "background:#fff;padding:6px 10px;border-radius:4px;font:14px DejaVu Sans,Arial,"
        "sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)'>"
        "<label>Tim <select id='jb-filter-team'><option value=''>semua tim</option>"
        f"{team_options}</select></label> "
        "<label>Hari <select id='jb-filter-day'><option value=''>semua hari</option>"
        f"{day_options}</select></label></div>"
    )
    fmap.get_root().html.add_child(Element(box))  # type: ignore[attr-defined]
    entries = [{"layer": x.layer, "team": x.team_id, "day": x.day} for x in layers]
    # JSON of ids and dates only, made safe to sit inside a <script> element
    text = json.dumps(entries).replace("<", "\\u003c").replace(">", "\\u003e")
    fmap.add_child(_FilterScript(text))
