"""Unit tests for planner.present.maps.offline: self-contained rendering and escaping."""

from __future__ import annotations

import re
from pathlib import Path

import folium
import pytest
from branca.element import Figure

from planner.core.errors import PlannerError
from planner.present.maps import offline
from planner.present.maps.offline import (
    LegendEntry,
    OfflineMapError,
    add_legend,
    add_online_basemap,
    escape_html,
    find_external_references,
    format_html,
    html_popup,
    inline_offline_assets,
    match_vendored_asset,
    new_map,
    numbered_icon,
    render_self_contained,
    save_self_contained,
    text_popup,
    text_tooltip,
)

EVIL = "<script>alert(1)</script>"
EVIL_TEMPLATE = "${alert(2)}`\\u"


def _script_srcs(page: str) -> list[str]:
    return re.findall(r"<script\b[^>]*\bsrc\s*=\s*[\"']?([^\"'\s>]+)", page, flags=re.I)


def _link_hrefs(page: str) -> list[str]:
    return re.findall(r"<link\b[^>]*\bhref\s*=\s*[\"']?([^\"'\s>]+)", page, flags=re.I)


def test_every_folium_default_asset_has_a_vendored_file() -> None:
    """A Folium upgrade that adds a CDN asset must fail here, not silently go online."""
    for _name, url in [*folium.Map.default_js, *folium.Map.default_css]:
        asset = match_vendored_asset(url)
        assert asset is not None, f"no vendored asset for {url}"
        assert (offline.ASSETS_DIR / asset.path).is_file()
    kinds = {match_vendored_asset(u).kind for _n, u in folium.Map.default_js}  # type: ignore[union-attr]
    assert kinds == {"js"}


def test_asset_licences_and_readme_are_present() -> None:
    folders = {Path(a.path).parts[0] for a in offline.VENDORED_ASSETS} - {"awesome-rotate"}
    for folder in folders:
        licences = list((offline.ASSETS_DIR / folder).glob("LICENSE*"))
        assert licences, f"no LICENSE in assets/{folder}"
    readme = (offline.ASSETS_DIR / "README.md").read_text(encoding="utf-8")
    for package in ("leaflet", "jquery", "bootstrap", "fontawesome-free", "awesome-markers"):
        assert package in readme


def test_minimal_map_is_self_contained() -> None:
    m = new_map((-6.12, 106.15), 10)
    raw = m.get_root().render()
    assert any(src.startswith("https://") for src in _script_srcs(raw)), "folium changed?"

    page = render_self_contained(m)

    assert _script_srcs(page) == []
    assert _link_hrefs(page) == []
    assert find_external_references(page) == []
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", page)
    # Leaflet's code is inline, once.
    assert page.count("leaflet@1.9.3: leaflet/leaflet.js") == 1
    assert 't.version="1.9.3"' in page
    # fonts and images are data: URIs
    assert "data:font/woff2;base64," in page
    assert "data:image/png;base64," in page
    assert ".ttf" not in page
    # no basemap unless asked for
    assert "tile.openstreetmap.org" not in page
    assert "L.tileLayer(" not in page


def test_new_map_refuses_tiles() -> None:
    with pytest.raises(OfflineMapError, match="add_online_basemap"):
        new_map((0, 0), 5, tiles="OpenStreetMap")


def test_online_basemap_is_guarded_by_navigator_online() -> None:
    m = new_map((-6.12, 106.15), 10)
    add_online_basemap(m)
    page = render_self_contained(m)
    assert "navigator.onLine" in page
    assert 'addEventListener("online"' in page
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in page
    # The tile URL template is a JS string, not a network reference.
    assert find_external_references(page) == []


def test_unvendored_external_script_raises_planner_error() -> None:
    m = new_map((0, 0), 5)
    root = m.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(
        folium.JavascriptLink("https://unpkg.com/leaflet.markercluster@1.5.3/dist/x.js")
    )
    with pytest.raises(PlannerError) as info:
        render_self_contained(m)
    assert "leaflet.markercluster" in str(info.value)


def test_external_image_in_popup_is_reported() -> None:
    m = new_map((0, 0), 5)
    folium.Marker((0, 0), popup=html_popup('<img src="https://example.org/a.png">')).add_to(m)
    with pytest.raises(OfflineMapError, match="embedded resource"):
        render_self_contained(m)


def test_inline_keeps_first_and_drops_duplicate_assets() -> None:
    page = (
        '<html><head><script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'
        '<script src="https://cdn.example/npm/jquery@3.7.1/dist/jquery.min.js"></script>'
        '<link rel="stylesheet" href="https://cdn.example/leaflet@1.9.4/dist/leaflet.css"/>'
        "</head><body></body></html>"
    )
    out = inline_offline_assets(page)
    assert out.count("jquery@3.7.1: jquery/jquery.min.js") == 1
    assert "leaflet@1.9.3: leaflet/leaflet.css" in out
    assert find_external_references(out) == []


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js", "leaflet-js"),
        ("https://unpkg.com/leaflet@1.9.4/dist/leaflet.css?v=1", "leaflet-css"),
        ("https://code.jquery.com/jquery-3.7.1.min.js", "jquery"),
        ("https://x/2.0.2/leaflet.awesome-markers.css", "awesome-markers-css"),
        ("https://x/bootstrap/3.0.0/css/bootstrap-glyphicons.css", "glyphicons-css"),
        ("https://x/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css", "fontawesome-css"),
        ("https://maxcdn.x/font-awesome/4.6.3/css/font-awesome.min.css", "fontawesome-css"),
        ("https://x/folium/templates/leaflet.awesome.rotate.min.css", "awesome-rotate-css"),
        ("https://cdn.x/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css", "bootstrap-css"),
    ],
)  # fmt: skip
def test_match_by_file_name(url: str, key: str) -> None:
    asset = match_vendored_asset(url)
    assert asset is not None
    assert asset.key == key


def test_match_unknown_is_none() -> None:
    assert match_vendored_asset("https://cdn.x/leaflet.markercluster.js") is None


def test_escape_html() -> None:
    assert escape_html(EVIL) == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escape_html(None) == ""
    assert escape_html(12) == "12"
    assert escape_html("a'b\"c&") == "a&#x27;b&quot;c&amp;"
    assert escape_html(EVIL_TEMPLATE) == "&#36;{alert(2)}&#96;&#92;u"
    assert format_html("<b>{}</b> {n}", EVIL, n="<i>") == (
        "<b>&lt;script&gt;alert(1)&lt;/script&gt;</b> &lt;i&gt;"
    )


def _evil_map() -> str:
    m = new_map((-6.12, 106.15), 10)
    group = folium.FeatureGroup(name=escape_html(EVIL + " group")).add_to(m)
    folium.Marker(
        (-6.12, 106.15),
        popup=text_popup(EVIL),
        tooltip=text_tooltip(EVIL_TEMPLATE),
        icon=numbered_icon(EVIL),
    ).add_to(group)
    folium.Marker(
        (-6.13, 106.16), popup=html_popup(format_html("<b>{}</b>", EVIL_TEMPLATE))
    ).add_to(m)
    add_legend(m, [(EVIL, "#ff0000")], title=EVIL)
    folium.LayerControl().add_to(m)
    return render_self_contained(m)


def test_user_text_is_escaped_in_rendered_map() -> None:
    page = _evil_map()
    # The only <script> tags are ours (inline code), never one from user text.
    assert "<script>alert(1)" not in page
    assert "alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # In the legend JSON, < > & are \\u-escaped, so the escaped label is still there.
    assert "\\u0026lt;script\\u0026gt;alert(1)" in page
    # No unescaped ${ from user text reaches a JS template literal.
    assert "${alert(2)}" not in page
    assert "&#36;{alert(2)}&#96;&#92;u" in page


def test_legend_rejects_bad_colours_all_at_once() -> None:
    m = new_map((0, 0), 5)
    with pytest.raises(OfflineMapError) as info:
        add_legend(m, [("a", "red;background:url(x)"), ("b", "#12345z"), ("c", "#00ff00")])
    assert len(info.value.problems) == 2


def test_legend_entries_render() -> None:
    m = new_map((0, 0), 5)
    add_legend(
        m,
        [LegendEntry("Tim 1 (Senin)", "#d62728", "dashed"), ("Desa pulau", "#1f77b4")],
        title="Legenda",
    )
    page = render_self_contained(m)
    assert "Tim 1 (Senin)" in page
    assert "dashed #d62728" in page
    assert "L.control(" in page


def test_save_self_contained_writes_one_file(tmp_path: Path) -> None:
    m = new_map((0, 0), 5)
    out = save_self_contained(m, tmp_path / "peta.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["peta.html"]
    with pytest.raises(OfflineMapError, match="does not exist"):
        save_self_contained(m, tmp_path / "missing" / "peta.html")


def test_relative_script_or_stylesheet_is_refused() -> None:
    page = '<html><head><script src="extra.js"></script></head><body></body></html>'
    with pytest.raises(OfflineMapError, match=r"separate file: extra\.js"):
        inline_offline_assets(page)
    page = '<html><head><link rel="stylesheet" href="peta.css"/></head></html>'
    with pytest.raises(OfflineMapError, match=r"separate file: peta\.css"):
        inline_offline_assets(page)
    ok = '<html><head><link rel="icon" href="data:,"/></head></html>'
    assert inline_offline_assets(ok) == ok


def test_vendored_files_match_their_checksums() -> None:
    """Vendored files are as tools/vendor_map_assets.sh wrote them (SHA256SUMS)."""
    import hashlib

    sums = (offline.ASSETS_DIR / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) >= 20
    for line in sums:
        digest, name = line.split(maxsplit=1)
        data = (offline.ASSETS_DIR / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, name
