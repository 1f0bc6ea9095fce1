"""The HTML network view: selection, escaping, the page, the CLI (no browser)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections import deque
from html.parser import HTMLParser

import pytest

import kg
from kg.errors import KgError
from kg.export.html import render_html
from kg.html.layout import force_layout
from kg.html.network import to_network
from kg.html.page import page_assets
from kg.html.select import ViewError, select_view
from kg.html.style import EDGE_TYPES, NODE_TYPES
from tests.conftest import DATA, REPO, SAMPLE

HOSTILE = DATA / "html" / "hostile"

# Texts of the hostile corpus that would run or load something if they became markup.
HOSTILE_MARKUP = ["<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>",
                  "<b onmouseover=alert(3)>", "<svg onload=alert(9)>", '<a href="javascript:alert(11)">',
                  "<style>*{display:none}</style>"]


@pytest.fixture(scope="module")
def hostile_graph():
    return kg.build(HOSTILE)


class _Tags(HTMLParser):
    """Collect the start tags of a page, with their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: dict[str, str] = {}
        self._script_id: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._script_id = dict(attrs).get("id") if tag == "script" else None

    def handle_data(self, data):
        if self._script_id:
            self.scripts[self._script_id] = data
        self._script_id = None


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


# ---------------------------------------------------------------- the network

def test_network_has_every_node_and_edge_of_the_graph(sample_graph):
    counts = to_network(sample_graph).count()
    expected = sample_graph.counts()
    assert counts["event"] == expected["events"] + expected["external_events"]
    assert (counts["day"], counts["article"], counts["publisher"], counts["context"]) == (
        expected["days"], expected["sources"], expected["publishers"], expected["contexts"])
    assert counts.get("image", 0) == expected["images"]
    assert counts["cites"] == expected["source_citations"]
    assert counts["related-to"] == expected["related_links"]
    assert counts["has-context"] == expected["event_context_pairs"]
    assert counts["shares-context"] == expected["shared_context_pairs"]
    assert counts["lists-event"] == expected["day_entries"]
    assert set(counts) <= set(NODE_TYPES) | set(EDGE_TYPES)


def test_edges_join_the_node_types_their_style_names(sample_graph):
    net = to_network(sample_graph)
    for e in net.edges:
        style = EDGE_TYPES[e.kind]
        assert (net.nodes[e.source].kind, net.nodes[e.target].kind) == (style.source, style.target)


# ---------------------------------------------------------------- selection

def test_default_view_of_the_sample_is_the_whole_graph(sample_graph):
    view = select_view(sample_graph)
    net = to_network(sample_graph)
    assert len(view.nodes) == len(net.nodes) and len(view.edges) == len(net.edges)
    assert view.notice == "" and not view.omitted


def test_types_keep_only_those_types(sample_graph):
    view = select_view(sample_graph, types="event,context")
    assert {n.kind for n in view.nodes} == {"event", "context"}
    assert {e.kind for e in view.edges} == {"has-context", "related-to", "shares-context"}
    assert view.count()["context"] == len(sample_graph.contexts)


def test_date_range_keeps_dated_nodes_in_range_and_what_they_reach(sample_graph):
    since, until = dt.date(2015, 9, 10), dt.date(2015, 9, 20)
    view = select_view(sample_graph, since=since.isoformat(), until=until)
    kept = {n.id for n in view.nodes}
    net = to_network(sample_graph)
    dated = [n for n in view.nodes if n.date is not None]
    assert dated and all(since <= n.date <= until for n in dated)
    assert len({n.date for n in dated if n.kind == "day"}) == 11
    # Every undated node kept is reached from a kept node; every one reached is kept.
    reached = {e.target for e in net.edges if e.source in kept and net.nodes[e.target].date is None}
    assert {n.id for n in view.nodes if n.date is None} == reached
    publishers = {n.name for n in view.nodes if n.kind == "publisher"}
    events = [e for k, e in sample_graph.events.items() if since <= k.date <= until]
    assert publishers == {p for e in events for u in e.sources for p in sample_graph.articles[u].publishers}


def test_focus_keeps_the_ego_network(sample_graph):
    view = select_view(sample_graph, focus="iran", depth=2)
    ids = {n.id for n in view.nodes}
    centre = next(n.id for n in view.nodes if n.kind == "context" and n.name == "Iran")
    # Recompute the distances on the whole network: every node within 2 hops, no other.
    neighbours: dict[str, list[str]] = {}
    for e in to_network(sample_graph).edges:
        neighbours.setdefault(e.source, []).append(e.target)
        neighbours.setdefault(e.target, []).append(e.source)
    distance = {centre: 0}
    queue = deque([centre])
    while queue:
        node = queue.popleft()
        for other in neighbours.get(node, ()):
            if other not in distance and distance[node] < 2:
                distance[other] = distance[node] + 1
                queue.append(other)
    assert ids == set(distance)
    assert len(ids) > len(select_view(sample_graph, focus="Iran", depth=1).nodes)


def test_focus_by_part_of_a_name_and_by_iri(sample_graph):
    event = sample_graph.events_in_corpus[0]
    part = event.headline[5:40]
    view = select_view(sample_graph, focus=part, depth=0)
    assert event.headline in {n.name for n in view.nodes}
    iri = view.nodes[0].id
    assert [n.id for n in select_view(sample_graph, focus=iri, depth=0).nodes] == [iri]


def test_cap_keeps_the_most_connected_and_says_what_it_left_out(sample_graph):
    full = select_view(sample_graph)
    degree: dict[str, int] = {}
    for e in full.edges:
        degree[e.source] = degree.get(e.source, 0) + 1
        degree[e.target] = degree.get(e.target, 0) + 1
    view = select_view(sample_graph, max_nodes=300)
    kept = {n.id for n in view.nodes}
    assert len(kept) == 300
    assert min(degree.get(i, 0) for i in kept) >= max(degree.get(n.id, 0) for n in full.nodes if n.id not in kept)
    assert sum(view.omitted.values()) == len(full.nodes) - 300
    assert all(e.source in kept and e.target in kept for e in view.edges)
    for kind, n in view.omitted.items():
        assert f"{n:,} {NODE_TYPES[kind].label.lower()} nodes" in view.notice


def test_cap_around_a_focus_keeps_the_nearest(sample_graph):
    view = select_view(sample_graph, focus="Iran", depth=3, max_nodes=50)
    near = select_view(sample_graph, focus="Iran", depth=1)
    assert len(view.nodes) == 50 and "nearest the focus" in view.notice
    assert {n.id for n in near.nodes} <= {n.id for n in view.nodes}


@pytest.mark.parametrize("options, message", [
    ({"types": "event,persons"}, "unknown node type"),
    ({"since": "2015-09-20", "until": "2015-09-10"}, "is after"),
    ({"since": "20 Sept"}, "YYYY-MM-DD"),
    ({"focus": "no such entity anywhere"}, "no node"),
    ({"depth": -1}, "depth"),
])
def test_bad_options_raise_a_view_error(sample_graph, options, message):
    with pytest.raises(ViewError, match=message) as caught:
        select_view(sample_graph, **options)
    assert isinstance(caught.value, KgError)


# ---------------------------------------------------------------- layout

def test_layout_is_finite_spread_and_reproducible():
    edges = [(i, (i * 7 + 3) % 300) for i in range(300)] + [(i, i + 1) for i in range(299)]
    first = force_layout(300, edges)
    assert first.shape == (300, 2) and bool(abs(first).max() < 1e7)
    assert (force_layout(300, edges) == first).all()
    # No two nodes share a spot.
    assert len({(round(x, 3), round(y, 3)) for x, y in first.tolist()}) == 300


# ---------------------------------------------------------------- the page

def test_page_is_self_contained(sample_graph):
    page, _ = render_html(sample_graph)
    tags = _parse(page).tags
    assert not [a for _, attrs in tags for a in ("src", "href") if a in attrs]
    assert not [t for t, _ in tags if t in ("link", "iframe", "img", "object", "embed", "base")]
    csp = [attrs["content"] for t, attrs in tags if t == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]
    for cdn in ("cdnjs", "jsdelivr", "unpkg", "bootstrap", "tom-select", "TomSelect"):
        assert cdn not in page
    assert page_assets().vis_js in page


def test_page_keeps_every_text_exact_and_inert(hostile_graph):
    page, view = render_html(hostile_graph)
    for text in HOSTILE_MARKUP:
        assert text in {n.name for n in view.nodes} or any(text in n.name for n in view.nodes)
        assert text not in page
    parsed = _parse(page)
    # The page's elements are the template's, whatever the data says.
    clean_page, _ = render_html(kg.build(SAMPLE))
    assert [t for t, _ in parsed.tags] == [t for t, _ in _parse(clean_page).tags]
    assert not [k for _, attrs in parsed.tags for k in attrs if k.startswith("on")]
    nodes = json.loads(parsed.scripts["kg-nodes"])
    assert sorted(n["name"] for n in nodes) == sorted(n.name for n in view.nodes)
    assert {n["iri"] for n in nodes} == {n.id for n in view.nodes}


def test_page_script_never_writes_markup():
    script = page_assets().view_js
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert sink not in script
    assert "textContent" in script and "noopener noreferrer" in script


def test_page_is_reproducible(sample_graph):
    assert render_html(sample_graph, focus="Iran")[0] == render_html(sample_graph, focus="Iran")[0]


def test_page_draws_the_selected_view(sample_graph):
    page, view = render_html(sample_graph, types="event,day", since="2015-09-05", until="2015-09-06")
    parsed = _parse(page)
    nodes = json.loads(parsed.scripts["kg-nodes"])
    edges = json.loads(parsed.scripts["kg-edges"])
    assert len(nodes) == len(view.nodes) and len(edges) == len(view.edges)
    assert {n["group"] for n in nodes} == {"event", "day"}
    config = json.loads(parsed.scripts["kg-config"])
    assert config["dateRange"] == ["2015-09-05", "2015-09-06"]
    assert "types event, day" in config["description"]


def test_notebook_view_is_a_sandboxed_iframe(sample_graph):
    inline = sample_graph.to_html(focus="Iran")
    shown = inline._repr_html_()
    assert shown.startswith("<iframe sandbox=") and "allow-same-origin" not in shown
    assert "<script" not in shown.split("srcdoc=")[1][:200]
    assert inline.html.startswith("<!DOCTYPE html>")


# ---------------------------------------------------------------- command line

def _kg(*args) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=REPO, timeout=600)


def test_cli_html_writes_the_selected_view(tmp_path):
    out = tmp_path / "sept.html"
    proc = _kg("html", SAMPLE, "-o", out, "--since", "2015-09-10", "--until", "2015-09-20",
               "--types", "event,context", "--max-nodes", "100")
    assert proc.returncode == 0, proc.stderr
    assert "wrote" in proc.stderr and "left out" in proc.stderr
    nodes = json.loads(_parse(out.read_text(encoding="utf-8")).scripts["kg-nodes"])
    assert len(nodes) == 100 and {n["group"] for n in nodes} <= {"event", "context"}


def test_cli_html_reports_a_bad_option(tmp_path):
    proc = _kg("html", SAMPLE, "-o", tmp_path / "x.html", "--focus", "no such entity anywhere")
    assert proc.returncode == 2 and "no node" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.html").exists()


def test_build_writes_graph_html_by_default(tmp_path):
    proc = _kg("build", HOSTILE, "-o", tmp_path, "--quiet")
    assert (tmp_path / "graph.html").is_file(), proc.stderr
    assert "<!DOCTYPE html>" in (tmp_path / "graph.html").read_text(encoding="utf-8")[:20]
