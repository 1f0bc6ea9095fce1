"""The map step: one parsed page to its keyed facts, with no global state.

Links are resolved against the corpus *layout* here (a page path names its
event); whether that event's page is in the corpus is the reduce step's to
decide, once, for every link that names it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache

from kg.diagnostics import Diagnostic, diagnostic
from kg.facts.records import DAY, RELATED, DayClaim, EventClaim, LinkFact, PageFacts, event_key
from kg.parse.records import DayEntry, DayPage, EventPage, ParsedPage, RelatedItem
from kg.read.paths import LinkTarget, parse_page_path, resolve_link

__all__ = ["page_facts", "page_content", "unread_key"]


def page_content(page: EventPage) -> str:
    """What makes two event pages the same event (day, headline, sources, images, Related lines), as a digest.

    A Related line counts by the event it names, resolved (``./b.md`` and
    ``b.md`` are one target), and by its contexts, in any order: two pages
    that differ only there are two events, not one whose second page's
    contexts are lost.  So do the cover images: a merge would lose the
    second page's.

    A cold build holds every page's facts until it reduces them, and only
    compares contents: 64 characters a page instead of a copy of its sources
    and links (about 0.6 KB).  The digest is the same in every process
    (dates, strings and tuples have one ``repr``).

    Examples
    --------
    >>> import datetime as dt
    >>> from kg.parse.records import PageKey
    >>> a = EventPage("news/2015/09/1/a.md", PageKey(dt.date(2015, 9, 1), "a"), "A", 1, None)
    >>> b = EventPage("news/2015/09/1/b.md", PageKey(dt.date(2015, 9, 1), "b"), "A", 1, None)
    >>> page_content(a) == page_content(b), len(page_content(a))
    (True, 64)
    """
    content = (page.key.date, page.headline, tuple((s.publisher, s.url) for s in page.sources),
               tuple((_target(r.target, page.path), tuple(sorted(r.contexts))) for r in page.related),
               tuple(i.url for i in page.images))
    return hashlib.sha256(repr(content).encode("utf-8", "surrogatepass")).hexdigest()


def _target(written: str, from_path: str) -> str:
    """The page a link names, as :func:`page_content` compares it: its event, else the link as written."""
    resolved = _resolve(written, from_path)
    return event_key(resolved.key) if resolved.key is not None else written


def page_facts(parsed: ParsedPage) -> PageFacts:
    """Map one parsed page to its facts.

    Examples
    --------
    >>> from kg.facts.records import PageKey
    >>> import datetime as dt
    >>> from kg.parse.records import RelatedItem
    >>> page = EventPage("news/2015/09/1/a.md", PageKey(dt.date(2015, 9, 1), "a"), "A", 1, None,
    ...                  related=(RelatedItem("B", "../2/b.md", ("Iran",), 1, 9),))
    >>> facts = page_facts(ParsedPage(page.path, page))
    >>> facts.event.key, [(f.target, f.via, f.contexts) for f in facts.event.links]
    ('2015-09-01/a', [('2015-09-02/b', 'related', ('Iran',))])
    """
    page = parsed.page
    if isinstance(page, EventPage):
        return _event_facts(parsed, page)
    if isinstance(page, DayPage):
        return _day_facts(parsed, page)
    return PageFacts(parsed.path, parsed.diagnostics)


def unread_key(facts: PageFacts) -> str | None:
    """The event key of an event page that gave no event: its file could not be read as a page.

    A link to that key is then not a link out of the corpus; its own
    diagnostics (binary, empty, too large ...) say why.

    >>> unread_key(PageFacts("news/2015/09/1/a.md")), unread_key(PageFacts("news/2015/09/1/index.md"))
    ('2015-09-01/a', None)
    """
    if facts.event is not None or facts.day is not None:
        return None
    where = parse_page_path(facts.path)
    return event_key(where.key) if where.kind == "event" and where.key is not None else None


def _event_facts(parsed: ParsedPage, page: EventPage) -> PageFacts:
    own = event_key(page.key)
    links, problems = _links(page.path, RELATED, own, page.related)
    claim = EventClaim(own, page.path, page.headline, page_content(page),
                       tuple((s.publisher, s.url) for s in page.sources),
                       tuple(i.url for i in page.images), links, problems)
    return PageFacts(parsed.path, parsed.diagnostics, event=claim)


def _day_facts(parsed: ParsedPage, page: DayPage) -> PageFacts:
    date = page.date.isoformat()
    links, problems = _links(page.path, DAY, date, page.entries)
    return PageFacts(parsed.path, parsed.diagnostics + problems, day=DayClaim(date, page.path, page.label, links))


def _links(path: str, via: str, source: str, items: Sequence[RelatedItem | DayEntry],
           ) -> tuple[tuple[LinkFact, ...], tuple[Diagnostic, ...]]:
    """A page's links to events, each keyed by the event it names, and the links that name none."""
    links: list[LinkFact] = []
    problems: list[Diagnostic] = []
    for order, item in enumerate(items):
        resolved = _resolve(item.target, path)
        problem = _refused(resolved, path, item.line, via)
        if problem is not None:
            problems.append(problem)
            continue
        assert resolved.key is not None and resolved.path is not None  # an event link has both
        contexts = item.contexts if isinstance(item, RelatedItem) else ()
        links.append(LinkFact(event_key(resolved.key), via, source, path, item.line, item.rank, order,
                              item.headline, contexts, resolved.path))
    return tuple(links), tuple(problems)


def _refused(resolved: LinkTarget, path: str, line: int, what: str) -> Diagnostic | None:
    """The diagnostic of a link that names no event, or ``None``."""
    if resolved.error:
        return diagnostic(path, line, resolved.error, f"{what} link dropped: {resolved.detail}")
    if resolved.kind == "day":
        return diagnostic(path, line, "link-to-day-page", f"{what} link to day page {resolved.path} dropped")
    return None


def _resolve(target: str, from_path: str) -> LinkTarget:
    # Site-absolute links resolve the same from any page: each is resolved once.
    stripped = target.strip()
    if stripped.startswith("/") and not stripped.startswith("//"):
        return _resolve_absolute(target)
    return resolve_link(target, from_path)


@lru_cache(maxsize=1 << 16)
def _resolve_absolute(target: str) -> LinkTarget:
    return resolve_link(target, "")
