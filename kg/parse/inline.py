"""markdown-it set up for the page format, and inline tokens read back as links.

One place configures the parsers so that the block pass and the inline parse
read a page the same way: :func:`markdown_parser` (with an inline stage tuned
for speed, giving the stock tokens) and :func:`block_parser`, its twin without
an inline stage.  :func:`first_link` and :func:`inline_text` turn a line's
inline tokens into what a list item or heading says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt, helpers
from markdown_it.common.utils import unescapeAll
from markdown_it.token import Token

if TYPE_CHECKING:  # pragma: no cover
    from markdown_it.helpers.parse_link_destination import _Result as _StockDestination

__all__ = [
    "markdown_parser",
    "block_parser",
    "INLINE_TERMINATORS",
    "Link",
    "first_link",
    "inline_text",
    "tail_text",
]

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


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    """The parser of :func:`markdown_parser` without its inline stage."""
    md = MarkdownIt("zero").enable(_BLOCK_RULES + _INLINE_RULES)
    # markdown-it's documented hooks: replacing these methods is how a parser opts out
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # we check URLs ourselves
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]  # and keep them as written
    md.disable("inline")
    return md


# ---------------------------------------------------------------- inline speed
#
# Changes of this parser's own inline stage, each giving the very tokens of
# the stock one (checked against it on random and hostile strings), sooner;
# the block pass (:mod:`kg.parse.blocks`) also skips the parser for text with
# no terminator.
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
#: Characters that may start an inline token: the tuned text rule stops only at these.
INLINE_TERMINATORS = re.compile(r"[\n\\*_\[\]&]")
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
    the block pass (:mod:`kg.parse.blocks`) makes it without the parser:

    >>> tokens(stock, "Related: a-b! c") == [Token("text", "", 0, content="Related: a-b! c").as_dict()]
    True
    """
    if set(md.inline.ruler.get_active_rules()) != _TUNED_INLINE:
        return  # rules changed: the terminator set would have to be derived again
    md.inline.terminator_re = INLINE_TERMINATORS
    # ``md.helpers`` is the shared module: this parser gets its own copy.
    md.helpers = SimpleNamespace(  # type: ignore[assignment]  # markdown-it only reads these three names
        parseLinkLabel=helpers.parseLinkLabel, parseLinkDestination=_link_destination,
        parseLinkTitle=helpers.parseLinkTitle)


# ---------------------------------------------------------------- inline text

def inline_text(children: Sequence[Token], *, markup: bool, emphasis: bool | None = None) -> str:
    """Text of inline tokens; with ``markup``, emphasis markers and link syntax are kept.

    Headlines are written raw by the site's tools, so ``*`` in a headline is
    part of it: keeping the markup reproduces what was written.  ``emphasis``
    (by default as ``markup``) keeps the emphasis markers alone.
    """
    if emphasis is None:
        emphasis = markup
    if len(children) == 1 and children[0].type == "text":
        return children[0].content  # most link texts and tails
    out: list[str] = []
    hrefs: list[str] = []
    for tok in children:
        if tok.type in ("text", "text_special"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif emphasis and tok.type in _EMPHASIS:
            out.append(tok.markup)
        elif tok.type == "link_open":
            hrefs.append(str(tok.attrs.get("href", "")))
            out.append("[" if markup else "")
        elif tok.type == "link_close":
            href = hrefs.pop() if hrefs else ""
            out.append(f"]({href})" if markup else "")
    return "".join(out)


_EMPHASIS = frozenset({"em_open", "em_close", "strong_open", "strong_close"})


def tail_text(tail: Sequence[Token]) -> tuple[str, str]:
    """The text after a line's link, as written, less one emphasis pair around it; and what follows that pair.

    The site writes ``_Context: A, B_``: that pair is the format's, the
    canonical path drops it too.  Markers inside are part of the names, which
    are titles written raw (``M*A*S*H``), as in headlines.  Text after the
    pair (``_Context: A_ (see also B)``) is not part of the last name: it is
    returned apart, unless the list goes on past the pair, which then was not
    the format's: within a word (``*Context: M*A*S*H*`` pairs the first two
    ``*``), after its label alone (``**Context:** A, B``) or at a comma
    (``_Context: A_, _B_``).
    """
    i, j = 0, len(tail)
    while i < j and tail[i].type == "text" and not tail[i].content.strip():
        i += 1
    while j > i and tail[j - 1].type == "text" and not tail[j - 1].content.strip():
        j -= 1
    if j - i >= 2 and tail[i].type in ("em_open", "strong_open"):
        depth = 0
        for k in range(i, j):
            depth += tail[k].nesting if tail[k].type in _EMPHASIS else 0
            if depth == 0:
                break
        if depth == 0 and tail[k].type in ("em_close", "strong_close"):
            inside = inline_text(tail[:i], markup=False) + inline_text(tail[i + 1:k], markup=False, emphasis=True)
            if k == j - 1:
                return inside + inline_text(tail[j:], markup=False), ""
            follows, after = tail[k + 1], inline_text(tail[k + 1:], markup=False, emphasis=True).strip()
            # Not the list's pair when the list goes on past it: its label alone (**Context:** A, B),
            # a name cut at a comma (_Context: A_, _B_), or a word (*Context: M*A*S*H*).
            goes_on = (inside.rstrip(" _*").endswith((":", ",")) or after.startswith(",")
                       or (follows.type == "text" and follows.content[:1].isalnum()))
            if not goes_on:
                return inside, after
    return inline_text(tail, markup=False, emphasis=True), ""


@dataclass(frozen=True, slots=True)
class Link:
    """The first link of a line: its text (with markup), target, and what follows."""

    text: str
    href: str
    rest: str  # plain text after the link (less an emphasis pair around it)
    extra_links: int
    after: str = ""  # text after that emphasis pair, when more follows it


def first_link(children: Sequence[Token]) -> Link | None:
    """The first link of a line's inline tokens, or ``None`` when it has none."""
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
    text = inline_text(children[start + 1:end], markup=True)
    extra = types[end + 1:].count("link_open")
    rest, after = tail_text(children[end + 1:])
    return Link(text, href, rest, extra, after)

