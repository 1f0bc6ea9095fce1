"""Node and edge types of the explorer: one registry each, and the palette.

A type's colour, shape and legend text live here and nowhere else: the
page's legend and node styles are made from :data:`NODE_TYPES`,
:data:`EDGE_TYPES` and :data:`COMMUNITY_COLORS`.

Examples
--------
>>> list(NODE_TYPES)
['context', 'publisher', 'event']
>>> EDGE_TYPES["co-occurs"].source, EDGE_TYPES["co-occurs"].target
('entity', 'entity')
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COMMUNITY_COLORS", "EDGE_TYPES", "NODE_TYPES", "OTHER_COMMUNITY", "EdgeType", "NodeType"]


@dataclass(frozen=True, slots=True)
class NodeType:
    """How nodes of one type look: vis-network ``shape``, colour, legend text.

    ``symbol`` is the character that stands for the shape in the legend.
    Entities take their community's colour; ``color`` is for the legend and
    for nodes without a community.
    """

    name: str
    label: str
    color: str
    shape: str
    symbol: str


@dataclass(frozen=True, slots=True)
class EdgeType:
    """How edges of one type look, and which kinds of node they join."""

    name: str
    label: str
    source: str
    target: str
    color: str
    dashes: bool = False


NODE_TYPES: dict[str, NodeType] = {t.name: t for t in (
    NodeType("context", "Context", "#b07aa1", "dot", "●"),
    NodeType("publisher", "Publisher", "#e15759", "diamond", "◆"),
    NodeType("event", "Event", "#4e79a7", "square", "■"),
)}

EDGE_TYPES: dict[str, EdgeType] = {t.name: t for t in (
    EdgeType("co-occurs", "Occur together (width: shared events)", "entity", "entity", "#b9b9b9"),
    EdgeType("names", "Event names entity", "event", "entity", "#9ab6d4"),
    EdgeType("related", "Related events (either direction)", "event", "event", "#4e79a7", dashes=True),
)}

#: Colours of the ten largest communities (Tableau 10, colour-blind aware order).
COMMUNITY_COLORS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
                    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#8cd17d")

#: The colour of entities outside the ten largest communities.
OTHER_COMMUNITY = "#bab0ac"
