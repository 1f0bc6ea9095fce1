"""RDF terms of one graph: its IRIs and literals as pyoxigraph values.

The emitters of :mod:`kg.export.triples` name the same event, day, context,
publisher or organization many times (once per edge to it), so :class:`Minter`
makes each such term once per graph; the literal helpers give the typed
literals (``xsd:date``, ``xsd:anyURI``, ``xsd:boolean``) the emitters write.
The emitters make every term through a :class:`Terms`: :class:`Minter` gives
pyoxigraph values, :class:`kg.export.spelling.Spelling` their text in Turtle
or N-Triples (how kg writes those files).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

import pyoxigraph as ox

from kg import iri
from kg.namespace import XSD
from kg.parse.records import PageKey

__all__ = ["Minter", "Terms", "TRUE", "FALSE", "date_literal", "uri_literal"]

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


class Terms(Protocol):
    """What the emitters make every term of a graph with (the term's type is the maker's own)."""

    base: str
    true: Any
    false: Any

    def vocabulary(self, *nodes: ox.NamedNode) -> tuple[Any, ...]:
        """Terms of kg's vocabularies (:mod:`kg.namespace`), in the order given."""

    def iri(self, value: str) -> Any:
        """An IRI kg minted (:mod:`kg.iri`)."""

    def literal(self, text: str) -> Any:
        """A plain string literal."""

    def uri(self, value: str) -> Any:
        """An ``xsd:anyURI`` literal."""

    def date(self, date: dt.date) -> Any:
        """An ``xsd:date`` literal."""

    def integer(self, value: int) -> Any:
        """An ``xsd:integer`` literal."""

    def event(self, key: PageKey) -> Any:
        """An event's IRI."""

    def event_path(self, key: PageKey) -> str:
        """The event's page path."""

    def context(self, name: str) -> Any:
        """A context's IRI."""

    def day(self, date: dt.date) -> Any:
        """A day's IRI."""

    def article(self, url: str) -> Any:
        """A source article's IRI."""

    def publisher(self, name: str) -> Any:
        """A publisher's IRI."""

    def organization(self, name: str) -> Any:
        """An organization's IRI."""

    def image(self, url: str) -> Any:
        """An image's IRI."""

    def page(self, path: str) -> Any:
        """A corpus page's IRI."""


class Minter:
    """IRIs of one graph as pyoxigraph nodes, memoised per key (a :class:`Terms`).

    Its terms are made by :meth:`iri`, :meth:`literal`, :meth:`uri`,
    :meth:`typed_date` and :meth:`typed_integer`; a subclass that makes them
    otherwise (:class:`kg.export.spelling.Spelling`) memoises the same way.
    """

    true: Any = TRUE
    false: Any = FALSE

    def __init__(self, base: str) -> None:
        self.base = base
        # By the id of the key, which the entry keeps alive: PageKey's hash
        # runs in Python, and an event is named by every edge to it.
        self._events: dict[int, tuple[PageKey, Any]] = {}
        self._paths: dict[int, tuple[PageKey, str]] = {}
        self._contexts: dict[str, Any] = {}
        self._publishers: dict[str, Any] = {}
        self._articles: dict[str, Any] = {}
        self._organizations: dict[str, Any] = {}
        self._days: dict[dt.date, Any] = {}
        self._dates: dict[dt.date, Any] = {}
        self._integers: dict[int, Any] = {}

    def vocabulary(self, *nodes: ox.NamedNode) -> tuple[Any, ...]:
        """The terms themselves: pyoxigraph values already."""
        return nodes

    def iri(self, value: str) -> Any:
        """An IRI as a pyoxigraph node."""
        return ox.NamedNode(value)

    def literal(self, text: str) -> Any:
        """A plain string literal."""
        return ox.Literal(text)

    def uri(self, value: str) -> Any:
        """An ``xsd:anyURI`` literal."""
        return uri_literal(value)

    def typed_date(self, date: dt.date) -> Any:
        """An ``xsd:date`` literal, made anew (:meth:`date` memoises it)."""
        return date_literal(date)

    def typed_integer(self, value: int) -> Any:
        """An ``xsd:integer`` literal, made anew (:meth:`integer` memoises it)."""
        return _integer(value)

    def event(self, key: PageKey) -> Any:
        hit = self._events.get(id(key))
        if hit is not None:
            return hit[1]
        node = self.iri(iri.event_iri(self.base, key))
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

    def context(self, name: str) -> Any:
        node = self._contexts.get(name)
        if node is None:
            node = self._contexts[name] = self.iri(iri.context_iri(self.base, name))
        return node

    def day(self, date: dt.date) -> Any:
        node = self._days.get(date)
        if node is None:
            node = self._days[date] = self.iri(iri.day_iri(self.base, date))
        return node

    def date(self, date: dt.date) -> Any:
        """An ``xsd:date`` literal; a day has many events, so each is made once."""
        lit = self._dates.get(date)
        if lit is None:
            lit = self._dates[date] = self.typed_date(date)
        return lit

    def integer(self, value: int) -> Any:
        """An ``xsd:integer`` literal; ranks and weights are few, so each is made once."""
        lit = self._integers.get(value)
        if lit is None:
            lit = self._integers[value] = self.typed_integer(value)
        return lit

    def article(self, url: str) -> Any:
        node = self._articles.get(url)
        if node is None:  # an article is named by each event that cites it, and by itself
            node = self._articles[url] = self.iri(iri.article_iri(self.base, url))
        return node

    def image(self, url: str) -> Any:
        return self.iri(iri.image_iri(self.base, url))

    def publisher(self, name: str) -> Any:
        node = self._publishers.get(name)
        if node is None:  # a publisher is named by each article it published
            node = self._publishers[name] = self.iri(iri.publisher_iri(self.base, name))
        return node

    def organization(self, name: str) -> Any:
        node = self._organizations.get(name)
        if node is None:  # an organization is named by each publisher name that credits it
            node = self._organizations[name] = self.iri(iri.organization_iri(self.base, name))
        return node

    def page(self, path: str) -> Any:
        return self.iri(iri.page_iri(self.base, path))
