"""Pieces every page of the app shares: the session state, job progress, problem lists."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from htmltools import Tag, TagList
from shiny import reactive, ui

from planner.app.web.context import RegionInfo, SessionFolder
from planner.app.web.pool import CANCEL_FILE, JobPool, JobResult, read_progress
from planner.app.web.scenario_form import ScenarioDraft
from planner.domain.config import TeamsConfig

STAGE_LABELS: dict[str, str] = {
    "waiting": "Menunggu proses pekerja",
    "prepare": "Menyiapkan wilayah, tim dan permintaan",
    "registry": "Memeriksa register",
    "classify": "Mengklasifikasi desa, lalu menyusun hasil",
    "solve": "Menyusun rute tim",
    "compare": "Menyusun rencana tiap skenario",
    "project": "Memproyeksikan minggu demi minggu",
    "target": "Mencari pilihan termurah untuk tenggat",
}
"""People's words for the progress stages reported by the jobs."""


@dataclass
class SessionState:
    """What the pages of one browser session share.

    ``teams`` is the valid Tim table (``teams_toml`` its text); ``scenario`` the last valid
    scenario of the Skenario tab, which the Proyeksi tab may project.
    """

    folder: SessionFolder
    pool: JobPool
    region: reactive.Value[str]
    info: reactive.Value[RegionInfo | None] = field(default_factory=lambda: reactive.value(None))
    registry_counts: reactive.Value[str | None] = field(
        default_factory=lambda: reactive.value(None)
    )
    registry_label: reactive.Value[str] = field(
        default_factory=lambda: reactive.value("estimasi bawaan")
    )
    teams_toml: reactive.Value[str | None] = field(default_factory=lambda: reactive.value(None))
    last_plan: reactive.Value[str | None] = field(default_factory=lambda: reactive.value(None))
    teams: reactive.Value[TeamsConfig | None] = field(default_factory=lambda: reactive.value(None))
    scenario: reactive.Value[ScenarioDraft | None] = field(
        default_factory=lambda: reactive.value(None)
    )


@dataclass
class RunningJob:
    """The job a page started last: its folder and when it started (for elapsed time)."""

    job_dir: Path
    started: float = field(default_factory=time.monotonic)

    def elapsed_s(self) -> float:
        """Seconds since the job started."""
        return time.monotonic() - self.started


async def run_in_pool(pool: JobPool, name: str, spec: object) -> JobResult:
    """Await job ``name`` of the pool without blocking the server's event loop."""
    return await asyncio.wrap_future(pool.submit(name, spec))


def problem_list(problems: tuple[str, ...] | list[str], title: str) -> Tag:
    """An alert with one ``ERROR:`` line per problem (htmltools escapes every text)."""
    return ui.div(
        ui.strong(title),
        ui.tags.ul(*(ui.tags.li(f"ERROR: {p}", class_="font-monospace") for p in problems)),
        class_="alert alert-danger",
        role="alert",
    )


def progress_view(job: RunningJob | None, what: str) -> Tag | TagList:
    """Stage, parts done and elapsed seconds of a running job."""
    if job is None:
        return TagList()
    record = read_progress(job.job_dir)
    if record is None:
        record = {"stage": "waiting"}
    stage = STAGE_LABELS.get(str(record.get("stage")), str(record.get("stage", "")))
    if (job.job_dir / CANCEL_FILE).exists():
        stage = "membatalkan"
    done, total = int(record.get("done", 0) or 0), int(record.get("total", 0) or 0)
    share = 100 * done / total if total else 0
    bar = ui.div(
        ui.div(
            class_="progress-bar progress-bar-striped progress-bar-animated",
            role="progressbar",
            style=f"width: {max(share, 5):.0f}%",
        ),
        class_="progress my-2",
    )
    parts = f" ({done}/{total})" if total else ""
    if record.get("detail"):
        parts += f": {record['detail']}"
    return ui.div(
        ui.p(
            ui.strong(f"{what} sedang berjalan: "),
            f"{stage}{parts}; ",
            ui.span(f"{job.elapsed_s():.0f} detik", class_="elapsed"),
        ),
        bar,
        class_="job-progress",
    )


def iframe(url: str, *, height_px: int = 560, title: str = "peta") -> Tag:
    """A map page of the session folder, in a sandboxed frame (scripts only, no same-origin)."""
    return ui.tags.iframe(
        src=url,
        title=title,
        sandbox="allow-scripts allow-popups",
        style=f"width:100%;height:{height_px}px;border:1px solid #ccc;",
    )


@dataclass(frozen=True)
class JobTexts:
    """What a page says about its job in each state (ids are for the browser tests).

    ``idle`` is shown before the first run (``None``: nothing); ``done`` gets
    " dalam N detik" when ``with_elapsed``.
    """

    what: str
    not_run: str
    failed: str
    cancelled: str
    done: str
    done_id: str
    idle: str | None = None
    cancelled_id: str | None = None
    with_elapsed: bool = False


def finished_result(task: Any) -> JobResult | None:
    """The result of an extended task that ended without an exception, else ``None``."""
    return task.result() if task.status() == "success" else None


def cancel_running(task: Any, job: reactive.Value[RunningJob | None]) -> None:
    """Ask the worker running the page's job to stop (it writes nothing)."""
    running = job.get()
    if running is not None and task.status() == "running":
        JobPool.cancel(running.job_dir)


def job_status_view(
    task: Any,
    job: reactive.Value[RunningJob | None],
    problems: Sequence[str],
    texts: JobTexts,
) -> Tag | TagList:
    """The status box of a page's job: input problems, progress, failure, cancel or done.

    Call it from a ``render.ui`` function: while the job runs it re-renders every half second.
    """
    if problems:
        return problem_list(list(problems), texts.not_run)
    status = task.status()
    if status == "running":
        reactive.invalidate_later(0.5)
        return progress_view(job.get(), texts.what)
    if status == "error":
        return problem_list(["pekerjaan gagal; lihat log server"], f"{texts.what} gagal")
    result = finished_result(task)
    if result is None:
        return ui.p(texts.idle) if texts.idle else TagList()
    if result.cancelled:
        return ui.div(texts.cancelled, class_="alert alert-warning", id=texts.cancelled_id)
    if result.errors:
        return problem_list(result.errors, texts.failed)
    done = texts.done
    running = job.get()
    if texts.with_elapsed and running is not None:
        done = done.rstrip(".") + f" dalam {running.elapsed_s():.0f} detik."
    return ui.div(done, class_="alert alert-success", id=texts.done_id)
