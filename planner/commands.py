"""Sub-commands of ``jemput``; each one parses options, calls library functions and prints."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from planner.cli import app, console, run_reporting_errors


@app.command()
def locate(
    region: str = typer.Option(..., "--region", help="Bundled region name or region folder."),
    out: Path = typer.Option(..., "--out", help="Output folder (replaced atomically)."),
    registry: Path | None = typer.Option(
        None, "--registry", help="Registry of counts per village (CSV/XLSX); default: estimate."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the bundled estimate."),
) -> None:
    """Where the unrecorded residents are: classes, counts, summary and a map."""

    def job() -> None:
        from planner.pipeline import run_locate

        with console.status("Mengklasifikasi desa dan menghitung sebaran..."):
            result, written = run_locate(region, out, registry=registry, seed=seed)
        console.print(summary_table(result.summary, result.source.label))
        console.print(f"Ditulis ke {out}: " + ", ".join(p.name for p in written))

    run_reporting_errors(job)


@app.command("estimate-registry")
def estimate_registry(
    region: str = typer.Option(..., "--region", help="Bundled region name or region folder."),
    out: Path = typer.Option(..., "--out", help="CSV file to write."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Month of the published totals (must match the region's)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the village-to-village variation."),
) -> None:
    """Write the bundled per-village estimate of unrecorded residents (labelled estimasi)."""

    def job() -> None:
        from planner.pipeline import write_estimate_registry

        registry = write_estimate_registry(region, out, as_of=as_of, seed=seed)
        counts = registry.counts
        console.print(
            f"Estimasi ditulis ke {out}: {len(counts):,} desa, "
            f"{int(counts['wajib_ktp'].sum()):,} wajib KTP, "
            f"{int(counts['belum_rekam'].sum()):,} belum rekam ({registry.estimate_model})"
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
            f"{row.desa:,}",
            f"{row.belum_rekam:,}",
            f"{row.pangsa_belum_rekam:.1%}",
            end_section=str(row.kelas) == "terpencil",
        )
    return table
