"""Offices, ports and sea links of a region folder from the user's CSV files.

Used by ``tools/build_regions.py``. Input files (one row each, a URL per row):

* offices: ``office_id,name,kind,kode_kec,kode_desa,lon,lat,coord_approximate,coord_method,
  source_url`` with ``kind`` = ``dinas``, ``kecamatan`` or ``upt`` (a UPT Dukcapil is merged
  into its kecamatan's depot row, its name says UPT);
* ports: ``port_id,port_name,island,kode_desa,lon,lat,coord_approximate,coord_method,in_region,
  source_url``;
* sea links: ``link_id,from_port,to_port,kind,operator_or_vessel,days,departure,minutes,
  minutes_note,cost_idr,cost_unit,schedule_date,source_url,quote`` (free text in ``days`` and
  ``cost_unit`` is normalised; the text is kept in ``note``).

Outputs follow the port/link contract of the region folder (``geodata/README.md``):

* ``ports.csv``: today's columns plus ``kode_desa`` and ``in_region``, every port of the CSV:

  - departure rows: a port on the land part of the regency's Disdukcapil office, one row per
    village of an island it sails to, ``crossing_minutes`` the fastest published crossing of
    that route (a boat from the port lands at the village itself), ``crossing_link`` the
    ferry that crossing is when it is a ferry sailing from the port (its departure and days
    then hold for the boat out), else empty;
  - one row with empty ``serves_kode_desa`` and ``crossing_minutes`` for every other port:
    harbours on the other land parts and outside the region (``in_region`` false), joined to
    the rest by ``sea_links.csv``;
* ``sea_links.csv``: ``link_id,from_port,to_port,kind,days,departure,minutes,cost_idr,
  cost_unit,source_url,note``.
"""

from __future__ import annotations

import re
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from planner.geo.classify import GeographyParams
from planner.travel import parts as travel_parts

PORT_COLUMNS = [
    "port_id", "port_name", "lon", "lat", "coord_approximate", "coord_method",
    "serves_kode_desa", "serves_name", "crossing_minutes", "crossing_source",
    "kode_desa", "in_region", "crossing_link",
]  # fmt: skip
LINK_COLUMNS = [
    "link_id", "from_port", "to_port", "kind", "days", "departure", "minutes", "cost_idr",
    "cost_unit", "source_url", "note",
]  # fmt: skip
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def land_parts(villages: gpd.GeoDataFrame, crs: str) -> pd.Series:
    """Land part id of every village, by the planner's own rule (``parts.land_parts``).

    A village whose polygon has several pieces (a desa with small islands) belongs to the part
    holding its largest piece. Parts are numbered from 0 by decreasing area.
    """
    vm = villages.to_crs(crs)
    parts = travel_parts.land_parts(vm.geometry, GeographyParams().land_closing_m)
    tree = shapely.STRtree(parts)
    out = {}
    for kode, geom in zip(vm["kode"], vm.geometry.values, strict=True):
        largest = max(getattr(geom, "geoms", [geom]), key=lambda p: p.area)
        hits = tree.query(largest.representative_point(), predicate="dwithin", distance=1.0)
        out[kode] = int(min(hits))
    return pd.Series(out, name="land_part")


def part_of_point(lon: float, lat: float, villages: gpd.GeoDataFrame, parts: pd.Series) -> int:
    """Land part of the village nearest to a point (the point may be on the shore)."""
    pt = gpd.GeoSeries(gpd.points_from_xy([lon], [lat]), crs=4326).to_crs(villages.crs)
    dist = villages.geometry.distance(pt.iloc[0])
    return int(parts[villages.loc[dist.idxmin(), "kode"]])


def offices_to_depots(offices: pd.DataFrame) -> pd.DataFrame:
    """``depots.csv`` rows from an offices CSV.

    A UPT Dukcapil is merged into its kecamatan's row (teams name depots ``kec-PP.KK.CC``; the
    UPT stands at the kecamatan seat in the sources used here), or becomes that row when the
    CSV has no kantor camat for the kecamatan.
    """
    rows: dict[str, dict[str, Any]] = {}
    upts = []
    for r in offices.fillna("").astype(str).itertuples():
        if r.kind == "upt":
            upts.append(r)
            continue
        kind = {"dinas": "dinas", "kecamatan": "kecamatan"}[r.kind]
        method = r.coord_method + (f"; source: {r.source_url}" if r.source_url.strip() else "")
        rows[r.office_id] = {
            "depot_id": r.office_id,
            "name": r.name,
            "kind": kind,
            "kode_kab": r.kode_kec[:5],
            "kode_kec": "" if kind == "dinas" else r.kode_kec,
            "lon": float(r.lon),
            "lat": float(r.lat),
            "coord_approximate": r.coord_approximate.lower() == "true",
            "coord_method": method,
        }
    for r in upts:
        key = f"kec-{r.kode_kec}"
        src = f"; UPT Dukcapil here: {r.name}" + (f", {r.source_url}" if r.source_url else "")
        if key in rows:
            rows[key]["name"] += " (UPT Dukcapil)"
            rows[key]["coord_method"] += src
        else:
            rows[key] = {
                "depot_id": key,
                "name": r.name,
                "kind": "kecamatan",
                "kode_kab": r.kode_kec[:5],
                "kode_kec": r.kode_kec,
                "lon": float(r.lon),
                "lat": float(r.lat),
                "coord_approximate": r.coord_approximate.lower() == "true",
                "coord_method": r.coord_method + src,
            }
    return pd.DataFrame(list(rows.values()))


def _days(text: str, kind: str) -> tuple[str, str]:
    """Contract ``days`` value and the text kept for the note when it is not exact."""
    text = text.strip()
    if kind == "charter" or not text:
        return "", text
    if re.fullmatch(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(,(Mon|Tue|Wed|Thu|Fri|Sat|Sun))*", text):
        return text, ""
    if text == "daily":
        return "daily", ""
    return "", text  # "every 10 days", "Fri (observed)", ...: days not published as a schedule


def _cost_unit(text: str) -> tuple[str, str]:
    """Contract ``cost_unit`` (per_person, per_trip, per_hour or empty) and the text to keep."""
    t = text.strip().lower()
    if not t:
        return "", ""
    if t.startswith("per person") or t.startswith("per foot passenger"):
        return "per_person", "" if t == "per person" else text
    if "per departure" in t or t.startswith("per trip"):
        return "per_trip", text
    if t.startswith("per hour"):
        return "per_hour", text
    return "", text


def build_links(raw: pd.DataFrame, port_ids: set[str]) -> tuple[pd.DataFrame, list[str]]:
    """``sea_links.csv`` rows and the dropped rows' reasons (unknown or missing ports)."""
    rows: list[dict[str, Any]] = []
    dropped = []
    for r in raw.fillna("").astype(str).itertuples():
        if r.from_port not in port_ids or r.to_port not in port_ids:
            dropped.append(f"{r.link_id} {r.from_port}->{r.to_port or '(no port)'}")
            continue
        days, days_text = _days(r.days, r.kind)
        unit, unit_text = _cost_unit(r.cost_unit)
        cost = r.cost_idr if unit else ""
        minutes = "" if r.kind == "charter" else r.minutes
        note = [r.operator_or_vessel]
        if r.kind == "charter" and r.minutes:
            note.append(f"observed crossing {r.minutes} min")
        if days_text:
            note.append(f"days: {days_text}")
        if r.cost_idr and not unit:
            note.append(f"cost Rp{int(float(r.cost_idr)):,} {unit_text}")
        elif unit_text:
            note.append(f"cost unit: {unit_text}")
        note += [r.minutes_note, f"schedule date {r.schedule_date}" if r.schedule_date else ""]
        note.append(f"source quote: '{r.quote}'" if r.quote else "")
        rows.append(
            {
                "link_id": r.link_id,
                "from_port": r.from_port,
                "to_port": r.to_port,
                "kind": r.kind,
                "days": days,
                "departure": r.departure,
                "minutes": minutes,
                "cost_idr": cost,
                "cost_unit": unit,
                "source_url": r.source_url,
                "note": "; ".join(x for x in note if x),
            }
        )
    links = pd.DataFrame(rows, columns=LINK_COLUMNS)
    assert links["link_id"].is_unique
    assert links["kind"].isin(["ferry", "charter"]).all()
    return links, dropped


def build_ports(
    raw_ports: pd.DataFrame,
    raw_links: pd.DataFrame,
    villages: gpd.GeoDataFrame,
    depots: pd.DataFrame,
    crs: str,
) -> tuple[pd.DataFrame, list[str]]:
    """``ports.csv`` rows, and the ports dropped (no coordinates).

    Departure rows: a port on the land part of the regency's ``dinas`` depot, to every village
    of a land part another in-region port of a link with published minutes stands on. Every
    other port gets one row without ``serves_kode_desa`` (a harbour joined by sea links).
    """
    vm = villages.to_crs(crs).reset_index(drop=True)
    parts = land_parts(villages, crs)
    names = villages.set_index("kode")["nama"]
    dinas = depots[depots["kind"] == "dinas"].iloc[0]
    home = part_of_point(float(dinas["lon"]), float(dinas["lat"]), vm, parts)
    ports = raw_ports.fillna("").astype(str)
    dropped = [f"{p.port_id} (no coordinates)" for p in ports.itertuples() if not p.lon]
    ports = ports[ports["lon"] != ""].copy()
    ports["in_region"] = ports["in_region"].str.lower() == "true"
    ports["part"] = [
        part_of_point(float(p.lon), float(p.lat), vm, parts) if p.in_region else -1
        for p in ports.itertuples()
    ]
    by_id = ports.set_index("port_id")
    crossings: dict[tuple[str, int], tuple[float, str, str]] = {}
    for r in raw_links.fillna("").astype(str).itertuples():
        if not r.minutes or r.from_port not in by_id.index or r.to_port not in by_id.index:
            continue
        for a, b in ((r.from_port, r.to_port), (r.to_port, r.from_port)):
            pa, pb = by_id.loc[a], by_id.loc[b]
            if not (pa["in_region"] and pb["in_region"]) or pa["part"] != home:
                continue
            if pb["part"] == home:
                continue
            key = (a, int(pb["part"]))
            minutes = float(r.minutes)
            if key not in crossings or minutes < crossings[key][0]:
                src = f"link {r.link_id} {r.from_port}->{r.to_port}, {r.source_url}"
                # the boat out follows the ferry only when the ferry sails from this port
                follows = r.link_id if r.kind == "ferry" and a == r.from_port else ""
                crossings[key] = (minutes, src, follows)
    base = {
        p.port_id: {
            "port_id": p.port_id,
            "port_name": p.port_name,
            "lon": float(p.lon),
            "lat": float(p.lat),
            "coord_approximate": str(p.coord_approximate).lower() == "true",
            "coord_method": f"{p.coord_method}; port source: {p.source_url}",
            "kode_desa": p.kode_desa,
            "in_region": bool(p.in_region),
        }
        for p in ports.itertuples()
    }
    rows = []
    for (port_id, part), (minutes, src, follows) in sorted(crossings.items()):
        for kode in sorted(parts.index[parts == part]):
            rows.append(
                {
                    **base[port_id],
                    "serves_kode_desa": kode,
                    "serves_name": names[kode],
                    "crossing_minutes": int(minutes),
                    "crossing_source": f"fastest published crossing to land part {part}: {src}",
                    "crossing_link": follows,
                }
            )
    used = {r["port_id"] for r in rows}
    outside = [
        {**b, "serves_kode_desa": "", "serves_name": "", "crossing_minutes": "",
         "crossing_source": "", "crossing_link": ""}
        for pid, b in base.items()
        if pid not in used
    ]  # fmt: skip
    return pd.DataFrame(rows + outside, columns=PORT_COLUMNS), dropped
