"""Solomon VRPTW instances (LKH-3 text format) → :class:`planner.routing.RoutingProblem`.

Conventions follow ``../shared/vrp-instances/README.md``: node 0 is the depot, nodes 1..100
are Solomon customers 1..100 (file id − 1); travel time = real Euclidean distance; service
must start within the customer's window (waiting allowed); routes end at the depot by its
due time; the objective is hierarchical (vehicles, then distance), which the model gets from
a fixed cost per vehicle larger than any total distance.

This module also holds an *independent* feasibility check and the real-valued distance, both
written from the README alone (no planner code), so the benchmark does not grade the planner
with the planner's own checker only.
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from planner.routing import RoutingProblem, Vehicle, Visit

#: Time and distance are multiplied by this for the integer solver (as in ANCHORS.md).
TIME_SCALE = 100.0
#: Cost of one used vehicle in objective units (×100 distance): 10,000 distance units,
#: more than any Solomon total distance, so vehicles are minimised first.
VEHICLE_FIXED_COST = 1_000_000
#: Penalty of leaving a customer out when customers are optional: above the cost of a whole
#: extra vehicle, so serving is always preferred.
DROP_PENALTY = 100_000_000


@dataclass(frozen=True)
class SolomonInstance:
    """One instance, with Solomon ids (0 = depot)."""

    name: str
    vehicles_file: int
    capacity: int
    xy: np.ndarray
    demand: np.ndarray
    service: np.ndarray
    ready: np.ndarray
    due: np.ndarray

    @property
    def family(self) -> str:
        """C1, C2, R1, R2, RC1 or RC2."""
        return self.name.rstrip("0123456789") + self.name.lstrip("RC")[0]

    def distances(self) -> np.ndarray:
        """Real Euclidean distance matrix (= travel time)."""
        diff = self.xy[:, None, :] - self.xy[None, :, :]
        return np.sqrt((diff**2).sum(axis=-1))


def read_instance(path: Path) -> SolomonInstance:
    """Parse an LKH-3 ``.vrptw`` file."""
    header: dict[str, str] = {}
    sections: dict[str, list[list[float]]] = {}
    current = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if line.endswith("_SECTION"):
            current = line
            sections[current] = []
        elif ":" in line and current is None:
            key, value = line.split(":", 1)
            header[key.strip()] = value.strip()
        elif current is not None:
            sections[current].append([float(x) for x in line.split()])
    n = int(header["DIMENSION"])

    def column(section: str, width: int) -> np.ndarray:
        rows = sorted(sections[section], key=lambda r: r[0])
        return np.asarray([r[1 : 1 + width] for r in rows[:n]], dtype=float)

    service = np.full(n, float(header.get("SERVICE_TIME", 0)))
    service[0] = 0.0
    windows = column("TIME_WINDOW_SECTION", 2)
    return SolomonInstance(
        name=header["NAME"],
        vehicles_file=int(header["VEHICLES"]),
        capacity=int(header["CAPACITY"]),
        xy=column("NODE_COORD_SECTION", 2),
        demand=column("DEMAND_SECTION", 1)[:, 0].astype(int),
        service=service,
        ready=windows[:, 0],
        due=windows[:, 1],
    )


def read_bks(path: Path) -> dict[str, tuple[int, float]]:
    """Best-known (vehicles, distance) per instance from ``solomon_bks.csv``."""
    with path.open(newline="") as handle:
        return {
            row["instance"]: (int(row["vehicles"]), float(row["distance"]))
            for row in csv.DictReader(handle)
        }


def to_problem(instance: SolomonInstance, fleet: int, *, mandatory: bool) -> RoutingProblem:
    """The instance as a planner routing problem.

    Parameters
    ----------
    instance
        A parsed instance.
    fleet
        Number of identical vehicles.
    mandatory
        True: every customer must be served (the solver may find no solution). False: each
        customer is optional with :data:`DROP_PENALTY`, so a solution always exists.
    """
    vehicles = tuple(
        Vehicle(
            id=f"veh{k}",
            start_node=0,
            end_node=0,
            shift_start=float(instance.ready[0]),
            shift_end=float(instance.due[0]),
            capacity=instance.capacity,
            fixed_cost=VEHICLE_FIXED_COST,
        )
        for k in range(fleet)
    )
    visits = tuple(
        Visit(
            id=str(c),
            node=c,
            penalty=None if mandatory else DROP_PENALTY,
            service_minutes=float(instance.service[c]),
            demand=int(instance.demand[c]),
            time_window=(float(instance.ready[c]), float(instance.due[c])),
        )
        for c in range(1, len(instance.xy))
    )
    return RoutingProblem(
        visits=visits,
        vehicles=vehicles,
        minutes={"default": instance.distances()},
        time_scale=TIME_SCALE,
    )


def route_distance(instance: SolomonInstance, routes: Sequence[Sequence[int]]) -> float:
    """Total real Euclidean distance of ``routes`` (customer ids, depot implicit)."""
    d = instance.distances()
    total = 0.0
    for route in routes:
        if route:
            path = [0, *route, 0]
            total += sum(float(d[a, b]) for a, b in itertools.pairwise(path))
    return total


def check_routes(
    instance: SolomonInstance, routes: Sequence[Sequence[int]], fleet: int
) -> list[str]:
    """Solomon feasibility in real arithmetic, from the README's rules only.

    Earliest-start schedule per route: service starts at max(arrival, ready) and must start by
    due; back at the depot by its due time; load ≤ capacity; routes ≤ fleet; every customer
    exactly once.
    """
    d = instance.distances()
    errors = []
    used = [r for r in routes if r]
    if len(used) > fleet:
        errors.append(f"{len(used)} routes for a fleet of {fleet}")
    seen = [c for r in used for c in r]
    if sorted(seen) != list(range(1, len(instance.xy))):
        missing = sorted(set(range(1, len(instance.xy))) - set(seen))
        errors.append(f"customers not served exactly once (missing {missing[:10]})")
    for k, route in enumerate(used):
        load = int(sum(instance.demand[c] for c in route))
        if load > instance.capacity:
            errors.append(f"route {k}: load {load} > {instance.capacity}")
        t, here = float(instance.ready[0]), 0
        for c in route:
            t = max(t + float(d[here, c]), float(instance.ready[c]))
            if t > instance.due[c] + 1e-9:
                errors.append(f"route {k}: customer {c} starts at {t:.4f} > due {instance.due[c]}")
            t += float(instance.service[c])
            here = c
        t += float(d[here, 0])
        if t > instance.due[0] + 1e-9:
            errors.append(f"route {k}: back at {t:.4f} > horizon {instance.due[0]}")
    return errors


def gap_percent(distance: float, bks_distance: float) -> float:
    """(distance − BKS) / BKS in %; NaN when the BKS is 0."""
    if not bks_distance:
        return math.nan
    gap = 100.0 * (distance - bks_distance) / bks_distance
    return 0.0 if abs(gap) < 5e-3 else gap
