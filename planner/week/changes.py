"""What a re-plan changed in the announced schedule, village by village, and why.

Each announced visit of the locked plan (from the first re-planned day on) is matched to the
new itinerary: *kept* (same team, day and village; listed only when its start moved by
:data:`TIME_SHIFT_MINUTES` or more), *moved* (the village is visited on another team-day), or
*cancelled* (``dibatalkan``). Past visits nobody reported are listed too (*belum
dilaporkan*). The reasons are in Bahasa Indonesia; the records go to ``plan.json``
(``changes``), ``perubahan.csv``, the coordinator's change page and the desa pages.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from planner.week.disruptions import NO_BOAT_REASON, Disruptions

TIME_SHIFT_MINUTES = 30
"""A kept visit whose start moves by at least this much is announced again (a village told
09:00 can wait half an hour, not a morning)."""

STATUS_LABELS: Mapping[str, str] = {
    "time_changed": "jam berubah",
    "moved": "dipindah",
    "cancelled": "dibatalkan",
    "unreported": "belum dilaporkan",
}
"""Indonesian label of each change status."""

_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def day_name(iso: str) -> str:
    """Indonesian weekday of an ISO date (``""`` for no date)."""
    return _DAYS[date.fromisoformat(iso).weekday()] if iso else ""


def _minutes(clock: object) -> int | None:
    """``HH:MM`` as minutes after midnight."""
    text = str(clock or "")
    if len(text) < 4 or ":" not in text:
        return None
    hours, _, minutes = text.partition(":")
    return int(hours) * 60 + int(minutes[:2]) if hours.isdigit() and minutes[:2].isdigit() else None


def _reason(
    old: Mapping[str, Any],
    disruptions: Disruptions | None,
    changed_teams: Collection[str],
    island_sites: Collection[str],
) -> str:
    team, day = str(old["team_id"]), date.fromisoformat(str(old["date"]))
    if disruptions is not None:
        why = disruptions.reason(team, day)
        if why:
            return why
        if day in disruptions.no_boat and str(old["site_id"]) in island_sites:
            return NO_BOAT_REASON
    if team in changed_teams:
        return f"tim {team} berubah (anggota/kit/moda)"
    return "penjadwalan ulang: hari itu dipakai untuk kunjungan yang dipindah"


def schedule_changes(
    announced: Sequence[Mapping[str, Any]],
    itinerary: pd.DataFrame,
    *,
    unreported: Sequence[Mapping[str, Any]] = (),
    disruptions: Disruptions | None = None,
    changed_teams: Collection[str] = (),
    island_sites: Collection[str] = (),
) -> list[dict[str, Any]]:
    """Every change of the announced schedule (kept visits at their time are not listed).

    Parameters
    ----------
    announced
        The locked plan's stops from the first re-planned day on (``Replan.announced``).
    itinerary
        The new plan's stops.
    unreported
        Past visits nobody reported (``Replan.unreported``).
    disruptions, changed_teams, island_sites
        What explains a change: the disruptions, teams whose settings changed, the sites
        on islands (out of reach on a day without boat).

    Returns
    -------
    list of dict
        ``kode_desa``, ``desa``, ``kecamatan``, ``site_id``, ``status`` (a key of
        :data:`STATUS_LABELS`), ``old_team``, ``old_date``, ``old_start``, ``new_team``,
        ``new_date``, ``new_start`` (empty when cancelled or unreported), ``reason``.
    """
    rows = itinerary.to_dict("records") if len(itinerary) else []
    free = list(range(len(rows)))

    def take(match: Any) -> dict[str, Any] | None:
        for k in free:
            if match(rows[k]):
                free.remove(k)
                return {str(key): v for key, v in rows[k].items()}
        return None

    out: list[dict[str, Any]] = []
    for old in unreported:
        out.append(
            _record(
                old,
                None,
                "unreported",
                "kunjungan belum dilaporkan: penduduknya tetap dihitung belum rekam",
            )
        )
    left: list[Mapping[str, Any]] = []
    for old in announced:  # the same team, day and village first: those are kept
        new = take(
            lambda r, o=old: (
                (r["team_id"], r["date"], r["site_id"]) == (o["team_id"], o["date"], o["site_id"])
            )
        )
        if new is None:
            left.append(old)
            continue
        before, after = _minutes(old.get("start")), _minutes(new.get("start"))
        if before is not None and after is not None and abs(after - before) >= TIME_SHIFT_MINUTES:
            reason = _reason(old, disruptions, changed_teams, island_sites)
            if reason.startswith("penjadwalan"):
                reason = "jam disesuaikan: urutan atau perjalanan hari itu disusun ulang"
            out.append(_record(old, new, "time_changed", reason))
    for old in left:
        new = take(lambda r, o=old: r["site_id"] == o["site_id"])
        reason = _reason(old, disruptions, changed_teams, island_sites)
        out.append(_record(old, new, "moved" if new else "cancelled", reason))
    return sorted(out, key=lambda r: (r["old_date"], r["old_team"], r["kode_desa"], r["status"]))


def _record(
    old: Mapping[str, Any], new: Mapping[str, Any] | None, status: str, reason: str
) -> dict[str, Any]:
    return {
        "kode_desa": str(old.get("kode_desa", "")),
        "desa": str(old.get("desa", "")),
        "kecamatan": str(old.get("kecamatan", "")),
        "site_id": str(old.get("site_id", "")),
        "status": status,
        "old_team": str(old.get("team_id", "")),
        "old_date": str(old.get("date", "")),
        "old_start": str(old.get("start", "")),
        "new_team": str(new["team_id"]) if new else "",
        "new_date": str(new["date"]) if new else "",
        "new_start": str(new["start"]) if new else "",
        "reason": reason,
    }


def change_counts(changes: Sequence[Mapping[str, Any]], announced: int) -> dict[str, int]:
    """Announcements kept / moved / cancelled, time changes, and unreported past visits."""
    by = {key: sum(1 for c in changes if c["status"] == key) for key in STATUS_LABELS}
    return {
        "announced": announced,
        "kept": announced - by["moved"] - by["cancelled"],
        "time_changed": by["time_changed"],
        "moved": by["moved"],
        "cancelled": by["cancelled"],
        "unreported": by["unreported"],
    }
