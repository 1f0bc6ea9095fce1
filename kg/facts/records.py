"""The facts one page gives, each keyed by the subject it is about.

A page is mapped to facts on its own (:func:`kg.facts.mapping.page_facts`):
no fact depends on another page.  Event keys are written as text
(``YYYY-MM-DD/slug``, see :func:`event_key`): strings hash and sort in C,
and they sort exactly as :class:`~kg.parse.records.PageKey` does (the date part
has a fixed width).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kg.diagnostics import Diagnostic
from kg.parse.records import PageKey

__all__ = [
    "EventClaim",
    "DayClaim",
    "LinkFact",
    "PageFacts",
    "event_key",
    "page_key",
    "RELATED",
    "DAY",
]

#: The two kinds of link to an event: a Related line, a day page's entry.
RELATED = "related"
DAY = "day"


def event_key(key: PageKey) -> str:
    """An event's key as text, ``YYYY-MM-DD/slug``.

    Examples
    --------
    >>> event_key(PageKey(dt.date(2015, 9, 1), "a-b"))
    '2015-09-01/a-b'
    >>> page_key(event_key(PageKey(dt.date(2015, 9, 1), "a-b"))) == PageKey(dt.date(2015, 9, 1), "a-b")
    True
    """
    return f"{key.date.isoformat()}/{key.slug}"


def page_key(text: str) -> PageKey:
    """The :class:`~kg.parse.records.PageKey` of a key written by :func:`event_key`."""
    date, slug = text.split("/", 1)
    return PageKey(dt.date.fromisoformat(date), slug)


@dataclass(frozen=True, slots=True)
class EventClaim:
    """An event page's claim to be the page of its event (keyed by ``key``).

    ``content`` is a digest of what makes two pages the same event (day,
    headline, sources, related targets as written: see
    :func:`kg.facts.mapping.page_content`).  ``links`` are its Related lines,
    each keyed by the event it names; ``link_diagnostics`` the problems of
    the lines that name none.  Both count only if this page is the one kept
    for its event, as everything else the page says.
    """

    key: str
    path: str
    headline: str
    content: str
    sources: tuple[tuple[str, str], ...]  # (publisher, url), as written
    images: tuple[str, ...]
    links: tuple[LinkFact, ...] = ()
    link_diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class DayClaim:
    """A day page's claim to be the page of its day (keyed by ``date``), with its entries."""

    date: str
    path: str
    label: str | None
    links: tuple[LinkFact, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkFact:
    """A link that names an event (keyed by ``target``, the event it names).

    ``via`` is :data:`RELATED` (``source`` is then the linking event's key)
    or :data:`DAY` (``source`` is the day's date).  ``order`` is the link's
    place on its page; ``written`` the page path it resolved to, for messages.
    """

    target: str
    via: str
    source: str
    path: str
    line: int
    rank: int
    order: int
    headline: str
    contexts: tuple[str, ...]
    written: str


@dataclass(frozen=True, slots=True)
class PageFacts:
    """Everything one page gives: its claim (with its links) and its diagnostics."""

    path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    event: EventClaim | None = None
    day: DayClaim | None = None
