"""The teams as an editable table: rows of text cells ⇄ validated ``TeamsConfig`` ⇄ TOML.

The page edits teams as a table of text (lists as comma-separated words, ``ya``/``tidak`` for
the boat, a trip's other night places as ``senin=kec-35.29.04, selasa=kec-35.29.04``, rupiah
as ``300000`` or ``300.000``). :func:`teams_from_rows` turns the rows back into the
``teams.toml`` structure and validates it exactly as a file is validated
(:func:`planner.domain.config.teams_from_dict` and
:func:`planner.domain.config.validate_teams_against`), so the page shows the same ``ERROR:``
lines as ``jemput plan --teams``, each naming the table's row and column
(:func:`table_problem`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from planner.core.errors import ConfigError
from planner.domain.config import (
    WEEKDAYS,
    Team,
    TeamsConfig,
    teams_from_dict,
    validate_teams_against,
)

COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "depot",
    "base",
    "base_days",
    "nights",
    "modes",
    "boat",
    "kits",
    "working_days",
    "regencies",
    "minutes_per_record",
    "setup_minutes",
    "lodging_per_night",
)
"""Columns of the table, named as the ``teams.toml`` keys."""

SOURCE = "tabel tim"
"""How messages name the table."""

LIST_COLUMNS = frozenset({"modes", "working_days", "base_days", "regencies"})
OPTIONAL_COLUMNS = frozenset({"base", "base_days", "nights", "regencies", "lodging_per_night"})
"""Columns whose empty cell leaves the key out (the ``teams.toml`` default applies)."""
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
                "base_days": ", ".join(team.base_days or ()),
                "nights": nights_text(team.nights),
                "modes": ", ".join(team.modes),
                "boat": "ya" if team.boat else "tidak",
                "kits": str(team.kits),
                "working_days": ", ".join(team.working_days),
                "regencies": ", ".join(team.regencies),
                "minutes_per_record": f"{team.minutes_per_record:g}",
                "setup_minutes": f"{team.setup_minutes:g}",
                "lodging_per_night": _exact(team.lodging_per_night),
            }
        )
    return rows


def nights_text(nights: Mapping[str, str] | None) -> str:
    """``senin=kec-35.29.04, selasa=kec-35.29.04`` in weekday order, empty for none."""
    items = sorted((nights or {}).items(), key=lambda kv: _weekday_order(kv[0]))
    return ", ".join(f"{day}={place}" for day, place in items)


def _weekday_order(day: str) -> int:
    return WEEKDAYS.index(day) if day in WEEKDAYS else len(WEEKDAYS)


def _exact(value: float) -> str:
    # ``:g`` would round 1,234,567 to 1.23457e+06; the table must give back what it got
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _nights(text: str, where: str, problems: list[str]) -> dict[str, str]:
    """``{day: place}`` of a ``nights`` cell; names and places are checked as in a file."""
    nights: dict[str, str] = {}
    for item in (w.strip() for w in text.replace(";", ",").split(",")):
        if not item:
            continue
        day, sep, place = (part.strip() for part in item.partition("="))
        if not sep or not day or not place:
            problems.append(f"{where}: '{item}' bukan hari=tempat (contoh: senin=kec-35.29.04)")
        elif day.lower() in nights:
            problems.append(f"{where}: hari '{day}' disebut dua kali")
        else:
            nights[day.lower()] = place
    return nights


def _rupiah(text: str) -> float:
    """A rupiah amount: ``300000``, ``300.000`` (dots group thousands) or ``Rp 300.000``."""
    plain = re.sub(r"^rp\.?", "", text.strip().lower()).strip().replace(" ", "").replace("_", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", plain):
        plain = plain.replace(".", "")
    return float(plain.replace(",", "."))


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _row_dict(row: Mapping[str, object], number: int, problems: list[str]) -> dict[str, Any]:
    team: dict[str, Any] = {}
    for column in COLUMNS:
        text = _cell(row.get(column))
        where = f"{SOURCE}, baris {number}, kolom {column}"
        if not text and column in OPTIONAL_COLUMNS:
            continue
        if column in LIST_COLUMNS:
            team[column] = [w.strip() for w in text.replace(";", ",").split(",") if w.strip()]
        elif column == "nights":
            team[column] = _nights(text, where, problems)
        elif column == "lodging_per_night":
            try:
                team[column] = _rupiah(text)
            except ValueError:
                problems.append(f"{where}: '{text}' bukan jumlah rupiah")
        elif column == "boat":
            if text.lower() in TRUE_WORDS:
                team[column] = True
            elif text.lower() in FALSE_WORDS:
                team[column] = False
            else:
                problems.append(f"{where}: '{text}' bukan ya/tidak")
        elif column in NUMBER_COLUMNS:
            try:
                team[column] = NUMBER_COLUMNS[column](text.replace(",", "."))
            except ValueError:
                problems.append(f"{where}: '{text}' bukan angka")
        else:
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
    data: dict[str, Any] = {"teams": teams}
    if region:
        data["region"] = region
    # a cell that could not be read is left out (its default applies), so the file's checks
    # still run on the rest and every problem is listed at once
    try:
        config = teams_from_dict(data, SOURCE)
    except ConfigError as exc:
        raise ConfigError(problems + [table_problem(p) for p in exc.problems]) from None
    problems += [
        table_problem(p)
        for p in validate_teams_against(config, depot_ids, regency_codes, source=SOURCE)
    ]
    if problems:
        raise ConfigError(problems)
    return config


_FILE_PATH = re.compile(
    r"^tabel tim: teams\[(\d+)\](?:\.(\w+)((?:\.\w+|\[\d+\])*)(?:\.\[key\])?)?: "
)


def table_problem(message: str) -> str:
    """A ``teams.toml`` check's message in the table's words: ``tabel tim: teams[4].nights.kamis:
    …`` becomes ``tabel tim, baris 5, kolom nights.kamis: …`` (rows count from 1)."""
    found = _FILE_PATH.match(message)
    if found is None:
        return message
    index, column, rest = found.groups()
    where = f"{SOURCE}, baris {int(index) + 1}" + (f", kolom {column}{rest}" if column else "")
    return f"{where}: {message[found.end() :]}"


def toml_value(value: object) -> str:
    """A TOML literal for a bool, number, text or list of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        # an inline table, e.g. nights = { senin = "kec-35.29.04" }
        items = ", ".join(f"{_toml_key(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    # a JSON string is a valid TOML basic string (same escapes)
    return json.dumps(str(value), ensure_ascii=False)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


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
