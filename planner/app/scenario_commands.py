"""``jemput compare`` and ``jemput project``: what-if scenarios and the road to completion.

Registered on the ``jemput`` app by :mod:`planner.app.cli`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer
from rich.table import Table

from planner.app.commands import MATRIX_HELP, ROADS_HELP
from planner.app.console import console, progress_bar, run_reporting_errors

_SOLVER_HELP = "Solver seconds per planned week (for the whole week, all parts)."


def compare(
    scenarios: list[Path] = typer.Argument(
        ..., help="Scenario TOML files; the first is the base (e.g. dasar.toml)."
    ),
    region: str = typer.Option(..., "--region", help="Bundled region name or region folder."),
    out: Path = typer.Option(..., "--out", help="Output folder (replaced atomically)."),
    week: str | None = typer.Option(
        None, "--week", help="Monday to plan (default: first Monday of the estimate's month)."
    ),
    weeks: int = typer.Option(
        1, "--weeks", help="Weeks projected per scenario for the weeks to completion."
    ),
    time_limit: float | None = typer.Option(None, "--time-limit", help=_SOLVER_HELP),
    solution_limit: int | None = typer.Option(
        None, "--solution-limit", help="Stop each part after N solutions (reproducible)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed (estimate and solver)."),
    workers: int = typer.Option(2, "--workers", help="Parallel processes per week."),
    roads: Path | None = typer.Option(None, "--roads", help=ROADS_HELP),
    travel_matrix: Path | None = typer.Option(None, "--travel-matrix", help=MATRIX_HELP),
) -> None:
    """Run scenarios side by side: recordings, class shares, km, boat hours, weeks, cost.

    Example: jemput compare examples/scenarios/dasar.toml examples/scenarios/alat_cepat.toml
    --region banten --out banding/
    """

    def job() -> None:
        from planner.scenarios.run import parse_monday, run_compare

        monday = parse_monday(week, "--week") if week else None
        with progress_bar() as bar:
            task = bar.add_task("Menyiapkan", total=len(scenarios))

            def progress(name: str, done: int, total: int) -> None:
                bar.update(task, description=f"Skenario: {name}", completed=done, total=total)

            result = run_compare(
                region,
                scenarios,
                out,
                week=monday,
                weeks=weeks,
                solver_overrides={"time_limit_s": time_limit, "solution_limit": solution_limit},
                seed=seed,
                workers=workers,
                progress=progress,
                roads=roads,
                travel_matrix=travel_matrix,
            )
        console.print(comparison_table(result.table, result.week.isoformat()))
        console.print(f"Ditulis ke {out}: bandingkan.csv, bandingkan.xlsx, bandingkan.png")

    run_reporting_errors(job)


def _num(value: object, fmt: str = "{:,.0f}") -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "-"
    return fmt.format(value)


def comparison_table(table: pd.DataFrame, week: str) -> Table:
    """Rich table of a comparison: one column per scenario."""
    out = Table(title=f"Perbandingan skenario, minggu {week}")
    out.add_column("", style="bold")
    records = table.to_dict("records")
    for rec in records:
        out.add_column(str(rec["name"]), justify="right")
    lines: list[tuple[str, str, str]] = [
        ("Perekaman/minggu", "planned_recordings", "{:,.0f}"),
        ("Rekaman berbobot", "weighted_recordings", "{:,.1f}"),
        ("Kapasitas (batas atas)", "capacity_bound", "{:,.0f}"),
        ("Utilisasi", "utilisation", "{:.1%}"),
        ("Pangsa pulau", "share_pulau", "{:.1%}"),
        ("Pangsa pesisir", "share_pesisir", "{:.1%}"),
        ("Pangsa perbatasan", "share_perbatasan", "{:.1%}"),
        ("Pangsa terpencil", "share_terpencil", "{:.1%}"),
        ("Km", "km", "{:,.0f}"),
        ("Jam perahu", "boat_hours", "{:.1f}"),
        ("Lokasi perlu perahu (tak terjadwal)", "needs_boat_sites", "{:,.0f}"),
        ("Minggu sampai selesai", "weeks_to_completion", "{:.1f}"),
        ("Biaya/minggu (Rp)", "cost_week", "{:,.0f}"),
        ("Biaya/perekaman (Rp)", "cost_per_recording", "{:,.0f}"),
    ]
    for label, key, fmt in lines:
        out.add_row(label, *[_num(rec[key], fmt) for rec in records])
    out.add_row("Metode minggu", *[str(rec["weeks_method"]) for rec in records])
    out.add_row(
        "Mulai dari rute dasar", *["ya" if rec["warm_started"] else "tidak" for rec in records]
    )
    return out


def project(
    region: str = typer.Option(..., "--region", help="Bundled region name or region folder."),
    start: str = typer.Option(..., "--from", help="Monday of the first week (YYYY-MM-DD)."),
    out: Path = typer.Option(..., "--out", help="Output folder (replaced atomically)."),
    until: str | None = typer.Option(
        None, "--until", help="Horizon (default: the policy's deadline, else 26 weeks)."
    ),
    scenario: Path | None = typer.Option(
        None, "--scenario", help="Scenario TOML (default: the region's example teams)."
    ),
    time_limit: float | None = typer.Option(
        60.0, "--time-limit", help="Solver seconds per week (a cap; whole week, all parts)."
    ),
    solution_limit: int | None = typer.Option(
        1,
        "--solution-limit",
        help="Solutions per part and week (1 = the insertion heuristic's plan: fast and "
        "reproducible; more = longer local search).",
    ),
    seed: int = typer.Option(0, "--seed", help="Seed (estimate and solver)."),
    workers: int = typer.Option(2, "--workers", help="Parallel processes per week."),
    roads: Path | None = typer.Option(None, "--roads", help=ROADS_HELP),
    travel_matrix: Path | None = typer.Option(None, "--travel-matrix", help=MATRIX_HELP),
) -> None:
    """Roll weekly plans forward until every village is done or the horizon passes.

    Example: jemput project --region banten --from 2017-11-13 --out proyeksi/

    By default each week keeps the first plan the solver finds for each part (stopped by the
    solution limit, not the clock): a Banten week takes about 5 s on 2 cores and the same
    inputs give the same projection.
    """

    def job() -> None:
        from datetime import date

        from planner.core.errors import ConfigError
        from planner.scenarios.projection import STOP_REASONS
        from planner.scenarios.run import parse_monday, run_project

        monday = parse_monday(start, "--from")
        horizon = None
        if until is not None:
            try:
                horizon = date.fromisoformat(until)
            except ValueError:
                raise ConfigError(f"--until: '{until}' is not a date (YYYY-MM-DD)") from None
        with progress_bar() as bar:
            task = bar.add_task("Memproyeksikan minggu demi minggu", total=None)

            def progress(done: int, total: int, row: dict[str, object]) -> None:
                bar.update(
                    task,
                    description=f"Minggu {row['week_start']}: {row['status']}",
                    completed=done,
                    total=total,
                )

            proj = run_project(
                region,
                out,
                start=monday,
                until=horizon,
                scenario=scenario,
                solver_overrides={"time_limit_s": time_limit, "solution_limit": solution_limit},
                seed=seed,
                workers=workers,
                progress=progress,
                roads=roads,
                travel_matrix=travel_matrix,
            )
        console.print(completion_table(proj.completion))
        done = proj.completion_date
        console.print(
            f"{STOP_REASONS[proj.stop]}. Selesai seluruhnya: "
            f"{done.isoformat() if done else 'belum dalam batas proyeksi'} "
            f"(target {proj.target.isoformat()}); {len(proj.weeks)} minggu, "
            f"{proj.wall_seconds} detik."
        )
        console.print(f"Ditulis ke {out}: proyeksi.csv, selesai.csv, proyeksi.xlsx, proyeksi.png")

    run_reporting_errors(job)


def completion_table(completion: pd.DataFrame) -> Table:
    """Rich table: completion week per regency and class."""
    out = Table(title="Perkiraan minggu selesai")
    for column in ("Wilayah/kelas", "Belum rekam awal", "Belum rekam akhir", "Selesai minggu"):
        out.add_column(column, justify="left" if column == "Wilayah/kelas" else "right")
    for rec in completion.to_dict("records"):
        week = rec["completion_week"]
        out.add_row(
            str(rec["name"]),
            f"{rec['belum_rekam_start']:,}",
            f"{rec['belum_rekam_end']:,}",
            str(week)
            if isinstance(week, str)
            else ("tidak ada desa" if not rec["villages"] else "belum"),
            end_section=rec["level"] == "total",
        )
    return out
