"""Disk cache of travel matrices (``.npz`` files keyed by a hash of every input)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from planner.travel.types import Mode, Place, TravelMatrix

CACHE_ENV = "JEMPUT_CACHE_DIR"
"""Environment variable naming the cache root (the matrices go to ``<root>/travel``)."""


def default_cache_dir() -> Path:
    """``$JEMPUT_CACHE_DIR/travel`` if set, else ``~/.cache/jemput-bola/travel``."""
    root = os.environ.get(CACHE_ENV)
    if root:
        return Path(root).expanduser() / "travel"
    return Path.home() / ".cache" / "jemput-bola" / "travel"


def places_digest(places: Sequence[Place]) -> str:
    """Stable hash of the places (id, exact coordinates, terrain, island), in order."""
    h = hashlib.sha256()
    for p in places:
        h.update(
            json.dumps(
                [p.id, float(p.lon).hex(), float(p.lat).hex(), str(p.terrain), p.island]
            ).encode()
        )
    return h.hexdigest()


def digest(parts: Iterable[str]) -> str:
    """SHA-256 of the joined parts."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode())
        h.update(b"\x00")
    return h.hexdigest()


class TravelCache:
    """Folder of cached :class:`TravelMatrix` files.

    Parameters
    ----------
    folder
        Where to keep the files; default :func:`default_cache_dir`.

    Notes
    -----
    A file that cannot be read or does not match the request (truncated, corrupt, wrong
    shape) is ignored, removed and rebuilt. Writes are atomic (temporary file + rename), so
    parallel planner runs never read a half-written file.
    """

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder).expanduser() if folder is not None else default_cache_dir()

    def clear(self) -> int:
        """Delete every cached matrix in the folder; returns how many files were removed."""
        removed = 0
        for path in self.folder.glob("*.npz"):
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
        return removed

    def path(self, key: str) -> Path:
        """File of one key."""
        return self.folder / f"{key}.npz"

    def load(self, key: str, ids: Sequence[str], mode: Mode, boat: bool) -> TravelMatrix | None:
        """The cached matrix for ``key``, or ``None`` if absent or unusable."""
        path = self.path(key)
        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                stored_ids = tuple(str(v) for v in data["ids"])
                if stored_ids != tuple(ids) or str(data["mode"]) != str(mode):
                    raise ValueError("cached matrix does not match the request")
                if bool(data["boat"]) != boat:
                    raise ValueError("cached matrix does not match the request")
                n = len(stored_ids)
                sea = np.asarray(data["sea_index"], dtype=np.int64)
                boat_minutes = np.zeros(n * n)
                via = np.full(n * n, -1, dtype=np.int64)
                via_end = np.full(n * n, -1, dtype=np.int64)
                boat_minutes[sea] = data["sea_boat_minutes"]
                via[sea] = data["sea_via_port"]
                via_end[sea] = data["sea_via_port_end"]
                return TravelMatrix(
                    ids=stored_ids,
                    minutes=np.array(data["minutes"], dtype=np.float64),
                    km=np.array(data["km"], dtype=np.float64),
                    boat_minutes=boat_minutes.reshape(n, n),
                    via_port=via.reshape(n, n),
                    via_port_end=via_end.reshape(n, n),
                    mode=mode,
                    boat_allowed=boat,
                    ports=tuple(str(v) for v in data["ports"]),
                )
        except Exception:
            with contextlib.suppress(OSError):
                path.unlink()
            return None

    def save(self, key: str, matrix: TravelMatrix) -> None:
        """Write ``matrix`` atomically; a read-only or full disk only skips caching."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Sea legs are few: store them sparsely (flat index + values).
            sea = np.flatnonzero(
                (matrix.via_port.ravel() >= 0) | (matrix.boat_minutes.ravel() != 0)
            )
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                np.savez(
                    fh,
                    ids=np.array(matrix.ids, dtype=str),
                    minutes=matrix.minutes,
                    km=matrix.km,
                    sea_index=sea,
                    sea_boat_minutes=matrix.boat_minutes.ravel()[sea],
                    sea_via_port=matrix.via_port.ravel()[sea],
                    sea_via_port_end=matrix.via_port_end.ravel()[sea],
                    mode=np.array(str(matrix.mode)),
                    boat=np.array(matrix.boat_allowed),
                    ports=np.array(matrix.ports, dtype=str),
                )
            os.replace(tmp, self.path(key))
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)
