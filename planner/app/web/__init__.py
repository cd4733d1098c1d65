"""``jemput app``: the offline web app (Shiny for Python) over the library's jobs.

Modules: :mod:`~planner.app.web.command` (the ``jemput app`` command, light to import),
:mod:`~planner.app.web.serve` (uvicorn, clean stop), :mod:`~planner.app.web.app` (the Shiny
app), one ``page_*.py`` per tab, :mod:`~planner.app.web.worker` (jobs in worker processes),
:mod:`~planner.app.web.teams_table` and :mod:`~planner.app.web.scenario_form` (the pages' plain
logic), :mod:`~planner.app.web.security` and
:mod:`~planner.app.web.context`. This ``__init__`` imports nothing, so registering the command
keeps ``jemput --help`` fast.
"""
