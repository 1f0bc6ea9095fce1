"""Turtle and N-Triples files kept as runs of subjects, so a rebuild rewrites only what changed.

A written file is the prefix header and then one block of bytes per subject,
in :data:`kg.export.triples.EMITTERS` order and, within a node kind, in the order of
:func:`kg.export.order.subject_keys`.  The cache remembers the file as *segments*:
runs of up to a few dozen subjects of one kind, each with its subjects' sort
keys, byte lengths and count tallies (:func:`kg.report.subject_tallies`).

:func:`splice` writes a new file from the old one: segments that hold no
changed subject are copied over byte for byte (in the kernel, where it can),
the others are cut into subject blocks, the changed subjects taken out and
their new blocks put in at their place.  Since a subject's block depends on
its own triples only, the result is the file a full write would give.
"""

from __future__ import annotations

import bisect
import io
import os
import re
import sqlite3
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, islice
from operator import itemgetter
from typing import TYPE_CHECKING, BinaryIO, TypeAlias

import pyoxigraph as ox

from kg.incremental.datacodec import CodecError, dumps, key_tuple, loads
from kg.incremental.filecopy import RangeCopies, open_spare
from kg.incremental.outstate import OutputState, Tally, save_state

if TYPE_CHECKING:  # pragma: no cover
    from kg.export.order import SortKey
    from kg.model import KnowledgeGraph

__all__ = ["FORMATS", "prime", "prime_segments", "kind_segments", "splice", "subject_blocks", "identity",
           "KindChange", "Entry", "SegmentRow"]

#: A subject as a rebuild handles it: ``(sort key, block of bytes, tally)``.
Entry: TypeAlias = "tuple[SortKey, bytes, Tally]"
#: A ``segments`` row to insert: format, kind, first key, length, tally, body (all but the id).
SegmentRow: TypeAlias = tuple[str, str, bytes, int, bytes, bytes]

#: Exporter name -> RDF format the index can keep.
FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}

#: Bytes per segment (of whole subject blocks) when a file is indexed; a
#: segment grown to twice this is cut again.  Small enough that a changed
#: subject drags few neighbours along, large enough that the index stays
#: small.  Counted in bytes, not subjects: an event's block is several
#: times a link's, and a rebuild reads and rewrites whole segments.
SEGMENT_BYTES = 16 * 1024

# A Turtle subject block starts on a line that is not a continuation (tab).
_TURTLE_BLOCK = re.compile(rb"\n(?=[^\t])")
_NT_LINE = re.compile(rb"([^ \n]+) [^\n]*\n")


def identity(kind: str, key: SortKey) -> SortKey:
    """What names a subject for removal: its sort key, but only the source of a related link.

    A related link's sort key holds its rank, which an edit may change; all
    links of a changed page are replaced together, so they are found by it.
    """
    return key[:2] if kind == "related" else key


def _split_header(data: bytes, rdf_format: ox.RdfFormat) -> int:
    """Where the prefix header ends."""
    if rdf_format != ox.RdfFormat.TURTLE:
        return 0
    end = 0
    while data.startswith(b"@prefix ", end):
        end = data.index(b"\n", end) + 1
    return end


def _block_ends(data: bytes, start: int, rdf_format: ox.RdfFormat) -> list[int]:
    """End offsets of the subject blocks of ``data[start:]``."""
    if rdf_format == ox.RdfFormat.TURTLE:
        ends = [m.end() for m in _TURTLE_BLOCK.finditer(data, start)]
    else:  # N-Triples has no header; a block is the run of lines with the same subject
        ends = []
        last: bytes | None = None
        for m in _NT_LINE.finditer(data, start):
            if m.group(1) != last:
                if last is not None:
                    ends.append(m.start())
                last = m.group(1)
    if len(data) > start:
        ends.append(len(data))
    return ends


#: Bytes read at a time when indexing a written file (each window is copied once, with the carry).
#: 4 MiB: as fast as 16 MiB, and 36 MB less held at once.
_WINDOW = 4 << 20


def _file_block_ends(fh: BinaryIO, start: int, rdf_format: ox.RdfFormat) -> array[int]:
    """:func:`_block_ends` of a file from ``start`` (where ``fh`` is), read a window at a time.

    Not mapped: a mapped file of a gigabyte would count, page by page, in the
    build's resident memory.  Each window keeps what a block end needs past
    it for the next one (Turtle: the newline whose next byte is unknown;
    N-Triples: the unfinished line).
    """
    ends = array("q")  # 8 bytes an end, not 36: a 150,000-event file has 1.7 million
    carry, base = b"", start  # base: the file offset of carry's first byte
    last: bytes | None = None
    while chunk := fh.read(_WINDOW):
        data = carry + chunk
        if rdf_format == ox.RdfFormat.TURTLE:  # a match needs the byte after it: never the last
            ends.extend(base + m.end() for m in _TURTLE_BLOCK.finditer(data, 0, len(data)))
            keep = len(data) - 1
        else:
            keep = data.rfind(b"\n") + 1
            for m in _NT_LINE.finditer(data, 0, keep):
                if m.group(1) != last:
                    if last is not None:
                        ends.append(base + m.start())
                    last = m.group(1)
        carry, base = data[keep:], base + keep
    if base + len(carry) > start:
        ends.append(base + len(carry))
    return ends


def subject_blocks(graph: KnowledgeGraph, kind: str, rdf_format: ox.RdfFormat,
                   prefixes: dict[str, str] | None) -> list[bytes]:
    """The bytes of each subject of one node kind, in order, as a full write gives them."""
    from kg.export.rdf import serialize_graph

    buf = io.BytesIO()
    serialize_graph(graph, buf, rdf_format, prefixes, (kind,))
    data = buf.getvalue()
    start = _split_header(data, rdf_format)
    blocks: list[bytes] = []
    prev = start
    for end in _block_ends(data, start, rdf_format):
        blocks.append(data[prev:end])
        prev = end
    return blocks


# ---------------------------------------------------------------- indexing

def prime(db: sqlite3.Connection, fmt: str, path: str | os.PathLike[str], graph: KnowledgeGraph,
          version: int, written: str | os.PathLike[str] | None = None) -> None:
    """Index a file just written in full from ``graph`` (replacing what was kept).

    ``written`` is where the file is now, when it is staged to be renamed to ``path``.
    """
    from kg.export.order import iter_subject_keys
    from kg.export.triples import EMITTERS, kind_size
    from kg.report import subject_tallies

    rdf_format = FORMATS[fmt]
    path = os.fspath(path)
    source = os.fspath(written or path)
    db.execute("DELETE FROM segments WHERE format = ?", (fmt,))
    db.execute("DELETE FROM outputs WHERE format = ?", (fmt,))
    with open(source, "rb") as fh:
        head = fh.read(1 << 16)
        header_end = _split_header(head, rdf_format)
        header = _header(head[:header_end], fmt, graph.base_iri)
        fh.seek(header_end)
        ends = _file_block_ends(fh, header_end, rdf_format)
    insert = ("INSERT INTO segments (format, kind, first, length, tally, body) "
              "VALUES (?, ?, ?, ?, ?, ?)")
    totals: dict[str, Tally] = {}
    at, prev = 0, header_end
    for kind in EMITTERS:
        size = kind_size(graph, kind)
        if at + size > len(ends):
            raise AssertionError(f"{path}: fewer subject blocks than {kind} subjects")
        keys, tallies = iter_subject_keys(graph, kind), subject_tallies(graph, kind)
        total: list[Tally] = [()]
        # Row by row into SQLite, each made from the subjects' keys as they come: the rows, or
        # the keys, of a 150,000-event file would be hundreds of MB held.
        db.executemany(insert, _segment_rows(fmt, kind, keys, tallies, ends[at:at + size], prev, total))
        if next(keys, None) is not None:
            raise AssertionError(f"{path}: more {kind} subjects than their count")
        totals[kind] = total[0]
        at += size
        prev = ends[at - 1] if size else prev
    if at != len(ends):
        raise AssertionError(f"{path}: {len(ends)} subject blocks for {at} subjects")
    save_state(db, OutputState.of(fmt, path, header, graph.base_iri, version, totals, source))


def _header(written: bytes, fmt: str, base_iri: str) -> bytes:
    """The prefix header to keep for a file: the one ``written``, or for an empty Turtle file (a graph of no
    subject, which pyoxigraph writes as nothing) the one it writes before a first triple, for when it fills."""
    if written or FORMATS[fmt] != ox.RdfFormat.TURTLE:
        return written
    from kg.export.prefixes import output_prefixes

    one = io.BytesIO()
    ox.serialize([ox.Triple(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"))], one,
                 format=ox.RdfFormat.TURTLE, prefixes=output_prefixes(base_iri))
    return one.getvalue()[:_split_header(one.getvalue(), ox.RdfFormat.TURTLE)]


def kind_segments(fmt: str, kind: str, keys: Iterator[SortKey], tallies: Iterator[Tally],
                  ends: array[int]) -> tuple[Iterator[SegmentRow], list[Tally]]:
    """The index rows of one kind's subjects, from their sort keys, tallies and block ends (from the kind's start).

    For a file written from runs (:mod:`kg.distributed.merging`) rather than from a
    graph: the rows :func:`prime` makes.  The second value holds the kind's
    summed tallies once the rows are consumed.
    """
    total: list[Tally] = [()]
    return _segment_rows(fmt, kind, keys, tallies, ends, 0, total), total


def prime_segments(db: sqlite3.Connection, fmt: str, path: str | os.PathLike[str], rows: Iterable[SegmentRow],
                   totals: dict[str, Tally], *, base_iri: str, version: int,
                   written: str | os.PathLike[str] | None = None) -> None:
    """Index a file written in full from its index rows (:func:`kind_segments`), replacing what was kept."""
    path = os.fspath(path)
    source = os.fspath(written or path)
    with open(source, "rb") as fh:
        head = fh.read(1 << 16)
    header = _header(head[:_split_header(head, FORMATS[fmt])], fmt, base_iri)
    db.execute("DELETE FROM segments WHERE format = ?", (fmt,))
    db.execute("DELETE FROM outputs WHERE format = ?", (fmt,))
    db.executemany("INSERT INTO segments (format, kind, first, length, tally, body) VALUES (?, ?, ?, ?, ?, ?)", rows)
    save_state(db, OutputState.of(fmt, path, header, base_iri, version, totals, source))


def _segment_rows(fmt: str, kind: str, keys: Iterator[SortKey], tallies: Iterator[Tally], ends: array[int],
                  start: int, total: list[Tally]) -> Iterator[SegmentRow]:
    """The rows of one kind's subjects, whose blocks end at ``ends`` in the file (the first starts at ``start``).

    Cut as :func:`_cuts` cuts, from the file's offsets rather than a list of lengths;
    ``total[0]`` becomes the sum of the kind's tallies.
    """
    lo = 0
    while lo < len(ends):
        before = ends[lo - 1] if lo else start
        hi = min(len(ends), bisect.bisect_left(ends, before + SEGMENT_BYTES) + 1)
        lengths = [end - begin for begin, end in zip([before, *ends[lo:hi - 1]], ends[lo:hi], strict=True)]
        run, counted = list(islice(keys, hi - lo)), list(islice(tallies, hi - lo))
        if len(run) != hi - lo:
            raise AssertionError(f"fewer {kind} subjects than their count")
        total[0] = _add(total[0], _sum(counted))
        yield _row(fmt, kind, run, lengths, counted)
        lo = hi


def _sum(tallies: Iterable[Tally]) -> Tally:
    return tuple(map(sum, zip(*tallies, strict=False)))


def _add(a: Tally, b: Tally, sign: int = 1) -> Tally:
    if not a or not b:
        return a or tuple(sign * n for n in b)
    return tuple(x + sign * y for x, y in zip(a, b, strict=False))


def _row(fmt: str, kind: str, keys: list[SortKey], lengths: list[int], tallies: list[Tally]) -> SegmentRow:
    length = sum(lengths)
    # The format, kind and length twice: as columns (the index's, read without the table) and sealed with
    # the first key, so that one changed on disk is found (see _first): a length would shift every later
    # segment, a kind or format put the segment's subjects among another kind's, or in another file.
    return (fmt, kind, dumps([fmt, kind, keys[0], length]), length, dumps(_sum(tallies)),
            dumps([keys, lengths, tallies]))


def _first(blob: bytes, fmt: str, kind: str, length: int) -> SortKey:
    """A segment's first key, from the blob :func:`_row` made, checked against the row's other columns."""
    x = loads(blob)
    if type(x) is not list or len(x) != 4 or x[:2] != [fmt, kind] or type(x[3]) is not int or x[3] != length:
        raise CodecError("a segment whose format, kind or length disagrees with its row in the index")
    return key_tuple(x[2])


# ---------------------------------------------------------------- splicing

@dataclass(slots=True)
class _Segment:
    kind: str
    first: SortKey
    length: int
    id: int
    offset: int = -1  # in the old file


@dataclass(frozen=True, slots=True)
class KindChange:
    """The changed subjects of one node kind.

    ``removed`` are the identities (:func:`identity`) of every subject that
    may have changed, whether it still exists or not; ``added`` the
    ``(key, block, tally)`` of each of those that exists now.
    """

    removed: frozenset[SortKey]
    added: tuple[Entry, ...]


def splice(db: sqlite3.Connection, state: OutputState, changes: dict[str, KindChange],
           version: int, spare: str, dest: str) -> tuple[OutputState, RangeCopies]:
    """Write the file of ``state`` again with ``changes`` at ``dest``, update the index; the new state,
    and the unchanged runs still to copy into ``dest``.

    ``dest`` is the file's place in the build's staging folder
    (:mod:`kg.publish`), renamed over the published file with the others at
    the end.  The new file is written over ``spare`` (the file's previous
    version, kept in the cache folder), moved to ``dest`` first when both are
    on one file system; publication then links the replaced version to
    ``spare``.  So no big file is deleted (freeing a gigabyte costs as much
    as writing it).  The file is written in order, a changed segment at a
    time: what is held is the index and the changed subjects' new blocks,
    not the segments they land in.  The index rows change in the caller's
    transaction.
    """
    from kg.export.triples import EMITTERS

    order = {kind: n for n, kind in enumerate(EMITTERS)}
    segments: dict[str, list[_Segment]] = {kind: [] for kind in EMITTERS}
    for seg_id, kind, first, length in db.execute(
            "SELECT id, kind, first, length FROM segments WHERE format = ?", (state.format,)):
        key = _first(first, state.format, kind, length)  # (a kind of no subject's is found here: no seal names it)
        segments[kind].append(_Segment(kind, key, length, seg_id))
    offset = state.header_size
    for kind in sorted(segments, key=order.__getitem__):
        segments[kind].sort(key=lambda s: s.first)
        for placed in segments[kind]:
            placed.offset = offset
            offset += placed.length
    if offset != state.size:
        raise CodecError(f"{state.path}: the index does not add up to the file")  # damage: build in full

    totals = dict(state.totals)
    gone: list[int] = []  # ids of the replaced segments
    rows: list[SegmentRow] = []
    with open(state.path, "rb") as old, open_spare(spare, dest, state.path) as out:
        out.write(state.header)  # taken back below if no subject is left
        run = _Run(out)
        for kind in EMITTERS:
            change = changes.get(kind)
            if change is None:
                for clean in segments[kind]:
                    run.extend(clean)
                continue
            dirty = _dirty(kind, segments[kind], change)
            dropped: list[Tally] = []  # tallies of the old subjects taken out
            places: list[_Segment | None] = [*segments[kind]] or [None]
            for at, seg in enumerate(places):
                if at not in dirty:
                    if seg is not None:
                        run.extend(seg)
                    continue
                run.flush()
                entries = _entries(db, old, kind, seg, change.removed, dropped) + dirty[at]
                entries.sort(key=itemgetter(0))
                for piece in _pieces(entries):
                    blocks = [e[1] for e in piece]
                    out.write(b"".join(blocks))
                    rows.append(_row(state.format, kind, [e[0] for e in piece], [len(b) for b in blocks],
                                     [e[2] for e in piece]))
                if seg is not None:
                    gone.append(seg.id)
            totals[kind] = _add(totals.get(kind, ()), _add(_sum(e[2] for e in change.added), _sum(dropped), -1))
        run.flush()
        if not rows and not run.copied:
            out.seek(0)  # no subject: an empty file
        out.truncate()
    db.executemany("DELETE FROM segments WHERE id = ?", [(seg_id,) for seg_id in gone])
    db.executemany("INSERT INTO segments (format, kind, first, length, tally, body) "
                   "VALUES (?, ?, ?, ?, ?, ?)", rows)
    # The header is kept even when the file is empty, for when it fills again.
    new_state = OutputState.of(state.format, state.path, state.header, state.base_iri, version, totals, dest)
    save_state(db, new_state)
    return new_state, RangeCopies(state.path, dest, tuple(run.ranges), (state.inode, state.size, state.mtime_ns))


def _dirty(kind: str, segs: list[_Segment], change: KindChange) -> dict[int, list[Entry]]:
    """Position -> new entries of each segment of one kind that ``change`` touches.

    A kind that had no subjects has one position, 0, for what is added.
    """
    firsts = [seg.first for seg in segs]
    idents = [identity(kind, f) for f in firsts]
    dirty: dict[int, list[Entry]] = {}
    for ident in change.removed:
        # The segments from the one before the first that starts at or after it, up to the
        # last that starts at or before it (the firsts are in order, and so their identities).
        for at in range(max(0, bisect.bisect_left(idents, ident) - 1), bisect.bisect_right(idents, ident)):
            dirty.setdefault(at, [])
    for entry in change.added:
        at = max(0, bisect.bisect_right(firsts, entry[0]) - 1)
        dirty.setdefault(at, []).append(entry)
    return dirty


class _Run:
    """Runs of the old file's unchanged segments, each left a place in the new file once it ends, to be copied
    there later (:attr:`ranges`)."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._start = self._end = -1
        self.copied = False  # whether any segment was
        self.ranges: list[tuple[int, int, int]] = []

    def extend(self, seg: _Segment) -> None:
        self.copied = True
        if seg.offset != self._end:
            self.flush()
            self._start = self._end = seg.offset
        self._end += seg.length

    def flush(self) -> None:
        if self._end > self._start:
            at = self._out.tell()
            self.ranges.append((self._start, at, self._end - self._start))
            self._out.seek(at + self._end - self._start)
        self._start = self._end = -1


def _pieces(entries: list[Entry]) -> Iterator[list[Entry]]:
    """Cut a grown run into segments of the usual size; never yield an empty one."""
    lengths = [len(e[1]) for e in entries]
    if sum(lengths) <= 2 * SEGMENT_BYTES:
        if entries:
            yield entries
        return
    for lo, hi in _cuts(lengths):
        yield entries[lo:hi]


def _cuts(lengths: list[int]) -> Iterator[tuple[int, int]]:
    """Positions ``(lo, hi)`` of runs of blocks of about :data:`SEGMENT_BYTES` each.

    >>> list(_cuts([SEGMENT_BYTES, 1, 1, SEGMENT_BYTES - 1, 5]))
    [(0, 1), (1, 4), (4, 5)]
    """
    ends = list(accumulate(lengths))
    lo = 0
    while lo < len(ends):
        before = ends[lo - 1] if lo else 0
        hi = min(len(ends), bisect.bisect_left(ends, before + SEGMENT_BYTES) + 1)
        yield lo, hi
        lo = hi


def _entries(db: sqlite3.Connection, old: BinaryIO, kind: str, seg: _Segment | None,
             removed: frozenset[SortKey], dropped: list[Tally]) -> list[Entry]:
    """The ``(key, block, tally)`` of an old segment's subjects but the ``removed``, whose tallies
    go to ``dropped``."""
    if seg is None:
        return []
    found = db.execute("SELECT body FROM segments WHERE id = ?", (seg.id,)).fetchone()
    if found is None:
        raise AssertionError(f"segment {seg.id} left the index")
    keys, lengths, tallies = _body(found[0])
    if sum(lengths) != seg.length or keys[0] != seg.first:
        raise CodecError("a segment that disagrees with its row in the index")
    old.seek(seg.offset)
    data = old.read(seg.length)
    entries: list[Entry] = []
    at = 0
    for key, length, tally in zip(keys, lengths, tallies, strict=True):  # as long: _body checks
        if identity(kind, key) in removed:
            dropped.append(tally)
        else:
            entries.append((key, data[at:at + length], tally))
        at += length
    return entries


def _body(blob: bytes) -> tuple[list[SortKey], list[int], list[Tally]]:
    """A segment's keys, block lengths and tallies, checked (:class:`~kg.incremental.datacodec.CodecError`)."""
    x = loads(blob)
    if type(x) is not list or len(x) != 3 or not all(type(part) is list for part in x):
        raise CodecError("not a segment")
    keys = [key_tuple(k) for k in x[0]]
    lengths, tallies = x[1], [tuple(t) for t in x[2] if type(t) is list]
    if len(lengths) != len(keys) or len(tallies) != len(keys) \
            or any(type(n) is not int for n in lengths) or any(type(n) is not int for t in tallies for n in t):
        raise CodecError("not a segment")
    return keys, lengths, tallies
