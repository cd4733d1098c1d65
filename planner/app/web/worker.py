"""Jobs of the web app; they run in the worker processes of :class:`~planner.app.web.pool.JobPool`.

Each job takes a spec of :mod:`planner.app.web.pool` and returns a plain, picklable
:class:`~planner.app.web.pool.JobResult`; known failures come back as the same problems the
CLI prints as ``ERROR:`` lines, never as a traceback. SIGTERM during a job (the page's cancel
button, or the server stopping) becomes a clean stop through :mod:`planner.core.interrupt`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from planner.app.jobs import run_locate, run_plan
from planner.app.web.context import RegionInfo
from planner.app.web.pool import (
    CANCEL_FILE,
    PID_FILE,
    CompareSpec,
    JobResult,
    LocateSpec,
    PlanSpec,
    ProjectSpec,
    RegionSpec,
    TargetSpec,
    write_progress,
)
from planner.core import interrupt
from planner.core.errors import ConfigError, InputError, PlannerError
from planner.domain.config import TeamsConfig, load_policy, load_teams
from planner.geo.estimate import load_demand
from planner.io.plan_config import default_teams_path
from planner.io.region import depot_names, list_regions, load_region
from planner.io.registry import save_registry_csv
from planner.scenarios.compare import WEEKS_METHODS, weeks_to_completion
from planner.scenarios.projection import STOP_REASONS
from planner.scenarios.run import default_week, run_compare, run_project
from planner.scenarios.target_report import run_target, target_table

REGISTRY_COUNTS = "rekap_desa"
"""Folder of the uploaded registry aggregated to counts per village (never its rows)."""


@contextlib.contextmanager
def _running(job_dir: Path) -> Iterator[None]:
    """Mark the job as running in this process; SIGTERM inside stops it cleanly."""
    job_dir.mkdir(parents=True, exist_ok=True)
    # SIGTERM only: a Ctrl-C in the server's terminal reaches every worker, and it is the
    # server that decides what stops (planner.core.interrupt turns SIGTERM into a clean stop)
    with interrupt.handle_signals((signal.SIGTERM,)):
        (job_dir / PID_FILE).write_text(str(os.getpid()))
        try:
            if (job_dir / CANCEL_FILE).exists():  # cancelled while waiting for a worker
                raise interrupt.InterruptedRunError("SIGTERM")
            yield
        finally:
            with contextlib.suppress(OSError):
                (job_dir / PID_FILE).unlink()


def _guarded(job_dir: Path, work: Callable[[], dict[str, Any]]) -> JobResult:
    try:
        with _running(job_dir):
            return JobResult(data=work())
    except interrupt.InterruptedRunError:
        return JobResult(cancelled=True)
    except PlannerError as exc:
        return JobResult(errors=tuple(exc.problems))


@contextlib.contextmanager
def in_memory_file(data: bytes, name: str) -> Iterator[Path]:
    """A path named ``name`` whose content is ``data``, kept in memory where the OS allows.

    On Linux the bytes live in an anonymous memory file (``memfd_create``) and the path is a
    symlink to it in a private temporary folder, so an uploaded person-level registry never
    reaches the disk. Elsewhere a private temporary file is written and deleted at once
    after use.
    """
    safe = Path(name).name or "registry.csv"
    folder = Path(tempfile.mkdtemp(prefix="jemput-upload-"))
    target = folder / safe
    fd = -1
    try:
        if hasattr(os, "memfd_create"):
            fd = os.memfd_create("jemput-registry")
            os.write(fd, data)
            target.symlink_to(f"/proc/{os.getpid()}/fd/{fd}")
        else:  # pragma: no cover - not Linux
            target.write_bytes(data)
            target.chmod(0o600)
        yield target
    finally:
        with contextlib.suppress(OSError):
            target.unlink()
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            folder.rmdir()


def locate_job(spec: LocateSpec) -> JobResult:
    """Validate an uploaded registry (if any), then classify and write the locate outputs."""
    job_dir, out = Path(spec.job_dir), Path(spec.out)

    def work() -> dict[str, Any]:
        notes: list[str] = []
        counts_path: Path | None = None
        if spec.registry_bytes is not None:
            write_progress(job_dir, "registry", 0, 1)
            region = load_region(spec.region)
            with in_memory_file(spec.registry_bytes, spec.registry_name) as path:
                registry = load_demand(region, None, path, 0)
            notes += registry.notes
            if registry.counts.empty:
                raise InputError(f"{spec.registry_name}: no village rows")
            # only counts per village are kept: no NIK, name or birth date reaches the disk;
            # the file keeps the upload's name, which the outputs quote as the data source
            stem = "".join(c for c in Path(spec.registry_name).stem if c.isalnum() or c in "-_")
            counts_path = save_registry_csv(
                registry, job_dir / REGISTRY_COUNTS / f"{stem or 'register'}.csv"
            )
        write_progress(job_dir, "classify", 0, 1)
        result, _ = run_locate(spec.region, out, registry=counts_path)
        write_progress(job_dir, "classify", 1, 1)
        return {
            "summary": result.summary.to_dict("records"),
            "label": result.source.label,
            "is_estimate": result.source.is_estimate,
            "model": result.source.model,
            "notes": [*notes, *result.source.notes],
            "map": str(out / "peta_sebaran.html"),
            "registry_counts": None if counts_path is None else str(counts_path),
        }

    return _guarded(job_dir, work)


def plan_job(spec: PlanSpec) -> JobResult:
    """Plan a week with :func:`planner.app.jobs.run_plan`; progress goes to the job folder."""
    job_dir, out = Path(spec.job_dir), Path(spec.out)

    def progress(stage: str, done: int, total: int) -> None:
        write_progress(job_dir, stage, done, total)

    def work() -> dict[str, Any]:
        write_progress(job_dir, "prepare", 0, 0)
        overrides: dict[str, object] = {
            "time_limit_s": spec.time_limit_s,
            "solution_limit": spec.solution_limit,
            "seed": spec.seed,
        }
        plan = run_plan(
            spec.region,
            date.fromisoformat(spec.week),
            out,
            teams_path=Path(spec.teams_path) if spec.teams_path else None,
            registry=Path(spec.registry_path) if spec.registry_path else None,
            solver_overrides=overrides,
            lock=Path(spec.lock_path) if spec.lock_path else None,
            done=Path(spec.done_path) if spec.done_path else None,
            from_date=date.fromisoformat(spec.from_date) if spec.from_date else None,
            progress=progress,
        )
        return {
            "out": str(out),
            "summary": plan.summary,
            "meta": {k: plan.meta.get(k) for k in ("week_start", "is_estimate", "source")},
            "unplanned": plan.unplanned.to_dict("records"),
        }

    return _guarded(job_dir, work)


def _solver(spec: CompareSpec | ProjectSpec | TargetSpec) -> dict[str, object]:
    return {"time_limit_s": spec.time_limit_s, "solution_limit": spec.solution_limit}


def compare_job(spec: CompareSpec) -> JobResult:
    """Compare scenario files (the first is the base) as ``jemput compare`` does."""
    job_dir, out = Path(spec.job_dir), Path(spec.out)

    def progress(name: str, done: int, total: int) -> None:
        write_progress(job_dir, "compare", done, total, name)

    def work() -> dict[str, Any]:
        write_progress(job_dir, "prepare", 0, 0)
        comparison = run_compare(
            spec.region,
            [Path(f) for f in spec.files],
            out,
            week=date.fromisoformat(spec.week),
            weeks=spec.weeks,
            solver_overrides=_solver(spec),
            seed=spec.seed,
            progress=progress,
        )
        table = comparison.table.astype(object).where(comparison.table.notna(), None)
        return {
            "table": table.to_dict("records"),
            "week": comparison.week.isoformat(),
            "weeks": comparison.weeks,
            "methods": dict(WEEKS_METHODS),
            "chart": str(out / "bandingkan.png"),
            "xlsx": str(out / "bandingkan.xlsx"),
        }

    return _guarded(job_dir, work)


def project_job(spec: ProjectSpec) -> JobResult:
    """Roll a scenario forward week by week as ``jemput project`` does."""
    job_dir, out = Path(spec.job_dir), Path(spec.out)

    def progress(done: int, total: int, row: dict[str, object]) -> None:
        write_progress(job_dir, "project", done, total, str(row.get("week_start", "")))

    def work() -> dict[str, Any]:
        write_progress(job_dir, "prepare", 0, 0)
        proj = run_project(
            spec.region,
            out,
            start=date.fromisoformat(spec.start),
            until=date.fromisoformat(spec.until),
            scenario=Path(spec.scenario_path),
            solver_overrides=_solver(spec),
            seed=spec.seed,
            progress=progress,
        )
        finished = proj.completion_date
        weeks_needed, method = weeks_to_completion(proj)
        weeks = proj.weeks.astype(object).where(proj.weeks.notna(), None)
        completion = proj.completion.astype(object).where(proj.completion.notna(), None)
        return {
            "weeks": weeks.to_dict("records"),
            "completion": completion.to_dict("records"),
            "stop": STOP_REASONS[proj.stop],
            "completion_date": None if finished is None else finished.isoformat(),
            "weeks_to_completion": weeks_needed,
            "weeks_method": WEEKS_METHODS[method],
            "chart": str(out / "proyeksi.png"),
            "xlsx": str(out / "proyeksi.xlsx"),
        }

    return _guarded(job_dir, work)


TARGET_ZIP = "skenario_target.zip"
"""Zip of the option scenario TOMLs of a target job (replay with ``jemput project``)."""


def target_job(spec: TargetSpec) -> JobResult:
    """Find the cheapest ways to finish by a date as ``jemput target`` does."""
    job_dir, out = Path(spec.job_dir), Path(spec.out)

    def progress(message: str) -> None:
        # the search reports stages in Indonesian, without a known total
        write_progress(job_dir, "target", 0, 0, message)

    def work() -> dict[str, Any]:
        write_progress(job_dir, "prepare", 0, 0)
        result = run_target(
            spec.region,
            date.fromisoformat(spec.start),
            date.fromisoformat(spec.until),
            out,
            teams_file=Path(spec.teams_path),
            kabupaten=spec.kabupaten,
            klass=spec.klass,
            confirm=spec.confirm,
            solver_overrides=_solver(spec),
            seed=spec.seed,
            progress=progress,
        )
        tomls = sorted(p for p in result.files if p.suffix == ".toml")
        archive = job_dir / TARGET_ZIP
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in tomls:
                zf.write(path, f"skenario/{path.name}")
        table = target_table(result)
        table = table.astype(object).where(table.notna(), None)
        return {
            "table": table.to_dict("records"),
            "area": result.area,
            "is_estimate": result.is_estimate,
            "confirmed": sum(o.confirmed is not None for o in result.options),
            "evaluations": result.evaluations,
            "xlsx": str(out / "target.xlsx"),
            "chart": str(out / "target.png"),
            "zip": str(archive),
        }

    return _guarded(job_dir, work)


def region_job(spec: RegionSpec) -> JobResult:
    """The facts of a region the pages need, and the list of bundled regions."""

    def work() -> dict[str, Any]:
        region = load_region(spec.region)
        try:
            week: date | None = default_week(region)
        except ConfigError:
            week = None
        teams: TeamsConfig | None = None
        problems: tuple[str, ...] = ()
        path = default_teams_path(region)
        if path.exists():
            try:
                teams = load_teams(path)
            except ConfigError as exc:
                problems = tuple(exc.problems)
        info = RegionInfo(
            key=region.key,
            name=region.config.name,
            depot_ids=tuple(region.depots["depot_id"].astype(str)),
            depot_names=depot_names(region),
            regency_codes=tuple(region.config.regency_codes),
            week=week,
            teams=teams,
            teams_problems=problems,
            turnout=load_policy(None).turnout,
        )
        return {"info": info, "regions": list_regions()}

    try:
        return JobResult(data=work())
    except PlannerError as exc:
        return JobResult(errors=tuple(exc.problems))
