"""Fuzz the re-planning readers: no input makes them raise anything but ``PlannerError``.

``planner.week.replan.read_done_csv`` (``DONE.csv``) and ``planner.week.plan_file.read_plan_json``
(``--lock PLAN.json``) get arbitrary bytes, arbitrary text, CSV-shaped text with the real
column names and random cells, and JSON documents close to a real ``plan.json``.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.errors import PlannerError
from planner.week.plan_file import PLAN_SCHEMA, PLAN_SCHEMA_VERSION, itinerary_frame, read_plan_json
from planner.week.replan import read_done_csv

WEEK = date(2017, 11, 13)
FROM = date(2017, 11, 15)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextlib.contextmanager
def _written(data: bytes, suffix: str) -> Iterator[Path]:
    """``data`` in a temporary file (hypothesis examples cannot use ``tmp_path``)."""
    folder = Path(tempfile.mkdtemp(prefix="fuzz-replan-"))
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    try:
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _done(data: bytes) -> None:
    try:
        with _written(data, ".csv") as path:
            rows = read_done_csv(path, WEEK, FROM)
    except PlannerError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        return
    for row in rows:  # what it accepts is well formed
        assert isinstance(row["team_id"], str) and row["team_id"]
        assert WEEK <= row["date"] < FROM
        assert isinstance(row["recorded"], int) and row["recorded"] >= 0


def _plan(data: bytes) -> None:
    try:
        with _written(data, ".json") as path:
            document = read_plan_json(path)
    except PlannerError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        return
    assert document["schema"] == PLAN_SCHEMA
    assert document["schema_version"] == PLAN_SCHEMA_VERSION


# --------------------------------------------------------------------------- DONE.csv

HEADERS = [
    "team_id,date,kode_desa,recorded",
    "tim;tanggal;kode_desa;direkam",
    "TEAM_ID,Date,Kode,Terekam",
    "team_id,date,recorded",
    "",
]
CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["2017-11-13", "2017-11-14", "2017-13-01", "-1", "5", "٣", "²", "1e3"]),
    st.integers(-5, 10**6).map(str),
)


@FUZZ
@given(data=st.binary(max_size=2000))
def test_done_csv_arbitrary_bytes(data: bytes) -> None:
    _done(data)


@FUZZ
@given(text=st.text(max_size=600))
def test_done_csv_arbitrary_text(text: str) -> None:
    _done(text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(
    header=st.sampled_from(HEADERS),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=6), max_size=8),
    sep=st.sampled_from([",", ";", "\t"]),
    bom=st.booleans(),
)
def test_done_csv_shaped_rows(header: str, rows: list[list[str]], sep: str, bom: bool) -> None:
    body = "\n".join(sep.join(cells) for cells in rows)
    _done(("\ufeff" if bom else "").encode() + f"{header}\n{body}\n".encode())


# --------------------------------------------------------------------------- plan.json

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@FUZZ
@given(data=st.binary(max_size=2000))
def test_plan_json_arbitrary_bytes(data: bytes) -> None:
    _plan(data)


@FUZZ
@given(value=JSON)
def test_plan_json_arbitrary_json(value: Any) -> None:
    _plan(json.dumps(value).encode())


@FUZZ
@given(
    extra=st.dictionaries(
        st.sampled_from(["team_days", "region", "week_start", "summary", "unplanned"]), JSON
    ),
    version=st.one_of(st.just(PLAN_SCHEMA_VERSION), JSON),
)
def test_plan_json_near_valid_documents(extra: dict[str, Any], version: Any) -> None:
    document = {"schema": PLAN_SCHEMA, "schema_version": version, **extra}
    _plan(json.dumps(document).encode())


@FUZZ
@given(team_days=JSON)
def test_itinerary_of_a_read_plan_fails_only_with_planner_error(team_days: Any) -> None:
    """What ``--lock`` does next with an accepted document must not crash either."""
    document = {"schema": PLAN_SCHEMA, "schema_version": PLAN_SCHEMA_VERSION}
    document["team_days"] = team_days
    with (
        _written(json.dumps(document).encode(), ".json") as path,
        contextlib.suppress(PlannerError),
    ):
        itinerary_frame(read_plan_json(path))


# --------------------------------------------------------------------------- TOML files as bytes
# tests/unit/test_config.py fuzzes the parsed dicts; this feeds the loaders whole files.

TOML_LINES = st.sampled_from(
    [
        "[[teams]]",
        'id = "t"',
        'name = "T"',
        'depot = "dinas-15.03"',
        "kits = 0",
        "kits = 2",
        "[solver]",
        "time_limit_s = 0",
        "time_limit_s = 1e999",
        "seed = -1",
        "[calendar]",
        'extra_non_working = ["2018-02-30"]',
        "[calendar.shifts.senin]",
        'start = "25:00"',
        'end = "07:00"',
        "teams = []",
        "= =",
        "[defaults]",
        "minutes_per_record = nan",
        "minutes_per_record = inf",
    ]
)


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.lists(TOML_LINES, max_size=12).map(lambda lines: "\n".join(lines).encode()),
    )
)
def test_teams_and_policy_files_raise_only_planner_error(data: bytes) -> None:
    from planner.domain.config import load_policy, load_teams

    for loader in (load_teams, load_policy):
        with _written(data, ".toml") as path, contextlib.suppress(PlannerError):
            loader(path)


# --------------------------------------------------------------------------- --lock as a whole

STOP_VALUE = st.one_of(
    st.none(),
    st.integers(-3, 10**6),
    st.text(max_size=6),
    st.sampled_from(["2017-11-14", "2017-11-16", "36.01.01.2001", "x-1", "1.5"]),
)
STOP = st.dictionaries(
    st.sampled_from(
        ["site_id", "order", "expected_recordings", "kode_desa", "chunk_id", "arrival", "part"]
    ),
    STOP_VALUE,
    max_size=7,
)
TEAM_DAY = st.fixed_dictionaries(
    {
        "team_id": st.sampled_from(["a", "b", ""]),
        "date": st.sampled_from(["2017-11-13", "2017-11-15", "2017-11-17", "13/11/2017", ""]),
        "visits": st.lists(STOP, max_size=3),
    }
)


@FUZZ
@given(team_days=st.lists(TEAM_DAY, max_size=4))
def test_prepare_replan_on_near_valid_plans_raises_only_planner_error(
    team_days: list[dict[str, Any]],
) -> None:
    """A hand-edited ``plan.json`` given to ``--lock`` fails with a message, never a crash."""
    import pandas as pd

    from planner.io.registry import Registry
    from planner.week.replan import prepare_replan

    counts = pd.DataFrame(
        {"wajib_ktp": [100], "sudah_rekam": [60], "belum_rekam": [40]},
        index=pd.Index(["36.01.01.2001"], name="kode_desa"),
    )
    registry = Registry.from_frame(counts, source="fuzz")
    document = {
        "schema": PLAN_SCHEMA,
        "schema_version": PLAN_SCHEMA_VERSION,
        "region": "banten",
        "week_start": WEEK.isoformat(),
        "team_days": team_days,
    }
    with (
        _written(json.dumps(document).encode(), ".json") as path,
        contextlib.suppress(PlannerError),
    ):
        prepare_replan(registry, path, None, FROM, region_key="banten", week_start=WEEK)
