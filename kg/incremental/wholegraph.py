"""The whole graph after a rebuild: the previous one with its touched subjects reduced again.

Files made from the whole graph (the explorer, the snapshot ...) need the
new graph, and reducing every page's cached facts again costs a whole
archive's decoding and reduce.  Instead, the graph the previous build
published as a snapshot is read back and each subject the rebuild touched
(:mod:`kg.incremental.rebuild`) is replaced by what the rebuild's reduce made
of it, or dropped where no page holds it any more.  The records keep the
order of :func:`kg.facts.reduce_graph`, so the graph equals a full build's:
the rebuild tests compare the files written from it with a cold build's.

Whichever build writes files from the whole graph keeps that graph for the
next one (:func:`keep_graph`): the snapshot it published, or, when the
snapshot is not among its formats, a copy in the cache folder
(:data:`GRAPH_FILE`).  It is remembered with the cache version, base IRI and
code it stands for, and as the file it is (size, mtime, inode); any other
file is not read (:func:`previous_graph`).
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from kg.export.snapshot import read_snapshot, write_snapshot
from kg.facts.records import page_key
from kg.facts.subjects import Subject, pair_keys
from kg.incremental.keptfiles import GRAPH, graph_state, remember, unchanged
from kg.model import KnowledgeGraph
from kg.parse.publishers import organization_key
from kg.report import BuildReport

__all__ = ["Delta", "patch_graph", "previous_graph", "read_ahead", "PreviousGraph", "keep_graph", "GRAPH_FILE"]

#: The graph of the cached pages, in the cache folder, when the build publishes no snapshot.
GRAPH_FILE = "graph-of-cache.kg.json"


class _Ordered(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...  # pragma: no cover


K = TypeVar("K", bound=_Ordered)
Id = TypeVar("Id", bound=_Ordered)
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Delta:
    """What a rebuild changed, for :func:`patch_graph`.

    ``partial`` is the graph reduced from every page that holds a touched
    subject (it may hold more, untouched, subjects: only the touched ones
    count); ``touched`` maps a family of :mod:`kg.facts.subjects`, or
    ``related`` (an event's Related lines), to the identities touched;
    ``existing`` are the touched counted subjects some page still holds.
    """

    partial: KnowledgeGraph
    touched: Mapping[str, Collection[str]]
    existing: Collection[Subject]


def patch_graph(old: KnowledgeGraph, delta: Delta, report: BuildReport) -> KnowledgeGraph:
    """``old`` with the touched subjects of ``delta`` made again, and the new ``report``.

    Examples
    --------
    >>> import kg
    >>> from kg.facts.records import event_key
    >>> old = kg.build("examples/wcep-2015-09")
    >>> first = old.events_in_corpus[0].key
    >>> gone = {"events": {event_key(first)}, "related": {event_key(first)}}
    >>> partial = replace(old, event_records={}, related=())  # as if no page held it any more
    >>> new = patch_graph(old, Delta(partial, gone, ()), old.report)
    >>> len(old.event_records) - len(new.event_records), first in new.event_records
    (1, False)
    >>> len(old.related) - len(new.related) == sum(r.source == first for r in old.related) > 0
    True
    >>> patch_graph(old, Delta(old, gone, ()), old.report) == old  # made again as it was
    True
    """
    touched, part = delta.touched, delta.partial
    events = {page_key(k) for k in touched.get("events", ())}
    days = {dt.date.fromisoformat(d) for d in touched.get("days", ())}
    sources = {page_key(k) for k in touched.get("related", ())}
    pairs = {tuple(map(page_key, pair_keys(p))) for p in touched.get("shared", ())}

    def names(family: str, now: tuple[str, ...]) -> tuple[str, ...]:
        gone = set(touched.get(family, ()))
        kept = [n for n in now if n not in gone]
        return tuple(sorted([*kept, *(n for n in gone if (family, n) in delta.existing)]))

    return replace(
        old,
        event_records=_merged(old.event_records, part.event_records, events),
        days=_merged(old.days, part.days, days),
        articles=_merged(old.articles, part.articles, set(touched.get("articles", ()))),
        publishers=names("publishers", old.publishers),
        images=names("images", old.images),
        contexts=names("contexts", old.contexts),
        organization_labels=_labels(old, delta),
        event_contexts=_merged(old.event_contexts, part.event_contexts, events),
        related=_replaced(old.related, part.related, sources, lambda r: r.source,
                          lambda r: (r.source, r.rank, r.target)),
        shared=_replaced(old.shared, part.shared, pairs, lambda s: (s.first, s.second),
                         lambda s: (s.first, s.second)),
        report=report,
    )


def _labels(old: KnowledgeGraph, delta: Delta) -> dict[str, str] | None:
    """The organizations' labels: the partial graph's for the touched organizations (those it names: some page
    still holds them), the old graph's for the others."""
    if old.organization_labels is None:
        return None
    touched = {organization_key(name) for name in delta.touched.get("organizations", ())}
    new = delta.partial.organization_labels or {}
    kept = {key: label for key, label in old.organization_labels.items() if key not in touched}
    return dict(sorted({**kept, **{key: new[key] for key in touched if key in new}}.items()))


def previous_graph(db: sqlite3.Connection, paths: Iterable[str | os.PathLike[str]], base_iri: str,
                   version: int) -> KnowledgeGraph | None:
    """The graph of the cached pages at cache ``version``, from the one of ``paths`` kept as it.

    ``None`` when none of them is (edited or replaced since, kept for another
    version, base IRI or code), or it does not read as a snapshot.
    """
    return read_ahead(db, paths, base_iri, version).result()


class PreviousGraph:
    """The previous graph, read in a thread of its own (see :func:`read_ahead`)."""

    def __init__(self, path: str | os.PathLike[str] | None, base_iri: str, *, thread: bool) -> None:
        self._path, self._base_iri = path, base_iri
        self._graph: list[KnowledgeGraph | None] = []
        self._thread: threading.Thread | None = None
        if thread and path is not None:
            # A daemon thread: Ctrl-C meanwhile ends kg at once, not after the read.
            reader = threading.Thread(target=self._read, name="kg-previous-graph", daemon=True)
            with contextlib.suppress(RuntimeError):  # no thread to be had: read when asked
                reader.start()
                self._thread = reader

    def _read(self) -> None:
        graph = None
        if self._path is not None:
            # Any failure (a file damaged behind the stat check's back, memory ...): no graph to
            # patch, and the caller reduces every page instead.
            with contextlib.suppress(Exception):
                graph = read_snapshot(self._path)
        self._graph.append(graph if graph is None or graph.base_iri == self._base_iri else None)

    def result(self) -> KnowledgeGraph | None:
        """The graph, handed over (``None`` if there was none to read, or it did not read as one)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        elif not self._graph:
            self._read()
        graph, self._graph[:] = self._graph[0], [None]
        return graph


def read_ahead(db: sqlite3.Connection, paths: Iterable[str | os.PathLike[str]], base_iri: str, version: int,
               *, thread: bool = False) -> PreviousGraph:
    """Find the file kept as the graph of the cached pages (here), and read it (in a thread if asked).

    A rebuild spends much of its time waiting on worker processes, SQLite and
    the kernel's copies, which let go of the interpreter lock: the previous
    graph is read meanwhile.
    """
    state = graph_state(base_iri, version)
    kept = None
    with contextlib.suppress(sqlite3.Error):  # a failing cache: no graph to patch
        kept = next((path for path in paths if unchanged(db, GRAPH, path, state)), None)
    return PreviousGraph(kept, base_iri, thread=thread)


def keep_graph(db: sqlite3.Connection, graph: KnowledgeGraph, published: str | os.PathLike[str] | None,
               folder: str, base_iri: str, version: int) -> None:
    """Keep ``graph``, the graph of the cached pages at cache ``version``, for the next rebuild.

    ``published`` is the snapshot of it just published, if any; otherwise a
    snapshot is written into the cache ``folder``.
    """
    own = os.path.join(folder, GRAPH_FILE)
    if published is None:
        published = own
        staged = own + ".part"
        try:
            write_snapshot(graph, staged)
            os.replace(staged, own)
        except (OSError, ValueError):  # a full disk, say: the files are published; the next rebuild reduces
            with contextlib.suppress(OSError):
                os.remove(staged)
            return
    else:
        with contextlib.suppress(OSError):
            os.remove(own)  # no longer the graph of the cache
    with contextlib.suppress(sqlite3.Error):  # a failing cache: the next rebuild reduces instead
        remember(db, GRAPH, published, graph_state(base_iri, version))


def _merged(old: Mapping[K, V], new: Mapping[K, V], keys: set[K]) -> dict[K, V]:
    """``old`` with ``keys`` taken from ``new`` (dropped if not there), in key order.

    ``old`` is in key order; a replaced key keeps its place, an added one is
    put in its own (a sort of the whole would compare every key again).
    """
    merged = dict(old)
    added: list[K] = []
    for key in keys:
        if key in new:
            if key not in merged:
                added.append(key)
            merged[key] = new[key]
        else:
            merged.pop(key, None)
    if not added:
        return merged
    order = list(merged)[:len(merged) - len(added)]  # the added keys went to the end
    for key in sorted(added):
        bisect.insort(order, key)
    return {key: merged[key] for key in order}


def _replaced(old: tuple[V, ...], new: tuple[V, ...], touched: Collection[Id], identity: Callable[[V], Id],
              order: Callable[[V], _Ordered]) -> tuple[V, ...]:
    """``old`` without the records of the ``touched`` identities, plus ``new``'s, in the reduce's order.

    ``old`` is sorted by ``order``, which begins with ``identity``: the records of
    one identity are a run of it, found by bisection (a scan would hash every record).
    """
    runs = sorted((bisect.bisect_left(old, i, key=identity), bisect.bisect_right(old, i, key=identity))
                  for i in touched)
    kept: list[V] = []
    at = 0
    for start, end in runs:
        kept.extend(old[at:start])
        at = max(at, end)
    kept.extend(old[at:])
    # Each new record after the kept ones it does not precede, the kept copied a run at a time
    # (inserting them one by one moved the whole tail of 675,000 Related lines each time).
    out: list[V] = []
    at = 0
    for record in sorted((r for r in new if identity(r) in touched), key=order):
        place = bisect.bisect_right(kept, order(record), lo=at, key=order)
        out.extend(kept[at:place])
        out.append(record)
        at = place
    out.extend(kept[at:])
    return tuple(out)
