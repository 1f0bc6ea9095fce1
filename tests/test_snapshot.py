"""The data snapshot: written by `kg build`, read by kg.load, equal to the built graph."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import kg
from kg.cli import main
from kg.errors import LoadError

CORPUS = Path(__file__).parents[1] / "examples" / "wcep-2026-05-to-2026-08"
HOSTILE = Path(__file__).parent / "data" / "hostile"


@pytest.fixture(scope="module")
def g() -> kg.KnowledgeGraph:
    return kg.build(CORPUS)


def test_kg_build_writes_a_snapshot_that_loads_equal(g, tmp_path):
    from kg.pipeline import DEFAULT_FORMATS

    assert "snapshot" in DEFAULT_FORMATS  # kg build writes it beside the graph unless told otherwise
    assert main(["build", str(CORPUS), "-o", str(tmp_path), "--quiet", "--formats", "turtle,snapshot"]) == 0
    snapshot = tmp_path / "graph.kg.json"
    back = kg.load(snapshot)
    assert back == g  # every field, the report too
    # and it writes the same Turtle as the graph built from pages
    kg.write_turtle(back, tmp_path / "again.ttl")
    assert (tmp_path / "again.ttl").read_bytes() == (tmp_path / "graph.ttl").read_bytes()
    assert kg.events(back, context="Sudan").equals(kg.events(g, context="Sudan"))



def test_the_command_line_reads_a_snapshot(g, tmp_path, capsys):
    kg.write(g, tmp_path / "graph.kg.json")
    assert main(["query", str(tmp_path / "graph.kg.json"), "ASK { context:Sudan a kg:Context }"]) == 0
    assert capsys.readouterr().out.strip() == "true"


def test_the_snapshot_keeps_diagnostics_that_rdf_cannot(tmp_path):
    built = kg.build(HOSTILE)
    assert built.report.diagnostics
    kg.write(built, tmp_path / "graph.kg.json.gz")
    back = kg.load(tmp_path / "graph.kg.json.gz")
    assert back.report == built.report and back.event_records == built.event_records
    assert back.related == built.related and back.shared == built.shared


def test_snapshot_is_plain_json_columns(g, tmp_path):
    kg.write(g, tmp_path / "graph.kg.json")
    data = json.loads((tmp_path / "graph.kg.json").read_text(encoding="utf-8"))
    assert data["format"] == "kg-snapshot" and data["version"] == 1
    assert len(data["events"]["headline"]) == len(g.event_records)
    assert set(data["events"]) == {"date", "slug", "headline", "in_corpus", "page", "sources", "images"}


def test_a_snapshot_is_read_a_column_at_a_time_and_in_any_layout(g, tmp_path):
    """kg writes each column on a line of its own and parses it when taken; other layouts read whole."""
    from kg.export import snapshot

    kg.write(g, tmp_path / "graph.kg.json")
    written = (tmp_path / "graph.kg.json").read_bytes()
    data = snapshot._by_columns(lambda: iter([written]), lambda at, size: written[at:at + size])
    assert data is not None and isinstance(data["related"], snapshot._Columns)
    assert data["related"]["rank"] == [r.rank for r in g.related]
    with pytest.raises(KeyError):
        data["related"]["rank"]  # taken once: the reader holds no parsed column
    # The same JSON in another layout: one line, indented, or columns out of their order.
    parsed = json.loads(written)
    parsed["events"] = dict(reversed(parsed["events"].items()))
    for n, text in enumerate((json.dumps(parsed), json.dumps(parsed, indent=1), written.decode("utf-8"))):
        (tmp_path / f"{n}.kg.json").write_text(text, encoding="utf-8")
        assert kg.load(tmp_path / f"{n}.kg.json") == g
    (tmp_path / "one.kg.json.gz").write_bytes(gzip.compress(written))
    assert kg.load(tmp_path / "one.kg.json.gz") == g
    # A column's line that is not an array, or a damaged one, is a damaged snapshot.
    lines = written.split(b"\n")
    for bad in (b'"ranks"', b"[1,2", b"{}"):
        broken = b"\n".join([*lines[:-4], bad, *lines[-3:]])
        (tmp_path / "bad.kg.json").write_bytes(broken)
        with pytest.raises(LoadError):
            kg.load(tmp_path / "bad.kg.json")


def test_bad_snapshots_raise_load_errors(g, tmp_path):
    bad = tmp_path / "bad.kg.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(LoadError):
        kg.load(bad)
    bad.write_text(json.dumps({"format": "something else"}), encoding="utf-8")
    with pytest.raises(LoadError, match="not a kg snapshot"):
        kg.load(bad)
    bad.write_text(json.dumps({"format": "kg-snapshot", "version": 99}), encoding="utf-8")
    with pytest.raises(LoadError, match="version"):
        kg.load(bad)
    kg.write(g, tmp_path / "good.kg.json")
    data = json.loads((tmp_path / "good.kg.json").read_text(encoding="utf-8"))
    data["related"]["source"][0] = 10**9  # an event that is not there
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LoadError, match="damaged"):
        kg.load(bad)
    for table, column in (("related", "rank"), ("shared", "second")):  # a row short in one column
        data = json.loads((tmp_path / "good.kg.json").read_text(encoding="utf-8"))
        data[table][column].pop()
        bad.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(LoadError, match=r"damaged.*differ in length"):
            kg.load(bad)
    (tmp_path / "trunc.kg.json.gz").write_bytes(gzip.compress(b"{}")[:10])
    with pytest.raises(LoadError):
        kg.load(tmp_path / "trunc.kg.json.gz")
    with pytest.raises(LoadError):
        kg.load(tmp_path / "good.kg.json", base_iri="http://example.org/")


def test_a_snapshot_is_read_within_bounds(tmp_path):
    import os

    fifo = tmp_path / "pipe.kg.json"
    os.mkfifo(fifo)
    with pytest.raises(LoadError, match="not a regular file"):
        kg.load(fifo)  # never opened: it would block
    bomb = tmp_path / "bomb.kg.json.gz"
    bomb.write_bytes(gzip.compress(b" " * (80 << 20), compresslevel=9))  # 80 MiB of spaces, ~80 KB
    with pytest.raises(LoadError, match="expands past"):
        kg.load(bomb)
    with pytest.raises(LoadError):
        kg.load(tmp_path / "missing.kg.json")
    deep = tmp_path / "deep.kg.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(LoadError):
        kg.load(deep)
