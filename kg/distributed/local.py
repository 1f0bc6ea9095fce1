"""The partitioned map/reduce on this machine: every stage on all cores, its shuffles spilled to disk.

The stages of :mod:`kg.distributed.partitioned` run as tasks of a process
pool, one partition a task (the map: a chunk of pages a task).  What a stage
sends on to the next, a blob per destination partition, is written to a file
of a spill folder, and each task of the next stage reads back the blobs sent
to its partition.  So no process holds more than about one partition's facts
at once: memory is bounded by the size of a partition, not of the archive,
and the reduce runs on every core as the map does.

Each partition's part of the graph is written as runs of subjects, a file per
node kind (:func:`kg.distributed.merging.write_runs`), and the runs are merged in
output order into Turtle and N-Triples files byte for byte those of the
in-memory build (:func:`kg.distributed.merging.join_kinds`); the report sums the
partitions' counts and merges their diagnostics, as the in-memory reduce counts them.

The spill holds pickles (:func:`~kg.facts.executors.dump_record`): written and
read by this build's own processes only, in a private folder of the build's
staging folder, removed with it when the build ends.

Examples
--------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> from kg.facts.executors import walk_corpus
>>> from kg.read.files import corpus_root
>>> root = corpus_root("examples/wcep-2015-09")
>>> problems, files = walk_corpus(root)
>>> report = build_partitioned(root, problems, files, {"turtle": out / "graph.ttl"}, out / "spill",
...                            base_iri="https://x.org/", jobs=1, parts=3)
>>> report.counts["events"], report.counts["related_links"], report.diagnostics
(428, 1925, ())
"""

from __future__ import annotations

import math
import multiprocessing
import os
import shutil
import struct
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from kg.collector import paused_gc
from kg.diagnostics import Diagnostic
from kg.distributed.merging import RUN_FORMATS, indexed_segments, join_kinds, merge_kind, write_runs
from kg.distributed.partitioned import (
    Aliases,
    StageOut,
    assemble_stage,
    claims_stage,
    contents_stage,
    links_in_stage,
    links_out_stage,
    map_stage,
    merge_aliases,
    parts_report,
    unread_stage,
)
from kg.errors import ArgumentError
from kg.export.triples import EMITTERS
from kg.facts.executors import CHUNK_PAGES, MapRow, dump_record, load_record, map_file, worker_reading, worker_setup
from kg.facts.records import PageFacts
from kg.incremental.outindex import FORMATS, prime_segments
from kg.incremental.rebuild import record_diagnostics
from kg.incremental.signature import stat_signature
from kg.interrupts import worker_pool
from kg.model import BuildReport
from kg.parse.options import DEFAULT_PARSE, ParseOptions
from kg.parse.records import ParsedPage
from kg.progress import progress_bar
from kg.read.files import is_page, prefetch, safe_name
from kg.report import write_report

if TYPE_CHECKING:  # pragma: no cover
    from kg.incremental.cache import PageCache, StoreRow

__all__ = ["PARTITIONED_FORMATS", "PAGES_PER_PARTITION", "default_partitions", "build_partitioned"]

#: What a partitioned build writes: files merged from partitions' runs, and the report.
PARTITIONED_FORMATS = frozenset({*RUN_FORMATS, "report"})

#: Pages per partition by default: a partition's facts and part of the graph, held by one task, are some tens of MB.
PAGES_PER_PARTITION = 8000

# Frames of a stage's file: a count, the lengths, the blobs (out to each partition, local, side).
_LENGTH = struct.Struct("<Q")

T = TypeVar("T")


def default_partitions(pages: int, jobs: int) -> int:
    """Partitions for ``pages`` pages on ``jobs`` cores: one per :data:`PAGES_PER_PARTITION`, at least two a core.

    >>> default_partitions(150_000, 2), default_partitions(400, 2), default_partitions(0, 1)
    (19, 4, 2)
    """
    return max(2 * jobs, math.ceil(pages / PAGES_PER_PARTITION))


@dataclass(frozen=True, slots=True)
class _Spill:
    """The spill folder: a stage's output to each partition, in files that the next stage reads."""

    folder: str

    def path(self, name: str) -> str:
        return os.path.join(self.folder, name)

    def put(self, name: str, out: StageOut) -> None:
        blobs = (*out.out, out.local, out.side)
        with open(self.path(name), "wb") as fh:
            fh.write(_LENGTH.pack(len(blobs)))
            fh.writelines(_LENGTH.pack(len(b)) for b in blobs)
            fh.writelines(blobs)

    def frame(self, name: str, index: int) -> bytes:
        """Blob ``index`` of a stage's file (a partition's number; or ``parts``: local, ``parts + 1``: side)."""
        with open(self.path(name), "rb") as fh:
            (count,) = _LENGTH.unpack(fh.read(_LENGTH.size))
            lengths = struct.unpack(f"<{count}Q", fh.read(_LENGTH.size * count))
            fh.seek(sum(lengths[:index]), os.SEEK_CUR)
            return fh.read(lengths[index])

    def frames(self, name: str, index: int, parts: int) -> Iterator[bytes]:
        """Blob ``index`` of each partition's file of one stage (``name`` takes ``{}``)."""
        return (self.frame(name.format(p), index) for p in range(parts))

    def appended(self, name: str) -> Iterator[bytes]:
        """The blobs appended to a file (see :class:`_Appender`), in order."""
        with open(self.path(name), "rb") as fh:
            while head := fh.read(_LENGTH.size):
                yield fh.read(_LENGTH.unpack(head)[0])

    def remove(self, *names: str) -> None:
        for name in names:
            os.unlink(self.path(name))


class _Appender:
    """The map's blobs, appended to a file per destination partition as they come."""

    def __init__(self, spill: _Spill, parts: int) -> None:
        self.spill, self.parts = spill, parts
        self.files: list[BinaryIO] = []
        self.restart()

    def restart(self) -> None:
        """Empty the files (what was appended is dropped)."""
        self.close()
        self.files = []
        try:
            for p in range(self.parts):
                self.files.append(open(self.spill.path(f"map-{p}"), "wb"))  # noqa: SIM115  # closed by close()
        except BaseException:
            self.close()
            raise

    def add(self, out: StageOut) -> None:
        for fh, blob in zip(self.files, out.out, strict=True):
            if blob:
                fh.write(_LENGTH.pack(len(blob)))
                fh.write(blob)

    def close(self) -> None:
        for fh in self.files:
            fh.close()


# ------------------------------------------------------------------ tasks (run in the pool's workers)

def _map_task(chunk: list[tuple[str, str]], parts: int, reading: ParseOptions | None,
              keep: bool) -> tuple[StageOut, list[MapRow]]:
    """The chunk's facts to the owners of their keys; with ``keep``, each page's facts too (for the cache).
    Pages are read with ``reading``, or a pool worker's (``None``: see :func:`~kg.facts.executors.worker_setup`)."""
    prefetch(real for _, real in chunk)
    rows: list[MapRow] = []
    facts: list[PageFacts] = []
    with paused_gc():
        for rel, real in chunk:
            stat = (stat_signature(real) or "") if keep else ""  # (before the bytes are read: see _map_chunk)
            digest, _, page = map_file(rel, real, worker_reading() if reading is None else reading)
            facts.append(page)
            if keep:
                rows.append((rel, digest, stat, dump_record(page)))
        return map_stage(facts, parts), rows


def _claims_task(index: int, spill: _Spill, parts: int) -> None:
    with paused_gc():
        spill.put(f"claims-{index}", claims_stage(spill.appended(f"map-{index}"), parts))
    spill.remove(f"map-{index}")


def _contents_task(index: int, spill: _Spill, parts: int) -> bytes:
    with paused_gc():
        out = contents_stage(spill.frames("claims-{}", index, parts), parts)
    spill.put(f"contents-{index}", out)
    return out.side  # the aliases: every later stage needs them all


def _links_out_task(index: int, spill: _Spill, parts: int, aliases: Aliases) -> None:
    with paused_gc():
        out = links_out_stage(spill.frames("contents-{}", index, parts), spill.frame(f"claims-{index}", parts),
                              aliases, parts)
        spill.put(f"out-{index}", out)


def _links_in_task(index: int, spill: _Spill, parts: int, aliases: Aliases) -> None:
    with paused_gc():
        local = spill.frame(f"out-{index}", parts)
        spill.put(f"in-{index}", links_in_stage(spill.frames("out-{}", index, parts), local, aliases, parts))


def _assemble_task(index: int, spill: _Spill, parts: int, base_iri: str,
                   formats: tuple[str, ...]) -> tuple[dict[str, int], tuple[Diagnostic, ...]]:
    """Partition ``index``'s part of the graph, written as runs; its counts and diagnostics."""
    with paused_gc():
        blobs = [*spill.frames("out-{}", index, parts), *spill.frames("in-{}", index, parts)]
        part = assemble_stage(index, blobs, spill.frame(f"out-{index}", parts), spill.frame(f"in-{index}", parts),
                              parts, base_iri)
        del blobs
        write_runs(part.graph, part.event_graph, index, spill.folder, formats, part.outside)
    return part.counts, part.diagnostics


def _merge_task(job: tuple[str, str], spill: _Spill, parts: int, indexed: frozenset[str]) -> None:
    fmt, kind = job
    merge_kind(spill.folder, fmt, kind, parts, index=fmt in indexed)


_LARGEST = frozenset({"related", "shared", "events", "articles"})


# ------------------------------------------------------------------ the build

@dataclass(frozen=True, slots=True)
class _Keep:
    """Where the map's facts go besides the shuffle: the cache, ``batch`` pages at a time (or nowhere)."""

    cache: PageCache | None
    batch: int


def _pool_map(pool: Any, task: Callable[..., T], items: Iterable[Any]) -> Iterator[T]:
    """``task`` over ``items``, results in order as they come: in the pool, or here when there is none."""
    if pool is None:
        return map(task, items)
    return iter(pool.imap(task, items))


#: Chunks of pages in flight per job in the map: however far ahead of the build's process the
#: workers are (it stores and spills what they send), it holds no more of their results than that.
IN_FLIGHT_PER_JOB = 4


def _pool_map_bounded(pool: Any, task: Callable[..., T], items: Iterable[Any], window: int) -> Iterator[T]:
    """:func:`_pool_map`, with at most ``window`` tasks given out and not yet taken back.

    (``Pool.imap`` hands out every task at once and keeps each result until it
    is taken: a build's process slower than its workers would pile them up.)
    """
    if pool is None:
        yield from map(task, items)
        return
    pending: deque[Any] = deque()
    for item in items:
        pending.append(pool.apply_async(task, (item,)))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def build_partitioned(root: Path, problems: Sequence[ParsedPage], files: Sequence[tuple[str, str]],
                      targets: Mapping[str, str | os.PathLike[str]], spill: str | os.PathLike[str], *,
                      base_iri: str, jobs: int, parts: int | None = None, reading: ParseOptions = DEFAULT_PARSE,
                      gzip: bool = False, progress: bool = False, cache: PageCache | None = None,
                      published: Mapping[str, str | os.PathLike[str]] | None = None,
                      batch: int = 2000) -> BuildReport:
    """Build a walked corpus into files by the partitioned reduce, on ``jobs`` cores.

    Parameters
    ----------
    root, problems, files
        The corpus folder and its walk (:func:`kg.facts.executors.walk_corpus`).
    targets : mapping
        Format name (of :data:`PARTITIONED_FORMATS`) -> the file to write.
    spill : path
        A folder to make for the shuffles (removed at the end); it takes up to
        about ten times the size of the page files.
    base_iri : str
        Base of the data IRIs.
    jobs : int
        Processes; ``1`` runs every task in this process.
    parts : int, optional
        Reduce partitions, at most one per page; default :func:`default_partitions`.
    reading, gzip
        As for :func:`kg.pipeline.build_files` (``reading``: its ``fast_parse`` and ``comma_names``).
    progress : bool
        Show bars on stderr (on a terminal): the pages mapped, then the reduce's tasks.
    cache : PageCache, optional
        The unchanged pages' facts are taken from it (``batch`` pages at a
        time); it is filled with the other pages' as they are mapped, rid of
        deleted pages, and given the index of the Turtle and N-Triples files
        written (not gzipped), as an in-memory full build does: the next
        build patches them (:mod:`kg.incremental`).  Unlike an in-memory
        build, no whole graph is kept in it for the formats that need one
        (a later build that asks for them reduces the cached facts).
    published : mapping, optional
        Where ``targets`` are published (with ``cache``): format -> final path.

    Returns
    -------
    BuildReport
        The same report as the in-memory build's.

    Raises
    ------
    ArgumentError
        If ``targets`` names a format that is not merged from runs, or ``parts``
        is more than the system lets a process hold files open for.
    """
    other = set(targets) - PARTITIONED_FORMATS
    if other:
        raise ArgumentError(f"a partitioned build does not write {', '.join(sorted(other))}")
    # (more partitions than pages only adds empty runs to open and merge: 5,000 for 1,977 pages ran for minutes)
    parts = _open_files_for(min(parts, max(1, len(files))) if parts else default_partitions(len(files), jobs),
                            asked=bool(parts))
    formats = tuple(name for name in targets if name in RUN_FORMATS)
    walked = {rel for rel, _ in files}
    # A path both walked and reported is the walked page's (as the in-memory build keeps it).
    reported = [page for page in problems if page.path not in walked]
    pages_read = sum(map(is_page, walked)) + sum(is_page(page.path) for page in reported)
    indexed = frozenset(fmt for fmt in formats if cache is not None and not gzip and fmt in FORMATS)
    folder = Path(spill)
    folder.mkdir(mode=0o700)
    try:
        store = _Spill(os.fspath(folder))
        with _pool(jobs, reading) as pool:
            found = _run_stages(pool, store, files, [page.path for page in reported], parts, base_iri, formats,
                                reading, progress, _Keep(cache, batch), indexed, IN_FLIGHT_PER_JOB * jobs)
        report = parts_report(safe_name(root.name)[0], pages_read,
                              (d for page in reported for d in page.diagnostics), found)
        for fmt in formats:
            join_kinds(folder, fmt, targets[fmt], base_iri=base_iri, gzip_output=gzip)
        if "report" in targets:
            write_report(report, targets["report"])
        if cache is not None:
            # Deleted pages forgotten first: that makes a new version of the cache, the index's.
            cache.forget_except(walked)  # (not the unreadable pages: see graphbuild)
            if indexed and cache.db is not None:  # (None: the cache failed meanwhile)
                for fmt in (name for name in formats if name in indexed):
                    rows, totals = indexed_segments(folder, fmt)
                    prime_segments(cache.db, fmt, (published or targets)[fmt], rows, totals, base_iri=base_iri,
                                   version=cache.version, written=targets[fmt])
                record_diagnostics(cache, report, problems)
        return report
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_stages(pool: Any, store: _Spill, files: Sequence[tuple[str, str]], unread: Sequence[str],
                parts: int, base_iri: str, formats: tuple[str, ...], reading: ParseOptions,
                progress: bool, keep: _Keep, indexed: frozenset[str],
                window: int) -> list[tuple[dict[str, int], tuple[Diagnostic, ...]]]:
    """Every stage in turn, each partition a task (``window`` chunks of pages mapped at most at once; ``unread``
    the walk's paths that gave no page); the partitions' counts and diagnostics."""
    appender = _Appender(store, parts)
    bar = progress_bar(len(files), progress)
    try:
        hits = _cached_to(appender, keep, files, parts)
        appender.add(unread_stage(unread, parts))  # (after the cache's: a cache that fails restarts the appender)
        bar.update(len(hits))
        todo = [item for item in files if item[0] not in hits] if hits else files
        chunks = [list(todo[at:at + CHUNK_PAGES]) for at in range(0, len(todo), CHUNK_PAGES)]
        mapped = _pool_map_bounded(pool, partial(_map_task, parts=parts, reading=None if pool is not None else reading,
                                                 keep=keep.cache is not None), chunks, window)

        def spilled() -> Iterator[StoreRow]:
            for chunk, (out, rows) in zip(chunks, mapped, strict=True):  # each written out as it comes
                appender.add(out)
                bar.update(len(chunk))
                for rel, digest, stat, blob in rows:
                    if digest and stat:
                        yield rel, digest, stat, load_record(blob)  # the cache keeps JSON, not the pickle

        if keep.cache is None:
            for _ in spilled():
                pass
        else:
            keep.cache.store_all(spilled(), keep.batch, index_meanwhile=True)
    finally:
        bar.close()
        appender.close()
    every = range(parts)
    # The kinds' merges side by side at the end, the largest first (Related lines and pairs: half the file).
    kinds = sorted(((fmt, kind) for fmt in formats for kind in EMITTERS), key=lambda job: job[1] not in _LARGEST)
    bar = progress_bar(5 * parts + len(kinds), progress, desc="kg: reducing", unit="task")
    try:
        def each(task: Callable[..., T], items: Sequence[Any]) -> Iterator[T]:
            done = 0
            for result in _pool_map(pool, task, items):
                done += 1
                bar.update(1)
                yield result
            if done != len(items):  # a StopIteration in a task ends a map as if it had no more items
                raise AssertionError(f"{len(items)} tasks gave {done} results")

        list(each(partial(_claims_task, spill=store, parts=parts), every))
        aliases = merge_aliases(each(partial(_contents_task, spill=store, parts=parts), every))
        list(each(partial(_links_out_task, spill=store, parts=parts, aliases=aliases), every))
        store.remove(*(f"{stage}-{p}" for stage in ("claims", "contents") for p in every))
        list(each(partial(_links_in_task, spill=store, parts=parts, aliases=aliases), every))
        found = list(each(partial(_assemble_task, spill=store, parts=parts, base_iri=base_iri, formats=formats),
                          every))
        store.remove(*(f"{stage}-{p}" for stage in ("out", "in") for p in every))
        list(each(partial(_merge_task, spill=store, parts=parts, indexed=indexed), kinds))
    finally:
        bar.close()
    return found


def _open_files_for(parts: int, *, asked: bool) -> int:
    """Have this process (and the workers it forks) allowed the files a merge of ``parts`` runs holds
    open, two per partition; the partitions to use.

    The soft limit is raised as far as the hard one allows (1,024 is a common
    soft limit: 384 partitions).  Past it, a count that was not ``asked`` for
    is lowered to what the limit allows; one that was is refused.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Unix, where no such limit is this low
        return parts
    spare = 256  # what the interpreter, the pool and SQLite hold
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= 2 * parts + spare:
        return parts
    limit = soft  # in effect
    want = 2 * parts + spare if hard == resource.RLIM_INFINITY else min(hard, 2 * parts + spare)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        limit = want
    except (ValueError, OSError):  # above a cap of the system's (macOS): keep the soft limit
        pass
    allowed = (limit - spare) // 2
    if allowed >= parts:
        return parts
    if asked or allowed < 1:
        raise ArgumentError(f"{parts} partitions need {2 * parts + spare} open files and this system allows "
                            f"{limit}" + (f": ask for at most {allowed}" if allowed >= 1 else ""))
    return allowed


def _cached_to(appender: _Appender, keep: _Keep, files: Sequence[tuple[str, str]], parts: int) -> set[str]:
    """Shuffle the cached facts of the unchanged pages, ``keep.batch`` at a time; their paths.

    As an in-memory full build takes them: a cache that fails meanwhile starts afresh,
    and every page is then parsed (and stored) again.
    """
    if keep.cache is None:
        return set()
    hits: set[str] = set()
    batch: list[PageFacts] = []
    for path, facts in keep.cache.iter_cached(dict(files)):
        if facts is None:
            appender.restart()
            return set()
        hits.add(path)
        batch.append(facts)
        if len(batch) >= keep.batch:
            appender.add(map_stage(batch, parts))
            batch = []
    appender.add(map_stage(batch, parts))
    return hits


@contextmanager
def _pool(jobs: int, reading: ParseOptions) -> Iterator[Any]:
    """A pool of ``jobs`` workers that read pages with ``reading`` (given once each), or ``None`` for one job."""
    if jobs <= 1:
        yield None
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods and sys.platform == "linux" else None)
    with worker_pool(context, jobs, worker_setup, (reading,)) as pool:  # (each task pauses the collector)
        yield pool
