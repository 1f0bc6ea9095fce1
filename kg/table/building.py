"""Make a graph's node/edge table: one function per node kind and per edge type.

:func:`graph_table` is the one place that decides what is a node or an
edge of a :class:`~kg.model.KnowledgeGraph` (see :mod:`kg.table`); the
registries ``_NODES`` and ``_EDGES`` say which function makes which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, TypeVar

from kg import iri
from kg.errors import ArgumentError
from kg.parse.publishers import organization_key, organization_label, organizations_of, split_publisher
from kg.parse.records import PageKey
from kg.table.columns import EDGE_ENDS, EDGE_TYPES, NODE_KINDS, EdgeSet, EdgeSets, Key, NodeSet, NodeSets, Table

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph

__all__ = ["graph_table", "organization_names", "organization_labels", "organization_named", "organization_spellings",
           "organizations", "organizations_not_written_alone"]

# The key types of an edge set's sources and targets.
_S = TypeVar("_S", bound=Key)
_T = TypeVar("_T", bound=Key)


# ------------------------------------------------------------------ nodes

def _event_nodes(g: KnowledgeGraph) -> NodeSet[PageKey]:
    records, contexts_of = g.event_records, g.event_contexts
    keys = tuple(records)
    events = tuple(records.values())
    no_contexts: tuple[str, ...] = ()
    return NodeSet("event", g.base_iri, keys, tuple(e.headline for e in events), date=tuple(k.date for k in keys),
                   page=tuple(e.page for e in events), in_corpus=tuple(e.in_corpus for e in events),
                   contexts=tuple(contexts_of.get(k, no_contexts) for k in keys))


def _day_nodes(g: KnowledgeGraph) -> NodeSet[dt.date]:
    dates = tuple(g.days)
    return NodeSet("day", g.base_iri, dates, tuple(d.isoformat() for d in dates), date=dates,
                   page=tuple(day.page for day in g.days.values()),
                   heading=tuple(day.label for day in g.days.values()))


def _article_nodes(g: KnowledgeGraph) -> NodeSet[str]:
    urls = tuple(g.articles)
    return NodeSet("article", g.base_iri, urls, urls, url=urls,
                   publishers=tuple(a.publishers for a in g.articles.values()))


def _publisher_nodes(g: KnowledgeGraph) -> NodeSet[str]:
    return NodeSet("publisher", g.base_iri, g.publishers, g.publishers)


def organization_names(g: KnowledgeGraph) -> tuple[str, ...]:
    """The names of ``g``'s organizations as its sources write them: those its publisher names resolve to,
    unless the graph names them; several may spell one organization (:func:`organizations` gives the nodes).

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> "Reuters" in organization_names(g) and len(organization_names(g)) <= len(g.publishers)
    True
    """
    return g.organizations if g.organizations is not None else organizations_of(g.publishers)


def organizations_not_written_alone(g: KnowledgeGraph) -> tuple[str, ...]:
    """The organizations of ``g`` that no source names alone, only with others ("AFP via France 24"):
    no publisher node has their name, so ``publisher:AFP`` names nothing and ``organization:AFP`` is the node.

    Examples
    --------
    >>> import kg
    >>> names = organizations_not_written_alone(kg.build("examples/wcep-2015-09"))
    >>> "AFP" in names, "Reuters" in names  # (written "AFP via ...", and "Reuters" too)
    (True, False)
    """
    written = set(g.publishers)
    return tuple(name for name in organization_names(g) if name not in written)


def organizations(g: KnowledgeGraph) -> tuple[tuple[str, str], ...]:
    """The organization nodes of ``g``: each one's key and label, in key order (the output order)
    (:func:`organization_spellings` gives the names written for each).

    Spellings of one organization are one node (:func:`~kg.parse.publishers.organization_key`),
    named by :func:`~kg.parse.publishers.organization_label`: by the pages that write each spelling, as the
    build counted them (``g.organization_labels``).

    Examples
    --------
    >>> import kg
    >>> from dataclasses import replace
    >>> g = replace(kg.build("examples/wcep-2015-09"), organizations=("Al-Arabiya", "Al Arabiya", "AFP"))
    >>> organizations(g)
    (('afp', 'AFP'), ('alarabiya', 'Al Arabiya'))
    """
    return tuple((key, _label(g, key, names)) for key, names in organization_spellings(g).items())


def _label(g: KnowledgeGraph, key: str, spellings: tuple[str, ...]) -> str:
    """The label of organization ``key``: the build's (by the pages that write each spelling), else by rule."""
    chosen = g.organization_labels.get(key) if g.organization_labels is not None else None
    return chosen if chosen is not None else organization_label(spellings)


def organization_spellings(g: KnowledgeGraph) -> dict[str, tuple[str, ...]]:
    """Each organization's key, and the names its sources write for it, in code-point order.

    Examples
    --------
    >>> import kg
    >>> from dataclasses import replace
    >>> organization_spellings(replace(kg.build("examples/wcep-2015-09"), organizations=("Ansa", "ANSA")))
    {'ansa': ('ANSA', 'Ansa')}
    """
    spellings: dict[str, list[str]] = {}
    for name in sorted(organization_names(g)):
        spellings.setdefault(organization_key(name), []).append(name)
    return {key: tuple(names) for key, names in sorted(spellings.items())}


def organization_labels(g: KnowledgeGraph) -> dict[str, str]:
    """Each spelling of an organization that ``g``'s sources write, and the label of its node.

    Examples
    --------
    >>> import kg
    >>> from dataclasses import replace
    >>> g = replace(kg.build("examples/wcep-2015-09"), organizations=("Ansa", "ANSA", "AFP"))
    >>> organization_labels(g)
    {'AFP': 'AFP', 'ANSA': 'ANSA', 'Ansa': 'ANSA'}
    """
    label = dict(organizations(g))
    return {name: label[organization_key(name)] for name in sorted(organization_names(g))}


def organization_named(g: KnowledgeGraph, text: str) -> str | None:
    """The label of the organization of ``g`` that ``text`` names as ``organization:NAME`` (any of its
    spellings, or as its IRI ends, in any case) or by its IRI; ``None`` where it names none.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> [organization_named(g, t) for t in ("organization:reuters", "organization:The_New_York_Times", "Reuters")]
    ['Reuters', 'The New York Times', None]
    >>> organization_named(g, g.base_iri + "organization/afp")
    'AFP'
    """
    folder = iri.folder_iri(g.base_iri, "organization")
    rest = (text[len(folder):] if text.startswith(folder) else
            text[len("organization:"):] if text.startswith("organization:") else None)
    if rest is None:
        return None
    labels = dict(organizations(g))
    found = labels.get(organization_key(iri.decode_name(rest)))
    if found is None and text.startswith(folder):  # (an IRI cut short with a hash: a long name's)
        found = next((label for key, label in labels.items() if iri.organization_iri(g.base_iri, key) == text), None)
    return found


def _organization_nodes(g: KnowledgeGraph) -> NodeSet[str]:
    spelt = organization_spellings(g)
    keys = tuple(spelt)
    labels = tuple(_label(g, key, spelt[key]) for key in keys)
    others = tuple(tuple(n for n in spelt[k] if n != label) for k, label in zip(keys, labels, strict=True))
    return NodeSet("organization", g.base_iri, keys, labels, spellings=others)


def _image_nodes(g: KnowledgeGraph) -> NodeSet[str]:
    return NodeSet("image", g.base_iri, g.images, g.images, url=g.images)


def _context_nodes(g: KnowledgeGraph) -> NodeSet[str]:
    return NodeSet("context", g.base_iri, g.contexts, g.contexts)


_NODES: dict[str, Callable[[KnowledgeGraph], NodeSet[Key]]] = {
    "event": _event_nodes,
    "day": _day_nodes,
    "article": _article_nodes,
    "publisher": _publisher_nodes,
    "organization": _organization_nodes,
    "image": _image_nodes,
    "context": _context_nodes,
}


# ------------------------------------------------------------------ edges
def _grouped(type: str, sources: tuple[_S, ...], targets_of: Iterable[tuple[_T, ...]]) -> EdgeSet[_S, _T]:
    """An edge set grouped by source: ``targets_of`` gives each source's targets, in order."""
    source: list[_S] = []
    target: list[_T] = []
    offsets = [0]
    for key, targets in zip(sources, targets_of, strict=True):
        if targets:
            source.extend([key] * len(targets))
            target.extend(targets)
        offsets.append(len(target))
    return EdgeSet(type, *EDGE_ENDS[type], tuple(source), tuple(target), tuple(offsets))


def _cites(g: KnowledgeGraph) -> EdgeSet[PageKey, str]:
    return _grouped("cites", tuple(g.event_records),
                    (e.sources for e in g.event_records.values()))


def _published_by(g: KnowledgeGraph) -> EdgeSet[str, str]:
    return _grouped("published-by", tuple(g.articles),
                    (a.publishers for a in g.articles.values()))


def _made_by(g: KnowledgeGraph) -> EdgeSet[str, str]:
    return _grouped("made-by", g.publishers,
                    (tuple(map(organization_key, split_publisher(name).publishers)) for name in g.publishers))


def _distributed_by(g: KnowledgeGraph) -> EdgeSet[str, str]:
    none: tuple[str, ...] = ()
    return _grouped("distributed-by", g.publishers,
                    ((organization_key(d),) if (d := split_publisher(name).distributor) is not None else none
                     for name in g.publishers))


def _has_image(g: KnowledgeGraph) -> EdgeSet[PageKey, str]:
    return _grouped("has-image", tuple(g.event_records),
                    (e.images for e in g.event_records.values()))


def _on_day(g: KnowledgeGraph) -> EdgeSet[PageKey, dt.date]:
    # Only an event whose page was read is on its day: an event that only a
    # link names has a date, but no day page lists it.
    days: dict[dt.date, tuple[dt.date]] = {}
    none: tuple[dt.date, ...] = ()
    return _grouped("on-day", tuple(g.event_records),
                    (days.setdefault(k.date, (k.date,)) if e.in_corpus else none
                     for k, e in g.event_records.items()))


def _lists_event(g: KnowledgeGraph) -> EdgeSet[dt.date, PageKey]:
    grouped = _grouped("lists-event", tuple(g.days), (d.listed for d in g.days.values()))
    offsets = grouped.offsets
    rank = tuple(r for n in range(len(offsets) - 1) for r in range(1, offsets[n + 1] - offsets[n] + 1))
    return EdgeSet(grouped.type, *EDGE_ENDS[grouped.type], grouped.source, grouped.target, offsets, rank=rank)


def _has_context(g: KnowledgeGraph) -> EdgeSet[PageKey, str]:
    contexts_of = g.event_contexts
    none: tuple[str, ...] = ()
    return _grouped("has-context", tuple(g.event_records),
                    (contexts_of.get(k, none) for k in g.event_records))


def _related_to(g: KnowledgeGraph) -> EdgeSet[PageKey, PageKey]:
    links = g.related
    return EdgeSet("related-to", *EDGE_ENDS["related-to"], tuple(r.source for r in links),
                   tuple(r.target for r in links), rank=tuple(r.rank for r in links),
                   contexts=tuple(r.contexts for r in links))


def _shares_context(g: KnowledgeGraph) -> EdgeSet[PageKey, PageKey]:
    pairs = g.shared
    return EdgeSet("shares-context", *EDGE_ENDS["shares-context"], tuple(p.first for p in pairs),
                   tuple(p.second for p in pairs), weight=tuple(len(p.contexts) for p in pairs),
                   contexts=tuple(p.contexts for p in pairs))


_EDGES: dict[str, Callable[[KnowledgeGraph], EdgeSet[Key, Key]]] = {
    "cites": _cites,
    "published-by": _published_by,
    "made-by": _made_by,
    "distributed-by": _distributed_by,
    "has-image": _has_image,
    "on-day": _on_day,
    "lists-event": _lists_event,
    "related-to": _related_to,
    "has-context": _has_context,
    "shares-context": _shares_context,
}


def graph_table(graph: KnowledgeGraph, *, kinds: Collection[str] | None = None,
                types: Collection[str] | None = None) -> Table:
    """Make the node/edge table of ``graph``: the one place that decides what is a node or an edge.

    Parameters
    ----------
    graph : KnowledgeGraph
    kinds : collection of str, optional
        Node kinds to make (of :data:`NODE_KINDS`); all by default.
    types : collection of str, optional
        Edge types to make (of :data:`EDGE_TYPES`); all by default.  An
        output that writes one kind at a time asks for that part only.

    Returns
    -------
    Table
        Node sets in :data:`NODE_KINDS` order, edge sets in
        :data:`EDGE_TYPES` order, each in the graph's own order.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> t = graph_table(g, kinds=("context",), types=())
    >>> list(t.nodes), list(t.edges), len(t.nodes["context"]) == len(g.contexts)
    (['context'], [], True)
    >>> t = graph_table(g)
    >>> len(t.edges["cites"]) == sum(len(e.sources) for e in g.event_records.values())
    True
    """
    # Every output's IRIs come from here: a graph made otherwise than by kg.build or kg.load (a base
    # replaced) may hold a base that is no IRI, which RDF writers refuse, and so must the rest.
    iri.check_base_iri(graph.base_iri)
    # A kind or type that no registry knows: a bad argument (ArgumentError, a ValueError).
    nodes = {kind: _NODES[kind](graph) for kind in NODE_KINDS if kinds is None or kind in kinds}
    edges = {type: _EDGES[type](graph) for type in EDGE_TYPES if types is None or type in types}
    for name in (*(kinds or ()), *(types or ())):
        if name not in _NODES and name not in _EDGES:
            raise ArgumentError(f"no node kind or edge type is called {name!r}; "
                                f"kinds: {', '.join(NODE_KINDS)}; types: {', '.join(EDGE_TYPES)}")
    # Read-only mappings: a table is a value, which no reader may change for the next.
    return Table(graph.base_iri, NodeSets(nodes), EdgeSets(edges))
