"""The canonical fast path: a page in the site's own form read without markdown-it.

Almost every page is written by the site's tools in one canonical form:
headings, numbered items holding one link (and a ``_Context: ..._``), blank
lines.  For such a page, with no character that any enabled markdown rule
reacts to in its texts, markdown-it's blocks are known in advance, and
making them here is several times cheaper.  Anything else, however
slightly off, goes to markdown-it: this path only ever says "not mine".
"""

from __future__ import annotations

import re

from kg.parse.blocks import MAX_LINE_CHARS, PARSE_BUDGET, Block, Heading, Item, Items, inline_cost
from kg.parse.inline import Link

__all__ = ["canonical_blocks"]

# Characters a text may not hold: those of the link, emphasis, entity and
# escape rules, a few more for safety, control characters, and whitespace
# other than the plain space (markdown-it and str.strip see it differently).
_UNSAFE = re.compile(r"[\[\]\\&*_`<>#\x00-\x1f\x7f]|[^\S ]").search
# A link destination: no whitespace, brackets, quotes or escapes; an "&" only
# when no ";" could close an entity.
_DEST = r"[^\s()<>\[\]\\\"'\x00-\x1f\x7f]+"
_LINK = re.compile(r"\[([^\]]*)\]\((" + _DEST + r")\)(.*)", re.DOTALL).fullmatch
_HEADING = re.compile(r"(#{1,6}) +(.*)", re.DOTALL).fullmatch
_ITEM = re.compile(r"([0-9]{1,9})\. (.*)", re.DOTALL).fullmatch


def _canonical_link(content: str) -> Link | None:
    """``[text](url)`` and a plain or ``_emphasised_`` tail, if plainly so."""
    m = _LINK(content)
    if m is None:
        return None
    text, href, rest = m.groups()
    if _UNSAFE(text) or ("&" in href and ";" in href):
        return None
    if rest.startswith(" _") and rest.endswith("_") and len(rest) > 3:
        body = rest[2:-1]  # emphasis: markers dropped, the space before kept
        if body[0] == " " or body[-1] == " " or _UNSAFE(body):
            return None
        return Link(text, href, " " + body, 0)
    if _UNSAFE(rest):
        return None
    return Link(text, href, rest, 0)


def canonical_blocks(text: str) -> list[Block] | None:
    """The blocks of a page in the canonical form, or ``None`` for markdown-it.

    Only small pages qualify, so that none of the parsing limits (line and
    page length, inline budget) can come into play.
    """
    if len(text) > MAX_LINE_CHARS or "\r" in text or "\x00" in text:
        return None
    out: list[Block] = []
    items: Items | None = None  # the list being read; blank lines do not end it
    cost = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip(" \t"):
            continue
        if line[0] == "#":
            m = _HEADING(line)
            if m is None:
                return None
            content = m.group(2).strip(" ")
            if not content:
                return None
            if content[0] == "[":
                link = _canonical_link(content)
                if link is None or link.rest:
                    return None
                out.append(Heading(len(m.group(1)), number, content, link.text, link))
            elif _UNSAFE(content):
                return None
            else:
                out.append(Heading(len(m.group(1)), number, content, content, None))
            items = None
        else:
            m = _ITEM(line)
            if m is None:
                return None
            content = m.group(2).rstrip(" ")
            link = _canonical_link(content) if content[:1] == "[" else None
            if link is None:
                return None
            if items is None:
                items = Items("", number)
                out.append(items)
            items.items.append(Item(number, link))
        cost += inline_cost(content)
    # Within the budget the markdown-it route never truncates either.
    return out if cost <= PARSE_BUDGET else None
