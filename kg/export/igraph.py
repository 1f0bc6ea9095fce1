"""The graph as python-igraph, for analytics that networkx is slow at.

:func:`to_igraph` gives a directed :class:`igraph.Graph` with the same nodes,
edges and attributes as :func:`kg.export.nx.to_networkx`: vertex ``name`` is
the IRI (so ``G.vs.find(name=iri)`` works and answers match SPARQL),
``type`` and ``label`` on every vertex, ``type`` on every edge; the other
attributes are kept where they apply (``None`` elsewhere).  Install the
``igraph`` extra (``pip install kg[igraph]``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.errors import MissingExtraError
from kg.model import KnowledgeGraph

if TYPE_CHECKING:  # pragma: no cover
    import igraph

__all__ = ["to_igraph"]


def to_igraph(graph: KnowledgeGraph) -> igraph.Graph:
    """Return the whole graph as a directed :class:`igraph.Graph`.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> G = to_igraph(g)
    >>> G.is_directed(), G.vcount() == kg.to_networkx(g).number_of_nodes()
    (True, True)
    >>> sum(1 for t in G.vs["type"] if t == "context") == len(g.contexts)
    True
    """
    try:
        import igraph as ig
    except ImportError as err:  # an optional extra
        raise MissingExtraError("to_igraph needs python-igraph: pip install 'kg[igraph]'") from err

    from kg.export.nx import to_networkx

    nx_graph = to_networkx(graph)
    nodes = list(nx_graph.nodes)
    index = {node: n for n, node in enumerate(nodes)}
    G = ig.Graph(n=len(nodes), directed=True)
    G["base_iri"] = graph.base_iri
    G.vs["name"] = nodes
    # "name" is the IRI in igraph; a context's or publisher's own name is its label
    vertex_keys = sorted({k for _, data in nx_graph.nodes(data=True) for k in data} - {"name"})
    for key in vertex_keys:
        G.vs[key] = [nx_graph.nodes[node].get(key) for node in nodes]
    edges = list(nx_graph.edges(data=True))
    G.add_edges([(index[u], index[v]) for u, v, _ in edges])
    for key in sorted({k for *_, data in edges for k in data}):
        G.es[key] = [data.get(key) for *_, data in edges]
    return G
