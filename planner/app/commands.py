"""Sub-commands of ``jemput``; each one parses options, calls library functions and prints.

Long module: every option of every command lives here, beside its help text, so ``--help``
and the code read the same; the work itself is in :mod:`planner.app.jobs`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import typer
from rich.table import Table

from planner.app.console import (
    StageLog,
    angka,
    console,
    name_the_flags,
    persen,
    progress_bar,
    run_reporting_errors,
)

REASON_WORDS: dict[str, str] = {
    "no_team": "tidak ada tim untuk kabupatennya",
    "needs_boat": "perlu perahu, tidak ada tim berperahu",
    "no_port": "tidak ada pelabuhan terhubung di pulaunya",
    "below_minimum": "terlalu sedikit warga untuk satu kunjungan",
    "no_day_fits": "terlalu jauh untuk satu hari kerja",
    "capacity": "kapasitas minggu ini habis",
    "partial": "sebagian terjadwal",
    "no_demand": "tidak ada warga belum rekam",
    "search_failed": "pencarian rute gagal dalam batas waktu",
    "partial_search_failed": "sebagian, pencarian rute gagal dalam batas waktu",
}
"""Reason codes of villages left out, in words for the summary table."""

ROADS_HELP = (
    "OpenStreetMap extract (.osm.pbf) for road travel times (OSRM; scipy if OSRM is missing)."
)
MATRIX_HELP = "Travel-time matrix CSV (from, to, minutes, km[, mode]) instead of the estimate."


def locate(
    region: str = typer.Option(..., "--region", help="Bundled region name or region folder."),
    out: Path = typer.Option(..., "--out", help="Output folder (replaced atomically)."),
    registry: Path | None = typer.Option(
        None, "--registry", help="Registry of counts per village (CSV/XLSX); default: estimate."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the bundled estimate."),
    roads: Path | None = typer.Option(None, "--roads", help=ROADS_HELP),
    travel_matrix: Path | None = typer.Option(None, "--travel-matrix", help=MATRIX_HELP),
) -> None:
    """Where the unrecorded residents are: classes, counts, summary and a map.

    Example: jemput locate --region banten --out sebaran/
    """

    def job() -> None:
        from planner.app.jobs import run_locate

        with console.status("Mengklasifikasi desa dan menghitung sebaran..."):
            result, written = run_locate(
                region, out, registry=registry, seed=seed, roads=roads, travel_matrix=travel_matrix
            )
        for note in result.source.notes:
            console.print(f"Catatan: {note}", markup=False, highlight=False)
        console.print(summary_table(result.summary, result.source.label))
        console.print(f"Ditulis ke {out}: " + ", ".join(p.name for p in written))

    run_reporting_errors(job)


def estimate_registry(
    region: str = typer.Option(..., "--region", help="Bundled region name or region folder."),
    out: Path = typer.Option(..., "--out", help="CSV file to write."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Month of the published totals (must match the region's)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the village-to-village variation."),
) -> None:
    """Write the bundled per-village estimate of unrecorded residents (labelled estimasi).

    Example: jemput estimate-registry --region banten --out register-estimasi.csv
    """

    def job() -> None:
        from planner.app.jobs import write_estimate_registry

        registry = write_estimate_registry(region, out, as_of=as_of, seed=seed)
        counts = registry.counts
        console.print(
            f"Estimasi ditulis ke {out}: {angka(len(counts))} desa, "
            f"{angka(int(counts['wajib_ktp'].sum()))} wajib KTP, "
            f"{angka(int(counts['belum_rekam'].sum()))} belum rekam ({registry.estimate_model})"
        )

    run_reporting_errors(job)


def summary_table(summary: object, source_label: str) -> Table:
    """Rich table of the locate summary (per regency x class)."""
    import pandas as pd

    assert isinstance(summary, pd.DataFrame)
    table = Table(title=f"Sebaran belum rekam e-KTP ({source_label})")
    for column in ("Kabupaten/Kota", "Kelas", "Desa", "Belum rekam", "Pangsa"):
        table.add_column(
            column, justify="left" if column in ("Kabupaten/Kota", "Kelas") else "right"
        )
    for row in summary.itertuples():
        table.add_row(
            str(row.nama_kab),
            str(row.kelas),
            angka(row.desa),
            angka(row.belum_rekam),
            persen(row.pangsa_belum_rekam),
            end_section=str(row.kelas) == "terpencil",
        )
    return table


def plan(
    region: str = typer.Option(..., "--region", help="Bundled region name or region folder."),
    week: str = typer.Option(..., "--week", help="Monday of the week to plan (YYYY-MM-DD)."),
    out: Path = typer.Option(..., "--out", help="Output folder (replaced atomically)."),
    teams: Path | None = typer.Option(
        None, "--teams", help="Teams TOML (default: the region's example teams)."
    ),
    policy: Path | None = typer.Option(
        None, "--policy", help="Policy TOML (default: built-in policy)."
    ),
    registry: Path | None = typer.Option(None, "--registry", help="Registry CSV/XLSX."),
    time_limit: float | None = typer.Option(
        None, "--time-limit", help="Solver seconds for the whole week (default: the policy's, 30)."
    ),
    solution_limit: int | None = typer.Option(
        None, "--solution-limit", help="Stop each part after N solutions (reproducible)."
    ),
    seed: int | None = typer.Option(
        None, "--seed", help="Seed (estimate and solver) (default: the policy's, 0)."
    ),
    first_solution: str | None = typer.Option(None, "--first-solution", help="OR-Tools strategy."),
    metaheuristic: str | None = typer.Option(
        None,
        "--metaheuristic",
        help="Local search: GUIDED_LOCAL_SEARCH (default), ITERATED_LOCAL_SEARCH, or another "
        "OR-Tools name.",
    ),
    workers: int = typer.Option(1, "--workers", help="Parallel processes for the parts."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address."),
    lock: Path | None = typer.Option(None, "--lock", help="Earlier plan.json to revise."),
    done: list[Path] | None = typer.Option(
        None,
        "--done",
        help="What the field reported (repeatable): selesai.csv, or jadwal.xlsx with its "
        "'Terekam' column filled in.",
    ),
    from_date: str | None = typer.Option(None, "--from", help="First day to re-plan."),
    roads: Path | None = typer.Option(None, "--roads", help=ROADS_HELP),
    travel_matrix: Path | None = typer.Option(None, "--travel-matrix", help=MATRIX_HELP),
    road_engine: str | None = typer.Option(
        None, "--road-engine", help="Road engine for --roads: auto (default), osrm or scipy."
    ),
    # re-planning after disruptions (issue 17): see planner/week/disruptions.py
    absent: list[str] | None = typer.Option(
        None, "--absent", help="TEAM_ID:YYYY-MM-DD[..YYYY-MM-DD]: a team does not work."
    ),
    closed: list[str] | None = typer.Option(
        None, "--closed", help="YYYY-MM-DD[:reason]: no team works that day."
    ),
    no_boat: list[str] | None = typer.Option(
        None, "--no-boat", help="YYYY-MM-DD[..YYYY-MM-DD]: no sea leg those days."
    ),
    assume_done: bool = typer.Option(
        False, "--assume-done", help="Count past visits nobody reported as done as planned."
    ),
) -> None:
    """Plan next week's routes per team and day; write plan.json, itinerary.csv, jadwal.xlsx,
    maps, and the desa and kecamatan announcements (HTML and PDF).

    Example: jemput plan --region banten --week 2017-11-13 --time-limit 60 --out rencana/
    """

    def job() -> None:
        from datetime import date

        from planner.app.jobs import run_plan
        from planner.core.errors import ConfigError

        try:
            monday = date.fromisoformat(week)
        except ValueError:
            raise ConfigError(f"--week: '{week}' is not a date (YYYY-MM-DD)") from None
        if monday.weekday() != 0:
            from planner.domain.workdays import week_start as monday_of

            names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
            start = monday_of(monday)
            raise ConfigError(
                f"--week: {monday.isoformat()} is a {names[monday.weekday()]} and not a Monday; "
                f"the week starts Monday {start.isoformat()}: give --week {start.isoformat()}"
            )
        first_day = None
        if from_date is not None:
            try:
                first_day = date.fromisoformat(from_date)
            except ValueError:
                raise ConfigError(f"--from: '{from_date}' is not a date (YYYY-MM-DD)") from None
        overrides: dict[str, object] = {
            "time_limit_s": time_limit,
            "solution_limit": solution_limit,
            "seed": seed,
            "first_solution": first_solution,
            "metaheuristic": metaheuristic,
        }
        log = StageLog()
        # on a terminal a live bar with the elapsed time; piped to a log, plain lines
        live = console.is_terminal
        with progress_bar() as bar:
            task = bar.add_task("Menyiapkan wilayah dan permintaan", total=None)

            def progress(stage: str, done: int, total: int) -> None:
                label = StageLog.LABELS.get(stage, stage)
                bar.update(task, description=label, completed=done, total=total)
                # plain lines only once the inputs are read and checked: a bad input still
                # gives nothing but ERROR: lines
                if not live and stage == "solve":
                    log(stage, done, total)

            try:
                result = run_plan(
                    region,
                    monday,
                    out,
                    teams_path=teams,
                    policy_path=policy,
                    registry=registry,
                    solver_overrides=overrides,
                    workers=workers,
                    scheduler=scheduler,
                    lock=lock,
                    done=done,
                    from_date=first_day,
                    progress=progress,
                    roads=roads,
                    travel_matrix=travel_matrix,
                    road_engine=road_engine,
                    absent=absent or [],
                    closed=closed or [],
                    no_boat=no_boat or [],
                    assume_done=assume_done,
                )
            except ConfigError as exc:
                raise ConfigError(name_the_flags(exc.problems, overrides)) from None
        if not live:
            console.print(f"{log.elapsed()} Selesai", markup=False, highlight=False)
        for note in result.meta.get("registry_notes", []):  # type: ignore[attr-defined]
            console.print(f"Catatan: {note}", markup=False, highlight=False)
        console.print(plan_summary_table(result.summary, result.meta))
        raised = result.meta.get("time_limit_raised_to_s")
        if raised:
            console.print(
                f"Catatan: batas waktu dinaikkan menjadi {raised} detik "
                "(setiap bagian wilayah minimal 1 detik pencarian)",
                markup=False,
                highlight=False,
            )
        for failed in result.meta.get("search_failed", []):  # type: ignore[attr-defined]
            console.print(
                f"PERINGATAN: pencarian rute untuk tim {', '.join(failed['teams'])} tidak "
                "menemukan jadwal dalam batas waktu; hari-hari tim itu memakai "
                + (
                    "rute cadangan (cara sederhana)"
                    if failed["fallback"].startswith("FALLBACK_GREEDY")
                    else "tidak ada rute"
                )
                + ". Jalankan lagi dengan --time-limit lebih besar.",
                markup=False,
                highlight=False,
            )
        if result.meta.get("interrupted"):
            console.print(
                "CATATAN: pencarian dihentikan (Ctrl-C); ini rencana terbaik sejauh ini "
                '(plan.json: "interrupted")'
            )
        counts = result.meta.get("change_counts")
        if isinstance(counts, dict):
            console.print(
                f"Perubahan jadwal: {counts['kept']} tetap, {counts['moved']} dipindah, "
                f"{counts['cancelled']} dibatalkan, {counts['time_changed']} berubah jam dari "
                f"{counts['announced']} kunjungan yang diumumkan; {counts['unreported']} "
                "kunjungan lalu belum dilaporkan (lihat perubahan.csv, perubahan.html)",
                markup=False,
                highlight=False,
            )
        console.print(f"Ditulis ke {out}")

    run_reporting_errors(job)


def travel_text(meta: dict[str, object]) -> str:
    """Which model made the minutes, as the summary shows it."""
    travel = meta.get("travel")
    if not isinstance(travel, dict):
        return "tidak tercatat"
    return str(travel.get("label", "tidak tercatat"))


def plan_summary_table(summary: dict[str, object], meta: dict[str, object]) -> Table:
    """Rich table of a week's summary."""
    label = "estimasi" if meta.get("is_estimate") else "register"
    table = Table(title=f"Rencana minggu {meta.get('week_start')} ({label})", show_header=False)
    table.add_column("", style="bold")
    table.add_column("", justify="right")
    shares = summary.get("class_share", {})
    assert isinstance(shares, dict)
    rows = [
        ("Perkiraan perekaman terjadwal", angka(summary["planned_recordings"])),
        ("Kapasitas minggu (batas atas)", angka(summary["capacity_bound"], 1)),
        ("Utilisasi", persen(summary["utilisation"])),
        ("Rekaman berbobot", angka(summary["weighted_recordings"], 1)),
        ("Desa dikunjungi", angka(summary["villages_visited"])),
        (
            "Hari-tim terpakai",
            f"{angka(summary['team_days_used'])} / {angka(summary['team_days_available'])}",
        ),
        ("Jarak tempuh (km)", angka(summary["km"], 1)),
        ("Jam di perahu", angka(summary["boat_hours"], 1)),
        ("Malam di luar (penginapan, estimasi Rp)", _nights_text(summary)),
        ("Waktu tempuh dari", travel_text(meta)),
    ]
    rows += [
        (f"Pangsa di desa {k.replace('_kab', ' kabupaten')}", persen(v)) for k, v in shares.items()
    ]
    reasons = summary.get("unplanned_by_reason", {})
    assert isinstance(reasons, dict)
    rows += [(f"Tidak terjadwal: {REASON_WORDS.get(k, k)}", angka(v)) for k, v in reasons.items()]
    bases = meta.get("bases", [])
    assert isinstance(bases, list)
    rows += [(f"Bermalam {b['team_id']}", night_words(b)) for b in bases]
    for key, value in rows:
        table.add_row(key, value)
    return table


def night_words(base: Mapping[str, object]) -> str:
    """Where a chosen base's team sleeps, as the summary says it: the base's name, or for a
    trip that moves between places every place with its nights, e.g. ``Kantor Kecamatan
    Talango (Sen, Sel), Kantor Kecamatan Giliginting (Rab)``."""
    if not base.get("base"):
        return "pulang setiap hari"
    places = base.get("night_places")
    names = base.get("night_names")
    names = names if isinstance(names, dict) else {}
    stays: dict[str, list[str]] = {}
    if isinstance(places, dict):
        # in the trip's order (plan.json keeps the nights by date)
        for day, place in places.items():
            stays.setdefault(str(place), []).append(str(day)[:3].capitalize())
    if len(stays) < 2:
        return str(base.get("name"))
    return ", ".join(f"{names.get(p, p)} ({', '.join(days)})" for p, days in stays.items())


def check_travel(
    region: str = typer.Option(..., "--region", help="Bundled region name or region folder."),
    half: str = typer.Option(
        "test", "--half", help="Which observations: test (held back, default), fit or all."
    ),
) -> None:
    """Compare the travel estimate with observed trips (geodata/<region>/observed_times.csv)."""

    def job() -> None:
        from importlib import resources

        from planner.core.errors import ConfigError
        from planner.io.region import load_region
        from planner.travel.calibration import OBSERVED_FILE, errors, load_observations, summarise
        from planner.travel.params import TravelParams
        from planner.travel.regional import CALIBRATED_PARAMS, estimate_params

        if half not in ("test", "fit", "all"):
            raise ConfigError(f"--half: '{half}' is not one of test, fit, all")
        loaded = load_region(region)
        observations = load_observations(loaded)
        if not observations:
            raise ConfigError(f"{loaded.root / OBSERVED_FILE}: no observed trips for {region}")
        import tomllib

        text = (resources.files("planner.travel") / CALIBRATED_PARAMS).read_text("utf-8")
        calibrated = TravelParams.model_validate(tomllib.loads(text).get("params", {}))
        models = {
            "bawaan": TravelParams(),
            "kalibrasi": calibrated.model_copy(update={"slack_pct": 0.0}),
            "wilayah ini": estimate_params(loaded),
        }
        table = Table(
            title=f"Waktu tempuh: estimasi vs perjalanan teramati, {loaded.config.name} "
            f"(paruh {half}; galat absolut %, median / persentil 90)"
        )
        table.add_column("Moda")
        table.add_column("Perjalanan", justify="right")
        for name in models:
            table.add_column(name, justify="right")
        summaries = {}
        for name, params in models.items():
            rows = errors(observations, params)
            if half != "all":
                rows = rows[rows["half"] == half]
            summaries[name] = summarise(rows[~rows["doubtful"]], ("mode",)).set_index("mode")
        first = next(iter(summaries.values()))
        plain = [s.to_dict("index") for s in summaries.values()]
        for mode, rec in first.to_dict("index").items():
            cells = [
                f"{float(p[mode]['median_abs_pct']):.0f} / {float(p[mode]['p90_abs_pct']):.0f}"
                for p in plain
            ]
            table.add_row(str(mode), str(int(rec["rows"])), *cells)
        console.print(table)
        doubtful = sum(o.doubtful for o in observations)
        console.print(
            f"{len(observations)} perjalanan teramati ({doubtful} diragukan, tidak dihitung); "
            f"kalibrasi: {calibrated.calibration}; cadangan waktu hasil kalibrasi "
            f"+{calibrated.slack_pct:g} % (persentil 90 kekurangan estimasi)",
            markup=False,
            highlight=False,
        )

    run_reporting_errors(job)


def _nights_text(summary: Mapping[str, object]) -> str:
    """Nights away of a week and their lodging estimate, e.g. ``4 (1.200.000)``."""
    nights = int(str(summary.get("nights_away", 0)))
    lodging = float(str(summary.get("lodging_idr", 0)))
    return f"{angka(nights)} ({angka(lodging)})"
