"""The :class:`Registry` of recording counts per village, and writing it to CSV."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planner.core.errors import ProblemCollector
from planner.io.registry.cells import _parse_code, _parse_count
from planner.io.registry.columns import COUNT_COLUMNS, ESTIMATE_STATUS, OPTIONAL_COLUMNS
from planner.io.registry.validation import _CodeCheck, _CountRow, _raise, _validate_counts


@dataclass(frozen=True, eq=False)
class Registry:
    """Counts of wajib-KTP residents and their e-KTP recording per village.

    Attributes
    ----------
    counts
        Indexed by ``kode_desa`` (dotted ``PP.KK.CC.DDDD``, sorted), ``int64`` columns
        :data:`COUNT_COLUMNS`. ``sudah_rekam + belum_rekam == wajib_ktp`` on every row.
        Treat as read-only.
    source
        File name the counts came from (or a label for in-memory data).
    is_estimate
        True when the counts are a model estimate, not an official registry extract.
    estimate_model
        Name of the estimating model, when ``is_estimate``.
    notes
        What the loader interpreted, e.g. ``"decimal comma read as thousands separator in
        column 'wajib_ktp' ..."``; empty when the file was read as is.
    """

    counts: pd.DataFrame
    source: str
    is_estimate: bool = False
    estimate_model: str | None = None
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if list(self.counts.columns) != list(COUNT_COLUMNS):
            raise ValueError(f"Registry.counts columns must be {COUNT_COLUMNS}")
        if self.counts.index.name != "kode_desa":
            raise ValueError("Registry.counts must be indexed by 'kode_desa'")

    @property
    def village_count(self) -> int:
        """Number of villages in the registry."""
        return len(self.counts)

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        source: str = "registry frame",
        is_estimate: bool = False,
        estimate_model: str | None = None,
        notes: Iterable[str] = (),
        known_codes: Mapping[str, str] | Collection[str] | None = None,
        region_name: str = "",
    ) -> Registry:
        """Build a validated registry from an in-memory frame (e.g. an estimate).

        Parameters
        ----------
        frame
            ``kode_desa`` as index or column; ``wajib_ktp`` and ``sudah_rekam`` and/or
            ``belum_rekam``; optional ``lansia``, ``disabilitas``, ``pemula`` (default 0).
            Values must be whole, non-negative numbers. Other columns are ignored.
        source
            Label used in error messages and as ``Registry.source``.
        is_estimate, estimate_model, notes
            Stored as given.
        known_codes
            When given, codes outside this set are errors (as in :func:`load_registry`).
        region_name
            Region name for messages.

        Returns
        -------
        Registry

        Raises
        ------
        InputError
            Listing every problem, located by village code.
        """
        problems = ProblemCollector(source)
        data = frame.reset_index() if "kode_desa" not in frame.columns else frame.copy()
        if "kode_desa" not in data.columns:
            problems.add(f"no 'kode_desa' column or index; columns are {list(frame.columns)}")
            _raise(problems)
        missing = [c for c in ("wajib_ktp",) if c not in data.columns]
        if "sudah_rekam" not in data.columns and "belum_rekam" not in data.columns:
            missing.append("sudah_rekam or belum_rekam")
        if missing:
            problems.add(f"missing column(s) {', '.join(missing)}")
            _raise(problems)
        present = [c for c in COUNT_COLUMNS if c in data.columns]
        rows: list[_CountRow] = []
        for position, record in enumerate(data[["kode_desa", *present]].itertuples(index=False)):
            raw_code, *raw_values = record
            code, message, _ = _parse_code(raw_code)
            label = code or f"index position {position}"
            if code is None:
                problems.add(f"{label}: {message}", column="kode_desa")
                continue
            values: dict[str, int] = {}
            for column, raw in zip(present, raw_values, strict=True):
                parsed = _parse_count(raw)
                if parsed.error is not None:
                    problems.add(f"{label}: {parsed.error}", column=column)
                elif parsed.value is not None:
                    values[column] = parsed.value
                elif column in OPTIONAL_COLUMNS:
                    values[column] = 0
                else:
                    problems.add(f"{label}: empty count", column=column)
            if len(values) == len(present):
                rows.append(_CountRow(None, code, values))
        counts = _validate_counts(rows, problems, _CodeCheck(known_codes, region_name))
        _raise(problems)
        return cls(
            counts=counts,
            source=source,
            is_estimate=is_estimate,
            estimate_model=estimate_model,
            notes=tuple(notes),
        )


def save_registry_csv(registry: Registry, path: Path) -> Path:
    """Write a registry as UTF-8 CSV that :func:`load_registry` reads back unchanged.

    Columns: ``kode_desa`` and :data:`COUNT_COLUMNS`; an estimate also gets ``status``
    (always ``estimasi``), ``is_estimate`` (``true``) and ``estimate_model``, so a file made
    from an estimate says so on every row. The file is written atomically.

    Parameters
    ----------
    registry
        The registry to write.
    path
        Target file; its folder is created if needed.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    frame = registry.counts.reset_index()[["kode_desa", *COUNT_COLUMNS]]
    if registry.is_estimate:
        frame = frame.assign(
            status=ESTIMATE_STATUS,
            is_estimate="true",
            estimate_model=registry.estimate_model or "",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            frame.to_csv(stream, index=False, lineterminator="\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
