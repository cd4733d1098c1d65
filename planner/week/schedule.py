"""Clock-time itineraries and the week summary.

Turns solved routes (:mod:`planner.routing`) back into people's terms: which team is where, at
what time, expecting how many recordings. Why a village with residents to record is not in
this week's plan is worded in :mod:`planner.week.left_out`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from planner.domain.workdays import format_minutes, nama_hari
from planner.geo.classify import CLASS_NAMES
from planner.travel import TravelMatrix
from planner.week.groups import matrix_of
from planner.week.types import Chunk, GroupResult, TeamDay

ITINERARY_COLUMNS: tuple[str, ...] = (
    "team_id",
    "team_name",
    "date",
    "day",
    "order",
    "site_id",
    "kode_desa",
    "desa",
    "kecamatan",
    "kabupaten",
    "classes",
    "part",
    "arrival",
    "start",
    "end",
    "expected_recordings",
    "travel_minutes",
    "km",
    "boat_minutes",
    "mode",
    "ports",
    "ferry_departure",
    "ferry_port",
    "port_wait_minutes",
    "lon",
    "lat",
)
"""Columns of ``itinerary.csv`` (one row per stop, in visit order per team-day). ``mode`` and
``ports`` describe the leg that arrives at the stop: ``mobil``/``motor``/``jalan_kaki`` on
land, ``<mode>+perahu`` when the leg crosses by boat, ``perahu`` for a boat-only team; ``ports``
names the first and last port of a boat leg (``A → B``), empty on land. When the leg catches a
timed ferry (the first leg of a day, ``sea_links.csv`` ``departure``), ``ferry_departure`` is
its published departure (``HH:MM``), ``ferry_port`` the port it leaves from and
``port_wait_minutes`` the wait there (included in ``travel_minutes``); else empty."""


def itinerary_rows(
    results: Sequence[GroupResult],
    sites: pd.DataFrame,
    port_names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per stop of every route, with clock times, leg km, boat minutes, mode, ports.

    ``port_names`` gives people's names of the ports (default: their ids).

    Consecutive chunks of the same site on one team-day are one stop (one place, one set-up):
    their recordings add up and the row runs from the first start to the last end. ``arrival``
    is when the team reaches the place; recording starts after the set-up.
    """
    by_site = sites.set_index("site_id")
    site_xy = {
        str(i): (float(x), float(y))
        for i, x, y in zip(sites["site_id"], sites["lon"], sites["lat"], strict=True)
    }
    rows: list[dict[str, object]] = []
    for result in results:
        group = result.group
        chunks = {c.chunk_id: c for c in group.chunks}
        node_of = {p: i for i, p in enumerate(group.places)}
        for route in result.solution.routes:
            td = group.team_days[route.vehicle]
            matrix = matrix_of(group.matrices, td)
            prev = node_of[td.start_place]
            order = 0
            for stop in route.stops:
                chunk = chunks[stop.visit_id]
                node = node_of[chunk.site_id]
                if node == prev and rows and rows[-1]["_route"] == id(route):
                    last = rows[-1]
                    last["end"] = format_minutes(round(stop.end))
                    last["expected_recordings"] = (
                        int(str(last["expected_recordings"])) + chunk.recordings
                    )
                    last["_parts"].append(chunk.part)  # type: ignore[attr-defined]
                    continue
                order += 1
                site = by_site.loc[chunk.site_id]
                arrival = stop.arrival - float(td.team.setup_minutes)
                rows.append(
                    {
                        "_route": id(route),
                        "_parts": [chunk.part],
                        "_of": chunk.parts,
                        "team_id": td.team.id,
                        "team_name": td.team.name,
                        "date": td.day.date.isoformat(),
                        "day": nama_hari(td.day.date),
                        "order": order,
                        "site_id": chunk.site_id,
                        "kode_desa": site["kode_desa"],
                        "desa": site["nama"],
                        "kecamatan": site["nama_kec"],
                        "kabupaten": site["nama_kab"],
                        "classes": site["classes"],
                        "arrival": format_minutes(round(arrival)),
                        "start": format_minutes(round(stop.start)),
                        "end": format_minutes(round(stop.end)),
                        "expected_recordings": chunk.recordings,
                        "travel_minutes": round(float(matrix.minutes[prev, node]), 1),
                        "km": round(float(matrix.km[prev, node]), 1),
                        "boat_minutes": round(float(matrix.boat_minutes[prev, node]), 1),
                        "mode": leg_mode(td, float(matrix.boat_minutes[prev, node])),
                        "ports": leg_ports(matrix, prev, node, port_names or {}),
                        **ferry_fields(matrix, prev, node, port_names or {}),
                        "lon": site_xy[chunk.site_id][0],
                        "lat": site_xy[chunk.site_id][1],
                    }
                )
                prev = node
    for row in rows:
        parts = row.pop("_parts")
        of = row.pop("_of")
        row.pop("_route")
        assert isinstance(parts, list)
        if of == 0:
            row["part"] = "tetap"  # pinned from an earlier plan
        elif len(parts) == 1:
            row["part"] = f"{parts[0]}/{of}"
        else:
            row["part"] = f"{min(parts)}-{max(parts)}/{of}"
    frame = pd.DataFrame(rows, columns=list(ITINERARY_COLUMNS))
    return frame.sort_values(["team_id", "date", "order"]).reset_index(drop=True)


def leg_mode(td: TeamDay, boat_minutes: float) -> str:
    """How one leg is travelled: the land mode, ``<mode>+perahu`` only if it has boat minutes.

    A boat-only team (``perahu``) is ``perahu`` on every leg.
    """
    mode = str(td.team.modes[0])
    if mode == "perahu":
        return mode
    return f"{mode}+perahu" if boat_minutes > 0 else mode


def leg_ports(matrix: TravelMatrix, a: int, b: int, port_names: Mapping[str, str]) -> str:
    """``First port → last port`` of a boat leg (one name if one port), empty on land."""
    ends = (int(matrix.via_port[a, b]), int(matrix.via_port_end[a, b]))
    ids = [matrix.ports[p] for p in ends if p >= 0]
    named = [port_names.get(i, i) for i in dict.fromkeys(ids)]
    return " → ".join(named)


def ferry_fields(
    matrix: TravelMatrix, a: int, b: int, port_names: Mapping[str, str]
) -> dict[str, object]:
    """The first timed ferry the leg ``a -> b`` catches: departure, port and the wait there
    (empty strings and 0 when it catches none)."""
    caught = matrix.ferries.get((a, b), ())
    if not caught:
        return {"ferry_departure": "", "ferry_port": "", "port_wait_minutes": 0.0}
    first = caught[0]
    return {
        "ferry_departure": format_minutes(round(first.departure)),
        "ferry_port": port_names.get(first.port, first.port),
        "port_wait_minutes": round(sum(c.departure - c.at_port for c in caught), 1),
    }


def team_day_rows(
    results: Sequence[GroupResult],
    place_names: Mapping[str, str] | None = None,
    port_names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One row per team-day used: where it starts and ends (the depot, or an overnight base),
    clock times, km (incl. the last leg), boat minutes, and the ports of the leg back. A day
    with no visit that moves the team from one night place to another is used too (its row
    has no stops: the move, its times and ports).

    ``place_names`` and ``port_names`` give people's names of depots, bases and ports
    (default: their ids).
    """
    place_names = place_names or {}
    rows = []
    for result in results:
        group = result.group
        node_of = {p: i for i, p in enumerate(group.places)}
        for route in result.solution.routes:
            td = group.team_days[route.vehicle]
            if not route.stops and td.start_place == td.end_place:
                continue  # no visit and no move: the team does not go out
            matrix = matrix_of(group.matrices, td)
            chunks = {c.chunk_id: c for c in group.chunks}
            nodes = [node_of[td.start_place]]
            nodes += [node_of[chunks[s.visit_id].site_id] for s in route.stops]
            nodes.append(node_of[td.end_place])
            legs = list(itertools.pairwise(nodes))
            back, breaks = route.end, route.breaks
            if not route.stops:  # a trip's move from one night place to the next, no visit
                back = max(route.end, route.start + float(matrix.minutes[nodes[0], nodes[1]]))
                breaks = tuple(b for b in route.breaks if b.start < back)
            rows.append(
                {
                    "team_id": td.team.id,
                    "date": td.day.date.isoformat(),
                    "depart": format_minutes(round(route.start)),
                    "return": format_minutes(round(back)),
                    "start_place": td.start_place,
                    "end_place": td.end_place,
                    "start_name": place_names.get(td.start_place, td.start_place),
                    "end_name": place_names.get(td.end_place, td.end_place),
                    # consecutive chunks at one place are one stop
                    "stops": sum(1 for a, b in itertools.pairwise(nodes[:-1]) if a != b),
                    "expected_recordings": sum(chunks[s.visit_id].recordings for s in route.stops),
                    "km": round(float(sum(matrix.km[a, b] for a, b in legs)), 1),
                    "travel_minutes": round(float(sum(matrix.minutes[a, b] for a, b in legs)), 1),
                    "boat_minutes": round(
                        float(sum(matrix.boat_minutes[a, b] for a, b in legs)), 1
                    ),
                    "return_ports": leg_ports(matrix, *legs[-1], port_names or {}),
                    "break": ", ".join(
                        f"{format_minutes(round(b.start))}-{format_minutes(round(b.end))}"
                        for b in breaks
                    ),
                }
            )
    return (
        pd.DataFrame(rows).sort_values(["team_id", "date"]).reset_index(drop=True)
        if rows
        else pd.DataFrame(
            columns=[
                "team_id",
                "date",
                "depart",
                "return",
                "start_place",
                "end_place",
                "start_name",
                "end_name",
                "stops",
                "expected_recordings",
                "km",
                "travel_minutes",
                "boat_minutes",
                "return_ports",
                "break",
            ]
        )
    )


def week_summary(
    itinerary: pd.DataFrame,
    team_days_used: pd.DataFrame,
    all_team_days: Sequence[TeamDay],
    sites: pd.DataFrame,
    unplanned: pd.DataFrame,
    chunks: Sequence[Chunk],
) -> dict[str, object]:
    """Planned recordings, class shares, km, boat hours, nights away and their lodging
    (estimate: each team's ``lodging_per_night``), utilisation, and reasons counted.

    Utilisation = planned recordings / the week's recording-capacity bound
    (Σ team-days x kits x working minutes / minutes per record).
    """
    del chunks
    away = [td for td in all_team_days if td.ends_at is not None]
    bound = float(sum(td.capacity_recordings for td in all_team_days))
    planned = int(itinerary["expected_recordings"].sum()) if len(itinerary) else 0
    weights = sites.set_index("site_id")["weight"]
    weighted = (
        float((itinerary["expected_recordings"] * itinerary["site_id"].map(weights)).sum())
        if len(itinerary)
        else 0.0
    )
    shares: dict[str, float] = {}
    class_sets = [set(c.replace(" ", "").split(",")) for c in itinerary["classes"]]
    recordings = itinerary["expected_recordings"].to_numpy(dtype=float)
    for name in CLASS_NAMES:
        in_class = float(sum(r for r, cs in zip(recordings, class_sets, strict=True) if name in cs))
        shares[name] = round(in_class / planned, 4) if planned else 0.0
    return {
        "planned_recordings": planned,
        "weighted_recordings": round(weighted, 1),
        "capacity_bound": round(bound, 1),
        "utilisation": round(planned / bound, 4) if bound else 0.0,
        "expected_demand": int(sites["expected"].sum()),
        "villages_visited": int(itinerary["kode_desa"].nunique()) if len(itinerary) else 0,
        "stops": len(itinerary),
        "team_days_available": len(all_team_days),
        "team_days_used": len(team_days_used),
        "km": round(float(team_days_used["km"].sum()), 1) if len(team_days_used) else 0.0,
        "boat_hours": round(float(team_days_used["boat_minutes"].sum()) / 60.0, 2)
        if len(team_days_used)
        else 0.0,
        "nights_away": len(away),  # team-days that end at an overnight base
        "lodging_idr": round(sum(td.team.lodging_per_night for td in away)),
        "class_share": shares,
        "unplanned_by_reason": {
            str(k): int(v) for k, v in unplanned["reason_code"].value_counts().sort_index().items()
        },
    }


def round_trip_minutes(matrix_minutes: np.ndarray, depot: int, node: int) -> float:
    """Depot → node → depot minutes."""
    return float(matrix_minutes[depot, node] + matrix_minutes[node, depot])
