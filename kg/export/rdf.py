"""Turtle and N-Triples, streamed by pyoxigraph's serializer.

No rdflib Graph is built to write a file: the triples flow from
:func:`kg.rdf.graph_triples` straight into pyoxigraph's serializer (hundreds
of thousands of triples a second), optionally through gzip.  The same graph
gives the same bytes.
"""

from __future__ import annotations

import gzip
import os
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.rdf import graph_triples, turtle_prefixes

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph

__all__ = ["write_turtle", "write_ntriples", "write_rdf"]


def write_rdf(graph: KnowledgeGraph, path: str | os.PathLike[str], fmt: ox.RdfFormat,
              *, gzip_output: bool | None = None) -> None:
    """Stream the graph to ``path`` in ``fmt``; gzip if asked or if it ends in ``.gz``."""
    target = os.fspath(path)
    compress = target.endswith(".gz") if gzip_output is None else gzip_output
    prefixes = turtle_prefixes(graph.base_iri) if fmt == ox.RdfFormat.TURTLE else None
    tmp = target + ".part"
    # Write beside the target and rename, so a reader never sees half a file.
    with open(tmp, "wb") as raw:
        if compress:
            # mtime=0: the same graph gives the same compressed bytes.
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
                ox.serialize(graph_triples(graph), out, fmt, prefixes=prefixes)
        else:
            ox.serialize(graph_triples(graph), raw, fmt, prefixes=prefixes)
    os.replace(tmp, target)


def write_turtle(graph: KnowledgeGraph, path: str | os.PathLike[str], *, gzip: bool | None = None) -> None:
    """Write Turtle with our prefixes.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> g = kg.build("examples/wcep-2015-09")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.ttl"
    >>> write_turtle(g, out)
    >>> "@prefix kg: <https://w3id.org/kg-news/ontology#> ." in out.read_text(encoding="utf-8")
    True
    """
    write_rdf(graph, path, ox.RdfFormat.TURTLE, gzip_output=gzip)


def write_ntriples(graph: KnowledgeGraph, path: str | os.PathLike[str], *, gzip: bool | None = None) -> None:
    """Write N-Triples (one triple a line), the format bulk loaders take."""
    write_rdf(graph, path, ox.RdfFormat.N_TRIPLES, gzip_output=gzip)
