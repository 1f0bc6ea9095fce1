"""The written graph in real triple stores: Virtuoso and Oxigraph give the same answers.

Virtuoso 7 keeps the backslash of an escaped Turtle local name inside the
IRI; kg writes such names whole, so graph.ttl and graph.nt load into the same
triples there, and schema.org queries answer as pyoxigraph does.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg
from tests.virtuoso import Virtuoso

PREFIXES = """\
PREFIX schema: <http://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

BASE = kg.DEFAULT_BASE_IRI

#: name -> a SELECT over the graph, in schema.org terms only
QUERIES = {
    "events": "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a schema:Event }",
    "every event": "SELECT ?e ?name ?date WHERE { ?e a schema:Event ; schema:name ?name ; schema:startDate ?date }",
    "contexts": """SELECT ?c ?name (COUNT(DISTINCT ?e) AS ?n) WHERE {
                     ?e a schema:Event ; schema:about ?c . ?c schema:name ?name } GROUP BY ?c ?name""",
    "top contexts": """SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e schema:about ?c }
                       GROUP BY ?c ORDER BY DESC(?n) LIMIT 10""",
    "events about Syria in September": """SELECT ?e ?name WHERE {
        ?e schema:about ?c ; schema:name ?name ; schema:startDate ?d . ?c schema:name "Syria" .
        FILTER (?d >= "2015-09-01"^^xsd:date && ?d < "2015-10-01"^^xsd:date) }""",
    # An IRI that Turtle could only abbreviate with escapes ("%28", "/").
    "events about a context named by IRI": f"""SELECT ?e ?d WHERE {{
        ?e schema:about <{BASE}context/Kim_Davis_%28county_clerk%29> ; schema:startDate ?d .
        FILTER (?d >= "2015-09-01"^^xsd:date && ?d < "2015-10-01"^^xsd:date) }}""",
    "publishers of a context's events": """SELECT DISTINCT ?p ?pname WHERE {
        ?e schema:about ?c . ?c schema:name "United States" .
        ?e schema:subjectOf ?a . ?a schema:publisher ?p . ?p schema:name ?pname }""",
}


def _oxigraph_rows(store: ox.Store, query: str) -> Counter:
    solutions = store.query(PREFIXES + query)
    names = [v.value for v in solutions.variables]
    return Counter(tuple(_ox_value(s[v]) for v in names) for s in solutions)


def _ox_value(term: ox.NamedNode | ox.Literal | None) -> tuple[str, str] | None:
    if term is None:
        return None
    return ("uri" if isinstance(term, ox.NamedNode) else "literal", term.value)


def _virtuoso_rows(server: Virtuoso, graph: str, query: str) -> Counter:
    query = PREFIXES + query.replace("WHERE", f"FROM <{graph}> WHERE", 1)
    names, bindings = server.select(query)
    return Counter(tuple(_json_value(b.get(v)) for v in names) for b in bindings)


def _json_value(term: dict[str, str] | None) -> tuple[str, str] | None:
    if term is None:
        return None
    return ("uri" if term["type"] == "uri" else "literal", term["value"])


@pytest.fixture(scope="module")
def written(sample_graph, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("store-data")
    kg.write_turtle(sample_graph, out / "graph.ttl")
    kg.write_ntriples(sample_graph, out / "graph.nt")
    kg.write(sample_graph, out / "graph.nq")
    return out


def test_turtle_has_no_escaped_local_name(written):
    text = (written / "graph.ttl").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\S)\w+:\S*\\[_~.\-!$&'()*+,;=/?#@%]", text)
    assert f"<{BASE}event/2015-09-01/" in text  # events are written whole ...
    assert "\ncontext:Iran " in text  # ... names that need no escape keep their prefix


@pytest.mark.slow
def test_virtuoso_reads_turtle_ntriples_and_nquads_as_oxigraph_does(written, sample_graph, tmp_path):
    store = ox.Store()
    with open(written / "graph.ttl", "rb") as fh:
        store.bulk_load(fh, ox.RdfFormat.TURTLE)
    want = {name: _oxigraph_rows(store, q) for name, q in QUERIES.items()}
    assert want["events"] == Counter({(("literal", "428"),): 1})
    assert sum(want["events about a context named by IRI"].values()) > 0
    assert any("%" in p[1] for p, _ in want["publishers of a context's events"])

    from kg.export.quads import dataset_node

    with Virtuoso(tmp_path, written) as server:
        server.load("graph.ttl", "urn:kg:ttl")
        server.load("graph.nt", "urn:kg:nt")
        server.load("graph.nq", "urn:kg:nq-default")  # keeps its own named graph
        for graph in ("urn:kg:ttl", "urn:kg:nt", dataset_node(sample_graph).value):
            _, count = server.select(f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}")
            assert int(count[0]["n"]["value"]) == len(store), graph
        # The two files give exactly the same triples: none only in the Turtle.
        _, only_ttl = server.select("""SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:kg:ttl> { ?s ?p ?o }
                                    FILTER NOT EXISTS { GRAPH <urn:kg:nt> { ?s ?p ?o } } }""")
        assert only_ttl[0]["n"]["value"] == "0"
        named = dataset_node(sample_graph).value
        for graph in ("urn:kg:ttl", "urn:kg:nt", named):
            for name, query in QUERIES.items():
                assert _virtuoso_rows(server, graph, query) == want[name], (graph, name)


def test_whole_iri_rewrite_keeps_every_triple():
    """Random names and literals (with backslashes, quotes, look-alike prefixed names) survive the rewrite."""
    import io

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from kg.export.prefixes import output_prefixes
    from kg.export.rdf import serialize_rdf
    from kg.iri import context_iri, publisher_iri

    prefixes = output_prefixes(BASE)
    name = st.text(min_size=1, max_size=30)
    text = st.one_of(st.text(max_size=40), name.map(lambda n: f"see context:{n}\\/x and \"q\" \\ end"))

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.tuples(name, name, text), min_size=1, max_size=8))
    def check(rows):
        triples = []
        for ctx, pub, lit in rows:
            c, p = ox.NamedNode(context_iri(BASE, ctx)), ox.NamedNode(publisher_iri(BASE, pub))
            triples += [ox.Triple(c, ox.NamedNode("http://schema.org/name"), ox.Literal(lit)),
                        ox.Triple(p, ox.NamedNode("http://schema.org/about"), c)]
        out = io.BytesIO()
        serialize_rdf(triples, out, ox.RdfFormat.TURTLE, prefixes)
        data = out.getvalue()
        back = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, ox.RdfFormat.TURTLE)}
        assert back == set(triples)
        outside_literals = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', data.decode())
        assert not re.search(r"\\[_~.\-!$&'()*+,;=/?#@%]", outside_literals), outside_literals

    check()
