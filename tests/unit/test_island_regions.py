"""The bundled island regions (issue #14): their port and sea-link files and named cases.

Only what holds under today's model and under the island model alike is asserted here (the
``pulau``-by-office-land-part rule and multi-day trips are the island model's tests).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from planner.geo.classify import ClassifiedVillages, classify_villages
from planner.io.region import Region, load_region
from planner.travel.regional import region_ports, sea_network

ISLAND_REGIONS = ("anambas", "sumenep")
LINK_COLUMNS = [
    "link_id", "from_port", "to_port", "kind", "days", "departure", "minutes", "cost_idr",
    "cost_unit", "source_url", "note",
]  # fmt: skip
DAYS = re.compile(r"daily|(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(,(Mon|Tue|Wed|Thu|Fri|Sat|Sun))*")


@pytest.fixture(scope="module")
def regions() -> dict[str, Region]:
    return {key: load_region(key) for key in ISLAND_REGIONS}


def _csv(region: Region, name: str) -> pd.DataFrame:
    return pd.read_csv(region.root / name, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("key", ISLAND_REGIONS)
def test_sea_links_follow_the_contract(regions: dict[str, Region], key: str) -> None:
    region = regions[key]
    links = _csv(region, "sea_links.csv")
    ports = _csv(region, "ports.csv")
    assert list(links.columns) == LINK_COLUMNS
    assert links["link_id"].is_unique
    assert links["kind"].isin(["ferry", "charter"]).all()
    assert set(links["from_port"]) | set(links["to_port"]) <= set(ports["port_id"])
    ferry, charter = links[links["kind"] == "ferry"], links[links["kind"] == "charter"]
    assert ferry["days"].map(lambda d: d == "" or DAYS.fullmatch(d) is not None).all()
    assert (charter["days"] == "").all() and (charter["minutes"] == "").all()
    assert links["departure"].map(lambda t: t == "" or re.fullmatch(r"\d\d:\d\d", t)).all()
    assert links["cost_unit"].isin(["per_person", "per_trip", "per_hour", ""]).all()
    assert ((links["cost_idr"] == "") == (links["cost_unit"] == "")).all()
    assert links["source_url"].str.startswith("http").all()
    minutes = pd.to_numeric(ferry["minutes"].replace("", None))
    assert (minutes.dropna() > 0).all()


@pytest.mark.parametrize("key", ISLAND_REGIONS)
def test_every_port_is_in_the_one_ports_file(regions: dict[str, Region], key: str) -> None:
    region = regions[key]
    ports = region.ports
    assert not (region.root / "ports_outside.csv").exists()
    assert {"kode_desa", "in_region"} <= set(ports.columns)
    assert ports["coord_approximate"].all()
    assert (~ports["in_region"]).any()  # harbours of neighbouring regencies
    harbours = ports[ports["serves_kode_desa"] == ""]
    # a harbour row without a served village has no crossing minutes and appears once
    assert harbours["crossing_minutes"].isna().all()
    assert harbours["port_id"].is_unique
    serving = set(ports.loc[ports["serves_kode_desa"] != "", "port_id"])
    assert not set(harbours["port_id"]) & serving


@pytest.mark.parametrize("key", ISLAND_REGIONS)
def test_ferries_without_days_are_kept_but_never_run(regions: dict[str, Region], key: str) -> None:
    links = regions[key].sea_links
    unknown = links[(links["kind"] == "ferry") & (links["days"] == "")]
    assert len(unknown) > 0  # published sources often give no days
    assert (unknown["day_set"].map(len) == 0).all()
    network = sea_network(regions[key])
    assert network is not None
    by_id = {link.id: link for link in network.links}
    for link_id in unknown["link_id"]:
        assert not any(by_id[link_id].runs_on(day) for day in (None, *range(7)))


def test_sumenep_named_crossings(regions: dict[str, Region]) -> None:
    ports = regions["sumenep"].ports.copy()
    ports["kec"] = ports["serves_kode_desa"].str[:8]
    fastest = ports.groupby(["kec", "port_id"])["crossing_minutes"].min()
    assert fastest["35.29.04", "kalianget"] == 10  # Talango tongkang
    assert fastest["35.29.08", "tanjung_saronggi"] == 40  # Giligenting
    assert fastest["35.29.22", "dungkek"] == 240  # Raas
    assert fastest["35.29.23", "kalianget"] == 720  # Masalembu, 12 h
    # Sapeken has no published crossing from the office's land: no departure row today
    assert not ports["kec"].eq("35.29.25").any()
    harbours = regions["sumenep"].ports.set_index("port_id")
    assert not harbours.at["jangkar", "in_region"]  # Banyuwangi, outside the regency
    assert harbours.at["sapeken", "in_region"]


def test_sumenep_crossings_name_their_ferry(regions: dict[str, Region]) -> None:
    region = regions["sumenep"]
    rows = region.ports[region.ports["serves_kode_desa"] != ""]
    links = rows.groupby("port_id")["crossing_link"].agg(set)
    assert links["dungkek"] == {"S14"}  # Ra'as: the 09:00 boat, daily
    assert links["tanjung_saronggi"] == {""}  # Giligenting: a charter, no ferry to follow
    ports = {p.id: p for p in region_ports(region)}
    (raas,) = ports["dungkek"].serves
    assert ports["dungkek"].serves_departure == {raas: ("S14", 540.0)}
    assert ports["dungkek"].serves_on(raas, 0)  # daily
    # Kangean (S23, 09:00, days not published): timed, and every day as the row says
    kangean = [k for k, (link, _) in ports["kalianget"].serves_departure.items() if link == "S23"]
    assert len(kangean) == 1 and all(ports["kalianget"].serves_on(kangean[0], d) for d in range(7))
    # Anambas' Tarempa rows were built from Letung -> Tarempa: no ferry out of Tarempa to follow
    assert (regions["anambas"].ports["crossing_link"] == "").all()


def test_anambas_departs_from_the_office_island(regions: dict[str, Region]) -> None:
    region = regions["anambas"]
    ports = region.ports
    departing = ports[ports["serves_kode_desa"] != ""]
    assert set(departing["port_id"]) == {"tarempa"}  # Pelabuhan Sri Siantan, by the Dinas
    served = set(departing["serves_kode_desa"])
    assert "21.05.06.1005" in served  # Letung (Jemaja), 120 min
    assert "21.05.01.1001" not in served  # Terempa is on the office's own land part
    dinas = region.depots.set_index("depot_id").loc["dinas-21.05"]
    assert dinas["kode_kab"] == "21.05" and "Tarempa" in dinas["name"]


@pytest.fixture(scope="module")
def sumenep_classes(regions: dict[str, Region]) -> ClassifiedVillages:
    region = regions["sumenep"]
    return classify_villages(
        region.villages,
        region.neighbours,
        region.islands,
        crs_metric=region.config.crs_metric,
        province_codes=region.config.province_codes,
    )


def test_sumenep_islands_are_pulau_and_madura_is_not(sumenep_classes: ClassifiedVillages) -> None:
    villages = sumenep_classes.villages.set_index("kode")
    kec = villages.index.str[:8]
    # Talango (Pulau Poteran), Giligenting, Masalembu: islands off the office's Madura
    for code in ("35.29.04", "35.29.08", "35.29.23"):
        assert villages.loc[kec == code, "is_pulau"].all(), code
    # Kota Sumenep and Kalianget lie on Madura with the office
    for code in ("35.29.01", "35.29.02"):
        assert not villages.loc[kec == code, "is_pulau"].any(), code
