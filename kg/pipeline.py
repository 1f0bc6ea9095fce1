"""The whole pipeline, corpus folder to graph or files: read -> parse -> build -> write.

:func:`build` makes the graph of a corpus in memory (:mod:`kg.graphbuild`:
each page parsed in a process pool, or taken from the page cache when its
bytes did not change since the last build).  :func:`build_files` makes its
files with one of :data:`ENGINES`: on this machine's cores (a full build,
partitioned when it is large, or a rerun that patches the last build's files:
:mod:`kg.incremental.patching`), or on a Dask cluster (:mod:`kg.distributed`).
Whatever the route, the records are the same, so the graph is the same.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from kg.arguments import whole_number
from kg.buildresult import BuildRequest, BuildResult
from kg.collector import paused_gc
from kg.errors import ArgumentError
from kg.facts.executors import CHUNK_PAGES, MapRow, run_map, walk_corpus
from kg.graphbuild import STORE_BATCH, build_walked, job_count, open_cache
from kg.keywords import checks_keywords
from kg.model import DEFAULT_BASE_IRI, KnowledgeGraph
from kg.parse.commanames import CommaNames
from kg.parse.options import ParseOptions
from kg.parse.records import ParsedPage
from kg.progress import progress_bar
from kg.publish import OutputFolder, output_error
from kg.read.files import corpus_root

if TYPE_CHECKING:  # pragma: no cover
    from kg.incremental.cache import PageCache
    from kg.incremental.patching import LocalBuild

__all__ = ["build", "build_files", "BuildResult", "BuildRequest", "DEFAULT_FORMATS", "CACHE_FOLDER", "ENGINES"]


@checks_keywords
def build(corpus: str | os.PathLike[str], *, base_iri: str = DEFAULT_BASE_IRI,
          jobs: int | None = None, cache_dir: str | os.PathLike[str] | None = None,
          progress: bool = False, fast_parse: bool = True,
          comma_names: CommaNames | Iterable[str] | None = None) -> KnowledgeGraph:
    """Build the knowledge graph of a corpus folder.

    Parameters
    ----------
    corpus : path
        The folder that holds ``news/`` (or the ``news`` folder itself).
    base_iri : str, default DEFAULT_BASE_IRI
        Base of the data IRIs; must end with ``/`` or ``#``.
    jobs : int, optional
        Processes that parse pages; default all cores, ``1`` parses in this
        process.  The result does not depend on it.
    cache_dir : path, optional
        A folder for the incremental cache (see :mod:`kg.incremental.cache`); a rebuild
        then parses only the pages that changed or are new.  Default: no cache.
    progress : bool, default False
        Show a progress bar with pages/s on stderr (only on a terminal).
    fast_parse : bool, default True
        Read pages written exactly in the site's canonical form with a
        line reader (:mod:`kg.parse.canonical`, about a third of
        markdown-it's cost per page); any page with the least markdown
        oddity still goes to markdown-it.  The test suite proves both routes
        give identical records, on every page of the corpora and on pages
        made to trip the reader.  ``False`` reads every page with
        markdown-it, the reference reading.
    comma_names : iterable of str, optional
        The context names that hold a comma ("Hildale, Utah"), which a
        Related line's list, cut at its commas, cannot tell from two
        (:func:`kg.read_comma_names` reads them from a file, one a line):
        where a list's parts side by side make one, it is one context.
        Default none: every list is cut at each comma, as the format reads it.

    Returns
    -------
    KnowledgeGraph
        The graph; its ``report`` says what was read and what could not be.

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
    if jobs is not None:
        jobs = whole_number(jobs, "jobs", 1)  # refused as build_files refuses it, not read as 1
    root = corpus_root(corpus)
    with paused_gc():  # a tuple per file, and no cycle among them for the collector to find
        problems, files = walk_corpus(root)
    reading = ParseOptions(fast_parse, CommaNames.given(comma_names))
    _check_outside_the_pages(root, cache_dir)
    cache = open_cache(cache_dir, variant=reading.facts_key)
    try:
        return build_walked(root, problems, files, cache, base_iri, job_count(jobs), progress, reading)
    finally:
        if cache is not None:
            cache.close()


#: The cache's folder inside the output folder, unless the caller names another.
CACHE_FOLDER = ".kg"

#: What ``kg build`` writes unless told otherwise.
DEFAULT_FORMATS = ("turtle", "report", "html", "snapshot")


@checks_keywords
def build_files(corpus: str | os.PathLike[str], output: str | os.PathLike[str],
                formats: Sequence[str] | None = None, *, base_iri: str = DEFAULT_BASE_IRI,
                jobs: int | None = None, cache_dir: str | os.PathLike[str] | None = None,
                cache: bool = True, progress: bool = False, fast_parse: bool = True,
                comma_names: CommaNames | Iterable[str] | None = None, gzip: bool = False,
                engine: str = "local", client: object = None, scheduler: str | None = None, workers: int | None = None,
                partitions: int | None = None) -> BuildResult:
    """Build a corpus into files: what ``kg build`` does.

    ``engine`` names one of :data:`ENGINES`: ``"local"`` (this machine's
    cores, the files below) or ``"dask"``, which runs the same map/reduce on
    a Dask cluster (``client``, else one at ``scheduler``, else a local
    cluster of ``workers`` processes) and writes one sorted N-Triples shard
    per reduce partition (``partitions``, default one per 8,000 pages),
    ``report.json`` and ``manifest.json``; ``corpus`` and ``output`` may then
    be fsspec URLs (``s3://...``).  See :mod:`kg.distributed`.

    What a rebuild reuses is kept in ``output/.kg`` (:data:`CACHE_FOLDER`)
    unless ``cache_dir`` names another folder or ``cache`` is false.  A
    rebuild is incremental for Turtle, N-Triples (uncompressed) and the
    report: the pages that changed since the last build are parsed, the
    subjects they touch are made again from the pages they depend on, and
    those files are patched in place of being written anew (see
    :mod:`kg.incremental.rebuild`).  Formats that need the whole graph
    (html, snapshot, graphml ...) are then written from it: the last
    build's graph (its snapshot) with the touched subjects replaced
    (:mod:`kg.incremental.wholegraph`), else reduced from the cached facts;
    or they are kept as they are when no page changed since
    (:mod:`kg.incremental.keptfiles`).  The files are the same, byte for
    byte, as a full build's.  When no file can be patched, the whole graph is built (still
    taking unchanged pages from the cache).

    A full build that writes Turtle, N-Triples and the report only reduces
    partition by partition on all cores, spilling to disk, when ``partitions``
    is given or the corpus has :data:`PARTITIONED_MIN_PAGES` pages or more:
    memory then stays bounded by a partition's size, and the files (and the
    cache) are the same (:mod:`kg.distributed.local`).

    Either way the files are written into a private staging folder inside
    ``output`` and published together at the end (:mod:`kg.publish`): the
    previous set stays whole until then, an interrupted build leaves it
    as it was, and a second build into the same folder meanwhile fails with
    :class:`~kg.errors.OutputLockedError`.

    Parameters
    ----------
    corpus, base_iri, jobs, progress, fast_parse, comma_names
        As for :func:`build`.
    cache_dir : path, optional
        Where to keep the cache; default ``output/.kg``.
    cache : bool, default True
        ``False`` keeps no cache: every build is a full one.
    output : path
        Folder for the files, made if missing; each format has its usual
        name there (``graph.ttl``, ``report.json``, see :data:`kg.export.EXPORTERS`).
    formats : sequence of str, optional
        Exporter names (or one string of them, comma-separated); default
        :data:`DEFAULT_FORMATS` (the dask engine: :data:`DASK_FORMATS`, all it writes),
        which ``"default"`` names among others too: ``"default,graphml"``.
    gzip : bool, default False
        Compress Turtle and N-Triples (``.gz``).
    engine : {"local", "dask"}, default "local"
        Where the build runs: this machine's cores, or a Dask cluster.
    client : dask.distributed.Client, optional
        The dask engine's cluster, already connected.
    scheduler : str, optional
        The dask engine's scheduler address, when no ``client`` is given.
    workers : int, optional
        Processes of the local Dask cluster started when neither ``client`` nor ``scheduler`` is given.
    partitions : int, optional
        Reduce partitions: the dask engine's shards (default one per 8,000 pages), or, for the local
        engine, a partitioned reduce (default: only for :data:`PARTITIONED_MIN_PAGES` pages or more).

    Returns
    -------
    BuildResult
        The files written, the build report, and the graph where one was built whole.

    Raises
    ------
    CorpusNotFoundError
        If ``corpus`` is not a folder.
    ArgumentError
        If ``formats`` names none, or ``jobs``, ``workers`` or ``partitions`` is under 1; if
        ``partitions`` is given to the local engine with a format it cannot merge.
    OutputError
        If ``output`` cannot be written (a file in its place, no permission,
        a full disk); :class:`~kg.errors.OutputLockedError` if another build
        is writing to it.

    Examples
    --------
    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> first = build_files("examples/wcep-2015-09", out, ("turtle", "report"))
    >>> first.incremental, [p.name for p in first.files]
    (False, ['graph.ttl', 'report.json'])
    >>> again = build_files("examples/wcep-2015-09", out, ("turtle", "report"))
    >>> again.incremental, again.report.counts == first.report.counts
    (True, True)
    """
    from kg.export import format_names

    run = ENGINES.get(engine)
    if run is None:
        raise ArgumentError(f"unknown engine {engine!r}; known: {', '.join(sorted(ENGINES))}")
    if isinstance(formats, str):  # "turtle,report", as the command line takes it (not t, u, r ...)
        written, formats = formats, [f.strip() for f in formats.split(",") if f.strip()]
        if formats and len(formats) != written.count(",") + 1:  # ("turtle,,report": a name left out?)
            raise ArgumentError(f"an empty name in formats {written!r}: one comma between two names, "
                                f"none at either end ({','.join(formats)!r})")
    if formats is not None and not formats:
        raise ArgumentError("no format to write: name one or more (or leave formats out for the default)")
    if formats is not None:  # any case, a misspelt one guessed at: for every engine
        formats = format_names(formats, default={"dask": DASK_FORMATS}.get(engine, DEFAULT_FORMATS))
    # (numpy's integers too, as plain ints from here on)
    jobs, workers, partitions = (None if n is None else whole_number(n, name, 1)
                                 for name, n in (("jobs", jobs), ("workers", workers), ("partitions", partitions)))
    for name, path in (("output", output), ("cache_dir", cache_dir)):
        if isinstance(path, str) and not path:  # (an unset variable: it would mean this folder)
            raise ArgumentError(f"{name} is an empty path: name the folder, '.' for this one")
    _check_output_is_no_file_name(output)
    return run(BuildRequest(corpus, output, None if formats is None else tuple(formats), base_iri, jobs,
                            cache_dir, cache, progress, ParseOptions(fast_parse, CommaNames.given(comma_names)), gzip,
                            client, scheduler, workers, partitions))


def _local_engine(request: BuildRequest) -> BuildResult:
    """The build on this machine's cores: every format, incremental where it can be."""
    given = [n for n, v in (("client=", request.client), ("scheduler= (--scheduler)", request.scheduler),
                            ("workers= (--workers)", request.workers)) if v is not None and v != ""]
    if given:  # (named as given, in the library's words and the command line's)
        raise ArgumentError(f"{' and '.join(given)}: for engine='dask' (--engine dask)")
    formats = DEFAULT_FORMATS if request.formats is None else request.formats
    if request.partitions is not None:
        from kg.distributed.local import PARTITIONED_FORMATS

        other = [name for name in formats if name not in PARTITIONED_FORMATS]
        if other:
            raise ArgumentError(f"the partitioned reduce (--partitions) writes {', '.join(sorted(PARTITIONED_FORMATS))}"
                                f", not {', '.join(other)}")
    return _build_local(request.corpus, request.output, formats,
                        base_iri=request.base_iri, jobs=request.jobs, cache_dir=request.cache_dir,
                        cache=request.cache, progress=request.progress, reading=request.reading,
                        gzip=request.gzip, partitions=request.partitions)


def _left_over(output: Path, written: Sequence[Path | str]) -> tuple[Path, ...]:
    """The files of kg's formats in ``output`` that a build did not write (an earlier one's)."""
    from kg.export import EXPORTERS

    names = {Path(p).name for p in written}
    return tuple(sorted(output / name for e in EXPORTERS.values() for name in (e.filename, e.filename + ".gz")
                        if name not in names and (output / name).exists()))


def _check_output_is_no_file_name(output: str | os.PathLike[str]) -> None:
    """Refuse a new output folder named as a file of one of kg's formats (``-o graph.ttl`` would make a
    folder ``graph.ttl/`` holding ``graph.ttl``); a name ending in ``/``, or a folder already there, is taken."""
    from kg.export import EXPORTERS

    text = os.fspath(output)
    name = text.rsplit("/", 1)[-1].lower() if isinstance(text, str) else ""
    if not name or os.path.lexists(text):
        return
    exporter = next((e for e in EXPORTERS.values() for suffix in e.suffixes if name.endswith(suffix)), None)
    if exporter is not None:
        raise ArgumentError(f"the output is the folder the files are written in, and {text!r} is named as kg's "
                            f"{exporter.name} output is ({exporter.filename}, written in the folder): name a folder "
                            "('out', say), or make the folder first (or, on the command line, end its name with /) "
                            "where a folder so named is meant")


def _check_outside_the_pages(root: Path, folder: str | os.PathLike[str] | None) -> None:
    """Refuse an output or cache folder inside the corpus's ``news/``: its files would lie among the pages.

    (The walk passes them over, but a corpus is somebody's data: it is not kg's to write in.)
    """
    from kg.errors import OutputError

    if folder is None:
        return
    news = Path(os.path.realpath(root / "news"))  # (a news/ that is a link: where its pages are)
    where = Path(os.path.realpath(folder))
    if where == news or news in where.parents:
        raise OutputError(f"cannot write {os.fspath(folder)}: it is inside the corpus's news/ folder ({news}), "
                          "among its pages: choose a folder outside news/")


#: What the distributed engine writes (always: its shards are N-Triples, gzipped).
DASK_FORMATS = ("ntriples", "report")


def _dask_engine(request: BuildRequest) -> BuildResult:
    """The build on a Dask cluster, into N-Triples shards (:mod:`kg.distributed`)."""
    from kg.errors import MissingExtraError
    from kg.iri import check_base_iri

    other = [f for f in request.formats or () if f not in DASK_FORMATS]
    if other:
        raise ArgumentError(f"the dask engine writes N-Triples shards and the report only (ntriples, report), "
                            f"not {', '.join(other)}")
    # Shards are always gzipped (so --gzip changes nothing) and the engine keeps no cache (so
    # --no-cache changes nothing); a number of local jobs or a cache folder would be ignored.
    if request.jobs is not None or request.cache_dir is not None:
        raise ArgumentError("--jobs and --cache are for the local engine; with engine='dask' "
                            "use --workers (or a cluster's own workers)")
    check_base_iri(request.base_iri)
    try:
        import distributed  # noqa: F401  # the extra, checked before any work
    except ImportError as err:
        raise MissingExtraError("the dask engine needs dask.distributed: pip install 'kg[dask]'") from err
    from kg.distributed.job import build_sharded

    if "://" not in os.fspath(request.output) and os.path.isdir(request.corpus):  # (a URL's: not this machine's)
        _check_outside_the_pages(corpus_root(request.corpus), request.output)
    done = build_sharded(request.corpus, request.output, base_iri=request.base_iri, client=request.client,
                         scheduler=request.scheduler, workers=request.workers, partitions=request.partitions,
                         progress=request.progress, reading=request.reading)
    files = tuple(name if "://" in name else Path(name) for name in done.files)
    return BuildResult(done.report, files)


#: Engines of :func:`build_files`, by name.
ENGINES: dict[str, Callable[[BuildRequest], BuildResult]] = {
    "local": _local_engine,
    "dask": _dask_engine,
}


def _build_local(corpus: str | os.PathLike[str], output: str | os.PathLike[str], formats: Sequence[str], *,
                 base_iri: str, jobs: int | None, cache_dir: str | os.PathLike[str] | None, cache: bool,
                 progress: bool, reading: ParseOptions, gzip: bool, partitions: int | None = None) -> BuildResult:
    from kg.errors import OutputError
    from kg.export import EXPORTERS, format_names
    from kg.iri import check_base_iri

    formats = format_names(formats)
    check_base_iri(base_iri)
    root = corpus_root(corpus)
    out = Path(output)
    for given in (output, cache_dir if cache else None):
        _check_outside_the_pages(root, given)
    names = {}
    for name in dict.fromkeys(formats):
        compress = gzip and name in ("turtle", "ntriples")
        names[name] = EXPORTERS[name].filename + (".gz" if compress else "")
    targets = {name: out / filename for name, filename in names.items()}
    for name, target in targets.items():
        EXPORTERS[name].check_target(target)
    jobs = job_count(jobs)
    with OutputFolder(out, own=(CACHE_FOLDER,) if cache and cache_dir is None else ()) as folder:  # locked, cleaned
        with paused_gc():  # a tuple per file, and no cycle among them for the collector to find
            problems, files = walk_corpus(root)
        staged = {name: folder.staged(filename) for name, filename in names.items()}
        partitioned = partitions is not None or _partitioned_by_default(formats, len(files))
        store = open_cache((out / CACHE_FOLDER if cache_dir is None else cache_dir) if cache else None,
                           follow_link=cache_dir is not None, variant=reading.facts_key)
        try:
            from kg.incremental.keptfiles import edited_since_published

            edited = edited_since_published(store.connection, targets.values()) \
                if store is not None and store.usable else ()
            staging = str(folder.staging)
            try:
                result = _build_into(root, store, problems, files, targets, staged, base_iri, jobs,
                                     progress, reading, folder, partitioned, partitions)
            except OutputError as err:  # (named where it is published: the staging folder goes with the error)
                if staging not in str(err):
                    raise
                raise type(err)(str(err).replace(staging, str(out))) from err
            except OSError as err:  # writing the files: a full disk, a folder made read-only ...
                raise output_error(err, out) from err
            left_over = _left_over(out, result.files)
            if store is not None and store.usable:
                # What is published now is made from the pages as they are; what an earlier build with
                # other formats left is up to date too if they have not changed since it was published.
                import sqlite3

                from kg.incremental.keptfiles import graph_state, remember_published, still_current

                try:
                    state = graph_state(base_iri, store.version)
                    remember_published(store.connection, result.files, state)
                    left_over = tuple(p for p in left_over if not still_current(store.connection, p, state))
                except sqlite3.Error:  # (a cache that fails now costs the next rerun its work, not this build)
                    store.rollback()
        finally:
            if store is not None:
                store.close()  # after publication: the index it holds is of the published files
        result = replace(result, left_over=left_over, edited=edited)
        if store is not None and store.unused is not None:
            result = replace(result, cache_unused=store.unused)
        return result


#: A full build of this many pages or more, writing only the formats that partitions' runs of
#: subjects are merged into, reduces partition by partition (:mod:`kg.distributed.local`).
PARTITIONED_MIN_PAGES = 20_000


def _partitioned_by_default(formats: Sequence[str], pages: int) -> bool:
    from kg.distributed.local import PARTITIONED_FORMATS

    return pages >= PARTITIONED_MIN_PAGES and set(formats) <= PARTITIONED_FORMATS


def _build_partitioned(plan: LocalBuild, cache: PageCache | None, folder: OutputFolder, *, parts: int | None,
                       progress: bool, gzip: bool) -> BuildResult:
    """The full build by the partitioned reduce, its shuffles spilled into the staging folder; the cache
    (if any) filled and given the written files' index, as by an in-memory full build."""
    from kg.distributed.local import build_partitioned
    from kg.incremental.patching import patched_formats, remember_outputs

    keep = cache if cache is not None and cache.usable else None
    report = build_partitioned(plan.root, plan.problems, plan.files, plan.staged, folder.staging / "spill",
                               base_iri=plan.base_iri, jobs=plan.jobs, parts=parts, reading=plan.reading,
                               gzip=gzip, progress=progress, cache=keep, published=plan.targets, batch=STORE_BATCH)
    folder.publish([p.name for p in plan.staged.values()])
    if keep is not None:
        patched = patched_formats(plan)
        remember_outputs(keep, plan, {n: p for n, p in plan.staged.items() if n not in patched}, report, None)
    return BuildResult(report, tuple(plan.targets.values()))


def _build_into(root: Path, cache: PageCache | None, problems: list[ParsedPage], files: list[tuple[str, str]],
                targets: dict[str, Path], staged: dict[str, Path], base_iri: str, jobs: int,
                progress: bool, reading: ParseOptions, folder: OutputFolder, partitioned: bool,
                partitions: int | None) -> BuildResult:
    """Build into the staging folder and publish; see :func:`build_files`.

    With ``partitioned``, a full build reduces in ``partitions`` partitions (``None``: their default number).
    """
    from kg.export.provenance import add_files
    from kg.export.together import export_build, exporting_build
    from kg.incremental.patching import LocalBuild, build_by_patching, patched_formats, prime_outputs, remember_outputs

    plan = LocalBuild(root, problems, files, targets, staged, base_iri, jobs, reading)
    patched = patched_formats(plan)

    def full() -> KnowledgeGraph:  # (its record names the build's files: so do the N-Quads and BuildResult.graph)
        return add_files(build_walked(root, problems, files, cache, base_iri, jobs, progress, reading), targets)

    if cache is not None and cache.usable and set(patched) - {"report"}:
        with paused_gc():  # the rebuild, and the last graph read beside it, make acyclic records only
            done = build_by_patching(plan, cache, folder, parse=_parser(jobs, progress, reading), full=full)
        if done is not None:
            return BuildResult(done.report, tuple(targets.values()), done.graph, True, done.changed)
    if partitioned:
        return _build_partitioned(plan, cache, folder, parts=partitions, progress=progress,
                                  gzip=any(p.suffix == ".gz" for p in staged.values()))
    graph = full()
    if cache is not None and cache.usable and set(patched) - {"report"}:
        with exporting_build(graph, staged, jobs=jobs):  # the one-core formats are written meanwhile
            prime_outputs(cache, plan, graph)
    else:
        export_build(graph, staged, jobs=jobs)
    folder.publish([p.name for p in staged.values()])
    if cache is not None and cache.usable:
        # The graph is kept only where a rebuild may patch it: with Turtle or N-Triples.
        remember_outputs(cache, plan, {n: p for n, p in staged.items() if n not in patched}, graph.report,
                         graph if set(patched) - {"report"} else None)
    return BuildResult(graph.report, tuple(targets.values()), graph, False)


def _parser(jobs: int, progress: bool, reading: ParseOptions) -> Callable[[list[tuple[str, str]]], list[MapRow]]:
    """What maps the changed pages of a rebuild: on ``jobs`` cores, with a bar when there are many."""
    def parse(todo: list[tuple[str, str]]) -> list[MapRow]:
        bar = progress_bar(len(todo), progress and len(todo) > CHUNK_PAGES)
        try:
            return list(run_map(todo, jobs, bar, reading))
        finally:
            bar.close()

    return parse
