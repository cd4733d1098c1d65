"""InterruptedRunError runs: SIGTERM and SIGINT (Ctrl-C) become clean, reported stops.

What a signal does while :func:`handle_signals` is active:

* **SIGTERM** (``kill``, a scheduler ending a job): the run stops as soon as possible and
  raises :class:`InterruptedRunError` (a :class:`~planner.core.errors.PlannerError`, so the CLI
  prints one ``ERROR:`` line and exits 2). Outputs are written through
  :func:`planner.io.outputs.atomic_output_dir`, so the previous output folder stays as it was.
* **SIGINT** (Ctrl-C) the first time: the solver search stops and the run *goes on with the
  best plan found so far* (written as usual and marked as interrupted, see
  :func:`interrupted_by`). Outside a solver search there is no "best so far": the run stops
  like SIGTERM.
* **SIGINT** a second time: the run stops like SIGTERM.

Python runs a signal handler only between bytecodes of the main thread. While OR-Tools
searches in C++, that happens only if the search calls back into Python: the routing code adds
a search limit whose callable is made by :func:`search_stop_check` (``CustomLimit``), which
both lets the handler run and stops the search once a signal has arrived. Inside
:func:`solver_section` the handler therefore only records the signal; the section raises
:class:`InterruptedRunError` on exit for SIGTERM (after the solver has returned cleanly), and
lets the run continue for a first SIGINT.

Process pools: SIGTERM sent to the main process is passed on to its pool workers (they stop
their searches); Ctrl-C in a terminal reaches the whole process group, so each worker stops
its own search and returns its best plan, while the main process waits inside
:func:`solver_section`.

Examples
--------
>>> with handle_signals():  # doctest: +SKIP
...     with solver_section():
...         check = search_stop_check(lambda: routing.solver().Solutions() > 0)
...         routing.AddSearchMonitor(routing.solver().CustomLimit(check))
...         found = routing.SolveWithParameters(params)
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any, ClassVar

from planner.core.errors import PlannerError

HANDLED_SIGNALS: tuple[signal.Signals, ...] = (signal.SIGTERM, signal.SIGINT)
"""The signals :func:`handle_signals` turns into clean stops."""


class InterruptedRunError(PlannerError):
    """The run was stopped by a signal; nothing was written (the previous output is intact)."""

    def __init__(self, signal_name: str) -> None:
        self.signal_name = signal_name
        super().__init__(
            f"interrupted by {signal_name}: stopped before writing; an existing output folder "
            "is unchanged"
        )


class _State:
    """Process-wide record of the signals received (signal handlers are process-wide)."""

    lock = threading.Lock()
    owner_pid = 0
    received: ClassVar[list[str]] = []
    section_depth = 0
    stop = threading.Event()


def reset() -> None:
    """Forget every signal received (start of a new run in the same process)."""
    with _State.lock:
        _State.received.clear()
        _State.section_depth = 0
        _State.stop.clear()


def stop_requested() -> bool:
    """True once a signal asked the current search to stop (cheap: a solver limit calls it)."""
    return _State.stop.is_set()


def search_stop_check(has_solution: Callable[[], bool]) -> Callable[[], bool]:
    """The callable for a solver's custom search limit.

    It returns True (stop) at once after SIGTERM or a second SIGINT; after a first SIGINT only
    once the search has a solution to return (``has_solution``), so a Ctrl-C during the
    first-solution heuristic still gives a plan.

    Examples
    --------
    >>> solutions = []  # doctest: +SKIP
    >>> routing.AddAtSolutionCallback(lambda: solutions.append(1))  # doctest: +SKIP
    >>> check = search_stop_check(lambda: bool(solutions))  # doctest: +SKIP
    >>> routing.AddSearchMonitor(routing.solver().CustomLimit(check))  # doctest: +SKIP
    """

    def check() -> bool:
        if not _State.stop.is_set():
            return False
        with _State.lock:
            abort = _must_abort() is not None
        return abort or has_solution()

    return check


def interrupted_by() -> str | None:
    """Name of the first signal received (``"SIGINT"``, ``"SIGTERM"``), or None."""
    with _State.lock:
        return _State.received[0] if _State.received else None


def _must_abort() -> str | None:
    """The signal name if the run must stop now (SIGTERM, or SIGINT twice), else None."""
    received = _State.received
    if "SIGTERM" in received:
        return "SIGTERM"
    if received.count("SIGINT") >= 2:
        return "SIGINT"
    return None


def _handler(signum: int, frame: FrameType | None) -> None:
    """Record the signal, stop the search; raise :class:`InterruptedRunError` outside a search."""
    name = signal.Signals(signum).name
    if os.getpid() != _State.owner_pid and _State.section_depth == 0:
        # an idle pool worker (forked with these handlers): leave quietly, no traceback
        os._exit(128 + signum)
    with _State.lock:
        _State.received.append(name)
        _State.stop.set()
        in_section = _State.section_depth > 0
        abort = _must_abort() if in_section else name
    if name == "SIGTERM":
        # pool workers got no signal of their own: stop them too (they stop their search)
        for child in multiprocessing.active_children():
            with contextlib.suppress(OSError, ValueError):
                child.terminate()
    if not in_section and abort is not None:
        raise InterruptedRunError(abort)
    if in_section and abort == "SIGINT":
        # a second Ctrl-C during the search: give up on the best-so-far plan
        raise InterruptedRunError("SIGINT")


@contextlib.contextmanager
def solver_section() -> Iterator[None]:
    """Mark a solver search: signals inside only stop the search; SIGTERM raises on exit.

    Raises
    ------
    InterruptedRunError
        On leaving the section, if SIGTERM arrived (or SIGINT twice) meanwhile, or on entering
        it if one had arrived before.
    """
    with _State.lock:
        abort = _must_abort()
        _State.section_depth += 1
    try:
        if abort is not None:
            raise InterruptedRunError(abort)
        yield
    except InterruptedRunError:
        raise
    except Exception:
        # e.g. a pool whose workers were stopped: report the signal, not the breakage
        with _State.lock:
            abort = _must_abort()
        if abort is not None:
            raise InterruptedRunError(abort) from None
        raise
    finally:
        with _State.lock:
            _State.section_depth -= 1
    with _State.lock:
        abort = _must_abort()
    if abort is not None:
        raise InterruptedRunError(abort)


@contextlib.contextmanager
def handle_signals(signals: tuple[signal.Signals, ...] = HANDLED_SIGNALS) -> Iterator[None]:
    """Install the handlers of this module for ``signals``; restore the previous ones on exit.

    Does nothing outside the main thread (Python allows signal handlers only there).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    reset()
    _State.owner_pid = os.getpid()
    previous: dict[signal.Signals, Any] = {}
    try:
        for sig in signals:
            previous[sig] = signal.signal(sig, _handler)
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
