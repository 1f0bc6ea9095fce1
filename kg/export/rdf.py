"""Turtle and N-Triples, streamed by pyoxigraph's serializer.

No rdflib Graph is built to write a file: the triples flow from
:func:`kg.rdf.graph_triples` straight into pyoxigraph's serializer (hundreds
of thousands of triples a second), optionally through gzip.  The same graph
gives the same bytes.
"""

from __future__ import annotations

import gzip
import os
import sys
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.rdf import graph_triples, turtle_prefixes

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph

__all__ = ["write_turtle", "write_ntriples", "write_rdf"]


def write_rdf(graph: KnowledgeGraph, path: str | os.PathLike[str], fmt: ox.RdfFormat,
              *, gzip_output: bool | None = None, jobs: int | None = None) -> None:
    """Stream the graph to ``path`` in ``fmt``; gzip if asked or if it ends in ``.gz``.

    A big graph written uncompressed is serialized by ``jobs`` processes
    (default: all cores; 1: this process only), one node kind each, with the
    same bytes as a single serializer.
    """
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
        elif _parallel_jobs(graph, jobs) > 1:
            _write_in_parts(graph, raw, tmp, fmt, prefixes, _parallel_jobs(graph, jobs))
        else:
            ox.serialize(graph_triples(graph), raw, fmt, prefixes=prefixes)
    os.replace(tmp, target)


# Below this many events a pool costs more than it saves.
_PARALLEL_MIN_EVENTS = 5_000
_FORKED: tuple = ()  # (graph, format, prefixes), inherited by forked workers


def _parallel_jobs(graph: KnowledgeGraph, jobs: int | None) -> int:
    if jobs == 1 or len(graph.events) < _PARALLEL_MIN_EVENTS or sys.platform != "linux":
        return 1
    from kg.pipeline import default_jobs

    return default_jobs() if jobs is None else jobs


def _write_kind(job: tuple[str, str]) -> str:
    """Worker: the triples of one node kind, as a file of its own."""
    kind, path = job
    graph, fmt, prefixes = _FORKED
    with open(path, "wb") as out:
        ox.serialize(graph_triples(graph, (kind,)), out, fmt, prefixes=prefixes)
    return path


def _write_in_parts(graph, raw, tmp: str, fmt, prefixes, jobs: int) -> None:
    """Serialize each node kind in a forked worker, then join the parts.

    Kinds never share a subject, so a part ends where the next begins and the
    joined file is byte for byte the one a single serializer writes; each part
    repeats the prefix header, which is dropped on joining.
    """
    import multiprocessing
    import shutil

    from kg.rdf import EMITTERS

    global _FORKED
    # Biggest kinds first, so that the pool ends evenly.
    jobs_list = [(kind, f"{tmp}.{kind}") for kind in ("related", "shared", "events", "articles",
                                                      "pages", "days", "contexts", "publishers", "images")]
    assert {k for k, _ in jobs_list} == set(EMITTERS), "a node kind is missing from the parallel writer"
    _FORKED = (graph, fmt, prefixes)
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(jobs_list))) as pool:
            parts = dict(zip([k for k, _ in jobs_list], pool.map(_write_kind, jobs_list, chunksize=1)))
        header: list[bytes] = []
        for kind in EMITTERS:
            with open(parts[kind], "rb") as part:
                lines, line = [], part.readline()
                while line.startswith(b"@prefix "):
                    lines.append(line)
                    line = part.readline()
                if not header:  # the first part with triples gives the header
                    header = lines
                    raw.write(b"".join(lines))
                elif lines and lines != header:  # an empty part has no header
                    raise AssertionError(f"the Turtle part of {kind} has other prefixes")
                raw.write(line)
                shutil.copyfileobj(part, raw, 1 << 20)
    finally:
        _FORKED = ()
        for _, path in jobs_list:
            try:
                os.unlink(path)
            except OSError:
                pass


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
