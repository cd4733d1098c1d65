"""``jemput locate`` and ``jemput estimate-registry`` end to end, through the CLI."""

from __future__ import annotations

import json
import random
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from typer.testing import CliRunner

from planner.app.cli import app

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def banten_locate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("locate") / "banten"
    code, output = _run("locate", "--region", "banten", "--out", str(out))
    assert code == 0, output
    return out


def test_locate_writes_every_output(banten_locate: Path) -> None:
    names = {p.name for p in banten_locate.iterdir()}
    assert {
        "desa.gpkg",
        "desa.geojson",
        "ringkasan.csv",
        "peta_sebaran.html",
        "sumber.json",
    } <= names
    desa = gpd.read_file(banten_locate / "desa.gpkg", layer="desa")
    sites = gpd.read_file(banten_locate / "desa.gpkg", layer="titik_kunjungan")
    assert len(desa) == 1552 and len(sites) == 1553  # Cikoneng has a Sangiang site
    assert desa["belum_rekam"].sum() == 232_020
    summary = pd.read_csv(banten_locate / "ringkasan.csv", dtype={"kode_kab": str})
    total = summary[(summary["nama_kab"] == "Seluruh wilayah") & (summary["kelas"] == "semua")]
    assert int(total["belum_rekam"].iloc[0]) == 232_020
    per_kab = summary[summary["kelas"] == "semua"].dropna(subset=["kode_kab"])
    assert len(per_kab) == 8 and per_kab["belum_rekam"].sum() == 232_020


def test_every_output_says_estimasi(banten_locate: Path) -> None:
    for name in ("desa.geojson", "ringkasan.csv", "peta_sebaran.html", "sumber.json"):
        assert "estimasi" in (banten_locate / name).read_text(encoding="utf-8").lower(), name
    meta = json.loads((banten_locate / "sumber.json").read_text())
    assert meta["is_estimate"] is True and "jemput-estimasi-v1" in meta["estimate_model"]
    desa = gpd.read_file(banten_locate / "desa.gpkg", layer="desa")
    assert desa["sumber_data"].str.contains("estimasi").all()


def test_estimate_registry_command_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "estimasi.csv"
    code, output = _run(
        "estimate-registry", "--region", "banten", "--as-of", "2017-11", "--out", str(out)
    )
    assert code == 0, output
    frame = pd.read_csv(out, dtype={"kode_desa": str})
    assert frame["belum_rekam"].sum() == 232_020 and frame["wajib_ktp"].sum() == 7_549_281
    assert (frame["status"] == "estimasi").all()
    # the written estimate is itself a valid registry for locate
    code, output = _run(
        "locate", "--region", "banten", "--registry", str(out), "--out", str(tmp_path / "o")
    )
    assert code == 0, output


def test_estimate_registry_rejects_other_month(tmp_path: Path) -> None:
    code, output = _run(
        "estimate-registry",
        "--region",
        "banten",
        "--as-of",
        "2019-01",
        "--out",
        str(tmp_path / "x.csv"),
    )
    assert code == 2
    assert output.startswith("ERROR:") and "2017-11" in output
    assert not (tmp_path / "x.csv").exists()


def _person_rows(codes: list[str], n: int) -> pd.DataFrame:
    rng = random.Random(7)
    first = ["Siti", "Ahmad", "Dewi", "Budi", "Nur", "Asep", "Euis", "Ujang"]
    last = ["Rahmawati", "Hidayat", "Suryani", "Saputra", "Maulana", "Kurniasih"]
    rows = []
    for i in range(n):
        rows.append(
            {
                "nik": f"3604{rng.randrange(10**11, 10**12):012d}",
                "nama_lengkap": f"{rng.choice(first)} {rng.choice(last)} Xq{i:04d}",
                "tanggal_lahir": (
                    f"19{rng.randrange(40, 99)}-0{rng.randrange(1, 9)}-1{rng.randrange(0, 9)}"
                ),
                "kode_desa": rng.choice(codes),
                "status_rekam": rng.choice(["sudah", "belum", "belum"]),
            }
        )
    return pd.DataFrame(rows)


def test_person_level_registry_leaks_no_nik_or_name(tmp_path: Path) -> None:
    codes = ["36.04.08.2009", "36.04.13.2009", "36.02.06.2001", "36.01.01.2001"]
    persons = _person_rows(codes, 300)
    registry = tmp_path / "register_orang.csv"
    persons.to_csv(registry, index=False)
    out = tmp_path / "out"
    code, output = _run(
        "locate", "--region", "banten", "--registry", str(registry), "--out", str(out)
    )
    assert code == 0, output
    secrets = set(persons["nik"]) | set(persons["nama_lengkap"]) | set(persons["tanggal_lahir"])
    secrets |= {name.split()[-1] for name in persons["nama_lengkap"]}  # the unique name parts
    blobs = [output.encode()] + [p.read_bytes() for p in out.rglob("*") if p.is_file()]
    for blob in blobs:
        text = blob.decode("utf-8", errors="ignore")
        leaked = [s for s in secrets if s in text]
        assert not leaked, leaked[:3]
    desa = gpd.read_file(out / "desa.gpkg", layer="desa").set_index("kode")
    assert desa.loc[codes, "wajib_ktp"].sum() == 300
    assert "estimasi" not in (out / "sumber.json").read_text()


def test_broken_registry_gives_errors_and_no_output(tmp_path: Path) -> None:
    registry = tmp_path / "rusak.csv"
    registry.write_text(
        "kode_desa,wajib_ktp,sudah_rekam\n36.04.08.2009,100,120\n99.99.99.9999,10,5\n36.04.08.2009,-5,1\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code, output = _run(
        "locate", "--region", "banten", "--registry", str(registry), "--out", str(out)
    )
    assert code == 2
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) >= 3 and all(line.startswith("ERROR:") for line in lines), output
    assert "row 2" in output and "row 3" in output and "row 4" in output
    assert "Traceback" not in output
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")], "no staging left"


def test_failed_run_keeps_previous_output(tmp_path: Path, banten_locate: Path) -> None:
    import shutil

    out = tmp_path / "keep"
    shutil.copytree(banten_locate, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    registry = tmp_path / "kosong.csv"
    registry.write_text("", encoding="utf-8")
    code, output = _run(
        "locate", "--region", "banten", "--registry", str(registry), "--out", str(out)
    )
    assert code == 2 and output.startswith("ERROR:")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_unknown_region_is_a_clear_error(tmp_path: Path) -> None:
    code, output = _run("locate", "--region", "atlantis", "--out", str(tmp_path / "o"))
    assert code == 2 and output.startswith("ERROR:") and "atlantis" in output


def test_debug_shows_traceback(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["--debug", "locate", "--region", "atlantis", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code != 0 and result.exception is not None


def test_sarolangun_locate(tmp_path: Path) -> None:
    out = tmp_path / "sarolangun"
    code, output = _run("locate", "--region", "sarolangun", "--out", str(out))
    assert code == 0, output
    desa = gpd.read_file(out / "desa.gpkg", layer="desa")
    assert len(desa) == 158 and desa["belum_rekam"].sum() == 66_496


def test_sebaran_map_is_light_and_needs_no_emoji_font(banten_locate: Path) -> None:
    """The travel method once, in a note one click away; SVG icons; every place kind in the
    legend; port names not doubled."""
    text = (banten_locate / "peta_sebaran.html").read_text(encoding="utf-8")
    desa = gpd.read_file(banten_locate / "desa.gpkg", layer="desa")
    remote = desa.loc[desa["is_terpencil"].astype(bool), "alasan_terpencil"]
    assert len(remote) > 0
    method = str(remote.iloc[0]).split("; ", 1)[1].rstrip(")")
    assert text.count(method) == 1, "the travel method is said once, in the note"
    source = json.loads((banten_locate / "sumber.json").read_text())
    model = str(source["estimate_model"])
    assert len(model) > 100 and text.count(model[:80]) == 1, "the source once, not per popup"
    assert "<details class='jb-catatan'" in text and "Catatan:" in text
    assert "&#127970;" not in text and "🏢" not in text and "&#9875;" not in text
    assert "Pelabuhan Pelabuhan" not in text and "Pelabuhan Grenyang" in text
    for label in ("Kantor Disdukcapil", "Kantor kecamatan", "Pelabuhan"):
        assert label in text
