"""Rebuild the output files after a few pages changed, without rebuilding the whole graph.

A full build keeps, in the cache folder, every page's record and facts
(:mod:`kg.incremental.cache`, :mod:`kg.incremental.pageindex`), every page's diagnostics and an index of
the files it wrote (:mod:`kg.incremental.outindex`).  :func:`rebuild` then:

1. finds the pages that changed, were added or were deleted (by stat, then
   content hash) and parses only those;
2. works out which subjects their old and new versions touch: their event,
   the events and articles they name, the related links they hold, the
   context pairs, days, publishers, organizations, contexts and images they bring in;
3. gathers the pages those subjects are made from (the changed pages, the
   pages that link to a touched event, cite a touched article, list a
   touched day) and builds the graph of just those pages with
   :func:`kg.facts.build.build_graph` -- the same code as a full build -- with
   stand-ins for the pages they link to, so that links resolve as in the
   whole corpus;
4. serializes the touched subjects and splices them into the old files
   (:func:`kg.incremental.outindex.splice`); counts and diagnostics are kept per subject
   and per page, so the report is exact too.

Whatever it cannot do exactly -- duplicate pages, a changed output
location, base IRI or code, a large share of changed pages -- it declines
(returns ``None``) and the caller builds in full.  The tests compare its
files with a full build's, byte for byte, after many kinds of edits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import sqlite3
import sys
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from kg.collector import paused_gc
from kg.diagnostics import Diagnostic, diagnostic_order
from kg.errors import CodecError
from kg.facts.build import build_graph
from kg.facts.executors import MapRow, load_record
from kg.incremental.cache import PageCache, Row, file_digest, select_in, stat_signature
from kg.incremental.datacodec import (
    decode_diagnostics,
    encode_diagnostics,
    loads,
    strings,
)
from kg.incremental.outindex import (
    FORMATS,
    KindChange,
    OutputState,
    load_state,
    splice,
    subject_blocks,
)
from kg.incremental.pageindex import (
    PageFacts,
    key_path,
    key_text,
    link_target,
    page_facts,
)
from kg.model import KnowledgeGraph, SharedContext
from kg.parse.records import (
    DayEntry,
    DayPage,
    EventPage,
    PageKey,
    ParsedPage,
    RelatedItem,
)
from kg.read.files import prefetch, safe_name
from kg.read.paths import parse_page_path
from kg.report import BuildReport, subject_tallies, sum_tallies

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

    from kg.export.triples import SortKey

__all__ = ["rebuild", "record_diagnostics", "spare_path", "MAX_CHANGED_SHARE", "Parse"]

#: Parses ``(relative path, real path)`` files into ``(path, digest, stat, pickled record)`` rows.
Parse: TypeAlias = Callable[[list[tuple[str, str]]], Iterable[MapRow]]
# A link from a page the partial graph was not built from: linking event, event linked to, contexts.
_Incoming: TypeAlias = tuple[str, str, tuple[str, ...]]
# The pair of events a link joins, earlier first.
_Pair: TypeAlias = tuple[PageKey, PageKey]

#: Above this share of changed pages a full build is about as fast: decline.
MAX_CHANGED_SHARE = 0.2


@dataclass(slots=True)
class _Touched:
    """Identities of the subjects a change may have altered, per node kind."""

    events: set[PageKey] = field(default_factory=set)
    days: set[dt.date] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    names: dict[str, set[str]] = field(default_factory=lambda: {
        "publishers": set(), "organizations": set(), "contexts": set(), "images": set()})
    related_sources: set[PageKey] = field(default_factory=set)
    shared: set[_Pair] = field(default_factory=set)
    pages: set[str] = field(default_factory=set)
    # Pages whose diagnostics must be made again (links to a changed page).
    diagnosed: set[str] = field(default_factory=set)


def rebuild(root: Path, cache: PageCache, files: list[tuple[str, str]], problems: list[ParsedPage],
            outputs: dict[str, Path], *, base_iri: str, parse: Parse, staging: Path) -> BuildReport | None:
    """Bring the files in ``outputs`` (format -> path) up to date with the corpus.

    The new versions are written into ``staging`` under their names, for
    the caller to publish (files that did not change are not written);
    each one's previous version is to be kept at :func:`spare_path`.

    ``files`` are the walked page files ``(relative path, real path)``,
    ``problems`` the walk's diagnostics-only records, ``parse`` a function
    that parses a list of files into ``(path, digest, stat, pickled record)``
    rows.  Returns the build report, or ``None`` (having changed nothing) if
    the change cannot be applied exactly; the caller then builds in full.
    """
    with paused_gc():  # records, facts and index rows hold no cycles, and there are many
        return _rebuild(root, cache, files, problems, outputs, base_iri=base_iri, parse=parse,
                        staging=staging)


def _rebuild(root: Path, cache: PageCache, files: list[tuple[str, str]], problems: list[ParsedPage],
             outputs: dict[str, Path], *, base_iri: str, parse: Parse, staging: Path) -> BuildReport | None:
    db = cache.db
    if db is None or any(f not in FORMATS and f != "report" for f in outputs):
        return None
    version = cache.version
    states: dict[str, OutputState] = {}
    for fmt, path in outputs.items():
        if fmt in FORMATS:
            state = load_state(db, fmt)
            if state is None or not state.matches(os.fspath(path), base_iri, version):
                return None
            (indexed,) = db.execute("SELECT total(length) FROM segments WHERE format = ?", (fmt,)).fetchone()
            if len(state.header) + int(indexed) != state.size:
                return None  # a damaged index: write in full, which indexes again
            states[fmt] = state
    if not states:
        return None
    kept_diagnostics = {path: decode_diagnostics(blob) for path, blob in
                        db.execute("SELECT path, diagnostics FROM diags")}
    if any(d.code == "duplicate-page" for ds in kept_diagnostics.values() for d in ds):
        return None  # merging duplicates is global: leave it to a full build
    found = _file_changes(cache, files)
    if len(found.changed) + len(found.deleted) > MAX_CHANGED_SHARE * max(len(found.stored), 1) + 16:
        return None
    versions = _versions(cache, found, parse)
    spares = {fmt: spare_path(cache, state.path) for fmt, state in states.items()}
    # Only now: its big reads would queue ahead of the few that the stat checks and the
    # changed pages' cached versions need.  The files first, as they are read whole;
    # of the cache only scattered rows are.
    ahead = [*(s.path for s in states.values()), *spares.values()]
    if cache.file is not None:  # (it is: the cache is open)
        ahead.append(cache.file)
    with _reading_ahead(ahead):
        return _patch(root, cache, found, versions, problems, states, spares, kept_diagnostics,
                      base_iri=base_iri, staging=staging)


@dataclass(frozen=True, slots=True)
class _Versions:
    """The changed pages as they are now (parsed) and as the cache has them."""

    rows: list[MapRow]  # (path, digest, stat, pickled record) to store
    new: dict[str, ParsedPage]
    old: dict[str, ParsedPage]
    new_facts: dict[str, PageFacts]
    old_facts: dict[str, PageFacts]


def _versions(cache: PageCache, found: _FileChanges, parse: Parse) -> _Versions:
    rows = list(parse(found.changed))
    # (record, facts) from our own workers
    new: dict[str, ParsedPage] = {rel: load_record(blob)[0] for rel, _, _, blob in rows}
    old = cache.records([rel for rel, _ in found.changed if rel in found.stored] + found.deleted)
    return _Versions(rows, new, old, {rel: page_facts(page) for rel, page in new.items()},
                     cache.facts(list(old)))


def _patch(root: Path, cache: PageCache, found: _FileChanges, versions: _Versions,
           problems: list[ParsedPage], states: dict[str, OutputState], spares: dict[str, str],
           kept_diagnostics: dict[str, list[Diagnostic]], *, base_iri: str,
           staging: Path) -> BuildReport | None:
    db = cache.connection
    restat, deleted, walked = found.restat, found.deleted, found.walked
    rows, new, old = versions.rows, versions.new, versions.old
    new_facts, old_facts = versions.new_facts, versions.old_facts
    gone = set(deleted) | set(new)  # pages whose stored rows are out of date
    if _duplicates(db, new_facts, gone):
        return None
    touched = _touch(db, old, new, old_facts, new_facts, gone)
    pages, stubs, incoming = _gather(cache, touched, new, new_facts, gone)
    partial = build_graph([*pages.values(), *stubs], base_iri=base_iri, corpus=safe_name(root.name)[0], count=False)
    partial = _with_incoming(partial, incoming)
    if any(d.code == "duplicate-page" for d in partial.report.diagnostics):
        return None

    # From here on the cache changes; the caller commits after the files are written.
    cache.store([(*row, new[row[0]]) for row in rows if row[1] and row[2]], new_facts)
    cache.forget(deleted)
    db.executemany("UPDATE pages SET stat = ? WHERE path = ?", [(st, rel) for rel, st in restat])
    names = _existing_names(db, touched)
    diagnostics = _update_diagnostics(db, partial, touched, kept_diagnostics, walked)
    version = cache.version
    for fmt, state in states.items():
        changes = _changes(partial, touched, names, FORMATS[fmt], base_iri)
        if changes:  # nothing changed: the file stays as it is, untouched
            states[fmt] = splice(db, state, changes, version, spares[fmt],
                                 os.path.join(staging, Path(state.path).name))
    counts = sum_tallies(next(iter(states.values())).totals.items())
    diagnostics.extend(d for p in problems for d in p.diagnostics)
    return BuildReport(corpus=safe_name(root.name)[0], pages_read=len(walked) + len(problems),
                       diagnostics=tuple(sorted(diagnostics, key=diagnostic_order)), counts=counts)


def spare_path(cache: PageCache, output: str | os.PathLike[str]) -> str:
    """Where the cache keeps the previous version of an output file, to write the next one over."""
    return os.path.join(cache.folder or ".", f"previous-{Path(output).name}")


#: Below this many bytes of cache and files the read-ahead is not worth a process.
READ_AHEAD_BYTES = 64 << 20
#: At most this much read-ahead queued at a time: the rebuild's own reads wait behind it.
READ_AHEAD_WINDOW = 32 << 20


@contextmanager
def _reading_ahead(paths: list[str]) -> Iterator[int | None]:
    """Have the kernel read ``paths`` in while the rebuild works; yield the helper's pid.

    A rebuild copies the previous file around the changed subjects, writes
    over the spare (each partly written page of it is read first) and reads
    scattered cache rows.  If those files have left the OS page cache, the
    kernel would fetch them a page at a time as each is needed (a
    150,000-event rebuild took 15-17 s so); hinted up front they arrive in
    large reads meanwhile.  The hints wait while the disk's queue is full,
    hence a forked process.  It must not be this process: closing a file
    descriptor of the cache here would drop SQLite's locks on it.
    """
    sizes = 0
    for path in paths:
        with contextlib.suppress(OSError):
            sizes += os.stat(path).st_size
    if sizes < READ_AHEAD_BYTES or sys.platform != "linux" or not hasattr(os, "posix_fadvise"):
        yield None
        return
    pid = os.fork()
    if pid == 0:  # the helper: no Ctrl-C traceback, no exit handlers or buffers of the parent's
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            prefetch(paths, in_flight=READ_AHEAD_WINDOW)
        finally:
            os._exit(0)
    try:
        yield pid
    finally:
        os.kill(pid, signal.SIGKILL)  # what it has not hinted yet is no longer needed
        os.waitpid(pid, 0)


def record_diagnostics(cache: PageCache, graph: KnowledgeGraph, problems: Iterable[str]) -> None:
    """Keep a full build's diagnostics per page, for later rebuilds."""
    skip = set(problems)
    by_path: dict[str, list[Diagnostic]] = {}
    for d in graph.report.diagnostics:
        if d.path not in skip:
            by_path.setdefault(d.path, []).append(d)
    db = cache.connection
    db.execute("DELETE FROM diags")
    db.executemany("INSERT INTO diags VALUES (?, ?)", [(path, encode_diagnostics(ds)) for path, ds in by_path.items()])


@dataclass(frozen=True, slots=True)
class _FileChanges:
    """How the walked files differ from the cached pages."""

    stored: dict[str, str]  # cached path -> stat signature
    walked: set[str]
    changed: list[tuple[str, str]]  # (path, file) to parse: new, or bytes changed
    restat: list[tuple[str, str]]  # (path, signature now): touched but the same bytes
    deleted: list[str]


def _file_changes(cache: PageCache, files: list[tuple[str, str]]) -> _FileChanges:
    """Stat-check the walked files, then hash those whose signature changed."""
    stored = cache.stored_stats()
    walked = {rel for rel, _ in files}
    changed = [(rel, real) for rel, real in files if rel not in stored]
    touched = _restat(files, stored)
    prefetch(real for _, real, _ in touched)  # edited a while ago, they may be on disk only
    digests = cache.digests(rel for rel, _, _ in touched)
    restat = []
    for rel, real, now in touched:
        if now is not None and file_digest(real) == digests.get(rel):
            restat.append((rel, now))
        else:
            changed.append((rel, real))
    return _FileChanges(stored, walked, changed, restat, [path for path in stored if path not in walked])


#: Below this many files one process looks at them all.
PARALLEL_STAT_FILES = 20_000


def _restat(files: list[tuple[str, str]], stored: dict[str, str]) -> list[tuple[str, str, str | None]]:
    """``(rel, real, signature now)`` of the stored files whose stat signature changed.

    A stat costs a few microseconds, and an archive has 160,000 files: on
    Linux a forked process looks at half of them meanwhile (each call holds
    Python's lock between system calls, so threads would take turns).
    """
    half = len(files) // 2
    if len(files) < PARALLEL_STAT_FILES or sys.platform != "linux":
        return _restat_part(files, stored)
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1, initializer=_remember, initargs=(files, stored)) as pool:
        far = pool.apply_async(_restat_half, (half,))
        near = _restat_part(files[:half], stored)
        return near + far.get()


def _restat_part(files: list[tuple[str, str]], stored: dict[str, str]) -> list[tuple[str, str, str | None]]:
    found = []
    for rel, real in files:
        known = stored.get(rel)
        if known is not None:
            now = stat_signature(real)
            if now != known:
                found.append((rel, real, now))
    return found


# In a forked worker: what :func:`_restat` handed over.
_inherited: tuple[list[tuple[str, str]], dict[str, str]] = ([], {})


def _remember(files: list[tuple[str, str]], stored: dict[str, str]) -> None:
    global _inherited
    _inherited = (files, stored)


def _restat_half(half: int) -> list[tuple[str, str, str | None]]:
    files, stored = _inherited
    return _restat_part(files[half:], stored)


def _duplicates(db: sqlite3.Connection, new_facts: dict[str, PageFacts], gone: set[str]) -> bool:
    """Whether a new or changed page collides with another (same event, key or day)."""
    seen: dict[tuple[str, str | None], str] = {}
    for facts in new_facts.values():
        checks: list[tuple[str, str | None]] = []
        if facts.kind == "event":
            checks = [("key", facts.key), ("content", facts.content)]
        elif facts.kind == "day":
            checks = [("day", facts.date)]
        for column, value in checks:
            if seen.setdefault((column, value), facts.path) != facts.path:
                return True
            sql = ("SELECT path FROM pages WHERE kind = 'day' AND date = ?" if column == "day"
                   else f"SELECT path FROM pages WHERE {column} = ?")
            if any(path not in gone for (path,) in db.execute(sql, (value,))):
                return True
    return False


def _key(text: str) -> PageKey:
    date, slug = text.split("/", 1)
    return PageKey(dt.date.fromisoformat(date), slug)


def _linkers(db: sqlite3.Connection, keys: Iterable[str], gone: set[str]) -> set[str]:
    """Stored pages whose links name any of ``keys`` (changed pages are added apart)."""
    return _paths(db, "SELECT path FROM refs WHERE key IN ({})", keys) - gone


def _touch(db: sqlite3.Connection, old: dict[str, ParsedPage], new: dict[str, ParsedPage],
           old_facts: dict[str, PageFacts], new_facts: dict[str, PageFacts],
           gone: set[str]) -> _Touched:
    t = _Touched()
    for path in set(old) | set(new):
        before, after = old.get(path), new.get(path)
        a = before.page if before else None
        b = after.page if after else None
        t.diagnosed.add(path)
        if _is_page(a) != _is_page(b):
            t.pages.add(path)  # its kg:Page node comes or goes
        facts = [f for f in (old_facts.get(path), new_facts.get(path)) if f is not None]
        # A publisher, context or image is there while any page names it: only
        # the names this page took up or dropped can have come or gone.
        named = [set(f.names) for f in (old_facts.get(path), new_facts.get(path)) if f is not None]
        for kind, name in (named[0] ^ named[-1]) if len(named) == 2 else (named[0] if named else ()):
            t.names[kind].add(name)
        # An article is its URL and who cites it: only citations that changed touch it.
        t.articles.update(url for _, url in _citations(a) ^ _citations(b))
        events = [p for p in (a, b) if isinstance(p, EventPage)]
        days = [p for p in (a, b) if isinstance(p, DayPage)]
        if events:
            key = events[0].key
            t.events.add(key)
            # Both versions, when the page is an event before and after; else the event came or went.
            both = (a, b) if isinstance(a, EventPage) and isinstance(b, EventPage) else None
            exists_changed = both is None
            related_changed = both is not None and _related(both[0]) != _related(both[1])
            if exists_changed or related_changed:
                t.related_sources.add(key)
            if exists_changed:
                t.days.add(key.date)  # whether the day exists may change
            if both is None or both[0].headline != both[1].headline:
                # Links to it: their diagnostics, and whether they resolve.
                linkers = _linkers(db, [key_text(key)], gone)
                t.diagnosed.update(linkers)
                if exists_changed:
                    _touch_linkers(db, t, linkers)
            if both is None:
                targets = {ref for f in facts for ref in f.refs}
            elif related_changed:
                targets = _changed_links(*both)
            else:
                targets = set()
            for ref in targets:
                target = _key(ref)
                t.events.add(target)
                if target != key:
                    t.shared.add((key, target) if (key.date, key.slug) < (target.date, target.slug)
                                 else (target, key))
        for day in days:
            t.days.add(day.date)
            for f in facts:
                t.events.update(_key(ref) for ref in f.refs)
    return t


def _touch_linkers(db: sqlite3.Connection, t: _Touched, linkers: set[str]) -> None:
    """A page came or went: the links to it now resolve differently (counts, not bytes)."""
    for path in linkers:
        where = parse_page_path(path)
        if where.kind == "event" and where.key is not None:
            t.related_sources.add(where.key)
        elif where.kind == "day" and where.date is not None:
            t.days.add(where.date)


def _is_page(page: EventPage | DayPage | None) -> bool:
    return isinstance(page, (EventPage, DayPage))


def _citations(page: EventPage | DayPage | None) -> set[tuple[str, str]]:
    return {(s.publisher, s.url) for s in page.sources} if isinstance(page, EventPage) else set()


def _related(page: EventPage) -> tuple[tuple[str, tuple[str, ...], int, str], ...]:
    return tuple((r.target, r.contexts, r.rank, r.headline) for r in page.related)


def _changed_links(before: EventPage, after: EventPage) -> set[str]:
    """Events (:func:`key_text`) whose link from this page came, went, or changed its contexts or text.

    Only those events, and the page's pair with each, see the change: an
    event's contexts and partners are unions over the links to and from it,
    and an event outside the corpus is named by the text of a link to it.
    Ranks matter to this page's own subjects alone.
    """
    old, new = _links_by_event(before), _links_by_event(after)
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def _links_by_event(page: EventPage) -> dict[str, tuple[str, frozenset[str]]]:
    """Event linked to -> the text of the page's first link to it and their contexts, merged."""
    own = key_text(page.key)
    links: dict[str, tuple[str, frozenset[str]]] = {}
    for item in page.related:
        target = link_target(item.target, page.path)
        if target is not None and target != own:  # dropped links and self-links touch no one
            text, contexts = links.get(target, (item.headline, frozenset()))
            links[target] = (text, contexts | frozenset(item.contexts))
    return links


def _gather(cache: PageCache, t: _Touched, new: dict[str, ParsedPage], new_facts: dict[str, PageFacts],
            gone: set[str]) -> tuple[dict[str, ParsedPage], list[ParsedPage], list[_Incoming]]:
    """The records the touched subjects are made from, stand-ins for what they name, and links to them.

    The links are ``(linking event, event linked to, contexts)`` key texts
    of pages not among the records: see :func:`_with_incoming`.
    """
    db = cache.connection
    event_keys = [key_text(k) for k in t.events]
    wanted = set(t.diagnosed)
    # Events whose page is loaded (an event's facts always hold its key).
    present = {f.key for f in new_facts.values() if f.kind == "event" and f.key is not None}
    for path, key in select_in(db, "SELECT path, key FROM pages WHERE key IN ({})", event_keys):
        wanted.add(path)
        if path not in gone:
            present.add(key)
    wanted |= _paths(db, "SELECT path FROM cites WHERE url IN ({})", t.articles)
    days = [d.isoformat() for d in t.days]
    wanted |= _paths(db, "SELECT path FROM pages WHERE kind = 'day' AND date IN ({})", days)
    for day in days:  # one event of the day, if any, so that the day exists as it should
        rows = db.execute("SELECT path FROM pages WHERE kind = 'event' AND date = ?", (day,))
        witness = next((path for (path,) in rows if path not in gone), None)
        if witness is not None:
            wanted.add(witness)
    wanted |= set(new)
    # Other pages matter to a touched event for their links to it alone, and
    # are not loaded.  An event of the corpus takes the links' contexts and
    # partners, read off the index; one outside it is also named by the text
    # of the first link, so its linkers are made from their index rows.
    outside = [key for key in event_keys if key not in present]
    links = [row for row in select_in(db, "SELECT r.path, r.key, r.rank, r.text, r.target, r.contexts, p.kind, "
                                          "p.key, p.date, p.headline FROM refs AS r JOIN pages AS p "
                                          "ON p.path = r.path WHERE r.key IN ({})", outside)
             if row[0] not in gone and row[0] not in wanted]
    incoming: list[_Incoming] = []
    contexts: dict[bytes, tuple[str, ...]] = {}  # most lines name the same few
    for path, key, source, blob in select_in(db, "SELECT r.path, r.key, p.key, r.contexts FROM refs AS r "
                                                 "JOIN pages AS p ON p.path = r.path "
                                                 "WHERE p.kind = 'event' AND r.key IN ({})", present):
        if path not in wanted and path not in gone and source != key:
            names = contexts.get(blob)
            if names is None:
                names = contexts[blob] = strings(loads(blob))
            incoming.append((source, key, names))
    pages = cache.records(wanted - gone)
    pages.update((path, new[path]) for path in wanted if path in new)
    pages.update(_slim_pages(links))

    # Stand-ins: the pages that pages whose diagnostics or day counts we keep link to.
    linking = [p for p, page in pages.items() if p in t.diagnosed
               or (isinstance(page.page, DayPage) and page.page.date in t.days)]
    refs = {ref for p in linking if p in new_facts for ref in new_facts[p].refs}
    refs |= _paths(db, "SELECT key FROM refs WHERE path IN ({})", [p for p in linking if p not in new])
    have = {key_text(p.page.key) for p in pages.values() if isinstance(p.page, EventPage)}
    missing = [ref for ref in refs if ref not in have]
    stubs: list[ParsedPage] = []
    for path, _, headline in select_in(db, "SELECT path, key, headline FROM pages WHERE kind = 'event' "
                                       "AND key IN ({})", missing):
        if path not in gone:
            stubs.append(_stub(path, headline))
    return pages, stubs, incoming  # (changed pages are all among the full ones)


def _with_incoming(g: KnowledgeGraph, links: list[_Incoming]) -> KnowledgeGraph:
    """The graph with ``(source, target, contexts)`` links from pages it was not built from.

    Each target is an event of ``g``; as in :func:`kg.facts.build.build_graph`, a
    link gives its contexts to the event it names and to the pair of its
    events.  Sources keep what they have: their subjects are not written.
    """
    if not links:
        return g
    canon = {key: key for key in g.event_records}
    keys: dict[str, PageKey] = {}  # one instance per event, as in a built graph

    def key_of(text: str) -> PageKey:
        key = keys.get(text)
        if key is None:
            key = _key(text)
            key = keys[text] = canon.get(key, key)
        return key

    added: dict[PageKey, set[str]] = {}
    pairs: dict[_Pair, set[str]] = {}
    for source_text, target_text, names in links:
        source, target = key_of(source_text), key_of(target_text)
        added.setdefault(target, set()).update(names)
        pair = (source, target) if (source.date, source.slug) < (target.date, target.slug) else (target, source)
        pairs.setdefault(pair, set()).update(names)
    event_contexts = dict(g.event_contexts)
    for key, merged in added.items():
        event_contexts[key] = tuple(sorted(merged.union(event_contexts.get(key, ()))))
    shared = {(s.first, s.second): s for s in g.shared}
    for (first, second), merged in pairs.items():
        old = shared.get((first, second))
        shared[first, second] = SharedContext(first, second,
                                              tuple(sorted(merged.union(old.contexts if old else ()))))
    ordered = sorted(shared.values(), key=lambda s: (s.first.date, s.first.slug, s.second.date, s.second.slug))
    return replace(g, event_contexts=event_contexts, shared=tuple(ordered))


def _slim_pages(links: list[Row]) -> dict[str, ParsedPage]:
    """Pages cut down to the given links: all that a touched event takes from them.

    ``links`` are ``refs`` rows (a target written as the event's own path
    is kept as ``""``) with their page's kind, key, date and headline.  A
    link's text names an event that is not in the corpus; that it differs
    from a headline is the linking page's diagnostic, not made again here.
    """
    by_path: dict[str, list[Row]] = {}
    for link in links:
        by_path.setdefault(link[0], []).append(link)
    slim: dict[str, ParsedPage] = {}
    for path, rows in by_path.items():
        rows.sort(key=itemgetter(2))  # the page's order
        _, _, _, _, _, _, kind, key, date, headline = rows[0]
        if kind == "event":
            related = tuple(RelatedItem(text, target or "/" + key_path(to), strings(loads(contexts)), rank, 0)
                            for _, to, rank, text, target, contexts, *_ in rows)
            slim[path] = ParsedPage(path, EventPage(path, _key(key), headline, 0, None, related=related))
        elif kind == "day":
            entries = tuple(DayEntry(text, target or "/" + key_path(to), rank, 0)
                            for _, to, rank, text, target, *_ in rows)
            slim[path] = ParsedPage(path, DayPage(path, dt.date.fromisoformat(date), None, entries))
    return slim


def _stub(path: str, headline: str) -> ParsedPage:
    key = parse_page_path(path).key
    if key is None:  # the cache says it is an event page; its path says otherwise
        raise CodecError(f"the cached page {path} is not an event page")
    return ParsedPage(path, EventPage(path, key, headline, 0, None))


def _paths(db: sqlite3.Connection, sql: str, keys: Iterable[str]) -> set[str]:
    return {row[0] for row in select_in(db, sql, keys)}


def _existing_names(db: sqlite3.Connection, t: _Touched) -> dict[str, tuple[str, ...]]:
    """Touched publishers, organizations, contexts and images that some page still names."""
    found: dict[str, tuple[str, ...]] = {}
    for kind, names in t.names.items():
        found[kind] = tuple(sorted(name for (name,) in select_in(
            db, f"SELECT name FROM names WHERE kind = '{kind}' AND n > 0 AND name IN ({{}})", names)))
    return found


def _update_diagnostics(db: sqlite3.Connection, partial: KnowledgeGraph, t: _Touched,
                        kept: dict[str, list[Diagnostic]], walked: set[str]) -> list[Diagnostic]:
    """Replace the diagnostics of the re-diagnosed pages; return every page's."""
    fresh: dict[str, list[Diagnostic]] = {}
    for d in partial.report.diagnostics:
        if d.path in t.diagnosed:
            fresh.setdefault(d.path, []).append(d)
    for path in t.diagnosed | (set(kept) - walked):
        kept.pop(path, None)
    kept.update(fresh)
    db.executemany("DELETE FROM diags WHERE path = ?", [(p,) for p in t.diagnosed])
    db.executemany("DELETE FROM diags WHERE path = ?", [(p,) for p in list(kept) if p not in walked])
    db.executemany("INSERT OR REPLACE INTO diags VALUES (?, ?)",
                   [(path, encode_diagnostics(ds)) for path, ds in fresh.items()])
    return [d for ds in kept.values() for d in ds if d.path in walked]


def _changes(g: KnowledgeGraph, t: _Touched, names: dict[str, tuple[str, ...]], rdf_format: ox.RdfFormat,
             base_iri: str) -> dict[str, KindChange]:
    """The new blocks of every touched subject, per node kind."""
    from kg.export.triples import event_sort_key, output_prefixes

    prefixes = output_prefixes(base_iri) if rdf_format == FORMATS["turtle"] else None
    keep_pages = {p for p in t.pages}
    # Per node kind: the graph cut down to its touched subjects, and their identities.
    views: dict[str, tuple[KnowledgeGraph, Collection[SortKey]]] = {
        "events": (replace(g, event_records={k: e for k, e in g.event_records.items() if k in t.events}),
                   {event_sort_key(k) for k in t.events}),
        "days": (replace(g, days={d: v for d, v in g.days.items() if d in t.days}),
                 {d.isoformat() for d in t.days}),
        "articles": (replace(g, articles={u: a for u, a in g.articles.items() if u in t.articles}),
                     t.articles),
        "publishers": (replace(g, publishers=names["publishers"]), t.names["publishers"]),
        "organizations": (replace(g, organizations=names["organizations"]), t.names["organizations"]),
        "images": (replace(g, images=names["images"]), t.names["images"]),
        "contexts": (replace(g, contexts=names["contexts"]), t.names["contexts"]),
        "related": (replace(g, related=tuple(r for r in g.related if r.source in t.related_sources)),
                    {event_sort_key(k) for k in t.related_sources}),
        "shared": (replace(g, shared=tuple(s for s in g.shared if (s.first, s.second) in t.shared)),
                   {(*event_sort_key(a), *event_sort_key(b)) for a, b in t.shared}),
        "pages": (_only_pages(g, keep_pages), keep_pages),
    }
    from kg.export.triples import subject_keys

    changes: dict[str, KindChange] = {}
    for kind, (view, removed) in views.items():
        if not removed:
            continue
        keys = subject_keys(view, kind)
        blocks = subject_blocks(view, kind, rdf_format, prefixes)
        tallies = list(subject_tallies(view, kind))
        if not len(keys) == len(blocks) == len(tallies):
            raise AssertionError(f"{kind}: {len(keys)} subjects but {len(blocks)} blocks")
        changes[kind] = KindChange(frozenset(removed), tuple(zip(keys, blocks, tallies, strict=True)))
    return changes


def _only_pages(g: KnowledgeGraph, paths: set[str]) -> KnowledgeGraph:
    """The graph with only the events and days whose page is one of ``paths`` (for kg:Page subjects)."""
    return replace(g, event_records={k: e for k, e in g.event_records.items() if e.page in paths},
                   days={d: v for d, v in g.days.items() if v.page in paths})
