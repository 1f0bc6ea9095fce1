"""The incremental rebuild: patched files must be the files a full build writes.

Every test primes a cache with a full build, edits the corpus, rebuilds with
the cache and compares Turtle, N-Triples and report.json byte for byte with
a cold build (no cache) of the edited corpus.  Whatever the rebuild declines
to patch (duplicates, moved or edited outputs, other options) must fall
back to a full build, never to wrong files.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.incremental.cache import CACHE_FILE
from kg.incremental.cachefile import LOCK_FILE
from kg.pipeline import build_files
from tests.edits import EDITS, duplicate_page, event_pages, new_source, ten_days

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "wcep-2015-09"
FORMATS = ("turtle", "ntriples", "report")
FILES = ("graph.ttl", "graph.nt", "report.json")


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """Ten days of the sample: links to the other twenty are links out of the corpus."""
    return ten_days(tmp_path / "corpus")


def digests(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES}


def assert_same_as_cold(corpus: Path, out: Path, tmp_path: Path) -> None:
    cold = tmp_path / "cold"
    shutil.rmtree(cold, ignore_errors=True)
    build_files(corpus, cold, FORMATS, jobs=1)
    ours, theirs = digests(out), digests(cold)
    assert ours == theirs, [name for name in FILES if ours[name] != theirs[name]]


def prime(corpus: Path, tmp_path: Path) -> tuple[Path, Path]:
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1)
    assert not first.incremental and first.graph is not None
    return out, cache


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_each_edit_is_patched_exactly(edit: str, corpus: Path, tmp_path: Path) -> None:
    out, cache = prime(corpus, tmp_path)
    rng = random.Random(edit)
    if edit in ("fill_outside", "empty_outside", "retitle_outside"):
        EDITS["link_outside"](corpus, rng)  # so that the page filled, emptied or reworded is linked to
        assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    EDITS[edit](corpus, rng)
    result = build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1)
    assert result.incremental and result.graph is None
    assert_same_as_cold(corpus, out, tmp_path)


def test_a_rerun_that_changes_no_subject_keeps_the_next_one_incremental(corpus: Path, tmp_path: Path) -> None:
    """The index of a file that a rerun leaves as it is stands for the pages as they are then."""
    out, cache = prime(corpus, tmp_path)
    EDITS["edit_nothing_of_the_graph"](corpus, random.Random(1))
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    new_source(corpus, random.Random(2))
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental  # (it was a full build)
    assert_same_as_cold(corpus, out, tmp_path)


def test_links_to_a_page_that_cannot_be_read_say_so_through_every_change(corpus: Path, tmp_path: Path) -> None:
    """Made unreadable, a linker edited, deleted, emptied, made readable again: as a cold build says each time."""
    out, cache = prime(corpus, tmp_path)
    text = {p: p.read_text(encoding="utf-8") for p in event_pages(corpus)}
    target = max(text, key=lambda p: sum(f"/{p.name})" in t for t in text.values()))
    linkers = [p for p, t in text.items() if f"/{target.name})" in t and p != target]
    assert len(linkers) >= 2
    original = target.read_bytes()
    steps = [lambda: target.write_bytes(b"\x00 binary"),
             lambda: linkers[0].write_text(text[linkers[0]].replace("\n# ", "\n# Edited: ", 1), encoding="utf-8"),
             lambda: target.unlink(), lambda: target.write_bytes(b""), lambda: target.write_bytes(original)]
    said = []
    for step in steps:
        step()
        assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
        assert_same_as_cold(corpus, out, tmp_path)
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        said.append(sum(d["message"].endswith("whose page gave no event (its own diagnostics say why)")
                        for d in report["diagnostics"]
                        if d["path"] in {str(p.relative_to(corpus)) for p in linkers}))
    assert said[0] == said[1] == said[3] >= len(linkers) and said[2] == said[4] == 0


def test_a_linked_page_that_stops_being_a_file_is_said_as_a_cold_build_says_it(corpus: Path, tmp_path: Path) -> None:
    """A page swapped for a FIFO or a link out of the corpus is in no cache: the walk's own report of it."""
    out, cache = prime(corpus, tmp_path)
    text = {p: p.read_text(encoding="utf-8") for p in event_pages(corpus)}
    target = max(text, key=lambda p: sum(f"/{p.name})" in t for t in text.values()))
    original = target.read_bytes()
    outside = tmp_path / "outside.md"
    outside.write_bytes(original)

    def fifo() -> None:
        target.unlink()
        os.mkfifo(target)

    def link_out() -> None:
        target.unlink()
        target.symlink_to(outside)

    def restore() -> None:
        target.unlink()
        target.write_bytes(original)

    for step in (fifo, restore, link_out, lambda: EDITS["new_source"](corpus, random.Random(3)), restore):
        step()
        assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
        assert_same_as_cold(corpus, out, tmp_path)


def _linked_most(corpus: Path) -> Path:
    text = {p: p.read_text(encoding="utf-8") for p in event_pages(corpus)}
    return max(text, key=lambda p: sum(f"/{p.name})" in t for t in text.values()))


def _fifo_in_place_of(page: Path) -> None:
    page.unlink()
    os.mkfifo(page)


#: Corpora whose walk reports a problem, or that hold a duplicate page, and the code of its diagnostic.
PROBLEMS = {
    "fifo": (lambda corpus: os.mkfifo(corpus / "news/2015/09/1/pipe.md"), "not-regular-file"),
    "linked-fifo": (lambda corpus: _fifo_in_place_of(_linked_most(corpus)), "not-regular-file"),
    "non-utf8-name": (lambda corpus: os.rename(event_pages(corpus)[0], os.fsencode(event_pages(corpus)[0])[:-3]
                                               + b"-\xff.md"), "non-utf8-name"),
    "duplicate": (lambda corpus: duplicate_page(corpus, random.Random(1)), "duplicate-page"),
}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("problem", sorted(PROBLEMS))
def test_a_rerun_with_no_page_changed_keeps_the_files_of_a_corpus_with_a_problem(problem: str, corpus: Path,
                                                                                 tmp_path: Path) -> None:
    """Before, the walk's unreadable pages were reduced again at every rerun: the Turtle and N-Triples were
    written anew (the same bytes) where nothing had changed. The report still says the problem."""
    make, code = PROBLEMS[problem]
    make(corpus)
    out, cache = prime(corpus, tmp_path)
    before = {name: ((out / name).stat().st_ino, (out / name).stat().st_mtime_ns) for name in FILES[:2]}
    again = build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1)
    assert again.incremental and again.changed == 0
    assert {name: ((out / name).stat().st_ino, (out / name).stat().st_mtime_ns) for name in FILES[:2]} == before
    assert code in {d["code"] for d in json.loads((out / "report.json").read_text(encoding="utf-8"))["diagnostics"]}
    assert_same_as_cold(corpus, out, tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_that_goes_with_no_page_changed_is_said_no_more(corpus: Path, tmp_path: Path) -> None:
    """Its linkers' diagnostics say that their event's page gave none: once it is gone they link out of the
    corpus (before, the rerun kept the old diagnostics). Where the cache no longer knows which pages the
    last walk found unreadable, the rerun builds in full."""
    target = _linked_most(corpus)
    _fifo_in_place_of(target)
    out, cache = prime(corpus, tmp_path)
    target.unlink()
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)
    os.mkfifo(target)
    with sqlite3.connect(cache / CACHE_FILE) as db:
        assert db.execute("UPDATE meta SET value = 'f' || value WHERE key = 'unread-problems'").rowcount == 1
    assert not build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_page_unreadable_during_a_full_build_is_read_again_when_it_comes_back(corpus: Path, tmp_path: Path) -> None:
    """The full build forgets its cached row: before, the page back with the same bytes passed for
    unchanged, and every later build kept the graph without it (or failed writing the explorer)."""
    from kg.pipeline import DEFAULT_FORMATS

    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    page = event_pages(corpus)[3]
    data = page.read_bytes()
    page.unlink()
    os.mkfifo(page)
    with open(out / "graph.ttl", "ab") as fh:  # an output edited since: the next build is a full one
        fh.write(b"# a user's note\n")
    assert not build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1).incremental
    page.unlink()
    page.write_bytes(data)
    again = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    assert again.incremental and again.changed == 1
    cold = tmp_path / "cold"
    build_files(corpus, cold, DEFAULT_FORMATS, jobs=1)
    for name in ("graph.ttl", "report.json", "graph.html", "graph.kg.json"):
        assert (out / name).read_bytes() == (cold / name).read_bytes(), name


def test_links_to_pages_of_the_corpus_come_and_go_as_a_cold_build_says(corpus: Path, tmp_path: Path) -> None:
    """A link sorted before the page it names, or before the folder it names, changes no page: each
    rerun is patched (the link's diagnostic alone), and gives the cold build's bytes."""
    out, cache = prime(corpus, tmp_path)
    day = corpus / "news/2015/09/1"
    page = max(p.name for p in day.glob("*.md") if p.name != "index.md")
    file_link, folder_link = day / "0-link.md", corpus / "news/2015/09/11"  # ("11" sorts before "2")
    steps = [(lambda: file_link.symlink_to(page), {"news/2015/09/1/0-link.md"}),
             (lambda: folder_link.symlink_to("2", target_is_directory=True),
              {"news/2015/09/1/0-link.md", "news/2015/09/11"}),
             (file_link.unlink, {"news/2015/09/11"}), (folder_link.unlink, set())]
    for step, links in steps:
        step()
        assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
        assert_same_as_cold(corpus, out, tmp_path)
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        assert {d["path"] for d in report["diagnostics"] if d["code"] == "symlink-skipped"} == links
        assert not any(d["path"].startswith(tuple(links)) for d in report["diagnostics"]
                       if d["code"] != "symlink-skipped")


@pytest.mark.parametrize("seed", range(4))
def test_random_edit_sequences(seed: int, corpus: Path, tmp_path: Path) -> None:
    rng = random.Random(seed)
    out, cache = prime(corpus, tmp_path)
    for _ in range(4):
        for name in rng.sample(sorted(EDITS), rng.randint(1, 3)):
            EDITS[name](corpus, rng)
        assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
        assert_same_as_cold(corpus, out, tmp_path)


def test_many_pages_changed_at_once(corpus: Path, tmp_path: Path) -> None:
    out, cache = prime(corpus, tmp_path)
    rng = random.Random(7)
    for _ in range(30):
        new_source(corpus, rng)
    EDITS["drop_related"](corpus, rng)
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=2).incremental
    assert_same_as_cold(corpus, out, tmp_path)


def test_a_grown_segment_is_cut_again(corpus: Path, tmp_path: Path) -> None:
    """Forty new events after all others grow the file's last segment of events:
    it is cut into segments of the usual size, and later rebuilds patch through them."""
    import re

    from kg.incremental.outindex import SEGMENT_BYTES

    def event_segments() -> list[int]:
        with sqlite3.connect(cache / CACHE_FILE) as db:
            return [n for (n,) in db.execute("SELECT length FROM segments WHERE format = 'turtle' "
                                             "AND kind = 'events'")]

    out, cache = prime(corpus, tmp_path)
    before = event_segments()
    folder = corpus / "news/2015/10/5"
    folder.mkdir(parents=True)
    for n, model in enumerate(event_pages(corpus)[:40]):
        text = re.sub(r"^### \[.*?\]\(.*?\)", "### [2015-10-5](/news/2015/10/5/index.md)",
                      model.read_text(encoding="utf-8"), count=1, flags=re.M)
        text = re.sub(r"^# ", f"# Grown {n}: ", text, count=1, flags=re.M)
        (folder / f"grown-{n}.md").write_text(text, encoding="utf-8")
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)
    after = event_segments()
    assert sum(after) > sum(before) + 3 * SEGMENT_BYTES
    assert len(after) >= len(before) + 3 and max(after) <= 2 * SEGMENT_BYTES + 8192

    rng = random.Random(5)
    for name in ("new_context", "delete_page", "new_source"):
        EDITS[name](corpus, rng)
    (folder / "grown-7.md").unlink()
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)


def test_links_written_otherwise_still_reach_a_touched_event(corpus: Path, tmp_path: Path) -> None:
    """Pages that only link to a touched event are made from their index rows: a link
    written relative to its page, and one to an event not in the corpus, must come
    out of those rows as they were written."""
    import re

    linked = {}  # a page with a Related line to another page of the corpus
    for page in event_pages(corpus):
        for match in re.finditer(r"\]\(/(news/2015/09/(\d+)/[^)]+\.md)\)", page.read_text(encoding="utf-8")):
            if 1 <= int(match.group(2)) <= 10 and (corpus / match.group(1)) != page:
                linked = {"page": page, "target": corpus / match.group(1), "link": match.group(0)}
                break
        if linked:
            break
    page, target = linked["page"], linked["target"]
    relative = "](" + "../" + target.parent.name + "/" + target.name + ")"
    page.write_text(page.read_text(encoding="utf-8").replace(linked["link"], relative, 1), encoding="utf-8")
    # Two pages name the same event outside the corpus; it takes its name from the first.
    first, second = [p for p in event_pages(corpus) if p not in (page, target)][:2]
    for n, linker in enumerate((first, second)):
        line = f"1. [Outside, as page {n} calls it](/news/2015/09/3/not-here.md) _Context: Nowhere_\n"
        text = linker.read_text(encoding="utf-8")
        linker.write_text(text.replace("### Related:\n\n", "### Related:\n\n" + line, 1), encoding="utf-8")
    out, cache = prime(corpus, tmp_path)
    # Touch the linked event, and the outside one through the second page only.
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("### Source:\n\n", "### Source:\n\n1. [Wire](https://wire.example/x)\n", 1),
                      encoding="utf-8")
    text = second.read_text(encoding="utf-8")
    second.write_text(text.replace("_Context: Nowhere_", "_Context: Nowhere, Elsewhere_", 1), encoding="utf-8")
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)


def test_unchanged_corpus_leaves_files_alone(corpus: Path, tmp_path: Path) -> None:
    out, cache = prime(corpus, tmp_path)
    before = {name: (out / name).stat().st_mtime_ns for name in FILES[:2]}
    again = build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1)
    assert again.incremental
    assert {name: (out / name).stat().st_mtime_ns for name in FILES[:2]} == before
    assert again.report.counts == json.loads((out / "report.json").read_text())["counts"]


def test_touched_but_unchanged_page_is_not_parsed_again(corpus: Path, tmp_path: Path) -> None:
    out, cache = prime(corpus, tmp_path)
    page = event_pages(corpus)[5]
    page.write_bytes(page.read_bytes())  # new mtime, same bytes
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)


def test_duplicates_fall_back_to_a_full_build(corpus: Path, tmp_path: Path) -> None:
    out, cache = prime(corpus, tmp_path)
    duplicate_page(corpus, random.Random(1))
    result = build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1)
    assert not result.incremental
    assert result.report.by_level()["warning"] + result.report.by_level()["info"] > 0
    assert_same_as_cold(corpus, out, tmp_path)
    # While the corpus holds a duplicate, every build after a change is a full one, and right; one after
    # none patches nothing (before, it too built in full: every rerun of such a corpus took a cold build's time).
    new_source(corpus, random.Random(2))
    assert not build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)
    again = build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1)
    assert again.incremental and again.changed == 0
    assert_same_as_cold(corpus, out, tmp_path)
    event_pages(corpus)[0].touch()  # a new signature, the same bytes: no change either
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)


def test_edited_output_falls_back_to_a_full_build(corpus: Path, tmp_path: Path) -> None:
    out, cache = prime(corpus, tmp_path)
    with open(out / "graph.ttl", "ab") as fh:
        fh.write(b"# a user's note\n")
    new_source(corpus, random.Random(3))
    assert not build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)


@pytest.mark.parametrize("name", ["graph.ttl", "graph.nt"])
def test_output_edited_in_place_with_its_mtime_put_back_falls_back_to_a_full_build(name: str, corpus: Path,
                                                                                  tmp_path: Path) -> None:
    """Same size, same mtime, same inode (``touch -r``, ``cp -p`` over it): its ctime gives it away.
    Before, the rerun spliced its changes into the edited file and kept the edit."""
    out, cache = prime(corpus, tmp_path)
    path = out / name
    before = path.stat()
    data = path.read_bytes()
    at = data.index(b"Syria")
    with open(path, "r+b") as fh:
        fh.seek(at)
        fh.write(b"SYRIA")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns, path.stat().st_ino) \
        == (before.st_size, before.st_mtime_ns, before.st_ino)
    new_source(corpus, random.Random(3))
    assert not build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)
    new_source(corpus, random.Random(4))  # published by a full build, then by a patch: both settled
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)


def test_a_kept_explorer_edited_with_its_mtime_put_back_is_made_again(corpus: Path, tmp_path: Path) -> None:
    from kg.pipeline import DEFAULT_FORMATS

    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    html = out / "graph.html"
    made, before = html.read_bytes(), html.stat()
    html.write_bytes(made.replace(b"<title>", b"<title>X", 1)[:len(made)])
    os.utime(html, ns=(before.st_atime_ns, before.st_mtime_ns))
    again = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    assert again.incremental and again.graph is not None  # the explorer made again from the kept graph
    assert html.read_bytes() == made


def test_other_output_folder_or_base_builds_in_full(corpus: Path, tmp_path: Path) -> None:
    out, cache = prime(corpus, tmp_path)
    elsewhere = build_files(corpus, tmp_path / "elsewhere", FORMATS, cache_dir=cache, jobs=1)
    assert not elsewhere.incremental
    other_base = build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1,
                             base_iri="https://example.net/kg/")
    assert not other_base.incremental
    back = build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1)
    assert not back.incremental  # the files were written for another base since
    new_source(corpus, random.Random(4))
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)


def test_formats_that_need_the_whole_graph_are_written_from_it(corpus: Path, tmp_path: Path) -> None:
    """Turtle, N-Triples and the report are patched; GraphML is written from the whole graph."""
    out, cache = prime(corpus, tmp_path)
    new_source(corpus, random.Random(5))
    mixed = (*FORMATS, "graphml")
    result = build_files(corpus, out, mixed, cache_dir=cache, jobs=1)
    assert result.incremental and result.graph is not None
    assert result.graph.report.counts == result.report.counts
    cold = tmp_path / "cold"
    build_files(corpus, cold, mixed, jobs=1)
    for name in (*FILES, "graph.graphml"):
        assert (out / name).read_bytes() == (cold / name).read_bytes(), name
    gz = build_files(corpus, out, ("turtle",), cache_dir=cache, jobs=1, gzip=True)
    assert not gz.incremental and gz.files[0].name == "graph.ttl.gz"


def test_a_first_build_with_the_default_formats_primes_the_patch(corpus: Path, tmp_path: Path) -> None:
    """``kg build`` as users run it: the next build patches its Turtle, and writes the rest anew."""
    from kg.pipeline import DEFAULT_FORMATS

    out, cache = tmp_path / "out", tmp_path / "cache"
    assert not build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1).incremental
    new_source(corpus, random.Random(7))
    again = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    assert again.incremental and again.graph is not None
    cold = tmp_path / "cold"
    build_files(corpus, cold, DEFAULT_FORMATS, jobs=1)
    for name in ("graph.ttl", "report.json", "graph.kg.json"):
        assert (out / name).read_bytes() == (cold / name).read_bytes(), name


def test_files_from_the_whole_graph_are_kept_when_nothing_changed(corpus: Path, tmp_path: Path) -> None:
    """A rerun with no page changed keeps the explorer and snapshot; an edited one is made again."""
    from kg.pipeline import DEFAULT_FORMATS

    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    html, snapshot = out / "graph.html", out / "graph.kg.json"
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in (html, snapshot)}
    again = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    assert again.incremental and again.graph is None  # nothing reduced: nothing changed
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in before} == before
    html.write_bytes(b"<p>edited by hand</p>")
    mended = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    assert mended.graph is not None and html.read_bytes() == before[html][2]
    assert snapshot.stat().st_ino == before[snapshot][0]  # still the file it was
    other = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1, base_iri="https://example.net/kg/")
    assert other.graph is not None and snapshot.read_bytes() != before[snapshot][2]
    new_source(corpus, random.Random(8))
    changed = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1, base_iri="https://example.net/kg/")
    assert changed.graph is not None
    cold = tmp_path / "cold"
    build_files(corpus, cold, DEFAULT_FORMATS, jobs=1, base_iri="https://example.net/kg/")
    assert snapshot.read_bytes() == (cold / "graph.kg.json").read_bytes()


def test_library_build_with_the_cache_then_incremental(corpus: Path, tmp_path: Path) -> None:
    """kg.build shares the cache: the files it did not write are not patched from it."""
    from kg.pipeline import build

    out, cache = prime(corpus, tmp_path)
    new_source(corpus, random.Random(6))
    build(corpus, cache_dir=cache, jobs=1)  # takes the edit into the cache, writes no file
    assert not build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)


def test_damaged_index_is_rebuilt(corpus: Path, tmp_path: Path) -> None:
    out, cache = prime(corpus, tmp_path)
    db = sqlite3.connect(cache / CACHE_FILE)
    db.execute("DELETE FROM segments WHERE id IN (SELECT id FROM segments LIMIT 3)")
    db.commit()
    db.close()
    new_source(corpus, random.Random(8))
    assert not build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)
    new_source(corpus, random.Random(9))
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)


def test_pages_whose_facts_are_gone_from_the_cache_build_in_full(corpus: Path, tmp_path: Path) -> None:
    out, cache = prime(corpus, tmp_path)
    with sqlite3.connect(cache / CACHE_FILE) as db:  # the facts live in a table of their own
        db.execute("DELETE FROM facts")
    new_source(corpus, random.Random(8))
    assert not build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)


def _flip_a_letter_or_digit(blob: bytes, start: int) -> bytes:
    """``blob`` with the first letter or digit from ``start`` on changed to another of its kind: still JSON."""
    for i in range(start, len(blob)):
        c = blob[i:i + 1]
        if c.isdigit() or c.isalpha():
            other = b"1" if c == b"7" else b"7" if c.isdigit() else b"q" if c != b"q" else b"z"
            return blob[:i] + other + blob[i + 1:]
    raise AssertionError("nothing to change")


@pytest.mark.parametrize("row", ["facts-headline", "facts-day", "segment-body", "segment-tally", "segment-length",
                                 "output-state"])
def test_a_byte_damaged_in_the_cache_that_still_reads_as_data_is_found(row: str, corpus: Path,
                                                                       tmp_path: Path) -> None:
    """One byte changed on disk can leave JSON of the right shape, and SQLite's own checks pass: each stored
    value's checksum finds it, so a rerun, and a full build from the cached facts, still give a cold build's
    files (before, a headline with another letter, or a traceback for another day)."""
    from kg.pipeline import DEFAULT_FORMATS

    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    with sqlite3.connect(cache / CACHE_FILE) as db:
        if row.startswith("facts"):
            path, blob = db.execute("SELECT path, facts FROM facts WHERE path NOT LIKE '%index.md' "
                                    "ORDER BY path LIMIT 1").fetchone()
            at = blob.index(b'"2015-09-') + 9 if row == "facts-day" else blob.index(b"[", 40) + 30
            db.execute("UPDATE facts SET facts = ? WHERE path = ?", (_flip_a_letter_or_digit(blob, at), path))
        elif row == "segment-length":
            db.execute("UPDATE segments SET length = length + 1 WHERE id = (SELECT MIN(id) FROM segments)")
            db.execute("UPDATE segments SET length = length - 1 WHERE id = (SELECT MAX(id) FROM segments)")
        elif row == "output-state":
            blob = db.execute("SELECT state FROM outputs WHERE format = 'turtle'").fetchone()[0]
            at = blob.index(b'"totals"')
            db.execute("UPDATE outputs SET state = ? WHERE format = 'turtle'", (_flip_a_letter_or_digit(blob, at + 9),))
        else:
            column = "body" if row == "segment-body" else "tally"  # in every row: the rerun reads a few
            for seg, blob in db.execute(f"SELECT id, {column} FROM segments").fetchall():
                db.execute(f"UPDATE segments SET {column} = ? WHERE id = ?",
                           (_flip_a_letter_or_digit(blob, len(blob) // 2), seg))
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    new_source(corpus, random.Random(11))
    cold = tmp_path / "cold"
    build_files(corpus, cold, DEFAULT_FORMATS, jobs=1)
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    for name in ("report.json", "graph.kg.json", "graph.ttl", "graph.html"):
        assert (out / name).read_bytes() == (cold / name).read_bytes(), name
    for name in ("report.json", "graph.kg.json", "graph.ttl", "graph.html"):
        (out / name).unlink()  # a build in full, every unchanged page's facts from the cache
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    for name in ("report.json", "graph.kg.json", "graph.ttl", "graph.html"):
        assert (out / name).read_bytes() == (cold / name).read_bytes(), name


@pytest.mark.parametrize("side", ["-wal", "-shm", "-journal", "lock"])
def test_a_folder_planted_where_sqlite_keeps_its_side_files_is_taken_away(side: str, corpus: Path,
                                                                         tmp_path: Path) -> None:
    """No unlink takes a folder away: every later build said 'built without the cache: disk I/O error'
    (at the lock file: 'cannot write CACHE: Is a directory', naming the folder)."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1)
    planted = cache / (LOCK_FILE if side == "lock" else CACHE_FILE + side)
    planted.unlink(missing_ok=True)
    (planted / "inside").mkdir(parents=True)
    new_source(corpus, random.Random(5))
    again = build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1)
    assert again.incremental and again.changed == 1 and not planted.is_dir()
    assert_same_as_cold(corpus, out, tmp_path)


@pytest.mark.parametrize("damage", ["path-not-utf8", "holder-renamed"])
def test_bytes_of_the_cache_that_sqlite_cannot_read_start_it_afresh(damage: str, corpus: Path,
                                                                     tmp_path: Path) -> None:
    """A byte of a page's path made not UTF-8 ("Could not decode to UTF-8 column 'path'"), or a letter of
    a subject in a page's holdings changed and that page edited (the part that met it made a fresh cache,
    and the rebuild went on with the closed one): every later build, or the next, ended in a traceback."""
    from kg.pipeline import DEFAULT_FORMATS

    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    page = sorted(p for p in event_pages(corpus))[0]
    name = page.relative_to(corpus).as_posix().encode()
    data = bytearray((cache / CACHE_FILE).read_bytes())
    if damage == "path-not-utf8":
        at = re.search(re.escape(name) + rb"[0-9a-f]{64}", data)
        assert at is not None
        data[at.start() + 5] = 0xFF
    else:
        at = data.find(name + b"events\t")
        assert at >= 0
        data[at + len(name) + 20] = ord("L")
        page.write_text(page.read_text(encoding="utf-8").replace(
            "### Source:\n\n", "### Source:\n\n1. [Wire](https://wire.example/1)\n", 1), encoding="utf-8")
    (cache / CACHE_FILE).write_bytes(bytes(data))
    cold = tmp_path / "cold"
    build_files(corpus, cold, DEFAULT_FORMATS, jobs=1)
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    for name_ in ("report.json", "graph.kg.json", "graph.ttl", "graph.html"):
        assert (out / name_).read_bytes() == (cold / name_).read_bytes(), name_
    new_source(corpus, random.Random(13))  # the cache made anew serves the next rerun
    again = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    assert again.incremental and again.changed == 1


def test_a_graph_of_no_subject_filled_by_a_rerun_gets_its_prefixes(tmp_path: Path) -> None:
    """A corpus whose pages give no event writes an empty Turtle file (pyoxigraph writes no prefix for no
    triple); a rerun that added one event patched it without the @prefix lines, a file no parser reads.
    Filled, emptied and filled again, each rerun a patch, each file a cold build's."""
    from kg.pipeline import build_files

    day = tmp_path / "c" / "news" / "2015" / "09" / "1"
    day.mkdir(parents=True)
    for n in range(10):  # pages that give no event: one page added is a tenth of them, patched
        (day / f"junk-{n}.md").write_text("nothing here\n", encoding="utf-8")
    page = next(p for p in sorted((SAMPLE / "news" / "2015" / "09" / "1").glob("*.md")) if p.name != "index.md")
    formats = ("turtle", "ntriples", "report")
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build_files(tmp_path / "c", out, formats, cache_dir=cache, jobs=1)
    assert (out / "graph.ttl").read_bytes() == b"" and not first.incremental
    for step in ("filled", "emptied", "filled again"):
        if step == "emptied":
            (day / page.name).unlink()
        else:
            shutil.copy(page, day / page.name)
        rerun = build_files(tmp_path / "c", out, formats, cache_dir=cache, jobs=1)
        cold = tmp_path / step
        build_files(tmp_path / "c", cold, formats, jobs=1)
        assert rerun.incremental, step
        for name in ("graph.ttl", "graph.nt", "report.json"):
            assert (out / name).read_bytes() == (cold / name).read_bytes(), (step, name)
    assert (out / "graph.ttl").read_bytes().startswith(b"@prefix ")


@pytest.mark.parametrize("table", ["segments", "outputs"])
def test_a_table_sqlite_finds_damaged_only_as_the_files_are_indexed_starts_the_cache_afresh(
        table: str, corpus: Path, tmp_path: Path) -> None:
    """A table of the files' index whose B-tree page SQLite finds malformed only when a full build indexes
    the files it wrote (a file of the last build moved away, so that nothing is patched): the build ended in
    a traceback (found by flipping random bytes of the cache)."""
    from kg.pipeline import DEFAULT_FORMATS

    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    with sqlite3.connect(cache / CACHE_FILE) as db:
        size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    db.close()
    data = bytearray((cache / CACHE_FILE).read_bytes())
    data[(root - 1) * size] = 0xFF  # not a B-tree page's kind
    (cache / CACHE_FILE).write_bytes(bytes(data))
    (out / "graph.ttl").unlink()
    cold = tmp_path / "cold"
    build_files(corpus, cold, DEFAULT_FORMATS, jobs=1)
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    for name in ("report.json", "graph.kg.json", "graph.ttl", "graph.html"):
        assert (out / name).read_bytes() == (cold / name).read_bytes(), name
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)  # (the fresh cache filled)
    new_source(corpus, random.Random(14))
    again = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    assert again.incremental and again.changed == 1


def test_an_update_interrupted_before_it_publishes_leaves_the_next_build_a_patch(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while a rerun writes the files made from the whole graph: the folder keeps the files published
    last, and the cache their index (before, closing it committed the spliced files' index, and the next
    build, finding the published files unlike it, wrote every file in full)."""
    import kg.incremental.patching
    from kg.pipeline import DEFAULT_FORMATS

    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    written = ("report.json", "graph.kg.json", "graph.ttl", "graph.html")
    before = {name: (out / name).read_bytes() for name in written}
    new_source(corpus, random.Random(12))

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(kg.incremental.patching, "export_build", interrupted)
        with pytest.raises(KeyboardInterrupt):
            build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    assert {name: (out / name).read_bytes() for name in written} == before
    again = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    assert again.incremental and again.changed == 1
    cold = tmp_path / "cold"
    build_files(corpus, cold, DEFAULT_FORMATS, jobs=1)
    for name in written:
        assert (out / name).read_bytes() == (cold / name).read_bytes(), name


@pytest.mark.parametrize("tamper", ["delete", "alter", "add", "text"])
def test_diagnostics_changed_inside_the_cache_are_made_again(tamper: str, corpus: Path, tmp_path: Path) -> None:
    """A page's kept diagnostics are taken only as the digest in its row vouches for them: rows deleted,
    changed or added inside the database make the rerun diagnose those pages again, as a cold build does."""
    from kg.pipeline import DEFAULT_FORMATS

    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1).report.diagnostics
    with sqlite3.connect(cache / CACHE_FILE) as db:
        diagnosed = [path for (path,) in db.execute("SELECT path FROM diags ORDER BY path LIMIT 3")]
        if tamper == "delete":
            db.executemany("DELETE FROM diags WHERE path = ?", [(path,) for path in diagnosed])
        elif tamper == "alter":  # another page's diagnostics in the place of the first's
            db.execute("UPDATE diags SET diagnostics = (SELECT diagnostics FROM diags WHERE path = ?) WHERE path = ?",
                       (diagnosed[1], diagnosed[0]))
        elif tamper == "text":  # a row that SQLite keeps as text, not the bytes written
            db.execute("UPDATE diags SET diagnostics = '[]' WHERE path = ?", (diagnosed[0],))
        else:  # diagnostics for a page that has none
            (clean,) = db.execute("SELECT path FROM pages WHERE path NOT IN (SELECT path FROM diags) "
                                  "ORDER BY path LIMIT 1").fetchone()
            db.execute("INSERT INTO diags SELECT ?, diagnostics FROM diags WHERE path = ?", (clean, diagnosed[0]))
    again = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    assert again.incremental and again.changed == (3 if tamper == "delete" else 1)  # those pages, parsed again
    cold = tmp_path / "cold"
    build_files(corpus, cold, DEFAULT_FORMATS, jobs=1)
    for name in ("report.json", "graph.kg.json", "graph.ttl"):
        assert (out / name).read_bytes() == (cold / name).read_bytes(), name
    assert build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1).changed == 0  # vouched for again


def test_cli_rebuild(corpus: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    command = [sys.executable, "-m", "kg.cli", "build", str(corpus), "-o", str(out), "--cache", str(cache),
               "--formats", "turtle,ntriples,report"]
    first = subprocess.run(command, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    new_source(corpus, random.Random(9))
    again = subprocess.run(command, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert "updated" in again.stderr
    assert_same_as_cold(corpus, out, tmp_path)


def test_without_a_kept_spare_the_file_is_replaced(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    """Where the replaced file cannot be linked into the cache (another file system), it is just replaced."""
    import kg.publish

    monkeypatch.setattr(kg.publish, "_keep_as_spare", lambda published, spare: None)
    out, cache = prime(corpus, tmp_path)
    for seed in (10, 11):
        new_source(corpus, random.Random(seed))
        assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
        assert_same_as_cold(corpus, out, tmp_path)
    assert not any(cache.glob("previous-*"))  # replaced, not kept


@pytest.mark.parametrize("link", ["symbolic", "hard"])
def test_a_link_planted_as_the_kept_file_is_never_written_through(corpus: Path, tmp_path: Path, link: str) -> None:
    """The file kept in the cache is written over by the next rerun: one replaced by a link to a file
    elsewhere (or that has a second name there) had that file overwritten with Turtle, and the
    published graph.ttl became a link to it."""
    out, cache = prime(corpus, tmp_path)
    new_source(corpus, random.Random(14))
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    victim = tmp_path / "victim.txt"
    victim.write_text("a user's file\n", encoding="utf-8")
    kept = cache / "previous-graph.ttl"
    kept.unlink()
    (os.symlink if link == "symbolic" else os.link)(victim, kept)
    new_source(corpus, random.Random(15))
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert victim.read_text(encoding="utf-8") == "a user's file\n"
    assert not (out / "graph.ttl").is_symlink() and (out / "graph.ttl").stat().st_nlink == 1
    assert_same_as_cold(corpus, out, tmp_path)


def test_the_swap_keeps_the_previous_file_in_the_cache(corpus: Path, tmp_path: Path) -> None:
    out, cache = prime(corpus, tmp_path)
    before = (out / "graph.ttl").read_bytes()
    new_source(corpus, random.Random(12))
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert (cache / "previous-graph.ttl").read_bytes() == before
    new_source(corpus, random.Random(13))  # written over the kept file this time
    assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)


def test_stat_check_split_over_two_processes_finds_the_same_files(corpus: Path, monkeypatch) -> None:
    from kg.incremental import filechanges, signature
    from kg.incremental.cache import stat_signature

    monkeypatch.setattr(signature, "RACY_NS", 0)  # (pages copied a moment ago: racy, each its own signature)
    files = [(p.relative_to(corpus).as_posix(), str(p)) for p in sorted(corpus.rglob("*.md"))]
    stored = {rel: stat_signature(real) for rel, real in files}
    for n, (rel, _) in enumerate(files):
        if n % 7 == 0:
            stored[rel] = "0:0:0:0"  # changed since the cache saw it
        elif n % 11 == 0:
            del stored[rel]  # not in the cache: not stat-checked
    files.append(("news/gone.md", str(corpus / "news/gone.md")))
    stored["news/gone.md"] = "1:1:1:1"
    alone = filechanges.stat_changes(files, stored)
    monkeypatch.setattr(filechanges, "PARALLEL_STAT_FILES", 2)
    split = filechanges.stat_changes(files, stored)
    assert split == alone and len(alone) == len(range(0, len(files) - 1, 7)) + 1
    assert alone[-1] == ("news/gone.md", str(corpus / "news/gone.md"), None)


def test_a_page_changed_too_lately_to_tell_is_hashed_again(tmp_path: Path, monkeypatch) -> None:
    """On a file system with one-second times, a page saved again within the second that the build read it,
    at the same size, kept its signature: every later rerun said "up to date" and kept the old page. A page
    changed within RACY_NS of its signature being taken is marked so, and that signature matches none."""
    from kg.incremental import signature

    page = tmp_path / "p.md"
    page.write_text("# A\n")
    first, again = signature.stat_signature(str(page)), signature.stat_signature(str(page))
    assert first is not None and again is not None and ":racy " in first and first != again
    later = signature.time.time_ns() + signature.RACY_NS
    monkeypatch.setattr(signature.time, "time_ns", lambda: later)
    settled = signature.stat_signature(str(page))
    assert settled == signature.stat_signature(str(page)) and settled is not None and "racy" not in settled
    assert settled == first.partition(":racy")[0]


def test_the_cache_and_both_versions_of_each_file_are_read_ahead(corpus: Path, tmp_path: Path,
                                                                  monkeypatch) -> None:
    from contextlib import contextmanager

    from kg.incremental import rebuild as incremental

    hinted = []

    @contextmanager
    def record(paths):
        hinted.append(sorted(paths))
        yield

    out, cache = prime(corpus, tmp_path)
    monkeypatch.setattr(incremental, "reading_ahead", record)
    for seed in (14, 15):
        new_source(corpus, random.Random(seed))
        assert build_files(corpus, out, FORMATS, cache_dir=cache, jobs=1).incremental
    assert_same_as_cold(corpus, out, tmp_path)
    files = [out / "graph.ttl", out / "graph.nt", cache / "previous-graph.ttl", cache / "previous-graph.nt"]
    # While the rebuild reads the cache, then again (what left the OS page cache) while it splices the files.
    assert hinted[-2:] == [sorted(str(p) for p in (cache / CACHE_FILE, *files)), sorted(map(str, files))]


@pytest.mark.skipif(sys.platform != "linux", reason="the read-ahead process runs on Linux")
def test_read_ahead_runs_in_another_process_that_is_gone_after(tmp_path: Path, monkeypatch) -> None:
    import os
    import time

    from kg.incremental import readahead

    big = tmp_path / "big"
    big.write_bytes(b"x" * 4096)
    seen = tmp_path / "seen"

    def record(paths, **_) -> None:
        (tmp_path / "part").write_text(f"{os.getpid()} {' '.join(paths)}")
        os.replace(tmp_path / "part", seen)

    monkeypatch.setattr(readahead, "READ_AHEAD_BYTES", 4096)
    monkeypatch.setattr(readahead, "prefetch", record)
    with readahead.reading_ahead([str(big)]) as helper:
        deadline = time.monotonic() + 30
        while not seen.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    pid, path = seen.read_text().split()
    assert path == str(big) and int(pid) == helper != os.getpid()
    with pytest.raises(ChildProcessError):
        os.waitpid(helper, 0)  # already reaped


def test_small_files_are_not_worth_a_helper(tmp_path: Path, monkeypatch) -> None:
    from kg.incremental import readahead

    small = tmp_path / "small"
    small.write_bytes(b"x")
    with readahead.reading_ahead([str(small), str(tmp_path / "missing")]) as helper:
        assert helper is None


# (a window of 5 bytes holds no whole line either; one byte at a time took half a minute)
@pytest.mark.parametrize("window", [5, 64, 4096])
def test_a_written_file_is_indexed_a_window_at_a_time(window: int, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading in windows finds the same subject blocks as reading the file whole, at any window."""
    import pyoxigraph as ox

    from kg.incremental import outindex

    build_files(SAMPLE, tmp_path, ("turtle", "ntriples"), cache=False)
    monkeypatch.setattr(outindex, "_WINDOW", window)
    for name, fmt in (("graph.ttl", ox.RdfFormat.TURTLE), ("graph.nt", ox.RdfFormat.N_TRIPLES)):
        data = (tmp_path / name).read_bytes()
        start = outindex._split_header(data[:1 << 16], fmt)
        with open(tmp_path / name, "rb") as fh:
            fh.seek(start)
            assert list(outindex._file_block_ends(fh, start, fmt)) == outindex._block_ends(data, start, fmt)


WHOLE = ("graph.kg.json", "graph.html")


def _default_rerun(corpus: Path, out: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Rerun with the default formats; return whether it patched.

    A patching rerun must take the whole graph from the last snapshot, patched, never
    from reducing every page again.
    """
    import kg.pipeline
    from kg.pipeline import DEFAULT_FORMATS

    reduced = []
    full = kg.pipeline.build_walked

    def counted(*args: Any, **kwargs: Any) -> Any:
        reduced.append(1)
        return full(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(kg.pipeline, "build_walked", counted)
        result = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    assert not (result.incremental and reduced), "the whole graph was reduced again instead of patched"
    return result.incremental


def _assert_whole_same_as_cold(corpus: Path, out: Path, tmp_path: Path) -> None:
    from kg.pipeline import DEFAULT_FORMATS

    cold = tmp_path / "cold-default"
    shutil.rmtree(cold, ignore_errors=True)
    build_files(corpus, cold, DEFAULT_FORMATS, jobs=1)
    for name in ("graph.ttl", "report.json", *WHOLE):
        assert (out / name).read_bytes() == (cold / name).read_bytes(), name


@pytest.mark.parametrize("edit", sorted(set(EDITS) - {"duplicate_page"}))
def test_each_edit_patches_the_whole_graph_exactly(edit: str, corpus: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The explorer and snapshot of a rerun come from the last snapshot, patched: equal to a cold build's."""
    from kg.pipeline import DEFAULT_FORMATS

    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    rng = random.Random(edit)
    if edit in ("fill_outside", "empty_outside", "retitle_outside"):
        EDITS["link_outside"](corpus, rng)
        assert _default_rerun(corpus, out, cache, monkeypatch)
    EDITS[edit](corpus, rng)
    assert _default_rerun(corpus, out, cache, monkeypatch)
    _assert_whole_same_as_cold(corpus, out, tmp_path)


@pytest.mark.parametrize("seed", range(3))
def test_random_edit_sequences_patch_the_whole_graph(seed: int, corpus: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.pipeline import DEFAULT_FORMATS

    rng = random.Random(100 + seed)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    for _ in range(3):
        for name in rng.sample(sorted(set(EDITS) - {"duplicate_page"}), rng.randint(1, 3)):
            EDITS[name](corpus, rng)
        _default_rerun(corpus, out, cache, monkeypatch)
        _assert_whole_same_as_cold(corpus, out, tmp_path)


@pytest.mark.skipif(sys.platform != "linux", reason="files are written side by side on Linux")
@pytest.mark.parametrize("edit", ["add_day", "new_source", "retarget_related", "delete_page"])
def test_a_rerun_writes_the_explorer_while_it_splices(edit: str, corpus: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """With two jobs the explorer is written by a worker from the patched graph while this process
    splices Turtle (which settles the counts that the snapshot and report hold): a cold build's files."""
    from contextlib import contextmanager

    import kg.incremental.patching
    from kg.export import together
    from kg.pipeline import DEFAULT_FORMATS

    monkeypatch.setattr(together, "MIN_EVENTS_SIDE_BY_SIDE", 0)  # (the corpus is small)
    taken = []

    @contextmanager
    def noted(*args: Any, **kwargs: Any) -> Any:
        with together.exporting_ahead(*args, **kwargs) as names:
            taken.append(names)
            yield names

    monkeypatch.setattr(kg.incremental.patching, "exporting_ahead", noted)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=2)
    rng = random.Random(edit)
    written = 0  # reruns that wrote the explorer (an edit may leave the pages as they were)
    for _ in range(2):
        EDITS[edit](corpus, rng)
        result = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=2)
        assert result.incremental
        written += result.graph is not None
        _assert_whole_same_as_cold(corpus, out, tmp_path)
    assert written and taken == [("html",)] * written


@pytest.mark.skipif(sys.platform != "linux", reason="files are written side by side on Linux")
def test_a_damaged_index_row_met_while_the_explorer_is_written_builds_in_full(corpus: Path, tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The splice meets the damaged row after the explorer's worker started: it is stopped, the cache
    rolled back, and a full build writes a cold build's files; the next rerun patches again."""
    from kg.export import together
    from kg.pipeline import DEFAULT_FORMATS

    monkeypatch.setattr(together, "MIN_EVENTS_SIDE_BY_SIDE", 0)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=2)
    with sqlite3.connect(cache / CACHE_FILE) as db:
        db.execute("UPDATE segments SET body = '\"x\"' WHERE format = 'turtle'")
    new_source(corpus, random.Random(21))
    before = _children()  # (multiprocessing's own helpers, started by earlier builds, live on)
    assert not build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=2).incremental
    assert _children() <= before  # the explorer's worker was stopped, not left behind
    _assert_whole_same_as_cold(corpus, out, tmp_path)
    new_source(corpus, random.Random(22))
    assert build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=2).incremental
    _assert_whole_same_as_cold(corpus, out, tmp_path)


def _children() -> set[int]:
    import os

    return {int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == os.getpid()}


def _parent(proc: Path) -> int | None:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def test_without_a_published_snapshot_the_cache_keeps_the_graph(corpus: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """With the explorer but no snapshot among the formats, the graph is kept in the cache folder
    and patched; a snapshot published later takes its place."""
    import kg.pipeline
    from kg.incremental.wholegraph import GRAPH_FILE

    formats = ("turtle", "report", "html")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, formats, cache_dir=cache, jobs=1)
    assert (cache / GRAPH_FILE).is_file() and not (out / "graph.kg.json").exists()
    full = kg.pipeline.build_walked
    for seed in range(2):
        new_source(corpus, random.Random(seed))
        with monkeypatch.context() as patch:
            patch.setattr(kg.pipeline, "build_walked", lambda *a, **k: pytest.fail("reduced again"))
            assert build_files(corpus, out, formats, cache_dir=cache, jobs=1).incremental
    cold = tmp_path / "cold"
    build_files(corpus, cold, formats, jobs=1)
    assert (out / "graph.html").read_bytes() == (cold / "graph.html").read_bytes()
    (cache / GRAPH_FILE).write_bytes(b"{}")  # not the file kept: reduced instead, never read
    new_source(corpus, random.Random(5))
    assert build_files(corpus, out, formats, cache_dir=cache, jobs=1).incremental
    assert build_files(corpus, out, (*formats, "snapshot"), cache_dir=cache, jobs=1).graph is not None
    assert not (cache / GRAPH_FILE).exists()  # the published snapshot is the graph now
    assert kg.pipeline.build_walked is full


def test_a_graph_that_cannot_be_kept_leaves_the_build_whole(corpus: Path, tmp_path: Path) -> None:
    """Keeping the graph in the cache is an accelerator: if it cannot be written, the build
    still succeeds and the next rerun reduces every page instead."""
    from kg.incremental.wholegraph import GRAPH_FILE

    formats = ("turtle", "report", "html")
    out, cache = tmp_path / "out", tmp_path / "cache"
    (cache / (GRAPH_FILE + ".part")).mkdir(parents=True)  # where the snapshot would be written
    first = build_files(corpus, out, formats, cache_dir=cache, jobs=1)
    assert first.graph is not None and not (cache / GRAPH_FILE).exists()
    new_source(corpus, random.Random(3))
    again = build_files(corpus, out, formats, cache_dir=cache, jobs=1)
    assert again.incremental and again.graph is not None
    cold = tmp_path / "cold"
    build_files(corpus, cold, formats, jobs=1)
    assert (out / "graph.html").read_bytes() == (cold / "graph.html").read_bytes()


def test_a_page_grown_past_the_size_limit_leaves_the_graph(corpus: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A page that can no longer be read is kept by no build: its event, sources and names go; its
    bytes restored, it comes back.  Until then a rerun does not read it again: every rerun said
    "updated (1 page changed)" and wrote every file again (its row, with its diagnostic, is kept under
    the stat signature of the file too large to read)."""
    from kg.export.snapshot import read_snapshot
    from kg.pipeline import DEFAULT_FORMATS
    from kg.read.files import MAX_PAGE_BYTES

    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    page = event_pages(corpus)[5]
    text = page.read_bytes()
    page.write_bytes(text + b" " * MAX_PAGE_BYTES)
    assert _default_rerun(corpus, out, cache, monkeypatch)
    rel = page.relative_to(corpus).as_posix()
    assert rel not in {e.page for e in read_snapshot(out / "graph.kg.json").events_in_corpus}
    _assert_whole_same_as_cold(corpus, out, tmp_path)
    graphs = ("graph.ttl", "graph.html", "graph.kg.json")  # (report.json is each build's own)
    written = {name: (out / name).stat().st_mtime_ns for name in graphs}
    again = build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    assert again.changed == 0 and [d.code for d in again.report.diagnostics].count("file-too-large") == 1
    assert {name: (out / name).stat().st_mtime_ns for name in graphs} == written
    page.write_bytes(text + b" " * (MAX_PAGE_BYTES + 100))  # (grown further: its diagnostic says the new size)
    assert _default_rerun(corpus, out, cache, monkeypatch)
    _assert_whole_same_as_cold(corpus, out, tmp_path)
    page.write_bytes(text)
    assert _default_rerun(corpus, out, cache, monkeypatch)
    _assert_whole_same_as_cold(corpus, out, tmp_path)


def test_a_page_whose_name_holds_a_space_is_patched(corpus: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The pairs of events its Related lines make are keyed without ambiguity."""
    import re

    from kg.pipeline import DEFAULT_FORMATS

    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    model = next(p for p in event_pages(corpus) if "_Context:" in p.read_text(encoding="utf-8"))
    spaced = model.with_name("with a space.md")
    spaced.write_text(re.sub(r"^# ", "# Spaced: ", model.read_text(encoding="utf-8"), count=1, flags=re.M),
                      encoding="utf-8")
    assert _default_rerun(corpus, out, cache, monkeypatch)
    _assert_whole_same_as_cold(corpus, out, tmp_path)
    spaced.write_text(spaced.read_text(encoding="utf-8").replace("_Context: ", "_Context: Atlantis, ", 1),
                      encoding="utf-8")
    assert _default_rerun(corpus, out, cache, monkeypatch)
    _assert_whole_same_as_cold(corpus, out, tmp_path)


def test_a_rerun_that_declines_after_reading_the_graph_ahead_builds_in_full(corpus: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Once pages are found changed, the last graph is read in a thread while the rebuild works;
    a rebuild that then declines (a new duplicate) leaves it to a full build, right all the same."""
    import kg.incremental.patching as patching
    from kg.pipeline import DEFAULT_FORMATS

    out, cache = tmp_path / "out", tmp_path / "cache"
    build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1)
    threaded: list[bool] = []
    real = patching.read_ahead

    def spy(*args: Any, thread: bool = False) -> Any:
        threaded.append(thread)
        return real(*args, thread=thread)

    monkeypatch.setattr(patching, "read_ahead", spy)
    new_source(corpus, random.Random(3))
    assert _default_rerun(corpus, out, cache, monkeypatch) and threaded == [True]
    _assert_whole_same_as_cold(corpus, out, tmp_path)
    duplicate_page(corpus, random.Random(4))
    assert not build_files(corpus, out, DEFAULT_FORMATS, cache_dir=cache, jobs=1).incremental
    assert threaded == [True, True]  # read ahead, then not used
    _assert_whole_same_as_cold(corpus, out, tmp_path)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 3)), max_size=30),
       st.lists(st.tuples(st.integers(0, 8), st.integers(0, 3)), max_size=12),
       st.sets(st.integers(0, 8)))
def test_the_last_graphs_records_are_replaced_in_the_reduces_order(old, new, touched):
    """Records (identity, rank) sorted: the touched identities' runs give way to the new records."""
    from kg.incremental.wholegraph import _replaced

    old = tuple(sorted(old))
    expected = tuple(sorted([r for r in old if r[0] not in touched] + [r for r in new if r[0] in touched]))
    assert _replaced(old, tuple(new), touched, lambda r: r[0], lambda r: r) == expected
