"""The knowledge graph as a typed network: nodes with details, typed edges.

This is what the HTML view draws.  Node ids are the nodes' IRIs (minted by
:mod:`kg.iri`), so a node in the page is the node in the RDF output.  Every
text is kept as the corpus wrote it: escaping is the page's job, not this
module's.  Building the network is linear in the size of the graph.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kg import iri
from kg.text import bound_text

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph

__all__ = ["NetNode", "NetEdge", "Network", "to_network", "LABEL_LENGTH"]

#: Longest label drawn on the canvas; the details panel shows the whole text.
LABEL_LENGTH = 40


@dataclass(frozen=True, slots=True)
class NetNode:
    """A node of the view.

    ``name`` is the whole text (headline, URL, name) that search looks at and
    the details panel shows; ``label`` is the short text drawn beside the node;
    ``facts`` are the rows of the details panel and ``links`` the URLs it lists.
    """

    id: str
    kind: str
    name: str
    label: str
    date: dt.date | None = None
    facts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    links: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NetEdge:
    """A typed edge; ``contexts`` are named for related-to and shares-context."""

    source: str
    target: str
    kind: str
    contexts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Network:
    """All nodes (by id, in a stable order) and edges of a graph."""

    nodes: Mapping[str, NetNode]
    edges: tuple[NetEdge, ...]

    def count(self) -> dict[str, int]:
        """Number of nodes per type, then of edges per type (one dict)."""
        return dict(Counter(n.kind for n in self.nodes.values())
                    + Counter(e.kind for e in self.edges))


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def _short(text: str) -> str:
    return bound_text(text, LABEL_LENGTH)[0]


def to_network(graph: KnowledgeGraph) -> Network:
    """Return the typed network of ``graph`` (cached on the graph).

    Examples
    --------
    >>> import kg
    >>> net = to_network(kg.build("examples/wcep-2015-09"))
    >>> counts = net.count()
    >>> counts["day"], counts["context"], counts["related-to"], counts["has-context"]
    (30, 194, 1925, 687)
    """
    cached = graph._cache.get("html.network")
    if cached is None:
        cached = graph._cache["html.network"] = _build(graph)
    return cached


def _build(graph: KnowledgeGraph) -> Network:
    base = graph.base_iri
    event_id = {key: iri.event_iri(base, key) for key in graph.events}
    day_id = {date: iri.day_iri(base, date) for date in graph.days}
    article_id = {url: iri.article_iri(base, url) for url in graph.articles}
    image_id = {url: iri.image_iri(base, url) for url in graph.images}
    publisher_id = {name: iri.publisher_iri(base, name) for name in graph.publishers}
    context_id = {name: iri.context_iri(base, name) for name in graph.contexts}

    edges: list[NetEdge] = []
    citing: Counter[str] = Counter()
    showing: Counter[str] = Counter()
    for key, event in graph.events.items():
        citing.update(event.sources)
        showing.update(event.images)
        edges += [NetEdge(event_id[key], article_id[u], "cites") for u in event.sources]
        edges += [NetEdge(event_id[key], image_id[u], "has-image") for u in event.images]
        if key.date in day_id:
            edges.append(NetEdge(event_id[key], day_id[key.date], "on-day"))
    published: Counter[str] = Counter()
    for url, article in graph.articles.items():
        published.update(article.publishers)
        edges += [NetEdge(article_id[url], publisher_id[p], "published-by") for p in article.publishers]
    for date, day in graph.days.items():
        edges += [NetEdge(day_id[date], event_id[k], "lists-event") for k in day.listed if k in event_id]
    in_context: Counter[str] = Counter()
    for key, names in graph.event_contexts.items():
        in_context.update(names)
        edges += [NetEdge(event_id[key], context_id[c], "has-context") for c in names]
    edges += [NetEdge(event_id[r.source], event_id[r.target], "related-to", r.contexts) for r in graph.related]
    edges += [NetEdge(event_id[s.first], event_id[s.second], "shares-context", s.contexts)
              for s in graph.shared]

    nodes: dict[str, NetNode] = {}
    for key, event in graph.events.items():
        publishers = sorted({p for u in event.sources for p in graph.articles[u].publishers})
        facts = [("Date", (key.date.isoformat(),)), ("Publishers", tuple(publishers)),
                 ("Contexts", graph.event_contexts.get(key, ()))]
        if not event.in_corpus:
            facts.append(("Page", ("not in the corpus: only a link names this event",)))
        nodes[event_id[key]] = NetNode(event_id[key], "event", event.headline, _short(event.headline),
                                       key.date, tuple(facts), event.sources + event.images)
    for date, day in graph.days.items():
        nodes[day_id[date]] = NetNode(day_id[date], "day", date.isoformat(), date.isoformat(), date,
                                      (("Events listed", (str(len(day.listed)),)),))
    for url, article in graph.articles.items():
        nodes[article_id[url]] = NetNode(article_id[url], "article", url, _short(_host(url)), None,
                                         (("Publishers", article.publishers),
                                          ("Cited by", (f"{citing[url]} events",))), (url,))
    for name in graph.publishers:
        nodes[publisher_id[name]] = NetNode(publisher_id[name], "publisher", name, _short(name), None,
                                            (("Articles", (str(published[name]),)),))
    for url in graph.images:
        nodes[image_id[url]] = NetNode(image_id[url], "image", url, _short(_host(url)), None,
                                       (("Shown by", (f"{showing[url]} events",)),), (url,))
    for name in graph.contexts:
        nodes[context_id[name]] = NetNode(context_id[name], "context", name, _short(name), None,
                                          (("Events", (str(in_context[name]),)),),
                                          (iri.wikipedia_iri(name),))
    return Network(nodes, tuple(edges))
