"""GEXF with time: Gephi's timeline plays the events day by day.

The typed multigraph of :func:`kg.export.nx.to_networkx`, with the attributes
GraphML gets (see :mod:`kg.export.graphml`: a ``label`` on every node, a
numeric ``weight`` on every edge, lists joined with ``|``; an edge's type is
``kind``, as GEXF's ``type`` means directed or not), in a *dynamic*
graph: every node and edge has a ``start`` and an ``end`` (ISO dates,
``timeformat="date"``).  An event and a day live on their day; an article,
image or context from the first to the last day of the events that name it;
a publisher over the days of the articles it published; an organization
over those of the publisher names that credit it; an edge over the days
both of its ends share.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import networkx

    from kg.model import KnowledgeGraph

__all__ = ["with_time", "write_gexf"]

_Span = tuple[dt.date, dt.date]


def _spans(G: networkx.MultiDiGraph[str]) -> dict[Any, _Span]:
    """Each node's first and last day: its own date, else that of its neighbours (three hops at most)."""
    spans: dict[Any, _Span] = {}
    for n, attrs in G.nodes(data=True):
        d = attrs.get("date")
        if isinstance(d, dt.date):
            spans[n] = (d, d)
    undirected = G.to_undirected(as_view=True)
    for _ in range(3):  # article -> event, then publisher -> article, then organization -> publisher
        found = {}
        for n in G.nodes:
            if n in spans:
                continue
            near = [spans[m] for m in undirected.neighbors(n) if m in spans]
            if near:
                found[n] = (min(s for s, _ in near), max(e for _, e in near))
        spans.update(found)
    return spans


def with_time(G: networkx.MultiDiGraph[str]) -> networkx.MultiDiGraph[str]:
    """A GEXF-ready copy of ``G`` with ``start`` and ``end`` on every node and edge that has a time.

    Examples
    --------
    >>> import kg
    >>> H = with_time(kg.to_networkx(kg.build("examples/wcep-2015-09")))
    >>> sorted({d["start"] for _, d in H.nodes(data=True) if d["type"] == "event"})[:2]
    ['2015-09-01', '2015-09-02']
    """
    from kg.export.graphml import graphml_ready

    spans = _spans(G)
    H = graphml_ready(G)
    for n, data in H.nodes(data=True):
        if n in spans:
            data["start"], data["end"] = (d.isoformat() for d in spans[n])
    for u, v, data in H.edges(data=True):
        # GEXF's own edge "type" says directed or undirected: kg's edge type is "kind" here.
        data["kind"] = data.pop("type", None) or data.get("label")
        if u in spans and v in spans:
            start = max(spans[u][0], spans[v][0])
            end = min(spans[u][1], spans[v][1])
            if start > end:  # spans that do not meet: the edge lives while either end does
                start, end = min(spans[u][0], spans[v][0]), max(spans[u][1], spans[v][1])
            data["start"], data["end"] = start.isoformat(), end.isoformat()
    H.graph["mode"] = "dynamic"
    return H


def write_gexf(graph: KnowledgeGraph, path: str | os.PathLike[str]) -> None:
    """Write the graph as dynamic GEXF 1.2.

    Examples
    --------
    >>> import kg, tempfile, pathlib, networkx as nx
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.gexf"
    >>> write_gexf(kg.build("examples/wcep-2015-09"), out)
    >>> nx.read_gexf(out).graph["mode"]
    'dynamic'
    """
    import networkx as nx

    from kg.export.nx import to_networkx
    from kg.publish import replacing

    with replacing(path) as tmp:  # a reader never sees half a file
        nx.write_gexf(with_time(to_networkx(graph)), tmp, encoding="utf-8", version="1.2draft")
