"""Pieces every page of the app shares: the session state, job progress, problem lists."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

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
