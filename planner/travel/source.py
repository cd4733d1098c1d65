"""Which model made the minutes: a short record every output quotes (plan.json, jadwal, map).

:func:`travel_source` describes any :class:`~planner.travel.TravelModel`; the people-facing
``label`` starts with one of ``estimasi``, ``OSM (ekstrak YYYY-MM-DD)`` or ``matriks pengguna``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from planner.travel.estimate import EstimateTravelModel
from planner.travel.model import TravelModel
from planner.travel.osm import OsmTravelModel
from planner.travel.osrm_roads import OsrmTravelModel, osrm_version
from planner.travel.providers import MatrixTravelModel

SourceKind = Literal["estimate", "roads", "matrix", "other"]


@dataclass(frozen=True)
class TravelSource:
    """What made a plan's travel minutes.

    Attributes
    ----------
    kind
        ``estimate``, ``roads`` (an OSM extract) or ``matrix`` (a user CSV).
    engine
        ``estimate``, ``osrm <version>``, ``scipy-dijkstra`` or ``csv``.
    label
        People-facing (Bahasa Indonesia), e.g. ``OSM (ekstrak 2024-05-01), OSRM``.
    file
        The extract or matrix file name (no folder), if any.
    extract_date
        Date of the OSM data (file header, else the file's modification date).
    slack_pct
        Reserve added to every estimated land leg (0 for roads and matrices).
    calibration
        Provenance of the estimate's parameters.
    uncertainty_pct
        90th-percentile absolute error of the minutes on held-back observed trips (the
        estimate), ``None`` when not measured (roads, matrices).
    """

    kind: SourceKind
    engine: str
    label: str
    file: str | None = None
    extract_date: str | None = None
    slack_pct: float = 0.0
    calibration: str | None = None
    uncertainty_pct: float | None = None

    @property
    def uncertainty_text(self) -> str:
        """People-facing ``perkiraan waktu tempuh ± N %`` (empty when not measured)."""
        if self.uncertainty_pct is None:
            return ""
        return f"perkiraan waktu tempuh ± {self.uncertainty_pct:g} %"

    def as_dict(self) -> dict[str, object]:
        """Plain dict for ``plan.json`` (``meta.travel``)."""
        return asdict(self)


def extract_date(path: Path) -> tuple[str, bool]:
    """Date of an OSM extract: the replication timestamp of its header, else the file date.

    Returns
    -------
    date, from_header
        ISO date and whether it came from the header (Geofabrik and planet extracts set it).
    """
    import osmium

    try:
        header = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING).header()
        stamp = header.get("osmosis_replication_timestamp") or header.get("timestamp")
    except (RuntimeError, OSError):
        stamp = ""
    if stamp:
        return str(stamp)[:10], True
    modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    return modified.date().isoformat(), False


def travel_source(model: TravelModel) -> TravelSource:
    """Describe the model that makes the minutes (see :class:`TravelSource`)."""
    if isinstance(model, EstimateTravelModel):
        slack = float(model.params.slack_pct)
        error = model.params.error_p90_pct
        label = "estimasi (garis lurus/darat × faktor jalan ÷ kecepatan per moda"
        label += f", cadangan +{slack:g} %" if slack else ""
        label += f"; perkiraan waktu tempuh ± {error:g} %)" if error is not None else ")"
        return TravelSource(
            "estimate",
            "estimate",
            label,
            slack_pct=slack,
            calibration=model.params.calibration or "default parameters (not calibrated)",
            uncertainty_pct=None if error is None else float(error),
        )
    if isinstance(model, OsrmTravelModel | OsmTravelModel):
        pbf = model.pbf
        engine = (
            f"osrm {model.osrm_version}" if isinstance(model, OsrmTravelModel) else "scipy-dijkstra"
        )
        day, from_header = extract_date(pbf) if pbf is not None else ("?", False)
        when = f"ekstrak {day}" if from_header else f"file {day}"
        name = "OSRM" if isinstance(model, OsrmTravelModel) else "Dijkstra (scipy)"
        if isinstance(model, OsmTravelModel) and osrm_version() is None:
            name += "; osrm-bindings tidak terpasang"
        return TravelSource(
            "roads",
            engine,
            f"OSM ({when}), {name}",
            file=pbf.name if pbf is not None else None,
            extract_date=day,
        )
    if isinstance(model, MatrixTravelModel):
        name = Path(model.source).name
        return TravelSource("matrix", "csv", f"matriks pengguna ({name})", file=name)
    return TravelSource("other", type(model).__name__, type(model).__name__)
