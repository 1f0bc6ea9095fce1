"""The import graph of ``kg``: no cycles, and ``import kg`` does no work.

Every ``import`` and ``from ... import`` of a kg module counts, at module level
and inside functions alike: a function-level import only delays a cycle, it
does not remove it.  Imports under ``if TYPE_CHECKING:`` never run and do
not count.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imported(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The kg modules that ``module`` imports when it (or any of its functions) runs."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]

    def resolve(name: str) -> None:
        # ``from kg.export import nx`` names the submodule; ``from kg.model import X`` the module
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name:
            found.add(name)

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "kg" or alias.name.startswith("kg."):
                    resolve(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source == "kg" or source.startswith("kg."):
                for alias in node.names:
                    resolve(f"{source}.{alias.name}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in {"import_module", "__import__"} and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str) \
                and node.args[0].value.startswith("kg"):
            resolve(node.args[0].value)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard(module)
    return found


def import_graph() -> nx.DiGraph:
    """Modules of kg as nodes, an edge ``a -> b`` when running ``a`` may import ``b``."""
    files = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    graph = nx.DiGraph()
    graph.add_nodes_from(files)
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for target in _imported(tree, module, path.name == "__init__.py", set(files)):
            # importing kg.a.b runs kg/__init__ and kg/a/__init__ first, but those are
            # lazy doors (no imports at module level), so only the module itself counts
            graph.add_edge(module, target)
    return graph


def test_the_graph_sees_function_level_and_skips_type_checking_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from kg.b import X\n"
        "def f():\n    from kg.c import Y\n    import kg.d\n"
        "from . import e\n"
    )
    known = {"kg", "kg.a", "kg.b", "kg.c", "kg.d", "kg.e"}
    assert _imported(ast.parse(source), "kg.a", False, known) == {"kg.c", "kg.d", "kg.e"}


def test_no_import_cycles() -> None:
    graph = import_graph()
    graph.remove_node("kg")  # the lazy door: every module may say ``import kg``
    cycles = sorted(" -> ".join([*c, c[0]]) for c in nx.simple_cycles(graph))
    assert not cycles, f"{len(cycles)} import cycle(s) among kg's modules:\n" + "\n".join(cycles)


HEAVY = ("rdflib", "networkx", "pyoxigraph", "pandas", "pyvis", "numpy", "markdown_it", "igraph")


@pytest.mark.parametrize("statement", ["import kg", "import kg.errors", "import kg.model"])
def test_import_kg_does_no_work(statement: str) -> None:
    code = (
        f"import sys\n{statement}\n"
        f"print(','.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"{statement!r} imported {done.stdout.strip()}"
