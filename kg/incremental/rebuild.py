"""Rebuild the output files after a few pages changed: reduce again only the subjects they touch.

A full build keeps, in the cache folder, every page's facts, which pages
hold each subject (:mod:`kg.incremental.cache`), every page's diagnostics and
an index of the files it wrote (:mod:`kg.incremental.outindex`).
:func:`rebuild` then:

1. finds the pages that changed, were added or were deleted (by stat, then
   content hash: :mod:`kg.incremental.filechanges`) and parses only those;
2. maps their old and new versions to facts and compares the subjects those
   facts reach (:func:`kg.facts.subjects.page_subjects`): a subject on which
   the two versions differ is touched -- nothing else is worked out by hand;
3. reduces the touched subjects from every page that holds them (looked up
   in the cache), with the same reduce as a full build
   (:func:`kg.facts.reduce_graph`) and a stand-in for each event those pages
   link to, so that each link resolves as it does in the whole corpus;
4. :func:`write_patched` then serializes the touched subjects and splices
   them into the old files (:func:`kg.incremental.outindex.splice`): a
   caller that writes other files from the new graph can start those
   first (the splice is mostly the kernel's copying).  Counts and
   diagnostics are kept per subject and per page, so the report is exact too.

Whatever it cannot do exactly -- duplicate pages, a changed output
location, base IRI or code, a large share of changed pages -- it declines
(returns ``None``) and the caller builds in full.  The tests compare its
files with a full build's, byte for byte, after many kinds of edits.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from kg.collector import paused_gc
from kg.diagnostics import Diagnostic, diagnostic_order
from kg.facts import EventClaim, PageFacts, page_facts, page_key, reduce_graph
from kg.facts.executors import MapRow, load_record
from kg.facts.mapping import unread_key
from kg.facts.subjects import COUNTED, FAMILIES, HELD, page_subjects, pair_keys
from kg.incremental.cache import PageCache
from kg.incremental.datacodec import CodecError
from kg.incremental.filechanges import FileChanges, file_changes
from kg.incremental.heldindex import CLAIM, CONTENT, DAY_PAGE, UNREAD, index_keys
from kg.incremental.outindex import FORMATS, KindChange, splice, subject_blocks
from kg.incremental.outstate import OutputState, load_state, save_state
from kg.incremental.pagediags import (
    clear_diagnostics,
    drop_diagnostics,
    previous_unread,
    read_diagnostics,
    remember_unread,
    write_diagnostics,
)
from kg.incremental.readahead import reading_ahead
from kg.incremental.wholegraph import Delta
from kg.model import KnowledgeGraph
from kg.parse.publishers import label_organizations, organization_key
from kg.parse.records import ParsedPage
from kg.read.files import is_page, safe_name
from kg.report import BuildReport, subject_tallies, sum_tallies

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

    from kg.export.order import SortKey
    from kg.incremental.filecopy import RangeCopies

__all__ = ["rebuild", "Rebuilt", "PatchedFiles", "new_blocks", "write_patched", "record_diagnostics", "spare_path",
           "MAX_CHANGED_SHARE", "Parse"]

#: Parses ``(relative path, real path)`` files into ``(path, digest, stat, pickled facts)`` rows.
Parse: TypeAlias = Callable[[list[tuple[str, str]]], Iterable[MapRow]]
#: Family -> identities of the touched subjects (see :mod:`kg.facts.subjects`).
Touched: TypeAlias = dict[str, set[str]]

#: Above this share of changed pages a full build is about as fast: decline.
MAX_CHANGED_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class PatchedFiles:
    """The files a rebuild patches (format -> its state in the index), each one's spare, and
    where the new versions go: what :func:`write_patched` writes."""

    states: Mapping[str, OutputState]
    spares: Mapping[str, str]
    staging: Path
    base_iri: str


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """What :func:`rebuild` did: the new build report, what changed in the graph
    (for :func:`kg.incremental.wholegraph.patch_graph`) and the files still to patch.

    The report's counts are the files' before they are patched: exact when no
    page changed, else :func:`write_patched` gives the report with the new ones.
    """

    report: BuildReport
    delta: Delta
    changed: int  # pages added, edited or removed since the previous build
    files: PatchedFiles


def rebuild(root: Path, cache: PageCache, files: list[tuple[str, str]], problems: list[ParsedPage],
            outputs: dict[str, Path], *, base_iri: str, parse: Parse, staging: Path,
            on_change: Callable[[], None] | None = None) -> Rebuilt | None:
    """Bring the files in ``outputs`` (format -> path) up to date with the corpus.

    :func:`write_patched` then writes the new versions into ``staging`` under
    their names, for the caller to publish (files that did not change are not
    written); each one's previous version is to be kept at :func:`spare_path`.

    ``files`` are the walked page files ``(relative path, real path)``,
    ``problems`` the walk's diagnostics-only records, ``parse`` a function
    that parses a list of files into ``(path, digest, stat, pickled facts)``
    rows; ``on_change``, if given, is called once pages are found to have
    changed (and the rebuild goes on).  Returns the build report and the
    change to the graph, or ``None`` (having changed nothing) if the change
    cannot be applied exactly; the caller then builds in full.
    """
    with paused_gc():  # records, facts and index rows hold no cycles, and there are many
        return _rebuild(root, cache, files, problems, outputs, base_iri=base_iri, parse=parse,
                        staging=staging, on_change=on_change)


def _rebuild(root: Path, cache: PageCache, files: list[tuple[str, str]], problems: list[ParsedPage],
             outputs: dict[str, Path], *, base_iri: str, parse: Parse, staging: Path,
             on_change: Callable[[], None] | None) -> Rebuilt | None:
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
            if state.header_size + int(indexed) != state.size:
                return None  # a damaged index: write in full, which indexes again
            states[fmt] = state
    if not states:
        return None
    # The pages whose kept diagnostics do not match their digest are parsed and diagnosed again.
    kept_diagnostics, doubtful = read_diagnostics(db)
    found = file_changes(cache, files, doubtful)
    if (found.changed or found.deleted) \
            and any(d.code == "duplicate-page" for ds in kept_diagnostics.values() for d in ds):
        return None  # merging duplicates is global: a change is left to a full build (none keeps the files)
    if len(found.changed) + len(found.deleted) > MAX_CHANGED_SHARE * max(len(found.stored), 1) + 16:
        return None
    if on_change is not None and (found.changed or found.deleted):
        on_change()
    versions = _versions(cache, found, parse)
    spares = {fmt: spare_path(cache, state.path) for fmt, state in states.items()}
    # Only now: its big reads would queue ahead of the few that the stat checks and the
    # changed pages' cached versions need.  The files first, as they are read whole;
    # of the cache only scattered rows are.
    ahead = [*(s.path for s in states.values()), *spares.values()]
    if cache.file is not None:  # (it is: the cache is open)
        ahead.append(cache.file)
    with reading_ahead(ahead):
        return _patch(root, cache, found, versions, problems, PatchedFiles(states, spares, staging, base_iri),
                      kept_diagnostics)


@dataclass(frozen=True, slots=True)
class _Versions:
    """The changed pages as they are now (parsed) and as the cache has them, mapped to facts."""

    rows: list[MapRow]  # (path, digest, stat, pickled facts) to store
    new_facts: dict[str, PageFacts]
    old_facts: dict[str, PageFacts]


def _versions(cache: PageCache, found: FileChanges, parse: Parse) -> _Versions:
    rows = list(parse(found.changed))
    new_facts: dict[str, PageFacts] = {rel: load_record(blob) for rel, _, _, blob in rows}
    old = cache.facts([rel for rel, _ in found.changed if rel in found.stored] + found.deleted)
    return _Versions(rows, new_facts, old)


def _patch(root: Path, cache: PageCache, found: FileChanges, versions: _Versions,
           problems: list[ParsedPage], files: PatchedFiles,
           kept_diagnostics: dict[str, list[Diagnostic]]) -> Rebuilt | None:
    db, base_iri = cache.connection, files.base_iri
    new_facts, old_facts = versions.new_facts, versions.old_facts
    gone = set(found.deleted) | set(new_facts)  # pages whose stored rows are out of date
    if _duplicates(cache, new_facts, gone):
        return None
    touched = _touched(old_facts, new_facts)
    before, after = _headlines(old_facts), _headlines(new_facts)
    # A link's diagnostics read the claim of the event it names (is there one, its headline), or
    # that its page could not be read: the pages linking to an event whose claim came, went or was
    # reworded, or whose unreadable page came or went, are diagnosed again (from its reduce).
    # The walk's unreadable pages (a FIFO, a link out of the corpus ...) are in no cache: as a cold
    # build does, the reduce sees each as a page that gave no event; the linkers of those that came
    # or went since the last build are diagnosed again (unknown which: a full build).
    unreadable = {p.path: page_facts(p) for p in problems}
    before_unreadable = previous_unread(db)
    if before_unreadable is None:
        return None
    unread = (_unread(old_facts) ^ _unread(new_facts)) | (_unread(unreadable) ^ before_unreadable)
    touched["events"] |= unread
    renamed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)} | unread
    diagnosed = set(old_facts) | set(new_facts) | (cache.holders(("events", key) for key in renamed) - gone)
    held = cache.holders((family, name) for family in HELD for name in touched[family]) - gone
    facts = cache.facts(held)
    facts.update(new_facts)
    facts.update(unreadable)
    # Whether a day page lists an event is decided in its key's reduce (unlisted-event): the pages of
    # the events a changed day page lists or stopped listing are diagnosed again, and each diagnosed
    # event page's key is reduced with every day page that lists it. A touched key's holders, those
    # day pages among them, are loaded already; the other diagnosed pages' (one whose bytes changed
    # but not what it says, one linking to a reworded event) are fetched, the day pages alone.
    relisted = {link.target for f in (*old_facts.values(), *new_facts.values()) if f.day is not None
                for link in f.day.links} & touched["events"]
    diagnosed |= {path for path, f in facts.items() if f.event is not None and f.event.key in relisted}
    linkers = cache.holders(("events", f.event.key) for f in map(facts.get, diagnosed)
                            if f is not None and f.event is not None and f.event.key not in touched["events"])
    facts.update((path, f) for path, f in cache.facts(linkers - gone - facts.keys()).items() if f.day is not None)
    _follow_moved_events(touched, facts, before.keys() ^ after.keys())
    # The pages whose diagnostics, Related lines or day are made again need every event they
    # link to resolved as in the whole corpus (tallies count the links out of it).
    outward = [f for path, f in facts.items() if path in diagnosed
               or (f.event is not None and f.event.key in touched["related"])
               or (f.day is not None and f.day.date in touched["days"])]
    partial = reduce_graph([*facts.values(), *_stand_ins(cache, facts, outward, gone)], base_iri=base_iri,
                           corpus=safe_name(root.name)[0], count=False)
    del facts, outward  # (the partial graph holds what it needs of them: at 1% changed, a tenth of the pages)
    if any(d.code == "duplicate-page" for d in partial.report.diagnostics):
        return None

    # From here on the cache changes; the caller commits after the files are written.
    cache.store([(rel, digest, stat, new_facts[rel]) for rel, digest, stat, _ in versions.rows
                 if digest and stat])
    # A page that can no longer be read (unreadable) is kept by no build: its old row goes. (One too large
    # to read keeps a row, its diagnostic, under its stat signature: a rerun need not look at it again.)
    cache.forget(found.deleted + [rel for rel, digest, stat, _ in versions.rows if not (digest and stat)])
    db.executemany("UPDATE pages SET stat = ? WHERE path = ?", [(st, rel) for rel, st in found.restat])
    remember_unread(db, _unread(unreadable))
    touched["organizations"] |= _spellings_alike(cache, touched["organizations"])
    # The labels of the touched organizations, by the pages that now hold each spelling (the partial
    # graph's reduce counted only the pages it was made of).
    spelt = cache.held_counts(("organizations", name) for name in touched["organizations"])
    partial = replace(partial, organization_labels=label_organizations({name: n for (_, name), n in spelt.items()}))
    existing = cache.existing((family, name) for family in COUNTED for name in touched[family])
    diagnostics = _update_diagnostics(db, partial, diagnosed, kept_diagnostics, found.walked)
    diagnostics.extend(d for p in problems for d in p.diagnostics)
    read = len(found.walked) + sum(is_page(p.path) for p in problems)
    report = BuildReport(corpus=safe_name(root.name)[0], pages_read=read,
                         diagnostics=tuple(sorted(diagnostics, key=diagnostic_order)),
                         counts=_counts(files.states))
    return Rebuilt(report, Delta(partial, touched, existing), len(found.changed) + len(found.deleted), files)


def new_blocks(rebuilt: Rebuilt) -> Iterator[tuple[str, dict[str, KindChange]]]:
    """Per patched format, the new blocks of the subjects ``rebuilt`` touched, made as they are asked for:
    all that :func:`write_patched` needs of the partial graph."""
    touched, existing, partial = rebuilt.delta.touched, rebuilt.delta.existing, rebuilt.delta.partial
    for fmt in rebuilt.files.states:
        yield fmt, _changes(partial, touched, existing, FORMATS[fmt], rebuilt.files.base_iri)


def write_patched(cache: PageCache, files: PatchedFiles, blocks: Iterable[tuple[str, dict[str, KindChange]]],
                  report: BuildReport) -> tuple[BuildReport, list[tuple[OutputState, RangeCopies]]]:
    """Splice ``blocks`` (see :func:`new_blocks`) into ``files`` (new versions in their staging folder)
    and update their index in the cache's transaction; ``report`` with the new files' counts, and the
    unchanged runs still to copy into the new files, with each file's state, before they are published
    (:func:`kg.incremental.patching.copying_patched`).

    Raises :class:`~kg.incremental.datacodec.CodecError` on a damaged index row (then roll the
    cache back and build in full).
    """
    db, version = cache.connection, cache.version
    states = dict(files.states)
    copies: list[tuple[OutputState, RangeCopies]] = []
    # Read in again if they left the OS page cache meanwhile (the kernel keeps what it already has).
    with reading_ahead([*(state.path for state in states.values()), *files.spares.values()]):
        for fmt, changes in blocks:
            state = states[fmt]
            if changes:
                states[fmt], copied = splice(db, state, changes, version, files.spares[fmt],
                                             os.path.join(files.staging, Path(state.path).name))
                copies.append((states[fmt], copied))
            elif state.version != version:  # the file stays as it is, and is now that of the pages as they are
                states[fmt] = replace(state, version=version)
                save_state(db, states[fmt])
            del changes  # before the next format's are made (when they are made as asked for)
    return replace(report, counts=_counts(states)), copies


def _counts(states: Mapping[str, OutputState]) -> dict[str, int]:
    """The report's counts, as the files of ``states`` tally them (each file the same)."""
    return sum_tallies(next(iter(states.values())).totals.items())


def _touched(old_facts: dict[str, PageFacts], new_facts: dict[str, PageFacts]) -> Touched:
    """The subjects on which a changed page's old and new facts differ, by family.

    One more family is not a subject a page holds: ``related``, an event's
    Related lines, touched with the event (and by :func:`_follow_moved_events`).
    """
    touched: Touched = {family: set() for family in (*FAMILIES, "related")}
    for path in old_facts.keys() | new_facts.keys():
        before = page_subjects(old_facts[path]) if path in old_facts else {}
        after = page_subjects(new_facts[path]) if path in new_facts else {}
        for subject in before.keys() | after.keys():
            if before.get(subject) != after.get(subject):
                touched[subject[0]].add(subject[1])
    touched["related"] |= touched["events"]
    return touched


def _spellings_alike(cache: PageCache, names: Collection[str]) -> set[str]:
    """The spellings some page holds of the organizations ``names`` spell: an organization's node is named
    after all of them (:func:`~kg.parse.publishers.organization_label`), so all are made again."""
    keys = {organization_key(name) for name in names}
    return {name for name in cache.held_names("organizations") if organization_key(name) in keys} if keys else set()


def _unread(facts: dict[str, PageFacts]) -> set[str]:
    """The event keys of the pages among ``facts`` that could not be read (see :func:`unread_key`)."""
    return {key for f in facts.values() if (key := unread_key(f)) is not None}


def _headlines(facts: dict[str, PageFacts]) -> dict[str, str]:
    """Event key -> headline of the event claims among ``facts``."""
    return {f.event.key: f.event.headline for f in facts.values() if f.event is not None}


def _follow_moved_events(touched: Touched, facts: dict[str, PageFacts], moved: set[str]) -> None:
    """An event that came into the corpus or left it changes the counts of what links to it.

    A day's and a Related line's tallies count their links out of the corpus
    (:func:`kg.report.subject_tallies`), so the days and Related lines of the
    pages that link to such an event are touched too; those pages hold the
    event, so they are among ``facts``.
    """
    if not moved:
        return
    for f in facts.values():
        if f.event is not None and any(link.target in moved for link in f.event.links):
            touched["related"].add(f.event.key)
        elif f.day is not None and any(link.target in moved for link in f.day.links):
            touched["days"].add(f.day.date)


def _stand_ins(cache: PageCache, facts: dict[str, PageFacts], outward: list[PageFacts],
               gone: set[str]) -> list[PageFacts]:
    """A claim (headline only) for each event ``outward`` pages link to whose page is not among ``facts``;
    a page that could not be read, as it is (no claim), for each such event whose page is that.

    A link resolves to an event of the corpus, and is checked against its
    headline, only if the event's page is there.  A stand-in's content is
    its own, so that no two merge as duplicates.
    """
    targets = {link.target for f in outward
               for link in (f.event.links if f.event else f.day.links if f.day else ())} - _headlines(facts).keys()
    held = cache.held([*((CLAIM, key) for key in targets), *((UNREAD, key) for key in targets)])
    pages = {path: (family, key) for (family, key), paths in held.items() for path in paths
             if path not in gone and path not in facts}
    claims = cache.facts(path for path, (family, _) in pages.items() if family == CLAIM)
    stand_ins = []
    for path, (family, key) in sorted(pages.items()):
        if family == UNREAD:
            stand_ins.append(PageFacts(path))
            continue
        cached = claims.get(path)  # (none: a page the index holds and the cache lost, as damage would)
        claim = None if cached is None else cached.event
        if claim is None or claim.key != key:
            raise CodecError(f"the cached facts of {path} do not claim {key}")
        stand_ins.append(PageFacts(path, event=EventClaim(key, path, claim.headline, f"stand-in {key}", (), ())))
    return stand_ins


def spare_path(cache: PageCache, output: str | os.PathLike[str]) -> str:
    """Where the cache keeps the previous version of an output file, to write the next one over."""
    return os.path.join(cache.folder or ".", f"previous-{Path(output).name}")


def record_diagnostics(cache: PageCache, report: BuildReport, problems: Iterable[ParsedPage]) -> None:
    """Keep a full build's diagnostics per page, and which pages its walk found unreadable, for later rebuilds."""
    unreadable = {p.path: page_facts(p) for p in problems}
    skip = set(unreadable)
    by_path: dict[str, list[Diagnostic]] = {}
    for d in report.diagnostics:
        if d.path not in skip:
            by_path.setdefault(d.path, []).append(d)
    db = cache.connection
    clear_diagnostics(db)
    write_diagnostics(db, by_path)
    remember_unread(db, _unread(unreadable))


def _duplicates(cache: PageCache, new_facts: dict[str, PageFacts], gone: set[str]) -> bool:
    """Whether a new or changed page collides with another (same event, content or day)."""
    seen: dict[tuple[str, str], str] = {}
    for facts in new_facts.values():
        for subject in index_keys(facts):
            if subject[0] in (CLAIM, CONTENT, DAY_PAGE) and seen.setdefault(subject, facts.path) != facts.path:
                return True
    return any(path not in gone for paths in cache.held(seen).values() for path in paths)


def _changes(g: KnowledgeGraph, touched: Mapping[str, Collection[str]], existing: Collection[tuple[str, str]],
             rdf_format: ox.RdfFormat, base_iri: str) -> dict[str, KindChange]:
    """The new blocks of every touched subject, per node kind."""
    from kg.export.order import subject_keys
    from kg.export.prefixes import output_prefixes

    prefixes = output_prefixes(base_iri) if rdf_format == FORMATS["turtle"] else None
    events, related = {page_key(k) for k in touched["events"]}, {page_key(k) for k in touched["related"]}
    days = {dt.date.fromisoformat(d) for d in touched["days"]}
    pairs = {tuple(map(page_key, pair_keys(pair))) for pair in touched["shared"]}

    def names(family: str) -> tuple[str, ...]:
        return tuple(sorted(name for name in touched[family] if (family, name) in existing))

    # Per node kind: the graph cut down to its touched subjects, and their sort keys.
    views: dict[str, tuple[KnowledgeGraph, Collection[SortKey]]] = {
        "events": (replace(g, event_records={k: e for k, e in g.event_records.items() if k in events}),
                   {_sort_key(k) for k in touched["events"]}),
        "days": (replace(g, days={d: v for d, v in g.days.items() if d in days}), touched["days"]),
        "articles": (replace(g, articles={u: a for u, a in g.articles.items() if u in touched["articles"]}),
                     touched["articles"]),
        "publishers": (replace(g, publishers=names("publishers")), touched["publishers"]),
        "organizations": (replace(g, organizations=names("organizations")),
                          {organization_key(name) for name in touched["organizations"]}),
        "images": (replace(g, images=names("images")), touched["images"]),
        "contexts": (replace(g, contexts=names("contexts")), touched["contexts"]),
        "related": (replace(g, related=tuple(r for r in g.related if r.source in related)),
                    {_sort_key(k) for k in touched["related"]}),
        "shared": (replace(g, shared=tuple(s for s in g.shared if (s.first, s.second) in pairs)),
                   {(*_sort_key(a), *_sort_key(b)) for a, b in map(pair_keys, touched["shared"])}),
        "pages": (_only_pages(g, touched["pages"]), touched["pages"]),
    }
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


def _sort_key(key: str) -> tuple[str, str]:
    """An event key's place in the output (:func:`kg.export.order.event_sort_key`): day and slug."""
    date, slug = key.split("/", 1)
    return date, slug


def _update_diagnostics(db: sqlite3.Connection, partial: KnowledgeGraph, diagnosed: set[str],
                        kept: dict[str, list[Diagnostic]], walked: set[str]) -> list[Diagnostic]:
    """Replace the diagnostics of the re-diagnosed pages; return every page's."""
    fresh: dict[str, list[Diagnostic]] = {}
    for d in partial.report.diagnostics:
        if d.path in diagnosed:
            fresh.setdefault(d.path, []).append(d)
    for path in diagnosed | (set(kept) - walked):
        kept.pop(path, None)
    kept.update(fresh)
    drop_diagnostics(db, diagnosed)
    drop_diagnostics(db, [p for p in kept if p not in walked])
    write_diagnostics(db, fresh)
    return [d for ds in kept.values() for d in ds if d.path in walked]


def _only_pages(g: KnowledgeGraph, paths: Collection[str]) -> KnowledgeGraph:
    """The graph with only the events and days whose page is one of ``paths`` (for kg:Page subjects)."""
    return replace(g, event_records={k: e for k, e in g.event_records.items() if e.page in paths},
                   days={d: v for d, v in g.days.items() if v.page in paths})
