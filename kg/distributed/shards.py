"""One partition's part of the graph as a sorted, gzipped N-Triples shard; the manifest of a set.

A shard holds the triples of the subjects its partition owns
(:class:`~kg.distributed.partitioned.GraphPart`), made by the same emitters
as the local build's N-Triples (:func:`kg.export.triples.graph_triples`, written
as text by :func:`kg.export.rdf.serialize_graph`):
every triple is in exactly one shard, and their union is the local
``graph.nt``.  Lines are sorted (bytewise, which is code point order), so
the same input gives the same shard bytes.  A shard is written under a
temporary name and renamed into place; :class:`Sink` does that on a local
folder or on any fsspec file system.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, cast

import pyoxigraph as ox

from kg.diagnostics import Diagnostic
from kg.distributed.partitioned import GraphPart
from kg.export.rdf import serialize_graph
from kg.export.triples import EMITTERS, graph_triples

if TYPE_CHECKING:  # pragma: no cover
    from fsspec import AbstractFileSystem

__all__ = [
    "MANIFEST_NAME",
    "REPORT_NAME",
    "ShardInfo",
    "Sink",
    "manifest",
    "read_manifest",
    "SHARD_FORMAT",
    "part_triples",
    "shard_bytes",
    "shard_lines",
    "shard_name",
    "write_shard",
]

MANIFEST_NAME = "manifest.json"
#: The ``format`` a manifest gives its shards.
SHARD_FORMAT = "application/n-triples+gzip"
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


#: Lines gzipped at once.
_BATCH = 100_000


class _Lines:
    """A sink that keeps N-Triples as its lines: each batch the text writer hands it is split and dropped."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        self.lines: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.lines.extend(data.splitlines(keepends=True))  # (whole statements: a literal's line ends are escaped)
        return len(data)


def shard_lines(part: GraphPart) -> list[bytes]:
    """The partition's triples (:func:`part_triples`) as sorted N-Triples lines (bytewise order is code point
    order), written as text as the local build writes them (:func:`kg.export.rdf.serialize_graph`)."""
    sink = _Lines()
    out = cast(IO[bytes], sink)  # it has write(), all that is called
    serialize_graph(part.event_graph, out, ox.RdfFormat.N_TRIPLES, None, ("events",))
    serialize_graph(part.graph, out, ox.RdfFormat.N_TRIPLES, None, tuple(name for name in EMITTERS if name != "events"))
    sink.lines.sort()
    return sink.lines


def shard_bytes(part: GraphPart) -> tuple[bytes, int]:
    """The gzipped shard of a partition and its number of triples (one a line, sorted).

    Examples
    --------
    >>> from kg.distributed.partitioned import reduce_partitioned
    >>> from kg.facts import page_facts
    >>> from kg.facts.executors import parse_file
    >>> rel = "news/2015/09/1/index.md"
    >>> parts = reduce_partitioned([page_facts(parse_file(rel, "examples/wcep-2015-09/" + rel))], 1,
    ...                            base_iri="https://x.org/")
    >>> data, count = shard_bytes(parts[0])
    >>> gzip.decompress(data).count(b"\\n") == count > 0
    True
    """
    buffer = io.BytesIO()
    count = _write_gzip(shard_lines(part), buffer)
    return buffer.getvalue(), count


class _Digesting(io.RawIOBase):
    """A binary file that passes what is written on, counting its bytes and hashing them."""

    def __init__(self, target: BinaryIO) -> None:
        self.target, self.size, self.sha256 = target, 0, hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self.sha256.update(view)
        self.size += view.nbytes
        self.target.write(view)
        return view.nbytes


def _write_gzip(lines: list[bytes], target: BinaryIO) -> int:
    """Write ``lines`` gzipped into ``target``, a batch at a time (never one more copy of them all)."""
    with gzip.GzipFile(fileobj=target, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as packed:
        for start in range(0, len(lines), _BATCH):
            packed.write(b"".join(lines[start:start + _BATCH]))
    return len(lines)


@dataclass(frozen=True, slots=True)
class Sink:
    """Where a job writes: a local folder (``fs`` is ``None``) or a folder of an fsspec file system."""

    folder: str
    fs: AbstractFileSystem | None = None

    def path(self, name: str) -> str:
        return os.path.join(self.folder, name) if self.fs is None else f"{self.folder.rstrip('/')}/{name}"

    def write(self, name: str, data: bytes) -> None:
        """Write ``name`` whole: under a temporary name first, then renamed into place."""
        with self.replacing(name) as fh:
            fh.write(data)

    @contextmanager
    def replacing(self, name: str) -> Iterator[BinaryIO]:
        """A binary file for ``name``, written under a temporary name and renamed into place when whole."""
        final, temporary = self.path(name), self.path(f".{name}.part-{os.getpid()}")
        if self.fs is None:
            try:
                with open(temporary, "wb") as fh:
                    yield fh
                os.replace(temporary, final)
            finally:
                with suppress(FileNotFoundError):
                    os.unlink(temporary)
            return
        try:
            with self.fs.open(temporary, "wb") as fh:
                yield fh
            self.fs.mv(temporary, final)
        finally:
            if self.fs.exists(temporary):
                self.fs.rm(temporary)


def write_shard(part: GraphPart, sink: Sink) -> ShardInfo:
    """Write one partition's shard into ``sink``, streamed through gzip; what was written."""
    lines = shard_lines(part)
    name = shard_name(part.index)
    with sink.replacing(name) as fh:
        digesting = _Digesting(fh)
        count = _write_gzip(lines, digesting)  # type: ignore[arg-type]  # a raw binary file
    return ShardInfo(part.index, name, count, digesting.size, digesting.sha256.hexdigest(), part.counts,
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
        "format": SHARD_FORMAT,
        "corpus": corpus,
        "base_iri": base_iri,
        "partitions": len(ordered),
        "triples": sum(s.triples for s in ordered),
        "shards": [{"name": s.name, "triples": s.triples, "bytes": s.bytes, "sha256": s.sha256}
                   for s in ordered],
        "report": REPORT_NAME,
    }


#: A manifest larger than this is no manifest of kg's (a million shards' entries take about 150 MB).
MAX_MANIFEST_BYTES = 256 << 20


def read_manifest(folder: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The manifest of the shards in ``folder``, as :func:`manifest` writes it; ``None`` where the folder
    holds no ``manifest.json``, or one of another's (no ``format`` of :data:`SHARD_FORMAT`).

    Raises
    ------
    LoadError
        If the manifest cannot be read, is larger than :data:`MAX_MANIFEST_BYTES` or is no JSON.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / MANIFEST_NAME).write_bytes(manifest_bytes([], base_iri="https://x.org/", corpus="c"))
    >>> read_manifest(folder)["triples"], read_manifest(folder.parent) is None
    (0, True)
    """
    from kg.errors import LoadError

    path = Path(folder) / MANIFEST_NAME
    if not path.is_file():
        return None
    try:
        with open(path, "rb") as fh:
            text = fh.read(MAX_MANIFEST_BYTES + 1)
        if len(text) > MAX_MANIFEST_BYTES:
            raise LoadError(f"{path} is larger than {MAX_MANIFEST_BYTES >> 20} MB: no manifest of kg's")
        data = json.loads(text or b"null")
    except (OSError, ValueError, RecursionError) as err:  # (a list nested a million deep: RecursionError)
        said = type(err).__name__ if isinstance(err, RecursionError) else err
        raise LoadError(f"cannot read {path}: {said}") from err
    return data if isinstance(data, dict) and data.get("format") == SHARD_FORMAT else None


def manifest_bytes(shards: Sequence[ShardInfo], *, base_iri: str, corpus: str) -> bytes:
    """:func:`manifest` as UTF-8 JSON with a newline at the end."""
    return (json.dumps(manifest(shards, base_iri=base_iri, corpus=corpus), indent=2) + "\n").encode()
