"""The sample corpus, checked against its answer key through SPARQL over the
written Turtle (not through internal objects)."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest

from kg.export.prefixes import turtle_prefixes
from tests.conftest import SAMPLE
from tests.oracle import event_contexts, naive_split, related_links

BASE = "https://kg.example.org/news/"


@pytest.fixture(scope="module")
def store(sample_turtle) -> ox.Store:
    s = ox.Store()
    s.bulk_load(path=str(sample_turtle), format=ox.RdfFormat.TURTLE)
    return s


def select(store: ox.Store, query: str) -> list[tuple]:
    head = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in turtle_prefixes(BASE).items())
    return [tuple(_value(t) for t in row) for row in store.query(head + query)]


def _value(term):
    return None if term is None else term.value


def count(store: ox.Store, query: str) -> int:
    (row,) = select(store, query)
    return int(row[0])


@pytest.fixture(scope="module")
def oracle():
    return related_links(SAMPLE)


def test_counts_match_answer_key(store, truth):
    c = truth["counts"]
    assert count(store, "SELECT (COUNT(?e) AS ?n) { ?e a kg:Event ; kg:inCorpus true }") == c["events"] == 428
    assert count(store, "SELECT (COUNT(?d) AS ?n) { ?d a kg:Day }") == c["days"] == 30
    assert count(store, "SELECT (COUNT(DISTINCT ?u) AS ?n) { ?a a schema:NewsArticle ; schema:url ?u }") \
        == c["distinct_source_urls"] == 606
    assert count(store, "SELECT (COUNT(?p) AS ?n) { ?p a schema:NewsMediaOrganization }") \
        == c["distinct_publishers"] == 260
    assert count(store, "SELECT (COUNT(?c) AS ?n) { ?c a kg:Context }") \
        == c["distinct_context_entities_visible_in_markdown_naive_comma_split"] == 194
    assert count(store, "SELECT (COUNT(?l) AS ?n) { ?l a kg:RelatedLink }") == c["total_related_links"] == 1925
    assert count(store, "SELECT (COUNT(*) AS ?n) { ?e a kg:Event ; schema:about ?c }") == 687
    assert count(store, "SELECT (COUNT(?s) AS ?n) { ?s a kg:ContextSharing }") \
        == c["distinct_related_pairs_undirected"] == 1209
    assert count(store, "SELECT (COUNT(*) AS ?n) { ?e schema:subjectOf ?a }") == c["source_items_total"] == 611
    assert count(store, "SELECT (COUNT(?i) AS ?n) { ?i a schema:ImageObject }") == 0
    assert count(store, "SELECT (COUNT(?e) AS ?n) { ?e kg:inCorpus false }") == 0


def test_edge_case_counts(store, truth):
    c = truth["counts"]
    no_sources = count(store, """SELECT (COUNT(?e) AS ?n) { ?e kg:inCorpus true
        FILTER NOT EXISTS { ?e schema:subjectOf ?a } }""")
    assert no_sources == c["events_without_sources"]
    no_related = count(store, """SELECT (COUNT(?e) AS ?n) { ?e kg:inCorpus true
        FILTER NOT EXISTS { ?l kg:linkSource ?e } }""")
    assert no_related == c["events_without_related"]
    ten = count(store, """SELECT (COUNT(?e) AS ?n) { { SELECT ?e (COUNT(?l) AS ?k)
        { ?l kg:linkSource ?e } GROUP BY ?e } FILTER(?k = 10) }""")
    assert ten == c["events_with_10_related"]


def test_events_per_day(store, truth):
    rows = select(store, """SELECT ?date (COUNT(?e) AS ?n) { ?e kg:onDay ?d . ?d kg:date ?date }
                            GROUP BY ?date""")
    got = {date: int(n) for date, n in rows}
    want = {}
    for index_path, n in truth["events_per_day"].items():
        _, y, m, d, _ = index_path.split("/")
        want[f"{y}-{m}-{int(d):02d}"] = n
    assert got == want
    listed = select(store, "SELECT ?date (COUNT(?e) AS ?n) { ?d kg:date ?date ; kg:listsEvent ?e } GROUP BY ?date")
    assert {date: int(n) for date, n in listed} == want


def _event(path: str) -> str:
    return f'?e kg:path "{path}" .'


@pytest.mark.parametrize("index", range(20))
def test_sample_event(store, truth, oracle, index):
    sample = truth["samples"][index]
    path = sample["path"]
    (row,) = select(store, f"SELECT ?name ?date ?in {{ {_event(path)} ?e schema:name ?name ; "
                           "schema:startDate ?date ; kg:inCorpus ?in }")
    assert row == (sample["headline"], sample["date"], "true")
    (day,) = select(store, f"SELECT ?date {{ {_event(path)} ?e kg:onDay/kg:date ?date }}")
    assert day == (sample["date"],)

    sources = select(store, f"""SELECT ?pub ?url {{ {_event(path)} ?e schema:subjectOf ?a .
                                ?a schema:url ?url ; schema:publisher/schema:name ?pub }}""")
    assert sorted(sources) == sorted((s["name"], s["url"]) for s in sample["sources"])

    links = select(store, f"""SELECT ?rank ?target ?name {{ {_event(path)} ?l kg:linkSource ?e ;
                              kg:rank ?rank ; kg:linkTarget/kg:path ?target .
                              ?l kg:linkTarget/schema:name ?name }} ORDER BY ?rank""")
    assert [(int(r), t, n) for r, t, n in links] == [
        (i, rel["path"], rel["headline"]) for i, rel in enumerate(sample["related"], start=1)]
    for i, rel in enumerate(sample["related"], start=1):
        names = select(store, f"""SELECT ?c {{ {_event(path)} ?l kg:linkSource ?e ; kg:rank {i} ;
                                  kg:context/schema:name ?c }}""")
        assert sorted(n for (n,) in names) == sorted(naive_split(rel["contexts"]))

    # The page's own Related lines show these contexts ...
    about = {n for (n,) in select(store, f"SELECT ?c {{ {_event(path)} ?e schema:about/schema:name ?c }}")}
    assert set(sample["contexts_visible_in_markdown_naive_comma_split"]) <= about
    # ... and lines on other pages that point at it show the rest.
    _, links_all = oracle
    assert about == event_contexts(links_all).get(path, set())


def test_every_event_has_the_contexts_a_reader_finds(store, oracle):
    _, links = oracle
    want = {(path, c) for path, cs in event_contexts(links).items() for c in cs}
    got = set(select(store, "SELECT ?p ?c { ?e kg:path ?p ; schema:about/schema:name ?c }"))
    assert got == want
    assert len(got) == 687


def test_every_related_line(store, oracle):
    _, links = oracle
    got = Counter(select(store, """SELECT ?s ?t ?r (GROUP_CONCAT(?c; separator="|") AS ?cs) {
        ?l kg:linkSource/kg:path ?s ; kg:linkTarget/kg:path ?t ; kg:rank ?r .
        OPTIONAL { ?l kg:context/schema:name ?c } } GROUP BY ?l ?s ?t ?r"""))
    want = Counter((link.source, link.target, str(link.rank), "|".join(sorted(link.contexts))) for link in links)
    got = Counter((s, t, r, "|".join(sorted(cs.split("|")))) for s, t, r, cs in got)
    assert got == want


def test_shares_context_is_symmetric_and_weighted(store):
    asym = count(store, """SELECT (COUNT(*) AS ?n) { ?a kg:sharesContext ?b
                            FILTER NOT EXISTS { ?b kg:sharesContext ?a } }""")
    assert asym == 0
    bad = count(store, """SELECT (COUNT(*) AS ?n) { ?s a kg:ContextSharing ; kg:weight ?w .
        { SELECT ?s (COUNT(?c) AS ?k) { ?s a kg:ContextSharing OPTIONAL { ?s kg:context ?c } } GROUP BY ?s }
        FILTER(?w != ?k) }""")
    assert bad == 0


def test_context_with_comma_falls_apart_as_documented(store, truth):
    case = truth["edge_cases"]["context_with_comma"]
    about = {n for (n,) in select(store, f"SELECT ?c {{ {_event(case['path'])} ?e schema:about/schema:name ?c }}")}
    assert {"Rowan County", "Kentucky"} <= about
    assert "Rowan County, Kentucky" not in about
