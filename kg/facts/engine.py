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
from kg.facts.mapping import unread_key
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
    unlisted_diagnostics,
)
from kg.facts.subjects import organization_pages
from kg.model import Article, Day, Event, KnowledgeGraph, RelatedLink, SharedContext
from kg.parse.publishers import label_organizations
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
    # One pass that keeps no page: a caller that hands its pages over (a generator that
    # drops them) frees each page's own records here, and its links once they are grouped.
    problems: list[Diagnostic] = []
    claims: list[EventClaim] = []
    day_claims: list[DayClaim] = []
    unread: set[str] = set()
    read = 0
    for page in pages:
        problems.extend(page.diagnostics)
        if page.event is not None:
            claims.append(page.event)
        if page.day is not None:
            day_claims.append(page.day)
        elif page.event is None and (lost := unread_key(page)) is not None:
            unread.add(lost)
        read += is_page(page.path)
    identity, merged = reduce_identity(claims)
    del claims
    problems.extend(merged)
    for claim in identity.kept.values():
        problems.extend(claim.link_diagnostics)

    # Gathered in the order the first link text of an external event counts
    # in (Related lines by their event, then day entries by their page), so
    # that each key's links need no sort: only kept pages' lines count.
    day_claims.sort(key=attrgetter("path"))
    by_target: dict[str, list[LinkFact]] = defaultdict(list)
    resolve = identity.alias.get
    for key in sorted(identity.kept):
        for link in identity.kept[key].links:
            by_target[resolve(link.target, link.target)].append(link)
    for day in day_claims:
        for link in day.links:
            by_target[resolve(link.target, link.target)].append(link)
    # The links live on in by_target alone from here, each target's dropped once reduced:
    # about a third of a cold build's facts, no longer held while the graph is assembled.
    identity, day_claims = _without_links(identity, day_claims)
    outcomes = [reduce_links(key, by_target.pop(key), identity, ordered=True, unread=unread)
                for key in list(by_target)]
    listed = {outcome.key for outcome in outcomes if outcome.listings}
    problems.extend(unlisted_diagnostics(((key, claim.path) for key, claim in identity.kept.items()), listed))
    del listed

    related = _related_lines(outcomes, problems)

    # The graph's records in key order, each step dropping what it has used up, so that
    # the reduce's intermediates do not all stand beside the finished graph at once.
    keys = _event_keys(identity, outcomes)
    key_of = keys.__getitem__
    events = _events(identity, outcomes, keys)
    days = _days(day_claims, outcomes, identity, problems, key_of)
    del outcomes, day_claims
    articles_by, images = _articles(identity)
    labels = label_organizations(organization_pages(identity.kept.values()))
    del identity
    related.sort(key=attrgetter("source", "rank", "target"))
    contexts_of, shared = _contexts(related)
    tuples: dict[tuple[str, ...], tuple[str, ...]] = {}  # equal tuples of names shared, as the map shares names
    related_links = _related_links(related, key_of)
    shared_contexts = tuple([SharedContext(keys[a], keys[b], _sorted_names(shared.pop((a, b)), tuples))
                             for a, b in sorted(shared)])
    del shared
    event_contexts = {keys[k]: _sorted_names(contexts_of[k], tuples) for k in sorted(events) if contexts_of.get(k)}
    contexts = tuple(sorted({c for cs in contexts_of.values() for c in cs}))
    del contexts_of
    articles = {url: Article(url, _sorted_names(by, tuples)) for url, by in sorted(articles_by.items())}
    publishers = tuple(sorted({n for by in articles_by.values() for n in ((by,) if isinstance(by, str) else by)}))
    del articles_by
    graph = KnowledgeGraph(
        event_records={keys[k]: events.pop(k) for k in sorted(events)}, days=days, articles=articles,
        publishers=publishers, images=tuple(sorted(images)), contexts=contexts, event_contexts=event_contexts,
        related=related_links, shared=shared_contexts, base_iri=base_iri, organization_labels=labels)
    del keys, key_of  # before counting, which builds the node/edge table
    report = BuildReport(corpus=corpus, pages_read=read if pages_read is None else pages_read,
                         diagnostics=tuple(sorted(problems, key=diagnostic_order)),
                         counts=count_graph(graph) if count else {})
    return replace(graph, report=report)


def _without_links(identity: Identity, days: list[DayClaim]) -> tuple[Identity, list[DayClaim]]:
    """The kept claims and the day claims as the assembly reads them: without their links."""
    kept = {key: EventClaim(c.key, c.path, c.headline, c.content, c.sources, c.images)
            for key, c in identity.kept.items()}
    return Identity(kept, identity.alias), [DayClaim(d.date, d.path, d.label) for d in days]


def _related_lines(outcomes: list[LinkOutcome], problems: list[Diagnostic]) -> list[PairLink]:
    """The Related lines keyed by ``(source, target)``, one each; repeated lines' problems go to ``problems``.

    Those of one target are one outcome's, so each outcome's lines are grouped by
    source (no dict of every pair, 0.1 GB at 150,000 events).
    """
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
    return related


def _event_keys(identity: Identity, outcomes: list[LinkOutcome]) -> dict[str, PageKey]:
    """One PageKey per event, shared by every record that names it."""
    keys: dict[str, PageKey] = {text: page_key(text) for text in identity.kept}
    keys.update((o.key, page_key(o.key)) for o in outcomes if o.external is not None)
    return keys


def _events(identity: Identity, outcomes: list[LinkOutcome], keys: dict[str, PageKey]) -> dict[str, Event]:
    """The event records by key: the kept pages', then the external events'."""
    events: dict[str, Event] = {}
    for text, claim in identity.kept.items():
        events[text] = Event(keys[text], claim.headline, True, claim.path,
                             tuple(dict.fromkeys(url for _, url in claim.sources)),
                             tuple(dict.fromkeys(claim.images)))
    for outcome in outcomes:
        if outcome.external is not None:
            events[outcome.key] = Event(keys[outcome.key], outcome.external, in_corpus=False)
    return events


def _contexts(related: list[PairLink]) -> tuple[dict[str, set[str]], dict[tuple[str, str], tuple[str, ...] | set[str]]]:
    """The contexts of each event, and of each unordered pair of events, that the Related lines give.

    A set only where a second line adds to the first: nearly every pair of events has one
    Related line, and 650,000 sets made the reduce's peak 0.2 GB higher.
    """
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
    return contexts_of, shared


def _articles(identity: Identity) -> tuple[dict[str, str | set[str]], set[str]]:
    """The publisher (or publishers, where sources differ) of each article URL, and the images, of the kept pages.

    A set only where a second publisher adds to the first: nearly every article has one.
    """
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
    return articles, images


def _related_links(related: list[PairLink], key_of: Callable[[str], PageKey]) -> tuple[RelatedLink, ...]:
    """The graph's Related lines, in the order of ``related``, which this empties as it goes.

    Each line's reduced form is dropped as its record is made: 675,000 of both at
    once were 0.1 GB at 150,000 events.
    """
    made: list[RelatedLink] = []
    while related:
        line = related.pop()
        made.append(RelatedLink(key_of(line.source), key_of(line.target), line.rank, line.contexts))
    made.reverse()
    return tuple(made)


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
