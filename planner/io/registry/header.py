"""Finding the header row of a registry file and mapping its columns to canonical names.

Title rows above the header are skipped and a two-row header is merged; a missing or
ambiguous column becomes one problem that lists the columns found and close matches.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from planner.core.errors import ProblemCollector
from planner.io.registry.cells import Cell, _cell_text, _norm, _parse_code
from planner.io.registry.columns import _ANY_MAP, _CODE_ALIASES

_HEADER_SEARCH_ROWS = 30


@dataclass
class _Header:
    row: int  # file row of the (last) header row
    first: int  # file row of the first header row (differs for a two-row header)
    labels: list[str]  # column labels as the file shows them
    keys: list[str]  # normalised names (matched alias where one matched)
    recognised: int


def _looks_like_code(value: Cell) -> bool:
    return _parse_code(value)[0] is not None


def _find_header(rows: Sequence[Sequence[Cell]]) -> _Header | None:
    """Find the first row with a village-code column; merge a sub-header row below it."""
    for index, cells in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        keys = [_norm(c) for c in cells]
        if not any(_ANY_MAP.get(k) == "kode_desa" for k in keys):
            continue
        labels = [_cell_text(c) for c in cells]
        below = list(rows[index + 1]) if index + 1 < len(rows) else []
        below_keys = [_norm(c) for c in below]
        is_sub_header = any(k in _ANY_MAP for k in below_keys) and not any(
            _looks_like_code(c) for c in below
        )
        last = index
        if is_sub_header:
            last = index + 1
            width = max(len(cells), len(below))
            labels += [""] * (width - len(labels))
            keys += [""] * (width - len(keys))
            for j, sub in enumerate(below):
                sub_label, top_label = _cell_text(sub), labels[j]
                for label in (sub_label, top_label, f"{top_label} {sub_label}".strip()):
                    if _norm(label) in _ANY_MAP:
                        labels[j], keys[j] = label, _norm(label)
                        break
                else:
                    parts = dict.fromkeys(x for x in (top_label, sub_label) if x)
                    labels[j] = " ".join(parts)
                    keys[j] = _norm(labels[j])
        recognised = sum(1 for k in keys if k in _ANY_MAP)
        return _Header(
            row=last + 1, first=index + 1, labels=labels, keys=keys, recognised=recognised
        )
    return None


def _expected_names(person: bool) -> str:
    if person:
        return (
            "kode_desa (or kode, kode_wilayah, kd_desa), status_rekam (or sudah_rekam: "
            "1/0, ya/tidak, sudah/belum, Y/N); optional nik, nama, tanggal_lahir, disabilitas"
        )
    return (
        "kode_desa (or kode, kode_wilayah, kd_desa), wajib_ktp (or wktp), "
        "sudah_rekam and/or belum_rekam; optional lansia, disabilitas, pemula"
    )


def _suggestions(labels: Iterable[str], known: Mapping[str, str]) -> str:
    hints = []
    for label in labels:
        key = _norm(label)
        if not key or key in known:
            continue
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
        if close:
            hints.append(f"{label!r} → {known[close[0]]}?")
    return f" Did you mean: {', '.join(hints)}" if hints else ""


def _no_header_message(name: str, rows: Sequence[Sequence[Cell]]) -> str:
    expected = (
        f"expected a header row with a village code column named one of {', '.join(_CODE_ALIASES)}"
    )
    head = list(rows[:_HEADER_SEARCH_ROWS])
    scores = [sum(1 for c in cells if _norm(c) in _ANY_MAP) for cells in head]
    best = max(range(len(head)), key=scores.__getitem__, default=None)
    # Only a row that is clearly a header (two known names) is echoed: a headerless
    # person-level file must not have its first person quoted back.
    if best is not None and scores[best] >= 2:
        found = [_cell_text(c) for c in head[best] if _cell_text(c)]
        hints = _suggestions(found, dict.fromkeys(_CODE_ALIASES, "kode_desa"))
        return (
            f"{name}, row {best + 1}: missing required column kode_desa; columns found: "
            f"{', '.join(found)}; {expected}; rename the village code column.{hints}"
        )
    return f"{name}: no header row found in the first {_HEADER_SEARCH_ROWS} rows; {expected}"


def _map_columns(
    name: str, header: _Header, alias_map: Mapping[str, str], person: bool, notes: list[str]
) -> tuple[dict[str, int], ProblemCollector]:
    """Map canonical column names to column indexes; report missing/ambiguous columns."""
    problems = ProblemCollector(name)
    candidates: dict[str, list[int]] = defaultdict(list)
    for index, key in enumerate(header.keys):
        canonical = alias_map.get(key)
        if canonical is not None:
            candidates[canonical].append(index)
    columns: dict[str, int] = {}
    ambiguous: set[str] = set()
    for canonical, indexes in candidates.items():
        exact = [i for i in indexes if header.keys[i] == canonical]
        if len(indexes) == 1 or len(exact) == 1:
            columns[canonical] = indexes[0] if len(indexes) == 1 else exact[0]
            others = [header.labels[i] for i in indexes if i != columns[canonical]]
            if others:
                notes.append(f"column {canonical!r} used; {', '.join(map(repr, others))} ignored")
            continue
        ambiguous.add(canonical)
        shown = " and ".join(repr(header.labels[i]) for i in indexes)
        problems.add(
            f"columns {shown} all read as {canonical}; rename or remove all but one",
            row=header.row,
        )
    required = ["kode_desa", "status_rekam"] if person else ["kode_desa", "wajib_ktp"]
    missing = [c for c in required if c not in columns and c not in ambiguous]
    given = set(columns) | ambiguous
    if not person and "sudah_rekam" not in given and "belum_rekam" not in given:
        missing.append("sudah_rekam or belum_rekam")
    if missing:
        found = [label for label in header.labels if label]
        kind = "a person-level file (NIK/nama columns)" if person else "counts per village"
        hint = (
            "; if every row is a person not yet recorded, add a column status_rekam = belum"
            if person
            else ""
        )
        problems.add(
            f"missing required column(s) {', '.join(missing)} for {kind}; columns found: "
            f"{', '.join(found)}; expected {_expected_names(person)}{hint}."
            f"{_suggestions(found, alias_map)}",
            row=header.row,
        )
    return columns, problems
