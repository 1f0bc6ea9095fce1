"""A data snapshot of a graph: its records as JSON columns, loaded in a blink.

Reading Turtle back (:func:`kg.load` on ``graph.ttl``) parses every triple
and rebuilds records from them; building from pages parses markdown.  A
snapshot stores the records themselves, table by table, one JSON array per
column (each on a line of its own: :mod:`kg.export.jsoncolumns`), names
stored once and referred to by their position.  ``kg build``
writes it beside the graph as ``graph.kg.json`` (the ``snapshot`` format) and
``kg.load("out/graph.kg.json")`` reads it back into an equal
:class:`~kg.model.KnowledgeGraph`, build report and diagnostics included.
Nothing is executed on reading (plain JSON, never pickle); a file of another
format or version raises :class:`~kg.errors.LoadError`.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import stat
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any, TypeVar

from kg import compactjson
from kg.collector import paused_gc
from kg.diagnostics import Diagnostic, Level
from kg.errors import InvalidBaseIriError, LoadError
from kg.export.jsoncolumns import SLICE, ColumnsEntry, by_columns, chunks_of, json_pieces, made_of_columns
from kg.iri import check_base_iri
from kg.model import Article, Day, Event, KnowledgeGraph, RelatedLink, SharedContext
from kg.parse.records import PageKey
from kg.parse.text import UNCLEAN_UTF8
from kg.publish import replacing
from kg.report import BuildReport

__all__ = ["FORMAT", "VERSION", "SUFFIXES", "is_snapshot", "snapshot_base_iri", "write_snapshot", "read_snapshot"]

#: as for RDF in kg.query.loader: a gzipped snapshot may expand to this many times its size (+ 64 MiB)
MAX_EXPANSION = 100
DECOMPRESS_SLACK = 64 << 20

FORMAT = "kg-snapshot"
VERSION = 1
#: file names that :func:`kg.load` reads as a snapshot
SUFFIXES = (".kg.json", ".kg.json.gz")

R = TypeVar("R")

_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def is_snapshot(path: str | os.PathLike[str]) -> bool:
    """Whether a file name is a snapshot's.

    Examples
    --------
    >>> is_snapshot("out/graph.kg.json"), is_snapshot("out/graph.ttl")
    (True, False)
    """
    return os.fspath(path).lower().endswith(SUFFIXES)


#: How a snapshot begins (its first fields, as written below), up to the value of its base IRI.
_BASE_IRI_AT = re.compile(rb'\A\s*\{\s*"format"\s*:\s*"' + re.escape(FORMAT.encode()) +
                          rb'"\s*,\s*"version"\s*:\s*\d+\s*,\s*"base_iri"\s*:\s*')


def snapshot_base_iri(head: bytes) -> str | None:
    """The base IRI that a snapshot's first bytes (uncompressed) record; ``None`` if they are not a snapshot's.

    >>> snapshot_base_iri(b'{"format":"kg-snapshot","version":1,"base_iri":"https://x.org/","report":')
    'https://x.org/'
    >>> snapshot_base_iri(b"@prefix day: <https://x.org/day/> .") is None
    True
    """
    start = _BASE_IRI_AT.match(head)
    if start is None:
        return None
    try:
        base, _ = json.JSONDecoder().raw_decode(head[start.end():].decode("utf-8", "replace"))
    except json.JSONDecodeError:
        return None
    return base if isinstance(base, str) else None


class _TooLarge(Exception):
    pass


def _gunzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip members, refusing to produce more than ``limit`` bytes."""
    out = bytearray()
    while data:
        inflater = zlib.decompressobj(wbits=31)
        out += inflater.decompress(data, limit - len(out) + 1)
        if len(out) > limit or inflater.unconsumed_tail:
            raise _TooLarge(limit)
        if not inflater.eof:
            raise EOFError("the gzip stream ends early")
        data = inflater.unused_data
    return bytes(out)


def _positions(names: Sequence[str]) -> dict[str, int]:
    return {name: n for n, name in enumerate(names)}


def _sections(graph: KnowledgeGraph) -> Iterator[tuple[str, Any]]:
    """The snapshot's top-level entries in the file's order, each made as it is written."""
    publishers, images, contexts = (_positions(graph.publishers), _positions(graph.images),
                                    _positions(graph.contexts))
    keys = list(graph.event_records)
    place = {key: n for n, key in enumerate(keys)}
    by_id = {id(key): n for n, key in enumerate(keys)}
    urls = _positions(list(graph.articles))
    articles = list(graph.articles.values())
    events = list(graph.event_records.values())
    days = list(graph.days.values())
    report = graph.report

    def places(part: Iterable[PageKey]) -> list[int]:
        return _places(list(part), place, by_id)

    def names(numbers: dict[str, int], part: Iterable[Iterable[str]]) -> list[list[int]]:
        return [list(map(numbers.__getitem__, these)) for these in part]

    yield "format", FORMAT
    yield "version", VERSION
    yield "base_iri", graph.base_iri
    yield "report", {"corpus": report.corpus, "pages_read": report.pages_read,
                     "counts": dict(report.counts),
                     "diagnostics": {"path": [d.path for d in report.diagnostics],
                                     "line": [d.line for d in report.diagnostics],
                                     "code": [d.code for d in report.diagnostics],
                                     "message": [d.message for d in report.diagnostics],
                                     "level": [d.level.value for d in report.diagnostics]}}
    yield "publishers", graph.publishers
    yield "images", graph.images
    yield "contexts", graph.contexts
    labels = graph.organization_labels
    yield "organization_labels", None if labels is None else {"key": list(labels), "label": list(labels.values())}
    yield "articles", ColumnsEntry((("url", graph.articles),
                                    ("publishers", _sliced(articles, lambda p: names(publishers,
                                                                                     (a.publishers for a in p))))))
    yield "events", ColumnsEntry((("date", _sliced(keys, lambda p: [k.date.isoformat() for k in p])),
                                  ("slug", _sliced(keys, lambda p: [k.slug for k in p])),
                                  ("headline", _sliced(events, lambda p: [e.headline for e in p])),
                                  ("in_corpus", _sliced(events, lambda p: [e.in_corpus for e in p])),
                                  ("page", _sliced(events, lambda p: [e.page for e in p])),
                                  ("sources", _sliced(events, lambda p: names(urls, (e.sources for e in p)))),
                                  ("images", _sliced(events, lambda p: names(images, (e.images for e in p))))))
    pairs = list(graph.event_contexts.items())
    yield "event_contexts", ColumnsEntry((("event", _sliced(pairs, lambda p: places(k for k, _ in p))),
                                          ("contexts", _sliced(pairs, lambda p: names(contexts, (c for _, c in p))))))
    yield "days", ColumnsEntry((("date", (d.date.isoformat() for d in days)), ("label", (d.label for d in days)),
                                ("page", (d.page for d in days)),
                                ("listed", (places(d.listed) for d in days))))
    related = graph.related
    yield "related", ColumnsEntry((("source", _sliced(related, lambda p: places(r.source for r in p))),
                                   ("target", _sliced(related, lambda p: places(r.target for r in p))),
                                   ("rank", _sliced(related, lambda p: [r.rank for r in p])),
                                   ("contexts", _sliced(related, lambda p: names(contexts, (r.contexts for r in p))))))
    shared = graph.shared
    yield "shared", ColumnsEntry((("first", _sliced(shared, lambda p: places(s.first for s in p))),
                                  ("second", _sliced(shared, lambda p: places(s.second for s in p))),
                                  ("contexts", _sliced(shared, lambda p: names(contexts, (s.contexts for s in p))))))


def _sliced(rows: Sequence[R], make: Callable[[Sequence[R]], list[Any]]) -> Iterator[Any]:
    """A column's values made :data:`~kg.export.jsoncolumns.SLICE` rows at a time by ``make``.

    A list comprehension over a slice, rather than a generator resumed for
    every value, roughly halves the time of a 675,000-row column; a slice's
    values are all that is held.
    """
    return chain.from_iterable(make(rows[at:at + SLICE]) for at in range(0, len(rows), SLICE))


def _places(keys: list[PageKey], place: dict[PageKey, int], by_id: dict[int, int]) -> list[int]:
    """``place[key]`` of each key, found by the key object's identity where it is one of the graph's own.

    The records share the graph's key objects (the reduce and the reader make
    one per event), and a key's hash is Python code: 3.4 million hashes took
    half of writing a 150,000-event snapshot.  ``by_id`` maps the ids of the
    graph's keys, which are alive, so no other object can have one of them.
    """
    numbers = list(map(by_id.get, map(id, keys)))
    if None in numbers:  # a key equal to one of the graph's, not the same object: found by its value
        return [place[key] if number is None else number for key, number in zip(keys, numbers, strict=True)]
    return numbers  # type: ignore[return-value]  # (no None left)


def write_snapshot(graph: KnowledgeGraph, path: str | os.PathLike[str], *, gzip_level: int | None = None) -> None:
    """Write ``graph``'s records as a snapshot (``.kg.json``; ``.kg.json.gz`` compresses).

    Each table's column is on a line of its own and made a slice at a time
    (:func:`kg.export.jsoncolumns.json_pieces`): only a slice of one column
    is held at a time, and :func:`read_snapshot` parses one column at a time.
    """
    check_base_iri(graph.base_iri)  # (read_snapshot refuses a base that is no IRI: so must the writer)
    target = Path(path)
    # Written beside the target and renamed: a failed write leaves the previous snapshot whole.
    with paused_gc(), replacing(target) as tmp:  # paused: millions of acyclic lists, nothing to collect
        if target.name.lower().endswith(".gz"):
            data = b"".join(json_pieces(_sections(graph)))
            Path(tmp).write_bytes(gzip.compress(data, compresslevel=gzip_level or 6, mtime=0))
            return
        with open(tmp, "wb") as out:
            for piece in json_pieces(_sections(graph)):
                out.write(piece)


def _column(table: Any, name: str, make: Callable[[list[Any]], list[Any]], rows: int | None = None) -> list[Any]:
    """A column of a table made into values, checked to be ``rows`` long (``map`` stops at the shortest)."""
    values = make(table[name])
    if rows is not None and len(values) != rows:
        raise LoadError(f"column {name} has {len(values)} rows, not {rows}: columns differ in length")
    return values


def _texts(values: Any, optional: bool = False, *, clean: bool = False, unique: bool = False) -> Any:
    """``values`` checked to be strings (or ``None``, if ``optional``) that UTF-8 can write.

    What the graph's records hold is not checked where they are made: a
    ``null`` for a name, or a lone surrogate (``"\\ud800"``, valid JSON),
    would otherwise fail only later, in an exporter, as a bug would.  A
    ``clean`` text holds no character that kg's reading takes out of names and
    headlines (a NUL or an escape would reach a CSV or a terminal, and make
    GraphML ill-formed); ``unique`` ones are a table's keys, each once.
    """
    if type(values) is not list:  # (a string is iterable too: "x" read as the one name "x")
        raise LoadError(f"a list of texts expected, found {type(values).__name__}")
    kinds = set(map(type, values))
    if not kinds <= ({str, type(None)} if optional else {str}):
        raise LoadError(f"text expected, found {sorted(k.__name__ for k in kinds - {str, type(None)})}")
    written = "".join(filter(None, values)).encode("utf-8")  # UnicodeEncodeError (a ValueError): a lone surrogate
    # (searched in what is left without printable ASCII, most of a text: the rest is whole UTF-8 characters)
    found = UNCLEAN_UTF8.search(written.translate(None, _PRINTABLE_ASCII)) if clean else None
    if found is not None:
        raise LoadError(f"a name, headline, URL or label holds the character {found.group().decode()!r}, which kg "
                        "never writes in one")
    if unique and len(set(values)) != len(values):
        raise LoadError(f"listed twice: {next(v for v, n in Counter(values).items() if n > 1)!r}")
    return values


def _numbers(values: Any) -> Any:
    """``values`` checked to be whole numbers (``bool`` is not one here)."""
    if type(values) is not list:
        raise LoadError(f"a list of whole numbers expected, found {type(values).__name__}")
    kinds = set(map(type, values))
    if not kinds <= {int}:
        raise LoadError(f"whole numbers expected, found {sorted(k.__name__ for k in kinds - {int})}")
    return values


def _rows(values: Any, size: int, what: str) -> Any:
    """``values`` checked to be row numbers of a table of ``size`` rows (a negative one would count
    from its end, and ``true`` be row 1, as Python indexes)."""
    _numbers(values)
    if values and not (min(values) >= 0 and max(values) < size):
        raise LoadError(f"{what} names row {min(values) if min(values) < 0 else max(values)} of {size}")
    return values


def _row_lists(lists: Any, size: int, what: str) -> Any:
    """``lists`` checked to be lists of row numbers of a table of ``size`` rows."""
    if type(lists) is not list or not set(map(type, lists)) <= {list}:
        raise LoadError(f"{what}: lists of row numbers expected")
    _rows(list(chain.from_iterable(lists)), size, what)
    return lists


def _graph(data: dict[str, Any]) -> KnowledgeGraph:
    """The graph of a parsed snapshot, each table taken out of ``data`` and dropped once used.

    The parsed columns would otherwise stand beside the whole graph made of them
    (at 150,000 events the reading's peak was about twice the graph).
    """
    publishers, images, contexts = (_texts(data.pop(name), clean=True, unique=True)
                                    for name in ("publishers", "images", "contexts"))
    a = data.pop("articles")
    urls = _texts(a["url"], clean=True, unique=True)
    articles = {url: Article(url, tuple(map(publishers.__getitem__, ps)))
                for url, ps in zip(urls, _row_lists(a.pop("publishers"), len(publishers), "an article's publishers"),
                                   strict=True)}
    del a
    e = data.pop("events")
    dates: dict[str, dt.date] = {}
    keys = [PageKey(dates.get(d) or dates.setdefault(d, dt.date.fromisoformat(d)), slug)
            for d, slug in zip(e.pop("date"), _texts(e.pop("slug")), strict=True)]  # (a file's name: IRIs escape it)
    if len(set(keys)) != len(keys):
        raise LoadError("an event listed twice")
    records = {key: Event(key, headline, bool(inside), page, tuple(map(urls.__getitem__, src)),
                          tuple(map(images.__getitem__, img)))
               for key, headline, inside, page, src, img
               in zip(keys, _texts(e["headline"], clean=True), e["in_corpus"], _texts(e["page"], optional=True),
                      _row_lists(e["sources"], len(urls), "an event's sources"),
                      _row_lists(e["images"], len(images), "an event's images"), strict=True)}
    del e, urls
    ec = data.pop("event_contexts")
    about = _rows(ec["event"], len(keys), "an event's contexts")  # (a column is read once)
    if len(set(about)) != len(about):  # (a dict would keep one of them)
        raise LoadError("an event's contexts listed twice")
    event_contexts = {keys[n]: tuple(map(contexts.__getitem__, cs))
                      for n, cs in zip(about,
                                       _row_lists(ec["contexts"], len(contexts), "an event's contexts"), strict=True)}
    del ec
    d = data.pop("days")
    days = {}
    for date, label, page, listed in zip(_texts(d["date"], unique=True), _texts(d["label"], optional=True, clean=True),
                                         _texts(d["page"], optional=True),
                                         _row_lists(d["listed"], len(keys), "a day's events"), strict=True):
        day = dt.date.fromisoformat(date)
        days[day] = Day(day, label, page, tuple(map(keys.__getitem__, listed)))
    del d
    # The two largest tables (millions of rows): mapped column by column, no frame per row,
    # each column parsed (see read_snapshot) and dropped in turn.
    key_at, context_at = keys.__getitem__, contexts.__getitem__
    events, named = len(keys), len(contexts)
    table = data.pop("related")
    linked = _column(table, "contexts", lambda cs: [tuple(map(context_at, c))
                                                   for c in _row_lists(cs, named, "a Related line's contexts")])
    ranks = _column(table, "rank", _numbers, len(linked))
    targets = _column(table, "target", lambda ns: list(map(key_at, _rows(ns, events, "a Related line"))), len(linked))
    sources = _column(table, "source", lambda ns: list(map(key_at, _rows(ns, events, "a Related line"))), len(linked))
    related = tuple(map(RelatedLink, sources, targets, ranks, linked))
    del linked, ranks, targets, sources
    table = data.pop("shared")
    shared_by = _column(table, "contexts", lambda cs: [tuple(map(context_at, c))
                                                       for c in _row_lists(cs, named, "a shared context")])
    seconds = _column(table, "second", lambda ns: list(map(key_at, _rows(ns, events, "a shared context"))),
                      len(shared_by))
    firsts = _column(table, "first", lambda ns: list(map(key_at, _rows(ns, events, "a shared context"))),
                     len(shared_by))
    shared = tuple(map(SharedContext, firsts, seconds, shared_by))
    del shared_by, seconds, firsts, table
    rep = data["report"]
    diags = rep["diagnostics"]
    counts = dict(rep["counts"])
    _texts([rep["corpus"], *counts, data["base_iri"]])
    _numbers([rep["pages_read"], *counts.values()])
    report = BuildReport(rep["corpus"], rep["pages_read"], tuple(
        Diagnostic(path, line, code, message, Level(level)) for path, line, code, message, level
        in zip(_texts(diags["path"]), _numbers(diags["line"]), _texts(diags["code"]), _texts(diags["message"]),
               diags["level"], strict=True)), counts)
    check_base_iri(data["base_iri"])
    return KnowledgeGraph(event_records=records, days=days, articles=articles,
                          publishers=tuple(publishers), images=tuple(images), contexts=tuple(contexts),
                          event_contexts=event_contexts, related=related, shared=shared,
                          report=report, base_iri=data["base_iri"],
                          organization_labels=_labels(data.get("organization_labels")))


def _labels(entry: Any) -> dict[str, str] | None:
    """The organizations' labels by key (``None`` where the graph chose none, or an earlier kg wrote none)."""
    if entry is None:
        return None
    keys, labels = _texts(entry["key"], clean=True, unique=True), _texts(entry["label"], clean=True)
    if len(keys) != len(labels):
        raise LoadError(f"{len(keys)} organization keys but {len(labels)} labels")
    return dict(zip(keys, labels, strict=True))


def read_snapshot(path: str | os.PathLike[str]) -> KnowledgeGraph:
    """Read a snapshot written by :func:`write_snapshot` (what ``kg.load`` does for ``.kg.json``).

    A column on a line of its own (as :func:`write_snapshot` writes them) is
    parsed when the graph is made of it and dropped once used, so the parsed
    file never stands whole beside the graph; any other layout of the same
    JSON is read whole.

    Raises
    ------
    LoadError
        For a file that cannot be read, is not JSON, or is not a snapshot of
        this version.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> g = kg.build("examples/wcep-2015-09")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.kg.json"
    >>> kg.write(g, out)
    >>> back = kg.load(out)
    >>> (back.event_records, back.related, back.report) == (g.event_records, g.related, g.report)
    True
    """
    source = Path(path)
    try:
        # Opened without blocking, then checked: a FIFO put in its place would block the read for good.
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb", closefd=True) as fh:
            before = os.fstat(fd)
            if not stat.S_ISREG(before.st_mode):
                raise LoadError(f"{source}: not a regular file")
            if fh.read(2) == b"\x1f\x8b":
                fh.seek(0)
                raw = _gunzip(fh.read(), MAX_EXPANSION * before.st_size + DECOMPRESS_SLACK)
                return _read(source, lambda: iter((raw,)), lambda at, size: raw[at:at + size])
            graph = _read(source, partial(chunks_of, fd), lambda at, size: os.pread(fd, size, at))
            after = os.fstat(fd)
            if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
                # Its columns are read as the graph is made: they may be of two versions of the file.
                raise LoadError(f"{source}: changed while it was read; read it again")
            return graph
    except _TooLarge as err:
        raise LoadError(f"{source}: expands past {MAX_EXPANSION} times its size; not read further") from err
    except (OSError, EOFError, zlib.error) as err:
        raise LoadError(f"{source}: cannot read the snapshot: {err}") from err
    except (MemoryError, RecursionError) as err:
        raise LoadError(f"{source}: too large to read: {type(err).__name__}") from err


def _read(source: Path, chunks: Callable[[], Iterator[bytes]], read: Callable[[int, int], bytes]) -> KnowledgeGraph:
    """The graph of the file whose bytes ``chunks`` gives in order and ``read`` gives by offset."""
    try:
        with paused_gc():  # as above, and the lists are half of the reading time
            data = by_columns(chunks, read)
        if data is not None and (graph := made_of_columns(lambda d: _graph_of(source, d), data)) is not None:
            return graph
        with paused_gc():
            data = compactjson.loads(b"".join(chunks()))  # another layout: parsed whole
    except LoadError:  # (what _graph_of found: said as it is, not as JSON that does not parse)
        raise
    except (UnicodeDecodeError, ValueError) as err:
        raise LoadError(f"{source}: not a kg snapshot (not JSON: {err})") from err
    return _graph_of(source, data)


def _graph_of(source: Path, data: Any) -> KnowledgeGraph:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise LoadError(f"{source}: not a kg snapshot")
    if data.get("version") != VERSION:
        raise LoadError(f"{source}: snapshot version {data.get('version')!r}; this kg reads {VERSION}")
    try:
        with paused_gc():
            return _graph(data)  # (which empties data as it goes)
    except InvalidBaseIriError as err:  # (kg before 2026-12 let some through where it wrote no Turtle)
        raise LoadError(f"{source}: the graph's {err} (a damaged snapshot, or one an earlier kg wrote: "
                        "build it again with another --base)") from err
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, OverflowError, LoadError) as err:
        raise LoadError(f"{source}: a damaged snapshot: {_damage(err)}") from err


def _damage(err: Exception) -> str:
    """What a damaged snapshot's error says is wrong with it, in words."""
    if isinstance(err, KeyError):
        return f"no {err.args[0]!r} in it" if err.args else "a part of it is missing"
    if isinstance(err, IndexError):
        return "a row refers to one that is not there"
    if isinstance(err, LoadError):
        return str(err)
    if isinstance(err, ValueError) and str(err).startswith("zip()"):  # zip(strict=True) of a table's columns
        return "columns differ in length"
    return f"a value of the wrong kind ({type(err).__name__}: {err})"


