"""Target card of the Proyeksi & target tab: what is needed to finish by a date.

The card runs ``jemput target`` (:func:`planner.scenarios.target_report.run_target`) in a
worker on the session's Tim table: a fast surrogate model ranks the cheapest additions
(teams, kits, boats, Saturdays) that finish the chosen area by the deadline, and the real
planner confirms the top ones (0 confirmations: surrogate only, a quick answer). The page
shows the ranked table, its chart, and offers ``target.xlsx`` and the option scenarios as a
zip (each replays with ``jemput project --scenario``). The session's uploaded registry is
not used: the target reads the region's own demand, and the page says whether that is an
estimate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

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
from planner.app.web.pool import JobResult, TargetSpec
from planner.domain.config import CLASS_NAMES

DEFAULT_WEEKS = 12
"""Default deadline of the form: a quarter after the region's first week."""

MAX_CONFIRM = 5
"""Most options the real planner may confirm from the page (each is a full projection)."""

ALL = ""
"""Choice value of "no narrowing" in the area selects."""

CLASS_CHOICES: dict[str, str] = {ALL: "Semua kelas", **{c: c for c in CLASS_NAMES}}

TARGET_COLUMNS: dict[str, str] = {
    "rank": "Peringkat",
    "name": "Pilihan",
    "description": "Tambahan",
    "cost_rp": "Biaya (Rp, estimasi)",
    "surrogate_done_week": "Selesai minggu (model cepat, estimasi)",
    "surrogate_left": "Sisa belum rekam pada tenggat (model cepat, estimasi)",
    "confirmed_done_week": "Selesai minggu (perencana)",
    "confirmed_left": "Sisa belum rekam pada tenggat (perencana)",
}
"""Columns of the page's ranked table (a subset of ``target.xlsx``), Indonesian headers."""

TARGET_TEXTS = JobTexts(
    what="Target",
    not_run="Target tidak dijalankan:",
    failed="Target tidak dapat dihitung:",
    cancelled="Pencarian target dibatalkan; tidak ada yang ditulis.",
    cancelled_id="target-cancelled",
    done="Target selesai.",
    done_id="target-done",
    idle="Pilih tenggat lalu tekan «Cari target».",
)


def target_card() -> Tag:
    """The target card: deadline, area, confirmations, run/cancel, then the results."""
    return ui.card(
        ui.card_header("Target: apa yang dibutuhkan agar selesai pada tanggal tertentu"),
        ui.p(
            "Memakai tim dari tab Tim dan tanggal mulai di samping. Model cepat (estimasi) "
            "mengurutkan tambahan termurah; perencana memastikan pilihan teratas.",
            class_="text-muted",
        ),
        ui.layout_columns(
            ui.input_date("tg_until", "Tenggat (selesai paling lambat)", language="id"),
            ui.input_select("tg_kabupaten", "Kabupaten/kota", {ALL: "Semua"}),
            ui.input_select("tg_class", "Kelas desa", CLASS_CHOICES),
            ui.input_numeric(
                "tg_confirm",
                f"Pilihan dipastikan perencana (0-{MAX_CONFIRM}; 0 = cepat)",
                2,
                min=0,
                max=MAX_CONFIRM,
            ),
        ),
        ui.div(
            ui.input_action_button("tg_run", "Cari target", class_="btn-primary"),
            ui.input_action_button("tg_cancel", "Batalkan", class_="btn-outline-danger"),
        ),
        ui.output_ui("tg_status"),
        ui.output_ui("tg_result"),
        id="target_section",
    )


def target_problems(
    start: date | None,
    until: date | None,
    confirm: object,
    *,
    teams_ok: bool,
    kabupaten: str,
    regencies: Sequence[str],
) -> list[str]:
    """Everything wrong with the target form, one Indonesian line per problem."""
    found = []
    if start is None or start.weekday() != 0:
        found.append(f"mulai: {start} bukan hari Senin (isi «Mulai minggu» di samping)")
    if until is None or (start is not None and until < start):
        found.append(f"tenggat: {until} sebelum tanggal mulai")
    if not isinstance(confirm, int | float) or confirm != int(confirm):
        found.append(f"pilihan dipastikan: '{confirm}' bukan bilangan bulat")
    elif not 0 <= confirm <= MAX_CONFIRM:
        found.append(f"pilihan dipastikan: {int(confirm)} di luar 0-{MAX_CONFIRM}")
    if kabupaten and kabupaten not in regencies:
        found.append(f"kabupaten/kota: '{kabupaten}' bukan bagian wilayah ini")
    if not teams_ok:
        found.append("tabel tim belum valid (lihat tab Tim)")
    return found


def _cell(column: str, value: object) -> str:
    if value is None:
        return "-"
    if column != "rank" and isinstance(value, int | float) and not isinstance(value, bool):
        # Indonesian thousands separator: Rp 1.500.000
        return f"{value:,.0f}".replace(",", ".")
    return str(value)


def target_verdict(records: Sequence[Mapping[str, Any]]) -> str:
    """One sentence: the cheapest option that finishes in time, or that none does."""
    for row in records:  # ranked: the first that finishes is the answer
        if row.get("confirmed_done") or (
            row.get("confirmed_done") is None and row.get("surrogate_done")
        ):
            how = "dipastikan perencana" if row.get("confirmed_done") else "model cepat, estimasi"
            return f"Pilihan termurah yang selesai tepat waktu ({how}): {row.get('name')}."
    return (
        "Tidak ada pilihan yang selesai tepat waktu; coba tenggat lebih lambat, "
        "wilayah sasaran lebih kecil, atau tambahan lain di tab Skenario."
    )


def target_table_view(records: Sequence[Mapping[str, Any]], *, estimate: bool) -> Tag:
    """The ranked options as an HTML table; htmltools escapes every cell and header."""
    source = "estimasi bawaan, bukan register" if estimate else "register wilayah"
    return ui.tags.table(
        ui.tags.caption(f"Biaya: estimasi dari biaya satuan. Data belum rekam: {source}."),
        ui.tags.thead(ui.tags.tr(*(ui.tags.th(h) for h in TARGET_COLUMNS.values()))),
        ui.tags.tbody(
            *(
                ui.tags.tr(*(ui.tags.td(_cell(c, row.get(c))) for c in TARGET_COLUMNS))
                for row in records
            )
        ),
        class_="table table-sm table-striped",
        id="target-table",
    )


def target_server(input: Inputs, state: SessionState) -> None:
    """Reactive logic of the target card (shares the start date of the projection)."""
    job: reactive.Value[RunningJob | None] = reactive.value(None)
    problems: reactive.Value[tuple[str, ...]] = reactive.value(())

    @reactive.extended_task
    async def target_task(spec: TargetSpec) -> JobResult:
        return await run_in_pool(state.pool, "target_job", spec)

    @reactive.effect
    def _region_choices() -> None:
        info = state.info()
        if info is None:
            return
        choices = {ALL: "Semua", **{c: c for c in info.regency_codes}}
        ui.update_select("tg_kabupaten", choices=choices, selected=ALL)
        if info.week is not None:
            days = timedelta(weeks=DEFAULT_WEEKS, days=-1)
            ui.update_date("tg_until", value=info.week + days)

    @reactive.effect
    @reactive.event(input.tg_run)
    def _run() -> None:
        if target_task.status() == "running":
            return
        info = state.info()
        start: date | None = input.pr_start()
        until: date | None = input.tg_until()
        teams_text = state.teams_toml.get()
        kabupaten = str(input.tg_kabupaten() or ALL)
        confirm = input.tg_confirm()
        found = target_problems(
            start,
            until,
            confirm,
            teams_ok=teams_text is not None,
            kabupaten=kabupaten,
            regencies=() if info is None else info.regency_codes,
        )
        problems.set(tuple(found))
        if found or start is None or until is None or teams_text is None:
            return
        job_dir = state.folder.new_job("target")
        teams = job_dir / "teams.toml"
        teams.write_text(teams_text, encoding="utf-8")
        limit = input.pr_solution_limit()
        klass = str(input.tg_class() or ALL)
        spec = TargetSpec(
            region=state.region.get(),
            start=start.isoformat(),
            until=until.isoformat(),
            job_dir=str(job_dir),
            out=str(job_dir / "out"),
            teams_path=str(teams),
            kabupaten=kabupaten or None,
            klass=klass or None,
            confirm=int(confirm),
            time_limit_s=float(input.pr_time_limit() or 20),
            solution_limit=int(limit) if limit else None,
        )
        job.set(RunningJob(job_dir))
        target_task.invoke(spec)

    @reactive.effect
    @reactive.event(input.tg_cancel)
    def _cancel() -> None:
        cancel_running(target_task, job)

    def finished() -> JobResult | None:
        return finished_result(target_task)

    @render.ui
    def tg_status() -> Tag | TagList:
        return job_status_view(target_task, job, problems(), TARGET_TEXTS)

    @render.ui
    def tg_result() -> Tag | TagList:
        result = finished()
        if result is None or not result.ok:
            return TagList()
        data = result.data
        return TagList(
            ui.p(
                f"Wilayah sasaran: {data['area']}. Pilihan dinilai model cepat: "
                f"{data['evaluations']}; dipastikan perencana: {data['confirmed']}.",
                id="target-area",
            ),
            ui.p(ui.strong(target_verdict(data["table"])), id="target-verdict"),
            target_table_view(data["table"], estimate=bool(data["is_estimate"])),
            ui.download_button("tg_xlsx", "target.xlsx"),
            ui.download_button("tg_zip", "skenario pilihan (.zip)"),
            ui.img(
                src=state.folder.url(Path(data["chart"])),
                alt="grafik biaya dan sisa belum rekam tiap pilihan",
                style="max-width:100%;",
                id="target-chart",
            ),
        )

    @render.download_button(filename="target.xlsx")
    def tg_xlsx() -> str:
        result = finished()
        if result is None or not result.ok:
            raise FileNotFoundError("target.xlsx")
        return str(result.data["xlsx"])

    @render.download_button(filename="skenario_target.zip")
    def tg_zip() -> str:
        result = finished()
        if result is None or not result.ok:
            raise FileNotFoundError("skenario_target.zip")
        return str(result.data["zip"])
