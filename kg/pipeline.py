"""The whole pipeline, corpus folder to graph: read -> parse -> build.

Parsing is the costly stage and each page parses on its own, so it runs in a
process pool (one markdown-it parser per process, pages sent in chunks).
With a cache folder, pages whose bytes did not change since the last build
are taken from :class:`~kg.cache.PageCache` instead of being parsed again.
Whatever the route, the records are the same, so the graph is the same.
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
from functools import lru_cache, partial
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.builder import build_graph, paused_gc
from kg.model import DEFAULT_BASE_IRI, KnowledgeGraph
from kg.parse import parse_page
from kg.publish import OutputFolder, output_error
from kg.read import corpus_root, iter_page_files, prefetch, read_page, safe_name
from kg.records import ParsedPage
from kg.report import BuildReport

__all__ = ["build", "build_files", "BuildResult", "parse_file", "default_jobs", "CHUNK_PAGES",
           "DEFAULT_FORMATS", "dump_record"]

#: Pages sent to a worker at once: big enough to amortise the hand-over,
#: small enough to keep both cores busy to the end and the bar moving.
CHUNK_PAGES = 128

_Row = tuple[str, str, str, bytes]  # (path, digest, stat signature, pickled ParsedPage)


@lru_cache(maxsize=1)
def _record_reducers() -> dict:
    """Pickle the record classes as ``cls(*fields)``.

    Slotted dataclasses otherwise pickle through a ``__getstate__`` that
    looks their fields up on every object: loading a page was mostly that.
    """
    from kg import records
    from kg.diagnostics import Diagnostic

    table = copyreg.dispatch_table.copy()
    for cls in (records.PageKey, records.SourceItem, records.ImageItem, records.RelatedItem,
                records.DayEntry, records.EventPage, records.DayPage, records.ParsedPage, Diagnostic):
        names = [f.name for f in dataclasses.fields(cls) if f.init]
        assert len(names) == len(dataclasses.fields(cls)), f"{cls.__name__} has a field not set by __init__"
        table[cls] = _reducer(cls, names)
    return table


def _reducer(cls: type, names: list[str]):
    get = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (cls, (get(obj),))
    return lambda obj: (cls, get(obj))


def dump_record(page: ParsedPage) -> bytes:
    """Pickle a parsed page compactly, to hand it from a worker to this process.

    Only for that hand-over between this program's own processes: nothing
    pickled is ever stored (the cache keeps JSON, see :mod:`kg.datacodec`).

    Examples
    --------
    >>> from pathlib import Path
    >>> rel = "news/2015/09/1/index.md"
    >>> page = parse_file(rel, Path("examples/wcep-2015-09") / rel)
    >>> pickle.loads(dump_record(page)) == page
    True
    """
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _record_reducers()
    pickler.dump(page)
    return buf.getvalue()


def parse_file(rel: str, real: Path, *, fast_parse: bool = False) -> ParsedPage:
    """Read, decode and parse one page file; problems become diagnostics."""
    return _parse(rel, real, fast_parse)[1]


def _parse(rel: str, real: Path, fast_parse: bool = False, walked: bool = False) -> tuple[str, ParsedPage]:
    page_file = read_page(rel, real, walked=walked)
    if page_file.text is None:
        return page_file.digest, ParsedPage(rel, None, page_file.diagnostics)
    parsed = parse_page(page_file.text, rel, fast=fast_parse)
    return page_file.digest, ParsedPage(rel, parsed.page, page_file.diagnostics + parsed.diagnostics)


def _parse_chunk(chunk: list[tuple[str, str]], fast_parse: bool = False) -> list[_Row]:
    """Worker: parse a chunk of pages; records travel back pickled once.

    The stat signature is taken before the bytes are read: a file changed in
    between looks changed at the next build.
    """
    from kg.cache import stat_signature

    prefetch(real for _, real in chunk)
    rows = []
    for rel, real in chunk:
        stat = stat_signature(real) or ""
        digest, parsed = _parse(rel, real, fast_parse, walked=True)  # a real path from the walk
        rows.append((rel, digest, stat, dump_record(parsed)))
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


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _parse_all(todo: list[tuple[str, str]], jobs: int, bar, fast_parse: bool) -> Iterator[_Row]:
    """Parse pages, in a pool when there is enough work; yield rows in input order."""
    chunks = list(_chunks(todo, CHUNK_PAGES))
    if jobs <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            rows = _parse_chunk(chunk, fast_parse)
            bar.update(len(rows))
            yield from rows
        return
    # fork where there is one: workers start at once with the parser imported.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods and sys.platform == "linux" else None)
    # Workers collect as usual (markdown-it's state objects do hold cycles),
    # even when forked from a caller that paused the collector.
    import gc

    with context.Pool(min(jobs, len(chunks)), initializer=_worker_setup) as pool:
        for rows in pool.imap(partial(_parse_chunk, fast_parse=fast_parse), chunks):
            bar.update(len(rows))
            yield from rows


def _worker_setup() -> None:
    import gc

    from kg.publish import ignore_interrupts

    gc.enable()
    ignore_interrupts()  # the parent ends the pool on Ctrl-C; workers print no traceback


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(total: int, show: bool):
    if not show or total == 0 or not sys.stderr.isatty():
        return _NoBar()
    try:
        from tqdm import tqdm
    except ImportError:  # the "progress" extra is optional
        return _NoBar()
    return tqdm(total=total, unit="page", desc="kg: parsing", file=sys.stderr,
                mininterval=0.5, smoothing=0.1)


def build(corpus: str | os.PathLike[str], *, base_iri: str = DEFAULT_BASE_IRI,
          jobs: int | None = None, cache_dir: str | os.PathLike[str] | None = None,
          progress: bool = False, fast_parse: bool = False) -> KnowledgeGraph:
    """Build the knowledge graph of a corpus folder.

    Parameters
    ----------
    corpus : path
        The folder that holds ``news/`` (or the ``news`` folder itself).
    base_iri : str
        Base of the data IRIs; must end with ``/`` or ``#``.
    jobs : int, optional
        Processes that parse pages; default all cores, ``1`` parses in this
        process.  The result does not depend on it.
    cache_dir : path, optional
        A folder for the incremental cache (see :mod:`kg.cache`); a rebuild
        then parses only the pages that changed or are new.  Default: no cache.
    progress : bool
        Show a progress bar with pages/s on stderr (only on a terminal).
    fast_parse : bool
        Read pages written exactly in the site's canonical form with a
        line reader instead of markdown-it (about three times cheaper per
        page); any page with the least markdown oddity still goes to
        markdown-it.  Off by default: markdown-it is the reference reading,
        and the test suite proves both give identical records.

    Returns
    -------
    KnowledgeGraph

    Raises
    ------
    CorpusNotFoundError
        If ``corpus`` is not a folder.

    Examples
    --------
    >>> g = build("examples/wcep-2015-09")
    >>> g.report.counts["related_links"], g.report.counts["event_context_pairs"]
    (1925, 687)
    >>> g.report.diagnostics
    ()
    >>> import tempfile
    >>> build("examples/wcep-2015-09", jobs=1, cache_dir=tempfile.mkdtemp()) == g
    True
    """
    from kg.iri import check_base_iri

    check_base_iri(base_iri)
    root = corpus_root(corpus)
    with paused_gc():  # a tuple per file, and no cycle among them for the collector to find
        problems, files = _walk(root)
    cache = _open_cache(cache_dir)
    try:
        return _build_all(root, problems, files, cache, base_iri, _jobs(jobs), progress, fast_parse)
    finally:
        if cache is not None:
            cache.close()


def _jobs(jobs: int | None) -> int:
    return default_jobs() if jobs is None else max(1, int(jobs))


def _walk(root: Path) -> tuple[list[ParsedPage], list[tuple[str, str]]]:
    """The walk's problems (as diagnostics-only records) and the page files to read."""
    found: dict[str, list] = {}  # one record per path, all its problems (a FIFO with an odd name: two)
    files: list[tuple[str, str]] = []
    for rel, real, problem in iter_page_files(root):
        if problem is not None:
            found.setdefault(rel, []).append(problem)
        elif real is not None:
            files.append((rel, real))
    return [ParsedPage(rel, None, tuple(ds)) for rel, ds in found.items()], files


def _open_cache(cache_dir: str | os.PathLike[str] | None):
    if cache_dir is None:
        return None
    from kg.cache import PageCache

    return PageCache.open(cache_dir)


def _build_all(root: Path, problems: list[ParsedPage], files: list[tuple[str, str]], cache,
               base_iri: str, jobs: int, progress: bool, fast_parse: bool) -> KnowledgeGraph:
    """Parse (or take from the cache) every page and build the graph; the cache stays open."""
    import datetime

    started = datetime.datetime.now(datetime.timezone.utc)
    parsed: dict[str, ParsedPage] = {p.path: p for p in problems}
    todo = files
    if cache is not None:
        with paused_gc():
            hits = cache.cached(dict(todo))
        parsed.update(hits)
        todo = [item for item in todo if item[0] not in hits]

    bar = _progress_bar(len(todo), progress)
    loads = pickle.loads  # the hand-over from our own workers in this run; never read from disk
    fresh: list[tuple] = []
    try:
        with paused_gc():  # millions of acyclic records: nothing for the collector to find
            for rel, digest, stat, record in _parse_all(todo, jobs, bar, fast_parse):
                page = parsed[rel] = loads(record)
                if cache is not None and digest and stat:
                    fresh.append((rel, digest, stat, record, page))
    finally:
        bar.close()
    if cache is not None:
        with paused_gc():
            cache.store(fresh)
        cache.forget_except(set(parsed))
    graph = build_graph(parsed.values(), base_iri=base_iri, corpus=safe_name(root.name)[0])
    # The record of this build, described (PROV-O) beside the N-Quads and TriG output.
    from kg.provenance import record_build

    record_build(graph, started, graph.report.corpus, {"base": base_iri, "jobs": jobs,
                                                       "fast_parse": fast_parse, "cache": cache is not None})
    return graph


#: What ``kg build`` writes unless told otherwise.
DEFAULT_FORMATS = ("turtle", "report", "html", "snapshot")


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What :func:`build_files` did.

    ``graph`` is the built graph, or ``None`` when the files were brought up
    to date incrementally (then no whole graph was ever held); ``incremental``
    says which.
    """

    report: BuildReport
    files: tuple[Path, ...]
    graph: KnowledgeGraph | None = None
    incremental: bool = False


def build_files(corpus: str | os.PathLike[str], output: str | os.PathLike[str],
                formats: Sequence[str] = DEFAULT_FORMATS, *, base_iri: str = DEFAULT_BASE_IRI,
                jobs: int | None = None, cache_dir: str | os.PathLike[str] | None = None,
                progress: bool = False, fast_parse: bool = False, gzip: bool = False) -> BuildResult:
    """Build a corpus into files: what ``kg build`` does.

    With a ``cache_dir``, a rebuild that writes only Turtle, N-Triples
    (uncompressed) and the report is incremental: the pages that changed
    since the last build are parsed, the subjects they touch are made again
    from the pages they depend on, and the files are patched in place of
    being written anew (see :mod:`kg.incremental`).  The files are the same,
    byte for byte, as a full build's.  Anything else builds the whole graph
    (still taking unchanged pages from the cache).

    Either way the files are written into a private staging folder inside
    ``output`` and published together at the end (:mod:`kg.publish`): the
    previous set stays whole until then, an interrupted build leaves it
    as it was, and a second build into the same folder meanwhile fails with
    :class:`~kg.errors.OutputLockedError`.

    Parameters
    ----------
    corpus, base_iri, jobs, cache_dir, progress, fast_parse
        As for :func:`build`.
    output : path
        Folder for the files, made if missing; each format has its usual
        name there (``graph.ttl``, ``report.json``, see :data:`kg.export.EXPORTERS`).
    formats : sequence of str
        Exporter names.
    gzip : bool
        Compress Turtle and N-Triples (``.gz``).

    Returns
    -------
    BuildResult

    Raises
    ------
    CorpusNotFoundError
        If ``corpus`` is not a folder.
    OutputError
        If ``output`` cannot be written (a file in its place, no permission,
        a full disk); :class:`~kg.errors.OutputLockedError` if another build
        is writing to it.

    Examples
    --------
    >>> import tempfile
    >>> out, cache = tempfile.mkdtemp(), tempfile.mkdtemp()
    >>> first = build_files("examples/wcep-2015-09", out, ("turtle", "report"), cache_dir=cache)
    >>> first.incremental, [p.name for p in first.files]
    (False, ['graph.ttl', 'report.json'])
    >>> again = build_files("examples/wcep-2015-09", out, ("turtle", "report"), cache_dir=cache)
    >>> again.incremental, again.report.counts == first.report.counts
    (True, True)
    """
    from kg.errors import OutputError, UnknownFormatError
    from kg.export import EXPORTERS
    from kg.iri import check_base_iri

    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown:
        raise UnknownFormatError(f"unknown format(s) {unknown}; known: {sorted(EXPORTERS)}")
    check_base_iri(base_iri)
    root = corpus_root(corpus)
    out = Path(output)
    names = {}
    for name in dict.fromkeys(formats):
        compress = gzip and name in ("turtle", "ntriples")
        names[name] = EXPORTERS[name].filename + (".gz" if compress else "")
    targets = {name: out / filename for name, filename in names.items()}
    jobs = _jobs(jobs)
    with OutputFolder(out) as folder:  # locked, cleaned of a killed build's leftovers
        with paused_gc():  # a tuple per file, and no cycle among them for the collector to find
            problems, files = _walk(root)
        staged = {name: folder.staged(filename) for name, filename in names.items()}
        cache = _open_cache(cache_dir)
        try:
            try:
                result = _build_into(root, cache, problems, files, targets, staged, base_iri, jobs,
                                     progress, fast_parse, folder)
            except OutputError:
                raise
            except OSError as err:  # writing the files: a full disk, a folder made read-only ...
                raise output_error(err, out) from err
        finally:
            if cache is not None:
                cache.close()  # after publication: the index it holds is of the published files
        return result


def _build_into(root: Path, cache, problems: list[ParsedPage], files: list[tuple[str, str]],
                targets: dict[str, Path], staged: dict[str, Path], base_iri: str, jobs: int,
                progress: bool, fast_parse: bool, folder: OutputFolder) -> BuildResult:
    """Build into the staging folder and publish; see :func:`build_files`."""
    files_written = tuple(targets.values())
    if cache is not None and cache.usable and all(not p.name.endswith(".gz") for p in staged.values()):
        report = _rebuild(root, cache, problems, files, targets, base_iri, jobs, progress, fast_parse,
                          folder.staging)
        if report is not None:
            if "report" in staged:
                from kg.report import write_report

                write_report(report, staged["report"])
            from kg.incremental import spare_path

            ready = [p.name for p in staged.values() if p.exists()]
            folder.publish(ready, {p.name: spare_path(cache, targets[n]) for n, p in staged.items()
                                   if p.exists() and n != "report"})
            return BuildResult(report, files_written, None, True)
    graph = _build_all(root, problems, files, cache, base_iri, jobs, progress, fast_parse)
    from kg.export import export
    from kg.provenance import add_options

    add_options(graph, {"formats": ",".join(targets), "gzip": any(p.suffix == ".gz" for p in staged.values())})
    for name, path in staged.items():
        export(graph, path, name, **({"gzip": True} if path.suffix == ".gz" else {}))
    if cache is not None and cache.usable:
        _prime(cache, graph, targets, staged, problems)
    folder.publish([p.name for p in staged.values()])
    return BuildResult(graph.report, files_written, graph, False)


def _rebuild(root, cache, problems, files, targets, base_iri, jobs, progress, fast_parse, staging):
    from kg.incremental import rebuild

    def parse(todo: list[tuple[str, str]]) -> list[_Row]:
        bar = _progress_bar(len(todo), progress and len(todo) > CHUNK_PAGES)
        try:
            return list(_parse_all(todo, jobs, bar, fast_parse))
        finally:
            bar.close()

    from kg.datacodec import CodecError

    try:
        return rebuild(root, cache, files, problems, targets, base_iri=base_iri, parse=parse, staging=staging)
    except CodecError:  # a damaged or tampered row: no exact patch from it, build in full
        cache.rollback()
        return None
    except BaseException:
        cache.rollback()  # the files may be half done: their index no longer matches, so
        raise             # the next build is a full one


def _prime(cache, graph: KnowledgeGraph, targets: dict[str, Path], staged: dict[str, Path],
           problems: list[ParsedPage]) -> None:
    """Index the files just written in full (still staged), for incremental rebuilds."""
    from kg.incremental import record_diagnostics
    from kg.outindex import FORMATS, prime

    version = cache.version
    for name, path in targets.items():
        if name in FORMATS and path.suffix != ".gz":
            prime(cache.db, name, path, graph, version, staged[name])
    record_diagnostics(cache, graph, [p.path for p in problems])
