"""The one node/edge table of a graph: what is a node, what is an edge.

:func:`graph_table` turns a :class:`~kg.model.KnowledgeGraph` into typed
nodes and edges, and every output reads the result: RDF (:mod:`kg.export.triples`),
networkx, GraphML, GEXF and igraph (:mod:`kg.export`), the explorer's
columns (:mod:`kg.export.html.archive`) and the counts of ``report.json``
(:func:`kg.report.count_graph`).  So they cannot disagree on which nodes and
edges the graph has; each only says how its format writes them.

==============  =========================  =========================================
edge type       from -> to                 attributes
==============  =========================  =========================================
cites           event -> article
published-by    article -> publisher
made-by         publisher -> organization  one per maker of the name
distributed-by  publisher -> organization  the Y of "X via Y"
has-image       event -> image
on-day          event -> day               (events whose page was read)
lists-event     day -> event               ``rank`` on the day page
related-to      event -> event             ``rank``, ``contexts`` of the line
has-context     event -> context
shares-context  event -> event             ``weight``, ``contexts`` (one edge a pair)
==============  =========================  =========================================

A publisher is a source name as written ("AFP via France 24"); the
organizations it resolves to (:func:`kg.parse.publishers.split_publisher`:
maker AFP, distributor France 24; "Reuters" to its one maker, Reuters) are
nodes of their own, so that every name that credits AFP reaches one node.
An article's ``domain`` is its URL's host (:func:`kg.parse.publishers.web_domain`).

The table is columns, not an object per edge: a :class:`NodeSet` per node
kind and an :class:`EdgeSet` per edge type hold tuples that share the
graph's own keys and strings, so a 150,000-event archive costs a few
pointers per edge.  :class:`Node` and :class:`Edge` records are made on
demand (:meth:`NodeSet.record`, :meth:`Table.edges_of`), and so are IRIs
(:meth:`NodeSet.iris`).  Nodes and edges name each other by stable key (a
:class:`~kg.parse.records.PageKey`, a date, a URL, a name); :meth:`Table.iri`
turns a key into its IRI through :mod:`kg.iri`.  The sets are typed by their
keys (:class:`NodeSets`, :class:`EdgeSets`): a reader that names a kind or
type gets its own columns' types, page keys from ``t.nodes["event"].key``,
URLs from ``t.edges["cites"].target``.

Examples
--------
>>> import kg
>>> t = graph_table(kg.build("examples/wcep-2015-09"))
>>> len(t.nodes["event"]), len(t.nodes["day"]), len(t.edges["related-to"])
(428, 30, 1925)
>>> t.nodes["article"].record(0).domain
'abc7news.com'
>>> sorted(e.target.rsplit("/", 1)[1] for e in t.edges_of("made-by") if e.source.endswith("/Reuters"))
['reuters']
>>> t.nodes["context"].record(0).kind
'context'
>>> next(t.edges_of("on-day")).target
'https://kg.example.org/news/day/2015-09-01'
"""

from kg.table.building import (
    graph_table,
    organization_labels,
    organization_named,
    organization_names,
    organization_spellings,
    organizations,
    organizations_not_written_alone,
)
from kg.table.columns import (
    EDGE_ENDS,
    EDGE_TYPES,
    NODE_KINDS,
    Edge,
    EdgeSet,
    EdgeSets,
    Key,
    Node,
    NodeSet,
    NodeSets,
    Table,
)

__all__ = [
    "EDGE_ENDS",
    "EDGE_TYPES",
    "NODE_KINDS",
    "organization_labels",
    "organization_named",
    "organization_names",
    "organization_spellings",
    "organizations",
    "organizations_not_written_alone",
    "Edge",
    "EdgeSet",
    "EdgeSets",
    "Key",
    "Node",
    "NodeSet",
    "NodeSets",
    "Table",
    "graph_table",
]
