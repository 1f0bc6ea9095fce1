"""The sections of an event page: each heading's list items read into records.

A section heading (``### Source:``, ``### Related:``) names an extractor in
:data:`SECTION_EXTRACTORS`, which turns the section's :class:`~kg.parse.blocks.Items`
into record fields (sources and images, related events with their contexts),
reporting each item it cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kg.parse.blocks import Item, Items, Sink
from kg.parse.commanames import NO_COMMA_NAMES, CommaNames, join_comma_names
from kg.parse.inline import Link
from kg.parse.records import ImageItem, RelatedItem, SourceItem
from kg.parse.text import MAX_HEADLINE, check_url, clean_text

__all__ = [
    "SECTION_EXTRACTORS",
    "REQUIRED_SECTIONS",
    "SectionExtractor",
    "IMAGE_LINK_TEXT",
    "split_contexts",
    "context_pieces",
    "drop_stray_markers",
    "item_link",
    "MAX_CONTEXT_NAMES",
]

#: A source link with this text (any case) is the page's image, not a publisher.
IMAGE_LINK_TEXT = "cover image"


def _extract_sources(section: Items, sink: Sink, commas: CommaNames) -> dict[str, tuple[Any, ...]]:
    sources: list[SourceItem] = []
    images: list[ImageItem] = []
    seen: set[tuple[str, str]] = set()
    for item in section.items:
        line = item.line
        link = item_link(item, sink, "source")
        if link is None:
            continue
        checked = check_url(link.href)
        if checked.url is None:
            sink.report(line, checked.error or "invalid-url",
                        f"source {link.text!r}: {checked.detail}")
            continue
        name = sink.name(link.text, line, "publisher name")
        if name.casefold() == IMAGE_LINK_TEXT:
            if ("image", checked.url) in seen:
                sink.report(line, "duplicate-item", f"image {checked.url} listed twice")
                continue
            seen.add(("image", checked.url))
            images.append(ImageItem(checked.url, line))
            continue
        if not name:
            sink.report(line, "empty-link-text", f"source {checked.url} has no publisher name")
            continue
        if (name, checked.url) in seen:
            sink.report(line, "duplicate-item", f"source {name!r} {checked.url} listed twice")
            continue
        seen.add((name, checked.url))
        sources.append(SourceItem(name, checked.url, line))
    return {"sources": tuple(sources), "images": tuple(images)}


# Emphasis markers that markdown did not pair (``_Context: A, B`` with no
# closing ``_``) are tolerated around the list.
_CONTEXT_PREFIX = re.compile(r"^[\s_*]*context\s*:\s*", re.IGNORECASE)


def drop_stray_markers(name: str) -> str:
    """``name`` less the emphasis markers and spaces at its ends.

    Markers there are markdown residue (``_Context: A, B`` never closed,
    ``**A, B**`` around a list); those inside a name are part of a title
    written raw (``M*A*S*H``), which no title begins or ends with.

    Examples
    --------
    >>> drop_stray_markers("Iran_ "), drop_stray_markers("**M*A*S*H"), drop_stray_markers("Star_Trek_")
    ('Iran', 'M*A*S*H', 'Star_Trek')
    """
    return name.strip("_* ")


#: Names read from one context list, at most (a real list holds a few dozen): each name read costs,
#: and a line of 20,000 commas would be 20,000 names, each a diagnostic.
MAX_CONTEXT_NAMES = 1_000


def split_contexts(text: str, commas: CommaNames = NO_COMMA_NAMES) -> tuple[list[str], list[tuple[str, str]]]:
    """Split a ``Context: A, B`` text into names; also return what was odd: ``(code, name)`` pairs.

    Names are split on ``", "`` as the format writes them: a name that
    contains a comma falls apart (FORMAT.md documents this), unless it is one
    of ``commas``, whose parts side by side are joined again
    (:func:`~kg.parse.commanames.join_comma_names`).  Past :data:`MAX_CONTEXT_NAMES`
    names the rest is not read: ``("long-context-list", how many there were)``.

    Examples
    --------
    >>> split_contexts("Context: Iran, United States")
    (['Iran', 'United States'], [])
    >>> split_contexts("Context: Iran, , Iran")
    (['Iran'], [('empty-context', ''), ('duplicate-context', 'Iran')])
    >>> split_contexts("_Context: Iran, Iraq")
    (['Iran', 'Iraq'], [])
    >>> split_contexts("Context: M*A*S*H, snake_case, Iran_")
    (['M*A*S*H', 'snake_case', 'Iran'], [])
    >>> split_contexts("Context: " + ", ".join(["Iran"] * 1500))[1][-1]
    ('long-context-list', '1500')
    >>> split_contexts("Context: Barah, Sudan, Sudan", CommaNames.of(["Barah, Sudan"]))
    (['Barah, Sudan', 'Sudan'], [])
    >>> len(split_contexts("Context: " + ", ".join(["Barah, Sudan"] * 900), CommaNames.of(["Barah, Sudan"]))[0])
    1
    """
    body = _CONTEXT_PREFIX.sub("", text, count=1)
    names: list[str] = []
    held: set[str] = set()  # (names, as a set: a list's membership is read once a name)
    problems: list[tuple[str, str]] = []
    # (room for the parts of MAX_CONTEXT_NAMES names with commas: the cap counts names, once joined)
    room = MAX_CONTEXT_NAMES * commas.parts
    parts = body.split(",", room)
    rest = parts.pop().count(",") + 1 if len(parts) > room else 0  # (pieces not split off: counted as names)
    pieces = context_pieces(parts, commas)
    if rest or len(pieces) > MAX_CONTEXT_NAMES:
        problems.append(("long-context-list", str(len(pieces) + rest)))
        del pieces[MAX_CONTEXT_NAMES:]
    for name in pieces:
        if not name:
            problems.append(("empty-context", ""))
        elif name in held:
            problems.append(("duplicate-context", name))
        else:
            names.append(name)
            held.add(name)
    problems.sort(key=lambda problem: problem[0] == "long-context-list")  # (said last, as before it came)
    return names, problems


def context_pieces(parts: list[str], commas: CommaNames) -> list[str]:
    """The names of a context list's ``parts`` (split at its commas): each cleaned, then joined where
    ``commas`` names them together."""
    pieces = [drop_stray_markers(clean_text(part)) for part in parts]
    return join_comma_names(pieces, commas) if commas.names else pieces


def _extract_related(section: Items, sink: Sink, commas: CommaNames) -> dict[str, tuple[Any, ...]]:
    related: list[RelatedItem] = []
    for rank, item in enumerate(section.items, start=1):
        line = item.line
        link = item_link(item, sink, "related")
        if link is None:
            continue
        headline = sink.text(link.text, line, MAX_HEADLINE, "related headline")
        contexts: list[str] = []
        kept_names: set[str] = set()
        if _CONTEXT_PREFIX.match(link.rest):
            sink.controls(link.rest, line, "context list")  # (split_contexts drops them from the names)
            names, problems = split_contexts(link.rest, commas)
            # The list as a diagnostic quotes it: made once a line, and only for a line that has one.
            where = _quoted(link.rest) if problems else ""
            capped = any(code == "long-context-list" for code, _ in problems)
            if line in sink.cut_lines and not link.after and not capped:  # (text after the list: cut after it)
                # The last piece is a part of a name, unless it is empty (cut after a comma) or another
                # piece's double (already dropped): then the names before it are whole.
                pieces = context_pieces(_CONTEXT_PREFIX.sub("", link.rest, count=1).split(","), commas)
                part = pieces[-1] if pieces[-1] and pieces.count(pieces[-1]) == 1 else None
                if part is not None and names and names[-1] == part:
                    names.pop()
                sink.report(line, "cut-context", "the line was cut inside its context list: " + (
                    f"its last name {part[:200]!r} was dropped, and any after it lost" if part is not None
                    else "the names after it are lost"))
            for name in names:
                kept = sink.name(name, line, "context name")
                if not kept:
                    where = where or _quoted(link.rest)
                    sink.report(line, "empty-context", f"a context name made only of invisible characters {where}")
                elif kept not in kept_names:
                    contexts.append(kept)
                    kept_names.add(kept)
            for problem, name in problems:
                sink.report(line, problem, _problem_message(problem, name, where))
            if link.after:
                sink.report(line, "text-after-context", f"{clean_text(link.after)[:200]!r} after the context list "
                                                        "was not read as part of its last name")
        else:
            sink.report(line, "missing-context", "related item without '_Context: ..._'")
        related.append(RelatedItem(headline, link.href.strip(), tuple(contexts), rank, line))
    return {"related": tuple(related)}


def _quoted(rest: str) -> str:
    return f"in {clean_text(rest)[:200]!r}"


def _problem_message(problem: str, name: str, where: str) -> str:
    """The message of a problem that :func:`split_contexts` found in the list quoted by ``where``."""
    if problem == "duplicate-context":
        # The same name twice in one sorted list is rarely a duplicate: most often a name
        # with a comma ("Punjab, Pakistan") fell apart, its part like another name.
        return (f"{name[:200]!r} twice {where}: most likely a part of a name with a comma, which the line cannot "
                "tell apart; counted once")
    if problem == "long-context-list":
        return f"{int(name):,} names {where}: those after the first {MAX_CONTEXT_NAMES:,} were not read"
    return where


#: An extractor: a section's items, the page's sink of diagnostics and the names with a comma -> record fields.
SectionExtractor = Callable[[Items, Sink, CommaNames], dict[str, tuple[Any, ...]]]

#: Section heading (lower-case, colon dropped) -> extractor of its list items.
SECTION_EXTRACTORS: dict[str, SectionExtractor] = {
    "source": _extract_sources,
    "sources": _extract_sources,
    "related": _extract_related,
}

#: Sections every event page should have (a heading registered above): missing, a page is reported.
REQUIRED_SECTIONS: tuple[str, ...] = ("source", "related")


def item_link(item: Item, sink: Sink, what: str) -> Link | None:
    """The item's first link; ``None`` when it has none, and links after it reported."""
    link, line = item.link, item.line
    if link is None:
        # A line cut to its limit may have lost the end of a link that it held: said so, not "without".
        cut = " (the line was cut: a link may have been lost with it)" if line in sink.cut_lines else ""
        sink.report(line, "item-without-link",
                    f"{what} item without a whole link{cut}: {clean_text(item.markup)[:200]!r}" if cut else
                    f"{what} item without a link: {clean_text(item.markup)[:200]!r}")
        return None
    if link.extra_links:
        sink.report(line, "extra-link",
                    f"{what} item has {link.extra_links} more link(s) after the first; only the first was read")
    return link
