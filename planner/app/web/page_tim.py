"""Tim: the teams as an editable table, validated as ``teams.toml`` is, downloadable."""

from __future__ import annotations

from typing import Any

import pandas as pd
from htmltools import Tag
from shiny import Inputs, reactive, render, ui

from planner.app.web.common import SessionState, problem_list
from planner.app.web.teams_table import COLUMNS, team_rows, teams_from_rows, teams_toml
from planner.core.errors import PlannerError
from planner.domain.config import TeamsConfig

HELP = (
    "Klik dua kali sel untuk mengubah. modes: mobil, motor; boat: ya/tidak; working_days: "
    "senin … sabtu; base: kosong (pulang tiap hari), kec-PP.KK.CC atau auto; base_days: hari "
    "menginap di base, kosong = seminggu penuh; nights: tempat bermalam lain per hari, mis. "
    "senin=kec-35.29.04, selasa=kec-35.29.04, kosong = setiap malam di base; "
    "lodging_per_night: rupiah per malam, kosong = 300.000; regencies: kosong = kabupaten depot."
)


def tim_panel() -> Any:
    """The Tim tab."""
    return ui.nav_panel(
        "Tim",
        ui.div(
            ui.input_action_button("team_add", "Tambah tim"),
            ui.input_action_button("team_copy", "Salin tim terpilih"),
            ui.input_action_button("team_remove", "Hapus tim terpilih"),
            ui.input_action_button("team_reset", "Kembali ke contoh wilayah"),
            ui.download_button("teams_download", "Unduh teams.toml"),
            class_="d-flex flex-wrap gap-2 my-2",
        ),
        ui.help_text(HELP),
        ui.output_ui("teams_status"),
        ui.output_data_frame("teams_grid"),
        value="tim",
    )


def _blank_row(rows: list[dict[str, str]], depot: str) -> dict[str, str]:
    used = {r["id"] for r in rows}
    number = len(rows) + 1
    while f"tim-{number}" in used:
        number += 1
    return {
        "id": f"tim-{number}",
        "name": f"Tim {number}",
        "depot": depot,
        "base": "",
        "base_days": "",
        "nights": "",
        "modes": "mobil",
        "boat": "tidak",
        "kits": "1",
        "working_days": "senin, selasa, rabu, kamis, jumat",
        "regencies": "",
        "minutes_per_record": "7",
        "setup_minutes": "30",
        "lodging_per_night": "",
    }


def tim_server(input: Inputs, state: SessionState) -> None:
    """Reactive logic of the Tim tab."""
    rows: reactive.Value[list[dict[str, str]]] = reactive.value([])

    @reactive.effect
    @reactive.event(state.info, input.team_reset)
    def _load_example() -> None:
        info = state.info.get()
        rows.set(team_rows(info.teams) if info is not None and info.teams else [])

    @render.data_frame
    def teams_grid() -> Any:
        frame = pd.DataFrame.from_records(rows(), columns=list(COLUMNS))
        return render.DataGrid(frame, editable=True, selection_mode="rows", width="100%")

    def current() -> list[dict[str, str]]:
        view = teams_grid.data_patched()
        return [{k: str(v) for k, v in r.items()} for r in view.to_dict("records")]

    def selected() -> list[int]:
        chosen = teams_grid.cell_selection().get("rows", ())
        return sorted(int(i) for i in chosen)

    @reactive.effect
    @reactive.event(input.team_add)
    def _add() -> None:
        table = current()
        info = state.info.get()
        depots = info.depot_ids if info is not None else ()
        depot = table[-1]["depot"] if table else (depots[0] if depots else "")
        rows.set([*table, _blank_row(table, depot)])

    @reactive.effect
    @reactive.event(input.team_copy)
    def _copy() -> None:
        table = current()
        copies: list[dict[str, str]] = []
        for index in selected():
            copy = dict(table[index])
            used = {r["id"] for r in table + copies}
            suffix = 2
            while f"{copy['id']}-{suffix}" in used:
                suffix += 1
            copy["id"] = f"{copy['id']}-{suffix}"
            copy["name"] = f"{copy['name']} ({suffix})"
            copies.append(copy)
        rows.set(table + copies)

    @reactive.effect
    @reactive.event(input.team_remove)
    def _remove() -> None:
        drop = set(selected())
        rows.set([r for i, r in enumerate(current()) if i not in drop])

    @reactive.calc
    def validated() -> tuple[TeamsConfig | None, tuple[str, ...]]:
        info = state.info()
        if info is None:
            return None, ("wilayah belum dimuat",)
        try:
            config = teams_from_rows(
                current(),
                depot_ids=info.depot_ids,
                regency_codes=info.regency_codes,
                region=info.key,
            )
        except PlannerError as exc:
            return None, tuple(exc.problems)
        return config, ()

    @reactive.effect
    def _share() -> None:
        config, _ = validated()
        state.teams.set(config)
        state.teams_toml.set(None if config is None else teams_toml(config))

    @render.ui
    def teams_status() -> Tag:
        config, problems = validated()
        if config is None:
            return problem_list(problems, "Tabel tim belum valid (rencana tidak dapat dijalankan):")
        kits = sum(t.kits for t in config.teams)
        boats = sum(t.boat for t in config.teams)
        return ui.div(
            f"Tabel tim valid: {len(config.teams)} tim, {kits} alat rekam, {boats} tim berperahu.",
            class_="alert alert-success",
            id="teams-valid",
        )

    @render.download_button(filename="teams.toml")
    def teams_download() -> Any:
        config, problems = validated()
        if config is None:
            yield "# tabel tim belum valid:\n" + "\n".join(f"# ERROR: {p}" for p in problems)
            return
        yield teams_toml(config, header="Tim jemput bola, disimpan dari jemput app.")
