"""The one node/edge table of a graph: what is a node, what is an edge.

:func:`graph_table` turns a :class:`~kg.model.KnowledgeGraph` into typed
nodes and edges, and every output reads the result: RDF (:mod:`kg.export.triples`),
networkx, GraphML, GEXF and igraph (:mod:`kg.export`), the explorer's
columns (:mod:`kg.export.html.archive`) and the counts of ``report.json``
(:func:`kg.report.count_graph`).  So they cannot disagree on which nodes and
edges the graph has; each only says how its format writes them.

==============  =========================  =========================================
edge type       from -> to                 attributes
==============  =========================  =========================================
cites           event -> article
published-by    article -> publisher
made-by         publisher -> organization  one per maker of the name
distributed-by  publisher -> organization  the Y of "X via Y"
has-image       event -> image
on-day          event -> day               (events whose page was read)
lists-event     day -> event               ``rank`` on the day page
related-to      event -> event             ``rank``, ``contexts`` of the line
has-context     event -> context
shares-context  event -> event             ``weight``, ``contexts`` (one edge a pair)
==============  =========================  =========================================

A publisher is a source name as written ("AFP via France 24"); the
organizations it resolves to (:func:`kg.parse.publishers.split_publisher`:
maker AFP, distributor France 24; "Reuters" to its one maker, Reuters) are
nodes of their own, so that every name that credits AFP reaches one node.
An article's ``domain`` is its URL's host (:func:`kg.parse.publishers.web_domain`).

The table is columns, not an object per edge: a :class:`NodeSet` per node
kind and an :class:`EdgeSet` per edge type hold tuples that share the
graph's own keys and strings, so a 150,000-event archive costs a few
pointers per edge.  :class:`Node` and :class:`Edge` records are made on
demand (:meth:`NodeSet.record`, :meth:`Table.edges_of`), and so are IRIs
(:meth:`NodeSet.iris`).  Nodes and edges name each other by stable key (a
:class:`~kg.parse.records.PageKey`, a date, a URL, a name); :meth:`Table.iri`
turns a key into its IRI through :mod:`kg.iri`.

Examples
--------
>>> import kg
>>> t = graph_table(kg.build("examples/wcep-2015-09"))
>>> len(t.nodes["event"]), len(t.nodes["day"]), len(t.edges["related-to"])
(428, 30, 1925)
>>> t.nodes["article"].record(0).domain
'abc7news.com'
>>> sorted(e.target.rsplit("/", 1)[1] for e in t.edges_of("made-by") if e.source.endswith("/Reuters"))
['Reuters']
>>> t.nodes["context"].record(0).kind
'context'
>>> next(t.edges_of("on-day")).target
'https://kg.example.org/news/day/2015-09-01'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from kg import iri
from kg.errors import ArgumentError
from kg.parse.publishers import organizations_of, split_publisher, web_domain
from kg.parse.records import PageKey

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph

__all__ = [
    "EDGE_ENDS",
    "EDGE_TYPES",
    "NODE_KINDS",
    "organization_names",
    "Edge",
    "EdgeSet",
    "Key",
    "Node",
    "NodeSet",
    "Table",
    "graph_table",
]

#: Node kinds, in the order the table holds them.
NODE_KINDS = ("event", "day", "article", "publisher", "organization", "image", "context")
#: Edge types, in the order the table holds them.
EDGE_TYPES = ("cites", "published-by", "made-by", "distributed-by", "has-image", "on-day", "lists-event",
              "related-to", "has-context", "shares-context")

#: The stable key of a node: an event's page key, a day's date, an article's
#: or image's URL, a publisher's, organization's or context's name.
Key = PageKey | dt.date | str


# Node kind -> how the IRI of a key of that kind is minted.
_MINT: dict[str, Callable[[str, Any], str]] = {
    "event": iri.event_iri,
    "day": iri.day_iri,
    "article": iri.article_iri,
    "publisher": iri.publisher_iri,
    "organization": iri.organization_iri,
    "image": iri.image_iri,
    "context": iri.context_iri,
}

# Node kind -> the URL a node of that kind links to, where it is made of the key.
_LINK: dict[str, Callable[[Any], str]] = {"context": iri.wikipedia_iri}

# Node kinds whose URL is an outlet's page, which has a web domain.
_HAS_DOMAIN = frozenset({"article"})


@dataclass(frozen=True, slots=True)
class Node:
    """One node: its IRI, kind, stable key and label, and what applies of the rest.

    ``date`` is an event's or day's; ``url`` an article's or image's own, a
    context's Wikipedia article; ``page`` the corpus page an event or day
    was read from; ``heading`` a day page's own title (as written, e.g.
    ``2015-09-1``); ``in_corpus`` is false for an event that only links name;
    ``contexts`` are an event's, ``publishers`` the names an article was
    cited under, ``domain`` an article's web domain.
    """

    iri: str
    kind: str
    key: Key
    label: str
    date: dt.date | None = None
    url: str | None = None
    page: str | None = None
    heading: str | None = None
    in_corpus: bool = True
    contexts: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    domain: str | None = None


@dataclass(frozen=True, slots=True)
class Edge:
    """One edge: source IRI, type, target IRI, and its attributes where they apply.

    ``rank`` is the place of a Related line or day-page entry; ``weight``
    the number of contexts a shares-context pair has; ``contexts`` those of
    the line or pair.
    """

    source: str
    type: str
    target: str
    rank: int | None = None
    weight: int | None = None
    contexts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NodeSet:
    """The nodes of one kind as columns, one row per node in output order.

    ``key`` and ``label`` have a row per node; the other columns are empty
    where the kind has no such attribute.  IRIs (and a context's Wikipedia
    URL, an article's web domain) are not held but made when asked for
    (:meth:`iris`, :meth:`urls`, :meth:`domains`), so that a reader that
    needs none (the counts) pays none.

    Examples
    --------
    >>> nodes = NodeSet("context", "https://x.org/", ("Iran", "Hildale"), ("Iran", "Hildale"))
    >>> nodes.iris(slice(0, 1)), nodes.urls(slice(0, 1))
    (('https://x.org/context/Iran',), ('https://en.wikipedia.org/wiki/Iran',))
    >>> nodes.record(1).iri, nodes.record(1).kind
    ('https://x.org/context/Hildale', 'context')
    """

    kind: str
    base_iri: str
    key: tuple[Key, ...]
    label: tuple[str, ...]
    date: tuple[dt.date, ...] = ()
    url: tuple[str, ...] = ()
    page: tuple[str | None, ...] = ()
    heading: tuple[str | None, ...] = ()
    in_corpus: tuple[bool, ...] = ()
    contexts: tuple[tuple[str, ...], ...] = ()
    publishers: tuple[tuple[str, ...], ...] = ()

    def __len__(self) -> int:
        return len(self.key)

    def iris(self, part: slice = slice(None)) -> tuple[str, ...]:
        """The IRIs of the rows of ``part`` (all by default), minted by :mod:`kg.iri`."""
        mint, base = _MINT[self.kind], self.base_iri
        return tuple(mint(base, key) for key in self.key[part])

    def urls(self, part: slice = slice(None)) -> tuple[str, ...]:
        """The URLs of the rows of ``part``: an article's or image's own, a context's Wikipedia article."""
        if self.url:
            return self.url[part]
        link = _LINK.get(self.kind)
        return () if link is None else tuple(link(key) for key in self.key[part])

    def domains(self, part: slice = slice(None)) -> tuple[str, ...]:
        """The web domains of the rows of ``part``: an article's host; empty for other kinds.

        >>> NodeSet("article", "https://x.org/", ("https://www.bbc.co.uk/a",), ("a",),
        ...         url=("https://www.bbc.co.uk/a",)).domains()
        ('bbc.co.uk',)
        """
        return tuple(map(web_domain, self.url[part])) if self.kind in _HAS_DOMAIN else ()

    def record(self, row: int) -> Node:
        """The node of row ``row`` as a :class:`Node`."""
        key = self.key[row]
        link = _LINK.get(self.kind)
        url = self.url[row] if self.url else None if link is None else link(key)
        return Node(_MINT[self.kind](self.base_iri, key), self.kind, key, self.label[row],
                    self.date[row] if self.date else None, url,
                    self.page[row] if self.page else None, self.heading[row] if self.heading else None,
                    self.in_corpus[row] if self.in_corpus else True,
                    self.contexts[row] if self.contexts else (),
                    self.publishers[row] if self.publishers else (),
                    web_domain(url) if self.kind in _HAS_DOMAIN and url is not None else None)

    def records(self) -> Iterator[Node]:
        """Every node of the set, in order."""
        return map(self.record, range(len(self.key)))


@dataclass(frozen=True, slots=True)
class EdgeSet:
    """The edges of one type as columns: source and target keys, then attributes.

    ``offsets`` is set when the edges are grouped by source, in the order
    of the source kind's :class:`NodeSet`: the edges of its row ``i`` are
    ``offsets[i]:offsets[i + 1]``.  ``rank``, ``weight`` and ``contexts``
    are empty where the type has no such attribute.
    """

    type: str
    source_kind: str
    target_kind: str
    source: tuple[Key, ...]
    target: tuple[Key, ...]
    offsets: tuple[int, ...] = ()
    rank: tuple[int, ...] = ()
    weight: tuple[int, ...] = ()
    contexts: tuple[tuple[str, ...], ...] = ()

    def __len__(self) -> int:
        return len(self.source)


@dataclass(frozen=True, slots=True)
class Table:
    """A graph's nodes by kind and edges by type (see :func:`graph_table`).

    A table made of part of the node kinds or edge types holds only those;
    an edge may then name a node the table does not hold.

    Examples
    --------
    >>> import datetime as dt
    >>> day = dt.date(2015, 9, 1)
    >>> t = Table("https://x.org/", {}, {"on-day": EdgeSet("on-day", "event", "day", (PageKey(day, "a"),), (day,))})
    >>> [(e.source, e.type, e.target) for e in t.edge_records()]
    [('https://x.org/event/2015-09-01/a', 'on-day', 'https://x.org/day/2015-09-01')]
    """

    base_iri: str
    nodes: Mapping[str, NodeSet]
    edges: Mapping[str, EdgeSet]

    def iri(self, kind: str, key: Key) -> str:
        """The IRI of the node of ``kind`` whose key is ``key``."""
        return _MINT[kind](self.base_iri, key)

    def iris(self, kind: str) -> dict[Key, str]:
        """Key -> IRI of every node of ``kind`` the table holds."""
        nodes = self.nodes[kind]
        return dict(zip(nodes.key, nodes.iris(), strict=True))

    def node_records(self) -> Iterator[Node]:
        """Every node as a :class:`Node`, kind by kind."""
        for nodes in self.nodes.values():
            yield from nodes.records()

    def edges_of(self, type: str) -> Iterator[Edge]:
        """The edges of one type as :class:`Edge` records, IRIs minted once per node."""
        edges = self.edges[type]
        sources, targets = self._iris_of(edges.source_kind), self._iris_of(edges.target_kind)
        for n, (s, t) in enumerate(zip(edges.source, edges.target, strict=True)):
            source = sources.get(s) or self.iri(edges.source_kind, s)
            target = targets.get(t) or self.iri(edges.target_kind, t)
            yield Edge(source, type, target, edges.rank[n] if edges.rank else None,
                       edges.weight[n] if edges.weight else None,
                       edges.contexts[n] if edges.contexts else ())

    def edge_records(self) -> Iterator[Edge]:
        """Every edge as an :class:`Edge`, type by type."""
        for type in self.edges:
            yield from self.edges_of(type)

    def _iris_of(self, kind: str) -> Mapping[Key, str]:
        return self.iris(kind) if kind in self.nodes else {}


# ------------------------------------------------------------------ nodes

def _event_nodes(g: KnowledgeGraph) -> NodeSet:
    records, contexts_of = g.event_records, g.event_contexts
    keys = tuple(records)
    events = tuple(records.values())
    no_contexts: tuple[str, ...] = ()
    return NodeSet("event", g.base_iri, keys, tuple(e.headline for e in events), date=tuple(k.date for k in keys),
                   page=tuple(e.page for e in events), in_corpus=tuple(e.in_corpus for e in events),
                   contexts=tuple(contexts_of.get(k, no_contexts) for k in keys))


def _day_nodes(g: KnowledgeGraph) -> NodeSet:
    dates = tuple(g.days)
    return NodeSet("day", g.base_iri, dates, tuple(d.isoformat() for d in dates), date=dates,
                   page=tuple(day.page for day in g.days.values()),
                   heading=tuple(day.label for day in g.days.values()))


def _article_nodes(g: KnowledgeGraph) -> NodeSet:
    urls = tuple(g.articles)
    return NodeSet("article", g.base_iri, urls, urls, url=urls,
                   publishers=tuple(a.publishers for a in g.articles.values()))


def _publisher_nodes(g: KnowledgeGraph) -> NodeSet:
    return NodeSet("publisher", g.base_iri, g.publishers, g.publishers)


def organization_names(g: KnowledgeGraph) -> tuple[str, ...]:
    """The organizations of ``g``: those its publisher names resolve to, unless the graph names them.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> "Reuters" in organization_names(g) and len(organization_names(g)) <= len(g.publishers)
    True
    """
    return g.organizations if g.organizations is not None else organizations_of(g.publishers)


def _organization_nodes(g: KnowledgeGraph) -> NodeSet:
    names = organization_names(g)
    return NodeSet("organization", g.base_iri, names, names)


def _image_nodes(g: KnowledgeGraph) -> NodeSet:
    return NodeSet("image", g.base_iri, g.images, g.images, url=g.images)


def _context_nodes(g: KnowledgeGraph) -> NodeSet:
    return NodeSet("context", g.base_iri, g.contexts, g.contexts)


_NODES: dict[str, Callable[[KnowledgeGraph], NodeSet]] = {
    "event": _event_nodes,
    "day": _day_nodes,
    "article": _article_nodes,
    "publisher": _publisher_nodes,
    "organization": _organization_nodes,
    "image": _image_nodes,
    "context": _context_nodes,
}


# ------------------------------------------------------------------ edges

#: Edge type -> (source kind, target kind).
EDGE_ENDS: dict[str, tuple[str, str]] = {
    "cites": ("event", "article"),
    "published-by": ("article", "publisher"),
    "made-by": ("publisher", "organization"),
    "distributed-by": ("publisher", "organization"),
    "has-image": ("event", "image"),
    "on-day": ("event", "day"),
    "lists-event": ("day", "event"),
    "related-to": ("event", "event"),
    "has-context": ("event", "context"),
    "shares-context": ("event", "event"),
}


def _grouped(type: str, sources: tuple[Key, ...], targets_of: Iterator[tuple[Key, ...]]) -> EdgeSet:
    """An edge set grouped by source: ``targets_of`` gives each source's targets, in order."""
    source: list[Key] = []
    target: list[Key] = []
    offsets = [0]
    for key, targets in zip(sources, targets_of, strict=True):
        if targets:
            source.extend([key] * len(targets))
            target.extend(targets)
        offsets.append(len(target))
    return EdgeSet(type, *EDGE_ENDS[type], tuple(source), tuple(target), tuple(offsets))


def _cites(g: KnowledgeGraph) -> EdgeSet:
    return _grouped("cites", tuple(g.event_records),
                    (e.sources for e in g.event_records.values()))


def _published_by(g: KnowledgeGraph) -> EdgeSet:
    return _grouped("published-by", tuple(g.articles),
                    (a.publishers for a in g.articles.values()))


def _made_by(g: KnowledgeGraph) -> EdgeSet:
    return _grouped("made-by", g.publishers, (split_publisher(name).publishers for name in g.publishers))


def _distributed_by(g: KnowledgeGraph) -> EdgeSet:
    none: tuple[str, ...] = ()
    return _grouped("distributed-by", g.publishers,
                    ((d,) if (d := split_publisher(name).distributor) is not None else none
                     for name in g.publishers))


def _has_image(g: KnowledgeGraph) -> EdgeSet:
    return _grouped("has-image", tuple(g.event_records),
                    (e.images for e in g.event_records.values()))


def _on_day(g: KnowledgeGraph) -> EdgeSet:
    # Only an event whose page was read is on its day: an event that only a
    # link names has a date, but no day page lists it.
    days: dict[dt.date, tuple[dt.date]] = {}
    none: tuple[dt.date, ...] = ()
    return _grouped("on-day", tuple(g.event_records),
                    (days.setdefault(k.date, (k.date,)) if e.in_corpus else none
                     for k, e in g.event_records.items()))


def _lists_event(g: KnowledgeGraph) -> EdgeSet:
    grouped = _grouped("lists-event", tuple(g.days), (d.listed for d in g.days.values()))
    offsets = grouped.offsets
    rank = tuple(r for n in range(len(offsets) - 1) for r in range(1, offsets[n + 1] - offsets[n] + 1))
    return EdgeSet(grouped.type, *EDGE_ENDS[grouped.type], grouped.source, grouped.target, offsets, rank=rank)


def _has_context(g: KnowledgeGraph) -> EdgeSet:
    contexts_of = g.event_contexts
    none: tuple[str, ...] = ()
    return _grouped("has-context", tuple(g.event_records),
                    (contexts_of.get(k, none) for k in g.event_records))


def _related_to(g: KnowledgeGraph) -> EdgeSet:
    links = g.related
    return EdgeSet("related-to", *EDGE_ENDS["related-to"], tuple(r.source for r in links),
                   tuple(r.target for r in links), rank=tuple(r.rank for r in links),
                   contexts=tuple(r.contexts for r in links))


def _shares_context(g: KnowledgeGraph) -> EdgeSet:
    pairs = g.shared
    return EdgeSet("shares-context", *EDGE_ENDS["shares-context"], tuple(p.first for p in pairs),
                   tuple(p.second for p in pairs), weight=tuple(len(p.contexts) for p in pairs),
                   contexts=tuple(p.contexts for p in pairs))


_EDGES: dict[str, Callable[[KnowledgeGraph], EdgeSet]] = {
    "cites": _cites,
    "published-by": _published_by,
    "made-by": _made_by,
    "distributed-by": _distributed_by,
    "has-image": _has_image,
    "on-day": _on_day,
    "lists-event": _lists_event,
    "related-to": _related_to,
    "has-context": _has_context,
    "shares-context": _shares_context,
}

def graph_table(graph: KnowledgeGraph, *, kinds: Collection[str] | None = None,
                types: Collection[str] | None = None) -> Table:
    """Make the node/edge table of ``graph``: the one place that decides what is a node or an edge.

    Parameters
    ----------
    graph : KnowledgeGraph
    kinds : collection of str, optional
        Node kinds to make (of :data:`NODE_KINDS`); all by default.
    types : collection of str, optional
        Edge types to make (of :data:`EDGE_TYPES`); all by default.  An
        output that writes one kind at a time asks for that part only.

    Returns
    -------
    Table
        Node sets in :data:`NODE_KINDS` order, edge sets in
        :data:`EDGE_TYPES` order, each in the graph's own order.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> t = graph_table(g, kinds=("context",), types=())
    >>> list(t.nodes), list(t.edges), len(t.nodes["context"]) == len(g.contexts)
    (['context'], [], True)
    >>> t = graph_table(g)
    >>> len(t.edges["cites"]) == sum(len(e.sources) for e in g.event_records.values())
    True
    """
    # A kind or type that no registry knows: a bad argument (ArgumentError, a ValueError).
    nodes = {kind: _NODES[kind](graph) for kind in NODE_KINDS if kinds is None or kind in kinds}
    edges = {type: _EDGES[type](graph) for type in EDGE_TYPES if types is None or type in types}
    for name in (*(kinds or ()), *(types or ())):
        if name not in _NODES and name not in _EDGES:
            raise ArgumentError(f"no node kind or edge type is called {name!r}; "
                                f"kinds: {', '.join(NODE_KINDS)}; types: {', '.join(EDGE_TYPES)}")
    # Read-only views: a table is a value, which no reader may change for the next.
    return Table(graph.base_iri, MappingProxyType(nodes), MappingProxyType(edges))
