"""Turtle and N-Triples of a graph (and its named graph in TriG and N-Quads), written as text by kg rather
than through pyoxigraph's values.

pyoxigraph serializes quickly, but a statement handed to it from Python costs
about 2 µs (a literal object's conversion tries the other kinds of term
first): 85% of the time of writing a graph's 3 million triples went to
making pyoxigraph values.  :func:`write_graph_text` reads the same emitters
(:func:`kg.export.triples.emit`) with terms that are their own text
(:class:`~kg.export.spelling.Spelling`) and lays the statements out as
pyoxigraph's serializer does (one subject's statements together, ``;``
between predicates, ``,`` between objects, ``a`` for ``rdf:type``), so the
bytes are the ones :func:`kg.export.rdf.serialize_rdf` writes from
:func:`kg.triples`: a test holds them equal on every corpus.
"""

from __future__ import annotations

import io
from collections import deque
from functools import lru_cache
from typing import IO

import pyoxigraph as ox

from kg.errors import ArgumentError
from kg.export.spelling import Spelling
from kg.export.triples import emit
from kg.iri import check_base_iri
from kg.model import KnowledgeGraph, check_graph
from kg.table import Table

__all__ = ["TEXT_FORMATS", "QUAD_TEXT_FORMATS", "write_graph_text", "write_named_graph_text"]

#: The formats kg writes as text itself; any other goes through pyoxigraph.
TEXT_FORMATS = frozenset({ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES})
#: The formats of graphs whose one named graph kg writes as text itself (:func:`write_named_graph_text`).
QUAD_TEXT_FORMATS = frozenset({ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS})

# Pieces of text gathered before they are encoded and written.
_BATCH = 8192


@lru_cache(maxsize=8)
def _header(prefixes: tuple[tuple[str, str], ...]) -> bytes:
    """The prefix lines pyoxigraph writes before the first statement (their order is its own)."""
    buf = io.BytesIO()
    any_iri = ox.NamedNode("urn:x")
    ox.serialize([ox.Triple(any_iri, any_iri, any_iri)], buf, ox.RdfFormat.TURTLE, prefixes=dict(prefixes))
    data = buf.getvalue()
    return data[:data.rindex(b"\n", 0, len(data) - 1) + 1]


class _Text:
    """Text gathered a batch at a time, encoded and written; nothing (not even a header) if no statement came."""

    __slots__ = ("_header", "_out", "_pieces", "written")

    def __init__(self, out: IO[bytes], header: bytes) -> None:
        self._out = out
        self._header = header
        self._pieces: list[str] = []
        self.written = False  # (any statement)

    def write(self, pieces: list[str]) -> None:
        if self._header:
            self._out.write(self._header)
            self._header = b""
        self._out.write("".join(pieces).encode("utf-8"))
        pieces.clear()
        self.written = True


class _TurtleLines(_Text):
    """Statements laid out as pyoxigraph's Turtle serializer lays them out; in a TriG graph block
    (``indent`` a tab, ``footer`` its closing brace) as its TriG serializer does."""

    __slots__ = ("_a", "_end", "_footer", "_indent", "_predicate", "_subject")

    def __init__(self, out: IO[bytes], header: bytes, rdf_type: str, indent: str = "", footer: str = "") -> None:
        super().__init__(out, header)
        self._a = rdf_type
        self._subject: str | None = None
        self._predicate = ""
        self._end = ""  # what ends the subject before: nothing before the first
        self._indent, self._footer = indent, footer

    def add(self, s: str, p: str, o: str) -> None:
        pieces = self._pieces
        if s == self._subject:
            if p == self._predicate:
                pieces.append(f" , {o}")
                return
            self._predicate = p
            pieces.append(f" ;\n{self._indent}\t{'a' if p == self._a else p} {o}")
            return
        pieces.append(f"{self._end}{self._indent}{s} {'a' if p == self._a else p} {o}")
        self._subject, self._predicate, self._end = s, p, " .\n"
        if len(pieces) >= _BATCH:
            self.write(pieces)

    def close(self) -> None:
        if self._subject is not None:
            self._pieces.append(" .\n" + self._footer)
        if self._pieces:
            self.write(self._pieces)


class _NTriplesLines(_Text):
    """One statement a line (in N-Quads, with the name of its ``graph``)."""

    __slots__ = ("_end",)

    def __init__(self, out: IO[bytes], header: bytes, graph: str = "") -> None:
        super().__init__(out, header)
        self._end = f" {graph} .\n" if graph else " .\n"

    def add(self, s: str, p: str, o: str) -> None:
        pieces = self._pieces
        pieces.append(f"{s} {p} {o}{self._end}")
        if len(pieces) >= _BATCH:
            self.write(pieces)

    def close(self) -> None:
        if self._pieces:
            self.write(self._pieces)


def write_graph_text(graph: KnowledgeGraph, out: IO[bytes], fmt: ox.RdfFormat, prefixes: dict[str, str] | None,
                     kinds: str | tuple[str, ...] | None = None, part: slice | None = None,
                     table: Table | None = None) -> None:
    """Write the statements of :func:`kg.triples` (``kinds``, ``part`` and ``table`` as it takes them) to ``out``.

    ``fmt`` is Turtle (with ``prefixes``) or N-Triples; the bytes are those
    of :func:`kg.export.rdf.serialize_rdf` given the same triples and
    prefixes, where the prefixes are as kg's are (see :class:`~kg.export.spelling.Spelling`).
    The graph's base IRI is checked as :func:`kg.build` checks it: the
    other IRIs are kg's, made of it and of encoded keys.

    Examples
    --------
    >>> import kg
    >>> from kg.export.prefixes import output_prefixes
    >>> from kg.export.rdf import serialize_rdf
    >>> g = kg.build("examples/wcep-2015-09")
    >>> mine, theirs = io.BytesIO(), io.BytesIO()
    >>> write_graph_text(g, mine, ox.RdfFormat.TURTLE, output_prefixes(g.base_iri), ("days",))
    >>> serialize_rdf(kg.triples(g, "days"), theirs, ox.RdfFormat.TURTLE, output_prefixes(g.base_iri))
    >>> mine.getvalue() == theirs.getvalue()
    True
    """
    if fmt not in TEXT_FORMATS:
        raise ArgumentError(f"kg writes {fmt} through pyoxigraph, not as text")
    check_graph(graph, "write_graph_text")
    check_base_iri(graph.base_iri)  # (a graph made otherwise than by kg.build or kg.load may hold any)
    turtle = fmt == ox.RdfFormat.TURTLE
    spelling = Spelling(graph.base_iri, (prefixes or {}) if turtle else None)
    lines: _TurtleLines | _NTriplesLines
    if turtle:
        lines = _TurtleLines(out, _header(tuple((prefixes or {}).items())) if prefixes else b"", spelling.rdf_type)
    else:
        lines = _NTriplesLines(out, b"")
    deque(emit(graph, kinds, part, table, spelling, lines.add), maxlen=0)
    lines.close()


def write_named_graph_text(graph: KnowledgeGraph, out: IO[bytes], fmt: ox.RdfFormat, prefixes: dict[str, str] | None,
                           name: str) -> bool:
    """Write the statements of :func:`kg.triples` in the named graph ``name`` (an IRI) to ``out``, in TriG
    (with ``prefixes``: their lines, then the graph's block) or N-Quads; whether any statement was written.

    The bytes are those that :func:`kg.export.rdf.serialize_rdf` writes of the same quads, as for
    :func:`write_graph_text`; the caller writes the default graph's after them (or, where nothing was
    written, every quad through it).

    Examples
    --------
    >>> import kg
    >>> from kg.export.prefixes import output_prefixes
    >>> from kg.export.rdf import serialize_rdf
    >>> from kg.export.triples import graph_triples_as_quads
    >>> g, named = kg.build("examples/wcep-2015-09"), "https://kg.example.org/news/graph/x"
    >>> for fmt, prefixes in ((ox.RdfFormat.TRIG, output_prefixes(g.base_iri)), (ox.RdfFormat.N_QUADS, None)):
    ...     mine, theirs = io.BytesIO(), io.BytesIO()
    ...     written = write_named_graph_text(g, mine, fmt, prefixes, named)
    ...     serialize_rdf(graph_triples_as_quads(g, ox.NamedNode(named)), theirs, fmt, prefixes)
    ...     print(written, mine.getvalue() == theirs.getvalue())
    True True
    True True
    """
    if fmt not in QUAD_TEXT_FORMATS:
        raise ArgumentError(f"kg writes {fmt}'s named graphs through pyoxigraph, not as text")
    check_graph(graph, "write_named_graph_text")
    check_base_iri(graph.base_iri)
    trig = fmt == ox.RdfFormat.TRIG
    spelling = Spelling(graph.base_iri, (prefixes or {}) if trig else None)
    lines: _TurtleLines | _NTriplesLines
    if trig:
        block = f"{spelling.iri(name)} {{\n".encode()  # (the prefix lines, then the block's opening)
        lines = _TurtleLines(out, (_header(tuple(prefixes.items())) if prefixes else b"") + block,
                             spelling.rdf_type, "\t", "}\n")
    else:
        lines = _NTriplesLines(out, b"", f"<{name}>")
    deque(emit(graph, None, None, None, spelling, lines.add), maxlen=0)
    lines.close()
    return lines.written
