"""The fast routes give exactly what the plain routes give.

- Canonical pages are read without markdown-it (:func:`kg.parse.canonical.canonical_blocks`);
  every page, canonical or not, must parse to the same record either way,
  diagnostics and line numbers included.
- The parallel Turtle writer cuts node kinds into slices of subjects; the
  joined file must be the single serializer's, byte for byte.
- Records are pickled as ``cls(*fields)``; they must load back equal.
"""

from __future__ import annotations

import itertools
import pickle
import random
from pathlib import Path

import pytest

import kg
from kg.errors import ArgumentError
from kg.export import rdf as rdf_export
from kg.export.triples import EMITTERS, graph_triples, kind_size
from kg.facts.executors import dump_record, parse_file
from kg.parse.canonical import canonical_blocks
from kg.parse.markdown import parse_page
from kg.pipeline import build
from kg.read.files import corpus_root, iter_page_paths, read_page
from kg.synth import generate_corpus

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "wcep-2015-09"
DATA = ROOT / "tests" / "data"


def page_texts(corpus: Path) -> list[tuple[str, str]]:
    """(corpus-relative path, decoded text) of every readable page."""
    out = []
    for rel, real, problem in iter_page_paths(corpus_root(corpus)):
        if real is not None and problem is None:
            text = read_page(rel, real).text
            if text is not None:
                out.append((rel, text))
    return out


def assert_routes_agree(pages: list[tuple[str, str]]) -> int:
    """Parse each page both ways; return how many took the fast route."""
    fast = 0
    for rel, text in pages:
        via_markdown = parse_page(text, rel, fast=False)
        assert parse_page(text, rel, fast=True) == via_markdown, rel
        fast += canonical_blocks(text) is not None
    return fast


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synth") / "corpus"
    generate_corpus(root, 400, seed=3)
    return root


def test_sample_pages_agree_and_mostly_take_the_fast_route() -> None:
    pages = page_texts(SAMPLE)
    fast = assert_routes_agree(pages)
    assert fast >= 0.9 * len(pages), f"only {fast} of {len(pages)} pages were canonical"


def test_synthetic_pages_agree(synthetic: Path) -> None:
    pages = page_texts(synthetic)
    assert assert_routes_agree(pages) >= 0.9 * len(pages)


@pytest.mark.parametrize("corpus", ["hostile", "query-corpus", "fuzz/lazy-continuation-second-link",
                                    "fuzz/unclosed-context-emphasis", "fuzz/unpaired-emphasis-in-continuation"])
def test_odd_pages_agree(corpus: str) -> None:
    pages = page_texts(DATA / corpus)
    assert pages
    fast = assert_routes_agree(pages)
    if corpus.startswith("fuzz/"):  # each is a markdown trap: none may look canonical
        assert fast == 0


def test_markup_pages_fall_back() -> None:
    """Pages with markup, controls, tabs or odd URLs go to markdown-it."""
    texts = dict(page_texts(DATA / "hostile"))
    for name in ("markup-text", "controls", "bom-crlf-tabs", "unsafe-urls", "budget", "contexts"):
        rel = next(r for r in texts if r.endswith(f"/{name}.md"))
        assert canonical_blocks(texts[rel]) is None, rel


# Characters and snippets that each enabled markdown rule (or the block
# structure) reacts to, spliced into canonical pages at random places.
_SPLICES = [
    *"_*[]()\\&#<>`!.:;,- 1209é",
    "\t", "\r", "\x00", "\x0b", "\u00a0", "\u2003", "\u2028", "\ufeff", "\n", "\n\n", "  ",
    "&amp;", "&#42;", "1. ", "1) ", "- ", "### ", "# ", "    ", "_x_", "*x*", "](", ")",
    "](/news/2015/09/1/x.md)", " _Context: A_", "[a](b)", "#", " #",
]


def test_mutated_pages_agree() -> None:
    """Seeded random edits of sample pages: whatever the route, the same record."""
    rng = random.Random(20150901)
    pages = page_texts(SAMPLE)
    fast = 0
    for _ in range(1500):
        rel, text = rng.choice(pages)
        for _ in range(rng.randint(1, 3)):
            lines = text.split("\n")
            n = rng.randrange(len(lines))
            line, splice = lines[n], rng.choice(_SPLICES)
            where = rng.choice((0, len(line), rng.randrange(len(line) + 1)))
            if rng.random() < 0.2 and line:
                lines[n] = line[:where] + line[where + 1:]
            else:
                lines[n] = line[:where] + splice + line[where:]
            text = "\n".join(lines)
        fast += assert_routes_agree([(rel, text)])
    assert 100 < fast < 1400  # both routes were exercised


def test_records_pickle_back_equal() -> None:
    for corpus in (SAMPLE, DATA / "hostile"):
        for rel, real, _problem in iter_page_paths(corpus_root(corpus)):
            if real is not None:
                page = parse_file(rel, real)
                assert pickle.loads(dump_record(page)) == page


def _links_to_one_event(facts: list) -> list:
    """The link facts of ``facts`` whose target is the event most of them link to."""
    links = [link for f in facts for claim in (f.event, f.day) if claim is not None for link in claim.links]
    target = max({link.target for link in links}, key=[link.target for link in links].count)
    return [link for link in links if link.target == target]


def test_facts_of_different_pages_share_their_strings() -> None:
    # Every page that links to an event repeats its key, headline, path and contexts: held once,
    # as the worker hands them over and as the cache gives them back.
    from kg.facts import page_facts
    from kg.incremental.datacodec import decode_facts, encode_facts

    pages = [(rel, real) for rel, real, _problem in iter_page_paths(corpus_root(SAMPLE)) if real is not None]
    made = [page_facts(parse_file(rel, real)) for rel, real in pages]
    for facts in ([pickle.loads(dump_record(f)) for f in made], [decode_facts(encode_facts(f)) for f in made]):
        assert facts == made
        links = _links_to_one_event(facts)
        assert len(links) > 1
        for name in ("target", "headline", "written"):
            assert len({id(getattr(link, name)) for link in links}) == 1, name
        first = {c: id(c) for c in links[0].contexts}
        assert all(first.get(c, id(c)) == id(c) for link in links for c in link.contexts)


def test_parts_of_a_kind_are_the_kind() -> None:
    graph = build(SAMPLE, jobs=1)
    for kind in EMITTERS:
        whole = list(graph_triples(graph, (kind,)))
        n = kind_size(graph, kind)
        cuts = [0, n // 3, n // 3 + 1, n]
        pieces = [t for lo, hi in itertools.pairwise(cuts) for t in graph_triples(graph, (kind,), slice(lo, hi))]
        assert pieces == whole, kind
    with pytest.raises(ArgumentError, match="one node kind"):
        graph_triples(graph, None, slice(0, 1))  # said when called, not at the first triple
    with pytest.raises(ArgumentError, match="no node kind 'event'; the kinds are events, days"):
        graph_triples(graph, ("event",))  # not an empty stream
    assert list(graph_triples(graph, "days")) == list(graph_triples(graph, ("days",)))  # not "d", "a" ...


def test_plan_covers_every_subject_once() -> None:
    graph = build(SAMPLE, jobs=1)
    plan = rdf_export._plan(graph, 2)
    assert [k for k, _ in plan] == sorted((k for k, _ in plan), key=list(EMITTERS).index)
    for kind in EMITTERS:
        slices = [p for k, p in plan if k == kind]
        assert slices[0].start == 0 and slices[-1].stop == kind_size(graph, kind)
        assert all(a.stop == b.start for a, b in itertools.pairwise(slices))
    assert sum(1 for k, _ in plan if k == "events") > 1  # the biggest kind is cut


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_many_small_parts_join_to_the_serial_bytes(fmt: str, tmp_path: Path, monkeypatch) -> None:
    graph = build(SAMPLE, jobs=1)
    kg.write(graph, tmp_path / "serial", fmt, jobs=1)
    monkeypatch.setattr(rdf_export, "_PARALLEL_MIN_EVENTS", 0)
    monkeypatch.setattr(rdf_export, "_PARTS_PER_JOB", 40)
    kg.write(graph, tmp_path / "parallel", fmt, jobs=2)
    assert (tmp_path / "parallel").read_bytes() == (tmp_path / "serial").read_bytes()
