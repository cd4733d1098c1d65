"""Rencana minggu: run a week's plan in a worker, follow it, cancel it, read and download it."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from htmltools import Tag, TagList
from shiny import Inputs, reactive, render, ui

from planner.app.web.common import (
    JobTexts,
    RunningJob,
    SessionState,
    cancel_running,
    finished_result,
    iframe,
    job_status_view,
    run_in_pool,
)
from planner.app.web.pool import JobResult, PlanSpec

SUMMARY_ROWS: tuple[tuple[str, str, str], ...] = (
    ("planned_recordings", "Perkiraan perekaman terjadwal", "{:,}"),
    ("capacity_bound", "Kapasitas minggu (batas atas)", "{:,}"),
    ("utilisation", "Utilisasi", "{:.1%}"),
    ("villages_visited", "Desa dikunjungi", "{}"),
    ("team_days_used", "Hari-tim terpakai", "{}"),
    ("km", "Jarak tempuh (km)", "{:,}"),
    ("boat_hours", "Jam di perahu", "{}"),
)
UNPLANNED_COLUMNS = {
    "desa": "Desa",
    "kecamatan": "Kecamatan",
    "kabupaten": "Kabupaten/Kota",
    "belum_rekam": "Belum rekam",
    "expected": "Perkiraan hadir",
    "planned": "Terjadwal",
    "alasan": "Alasan",
}

PLAN_TEXTS = JobTexts(
    what="Rencana",
    not_run="Rencana tidak dijalankan:",
    failed="Rencana tidak dapat disusun:",
    cancelled="Rencana dibatalkan; tidak ada yang ditulis.",
    cancelled_id="plan-cancelled",
    done="Rencana selesai.",
    done_id="plan-done",
    idle="Pilih minggu lalu tekan «Susun rencana».",
    with_elapsed=True,
)


def rencana_panel(week: date | None) -> Any:
    """The Rencana minggu tab."""
    return ui.nav_panel(
        "Rencana minggu",
        ui.layout_sidebar(
            ui.sidebar(
                ui.input_date("week", "Minggu (hari Senin)", value=week, language="id"),
                ui.input_numeric("time_limit", "Batas waktu pencarian (detik)", 30, min=1),
                ui.input_numeric(
                    "solution_limit", "Batas jumlah solusi (0 = tanpa batas)", 0, min=0
                ),
                ui.input_action_button("plan_run", "Susun rencana", class_="btn-primary"),
                ui.input_action_button("plan_cancel", "Batalkan", class_="btn-outline-danger"),
                ui.help_text(
                    "Memakai wilayah dan register dari tab Sebaran dan tabel dari tab Tim."
                ),
                width=320,
            ),
            ui.output_ui("plan_status"),
            ui.output_ui("plan_result"),
            ui.output_data_frame("plan_unplanned"),
        ),
        value="rencana",
    )


def summary_table(summary: dict[str, Any], estimate: bool) -> Tag:
    """The week's totals as a small HTML table (labelled estimasi when the demand is)."""
    body = []
    for key, label, pattern in SUMMARY_ROWS:
        value = summary.get(key)
        if key == "team_days_used":
            value = f"{value} / {summary.get('team_days_available')}"
        text = pattern.format(float(str(value))) if pattern == "{:.1%}" else pattern.format(value)
        body.append(ui.tags.tr(ui.tags.th(label), ui.tags.td(text, class_="text-end")))
    shares = summary.get("class_share") or {}
    for name, share in shares.items():
        body.append(
            ui.tags.tr(
                ui.tags.th(f"Pangsa di desa {name}"),
                ui.tags.td(f"{float(share):.1%}", class_="text-end"),
            )
        )
    caption = "Ringkasan (estimasi)" if estimate else "Ringkasan (register)"
    return ui.tags.table(
        ui.tags.caption(caption, class_="caption-top"),
        ui.tags.tbody(*body),
        class_="table table-sm w-auto",
        id="plan-summary",
    )


def zip_pages(out: Path) -> bytes:
    """The kecamatan and desa pages of a plan folder as one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for sub in ("kecamatan", "desa"):
            for path in sorted((out / sub).glob("*.html")):
                archive.write(path, f"{sub}/{path.name}")
    return buffer.getvalue()


def plan_downloads(prefix: str) -> Tag:
    """The download buttons of a finished plan (ids start with ``prefix``)."""
    return ui.div(
        ui.download_button(f"{prefix}_jadwal", "jadwal.xlsx"),
        ui.download_button(f"{prefix}_pages", "Halaman kecamatan & desa (.zip)"),
        ui.download_button(f"{prefix}_gpx", "routes.gpx"),
        ui.download_button(f"{prefix}_json", "plan.json"),
        class_="d-flex flex-wrap gap-2 my-2",
    )


def plan_server(input: Inputs, state: SessionState) -> None:
    """Reactive logic of the Rencana minggu tab."""
    job: reactive.Value[RunningJob | None] = reactive.value(None)
    problems: reactive.Value[tuple[str, ...]] = reactive.value(())

    @reactive.extended_task
    async def plan_task(spec: PlanSpec) -> JobResult:
        return await run_in_pool(state.pool, "plan_job", spec)

    @reactive.effect
    def _default_week() -> None:
        info = state.info()
        if info is not None and info.week is not None:
            ui.update_date("week", value=info.week)

    @reactive.effect
    @reactive.event(input.plan_run)
    def _run() -> None:
        if plan_task.status() == "running":
            return
        week = input.week()
        teams = state.teams_toml.get()
        found = []
        if week is None or week.weekday() != 0:
            found.append(f"minggu: {week} bukan hari Senin")
        if teams is None:
            found.append("tabel tim belum valid (lihat tab Tim)")
        problems.set(tuple(found))
        if found or week is None or teams is None:
            return
        job_dir = state.folder.new_job("rencana")
        teams_path = job_dir / "teams.toml"
        teams_path.write_text(teams, encoding="utf-8")
        limit = input.solution_limit()
        spec = PlanSpec(
            region=state.region.get(),
            week=week.isoformat(),
            job_dir=str(job_dir),
            out=str(job_dir / "out"),
            teams_path=str(teams_path),
            registry_path=state.registry_counts.get(),
            time_limit_s=float(input.time_limit() or 30),
            solution_limit=int(limit) if limit else None,
        )
        job.set(RunningJob(job_dir))
        plan_task.invoke(spec)

    @reactive.effect
    @reactive.event(input.plan_cancel)
    def _cancel() -> None:
        cancel_running(plan_task, job)

    def finished() -> JobResult | None:
        return finished_result(plan_task)

    @reactive.effect
    def _remember() -> None:
        result = finished()
        if result is not None and result.ok:
            state.last_plan.set(str(result.data["out"]))

    @render.ui
    def plan_status() -> Tag | TagList:
        return job_status_view(plan_task, job, problems(), PLAN_TEXTS)

    @render.ui
    def plan_result() -> Tag | TagList:
        result = finished()
        if result is None or not result.ok:
            return TagList()
        out = Path(result.data["out"])
        estimate = bool(result.data["meta"].get("is_estimate"))
        return TagList(
            plan_downloads("plan_dl"),
            summary_table(result.data["summary"], estimate),
            iframe(state.folder.url(out / "peta.html"), height_px=600, title="peta rute"),
            ui.h5("Desa yang tidak terjadwal", class_="mt-3"),
        )

    @render.data_frame
    def plan_unplanned() -> Any:
        result = finished()
        if result is None or not result.ok:
            return None
        frame = pd.DataFrame.from_records(result.data["unplanned"])
        if frame.empty:
            return render.DataGrid(pd.DataFrame({"Keterangan": ["Semua desa terjadwal"]}))
        frame = frame[list(UNPLANNED_COLUMNS)].rename(columns=UNPLANNED_COLUMNS)
        return render.DataGrid(frame, width="100%", filters=True)

    def out_file(name: str) -> Path:
        result = finished()
        if result is None or not result.ok:
            raise FileNotFoundError(name)
        return Path(result.data["out"]) / name

    @render.download_button(filename="jadwal.xlsx")
    def plan_dl_jadwal() -> str:
        return str(out_file("jadwal.xlsx"))

    @render.download_button(filename="routes.gpx")
    def plan_dl_gpx() -> str:
        return str(out_file("routes.gpx"))

    @render.download_button(filename="plan.json")
    def plan_dl_json() -> str:
        return str(out_file("plan.json"))

    @render.download_button(filename="halaman_kecamatan_desa.zip")
    def plan_dl_pages() -> Iterator[bytes]:
        yield zip_pages(out_file("plan.json").parent)


def plan_week_of(path: Path) -> str | None:
    """The week (Monday) of a written ``plan.json``."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = document.get("week_start") if isinstance(document, dict) else None
    return str(value) if value else None
