"""What a change touches: the subjects on which a page's old and new facts differ.

The incremental build re-reduces exactly these (see ``kg.facts.subjects``); the
byte-for-byte tests in test_incremental.py check that they are enough, these
that they are no more than an edit calls for, on real pages of the sample.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.facts import page_facts
from kg.facts.executors import parse_file
from kg.facts.subjects import COUNTED, FAMILIES, HELD, page_subject_keys, page_subjects, pair_subject
from kg.parse.markdown import parse_page
from kg.parse.records import ParsedPage

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "wcep-2015-09"
# An event page with sources, Related lines and contexts.
PAGE = next(p for p in sorted((SAMPLE / "news/2015/09").rglob("*.md"))
            if p.name != "index.md" and "_Context:" in p.read_text(encoding="utf-8")
            and p.read_text(encoding="utf-8").count("](http") >= 2)
REL = PAGE.relative_to(SAMPLE).as_posix()


def subjects(text: str) -> dict[tuple[str, str], object]:
    parsed = parse_page(text, REL)
    return page_subjects(page_facts(ParsedPage(REL, parsed.page, parsed.diagnostics)))


def touched(before: str, after: str) -> set[tuple[str, str]]:
    old, new = subjects(before), subjects(after)
    return {s for s in old.keys() | new.keys() if old.get(s) != new.get(s)}


TEXT = PAGE.read_text(encoding="utf-8")
OWN = page_facts(parse_file(REL, PAGE)).event
assert OWN is not None


def test_every_family_is_known_and_the_page_holds_its_own_subjects() -> None:
    found = subjects(TEXT)
    assert {family for family, _ in found} <= set(FAMILIES)
    assert ("events", OWN.key) in found and ("days", OWN.key[:10]) in found and ("pages", REL) in found
    assert {("articles", url) for _, url in OWN.sources} <= found.keys()
    assert {("events", link.target) for link in OWN.links if link.target != OWN.key} <= found.keys()
    assert set(HELD) | set(COUNTED) <= set(FAMILIES)


def test_moving_lines_touches_nothing() -> None:
    """Line numbers change the page's own diagnostics only."""
    assert touched(TEXT, "\n\n\n" + TEXT) == set()


def test_a_new_source_touches_its_event_article_and_names() -> None:
    after = TEXT.replace("### Source:\n\n", "### Source:\n\n1. [Wire Weekly](https://wire.example/x)\n", 1)
    assert touched(TEXT, after) == {("events", OWN.key), ("articles", "https://wire.example/x"),
                                    ("publishers", "Wire Weekly"), ("organizations", "Wire Weekly")}


def test_a_new_context_touches_both_events_their_pair_and_the_context() -> None:
    link = next(link for link in OWN.links if link.target != OWN.key and link.contexts)
    old = f"_Context: {', '.join(link.contexts)}_"
    assert old in TEXT
    after = TEXT.replace(old, f"_Context: {', '.join((*link.contexts, 'Atlantis'))}_", 1)
    pair = pair_subject(*sorted((OWN.key, link.target)))
    changed = touched(TEXT, after)
    assert {("events", OWN.key), ("events", link.target), ("shared", pair), ("contexts", "Atlantis")} <= changed
    assert {family for family, _ in changed} == {"events", "shared", "contexts"}


@pytest.mark.parametrize("day", [True, False])
def test_a_deleted_page_touches_all_it_held(day: bool) -> None:
    rel = "news/2015/09/1/index.md" if day else REL
    facts = page_facts(parse_file(rel, SAMPLE / rel))
    held = page_subjects(facts)
    assert held and ("pages", rel) in held
    assert ("days", "2015-09-01" if day else OWN.key[:10]) in held


@pytest.mark.parametrize("corpus", [SAMPLE, SAMPLE.parent / "wcep-2026-05-to-2026-08",
                                    Path(__file__).parent / "data" / "hostile"], ids=lambda p: p.name)
def test_the_keys_alone_are_the_subjects_keys(corpus: Path) -> None:
    """What the cache indexes of each page is what the rebuild compares, on every page."""
    from kg.facts.executors import walk_corpus

    problems, files = walk_corpus(corpus)
    pages = [*problems, *(parse_file(rel, real) for rel, real in files)]
    assert len(pages) > 10
    for page in pages:
        facts = page_facts(page)
        assert page_subject_keys(facts) == set(page_subjects(facts)), page.path
