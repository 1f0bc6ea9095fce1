"""The graph as networkx: one typed multigraph, and the one-mode projections.

:func:`to_networkx` gives a :class:`networkx.MultiDiGraph` whose node ids are
the IRIs of :mod:`kg.iri` (so they match SPARQL answers), whose nodes carry
``type`` and ``label`` and their data, and whose edges carry ``type`` (also
their key) and, where they apply, ``rank``, ``weight`` and ``contexts``.

==============  =======================  =====================================
edge type       from -> to               data
==============  =======================  =====================================
cites           event -> article
published-by    article -> publisher
has-image       event -> image
on-day          event -> day             (events whose page was read)
lists-event     day -> event             ``rank`` on the day page
related-to      event -> event           ``rank``, ``contexts`` of the line
has-context     event -> context
shares-context  event -> event           ``weight``, ``contexts`` (one edge a pair)
==============  =======================  =====================================

:func:`event_projection` and :func:`context_projection` are the undirected,
weighted one-mode graphs that analytics use; :func:`event_chain` finds the
shortest chain of events leading from one context to another.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable
from itertools import combinations
from typing import TYPE_CHECKING

from kg import iri
from kg.memo import GraphMemo
from kg.model import KnowledgeGraph
from kg.publishers import split_publisher, web_domain
from kg.records import PageKey

if TYPE_CHECKING:  # pragma: no cover
    import networkx
    import pandas

__all__ = [
    "NODE_TYPES",
    "EDGE_TYPES",
    "to_networkx",
    "event_projection",
    "context_projection",
    "event_chain",
    "EVENT_LINKS",
    "PATH_TYPES",
    "node_path",
]

NODE_TYPES = ("event", "day", "article", "publisher", "image", "context")
EDGE_TYPES = ("cites", "published-by", "has-image", "on-day", "lists-event", "related-to",
              "has-context", "shares-context")

#: per graph: the networkx graph that node_path searches, built on first use
_PATH_GRAPHS: GraphMemo[networkx.MultiDiGraph] = GraphMemo("nx.path_graph")


def _event_attrs(graph: KnowledgeGraph, key: PageKey) -> dict[str, object]:
    event = graph.event_records[key]
    return {"type": "event", "label": event.headline, "date": key.date, "path": key.path,
            "in_corpus": event.in_corpus, "contexts": graph.event_contexts.get(key, ())}


def _add_events(G: networkx.Graph, graph: KnowledgeGraph) -> dict[PageKey, str]:
    ids = {key: iri.event_iri(graph.base_iri, key) for key in graph.event_records}
    G.add_nodes_from((ids[key], _event_attrs(graph, key)) for key in graph.event_records)
    return ids


def to_networkx(graph: KnowledgeGraph) -> networkx.MultiDiGraph:
    """Return the whole graph as a typed :class:`networkx.MultiDiGraph`.

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
    import networkx as nx

    base = graph.base_iri
    G = nx.MultiDiGraph(base_iri=base)
    ev = _add_events(G, graph)
    ctx = {name: iri.context_iri(base, name) for name in graph.contexts}
    G.add_nodes_from((ctx[name], {"type": "context", "label": name, "name": name,
                                  "url": iri.wikipedia_iri(name)}) for name in graph.contexts)
    pub = {name: iri.publisher_iri(base, name) for name in graph.publishers}
    outlets = {name: split_publisher(name) for name in graph.publishers}
    G.add_nodes_from((pub[name], {"type": "publisher", "label": name, "name": name,
                                  "publishers": outlets[name].publishers,
                                  "distributor": outlets[name].distributor})
                     for name in graph.publishers)
    G.add_nodes_from((iri.image_iri(base, url), {"type": "image", "label": url, "url": url})
                     for url in graph.images)
    for date, day in graph.days.items():
        node = iri.day_iri(base, date)
        G.add_node(node, type="day", label=date.isoformat(), date=date, page=day.page)
        G.add_edges_from((node, ev[key], "lists-event", {"type": "lists-event", "rank": rank})
                         for rank, key in enumerate(day.listed, 1))
    for url, article in graph.articles.items():
        node = iri.article_iri(base, url)
        G.add_node(node, type="article", label=url, url=url, publishers=article.publishers,
                   domain=web_domain(url))
        G.add_edges_from((node, pub[name], "published-by", {"type": "published-by"})
                         for name in article.publishers)
    for key, event in graph.event_records.items():
        node = ev[key]
        if event.in_corpus:
            G.add_edge(node, iri.day_iri(base, key.date), "on-day", type="on-day")
        G.add_edges_from((node, iri.article_iri(base, url), "cites", {"type": "cites"})
                         for url in event.sources)
        G.add_edges_from((node, iri.image_iri(base, url), "has-image", {"type": "has-image"})
                         for url in event.images)
    for key, names in graph.event_contexts.items():
        G.add_edges_from((ev[key], ctx[name], "has-context", {"type": "has-context"}) for name in names)
    G.add_edges_from((ev[link.source], ev[link.target], "related-to",
                      {"type": "related-to", "rank": link.rank, "contexts": link.contexts})
                     for link in graph.related)
    G.add_edges_from((ev[pair.first], ev[pair.second], "shares-context",
                      {"type": "shares-context", "weight": pair.weight, "contexts": pair.contexts})
                     for pair in graph.shared)
    return G


# ------------------------------------------------------------------ projections

def _pairs_by_context(graph: KnowledgeGraph, max_events: int | None) -> dict[tuple[PageKey, PageKey], list[str]]:
    by_context: dict[str, list[PageKey]] = defaultdict(list)
    for key, names in graph.event_contexts.items():
        for name in names:
            by_context[name].append(key)
    pairs: dict[tuple[PageKey, PageKey], list[str]] = defaultdict(list)
    for name, keys in by_context.items():
        if max_events is not None and len(keys) > max_events:
            continue  # a hub context would add a clique of len(keys)**2 / 2 edges
        for a, b in combinations(sorted(keys), 2):
            pairs[a, b].append(name)
    return pairs


def _pairs_by_related(graph: KnowledgeGraph, max_events: int | None) -> dict[tuple[PageKey, PageKey], list[str]]:
    return {(p.first, p.second): list(p.contexts) for p in graph.shared}


#: How :func:`event_projection` links two events.
EVENT_LINKS: dict[str, Callable[[KnowledgeGraph, int | None], dict[tuple[PageKey, PageKey], list[str]]]] = {
    "contexts": _pairs_by_context,
    "related": _pairs_by_related,
}


def event_projection(graph: KnowledgeGraph, *, via: str = "contexts", in_corpus_only: bool = True,
                     max_events_per_context: int | None = None) -> networkx.Graph:
    """Events linked when they share contexts, weighted by how many.

    Parameters
    ----------
    graph : KnowledgeGraph
    via : {"contexts", "related"}
        ``"contexts"``: every two events about a common context (the
        bipartite projection).  ``"related"``: only the pairs that a Related
        line names (the ``shares-context`` edges).
    in_corpus_only : bool
        Leave out events whose page is not in the corpus.
    max_events_per_context : int, optional
        Skip contexts about more events than this: on a large archive a hub
        such as "United States" would otherwise add a huge clique.

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
    import networkx as nx

    try:
        pairs = EVENT_LINKS[via](graph, max_events_per_context)
    except KeyError:
        raise ValueError(f"via must be one of {sorted(EVENT_LINKS)}, not {via!r}") from None
    keep = {k for k, e in graph.event_records.items() if e.in_corpus or not in_corpus_only}
    P = nx.Graph(base_iri=graph.base_iri)
    ids = {key: iri.event_iri(graph.base_iri, key) for key in graph.event_records}
    P.add_nodes_from((ids[key], _event_attrs(graph, key)) for key in graph.event_records if key in keep)
    P.add_edges_from((ids[a], ids[b], {"weight": len(names), "contexts": tuple(sorted(names))})
                     for (a, b), names in pairs.items() if a in keep and b in keep)
    return P


def context_projection(graph: KnowledgeGraph, *, in_corpus_only: bool = True) -> networkx.Graph:
    """Contexts linked when events are about both, weighted by the number of such events.

    Built from each event's own contexts (pairs within an event), so the
    cost is the sum over events of their contexts squared, never the square
    of a context's events.

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
    import networkx as nx

    base = graph.base_iri
    ids = {name: iri.context_iri(base, name) for name in graph.contexts}
    events_of: dict[str, int] = defaultdict(int)
    weights: dict[tuple[str, str], int] = defaultdict(int)
    for key, names in graph.event_contexts.items():
        if in_corpus_only and not graph.event_records[key].in_corpus:
            continue
        for name in names:
            events_of[name] += 1
        for a, b in combinations(sorted(names), 2):
            weights[a, b] += 1
    C = nx.Graph(base_iri=base)
    C.add_nodes_from((ids[name], {"type": "context", "label": name, "name": name,
                                  "events": events_of.get(name, 0)}) for name in graph.contexts)
    C.add_edges_from((ids[a], ids[b], {"weight": w}) for (a, b), w in weights.items())
    return C


def event_chain(graph: KnowledgeGraph, start: str, end: str, *,
                projection: networkx.Graph | None = None) -> list[str]:
    """The shortest chain of events from an event about ``start`` to one about ``end``.

    Consecutive events in the chain share a context (an edge of
    :func:`event_projection`).  Returns event IRIs, first about ``start``,
    last about ``end``; an empty list when no chain exists.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> chain = event_chain(g, "Iran", "Hungary")
    >>> len(chain) >= 2
    True
    """
    P = projection if projection is not None else event_projection(graph)
    about = {name: {n for n, cs in P.nodes(data="contexts") if name in cs} for name in (start, end)}
    sources, targets = about[start], about[end]
    if not sources or not targets:
        return []
    # breadth-first from every start event at once: the first end event reached is nearest
    parent: dict[str, str | None] = {node: None for node in sorted(sources)}
    frontier = deque(parent)
    while frontier:
        node = frontier.popleft()
        if node in targets:
            chain = [node]
            while parent[chain[-1]] is not None:
                chain.append(parent[chain[-1]])
            return chain[::-1]
        for neighbour in P[node]:
            if neighbour not in parent:
                parent[neighbour] = node
                frontier.append(neighbour)
    return []


# ------------------------------------------------------------------ paths between named nodes

#: node types a path may pass through unless told otherwise: days and images
#: would join any two events of a day, which says nothing
PATH_TYPES = ("event", "article", "publisher", "context")


def _endpoint(graph: KnowledgeGraph, G: networkx.MultiDiGraph, name: object) -> str:
    from kg.errors import UnknownNameError
    from kg.names import NameIndex
    from kg.query import UnknownEventError, event_key
    from kg.questions import name_index

    if isinstance(name, str) and name in G:
        return name  # an IRI
    if isinstance(name, str) and name.startswith(("context:", "publisher:")):
        kind, _, rest = name.partition(":")  # a name of one kind, as SPARQL writes it
        index = name_index(graph, "context") if kind == "context" else NameIndex(kind, graph.publishers)
        mint = iri.context_iri if kind == "context" else iri.publisher_iri
        return mint(graph.base_iri, index.resolve(rest.replace("_", " "))[0])
    try:
        return iri.event_iri(graph.base_iri, event_key(graph, name))  # type: ignore[arg-type]
    except (UnknownEventError, TypeError):
        if not isinstance(name, str):
            raise
    try:
        return iri.context_iri(graph.base_iri, name_index(graph, "context").resolve(name)[0])
    except UnknownNameError as err:
        publishers = NameIndex("publisher", graph.publishers)
        if name in publishers:
            return iri.publisher_iri(graph.base_iri, publishers.resolve(name)[0])
        raise UnknownNameError("context, publisher or event", name,
                               err.suggestions + publishers.suggest(name, 3)) from None


def node_path(graph: KnowledgeGraph, a: object, b: object, *,
              through: tuple[str, ...] = PATH_TYPES) -> pandas.DataFrame:
    """The shortest chain of nodes joining ``a`` and ``b``, edges taken either way.

    Parameters
    ----------
    a, b
        A context or publisher name (case and accents ignored; a context
        first when both have it, ``"publisher:Reuters"`` or
        ``"context:Reuters"`` to say which), an event (key, record, page path
        or IRI) or any node's IRI.
    through : tuple of str
        Node types the path may pass through (days and images are left out
        by default: a shared day says nothing).

    Returns
    -------
    pandas.DataFrame
        One row per node, in order: ``step``, ``type``, ``label``, ``iri``
        and ``edge`` (the edge type joining it to the row before).  Empty
        when no path exists.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> df = node_path(g, "iran", "Hungary")
    >>> df["label"].iloc[0], df["label"].iloc[-1], df["type"].iloc[1]
    ('Iran', 'Hungary', 'event')
    """
    import networkx as nx
    import pandas as pd

    G = _PATH_GRAPHS.get(graph, lambda: to_networkx(graph))
    start, end = _endpoint(graph, G, a), _endpoint(graph, G, b)
    allowed = set(through) | {G.nodes[start]["type"], G.nodes[end]["type"]}
    view = nx.subgraph_view(G.to_undirected(as_view=True),
                            filter_node=lambda n: G.nodes[n]["type"] in allowed)
    columns = ["step", "type", "label", "iri", "edge"]
    try:
        nodes = nx.shortest_path(view, start, end)
    except nx.NetworkXNoPath:
        return pd.DataFrame([], columns=columns)
    rows = []
    for step, node in enumerate(nodes):
        edge = None
        if step:
            data = G.get_edge_data(nodes[step - 1], node) or G.get_edge_data(node, nodes[step - 1])
            edge = next(iter(data))
        rows.append((step, G.nodes[node]["type"], G.nodes[node]["label"], node, edge))
    return pd.DataFrame(rows, columns=columns)
