"""Paths between named nodes of the graph's networkx form: :func:`node_path`.

A path is searched in the typed multigraph of :func:`kg.export.nx.to_networkx`
(built once per graph), its edges taken either way, through the node types
that say something of how two nodes are joined (:data:`PATH_TYPES`).  Its ends
are named as an analyst names them: an IRI, an event (its key, IRI or
headline), a context, a publisher as written, or an organization.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from kg import iri
from kg.callsite import warn_at_caller
from kg.errors import ArgumentError
from kg.export.nx import NODE_TYPES, to_networkx
from kg.keywords import checks_keywords
from kg.memo import GraphMemo
from kg.model import KnowledgeGraph, check_graph
from kg.table import organization_named, organization_names, organizations_not_written_alone

if TYPE_CHECKING:  # pragma: no cover
    import networkx
    import pandas

    from kg.query.names import NameIndex

__all__ = ["PATH_TYPES", "node_path"]

#: per graph: the networkx graph that node_path searches, built on first use
_PATH_GRAPHS: GraphMemo[networkx.MultiDiGraph[str]] = GraphMemo("nx.path_graph")

#: node types a path may pass through unless told otherwise: days and images
#: would join any two events of a day, which says nothing
PATH_TYPES = ("event", "article", "publisher", "context")


def _endpoint(graph: KnowledgeGraph, G: networkx.MultiDiGraph[str], name: object) -> str:
    from kg.errors import UnknownNameError
    from kg.query.analyst import UnknownEventError, event_key
    from kg.query.eventrows import name_index
    from kg.query.names import NameIndex

    if isinstance(name, str) and name in G:
        return name  # an IRI
    if isinstance(name, str) and name.startswith(("context:", "publisher:", "organization:")):
        kind, _, rest = name.partition(":")  # a name of one kind, as SPARQL writes it
        index, mint = _named_nodes(graph, kind)
        decoded = iri.decode_name(rest)  # (the end of its IRI: Merck_%26_Co%2E; else as written)
        if kind == "organization" and (label := organization_named(graph, name)) is not None:
            return iri.organization_iri(graph.base_iri, label)  # (any spelling, in any case)
        wanted = decoded if decoded in index else rest.replace("_", " ")
        try:
            return mint(graph.base_iri, index.resolve(wanted)[0])
        except UnknownNameError as err:
            if kind != "publisher":
                raise
            # Written only with others ("AFP via ..."), a name has no publisher node: its organization has one.
            others = NameIndex(kind, organizations_not_written_alone(graph))
            found = next((others.resolve(n)[0] for n in (decoded, wanted) if n in others), None)
            if found is None:
                raise
            node = iri.organization_iri(graph.base_iri, found)
            raise UnknownNameError(err.kind, err.name, tuple(dict.fromkeys(
                (f"organization:{node.rpartition('/')[2]}", *err.suggestions)))) from None
    try:
        # Any object: event_key itself says which it cannot take (ArgumentTypeError, a TypeError).
        # (not by headline: "Sudan" is the context before any event so headed)
        return iri.event_iri(graph.base_iri, event_key(graph, name, headline=False))  # type: ignore[arg-type]
    except (UnknownEventError, TypeError):
        if not isinstance(name, str):
            raise
    try:
        context = name_index(graph, "context").resolve(name)[0]
    except UnknownNameError as err:
        suggestions = err.suggestions
    else:
        if name in NameIndex("publisher", graph.publishers):
            warn_at_caller(f"{name!r} is a context and a publisher's name: the path is the context's; "
                           f"'publisher:{iri.encode_name(name)}' names the publisher")
        return iri.context_iri(graph.base_iri, context)
    # Then a publisher as written ("AFP via France 24"), then an organization ("AFP", its maker).
    for kind in ("publisher", "organization"):
        index, mint = _named_nodes(graph, kind)
        if name in index:
            return mint(graph.base_iri, index.resolve(name)[0])
        suggestions += index.suggest(name, 3 if kind == "publisher" else 2)
    with contextlib.suppress(UnknownEventError):  # last, an event by its headline (named by no name before)
        return iri.event_iri(graph.base_iri, event_key(graph, name, headline=True))
    # (a publisher written alone is an organization too: named once)
    raise UnknownNameError("context, publisher, organization or event", name, tuple(dict.fromkeys(suggestions)))


def _named_nodes(graph: KnowledgeGraph, kind: str) -> tuple[NameIndex, Callable[[str, str], str]]:
    """The names of the nodes of ``kind`` (context, publisher or organization), and how their IRIs are made."""
    from kg.query.eventrows import name_index
    from kg.query.names import NameIndex

    if kind == "context":
        return name_index(graph, "context"), iri.context_iri
    if kind == "publisher":
        return NameIndex(kind, graph.publishers), iri.publisher_iri
    return NameIndex(kind, organization_names(graph)), iri.organization_iri


@checks_keywords
def node_path(graph: KnowledgeGraph, a: object, b: object, *,
              through: tuple[str, ...] = PATH_TYPES) -> pandas.DataFrame:
    """The shortest chain of nodes joining ``a`` and ``b``, edges taken either way.

    Parameters
    ----------
    a, b
        A context or publisher name (case and accents ignored; a context
        first when both have it, ``"publisher:Reuters"`` or
        ``"context:Reuters"`` to say which), else an organization's
        (``"AFP"``, ``"organization:AFP"``), an event (key, record, page
        path or IRI) or any node's IRI.
    through : tuple of str, or str
        Node types the path may pass through (one type as a str; days and images are left out
        by default: a shared day says nothing); ``a`` and ``b`` themselves
        may be of any type.

    Returns
    -------
    pandas.DataFrame
        One row per node, in order: ``step``, ``type``, ``label``, ``iri``
        and ``edge`` (the edge type joining it to the row before).  Empty
        when no path exists, with a warning that says so (and which other
        types a path would pass through, if one exists through them).

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> df = node_path(g, "iran", "Hungary")
    >>> df["label"].iloc[0], df["label"].iloc[-1], df["type"].iloc[1]
    ('Iran', 'Hungary', 'event')
    """
    check_graph(graph, "kg.node_path")
    from kg.extras import require

    require("pandas")
    import pandas as pd

    if isinstance(through, str):  # type: ignore[unreachable]  # (one type, from an untyped caller: "event")
        through = (through,)  # type: ignore[unreachable]
    unknown = [t for t in through if t not in NODE_TYPES]
    if unknown:
        raise ArgumentError(f"through names node types of {list(NODE_TYPES)}, not {', '.join(map(repr, unknown))}")
    G = _PATH_GRAPHS.get(graph, lambda: to_networkx(graph))
    start, end = _endpoint(graph, G, a), _endpoint(graph, G, b)
    allowed = set(through)
    columns = ["step", "type", "label", "iri", "edge"]
    nodes = _shortest_path(G, start, end, allowed) or []  # (no path: no row)
    if not nodes:
        _warn_no_path(G, start, end, allowed)
    rows: list[tuple[object, ...]] = []
    for step, node in enumerate(nodes):
        edge = None
        if step:
            data = G.get_edge_data(nodes[step - 1], node) or G.get_edge_data(node, nodes[step - 1])
            edge = next(iter(data))
        rows.append((step, G.nodes[node]["type"], G.nodes[node]["label"], node, edge))
    # Texts as Python objects, as the other answers give them (pandas 3 would make them its str
    # dtype, and the edge before the first node NaN rather than None); steps int64, no path or not.
    frame: pd.DataFrame = pd.DataFrame(rows, columns=columns, dtype=object)
    frame["step"] = frame["step"].astype("int64")
    return frame


def _warn_no_path(G: networkx.MultiDiGraph[str], start: str, end: str, allowed: set[str]) -> None:
    """Say that no path joins ``start`` and ``end`` through ``allowed``, and through which other types one would."""
    hint = "; none does through any type"
    wider = None if allowed >= set(NODE_TYPES) else _shortest_path(G, start, end, set(NODE_TYPES))
    if wider is not None:
        missing = sorted({G.nodes[n]["type"] for n in wider[1:-1]} - allowed)
        hint = f"; one does through {', '.join(missing)} (through={tuple(sorted({*allowed, *missing}))!r})"
    how = f"through {', '.join(sorted(allowed))}" if allowed else "directly"
    warn_at_caller(f"no path joins {G.nodes[start]['label']!r} and {G.nodes[end]['label']!r} {how}{hint}")


def _shortest_path(G: networkx.MultiDiGraph[str], start: str, end: str, allowed: set[str]) -> list[str] | None:
    """A shortest path from ``start`` to ``end``, edges taken either way, through nodes of the ``allowed`` types
    (the two ends, whatever theirs).

    Breadth first from both ends, each node's neighbours in sorted order and the
    meeting node the least of those closing a shortest path: the same path
    whatever the interpreter's hash seed (an undirected view lists neighbours
    in the order of a set of them).
    """
    if start == end:
        return [start]
    types = G.nodes

    def near(node: str) -> list[str]:
        return sorted(n for n in {*G.successors(node), *G.predecessors(node)}
                      if types[n]["type"] in allowed or n in (start, end))

    # Per side: node -> (the node it was reached from, its distance from that side's end).
    sides: tuple[dict[str, tuple[str | None, int]], ...] = ({start: (None, 0)}, {end: (None, 0)})
    fronts = [[start], [end]]
    while fronts[0] and fronts[1]:
        side = 0 if len(fronts[0]) <= len(fronts[1]) else 1
        seen, other = sides[side], sides[1 - side]
        reached: list[str] = []
        meetings: list[tuple[int, str]] = []
        for node in fronts[side]:
            depth = seen[node][1] + 1
            for n in near(node):
                if n not in seen:
                    seen[n] = (node, depth)
                    reached.append(n)
                    if n in other:
                        meetings.append((depth + other[n][1], n))
        if meetings:
            middle = min(meetings)[1]
            path = _walk_back(sides[0], middle)[::-1]
            return path + _walk_back(sides[1], middle)[1:]
        fronts[side] = reached
    return None


def _walk_back(seen: dict[str, tuple[str | None, int]], node: str) -> list[str]:
    """``node``, the node it was reached from, and so on to its side's end."""
    path = [node]
    while (back := seen[path[-1]][0]) is not None:
        path.append(back)
    return path
