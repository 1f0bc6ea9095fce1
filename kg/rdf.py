"""The model as RDF: one stream of triples, in a stable order.

:func:`graph_triples` is the single mapping from :class:`~kg.model.KnowledgeGraph`
to RDF; Turtle, N-Triples, the SPARQL store and rdflib all read it.  Terms are
pyoxigraph values (fast to make, and pyoxigraph writes the files).  The order
is by node kind, then by key, so that the same graph gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import iri
from kg.model import KnowledgeGraph
from kg.namespace import DCTERMS, KG, PREFIXES, PROV, RDF, RDFS, SCHEMA, SEM, SKOS, XSD
from kg.records import PageKey

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

__all__ = ["graph_triples", "to_rdflib", "turtle_prefixes", "EMITTERS"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_TRUE = ox.Literal("true", datatype=XSD.boolean)
_FALSE = ox.Literal("false", datatype=XSD.boolean)


def _date(value: dt.date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=XSD.date)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD.integer)


def _uri(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=XSD.anyURI)


class _Minter:
    """IRIs of one graph as pyoxigraph nodes, memoised per key."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._events: dict[PageKey, ox.NamedNode] = {}
        self._contexts: dict[str, ox.NamedNode] = {}

    def event(self, key: PageKey) -> ox.NamedNode:
        node = self._events.get(key)
        if node is None:
            node = self._events[key] = ox.NamedNode(iri.event_iri(self.base, key))
        return node

    def context(self, name: str) -> ox.NamedNode:
        node = self._contexts.get(name)
        if node is None:
            node = self._contexts[name] = ox.NamedNode(iri.context_iri(self.base, name))
        return node

    def day(self, date: dt.date) -> ox.NamedNode:
        return ox.NamedNode(iri.day_iri(self.base, date))

    def article(self, url: str) -> ox.NamedNode:
        return ox.NamedNode(iri.article_iri(self.base, url))

    def image(self, url: str) -> ox.NamedNode:
        return ox.NamedNode(iri.image_iri(self.base, url))

    def publisher(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(iri.publisher_iri(self.base, name))

    def page(self, path: str) -> ox.NamedNode:
        return ox.NamedNode(iri.page_iri(self.base, path))


_Emit = Callable[[KnowledgeGraph, _Minter], Iterator[ox.Triple]]
T = ox.Triple


def _events(g: KnowledgeGraph, m: _Minter) -> Iterator[ox.Triple]:
    related: dict[PageKey, list[PageKey]] = defaultdict(list)
    for link in g.related:
        related[link.source].append(link.target)
    sharing: dict[PageKey, list[PageKey]] = defaultdict(list)
    for pair in g.shared:
        sharing[pair.first].append(pair.second)
        sharing[pair.second].append(pair.first)
    for key, event in g.events.items():
        s = m.event(key)
        yield T(s, RDF.type, KG.Event)
        yield T(s, RDF.type, SCHEMA.Event)
        yield T(s, RDF.type, SEM.Event)
        yield T(s, SCHEMA.name, ox.Literal(event.headline))
        yield T(s, SCHEMA.startDate, _date(key.date))
        yield T(s, SEM.hasTimeStamp, _date(key.date))
        yield T(s, KG.path, ox.Literal(key.path))
        yield T(s, KG.inCorpus, _TRUE if event.in_corpus else _FALSE)
        if event.in_corpus:
            yield T(s, KG.onDay, m.day(key.date))
            yield T(s, PROV.wasDerivedFrom, m.page(event.page or key.path))
        for url in event.sources:
            yield T(s, SCHEMA.citation, m.article(url))
        for url in event.images:
            yield T(s, SCHEMA.image, m.image(url))
        for name in g.event_contexts.get(key, ()):
            yield T(s, SCHEMA.about, m.context(name))
        for target in sorted(related.get(key, ())):
            yield T(s, KG.relatedTo, m.event(target))
        for other in sorted(sharing.get(key, ())):
            yield T(s, KG.sharesContext, m.event(other))


def _pages(g: KnowledgeGraph, m: _Minter) -> Iterator[ox.Triple]:
    paths = sorted({e.page for e in g.events.values() if e.page}
                   | {d.page for d in g.days.values() if d.page})
    for path in paths:
        s = m.page(path)
        yield T(s, RDF.type, KG.Page)
        yield T(s, KG.path, ox.Literal(path))


def _days(g: KnowledgeGraph, m: _Minter) -> Iterator[ox.Triple]:
    for date, day in g.days.items():
        s = m.day(date)
        yield T(s, RDF.type, KG.Day)
        yield T(s, RDFS.label, ox.Literal(date.isoformat()))
        yield T(s, KG.date, _date(date))
        yield T(s, DCTERMS.date, _date(date))
        if day.page:
            yield T(s, PROV.wasDerivedFrom, m.page(day.page))
        for key in day.listed:
            yield T(s, KG.listsEvent, m.event(key))


def _articles(g: KnowledgeGraph, m: _Minter) -> Iterator[ox.Triple]:
    for url, article in g.articles.items():
        s = m.article(url)
        yield T(s, RDF.type, KG.SourceArticle)
        yield T(s, RDF.type, SCHEMA.NewsArticle)
        yield T(s, SCHEMA.url, _uri(url))
        for name in article.publishers:
            yield T(s, SCHEMA.publisher, m.publisher(name))


def _publishers(g: KnowledgeGraph, m: _Minter) -> Iterator[ox.Triple]:
    for name in g.publishers:
        s = m.publisher(name)
        yield T(s, RDF.type, KG.Publisher)
        yield T(s, RDF.type, SCHEMA.NewsMediaOrganization)
        yield T(s, SCHEMA.name, ox.Literal(name))


def _images(g: KnowledgeGraph, m: _Minter) -> Iterator[ox.Triple]:
    for url in g.images:
        s = m.image(url)
        yield T(s, RDF.type, KG.Image)
        yield T(s, RDF.type, SCHEMA.ImageObject)
        yield T(s, SCHEMA.contentUrl, _uri(url))


def _contexts(g: KnowledgeGraph, m: _Minter) -> Iterator[ox.Triple]:
    for name in g.contexts:
        s = m.context(name)
        yield T(s, RDF.type, KG.Context)
        yield T(s, RDF.type, SKOS.Concept)
        yield T(s, SCHEMA.name, ox.Literal(name))
        yield T(s, SKOS.prefLabel, ox.Literal(name))
        yield T(s, SCHEMA.sameAs, ox.NamedNode(iri.wikipedia_iri(name)))


def _related(g: KnowledgeGraph, m: _Minter) -> Iterator[ox.Triple]:
    for link in g.related:
        s = ox.NamedNode(iri.related_iri(m.base, link.source, link.target))
        yield T(s, RDF.type, KG.RelatedLink)
        yield T(s, KG.linkSource, m.event(link.source))
        yield T(s, KG.linkTarget, m.event(link.target))
        yield T(s, KG.rank, _int(link.rank))
        for name in link.contexts:
            yield T(s, KG.context, m.context(name))


def _shared(g: KnowledgeGraph, m: _Minter) -> Iterator[ox.Triple]:
    for pair in g.shared:
        s = ox.NamedNode(iri.shared_iri(m.base, pair.first, pair.second))
        yield T(s, RDF.type, KG.ContextSharing)
        yield T(s, KG.involves, m.event(pair.first))
        yield T(s, KG.involves, m.event(pair.second))
        yield T(s, KG.weight, _int(pair.weight))
        for name in pair.contexts:
            yield T(s, KG.context, m.context(name))


#: Node kinds in output order; each yields the triples whose subject it owns.
EMITTERS: dict[str, _Emit] = {
    "events": _events,
    "days": _days,
    "articles": _articles,
    "publishers": _publishers,
    "images": _images,
    "contexts": _contexts,
    "related": _related,
    "shared": _shared,
    "pages": _pages,
}


def graph_triples(graph: KnowledgeGraph) -> Iterator[ox.Triple]:
    """Yield every triple of ``graph``, each once, in a stable order.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> sum(1 for _ in graph_triples(g)) > 20_000
    True
    """
    minter = _Minter(graph.base_iri)
    for emit in EMITTERS.values():
        yield from emit(graph, minter)


def turtle_prefixes(base: str) -> dict[str, str]:
    """Prefixes for Turtle output: the vocabularies and the data folders."""
    data = {name: base + path for name, path in iri.PREFIXES.items()}
    return {**PREFIXES, **data}


def to_rdflib(graph: KnowledgeGraph) -> rdflib.Graph:
    """Copy the triples into an :class:`rdflib.Graph` with our prefixes bound."""
    import rdflib

    out = rdflib.Graph()
    for prefix, ns in turtle_prefixes(graph.base_iri).items():
        out.bind(prefix, rdflib.Namespace(ns), override=True, replace=True)
    add = out.add
    for t in graph_triples(graph):
        add((_rdflib_term(t.subject), rdflib.URIRef(t.predicate.value), _rdflib_term(t.object)))
    return out


def _rdflib_term(term):
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return rdflib.Literal(term.value)  # rdflib tells plain and xsd:string apart
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"unexpected RDF term {term!r}")
