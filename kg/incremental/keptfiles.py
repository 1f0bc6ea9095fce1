"""Files made from the whole graph, kept as they are when nothing they are made of changed.

The explorer, the snapshot, GraphML ... are written from the whole graph, so
a rerun that patches Turtle reduces every page's record again to write them.
When no page changed since they were written (the cache's version is the
same), and the report, base IRI, formats and code are too, they would come out
the same: the rerun keeps them, provided each is still the file that build
published (its size, mtime, inode and ctime: the ctime catches a file
edited in place with its mtime put back).

Examples
--------
>>> import sqlite3, tempfile, pathlib
>>> db = sqlite3.connect(":memory:")
>>> _ = db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
>>> page = pathlib.Path(tempfile.mkdtemp(), "graph.html")
>>> _ = page.write_text("<html></html>")
>>> remember(db, "html", page, "abc")
>>> unchanged(db, "html", page, "abc"), unchanged(db, "html", page, "abd")
(True, False)
>>> _ = page.write_text("<html>edited</html>")
>>> unchanged(db, "html", page, "abc")
False
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from importlib.metadata import PackageNotFoundError, version

from kg.incremental.fingerprint import code_fingerprint
from kg.report import BuildReport

__all__ = ["made_of", "graph_state", "remember", "unchanged", "GRAPH", "remember_published", "still_current",
           "edited_since_published"]

# Libraries that shape those files beyond the ones the code fingerprint names (the layout).
_LIBRARIES = ("networkx", "pyvis")


def made_of(report: BuildReport, base_iri: str, formats: Sequence[str], cache_version: int) -> str:
    """A digest of what a file made from the whole graph depends on."""
    h = hashlib.sha256(json.dumps(report.to_dict(), sort_keys=True, ensure_ascii=False).encode())
    h.update(json.dumps([base_iri, list(formats), cache_version, code_fingerprint()]).encode())
    for name in _LIBRARIES:
        try:
            h.update(f" {name} {version(name)}".encode())
        except PackageNotFoundError:  # pragma: no cover - core dependencies
            h.update(f" {name} -".encode())
    return h.hexdigest()


#: The name under which the published snapshot is remembered as the graph of the cached pages.
GRAPH = "graph-of-cache"


def graph_state(base_iri: str, cache_version: int) -> str:
    """A digest of what the graph of the cached pages depends on: the pages (their version),
    the base IRI and the code (:mod:`kg.incremental.wholegraph` patches it on the next rebuild)."""
    return hashlib.sha256(json.dumps([base_iri, cache_version, code_fingerprint()]).encode()).hexdigest()


def remember(db: sqlite3.Connection, fmt: str, path: str | os.PathLike[str], digest: str) -> None:
    """Note that the published file at ``path`` was made from what ``digest`` says."""
    st = os.stat(path)
    state = [os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns, digest]
    db.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
               (_key(fmt), json.dumps(state)))


def unchanged(db: sqlite3.Connection, fmt: str, path: str | os.PathLike[str], digest: str) -> bool:
    """Whether the file at ``path`` is the one remembered, made from the same ``digest``."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (_key(fmt),)).fetchone()
    if row is None:
        return False
    try:
        st = os.stat(path)
        kept = json.loads(row[0])
    except (OSError, ValueError):
        return False
    return bool(kept == [os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns, digest])


def remember_published(db: sqlite3.Connection, paths: Iterable[str | os.PathLike[str]], state: str) -> None:
    """Note that the files at ``paths``, just published, were made from the pages as :func:`graph_state` says.

    Parameters
    ----------
    db : sqlite3.Connection
        The cache's, with its ``meta`` table.
    paths : iterable of path
        The files a build published (those not there are passed over).
    state : str
        :func:`graph_state` of the pages they were made from.

    Examples
    --------
    >>> import sqlite3, tempfile, pathlib
    >>> db = sqlite3.connect(":memory:")
    >>> _ = db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    >>> page = pathlib.Path(tempfile.mkdtemp(), "graph.graphml")
    >>> _ = page.write_text("<graphml/>")
    >>> remember_published(db, [page], graph_state("https://x.org/", 7))
    >>> [still_current(db, page, graph_state("https://x.org/", version)) for version in (7, 8)]
    [True, False]
    """
    for path in paths:
        if os.path.exists(path):
            remember(db, _PUBLISHED + os.path.basename(path), path, state)


def still_current(db: sqlite3.Connection, path: str | os.PathLike[str], state: str) -> bool:
    """Whether the file at ``path``, which this build did not write, is as an earlier build published it from
    the pages as they are now (``state``): no page changed since, nor the base IRI or the code.

    Parameters
    ----------
    db : sqlite3.Connection
        The cache's.
    path : path
        A file of kg's formats in the output folder.
    state : str
        :func:`graph_state` of the pages now.

    Returns
    -------
    bool
        False too for a file edited or replaced since (its size, mtime, inode or ctime), or never noted.
    """
    return unchanged(db, _PUBLISHED + os.path.basename(path), path, state)


def edited_since_published(db: sqlite3.Connection, paths: Iterable[str | os.PathLike[str]]) -> tuple[str, ...]:
    """The files at ``paths`` that a build published and that have been edited or replaced since (their size,
    mtime, inode or ctime), before this build writes them again.

    >>> import sqlite3, tempfile, pathlib
    >>> db = sqlite3.connect(":memory:")
    >>> _ = db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> ttl, html = folder / "graph.ttl", folder / "graph.html"
    >>> for path in (ttl, html):
    ...     _ = path.write_text("as written")
    >>> remember_published(db, [ttl, html], "state")
    >>> with open(ttl, "a") as out:
    ...     _ = out.write("# an edit")
    >>> [pathlib.Path(p).name for p in edited_since_published(db, [ttl, html, folder / "report.json"])]
    ['graph.ttl']
    >>> other = pathlib.Path(tempfile.mkdtemp()) / "graph.html"  # (one cache, another output folder)
    >>> _ = other.write_text("theirs")
    >>> edited_since_published(db, [other])
    ()
    """
    found = []
    for path in paths:
        try:
            row = db.execute("SELECT value FROM meta WHERE key = ?",
                             (_key(_PUBLISHED + os.path.basename(path)),)).fetchone()
            st = os.stat(path)
            kept = json.loads(row[0]) if row is not None else None
        except (OSError, ValueError, sqlite3.Error):  # (what the cache cannot say, the build does not need)
            continue
        # (a file the cache noted in another folder, one cache serving two outputs, is no edit of this one)
        if kept is not None and kept[0] == os.path.abspath(path) and kept[1:5] != [
                st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]:
            found.append(os.fspath(path))
    return tuple(found)


#: Keys of the files any build published, by file name: the file a later build with other formats
#: leaves alone is up to date while its pages are the same.
_PUBLISHED = "published:"


def _key(fmt: str) -> str:
    return f"kept-file:{fmt}"
