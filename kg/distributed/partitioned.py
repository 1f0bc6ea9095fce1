"""The reduce of :mod:`kg.facts` split into partitions of keys: plain functions, no scheduler.

Every fact goes to the partition that owns its key (:func:`owner`, a hash
that is the same in every process), and each stage is a function of one
partition's facts.  The rules are those of the local build, decided by the
same per-key functions (:mod:`kg.facts.reducing`); only the grouping differs.
A stage returns a :class:`StageOut`: one blob per destination partition
(the shuffle to the next stage), and what stays with this partition.

The stages, in the order they depend on each other:

1. :func:`map_stage` (per input partition): pages to facts; event claims to
   the owner of their event key, day claims to the owner of their date.
2. :func:`claims_stage` (by event key): the page kept for each event key;
   the claims stay here, their content digests go to the content's owner.
3. :func:`contents_stage` (by content): pages with the same content merge
   into the first by key: the aliases.
4. :func:`merge_aliases`: the aliases of merged events, usually few, for
   every later stage (a broadcast join).
5. :func:`links_out_stage` (by event key or date): links to the owner of
   the event they name (after merging); articles, publishers, organizations, images and
   days to their owners.
6. :func:`links_in_stage` (by event key): the links naming each event
   resolve (external events, Related lines, day listings); each Related line
   to its source's owner, contexts to each event's and name's owner.
7. :func:`assemble_stage` (all kinds): the partition's part of the graph,
   holding the subjects it owns, with its counts and diagnostics.

:func:`reduce_partitioned` chains them in this process: the distributed
engine (:mod:`kg.distributed.job`) runs the same functions as tasks.

Examples
--------
>>> import kg
>>> from kg.facts.executors import parse_file
>>> from kg.facts import page_facts
>>> from kg.read.files import corpus_root, iter_page_files
>>> root = corpus_root("examples/wcep-2015-09")
>>> facts = [page_facts(parse_file(rel, real)) for rel, real, _ in iter_page_files(root) if real]
>>> parts = reduce_partitioned(facts, 3, base_iri=kg.DEFAULT_BASE_IRI)
>>> sum(p.counts["events"] for p in parts), sum(p.counts["related_links"] for p in parts)
(428, 1925)
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import Any

from kg.diagnostics import Diagnostic, diagnostic_order
from kg.facts.executors import dump_record, load_record
from kg.facts.mapping import unread_key
from kg.facts.records import DayClaim, EventClaim, LinkFact, PageFacts, page_key
from kg.facts.reducing import (
    Identity,
    PairLink,
    duplicate_diagnostics,
    link_order,
    reduce_claims,
    reduce_contents,
    reduce_day,
    reduce_links,
    reduce_pair,
    unlisted_diagnostics,
)
from kg.facts.subjects import organization_pages
from kg.model import Article, BuildReport, Day, Event, KnowledgeGraph, RelatedLink, SharedContext
from kg.parse.publishers import label_organizations, organization_key
from kg.parse.records import PageKey
from kg.report import COUNT_NAMES, count_graph

__all__ = ["Aliases", "content_digest", "GraphPart", "StageOut", "owner", "map_stage", "unread_stage",
           "claims_stage", "contents_stage", "merge_aliases", "links_out_stage", "links_in_stage", "assemble_stage",
           "reduce_partitioned", "parts_report"]

#: A shuffle's blob: ``{kind: [fact, ...]}`` for one destination, pickled by
#: :func:`~kg.facts.executors.dump_record` (only ever handed between this job's processes).
Blob = bytes


def owner(key: str, parts: int) -> int:
    """The partition that owns ``key``: a hash that every process computes alike.

    (Python's own ``hash`` of a string differs from process to process.)

    Examples
    --------
    >>> owner("2015-09-01/a", 4) == owner("2015-09-01/a", 4) < 4
    True
    """
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % parts if parts > 1 else 0


@dataclass(frozen=True, slots=True)
class StageOut:
    """What one stage of one partition gives: a blob per destination, and what stays."""

    out: tuple[Blob, ...]
    local: Blob = b""
    side: Blob = b""


@dataclass(frozen=True, slots=True)
class Aliases:
    """Events merged into another (key -> kept key), and the claims they merged into."""

    alias: dict[str, str] = field(default_factory=dict)
    into: dict[str, EventClaim] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GraphPart:
    """One partition's part of the graph: the subjects it owns.

    ``graph`` holds its events (with their Related lines), days, articles,
    publishers, images, contexts and the shared-context pairs whose first
    event it owns; ``event_graph`` is ``graph`` with every pair that
    involves one of its events (an event's triples name its partners).
    ``outside`` are the external events that its days and Related lines name
    (their records are other partitions'): what its subjects' tallies need
    (:func:`kg.report.subject_tallies`).
    """

    index: int
    graph: KnowledgeGraph
    event_graph: KnowledgeGraph
    counts: dict[str, int]
    diagnostics: tuple[Diagnostic, ...]
    outside: frozenset[PageKey] = frozenset()


class _Buckets:
    """Facts bound for each destination partition, by kind."""

    def __init__(self, parts: int) -> None:
        self.parts = parts
        self.buckets: list[dict[str, list[Any]]] = [defaultdict(list) for _ in range(parts)]

    def add(self, key: str, kind: str, value: object) -> None:
        self.buckets[owner(key, self.parts)][kind].append(value)

    def blobs(self) -> tuple[Blob, ...]:
        return tuple(dump_record(dict(b)) for b in self.buckets)


def _gather(blobs: Iterable[Blob]) -> dict[str, list[Any]]:
    """The facts of the blobs sent to one partition, by kind."""
    merged: dict[str, list[Any]] = defaultdict(list)
    for blob in blobs:
        if blob:
            for kind, values in load_record(blob).items():
                merged[kind].extend(values)
    return merged


def _diagnostics_to(buckets: _Buckets, found: Iterable[Diagnostic]) -> None:
    # Diagnostics travel with the partition of their page, to come out of its shard's task.
    for d in found:
        buckets.add(d.path, "diagnostics", d)


# ------------------------------------------------------------------ 1. map

def unread_stage(paths: Iterable[str], parts: int) -> StageOut:
    """The walk's paths that gave no page (a FIFO named as a page, say) to the owners of their keys, as the
    map sends those of pages that could not be read: a link to one is said to name a page that gave no event,
    as the in-memory build says it, not one out of the corpus.  (Their diagnostics go to the report apart.)"""
    return map_stage((PageFacts(path) for path in paths), parts)


def map_stage(pages: Iterable[PageFacts], parts: int) -> StageOut:
    """Facts of one input partition's pages to the owners of their keys."""
    buckets = _Buckets(parts)
    for page in pages:
        _diagnostics_to(buckets, page.diagnostics)
        if page.event is not None:
            buckets.add(page.event.key, "claims", page.event)
        if page.day is not None:
            buckets.add(page.day.date, "days", page.day)
        elif page.event is None and (lost := unread_key(page)) is not None:
            buckets.add(lost, "unread", lost)  # to the owner of its key, where the links naming it are reduced
    return StageOut(buckets.blobs())


# ------------------------------------------------------------------ 2. claims by key

def content_digest(claim: EventClaim) -> str:
    """What makes two pages one event, as a digest that every process computes alike."""
    return claim.content  # see kg.facts.mapping.page_content


def claims_stage(blobs: Iterable[Blob], parts: int) -> StageOut:
    """The page kept for each event key of this partition (the others are duplicates).

    Only the winners' keys, paths and content digests go on to the owners of
    their content; the claims stay here (``local``) for the later stages.
    """
    facts = _gather(blobs)
    by_key: dict[str, list[EventClaim]] = defaultdict(list)
    for claim in facts["claims"]:
        by_key[claim.key].append(claim)
    buckets = _Buckets(parts)
    winners: list[EventClaim] = []
    duplicates: list[tuple[str, tuple[EventClaim, ...]]] = []
    for key, group in by_key.items():
        winner, others = reduce_claims(group)
        winners.append(winner)
        digest = content_digest(winner)
        buckets.add(digest, "contents", (digest, winner.key, winner.path, winner.headline))
        if others:
            duplicates.append((key, others))
    local = {"winners": winners, "duplicates": duplicates, "days": facts["days"],
             "diagnostics": facts["diagnostics"], "unread": facts["unread"]}
    return StageOut(buckets.blobs(), dump_record(local))


# ------------------------------------------------------------------ 3. claims by content

def contents_stage(blobs: Iterable[Blob], parts: int) -> StageOut:
    """Event pages with the same content are one event: one is kept (see reduce_contents), the others alias it."""
    by_content: dict[str, list[EventClaim]] = defaultdict(list)
    for digest, key, path, headline in _gather(blobs)["contents"]:
        # reduce_contents reads a claim's key, path and headline only
        by_content[digest].append(EventClaim(key, path, headline, "", (), ()))
    buckets = _Buckets(parts)
    aliases = Aliases()
    for group in by_content.values():
        if len(group) > 1:
            first, merged, problems = reduce_contents(group)
            aliases.alias.update(merged)
            aliases.into[first.key] = first
            _diagnostics_to(buckets, problems)
    return StageOut(buckets.blobs(), side=dump_record(aliases))


# ------------------------------------------------------------------ 4. aliases

def merge_aliases(sides: Iterable[Blob]) -> Aliases:
    """The aliases of every partition, for every later stage."""
    merged = Aliases()
    for blob in sides:
        part: Aliases = load_record(blob)
        merged.alias.update(part.alias)
        merged.into.update(part.into)
    return merged


def _kept(claims_local: dict[str, Any], aliases: Aliases) -> list[EventClaim]:
    """This partition's kept claims: its winners that merged into no other event."""
    merged = aliases.alias
    return [claim for claim in claims_local["winners"] if claim.key not in merged]


# ------------------------------------------------------------------ 5. links out

def links_out_stage(blobs: Iterable[Blob], claims_local: Blob, aliases: Aliases, parts: int) -> StageOut:
    """Links to the owner of the event they name; a kept page's articles, images, day onward.

    ``blobs`` are what stage 3 sent here, ``claims_local`` what stage 2 kept.
    """
    facts = _gather(blobs)
    mine = load_record(claims_local)
    diagnostics: list[Diagnostic] = [*mine["diagnostics"], *facts["diagnostics"]]
    buckets = _Buckets(parts)
    resolve = aliases.alias.get
    kept = _kept(mine, aliases)
    for claim in kept:
        diagnostics.extend(claim.link_diagnostics)
        for link in claim.links:
            buckets.add(resolve(link.target, link.target), "links", link)
        date = claim.key[:10]
        buckets.add(date, "dates", date)
        for publisher, url in claim.sources:
            buckets.add("a" + url, "articles", (url, publisher))
            buckets.add("p" + publisher, "publishers", publisher)
        # Each spelling once per page (its label counts pages), its organization's spellings to one owner.
        for organization in organization_pages((claim,)):
            buckets.add("o" + organization_key(organization), "organizations", organization)
        for url in claim.images:
            buckets.add("i" + url, "images", url)
    for day in mine["days"]:
        for link in day.links:
            buckets.add(resolve(link.target, link.target), "links", link)
    # What the later stages need of this partition's pages, without their links: plain tuples.
    stay = {"diagnostics": diagnostics,
            "kept": [(c.key, c.headline, c.path, tuple(dict.fromkeys(url for _, url in c.sources)),
                      tuple(dict.fromkeys(c.images))) for c in kept],
            "duplicates": [(key, tuple((c.path, c.key) for c in others)) for key, others in mine["duplicates"]],
            "days": [(d.date, d.path, d.label) for d in mine["days"]], "unread": mine["unread"]}
    return StageOut(buckets.blobs(), dump_record(stay))


def _claim(key: str, headline: str, path: str) -> EventClaim:
    """A claim as the later reduces read it: key, headline and path (links and sources were sent on)."""
    return EventClaim(key, path, headline, "", (), ())


# ------------------------------------------------------------------ 6. links in

def links_in_stage(blobs: Iterable[Blob], local: Blob, aliases: Aliases, parts: int) -> StageOut:
    """The links naming each event of this partition: what they give, to the owners of its parts.

    ``blobs`` are what stage 5 sent here, ``local`` what it kept.
    """
    facts = _gather(blobs)
    mine = load_record(local)
    identity = Identity({key: _claim(key, headline, path) for key, headline, path, _, _ in mine["kept"]},
                        aliases.alias)
    diagnostics: list[Diagnostic] = []
    if mine["duplicates"]:
        # The page a duplicate merged into may be another partition's: the broadcast claims name it.
        whole = Identity({**aliases.into, **identity.kept}, aliases.alias)
        for key, others in mine["duplicates"]:
            diagnostics.extend(duplicate_diagnostics(key, [_claim(k, "", path) for path, k in others], whole))

    unread = frozenset(mine["unread"])  # this partition's keys of pages that could not be read
    by_target: dict[str, list[LinkFact]] = defaultdict(list)
    resolve = aliases.alias.get
    for link in facts["links"]:
        by_target[resolve(link.target, link.target)].append(link)
    buckets = _Buckets(parts)
    externals: list[tuple[str, str]] = []
    unresolved = 0
    listed: set[str] = set()
    for key in sorted(by_target):
        links = by_target[key]
        if len(links) > 1:
            links.sort(key=link_order)
        outcome = reduce_links(key, links, identity, ordered=True, unread=unread)
        diagnostics.extend(outcome.diagnostics)
        external = outcome.external is not None
        if outcome.external is not None:
            externals.append((key, outcome.external))
        for date, path, order in outcome.listings:
            buckets.add(date, "listings", (date, path, order, key, external))
        if outcome.listings:
            listed.add(key)
        by_pair: dict[str, list[PairLink]] = defaultdict(list)
        for pair in outcome.pairs:
            by_pair[pair.source].append(pair)
        for group in by_pair.values():
            line = group[0]
            if len(group) > 1:
                line, repeated = reduce_pair(group)
                diagnostics.extend(repeated)
            unresolved += external
            _send_line(buckets, line, external)
    diagnostics.extend(unlisted_diagnostics(((key, path) for key, _, path, _, _ in mine["kept"]), listed))
    stay = {"externals": externals, "diagnostics": diagnostics, "unresolved": unresolved}
    return StageOut(buckets.blobs(), dump_record(stay))


def _send_line(buckets: _Buckets, line: PairLink, external: bool) -> None:
    """A Related line's parts to their owners: the line (and whether it leads out of the corpus) to
    its source's, contexts to each end's."""
    buckets.add(line.source, "related", (line.source, line.rank, line.target, line.contexts, external))
    if line.contexts:
        buckets.add(line.source, "contexts", (line.source, line.contexts))
        buckets.add(line.target, "contexts", (line.target, line.contexts))
    first, second = (line.source, line.target) if line.source < line.target else (line.target, line.source)
    # Every line makes a pair (without contexts too: weight 0), at both ends' owners: each
    # event's triples name the events it shares contexts with.
    buckets.add(first, "shared", (first, second, line.contexts))
    if owner(second, buckets.parts) != owner(first, buckets.parts):
        buckets.add(second, "shared", (first, second, line.contexts))
    for name in line.contexts:
        buckets.add("c" + name, "names", name)


# ------------------------------------------------------------------ 7. assemble

def assemble_stage(index: int, blobs: Iterable[Blob], pages_local: Blob, local: Blob, parts: int,
                   base_iri: str) -> GraphPart:
    """This partition's part of the graph, its counts and diagnostics.

    ``blobs`` are what stages 5 and 6 sent here; ``pages_local`` what stage 5
    kept, ``local`` what stage 6 kept.
    """
    facts = _gather(blobs)
    pages = load_record(pages_local)
    mine = load_record(local)
    problems: list[Diagnostic] = [*pages["diagnostics"], *mine["diagnostics"], *facts["diagnostics"]]
    keys: dict[str, PageKey] = {}

    def key_of(text: str) -> PageKey:
        found = keys.get(text)
        if found is None:
            found = keys[text] = page_key(text)
        return found

    events: dict[str, Event] = {}
    for text, headline, path, urls, images in pages["kept"]:
        events[text] = Event(key_of(text), headline, True, path, urls, images)
    for text, headline in mine["externals"]:
        events[text] = Event(key_of(text), headline, in_corpus=False)

    lines: list[tuple[str, int, str, tuple[str, ...], bool]] = sorted(facts["related"], key=itemgetter(0, 1, 2))
    contexts_of: dict[str, set[str]] = defaultdict(set)
    for text, names in facts["contexts"]:
        contexts_of[text].update(names)
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for first, second, names in facts["shared"]:
        shared[(first, second)].update(names)
    articles: dict[str, set[str]] = defaultdict(set)
    for url, publisher in facts["articles"]:
        articles[url].add(publisher)

    order = sorted(events)
    pairs = tuple(SharedContext(key_of(a), key_of(b), tuple(sorted(cs))) for (a, b), cs in sorted(shared.items()))
    days, listed_external, outside = _days(pages["days"], facts["dates"], facts["listings"], problems, key_of)
    outside.update(t for _, _, t, _, external in lines if external)
    graph = KnowledgeGraph(
        event_records={keys[k]: events[k] for k in order},
        days=days,
        articles={url: Article(url, tuple(sorted(names))) for url, names in sorted(articles.items())},
        publishers=tuple(sorted(set(facts["publishers"]))),
        organizations=tuple(sorted(set(facts["organizations"]))),
        organization_labels=label_organizations(Counter(facts["organizations"])),
        images=tuple(sorted(set(facts["images"]))),
        contexts=tuple(sorted(set(facts["names"]))),
        event_contexts={keys[k]: tuple(sorted(contexts_of[k])) for k in order if contexts_of.get(k)},
        related=tuple([RelatedLink(key_of(s), key_of(t), rank, cs) for s, rank, t, cs, _ in lines]),
        shared=tuple(p for p in pairs if owner(_text(p.first), parts) == index),
        base_iri=base_iri,
    )
    counts = count_graph(graph)
    # Links out of the corpus are counted where the event they name is known: stage 6 and the days here.
    counts["unresolved_links"] = mine["unresolved"] + listed_external
    return GraphPart(index, graph, replace(graph, shared=pairs), counts, tuple(problems),
                     frozenset(map(key_of, outside)))


def _text(key: PageKey) -> str:
    return f"{key.date.isoformat()}/{key.slug}"


def _days(claims: Sequence[tuple[str, str, str | None]], dates: Iterable[str],
          listings: Iterable[tuple[str, str, int, str, bool]], problems: list[Diagnostic],
          key_of: Callable[[str], PageKey]) -> tuple[dict[dt.date, Day], int, set[str]]:
    """The days this partition owns, how many of their entries name an external event, and which."""
    by_date: dict[str, list[DayClaim]] = defaultdict(list)
    for date, path, label in claims:
        by_date[date].append(DayClaim(date, path, label))  # reduce_day reads these three
    listed: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    outside: set[str] = set()
    for date, path, order, key, external in listings:
        listed[date].append((path, order, key))
        if external:
            outside.add(key)
    days: dict[dt.date, Day] = {}
    unresolved = 0
    for date in sorted(set(dates) | set(by_date)):
        page: DayClaim | None = None
        if date in by_date:
            page, repeated = reduce_day(by_date[date])
            problems.extend(repeated)
        entries = tuple(dict.fromkeys(key for _, _, key in sorted(listed.get(date, ()))))
        unresolved += sum(1 for key in entries if key in outside)
        day = dt.date.fromisoformat(date)
        days[day] = Day(day, page.label if page else None, page.path if page else None,
                        tuple(key_of(k) for k in entries))
    return days, unresolved, outside


def parts_report(corpus: str, pages_read: int, problems: Iterable[Diagnostic],
                 parts: Iterable[tuple[Mapping[str, int], Iterable[Diagnostic]]]) -> BuildReport:
    """The report of a whole build: the partitions' counts summed, their diagnostics and the walk's
    (``problems``) merged, as the in-memory reduce reports them.

    >>> parts_report("c", 2, [], [({"events": 1}, []), ({"events": 2}, [])]).counts["events"]
    3
    """
    found: list[Diagnostic] = list(problems)
    counts = dict.fromkeys(COUNT_NAMES, 0)
    for part_counts, diagnostics in parts:
        found.extend(diagnostics)
        for name in COUNT_NAMES:
            counts[name] += part_counts.get(name, 0)
    return BuildReport(corpus=corpus, pages_read=pages_read, diagnostics=tuple(sorted(found, key=diagnostic_order)),
                       counts=counts)


def reduce_partitioned(pages: Iterable[PageFacts], parts: int, *, base_iri: str) -> list[GraphPart]:
    """Run every stage in this process: the graph's parts, as the distributed engine makes them."""
    pages = list(pages)
    mapped = [map_stage(pages, parts)]
    claims = [claims_stage([m.out[p] for m in mapped], parts) for p in range(parts)]
    contents = [contents_stage([c.out[p] for c in claims], parts) for p in range(parts)]
    aliases = merge_aliases(c.side for c in contents)
    out = [links_out_stage([c.out[p] for c in contents], claims[p].local, aliases, parts) for p in range(parts)]
    into = [links_in_stage([o.out[p] for o in out], out[p].local, aliases, parts) for p in range(parts)]
    return [assemble_stage(p, [*(o.out[p] for o in out), *(i.out[p] for i in into)], out[p].local,
                           into[p].local, parts, base_iri) for p in range(parts)]
