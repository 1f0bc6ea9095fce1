"""Graph files opened for the RDF parsers: a gzipped one stops past a bounded expansion.

Both :func:`kg.load` and the in-memory stores (:mod:`kg.query.store`, the
shards of :mod:`kg.query.shardset`) read files through :func:`open_input`, so
that a "zip bomb" is refused alike wherever it is given.

Examples
--------
>>> import gzip, pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.nt.gz"
>>> _ = path.write_bytes(gzip.compress(b"<urn:a> <urn:b> <urn:c> .\\n"))
>>> with open_input(path, compressed=True) as stream:
...     stream.as_io().read()
b'<urn:a> <urn:b> <urn:c> .\\n'
"""

from __future__ import annotations

import gzip
import io
import os
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from kg.errors import InputTooLargeError

if TYPE_CHECKING:  # pragma: no cover
    from _typeshed import WriteableBuffer

__all__ = ["MAX_EXPANSION", "DECOMPRESS_SLACK", "CountedStream", "open_input"]

#: A gzipped input may expand to at most this many times its own size, plus
#: :data:`DECOMPRESS_SLACK` bytes: kg's Turtle compresses about 10:1, while a
#: "zip bomb" of comments or blank lines compresses 1000:1.
MAX_EXPANSION = 100
DECOMPRESS_SLACK = 64 << 20


class CountedStream(io.RawIOBase):
    """A read-only stream that counts what it hands over and stops past ``limit`` bytes."""

    def __init__(self, inner: io.BufferedIOBase, limit: int | None) -> None:
        super().__init__()
        self.inner, self.limit, self.count = inner, limit, 0

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        try:
            self.inner.close()  # (a raw stream's own close leaves the file it wraps open)
        finally:
            super().close()

    def as_io(self) -> IO[bytes]:
        """This stream as the parsers' type: a raw stream has the read() they call."""
        return cast(IO[bytes], self)

    def readinto(self, buffer: WriteableBuffer) -> int:
        n = self.inner.readinto(buffer)
        self.count += n
        if self.limit is not None and self.count > self.limit:
            raise InputTooLargeError(self.limit)
        return n


def open_input(path: Path, compressed: bool) -> CountedStream:
    """``path`` opened for the RDF parsers; gzipped, it raises :class:`InputTooLargeError` past its limit."""
    if not compressed:
        return CountedStream(open(path, "rb"), None)
    limit = MAX_EXPANSION * os.stat(path).st_size + DECOMPRESS_SLACK
    return CountedStream(gzip.GzipFile(path, "rb"), limit)
