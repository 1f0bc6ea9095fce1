"""Accounting: every item of the input is in the graph or in a diagnostic.

:func:`count_items` counts the source items, related items and context names
of a page straight from markdown-it's token stream, without the parser of
:mod:`kg.parse.markdown` (but for where a context list ends, the format's rule,
which it reads with the parser's :func:`~kg.parse.inline.tail_text`, so that a
fault there goes unseen here); :func:`account` then looks for each one in the built graph
and, failing that, for a diagnostic on the same file that explains its loss
(on its line, on the whole file, or a truncation above it).  An item found in
neither place is *unexplained*: a fact was lost silently, which is a bug.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from kg.diagnostics import Diagnostic
from kg.model import KnowledgeGraph
from kg.parse.blocks import bound_nesting
from kg.parse.inline import tail_text
from kg.parse.records import PageKey
from kg.parse.sections import drop_stray_markers
from kg.parse.text import check_url, clean_name, clean_text
from kg.read.decoding import wide_codec
from kg.read.files import MAX_PAGE_BYTES, corpus_root, iter_page_paths
from kg.read.paths import parse_page_path, resolve_link

__all__ = ["InputItem", "Accounting", "count_items", "account", "account_items", "EXPLAINS", "FILE_LOSS"]

#: Codes that stand for every item of their file, whatever their line.
FILE_LOSS = frozenset({
    "unreadable-file", "binary-file", "file-too-large", "empty-file", "symlink-skipped",
    "unexpected-path", "invalid-date", "missing-headline", "duplicate-page",
})

_DROPPED_ITEM = frozenset({"item-without-link", "stray-content", "nested-item", "long-line", "duplicate-item"})

#: item kind -> codes on the item's own line that explain why it is not in the graph.
EXPLAINS: dict[str, frozenset[str]] = {
    "source": _DROPPED_ITEM | {"unsafe-url", "invalid-url", "empty-link-text", "long-text"},
    "related": _DROPPED_ITEM | {"link-outside-corpus", "link-not-event", "link-to-day-page", "self-link"},
    "context": _DROPPED_ITEM | {"link-outside-corpus", "link-not-event", "link-to-day-page", "self-link", "extra-link",
                                "empty-context", "duplicate-context", "missing-context", "long-text",
                                "long-context-list"},
}

_SECTIONS = {"source": "source", "sources": "source", "related": "related"}
_CONTEXT = re.compile(r"^[\s_*]*context\s*:(.*)$", re.IGNORECASE | re.DOTALL)
@dataclass(frozen=True, slots=True)
class InputItem:
    """One item as written on a page.

    ``kind`` is ``"source"``, ``"related"`` or ``"context"``; ``value`` the
    link target (source, related) or the name (context); ``target`` the
    related link a context was written on.
    """

    path: str
    line: int
    kind: str
    value: str
    target: str = ""


@dataclass(frozen=True, slots=True)
class Accounting:
    """Where each item of a corpus went."""

    items: tuple[InputItem, ...] = ()
    in_graph: tuple[InputItem, ...] = ()
    explained: tuple[tuple[InputItem, Diagnostic], ...] = ()
    unexplained: tuple[InputItem, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether every item is in the graph or explained by a diagnostic."""
        return not self.unexplained

    def counts(self) -> dict[str, dict[str, int]]:
        """``{kind: {"items", "in_graph", "explained", "unexplained"}}``."""
        out: dict[str, dict[str, int]] = {}
        for name, group in (("items", self.items), ("in_graph", self.in_graph),
                            ("explained", [i for i, _ in self.explained]),
                            ("unexplained", self.unexplained)):
            for kind, n in Counter(i.kind for i in group).items():
                out.setdefault(kind, {"items": 0, "in_graph": 0, "explained": 0, "unexplained": 0})[name] = n
        return out


@lru_cache(maxsize=1)
def _counter_parser() -> MarkdownIt:
    # The rules of the format (headings, lists, links, emphasis), with inline
    # parsing of every block and no link validation: an independent reading.
    md = MarkdownIt("zero").enable(["heading", "list", "link", "emphasis", "entity", "escape", "newline"])
    # markdown-it's documented hooks: replacing these methods is how a parser opts out
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # we check URLs ourselves
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]  # and keep them as written
    return md


def _section_of(content: str) -> str | None:
    name = re.sub(r"[*_\s]+", " ", content).strip().rstrip(":").strip().casefold()
    return _SECTIONS.get(name)


def _item_inline(tokens: Sequence[Token], i: int) -> Token | None:
    """The first inline token of the list item opening at ``i``, if it has one."""
    depth = 0
    for tok in tokens[i + 1:]:
        if tok.type == "list_item_open" or tok.type == "list_item_close":
            if tok.type == "list_item_close" and depth == 0:
                return None
            depth += 1 if tok.type == "list_item_open" else -1
        elif tok.type == "inline" and depth == 0:
            return tok
    return None


def count_items(text: str, path: str) -> list[InputItem]:
    """Count the source items, related items and contexts written on a page.

    Every list item under a ``Source`` or ``Related`` heading counts, at any
    nesting depth and whatever it holds; a related item's contexts are the
    names of its ``Context:`` text split on commas.

    Examples
    --------
    >>> page = ("# E\\n\\n### Source:\\n\\n1. [BBC](http://bbc.co.uk/x)\\n\\n### Related:\\n\\n"
    ...         "1. [F](/news/2015/09/2/f.md) _Context: Iran, United States_\\n")
    >>> for i in count_items(page, "news/2015/09/1/e.md"):
    ...     print(i.line, i.kind, i.value)
    5 source http://bbc.co.uk/x
    9 related /news/2015/09/2/f.md
    9 context Iran
    9 context United States
    """
    # (markdown-it skips the rest of a page nested past its limit: cut as the build cuts it, this reading
    # counts what follows, where it had lost it along with the build)
    tokens = _counter_parser().parse(bound_nesting(text)[0])
    items: list[InputItem] = []
    section: str | None = None
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.level == 0:
            section = _section_of(tokens[i + 1].content)
        elif tok.type == "list_item_open" and section is not None:
            line = tok.map[0] + 1 if tok.map else 0
            inline = _item_inline(tokens, i)
            children = list(inline.children or []) if inline is not None else []
            href, after = _link_and_rest(children)
            items.append(InputItem(path, line, section, href))
            if section == "related":
                # Where a list ends (its emphasis pair, text after it) is the format's rule, read from
                # the same emphasis tokens as the parser reads; the names in it are counted here.
                m = _CONTEXT.match(tail_text(after)[0])
                for name in (m.group(1).split(",") if m else ()):
                    name = drop_stray_markers(clean_text(name))
                    if name and clean_name(name)[0]:  # (one of invisible characters alone is empty too: no item)
                        items.append(InputItem(path, line, "context", name, href))
    return items


def _link_and_rest(children: Sequence[Token]) -> tuple[str, Sequence[Token]]:
    """The first link's target, and the tokens after the link."""
    href, depth = "", 0
    for i, tok in enumerate(children):
        if tok.type == "link_open":
            if depth == 0:
                href = str(tok.attrs.get("href", ""))
            depth += 1
        elif tok.type == "link_close":
            depth -= 1
            if depth == 0:
                return href, children[i + 1:]
    return href, ()


@dataclass(slots=True)
class _Index:
    graph: KnowledgeGraph
    diagnostics: dict[str, list[Diagnostic]] = field(default_factory=lambda: defaultdict(list))
    links: dict[tuple[PageKey, PageKey], tuple[str, ...]] = field(default_factory=dict)
    sources: dict[PageKey, set[PageKey]] = field(default_factory=lambda: defaultdict(set))

    def __post_init__(self) -> None:
        for d in self.graph.report.diagnostics:
            self.diagnostics[d.path].append(d)
        for link in self.graph.related:
            self.links[link.source, link.target] = link.contexts
            self.sources[link.source].add(link.target)

    def explanation(self, item: InputItem) -> Diagnostic | None:
        found = self.diagnostics.get(item.path, ())
        for d in found:
            if d.code in FILE_LOSS or (d.code == "page-truncated" and d.line <= item.line):
                return d
        for d in found:
            if d.line == item.line and d.code in EXPLAINS[item.kind]:
                return d
        return None

    def merged_away(self, path: str) -> bool:
        return any(d.code == "duplicate-page" for d in self.diagnostics.get(path, ()))

    def in_graph(self, item: InputItem) -> bool:
        key = parse_page_path(item.path).key
        event = self.graph.event_records.get(key) if key else None
        if key is None or event is None or not event.in_corpus or event.page != item.path:
            return False
        if item.kind == "source":
            url = check_url(item.value).url
            return url is not None and (url in event.sources or url in event.images)
        target = resolve_link(item.value if item.kind == "related" else item.target, item.path)
        if target.key is None:
            return False
        if (key, target.key) not in self.links:
            # A link to a page merged into another one goes to that one.
            return self.merged_away(target.key.path) and bool(self.sources.get(key))
        if item.kind == "related":
            return True
        contexts = self.links[key, target.key]
        return clean_name(item.value)[0] in contexts  # names key nodes without invisible characters


def account(corpus: str | os.PathLike[str], graph: KnowledgeGraph) -> Accounting:
    """Check that every item of ``corpus`` is in ``graph`` or explained.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> result = account("examples/wcep-2015-09", g)
    >>> result.ok, result.counts()["context"]["unexplained"], len(result.in_graph) == len(result.items)
    (True, 0, True)
    """
    return account_items(_corpus_items(corpus), graph)


def account_items(items: Iterable[InputItem], graph: KnowledgeGraph) -> Accounting:
    """Check counted ``items`` against ``graph`` and its diagnostics."""
    index = _Index(graph)
    every, found, explained, lost = [], [], [], []
    for item in items:
        every.append(item)
        if index.in_graph(item):
            found.append(item)
            continue
        why = index.explanation(item)
        if why is None:
            lost.append(item)
        else:
            explained.append((item, why))
    return Accounting(tuple(every), tuple(found), tuple(explained), tuple(lost))


def _corpus_items(corpus: str | os.PathLike[str]) -> Iterable[InputItem]:
    root = corpus_root(corpus)
    for rel, real, _problem in iter_page_paths(root):
        if real is None or parse_page_path(rel).kind != "event":
            continue
        try:
            if real.stat().st_size > MAX_PAGE_BYTES:
                continue
            data = real.read_bytes()
        except OSError:
            continue
        # Read leniently: a file the build refused still has items to explain.
        wide = wide_codec(data)
        text = data.decode(wide, errors="replace") if wide else \
            data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        yield from count_items(text, rel)
