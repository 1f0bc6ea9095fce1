"""Chain the reduces of :mod:`kg.facts.reducing` into a whole graph.

:func:`reduce_graph` takes the facts of every page (the map's output, in any
order) and groups them by key for each reduce in turn:

1. event claims by event key, then the kept claims by content: the
   :class:`~kg.facts.reducing.Identity` of events (who is kept, who merged);
2. live links by the event they name (after merging): external events,
   link diagnostics, Related lines and day listings;
3. Related lines by ``(source, target)``; then the contexts by event and
   by unordered pair of events (shares-context); sources by article URL;
   day claims and listings by date.

Every step is a plain function of one key's facts, so the result does not
depend on the order of pages nor on how keys are split among workers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from operator import attrgetter

from kg.diagnostics import Diagnostic, diagnostic_order
from kg.facts.records import DayClaim, EventClaim, LinkFact, PageFacts, page_key
from kg.facts.reducing import (
    Identity,
    LinkOutcome,
    PairLink,
    duplicate_diagnostics,
    reduce_claims,
    reduce_contents,
    reduce_day,
    reduce_links,
    reduce_pair,
)
from kg.model import Article, Day, Event, KnowledgeGraph, RelatedLink, SharedContext
from kg.parse.records import PageKey
from kg.read.files import is_page
from kg.report import BuildReport, count_graph

__all__ = ["reduce_identity", "reduce_graph"]


def reduce_identity(claims: Iterable[EventClaim]) -> tuple[Identity, list[Diagnostic]]:
    """The first two reduces: the page kept for each event, and which events merge."""
    by_key: dict[str, list[EventClaim]] = defaultdict(list)
    for claim in claims:
        by_key[claim.key].append(claim)
    winners: dict[str, tuple[EventClaim, tuple[EventClaim, ...]]] = {
        key: reduce_claims(group) for key, group in by_key.items()}
    by_content: dict[str, list[EventClaim]] = defaultdict(list)
    for winner, _ in winners.values():
        by_content[winner.content].append(winner)
    kept: dict[str, EventClaim] = {}
    alias: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for group in by_content.values():
        if len(group) == 1:  # nearly always: skip the sort
            kept[group[0].key] = group[0]
            continue
        first, aliases, merged = reduce_contents(group)
        kept[first.key] = first
        alias.update(aliases)
        problems.extend(merged)
    identity = Identity(kept, alias)
    for key, (_, duplicates) in winners.items():
        if duplicates:
            problems.extend(duplicate_diagnostics(key, duplicates, identity))
    return identity, problems


def reduce_graph(pages: Iterable[PageFacts], *, base_iri: str, corpus: str = "",
                 pages_read: int | None = None, count: bool = True) -> KnowledgeGraph:
    """Reduce the facts of every page to the knowledge graph.

    Parameters
    ----------
    pages : iterable of PageFacts
        The map's output, one per page file read, in any order.
    base_iri, corpus
        Kept on the graph and its report.
    pages_read : int, optional
        The number of page files read (default: the number of ``pages`` but the
        ``news`` folder's own record, see :func:`kg.read.files.is_page`).
    count : bool
        Count nodes and edges into the report.
    """
    pages = list(pages)
    problems: list[Diagnostic] = [d for p in pages for d in p.diagnostics]
    claims = [p.event for p in pages if p.event is not None]
    identity, merged = reduce_identity(claims)
    problems.extend(merged)
    for claim in identity.kept.values():
        problems.extend(claim.link_diagnostics)

    # Gathered in the order the first link text of an external event counts
    # in (Related lines by their event, then day entries by their page), so
    # that each key's links need no sort: only kept pages' lines count.
    days = sorted((p.day for p in pages if p.day is not None), key=attrgetter("path"))
    by_target: dict[str, list[LinkFact]] = defaultdict(list)
    resolve = identity.alias.get
    for key in sorted(identity.kept):
        for link in identity.kept[key].links:
            by_target[resolve(link.target, link.target)].append(link)
    for day in days:
        for link in day.links:
            by_target[resolve(link.target, link.target)].append(link)
    outcomes = [reduce_links(key, links, identity, ordered=True) for key, links in by_target.items()]

    # The lines keyed by (source, target): those of one target are one outcome's, so each
    # outcome's lines are grouped by source (no dict of every pair, 0.1 GB at 150,000 events).
    related: list[PairLink] = []
    for outcome in outcomes:
        problems.extend(outcome.diagnostics)
        pairs = outcome.pairs
        if len(pairs) < 2 or len({pair.source for pair in pairs}) == len(pairs):  # nearly always
            related.extend(pairs)
            continue
        by_source: dict[str, list[PairLink]] = defaultdict(list)
        for pair in pairs:
            by_source[pair.source].append(pair)
        for group in by_source.values():
            if len(group) == 1:
                related.append(group[0])
                continue
            merged_link, repeated = reduce_pair(group)
            related.append(merged_link)
            problems.extend(repeated)

    graph = _assemble(identity, outcomes, related, days, problems, base_iri)
    read = sum(is_page(p.path) for p in pages) if pages_read is None else pages_read
    report = BuildReport(corpus=corpus, pages_read=read,
                         diagnostics=tuple(sorted(problems, key=diagnostic_order)),
                         counts=count_graph(graph) if count else {})
    return replace(graph, report=report)


def _assemble(identity: Identity, outcomes: list[LinkOutcome], related: list[PairLink],
              day_claims: list[DayClaim], problems: list[Diagnostic], base_iri: str) -> KnowledgeGraph:
    """The graph's records from each key's reduced facts, in key order."""
    # One PageKey per event, shared by every record that names it.
    keys: dict[str, PageKey] = {text: page_key(text) for text in identity.kept}
    keys.update((o.key, page_key(o.key)) for o in outcomes if o.external is not None)
    key_of = keys.__getitem__

    events: dict[str, Event] = {}
    for text, claim in identity.kept.items():
        events[text] = Event(keys[text], claim.headline, True, claim.path,
                             tuple(dict.fromkeys(url for _, url in claim.sources)),
                             tuple(dict.fromkeys(claim.images)))
    for outcome in outcomes:
        if outcome.external is not None:
            events[outcome.key] = Event(keys[outcome.key], outcome.external, in_corpus=False)

    related.sort(key=attrgetter("source", "rank", "target"))
    # A set only where a second line (or publisher) adds to the first: nearly every pair of
    # events has one Related line and every article one publisher, and 650,000 sets made the
    # reduce's peak 0.2 GB higher.  Equal tuples of names are then shared, as the map shares names.
    contexts_of: dict[str, set[str]] = defaultdict(set)
    shared: dict[tuple[str, str], tuple[str, ...] | set[str]] = {}
    for link in related:
        names = link.contexts
        contexts_of[link.source].update(names)
        contexts_of[link.target].update(names)
        pair = (link.source, link.target) if link.source < link.target else (link.target, link.source)
        both = shared.get(pair)
        if both is None:
            shared[pair] = names
        elif isinstance(both, set):
            both.update(names)
        else:
            shared[pair] = {*both, *names}

    articles: dict[str, str | set[str]] = {}
    images: set[str] = set()
    for claim in identity.kept.values():
        for publisher, url in claim.sources:
            names_of = articles.get(url)
            if names_of is None:
                articles[url] = publisher
            elif isinstance(names_of, set):
                names_of.add(publisher)
            elif names_of != publisher:
                articles[url] = {names_of, publisher}
        images.update(claim.images)

    order = sorted(events)
    tuples: dict[tuple[str, ...], tuple[str, ...]] = {}
    return KnowledgeGraph(
        event_records={keys[k]: events[k] for k in order},
        days=_days(day_claims, outcomes, identity, problems, key_of),
        articles={url: Article(url, _sorted_names(by, tuples)) for url, by in sorted(articles.items())},
        publishers=tuple(sorted({n for by in articles.values() for n in ((by,) if isinstance(by, str) else by)})),
        images=tuple(sorted(images)),
        contexts=tuple(sorted({c for cs in contexts_of.values() for c in cs})),
        event_contexts={keys[k]: _sorted_names(contexts_of[k], tuples) for k in order if contexts_of.get(k)},
        related=tuple([RelatedLink(keys[r.source], keys[r.target], r.rank, r.contexts) for r in related]),
        shared=tuple([SharedContext(keys[a], keys[b], _sorted_names(shared[(a, b)], tuples))
                      for a, b in sorted(shared)]),
        base_iri=base_iri,
    )


def _sorted_names(names: str | tuple[str, ...] | set[str],
                  seen: dict[tuple[str, ...], tuple[str, ...]]) -> tuple[str, ...]:
    """``names`` sorted without repeats, as the tuple equal to it that ``seen`` already holds."""
    if isinstance(names, str):
        ordered: tuple[str, ...] = (names,)
    elif len(names) == 1:
        ordered = tuple(names)
    else:
        ordered = tuple(sorted(set(names)))
    return seen.setdefault(ordered, ordered)


def _days(claims: list[DayClaim], outcomes: list[LinkOutcome], identity: Identity,
          problems: list[Diagnostic], key_of: Callable[[str], PageKey]) -> dict[dt.date, Day]:
    by_date: dict[str, list[DayClaim]] = defaultdict(list)
    for claim in claims:
        by_date[claim.date].append(claim)
    listings: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    for outcome in outcomes:
        for date, path, order in outcome.listings:
            listings[date].append((path, order, outcome.key))
    dates = {text[:10] for text in identity.kept} | set(by_date)
    days: dict[dt.date, Day] = {}
    for date in sorted(dates):
        page: DayClaim | None = None
        if date in by_date:
            page, repeated = reduce_day(by_date[date])
            problems.extend(repeated)
        listed = tuple(dict.fromkeys(key for _, _, key in sorted(listings.get(date, ()))))
        day = dt.date.fromisoformat(date)
        days[day] = Day(day, page.label if page else None, page.path if page else None,
                        tuple(key_of(k) for k in listed))
    return days
