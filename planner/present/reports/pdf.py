"""One A4 PDF per desa announcement and per kecamatan schedule, made without a browser.

Kepala desa receive the announcement on WhatsApp and print it; a PDF keeps its layout on any
phone and printer. Made with ReportLab (pure Python, ~9 MB installed, no system libraries):
WeasyPrint would render the HTML pages as they are, but needs Pango/HarfBuzz from the system,
which a district office's Windows laptop or a fresh CI machine may not have. The PDF is built
from the same rows as the HTML (:func:`planner.present.reports.desa.announcement_rows`), so the
two never disagree. Files are invariant (no creation time or random id): same plan, same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from reportlab.graphics.shapes import Circle, Drawing, Rect, String
from reportlab.graphics.shapes import Path as DrawingPath
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable
from shapely.geometry.base import BaseGeometry

from planner.domain.workdays import format_tanggal
from planner.present.reports.desa import NO_VISIT, AnnouncementRow, esc, map_projection

FONT, BOLD = "Helvetica", "Helvetica-Bold"
"""ReportLab's built-in fonts: every machine has them, and they hold – and ±."""

TITLE = ParagraphStyle("judul", fontName=BOLD, fontSize=34, leading=40, alignment=TA_CENTER)
SUBTITLE = ParagraphStyle("sub", fontName=FONT, fontSize=16, leading=20, alignment=TA_CENTER)
BODY = ParagraphStyle("isi", fontName=FONT, fontSize=14, leading=18)
CELL = ParagraphStyle("sel", fontName=FONT, fontSize=13, leading=16)
CELL_BOLD = ParagraphStyle("selb", parent=CELL, fontName=BOLD, fontSize=14, leading=17)
SMALL = ParagraphStyle("kecil", fontName=FONT, fontSize=9, leading=11, textColor=colors.grey)
ESTIMATE = ParagraphStyle("estimasi", parent=SMALL, textColor=colors.HexColor("#8a1c1c"))
HEADER_BG = colors.HexColor("#e3ecf5")
TITLE_SMALL = ParagraphStyle("judulkecil", fontName=BOLD, fontSize=18, leading=23)
CHANGE_RED = colors.HexColor("#b71c1c")
CHANGE_TITLE = ParagraphStyle("ubah", fontName=BOLD, fontSize=16, leading=20, textColor=CHANGE_RED)


def _table(header: Sequence[str], rows: list[list[Flowable]], widths: Sequence[float]) -> Table:
    head = [Paragraph(f"<b>{esc(h)}</b>", CELL) for h in header]
    table = Table([head, *rows], colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.8, colors.HexColor("#444444")),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _footer(text: str) -> object:
    def draw(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(FONT, 8)  # type: ignore[attr-defined]
        page = canvas.getPageNumber()  # type: ignore[attr-defined]
        canvas.drawString(12 * mm, 6 * mm, f"{text} — halaman {page}")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    return draw


def change_box(changes: Sequence[str], width: float) -> Table:
    """The red *PERUBAHAN JADWAL* box of a re-planned village (as on its HTML page)."""
    lines = "<br/>".join(f"• {esc(line)}" for line in changes)
    box = Table(
        [
            [Paragraph("PERUBAHAN JADWAL", CHANGE_TITLE)],
            [Paragraph(lines, CELL)],
            [Paragraph("Jadwal di bawah ini adalah jadwal yang baru.", CELL_BOLD)],
        ],
        colWidths=[width],
    )
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 2.5, CHANGE_RED),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fff3f3")),
            ]
        )
    )
    return box


def village_drawing(
    village: BaseGeometry,
    neighbours: Sequence[BaseGeometry],
    points: Sequence[tuple[float, float, str]],
    width: float = 110 * mm,
    height: float = 65 * mm,
) -> Drawing:
    """The page's small map as a vector drawing: village outline, neighbours, numbered points."""
    project, frame = map_projection(village, points, width, height)
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=colors.HexColor("#eef5fb"), strokeColor=None))

    def add(geom: BaseGeometry, fill: str, stroke: str, stroke_width: float) -> None:
        for poly in getattr(geom, "geoms", [geom]):
            if poly.geom_type != "Polygon":
                continue
            for ring in [poly.exterior, *poly.interiors]:
                path = DrawingPath(
                    fillColor=colors.HexColor(fill),
                    strokeColor=colors.HexColor(stroke),
                    strokeWidth=stroke_width,
                )
                for k, (x, y) in enumerate(ring.coords):
                    px, py = project(x, y)
                    (path.moveTo if k == 0 else path.lineTo)(px, height - py)
                path.closePath()
                drawing.add(path)

    for other in neighbours:
        clipped = other.intersection(frame)
        if not clipped.is_empty:
            add(clipped, "#f4f4f4", "#9e9e9e", 0.5)
    add(village, "#ffe0b2", "#e65100", 1.5)
    for lon, lat, label in points:
        px, py = project(lon, lat)
        drawing.add(
            Circle(
                px, height - py, 7, fillColor=colors.HexColor("#1565c0"), strokeColor=colors.white
            )
        )
        drawing.add(
            String(
                px,
                height - py - 3.5,
                label,
                fontName=BOLD,
                fontSize=9,
                fillColor=colors.white,
                textAnchor="middle",
            )
        )
    return drawing


def write_desa_pdf(
    path: Path,
    *,
    kind: str,
    nama: str,
    kecamatan: str,
    kabupaten: str,
    office: str,
    rows: Sequence[AnnouncementRow],
    map_drawing: Drawing,
    week_start: date,
    is_estimate: bool,
    kode: str,
    changes: Sequence[str] = (),
) -> Path:
    """The announcement of one village as a one-page A4 PDF (same rows as its HTML page).

    ``changes`` (one line per changed announced visit) puts the *PERUBAHAN JADWAL* box of the
    HTML page under the title: a kepala desa who printed the first announcement must see that
    this one replaces it.
    """
    story: list[Flowable] = [
        Paragraph("PENGUMUMAN", TITLE),
        Paragraph("Pelayanan Perekaman KTP Elektronik (KTP-el) Jemput Bola", SUBTITLE),
        Spacer(1, 5 * mm),
    ]
    if changes:
        story += [change_box(changes, A4[0] - 24 * mm), Spacer(1, 3 * mm)]
    story += [
        Paragraph(
            f"Kepada warga <b>{esc(kind)} {esc(nama)}</b>, Kecamatan {esc(kecamatan)}, "
            f"{esc(kabupaten)}. Tim perekaman Dinas Kependudukan dan Pencatatan Sipil akan "
            f"datang ke {esc(kind.lower())} Anda:",
            BODY,
        ),
        Spacer(1, 3 * mm),
    ]
    cells = [
        [
            Paragraph(f"<b>{esc(r.day)}</b>", CELL),
            Paragraph(
                # "Pukul" is the column's header here: the hours stay on one line
                f"<b>{esc(r.hours.removeprefix('Pukul '))}</b>"
                + (f"<br/><font size='12'>({esc(r.rest)})</font>" if r.rest else ""),
                CELL_BOLD,
            ),
            Paragraph(esc(r.place), CELL),
            Paragraph(esc(r.people), CELL),
        ]
        for r in rows
    ]
    widths = [40 * mm, 48 * mm, 50 * mm, 48 * mm]
    if cells:
        header = ["Hari, tanggal", "Jam pelayanan", "Tempat", "Perkiraan"]
        story.append(_table(header, cells, widths))
    else:  # every announced visit cancelled (re-plans): the page says so, no empty table
        story.append(Paragraph(f"<b>{esc(NO_VISIT)}</b>", TITLE_SMALL))
    story += [
        Spacer(1, 3 * mm),
        Paragraph(
            f"Tempat: <b>{esc(office)} {esc(nama)}</b> atau tempat lain yang diumumkan kepala "
            f"{esc(kind.lower())}/lurah. Saat istirahat tim, pelayanan berhenti sebentar.",
            BODY,
        ),
        Spacer(1, 3 * mm),
        Paragraph("<b>Siapa yang datang dan apa yang dibawa</b>", BODY),
        Paragraph(
            "• Warga berusia <b>17 tahun ke atas</b>, atau yang <b>sudah/pernah menikah</b>, "
            "yang <b>belum pernah merekam KTP-el</b>.<br/>"
            "• Bawa <b>Kartu Keluarga (KK)</b> asli atau fotokopinya.<br/>"
            "• Pelayanan <b>tidak dipungut biaya</b>.<br/>"
            "• Warga lanjut usia atau penyandang disabilitas yang sulit datang: beri tahu "
            f"kepala {esc(kind.lower())} atau ketua RT/RW.",
            BODY,
        ),
        Spacer(1, 3 * mm),
        map_drawing,
        Spacer(1, 2 * mm),
        Paragraph(
            f"{esc(kind)} {esc(nama)} (kode {esc(kode)}). Jadwal untuk minggu mulai "
            f"{esc(format_tanggal(week_start))}; dapat berubah karena cuaca atau keadaan di "
            f"lapangan: tanyakan kepada kepala {esc(kind.lower())}/lurah atau Disdukcapil.",
            SMALL,
        ),
    ]
    if is_estimate:
        story.append(
            Paragraph(
                "Jadwal disusun dari data belum rekam ESTIMASI (bukan data resmi per desa).",
                ESTIMATE,
            )
        )
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=10 * mm,
        bottomMargin=12 * mm,
        title=f"Pengumuman perekaman KTP-el {kind} {nama}",
        invariant=1,
    )
    footer = _footer(f"Pengumuman KTP-el {kind} {nama}")
    # one sheet to pin up, whatever the number of rows and changes: shrink rather than spill
    page = KeepInFrame(doc.width, doc.height - 12, story, mode="shrink")
    doc.build([page], onFirstPage=footer, onLaterPages=footer)
    return path


def write_kecamatan_pdf(
    path: Path,
    *,
    title: str,
    subtitle: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    is_estimate: bool,
) -> Path:
    """A kecamatan's schedule as an A4 landscape PDF (page numbers on every page)."""
    width = landscape(A4)[0] - 24 * mm
    shares = [0.05, 0.2, 0.17, 0.22, 0.13, 0.23]
    cells = [[Paragraph(esc(v), CELL) for v in row] for row in rows]
    story: list[Flowable] = [
        Paragraph(
            esc(title), ParagraphStyle("kt", parent=BODY, fontName=BOLD, fontSize=18, leading=22)
        ),
        Paragraph(esc(subtitle), BODY),
        Spacer(1, 3 * mm),
        _table(header, cells, [width * s for s in shares]),
        Spacer(1, 2 * mm),
        Paragraph(
            "Jam pelayanan: jam perekaman dibuka, dibulatkan ke seperempat jam; saat istirahat "
            "tim pelayanan berhenti sebentar.",
            SMALL,
        ),
    ]
    if is_estimate:
        story.append(
            Paragraph(
                "ESTIMASI: angka perkiraan perekaman dibuat model dari total resmi, bukan data "
                "resmi per desa.",
                ESTIMATE,
            )
        )
    doc = SimpleDocTemplate(
        str(path),
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=10 * mm,
        bottomMargin=12 * mm,
        title=title,
        invariant=1,
    )
    footer = _footer(title)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return path
