"""The build pipeline at scale: parallel parsing and the incremental cache.

Every route to a graph (serial, pooled, cold, cached) must give the same
Turtle bytes; the cache must survive damage and follow edits, additions and
deletions of pages.
"""

from __future__ import annotations

import copy
import json
import pickle
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

import kg
from kg.facts import page_facts, page_key
from kg.facts.executors import CHUNK_PAGES, parse_file
from kg.incremental.cache import CACHE_FILE, PageCache, file_digest, stat_signature
from kg.incremental.datacodec import decode_facts, encode_facts
from kg.parse.options import ParseOptions
from kg.pipeline import build

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "wcep-2015-09"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """A private copy of the sample corpus, free to edit."""
    target = tmp_path / "corpus"
    shutil.copytree(SAMPLE / "news", target / "news")
    return target


def turtle(graph, folder: Path, name: str = "graph.ttl") -> bytes:
    path = folder / name
    kg.write_turtle(graph, path)
    return path.read_bytes()


def event_pages(root: Path) -> list[Path]:
    return sorted(p for p in (root / "news").rglob("*.md") if p.name != "index.md")


def edit_corpus(root: Path) -> tuple[Path, Path, str]:
    """Edit one page, add one, delete one; return (edited, added, deleted path)."""
    pages = event_pages(root)
    edited, removed, model = pages[3], pages[10], pages[20]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("### Source:\n\n", "### Source:\n\n1. [Edited Times](https://edited.example/x)\n", 1),
                      encoding="utf-8")
    added = model.with_name("a-brand-new-event-for-the-cache-test.md")
    added.write_text(model.read_text(encoding="utf-8").replace("\n# ", "\n# Brand new event: ", 1),
                     encoding="utf-8")
    rel_removed = removed.relative_to(root).as_posix()
    removed.unlink()
    return edited, added, rel_removed


def test_parallel_build_equals_serial(corpus: Path, tmp_path: Path) -> None:
    pages = len(list((corpus / "news").rglob("*.md")))
    assert pages > 2 * CHUNK_PAGES  # enough chunks for the pool to be used
    serial = build(corpus, jobs=1)
    parallel = build(corpus, jobs=2)
    assert parallel == serial
    assert turtle(parallel, tmp_path, "p.ttl") == turtle(serial, tmp_path, "s.ttl")


def _started_chunk(chunk: list[tuple[str, str]], reading: object = None) -> list[tuple[str, str, str, bytes]]:
    """A chunk task that leaves a mark per chunk in the folder its first path names."""
    Path(chunk[0][1]).with_name(f"started-{chunk[0][0]}").touch()
    return [(rel, "", "", b"") for rel, _ in chunk]


def test_the_pool_maps_only_a_few_chunks_ahead_of_a_slow_reader(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from kg.facts import executors

    monkeypatch.setattr(executors, "_map_chunk", _started_chunk)  # (the workers fork with it)
    chunks = [[(f"{n:03}", str(tmp_path / "page"))] for n in range(40)]
    rows = executors.map_in_processes(chunks, 2, Bar(), ParseOptions())
    assert next(rows)[0] == "000"
    time.sleep(1.5)  # a reader busy with the first row: the workers would map every chunk meanwhile
    started = len(list(tmp_path.glob("started-*")))
    assert started <= executors.AHEAD_CHUNKS * 2 + 1  # those handed out, and the one after the first row
    assert [row[0] for row in rows] == [f"{n:03}" for n in range(1, 40)]  # the rest, in order
    assert len(list(tmp_path.glob("started-*"))) == 40


class Bar:
    def update(self, n: int) -> None:
        pass


def test_incremental_build_equals_cold_after_edits_additions_deletions(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = build(corpus, cache_dir=cache, jobs=2)
    assert turtle(first, tmp_path, "first.ttl") == turtle(build(corpus, jobs=1), tmp_path, "cold0.ttl")

    _edited, _added, removed = edit_corpus(corpus)
    warm = build(corpus, cache_dir=cache, jobs=2)
    cold = build(corpus, jobs=1)
    assert turtle(warm, tmp_path, "warm.ttl") == turtle(cold, tmp_path, "cold.ttl")
    assert warm.report == cold.report
    publishers = set(warm.publishers)
    assert "Edited Times" in publishers
    assert any(e.headline.startswith("Brand new event") for e in warm.events_in_corpus)
    assert removed not in {e.page for e in warm.events_in_corpus}

    # The cache now holds exactly the pages of the corpus.
    with sqlite3.connect(cache / CACHE_FILE) as db:
        cached = {row[0] for row in db.execute("SELECT path FROM pages")}
    on_disk = {p.relative_to(corpus).as_posix() for p in (corpus / "news").rglob("*.md")}
    assert cached == on_disk


def test_unchanged_pages_come_from_the_cache(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    build(corpus, cache_dir=cache, jobs=1)
    page = event_pages(corpus)[0]
    rel = page.relative_to(corpus).as_posix()
    # Plant different facts under the page's current hash: a build that
    # trusts the cache shows them, one that re-parsed would not.
    with sqlite3.connect(cache / CACHE_FILE) as db:
        facts = decode_facts(db.execute("SELECT facts FROM facts WHERE path = ?", (rel,)).fetchone()[0])
        assert facts.event is not None
        planted = replace(facts, event=replace(facts.event, headline="Planted headline"))
        db.execute("UPDATE facts SET facts = ? WHERE path = ?", (encode_facts(planted), rel))
    key = page_key(facts.event.key)
    graph = build(corpus, cache_dir=cache, jobs=1)
    assert graph.event_records[key].headline == "Planted headline"
    # Once the page changes, it is parsed again.
    page.write_bytes(page.read_bytes() + b"\n")
    graph = build(corpus, cache_dir=cache, jobs=1)
    assert graph.event_records[key].headline == facts.event.headline


def test_records_reach_the_cache_in_batches(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.graphbuild

    monkeypatch.setattr(kg.graphbuild, "STORE_BATCH", 50)  # many batches on this small corpus
    cache = tmp_path / "cache"
    first = build(corpus, cache_dir=cache, jobs=2)
    with sqlite3.connect(cache / CACHE_FILE) as db:
        cached = {row[0] for row in db.execute("SELECT path FROM pages")}
    assert cached == {p.relative_to(corpus).as_posix() for p in (corpus / "news").rglob("*.md")}
    assert build(corpus, cache_dir=cache, jobs=1) == first


@pytest.mark.parametrize("damage", ["garbage", "truncated", "bad-row", "facts-gone", "foreign-fingerprint"])
def test_damaged_cache_is_ignored_and_rebuilt(corpus: Path, tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    expected = turtle(build(corpus, jobs=1), tmp_path, "cold.ttl")
    build(corpus, cache_dir=cache, jobs=1)
    db_file = cache / CACHE_FILE
    with sqlite3.connect(db_file) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if damage == "garbage":
        db_file.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        db_file.write_bytes(db_file.read_bytes()[:5000])
    elif damage == "bad-row":
        with sqlite3.connect(db_file) as db:
            db.execute("UPDATE facts SET facts = x'00ff00'")
    elif damage == "facts-gone":
        with sqlite3.connect(db_file) as db:
            db.execute("DELETE FROM facts")
    else:
        with sqlite3.connect(db_file) as db:
            db.execute("UPDATE meta SET value = 'another parser' WHERE key = 'fingerprint'")
            db.execute("CREATE TABLE kept_by_another_version (x)")
    graph = build(corpus, cache_dir=cache, jobs=2)
    assert turtle(graph, tmp_path, "after.ttl") == expected
    with sqlite3.connect(db_file) as db:  # another version's cache is made anew, not emptied table by table
        assert not db.execute("SELECT name FROM sqlite_master WHERE name = 'kept_by_another_version'").fetchall()
    # ...and the cache works again afterwards.
    with sqlite3.connect(db_file) as db:
        rows = db.execute("SELECT count(*) FROM pages").fetchone()[0]
    assert rows == len(list((corpus / "news").rglob("*.md")))
    assert turtle(build(corpus, cache_dir=cache, jobs=1), tmp_path, "again.ttl") == expected


_KILLED_FILL = """
import os, signal, sys
from kg.facts import page_facts
from kg.facts.executors import parse_file
from kg.incremental.cache import PageCache, file_digest, stat_signature
from kg.read.files import corpus_root, iter_page_files

root = corpus_root(sys.argv[1])
cache = PageCache.open(sys.argv[2])

def rows():
    for n, (rel, real, _) in enumerate(iter_page_files(root)):
        if n == 300:  # rows of two batches are in the file, uncommitted: killed as by the OOM killer
            assert cache.connection.execute("PRAGMA journal_mode").fetchone() == ("off",)
            os.kill(os.getpid(), signal.SIGKILL)
        yield rel, file_digest(real), stat_signature(real), page_facts(parse_file(rel, real))

cache.store_all(rows(), 100)
"""


def test_a_first_fill_killed_half_way_leaves_no_cache_behind(corpus: Path, tmp_path: Path) -> None:
    # A first fill writes without a journal (once, not twice): a fill that never
    # ended is marked as such, and the next build starts the cache afresh.
    cache = tmp_path / "cache"
    done = subprocess.run([sys.executable, "-c", _KILLED_FILL, str(corpus), str(cache)], check=False)
    assert done.returncode == -9
    with closing(sqlite3.connect(cache / CACHE_FILE)) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'filling'").fetchone() == ("1",)
    reopened = PageCache.open(cache)
    reopened.close()
    with closing(sqlite3.connect(cache / CACHE_FILE)) as db:
        assert db.execute("SELECT count(*) FROM pages").fetchone() == (0,)
        assert db.execute("SELECT 1 FROM meta WHERE key = 'filling'").fetchone() is None
    graph = build(corpus, cache_dir=cache, jobs=1)
    assert turtle(graph, tmp_path, "warm.ttl") == turtle(build(corpus, jobs=1), tmp_path, "cold.ttl")
    with closing(sqlite3.connect(cache / CACHE_FILE)) as db:  # a fill that ended is journaled again, and unmarked
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("SELECT 1 FROM meta WHERE key = 'filling'").fetchone() is None
        assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == len(list((corpus / "news").rglob("*.md")))


def test_a_first_fill_cut_short_in_this_process_keeps_its_mark(corpus: Path, tmp_path: Path) -> None:
    cache = PageCache.open(tmp_path / "cache")
    pages = sorted(p for p in (corpus / "news").rglob("*.md"))

    def rows():
        for n, page in enumerate(pages):
            if n == 150:
                raise KeyboardInterrupt  # Ctrl-C between two batches
            rel = page.relative_to(corpus).as_posix()
            yield rel, file_digest(str(page)), stat_signature(str(page)), page_facts(parse_file(rel, page))

    with pytest.raises(KeyboardInterrupt):
        cache.store_all(rows(), 100)
    cache.close()
    reopened = PageCache.open(tmp_path / "cache")  # the mark is there: made anew, not trusted
    assert reopened.cached({p.relative_to(corpus).as_posix(): str(p) for p in pages}) == {}
    reopened.close()


def _fill_rows(corpus: Path):
    for page in sorted((corpus / "news").rglob("*.md")):
        rel = page.relative_to(corpus).as_posix()
        yield rel, file_digest(str(page)), stat_signature(str(page)), page_facts(parse_file(rel, page))


def test_a_first_fills_indexes_made_meanwhile_are_there_at_the_next_use(corpus: Path, tmp_path: Path) -> None:
    from kg.incremental.cachefile import SCHEMA

    cache = PageCache.open(tmp_path / "cache")
    cache.store_all(_fill_rows(corpus), 100, index_meanwhile=True)
    names = {row[0] for row in cache.connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {line.split()[5] for line in SCHEMA.splitlines() if line.startswith("CREATE INDEX")} <= names
    assert cache.connection.execute("SELECT 1 FROM meta WHERE key = 'filling'").fetchone() is None
    pages = {p.relative_to(corpus).as_posix(): str(p) for p in (corpus / "news").rglob("*.md")}
    assert len(cache.cached(pages)) == len(pages)
    cache.close()


def test_a_first_fill_whose_indexes_fail_meanwhile_starts_afresh(corpus: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.incremental.cache as cache_module

    def failing(db: sqlite3.Connection, *, on: bool) -> None:
        if on:
            raise sqlite3.OperationalError("disk I/O error")
        real(db, on=on)

    real = cache_module.journal
    monkeypatch.setattr(cache_module, "journal", failing)
    cache = PageCache.open(tmp_path / "cache")
    cache.store_all(_fill_rows(corpus), 100, index_meanwhile=True)
    pages = {p.relative_to(corpus).as_posix(): str(p) for p in (corpus / "news").rglob("*.md")}
    assert cache.usable and cache.cached(pages) == {}  # a fresh cache, not a half-made one
    cache.close()


def test_one_cache_is_used_by_one_build_at_a_time(corpus: Path, tmp_path: Path) -> None:
    first = PageCache.open(tmp_path / "cache")
    second = PageCache.open(tmp_path / "cache")  # held by the first: the second build goes without
    assert first.usable and not second.usable
    second.close()
    assert build(corpus, cache_dir=tmp_path / "cache", jobs=1) == build(corpus, jobs=1)
    first.close()
    again = PageCache.open(tmp_path / "cache")
    assert again.usable
    again.close()


def test_a_first_fill_beside_another_connection_keeps_its_journal(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    PageCache.open(cache).close()
    with closing(sqlite3.connect(cache / CACHE_FILE)) as other:  # no journal can be turned off meanwhile
        assert other.execute("SELECT count(*) FROM pages").fetchone() == (0,)
        graph = build(corpus, cache_dir=cache, jobs=1)
        assert other.execute("SELECT 1 FROM meta WHERE key = 'filling'").fetchone() is None
        assert other.execute("SELECT count(*) FROM pages").fetchone()[0] == len(list((corpus / "news").rglob("*.md")))
    assert build(corpus, cache_dir=cache, jobs=1) == graph


def test_cache_in_an_unusable_place_does_not_break_the_build(corpus: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert not PageCache.open(blocker / "cache").usable
    graph = build(corpus, cache_dir=blocker / "cache", jobs=1)
    assert kg.counts(graph)["events"] == 428


def test_progress_is_quiet_off_a_terminal(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(corpus, jobs=1, progress=True)
    assert capsys.readouterr().err == ""


def kg_cli(*args: str) -> subprocess.CompletedProcess:
    # A fresh process, as a user runs it.
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True)


def test_cli_build_with_cache_and_jobs(corpus: Path, tmp_path: Path) -> None:
    out_a, out_b = tmp_path / "a", tmp_path / "b"
    args = ["-f", "turtle,report", "-q"]
    for run in (["-o", str(out_a), "--jobs", "1"],
                ["-o", str(out_b), "--cache", str(tmp_path / "c")],
                ["-o", str(out_b), "--cache", str(tmp_path / "c"), "-j", "2"]):
        done = kg_cli("build", str(corpus), *run, *args)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""  # quiet, and no progress bar off a terminal
    assert (out_a / "graph.ttl").read_bytes() == (out_b / "graph.ttl").read_bytes()
    assert (tmp_path / "c" / CACHE_FILE).is_file()


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_parallel_writer_gives_the_serial_bytes(corpus: Path, tmp_path: Path, fmt: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.export import rdf

    graph = build(corpus, jobs=1)
    kg.write(graph, tmp_path / "serial", fmt, jobs=1)
    monkeypatch.setattr(rdf, "_PARALLEL_MIN_EVENTS", 0)  # the sample is below the threshold
    kg.write(graph, tmp_path / "parallel", fmt, jobs=2)
    assert (tmp_path / "parallel").read_bytes() == (tmp_path / "serial").read_bytes()


def test_fast_parse_builds_the_same_graph(tmp_path: Path) -> None:
    sample = Path(__file__).parents[1] / "examples" / "wcep-2015-09"
    plain, fast = build(sample, jobs=1, fast_parse=False), build(sample, jobs=2)
    assert fast == plain
    kg.write_turtle(plain, tmp_path / "plain.ttl")
    kg.write_turtle(fast, tmp_path / "fast.ttl")
    assert (tmp_path / "fast.ttl").read_bytes() == (tmp_path / "plain.ttl").read_bytes()


def test_a_graph_built_without_counts_is_the_same_graph(corpus: Path) -> None:
    from kg.facts.build import build_graph
    from kg.facts.executors import parse_file

    pages = [parse_file(p.relative_to(corpus).as_posix(), p) for p in sorted((corpus / "news").rglob("*.md"))]
    counted, uncounted = build_graph(pages), build_graph(pages, count=False)
    assert uncounted.report.counts == {} and counted.report.counts["events"] == 428
    assert uncounted.report.diagnostics == counted.report.diagnostics
    assert uncounted.event_records == counted.event_records and uncounted.shared == counted.shared


def test_the_reports_counts_are_read_only(tmp_path: Path) -> None:
    from kg.model import BuildReport

    graph = build(SAMPLE, jobs=1)
    report = graph.report
    with pytest.raises(TypeError):
        report.counts["events"] = 0  # type: ignore[index]
    assert not hasattr(report.counts, "clear") and not hasattr(report.counts, "update")
    assert report.counts == kg.counts(graph) and kg.counts(graph) == report.counts  # as a plain dict, either way
    made = {"events": 1}
    other = BuildReport(counts=made)
    made["events"] = 2  # the report holds a copy of what it was made with
    assert other.counts == {"events": 1} and replace(report, corpus="x").counts == report.counts
    for again in (pickle.loads(pickle.dumps(graph)).report, copy.deepcopy(report)):
        assert again == report
        with pytest.raises(TypeError):
            again.counts["events"] = 0  # type: ignore[index]
    kg.write(graph, tmp_path / "report.json")
    kg.write(graph, tmp_path / "graph.kg.json")
    assert json.loads((tmp_path / "report.json").read_bytes())["counts"] == report.counts
    assert kg.load(tmp_path / "graph.kg.json").report == report


def test_the_graphs_mappings_are_read_only() -> None:
    """A record deleted by a reader would leave links and counts that name it: the mappings refuse it,
    whether the graph was built, loaded, replaced, pickled or copied."""
    graph = build(SAMPLE, jobs=1)
    first = next(iter(graph.event_records))
    made = {first: graph.event_records[first]}
    by_hand = replace(graph, event_records=made)
    made.clear()  # the graph holds a copy of what it was made with
    assert list(by_hand.event_records) == [first]
    copies = [pickle.loads(pickle.dumps(graph)), copy.deepcopy(graph), copy.copy(graph)]
    assert all(again == graph for again in copies)
    for again in (graph, by_hand, replace(graph, related=()), *copies):
        for name in ("event_records", "days", "articles", "event_contexts", "organization_labels"):
            mapping = getattr(again, name)
            key = next(iter(mapping))
            with pytest.raises(TypeError):
                del mapping[key]
            with pytest.raises(TypeError):
                mapping[key] = mapping[key]
            assert not hasattr(mapping, "pop") and not hasattr(mapping, "clear")
    assert replace(graph, related=()).event_records is graph.event_records  # a view is not copied again
    assert kg.counts(graph) == graph.report.counts  # (the floors lack pandas: no kg.events here)


def test_a_graph_hashes_as_the_value_it_is() -> None:
    """A frozen graph raised TypeError (unhashable type: 'mappingproxy') from hash(): it could not key
    functools.lru_cache, a set or a dict, though isinstance(g, Hashable) said it could.  Equal graphs
    hash alike, whether built, pickled or copied; another graph is another key."""
    import functools

    graph = build(SAMPLE, jobs=1)
    again = pickle.loads(pickle.dumps(build(SAMPLE, jobs=1)))
    assert hash(graph) == hash(again) == hash(copy.deepcopy(graph)) and len({graph, again}) == 1
    assert hash(graph.report) == hash(again.report) and len({graph.report, again.report}) == 1  # (its counts too)
    smaller = replace(graph, related=graph.related[1:])
    assert len({graph, smaller}) == 2
    seen = []
    counted = functools.lru_cache(maxsize=None)(lambda g: seen.append(g) or len(g.related))
    assert [counted(graph), counted(again), counted(smaller)] == [1925, 1925, 1924] and len(seen) == 2


def test_the_cache_fingerprint_covers_every_file_of_the_package(tmp_path):
    """A change to any module (not only the cache's own) or to the explorer's script starts caches afresh:
    a kept graph.html holds that script, a cached page's facts what the parser made of it."""
    from kg.incremental.fingerprint import code_fingerprint, package_fingerprint

    package = Path(kg.__file__).parent
    assert package_fingerprint(package) == code_fingerprint()
    copy = tmp_path / "kg"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert package_fingerprint(copy) == code_fingerprint()
    for changed in ("parse/sections.py", "export/html/assets/view/search.js", "export/html/assets/view.css"):
        before = package_fingerprint(copy)
        (copy / changed).write_text((copy / changed).read_text(encoding="utf-8") + "\n", encoding="utf-8")
        assert package_fingerprint(copy) != before, changed
