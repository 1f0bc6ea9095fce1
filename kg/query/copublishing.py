"""Publishers linked by the events they both cover: a one-mode graph for media studies.

:func:`publisher_projection` is the publisher side of the event-publisher
bipartite graph, read from the same event rows and filters as
:func:`kg.top_publishers`, so that a node's ``events`` is that ranking's
count and a date range or a context narrows both alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import combinations
from typing import TYPE_CHECKING, Any

from kg.arguments import did_you_mean, whole_number
from kg.errors import ArgumentError
from kg.keywords import checks_keywords
from kg.model import KnowledgeGraph, check_graph
from kg.query.names import NameFilter
from kg.query.questions import RANK_BY, RANKED_NODES, select

if TYPE_CHECKING:  # pragma: no cover
    import networkx

__all__ = ["publisher_projection"]

#: The node type each grouping gives (that of the node its names have, where they have one).
_NODE_TYPE = {"publisher": "organization", "distributor": "organization", "source": "publisher", "domain": "domain"}


@checks_keywords
def publisher_projection(graph: KnowledgeGraph, context: NameFilter | None = None,
                         publisher: NameFilter | None = None, since: Any = None, until: Any = None,
                         text: str | Iterable[str] | None = None, *, by: str = "publisher",
                         min_weight: int = 1) -> networkx.Graph[str]:
    """Publishers linked when an event cites both, weighted by the number of such events.

    Parameters
    ----------
    graph : KnowledgeGraph
    context, publisher, since, until, text
        The events to count, as :func:`kg.events` filters them.
    by : {"publisher", "distributor", "source", "domain"}
        The names, as :func:`kg.top_publishers` groups them: ``"publisher"``
        ("AFP via France 24" is AFP), ``"distributor"`` (France 24),
        ``"source"`` (the name as written) or ``"domain"`` (the web host).
    min_weight : int, default 1
        Keep only the pairs of at least this many events (a whole archive's
        pairs of one shared event are mostly noise).

    Returns
    -------
    networkx.Graph
        One node per name that a counted event cites: its IRI (as
        :func:`kg.top_publishers`'s ``iri`` column gives it; the name itself
        for a domain), with ``type``, ``label``, ``name`` and ``events`` (how
        many counted events cite it).  Edges carry ``weight``: the events
        citing both.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> P = publisher_projection(g)
    >>> top = kg.top_publishers(g, None)
    >>> {P.nodes[n]["name"]: P.nodes[n]["events"] for n in P} == dict(zip(top["publisher"], top["events"]))
    True
    >>> reuters = next(n for n in P if P.nodes[n]["name"] == "Reuters")
    >>> P.nodes[reuters]["type"], P.degree(reuters) > 0
    ('organization', True)
    """
    check_graph(graph, "kg.publisher_projection")
    import networkx as nx

    try:
        held = RANK_BY[by]
    except KeyError:
        raise ArgumentError(f"cannot group publishers by {by!r}{did_you_mean(by, RANK_BY)}; "
                            f"use one of {sorted(RANK_BY)}") from None
    min_weight = whole_number(min_weight, "min_weight", 1)
    events_of: Counter[str] = Counter()
    weights: Counter[tuple[str, str]] = Counter()
    for row in select(graph, context, publisher, since, until, text):
        names = sorted(set(held(row)))
        events_of.update(names)
        weights.update(combinations(names, 2))
    nodes = RANKED_NODES.get(by)
    known, mint = (set(nodes[0](graph)), nodes[1]) if nodes else (set(), None)
    ids = {name: mint(graph.base_iri, name) if mint is not None and name in known else name
           for name in events_of}
    kind = _NODE_TYPE.get(by, "name")  # ("name": a name that is no node, as its id is the name itself)
    P: nx.Graph[str] = nx.Graph(base_iri=graph.base_iri, by=by)
    # Sorted, so that two runs give the same node and edge order (GraphML, GEXF).
    P.add_nodes_from((ids[name], {"type": kind if name in known or by == "domain" else "name",
                                  "label": name, "name": name, "events": count})
                     for name, count in sorted(events_of.items()))
    P.add_edges_from((ids[a], ids[b], {"weight": w}) for (a, b), w in sorted(weights.items()) if w >= min_weight)
    return P
