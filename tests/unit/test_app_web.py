"""The web app's plain parts: the teams table, scenario levers, the guard, in-memory uploads."""

from __future__ import annotations

import asyncio
import base64
import subprocess
import sys
import tomllib
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planner.app.web.app import app_ui
from planner.app.web.page_skenario import comparison_table
from planner.app.web.page_target import (
    MAX_CONFIRM,
    target_problems,
    target_table_view,
    target_verdict,
)
from planner.app.web.pool import CANCEL_FILE, JobPool, TargetSpec
from planner.app.web.scenario_form import Levers, apply_levers, base_toml, scenario_toml
from planner.app.web.security import Guard, is_loopback, required_passphrase
from planner.app.web.teams_table import team_rows, teams_from_rows, teams_toml
from planner.app.web.worker import in_memory_file, target_job
from planner.core.errors import ConfigError
from planner.domain.config import load_teams
from planner.io.region import load_region
from planner.scenarios.run import load_scenarios

ROOT = Path(__file__).resolve().parents[2]
SAROLANGUN = ROOT / "examples" / "sarolangun" / "teams.toml"
DEPOTS = ["dinas-15.03", "kec-15.03.01", "kec-15.03.06"]


def test_teams_round_trip_through_the_table_and_toml() -> None:
    teams = load_teams(SAROLANGUN)
    rows = team_rows(teams)
    again = teams_from_rows(rows, depot_ids=DEPOTS, regency_codes=["15.03"], region="sarolangun")
    assert again.teams == teams.teams
    parsed = tomllib.loads(teams_toml(again, header="test"))
    assert [t["id"] for t in parsed["teams"]] == [t.id for t in teams.teams]
    assert parsed["teams"][0]["working_days"] == list(teams.teams[0].working_days)


def test_bad_cells_are_listed_with_row_and_column() -> None:
    rows = team_rows(load_teams(SAROLANGUN))
    rows[0]["kits"] = "dua"
    rows[1]["boat"] = "mungkin"
    with pytest.raises(ConfigError) as caught:
        teams_from_rows(rows, depot_ids=DEPOTS, regency_codes=["15.03"])
    assert caught.value.problems == [
        "tabel tim, baris 1, kolom kits: 'dua' bukan angka",
        "tabel tim, baris 2, kolom boat: 'mungkin' bukan ya/tidak",
    ]


def test_teams_are_validated_as_a_file_is() -> None:
    rows = team_rows(load_teams(SAROLANGUN))
    rows[0]["kits"] = "0"
    rows[1]["depot"] = "dinas-99.99"
    with pytest.raises(ConfigError) as caught:
        teams_from_rows(rows, depot_ids=DEPOTS, regency_codes=["15.03"])
    text = "\n".join(caught.value.problems)
    assert "kits" in text


def test_unknown_depot_is_reported() -> None:
    rows = team_rows(load_teams(SAROLANGUN))
    rows[1]["depot"] = "dinas-15.99"
    with pytest.raises(ConfigError) as caught:
        teams_from_rows(rows, depot_ids=DEPOTS, regency_codes=["15.03"])
    assert any("dinas-15.99" in p for p in caught.value.problems)


def test_loopback_and_passphrase_rules() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    assert required_passphrase("127.0.0.1", None) is None
    assert required_passphrase("0.0.0.0", "kata-sandi-kantor") == "kata-sandi-kantor"
    with pytest.raises(ConfigError, match="needs a passphrase"):
        required_passphrase("0.0.0.0", None)
    with pytest.raises(ConfigError, match="at least 8"):
        required_passphrase("0.0.0.0", "pendek")


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine on a fresh event loop in its own thread.

    Playwright's sync API (the browser tests, same pytest process) leaves an event loop set
    on the main thread, where ``asyncio.run`` then refuses to start.
    """
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, coroutine).result()


def _call(guard: Guard, headers: list[tuple[bytes, bytes]]) -> tuple[list[Any], bool]:
    sent: list[Any] = []
    reached = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(True)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request"}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "path": "/", "headers": headers}
    _run(guard(scope, receive, send))
    return sent, bool(reached)


def test_guard_asks_for_the_passphrase_and_limits_bodies() -> None:
    guard = Guard(lambda *a: None, "kata-sandi-kantor", max_body_bytes=100)  # type: ignore[arg-type,return-value]
    sent, reached = _call(guard, [])
    assert not reached and sent[0]["status"] == 401
    wrong = b"Basic " + base64.b64encode(b"x:salah")
    assert _call(guard, [(b"authorization", wrong)])[0][0]["status"] == 401
    right = b"Basic " + base64.b64encode(b"siapa:kata-sandi-kantor")
    big = [(b"authorization", right), (b"content-length", b"101")]
    assert _call(guard, big)[0][0]["status"] == 413


def test_guard_lets_the_right_passphrase_through() -> None:
    reached: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(True)

    guard = Guard(app, "kata-sandi-kantor")
    right = b"Basic " + base64.b64encode(b"siapa:kata-sandi-kantor")

    async def noop(*args: Any) -> Any:
        return {"type": "http.request"}

    _run(guard({"type": "http", "headers": [(b"authorization", right)]}, noop, noop))
    assert reached == [True]


def test_an_upload_is_read_from_memory_and_leaves_nothing(tmp_path: Path) -> None:
    with in_memory_file(b"kode_desa,wajib_ktp\n", "../../rahasia.csv") as path:
        assert path.name == "rahasia.csv"
        assert path.read_bytes() == b"kode_desa,wajib_ktp\n"
        folder = path.parent
        if path.is_symlink():  # Linux: the bytes live in a memfd, not in a file
            assert str(path.readlink()).startswith("/proc/")
    assert not folder.exists()


def test_cancel_marks_a_job_that_has_not_started(tmp_path: Path) -> None:
    assert JobPool.cancel(tmp_path) is False  # no worker yet: nothing to signal
    assert (tmp_path / CANCEL_FILE).exists()  # the job will find the mark when it starts


def _levers(**changes: Any) -> Levers:
    return Levers(**{"name": "Tambah tim", "turnout": 0.6, **changes})


def test_levers_change_the_base_teams() -> None:
    base = load_teams(SAROLANGUN)
    draft = apply_levers(
        base,
        _levers(
            extra_teams=2,
            extra_depot="kec-15.03.01",
            extra_boat=True,
            extra_kits=1,
            boat_teams=("batangasai",),
            saturday=True,
            turnout=0.7,
        ),
        depot_ids=DEPOTS,
        regency_codes=["15.03"],
    )
    teams = {t.id: t for t in draft.teams.teams}
    assert list(teams) == [*(t.id for t in base.teams), "tambahan-1", "tambahan-2"]
    assert teams["sarolangun-1"].kits == 3 and teams["tambahan-2"].kits == 2
    assert [t.id for t in draft.teams.teams if t.boat] == ["batangasai", "tambahan-1", "tambahan-2"]
    assert all(t.working_days[-1] == "sabtu" for t in draft.teams.teams)
    assert draft.policy == {"turnout": 0.7}
    assert draft.description.startswith("Tambah 2 tim berperahu di kec-15.03.01; +1 alat")
    assert "hari Sabtu" in draft.description
    assert draft.key == "tambah_tim"


def test_bad_levers_are_all_listed() -> None:
    with pytest.raises(ConfigError) as caught:
        apply_levers(
            load_teams(SAROLANGUN),
            _levers(name=" ", extra_teams=1, extra_depot="dinas-99.99", boat_teams=("kapal",)),
            depot_ids=DEPOTS,
            regency_codes=["15.03"],
        )
    text = "\n".join(caught.value.problems)
    assert "nama wajib" in text and "dinas-99.99" in text and "kapal" in text
    with pytest.raises(ConfigError, match="kits"):  # 2 + 19 kits: over the teams.toml limit
        apply_levers(
            load_teams(SAROLANGUN),
            _levers(extra_kits=19),
            depot_ids=DEPOTS,
            regency_codes=["15.03"],
        )


def test_saved_scenario_loads_as_jemput_compare_loads_it(tmp_path: Path) -> None:
    region = load_region("sarolangun")
    base = load_teams(SAROLANGUN)
    draft = apply_levers(
        base,
        _levers(name="Dasar", extra_teams=1, extra_depot="dinas-15.03", saturday=True, turnout=0.8),
        depot_ids=region.depots["depot_id"].astype(str).tolist(),
        regency_codes=list(region.config.regency_codes),
    )
    assert draft.key == "skenario"  # never the base's file name
    (tmp_path / "dasar.toml").write_text('name = "Dasar"\n', encoding="utf-8")
    saved = tmp_path / f"{draft.key}.toml"
    saved.write_text(scenario_toml(draft, region="sarolangun"), encoding="utf-8")
    dasar, scenario = load_scenarios(region, [tmp_path / "dasar.toml", saved])
    assert dasar.teams.teams == base.teams  # the region's example teams
    assert scenario.teams.teams == draft.teams.teams
    assert scenario.policy.turnout == 0.8 and scenario.name == "Dasar"


def test_scenario_on_a_smaller_tim_table_keeps_its_teams(tmp_path: Path) -> None:
    region = load_region("sarolangun")
    table = load_teams(SAROLANGUN).model_copy(update={"teams": load_teams(SAROLANGUN).teams[:2]})
    (tmp_path / "teams.toml").write_text(teams_toml(table), encoding="utf-8")
    draft = apply_levers(table, _levers(extra_kits=1), depot_ids=DEPOTS, regency_codes=["15.03"])
    counts = tmp_path / "sesi" / "rekap_desa.csv"  # the session's uploaded counts: absolute
    counts.parent.mkdir()
    counts.write_text("kode_desa,wajib_ktp,belum_rekam\n", encoding="utf-8")
    base = base_toml(teams_file="teams.toml", registry=str(counts))
    (tmp_path / "dasar.toml").write_text(base, encoding="utf-8")
    (tmp_path / "s.toml").write_text(scenario_toml(draft, region="x"), encoding="utf-8")
    dasar, scenario = load_scenarios(region, [tmp_path / "dasar.toml", tmp_path / "s.toml"])
    assert [t.id for t in dasar.teams.teams] == ["sarolangun-1", "sarolangun-2"]
    assert [t.kits for t in scenario.teams.teams] == [3, 2]
    assert dasar.registry == scenario.registry == counts  # the scenario plans the same demand


def test_comparison_table_puts_scenarios_side_by_side_escaped() -> None:
    rows = [
        {"name": "Dasar", "planned_recordings": 100, "utilisation": 0.5, "km": 10.0},
        {"name": "<b>Sabtu</b>", "planned_recordings": 130, "utilisation": 0.6, "km": None},
    ]
    html = str(comparison_table(rows, estimate=True, week="2018-10-01"))
    assert "&lt;b&gt;Sabtu&lt;/b&gt;" in html and "<b>Sabtu" not in html
    assert "+30" in html and "+10.0%" in html and "estimasi" in html
    recordings = html.split("Perkiraan perekaman per minggu")[1].split("</tr>")[0]
    assert [c.split(">")[-1] for c in recordings.split("</td>")[:3]] == ["100", "130", "+30"]


def test_the_page_has_every_tab() -> None:
    html = str(app_ui("sarolangun"))
    tabs = ("Sebaran", "Tim", "Rencana minggu", "Realisasi", "Skenario", "Proyeksi &amp; target")
    for tab in tabs:
        assert f">{tab}<" in html, tab
    assert 'id="target_section"' in html
    # the target form allows a quick, surrogate-only answer
    assert 'id="tg_confirm"' in html and 'min="0"' in html.split('id="tg_confirm"')[1][:200]


def test_the_server_process_never_loads_the_heavy_library() -> None:
    # docs/ARCHITECTURE.md: only the workers load GeoPandas, OR-Tools and Folium (fast start)
    code = (
        "import sys, planner.app.web.serve, planner.app.web.app; "
        "print(sorted(m for m in ('geopandas', 'ortools', 'folium', 'planner.app.web.worker') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_target_form_accepts_zero_confirmations_and_lists_every_problem() -> None:
    monday, regencies = date(2018, 10, 1), ("15.03",)
    ok = target_problems(
        monday, date(2018, 10, 14), 0, teams_ok=True, kabupaten="15.03", regencies=regencies
    )
    assert ok == []
    found = target_problems(
        date(2018, 10, 2),
        date(2018, 9, 1),
        MAX_CONFIRM + 1,
        teams_ok=False,
        kabupaten="99.99",
        regencies=regencies,
    )
    assert len(found) == 5, found
    assert "bukan hari Senin" in found[0] and "sebelum tanggal mulai" in found[1]
    assert "di luar 0-5" in found[2] and "'99.99'" in found[3] and "tab Tim" in found[4]
    for bad in (None, 1.5, "2"):
        only = target_problems(monday, monday, bad, teams_ok=True, kabupaten="", regencies=())
        assert len(only) == 1 and "bukan bilangan bulat" in only[0], (bad, only)


def test_target_table_is_ranked_escaped_and_labelled_estimate() -> None:
    rows = [
        {"rank": 1, "name": "<i>Tim</i>", "description": "15.03: tim x1", "cost_rp": 1.5e6,
         "surrogate_done_week": "2018-10-08", "surrogate_left": 0.0,
         "confirmed_done_week": None, "confirmed_left": None},
        {"rank": 2, "name": "Sabtu", "description": "kerja Sabtu", "cost_rp": 2e6,
         "surrogate_done_week": None, "surrogate_left": 12.4},
    ]  # fmt: skip
    html = str(target_table_view(rows, estimate=True))
    assert "&lt;i&gt;Tim&lt;/i&gt;" in html and "<i>Tim" not in html
    assert "1.500.000" in html and ">12<" in html and "estimasi" in html
    cells = html.split("<tbody>")[1].split("</tr>")[0].split("</td>")
    assert [c.split(">")[-1] for c in cells[:2]] == ["1", "&lt;i&gt;Tim&lt;/i&gt;"]
    assert cells[-2].endswith(">-")  # not confirmed by the planner


def test_target_job_reports_a_bad_area_as_problems(tmp_path: Path) -> None:
    spec = TargetSpec(
        region="sarolangun",
        start="2018-10-01",
        until="2018-10-14",
        job_dir=str(tmp_path / "job"),
        out=str(tmp_path / "job" / "out"),
        teams_path=str(SAROLANGUN),
        klass="gunung",
        confirm=0,
    )
    result = target_job(spec)
    assert not result.ok and any("gunung" in e for e in result.errors), result
    assert not (tmp_path / "job" / "out").exists()


def test_target_verdict_names_the_first_option_that_finishes() -> None:
    late = {"name": "A", "surrogate_done": False, "confirmed_done": None}
    refuted = {"name": "B", "surrogate_done": True, "confirmed_done": False}
    quick = {"name": "C", "surrogate_done": True, "confirmed_done": None}
    sure = {"name": "D", "surrogate_done": False, "confirmed_done": True}
    assert "Tidak ada pilihan" in target_verdict([late, refuted])
    assert target_verdict([late, refuted, quick, sure]).endswith("estimasi): C.")
    assert target_verdict([refuted, sure, quick]).endswith("(dipastikan perencana): D.")
