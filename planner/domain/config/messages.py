"""Error messages for config files: pydantic errors rewritten as one plain line each.

Each line names the file and the field path, e.g.
``teams.toml: teams[2].kits: must be at least 1 (got 0)``; unknown keys list the allowed keys
and a close match; wrong types show the value found.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ValidationError

_TYPE_WORDS: dict[str, str] = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a text in quotes",
    "list_type": "a list [ ... ]",
    "tuple_type": "a list [ ... ]",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "dict_type": "a table",
    "date_type": "a date like 2017-11-13",
}


def _show(value: object) -> str:
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _loc_path(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if args else tp
            if len(args) <= 1:
                continue
            return tp
        else:
            return tp


def _type_at(root: type[BaseModel], loc: Sequence[int | str]) -> Any:
    tp: Any = root
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int):
            if typing.get_origin(tp) in (list, tuple):
                tp = typing.get_args(tp)[0]
            else:
                return None
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(part)
            if field is None:
                return None
            tp = field.annotation
        else:
            return None
    return _unwrap(tp)


def _unknown_key_message(root: type[BaseModel], loc: Sequence[int | str]) -> str:
    key = str(loc[-1]) if loc else "?"
    parent = _type_at(root, loc[:-1])
    if not (isinstance(parent, type) and issubclass(parent, BaseModel)):
        return f"unknown key '{key}'"
    allowed = list(parent.model_fields)
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown key '{key}'{hint} (allowed: {', '.join(allowed)})"


def _error_message(err: Mapping[str, Any], root: type[BaseModel]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    got = _show(err.get("input"))
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return _unknown_key_message(root, err.get("loc", ()))
    if kind in _TYPE_WORDS:
        return f"must be {_TYPE_WORDS[kind]} (got {got})"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')} (got {got})"
    if kind == "greater_than":
        return f"must be greater than {ctx.get('gt')} (got {got})"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')} (got {got})"
    if kind == "less_than":
        return f"must be less than {ctx.get('lt')} (got {got})"
    if kind == "finite_number":
        return f"must be a finite number (got {got})"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return f"must have at least {n} item{'s' if n != 1 else ''}"
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length')} items"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')} (got {got})"
    if kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error", err.get("msg", "")))
        return re.sub(r"^(Value|Assertion) error, ", "", message)
    return str(err.get("msg", "invalid value"))


def _format_errors(exc: ValidationError, root: type[BaseModel], source: str) -> list[str]:
    lines: list[str] = []
    for err in exc.errors():
        path = _loc_path(err.get("loc", ()))
        message = _error_message(err, root)
        line = f"{source}: {path}: {message}" if path else f"{source}: {message}"
        if line not in lines:
            lines.append(line)
    return lines


def _short_list(items: Sequence[str], limit: int = 12) -> str:
    if not items:
        return "(none)"
    shown = ", ".join(items[:limit])
    return shown + (f", … ({len(items)} in all)" if len(items) > limit else "")
