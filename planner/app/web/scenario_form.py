"""The Skenario page's levers ⇄ a scenario TOML that ``jemput compare`` loads.

The page changes the session's teams (the Tim table) with a few levers: extra teams at a
depot, extra kits per team, which teams have a boat, Saturday work, and the policy's turnout.
:func:`apply_levers` turns them into a validated :class:`~planner.domain.config.TeamsConfig`
(checked as ``teams.toml`` is), and :func:`scenario_toml` writes the scenario file of
:mod:`planner.scenarios.model`: every team in full under ``[[teams.teams]]`` (teams merge by
id onto the base, so the file is the same scenario on the session's teams and, when those are
the region's example teams, on ``jemput compare``'s default base) and ``[policy] turnout``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from planner.app.web.teams_table import team_fields, toml_value
from planner.core.errors import ConfigError
from planner.domain.config import TeamsConfig, teams_from_dict, validate_teams_against

SATURDAY = "sabtu"
EXTRA_PREFIX = "tambahan"
"""Id prefix of the teams a scenario adds (``tambahan-1``, ``tambahan-2``…)."""


@dataclass(frozen=True)
class Levers:
    """What the Skenario page changes on the base teams and policy.

    Attributes
    ----------
    name
        The scenario's name (shown in the comparison; the file is named after it).
    extra_teams
        Teams added, each a car team with one kit at ``extra_depot``, Monday–Friday.
    extra_depot
        Depot id of the added teams.
    extra_boat
        Whether the added teams may cross by boat.
    extra_kits
        Kits added to every team (the added ones included).
    boat_teams
        Ids of the base teams that have a boat in the scenario (others lose theirs).
    saturday
        Every team also works on Saturday (the policy's Saturday shift).
    turnout
        Share of the unrecorded who come to a first visit (policy ``turnout``).
    """

    name: str
    extra_teams: int = 0
    extra_depot: str = ""
    extra_boat: bool = False
    extra_kits: int = 0
    boat_teams: tuple[str, ...] = ()
    saturday: bool = False
    turnout: float = 0.6


@dataclass(frozen=True)
class ScenarioDraft:
    """A scenario built in the page: its name, description, teams and policy overrides."""

    name: str
    description: str
    teams: TeamsConfig
    policy: dict[str, Any]

    @property
    def key(self) -> str:
        """File stem: the name in lower case, letters, digits and ``_`` (never ``dasar``)."""
        return file_key(self.name)


def file_key(name: str) -> str:
    """A file stem for a scenario name (``Kerja Sabtu`` → ``kerja_sabtu``)."""
    key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:60]
    return key if key and key != "dasar" else "skenario"


def describe(levers: Levers, base: TeamsConfig, depot_label: str = "") -> str:
    """The scenario's description in Bahasa Indonesia, one clause per lever that changes."""
    parts: list[str] = []
    if levers.extra_teams:
        boat = " berperahu" if levers.extra_boat else ""
        where = depot_label or levers.extra_depot
        parts.append(f"tambah {levers.extra_teams} tim{boat} di {where}")
    if levers.extra_kits:
        parts.append(f"+{levers.extra_kits} alat rekam per tim")
    had = sorted(t.id for t in base.teams if t.boat)
    if sorted(levers.boat_teams) != had:
        boats = ", ".join(sorted(levers.boat_teams)) or "tidak ada"
        parts.append(f"tim berperahu: {boats}")
    if levers.saturday:
        parts.append("semua tim juga bekerja hari Sabtu")
    parts.append(f"tingkat kehadiran {levers.turnout:.0%}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def apply_levers(
    base: TeamsConfig,
    levers: Levers,
    *,
    depot_ids: Iterable[str],
    regency_codes: Iterable[str],
    depot_names: Mapping[str, str] | None = None,
) -> ScenarioDraft:
    """The scenario the levers make of ``base``, validated as a ``teams.toml`` is.

    ``depot_names`` (depot id → name) words the description; ids are used without it.

    Raises
    ------
    ConfigError
        Every problem: a bad lever, or a team the changes make invalid (e.g. more than 20 kits).
    """
    problems: list[str] = []
    name = levers.name.strip()
    if not name:
        problems.append("skenario: nama wajib diisi")
    if levers.extra_teams < 0 or levers.extra_kits < 0:
        problems.append("skenario: jumlah tim dan alat tambahan tidak boleh negatif")
    depots = list(depot_ids)
    if levers.extra_teams and levers.extra_depot not in depots:
        problems.append(f"skenario: depot tim tambahan '{levers.extra_depot}' tidak dikenal")
    ids = {t.id for t in base.teams}
    unknown = sorted(set(levers.boat_teams) - ids)
    if unknown:
        problems.append(f"skenario: tim berperahu tidak dikenal: {', '.join(unknown)}")
    if not 0 < levers.turnout <= 1:
        problems.append(f"skenario: tingkat kehadiran {levers.turnout} harus di antara 0 dan 1")
    if problems:
        raise ConfigError(problems)
    teams: list[dict[str, Any]] = [dict(team_fields(t)) for t in base.teams]
    for team in teams:
        team["boat"] = team["id"] in levers.boat_teams
    number = 0
    for _ in range(levers.extra_teams):
        number += 1
        while f"{EXTRA_PREFIX}-{number}" in ids:
            number += 1
        teams.append(
            {
                "id": f"{EXTRA_PREFIX}-{number}",
                "name": f"Tim tambahan {number}",
                "depot": levers.extra_depot,
                "boat": levers.extra_boat,
            }
        )
    for team in teams:
        team["kits"] = int(team.get("kits", 1)) + levers.extra_kits
        if levers.saturday:
            days = list(team.get("working_days") or _default_days())
            team["working_days"] = days if SATURDAY in days else [*days, SATURDAY]
    source = f"skenario {name}"
    config = teams_from_dict({"region": base.region, "teams": teams}, source)
    found = validate_teams_against(config, depots, regency_codes, source=source)
    if found:
        raise ConfigError(found)
    return ScenarioDraft(
        name=name,
        description=describe(levers, base, (depot_names or {}).get(levers.extra_depot, "")),
        teams=config,
        policy={"turnout": round(float(levers.turnout), 4)},
    )


def _default_days() -> list[str]:
    return ["senin", "selasa", "rabu", "kamis", "jumat"]


def scenario_toml(
    draft: ScenarioDraft,
    *,
    region: str,
    teams_file: str | None = None,
    registry: str | None = None,
) -> str:
    """The scenario file of ``draft`` (:mod:`planner.scenarios.model`).

    Parameters
    ----------
    draft
        The scenario.
    region
        Region key, for the comment that says how to compare it.
    teams_file, registry
        Optional file keys (relative to the file, or absolute); the downloaded file has none.
    """
    key = draft.key
    lines = [
        "# Skenario jemput bola, disimpan dari jemput app.",
        f"# Bandingkan dengan tim contoh wilayah: jemput compare --region {region} "
        f"--out hasil dasar.toml {key}.toml",
        '# (dasar.toml: name = "Dasar"); tim digabung menurut id ke tim dasar.',
        f"name = {toml_value(draft.name)}",
        f"description = {toml_value(draft.description)}",
    ]
    if teams_file:
        lines.append(f"teams_file = {toml_value(teams_file)}")
    if registry:
        lines.append(f"registry = {toml_value(registry)}")
    lines += ["", "[policy]"]
    lines += [f"{k} = {toml_value(v)}" for k, v in draft.policy.items()]
    for team in draft.teams.teams:
        lines += ["", "[[teams.teams]]"]
        lines += [f"{k} = {toml_value(v)}" for k, v in team_fields(team)]
    return "\n".join(lines) + "\n"


def base_toml(*, teams_file: str, registry: str | None = None) -> str:
    """The comparison's base scenario: the session's teams file and the default policy."""
    lines = [
        'name = "Dasar"',
        'description = "Tim dari tab Tim dan kebijakan bawaan."',
        f"teams_file = {toml_value(teams_file)}",
    ]
    if registry:
        lines.append(f"registry = {toml_value(registry)}")
    return "\n".join(lines) + "\n"


def team_ids(teams: TeamsConfig | None) -> Sequence[str]:
    """Ids of the teams, in order (empty without teams)."""
    return [] if teams is None else [t.id for t in teams.teams]
