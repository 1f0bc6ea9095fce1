"""kg writes its Turtle and N-Triples as text: the bytes pyoxigraph writes from ``kg.triples``.

The reference is pyoxigraph's serializer (:func:`kg.export.rdf.serialize_rdf`) given
the triple stream every other output reads; the text writer reads the same emitters
with terms that are their own spelling.  Both are checked whole, kind by kind and
part by part on the three corpora, and each spelling rule against pyoxigraph on
generated terms.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import kg
from kg.export.prefixes import output_prefixes
from kg.export.rdf import serialize_graph, serialize_rdf
from kg.export.rdftext import write_graph_text
from kg.export.spelling import Spelling
from kg.export.triples import EMITTERS, graph_triples, kind_size

REPO = Path(__file__).resolve().parent.parent
CORPORA = {
    "sample": REPO / "examples" / "wcep-2015-09",
    "2026": REPO / "examples" / "wcep-2026-05-to-2026-08",
    "hostile": REPO / "tests" / "data" / "hostile",
}
FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}

#: One worker builds each corpus once.
pytestmark = pytest.mark.xdist_group("rdf-text")


@pytest.fixture(scope="module", params=sorted(CORPORA))
def graph(request: pytest.FixtureRequest) -> kg.KnowledgeGraph:
    return kg.build(CORPORA[request.param])


def _prefixes(fmt: ox.RdfFormat, g: kg.KnowledgeGraph) -> dict[str, str] | None:
    return output_prefixes(g.base_iri) if fmt == ox.RdfFormat.TURTLE else None


def _ours(g: kg.KnowledgeGraph, fmt: ox.RdfFormat, kinds: tuple[str, ...] | None = None,
          part: slice | None = None) -> bytes:
    buf = io.BytesIO()
    write_graph_text(g, buf, fmt, _prefixes(fmt, g), kinds, part)
    return buf.getvalue()


def _pyoxigraphs(g: kg.KnowledgeGraph, fmt: ox.RdfFormat, kinds: tuple[str, ...] | None = None,
                 part: slice | None = None) -> bytes:
    buf = io.BytesIO()
    serialize_rdf(graph_triples(g, kinds, part), buf, fmt, _prefixes(fmt, g))
    return buf.getvalue()


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=FORMATS.keys())
def test_the_whole_graph_is_pyoxigraphs_bytes(graph: kg.KnowledgeGraph, fmt: ox.RdfFormat) -> None:
    ours = _ours(graph, fmt)
    assert ours == _pyoxigraphs(graph, fmt)
    assert len(ours.splitlines()) > 1000


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=FORMATS.keys())
def test_each_kind_and_part_is_pyoxigraphs_bytes(graph: kg.KnowledgeGraph, fmt: ox.RdfFormat) -> None:
    # The parallel writer and the incremental splice write kinds and slices of them apart.
    for kind in EMITTERS:
        assert _ours(graph, fmt, (kind,)) == _pyoxigraphs(graph, fmt, (kind,)), kind
        n = kind_size(graph, kind)
        for part in (slice(0, 1), slice(n // 3, n // 2), slice(n - 2, n)):
            assert _ours(graph, fmt, (kind,), part) == _pyoxigraphs(graph, fmt, (kind,), part), (kind, part)


def test_a_part_with_no_statement_writes_nothing(graph: kg.KnowledgeGraph) -> None:
    # Not even the prefixes: the parallel writer joins parts and takes the header of the first with any.
    assert _ours(graph, ox.RdfFormat.TURTLE, ("events",), slice(0, 0)) == b""
    assert _ours(graph, ox.RdfFormat.TURTLE, ("events",), slice(0, 1)).startswith(b"@prefix ")


def test_serialize_graph_writes_other_formats_through_pyoxigraph(graph: kg.KnowledgeGraph) -> None:
    buf = io.BytesIO()
    serialize_graph(graph, buf, ox.RdfFormat.RDF_XML, None, ("days",))
    assert len(list(ox.parse(buf.getvalue(), ox.RdfFormat.RDF_XML))) == sum(1 for _ in kg.triples(graph, "days"))


QUAD_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


@pytest.mark.parametrize("fmt", QUAD_FORMATS.values(), ids=QUAD_FORMATS.keys())
def test_trig_and_nquads_are_pyoxigraphs_bytes_of_the_quads(graph: kg.KnowledgeGraph, fmt: ox.RdfFormat,
                                                            tmp_path: Path) -> None:
    """TriG and N-Quads went through pyoxigraph's values (2.1-2.3 s at 1,888 events); the graph's named
    graph is now written as text: the file is pyoxigraph's bytes of the quads, description and all."""
    from kg.export.provenance import settled
    from kg.export.quads import graph_quads
    from kg.namespace import VOID

    g = settled(graph)  # (one build time: the graph's name and its description are made of it)
    kg.write(g, tmp_path / "graph", {ox.RdfFormat.TRIG: "trig", ox.RdfFormat.N_QUADS: "nquads"}[fmt])
    prefixes = {**output_prefixes(g.base_iri), VOID.prefix: VOID.iri} if fmt == ox.RdfFormat.TRIG else None
    buf = io.BytesIO()
    serialize_rdf(graph_quads(g), buf, fmt, prefixes)
    assert (tmp_path / "graph").read_bytes() == buf.getvalue()
    assert len(buf.getvalue().splitlines()) > 1000


def test_the_void_counts_are_those_of_the_triples(graph: kg.KnowledgeGraph) -> None:
    """The description counts over the statements' text now: the same numbers as over pyoxigraph's terms."""
    from collections import Counter

    from kg.export.void import void_triples
    from kg.namespace import RDF, VOID

    dataset = ox.NamedNode("https://x.org/graph/x")
    said = {(t.subject, t.predicate): t.object for t in void_triples(graph, dataset)}
    triples = list(kg.triples(graph))
    assert int(said[dataset, VOID.triples].value) == len(triples)
    assert int(said[dataset, VOID.distinctSubjects].value) == len({t.subject for t in triples})
    assert int(said[dataset, VOID.distinctObjects].value) == len({t.object for t in triples})
    assert int(said[dataset, VOID.properties].value) == len({t.predicate for t in triples})
    members = Counter(t.object.value for t in set(triples) if t.predicate == RDF.type)
    parts = {said[part, VOID["class"]].value: int(said[part, VOID.entities].value)
             for (part, predicate) in said if predicate == VOID["class"]}
    assert parts == members and int(said[dataset, VOID.classes].value) == len(members)
    uses = Counter(t.predicate.value for t in triples)
    assert {said[part, VOID.property].value: int(said[part, VOID.triples].value)
            for (part, predicate) in said if predicate == VOID.property} == uses


# ---------------------------------------------------------------- each term against pyoxigraph

NAMESPACES = {"x": "http://x.org/", "xa": "http://x.org/a", "h": "http://x.org/h#", "u": "urn:x:",
              "xsd": "http://www.w3.org/2001/XMLSchema#"}
S, P = ox.NamedNode("urn:s"), ox.NamedNode("urn:p")
# Characters each rule tells apart: plain, only at some places, escaped, none at all.
SPECIAL = list("aZ09_-.:%~!$&'()*+,;=/?#@\u00b7\u0300\u00e9\u00d7\u037e\u2028\u203f\u3000\u20ac|^{}`\\ \"<>"
               "\U0001f600\ufffd\u200c")


def _written(obj: ox.NamedNode | ox.Literal, prefixes: dict[str, str] | None) -> str:
    fmt = ox.RdfFormat.N_TRIPLES if prefixes is None else ox.RdfFormat.TURTLE
    buf = io.BytesIO()
    serialize_rdf([ox.Triple(S, P, obj)], buf, fmt, prefixes)
    return buf.getvalue().decode().rstrip("\n").split("\n")[-1]  # (not splitlines: a term may hold U+0085)


def _spelt(term: str, prefixes: dict[str, str] | None) -> str:
    spelling = Spelling("https://kg.example.org/", prefixes)
    return f"{spelling.iri(S.value)} {spelling.iri(P.value)} {term} ."


@settings(max_examples=400, deadline=None)
@given(namespace=st.sampled_from(sorted(NAMESPACES.values())),
       local=st.text(st.one_of(st.sampled_from(SPECIAL), st.characters(codec="utf-8")), max_size=8),
       turtle=st.booleans())
@example(namespace="http://x.org/a", local="\u00b7b", turtle=True)  # no local name after "xa:": "x:a·b"
@example(namespace="http://x.org/", local="Va.", turtle=True)  # escaped, so written whole
@example(namespace="http://x.org/", local="", turtle=True)
def test_an_iri_is_spelt_as_pyoxigraph_writes_it(namespace: str, local: str, turtle: bool) -> None:
    value = namespace + local
    try:
        node = ox.NamedNode(value)
    except ValueError:
        assume(False)
    prefixes = NAMESPACES if turtle else None
    assert _spelt(Spelling("https://kg.example.org/", prefixes).iri(value), prefixes) == _written(node, prefixes)


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.one_of(st.sampled_from(SPECIAL + list("\b\t\n\f\r\x00\x1f\x7f\ufffe\uffff")),
                              st.characters(codec="utf-8"))),
       turtle=st.booleans())
def test_a_string_is_quoted_as_pyoxigraph_quotes_it(text: str, turtle: bool) -> None:
    prefixes = NAMESPACES if turtle else None
    spelling = Spelling("https://kg.example.org/", prefixes)
    assert _spelt(spelling.literal(text), prefixes) == _written(ox.Literal(text), prefixes)
    anyuri = ox.Literal(text, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#anyURI"))
    assert _spelt(spelling.uri(text), prefixes) == _written(anyuri, prefixes)


@settings(max_examples=100, deadline=None)
@given(value=st.integers(), day=st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), turtle=st.booleans())
def test_typed_literals_are_written_as_pyoxigraph_writes_them(value: int, day: dt.date, turtle: bool) -> None:
    prefixes = NAMESPACES if turtle else None
    spelling = Spelling("https://kg.example.org/", prefixes)
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert _spelt(spelling.integer(value), prefixes) == _written(
        ox.Literal(str(value), datatype=ox.NamedNode(xsd + "integer")), prefixes)
    assert _spelt(spelling.date(day), prefixes) == _written(
        ox.Literal(day.isoformat(), datatype=ox.NamedNode(xsd + "date")), prefixes)
    assert _spelt(spelling.true, prefixes) == _written(ox.Literal(True), prefixes)
    assert _spelt(spelling.false, prefixes) == _written(ox.Literal(False), prefixes)


def test_a_string_that_is_no_iri_is_a_bug_not_text() -> None:
    # pyoxigraph refused such a value; kg mints every IRI it writes, so one is a bug, not bad data.
    with pytest.raises(AssertionError, match="not an IRI"):
        Spelling("https://kg.example.org/", NAMESPACES).iri("http://x.org/a b")


# ---------------------------------------------------------------- what the writer refuses, as kg.triples does

@pytest.fixture(scope="module")
def sample() -> kg.KnowledgeGraph:
    return kg.build(CORPORA["sample"])


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=FORMATS.keys())
@pytest.mark.parametrize("base", ["https://x.org/%zz/", "no-scheme/", "https://x.org/[x]/"])
def test_a_graph_whose_base_is_no_iri_is_refused_not_written(sample: kg.KnowledgeGraph, fmt: ox.RdfFormat,
                                                            base: str) -> None:
    # kg.build checks the base; a graph made otherwise may hold any, and pyoxigraph refused its IRIs.
    from dataclasses import replace

    from kg.errors import InvalidBaseIriError

    with pytest.raises(InvalidBaseIriError):
        serialize_graph(replace(sample, base_iri=base), io.BytesIO(), fmt, _prefixes(fmt, sample))


@pytest.mark.parametrize("name", ["graph.graphml", "graph.gexf", "graph.html", "graph.kg.json", "networkx"])
def test_the_other_outputs_refuse_a_base_that_is_no_iri_too(sample: kg.KnowledgeGraph, tmp_path: Path,
                                                             name: str) -> None:
    """They wrote node ids such as ``x yevent/...`` (and a snapshot that kg.load then refused)."""
    from dataclasses import replace

    from kg.errors import InvalidBaseIriError

    graph = replace(sample, base_iri="x y")
    with pytest.raises(InvalidBaseIriError):
        kg.to_networkx(graph) if name == "networkx" else kg.write(graph, tmp_path / name)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=FORMATS.keys())
def test_kinds_and_parts_are_checked_as_kg_triples_checks_them(sample: kg.KnowledgeGraph, fmt: ox.RdfFormat) -> None:
    from kg.errors import ArgumentError, ArgumentTypeError

    prefixes = _prefixes(fmt, sample)
    for kinds, part in ((("nope",), None), ("", None), (None, slice(0, 1)), (("days", "events"), slice(0, 1))):
        with pytest.raises(ArgumentError):
            serialize_graph(sample, io.BytesIO(), fmt, prefixes, kinds, part)
    with pytest.raises(ArgumentTypeError, match=r"kg\.load"):
        serialize_graph("out/graph.kg.json", io.BytesIO(), fmt, prefixes)  # type: ignore[arg-type]
    one = io.BytesIO()
    serialize_graph(sample, one, fmt, prefixes, "days", slice(0, 1))  # (a kind's name alone, as kg.triples takes it)
    assert one.getvalue() == _pyoxigraphs(sample, fmt, ("days",), slice(0, 1))


@pytest.mark.parametrize("prefixes", [{"é": "http://x.org/"}, {"a": "http://x.org/", "b": "http://x.org/"}])
def test_prefixes_unlike_kgs_are_refused(prefixes: dict[str, str]) -> None:
    # (pyoxigraph and kg's whole-IRI rewrite would spell these otherwise: an ASCII name, a namespace each)
    from kg.errors import ArgumentError

    with pytest.raises(ArgumentError, match="ASCII names"):
        Spelling("https://kg.example.org/", prefixes)
