"""Every file of ``tests/data/broken/`` through the real CLI, as a user would run it.

Registry files go to ``jemput locate --region banten --registry FILE``; teams and policy files
to ``jemput plan --region sarolangun --teams/--policy FILE``; region folders to
``jemput locate --region FOLDER``. A broken input must give exit code 2, only ``ERROR:`` lines
naming the file (and the row and column where the file has rows), no traceback, and no output
folder (a previous one unchanged). A file with a sensible reading (decimal comma, BOM, Latin-1,
codes without dots) must load, and the run must show what it assumed.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import pyogrio
import pytest
from typer.testing import CliRunner

import planner.io.outputs
from planner.app.cli import app
from planner.geo.estimate import load_demand

BROKEN = Path(__file__).resolve().parents[1] / "data" / "broken"
BASE_REGION = BROKEN / "region" / "00_valid_base"
runner = CliRunner()

# --------------------------------------------------------------------------- expectations

#: registry files that load; the note the run must show
REGISTRY_LOADS: dict[str, str] = {
    "15_semicolon_decimal_comma.csv": "semicolon",
    "16_latin1.csv": "Windows-1252",
    "17_utf8_bom.csv": "byte order mark",
    "18_codes_without_dots.csv": "without dots",
}
#: more registry files that load (covered in detail by tests/unit/test_inputs.py): slow here
REGISTRY_LOADS_MORE: dict[str, str] = {
    "19_excel_two_row_header.xlsx": "two-row header",
    "20_excel_merged_header.xlsx": "header found in row 3",
    "21_xlsx_text_numbers.xlsx": "thousands separator",
    "23_person_level.csv": "person-level rows aggregated",
    "29_person_level.xlsx": "person-level rows aggregated",
    "31_estimate.csv": "estimate",
    "32_utf16_tab.txt": "UTF-16",
    "35_total_row.csv": "total row skipped",
    "36_column_numbers.xlsx": "column numbers",
    "37_code_and_kode_desa.csv": "'kode' ignored",
}
#: where each broken registry file must be located: texts the output must contain
REGISTRY_WHERE: dict[str, tuple[str, ...]] = {
    "01_empty.csv": (),
    "02_header_only.csv": ("row 1",),
    "03_missing_column.csv": ("row 1", "wajib_ktp"),
    "04_unknown_code.csv": ("row 3", "column 'kode_desa'"),
    "05_other_province.csv": ("row 4", "column 'kode_desa'"),
    "06_duplicate_rows.csv": ("row 4", "column 'kode_desa'"),
    "07_contradictory_duplicates.csv": ("row 3", "column 'kode_desa'"),
    "08_negative_count.csv": ("row 3", "column 'sudah_rekam'"),
    "09_non_numeric.csv": ("row 2", "column 'wajib_ktp'", "row 3", "column 'lansia'"),
    "10_fractional.csv": ("row 2", "row 3", "row 4", "column 'belum_rekam'"),
    "11_huge_number.csv": ("row 2", "column 'wajib_ktp'"),
    "12_sudah_more_than_wajib.csv": ("row 3", "column 'sudah_rekam'"),
    "13_belum_more_than_wajib.csv": ("row 2", "column 'belum_rekam'"),
    "14_sum_mismatch.csv": ("row 2",),
    "22_binary_garbage.txt": (),
    "24_person_bad_status.csv": ("row 3", "column 'Status Rekam'", "row 6"),
    "25_no_header.csv": (),
    "26_bad_code_format.csv": ("row 2", "row 3", "row 4", "row 5", "column 'kode_desa'"),
    "27_old_excel.xls": (),
    "28_not_really.xlsx": (),
    "30_person_duplicate_nik.csv": ("row 4", "row 6", "column 'NIK'"),
    "33_merged_data_cell.xlsx": ("row 3", "column 'kode_desa'"),
    "34_nik_and_wajib.csv": ("row 1",),
    "38_ambiguous_columns.csv": ("row 1",),
    "39_opendocument.ods": (),
}
#: config files: texts the output must contain besides the file name (key paths, lines)
CONFIG_WHERE: dict[str, tuple[str, ...]] = {
    "teams_01_wrong_types.toml": ("teams[0].kits", "teams[0].boat", "teams[0].setup_minutes"),
    "teams_02_unknown_key.toml": ("teams[0].warna",),
    "teams_03_unknown_depot.toml": ("teams[0].depot", "dinas-15.99"),
    "teams_04_zero_kits.toml": ("teams[0].kits",),
    "teams_05_negative_minutes_per_record.toml": ("teams[0].minutes_per_record",),
    "teams_06_duplicate_ids.toml": ("tim-1", "unique"),
    "teams_07_invalid_syntax.toml": ("line 1", "column"),
    "teams_08_empty.toml": ("teams",),
    "teams_09_binary_garbage.toml": ("UTF-8",),
    "teams_10_other_region.toml": ("dinas-36.04", "kec-36.04.08"),
    "teams_11_teams_not_a_list.toml": ("teams",),
    "teams_12_no_teams.toml": ("teams",),
    "teams_13_unknown_mode.toml": ("teams[0].modes[0]", "helikopter"),
    "teams_14_bad_regency.toml": ("teams[0].regencies[0]",),
    "teams_15_unknown_weekday.toml": ("teams[0].working_days",),
    "teams_16_latin1.toml": ("UTF-8",),
    "teams_17_unknown_base.toml": ("teams[0].base", "otomatis", '"auto"'),
    "policy_01_shift_end_before_start.toml": ("calendar.shifts.senin.end",),
    "policy_02_break_longer_than_shift.toml": ("calendar.shifts.selasa.break_minutes",),
    "policy_03_week_of_holidays.toml": ("no working day", "2018-10-08"),
    "policy_04_time_limit_zero.toml": ("solver.time_limit_s",),
    "policy_05_unknown_key.toml": ("solver.time_limit", "time_limit_s"),
    "policy_06_wrong_types.toml": ("solver.seed", "solver.solution_limit"),
    "policy_07_impossible_date.toml": ("calendar.extra_non_working[0]", "2018-02-30"),
    "policy_08_invalid_syntax.toml": ("line 1", "column"),
    "policy_09_binary_garbage.toml": ("UTF-8",),
    "policy_10_unknown_metaheuristic.toml": ("solver.metaheuristic", "ANT_COLONY"),
    "policy_11_not_a_table.toml": ("solver",),
}
#: region folders: (file the messages must name, texts they must contain)
REGION_WHERE: dict[str, tuple[str, tuple[str, ...]]] = {
    "01_invalid_geometry": ("boundaries.gpkg", ("layer 'villages'", "15.03.03.1001")),
    "02_empty_geometry": ("boundaries.gpkg", ("layer 'villages'", "empty")),
    "03_null_geometry": ("boundaries.gpkg", ("layer 'villages'",)),
    "04_missing_layer": ("boundaries.gpkg", ("layer 'districts' not found",)),
    "05_other_province_codes": ("05_other_province_codes", ("16.03",)),
    "06_missing_columns": ("boundaries.gpkg", ("kode_kab", "nama")),
    "07_gpkg_garbage": ("boundaries.gpkg", ("GeoPackage",)),
    "08_sqlite_not_gpkg": ("boundaries.gpkg", ("GeoPackage",)),
    "09_empty_gpkg_file": ("boundaries.gpkg", ("GeoPackage",)),
    "10_wrong_crs": ("boundaries.gpkg", ("EPSG:4326",)),
    "11_duplicate_village_code": ("boundaries.gpkg", ("duplicate kode",)),
    "12_depot_unknown_regency": ("depots.csv", ("row 4", "column 'kode_kab'", "15.99")),
    "13_ports_non_numeric_minutes": ("ports.csv", ("row 2", "column 'crossing_minutes'")),
    "14_ports_unknown_village": ("ports.csv", ("row 2", "column 'serves_kode_desa'", "row 3")),
    "15_depot_bad_coordinate": ("depots.csv", ("row 2", "column 'lon'")),
    "16_depots_empty_file": ("depots.csv", ()),
    "17_depots_latin1": ("depots.csv", ()),
    "18_region_toml_bad": ("region.toml", ("crs_metric", "timezone", "warna")),
    "19_region_toml_syntax": ("region.toml", ("line 17",)),
    "20_missing_depots_csv": ("depots.csv", ("not found",)),
}

#: known gaps: corpus files whose run does not yet meet the contract (see docs/GUARANTEES.md)


# --------------------------------------------------------------------------- helpers


def _invoke(args: list[str]) -> tuple[int, str, BaseException | None]:
    result = runner.invoke(app, args)
    exc = result.exception
    if isinstance(exc, SystemExit):
        exc = None
    return result.exit_code, result.output, exc


def _check_failure(code: int, output: str, exc: BaseException | None, file_name: str) -> None:
    assert exc is None, f"uncaught {exc!r}\n{output}"
    assert code == 2, output
    assert "Traceback" not in output, output
    lines = output.lstrip("\n").splitlines()
    assert lines, "no message"
    bad = [line for line in lines if not line.startswith("ERROR:")]
    assert not bad, f"lines that are not ERROR: lines: {bad[:3]}\n{output}"
    assert file_name in output, f"the message does not name {file_name}:\n{output}"


def _out_with_previous(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """An output folder holding a previous run's file, and its bytes."""
    out = tmp_path / "hasil"
    out.mkdir()
    (out / "plan.json").write_text('{"previous": true}\n', encoding="utf-8")
    marker = getattr(planner.io.outputs, "MARKER", None)  # what marks an earlier output
    if marker:
        (out / marker).write_text("earlier output\n", encoding="utf-8")
    return out, {p.name: p.read_bytes() for p in out.iterdir()}


def _assert_untouched(tmp_path: Path, out: Path, before: dict[str, bytes] | None) -> None:
    if before is None:
        assert not out.exists(), f"{out} was written"
    else:
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{out.name}.")]
    assert not left, f"staging folders left behind: {left}"


def _corpus(folder: str, *, dirs: bool = False) -> list[str]:
    root = BROKEN / folder
    return sorted(
        p.name
        for p in root.iterdir()
        if (p.is_dir() if dirs else p.is_file())
        and p.name not in ("make_files.py", "__pycache__", "00_valid_base")
    )


# --------------------------------------------------------------------------- corpus size


def test_corpus_has_every_file_and_at_least_40() -> None:
    registry = set(_corpus("registry"))
    assert registry == set(REGISTRY_WHERE) | set(REGISTRY_LOADS) | set(REGISTRY_LOADS_MORE)
    assert set(_corpus("config")) == set(CONFIG_WHERE)
    assert set(_corpus("region", dirs=True)) == set(REGION_WHERE)
    assert len(REGISTRY_WHERE) + len(CONFIG_WHERE) + len(REGION_WHERE) >= 40


# --------------------------------------------------------------------------- registry


@pytest.mark.parametrize("previous", [False, True], ids=["no-out", "previous-out"])
@pytest.mark.parametrize("name", sorted(REGISTRY_WHERE))
def test_broken_registry_through_locate(tmp_path: Path, name: str, previous: bool) -> None:
    out, before = _out_with_previous(tmp_path) if previous else (tmp_path / "hasil", None)
    args = ["locate", "--region", "banten", "--registry", str(BROKEN / "registry" / name)]
    code, output, exc = _invoke([*args, "--out", str(out)])
    _check_failure(code, output, exc, name)
    for text in REGISTRY_WHERE[name]:
        assert text in output, (text, output)
    _assert_untouched(tmp_path, out, before)


def _loadable_registry(tmp_path: Path, name: str, note: str) -> None:
    out = tmp_path / "hasil"
    args = ["locate", "--region", "banten", "--registry", str(BROKEN / "registry" / name)]
    code, output, exc = _invoke([*args, "--out", str(out)])
    assert exc is None and code == 0, output
    assert "Traceback" not in output and not output.startswith("ERROR")
    assert (out / "desa.gpkg").is_file()
    assert note in output, f"the registry's note (what the loader assumed) is not shown:\n{output}"


@pytest.mark.parametrize("name", sorted(REGISTRY_LOADS))
def test_loadable_registry_runs_and_shows_the_note(tmp_path: Path, name: str) -> None:
    _loadable_registry(tmp_path, name, REGISTRY_LOADS[name])


@pytest.mark.parametrize("name", sorted(REGISTRY_LOADS_MORE))
def test_more_loadable_registries_load(banten, name: str) -> None:  # type: ignore[no-untyped-def]
    # the same loader as the CLI runs above (load_demand, before any classification), without
    # writing maps: ten more Banten locate runs cost minutes of the suite for nothing new
    registry = load_demand(banten, None, BROKEN / "registry" / name, 0)
    assert int(registry.counts["belum_rekam"].sum()) > 0
    assert any(REGISTRY_LOADS_MORE[name] in note for note in registry.notes), registry.notes


# --------------------------------------------------------------------------- config


@pytest.mark.parametrize("previous", [False, True], ids=["no-out", "previous-out"])
@pytest.mark.parametrize("name", sorted(CONFIG_WHERE))
def test_broken_config_through_plan(tmp_path: Path, name: str, previous: bool) -> None:
    out, before = _out_with_previous(tmp_path) if previous else (tmp_path / "hasil", None)
    option = "--teams" if name.startswith("teams") else "--policy"
    args = ["plan", "--region", "sarolangun", "--week", "2018-10-08"]
    args += ["--time-limit", "1", "--solution-limit", "5", option, str(BROKEN / "config" / name)]
    code, output, exc = _invoke([*args, "--out", str(out)])
    _assert_untouched(tmp_path, out, before)
    _check_failure(code, output, exc, name)
    for text in CONFIG_WHERE[name]:
        assert text in output, (text, output)


# --------------------------------------------------------------------------- region


@pytest.mark.parametrize("previous", [False, True], ids=["no-out", "previous-out"])
@pytest.mark.parametrize("name", sorted(REGION_WHERE))
def test_broken_region_through_locate(tmp_path: Path, name: str, previous: bool) -> None:
    out, before = _out_with_previous(tmp_path) if previous else (tmp_path / "hasil", None)
    folder = BROKEN / "region" / name
    code, output, exc = _invoke(["locate", "--region", str(folder), "--out", str(out)])
    _assert_untouched(tmp_path, out, before)
    file_name, texts = REGION_WHERE[name]
    _check_failure(code, output, exc, file_name)
    for text in texts:
        assert text in output, (text, output)


def test_region_errors_in_a_real_process_are_only_error_lines(tmp_path: Path) -> None:
    """Out of pytest's warning capture, a GDAL warning would reach stderr before the errors."""
    folder = BROKEN / "region" / "08_sqlite_not_gpkg"
    out = tmp_path / "hasil"
    done = subprocess.run(
        [sys.executable, "-m", "planner", "locate", "--region", str(folder), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    lines = (done.stdout + done.stderr).lstrip("\n").splitlines()
    bad = [line for line in lines if not line.startswith("ERROR:")]
    assert not bad, f"lines before or between the ERROR lines (a GDAL warning?): {bad[:2]}"
    assert len(lines) == len(set(lines)), "the same problem reported more than once"
    assert not out.exists()


def test_valid_base_region_locates(tmp_path: Path) -> None:
    out = tmp_path / "hasil"
    folder = BROKEN / "region" / "00_valid_base"
    code, output, exc = _invoke(["locate", "--region", str(folder), "--out", str(out)])
    assert exc is None and code == 0, output
    assert len(gpd.read_file(out / "desa.gpkg", layer="desa")) == 16


# --------------------------------------------------------------------------- generators


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"make_{path.parent.name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_config_corpus_matches_its_generator(tmp_path: Path) -> None:
    _module(BROKEN / "config" / "make_files.py").main(tmp_path)
    made = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert made == {name: (BROKEN / "config" / name).read_bytes() for name in CONFIG_WHERE}


def _gpkg_content(path: Path) -> object:
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception:  # not a GeoPackage (on purpose): compare bytes or tables
        if path.read_bytes()[:15] == b"SQLite format 3":
            with sqlite3.connect(path) as db:
                rows = db.execute("SELECT name FROM sqlite_master ORDER BY name").fetchall()
            return rows
        return path.read_bytes()
    content = {}
    for layer in layers:
        frame = gpd.read_file(path, layer=layer)
        geometry = [None if g is None else g.wkb for g in frame.geometry]
        content[layer] = (frame.drop(columns="geometry").to_dict("list"), geometry)
    return content


def test_region_corpus_matches_its_generator(tmp_path: Path) -> None:
    _module(BROKEN / "region" / "make_files.py").main(tmp_path)
    committed = BROKEN / "region"
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert made == sorted(
        p.relative_to(committed)
        for p in committed.rglob("*")
        if p.is_file() and p.name != "make_files.py" and "__pycache__" not in p.parts
    )
    for rel in made:
        if rel.suffix == ".gpkg":
            assert _gpkg_content(tmp_path / rel) == _gpkg_content(committed / rel), rel
        else:
            assert (tmp_path / rel).read_bytes() == (committed / rel).read_bytes(), rel
    shutil.rmtree(tmp_path, ignore_errors=True)


# --------------------------------------------------------------------------- --out itself


def test_out_folder_with_user_files_is_refused(tmp_path: Path) -> None:
    """``--out`` naming a folder of the user's own files must not delete them."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "catatan.txt").write_text("catatan penting\n", encoding="utf-8")
    shutil.copyfile(BROKEN / "registry" / "17_utf8_bom.csv", folder / "register.csv")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    code, output, exc = _invoke(["locate", "--region", str(BASE_REGION), "--out", str(folder)])
    assert exc is None and "Traceback" not in output, output
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert after == before, f"the user's folder was changed: {sorted(after)}"
    _check_failure(code, output, exc, "data")


def test_out_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "hasil.txt"
    target.write_text("bukan folder\n", encoding="utf-8")
    code, output, exc = _invoke(["locate", "--region", str(BASE_REGION), "--out", str(target)])
    assert exc is None and "Traceback" not in output, output
    intact = target.is_file() and target.read_text(encoding="utf-8") == "bukan folder\n"
    assert intact and code == 2, f"exit {code}, left {sorted(os.listdir(tmp_path))}"
    _check_failure(code, output, exc, "hasil.txt")


def test_out_dot_gives_an_error_and_leaves_nothing(tmp_path: Path) -> None:
    work = tmp_path / "kerja"
    work.mkdir()
    (work / "keep.txt").write_text("x\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "planner", "locate", "--region", str(BASE_REGION), "--out", "."],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    text = done.stdout + done.stderr
    left = sorted(os.listdir(work))
    assert "Traceback" not in text and left == ["keep.txt"], f"{left} {text[-200:]}"
    assert done.returncode == 2 and text.lstrip().startswith("ERROR:"), text


def test_estimate_registry_out_folder_is_an_error(tmp_path: Path) -> None:
    code, output, exc = _invoke(
        ["estimate-registry", "--region", str(BASE_REGION), "--out", str(tmp_path)]
    )
    assert exc is None, repr(exc)
    _check_failure(code, output, exc, str(tmp_path.name))


def test_plan_and_locate_refuse_each_others_output(tmp_path: Path) -> None:
    """A ``jemput locate`` folder is not replaced by ``jemput plan``, nor the other way round."""
    sebaran, rencana = tmp_path / "sebaran", tmp_path / "rencana"
    for out, command in ((sebaran, "locate"), (rencana, "plan")):
        with planner.io.outputs.atomic_output_dir(out, command) as staging:
            (staging / "marker.txt").write_text(command, encoding="utf-8")
    before = {p: p.read_bytes() for p in [*sebaran.iterdir(), *rencana.iterdir()]}
    args = ["plan", "--region", "sarolangun", "--week", "2018-10-08", "--time-limit", "1"]
    code, output, exc = _invoke([*args, "--out", str(sebaran)])
    _check_failure(code, output, exc, "sebaran")
    assert "holds the output of 'jemput locate'" in output, output
    code, output, exc = _invoke(["locate", "--region", "sarolangun", "--out", str(rencana)])
    _check_failure(code, output, exc, "rencana")
    assert "holds the output of 'jemput plan'" in output, output
    assert {p: p.read_bytes() for p in [*sebaran.iterdir(), *rencana.iterdir()]} == before
    # the same command replaces its own earlier output
    with planner.io.outputs.atomic_output_dir(rencana, "plan") as staging:
        (staging / "marker.txt").write_text("again", encoding="utf-8")
    assert (rencana / "marker.txt").read_text(encoding="utf-8") == "again"
