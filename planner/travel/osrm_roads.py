"""Road travel from an OpenStreetMap extract with OSRM, in process (``osrm-bindings``).

The extract is pre-processed once per profile (``osrm-extract``, ``-partition``, ``-customize``: the
tools shipped in the wheel) into a cache folder keyed by the SHA-256 of the extract, the profile and
the OSRM version; later runs open the cached files. Foot uses OSRM's own profile; car is OSRM's
with the speeds of ``osm.py`` (``profiles/car.lua``) and the motorbike profile is ours
(``profiles/motorbike.lua``: no toll roads, tracks allowed).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import numpy as np

from planner.core.errors import TravelError
from planner.travel.cache import TravelCache, default_cache_dir
from planner.travel.model import TravelModel
from planner.travel.params import TravelParams
from planner.travel.types import Mode, Place, Port, SeaNetwork

PROFILE_OF_MODE: dict[Mode, str] = {
    Mode.mobil: "car",
    Mode.motor: "motorbike",
    Mode.jalan_kaki: "foot",
}
"""OSRM profile per land mode (``foot`` ships with OSRM; ``car`` is OSRM's with Indonesian
speeds and ``motorbike`` is ours, both in ``profiles/``)."""

_ALGORITHM = "MLD"
"""Multi-level Dijkstra. ``osrm-contract`` (CH) did not finish in 220 CPU-s on the synthetic
Banten grid (BENCHMARKS.md section 10) while partition + customize take seconds; CH tables
are faster (1.4 s against 26 s for 1,552 points on a less regular synthetic network), so CH
is worth a try on a real extract, but its build time is the risk."""

_EXCLUDABLE = re.compile(r"excludable\s*=\s*Sequence\s*\{.*?\n\s*\},?", re.S)
"""The ``excludable`` table of a profile. The planner never excludes a road class, and every
combination listed costs one more metric in ``osrm-customize`` (car.lua lists 3: 4 metrics);
the staged copy declares none."""


def osrm_version() -> str | None:
    """Installed ``osrm-bindings`` version, ``None`` if the package cannot be imported."""
    try:
        import osrm  # noqa: F401  (the import is the test: the wheel may be missing)
    except ImportError:
        return None
    return metadata.version("osrm-bindings")


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _osrm_dir() -> Path:
    import osrm

    return Path(osrm.__file__).resolve().parent


def profile_path(name: str) -> Path:
    """The Lua file of an OSRM profile: ours (``car``, ``motorbike``) or OSRM's (``foot``)."""
    ours = Path(str(resources.files("planner.travel") / "profiles" / f"{name}.lua"))
    return ours if ours.is_file() else _osrm_dir() / "share" / "profiles" / f"{name}.lua"


def _profile_digest(name: str) -> str:
    """Hash of the profile and of OSRM's ``lib/*.lua`` it may ``require``."""
    h = hashlib.sha256(profile_path(name).read_bytes())
    for lib in sorted((_osrm_dir() / "share" / "profiles" / "lib").glob("*.lua")):
        h.update(lib.name.encode())
        h.update(lib.read_bytes())
    return h.hexdigest()


def default_osrm_dir() -> Path:
    """``<cache root>/osrm``: next to the travel matrix cache."""
    return default_cache_dir().parent / "osrm"


def _run(tool: str, args: list[str], log: Path) -> None:
    exe = _osrm_dir() / "bin" / f"osrm-{tool}"
    with log.open("ab") as fh:
        done = subprocess.run([str(exe), *args], stdout=fh, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-3:]
        raise TravelError(f"osrm-{tool} failed (exit {done.returncode}): {' | '.join(tail)}")


def prepare_osrm(pbf: Path, profile: str, *, work_dir: Path | None = None) -> Path:
    """Pre-process ``pbf`` for ``profile`` once; return the ``.osrm`` base path to open.

    The result is built in a temporary folder and renamed into place when complete, so an
    interrupted run never leaves a half-built data set that looks valid.
    """
    root = work_dir or default_osrm_dir()
    version = metadata.version("osrm-bindings")
    key = hashlib.sha256(
        f"{file_sha256(pbf)}|{_profile_digest(profile)}|{version}|{_ALGORITHM}|no-excludes".encode()
    ).hexdigest()[:20]
    final = root / f"{profile}-{key}"
    base = final / "roads.osrm"
    if (final / "DONE").is_file():
        return base
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{profile}-", dir=root))
    try:
        staged = tmp / "profile"
        # OSRM resolves require('lib/...') next to the profile: stage it beside OSRM's lib/
        shutil.copytree(_osrm_dir() / "share" / "profiles" / "lib", staged / "lib")
        text = profile_path(profile).read_text(encoding="utf-8")
        text, _ = _EXCLUDABLE.subn("excludable = Sequence {},", text)
        (staged / f"{profile}.lua").write_text(text, encoding="utf-8")
        threads = str(max(1, min(2, os.cpu_count() or 1)))
        log = tmp / "osrm.log"
        out = tmp / "roads.osrm"
        _run("extract", [str(pbf), "-p", str(staged / f"{profile}.lua"), "-o", str(out),
                         "-t", threads], log)  # fmt: skip
        _run("partition", [str(out), "-t", threads], log)
        _run("customize", [str(out), "-t", threads], log)
        (tmp / "DONE").write_text(f"{pbf.name} {profile} osrm-bindings {version}\n")
        try:
            os.rename(tmp, final)
        except OSError:  # another run finished first: keep its copy
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return base


class OsrmTravelModel(TravelModel):
    """Fastest road routes on an OSM extract, computed by OSRM in this process.

    Each place is snapped to the nearest road OSRM allows for the mode; the snap distance is
    an access leg at the params' access speed for the place's terrain (as in
    :class:`~planner.travel.OsmTravelModel`). Pairs with no route are ``inf``. One-way
    streets are respected, so a matrix may be asymmetric.

    Parameters
    ----------
    pbf
        The OSM extract.
    params, ports, cache, sea
        As in :class:`~planner.travel.TravelModel`.
    work_dir
        Where the pre-processed OSRM files go (default :func:`default_osrm_dir`).

    Raises
    ------
    TravelError
        If ``osrm-bindings`` is not installed or the extract is missing.
    """

    version = "1"
    engine = "osrm"

    def __init__(
        self,
        pbf: str | Path,
        *,
        params: TravelParams | None = None,
        ports: Sequence[Port] = (),
        cache: TravelCache | bool | None = None,
        sea: SeaNetwork | None = None,
        work_dir: Path | None = None,
    ) -> None:
        super().__init__(params, ports, cache=cache, sea=sea)
        version = osrm_version()
        if version is None:
            raise TravelError("osrm-bindings is not installed (pip install osrm-bindings)")
        self.pbf = Path(pbf)
        if not self.pbf.is_file():
            raise TravelError(f"{self.pbf}: OSM extract not found")
        self.osrm_version = version
        self.work_dir = work_dir
        self._digest = f"{file_sha256(self.pbf)}:{version}:{_ALGORITHM}"
        self._engines: dict[Mode, Any] = {}

    def fingerprint(self) -> str:
        """Hash of the extract, the OSRM version and the algorithm."""
        return self._digest

    def _engine(self, mode: Mode) -> Any:
        import osrm

        if mode not in self._engines:
            if mode not in PROFILE_OF_MODE:
                raise TravelError(f"OSRM has no road profile for mode {mode}")
            base = prepare_osrm(self.pbf, PROFILE_OF_MODE[mode], work_dir=self.work_dir)
            # use_shared_memory=False: load this data set's files, no osrm-datastore
            self._engines[mode] = osrm.OSRM(
                storage_config=str(base), algorithm=_ALGORITHM, use_shared_memory=False
            )
        return self._engines[mode]

    def land_legs(self, points: Sequence[Place], mode: Mode) -> tuple[np.ndarray, np.ndarray]:
        """OSRM table (durations and distances) plus snap legs at both ends."""
        import osrm

        n = len(points)
        if n == 0:
            return np.zeros((0, 0)), np.zeros((0, 0))
        table = osrm.TableParameters(
            coordinates=[(p.lon, p.lat) for p in points],
            annotations=["duration", "distance"],
            generate_hints=False,
        )
        try:
            res = self._engine(mode).Table(table)
        except RuntimeError as exc:
            raise TravelError(f"{self.pbf}: OSRM table failed ({exc})") from None
        seconds = _as_array(res["durations"])
        metres = _as_array(res["distances"])
        snap_km = np.array([float(w["distance"]) for w in res["sources"]]) / 1000.0
        speed = self.params.access_speed_kmh[mode]
        acc_min = snap_km / np.array([speed[p.terrain] for p in points]) * 60.0
        minutes = seconds / 60.0 + np.add.outer(acc_min, acc_min)
        km = metres / 1000.0 + np.add.outer(snap_km, snap_km)
        np.fill_diagonal(minutes, 0.0)
        np.fill_diagonal(km, 0.0)
        return minutes, km

    def land_path(self, a: Place, b: Place, mode: Mode) -> list[tuple[float, float]]:
        """The road polyline of OSRM's fastest route (snap legs as first and last piece)."""
        import osrm

        route = osrm.RouteParameters(
            coordinates=[(a.lon, a.lat), (b.lon, b.lat)],
            geometries="geojson",
            overview="full",
            generate_hints=False,
        )
        try:
            res = self._engine(mode).Route(route)
        except RuntimeError as exc:
            raise TravelError(f"no road from '{a.id}' to '{b.id}' in {self.pbf} ({exc})") from None
        coords = [(float(c[0]), float(c[1])) for c in res["routes"][0]["geometry"]["coordinates"]]
        return [(a.lon, a.lat), *coords, (b.lon, b.lat)]


def _as_array(rows: Any) -> np.ndarray:
    """OSRM's nested arrays (``None`` = no route) as float64 with ``inf``."""
    return np.array(
        [[np.inf if v is None else float(v) for v in row] for row in rows], dtype=np.float64
    )
