"""``jemput app``: start the web app on this machine and stop it, and its workers, cleanly.

Stopping: uvicorn turns the first Ctrl-C or SIGTERM into a graceful shutdown and a second
Ctrl-C into an immediate one. Either way, :func:`serve` then stops the job workers through
:meth:`JobPool.shutdown` (SIGTERM, which :mod:`planner.core.interrupt` turns into a clean
stop of a running plan; a worker still alive after the timeout is killed), so no solver keeps
the process alive. uvicorn re-raises the signal once it has stopped; the handlers of
:mod:`planner.core.interrupt` (installed by ``jemput``'s entry point) turn it into an
:class:`~planner.core.interrupt.InterruptedRunError`, which :func:`serve` takes as the normal
end of a server.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import uvicorn

from planner.app.web.app import make_app
from planner.app.web.pool import JobPool
from planner.app.web.security import Guard, required_passphrase
from planner.core.interrupt import InterruptedRunError


def serve(
    region: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    passphrase: str | None = None,
    workers: int = 2,
    announce: Callable[[str], None] = print,
) -> None:
    """Run the app until Ctrl-C or SIGTERM.

    Parameters
    ----------
    region
        Bundled region name or region folder shown first (an unknown one is reported on the
        page).
    host, port
        Where to listen; a host other than loopback needs ``passphrase``.
    passphrase
        Asked by the browser (HTTP Basic authentication, any user name).
    workers
        Job worker processes.
    announce
        Where the start line goes.

    Raises
    ------
    PlannerError
        Another host without a passphrase.
    """
    started = time.perf_counter()
    secret = required_passphrase(host, passphrase)
    root = Path(tempfile.mkdtemp(prefix="jemput-app-"))
    pool = JobPool(workers)
    try:
        pool.warm_up()
        asgi = Guard(make_app(region, root, pool), secret)
        config = uvicorn.Config(
            asgi,
            host=host,
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=5,
            ws_max_size=16 * 1024 * 1024,
        )
        server = uvicorn.Server(config)
        announce(
            f"jemput app siap dalam {time.perf_counter() - started:.1f} detik: "
            f"buka http://{host}:{port} (Ctrl-C untuk berhenti)"
        )
        # the end of a server is a signal: uvicorn re-raises it once it has stopped
        with contextlib.suppress(InterruptedRunError, KeyboardInterrupt):
            server.run()
    finally:
        pool.shutdown()
        shutil.rmtree(root, ignore_errors=True)
