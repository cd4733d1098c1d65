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
DAY_LAYER = re.compile(r" — (Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu) \d\d/\d\d$")


def _plan(
    region: Any, classified: Any, root: Path, teams_path: Path | None, seconds: float
) -> dict[str, Any]:
    from planner.geo.estimate import load_demand
    from planner.io.plan_config import load_plan_config
    from planner.present.reports import write_plan_reports
    from planner.travel.regional import travel_model_for
    from planner.week.plan import plan_week

    teams, policy = load_plan_config(region, teams_path, None, {"time_limit_s": seconds})
    registry = load_demand(region, classified, None, policy.solver.seed)
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
    assert "ESTIMASI" in offline_page.page.locator(".jb-legend").first.inner_text()
    offline_page.screenshot("plan_map_serang")
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
    # a full week's 72 team-days are chosen with the Tim/Hari filters, not 72 checkboxes
    assert [t for t in _layer_labels(offline_page) if DAY_LAYER.search(t)] == []
    team_days = week["plan"].team_days
    teams = offline_page.page.locator("#jb-filter-team option").all_text_contents()
    assert len(teams) == 1 + team_days["team_id"].nunique()
    markers = offline_page.page.locator(".jb-number-marker")
    assert markers.count() == len(week["plan"].itinerary)
    offline_page.screenshot("plan_map_banten")
