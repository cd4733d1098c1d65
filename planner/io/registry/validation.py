"""Checks on counts per village, within a row and across rows, and the notes on what was read.

Codes must be known to the region, ``sudah_rekam + belum_rekam == wajib_ktp``, and a village
appears once. Problems are collected and raised together by :func:`_raise`.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.core.errors import InputError, ProblemCollector
from planner.io.registry.cells import _parse_code
from planner.io.registry.columns import COUNT_COLUMNS

_MAX_PROBLEMS = 200


@dataclass
class _CountRow:
    row: int | None  # file row; None for in-memory frames
    code: str
    values: dict[str, int]  # columns present in the file and readable


@dataclass
class _CodeCheck:
    known: Mapping[str, str] | Collection[str] | None
    region_name: str = ""
    codes: set[str] = field(init=False)
    names: dict[str, str] = field(init=False)
    provinces: set[str] = field(init=False)
    by_district: dict[str, list[str]] = field(init=False)

    def __post_init__(self) -> None:
        known = self.known or ()
        self.names, self.codes, self.by_district = {}, set(), defaultdict(list)
        for raw in known:
            code = _parse_code(raw)[0] or str(raw)
            self.codes.add(code)
            self.by_district[code[:8]].append(code)
            if isinstance(known, Mapping):
                self.names[code] = str(known[raw])
        self.provinces = {c[:2] for c in self.codes}

    def problem(self, code: str) -> str | None:
        if not self.codes or code in self.codes:
            return None
        region = f" {self.region_name}" if self.region_name else ""
        if code[:2] not in self.provinces:
            provinces = ", ".join(sorted(self.provinces))
            return (
                f"village code {code} is in province {code[:2]}, outside the region{region} "
                f"(province {provinces})"
            )
        same_district = self.by_district.get(code[:8], [])
        close = difflib.get_close_matches(code, same_district, n=1, cutoff=0.8)
        hint = f"; did you mean {close[0]}{self.name_of(close[0])}?" if close else ""
        return f"unknown village code {code} for the region{region}{hint}"

    def name_of(self, code: str) -> str:
        name = self.names.get(code)
        return f" ({name})" if name else ""


def _where(row: _CountRow) -> tuple[dict[str, Any], str]:
    """Locate a problem: by file row, or by code for in-memory data."""
    if row.row is None:
        return {}, f"{row.code}: "
    return {"row": row.row}, ""


def _rows_text(rows: Sequence[int | None]) -> str:
    return ", ".join(str(r) for r in rows if r is not None)


def _validate_counts(
    rows: list[_CountRow],
    problems: ProblemCollector,
    check: _CodeCheck,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Check codes and counts row by row and across rows; return the counts frame."""
    labels = labels or {}
    label = {c: labels.get(c, c) for c in ("kode_desa", *COUNT_COLUMNS)}
    complete: list[_CountRow] = []
    for r in rows:
        where, prefix = _where(r)
        code_problem = check.problem(r.code)
        if code_problem:
            problems.add(prefix + code_problem, column=label["kode_desa"], **where)
        values = r.values
        wajib = values.get("wajib_ktp")
        sudah, belum = values.get("sudah_rekam"), values.get("belum_rekam")
        ok = wajib is not None and (sudah is not None or belum is not None)
        if wajib is not None and sudah is not None and sudah > wajib:
            problems.add(
                prefix + f"sudah_rekam {sudah:,} is more than wajib_ktp {wajib:,}",
                column=label["sudah_rekam"],
                **where,
            )
            ok = False
        if wajib is not None and belum is not None and belum > wajib:
            problems.add(
                prefix + f"belum_rekam {belum:,} is more than wajib_ktp {wajib:,}",
                column=label["belum_rekam"],
                **where,
            )
            ok = False
        if ok and sudah is not None and belum is not None and sudah + belum != wajib:
            problems.add(
                prefix + f"sudah_rekam + belum_rekam = {sudah:,} + {belum:,} = "
                f"{sudah + belum:,}, but wajib_ktp is {wajib:,}",
                **where,
            )
            ok = False
        if ok and not code_problem:
            complete.append(r)
    by_code: dict[str, list[_CountRow]] = defaultdict(list)
    for r in rows:
        by_code[r.code].append(r)
    for code, group in by_code.items():
        if len(group) < 2:
            continue
        where, prefix = _where(group[1])
        first = group[0].values
        differing = sorted(
            {
                c
                for g in group[1:]
                for c in set(first) | set(g.values)
                if g.values.get(c) != first.get(c)
            },
            key=COUNT_COLUMNS.index,
        )
        rows_text = _rows_text([g.row for g in group])
        places = f"rows {rows_text}" if rows_text else f"{len(group)} rows"
        name = f"{code}{check.name_of(code)}"
        if differing:
            detail = "; ".join(
                f"{c}: {' vs '.join(str(g.values.get(c, '—')) for g in group)}" for c in differing
            )
            problems.add(
                f"village {name} appears in {places} with different counts ({detail}); "
                "keep the right one",
                column=label["kode_desa"],
                **where,
            )
        else:
            problems.add(
                f"village {name} appears in {places} (identical duplicates); keep one row",
                column=label["kode_desa"],
                **where,
            )
    return _counts_frame(complete)


def _counts_frame(rows: Sequence[_CountRow]) -> pd.DataFrame:
    records = []
    for r in rows:
        v = r.values
        wajib = v["wajib_ktp"]
        sudah = v["sudah_rekam"] if "sudah_rekam" in v else wajib - v["belum_rekam"]
        records.append(
            (
                r.code,
                wajib,
                sudah,
                wajib - sudah,
                v.get("lansia", 0),
                v.get("disabilitas", 0),
                v.get("pemula", 0),
            )
        )
    frame = pd.DataFrame.from_records(records, columns=["kode_desa", *COUNT_COLUMNS])
    frame = frame.astype({c: "int64" for c in COUNT_COLUMNS}).astype({"kode_desa": "str"})
    return frame.set_index("kode_desa").sort_index()


def _raise(problems: ProblemCollector) -> None:
    if len(problems) > _MAX_PROBLEMS:
        extra = len(problems) - _MAX_PROBLEMS
        raise InputError([*problems.items[:_MAX_PROBLEMS], f"... and {extra} more problems"])
    problems.raise_if_any(InputError)


class _Notes:
    """Count interpretations per (kind, column) and word them once."""

    def __init__(self, delimiter: str | None) -> None:
        self.delimiter = delimiter
        self.seen: dict[tuple[str, str], list[Any]] = {}

    def add(self, kind: str, column: str, example: str = "") -> None:
        entry = self.seen.setdefault((kind, column), [0, example])
        entry[0] += 1

    def text(self) -> list[str]:
        out = []
        for (kind, column), (n, example) in self.seen.items():
            many = f"{n:,} value{'s' if n > 1 else ''}"
            eg = f", e.g. {example!r}" if example else ""
            if kind == "comma":
                what = (
                    "decimal comma read as thousands separator"
                    if self.delimiter in {";", "\t"}
                    else "comma read as thousands separator"
                )
                out.append(f"{what} in column {column!r} ({many}{eg})")
            elif kind == "dot":
                out.append(f"dot read as thousands separator in column {column!r} ({many}{eg})")
            elif kind == "space":
                out.append(f"space read as thousands separator in column {column!r} ({many}{eg})")
            elif kind in {"decimal_comma", "decimal_dot"}:
                mark = "comma" if kind == "decimal_comma" else "point"
                out.append(
                    f"zero decimals after a decimal {mark} dropped in column {column!r} "
                    f"({many}{eg})"
                )
            elif kind == "dash":
                out.append(f"'-' read as 0 in column {column!r} ({many})")
            elif kind == "empty":
                out.append(f"empty cells read as 0 in optional column {column!r} ({many})")
            elif kind == "plain":
                out.append(f"village codes without dots read as PP.KK.CC.DDDD ({many}{eg})")
            elif kind == "number":
                out.append(f"village codes stored as numbers read as PP.KK.CC.DDDD ({many}{eg})")
            elif kind == "total":
                out.append(f"total row skipped (row {example})")
            elif kind == "flag_empty":
                out.append(f"empty cells read as 'no' in column {column!r} ({many})")
            elif kind == "no_birth_date":
                out.append(f"no birth date: not counted as lansia or pemula ({many})")
        return out
