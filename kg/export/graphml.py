"""GraphML, for Gephi, Cytoscape, igraph and yEd: :func:`kg.export.nx.to_networkx` written out.

Written so that the common readers take it as meant:

- key ids are the attribute names (``<key id="label" attr.name="label">``;
  an edge's are prefixed, ``edge_weight``), not ``d0``, ``d1`` ...: Gephi's
  importer reads a key whose id is ``d3`` as the node label (a yEd
  convention), and ids that say what they hold cannot collide with it;
- every node has ``label`` (a headline, name, URL or date), which Gephi and
  igraph show, and every edge a ``label`` (its type);
- booleans are ``true``/``false`` (XML Schema), not Python's ``True``;
- every edge has a numeric ``weight`` (the number of shared contexts on a
  shares-context edge, 1 elsewhere), so that weighted algorithms run;
- a date is ISO text (``date``) and a number (``date_day``: days since
  1970-01-01), for filters and sliders that need numbers.

GraphML attributes are scalars, so tuples (an event's contexts, an article's
publishers) are joined with ``|`` (a character that Wikipedia titles cannot
hold; an item of a hostile corpus that holds one has it written ``\\|``, and a
backslash ``\\\\``, so that it stays one item) and absent values are left out.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # pragma: no cover
    import networkx

    from kg.model import KnowledgeGraph

_G = TypeVar("_G", bound="networkx.Graph[str]")  # a graph comes back as the class it went in

__all__ = ["DAY_SUFFIX", "DEFAULT_WEIGHT", "LIST_SEPARATOR", "graphml_ready", "write_graphml"]

#: Joins the items of a tuple-valued attribute.
LIST_SEPARATOR = "|"
#: ``date`` gets a numeric twin ``date_day``: days since 1970-01-01.
DAY_SUFFIX = "_day"
#: The weight of an edge that has none of its own.
DEFAULT_WEIGHT = 1

_EPOCH = dt.date(1970, 1, 1)


def _item(value: Any) -> str:
    text = str(value)
    if LIST_SEPARATOR in text or "\\" in text:  # (no real name: Wikipedia titles and outlets hold neither)
        text = text.replace("\\", "\\\\").replace(LIST_SEPARATOR, "\\" + LIST_SEPARATOR)
    return text


def _scalar(value: Any) -> Any:
    if isinstance(value, (tuple, list, frozenset, set)):
        return LIST_SEPARATOR.join(_item(v) for v in value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _attrs(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: _scalar(v) for k, v in data.items() if v is not None}
    for k, v in data.items():
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            out[k + DAY_SUFFIX] = (v - _EPOCH).days
    return out


def _edge_attrs(data: dict[str, Any]) -> dict[str, Any]:
    out = _attrs(data)
    out.setdefault("weight", DEFAULT_WEIGHT)
    if "type" in out:
        out.setdefault("label", out["type"])
    return out


def graphml_ready(G: _G) -> _G:
    """A copy of ``G`` whose attribute values GraphML can hold, with a weight on every edge.

    Examples
    --------
    >>> import networkx as nx, datetime as dt
    >>> G = nx.Graph()
    >>> G.add_node("a", contexts=("Iran", "Iraq"), date=dt.date(2015, 9, 1), page=None)
    >>> G.add_edge("a", "b", type="related-to")
    >>> dict(graphml_ready(G).nodes["a"])
    {'contexts': 'Iran|Iraq', 'date': '2015-09-01', 'date_day': 16679}
    >>> graphml_ready(G).edges["a", "b"]
    {'type': 'related-to', 'weight': 1, 'label': 'related-to'}
    """
    from networkx import MultiGraph

    H = type(G)()
    H.graph.update({k: _scalar(v) for k, v in G.graph.items() if v is not None})
    H.add_nodes_from((n, _attrs(d)) for n, d in G.nodes(data=True))
    if isinstance(G, MultiGraph):  # a MultiDiGraph too: what is_multigraph() says of networkx's classes
        for u, v, key, d in G.edges(keys=True, data=True):
            H.add_edge(u, v, key=key, **_edge_attrs(d))
    else:
        H.add_edges_from((u, v, _edge_attrs(d)) for u, v, d in G.edges(data=True))
    return H


def _writer_class() -> type:
    from networkx.readwrite.graphml import GraphMLWriter

    class Writer(GraphMLWriter):
        """networkx's writer, with XML Schema booleans and key ids named after their attributes."""

        def add_data(self, name: str, element_type: type, value: Any, scope: str = "all",
                     default: Any = None) -> Any:
            element = super().add_data(name, element_type, value, scope, default)
            if element_type is bool:  # the value comes as str(value): 'True'
                element.text = "true" if value in (True, "True") else "false"
            return element

        def get_key(self, name: str, attr_type: str, scope: str, default: Any) -> str:
            # A node key's id is its name; an edge's or the graph's is prefixed, as
            # ids are unique across the file and nodes and edges share names (label).
            found: str | None = self.keys.get((name, attr_type, scope))  # key ids, as set below
            if found is not None:
                return found
            key_id = name if scope == "node" else f"{scope}_{name}"
            self.keys[name, attr_type, scope] = key_id
            key = self.myElement("key", **{"id": key_id, "for": scope, "attr.name": name,
                                          "attr.type": attr_type})
            if default is not None:
                element = self.myElement("default")
                element.text = str(default)
                key.append(element)
            self.xml.insert(0, key)
            return key_id

    return Writer


def write_graphml(graph: KnowledgeGraph, path: str | os.PathLike[str]) -> None:
    """Write the typed multigraph as GraphML.

    Examples
    --------
    >>> import kg, tempfile, pathlib, networkx as nx
    >>> g = kg.build("examples/wcep-2015-09")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.graphml"
    >>> write_graphml(g, out)
    >>> nx.read_graphml(out).number_of_nodes() == kg.to_networkx(g).number_of_nodes()
    True
    """
    from kg.export.nx import to_networkx
    from kg.publish import replacing

    writer = _writer_class()(encoding="utf-8", prettyprint=True, named_key_ids=True)
    writer.add_graph_element(graphml_ready(to_networkx(graph)))
    # Write beside the target and rename, so a reader never sees half a file.
    with replacing(path) as tmp, open(tmp, "wb") as out:
        writer.dump(out)
