"""One week of work: prepare (vehicles, demand, chunks, groups, bases), solve, finish (queue
limits, day fill, schedule, reasons), re-plan, verify, the greedy baseline and plan.json.

Imports :mod:`planner.routing`, :mod:`planner.geo`, :mod:`planner.travel` and the layers below.
"""
