"""jemput-bola: plan mobile e-KTP recording teams (jemput bola) for Disdukcapil offices.

The public API is re-exported lazily (importing ``planner`` stays cheap for the CLI):

>>> import planner
>>> region = planner.load_region("banten")  # doctest: +SKIP
>>> classified = planner.classify_region(region)  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "PlannerError": "planner.core.errors",
    "Region": "planner.io.region",
    "load_region": "planner.io.region",
    "list_regions": "planner.io.region",
    "classify_villages": "planner.geo.classify",
    "classify_region": "planner.geo.region_classes",
    "estimate_registry": "planner.geo.estimate",
    "travel_model_for": "planner.travel.regional",
    "run_locate": "planner.app.jobs",
    "run_plan": "planner.app.jobs",
    "Registry": "planner.io.registry",
    "load_registry": "planner.io.registry",
    "load_teams": "planner.domain.config",
    "load_policy": "planner.domain.config",
    "Policy": "planner.domain.config",
    "TeamsConfig": "planner.domain.config",
    "working_days": "planner.domain.workdays",
    "EstimateTravelModel": "planner.travel",
    "WeekPlan": "planner.week.types",
    "WeekInputs": "planner.week.types",
    "plan_week": "planner.week.plan",
    "verify_plan": "planner.week.verify",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    """Import a public name on first use."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'planner' has no attribute {name!r}")
