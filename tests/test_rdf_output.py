"""The written RDF: independent parsers agree, SHACL shapes hold, bytes are stable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib

import kg
from tests.conftest import REPO, SAMPLE
from tests.rdfcheck import pyoxigraph_count, rapper_count, rdflib_graph

SHAPES = REPO / "ontology" / "shapes.ttl"


def test_turtle_parsers_agree(sample_turtle, sample_graph):
    expected = sum(1 for _ in kg.triples(sample_graph))
    assert len(rdflib_graph(sample_turtle, "turtle")) == expected
    assert pyoxigraph_count(sample_turtle, ox.RdfFormat.TURTLE) == expected
    assert rapper_count(sample_turtle, "turtle") == expected


def test_ntriples_parsers_agree(sample_ntriples, sample_turtle):
    n = pyoxigraph_count(sample_turtle, ox.RdfFormat.TURTLE)
    assert rapper_count(sample_ntriples, "ntriples") == n
    assert len(rdflib_graph(sample_ntriples, "nt")) == n
    assert sum(1 for _ in sample_ntriples.open(encoding="utf-8")) == n


def test_gzip_output(sample_graph, tmp_path):
    out = tmp_path / "graph.ttl.gz"
    kg.write_turtle(sample_graph, out)
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    assert pyoxigraph_count(out, ox.RdfFormat.TURTLE) == sum(1 for _ in kg.triples(sample_graph))
    again = tmp_path / "again.ttl.gz"
    kg.write_turtle(sample_graph, again)
    assert again.read_bytes() == out.read_bytes()


def _validate(graph: rdflib.Graph) -> tuple[bool, str, set[str]]:
    shapes = rdflib.Graph().parse(SHAPES)
    conforms, results, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    paths = {str(p) for p in results.objects(None, sh.resultPath)}
    return conforms, text, paths


def test_output_conforms_to_shapes(sample_turtle):
    conforms, text, _ = _validate(rdflib_graph(sample_turtle, "turtle"))
    assert conforms, text


def test_shapes_catch_a_broken_graph(sample_turtle):
    graph = rdflib.Graph().parse(sample_turtle)
    schema = rdflib.Namespace("http://schema.org/")
    event = next(graph.subjects(rdflib.RDF.type, schema.Event))
    graph.remove((event, schema.name, None))
    article = next(graph.subjects(rdflib.RDF.type, schema.NewsArticle))
    graph.remove((article, schema.publisher, None))
    kg_ns = rdflib.Namespace("https://w3id.org/kg-news/ontology#")
    # A publisher name that resolves to no maker, and one with two distributors.
    publishers = list(graph.subjects(rdflib.RDF.type, kg_ns.Publisher))
    graph.remove((publishers[0], kg_ns.madeBy, None))
    organizations = list(graph.subjects(rdflib.RDF.type, kg_ns.Organization))
    graph.add((publishers[1], kg_ns.distributedBy, organizations[0]))
    graph.add((publishers[1], kg_ns.distributedBy, organizations[1]))
    conforms, text, paths = _validate(graph)
    assert not conforms
    assert paths == {"http://schema.org/name", "http://schema.org/publisher",
                     str(kg_ns.madeBy), str(kg_ns.distributedBy)}, text


def test_same_input_same_bytes_across_processes(tmp_path):
    script = ("import kg, sys; g = kg.build(sys.argv[1]); kg.write_turtle(g, sys.argv[2]); "
              "kg.write_ntriples(g, sys.argv[3])")
    outs = []
    for run in range(2):
        ttl, nt = tmp_path / f"{run}.ttl", tmp_path / f"{run}.nt"
        # Different hash seeds: no output may depend on set or dict hashing order.
        env = {"PYTHONHASHSEED": str(run + 1), "PATH": "/usr/bin:/bin"}
        subprocess.run([sys.executable, "-c", script, str(SAMPLE), str(ttl), str(nt)],
                       check=True, cwd=REPO, env=env)
        outs.append((ttl.read_bytes(), nt.read_bytes()))
    assert outs[0] == outs[1]


def test_base_iri_is_used(tmp_path):
    import kg

    g = kg.build(SAMPLE, base_iri="urn:example:news/")
    out = tmp_path / "g.nt"
    kg.write_ntriples(g, out)
    subjects = {line.split(" ", 1)[0] for line in out.read_text(encoding="utf-8").splitlines()}
    assert all(s.startswith("<urn:example:news/") for s in subjects)


@pytest.mark.parametrize("bad", ["example.org/", "http://x.org/no-slash", "http://x.org/a b/"])
def test_bad_base_iri_is_refused(bad):
    import kg
    from kg.iri import InvalidBaseIriError

    with pytest.raises(InvalidBaseIriError):
        kg.build(SAMPLE, base_iri=bad)


def test_golden_example_page(tmp_path):
    """example-event.md as a one-page corpus gives the graph a person checked."""
    import kg
    from tests.rdfcheck import isomorphism_diff

    corpus = Path(__file__).parent / "data" / "golden" / "example-corpus"
    g = kg.build(corpus, base_iri="https://kg.example.org/news/")
    out = tmp_path / "graph.ttl"
    kg.write_turtle(g, out)
    want = rdflib.Graph().parse(Path(__file__).parent / "data" / "golden" / "example-event.ttl")
    got = rdflib.Graph().parse(out)
    diff = isomorphism_diff(got, want)
    assert not diff, diff
    assert kg.counts(g)["external_events"] == 10
    # (a corpus of one event page: no day page lists it)
    assert [d.code for d in g.report.diagnostics] == ["unlisted-event"] + ["unresolved-link"] * 10
