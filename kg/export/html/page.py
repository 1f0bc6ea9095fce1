"""The self-contained HTML page of an explorer, rendered by pyvis.

pyvis holds the first view's nodes, edges and options and renders our
template (the files in ``kg/export/html/assets``) instead of its own, which would
load bootstrap and tom-select from a CDN.  vis-network's script and style are
read from the pyvis package at write time and inlined, so the page needs no
network; a Content-Security-Policy forbids any request anyway.

Data reaches the page only as JSON in ``<script type="application/json">``
blocks (``<``, ``>``, ``&`` and ``'`` escaped by Jinja's ``tojson``) and as
the archive's two buffers (:mod:`kg.export.html.packing`), gzipped and
base64-encoded (an alphabet without markup), which the page unpacks with the
browser's ``DecompressionStream``.  The second, the headlines and URLs, comes
last in the file: the first view is drawn before the parser reaches it.
The page's script shows every text as text.
"""

from __future__ import annotations

import base64
import secrets
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.html.explorer import LABEL_LENGTH
from kg.export.html.overview import SIZING
from kg.export.html.packing import pack_archive
from kg.export.html.style import COMMUNITY_COLORS, EDGE_TYPES, NODE_TYPES, OTHER_COMMUNITY

if TYPE_CHECKING:  # pragma: no cover
    from kg.export.html.explorer import Explorer

__all__ = ["GZIP_PIECE", "VIEW_PARTS", "VIS_VERSION", "PageAssets", "gzip_base64", "page_assets", "page_pieces",
           "render_page", "vis_options"]

#: The vis-network build of pyvis 0.3.2 that the page inlines.
VIS_VERSION = "9.1.2"

#: On-screen label size (pixels) under which vis-network does not draw a label.
LABEL_DRAW_THRESHOLD = 8

#: The page's script, ``assets/view/<part>.js``, in the order the parts are joined into one closure:
#: helpers and the first view; the archive and the period; placing, expanding and collapsing nodes;
#: fitting the view to nodes, and keeping it as the canvas changes size; filters, the legend and the side
#: panel; the panel's chart of an entity's events; the labels lifted beside a selection; selection; the
#: period chosen and the timeline; search; the view in the address; the wiring and the page's API
#: (``window.kgView``).
VIEW_PARTS = ("base", "archive", "placing", "fitting", "panel", "charts", "labels", "selection", "period", "search",
              "link", "api")
_VIEW_OPEN, _VIEW_CLOSE = "(function () {\n  'use strict';\n", "}());\n"


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
    ours = resources.files("kg.export.html") / "assets"
    lib = _pyvis_lib()
    assets = PageAssets(
        vis_js=(lib / "vis-network.min.js").read_text(encoding="utf-8"),
        vis_css=(lib / "vis-network.css").read_text(encoding="utf-8"),
        view_js=_VIEW_OPEN + "".join((ours / "view" / f"{part}.js").read_text(encoding="utf-8")
                                     for part in VIEW_PARTS) + _VIEW_CLOSE,
        view_css=(ours / "view.css").read_text(encoding="utf-8"),
    )
    for name in ("vis_js", "vis_css", "view_js", "view_css"):
        # An inlined file must not close its own element early.
        text = getattr(assets, name).lower()
        if "</script" in text or "</style" in text:
            raise RuntimeError(f"asset {name} contains a closing tag and cannot be inlined")
    return assets


def vis_options() -> dict[str, Any]:
    """vis-network options: positions come from Python, so physics stays off.

    Labels scale with zoom: one smaller than :data:`LABEL_DRAW_THRESHOLD`
    pixels on screen is not drawn, so the first view shows the big entities'
    names and zooming in reveals the rest.

    >>> vis_options()["physics"]
    {'enabled': False}
    """
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        # (the keys' moves and zooms are the page's script's, a step a press; vis-network's keyboard, at
        # speed 0, moves nothing, and is kept for its focus: the canvas takes the keys once the pointer
        # is over it)
        "interaction": {"hover": True, "tooltipDelay": 200, "keyboard": {"enabled": True,
                        "bindToWindow": False, "speed": {"x": 0, "y": 0, "zoom": 0}},
                        "multiselect": False, "zoomSpeed": 0.6},
        "nodes": {"borderWidth": 1, "labelHighlightBold": False,
                  "font": {"face": "sans-serif", "color": "#222222", "strokeWidth": 3,
                           "strokeColor": "#ffffff"},
                  "scaling": {"label": {"enabled": True, "drawThreshold": LABEL_DRAW_THRESHOLD,
                                        "maxVisible": 30}}},
        "edges": {"smooth": False, "width": 1, "selectionWidth": 1.5, "hoverWidth": 0.5,
                  "color": {"inherit": False}},
    }


#: gzip level of the packed archive: at 150,000 events, level 6 took 3.1 s for a page 4% smaller than level 4's 1 s.
GZIP_LEVEL = 4


#: Bytes of a packed buffer gzipped at a time as the page is written.
GZIP_PIECE = 1 << 20

#: The gzip header of the buffers (RFC 1952): no name, time 0, "unknown" system, as Python's
#: ``gzip`` writes it; zlib's own would name the system that wrote it, and a page would then
#: differ from one platform to another.
_GZIP_HEADER = bytes((0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF))


def gzip_base64(data: bytes | memoryview, *, piece: int = GZIP_PIECE) -> Iterator[str]:
    """A packed buffer gzipped and base64-encoded (text safe inside a script element), in pieces.

    Neither the gzip nor its base64 is ever held whole (21 and 28 MB at
    150,000 events): ``piece`` bytes of ``data`` are gzipped at a time, and
    what comes of them written before the next.

    >>> import base64, gzip
    >>> gzip.decompress(base64.b64decode("".join(gzip_base64(b"abc" * 10**6))))[:6]
    b'abcabc'
    """
    view = memoryview(data)

    def gzipped() -> Iterator[bytes]:
        packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -15)  # raw deflate: header and trailer are ours
        crc = 0
        yield _GZIP_HEADER
        for start in range(0, len(view), piece):
            chunk = view[start:start + piece]
            crc = zlib.crc32(chunk, crc)
            yield packer.compress(chunk)
        yield packer.flush() + struct.pack("<II", crc, len(view) & 0xFFFFFFFF)

    held = b""  # what base64 cannot take yet: fewer than three bytes, or what came with them
    for chunk in gzipped():
        held += chunk
        cut = len(held) - len(held) % 3  # three bytes make four characters: the pieces join
        if cut:
            yield base64.b64encode(held[:cut]).decode("ascii")
            held = held[cut:]
    if held:
        yield base64.b64encode(held).decode("ascii")


def _vis_data(explorer: Explorer) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The first view's nodes and edges for vis-network."""
    archive, ov = explorer.archive, explorer.overview
    nodes = []
    for i, e in enumerate(ov.entities):
        kind = "context" if archive.entity_kind[e] == 0 else "publisher"
        color = COMMUNITY_COLORS[ov.community[i]] if ov.community[i] < len(COMMUNITY_COLORS) \
            else OTHER_COMMUNITY
        nodes.append({"id": archive.entity_iri[e], "entity": e, "kind": kind,
                      "label": explorer.labels[i], "shape": NODE_TYPES[kind].shape,
                      "x": ov.x[i], "y": ov.y[i], "size": ov.size[i], "font": {"size": ov.font[i]},
                      "community": ov.community[i], "box": list(explorer.boxes[i]),
                      "color": {"background": color, "border": "#ffffff",
                                "highlight": {"background": color, "border": "#222222"},
                                "hover": {"background": color, "border": "#222222"}}})
    edges = []
    for a, b, weight in ov.edges:
        edges.append({"id": f"o{a}-{b}", "from": nodes[a]["id"], "to": nodes[b]["id"],
                      "kind": "co-occurs", "weight": weight})
    return nodes, edges


def _config(explorer: Explorer, manifest: dict[str, Any]) -> dict[str, Any]:
    ov, options = explorer.overview, explorer.options
    return {
        "archive": manifest,
        "title": options.title,
        "notice": explorer.notice,
        "focus": explorer.focus_iri,
        "depth": options.depth,
        "since": options.since.isoformat() if options.since else None,
        "until": options.until.isoformat() if options.until else None,
        "kinds": list(options.kinds),
        "largest": ov.largest,
        "sizing": SIZING,
        "labelLength": LABEL_LENGTH,
        # Events the page adds: small squares whose labels show when zoomed in.
        "eventSize": 7, "eventFont": 10, "eventLabelLength": 32,
        # An expanded entity shows its latest events and the entities they name most.
        "expandEvents": 60, "expandEntities": 15, "depthTwoNodes": 300, "periodEntities": 20,
        "labelThreshold": LABEL_DRAW_THRESHOLD,
        "nodeTypes": {k: {"label": t.label, "color": t.color, "shape": t.shape, "symbol": t.symbol}
                      for k, t in NODE_TYPES.items()},
        "edgeTypes": {k: {"label": t.label, "color": t.color, "dashes": t.dashes}
                      for k, t in EDGE_TYPES.items()},
        "communityColors": list(COMMUNITY_COLORS),
        "otherCommunity": OTHER_COMMUNITY,
    }


def render_page(explorer: Explorer) -> str:
    """Render an explorer as one self-contained HTML page (:func:`page_pieces` joined).

    Examples
    --------
    >>> import kg
    >>> from kg.export.html.explorer import explore
    >>> page = render_page(explore(kg.build("examples/wcep-2015-09")))
    >>> page.startswith("<!DOCTYPE html>"), "cdnjs" in page or "jsdelivr" in page, "<script src" in page
    (True, False, False)
    """
    return "".join(page_pieces(explorer))


def page_pieces(explorer: Explorer) -> Iterator[str]:
    """The page of :func:`render_page` as pieces of text to write one after the other.

    The two buffers go out gzipped and base64-encoded a piece at a time
    (:func:`gzip_base64`): the page (29 MB at 150,000 events) is never held
    whole, as text or gzipped.

    Examples
    --------
    >>> import kg
    >>> from kg.export.html.explorer import explore
    >>> pieces = list(page_pieces(explore(kg.build("examples/wcep-2015-09"))))
    >>> pieces[0].startswith("<!DOCTYPE html>"), pieces[-1].rstrip().endswith("</html>")
    (True, True)
    """
    from pyvis.network import Network

    from kg import __version__

    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line")
    net.nodes, net.edges = _vis_data(explorer)
    net.options = vis_options()
    net.set_template_dir(str(resources.files("kg.export.html") / "assets") + "/", "page.html")
    packed = pack_archive(explorer.archive)
    data, texts = packed.data, packed.texts
    # The template is rendered with a marker where each buffer goes: random, so that no text
    # of the corpus can stand for one.
    marker = secrets.token_hex(16)
    net.templateEnv.globals.update(kg_assets=page_assets(), kg_config=_config(explorer, packed.manifest),
                                   kg_archive=marker, kg_texts=marker, kg_version=__version__,
                                   kg_title=explorer.options.title)  # (escaped in the template: a title is text)
    del packed
    head, middle, tail = _split_at(str(net.generate_html(name="graph.html")), marker)
    yield head
    yield from gzip_base64(data)
    del data  # not held while the texts, five times larger, are gzipped
    yield middle
    yield from gzip_base64(texts)
    yield tail


def _split_at(page: str, marker: str) -> tuple[str, str, str]:
    parts = page.split(marker)
    if len(parts) != 3:  # the template names each buffer once: anything else is our bug
        raise AssertionError(f"the page template holds {len(parts) - 1} buffer markers, not 2")
    return parts[0], parts[1], parts[2]
