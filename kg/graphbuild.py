"""The graph of a walked corpus, built in memory: every page mapped, or taken from the cache, then reduced.

Parsing is the costly stage and each page parses on its own, so it runs in a
process pool (one markdown-it parser per process, pages sent in chunks:
:mod:`kg.facts.executors`).  With a page cache, pages whose bytes did not
change since the last build are taken from
:class:`~kg.incremental.cache.PageCache` instead of being parsed again, and
the freshly parsed ones go into it as they come.  Whatever the route, the
facts are the same, so the graph is the same.  :func:`kg.build` and the
full builds of :func:`kg.build_files` (:mod:`kg.pipeline`) both end here.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kg.collector import paused_gc
from kg.facts import PageFacts, page_facts, reduce_graph
from kg.facts.executors import default_jobs, load_record, run_map
from kg.model import KnowledgeGraph
from kg.parse.options import ParseOptions
from kg.parse.records import ParsedPage
from kg.progress import progress_bar
from kg.read.files import safe_name

if TYPE_CHECKING:  # pragma: no cover
    from kg.incremental.cache import PageCache, StoreRow

__all__ = ["build_walked", "open_cache", "job_count", "STORE_BATCH"]

#: Pages whose facts go to the cache at once: memory stays bounded by it, not by the archive.
#: Each page of a batch holds about 10 KB while it is stored (its JSON, rows, held names), and the
#: memory freed stays with the process: 20,000 cost a first build about 220 MB more at its peak
#: than 2,000 (``benchmarks/cache_bench.py --batch``), and no less time.
STORE_BATCH = 2_000


def job_count(jobs: int | None) -> int:
    """The processes that parse pages: ``jobs``, at least one; all cores when ``None``.

    >>> job_count(0), job_count(3), job_count(None) >= 1
    (1, 3, True)
    """
    return default_jobs() if jobs is None else max(1, int(jobs))


def open_cache(cache_dir: str | os.PathLike[str] | None, *, follow_link: bool = True,
               variant: str = "") -> PageCache | None:
    """The page cache in ``cache_dir`` (:meth:`~kg.incremental.cache.PageCache.open`) for facts read with
    ``variant`` (:attr:`~kg.parse.options.ParseOptions.facts_key`); ``None`` for none."""
    if cache_dir is None:
        return None
    from kg.incremental.cache import PageCache

    return PageCache.open(cache_dir, follow_link=follow_link, variant=variant)


def build_walked(root: Path, problems: list[ParsedPage], files: list[tuple[str, str]], cache: PageCache | None,
                 base_iri: str, jobs: int, progress: bool, reading: ParseOptions) -> KnowledgeGraph:
    """Parse (or take from the cache) every page and build the graph; the cache stays open.

    ``problems`` and ``files`` are what :func:`kg.facts.executors.walk_corpus`
    found in the corpus folder ``root``: the pages that could not be read,
    as records of their diagnostics, and ``(relative path, real path)`` of
    the page files.
    """
    started = datetime.datetime.now(datetime.timezone.utc)
    facts: dict[str, PageFacts] = {p.path: page_facts(p) for p in problems}
    todo = files
    if cache is not None:
        with paused_gc():
            hits = cache.cached(dict(todo))
        facts.update(hits)
        todo = [item for item in todo if item[0] not in hits]
        del hits  # the reduce is to hold the facts alone

    bar = progress_bar(len(todo), progress)

    unstored: set[str] = set()  # pages read but not kept (unreadable now): their old rows go too

    def mapped() -> Iterator[StoreRow]:
        for rel, digest, stat, blob in run_map(todo, jobs, bar, reading):
            facts[rel] = load_record(blob)
            if digest and stat:
                yield rel, digest, stat, facts[rel]  # the store keeps JSON, not the pickle
            else:
                unstored.add(rel)

    try:
        with paused_gc():  # millions of acyclic records: nothing for the collector to find
            if cache is None:
                for _ in mapped():
                    pass
            else:  # facts go to the cache as they come; a first fill's indexes are made meanwhile
                cache.store_all(mapped(), STORE_BATCH, index_meanwhile=True)
    finally:
        bar.close()
    # The walk's unreadable pages (a FIFO, a link out of the corpus ...) keep no row: a row kept from
    # when the page was readable would pass for it once it is back with the same bytes.
    read = {rel for rel, _ in files} - unstored
    with paused_gc():
        graph = reduce_graph(_handed_over(facts), base_iri=base_iri, corpus=safe_name(root.name)[0])
    if cache is not None:  # (after the reduce, which uses one core: the indexes had the other)
        cache.forget_except(read)
    from kg.export.provenance import record_local_build

    # The record of this build, described (PROV-O) beside the N-Quads and TriG output.
    return record_local_build(graph, started, base_iri=base_iri, jobs=jobs, reading=reading,
                              cached=cache is not None)


def _handed_over(facts: dict[str, PageFacts]) -> Iterator[PageFacts]:
    """Each page's facts, dropped from ``facts`` as the reduce takes them: it then holds them alone."""
    while facts:
        yield facts.popitem()[1]
