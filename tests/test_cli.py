"""The command line, run as a user runs it: a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
    assert {d["line"] for d in report["diagnostics"]} == set(range(15, 25))


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
