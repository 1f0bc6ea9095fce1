"""Executors of the map step: the same page task in this process or on all cores.

The page task reads one file, parses it and maps it to its keyed facts
(:func:`map_file`).  An executor runs it over chunks of page files and
yields one :data:`MapRow` per page, in input order; the reduce
(:func:`kg.facts.reduce_graph`) then does not depend on which executor ran.
:data:`EXECUTORS` names them; :func:`run_map` picks one from the number of
jobs.  A distributed engine runs the same task and the same reduce.
"""

from __future__ import annotations

import copyreg
import dataclasses
import io
import multiprocessing
import operator
import os
import pickle
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import islice
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any, Protocol

from kg.diagnostics import Diagnostic, diagnostic
from kg.facts import records as fact_records
from kg.facts.mapping import page_facts
from kg.facts.records import PageFacts
from kg.interrupts import worker_pool
from kg.keywords import checks_keywords
from kg.parse.commanames import CommaNames
from kg.parse.markdown import parse_page
from kg.parse.options import ParseOptions
from kg.parse.records import ParsedPage
from kg.read.files import iter_page_files, prefetch, read_page

__all__ = [
    "MapRow",
    "EXECUTORS",
    "CHUNK_PAGES",
    "run_map",
    "map_file",
    "parse_file",
    "worker_reading",
    "worker_setup",
    "dump_record",
    "load_record",
    "default_jobs",
    "walk_corpus",
    "no_pages",
]

#: Pages sent to a worker at once: big enough to amortise the hand-over,
#: small enough to keep every core busy to the end and the bar moving.
CHUNK_PAGES = 128

#: Chunks handed to the pool per worker before their rows are taken: enough that no
#: worker waits for the reader to hand it the next one.
AHEAD_CHUNKS = 3

#: ``(path, digest, stat signature, pickled PageFacts)``: one page mapped.
MapRow = tuple[str, str, str, bytes]


class Progress(Protocol):
    """What the map reports its progress to (a tqdm bar fits)."""

    def update(self, n: int, /) -> object: ...  # pragma: no cover



@lru_cache(maxsize=1)
def _reducers() -> dict[type, Callable[[Any], Any]]:
    """Pickle records and facts as ``cls(*fields)``.

    Slotted dataclasses otherwise pickle through a ``__getstate__`` that
    looks their fields up on every object: loading a page was mostly that.
    """
    from kg.parse import records

    classes = (records.PageKey, records.SourceItem, records.ImageItem, records.RelatedItem,
               records.DayEntry, records.EventPage, records.DayPage, records.ParsedPage, Diagnostic,
               fact_records.EventClaim, fact_records.DayClaim, fact_records.LinkFact, fact_records.PageFacts)
    table: dict[type, Callable[[Any], Any]] = dict(copyreg.dispatch_table)
    for cls in classes:
        names = [f.name for f in dataclasses.fields(cls) if f.init]
        if len(names) != len(dataclasses.fields(cls)):  # a bug: the reducer would lose it
            raise TypeError(f"{cls.__name__} has a field not set by __init__")
        table[cls] = _reducer(_shared_link if cls is fact_records.LinkFact else cls, names)
    return table


def _reducer(make: Callable[..., Any], names: list[str]) -> Callable[[Any], tuple[Callable[..., Any], tuple[Any, ...]]]:
    get = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (make, (get(obj),))
    return lambda obj: (make, get(obj))


def _shared_link(target: str, via: str, source: str, path: str, line: int, rank: int, order: int,
                 headline: str, contexts: tuple[str, ...], written: str) -> fact_records.LinkFact:
    """A link fact as this process loads it, its names shared with every other page's.

    Every page that links to an event repeats its key, headline, path and
    contexts, and a cold build holds all pages' facts until it reduces them:
    one string each took a fifth off their memory.
    """
    share = sys.intern
    return fact_records.LinkFact(share(target), via, source, path, line, rank, order, share(headline),
                                 tuple(map(share, contexts)), share(written))


def dump_record(value: object) -> bytes:
    """Pickle records (and facts) compactly, to hand them from a worker to this process.

    Only for that hand-over between this program's own processes: nothing
    pickled is ever stored (the cache keeps JSON, see :mod:`kg.incremental.datacodec`).
    The same string object met twice in a value is pickled once.

    Examples
    --------
    >>> from kg.parse.records import PageKey
    >>> import datetime as dt
    >>> load_record(dump_record(PageKey(dt.date(2015, 9, 1), "a")))
    PageKey(date=datetime.date(2015, 9, 1), slug='a')
    """
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _reducers()
    pickler.dump(value)
    return buf.getvalue()


def load_record(blob: bytes) -> Any:
    """Unpickle what :func:`dump_record` made in a worker of this same run."""
    return pickle.loads(blob)  # our own worker's bytes, never read from disk


@checks_keywords
def parse_file(rel: str, real: str | os.PathLike[str], *, fast_parse: bool = False,
               comma_names: CommaNames | Iterable[str] | None = None) -> ParsedPage:
    """Read, decode and parse one page file; problems become diagnostics.

    Parameters
    ----------
    rel : str
        The page's corpus-relative POSIX path (``news/2015/09/1/index.md``): it gives the event's day and
        slug, and tells day pages from event pages.
    real : path
        Where the file is read from.
    fast_parse : bool, default False
        Read a page written in the canonical form without markdown-it (see :func:`kg.parse_page`'s
        ``fast``); the records are the same either way.
    comma_names : iterable of str, optional
        The context names that hold a comma (:func:`kg.read_comma_names`), joined again in a Related
        line's list; none by default.

    Returns
    -------
    ParsedPage
        ``page`` is an :class:`~kg.parse.records.EventPage`, a :class:`~kg.parse.records.DayPage`, or
        ``None`` when nothing could be read (an unreadable file is an ``unreadable-file`` diagnostic, not
        an exception).

    Examples
    --------
    >>> import kg, pathlib
    >>> root = pathlib.Path(kg.__file__).parent.parent / "examples" / "wcep-2015-09"
    >>> rel = "news/2015/09/1/index.md"
    >>> parse_file(rel, root / rel).page.date
    datetime.date(2015, 9, 1)
    """
    return _parse(rel, real, ParseOptions(fast_parse, CommaNames.given(comma_names)))[1]


def _parse(rel: str, real: str | os.PathLike[str], reading: ParseOptions,
           walked: bool = False) -> tuple[str, ParsedPage]:
    page_file = read_page(rel, real, walked=walked)
    if page_file.text is None:
        return page_file.digest, ParsedPage(rel, None, page_file.diagnostics)
    parsed = parse_page(page_file.text, rel, fast=reading.fast, comma_names=reading.comma_names)
    return page_file.digest, ParsedPage(rel, parsed.page, page_file.diagnostics + parsed.diagnostics)


def map_file(rel: str, real: str | os.PathLike[str], reading: ParseOptions) -> tuple[str, ParsedPage, PageFacts]:
    """The page task: read, parse and map one file of the walk (its digest, record and facts)."""
    digest, parsed = _parse(rel, real, reading, walked=True)  # a real path from the walk
    return digest, parsed, page_facts(parsed)


def _map_chunk(chunk: list[tuple[str, str]], reading: ParseOptions) -> list[MapRow]:
    """Run the page task on a chunk; each page's facts travel back pickled.

    Only the facts: whatever comes after the map (the reduce, the cache,
    the rebuild) reads nothing else of a page, and the record pickled too
    cost as much again to send and to load.

    The stat signature is taken before the bytes are read: a file changed in
    between looks changed at the next build.
    """
    from kg.incremental.signature import stat_signature

    prefetch(real for _, real in chunk)
    rows = []
    for rel, real in chunk:
        stat = stat_signature(real) or ""
        digest, _, facts = map_file(rel, real, reading)  # (as a str: no Path made for each page)
        rows.append((rel, digest, stat, dump_record(facts)))
    return rows


def default_jobs() -> int:
    """The number of cores this process may use.

    >>> default_jobs() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _chunks(items: Sequence[tuple[str, str]], size: int) -> list[list[tuple[str, str]]]:
    return [list(items[start:start + size]) for start in range(0, len(items), size)]


def map_serial(chunks: list[list[tuple[str, str]]], jobs: int, bar: Progress,
               reading: ParseOptions) -> Iterator[MapRow]:
    """Map every chunk in this process."""
    for chunk in chunks:
        rows = _map_chunk(chunk, reading)
        bar.update(len(rows))
        yield from rows


def map_in_processes(chunks: list[list[tuple[str, str]]], jobs: int, bar: Progress,
                     reading: ParseOptions) -> Iterator[MapRow]:
    """Map the chunks in a pool of ``jobs`` processes; rows come back in input order."""
    # fork where there is one: workers start at once with the parser imported.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods and sys.platform == "linux" else None)
    task = _map_chunk_in_worker
    with worker_pool(context, min(jobs, len(chunks)), worker_setup, (reading,)) as pool:
        # At most AHEAD_CHUNKS chunks per worker are in flight, done or not: Pool.imap would map
        # them all, and the rows that a slower reader has not taken yet would pile up in this
        # process (at 150,000 pages its peak was 941 MB with 4 jobs, 1,326 MB with 16).
        waiting: deque[AsyncResult[list[MapRow]]] = deque()
        ahead = iter(chunks)
        for chunk in islice(ahead, AHEAD_CHUNKS * jobs):
            waiting.append(pool.apply_async(task, (chunk,)))
        while waiting:
            rows = waiting.popleft().get()
            for chunk in islice(ahead, 1):  # one more for the worker that is free
                waiting.append(pool.apply_async(task, (chunk,)))
            bar.update(len(rows))
            yield from rows


#: In a pool's worker: what its pages are read with, given once as it starts (see :func:`worker_setup`).
_IN_WORKER: dict[str, ParseOptions] = {}


def worker_setup(reading: ParseOptions) -> None:
    """Run in each worker of a pool that maps pages, as it starts.

    The worker keeps ``reading`` for its tasks (:func:`worker_reading`): a
    list of names with a comma may be hundreds of thousands long, 9 MB
    pickled, and is not to travel with every chunk of pages (a forked worker
    is given it without a pickle at all).  And it collects as usual
    (markdown-it's state objects do hold cycles), even when forked from a
    caller that paused the collector.
    """
    import gc

    gc.enable()
    _IN_WORKER["reading"] = reading


def worker_reading() -> ParseOptions:
    """What this pool worker reads pages with (:func:`worker_setup`)."""
    return _IN_WORKER["reading"]


def _map_chunk_in_worker(chunk: list[tuple[str, str]]) -> list[MapRow]:
    return _map_chunk(chunk, worker_reading())


class MapExecutor(Protocol):
    """Runs the page task over chunks of ``(path, real path)`` and yields rows in order."""

    def __call__(self, chunks: list[list[tuple[str, str]]], jobs: int, bar: Progress,
                 reading: ParseOptions) -> Iterator[MapRow]: ...  # pragma: no cover


#: The executors of the map step, by name.
EXECUTORS: dict[str, MapExecutor] = {
    "serial": map_serial,
    "processes": map_in_processes,
}


def run_map(todo: Sequence[tuple[str, str]], jobs: int, bar: Progress, reading: ParseOptions,
            executor: str | None = None) -> Iterator[MapRow]:
    """Map pages with the named executor, or in processes when there is enough work for them."""
    chunks = _chunks(todo, CHUNK_PAGES)
    if executor is None:
        executor = "processes" if jobs > 1 and len(chunks) > 1 else "serial"
    return EXECUTORS[executor](chunks, jobs, bar, reading)


def walk_corpus(root: Path) -> tuple[list[ParsedPage], list[tuple[str, str]]]:
    """The page files under ``root`` to read, and the walk's problems as diagnostics-only records.

    Every engine walks a corpus folder this way (:func:`kg.read.files.iter_page_files`):
    one record per path with all its problems (a FIFO with an odd name has two).

    Examples
    --------
    >>> from kg.read.files import corpus_root
    >>> problems, files = walk_corpus(corpus_root("examples/wcep-2015-09"))
    >>> len(problems), len(files), all(rel.startswith("news/2015/09/") for rel, _ in files)
    (0, 458, True)
    """
    found: dict[str, list[Diagnostic]] = {}
    files: list[tuple[str, str]] = []
    for rel, real, problem in iter_page_files(root):
        if problem is not None:
            found.setdefault(rel, []).append(problem)
        elif real is not None:
            files.append((rel, real))
    if not files and not found:  # an empty graph, nothing said: it would look like a successful build
        found["news"] = [no_pages()]
    return [ParsedPage(rel, None, tuple(ds)) for rel, ds in found.items()], files


def no_pages() -> Diagnostic:
    """What a walk that found no page, and nothing else to report, reports.

    Examples
    --------
    >>> print(no_pages())
    news:0: warning: no-pages: no .md file under news/
    """
    return diagnostic("news", 0, "no-pages", "no .md file under news/")
