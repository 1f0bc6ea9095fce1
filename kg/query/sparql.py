"""SPARQL execution: read-only, bounded, answered in the W3C result formats.

Every SPARQL query that ``kg`` runs (:func:`kg.query.analyst.sparql`, ``kg query``,
``kg serve``) goes through :func:`evaluate`:

- **read-only**: only queries run (``Store.query``); an update is refused
  with :class:`~kg.errors.ReadOnlyQueryError` before anything happens;
- **no remote calls**: ``SERVICE`` would make the store fetch from the
  network, so a query that holds one is refused
  (:class:`~kg.errors.ServiceRefusedError`) unless ``allow_service`` is set;
- **bounded**: a timeout (default :data:`~kg.query.limits.DEFAULT_TIMEOUT_S` seconds) and a
  row limit (default :data:`~kg.query.limits.DEFAULT_MAX_ROWS`).  On Linux and macOS the query
  runs in a forked process that is killed by its PID when the time is up, so
  a runaway query never keeps a core busy; the row limit stops the
  evaluation as soon as one row more has come;
- **standard answers**: SPARQL 1.1 Query Results JSON, XML, CSV and TSV
  (written by pyoxigraph), an aligned text table, and for CONSTRUCT or
  DESCRIBE Turtle, N-Triples, RDF/XML or JSON-LD.

Stores (:mod:`kg.query.store`, re-exported here): :func:`graph_store` (in memory,
from a :class:`~kg.model.KnowledgeGraph`), :func:`write_store` (an on-disk
Oxigraph store, ``kg build --formats oxigraph``) and :func:`open_store` (such
a store read-only in milliseconds, or a Turtle / N-Triples file loaded into
memory).
"""

from __future__ import annotations

import io
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, cast

import pyoxigraph as ox

from kg.errors import QueryError
from kg.query.errorline import one_line
from kg.query.hints import syntax_hints
from kg.query.limits import DEFAULT_LIMITS, Limits
from kg.query.pnames import prefixed_name
from kg.query.querytext import check_query, declares_dataset, query_head
from kg.query.store import (
    STORE_MARKER,
    graph_store,
    is_dataset,
    is_store,
    open_store,
    query_prefixes,
    write_store,
)
from kg.query.storelookups import holds_iri
from kg.query.terminal import cell_text, display_width, padded

__all__ = [
    "Answer",
    "ResultFormat",
    "RESULT_FORMATS",
    "STORE_MARKER",
    "check_query",
    "graph_store",
    "write_store",
    "open_store",
    "is_dataset",
    "is_store",
    "query_prefixes",
    "evaluate",
    "solutions",
]

@dataclass(frozen=True, slots=True)
class Answer:
    """A query's answer, serialized.

    ``kind`` is ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT or
    DESCRIBE); ``truncated`` says that the row limit cut it; ``rows`` is how
    many rows or triples it holds (``None`` for ASK); ``zeros`` that its one
    row holds only zeros or unbound values, what a count of nothing gives, or
    that an ASK answered false.
    """

    kind: str
    data: bytes
    media_type: str
    truncated: bool
    rows: int | None = None
    zeros: bool = False

    @property
    def found_nothing(self) -> bool:
        """No row or triple, one row of zeros (``SELECT (COUNT(*) AS ?n)`` that matched nothing), or ASK's false."""
        return self.rows == 0 or self.zeros

    @property
    def text(self) -> str:
        """The answer as text (every format here is UTF-8)."""
        return self.data.decode("utf-8")

    def cut_at(self, max_rows: int | None) -> str:
        """That the answer was cut at ``max_rows``, in rows or triples (``"... cut at 1 row"``)."""
        unit = ("triple" if self.kind == "graph" else "row") + ("" if max_rows == 1 else "s")
        return "the answer was cut" if max_rows is None else f"the answer was cut at {max_rows:,} {unit}"


@dataclass(frozen=True, slots=True)
class ResultFormat:
    """An output format: how solutions, booleans and graphs are written in it."""

    name: str
    results: ox.QueryResultsFormat | None  # None: the text table
    media_type: str
    graph: ox.RdfFormat
    graph_media_type: str
    graph_only: bool = False  # a graph syntax's name: no SELECT or ASK answer is written in it


#: name -> format; ``table`` is for people, the others for programs.
RESULT_FORMATS: dict[str, ResultFormat] = {f.name: f for f in (
    ResultFormat("json", ox.QueryResultsFormat.JSON, "application/sparql-results+json",
                 ox.RdfFormat.JSON_LD, "application/ld+json"),
    ResultFormat("xml", ox.QueryResultsFormat.XML, "application/sparql-results+xml",
                 ox.RdfFormat.RDF_XML, "application/rdf+xml"),
    ResultFormat("csv", ox.QueryResultsFormat.CSV, "text/csv", ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    ResultFormat("tsv", ox.QueryResultsFormat.TSV, "text/tab-separated-values",
                 ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    ResultFormat("table", None, "text/plain", ox.RdfFormat.TURTLE, "text/turtle"),
    # A CONSTRUCT's answer asked for by its syntax's name, as a user asks for a graph.
    ResultFormat("turtle", None, "text/turtle", ox.RdfFormat.TURTLE, "text/turtle", graph_only=True),
    ResultFormat("nt", None, "application/n-triples", ox.RdfFormat.N_TRIPLES, "application/n-triples",
                 graph_only=True),
    ResultFormat("jsonld", None, "application/ld+json", ox.RdfFormat.JSON_LD, "application/ld+json", graph_only=True),
    ResultFormat("rdfxml", None, "application/rdf+xml", ox.RdfFormat.RDF_XML, "application/rdf+xml", graph_only=True),
)}

_SELECT_ALL = re.compile(r"SELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?\*", re.IGNORECASE)
_VARIABLE = re.compile(r"[?$](\w+)")


# ------------------------------------------------------------------ evaluating

class _RowsExceeded(Exception):
    """Raised inside the serializer's sink to stop an answer at the row limit."""


class _LineSink:
    """Keeps the first ``keep`` lines written to it, then stops the writer."""

    __slots__ = ("buf", "lines", "keep", "cut")

    def __init__(self, keep: int | None) -> None:
        self.buf = io.BytesIO()
        self.lines = 0
        self.keep = keep
        self.cut = False

    def write(self, data: bytes) -> int:
        if self.cut:  # the writer may try its buffer again after the first refusal
            raise _RowsExceeded
        data = bytes(data)
        if self.keep is not None:
            room = self.keep - self.lines
            if data.count(b"\n") > room:
                at = -1
                for _ in range(room):
                    at = data.index(b"\n", at + 1)
                self.buf.write(data[:at + 1])
                self.cut = True
                raise _RowsExceeded
            self.lines += data.count(b"\n")
        self.buf.write(data)
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the bytes are kept in memory."""


#: A TSV cell of a count of nothing: a zero of any numeric type, or unbound.
_ZERO = re.compile(rb'|0|0\.0*|0(?:\.0*)?[eE][+-]?0+|"0(?:\.0*)?(?:[eE][+-]?0+)?"\^\^<http://www\.w3\.org/2001/'
                   rb'XMLSchema#(?:integer|decimal|double|float|long|int|short|byte|non(?:Positive|Negative)Integer|'
                   rb'unsigned(?:Long|Int|Short|Byte))>')


def _answer_in_process(store: ox.Store, query: str, fmt: ResultFormat, limits: Limits,
                       prefixes: dict[str, str] | None, union: bool = False, base_iri: str | None = None) -> Answer:
    try:
        # Oxigraph's union flag overrides a FROM: a query that names its dataset gets that dataset.
        result = store.query(query, prefixes=prefixes, base_iri=base_iri,
                             use_default_graph_as_union=union and not declares_dataset(query))
        if fmt.graph_only and not isinstance(result, ox.QueryTriples):
            form = "an ASK" if isinstance(result, ox.QueryBoolean) else "a SELECT"
            raise QueryError(f"{fmt.name} is a graph syntax, for a CONSTRUCT or DESCRIBE answer: {form} query's "
                             "answer comes in json, xml, csv, tsv or table")
        if isinstance(result, ox.QueryBoolean):
            return _boolean(bool(result), fmt)
        if isinstance(result, ox.QuerySolutions):
            # TSV: one line per row and lossless, so the row limit is a line count.
            sink = _LineSink(None if limits.max_rows is None else limits.max_rows + 1)
            try:
                result.serialize(cast(IO[bytes], sink), ox.QueryResultsFormat.TSV)  # write() is all it calls
            except _RowsExceeded:
                pass
            except OSError:
                if not sink.cut:
                    raise
            tsv = _in_query_order(sink.buf.getvalue(), query)
            kept = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
            assert isinstance(kept, ox.QuerySolutions)  # TSV has no boolean form
            rows = max(0, tsv.count(b"\n") - 1)  # (a line a row, after the header: TSV escapes line breaks)
            zeros = rows == 1 and all(_ZERO.fullmatch(cell) for cell in tsv.split(b"\n")[1].split(b"\t"))
            return Answer("select", _solutions_bytes(kept, fmt, prefixes or {}), fmt.media_type, sink.cut, rows,
                          zeros)
        sink = _LineSink(limits.max_rows)
        try:
            result.serialize(cast(IO[bytes], sink), ox.RdfFormat.N_TRIPLES)
        except _RowsExceeded:
            pass
        except OSError:
            if not sink.cut:
                raise
        triples = list(ox.parse(sink.buf.getvalue(), ox.RdfFormat.N_TRIPLES))
        from kg.export.prefixes import prefixes_used
        from kg.export.rdf import serialize_rdf, xml_unwritable

        if fmt.graph == ox.RdfFormat.RDF_XML and (unwritable := xml_unwritable(triples)) is not None:
            raise QueryError(f"RDF/XML cannot write the predicate <{unwritable}>: its IRI does not end in an XML "
                             "name; ask for Turtle, N-Triples or JSON-LD")
        out = io.BytesIO()
        used = prefixes_used(triples, prefixes or {}, xml=fmt.graph == ox.RdfFormat.RDF_XML) \
            if fmt.graph in _PREFIXED else None
        serialize_rdf(triples, out, fmt.graph, used)
        return Answer("graph", out.getvalue(), fmt.graph_media_type, sink.cut, len(triples))
    except QueryError:
        raise
    except (SyntaxError, OSError, ValueError, RuntimeError) as err:
        # (what a name typed as it reads, or a misspelt prefix, was meant to be: the parser's words do not say)
        hints = syntax_hints(query, prefixes or {}, lambda value: holds_iri(store, value), based=base_iri is not None) \
            if isinstance(err, SyntaxError) else []
        raise QueryError(f"SPARQL query failed: {one_line(err, query)}" + "".join(f"; {h}" for h in hints)) from err


def _in_query_order(tsv: bytes, query: str) -> bytes:
    """The TSV answer of a ``SELECT *`` with its columns in the order their variables first appear in
    the query, as most stores give them (Oxigraph sorts them by name).

    >>> _in_query_order(b"?o\\t?s\\n1\\t2\\n", "SELECT * WHERE { ?s ?p ?o }")
    b'?s\\t?o\\n2\\t1\\n'
    """
    head = query_head(query)
    lines = tsv.split(b"\n")
    if not _SELECT_ALL.match(head) or not lines[0]:
        return tsv
    first: dict[str, int] = {}
    for m in _VARIABLE.finditer(head):
        first.setdefault(m.group(1), m.start())
    names = [name[1:].decode("utf-8") for name in lines[0].split(b"\t")]
    order = sorted(range(len(names)), key=lambda i: (first.get(names[i], len(head)), i))
    if order == list(range(len(names))):
        return tsv
    cells = [line.split(b"\t") for line in lines]
    return b"\n".join(b"\t".join(row[i] for i in order) if len(row) == len(names) else b"\t".join(row)
                      for row in cells)


_PREFIXED = frozenset({ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML})


def _boolean(value: bool, fmt: ResultFormat) -> Answer:
    if fmt.results is None:
        return Answer("ask", b"true" if value else b"false", fmt.media_type, False, zeros=not value)
    # A boolean answer in a W3C format: pyoxigraph writes it from a parsed one.
    if fmt.results in (ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV):
        data = b"true" if value else b"false"  # no boolean form in CSV/TSV: the bare word, as stores do
    else:
        parsed = ox.parse_query_results(('{"head":{},"boolean":%s}' % ("true" if value else "false")).encode(),
                                        ox.QueryResultsFormat.JSON)
        out = io.BytesIO()
        parsed.serialize(out, fmt.results)
        data = out.getvalue()
    return Answer("ask", data, fmt.media_type, False, zeros=not value)


def _solutions_bytes(solutions: ox.QuerySolutions, fmt: ResultFormat, prefixes: dict[str, str]) -> bytes:
    if fmt.results is None:
        return _table(solutions, prefixes).encode("utf-8")
    out = io.BytesIO()
    solutions.serialize(out, fmt.results)
    return out.getvalue()


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode):
        return prefixed_name(term.value, prefixes)
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _cut(text: str, width: int) -> str:
    """``text``, or its first ``width`` - 1 characters and an ellipsis: a cut value never looks whole."""
    return text if len(text) <= width else text[:width - 1] + "…"


def _table(solutions: ox.QuerySolutions, prefixes: dict[str, str], width: int = 100) -> str:
    """Solutions as an aligned text table: IRIs whole, as prefixed names where they have one (that a
    query reads back); literals' values without quotes, cut at ``width`` characters."""
    names = [v.value for v in solutions.variables]
    rows = [[_cell(term, prefixes) if isinstance(term, ox.NamedNode) else _cut(cell_text(_cell(term, prefixes)), width)
             for term in map(s.__getitem__, names)] for s in solutions]
    if not rows:
        return "(no results)"
    # (in a terminal's columns: a CJK character takes two)
    widths = [max(len(n), *(display_width(r[i]) for r in rows)) for i, n in enumerate(names)]
    lines = ["  ".join(padded(n, w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines += ["  ".join(padded(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def evaluate(store: ox.Store | Callable[[], ox.Store], query: str, fmt: str = "json",
             limits: Limits = DEFAULT_LIMITS, prefixes: dict[str, str] | None = None, *, union: bool = False,
             cancelled: threading.Event | None = None, base_iri: str | None = None) -> Answer:
    """Answer a SPARQL query in ``fmt`` (a key of :data:`RESULT_FORMATS`), within ``limits``.

    Parameters
    ----------
    store : pyoxigraph.Store or callable
        The store, or a function that opens it (called in the worker
        process, for an on-disk store, so that no database handle crosses a
        fork).
    query : str
        A SELECT, ASK, CONSTRUCT or DESCRIBE query.
    fmt : str
        ``json``, ``xml``, ``csv``, ``tsv`` (SPARQL 1.1 results; a graph
        comes as JSON-LD, RDF/XML or N-Triples) or ``table`` (text; a graph
        as Turtle); for a CONSTRUCT or DESCRIBE query also ``turtle``,
        ``nt``, ``jsonld`` or ``rdfxml`` (a :class:`QueryError` for the
        others).
    limits : Limits
        Timeout, row limit and whether ``SERVICE`` may run.
    prefixes : dict, optional
        Prefixes bound for the query (and used in Turtle output); by default
        the vocabularies' (``schema:``, ``kg:``, ``skos:`` ..., and ``void:``
        for the build's description), see :func:`query_prefixes` for the
        data folders' too.
    union : bool
        Query the union of the store's graphs, its default graph included,
        where a pattern names none (``GRAPH ?g`` still reaches each named
        graph): what a store loaded from N-Quads or TriG
        (:func:`~kg.query.store.is_dataset`) needs, as kg writes the graph
        there into a named graph of its own.  A triple held by several graphs
        is matched once per graph (a file of one build holds each once).  A
        query that names its dataset (``FROM``, ``FROM NAMED``) gets that
        dataset instead.
    cancelled : threading.Event, optional
        Set by another thread, it stops the query at once: an endpoint's
        client went away, or the endpoint is stopping.
    base_iri : str, optional
        What a relative IRI in the query is read against where the query
        has no ``BASE`` (an endpoint's URL, say); without one, a relative
        IRI is a :class:`QueryError`.

    Notes
    -----
    The query runs in a process of its own (where the platform can fork),
    killed by its PID when it runs past its timeout, is cancelled, or the
    caller is interrupted (Ctrl-C, SIGTERM, a notebook's "interrupt"): the
    store's evaluator does not stop for a signal, its process does.

    Raises
    ------
    ReadOnlyQueryError, ServiceRefusedError
        See :func:`check_query`.
    QueryTimeoutError
        If the query ran out of time.
    QueryMemoryError
        If it needed more memory than ``limits.max_memory``.
    QueryError
        If it does not parse or cannot be evaluated.
    WorkerDiedError
        If the process it ran in (with a timeout or ``cancelled``) crashed
        without an answer: the evaluator failed on it, not the query's text.

    Examples
    --------
    >>> import json, kg
    >>> store = graph_store(kg.build("examples/wcep-2015-09"))
    >>> answer = evaluate(store, "SELECT (COUNT(*) AS ?n) WHERE { ?e a schema:Event }")
    >>> json.loads(answer.data)["results"]["bindings"][0]["n"]["value"], answer.truncated
    ('428', False)
    >>> evaluate(store, "SELECT ?e WHERE { ?e a <http://schema.org/Event> }", "csv", Limits(max_rows=2)).truncated
    True
    """
    try:
        out = RESULT_FORMATS[fmt]
    except KeyError:
        raise QueryError(f"unknown result format {fmt!r}; known: {sorted(RESULT_FORMATS)}") from None
    check_query(query, allow_service=limits.allow_service)
    if prefixes is None:  # (void: too: a store's description is read with it, as kg query binds it)
        from kg.namespace import PREFIXES, VOID

        prefixes = {**PREFIXES, VOID.prefix: VOID.iri}
    if not hasattr(os, "fork"):
        return _answer_in_process(store if isinstance(store, ox.Store) else store(), query, out, limits,
                                  prefixes, union, base_iri)
    return _answer_in_child(store, query, out, limits, prefixes, limits.timeout, union, cancelled, base_iri)


def _answer_in_child(store: ox.Store | Callable[[], ox.Store], query: str, fmt: ResultFormat,
                     limits: Limits, prefixes: dict[str, str] | None, timeout: float | None, union: bool,
                     cancelled: threading.Event | None = None, base_iri: str | None = None) -> Answer:
    """Evaluate in a forked process (:mod:`kg.query.forked`), killed by its PID if it runs past
    ``timeout`` (``None``: no limit), is ``cancelled``, or the caller is interrupted."""
    from kg.query.forked import run_forked

    def work() -> Answer:  # (in the child: an on-disk store is opened there, no handle crosses the fork)
        return _answer_in_process(store if isinstance(store, ox.Store) else store(), query, fmt, limits,
                                  prefixes, union, base_iri)

    answer = run_forked(work, timeout=timeout, cancelled=cancelled, max_memory_mb=limits.max_memory)
    if not isinstance(answer, Answer):
        raise QueryError(f"the query process answered a {type(answer).__name__}, not an answer")
    return answer


def solutions(answer: Answer) -> ox.QuerySolutions | bool | list[ox.Triple]:
    """Read an answer given in TSV (SELECT), ``table`` (ASK) or N-Triples (graph) back into terms."""
    if answer.kind == "ask":
        return answer.data.strip() == b"true"
    if answer.kind == "select":
        parsed = ox.parse_query_results(answer.data, ox.QueryResultsFormat.TSV)
        assert isinstance(parsed, ox.QuerySolutions)  # TSV has no boolean form
        return parsed
    return list(ox.parse(answer.data, ox.RdfFormat.N_TRIPLES))
