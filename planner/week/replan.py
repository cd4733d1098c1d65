"""Re-planning mid-week: keep what was done and what is announced, plan the rest.

``jemput plan --lock PLAN.json --done selesai.csv --done jadwal.xlsx --from DATE``:

* visits of ``PLAN.json`` before ``DATE`` are history. What the field *reported*
  (:mod:`planner.week.field_reports`) is subtracted from the registry, and those sites count
  as visited (repeat-visit turnout). A past visit nobody reported is not counted as done: it
  is listed as *belum dilaporkan* and its residents stay in demand, unless ``assume_done``
  (``--assume-done``) counts it at the plan's expectation;
* visits of ``PLAN.json`` on or after ``DATE`` are announced: kept at the same team, day and
  order; after a disruption (:mod:`planner.week.disruptions`) the ones it breaks may move or
  drop (:mod:`planner.week.pins`), and :mod:`planner.week.changes` lists what changed;
* the rest of the week's capacity is planned as usual.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from planner.core.errors import InputError, ProblemCollector
from planner.io.registry import Registry
from planner.week.field_reports import read_done_csv, read_field_reports
from planner.week.plan_file import itinerary_frame, read_plan_json
from planner.week.types import PinnedVisit

__all__ = ["Replan", "changed_teams", "prepare_replan", "read_done_csv"]


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
    base_days: Mapping[str, tuple[str, ...] | None] = dataclasses.field(default_factory=dict)
    """The days of those bases (a multi-day boat trip: ``("senin", "selasa")``; ``None`` or
    absent: the whole week), kept with them."""
    base_nights: Mapping[str, Mapping[str, str]] = dataclasses.field(default_factory=dict)
    """Where those trips sleep each night (team id -> weekday -> depot id), kept with them: a
    trip that moves between islands keeps its second island."""
    unreported: tuple[dict[str, Any], ...] = ()
    """Past visits nobody reported (*belum dilaporkan*): team, date, village, expectation."""
    announced: tuple[dict[str, Any], ...] = ()
    """The locked plan's stops from ``from_date`` on, as announced (for the change list)."""
    team_ids: tuple[str, ...] = ()
    """Teams of the locked plan."""
    team_settings: Mapping[str, Mapping[str, Any]] = dataclasses.field(default_factory=dict)
    """Settings of each team when the plan was made (``plan.json`` ``team_settings``)."""
    positions: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Where each team slept the night before ``from_date`` (team id -> place id): the
    ``end_place`` of its last team-day before it in the locked plan. A team with no team-day
    before ``from_date`` is not listed (it has not left)."""


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
    done_path: Path | Sequence[Path] | None,
    from_date: date,
    *,
    region_key: str,
    week_start: date,
    assume_done: bool = False,
) -> Replan:
    """Read the earlier plan and the field reports; return the adjusted registry and pins.

    Parameters
    ----------
    registry
        Counts per village before the week.
    lock_path
        The ``plan.json`` being revised (same region and week, or an error).
    done_path
        Field reports: ``selesai.csv`` and/or a filled-in ``jadwal.xlsx`` (none: nothing
        reported).
    from_date
        First re-planned day.
    region_key, week_start
        What the lock file must be for.
    assume_done
        Count an unreported past visit at the plan's expectation instead of as not done.
    """
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
    paths = [done_path] if isinstance(done_path, Path) else list(done_path or [])
    reported = read_field_reports(paths, week_start, from_date)
    planned_keys = set()
    counted: set[tuple[str, str, str]] = set()  # a report counts once per (team, day, village)
    unreported: list[dict[str, Any]] = []
    announced: list[dict[str, Any]] = []
    counts = registry.counts.copy()
    visited: set[str] = set()
    pinned: list[PinnedVisit] = []
    done: list[dict[str, Any]] = []
    for stop in stops.to_dict("records") if len(stops) else []:
        day = date.fromisoformat(str(stop["date"]))
        key = (str(stop["team_id"]), day.isoformat(), str(stop["kode_desa"]))
        planned_keys.add(key)
        if day < from_date:
            expected = int(stop["expected_recordings"])
            record: dict[str, Any] = {
                "team_id": key[0],
                "date": key[1],
                "kode_desa": key[2],
                "site_id": str(stop["site_id"]),
                "desa": str(stop.get("desa", "")),
                "kecamatan": str(stop.get("kecamatan", "")),
                "expected": expected,
            }
            if key in reported:
                recorded = 0 if key in counted else int(reported[key]["recorded"])
                counted.add(key)
                source = str(reported[key]["source"])
            elif assume_done:
                recorded, source = expected, "rencana (--assume-done)"
            else:
                unreported.append({**record, "start": str(stop.get("start", ""))})
                continue  # not reported, not done: its residents stay in demand
            done.append({**record, "recorded": recorded, "source": source})
            visited.add(str(stop["site_id"]))
        else:
            announced.append({str(k): v for k, v in stop.items()})
            pinned.append(
                PinnedVisit(
                    key[0],
                    day,
                    int(stop["order"]),
                    str(stop["site_id"]),
                    int(stop["expected_recordings"]),
                    start_minutes=_clock_minutes(stop.get("start")),
                )
            )
    extra = ProblemCollector(", ".join(p.name for p in paths) or "DONE.csv")
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
            *(
                [
                    f"{len(unreported)} past visits not reported (belum dilaporkan): their "
                    "residents stay in demand (--assume-done counts them as planned)"
                ]
                if unreported
                else []
            ),
        ),
    )
    teams = document.get("teams")
    return Replan(
        adjusted,
        frozenset(visited),
        tuple(pinned),
        tuple(done),
        from_date,
        bases=_chosen_bases(document.get("bases"), lock_path.name),
        base_days=_chosen_base_days(document.get("bases")),
        base_nights=_chosen_base_nights(document.get("bases")),
        unreported=tuple(unreported),
        announced=tuple(announced),
        team_ids=tuple(str(t) for t in teams) if isinstance(teams, list) else (),
        team_settings=_team_settings(document.get("team_settings")),
        positions=_positions(document.get("team_days"), from_date),
    )


def _positions(team_days: object, from_date: date) -> dict[str, str]:
    """Team id -> ``end_place`` of its last team-day before ``from_date`` (see ``Replan``).

    ``team_days`` was checked by :func:`itinerary_frame`; a day without ``end_place`` (a plan
    written before it existed) says nothing about where the team slept.
    """
    latest: dict[str, tuple[str, str]] = {}
    for day in team_days if isinstance(team_days, list) else []:
        team, when, end = day.get("team_id"), day.get("date"), day.get("end_place")
        if not (isinstance(team, str) and isinstance(when, str) and isinstance(end, str) and end):
            continue
        if when < from_date.isoformat() and when >= latest.get(team, ("", ""))[0]:
            latest[team] = (when, end)
    return {team: end for team, (_, end) in sorted(latest.items())}


def _clock_minutes(value: object) -> float | None:
    """An itinerary's ``HH:MM`` as minutes after midnight (``None`` when absent or malformed:
    the visit is then kept without a preferred time)."""
    hours, sep, minutes = str(value or "").partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit()):
        return None
    return float(int(hours) * 60 + int(minutes))


def _team_settings(value: object) -> dict[str, Mapping[str, Any]]:
    """``team_settings`` of a ``plan.json`` (absent in plans made before it existed)."""
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, dict)}


def changed_teams(replan: Replan, current: Mapping[str, Mapping[str, Any]]) -> frozenset[str]:
    """Teams of the locked plan that are gone or whose settings changed (base aside).

    Parameters
    ----------
    replan
        The re-plan of the locked plan.
    current
        Settings of the re-planned week's teams (``Team.model_dump(mode="json")``).
    """
    out = {t for t in replan.team_ids if t not in current}
    for team_id, before in replan.team_settings.items():
        now = current.get(team_id)
        if now is None:
            out.add(team_id)
            continue
        # the overnight base may legitimately be fixed from "auto" by the re-plan itself
        if {k: v for k, v in before.items() if k != "base"} != {
            k: v for k, v in now.items() if k != "base"
        }:
            out.add(team_id)
    return frozenset(out)


def _chosen_base_days(value: object) -> dict[str, tuple[str, ...] | None]:
    """Team id -> the ``days`` of its ``bases`` entry (trips); entries without days are left
    out (the whole week). :func:`_chosen_bases` has reported malformed entries already."""
    out: dict[str, tuple[str, ...] | None] = {}
    for entry in value if isinstance(value, list) else []:
        days = entry.get("days") if isinstance(entry, dict) else None
        if isinstance(days, list) and days and all(isinstance(d, str) for d in days):
            out[str(entry.get("team_id"))] = tuple(days)
    return out


def _chosen_base_nights(value: object) -> dict[str, dict[str, str]]:
    """Team id -> the ``night_places`` of its ``bases`` entry (weekday -> depot id); entries
    without them are left out (every night at the base, as plans before them said)."""
    out: dict[str, dict[str, str]] = {}
    for entry in value if isinstance(value, list) else []:
        places = entry.get("night_places") if isinstance(entry, dict) else None
        if (
            isinstance(places, dict)
            and places
            and all(isinstance(k, str) and isinstance(v, str) for k, v in places.items())
        ):
            out[str(entry.get("team_id"))] = {str(k): str(v) for k, v in places.items()}
    return out


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
