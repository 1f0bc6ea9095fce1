"""The incremental build cache: parsed records of each page, keyed by its content hash.

One SQLite file (``pages.sqlite`` in the cache folder) holds a row per page:
its corpus-relative path, the SHA-256 of its bytes, its pickled
:class:`~kg.records.ParsedPage` and the file's stat signature when it was
hashed.  A rebuild re-parses only the pages whose hash changed or that are
new, and forgets the rows of deleted pages.  As in git's index, a file whose
size, mtime, ctime and inode are all unchanged is not read again to learn its
hash (the ctime cannot be set back by tools that copy times); any other file
is hashed.

The cache is only an accelerator: it is dropped whole when the parsing code
changes (a fingerprint of the modules that make the records is stored with
it), and a cache that cannot be read, in part or whole, is ignored and
rebuilt, never an error.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import operator
import os
import pickle
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from kg.records import ParsedPage

__all__ = ["PageCache", "parser_fingerprint", "file_digest", "stat_signature", "dump_record", "CACHE_FILE"]

CACHE_FILE = "pages.sqlite"

# The modules whose code decides what a page parses to.
_PARSER_MODULES = ("records", "read", "parse", "text", "paths", "diagnostics", "slug")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, digest TEXT NOT NULL, stat TEXT NOT NULL,
                                  record BLOB NOT NULL);
"""


@lru_cache(maxsize=1)
def parser_fingerprint() -> str:
    """A hash of the code that turns bytes into records: a new one invalidates the cache.

    Examples
    --------
    >>> len(parser_fingerprint())
    64
    """
    import markdown_it

    h = hashlib.sha256()
    h.update(f"{sys.version_info[:2]} markdown-it {markdown_it.__version__} "
             f"pickle {pickle.HIGHEST_PROTOCOL} schema {_SCHEMA}".encode())
    here = Path(__file__).parent
    for name in _PARSER_MODULES:
        h.update((here / f"{name}.py").read_bytes())
    return h.hexdigest()


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
    """Pickle a parsed page compactly; ``pickle.loads`` reads it back.

    Examples
    --------
    >>> from kg.pipeline import parse_file
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


def stat_signature(path: str) -> str | None:
    """Size, mtime, ctime and inode of a file: unchanged means the bytes are too."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def file_digest(path: str) -> str | None:
    """SHA-256 of a file's bytes, as :func:`kg.read.read_page` computes it."""
    from kg.read import MAX_PAGE_BYTES

    try:
        if os.stat(path).st_size > MAX_PAGE_BYTES:
            return None  # never cached: read_page skips it without reading
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


class PageCache:
    """Parsed pages by path and content hash, in one SQLite file.

    Use :meth:`open`, which never raises on a damaged cache; then
    :meth:`cached` to take the unchanged pages, :meth:`store` for the freshly
    parsed ones and :meth:`close` to commit and drop the rows of pages that
    are gone.

    Examples
    --------
    >>> import tempfile
    >>> from kg.records import ParsedPage
    >>> folder = tempfile.mkdtemp()
    >>> page = os.path.join(folder, "a.md")
    >>> with open(page, "w") as fh:
    ...     _ = fh.write("# A")
    >>> cache = PageCache.open(folder)
    >>> record = pickle.dumps(ParsedPage("news/a.md", None))
    >>> cache.store([("news/a.md", file_digest(page), stat_signature(page), record)])
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
                    page = pickle.loads(record)
                except Exception:  # a damaged row is a cache miss
                    continue
                if isinstance(page, ParsedPage) and page.path == path:
                    found[path] = page
        except sqlite3.Error:
            self._fail()
            return {}  # every page is parsed again, into a fresh cache
        return found

    def store(self, rows: Iterable[tuple[str, str, str, bytes]]) -> None:
        """Save ``(path, digest, stat signature, pickled record)`` rows."""
        if self._db is None:
            return
        try:
            self._db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error:
            self._fail()

    def close(self, keep: set[str]) -> None:
        """Forget the pages not in ``keep`` (deleted ones), commit and close."""
        if self._db is None:
            return
        try:
            gone = [(p,) for p in self._paths() if p not in keep]
            self._db.executemany("DELETE FROM pages WHERE path = ?", gone)
            self._db.commit()
            self._db.close()
        except sqlite3.Error:
            self._path = None
            self._fail()
        self._db = None

    def _paths(self) -> Iterator[str]:
        return (row[0] for row in self._db.execute("SELECT path FROM pages").fetchall())

    def _fail(self) -> None:
        """Drop a cache found damaged mid-way and start a fresh one."""
        try:
            self._db.close()
        except sqlite3.Error:
            pass
        self._db = None
        if self._path is not None:
            _remove(self._path)
            try:
                self._db = _connect(self._path)
            except (sqlite3.Error, OSError):
                self._db = None


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.executescript(_SCHEMA)
    stored = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    if stored is None or stored[0] != parser_fingerprint():
        db.execute("DROP TABLE pages")  # the layout may have changed too
        db.executescript(_SCHEMA)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (parser_fingerprint(),))
        db.commit()
    db.execute("SELECT count(*) FROM pages").fetchone()  # fails now if the file is damaged
    return db


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            p.unlink()
        except OSError:
            pass
