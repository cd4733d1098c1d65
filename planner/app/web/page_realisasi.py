"""Realisasi: what the teams recorded, and the rest of the week re-planned from it.

The form is ``selesai.csv`` of ``jemput plan --done`` (``team_id, date, kode_desa,
recorded``), filled in the page (one row per planned visit of the last plan, ``recorded``
empty = not reported: the plan's expectation is kept) or uploaded. The re-plan is the CLI's
``--lock plan.json --done selesai.csv --from DATE``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, timedelta
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
from planner.app.web.page_rencana import plan_week_of, summary_table
from planner.app.web.pool import JobResult, PlanSpec

DONE_COLUMNS = ["team_id", "date", "kode_desa", "desa", "expected_recordings", "recorded"]

REPLAN_TEXTS = JobTexts(
    what="Susun ulang",
    not_run="Susun ulang tidak dijalankan:",
    failed="Susun ulang gagal:",
    cancelled="Susun ulang dibatalkan.",
    done="Sisa minggu sudah disusun ulang.",
    done_id="replan-done",
)


def realisasi_panel() -> Any:
    """The Realisasi tab."""
    return ui.nav_panel(
        "Realisasi",
        ui.layout_sidebar(
            ui.sidebar(
                ui.input_date("replan_from", "Susun ulang mulai tanggal", language="id"),
                ui.input_file(
                    "done_upload",
                    "Atau unggah selesai.csv",
                    accept=[".csv"],
                    button_label="Pilih berkas",
                    placeholder="Isi di tabel",
                ),
                ui.input_action_button(
                    "replan_run", "Susun ulang sisa minggu", class_="btn-primary"
                ),
                ui.input_action_button("replan_cancel", "Batalkan", class_="btn-outline-danger"),
                ui.download_button("done_download", "Unduh selesai.csv"),
                width=320,
            ),
            ui.help_text(
                "Isi kolom recorded dengan jumlah penduduk yang benar-benar direkam pada kunjungan "
                "sebelum tanggal susun ulang (kosong = sesuai perkiraan rencana)."
            ),
            ui.output_ui("replan_status"),
            ui.output_data_frame("done_grid"),
            ui.output_ui("replan_result"),
        ),
        value="realisasi",
    )


def done_rows(plan_out: Path) -> pd.DataFrame:
    """One row per planned visit of a plan folder, ``recorded`` empty."""
    itinerary = pd.read_csv(plan_out / "itinerary.csv", dtype={"kode_desa": str})
    frame = itinerary.assign(recorded="")[DONE_COLUMNS]
    return frame.astype(str)


def realisasi_server(input: Inputs, state: SessionState) -> None:
    """Reactive logic of the Realisasi tab."""
    job: reactive.Value[RunningJob | None] = reactive.value(None)
    problems: reactive.Value[tuple[str, ...]] = reactive.value(())
    uploaded: reactive.Value[pd.DataFrame | None] = reactive.value(None)

    @reactive.extended_task
    async def replan_task(spec: PlanSpec) -> JobResult:
        return await run_in_pool(state.pool, "plan_job", spec)

    @reactive.effect
    def _from_default() -> None:
        out = state.last_plan()
        week = plan_week_of(Path(out) / "plan.json") if out else None
        if week:
            monday = date.fromisoformat(week)
            ui.update_date("replan_from", value=monday + timedelta(days=2))

    @reactive.effect
    @reactive.event(input.done_upload)
    def _upload() -> None:
        files = input.done_upload()
        if not files:
            return
        path = Path(files[0]["datapath"])
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        except (ValueError, OSError) as exc:
            problems.set((f"{files[0]['name']}: tidak terbaca sebagai CSV ({type(exc).__name__})",))
            return
        finally:
            with contextlib.suppress(OSError):
                path.unlink()
        problems.set(())
        uploaded.set(frame)

    @render.data_frame
    def done_grid() -> Any:
        frame = uploaded()
        if frame is None:
            out = state.last_plan()
            if not out:
                return None
            frame = done_rows(Path(out))
        return render.DataGrid(frame, editable=True, width="100%", height="320px")

    def done_frame() -> pd.DataFrame:
        frame = done_grid.data_patched()
        keep = [c for c in frame.columns if c not in {"desa", "expected_recordings"}]
        frame = frame[keep]
        if "recorded" in frame.columns:
            frame = frame[frame["recorded"].astype(str).str.strip() != ""]
        return frame

    @render.download_button(filename="selesai.csv")
    def done_download() -> Iterator[str]:
        yield done_frame().to_csv(index=False)

    @reactive.effect
    @reactive.event(input.replan_run)
    def _run() -> None:
        out = state.last_plan.get()
        teams = state.teams_toml.get()
        first = input.replan_from()
        found = []
        if not out:
            found.append("belum ada rencana minggu ini (tab Rencana minggu)")
        if teams is None:
            found.append("tabel tim belum valid (lihat tab Tim)")
        if first is None:
            found.append("tanggal susun ulang belum diisi")
        problems.set(tuple(found))
        if found or not out or teams is None or first is None:
            return
        week = plan_week_of(Path(out) / "plan.json")
        job_dir = state.folder.new_job("realisasi")
        done_path = job_dir / "selesai.csv"
        done_frame().to_csv(done_path, index=False)
        teams_path = job_dir / "teams.toml"
        teams_path.write_text(teams, encoding="utf-8")
        limit = input.solution_limit()
        spec = PlanSpec(
            region=state.region.get(),
            week=str(week),
            job_dir=str(job_dir),
            out=str(job_dir / "out"),
            teams_path=str(teams_path),
            registry_path=state.registry_counts.get(),
            time_limit_s=float(input.time_limit() or 30),
            solution_limit=int(limit) if limit else None,
            lock_path=str(Path(out) / "plan.json"),
            done_path=str(done_path),
            from_date=first.isoformat(),
        )
        job.set(RunningJob(job_dir))
        replan_task.invoke(spec)

    @reactive.effect
    @reactive.event(input.replan_cancel)
    def _cancel() -> None:
        cancel_running(replan_task, job)

    def finished() -> JobResult | None:
        return finished_result(replan_task)

    @render.ui
    def replan_status() -> Tag | TagList:
        return job_status_view(replan_task, job, problems(), REPLAN_TEXTS)

    @render.ui
    def replan_result() -> Tag | TagList:
        result = finished()
        if result is None or not result.ok:
            return TagList()
        out = Path(result.data["out"])
        estimate = bool(result.data["meta"].get("is_estimate"))
        return TagList(
            ui.div(
                ui.download_button("replan_dl_jadwal", "jadwal.xlsx (susun ulang)"),
                ui.download_button("replan_dl_json", "plan.json (susun ulang)"),
                class_="d-flex gap-2 my-2",
            ),
            summary_table(result.data["summary"], estimate),
            iframe(state.folder.url(out / "peta.html"), height_px=560, title="peta susun ulang"),
        )

    def out_file(name: str) -> Path:
        result = finished()
        if result is None or not result.ok:
            raise FileNotFoundError(name)
        return Path(result.data["out"]) / name

    @render.download_button(filename="jadwal.xlsx")
    def replan_dl_jadwal() -> str:
        return str(out_file("jadwal.xlsx"))

    @render.download_button(filename="plan.json")
    def replan_dl_json() -> str:
        return str(out_file("plan.json"))
