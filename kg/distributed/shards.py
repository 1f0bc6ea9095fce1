"""One partition's part of the graph as a sorted, gzipped N-Triples shard; the manifest of a set.

A shard holds the triples of the subjects its partition owns
(:class:`~kg.distributed.partitioned.GraphPart`), made by the same emitters
as the local build's N-Triples (:func:`kg.export.triples.graph_triples`):
every triple is in exactly one shard, and their union is the local
``graph.nt``.  Lines are sorted (bytewise, which is code point order), so
the same input gives the same shard bytes.  A shard is written under a
temporary name and renamed into place; :class:`Sink` does that on a local
folder or on any fsspec file system.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.diagnostics import Diagnostic
from kg.distributed.partitioned import GraphPart
from kg.export.triples import EMITTERS, graph_triples

if TYPE_CHECKING:  # pragma: no cover
    from fsspec import AbstractFileSystem

__all__ = [
    "MANIFEST_NAME",
    "REPORT_NAME",
    "ShardInfo",
    "Sink",
    "manifest",
    "part_triples",
    "shard_bytes",
    "shard_name",
    "write_shard",
]

MANIFEST_NAME = "manifest.json"
REPORT_NAME = "report.json"
#: gzip level of the shards: bulk loaders read them once; level 1 costs a fraction of the default's time.
GZIP_LEVEL = 1


def shard_name(index: int) -> str:
    """The file name of partition ``index``'s shard.

    >>> shard_name(7)
    'graph-00007.nt.gz'
    """
    return f"graph-{index:05d}.nt.gz"


@dataclass(frozen=True, slots=True)
class ShardInfo:
    """A shard written: its name, triples, size and SHA-256, with its partition's counts and diagnostics."""

    index: int
    name: str
    triples: int
    bytes: int
    sha256: str
    counts: dict[str, int]
    diagnostics: tuple[Diagnostic, ...]


def part_triples(part: GraphPart) -> Iterator[ox.Triple]:
    """Every triple whose subject the partition owns, each once."""
    yield from graph_triples(part.event_graph, ("events",))
    yield from graph_triples(part.graph, tuple(name for name in EMITTERS if name != "events"))


def shard_bytes(part: GraphPart) -> tuple[bytes, int]:
    """The gzipped shard of a partition and its number of triples (one a line, sorted)."""
    text = ox.serialize(part_triples(part), format=ox.RdfFormat.N_TRIPLES)
    lines = text.splitlines(keepends=True) if text else []
    lines.sort()
    return gzip.compress(b"".join(lines), compresslevel=GZIP_LEVEL, mtime=0), len(lines)


@dataclass(frozen=True)
class Sink:
    """Where a job writes: a local folder (``fs`` is ``None``) or a folder of an fsspec file system."""

    folder: str
    fs: AbstractFileSystem | None = None

    def path(self, name: str) -> str:
        return os.path.join(self.folder, name) if self.fs is None else f"{self.folder.rstrip('/')}/{name}"

    def write(self, name: str, data: bytes) -> None:
        """Write ``name`` whole: under a temporary name first, then renamed into place."""
        final, temporary = self.path(name), self.path(f".{name}.part-{os.getpid()}")
        if self.fs is None:
            with open(temporary, "wb") as fh:
                fh.write(data)
            os.replace(temporary, final)
            return
        self.fs.pipe_file(temporary, data)
        self.fs.mv(temporary, final)


def write_shard(part: GraphPart, sink: Sink) -> ShardInfo:
    """Write one partition's shard into ``sink``; what was written."""
    data, count = shard_bytes(part)
    name = shard_name(part.index)
    sink.write(name, data)
    return ShardInfo(part.index, name, count, len(data), hashlib.sha256(data).hexdigest(), part.counts,
                     part.diagnostics)


def manifest(shards: Sequence[ShardInfo], *, base_iri: str, corpus: str) -> dict[str, Any]:
    """The manifest of a set of shards: their names, triple counts and checksums.

    Examples
    --------
    >>> info = ShardInfo(0, "graph-00000.nt.gz", 3, 40, "ab", {}, ())
    >>> manifest([info], base_iri="https://x.org/", corpus="c")["triples"]
    3
    """
    ordered = sorted(shards, key=lambda s: s.index)
    return {
        "format": "application/n-triples+gzip",
        "corpus": corpus,
        "base_iri": base_iri,
        "partitions": len(ordered),
        "triples": sum(s.triples for s in ordered),
        "shards": [{"name": s.name, "triples": s.triples, "bytes": s.bytes, "sha256": s.sha256}
                   for s in ordered],
        "report": REPORT_NAME,
    }


def manifest_bytes(shards: Sequence[ShardInfo], *, base_iri: str, corpus: str) -> bytes:
    """:func:`manifest` as UTF-8 JSON with a newline at the end."""
    return (json.dumps(manifest(shards, base_iri=base_iri, corpus=corpus), indent=2) + "\n").encode()
