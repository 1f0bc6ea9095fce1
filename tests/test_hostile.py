"""The hostile corpus: never crash, say precisely what was wrong, keep outputs inert.

tests/data/hostile/ holds pages written to break a reader (see EXPECTED.json
for what each one must report).  Files that cannot live in git (symbolic links
out of the corpus, a 5 MB page, a file name with control characters) are made
at test time in a copy of the corpus.
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import rdflib

import kg
from kg.accounting import account

HOSTILE = Path(__file__).parent / "data" / "hostile"
GOOD_DAY = "news/2015/09/1/"
EXPECTED = json.loads((HOSTILE / "EXPECTED.json").read_text(encoding="utf-8"))["diagnostics"]
HUGE = "news/2015/09/10/huge-page.md"


def _copy(tmp_path: Path, *, only_good: bool = False) -> Path:
    root = tmp_path / ("good" if only_good else "hostile")
    shutil.copytree(HOSTILE, root, symlinks=True)
    (root / "EXPECTED.json").unlink()
    if only_good:
        for page in list((root / "news").rglob("*")):
            rel = page.relative_to(root).as_posix()
            if page.is_file() and not rel.startswith(GOOD_DAY):
                page.unlink()
    return root


def _add_test_time_files(root: Path, outside: Path) -> dict[str, set[tuple[int, str]]]:
    """Symlinks out of the corpus, a huge page, a hostile file name; what they must report."""
    outside.mkdir(exist_ok=True)
    (outside / "secret.md").write_text("# Secret outside the corpus. \n", encoding="utf-8")
    links = root / "news" / "2015" / "09" / "10"
    links.mkdir(parents=True)
    (links / "escape.md").symlink_to(outside / "secret.md")
    (links / "escape-dir").symlink_to(outside, target_is_directory=True)
    (links / "inside.md").symlink_to(root / "news" / "2015" / "09" / "1" / "good-one.md")
    (links / "loop").symlink_to(links, target_is_directory=True)
    related = "".join(f"{i}. [Huge related {i}. ](/news/2015/08/1/huge-{i}.md) _Context: Huge_\n"
                      for i in range(1, 501))
    head = ("### [2015-09-10](/news/2015/09/10/index.md)\n\n# A five megabyte page. \n\n### Source:\n\n"
            "1. [AP](http://apnews.com/huge)\n\n### Related:\n\n")
    filler = "\n" + ("lorem ipsum dolor sit amet " * 3 + "\n") * 65_000
    (root / HUGE).write_text(head + related + filler, encoding="utf-8")
    weird = links / "esc\x1b[31mape\nnewline.md"
    weird.write_text("# Control characters in the file name. \n", encoding="utf-8")
    from kg.parse.blocks import MAX_PARSED_CHARS

    text = (root / HUGE).read_text(encoding="utf-8")
    first_cut = text.count("\n", 0, text.rfind("\n", 0, MAX_PARSED_CHARS) + 1) + 1
    first = head.count("\n") + 1
    assert first_cut > first + 500  # every item is read
    return {
        "news/2015/09/10/escape.md": {(0, "symlink-skipped")},
        "news/2015/09/10/escape-dir": {(0, "symlink-skipped")},
        HUGE: {(0, "unlisted-event"), (first_cut, "page-truncated"), (first + 501, "stray-content")}
        | {(line, "unresolved-link") for line in range(first, first + 500)},
        "news/2015/09/10/esc\x1b[31mape\nnewline.md": {(0, "unexpected-path")},
        # a page of the corpus, read at its own path: not a second page of this folder's day
        "news/2015/09/10/inside.md": {(0, "symlink-skipped")},
    }


def _found(graph) -> dict[str, collections.Counter]:
    found: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for d in graph.report.diagnostics:
        found[d.path][(d.line, d.code)] += 1
    return found


def test_the_corpus_has_every_kind_of_hostile_file():
    files = [p for p in (HOSTILE / "news").rglob("*") if p.is_file()]
    assert len(files) >= 25
    raw = b"".join(p.read_bytes() for p in files)
    for marker in (b"\xef\xbb\xbf", b"\xff\xfe#\x00", b"\r\n", b"\x00", b"javascript:", b"%2e%2e", b"file:",
                   b"\xe2\x80\xae"):
        assert marker in raw, marker


def test_diagnostics_are_exactly_the_expected_ones():
    graph = kg.build(HOSTILE)
    found = _found(graph)
    expected = {path: collections.Counter((line, code) for line, code in items)
                for path, items in EXPECTED.items()}
    assert dict(found) == expected


def test_a_utf16_page_is_read_as_its_byte_order_mark_says():
    """An editor's UTF-16 (every other byte NUL) is text: its headline, source and context come through."""
    graph = kg.build(HOSTILE)
    (event,) = [e for e in graph.event_records.values() if "UTF-16" in e.headline]
    assert event.headline == "A page saved as UTF-16 by a Windows editor: Zürich."
    assert list(event.sources) == ["http://www.letemps.ch/utf16"]
    assert set(graph.event_contexts[event.key]) >= {"Chile", "Zürich"}


def test_a_latin1_page_keeps_its_letters_and_a_damaged_utf8_page_is_replaced():
    """Latin-1 is read as Windows-1252, its superset; a page that holds a whole UTF-8 sequence is UTF-8."""
    graph = kg.build(HOSTILE)
    headlines = {e.page: e.headline for e in graph.event_records.values()}
    assert headlines["news/2015/09/6/latin1.md"] == "Café in Latin-1, naïve."
    assert headlines["news/2015/09/6/mixed-invalid-utf8.md"] == ("Truncated \ufffd sequence and stray \ufffd bytes "
                                                                 "in a café.")


def test_a_url_s_host_in_capitals_is_the_same_article():
    """HTTP://WWW.AlJazeera.com/news/... is the article another page cites as http://www.aljazeera.com/news/...:
    scheme and host do not tell articles apart, the path does."""
    graph = kg.build(HOSTILE)
    url = "http://www.aljazeera.com/news/2015/09/rescuers.html"
    assert [u for u in graph.articles if u.lower() == url] == [url]
    citing = sorted(e.key.slug for e in graph.event_records.values() if url in e.sources)
    assert citing == ["good-two", "odd-urls"]


def test_well_formed_pages_have_no_diagnostics():
    graph = kg.build(HOSTILE)
    assert not [d for d in graph.report.diagnostics if d.path.startswith(GOOD_DAY)]


def test_every_diagnostic_names_an_existing_file_and_line(tmp_path):
    root = _copy(tmp_path)
    _add_test_time_files(root, tmp_path / "outside")
    graph = kg.build(root)
    for d in graph.report.diagnostics:
        path = root / d.path
        assert path.is_symlink() or path.exists(), d
        if d.line:
            lines = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
            assert 1 <= d.line <= lines, d
        assert "\n" not in str(d) and "\x1b" not in str(d)


def test_test_time_files_report_once_each(tmp_path):
    root = _copy(tmp_path)
    extra = _add_test_time_files(root, tmp_path / "outside")
    graph = kg.build(root)
    found = _found(graph)
    for path, wanted in extra.items():
        assert set(found[path]) == wanted, path
        assert max(found[path].values()) == 1
    assert not any("secret" in e.headline.lower() for e in graph.event_records.values())


def test_well_formed_pages_come_out_as_they_do_alone(tmp_path):
    alone = kg.build(_copy(tmp_path, only_good=True))
    beside = kg.build(HOSTILE)
    keys = [k for k, e in alone.event_records.items()]
    assert len(keys) == 3 and not alone.report.diagnostics
    for key in keys:
        assert beside.event_records[key] == alone.event_records[key]
        assert beside.event_contexts.get(key) == alone.event_contexts.get(key)
        for url in alone.event_records[key].sources:
            assert beside.articles[url] == alone.articles[url]
    assert [r for r in beside.related if r.source in keys] == list(alone.related)
    date = keys[0].date
    assert beside.days[date] == alone.days[date]
    subjects = {f"<{kg.DEFAULT_BASE_IRI}event/{k.date.isoformat()}/{k.slug}>" for k in keys}

    def lines(graph, path):
        kg.write_ntriples(graph, path)
        return {line for line in path.read_text(encoding="utf-8").splitlines()
                if line.split(" ", 1)[0] in subjects}

    assert lines(beside, tmp_path / "b.nt") == lines(alone, tmp_path / "a.nt")


_BAD_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')


def _check_rdf_file(path: Path, fmt: str) -> int:
    data = path.read_bytes()
    text = data.decode("utf-8")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text), "raw control character in output"
    graph = rdflib.Graph().parse(data=data, format=fmt)
    ox_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
    triples = list(ox.parse(data, ox_format))
    assert len(triples) == len(graph)
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                assert not _BAD_IN_IRI.search(term.value), term.value[:200]
                assert len(term.value) < 600, term.value[:100]
    rapper = subprocess.run(["rapper", "-i", fmt, "-c", str(path)],
                            capture_output=True, text=True, timeout=120)
    assert rapper.returncode == 0, rapper.stderr[-2000:]
    assert f"returned {len(graph)} triples" in rapper.stderr
    for obj in graph.objects():
        if isinstance(obj, rdflib.Literal):
            assert not re.search(r"[\x00-\x1f\x7f]", str(obj)), repr(obj)[:100]
    return len(graph)


def _kg(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd, env={**os.environ, "PYTHONPATH": str(Path(kg.__file__).parent.parent)})


def test_a_file_name_s_colons_make_no_diagnostic_line_of_their_own(tmp_path):
    """A page named "a:1: error: x.md" printed "news/.../a:1: error: x.md:0: warning: ...", a line that
    reading path:line: level: (grep ": error:", an editor's list of errors) took for an error of "a"."""
    day = tmp_path / "c" / "news" / "2015" / "09" / "10"
    day.mkdir(parents=True)
    (day / "a:1: error: x.md").write_text("# Colons in the file name. \n", encoding="utf-8")
    graph = kg.build(tmp_path / "c")
    said = [str(d) for d in graph.report.diagnostics]
    assert {d.path for d in graph.report.diagnostics} == {"news/2015/09/10/a:1: error: x.md"}
    assert said and all(re.match(r"news/2015/09/10/a\\x3a1\\x3a error\\x3a x\.md:\d+: (info|warning): ", line)
                        for line in said), said
    # (a name that holds the escape itself is told apart: its backslash is escaped too)
    (day / "b\\x3a.md").write_text("# A backslash in the file name. \n", encoding="utf-8")
    slashed = [str(d) for d in kg.build(tmp_path / "c").report.diagnostics if d.path.endswith("b\\x3a.md")]
    assert slashed and all(line.startswith("news/2015/09/10/b\\x5cx3a.md:") for line in slashed), slashed
    (day / "b\\x3a.md").unlink()
    done = _kg("build", str(tmp_path / "c"), "-o", str(tmp_path / "out"), "-f", "report", "-v", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert [line for line in done.stderr.splitlines() if re.match(r"[^:]*:\d+: error:", line)] == []
    assert sum(line.startswith("news/2015/09/10/a\\x3a1") for line in done.stderr.splitlines()) == len(said)


def test_cli_build_on_the_hostile_corpus(tmp_path):
    root = _copy(tmp_path)
    _add_test_time_files(root, tmp_path / "outside")
    out = tmp_path / "out"
    done = _kg("build", str(root), "-o", str(out), "-f", "turtle,ntriples,report", cwd=tmp_path)
    assert done.returncode == 1, done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert "\x1b" not in done.stderr
    turtle = _check_rdf_file(out / "graph.ttl", "turtle")
    ntriples = _check_rdf_file(out / "graph.nt", "ntriples")
    assert turtle == ntriples > 1000
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["diagnostic_levels"]["error"] > 0


def test_cli_exit_status(tmp_path):
    good = _copy(tmp_path, only_good=True)
    assert _kg("build", str(good), "-o", str(tmp_path / "o1"), cwd=tmp_path).returncode == 0
    assert _kg("build", str(good), "-o", str(tmp_path / "o1"), "--strict", cwd=tmp_path).returncode == 0
    # Warnings only: 0, and 1 with --strict.
    (good / "news/2015/09/1/index.md").write_text("# 2015-09-2\n", encoding="utf-8")
    warned = _kg("build", str(good), "-o", str(tmp_path / "o2"), cwd=tmp_path)
    assert warned.returncode == 0 and "day-mismatch" in warned.stderr
    assert _kg("build", str(good), "-o", str(tmp_path / "o2"), "--strict", cwd=tmp_path).returncode == 1
    missing = _kg("build", str(tmp_path / "nowhere"), "-o", str(tmp_path / "o3"), cwd=tmp_path)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert _kg("build", cwd=tmp_path).returncode == 2


def test_accounting_holds_on_the_hostile_corpus_with_test_time_files(tmp_path):
    root = _copy(tmp_path)
    _add_test_time_files(root, tmp_path / "outside")
    result = account(root, kg.build(root))
    assert result.ok, result.unexplained[:5]
    assert result.counts()["related"]["in_graph"] >= 1100


def test_pages_that_differ_in_their_related_contexts_are_two_events():
    """b.md differs from a.md only in its Related line's context: it used to be merged into a.md, and its
    context lost. c.md is b.md with the link written ./other.md: the same page, so it is merged into b.md."""
    graph = kg.build(Path(__file__).parent / "data" / "duplicates")
    about = {key.slug: set(names) for key, names in graph.event_contexts.items()}
    assert about == {"a": {"Switzerland"}, "b": {"Terrorism"}, "other": {"Switzerland", "Terrorism"}}
    merged = [(d.path.rsplit("/", 1)[1], d.message) for d in graph.report.diagnostics if d.code == "duplicate-page"]
    assert merged == [("c.md", "same headline, day and items as news/2015/09/1/b.md; merged into it")]


def test_pages_that_differ_in_their_cover_image_are_two_events():
    """quake-hits-x-2.md is quake-hits-x.md with another Cover Image: merged into it, its image was lost, and
    the diagnostic that said it was the same page counted the image as explained."""
    graph = kg.build(Path(__file__).parent / "data" / "duplicate-images")
    assert sorted(key.slug for key in graph.event_records) == ["quake-hits-x", "quake-hits-x-2"]
    assert sorted(graph.images) == ["http://img.example.org/a.jpg", "http://img.example.org/b.jpg"]
    assert not [d for d in graph.report.diagnostics if d.code == "duplicate-page"]


def test_names_spelt_as_other_names_cut_short_are_nodes_of_their_own(tmp_path):
    """A page named as another's cut slug (``aaa…--<digest>``), and a context named as another's cut name, were
    minted the IRI of the other: one event with two headlines in Turtle and networkx, which kg.load refused."""
    graph = kg.build(Path(__file__).parent / "data" / "cut-names")
    counts = kg.counts(graph)
    assert (counts["events"], counts["contexts"]) == (2, 2)
    kinds = [kind for _, kind in kg.to_networkx(graph).nodes(data="type")]
    assert (kinds.count("event"), kinds.count("context")) == (2, 2)
    kg.write_turtle(graph, tmp_path / "graph.ttl")
    back = kg.load(tmp_path / "graph.ttl")
    assert sorted(e.headline for e in back.event_records.values()) == ["Event A", "Event B"]
    assert sorted(back.contexts) == sorted(graph.contexts)


def test_related_contexts_in_another_order_or_a_padded_day_are_the_same_page():
    """A page is the same event whatever the order of a Related line's contexts (an event's contexts are a
    set), and whatever spelling of the day its link writes (/news/2015/09/02/ is /news/2015/09/2/)."""
    import datetime as dt

    from kg.facts.mapping import page_content
    from kg.parse.records import EventPage, PageKey, RelatedItem

    def page(target: str, contexts: tuple[str, ...]) -> EventPage:
        return EventPage("news/2015/09/1/a.md", PageKey(dt.date(2015, 9, 1), "a"), "A", 1, None,
                         related=(RelatedItem("B", target, contexts, 1, 9),))

    first = page_content(page("/news/2015/09/2/b.md", ("Iran", "Israel")))
    assert page_content(page("/news/2015/09/02/b.md", ("Israel", "Iran"))) == first
    assert page_content(page("/news/2015/09/2/b.md", ("Iran",))) != first
