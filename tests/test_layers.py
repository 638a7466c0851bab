"""The package layering of portal/: no import cycles between packages, and the foundation imports no area.

Read from the source with `ast`, so imports inside functions count too; imports under
`if TYPE_CHECKING:` are for type hints only and are left out.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"
FOUNDATION = {"web", "db", "i18n", "roles", "domain", "registry", "config", "extensions", "mail", "translations",
              "assets"}
# The composition root: the app factory, commands and demo data bring every area together; no area imports them.
ROOT = {"__init__", "cli", "models", "demo", "bench"}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> list[str]:
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _unit(path: Path, portal: Path) -> str:
    return path.relative_to(portal).parts[0].removesuffix(".py")


def import_graph(portal: Path = PORTAL) -> dict[str, set[str]]:
    """Package (or top-level module) of portal/ → the packages it imports."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in portal.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        unit = _unit(path, portal)
        graph[unit]
        for module in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            parts = module.split(".")
            if parts[0] == "portal" and len(parts) > 1 and parts[1] != unit:
                graph[unit].add(parts[1])
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_no_import_cycle_between_packages() -> None:
    assert cycles(import_graph()) == []


def test_the_foundation_imports_no_area() -> None:
    graph = import_graph()
    areas = set(graph) - FOUNDATION - ROOT
    wrong = {unit: sorted(graph[unit] & (areas | ROOT)) for unit in FOUNDATION if graph.get(unit, set()) & (
        areas | ROOT)}
    assert wrong == {}


def test_no_area_imports_the_composition_root() -> None:
    graph = import_graph()
    wrong = {unit: sorted(targets & ROOT) for unit, targets in graph.items() if unit not in ROOT and targets & ROOT}
    assert wrong == {}


def test_the_check_sees_a_cycle_through_a_function_level_import(tmp_path: Path) -> None:
    """The check itself: a lazy import inside a function closes a cycle and is found; a type-only one is not."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.py").write_text("from portal.b.y import thing\n")
    (tmp_path / "b" / "y.py").write_text("def f():\n    from portal.a.x import other\n")
    assert cycles(import_graph(tmp_path)) == [["a", "b"]]
    (tmp_path / "b" / "y.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from portal.a.x import other\n")
    assert cycles(import_graph(tmp_path)) == []
