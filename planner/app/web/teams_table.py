"""The teams as an editable table: rows of text cells ⇄ validated ``TeamsConfig`` ⇄ TOML.

The page edits teams as a table of text (lists as comma-separated words, ``ya``/``tidak`` for
the boat). :func:`teams_from_rows` turns the rows back into the ``teams.toml`` structure and
validates it exactly as a file is validated (:func:`planner.domain.config.teams_from_dict`
and :func:`planner.domain.config.validate_teams_against`), so the page shows the same
``ERROR:`` lines as ``jemput plan --teams``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from planner.core.errors import ConfigError
from planner.domain.config import Team, TeamsConfig, teams_from_dict, validate_teams_against

COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "depot",
    "base",
    "modes",
    "boat",
    "kits",
    "working_days",
    "regencies",
    "minutes_per_record",
    "setup_minutes",
)
"""Columns of the table, named as the ``teams.toml`` keys."""

LIST_COLUMNS = frozenset({"modes", "working_days", "regencies"})
NUMBER_COLUMNS = {"kits": int, "minutes_per_record": float, "setup_minutes": int}
TRUE_WORDS = frozenset({"ya", "y", "true", "1", "yes"})
FALSE_WORDS = frozenset({"tidak", "t", "false", "0", "no", ""})


def team_rows(teams: TeamsConfig) -> list[dict[str, str]]:
    """One row of text cells per team (defaults already applied)."""
    rows = []
    for team in teams.teams:
        rows.append(
            {
                "id": team.id,
                "name": team.name,
                "depot": team.depot,
                "base": team.base or "",
                "modes": ", ".join(team.modes),
                "boat": "ya" if team.boat else "tidak",
                "kits": str(team.kits),
                "working_days": ", ".join(team.working_days),
                "regencies": ", ".join(team.regencies),
                "minutes_per_record": f"{team.minutes_per_record:g}",
                "setup_minutes": f"{team.setup_minutes:g}",
            }
        )
    return rows


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _row_dict(row: Mapping[str, object], number: int, problems: list[str]) -> dict[str, Any]:
    team: dict[str, Any] = {}
    for column in COLUMNS:
        text = _cell(row.get(column))
        if column in LIST_COLUMNS:
            words = [w.strip() for w in text.replace(";", ",").split(",") if w.strip()]
            if words or column != "regencies":
                team[column] = words
        elif column == "boat":
            if text.lower() in TRUE_WORDS:
                team[column] = True
            elif text.lower() in FALSE_WORDS:
                team[column] = False
            else:
                problems.append(f"tabel tim, baris {number}, kolom boat: '{text}' bukan ya/tidak")
        elif column in NUMBER_COLUMNS:
            try:
                team[column] = NUMBER_COLUMNS[column](text.replace(",", "."))
            except ValueError:
                problems.append(f"tabel tim, baris {number}, kolom {column}: '{text}' bukan angka")
        elif text or column not in {"base"}:
            team[column] = text
    return team


def teams_from_rows(
    rows: Sequence[Mapping[str, object]],
    *,
    depot_ids: Iterable[str],
    regency_codes: Iterable[str],
    region: str | None = None,
) -> TeamsConfig:
    """Validate table rows as ``teams.toml`` is validated.

    Raises
    ------
    ConfigError
        With one problem per bad cell or field (row numbers count from 1).
    """
    problems: list[str] = []
    teams = [_row_dict(row, i, problems) for i, row in enumerate(rows, start=1)]
    if problems:
        raise ConfigError(problems)
    data: dict[str, Any] = {"teams": teams}
    if region:
        data["region"] = region
    config = teams_from_dict(data, "tabel tim")
    problems = validate_teams_against(config, depot_ids, regency_codes, source="tabel tim")
    if problems:
        raise ConfigError(problems)
    return config


def toml_value(value: object) -> str:
    """A TOML literal for a bool, number, text or list of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    # a JSON string is a valid TOML basic string (same escapes)
    return json.dumps(str(value), ensure_ascii=False)


def teams_toml(teams: TeamsConfig, *, header: str = "") -> str:
    """``teams.toml`` text of ``teams`` (every team written out in full, no defaults table)."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    if teams.region:
        lines += [f"region = {toml_value(teams.region)}", ""]
    for team in teams.teams:
        lines.append("[[teams]]")
        for key, value in team_fields(team):
            lines.append(f"{key} = {toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def team_fields(team: Team) -> list[tuple[str, object]]:
    """The set fields of a team as ``(key, value)`` in the model's order."""
    values = team.model_dump()
    return [(key, values[key]) for key in values if values[key] is not None]
