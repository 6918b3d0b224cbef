"""The emulator's import graph: no cycles, no imports deferred to dodge one, core stays apart.

The graph is grimp's (installed with import-linter), built from the source without a cache;
it counts every import, including those inside functions and under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

import compat.emulator

PACKAGE = "compat.emulator"
EMULATOR_DIR = Path(compat.emulator.__file__).resolve().parent
#: What of compat's core the emulator, a tool, may import.
CORE_ALLOWED = {
    "compat._gateway_reshape",
    "compat._plans",
    "compat._v2",
    "compat.credentials",
    "compat.errors",
    "compat.schemas",
}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("compat", cache_dir=None)


def _emulator_modules(graph: grimp.ImportGraph) -> set[str]:
    return {m for m in graph.modules if m == PACKAGE or m.startswith(PACKAGE + ".")}


def test_no_import_cycle_among_emulator_modules(graph: grimp.ImportGraph) -> None:
    modules = _emulator_modules(graph)
    assert {f"{PACKAGE}.server", f"{PACKAGE}.control", f"{PACKAGE}.gateway"} <= modules
    cycles = []
    for importer in sorted(modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & modules):
            # a chain back, through any module of compat, closes a cycle
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None:
                cycles.append((importer, *back))
    assert cycles == []


def test_the_emulator_imports_only_compats_core_tables_and_errors(
    graph: grimp.ImportGraph,
) -> None:
    modules = _emulator_modules(graph)
    outside = {
        imported
        for importer in modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported not in modules
    }
    assert outside <= CORE_ALLOWED


def _deferred_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """compat imports that are not at module level: inside a def/class or an ``if``/``try``."""
    found: list[tuple[int, str]] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            continue
        for node in ast.walk(stmt):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] if node.level == 0 else ["." * node.level]
            else:
                continue
            found.extend((node.lineno, name) for name in names if name.startswith(("compat", ".")))
    return found


@pytest.mark.parametrize("path", sorted(EMULATOR_DIR.glob("*.py")), ids=lambda p: p.name)
def test_no_import_inside_a_function_or_under_type_checking(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    assert _deferred_imports(tree) == []


def test_the_check_sees_deferred_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from compat.emulator.server import Emulator\n"
        "def f():\n    from compat.emulator.control import handle_control\n"
    )
    assert _deferred_imports(ast.parse(source)) == [
        (3, "compat.emulator.server"),
        (5, "compat.emulator.control"),
    ]
