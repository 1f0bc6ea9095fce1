"""What one page says that other pages' subjects depend on.

The incremental build (:mod:`kg.incremental.rebuild`) must find, for a changed page,
every subject whose triples it touches and every page those subjects are
made from.  :func:`page_facts` reads that off one parsed page alone: the
event it is, the events its links name, the articles it cites and the
publishers, organizations, contexts and images it brings into the graph.  The cache keeps
these facts indexed (:mod:`kg.incremental.cache`), so that such questions cost a lookup,
not a pass over the archive.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeAlias

from kg.facts.mapping import page_content
from kg.parse.publishers import organizations_of
from kg.parse.records import DayPage, EventPage, PageKey, ParsedPage
from kg.read.paths import LinkTarget, resolve_link

__all__ = ["PageFacts", "page_facts", "key_text", "key_path", "link_target", "NAME_KINDS", "LinkFact"]

#: Subjects that exist while any page names them, and only then.
NAME_KINDS = ("publishers", "organizations", "contexts", "images")

#: A link that names an event: ``(key, rank, text, target as written, contexts)``.
LinkFact: TypeAlias = tuple[str, int, str, str, tuple[str, ...]]


def key_text(key: PageKey) -> str:
    """An event key as one string (``YYYY-MM-DD/slug``), for index lookups.

    Examples
    --------
    >>> import datetime as dt
    >>> key_text(PageKey(dt.date(2015, 9, 1), "a-b"))
    '2015-09-01/a-b'
    """
    return f"{key.date.isoformat()}/{key.slug}"


def key_path(text: str) -> str:
    """The page path (``PageKey.path``) of an event key given as :func:`key_text`.

    Examples
    --------
    >>> import datetime as dt
    >>> key = PageKey(dt.date(2015, 9, 1), "a-b")
    >>> key_path(key_text(key)) == key.path
    True
    """
    date, slug = text.split("/", 1)
    year, month, day = date.split("-")
    return f"news/{year}/{month}/{int(day)}/{slug}.md"


@dataclass(frozen=True, slots=True)
class PageFacts:
    """A page's index entries.

    ``kind`` is ``"event"``, ``"day"`` or ``None`` (nothing could be read);
    ``refs`` are the event keys (:func:`key_text`) its Related lines or day
    entries resolve to; ``names`` the ``(kind, name)`` pairs of
    :data:`NAME_KINDS` it brings in; ``content`` a digest of what makes two
    event pages the same event (see :func:`kg.facts.build.page_content`);
    ``links`` each link that names an event, as ``(key, rank, text, target
    as written, contexts)``, in the page's order: what the page gives the
    events it links to (a link's text names an event not in the corpus).
    """

    path: str
    kind: str | None = None
    key: str | None = None
    date: str | None = None
    headline: str | None = None
    content: str | None = None
    refs: tuple[str, ...] = ()
    cites: tuple[str, ...] = ()
    names: tuple[tuple[str, str], ...] = ()
    links: tuple[LinkFact, ...] = ()


def page_facts(parsed: ParsedPage) -> PageFacts:
    """Index entries of one parsed page.

    Examples
    --------
    >>> from pathlib import Path
    >>> from kg.facts.executors import parse_file
    >>> rel = "news/2015/09/1/a-law-affecting-online-personal-computer-data-storage-comes-into-force-in-russia.md"
    >>> facts = page_facts(parse_file(rel, Path("examples/wcep-2015-09") / rel))
    >>> facts.kind, facts.key[:11], len(facts.refs) > 0
    ('event', '2015-09-01/', True)
    """
    page = parsed.page
    if isinstance(page, DayPage):
        entries: tuple[LinkFact, ...] = tuple((key, e.rank, e.headline, e.target, ()) for e in page.entries
                                              if (key := link_target(e.target, page.path)) is not None)
        return PageFacts(parsed.path, "day", date=page.date.isoformat(),
                         refs=tuple(dict.fromkeys(link[0] for link in entries)), links=entries)
    if not isinstance(page, EventPage):
        return PageFacts(parsed.path)
    own = key_text(page.key)
    links: list[LinkFact] = []
    names: dict[tuple[str, str], None] = {}
    for item in page.related:
        target = link_target(item.target, page.path)
        if target is None:
            continue
        links.append((target, item.rank, item.headline, item.target, item.contexts))
        if target != own:  # a self-link is dropped, and its contexts with it
            names.update((("contexts", c), None) for c in item.contexts)
    names.update((("publishers", s.publisher), None) for s in page.sources)
    # An organization is there while any page credits it ("AFP" and "AFP via France 24" both do).
    names.update((("organizations", o), None) for o in organizations_of(s.publisher for s in page.sources))
    names.update((("images", i.url), None) for i in page.images)
    content = hashlib.sha256(repr(page_content(page)).encode("utf-8", "surrogatepass")).hexdigest()
    return PageFacts(parsed.path, "event", own, page.key.date.isoformat(), page.headline, content,
                     tuple(dict.fromkeys(link[0] for link in links)),
                     tuple(dict.fromkeys(s.url for s in page.sources)), tuple(names), tuple(links))


def link_target(target: str, from_path: str) -> str | None:
    """The event key (:func:`key_text`) a link on page ``from_path`` names, or ``None``."""
    # Site-absolute links resolve the same from any page: each is resolved once.
    if target.startswith("/") and not target.startswith("//"):
        return _absolute_target(target)
    return _resolved_key(resolve_link(target, from_path))


@lru_cache(maxsize=1 << 18)
def _absolute_target(target: str) -> str | None:
    return _resolved_key(resolve_link(target, ""))


def _resolved_key(resolved: LinkTarget) -> str | None:
    if resolved.error or resolved.kind != "event" or resolved.key is None:
        return None
    return key_text(resolved.key)
