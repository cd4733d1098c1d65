"""Proyeksi & target: weeks to completion (``jemput project``), and a place for the target.

The projection rolls the session's teams (the Tim table) or the last scenario of the Skenario
tab forward week by week in a worker (:func:`planner.scenarios.run.run_project`) and shows the
CLI's tables and chart. The second part of the page, "what do we need to finish by this
date" (``jemput target``), is the card of :mod:`planner.app.web.page_target`; it shares the
start date and solver limits of this sidebar.
"""

from __future__ import annotations

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
    job_status_view,
    run_in_pool,
)
from planner.app.web.page_target import target_card
from planner.app.web.pool import JobResult, ProjectSpec
from planner.app.web.scenario_form import base_toml, scenario_toml

DEFAULT_WEEKS = 8
"""Default horizon of the page's projection (weeks after the first Monday)."""

CONFIGS = {"tim": "Tim (tab Tim)", "skenario": "Skenario terakhir (tab Skenario)"}

WEEK_COLUMNS = {
    "week_start": "Minggu (Senin)",
    "status": "Status",
    "planned_recordings": "Perkiraan perekaman",
    "team_days_used": "Hari-tim",
    "villages_visited": "Desa dikunjungi",
    "remaining_belum_rekam": "Sisa belum rekam",
    "remaining_expected": "Sisa perkiraan hadir",
    "reason": "Keterangan",
}
COMPLETION_COLUMNS = {
    "level": "Tingkat",
    "name": "Wilayah / kelas",
    "villages": "Desa",
    "belum_rekam_start": "Belum rekam awal",
    "belum_rekam_end": "Belum rekam akhir",
    "completion_week": "Selesai pada minggu",
    "unreachable_sites": "Lokasi tak terjangkau",
}

PROJECT_TEXTS = JobTexts(
    what="Proyeksi",
    not_run="Proyeksi tidak dijalankan:",
    failed="Proyeksi tidak dapat dihitung:",
    cancelled="Proyeksi dibatalkan; tidak ada yang ditulis.",
    cancelled_id="projection-cancelled",
    done="Proyeksi selesai.",
    done_id="projection-done",
    idle="Pilih konfigurasi dan tanggal lalu tekan «Hitung proyeksi».",
)


def proyeksi_panel() -> Any:
    """The Proyeksi & target tab: the projection card, then the target card."""
    return ui.nav_panel(
        "Proyeksi & target",
        ui.layout_sidebar(
            ui.sidebar(
                ui.input_radio_buttons("pr_config", "Konfigurasi", CONFIGS, selected="tim"),
                ui.input_date("pr_start", "Mulai minggu (Senin)", language="id"),
                ui.input_date("pr_until", "Paling lambat sampai", language="id"),
                ui.input_numeric("pr_time_limit", "Batas waktu per minggu (detik)", 20, min=1),
                ui.input_numeric("pr_solution_limit", "Batas jumlah solusi (0 = tanpa)", 0, min=0),
                ui.input_action_button("pr_run", "Hitung proyeksi", class_="btn-primary"),
                ui.input_action_button("pr_cancel", "Batalkan", class_="btn-outline-danger"),
                width=320,
            ),
            ui.card(
                ui.card_header("Proyeksi: berapa minggu sampai selesai"),
                ui.output_ui("pr_status"),
                ui.output_ui("pr_result"),
                id="projection_section",
            ),
            target_card(),
        ),
        value="proyeksi",
    )


def _frame(records: list[dict[str, Any]], columns: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return frame
    keep = [c for c in columns if c in frame.columns]
    return frame[keep].rename(columns=columns)


def projection_summary(data: dict[str, Any], *, estimate: bool, config: str) -> Tag:
    """Weeks to completion, the completion date and why the projection stopped."""
    weeks = data.get("weeks_to_completion")
    weeks_text = "tidak dapat diperkirakan" if weeks is None else f"{float(weeks):g} minggu"
    done = data.get("completion_date") or "belum dalam batas proyeksi"
    source = "estimasi bawaan, bukan register" if estimate else "register"
    rows = (
        ("Konfigurasi", config),
        ("Minggu sampai selesai", f"{weeks_text} ({data.get('weeks_method', '')})"),
        ("Selesai seluruhnya (akhir minggu)", str(done)),
        ("Status akhir", str(data.get("stop", ""))),
        ("Data belum rekam", source),
    )
    return ui.tags.table(
        ui.tags.tbody(*(ui.tags.tr(ui.tags.th(k), ui.tags.td(v)) for k, v in rows)),
        class_="table table-sm w-auto",
        id="projection-summary",
    )


def proyeksi_server(input: Inputs, state: SessionState) -> None:
    """Reactive logic of the Proyeksi & target tab."""
    job: reactive.Value[RunningJob | None] = reactive.value(None)
    problems: reactive.Value[tuple[str, ...]] = reactive.value(())
    # whether the running job's demand is the estimate (the registry may change meanwhile)
    estimate: reactive.Value[bool] = reactive.value(True)
    used: reactive.Value[str] = reactive.value("")

    @reactive.extended_task
    async def project_task(spec: ProjectSpec) -> JobResult:
        return await run_in_pool(state.pool, "project_job", spec)

    @reactive.effect
    def _default_dates() -> None:
        info = state.info()
        if info is not None and info.week is not None:
            ui.update_date("pr_start", value=info.week)
            ui.update_date("pr_until", value=info.week + timedelta(weeks=DEFAULT_WEEKS, days=-1))

    @reactive.effect
    @reactive.event(input.pr_run)
    def _run() -> None:
        if project_task.status() == "running":
            return
        start: date | None = input.pr_start()
        until: date | None = input.pr_until()
        choice = input.pr_config()
        teams_text, draft = state.teams_toml.get(), state.scenario.get()
        found = []
        if start is None or start.weekday() != 0:
            found.append(f"mulai: {start} bukan hari Senin")
        if until is None or (start is not None and until < start):
            found.append(f"sampai: {until} sebelum tanggal mulai")
        if teams_text is None:
            found.append("tabel tim belum valid (lihat tab Tim)")
        if choice == "skenario" and draft is None:
            found.append("skenario belum valid (lihat tab Skenario)")
        problems.set(tuple(found))
        if found or start is None or until is None or teams_text is None:
            return
        job_dir = state.folder.new_job("proyeksi")
        (job_dir / "teams.toml").write_text(teams_text, encoding="utf-8")
        registry = state.registry_counts.get()
        if choice == "skenario" and draft is not None:
            # the scenario's teams merge by id onto the Tim table, as in the comparison
            text = scenario_toml(
                draft, region=state.region.get(), teams_file="teams.toml", registry=registry
            )
            used.set(f"skenario «{draft.name}»: {draft.description}")
        else:
            text = base_toml(teams_file="teams.toml", registry=registry)
            used.set("tim dari tab Tim, kebijakan bawaan")
        scenario = job_dir / "skenario.toml"
        scenario.write_text(text, encoding="utf-8")
        limit = input.pr_solution_limit()
        spec = ProjectSpec(
            region=state.region.get(),
            start=start.isoformat(),
            until=until.isoformat(),
            job_dir=str(job_dir),
            out=str(job_dir / "out"),
            scenario_path=str(scenario),
            time_limit_s=float(input.pr_time_limit() or 20),
            solution_limit=int(limit) if limit else None,
        )
        estimate.set(state.registry_counts.get() is None)
        job.set(RunningJob(job_dir))
        project_task.invoke(spec)

    @reactive.effect
    @reactive.event(input.pr_cancel)
    def _cancel() -> None:
        cancel_running(project_task, job)

    def finished() -> JobResult | None:
        return finished_result(project_task)

    @render.ui
    def pr_status() -> Tag | TagList:
        return job_status_view(project_task, job, problems(), PROJECT_TEXTS)

    @render.ui
    def pr_result() -> Tag | TagList:
        result = finished()
        if result is None or not result.ok:
            return TagList()
        return TagList(
            projection_summary(result.data, estimate=estimate.get(), config=used.get()),
            ui.download_button("pr_xlsx", "proyeksi.xlsx"),
            ui.img(
                src=state.folder.url(Path(result.data["chart"])),
                alt="grafik proyeksi belum rekam",
                style="max-width:100%;",
                id="projection-chart",
            ),
            ui.h6("Selesai menurut kabupaten/kota dan kelas desa", class_="mt-3"),
            ui.output_data_frame("pr_completion"),
            ui.h6("Minggu demi minggu", class_="mt-3"),
            ui.output_data_frame("pr_weeks"),
        )

    @render.data_frame
    def pr_completion() -> Any:
        result = finished()
        if result is None or not result.ok:
            return None
        return render.DataGrid(_frame(result.data["completion"], COMPLETION_COLUMNS))

    @render.data_frame
    def pr_weeks() -> Any:
        result = finished()
        if result is None or not result.ok:
            return None
        return render.DataGrid(_frame(result.data["weeks"], WEEK_COLUMNS), width="100%")

    @render.download_button(filename="proyeksi.xlsx")
    def pr_xlsx() -> str:
        result = finished()
        if result is None or not result.ok:
            raise FileNotFoundError("proyeksi.xlsx")
        return str(result.data["xlsx"])
