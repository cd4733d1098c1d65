"""Error hierarchy: every known failure is a :class:`PlannerError`.

The CLI turns a ``PlannerError`` into one ``ERROR: ...`` line per problem and exit code 2;
library code never prints or exits.
"""

from __future__ import annotations

from collections.abc import Iterable


class PlannerError(Exception):
    """A failure the user can act on.

    Parameters
    ----------
    problems
        One message per problem. A single string is accepted for the common case.
    """

    def __init__(self, problems: str | Iterable[str]) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        if not self.problems:
            self.problems = ["unknown error"]
        super().__init__("\n".join(self.problems))


class InputError(PlannerError):
    """A user-supplied file (registry, CSV, GeoPackage) is unreadable or invalid."""


class ConfigError(PlannerError):
    """A TOML configuration (teams, policy, scenario, region) is invalid."""


class RegionError(PlannerError):
    """A region folder is missing or incomplete."""


class TravelError(PlannerError):
    """Travel times cannot be computed (missing matrix pairs, bad OSM extract)."""


class RoutingError(PlannerError):
    """The routing model could not be built or solved."""


class ProblemCollector:
    """Collect validation problems, then raise them all at once.

    Examples
    --------
    >>> problems = ProblemCollector("registry.csv")
    >>> problems.add("negative count", row=3, column="wajib_ktp")
    >>> problems.raise_if_any(InputError)  # doctest: +SKIP
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        """Record one problem, located by file, row (1-based, header = 1) and column."""
        where = [self.source]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        self.items.append(f"{', '.join(where)}: {message}")

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self, error_type: type[PlannerError] = PlannerError) -> None:
        """Raise ``error_type`` listing every recorded problem, if there is any."""
        if self.items:
            raise error_type(self.items)
