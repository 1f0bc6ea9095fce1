"""Each page's diagnostics in the cache, vouched for by a digest in the page's row.

A rerun reports the diagnostics of the pages it did not diagnose again as
the cache keeps them (the ``diags`` table, a row per page that has any).  A
row that is gone, added or changed inside the database (tampering, damage)
would make the rerun report other diagnostics than a cold build, and no
file on disk would say so.  So the page's row in ``pages`` keeps the
SHA-256 of its ``diags`` row (``diags_digest``, ``NULL`` when it has none),
written in the same transaction; :func:`read_diagnostics` takes only the
rows that match it, and names the pages whose do not, for the rerun to parse
and diagnose again as if they had changed.

Examples
--------
>>> import sqlite3
>>> from kg.diagnostics import Diagnostic, Level
>>> from kg.incremental.cachefile import SCHEMA
>>> db = sqlite3.connect(":memory:")
>>> db.executescript(SCHEMA) and None
>>> db.executemany("INSERT INTO pages (path, digest, stat) VALUES (?, '', '')", [("a.md",), ("b.md",)]) and None
>>> found = Diagnostic("a.md", 3, "link-outside-corpus", "a link", Level.INFO)
>>> write_diagnostics(db, {"a.md": [found]})
>>> read_diagnostics(db) == ({"a.md": [found]}, set())
True
>>> db.execute("DELETE FROM diags") and None  # (a row gone behind the cache's back)
>>> read_diagnostics(db)
({}, {'a.md'})
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping

from kg.diagnostics import Diagnostic
from kg.incremental.datacodec import CodecError, decode_diagnostics, dumps, encode_diagnostics, loads, strings

__all__ = ["diags_digest", "read_diagnostics", "write_diagnostics", "drop_diagnostics", "clear_diagnostics",
           "remember_unread", "previous_unread"]

#: The ``meta`` key of the event keys of the pages the last build's walk found unreadable.
UNREAD_KEY = "unread-problems"


def diags_digest(blob: bytes) -> str:
    """What a page's row says of its ``diags`` row: the SHA-256 of its bytes.

    >>> len(diags_digest(b"[]"))
    64
    """
    return hashlib.sha256(blob).hexdigest()


def read_diagnostics(db: sqlite3.Connection) -> tuple[dict[str, list[Diagnostic]], set[str]]:
    """The kept diagnostics by page, and the cached pages whose ``diags`` row does not match their digest.

    A row of a page that the cache does not hold (one that is parsed at
    every build: see :func:`write_diagnostics`) is taken as it is.
    Raises :class:`~kg.incremental.datacodec.CodecError` on a row that
    matches its digest but does not decode.
    """
    kept: dict[str, list[Diagnostic]] = {}
    doubtful: set[str] = set()
    for path, blob, cached, digest in db.execute(
            "SELECT diags.path, diags.diagnostics, pages.path IS NOT NULL, pages.diags_digest "
            "FROM diags LEFT JOIN pages ON pages.path = diags.path"):
        if cached and (not isinstance(blob, bytes) or digest != diags_digest(blob)):  # (text: not as written)
            doubtful.add(path)
        else:
            kept[path] = decode_diagnostics(blob)
    doubtful.update(path for (path,) in db.execute(
        "SELECT path FROM pages WHERE diags_digest IS NOT NULL AND path NOT IN (SELECT path FROM diags)"))
    return kept, doubtful


def write_diagnostics(db: sqlite3.Connection, by_path: Mapping[str, list[Diagnostic]]) -> None:
    """Keep each page's diagnostics (in place of any it had), with their digest in the page's row.

    A page the cache does not hold (too large, or that could not be read)
    keeps its row all the same, which no page's digest vouches for.
    """
    rows = [(path, encode_diagnostics(ds)) for path, ds in by_path.items()]
    db.executemany("INSERT OR REPLACE INTO diags VALUES (?, ?)", rows)
    db.executemany("UPDATE pages SET diags_digest = ? WHERE path = ?", [(diags_digest(b), p) for p, b in rows])


def drop_diagnostics(db: sqlite3.Connection, paths: Iterable[str]) -> None:
    """Forget the kept diagnostics of ``paths``."""
    args = [(p,) for p in paths]
    db.executemany("DELETE FROM diags WHERE path = ?", args)
    db.executemany("UPDATE pages SET diags_digest = NULL WHERE path = ?", args)


def clear_diagnostics(db: sqlite3.Connection) -> None:
    """Forget every page's kept diagnostics."""
    db.execute("DELETE FROM diags")
    db.execute("UPDATE pages SET diags_digest = NULL WHERE diags_digest IS NOT NULL")


def remember_unread(db: sqlite3.Connection, keys: Iterable[str]) -> None:
    """Keep the event keys of the pages the walk found unreadable (a FIFO ...), which no cache row holds.

    Their linkers' diagnostics name them: the next rerun diagnoses those
    linkers again only for a page that became, or stopped being, one of them.
    """
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (UNREAD_KEY, dumps(sorted(keys)).hex()))


def previous_unread(db: sqlite3.Connection) -> set[str] | None:
    """What :func:`remember_unread` kept; ``None`` when it is not there or damaged.

    >>> db = sqlite3.connect(":memory:")
    >>> db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)") and None
    >>> previous_unread(db) is None
    True
    >>> remember_unread(db, ["2015-09-01/a"])
    >>> previous_unread(db)
    {'2015-09-01/a'}
    """
    row = db.execute("SELECT value FROM meta WHERE key = ?", (UNREAD_KEY,)).fetchone()
    if row is None:
        return None
    try:
        return set(strings(loads(bytes.fromhex(row[0]))))
    except (TypeError, ValueError, CodecError):
        return None
