"""The import graph of ``kg``: no cycles, and ``import kg`` does no work.

Every ``import`` and ``from ... import`` of a kg module counts, at module level
and inside functions alike: a function-level import only delays a cycle, it
does not remove it.  Imports under ``if TYPE_CHECKING:`` never run and do
not count.  ``import kg`` counts as importing every module behind the
package's lazy doors (``kg.build`` loads kg.pipeline, and so on).
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


def api_modules() -> dict[str, str]:
    """kg/__init__'s lazy doors: public name -> the module that defines it."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_EXPORTS"
                                                for t in node.targets):
            table = ast.literal_eval(node.value)
            return {name: target.partition(":")[0] for name, target in table.items()}
    raise AssertionError("kg/__init__.py has no _EXPORTS table")


def _imported(tree: ast.AST, module: str, is_package: bool, known: set[str],
              api: dict[str, str]) -> set[str]:
    """The kg modules that ``module`` imports when it (or any of its functions) runs."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]

    def resolve(name: str) -> None:
        # ``from kg.export import nx`` names the submodule; ``from kg.model import X`` the module
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name:
            found.add(name)

    def from_kg(name: str) -> None:
        if f"kg.{name}" in known:
            found.add(f"kg.{name}")
        elif name in api:
            found.add(api[name])
        # else a plain value of kg/__init__ itself (__version__), which imports nothing

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "kg":
                    found.update(api.values())
                elif alias.name.startswith("kg."):
                    resolve(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                if source == "kg":
                    from_kg(alias.name)
                elif source.startswith("kg."):
                    resolve(f"{source}.{alias.name}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in {"import_module", "__import__"} and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str) \
                and node.args[0].value.startswith("kg."):
            resolve(node.args[0].value)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard(module)
    return found


def import_graph() -> nx.DiGraph:
    """Modules of kg as nodes, an edge ``a -> b`` when running ``a`` may import ``b``.

    ``kg`` itself is no node: its ``__init__`` imports nothing at module level,
    and what its doors load is counted where a module uses them.
    """
    files = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    api = api_modules()
    known = set(files) - {"kg"}
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for module, path in files.items():
        if module == "kg":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for target in _imported(tree, module, path.name == "__init__.py", known, api):
            graph.add_edge(module, target)
    return graph


def describe_cycles(graph: nx.DiGraph, limit: int = 40) -> list[str]:
    """Each group of modules that import one another: its imports, then its cycles."""
    lines = []
    groups = sorted((sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1),
                    key=len, reverse=True)
    for group in groups:
        inner = graph.subgraph(group)
        lines.append(f"{len(group)} modules import one another: {', '.join(group)}")
        lines += [f"    {a} imports {b}" for a, b in sorted(inner.edges())]
        rotated = (c[c.index(min(c)):] + c[:c.index(min(c))] for c in nx.simple_cycles(inner))
        cycles = sorted((" -> ".join([*c, c[0]]) for c in rotated), key=lambda c: (len(c), c))
        lines += [f"    cycle: {c}" for c in cycles[:limit]]
        if len(cycles) > limit:
            lines.append(f"    ... and {len(cycles) - limit} more cycles")
    return lines


def test_the_scan_sees_function_level_imports_and_skips_type_checking() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from kg.b import X\n"
        "def f():\n    from kg.c import Y\n    import kg.d\n"
        "from . import e\n"
        "from kg import __version__, load\n"
    )
    known = {"kg.a", "kg.b", "kg.c", "kg.d", "kg.e", "kg.query.loader"}
    assert _imported(ast.parse(source), "kg.a", False, known, {"load": "kg.query.loader"}) == {
        "kg.c", "kg.d", "kg.e", "kg.query.loader"}
    assert _imported(ast.parse("def f():\n    import kg\n"), "kg.a", False, known,
                     {"load": "kg.query.loader", "X": "kg.b"}) == {"kg.query.loader", "kg.b"}


def test_a_cycle_is_described() -> None:
    graph = nx.DiGraph([("kg.a", "kg.b"), ("kg.b", "kg.a"), ("kg.b", "kg.c")])
    assert describe_cycles(graph) == ["2 modules import one another: kg.a, kg.b",
                                      "    kg.a imports kg.b", "    kg.b imports kg.a",
                                      "    cycle: kg.a -> kg.b -> kg.a"]


# Imports that close a cycle in files that other work on issue 14 rewrites (the facts, table and
# explorer branches); each is cut there.  The test fails when a listed import is gone, so that
# the list only shrinks, and when any other import closes a cycle.
TO_CUT: dict[tuple[str, str], str] = {}


def test_no_import_cycles() -> None:
    graph = import_graph()
    assert graph.number_of_edges() > 100  # the scan sees the imports at all
    gone = [edge for edge in TO_CUT if not graph.has_edge(*edge)]
    assert not gone, f"cut already, drop from TO_CUT: {gone}"
    graph.remove_edges_from(TO_CUT)
    report = describe_cycles(graph)
    assert not report, "import cycles among kg's modules:\n" + "\n".join(report)


HEAVY = ("rdflib", "networkx", "pyoxigraph", "pandas", "pyvis", "numpy", "markdown_it", "igraph")


@pytest.mark.parametrize("statement", ["import kg", "import kg.errors", "import kg.model",
                                       "import kg.cli", "from kg import KnowledgeGraph, KgError"])
def test_import_kg_does_no_work(statement: str) -> None:
    code = (
        f"import sys\n{statement}\n"
        f"print(','.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"{statement!r} imported {done.stdout.strip()}"


def test_no_public_name_is_a_submodule() -> None:
    # Importing kg.NAME sets the package attribute NAME to the module, hiding a function of
    # the same name behind the lazy door: kg.serve(...) would call a module.
    submodules = {p.stem for p in PACKAGE.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    assert set(api_modules()) & submodules == set()


def test_every_door_opens() -> None:
    import kg

    for name in kg.__all__:
        assert getattr(kg, name) is not None
    import kg.query.serve
    import kg.query.subgraph

    assert callable(kg.serve) and callable(kg.subgraph)


def test_type_checkers_see_every_door() -> None:
    # kg/__init__ names each door twice: in _EXPORTS (what runs) and under TYPE_CHECKING
    # (what mypy and editors see); the two must agree.
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    seen = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom) and stmt.module
                for alias in stmt.names:
                    name = alias.asname or alias.name
                    seen[name] = stmt.module if alias.name == name else f"{stmt.module}:{alias.name}"
    doors = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_EXPORTS"
                                                for t in node.targets):
            doors = ast.literal_eval(node.value)
    assert seen == doors
