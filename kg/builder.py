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

from kg.diagnostics import Diagnostic, diagnostic
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
    resolved: dict[str, tuple[LinkTarget, PageKey | None]] = field(default_factory=dict)

    def report(self, path: str, line: int, code: str, message: str) -> None:
        self.diagnostics.append(diagnostic(path, line, code, message))

    def event_target(self, target: str, from_path: str, line: int, headline: str,
                     what: str) -> PageKey | None:
        """Resolve a link to an event; keep an unknown one as external."""
        memo = self.resolved.get(target)
        if memo is None:
            resolved = resolve_link(target, from_path)
            key = None
            if resolved.key is not None:
                key = self.alias.get(resolved.key, resolved.key)
                page = self.pages.get(key)
                key = page.key if page is not None else key  # one instance: dict hits by identity
            memo = (resolved, key)
            stripped = target.strip()
            if stripped.startswith("/") and not stripped.startswith("//"):
                self.resolved[target] = memo
        resolved, key = memo
        if resolved.error:
            self.report(from_path, line, resolved.error, f"{what} link dropped: {resolved.detail}")
            return None
        if resolved.kind == "day":
            self.report(from_path, line, "link-to-day-page",
                        f"{what} link to day page {resolved.path} dropped")
            return None
        if key not in self.pages:
            if key not in self.external:
                self.external[key] = headline
            self.report(from_path, line, "unresolved-link",
                        f"{what} link to {resolved.path}, which is not in the corpus")
        elif headline and headline != self.pages[key].headline:
            self.report(from_path, line, "headline-mismatch",
                        f"{what} link text differs from the headline of {self.pages[key].path}")
        return key


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
                corpus: str = "") -> KnowledgeGraph:
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

    Returns
    -------
    KnowledgeGraph
        With a :class:`~kg.report.BuildReport` of counts and diagnostics.
    """
    with paused_gc():
        return _build_graph(parsed, base_iri, corpus)


def _build_graph(parsed: Iterable[ParsedPage], base_iri: str, corpus: str) -> KnowledgeGraph:
    parsed = sorted(parsed, key=lambda p: p.path)
    diagnostics: list[Diagnostic] = [d for p in parsed for d in p.diagnostics]
    state = _State(diagnostics)
    event_pages = [p.page for p in parsed if isinstance(p.page, EventPage)]
    day_pages = [p.page for p in parsed if isinstance(p.page, DayPage)]
    _dedupe_pages(sorted(event_pages, key=lambda p: (p.key.date, p.key.slug, p.path)), state)

    related: dict[tuple[PageKey, PageKey], RelatedLink] = {}
    for page in state.pages.values():
        for item in page.related:
            target = state.event_target(item.target, page.path, item.line, item.headline, "related")
            if target is None:
                continue
            if target == page.key:
                state.report(page.path, item.line, "self-link", "related link to the page itself dropped")
                continue
            pair = (page.key, target)
            if pair in related:
                old = related[pair]
                merged = old.contexts + tuple(c for c in item.contexts if c not in old.contexts)
                related[pair] = RelatedLink(old.source, old.target, old.rank, merged)
                state.report(page.path, item.line, "duplicate-item",
                             f"second related link to {target.path}; contexts merged")
                continue
            related[pair] = RelatedLink(page.key, target, item.rank, item.contexts)

    days = _days(day_pages, state)
    events = _events(state)
    contexts_of: dict[PageKey, set[str]] = defaultdict(set)
    shared: dict[tuple[PageKey, PageKey], set[str]] = defaultdict(set)
    for link in related.values():
        contexts_of[link.source].update(link.contexts)
        contexts_of[link.target].update(link.contexts)
        a, b = link.source, link.target
        if (b.date, b.slug) < (a.date, a.slug):
            a, b = b, a
        shared[a, b].update(link.contexts)

    articles: dict[str, set[str]] = defaultdict(set)
    images: set[str] = set()
    for page in state.pages.values():
        for src in page.sources:
            articles[src.url].add(src.publisher)
        images.update(img.url for img in page.images)

    graph = KnowledgeGraph(
        events=events,
        days=days,
        articles={url: Article(url, tuple(sorted(names))) for url, names in sorted(articles.items())},
        publishers=tuple(sorted({n for names in articles.values() for n in names})),
        images=tuple(sorted(images)),
        contexts=tuple(sorted({c for cs in contexts_of.values() for c in cs})),
        event_contexts={k: tuple(sorted(contexts_of[k])) for k in sorted(contexts_of, key=_order)
                        if contexts_of[k]},
        related=tuple(sorted(related.values(), key=lambda r: (r.source.date, r.source.slug, r.rank,
                                                              r.target.date, r.target.slug))),
        shared=tuple(SharedContext(a, b, tuple(sorted(cs))) for (a, b), cs in
                     sorted(shared.items(), key=lambda kv: (*_order(kv[0][0]), *_order(kv[0][1])))),
        base_iri=base_iri,
    )
    counts = count_graph(graph)
    report = BuildReport(corpus=corpus, pages_read=len(parsed),
                         diagnostics=tuple(sorted(state.diagnostics, key=_diagnostic_order)),
                         counts=counts)
    return KnowledgeGraph(**{**_fields(graph), "report": report})


def _events(state: _State) -> dict[PageKey, Event]:
    events: dict[PageKey, Event] = {}
    for key in sorted(set(state.pages) | set(state.external), key=_order):
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
    for page in day_pages:
        if page.date in listed:
            state.report(page.path, 0, "duplicate-page",
                         f"second day page for {page.date.isoformat()}; merged into {listed[page.date].path}")
        listed.setdefault(page.date, page)
        keys = entries.setdefault(page.date, [])
        for entry in page.entries:
            key = state.event_target(entry.target, page.path, entry.line, entry.headline, "day")
            if key is not None and key not in keys:
                keys.append(key)
    dates = {k.date for k in state.pages} | set(listed)
    days: dict[dt.date, Day] = {}
    for date in sorted(dates):
        page = listed.get(date)
        days[date] = Day(date, page.label if page else None, page.path if page else None,
                         tuple(entries.get(date, ())))
    return days


def _diagnostic_order(d: Diagnostic) -> tuple:
    return d.path, d.line, d.code, d.message, d.level


def _fields(graph: KnowledgeGraph) -> dict:
    return {name: getattr(graph, name) for name in graph.__dataclass_fields__ if name != "_cache"}
