"""Provider of a user-supplied travel matrix (CSV)."""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from planner.core.errors import ProblemCollector, TravelError
from planner.travel.cache import TravelCache
from planner.travel.model import TravelModel
from planner.travel.params import TravelParams
from planner.travel.types import Mode, Place, Port, SeaNetwork

_ALL_MODES = "*"
_MAX_LISTED = 25
_LAND_MODE_NAMES = [str(m) for m in Mode if m != Mode.perahu]


class MatrixTravelModel(TravelModel):
    """Land travel from a user-supplied matrix (e.g. exported from a routing engine).

    Build it with :meth:`from_csv`. Sea legs still go through ``ports``: give the ports' ids
    rows in the CSV like any place. Pairs on different islands need no row (never by land).
    ``Mode.perahu`` is always the boat-only estimate from coordinates (see :class:`Mode`).
    """

    version = "1"

    def __init__(
        self,
        table: Mapping[str, Mapping[tuple[str, str], tuple[float, float]]],
        *,
        source: str = "matrix",
        digest_text: str = "",
        params: TravelParams | None = None,
        ports: Sequence[Port] = (),
        cache: TravelCache | bool | None = None,
        sea: SeaNetwork | None = None,
    ) -> None:
        super().__init__(params, ports, cache=cache, sea=sea)
        self.table = {str(k): dict(v) for k, v in table.items()}
        self.source = source
        self._digest = (
            digest_text
            or hashlib.sha256(
                repr(sorted((m, sorted(v.items())) for m, v in self.table.items())).encode()
            ).hexdigest()
        )

    @classmethod
    def from_csv(
        cls,
        path: str | Path,
        *,
        symmetric: bool = True,
        params: TravelParams | None = None,
        ports: Sequence[Port] = (),
        cache: TravelCache | bool | None = None,
        sea: SeaNetwork | None = None,
    ) -> MatrixTravelModel:
        """Read a CSV with columns ``from, to, minutes, km`` and an optional ``mode``.

        Parameters
        ----------
        path
            CSV file (UTF-8, header row). ``minutes``/``km`` may be ``inf`` (no road).
        symmetric
            Use the ``a -> b`` row for ``b -> a`` when the latter is missing.
        params, ports, cache, sea
            As in :class:`~planner.travel.TravelModel`.

        Raises
        ------
        TravelError
            Listing every problem: missing columns, empty ids, non-numeric or negative
            values, unknown modes, one pair given twice with different values.
        """
        path = Path(path)
        problems = ProblemCollector(str(path))
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise TravelError(f"{path}: cannot read the travel matrix CSV ({exc})") from None
        reader = csv.DictReader(text.splitlines())
        columns = [c.strip().lower() for c in (reader.fieldnames or [])]
        required = ["from", "to", "minutes", "km"]
        missing = [c for c in required if c not in columns]
        if missing:
            raise TravelError(
                f"{path}: column(s) {missing} not found; columns are: {columns}; "
                "the travel matrix CSV needs from, to, minutes, km (and optionally mode)"
            )
        has_mode = "mode" in columns
        table: dict[str, dict[tuple[str, str], tuple[float, float]]] = {}
        for rowno, row in enumerate(reader, start=2):
            rec = {str(k).strip().lower(): (v or "").strip() for k, v in row.items() if k}
            a, b = rec["from"], rec["to"]
            if not a or not b:
                problems.add("empty place id", row=rowno, column="from" if not a else "to")
            mode_key = _ALL_MODES
            if has_mode and rec.get("mode"):
                try:
                    mode_key = str(Mode(rec["mode"]))
                    if mode_key == Mode.perahu:
                        raise ValueError
                except ValueError:
                    problems.add(
                        f"unknown mode '{rec['mode']}'; expected one of {_LAND_MODE_NAMES}",
                        row=rowno,
                        column="mode",
                    )
                    continue
            values: list[float] = []
            for col in ("minutes", "km"):
                try:
                    value = float(rec[col])
                except ValueError:
                    problems.add(f"'{rec[col]}' is not a number", row=rowno, column=col)
                    continue
                if math.isnan(value) or value < 0:
                    problems.add(f"{rec[col]} must be a number >= 0", row=rowno, column=col)
                    continue
                values.append(value)
            if len(values) != 2 or not a or not b:
                continue
            if a == b and values[0] != 0:
                problems.add("a place to itself must take 0 minutes", row=rowno)
            pairs = table.setdefault(mode_key, {})
            if (a, b) in pairs and pairs[(a, b)] != (values[0], values[1]):
                problems.add(f"pair {a} -> {b} given twice with different values", row=rowno)
            pairs[(a, b)] = (values[0], values[1])
        if not table and not len(problems):
            problems.add("no rows")
        problems.raise_if_any(TravelError)
        if symmetric:
            for pairs in table.values():
                for (a, b), v in list(pairs.items()):
                    pairs.setdefault((b, a), v)
        return cls(
            table,
            source=str(path),
            digest_text=hashlib.sha256(raw).hexdigest() + f":{symmetric}",
            params=params,
            ports=ports,
            cache=cache,
            sea=sea,
        )

    def fingerprint(self) -> str:
        """Hash of the CSV content."""
        return self._digest

    def _pairs(self, mode: Mode) -> Mapping[tuple[str, str], tuple[float, float]]:
        if str(mode) in self.table:
            return self.table[str(mode)]
        if _ALL_MODES in self.table:
            return self.table[_ALL_MODES]
        raise TravelError(
            f"{self.source}: no rows for mode '{mode}' (modes given: {sorted(self.table)})"
        )

    def land_legs(self, points: Sequence[Place], mode: Mode) -> tuple[np.ndarray, np.ndarray]:
        """Look the pairs up; raise :class:`TravelError` listing every missing pair."""
        pairs = self._pairs(mode)
        n = len(points)
        minutes = np.zeros((n, n))
        km = np.zeros((n, n))
        missing: list[str] = []
        for i, a in enumerate(points):
            for j, b in enumerate(points):
                if i == j:
                    continue
                if a.island != b.island:
                    minutes[i, j] = km[i, j] = np.inf  # never by land; not required in the CSV
                    continue
                got = pairs.get((a.id, b.id))
                if got is None:
                    missing.append(f"{a.id} -> {b.id}")
                    continue
                minutes[i, j], km[i, j] = got
        if missing:
            shown = missing[:_MAX_LISTED]
            more = f" (and {len(missing) - len(shown)} more)" if len(missing) > len(shown) else ""
            raise TravelError(
                [f"{self.source}: mode {mode}: missing pair {m}" for m in shown]
                + ([f"{self.source}: {len(missing)} pairs missing in all{more}"] if more else [])
            )
        return minutes, km

    def land_path(self, a: Place, b: Place, mode: Mode) -> list[tuple[float, float]]:
        """A matrix has no geometry: a straight line."""
        return [(a.lon, a.lat), (b.lon, b.lat)]
