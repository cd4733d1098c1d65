"""Nights away (overnight bases, multi-day boat trips) reach the village announcement."""

from __future__ import annotations

from datetime import date

from planner.present.reports.desa import DesaVisit, announcement_rows
from planner.present.routes import Stop, TeamDayRoute, arrival_words, home_depots, night_away


def _stop(mode: str = "motor", ports: str = "") -> Stop:
    return Stop(
        order=1,
        site_id="35.29.20.2001",
        kode_desa="35.29.20.2001",
        desa="Desa Pulau",
        kode_kec="35.29.20",
        kecamatan="Gayam",
        kabupaten="Sumenep",
        classes="pulau",
        island_name="Sapudi",
        arrival="09:00",
        start="09:30",
        end="12:00",
        expected_recordings=20,
        part="1/1",
        lon=114.0,
        lat=-7.1,
        mode=mode,
        ports=ports,
    )


def _route(day: int, start: str, end: str, stop: Stop) -> TeamDayRoute:
    names = {"dinas": "Kantor Dinas", "kec": "Kantor Kecamatan Gayam"}
    return TeamDayRoute(
        "perahu", "Tim Perahu", date(2017, 11, day), start, names[start], 113.9, -7.0,
        end, names[end], 114.0, -7.1, "07:30", "15:00", 10.0, 60.0 if start != end else 0.0,
        (stop,), (),
    )  # fmt: skip


def test_a_trip_names_its_nights_and_its_boat() -> None:
    crossing = _stop("motor+perahu", "Pelabuhan Kalianget → Pelabuhan Gayam")
    trip = [
        _route(13, "dinas", "kec", crossing),  # out by boat, sleeps on the island
        _route(14, "kec", "kec", _stop()),  # works the island by land, sleeps there again
        _route(15, "kec", "dinas", _stop()),  # last day: home
    ]
    homes = home_depots(trip, {"team_settings": {"perahu": {"depot": "dinas"}}})
    assert homes == {"perahu": "dinas"}
    assert [night_away(r, homes) for r in trip] == [
        "Kantor Kecamatan Gayam",
        "Kantor Kecamatan Gayam",
        "",
    ]
    words = arrival_words(crossing, night_away(trip[0], homes))
    assert words == (
        "datang dengan perahu lewat Pelabuhan Kalianget → Pelabuhan Gayam; "
        "tim bermalam di Kantor Kecamatan Gayam"
    )
    assert arrival_words(_stop(), "") == ""  # a plain land day trip says nothing more
    # without team settings the first day's start is home
    assert home_depots(trip, {}) == {"perahu": "dinas"}

    visit = DesaVisit(
        date(2017, 11, 13), "09:30", "12:00", "Tim Perahu", "Balai Desa Pulau", 114.0, -7.1,
        recordings=20, arrival=words,
    )  # fmt: skip
    (row,), _ = announcement_rows([visit], "WIB", None)
    assert row.teams == f"Tim Perahu ({words})"
