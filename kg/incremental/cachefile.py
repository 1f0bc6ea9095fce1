"""The cache's SQLite file: its layout, how it is opened, held and filled.

:mod:`kg.incremental.cache` keeps the pages in it.  Here is what concerns the
file itself: the schema and the fingerprint that says which version of kg
wrote it (:func:`connect` makes another version's file anew), the lock that
keeps two builds from writing one cache at once (:func:`hold`), and the
journal, turned off while a first build fills the file (:func:`journal`).
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeAlias

from kg.incremental.fingerprint import code_fingerprint
from kg.publish import open_lock_file, take_lock_file

__all__ = ["CACHE_FILE", "LOCK_FILE", "SCHEMA", "TABLES", "Row", "parser_fingerprint", "select_in", "connect",
           "cut_short", "remove", "journal", "hold"]

CACHE_FILE = "pages.sqlite"
#: Held (``flock``) by the process that has the cache open.
LOCK_FILE = "pages.lock"

#: A row as SQLite gives it: the column types are the schema's, which Python's driver does not know.
Row: TypeAlias = tuple[Any, ...]

#: The cache's tables and indexes (part of :func:`parser_fingerprint`: a new layout makes a new cache).
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Each page's digest and stat signature (a wrong one only has it parsed again); its facts, a few
-- kilobytes each, in a table of their own: a row that holds them spills into overflow pages,
-- which every scan of the table (the stat check of each rerun) would walk through.
-- diags_digest: the SHA-256 of the page's row in diags, NULL when it has none (see pagediags.py).
CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, digest TEXT NOT NULL, stat TEXT NOT NULL,
                                  diags_digest TEXT);
CREATE TABLE IF NOT EXISTS facts (path TEXT PRIMARY KEY, facts BLOB NOT NULL);
-- Subjects as "family<TAB>identity"; per subject, its holders' count and checksum (see heldindex.py).
-- mark: the row's checksum, from which a first fill sums names at its end (a lookup computes it anew).
CREATE TABLE IF NOT EXISTS holds (path TEXT NOT NULL, subject TEXT NOT NULL, mark INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS holds_subject ON holds (subject);
CREATE INDEX IF NOT EXISTS holds_path ON holds (path);
CREATE TABLE IF NOT EXISTS names (subject TEXT PRIMARY KEY, n INTEGER NOT NULL, seal INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS diags (path TEXT PRIMARY KEY, diagnostics BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS outputs (format TEXT PRIMARY KEY, state BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS segments (id INTEGER PRIMARY KEY, format TEXT NOT NULL, kind TEXT NOT NULL,
                                     first BLOB NOT NULL, length INTEGER NOT NULL, tally BLOB NOT NULL,
                                     body BLOB NOT NULL);
-- The index of a file is read whole at each rebuild: from this index alone, not the table.
CREATE INDEX IF NOT EXISTS segments_dir ON segments (format, kind, first, length);
"""
#: Everything goes when the parsing code changes: the layout may have changed too (refs and cites: an older one's).
TABLES = ("pages", "facts", "refs", "cites", "holds", "names", "diags", "outputs", "segments")


def parser_fingerprint(variant: str = "") -> str:
    """A hash of the code that turns bytes into facts, and of what else they were read with (``variant``,
    the names with a comma joined, say): a new one invalidates the cache.

    Examples
    --------
    >>> len(parser_fingerprint()), parser_fingerprint() == parser_fingerprint("comma names 9a5c")
    (64, False)
    """
    read_with = f" read with {variant}" if variant else ""
    return hashlib.sha256(f"{code_fingerprint()} json schema {SCHEMA}{read_with}".encode()).hexdigest()


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
        # A batch's rows fetched whole: a generator left half-read delegating to a cursor closes the
        # cursor when it goes, which fails (a traceback on stderr) once Ctrl-C has closed the database.
        yield from db.execute(sql.format(",".join("?" * len(batch))), batch).fetchall()


def hold(folder: Path) -> int | None:
    """Take the cache ``folder`` for this process: the descriptor that holds it, ``None`` if another does.

    Two builds sharing one ``--cache DIR`` would write one SQLite file at
    once, and a first fill writes it without a journal.  The folder is free
    again when the descriptor is closed, or the process ends.  (Where there is
    no ``flock``, SQLite's own locks are all there is.)
    """
    lock = folder / LOCK_FILE
    if lock.is_dir() and not lock.is_symlink():  # (planted: no build could ever open it, and so use the cache)
        shutil.rmtree(lock, ignore_errors=True)
    try:
        import fcntl  # noqa: F401  # only whether there is flock
    except ImportError:  # pragma: no cover (not a POSIX system)
        return open_lock_file(lock)
    return take_lock_file(lock)


def journal(db: sqlite3.Connection, *, on: bool) -> None:
    """Turn the journal off for a first fill, and on again once the fill has ended.

    A first fill writes the whole cache: through the write-ahead log it
    would write it twice, the log growing as large.  Without a journal, a
    fill cut short leaves the file half written, so a mark in ``meta`` says
    that a fill is under way until it has ended; :func:`connect` makes a file
    that still has the mark anew.  Where the journal cannot be turned off
    (another connection has the file open) the fill goes through it.
    """
    if on:
        db.commit()
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode is None or mode[0] != "wal":  # no shared memory for a log here: a rollback journal
            db.execute("PRAGMA journal_mode = DELETE")
        db.execute("DELETE FROM meta WHERE key = 'filling'")
        db.commit()
        return
    db.execute("INSERT OR REPLACE INTO meta VALUES ('filling', '1')")
    db.commit()
    mode = None
    with contextlib.suppress(sqlite3.OperationalError):  # locked by another connection
        mode = db.execute("PRAGMA journal_mode = OFF").fetchone()
    if mode is None or mode[0] != "off":
        db.execute("DELETE FROM meta WHERE key = 'filling'")
        db.commit()


def connect(path: Path, *, fresh: bool = False, variant: str = "") -> sqlite3.Connection:
    """Open the cache file at ``path``, made anew if it is another version's, its facts were read otherwise
    (``variant``: see :func:`parser_fingerprint`) or a fill was cut short.

    Raises :class:`sqlite3.Error` or :class:`OSError` on a file that cannot be
    opened as a cache; :meth:`kg.incremental.cache.PageCache.open` then starts afresh.
    """
    # Used by one thread at a time, but not always the one that opened it (see PageCache.store_all).
    db = sqlite3.connect(path, timeout=30, check_same_thread=False)
    db.execute("PRAGMA journal_mode = WAL")
    # A cache, made again from the corpus if damaged: a crash of the program
    # cannot damage it, and it is not worth a disk flush at every commit
    # (nor are the output files) for the rarer crash of the whole machine.
    db.execute("PRAGMA synchronous = OFF")
    if not fresh and cut_short(db):  # a first fill was cut short: the file may be half written
        db.close()
        remove(path)
        return connect(path, fresh=True, variant=variant)
    db.executescript(SCHEMA)
    stored = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    if stored is None or stored[0] != parser_fingerprint(variant):
        if stored is not None and not fresh:
            # Another version's cache (kg or a library was upgraded): a new file, as dropping
            # its tables takes SQLite seconds per gigabyte and leaves the file as big.
            db.close()
            remove(path)
            return connect(path, fresh=True, variant=variant)
        for table in TABLES:
            db.execute(f"DROP TABLE IF EXISTS {table}")
        db.executescript(SCHEMA)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (parser_fingerprint(variant),))
        db.commit()
    db.execute("SELECT count(*) FROM pages").fetchone()  # fails now if the file is damaged
    version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    # A count that int() reads and SQLite's CAST(value AS INTEGER) + 1 keeps an integer (below 10^18).
    if version is not None and not (str(version[0]).isascii() and str(version[0]).isdigit()
                                    and len(str(version[0])) <= 18):
        db.close()  # (the caller starts a cache afresh, as for a file that is no database)
        raise sqlite3.DatabaseError(f"the cache's version is not a count: {version[0]!r}")
    return db


def cut_short(db: sqlite3.Connection) -> bool:
    """Whether the file holds the mark of a first fill that did not end (see :func:`journal`)."""
    try:
        return db.execute("SELECT 1 FROM meta WHERE key = 'filling'").fetchone() is not None
    except sqlite3.OperationalError:  # no meta table: a new file
        return False


def _files(path: Path) -> tuple[Path, ...]:
    """The cache file and those SQLite keeps beside it."""
    return (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal")))


def remove(path: Path) -> None:
    """Delete the cache file and SQLite's files beside it."""
    for p in _files(path):
        with contextlib.suppress(OSError):
            p.unlink()


def drop_links(path: Path) -> None:
    """Delete what is not a plain file where the cache file and SQLite's files beside it go.

    SQLite opens those paths following links, so a link planted there would
    have the build write a file elsewhere; a folder there (``pages.sqlite-wal/``)
    would fail every build's cache, as no unlink takes it away.
    """
    for p in _files(path):
        if p.is_symlink():
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
        elif p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
