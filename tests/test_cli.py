"""The command line, run as a user runs it: a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, REPO, SAMPLE

GOLDEN_CORPUS = DATA / "golden" / "example-corpus"


def kg_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=REPO, timeout=600)


def test_build_writes_turtle_and_report(tmp_path):
    proc = kg_cli("build", SAMPLE, "-o", tmp_path, "--formats", "turtle,ntriples,report", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    counts = report["counts"]
    assert (counts["events"], counts["days"], counts["sources"], counts["publishers"]) == (428, 30, 606, 260)
    assert (counts["contexts"], counts["related_links"], counts["event_context_pairs"]) == (194, 1925, 687)
    assert counts["unresolved_links"] == 0 and counts["images"] == 0
    assert report["diagnostics"] == []
    assert (tmp_path / "graph.ttl").stat().st_size > 0 and (tmp_path / "graph.nt").stat().st_size > 0


def test_warnings_pass_unless_strict(tmp_path):
    proc = kg_cli("build", GOLDEN_CORPUS, "-o", tmp_path, "--formats", "turtle,report")
    assert proc.returncode == 0
    assert "unresolved-link" in proc.stderr and ":15: warning:" in proc.stderr
    strict = kg_cli("build", GOLDEN_CORPUS, "-o", tmp_path, "--formats", "turtle,report", "--strict")
    assert strict.returncode == 1
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["counts"]["unresolved_links"] == 10
    assert {d["line"] for d in report["diagnostics"] if d["code"] == "unresolved-link"} == set(range(15, 25))
    # (the corpus is one event page: no day page lists it)
    assert [d["code"] for d in report["diagnostics"] if d["line"] == 0] == ["unlisted-event"]


def test_a_corpus_without_pages_is_a_warning_not_a_silent_empty_graph(tmp_path):
    (tmp_path / "empty" / "news" / "2015").mkdir(parents=True)
    proc = kg_cli("build", tmp_path / "empty", "-o", tmp_path / "out", "--formats", "turtle,report")
    assert proc.returncode == 0, proc.stderr
    assert "news:0: warning: no-pages: no .md file under news/" in proc.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["pages_read"] == 0 and report["counts"]["events"] == 0
    assert report["diagnostic_codes"] == {"no-pages": 1}
    assert kg_cli("build", tmp_path / "empty", "-o", tmp_path / "out", "--strict").returncode == 1
    (tmp_path / "empty" / "news" / "2015" / "notes.txt").write_text("not a page")  # still no page
    assert "no-pages" in kg_cli("stats", tmp_path / "empty").stderr


def test_a_corpus_whose_pages_give_no_event_says_so_at_the_end(tmp_path):
    """A day of pages under a month written without its zero: each is an unexpected-path warning, and
    the last line says that the graph holds no event, which --strict makes a failure (with no warning too)."""
    day = tmp_path / "corpus" / "news" / "2015" / "9" / "3"
    shutil.copytree(SAMPLE / "news" / "2015" / "09" / "3", day)
    proc = kg_cli("build", tmp_path / "corpus", "-o", tmp_path / "out", "--formats", "report")
    pages = len(list(day.glob("*.md")))
    assert proc.returncode == 0 and "unexpected-path" in proc.stderr, proc.stderr
    assert proc.stderr.splitlines()[-1] == (f"kg: warning: the graph holds no event: none of the {pages} pages read "
                                            "gave one (see the diagnostics above)")
    assert kg_cli("build", tmp_path / "corpus", "-o", tmp_path / "out", "--strict", "-q").returncode == 1
    # A corpus of one day page that lists nothing: no diagnostic, and still no event; --strict fails it.
    shutil.rmtree(tmp_path / "corpus" / "news")
    (tmp_path / "corpus" / "news" / "2015" / "09" / "1").mkdir(parents=True)
    (tmp_path / "corpus" / "news" / "2015" / "09" / "1" / "index.md").write_text("# 2015-09-1\n", encoding="utf-8")
    quiet = kg_cli("build", tmp_path / "corpus", "-o", tmp_path / "out", "--formats", "report", "-q")
    assert quiet.returncode == 0 and quiet.stderr == ""
    strict = kg_cli("build", tmp_path / "corpus", "-o", tmp_path / "out", "--formats", "report", "-q", "--strict")
    assert strict.returncode == 1
    assert strict.stderr == "kg: warning: the graph holds no event: none of the 1 page read gave one\n"
    assert "holds no event" not in kg_cli("build", SAMPLE, "-o", tmp_path / "sample", "--formats", "report").stderr


def test_usage_errors_exit_2(tmp_path):
    missing = kg_cli("build", tmp_path / "nope", "-o", tmp_path / "out")
    assert missing.returncode == 2 and "corpus folder not found" in missing.stderr
    # A folder that holds corpora is not one: an empty graph would look like success.
    above = kg_cli("build", Path(SAMPLE).parent, "-o", tmp_path / "out")
    assert above.returncode == 2 and "no news/ folder" in above.stderr
    assert str(Path(SAMPLE)) in above.stderr and not (tmp_path / "out").exists()
    bad_format = kg_cli("build", SAMPLE, "-o", tmp_path, "--formats", "turtle,xml")
    assert bad_format.returncode == 2 and "unknown format" in bad_format.stderr
    bad_base = kg_cli("build", SAMPLE, "-o", tmp_path, "--base", "not-an-iri")
    assert bad_base.returncode == 2 and "base IRI" in bad_base.stderr


def test_stats(tmp_path):
    proc = kg_cli("stats", SAMPLE, "--top", "3", "--json")
    assert proc.returncode == 0, proc.stderr
    stats = json.loads(proc.stdout)
    assert stats["counts"]["events"] == 428
    assert [p["name"] for p in stats["top_publishers"]][:2] == ["Reuters", "BBC"]
    assert len(stats["top_contexts"]) == 3
    text = kg_cli("stats", SAMPLE)
    assert "Top contexts" in text.stdout and "shares-context" in text.stdout
    assert stats["edges"]["related-to"] == 1925 and stats["edges"]["has-context"] == 687
    assert stats["nodes"]["context"] == 194
    bare = kg_cli("stats", SAMPLE, "--top", "0").stdout  # the counts alone
    assert "shares-context" in bare and "Top" not in bare and "Busiest" not in bare


def test_stats_of_a_graph_file_prints_no_control_character_of_its_names(tmp_path):
    """A graph file is anyone's: a context name holding an escape sequence (which clears a terminal) and a
    bidi override was printed as it was, where kg query's table escapes them."""
    assert kg_cli("build", SAMPLE, "-o", tmp_path, "--formats", "ntriples", "--no-cache").returncode == 0
    top = json.loads(kg_cli("stats", SAMPLE, "--top", "1", "--json").stdout)["top_contexts"][0]["name"]
    nt = (tmp_path / "graph.nt").read_text("utf-8")
    assert f'"{top}"' in nt
    (tmp_path / "evil.nt").write_text(nt.replace(f'"{top}"', f'"{top}\\u001B[2J\\u202Eevil"'), "utf-8")
    proc = kg_cli("stats", tmp_path / "evil.nt", "--top", "1")
    assert proc.returncode == 0, proc.stderr
    assert f"  {top}\\x1b[2J\\u202eevil\n" in proc.stdout and "\x1b" not in proc.stdout and "\u202e" not in proc.stdout


def test_an_error_that_quotes_a_file_s_bytes_quotes_no_control_character(tmp_path):
    """A Turtle file's parse error quoted its escape character as it stood: kg's error line now shows it as
    \\x1b, as its tables do, and keeps its own line breaks."""
    evil = tmp_path / "evil.ttl"
    evil.write_bytes(b"<http://a.org/\x1b[2J\x1b]0;title\x07> <http://a.org/p> <http://a.org/o> .\n")
    proc = kg_cli("query", evil, "SELECT * { ?s ?p ?o }")
    assert proc.returncode == 2 and proc.stderr.startswith("kg: error: "), proc.stderr
    assert "\\x1b" in proc.stderr and "\x1b" not in proc.stderr and "\x07" not in proc.stderr, proc.stderr


def test_stats_and_html_of_a_corpus_say_its_errors_and_exit_1(tmp_path):
    """As kg build does: the diagnostics that matter on stderr, errors first, and the status."""
    corpus = DATA / "hostile"
    build = kg_cli("build", corpus, "-o", tmp_path / "out", "--formats", "report", "--max-diagnostics", "1000")
    assert build.returncode == 1
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    errors = [d for d in report["diagnostics"] if d["level"] == "error"]
    warnings = [d for d in report["diagnostics"] if d["level"] == "warning"]
    assert errors and warnings
    for proc in (kg_cli("stats", corpus, "--json"), kg_cli("html", corpus, "-o", tmp_path / "page.html")):
        assert proc.returncode == 1, proc.stderr
        lines = proc.stderr.splitlines()
        levels = [line.split(": ")[1] for line in lines if ": error: " in line or ": warning: " in line]
        assert levels[0] == "error" and levels == sorted(levels)  # errors before warnings
        summary = [line for line in lines if line.startswith("kg: the corpus has ")]
        assert summary == [f"kg: the corpus has {len(errors)} error{'s' * (len(errors) != 1)}, "
                           f"{len(warnings)} warning{'s' * (len(warnings) != 1)}, "
                           f"{sum(d['level'] == 'info' for d in report['diagnostics'])} info"]
    assert json.loads(kg_cli("stats", corpus, "--json").stdout)["counts"]["events"] > 0  # stdout stays JSON
    graph_file = kg_cli("build", corpus, "-o", tmp_path / "snap", "--formats", "snapshot", "--quiet")
    assert graph_file.returncode == 1
    from_file = kg_cli("stats", tmp_path / "snap" / "graph.kg.json")
    assert from_file.returncode == 0 and from_file.stderr == ""  # its build said it


def test_build_counts_one_error_in_the_singular(tmp_path):
    corpus = tmp_path / "corpus" / "news" / "2015" / "09" / "1"
    corpus.mkdir(parents=True)
    (corpus / "index.md").write_text("# not a day page\n", encoding="utf-8")
    (corpus / "a.md").write_bytes(b"\xff\xfe broken")
    proc = kg_cli("build", tmp_path / "corpus", "-o", tmp_path / "out", "--formats", "report")
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    errors = sum(d["level"] == "error" for d in report["diagnostics"])
    assert errors == 1, report["diagnostics"]
    assert "; 1 error, " in proc.stderr and "1 errors" not in proc.stderr


_CTRL_C_AS_THE_PROGRAM_IS_IMPORTED = """
import sys

class Interrupting:  # a Ctrl-C that lands while the command line's modules are imported
    def find_spec(self, name, path=None, target=None):
        if name == "kg.cli":
            raise KeyboardInterrupt

sys.meta_path.insert(0, Interrupting())
from kg.program import run
run()
"""


def test_ctrl_c_while_the_program_is_imported_is_said_in_one_line():
    proc = subprocess.run([sys.executable, "-c", _CTRL_C_AS_THE_PROGRAM_IS_IMPORTED, "build", str(SAMPLE)],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert (proc.returncode, proc.stderr) == (130, "kg: interrupted\n")
    # The console script and python -m kg both start there.
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'kg = "kg.program:run"' in pyproject
    assert "from kg.program import run" in (REPO / "kg" / "__main__.py").read_text(encoding="utf-8")


_SIGTERM_BEFORE_THE_PROGRAM_S_HANDLER = """
import os, signal, sys

when = sys.argv.pop(1)

class Terminating:  # a SIGTERM that lands while the command line's modules are imported
    def find_spec(self, name, path=None, target=None):
        if name == "kg.cli" and when == "importing":
            os.kill(os.getpid(), signal.SIGTERM)

sys.meta_path.insert(0, Terminating())
import kg.collector
if when == "starting":  # one that lands as the program starts, before main sets its handler
    kg.collector.return_large_blocks = lambda: os.kill(os.getpid(), signal.SIGTERM)
from kg.program import run
run()
"""


@pytest.mark.parametrize("when", ["importing", "starting"])
def test_sigterm_before_the_program_s_handler_is_said_in_one_line(when, tmp_path):
    """A SIGTERM in a build's first 200 ms killed it by the signal, with no word: -15 to a supervisor. (One
    that lands in an import is raised once it is done: the program's own handler may take it by then.)"""
    proc = subprocess.run([sys.executable, "-c", _SIGTERM_BEFORE_THE_PROGRAM_S_HANDLER, when, "build", str(SAMPLE),
                           "-o", str(tmp_path / "out")], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 143 and proc.stderr in ("kg: terminated\n", "kg: terminated; nothing was half written\n")
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_a_sigterm_the_program_inherits_ignored_stays_ignored_from_its_start(tmp_path):
    """``nohup`` or a shell's background job: kg build goes on. The program's first handler, set before its
    modules are imported, took SIGTERM all the same."""
    import signal
    import time

    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(SAMPLE), "-o", str(tmp_path / "out"), "-q"],
                            cwd=REPO, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGTERM, signal.SIG_IGN))
    for _ in range(5):  # as it starts, imports and builds
        time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    assert (tmp_path / "out" / "graph.ttl").exists()


def test_the_program_runs_openblas_on_one_thread_unless_told_otherwise():
    show = "import os, kg.program; kg.program.program_settings(); print(os.environ['OPENBLAS_NUM_THREADS'])"
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    for given, said in ((None, "1"), ("4", "4")):
        proc = subprocess.run([sys.executable, "-c", show], capture_output=True, text=True, timeout=60, check=True,
                              env={**env, **({"OPENBLAS_NUM_THREADS": given} if given else {})})
        assert proc.stdout.strip() == said


def _program_with(error: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The kg program (its console script's entry point) with `kg stats` raising ``error``."""
    code = ("import sys, kg.cli as c, kg.program\n"
            f"def boom(args): raise {error}\n"
            "c.COMMANDS['stats'] = (*c.COMMANDS['stats'][:2], boom, *c.COMMANDS['stats'][3:])\n"
            f"sys.argv = ['kg', 'stats', {str(SAMPLE)!r}]\n"
            "kg.program.run()\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


def test_a_bug_exits_70_after_its_traceback_not_1_as_a_build_with_errors(tmp_path):
    """A link whose host urlsplit refused ("http://[bad/") ended the build with Python's own status 1 for its
    uncaught ValueError: the status of a build with error diagnostics, so a script took the bug for bad data."""
    proc = _program_with("ValueError('a bug')", tmp_path)
    assert proc.returncode == 70, proc.stderr
    assert "Traceback" in proc.stderr and "ValueError: a bug" in proc.stderr
    assert proc.stderr.rstrip().splitlines()[-1].startswith("kg: internal error: this is a bug in kg")
    # Out of memory is the machine's limit, not a bug: one line, exit 2.
    proc = _program_with("MemoryError()", tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("kg: error: out of memory") and len(proc.stderr.splitlines()) == 1
