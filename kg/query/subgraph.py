"""A part of a graph, cut by the analyst filters, that is a whole graph itself.

:func:`subgraph` keeps the events that :func:`kg.query.questions.select` picks
(context, publisher, dates, headline words) and everything they hold: their
days, articles, publishers, images and contexts, the events outside the
corpus they link to, and the Related lines and shared-context pairs between
two kept events.  Without filters it is the whole graph again.  The result is a
:class:`~kg.model.KnowledgeGraph`, so every output works on it: ``to_html``,
``write`` (Turtle, N-Triples, GraphML, report), ``to_networkx``,
``to_igraph``, SPARQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from kg.arguments import did_you_mean
from kg.errors import ArgumentError
from kg.export.provenance import settled
from kg.keywords import checks_keywords
from kg.model import Article, Day, KnowledgeGraph, RelatedLink, SharedContext, check_graph
from kg.parse.publishers import organization_key, organizations_of
from kg.query.names import NameFilter
from kg.report import BuildReport, count_graph

__all__ = ["subgraph", "OPTIONAL_TYPES"]

#: node types that ``types=`` may leave out; events and their days always stay
OPTIONAL_TYPES = ("article", "publisher", "image", "context")
_ALWAYS = ("event", "day")


def _types(types: Iterable[str] | None) -> frozenset[str]:
    if types is None:
        return frozenset(_ALWAYS + OPTIONAL_TYPES)
    wanted = frozenset([types] if isinstance(types, str) else types)
    unknown = wanted - set(_ALWAYS + OPTIONAL_TYPES)
    if unknown == {"organization"}:  # a node type of the graph, but not one to keep or drop on its own
        raise ArgumentError("organizations come with the publishers they make: keep 'publisher' (and 'article') "
                            "to keep them")
    if unknown:
        first = sorted(unknown, key=str)[0]
        raise ArgumentError(f"unknown node types {sorted(unknown, key=str)}{did_you_mean(first, OPTIONAL_TYPES)}; "
                            f"types= names those kept besides events and their days, which always stay: any of "
                            f"{list(OPTIONAL_TYPES)}")
    if "publisher" in wanted and "article" not in wanted:
        raise ArgumentError("publishers hang off articles: keep 'article' to keep 'publisher'")
    return wanted | frozenset(_ALWAYS)


@checks_keywords
def subgraph(graph: KnowledgeGraph, context: NameFilter | None = None,
             publisher: NameFilter | None = None, since: Any = None, until: Any = None,
             text: str | Iterable[str] | None = None, types: Iterable[str] | None = None) -> KnowledgeGraph:
    """The events that the filters select, with what they hold, as a graph.

    Parameters
    ----------
    context, publisher, since, until, text
        As :func:`kg.query.questions.events` (names case- and accent-insensitive;
        a list is any of them, ``kg.all_of(...)`` all of them).
    types : iterable of str, optional
        Node types to keep besides events and days: any of ``"article"``,
        ``"publisher"``, ``"image"``, ``"context"`` (default: all).  The
        organizations that the kept publisher names resolve to come with them.

    Returns
    -------
    KnowledgeGraph
        Its report holds the counts of the subgraph.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> sub = kg.subgraph(g, context="Syria", since="2015-09-10", types=["context"])
    >>> len(sub.events_in_corpus) == len(kg.events(g, context="Syria", since="2015-09-10")), len(sub.articles)
    (True, 0)
    """
    check_graph(graph, "kg.subgraph")
    from kg.query.questions import select

    keep = _types(types)
    chosen = {row.key for row in select(graph, context, publisher, since, until, text)}
    # events outside the corpus that a kept event links to come along, as in the whole graph
    chosen |= {link.target for link in graph.related
               if link.source in chosen and not graph.event_records[link.target].in_corpus}
    records = {}
    for key, event in graph.event_records.items():
        if key in chosen:
            records[key] = replace(event, sources=event.sources if "article" in keep else (),
                                   images=event.images if "image" in keep else ())
    with_contexts = "context" in keep
    related = tuple(
        link if with_contexts else RelatedLink(link.source, link.target, link.rank, ())
        for link in graph.related if link.source in chosen and link.target in chosen)
    shared = tuple(pair for pair in graph.shared
                   if with_contexts and pair.first in chosen and pair.second in chosen)
    event_contexts = ({k: cs for k, cs in graph.event_contexts.items() if k in chosen}
                      if with_contexts else {})
    urls = {url for e in records.values() for url in e.sources}
    articles = {url: a if "publisher" in keep else Article(url, ())
                for url, a in graph.articles.items() if url in urls}
    dates = {k.date for k in chosen if graph.event_records[k].in_corpus}
    days = {date: Day(date, day.label, day.page, tuple(k for k in day.listed if k in chosen))
            for date, day in graph.days.items() if date in dates}
    names = {p for a in articles.values() for p in a.publishers}
    contexts = {c for cs in event_contexts.values() for c in cs}
    images = {url for e in records.values() for url in e.images}
    part = KnowledgeGraph(
        event_records=records, days=days, articles=articles,
        publishers=tuple(p for p in graph.publishers if p in names),
        images=tuple(i for i in graph.images if i in images),
        contexts=tuple(c for c in graph.contexts if c in contexts),
        event_contexts=event_contexts, related=related,
        shared=tuple(SharedContext(p.first, p.second, p.contexts) for p in shared),
        base_iri=graph.base_iri)
    if graph.organization_labels is not None:  # (named as in the whole graph)
        kept = {organization_key(o) for o in organizations_of(part.publishers)}
        part = replace(part, organization_labels={k: v for k, v in graph.organization_labels.items() if k in kept})
    # A dataset of its own, made now: its N-Quads name a graph other than the whole graph's.
    return settled(replace(part, report=BuildReport(corpus=graph.report.corpus, counts=count_graph(part))))
