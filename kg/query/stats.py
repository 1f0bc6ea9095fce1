"""Summary figures of a graph: counts and the most connected entities."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kg.arguments import whole_number
from kg.model import KnowledgeGraph
from kg.parse.publishers import split_publisher
from kg.query.terminal import cell_text
from kg.report import count_graph

__all__ = ["GraphStats", "graph_stats", "format_stats", "node_counts", "edge_counts",
           "events_per_context", "events_per_publisher", "ranked"]


@dataclass(frozen=True, slots=True)
class GraphStats:
    """Counts per node and edge type, and the top contexts and publishers."""

    counts: dict[str, int]
    nodes: dict[str, int]
    edges: dict[str, int]
    top_contexts: list[tuple[str, int]]
    top_publishers: list[tuple[str, int]]
    busiest_days: list[tuple[str, int]]

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {
            "counts": self.counts,
            "nodes": self.nodes,
            "edges": self.edges,
            "top_contexts": [{"name": n, "events": c} for n, c in self.top_contexts],
            "top_publishers": [{"name": n, "events": c} for n, c in self.top_publishers],
            "busiest_days": [{"date": d, "events": c} for d, c in self.busiest_days],
        }


def node_counts(graph: KnowledgeGraph) -> dict[str, int]:
    """Nodes per type (events read and external events apart)."""
    c = count_graph(graph)
    return {"event": c["events"], "external event": c["external_events"], "day": c["days"],
            "article": c["sources"], "publisher": c["publishers"], "organization": c["organizations"],
            "image": c["images"],
            "context": c["contexts"]}


def edge_counts(graph: KnowledgeGraph) -> dict[str, int]:
    """Edges per type, named as in the graph model.

    Examples
    --------
    >>> import kg
    >>> edge_counts(kg.build("examples/wcep-2015-09"))["shares-context"]
    1209
    """
    events = graph.event_records.values()
    outlets = [split_publisher(name) for name in graph.publishers]
    return {
        "cites": sum(len(e.sources) for e in events),
        "published-by": sum(len(a.publishers) for a in graph.articles.values()),
        "made-by": sum(len(o.publishers) for o in outlets),
        "distributed-by": sum(1 for o in outlets if o.distributor is not None),
        "has-image": sum(len(e.images) for e in events),
        "on-day": sum(1 for e in events if e.in_corpus),
        "lists-event": sum(len(d.listed) for d in graph.days.values()),
        "related-to": len(graph.related),
        "has-context": sum(len(v) for v in graph.event_contexts.values()),
        "shares-context": len(graph.shared),
    }


def ranked(counter: Counter[str], n: int | None) -> list[tuple[str, int]]:
    """The ``n`` largest counts (all with ``None``), ties broken by name so listings are stable.

    Raises
    ------
    ArgumentError
        If ``n`` is not ``None`` or a whole number, 0 or more (``-1`` would
        silently mean "all but the last").

    Examples
    --------
    >>> ranked(Counter({"b": 2, "a": 2, "c": 5}), 2)
    [('c', 5), ('a', 2)]
    """
    if n is not None:
        n = whole_number(n, "how many to list (None: all)")
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def events_per_context(graph: KnowledgeGraph) -> Counter[str]:
    """Events read from the corpus about each context."""
    return Counter(c for k, cs in graph.event_contexts.items() if graph.event_records[k].in_corpus for c in cs)


def events_per_publisher(graph: KnowledgeGraph) -> Counter[str]:
    """Events read from the corpus that cite at least one article of each publisher."""
    counts: Counter[str] = Counter()
    for event in graph.event_records.values():
        if event.in_corpus:
            counts.update({p for url in event.sources for p in graph.articles[url].publishers})
    return counts


def graph_stats(graph: KnowledgeGraph, top: int = 10) -> GraphStats:
    """Compute :class:`GraphStats`.

    Contexts are ranked by the number of events about them, publishers by
    the number of events citing at least one of their articles.

    Examples
    --------
    >>> import kg
    >>> s = graph_stats(kg.build("examples/wcep-2015-09"), top=1)
    >>> s.counts["events"], len(s.top_contexts)
    (428, 1)
    """
    days = Counter({d.isoformat(): 0 for d in graph.days})
    days.update(k.date.isoformat() for k, e in graph.event_records.items() if e.in_corpus)
    return GraphStats(count_graph(graph), node_counts(graph), edge_counts(graph),
                      ranked(events_per_context(graph), top), ranked(events_per_publisher(graph), top),
                      ranked(days, top))


def format_stats(stats: GraphStats) -> str:
    """Render :class:`GraphStats` as aligned plain text."""
    lines: list[str] = []
    for title, table in (("Nodes", stats.nodes), ("Edges", stats.edges)):
        width = max(len(k) for k in table)
        lines += [title] + [f"  {k:<{width}}  {v:>9,}" for k, v in table.items()] + [""]
    lines.pop()
    for title, rows in (("Top contexts (events)", stats.top_contexts),
                        ("Top publishers as written (events citing them)", stats.top_publishers),
                        ("Busiest days (events)", stats.busiest_days)):
        if not rows:  # (--top 0: the counts alone)
            continue
        lines += ["", title]
        # (names as a table of query results prints them: a graph file is anyone's, and an escape sequence in a
        # name would act on the terminal)
        lines += [f"  {count:>6,}  {cell_text(name)}" for name, count in rows]
    return "\n".join(lines)
