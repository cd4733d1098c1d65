"""The ``region.toml`` of a region folder: pydantic models and :func:`read_region_config`.

:func:`read_region_config` validates the file once and raises one
:class:`~planner.core.errors.RegionError` with a line per problem, naming the file and the key.
The rest of the region folder is loaded by :mod:`planner.io.region`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pyproj import CRS
from pyproj.exceptions import CRSError

from planner.core.errors import RegionError

VILLAGE_CODE = r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"
REGENCY_CODE = r"^\d{2}\.\d{2}$"
PROVINCE_CODE = r"^\d{2}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TerrainSite(_Strict):
    """A village or kecamatan with hilly/forest terrain and poor access."""

    kode: str
    nama: str = ""
    reason: str = Field(min_length=1)


class TerrainConfig(_Strict):
    """``[terrain]``: overrides of the terrain class, each with a reason."""

    hutan_villages: list[TerrainSite] = Field(default_factory=list)
    hutan_kecamatan: list[TerrainSite] = Field(default_factory=list)

    @property
    def hutan_village_codes(self) -> list[str]:
        """Village codes of :attr:`hutan_villages`."""
        return [s.kode for s in self.hutan_villages]

    @property
    def hutan_kecamatan_codes(self) -> list[str]:
        """Kecamatan codes of :attr:`hutan_kecamatan`."""
        return [s.kode for s in self.hutan_kecamatan]


class IslandSiteConfig(_Strict):
    """``[[island_sites]]``: share of a mixed village's residents living on an island part."""

    kode_desa: Annotated[str, Field(pattern=VILLAGE_CODE)]
    island: str = Field(min_length=1)
    population_share: float = Field(ge=0.0, le=1.0)
    reason: str = Field(min_length=1)
    source: str = ""


class RegencyEstimateConfig(_Strict):
    """``[[estimate.regencies]]``: a published regency figure the estimate must meet.

    Give the regency's ``recorded_pct`` (share of its wajib KTP recorded) or its ``unrecorded``
    count; the estimate then puts exactly that many unrecorded residents in the regency and
    spreads the rest of the region's total over the other regencies.
    """

    kode_kab: Annotated[str, Field(pattern=REGENCY_CODE)]
    as_of: Annotated[str, Field(pattern=r"^\d{4}(-\d{2})?$")]
    recorded_pct: float | None = Field(default=None, ge=0.0, le=100.0)
    unrecorded: int | None = Field(default=None, ge=0)
    source: str = Field(min_length=1)
    note: str = ""

    @model_validator(mode="after")
    def _one_figure(self) -> RegencyEstimateConfig:
        if (self.recorded_pct is None) == (self.unrecorded is None):
            raise ValueError("give exactly one of recorded_pct and unrecorded")
        return self


class EstimateConfig(_Strict):
    """``[estimate]``: published totals that calibrate the registry estimate."""

    as_of: Annotated[str, Field(pattern=r"^\d{4}(-\d{2})?$")]
    wajib_ktp: int = Field(gt=0)
    unrecorded: int = Field(ge=0)
    source: str = Field(min_length=1)
    approximate: bool = False
    recorded_pct: float | None = Field(default=None, ge=0.0, le=100.0)
    note: str = ""
    regencies: list[RegencyEstimateConfig] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unrecorded_within_wajib(self) -> EstimateConfig:
        if self.unrecorded > self.wajib_ktp:
            raise ValueError(f"unrecorded ({self.unrecorded}) exceeds wajib_ktp ({self.wajib_ktp})")
        codes = [r.kode_kab for r in self.regencies]
        if len(set(codes)) != len(codes):
            raise ValueError(f"regencies: a regency is listed twice ({sorted(codes)})")
        return self


class SeaConfig(_Strict):
    """``[sea]``: terms of the boats between ports (optional; every key has a default).

    Attributes
    ----------
    charter_speed_kmh
        Speed of a chartered boat on a straight sea line x the boat circuity. Default 20 km/h:
        a hired wooden motor boat (pompong, ~10 knots) or a small speedboat in rough water;
        an assumption, not a published figure: set the region's own.
    ferry_speed_kmh
        Speed of a scheduled ferry whose crossing minutes are not published (``sea_links.csv``
        ``minutes`` empty), on the straight sea line x the boat circuity. Default 20 km/h
        (~11 knots: a wooden or steel passenger ferry such as the KM Sabuk Nusantara
        pioneer ships); an assumption, slower than a fast boat so a plan does not count on
        a crossing it cannot make.
    charter_max_km
        Any two ports at most this far apart (straight line) are joined by a charter in both
        directions. Default 0: only the ``charter`` rows of ``sea_links.csv`` (an old region
        folder plans exactly as before).
    charter_cost_per_hour_idr
        Hire of a chartered boat per hour on the water, for cost estimates. Default 0
        (unknown).
    boarding_minutes
        Waiting, loading the kit, boarding and landing per boat hop. Default: the travel
        model's 30 minutes (``TravelParams.boarding_minutes``).
    """

    charter_speed_kmh: float = Field(default=20.0, gt=0.0)
    ferry_speed_kmh: float = Field(default=20.0, gt=0.0)
    charter_max_km: float = Field(default=0.0, ge=0.0)
    charter_cost_per_hour_idr: float = Field(default=0.0, ge=0.0)
    boarding_minutes: float | None = Field(default=None, ge=0.0)


class FilesConfig(_Strict):
    """``[files]``: file names inside the region folder; ``population = "none"`` if absent."""

    boundaries: str = "boundaries.gpkg"
    neighbours: str = "neighbours.gpkg"
    islands: str = "islands.csv"
    population: str | None = "population.csv"
    published: str = "published.csv"
    ports: str = "ports.csv"
    depots: str = "depots.csv"
    sea_links: str = "sea_links.csv"
    """Optional: read only when the file exists."""

    @field_validator("population")
    @classmethod
    def _none_word(cls, value: str | None) -> str | None:
        return None if value is None or value.lower() == "none" else value


class TravelConfig(_Strict):
    """``[travel]``: where the region's travel minutes come from (default: the estimate).

    Paths are relative to the region folder (or absolute). ``roads`` and ``matrix`` exclude
    each other; ``jemput ... --roads`` / ``--travel-matrix`` override this table for one run.
    """

    roads: str | None = None
    """An OpenStreetMap extract (``.osm.pbf``) routed with OSRM (or the scipy fallback)."""
    matrix: str | None = None
    """A travel-time matrix CSV (``from, to, minutes, km[, mode]``) the office supplies."""
    engine: Literal["auto", "osrm", "scipy"] = "auto"
    """Road engine for ``roads``: ``auto`` = OSRM if ``osrm-bindings`` imports, else scipy."""
    params: str | None = None
    """Estimate parameters: ``None`` = the documented defaults, ``"calibrated"`` = the fit on
    observed trips shipped in the package (``planner/travel/calibrated.toml``), or a TOML file
    with a ``[params]`` table."""
    slack_pct: float | None = Field(default=None, ge=0.0, le=200.0)
    """Extra travel minutes (% of each estimated leg) the plan reserves when the estimate is
    the provider; ``None`` = the reserve of ``params`` (0 for the defaults; the calibrated
    90th-percentile under-estimate for ``"calibrated"``). Not applied to roads or a matrix."""

    @model_validator(mode="after")
    def _one_source(self) -> TravelConfig:
        if self.roads and self.matrix:
            raise ValueError("give roads or matrix, not both")
        return self


class RegionConfig(_Strict):
    """The validated content of ``region.toml``."""

    key: Annotated[str, Field(pattern=r"^[a-z0-9_-]+$")]
    name: str = Field(min_length=1)
    province_codes: list[Annotated[str, Field(pattern=PROVINCE_CODE)]] = Field(min_length=1)
    regency_codes: list[Annotated[str, Field(pattern=REGENCY_CODE)]] = Field(min_length=1)
    crs_metric: str
    timezone: str
    timezone_label: Literal["WIB", "WITA", "WIT"]
    notes: list[str] = Field(default_factory=list)
    estimate: EstimateConfig
    terrain: TerrainConfig = Field(default_factory=TerrainConfig)
    island_sites: list[IslandSiteConfig] = Field(default_factory=list)
    files: FilesConfig = Field(default_factory=FilesConfig)
    travel: TravelConfig = Field(default_factory=TravelConfig)
    sea: SeaConfig = Field(default_factory=SeaConfig)

    @field_validator("crs_metric")
    @classmethod
    def _metric_crs(cls, value: str) -> str:
        try:
            crs = CRS.from_user_input(value)
        except CRSError as exc:
            raise ValueError(f"unknown CRS {value!r}") from exc
        if not crs.is_projected:
            raise ValueError(f"{value} is not a projected (metric) CRS")
        return value

    @field_validator("timezone")
    @classmethod
    def _iana_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _regencies_in_provinces(self) -> RegionConfig:
        stray = [c for c in self.regency_codes if c[:2] not in self.province_codes]
        if stray:
            raise ValueError(f"regency_codes {stray} are not in province_codes")
        return self

    @model_validator(mode="after")
    def _estimate_regencies_known(self) -> RegionConfig:
        stray = [
            r.kode_kab for r in self.estimate.regencies if r.kode_kab not in self.regency_codes
        ]
        if stray:
            raise ValueError(f"estimate.regencies: {stray} are not in regency_codes")
        return self


def read_region_config(path: Path) -> RegionConfig:
    """Read and validate a ``region.toml``.

    Raises
    ------
    RegionError
        One line per problem, each naming the file and the key.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegionError(f"{path}: cannot read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RegionError(f"{path}: not valid TOML ({exc})") from exc
    try:
        return RegionConfig.model_validate(data)
    except ValidationError as exc:
        raise RegionError([_pydantic_line(path, err) for err in exc.errors()]) from exc


def read_files_config(path: Path) -> FilesConfig | None:
    """The ``[files]`` table of a ``region.toml`` alone, ``None`` if it cannot be read.

    Used after the whole file failed validation, so the other files are still looked for by
    the names the region gives them (no false "file not found" for a renamed or absent file).
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return FilesConfig.model_validate(data.get("files", {}))
    except (OSError, tomllib.TOMLDecodeError, ValidationError, AttributeError):
        return None


def _pydantic_line(path: Path, err: Any) -> str:
    where = ".".join(str(p) for p in err["loc"]) or "(top level)"
    if err["type"] == "extra_forbidden":
        return f"{path}: unknown key '{where}' (check the spelling; see docs/CONTRACTS.md)"
    return f"{path}: {where}: {err['msg']}"
