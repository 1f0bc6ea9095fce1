"""A rerun of a build into the folder of an earlier one: its files patched, not written anew.

:func:`build_by_patching` is what :func:`kg.build_files` tries first when the
output folder has a usable cache and Turtle or N-Triples among its formats:

1. :func:`kg.incremental.rebuild.rebuild` re-reduces the subjects that the
   changed pages touch and splices them into Turtle, N-Triples and the report;
2. the formats made from the whole graph (the explorer, the snapshot ...) are
   kept when nothing they are made of changed (:mod:`kg.incremental.keptfiles`),
   else written from the last build's graph with the touched subjects replaced
   (:mod:`kg.incremental.wholegraph`, read in a thread while the rebuild runs),
   else from a full reduce;
3. the staged files are published together, and what they were made of noted
   for the next rerun (:func:`remember_outputs`).

It returns ``None``, having published nothing, when it cannot patch (too many
pages changed, a damaged index, a duplicate page ...): the caller then builds
in full, and :func:`prime_outputs` indexes what that build writes.
"""

from __future__ import annotations

import contextlib
import datetime
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kg.collector import paused_gc
from kg.errors import IndexDamage
from kg.export import EXPORTERS
from kg.export.provenance import add_files, record_local_build
from kg.export.together import export_build, exporting_ahead
from kg.incremental.datacodec import CodecError
from kg.incremental.filecopy import RangeCopies, copying_meanwhile
from kg.incremental.keptfiles import made_of, remember, unchanged
from kg.incremental.outindex import FORMATS, KindChange, prime
from kg.incremental.outstate import OutputState, save_state, settle_states
from kg.incremental.rebuild import (
    Parse,
    PatchedFiles,
    Rebuilt,
    new_blocks,
    rebuild,
    record_diagnostics,
    spare_path,
    write_patched,
)
from kg.incremental.wholegraph import GRAPH_FILE, PreviousGraph, keep_graph, patch_graph, read_ahead

if TYPE_CHECKING:  # pragma: no cover
    from kg.incremental.cache import PageCache
    from kg.model import KnowledgeGraph
    from kg.parse.options import ParseOptions
    from kg.parse.records import ParsedPage
    from kg.publish import OutputFolder
    from kg.report import BuildReport

__all__ = ["LocalBuild", "Patched", "build_by_patching", "copying_patched", "patched_formats", "prime_outputs",
           "remember_outputs"]


@dataclass(frozen=True, slots=True)
class LocalBuild:
    """What one build into a folder reads and writes.

    ``targets`` are the published paths of its formats, ``staged`` the paths
    it writes them to first (in the output folder's staging folder).
    """

    root: Path
    problems: list[ParsedPage]  # pages that could not be read, with their diagnostics
    files: list[tuple[str, str]]  # (path in the corpus, path on disk) of the pages
    targets: dict[str, Path]
    staged: dict[str, Path]
    base_iri: str
    jobs: int
    reading: ParseOptions


@dataclass(frozen=True, slots=True)
class Patched:
    """What :func:`build_by_patching` published: the report, the whole graph if one was made
    (``None`` when the whole-graph files were kept), and how many pages changed."""

    report: BuildReport
    graph: KnowledgeGraph | None
    changed: int


def patched_formats(build: LocalBuild) -> dict[str, Path]:
    """The formats a rebuild can patch in place (Turtle, N-Triples, the report), with their targets.

    Other formats (html, graphml ...) need the whole graph and are written in
    full; an index left from an earlier set no longer matches its files
    (each one's size, mtime and inode are checked), so it is never used wrongly.
    """
    return {name: build.targets[name] for name, path in build.staged.items()
            if (name in FORMATS or name == "report") and path.suffix != ".gz"}


def build_by_patching(build: LocalBuild, cache: PageCache, folder: OutputFolder, *, parse: Parse,
                      full: Callable[[], KnowledgeGraph]) -> Patched | None:
    """Patch the files of the last build and publish them; ``None`` (having changed nothing) if it cannot.

    ``parse`` maps the changed pages (on the build's cores); ``full`` builds the
    whole graph from every page, should the last build's graph not be there to patch.
    """
    before = cache.version
    patched = patched_formats(build)
    ahead: list[PreviousGraph | None] = []

    def read_ahead_now() -> None:  # pages changed: formats of the whole graph will patch the previous one
        ahead.append(_previous_graph(cache, build, before, thread=True))

    rebuilt = _rebuild(build, cache, patched, parse, folder.staging,
                       read_ahead_now if set(build.staged) - set(patched) else None)
    previous = ahead.pop() if ahead else None
    if rebuilt is None:
        if previous is not None:
            previous.result()  # a full build follows: nothing is left running beside it
        return None
    handed = [rebuilt]  # let go of (the partial graph with it) as soon as the files are spliced
    del rebuilt
    try:
        return _publish_patched(build, cache, folder, patched, handed, previous, before, full)
    except CodecError:  # a damaged or tampered index row, met while splicing: build in full
        return None
    except sqlite3.Error:  # a cache SQLite cannot read, met while splicing: build in full, into a fresh one
        cache.reset()
        return None


def _publish_patched(build: LocalBuild, cache: PageCache, folder: OutputFolder, patched: dict[str, Path],
                     handed: list[Rebuilt], previous: PreviousGraph | None, before: int,
                     full: Callable[[], KnowledgeGraph]) -> Patched:
    """Write the patched files (of ``handed``'s one rebuild) and those made from the whole graph; publish them."""
    try:
        report, graph, changed, whole = _stage_patched(build, cache, patched, handed, previous, before, full)
    except CodecError:
        raise
    except BaseException:
        # Ctrl-C, a full disk ... before the files are published: the cache goes back to the index of
        # the files published last (closing it commits), so that the next build patches those.
        cache.rollback()
        raise
    ready = [p.name for p in build.staged.values() if p.exists()]
    folder.publish(ready, {p.name: spare_path(cache, build.targets[n]) for n, p in build.staged.items()
                           if p.exists() and n in patched and n != "report"})
    remember_outputs(cache, build, whole, report, graph)
    return Patched(report, graph, changed)


def _stage_patched(build: LocalBuild, cache: PageCache, patched: dict[str, Path], handed: list[Rebuilt],
                   previous: PreviousGraph | None, before: int, full: Callable[[], KnowledgeGraph],
                   ) -> tuple[BuildReport, KnowledgeGraph | None, int, dict[str, Path]]:
    """Write the files of :func:`_publish_patched` into the staging folder: the report, the new graph
    (if one was made), the number of changed pages and the formats written from the whole graph."""
    rebuilt = handed.pop()
    # The formats that need the whole graph (the explorer, the snapshot ...) are
    # written anew from it, the unchanged pages' records coming from the cache,
    # unless nothing they are made of changed since they were written.  (The report's
    # counts are still the old files': they differ only where pages changed, and then
    # so did the cache's version, which the digest holds too.)
    digest = made_of(rebuilt.report, build.base_iri, tuple(build.targets), cache.version)
    whole = {name: path for name, path in build.staged.items() if name not in patched
             and not unchanged(cache.connection, name, build.targets[name], digest)}
    changed = rebuilt.changed
    graph = None
    if not whole:
        if previous is not None:
            previous.result()  # read for nothing (the files were kept): let it end
        report, copies = _write_patched(build, cache, rebuilt.files, new_blocks(rebuilt), rebuilt.report)
        with copying_patched(cache, copies):
            pass  # (no file made from the whole graph to write meanwhile)
    else:
        started = datetime.datetime.now(datetime.timezone.utc)
        if previous is None:
            previous = _previous_graph(cache, build, before, thread=False)
        old = None if previous is None else previous.result()  # (handed over: the patch replaces it)
        if old is None:  # not kept (see wholegraph): every cached page's facts are reduced again
            report, copies = _write_patched(build, cache, rebuilt.files, new_blocks(rebuilt), rebuilt.report)
            del rebuilt
            with copying_patched(cache, copies):
                graph = full()
                export_build(graph, whole, jobs=build.jobs)
        else:
            draft = patch_graph(old, rebuilt.delta, rebuilt.report)
            # The new blocks are all that is left to make of the partial graph (at 150,000 events,
            # 1% of pages changed, it held 60,000 events): made now, so that no worker inherits it.
            blocks, files, provisional = list(new_blocks(rebuilt)), rebuilt.files, rebuilt.report
            del old, rebuilt
            # Files that do not read the counts (the explorer) are written from the graph
            # while this process splices the patched files, which settles them.
            early = {name: path for name, path in whole.items() if not EXPORTERS[name].reads_counts}
            with exporting_ahead(draft, early, jobs=build.jobs) as ahead_names:
                report, copies = _write_patched(build, cache, files, blocks, provisional)
                del blocks
                # (the kernel copies the unchanged runs meanwhile)
                with copying_patched(cache, copies):
                    graph = add_files(record_local_build(replace(draft, report=report), started,
                                                         base_iri=build.base_iri, jobs=build.jobs,
                                                         reading=build.reading, cached=True),
                                      build.targets)
                    # (the cores that the workers writing meanwhile leave)
                    export_build(graph, {n: p for n, p in whole.items() if n not in ahead_names},
                                 jobs=max(1, build.jobs - len(ahead_names)))
            del draft
    return report, graph, changed, whole


def remember_outputs(cache: PageCache, build: LocalBuild, written: dict[str, Path], report: BuildReport,
                     graph: KnowledgeGraph | None) -> None:
    """Note what the files just published from the whole graph were made of (see keptfiles),
    and keep that graph for the next rebuild to patch (see wholegraph)."""
    db = cache.db
    if db is None or cache.folder is None:  # the cache failed meanwhile
        return
    try:
        settle_states(db, build.targets.values())  # (their ctime changed as they were renamed into place)
        if not written:
            return
        digest = made_of(report, build.base_iri, tuple(build.targets), cache.version)
        for name in written:
            remember(db, name, build.targets[name], digest)
        if graph is not None:
            with paused_gc():
                keep_graph(db, graph, build.targets["snapshot"] if "snapshot" in written else None, cache.folder,
                           build.base_iri, cache.version)
    except sqlite3.Error:  # damage SQLite notices only now: the files are published, the cache starts afresh
        cache.reset()


def prime_outputs(cache: PageCache, build: LocalBuild, graph: KnowledgeGraph) -> None:
    """Index the files just written in full (still staged), for incremental rebuilds."""
    db = cache.db
    if db is None:  # the cache failed meanwhile: nothing to index into
        return
    try:
        version = cache.version
        for name, path in build.targets.items():
            if name in FORMATS and path.suffix != ".gz":
                prime(db, name, path, graph, version, build.staged[name])
        record_diagnostics(cache, graph.report, build.problems)
    except sqlite3.Error:  # a table SQLite finds damaged only now: the next build fills a fresh cache
        cache.reset()


def _previous_graph(cache: PageCache, build: LocalBuild, before: int, *, thread: bool) -> PreviousGraph | None:
    """The graph of the cached pages before the rebuild, as kept by the last build (read in a thread if asked)."""
    if cache.folder is None:
        return None
    snapshot = build.targets.get("snapshot")
    candidates = [*([snapshot] if snapshot is not None else []), Path(cache.folder, GRAPH_FILE)]
    return read_ahead(cache.connection, candidates, build.base_iri, before, thread=thread)


def _rebuild(build: LocalBuild, cache: PageCache, patched: dict[str, Path], parse: Parse, staging: Path,
             on_change: Callable[[], None] | None) -> Rebuilt | None:
    try:
        return rebuild(build.root, cache, build.files, build.problems, patched, base_iri=build.base_iri,
                       parse=parse, staging=staging, on_change=on_change)
    except (IndexDamage, sqlite3.Error):
        # Damaged (an index that disagrees with itself, bytes SQLite cannot read, or a fresh cache made
        # meanwhile by a part that met the damage): it would stay so under a full build, which fills a
        # cache made anew.
        with contextlib.suppress(sqlite3.Error):
            cache.rollback()
        cache.reset()
        return None
    except CodecError:  # a damaged or tampered row: no exact patch from it, build in full
        cache.rollback()
        return None
    except BaseException:
        cache.rollback()  # back to the rows of the files published last, which are left as they are
        raise


def _write_patched(build: LocalBuild, cache: PageCache, files: PatchedFiles,
                   blocks: Iterable[tuple[str, dict[str, KindChange]]], report: BuildReport,
                   ) -> tuple[BuildReport, list[tuple[OutputState, RangeCopies]]]:
    """Patch the files (see :func:`kg.incremental.rebuild.write_patched`) and write the report; its value,
    and the runs still to copy into the files (:func:`copying_patched`)."""
    try:
        report, copies = write_patched(cache, files, blocks, report)
    except BaseException:
        cache.rollback()  # back to the index of the files published last, which the staged ones do not replace
        raise
    if "report" in build.staged:
        from kg.report import write_report

        write_report(report, build.staged["report"])
    return report, copies


@contextmanager
def copying_patched(cache: PageCache, copies: Sequence[tuple[OutputState, RangeCopies]]) -> Iterator[None]:
    """Copy the unchanged runs into the patched files while the block runs; then note each file's state
    (:func:`~kg.incremental.rebuild.write_patched` gives it) as the file now is (the copies changed its mtime)."""
    with copying_meanwhile([c for _, c in copies]):
        yield
    for state, copied in copies:
        save_state(cache.connection, OutputState.of(state.format, state.path, state.header, state.base_iri,
                                                    state.version, state.totals, copied.target))
