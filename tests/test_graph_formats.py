"""GraphML and GEXF as Gephi, Cytoscape, networkx and igraph read them."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

import kg

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def graphml(sample_graph, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("graphml") / "graph.graphml"
    kg.write(sample_graph, out)
    return out


@pytest.fixture(scope="module")
def gexf(sample_graph, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gexf") / "graph.gexf"
    kg.write(sample_graph, out)
    return out


def _names(sample_graph) -> dict[str, str]:
    """What each node should be labelled with, from the model (not from the exporter)."""
    G = kg.to_networkx(sample_graph)
    return {n: d["label"] for n, d in G.nodes(data=True)}


def test_graphml_keys_are_named_and_values_are_xml_schema(graphml):
    root = ET.parse(graphml).getroot()
    keys = {k.get("id"): (k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root.iter(GRAPHML + "key")}
    assert keys["label"] == ("node", "label", "string")
    assert keys["edge_weight"][1:] == ("weight", "long")
    assert keys["date_day"] == ("node", "date_day", "long")
    assert not [k for k in keys if k[0] == "d" and k[1:].isdigit()]  # no yEd-style d0, d3 ...
    assert len(keys) == len(list(root.iter(GRAPHML + "key")))  # ids unique
    booleans = {k for k, (_, _, t) in keys.items() if t == "boolean"}
    values = {d.text for d in root.iter(GRAPHML + "data") if d.get("key") in booleans}
    assert values and values <= {"true", "false"}
    for edge in root.iter(GRAPHML + "edge"):
        weights = [d.text for d in edge if d.get("key") == "edge_weight"]
        assert len(weights) == 1 and int(weights[0]) >= 1


def test_graphml_in_networkx(graphml, sample_graph):
    H = nx.read_graphml(graphml)
    G = kg.to_networkx(sample_graph)
    assert H.number_of_nodes() == G.number_of_nodes() and H.number_of_edges() == G.number_of_edges()
    assert {n: d["label"] for n, d in H.nodes(data=True)} == _names(sample_graph)
    for _, d in H.nodes(data=True):
        if "date" in d:
            day = dt.date.fromisoformat(d["date"])
            assert d["date_day"] == (day - dt.date(1970, 1, 1)).days
    assert all(isinstance(d["weight"], int) for *_, d in H.edges(data=True))
    shares = [d for *_, d in H.edges(data=True) if d["type"] == "shares-context"]
    assert shares and all(d["weight"] == len(d["contexts"].split("|")) for d in shares)
    assert {d["in_corpus"] for _, d in H.nodes(data=True) if d["type"] == "event"} <= {True, False}


def _networkx_graphml(G) -> bytes:
    """The reference: networkx's own GraphML writer, as kg used it before it wrote GraphML itself (key ids named
    after their attributes, an edge's and the graph's prefixed; booleans as XML Schema writes them)."""
    import io

    from networkx.readwrite.graphml import GraphMLWriter

    class Writer(GraphMLWriter):
        def add_data(self, name, element_type, value, scope="all", default=None):
            element = super().add_data(name, element_type, value, scope, default)
            if element_type is bool:
                element.text = "true" if value in (True, "True") else "false"
            return element

        def get_key(self, name, attr_type, scope, default):
            found = self.keys.get((name, attr_type, scope))
            if found is not None:
                return found
            key_id = name if scope == "node" else f"{scope}_{name}"
            self.keys[name, attr_type, scope] = key_id
            self.xml.insert(0, self.myElement("key", **{"id": key_id, "for": scope, "attr.name": name,
                                                       "attr.type": attr_type}))
            return key_id

    writer = Writer(encoding="utf-8", prettyprint=True, named_key_ids=True)
    writer.add_graph_element(G)
    out = io.BytesIO()
    writer.dump(out)
    return out.getvalue()


@pytest.mark.parametrize("corpus", ["sample", "hostile"])
def test_graphml_is_byte_for_byte_what_networkx_s_writer_writes_of_the_multigraph(corpus, sample_graph, tmp_path):
    """kg writes GraphML itself, a node or an edge at a time: the bytes of networkx's writer of the multigraph
    (its order of nodes, edges and keys, its escapes, its empty elements), on the hostile corpus too (odd
    characters, and the nodes that only an edge names)."""
    from kg.export.graphml import graphml_ready
    from tests.conftest import DATA

    g = sample_graph if corpus == "sample" else kg.build(DATA / "hostile")
    kg.write(g, tmp_path / "kg.graphml")
    expected = _networkx_graphml(graphml_ready(kg.to_networkx(g)))
    assert (tmp_path / "kg.graphml").read_bytes() == expected
    assert expected.count(b"<edge ") > 1000 and b" />\n" in expected.split(b"<graph ")[1]  # (empty values)


def test_graphml_in_igraph(graphml, sample_graph):
    import igraph as ig

    g = ig.Graph.Read_GraphML(str(graphml))
    names = _names(sample_graph)
    assert dict(zip(g.vs["id"], g.vs["label"], strict=True)) == names
    assert all(isinstance(w, float) and w >= 1 for w in g.es["weight"])
    ranks = g.pagerank(weights="weight")
    assert abs(sum(ranks) - 1) < 1e-6
    # The most central node by weighted PageRank is a real, named node.
    assert names[g.vs[max(range(len(ranks)), key=ranks.__getitem__)]["id"]]


def test_gexf_is_dynamic_with_dates(gexf, sample_graph):
    H = nx.read_gexf(gexf)
    assert H.graph["mode"] == "dynamic"
    root = ET.parse(gexf).getroot()
    graph = next(e for e in root.iter() if e.tag.endswith("}graph"))
    assert graph.get("timeformat") == "date"
    nodes = {e.get("id"): e for e in root.iter() if e.tag.endswith("}node")}
    G = kg.to_networkx(sample_graph)
    for n, d in G.nodes(data=True):
        element = nodes[n]
        assert element.get("label") == d["label"]
        if d["type"] in ("event", "day"):
            assert element.get("start") == element.get("end") == d["date"].isoformat()
        else:  # every other node is tied to some event, so it has a time too
            assert element.get("start") <= element.get("end")
    edges = [e for e in root.iter() if e.tag.endswith("}edge")]
    assert len(edges) == G.number_of_edges()
    assert all(e.get("start") and float(e.get("weight")) >= 1 for e in edges)
    assert {e.get("type") for e in edges} <= {None, "directed", "undirected", "mutual"}


@pytest.mark.parametrize("name", ["graph.graphml", "graph.gexf"])
def test_a_name_holding_the_list_separator_stays_one_item(tmp_path: Path, name: str) -> None:
    """A hostile context "Foo|Bar" read back as the two names Foo and Bar, neither a node; now its "|" is
    escaped, as is a backslash, and a name of neither reads as written."""
    import re

    from tests.robustdata import event_page

    day = tmp_path / "corpus/news/2015/09/1"
    day.mkdir(parents=True)
    (day / "base.md").write_text(event_page("Base", "base", contexts="Foo|Bar, Back\\slash, Baz"), encoding="utf-8")
    (day / "other.md").write_text(event_page("Other", "other"), encoding="utf-8")
    graph = kg.build(tmp_path / "corpus")
    assert {"Foo|Bar", "Back\\slash", "Baz"} <= set(graph.contexts)
    kg.write(graph, tmp_path / name)
    G = nx.read_graphml(tmp_path / name) if name.endswith("graphml") else nx.read_gexf(tmp_path / name)
    lists = [d["contexts"] for *_, d in G.edges(data=True) if d.get("kind", d.get("type")) == "related-to"]
    assert lists
    read = [[re.sub(r"\\(.)", r"\1", item) for item in re.split(r"(?<!\\)((?:\\\\)*)\|", text)[::2]]
            for text in lists]
    assert all(set(items) <= set(graph.contexts) for items in read), lists
    assert {"Foo|Bar", "Back\\slash", "Baz"} in [set(items) for items in read], lists
