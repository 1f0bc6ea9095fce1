"""The archive as compact columns: what the page needs to drill down.

The page draws a few hundred nodes, but lists every event of an entity,
its sources and related events.  Shipping one JS object per node or triple
would make the page of a 150,000-event archive hundreds of megabytes, so the
archive travels as columns: strings once each, references as integer indices,
lists as CSR offsets (``offsets[i]:offsets[i + 1]`` into a flat array);
:mod:`kg.export.html.packing` packs them for the page.

Events are sorted by date, so a date range is a slice of them.

Examples
--------
>>> import kg
>>> archive = archive_columns(kg.build("examples/wcep-2015-09"))
>>> len(archive.event_headline), len(archive.days), archive.entity_count("context")
(428, 30, 194)
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg import iri
from kg.table import graph_table

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph
    from kg.parse.records import PageKey

__all__ = ["ENTITY_KINDS", "Archive", "archive_columns", "day_slice"]

#: Entity kinds, in the order of their codes in :attr:`Archive.entity_kind`.  Publishers
#: are listed as written; the organizations they resolve to are not drawn (the page shows
#: a source's name as the page cites it).
ENTITY_KINDS = ("context", "publisher")


@dataclass(frozen=True, slots=True)
class Archive:
    """Events, articles and entities of a graph (or of a date range of it) as columns.

    ``event_day`` indexes :attr:`days`; ``event_sources_*`` index the
    articles; ``event_entities_*`` index the entities (contexts and, through
    their articles, publishers); ``related`` is a flat list of
    ``source, target`` event index pairs, one per Related line.
    ``entity_organizations_*`` index the organizations (their keys and labels)
    that each publisher is made or distributed by, as the graph's made-by and
    distributed-by edges say: the page lists an organization's publishers.
    """

    days: tuple[str, ...]
    event_iri: tuple[str, ...]
    event_headline: tuple[str, ...]
    event_day: tuple[int, ...]
    event_in_corpus: tuple[int, ...]
    event_sources_offsets: tuple[int, ...]
    event_sources: tuple[int, ...]
    event_entities_offsets: tuple[int, ...]
    event_entities: tuple[int, ...]
    related: tuple[int, ...]
    article_url: tuple[str, ...]
    article_publishers_offsets: tuple[int, ...]
    article_publishers: tuple[int, ...]
    entity_iri: tuple[str, ...]
    entity_name: tuple[str, ...]
    entity_kind: tuple[int, ...]
    entity_link: tuple[str, ...]
    entity_organizations_offsets: tuple[int, ...]
    entity_organizations: tuple[int, ...]
    organization_key: tuple[str, ...]
    organization_label: tuple[str, ...]

    def entity_count(self, kind: str) -> int:
        """The number of entities of one kind."""
        code = ENTITY_KINDS.index(kind)
        return sum(1 for k in self.entity_kind if k == code)

    def entities_of(self, event: int) -> tuple[int, ...]:
        """Entity indices of event ``event``."""
        low, high = self.event_entities_offsets[event], self.event_entities_offsets[event + 1]
        return self.event_entities[low:high]


def _in_range(date: dt.date, since: dt.date | None, until: dt.date | None) -> bool:
    return (since is None or date >= since) and (until is None or date <= until)


def archive_columns(graph: KnowledgeGraph, *, since: dt.date | None = None,
                    until: dt.date | None = None) -> Archive:
    """Return the columns of ``graph``'s events in ``[since, until]`` and what they name.

    Parameters
    ----------
    graph : KnowledgeGraph
    since, until : datetime.date, optional
        Keep only the events of these days (inclusive), and the articles,
        contexts and publishers they name.

    Returns
    -------
    Archive
    """
    # Two parts of the node/edge table, one after the other: the related-to edges (four
    # columns of 674,744 at 150,000 events) are read when the rest has been let go.
    columns, event_index = _columns_but_related(graph, since, until)
    return Archive(**columns, related=_related_pairs(graph, event_index))


def _columns_but_related(graph: KnowledgeGraph, since: dt.date | None,
                         until: dt.date | None) -> tuple[dict[str, Any], dict[PageKey, int]]:
    """Every column of the archive but ``related``; and each event's number."""
    table = graph_table(graph, kinds=("event", "article", "context"), types=("cites", "published-by", "has-context"))
    events, articles = table.nodes["event"], table.nodes["article"]
    cites, published, about = table.edges["cites"], table.edges["published-by"], table.edges["has-context"]
    # Event rows of the range, in key order (date, then slug): a date range is then a
    # slice of events.  Plain tuples compare in C, keys through Python.
    dates, event_keys = events.date, events.key
    rows = [row for row, date in enumerate(dates) if _in_range(date, since, until)] \
        if since is not None or until is not None else list(range(len(dates)))
    rows.sort(key=lambda row: (dates[row], event_keys[row].slug))
    keys: list[PageKey] = [event_keys[row] for row in rows]
    event_index = {key: i for i, key in enumerate(keys)}
    days = sorted({dates[row] for row in rows})
    day_index = {d: i for i, d in enumerate(days)}
    columns: dict[str, Any] = {
        "days": tuple(d.isoformat() for d in days),
        "event_iri": tuple(table.iri("event", key) for key in keys),
        "event_headline": tuple(events.label[row] for row in rows),
        "event_day": tuple(day_index[dates[row]] for row in rows),
        "event_in_corpus": tuple(int(events.in_corpus[row]) for row in rows),
    }
    del keys
    # Lists as CSR from the start (offsets into one flat list), and articles by their row in
    # the table: no list per event, per article or per renumbered row beside the table
    # (at 150,000 events they cost 85 MB of the page's 331 MB peak).
    at, published_by = published.offsets, published.target
    article_row = {url: n for n, url in enumerate(articles.key)}

    def publishers_of(url: str) -> Sequence[str]:
        n = article_row[url]
        return published_by[at[n]:at[n + 1]]

    article_index: dict[str, int] = {}
    # Entities are numbered in order of first appearance, contexts and publishers alike.
    entity_order: list[tuple[int, str]] = []
    numbers: tuple[dict[str, int], dict[str, int]] = ({}, {})  # per kind: name -> number

    def entity(kind: int, name: str) -> int:
        number = numbers[kind].get(name)
        if number is None:
            number = numbers[kind][name] = len(entity_order)
            entity_order.append((kind, name))
        return number

    def article(url: str) -> int:
        return article_index.setdefault(url, len(article_index))

    cited_flat: list[int] = []
    src_off: list[int] = [0]
    ent: list[int] = []
    ent_off: list[int] = [0]
    cites_at, cited_urls, about_at, named_contexts = cites.offsets, cites.target, about.offsets, about.target
    context_number = numbers[0].get
    for row in rows:
        cited = cited_urls[cites_at[row]:cites_at[row + 1]]
        cited_flat += map(article, cited)
        src_off.append(len(cited_flat))
        for c in named_contexts[about_at[row]:about_at[row + 1]]:
            number = context_number(c)
            ent.append(entity(0, c) if number is None else number)
        # An event names the publishers of the articles it cites (not an edge of the table).
        if cited:
            publishers = dict.fromkeys(p for u in cited for p in publishers_of(u))
            ent += [entity(1, p) for p in publishers]
        ent_off.append(len(ent))
    del rows
    # Each list made a column as soon as it is complete, and let go: not all at once at the end.
    columns["event_sources_offsets"], columns["event_entities_offsets"] = tuple(src_off), tuple(ent_off)
    del src_off, ent_off
    columns["event_entities"] = tuple(ent)
    del ent
    # Articles sorted by URL, so that front-coding finds shared prefixes.
    urls: list[str] = sorted(article_index)
    renumber = [0] * len(urls)
    for i, u in enumerate(urls):
        renumber[article_index[u]] = i
    article_index.clear()
    columns["event_sources"] = tuple(map(renumber.__getitem__, cited_flat))
    del cited_flat, renumber
    pub: list[int] = []
    pub_off: list[int] = [0]
    for u in urls:
        pub += [entity(1, p) for p in publishers_of(u)]
        pub_off.append(len(pub))
    article_row.clear()
    columns["article_url"] = tuple(urls)
    del urls
    columns["article_publishers_offsets"], columns["article_publishers"] = tuple(pub_off), tuple(pub)
    del pub_off, pub
    contexts = table.nodes["context"]
    wikipedia = dict(zip(contexts.key, contexts.urls(), strict=False))
    columns.update(
        entity_iri=tuple(table.iri(ENTITY_KINDS[kind], name) for kind, name in entity_order),
        entity_name=tuple(str(name) for _, name in entity_order),
        entity_kind=tuple(kind for kind, _ in entity_order),
        entity_link=tuple(wikipedia.get(name) or iri.wikipedia_iri(str(name)) if kind == 0 else ""
                          for kind, name in entity_order),
    )
    columns.update(_organizations_of(graph, columns["entity_name"], columns["entity_kind"]))
    return columns, event_index


def _organizations_of(graph: KnowledgeGraph, names: Sequence[str], kinds: Sequence[int]) -> dict[str, Any]:
    """The organization columns: each publisher's makers and distributor (numbered by first appearance)."""
    table = graph_table(graph, kinds=("publisher", "organization"), types=("made-by", "distributed-by"))
    row = {name: n for n, name in enumerate(table.nodes["publisher"].key)}
    made, carried = table.edges["made-by"], table.edges["distributed-by"]
    organizations = table.nodes["organization"]
    label = dict(zip(organizations.key, organizations.label, strict=True))
    number: dict[str, int] = {}
    flat: list[int] = []
    offsets = [0]
    for name, kind in zip(names, kinds, strict=True):
        if kind == 1:
            n = row[name]
            keys = (made.target[made.offsets[n]:made.offsets[n + 1]]
                    + carried.target[carried.offsets[n]:carried.offsets[n + 1]])
            flat += dict.fromkeys(number.setdefault(key, len(number)) for key in keys)
        offsets.append(len(flat))
    return {"entity_organizations_offsets": tuple(offsets), "entity_organizations": tuple(flat),
            "organization_key": tuple(number), "organization_label": tuple(label[key] for key in number)}


def _related_pairs(graph: KnowledgeGraph, event_index: dict[PageKey, int]) -> tuple[int, ...]:
    """The ``source, target`` event numbers of each Related line between two events of the archive."""
    links = graph_table(graph, kinds=(), types=("related-to",)).edges["related-to"]
    index_of = event_index.get

    def pairs() -> Iterator[int]:
        last: object = None
        first: int | None = None
        for source, target in zip(links.source, links.target, strict=True):
            # The lines come grouped by source, each run holding one key object: looked up once
            # (a key's hash is Python code; 675,000 lines at 150,000 events).
            if source is not last:
                last, first = source, index_of(source)
            if first is not None and (second := index_of(target)) is not None:
                yield first
                yield second

    return tuple(pairs())  # grown in place: no list of them beside it


def day_slice(archive: Archive, since: str | None, until: str | None) -> tuple[int, int]:
    """The ``[start, stop)`` event indices of days ``since..until`` (ISO strings).

    >>> import kg
    >>> a = archive_columns(kg.build("examples/wcep-2015-09"))
    >>> start, stop = day_slice(a, "2015-09-03", "2015-09-03")
    >>> {a.days[a.event_day[i]] for i in range(start, stop)}
    {'2015-09-03'}
    """
    low = 0 if since is None else bisect.bisect_left(archive.days, since)
    high = len(archive.days) if until is None else bisect.bisect_right(archive.days, until)
    return (bisect.bisect_left(archive.event_day, low), bisect.bisect_left(archive.event_day, high))
