"""What the command line (and the library) says: one line for a wrong argument, exit 2, the right name."""

from __future__ import annotations

import functools
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys

import pytest

import kg
import kg.export
from kg.errors import ArgumentError, OutputError, UnknownFormatError
from tests.conftest import DATA, REPO, SAMPLE
from tests.test_cli import kg_cli

HOSTILE = DATA / "hostile"


@pytest.mark.parametrize(("args", "said"), [
    (["buidl", "x"], "did you mean 'build'?"),
    (["query", "x", "ASK {}", "--format", "jsn"], "did you mean 'json' or 'jsonld'?"),
    (["query", "x", "ASK {}", "--format", "turtel"], "did you mean 'turtle'?"),
    (["build", "x", "-o", "y", "--jobs", "0"], "argument -j/--jobs: must be 1 or more, not 0"),
    (["build", "x", "-o", "y", "--jobs", "two"], "--jobs: not a whole number: 'two'"),
    (["build", "x", "-o", "y", "--max-diagnostics", "-1"], "--max-diagnostics: must be 0 or more"),
    (["stats", "x", "--top", "-1"], "--top: must be 0 or more, not -1"),
    (["html", "x", "-o", "y.html", "--since", "2015-13-01"],
     "--since: no such day: '2015-13-01' (a month is 1 to 12)"),
    (["html", "x", "-o", "y.html", "--since", "2026-06-31"],
     "--since: no such day: '2026-06-31' (June 2026 has 30 days)"),
    (["html", "x", "-o", "y.html", "--until", "2015-13"],
     "--until: not a day, week, month, quarter or year (YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY-Qn or YYYY): '2015-13'"),
    (["html", "x", "-o", "y.html", "--max-nodes", "0"], "--max-nodes: must be 1 to"),
    (["html", "x", "-o", "y.html", "--depth", "3"], "--depth: must be 0 to 2, not 3"),
    # A misspelt entity kind, said before the corpus is looked for.
    (["html", "x", "-o", "y.html", "--kinds", "contexts"],
     "unknown entity kind(s) ['contexts'] (did you mean 'context'?); known: context, publisher"),
    (["html", "x", "-o", "y.html", "--entities", "context,Publishers"], "(did you mean 'publisher'?)"),
    (["serve", "x", "--port", "99999"], "--port: must be 0 to 65535, not 99999"),
    # (an unset $HOST would listen on every interface, saying "localhost")
    (["serve", "x", "--host", ""], "--host: an empty address (an unset variable?) would listen on every interface"),
    (["query", "x", "ASK {}", "--timeout", "-2"], "--timeout: must be 0 or more seconds"),
    (["synth", "x", "--events", "-5"], "--events: must be 1 or more, not -5"),
    (["synth", "x", "--events", "5", "--seed", "x"], "--seed: not a whole number: 'x'"),
    (["build"], "the following arguments are required: corpus, -o/--output"),
    (["build", "x", "-o", "y", "-q", "-v"], "argument -v/--verbose: not allowed with argument -q/--quiet"),
    # An unknown option is the command's, whose help is named, with its nearest option.
    (["query", "x", "ASK {}", "--fromat", "json"],
     "unrecognized arguments: --fromat json; did you mean --format? (see kg query --help)"),
    (["build", "x", "-o", "y", "--formtas=turtle"],
     "unrecognized arguments: --formtas=turtle; did you mean --formats? (see kg build --help)"),
    (["stats", "x", "extra"], "unrecognized arguments: extra (see kg stats --help)"),
    # Compared without the dashes every option has: an unrelated word is offered nothing.
    (["build", "x", "-o", "y", "--bogus"], "unrecognized arguments: --bogus (see kg build --help)"),
    # What an unset $OUT gives: it would have written into the current folder.
    (["build", "x", "-o", ""], "argument -o/--output: an empty path (an unset variable?)"),
    (["build", "x", "-o", "y", "--cache", ""], "argument --cache: an empty path (an unset variable?)"),
    (["html", "x", "-o", ""], "argument -o/--output: an empty path (an unset variable?)"),
    (["synth", "", "--events", "5"], "argument output: an empty path (an unset variable?)"),
    # The Dask engine's options without it: said in the command line's words, not engine='dask'.
    (["build", "x", "-o", "y", "--workers", "2"], "workers= (--workers): for engine='dask' (--engine dask)"),
    (["build", "x", "-o", "y", "--scheduler", "tcp://h:1", "--workers", "2"],
     "scheduler= (--scheduler) and workers= (--workers): for engine='dask' (--engine dask)"),
])
def test_a_bad_argument_is_one_line_and_exit_2(args, said):
    proc = kg_cli(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("kg: error: "), proc.stderr
    assert said in proc.stderr


def test_no_format_is_a_usage_error_and_writes_nothing(tmp_path):
    proc = kg_cli("build", SAMPLE, "-o", tmp_path / "out", "--formats", " , ")
    assert proc.returncode == 2 and proc.stderr.startswith("kg: error: no format to write")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("formats", ["turtle,,report", "turtle,", ",turtle", "turtle, ,report"])
def test_an_empty_format_name_is_a_usage_error_and_writes_nothing(tmp_path, formats):
    """A name left out between two commas is said, not skipped: the build would lack a file asked for."""
    proc = kg_cli("build", SAMPLE, "-o", tmp_path / "out", "--formats", formats)
    assert proc.returncode == 2 and proc.stdout == "" and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith(f"kg: error: an empty name in formats {formats!r}"), proc.stderr
    assert not (tmp_path / "out").exists()
    assert kg_cli("build", SAMPLE, "-o", tmp_path / "out", "--formats", "turtle, report", "-q").returncode == 0


def test_build_files_refuses_an_empty_output_or_cache_path(tmp_path, monkeypatch):
    import kg

    monkeypatch.chdir(tmp_path)
    with pytest.raises(kg.ArgumentError, match="output is an empty path"):
        kg.build_files(SAMPLE, "", ["report"])
    with pytest.raises(kg.ArgumentError, match="cache_dir is an empty path"):
        kg.build_files(SAMPLE, "out", ["report"], cache_dir="")
    assert list(tmp_path.iterdir()) == []


def test_an_empty_corpus_path_is_refused_not_read_as_this_folder(tmp_path, monkeypatch):
    """``kg.build("")`` read the current folder, as ``Path("")`` is ".": an unset variable built
    whatever folder the caller stood in (here a corpus, so the mistake would pass unseen)."""
    shutil.copytree(SAMPLE / "news" / "2015" / "09" / "1", tmp_path / "news" / "2015" / "09" / "1")
    monkeypatch.chdir(tmp_path)
    assert kg.build(".").report.counts["events"] > 0
    for call in (lambda: kg.build(""), lambda: kg.build_files("", "out", ["report"])):
        with pytest.raises(kg.CorpusNotFoundError, match="the corpus is an empty path"):
            call()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news"]
    # kg stats and kg html read a graph file first: in an output folder, "" named its graph.ttl.
    kg.write(kg.build("."), tmp_path / "graph.ttl")
    for command in (["stats"], ["html", "-o", "x.html"]):
        proc = subprocess.run([sys.executable, "-m", "kg.cli", command[0], "", *command[1:]], capture_output=True,
                              text=True, cwd=tmp_path, timeout=300)
        assert proc.returncode == 2 and "the corpus is an empty path" in proc.stderr, proc.stderr


def test_gzip_with_no_format_it_compresses_is_said(tmp_path):
    """--gzip with --formats report was taken without a word: nothing was compressed."""
    proc = kg_cli("build", SAMPLE, "-o", tmp_path / "out", "--formats", "report", "--gzip", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[-1] == ("kg: note: --gzip compresses Turtle and N-Triples only, and neither "
                                            "was asked for")
    proc = kg_cli("build", SAMPLE, "-o", tmp_path / "ttl", "--formats", "turtle,report", "--gzip", "--no-cache")
    assert proc.returncode == 0 and "--gzip" not in proc.stderr and (tmp_path / "ttl" / "graph.ttl.gz").is_file()


def test_quiet_still_prints_the_diagnostics_that_fail_the_build(tmp_path):
    quiet = kg_cli("build", HOSTILE, "-o", tmp_path, "-f", "report", "-q", "--max-diagnostics", "1000")
    assert quiet.returncode == 1
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    errors = [d for d in report["diagnostics"] if d["level"] == "error"]
    warnings = [d for d in report["diagnostics"] if d["level"] == "warning"]
    assert errors and warnings  # the corpus has both: quiet must tell them apart
    assert quiet.stderr.splitlines() == [f"{d['path']}:{d['line']}: error: {d['code']}: {d['message']}"
                                         for d in errors]
    strict = kg_cli("build", HOSTILE, "-o", tmp_path, "-f", "report", "-q", "--strict", "--max-diagnostics", "1000")
    assert len(strict.stderr.splitlines()) == len(errors) + len(warnings)
    clean = kg_cli("build", SAMPLE, "-o", tmp_path / "sample", "-f", "report", "-q")
    assert (clean.returncode, clean.stderr) == (0, "")


def test_html_arguments_that_would_give_an_empty_or_unexpected_page(tmp_path):
    depth = kg_cli("html", SAMPLE, "-o", tmp_path / "a.html", "--depth", "2")
    assert depth.returncode == 2 and "--depth expands the focus: give --focus NAME too" in depth.stderr
    late = kg_cli("html", SAMPLE, "-o", tmp_path / "b.html", "--since", "2020-01-01")
    assert late.returncode == 2
    assert "no event lies between 2020-01-01 and the end: the graph's days run from 2015-09-01 to 2015-09-30" \
        in late.stderr
    assert not list(tmp_path.iterdir())
    blank = kg_cli("html", SAMPLE, "-o", tmp_path / "c.html", "--title", " ")
    assert blank.returncode == 2 and "the title must hold some text, not ' '" in blank.stderr
    assert not list(tmp_path.iterdir())


def test_the_news_folder_is_a_corpus_however_its_path_is_spelt(tmp_path):
    """``.`` in news/, or ``news/2015/..``, was refused as "not a corpus", though news/ itself is taken."""
    shutil.copytree(SAMPLE, tmp_path / "c")
    for folder, cwd in ((".", tmp_path / "c" / "news"), ("c/news/2015/..", tmp_path)):
        proc = subprocess.run([sys.executable, "-m", "kg", "stats", folder], cwd=cwd, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
        assert proc.returncode == 0 and "event" in proc.stdout, proc.stderr
    inside = kg_cli("stats", tmp_path / "c" / "news" / "2015")
    assert inside.returncode == 2 and inside.stderr.strip().endswith(f"it lies inside the corpus {tmp_path / 'c'}")


def test_html_takes_a_month_or_a_year_from_its_first_to_its_last_day(tmp_path):
    """--since 2015-09 is September's first day, --until 2015-09 its last, as the analyst's filters read them."""
    def said(*period: str) -> str:
        proc = kg_cli("html", SAMPLE, "-o", tmp_path / "page.html", *period)
        assert proc.returncode == 0, proc.stderr
        return proc.stderr.replace(str(tmp_path / "page.html"), "PAGE")

    assert said("--since", "2015-09-20", "--until", "2015-09") == said("--since", "2015-09-20", "--until", "2015-09-30")
    assert said("--since", "2015", "--until", "2015-9") == said()
    early = kg_cli("html", SAMPLE, "-o", tmp_path / "b.html", "--until", "2015-08")
    assert early.returncode == 2
    assert "no event lies between the start and 2015-08-31: the graph's days run from 2015-09-01" in early.stderr
    late = kg_cli("html", SAMPLE, "-o", tmp_path / "b.html", "--since", "2015-10")
    assert late.returncode == 2 and "no event lies between 2015-10-01 and the end" in late.stderr


def test_stats_reads_a_written_graph_as_it_reads_the_corpus(tmp_path):
    assert kg_cli("build", SAMPLE, "-o", tmp_path, "-f", "snapshot,turtle", "-q").returncode == 0
    corpus = json.loads(kg_cli("stats", SAMPLE, "--json").stdout)
    for name in ("graph.kg.json", "graph.ttl"):
        written = kg_cli("stats", tmp_path / name, "--json")
        assert written.returncode == 0, written.stderr
        assert json.loads(written.stdout)["counts"] == corpus["counts"]


def test_an_answer_cut_says_what_was_cut_and_how_to_have_it_whole(tmp_path):
    """"the answer was cut at 1 rows (--max-rows)": now a row or a triple, counted as English counts them, and
    the way to have it whole."""
    assert kg_cli("build", SAMPLE, "-o", tmp_path, "-f", "turtle", "-q").returncode == 0
    graph = tmp_path / "graph.ttl"
    rows = kg_cli("query", graph, "SELECT ?s WHERE { ?s a kg:Event }", "--max-rows", "1", "--format", "csv")
    assert rows.returncode == 0 and len(rows.stdout.splitlines()) == 2
    assert rows.stderr == "kg: warning: the answer was cut at 1 row (--max-rows N raises it; 0: no limit)\n"
    triples = kg_cli("query", graph, "CONSTRUCT WHERE { ?s a kg:Event }", "--max-rows", "2", "--format", "nt")
    assert triples.returncode == 0 and len(triples.stdout.splitlines()) == 2
    assert triples.stderr == "kg: warning: the answer was cut at 2 triples (--max-rows N raises it; 0: no limit)\n"


def test_a_missing_graph_is_named_as_missing(tmp_path):
    proc = kg_cli("query", tmp_path / "nope.ttl", "ASK {}")
    assert proc.returncode == 2 and proc.stderr == f"kg: error: no such file or folder: {tmp_path / 'nope.ttl'}\n"


def test_a_corpus_given_to_query_says_to_build_it():
    proc = kg_cli("query", SAMPLE, "ASK {}")
    assert proc.returncode == 2
    assert proc.stderr == f"kg: error: {SAMPLE} is a corpus folder: kg build {SAMPLE} -o OUT writes the graphs " \
                          "that kg query and kg serve read (OUT/graph.kg.json ...)\n"


# ------------------------------------------------------------------ the library says the same

@pytest.fixture(scope="module")
def sample():
    return kg.build(SAMPLE)


def test_counts_to_list_are_whole_numbers_from_0(sample):
    with pytest.raises(ArgumentError, match="0 or more"):
        kg.top_publishers(sample, -1)
    with pytest.raises(ArgumentError, match="0 or more"):
        kg.top_contexts(sample, 2.5)
    assert len(kg.top_contexts(sample, 0)) == 0 and len(kg.top_contexts(sample, None)) == len(sample.contexts)
    with pytest.raises(ArgumentError, match="days"):
        kg.around(sample, next(iter(sample.event_records)), days=-1)


def test_build_files_takes_a_comma_list_and_refuses_nothing_to_do(tmp_path):
    done = kg.build_files(SAMPLE, tmp_path, "turtle, report")
    assert sorted(p.name for p in done.files) == ["graph.ttl", "report.json"]
    with pytest.raises(ArgumentError, match="no format"):
        kg.build_files(SAMPLE, tmp_path / "none", [])
    with pytest.raises(ArgumentError, match="jobs"):
        kg.build_files(SAMPLE, tmp_path / "none", ["report"], jobs=0)
    assert not (tmp_path / "none").exists()


def test_format_names_take_any_case_and_a_misspelt_one_is_guessed_at(tmp_path):
    done = kg.build_files(SAMPLE, tmp_path / "any-case", ["Turtle", "REPORT"])
    assert sorted(p.name for p in done.files) == ["graph.ttl", "report.json"]
    proc = kg_cli("build", str(SAMPLE), "-o", str(tmp_path / "typo"), "--formats", "turtel,report")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "kg: error: unknown format 'turtel' (did you mean 'turtle'?); known: gexf, graphml, html, nquads, "
        "ntriples, oxigraph, report, snapshot, trig, turtle, default"]
    assert not (tmp_path / "typo").exists()
    # The library takes the same names, whichever engine builds, before it starts one.
    assert kg.export.format_names(" Turtle, report ") == ("turtle", "report")
    with pytest.raises(UnknownFormatError, match=r"unknown format 'NTriple' \(did you mean 'ntriples'"):
        kg.build_files(SAMPLE, tmp_path / "dask", "NTriple,report", engine="dask")
    # A file's ending names its format too; a gzipped file's is guessed at (it would read as asking for gzip).
    assert kg.export.format_names("nt,.kg.json,TTL") == ("ntriples", "snapshot", "turtle")
    with pytest.raises(UnknownFormatError, match=r"unknown format 'nt\.gz' \(did you mean 'ntriples'\?\);"):
        kg.export.format_names("nt.gz")
    # A file's whole name is guessed at by its ending, and a part of an ending by the formats that end so.
    with pytest.raises(UnknownFormatError, match=r"^unknown format 'graph\.ttl' \(did you mean 'turtle'\?\), "
                                                 r"unknown format 'json' \(did you mean 'report' or 'snapshot'\?\);"):
        kg.export.format_names("graph.ttl,json")
    with pytest.raises(UnknownFormatError, match="unknown format 3;"):
        kg.build_files(SAMPLE, tmp_path / "odd", ["turtle", 3])  # type: ignore[list-item]
    # A file name whose ending names no format: the endings that do, and the names format= takes.
    endings = r"cannot tell the format of '[^']*graph\.turtle': a name ends in one of \.gexf, .*\.ttl, .*; or give "
    with pytest.raises(UnknownFormatError, match=endings + "format=, one of gexf, .*turtle$"):
        kg.write(kg.build(SAMPLE), tmp_path / "graph.turtle")
    assert not (tmp_path / "dask").exists() and not (tmp_path / "odd").exists()


def test_synth_wants_one_event_or_more(tmp_path):
    from kg.synth import generate_corpus

    with pytest.raises(ArgumentError, match="1 or more"):
        generate_corpus(tmp_path, 0)


def test_write_to_a_missing_folder_or_below_a_file_is_an_output_error(sample, tmp_path, monkeypatch):
    with pytest.raises(OutputError, match="its folder does not exist"):
        kg.write(sample, tmp_path / "no" / "graph.ttl")
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="a part of the path is a file"):
        kg.write(sample, tmp_path / "file" / "graph.graphml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]  # no temporary file left
    # A relative path too (the temporary file beside it is named absolutely), in every format.
    monkeypatch.chdir(tmp_path)
    for name in ("graph.ttl", "graph.nt", "graph.kg.json", "report.json", "graph.graphml"):
        with pytest.raises(OutputError, match="its folder does not exist"):
            kg.write(sample, os.path.join("no", name))


@pytest.mark.skipif(sys.platform != "linux", reason="/proc, where no folder can be made, is Linux's")
def test_an_output_folder_that_cannot_be_made_says_so(tmp_path):
    from kg.cli import main

    with pytest.raises(OutputError, match="does not let it be made"):  # /proc's folder is there
        kg.build_files(SAMPLE, "/proc/kg-output", ["report"])
    assert main(["build", str(SAMPLE), "-o", "/proc/kg-output", "--formats", "report", "-q"]) == 2


def test_a_graph_and_a_result_print_in_one_short_line(sample, tmp_path):
    line = repr(sample)
    assert "\n" not in line and len(line) < 300
    assert line.startswith("<KnowledgeGraph: 428 events (0 external), 30 days, 606 articles")
    result = kg.build_files(SAMPLE, tmp_path, ["report"])
    assert "\n" not in repr(result) and len(repr(result)) < 600
    assert repr(result.report) == "<BuildReport of wcep-2015-09: 458 pages read; 0 errors, 0 warnings, 0 info>"


# ------------------------------------------------------------------ what a build says

def test_info_is_counted_unless_asked_for_and_a_rerun_says_what_changed(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    page = next((corpus / "news" / "2015" / "09" / "1").glob("*.md"))
    text = page.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("_Context:") or "Context:" in line)
    name = lines[at].split("Context:")[1].strip(" _").split(",")[0]
    lines[at] = lines[at].rstrip("_ ") + f", {name}_"  # the same context twice: an info diagnostic
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    first = kg_cli("build", corpus, "-o", out, "-f", "turtle,report")
    assert first.returncode == 0, first.stderr
    assert "duplicate-context" not in first.stderr
    assert "0 errors, 0 warnings, 1 info (-v lists the info)" in first.stderr
    assert "kg: wrote: " in first.stderr
    again = kg_cli("build", corpus, "-o", out, "-f", "turtle,report", "-v")
    assert again.stderr.count(": info: duplicate-context: ") == 1
    assert "kg: up to date (no page changed since the last build): " in again.stderr
    # The same pages with the default formats: the explorer and the snapshot are new, and said to be.
    more = kg_cli("build", corpus, "-o", out)
    assert ("kg: updated (no page changed since the last build; the files made from the whole graph written "
            "anew): ") in more.stderr
    page.write_text(text, encoding="utf-8")
    changed = kg_cli("build", corpus, "-o", out, "-f", "turtle,report")
    assert "kg: updated (1 page changed): " in changed.stderr
    assert "0 errors, 0 warnings, 0 info\n" in changed.stderr


def test_counts_in_messages_are_in_the_singular_when_one(tmp_path):
    """"wrote 1 events on 1 day", "1 entities drawn": a count of one reads as one."""
    corpus = tmp_path / "one"
    made = kg_cli("synth", corpus, "--events", "1")
    assert made.returncode == 0 and " wrote 1 event on 1 day (" in made.stderr, made.stderr
    page = kg_cli("html", corpus, "-o", tmp_path / "one.html", "--kinds", "Publisher")
    assert page.returncode == 0, page.stderr
    assert re.search(r"\((\d+) entit(y|ies) drawn; 1 event, \d+ contexts?, \d+ publishers? in the page\)", page.stderr)
    drawn = int(re.search(r"\((\d+) entit", page.stderr)[1])
    assert ("1 entity drawn" in page.stderr) == (drawn == 1) and "1 entities" not in page.stderr


def test_a_rerun_says_which_of_its_files_had_been_edited_since_it_wrote_them(tmp_path):
    """An edit of graph.ttl made the rerun write every file in full, and say only "wrote": the edit was gone,
    and nothing said why."""
    out = tmp_path / "out"
    assert kg_cli("build", SAMPLE, "-o", out, "-f", "turtle,report,html", "-q").returncode == 0
    with open(out / "graph.ttl", "a", encoding="utf-8") as ttl:
        ttl.write("# a note of mine\n")
    edited = kg_cli("build", SAMPLE, "-o", out, "-f", "turtle,report,html")
    assert edited.returncode == 0 and "kg: wrote: " in edited.stderr
    assert edited.stderr.endswith("kg: note: graph.ttl was changed since a build with this cache wrote it (edited, "
                                  "or written by a build without it): written again\n"), edited.stderr
    assert "a note of mine" not in (out / "graph.ttl").read_text(encoding="utf-8")
    again = kg_cli("build", SAMPLE, "-o", out, "-f", "turtle,report,html")
    assert "kg: up to date" in again.stderr and "note:" not in again.stderr, again.stderr
    (out / "graph.html").write_text("<p>mine</p>", encoding="utf-8")
    (out / "report.json").unlink()  # (a file gone is not one edited)
    replaced = kg_cli("build", SAMPLE, "-o", out, "-f", "turtle,report,html")
    assert replaced.stderr.endswith("kg: note: graph.html was changed since a build with this cache wrote it "
                                    "(edited, or written by a build without it): written again\n")
    # A build without the cache wrote them: the note says that may be so (it said they were edited).
    assert kg_cli("build", SAMPLE, "-o", out, "-f", "turtle,report,html", "--no-cache", "-q").returncode == 0
    written = kg_cli("build", SAMPLE, "-o", out, "-f", "turtle,report,html")
    assert written.stderr.endswith("kg: note: graph.ttl, report.json, graph.html were changed since a build with "
                                   "this cache wrote them (edited, or written by a build without it): written again\n")
    assert kg.build_files(SAMPLE, out, ["turtle"]).edited == ()
    (out / "graph.ttl").write_text("", encoding="utf-8")
    assert kg.build_files(SAMPLE, out, ["turtle"]).edited == (str(out / "graph.ttl"),)
    # One cache serving two output folders: each folder's files are no edit of the other's.
    cache = tmp_path / "shared-cache"
    for folder in (tmp_path / "one", tmp_path / "two", tmp_path / "one"):
        assert kg.build_files(SAMPLE, folder, ["turtle", "report"], cache_dir=cache).edited == (), folder


def test_files_of_an_earlier_build_with_other_formats_are_pointed_out_once_out_of_date(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    out = tmp_path / "out"
    assert kg_cli("build", corpus, "-o", out, "-f", "report,graphml,turtle", "-q").returncode == 0
    # No page changed since graph.graphml was written: it is up to date, and nothing is said of it.
    same = kg_cli("build", corpus, "-o", out, "-f", "report,turtle")
    assert same.returncode == 0 and "note:" not in same.stderr, same.stderr
    assert kg.build_files(corpus, out, ["report"]).left_over == ()
    page = next((corpus / "news").rglob("*.md"))
    page.write_text(page.read_text() + "\n")  # a page changed: graph.graphml is an earlier corpus's now
    fewer = kg_cli("build", corpus, "-o", out, "-f", "report,turtle")
    assert fewer.returncode == 0
    assert (f"kg: note: {out} also holds graph.graphml from an earlier build with other formats: "
            "not brought up to date") in fewer.stderr
    assert kg.build_files(corpus, out, ["report"]).left_over == (out / "graph.graphml",)
    # Without the cache, no file's age is known: each one this build did not write is said.
    assert kg.build_files(corpus, out, ["report"], cache=False).left_over == (out / "graph.graphml", out / "graph.ttl")
    assert kg.build_files(corpus, out, ["report", "graphml"]).left_over == ()
    assert kg.build_files(corpus, out, ["report", "turtle"]).left_over == ()  # written anew just now


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path):
    assert kg_cli("build", SAMPLE, "-o", tmp_path, "-f", "turtle", "-q").returncode == 0
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a terminal user has it
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", str(tmp_path / "graph.ttl"),
                             "SELECT * WHERE { ?s ?p ?o }", "--max-rows", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()
    proc.stdout.close()  # as head(1) does after its lines: far more than a pipe's buffer is still to come
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141
    assert err == ""


@pytest.mark.parametrize("query", ["SELECT ?e ?h WHERE { ?e a kg:Event ; schema:name ?h }",  # 87 KB
                                   "SELECT * WHERE { ?s ?p ?o }"])  # 9 MB
def test_an_answer_cut_by_its_reader_is_never_said_complete(tmp_path, query):
    """`kg query ... | head -c 10`: the answer is written a slice at a time, so a reader gone
    part way is seen (one write of the whole answer lost the rest and exited 0)."""
    assert kg_cli("build", SAMPLE, "-o", tmp_path, "-f", "turtle", "-q").returncode == 0
    pipeline = (f"{shlex.quote(sys.executable)} -m kg.cli query {shlex.quote(str(tmp_path / 'graph.ttl'))} "
                f"{shlex.quote(query)} --max-rows 0 | head -c 10 > /dev/null; echo ${{PIPESTATUS[0]}}")
    done = subprocess.run(["bash", "-c", pipeline], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.stdout.strip() == "141" and done.stderr == ""


@pytest.mark.parametrize("command", ["stats", "html"])
def test_a_store_given_to_stats_or_html_says_what_reads_it(command, tmp_path):
    kg.write(kg.build(DATA / "golden" / "example-corpus"), tmp_path / "graph.oxigraph")
    proc = kg_cli(command, tmp_path / "graph.oxigraph", *(["-o", tmp_path / "x.html"] if command == "html" else []))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert "is a store (kg build --formats oxigraph), which kg query and kg serve read" in proc.stderr


def test_a_graph_file_whose_prefix_is_not_utf8_is_one_line_for_kg_query() -> None:
    """Its @prefix line, read for the file's base, raised UnicodeDecodeError: a traceback, exit 70."""
    bad = DATA / "load" / "non-utf8-prefix.ttl"
    proc = kg_cli("query", bad, "ASK { ?s ?p ?o }")
    assert proc.returncode == 2 and proc.stderr.startswith(f"kg: error: cannot read {bad}: "), proc.stderr
    assert proc.stderr.count("\n") == 1 and "Invalid UTF-8" in proc.stderr


def test_a_query_file_or_a_store_that_cannot_be_read_is_one_line(tmp_path):
    golden = DATA / "golden" / "example-corpus"
    kg.write(kg.build(golden), tmp_path / "graph.oxigraph")
    (tmp_path / "q.rq").write_bytes(b"ASK { ?s ?p \xff }")  # not UTF-8
    proc = kg_cli("query", tmp_path / "graph.oxigraph", f"@{tmp_path / 'q.rq'}")
    assert proc.returncode == 2 and proc.stderr.startswith("kg: error: cannot read the query: "), proc.stderr
    assert proc.stderr.count("\n") == 1
    proc = kg_cli("query", tmp_path / "graph.oxigraph", f"@{tmp_path / 'missing.rq'}")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == f"kg: error: cannot read the query: {tmp_path / 'missing.rq'}: No such file or directory\n"
    proc = kg_cli("query", tmp_path / "graph.oxigraph", "@")  # (it said "cannot read the query: : No such ...")
    assert proc.returncode == 2 and proc.stderr == ("kg: error: @ names no file: write @FILE for a query in a "
                                                    "file, - for one on standard input\n"), proc.stderr
    # The query first and the graph second: said so, not "no such file or folder: SELECT ..."
    proc = kg_cli("query", "SELECT * WHERE { ?s ?p ?o }", tmp_path / "graph.oxigraph")
    assert proc.returncode == 2 and proc.stderr == (f"kg: error: the graph comes first, then the query: kg query "
                                                    f"{tmp_path / 'graph.oxigraph'} 'SELECT * WHERE {{ ?s ?p ?o }}'\n")
    # The folder to write given without -o: the message says what was meant.
    proc = kg_cli("build", golden, tmp_path / "out")
    assert proc.returncode == 2 and f"required: -o/--output; did you mean -o {tmp_path / 'out'}?" in proc.stderr
    for damage in (b"{not json", b"[1]", b'{"base_iri": 7}'):
        (tmp_path / "graph.oxigraph" / "kg-store.json").write_bytes(damage)
        proc = kg_cli("query", tmp_path / "graph.oxigraph", "ASK {}")
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
        assert "kg-store.json" in proc.stderr and "Traceback" not in proc.stderr


def test_a_graph_named_dot_turtle_is_queried_as_it_is_loaded(tmp_path):
    kg.write(kg.build(DATA / "golden" / "example-corpus"), tmp_path / "graph.turtle", "turtle")
    assert len(kg.load(tmp_path / "graph.turtle").event_records) > 0
    proc = kg_cli("query", tmp_path / "graph.turtle", "ASK { ?e a kg:Event }", "--format", "json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["boolean"] is True, proc.stderr


def test_a_cache_that_cannot_be_used_is_said_and_the_build_goes_on(tmp_path):
    (tmp_path / "afile").write_text("x")
    proc = kg_cli("build", SAMPLE, "-o", tmp_path / "out", "-f", "turtle,report", "--cache", tmp_path / "afile")
    assert proc.returncode == 0, proc.stderr
    assert f"kg: note: built without the cache: cannot write {tmp_path / 'afile'}: it is a file" in proc.stderr
    result = kg.build_files(SAMPLE, tmp_path / "out2", ("turtle",), cache_dir=tmp_path / "afile")
    assert result.cache_unused is not None and "it is a file" in result.cache_unused
    assert kg.build_files(SAMPLE, tmp_path / "out3", ("turtle",)).cache_unused is None


@pytest.mark.parametrize("limits", [{"timeout": 0}, {"timeout": -1.5}, {"max_rows": 0}, {"max_rows": -1},
                                    {"max_rows": 2.5}])
def test_a_limit_of_zero_or_less_is_an_argument_error_in_the_library(sample, limits):
    with pytest.raises(ArgumentError, match="or None"):
        kg.sparql_query(sample, "ASK {}", **limits)


def test_a_query_past_16_mib_is_refused_and_a_huge_timeout_is_no_limit(tmp_path):
    golden = DATA / "golden" / "example-corpus"
    kg.write(kg.build(golden), tmp_path / "graph.ttl")
    endless = tmp_path / "endless.rq"
    with open(endless, "wb") as fh:
        fh.truncate((16 << 20) + 1)  # read from /dev/zero, a query grew until the kernel killed kg
    proc = kg_cli("query", tmp_path / "graph.ttl", f"@{endless}")
    assert proc.returncode == 2 and proc.stderr == "kg: error: cannot read the query: it is longer than 16 MiB\n"
    (tmp_path / "bom.rq").write_bytes(b"\xef\xbb\xbfASK { ?e a kg:Event }")
    proc = kg_cli("query", tmp_path / "graph.ttl", f"@{tmp_path / 'bom.rq'}", "--timeout", "1e10")
    assert proc.returncode == 0 and proc.stdout == "true\n", proc.stderr  # select() took 1e10 s as an overflow
    (tmp_path / "deep.rq").write_text("SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000)
    proc = kg_cli("query", tmp_path / "graph.ttl", f"@{tmp_path / 'deep.rq'}")
    assert proc.returncode == 2 and proc.stderr.startswith("kg: error: the query's process crashed (killed by SIG")
    assert proc.stderr.count("\n") == 1, proc.stderr


def test_kg_alone_lists_the_commands_and_python_m_kg_is_the_command(tmp_path):
    alone = kg_cli()
    assert alone.returncode == 2 and alone.stdout == ""
    assert all(name in alone.stderr for name in ("build", "stats", "html", "query", "serve", "synth"))
    as_module = subprocess.run([sys.executable, "-m", "kg", "stats", SAMPLE], capture_output=True, text=True,
                               cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300)
    assert as_module.returncode == 0 and as_module.stdout == kg_cli("stats", SAMPLE).stdout


def test_html_quiet_prints_only_a_corpus_s_errors(tmp_path):
    quiet = kg_cli("html", SAMPLE, "-o", tmp_path / "a.html", "-q")
    assert quiet.returncode == 0 and quiet.stderr == "" and (tmp_path / "a.html").stat().st_size > 0
    hostile = kg_cli("html", HOSTILE, "-o", tmp_path / "b.html", "-q")
    said = hostile.stderr.splitlines()
    assert said and all(": error: " in line or line.startswith(("... and", "kg: the corpus has")) for line in said)
    assert not any("wrote" in line for line in said)


def test_a_build_folder_given_to_query_points_at_its_graphs(tmp_path):
    """Each graph the folder holds, the quickest to query first (the store, the snapshot, Turtle ...)."""
    formats = "turtle,snapshot,ntriples,nquads,trig,oxigraph,report"
    assert kg_cli("build", SAMPLE, "-o", tmp_path / "out", "-f", formats, "-q").returncode == 0
    proc = kg_cli("query", tmp_path / "out", "ASK {}")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    named = proc.stderr.split("give one of the graphs written there: ")[1].strip().split(", ")
    assert named == [str(tmp_path / "out" / name) for name in
                     ("graph.oxigraph", "graph.kg.json", "graph.ttl", "graph.nt", "graph.nq", "graph.trig")]
    for command, more in (("stats", ()), ("html", ("-o", tmp_path / "x.html"))):  # (they take a corpus or a graph)
        proc = kg_cli(command, tmp_path / "out", *more)
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
        assert f"{tmp_path / 'out'} is not a corpus (it has no news/ folder); give one of the graphs written " \
               f"there: {tmp_path / 'out' / 'graph.kg.json'}, {tmp_path / 'out' / 'graph.ttl'}," in proc.stderr


def test_a_pandas_month_end_frequency_labels_a_timeline_by_the_month_s_last_day(sample):
    """pandas' "M" and "ME" (its name from pandas 2.2 on) alike, with any pandas; "MS" by the first day."""
    import pandas as pd

    ends = kg.timeline(sample, "Iran", freq="M")
    assert ends.equals(kg.timeline(sample, "Iran", freq="ME"))
    assert ends.index.tolist() == [pd.Timestamp("2015-09-30")]
    assert kg.timeline(sample, "Iran", freq="MS").index.tolist() == [pd.Timestamp("2015-09-01")]
    assert ends["Iran"].tolist() == [len(kg.events(sample, context="Iran"))]
    with pytest.raises(ArgumentError, match=r"unknown frequency 'Monthly' \(did you mean 'month'\?\); "
                                            r"use one of \['D', 'MS', 'W', 'day', "
                                            r"'month', 'week'\], or a pandas offset alias of whole days"):
        kg.timeline(sample, "Iran", freq="Monthly")
    assert kg.timeline(sample, "Iran", freq="Month").equals(kg.timeline(sample, "Iran", freq="month"))


def test_a_misspelt_choice_of_a_question_or_projection_gets_the_nearest(sample):
    """As a misspelt keyword does: the choices alone left the slip to be found."""
    cases = [(lambda: kg.top_publishers(sample, 5, by="domian"), "cannot rank publishers by 'domian' (did you mean "
              "'domain'?); use one of ['distributor', 'domain', 'publisher', 'source']"),
             (lambda: kg.publisher_projection(sample, by="publsher"), "cannot group publishers by 'publsher' (did you "
              "mean 'publisher'?); use one of ['distributor', 'domain', 'publisher', 'source']"),
             (lambda: kg.timeline(sample, "Iran", by="contxt"), "a timeline is by one of ['context', 'distributor', "
              "'domain', 'publisher', 'source'], not 'contxt' (did you mean 'context'?)"),
             (lambda: kg.event_projection(sample, via="context"), "via must be one of ['contexts', 'related'], not "
              "'context' (did you mean 'contexts'?)"),
             (lambda: kg.top_publishers(sample, 5, by="zzz"), "cannot rank publishers by 'zzz'; use one of "
              "['distributor', 'domain', 'publisher', 'source']")]
    for call, message in cases:
        with pytest.raises(ArgumentError) as caught:
            call()
        assert str(caught.value) == message


_WITHOUT_PANDAS = """
import sys
sys.modules["pandas"] = None  # as if kg[query] were not installed: importing it raises ImportError
import kg
from kg.errors import MissingExtraError
g = kg.build(sys.argv[1])
calls = [lambda: kg.events(g), lambda: kg.top_contexts(g), lambda: kg.timeline(g, "Iran"),
         lambda: kg.node_path(g, "Iran", "Syria"), lambda: kg.query_df(g, "SELECT ?s { ?s a kg:Event }")]
for call in calls:
    try:
        call()
    except MissingExtraError as err:
        print(err)
"""


def test_the_analyst_api_without_pandas_names_the_extra_to_install() -> None:
    """In the library as on the command line: kg.MissingExtraError naming kg[query], not a bare
    ModuleNotFoundError."""
    done = subprocess.run([sys.executable, "-c", _WITHOUT_PANDAS, str(SAMPLE)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["this needs the optional package 'pandas': pip install 'kg[query]'"] * 5


def test_base_with_a_graph_file_is_checked_and_used_as_with_a_corpus(tmp_path) -> None:
    """kg html on a written graph took --base and said nothing: a bad one is refused (exit 2, one
    line) and a good one is the page's IRIs' base, as it is for a corpus.  kg stats prints no IRI,
    and took a --base that changed nothing: it takes none."""
    out = tmp_path / "out"
    assert kg_cli("build", SAMPLE, "-o", out, "-f", "snapshot,turtle", "-q").returncode == 0
    for graph in ("graph.kg.json", "graph.ttl"):
        proc = kg_cli("html", out / graph, "-o", tmp_path / "x.html", "--base", "not an iri")
        assert proc.returncode == 2 and proc.stderr == (
            "kg: error: base IRI contains characters not allowed in an IRI: 'not an iri'\n"), proc.stderr
        proc = kg_cli("stats", out / graph, "--base", "https://example.net/n/")
        assert proc.returncode == 2 and "unrecognized arguments: --base" in proc.stderr, proc.stderr
    proc = kg_cli("html", out / "graph.kg.json", "-o", tmp_path / "x.html", "--base", "https://example.net/n/", "-q")
    assert proc.returncode == 0, proc.stderr
    from_corpus = kg_cli("html", SAMPLE, "-o", tmp_path / "y.html", "--base", "https://example.net/n/", "-q")
    assert from_corpus.returncode == 0, from_corpus.stderr
    assert (tmp_path / "x.html").read_bytes() == (tmp_path / "y.html").read_bytes()


@pytest.mark.parametrize(("base", "why"), [
    ("https://x.org/%zz/", "Invalid IRI percent encoding '%zz'"),
    ("https://x.org/%/", "Invalid IRI percent encoding"),
    ("https://x.org/a#b#", "Invalid IRI code point '#'"),
    ("https://[::1/", "Invalid IPv6 URL"),
])
def test_a_base_that_is_no_iri_is_refused_in_one_line_before_anything_is_written(tmp_path, base, why) -> None:
    """Such bases passed the check of characters and failed in the Turtle writer, a traceback, exit 1."""
    proc = kg_cli("build", DATA / "hostile", "-o", tmp_path / "out", "--base", base)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"kg: error: base IRI is not an IRI ({why}") and proc.stderr.count("\n") == 1
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_odd_arguments_of_kg_html_and_kg_query_are_one_line_errors(tmp_path) -> None:
    """A title holding a byte that is no UTF-8 (or a tab) failed in the page's writer with a traceback;
    a FIFO given to kg query or kg serve as a graph file blocked it for good."""
    kg.write(kg.build(SAMPLE), tmp_path / "graph.kg.json")
    for title in (b"\xff", b"a\tb"):
        done = subprocess.run([sys.executable, "-m", "kg.cli", "html", str(tmp_path / "graph.kg.json"), "-o",
                               str(tmp_path / "x.html"), "--title", title], capture_output=True, cwd=REPO, timeout=300)
        err = done.stderr.decode("utf-8", "backslashreplace")
        assert done.returncode == 2 and err.startswith("kg: error: the title must be text without control "
                                                       "characters or bytes that are no UTF-8"), err
        assert err.count("\n") == 1 and not (tmp_path / "x.html").exists()
    fifo = tmp_path / "graph.ttl"
    os.mkfifo(fifo)
    for args in (["query", str(fifo), "ASK {}"], ["serve", str(fifo), "--port", "0"]):
        done = subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=REPO,
                              timeout=60)
        assert (done.returncode, done.stderr) == (2, f"kg: error: {fifo}: not a regular file\n")


def test_a_misspelt_option_of_a_writer_is_said_in_the_caller_s_words(sample_graph, tmp_path):
    """It reached a function the caller never called: "explore() got an unexpected keyword argument 'foucs'"."""
    import re

    with pytest.raises(kg.ArgumentTypeError) as html:
        kg.to_html(sample_graph, tmp_path / "a.html", foucs="Iran")
    assert str(html.value) == ("kg.to_html takes no option 'foucs' (did you mean 'focus'?); "
                               "its options: kinds, since, until, max_nodes, focus, depth, title")
    with pytest.raises(TypeError, match=re.escape("kg.to_html takes no option 'foucs'")):  # (a TypeError still)
        kg.write(sample_graph, tmp_path / "b.html", foucs="Iran")
    with pytest.raises(kg.ArgumentTypeError) as turtle:
        kg.write(sample_graph, tmp_path / "c.ttl", focus="Iran")
    assert str(turtle.value) == "kg.write of turtle takes no option 'focus'; its options: gzip, jobs"
    assert not list(tmp_path.iterdir())


def test_default_names_the_formats_written_when_none_is_asked(tmp_path):
    proc = kg_cli("build", str(SAMPLE), "-o", str(tmp_path / "more"), "--formats", "Default,graphml,ttl", "-q")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "more").glob("graph.*")) == [
        "graph.graphml", "graph.html", "graph.kg.json", "graph.ttl"]
    assert (tmp_path / "more" / "report.json").is_file()
    proc = kg_cli("build", str(SAMPLE), "-o", str(tmp_path / "typo"), "--formats", "defualt")
    assert proc.returncode == 2 and "unknown format 'defualt' (did you mean 'default'?)" in proc.stderr
    # The dask engine's default is what it writes; kg.write, which writes one format, has none.
    assert kg.export.format_names("default,report", default=("ntriples", "report")) == ("ntriples", "report")
    with pytest.raises(UnknownFormatError, match="unknown format 'default'"):
        kg.write(kg.build(SAMPLE), tmp_path / "graph.ttl", format="default")


def test_an_output_folder_named_as_a_graph_file_is_refused(tmp_path):
    """-o graph.ttl would make a folder graph.ttl/ holding graph.ttl, which kg query then cannot read."""
    for name in ("graph.ttl", "out.HTML", "g.kg.json", "graph.nt.gz"):
        proc = kg_cli("build", str(SAMPLE), "-o", str(tmp_path / name), "--formats", "turtle")
        assert proc.returncode == 2 and "is named as kg's" in proc.stderr, proc.stderr
        assert proc.stderr.count("\n") == 1 and not (tmp_path / name).exists()
    # A name ending in /, or a folder already there, is a folder so named.
    assert kg_cli("build", str(SAMPLE), "-o", f"{tmp_path / 'graph.ttl'}/", "--formats", "turtle").returncode == 0
    assert kg.build_files(SAMPLE, tmp_path / "graph.ttl", ["report"]).files == (tmp_path / "graph.ttl" / "report.json",)


@pytest.mark.parametrize("argv", [["build", "no-such-corpus", "-o", "out"], ["stats", str(SAMPLE), "-f", "nope"]])
def test_a_refused_command_whose_standard_error_is_gone_still_exits_2(argv, tmp_path) -> None:
    """``kg build nosuch -o x 2>&1 | true`` exited 1, the status of a build with error diagnostics: printing
    the error raised BrokenPipeError, then so did printing its traceback."""
    read, write = os.pipe()
    os.close(read)  # (the reader has gone before kg says anything)
    try:
        proc = subprocess.run([sys.executable, "-m", "kg", *argv], stdout=write, stderr=write, cwd=tmp_path,
                              env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    finally:
        os.close(write)
    assert proc.returncode == 2


@pytest.mark.parametrize(("corpus", "options", "status"), [(SAMPLE, [], 0), (HOSTILE, [], 1),
                                                          (SAMPLE, ["--strict"], 0)])
def test_a_build_whose_standard_error_reader_is_gone_exits_with_the_build_s_status(corpus, options, status, tmp_path):
    """``kg build ... 2>&1 | true`` exited 141 once the summary found no reader, every file written: a scheduled
    job piping its log could not tell a clean build from one with errors."""
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "-o", "out", *options],
                              stdout=write, stderr=write, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)},
                              timeout=300)
    finally:
        os.close(write)
    assert proc.returncode == status
    assert {p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")} == \
        {"graph.ttl", "report.json", "graph.html", "graph.kg.json"}


def _closing(fd: int):
    return lambda: os.close(fd)


def test_a_closed_standard_stream_is_no_bug(tmp_path) -> None:
    """``kg build ... 2>&-`` (standard error closed) and ``>&-`` were tracebacks, exit 70 ('a bug in kg'); now a
    build goes on, and a command whose answer has nowhere to go says so on standard error, exit 2."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = functools.partial(subprocess.run, cwd=tmp_path, env=env, timeout=300)
    built = run([sys.executable, "-m", "kg", "build", str(SAMPLE), "-o", "out"], stdout=subprocess.DEVNULL,
                preexec_fn=_closing(2))
    assert built.returncode == 0 and (tmp_path / "out" / "graph.kg.json").is_file()
    # (a file the build opens must not take standard error's number: it is /dev/null's now)
    assert b"kg:" not in (tmp_path / "out" / "graph.ttl").read_bytes()[:200]
    assert run([sys.executable, "-m", "kg", "build", str(SAMPLE), "-o", "out2"], stderr=subprocess.DEVNULL,
               preexec_fn=_closing(1)).returncode == 0
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    # A program the build starts afresh (a Dask worker is spawned) finds /dev/null there too, not a number
    # free for the first file or pipe it opens (os.open had made it close-on-exec).
    probe = ("from kg.streams import hold_standard_streams; hold_standard_streams(); import os, subprocess; "
             "os.write(1, subprocess.run(['readlink', '/proc/self/fd/2'], stdout=subprocess.PIPE).stdout)")
    seen = run([sys.executable, "-c", probe], stdout=subprocess.PIPE, preexec_fn=_closing(2))
    assert seen.stdout.strip() == b"/dev/null"
    # A query from a closed standard input is said (it was 'NoneType' object has no attribute 'fileno').
    proc = run([sys.executable, "-m", "kg", "query", "out/graph.kg.json", "-"], capture_output=True,
               preexec_fn=_closing(0))
    assert (proc.returncode, proc.stderr.decode()) == (
        2, "kg: error: cannot read the query: standard input: it was closed when kg started\n")
    for argv in (["query", "out/graph.kg.json", "ASK { ?s ?p ?o }"], ["stats", "out/graph.kg.json"],
                 ["serve", "out/graph.kg.json", "--port", str(port)]):  # (its address, said on standard output)
        proc = run([sys.executable, "-m", "kg", *argv], stderr=subprocess.PIPE, preexec_fn=_closing(1))
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.decode().splitlines() == [
            "kg: error: cannot write standard output: it was closed when kg started"]


def test_an_output_folder_that_is_a_dangling_link_and_a_query_file_not_in_utf8_are_named(tmp_path) -> None:
    """-o at a link to nothing said 'it is a file, not a folder'; a query file in UTF-16 said the codec's words
    ('utf-8' codec can't decode byte 0xff in position 0), not which file."""
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    proc = kg_cli("build", str(SAMPLE), "-o", str(tmp_path / "dangling"), "-q")
    assert proc.returncode == 2 and proc.stderr == (
        f"kg: error: cannot write {tmp_path / 'dangling'}: it is a link to {tmp_path / 'nowhere'}, "
        "which is not there\n")
    assert not (tmp_path / "nowhere").exists()
    (tmp_path / "q16.rq").write_text("ASK {}", encoding="utf-16")
    proc = kg_cli("query", str(SAMPLE), f"@{tmp_path / 'q16.rq'}")
    assert proc.returncode == 2 and proc.stderr == (
        f"kg: error: cannot read the query: {tmp_path / 'q16.rq'}: not UTF-8 text (byte 0); a query is written in "
        "UTF-8\n"), proc.stderr


def test_a_query_argument_past_ascii_is_read_as_utf8_under_a_locale_that_is_not(tmp_path) -> None:
    """LC_ALL=C with PYTHONUTF8=0 gave the argument's bytes past ASCII as surrogates: 'SPARQL query failed:
    'utf-8' codec can't encode ... surrogates not allowed', for a query that is fine."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": "utf-8"}
    kg.build_files(SAMPLE, tmp_path, ("snapshot",), cache=False)
    graph = str(tmp_path / "graph.kg.json")
    query = 'SELECT ?n WHERE { ?c a skos:Concept ; schema:name ?n FILTER(CONTAINS(?n, "é")) } ORDER BY ?n LIMIT 1'
    proc = subprocess.run([sys.executable, "-m", "kg", "query", graph, query, "--format", "csv"],
                          capture_output=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "é" in proc.stdout.decode("utf-8").splitlines()[1]
    bad = subprocess.run([sys.executable, "-m", "kg", "query", graph, b'ASK { FILTER(CONTAINS("a", "\xff")) }'],
                         capture_output=True, env=env, timeout=300)
    assert bad.returncode == 2 and bad.stderr.decode() == (
        "kg: error: the query holds bytes that are not UTF-8 text: write it in UTF-8, or in a file (@FILE)\n")
    # A query file's path is the file system's own, whatever its bytes: not read as UTF-8 text.
    for name in ("q\u00e9.rq".encode(), b"q\xff.rq"):
        (tmp_path / os.fsdecode(name)).write_text("ASK {}", encoding="utf-8")
        asked = subprocess.run([sys.executable, "-m", "kg", "query", graph, b"@" + os.fsencode(tmp_path) + b"/" + name],
                               capture_output=True, env=env, timeout=300)
        assert (asked.returncode, asked.stdout) == (0, b"true\n"), asked.stderr.decode()


def test_a_mistyped_graph_is_offered_only_what_kg_reads(tmp_path) -> None:
    """kg stats out/graph.tll offered graph.ttl or graph.html, which kg stats then refuses."""
    for name in ("graph.ttl", "graph.html", "report.json"):
        (tmp_path / name).write_text("", encoding="utf-8")
    proc = kg_cli("stats", str(tmp_path / "graph.tll"))
    assert proc.returncode == 2 and proc.stderr == (
        f"kg: error: corpus folder not found: {tmp_path / 'graph.tll'}; did you mean '{tmp_path / 'graph.ttl'}'?\n")


def test_a_standard_output_that_cannot_encode_the_answer_is_said_in_one_line(tmp_path) -> None:
    """An ASCII locale (or PYTHONIOENCODING=ascii) made ``kg stats`` a traceback, 'a bug in kg' (exit 70)."""
    proc = subprocess.run([sys.executable, "-m", "kg", "stats", str(SAMPLE), "--top", "200"], capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "ascii"}, timeout=300)
    said = proc.stderr.decode()
    assert proc.returncode == 2 and said.splitlines() == [
        "kg: error: standard output's encoding (ascii) cannot write '\\xe9': set PYTHONIOENCODING=utf-8, "
        "or a UTF-8 locale"], said
