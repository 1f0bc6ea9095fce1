"""The cache's lookup tables changed behind its back: a rerun still writes a cold build's files.

A rerun finds the unchanged pages it reduces again through ``holds`` and
``names`` (:mod:`kg.incremental.heldindex`), and decides what changed by the
digest and stat signature in ``pages``; it splices Turtle by the ``segments``
of its index, and ``meta`` says the cache's version.  One value changed in any
of them (disk damage, a hand edit) must cost work, never give another graph
or a traceback.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from kg.incremental.cache import CACHE_FILE
from kg.pipeline import DEFAULT_FORMATS, build_files
from tests.edits import new_source, ten_days

WRITTEN = ("report.json", "graph.kg.json", "graph.ttl", "graph.html")


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return ten_days(tmp_path / "corpus")


def assert_same_as_cold(corpus: Path, out: Path, tmp_path: Path) -> None:
    cold = tmp_path / "cold"
    shutil.rmtree(cold, ignore_errors=True)
    build_files(corpus, cold, DEFAULT_FORMATS, jobs=1)
    for name in WRITTEN:
        assert (out / name).read_bytes() == (cold / name).read_bytes(), name


def _victims(db: sqlite3.Connection) -> tuple[str, str, str, str]:
    """An event page, a publisher it shares with other pages, its day page and another event page."""
    for (publisher,) in db.execute("SELECT subject FROM names WHERE subject LIKE 'publishers' || char(9) || '%' "
                                   "AND n >= 3 ORDER BY subject"):
        pages = sorted(path for (path,) in db.execute("SELECT path FROM holds WHERE subject = ?", (publisher,))
                       if not path.endswith("index.md"))
        for page in pages:
            (claim,) = db.execute("SELECT subject FROM holds WHERE path = ? AND subject LIKE 'claim' || char(9) || '%'",
                                  (page,)).fetchone()
            event = "events\t" + claim.split("\t", 1)[1]
            days = [path for (path,) in db.execute("SELECT path FROM holds WHERE subject = ?", (event,))
                    if path.endswith("index.md")]
            if days:
                return page, publisher, days[0], next(p for p in pages if p != page)
    raise AssertionError("no event page with a shared publisher, listed on its day page")


#: What each change does to the rerun: found (the cache made anew, a full build) or a page parsed again.
DAMAGE = {
    # the day page that lists the deleted event, hidden from its lookup (it would keep listing it)
    "holds-path": ("UPDATE holds SET path = 'news/elsewhere.md' WHERE path = :day AND subject = :event", "found"),
    "holds-subject": ("UPDATE holds SET subject = subject || 'x' WHERE path = :day AND subject = :event", "found"),
    # a publisher counted as the deleted page's alone (it would leave the graph with it)
    "names-count": ("UPDATE names SET n = 1 WHERE subject = :publisher", "found"),
    "names-seal": ("UPDATE names SET seal = seal + 1 WHERE subject = :publisher", "found"),
    "names-subject": ("UPDATE names SET subject = subject || 'x' WHERE subject = :publisher", "found"),
    "names-deleted": ("DELETE FROM names WHERE subject = :publisher", "found"),
    # what says a page changed: a wrong value has it parsed again (or hashed), nothing more
    "pages-digest": ("UPDATE pages SET digest = 'f' || substr(digest, 2), stat = 'x' WHERE path = :other", "parsed"),
    "pages-stat": ("UPDATE pages SET stat = 'x' WHERE path = :day", "hashed"),
    # the cache's version, which says what its kept files were made of (a traceback at every build)
    "meta-version": ("UPDATE meta SET value = 'abc' WHERE key = 'version'", "found"),
    "meta-version-long": ("UPDATE meta SET value = '99999999999999999999' WHERE key = 'version'", "found"),
    # a mark that SQLite could not add to the others (an integer overflow, a traceback at every build)
    "holds-mark": ("UPDATE holds SET mark = 9223372036854775807 WHERE subject = :publisher AND path = :other",
                   "found"),
    # a segment of the Turtle's index put among another kind's, or a kind of none (invalid Turtle, or a
    # traceback at every build)
    "segments-kind": ("UPDATE segments SET kind = 'related' WHERE id = (SELECT min(id) FROM segments "
                      "WHERE kind = 'events')", "found"),
    "segments-no-kind": ("UPDATE segments SET kind = 'zzz' WHERE id = (SELECT max(id) FROM segments)", "found"),
    "segments-format": ("UPDATE segments SET format = 'ntriples' WHERE id = (SELECT min(id) FROM segments)", "found"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_value_changed_in_the_lookup_tables_costs_work_not_exactness(damage: str, corpus: Path,
                                                                       tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    sql, effect = DAMAGE[damage]
    with sqlite3.connect(cache / CACHE_FILE) as db:
        page, publisher, day, other = _victims(db)
        (key,) = db.execute("SELECT substr(subject, 7) FROM holds WHERE path = ? AND subject LIKE 'claim%'",
                            (page,)).fetchone()
        changed = db.execute(sql, {"day": day, "event": f"events\t{key}", "publisher": publisher,
                                   "other": other}).rowcount
        assert changed == 1
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    (corpus / page).unlink()
    again = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    if effect == "found":
        assert not again.incremental
    else:
        assert again.incremental and again.changed == (2 if effect == "parsed" else 1)
    assert_same_as_cold(corpus, out, tmp_path)
    new_source(corpus, random.Random(3))  # the next rerun patches again, from a cache as sound as a cold one's
    after = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    assert after.incremental and after.changed == 1
    assert_same_as_cold(corpus, out, tmp_path)


def test_the_counts_a_first_fill_makes_at_its_end_are_those_a_rerun_keeps_up(corpus: Path, tmp_path: Path) -> None:
    """A first fill sums each subject's rows in one pass at its end; a rerun adds and takes back page by page:
    both give each subject the count and checksum of its rows, computed anew from them."""
    from kg.incremental.heldindex import MODULUS, mark

    def recounted(db: sqlite3.Connection) -> dict[str, tuple[int, int]]:
        counts: dict[str, tuple[int, int]] = {}
        for path, subject in db.execute("SELECT path, subject FROM holds"):
            n, seal = counts.get(subject, (0, 0))
            counts[subject] = (n + 1, (seal + mark(tuple(subject.split("\t", 1)), path)) % MODULUS)  # type: ignore[arg-type]
        return counts

    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    for step in range(3):
        with sqlite3.connect(cache / CACHE_FILE) as db:
            kept = {subject: (n, seal) for subject, n, seal in db.execute("SELECT subject, n, seal FROM names")}
            assert len(kept) > 1000 and kept == recounted(db), step
        new_source(corpus, random.Random(step))
        sorted((corpus / "news").rglob("*.md"))[5 + step].unlink()
        assert build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1).incremental


def test_a_linked_page_the_index_holds_and_the_cache_lost_makes_a_full_build(corpus: Path, tmp_path: Path) -> None:
    """A page's rows gone from pages and facts while the index (consistent with itself) still holds it:
    the rerun that needs it as a link's stand-in builds in full, not a traceback."""
    from kg import build

    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    link = next(r for r in build(corpus).related if r.source != r.target)
    source, target = link.source.path, link.target.path
    with sqlite3.connect(cache / CACHE_FILE) as db:
        for table in ("pages", "facts"):
            assert db.execute(f"DELETE FROM {table} WHERE path = ?", (target,)).rowcount == 1
    (corpus / target).unlink()
    with (corpus / source).open("a", encoding="utf-8") as page:
        page.write("\n")
    again = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    assert not again.incremental
    assert_same_as_cold(corpus, out, tmp_path)


def test_a_half_read_batch_left_after_the_database_closed_goes_quietly() -> None:
    """As after Ctrl-C: before, the generator closed its cursor on the closed database as it went,
    and Python printed that error's traceback."""
    import gc
    import sqlite3
    import sys

    from kg.incremental.cachefile import select_in

    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (k TEXT)")
    db.executemany("INSERT INTO t VALUES (?)", [(str(n),) for n in range(1200)])
    rows = select_in(db, "SELECT k FROM t WHERE k IN ({})", map(str, range(1200)))
    next(rows)
    db.close()
    said: list[object] = []
    hook, sys.unraisablehook = sys.unraisablehook, said.append
    try:
        del rows
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert said == []
