"""The error of :mod:`planner.present.maps`: a map cannot be made safe and self-contained."""

from __future__ import annotations

from planner.core.errors import PlannerError


class OfflineMapError(PlannerError):
    """A map cannot be made self-contained (unvendored asset, bad legend colour, ...)."""
