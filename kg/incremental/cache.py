"""The incremental build cache: the facts of each page, keyed by its content hash.

One SQLite file (``pages.sqlite`` in the cache folder) holds a row per page:
its corpus-relative path, the SHA-256 of its bytes and the file's stat
signature when it was hashed; and, in a table of their own, its facts
(:class:`kg.facts.PageFacts`: what the map made of it, all that a reduce reads)
as JSON (:mod:`kg.incremental.datacodec`: plain data, so a tampered cache
cannot run code; a row that does not decode is a miss).  A rebuild re-parses
only the pages whose hash changed or that are new, and forgets the rows of
deleted pages.  As in git's index, a file whose stat signature is unchanged
is not read again to learn its hash (:mod:`kg.incremental.signature`); any
other file is hashed.

Beside the facts it keeps what :mod:`kg.incremental.rebuild` looks up: which
pages hold each subject, and each page's event key, content digest and day,
to find duplicates (``holds``, each subject's holders vouched for by a count
and a checksum in ``names``: :mod:`kg.incremental.heldindex`), each page's
diagnostics (``diags``, vouched for by a digest in the page's row:
:mod:`kg.incremental.pagediags`), and the index of the files
the last build wrote (``outputs``, ``segments``; see
:mod:`kg.incremental.outindex`), with the previous version of each of those files.

The cache is only an accelerator: it is dropped whole when the parsing code
changes (a fingerprint of the modules that make the facts is stored with
it), and a cache that cannot be read, in part or whole, is ignored and
rebuilt, never an error.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeAlias

from kg.facts.records import PageFacts
from kg.facts.subjects import Subject
from kg.incremental import heldindex
from kg.incremental.cachefile import (
    CACHE_FILE,
    SCHEMA,
    Row,
    connect,
    drop_links,
    hold,
    journal,
    parser_fingerprint,
    remove,
    select_in,
)
from kg.incremental.datacodec import CodecError, decode_facts, encode_facts
from kg.incremental.signature import file_digest, stat_signature
from kg.publish import output_error

__all__ = ["PageCache", "parser_fingerprint", "file_digest", "stat_signature", "select_in",
           "CACHE_FILE", "CodecError", "Row", "StoreRow"]

#: ``(path, digest, stat signature, facts)``: what :meth:`PageCache.store` takes.
StoreRow: TypeAlias = tuple[str, str, str, PageFacts]

class PageCache:
    """Parsed pages by path and content hash, in one SQLite file.

    Use :meth:`open`, which never raises on a damaged cache; then
    :meth:`cached` to take the unchanged pages, :meth:`store` for the freshly
    parsed ones and :meth:`close` to commit and drop the rows of pages that
    are gone.

    Examples
    --------
    >>> import tempfile
    >>> from kg.facts import page_facts
    >>> from kg.parse.records import ParsedPage
    >>> folder = tempfile.mkdtemp()
    >>> page = os.path.join(folder, "a.md")
    >>> with open(page, "w") as fh:
    ...     _ = fh.write("# A")
    >>> cache = PageCache.open(folder)
    >>> parsed = ParsedPage("news/a.md", None)
    >>> cache.store([("news/a.md", file_digest(page), stat_signature(page), page_facts(parsed))])
    >>> [f.path for f in cache.cached({"news/a.md": page}).values()]
    ['news/a.md']
    >>> with open(page, "w") as fh:
    ...     _ = fh.write("# B")
    >>> cache.cached({"news/a.md": page})
    {}
    >>> cache.close(keep={"news/a.md"})
    """

    def __init__(self, db: sqlite3.Connection | None, path: Path | None = None, held: int | None = None,
                 unused: str | None = None, variant: str = "") -> None:
        self._sqlite = db
        self._path = path
        self._variant = variant  # what the facts were read with beyond kg's code (see connect)
        #: why a cache asked for is not used (another build holds it, it cannot be made); None when it is
        self.unused = unused
        self._held = held  # the descriptor that holds the folder (see kg.incremental.cachefile.hold)
        # A first fill's indexes, made in a thread (see store_all); whether that failed.
        self._indexing: threading.Thread | None = None
        self._indexing_failed = False

    @property
    def _db(self) -> sqlite3.Connection | None:
        """The connection, once the indexes of a first fill are made: every use goes through here."""
        if self._indexing is not None:
            self._wait_for_indexes()
        return self._sqlite

    @_db.setter
    def _db(self, db: sqlite3.Connection | None) -> None:
        self._sqlite = db

    @classmethod
    def open(cls, folder: str | os.PathLike[str], *, follow_link: bool = True, variant: str = "") -> PageCache:
        """Open (or create) the cache in ``folder``; a damaged one is replaced, and so is one whose facts were
        read otherwise than ``variant`` says (:attr:`~kg.parse.options.ParseOptions.facts_key`).

        While another process has the cache open, this build goes without one.
        With ``follow_link`` false (the default folder inside an output folder,
        where kg follows no link), a ``folder`` that is a link is not used either.
        """
        path = Path(folder) / CACHE_FILE
        if not follow_link and path.parent.is_symlink():
            return cls(None, unused=f"{path.parent} is a link, and kg follows none in an output folder")
        held = None
        failure: Exception | None = None
        for attempt in range(2):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                if held is None:
                    held = hold(path.parent)
                    if held is None:  # another build is using it: never write one file from two
                        return cls(None, unused="another build is using it")
                drop_links(path)  # (the folder is held: no other build is making its files)
                return cls(connect(path, variant=variant), path, held, variant=variant)
            except (sqlite3.Error, OSError) as err:
                failure = err
                if attempt == 0 and held is not None:
                    remove(path)
        if held is not None:
            os.close(held)
        # not even a fresh cache could be made: build without one
        reason = (output_error(failure, failure.filename or path.parent) if isinstance(failure, OSError)
                  else failure)  # (the file that failed, where the error names one: pages.lock, a side file ...)
        return cls(None, unused=str(reason))

    @property
    def folder(self) -> str | None:
        """The cache folder (``None`` after a failure)."""
        return None if self._path is None else os.fspath(self._path.parent)

    @property
    def file(self) -> str | None:
        """The cache's database file (``None`` after a failure)."""
        return None if self._path is None else os.fspath(self._path)

    @property
    def usable(self) -> bool:
        """Whether the cache is backed by a file (false after a failure)."""
        return self._db is not None

    def cached(self, files: dict[str, str]) -> dict[str, PageFacts]:
        """Return the cached facts of the pages (path -> file) whose bytes are unchanged."""
        found: dict[str, PageFacts] = {}
        for path, facts in self.iter_cached(files):
            if facts is None:  # the cache failed: every page is parsed again, into a fresh cache
                return {}
            found[path] = facts
        return found

    def iter_cached(self, files: dict[str, str]) -> Iterator[tuple[str, PageFacts | None]]:
        """:meth:`cached`, a page at a time; ``("", None)`` once, at the end, if the cache failed
        meanwhile (the pages given before must then be parsed again too)."""
        if self._db is None:
            return
        try:
            rows = self._db.execute("SELECT path, digest, stat, facts FROM pages JOIN facts USING (path)")
            for path, digest, stat, blob in rows:
                real = files.get(path)
                if real is None:
                    continue
                now = stat_signature(real)
                if now is None or (now != stat and file_digest(real) != digest):
                    continue
                try:
                    facts = decode_facts(blob)
                except CodecError:  # a damaged or tampered row is a cache miss
                    continue
                if facts.path == path:
                    yield path, facts
        except sqlite3.Error:
            self._fail()
            yield "", None

    def store(self, rows: Iterable[StoreRow], *, fresh: bool = False, counted: bool = True) -> None:
        """Save ``(path, digest, stat signature, facts)`` rows, and index their subjects.

        The facts are stored as JSON (:func:`kg.incremental.datacodec.encode_facts`).
        ``fresh`` says that no row of these paths is stored yet: nothing to take back;
        not ``counted``, that the subjects' counts are made at the end of a first fill.
        """
        if self._db is None:
            return
        todo = list(rows)
        for _ in range(2):  # a damaged (or tampered) cache is started afresh, and filled
            try:
                self._replace(todo, fresh, counted)
                return
            except (sqlite3.Error, CodecError):
                self._fail()
                if not self.usable:  # no fresh cache could be made
                    return

    def store_all(self, rows: Iterable[StoreRow], batch: int, *, index_meanwhile: bool = False) -> None:
        """Save rows as they come, ``batch`` at a time (memory stays bounded by a batch).

        Filling an empty cache (a first build), the indexes are made once at
        the end: kept up row by row over 160,000 pages, they cost more than
        the rest of the cache together.  With ``index_meanwhile`` they are
        made in a thread while the caller goes on (SQLite lets go of the
        interpreter lock; 10 s at 150,000 pages, which a build spends
        reducing on one core); the cache's next use waits for them.
        ``rows`` is consumed whole, also if the cache fails on the way.
        """
        filling = self._empty()
        if filling:
            self._drop_indexes()
            try:
                journal(self.connection, on=False)
            except sqlite3.Error:
                self._fail()
        ended = False
        try:
            todo: list[StoreRow] = []
            for row in rows:
                todo.append(row)
                if len(todo) >= batch:
                    self.store(todo, fresh=filling, counted=not filling)
                    todo = []
            self.store(todo, fresh=filling, counted=not filling)
            ended = True
        finally:
            # A fill cut short (Ctrl-C, a failed worker) keeps its mark: its rows may stop
            # half way through a page's, and the next build starts the cache afresh.
            if filling and ended and self._db is not None:
                self._indexing = threading.Thread(target=self._end_fill, name="kg cache indexes", daemon=True)
                self._indexing.start()
                if not index_meanwhile:
                    self._wait_for_indexes()

    def _wait_for_indexes(self) -> None:
        thread, self._indexing = self._indexing, None
        if thread is None:
            return
        thread.join()
        if self._indexing_failed:
            self._indexing_failed = False
            self._fail()

    def _end_fill(self) -> None:
        """Make the indexes and subject counts a first fill went without, and turn the journal on (in a
        thread of its own)."""
        db = self._sqlite
        assert db is not None
        try:
            db.executescript(SCHEMA)  # (IF NOT EXISTS: the dropped indexes only)
            heldindex.count_all(db)
            journal(db, on=True)
        except sqlite3.Error:  # made a fresh cache by the thread that uses it next
            self._indexing_failed = True

    def close(self, keep: set[str] | None = None) -> None:
        """Forget the pages not in ``keep`` (deleted ones) if given, commit, close and let the folder go."""
        try:
            if self._db is None:
                return
            try:
                if keep is not None:
                    self.forget_except(keep)
                self._db.commit()
                self._db.close()
            except sqlite3.Error:
                self._path = None
                self._fail()
            self._db = None
        finally:
            if self._held is not None:
                os.close(self._held)
                self._held = None

    def forget_except(self, keep: set[str]) -> None:
        """Forget every page not in ``keep`` (the deleted ones)."""
        if self._db is None:
            return
        try:
            self.forget([p for p in self._paths() if p not in keep])
        except (sqlite3.Error, CodecError):
            self._fail()

    def rollback(self) -> None:
        """Undo what was not committed."""
        if self._db is not None:
            self._db.rollback()

    # ------------------------------------------------------------ the index
    @property
    def db(self) -> sqlite3.Connection | None:
        """The open connection, for :mod:`kg.incremental.rebuild` (``None`` after a failure)."""
        return self._db

    @property
    def connection(self) -> sqlite3.Connection:
        """The open connection; :class:`sqlite3.ProgrammingError` if the cache is closed or failed.

        For code that has checked :attr:`usable`: SQLite raises the same on a closed connection.
        """
        if self._db is None:
            raise sqlite3.ProgrammingError("Cannot operate on a closed page cache.")
        return self._db

    @property
    def version(self) -> int:
        """A number that grows whenever a page row changes."""
        row = self.connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return int(row[0]) if row else 0

    def stored_stats(self) -> dict[str, str]:
        """Path -> stat signature of every cached page, without loading facts."""
        return dict(self.connection.execute("SELECT path, stat FROM pages"))

    def digests(self, paths: Iterable[str]) -> dict[str, str]:
        """Path -> content hash of the cached pages among ``paths``."""
        return dict(self._select("SELECT path, digest FROM pages WHERE path IN ({})", paths))

    def facts(self, paths: Iterable[str]) -> dict[str, PageFacts]:
        """The cached facts of ``paths`` (those it has).

        Raises :class:`~kg.incremental.datacodec.CodecError` on a row that does not
        decode: an incremental rebuild then declines and builds in full.
        """
        found: dict[str, PageFacts] = {}
        for path, blob in list(self._select("SELECT path, facts FROM pages LEFT JOIN facts USING (path) "
                                            "WHERE path IN ({})", paths)):
            if blob is None:  # a page without its facts: the cache was tampered with
                raise CodecError(f"no facts are cached for {path}")
            facts = decode_facts(blob)
            if facts.path != path:
                raise CodecError(f"the cached facts of {path} name another page")
            found[path] = facts
        return found

    def holders(self, subjects: Iterable[Subject]) -> set[str]:
        """The cached pages that hold any of ``subjects`` (see :func:`kg.incremental.heldindex.index_keys`).

        Raises :class:`~kg.incremental.heldindex.IndexDamage` where the index was changed behind the cache's back.
        """
        return set().union(*heldindex.lookup(self.connection, subjects).values())

    def held(self, subjects: Iterable[Subject]) -> dict[Subject, set[str]]:
        """:meth:`holders`, by subject (those no page holds left out)."""
        return heldindex.lookup(self.connection, subjects)

    def existing(self, subjects: Iterable[Subject]) -> set[Subject]:
        """Those of ``subjects`` some page holds (see :func:`kg.incremental.heldindex.held_subjects`)."""
        return heldindex.held_subjects(self.connection, subjects)

    def held_counts(self, subjects: Iterable[Subject]) -> dict[Subject, int]:
        """How many pages hold each of ``subjects`` (see :func:`kg.incremental.heldindex.held_counts`)."""
        return heldindex.held_counts(self.connection, subjects)

    def held_names(self, family: str) -> list[str]:
        """The names of a counted family some page holds (see :func:`kg.incremental.heldindex.held_names`)."""
        return heldindex.held_names(self.connection, family)

    def reset(self) -> None:
        """Start the cache afresh (its index was found damaged): the next build fills it anew."""
        self._fail()

    def forget(self, paths: list[str]) -> None:
        """Drop pages and what they hold."""
        if not paths:
            return
        held = self._holdings(paths)
        args = [(p,) for p in paths]
        self.connection.executemany("DELETE FROM pages WHERE path = ?", args)
        self.connection.executemany("DELETE FROM facts WHERE path = ?", args)
        self._unlink(paths, held)
        self._bump()

    def _replace(self, rows: list[StoreRow], fresh: bool, counted: bool = True) -> None:
        if not rows:
            return
        db = self.connection
        if not fresh:
            paths = [row[0] for row in rows]
            self._unlink(paths, self._holdings(paths))
        table: list[tuple[str, str, str]] = []
        blobs: list[tuple[str, bytes]] = []
        holds: list[tuple[str, Subject]] = []
        for path, digest, stat, facts in rows:
            table.append((path, digest, stat))
            blobs.append((path, encode_facts(facts)))
            holds.extend((path, subject) for subject in heldindex.index_keys(facts))
        # (no digest of kept diagnostics: a page stored anew has none until a build writes them)
        db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, NULL)", table)
        db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?)", blobs)
        heldindex.add(db, holds, counted=counted)
        self._bump()

    def _empty(self) -> bool:
        try:
            return self._db is not None and self._db.execute("SELECT 1 FROM pages LIMIT 1").fetchone() is None
        except sqlite3.Error:
            self._fail()
            return False

    def _drop_indexes(self) -> None:
        """Drop the schema's indexes (not the primary keys'), for a bulk fill."""
        db = self.connection
        try:
            for (index,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                       "AND sql IS NOT NULL").fetchall():
                db.execute(f"DROP INDEX {index}")
        except sqlite3.Error:
            self._fail()

    def _holdings(self, paths: list[str]) -> list[tuple[str, Subject]]:
        """What the cached versions of ``paths`` are held under, from their (checked) facts."""
        if self.connection.execute("SELECT 1 FROM pages LIMIT 1").fetchone() is None:
            return []  # a first build: nothing cached to take back
        return [(path, subject) for path, facts in self.facts(paths).items() for subject in heldindex.index_keys(facts)]

    def _unlink(self, paths: list[str], held: list[tuple[str, Subject]]) -> None:
        db = self.connection
        if db.execute("SELECT 1 FROM holds LIMIT 1").fetchone() is None:
            return  # a first build: nothing to drop, and no need to look 160,000 times
        heldindex.remove(db, paths, held)
        db.executemany("DELETE FROM diags WHERE path = ?", [(p,) for p in paths])

    def _bump(self) -> None:
        self.connection.execute("INSERT INTO meta VALUES ('version', '1') ON CONFLICT (key) "
                                "DO UPDATE SET value = CAST(value AS INTEGER) + 1")

    def _select(self, sql: str, keys: Iterable[str]) -> Iterator[Row]:
        return select_in(self.connection, sql, keys)

    def _paths(self) -> Iterator[str]:
        return (row[0] for row in self.connection.execute("SELECT path FROM pages").fetchall())

    def _fail(self) -> None:
        """Drop a cache found damaged mid-way and start a fresh one."""
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        if self._path is not None:
            remove(self._path)
            try:
                self._db = connect(self._path, variant=self._variant)
            except (sqlite3.Error, OSError):
                self._db = None
