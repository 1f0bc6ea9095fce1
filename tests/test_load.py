"""kg.load: a graph written by kg build reads back into the same graph."""

from __future__ import annotations

import dataclasses
import gzip
import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg.errors import LoadError
from kg.query.loader import load

DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).parents[1] / "examples" / "wcep-2015-09"
SMALL = DATA / "query-corpus"

# Every field a graph is compared on: the report holds diagnostics, which RDF does not carry.
MODEL_FIELDS = [f.name for f in dataclasses.fields(kg.KnowledgeGraph) if f.compare and f.name != "report"]


@pytest.fixture(scope="module")
def sample():
    return kg.build(SAMPLE)


@pytest.fixture(scope="module")
def small():
    return kg.build(SMALL, base_iri="http://example.org/kg#")


def _assert_same_graph(built, loaded):
    for name in MODEL_FIELDS:
        assert getattr(loaded, name) == getattr(built, name), name
    assert loaded.report.counts == kg.counts(built)


@pytest.mark.parametrize("name", ["graph.ttl", "graph.nt", "graph.ttl.gz", "graph.nt.gz"])
@pytest.mark.parametrize("corpus", ["sample", "small"])
def test_round_trip_gives_the_same_graph_and_the_same_bytes(corpus, name, request, tmp_path):
    built = request.getfixturevalue(corpus)
    first, second = tmp_path / name, tmp_path / f"again-{name}"
    kg.write(built, first)
    loaded = kg.load(first)
    _assert_same_graph(built, loaded)
    kg.write(loaded, second)
    assert second.read_bytes() == first.read_bytes()


@pytest.mark.parametrize("name", ["graph.nq", "graph.trig", "graph.nq.gz"])
@pytest.mark.parametrize("corpus", ["sample", "small"])
def test_a_dataset_loads_as_its_named_graph(corpus, name, request, tmp_path):
    """N-Quads and TriG hold the graph in a named graph and the build's description (VoID, PROV-O) in
    the default graph: the named graph is the graph read back (a load's provenance is its own)."""
    built = request.getfixturevalue(corpus)
    written = tmp_path / name.removesuffix(".gz")
    kg.write(built, written)
    if name.endswith(".gz"):
        (tmp_path / name).write_bytes(gzip.compress(written.read_bytes()))
    loaded = kg.load(tmp_path / name)
    _assert_same_graph(built, loaded)
    kg.write(built, tmp_path / "built.nt")
    kg.write(loaded, tmp_path / "loaded.nt")
    assert (tmp_path / "loaded.nt").read_bytes() == (tmp_path / "built.nt").read_bytes()


def test_small_corpus_exercises_what_the_sample_lacks(small):
    # without these the round trip above would not test images, external events or days without pages
    counts = kg.counts(small)
    assert counts["images"] > 0 and counts["external_events"] > 0
    assert any(day.page is None for day in small.days.values())


def test_day_labels_round_trip(small, tmp_path):
    kg.write_turtle(small, tmp_path / "g.ttl")
    assert kg.load(tmp_path / "g.ttl").days == small.days


def test_loaded_graph_answers_like_the_built_one(sample, tmp_path):
    kg.write_ntriples(sample, tmp_path / "g.nt")
    loaded = kg.load(tmp_path / "g.nt")
    query = "SELECT ?c (COUNT(?e) AS ?n) WHERE { ?e schema:about ?c } GROUP BY ?c ORDER BY ?c"
    assert kg.sparql_query(loaded, query).equals(kg.sparql_query(sample, query))
    assert kg.to_networkx(loaded).number_of_edges() == kg.to_networkx(sample).number_of_edges()


def test_base_iri_is_recovered_and_checked(small, tmp_path):
    kg.write_turtle(small, tmp_path / "g.ttl")
    assert load(tmp_path / "g.ttl").base_iri == "http://example.org/kg#"
    assert load(tmp_path / "g.ttl", base_iri="http://example.org/kg#").base_iri == "http://example.org/kg#"
    with pytest.raises(LoadError, match="base"):
        load(tmp_path / "g.ttl", base_iri="https://kg.example.org/news/")
    with pytest.raises(LoadError):
        load(tmp_path / "g.ttl", base_iri="not absolute/")


def test_empty_file_is_an_empty_graph(tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix kg: <https://w3id.org/kg-news/ontology#> .\n", encoding="utf-8")
    graph = load(empty, base_iri="http://example.org/")
    assert (len(graph.event_records), len(graph.days), graph.base_iri) == (0, 0, "http://example.org/")


def test_kg_build_and_load_stay_functions_whatever_is_imported_first(tmp_path):
    # A fresh process: the stage modules imported before the public names.
    script = ("from kg.query.loader import load; from kg.facts.build import build_graph; import kg.export.rdf; "
              "import kg, sys; g = kg.build(sys.argv[1]); kg.write_turtle(g, sys.argv[2]); "
              "assert kg.load(sys.argv[2]).event_records == g.event_records; print('ok')")
    proc = subprocess.run([sys.executable, "-c", script, str(SAMPLE), str(tmp_path / "g.ttl")],
                          capture_output=True, text=True, cwd=SAMPLE.parents[1])
    assert proc.stdout.strip() == "ok", proc.stderr


@pytest.mark.parametrize("name, message", [
    ("broken-syntax.ttl", "not valid"),
    ("non-utf8-prefix.ttl", "not valid"),
    ("not-a-kg-graph.ttl", "no kg:Event"),
    ("dangling-article.nt", "does not describe"),
    ("bad-event-path.nt", "not an event page path"),
    ("iri-not-minted-from-path.nt", "not an IRI that kg mints"),
    ("not-gzip.ttl.gz", "cannot read"),
    ("two-named-graphs.nq", "more than one named graph"),
])
def test_bad_files_raise_load_error_with_cause(name, message):
    with pytest.raises(LoadError, match=message) as caught:
        load(DATA / "load" / name)
    assert isinstance(caught.value, kg.KgError)


def test_missing_file_and_unknown_syntax(tmp_path):
    for missing in ("missing.ttl", "missing"):  # (not "cannot tell the format of 'missing'")
        with pytest.raises(LoadError, match=f"{missing}: no such file or folder$"):
            load(tmp_path / missing)
    (tmp_path / "graph.json").write_text("{}", encoding="utf-8")
    with pytest.raises(LoadError, match=r"cannot tell the format .* kg reads a graph\.kg\.json snapshot or one of"):
        load(tmp_path / "graph.json")


def test_truncated_gzip_is_a_load_error(sample, tmp_path):
    whole = tmp_path / "g.nt.gz"
    kg.write_ntriples(sample, whole)
    cut = tmp_path / "cut.nt.gz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(LoadError):
        load(cut)
    assert gzip.decompress(whole.read_bytes())  # the whole file itself is fine


def test_loading_closes_the_file_it_read(sample_turtle, sample_ntriples) -> None:
    # The raw stream the parsers read closed itself but not the file it wrapped.
    code = "import sys, kg; [kg.load(p) for p in sys.argv[1:]]"
    done = subprocess.run([sys.executable, "-W", "always::ResourceWarning", "-c", code, str(sample_turtle),
                           str(sample_ntriples)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "ResourceWarning" not in done.stderr, done.stderr


def test_a_folder_given_to_load_or_a_graph_to_build_says_what_to_do(sample_turtle: Path, tmp_path: Path) -> None:
    """kg.load(an output folder) named no file, kg.load(a corpus) and kg.build(a graph) did not point at the other."""
    folder = sample_turtle.parent
    with pytest.raises(LoadError, match=rf"is a folder; give one of the graphs written there: .*{sample_turtle.name}"):
        load(folder)
    with pytest.raises(LoadError, match=r"is a folder; kg\.load reads a graph file that kg build wrote"):
        load(tmp_path)
    with pytest.raises(LoadError, match=r"is a corpus folder: kg\.build\('.*wcep-2015-09'\) builds its graph"):
        load(SAMPLE)
    with pytest.raises(kg.CorpusNotFoundError, match="is a file, not a corpus folder: a graph that kg build wrote"):
        kg.build(sample_turtle)
    readme = Path(__file__).parents[1] / "README.md"
    with pytest.raises(kg.CorpusNotFoundError, match=r"is a file, not a corpus folder$"):
        kg.build(readme)
