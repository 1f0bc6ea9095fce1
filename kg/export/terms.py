"""RDF terms of one graph: its IRIs and literals as pyoxigraph values.

The emitters of :mod:`kg.export.triples` name the same event, day, context,
publisher or organization many times (once per edge to it), so :class:`Minter`
makes each such term once per graph; the literal helpers give the typed
literals (``xsd:date``, ``xsd:anyURI``, ``xsd:boolean``) the emitters write.
"""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from kg import iri
from kg.namespace import XSD
from kg.parse.records import PageKey

__all__ = ["Minter", "TRUE", "FALSE", "date_literal", "uri_literal"]

TRUE = ox.Literal("true", datatype=XSD.boolean)
FALSE = ox.Literal("false", datatype=XSD.boolean)


def date_literal(value: dt.date) -> ox.Literal:
    """An ``xsd:date`` literal.

    Examples
    --------
    >>> date_literal(dt.date(2015, 9, 1))
    <Literal value=2015-09-01 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>
    """
    return ox.Literal(value.isoformat(), datatype=XSD.date)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD.integer)


def uri_literal(value: str) -> ox.Literal:
    """An ``xsd:anyURI`` literal: a URL as written, not as an IRI of the graph.

    Examples
    --------
    >>> uri_literal("https://example.org/a").datatype.value
    'http://www.w3.org/2001/XMLSchema#anyURI'
    """
    return ox.Literal(value, datatype=XSD.anyURI)


class Minter:
    """IRIs of one graph as pyoxigraph nodes, memoised per key."""

    def __init__(self, base: str) -> None:
        self.base = base
        # By the id of the key, which the entry keeps alive: PageKey's hash
        # runs in Python, and an event is named by every edge to it.
        self._events: dict[int, tuple[PageKey, ox.NamedNode]] = {}
        self._paths: dict[int, tuple[PageKey, str]] = {}
        self._contexts: dict[str, ox.NamedNode] = {}
        self._publishers: dict[str, ox.NamedNode] = {}
        self._organizations: dict[str, ox.NamedNode] = {}
        self._days: dict[dt.date, ox.NamedNode] = {}
        self._dates: dict[dt.date, ox.Literal] = {}
        self._integers: dict[int, ox.Literal] = {}

    def event(self, key: PageKey) -> ox.NamedNode:
        hit = self._events.get(id(key))
        if hit is not None:
            return hit[1]
        node = ox.NamedNode(iri.event_iri(self.base, key))
        self._events[id(key)] = (key, node)
        return node

    def event_path(self, key: PageKey) -> str:
        """The event's page path, which names the links it is part of; made once per event."""
        hit = self._paths.get(id(key))
        if hit is not None:
            return hit[1]
        path = key.path
        self._paths[id(key)] = (key, path)
        return path

    def context(self, name: str) -> ox.NamedNode:
        node = self._contexts.get(name)
        if node is None:
            node = self._contexts[name] = ox.NamedNode(iri.context_iri(self.base, name))
        return node

    def day(self, date: dt.date) -> ox.NamedNode:
        node = self._days.get(date)
        if node is None:
            node = self._days[date] = ox.NamedNode(iri.day_iri(self.base, date))
        return node

    def date(self, date: dt.date) -> ox.Literal:
        """An ``xsd:date`` literal; a day has many events, so each is made once."""
        lit = self._dates.get(date)
        if lit is None:
            lit = self._dates[date] = date_literal(date)
        return lit

    def integer(self, value: int) -> ox.Literal:
        """An ``xsd:integer`` literal; ranks and weights are few, so each is made once."""
        lit = self._integers.get(value)
        if lit is None:
            lit = self._integers[value] = _integer(value)
        return lit

    def article(self, url: str) -> ox.NamedNode:
        return ox.NamedNode(iri.article_iri(self.base, url))

    def image(self, url: str) -> ox.NamedNode:
        return ox.NamedNode(iri.image_iri(self.base, url))

    def publisher(self, name: str) -> ox.NamedNode:
        node = self._publishers.get(name)
        if node is None:  # a publisher is named by each article it published
            node = self._publishers[name] = ox.NamedNode(iri.publisher_iri(self.base, name))
        return node

    def organization(self, name: str) -> ox.NamedNode:
        node = self._organizations.get(name)
        if node is None:  # an organization is named by each publisher name that credits it
            node = self._organizations[name] = ox.NamedNode(iri.organization_iri(self.base, name))
        return node

    def page(self, path: str) -> ox.NamedNode:
        return ox.NamedNode(iri.page_iri(self.base, path))
