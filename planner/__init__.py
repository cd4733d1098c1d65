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
    "PlannerError": "planner.errors",
    "Region": "planner.region",
    "load_region": "planner.region",
    "list_regions": "planner.region",
    "classify_villages": "planner.geography",
    "classify_region": "planner.pipeline",
    "estimate_registry": "planner.pipeline",
    "travel_model_for": "planner.pipeline",
    "run_locate": "planner.pipeline",
    "run_plan": "planner.pipeline",
    "Registry": "planner.inputs",
    "load_registry": "planner.inputs",
    "load_teams": "planner.config",
    "load_policy": "planner.config",
    "Policy": "planner.config",
    "TeamsConfig": "planner.config",
    "working_days": "planner.calendar",
    "EstimateTravelModel": "planner.travel",
    "WeekPlan": "planner.plan",
    "plan_week": "planner.plan",
    "verify_plan": "planner.verify",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    """Import a public name on first use."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'planner' has no attribute {name!r}")
