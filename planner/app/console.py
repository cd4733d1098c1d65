"""What every ``jemput`` command shares: the consoles and the ``ERROR:`` line reporting.

Every :class:`~planner.core.errors.PlannerError` becomes one ``ERROR: ...`` line per problem on
stderr and exit code 2; a traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from planner.core.errors import PlannerError

console = Console()
err_console = Console(stderr=True, soft_wrap=True)


class DebugState:
    """Whether ``--debug`` was given (set by the root callback of :mod:`planner.app.cli`)."""

    debug = False


def print_errors(exc: PlannerError) -> None:
    """One ``ERROR:`` line per problem of ``exc`` on stderr."""
    for problem in exc.problems:
        err_console.print(f"ERROR: {problem}", markup=False, highlight=False)


def run_reporting_errors(func: Callable[[], Any]) -> Any:
    """Run ``func``; turn a ``PlannerError`` into ``ERROR:`` lines and exit code 2.

    An error that carries its own ``exit_code`` keeps it: a plan that fails its final check
    (:class:`planner.week.audit.PlanAuditError`) is a bug, exit code 3.
    """
    try:
        return func()
    except PlannerError as exc:
        if DebugState.debug:
            raise
        print_errors(exc)
        raise typer.Exit(code=int(getattr(exc, "exit_code", 2))) from None


def angka(value: object, decimals: int = 0) -> str:
    """A number as Indonesians write it: ``7549281`` → ``"7.549.281"``, ``1607.1`` →
    ``"1.607,1"`` (``decimals=1``); anything else as it is.
    """
    if not isinstance(value, int | float):
        try:
            value = float(str(value))
        except ValueError:
            return str(value)
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def persen(value: object) -> str:
    """A share as a percentage with a decimal comma: ``0.686`` → ``"68,6%"``."""
    return f"{angka(float(str(value)) * 100, 1)}%"


OPTION_OF: dict[str, str] = {
    "solver.time_limit_s": "--time-limit",
    "solver.solution_limit": "--solution-limit",
    "solver.seed": "--seed",
    "solver.first_solution": "--first-solution",
    "solver.metaheuristic": "--metaheuristic",
}
"""Settings a command-line flag overrides: errors name the flag the user typed."""


def name_the_flags(problems: list[str], given: Mapping[str, object]) -> list[str]:
    """Problems about settings given on the command line, worded with the flag.

    ``"overrides: solver.time_limit_s: must be greater than 0.0"`` becomes
    ``"--time-limit: must be greater than 0.0"`` when ``--time-limit`` was given.
    """
    out = []
    for problem in problems:
        # only what the flags set: a problem of the policy file keeps its file and key path
        if problem.startswith("overrides: "):
            for key, flag in OPTION_OF.items():
                if key in problem and given.get(key.split(".")[-1]) is not None:
                    problem = problem.removeprefix("overrides: ").replace(key, flag)
        out.append(problem)
    return out


class StageLog:
    """Progress as plain lines with the elapsed time, for output piped to a log.

    ``StageLog()("solve", 3, 8)`` prints ``[  12 s] Menyusun rute tim: 3/8``, once per change.
    """

    LABELS: Mapping[str, str] = {
        "classify": "Mengklasifikasi desa",
        "solve": "Menyusun rute tim",
    }

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.last: tuple[str, int] | None = None

    def elapsed(self) -> str:
        """Seconds since the start, as ``[  12 s]``."""
        return f"[{time.perf_counter() - self.started:4.0f} s]"

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.last == (stage, done):
            return
        self.last = (stage, done)
        label = self.LABELS.get(stage, stage)
        counted = f": {done}/{total}" if total > 1 else ""
        console.print(f"{self.elapsed()} {label}{counted}", markup=False, highlight=False)


def progress_bar() -> Progress:
    """The progress bar of long commands: stage, bar, done/total and elapsed time.

    Cleared when finished; disabled when the output is not a terminal (piped to a log), where
    :class:`StageLog` prints plain lines instead.
    """
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
