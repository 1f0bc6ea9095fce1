"""Summary figures of a graph: counts and the most connected entities."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kg.model import KnowledgeGraph

__all__ = ["GraphStats", "graph_stats", "format_stats"]


@dataclass(frozen=True, slots=True)
class GraphStats:
    """Counts per node and edge type, and the top contexts and publishers."""

    counts: dict[str, int]
    top_contexts: list[tuple[str, int]]
    top_publishers: list[tuple[str, int]]
    busiest_days: list[tuple[str, int]]

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {
            "counts": self.counts,
            "top_contexts": [{"name": n, "events": c} for n, c in self.top_contexts],
            "top_publishers": [{"name": n, "events": c} for n, c in self.top_publishers],
            "busiest_days": [{"date": d, "events": c} for d, c in self.busiest_days],
        }


def _top(counter: Counter[str], n: int) -> list[tuple[str, int]]:
    # Ties broken by name, so the listing is stable.
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


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
    contexts: Counter[str] = Counter()
    for names in graph.event_contexts.values():
        contexts.update(names)
    publishers: Counter[str] = Counter()
    for event in graph.events.values():
        names = {p for url in event.sources for p in graph.articles[url].publishers}
        publishers.update(names)
    days = Counter({d.isoformat(): 0 for d in graph.days})
    days.update(k.date.isoformat() for k, e in graph.events.items() if e.in_corpus)
    return GraphStats(graph.counts(), _top(contexts, top), _top(publishers, top), _top(days, top))


def format_stats(stats: GraphStats) -> str:
    """Render :class:`GraphStats` as aligned plain text."""
    lines = ["Counts"]
    width = max(len(k) for k in stats.counts)
    lines += [f"  {k:<{width}}  {v:>9,}" for k, v in stats.counts.items()]
    for title, rows in (("Top contexts (events)", stats.top_contexts),
                        ("Top publishers (events cited)", stats.top_publishers),
                        ("Busiest days (events)", stats.busiest_days)):
        lines += ["", title]
        lines += [f"  {count:>6,}  {name}" for name, count in rows]
    return "\n".join(lines)
