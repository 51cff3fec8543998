"""
The floor plan holds: no import cycles, imports at the top of modules, no tangled functions.

The layering itself (which layer may import which, families independent, private modules
kept to their folder) is checked by ``lint-imports`` with the contracts in pyproject.toml;
these tests check what import-linter does not, and run with the rest of the suite.
See docs/explanation/architecture.md.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest
from radon.visitors import ComplexityVisitor, Function

import sharedoutcomes
from sharedoutcomes.validation._rules import _components as strongly_connected

SRC = Path(sharedoutcomes.__file__).parent
MAX_COMPLEXITY = 25
"""The most cyclomatic complexity (as radon counts it) any function in src/ may have."""

LAZY_IMPORTS = {
    # Optional extras: imported when a feature that needs them is used, so that
    # `import sharedoutcomes` stays light and a missing extra is a clear install hint.
    "docx": "the docx extra (python-docx)",
    "openpyxl": "the xlsx and docx extras",
    "defusedxml": "the docx extra",
    "pandas": "the analysis extra",
    "numpy": "comes with the analysis extra",
    "matplotlib": "the charts extra",
    "IPython": "only present inside Jupyter",
    "orjson": "the fast extra",
    "jsonschema_rs": "the fast extra",
    "pyarrow": "the columnar extra",
    "polars": "DataFrames for Polars users",
    "hypothesis": "the testing extra",
    "hypothesis_jsonschema": "the testing extra",
    "ijson": "the threesixtygiving extra (streaming 360Giving JSON)",
}
"""The only modules a function may import, each with the reason it is imported late."""

FACADE = {("__init__.py", "__getattr__")}
"""The lazy ``__getattr__`` of the package façade, which answers ``__version__`` on demand."""


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _function_imports(tree: ast.Module) -> Iterator[tuple[str, int, str]]:
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        yield function.name, node.lineno, alias.name
                elif isinstance(node, ast.ImportFrom):
                    yield function.name, node.lineno, "." * node.level + (node.module or "")


def test_functions_import_only_optional_dependencies() -> None:
    """Imports sit at the top of a module; inside a function only an optional extra is imported."""
    misplaced = [
        f"{path.relative_to(SRC)}:{line} {function}() imports {module}"
        for path, tree in _modules()
        for function, line, module in _function_imports(tree)
        if module.split(".")[0] not in LAZY_IMPORTS and (str(path.relative_to(SRC)), function) not in FACADE
    ]

    assert misplaced == [], "move these imports to the top of their modules:\n" + "\n".join(misplaced)


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The groups of modules that import each other, found as the semantic rules find outcome cycles."""
    imports = {module: tuple(sorted(graph.find_modules_directly_imported_by(module))) for module in graph.modules}
    groups = {tuple(sorted(group)) for group in strongly_connected(imports).values()}
    return sorted(list(group) for group in groups)


def test_no_module_imports_itself_back() -> None:
    """No import cycles between modules, counting imports under ``if TYPE_CHECKING:`` too."""
    graph = grimp.build_graph("sharedoutcomes", cache_dir=None)

    cycles = _cycles(graph)

    assert cycles == [], "import cycles:\n" + "\n".join(" <-> ".join(cycle) for cycle in cycles)


def test_the_cycle_finder_finds_cycles() -> None:
    graph = grimp.ImportGraph()
    for name in ("p", "p.a", "p.b", "p.c"):
        graph.add_module(name)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.a")
    graph.add_import(importer="p.c", imported="p.a")

    assert _cycles(graph) == [["p.a", "p.b"]]


def _functions(blocks: list[Function]) -> Iterator[Function]:
    for block in blocks:
        if isinstance(block, Function):
            yield block
            yield from _functions(block.closures)


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_no_function_is_too_complex(path: Path) -> None:
    """No function, method or closure has a cyclomatic complexity above 25 (radon's count)."""
    tangled = [
        f"{block.fullname} (line {block.lineno}): {block.complexity}"
        for block in _functions(ComplexityVisitor.from_code(path.read_text(encoding="utf-8")).blocks)
        if block.complexity > MAX_COMPLEXITY
    ]

    assert tangled == []
