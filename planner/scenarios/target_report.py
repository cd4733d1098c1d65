"""Outputs of ``jemput target``: the ranked table, its chart and one scenario TOML per option.

Files: ``target.csv`` (machine columns), ``target.xlsx`` (Indonesian headers, calibration and
notes), ``target.png``, ``skenario/<key>.toml`` (replay with ``jemput project --scenario``)
and ``proyeksi_<key>.csv`` for each confirmed option.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from planner.io.outputs import atomic_output_dir
from planner.scenarios.charts import save_figure
from planner.scenarios.target import find_target
from planner.scenarios.target_calibration import FLEET_STEPS
from planner.scenarios.target_types import TargetOption, TargetResult

TABLE_COLUMNS: dict[str, str] = {
    "rank": "Peringkat",
    "key": "Kode",
    "name": "Pilihan",
    "description": "Tambahan",
    "cost_rp": "Biaya (Rp, estimasi)",
    "surrogate_done": "Selesai tepat waktu (model cepat)",
    "surrogate_done_week": "Selesai minggu (model cepat)",
    "surrogate_left": "Sisa belum rekam pada tenggat (model cepat)",
    "surrogate_left_base": "Sisa pada tenggat (model cepat, kalibrasi minggu dasar saja)",
    "confirmed_done": "Selesai tepat waktu (perencana)",
    "confirmed_done_week": "Selesai minggu (perencana)",
    "confirmed_left": "Sisa belum rekam pada tenggat (perencana)",
    "confirmed_unreachable": "Lokasi tak terjangkau (perencana)",
    "confirmed_stop": "Status proyeksi (perencana)",
    "confirm_seconds": "Waktu pemastian (dtk)",
    "scenario_file": "Berkas skenario",
}
"""Machine column → Indonesian header of the target table."""


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def target_table(result: TargetResult) -> pd.DataFrame:
    """One row per option, ranked (machine column names, :data:`TABLE_COLUMNS`)."""
    rows = []
    for rank, option in enumerate(result.options, start=1):
        conf = option.confirmed
        rows.append(
            {
                "rank": rank,
                "key": option.key,
                "name": option.name,
                "description": option.description,
                "cost_rp": option.cost,
                "surrogate_done": option.done,
                "surrogate_done_week": _iso(option.done_week),
                "surrogate_left": option.left,
                "surrogate_left_base": option.left_base,
                "confirmed_done": None if conf is None else conf.done_week is not None,
                "confirmed_done_week": None if conf is None else _iso(conf.done_week),
                "confirmed_left": None if conf is None else conf.left,
                "confirmed_unreachable": None if conf is None else conf.unreachable,
                "confirmed_stop": None if conf is None else conf.stop,
                "confirm_seconds": None if conf is None else round(conf.seconds, 1),
                "scenario_file": f"skenario/{option.key}.toml",
                **{f"cost_{k}": v for k, v in option.cost_parts.items()},
            }
        )
    return pd.DataFrame(rows)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def scenario_toml(result: TargetResult, option: TargetOption) -> str:
    """The option as a scenario file (``jemput compare``/``jemput project --scenario``)."""
    lines = [
        f"# jemput target: option '{option.key}' for {result.area}, {result.start.isoformat()}"
        f" to {result.until.isoformat()}.",
        f"# Estimated cost Rp {option.cost:,.0f} (unit costs: assumptions, see target.xlsx).",
        "# Replay: jemput project --region "
        f"{result.region} --from {result.start.isoformat()} --until {result.until.isoformat()}"
        " --scenario <this file> --out <folder>",
        f"name = {_toml_value(option.name)}",
        f"description = {_toml_value(option.description)}",
    ]
    if result.teams_file is not None:
        lines.append(f"teams_file = {_toml_value(str(result.teams_file))}")
    if result.policy_file is not None:
        lines.append(f"policy_file = {_toml_value(str(result.policy_file))}")
    entries = option.overrides.get("teams", [])
    for entry in entries if isinstance(entries, list) else []:
        lines.append("")
        lines.append("[[teams.teams]]")
        for key, value in entry.items():
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def target_figure(table: pd.DataFrame, title: str) -> Figure:
    """Cost of each option and the residents it leaves at the deadline (both models)."""
    names = [f"{r} {n}" for r, n in zip(table["rank"], table["name"], strict=True)]
    y = list(range(len(names)))[::-1]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5), constrained_layout=True)
    colours = ["#31a354" if d else "#fdae6b" for d in table["surrogate_done"]]
    left.barh(y, table["cost_rp"] / 1e6, color=colours)
    left.set_yticks(y)
    left.set_yticklabels(names, fontsize=8)
    left.set_xlabel("juta rupiah (estimasi)")
    left.set_title("Biaya tambahan (hijau: selesai tepat waktu menurut model cepat)")
    right.barh([v + 0.2 for v in y], table["surrogate_left"], height=0.4, label="model cepat")
    confirmed = pd.to_numeric(table["confirmed_left"], errors="coerce")
    right.barh(
        [v - 0.2 for v in y], confirmed.fillna(0), height=0.4, label="perencana (dipastikan)"
    )
    right.set_yticks(y)
    right.set_yticklabels([])
    right.set_xlabel("penduduk")
    right.set_title("Sisa belum rekam pada tenggat")
    right.legend(fontsize=8)
    fig.suptitle(title)
    return fig


def write_target(result: TargetResult, folder: Path) -> list[Path]:
    """Write every file of a target result into ``folder`` (an atomic staging folder)."""
    table = target_table(result)
    files: list[Path] = []
    csv = folder / "target.csv"
    table.to_csv(csv, index=False)
    files.append(csv)
    people = table.rename(columns=TABLE_COLUMNS)
    calibration = pd.DataFrame(
        [
            {
                "Kelompok tim (kabupaten)": key,
                "Porsi perjalanan (alpha)": alpha,
                "Efisiensi menit kerja": eff,
                "Faktor armada (rasio kapasitas: faktor)": "; ".join(
                    f"{ratio:g}: {factor:g}" for ratio, factor in result.scaling.get(key, ())
                ),
            }
            for key, (alpha, eff) in sorted(result.calibration.items())
        ]
    )
    c = result.costs
    notes = [
        f"Wilayah target: {result.area}; dari {result.start.isoformat()} sampai tenggat "
        f"{result.until.isoformat()}.",
        "Model cepat (surrogate): tiap tim mengisi menit kerjanya dengan desa berbobot "
        "tertinggi per menit; porsi perjalanan dan efisiensi dikalibrasi per kelompok tim pada "
        "satu minggu rencana nyata, dan faktor armada pada minggu nyata dengan tim mobil "
        "tambahan (+100 % dan +300 %): tim tambahan menghasilkan lebih sedikit per tim. Kolom "
        "'kalibrasi minggu dasar saja' menunjukkan angka model cepat tanpa faktor armada. "
        "Angka 'perencana' berasal dari jemput project (proyeksi minggu demi minggu dengan "
        "perencana sebenarnya); untuk target satu kabupaten atau kelas, proyeksi berhenti "
        "begitu wilayah target selesai (selesai_area).",
        f"Pencarian: {result.evaluations} simulasi, {result.search_seconds} detik (termasuk "
        f"minggu kalibrasi); pemastian: {result.confirm_seconds} detik.",
        "Biaya adalah estimasi dari satuan biaya (asumsi kecuali uang harian dan uang "
        "lembur, yang mengikuti Standar Biaya Masukan): "
        f"uang harian dalam kota Rp {c.per_diem_local:,.0f}, luar kota Rp "
        f"{c.per_diem_away:,.0f}, mobil/hari Rp {c.car_day:,.0f}, motor/hari Rp "
        f"{c.motor_day:,.0f}, alat/hari Rp {c.kit_day:,.0f}, tambahan Sabtu Rp "
        f"{c.saturday_premium:,.0f}, sewa perahu/hari Rp {c.charter_day:,.0f}, penginapan/"
        f"malam Rp {c.lodging_night:,.0f}, {c.persons_per_team} orang per tim.",
        "Biaya dihitung sampai minggu target selesai (atau sampai tenggat).",
        "Tanpa register, jumlah belum rekam per desa adalah estimasi."
        if result.is_estimate
        else "Belum rekam dari register yang diberikan.",
    ]
    xlsx = folder / "target.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        people.to_excel(writer, sheet_name="Pilihan", index=False)
        calibration.to_excel(writer, sheet_name="Kalibrasi", index=False)
        pd.DataFrame({"Catatan": notes}).to_excel(writer, sheet_name="Catatan", index=False)
    files.append(xlsx)
    title = f"Cara selesai sebelum {result.until.isoformat()}: {result.area}"
    if result.is_estimate:
        title += " (estimasi)"
    files.append(save_figure(target_figure(table, title), folder / "target.png"))
    scenarios = folder / "skenario"
    scenarios.mkdir(exist_ok=True)
    for option in result.options:
        path = scenarios / f"{option.key}.toml"
        path.write_text(scenario_toml(result, option), encoding="utf-8")
        files.append(path)
        if option.confirmed is not None:
            weeks = folder / f"proyeksi_{option.key}.csv"
            option.confirmed.projection.weeks.to_csv(weeks, index=False)
            files.append(weeks)
    return files


def run_target(
    region_name: str,
    start: date,
    until: date,
    out: Path,
    *,
    teams_file: Path | None = None,
    policy_file: Path | None = None,
    kabupaten: str | None = None,
    klass: str | None = None,
    costs_file: Path | None = None,
    confirm: int = 2,
    solver_overrides: dict[str, object] | None = None,
    seed: int = 0,
    workers: int = 1,
    fleet_steps: tuple[float, ...] = FLEET_STEPS,
    progress: Callable[[str], None] | None = None,
) -> TargetResult:
    """``jemput target``: :func:`find_target`, then write every file into ``out`` atomically.

    The arguments are those of :func:`~planner.scenarios.target.find_target`; the result's
    ``files`` are the written paths under ``out``.
    """
    result = find_target(
        region_name,
        start,
        until,
        teams_file=teams_file,
        policy_file=policy_file,
        kabupaten=kabupaten,
        klass=klass,
        costs_file=costs_file,
        confirm=confirm,
        solver_overrides=solver_overrides,
        seed=seed,
        workers=workers,
        fleet_steps=fleet_steps,
        progress=progress,
    )
    with atomic_output_dir(out) as tmp:
        written = write_target(result, tmp)
        names = [p.relative_to(tmp) for p in written]
    return replace(result, files=tuple(out / n for n in names))
