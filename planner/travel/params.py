"""Speeds, circuity and access legs of the estimate travel model, with their sources.

Every default is a round figure with the reasoning next to it. A region (``region.toml``) or a
scenario may override any of them; :class:`TravelParams` validates the result once.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from planner.travel.types import Mode, Terrain


def _per_mode(mobil: float, motor: float, jalan_kaki: float, perahu: float) -> dict[Mode, float]:
    return {Mode.mobil: mobil, Mode.motor: motor, Mode.jalan_kaki: jalan_kaki, Mode.perahu: perahu}


def _per_terrain(kota: float, desa: float, hutan: float) -> dict[Terrain, float]:
    return {Terrain.kota: kota, Terrain.desa: desa, Terrain.hutan: hutan}


class TravelParams(BaseModel):
    """Parameters of :class:`~planner.travel.EstimateTravelModel`.

    The estimate is ``access(a) + access(b) + trunk(a, b)``: a trunk leg along the road network
    between the two places (straight-line or over-land detour distance x circuity, at the
    mode's trunk speed) plus, at each end, an access leg off the trunk road whose length
    depends on the place's terrain and whose speed depends on terrain and mode.

    Examples
    --------
    >>> p = TravelParams()
    >>> p.trunk_speed_kmh["mobil"]
    38.0
    >>> TravelParams(trunk_speed_kmh={"mobil": 30.0}).trunk_speed_kmh["motor"]
    42.0
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    trunk_speed_kmh: dict[Mode, float] = Field(
        default_factory=lambda: _per_mode(mobil=38.0, motor=42.0, jalan_kaki=4.5, perahu=15.0)
    )
    """Average speed on the trunk leg. Car 38 km/h: rural Java provincial/kabupaten roads are
    driven at 30-40 km/h door to door (mixed traffic, markets, speed bumps; BPS/Kemenhub
    average rural travel speed ~35 km/h). Motorbike 42 km/h: a bit faster, it filters through
    traffic and takes village shortcuts. Walking 4.5 km/h (flat-ground walking speed ~5 km/h,
    less with equipment). Boat 15 km/h: small wooden motor boats (perahu motor, 8 knots)."""

    circuity: dict[Mode, float] = Field(
        default_factory=lambda: _per_mode(mobil=1.35, motor=1.3, jalan_kaki=1.25, perahu=1.1)
    )
    """Road distance / straight-line distance. 1.3-1.4 is the range measured for rural road
    networks in Indonesia and other developing regions (Ballou et al. 2002 report 1.3-1.4 for
    national networks; sparse rural grids sit at the high end). Motorbikes and walkers use
    smaller paths (lower circuity); boats steer round reefs and headlands (1.1)."""

    access_km: dict[Terrain, float] = Field(
        default_factory=lambda: _per_terrain(kota=0.5, desa=2.0, hutan=5.0)
    )
    """Length of the access leg from the trunk road to the visit point (balai desa). A
    kelurahan office is on a street (0.5 km); a desa office 1-3 km off the kabupaten road;
    hilly/forest villages (Lebak south, Pandeglang west) 3-8 km of poor road."""

    access_speed_kmh: dict[Mode, dict[Terrain, float]] = Field(
        default_factory=lambda: {
            # Urban streets ~20 km/h, village roads ~25 km/h, damaged/steep roads ~12 km/h.
            Mode.mobil: _per_terrain(kota=20.0, desa=25.0, hutan=12.0),
            # Motorbikes cope better with narrow and damaged village roads.
            Mode.motor: _per_terrain(kota=22.0, desa=28.0, hutan=18.0),
            # Walking slows on steep forest paths (~3 km/h).
            Mode.jalan_kaki: _per_terrain(kota=4.5, desa=4.5, hutan=3.0),
            # perahu has no access leg (it lands on the shore); kept for completeness.
            Mode.perahu: _per_terrain(kota=15.0, desa=15.0, hutan=15.0),
        }
    )
    """Speed on the access leg, per mode and terrain."""

    boarding_minutes: float = 30.0
    """Waiting, loading the recording kit and generator, boarding and landing per boat trip
    (one-way). Small public boats leave when full; a chartered boat still needs ~30 min."""

    detour_grid_km: float = 2.0
    """Cell size of the land raster used to route around bays (see ``landgrid``). 2 km
    resolves Teluk Banten (~15 km across) and the Ujung Kulon bays (5-10 km) and keeps the
    Banten build (~1,750 places) around 1 s; 1.5 km doubles the Dijkstra time."""

    slack_pct: float = 0.0
    """Reserve added to every estimated land leg, in % of its minutes (``[travel] slack_pct``).
    Off by default: the observed trips that measure the error are mostly long inter-town
    trips, and padding every short hop between villages by their 90th percentile (+78 % for
    the default figures) would buy a promise the data cannot support at the cost of visits.
    The error is shown instead (``error_p90_pct``)."""

    error_p90_pct: float | None = 57.0
    """90th-percentile absolute error of the estimated minutes on held-back observed trips, in %
    (``benchmarks/travel_calibration.py``, BENCHMARKS.md section 10: 57.2 % for the default
    figures on 27 trips). Outputs announce times as "perkiraan waktu tempuh ± N %";
    ``None``: not measured."""

    calibration: str | None = None
    """Where the figures come from when they were fitted (``jemput check-travel --fit``)."""

    @model_validator(mode="before")
    @classmethod
    def _merge_defaults(cls, data: Any) -> Any:
        """Partial overrides keep the defaults of the modes/terrains they do not name."""
        if not isinstance(data, dict):
            return data
        merged = dict(data)
        for name in ("trunk_speed_kmh", "circuity", "access_km", "access_speed_kmh"):
            if name not in data or not isinstance(data[name], dict):
                continue
            factory = cls.model_fields[name].default_factory
            base: dict[Any, Any] = {str(k): v for k, v in factory().items()}  # type: ignore[call-arg,misc]
            for key, value in data[name].items():
                if name == "access_speed_kmh" and isinstance(value, dict):
                    inner = {str(k): v for k, v in base.get(str(key), {}).items()}
                    inner.update({str(k): v for k, v in value.items()})
                    base[str(key)] = inner
                else:
                    base[str(key)] = value
            merged[name] = base
        return merged

    def model_post_init(self, context: object, /) -> None:
        """Check that every mode/terrain has a positive figure."""
        problems: list[str] = []
        for name in ("trunk_speed_kmh", "circuity"):
            table = getattr(self, name)
            for mode in Mode:
                if mode not in table:
                    problems.append(f"{name}: missing mode '{mode}'")
                elif not table[mode] > 0:
                    problems.append(f"{name}[{mode}] must be > 0, got {table[mode]}")
        for terrain in Terrain:
            if terrain not in self.access_km or self.access_km[terrain] < 0:
                problems.append(f"access_km[{terrain}] must be given and >= 0")
        for mode in Mode:
            speeds = self.access_speed_kmh.get(mode, {})
            for terrain in Terrain:
                if not speeds.get(terrain, 0) > 0:
                    problems.append(f"access_speed_kmh[{mode}][{terrain}] must be > 0")
        if self.boarding_minutes < 0:
            problems.append("boarding_minutes must be >= 0")
        if not 0 <= self.slack_pct <= 200:
            problems.append(f"slack_pct must be between 0 and 200, got {self.slack_pct}")
        if self.error_p90_pct is not None and not 0 <= self.error_p90_pct <= 1000:
            problems.append(f"error_p90_pct must be between 0 and 1000, got {self.error_p90_pct}")
        if not self.detour_grid_km > 0:
            problems.append("detour_grid_km must be > 0")
        if problems:
            raise ValueError("; ".join(problems))
