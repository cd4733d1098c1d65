"""Privacy: a person-level registry (NIK, name, birth date) leaves no trace in any byte written.

``tests/integration/test_locate_cli.py`` checks ``locate`` output files; here ``locate`` *and*
``plan`` run on the same person file, and every byte is scanned: each output file (xlsx
unzipped member by member, html, json, csv, gpx, geojson, gpkg), stdout/stderr, and every
other file the runs left under the test folder. Error messages for bad person rows quote row
numbers, never values.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.app.cli import app

runner = CliRunner()
#: Kecamatan Sarolangun and Pauh villages (Kabupaten Sarolangun, 15.03)
CODES = ["15.03.03.1001", "15.03.03.1015", "15.03.03.2002", "15.03.03.2003", "15.03.03.2004"]
TEAMS = '[[teams]]\nid = "tim-1"\nname = "Tim Uji"\ndepot = "dinas-15.03"\nkits = 2\n'


def _persons(n: int, seed: int = 11) -> pd.DataFrame:
    rng = random.Random(seed)
    first = ["Siti", "Ahmad", "Dewi", "Budi", "Nur", "Rahmat", "Yusuf", "Intan"]
    rows = []
    for i in range(n):
        year, month, day = rng.randrange(1940, 2000), rng.randrange(1, 13), rng.randrange(1, 29)
        rows.append(
            {
                "nik": f"1503{rng.randrange(10**11, 10**12):012d}",
                "nama": f"{rng.choice(first)} Zq{i:04d}wx",
                "tanggal_lahir": f"{year:04d}-{month:02d}-{day:02d}",
                "kode_desa": rng.choice(CODES),
                "status_rekam": "belum" if rng.random() < 0.7 else "sudah",
            }
        )
    return pd.DataFrame(rows)


def _secrets(persons: pd.DataFrame) -> set[str]:
    secrets = set(persons["nik"]) | set(persons["nama"])
    secrets |= {name.split()[-1] for name in persons["nama"]}  # the unique name part
    for text in persons["tanggal_lahir"]:
        y, m, d = text.split("-")
        secrets |= {text, f"{d}-{m}-{y}", f"{d}/{m}/{y}", f"{y}{m}{d}"}
    secrets |= {nik[:12] for nik in persons["nik"]}  # a NIK cut short is still a NIK
    return secrets


def _blobs(path: Path) -> list[tuple[str, bytes]]:
    """A file's bytes; a zip (xlsx) also member by member, uncompressed."""
    data = path.read_bytes()
    found = [(str(path), data)]
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found += [(f"{path}!{m}", archive.read(m)) for m in archive.namelist()]
    return found


def _leaks(blobs: list[tuple[str, bytes]], secrets: set[str]) -> list[tuple[str, str]]:
    leaks = []
    for where, blob in blobs:
        for encoding in ("utf-8", "utf-16-le"):
            text = blob.decode(encoding, errors="ignore")
            leaks += [(where, s) for s in secrets if s in text]
    return leaks


@pytest.fixture(scope="module")
def person_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("privacy")
    persons = _persons(400)
    registry = root / "input" / "register_orang.csv"
    registry.parent.mkdir()
    persons.to_csv(registry, index=False)
    teams = root / "input" / "teams.toml"
    teams.write_text(TEAMS, encoding="utf-8")
    outputs = []
    sebaran, rencana = str(root / "sebaran"), str(root / "rencana")
    plan_args = ["plan", "--region", "sarolangun", "--week", "2018-10-08"]
    plan_args += ["--time-limit", "3", "--solution-limit", "30"]
    locate = runner.invoke(
        app,
        ["locate", "--region", "sarolangun", "--registry", str(registry), "--out", sebaran],
    )
    outputs.append(locate.output)
    plan = runner.invoke(
        app,
        [*plan_args, "--registry", str(registry), "--teams", str(teams), "--out", rencana],
    )
    outputs.append(plan.output)
    return {
        "root": root,
        "persons": persons,
        "codes": (locate.exit_code, plan.exit_code),
        "outputs": outputs,
    }


def test_both_runs_succeed_and_use_the_persons(person_runs: dict[str, object]) -> None:
    root = Path(str(person_runs["root"]))
    assert person_runs["codes"] == (0, 0), person_runs["outputs"]
    itinerary = pd.read_csv(root / "rencana" / "itinerary.csv", dtype=str)
    assert set(itinerary["kode_desa"]) <= set(CODES) and len(itinerary) > 0
    names = {p.name for p in (root / "rencana").iterdir()}
    assert {"plan.json", "itinerary.csv", "jadwal.xlsx"} <= names


def test_no_byte_written_holds_a_nik_name_or_birth_date(person_runs: dict[str, object]) -> None:
    root = Path(str(person_runs["root"]))
    persons = person_runs["persons"]
    assert isinstance(persons, pd.DataFrame)
    blobs = [("stdout+stderr", "\n".join(map(str, person_runs["outputs"])).encode())]
    written = [p for p in root.rglob("*") if p.is_file() and p.parent.name != "input"]
    assert len(written) >= 8, written
    kinds = {p.suffix for p in written}
    assert {".json", ".csv", ".xlsx", ".html", ".gpkg"} <= kinds, kinds
    for path in written:
        blobs += _blobs(path)
    assert _leaks(blobs, _secrets(persons)) == []


BAD_ROWS = [
    # nik, nama, tanggal_lahir (row 2 is fine)
    ("1503011234567890", "Siti Aman", "1980-01-02"),
    ("15030112345678", "Ahmad Pendek", "1979-05-06"),  # 14 digits
    ("1503AB1234567890", "Dewi Huruf", "1985-07-08"),  # letters
    ("1503019876543210", "Budi Tanggal", "1990-13-45"),  # impossible date
    ("1503015555555555", "Nur Masa Depan", "2031-01-01"),  # born in the future
]


def _run_bad(tmp_path: Path) -> str:
    path = tmp_path / "orang_rusak.csv"
    frame = pd.DataFrame(BAD_ROWS, columns=["nik", "nama", "tanggal_lahir"])
    frame["kode_desa"] = CODES[0]
    frame["status_rekam"] = "belum"
    frame.to_csv(path, index=False)
    out = tmp_path / "hasil"
    result = runner.invoke(
        app, ["locate", "--region", "sarolangun", "--registry", str(path), "--out", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert result.output.lstrip().startswith("ERROR:") and "Traceback" not in result.output
    assert not out.exists()
    return result.output


def test_bad_person_rows_quote_rows_not_values(tmp_path: Path) -> None:
    output = _run_bad(tmp_path)
    for row in (5, 6):  # impossible and future birth dates
        assert f"row {row}" in output, output
    values = {v for row in BAD_ROWS for v in row} | {v[:10] for row in BAD_ROWS for v in row}
    values |= {name.split()[-1] for _, name, _ in BAD_ROWS}
    leaked = [v for v in values if v in output]
    assert leaked == [], (leaked, output)


def test_malformed_nik_rows_are_reported_by_row(tmp_path: Path) -> None:
    output = _run_bad(tmp_path)
    assert "row 3" in output and "row 4" in output, output
