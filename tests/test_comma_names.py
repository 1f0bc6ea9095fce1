"""Names with a comma (``--comma-names``): a Related line's parts joined again where they make one, as the
raw records have them, by every engine, with the cache made anew for another list."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kg
from kg.parse.commanames import CommaNames, join_comma_names
from kg.parse.text import clean_name
from tests.conftest import REPO, SAMPLE
from tests.oracle import event_contexts, related_links, whole_names

SHARED = REPO / "examples" / "wcep-2026-05-to-2026-08"
CORPORA = [SAMPLE, SHARED]


def _truth(corpus: Path) -> dict:
    return json.loads((corpus / "truth.json").read_text(encoding="utf-8"))


def _names_file(corpus: Path, folder: Path) -> Path:
    """The answer key's names with a comma, one a line, as a user would keep them."""
    path = folder / "commas.txt"
    path.write_text("\n".join(_truth(corpus)["hazards"]["context_names_with_comma"]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=CORPORA, ids=["sample", "1888"])
def joined(request, tmp_path_factory) -> tuple[Path, kg.KnowledgeGraph]:
    corpus = request.param
    names = kg.read_comma_names(_names_file(corpus, tmp_path_factory.mktemp("names")))
    return corpus, kg.build(corpus, comma_names=names)


def test_the_contexts_are_the_answer_key_s_not_its_naive_split(joined):
    """194 contexts in the sample, split at every comma; truth.json's own figure is 191 (1,141, not 1,144)."""
    corpus, graph = joined
    counts = _truth(corpus)["counts"]
    assert len(graph.contexts) == counts["distinct_context_entities_visible_in_markdown"] \
        != counts["distinct_context_entities_visible_in_markdown_naive_comma_split"]
    own = {(link.source, name) for link in graph.related for name in link.contexts}
    assert len(own) == counts["event_context_pairs_visible_in_markdown"]
    assert graph.report.counts["contexts"] == len(graph.contexts)


def test_every_related_line_holds_the_raw_records_names(joined):
    """Each line's contexts, and each event's, are those of events.json: names with a comma whole."""
    corpus, graph = joined
    _, links = related_links(corpus, whole_names)
    want = Counter((link.source, link.target, link.rank, tuple(sorted(link.contexts))) for link in links)
    paths = {key: event.page for key, event in graph.event_records.items()}
    got = Counter((paths[link.source], paths[link.target], link.rank, tuple(sorted(link.contexts)))
                  for link in graph.related)
    assert got == want
    contexts = {(paths[key], name) for key, names in graph.event_contexts.items() for name in names}
    assert contexts == {(path, name) for path, names in event_contexts(links).items() for name in names}


def test_without_the_names_a_name_with_a_comma_falls_apart_as_before(sample_graph):
    case = _truth(SAMPLE)["edge_cases"]["context_with_comma"]
    assert {"Rowan County", "Kentucky"} <= set(sample_graph.contexts)
    assert kg.build(SAMPLE, comma_names=[]) == sample_graph
    joined = kg.build(SAMPLE, comma_names=["Rowan County, Kentucky"])
    key = next(k for k, e in joined.event_records.items() if e.page == case["path"])
    assert "Rowan County, Kentucky" in joined.event_contexts[key]


def test_the_partitioned_reduce_and_the_cache_join_them_as_the_build_does(tmp_path):
    """Turtle, N-Triples and the report of each route are the in-memory build's; the cache read with one list
    is made anew for another, or none, and a rerun with the same list patches the files as a full build."""
    names = kg.read_comma_names(_names_file(SAMPLE, tmp_path))
    formats = ("turtle", "ntriples", "report")

    def files(out: Path) -> dict[str, bytes]:
        return {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.nt")}

    kg.build_files(SAMPLE, tmp_path / "cold", formats, cache=False, comma_names=names)
    want = files(tmp_path / "cold")
    assert b"Rowan_County%2C_Kentucky" in want["graph.ttl"]
    kg.build_files(SAMPLE, tmp_path / "parts", formats, cache=False, comma_names=names, partitions=3)
    assert files(tmp_path / "parts") == want
    out = tmp_path / "cached"
    plain = kg.build_files(SAMPLE, out, formats)  # the cache filled with facts read without the names
    assert b"Rowan_County%2C_Kentucky" not in (out / "graph.ttl").read_bytes()
    first = kg.build_files(SAMPLE, out, formats, comma_names=names)
    assert not first.incremental and files(out) == want  # (not the other list's facts, nor patched from them)
    again = kg.build_files(SAMPLE, out, formats, comma_names=names)
    assert again.incremental and again.changed == 0 and files(out) == want
    back = kg.build_files(SAMPLE, out, formats)
    assert not back.incremental and back.report.counts == plain.report.counts


def test_the_build_s_record_names_the_list(tmp_path):
    names = CommaNames.of(["Rowan County, Kentucky", "Hildale, Utah"])
    kg.build_files(SAMPLE, tmp_path, ("nquads",), cache=False, comma_names=names)
    text = (tmp_path / "graph.nq").read_text(encoding="utf-8")
    assert f'"comma_names=2 names, sha256 {names.digest}"' in text
    kg.build_files(SAMPLE, tmp_path / "plain", ("nquads",), cache=False)
    assert "comma_names" not in (tmp_path / "plain" / "graph.nq").read_text(encoding="utf-8")


def _kg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, timeout=600)


def test_the_command_line_reads_the_file_and_says_a_bad_one_in_one_line(tmp_path):
    names = _names_file(SAMPLE, tmp_path)
    done = _kg("stats", SAMPLE, "--comma-names", names, "--json", "--top", "0")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["counts"]["contexts"] == \
        _truth(SAMPLE)["counts"]["distinct_context_entities_visible_in_markdown"]
    done = _kg("build", SAMPLE, "-o", tmp_path / "out", "-f", "snapshot", "--comma-names", names, "-q")
    assert done.returncode == 0, done.stderr
    for bad, said in ((tmp_path / "missing.txt", "cannot read the names with a comma"),
                      (tmp_path / "latin1.txt", "are not UTF-8")):
        if bad.name == "latin1.txt":
            bad.write_bytes(b"Caf\xe9, Paris\n")
        done = _kg("build", SAMPLE, "-o", tmp_path / "o2", "--comma-names", bad)
        assert done.returncode == 2 and done.stderr.count("\n") == 1 and said in done.stderr, done.stderr
    done = _kg("stats", tmp_path / "out" / "graph.kg.json", "--comma-names", names)
    assert done.returncode == 2 and "is a graph already built" in done.stderr, done.stderr
    with pytest.raises(kg.errors.ArgumentTypeError, match="not a file"):
        kg.build(SAMPLE, comma_names=str(names))  # type: ignore[arg-type]


_NAME = st.text(st.sampled_from("ab c"), min_size=1, max_size=4).map(str.strip).filter(bool)


@given(st.lists(_NAME, max_size=8), st.lists(st.lists(_NAME, min_size=2, max_size=3), max_size=4))
def test_a_join_only_puts_back_the_commas_of_listed_names(parts, known_parts):
    """Joining never loses or reorders a part: split again at ", ", the names are the parts; and each name
    that holds ", " is a known one."""
    known = CommaNames.of(", ".join(p) for p in known_parts)
    joined = join_comma_names(parts, known)
    assert [piece for name in joined for piece in name.split(", ")] == parts
    assert all(clean_name(name)[0] in known.names for name in joined if ", " in name and name not in parts)


def test_a_name_is_joined_as_the_parser_reads_names_whatever_it_is_given_as():
    """Invisible characters stopped a join ("Hilda\u00adle, Utah"); a name of an empty part joined empty
    pieces; a name of thousands of parts made every list slow; parse_page took no plain list."""
    page = ("### [2015-09-1](/news/2015/09/1/index.md)\n\n# A.\n\n### Source:\n\n### Related:\n\n"
            "1. [B ](/news/2015/09/1/b.md) _Context: Hilda\u00adle,\u200b Utah, , Foo, Bar_\n")
    names = ["\ufeffHildale, Utah", ", Foo, Bar", "Foo, , Bar", ", ".join(["x"] * 3000)]
    parsed = kg.parse_page(page, "news/2015/09/1/a.md", comma_names=names)
    (item,) = parsed.page.related
    assert item.contexts == ("Hildale, Utah", "Foo", "Bar")
    assert {d.code for d in parsed.diagnostics} >= {"invisible-characters", "empty-context"}
    assert CommaNames.of(names).names == {"Hildale, Utah"} and CommaNames.of(names).parts == 2


def test_a_list_is_capped_at_its_names_not_its_pieces():
    from kg.parse.sections import MAX_CONTEXT_NAMES, split_contexts

    known = CommaNames.of(["Hildale, Utah"])
    names, problems = split_contexts("Context: " + ", ".join(["Hildale, Utah"] + [f"N{n}" for n in range(999)]),
                                     known)
    assert len(names) == MAX_CONTEXT_NAMES and names[0] == "Hildale, Utah" and problems == []
    names, problems = split_contexts("Context: " + ", ".join([f"N{n}" for n in range(999)] + ["Hildale, Utah"]),
                                     known)
    assert names[-1] == "Hildale, Utah" and problems == []


def test_a_graph_file_refuses_even_an_empty_list_and_the_library_s_cache_stays_out_of_news(tmp_path):
    out = tmp_path / "out"
    kg.build_files(SAMPLE, out, ("snapshot",), cache=False)
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    done = _kg("stats", out / "graph.kg.json", "--comma-names", tmp_path / "empty.txt")
    assert done.returncode == 2 and "is a graph already built" in done.stderr, done.stderr
    with pytest.raises(kg.errors.OutputError, match="inside the corpus's news/ folder"):
        kg.build(SAMPLE, cache_dir=SAMPLE / "news" / "cache")
    assert not (SAMPLE / "news" / "cache").exists()
