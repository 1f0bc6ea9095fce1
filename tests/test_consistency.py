"""Every output holds the same nodes and edges: the node/edge table is the only source.

On the sample corpus, the bundled 1,888-event corpus and the hostile corpus,
each output is read back on its own terms and reduced to node IRIs per kind
and ``(source, type, target)`` edges:

- RDF: the Turtle file as written, parsed by rdflib (not kg's own triples);
- networkx: :meth:`KnowledgeGraph.to_networkx`;
- GraphML: the file as written, read back by networkx;
- igraph: :meth:`KnowledgeGraph.to_igraph` (where the extra is installed);
- a reload: the table of the graph that :func:`kg.load` reads back from the Turtle;
- the HTML view: the explorer's archive columns, decoded as the page decodes
  them (not what the overview draws: it shows only the top entities).

Where an output by design holds less, the test says so and compares what it
does hold: RDF has literal triples and link, pair and page subjects besides
(only the node classes and edge predicates are read), and writes each
shares-context pair in both directions (compared as unordered pairs); the
archive has no images, day-page lists or shared-context pairs, places every
event on its date (an event that only a link names has a date, not an
on-day edge: ``event_in_corpus`` tells them apart) and so knows only the days
that have an event of the corpus.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import rdflib

import kg
from kg import iri
from kg.export.graphml import write_graphml
from kg.export.html.archive import ENTITY_KINDS, archive_columns
from kg.export.html.packing import pack_archive, unpack_archive
from kg.model import KnowledgeGraph
from kg.namespace import KG, RDF, SCHEMA
from kg.query.stats import edge_counts
from kg.report import TALLY_NAMES, kind_tally, sum_tallies
from kg.table import EDGE_TYPES, NODE_KINDS, graph_table

REPO = Path(__file__).resolve().parent.parent
CORPORA = {
    "sample": REPO / "examples" / "wcep-2015-09",
    "2026": REPO / "examples" / "wcep-2026-05-to-2026-08",
    "hostile": REPO / "tests" / "data" / "hostile",
}

Edge = tuple[str, str, str]

#: One worker runs the module: each corpus is built, written and read back once, not once a worker.
pytestmark = pytest.mark.xdist_group("consistency")


class View:
    """What one output holds: node IRIs by kind, edges by type."""

    def __init__(self) -> None:
        self.nodes: dict[str, set[str]] = {kind: set() for kind in NODE_KINDS}
        self.edges: dict[str, set[Edge]] = {type: set() for type in EDGE_TYPES}

    def edge(self, source: str, type: str, target: str) -> None:
        if type == "shares-context":  # one edge a pair, whichever way an output writes it
            source, target = sorted((source, target))
        self.edges[type].add((source, type, target))


# ------------------------------------------------------------------ readers

def _from_table(g: KnowledgeGraph) -> View:
    view, table = View(), graph_table(g)
    for node in table.node_records():
        view.nodes[node.kind].add(node.iri)
    for edge in table.edge_records():
        view.edge(edge.source, edge.type, edge.target)
    return view


#: RDF class of each node kind, and predicate of each edge type.
_RDF_CLASSES = {"event": KG.Event, "day": KG.Day, "article": KG.SourceArticle, "publisher": KG.Publisher,
                "organization": KG.Organization, "image": KG.Image, "context": KG.Context}
_RDF_PREDICATES = {"cites": SCHEMA.subjectOf, "published-by": SCHEMA.publisher, "made-by": KG.madeBy,
                   "distributed-by": KG.distributedBy, "has-image": SCHEMA.image,
                   "on-day": KG.onDay, "lists-event": KG.listsEvent, "related-to": KG.relatedTo,
                   "has-context": SCHEMA.about, "shares-context": KG.sharesContext}


def _from_rdf(graph: rdflib.Graph) -> View:
    view = View()
    a = rdflib.URIRef(RDF.type.value)
    for kind, cls in _RDF_CLASSES.items():
        view.nodes[kind] = {str(s) for s in graph.subjects(a, rdflib.URIRef(cls.value))}
    for type, predicate in _RDF_PREDICATES.items():
        for s, o in graph.subject_objects(rdflib.URIRef(predicate.value)):
            view.edge(str(s), type, str(o))
    return view


def _from_networkx(G: Any) -> View:
    view = View()
    for node, kind in G.nodes(data="type"):
        view.nodes[kind].add(node)
    for u, v, type in G.edges(data="type"):
        view.edge(u, type, v)
    return view


def _from_igraph(G: Any) -> View:
    view, names = View(), G.vs["name"]
    for name, kind in zip(names, G.vs["type"], strict=False):
        view.nodes[kind].add(name)
    for e, type in zip(G.es, G.es["type"], strict=False):
        view.edge(names[e.source], type, names[e.target])
    return view


def _rows(offsets: Sequence[int], flat: Sequence[int]) -> Iterator[Sequence[int]]:
    return (flat[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1))


def _from_archive(g: KnowledgeGraph) -> View:
    """The explorer's data as the page gets it: packed into the page's buffers and read back."""
    packed = pack_archive(archive_columns(g))
    a = unpack_archive(packed.data, packed.texts, packed.manifest)
    c = {name: getattr(a, name) for name in a.__dataclass_fields__}
    base, view = g.base_iri, View()
    events = list(a.event_iri)
    articles = [iri.article_iri(base, url) for url in a.article_url]
    kinds = [ENTITY_KINDS[k] for k in a.entity_kind]
    entities = a.entity_iri
    view.nodes["event"] = set(events)
    view.nodes["article"] = set(articles)
    for entity, kind in zip(entities, kinds, strict=False):
        view.nodes[kind].add(entity)
    for event, day, here in zip(events, c["event_day"], c["event_in_corpus"], strict=False):
        if here:
            view.nodes["day"].add(iri.day_iri(base, dt.date.fromisoformat(c["days"][day])))
            view.edge(event, "on-day", iri.day_iri(base, dt.date.fromisoformat(c["days"][day])))
    for event, row in zip(events, _rows(c["event_sources_offsets"], c["event_sources"]), strict=False):
        for n in row:
            view.edge(event, "cites", articles[n])
    for article, row in zip(articles, _rows(c["article_publishers_offsets"], c["article_publishers"]), strict=False):
        for n in row:
            view.edge(article, "published-by", entities[n])
    for event, row in zip(events, _rows(c["event_entities_offsets"], c["event_entities"]), strict=False):
        for n in row:
            if kinds[n] == "context":  # an event's publishers come through its articles: not an edge
                view.edge(event, "has-context", entities[n])
    pairs = c["related"]
    for n in range(0, len(pairs), 2):
        view.edge(events[pairs[n]], "related-to", events[pairs[n + 1]])
    return view


# ------------------------------------------------------------------ fixtures

class Corpus:
    """A corpus built once, its files written once, and each output read back once."""

    def __init__(self, name: str, out: Path) -> None:
        self.name, self.out = name, out
        self.graph = kg.build(CORPORA[name])
        kg.write_turtle(self.graph, out / "graph.ttl")
        write_graphml(self.graph, out / "graph.graphml")
        self.table = _from_table(self.graph)
        self._views: dict[str, View] = {}
        self._rdf: rdflib.Graph | None = None

    def rdf(self) -> rdflib.Graph:
        """The written Turtle as rdflib reads it (parsed once: half a minute for the 1,888 events)."""
        if self._rdf is None:
            self._rdf = rdflib.Graph().parse(self.out / "graph.ttl", format="turtle")
        return self._rdf

    def view(self, output: str) -> View:
        if output not in self._views:
            self._views[output] = _READERS[output](self)
        return self._views[output]


_READERS = {
    "Turtle": lambda c: _from_rdf(c.rdf()),
    "networkx": lambda c: _from_networkx(kg.to_networkx(c.graph)),
    "GraphML": lambda c: _from_networkx(nx.read_graphml(c.out / "graph.graphml", force_multigraph=True)),
    "igraph": lambda c: _from_igraph(kg.to_igraph(c.graph)),
    "explorer": lambda c: _from_archive(c.graph),
    "reloaded": lambda c: _from_table(kg.load(c.out / "graph.ttl")),
}


@pytest.fixture(scope="module", params=list(CORPORA), ids=list(CORPORA))
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus(request.param, tmp_path_factory.mktemp(f"consistency-{request.param}"))


def _same(found: View, expected: View, kinds: Iterable[str], types: Iterable[str], what: str) -> None:
    for kind in kinds:
        missing, extra = expected.nodes[kind] - found.nodes[kind], found.nodes[kind] - expected.nodes[kind]
        assert not missing and not extra, f"{what}: {kind} nodes differ: {sorted(missing)[:3]} {sorted(extra)[:3]}"
    for type in types:
        missing_edges = expected.edges[type] - found.edges[type]
        extra_edges = found.edges[type] - expected.edges[type]
        assert not missing_edges and not extra_edges, \
            f"{what}: {type} edges differ: {sorted(missing_edges)[:3]} {sorted(extra_edges)[:3]}"


# ------------------------------------------------------------------ tests

def test_each_node_of_the_table_has_an_iri_of_its_own(corpus: Corpus) -> None:
    """The views above are sets of IRIs: two nodes minted one IRI would look like one node in all of them."""
    table = graph_table(corpus.graph)
    for kind in NODE_KINDS:
        iris = table.nodes[kind].iris()
        assert len(set(iris)) == len(iris), kind


def test_the_table_has_every_kind_and_type(corpus: Corpus) -> None:
    table = corpus.table
    assert table.nodes["event"] and table.nodes["day"] and table.nodes["article"]
    assert table.edges["related-to"] and table.edges["cites"] and table.edges["on-day"]


@pytest.mark.parametrize("output", ["Turtle", "networkx", "GraphML", "igraph", "reloaded"])
def test_an_output_holds_the_tables_nodes_and_edges(corpus: Corpus, output: str) -> None:
    if output == "igraph":
        pytest.importorskip("igraph")  # an optional extra
    _same(corpus.view(output), corpus.table, NODE_KINDS, EDGE_TYPES, output)


def test_the_explorers_data_holds_the_tables_nodes_and_edges(corpus: Corpus) -> None:
    table, found = corpus.table, corpus.view("explorer")
    # By design the explorer lists publishers as written, not the organizations they resolve to.
    assert "organization" not in ENTITY_KINDS and table.nodes["organization"] and not found.nodes["organization"]
    # Days the archive knows: those with an event of the corpus, i.e. the targets of on-day edges.
    days = View()
    days.nodes["day"] = {target for _, _, target in table.edges["on-day"]}
    _same(found, days, ("day",), (), "explorer")
    _same(found, table, ("event", "article", "publisher", "context"),
          ("cites", "published-by", "on-day", "related-to", "has-context"), "explorer")


def test_every_output_gives_an_article_the_tables_web_domain(corpus: Corpus) -> None:
    """The domain is a literal in RDF and an attribute in networkx, GraphML and igraph, all from the table."""
    nodes = graph_table(corpus.graph).nodes["article"]
    expected = {n: d for n, d in zip(nodes.iris(), nodes.domains(), strict=True) if d}
    assert len(expected) == len(nodes)  # every cited URL of these corpora has a host
    found = {str(s): str(o) for s, o in corpus.rdf().subject_objects(rdflib.URIRef(KG.webDomain.value))}
    assert found == expected, "Turtle"
    G = kg.to_networkx(corpus.graph)
    assert {n: d for n, d in G.nodes(data="domain") if d} == expected, "networkx"
    H = nx.read_graphml(corpus.out / "graph.graphml", force_multigraph=True)
    assert {n: d for n, d in H.nodes(data="domain") if d} == expected, "GraphML"


def test_the_counts_are_the_tables(corpus: Corpus) -> None:
    g, table = corpus.graph, graph_table(corpus.graph)
    counts = kg.counts(g)
    events = table.nodes["event"]
    assert counts["events"] + counts["external_events"] == len(events)
    assert counts["external_events"] == sum(1 for here in events.in_corpus if not here)
    sizes = {"days": ("day", None), "sources": ("article", None), "publishers": ("publisher", None),
             "organizations": ("organization", None), "made_by": (None, "made-by"),
             "distributed_by": (None, "distributed-by"),
             "images": ("image", None), "contexts": ("context", None), "source_citations": (None, "cites"),
             "related_links": (None, "related-to"), "event_context_pairs": (None, "has-context"),
             "shared_context_pairs": (None, "shares-context"), "day_entries": (None, "lists-event")}
    for name, (kind, type) in sizes.items():
        assert counts[name] == len(table.nodes[kind] if kind else table.edges[type]), name
    assert counts == g.report.counts  # what report.json says
    assert edge_counts(g) == {type: len(table.edges[type]) for type in EDGE_TYPES}  # kg stats
    # The incremental build adds up counts per RDF subject: they must come to the table's.
    assert sum_tallies((kind, kind_tally(g, kind)) for kind in TALLY_NAMES) == counts


def test_an_event_that_only_a_link_names_is_on_no_day_in_any_output(corpus: Corpus) -> None:
    """The hostile corpus once drew an on-day edge for such an event in the HTML view only."""
    g = corpus.graph
    external = {iri.event_iri(g.base_iri, e.key) for e in g.external_events}
    if corpus.name == "hostile":
        assert g.base_iri + "event/2015-09-07/nowhere" in external
    views = {"table": corpus.table, **{output: corpus.view(output) for output in ("Turtle", "networkx", "explorer")}}
    for what, view in views.items():
        on_day: dict[str, set[str]] = defaultdict(set)
        for source, _, target in view.edges["on-day"]:
            on_day[source].add(target)
        assert not external & set(on_day), what
        assert all(len(days) == 1 for days in on_day.values()), what
