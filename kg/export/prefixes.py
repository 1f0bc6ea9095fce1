"""The prefixes written RDF binds: the vocabularies and the graph's data folders.

:func:`turtle_prefixes` names every namespace kg writes in (for Turtle, SPARQL
queries and rdflib); :func:`output_prefixes` is the share of them that the
Turtle and TriG writers declare, without the folders whose local names would
all need escapes.
"""

from __future__ import annotations

from kg import iri
from kg.namespace import PREFIXES

__all__ = ["output_prefixes", "turtle_prefixes"]


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
