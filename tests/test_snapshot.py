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



def test_a_graph_whose_records_hold_copies_of_its_keys_writes_the_same_snapshot(g, tmp_path):
    """The writer finds a key's number by the key object; an equal copy is found by its value."""
    from dataclasses import replace

    from kg.parse.records import PageKey

    def copy(key: PageKey) -> PageKey:
        return PageKey(key.date, key.slug)

    copied = replace(
        g,
        related=tuple(replace(r, source=copy(r.source), target=copy(r.target)) for r in g.related),
        shared=tuple(replace(s, first=copy(s.first), second=copy(s.second)) for s in g.shared),
        event_contexts={copy(k): v for k, v in g.event_contexts.items()},
        days={d: replace(day, listed=tuple(map(copy, day.listed))) for d, day in g.days.items()},
    )
    assert copied == g and copied.related[0].target is not g.related[0].target
    kg.write(g, tmp_path / "own.kg.json")
    kg.write(copied, tmp_path / "copies.kg.json")
    assert (tmp_path / "copies.kg.json").read_bytes() == (tmp_path / "own.kg.json").read_bytes()
    assert kg.load(tmp_path / "copies.kg.json") == g


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
    from kg.export import jsoncolumns

    kg.write(g, tmp_path / "graph.kg.json")
    written = (tmp_path / "graph.kg.json").read_bytes()
    data = jsoncolumns.by_columns(lambda: iter([written]), lambda at, size: written[at:at + size])
    assert data is not None and isinstance(data["related"], jsoncolumns.Columns)
    assert data["related"]["rank"] == [r.rank for r in g.related]
    with pytest.raises(KeyError):
        data["related"]["rank"]  # taken once: the reader holds no parsed column
    # The same JSON in another layout: one line, indented, columns out of their order (on lines of
    # their own too), a line that holds more than a column.
    parsed = json.loads(written)
    parsed["events"] = dict(reversed(parsed["events"].items()))
    lines = written.split(b"\n")
    # (the last table's lines: '"shared":{"first":', first, ',"second":', second, ',"contexts":', ...)
    reordered = b"\n".join([*lines[:-7], lines[-7].replace(b'"first"', b'"second"'), lines[-4],
                            lines[-5].replace(b'"second"', b'"first"'), lines[-6], *lines[-3:]])
    assert json.loads(reordered) == json.loads(written)
    assert jsoncolumns.by_columns(lambda: iter([reordered]), lambda at, size: reordered[at:at + size]) is not None
    more = written.replace(b"]\n}", b'],"x":[2]\n}', 1)
    for n, text in enumerate((json.dumps(parsed).encode(), json.dumps(parsed, indent=1).encode(), written,
                              reordered, more)):
        (tmp_path / f"{n}.kg.json").write_bytes(text)
        assert kg.load(tmp_path / f"{n}.kg.json") == g, n
    (tmp_path / "one.kg.json.gz").write_bytes(gzip.compress(written))
    assert kg.load(tmp_path / "one.kg.json.gz") == g
    # A column's line that is not an array, or a damaged one, is a damaged snapshot.
    for bad in (b'"ranks"', b"[1,2", b"{}"):
        broken = b"\n".join([*lines[:-4], bad, *lines[-3:]])
        (tmp_path / "bad.kg.json").write_bytes(broken)
        with pytest.raises(LoadError):
            kg.load(tmp_path / "bad.kg.json")


def test_a_snapshot_read_by_columns_says_what_its_json_says(g, tmp_path):
    """No number written in the file passes for a column, nor a column for anything else: the
    graph is the one a whole parse of the JSON gives, or a LoadError where that is not a snapshot."""
    kg.write(g, tmp_path / "graph.kg.json")
    written = (tmp_path / "graph.kg.json").read_bytes()
    iri = json.dumps(g.base_iri).encode()
    crafted = {
        # a value on a line of its own outside a table, and a table of plain numbers to keep the count
        "iri": written.replace(b'"base_iri":' + iri, b'"base_iri":\n' + iri + b'\n', 1).replace(
            b',"articles":{', b',"extra":{"x":0},"articles":{', 1),
        # a table's column written as a plain number, its array moved out of the tables
        "moved": written.replace(b'"url":\n', b'"url":0,"zz":\n', 1),
        # not JSON: a sign before a column
        "sign": written.replace(b'"url":\n', b'"url":-\n', 1),
    }
    for name, data in crafted.items():
        path = tmp_path / f"{name}.kg.json"
        path.write_bytes(data)
        try:
            whole = json.loads(data)
        except ValueError:
            whole = None
        if whole is None or not isinstance(whole["articles"]["url"], list):
            with pytest.raises(LoadError):
                kg.load(path)
        else:
            back = kg.load(path)
            assert back.base_iri == whole["base_iri"] == g.base_iri and back == g, name
    for value in (b"1", b'"x"', b"null"):  # a table of another type
        start = written.index(b'"events":{') + len(b'"events":')
        end = written.index(b"}", written.index(b'"images":\n', start) + 12) + 1
        (tmp_path / "t.kg.json").write_bytes(written[:start] + value + written[end:])
        with pytest.raises(LoadError, match="damaged"):
            kg.load(tmp_path / "t.kg.json")
    (tmp_path / "lines.kg.json").write_bytes(b"\n" * (1 << 20))  # line breaks alone: not scanned on and on
    with pytest.raises(LoadError):
        kg.load(tmp_path / "lines.kg.json")


def test_a_snapshot_changed_while_its_columns_are_read_is_not_taken(g, tmp_path, monkeypatch):
    from kg.export import snapshot

    path = tmp_path / "graph.kg.json"
    kg.write(g, path)
    real = snapshot._graph

    def rewritten_meanwhile(data):
        with path.open("ab") as fh:
            fh.write(b" ")
        return real(data)

    monkeypatch.setattr(snapshot, "_graph", rewritten_meanwhile)
    with pytest.raises(LoadError, match="changed while it was read"):
        kg.load(path)


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
    with pytest.raises(LoadError, match="damaged snapshot: a Related line names row 1000000000 of 1888"):
        kg.load(bad)
    for table, twice in (("publishers", "publishers"), ("days", "date"), ("event_contexts", "event")):  # a key twice
        data = json.loads((tmp_path / "good.kg.json").read_text(encoding="utf-8"))
        column = data[table][twice] if isinstance(data[table], dict) else data[table]
        column[1] = column[0]
        bad.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(LoadError, match=r"damaged snapshot: (listed twice: '|an event's contexts listed twice)"):
            kg.load(bad)
    bad.write_text(json.dumps({"format": "kg-snapshot", "version": data["version"]}), encoding="utf-8")
    with pytest.raises(LoadError, match="damaged snapshot: no 'publishers' in it"):
        kg.load(bad)
    for table, column in (("related", "rank"), ("shared", "second"), ("events", "headline")):  # a row short
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


def test_a_page_named_with_a_line_separator_round_trips_through_a_snapshot(tmp_path):
    """A slug is a file's name (or a link's), which may hold U+2028: the reading refused the snapshot kg
    had just written, as if it were damaged."""
    day = tmp_path / "corpus" / "news" / "2015" / "09" / "1"
    day.mkdir(parents=True)
    (day / "a\u2028b.md").write_text("### [2015-09-1](/news/2015/09/1/index.md)\n\n# E\n\n### Source:\n\n"
                                     "1. [AP](http://ap.example/1)\n\n### Related:\n\n"
                                     "1. [X](/news/2015/09/1/x%E2%80%A8y.md) _Context: Iran_\n", encoding="utf-8")
    graph = kg.build(tmp_path / "corpus")
    assert {k.slug for k in graph.event_records} == {"a\u2028b", "x\u2028y"}
    kg.write(graph, tmp_path / "graph.kg.json")
    assert kg.load(tmp_path / "graph.kg.json").event_records == graph.event_records


def test_a_snapshot_of_a_base_no_longer_taken_says_so(g, tmp_path):
    """kg let a base such as https://x.org/%zz/ through where it wrote no Turtle: its snapshot is refused
    for that base, not as JSON that does not parse."""
    kg.write(g, tmp_path / "good.kg.json")
    text = (tmp_path / "good.kg.json").read_text(encoding="utf-8")
    (tmp_path / "old.kg.json").write_text(text.replace(f'"{g.base_iri}"', '"https://x.org/%zz/"'), encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        kg.load(tmp_path / "old.kg.json")
    assert str(caught.value) == (f"{tmp_path / 'old.kg.json'}: the graph's base IRI is not an IRI (Invalid IRI "
                                 "percent encoding '%zz'): 'https://x.org/%zz/' (a damaged snapshot, or one an "
                                 "earlier kg wrote: build it again with another --base)")


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


@pytest.mark.parametrize(("where", "value"), [
    (("publishers", 0), None),  # a name that is no text: kg query failed in .strip() on it
    (("contexts", 0), "\ud800"),  # a lone surrogate: valid JSON, no UTF-8
    (("events", "headline", 0), 7),
    (("events", "page", 0), ["x"]),
    (("days", "label", 0), {}),
    (("related", "rank", 0), "1"),
    (("report", "counts", "events"), None),
    (("report", "diagnostics", "line", 0), None),
    (("base_iri",), "not an iri"),
    (("images",), "x"),  # a string for a list: read as the one image "x" where the list was empty
    (("contexts",), "Iran"),
    # A row number Python would take, counting from the end or reading true as 1, is none of the table's.
    (("events", "sources", 0, 0), -1),
    (("articles", "publishers", 0, 0), True),
    (("event_contexts", "event", 0), -1),
    # A character kg's reading takes out of every name and headline: it would reach a CSV or a terminal
    # raw, and make GraphML ill-formed.
    (("contexts", 0), "Ir\x00an"),
    (("events", "headline", 0), "red \x1b[31m"),
    (("publishers", 0), "evil\u202etxt"),
])
def test_a_snapshot_with_a_value_of_the_wrong_kind_is_a_load_error(tmp_path: Path, where, value) -> None:
    graph = kg.build(Path(__file__).parent / "data" / "golden" / "example-corpus")
    kg.write(graph, tmp_path / "graph.kg.json")
    data = json.loads((tmp_path / "graph.kg.json").read_text(encoding="utf-8"))
    place = data
    for step in where[:-1]:
        place = place[step]
    if isinstance(place, list) and not place:
        pytest.skip(f"{where[:-1]} is empty in this corpus")
    place[where[-1]] = value
    (tmp_path / "bad.kg.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LoadError, match="a damaged snapshot"):
        kg.load(tmp_path / "bad.kg.json")
