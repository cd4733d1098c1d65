"""``jemput target``: the cheapest ways to be done by a deadline (issue 18).

Registered on the ``jemput`` app by :mod:`planner.app.cli`. The library is imported inside the
command, like the other commands, so ``jemput --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from planner.app.console import console, progress_bar, run_reporting_errors


def target(
    region: str = typer.Option(..., "--region", help="Bundled region name or region folder."),
    start: str = typer.Option(..., "--from", help="Monday of the first week (YYYY-MM-DD)."),
    until: str = typer.Option(..., "--until", help="Deadline (YYYY-MM-DD)."),
    out: Path = typer.Option(..., "--out", help="Output folder (replaced atomically)."),
    teams: Path | None = typer.Option(
        None, "--teams", help="Base teams TOML (default: the region's example teams)."
    ),
    policy: Path | None = typer.Option(None, "--policy", help="Policy TOML (default policy)."),
    kabupaten: str | None = typer.Option(
        None, "--kabupaten", help="Target one regency (code PP.KK, e.g. 36.01)."
    ),
    klass: str | None = typer.Option(
        None, "--class", help="Target one village class (pulau, pesisir, terpencil...)."
    ),
    costs: Path | None = typer.Option(
        None, "--costs", help="Unit costs TOML (default: examples/target_costs.toml)."
    ),
    confirm: int = typer.Option(
        2, "--confirm", help="Top options confirmed by the real planner (jemput project)."
    ),
    time_limit: float | None = typer.Option(
        None, "--time-limit", help="Solver seconds per week in the confirmation (default 60)."
    ),
    solution_limit: int | None = typer.Option(
        None, "--solution-limit", help="Solutions per part and week (default 1, as project)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed (estimate and solver)."),
    workers: int = typer.Option(
        2, "--workers", help="Parallel processes (per week; with 2+, one per confirmation)."
    ),
    fleet_calibration: bool = typer.Option(
        True,
        "--fleet-calibration/--no-fleet-calibration",
        help="Also calibrate on real weeks of bigger fleets (3 more weeks planned; "
        "off: the base week alone, faster, optimistic on large additions).",
    ),
) -> None:
    """Cheapest ways to finish by a deadline: added teams, kits, Saturdays, boats, stays.

    Example: jemput target --region banten --from 2017-11-13 --until 2018-06-27 --out target/

    A fast model searches the options; the real planner (as jemput project) confirms the top
    ones. Each option's scenario TOML is written to <out>/skenario/ and replays with
    jemput project --scenario (same --from/--until and solver options).
    """

    def job() -> None:
        from datetime import date

        from planner.core.errors import ConfigError
        from planner.scenarios.run import parse_monday
        from planner.scenarios.target_calibration import FLEET_STEPS
        from planner.scenarios.target_report import run_target

        monday = parse_monday(start, "--from")
        try:
            deadline = date.fromisoformat(until)
        except ValueError:
            raise ConfigError(f"--until: '{until}' is not a date (YYYY-MM-DD)") from None
        if confirm < 0:
            raise ConfigError(f"--confirm must be 0 or more (got {confirm})")
        with progress_bar() as bar:
            task = bar.add_task("Menyiapkan", total=None)

            def progress(message: str) -> None:
                bar.update(task, description=message)

            result = run_target(
                region,
                monday,
                deadline,
                out,
                teams_file=teams,
                policy_file=policy,
                kabupaten=kabupaten,
                klass=klass,
                costs_file=costs,
                confirm=confirm,
                solver_overrides={"time_limit_s": time_limit, "solution_limit": solution_limit},
                seed=seed,
                workers=workers,
                fleet_steps=FLEET_STEPS if fleet_calibration else (),
                progress=progress,
            )
        console.print(target_table(result))
        console.print(
            f"Pencarian {result.search_seconds} detik ({result.evaluations} simulasi), "
            f"pemastian {result.confirm_seconds} detik. Biaya: estimasi dari satuan biaya "
            "(asumsi, lihat target.xlsx)."
        )
        console.print(f"Ditulis ke {out}: target.csv, target.xlsx, target.png, skenario/*.toml")

    run_reporting_errors(job)


def target_table(result: object) -> Table:
    """Rich table of a target result (:class:`~planner.scenarios.target_types.TargetResult`)."""
    from planner.scenarios.target_types import TargetResult

    assert isinstance(result, TargetResult)
    out = Table(title=f"Cara selesai sebelum {result.until.isoformat()}: {result.area}")
    for column in (
        "#",
        "Pilihan",
        "Biaya (Rp, estimasi)",
        "Selesai (model cepat)",
        "Sisa (model cepat)",
        "Selesai (perencana)",
        "Sisa (perencana)",
    ):
        out.add_column(column, justify="left" if column == "Pilihan" else "right")
    for rank, option in enumerate(result.options, start=1):
        conf = option.confirmed
        out.add_row(
            str(rank),
            f"{option.name}\n[dim]{option.description}[/dim]",
            f"{option.cost:,.0f}",
            option.done_week.isoformat() if option.done_week else "tidak",
            f"{option.left:,.0f}",
            "-"
            if conf is None
            else (conf.done_week.isoformat() if conf.done_week else f"tidak ({conf.stop})"),
            "-" if conf is None else f"{conf.left:,.0f}",
        )
    return out
