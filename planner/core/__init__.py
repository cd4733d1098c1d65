"""Process-wide basics every layer may use: the error hierarchy and signal handling.

The bottom layer: it imports nothing else of the planner (docs/ARCHITECTURE.md).
"""
