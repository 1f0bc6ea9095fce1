"""The node/edge table's records: node sets and edge sets as columns, and the table.

What they hold, and why as columns, is told in :mod:`kg.table`;
:func:`kg.table.graph_table` makes them from a graph.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar, overload

from kg import iri
from kg.parse.publishers import web_domain
from kg.parse.records import PageKey

__all__ = ["EDGE_ENDS", "EDGE_TYPES", "NODE_KINDS", "Edge", "EdgeSet", "EdgeSets", "Key", "Node", "NodeSet",
           "NodeSets", "Table"]

#: Node kinds, in the order the table holds them.
NODE_KINDS = ("event", "day", "article", "publisher", "organization", "image", "context")
#: Edge types, in the order the table holds them.
EDGE_TYPES = ("cites", "published-by", "made-by", "distributed-by", "has-image", "on-day", "lists-event",
              "related-to", "has-context", "shares-context")

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

#: The stable key of a node: an event's page key, a day's date, an article's
#: or image's URL, a publisher's or context's name, an organization's key
#: (:func:`~kg.parse.publishers.organization_key`).
Key = PageKey | dt.date | str

# The key type of a node set, and of an edge set's sources and targets.  Covariant, as the
# sets are frozen: a set of events (NodeSet[PageKey]) is a set of nodes (NodeSet[Key]).
_K = TypeVar("_K", bound=Key, covariant=True)
_S = TypeVar("_S", bound=Key, covariant=True)
_T = TypeVar("_T", bound=Key, covariant=True)
_V = TypeVar("_V")
# The node kinds whose keys are names or URLs.
_NamedKind = Literal["article", "publisher", "organization", "image", "context"]


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
    cited under, ``domain`` an article's web domain, ``spellings`` the other
    names an organization's sources give it than its label.
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
    spellings: tuple[str, ...] = ()


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
class NodeSet(Generic[_K]):
    """The nodes of one kind as columns, one row per node in output order.

    ``key`` and ``label`` have a row per node; the other columns are empty
    where the kind has no such attribute.  The keys are of the kind's own
    type (``NodeSet[PageKey]`` for events: see :class:`NodeSets`).  IRIs (and a context's Wikipedia
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
    key: tuple[_K, ...]
    label: tuple[str, ...]
    date: tuple[dt.date, ...] = ()
    url: tuple[str, ...] = ()
    page: tuple[str | None, ...] = ()
    heading: tuple[str | None, ...] = ()
    in_corpus: tuple[bool, ...] = ()
    contexts: tuple[tuple[str, ...], ...] = ()
    publishers: tuple[tuple[str, ...], ...] = ()
    spellings: tuple[tuple[str, ...], ...] = ()

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
                    web_domain(url) if self.kind in _HAS_DOMAIN and url is not None else None,
                    self.spellings[row] if self.spellings else ())

    def records(self) -> Iterator[Node]:
        """Every node of the set, in order."""
        return map(self.record, range(len(self.key)))


@dataclass(frozen=True, slots=True)
class EdgeSet(Generic[_S, _T]):
    """The edges of one type as columns: source and target keys, then attributes.

    ``offsets`` is set when the edges are grouped by source, in the order
    of the source kind's :class:`NodeSet`: the edges of its row ``i`` are
    ``offsets[i]:offsets[i + 1]``.  ``rank``, ``weight`` and ``contexts``
    are empty where the type has no such attribute.  Source and target keys
    are of their kinds' own types (``EdgeSet[PageKey, str]`` for cites:
    see :class:`EdgeSets`).
    """

    type: str
    source_kind: str
    target_kind: str
    source: tuple[_S, ...]
    target: tuple[_T, ...]
    offsets: tuple[int, ...] = ()
    rank: tuple[int, ...] = ()
    weight: tuple[int, ...] = ()
    contexts: tuple[tuple[str, ...], ...] = ()

    def __len__(self) -> int:
        return len(self.source)


class _Sets(Mapping[str, _V]):
    """A read-only mapping of name -> set: what :class:`NodeSets` and :class:`EdgeSets` share."""

    __slots__ = ("_sets",)

    def __init__(self, sets: Mapping[str, _V]) -> None:
        self._sets = dict(sets)

    def __getitem__(self, name: str) -> _V:
        return self._sets[name]

    def __contains__(self, name: object) -> bool:
        return name in self._sets

    def __iter__(self) -> Iterator[str]:
        return iter(self._sets)

    def __len__(self) -> int:
        return len(self._sets)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._sets!r})"


class NodeSets(_Sets[NodeSet[Key]]):
    """A table's node sets by kind, read-only; a kind named as written gives its own key type.

    ``nodes["event"]`` is a ``NodeSet[PageKey]``, ``nodes["day"]`` a
    ``NodeSet[datetime.date]``, every other kind's a ``NodeSet[str]``; a
    kind held in a variable gives a ``NodeSet[Key]``.

    >>> nodes = NodeSets({"context": NodeSet("context", "https://x.org/", ("Iran",), ("Iran",))})
    >>> list(nodes), nodes["context"].key, "event" in nodes
    (['context'], ('Iran',), False)
    """

    __slots__ = ()

    @overload
    def __getitem__(self, kind: Literal["event"]) -> NodeSet[PageKey]: ...
    @overload
    def __getitem__(self, kind: Literal["day"]) -> NodeSet[dt.date]: ...
    @overload
    def __getitem__(self, kind: _NamedKind) -> NodeSet[str]: ...
    @overload
    def __getitem__(self, kind: str) -> NodeSet[Key]: ...

    def __getitem__(self, kind: str) -> NodeSet[Key]:
        # The overloads above are the one place that says which key type each kind's set
        # holds: the one its builder in kg.table.building makes, which a type checker cannot
        # follow from a kind's name.  tests/test_table.py checks them against a built table.
        return self._sets[kind]


class EdgeSets(_Sets[EdgeSet[Key, Key]]):
    """A table's edge sets by type, read-only; a type named as written gives its ends' key types.

    The ends are those of :data:`EDGE_ENDS`: ``edges["cites"]`` is an
    ``EdgeSet[PageKey, str]`` (event -> article URL), ``edges["on-day"]`` an
    ``EdgeSet[PageKey, datetime.date]``; a type held in a variable gives an
    ``EdgeSet[Key, Key]``.
    """

    __slots__ = ()

    @overload
    def __getitem__(self, type: Literal["cites", "has-image", "has-context"]) -> EdgeSet[PageKey, str]: ...
    @overload
    def __getitem__(self, type: Literal["published-by", "made-by", "distributed-by"]) -> EdgeSet[str, str]: ...
    @overload
    def __getitem__(self, type: Literal["on-day"]) -> EdgeSet[PageKey, dt.date]: ...
    @overload
    def __getitem__(self, type: Literal["lists-event"]) -> EdgeSet[dt.date, PageKey]: ...
    @overload
    def __getitem__(self, type: Literal["related-to", "shares-context"]) -> EdgeSet[PageKey, PageKey]: ...
    @overload
    def __getitem__(self, type: str) -> EdgeSet[Key, Key]: ...

    def __getitem__(self, type: str) -> EdgeSet[Key, Key]:
        # As NodeSets.__getitem__: the overloads say what each type's builder makes.
        return self._sets[type]


@dataclass(frozen=True, slots=True)
class Table:
    """A graph's nodes by kind and edges by type (see :func:`graph_table`).

    A table made of part of the node kinds or edge types holds only those;
    an edge may then name a node the table does not hold.

    Examples
    --------
    >>> import datetime as dt
    >>> day = dt.date(2015, 9, 1)
    >>> on_day = EdgeSet("on-day", "event", "day", (PageKey(day, "a"),), (day,))
    >>> t = Table("https://x.org/", NodeSets({}), EdgeSets({"on-day": on_day}))
    >>> [(e.source, e.type, e.target) for e in t.edge_records()]
    [('https://x.org/event/2015-09-01/a', 'on-day', 'https://x.org/day/2015-09-01')]
    """

    base_iri: str
    nodes: NodeSets
    edges: EdgeSets

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
