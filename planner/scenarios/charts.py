"""Charts of comparisons and projections (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

CLASS_LABELS: dict[str, str] = {
    "share_pulau": "pulau",
    "share_pesisir": "pesisir",
    "share_perbatasan": "perbatasan",
    "share_terpencil": "terpencil",
}


def comparison_figure(table: pd.DataFrame) -> Figure:
    """Four panels side by side per scenario: recordings, class shares, km/boat, weeks.

    Parameters
    ----------
    table
        The comparison table (:func:`planner.scenarios.compare.compare_scenarios`).
    """
    names = table["name"].astype(str).tolist()
    x = list(range(len(names)))
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), constrained_layout=True)
    ax = axes[0][0]
    ax.bar(x, table["planned_recordings"], color="#2b8cbe", label="perekaman")
    ax.plot(x, table["capacity_bound"], "k_", markersize=28, label="kapasitas (batas atas)")
    ax.set_title("Perkiraan perekaman per minggu")
    ax.legend(loc="lower right", fontsize=8)
    ax = axes[0][1]
    width = 0.8 / len(CLASS_LABELS)
    for j, (col, label) in enumerate(CLASS_LABELS.items()):
        ax.bar([i + (j - 1.5) * width for i in x], table[col] * 100, width, label=label)
    ax.set_title("Pangsa perekaman menurut kelas desa (%)")
    ax.legend(fontsize=8)
    ax = axes[1][0]
    ax.bar(x, table["km"], color="#fdae6b", label="km")
    ax.set_title("Jarak tempuh (km) dan jam di perahu")
    twin = ax.twinx()
    twin.plot(x, table["boat_hours"], "o", color="#08519c", label="jam perahu")
    twin.set_ylim(bottom=0)
    twin.set_ylabel("jam perahu")
    ax = axes[1][1]
    weeks = pd.to_numeric(table["weeks_to_completion"], errors="coerce")
    colors = ["#31a354" if m == "proyeksi" else "#a1d99b" for m in table["weeks_method"]]
    ax.bar(x, weeks.fillna(0), color=colors)
    ax.set_title("Minggu sampai selesai (hijau tua: proyeksi, muda: perkiraan)")
    for axis in (axes[0][0], axes[0][1], axes[1][0], axes[1][1]):
        axis.set_xticks(x)
        axis.set_xticklabels(names, rotation=20, ha="right", fontsize=8)
    fig.suptitle("Perbandingan skenario jemput bola (data estimasi bila tidak ada register)")
    return fig


def projection_figure(
    weeks: pd.DataFrame,
    target: date,
    title: str = "Proyeksi belum rekam e-KTP",
    *,
    initial: int | None = None,
) -> Figure:
    """Remaining unrecorded residents week by week, with the target date marked.

    Parameters
    ----------
    weeks
        The projection's week table (``week_start``, ``remaining_belum_rekam``,
        ``remaining_expected``, ``status``).
    target
        Target date (deadline) drawn as a vertical line.
    initial
        Unrecorded residents before the first week (drawn at its Monday).
    """
    frame = weeks.copy()
    frame["end"] = pd.to_datetime(frame["week_start"]) + pd.Timedelta(days=6)
    xs = list(frame["end"])
    ys = list(frame["remaining_belum_rekam"])
    if initial is not None and len(frame):
        xs.insert(0, pd.to_datetime(frame["week_start"].iloc[0]))
        ys.insert(0, initial)
    fig, ax = plt.subplots(figsize=(10, 5), constrained_layout=True)
    ax.plot(xs, ys, "-o", markersize=3, label="belum rekam (akhir minggu)")
    planned = frame[frame["status"] == "direncanakan"]
    ax.plot(
        planned["end"],
        planned["remaining_expected"],
        "--",
        label="perkiraan masih akan datang (desa terjangkau)",
    )
    skipped = frame[frame["status"] == "dilewati"]
    if len(skipped):
        ax.plot(
            skipped["end"],
            skipped["remaining_belum_rekam"],
            "x",
            color="grey",
            label="minggu tanpa hari kerja",
        )
    ax.axvline(mdates.date2num(target), color="red", linestyle=":", label=f"target {target}")
    ax.set_ylim(bottom=0)
    ax.set_ylabel("penduduk")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d-%m-%Y"))
    ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    return fig


def save_figure(fig: Figure, path: Path) -> Path:
    """Write a figure as PNG and close it."""
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def route_figure(
    itinerary: pd.DataFrame, villages: object | None = None, title: str = "Rute tim"
) -> Figure:
    """Routes of a week plan on a plain map: one colour per team, stops in visit order.

    Parameters
    ----------
    itinerary
        ``WeekPlan.itinerary`` (``team_id``, ``date``, ``order``, ``lon``, ``lat``).
    villages
        Optional GeoDataFrame of village polygons drawn in grey underneath.
    """
    fig, ax = plt.subplots(figsize=(10, 8), constrained_layout=True)
    if villages is not None and hasattr(villages, "plot"):
        villages.plot(ax=ax, color="#f0f0f0", edgecolor="#d0d0d0", linewidth=0.2)
    cmap = plt.get_cmap("tab20")
    teams = sorted(itinerary["team_id"].astype(str).unique())
    for i, team in enumerate(teams):
        mine = itinerary[itinerary["team_id"] == team]
        colour = cmap(i % 20)
        for _, day in mine.groupby("date", sort=True):
            day = day.sort_values("order")
            ax.plot(day["lon"], day["lat"], "-o", color=colour, markersize=3, linewidth=0.8)
        ax.plot([], [], "-o", color=colour, label=team)
    ax.set_title(title)
    ax.set_xlabel("bujur")
    ax.set_ylabel("lintang")
    ax.legend(fontsize=7, loc="best")
    return fig


def sebaran_figure(summary: pd.DataFrame, title: str = "Sebaran belum rekam") -> Figure:
    """Unrecorded residents per regency, split by village class (a locate summary).

    Parameters
    ----------
    summary
        ``LocateResult.summary`` (``nama_kab``, ``kelas``, ``belum_rekam``).
    """
    rows = summary[(summary["kode_kab"] != "") & (summary["kelas"] != "semua")]
    pivot = rows.pivot_table(
        index="nama_kab", columns="kelas", values="belum_rekam", aggfunc="sum"
    ).fillna(0)
    totals = summary[(summary["kode_kab"] != "") & (summary["kelas"] == "semua")]
    total = totals.set_index("nama_kab")["belum_rekam"].reindex(pivot.index)
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5), constrained_layout=True)
    total.sort_values().plot.barh(ax=left, color="#2b8cbe")
    left.set_title("Belum rekam per kabupaten/kota")
    pivot.plot.barh(ax=right)
    right.set_title("Belum rekam menurut kelas desa (desa bisa >1 kelas)")
    right.set_ylabel("")
    fig.suptitle(title)
    return fig
