"""The ``jemput`` command line and the end-to-end jobs behind it (the top layer)."""
