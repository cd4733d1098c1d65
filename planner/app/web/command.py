"""The ``jemput app`` command: parse options, then start :func:`planner.app.web.serve.serve`.

Like :mod:`planner.app.commands`, it imports the web app inside the command body, so
``jemput --help`` does not load Shiny, GeoPandas and OR-Tools.
"""

from __future__ import annotations

import os

import typer

from planner.app.console import console, run_reporting_errors


def app(
    region: str = typer.Option("banten", "--region", help="Bundled region name or folder."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help="Address to listen on; anything but loopback needs a passphrase.",
    ),
    passphrase: str | None = typer.Option(
        None,
        "--passphrase",
        help="Passphrase the browser asks for (default: env JEMPUT_APP_PASSPHRASE).",
    ),
    workers: int = typer.Option(2, "--workers", help="Worker processes for plans."),
) -> None:
    """Open the planner in the browser (offline web app on this machine)."""

    def job() -> None:
        from planner.app.web.security import PASSPHRASE_ENV
        from planner.app.web.serve import serve

        secret = passphrase if passphrase is not None else os.environ.get(PASSPHRASE_ENV)
        serve(
            region,
            host=host,
            port=port,
            passphrase=secret,
            workers=max(1, workers),
            announce=lambda line: console.print(line, markup=False, highlight=False),
        )

    run_reporting_errors(job)
