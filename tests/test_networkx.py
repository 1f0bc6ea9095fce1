"""kg.export.nx and GraphML: typed graphs that give the answers SPARQL gives."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg import iri
from kg.export.graphml import LIST_SEPARATOR
from kg.export.nx import EDGE_TYPES, NODE_TYPES, context_projection, event_chain, event_projection
from kg.read.paths import parse_page_path

SAMPLE = Path(__file__).parents[1] / "examples" / "wcep-2015-09"
SMALL = Path(__file__).parent / "data" / "query-corpus"
SAMPLES = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))["samples"]


@pytest.fixture(scope="module")
def g():
    return kg.build(SAMPLE)


@pytest.fixture(scope="module")
def G(g):
    return kg.to_networkx(g)


def _of_type(G, kind):
    return [n for n, t in G.nodes(data="type") if t == kind]


def _edges(G, kind):
    return [(u, v, d) for u, v, d in G.edges(data=True) if d["type"] == kind]


def test_nodes_and_edges_are_typed_and_counted(g, G):
    assert isinstance(G, nx.MultiDiGraph)
    nodes = Counter(t for _, t in G.nodes(data="type"))
    counts = kg.counts(g)
    assert set(nodes) <= set(NODE_TYPES)
    assert nodes["event"] == counts["events"] + counts["external_events"]
    assert (nodes["day"], nodes["article"], nodes["publisher"], nodes["organization"], nodes["context"]) == (
        counts["days"], counts["sources"], counts["publishers"], counts["organizations"], counts["contexts"])
    edges = Counter(t for *_, t in G.edges(data="type"))
    assert set(edges) <= set(EDGE_TYPES)
    assert edges["related-to"] == counts["related_links"]
    assert edges["has-context"] == counts["event_context_pairs"]
    assert edges["shares-context"] == counts["shared_context_pairs"]
    assert edges["cites"] == counts["source_citations"]
    assert (edges["made-by"], edges["distributed-by"]) == (counts["made_by"], counts["distributed_by"])
    assert all(d["label"] for _, d in G.nodes(data=True))


def test_node_ids_are_the_iris_sparql_returns(g, G):
    df = kg.sparql_query(g, "SELECT ?x WHERE { { ?x a kg:Event } UNION { ?x a kg:Context } UNION { ?x a kg:Day } "
                  "UNION { ?x a kg:SourceArticle } UNION { ?x a kg:Publisher } UNION { ?x a kg:Organization } "
                  "UNION { ?x a kg:Image } }")
    assert set(df["x"]) == set(G.nodes)


def test_node_data(g, G):
    key = parse_page_path(SAMPLES[0]["path"]).key
    event = G.nodes[iri.event_iri(g.base_iri, key)]
    assert (event["type"], event["date"], event["path"], event["in_corpus"]) == ("event", key.date, key.path, True)
    assert event["label"] == SAMPLES[0]["headline"]
    url = SAMPLES[0]["sources"][0]["url"]
    article = G.nodes[iri.article_iri(g.base_iri, url)]
    assert (article["type"], article["url"]) == ("article", url)
    context = G.nodes[iri.context_iri(g.base_iri, "Iran")]
    assert (context["label"], context["url"]) == ("Iran", "https://en.wikipedia.org/wiki/Iran")


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s["id"])
def test_publishers_of_an_event_networkx_sparql_and_truth_agree(g, G, sample):
    event = iri.event_iri(g.base_iri, parse_page_path(sample["path"]).key)
    by_nx = {G.nodes[p]["label"] for a in G.successors(event) if G.nodes[a]["type"] == "article"
             for p in G.successors(a) if G.nodes[p]["type"] == "publisher"}
    df = kg.sparql_query(g, f"SELECT ?n WHERE {{ <{event}> schema:subjectOf/schema:publisher/schema:name ?n }}")
    assert by_nx == set(df["n"]) == {s["name"] for s in sample["sources"]}


def test_events_per_context_networkx_and_sparql_agree(g, G):
    by_nx = {G.nodes[c]["label"]: G.in_degree(c) for c in _of_type(G, "context")}
    df = kg.sparql_query(g, "SELECT ?name (COUNT(?e) AS ?n) WHERE { ?e schema:about ?c . ?c schema:name ?name } "
                      "GROUP BY ?name")
    assert by_nx == dict(zip(df["name"], df["n"].tolist(), strict=True))


def test_event_projection_weights_match_sparql(g):
    P = event_projection(g)
    df = kg.sparql_query(g, """SELECT ?a ?b (COUNT(?c) AS ?w) WHERE {
        ?a schema:about ?c ; kg:inCorpus true . ?b schema:about ?c ; kg:inCorpus true .
        FILTER(STR(?a) < STR(?b)) } GROUP BY ?a ?b""")
    expected = {frozenset((a, b)): w for a, b, w in zip(df["a"], df["b"], df["w"].tolist(), strict=True)}
    assert {frozenset((a, b)): d["weight"] for a, b, d in P.edges(data=True)} == expected
    assert all(d["weight"] == len(d["contexts"]) for *_, d in P.edges(data=True))


def test_event_projection_via_related_is_the_shares_context_edges(g, G):
    P = event_projection(g, via="related")
    shared = {frozenset((u, v)): d["weight"] for u, v, d in _edges(G, "shares-context")}
    assert {frozenset((a, b)): d["weight"] for a, b, d in P.edges(data=True)} == shared
    with pytest.raises(ValueError):
        event_projection(g, via="nonsense")


def test_hub_contexts_can_be_left_out_of_the_projection(g):
    sizes = Counter(c for cs in g.event_contexts.values() for c in cs)
    cap = sorted(sizes.values())[-5]
    P = event_projection(g, max_events_per_context=cap)
    hubs = {c for c, n in sizes.items() if n > cap}
    assert hubs
    assert not any(hubs & set(d["contexts"]) for *_, d in P.edges(data=True))
    assert P.number_of_edges() < event_projection(g).number_of_edges()


def test_context_projection_matches_sparql_co_occurrence(g):
    C = context_projection(g)
    df = kg.sparql_query(g, """SELECT ?a ?b (COUNT(DISTINCT ?e) AS ?w) WHERE {
        ?e schema:about ?a, ?b ; kg:inCorpus true . FILTER(STR(?a) < STR(?b)) } GROUP BY ?a ?b""")
    expected = {frozenset((a, b)): w for a, b, w in zip(df["a"], df["b"], df["w"].tolist(), strict=True)}
    assert {frozenset((a, b)): d["weight"] for a, b, d in C.edges(data=True)} == expected
    assert {C.nodes[c]["label"]: C.nodes[c]["events"] for c in C} == {
        n: len(kg.events(g, context=n)) for n in g.contexts}


def test_event_chain_is_a_shortest_chain(g):
    P = event_projection(g)
    chain = event_chain(g, "Iran", "Hungary", projection=P)
    assert "Iran" in P.nodes[chain[0]]["contexts"] and "Hungary" in P.nodes[chain[-1]]["contexts"]
    assert all(P.has_edge(a, b) for a, b in itertools.pairwise(chain))
    # same length as networkx finds between the two sets of events
    H = P.copy()
    H.add_edges_from(("start", n) for n in P if "Iran" in P.nodes[n]["contexts"])
    H.add_edges_from((n, "end") for n in P if "Hungary" in P.nodes[n]["contexts"])
    assert len(chain) == nx.shortest_path_length(H, "start", "end") - 1
    with pytest.raises(kg.UnknownNameError, match="no context or event 'Hungry'") as caught:  # not an empty chain
        event_chain(g, "Iran", "Hungry")
    assert "Hungary" in caught.value.suggestions
    assert event_chain(g, "iran", "hungary") == chain == kg.event_chain(g, "context:Iran", "Hungary")
    assert len(event_chain(g, "Iran", "Iran")) == 1


def test_small_corpus_images_days_and_external_events():
    small = kg.build(SMALL)
    G = kg.to_networkx(small)
    assert len(_edges(G, "has-image")) == sum(len(e.images) for e in small.event_records.values()) > 0
    on_day = {u for u, _, _ in _edges(G, "on-day")}
    assert on_day == {iri.event_iri(small.base_iri, e.key) for e in small.events_in_corpus}
    external = [n for n in _of_type(G, "event") if not G.nodes[n]["in_corpus"]]
    assert len(external) == len(small.external_events) > 0
    ranks = [d["rank"] for *_, d in _edges(G, "lists-event")]
    assert ranks == list(range(1, len(ranks) + 1))


def test_graphml_round_trip(g, tmp_path):
    path = tmp_path / "graph.graphml"
    kg.write(g, path)
    back = nx.read_graphml(path, force_multigraph=True)
    G = kg.to_networkx(g)
    assert (back.number_of_nodes(), back.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    key = next(k for k, cs in g.event_contexts.items() if len(cs) > 1)
    node = iri.event_iri(g.base_iri, key)
    assert back.nodes[node]["contexts"].split(LIST_SEPARATOR) == list(g.event_contexts[key])
    assert back.nodes[node]["date"] == key.date.isoformat()
    assert Counter(t for *_, t in back.edges(data="type")) == Counter(t for *_, t in G.edges(data="type"))


@pytest.mark.parametrize("corpus", ["wcep-2015-09", "wcep-2026-05-to-2026-08"])
@pytest.mark.parametrize(("by", "path"), [("source", "schema:publisher"), ("publisher", "schema:publisher/kg:madeBy")])
def test_publisher_projection_matches_sparql_co_citation(corpus, by, path):
    g = kg.build(SAMPLE.parent / corpus) if corpus != SAMPLE.name else kg.build(SAMPLE)
    P = kg.publisher_projection(g, by=by)
    df = kg.sparql_query(g, f"""SELECT ?a ?b (COUNT(DISTINCT ?e) AS ?w) WHERE {{
        ?e kg:inCorpus true ; schema:subjectOf ?x, ?y . ?x {path} ?a . ?y {path} ?b .
        FILTER(STR(?a) < STR(?b)) }} GROUP BY ?a ?b""")
    expected = {frozenset((a, b)): w for a, b, w in zip(df["a"], df["b"], df["w"].tolist(), strict=True)}
    assert {frozenset((a, b)): d["weight"] for a, b, d in P.edges(data=True)} == expected
    assert len(expected) > 50
    top = kg.top_publishers(g, None, by=by)
    assert {P.nodes[n]["name"]: P.nodes[n]["events"] for n in P} == dict(zip(top[by], top["events"], strict=True))
    assert set(P) == set(top["iri"])


def test_publisher_projection_filters_and_arguments(g):
    P = kg.publisher_projection(g, context="Syria", since="2015-09-10", by="domain")
    top = kg.top_publishers(g, None, context="Syria", since="2015-09-10", by="domain")
    assert {n: d["events"] for n, d in P.nodes(data=True)} == dict(zip(top["domain"], top["events"], strict=True))
    assert {d["type"] for _, d in P.nodes(data=True)} == {"domain"}
    strong = kg.publisher_projection(g, min_weight=3)
    assert 0 < strong.number_of_edges() < kg.publisher_projection(g).number_of_edges()
    assert all(d["weight"] >= 3 for *_, d in strong.edges(data=True))
    for bad in ({"by": "outlet"}, {"min_weight": 0}, {"min_weight": 1.5}):
        with pytest.raises(kg.ArgumentError):
            kg.publisher_projection(g, **bad)
    import numpy as np

    assert kg.publisher_projection(g, min_weight=np.int64(3)).edges == strong.edges  # (a count from pandas)
    with pytest.warns(UserWarning, match=r"max_events_per_context=0 keeps no context \(each is about two events at "
                                         r"least\): the projection has no edge"):
        assert event_projection(g, max_events_per_context=0).number_of_edges() == 0  # every context skipped
    assert nx.utils.graphs_equal(event_projection(g, max_events_per_context=1e4), event_projection(g))
