"""The distributed build: the partitioned map/reduce as Dask tasks, written as a set of shards.

:func:`build_sharded` lists the corpus, submits the whole job at once (a
task per input partition, then a task per reduce partition and stage, with
a small task per shuffle blob so that only the blob travels), follows it
with a progress line, and publishes the set: shards, ``report.json`` and
``manifest.json`` (see :mod:`kg.distributed.shards`).

Tasks are pure functions of their inputs: a worker that dies loses its
results, and Dask runs the tasks again elsewhere from their inputs, with
the same result.  A task that raises fails the job: nothing is published,
the staging folder is removed, and :class:`~kg.errors.JobFailedError`
names the failed task and its pages.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from kg.collector import paused_gc
from kg.console import counted
from kg.distributed.cluster import refuses_connections, start_local_cluster
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
from kg.distributed.shards import MANIFEST_NAME, REPORT_NAME, ShardInfo, Sink, manifest_bytes, write_shard
from kg.distributed.source import Corpus, filesystem, is_url, list_corpus, local_path, map_partition
from kg.distributed.workersetup import quiet_from_the_signal, quiet_when_stopped
from kg.errors import JobFailedError, MissingExtraError, OutputError
from kg.interrupts import Terminated
from kg.model import BuildReport
from kg.parse.options import DEFAULT_PARSE, ParseOptions

__all__ = ["ShardedBuild", "build_sharded", "connect", "PAGES_PER_TASK", "PAGES_PER_PARTITION"]

#: The most pages one map task reads: small enough to spread an archive over every worker.
PAGES_PER_TASK = 4000
#: Pages per reduce partition (at least two partitions per worker thread): what one reduce task
#: holds stays about the same however large the archive, so a worker's memory does too.
PAGES_PER_PARTITION = 8000
#: Shard file names of any set, to find an older set's shards.
_SHARD_GLOB = "graph-*.nt.gz"


@dataclass(frozen=True, slots=True)
class ShardedBuild:
    """What :func:`build_sharded` did: the report, the files published and the shards."""

    report: BuildReport
    files: tuple[str, ...]
    shards: tuple[ShardInfo, ...]
    dashboard: str | None = None


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as err:
        raise MissingExtraError("the dask engine needs dask.distributed: pip install 'kg[dask]'") from err
    return distributed


@contextmanager
def connect(client: Any = None, scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A Dask client: the one given, one of the scheduler at ``scheduler``, or a local cluster.

    The local cluster has ``workers`` processes (default: this machine's
    cores), one thread each: the build is Python code, which threads would
    not run in parallel.  What is made here is closed on leaving.
    """
    distributed = _import_distributed()
    if client is not None:
        yield client
        return
    if scheduler is not None:
        if refuses_connections(scheduler):
            raise JobFailedError(f"cannot reach the Dask scheduler at {scheduler}: nothing listens there "
                                 "(connection refused)")
        try:
            made = distributed.Client(scheduler)
        except OSError as err:  # (distributed's own timeout is an OSError)
            raise JobFailedError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from err
        except ValueError as err:  # an address it cannot read (an http:// one, no port ...)
            raise JobFailedError(f"cannot use the Dask scheduler address {scheduler!r}: {err}") from err
        with made:
            yield made
        return
    import dask  # (distributed's own dependency)

    from kg.facts.executors import default_jobs

    # The cluster's scratch space (its workers' folders, its lock files) in a folder of the build's own,
    # removed with it: by default distributed leaves dask-scratch-space/ in the temporary folder.
    with quiet_from_the_signal(), ExitStack() as held:
        scratch = held.enter_context(tempfile.TemporaryDirectory(prefix="kg-dask-", ignore_cleanup_errors=True))
        held.enter_context(dask.config.set({"temporary-directory": scratch}))
        cluster = start_local_cluster(distributed, workers or default_jobs(), scratch)
        with cluster, distributed.Client(cluster) as made:
            try:
                yield made
            except (KeyboardInterrupt, Terminated):
                quiet_when_stopped()
                raise


# ------------------------------------------------------------------ tasks (run on the workers)
# The reduces make millions of acyclic records: the cyclic collector, which walks every live
# object every few thousand new ones, is paused while they run (as the local build does).
# Parsing keeps it (markdown-it's state objects hold cycles).

def _task_map(files: Sequence[tuple[str, str]], fs: Any, reading: ParseOptions, parts: int) -> StageOut:
    pages = map_partition(files, fs, reading)
    with paused_gc():
        return map_stage(pages, parts)


def _task_unread(paths: Sequence[str], parts: int) -> StageOut:
    return unread_stage(paths, parts)


def _task_pick(out: StageOut, index: int) -> bytes:
    return out.out[index]


def _task_local(out: StageOut) -> bytes:
    return out.local


def _task_side(out: StageOut) -> bytes:
    return out.side


def _task_claims(parts: int, *blobs: bytes) -> StageOut:
    with paused_gc():
        return claims_stage(blobs, parts)


def _task_contents(parts: int, *blobs: bytes) -> StageOut:
    with paused_gc():
        return contents_stage(blobs, parts)


def _task_aliases(*sides: bytes) -> Aliases:
    with paused_gc():
        return merge_aliases(sides)


def _task_links_out(parts: int, claims: bytes, aliases: Aliases, *blobs: bytes) -> StageOut:
    with paused_gc():
        return links_out_stage(blobs, claims, aliases, parts)


def _task_links_in(parts: int, local: bytes, aliases: Aliases, *blobs: bytes) -> StageOut:
    with paused_gc():
        return links_in_stage(blobs, local, aliases, parts)


def _task_write(index: int, parts: int, base_iri: str, sink: Sink, pages: bytes, local: bytes,
                *blobs: bytes) -> ShardInfo:
    with paused_gc():
        return write_shard(assemble_stage(index, blobs, pages, local, parts, base_iri), sink)


# ------------------------------------------------------------------ the job

@dataclass
class _Job:
    """The futures of one job, and what each map task reads (to name the pages of a failed one)."""

    client: Any
    token: str
    futures: list[Any]
    pages_of: dict[str, Sequence[tuple[str, str]]]
    shards: list[Any]

    def submit(self, name: str, func: Callable[..., Any], *args: Any) -> Any:
        future = self.client.submit(func, *args, key=f"kg-{name}-{self.token}", pure=False)
        self.futures.append(future)
        return future

    def pick(self, name: str, out: Any, index: int) -> Any:
        # A task per blob: the blob is taken where the stage ran, and only it travels.
        return self.client.submit(_task_pick, out, index, key=f"kg-{name}-{self.token}", pure=False)


def _submit(client: Any, corpus: Corpus, parts: int, per_task: int, sink: Sink, base_iri: str,
            reading: ParseOptions) -> _Job:
    job = _Job(client, uuid.uuid4().hex[:8], [], {}, [])
    files = corpus.files
    maps = []
    # A long list of names with a comma goes to each worker once, not with every map task.
    shared = client.scatter(reading, broadcast=True) if reading.comma_names.names else reading
    for n, start in enumerate(range(0, len(files), per_task)):
        chunk = files[start:start + per_task]
        future = job.submit(f"map-{n:05d}", _task_map, chunk, corpus.fs, shared, parts)
        job.pages_of[future.key] = chunk
        maps.append(future)
    if corpus.problems:  # (the walk's paths that gave no page: see unread_stage)
        maps.append(job.submit("map-unread", _task_unread, [page.path for page in corpus.problems], parts))
    span = range(parts)
    claims = [job.submit(f"claims-{p:05d}", _task_claims, parts,
                         *(job.pick(f"map-{m:05d}-to-{p:05d}", f, p) for m, f in enumerate(maps))) for p in span]
    kept = [client.submit(_task_local, c, key=f"kg-claims-{p:05d}-kept-{job.token}", pure=False)
            for p, c in enumerate(claims)]
    contents = [job.submit(f"contents-{p:05d}", _task_contents, parts,
                           *(job.pick(f"claims-{q:05d}-to-{p:05d}", c, p) for q, c in enumerate(claims)))
                for p in span]
    aliases = job.submit("aliases", _task_aliases,
                         *(client.submit(_task_side, c, key=f"kg-contents-{p:05d}-aliases-{job.token}", pure=False)
                           for p, c in enumerate(contents)))
    out = [job.submit(f"links-out-{p:05d}", _task_links_out, parts, kept[p], aliases,
                      *(job.pick(f"contents-{q:05d}-to-{p:05d}", c, p) for q, c in enumerate(contents)))
           for p in span]
    pages = [client.submit(_task_local, o, key=f"kg-links-out-{p:05d}-kept-{job.token}", pure=False)
             for p, o in enumerate(out)]
    into = [job.submit(f"links-in-{p:05d}", _task_links_in, parts, pages[p], aliases,
                       *(job.pick(f"links-out-{q:05d}-to-{p:05d}", o, p) for q, o in enumerate(out)))
            for p in span]
    for p in span:
        blobs = [*(job.pick(f"links-out-{q:05d}-for-{p:05d}", o, p) for q, o in enumerate(out)),
                 *(job.pick(f"links-in-{q:05d}-to-{p:05d}", i, p) for q, i in enumerate(into))]
        local = client.submit(_task_local, into[p], key=f"kg-links-in-{p:05d}-kept-{job.token}", pure=False)
        job.shards.append(job.submit(f"write-{p:05d}", _task_write, p, parts, base_iri, sink, pages[p], local,
                                     *blobs))
    return job


class _Progress:
    """The progress line: tasks done, pages read and pages/s; the dashboard link first."""

    def __init__(self, show: bool, total: int, pages: int, stream: TextIO | None = None) -> None:
        self.show, self.total, self.pages = show, total, pages
        self.stream = sys.stderr if stream is None else stream  # the one in use now, not at import
        self.done = self.read = 0
        self.started = time.monotonic()
        self.shown = 0.0
        self.tty = self.stream.isatty()

    def update(self, pages: int = 0) -> None:
        self.done += 1
        self.read += pages
        now = time.monotonic()
        if self.show and (now - self.shown >= (0.5 if self.tty else 5.0) or self.done == self.total):
            self.shown = now
            rate = self.read / max(now - self.started, 1e-9)
            line = (f"kg: dask: {self.done:,}/{self.total:,} tasks, {self.read:,}/{self.pages:,} pages "
                    f"({rate:,.0f} pages/s)")
            self.stream.write(("\r" + line) if self.tty else line + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.show and self.tty and self.done:
            self.stream.write("\n")


def _follow(job: _Job, progress: _Progress) -> list[ShardInfo]:
    """Wait for the job, showing progress; the shards written, or :class:`JobFailedError`."""
    distributed = _import_distributed()
    pending = distributed.as_completed(job.futures)
    job.futures = []  # done tasks' results are freed once no later task needs them
    try:
        for future in pending:
            if future.status == "error":
                raise _failure(job, future)
            if future.status == "cancelled":
                raise JobFailedError(f"the dask job was cancelled at task {future.key}", (str(future.key),))
            progress.update(len(job.pages_of.get(future.key, ())))
        return [future.result() for future in job.shards]
    except BaseException:
        job.client.cancel(list(job.shards), force=True)
        raise
    finally:
        progress.close()


def _failure(job: _Job, future: Any) -> JobFailedError:
    error = future.exception()
    key = str(future.key)
    pages = job.pages_of.get(key)
    where = f" (reading {len(pages)} pages, {pages[0][0]} ... {pages[-1][0]})" if pages else ""
    return JobFailedError(f"the dask job failed: task {key}{where}: {type(error).__name__}: {error}; "
                          "no output was published", (key,))


def build_sharded(corpus: str | os.PathLike[str], output: str | os.PathLike[str], *, base_iri: str,
                  client: Any = None, scheduler: str | None = None, workers: int | None = None,
                  partitions: int | None = None, pages_per_task: int | None = None, progress: bool = False,
                  reading: ParseOptions = DEFAULT_PARSE) -> ShardedBuild:
    """Build a corpus on a Dask cluster into a set of N-Triples shards (``kg build --engine dask``).

    Parameters
    ----------
    corpus, output : path or URL
        A local folder or an fsspec URL each (``s3://bucket/archive/``).
    base_iri : str
        Base of the data IRIs.
    client : distributed.Client, optional
        The cluster to run on; else one of ``scheduler`` (``tcp://host:8786``),
        else a local cluster of ``workers`` processes.
    partitions : int, optional
        Reduce partitions, one shard each; default one per
        :data:`PAGES_PER_PARTITION` pages, at least two per worker thread.
    pages_per_task : int, optional
        Pages a map task reads; default enough for four tasks per worker
        thread, at most :data:`PAGES_PER_TASK`.
    progress : bool
        Print the dashboard link and a progress line on stderr.
    reading : ParseOptions
        How pages are read: :func:`kg.build`'s ``fast_parse`` and ``comma_names``.

    Returns
    -------
    ShardedBuild

    Raises
    ------
    JobFailedError
        If a task failed; nothing was published.

    Examples
    --------
    >>> import tempfile, distributed
    >>> with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
    ...                         dashboard_address=":0") as client:
    ...     done = build_sharded("examples/wcep-2015-09", tempfile.mkdtemp(), base_iri="https://x.org/",
    ...                          client=client, partitions=3)
    >>> done.report.counts["events"], [s.name for s in done.shards]
    (428, ['graph-00000.nt.gz', 'graph-00001.nt.gz', 'graph-00002.nt.gz'])
    >>> import kg  # as many triples as the local build's graph
    >>> sum(s.triples for s in done.shards) == len(set(kg.triples(kg.build("examples/wcep-2015-09"))))
    True
    """
    listed = list_corpus(os.fspath(corpus))
    with ExitStack() as stack:
        dask = stack.enter_context(connect(client, scheduler, workers))
        held = dask.nthreads()  # (worker -> its threads)
        threads = max(1, sum(held.values()))
        parts = max(1, partitions or max(2 * threads, math.ceil(len(listed.files) / PAGES_PER_PARTITION)))
        per_task = pages_per_task or max(1, min(PAGES_PER_TASK, math.ceil(len(listed.files) / (4 * threads))))
        dashboard = getattr(dask, "dashboard_link", None)
        if progress:
            sys.stderr.write(f"kg: dask: {counted(len(held), 'worker')} ({counted(threads, 'thread')}), "
                             f"{counted(parts, 'partition')}"
                             + (f"; dashboard {dashboard}" if dashboard else "") + "\n")
        target = stack.enter_context(_Output.open(os.fspath(output)))
        job = _submit(dask, listed, parts, per_task, target.sink, base_iri, reading)
        shown = _Progress(progress, len(job.futures), len(listed.files))
        shards = _follow(job, shown)
        report = _report(listed, shards)
        from kg.report import report_bytes

        target.sink.write(REPORT_NAME, report_bytes(report))
        target.sink.write(MANIFEST_NAME, manifest_bytes(shards, base_iri=base_iri, corpus=listed.name))
        names = [*(s.name for s in sorted(shards, key=lambda s: s.index)), REPORT_NAME, MANIFEST_NAME]
        target.publish(names)
        done = ShardedBuild(report, tuple(target.final(n) for n in names), tuple(shards), dashboard)
    return done


def _report(corpus: Corpus, shards: Sequence[ShardInfo]) -> BuildReport:
    """The report of the whole build: the partitions' counts summed, their diagnostics merged."""
    return parts_report(corpus.name, corpus.pages, (d for page in corpus.problems for d in page.diagnostics),
                        ((shard.counts, shard.diagnostics) for shard in shards))


class _Output:
    """The output set: staged in a private folder, then published whole (older shards removed)."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.sink = Sink("")
        self._publish: Callable[[list[str]], None] = lambda names: None

    def final(self, name: str) -> str:
        return os.path.join(self.location, name) if not is_url(self.location) else \
            f"{self.location.rstrip('/')}/{name}"

    def publish(self, names: list[str]) -> None:
        self._publish(names)

    @classmethod
    @contextmanager
    def open(cls, location: str) -> Iterator[_Output]:
        out = cls(location)  # (its files named as the location was given: file://... stays a URL)
        folder_path = local_path(location)  # a file:// folder is locked and published as a local one
        if is_url(folder_path):
            with out._url() as sink:
                out.sink = sink
                yield out
            return
        from kg.publish import OutputFolder

        with OutputFolder(folder_path) as folder:
            out.sink = Sink(str(folder.staging))

            def publish(names: list[str]) -> None:
                folder.publish(names)
                _remove_older(Path(folder_path), set(names))

            out._publish = publish
            yield out

    @contextmanager
    def _url(self) -> Iterator[Sink]:
        from kg.publish import STAGING_PREFIX

        fs, path = filesystem(self.location)
        path = path.rstrip("/")
        staging = f"{path}/{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
        try:
            fs.makedirs(staging, exist_ok=True)
        except OSError as err:
            raise OutputError(f"cannot write to {self.location}: {err}") from err

        def publish(names: list[str]) -> None:
            older = {p.rsplit("/", 1)[-1] for p in fs.glob(f"{path}/{_SHARD_GLOB}")}
            for name in names:  # shards first, the manifest that names them last
                fs.mv(f"{staging}/{name}", f"{path}/{name}")
            for name in sorted(older - set(names)):
                fs.rm(f"{path}/{name}")

        self._publish = publish
        try:
            yield Sink(staging, fs)
        finally:
            if fs.exists(staging):
                fs.rm(staging, recursive=True)


def _remove_older(folder: Path, keep: set[str]) -> None:
    """Remove the shards of an older set that the new one does not replace."""
    for path in folder.glob(_SHARD_GLOB):
        if path.name not in keep and path.name.startswith("graph-") and path.name[6:11].isdigit():
            path.unlink(missing_ok=True)

