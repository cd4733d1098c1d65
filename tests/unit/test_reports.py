"""People-facing reports of a plan: jadwal.xlsx, routes.gpx/geojson, peta.html and the pages.

One small Banten week is planned once per module: two Kab. Serang teams (one with a boat), a
person-level registry (NIK, names) for a handful of villages including the island Pulo
Panjang, and two villages renamed in memory to hostile names (markup, a path, a template
literal) so that escaping and file naming are tested on real outputs.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import random
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import gpxpy
import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib.image import imread
from openpyxl import load_workbook

from planner.present.frames import page_name, slugify
from planner.present.reports.jadwal import FIRST_TABLE_ROW, TEAM_COLUMNS, write_jadwal_xlsx
from planner.week.types import WeekInputs

WEEK = date(2017, 11, 13)
EVIL = "<script>alert(1)</script>"
EVIL_PATH = "../x`${alert(2)}`"
PULO_PANJANG = "36.04.08.2009"
GRENYANG = (106.114351, -5.931147)
TEAMS = """
[[teams]]
id = "serang-darat"
name = "Tim Uji Darat"
depot = "dinas-36.04"
kits = 2

[[teams]]
id = "serang-pulau"
name = "Tim Uji Pulau"
depot = "dinas-36.04"
boat = true
kits = 1
"""


def _persons(codes: list[str], seed: int = 5) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for k, code in enumerate(codes):
        n = 160 if k < 3 else 40
        for i in range(n):
            rows.append(
                {
                    "nik": f"3604{rng.randrange(10**11, 10**12):012d}",
                    "nama": f"Warga Qx{k:02d}{i:04d}zv",
                    "tanggal_lahir": f"{rng.randrange(1950, 2000)}-0{1 + i % 9}-1{i % 9}",
                    "kode_desa": code,
                    "status_rekam": "belum" if i % 5 else "sudah",
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def reports(banten, banten_classified, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from planner.geo.estimate import load_demand
    from planner.io.plan_config import load_plan_config
    from planner.present.reports import write_plan_reports
    from planner.travel.regional import travel_model_for
    from planner.week.plan import plan_week
    from planner.week.plan_file import write_plan_json

    root = tmp_path_factory.mktemp("reports")
    villages = banten.villages
    mainland = villages[(villages["kode_kec"] == "36.04.08") & (villages["kode"] != PULO_PANJANG)]
    codes = [PULO_PANJANG, *list(mainland["kode"])[:5]]
    renamed = {codes[1]: EVIL, codes[2]: EVIL_PATH}

    def rename(frame: Any, column: str) -> Any:
        out = frame.copy()
        out["nama"] = [
            renamed.get(str(k), n) for k, n in zip(out[column], out["nama"], strict=True)
        ]
        return out

    region = dataclasses.replace(banten, villages=rename(banten.villages, "kode"))
    classified = dataclasses.replace(
        banten_classified,
        villages=rename(banten_classified.villages, "kode"),
        sites=rename(banten_classified.sites, "kode_desa"),
    )
    persons = _persons(codes)
    registry_path = root / "register.csv"
    persons.to_csv(registry_path, index=False)
    teams_path = root / "teams.toml"
    teams_path.write_text(TEAMS, encoding="utf-8")
    teams, policy = load_plan_config(region, teams_path, None, {"time_limit_s": 3})
    registry = load_demand(region, None, registry_path, 0)
    travel = travel_model_for(region)
    plan = plan_week(WeekInputs(region, classified, registry, teams, policy, WEEK, travel))
    out = root / "out"
    out.mkdir()
    write_plan_json(plan, out / "plan.json")
    paths = write_plan_reports(plan, region, classified, out, travel=travel)
    return {"plan": plan, "out": out, "paths": paths, "persons": persons, "renamed": renamed}


def _document(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    return data


def test_every_report_is_written(reports: dict[str, Any]) -> None:
    out: Path = reports["out"]
    paths: list[Path] = reports["paths"]
    assert all(p.is_file() and out in p.parents for p in paths)
    names = {p.name for p in paths}
    assert {"jadwal.xlsx", "routes.gpx", "routes.geojson", "peta.html"} <= names
    visited = set(reports["plan"].itinerary["kode_desa"])
    desa = sorted((out / "desa").glob("*.html"))
    assert len(desa) == len(visited) > 0
    assert {p.name.split("-")[0] for p in desa} == visited
    assert sorted(p.with_suffix(".html") for p in (out / "desa").glob("*.pdf")) == desa
    kecamatan = sorted((out / "kecamatan").glob("*.html"))
    assert len(kecamatan) >= 1
    assert sorted(p.with_suffix(".html") for p in (out / "kecamatan").glob("*.pdf")) == kecamatan


def test_jadwal_holds_every_stop_with_real_dates_and_times(reports: dict[str, Any]) -> None:
    out: Path = reports["out"]
    document = _document(out)
    book = load_workbook(out / "jadwal.xlsx")
    teams = sorted(document["teams"])
    assert book.sheetnames == ["Ringkasan", "Lembar sopir", *teams, "Tidak terjadwal"]
    headers = [h for h, _ in TEAM_COLUMNS]
    stops = 0
    for team in teams:
        sheet = book[team]
        assert sheet.freeze_panes == f"A{FIRST_TABLE_ROW + 1}"
        assert sheet.page_setup.orientation == "landscape"
        setup = sheet.sheet_properties.pageSetUpPr
        assert setup is not None and setup.fitToPage
        row = [c.value for c in sheet[FIRST_TABLE_ROW]]
        assert row == headers
        expected = [
            (day["date"], visit)
            for day in document["team_days"]
            if day["team_id"] == team
            for visit in day["visits"]
        ]
        cells = list(sheet.iter_rows(min_row=FIRST_TABLE_ROW + 1, values_only=True))
        cells = [c for c in cells if c[0] is not None]
        assert len(cells) == len(expected)
        for values, (day, visit) in zip(cells, expected, strict=True):
            got = dict(zip(headers, values, strict=True))
            assert isinstance(got["Tanggal"], datetime) and got["Tanggal"].date().isoformat() == day
            for header, key in (("Tiba", "arrival"), ("Mulai rekam", "start"), ("Selesai", "end")):
                clock = got[header]
                assert isinstance(clock, time) and clock.strftime("%H:%M") == visit[key]
            assert got["Urutan"] == visit["order"]
            assert got["Kode desa"] == visit["kode_desa"]
            assert got["Desa/Kelurahan"] == visit["desa"]
            assert got["Perkiraan perekaman"] == visit["expected_recordings"]
            # what --done reads back (branch replan): team, date and village on the row
            assert got["ID tim"] == team and got["Terekam"] is None
            assert "_" not in got["Kelas desa"]
            assert got["Cakupan kunjungan"] and "/" not in got["Cakupan kunjungan"]
        stops += len(cells)
    assert stops == document["summary"]["stops"] > 0
    left = book["Tidak terjadwal"]
    rows = [r for r in left.iter_rows(min_row=FIRST_TABLE_ROW + 1, values_only=True) if r[0]]
    assert len(rows) == len(document["unplanned"])
    assert all(r[-1] for r in rows), "every village left out has a reason"
    summary = book["Ringkasan"]
    assert "minggu mulai Senin, 13 November 2017" in str(summary["A1"].value)
    assert "ESTIMASI" not in str(summary["A2"].value)


def test_jadwal_title_says_estimasi(reports: dict[str, Any], tmp_path: Path) -> None:
    plan = reports["plan"]
    estimated = dataclasses.replace(plan, meta={**plan.meta, "is_estimate": True})
    write_jadwal_xlsx(estimated, tmp_path / "j.xlsx")
    book = load_workbook(tmp_path / "j.xlsx")
    for sheet in book.worksheets:
        assert "ESTIMASI" in str(sheet["A2"].value), sheet.title


def test_gpx_matches_the_itinerary(reports: dict[str, Any]) -> None:
    out: Path = reports["out"]
    itinerary: pd.DataFrame = reports["plan"].itinerary
    with (out / "routes.gpx").open(encoding="utf-8") as fh:
        gpx = gpxpy.parse(fh)
    days = itinerary.groupby(["team_id", "date"], sort=True)
    assert len(gpx.tracks) == days.ngroups == len(reports["plan"].team_days)
    assert all(len(t.segments[0].points) >= 2 for t in gpx.tracks)
    ordered = itinerary.sort_values(["team_id", "date", "order"]).to_dict("records")
    assert len(gpx.waypoints) == len(ordered)
    for wpt, row in zip(gpx.waypoints, ordered, strict=True):
        assert str(wpt.name).endswith(f"#{row['order']} {row['desa']}")
        assert abs(wpt.latitude - row["lat"]) < 1e-6 and abs(wpt.longitude - row["lon"]) < 1e-6
    # every track starts and ends at the depot
    for track in gpx.tracks:
        first, last = track.segments[0].points[0], track.segments[0].points[-1]
        assert (first.latitude, first.longitude) == (last.latitude, last.longitude)


def test_geojson_is_valid_lines_and_points(reports: dict[str, Any]) -> None:
    out: Path = reports["out"]
    data = json.loads((out / "routes.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    lines = [f for f in data["features"] if f["geometry"]["type"] == "LineString"]
    points = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    assert len(lines) == len(reports["plan"].team_days)
    assert len(points) == len(reports["plan"].itinerary)
    for feature in data["features"]:
        geom = shapely.geometry.shape(feature["geometry"])
        assert geom.is_valid and not geom.is_empty
        minx, miny, maxx, maxy = geom.bounds
        assert 105.0 < minx <= maxx < 107.0 and -7.5 < miny <= maxy < -5.5
    assert {p["properties"]["team_id"] for p in points} == {
        line["properties"]["team_id"] for line in lines
    }


def test_island_trip_is_drawn_through_the_port(reports: dict[str, Any]) -> None:
    itinerary: pd.DataFrame = reports["plan"].itinerary
    island = itinerary[itinerary["kode_desa"] == PULO_PANJANG]
    assert len(island), "the boat team visits Pulo Panjang (160 in the registry)"
    assert (island["team_id"] == "serang-pulau").all() and (island["boat_minutes"] > 0).all()
    data = json.loads((reports["out"] / "routes.geojson").read_text(encoding="utf-8"))
    days = set(island["date"])
    for line in data["features"]:
        props = line["properties"]
        if (
            props["feature"] == "rute"
            and props["team_id"] == "serang-pulau"
            and props["date"] in days
        ):
            assert props["sea_crossing"] is True
            coords = [tuple(c) for c in line["geometry"]["coordinates"]]
            assert any(
                abs(x - GRENYANG[0]) < 1e-5 and abs(y - GRENYANG[1]) < 1e-5 for x, y in coords
            )
    # the stop popup names the port once ("Perahu lewat Pelabuhan Grenyang …")
    page = (reports["out"] / "peta.html").read_text(encoding="utf-8")
    assert f"Perahu lewat {island['ports'].iloc[0]}" in page
    assert "pelabuhan pelabuhan" not in page.lower()


def _html_files(out: Path) -> list[Path]:
    return [
        out / "peta.html",
        *sorted((out / "kecamatan").glob("*.html")),
        *(out / "desa").glob("*.html"),
    ]


def test_hostile_names_are_escaped_everywhere(reports: dict[str, Any]) -> None:
    out: Path = reports["out"]
    renamed: dict[str, str] = reports["renamed"]
    visited = set(reports["plan"].itinerary["kode_desa"])
    assert set(renamed) <= visited, "both renamed villages are visited"
    seen = 0
    for path in _html_files(out):
        text = path.read_text(encoding="utf-8")
        assert EVIL not in text, path
        assert "alert(1)</" not in text and "<script>alert" not in text, path
        if path.parent.name != "desa":  # folium pages: template literals must stay inert
            assert "${alert(2)}" not in text, path
        if "&lt;script&gt;alert(1)&lt;/script&gt;" in text:
            seen += 1
    # peta.html, the village's kecamatan page and its announcement show it escaped
    assert seen >= 3
    desa = (out / "desa" / page_name(next(iter(renamed)), EVIL)).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in desa


def test_page_file_names_are_safe(reports: dict[str, Any]) -> None:
    out: Path = reports["out"]
    for folder in ("desa", "kecamatan"):
        for path in (out / folder).iterdir():
            assert re.fullmatch(r"[0-9.]+-[a-z0-9-]+\.(html|pdf)", path.name), path.name
            assert path.resolve().parent == (out / folder).resolve()
    assert not (out / "x.html").exists() and not (out.parent / "x.html").exists()


def test_no_output_holds_a_nik_or_a_name(reports: dict[str, Any]) -> None:
    persons: pd.DataFrame = reports["persons"]
    secrets = set(persons["nik"]) | set(persons["nama"]) | {n.split()[-1] for n in persons["nama"]}
    secrets |= {nik[:12] for nik in persons["nik"]}
    out: Path = reports["out"]
    blobs: list[tuple[str, bytes]] = []
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        blobs.append((str(path), data))
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                blobs += [(f"{path}:{n}", z.read(n)) for n in z.namelist()]
    leaks = [(name, s) for name, data in blobs for s in secrets if s.encode() in data]
    assert leaks == []


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Pulo Panjang", "pulo-panjang"),
        (EVIL, "script-alert-1-script"),
        ("../x", "x"),
        ("..", "tanpa-nama"),
        ("Cipadu Jaya/Ciledug\\x", "cipadu-jaya-ciledug-x"),
        ("Désa Ñ", "desa-n"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert "/" not in page_name("36.04/../1", text) and page_name("36.04", text).endswith(".html")


# --------------------------------------------------------------------------- announcements

QUARTER_HOURS = re.compile(r"(\d\d)\.(\d\d)–(\d\d)\.(\d\d)")


def _hours(text: str) -> list[tuple[str, str]]:
    return [(f"{a}.{b}", f"{c}.{d}") for a, b, c, d in QUARTER_HOURS.findall(text)]


def test_pages_use_one_quarter_hour_time_base(reports: dict[str, Any]) -> None:
    out: Path = reports["out"]
    desa_hours: set[tuple[str, str]] = set()
    for page in (out / "desa").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "../kecamatan/" not in text, page  # sent alone, it has no broken links
        shown = _hours(text.split("<tbody>")[1].split("</tbody>")[0])
        assert shown, page
        desa_hours |= set(shown)
    kec_hours: set[tuple[str, str]] = set()
    for page in (out / "kecamatan").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "../desa/" not in text, page
        kec_hours |= set(_hours(text.split("<tbody>")[-1].split("</tbody>")[0]))
    for start, end in desa_hours | kec_hours:
        assert start[-2:] in ("00", "15", "30", "45") and end[-2:] in ("00", "15", "30", "45")
        assert start < end
    # the camat's table and the kades' announcements give the same hours
    assert {h for h in kec_hours if h not in desa_hours} <= set(), (kec_hours, desa_hours)


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} missing; CI must look at the PDFs (make browser-deps)")
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def _render(pdf: Path, tmp_path: Path) -> list[np.ndarray]:
    prefix = tmp_path / pdf.stem
    subprocess.run([_poppler("pdftoppm"), "-png", "-r", "40", str(pdf), str(prefix)], check=True)
    return [imread(str(p)) for p in sorted(tmp_path.glob(f"{pdf.stem}*.png"))]


def _text(pdf: Path) -> str:
    done = subprocess.run(
        [_poppler("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def test_every_desa_pdf_is_one_a4_page_that_says_what_its_page_says(
    reports: dict[str, Any],
    tmp_path: Path,
) -> None:
    out: Path = reports["out"]
    seen_evil = False
    for pdf in sorted((out / "desa").glob("*.pdf")):
        pages = _render(pdf, tmp_path)
        assert len(pages) == 1, pdf
        height, width = pages[0].shape[:2]
        assert abs(width / height - 210 / 297) < 0.01, (pdf, width, height)  # A4 portrait
        ink = pages[0][..., :3].mean(axis=2) < 0.5
        assert 0.01 < ink.mean() < 0.5, "a page with text and a map, not blank, not black"
        assert ink[: height // 2].any() and ink[height // 2 :].any()
        text = _text(pdf)
        assert "PENGUMUMAN" in text and "Kartu Keluarga" in text
        html = pdf.with_suffix(".html").read_text(encoding="utf-8")
        body = html.split("<tbody>")[1].split("</tbody>")[0]
        for start, end in _hours(body):
            assert f"{start}–{end}" in text, (pdf, start, end)
        seen_evil |= EVIL in text  # a hostile name is printed as text, never as markup
    assert seen_evil


def test_kecamatan_pdf_is_a4_landscape_with_every_visit(
    reports: dict[str, Any],
    tmp_path: Path,
) -> None:
    out: Path = reports["out"]
    plan = reports["plan"]
    for pdf in sorted((out / "kecamatan").glob("*.pdf")):
        pages = _render(pdf, tmp_path)
        height, width = pages[0].shape[:2]
        assert abs(width / height - 297 / 210) < 0.01, (pdf, width, height)
        text = _text(pdf)
        assert "Jadwal jemput bola KTP-el" in text and "halaman 1" in text
        kode_kec = pdf.name.split("-")[0]
        visits = plan.itinerary[plan.itinerary["kode_desa"].str.startswith(kode_kec + ".")]
        assert f"{len(visits)} kunjungan" in text


def test_driver_sheet_has_a_page_per_team_day(reports: dict[str, Any]) -> None:
    out: Path = reports["out"]
    document = _document(out)
    sheet = load_workbook(out / "jadwal.xlsx")["Lembar sopir"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    text = "\n".join(str(c) for c in cells)
    days = document["team_days"]
    assert text.count("Berangkat dari ") == len(days) == text.count("Kembali di ")
    assert len(sheet.row_breaks.brk) == len(days) - 1  # one printed page per team-day
    assert "&P" in sheet.oddFooter.right.text and "&D" in sheet.oddFooter.left.text
    for day in days:
        assert f"pukul {day['depart']}" in text and f"pukul {day['return']}" in text
        # the office name as written: only the km figure gets a decimal comma
        assert f"Kembali di {day['end_name']} pukul {day['return']}" in text
        for visit in day["visits"]:
            assert f"{visit['lat']:.6f}, {visit['lon']:.6f}" in text
    links = [c.hyperlink.target for row in sheet.iter_rows() for c in row if c.hyperlink]
    assert len(links) == sum(len(d["visits"]) for d in days)
    assert all(link.startswith("https://www.google.com/maps/search/") for link in links)
    crossings = [v for d in days for v in d["visits"] if v["boat_minutes"] > 0]
    assert crossings, "the week should cross to Pulo Panjang"
    for visit in crossings:  # the boat leg names its port, once ("Pelabuhan Grenyang")
        assert f"termasuk perahu ± {visit['boat_minutes']:.0f} menit, {visit['ports']}" in text
    assert "pelabuhan pelabuhan" not in text.lower()
    assert any(d.get("return_ports") for d in days) == ("perahu lewat" in text)
