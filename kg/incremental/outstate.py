"""What the cache keeps of each Turtle or N-Triples file it indexed: where it is, what it looked like.

A rebuild patches a file only if it is still the one indexed (same path,
size, mtime, inode and ctime), for the same state of the cache, ``--base`` and
code that writes the bytes (:func:`output_fingerprint`).  The ctime is what
catches a file edited in place with its size and mtime put back (``touch -r``,
``cp -p`` over it): no one but the kernel sets it.  A file indexed while
staged gets it once published (:func:`settle_states`), as renaming it changes it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TypeAlias

import pyoxigraph as ox

from kg.incremental.datacodec import CodecError, dumps, loads
from kg.incremental.fingerprint import code_fingerprint

__all__ = ["OutputState", "Tally", "load_state", "output_fingerprint", "save_state", "settle_states"]

#: What one subject adds to each count of its kind (:func:`kg.report.subject_tallies`).
Tally: TypeAlias = tuple[int, ...]


@lru_cache(maxsize=1)
def output_fingerprint() -> str:
    """A hash of the code that turns a graph into bytes: a new one invalidates kept files.

    Examples
    --------
    >>> len(output_fingerprint())
    64
    """
    return hashlib.sha256(f"pyoxigraph {ox.__version__} {code_fingerprint()}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class OutputState:
    """What the cache knows of one written file: where it is and what it looked like."""

    format: str
    path: str
    size: int
    mtime_ns: int
    inode: int
    header: bytes
    base_iri: str
    version: int
    fingerprint: str
    totals: dict[str, Tally]  # kind -> summed tallies of its subjects
    ctime_ns: int | None = None  # None while the file is staged: it matches nothing until settled

    @classmethod
    def of(cls, fmt: str, path: str, header: bytes, base_iri: str, version: int,
           totals: dict[str, Tally], written: str | None = None) -> OutputState:
        """The state of the file at ``path``, as ``written`` (a staged copy to be renamed there) is now."""
        st = os.stat(written or path)
        staged = written is not None and os.path.abspath(written) != os.path.abspath(path)
        return cls(fmt, os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ino, header,
                   base_iri, version, output_fingerprint(), totals, None if staged else st.st_ctime_ns)

    @property
    def header_size(self) -> int:
        """Bytes of the header in the file: none in an empty one (the header is kept for when it fills)."""
        return len(self.header) if self.size else 0

    def matches(self, path: str, base_iri: str, version: int) -> bool:
        """Whether the file at ``path`` is still the one indexed, for the same graph state."""
        try:
            st = os.stat(path)
        except OSError:
            return False
        return (self.path == os.path.abspath(path) and (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
                == (self.size, self.mtime_ns, self.inode, self.ctime_ns) and self.base_iri == base_iri
                and self.version == version and self.fingerprint == output_fingerprint())


def load_state(db: sqlite3.Connection, fmt: str) -> OutputState | None:
    """The kept state of format ``fmt``, or ``None``."""
    row = db.execute("SELECT state FROM outputs WHERE format = ?", (fmt,)).fetchone()
    return _decode_state(row[0]) if row else None


def save_state(db: sqlite3.Connection, state: OutputState) -> None:
    """Keep ``state`` for its format (replacing what was kept)."""
    data = {"format": state.format, "path": state.path, "size": state.size, "mtime_ns": state.mtime_ns,
            "inode": state.inode, "header": state.header.hex(), "base_iri": state.base_iri,
            "version": state.version, "fingerprint": state.fingerprint,
            "totals": {kind: list(t) for kind, t in state.totals.items()}, "ctime_ns": state.ctime_ns}
    db.execute("INSERT OR REPLACE INTO outputs VALUES (?, ?)", (state.format, dumps(data)))


def settle_states(db: sqlite3.Connection, paths: Iterable[str | os.PathLike[str]]) -> None:
    """Give the states of the files at ``paths``, just published, the ctime they have there.

    Only a state indexed while its file was staged is settled, and only if the
    file now at its path is that one (size, mtime, inode): a state noted for an
    earlier build stays as it is, so that a file edited since stays caught.
    """
    for row in db.execute("SELECT state FROM outputs").fetchall():
        try:
            state = _decode_state(row[0])
        except CodecError:  # (the next build finds it too, and builds in full)
            continue
        if state.ctime_ns is not None or state.path not in {os.path.abspath(p) for p in paths}:
            continue
        try:
            st = os.stat(state.path)
        except OSError:
            continue
        if (st.st_size, st.st_mtime_ns, st.st_ino) == (state.size, state.mtime_ns, state.inode):
            save_state(db, replace(state, ctime_ns=st.st_ctime_ns))


def _decode_state(blob: bytes) -> OutputState:
    """The kept state, checked field by field (:class:`~kg.incremental.datacodec.CodecError` if it is not one)."""
    x = loads(blob)
    try:
        ints = [x[k] for k in ("size", "mtime_ns", "inode", "version")]
        texts = [x[k] for k in ("format", "path", "base_iri", "fingerprint", "header")]
        totals = {k: tuple(v) for k, v in x["totals"].items()}
        header = bytes.fromhex(x["header"])
        ctime = x["ctime_ns"]
    except (TypeError, KeyError, AttributeError, ValueError):
        raise CodecError("not an output state") from None
    if any(type(n) is not int for n in ints) or any(type(t) is not str for t in texts) \
            or any(type(k) is not str or any(type(n) is not int for n in v) for k, v in totals.items()) \
            or (ctime is not None and type(ctime) is not int):
        raise CodecError("not an output state")
    return OutputState(x["format"], x["path"], x["size"], x["mtime_ns"], x["inode"], header,
                       x["base_iri"], x["version"], x["fingerprint"], totals, ctime)
