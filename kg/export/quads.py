"""N-Quads and TriG: the graph in a named graph of its build, described beside it.

The graph's triples go into one named graph, ``<base>graph/<build time>``
(:func:`kg.iri.dataset_iri`); the default graph holds its description: VoID
(:mod:`kg.export.void`) and the PROV-O record of the build (:mod:`kg.export.provenance`).
A store that keeps one named graph per build can hold several builds side by
side and drop an old one with ``DROP GRAPH``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pyoxigraph as ox

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph

__all__ = ["graph_quads", "description_quads", "dataset_node", "write_nquads", "write_trig"]


def dataset_node(graph: KnowledgeGraph) -> ox.NamedNode:
    """The named graph of ``graph``'s build."""
    from kg.export.provenance import build_record
    from kg.iri import dataset_iri

    record = build_record(graph)
    return ox.NamedNode(dataset_iri(graph.base_iri, record.started, record.corpus))


def graph_quads(graph: KnowledgeGraph) -> Iterator[ox.Quad]:
    """The triples in the build's named graph, then the VoID and PROV description in the default graph.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> quads = list(graph_quads(g))
    >>> named = {q.graph_name for q in quads if q.graph_name != ox.DefaultGraph()}
    >>> len(named), sum(q.graph_name in named for q in quads) == sum(1 for _ in kg.triples(g))
    (1, True)
    """
    from kg.export.provenance import settled
    from kg.export.triples import graph_triples_as_quads

    graph = settled(graph)  # (a graph made by hand, with no record: described as built now)
    yield from graph_triples_as_quads(graph, dataset_node(graph))
    yield from description_quads(graph, ox.DefaultGraph())


def description_quads(graph: KnowledgeGraph, into: ox.NamedNode | ox.DefaultGraph) -> Iterator[ox.Quad]:
    """The VoID and PROV-O description of ``graph``'s build (its dataset: :func:`dataset_node`), in the graph ``into``.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> quads = list(description_quads(g, ox.NamedNode("http://x.org/description")))
    >>> {q.graph_name.value for q in quads}, 100 < len(quads) < 300
    ({'http://x.org/description'}, True)
    """
    from kg.export.provenance import build_triples, settled
    from kg.export.void import void_triples

    graph = settled(graph)
    dataset = dataset_node(graph)
    for t in void_triples(graph, dataset):
        yield ox.Quad(t.subject, t.predicate, t.object, into)
    for t in build_triples(graph, dataset):
        yield ox.Quad(t.subject, t.predicate, t.object, into)


def _write(graph: KnowledgeGraph, path: str | os.PathLike[str], fmt: ox.RdfFormat) -> None:
    import io

    from kg.export.prefixes import output_prefixes
    from kg.export.provenance import settled
    from kg.export.rdf import serialize_rdf
    from kg.export.rdftext import write_named_graph_text
    from kg.namespace import VOID
    from kg.publish import replacing

    graph = settled(graph)  # (as graph_quads settles it: the description and the graph's name agree)
    prefixes = {**output_prefixes(graph.base_iri), VOID.prefix: VOID.iri} if fmt == ox.RdfFormat.TRIG else None
    # The graph's statements as text (pyoxigraph's bytes, several times faster: see kg.export.rdftext),
    # then the description as pyoxigraph writes it after them: its bytes less the prefix lines, which
    # the text wrote first.
    buffer = io.BytesIO()
    serialize_rdf(description_quads(graph, ox.DefaultGraph()), buffer, fmt, prefixes)
    described, at = buffer.getvalue(), 0
    while described.startswith(b"@prefix ", at):
        at = described.index(b"\n", at) + 1
    # Write beside the target and rename, so a reader never sees half a file.
    with replacing(path) as tmp, open(tmp, "wb") as out:
        if write_named_graph_text(graph, out, fmt, prefixes, dataset_node(graph).value):
            out.write(described[at:])
        else:  # (no statement of the graph's: pyoxigraph writes the description alone, its prefixes first)
            out.seek(0)
            out.truncate()
            serialize_rdf(graph_quads(graph), out, fmt, prefixes)


def write_nquads(graph: KnowledgeGraph, path: str | os.PathLike[str]) -> None:
    """Write N-Quads: one quad a line, for bulk loaders that keep graphs apart."""
    _write(graph, path, ox.RdfFormat.N_QUADS)


def write_trig(graph: KnowledgeGraph, path: str | os.PathLike[str]) -> None:
    """Write TriG (Turtle with graphs), with our prefixes and no escaped local name."""
    _write(graph, path, ox.RdfFormat.TRIG)
