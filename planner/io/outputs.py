"""Write an output folder atomically: build it in a temporary sibling, then move it into place.

A failed or interrupted run therefore leaves the previous folder untouched and no half-written
files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from planner.core.errors import PlannerError

MARKER = ".jemput-bola"
"""File that marks a folder as a jemput-bola output (the next run may replace it whole)."""

COMMAND_KEY = "command = "
"""Line of the marker naming the command that wrote the folder (``command = plan``)."""


def output_command(out: Path) -> str | None:
    """The command that wrote the output folder ``out``, from its marker.

    ``None`` when ``out`` has no marker or an older marker that does not name its command.
    """
    marker = Path(out) / MARKER
    if not marker.is_file():
        return None
    for line in marker.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith(COMMAND_KEY):
            return line[len(COMMAND_KEY) :].strip() or None
    return None


def check_output_dir(out: Path, command: str | None = None) -> None:
    """Refuse an ``--out`` that is not a new, empty, or earlier jemput-bola output folder.

    An output folder is replaced whole, so a folder holding the user's own files, a file, or
    the current folder (or one of its parents) is an error, never overwritten. With
    ``command``, a folder another command wrote (``jemput locate`` output given to
    ``jemput plan``) is refused too: a coordinator's map of the region is not a week plan.
    """
    out = Path(out)
    where = f"--out {out}"
    if out.exists() and not out.is_dir():
        raise PlannerError(f"{where}: is a file, not a folder; give a folder name for the outputs")
    resolved = out.resolve()
    cwd = Path.cwd().resolve()
    if resolved == cwd or resolved in cwd.parents:
        raise PlannerError(
            f"{where}: is the current folder (or holds it); give a new folder name, e.g. hasil/"
        )
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        names = sorted(p.name for p in out.iterdir())
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        raise PlannerError(
            f"{where}: the folder holds files jemput-bola did not write ({shown}); outputs "
            "replace their folder whole, so give a new or empty folder"
        )
    earlier = output_command(out) if out.is_dir() else None
    if command is not None and earlier is not None and earlier != command:
        raise PlannerError(
            f"{where}: holds the output of 'jemput {earlier}'; 'jemput {command}' does not "
            f"replace it: give another folder, e.g. {out.name}-{command}/"
        )


@contextlib.contextmanager
def atomic_output_dir(out: Path, command: str | None = None) -> Iterator[Path]:
    """Yield a temporary folder that replaces ``out`` only if the block succeeds.

    Parameters
    ----------
    out
        The final output folder. Its parent is created if needed. An existing ``out`` is
        replaced as a whole on success and kept unchanged on failure; it must be empty or an
        earlier output (see :func:`check_output_dir`).
    command
        The command writing the folder (``"plan"``, ``"locate"``), recorded in its marker; an
        existing folder written by another command is refused.

    Yields
    ------
    Path
        A fresh empty folder on the same file system as ``out``.
    """
    out = Path(out)
    check_output_dir(out, command)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp makes 0700; an output folder is shared like any other
    note = "Output of jemput-bola. The next run with this --out replaces the whole folder.\n"
    if command is not None:
        note += f"{COMMAND_KEY}{command}\n"
    (staging / MARKER).write_text(note, encoding="utf-8")
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    backup: Path | None = None
    if out.exists():
        backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        backup.rmdir()
        os.replace(out, backup)
    try:
        os.replace(staging, out)
    except BaseException:
        if backup is not None:
            os.replace(backup, out)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
