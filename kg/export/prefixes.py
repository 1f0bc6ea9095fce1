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


def prefixes_used(triples: Iterable[ox.Triple], prefixes: Mapping[str, str]) -> dict[str, str]:
    """Those of ``prefixes`` whose namespace an IRI of ``triples`` (or a literal's datatype) is in: a query's
    graph begins with the prefixes it uses, not every one the endpoint binds.

    Examples
    --------
    >>> t = ox.Triple(ox.NamedNode("http://x/c/Iran"), ox.NamedNode("http://x/p"), ox.Literal("Iran"))
    >>> prefixes_used([t], {"x": "http://x/", "c": "http://x/c/", "e": "http://x/e/", "xsd": "http://y#"})
    {'x': 'http://x/', 'c': 'http://x/c/'}
    """
    unused = dict(prefixes)
    found: dict[str, str] = {}
    for triple in triples:
        if not unused:
            break
        for term in (triple.subject, triple.predicate, triple.object):
            value = term.value if isinstance(term, ox.NamedNode) else (
                term.datatype.value if isinstance(term, ox.Literal) and term.datatype.value not in _UNWRITTEN else "")
            for name, namespace in list(unused.items()):
                if value.startswith(namespace):
                    found[name] = unused.pop(name)
    return found
