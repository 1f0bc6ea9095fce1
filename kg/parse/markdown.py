"""Parse one page's markdown into typed records, never raising on bad markdown.

markdown-it-py turns the text into block tokens that carry their source lines;
this module walks them.  Headings switch the current section, and each section
name maps to an extractor in :data:`SECTION_EXTRACTORS`.  Everything a page
says either lands in an :class:`~kg.parse.records.EventPage` /
:class:`~kg.parse.records.DayPage` or in a :class:`~kg.diagnostics.Diagnostic`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt, helpers
from markdown_it.common.utils import unescapeAll
from markdown_it.token import Token

if TYPE_CHECKING:  # pragma: no cover
    from markdown_it.helpers.parse_link_destination import _Result as _StockDestination

from kg.diagnostics import Diagnostic, diagnostic
from kg.parse.records import (
    DayEntry,
    DayPage,
    EventPage,
    ImageItem,
    PageKey,
    ParsedPage,
    RelatedItem,
    SourceItem,
)
from kg.parse.text import MAX_HEADLINE, MAX_NAME, bound_name, bound_text, check_url, clean_name, clean_text, is_blank
from kg.read.paths import parse_page_path

__all__ = [
    "parse_page",
    "markdown_parser",
    "SECTION_EXTRACTORS",
    "IMAGE_LINK_TEXT",
    "split_contexts",
]

IMAGE_LINK_TEXT = "cover image"

# Only the rules the format needs: fewer rules is faster, and it keeps
# indented lines, fences and raw HTML as plain text instead of swallowing them.
_BLOCK_RULES = ["heading", "list"]
_INLINE_RULES = ["link", "emphasis", "entity", "escape", "newline"]


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """Return this process's markdown-it parser, configured for the format.

    Link validation is switched off on purpose: a ``javascript:`` link must
    reach us as a link so that it can be reported, not silently become text.
    Our own :func:`~kg.parse.text.check_url` decides what is kept.
    """
    md = MarkdownIt("zero").enable(_BLOCK_RULES + _INLINE_RULES)
    # markdown-it's documented hooks: replacing these methods is how a parser opts out
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # we check URLs ourselves
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]  # and keep them as written
    _tune_inline(md)
    return md


# ---------------------------------------------------------------- inline speed
#
# Changes of this parser's own inline stage, each giving the very tokens of
# the stock one (checked against it on random and hostile strings), sooner;
# :func:`_inline_children` also skips the parser for text with no terminator.
#
# - The text rule skips to the next character that might start a token.  The
#   stock set holds characters for rules this parser has not enabled (``:``,
#   ``-``, ``!`` ...); stopping there only moves one character to the pending
#   text, so dropping them changes nothing but the time.  ``]`` stays: the
#   link-label scan must land on it.
# - A link destination is scanned with a regex where the stock helper steps
#   through it a character at a time (the slowest part of a Related line).

#: Inline rules the terminator set below was derived from.
_TUNED_INLINE = frozenset({"text", "newline", "escape", "emphasis", "link", "entity"})
_TERMINATORS = re.compile(r"[\n\\*_\[\]&]")
# A plain destination: no space or control, and no escape or "(" (those go
# to the stock scan, which balances parentheses); it ends at ")", a space,
# a control character or the end of the range, as in the stock scan.
_PLAIN_DESTINATION = re.compile(r"[^\x00-\x20\x7f\\()]*").match


class _Destination:
    """What ``parseLinkDestination`` returns: whether, where it ends, the href."""

    __slots__ = ("ok", "pos", "str")

    def __init__(self, ok: bool = False, pos: int = 0, text: str = "") -> None:
        self.ok, self.pos, self.str = ok, pos, text


def _link_destination(string: str, pos: int, maximum: int) -> _Destination | _StockDestination:
    """``parseLinkDestination`` with the common case in one regex call."""
    plain = _PLAIN_DESTINATION(string, pos, maximum) if pos < maximum and string[pos] != "<" else None
    if plain is not None:  # ``*`` matches the empty string, so only a "<" start is left to the stock scan
        end = plain.end()
        if end == maximum or string[end] not in "\\(":
            if end == pos:
                return _Destination()
            return _Destination(True, end, unescapeAll(string[pos:end]))
    return helpers.parseLinkDestination(string, pos, maximum)


def _tune_inline(md: MarkdownIt) -> None:
    r"""Make ``md``'s inline stage faster; its tokens stay those of the stock one.

    Examples
    --------
    >>> stock = MarkdownIt("zero").enable(_BLOCK_RULES + _INLINE_RULES)
    >>> stock.validateLink = lambda url: True
    >>> stock.normalizeLink = lambda url: url
    >>> def tokens(md, src):
    ...     return [t.as_dict() for t in md.inline.parse(src, md, {}, [])]
    >>> hard = ["[a b](/news/x.md) _Context: A, B_", "[a](b(c)d) e", "[a](<b c>)", "[a](b\\ c)",
    ...         "x: y - z! #1 ~w~ `v`", "&amp; [a\\]](u&#35;) **b** [c](d \"t\")", "[a]( b\n)",
    ...         "[[a](b)](c)", "[a](b\x7fc)", "[a](\u00a0b)", "a\\\nb  \nc", "[a]()", "[a](b"]
    >>> all(tokens(markdown_parser(), s) == tokens(stock, s) for s in hard)
    True

    Text with no character that starts a token is one text token, as
    :func:`_inline_children` makes it without the parser:

    >>> tokens(stock, "Related: a-b! c") == [Token("text", "", 0, content="Related: a-b! c").as_dict()]
    True
    """
    if set(md.inline.ruler.get_active_rules()) != _TUNED_INLINE:
        return  # rules changed: the terminator set would have to be derived again
    md.inline.terminator_re = _TERMINATORS
    # ``md.helpers`` is the shared module: this parser gets its own copy.
    md.helpers = SimpleNamespace(  # type: ignore[assignment]  # markdown-it only reads these three names
        parseLinkLabel=helpers.parseLinkLabel, parseLinkDestination=_link_destination,
        parseLinkTitle=helpers.parseLinkTitle)


# ---------------------------------------------------------------- inline text

def _inline_text(children: Sequence[Token], *, markup: bool) -> str:
    """Text of inline tokens; with ``markup``, emphasis markers are kept.

    Headlines are written raw by the site's tools, so ``*`` in a headline is
    part of it: keeping the markup reproduces what was written.
    """
    if len(children) == 1 and children[0].type == "text":
        return children[0].content  # most link texts and tails
    out: list[str] = []
    hrefs: list[str] = []
    for tok in children:
        if tok.type in ("text", "text_special"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif markup and tok.type in ("em_open", "em_close", "strong_open", "strong_close"):
            out.append(tok.markup)
        elif tok.type == "link_open":
            hrefs.append(str(tok.attrs.get("href", "")))
            out.append("[" if markup else "")
        elif tok.type == "link_close":
            href = hrefs.pop() if hrefs else ""
            out.append(f"]({href})" if markup else "")
    return "".join(out)


@dataclass(frozen=True, slots=True)
class _Link:
    text: str
    href: str
    rest: str  # plain text after the link
    extra_links: int


def _first_link(children: Sequence[Token]) -> _Link | None:
    types = [t.type for t in children]
    if "link_open" not in types:
        return None
    start = types.index("link_open")
    depth, end = 0, len(children)
    for i in range(start, len(types)):
        if types[i] == "link_open":
            depth += 1
        elif types[i] == "link_close":
            depth -= 1
            if depth == 0:
                end = i
                break
    href = str(children[start].attrs.get("href", ""))
    text = _inline_text(children[start + 1:end], markup=True)
    extra = types[end + 1:].count("link_open")
    return _Link(text, href, _inline_text(children[end + 1:], markup=False), extra)


# ---------------------------------------------------------------- page state

@dataclass(frozen=True, slots=True)
class _Item:
    """One list item, digested: its first link, or its text when it has none."""

    line: int
    link: _Link | None
    markup: str = ""  # the item's text with markup, kept only when there is no link


def _item_of(line: int, children: Sequence[Token]) -> _Item:
    link = _first_link(children)
    return _Item(line, link, "" if link is not None else _inline_text(children, markup=True))


@dataclass(slots=True)
class _Items:
    """List items of one section."""

    name: str
    line: int
    items: list[_Item] = field(default_factory=list)


@dataclass(slots=True)
class _Sink:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    cut_lines: set[int] = field(default_factory=set)

    def report(self, line: int, code: str, message: str) -> None:
        self.diagnostics.append(diagnostic(self.path, line, code, message))

    def cut_line(self, line: int, length: int) -> None:
        """Report a line cut to :data:`MAX_LINE_CHARS`, once per line."""
        if line not in self.cut_lines:
            self.cut_lines.add(line)
            self.report(line, "long-line", f"{length:,} characters cut to {MAX_LINE_CHARS:,}")

    def text(self, raw: str, line: int, limit: int, what: str) -> str:
        text, cut = bound_text(clean_text(raw), limit)
        if cut and line not in self.cut_lines:  # a cut line is one problem, said once
            self.report(line, "long-text", f"{what} cut to {limit} characters")
        if text and not text.isascii() and is_blank(text):
            self.report(line, "blank-text", f"the {what} is made only of invisible characters")
            return ""
        return text

    def name(self, raw: str, line: int, what: str) -> str:
        """A name that keys a node: invisible characters dropped (said), cut with a hash of the whole."""
        text, hidden = clean_name(raw)
        if hidden and text:  # an empty name is reported by the caller, once
            self.report(line, "invisible-characters",
                        f"{hidden} invisible character(s) removed from the {what} {text[:200]!r}")
        text, cut = bound_name(text, MAX_NAME)
        if cut and line not in self.cut_lines:
            self.report(line, "long-text", f"{what} cut to {MAX_NAME} characters (with a hash of the whole)")
        return text


# ---------------------------------------------------------------- sections

def _extract_sources(section: _Items, sink: _Sink) -> dict[str, tuple[Any, ...]]:
    sources: list[SourceItem] = []
    images: list[ImageItem] = []
    seen: set[tuple[str, str]] = set()
    for item in section.items:
        line = item.line
        link = _item_link(item, sink, "source")
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


def split_contexts(text: str) -> tuple[list[str], list[str]]:
    """Split a ``Context: A, B`` text into names; also return what was odd.

    Names are split on ``", "`` as the format writes them (names that contain
    a comma fall apart; FORMAT.md documents this).

    Examples
    --------
    >>> split_contexts("Context: Iran, United States")
    (['Iran', 'United States'], [])
    >>> split_contexts("Context: Iran, , Iran")
    (['Iran'], ['empty-context', 'duplicate-context'])
    >>> split_contexts("_Context: Iran, Iraq")
    (['Iran', 'Iraq'], [])
    """
    body = _CONTEXT_PREFIX.sub("", text, count=1).rstrip().rstrip("_*")
    names: list[str] = []
    problems: list[str] = []
    for part in body.split(","):
        # Unpaired emphasis markers are markdown residue, not part of a name.
        name = clean_text(part).strip("_* ")
        if not name:
            problems.append("empty-context")
        elif name in names:
            problems.append("duplicate-context")
        else:
            names.append(name)
    return names, problems


def _extract_related(section: _Items, sink: _Sink) -> dict[str, tuple[Any, ...]]:
    related: list[RelatedItem] = []
    for rank, item in enumerate(section.items, start=1):
        line = item.line
        link = _item_link(item, sink, "related")
        if link is None:
            continue
        headline = sink.text(link.text, line, MAX_HEADLINE, "related headline")
        contexts: list[str] = []
        if _CONTEXT_PREFIX.match(link.rest):
            names, problems = split_contexts(link.rest)
            for name in names:
                kept = sink.name(name, line, "context name")
                if not kept:
                    sink.report(line, "empty-context", f"a context name made only of invisible "
                                                       f"characters in {clean_text(link.rest)[:200]!r}")
                elif kept not in contexts:
                    contexts.append(kept)
            for problem in problems:
                sink.report(line, problem, f"in {clean_text(link.rest)[:200]!r}")
        else:
            sink.report(line, "missing-context", "related item without '_Context: ..._'")
        related.append(RelatedItem(headline, link.href.strip(), tuple(contexts), rank, line))
    return {"related": tuple(related)}


SectionExtractor = Callable[[_Items, _Sink], dict[str, tuple[Any, ...]]]

#: Section heading (lower-case, colon dropped) -> extractor of its list items.
SECTION_EXTRACTORS: dict[str, SectionExtractor] = {
    "source": _extract_sources,
    "sources": _extract_sources,
    "related": _extract_related,
}


def _item_link(item: _Item, sink: _Sink, what: str) -> _Link | None:
    link, line = item.link, item.line
    if link is None:
        sink.report(line, "item-without-link",
                    f"{what} item without a link: {clean_text(item.markup)[:200]!r}")
        return None
    if link.extra_links:
        sink.report(line, "extra-link",
                    f"{what} item has {link.extra_links} more link(s) after the first; only the first was read")
    return link


# ---------------------------------------------------------------- block walk
#
# Cost is bounded in three steps, so that no page, however built, takes long:
# lines are cut to MAX_LINE_CHARS, the page to MAX_PARSED_CHARS, and inline
# parsing (the costly part of markdown-it, linear but with a large factor on
# brackets and emphasis markers) spends from a per-page PARSE_BUDGET.  Only
# headings and list items are inline-parsed: stray text is reported as is.

#: Longest line read; the rest of a longer line is cut (``long-line``).
MAX_LINE_CHARS = 20_000
#: Characters of a page given to the markdown parser (``page-truncated`` beyond).
MAX_PARSED_CHARS = 512_000
#: Lines of a page given to the markdown parser (a real page has about 30).
MAX_PARSED_LINES = 20_000
#: Inline-parsing cost units per page, see :func:`_inline_cost`.
PARSE_BUDGET = 1_000_000


@lru_cache(maxsize=1)
def _block_parser() -> MarkdownIt:
    """The parser of :func:`markdown_parser` without its inline stage."""
    md = MarkdownIt("zero").enable(_BLOCK_RULES + _INLINE_RULES)
    # markdown-it's documented hooks: replacing these methods is how a parser opts out
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # we check URLs ourselves
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]  # and keep them as written
    md.disable("inline")
    return md


def _inline_cost(content: str) -> int:
    # Weights measured with benchmarks/hostile_bench.py: a '[' costs markdown-it
    # about 30 times a letter, an emphasis marker about 10 times, and each call
    # has a fixed cost of about 300 letters.
    return (300 + len(content) + 30 * content.count("[")
            + 10 * (content.count("*") + content.count("_"))
            + 5 * (content.count("&") + content.count("\\")))


@dataclass(slots=True)
class _Budget:
    left: int = PARSE_BUDGET
    exhausted: bool = False


@dataclass(frozen=True, slots=True)
class _Heading:
    """A heading, digested: its text with and without markup, and its first link."""

    level: int
    line: int
    markup: str
    plain: str
    link: _Link | None


#: what a page is read into: headings, top-level lists, and stray text with its line
_Block = _Heading | _Items | tuple[str, int]


def _heading_of(level: int, line: int, children: Sequence[Token]) -> _Heading:
    return _Heading(level, line, _inline_text(children, markup=True),
                    _inline_text(children, markup=False), _first_link(children))


def _line_of(tok: Token, default: int = 0) -> int:
    return tok.map[0] + 1 if tok.map else default


def _inline_children(content: str, line: int, sink: _Sink, budget: _Budget) -> list[Token] | None:
    """Inline-parse ``content``; ``None`` once the page's budget is spent."""
    if len(content) > MAX_LINE_CHARS:  # a paragraph of many short lines
        sink.cut_line(line, len(content))
        content = content[:MAX_LINE_CHARS]
    # Every character _inline_cost weighs is a terminator: plain text costs its length.
    plain = _TERMINATORS.search(content) is None
    budget.left -= 300 + len(content) if plain else _inline_cost(content)
    if budget.left < 0:
        if not budget.exhausted:
            budget.exhausted = True
            sink.report(line, "page-truncated",
                        "parsing budget spent; this line and the rest of the page were not read")
        return None
    md = markdown_parser()
    if plain and md.inline.terminator_re is _TERMINATORS:
        # No character that starts a token: the text rule takes it all, as one
        # text token (none for no text), and markdown-it's set-up is skipped.
        return [Token("text", "", 0, content=content)] if content else []
    return md.inline.parse(content, md, {}, [])


def _list_items(tokens: list[Token], i: int, sink: _Sink, budget: _Budget) -> tuple[_Items, int]:
    """Read the list opening at ``tokens[i]``; return it and the index after it."""
    tok = tokens[i]
    close = tok.type.replace("_open", "_close")
    items = _Items("", _line_of(tok))
    depth, pending, item_line = 0, False, 0
    j, n, level = i + 1, len(tokens), tok.level
    while j < n:
        t = tokens[j]
        kind = t.type
        if kind == close and t.level == level:
            break
        j += 1
        if budget.exhausted:
            continue
        if kind == "list_item_open":
            depth += 1
            if depth == 1:
                pending, item_line = True, _line_of(t, items.line)
            elif depth == 2:  # report the nested list item, not what it holds
                sink.report(_line_of(t), "nested-item", "nested list item ignored")
        elif kind == "list_item_close":
            if depth == 1 and pending:  # an item with no text at all
                items.items.append(_Item(item_line, None))
                pending = False
            depth -= 1
        elif kind == "inline" and depth == 1:
            if pending:
                children = _inline_children(t.content, item_line, sink, budget)
                if children is not None:
                    items.items.append(_item_of(item_line, children))
                pending = False
            elif t.content.strip():
                sink.report(_line_of(t, item_line), "stray-content",
                            f"second paragraph of a list item ignored: {clean_text(t.content)[:120]!r}")
    return items, j + 1


def _blocks(tokens: list[Token], sink: _Sink, budget: _Budget) -> list[_Block]:
    """Group the block tokens into headings, top-level lists and stray text."""
    out: list[_Block] = []
    i, n = 0, len(tokens)
    while i < n and not budget.exhausted:
        tok = tokens[i]
        line = _line_of(tok)
        if tok.type == "heading_open":
            children = _inline_children(tokens[i + 1].content, line, sink, budget)
            if children is not None:
                out.append(_heading_of(int(tok.tag[1:]), line, children))
            i += 3
        elif tok.type in ("ordered_list_open", "bullet_list_open"):
            items, i = _list_items(tokens, i, sink, budget)
            out.append(items)
        elif tok.type == "inline" and tok.content.strip():
            budget.left -= 100
            out.append((tok.content, line))
            i += 1
        else:
            i += 1
    return out


def _nth_newline(text: str, n: int) -> int:
    """Offset just after the ``n``-th newline of ``text``."""
    pos = -1
    for _ in range(n):
        pos = text.index("\n", pos + 1)
    return pos + 1


def _bound_page(text: str, sink: _Sink) -> str:
    """Cut over-long lines, then the page, to the parsing limits."""
    lines = text.split("\n") if len(text) > MAX_LINE_CHARS else []
    if lines and max(map(len, lines)) > MAX_LINE_CHARS:
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_LINE_CHARS:
                sink.cut_line(number, len(line))
                lines[number - 1] = line[:MAX_LINE_CHARS]
        text = "\n".join(lines)
    limit = MAX_PARSED_CHARS
    if text.count("\n", 0, limit) > MAX_PARSED_LINES:
        limit = _nth_newline(text, MAX_PARSED_LINES)
    if len(text) > limit:
        end = text.rfind("\n", 0, limit) + 1
        sink.report(text.count("\n", 0, end) + 1, "page-truncated",
                    f"page longer than {MAX_PARSED_CHARS:,} characters or {MAX_PARSED_LINES:,} lines; "
                    "this line and the rest were not read")
        text = text[:end]
    return text


# ---------------------------------------------------------------- fast path
#
# Almost every page is written by the site's tools in one canonical form:
# headings, numbered items holding one link (and a ``_Context: ..._``), blank
# lines.  For such a page, with no character that any enabled markdown rule
# reacts to in its texts, markdown-it's blocks are known in advance, and
# making them here is several times cheaper.  Anything else, however
# slightly off, goes to markdown-it: this path only ever says "not mine".

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


def _canonical_link(content: str) -> _Link | None:
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
        return _Link(text, href, " " + body, 0)
    if _UNSAFE(rest):
        return None
    return _Link(text, href, rest, 0)


def _canonical_blocks(text: str) -> list[_Block] | None:
    """The blocks of a page in the canonical form, or ``None`` for markdown-it.

    Only small pages qualify, so that none of the parsing limits (line and
    page length, inline budget) can come into play.
    """
    if len(text) > MAX_LINE_CHARS or "\r" in text or "\x00" in text:
        return None
    out: list[_Block] = []
    items: _Items | None = None  # the list being read; blank lines do not end it
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
                out.append(_Heading(len(m.group(1)), number, content, link.text, link))
            elif _UNSAFE(content):
                return None
            else:
                out.append(_Heading(len(m.group(1)), number, content, content, None))
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
                items = _Items("", number)
                out.append(items)
            items.items.append(_Item(number, link))
        cost += _inline_cost(content)
    # Within the budget the markdown-it route never truncates either.
    return out if cost <= PARSE_BUDGET else None


def _date_from_label(label: str) -> dt.date | None:
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", label)
    if not m:
        return None
    try:
        return dt.date(*map(int, m.groups()))
    except ValueError:
        return None


def parse_page(text: str, path: str, *, fast: bool = False) -> ParsedPage:
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
        :func:`_canonical_blocks`); the records are the same either way.
        Off by default: markdown-it's tokens are the reference reading.

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
    sink = _Sink(path)
    where = parse_page_path(path)
    if where.error:
        sink.report(0, where.error, where.detail)
        return ParsedPage(path, None, tuple(sink.diagnostics))
    blocks = _canonical_blocks(text) if fast else None
    if blocks is None:
        text = _bound_page(text, sink)
        blocks = _blocks(_block_parser().parse(text), sink, _Budget())
    page: EventPage | DayPage | None
    if where.kind == "day" and where.date is not None:
        page = _day_page(blocks, path, where.date, sink)
    elif where.kind == "event" and where.key is not None:
        page = _event_page(blocks, path, where.key, sink)
    else:  # parse_page_path gives every path without an error its kind and key or date
        raise AssertionError(f"{path}: {where} has no error, yet no key or date")
    return ParsedPage(path, page, tuple(sink.diagnostics))


def _event_page(blocks: Sequence[_Block], path: str, key: PageKey, sink: _Sink) -> EventPage | None:
    headline: str | None = None
    headline_line = 0
    day_label: str | None = None
    section: str | None = None
    gathered: dict[str, _Items] = {}
    fields: dict[str, tuple[Any, ...]] = {}
    for block in blocks:
        if isinstance(block, _Heading):
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
                section = None
                continue
            name = clean_text(block.plain).rstrip(":").strip().casefold()
            if name in SECTION_EXTRACTORS:
                if name in gathered:
                    sink.report(block.line, "duplicate-section", f"section {name!r} appears again")
                section = name
                gathered.setdefault(name, _Items(name, block.line))
            else:
                sink.report(block.line, "unknown-section", f"section {name[:80]!r} ignored")
                section = "?"
        elif isinstance(block, _Items):
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
    for name in ("source", "related") if not truncated else ():
        aliases = [k for k in gathered if SECTION_EXTRACTORS[k] is SECTION_EXTRACTORS[name]]
        if not aliases:
            sink.report(0, "missing-section", f"no {name.title()} section")
    for name, items in gathered.items():
        for field_name, value in SECTION_EXTRACTORS[name](items, sink).items():
            fields[field_name] = fields.get(field_name, ()) + value
    return EventPage(path, key, headline, headline_line, day_label, **fields)


def _day_page(blocks: Sequence[_Block], path: str, date: dt.date, sink: _Sink) -> DayPage:
    label: str | None = None
    entries: list[DayEntry] = []
    for block in blocks:
        if isinstance(block, _Heading):
            text = clean_text(block.plain)
            if label is None and block.level == 1:
                label = text
                if _date_from_label(text) != date:
                    sink.report(block.line, "day-mismatch",
                                f"heading says {text!r}, the path says {date.isoformat()}")
            else:
                sink.report(block.line, "unknown-section", f"heading {text[:80]!r} on a day page")
        elif isinstance(block, _Items):
            for item in block.items:
                line = item.line
                link = _item_link(item, sink, "day")
                if link is None:
                    continue
                headline = sink.text(link.text, line, MAX_HEADLINE, "day entry headline")
                entries.append(DayEntry(headline, link.href.strip(), len(entries) + 1, line))
        else:
            text, line = block
            sink.report(line, "stray-content", f"text ignored: {clean_text(text)[:120]!r}")
    if label is None:
        sink.report(1, "missing-day-heading", "no '# YYYY-MM-D' heading on the day page")
    return DayPage(path, date, label, tuple(entries))
