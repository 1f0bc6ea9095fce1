"""The questions analysts ask, answered in one line as pandas DataFrames.

Every answer is a :class:`pandas.DataFrame` with ``datetime64[ns]`` dates
(:data:`DAY_DTYPE`, as :func:`kg.query.analyst.sparql` gives ``xsd:date`` values),
readable labels (headlines, names) and, where the row is a node, its IRI in
an ``iri`` column.  The functions read the model directly (no SPARQL store),
from a per-graph table of events kept in the graph's cache.

Filters are shared by :func:`events`, :func:`top_contexts` and
:func:`top_publishers`:

``context`` / ``publisher``
    A name, matched without regard to case or accents ("sao paulo" finds
    "São Paulo"); a list of names means *any* of them; ``kg.all_of(a, b)``
    means *all* of them (a list may hold such names: ``[kg.all_of(a, b), c]``
    is both a and b, or c).  An unknown name raises
    :class:`~kg.errors.UnknownNameError` (a ``KeyError``) naming the closest
    known names.  A publisher matches the source name as written ("AFP via
    France 24"), the publisher ("AFP") and the distributor ("France 24"), see
    :mod:`kg.parse.publishers`; so does an organization's IRI (``organization:AFP``,
    as :func:`top_publishers` names it). A publisher node's IRI (``publisher:Reuters``)
    matches that node alone: the name as written.
``since`` / ``until``
    Dates (``datetime.date``, ``pandas.Timestamp`` or ``"YYYY-MM-DD"``),
    both included; or a month ``"YYYY-MM"`` or a year ``"YYYY"``: ``since``
    from its first day, ``until`` to its last (see :func:`kg.arguments.as_period`).
``text``
    Words (a string, or a list of them) that must all appear in the headline,
    case, accents and punctuation ignored; a word matches the start of a longer
    one (``"drone"`` finds "drones", ``"iran"`` finds "Iranian", ``"ban"`` not "Lebanon"), but one of
    one or two characters, or a dotted abbreviation, only a whole word (or
    one with an "s"); two letters typed in capitals (``"UN"``), where some
    headline writes them so, only a whole word in capitals; and one of three
    or four letters typed in capitals (``"NATO"``), where some headline writes
    it so, only a whole word that begins with a capital: see
    :mod:`kg.query.textsearch`.

:func:`kg.query.timeline.timeline` counts the events per period, one column
a name; it builds on this module (its period warning, :func:`say_if_outside`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Any

from kg import iri
from kg.arguments import day_range, did_you_mean, whole_number
from kg.callsite import warn_at_caller
from kg.errors import ArgumentError
from kg.keywords import checks_keywords
from kg.model import Event, KnowledgeGraph, check_graph
from kg.parse.records import PageKey
from kg.query.eventrows import EventRow, event_key, event_rows, match_names, name_index
from kg.query.frames import DAY_DTYPE, answer_frame, as_days
from kg.query.frequencies import FREQUENCIES, timeline_offset
from kg.query.names import Match, NameFilter
from kg.query.stats import ranked as top_counts
from kg.query.textsearch import filter_terms, holds_term, settle_capitals
from kg.table import organization_names

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["EventRow", "event_key", "event_rows", "name_index", "select", "events", "say_if_outside",
           "timeline_offset", "cooccurring", "top_contexts", "top_publishers", "around", "as_days", "DAY_DTYPE",
           "FREQUENCIES", "RANK_BY", "RANKED_NODES"]


def select(graph: KnowledgeGraph, context: NameFilter | None = None,
           publisher: NameFilter | None = None, since: Any = None, until: Any = None,
           text: str | Iterable[str] | None = None, *, include_external: bool = False,
           domain: NameFilter | None = None) -> list[EventRow]:
    """The events matching every given filter (see the module's docstring), oldest first, a day's as its
    day page lists them.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> rows = select(g, context="iran", until="2015-09-10")
    >>> all("Iran" in r.contexts and r.key.date.day <= 10 for r in rows), len(rows) > 0
    (True, True)
    """
    first, last = day_range(since, until)
    if first or last:  # (external events' days count: an answer may hold them)
        say_if_outside([r.key.date for r in event_rows(graph)] + list(graph.days), first, last)
    about: Match | None = match_names(graph, "context", context) if context is not None else None
    outlet: Match | None = match_names(graph, "publisher", publisher) if publisher is not None else None
    site: Match | None = match_names(graph, "domain", domain) if domain is not None else None
    words = settle_capitals(filter_terms(text), (row.words for row in event_rows(graph)))
    out = []
    for row in event_rows(graph):
        date = row.key.date
        if (not (row.in_corpus or include_external) or (first and date < first)
                or (last and date > last)):
            continue
        if about is not None and not about.accepts(row.contexts):
            continue
        if outlet is not None and not outlet.accepts(row.outlets):
            continue
        if site is not None and not site.accepts(row.domains):
            continue
        if words and not all(holds_term(row.words, row.folded, t) for t in words):
            continue
        out.append(row)
    return out


_EVENT_COLUMNS = ["date", "headline", "contexts", "publishers", "distributors", "domains",
                  "sources", "articles", "path", "iri"]


def _event_tuple(graph: KnowledgeGraph, row: EventRow) -> tuple[Any, ...]:
    return (row.key.date, row.headline, row.contexts, row.publishers, row.distributors,
            row.domains, row.sources, len(graph.event_records[row.key].sources), row.key.path,
            iri.event_iri(graph.base_iri, row.key))


@checks_keywords
def events(graph: KnowledgeGraph, context: NameFilter | None = None,
           publisher: NameFilter | None = None, since: Any = None, until: Any = None,
           text: str | Iterable[str] | None = None, *, include_external: bool = False,
           domain: NameFilter | None = None) -> pandas.DataFrame:
    """The events matching every given filter, oldest first, a day's as its day page lists them.

    ``domain`` keeps the events citing an article of a web host (``"reuters.com"``, without ``www.``),
    as ``top_publishers(by="domain")`` counts them; a list of them, any of them.

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime64[ns]), ``headline``, ``contexts``, ``publishers``,
        ``distributors``, ``domains``, ``sources`` (tuples of names, distinct and
        sorted: the names its articles are credited under, as written),
        ``articles`` (how many distinct articles, URLs, the event cites; a
        cover image is none), ``path`` and ``iri``.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> df = events(g, context=["Iran", "Iraq"], since="2015-09-10", text="nuclear")
    >>> str(df["date"].dtype), bool(df["headline"].str.lower().str.contains("nuclear").all())
    ('datetime64[ns]', True)
    >>> september = events(g, since="2015-09", until="2015-09")  # a month: from its first day to its last
    >>> september.equals(events(g, since="2015-09-01", until="2015-09-30")), len(september) == len(events(g))
    (True, True)
    >>> events(g, context="Irn")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownNameError: no context 'Irn' in the graph; did you mean 'Iran'...?
    """
    check_graph(graph, "kg.events")
    rows = select(graph, context, publisher, since, until, text, include_external=include_external, domain=domain)
    return answer_frame([_event_tuple(graph, r) for r in rows], _EVENT_COLUMNS, ["date"], ["articles"])


# (kg.query.timeline's span warns the same way, of the days it is cut to)
def say_if_outside(dates: list[dt.date], since: dt.date | None, until: dt.date | None) -> bool:
    """Warn that a period asked for lies wholly outside the graph's days (and say whether it does): an
    answer of nothing then says nothing of the question (a mistyped year, a graph of another period)."""
    outside = bool(dates) and bool((since and since > max(dates)) or (until and until < min(dates)))
    if outside:
        warn_at_caller(f"the period asked for ({since or '...'} to {until or '...'}) is outside the graph's days "
                      f"({min(dates)} to {max(dates)}): nothing in it")
    return outside


@checks_keywords
def cooccurring(graph: KnowledgeGraph, name: NameFilter, since: Any = None, until: Any = None,
                n: int | None = None) -> pandas.DataFrame:
    """Contexts that share events with ``name``, most shared first.

    Returns
    -------
    pandas.DataFrame
        ``context``, ``events`` (events about both), ``share`` (of the events
        about ``name``), ``iri``.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> df = cooccurring(g, "Syria", n=3)
    >>> list(df.columns), "Syria" in set(df["context"])
    (['context', 'events', 'share', 'iri'], False)
    """
    check_graph(graph, "kg.cooccurring")
    if type(since) is int and 0 < since < 1000 and n is None:  # (a year is four digits)
        raise ArgumentError(f"cooccurring takes since and until before n: the number of rows is given by "
                                f"name, kg.cooccurring(g, {name!r}, n={since})")
    rows = select(graph, context=name, since=since, until=until)
    asked = name_index(graph, "context").match(name).names
    counts = Counter(c for r in rows for c in r.contexts if c not in asked)
    ranked = top_counts(counts, n)
    frame = answer_frame([(c, k, k / len(rows), iri.context_iri(graph.base_iri, c)) for c, k in ranked],
                   ["context", "events", "share", "iri"], counts=["events"])
    frame["share"] = frame["share"].astype("float64")  # a ratio, even when no row made it one
    return frame


@checks_keywords
def top_contexts(graph: KnowledgeGraph, n: int | None = 10, context: NameFilter | None = None,
                 publisher: NameFilter | None = None, since: Any = None, until: Any = None,
                 text: str | Iterable[str] | None = None) -> pandas.DataFrame:
    """Contexts ranked by the number of matching events about them (ties by name).

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> top_contexts(g, 2, publisher="Reuters", since="2015-09-15").columns.tolist()
    ['context', 'events', 'iri']
    """
    check_graph(graph, "kg.top_contexts")
    rows = select(graph, context, publisher, since, until, text)
    counts = Counter(c for r in rows for c in r.contexts)
    ranked = top_counts(counts, n)
    return answer_frame([(c, k, iri.context_iri(graph.base_iri, c)) for c, k in ranked],
                  ["context", "events", "iri"], counts=["events"])


#: what top_publishers can group by -> the names an event holds for it
RANK_BY: dict[str, Callable[[EventRow], Collection[str]]] = {
    "publisher": lambda r: r.publishers,
    "distributor": lambda r: r.distributors,
    "domain": lambda r: r.domains,
    "source": lambda r: r.sources,
}

#: the nodes ranked names are, per grouping: (the graph's names that are nodes, their IRI)
RANKED_NODES: dict[str, tuple[Callable[[KnowledgeGraph], Collection[str]], Callable[[str, str], str]]] = {
    "publisher": (organization_names, iri.organization_iri),
    "distributor": (organization_names, iri.organization_iri),
    "source": (lambda g: g.publishers, iri.publisher_iri),
}


@checks_keywords
def top_publishers(graph: KnowledgeGraph, n: int | None = 10, context: NameFilter | None = None,
                   publisher: NameFilter | None = None, since: Any = None, until: Any = None,
                   text: str | Iterable[str] | None = None, *, by: str = "publisher") -> pandas.DataFrame:
    """Publishers ranked by the number of matching events citing them (ties by name).

    ``by`` groups by ``"publisher"`` ("AFP via France 24" counts for AFP),
    ``"distributor"`` (France 24), ``"domain"`` (the article's web host) or
    ``"source"`` (the name as written).  The ``iri`` column holds the node
    of that name (:data:`RANKED_NODES`): an organization for a publisher or
    distributor, a publisher node for a source name; none for a domain.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> top_publishers(g, 3, context="Syria", by="domain").columns.tolist()
    ['domain', 'events', 'iri']
    >>> top_publishers(g, 1)["iri"].str.rsplit("/", n=2).str[-2:].tolist()
    [['organization', 'reuters']]
    """
    check_graph(graph, "kg.top_publishers")
    try:
        held = RANK_BY[by]
    except KeyError:
        raise ArgumentError(f"cannot rank publishers by {by!r}{did_you_mean(by, RANK_BY)}; "
                            f"use one of {sorted(RANK_BY)}") from None
    rows = select(graph, context, publisher, since, until, text)
    counts = Counter(p for r in rows for p in held(r))
    ranked = top_counts(counts, n)
    nodes = RANKED_NODES.get(by)
    known, mint = (set(nodes[0](graph)), nodes[1]) if nodes else (set(), iri.publisher_iri)
    return answer_frame([(p, k, mint(graph.base_iri, p) if p in known else None)
                   for p, k in ranked], [by, "events", "iri"], counts=["events"])


@checks_keywords
def around(graph: KnowledgeGraph, event: PageKey | Event | str, days: int = 7, *,
           shared: bool = True) -> pandas.DataFrame:
    """The events within ``days`` days of ``event`` (itself left out), by date.

    With ``shared=True`` (the default) only those sharing a context with it.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`events` with two more: ``date`` (datetime64[ns]), ``offset`` (days
        after the event, negative before), ``headline``, ``shared`` (contexts in common),
        ``contexts``, ``publishers``, ``distributors``, ``domains``, ``sources``, ``articles``,
        ``path``, ``iri``.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> key = next(k for k, cs in g.event_contexts.items() if "Syria" in cs)
    >>> df = around(g, key, days=3)
    >>> bool(df["offset"].abs().max() <= 3), all(df["shared"].map(len) > 0)
    (True, True)
    >>> [c for c in df.columns if c not in ("offset", "shared")] == list(events(g).columns)
    True
    """
    check_graph(graph, "kg.around")
    days = whole_number(days, "days")  # (numpy's integers too: timedelta takes no other)
    key = event_key(graph, event)
    own = set(graph.event_contexts.get(key, ()))
    # A window past the calendar's ends (days=10**6) reaches to them: every event is within it.
    since = key.date - dt.timedelta(days=min(days, (key.date - dt.date.min).days))
    until = key.date + dt.timedelta(days=min(days, (dt.date.max - key.date).days))
    rows = select(graph, since=since, until=until)
    out = []
    for r in rows:
        common = tuple(c for c in r.contexts if c in own)
        if r.key == key or (shared and not common):
            continue
        date, headline, *rest = _event_tuple(graph, r)
        out.append((date, (r.key.date - key.date).days, headline, common, *rest))
    # (the columns of kg.events, with the offset and the contexts shared: frames of both concatenate)
    return answer_frame(out, [*_EVENT_COLUMNS[:1], "offset", _EVENT_COLUMNS[1], "shared", *_EVENT_COLUMNS[2:]],
                  ["date"], ["offset", "articles"])
