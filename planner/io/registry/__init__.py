"""Load and validate a registry of e-KTP recording counts per village.

Coordinators bring whatever their spreadsheets hold: CSV with commas, semicolons or tabs, in
UTF-8, UTF-8 with BOM, UTF-16 or Windows-1252; Excel workbooks with title rows and two-row
headers; village codes with or without dots; numbers with thousands separators; or one row per
person. :func:`load_registry` reads all of these into one :class:`Registry` of integer counts
per village, records every interpretation it made in ``Registry.notes``, and otherwise collects
every problem and raises one :class:`~planner.core.errors.InputError` that lists them with the file
row (as a spreadsheet shows it, header rows included) and column.

Privacy: in a person-level file, NIK, names and birth dates never leave :func:`load_registry`.
They are not in the returned object, and error messages about person-level rows quote the row
number, never a cell value (village codes excepted: they are not personal).

Modules, by concern: :mod:`~planner.io.registry.sheets` (decoding, CSV sniffing, .xlsx),
:mod:`~planner.io.registry.header` (header row, column mapping), :mod:`~planner.io.registry.cells`
(codes, counts, flags, dates), :mod:`~planner.io.registry.columns` (names, aliases, limits),
:mod:`~planner.io.registry.validation` (checks and notes), :mod:`~planner.io.registry.persons`
(person-level aggregation), :mod:`~planner.io.registry.counts` (:class:`Registry`, CSV output)
and :mod:`~planner.io.registry.loading` (:func:`load_registry`).
"""

from planner.io.registry.cells import Cell as Cell
from planner.io.registry.cells import _parse_count as _parse_count  # used by the tests
from planner.io.registry.columns import (
    COUNT_COLUMNS,
    ESTIMATE_STATUS,
    LANSIA_AGE,
    MAX_VILLAGE_COUNT,
    OPTIONAL_COLUMNS,
    PEMULA_BELOW_AGE,
)
from planner.io.registry.counts import Registry, save_registry_csv
from planner.io.registry.loading import load_registry

__all__ = [
    "COUNT_COLUMNS",
    "ESTIMATE_STATUS",
    "LANSIA_AGE",
    "MAX_VILLAGE_COUNT",
    "OPTIONAL_COLUMNS",
    "PEMULA_BELOW_AGE",
    "Registry",
    "load_registry",
    "save_registry_csv",
]
