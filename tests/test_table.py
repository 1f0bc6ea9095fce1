"""The node/edge table's typed columns: each set's keys are of the type its name declares.

:class:`kg.table.NodeSets` and :class:`kg.table.EdgeSets` declare, in the
overloads of ``__getitem__``, which key type the set of each kind or type
holds (``nodes["event"]`` is a ``NodeSet[PageKey]``); readers rely on it, and
a type checker cannot follow a name to the builder that makes the set.  So
here the declarations are read back and held against a built table.
"""

from __future__ import annotations

import sys
import typing
from collections.abc import Callable
from pathlib import Path

import pytest

import kg
from kg.table import EDGE_ENDS, EDGE_TYPES, NODE_KINDS, EdgeSets, NodeSets, graph_table

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"

pytestmark = pytest.mark.skipif(sys.version_info < (3, 11), reason="typing.get_overloads is new in 3.11")


def _declared(method: Callable[..., object]) -> dict[str, tuple[type, ...]]:
    """Name -> the key types that ``method``'s overloads declare for it (the set's type arguments)."""
    found: dict[str, tuple[type, ...]] = {}
    for overload in typing.get_overloads(method):
        hints = typing.get_type_hints(overload)
        returns = hints.pop("return")
        (name,) = hints.values()
        if typing.get_origin(name) is typing.Literal:  # not the fallback for a name in a variable
            found.update(dict.fromkeys(typing.get_args(name), typing.get_args(returns)))
    return found


def test_every_kind_and_type_declares_its_key_types() -> None:
    nodes, edges = _declared(NodeSets.__getitem__), _declared(EdgeSets.__getitem__)
    assert sorted(nodes) == sorted(NODE_KINDS)
    assert sorted(edges) == sorted(EDGE_TYPES)
    # An edge's ends are keys of the kinds it joins.
    for type, (source, target) in EDGE_ENDS.items():
        assert edges[type] == nodes[source] + nodes[target], type


def test_built_tables_hold_the_declared_key_types(sample_graph) -> None:
    # The sample has no images, the hostile corpus no "X via Y" publisher: together they have every set.
    tables = [graph_table(sample_graph), graph_table(kg.build(HOSTILE))]
    for kind, (key_type,) in _declared(NodeSets.__getitem__).items():
        keys = [key for table in tables for key in table.nodes[kind].key]
        assert keys and all(isinstance(key, key_type) for key in keys), kind
    for type, (source_type, target_type) in _declared(EdgeSets.__getitem__).items():
        edges = [table.edges[type] for table in tables]
        sources = [key for e in edges for key in e.source]
        assert sources and all(isinstance(key, source_type) for key in sources), type
        assert all(isinstance(key, target_type) for e in edges for key in e.target), type


def test_the_sets_are_read_only(sample_graph) -> None:
    table = graph_table(sample_graph, kinds=("context",), types=("has-context",))
    assert list(table.nodes) == ["context"] and "event" not in table.nodes and len(table.edges) == 1
    with pytest.raises(TypeError):
        table.nodes["event"] = table.nodes["context"]  # type: ignore[index]  # what the test checks
