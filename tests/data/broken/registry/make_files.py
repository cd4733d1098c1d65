"""Generate the broken (and awkward-but-loadable) registry files next to this script.

Run ``python tests/data/broken/registry/make_files.py``; the output is byte-for-byte the same
on every run (xlsx files get fixed timestamps), so the committed files can be regenerated and
compared. Every file uses Banten village codes (36.*); the tests use a small fixed set of known
codes (see ``KNOWN_CODES`` in ``tests/unit/test_inputs.py``). NIKs and names in the
person-level files are invented.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

HERE = Path(__file__).resolve().parent
OUT = HERE  # where the files go; main() can point it elsewhere
FIXED_TIME = (2017, 11, 13, 0, 0, 0)

HEADER = "kode_desa,nama_desa,wajib_ktp,sudah_rekam,belum_rekam\n"


def text(name: str, content: str, encoding: str = "utf-8") -> None:
    """Write a text file with ``\\n`` line endings (CRLF when written in ``content``)."""
    (OUT / name).write_bytes(content.encode(encoding))


def garbage(size: int) -> bytes:
    """Deterministic pseudo-random bytes (SHA-256 chain), with NULs and control bytes."""
    out = b""
    block = b"jemput-bola"
    while len(out) < size:
        block = hashlib.sha256(block).digest()
        out += block
    return out[:size]


def xlsx(
    name: str,
    rows: Sequence[Sequence[Any]],
    *,
    merges: Sequence[str] = (),
    title: str = "Sheet1",
    extra_sheets: Sequence[str] = (),
) -> None:
    """Write a one-table workbook, then fix zip and document timestamps (reproducible)."""
    workbook = openpyxl.Workbook()
    for extra in extra_sheets:
        workbook.create_sheet(extra, 0).append(["catatan", "lembar ini bukan data"])
    sheet = workbook["Sheet"]
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    fixed = dt.datetime(*FIXED_TIME)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    buffer = io.BytesIO()
    workbook.save(buffer)
    normalise_zip(buffer.getvalue(), OUT / name)


def normalise_zip(data: bytes, target: Path) -> None:
    """Rewrite a zip with fixed entry times and fixed core-property dates."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>2017-11-13T00:00:00Z",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dest.writestr(entry, content)
    target.write_bytes(out.getvalue())


def make_csv_files() -> None:
    """Counts-per-village CSV files: one problem (or one awkward feature) per file."""
    text("01_empty.csv", "")
    text("02_header_only.csv", HEADER)
    text(
        "03_missing_column.csv",
        "kode_desa,nama_desa,jumlah_penduduk,sudah_rekam\n36.01.01.2001,Sumberjaya,1500,1200\n",
    )
    text(
        "04_unknown_code.csv",
        HEADER + "36.01.01.2001,Sumberjaya,100,90,10\n36.01.01.2099,Tidak Ada,50,40,10\n",
    )
    text(
        "05_other_province.csv",
        HEADER
        + "36.01.01.2001,Sumberjaya,100,90,10\n"
        + "36.01.01.2002,Tunggaljaya,80,80,0\n"
        + "32.01.01.2001,Desa Jawa Barat,70,60,10\n",
    )
    text(
        "06_duplicate_rows.csv",
        HEADER
        + "36.01.01.2001,Sumberjaya,100,90,10\n"
        + "36.01.01.2002,Tunggaljaya,80,80,0\n"
        + "36.01.01.2001,Sumberjaya,100,90,10\n",
    )
    text(
        "07_contradictory_duplicates.csv",
        HEADER + "36.01.01.2003,Kertajaya,120,100,20\n36.01.01.2003,Kertajaya,130,100,30\n",
    )
    text(
        "08_negative_count.csv",
        HEADER + "36.01.01.2001,Sumberjaya,100,90,10\n36.01.01.2002,Tunggaljaya,80,-3,83\n",
    )
    text(
        "09_non_numeric.csv",
        "kode_desa,wajib_ktp,sudah_rekam,lansia\n36.01.01.2001,abc,90,4\n36.01.01.2002,80,70,n/a\n",
    )
    text(
        "10_fractional.csv",
        "kode_desa,wajib_ktp,belum_rekam,lansia\n"
        "36.01.01.2001,12.5,2,0\n"
        "36.01.01.2002,80,10,2.25\n"
        '36.01.01.2003,60,"3,5",1\n',
    )
    text(
        "11_huge_number.csv",
        "kode_desa,wajib_ktp,sudah_rekam\n36.01.01.2001,12000000,10\n36.01.01.2002,80,70\n",
    )
    text(
        "12_sudah_more_than_wajib.csv",
        "kode_desa,wajib_ktp,sudah_rekam\n36.01.01.2001,100,90\n36.01.01.2002,100,150\n",
    )
    text(
        "13_belum_more_than_wajib.csv",
        "kode_desa,wajib_ktp,belum_rekam\n36.01.01.2001,100,101\n36.01.01.2002,100,5\n",
    )
    text(
        "14_sum_mismatch.csv",
        HEADER + "36.01.01.2001,Sumberjaya,100,60,50\n36.01.01.2002,Tunggaljaya,80,70,10\n",
    )
    text(
        "15_semicolon_decimal_comma.csv",
        "Kode Desa;Nama Desa;Wajib KTP;Sudah Rekam;Belum Rekam;Lansia\n"
        "36.01.01.2001;Sumberjaya;1.234;1.200;34;12\n"
        "36.01.01.2002;Tunggaljaya;2,345;2.300,00;45;-\n"
        "36.01.02.2001;Cigorondong;980;900;80;7\n",
    )
    text(
        "16_latin1.csv",
        HEADER
        + "36.01.01.2001,Sumberjaya Pérak,100,90,10\n"
        + "36.01.01.2002,Tunggaljaya Ñ,80,80,0\n",
        encoding="latin-1",
    )
    text(
        "17_utf8_bom.csv",
        "\ufeffkode_desa,wajib_ktp,sudah_rekam,belum_rekam\r\n"
        "36.01.01.2001,100,90,10\r\n"
        "36.01.01.2002,80,80,0\r\n",
    )
    text(
        "18_codes_without_dots.csv",
        "KODE,WKTP,SUDAH REKAM\n3601012001,100,90\n 3601012002 ,80,75\n3601012003.0,60,50\n",
    )
    (OUT / "22_binary_garbage.txt").write_bytes(garbage(600))
    text(
        "25_no_header.csv",
        "36.01.01.2001,Sumberjaya,100,90,10\n36.01.01.2002,Tunggaljaya,80,80,0\n",
    )
    text(
        "26_bad_code_format.csv",
        HEADER
        + "36.1.1.2001,Sumberjaya,100,90,10\n"
        + "Desa Tunggaljaya,Tunggaljaya,80,80,0\n"
        + "36.01.01,Kec. Sumur,180,170,10\n"
        + ",Tanpa Kode,10,5,5\n"
        + "36.01.01.2004,Cigorondong,60,50,10\n",
    )
    (OUT / "27_old_excel.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    text("28_not_really.xlsx", HEADER + "36.01.01.2001,Sumberjaya,100,90,10\n")
    text(
        "31_estimate.csv",
        "kode_desa,wajib_ktp,sudah_rekam,belum_rekam,lansia,disabilitas,pemula,status,"
        "is_estimate,estimate_model\n"
        "36.01.01.2001,1000,970,30,0,0,0,estimasi,true,demo-calibrated-v1\n"
        "36.01.01.2002,800,760,40,0,0,0,estimasi,true,demo-calibrated-v1\n",
    )
    (OUT / "32_utf16_tab.txt").write_bytes(
        (
            "kode_desa\twajib_ktp\tsudah_rekam\n36.01.01.2001\t100\t90\n36.01.01.2002\t80\t80\n"
        ).encode("utf-16")
    )
    text(
        "34_nik_and_wajib.csv",
        "kode_desa,nik,wajib_ktp,sudah_rekam\n36.01.01.2001,,100,90\n",
    )
    text(
        "35_total_row.csv",
        "kode_desa;nama_desa;wajib_ktp;belum_rekam\n"
        "36.01.01.2001;Sumberjaya;100;10\n"
        "36.01.01.2002;Tunggaljaya;80;0\n"
        ";JUMLAH;180;10\n",
    )


PERSONS = [
    # nik, nama, tanggal_lahir, kode_desa, status_rekam, disabilitas
    ("3601014101500001", "Siti Aminah", "1950-01-01", "36.01.01.2001", "1", "0"),
    ("3601010112000002", "Ahmad Fauzi", "2000-12-01", "36.01.01.2001", "0", "0"),
    ("3601011505800003", "Dewi Lestari", "1980-05-15", "36.01.01.2001", "ya", "1"),
    ("3601012007750004", "Budi Santoso", "", "36.01.01.2001", "tidak", ""),
    ("3601015311570005", "Nurhayati Rahma", "1957-11-13", "36.01.01.2001", "Y", "0"),
    ("3601010102900006", "Joko Prasetyo", "01/02/1990", "3601012002", "sudah", "0"),
    ("3601011411560007", "Rina Marlina", "1957-11-14", "36.01.01.2002", "belum", "0"),
    ("3601010505010008", "Andi Wijaya", "05-05-2001", "36.01.01.2002", "N", "0"),
    ("3601020303880009", "Yuliani Putri", "1988-03-03", "36.01.02.2001", "belum", "0"),
    ("3601021010700010", "Hendra Gunawan", "1970-10-10", "36.01.02.2001", "BELUM", "1"),
]
PERSON_HEADER = ["NIK", "Nama Lengkap", "Tanggal Lahir", "Kode Desa", "Status Rekam", "Disabilitas"]


def make_person_files() -> None:
    """Person-level files: one row per wajib-KTP person (invented NIKs and names)."""
    lines = [",".join(PERSON_HEADER)] + [",".join(p) for p in PERSONS]
    text("23_person_level.csv", "\n".join(lines) + "\n")
    bad = [list(p) for p in PERSONS[:5]]
    bad[1][4] = "mungkin"  # row 3
    bad[3][4] = ""  # row 5
    bad[4][2] = "31-02-1957"  # row 6: no 31 February
    lines = [",".join(PERSON_HEADER)] + [",".join(p) for p in bad]
    text("24_person_bad_status.csv", "\n".join(lines) + "\n")
    dup = [list(p) for p in PERSONS[:4]]
    dup.append(list(PERSONS[1]))  # row 6 repeats row 3
    dup[2][3] = "Siti Aminah"  # row 4: a name typed into the code column
    lines = [",".join(PERSON_HEADER)] + [",".join(p) for p in dup]
    text("30_person_duplicate_nik.csv", "\n".join(lines) + "\n")
    rows: list[list[Any]] = [["Daftar wajib KTP per orang"], []]
    rows.append(["nik", "nama", "tgl_lahir", "kode_desa", "sudah_rekam", "difabel"])
    for nik, nama, born, kode, status, dis in PERSONS:
        birth: Any = dt.datetime.fromisoformat(born) if re.fullmatch(r"\d{4}-.*", born) else born
        rows.append([int(nik), nama, birth or None, kode, status, int(dis) if dis else None])
    xlsx("29_person_level.xlsx", rows, title="Data")


def make_xlsx_files() -> None:
    """Excel exports: two-row headers, merged cells, numbers stored as text."""
    xlsx(
        "19_excel_two_row_header.xlsx",
        [
            ["Kode Desa", "Nama Desa", "Jumlah", None, None],
            [None, None, "Wajib KTP", "Sudah Rekam", "Belum Rekam"],
            ["36.01.01.2001", "Sumberjaya", 100, 90, 10],
            ["36.01.01.2002", "Tunggaljaya", 80, 80, 0],
        ],
    )
    xlsx(
        "20_excel_merged_header.xlsx",
        [
            ["REKAPITULASI PEREKAMAN KTP-EL KABUPATEN PANDEGLANG", None, None, None, None],
            ["Keadaan s.d. 13 November 2017", None, None, None, None],
            ["Kode Desa", "Nama Desa", "Data KTP-el", None, None],
            [None, None, "Wajib KTP", "Sudah Rekam", "Belum Rekam"],
            [3601012001, "Sumberjaya", 100, 90, 10],
            [3601012002.0, "Tunggaljaya", 80, 80, 0],
            [3601022001, "Cigorondong", 60.0, 55, 5],
            [None, "JUMLAH", 240, 225, 15],
        ],
        merges=["A1:E1", "A2:E2", "A3:A4", "B3:B4", "C3:E3"],
        title="Rekap",
        extra_sheets=["Petunjuk"],
    )
    xlsx(
        "21_xlsx_text_numbers.xlsx",
        [
            ["kode_desa", "wajib_ktp", "sudah_rekam", "lansia"],
            ["36.01.01.2001", "1.234", "1.200", " 12 "],
            ["36.01.01.2002", "80", "80", ""],
            ["36.01.01.2003", "1,500", "1.450", "3"],
        ],
        title="data",
        extra_sheets=["Cover"],
    )
    xlsx(
        "33_merged_data_cell.xlsx",
        [
            ["kode_desa", "wajib_ktp", "sudah_rekam"],
            ["36.01.01.2001", 100, 90],
            [None, 80, 70],
            ["36.01.01.2002", 60, 50],
        ],
        merges=["A2:A3"],
    )


def make_more_files() -> None:
    """Government-table habits and other spreadsheet formats."""
    xlsx(
        "36_column_numbers.xlsx",
        [
            ["No", "Kode Wilayah", "Desa/Kelurahan", "Wajib KTP", "Sudah Rekam", "Belum Rekam"],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
            [1, "36.01.01.2001", "Sumberjaya", 100, 90, 10],
            [2, "36.01.01.2002", "Tunggaljaya", 80, 80, 0],
        ],
    )
    text(
        "37_code_and_kode_desa.csv",
        "kode,kode_desa,wajib_ktp,sudah_rekam\n"
        "3601,36.01.01.2001,100,90\n"
        "3601,36.01.01.2002,80,80\n",
    )
    text(
        "38_ambiguous_columns.csv",
        "kode,kd_desa,wajib_ktp,sudah_rekam\n36.01.01.2001,36.01.01.2001,100,90\n",
    )
    mimetype = b"application/vnd.oasis.opendocument.spreadsheet"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", date_time=FIXED_TIME), mimetype)
        archive.writestr(zipfile.ZipInfo("content.xml", date_time=FIXED_TIME), b"<office/>")
    (OUT / "39_opendocument.ods").write_bytes(out.getvalue())


def main(out: Path = HERE) -> None:
    """Write every file into ``out`` (default: next to this script)."""
    global OUT
    OUT = out
    make_csv_files()
    make_person_files()
    make_xlsx_files()
    make_more_files()


if __name__ == "__main__":
    main()
