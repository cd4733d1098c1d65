"""Shared fixtures: bundled regions and their classification, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def banten():  # type: ignore[no-untyped-def]
    """The bundled Banten region."""
    from planner.io.region import load_region

    return load_region("banten")


@pytest.fixture(scope="session")
def sarolangun():  # type: ignore[no-untyped-def]
    """The bundled Sarolangun (Jambi 15.03) region."""
    from planner.io.region import load_region

    return load_region("sarolangun")


@pytest.fixture(scope="session")
def banten_classified(banten):  # type: ignore[no-untyped-def]
    """Banten villages classified with the default travel model."""
    from planner.geo.region_classes import classify_region

    return classify_region(banten)


@pytest.fixture(scope="session")
def sarolangun_classified(sarolangun):  # type: ignore[no-untyped-def]
    """Sarolangun villages classified with the default travel model."""
    from planner.geo.region_classes import classify_region

    return classify_region(sarolangun)


@pytest.fixture(autouse=True)
def _fresh_interrupt_state():  # type: ignore[no-untyped-def]
    """Signal state is process-wide: a test that simulates Ctrl-C must not stop later searches."""
    from planner.core import interrupt

    interrupt.reset()
    yield
    interrupt.reset()
