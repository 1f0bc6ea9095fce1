"""The network page in headless Chromium: offline, counted, searchable, inert."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import kg
from kg.html.select import select_view
from tests.conftest import DATA, REPO

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

COUNT_BY = """(field) => { const c = {};
  network.body.data.%s.forEach(x => { c[x[field]] = (c[x[field]] || 0) + 1; }); return c; }"""


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Watched:
    """A page with everything that must not happen recorded."""

    def __init__(self, browser, path: Path):
        self.url = path.resolve().as_uri()
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.navigations: list[str] = []
        self.popups: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.context.on("requestfailed", lambda r: self.failed.append(r.url))
        self.context.on("page", lambda p: self.popups.append(p.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(self.url)
        self.page.wait_for_function("window.kgView && kgView.drawnAt !== null", timeout=60_000)
        self.page.on("framenavigated", lambda f: self.navigations.append(f.url))

    def assert_clean(self) -> None:
        assert self.requests == [self.url] and self.failed == []
        assert self.errors == [] and self.dialogs == [] and self.navigations == []
        assert self.popups == []

    def node_counts(self) -> dict[str, int]:
        return self.page.evaluate(f"({COUNT_BY % 'nodes'})('group')")

    def edge_counts(self) -> dict[str, int]:
        return self.page.evaluate(f"({COUNT_BY % 'edges'})('kind')")


@pytest.fixture(scope="module")
def sample_page(sample_graph, tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "graph.html"
    view = sample_graph.to_html(out)
    return out, view


def test_sample_page_draws_the_whole_graph_offline(browser, sample_graph, sample_page):
    path, view = sample_page
    watched = Watched(browser, path)
    counts = sample_graph.counts()
    expected_nodes = {"event": counts["events"] + counts["external_events"], "day": counts["days"],
                      "article": counts["sources"], "publisher": counts["publishers"],
                      "context": counts["contexts"], "image": counts["images"]}
    assert watched.node_counts() == {k: v for k, v in expected_nodes.items() if v}
    edges = watched.edge_counts()
    assert edges == dict(Counter(e.kind for e in view.edges))
    assert (edges["related-to"], edges["has-context"], edges["cites"]) == (
        counts["related_links"], counts["event_context_pairs"], counts["source_citations"])
    ARTIFACTS.mkdir(exist_ok=True)
    watched.page.screenshot(path=ARTIFACTS / "html-sample.png")
    watched.assert_clean()
    watched.context.close()


def test_search_focuses_the_node(browser, sample_page):
    path, _ = sample_page
    watched = Watched(browser, path)
    page = watched.page
    page.fill("#kg-search", "united states")
    page.press("#kg-search", "Enter")
    selected = page.evaluate("network.getSelectedNodes()")
    assert len(selected) == 1
    node = page.evaluate("(id) => nodes.get(id)", selected[0])
    assert (node["group"], node["name"]) == ("context", "United States")
    # The view glides to the node (an animation): wait until it is centred on it.
    page.wait_for_function("""(id) => { const c = network.getViewPosition();
        const p = network.getPositions([id])[id];
        return Math.abs(c.x - p.x) < 1 && Math.abs(c.y - p.y) < 1; }""", arg=selected[0], timeout=10_000)
    assert page.inner_text("#kg-details h2") == "United States"
    assert page.locator("#kg-results li").count() > 1
    page.screenshot(path=ARTIFACTS / "html-search.png")
    watched.assert_clean()
    watched.context.close()


def test_page_filters_agree_with_the_library(browser, sample_graph, sample_page):
    path, _ = sample_page
    watched = Watched(browser, path)
    page = watched.page
    page.fill("#kg-since", "2015-09-10")
    page.fill("#kg-until", "2015-09-20")
    page.dispatch_event("#kg-until", "change")
    shown = set(page.evaluate("nodes.get({filter: n => !n.hidden}).map(n => n.iri)"))
    assert shown == {n.id for n in select_view(sample_graph, since="2015-09-10", until="2015-09-20").nodes}
    page.uncheck("#kg-legend input[data-type=article]")
    kinds = set(page.evaluate("nodes.get({filter: n => !n.hidden}).map(n => n.group)"))
    assert "article" not in kinds and "event" in kinds
    page.click("#kg-reset")
    assert page.evaluate("nodes.get({filter: n => n.hidden}).length") == 0
    watched.assert_clean()
    watched.context.close()


def test_hostile_page_runs_nothing_and_links_only_the_web(browser, tmp_path):
    graph = kg.build(DATA / "html" / "hostile")
    out = tmp_path / "hostile.html"
    view = graph.to_html(out)
    watched = Watched(browser, out)
    page = watched.page
    assert page.evaluate("kgView.safeUrl('javascript:alert(1)')") is None
    assert page.evaluate("kgView.safeUrl('data:text/html,x')") is None
    assert page.evaluate("kgView.safeUrl('https://a.example/x')") == "https://a.example/x"
    names = {n.id: n.name for n in view.nodes}
    spots = page.evaluate("""() => { const out = [];
        const pos = network.getPositions();
        for (const id of Object.keys(pos)) {
          const dom = network.canvasToDOM(pos[id]);
          const box = document.getElementById('mynetwork').getBoundingClientRect();
          out.push({id: Number(id), x: dom.x + box.left, y: dom.y + box.top, iri: nodes.get(Number(id)).iri});
        } return out; }""")
    assert len(spots) == len(view.nodes)
    for spot in spots:
        page.mouse.move(spot["x"], spot["y"])
        page.mouse.click(spot["x"], spot["y"])
        page.wait_for_timeout(30)
        assert page.evaluate("network.getSelectedNodes()") == [spot["id"]]
        assert page.inner_text("#kg-details h2") == names[spot["iri"]]
        for link in page.locator("#kg-details a").all():
            assert link.get_attribute("href").startswith(("http://", "https://"))
            assert link.get_attribute("target") == "_blank"
            assert link.get_attribute("rel") == "noopener noreferrer"
    # Search with markup in the query shows it as text and focuses its node.
    page.fill("#kg-search", "<img src=x")
    page.press("#kg-search", "Enter")
    page.wait_for_timeout(500)
    assert page.inner_text("#kg-details h2") == "<img src=x onerror=alert(1)>"
    assert page.locator("img, svg, iframe, object, embed, a[href^=javascript]").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "html-hostile.png")
    watched.assert_clean()
    watched.context.close()



# Text that could act if it were not shown as text: markup, quotes, entities,
# template syntax, URL schemes, non-ASCII (bidi) text.
HOSTILE_TEXT = re.compile(r"""[<>"'&{}$%\\]|script|data:|[^\x00-\x7f]""", re.IGNORECASE)

SHOW_EVERY_NODE = """() => { const out = [];
  for (const id of nodes.getIds()) {
    network.body.emitter.emit('hoverNode', {node: id});
    network.body.emitter.emit('click', {nodes: [id], edges: []});
    const panel = document.getElementById('kg-details');
    out.push({id: id, heading: panel.querySelector('h2').textContent,
              hrefs: Array.from(panel.querySelectorAll('a')).map(a => a.getAttribute('href') + ' ' + a.rel)});
  } return out; }"""

WHERE_IS = """(id) => { network.focus(id, {scale: 1.5, animation: false});
  const box = document.getElementById('mynetwork').getBoundingClientRect();
  const dom = network.canvasToDOM(network.getPositions([id])[id]);
  return {x: dom.x + box.left, y: dom.y + box.top}; }"""


def test_hostile_corpus_page_is_inert(browser, tmp_path):
    """The robustness corpus (tests/data/hostile) in the page: every node is
    shown through the page's hover and click handlers, every node with
    hostile text is hovered and clicked with the mouse, and nothing runs,
    navigates or leaves the page."""
    graph = kg.build(DATA / "hostile")
    out = tmp_path / "hostile-corpus.html"
    view = graph.to_html(out, max_nodes=0)
    watched = Watched(browser, out)
    page = watched.page
    names = {n.id: n.name for n in view.nodes}
    shown = page.evaluate(SHOW_EVERY_NODE)
    iri_of = dict(page.evaluate("nodes.get().map(n => [n.id, n.iri])"))
    assert len(shown) == len(view.nodes) > 500
    for item in shown:
        assert item["heading"] == names[iri_of[item["id"]]]
        for href in item["hrefs"]:
            assert href.startswith(("http://", "https://")) and href.endswith(" noopener noreferrer")
    by_iri = {iri: node_id for node_id, iri in iri_of.items()}
    read = {e.headline for e in graph.events_in_corpus}
    chosen = [n for n in view.nodes if HOSTILE_TEXT.search(n.name) or n.kind in ("context", "day", "image")
              or (n.kind == "event" and n.name in read)]
    assert len(chosen) > 60
    for node in chosen:
        spot = page.evaluate(WHERE_IS, by_iri[node.id])
        page.mouse.move(spot["x"], spot["y"])
        page.mouse.click(spot["x"], spot["y"])
        assert page.inner_text("#kg-details h2").strip()
    assert page.locator("img, svg, iframe, object, embed, a[href^=javascript], a[href^=data]").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "html-hostile-corpus.png")
    watched.assert_clean()
    watched.context.close()

