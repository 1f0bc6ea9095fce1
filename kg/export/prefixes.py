"""The prefixes written RDF binds: the vocabularies and the graph's data folders.

:func:`prefixes_used` keeps, of some prefixes, those a few triples use (a
query's answer).

:func:`turtle_prefixes` names every namespace kg writes in (for Turtle, SPARQL
queries and rdflib); :func:`output_prefixes` is the share of them that the
Turtle and TriG writers declare, without the folders whose local names would
all need escapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox

from kg import iri
from kg.export.spelling import PLAIN, local_name_kind
from kg.namespace import PREFIXES, RDF, XSD

__all__ = ["output_prefixes", "turtle_prefixes", "prefixes_used"]


def turtle_prefixes(base: str) -> dict[str, str]:
    """Prefixes for Turtle output: the vocabularies and the data folders."""
    data = {name: iri.folder_iri(base, name) for name in iri.PREFIXES}
    return {**PREFIXES, **data}


#: Data folders whose names always hold a "/" (a day, a page path), which a
#: Turtle local name can only escape: their IRIs are written whole.
_WHOLE_IRI_FOLDERS = frozenset({"event", "page"})


def output_prefixes(base: str) -> dict[str, str]:
    """Prefixes written in Turtle and TriG: :func:`turtle_prefixes` but those of folders
    whose every local name would need an escape (see :mod:`kg.export.rdf`).

    Examples
    --------
    >>> sorted(set(turtle_prefixes("https://x.org/")) - set(output_prefixes("https://x.org/")))
    ['event', 'page']
    """
    return {k: v for k, v in turtle_prefixes(base).items() if k not in _WHOLE_IRI_FOLDERS}


#: the datatypes Turtle writes no name of: a plain string's and a tagged one's
_XS = XSD.iri
_UNWRITTEN = frozenset({_XS + "string", RDF.iri + "langString"})
#: the datatypes whose literals Turtle writes bare (``3``, ``1.5``, ``true``) where their text is of its grammar
_BARE = {_XS + "integer": re.compile(r"[+-]?[0-9]+"), _XS + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
         _XS + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
         _XS + "boolean": re.compile(r"true|false")}
_TYPE = RDF.iri + "type"


def _written_names(triple: ox.Triple, xml: bool) -> Iterator[str]:
    """The IRIs that ``triple`` is written with as names (prefixed, where a prefix is at hand): in Turtle,
    each IRI (but ``rdf:type``, written ``a``) and a literal's datatype but where it is written bare; in
    RDF/XML (``xml``), those of element names alone, its predicate and a type's class."""
    if xml:
        yield triple.predicate.value
        if triple.predicate.value == _TYPE and isinstance(triple.object, ox.NamedNode):
            yield triple.object.value
        return
    typed = triple.predicate.value == _TYPE  # (written "a")
    for term in (triple.subject, triple.object) if typed else (triple.subject, triple.predicate, triple.object):
        if isinstance(term, ox.NamedNode):
            yield term.value
        elif isinstance(term, ox.Literal) and term.datatype.value not in _UNWRITTEN:
            bare = _BARE.get(term.datatype.value)
            if bare is None or not bare.fullmatch(term.value):
                yield term.datatype.value


def prefixes_used(triples: Iterable[ox.Triple], prefixes: Mapping[str, str], *, xml: bool = False) -> dict[str, str]:
    """Those of ``prefixes`` that a written graph of ``triples`` names a term with: a query's graph begins
    with the prefixes it uses, not every one the endpoint binds.

    In Turtle, a prefix is used where an IRI in its namespace (or a literal's datatype, but for ``3``,
    ``1.5`` and ``true``, written bare) is written as a prefixed name, which
    :func:`kg.export.rdf.serialize_rdf` does only for a local name that needs no escape (an event's,
    ``2015-09-30/slug``, is written whole); in RDF/XML (``xml``), where an element is named in it: a
    predicate, or the class of a ``rdf:type``.

    Examples
    --------
    >>> t = ox.Triple(ox.NamedNode("http://x/e/2015/a"), ox.NamedNode("http://x/p"), ox.Literal("Iran"))
    >>> prefixes_used([t], {"x": "http://x/", "e": "http://x/e/", "c": "http://x/c/", "xsd": "http://y#"})
    {'x': 'http://x/'}
    >>> prefixes_used([t], {"x": "http://x/", "e": "http://x/e/"}, xml=True)
    {'x': 'http://x/'}
    >>> three = ox.Triple(t.subject, t.predicate, ox.Literal(3))
    >>> sorted(prefixes_used([three], {"x": "http://x/", "xsd": _XS}))  # (written "3")
    ['x']
    """
    unused = dict(prefixes)
    found: dict[str, str] = {}
    for triple in triples:
        if not unused:
            break
        for value in _written_names(triple, xml):
            for name, namespace in list(unused.items()):
                rest = value[len(namespace):]
                if value.startswith(namespace) and (xml or not rest or local_name_kind(rest) == PLAIN):
                    found[name] = unused.pop(name)
    return found
