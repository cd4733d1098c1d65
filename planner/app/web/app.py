"""The Shiny application of ``jemput app``: pages, per-session folders, the file route.

:func:`make_app` builds the ASGI app. Pages live one per module (``page_*.py``); what they
share is a :class:`~planner.app.web.common.SessionState`. Session folders are served from
``root`` at :data:`~planner.app.web.context.FILES_URL` (Starlette's static files: no listing,
no path outside the folder), each under a random token only its own tab knows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shiny import App, Inputs, Outputs, Session, reactive, ui

from planner.app.web.common import SessionState
from planner.app.web.context import FILES_URL, SessionFolder
from planner.app.web.page_proyeksi import proyeksi_panel, proyeksi_server
from planner.app.web.page_realisasi import realisasi_panel, realisasi_server
from planner.app.web.page_rencana import plan_server, rencana_panel
from planner.app.web.page_sebaran import sebaran_panel, sebaran_server
from planner.app.web.page_skenario import skenario_panel, skenario_server
from planner.app.web.page_target import target_server
from planner.app.web.page_tim import tim_panel, tim_server
from planner.app.web.pool import JobPool

STYLE = """
.job-progress .elapsed { font-variant-numeric: tabular-nums; }
.navbar-brand { font-weight: 600; }
"""


def app_ui(region: str) -> Any:
    """The page: one tab per task, in Bahasa Indonesia (coordinators' tabs, then planners')."""
    # the bundled regions and the default week arrive from a worker once the page is open
    return ui.page_navbar(
        sebaran_panel([region], region),
        tim_panel(),
        rencana_panel(None),
        realisasi_panel(),
        skenario_panel(),
        proyeksi_panel(),
        title="jemput bola",
        id="tab",
        lang="id",
        header=ui.tags.style(STYLE),
        window_title="jemput app",
    )


def make_app(region: str, root: Path, pool: JobPool) -> App:
    """The Shiny app for ``region`` (the start region), with session folders under ``root``.

    Parameters
    ----------
    region
        Bundled region name or region folder shown first.
    root
        Private folder (mode 0700) holding one sub-folder per browser session.
    pool
        The worker processes that run locate and plan jobs.
    """

    def server(input: Inputs, output: Outputs, session: Session) -> None:
        folder = SessionFolder(root)
        session.on_ended(folder.remove)
        state = SessionState(folder=folder, pool=pool, region=reactive.value(region))
        sebaran_server(input, state)
        tim_server(input, state)
        plan_server(input, state)
        realisasi_server(input, state)
        skenario_server(input, state)
        proyeksi_server(input, state)
        target_server(input, state)

    return App(app_ui(region), server, static_assets={FILES_URL: root})
