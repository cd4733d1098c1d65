"""``ports.csv`` ``crossing_link``: a port's direct crossing follows the ferry it names.

On the cut of real Kepulauan Anambas polygons (``tests/island_region.py``): Tarempa's boat
lands at Batu Belah itself (a one-village island without a port, 50 minutes), the row 3 of
``ports.csv``. The ferries here are illustrative test figures, not published schedules.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from island_region import BATU_BELAH, write_island_region

from planner.core.errors import RegionError
from planner.geo.region_classes import classify_region
from planner.io.region import load_region
from planner.travel import Mode
from planner.travel.regional import depot_places, region_ports, site_places, travel_model_for

LINKS = (
    "link_id,from_port,to_port,kind,days,departure,minutes,cost_idr,cost_unit,source_url,note\n"
    "f1,tarempa,antang,ferry,daily,07:30,40,25000,per_person,,test\n"
    "f2,antang,tarempa,ferry,daily,14:00,40,25000,per_person,,test\n"
    "c1,tarempa,nyamuk,charter,,,,,per_hour,,test\n"
    'f4,tarempa,nyamuk,ferry,"Tue,Fri",,50,,,,test\n'
    'f5,tarempa,nyamuk,ferry,"Tue,Fri",08:00,50,,,,test\n'
    "f6,tarempa,nyamuk,ferry,,08:00,50,,,,days not published\n"
)
ROW = 3  # the file row of Tarempa -> Batu Belah (header = 1)


def _folder(tmp_path: Path, link: str | None, *, on: str = BATU_BELAH) -> Path:
    """The island folder; ``link`` in ``crossing_link`` of the row serving ``on`` (``None``:
    an old file without the column)."""
    root = write_island_region(tmp_path / "r", sea_links=LINKS)
    path = root / "ports.csv"
    ports = pd.read_csv(path, dtype=str, keep_default_na=False)
    if link is not None:
        ports["crossing_link"] = np.where(ports["serves_kode_desa"] == on, link, "")
    ports.to_csv(path, index=False)
    return root


def _problems(root: Path) -> list[str]:
    with pytest.raises(RegionError) as info:
        load_region(root)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("zz", "unknown link 'zz' (not in sea_links.csv)"),
        ("c1", "link 'c1' is a charter, not a ferry"),
        ("f2", "link 'f2' leaves from 'antang', not from this port 'tarempa'"),
    ],
    ids=["unknown-link", "not-a-ferry", "other-port"],
)
def test_a_bad_crossing_link_is_one_error_line(tmp_path: Path, link: str, message: str) -> None:
    (line,) = _problems(_folder(tmp_path, link))
    assert line.endswith(f"ports.csv, row {ROW}, column 'crossing_link': {message}")


def test_crossing_link_without_sea_links_file_or_served_village(tmp_path: Path) -> None:
    root = _folder(tmp_path, "f4", on="")  # the harbour rows, without a served village
    lines = _problems(root)
    assert len(lines) == 4 and all("column 'crossing_link'" in line for line in lines)
    assert all("without serves_kode_desa" in line for line in lines)
    root = _folder(tmp_path / "b", "f4")
    (root / "sea_links.csv").unlink()
    (line,) = _problems(root)
    assert f"row {ROW}, column 'crossing_link': unknown link 'f4'" in line


def _batu_belah(root: Path, weekday: int) -> tuple[float, float]:
    """Minutes office -> Batu Belah and back on ``weekday`` (no clock)."""
    region = load_region(root)
    classified = classify_region(region)
    travel = travel_model_for(region, cache=False)
    places = depot_places(region, ["dinas"]) + site_places(
        classified.sites[classified.sites["site_id"] == BATU_BELAH]
    )
    m = travel.matrix(places, Mode.motor, boat=True, weekday=weekday)
    i, j = m.index("dinas-21.05"), m.index(BATU_BELAH)
    return float(m.minutes[i, j]), float(m.minutes[j, i])


def test_the_crossing_runs_on_its_ferry_days_only(tmp_path: Path) -> None:
    root = _folder(tmp_path, "f4")  # a Tue,Fri ferry without a departure time
    (tarempa,) = [p for p in region_ports(load_region(root)) if p.id == "tarempa"]
    (part,) = tarempa.serves
    assert tarempa.serves_days == {part: frozenset({1, 4})} and not tarempa.serves_departure
    monday, monday_back = _batu_belah(root, 0)
    tuesday, tuesday_back = _batu_belah(root, 1)
    assert np.isinf(monday) and np.isfinite(tuesday)
    # the boat back is not that ferry (a ferry runs one way): every day, as the row says
    assert np.isfinite(monday_back) and monday_back == pytest.approx(tuesday_back)
    assert tuesday == pytest.approx(tuesday_back)  # untimed: the same crossing both ways


def test_a_timed_ferry_ties_time_and_days(tmp_path: Path) -> None:
    region = load_region(_folder(tmp_path, "f5"))
    (tarempa,) = [p for p in region_ports(region) if p.id == "tarempa"]
    (part,) = tarempa.serves
    assert tarempa.serves_departure == {part: ("f5", 480.0)}
    assert tarempa.serves_days == {part: frozenset({1, 4})}
    assert not tarempa.serves_on(part, 0) and tarempa.serves_on(part, 1)
    assert tarempa.serves_on(part, None)  # the week's matrix: it runs on some day


def test_a_ferry_without_published_days_leaves_the_crossing_every_day(tmp_path: Path) -> None:
    root = _folder(tmp_path, "f6")
    (tarempa,) = [p for p in region_ports(load_region(root)) if p.id == "tarempa"]
    (part,) = tarempa.serves
    assert tarempa.serves_departure == {part: ("f6", 480.0)} and not tarempa.serves_days
    assert all(tarempa.serves_on(part, day) for day in range(7))


def test_an_old_folder_without_the_column_has_no_ferry_tie(tmp_path: Path) -> None:
    root = _folder(tmp_path, None)
    path = root / "ports.csv"
    ports = pd.read_csv(path, dtype=str, keep_default_na=False)
    # provenance text that names a ferry is not read as a tie (the old, parsed form)
    ports.loc[ports["serves_kode_desa"] == BATU_BELAH, "crossing_source"] = (
        "fastest published crossing to land part 3: link f5 tarempa->nyamuk, https://x"
    )
    ports.to_csv(path, index=False)
    assert "crossing_link" not in pd.read_csv(path, nrows=0).columns
    region = load_region(root)
    assert (region.ports["crossing_link"] == "").all()
    (tarempa,) = [p for p in region_ports(region) if p.id == "tarempa"]
    assert tarempa.serves and not tarempa.serves_departure and not tarempa.serves_days
    monday, _ = _batu_belah(root, 0)
    assert np.isfinite(monday)
