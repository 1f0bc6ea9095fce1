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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.records import PageKey
from kg.report import BuildReport

if TYPE_CHECKING:  # pragma: no cover
    import igraph
    import networkx
    import pandas
    import rdflib

__all__ = [
    "Event",
    "Day",
    "Article",
    "RelatedLink",
    "SharedContext",
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


class _Referable:
    """Lets a slotted record be weakly referenced (``weakref_slot`` needs Python 3.11)."""

    __slots__ = ("__weakref__",)


@dataclass(frozen=True, slots=True)
class KnowledgeGraph(_Referable):
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

    event_records: Mapping[PageKey, Event]
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

    # ------------------------------------------------------------ views
    @property
    def events_in_corpus(self) -> list[Event]:
        """Events whose page was read, sorted by key."""
        return [e for e in self.event_records.values() if e.in_corpus]

    @property
    def external_events(self) -> list[Event]:
        """Events that only links name (referenced but not in the corpus)."""
        return [e for e in self.event_records.values() if not e.in_corpus]

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

    def sparql(self, query: str, **limits: Any) -> pandas.DataFrame | bool | rdflib.Graph:
        """Answer a SPARQL query, our prefixes bound (see :func:`kg.query.sparql`).

        SELECT gives a pandas DataFrame, ASK a bool, CONSTRUCT and DESCRIBE an rdflib Graph.
        ``limits`` are ``timeout``, ``max_rows`` and ``allow_service``, as
        :func:`kg.query.sparql` takes them.
        """
        from kg.query import sparql

        return sparql(self, query, **limits)

    # ------------------------------------------------------------ questions
    def contexts_of(self, event: PageKey | Event | str) -> tuple[str, ...]:
        """The contexts of an event named by key, record, page path or IRI."""
        from kg.query import contexts_of

        return contexts_of(self, event)

    def publishers_of(self, event: PageKey | Event | str) -> tuple[str, ...]:
        """The publishers an event cites, sorted by name."""
        from kg.query import publishers_of

        return publishers_of(self, event)

    def events(self, context: Any = None, publisher: Any = None, since: Any = None,
               until: Any = None, text: str | None = None, **options: Any) -> pandas.DataFrame:
        """Events matching every filter, as a DataFrame (see :func:`kg.questions.events`).

        The records themselves are :attr:`event_records` (a mapping by key).
        """
        from kg.questions import events

        return events(self, context, publisher, since, until, text, **options)

    def timeline(self, names: str | Iterable[str], freq: str = "D", since: Any = None,
                 until: Any = None, **options: Any) -> pandas.DataFrame:
        """Events per day, week or month for each name (see :func:`kg.questions.timeline`)."""
        from kg.questions import timeline

        return timeline(self, names, freq, since, until, **options)

    def cooccurring(self, name: Any, since: Any = None, until: Any = None,
                    n: int | None = None) -> pandas.DataFrame:
        """Contexts sharing events with ``name`` (see :func:`kg.questions.cooccurring`)."""
        from kg.questions import cooccurring

        return cooccurring(self, name, since, until, n)

    def top_contexts(self, n: int | None = 10, **filters: Any) -> pandas.DataFrame:
        """Contexts ranked by matching events (filters as :meth:`events`)."""
        from kg.questions import top_contexts

        return top_contexts(self, n, **filters)

    def top_publishers(self, n: int | None = 10, **filters: Any) -> pandas.DataFrame:
        """Publishers (or ``by="domain"``, ...) ranked by matching events (filters as :meth:`events`)."""
        from kg.questions import top_publishers

        return top_publishers(self, n, **filters)

    def around(self, event: PageKey | Event | str, days: int = 7, **options: Any) -> pandas.DataFrame:
        """Events within ``days`` of ``event`` sharing a context (see :func:`kg.questions.around`)."""
        from kg.questions import around

        return around(self, event, days, **options)

    def path(self, a: Any, b: Any, **options: Any) -> pandas.DataFrame:
        """The shortest chain of nodes from ``a`` to ``b`` (see :func:`kg.export.nx.node_path`)."""
        from kg.export.nx import node_path

        return node_path(self, a, b, **options)

    def subgraph(self, **filters: Any) -> KnowledgeGraph:
        """The part of the graph that filters select, a graph itself (see :mod:`kg.subgraph`)."""
        from kg.subgraph import subgraph

        return subgraph(self, **filters)

    def query_df(self, query: str, *, prefixed: bool = False) -> pandas.DataFrame:
        """Answer a SPARQL SELECT as a DataFrame (see :mod:`kg.sparql_results`)."""
        from kg.sparql_results import query_df

        return query_df(self, query, prefixed=prefixed)

    def ask(self, query: str) -> bool:
        """Answer a SPARQL ASK."""
        from kg.sparql_results import ask

        return ask(self, query)

    def construct(self, query: str) -> rdflib.Graph:
        """Answer a SPARQL CONSTRUCT or DESCRIBE as an :class:`rdflib.Graph`."""
        from kg.sparql_results import construct

        return construct(self, query)

    def to_igraph(self) -> igraph.Graph:
        """Return the typed graph as :class:`igraph.Graph` (see :mod:`kg.export.igraph`)."""
        from kg.export.igraph import to_igraph

        return to_igraph(self)

    def event_projection(self, **options: Any) -> networkx.Graph:
        """Events linked by shared contexts, weighted (see :func:`kg.export.nx.event_projection`)."""
        from kg.export.nx import event_projection

        return event_projection(self, **options)

    def context_projection(self, **options: Any) -> networkx.Graph:
        """Contexts linked by co-occurrence, weighted by events (see :mod:`kg.export.nx`)."""
        from kg.export.nx import context_projection

        return context_projection(self, **options)
