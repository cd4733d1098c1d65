"""What-if scenarios and the road to completion: compare configurations, project weeks ahead.

>>> from planner.scenarios import read_scenario, plan_week_from, project  # doctest: +SKIP
"""

from planner.scenarios.model import (
    Scenario,
    ScenarioFile,
    UnitCosts,
    base_scenario,
    read_scenario,
    resolve_scenario,
)
from planner.scenarios.warmstart import plan_week_from

__all__ = [
    "Scenario",
    "ScenarioFile",
    "UnitCosts",
    "base_scenario",
    "plan_week_from",
    "read_scenario",
    "resolve_scenario",
]
