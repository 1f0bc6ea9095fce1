"""The incremental build cache: parsed records of each page, keyed by its content hash.

One SQLite file (``pages.sqlite`` in the cache folder) holds a row per page:
its corpus-relative path, the SHA-256 of its bytes, its
:class:`~kg.parse.records.ParsedPage` as JSON (:mod:`kg.incremental.datacodec`: plain data, so
a tampered cache cannot run code; a row that does not decode is a miss) and
the file's stat signature when it was hashed.  A rebuild re-parses only the pages whose hash changed or that are
new, and forgets the rows of deleted pages.  As in git's index, a file whose
size, mtime, ctime and inode are all unchanged is not read again to learn its
hash (the ctime cannot be set back by tools that copy times); any other file
is hashed.

Beside the records it keeps what :mod:`kg.incremental.rebuild` looks up: each page's
facts (:mod:`kg.incremental.pageindex`) with its links to events (``refs``: the event, rank,
text, target and contexts of each, so that what a page gives an event can be had
without its record) and the URLs it cites (``cites``) indexed, how many pages name each publisher, context
and image (``names``), each page's diagnostics (``diags``), and the index of
the files the last build wrote (``outputs``, ``segments``; see
:mod:`kg.incremental.outindex`), with the previous version of each of those files.

The cache is only an accelerator: it is dropped whole when the parsing code
changes (a fingerprint of the modules that make the records is stored with
it), and a cache that cannot be read, in part or whole, is ignored and
rebuilt, never an error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from kg.incremental.datacodec import CodecError, decode_facts, decode_record, dumps, encode_facts, encode_record
from kg.incremental.fingerprint import code_fingerprint
from kg.parse.records import ParsedPage

if TYPE_CHECKING:  # pragma: no cover
    from kg.incremental.pageindex import PageFacts

__all__ = ["PageCache", "parser_fingerprint", "file_digest", "stat_signature", "select_in",
           "CACHE_FILE", "CodecError", "Row", "StoreRow"]

CACHE_FILE = "pages.sqlite"

#: A row as SQLite gives it: the column types are the schema's, which Python's driver does not know.
Row: TypeAlias = tuple[Any, ...]
#: ``(path, digest, stat signature, worker's bytes, record)``: what :meth:`PageCache.store` takes.
StoreRow: TypeAlias = tuple[str, str, str, bytes, ParsedPage]
# What the tables hold: a ``pages`` row, a ``refs`` row, a ``cites`` row.
_PageRow: TypeAlias = tuple[str, str, str, bytes, bytes, str | None, str | None, str | None, str | None, str | None]
_RefRow: TypeAlias = tuple[str, str, int, str, str, bytes]
_CiteRow: TypeAlias = tuple[str, str]

# The modules whose code decides what a page parses to.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, digest TEXT NOT NULL, stat TEXT NOT NULL,
                                  record BLOB NOT NULL, facts BLOB NOT NULL, kind TEXT, key TEXT,
                                  date TEXT, headline TEXT, content TEXT);
CREATE INDEX IF NOT EXISTS pages_stat ON pages (path, stat);
-- What a page is, for joins that must not reach past the record to the later columns.
CREATE INDEX IF NOT EXISTS pages_kind ON pages (path, kind, key);
CREATE INDEX IF NOT EXISTS pages_key ON pages (key);
CREATE INDEX IF NOT EXISTS pages_date ON pages (date);
CREATE INDEX IF NOT EXISTS pages_content ON pages (content);
CREATE TABLE IF NOT EXISTS refs (path TEXT NOT NULL, key TEXT NOT NULL, rank INTEGER NOT NULL,
                                 text TEXT NOT NULL, target TEXT NOT NULL, contexts BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS refs_key ON refs (key);
CREATE INDEX IF NOT EXISTS refs_path ON refs (path);
CREATE TABLE IF NOT EXISTS cites (path TEXT NOT NULL, url TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS cites_url ON cites (url);
CREATE INDEX IF NOT EXISTS cites_path ON cites (path);
CREATE TABLE IF NOT EXISTS names (kind TEXT NOT NULL, name TEXT NOT NULL, n INTEGER NOT NULL,
                                  PRIMARY KEY (kind, name));
CREATE TABLE IF NOT EXISTS diags (path TEXT PRIMARY KEY, diagnostics BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS outputs (format TEXT PRIMARY KEY, state BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS segments (id INTEGER PRIMARY KEY, format TEXT NOT NULL, kind TEXT NOT NULL,
                                     first BLOB NOT NULL, length INTEGER NOT NULL, tally BLOB NOT NULL,
                                     body BLOB NOT NULL);
-- The index of a file is read whole at each rebuild: from this index alone, not the table.
CREATE INDEX IF NOT EXISTS segments_dir ON segments (format, kind, first, length);
"""
# Everything goes when the parsing code changes: the layout may have changed too.
_TABLES = ("pages", "refs", "cites", "names", "diags", "outputs", "segments")


def parser_fingerprint() -> str:
    """A hash of the code that turns bytes into records: a new one invalidates the cache.

    Examples
    --------
    >>> len(parser_fingerprint())
    64
    """
    return hashlib.sha256(f"{code_fingerprint()} json schema {_SCHEMA}".encode()).hexdigest()


def stat_signature(path: str) -> str | None:
    """Size, mtime, ctime and inode of a file: unchanged means the bytes are too."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def file_digest(path: str) -> str | None:
    """SHA-256 of a file's bytes, as :func:`kg.read.files.read_page` computes it."""
    import stat

    from kg.read.files import _OPEN_FLAGS, MAX_PAGE_BYTES

    try:
        fd = os.open(path, _OPEN_FLAGS)  # as read_page opens it: a FIFO cannot hang this
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_PAGE_BYTES:
            return None  # never cached: read_page skips it without reading
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


class PageCache:
    """Parsed pages by path and content hash, in one SQLite file.

    Use :meth:`open`, which never raises on a damaged cache; then
    :meth:`cached` to take the unchanged pages, :meth:`store` for the freshly
    parsed ones and :meth:`close` to commit and drop the rows of pages that
    are gone.

    Examples
    --------
    >>> import tempfile
    >>> from kg.parse.records import ParsedPage
    >>> folder = tempfile.mkdtemp()
    >>> page = os.path.join(folder, "a.md")
    >>> with open(page, "w") as fh:
    ...     _ = fh.write("# A")
    >>> cache = PageCache.open(folder)
    >>> parsed = ParsedPage("news/a.md", None)
    >>> cache.store([("news/a.md", file_digest(page), stat_signature(page), b"", parsed)])
    >>> [p.path for p in cache.cached({"news/a.md": page}).values()]
    ['news/a.md']
    >>> with open(page, "w") as fh:
    ...     _ = fh.write("# B")
    >>> cache.cached({"news/a.md": page})
    {}
    >>> cache.close(keep={"news/a.md"})
    """

    def __init__(self, db: sqlite3.Connection | None, path: Path | None = None) -> None:
        self._db = db
        self._path = path

    @classmethod
    def open(cls, folder: str | os.PathLike[str]) -> PageCache:
        """Open (or create) the cache in ``folder``; a damaged one is replaced."""
        path = Path(folder) / CACHE_FILE
        for attempt in range(2):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                return cls(_connect(path), path)
            except (sqlite3.Error, OSError):
                if attempt == 0:
                    _remove(path)
        return cls(None)  # not even a fresh cache could be made: build without one

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

    def cached(self, files: dict[str, str]) -> dict[str, ParsedPage]:
        """Return the cached records of the pages (path -> file) whose bytes are unchanged."""
        found: dict[str, ParsedPage] = {}
        if self._db is None:
            return found
        try:
            rows = self._db.execute("SELECT path, digest, stat, record FROM pages")
            for path, digest, stat, record in rows:
                real = files.get(path)
                if real is None:
                    continue
                now = stat_signature(real)
                if now is None or (now != stat and file_digest(real) != digest):
                    continue
                try:
                    page = decode_record(record)
                except CodecError:  # a damaged or tampered row is a cache miss
                    continue
                if isinstance(page, ParsedPage) and page.path == path:
                    found[path] = page
        except sqlite3.Error:
            self._fail()
            return {}  # every page is parsed again, into a fresh cache
        return found

    def store(self, rows: Iterable[StoreRow], facts: dict[str, PageFacts] | None = None) -> None:
        """Save ``(path, digest, stat signature, anything, record)`` rows and their facts.

        The record is stored as JSON (:func:`kg.incremental.datacodec.encode_record`); the
        fourth item (the worker's hand-over bytes) is not stored.

        ``facts`` may hold the facts of some of the records, already read off.
        """
        if self._db is None:
            return
        todo = list(rows)
        for _ in range(2):  # a damaged (or tampered) cache is started afresh, and filled
            try:
                self._replace(todo, facts or {})
                return
            except (sqlite3.Error, CodecError):
                self._fail()
                if not self.usable:  # no fresh cache could be made
                    return

    def close(self, keep: set[str] | None = None) -> None:
        """Forget the pages not in ``keep`` (deleted ones) if given, commit and close."""
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
        """Path -> stat signature of every cached page, without loading records."""
        return dict(self.connection.execute("SELECT path, stat FROM pages"))

    def digests(self, paths: Iterable[str]) -> dict[str, str]:
        """Path -> content hash of the cached pages among ``paths``."""
        return dict(self._select("SELECT path, digest FROM pages WHERE path IN ({})", paths))

    def records(self, paths: Iterable[str]) -> dict[str, ParsedPage]:
        """The cached records of ``paths`` (those it has).

        Raises :class:`~kg.incremental.datacodec.CodecError` on a row that does not
        decode: an incremental rebuild then declines and builds in full.
        """
        found: dict[str, ParsedPage] = {}
        for path, record in list(self._select("SELECT path, record FROM pages WHERE path IN ({})", paths)):
            page = decode_record(record)
            if page.path != path:
                raise CodecError(f"the cached record of {path} names another page")
            found[path] = page
        return found

    def facts(self, paths: Iterable[str]) -> dict[str, PageFacts]:
        """The stored facts of ``paths`` (those it has), without their ``links`` (see ``refs``)."""
        rows = list(self._select("SELECT path, facts FROM pages WHERE path IN ({})", paths))
        return {path: decode_facts(blob) for path, blob in rows}

    def forget(self, paths: list[str]) -> None:
        """Drop pages and their facts."""
        if not paths:
            return
        delta: Counter[tuple[str, str]] = Counter()
        for facts in self.facts(paths).values():
            delta.subtract(facts.names)
        self.connection.executemany("DELETE FROM pages WHERE path = ?", [(p,) for p in paths])
        self._unlink(paths)
        self._count_names(delta)
        self._bump()

    def _replace(self, rows: list[StoreRow], known: dict[str, PageFacts]) -> None:
        if not rows:
            return
        from kg.incremental.pageindex import key_path, page_facts

        db = self.connection
        paths = [row[0] for row in rows]
        delta: Counter[tuple[str, str]] = Counter()
        for facts in self.facts(paths).values():
            delta.subtract(facts.names)
        self._unlink(paths)
        table: list[_PageRow] = []
        refs: list[_RefRow] = []
        cites: list[_CiteRow] = []
        for path, digest, stat, _, page in rows:
            facts = known.get(path) or page_facts(page)
            delta.update(facts.names)
            # The links are kept in refs, once: the stored facts leave them out.
            table.append((path, digest, stat, encode_record(page), encode_facts(dataclasses.replace(facts, links=())),
                          facts.kind, facts.key, facts.date, facts.headline, facts.content))
            # A target written as the event's own path (nearly all) is kept as "".
            refs.extend((path, key, rank, text, "" if target == "/" + key_path(key) else target,
                         dumps(list(contexts))) for key, rank, text, target, contexts in facts.links)
            cites.extend((path, url) for url in facts.cites)
        # Filling an empty cache: indexes made once at the end cost less than kept up row by row.
        bulk = len(rows) > 1000 and db.execute("SELECT 1 FROM pages LIMIT 1").fetchone() is None
        if bulk:
            for (index,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                       "AND sql IS NOT NULL").fetchall():
                db.execute(f"DROP INDEX {index}")
        db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", table)
        db.executemany("INSERT INTO refs VALUES (?, ?, ?, ?, ?, ?)", refs)
        db.executemany("INSERT INTO cites VALUES (?, ?)", cites)
        if bulk:
            for statement in _SCHEMA.split(";"):
                if "CREATE INDEX" in statement:
                    db.execute(statement)
        self._count_names(delta)
        self._bump()

    def _unlink(self, paths: list[str]) -> None:
        db = self.connection
        if db.execute("SELECT 1 FROM refs LIMIT 1").fetchone() is None and \
                db.execute("SELECT 1 FROM cites LIMIT 1").fetchone() is None:
            return  # a first build: nothing to drop, and no need to look 160,000 times
        args = [(p,) for p in paths]
        db.executemany("DELETE FROM refs WHERE path = ?", args)
        db.executemany("DELETE FROM cites WHERE path = ?", args)
        db.executemany("DELETE FROM diags WHERE path = ?", args)

    def _count_names(self, delta: Counter[tuple[str, str]]) -> None:
        changes = [(kind, name, n) for (kind, name), n in delta.items() if n]
        db = self.connection
        db.executemany("INSERT INTO names VALUES (?, ?, ?) ON CONFLICT (kind, name) "
                       "DO UPDATE SET n = n + excluded.n", changes)
        db.execute("DELETE FROM names WHERE n <= 0")

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
            _remove(self._path)
            try:
                self._db = _connect(self._path)
            except (sqlite3.Error, OSError):
                self._db = None


def select_in(db: sqlite3.Connection, sql: str, keys: Iterable[str | int]) -> Iterator[Row]:
    """Run ``sql``, which holds one ``IN ({})``, over ``keys``, a few hundred at a time.

    SQLite limits the parameters of one statement; batches keep under it.

    Examples
    --------
    >>> db = sqlite3.connect(":memory:")
    >>> _ = db.execute("CREATE TABLE t (k TEXT)")
    >>> _ = db.executemany("INSERT INTO t VALUES (?)", [(str(n),) for n in range(1200)])
    >>> len(list(select_in(db, "SELECT k FROM t WHERE k IN ({})", map(str, range(0, 2400, 2)))))
    600
    """
    todo = list(keys)
    for start in range(0, len(todo), 500):
        batch = todo[start:start + 500]
        yield from db.execute(sql.format(",".join("?" * len(batch))), batch)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30)
    db.execute("PRAGMA journal_mode = WAL")
    # A cache, made again from the corpus if damaged: a crash of the program
    # cannot damage it, and it is not worth a disk flush at every commit
    # (nor are the output files) for the rarer crash of the whole machine.
    db.execute("PRAGMA synchronous = OFF")
    db.executescript(_SCHEMA)
    stored = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    if stored is None or stored[0] != parser_fingerprint():
        for table in _TABLES:
            db.execute(f"DROP TABLE IF EXISTS {table}")
        db.executescript(_SCHEMA)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (parser_fingerprint(),))
        db.commit()
    db.execute("SELECT count(*) FROM pages").fetchone()  # fails now if the file is damaged
    return db


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            p.unlink()
