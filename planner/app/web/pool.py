"""The worker processes of the app: job specs and results, progress files, the pool.

This module is light on purpose: the server process imports it, while the heavy library
(GeoPandas, OR-Tools, Folium) is imported only in the workers, by :func:`call_job`, which
loads a job of :mod:`planner.app.web.worker` by name. So ``jemput app`` starts in about a
second of CPU, and the workers are warmed up in the background.

A job writes its pid and its progress into its own job folder; the server polls
``progress.json`` and cancels a job by sending SIGTERM to that pid, which
:mod:`planner.core.interrupt` turns into a clean stop (the solver search ends; outputs are
written through an atomic folder, so nothing half-written remains).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import multiprocessing
import os
import signal
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROGRESS_FILE = "progress.json"
PID_FILE = "pid"
CANCEL_FILE = "cancel"
WORKER_MODULE = "planner.app.web.worker"
"""Module of the job functions, imported in the worker processes only."""


@dataclass(frozen=True)
class JobResult:
    """What a job hands back to the page: data, the problems found, or that it was cancelled."""

    data: dict[str, Any] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        """True when the job finished without problems and was not cancelled."""
        return not self.errors and not self.cancelled


@dataclass(frozen=True)
class RegionSpec:
    """Load a region's facts (depots, regencies, example teams, default week)."""

    region: str


@dataclass(frozen=True)
class LocateSpec:
    """A distribution job: region, optional uploaded registry (bytes, in memory), folders."""

    region: str
    job_dir: str
    out: str
    registry_bytes: bytes | None = None
    registry_name: str = "registry.csv"


@dataclass(frozen=True)
class PlanSpec:
    """A week's plan job, with the session's teams and registry files (or the defaults)."""

    region: str
    week: str
    job_dir: str
    out: str
    teams_path: str | None = None
    registry_path: str | None = None
    time_limit_s: float | None = None
    solution_limit: int | None = None
    seed: int | None = None
    lock_path: str | None = None
    done_path: str | None = None
    from_date: str | None = None


@dataclass(frozen=True)
class CompareSpec:
    """A comparison job: scenario files (the first is the base), as ``jemput compare``."""

    region: str
    week: str
    job_dir: str
    out: str
    files: tuple[str, ...]
    weeks: int = 1
    time_limit_s: float | None = None
    solution_limit: int | None = None
    seed: int = 0


@dataclass(frozen=True)
class ProjectSpec:
    """A projection job: one scenario file rolled forward, as ``jemput project``."""

    region: str
    start: str
    until: str
    job_dir: str
    out: str
    scenario_path: str
    time_limit_s: float | None = None
    solution_limit: int | None = None
    seed: int = 0


@dataclass(frozen=True)
class TargetSpec:
    """A target job: the cheapest additions that finish an area by a date (``jemput target``).

    ``confirm`` is how many of the top options the real planner projects (0: the fast
    surrogate model only); ``kabupaten`` and ``klass`` narrow the target area.
    """

    region: str
    start: str
    until: str
    job_dir: str
    out: str
    teams_path: str
    kabupaten: str | None = None
    klass: str | None = None
    confirm: int = 2
    time_limit_s: float | None = None
    solution_limit: int | None = None
    seed: int = 0


def write_progress(job_dir: Path, stage: str, done: int, total: int, detail: str = "") -> None:
    """Replace ``progress.json`` atomically (the server may read it at any moment)."""
    record = {"stage": stage, "done": done, "total": total, "detail": detail, "time": time.time()}
    tmp = job_dir / f".{PROGRESS_FILE}.tmp"
    tmp.write_text(json.dumps(record))
    tmp.replace(job_dir / PROGRESS_FILE)


def read_progress(job_dir: Path) -> dict[str, Any] | None:
    """The last progress record of a job, or None before the first one."""
    try:
        record = json.loads((job_dir / PROGRESS_FILE).read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def call_job(name: str, spec: object) -> JobResult:
    """Run job ``name`` of :data:`WORKER_MODULE` (in a worker process)."""
    func = getattr(importlib.import_module(WORKER_MODULE), name)
    result = func(spec)
    assert isinstance(result, JobResult)
    return result


def warm_up() -> bool:
    """Import the job module in a worker, so the first job does not wait for it."""
    importlib.import_module(WORKER_MODULE)
    return True


def _worker_init() -> None:
    # the server owns Ctrl-C; a job handles SIGTERM itself (worker._running)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class JobPool:
    """A process pool for the app's jobs that can cancel one job and shut down cleanly.

    Parameters
    ----------
    workers
        Worker processes (two tabs can plan at once with two).
    """

    def __init__(self, workers: int = 2) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn: the server runs threads (uvicorn, asyncio); forking them is unsafe
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_init,
            )
        return self._executor

    def submit(self, name: str, spec: object) -> Future[JobResult]:
        """Run job ``name`` on ``spec`` in a worker (a broken pool is replaced first)."""
        try:
            return self._pool().submit(call_job, name, spec)
        except BrokenProcessPool:
            self._executor = None
            return self._pool().submit(call_job, name, spec)

    def warm_up(self) -> None:
        """Start every worker and import the job module there, in the background."""
        pool = self._pool()
        for _ in range(self.workers):
            pool.submit(warm_up)

    @staticmethod
    def cancel(job_dir: Path) -> bool:
        """Ask the job of ``job_dir`` to stop; True if its worker got SIGTERM now.

        A job still waiting for a worker finds the cancel mark when it starts. The mark is
        written before the pid is read, and a job writes its pid before it looks for the
        mark: one of the two always sees the other.
        """
        (job_dir / CANCEL_FILE).touch()
        try:
            pid = int((job_dir / PID_FILE).read_text())
        except (OSError, ValueError):
            return False
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return False
        return True

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Stop every worker: SIGTERM (a running job stops cleanly), then kill stragglers."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        processes = list((getattr(executor, "_processes", None) or {}).values())
        for process in processes:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                process.terminate()
        executor.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + timeout_s
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(1.0)
