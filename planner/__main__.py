"""``python -m planner`` runs the ``jemput`` command line."""

from planner.app.cli import main

main()
