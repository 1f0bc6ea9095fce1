"""Node and edge types of the network view: one registry each.

A type's colour, shape and label live here and nowhere else: the page's
legend, its vis-network groups and its edge styles are all made from
:data:`NODE_TYPES` and :data:`EDGE_TYPES`.

Examples
--------
>>> list(NODE_TYPES)
['event', 'day', 'article', 'publisher', 'image', 'context']
>>> EDGE_TYPES["cites"].source, EDGE_TYPES["cites"].target
('event', 'article')
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NodeType", "EdgeType", "NODE_TYPES", "EDGE_TYPES", "vis_groups"]


@dataclass(frozen=True, slots=True)
class NodeType:
    """How nodes of one type look: vis-network ``shape``, colour, legend text.

    ``symbol`` is the character that stands for the shape in the legend.
    """

    name: str
    label: str
    color: str
    shape: str
    symbol: str
    dated: bool = False


@dataclass(frozen=True, slots=True)
class EdgeType:
    """How edges of one type look, and which node types they join."""

    name: str
    source: str
    target: str
    color: str
    dashes: bool = False
    arrow: bool = False


NODE_TYPES: dict[str, NodeType] = {t.name: t for t in (
    NodeType("event", "Event", "#4e79a7", "dot", "●", dated=True),
    NodeType("day", "Day", "#f28e2b", "square", "■", dated=True),
    NodeType("article", "Source article", "#59a14f", "triangle", "▲"),
    NodeType("publisher", "Publisher", "#e15759", "diamond", "◆"),
    NodeType("image", "Image", "#b6992d", "star", "★"),
    NodeType("context", "Context", "#b07aa1", "hexagon", "⬢"),
)}

EDGE_TYPES: dict[str, EdgeType] = {t.name: t for t in (
    EdgeType("cites", "event", "article", "#8cd17d"),
    EdgeType("published-by", "article", "publisher", "#ff9d9a"),
    EdgeType("has-image", "event", "image", "#f1ce63"),
    EdgeType("on-day", "event", "day", "#ffbe7d"),
    EdgeType("lists-event", "day", "event", "#ffbe7d", dashes=True),
    EdgeType("related-to", "event", "event", "#4e79a7", arrow=True),
    EdgeType("has-context", "event", "context", "#d4a6c8"),
    EdgeType("shares-context", "event", "event", "#9c755f", dashes=True),
)}


def vis_groups() -> dict[str, dict[str, object]]:
    """vis-network ``groups`` options: one group per node type.

    >>> vis_groups()["day"]["shape"]
    'square'
    """
    return {
        t.name: {"shape": t.shape, "color": {"background": t.color, "border": t.color,
                                             "highlight": {"background": t.color, "border": "#222222"},
                                             "hover": {"background": t.color, "border": "#222222"}}}
        for t in NODE_TYPES.values()
    }
