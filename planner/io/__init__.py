"""Reading and checking what users give (region folders, registries, teams and policy files) and
writing output folders atomically.

Imports only :mod:`planner.domain` and :mod:`planner.core` (docs/ARCHITECTURE.md).
"""
