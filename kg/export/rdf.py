"""Turtle and N-Triples of the graph, and pyoxigraph's serializer for RDF of any kind.

No rdflib Graph is built to write a file.  The graph's Turtle and N-Triples
are written as text by kg from the same emitters as every other output
(:func:`serialize_graph`, :mod:`kg.export.rdftext`): the bytes pyoxigraph
writes from :func:`kg.export.triples.graph_triples`, without the cost of
handing it each triple.  Other formats, and triples from elsewhere (a
query's answer), stream into pyoxigraph's serializer (:func:`serialize_rdf`),
optionally through gzip.  The same graph gives the same bytes.

Turtle 1.1 lets a prefixed name escape characters of its local name
(``event:2015-09-01\\/slug``), but stores disagree on reading them: Virtuoso
7 keeps the backslash in the IRI.  So every prefixed name that would need an
escape is written whole (``<https://.../context/X_%28Y%29>``), and the
Turtle reads the same in every store (:func:`serialize_rdf`).  Event and page
IRIs, whose local names always hold a ``/``, get no prefix at all
(:func:`kg.export.prefixes.output_prefixes`), so they are written whole too.
"""

from __future__ import annotations

import contextlib
import gc
import gzip
import os
import re
import sys
from collections.abc import Iterable
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Any, BinaryIO, cast

import pyoxigraph as ox

from kg.export.prefixes import output_prefixes
from kg.export.rdftext import TEXT_FORMATS, write_graph_text
from kg.export.triples import graph_triples
from kg.incremental.filecopy import copy_range
from kg.interrupts import worker_pool
from kg.publish import replacing
from kg.table import Table, graph_table

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph

__all__ = ["serialize_graph", "serialize_rdf", "whole_iris", "write_ntriples", "write_rdf", "write_turtle",
           "xml_unwritable"]

# A character of a local name that Turtle can only write escaped.
_LOCAL_ESCAPE = rb"\\[_~.\-!$&'()*+,;=/?#@%]"
# Any other character of a local name as the serializer writes it: no space,
# no backslash (a local name never holds one unescaped), no quote.
_LOCAL_PLAIN = rb'[^\s\\"]'


# A whole prefixed name whose local name holds at least one escape.
_ESCAPED_NAME = re.compile(rb"([A-Za-z][\w.-]*|):((?:" + _LOCAL_PLAIN + rb")*" + _LOCAL_ESCAPE
                           + rb"(?:" + _LOCAL_PLAIN + rb"|" + _LOCAL_ESCAPE + rb")*)")
# A local-name escape anywhere: the cheap search that finds where to look.
_CANDIDATE = re.compile(_LOCAL_ESCAPE)
_SPACE = re.compile(rb"\s")
_UNESCAPE = re.compile(rb"\\(.)")


@lru_cache(maxsize=16)
def _namespaces(prefixes: tuple[tuple[str, str], ...]) -> dict[bytes, bytes]:
    return {p.encode(): ns.encode() for p, ns in prefixes}


def whole_iris(data: bytes, prefixes: dict[str, str]) -> bytes:
    r"""Rewrite each prefixed name of Turtle ``data`` that holds an escape as a whole IRI.

    A name is a whole token (between white space).  Inside a string literal
    a backslash is always doubled or starts a string escape (``\"``,
    ``\n``, ``\u``), never a local-name escape, so text that merely looks
    like a prefixed name is left alone.

    Examples
    --------
    >>> whole_iris(b'e:2015\\/a x:p "e:b\\\\/c" , e:plain .\n', {"e": "http://x/e/", "x": "http://x/"})
    b'<http://x/e/2015/a> x:p "e:b\\\\/c" , e:plain .\n'
    """
    if b"\\" not in data:
        return data
    iris = _namespaces(tuple(prefixes.items()))
    parts: list[bytes] = []
    done = 0  # data[:done] is in parts
    for m in _CANDIDATE.finditer(data):
        if m.start() < done:
            continue  # in a token already rewritten
        start = max(data.rfind(b" ", 0, m.start()), data.rfind(b"\t", 0, m.start()),
                    data.rfind(b"\n", 0, m.start())) + 1
        space = _SPACE.search(data, m.end())
        end = space.start() if space else len(data)
        name = _ESCAPED_NAME.fullmatch(data, start, end)
        if name is None or name.group(1) not in iris:
            continue
        parts += (data[done:start], b"<", iris[name.group(1)], _UNESCAPE.sub(rb"\1", name.group(2)), b">")
        done = end
    if not parts:
        return data
    parts.append(data[done:])
    return b"".join(parts)


class _WholeIriWriter:
    """A file-like sink that rewrites escaped prefixed names line by line."""

    __slots__ = ("_out", "_pending", "_prefixes")

    def __init__(self, out: IO[bytes], prefixes: dict[str, str]) -> None:
        self._out = out
        self._prefixes = prefixes
        self._pending = b""

    def write(self, data: bytes) -> int:
        chunk = self._pending + bytes(data)
        cut = chunk.rfind(b"\n") + 1
        self._pending = chunk[cut:]
        if cut:
            self._out.write(whole_iris(chunk[:cut], self._prefixes))
        return len(data)

    def flush(self) -> None:
        """Write what is pending (the serializer ends every line, so nothing is, at the end)."""
        if self._pending:
            self._out.write(whole_iris(self._pending, self._prefixes))
            self._pending = b""


class _Unflushed:
    """A gzip stream as the serializer sees it: its ``flush`` does nothing.

    pyoxigraph flushes its output when done, and a gzip stream's flush ends the
    deflate block there (a sync flush): the compressed bytes would then depend on
    how the triples were written, not only on the text (a file joined from parts
    would differ from one written at once).
    """

    __slots__ = ("_out",)

    def __init__(self, out: gzip.GzipFile) -> None:
        self._out = out

    def write(self, data: bytes) -> int:
        return self._out.write(data)

    def flush(self) -> None:
        pass


_WITH_PREFIXED_NAMES = frozenset({ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG})


def serialize_rdf(triples: Iterable[ox.Triple] | Iterable[ox.Quad], out: IO[bytes], fmt: ox.RdfFormat,
                  prefixes: dict[str, str] | None = None) -> None:
    """Serialize ``triples`` (or quads) to ``out``: pyoxigraph's bytes, with no escaped local name in Turtle or TriG.

    The reference for the graph's own Turtle and N-Triples, which every
    writer of them (full, parallel, incremental, Dask) writes as text through
    :func:`serialize_graph`, with these bytes, as do the TriG and N-Quads of its named
    graph (:func:`kg.export.rdftext.write_named_graph_text`); their description and a
    query's triples are written here.

    Examples
    --------
    >>> import io
    >>> buf = io.BytesIO()
    >>> t = ox.Triple(ox.NamedNode("http://x/e/2015/a"), ox.NamedNode("http://x/p"), ox.NamedNode("http://x/e/b"))
    >>> serialize_rdf([t], buf, ox.RdfFormat.TURTLE, {"e": "http://x/e/", "x": "http://x/"})
    >>> buf.getvalue().decode().splitlines()[-1]
    '<http://x/e/2015/a> x:p e:b .'
    """
    if fmt not in _WITH_PREFIXED_NAMES or not prefixes:
        ox.serialize(triples, out, fmt, prefixes=prefixes)
        return
    sink = _WholeIriWriter(out, prefixes)
    ox.serialize(triples, cast(IO[bytes], sink), fmt, prefixes=prefixes)  # it has write(), all that is called
    sink.flush()


def xml_unwritable(triples: Iterable[ox.Triple]) -> str | None:
    """The first predicate of ``triples`` that RDF/XML cannot write, else ``None``.

    RDF/XML writes a predicate as an element, so its IRI must end in an XML
    name (RDF 1.1 XML Syntax, 2.1): ``http://example.org/p/`` or
    ``urn:x:1`` cannot be written, and pyoxigraph writes them as ill-formed
    XML.  Each predicate is written alone and read back by an XML parser.

    >>> s, o = ox.NamedNode("http://x/s"), ox.Literal("v")
    >>> xml_unwritable([ox.Triple(s, ox.NamedNode(p), o) for p in ("http://schema.org/name", "urn:x:1")])
    'urn:x:1'
    """
    for predicate in dict.fromkeys(t.predicate for t in triples):  # (in order: the first is said)
        if not _xml_writes(predicate):
            return predicate.value
    return None


@lru_cache(maxsize=256)
def _xml_writes(predicate: ox.NamedNode) -> bool:
    import io
    from xml.parsers import expat

    out = io.BytesIO()
    ox.serialize([ox.Triple(ox.NamedNode("http://x/s"), predicate, ox.Literal("v"))], out, ox.RdfFormat.RDF_XML)
    try:
        expat.ParserCreate(namespace_separator=" ").Parse(out.getvalue(), True)
    except expat.ExpatError:
        return False
    return True


def serialize_graph(graph: KnowledgeGraph, out: IO[bytes], fmt: ox.RdfFormat, prefixes: dict[str, str] | None,
                    kinds: tuple[str, ...] | None = None, part: slice | None = None,
                    table: Table | None = None) -> None:
    """Serialize the statements of :func:`kg.triples` (``kinds``, ``part``, ``table`` as it takes them) to ``out``.

    Turtle and N-Triples are written as text by kg (:mod:`kg.export.rdftext`,
    the bytes pyoxigraph would write, several times faster); any other format
    by :func:`serialize_rdf`.

    Examples
    --------
    >>> import io
    >>> from kg.pipeline import build
    >>> g = build("examples/wcep-2015-09")
    >>> buf = io.BytesIO()
    >>> serialize_graph(g, buf, ox.RdfFormat.N_TRIPLES, None, ("days",))
    >>> len(buf.getvalue().splitlines())
    608
    """
    if fmt in TEXT_FORMATS:
        write_graph_text(graph, out, fmt, prefixes, kinds, part, table)
    else:
        serialize_rdf(graph_triples(graph, kinds, part, table=table), out, fmt, prefixes)


def write_rdf(graph: KnowledgeGraph, path: str | os.PathLike[str], fmt: ox.RdfFormat,
              *, gzip_output: bool | None = None, jobs: int | None = None) -> None:
    """Stream the graph to ``path`` in ``fmt``; gzip if asked or if it ends in ``.gz``.

    A big graph written uncompressed is serialized by ``jobs`` processes
    (default: all cores; 1: this process only), each taking slices of the
    node kinds, with the same bytes as a single serializer.
    """
    target = os.fspath(path)
    compress = target.endswith(".gz") if gzip_output is None else gzip_output
    prefixes = output_prefixes(graph.base_iri) if fmt == ox.RdfFormat.TURTLE else None
    # Write beside the target under a name of its own and rename, so a reader
    # never sees half a file and two writers never share a temporary file.
    with replacing(target) as tmp, open(tmp, "wb") as raw:
        if compress:
            # mtime=0: the same graph gives the same compressed bytes.
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
                serialize_graph(graph, cast(IO[bytes], _Unflushed(out)), fmt, prefixes)
        elif _parallel_jobs(graph, jobs) > 1:
            _write_in_parts(graph, raw, tmp, fmt, prefixes, _parallel_jobs(graph, jobs))
        else:
            serialize_graph(graph, raw, fmt, prefixes)


# Below this many events a pool costs more than it saves.
_PARALLEL_MIN_EVENTS = 5_000
_FORKED: tuple[Any, ...] = ()  # in a worker: (graph, format, prefixes, table), handed over as it forks


def _parallel_jobs(graph: KnowledgeGraph, jobs: int | None) -> int:
    if jobs == 1 or len(graph.event_records) < _PARALLEL_MIN_EVENTS or sys.platform != "linux":
        return 1
    from kg.facts.executors import default_jobs

    return default_jobs() if jobs is None else jobs


# Rough cost of one subject of each kind (its triples, in effect), to cut
# the work into parts of similar size.
_COST = {"events": 28, "days": 9, "articles": 7, "publishers": 5, "organizations": 4, "images": 3,
         "contexts": 5, "related": 6, "shared": 6, "pages": 2}
# Parts per process: enough that the pool ends evenly, few enough that the
# per-part set-up (a fork hand-over, a file, a prefix header) stays small.
_PARTS_PER_JOB = 4
# Kinds whose every part first reads all the links (about a second at
# 150,000 events): cut in no more parts than there are processes.
_SET_UP_KINDS = frozenset({"events"})


def _plan(graph: KnowledgeGraph, jobs: int) -> list[tuple[str, slice]]:
    """Cut every node kind into slices of subjects of similar cost, in output order."""
    from kg.export.triples import EMITTERS, kind_size

    sizes = {kind: kind_size(graph, kind) for kind in EMITTERS}
    assert set(_COST) == set(EMITTERS), "a node kind has no cost in the parallel writer"
    budget = max(1, sum(_COST[k] * n for k, n in sizes.items()) // (jobs * _PARTS_PER_JOB))
    plan: list[tuple[str, slice]] = []
    for kind, n in sizes.items():
        step = max(1, budget // _COST[kind])
        if kind in _SET_UP_KINDS:
            step = max(step, -(-n // jobs))
        plan.extend((kind, slice(lo, min(n, lo + step))) for lo in range(0, max(n, 1), step))
    return plan


def _take_over(*forked: Any) -> None:
    """Worker set-up: what every part reads (inherited through the fork, not pickled)."""
    global _FORKED
    _FORKED = forked


def _write_part(job: tuple[int, str, slice, str]) -> int:
    """Worker: the triples of one slice of a node kind, as a file of its own; the part's number."""
    number, kind, part, path = job
    graph, fmt, prefixes, table = _FORKED
    with open(path, "wb") as out:
        serialize_graph(graph, out, fmt, prefixes, (kind,), part, table)
    return number


class _Joiner:
    """Appends the parts to the output in their order, each as soon as it and those before it are written."""

    __slots__ = ("_header", "_joined", "_paths", "_raw", "_written")

    def __init__(self, raw: BinaryIO, paths: list[str]) -> None:
        self._raw = raw
        self._paths = paths
        self._written: set[int] = set()
        self._joined = 0  # parts[:joined] are in the output, and deleted
        self._header: list[bytes] = []

    def written(self, number: int) -> None:
        self._written.add(number)
        while self._joined in self._written:
            self._join(self._paths[self._joined])
            self._joined += 1

    def _join(self, path: str) -> None:
        with open(path, "rb") as part:
            lines, line = [], part.readline()
            while line.startswith(b"@prefix "):
                lines.append(line)
                line = part.readline()
            if not self._header:  # the first part with triples gives the header
                self._header = lines
                self._raw.write(b"".join(lines))
            elif lines and lines != self._header:  # an empty part has no header
                raise AssertionError(f"a Turtle part {path} has other prefixes")
            copy_range(part, self._raw, part.tell() - len(line), os.fstat(part.fileno()).st_size)
        # Deleted at once: its pages not yet on disk are then never written there.
        os.unlink(path)


def _write_in_parts(graph: KnowledgeGraph, raw: BinaryIO, tmp: str, fmt: ox.RdfFormat,
                    prefixes: dict[str, str] | None, jobs: int) -> None:
    """Serialize slices of the node kinds in forked workers, joining the parts as they come.

    A subject's triples never straddle two parts, so a part ends where the
    next begins and the joined file is byte for byte the one a single
    serializer writes; each part repeats the prefix header, which is dropped
    on joining.  A part is appended as soon as it and every part before it
    are written, while the workers write the later ones: appending the last
    parts after the workers end cost a fifth of the whole write (1.74 GB at
    150,000 events on 2 cores) when it came after them all.
    """
    import multiprocessing

    plan = [(n, kind, part, f"{tmp}.{n}") for n, (kind, part) in enumerate(_plan(graph, jobs))]
    # Costliest parts first, so that the pool ends evenly.
    order = sorted(plan, key=lambda job: -_COST[job[1]] * (job[2].stop - job[2].start))
    # The node/edge table is made once, here, and inherited: every part reads it.  (Handed to
    # the workers by the pool, not through a global of this process: another build in a
    # thread of it would see this one's.)
    forked = (graph, fmt, prefixes, graph_table(graph))
    joiner = _Joiner(raw, [path for *_, path in plan])
    # Frozen objects are left alone by the workers' collector: it would
    # otherwise walk (and so copy, page by page) the whole inherited graph.
    gc.freeze()
    try:
        with worker_pool(multiprocessing.get_context("fork"), min(jobs, len(plan)), _take_over, forked) as pool:
            for number in pool.imap_unordered(_write_part, order, chunksize=1):
                joiner.written(number)
    finally:
        gc.unfreeze()
        for *_, path in plan:
            with contextlib.suppress(OSError):
                os.unlink(path)


def write_turtle(graph: KnowledgeGraph, path: str | os.PathLike[str], *, gzip: bool | None = None,
                 jobs: int | None = None) -> None:
    """Write Turtle with our prefixes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from kg.pipeline import build
    >>> g = build("examples/wcep-2015-09")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.ttl"
    >>> write_turtle(g, out)
    >>> "@prefix kg: <https://w3id.org/kg-news/ontology#> ." in out.read_text(encoding="utf-8")
    True
    """
    write_rdf(graph, path, ox.RdfFormat.TURTLE, gzip_output=gzip, jobs=jobs)


def write_ntriples(graph: KnowledgeGraph, path: str | os.PathLike[str], *, gzip: bool | None = None,
                   jobs: int | None = None) -> None:
    """Write N-Triples (one triple a line), the format bulk loaders take."""
    write_rdf(graph, path, ox.RdfFormat.N_TRIPLES, gzip_output=gzip, jobs=jobs)
