"""Re-planning mid-week: keep what was done and what is pinned, plan the rest.

``jemput plan --lock PLAN.json --done DONE.csv --from DATE``:

* visits of ``PLAN.json`` before ``DATE`` are history: the residents they recorded (the
  ``DONE.csv`` figure, or the plan's expectation when the file has no row for the visit) are
  subtracted from the registry, and their sites count as visited (repeat-visit turnout);
* visits of ``PLAN.json`` on or after ``DATE`` are pinned: same team, same day, same order;
* the rest of the week's capacity is planned as usual.

``DONE.csv`` columns: ``team_id`` (or ``tim``), ``date`` (or ``tanggal``, YYYY-MM-DD),
``kode_desa``, ``recorded`` (or ``direkam``): residents actually recorded at that visit.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from planner.core.errors import InputError, ProblemCollector
from planner.io.registry import Registry
from planner.week.plan_file import itinerary_frame, read_plan_json
from planner.week.types import PinnedVisit

DONE_ALIASES: Mapping[str, tuple[str, ...]] = {
    "team_id": ("team_id", "tim", "team"),
    "date": ("date", "tanggal"),
    "kode_desa": ("kode_desa", "kode", "kode_wilayah"),
    "recorded": ("recorded", "direkam", "jumlah_rekam", "terekam"),
}


@dataclass(frozen=True)
class Replan:
    """What an earlier plan and the done list mean for the new plan."""

    registry: Registry
    visited: frozenset[str]
    pinned: tuple[PinnedVisit, ...]
    done: tuple[dict[str, Any], ...]
    from_date: date
    bases: Mapping[str, str | None] = dataclasses.field(default_factory=dict)
    """Overnight bases the earlier plan chose for ``base = "auto"`` teams (team id -> depot
    id, ``None`` = home): a re-plan keeps them, so a team does not move mid-week."""


def read_done_csv(path: Path, week_start: date, from_date: date) -> list[dict[str, Any]]:
    """Read ``DONE.csv``; every problem is listed with its row and column."""
    problems = ProblemCollector(path.name)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise InputError(f"{path.name}: not a UTF-8 text file") from None
    lines = text.splitlines()
    if not lines:
        raise InputError(f"{path.name}: the file is empty")
    dialect = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(lines, delimiter=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    column: dict[str, str] = {}
    for key, aliases in DONE_ALIASES.items():
        found = next((h for h in header if h in aliases), None)
        if found is None:
            problems.add(f"column '{key}' not found; columns are: {', '.join(header) or '(none)'}")
        else:
            column[key] = found
    problems.raise_if_any(InputError)
    rows: list[dict[str, Any]] = []
    for number, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        team = row.get(column["team_id"], "")
        code = row.get(column["kode_desa"], "")
        try:
            day = date.fromisoformat(row.get(column["date"], ""))
        except ValueError:
            problems.add("not a date (YYYY-MM-DD)", row=number, column=column["date"])
            continue
        if not (week_start <= day < from_date):
            problems.add(
                f"{day.isoformat()} is not between the week start and --from",
                row=number,
                column=column["date"],
            )
        value = row.get(column["recorded"], "")
        if not value.isdigit():
            problems.add("must be a whole number ≥ 0", row=number, column=column["recorded"])
            continue
        if not team:
            problems.add("empty team", row=number, column=column["team_id"])
        rows.append({"team_id": team, "date": day, "kode_desa": code, "recorded": int(value)})
    problems.raise_if_any(InputError)
    return rows


def _check_stops(stops: Any, source: str) -> None:
    """Every stop of an earlier plan has a date, a site, an order and expected recordings."""
    problems = ProblemCollector(source)
    for k, stop in enumerate(stops.to_dict("records") if len(stops) else []):
        where = f"visit {k + 1} ({stop.get('team_id')}, {stop.get('date')})"
        try:
            date.fromisoformat(str(stop.get("date")))
        except ValueError:
            problems.add(f"{where}: 'date' is not a date (YYYY-MM-DD)")
        for field in ("order", "expected_recordings"):
            value = stop.get(field)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.add(f"{where}: '{field}' must be a whole number ≥ 0")
        for field in ("site_id", "kode_desa"):
            if not isinstance(stop.get(field), str) or not stop.get(field):
                problems.add(f"{where}: '{field}' must be a non-empty text")
    problems.raise_if_any(InputError)


def prepare_replan(
    registry: Registry,
    lock_path: Path,
    done_path: Path | None,
    from_date: date,
    *,
    region_key: str,
    week_start: date,
) -> Replan:
    """Read the earlier plan and the done list; return the adjusted registry and pinned visits."""
    document = read_plan_json(lock_path)
    problems = ProblemCollector(lock_path.name)
    if document.get("region") != region_key:
        problems.add(f"plan is for region '{document.get('region')}', not '{region_key}'")
    if document.get("week_start") != week_start.isoformat():
        problems.add(f"plan is for the week of {document.get('week_start')}, not {week_start}")
    if not (0 <= (from_date - week_start).days < 7):
        problems.add(f"--from {from_date} is not in the week of {week_start}")
    problems.raise_if_any(InputError)
    stops = itinerary_frame(document)
    _check_stops(stops, lock_path.name)
    done_rows = read_done_csv(done_path, week_start, from_date) if done_path else []
    reported = {(r["team_id"], r["date"].isoformat(), r["kode_desa"]): r for r in done_rows}
    planned_keys = set()
    counts = registry.counts.copy()
    visited: set[str] = set()
    pinned: list[PinnedVisit] = []
    done: list[dict[str, Any]] = []
    for stop in stops.to_dict("records") if len(stops) else []:
        day = date.fromisoformat(str(stop["date"]))
        key = (str(stop["team_id"]), day.isoformat(), str(stop["kode_desa"]))
        planned_keys.add(key)
        if day < from_date:
            recorded = (
                reported[key]["recorded"] if key in reported else int(stop["expected_recordings"])
            )
            done.append(
                {
                    "team_id": key[0],
                    "date": key[1],
                    "kode_desa": key[2],
                    "site_id": str(stop["site_id"]),
                    "recorded": recorded,
                    "source": "DONE.csv" if key in reported else "rencana",
                }
            )
            visited.add(str(stop["site_id"]))
        else:
            pinned.append(
                PinnedVisit(
                    key[0],
                    day,
                    int(stop["order"]),
                    str(stop["site_id"]),
                    int(stop["expected_recordings"]),
                )
            )
    extra = ProblemCollector(done_path.name if done_path else "DONE.csv")
    for key in sorted(set(reported) - planned_keys):
        extra.add(f"visit {key[0]} {key[1]} {key[2]} is not in {lock_path.name}")
    extra.raise_if_any(InputError)
    position = {str(code): i for i, code in enumerate(counts.index)}
    belum = counts["belum_rekam"].to_numpy(dtype=np.int64).copy()
    sudah = counts["sudah_rekam"].to_numpy(dtype=np.int64).copy()
    for record in done:
        i = position.get(str(record["kode_desa"]))
        if i is not None:
            take = min(int(belum[i]), int(record["recorded"]))
            belum[i] -= take
            sudah[i] += take
    counts["belum_rekam"] = belum
    counts["sudah_rekam"] = sudah
    for group in ("lansia", "disabilitas", "pemula"):
        counts[group] = np.minimum(counts[group].to_numpy(dtype=np.int64), belum)
    counts = counts.astype(np.int64)
    adjusted = Registry.from_frame(
        counts,
        source=registry.source,
        is_estimate=registry.is_estimate,
        estimate_model=registry.estimate_model,
        notes=(
            *registry.notes,
            f"{sum(int(r['recorded']) for r in done)} recorded before {from_date}",
        ),
    )
    return Replan(
        adjusted,
        frozenset(visited),
        tuple(pinned),
        tuple(done),
        from_date,
        bases=_chosen_bases(document.get("bases"), lock_path.name),
    )


def _chosen_bases(value: object, source: str) -> dict[str, str | None]:
    """The ``bases`` list of a ``plan.json`` as team id -> base (every malformed entry listed)."""
    if value is None:
        return {}
    problems = ProblemCollector(source)
    out: dict[str, str | None] = {}
    if not isinstance(value, list):
        problems.add("bases: must be a list of {team_id, base}")
    else:
        for i, entry in enumerate(value):
            team = entry.get("team_id") if isinstance(entry, dict) else None
            base = entry.get("base") if isinstance(entry, dict) else None
            if not isinstance(team, str) or not (base is None or isinstance(base, str)):
                problems.add(f"bases[{i}]: needs a team_id and a base (a depot id or null)")
                continue
            out[team] = base
    problems.raise_if_any(InputError)
    return out
