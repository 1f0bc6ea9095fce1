"""RDF files made of partitions' runs of subjects, merged in output order.

A partitioned build (:mod:`kg.distributed.local`) never holds the whole graph:
each partition holds the subjects it owns.  :func:`write_runs` writes one
partition's subjects of each node kind as a *run*: their blocks of bytes
(Turtle or N-Triples, as a full write gives them: a subject's block depends on
its own triples only) in output order, and beside them each block's length
and sort key (:mod:`kg.export.order`), encoded so that the bytes sort as the
keys do (:func:`key_bytes`).  :func:`merge_kind` merges one kind's runs of
every partition by those keys, and :func:`join_kinds` puts the kinds together
after the prefix header: the file a full write of the whole graph gives, byte
for byte.  The kinds merge apart, so a pool merges them side by side.

Examples
--------
One partition holding a whole graph gives the file written from it:

>>> import tempfile, pathlib
>>> from kg.export.rdf import write_turtle
>>> from kg.pipeline import build
>>> g = build("examples/wcep-2015-09")
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_runs(g, g, 0, folder, ("turtle",))
>>> for kind in EMITTERS:
...     merge_kind(folder, "turtle", kind, 1)
>>> join_kinds(folder, "turtle", folder / "graph.ttl", base_iri=g.base_iri)
>>> write_turtle(g, folder / "whole.ttl")
>>> (folder / "graph.ttl").read_bytes() == (folder / "whole.ttl").read_bytes()
True
"""

from __future__ import annotations

import gzip
import heapq
import io
import os
import struct
from array import array
from collections import deque
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.export.order import SortKey, iter_subject_keys
from kg.export.prefixes import output_prefixes
from kg.export.rdf import serialize_rdf
from kg.export.triples import EMITTERS
from kg.incremental.datacodec import dumps, key_tuple, loads
from kg.incremental.filecopy import copy_range
from kg.incremental.outindex import SegmentRow, kind_segments, subject_blocks
from kg.incremental.outstate import Tally
from kg.model import KnowledgeGraph
from kg.parse.records import PageKey
from kg.publish import replacing
from kg.report import subject_tallies

__all__ = ["RUN_FORMATS", "key_bytes", "write_runs", "merge_kind", "indexed_segments", "join_kinds", "header"]

#: Exporter name -> the RDF format whose files can be merged from runs.
RUN_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}

# A run's entry: the lengths of the block, of its key as bytes and as JSON, and its tally's count of integers.
_ENTRY = struct.Struct("<IIII")
# A subject's entry in the index: the length of its key as JSON and its tally's count of integers.
_PAYLOAD = struct.Struct("<II")
# An index row of a merged kind: its byte length, then the lengths of its first key, tally and body.
_ROW = struct.Struct("<QIII")
_INT_OFFSET = 1 << 63


def key_bytes(key: SortKey) -> bytes:
    """A sort key as bytes that sort as the keys do (among keys of one node kind).

    Strings as UTF-8 (whose bytes sort in code point order) with NUL escaped and
    a NUL pair after each, so that a string sorts before its extensions;
    integers as 8 bytes, big-endian, offset to be unsigned.

    Examples
    --------
    >>> keys = [("2015-09-01", "ab", 0), ("2015-09-01", "a", 10), ("2015-09-01", "a\\x00", 1), ("2015-09-01", "a", 2)]
    >>> sorted(keys, key=key_bytes) == sorted(keys)
    True
    >>> key_bytes("a\\x00b")
    b'a\\x00\\x01b\\x00\\x00'
    """
    if isinstance(key, str):
        return _text(key)
    return b"".join(_text(part) if isinstance(part, str) else (part + _INT_OFFSET).to_bytes(8, "big")
                    for part in key)


def _text(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass").replace(b"\x00", b"\x00\x01") + b"\x00\x00"


def _prefixes(fmt: str, base_iri: str) -> dict[str, str] | None:
    return output_prefixes(base_iri) if fmt == "turtle" else None


def _run_names(folder: Path, fmt: str, kind: str, index: int) -> tuple[Path, Path]:
    stem = folder / f"{fmt}-{kind}-{index:05d}"
    return stem.with_suffix(".blocks"), stem.with_suffix(".keys")


def _merged_name(folder: Path, fmt: str, kind: str, suffix: str = ".merged") -> Path:
    return folder / f"{fmt}-{kind}{suffix}"


def write_runs(graph: KnowledgeGraph, event_graph: KnowledgeGraph, index: int, folder: str | os.PathLike[str],
               formats: Sequence[str], outside: Collection[PageKey] | None = None) -> None:
    """Write partition ``index``'s runs of subjects, a pair of files per format and node kind.

    ``event_graph`` is the graph whose events are written (it may hold more
    edges of them than ``graph``: a partition's event names every event it
    shares contexts with); every other kind is written from ``graph``.
    ``outside`` are the external events its days and Related lines name (for
    the subjects' tallies, :func:`kg.report.subject_tallies`); ``None``: the
    events out of ``graph``'s corpus, as for a whole graph.
    """
    for fmt in formats:
        prefixes = _prefixes(fmt, graph.base_iri)
        for kind in EMITTERS:
            source = event_graph if kind == "events" else graph
            blocks = subject_blocks(source, kind, RUN_FORMATS[fmt], prefixes)
            keys, tallies = iter_subject_keys(source, kind), subject_tallies(source, kind, outside)
            blocks_path, keys_path = _run_names(Path(folder), fmt, kind, index)
            last = b""
            with open(blocks_path, "wb") as data, open(keys_path, "wb") as entries:
                for block in blocks:
                    # (not next(keys): a StopIteration here would end the stage's map without an error)
                    key, tally = next(keys, None), next(tallies, None)
                    if key is None or tally is None:
                        raise AssertionError(f"partition {index}: more {fmt} blocks than {kind} keys")
                    ordered, written = key_bytes(key), dumps(key)
                    if ordered <= last and data.tell():  # the merge needs them in order
                        raise AssertionError(f"{kind} subjects out of order in partition {index}")
                    data.write(block)
                    entries.write(_ENTRY.pack(len(block), len(ordered), len(written), len(tally)))
                    entries.write(ordered + written + struct.pack(f"<{len(tally)}q", *tally))
                    last = ordered
            if next(keys, None) is not None:
                raise AssertionError(f"partition {index}: more {kind} keys than {fmt} blocks")


def _run(path: Path, index: int) -> Iterator[tuple[bytes, int, int, bytes]]:
    """One partition's subjects of a kind in order: ``(key bytes, partition, block length, entry)``.

    The entry is what the index needs of the subject: its key as JSON and its tally.
    """
    with open(path, "rb") as entries:
        read, unpack, size = entries.read, _ENTRY.unpack, _ENTRY.size
        while head := read(size):
            length, ordered, written, count = unpack(head)
            yield read(ordered), index, length, _PAYLOAD.pack(written, count) + read(written + 8 * count)


def merge_kind(folder: str | os.PathLike[str], fmt: str, kind: str, parts: int, *, index: bool = False) -> None:
    """Merge the runs of one node kind of ``parts`` partitions into one file, in output order (runs removed).

    With ``index``, also the kind's rows of the written file's index for
    incremental rebuilds (:func:`kg.incremental.outindex.kind_segments`), for
    :func:`indexed_segments`.  Raises ``AssertionError`` (a bug) if two
    partitions hold the same subject.
    """
    folder = Path(folder)
    names = [_run_names(folder, fmt, kind, n) for n in range(parts)]
    entries_path = _merged_name(folder, fmt, kind, ".entries")
    readers: list[BinaryIO] = []
    ends = array("q")  # each block's end, from the kind's start: 8 bytes a subject
    try:
        for blocks, _ in names:
            readers.append(open(blocks, "rb"))  # noqa: SIM115  # closed below
        with open(_merged_name(folder, fmt, kind), "wb") as out, open(entries_path, "wb") as entries:
            write, last, at = out.write, b"", 0
            for key, n, length, entry in heapq.merge(*(_run(keys, n) for n, (_, keys) in enumerate(names))):
                if key <= last and at:
                    raise AssertionError(f"two partitions hold one {kind} subject")
                write(readers[n].read(length))
                at += length
                last = key
                if index:
                    ends.append(at)
                    entries.write(entry)
    finally:
        for reader in readers:
            reader.close()
    for pair in names:
        for path in pair:
            path.unlink()
    if index:
        keys, tallies = _entries(entries_path)
        rows, total = kind_segments(fmt, kind, keys, tallies, ends)
        with open(_merged_name(folder, fmt, kind, ".segments"), "wb") as out:
            for _, _, first, length, tally, body in rows:
                out.write(_ROW.pack(length, len(first), len(tally), len(body)) + first + tally + body)
        _merged_name(folder, fmt, kind, ".total").write_bytes(dumps(total[0]))
    entries_path.unlink()


def _entries(path: Path) -> tuple[Iterator[SortKey], Iterator[Tally]]:
    """The keys and the tallies of the merged entries of a kind, in order (read together, as consumed)."""
    pending: deque[Tally] = deque()  # a key's tally, until asked for: after the keys of its segment

    def keys() -> Iterator[SortKey]:
        with open(path, "rb") as fh:
            while head := fh.read(_PAYLOAD.size):
                written, count = _PAYLOAD.unpack(head)
                key = key_tuple(loads(fh.read(written)))
                pending.append(struct.unpack(f"<{count}q", fh.read(8 * count)))
                yield key

    def tallies() -> Iterator[Tally]:
        while pending:
            yield pending.popleft()

    return keys(), tallies()


def indexed_segments(folder: str | os.PathLike[str], fmt: str) -> tuple[Iterator[SegmentRow], dict[str, Tally]]:
    """The index rows of a file joined from runs merged with ``index`` (every kind, in order), and the
    kinds' totals."""
    folder = Path(folder)
    totals = {kind: tuple(loads(_merged_name(folder, fmt, kind, ".total").read_bytes())) for kind in EMITTERS}

    def rows() -> Iterator[SegmentRow]:
        for kind in EMITTERS:
            with open(_merged_name(folder, fmt, kind, ".segments"), "rb") as fh:
                while head := fh.read(_ROW.size):
                    length, first, tally, body = _ROW.unpack(head)
                    yield fmt, kind, fh.read(first), length, fh.read(tally), fh.read(body)

    return rows(), totals


def join_kinds(folder: str | os.PathLike[str], fmt: str, target: str | os.PathLike[str], *, base_iri: str,
               gzip_output: bool = False) -> None:
    """Write ``target``: the prefix header (if there is any triple) and every kind's merged file, in order."""
    folder = Path(folder)
    merged = [_merged_name(folder, fmt, kind) for kind in EMITTERS]
    head = header(fmt, base_iri) if any(path.stat().st_size for path in merged) else b""
    with replacing(target) as tmp, open(tmp, "wb") as raw:
        if gzip_output:  # as kg.export.rdf writes it: the same graph, the same compressed bytes
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as packed:
                packed.write(head)
                for path in merged:
                    with open(path, "rb") as part:
                        while chunk := part.read(1 << 22):
                            packed.write(chunk)
                    path.unlink()  # each as soon as it is copied: the disk holds the file about once
        else:
            raw.write(head)
            for path in merged:
                with open(path, "rb") as part:
                    copy_range(part, raw, 0, os.fstat(part.fileno()).st_size)
                path.unlink()


def header(fmt: str, base_iri: str) -> bytes:
    """What a file of ``fmt`` starts with before its first subject (Turtle's prefixes).

    >>> header("ntriples", "https://x.org/")
    b''
    >>> header("turtle", "https://x.org/").splitlines()[0].startswith(b"@prefix ")
    True
    """
    prefixes = _prefixes(fmt, base_iri)
    if not prefixes:
        return b""
    buf = io.BytesIO()
    any_iri = ox.NamedNode("urn:x")
    serialize_rdf([ox.Triple(any_iri, any_iri, any_iri)], buf, RUN_FORMATS[fmt], prefixes)
    data = buf.getvalue()
    end = 0
    while data.startswith(b"@prefix ", end):
        end = data.index(b"\n", end) + 1
    return data[:end]
