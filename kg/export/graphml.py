"""GraphML, for Gephi, Cytoscape and yEd: :func:`kg.export.nx.to_networkx` written out.

GraphML attributes are scalars, so tuples (an event's contexts, an
article's publishers) are joined with ``|`` (a character that Wikipedia
titles cannot hold), dates become ISO strings and absent values are left out.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import networkx

    from kg.model import KnowledgeGraph

__all__ = ["write_graphml", "graphml_ready", "LIST_SEPARATOR"]

#: Joins the items of a tuple-valued attribute.
LIST_SEPARATOR = "|"


def _scalar(value: Any) -> Any:
    if isinstance(value, (tuple, list, frozenset, set)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def graphml_ready(G: networkx.Graph) -> networkx.Graph:
    """A copy of ``G`` whose attribute values GraphML can hold.

    Examples
    --------
    >>> import networkx as nx, datetime as dt
    >>> G = nx.Graph()
    >>> G.add_node("a", contexts=("Iran", "Iraq"), date=dt.date(2015, 9, 1), page=None)
    >>> dict(graphml_ready(G).nodes["a"])
    {'contexts': 'Iran|Iraq', 'date': '2015-09-01'}
    """
    H = G.__class__()
    H.graph.update({k: _scalar(v) for k, v in G.graph.items() if v is not None})
    H.add_nodes_from((n, {k: _scalar(v) for k, v in d.items() if v is not None})
                     for n, d in G.nodes(data=True))
    if G.is_multigraph():
        H.add_edges_from((u, v, key, {k: _scalar(x) for k, x in d.items() if x is not None})
                         for u, v, key, d in G.edges(keys=True, data=True))
    else:
        H.add_edges_from((u, v, {k: _scalar(x) for k, x in d.items() if x is not None})
                         for u, v, d in G.edges(data=True))
    return H


def write_graphml(graph: KnowledgeGraph, path: str | os.PathLike[str]) -> None:
    """Write the typed multigraph as GraphML.

    Examples
    --------
    >>> import kg, tempfile, pathlib, networkx as nx
    >>> g = kg.build("examples/wcep-2015-09")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.graphml"
    >>> write_graphml(g, out)
    >>> nx.read_graphml(out).number_of_nodes() == g.to_networkx().number_of_nodes()
    True
    """
    import networkx as nx

    from kg.export.nx import to_networkx

    target = os.fspath(path)
    tmp = target + ".part"
    # Write beside the target and rename, so a reader never sees half a file.
    nx.write_graphml(graphml_ready(to_networkx(graph)), tmp, encoding="utf-8")
    os.replace(tmp, target)
