"""Sub-commands of ``jemput``; each one parses options and calls library functions."""

from __future__ import annotations
