"""``peta.html`` and the kecamatan pages of a planned week, in headless Chromium, offline.

A small Banten week (two Kab. Serang teams, one with a boat, the bundled estimate) is planned
once per module; the slow test renders the whole province with the example teams.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from planner.io.registry import Registry
from planner.present.maps.plan_common import SEA_HALO
from planner.week.types import WeekInputs

if TYPE_CHECKING:
    from tests.browser.conftest import PageInfo

pytestmark = pytest.mark.browser

WEEK = date(2017, 11, 13)
TEAMS = """
[[teams]]
id = "serang-darat"
name = "Tim Jemput Bola Kab. Serang (darat)"
depot = "dinas-36.04"
kits = 2

[[teams]]
id = "serang-pulau"
name = "Tim Jemput Bola Kab. Serang (pulau)"
depot = "dinas-36.04"
boat = true
"""
PULO_AMPEL = "36.04.08."
DAY_LAYER = re.compile(r" — (Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu) \d\d/\d\d$")


def _plan(
    region: Any,
    classified: Any,
    root: Path,
    teams_path: Path | None,
    seconds: float,
    only: str | None = None,
) -> dict[str, Any]:
    from planner.geo.estimate import load_demand
    from planner.io.plan_config import load_plan_config
    from planner.present.reports import write_plan_reports
    from planner.travel.regional import travel_model_for
    from planner.week.plan import plan_week

    teams, policy = load_plan_config(region, teams_path, None, {"time_limit_s": seconds})
    registry = load_demand(region, classified, None, policy.solver.seed)
    if only is not None:  # residents to record only there: the boat team surely crosses
        counts = registry.counts.copy()
        outside = ~counts.index.astype(str).str.startswith(only)
        for column in ("belum_rekam", "lansia", "disabilitas", "pemula"):
            counts.loc[outside, column] = 0
        counts["sudah_rekam"] = counts["wajib_ktp"] - counts["belum_rekam"]
        registry = Registry.from_frame(
            counts,
            source=registry.source,
            is_estimate=registry.is_estimate,
            estimate_model=registry.estimate_model,
        )
    travel = travel_model_for(region)
    plan = plan_week(
        WeekInputs(region, classified, registry, teams, policy, WEEK, travel), workers=2
    )
    out = root / "out"
    out.mkdir()
    write_plan_reports(plan, region, classified, out, travel=travel)
    return {"plan": plan, "out": out}


@pytest.fixture(scope="module")
def small_week(  # type: ignore[no-untyped-def]
    banten, banten_classified, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("plan_map")
    teams = root / "teams.toml"
    teams.write_text(TEAMS, encoding="utf-8")
    return _plan(banten, banten_classified, root, teams, 3)


@pytest.fixture(scope="module")
def island_week(  # type: ignore[no-untyped-def]
    banten, banten_classified, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Residents to record only in Kec. Pulo Ampel, whose Pulo Panjang is an island."""
    root = tmp_path_factory.mktemp("plan_map_island")
    teams = root / "teams.toml"
    teams.write_text(TEAMS, encoding="utf-8")
    return _plan(banten, banten_classified, root, teams, 2, only=PULO_AMPEL)


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def _layer_labels(page: PageInfo) -> list[str]:
    texts = page.page.locator(".leaflet-control-layers-overlays label").all_text_contents()
    return [t.strip() for t in texts]


def test_overview_map_offline(small_week: dict[str, Any], offline_page: PageInfo) -> None:
    plan = small_week["plan"]
    offline_page.open(small_week["out"] / "peta.html")
    offline_page.page.wait_for_selector(".jb-number-marker")
    assert offline_page.problems == []
    labels = _layer_labels(offline_page)
    # team-days are chosen with the Tim and Hari filters, not one checkbox each
    assert [t for t in labels if DAY_LAYER.search(t)] == []
    page = offline_page.page
    teams = page.locator("#jb-filter-team option").all_text_contents()
    days = page.locator("#jb-filter-day option").all_text_contents()
    assert len(teams) == 1 + plan.team_days["team_id"].nunique()
    assert len(days) == 1 + plan.team_days["date"].nunique()
    assert plan.itinerary.groupby(["team_id", "date"]).ngroups == len(plan.team_days)
    markers = page.locator(".jb-number-marker")
    assert markers.count() == len(plan.itinerary)
    one_team = str(plan.team_days["team_id"].iloc[0])
    page.select_option("#jb-filter-team", one_team)
    assert markers.count() == int((plan.itinerary["team_id"] == one_team).sum())
    one_day = str(plan.team_days["date"].iloc[0])
    page.select_option("#jb-filter-day", one_day)
    mine = (plan.itinerary["team_id"] == one_team) & (plan.itinerary["date"] == one_day)
    assert markers.count() == int(mine.sum())
    page.select_option("#jb-filter-team", "")
    page.select_option("#jb-filter-day", "")
    assert "Batas kecamatan" in labels and "Belum rekam per desa" in labels
    assert any(t.startswith("Tidak terjadwal") for t in labels)
    markers = offline_page.page.locator(".jb-number-marker")
    assert markers.count() == len(plan.itinerary)
    # markers are added team by team, day by day, in visit order
    first = plan.itinerary.sort_values(["team_id", "date", "order"]).iloc[0]
    markers.first.dispatch_event("click")
    popup = offline_page.page.locator(".leaflet-popup-content .jb-desa")
    popup.wait_for()
    assert str(first["desa"]) in popup.inner_text()
    content = offline_page.page.locator(".leaflet-popup-content").inner_text()
    assert "Perkiraan perekaman" in content and "November 2017" in content
    # the announced hours (quarter hours, as on the pages), then the team's exact minutes
    assert re.search(r"Jam pelayanan: \d\d\.(00|15|30|45)–\d\d\.(00|15|30|45)", content), content
    assert f"tim tiba {first['arrival']}" in content, content
    assert "ESTIMASI" in offline_page.page.locator(".jb-legend").first.inner_text()
    offline_page.screenshot("plan_map_serang")
    assert offline_page.problems == []


def test_overview_map_in_a_narrow_frame(
    small_week: dict[str, Any], narrow_offline_page: PageInfo
) -> None:
    """A frame narrower than the two side legends (the app's map on a small screen, or a frame
    laid out while hidden) opens without Leaflet's "Invalid LatLng (NaN, NaN)"."""
    narrow_offline_page.open(small_week["out"] / "peta.html")
    narrow_offline_page.page.wait_for_selector(".jb-number-marker")
    assert narrow_offline_page.problems == []


def _sea_paths(page: Any) -> int:
    """Drawn boat legs: a dashed line on a light-blue halo (SEA_HALO)."""
    return int(page.locator(f"path[stroke='{SEA_HALO}']").count())


def test_boat_legs_have_their_own_style_and_follow_the_filters(
    island_week: dict[str, Any], offline_page: PageInfo
) -> None:
    plan = island_week["plan"]
    days = plan.team_days
    crossing = days[days["boat_minutes"] > 0]
    assert len(crossing), "the boat team should cross to Pulo Panjang this week"
    offline_page.open(island_week["out"] / "peta.html")
    page = offline_page.page
    page.wait_for_selector(".jb-number-marker")
    text = (island_week["out"] / "peta.html").read_text(encoding="utf-8")
    assert "&#9875;" not in text and "\u2693" not in text  # ports: an SVG, no symbol font
    # every crossing day draws its legs: out and back, each a halo under a dashed line
    assert _sea_paths(page) >= 2 * len(crossing)
    assert page.locator("path[stroke-dasharray='8 7']").count() == _sea_paths(page)
    land = sorted(set(days["team_id"]) - set(crossing["team_id"]))
    if land:  # a team without a boat shows no sea leg
        page.select_option("#jb-filter-team", land[0])
        assert _sea_paths(page) == 0
    boat_team, boat_day = str(crossing["team_id"].iloc[0]), str(crossing["date"].iloc[0])
    page.select_option("#jb-filter-team", boat_team)
    page.select_option("#jb-filter-day", boat_day)
    assert _sea_paths(page) >= 2
    other = sorted(set(days.loc[days["team_id"] == boat_team, "date"]) - set(crossing["date"]))
    if other:  # the same team on a day on land
        page.select_option("#jb-filter-day", str(other[0]))
        assert _sea_paths(page) == 0
    assert offline_page.problems == []


def test_kecamatan_page_offline(small_week: dict[str, Any], offline_page: PageInfo) -> None:
    plan = small_week["plan"]
    pages = sorted((small_week["out"] / "kecamatan").glob("*.html"))
    assert pages
    page = pages[0]
    offline_page.open(page)
    offline_page.page.wait_for_selector(".jb-number-marker")
    assert offline_page.problems == []
    kode_kec = page.name.split("-")[0]
    in_kec = plan.itinerary[plan.itinerary["kode_desa"].str.startswith(kode_kec + ".")]
    rows = offline_page.page.locator(".jb-table tbody tr")
    assert rows.count() == len(in_kec) == offline_page.page.locator(".jb-number-marker").count()
    # the table's first row is marker 1; its popup names the same village
    first_desa = rows.first.locator("td").nth(3).inner_text()
    # sent alone on WhatsApp it still works: no link into a ../desa/ folder it does not have
    assert offline_page.page.locator("a[href*='../']").count() == 0
    hours = rows.first.locator("td").nth(2).inner_text()
    assert re.match(r"\d\d\.(00|15|30|45)–\d\d\.(00|15|30|45) WIB", hours), hours
    offline_page.page.locator(".jb-number-marker").first.dispatch_event("click")
    popup = offline_page.page.locator(".leaflet-popup-content .jb-desa")
    popup.wait_for()
    assert popup.inner_text() in first_desa
    # one time base: the popup gives the table's hours, not the team's exact minutes
    content = offline_page.page.locator(".leaflet-popup-content").inner_text()
    assert f"Jam pelayanan: {hours.removesuffix(' WIB').split(' ')[0]}" in content, content
    assert "tim tiba" not in content
    offline_page.page.emulate_media(media="print")
    assert not offline_page.page.locator(".leaflet-control-layers").is_visible()
    offline_page.page.emulate_media(media="screen")
    offline_page.screenshot("plan_kecamatan_page")
    assert offline_page.problems == []


def test_desa_announcement_has_no_script(
    small_week: dict[str, Any], offline_page: PageInfo
) -> None:
    page = sorted((small_week["out"] / "desa").glob("*.html"))[0]
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text and page.stat().st_size < 60_000
    offline_page.page.set_viewport_size({"width": 800, "height": 1100})
    offline_page.open(page)
    # notice-board type, and nothing wider than a phone held sideways
    size = offline_page.page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('table.jadwal')).fontSize)"
    )
    assert size >= 20, size
    wide = offline_page.page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 800, wide
    body = offline_page.page.locator("body").inner_text()
    assert "PENGUMUMAN" in body and "Kartu Keluarga (KK)" in body
    assert offline_page.page.locator("svg path").count() >= 1
    offline_page.screenshot("plan_desa_page")
    assert offline_page.problems == []


@pytest.mark.slow
def test_full_banten_overview(  # type: ignore[no-untyped-def]
    banten, banten_classified, tmp_path: Path, offline_page: PageInfo
) -> None:
    week = _plan(banten, banten_classified, tmp_path, None, 10)
    offline_page.page.set_viewport_size({"width": 1400, "height": 1000})
    offline_page.open(week["out"] / "peta.html")
    offline_page.page.wait_for_selector(".jb-number-marker")
    assert offline_page.problems == []
    plan = week["plan"]
    page = offline_page.page
    # 72 team-days: chosen with the Tim and Hari lists, not a 2,131-px list of checkboxes
    assert [t for t in _layer_labels(offline_page) if DAY_LAYER.search(t)] == []
    teams = page.locator("#jb-filter-team option").count()
    assert teams == 1 + plan.team_days["team_id"].nunique()
    assert page.locator("#jb-filter-day option").count() == 1 + plan.team_days["date"].nunique()
    # nothing the coordinator needs is hidden behind a legend
    boxes = [
        page.locator(sel).first.bounding_box()
        for sel in (".jb-filter", ".leaflet-control-layers", ".leaflet-control-zoom")
    ]
    legends = [page.locator(".jb-legend").nth(k).bounding_box() for k in range(3)]
    for box in boxes:
        assert box is not None and box["y"] + box["height"] <= 1000
        for legend in legends:
            assert legend is not None and not _overlap(box, legend), (box, legend)
    # a village visited on several days: its markers are fanned out, each one clickable
    markers = page.locator(".jb-number-marker")
    assert markers.count() == len(plan.itinerary)
    order = plan.itinerary.sort_values(["team_id", "date", "order"]).reset_index(drop=True)
    repeated = order.groupby("site_id").filter(lambda g: len(g) > 1)
    assert len(repeated), "some village of a Banten week takes several days"
    for _, group in repeated.groupby("site_id"):
        spots = {
            (round(b["x"]), round(b["y"]))
            for k in group.index
            if (b := markers.nth(int(k)).bounding_box()) is not None
        }
        assert len(spots) == len(group), group[["team_id", "date"]]
    offline_page.screenshot("plan_map_banten")
