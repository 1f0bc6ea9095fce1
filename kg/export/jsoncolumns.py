"""JSON objects whose tables are columns on lines of their own: written a slice, and read a column, at a time.

A snapshot (:mod:`kg.export.snapshot`) is one JSON object whose large
entries are tables: objects of named columns, each a JSON array.  Here is
that layout, apart from what the columns hold.  Writing, a column's values
are made and dumped a slice at a time (:func:`json_pieces`), each column on
a line of its own: joined, the pieces are the bytes of one compact ``dumps``
of the whole object, but for those line breaks (whitespace to JSON, and a
compact string holds none).  Reading, the lines are found without parsing
the columns (:func:`by_columns`); each column is parsed when it is taken,
and dropped by the reader then, so the parsed file never stands whole
beside what is made of it.

Examples
--------
>>> data = b"".join(json_pieces([("name", "x"), ("t", ColumnsEntry((("a", [1, 2]), ("b", "pq"))))]))
>>> data
b'{"name":"x","t":{"a":\\n[1,2]\\n,"b":\\n["p","q"]\\n}}'
>>> entries = by_columns(lambda: iter((data,)), lambda at, size: data[at:at + size])
>>> entries["name"], entries["t"]["b"], entries["t"]["a"]
('x', ['p', 'q'], [1, 2])
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

from kg import compactjson

__all__ = ["Column", "ColumnsEntry", "SLICE", "json_pieces", "array_pieces", "Columns", "made_of_columns", "by_columns",
           "chunks_of", "SCAN", "MAX_LINES"]

T = TypeVar("T")

#: A column made as it is written: its values, one at a time.
Column = tuple[str, Iterable[Any]]


@dataclass(frozen=True, slots=True)
class ColumnsEntry:
    """An entry of named columns (a JSON object of arrays), written a column, and a slice, at a time."""

    columns: tuple[Column, ...]


#: Values of a column dumped at once: a slice's objects and bytes, not a column's (675,000 Related lines).
SLICE = 20_000


def json_pieces(entries: Iterable[tuple[str, Any]]) -> Iterator[bytes]:
    """The JSON object of ``entries`` a piece at a time: joined, the bytes one ``dumps`` of the whole
    object gives, with each :class:`ColumnsEntry`'s column (an array) on a line of its own.

    Only a slice of one column is held at a time, not every column beside
    the file's bytes (0.13 GB more at 150,000 events when a whole entry was).
    The line breaks (whitespace to JSON: a compact string holds none) let
    :func:`by_columns` parse one column at a time.
    """
    yield b"{"
    for n, (name, value) in enumerate(entries):
        yield (b"," if n else b"") + compactjson.dumps(name) + b":"
        if isinstance(value, ColumnsEntry):
            yield b"{"
            for m, (column, values) in enumerate(value.columns):
                yield (b"," if m else b"") + compactjson.dumps(column) + b":\n"
                yield from array_pieces(values)
                yield b"\n"
            yield b"}"
        else:
            yield compactjson.dumps(value)
    yield b"}"


def array_pieces(values: Iterable[Any]) -> Iterator[bytes]:
    """A JSON array :data:`SLICE` values at a time: joined, the bytes of one ``dumps`` of them all."""
    yield b"["
    rest = iter(values)
    comma = b""
    while part := list(islice(rest, SLICE)):
        yield comma + compactjson.dumps(part)[1:-1]  # (a list's JSON: its values between brackets)
        comma = b","
    yield b"]"


#: Bytes of the file scanned at a time for its column lines.
SCAN = 4 << 20

#: More lines than this is not the layout :func:`json_pieces` writes (a snapshot: 22 columns, two breaks each).
MAX_LINES = 128


def chunks_of(fd: int) -> Iterator[bytes]:
    """The file's bytes from its start, :data:`SCAN` at a time."""
    at = 0
    while chunk := os.pread(fd, SCAN, at):
        yield chunk
        at += len(chunk)


class _NotColumns(Exception):
    """A column line that is not a JSON array: the file is read whole instead."""


def made_of_columns(make: Callable[[dict[str, Any]], T], data: dict[str, Any]) -> T | None:
    """``make(data)`` for ``data`` from :func:`by_columns`; ``None`` when one of its columns is none.

    Then the file is to be read whole, as a file of another layout.
    """
    try:
        return make(data)
    except _NotColumns:
        return None


class Columns:
    """A table of the file whose columns are parsed when taken, each from its own line."""

    __slots__ = ("_spans", "_read")

    def __init__(self, spans: dict[str, tuple[int, int]], read: Callable[[int, int], bytes]) -> None:
        self._spans, self._read = spans, read

    def __getitem__(self, name: str) -> list[Any]:
        at, size = self._spans.pop(name)  # each column is taken once
        try:
            column = compactjson.loads(self._read(at, size))
        except ValueError as err:
            raise _NotColumns(name) from err
        if not isinstance(column, list):
            raise _NotColumns(name)
        return column

    pop = __getitem__


def by_columns(chunks: Callable[[], Iterator[bytes]], read: Callable[[int, int], bytes]) -> dict[str, Any] | None:
    """The file's entries, each table's columns left to parse when taken; ``None`` for another layout.

    ``chunks`` gives the file's bytes in order, ``read`` the ``size`` bytes
    at an offset.  Lines alternate between the structure and a column (a
    compact string holds no line break).  The structure is parsed twice,
    each column replaced by its number and then by its number plus the
    count of columns: a table's values must be those numbers, in order, and
    everything else alike in both, or the file is read whole (so that no
    number written in the file passes for a column, nor a column for
    anything else).
    """
    pieces: list[bytes] = []
    spans: list[tuple[int, int]] = []
    offset = start = 0  # where the chunk, and the line, begin in the file
    in_column = False
    piece = bytearray()
    for chunk in chunks():
        at = 0
        while (end := chunk.find(b"\n", at)) >= 0:
            if in_column:
                spans.append((start, offset + end - start))
            else:
                piece += chunk[at:end]
                pieces.append(bytes(piece))
                piece.clear()
            in_column, start, at = not in_column, offset + end + 1, end + 1
            if len(spans) + len(pieces) > MAX_LINES:
                return None
        if not in_column:
            piece += chunk[at:]
        offset += len(chunk)
    if in_column or not spans:
        return None
    pieces.append(bytes(piece))
    count = len(spans)
    try:
        data, again = (compactjson.loads(b"".join(p + b"%d" % (n + shift) if n < count else p
                                                  for n, p in enumerate(pieces)))
                       for shift in (0, count))
    except ValueError:
        return None
    if not (isinstance(data, dict) and isinstance(again, dict) and data.keys() == again.keys()):
        return None
    tables = {name: value for name, value in data.items()
              if isinstance(value, dict) and value and all(type(n) is int for n in value.values())}
    if [n for table in tables.values() for n in table.values()] != list(range(count)):
        return None
    for name, value in again.items():
        if name in tables:
            if list(value.values()) != [n + count for n in tables[name].values()]:
                return None
        elif value != data[name]:
            return None
    for name, table in tables.items():
        data[name] = Columns({column: spans[n] for column, n in table.items()}, read)
    return data
