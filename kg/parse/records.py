"""Typed records of what one page says, as the parser reads it.

These are plain frozen values: the parser makes them, the builder merges them
into a :class:`~kg.model.KnowledgeGraph`.  Dates are ``datetime.date``; paths
are corpus-relative POSIX strings such as ``news/2015/09/1/<slug>.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kg.diagnostics import Diagnostic

__all__ = [
    "PageKey",
    "SourceItem",
    "ImageItem",
    "RelatedItem",
    "DayEntry",
    "EventPage",
    "DayPage",
    "ParsedPage",
]


@dataclass(frozen=True, slots=True, order=True)
class PageKey:
    """The stable identity of an event: its day and its slug.

    Examples
    --------
    >>> import datetime as dt
    >>> PageKey(dt.date(2015, 9, 1), "a-b").path
    'news/2015/09/1/a-b.md'
    """

    date: dt.date
    slug: str

    @property
    def path(self) -> str:
        """The canonical page path of this event."""
        d = self.date
        return f"news/{d.year:04d}/{d.month:02d}/{d.day}/{self.slug}.md"

    @property
    def day_path(self) -> str:
        """The path of this event's day page."""
        d = self.date
        return f"news/{d.year:04d}/{d.month:02d}/{d.day}/index.md"


@dataclass(frozen=True, slots=True)
class SourceItem:
    """A cited article: ``[publisher](url)`` in the Source section."""

    publisher: str
    url: str
    line: int


@dataclass(frozen=True, slots=True)
class ImageItem:
    """A ``[Cover Image](url)`` item: the page's illustration."""

    url: str
    line: int


@dataclass(frozen=True, slots=True)
class RelatedItem:
    """A Related line: a link to another page and the contexts both share.

    ``target`` is the link as written (not yet resolved); ``rank`` is the
    1-based position in the list.
    """

    headline: str
    target: str
    contexts: tuple[str, ...]
    rank: int
    line: int


@dataclass(frozen=True, slots=True)
class DayEntry:
    """One ``[headline](path)`` entry of a day page."""

    headline: str
    target: str
    rank: int
    line: int


@dataclass(frozen=True, slots=True)
class EventPage:
    """What an event page says.

    ``headline_line`` is the headline's line number; ``day_label`` the text of the page's day
    heading (``None`` without one); ``sources``, ``images`` and ``related`` its list items, in order.

    Examples
    --------
    >>> import kg
    >>> rel = "news/2015/09/25/croatia-reopens-its-border-with-serbia.md"
    >>> page = kg.parse_file(rel, "examples/wcep-2015-09/" + rel).page
    >>> page.headline, page.day_label, page.sources[0].publisher
    ('Croatia reopens its border with Serbia.', '2015-09-25', 'Reuters')
    >>> page.related[0].target, page.related[0].contexts
    ('/news/2015/09/24/croatia-and-serbia-restrict-cross-border-traffic.md', ('Croatia', 'Serbia'))
    """

    path: str
    key: PageKey
    headline: str
    headline_line: int
    day_label: str | None
    sources: tuple[SourceItem, ...] = ()
    images: tuple[ImageItem, ...] = ()
    related: tuple[RelatedItem, ...] = ()


@dataclass(frozen=True, slots=True)
class DayPage:
    """What a day page (``index.md``) says.

    ``label`` is the text of its heading (``None`` without one); ``entries`` the events it lists, in order.

    Examples
    --------
    >>> import kg
    >>> rel = "news/2015/09/30/index.md"
    >>> day = kg.parse_file(rel, "examples/wcep-2015-09/" + rel).page
    >>> day.date, day.label, len(day.entries), day.entries[0].rank
    (datetime.date(2015, 9, 30), '2015-09-30', 15, 1)
    """

    path: str
    date: dt.date
    label: str | None
    entries: tuple[DayEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """The outcome of parsing one file: a page (or ``None``) and diagnostics.

    Examples
    --------
    >>> import kg
    >>> rel = "news/2015/09/30/index.md"
    >>> parsed = kg.parse_file(rel, "examples/wcep-2015-09/" + rel)
    >>> parsed.path, type(parsed.page).__name__, parsed.diagnostics
    ('news/2015/09/30/index.md', 'DayPage', ())
    >>> broken = kg.parse_page("no headline", "news/2015/09/1/x.md")
    >>> broken.page is None, [d.code for d in broken.diagnostics]
    (True, ['stray-content', 'missing-headline'])
    """

    path: str
    page: EventPage | DayPage | None
    diagnostics: tuple[Diagnostic, ...] = ()
