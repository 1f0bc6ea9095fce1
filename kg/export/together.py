"""Write one graph in several formats, those that do not use every core side by side.

A build writes Turtle and the report, then the explorer and the snapshot,
each made from the whole graph.  Turtle and N-Triples are serialized on all
cores already (:mod:`kg.export.rdf`); every other writer runs in one
process, one after the other.  With more than one job and a big graph,
:func:`export_all` writes those in forked worker processes instead (each
inherits the graph: nothing is pickled but the format and the path), up to
``jobs`` at once, after the formats that use every core on their own.  The
files are the same, byte for byte: each is written by the same function.
:func:`exporting` runs the caller's own work meanwhile (a build indexes the
Turtle it just wrote, for the next rerun).

A writer that fails in a worker is run again here, so that what it raises is
the very error (with its cause) that writing in one process raises; so is
every writer of a worker that dies (killed by the out-of-memory killer, say).

Examples
--------
>>> import kg, tempfile, pathlib
>>> g = kg.build("examples/wcep-2015-09")
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> export_all(g, [("snapshot", out / "graph.kg.json", {}), ("report", out / "report.json", {})], jobs=2)
>>> sorted(p.name for p in out.iterdir())
['graph.kg.json', 'report.json']
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from kg.export import EXPORTERS, export

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph

__all__ = ["export_all", "export_build", "exporting", "exporting_ahead", "exporting_build", "Write",
           "MIN_EVENTS_SIDE_BY_SIDE"]

#: One file to write: ``(format, path, options of its writer)``.
Write = tuple[str, "str | os.PathLike[str]", Mapping[str, Any]]

#: Below this many events, forking workers costs more than writing one file after another.
MIN_EVENTS_SIDE_BY_SIDE = 5_000

# What a worker writes: the graph and the list of writes, handed over as it forks.
_FORKED: list[tuple[KnowledgeGraph, list[Write]]] = []


def _parallel(name: str) -> bool:
    exporter = EXPORTERS.get(name)
    return exporter is not None and exporter.parallel


def _on_all_cores(write: Write) -> bool:
    """Whether this writer serializes on all the jobs' cores itself (then it runs here, first)."""
    name, path, options = write
    return _parallel(name) and not os.fspath(path).endswith(".gz") and not options.get("gzip")


def _take_over(graph: KnowledgeGraph, writes: list[Write]) -> None:
    """Worker set-up: the graph and the writes (inherited through the fork, not pickled)."""
    _FORKED[:] = [(graph, writes)]


def _write_in_worker(index: int) -> tuple[int, bool]:
    """Worker: write one file of the inherited graph; whether it was written."""
    graph, writes = _FORKED[0]
    name, path, options = writes[index]
    try:
        export(graph, path, name, **options)
    except Exception:  # run again in the parent, which raises it with its cause
        return index, False
    return index, True


def export_all(graph: KnowledgeGraph, writes: Sequence[Write], *, jobs: int = 1) -> None:
    """Write ``graph`` once per entry of ``writes`` (see :func:`kg.export.export`).

    Formats that serialize on several cores on their own (:attr:`Exporter.parallel
    <kg.export.Exporter.parallel>`) are given ``jobs`` and, uncompressed, written first, here;
    the others are then written side by side -- the costliest by up to
    ``jobs`` - 1 forked processes, the rest by this one meanwhile -- when
    ``jobs`` > 1, the graph has at least :data:`MIN_EVENTS_SIDE_BY_SIDE`
    events and there is more than one of them (on Linux; elsewhere one
    after the other).
    """
    with _exporting(graph, writes, jobs, meanwhile=False):
        pass


@contextmanager
def exporting(graph: KnowledgeGraph, writes: Sequence[Write], *, jobs: int = 1) -> Iterator[None]:
    """:func:`export_all`, with the block run while the workers write.

    The formats written on all cores (uncompressed Turtle, N-Triples) are written before
    the block runs, the others when it has run (side by side with it, when
    in workers: then even one of them goes to a worker); compressed Turtle or
    N-Triples are among the others.  When the snapshot and the explorer are both
    among them, the snapshot is written first and a fresh interpreter writes the
    explorer from it while the block runs (:mod:`kg.export.fromsnapshot`).  A block
    that raises stops the workers, which may leave the temporary files of what
    they were writing beside its target (a build writes into a staging folder
    that goes with them).
    """
    with _exporting(graph, writes, jobs, meanwhile=True):
        yield


@contextmanager
def exporting_build(graph: KnowledgeGraph, staged: Mapping[str, str | os.PathLike[str]], *,
                    jobs: int = 1) -> Iterator[None]:
    """:func:`exporting` for a build: each format to its staged path, gzipped where that is ``.gz``.

    The build's files are for its maker to note in its provenance
    (:func:`kg.export.provenance.add_files`).  The cyclic collector stays paused: exporters make millions of acyclic
    rows, and 20-30% of their time went to it.
    """
    from kg.collector import paused_gc

    with paused_gc(), _exporting(graph, _build_writes(staged), jobs, meanwhile=True):
        yield


def export_build(graph: KnowledgeGraph, staged: Mapping[str, str | os.PathLike[str]], *, jobs: int = 1) -> None:
    """Write ``graph`` into a build's staged files (see :func:`exporting_build`), with nothing
    to do meanwhile (as :func:`export_all`)."""
    from kg.collector import paused_gc

    with paused_gc(), _exporting(graph, _build_writes(staged), jobs, meanwhile=False):
        pass


@contextmanager
def exporting_ahead(graph: KnowledgeGraph, staged: Mapping[str, str | os.PathLike[str]], *,
                    jobs: int = 1) -> Iterator[tuple[str, ...]]:
    """Write some of a build's ``staged`` formats in forked workers while the block runs; yield their names.

    Up to ``jobs`` - 1 of them (the block keeps this process busy), costliest
    first, when :func:`exporting` would write side by side; otherwise none
    (``()``): the caller writes whatever is not named, after or in the
    block.  One that fails in its worker is written here after the block.
    """
    from kg.collector import paused_gc

    writes = sorted(_build_writes(staged), key=lambda w: w[0] != "html")[:max(0, jobs - 1)]
    if not (writes and sys.platform == "linux" and len(graph.event_records) >= MIN_EVENTS_SIDE_BY_SIDE):
        yield ()
        return
    with paused_gc(), _writing_in_workers(graph, writes, len(writes)) as failed:
        yield tuple(name for name, _, _ in writes)
    for index in failed:
        name, path, options = writes[index]
        export(graph, path, name, **options)


def _build_writes(staged: Mapping[str, str | os.PathLike[str]]) -> list[Write]:
    """A build's writes: each format to its staged path, gzipped where that is ``.gz``."""
    return [(name, path, {"gzip": True} if os.fspath(path).endswith(".gz") else {}) for name, path in staged.items()]


@contextmanager
def _exporting(graph: KnowledgeGraph, writes: Sequence[Write], jobs: int, *, meanwhile: bool) -> Iterator[None]:
    from kg.export.provenance import settled

    graph = settled(graph)  # (each file written describes one build)
    writes = [(name, path, {**options, "jobs": jobs} if _parallel(name) else options)
              for name, path, options in writes]
    alone = [w for w in writes if _on_all_cores(w)]
    rest = [w for w in writes if not _on_all_cores(w)]
    for name, path, options in alone:
        export(graph, path, name, **options)
    side_by_side = (jobs > 1 and len(rest) > (0 if meanwhile else 1) and sys.platform == "linux"
                    and len(graph.event_records) >= MIN_EVENTS_SIDE_BY_SIDE)
    if not side_by_side:
        yield
        for name, path, options in rest:
            export(graph, path, name, **options)
        return
    # With work of its own meanwhile, this process can wait for the snapshot and let a fresh
    # one write the explorer from it (a fork would hold this one's heap); with none, the
    # fork is 6-8 s sooner at 150,000 events (9.3 s against 14.9-17.6 s for the two files).
    fresh = _from_snapshot(rest) if meanwhile else None
    if fresh is not None:
        snapshot, explorer = fresh
        export(graph, snapshot[1], snapshot[0], **snapshot[2])
        with _writing_from_snapshot(snapshot[1], explorer) as lost:
            yield
            for name, path, options in rest:
                if (name, path, options) not in fresh:
                    export(graph, path, name, **options)
        if lost:
            export(graph, explorer[1], explorer[0], **explorer[2])
        return
    # Costliest first (the explorer) to the workers, one fewer than the jobs: this process
    # writes the rest itself, so that no more copies of the graph's touched memory are
    # made than there are cores to use them.
    rest.sort(key=lambda w: w[0] != "html")
    forked = rest[:max(1, min(jobs - 1, len(rest) - (0 if meanwhile else 1)))]
    with _writing_in_workers(graph, forked, len(forked)) as failed:
        yield
        for name, path, options in rest[len(forked):]:
            export(graph, path, name, **options)
    for index in failed:
        name, path, options = forked[index]
        export(graph, path, name, **options)


@contextmanager
def _writing_in_workers(graph: KnowledgeGraph, writes: list[Write], jobs: int) -> Iterator[list[int]]:
    """Write ``writes`` in forked workers while the block runs; then the indices of those that failed there."""
    import multiprocessing

    from kg.collector import trim_heap
    from kg.errors import WorkerDiedError
    from kg.export.provenance import settled
    from kg.interrupts import worker_pool

    # When the build started and ended, as every file written describes it: settled here, once,
    # rather than by each worker on its own clock.
    graph = settled(graph)
    failed: list[int] = []
    try:
        # Frozen objects are left alone by the workers' collector, which would
        # otherwise walk (and so copy, page by page) the whole inherited graph.
        gc.freeze()
        trim_heap()  # each worker starts as large as this process is
        with worker_pool(multiprocessing.get_context("fork"), min(jobs, len(writes)), _take_over,
                         (graph, writes)) as pool:
            pending = pool.map_async(_write_in_worker, range(len(writes)), chunksize=1)
            yield failed
            try:
                done = pending.get()
            except WorkerDiedError:  # killed (for memory, say): this process writes them all again
                done = [(index, False) for index in range(len(writes))]
            failed.extend(sorted(index for index, written in done if not written))
    finally:
        gc.unfreeze()


def _from_snapshot(writes: list[Write]) -> tuple[Write, Write] | None:
    """The snapshot and the explorer among ``writes``, when both are there: the explorer can then
    be written from the snapshot by a fresh process (:func:`_writing_from_snapshot`)."""
    snapshot = next((w for w in writes if w[0] == "snapshot"), None)
    explorer = next((w for w in writes if w[0] == "html"), None)
    return None if snapshot is None or explorer is None else (snapshot, explorer)


@contextmanager
def _writing_from_snapshot(snapshot: str | os.PathLike[str], explorer: Write) -> Iterator[list[bool]]:
    """Write the explorer from the snapshot just written, by a fresh interpreter, while the block runs.

    See :mod:`kg.export.fromsnapshot` for why.  Yields a list that holds ``True`` after
    the block if the explorer was not written there: the caller writes it, and so raises its error.
    """
    from kg.export import fromsnapshot

    lost: list[bool] = []
    process = fromsnapshot.start(snapshot, (explorer[0], explorer[1], dict(explorer[2])))
    try:
        yield lost
        if process is not None:
            process.wait()
    finally:
        if process is not None and process.returncode is None:  # the block raised: the explorer is not wanted
            process.kill()
            process.wait()
    if process is None or process.returncode != 0:
        lost.append(True)
