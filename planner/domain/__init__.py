"""Plain, validated types the planner speaks in: settings (teams, policy, calendar, region.toml)
and the working calendar.

Imports only :mod:`planner.core` (docs/ARCHITECTURE.md).
"""
