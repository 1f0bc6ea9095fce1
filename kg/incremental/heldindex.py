"""Which pages hold each subject, each subject's holders vouched for by a count and a checksum.

A rerun finds the unchanged pages it needs by looking subjects up in
``holds`` (a row per page and subject).  A row whose subject or path was
changed inside the database (disk damage, a hand edit) would hide a page
from the lookup, and no check of the rows found could tell.  So ``names``
keeps, per subject, how many pages hold it and the sum of a hash of each
``(subject, path)`` (:func:`mark`), updated in the transaction that updates
``holds``: :func:`lookup` compares the rows it finds with both, and a
mismatch raises :class:`IndexDamage` (the rerun then builds in full, from a
cache made anew).  A sum, unlike a stored list, is kept up to date in place.

Besides the subjects of :data:`~kg.facts.subjects.HELD` and
:data:`~kg.facts.subjects.COUNTED`, a page is held under what finds its
duplicates and stand-ins (:func:`index_keys`): its event key (``claim``, or
``unread`` for an event page that could not be read), its content digest and
its day.  The ``pages`` table keeps only what a wrong value of cannot hide:
the digest and stat signature, a wrong one of which has the page parsed again.

Examples
--------
>>> import sqlite3
>>> from kg.incremental.cachefile import SCHEMA
>>> db = sqlite3.connect(":memory:")
>>> db.executescript(SCHEMA) and None
>>> add(db, [("a.md", ("publishers", "BBC")), ("b.md", ("publishers", "BBC"))])
>>> sorted(lookup(db, [("publishers", "BBC")])[("publishers", "BBC")])
['a.md', 'b.md']
>>> db.execute("UPDATE holds SET path = 'c.md' WHERE path = 'b.md'") and None
>>> lookup(db, [("publishers", "BBC")])
Traceback (most recent call last):
...
kg.errors.IndexDamage: the pages that hold publishers BBC are not those the cache counted
"""

from __future__ import annotations

import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterable

from kg.errors import IndexDamage  # (re-exported: raised here)
from kg.facts.mapping import unread_key
from kg.facts.records import PageFacts
from kg.facts.subjects import COUNTED, HELD, Subject, page_subject_keys
from kg.incremental.cachefile import select_in

__all__ = ["IndexDamage", "CLAIM", "UNREAD", "CONTENT", "DAY_PAGE", "index_keys", "mark", "add", "count_all", "remove",
           "lookup", "held_subjects", "held_counts", "held_names"]

#: The families a page is found by, beside its subjects: its event key (read or not), content digest, day.
CLAIM, UNREAD, CONTENT, DAY_PAGE = "claim", "unread", "content", "day-page"
#: The checksums are summed modulo this (two of them still fit SQLite's 64-bit integers).
MODULUS = 1 << 60


def index_keys(facts: PageFacts) -> set[Subject]:
    """What a page is held under in ``holds``."""
    keys = {s for s in page_subject_keys(facts) if s[0] in HELD or s[0] in COUNTED}
    if facts.event is not None:
        keys.update(((CLAIM, facts.event.key), (CONTENT, facts.event.content)))
    elif facts.day is not None:
        keys.add((DAY_PAGE, facts.day.date))
    elif (key := unread_key(facts)) is not None:
        keys.add((UNREAD, key))
    return keys


def _subject(subject: Subject) -> str:
    return f"{subject[0]}\t{subject[1]}"


def mark(subject: Subject, path: str) -> int:
    """The checksum of one ``holds`` row, as :data:`names` sums it.

    >>> 0 <= mark(("events", "2015-09-01/a"), "a.md") < 1 << 32
    True
    """
    return _mark(_subject(subject), path)


def _mark(key: str, path: str) -> int:
    # CRC-32 finds a changed row as surely as a wider hash would here (the sums are not a defence
    # against someone who writes the cache: they could write the sums too), at a fifth of blake2b's
    # cost: a cold build at 150,000 events hashes some 2 million rows.
    return zlib.crc32(f"{key}\n{path}".encode())


def add(db: sqlite3.Connection, rows: Iterable[tuple[str, Subject]], *, counted: bool = True) -> None:
    """Hold each ``(path, subject)`` of ``rows``, counted and summed in ``names`` unless not ``counted``
    (a first fill: :func:`count_all` counts every row at its end)."""
    keyed = [(path, _subject(s)) for path, s in rows]
    db.executemany("INSERT INTO holds VALUES (?, ?, ?)", [(path, key, _mark(key, path)) for path, key in keyed])
    if counted:
        _count(db, keyed, 1)


def count_all(db: sqlite3.Connection) -> None:
    """Count and sum every row of ``holds`` into ``names``: the end of a first fill.

    Upserting ``names`` a batch at a time, as :func:`add` does, rewrote a
    B-tree of some 750,000 subjects at random places (10 s of a cold build at
    150,000 events); one ``GROUP BY`` over the rows, in SQLite, is a fraction
    of it.  The rows' own marks are summed: a mark damaged on disk makes a
    sum that :func:`lookup`, which computes each mark anew, finds wrong.
    """
    db.execute("DELETE FROM names")  # (a first fill's: what a cache emptied by hand kept is not its count)
    db.execute("INSERT INTO names SELECT subject, COUNT(*), SUM(mark) % ? FROM holds GROUP BY subject", (MODULUS,))


def remove(db: sqlite3.Connection, paths: Iterable[str], rows: Iterable[tuple[str, Subject]]) -> None:
    """Drop every ``holds`` row of ``paths``, and from ``names`` what :func:`add` counted of ``rows``.

    ``rows`` come from the pages' (checked) facts, not from ``holds``: a row
    damaged there goes with its page's, and ``names`` stays true to the facts.
    """
    db.executemany("DELETE FROM holds WHERE path = ?", [(p,) for p in paths])
    _count(db, [(path, _subject(s)) for path, s in rows], -1)


def _count(db: sqlite3.Connection, keyed: list[tuple[str, str]], sign: int) -> None:
    """Add ``sign`` times each ``(path, subject key)`` row to its subject's count and sum in ``names``."""
    n: Counter[str] = Counter()
    sums: Counter[str] = Counter()
    for path, key in keyed:
        n[key] += sign
        sums[key] += sign * _mark(key, path)
    db.executemany("INSERT INTO names VALUES (?, ?, ?) ON CONFLICT (subject) "
                   "DO UPDATE SET n = n + excluded.n, seal = (seal + excluded.seal) % ?",
                   [(key, count, sums[key] % MODULUS, MODULUS) for key, count in n.items()])
    if sign < 0:  # (a subject no page holds any longer; a damaged row is kept, to be found)
        db.executemany("DELETE FROM names WHERE subject = ? AND n = 0 AND seal = 0", [(k,) for k in n])


def lookup(db: sqlite3.Connection, subjects: Iterable[Subject]) -> dict[Subject, set[str]]:
    """The pages that hold each of ``subjects`` (those held by none are left out).

    Raises :class:`IndexDamage` where the rows found are not those ``names`` counted.
    """
    wanted = {_subject(s): s for s in subjects}
    found: dict[Subject, set[str]] = {}
    n: Counter[str] = Counter()
    sums: Counter[str] = Counter()
    for key, path in select_in(db, "SELECT subject, path FROM holds WHERE subject IN ({})", wanted):
        subject = wanted[key]
        found.setdefault(subject, set()).add(path)
        n[key] += 1
        sums[key] += _mark(key, path)
    counted = {key: (count, seal) for key, count, seal in
               select_in(db, "SELECT subject, n, seal FROM names WHERE subject IN ({})", wanted)}
    for key, subject in wanted.items():
        if counted.get(key, (0, 0)) != (n[key], sums[key] % MODULUS) or len(found.get(subject, ())) != n[key]:
            raise IndexDamage(f"the pages that hold {subject[0]} {subject[1]} are not those the cache counted")
    return found


def held_subjects(db: sqlite3.Connection, subjects: Iterable[Subject]) -> set[Subject]:
    """Those of ``subjects`` some page holds: :func:`lookup`'s keys, without bringing each row to Python.

    Whether a subject is held needs no path: SQLite counts and sums each one's
    rows (its stored marks) where they are, and these are compared with
    ``names``.  A row added, dropped, moved to another subject or with a
    changed mark makes them differ (:class:`IndexDamage`); a changed path
    does not change which subjects are held.  The United States' 20,000 rows
    are not each made a Python string (at 150,000 events, a day's update
    spent 3.7 s in :func:`lookup` for this).

    >>> from kg.incremental.cachefile import SCHEMA
    >>> db = sqlite3.connect(":memory:")
    >>> db.executescript(SCHEMA) and None
    >>> add(db, [("a.md", ("contexts", "Iran")), ("b.md", ("contexts", "Iran"))])
    >>> held_subjects(db, [("contexts", "Iran"), ("contexts", "Atlantis")])
    {('contexts', 'Iran')}
    >>> db.execute("DELETE FROM holds WHERE path = 'b.md'") and None
    >>> held_subjects(db, [("contexts", "Iran")])
    Traceback (most recent call last):
    ...
    kg.errors.IndexDamage: the pages that hold contexts Iran are not those the cache counted
    """
    return set(held_counts(db, subjects))


def held_counts(db: sqlite3.Connection, subjects: Iterable[Subject]) -> dict[Subject, int]:
    """How many pages hold each of ``subjects`` (those held by none are left out), checked as
    :func:`held_subjects` checks them.

    >>> from kg.incremental.cachefile import SCHEMA
    >>> db = sqlite3.connect(":memory:")
    >>> db.executescript(SCHEMA) and None
    >>> add(db, [("a.md", ("organizations", "Ansa")), ("b.md", ("organizations", "ANSA")),
    ...          ("c.md", ("organizations", "ANSA"))])
    >>> held_counts(db, [("organizations", "ANSA"), ("organizations", "Ansa"), ("organizations", "AFP")])
    {('organizations', 'ANSA'): 2, ('organizations', 'Ansa'): 1}
    """
    wanted = {_subject(s): s for s in subjects}
    # Each mark taken as the 32 bits it is made of: a damaged one, however large, cannot overflow the sum.
    try:
        rows = {key: (n, total % MODULUS) for key, n, total in select_in(
            db, "SELECT subject, COUNT(*), SUM(mark & 4294967295) FROM holds WHERE subject IN ({}) GROUP BY subject",
            wanted)}
    except sqlite3.OperationalError as err:  # (a value SQLite cannot sum: the index is not what was written)
        raise IndexDamage(f"the cache's index of held subjects does not read: {err}") from err
    counted = {key: (n, seal) for key, n, seal in
               select_in(db, "SELECT subject, n, seal FROM names WHERE subject IN ({})", wanted)}
    for key, subject in wanted.items():
        if rows.get(key, (0, 0)) != counted.get(key, (0, 0)):
            raise IndexDamage(f"the pages that hold {subject[0]} {subject[1]} are not those the cache counted")
    return {wanted[key]: n for key, (n, _) in sorted(rows.items())}


def held_names(db: sqlite3.Connection, family: str) -> list[str]:
    """The names of ``family`` that ``names`` counts as held, in code-point order.

    >>> from kg.incremental.cachefile import SCHEMA
    >>> db = sqlite3.connect(":memory:")
    >>> db.executescript(SCHEMA) and None
    >>> add(db, [("a.md", ("organizations", "Ansa")), ("b.md", ("organizations", "ANSA")), ("b.md", ("images", "x"))])
    >>> held_names(db, "organizations")
    ['ANSA', 'Ansa']
    >>> add(db, [("c.md", ("organizations", "A\\nB"))])
    >>> held_names(db, "organizations")
    ['A\\nB', 'ANSA', 'Ansa']
    """
    start = f"{family}\t"  # (the subjects of a family sort together: between its tab and a newline)
    bounds = (start, f"{family}\n")
    # One row of them all, joined by SQLite: fetched a row at a time, each row lets go of the
    # interpreter lock, and the thread that reads the previous graph meanwhile (wholegraph) then
    # keeps it for its switch interval (30,000 organizations at 150,000 events: 1.7 s against
    # 0.02 s alone).  A name that holds the separator (none can, from a page's line) is read so.
    n, joined = db.execute("SELECT COUNT(*), group_concat(substr(subject, ?), char(10)) FROM names "
                           "WHERE subject >= ? AND subject < ?", (len(start) + 1, *bounds)).fetchone()
    names = sorted(joined.split("\n")) if n else []
    if len(names) == n:
        return names
    return [subject[len(start):] for (subject,) in db.execute(
        "SELECT subject FROM names WHERE subject >= ? AND subject < ? ORDER BY subject", bounds)]
