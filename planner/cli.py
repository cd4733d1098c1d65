"""The ``jemput`` command line: a thin Typer layer over library functions.

Every :class:`~planner.errors.PlannerError` becomes one ``ERROR: ...`` line per problem on
stderr and exit code 2; a traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console

from planner.errors import PlannerError

app = typer.Typer(
    name="jemput",
    help="Plan jemput bola e-KTP recording teams: where, who, which day.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)


class _State:
    debug = False


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
) -> None:
    _State.debug = debug


def run_reporting_errors(func: Callable[[], Any]) -> Any:
    """Run ``func``; turn a ``PlannerError`` into ``ERROR:`` lines and exit code 2."""
    try:
        return func()
    except PlannerError as exc:
        if _State.debug:
            raise
        for problem in exc.problems:
            err_console.print(f"ERROR: {problem}", markup=False, highlight=False)
        raise typer.Exit(code=2) from None


def main() -> None:
    """Console-script entry point."""
    from planner import commands, commands_scenarios  # noqa: F401  (register the sub-commands)
    from planner.interrupt import handle_signals

    try:
        # SIGTERM -> InterruptedRunError (one ERROR: line, exit 2); a first Ctrl-C during the
        # search keeps the best plan so far (planner/interrupt.py)
        with handle_signals():
            app()
    except PlannerError as exc:  # a signal outside a command body (argument parsing)
        for problem in exc.problems:
            err_console.print(f"ERROR: {problem}", markup=False, highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("ERROR: interrupted", markup=False)
        sys.exit(130)
