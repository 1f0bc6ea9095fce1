"""The graph as networkx: one typed multigraph, and the one-mode projections.

:func:`to_networkx` gives a :class:`networkx.MultiDiGraph` whose node ids are
the IRIs of :mod:`kg.iri` (so they match SPARQL answers), whose nodes carry
``type`` and ``label`` and their data, and whose edges carry ``type`` (also
their key) and, where they apply, ``rank``, ``weight`` and ``contexts``.

The node kinds and edge types, with their data, are those of the node/edge table: see
:mod:`kg.table`, where they are listed once.

:func:`event_projection` and :func:`context_projection` are the undirected,
weighted one-mode graphs that analytics use; :func:`event_chain` finds the
shortest chain of events leading from one context to another, and
:func:`kg.export.paths.node_path` the shortest path between any two named nodes.
"""

from __future__ import annotations

import operator
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from itertools import combinations
from typing import TYPE_CHECKING, SupportsIndex

from kg import iri
from kg.arguments import did_you_mean
from kg.callsite import warn_at_caller
from kg.errors import ArgumentError
from kg.keywords import checks_keywords
from kg.model import KnowledgeGraph, check_graph
from kg.parse.publishers import split_publisher
from kg.parse.records import PageKey
from kg.table import EDGE_TYPES as TABLE_EDGE_TYPES
from kg.table import NODE_KINDS, EdgeSet, Key, Table, graph_table

if TYPE_CHECKING:  # pragma: no cover
    import networkx


__all__ = [
    "EDGE_ORDER",
    "EDGE_TYPES",
    "EVENT_LINKS",
    "NODE_DATA",
    "NODE_ORDER",
    "NODE_TYPES",
    "context_projection",
    "edge_attributes",
    "edge_data",
    "event_chain",
    "event_projection",
    "key_iris",
    "table_to_networkx",
    "to_networkx",
]

#: Node types and edge types: those of the node/edge table (:mod:`kg.table`).
NODE_TYPES = NODE_KINDS
EDGE_TYPES = TABLE_EDGE_TYPES



def _event_data(table: Table) -> Iterator[dict[str, object]]:
    nodes = table.nodes["event"]
    for key, label, date, in_corpus, contexts in zip(nodes.key, nodes.label, nodes.date, nodes.in_corpus,
                                                      nodes.contexts, strict=False):
        yield {"type": "event", "label": label, "date": date, "path": key.path,
               "in_corpus": in_corpus, "contexts": contexts}


def _day_data(table: Table) -> Iterator[dict[str, object]]:
    nodes = table.nodes["day"]
    for label, date, page in zip(nodes.label, nodes.date, nodes.page, strict=False):
        yield {"type": "day", "label": label, "date": date, "page": page}


def _article_data(table: Table) -> Iterator[dict[str, object]]:
    nodes = table.nodes["article"]
    for url, publishers, domain in zip(nodes.url, nodes.publishers, nodes.domains(), strict=False):
        yield {"type": "article", "label": url, "url": url, "publishers": publishers, "domain": domain}


def _publisher_data(table: Table) -> Iterator[dict[str, object]]:
    for name in table.nodes["publisher"].label:
        outlet = split_publisher(name)
        yield {"type": "publisher", "label": name, "name": name, "publishers": outlet.publishers,
               "distributor": outlet.distributor}


def _organization_data(table: Table) -> Iterator[dict[str, object]]:
    nodes = table.nodes["organization"]
    for name, others in zip(nodes.label, nodes.spellings, strict=True):
        yield {"type": "organization", "label": name, "name": name, "spellings": others}


def _image_data(table: Table) -> Iterator[dict[str, object]]:
    for url in table.nodes["image"].url:
        yield {"type": "image", "label": url, "url": url}


def _context_data(table: Table) -> Iterator[dict[str, object]]:
    nodes = table.nodes["context"]
    for name, url in zip(nodes.label, nodes.urls(), strict=False):
        yield {"type": "context", "label": name, "name": name, "url": url}


#: Node kind -> the attributes of a table's nodes of that kind, row by row: what
#: networkx (and so GraphML, GEXF and igraph) says of a node beyond its IRI.
#: Each reads its kind's node set by name, and so gets its keys' own type.
NODE_DATA: dict[str, Callable[[Table], Iterator[dict[str, object]]]] = {
    "event": _event_data,
    "day": _day_data,
    "article": _article_data,
    "publisher": _publisher_data,
    "organization": _organization_data,
    "image": _image_data,
    "context": _context_data,
}

#: Nodes are added kind by kind in this order, then edges type by type in
#: :data:`EDGE_ORDER`; an event's edges thus follow each other as GraphML has always written them.
NODE_ORDER = ("event", "context", "publisher", "image", "day", "article", "organization")
#: The order in which edge types are added (see :data:`NODE_ORDER`).
EDGE_ORDER = ("lists-event", "published-by", "on-day", "cites", "has-image", "has-context", "related-to",
               "shares-context", "made-by", "distributed-by")


def edge_attributes(edges: EdgeSet[Key, Key]) -> Callable[[int], dict[str, object]]:
    """Row -> that edge's attributes, its type first (also the edge's key in the multigraph)."""
    type, weight, rank, contexts = edges.type, edges.weight, edges.rank, edges.contexts
    if weight:
        return lambda i: {"type": type, "weight": weight[i], "contexts": contexts[i]}
    if contexts:
        return lambda i: {"type": type, "rank": rank[i], "contexts": contexts[i]}
    if rank:
        return lambda i: {"type": type, "rank": rank[i]}
    return lambda i: {"type": type}


def edge_data(edges: EdgeSet[Key, Key]) -> Iterator[dict[str, object]]:
    """Each edge's attributes, row by row (see :func:`edge_attributes`)."""
    return map(edge_attributes(edges), range(len(edges.source)))


def table_to_networkx(table: Table) -> networkx.MultiDiGraph[str]:
    """The typed multigraph of a node/edge table (see :func:`to_networkx`)."""
    import networkx as nx

    G: nx.MultiDiGraph[str] = nx.MultiDiGraph(base_iri=table.base_iri)
    ids: dict[str, dict[Key, str]] = {}
    for kind in NODE_ORDER:
        nodes = table.nodes[kind]
        iris = nodes.iris()
        ids[kind] = dict(zip(nodes.key, iris, strict=False))
        G.add_nodes_from(zip(iris, NODE_DATA[kind](table), strict=False))
    for type in EDGE_ORDER:
        edges = table.edges[type]
        sources, targets = ids[edges.source_kind], ids[edges.target_kind]
        source_of = key_iris(table, edges.source_kind, sources)
        target_of = key_iris(table, edges.target_kind, targets)
        for s, t, data in zip(edges.source, edges.target, edge_data(edges), strict=True):
            G.add_edge(source_of(s), target_of(t), key=type, **data)
    return G


def key_iris(table: Table, kind: str, iris: dict[Key, str]) -> Callable[[Key], str]:
    """Key -> IRI: the node's own, or minted for a key that names no node of the table."""
    def named(key: Key) -> str:
        found = iris.get(key)
        return found if found is not None else table.iri(kind, key)

    return named


@checks_keywords
def to_networkx(graph: KnowledgeGraph) -> networkx.MultiDiGraph[str]:
    """Return the whole graph as a typed :class:`networkx.MultiDiGraph[str]`.

    Its nodes and edges are those of the graph's node/edge table
    (:func:`kg.table.graph_table`).

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to convert.

    Returns
    -------
    networkx.MultiDiGraph
        Node ids are IRIs; every node has ``type`` and ``label``, every edge ``type`` (also its key);
        the graph's ``base_iri`` is a graph attribute.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> G = to_networkx(g)
    >>> sum(1 for _, t in G.nodes(data="type") if t == "context") == len(g.contexts)
    True
    >>> sum(1 for *_, t in G.edges(data="type") if t == "related-to") == len(g.related)
    True
    """
    check_graph(graph, "kg.to_networkx")
    return table_to_networkx(graph_table(graph))


# ------------------------------------------------------------------ projections

def _pairs_by_context(graph: KnowledgeGraph, max_events: int | None) -> dict[tuple[PageKey, PageKey], list[str]]:
    about = graph_table(graph, kinds=(), types=("has-context",)).edges["has-context"]
    by_context: dict[str, list[PageKey]] = defaultdict(list)
    for key, name in zip(about.source, about.target, strict=False):
        by_context[name].append(key)
    pairs: dict[tuple[PageKey, PageKey], list[str]] = defaultdict(list)
    for name, keys in by_context.items():
        if max_events is not None and len(keys) > max_events:
            continue  # a hub context would add a clique of len(keys)**2 / 2 edges
        for a, b in combinations(sorted(keys), 2):
            pairs[a, b].append(name)
    return pairs


def _pairs_by_related(graph: KnowledgeGraph, max_events: int | None) -> dict[tuple[PageKey, PageKey], list[str]]:
    pairs = graph_table(graph, kinds=(), types=("shares-context",)).edges["shares-context"]
    return {(a, b): list(names)
            for a, b, names in zip(pairs.source, pairs.target, pairs.contexts, strict=False)}


#: How :func:`event_projection` links two events.
EVENT_LINKS: dict[str, Callable[[KnowledgeGraph, int | None], dict[tuple[PageKey, PageKey], list[str]]]] = {
    "contexts": _pairs_by_context,
    "related": _pairs_by_related,
}


@checks_keywords
def event_projection(graph: KnowledgeGraph, *, via: str = "contexts", in_corpus_only: bool = True,
                     max_events_per_context: int | None = None) -> networkx.Graph[str]:
    """Events linked when they share contexts, weighted by how many.

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to project.
    via : {"contexts", "related"}, default "contexts"
        ``"contexts"``: every two events about a common context (the
        bipartite projection).  ``"related"``: only the pairs that a Related
        line names (the ``shares-context`` edges).
    in_corpus_only : bool, default True
        Leave out events whose page is not in the corpus.
    max_events_per_context : int, optional
        Skip contexts about more events than this: on a large archive a hub
        such as "United States" would otherwise add a huge clique.  Default: keep every context.

    Returns
    -------
    networkx.Graph
        Nodes are event IRIs with the attributes of :func:`to_networkx`;
        edges carry ``weight`` (shared contexts) and ``contexts``.

    Examples
    --------
    >>> import kg
    >>> P = event_projection(kg.build("examples/wcep-2015-09"))
    >>> P.number_of_nodes(), all(d["weight"] == len(d["contexts"]) for *_, d in P.edges(data=True))
    (428, True)
    """
    check_graph(graph, "kg.event_projection")
    import networkx as nx

    cap: object = max_events_per_context  # a count, or a float such as 1e4 or inf; never negative
    if cap is not None:
        value = (operator.index(cap) if isinstance(cap, SupportsIndex) and not isinstance(cap, bool)
                 else cap if isinstance(cap, float) else None)
        if value is None or value < 0:
            raise ArgumentError(f"max_events_per_context must be a number, 0 or more, not {cap!r}")
        if value < 2 and via == "contexts":
            warn_at_caller(f"max_events_per_context={cap!r} keeps no context (each is about two events at least): "
                          "the projection has no edge")
    try:
        pairs = EVENT_LINKS[via](graph, max_events_per_context)
    except KeyError:
        raise ArgumentError(f"via must be one of {sorted(EVENT_LINKS)}, not {via!r}"
                            f"{did_you_mean(via, EVENT_LINKS)}") from None
    table = graph_table(graph, kinds=("event",), types=())
    events = table.nodes["event"]
    keep = {k for k, here in zip(events.key, events.in_corpus, strict=False) if here or not in_corpus_only}
    P: nx.Graph[str] = nx.Graph(base_iri=graph.base_iri)
    ids = dict(zip(events.key, events.iris(), strict=False))
    P.add_nodes_from((ids[key], data) for key, data in zip(events.key, _event_data(table), strict=True)
                     if key in keep)
    P.add_edges_from((ids[a], ids[b], {"weight": len(names), "contexts": tuple(sorted(names))})
                     for (a, b), names in pairs.items() if a in keep and b in keep)
    return P


@checks_keywords
def context_projection(graph: KnowledgeGraph, *, in_corpus_only: bool = True) -> networkx.Graph[str]:
    """Contexts linked when events are about both, weighted by the number of such events.

    Built from each event's own contexts (pairs within an event), so the
    cost is the sum over events of their contexts squared, never the square
    of a context's events.

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to project.
    in_corpus_only : bool, default True
        Count only the events whose page is in the corpus.

    Returns
    -------
    networkx.Graph
        Nodes are context IRIs with ``type``, ``label``, ``name`` and
        ``events`` (how many events are about it); edges carry ``weight``.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> C = context_projection(g)
    >>> C.number_of_nodes() == len(g.contexts)
    True
    """
    check_graph(graph, "kg.context_projection")
    import networkx as nx

    table = graph_table(graph, kinds=("event", "context"), types=("has-context",))
    events, contexts, about = table.nodes["event"], table.nodes["context"], table.edges["has-context"]
    base = graph.base_iri
    ids = dict(zip(contexts.key, contexts.iris(), strict=False))
    events_of: dict[str, int] = defaultdict(int)
    weights: dict[tuple[str, str], int] = defaultdict(int)
    at = about.offsets
    for row, in_corpus in enumerate(events.in_corpus):
        if in_corpus_only and not in_corpus:
            continue
        names = about.target[at[row]:at[row + 1]]
        for name in names:
            events_of[name] += 1
        for a, b in combinations(sorted(names), 2):
            weights[a, b] += 1
    C: nx.Graph[str] = nx.Graph(base_iri=base)
    C.add_nodes_from((ids[name], {"type": "context", "label": name, "name": name,
                                  "events": events_of.get(name, 0)}) for name in contexts.key)
    C.add_edges_from((ids[a], ids[b], {"weight": w}) for (a, b), w in weights.items())
    return C


@checks_keywords
def event_chain(graph: KnowledgeGraph, start: str, end: str, *,
                projection: networkx.Graph[str] | None = None) -> list[str]:
    """The shortest chain of events from an event about ``start`` to one about ``end``.

    Consecutive events in the chain share a context (an edge of
    :func:`event_projection`).  ``start`` and ``end`` are contexts, named as
    the analyst's filters take them (in any case, or as ``context:Iran`` or its IRI),
    or events (an IRI, as the chain gives them, a key, page path or headline): the
    chain then begins or ends with that event.  An unknown one raises
    :class:`~kg.errors.UnknownNameError` with the nearest context names.  Returns
    event IRIs, first about ``start``, last about ``end``; an empty list, with a
    ``UserWarning`` that says why, when no chain exists.

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to search.
    start, end : str
        The contexts (or events) the chain leads from and to.
    projection : networkx.Graph, optional
        The graph's :func:`event_projection`, to reuse over many calls; by default it is made anew.

    Returns
    -------
    list of str
        Event IRIs along the shortest chain, or ``[]``.

    Raises
    ------
    UnknownNameError
        If ``start`` or ``end`` names no context or event of the graph.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> chain = event_chain(g, "Iran", "Hungary")
    >>> len(chain) >= 2, event_chain(g, "context:Iran", "hungary") == chain
    (True, True)
    >>> event_chain(g, chain[1], "Hungary") == chain[1:]
    True
    """
    check_graph(graph, "kg.event_chain")
    P = projection if projection is not None else event_projection(graph)
    sources, targets = _chain_end(graph, P, start), _chain_end(graph, P, end)
    alone = [name for name, ends in ((start, sources), (end, targets)) if not any(P.degree(n) for n in ends)]
    if alone and not sources & targets:
        warn_at_caller(f"no chain joins {start!r} and {end!r}: {alone[0]!r} names no event that shares a context "
                      "with another (as an event with no Related line)")
        return []
    # breadth-first from every start event at once: the first end event reached is nearest
    parent: dict[str, str | None] = {node: None for node in sorted(sources)}
    frontier = deque(parent)
    while frontier:
        node = frontier.popleft()
        if node in targets:
            chain = [node]
            step = parent[node]
            while step is not None:
                chain.append(step)
                step = parent[step]
            return chain[::-1]
        for neighbour in P[node]:
            if neighbour not in parent:
                parent[neighbour] = node
                frontier.append(neighbour)
    warn_at_caller(f"no chain joins {start!r} and {end!r}: no run of events, each sharing a context with the next, "
                  "leads from one to the other")
    return []


def _chain_end(graph: KnowledgeGraph, P: networkx.Graph[str], name: str) -> set[str]:
    """The events of ``P`` a chain may begin or end with for ``name``: those about the context, or the event."""
    from kg.errors import UnknownEventError, UnknownNameError
    from kg.query.eventrows import event_key, name_index

    try:
        context = name_index(graph, "context").resolve(name)[0]
    except UnknownNameError as err:
        try:
            event = iri.event_iri(graph.base_iri, event_key(graph, name, headline=True))
        except (UnknownEventError, TypeError):
            raise UnknownNameError("context or event", name, err.suggestions) from None
        return {event} if event in P else set()
    if name in name_index(graph, "publisher"):  # (as kg.node_path and kg.timeline say it)
        warn_at_caller(f"{name!r} is a context and a publisher's name: the chain is of events about the context "
                      "(a chain joins contexts or events, not publishers)")
    return {n for n, cs in P.nodes(data="contexts") if context in cs}
