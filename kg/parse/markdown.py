"""Parse one page's markdown into typed records, never raising on bad markdown.

markdown-it-py turns the text into block tokens that carry their source lines;
:mod:`kg.parse.blocks` groups them into headings and lists (or
:mod:`kg.parse.canonical` makes those blocks itself, for a page in the canonical
form), and this module assembles the page.  Headings switch the current
section, and each section name maps to an extractor in
:data:`~kg.parse.sections.SECTION_EXTRACTORS`.  Everything a page says either
lands in an :class:`~kg.parse.records.EventPage` /
:class:`~kg.parse.records.DayPage` or in a :class:`~kg.diagnostics.Diagnostic`.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterable, Sequence
from typing import Any

from kg.errors import ArgumentTypeError
from kg.keywords import checks_keywords
from kg.parse.blocks import Block, Heading, Items, Sink, markdown_blocks
from kg.parse.canonical import canonical_blocks
from kg.parse.commanames import CommaNames
from kg.parse.records import DayEntry, DayPage, EventPage, PageKey, ParsedPage
from kg.parse.sections import REQUIRED_SECTIONS, SECTION_EXTRACTORS, item_link
from kg.parse.text import MAX_HEADLINE, clean_text
from kg.read.paths import DAY_PAGE_NAME, parse_page_path, resolve_link

__all__ = ["parse_page"]


def _date_from_label(label: str) -> dt.date | None:
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", label)
    if not m:
        return None
    try:
        return dt.date(*map(int, m.groups()))
    except ValueError:
        return None


@checks_keywords
def parse_page(text: str, path: str, *, fast: bool = False,
               comma_names: CommaNames | Iterable[str] | None = None) -> ParsedPage:
    """Parse the markdown of one page.

    Parameters
    ----------
    text : str
        The decoded page.
    path : str
        Its corpus-relative path (``news/2015/09/1/<slug>.md``), which gives
        the event's day and slug and tells day pages from event pages.
    fast : bool
        Read pages written in the canonical form without markdown-it (see
        :func:`~kg.parse.canonical.canonical_blocks`); the records are the same either way.
        Off here, where one page is parsed: markdown-it's tokens are the
        reference reading.  A build turns it on unless told otherwise
        (``fast_parse`` of :func:`kg.build`).
    comma_names : iterable of str, optional
        The context names that hold a comma (:mod:`kg.parse.commanames`): a
        Related line's list cut at its commas is joined again where its
        parts, side by side, make one.  None by default.

    Returns
    -------
    ParsedPage
        ``page`` is an :class:`~kg.parse.records.EventPage`, a
        :class:`~kg.parse.records.DayPage`, or ``None`` when nothing could be read;
        ``diagnostics`` says what was odd, with line numbers.

    Examples
    --------
    >>> page = "# A quake hits. \\n\\n### Source:\\n\\n1. [BBC](http://bbc.co.uk/x)\\n"
    >>> parsed = parse_page(page, "news/2015/09/1/a-quake-hits.md")
    >>> parsed.page.headline, parsed.page.sources[0].publisher
    ('A quake hits.', 'BBC')
    >>> [d.code for d in parsed.diagnostics]
    ['missing-day-heading', 'missing-section']
    """
    given: tuple[object, object] = (text, path)  # (typed str: a page's bytes undecoded failed deep in markdown-it)
    if not all(isinstance(value, str) for value in given):
        wrong = next(value for value in given if not isinstance(value, str))
        raise ArgumentTypeError(f"parse_page takes the page's text and its corpus path, both str (bytes decoded: "
                                f"kg.read_page does it), not {type(wrong).__name__}")
    sink = Sink(path)
    where = parse_page_path(path)
    if where.error:
        sink.report(0, where.error, where.detail)
        return ParsedPage(path, None, sink.listed())
    blocks = canonical_blocks(text) if fast else None
    if blocks is None:
        blocks = markdown_blocks(text, sink)
    page: EventPage | DayPage | None
    if where.kind == "day" and where.date is not None:
        page = _day_page(blocks, path, where.date, sink)
    elif where.kind == "event" and where.key is not None:
        page = _event_page(blocks, path, where.key, sink, CommaNames.given(comma_names))
    else:  # parse_page_path gives every path without an error its kind and key or date
        raise AssertionError(f"{path}: {where} has no error, yet no key or date")
    return ParsedPage(path, page, sink.listed())


def _event_page(blocks: Sequence[Block], path: str, key: PageKey, sink: Sink,
                commas: CommaNames) -> EventPage | None:
    headline: str | None = None
    headline_line = 0
    day_label: str | None = None
    section: str | None = None
    gathered: dict[str, Items] = {}
    fields: dict[str, tuple[Any, ...]] = {}
    for block in blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                text = sink.text(block.markup, block.line, MAX_HEADLINE, "headline")
                if headline is None and text:
                    headline, headline_line = text, block.line
                elif text:
                    sink.report(block.line, "extra-headline", f"second headline ignored: {text[:200]!r}")
                section = None
                continue
            link = block.link
            if link is not None and day_label is None and headline is None:
                day_label = clean_text(link.text)
                date = _date_from_label(day_label)
                if date != key.date:
                    said = f"{day_label[:40]!r}" + ("" if date else ", which is not a date")
                    sink.report(block.line, "day-mismatch",
                                f"heading says {said}; the path says {key.date.isoformat()}")
                elif link.href != f"/{posixpath.dirname(path)}/{DAY_PAGE_NAME}":  # (as the site links it: no more)
                    # The day is the path's either way: a heading's link elsewhere is said, not followed.
                    linked = resolve_link(link.href, path)
                    if linked.kind != "day" or linked.date != key.date:
                        sink.report(block.line, "day-mismatch",
                                    f"heading links to {link.href[:80]!r}, not to this day's page "
                                    f"({posixpath.dirname(path)}/{DAY_PAGE_NAME})")
                section = None
                continue
            name = clean_text(block.plain).rstrip(":").strip().casefold()
            if name in SECTION_EXTRACTORS:
                if name in gathered:
                    sink.report(block.line, "duplicate-section", f"section {name!r} appears again")
                section = name
                gathered.setdefault(name, Items(name, block.line))
            else:
                sink.report(block.line, "unknown-section", f"section {name[:80]!r} ignored")
                section = "?"
        elif isinstance(block, Items):
            if section in gathered:
                gathered[section].items.extend(block.items)
            else:
                for item in block.items:
                    sink.report(item.line, "stray-content", "list item outside the Source and Related sections")
        else:
            text, line = block
            sink.report(line, "stray-content", f"text ignored: {clean_text(text)[:120]!r}")
    if headline is None:
        sink.report(0, "missing-headline", "no '# headline' on the page")
        return None
    if day_label is None:
        sink.report(1, "missing-day-heading", "no '### [date](day page)' heading")
    truncated = any(d.code == "page-truncated" for d in sink.diagnostics)
    for name in REQUIRED_SECTIONS if not truncated else ():
        aliases = [k for k in gathered if SECTION_EXTRACTORS[k] is SECTION_EXTRACTORS[name]]
        if not aliases:
            sink.report(0, "missing-section", f"no {name.title()} section")
    for name, items in gathered.items():
        for field_name, value in SECTION_EXTRACTORS[name](items, sink, commas).items():
            fields[field_name] = fields.get(field_name, ()) + value
    return EventPage(path, key, headline, headline_line, day_label, **fields)


def _day_page(blocks: Sequence[Block], path: str, date: dt.date, sink: Sink) -> DayPage:
    label: str | None = None
    entries: list[DayEntry] = []
    listed: dict[str, int] = {}  # link -> the line that listed it first
    for block in blocks:
        if isinstance(block, Heading):
            text = clean_text(block.plain)
            if label is None and block.level == 1:
                label = text
                if _date_from_label(text) != date:
                    sink.report(block.line, "day-mismatch",
                                f"heading says {text!r}, the path says {date.isoformat()}")
            else:
                # (a day's events grouped under headings, as the portal groups them, are still its events)
                sink.report(block.line, "unknown-section", f"heading {text[:80]!r} on a day page ignored; the "
                            "links listed under it are read as the day's events")
        elif isinstance(block, Items):
            for item in block.items:
                line = item.line
                link = item_link(item, sink, "day")
                if link is None:
                    continue
                headline = sink.text(link.text, line, MAX_HEADLINE, "day entry headline")
                href = link.href.strip()
                if href in listed:  # (kept, as before: the reduce counts one listing of an event per day page)
                    sink.report(line, "duplicate-item", f"{href[:200]!r} listed again (first on line {listed[href]})")
                listed.setdefault(href, line)
                entries.append(DayEntry(headline, href, len(entries) + 1, line))
        else:
            text, line = block
            sink.report(line, "stray-content", f"text ignored: {clean_text(text)[:120]!r}")
    if label is None:
        sink.report(1, "missing-day-heading", "no '# YYYY-MM-D' heading on the day page")
    return DayPage(path, date, label, tuple(entries))
