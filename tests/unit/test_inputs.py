"""Tests for planner.io.registry: registry loading, validation, aggregation and privacy."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import re
import tempfile
from pathlib import Path
from types import ModuleType

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.errors import InputError
from planner.io.registry import (
    COUNT_COLUMNS,
    ESTIMATE_STATUS,
    Registry,
    _parse_count,
    load_registry,
    save_registry_csv,
)

BROKEN = Path(__file__).resolve().parents[1] / "data" / "broken" / "registry"
REFERENCE_DATE = dt.date(2017, 11, 13)
#: A small fixed part of Banten (36) for the tests; not the region loader's list.
KNOWN_CODES = {
    "36.01.01.2001": "Sumberjaya",
    "36.01.01.2002": "Tunggaljaya",
    "36.01.01.2003": "Kertajaya",
    "36.01.01.2004": "Kertamukti",
    "36.01.02.2001": "Cigorondong",
    "36.01.02.2002": "Tamanjaya",
    "36.72.01.1001": "Ciwandan",
}


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_files", BROKEN / "make_files.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PERSONS: list[tuple[str, ...]] = _generator().PERSONS


def load(name: str) -> Registry:
    return load_registry(
        BROKEN / name,
        known_codes=KNOWN_CODES,
        region_name="Banten",
        reference_date=REFERENCE_DATE,
    )


_LOCATED = re.compile(
    r"(?P<source>[^,:]+)(?:, row (?P<row>\d+))?(?:, column '(?P<column>[^']*)')?: (?P<msg>.*)",
    re.S,
)


def located(problem: str) -> tuple[int | None, str | None, str]:
    """Split 'file, row R, column 'C': message' into (R, C, message)."""
    match = _LOCATED.fullmatch(problem)
    assert match, problem
    row = match["row"]
    return (int(row) if row else None, match["column"], match["msg"])


# (row, column, text the message must contain) — and nothing else may be reported.
EXPECTED_ERRORS: dict[str, list[tuple[int | None, str | None, str]]] = {
    "01_empty.csv": [(None, None, "the file is empty")],
    "02_header_only.csv": [(1, None, "no data rows")],
    "03_missing_column.csv": [
        (1, None, "missing required column(s) wajib_ktp"),
    ],
    "04_unknown_code.csv": [(3, "kode_desa", "unknown village code 36.01.01.2099")],
    "05_other_province.csv": [(4, "kode_desa", "32.01.01.2001 is in province 32")],
    "06_duplicate_rows.csv": [(4, "kode_desa", "36.01.01.2001 (Sumberjaya) appears in rows 2, 4")],
    "07_contradictory_duplicates.csv": [
        (3, "kode_desa", "rows 2, 3 with different counts (wajib_ktp: 120 vs 130"),
    ],
    "08_negative_count.csv": [(3, "sudah_rekam", "negative count")],
    "09_non_numeric.csv": [
        (2, "wajib_ktp", "'abc' is not a number"),
        (3, "lansia", "'n/a' is not a number"),
    ],
    "10_fractional.csv": [
        (2, "wajib_ktp", "'12.5' is not a whole number"),
        (3, "lansia", "'2.25' is not a whole number"),
        (4, "belum_rekam", "'3,5' is not a whole number"),
    ],
    "11_huge_number.csv": [(2, "wajib_ktp", "more than 10 million")],
    "12_sudah_more_than_wajib.csv": [(3, "sudah_rekam", "150 is more than wajib_ktp 100")],
    "13_belum_more_than_wajib.csv": [(2, "belum_rekam", "101 is more than wajib_ktp 100")],
    "14_sum_mismatch.csv": [(2, None, "60 + 50 = 110, but wajib_ktp is 100")],
    "22_binary_garbage.txt": [(None, None, "unreadable file type")],
    "24_person_bad_status.csv": [
        (3, "Status Rekam", "unreadable recording status (value not shown)"),
        (5, "Status Rekam", "empty recording status"),
        (6, "Tanggal Lahir", "not a plausible birth date (value not shown)"),
    ],
    "25_no_header.csv": [(None, None, "no header row found")],
    "26_bad_code_format.csv": [
        (2, "kode_desa", "'36.1.1.2001' is not a village code"),
        (3, "kode_desa", "'Desa Tunggaljaya' is not a village code"),
        (4, "kode_desa", "kecamatan code"),
        (5, "kode_desa", "empty village code"),
    ],
    "27_old_excel.xls": [(None, None, "old Excel .xls")],
    "28_not_really.xlsx": [(None, None, "not a valid .xlsx workbook")],
    "30_person_duplicate_nik.csv": [
        (4, "Kode Desa", "not a village code PP.KK.CC.DDDD (value not shown)"),
        (6, "NIK", "same NIK as row 3"),
    ],
    "33_merged_data_cell.xlsx": [(3, "kode_desa", "empty village code (inside a merged cell")],
    "34_nik_and_wajib.csv": [(1, None, "both a NIK column and a wajib_ktp column")],
    "38_ambiguous_columns.csv": [(1, None, "columns 'kode' and 'kd_desa' all read as kode_desa")],
    "39_opendocument.ods": [(None, None, "OpenDocument spreadsheet; save it as .xlsx or CSV")],
}

V = tuple[int, int, int, int, int, int]  # wajib, sudah, belum, lansia, disabilitas, pemula
PERSON_COUNTS: dict[str, V] = {
    "36.01.01.2001": (5, 3, 2, 2, 1, 1),
    "36.01.01.2002": (3, 1, 2, 0, 0, 1),
    "36.01.02.2001": (2, 0, 2, 0, 1, 0),
}
SMALL: dict[str, V] = {
    "36.01.01.2001": (100, 90, 10, 0, 0, 0),
    "36.01.01.2002": (80, 80, 0, 0, 0, 0),
}
# counts per village, and text each expected note must contain
EXPECTED_LOADS: dict[str, tuple[dict[str, V], list[str]]] = {
    "15_semicolon_decimal_comma.csv": (
        {
            "36.01.01.2001": (1234, 1200, 34, 12, 0, 0),
            "36.01.01.2002": (2345, 2300, 45, 0, 0, 0),
            "36.01.02.2001": (980, 900, 80, 7, 0, 0),
        },
        [
            "columns separated by semicolon",
            "decimal comma read as thousands separator in column 'Wajib KTP'",
            "dot read as thousands separator in column 'Wajib KTP'",
            "zero decimals after a decimal comma dropped in column 'Sudah Rekam'",
            "'-' read as 0 in column 'Lansia'",
        ],
    ),
    "16_latin1.csv": (SMALL, ["read as Windows-1252"]),
    "17_utf8_bom.csv": (SMALL, ["byte order mark"]),
    "18_codes_without_dots.csv": (
        {
            "36.01.01.2001": (100, 90, 10, 0, 0, 0),
            "36.01.01.2002": (80, 75, 5, 0, 0, 0),
            "36.01.01.2003": (60, 50, 10, 0, 0, 0),
        },
        ["codes without dots", "codes stored as numbers"],
    ),
    "19_excel_two_row_header.xlsx": (SMALL, ["two-row header: rows 1 and 2"]),
    "20_excel_merged_header.xlsx": (
        {**SMALL, "36.01.02.2001": (60, 55, 5, 0, 0, 0)},
        [
            "sheet 'Rekap' read",
            "header found in row 3",
            "two-row header: rows 3 and 4",
            "total row skipped (row 8)",
        ],
    ),
    "21_xlsx_text_numbers.xlsx": (
        {
            "36.01.01.2001": (1234, 1200, 34, 12, 0, 0),
            "36.01.01.2002": (80, 80, 0, 0, 0, 0),
            "36.01.01.2003": (1500, 1450, 50, 3, 0, 0),
        },
        [
            "sheet 'data' read",
            "dot read as thousands separator in column 'wajib_ktp'",
            "comma read as thousands separator in column 'wajib_ktp'",
            "empty cells read as 0 in optional column 'lansia'",
        ],
    ),
    "23_person_level.csv": (
        PERSON_COUNTS,
        ["person-level rows aggregated: 10 persons → 3 villages", "lansia = 60+"],
    ),
    "29_person_level.xlsx": (
        PERSON_COUNTS,
        ["person-level rows aggregated: 10 persons → 3 villages", "header found in row 3"],
    ),
    "31_estimate.csv": (
        {
            "36.01.01.2001": (1000, 970, 30, 0, 0, 0),
            "36.01.01.2002": (800, 760, 40, 0, 0, 0),
        },
        ["estimate"],
    ),
    "32_utf16_tab.txt": (SMALL, ["UTF-16", "separated by tab"]),
    "35_total_row.csv": (SMALL, ["total row skipped (row 4)"]),
    "36_column_numbers.xlsx": (SMALL, ["row 2 holds column numbers", "columns ignored: No"]),
    "37_code_and_kode_desa.csv": (SMALL, ["column 'kode_desa' used; 'kode' ignored"]),
}


def test_every_corpus_file_has_an_expectation() -> None:
    files = {p.name for p in BROKEN.iterdir() if p.name != "make_files.py"}
    files -= {p.name for p in BROKEN.glob("*.pyc")} | {"__pycache__"}
    assert files == set(EXPECTED_ERRORS) | set(EXPECTED_LOADS)
    assert len(files) >= 20


def _workbook_content(path: Path) -> list[object]:
    workbook = openpyxl.load_workbook(path)
    return [
        (sheet.title, list(sheet.iter_rows(values_only=True)), sorted(map(str, sheet.merged_cells)))
        for sheet in workbook.worksheets
    ]


def test_corpus_matches_its_generator(tmp_path: Path) -> None:
    _generator().main(tmp_path)
    for made in tmp_path.iterdir():
        committed = BROKEN / made.name
        if made.suffix == ".xlsx" and made.read_bytes()[:2] == b"PK":  # openpyxl-version bytes
            assert _workbook_content(made) == _workbook_content(committed), made.name
        else:
            assert made.read_bytes() == committed.read_bytes(), made.name
    assert len(list(tmp_path.iterdir())) == len(set(EXPECTED_ERRORS) | set(EXPECTED_LOADS))


@pytest.mark.parametrize("name", sorted(EXPECTED_ERRORS))
def test_broken_file_reports_exactly_its_problems(name: str) -> None:
    with pytest.raises(InputError) as info:
        load(name)
    got = sorted(
        (located(p) for p in info.value.problems), key=lambda x: (x[0] or 0, x[1] or "", x[2])
    )
    expected = sorted(EXPECTED_ERRORS[name], key=lambda x: (x[0] or 0, x[1] or "", x[2]))
    assert len(got) == len(expected), info.value.problems
    for (row, column, message), (e_row, e_column, e_text) in zip(got, expected, strict=True):
        assert (row, column) == (e_row, e_column), info.value.problems
        assert e_text in message, info.value.problems
    assert all(p.startswith(name) for p in info.value.problems)


@pytest.mark.parametrize("name", sorted(EXPECTED_LOADS))
def test_loadable_variant_gives_counts_and_notes(name: str) -> None:
    registry = load(name)
    counts, notes = EXPECTED_LOADS[name]
    expected = pd.DataFrame.from_dict(counts, orient="index", columns=list(COUNT_COLUMNS))
    expected.index.name = "kode_desa"
    pd.testing.assert_frame_equal(registry.counts, expected.astype("int64"), check_index_type=False)
    assert registry.source == name
    for text in notes:
        assert any(text in note for note in registry.notes), (text, registry.notes)
    assert (registry.counts.dtypes == "int64").all()
    assert registry.counts.index.is_monotonic_increasing


def test_missing_column_lists_found_and_expected_names() -> None:
    with pytest.raises(InputError) as info:
        load("03_missing_column.csv")
    message = info.value.problems[0]
    assert "columns found: kode_desa, nama_desa, jumlah_penduduk, sudah_rekam" in message
    assert "wajib_ktp (or wktp)" in message


def test_unknown_code_suggests_a_close_code_with_its_name() -> None:
    with pytest.raises(InputError) as info:
        load("04_unknown_code.csv")
    assert "did you mean 36.01.01.2004 (Kertamukti)?" in info.value.problems[0]


@pytest.mark.parametrize(
    ("header", "row_text", "hint"),
    [
        (
            "kode_dsa,wajib_ktp,sudah_rekam",
            "row 1: missing required column kode_desa",
            "'kode_dsa' → kode_desa?",
        ),
        (
            "kode_desa,wajib_ktpp,sudah_rekam",
            "row 1: missing required column(s) wajib_ktp",
            "'wajib_ktpp' → wajib_ktp?",
        ),
    ],
)
def test_misspelt_column_gets_a_suggestion(
    tmp_path: Path, header: str, row_text: str, hint: str
) -> None:
    path = tmp_path / "typo.csv"
    path.write_text(f"{header}\n36.01.01.2001,10,5\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_registry(path, known_codes=KNOWN_CODES)
    assert len(info.value.problems) == 1
    assert row_text in info.value.problems[0]
    assert hint in info.value.problems[0]


def test_many_problems_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    rows = "".join(f"36.01.01.2001,x{i},1\n" for i in range(300))
    path.write_text("kode_desa,wajib_ktp,sudah_rekam\n" + rows, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_registry(path, known_codes=KNOWN_CODES)
    assert len(info.value.problems) == 201
    assert info.value.problems[-1] == "... and 100 more problems"


def test_known_codes_as_plain_collection_and_empty_disables_check(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("kode,wajib_ktp,belum_rekam\n36.01.01.2099,10,4\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"unknown village code 36\.01\.01\.2099"):
        load_registry(path, known_codes=list(KNOWN_CODES))
    registry = load_registry(path, known_codes=())
    assert registry.counts.loc["36.01.01.2099", "sudah_rekam"] == 6


def test_estimate_file_is_marked(tmp_path: Path) -> None:
    registry = load("31_estimate.csv")
    assert registry.is_estimate
    assert registry.estimate_model == "demo-calibrated-v1"


def test_save_and_reload_round_trip(tmp_path: Path) -> None:
    original = load("15_semicolon_decimal_comma.csv")
    path = save_registry_csv(original, tmp_path / "out" / "registry.csv")
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "kode_desa," + ",".join(COUNT_COLUMNS)
    again = load_registry(path, known_codes=KNOWN_CODES)
    pd.testing.assert_frame_equal(again.counts, original.counts)
    assert not again.is_estimate and again.notes == ()


def test_estimate_round_trip_says_estimasi(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"wajib_ktp": [1000, 500], "belum_rekam": [30, 20]},
        index=pd.Index(["36.01.01.2001", "36.01.02.2001"], name="kode_desa"),
    )
    estimate = Registry.from_frame(frame, is_estimate=True, estimate_model="demo-v1")
    path = save_registry_csv(estimate, tmp_path / "estimate.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [r["status"] for r in rows] == [ESTIMATE_STATUS] * 2
    assert {r["estimate_model"] for r in rows} == {"demo-v1"}
    assert {r["is_estimate"] for r in rows} == {"true"}
    again = load_registry(path, known_codes=KNOWN_CODES)
    assert again.is_estimate and again.estimate_model == "demo-v1"
    pd.testing.assert_frame_equal(again.counts, estimate.counts)


def test_from_frame_fills_defaults_and_derives_sudah() -> None:
    frame = pd.DataFrame(
        {
            "kode_desa": ["3601012002", "36.01.01.2001"],
            "wajib_ktp": [80.0, 100],
            "belum_rekam": [5, 10],
            "extra": ["x", "y"],
        }
    )
    registry = Registry.from_frame(frame, source="estimate")
    assert list(registry.counts.index) == ["36.01.01.2001", "36.01.01.2002"]
    assert list(registry.counts.loc["36.01.01.2002"]) == [80, 75, 5, 0, 0, 0]
    assert list(registry.counts.columns) == list(COUNT_COLUMNS)


def test_from_frame_collects_every_problem_by_code() -> None:
    frame = pd.DataFrame(
        {
            "wajib_ktp": [100, 50, 10.5, 20, 20],
            "sudah_rekam": [120, -1, 5, 10, 11],
            "belum_rekam": [0, 5, 5, 10, 9],
        },
        index=pd.Index(
            ["36.01.01.2001", "36.01.01.2002", "36.01.01.2003", "36.01.02.2001", "36.01.02.2001"],
            name="kode_desa",
        ),
    )
    with pytest.raises(InputError) as info:
        Registry.from_frame(frame, source="estimate", known_codes=KNOWN_CODES)
    problems = "\n".join(info.value.problems)
    assert "36.01.01.2001: sudah_rekam 120 is more than wajib_ktp 100" in problems
    assert "36.01.01.2002: negative count -1" in problems
    assert "36.01.01.2003: 10.5 is not a whole number" in problems
    assert "36.01.02.2001 (Cigorondong) appears in 2 rows with different counts" in problems
    assert len(info.value.problems) == 4


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("12", 12, ""),
        (" 1.234 ", 1234, "dot"),
        ("1,234", 1234, "comma"),
        ("1 234", 1234, "space"),
        ("1.234.567", 1234567, "dot"),
        ("1.234,00", 1234, "decimal_comma"),
        ("12,0", 12, "decimal_comma"),
        ("1,234.00", 1234, "decimal_dot"),
        ("-", 0, "dash"),
        (1234.0, 1234, ""),
        ("+5", 5, ""),
        ("10000000", 10_000_000, ""),
    ],
)
def test_count_readings(text: object, value: int, kind: str) -> None:
    parsed = _parse_count(text)
    assert (parsed.value, parsed.kind, parsed.error) == (value, kind, None)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("12.5", "not a whole number"),
        ("1,5", "not a whole number"),
        (12.5, "not a whole number"),
        ("-4", "negative"),
        (-4, "negative"),
        ("10000001", "more than 10 million"),
        ("9" * 5000, "more than 10 million"),
        ("abc", "not a number"),
        ("1.23.4", "not a number"),
        (True, "not a number"),
        (dt.date(2017, 1, 1), "is a date, not a number"),
        (float("inf"), "not a number"),
    ],
)
def test_count_errors(text: object, error: str) -> None:
    parsed = _parse_count(text)
    assert parsed.value is None and parsed.error is not None and error in parsed.error


# --------------------------------------------------------------------------- privacy


def _personal_values() -> list[str]:
    values = []
    for nik, nama, born, *_ in PERSONS:
        values += [nik, nama, *nama.split()]
        if born:
            values.append(born)
    return values


def _assert_no_personal_value(text: str) -> None:
    for value in _personal_values():
        assert value not in text, value


@pytest.mark.parametrize("name", ["23_person_level.csv", "29_person_level.xlsx"])
def test_person_level_result_holds_no_personal_data(name: str) -> None:
    registry = load(name)
    shown = "\n".join(
        [
            repr(registry),
            registry.counts.to_string(),
            registry.counts.to_csv(),
            repr(registry.counts.index),
            *registry.notes,
            registry.source,
        ]
    )
    _assert_no_personal_value(shown)
    assert list(registry.counts.columns) == list(COUNT_COLUMNS)
    assert set(vars(registry)) == {"counts", "source", "is_estimate", "estimate_model", "notes"}


def _person_rows_with_every_problem() -> list[list[str]]:
    rows = [list(p) for p in PERSONS]
    rows[0][3] = rows[0][1]  # a name in the code column
    rows[1][3] = rows[1][0]  # a NIK in the code column
    rows[2][4] = rows[2][1]  # a name as recording status
    rows[3][2] = rows[3][1]  # a name as birth date
    rows[4][5] = rows[4][0]  # a NIK as disability flag
    rows[5][2] = "2099-01-01"  # born in the future
    rows.append(list(PERSONS[6]))  # duplicate NIK
    return rows


@pytest.mark.parametrize("name", ["24_person_bad_status.csv", "30_person_duplicate_nik.csv"])
def test_person_level_errors_quote_no_personal_value(name: str) -> None:
    with pytest.raises(InputError) as info:
        load(name)
    _assert_no_personal_value(str(info.value) + repr(info.value))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_person_level_problem_hides_values(tmp_path: Path, suffix: str) -> None:
    header = ["NIK", "Nama", "Tanggal Lahir", "Kode Desa", "Status Rekam", "Disabilitas"]
    rows = _person_rows_with_every_problem()
    path = tmp_path / f"persons{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", "utf-8")
    else:
        workbook = openpyxl.Workbook()
        for row in [header, *rows]:
            workbook.active.append(row)  # type: ignore[union-attr]
        workbook.save(path)
    with pytest.raises(InputError) as info:
        load_registry(path, known_codes=KNOWN_CODES, reference_date=REFERENCE_DATE)
    text = str(info.value) + repr(info.value)
    _assert_no_personal_value(text)
    assert info.value.__cause__ is None
    located_rows = sorted(located(p)[0] or 0 for p in info.value.problems)
    assert located_rows == [2, 3, 4, 5, 6, 7, 12]


@pytest.mark.parametrize("name", ["24_person_bad_status.csv", "30_person_duplicate_nik.csv"])
def test_person_level_error_traceback_holds_no_cells(name: str) -> None:
    with pytest.raises(InputError) as info:
        load(name)
    error = info.value
    assert error.__cause__ is None and error.__context__ is None
    traceback = error.__traceback__
    assert traceback is not None
    frames = []
    while traceback is not None:
        frames.append(traceback.tb_frame)
        traceback = traceback.tb_next
    for frame in frames[1:]:  # frames[0] is this test
        _assert_no_personal_value(repr(frame.f_locals))
    assert [f.f_code.co_name for f in frames[1:]] == ["load", "load_registry"]


def test_headerless_person_file_error_hides_values(tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_text("\n".join(",".join(p) for p in PERSONS) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_registry(path, known_codes=KNOWN_CODES)
    _assert_no_personal_value(str(info.value))


def test_person_rule_for_lansia_and_pemula_uses_reference_date() -> None:
    # Rina Marlina (36.01.01.2002) turns 60 on 2017-11-14.
    before = load("23_person_level.csv").counts.loc["36.01.01.2002", "lansia"]
    after = load_registry(
        BROKEN / "23_person_level.csv",
        known_codes=KNOWN_CODES,
        reference_date=dt.date(2017, 11, 14),
    ).counts.loc["36.01.01.2002", "lansia"]
    assert (before, after) == (0, 1)


# --------------------------------------------------------------------------- fuzz

_FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _load_or_input_error(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            registry = load_registry(path, known_codes=KNOWN_CODES)
        except InputError:
            return
        assert list(registry.counts.columns) == list(COUNT_COLUMNS)
        assert (registry.counts >= 0).all().all()
        assert (
            registry.counts["sudah_rekam"] + registry.counts["belum_rekam"]
            == registry.counts["wajib_ktp"]
        ).all()


@_FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".txt", ".xlsx", ""]))
def test_fuzz_arbitrary_bytes_raise_only_input_error(data: bytes, suffix: str) -> None:
    _load_or_input_error(data, suffix)


_HEADER_NAMES = [
    "kode_desa",
    "Kode Desa",
    "kode",
    "wajib_ktp",
    "WKTP",
    "sudah_rekam",
    "belum_rekam",
    "lansia",
    "disabilitas",
    "pemula",
    "nik",
    "nama",
    "status_rekam",
    "tanggal_lahir",
    "status",
    "is_estimate",
    "estimate_model",
    "jumlah",
    "",
]
_CELL = st.one_of(
    st.sampled_from(
        [
            "36.01.01.2001",
            "3601012002",
            "36.01.02.2001.0",
            "32.01.01.2001",
            "36.01.01",
            "1.234",
            "1,234",
            "12,5",
            "-",
            "-3",
            "ya",
            "belum",
            "2000-01-01",
            "31/12/1960",
            "estimasi",
            "true",
            "JUMLAH",
            "",
        ]
    ),
    st.integers(min_value=-10, max_value=10**8).map(str),
    st.integers(min_value=0, max_value=200).map(str),
    st.text(max_size=12),
)


_VALID_HEADERS = [
    ["kode_desa", "wajib_ktp", "sudah_rekam", "belum_rekam"],
    ["Kode Desa", "Nama Desa", "Wajib KTP", "Belum Rekam", "Lansia", "Pemula"],
    ["kode", "wktp", "sudah_rekam", "disabilitas", "status", "estimate_model"],
    ["nik", "nama", "tanggal_lahir", "kode_desa", "status_rekam", "disabilitas"],
]
_PLAIN_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12)


@st.composite
def _csv_texts(draw: st.DrawFn) -> str:
    header = draw(
        st.one_of(
            st.sampled_from(_VALID_HEADERS),
            st.lists(st.sampled_from(_HEADER_NAMES), min_size=1, max_size=7),
        )
    )
    cell = st.one_of(_CELL, _PLAIN_TEXT) if draw(st.booleans()) else _CELL
    rows = draw(st.lists(st.lists(cell, max_size=len(header) + 1), max_size=8))
    titles = draw(st.lists(_PLAIN_TEXT, max_size=2))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for title in titles:
        writer.writerow([title])
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@_FUZZ
@given(text=_csv_texts(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_fuzz_csv_text_raises_only_input_error(text: str, encoding: str) -> None:
    _load_or_input_error(text.encode(encoding, errors="replace"), ".csv")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_csv_texts())
def test_fuzz_xlsx_cells_raise_only_input_error(text: str) -> None:
    workbook = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(text, newline="")):
        cells: list[object] = []
        for cell in row:
            cleaned = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", cell)
            cells.append(int(cleaned) if re.fullmatch(r"-?\d{1,12}", cleaned) else cleaned)
        workbook.active.append(cells)  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    _load_or_input_error(buffer.getvalue(), ".xlsx")


def _formatted(number: int, style: str) -> str:
    if style == "dot":
        return f"{number:,}".replace(",", ".")
    if style == "comma" and number >= 1000:
        return f'"{number:,}"'
    if style == "decimal":
        return f'"{number},00"'
    return str(number)


@_FUZZ
@given(
    villages=st.dictionaries(
        st.sampled_from(sorted(KNOWN_CODES)),
        st.tuples(
            st.integers(min_value=0, max_value=10_000_000), st.floats(min_value=0, max_value=1)
        ),
        min_size=1,
    ),
    code_style=st.sampled_from(["dotted", "plain", "float"]),
    number_style=st.sampled_from(["plain", "dot", "comma", "decimal"]),
    give=st.sampled_from(["sudah", "belum", "both"]),
)
def test_fuzz_valid_counts_load_exactly(
    villages: dict[str, tuple[int, float]], code_style: str, number_style: str, give: str
) -> None:
    columns = {
        "sudah": ["sudah_rekam"],
        "belum": ["belum_rekam"],
        "both": ["sudah_rekam", "belum_rekam"],
    }
    lines = [",".join(["kode_desa", "wajib_ktp", *columns[give]])]
    expected = {}
    for code, (wajib, share) in villages.items():
        sudah = min(wajib, round(wajib * share))
        shown_code = {
            "dotted": code,
            "plain": code.replace(".", ""),
            "float": code.replace(".", "") + ".0",
        }[code_style]
        values = {"sudah_rekam": sudah, "belum_rekam": wajib - sudah}
        cells = [_formatted(wajib, number_style)] + [
            _formatted(values[c], number_style) for c in columns[give]
        ]
        lines.append(",".join([shown_code, *cells]))
        expected[code] = (wajib, sudah, wajib - sudah, 0, 0, 0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "valid.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        registry = load_registry(path, known_codes=KNOWN_CODES)
    assert {code: tuple(row) for code, row in registry.counts.iterrows()} == expected


@_FUZZ
@given(
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=10**6), st.integers(0, 255)),
        min_size=1,
        max_size=8,
    ),
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)),
)
def test_fuzz_damaged_xlsx_raises_only_input_error(
    flips: list[tuple[int, int]], cut: int | None
) -> None:
    data = bytearray((BROKEN / "20_excel_merged_header.xlsx").read_bytes())
    for position, byte in flips:
        data[position % len(data)] = byte
    if cut is not None:
        data = data[: cut % len(data)]
    _load_or_input_error(bytes(data), ".xlsx")


def test_code_in_scientific_notation_says_digits_were_lost(tmp_path: Path) -> None:
    path = tmp_path / "sci.csv"
    path.write_text("kode_desa,wajib_ktp,sudah_rekam\n3.60101E+09,10,5\n'3601012002,8,8\n")
    with pytest.raises(InputError) as info:
        load_registry(path, known_codes=KNOWN_CODES)
    assert len(info.value.problems) == 1
    assert located(info.value.problems[0])[:2] == (2, "kode_desa")
    assert "scientific notation" in info.value.problems[0]
