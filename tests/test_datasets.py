"""N-Quads and TriG: the graph in its build's named graph, VoID and PROV beside it.

N-Triples, Turtle, N-Quads and TriG must hold the same triples, read by
rdflib, pyoxigraph and Debian's rapper alike; the description is SHACL-checked.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib

from tests.conftest import REPO
from tests.rdfcheck import RAPPER

SHAPES = REPO / "ontology" / "shapes.ttl"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
KG = rdflib.Namespace("https://w3id.org/kg-news/ontology#")

pytestmark = [  # rdflib's own parsers still use its deprecated ConjunctiveGraph API
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("datasets")
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", "examples/wcep-2015-09", "-o", str(where),
                           "--formats", "turtle,ntriples,nquads,trig", "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return where


def _plain(quads) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in quads}


def _ox_quads(path: Path, fmt: ox.RdfFormat) -> set[ox.Quad]:
    with open(path, "rb") as fh:
        return set(ox.parse(fh, fmt))


def _rapper_quads(path: Path, syntax: str) -> set[ox.Quad]:
    """What rapper reads, written back out by rapper as N-Quads and read with pyoxigraph."""
    assert RAPPER, "rapper is missing: `make test` installs raptor2-utils"
    proc = subprocess.run([RAPPER, "-q", "-i", syntax, "-o", "nquads", str(path)], capture_output=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return set(ox.parse(proc.stdout, ox.RdfFormat.N_QUADS))


def _triples(quads: set[ox.Quad], graph: ox.NamedNode | ox.DefaultGraph) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name == graph}


def _named_graph(quads: set[ox.Quad]) -> ox.NamedNode:
    names = {q.graph_name for q in quads} - {ox.DefaultGraph()}
    assert len(names) == 1, names
    return names.pop()  # type: ignore[return-value]


def _rdflib_triples(path: Path, fmt: str) -> set[ox.Triple]:
    """rdflib's reading, as pyoxigraph terms (rdflib's own N-Triples of it, read back)."""
    g = rdflib.Graph().parse(path, format=fmt)
    return _plain(ox.parse(g.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES))


def test_four_syntaxes_agree_triple_for_triple_in_three_parsers(out):
    nq = _ox_quads(out / "graph.nq", ox.RdfFormat.N_QUADS)
    name = _named_graph(nq)
    want = _triples(nq, name)
    assert want == _plain(_ox_quads(out / "graph.nt", ox.RdfFormat.N_TRIPLES)) and len(want) > 30_000
    assert _plain(_ox_quads(out / "graph.ttl", ox.RdfFormat.TURTLE)) == want
    trig = _ox_quads(out / "graph.trig", ox.RdfFormat.TRIG)
    assert trig == nq
    # rapper
    for path, syntax in ((out / "graph.nt", "ntriples"), (out / "graph.ttl", "turtle")):
        assert _triples(_rapper_quads(path, syntax), ox.DefaultGraph()) == want, syntax
    for path, syntax in ((out / "graph.nq", "nquads"), (out / "graph.trig", "trig")):
        assert _rapper_quads(path, syntax) == nq, syntax
    # rdflib
    assert _rdflib_triples(out / "graph.ttl", "turtle") == want
    assert _rdflib_triples(out / "graph.nt", "nt") == want
    for path, fmt in ((out / "graph.nq", "nquads"), (out / "graph.trig", "trig")):
        ds = rdflib.Dataset().parse(path, format=fmt)
        named = ds.graph(rdflib.URIRef(name.value))
        got = _plain(ox.parse(named.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES))
        assert got == want, fmt
        assert len(ds.default_graph) == len(_triples(nq, ox.DefaultGraph()))


def test_void_counts_the_named_graph(out):
    nq = _ox_quads(out / "graph.nq", ox.RdfFormat.N_QUADS)
    name = _named_graph(nq)
    data = _triples(nq, name)
    ds = rdflib.Dataset().parse(out / "graph.nq", format="nquads")
    meta = ds.default_graph
    dataset = rdflib.URIRef(name.value)
    assert (dataset, rdflib.RDF.type, VOID.Dataset) in meta
    assert int(meta.value(dataset, VOID.triples)) == len(data)
    assert int(meta.value(dataset, VOID.entities)) == len({t.subject for t in data})
    classes = {t.object.value for t in data if t.predicate.value == str(rdflib.RDF.type)}
    assert int(meta.value(dataset, VOID.classes)) == len(classes)
    assert int(meta.value(dataset, VOID.properties)) == len({t.predicate for t in data})
    events = {part for part in meta.objects(dataset, VOID.classPartition)
              if meta.value(part, VOID["class"]) == rdflib.URIRef("https://w3id.org/kg-news/ontology#Event")}
    assert [int(meta.value(p, VOID.entities)) for p in events] == [428]
    assert str(meta.value(dataset, rdflib.DCTERMS.license)).startswith("https://creativecommons.org/licenses/by-sa/")
    examples = set(meta.objects(dataset, VOID.exampleResource))
    assert examples and all(ox.NamedNode(str(e)) in {t.subject for t in data} for e in examples)


def test_prov_records_the_build(out):
    meta = rdflib.Dataset().parse(out / "graph.trig", format="trig").default_graph
    (activity,) = meta.subjects(rdflib.RDF.type, PROV.Activity)
    started = meta.value(activity, PROV.startedAtTime).toPython()
    ended = meta.value(activity, PROV.endedAtTime).toPython()
    assert started <= ended <= dt.datetime.now(dt.timezone.utc)
    options = {str(o) for o in meta.objects(activity, KG.option)}
    assert "formats=turtle,ntriples,nquads,trig" in options and "base=https://kg.example.org/news/" in options
    assert "fast_parse=true" in options  # (a flag as RDF writes one, not as Python: "True")
    assert int(meta.value(activity, KG.diagnostics)) == 0 and int(meta.value(activity, KG.pagesRead)) > 428
    # The corpus, by its name; no prov:atLocation, whose range is prov:Location, with a text.
    corpus = meta.value(activity, PROV.used)
    assert {KG.Corpus, PROV.Entity} <= set(meta.objects(corpus, rdflib.RDF.type))
    assert str(meta.value(corpus, rdflib.DCTERMS.title)) == "wcep-2015-09"
    assert not any(meta.triples((None, PROV.atLocation, None)))
    agent = meta.value(activity, PROV.wasAssociatedWith)
    import kg

    assert str(meta.value(agent, rdflib.DCTERMS.hasVersion)) == kg.__version__


def test_description_conforms_to_shapes(out):
    # The whole file, both graphs as one: the data and the description of it.
    graph = rdflib.Graph()
    for s, p, o, _ in rdflib.Dataset().parse(out / "graph.nq", format="nquads").quads((None, None, None, None)):
        graph.add((s, p, o))
    conforms, _, text = pyshacl.validate(graph, shacl_graph=rdflib.Graph().parse(SHAPES), inference="none")
    assert conforms, text
    # A description without its licence or counts does not conform.
    dataset = next(graph.subjects(rdflib.RDF.type, VOID.Dataset))
    graph.remove((dataset, rdflib.DCTERMS.license, None))
    graph.remove((dataset, VOID.triples, None))
    conforms, _, _ = pyshacl.validate(graph, shacl_graph=rdflib.Graph().parse(SHAPES), inference="none")
    assert not conforms


def test_the_named_graph_is_named_by_the_build(sample_graph):
    from kg.export.provenance import build_record
    from kg.export.quads import dataset_node
    from kg.iri import dataset_iri

    record = build_record(sample_graph)
    assert dataset_node(sample_graph).value == dataset_iri(sample_graph.base_iri, record.started, record.corpus)
    assert dt.datetime.now(dt.timezone.utc) - record.started < dt.timedelta(hours=1)


def test_builds_started_in_one_second_or_of_two_corpora_at_once_name_two_graphs(sample_graph):
    """Graphs were named by the second a build started: two corpora built at once, or one built twice in a
    second with other options, were one graph when loaded into one store (and CLEAR GRAPH dropped both)."""
    from dataclasses import replace

    from kg.export.provenance import build_record
    from kg.export.quads import dataset_node

    record = build_record(sample_graph)
    at = record.started.replace(microsecond=100)
    names = {dataset_node(replace(sample_graph, provenance=replace(record, started=started, corpus=corpus))).value
             for started in (at, at + dt.timedelta(microseconds=1)) for corpus in ("wcep-2015-09", "wcep-2026")}
    assert len(names) == 4 and all(name.startswith(sample_graph.base_iri + "graph/wcep-20") for name in names)


def test_a_store_loaded_with_graph_nq_answers_from_the_union_of_its_graphs_as_readme_says(out):
    """README: a store that queries its default graph alone (Oxigraph, as Jena) finds none of the graph in a
    loaded graph.nq but its description; the union of the graphs is the graph."""
    store = ox.Store()
    store.bulk_load(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    events = "SELECT (COUNT(*) AS ?n) { ?e a <http://schema.org/Event> }"
    assert next(iter(store.query(events)))["n"].value == "0"
    union = next(iter(store.query(events, use_default_graph_as_union=True)))["n"].value
    typed = {t.subject for t in ox.parse(path=str(out / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
             if t.predicate.value.endswith("#type") and t.object.value == "http://schema.org/Event"}
    assert int(union) == len(typed) >= 428
