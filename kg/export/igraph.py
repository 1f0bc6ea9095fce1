"""The graph as python-igraph, for analytics that networkx is slow at.

:func:`to_igraph` gives a directed :class:`igraph.Graph` with the same nodes,
edges and attributes as :func:`kg.export.nx.to_networkx`, made straight from
the node/edge table (:mod:`kg.table`) with networkx's attributes: vertex ``name`` is
the IRI (so ``G.vs.find(name=iri)`` works and answers match SPARQL),
``type`` and ``label`` on every vertex, ``type`` on every edge; the other
attributes are kept where they apply (``None`` elsewhere).  Install the
``igraph`` extra (``pip install kg[igraph]``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.errors import MissingExtraError
from kg.export.nx import EDGE_ORDER, NODE_DATA, NODE_ORDER, edge_data
from kg.keywords import checks_keywords
from kg.model import KnowledgeGraph, check_graph
from kg.table import Key, graph_table

if TYPE_CHECKING:  # pragma: no cover
    import igraph

__all__ = ["to_igraph"]


@checks_keywords
def to_igraph(graph: KnowledgeGraph) -> igraph.Graph:
    """Return the whole graph as a directed :class:`igraph.Graph`.

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to convert.

    Returns
    -------
    igraph.Graph
        Vertex ``name`` is the IRI; ``type`` and ``label`` on every vertex, ``type`` on every edge, the
        rest of :func:`kg.to_networkx`'s attributes where they apply; ``base_iri`` as a graph attribute.

    Raises
    ------
    MissingExtraError
        If python-igraph is not installed (the ``igraph`` extra).

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
    check_graph(graph, "kg.to_igraph")
    try:
        import igraph as ig
    except ImportError as err:  # an optional extra
        raise MissingExtraError("to_igraph needs python-igraph: pip install 'kg[igraph]'") from err

    table = graph_table(graph)
    names: list[str] = []
    vertex_data: list[dict[str, object]] = []
    index: dict[tuple[str, Key], int] = {}
    for kind in NODE_ORDER:
        nodes = table.nodes[kind]
        index.update(((kind, key), len(names) + n) for n, key in enumerate(nodes.key))
        names.extend(nodes.iris())
        vertex_data.extend(NODE_DATA[kind](table))

    def vertex(kind: str, key: Key) -> int:
        found = index.get((kind, key))
        if found is None:  # an edge to a node the graph does not list: a bare vertex, as networkx adds
            found = index[kind, key] = len(names)
            names.append(table.iri(kind, key))
            vertex_data.append({})
        return found

    pairs: list[tuple[int, int]] = []
    edge_rows: list[dict[str, object]] = []
    for type in EDGE_ORDER:
        edges = table.edges[type]
        pairs.extend((vertex(edges.source_kind, s), vertex(edges.target_kind, t))
                     for s, t in zip(edges.source, edges.target, strict=False))
        edge_rows.extend(edge_data(edges))
    G = ig.Graph(n=len(names), directed=True)
    G["base_iri"] = graph.base_iri
    G.vs["name"] = names
    # "name" is the IRI in igraph; a context's or publisher's own name is its label
    for key in sorted({k for data in vertex_data for k in data} - {"name"}):
        G.vs[key] = [data.get(key) for data in vertex_data]
    G.add_edges(pairs)
    for key in sorted({k for data in edge_rows for k in data}):
        G.es[key] = [data.get(key) for data in edge_rows]
    return G
