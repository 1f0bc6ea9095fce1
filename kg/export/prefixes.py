"""The prefixes written RDF binds: the vocabularies and the graph's data folders.

:func:`prefixes_used` keeps, of some prefixes, those a few triples use (a
query's answer).

:func:`turtle_prefixes` names every namespace kg writes in (for Turtle, SPARQL
queries and rdflib); :func:`output_prefixes` is the share of them that the
Turtle and TriG writers declare, without the folders whose local names would
all need escapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from kg import iri
from kg.export.spelling import PLAIN, local_name_kind
from kg.namespace import PREFIXES

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
_UNWRITTEN = frozenset({"http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"})


def prefixes_used(triples: Iterable[ox.Triple], prefixes: Mapping[str, str], *,
                  predicates_only: bool = False) -> dict[str, str]:
    """Those of ``prefixes`` that a written graph of ``triples`` names a term with: a query's graph begins
    with the prefixes it uses, not every one the endpoint binds.

    In Turtle, a prefix is used where an IRI in its namespace (or a literal's datatype) is written as a
    prefixed name, which :func:`kg.export.rdf.serialize_rdf` does only for a local name that needs no
    escape (an event's, ``2015-09-30/slug``, is written whole); in RDF/XML (``predicates_only``), where
    the predicates alone are element names.

    Examples
    --------
    >>> t = ox.Triple(ox.NamedNode("http://x/e/2015/a"), ox.NamedNode("http://x/p"), ox.Literal("Iran"))
    >>> prefixes_used([t], {"x": "http://x/", "e": "http://x/e/", "c": "http://x/c/", "xsd": "http://y#"})
    {'x': 'http://x/'}
    >>> prefixes_used([t], {"x": "http://x/", "e": "http://x/e/"}, predicates_only=True)
    {'x': 'http://x/'}
    """
    unused = dict(prefixes)
    found: dict[str, str] = {}
    for triple in triples:
        if not unused:
            break
        terms = (triple.predicate,) if predicates_only else (triple.subject, triple.predicate, triple.object)
        for term in terms:
            value = term.value if isinstance(term, ox.NamedNode) else (
                term.datatype.value if isinstance(term, ox.Literal) and term.datatype.value not in _UNWRITTEN else "")
            for name, namespace in list(unused.items()):
                rest = value[len(namespace):]
                if value.startswith(namespace) and (predicates_only or not rest or local_name_kind(rest) == PLAIN):
                    found[name] = unused.pop(name)
    return found
