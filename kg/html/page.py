"""The self-contained HTML page of a view, rendered by pyvis.

pyvis holds the nodes, edges and options and renders our template (the
files in ``kg/html/assets``) instead of its own, which would load bootstrap
and tom-select from a CDN and show titles that contain "href" as markup.
vis-network's script and style are read from the pyvis package at write
time and inlined, so the page needs no network; a Content-Security-Policy
forbids any request anyway.  Data reaches the page only as JSON in
``<script type="application/json">`` blocks (with ``<``, ``>``, ``&`` and
``'`` escaped by Jinja's ``tojson``), and the page's script shows it as text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kg.html.layout import force_layout
from kg.html.select import View
from kg.html.style import EDGE_TYPES, NODE_TYPES, vis_groups

__all__ = ["render_page", "vis_options", "PageAssets", "page_assets", "VIS_VERSION"]

#: The vis-network build of pyvis 0.3.2 that the page inlines.
VIS_VERSION = "9.1.2"

# Median edge length in pixels: room for labels between nodes of size 5-40.
_EDGE_LENGTH = 150.0
# Above this many edges, edges are hidden while the user drags or zooms.
_LIGHT_EDGES = 5000


@dataclass(frozen=True, slots=True)
class PageAssets:
    """The scripts and styles inlined into every page."""

    vis_js: str
    vis_css: str
    view_js: str
    view_css: str


def _pyvis_lib() -> Path:
    import pyvis

    return Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"


@lru_cache(maxsize=1)
def page_assets() -> PageAssets:
    """Read vis-network (from pyvis) and our own script and style, once.

    >>> "vis-network" in page_assets().vis_js[:2000]
    True
    """
    ours = resources.files("kg.html") / "assets"
    lib = _pyvis_lib()
    assets = PageAssets(
        vis_js=(lib / "vis-network.min.js").read_text(encoding="utf-8"),
        vis_css=(lib / "vis-network.css").read_text(encoding="utf-8"),
        view_js=(ours / "view.js").read_text(encoding="utf-8"),
        view_css=(ours / "view.css").read_text(encoding="utf-8"),
    )
    for name in ("vis_js", "vis_css", "view_js", "view_css"):
        # An inlined file must not close its own element early.
        if "</script" in getattr(assets, name).lower() or "</style" in getattr(assets, name).lower():
            raise RuntimeError(f"asset {name} contains a closing tag and cannot be inlined")
    return assets


def vis_options(edge_count: int) -> dict[str, Any]:
    """vis-network options: positions come from Python, so physics stays off.

    >>> vis_options(10)["physics"]
    {'enabled': False}
    """
    light = edge_count > _LIGHT_EDGES
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": light,
                        "hideEdgesOnZoom": light},
        "nodes": {"borderWidth": 1, "font": {"size": 12, "face": "sans-serif"},
                  "scaling": {"label": {"drawThreshold": 9}}},
        "edges": {"smooth": False, "width": 1, "selectionWidth": 2},
        "groups": vis_groups(),
    }


def _vis_data(view: View) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Node and edge dicts for vis-network, in linear time (no pyvis add_edge)."""
    index = {n.id: i for i, n in enumerate(view.nodes)}
    pairs = [(index[e.source], index[e.target]) for e in view.edges]
    degree = [0] * len(index)
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    positions = force_layout(len(index), pairs, scale=_EDGE_LENGTH)
    nodes = []
    for i, n in enumerate(view.nodes):
        node = {"id": i, "iri": n.id, "group": n.kind, "label": n.label, "name": n.name,
                "x": round(float(positions[i, 0]), 1), "y": round(float(positions[i, 1]), 1),
                "size": round(min(5 + 2 * math.sqrt(degree[i]), 40), 1),
                "facts": [[k, list(v)] for k, v in n.facts]}
        if n.date is not None:
            node["date"] = n.date.isoformat()
        if n.links:
            node["links"] = list(n.links)
        nodes.append(node)
    edges = []
    for j, (e, (a, b)) in enumerate(zip(view.edges, pairs)):
        edge = {"id": j, "from": a, "to": b, "kind": e.kind}
        if e.contexts:
            edge["contexts"] = list(e.contexts)
        edges.append(edge)
    return nodes, edges


def _config(view: View, title: str) -> dict[str, Any]:
    dates = sorted(n.date for n in view.nodes if n.date is not None)
    return {
        "title": title,
        "notice": view.notice,
        "description": view.options.describe(),
        "dateRange": [dates[0].isoformat(), dates[-1].isoformat()] if dates else None,
        "nodeTypes": {k: {"label": t.label, "color": t.color, "symbol": t.symbol}
                      for k, t in NODE_TYPES.items()},
        "edgeTypes": {k: {"color": t.color, "dashes": t.dashes, "arrow": t.arrow}
                      for k, t in EDGE_TYPES.items()},
        # tojson sorts keys: the legend's order travels separately.
        "nodeOrder": list(NODE_TYPES),
        "edgeOrder": list(EDGE_TYPES),
    }


def render_page(view: View, *, title: str = "Knowledge graph", height: str = "100%") -> str:
    """Render a view as one self-contained HTML page.

    Examples
    --------
    >>> import kg
    >>> from kg.html.select import select_view
    >>> page = render_page(select_view(kg.build("examples/wcep-2015-09"), focus="Iran"))
    >>> page.startswith("<!DOCTYPE html>"), "cdnjs" in page or "jsdelivr" in page, "<script src" in page
    (True, False, False)
    """
    from pyvis.network import Network

    import kg

    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    net.nodes, net.edges = _vis_data(view)
    net.options = vis_options(len(net.edges))
    net.set_template_dir(str(resources.files("kg.html") / "assets") + "/", "page.html")
    net.templateEnv.globals.update(kg_assets=page_assets(), kg_config=_config(view, title),
                                   kg_version=kg.__version__)
    return net.generate_html(name="graph.html")
