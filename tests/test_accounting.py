"""Accounting: every item of a corpus is in the graph or in a diagnostic."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from pathlib import Path

import pytest

import kg
from kg.accounting import account, count_items
from kg.report import BuildReport

SAMPLE = Path(__file__).parent.parent / "examples" / "wcep-2015-09"
HOSTILE = Path(__file__).parent / "data" / "hostile"


def test_sample_corpus_every_item_is_in_the_graph():
    graph = kg.build(SAMPLE)
    result = account(SAMPLE, graph)
    assert graph.report.diagnostics == ()
    assert result.ok and not result.explained
    counts = result.counts()
    assert counts["related"]["in_graph"] == kg.counts(graph)["related_links"]
    assert counts["source"]["items"] == kg.counts(graph)["source_citations"]


def test_hostile_corpus_every_loss_is_explained():
    result = account(HOSTILE, kg.build(HOSTILE))
    assert result.ok, result.unexplained[:5]
    explained_codes = {d.code for _, d in result.explained}
    assert {"unsafe-url", "invalid-url", "link-outside-corpus", "item-without-link", "self-link",
            "missing-headline", "duplicate-page", "nested-item", "page-truncated"} <= explained_codes
    for item, why in result.explained:
        assert why.path == item.path and (why.line in (item.line, 0) or why.code == "page-truncated")


def test_a_silently_dropped_link_is_caught():
    graph = kg.build(SAMPLE)
    lost = dataclasses.replace(graph, related=graph.related[1:])
    result = account(SAMPLE, lost)
    assert not result.ok
    first = graph.related[0]
    assert any(i.path == first.source.path and i.kind == "related" for i in result.unexplained)


def test_a_silently_dropped_diagnostic_is_caught():
    graph = kg.build(HOSTILE)
    kept = tuple(d for d in graph.report.diagnostics if d.code != "unsafe-url")
    silent = dataclasses.replace(graph, report=BuildReport(diagnostics=kept))
    result = account(HOSTILE, silent)
    assert {i.path for i in result.unexplained} == {"news/2015/09/4/unsafe-urls.md"}


def test_count_items_counts_nested_and_broken_items():
    page = ("# E\n\n### Source:\n\n1. [A](http://a.org/)\n   1. [B](http://b.org/)\n1. no link\n\n"
            "### Related:\n\n1. [R](/news/2015/09/2/r.md) _Context: X, , Y_\n")
    items = count_items(page, "news/2015/09/1/e.md")
    assert [(i.kind, i.line) for i in items] == [
        ("source", 5), ("source", 6), ("source", 7), ("related", 11), ("context", 11), ("context", 11)]


#: Pieces of malformed context lists: emphasis runs, breaks, links, escapes, entities.
_PIECES = ("_", "*", "a", " ", ",", "\n", "  \n", "[b](/x)", "\\", "&amp;")


def test_the_accounting_reads_every_malformed_context_list_as_the_parser_does():
    """Every list of up to three pieces, in three places: the names counted are the parser's.
    Its own rule for runs of markers disagreed on `_Context: _0_` then a line `0` (the parser's
    one name `0_ 0`, its `0`), and a hard break joined two names' words."""
    head = "# E\n\n### Related:\n\n1. [F](/news/2015/09/2/f.md) "
    disagree = []
    for ends in itertools.chain.from_iterable(itertools.product(_PIECES, repeat=n) for n in range(4)):
        end = "".join(ends)
        for tail in ("_Context: A" + end, end + "Context: _0" + end + "0", "* _Context:" + end):
            page = kg.parse_page(head + tail + "\n", "news/2015/09/1/e.md").page
            parsed = list(page.related[0].contexts) if page is not None and page.related else []
            counted = [i.value for i in count_items(head + tail + "\n", "news/2015/09/1/e.md") if i.kind == "context"]
            if list(dict.fromkeys(counted)) != parsed:
                disagree.append((tail, counted, parsed))
    assert disagree == []


def test_every_loss_of_a_page_with_many_is_listed_on_its_line(tmp_path):
    """A page lists MAX_SAME_PER_PAGE diagnostics of a code, and counts the rest in one more; not those that say
    an item was dropped (ALWAYS_LISTED), which the accounting reads on each item's line: 300 sources without a
    publisher are 300 diagnostics, each explaining its own, and a loss with none stays unexplained."""
    from kg.parse.blocks import ALWAYS_LISTED, MAX_SAME_PER_PAGE

    day = tmp_path / "news" / "2015" / "09" / "1"
    day.mkdir(parents=True)
    items = "".join(f"1. [](http://a.org/{n})\n" for n in range(300))
    items += "".join(f"1. [P\u200bQ](http://c.org/{n})\n" for n in range(30))  # (a hidden character: said, kept)
    (day / "e.md").write_text("### [2015-09-1](/news/2015/09/1/index.md)\n\n# H\n\n### Source:\n\n" + items +
                              "\n### Related:\n\n1. [B](/news/2015/09/1/b.md) _Context: X_\n", "utf-8")
    (day / "b.md").write_text("### [2015-09-1](/news/2015/09/1/index.md)\n\n# B\n\n### Source:\n\n"
                              "1. [P](http://a.org/)\n\n### Related:\n\n", "utf-8")
    (day / "index.md").write_text("# 2015-09-1\n\n1. [H](/news/2015/09/1/e.md)\n1. [B](/news/2015/09/1/b.md)\n",
                                  "utf-8")
    graph = kg.build(tmp_path)
    codes = Counter(d.code for d in graph.report.diagnostics)
    assert codes["empty-link-text"] == 300 and "empty-link-text" in ALWAYS_LISTED
    capped = {code: n for code, n in codes.items() if code not in ALWAYS_LISTED}
    assert capped and all(n == MAX_SAME_PER_PAGE + 1 for n in capped.values()), codes
    result = account(tmp_path, graph)
    assert result.ok and len(result.explained) == 300
    lost = dataclasses.replace(graph, related=())
    assert {(i.kind, i.path) for i in account(tmp_path, lost).unexplained} == {
        ("related", "news/2015/09/1/e.md"), ("context", "news/2015/09/1/e.md")}


def test_the_codes_that_explain_a_loss_are_listed_however_many_a_page_has():
    """(the context lists' own empty and repeated names explain nothing: an empty one is no item, and a repeated
    one is in the graph)"""
    from kg.accounting import EXPLAINS, FILE_LOSS
    from kg.parse.blocks import ALWAYS_LISTED

    said_by_the_parse = {"missing-headline"}
    assert set().union(*EXPLAINS.values()) - {"empty-context", "duplicate-context"} <= ALWAYS_LISTED
    assert said_by_the_parse == FILE_LOSS & ALWAYS_LISTED


def test_names_of_invisible_characters_alone_and_names_past_the_thousandth_are_accounted(tmp_path):
    """A name of invisible characters alone is empty once cleaned (no item, as an empty one is): counted as an
    item, its empty-context past a page's 20 of them left it unexplained. Names past a list's 1,000th were left
    unexplained by long-context-list, which the accounting did not read."""
    day = tmp_path / "news" / "2015" / "09" / "1"
    day.mkdir(parents=True)
    head = ("### [2015-09-1](/news/2015/09/1/index.md)\n\n# A\n\n### Source:\n\n1. [P](http://a.org/)\n\n"
            "### Related:\n\n")
    related = "".join(f"1. [T{n}](/news/2015/09/1/x{n}.md) _Context: X, \u200b_\n" for n in range(25))
    related += "1. [T](/news/2015/09/1/x.md) _Context: " + ", ".join(f"N{n}" for n in range(1200)) + "_\n"
    (day / "a.md").write_text(head + related, "utf-8")
    graph = kg.build(tmp_path)
    assert Counter(d.code for d in graph.report.diagnostics)["empty-context"] == 21  # (20 and one that counts 5)
    result = account(tmp_path, graph)
    assert result.ok, result.unexplained[:3]
    assert Counter(why.code for _, why in result.explained) == {"long-context-list": 200}


DEEP_LISTS = Path(__file__).parent / "data" / "deep-lists"


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "markdown-it"])
def test_a_list_nested_past_the_parsers_limit_loses_nothing_after_it(fast: bool) -> None:
    """markdown-it skips the rest of a page nested 20 levels deep (ten lists: "- - - ... x" on one line, or by
    indentation, with spaces or tabs); the sources after such lines, the Related section and its contexts were
    lost unsaid, and the accounting, which lost them too, said all was well."""
    graph = kg.build(DEEP_LISTS, fast_parse=fast)
    event = next(e for key, e in graph.event_records.items() if key.slug == "deep")
    assert sorted(p for url in event.sources for p in graph.articles[url].publishers) == [
        "AFP", "AP", "BBC", "CNN", "Reuters"]
    assert [link.target.slug for link in graph.related] == ["other"]
    assert sorted(graph.contexts) == ["France", "Iran"]
    cut = [d.line for d in graph.report.diagnostics if d.code == "nested-item" and "cut" in d.message]
    assert 8 in cut and 37 in cut and len(cut) >= 3
    result = account(DEEP_LISTS, graph)
    assert result.ok, result.unexplained[:5]
    assert result.counts()["related"]["in_graph"] == 1 and result.counts()["context"]["in_graph"] == 2
