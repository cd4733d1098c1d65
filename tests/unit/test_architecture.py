"""The house stays one-way: no import cycle, no cycle-dodging local import, small modules.

The layer order itself (``app`` over ``present`` over ... over ``core``) is an import-linter
contract in ``pyproject.toml``, run by ``make lint`` (``lint-imports``); this test walks the
same imports with :mod:`ast` and checks what a layer contract does not: cycles between
modules of one layer, imports hidden inside functions, and modules that grew too long.
See docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "planner"

#: modules that import the library inside command bodies on purpose: ``jemput --help`` and
#: argument errors stay fast because OR-Tools, GeoPandas and Folium load only when a command runs
LAZY_IMPORTERS = {
    "planner.app.commands",
    "planner.app.scenario_commands",
    "planner.app.target_command",
    "planner.app.web.command",
}

MAX_LINES = 400
"""A module longer than this says at its top why (a line starting ``Long module:``)."""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imported(
    node: ast.Import | ast.ImportFrom, modules: dict[str, Path], importer: str = ""
) -> set[str]:
    """The planner modules an import statement loads (a package's ``__init__`` included).

    Importing ``a.b.c`` from outside package ``a.b`` first runs ``a/b/__init__.py``: that is an
    edge too (``maps.kecamatan`` → ``reports.announce`` ran ``reports/__init__``, which imports
    ``reports.pages`` → ``maps.kecamatan``: ``import planner.present.maps.kecamatan`` alone
    failed). From inside the package, its ``__init__`` is already running: no edge.
    """
    names = (
        [a.name for a in node.names]
        if isinstance(node, ast.Import)
        else [f"{node.module}.{a.name}" for a in node.names] + [str(node.module)]
    )
    out: set[str] = set()
    for name in names:
        if not name.startswith("planner."):
            continue
        while name not in modules and "." in name:
            name = name.rsplit(".", 1)[0]
        if name in modules and name != "planner":
            out.add(name)
            parts = name.split(".")
            for k in range(2, len(parts)):
                package = ".".join(parts[:k])
                if package in modules and not importer.startswith(package + "."):
                    out.add(package)
    return out


def _graph() -> tuple[dict[str, set[str]], list[str]]:
    """Module -> planner modules it imports; and every function-local planner import."""
    modules = _modules()
    edges: dict[str, set[str]] = {m: set() for m in modules}
    local: list[str] = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                targets = _imported(node, modules, name)
                edges[name] |= targets - {name}
                if targets and node.col_offset > 0:
                    local.append(f"{name}:{node.lineno} imports {', '.join(sorted(targets))}")
    return edges, local


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_the_checker_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_planner_modules() -> None:
    edges, _ = _graph()
    assert _cycles(edges) == []


def test_no_function_local_planner_imports() -> None:
    _, local = _graph()
    hidden = [line for line in local if line.split(":")[0] not in LAZY_IMPORTERS]
    assert hidden == []


def test_no_type_checking_only_planner_imports() -> None:
    found = []
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        if "if TYPE_CHECKING:" in text:
            found.append(name)
    assert found == []


@pytest.mark.parametrize("name", sorted(_modules()))
def test_a_long_module_says_why(name: str) -> None:
    path = _modules()[name]
    text = path.read_text(encoding="utf-8")
    if len(text.splitlines()) <= MAX_LINES:
        return
    docstring = ast.get_docstring(ast.parse(text)) or ""
    assert "Long module:" in docstring, f"{path}: {len(text.splitlines())} lines, no reason given"
