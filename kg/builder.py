"""Merge parsed pages into one :class:`~kg.model.KnowledgeGraph`.

This stage resolves links between pages, keeps a link to a page that is not
in the corpus as an external event, gives each Related line's contexts to both
of its events, and derives one shares-context edge per pair of events that a
Related line names.  It never materialises co-occurrence for all pairs of
events of a context: that stays a two-hop query through the context node.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter

from kg.diagnostics import Diagnostic, diagnostic, diagnostic_order
from kg.model import (
    DEFAULT_BASE_IRI,
    Article,
    Day,
    Event,
    KnowledgeGraph,
    RelatedLink,
    SharedContext,
)
from kg.paths import LinkTarget, resolve_link
from kg.records import DayPage, EventPage, PageKey, ParsedPage
from kg.report import BuildReport, count_graph

__all__ = ["build_graph", "paused_gc", "page_content"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector, e.g. while building big acyclic structures.

    Records and graphs hold no reference cycles, yet every few thousand new
    objects the collector walks all live ones: at 150,000 events that was
    half of the building time.  Collection resumes (as it was) on leaving.

    Examples
    --------
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# PageKey's generated comparisons run in Python; sorting on plain tuples
# gives the same order several times faster.
def _order(key: PageKey) -> tuple[dt.date, str]:
    return key.date, key.slug


@dataclass(slots=True)
class _State:
    diagnostics: list[Diagnostic]
    pages: dict[PageKey, EventPage] = field(default_factory=dict)
    alias: dict[PageKey, PageKey] = field(default_factory=dict)
    external: dict[PageKey, str] = field(default_factory=dict)
    # Site-absolute links resolve the same from any page: each is resolved once.
    resolved: dict[str, tuple[LinkTarget, PageKey | None, EventPage | None]] = field(default_factory=dict)
    # One instance per key not in the corpus, as page.key is for those in it:
    # keys that event_target returns are equal only if they are identical.
    canon: dict[PageKey, PageKey] = field(default_factory=dict)

    def report(self, path: str, line: int, code: str, message: str) -> None:
        self.diagnostics.append(diagnostic(path, line, code, message))

    def event_target(self, target: str, from_path: str, line: int, headline: str,
                     what: str) -> PageKey | None:
        """Resolve a link to an event; keep an unknown one as external."""
        memo = self.resolved.get(target)
        if memo is None:
            resolved = resolve_link(target, from_path)
            key = page = None
            if resolved.key is not None:
                key = self.alias.get(resolved.key, resolved.key)
                page = self.pages.get(key)  # the pages are all known by now
                key = page.key if page is not None else self.canon.setdefault(key, key)
            memo = (resolved, key, page)
            stripped = target.strip()
            if stripped.startswith("/") and not stripped.startswith("//"):
                self.resolved[target] = memo
        resolved, key, page = memo
        if resolved.error:
            self.report(from_path, line, resolved.error, f"{what} link dropped: {resolved.detail}")
            return None
        if resolved.kind == "day":
            self.report(from_path, line, "link-to-day-page",
                        f"{what} link to day page {resolved.path} dropped")
            return None
        if page is None:
            if key not in self.external:
                self.external[key] = headline
            self.report(from_path, line, "unresolved-link",
                        f"{what} link to {resolved.path}, which is not in the corpus")
        elif headline and headline != page.headline:
            self.mismatch(from_path, line, what, page)
        return key

    def mismatch(self, from_path: str, line: int, what: str, page: EventPage) -> None:
        """Report a link whose text is not the headline of the page it leads to."""
        self.report(from_path, line, "headline-mismatch",
                    f"{what} link text differs from the headline of {page.path}")


def page_content(page: EventPage) -> tuple:
    """What makes two event pages the same event: day, headline, sources and related targets."""
    return (page.key.date, page.headline,
            tuple((s.publisher, s.url) for s in page.sources),
            tuple(r.target for r in page.related))


def _dedupe_pages(pages: list[EventPage], state: _State) -> None:
    """Keep one page per key and per identical content; map the others to it."""
    by_content: dict[tuple, PageKey] = {}
    for page in pages:
        if page.key in state.pages or page.key in state.alias:
            first = state.alias.get(page.key, page.key)
            state.report(page.path, 0, "duplicate-page",
                         f"same event as {state.pages[first].path}; merged into it")
            continue
        content = page_content(page)
        if content in by_content:
            first = by_content[content]
            state.alias[page.key] = first
            state.report(page.path, 0, "duplicate-page",
                         f"same headline, day and items as {state.pages[first].path}; merged into it")
            continue
        by_content[content] = page.key
        state.pages[page.key] = page


def build_graph(parsed: Iterable[ParsedPage], *, base_iri: str = DEFAULT_BASE_IRI,
                corpus: str = "", count: bool = True) -> KnowledgeGraph:
    """Merge parsed pages into a knowledge graph.

    Parameters
    ----------
    parsed : iterable of ParsedPage
        The parser's output, in any order (it is sorted by path here, so the
        result does not depend on the order of reading).
    base_iri : str
        The base of data IRIs, kept on the graph for the exporters.
    corpus : str
        A name for the corpus, kept in the report.
    count : bool
        Count nodes and edges into the report; ``False`` leaves the counts
        empty, for a graph of some pages whose counts would mean nothing.

    Returns
    -------
    KnowledgeGraph
        With a :class:`~kg.report.BuildReport` of counts and diagnostics.
    """
    with paused_gc():
        return _build_graph(parsed, base_iri, corpus, count)


def _build_graph(parsed: Iterable[ParsedPage], base_iri: str, corpus: str,
                 count: bool) -> KnowledgeGraph:
    parsed = sorted(parsed, key=lambda p: p.path)
    diagnostics: list[Diagnostic] = [d for p in parsed for d in p.diagnostics]
    state = _State(diagnostics)
    event_pages = [p.page for p in parsed if isinstance(p.page, EventPage)]
    day_pages = [p.page for p in parsed if isinstance(p.page, DayPage)]
    _dedupe_pages(sorted(event_pages, key=lambda p: (p.key.date, p.key.slug, p.path)), state)

    # Keys are compared by identity from here on (see _State.canon): PageKey's
    # hash and comparisons run in Python, and there are millions of them.
    related: dict[tuple[int, int], RelatedLink] = {}
    event_target, known = state.event_target, state.resolved
    for page in state.pages.values():
        source = page.key
        for item in page.related:
            memo = known.get(item.target)
            if memo is not None and memo[2] is not None:
                # Most links: resolved before, to a page of the corpus (so no
                # error); what event_target would do, without the call.
                target = memo[1]
                if item.headline and item.headline != memo[2].headline:
                    state.mismatch(page.path, item.line, "related", memo[2])
            else:
                target = event_target(item.target, page.path, item.line, item.headline, "related")
                if target is None:
                    continue
            if target is source:
                state.report(page.path, item.line, "self-link", "related link to the page itself dropped")
                continue
            pair = (id(source), id(target))
            old = related.get(pair)
            if old is not None:
                merged = old.contexts + tuple(c for c in item.contexts if c not in old.contexts)
                related[pair] = RelatedLink(old.source, old.target, old.rank, merged)
                state.report(page.path, item.line, "duplicate-item",
                             f"second related link to {target.path}; contexts merged")
                continue
            related[pair] = RelatedLink(source, target, item.rank, item.contexts)

    days = _days(day_pages, state)
    keys = sorted(chain(state.pages, state.external), key=_order)
    events = _events(state, keys)
    # Each key's place in the order of keys stands for the key itself below.
    place = {id(key): n for n, key in enumerate(keys)}
    width = len(keys)
    contexts_of: list[set[str] | None] = [None] * width
    shared: dict[int, set[str]] = {}  # by a * width + b for places a < b, so sorted as (a, b)
    for link in related.values():
        names = link.contexts
        a, b = place[id(link.source)], place[id(link.target)]
        if contexts_of[a] is None:
            contexts_of[a] = set(names)
        else:
            contexts_of[a].update(names)
        if contexts_of[b] is None:
            contexts_of[b] = set(names)
        else:
            contexts_of[b].update(names)
        pair = a * width + b if a < b else b * width + a
        both = shared.get(pair)
        if both is None:
            shared[pair] = set(names)
        else:
            both.update(names)

    articles: dict[str, set[str]] = defaultdict(set)
    images: set[str] = set()
    for page in state.pages.values():
        for src in page.sources:
            articles[src.url].add(src.publisher)
        images.update(img.url for img in page.images)

    graph = KnowledgeGraph(
        event_records=events,
        days=days,
        articles={url: Article(url, tuple(sorted(names))) for url, names in sorted(articles.items())},
        publishers=tuple(sorted({n for names in articles.values() for n in names})),
        images=tuple(sorted(images)),
        contexts=tuple(sorted({c for cs in contexts_of if cs for c in cs})),
        event_contexts={keys[n]: tuple(sorted(cs)) for n, cs in enumerate(contexts_of) if cs},
        related=tuple(sorted(related.values(), key=lambda r: (place[id(r.source)], r.rank,
                                                              place[id(r.target)]))),
        shared=tuple(SharedContext(keys[pair // width], keys[pair % width], tuple(sorted(cs)))
                     for pair, cs in sorted(shared.items(), key=itemgetter(0))),
        base_iri=base_iri,
    )
    counts = count_graph(graph) if count else {}
    report = BuildReport(corpus=corpus, pages_read=len(parsed),
                         diagnostics=tuple(sorted(state.diagnostics, key=diagnostic_order)),
                         counts=counts)
    return KnowledgeGraph(**{**_fields(graph), "report": report})


def _events(state: _State, keys: list[PageKey]) -> dict[PageKey, Event]:
    events: dict[PageKey, Event] = {}
    for key in keys:
        page = state.pages.get(key)
        if page is None:
            events[key] = Event(key, state.external[key], in_corpus=False)
        else:
            events[key] = Event(key, page.headline, True, page.path,
                                tuple(dict.fromkeys(s.url for s in page.sources)),
                                tuple(dict.fromkeys(i.url for i in page.images)))
    return events


def _days(day_pages: list[DayPage], state: _State) -> dict[dt.date, Day]:
    listed: dict[dt.date, DayPage] = {}
    entries: dict[dt.date, list[PageKey]] = {}
    seen: dict[dt.date, set[int]] = {}  # ids of the keys listed (see _State.canon)
    for page in day_pages:
        if page.date in listed:
            state.report(page.path, 0, "duplicate-page",
                         f"second day page for {page.date.isoformat()}; merged into {listed[page.date].path}")
        listed.setdefault(page.date, page)
        keys = entries.setdefault(page.date, [])
        ids = seen.setdefault(page.date, set())
        for entry in page.entries:
            key = state.event_target(entry.target, page.path, entry.line, entry.headline, "day")
            if key is not None and id(key) not in ids:
                ids.add(id(key))
                keys.append(key)
    dates = {k.date for k in state.pages} | set(listed)
    days: dict[dt.date, Day] = {}
    for date in sorted(dates):
        page = listed.get(date)
        days[date] = Day(date, page.label if page else None, page.path if page else None,
                         tuple(entries.get(date, ())))
    return days



def _fields(graph: KnowledgeGraph) -> dict:
    return {name: getattr(graph, name) for name in graph.__dataclass_fields__ if name != "_cache"}
