"""``desa/<kode>-<nama>.html``: a one-page printable announcement (PENGUMUMAN) per village.

For the kepala desa to print and pin up: when the recording team comes (day, date, hours), to
which place, which team, who should come and what to bring, and a small map.

Why a static inline SVG map and not Leaflet: a week has up to ~100 visited villages; a
self-contained Leaflet page is ~0.3–1.4 MB before any data, an SVG of one village outline is a
few KB. The page needs no JavaScript, prints crisply on A4 and opens on any phone; the
interactive maps are ``peta.html`` and the kecamatan pages.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from planner.domain.workdays import format_tanggal
from planner.present.announce import (
    VillageTotals,
    break_inside,
    open_hours,
    people_text,
)

NO_VISIT = "Tidak ada lagi kunjungan tim minggu ini: kunjungan yang diumumkan dibatalkan."
"""The table of a village whose every announced visit was cancelled (re-plans)."""

SVG_WIDTH = 440
SVG_HEIGHT = 300


@dataclass(frozen=True)
class DesaVisit:
    """One visit of a team to a village (one team-day stop), times as the plan has them."""

    day: date
    start: str
    end: str
    team_name: str
    place: str
    lon: float
    lat: float
    recordings: int = 0
    """Expected recordings of this visit."""
    break_text: str = ""
    """The team's break that day as the plan has it (``"12:00-13:00"``), empty for none."""
    arrival: str = ""
    """How the team comes and where it sleeps when away from home
    (:func:`planner.present.routes.arrival_words`), empty for a plain land day trip."""


@dataclass(frozen=True)
class AnnouncementRow:
    """One line of an announcement, as residents read it (HTML and PDF alike)."""

    day: str
    hours: str
    rest: str
    place: str
    teams: str
    people: str


def visit_points(
    visits: Sequence[DesaVisit], places: Sequence[str]
) -> list[tuple[float, float, str]]:
    """``(lon, lat, number)`` of each place of a village's visits, numbered as in its table."""
    points = []
    for i, place in enumerate(places, start=1):
        first = next(v for v in visits if v.place == place)
        points.append((first.lon, first.lat, str(i)))
    return points


def announcement_rows(
    visits: Sequence[DesaVisit], timezone_label: str, totals: VillageTotals | None
) -> tuple[list[AnnouncementRow], list[str]]:
    """The rows of a village's announcement (one per day and place) and its places in order.

    Hours are when recording is open, rounded inwards to the quarter hour
    (:func:`planner.present.announce.open_hours`); the break is shown when it falls
    inside them; a visit that leaves residents for later says so.
    """
    places = list(dict.fromkeys(v.place for v in sorted(visits, key=lambda v: (v.day, v.start))))
    several = len(places) > 1
    keys = sorted(
        {(v.day, v.place) for v in visits},
        key=lambda k: (k[0], min(v.start for v in visits if (v.day, v.place) == k)),
    )
    counts = [sum(v.recordings for v in visits if (v.day, v.place) == k) for k in keys]
    rows = []
    for i, (day, place) in enumerate(keys):
        same = [v for v in visits if v.day == day and v.place == place]
        start, end = min(v.start for v in same), max(v.end for v in same)
        opens, closes = open_hours(start, end)
        rests = [r for v in same if (r := break_inside(v.break_text, start, end))]
        number = f"{places.index(place) + 1}. " if several else ""
        rows.append(
            AnnouncementRow(
                day=format_tanggal(day),
                hours=f"Pukul {opens}–{closes} {timezone_label}",
                rest=f"istirahat {rests[0]}" if rests else "",
                place=f"{number}{place}",
                teams=", ".join(
                    dict.fromkeys(
                        f"{v.team_name} ({v.arrival})" if v.arrival else v.team_name for v in same
                    )
                ),
                people=people_text(counts[i], totals, sum(counts[i + 1 :])),
            )
        )
    return rows, places


def esc(text: object) -> str:
    """HTML-escape a value (``None`` → empty)."""
    return "" if text is None else html.escape(str(text), quote=True)


def jam(clock: str) -> str:
    """``"08:22"`` → ``"08.22"`` (Indonesian clock notation)."""
    return clock.replace(":", ".")


def _path(geom: BaseGeometry, project: Callable[[float, float], tuple[float, float]]) -> str:
    parts = []
    for poly in getattr(geom, "geoms", [geom]):
        if not isinstance(poly, shapely.Polygon):
            continue
        for ring in [poly.exterior, *poly.interiors]:
            pts = [project(x, y) for x, y in ring.coords]
            parts.append("M" + "L".join(f"{px:.1f},{py:.1f}" for px, py in pts) + "Z")
    return "".join(parts)


def map_projection(
    village: BaseGeometry,
    points: Sequence[tuple[float, float, str]],
    width: float,
    height: float,
) -> tuple[Callable[[float, float], tuple[float, float]], BaseGeometry]:
    """Lon/lat → page units (y down) framing the village and its points, and the frame box.

    Shared by the SVG of the page and the drawing of the PDF, so both show the same map.
    """
    minx, miny, maxx, maxy = village.bounds
    for lon, lat, _ in points:
        minx, miny, maxx, maxy = min(minx, lon), min(miny, lat), max(maxx, lon), max(maxy, lat)
    pad_x, pad_y = (maxx - minx) * 0.35 + 0.002, (maxy - miny) * 0.35 + 0.002
    minx, maxx, miny, maxy = minx - pad_x, maxx + pad_x, miny - pad_y, maxy + pad_y
    kx = math.cos(math.radians((miny + maxy) / 2))
    scale = min(width / ((maxx - minx) * kx), height / (maxy - miny))
    ox = (width - (maxx - minx) * kx * scale) / 2
    oy = (height - (maxy - miny) * scale) / 2

    def project(x: float, y: float) -> tuple[float, float]:
        return ox + (x - minx) * kx * scale, oy + (maxy - y) * scale

    return project, shapely.box(minx, miny, maxx, maxy)


def village_svg(
    village: BaseGeometry,
    neighbours: Sequence[BaseGeometry],
    points: Sequence[tuple[float, float, str]],
    *,
    width: int = SVG_WIDTH,
    height: int = SVG_HEIGHT,
) -> str:
    """A static SVG of the village outline, its neighbours (light) and numbered visit points.

    Parameters
    ----------
    village
        The village polygon (EPSG:4326).
    neighbours
        Other polygons of its kecamatan, drawn light for orientation.
    points
        ``(lon, lat, label)`` of the visit points.
    """
    project, frame = map_projection(village, points, width, height)
    body = [f'<rect width="{width}" height="{height}" fill="#eef5fb"/>']
    for other in neighbours:
        clipped = other.intersection(frame)
        if not clipped.is_empty:
            body.append(
                f'<path d="{_path(clipped, project)}" fill="#f4f4f4" stroke="#9e9e9e" '
                'stroke-width="0.8"/>'
            )
    body.append(
        f'<path d="{_path(village, project)}" fill="#ffe0b2" stroke="#e65100" stroke-width="2"/>'
    )
    for lon, lat, label in points:
        px, py = project(lon, lat)
        body.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="11" fill="#1565c0" stroke="#fff" '
            f'stroke-width="2"/><text x="{px:.1f}" y="{py + 4:.1f}" text-anchor="middle" '
            f'font-size="12" font-weight="bold" fill="#fff">{esc(label)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="Peta desa">{"".join(body)}</svg>'
    )


PAGE_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#111;max-width:900px;margin:18px auto;
 padding:0 14px;line-height:1.4;font-size:20px}
h1{font-size:46px;letter-spacing:5px;text-align:center;margin:6px 0 0}
h2{font-size:24px;text-align:center;margin:4px 0 14px;font-weight:normal}
.kepada{font-size:21px;margin:10px 0}
table.jadwal{border-collapse:collapse;width:100%;font-size:21px;margin:8px 0}
table.jadwal th,table.jadwal td{border:1px solid #444;padding:8px 10px;text-align:left;
 vertical-align:top}
table.jadwal th{background:#e3ecf5}
.jam b{font-size:24px}
.istirahat{display:block;font-size:17px;color:#333}
.bawa{border:3px solid #1f4e78;border-radius:6px;padding:8px 16px;margin:14px 0;font-size:20px}
.bawa h3{margin:2px 0 6px;font-size:22px}
.peta{margin:10px auto;max-width:440px}
.catatan{font-size:15px;color:#444;margin-top:10px}
.estimasi{font-size:15px;color:#8a1c1c}
.ubah{border:3px solid #b71c1c;background:#fff3f3;padding:4px 14px;margin:8px 0}
.ubah h3{color:#b71c1c;margin:4px 0;letter-spacing:2px}
@page{size:A4 portrait;margin:10mm 12mm}
table.jadwal{table-layout:fixed}table.jadwal th:nth-child(1){width:19%}
table.jadwal th:nth-child(2){width:22%}table.jadwal th:nth-child(3){width:19%}
table.jadwal th:nth-child(4){width:23%}table.jadwal th:nth-child(5){width:17%}
table.jadwal td{overflow-wrap:anywhere}
@media print{body{margin:0 auto;max-width:none;font-size:15pt}.noprint{display:none}
 h1{font-size:34pt;margin:0}h2{font-size:17pt;margin:2px 0 8px}.kepada{font-size:15pt}
 table.jadwal{font-size:15pt}.jam b{font-size:17pt}.bawa{font-size:14pt}body{line-height:1.3}
 .peta{max-width:110mm}.peta svg{max-height:42mm}.catatan{margin-top:4px;font-size:10pt}
 table.jadwal tr{break-inside:avoid}table.jadwal th,table.jadwal td{padding:4px 7px}
 .bawa{margin:8px 0;padding:4px 12px}
 table.jadwal th{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def desa_page_html(
    *,
    kode: str,
    nama: str,
    kecamatan: str,
    kabupaten: str,
    is_kelurahan: bool,
    visits: Sequence[DesaVisit],
    village: BaseGeometry,
    neighbours: Sequence[BaseGeometry],
    timezone_label: str,
    week_start: date,
    is_estimate: bool,
    kecamatan_href: str | None = None,
    changes: Sequence[str] = (),
    totals: VillageTotals | None = None,
    travel_note: str = "",
) -> str:
    """The announcement page of one village (complete HTML, every data value escaped).

    ``travel_note``: a sentence on the travel times' error, printed under the table.

    ``changes``: one line per changed announced visit (old and new time, why); the page is
    then marked PERUBAHAN JADWAL. ``totals`` (the village's expected turnout and the week's
    planned recordings) makes a partial visit say that the rest comes later.
    """
    kind = "Kelurahan" if is_kelurahan else "Desa"
    office = "Kantor Kelurahan" if is_kelurahan else "Balai Desa"
    table, places = announcement_rows(visits, timezone_label, totals)
    several = len(places) > 1
    points = visit_points(visits, places)
    rows = [
        f"<tr><td class='tgl'><b>{esc(r.day)}</b></td>"
        f"<td class='jam'><b>{esc(r.hours)}</b>"
        + (f"<span class='istirahat'>({esc(r.rest)})</span>" if r.rest else "")
        + f"</td><td>{esc(r.place)}</td><td>{esc(r.people)}</td><td>{esc(r.teams)}</td></tr>"
        for r in table
    ] or [f"<tr><td colspan='5'><b>{NO_VISIT}</b></td></tr>"]
    estimasi = (
        '<p class="estimasi">Jadwal disusun dari data belum rekam ESTIMASI (bukan data resmi '
        "per desa).</p>"
        if is_estimate
        else ""
    )
    back = (
        f'<p class="noprint"><a href="{esc(kecamatan_href)}">Jadwal Kecamatan '
        f"{esc(kecamatan)}</a></p>"
        if kecamatan_href
        else ""
    )
    svg = village_svg(village, neighbours, points)
    changed = (
        '<div class="ubah"><h3>PERUBAHAN JADWAL</h3><ul>'
        + "".join(f"<li>{esc(line)}</li>" for line in changes)
        + "</ul><p>Jadwal di bawah ini adalah jadwal yang baru.</p></div>"
        if changes
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pengumuman perekaman KTP-el — {kind} {esc(nama)}</title>
<style>{PAGE_CSS}</style></head>
<body>
{back}
<h1>PENGUMUMAN</h1>
<h2>Pelayanan Perekaman KTP Elektronik (KTP-el) Jemput Bola</h2>
{changed}
<p class="kepada">Kepada warga <b>{kind} {esc(nama)}</b>, Kecamatan {esc(kecamatan)},
{esc(kabupaten)}.<br>
Tim perekaman Dinas Kependudukan dan Pencatatan Sipil akan datang ke {kind.lower()} Anda:</p>
<table class="jadwal"><thead><tr><th>Hari, tanggal</th><th>Jam pelayanan</th><th>Tempat</th>
<th>Perkiraan</th><th>Tim</th></tr></thead><tbody>{"".join(rows)}</tbody></table>
<p>Datanglah pada jam pelayanan; saat istirahat tim, pelayanan berhenti sebentar.</p>
{f'<p class="catatan">{esc(travel_note)}</p>' if travel_note else ""}
<p>Tempat: <b>{office} {esc(nama)}</b> atau tempat lain yang diumumkan kepala
{kind.lower()}/lurah (titik biru pada peta{", bernomor sesuai tempat" if several else ""}).</p>
<div class="bawa"><h3>Siapa yang datang dan apa yang dibawa</h3>
<ul>
<li>Warga berusia <b>17 tahun ke atas</b>, atau yang <b>sudah/pernah menikah</b>, yang
<b>belum pernah merekam KTP-el</b>.</li>
<li>Bawa <b>Kartu Keluarga (KK)</b> asli atau fotokopinya.</li>
<li>Pelayanan <b>tidak dipungut biaya</b>.</li>
<li>Warga lanjut usia atau penyandang disabilitas yang sulit datang: beri tahu kepala
{kind.lower()} atau ketua RT/RW.</li>
</ul></div>
<div class="peta">{svg}</div>
<p class="catatan">{kind} {esc(nama)} (kode {esc(kode)}). Jadwal untuk minggu mulai
{esc(format_tanggal(week_start))}; dapat berubah karena cuaca atau keadaan di lapangan —
tanyakan kepada kepala {kind.lower()}/lurah atau Disdukcapil.</p>
{estimasi}
</body></html>
"""


def kecamatan_neighbours(
    villages: gpd.GeoDataFrame, kode_kec: str, kode: str
) -> list[BaseGeometry]:
    """Polygons of the other villages of a kecamatan (for the page's small map)."""
    mask = (villages["kode_kec"] == kode_kec) & (villages["kode"] != kode)
    return list(villages.loc[mask, "geometry"])
