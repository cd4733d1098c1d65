"""Reading and validating config files: TOML in, models out, overrides merged.

:func:`validate_config` turns every problem in a file into one line of one
:class:`~planner.core.errors.ConfigError` (wording in :mod:`planner.domain.config.messages`);
:func:`apply_overrides` deep-merges scenario overrides on a loaded model and validates again.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from planner.core.errors import ConfigError
from planner.domain.config.calendar import CalendarConfig
from planner.domain.config.fields import M, _Model
from planner.domain.config.messages import _format_errors, _show
from planner.domain.config.policy import Policy, SolverSettings
from planner.domain.config.teams import TeamsConfig


def read_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML file; a missing or unparsable file is a :class:`ConfigError`."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, expected a TOML file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def validate_config(model_cls: type[M], data: object, source: str) -> M:
    """Validate ``data`` as ``model_cls``; every problem goes into one ConfigError.

    Parameters
    ----------
    model_cls
        One of the models of this module.
    data
        The parsed TOML (a dict).
    source
        File name put at the start of every message.
    """
    if not isinstance(data, Mapping):
        raise ConfigError(f"{source}: expected a table of settings (got {_show(data)})")
    raw = copy.deepcopy(dict(data))
    try:
        model = model_cls.model_validate(copy.deepcopy(raw))
    except ValidationError as exc:
        lines = _format_errors(exc, model_cls, source)
        raw_check = getattr(model_cls, "_raw_problems", None)
        for path, message in raw_check(raw) if raw_check else []:
            line = f"{source}: {path}: {message}"
            if line not in lines:
                lines.append(line)
        raise ConfigError(lines) from None
    if isinstance(model, _Model):
        model._raw = raw
    return model


def teams_from_dict(data: object, source: str = "teams.toml") -> TeamsConfig:
    """Validate parsed ``teams.toml`` content."""
    return validate_config(TeamsConfig, data, source)


def policy_from_dict(data: object, source: str = "policy.toml") -> Policy:
    """Validate parsed ``policy.toml`` content."""
    return validate_config(Policy, data, source)


def calendar_from_dict(data: object, source: str = "calendar") -> CalendarConfig:
    """Validate a ``[calendar]`` table on its own."""
    return validate_config(CalendarConfig, data, source)


def solver_from_dict(data: object, source: str = "solver") -> SolverSettings:
    """Validate a ``[solver]`` table on its own."""
    return validate_config(SolverSettings, data, source)


def load_teams(path: str | Path) -> TeamsConfig:
    """Load and validate ``teams.toml``.

    Examples
    --------
    >>> teams = load_teams("examples/banten/teams.toml")  # doctest: +SKIP
    >>> teams.team("serang-pulau").boat  # doctest: +SKIP
    True
    """
    return teams_from_dict(read_toml(path), str(path))


def load_policy(path: str | Path | None = None) -> Policy:
    """Load and validate ``policy.toml``; ``None`` gives every default."""
    if path is None:
        return Policy()
    return policy_from_dict(read_toml(path), str(path))


def load_calendar(path: str | Path | None = None) -> CalendarConfig:
    """The ``[calendar]`` table of a policy file (the whole file is validated)."""
    return load_policy(path).calendar


def load_solver(path: str | Path | None = None) -> SolverSettings:
    """The ``[solver]`` table of a policy file (the whole file is validated)."""
    return load_policy(path).solver


def apply_overrides(model: M, overrides: Mapping[str, Any], *, source: str = "overrides") -> M:
    """Deep-merge ``overrides`` on a model's settings and validate the result again.

    Tables merge key by key; a list of tables that all carry an ``id`` (``teams``) merges
    entry by entry on that id, and entries with a new id are appended; any other value,
    lists included, is replaced. A model loaded from a file merges onto what the file said,
    so an override of ``defaults.kits`` in ``teams.toml`` reaches every team that did not
    set its own.

    Parameters
    ----------
    model
        A loaded model (:class:`TeamsConfig`, :class:`Policy`, …); it is not changed.
    overrides
        Nested dict, e.g. ``{"turnout": 0.7, "calendar": {"shifts": {"sabtu": {...}}}}``.
    source
        Name used in error messages, e.g. the scenario file.

    Returns
    -------
    A new model of the same type.
    """
    if not isinstance(overrides, Mapping):
        raise ConfigError(f"{source}: overrides must be a table (got {_show(overrides)})")
    raw = model._raw if isinstance(model, _Model) else None
    if raw is not None:
        try:  # a model changed after loading (model_copy) no longer matches its file
            if type(model).model_validate(copy.deepcopy(raw)) != model:
                raw = None
        except ValidationError:
            raw = None
    base = (
        copy.deepcopy(raw)
        if raw is not None
        else model.model_dump(mode="python", exclude_unset=True)
    )
    merged = _deep_merge(base, overrides)
    return validate_config(type(model), merged, source)


def _deep_merge(base: Any, override: Any) -> Any:
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        out = dict(base)
        for key, value in override.items():
            out[key] = _deep_merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    if _is_id_list(base) and _is_id_list(override):
        out_list = [dict(item) for item in base]
        index = {item["id"]: i for i, item in enumerate(out_list)}
        for item in override:
            if item["id"] in index:
                i = index[item["id"]]
                out_list[i] = _deep_merge(out_list[i], item)
            else:
                index[item["id"]] = len(out_list)
                out_list.append(copy.deepcopy(dict(item)))
        return out_list
    return copy.deepcopy(override)


def _is_id_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, Mapping) and isinstance(v.get("id"), str) for v in value)
    )
