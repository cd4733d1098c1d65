"""The ``jemput`` command line: a thin Typer layer over library functions.

The sub-commands are plain functions in :mod:`planner.app.commands` and
:mod:`planner.app.scenario_commands`, registered here by name (no import side effects).
Errors become ``ERROR:`` lines (:mod:`planner.app.console`).
"""

from __future__ import annotations

import sys

import typer

from planner.app import commands, scenario_commands, target_command
from planner.app.console import DebugState, print_errors
from planner.app.web import command as web_command
from planner.core.errors import PlannerError
from planner.core.interrupt import handle_signals

app = typer.Typer(
    name="jemput",
    help="Plan jemput bola e-KTP recording teams: where, who, which day.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
) -> None:
    DebugState.debug = debug


app.command("locate")(commands.locate)
app.command("estimate-registry")(commands.estimate_registry)
app.command("plan")(commands.plan)
app.command("check-travel")(commands.check_travel)
app.command("compare")(scenario_commands.compare)
app.command("project")(scenario_commands.project)
# jemput target: cheapest ways to finish by a deadline (planner/scenarios/target*.py)
app.command("target")(target_command.target)
# jemput app: the offline web app (planner/app/web)
app.command("app")(web_command.app)


def main() -> None:
    """Console-script entry point."""
    try:
        # SIGTERM -> InterruptedRunError (one ERROR: line, exit 2); a first Ctrl-C during the
        # search keeps the best plan so far (planner/core/interrupt.py)
        with handle_signals():
            app()
    except PlannerError as exc:  # a signal outside a command body (argument parsing)
        print_errors(exc)
        sys.exit(2)
    except KeyboardInterrupt:
        print_errors(PlannerError("interrupted"))
        sys.exit(130)
