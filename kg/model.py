"""The graph model: one typed value that every exporter reads.

:class:`KnowledgeGraph` is what :func:`kg.build` and :func:`kg.load` return.
Its fields are plain frozen records keyed by stable keys (a
:class:`~kg.parse.records.PageKey`, a date, a URL, a name); IRIs are minted from
those keys by :mod:`kg.iri` when the graph is exported.  The model is plain
values and imports nothing but other records: what reads a graph (writers,
queries, converters) are functions of the library API that take one
(``kg.write(g, path)``, ``kg.to_networkx(g)``, ``kg.events(g, ...)``), so that
no exporter and the model import each other.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType

from kg.arguments import a_kind_of
from kg.diagnostics import Diagnostic, Level
from kg.errors import ArgumentTypeError
from kg.parse.records import PageKey

__all__ = [
    "Event",
    "Day",
    "Article",
    "RelatedLink",
    "SharedContext",
    "KnowledgeGraph",
    "check_graph",
    "BuildReport",
    "BuildRecord",
    "DEFAULT_BASE_IRI",
]

#: Where data IRIs live unless the user names another base (``--base``).
DEFAULT_BASE_IRI = "https://kg.example.org/news/"


@dataclass(frozen=True, slots=True)
class Event:
    """An event node.

    ``in_corpus`` is false for an event that only a link names (its page is
    not in the corpus): then ``headline`` is the link text and ``page`` is
    ``None``.  ``sources`` are the URLs of the articles it cites (keys of
    :attr:`KnowledgeGraph.articles`), ``images`` those of its cover images.

    Examples
    --------
    >>> import datetime as dt, kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> e = g.event_records[kg.PageKey(dt.date(2015, 9, 25), "croatia-reopens-its-border-with-serbia")]
    >>> e.headline, e.date, e.in_corpus
    ('Croatia reopens its border with Serbia.', datetime.date(2015, 9, 25), True)
    >>> e.page
    'news/2015/09/25/croatia-reopens-its-border-with-serbia.md'
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
    """A day node; ``listed`` are the events its day page lists, in order.

    ``label`` is the day's heading as its page writes it, ``page`` the page's path
    (both ``None`` for a day that no day page describes).

    Examples
    --------
    >>> import datetime as dt, kg
    >>> day = kg.build("examples/wcep-2015-09").days[dt.date(2015, 9, 30)]
    >>> day.page, len(day.listed), day.listed[0].date
    ('news/2015/09/30/index.md', 15, datetime.date(2015, 9, 30))
    """

    date: dt.date
    label: str | None = None
    page: str | None = None
    listed: tuple[PageKey, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """A cited source article and the publisher name(s) it was cited under.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> g.articles["http://af.reuters.com/article/commoditiesNews/idAFL5N11V2P920150925"]
    Article(url='http://af.reuters.com/article/commoditiesNews/idAFL5N11V2P920150925', publishers=('Reuters',))
    """

    url: str
    publishers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RelatedLink:
    """A Related line as written on ``source``'s page, with its contexts.

    ``target`` is the event it links to, ``rank`` its 1-based place in the page's Related list.

    Examples
    --------
    >>> import datetime as dt, kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> key = kg.PageKey(dt.date(2015, 9, 25), "croatia-reopens-its-border-with-serbia")
    >>> link = next(link for link in g.related if link.source == key and link.rank == 1)
    >>> link.target.slug, link.contexts
    ('croatia-and-serbia-restrict-cross-border-traffic', ('Croatia', 'Serbia'))
    """

    source: PageKey
    target: PageKey
    rank: int
    contexts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SharedContext:
    """Two events named together by a Related line, in either direction.

    ``first < second``; ``contexts`` is the union of what their lines name.

    Examples
    --------
    >>> import datetime as dt, kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> a = kg.PageKey(dt.date(2015, 9, 24), "croatia-and-serbia-restrict-cross-border-traffic")
    >>> b = kg.PageKey(dt.date(2015, 9, 25), "croatia-reopens-its-border-with-serbia")
    >>> pair = next(s for s in g.shared if (s.first, s.second) == (a, b))
    >>> pair.contexts, pair.weight
    (('Croatia', 'Serbia'), 2)
    """

    first: PageKey
    second: PageKey
    contexts: tuple[str, ...]

    @property
    def weight(self) -> int:
        """The number of shared contexts."""
        return len(self.contexts)


@dataclass(frozen=True, slots=True)
class BuildRecord:
    """How a graph was made: when its build started and ended, what it read, with which options.

    The N-Quads and TriG writers describe it (PROV-O, :mod:`kg.export.provenance`);
    ``ended`` is ``None`` until the build has ended.  ``corpus`` is the corpus folder's name,
    ``options`` the build's options as ``(name, value)`` text pairs.

    Examples
    --------
    >>> import kg
    >>> record = kg.build("examples/wcep-2015-09").provenance
    >>> record.corpus, record.ended >= record.started
    ('wcep-2015-09', True)
    >>> dict(record.options)["base"]
    'https://kg.example.org/news/'
    """

    started: dt.datetime
    corpus: str
    options: tuple[tuple[str, str], ...] = ()
    ended: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build read and what it could not.

    ``diagnostics`` are sorted by path, line and code.  ``counts`` are
    read-only, as the rest of the report: a copy of the mapping it is made
    with, which compares equal to a plain ``dict`` of the same items.

    Examples
    --------
    >>> report = BuildReport("c", 1, (), {"events": 2})
    >>> report.counts == {"events": 2}, dict(report.counts)
    (True, {'events': 2})
    >>> report.counts["events"] = 0
    Traceback (most recent call last):
    ...
    TypeError: 'mappingproxy' object does not support item assignment
    """

    corpus: str = ""
    pages_read: int = 0
    diagnostics: tuple[Diagnostic, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A read-only view of a copy: neither the report's reader nor its maker can change it after.
        object.__setattr__(self, "counts", MappingProxyType(dict(self.counts)))

    def __reduce__(self) -> tuple[type[BuildReport], tuple[str, int, tuple[Diagnostic, ...], dict[str, int]]]:
        # (a view does not pickle, nor copy: its items do, and are made a view again)
        return type(self), (self.corpus, self.pages_read, self.diagnostics, dict(self.counts))

    def __hash__(self) -> int:
        # (the dataclass's hash fails on the read-only counts: as a graph's, a summary equal reports share)
        return hash((self.corpus, self.pages_read, len(self.diagnostics), tuple(sorted(self.counts.items()))))

    def __repr__(self) -> str:
        # One line: the diagnostics of a large build would print megabytes.
        plural = {"error": "errors", "warning": "warnings"}
        levels = ", ".join(f"{n:,} {level if n == 1 else plural.get(level, level)}"
                           for level, n in self.by_level().items())
        return f"<BuildReport of {self.corpus or 'a corpus'}: {self.pages_read:,} pages read; {levels}>"

    def by_level(self) -> dict[str, int]:
        """Number of diagnostics per level."""
        found = Counter(d.level.value for d in self.diagnostics)
        return {level.value: found.get(level.value, 0) for level in Level}

    @property
    def has_errors(self) -> bool:
        """Whether any diagnostic is of error level."""
        return any(d.level is Level.ERROR for d in self.diagnostics)

    @property
    def has_warnings(self) -> bool:
        """Whether any diagnostic is of warning level."""
        return any(d.level is Level.WARNING for d in self.diagnostics)

    def to_dict(self) -> dict[str, object]:
        """Return the JSON-ready report."""
        return {
            "corpus": self.corpus,
            "pages_read": self.pages_read,
            "counts": dict(self.counts),
            "diagnostic_levels": self.by_level(),
            "diagnostic_codes": dict(sorted(Counter(d.code for d in self.diagnostics).items())),
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


class _Referable:
    """Lets a slotted record be weakly referenced (``weakref_slot`` needs Python 3.11)."""

    __slots__ = ("__weakref__",)


@dataclass(frozen=True, slots=True)
class KnowledgeGraph(_Referable):
    """A news knowledge graph: events, days, articles, publishers, images, contexts.

    Build one with :func:`kg.build` (from a corpus) or :func:`kg.load` (from
    Turtle or N-Triples written by ``kg build``).  A plain value: functions of
    the library API read it (``kg.write``, ``kg.to_networkx``, ``kg.sparql_query``,
    ``kg.events`` ...).  Its mappings are read-only: :func:`kg.subgraph` makes a
    smaller graph, :func:`dataclasses.replace` one with other records.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> len(g.events_in_corpus), len(g.days), len(g.contexts)
    (428, 30, 194)
    >>> kg.counts(g)["related_links"]
    1925
    >>> g  # doctest: +ELLIPSIS
    <KnowledgeGraph: 428 events (... external), 30 days, ... contexts, ... related links; https://...>
    >>> g.days.popitem()
    Traceback (most recent call last):
    ...
    AttributeError: 'mappingproxy' object has no attribute 'popitem'
    >>> hash(g) == hash(kg.build("examples/wcep-2015-09")) and len({g, g}) == 1
    True
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
    #: The organizations that the publisher names resolve to (makers and
    #: distributors, see :mod:`kg.parse.publishers`); ``None``, as every
    #: build and load leaves it, derives them from ``publishers``.  Only a
    #: view that writes some of them (the incremental rebuild) names them.
    organizations: tuple[str, ...] | None = None
    #: Each organization's label by its key, chosen by how many pages write each
    #: of its spellings (:func:`kg.parse.publishers.label_organizations`), as
    #: every build and load sets it; ``None`` (a graph made by hand) names each
    #: by its spellings alone.  A key it lacks is named so too.
    organization_labels: Mapping[str, str] | None = None
    #: How the graph was made (:func:`kg.build`, :func:`kg.load`): about the
    #: graph but not part of it, so not compared (two builds of one corpus
    #: are equal graphs).  ``None`` for a graph made by hand.
    provenance: BuildRecord | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # Read-only views of copies, as the rest of the graph: a record deleted from a mapping by its
        # reader would leave links and counts that name it (a view of another graph's view is kept).
        for name in _MAPPINGS:
            value = getattr(self, name)
            if value is not None and type(value) is not MappingProxyType:
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    def __hash__(self) -> int:
        # The dataclass's hash of every field fails on the read-only mappings, so a graph could not key a
        # cache (functools.lru_cache) or a set.  A summary that equal graphs share is hashed: equality
        # decides the rest.
        return hash((self.base_iri, len(self.event_records), len(self.days), len(self.articles),
                     self.publishers, self.contexts, len(self.related), len(self.shared)))

    def __reduce__(self) -> tuple[type[KnowledgeGraph], tuple[object, ...]]:
        # (a view does not pickle, nor copy: its items do, and are made views again)
        return type(self), tuple(_plain(getattr(self, f.name)) for f in fields(self))

    def __repr__(self) -> str:
        # One line: the records of a large graph would print megabytes (a notebook cell's echo).
        read = sum(1 for e in self.event_records.values() if e.in_corpus)
        return (f"<KnowledgeGraph: {read:,} events ({len(self.event_records) - read:,} external), "
                f"{len(self.days):,} days, {len(self.articles):,} articles, {len(self.publishers):,} publishers, "
                f"{len(self.contexts):,} contexts, {len(self.related):,} related links; {self.base_iri}>")

    # ------------------------------------------------------------ views
    @property
    def events_in_corpus(self) -> list[Event]:
        """Events whose page was read, sorted by key."""
        return [e for e in self.event_records.values() if e.in_corpus]

    @property
    def external_events(self) -> list[Event]:
        """Events that only links name (referenced but not in the corpus)."""
        return [e for e in self.event_records.values() if not e.in_corpus]


#: The graph's fields that are mappings, held as read-only views.
_MAPPINGS = ("event_records", "days", "articles", "event_contexts", "organization_labels")


def _plain(value: object) -> object:
    return dict(value) if type(value) is MappingProxyType else value


def check_graph(value: object, function: str) -> None:
    """Refuse what is not a :class:`KnowledgeGraph` where ``function`` reads one, saying what to pass.

    Examples
    --------
    >>> check_graph("out/graph.kg.json", "kg.events")
    Traceback (most recent call last):
    ...
    kg.errors.ArgumentTypeError: kg.events reads a kg.KnowledgeGraph, not a path: kg.load('out/graph.kg.json') \
reads a graph file that kg build wrote, kg.build('out/graph.kg.json') a corpus folder
    """
    if isinstance(value, KnowledgeGraph):
        return
    import os

    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        raise ArgumentTypeError(f"{function} reads a kg.KnowledgeGraph, not a path: kg.load({path!r}) reads a graph "
                                f"file that kg build wrote, kg.build({path!r}) a corpus folder")
    kind = type(value)
    if kind.__module__.partition(".")[0] in ("networkx", "rdflib", "igraph", "pyoxigraph"):
        raise ArgumentTypeError(f"{function} reads a kg.KnowledgeGraph, not a {kind.__module__.partition('.')[0]} "
                                f"{kind.__name__}: pass the KnowledgeGraph it was made from")
    raise ArgumentTypeError(f"{function} reads a kg.KnowledgeGraph (from kg.build or kg.load), not {a_kind_of(value)}")
