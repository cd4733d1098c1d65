"""What every ``jemput`` command shares: the consoles and the ``ERROR:`` line reporting.

Every :class:`~planner.core.errors.PlannerError` becomes one ``ERROR: ...`` line per problem on
stderr and exit code 2; a traceback is shown only with ``--debug``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console

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
