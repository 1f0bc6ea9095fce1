"""The block pass: a page's markdown-it block tokens grouped into blocks, at bounded cost.

A page is read into :data:`Block` values: headings, top-level lists of
:class:`Item`, and stray text.  Both readings make them, markdown-it's
(:func:`markdown_blocks`) and the canonical fast path
(:func:`~kg.parse.canonical.canonical_blocks`), so that one page assembly
serves both.  What was odd goes to the page's :class:`Sink`.  The parsing
limits bound the cost of any page, however built.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

from kg.diagnostics import Diagnostic, diagnostic
from kg.parse.inline import INLINE_TERMINATORS, Link, block_parser, first_link, inline_text, markdown_parser
from kg.parse.text import (
    HIDDEN_TAG,
    MAX_NAME,
    bound_name,
    bound_text,
    clean_name,
    clean_running_text,
    clean_text,
    is_blank,
    stray_controls,
)

__all__ = [
    "Item",
    "Items",
    "Heading",
    "Block",
    "Sink",
    "markdown_blocks",
    "bound_nesting",
    "inline_cost",
    "MAX_LINE_CHARS",
    "MAX_PARSED_CHARS",
    "MAX_PARSED_LINES",
    "PARSE_BUDGET",
    "MAX_SAME_PER_LINE",
    "MAX_SAME_PER_PAGE",
    "ALWAYS_LISTED",
]


# ---------------------------------------------------------------- limits
#
# Cost is bounded in three steps, so that no page, however built, takes long:
# lines are cut to MAX_LINE_CHARS, the page to MAX_PARSED_CHARS, and inline
# parsing (the costly part of markdown-it, linear but with a large factor on
# brackets and emphasis markers) spends from a per-page PARSE_BUDGET.  Only
# headings and list items are inline-parsed: stray text is reported as is.

#: Diagnostics of one code on one line listed, at most; the rest are counted in one more (a list of
#: 1,000 empty names is not 1,000 diagnostics).
MAX_SAME_PER_LINE = 10
#: Diagnostics of one code on one page listed, at most; the rest are counted in one more.  Ten a line
#: still let a page of 3,000 hostile Related lines give 54,000 (a 19 MB report): what a page costs the
#: report, and the build's memory, is now bounded as its parsing is, and each code keeps its examples.
MAX_SAME_PER_PAGE = 20
#: Codes listed however many a page has: each says that an item of the page was dropped (one an item, ten a
#: line at most, and a page's lines are bounded), and the accounting finds it on the item's line.
ALWAYS_LISTED = frozenset({
    "item-without-link", "stray-content", "nested-item", "long-line", "duplicate-item", "unsafe-url", "invalid-url",
    "empty-link-text", "long-text", "link-outside-corpus", "link-not-event", "link-to-day-page", "self-link",
    "extra-link", "missing-context", "long-context-list", "missing-headline", "page-truncated",
})
#: Longest line read; the rest of a longer line is cut (``long-line``).
MAX_LINE_CHARS = 20_000
#: Characters of a page given to the markdown parser (``page-truncated`` beyond).
MAX_PARSED_CHARS = 512_000
#: Lines of a page given to the markdown parser (a real page has about 30).
MAX_PARSED_LINES = 20_000
#: Inline-parsing cost units per page, see :func:`inline_cost`.
PARSE_BUDGET = 1_000_000


def inline_cost(content: str) -> int:
    """What inline-parsing ``content`` costs, in :data:`PARSE_BUDGET` units."""
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


# ---------------------------------------------------------------- blocks

@dataclass(frozen=True, slots=True)
class Item:
    """One list item, digested: its first link, or its text when it has none."""

    line: int
    link: Link | None
    markup: str = ""  # the item's text with markup, kept only when there is no link


def _item_of(line: int, children: Sequence[Token]) -> Item:
    link = first_link(children)
    return Item(line, link, "" if link is not None else inline_text(children, markup=True))


@dataclass(slots=True)
class Items:
    """List items of one section."""

    name: str
    line: int
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading, digested: its text with and without markup, and its first link."""

    level: int
    line: int
    markup: str
    plain: str
    link: Link | None


#: what a page is read into: headings, top-level lists, and stray text with its line
Block = Heading | Items | tuple[str, int]


def _heading_of(level: int, line: int, children: Sequence[Token]) -> Heading:
    return Heading(level, line, inline_text(children, markup=True),
                   inline_text(children, markup=False), first_link(children))


def _line_of(tok: Token, default: int = 0) -> int:
    return tok.map[0] + 1 if tok.map else default


# ---------------------------------------------------------------- page sink

@dataclass(slots=True)
class Sink:
    """Where one page's diagnostics go; texts and names are bounded here, the cut said."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    cut_lines: set[int] = field(default_factory=set)
    reported: dict[tuple[int, str], int] = field(default_factory=dict)  # (line, code) -> how many
    listed_of: dict[str, int] = field(default_factory=dict)  # code -> how many are listed
    unlisted: dict[str, tuple[int, int]] = field(default_factory=dict)  # code -> (how many, first line)

    def report(self, line: int, code: str, message: str) -> None:
        seen = self.reported.get((line, code), 0) + 1
        self.reported[line, code] = seen
        if seen > MAX_SAME_PER_LINE:
            return
        # (page-truncated is among those: the parse reads it back)
        if self.listed_of.get(code, 0) >= MAX_SAME_PER_PAGE and code not in ALWAYS_LISTED:
            _unlist(self.unlisted, code, line, 1)
        else:
            self.listed_of[code] = self.listed_of.get(code, 0) + 1
            self.diagnostics.append(diagnostic(self.path, line, code, message))

    def listed(self) -> tuple[Diagnostic, ...]:
        """The page's diagnostics: at most :data:`MAX_SAME_PER_PAGE` of a code, a line's past
        :data:`MAX_SAME_PER_LINE` counted in one more among them, and one for each code's past the page's."""
        listed_of, unlisted = dict(self.listed_of), dict(self.unlisted)
        more: list[Diagnostic] = []
        for (line, code), seen in self.reported.items():
            if seen <= MAX_SAME_PER_LINE:
                continue
            if listed_of.get(code, 0) < MAX_SAME_PER_PAGE or code in ALWAYS_LISTED:
                listed_of[code] = listed_of.get(code, 0) + 1
                more.append(diagnostic(self.path, line, code, f"{seen - MAX_SAME_PER_LINE:,} more of the line's "
                                                              f"{code} diagnostics not listed ({seen:,} in all)"))
            else:
                _unlist(unlisted, code, line, seen - MAX_SAME_PER_LINE)
        rest = [diagnostic(self.path, first, code, _rest_message(code, count)) for code, (count, first) in
                unlisted.items()]
        return (*self.diagnostics, *more, *rest)

    def cut_line(self, line: int, length: int) -> None:
        """Report a line cut to :data:`MAX_LINE_CHARS`, once per line."""
        if line not in self.cut_lines:
            self.cut_lines.add(line)
            self.report(line, "long-line", f"{length:,} characters cut to {MAX_LINE_CHARS:,}")

    def text(self, raw: str, line: int, limit: int, what: str) -> str:
        clean, hidden = clean_running_text(raw)
        text, cut = bound_text(clean, limit)
        self.controls(raw, line, what)
        if hidden and clean:
            why = "split its words or spell hidden text" if HIDDEN_TAG.search(raw) else "split its words"
            self.report(line, "invisible-text", f"{hidden} invisible character(s) that {why} removed from the {what}")
        if cut:  # (on a line cut before parsing too: the graph holds less than that cut says)
            self.report(line, "long-text", f"{what} cut to {limit:,} characters")
        if (hidden and not clean) or (text and not text.isascii() and is_blank(text)):
            self.report(line, "blank-text", f"the {what} is made only of invisible characters")
            return ""
        return text

    def controls(self, raw: str, line: int, what: str) -> None:
        """Say that control, bidi-override or noncharacter characters were dropped from a text (they reorder or hide
        it, or no output may hold them)."""
        stray = stray_controls(raw)
        if stray:
            self.report(line, "control-characters", f"{stray} control, bidi-override or noncharacter character(s) "
                                                    f"taken out of the {what}")

    def name(self, raw: str, line: int, what: str) -> str:
        """A name that keys a node: invisible characters dropped (said), cut with a hash of the whole."""
        text, hidden = clean_name(raw)
        self.controls(raw, line, what)
        if hidden and text:  # an empty name is reported by the caller, once
            self.report(line, "invisible-characters",
                        f"{hidden} invisible character(s) removed from the {what} {text[:200]!r}")
        text, cut = bound_name(text, MAX_NAME)
        if cut:
            self.report(line, "long-text", f"{what} cut to {MAX_NAME:,} characters (with a hash of the whole)")
        return text


def _unlist(into: dict[str, tuple[int, int]], code: str, line: int, n: int) -> None:
    count, first = into.get(code, (0, line))
    into[code] = count + n, min(first, line)


def _rest_message(code: str, count: int) -> str:
    return (f"{count:,} more of the page's {code} diagnostics not listed, from this line on "
            f"(a page lists {MAX_SAME_PER_PAGE} of a code)")


# ---------------------------------------------------------------- block walk

def _inline_children(content: str, line: int, sink: Sink, budget: _Budget) -> list[Token] | None:
    """Inline-parse ``content``; ``None`` once the page's budget is spent."""
    if len(content) > MAX_LINE_CHARS:  # a paragraph of many short lines
        sink.cut_line(line, len(content))
        content = content[:MAX_LINE_CHARS]
    # Every character inline_cost weighs is a terminator: plain text costs its length.
    plain = INLINE_TERMINATORS.search(content) is None
    budget.left -= 300 + len(content) if plain else inline_cost(content)
    if budget.left < 0:
        if not budget.exhausted:
            budget.exhausted = True
            # The page's end cut before parsing lies in what is not read now: the page is cut once.
            sink.diagnostics[:] = [d for d in sink.diagnostics if d.code != "page-truncated" or d.line < line]
            sink.report(line, "page-truncated",
                        "parsing budget spent; this line and the rest of the page were not read")
        return None
    md = markdown_parser()
    if plain and md.inline.terminator_re is INLINE_TERMINATORS:
        # No character that starts a token: the text rule takes it all, as one
        # text token (none for no text), and markdown-it's set-up is skipped.
        return [Token("text", "", 0, content=content)] if content else []
    return md.inline.parse(content, md, {}, [])


def _list_items(tokens: list[Token], i: int, sink: Sink, budget: _Budget) -> tuple[Items, int]:
    """Read the list opening at ``tokens[i]``; return it and the index after it."""
    tok = tokens[i]
    close = tok.type.replace("_open", "_close")
    items = Items("", _line_of(tok))
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
            else:  # each nested list item, however deep (one inside a nested one was lost unsaid)
                sink.report(_line_of(t), "nested-item", "nested list item ignored")
        elif kind == "list_item_close":
            if depth == 1 and pending:  # an item with no text at all
                items.items.append(Item(item_line, None))
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


def _blocks(tokens: list[Token], sink: Sink, budget: _Budget) -> list[Block]:
    """Group the block tokens into headings, top-level lists and stray text."""
    out: list[Block] = []
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


def _bound_page(text: str, sink: Sink) -> str:
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


# Lists nest on one line ("- - - x") or by indentation.  Past markdown-it's limit (20 levels: ten
# lists) its block parser skips the rest of the page, which was lost unsaid.  Every item past the first
# level is ignored (and said) however deep, so a line's list markers and their indentation are cut to
# what keeps any item within nine lists: an item's ancestors each take two columns at least, so
# twelve columns of indentation hold six (four of "1. " lists), and three markers of its line the rest.
_MAX_INDENT = 12
_MAX_MARKERS = 3
_MARKER = r"(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]+|$)"
# A line that may nest too deep: more markers than kept, or a marker after indentation (measured in Python).
_DEEP_LINE = re.compile(rf"^(?:[ \t]*(?:{_MARKER}){{{_MAX_MARKERS + 1}}}| {{{_MAX_INDENT + 1},}}{_MARKER}"
                        rf"|[ \t]*\t[ \t]*{_MARKER})", re.MULTILINE)
_LEADING_MARKERS = re.compile(rf"([ \t]*)((?:{_MARKER})+)")
_ONE_MARKER = re.compile(_MARKER)


def bound_nesting(text: str) -> tuple[str, list[int]]:
    r"""``text`` with each line's list markers and their indentation cut to a depth markdown-it reads whole.

    Returns the text (the same lines, in the same number) and the numbers of the lines cut.

    >>> bound_nesting("1. [A](http://a.org/)\n" + "- " * 12 + "[X](http://x.org/)\n")
    ('1. [A](http://a.org/)\n- - - [X](http://x.org/)\n', [2])
    >>> bound_nesting("1. [A](http://a.org/)\n   - b\n")
    ('1. [A](http://a.org/)\n   - b\n', [])
    """
    if _DEEP_LINE.search(text) is None:
        return text, []
    lines = text.split("\n")
    cut = []
    for number, line in enumerate(lines, start=1):
        m = _LEADING_MARKERS.match(line)
        if m is None:
            continue
        indent, markers = m.group(1), [x.group() for x in _ONE_MARKER.finditer(m.group(2))]
        width = len(indent.expandtabs(4))
        if width > _MAX_INDENT or len(markers) > _MAX_MARKERS:
            lines[number - 1] = " " * min(width, _MAX_INDENT) + "".join(markers[:_MAX_MARKERS]) + line[m.end():]
            cut.append(number)
    return "\n".join(lines), cut


def markdown_blocks(text: str, sink: Sink) -> list[Block]:
    """Read a page's blocks with markdown-it, within the parsing limits."""
    text = _bound_page(text, sink)
    text, cut = bound_nesting(text)
    for number in cut:
        sink.report(number, "nested-item", f"list markers past {_MAX_MARKERS} or indentation past {_MAX_INDENT} "
                                           "columns cut, so that the page is read whole; nested items ignored")
    return _blocks(block_parser().parse(text), sink, _Budget())
