"""Sebaran: the region, the registry upload, the distribution map and the table by class."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pandas as pd
from htmltools import Tag, TagList
from shiny import Inputs, reactive, render, ui

from planner.app.web.common import (
    RunningJob,
    SessionState,
    iframe,
    problem_list,
    progress_view,
    run_in_pool,
)
from planner.app.web.pool import JobResult, LocateSpec, RegionSpec

REGISTRY_TYPES = [".csv", ".tsv", ".txt", ".xlsx", ".xlsm"]


def sebaran_panel(regions: list[str], region: str) -> Any:
    """The Sebaran tab."""
    return ui.nav_panel(
        "Sebaran",
        ui.layout_sidebar(
            ui.sidebar(
                ui.input_selectize(
                    "region",
                    "Wilayah",
                    choices=regions,
                    selected=region,
                    options={"create": True},
                ),
                ui.help_text("Nama wilayah bawaan, atau ketik path folder wilayah."),
                ui.input_file(
                    "registry",
                    "Register (CSV/XLSX)",
                    accept=REGISTRY_TYPES,
                    button_label="Pilih berkas",
                    placeholder="Belum ada berkas: estimasi",
                ),
                ui.help_text(
                    "Rekap per desa atau satu baris per penduduk; data per penduduk dijumlahkan "
                    "per desa saat dibaca dan tidak disimpan."
                ),
                ui.input_action_button("locate_run", "Tampilkan sebaran", class_="btn-primary"),
                ui.input_action_button("registry_clear", "Pakai estimasi bawaan"),
                width=320,
            ),
            ui.output_ui("region_status"),
            ui.output_ui("registry_source"),
            ui.output_ui("locate_status"),
            ui.output_ui("locate_map"),
            ui.output_data_frame("locate_table"),
        ),
        value="sebaran",
    )


def _delete_upload(path: Path) -> None:
    # Shiny stores an upload in a private temporary folder: drop it as soon as it is in memory
    with contextlib.suppress(OSError):
        path.unlink()
    with contextlib.suppress(OSError):
        path.parent.rmdir()


def _summary_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return frame
    frame["pangsa_belum_rekam"] = (100 * frame["pangsa_belum_rekam"]).round(1)
    return frame.rename(
        columns={
            "nama_kab": "Kabupaten/Kota",
            "kelas": "Kelas",
            "desa": "Desa",
            "belum_rekam": "Belum rekam",
            "pangsa_belum_rekam": "Pangsa (%)",
        }
    )[["Kabupaten/Kota", "Kelas", "Desa", "Belum rekam", "Pangsa (%)"]]


def sebaran_server(input: Inputs, state: SessionState) -> None:
    """Reactive logic of the Sebaran tab."""
    job: reactive.Value[RunningJob | None] = reactive.value(None)

    @reactive.extended_task
    async def locate_task(spec: LocateSpec) -> JobResult:
        return await run_in_pool(state.pool, "locate_job", spec)

    def start(data: bytes | None, name: str) -> None:
        job_dir = state.folder.new_job("sebaran")
        job.set(RunningJob(job_dir))
        spec = LocateSpec(
            region=state.region.get(),
            job_dir=str(job_dir),
            out=str(job_dir / "out"),
            registry_bytes=data,
            registry_name=name,
        )
        locate_task.invoke(spec)

    @reactive.effect
    @reactive.event(input.registry)
    def _take_upload() -> None:
        files = input.registry()
        if not files:
            return
        info = files[0]
        path = Path(info["datapath"])
        data = path.read_bytes()
        _delete_upload(path)
        with reactive.isolate():
            start(data, str(info["name"]))

    @reactive.effect
    @reactive.event(input.locate_run)
    def _run() -> None:
        with reactive.isolate():
            start(None, "")

    @reactive.effect
    @reactive.event(input.registry_clear)
    def _clear() -> None:
        state.registry_counts.set(None)
        state.registry_label.set("estimasi bawaan")

    @reactive.extended_task
    async def region_task(spec: RegionSpec) -> JobResult:
        return await run_in_pool(state.pool, "region_job", spec)

    @reactive.effect
    def _region_changed() -> None:
        name = input.region()
        if not name:
            return
        with reactive.isolate():
            state.region.set(name)
            state.info.set(None)
            state.registry_counts.set(None)
            state.registry_label.set("estimasi bawaan")
            region_task.invoke(RegionSpec(name))

    @reactive.effect
    def _region_loaded() -> None:
        if region_task.status() != "success":
            return
        result = region_task.result()
        if result.ok:
            with reactive.isolate():
                state.info.set(result.data["info"])
                regions = list(result.data["regions"])
                current = state.region.get()
                if current not in regions:
                    regions.insert(0, current)
                ui.update_selectize("region", choices=regions, selected=current)

    @render.ui
    def region_status() -> Tag | TagList:
        status = region_task.status()
        if status == "running":
            return ui.p("Memuat wilayah …", class_="text-muted")
        if status == "success" and region_task.result().errors:
            return problem_list(region_task.result().errors, "Wilayah tidak dapat dimuat:")
        info = state.info()
        if info is None:
            return TagList()
        return ui.p(ui.strong("Wilayah: "), info.name, class_="text-muted", id="region-name")

    @reactive.effect
    def _registry_from_result() -> None:
        if locate_task.status() != "success":
            return
        result = locate_task.result()
        counts = result.data.get("registry_counts") if result.ok else None
        if counts:
            with reactive.isolate():
                state.registry_counts.set(str(counts))
                state.registry_label.set(str(result.data["label"]))

    @render.ui
    def registry_source() -> Tag:
        return ui.p(
            ui.strong("Data belum rekam untuk rencana: "),
            ui.span(state.registry_label(), id="data-source"),
            class_="text-muted",
        )

    def finished() -> JobResult | None:
        return locate_task.result() if locate_task.status() == "success" else None

    @render.ui
    def locate_status() -> Tag | TagList:
        status = locate_task.status()
        if status == "running":
            reactive.invalidate_later(0.5)
            return progress_view(job.get(), "Sebaran")
        if status == "error":
            return problem_list(["pekerjaan gagal; lihat log server"], "Sebaran gagal")
        result = finished()
        if result is None:
            return ui.p("Tekan «Tampilkan sebaran», atau unggah register.")
        if result.errors:
            return problem_list(
                result.errors, "Register tidak dapat dipakai; tidak ada yang dijalankan:"
            )
        if result.cancelled:
            return ui.p("Dibatalkan.")
        notes = [ui.tags.li(f"Catatan: {n}") for n in result.data.get("notes", [])]
        return ui.div(
            ui.p(ui.strong("Sumber: "), str(result.data["label"])),
            ui.tags.ul(*notes) if notes else TagList(),
            class_="alert alert-info",
        )

    @render.ui
    def locate_map() -> Tag | TagList:
        result = finished()
        if result is None or not result.ok:
            return TagList()
        return iframe(state.folder.url(Path(result.data["map"])), title="peta sebaran")

    @render.data_frame
    def locate_table() -> Any:
        result = finished()
        if result is None or not result.ok:
            return None
        return render.DataGrid(_summary_frame(result.data["summary"]), width="100%")
