"""Skenario: change teams, kits, boats, Saturdays and turnout; compare with the base.

The base is the session's Tim table with the default policy; the scenario is that table
changed by the levers of :mod:`planner.app.web.scenario_form`. Both are written as scenario
files into the job folder and compared in a worker by ``jemput compare``'s own job
(:func:`planner.scenarios.run.run_compare`), so the page shows the CLI's table and chart. The
scenario downloads as a TOML file that ``jemput compare`` loads.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
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
    problem_list,
    run_in_pool,
)
from planner.app.web.pool import CompareSpec, JobResult
from planner.app.web.scenario_form import (
    Levers,
    ScenarioDraft,
    apply_levers,
    base_toml,
    scenario_toml,
    team_ids,
)
from planner.core.errors import PlannerError

METRICS: tuple[tuple[str, str, str], ...] = (
    ("planned_recordings", "Perkiraan perekaman per minggu", "{:,.0f}"),
    ("weighted_recordings", "Rekaman berbobot prioritas", "{:,.0f}"),
    ("capacity_bound", "Kapasitas minggu (batas atas)", "{:,.0f}"),
    ("utilisation", "Utilisasi", "{:.1%}"),
    ("share_pulau", "Pangsa desa pulau", "{:.1%}"),
    ("share_pesisir", "Pangsa desa pesisir", "{:.1%}"),
    ("share_perbatasan", "Pangsa desa perbatasan", "{:.1%}"),
    ("share_terpencil", "Pangsa desa terpencil", "{:.1%}"),
    ("km", "Jarak tempuh (km)", "{:,.0f}"),
    ("boat_hours", "Jam di perahu", "{:,.1f}"),
    ("team_days_used", "Hari-tim terpakai", "{:,.0f}"),
    ("villages_visited", "Desa dikunjungi", "{:,.0f}"),
    ("needs_boat_sites", "Lokasi yang perlu perahu", "{:,.0f}"),
    ("weeks_to_completion", "Minggu sampai selesai", "{:,.1f}"),
    ("weeks_method", "Cara menghitung minggu sampai selesai", ""),
    ("wall_seconds", "Waktu hitung (detik)", "{:,.1f}"),
)
"""Rows of the side-by-side table: machine column, label, format (empty: text as is)."""

COMPARE_TEXTS = JobTexts(
    what="Perbandingan",
    not_run="Perbandingan tidak dijalankan:",
    failed="Skenario tidak dapat dibandingkan:",
    cancelled="Perbandingan dibatalkan; tidak ada yang ditulis.",
    cancelled_id="compare-cancelled",
    done="Perbandingan selesai.",
    done_id="compare-done",
    idle="Atur skenario lalu tekan «Bandingkan».",
)


def skenario_panel() -> Any:
    """The Skenario tab."""
    return ui.nav_panel(
        "Skenario",
        ui.layout_sidebar(
            ui.sidebar(
                ui.input_text("sc_name", "Nama skenario", "Skenario 1"),
                ui.input_numeric("sc_extra_teams", "Tim tambahan", 0, min=0, max=20),
                ui.input_select("sc_extra_depot", "Depot tim tambahan", choices=[]),
                ui.input_checkbox("sc_extra_boat", "Tim tambahan berperahu", False),
                ui.input_numeric("sc_extra_kits", "Alat rekam tambahan per tim", 0, min=0, max=5),
                ui.input_selectize("sc_boats", "Tim berperahu", choices=[], multiple=True),
                ui.input_checkbox("sc_saturday", "Semua tim juga bekerja hari Sabtu", False),
                ui.input_numeric("sc_turnout", "Tingkat kehadiran (%)", 60, min=10, max=100),
                ui.input_date("sc_week", "Minggu dibandingkan (Senin)", language="id"),
                ui.input_numeric("sc_weeks", "Minggu diproyeksikan per skenario", 1, min=1),
                ui.input_numeric("sc_time_limit", "Batas waktu per minggu (detik)", 20, min=1),
                ui.input_numeric("sc_solution_limit", "Batas jumlah solusi (0 = tanpa)", 0, min=0),
                ui.input_action_button("sc_run", "Bandingkan", class_="btn-primary"),
                ui.input_action_button("sc_cancel", "Batalkan", class_="btn-outline-danger"),
                ui.download_button("sc_download", "Unduh skenario (.toml)"),
                width=340,
            ),
            ui.help_text(
                "Dasar = tabel di tab Tim dengan kebijakan bawaan. Skenario = dasar dengan "
                "perubahan di samping. Berkas skenario dapat dibandingkan lagi dengan "
                "jemput compare."
            ),
            ui.output_ui("sc_draft"),
            ui.output_ui("sc_status"),
            ui.output_ui("sc_result"),
        ),
        value="skenario",
    )


def _number(value: object, pattern: str) -> str:
    if value is None or value == "":
        return "–"
    if not pattern:
        return str(value)
    try:
        return pattern.format(float(str(value)))
    except ValueError:
        return str(value)


def comparison_table(
    records: Sequence[dict[str, Any]],
    *,
    estimate: bool,
    week: str,
    methods: dict[str, str] | None = None,
) -> Tag:
    """Scenarios side by side: one row per measure, one column per scenario, then the change.

    Parameters
    ----------
    records
        Rows of the comparison table (:data:`planner.scenarios.compare.TABLE_COLUMNS`), the
        base first.
    estimate
        The demand is the bundled estimate (the caption says "estimasi").
    week
        Monday of the week compared.
    methods
        What each ``weeks_method`` means (footnotes).
    """
    names = [str(r.get("name", "")) for r in records]
    head = [ui.tags.th("Ukuran"), *(ui.tags.th(n, class_="text-end") for n in names)]
    change = len(records) > 1
    if change:
        head.append(ui.tags.th(f"Selisih ({names[-1]} − {names[0]})", class_="text-end"))
    body = []
    for key, label, pattern in METRICS:
        values = [r.get(key) for r in records]
        cells = [ui.tags.td(_number(v, pattern), class_="text-end") for v in values]
        if change:
            first, last = values[0], values[-1]
            delta = "–"
            if pattern and first is not None and last is not None:
                diff = float(str(last)) - float(str(first))
                delta = ("+" if diff > 0 else "") + _number(diff, pattern)
            cells.append(ui.tags.td(delta, class_="text-end"))
        body.append(ui.tags.tr(ui.tags.th(label), *cells))
    source = "estimasi bawaan, bukan register" if estimate else "register"
    caption = f"Minggu {week}; data belum rekam: {source}"
    table = ui.tags.table(
        ui.tags.caption(caption, class_="caption-top"),
        ui.tags.thead(ui.tags.tr(*head)),
        ui.tags.tbody(*body),
        class_="table table-sm table-striped w-auto",
        id="compare-table",
    )
    notes = [ui.tags.li(f"{key}: {text}") for key, text in (methods or {}).items()]
    return ui.div(table, ui.tags.ul(*notes, class_="small text-muted"))


def skenario_server(input: Inputs, state: SessionState) -> None:
    """Reactive logic of the Skenario tab."""
    job: reactive.Value[RunningJob | None] = reactive.value(None)
    problems: reactive.Value[tuple[str, ...]] = reactive.value(())
    # whether the running job's demand is the estimate (the registry may change meanwhile)
    estimate: reactive.Value[bool] = reactive.value(True)

    @reactive.extended_task
    async def compare_task(spec: CompareSpec) -> JobResult:
        return await run_in_pool(state.pool, "compare_job", spec)

    @reactive.effect
    def _region_defaults() -> None:
        info = state.info()
        if info is None:
            return
        choices = {d: f"{info.depot_names.get(d, d)} ({d})" for d in info.depot_ids}
        ui.update_select("sc_extra_depot", choices=choices)
        ui.update_numeric("sc_turnout", value=round(100 * info.turnout))
        if info.week is not None:
            ui.update_date("sc_week", value=info.week)

    @reactive.effect
    def _boat_choices() -> None:
        teams = state.teams()
        ids = list(team_ids(teams))
        with reactive.isolate():
            chosen = [i for i in (input.sc_boats() or ()) if i in ids]
        if teams is not None and not chosen:
            chosen = [t.id for t in teams.teams if t.boat]
        ui.update_selectize("sc_boats", choices=ids, selected=chosen)

    @reactive.calc
    def draft() -> tuple[ScenarioDraft | None, tuple[str, ...]]:
        info, teams = state.info(), state.teams()
        if info is None or teams is None:
            return None, ("tabel tim belum valid (lihat tab Tim)",)
        levers = Levers(
            name=input.sc_name() or "",
            extra_teams=int(input.sc_extra_teams() or 0),
            extra_depot=input.sc_extra_depot() or "",
            extra_boat=bool(input.sc_extra_boat()),
            extra_kits=int(input.sc_extra_kits() or 0),
            boat_teams=tuple(input.sc_boats() or ()),
            saturday=bool(input.sc_saturday()),
            turnout=float(input.sc_turnout() or 0) / 100,
        )
        try:
            made = apply_levers(
                teams,
                levers,
                depot_ids=info.depot_ids,
                regency_codes=info.regency_codes,
                depot_names=info.depot_names,
            )
        except PlannerError as exc:
            return None, tuple(exc.problems)
        return made, ()

    @reactive.effect
    def _share() -> None:
        state.scenario.set(draft()[0])

    @render.ui
    def sc_draft() -> Tag:
        made, found = draft()
        if made is None:
            return problem_list(found, "Skenario belum valid:")
        teams = made.teams.teams
        return ui.div(
            ui.strong(made.name),
            f": {made.description} ({len(teams)} tim, {sum(t.kits for t in teams)} alat rekam)",
            class_="alert alert-secondary",
            id="scenario-draft",
        )

    @reactive.effect
    @reactive.event(input.sc_run)
    def _run() -> None:
        if compare_task.status() == "running":
            return
        made, found = draft()
        week: date | None = input.sc_week()
        issues = list(found)
        if week is None or week.weekday() != 0:
            issues.append(f"minggu: {week} bukan hari Senin")
        problems.set(tuple(issues))
        teams_text = state.teams_toml.get()
        if issues or made is None or week is None or teams_text is None:
            return
        job_dir = state.folder.new_job("skenario")
        (job_dir / "teams.toml").write_text(teams_text, encoding="utf-8")
        base = job_dir / "dasar.toml"
        base.write_text(
            base_toml(teams_file="teams.toml", registry=state.registry_counts.get()),
            encoding="utf-8",
        )
        other = job_dir / f"{made.key}.toml"
        other.write_text(scenario_toml(made, region=state.region.get()), encoding="utf-8")
        limit = input.sc_solution_limit()
        spec = CompareSpec(
            region=state.region.get(),
            week=week.isoformat(),
            job_dir=str(job_dir),
            out=str(job_dir / "out"),
            files=(str(base), str(other)),
            weeks=max(1, int(input.sc_weeks() or 1)),
            time_limit_s=float(input.sc_time_limit() or 20),
            solution_limit=int(limit) if limit else None,
        )
        estimate.set(state.registry_counts.get() is None)
        job.set(RunningJob(job_dir))
        compare_task.invoke(spec)

    @reactive.effect
    @reactive.event(input.sc_cancel)
    def _cancel() -> None:
        cancel_running(compare_task, job)

    def finished() -> JobResult | None:
        return finished_result(compare_task)

    @render.ui
    def sc_status() -> Tag | TagList:
        return job_status_view(compare_task, job, problems(), COMPARE_TEXTS)

    @render.ui
    def sc_result() -> Tag | TagList:
        result = finished()
        if result is None or not result.ok:
            return TagList()
        return TagList(
            ui.download_button("sc_xlsx", "bandingkan.xlsx"),
            comparison_table(
                result.data["table"],
                estimate=estimate.get(),
                week=result.data["week"],
                methods=result.data["methods"],
            ),
            ui.img(
                src=state.folder.url(Path(result.data["chart"])),
                alt="grafik perbandingan skenario",
                style="max-width:100%;",
                id="compare-chart",
            ),
        )

    def download_name() -> str:
        made = draft()[0]
        return f"{made.key if made is not None else 'skenario'}.toml"

    @render.download_button(filename=download_name)
    def sc_download() -> Iterator[str]:
        made, found = draft()
        if made is None:
            yield "# skenario belum valid:\n" + "\n".join(f"# ERROR: {p}" for p in found)
            return
        yield scenario_toml(made, region=state.region.get())

    @render.download_button(filename="bandingkan.xlsx")
    def sc_xlsx() -> str:
        result = finished()
        if result is None or not result.ok:
            raise FileNotFoundError("bandingkan.xlsx")
        return str(result.data["xlsx"])
