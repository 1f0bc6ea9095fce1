"""The graph as an rdflib Graph, for code that speaks rdflib.

:func:`to_rdflib` copies the triples of :func:`kg.export.triples.graph_triples`
(pyoxigraph terms) into an :class:`rdflib.Graph` with the prefixes of
:func:`kg.export.prefixes.turtle_prefixes` bound.  rdflib is imported only
when a graph is converted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.export.prefixes import turtle_prefixes
from kg.export.triples import graph_triples
from kg.keywords import checks_keywords
from kg.model import KnowledgeGraph, check_graph
from kg.namespace import XSD

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

__all__ = ["to_rdflib", "rdflib_graph", "rdflib_term"]

_XSD_STRING = XSD.iri + "string"  # a string, compared once per literal


@checks_keywords
def to_rdflib(graph: KnowledgeGraph) -> rdflib.Graph:
    """Copy the triples into an :class:`rdflib.Graph` with our prefixes bound (``kg.to_rdflib``).

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to convert.

    Returns
    -------
    rdflib.Graph
        A new graph holding every triple of :func:`kg.triples`, with the prefixes of the Turtle output bound.

    Examples
    --------
    >>> import kg, rdflib
    >>> g = kg.build("examples/wcep-2015-09")
    >>> r = kg.to_rdflib(g)
    >>> len(r), str(r.namespace_manager.store.namespace("context"))
    (39059, 'https://kg.example.org/news/context/')
    >>> len(list(r.triples((rdflib.URIRef(g.base_iri + "context/Iran"), None, None))))
    6
    """
    check_graph(graph, "kg.to_rdflib")
    return rdflib_graph(graph_triples(graph), turtle_prefixes(graph.base_iri))


def rdflib_graph(triples: Iterable[ox.Triple], prefixes: Mapping[str, str]) -> rdflib.Graph:
    """An :class:`rdflib.Graph` of pyoxigraph ``triples`` (a graph of kg's, a CONSTRUCT's answer)
    with ``prefixes`` bound.

    >>> g = rdflib_graph([ox.Triple(ox.NamedNode("http://x.org/a"), ox.NamedNode("http://x.org/b"),
    ...                             ox.Literal("c"))], {"x": "http://x.org/"})
    >>> len(g), g.serialize(format="nt").strip()
    (1, '<http://x.org/a> <http://x.org/b> "c" .')
    """
    import rdflib

    out = rdflib.Graph()
    for prefix, ns in prefixes.items():
        out.bind(prefix, rdflib.Namespace(ns), override=True, replace=True)
    # A term made once: IRIs and many literals recur (predicates, days, contexts), and rdflib checks
    # each one it makes (half the time of a copy of 290,000 triples).
    made: dict[object, rdflib.term.Identifier] = {}

    def term(t: object) -> rdflib.term.Identifier:
        found = made.get(t)
        if found is None:
            found = made[t] = rdflib_term(t)
        return found

    out.addN((term(t.subject), term(t.predicate), term(t.object), out) for t in triples)
    return out


def rdflib_term(term: object) -> rdflib.term.Identifier:
    """The rdflib term of a pyoxigraph IRI, blank node or literal (a plain string stays plain)."""
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return rdflib.Literal(term.value)  # rdflib tells plain and xsd:string apart
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"unexpected RDF term {term!r}")
