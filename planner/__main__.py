"""``python -m planner`` runs the ``jemput`` command line."""

from planner.cli import main

main()
