"""What a browser session works on: its region's facts and its own private folder.

Every session (a browser tab) gets a folder named by a random token under the app's root;
the folder is served read-only at ``/berkas/<token>/`` (maps, pages) and removed when the tab
closes. Two tabs therefore never see each other's outputs.
"""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planner.domain.config import TeamsConfig

FILES_URL = "/berkas"
"""URL prefix under which session folders are served."""


@dataclass(frozen=True)
class RegionInfo:
    """The facts of a region the pages need (loaded in a worker, kept by the session)."""

    key: str
    name: str
    depot_ids: tuple[str, ...]
    depot_names: dict[str, str]
    regency_codes: tuple[str, ...]
    week: date | None
    teams: TeamsConfig | None
    teams_problems: tuple[str, ...]
    turnout: float
    """The default policy's first-visit turnout (the Skenario page starts from it)."""


class SessionFolder:
    """A private folder for one browser session, with numbered job folders inside."""

    def __init__(self, root: Path) -> None:
        self.token = secrets.token_urlsafe(18)
        self.path = root / self.token
        self.path.mkdir(mode=0o700)
        self._jobs = 0

    def new_job(self, kind: str) -> Path:
        """A fresh job folder ``<kind>-<n>`` (outputs of earlier jobs stay downloadable)."""
        self._jobs += 1
        job = self.path / f"{kind}-{self._jobs}"
        job.mkdir()
        return job

    def url(self, path: Path) -> str:
        """URL of a file inside this folder."""
        relative = path.resolve().relative_to(self.path.resolve())
        return f"{FILES_URL}/{self.token}/{relative.as_posix()}"

    def remove(self) -> None:
        """Delete the folder and everything in it."""
        shutil.rmtree(self.path, ignore_errors=True)
