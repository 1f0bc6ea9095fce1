"""The graph model: one typed value that every exporter reads.

:class:`KnowledgeGraph` is what :func:`kg.build` and :func:`kg.load` return.
Its fields are plain frozen records keyed by stable keys (a
:class:`~kg.records.PageKey`, a date, a URL, a name); IRIs are minted from
those keys by :mod:`kg.iri` when the graph is exported.  The methods are thin
doors to the exporters, imported lazily so that ``import kg`` stays cheap.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.records import PageKey
from kg.report import BuildReport

if TYPE_CHECKING:  # pragma: no cover
    import networkx
    import pandas
    import rdflib

__all__ = [
    "Event",
    "Day",
    "Article",
    "RelatedLink",
    "SharedContext",
    "EventTable",
    "KnowledgeGraph",
    "DEFAULT_BASE_IRI",
]

#: Where data IRIs live unless the user names another base (``--base``).
DEFAULT_BASE_IRI = "https://kg.example.org/news/"


@dataclass(frozen=True, slots=True)
class Event:
    """An event node.

    ``in_corpus`` is false for an event that only a link names (its page is
    not in the corpus): then ``headline`` is the link text and ``page`` is
    ``None``.
    """

    key: PageKey
    headline: str
    in_corpus: bool = True
    page: str | None = None
    sources: tuple[str, ...] = ()
    images: tuple[str, ...] = ()

    @property
    def date(self) -> dt.date:
        """The event's day."""
        return self.key.date


@dataclass(frozen=True, slots=True)
class Day:
    """A day node; ``listed`` are the events its day page lists, in order."""

    date: dt.date
    label: str | None = None
    page: str | None = None
    listed: tuple[PageKey, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """A cited source article and the publisher name(s) it was cited under."""

    url: str
    publishers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RelatedLink:
    """A Related line as written on ``source``'s page, with its contexts."""

    source: PageKey
    target: PageKey
    rank: int
    contexts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SharedContext:
    """Two events named together by a Related line, in either direction.

    ``first < second``; ``contexts`` is the union of what their lines name.
    """

    first: PageKey
    second: PageKey
    contexts: tuple[str, ...]

    @property
    def weight(self) -> int:
        """The number of shared contexts."""
        return len(self.contexts)


class EventTable(dict):
    """A graph's events by key (a plain ``dict``) that can also be asked questions.

    ``g.events[key]`` is an :class:`Event`; ``g.events(context="Iran",
    since="2015-09-01")`` is a DataFrame of the matching events (see
    :func:`kg.query.events`).
    """

    __slots__ = ("_graph",)

    def __call__(self, context: str | None = None, publisher: str | None = None,
                 since: dt.date | str | None = None, until: dt.date | str | None = None,
                 **options: Any) -> pandas.DataFrame:
        from kg.query import events

        return events(self._graph, context, publisher, since, until, **options)


@dataclass(frozen=True, slots=True)
class KnowledgeGraph:
    """A news knowledge graph: events, days, articles, publishers, images, contexts.

    Build one with :func:`kg.build` (from a corpus) or :func:`kg.load` (from
    Turtle or N-Triples written by ``kg build``).

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> len(g.events_in_corpus), len(g.days), len(g.contexts)
    (428, 30, 194)
    """

    events: Mapping[PageKey, Event]
    days: Mapping[dt.date, Day]
    articles: Mapping[str, Article]
    publishers: tuple[str, ...]
    images: tuple[str, ...]
    contexts: tuple[str, ...]
    event_contexts: Mapping[PageKey, tuple[str, ...]]
    related: tuple[RelatedLink, ...]
    shared: tuple[SharedContext, ...]
    report: BuildReport = field(default_factory=BuildReport)
    base_iri: str = DEFAULT_BASE_IRI
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        # events stays a dict, and gains g.events(context=..., since=...)
        table = EventTable(self.events)
        table._graph = self
        object.__setattr__(self, "events", table)

    # ------------------------------------------------------------ views
    @property
    def events_in_corpus(self) -> list[Event]:
        """Events whose page was read, sorted by key."""
        return [e for e in self.events.values() if e.in_corpus]

    @property
    def external_events(self) -> list[Event]:
        """Events that only links name (referenced but not in the corpus)."""
        return [e for e in self.events.values() if not e.in_corpus]

    def counts(self) -> dict[str, int]:
        """Node and edge counts, as written to ``report.json``."""
        from kg.report import count_graph

        return count_graph(self)

    # ------------------------------------------------------------ exports
    def triples(self) -> Iterator[Any]:
        """Yield the graph's RDF triples (pyoxigraph terms), in a stable order."""
        from kg.rdf import graph_triples

        return graph_triples(self)

    def write(self, path: str | os.PathLike[str], format: str | None = None, **options: Any) -> None:
        """Write the graph with a registered exporter (see :data:`kg.export.EXPORTERS`)."""
        from kg.export import export

        export(self, path, format, **options)

    def write_turtle(self, path: str | os.PathLike[str], **options: Any) -> None:
        """Write Turtle; ``gzip=True`` compresses."""
        self.write(path, "turtle", **options)

    def write_ntriples(self, path: str | os.PathLike[str], **options: Any) -> None:
        """Write N-Triples, one triple a line, for bulk loaders."""
        self.write(path, "ntriples", **options)

    def to_rdflib(self) -> rdflib.Graph:
        """Return an :class:`rdflib.Graph` holding every triple."""
        from kg.rdf import to_rdflib

        return to_rdflib(self)

    def to_networkx(self) -> networkx.MultiDiGraph:
        """Return a typed :class:`networkx.MultiDiGraph` (see :mod:`kg.export.nx`)."""
        from kg.export.nx import to_networkx

        return to_networkx(self)

    def to_html(self, path: str | os.PathLike[str] | None = None, **options: Any) -> Any:
        """Write the explorer page to ``path``, or return it for a notebook.

        Options (``kinds``, ``since``, ``until``, ``max_nodes``, ``focus``,
        ``depth``, ``title``) are those of :func:`kg.html.explorer.explore`.
        With a path, return the :class:`~kg.html.explorer.Explorer` written;
        without, an object that Jupyter and VS Code display inline (a
        sandboxed iframe).  Both have a one-line repr.
        """
        from kg.export.html import inline_html, write_html

        if path is None:
            return inline_html(self, **options)
        return write_html(self, path, **options)

    def sparql(self, query: str) -> pandas.DataFrame | bool | rdflib.Graph:
        """Answer a SPARQL query, our prefixes bound (see :func:`kg.query.sparql`).

        SELECT gives a pandas DataFrame, ASK a bool, CONSTRUCT and DESCRIBE an rdflib Graph.
        """
        from kg.query import sparql

        return sparql(self, query)

    # ------------------------------------------------------------ questions
    def contexts_of(self, event: PageKey | Event | str) -> tuple[str, ...]:
        """The contexts of an event named by key, record, page path or IRI."""
        from kg.query import contexts_of

        return contexts_of(self, event)

    def publishers_of(self, event: PageKey | Event | str) -> tuple[str, ...]:
        """The publishers an event cites, sorted by name."""
        from kg.query import publishers_of

        return publishers_of(self, event)

    def timeline(self, context: str) -> pandas.DataFrame:
        """Events about ``context`` per day (``date``, ``events``), zeros included."""
        from kg.query import timeline

        return timeline(self, context)

    def top_contexts(self, n: int | None = 10) -> pandas.DataFrame:
        """Contexts ranked by the number of events about them."""
        from kg.query import top_contexts

        return top_contexts(self, n)

    def top_publishers(self, n: int | None = 10) -> pandas.DataFrame:
        """Publishers ranked by the number of events citing them."""
        from kg.query import top_publishers

        return top_publishers(self, n)

    def event_projection(self, **options: Any) -> networkx.Graph:
        """Events linked by shared contexts, weighted (see :func:`kg.export.nx.event_projection`)."""
        from kg.export.nx import event_projection

        return event_projection(self, **options)

    def context_projection(self, **options: Any) -> networkx.Graph:
        """Contexts linked by co-occurrence, weighted by events (see :mod:`kg.export.nx`)."""
        from kg.export.nx import context_projection

        return context_projection(self, **options)
