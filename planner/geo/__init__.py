"""Geography and demand: village classes and visit sites, the labelled per-village estimate,
demand per site, the ``jemput locate`` result.

Imports :mod:`planner.travel` (``terpencil`` is a travel time) and the layers below it.
"""
