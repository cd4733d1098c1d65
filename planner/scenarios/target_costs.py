"""Unit costs of ``jemput target``: what an added team-day, kit, Saturday, boat or night costs.

The defaults are in ``examples/target_costs.toml`` with their sources; every figure is an
**assumption** for illustration unless a source is named, and a Disdukcapil replaces them with
its own DPA figures (``jemput target --costs biaya.toml``). Sourced figures:

* uang harian of a trip inside the regency longer than 8 hours (*dalam kota > 8 jam*):
  Rp 150.000 per person per day in Banten and Jambi; outside it (*luar kota*): Rp 370.000
  (Standar Biaya Masukan, PMK Standar Biaya Masukan table "Uang harian perjalanan dinas dalam
  negeri", as reproduced in the e-book "Panduan Kelengkapan Dokumen SPJ Bendahara", p. 34,
  online.anyflip.com/sxkpa/kusv);
* uang lembur golongan III: Rp 20.000 per person per hour (PMK 83/2022, unchanged since 2016
  per the Ministry of Finance, Bisnis.com 22 May 2023).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field

from planner.core.errors import ConfigError
from planner.domain.config import read_toml, validate_config
from planner.domain.config.fields import _Model

Rupiah = Annotated[float, Field(ge=0.0, le=1e9)]

DEFAULT_COSTS_FILE = Path(__file__).resolve().parents[2] / "examples" / "target_costs.toml"
"""The documented default unit costs."""


class TargetCosts(_Model):
    """Unit costs in rupiah (``[costs]`` table of a target costs file)."""

    persons_per_team: Annotated[int, Field(ge=1, le=20)] = 3
    """People in a team (operator, assistant, driver): assumption."""
    per_diem_local: Rupiah = 150_000
    """Uang harian per person for a day inside the regency (> 8 h): SBM, Banten and Jambi."""
    per_diem_away: Rupiah = 370_000
    """Uang harian per person for a day away from home (overnight trip): SBM luar kota."""
    car_day: Rupiah = 500_000
    """Rented car with fuel for one day: assumption."""
    motor_day: Rupiah = 200_000
    """Two motorbikes with fuel for one day: assumption."""
    kit_day: Rupiah = 250_000
    """One more recording kit for one day: an operator's uang harian plus rental and wear of
    the equipment: assumption."""
    saturday_premium: Rupiah = 270_000
    """Extra for a Saturday worked, per team: 4.5 h of uang lembur golongan III
    (Rp 20.000/h, SBM) for 3 persons."""
    charter_day: Rupiah = 750_000
    """A chartered motor boat for one crossing day: assumption (as ``dasar.toml``)."""
    lodging_night: Rupiah = 250_000
    """One person's night at a kecamatan-town losmen: assumption, below the SBM hotel
    ceiling (a ceiling, not a price)."""

    def team_day(self, kind: str) -> float:
        """Cost of one worked day of an added team of ``kind`` (mobil, motor, perahu)."""
        vehicle = self.motor_day if kind == "motor" else self.car_day
        return self.persons_per_team * self.per_diem_local + vehicle

    def away_day_extra(self) -> float:
        """Extra allowance per team and day when the team sleeps away (luar kota − dalam)."""
        return self.persons_per_team * max(0.0, self.per_diem_away - self.per_diem_local)


def load_target_costs(path: Path | None = None) -> TargetCosts:
    """Read a target costs file (``[costs]`` table); ``None`` reads the documented defaults.

    Raises
    ------
    ConfigError
        Unreadable file, unknown keys, negative or non-numeric costs (one line each).
    """
    p = path or DEFAULT_COSTS_FILE
    data = read_toml(p)
    unknown = sorted(k for k in data if k != "costs")
    if unknown:
        raise ConfigError(
            [f"{p}: {k}: unknown key (a costs file has one table, [costs])" for k in unknown]
        )
    return validate_config(TargetCosts, data.get("costs", {}), f"{p} [costs]")
