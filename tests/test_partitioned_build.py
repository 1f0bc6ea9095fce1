"""The local build by the partitioned reduce: the in-memory build's files and cache, byte for byte.

A full build with Turtle, N-Triples and the report only reduces partition by
partition, its shuffles spilled to disk (:mod:`kg.distributed.local`); the
in-memory reduce is the reference, for any number of partitions and jobs.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kg
import kg.distributed.local
import kg.pipeline
from kg.distributed.merging import key_bytes, merge_kind, write_runs
from kg.incremental.cachefile import CACHE_FILE
from kg.incremental.datacodec import loads
from tests.conftest import DATA, REPO, SAMPLE, sample_with_an_unread_page

SHARED = REPO / "examples" / "wcep-2026-05-to-2026-08"
HOSTILE = DATA / "hostile"
FILES = ("graph.ttl", "graph.nt", "report.json")
FORMATS = ("turtle", "ntriples", "report")


def _in_memory(corpus: Path, out: Path, **options: object) -> None:
    kg.build_files(corpus, out, FORMATS, cache=False, **options)
    assert not (out / ".kg").exists()


def _same_files(one: Path, other: Path, names: tuple[str, ...] = FILES) -> None:
    for name in names:
        assert (one / name).read_bytes() == (other / name).read_bytes(), name


@pytest.mark.parametrize("corpus", [SAMPLE, HOSTILE, SHARED], ids=["sample", "hostile", "shared-1888"])
def test_the_partitioned_build_writes_the_in_memory_build_s_bytes(tmp_path, corpus):
    _in_memory(corpus, tmp_path / "memory")
    expected = kg.build(corpus).report
    # (the 1,888 events in one of the three shapes: each took ten seconds)
    for parts, jobs in ((1, 1), (3, 2), (8, 1)) if corpus != SHARED else ((3, 2),):
        out = tmp_path / f"parts-{parts}-jobs-{jobs}"
        done = kg.build_files(corpus, out, FORMATS, cache=False, partitions=parts, jobs=jobs)
        _same_files(tmp_path / "memory", out)
        assert done.report == expected
        # Nothing left of the spill: the files, and the folder's lock.
        assert sorted(p.name for p in out.iterdir()) == sorted([*FILES, ".kg-lock"])


@pytest.mark.parametrize("unread", ["binary", "fifo"])
def test_links_to_a_page_that_cannot_be_read_say_so_in_every_engine(tmp_path, unread):
    """The unreadable page's key reaches the partition that reduces the links to it; a FIFO named as the page
    (which the walk, not the reader, finds) too: there the partitioned build said "not in the corpus"."""
    corpus = tmp_path / "corpus"
    graph, target = sample_with_an_unread_page(corpus, unread)
    _in_memory(corpus, tmp_path / "memory")
    report = json.loads((tmp_path / "memory" / "report.json").read_text(encoding="utf-8"))
    why = ", whose page gave no event (its own diagnostics say why)"
    lost = [d for d in report["diagnostics"] if d["message"].endswith(why)]
    assert len(lost) == sum(r.target == target for r in graph.related) + 1 > 1  # (and its day's entry)
    for parts, jobs in ((3, 2), (8, 1)):
        kg.build_files(corpus, tmp_path / f"parts-{parts}", FORMATS, cache=False, partitions=parts, jobs=jobs)
        _same_files(tmp_path / "memory", tmp_path / f"parts-{parts}")
    assert kg.build(corpus, jobs=2).report == kg.build(corpus).report


def test_gzipped_files_are_the_same_bytes_too(tmp_path):
    _in_memory(SAMPLE, tmp_path / "memory", gzip=True)
    kg.build_files(SAMPLE, tmp_path / "parts", FORMATS, cache=False, gzip=True, partitions=4, jobs=2)
    _same_files(tmp_path / "memory", tmp_path / "parts", ("graph.ttl.gz", "graph.nt.gz", "report.json"))


def test_an_empty_corpus_gives_empty_files(tmp_path):
    (tmp_path / "empty" / "news").mkdir(parents=True)
    _in_memory(tmp_path / "empty", tmp_path / "memory")
    kg.build_files(tmp_path / "empty", tmp_path / "parts", FORMATS, cache=False, partitions=3, jobs=2)
    _same_files(tmp_path / "memory", tmp_path / "parts")
    assert (tmp_path / "parts" / "graph.ttl").read_bytes() == b""


def test_a_large_build_is_partitioned_by_default_with_a_cache_or_without(tmp_path, monkeypatch):
    """From PARTITIONED_MIN_PAGES pages on (lowered here), with a cache or without; the default
    formats are not all mergeable."""
    calls = []
    real = kg.distributed.local.build_partitioned

    def counted(*args, **kwargs):
        calls.append(kwargs["parts"])
        return real(*args, **kwargs)

    monkeypatch.setattr(kg.distributed.local, "build_partitioned", counted)
    monkeypatch.setattr(kg.pipeline, "PARTITIONED_MIN_PAGES", 100)
    kg.build_files(SAMPLE, tmp_path / "turtle", ("turtle", "report"), cache=False, jobs=2)
    kg.build_files(SAMPLE, tmp_path / "cached", ("turtle", "report"), jobs=2)
    assert calls == [None, None]
    kg.build_files(SAMPLE, tmp_path / "cached", ("turtle", "report"), jobs=2)  # nothing changed: kept
    kg.build_files(SAMPLE, tmp_path / "html", ("turtle", "html"), cache=False, jobs=2)  # html: in memory
    assert calls == [None, None]
    _same_files(tmp_path / "turtle", tmp_path / "cached", ("graph.ttl", "report.json"))


def _cache_tables(cache: Path) -> dict[str, list[tuple]]:
    """What a build left in its cache, but where and when its files were written."""
    with sqlite3.connect(cache / CACHE_FILE) as db:
        tables = {name: sorted(db.execute(f"SELECT * FROM {name}"))  # our own table names
                  for name in ("pages", "facts", "holds", "names", "diags")}
        # (a page copied a moment ago is racy for one build and may not be for the next)
        tables["pages"] = [(path, digest, re.sub(r":racy \d+$", "", stat), *rest)
                           for path, digest, stat, *rest in tables["pages"]]
        tables["segments"] = list(db.execute("SELECT format, kind, first, length, tally, body FROM segments "
                                             "ORDER BY id"))
        states = [loads(state) for _, state in db.execute("SELECT * FROM outputs ORDER BY format")]
    tables["outputs"] = [(s["format"], s["header"], s["totals"], s["size"]) for s in states]
    return tables


@pytest.mark.parametrize("corpus,page", [
    (SAMPLE, "news/2015/09/1/a-law-affecting-online-personal-computer-data-storage-comes-into-force-in-russia.md"),
    (HOSTILE, "news/2015/02/30/impossible-date.md"),  # a page no rerun patches: both build in full
    (SHARED, "news/2026/06/1/a-british-army-soldier-is-killed-in-an-accident-during-a-military-training-exercise-"
             "in-iraqi-kurdistan-according-to-the-uk-defence-ministry.md"),
], ids=["sample", "hostile", "shared-1888"])
def test_a_partitioned_full_build_leaves_the_cache_an_in_memory_one_leaves(tmp_path, corpus, page):
    """The pages' facts, their diagnostics and the written files' index: then reruns patch alike."""
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    kg.build_files(work, tmp_path / "memory", FORMATS, jobs=2)
    done = kg.build_files(work, tmp_path / "parts", FORMATS, jobs=2, partitions=3)
    assert not done.incremental
    _same_files(tmp_path / "memory", tmp_path / "parts")
    assert _cache_tables(tmp_path / "memory" / ".kg") == _cache_tables(tmp_path / "parts" / ".kg")

    edited = work / page
    edited.write_text(edited.read_text(encoding="utf-8").replace("\n", "\n\n", 1), encoding="utf-8")
    in_memory = kg.build_files(work, tmp_path / "memory", FORMATS, jobs=2)
    again = kg.build_files(work, tmp_path / "parts", FORMATS, jobs=2, partitions=3)
    # Patched from the index the partitions made where the in-memory build's patches.
    assert (again.incremental, again.changed) == (in_memory.incremental, in_memory.changed)
    assert again.incremental == (corpus != HOSTILE)
    _in_memory(work, tmp_path / "cold")
    _same_files(tmp_path / "cold", tmp_path / "parts")


def test_a_partitioned_rebuild_after_pages_were_deleted_leaves_an_index_the_next_run_patches(tmp_path):
    """Forgetting the deleted pages makes a new version of the cache: the index is of that one."""
    work = tmp_path / "corpus"
    shutil.copytree(SAMPLE, work)
    kg.build_files(work, tmp_path / "out", ("turtle", "report"), partitions=3)
    pages = sorted(p for p in (work / "news").rglob("*.md") if p.name != "index.md")
    pages[0].unlink()
    # Another set of formats: no patch, a full build (partitioned) that forgets the deleted page.
    full = kg.build_files(work, tmp_path / "out", FORMATS, partitions=3)
    assert not full.incremental
    pages[1].write_text(pages[1].read_text(encoding="utf-8").replace("\n", "\n\n", 1), encoding="utf-8")
    again = kg.build_files(work, tmp_path / "out", FORMATS, partitions=3)
    assert again.incremental and again.changed == 1
    _in_memory(work, tmp_path / "cold")
    _same_files(tmp_path / "cold", tmp_path / "out")


def test_a_partitioned_full_build_takes_unchanged_pages_from_the_cache(tmp_path, monkeypatch):
    """Gzipped files are never patched: a rerun is a full build, which parses only what changed."""
    work = tmp_path / "corpus"
    shutil.copytree(SAMPLE, work)
    kg.build_files(work, tmp_path / "out", FORMATS, gzip=True, partitions=3, jobs=1)
    first = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir() if p.is_file()}
    parsed: list[str] = []
    real = kg.distributed.local.map_file

    def counted(rel, *args):
        parsed.append(rel)
        return real(rel, *args)

    monkeypatch.setattr(kg.distributed.local, "map_file", counted)  # jobs=1: the map runs in this process
    page = next(p for p in sorted((work / "news").rglob("*.md")) if p.name != "index.md")
    page.write_text(page.read_text(encoding="utf-8").replace("\n", "\n\n", 1), encoding="utf-8")
    again = kg.build_files(work, tmp_path / "out", FORMATS, gzip=True, partitions=3, jobs=1)
    assert not again.incremental and parsed == [page.relative_to(work).as_posix()]
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir() if p.is_file()}.keys() == first.keys()
    _in_memory(work, tmp_path / "cold", gzip=True)
    _same_files(tmp_path / "cold", tmp_path / "out", ("graph.ttl.gz", "graph.nt.gz", "report.json"))


def test_more_partitions_than_the_system_lets_a_process_hold_files_for_is_a_usage_error(tmp_path):
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (300, 300))\n"
        "import kg\n"
        "try:\n"
        f"    kg.build_files({str(SAMPLE)!r}, {str(tmp_path / 'out')!r}, ('turtle',), partitions=200)\n"
        "except kg.ArgumentError as err:\n"
        "    print(err)\n"
        "    sys.exit(2)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 2, done.stderr
    assert "200 partitions need 656 open files and this system allows 300: ask for at most 22" in done.stdout
    ok = subprocess.run([sys.executable, "-c", script.replace("partitions=200", "partitions=20")],
                        capture_output=True, text=True, cwd=REPO, check=False)
    assert ok.returncode == 0, ok.stderr


def test_a_default_count_of_partitions_is_lowered_to_what_the_open_files_limit_allows(tmp_path):
    # 8 jobs ask for 16 partitions by default; 272 open files allow 8: the build uses 8, not an error.
    script = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (272, 272))\n"
        "import kg, kg.pipeline\n"
        "kg.pipeline.PARTITIONED_MIN_PAGES = 0\n"
        f"kg.build_files({str(SAMPLE)!r}, {str(tmp_path / 'out')!r}, {FORMATS!r}, cache=False, jobs=8)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr
    _in_memory(SAMPLE, tmp_path / "memory")
    _same_files(tmp_path / "memory", tmp_path / "out")


def test_a_stage_whose_task_raises_stop_iteration_fails_rather_than_ending_early(tmp_path, monkeypatch):
    # A StopIteration out of a task ends a map as if the items had run out: the stage must notice.
    real = kg.distributed.local._assemble_task

    def failing(index, **options):
        if index == 1:
            raise StopIteration
        return real(index, **options)

    monkeypatch.setattr(kg.distributed.local, "_assemble_task", failing)
    with pytest.raises(AssertionError, match="3 tasks gave 1 results"):
        kg.build_files(SAMPLE, tmp_path / "out", FORMATS, cache=False, partitions=3, jobs=1)


_STARTED: list = []  # a shared counter, set before the pool forks: the workers inherit it


def _started(n):
    counter = _STARTED[0]
    with counter.get_lock():
        counter.value += 1
    return n


def test_the_map_gives_its_workers_a_bounded_window_of_chunks():
    """However slow the build's process is to take results, no more than the window are out."""
    import multiprocessing
    import time

    from kg.distributed.local import _pool_map_bounded
    from kg.interrupts import worker_pool

    fork = multiprocessing.get_context("fork")
    _STARTED[:] = [fork.Value("i", 0)]
    with worker_pool(fork, 2) as pool:
        taken = 0
        for n in _pool_map_bounded(pool, _started, range(40), 5):
            time.sleep(0.01)  # a slow consumer: the workers would otherwise run far ahead
            assert n == taken
            taken += 1
            assert _STARTED[0].value <= taken + 5
    assert taken == 40 and _STARTED[0].value == 40


def _kg(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, check=False)


def test_the_command_line_takes_partitions_for_the_local_engine(tmp_path):
    done = _kg("build", SAMPLE, "-o", tmp_path / "parts", "--no-cache", "--partitions", "3",
               "--formats", "turtle,report", "--quiet")
    assert done.returncode == 0, done.stderr
    _in_memory(SAMPLE, tmp_path / "memory")
    _same_files(tmp_path / "memory", tmp_path / "parts", ("graph.ttl", "report.json"))

    html = _kg("build", SAMPLE, "-o", tmp_path / "html", "--no-cache", "--partitions", "3", "--formats", "html")
    assert html.returncode == 2 and "not html" in html.stderr
    assert len(html.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "html").exists()


# ------------------------------------------------------------------ merging runs

@given(st.lists(st.tuples(st.text(), st.text(), st.integers(0, 10**6), st.text())))
def test_key_bytes_sort_as_the_keys_do(keys):
    assert sorted(keys, key=key_bytes) == sorted(keys)


@given(st.lists(st.text()))
def test_key_bytes_of_names_sort_as_the_names_do(names):
    assert sorted(names, key=key_bytes) == sorted(names)
    assert len({key_bytes(n) for n in names}) == len(set(names))


def test_two_partitions_holding_one_subject_is_a_bug_not_a_file(tmp_path, sample_graph):
    write_runs(sample_graph, sample_graph, 0, tmp_path, ("turtle",))
    write_runs(sample_graph, sample_graph, 1, tmp_path, ("turtle",))
    with pytest.raises(AssertionError, match="two partitions hold one events subject"):
        merge_kind(tmp_path, "turtle", "events", 2)


def test_partitions_are_at_most_one_per_page(tmp_path, monkeypatch):
    """--partitions 5,000 for 1,977 pages opened and merged thousands of empty runs for minutes."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE / "news/2015/09/1", corpus / "news/2015/09/1")
    pages = len(list((corpus / "news").rglob("*.md")))
    counts = []
    real = kg.distributed.local._open_files_for
    monkeypatch.setattr(kg.distributed.local, "_open_files_for",
                        lambda parts, asked: counts.append(parts) or real(parts, asked=asked))
    kg.build_files(corpus, tmp_path / "out", FORMATS, cache=False, partitions=5_000)
    assert counts == [pages]
    _in_memory(corpus, tmp_path / "memory")
    _same_files(tmp_path / "memory", tmp_path / "out")
