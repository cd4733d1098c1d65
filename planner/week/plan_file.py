"""Machine outputs of a planned week: ``plan.json`` (versioned schema) and ``itinerary.csv``.

Both are byte-identical for the same inputs, seed and solution limit: no clock time of the run
and no solver wall time is written into them (those go to ``run.json``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from planner import __version__
from planner.core.errors import InputError
from planner.week.types import WeekPlan

PLAN_SCHEMA = "jemput-bola/plan"
PLAN_SCHEMA_VERSION = 1


def _clean(value: Any) -> Any:
    """JSON-safe plain Python values (numpy scalars, NaN → None)."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def plan_document(plan: WeekPlan) -> dict[str, Any]:
    """The ``plan.json`` document of a week (see ``docs/plan-schema.md``)."""
    meta = dict(plan.meta)
    groups = list(meta.pop("groups", []))  # type: ignore[call-overload]
    meta.pop("chunk_size", None)  # internal: reused by warm starts, not part of the schema
    stops_by_day: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in plan.itinerary.to_dict("records"):
        stops_by_day.setdefault((str(row["team_id"]), str(row["date"])), []).append(
            {str(k): v for k, v in row.items() if k not in ("team_id", "team_name", "date", "day")}
        )
    team_days = []
    names = {td.team.id: td.team.name for td in plan.all_team_days}
    for row in plan.team_days.to_dict("records"):
        key = (str(row["team_id"]), str(row["date"]))
        team_days.append(
            {
                "team_id": key[0],
                "team_name": names[key[0]],
                **{k: v for k, v in row.items() if k not in ("team_id",)},
                "visits": stops_by_day.get(key, []),
            }
        )
    document = {
        "schema": PLAN_SCHEMA,
        "schema_version": PLAN_SCHEMA_VERSION,
        "generator": f"jemput-bola {__version__}",
        **meta,
        "groups": [
            {k: v for k, v in g.items() if k not in ("wall_seconds", "warm_started")}
            for g in groups
        ],
        "summary": plan.summary,
        "team_days": team_days,
        "unplanned": plan.unplanned.to_dict("records"),
    }
    cleaned: dict[str, Any] = _clean(document)
    return cleaned


def write_plan_json(plan: WeekPlan, path: Path) -> None:
    """Write ``plan.json`` (UTF-8, sorted keys inside records, 1-space indent)."""
    text = json.dumps(plan_document(plan), ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")


def write_itinerary_csv(plan: WeekPlan, path: Path) -> None:
    """Write ``itinerary.csv``: one row per stop (team, date, order, village, times, km...)."""
    plan.itinerary.to_csv(path, index=False, lineterminator="\n")


def write_run_json(plan: WeekPlan, path: Path, wall_seconds: float) -> None:
    """Write ``run.json``: solver statistics of this run (wall times; not reproducible)."""
    document = {"wall_seconds": round(wall_seconds, 2), "groups": plan.meta.get("groups", [])}
    path.write_text(json.dumps(_clean(document), ensure_ascii=False, indent=1) + "\n")


def read_plan_json(path: Path) -> dict[str, Any]:
    """Read a ``plan.json`` written by this version (for re-planning with ``--lock``)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a plan.json file ({exc})") from None
    if not isinstance(document, dict) or document.get("schema") != PLAN_SCHEMA:
        raise InputError(f"{path}: not a jemput-bola plan.json (schema '{PLAN_SCHEMA}' expected)")
    if document.get("schema_version") != PLAN_SCHEMA_VERSION:
        raise InputError(
            f"{path}: plan.json schema version {document.get('schema_version')} is not "
            f"supported (this version reads {PLAN_SCHEMA_VERSION})"
        )
    return document


def itinerary_frame(document: dict[str, Any]) -> pd.DataFrame:
    """The stops of a ``plan.json`` document as an itinerary frame."""
    rows = []
    days = document.get("team_days", [])
    if not isinstance(days, list):
        raise InputError("plan.json: 'team_days' must be a list")
    for k, day in enumerate(days):
        visits = day.get("visits", []) if isinstance(day, dict) else None
        if not isinstance(visits, list) or not all(isinstance(v, dict) for v in visits):
            raise InputError(f"plan.json: team_days[{k}] is not a team-day with a visit list")
        if not isinstance(day.get("team_id"), str) or not isinstance(day.get("date"), str):
            raise InputError(f"plan.json: team_days[{k}] needs 'team_id' and 'date' strings")
        for stop in visits:
            rows.append({"team_id": day["team_id"], "date": day["date"], **stop})
    frame = pd.DataFrame(rows)
    needed = {"site_id", "kode_desa", "order", "expected_recordings"}
    if len(frame) and not needed <= set(frame.columns):
        raise InputError(f"plan.json: visits need the fields {sorted(needed)}")
    return frame
