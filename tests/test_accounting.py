"""Accounting: every item of a corpus is in the graph or in a diagnostic."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

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


def test_a_page_s_losses_past_its_listed_diagnostics_are_explained_by_the_one_that_counts_them(tmp_path):
    """A page lists MAX_LISTED_PER_PAGE diagnostics: the sources it dropped past them (300 without a
    publisher) are explained by the one diagnostic that counts the rest, from its line on, not left
    unexplained; one before that line is not explained by it."""
    from kg.parse.blocks import MAX_LISTED_PER_PAGE

    day = tmp_path / "news" / "2015" / "09" / "1"
    day.mkdir(parents=True)
    items = "".join(f"1. [](http://a.org/{n})\n" for n in range(300))
    (day / "e.md").write_text("### [2015-09-1](/news/2015/09/1/index.md)\n\n# H\n\n### Source:\n\n" + items +
                              "\n### Related:\n\n", "utf-8")
    (day / "index.md").write_text("# 2015-09-1\n\n1. [H](/news/2015/09/1/e.md)\n", "utf-8")
    graph = kg.build(tmp_path)
    said = graph.report.diagnostics
    assert len(said) == MAX_LISTED_PER_PAGE + 1
    assert said[-1].message.startswith("100 more of the page's empty-link-text")
    result = account(tmp_path, graph)
    assert result.ok and len(result.explained) == 300
    assert sum(why == said[-1] for _, why in result.explained) == 300 - MAX_LISTED_PER_PAGE
    # The count explains its own line and those after it, not those before.
    before = dataclasses.replace(graph, report=BuildReport(diagnostics=said[-1:]))
    assert len(account(tmp_path, before).unexplained) == MAX_LISTED_PER_PAGE
