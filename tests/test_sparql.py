"""SPARQL execution: W3C result formats read by standard parsers, read-only, bounded; kg serve."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.query import Result

import kg
from kg.cli import main
from kg.errors import (
    ArgumentError,
    QueryError,
    QueryMemoryError,
    QueryTimeoutError,
    ReadOnlyQueryError,
    ServiceRefusedError,
)
from kg.query.analyst import sparql
from kg.query.limits import Limits
from kg.query.querytext import check_query
from kg.query.sparql import evaluate, graph_store, open_store, query_prefixes
from tests.conftest import REPO, SAMPLE

TOP = """SELECT ?c ?name (COUNT(?e) AS ?n) WHERE { ?e schema:about ?c . ?c schema:name ?name }
         GROUP BY ?c ?name"""
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: A query of a kilobyte that asks for 1.3 GB (a string doubled 27 times) within a second or two.
GREEDY = ("SELECT (STRLEN(?v27) AS ?n) WHERE { BIND('aaaaaaaaaa' AS ?v0) "
          + " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(27)) + " }")

#: our format name -> (rdflib's results parser, pyoxigraph's)
PARSERS = {
    "json": ("json", ox.QueryResultsFormat.JSON),
    "xml": ("xml", ox.QueryResultsFormat.XML),
    "csv": ("csv", ox.QueryResultsFormat.CSV),
    "tsv": ("tsv", ox.QueryResultsFormat.TSV),
}


def _kg_build(out: Path, formats: str) -> Path:
    """``kg build`` of the sample into ``out``, as a user runs it."""
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "build", "examples/wcep-2015-09", "-o", str(out),
                           "--formats", formats, "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return _kg_build(tmp_path_factory.mktemp("built"), "turtle,ntriples,oxigraph")


def _graph_size(store: ox.Store) -> int:
    """The triples of a store's default graph: the graph's (a store kg writes holds its description beside them)."""
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def _expected(sample_graph) -> dict[str, tuple[str, int]]:
    counts = kg.top_contexts(sample_graph, None)
    return dict(zip(counts["context"], counts["events"], strict=True))


@pytest.mark.parametrize("fmt", sorted(PARSERS))
@pytest.mark.parametrize("source", ["graph.ttl", "graph.nt", "graph.oxigraph"])
def test_kg_query_answers_parse_with_standard_parsers(built, sample_graph, capsys, fmt, source):
    assert main(["query", str(built / source), TOP, "--format", fmt]) == 0
    data = capsys.readouterr().out.encode("utf-8")
    want = _expected(sample_graph)
    rdflib_format, ox_format = PARSERS[fmt]
    by_rdflib = Result.parse(io.BytesIO(data), format=rdflib_format)
    assert [str(v) for v in by_rdflib.vars] == ["c", "name", "n"]
    assert {str(r["name"]): int(r["n"]) for r in by_rdflib} == want
    if fmt == "csv":  # CSV does not say which values are IRIs (pyoxigraph will not read it)
        assert data.split(b"\r\n")[0] == b"c,name,n"
        return
    rows = list(ox.parse_query_results(data, ox_format))
    assert {r["name"].value: int(r["n"].value) for r in rows} == want
    assert all(isinstance(r["c"], ox.NamedNode) for r in rows)
    assert all(isinstance(row["c"], rdflib.URIRef) for row in by_rdflib)


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser
def test_ask_and_construct_in_standard_formats(built, capsys):
    assert main(["query", str(built / "graph.oxigraph"), "ASK { context:Iran a kg:Context }",
                 "--format", "xml"]) == 0
    assert bool(ox.parse_query_results(capsys.readouterr().out.encode(), ox.QueryResultsFormat.XML))
    assert main(["query", str(built / "graph.oxigraph"), "CONSTRUCT WHERE { ?e schema:about context:Iran }",
                 "--format", "json"]) == 0
    jsonld = rdflib.Graph().parse(data=capsys.readouterr().out, format="json-ld")
    assert len(jsonld) >= 5
    assert main(["query", str(built / "graph.oxigraph"), "CONSTRUCT WHERE { ?e schema:about context:Iran }"]) == 0
    turtle = capsys.readouterr().out
    assert "\\" not in turtle and len(rdflib.Graph().parse(data=turtle, format="turtle")) == len(jsonld)


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser
def test_a_construct_answer_comes_in_the_graph_syntax_named(built, capsys):
    """``--format nt`` (or turtle, ttl, jsonld, rdfxml ...) writes a CONSTRUCT's answer in that syntax."""
    construct = "CONSTRUCT WHERE { ?e schema:about context:Iran }"
    assert main(["query", str(built / "graph.oxigraph"), construct, "--format", "csv"]) == 0
    want = rdflib.Graph().parse(data=capsys.readouterr().out, format="nt")
    assert len(want) >= 5
    for name, syntax in [("nt", "nt"), ("N-Triples", "nt"), ("turtle", "turtle"), ("ttl", "turtle"),
                         ("jsonld", "json-ld"), ("JSON-LD", "json-ld"), ("rdfxml", "xml"), ("rdf", "xml")]:
        assert main(["query", str(built / "graph.oxigraph"), construct, "--format", name]) == 0
        got = rdflib.Graph().parse(data=capsys.readouterr().out, format=syntax)
        assert isomorphic(got, want), name


def test_a_construct_answer_declares_the_prefixes_it_writes_names_with(built, capsys):
    """An event's IRI is written whole (its local name holds a "/"): ``event:`` was declared all the same;
    in RDF/XML, the namespaces of subjects and objects, which are attributes' values there."""
    import re

    construct = "CONSTRUCT WHERE { ?e schema:about context:Iran ; kg:onDay ?d }"
    assert main(["query", str(built / "graph.oxigraph"), construct, "--format", "turtle"]) == 0
    text = capsys.readouterr().out
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("@prefix"))
    declared = re.findall(r"^@prefix ([\w-]*):", text, flags=re.M)
    written = set(re.findall(r"(?:^|[\s^])([\w-]+):(?!//)", body))
    assert sorted(declared) == sorted(written) == ["context", "day", "kg", "schema"]
    assert main(["query", str(built / "graph.oxigraph"), construct, "--format", "rdfxml"]) == 0
    text = capsys.readouterr().out
    declared = re.findall(r'xmlns:(\w+)="', text)
    assert sorted(declared) == ["its", "kg", "rdf", "schema"]  # (rdf and its: pyoxigraph's own)
    # A count is written bare ("8"), with no xsd: name; a type's class names an RDF/XML element.
    counted = ("CONSTRUCT { ?d kg:eventCount ?n . ?d a schema:Thing } WHERE { { SELECT ?d (COUNT(?e) AS ?n) "
               "WHERE { ?e kg:onDay ?d } GROUP BY ?d } }")
    assert main(["query", str(built / "graph.oxigraph"), counted, "--format", "turtle"]) == 0
    assert sorted(re.findall(r"^@prefix ([\w-]*):", capsys.readouterr().out, flags=re.M)) == ["day", "kg", "schema"]
    assert main(["query", str(built / "graph.oxigraph"), counted.replace("kg:eventCount", "<http://x/n>"),
                 "--format", "rdfxml"]) == 0
    assert "xmlns:schema=" in capsys.readouterr().out


@pytest.mark.parametrize("predicate", ["<http://example.org/p/>", "<urn:x:1>", "<http://example.org/123>", "kg:"])
def test_a_construct_whose_predicate_rdf_xml_cannot_write_is_refused_not_written_ill_formed(built, capsys, predicate):
    """pyoxigraph wrote such a predicate as <oxprefix: ...>, XML that no parser reads, and kg query exited 0."""
    construct = f"CONSTRUCT {{ ?s {predicate} ?o }} WHERE {{ ?s schema:name ?o }} LIMIT 1"
    assert main(["query", str(built / "graph.oxigraph"), construct, "--format", "rdfxml"]) == 2
    assert capsys.readouterr().err.startswith("kg: error: RDF/XML cannot write the predicate <")
    assert main(["query", str(built / "graph.oxigraph"), construct, "--format", "turtle"]) == 0


@pytest.mark.parametrize(("query", "form"), [("ASK { context:Iran a kg:Context }", "an ASK"),
                                             ("SELECT ?e { ?e schema:about context:Iran }", "a SELECT")])
def test_a_graph_syntax_is_refused_for_solutions_in_one_line(built, capsys, query, form):
    assert main(["query", str(built / "graph.oxigraph"), query, "--format", "nt"]) == 2
    assert capsys.readouterr().err == (f"kg: error: nt is a graph syntax, for a CONSTRUCT or DESCRIBE answer: {form} "
                                       "query's answer comes in json, xml, csv, tsv or table\n")


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
    "PREFIX ex: <http://x/> # a comment\nDELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL", "DROP DEFAULT", "LOAD <http://example.org/data.ttl>",
    "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused(built, capsys, update):
    store = open_store(built / "graph.oxigraph")
    before = len(store)
    with pytest.raises(ReadOnlyQueryError):
        evaluate(store, update)
    assert len(open_store(built / "graph.oxigraph")) == before
    assert main(["query", str(built / "graph.oxigraph"), update]) == 2
    assert "read-only" in capsys.readouterr().err


def test_service_is_refused_unless_allowed(sample_graph):
    store = graph_store(sample_graph)
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    with pytest.raises(ServiceRefusedError):
        evaluate(store, query)
    with pytest.raises(ServiceRefusedError):
        evaluate(store, query.replace("SERVICE", "service"))
    # An escaped "#" in a local name starts no comment that would hide the call from the check.
    hidden = f"PREFIX ex: <http://x/> SELECT * WHERE {{ BIND(ex:a\\#b AS ?z) SERVICE <http://127.0.0.1:{port}/> {{}} }}"
    with pytest.raises(ServiceRefusedError):
        evaluate(store, hidden)
    # Words that only look like the keyword are no SERVICE call.
    evaluate(store, 'SELECT ?service WHERE { ?service <http://schema.org/name> "SERVICE" }')
    # A prologue's IRI may hold \\u escapes and non-ASCII spaces: still a query.
    assert evaluate(store, "PREFIX ex: <http://x/caf\\u00E9/> PREFIX y: <http://y/a\u00a0b/> ASK { ?s ?p ?o }",
                    "json").rows is None
    with pytest.raises(QueryError) as caught:  # allowed: it really tries, and finds nobody there
        evaluate(store, query, limits=Limits(timeout=20, allow_service=True))
    assert not isinstance(caught.value, ServiceRefusedError)


@pytest.mark.parametrize("call", [
    "SELECT ?o WHERE {{ #\rSERVICE <{url}> {{ ?s ?p ?o }} }}",  # a comment ends at CR too
    "SELECT ?o WHERE {{ ?l kg:rank 1SERVICE <{url}> {{ ?s ?p ?o }} }}",  # a number, then the keyword
    "ASK {{ ?a ?b trueSERVICE <{url}> {{}} }}",
    "ASK {{ ?a ?b ?c.SERVICE <{url}> {{}} }}",
    "ASK {{ ?a ?b 'x\r'SERVICE <{url}> {{}} }}",
])
def test_a_service_call_that_hides_from_a_plain_reading_is_refused_too(sample_graph, call):
    """Before, each of these called the endpoint named (a server on localhost answered with its rows)."""
    store = graph_store(sample_graph)
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/sparql"
    with pytest.raises(ServiceRefusedError):
        evaluate(store, call.format(url=url))
    check_query("ASK { ?service ?b ex:SERVICE . ?a ex:foo.SERVICE ?xSERVICE }")  # names, not the keyword


def test_timeout_stops_the_query(sample_graph, capsys, built):
    store = graph_store(sample_graph)
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        evaluate(store, SLOW, limits=Limits(timeout=1))
    assert time.monotonic() - started < 5
    assert main(["query", str(built / "graph.oxigraph"), SLOW, "--timeout", "0.5"]) == 2
    assert "timeout" in capsys.readouterr().err
    with pytest.raises(QueryTimeoutError):
        sparql(sample_graph, SLOW, timeout=0.5)


def test_a_query_past_its_memory_is_stopped(sample_graph, capsys, built):
    """The limit is what the query adds to the store it reads (a store in memory is the process's too)."""
    store = graph_store(sample_graph)
    with pytest.raises(QueryMemoryError, match="the query needed more than its 200 MB of memory and was stopped"):
        evaluate(store, GREEDY, limits=Limits(max_memory=200))
    assert evaluate(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", limits=Limits(max_memory=20)).rows == 1
    # A limit past what the kernel takes is none (setrlimit overflowed: every query "crashed").
    assert b"true" in evaluate(store, "ASK { ?s ?p ?o }", limits=Limits(max_memory=9_000_000_000_000)).data
    # One line, all the program says: the evaluator's last words as it aborts are not passed on.
    proc = subprocess.run([sys.executable, "-m", "kg", "query", str(built / "graph.oxigraph"), GREEDY,
                           "--max-memory", "200"], capture_output=True, text=True, timeout=120, check=False)
    assert (proc.returncode, proc.stderr) == (2, "kg: error: the query needed more than its 200 MB of memory "
                                                 "and was stopped\n")
    # The library's query functions take the same limit.
    with pytest.raises(QueryMemoryError, match="more than its 200 MB"):
        sparql(sample_graph, GREEDY, max_memory=200)
    with pytest.raises(QueryMemoryError, match="more than its 200 MB"):
        kg.query_df(sample_graph, GREEDY, max_memory=200)
    assert kg.ask(sample_graph, "ASK { ?s ?p ?o }", max_memory=20)
    assert len(kg.construct(sample_graph, "CONSTRUCT WHERE { ?s a kg:Day }", max_memory=20)) == 30
    with pytest.raises(ArgumentError, match="max_memory must be a whole number"):
        kg.query_df(sample_graph, "SELECT * { ?s ?p ?o }", max_memory=0)
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ArgumentError, match="max_memory must be a whole number of megabytes above 0"):
            Limits(max_memory=bad)


@pytest.mark.parametrize("base", ["https://ex.org/kg/", "https://ex.org/kg#"])
@pytest.mark.parametrize("name", ["graph.nt", "graph.nq", "graph.nt.gz", "graph.trig", "graph.kg.json",
                                  "graph.kg.json.gz", "graph.ttl", "graph.ttl.gz"])
def test_the_data_prefixes_follow_the_base_a_file_was_written_with(tmp_path, capsys, name, base):
    """A file without prefixes (N-Triples, N-Quads) names its base in its IRIs, a snapshot records
    it, Turtle and TriG declare it (a base ending in # too): context:Syria and event: are under it,
    and another --base is refused."""
    kg.build_files(SAMPLE, tmp_path, {"graph.nt": ("ntriples",), "graph.nq": ("nquads",), "graph.nt.gz": ("ntriples",),
                                      "graph.trig": ("trig",), "graph.kg.json": ("snapshot",),
                                      "graph.kg.json.gz": ("snapshot",), "graph.ttl": ("turtle",),
                                      "graph.ttl.gz": ("turtle",)}[name],
                   base_iri=base, gzip=name.endswith(".gz"), cache=False)
    if name == "graph.kg.json.gz":  # (a build writes it plain; kg reads it gzipped too, by its bytes)
        (tmp_path / name).write_bytes(gzip.compress((tmp_path / "graph.kg.json").read_bytes()))
        (tmp_path / "gzipped.kg.json").write_bytes((tmp_path / name).read_bytes())
        assert query_prefixes(tmp_path / "gzipped.kg.json")["context"] == base + "context/"
    prefixes = query_prefixes(tmp_path / name)
    assert (prefixes["context"], prefixes["event"]) == (base + "context/", base + "event/")
    query = "SELECT (COUNT(?e) AS ?n) WHERE { ?e schema:about context:Syria }"
    assert main(["query", str(tmp_path / name), query, "--format", "tsv"]) == 0
    count = int(capsys.readouterr().out.splitlines()[1].split("^^")[0].strip('"'))
    graph = kg.build(SAMPLE)
    assert count == sum("Syria" in names for names in graph.event_contexts.values()) > 0
    assert main(["query", str(tmp_path / name), query, "--base", "https://other.example/kg/"]) == 2
    assert f"was built with the base IRI {base!r}" in capsys.readouterr().err


def test_a_foreign_file_s_iri_that_only_looks_like_a_day_names_no_base(tmp_path, capsys):
    """<…/holiday/2020-01-01> is no day IRI of kg's (no base ends "holi"): --base is the file's."""
    foreign = tmp_path / "foreign.nt"
    foreign.write_text('<http://foo.org/holiday/2020-01-01> <http://foo.org/p> "a" .\n'
                       '<http://foo.org/kg/context/Syria> <http://foo.org/p> "b" .\n', encoding="utf-8")
    query = "SELECT (COUNT(*) AS ?n) { context:Syria ?p ?o }"
    assert main(["query", str(foreign), query, "--base", "http://foo.org/kg/", "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["n", "1"]


@pytest.mark.parametrize("base", ["bad iri/", "example.org/", "https://ex.org/kg"])
def test_a_base_kg_build_refuses_kg_query_refuses_alike(built, capsys, base):
    assert main(["query", str(built / "graph.ttl"), "ASK {}", "--base", base]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg: error: base IRI ") and err.count("\n") == 1, err


def test_a_base_other_than_the_graph_s_own_is_refused(tmp_path, capsys):
    """Its prefixes would name nothing in the graph: every query would answer nothing, or a count of 0."""
    out = tmp_path / "out"
    assert main(["build", str(SAMPLE), "-o", str(out), "--base", "http://example.com/data/", "--quiet",
                 "-f", "oxigraph,ntriples,turtle,snapshot"]) == 0
    query = "SELECT (COUNT(?e) AS ?n) WHERE { ?e schema:about context:Syria }"
    for name in ("graph.oxigraph", "graph.nt", "graph.ttl", "graph.kg.json"):
        capsys.readouterr()
        assert main(["query", str(out / name), query, "--base", "https://kg.example.org/news/"]) == 2, name
        err = capsys.readouterr().err
        assert "was built with the base IRI 'http://example.com/data/'" in err and err.count("\n") == 1, err
        assert main(["query", str(out / name), query, "--base", "http://example.com/data/", "--format", "csv"]) == 0
        assert int(capsys.readouterr().out.split()[1]) > 0, name


def test_a_damaged_gzip_is_not_read_for_prefixes(tmp_path):
    (tmp_path / "bad.nt.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"\xff" * 64)
    assert query_prefixes(tmp_path / "bad.nt.gz")["context"].endswith("/context/")  # the default base's


def test_row_limit(sample_graph, built, capsys):
    store = graph_store(sample_graph)
    query = "SELECT ?e WHERE { ?e a schema:Event }"
    prefixes = query_prefixes(built / "graph.ttl")
    answer = evaluate(store, query, "json", Limits(max_rows=7), prefixes)
    assert answer.truncated and len(list(ox.parse_query_results(answer.data, ox.QueryResultsFormat.JSON))) == 7
    whole = evaluate(store, query, "json", Limits(max_rows=None), prefixes)
    assert not whole.truncated
    assert len(list(ox.parse_query_results(whole.data, ox.QueryResultsFormat.JSON))) == 428
    assert main(["query", str(built / "graph.oxigraph"), query, "--max-rows", "3", "--format", "tsv"]) == 0
    out = capsys.readouterr()
    assert len(out.out.splitlines()) == 4 and "cut at 3 rows" in out.err
    # A format in any case, as kg build's --formats takes them.
    assert main(["query", str(built / "graph.oxigraph"), query, "--max-rows", "3", "--format", "TSV"]) == 0
    assert capsys.readouterr().out == out.out
    with pytest.warns(UserWarning, match="cut at 5 rows"):
        assert len(sparql(sample_graph, query, max_rows=5)) == 5
    with pytest.warns(UserWarning, match="cut at 4 rows"):  # the method takes the same limits
        assert len(kg.sparql_query(sample_graph, query, max_rows=4)) == 4


def test_store_is_reused_without_reparsing(built, sample_graph, tmp_path):
    # The on-disk store is opened as it is, not rebuilt from a graph file: a copy of the folder
    # alone, with no graph file beside it, answers with every triple. (Its speed: benchmarks/.)
    import shutil

    alone = shutil.copytree(built / "graph.oxigraph", tmp_path / "graph.oxigraph")
    store = open_store(alone)
    answer = evaluate(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "csv", Limits(timeout=None))
    assert answer.text.split() == ["n", str(sum(1 for _ in kg.triples(sample_graph)))]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.oxigraph"]
    with pytest.raises((OSError, RuntimeError), match="read-write"):  # opened read-only
        store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b"), ox.NamedNode("http://x/c")))


def test_kg_build_replaces_its_store(tmp_path):
    corpus = Path(__file__).parent / "data" / "golden" / "example-corpus"
    for _ in range(2):  # the second build publishes a store over the first one
        assert main(["build", str(corpus), "-o", str(tmp_path), "--formats", "oxigraph", "--quiet"]) == 0
    assert _graph_size(open_store(tmp_path / "graph.oxigraph")) == sum(1 for _ in kg.triples(kg.build(corpus)))
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".kg-")) == [".kg", "graph.oxigraph"]


def test_rebuilding_replaces_the_store(built, tmp_path):
    kg.write(kg.build("examples/wcep-2015-09"), tmp_path / "graph.oxigraph")
    small = kg.build(Path(__file__).parent / "data" / "golden" / "example-corpus")
    kg.write(small, tmp_path / "graph.oxigraph")
    assert _graph_size(open_store(tmp_path / "graph.oxigraph")) == sum(1 for _ in kg.triples(small))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.oxigraph"]


# ------------------------------------------------------------------ kg serve

def _serving_port(proc: subprocess.Popen[bytes]) -> int:
    """The port a ``kg serve --port 0`` took, from the line it prints once it listens (a port
    picked free beforehand could be taken by another test's server before it binds it)."""
    assert proc.stdout is not None
    line = proc.stdout.readline().decode()
    assert line.startswith("kg: serving "), line + proc.stdout.read().decode()
    return int(line.split(" at http://127.0.0.1:")[1].split("/")[0])


@pytest.fixture(scope="module")
def endpoint(built):
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(built / "graph.oxigraph"),
                             "--port", "0", "--timeout", "2", "--max-rows", "50", "--max-memory", "200"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        port = _serving_port(proc)
        with socket.create_connection(("127.0.0.1", port), timeout=30):
            pass
        yield f"http://127.0.0.1:{port}/sparql"
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)


@pytest.mark.parametrize("return_format", ["json", "xml", "csv", "tsv"])
def test_serve_answers_sparqlwrapper(endpoint, sample_graph, return_format):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery("PREFIX schema: <http://schema.org/>\nSELECT (COUNT(DISTINCT ?e) AS ?n) "
                    "WHERE { ?e a schema:Event }")
    client.setReturnFormat(return_format)
    raw = client.query().response.read()
    rdflib_format, _ = PARSERS[return_format]
    rows = list(Result.parse(io.BytesIO(raw), format=rdflib_format))
    assert int(rows[0][0]) == len(sample_graph.event_records)


def test_serve_gives_the_build_s_void_description_at_its_well_known_uri(endpoint, built, sample_graph, tmp_path):
    """A client finds a dataset's VoID at /.well-known/void (VoID, section 7.2): the store's description graph,
    in Turtle, whose void:triples counts what the endpoint's queries read; a Turtle file holds none: 404."""
    import urllib.error
    import urllib.request

    well_known = endpoint.removesuffix("/sparql") + "/.well-known/void"
    with urllib.request.urlopen(well_known, timeout=30) as answer:
        assert answer.headers["Content-Type"].startswith("text/turtle")
        void = rdflib.Graph().parse(data=answer.read(), format="turtle")
    voidns = rdflib.Namespace("http://rdfs.org/ns/void#")
    (dataset,) = void.subjects(rdflib.RDF.type, voidns.Dataset)
    assert int(void.value(dataset, voidns.triples)) == sum(1 for _ in kg.triples(sample_graph))
    assert (dataset, rdflib.URIRef("http://www.w3.org/ns/prov#wasGeneratedBy"), None) in void
    # In another syntax by Accept (406 for none it writes); a trailing slash is the same; a POST is 405.
    asked = urllib.request.Request(well_known + "/", headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(asked, timeout=30) as answer:
        assert answer.headers["Content-Type"].startswith("application/n-triples")
        assert isomorphic(rdflib.Graph().parse(data=answer.read(), format="nt"), void)
    for request, status in ((urllib.request.Request(well_known, headers={"Accept": "image/png"}), 406),
                            (urllib.request.Request(well_known, data=b"", method="POST"), 405)):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == status
    # A file that holds no description of kg's: a Turtle file, one that types a dataset of its own, N-Quads
    # whose one named graph ends in "/description" (a user's).
    (tmp_path / "mine.ttl").write_text("<http://x.org/d> a <http://rdfs.org/ns/void#Dataset> .\n", encoding="utf-8")
    for served in (built / "graph.ttl", tmp_path / "mine.ttl"):
        proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(served), "--port", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            port = _serving_port(proc)
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/.well-known/void", timeout=30)
            assert refused.value.code == 404
            assert f"{served.name} holds no VoID description".encode() in refused.value.read()
        finally:
            os.kill(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)


def test_serve_uses_kg_prefixes_and_limits(endpoint):
    import urllib.error

    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setReturnFormat(JSON)
    client.setQuery("SELECT ?e WHERE { ?e schema:about context:Iran }")
    assert client.queryAndConvert()["results"]["bindings"]
    client.setQuery("SELECT ?e WHERE { ?e a schema:Event }")
    assert len(client.queryAndConvert()["results"]["bindings"]) == 50  # --max-rows
    client.setQuery(SLOW)
    started = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as stopped:  # (SPARQLWrapper names no class for 503)
        client.queryAndConvert()
    assert stopped.value.code == 503
    assert time.monotonic() - started < 10  # --timeout 2


def test_serve_reads_a_relative_iri_against_its_own_url(endpoint):
    """SPARQL's base, where a query sets none, is where it was sent. Before, a relative IRI was a 400:
    Virtuoso's probes before a SERVICE call hold such IRIs, and it then took the endpoint for one
    without aggregates."""
    import json
    import urllib.parse
    import urllib.request

    def ask(query: str) -> list[dict[str, dict[str, str]]]:
        request = urllib.request.Request(endpoint, urllib.parse.urlencode({"query": query}).encode(),
                                         {"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)["results"]["bindings"]

    origin = endpoint.rsplit("/", 1)[0]
    assert ask("SELECT (<x> AS ?i) (<../y#z> AS ?j) WHERE {}") == [
        {"i": {"type": "uri", "value": origin + "/x"}, "j": {"type": "uri", "value": origin + "/y#z"}}]
    assert ask("BASE <http://example.org/a/> SELECT (<x> AS ?i) WHERE {}")[0]["i"]["value"] == "http://example.org/a/x"
    assert ask("SELECT (COUNT(*) AS ?n) WHERE { ?s <no-such-p> ?o }")[0]["n"]["value"] == "0"


def test_serve_refuses_updates(endpoint):
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }")
    with pytest.raises((SPARQLWrapperException, Exception)) as caught:
        client.query()
    assert "403" in str(caught.value) or "not allowed" in str(caught.value).lower()
    check = SPARQLWrapper(endpoint)
    check.setReturnFormat("json")
    check.setQuery("ASK { <http://x/a> ?p ?o }")
    assert check.queryAndConvert()["boolean"] is False


def _post(endpoint: str, data: dict[str, str], accept: str = "application/sparql-results+json"):
    import urllib.error
    import urllib.parse
    import urllib.request

    request = urllib.request.Request(endpoint, data=urllib.parse.urlencode(data).encode(),
                                     headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers.get("Content-Type"), answer.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type"), err.read()


def test_serve_answers_others_while_a_slow_query_runs(endpoint):
    """Each query runs in a thread of its own: a slow one holds up no other client."""
    import threading

    ended: dict[str, float] = {}

    def slow() -> None:
        ended["status"] = _post(endpoint, {"query": SLOW})[0]
        ended["slow"] = time.monotonic()

    runner = threading.Thread(target=slow)
    runner.start()
    time.sleep(0.3)
    status, media, body = _post(endpoint, {"query": "ASK { ?s ?p ?o }"})
    ended["quick"] = time.monotonic()
    runner.join()
    assert status == 200 and media.startswith("application/sparql-results+json") and b"true" in body
    assert ended["quick"] < ended["slow"]  # answered while the slow one still ran (to its 2 s timeout)
    assert ended["status"] == 503


def test_serve_says_what_went_wrong_with_a_status_of_the_protocol(endpoint):
    import json

    status, _, body = _post(endpoint, {"query": "SELECT * WHERE { ?s undeclared:x ?o }"})
    message = json.loads(body)["message"]
    assert status == 400 and "line 1, column 33" in message and "RDFLib" not in message
    status, _, body = _post(endpoint, {"query": "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"})
    assert status == 403 and "read-only" in json.loads(body)["message"]
    assert _post(endpoint, {"update": "CLEAR ALL"})[0] == 403
    assert _post(endpoint, {"query": "ASK {}", "update": "CLEAR ALL"})[0] == 400
    status, _, body = _post(endpoint, {"query": SLOW})
    assert status == 503 and "timeout" in json.loads(body)["message"]
    status, _, body = _post(endpoint, {"query": GREEDY})
    assert status == 503 and "more than its 200 MB of memory" in json.loads(body)["message"]


def test_serve_reads_the_protocol_s_forms_and_refuses_what_it_cannot_honour(endpoint):
    import json
    import urllib.error
    import urllib.request

    # The query in the URL of a form POST; an empty query is one that does not parse.
    request = urllib.request.Request(endpoint + "?query=ASK%7B%7D", data=b"x=1",
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert json.loads(answer.read())["boolean"] is True
        assert answer.headers.get("Vary") == "Accept"
    assert _post(endpoint, {"query": ""})[0] == 400
    # A dataset named by the request cannot be honoured: said, not ignored.
    status, _, body = _post(endpoint, {"query": "ASK { ?s ?p ?o }", "default-graph-uri": "http://nothing/"})
    assert status == 400 and "default-graph-uri" in json.loads(body)["message"]
    # Text comes with its charset; a text wildcard gets CSV.
    status, media, _ = _post(endpoint, {"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"}, accept="text/*")
    assert status == 200 and media == "text/csv; charset=utf-8"


def test_serve_gives_text_plain_every_value_whole_as_csv(endpoint, sample_graph):
    """``Accept: text/plain`` (curl's users, scripts) gets CSV, as ``text/*`` does: every value whole,
    not the table ``kg query`` prints, which cuts a long text to fit a terminal."""
    import csv

    longest = max(len(r.headline) for r in sample_graph.event_records.values())
    assert longest > 100  # (the table's width)
    query = "SELECT ?h WHERE { ?e a schema:Event ; schema:name ?h } ORDER BY DESC(STRLEN(?h)) LIMIT 1"
    status, media, body = _post(endpoint, {"query": query}, accept="text/plain")
    assert status == 200 and media == "text/csv; charset=utf-8"
    (head, (headline,)) = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert head == ["h"] and len(headline) == longest
    assert headline in {r.headline for r in sample_graph.event_records.values()}
    assert _post(endpoint, {"query": "ASK { ?s ?p ?o }"}, accept="text/plain")[1:] == ("text/csv; charset=utf-8",
                                                                                          b"true")


def test_serve_answers_a_browser_s_preflight_and_lets_its_scripts_read_kg_s_header(endpoint):
    import http.client
    import urllib.error
    import urllib.parse
    import urllib.request

    asked = {"Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST"}
    for headers, allowed in (({**asked, "Access-Control-Request-Headers": "content-type"}, {"content-type"}),
                             (asked, {"accept", "content-type"})):
        for url in (endpoint, endpoint.removesuffix("sparql")):  # (the root leads a POST to the endpoint)
            with urllib.request.urlopen(urllib.request.Request(url, method="OPTIONS", headers=headers),
                                        timeout=30) as answer:
                assert answer.status == 204 and answer.read() == b"" and "content-length" not in answer.headers
                said = answer.headers
            assert said["access-control-allow-origin"] == "*" and said["allow"] == "GET, POST, HEAD, OPTIONS"
            assert said["access-control-allow-methods"] == "GET, POST, HEAD, OPTIONS"
            assert allowed <= {h.strip().lower() for h in said["access-control-allow-headers"].split(",")}
            assert int(said["access-control-max-age"]) >= 600
    # Every answer, a refusal too, lets a script on another origin read it and kg's header.
    for data in ({"query": "SELECT ?e WHERE { ?e a schema:Event }"}, {"query": "ASK {"}):
        request = urllib.request.Request(endpoint, data=urllib.parse.urlencode(data).encode())
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                said = answer.headers
        except urllib.error.HTTPError as err:
            said = err.headers
        assert said["access-control-allow-origin"] == "*"
        assert "x-kg-truncated" in said["access-control-expose-headers"].lower()
    # The root's redirect too: a script's fetch follows it only if it says so.
    port = urllib.parse.urlsplit(endpoint).port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/?query=ASK%7B%7D", headers={"Origin": "http://elsewhere.example"})
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 307 and answer.getheader("access-control-allow-origin") == "*"
    finally:
        connection.close()


def test_a_script_on_another_origin_queries_the_endpoint_in_a_browser(endpoint, tmp_path):
    """In Chromium, a page served from another origin POSTs a query (a preflight first) and reads its answer
    and the header that says it was cut."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed")
    (tmp_path / "index.html").write_text("<!doctype html><title>elsewhere</title>", encoding="utf-8")
    pages = subprocess.Popen([sys.executable, "-u", "-m", "http.server", "--bind", "127.0.0.1",
                              "--directory", str(tmp_path), "0"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        assert pages.stdout is not None
        line = pages.stdout.readline().decode()
        port = int(re.search(r" port (\d+)", line)[1])  # type: ignore[index]
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"], headless=True)
            try:
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}/")
                got = page.evaluate("""async (url) => {
                    const answer = await fetch(url, {method: "POST", body: "SELECT ?e WHERE { ?e a schema:Event }",
                        headers: {"Content-Type": "application/sparql-query",
                                  "Accept": "application/sparql-results+json"}});
                    const rows = (await answer.json()).results.bindings.length;
                    return [answer.status, answer.headers.get("X-KG-Truncated"), rows];
                }""", endpoint)
                # Sent to the server's root, it is led to the endpoint (307), and its answer read there.
                led = page.evaluate("""async (url) => {
                    const answer = await fetch(url, {method: "POST", body: "ASK { ?s ?p ?o }",
                        headers: {"Content-Type": "application/sparql-query",
                                  "Accept": "application/sparql-results+json"}});
                    return [answer.url, (await answer.json()).boolean];
                }""", endpoint.removesuffix("sparql"))
            finally:
                browser.close()
    finally:
        os.kill(pages.pid, signal.SIGTERM)
        pages.wait(timeout=20)
    assert got == [200, "50", 50] and led == [endpoint, True]


def test_serve_never_answers_in_a_type_given_q_0(endpoint):
    """q=0 says not acceptable (RFC 9110, 12.5.1): a wildcard takes every other type, not that one."""
    import urllib.request

    from kg.query.serve import result_format

    assert result_format("application/sparql-results+json;q=0, */*") == "xml"
    assert result_format("application/sparql-results+json;q=0, application/*;q=0.5, text/csv;q=0.1") == "xml"
    assert result_format("text/csv;q=0, text/*") == "tsv"
    assert result_format("text/*;q=0, */*") == "json" and result_format("application/*;q=0, */*") == "csv"
    assert result_format("application/sparql-results+json;q=0, application/sparql-results+xml;q=0, "
                         "application/*") is None
    assert result_format("text/turtle;q=0, text/*", "CONSTRUCT") is None
    assert result_format("application/ld+json;q=0, */*", "CONSTRUCT") not in (None, "json")
    # The most specific range says a type's quality: text/csv's, not the wildcard's, here.
    assert result_format("text/csv;q=0.5, text/*") == "tsv"
    status, media, body = _post(endpoint, {"query": "ASK { ?s ?p ?o }"},
                                accept="application/sparql-results+json;q=0, */*")
    assert status == 200 and media == "application/sparql-results+xml" and b"<boolean>true" in body
    request = urllib.request.Request(endpoint, headers={"Accept": "text/turtle;q=0, */*"})
    with urllib.request.urlopen(request, timeout=30) as description:
        media = description.headers["content-type"]
        assert not media.startswith("text/turtle")
        syntax = {"application/n-triples": "nt", "application/rdf+xml": "xml", "application/ld+json": "json-ld"}
        assert len(rdflib.Graph().parse(data=description.read().decode(), format=syntax[media.split(";")[0]]))


def test_serve_refuses_a_query_that_is_not_utf_8_saying_where(endpoint):
    """The protocol's query is UTF-8: one that is not is HTTP 400, not read with its bytes replaced."""
    import json
    import urllib.error
    import urllib.parse
    import urllib.request

    bad = "ASK%20%7B%20%3Fs%20%3Fp%20%22%FF%22%20%7D"  # ASK { ?s ?p "\xff" }: the byte at offset 13
    requests = [urllib.request.Request(endpoint + "?query=" + bad),
                urllib.request.Request(endpoint, data=urllib.parse.unquote_to_bytes(bad),
                                       headers={"Content-Type": "application/sparql-query"}),
                urllib.request.Request(endpoint, data=b"query=" + bad.encode(),
                                       headers={"Content-Type": "application/x-www-form-urlencoded"})]
    for request in requests:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        message = json.loads(refused.value.read())["message"]
        assert refused.value.code == 400 and "not UTF-8" in message and "offset 13" in message, message
    # UTF-8 is read as such, escaped or not.
    good = urllib.parse.quote('ASK { ?s ?p "é" }')
    for request in (urllib.request.Request(endpoint + "?query=" + good),
                    urllib.request.Request(endpoint, data='ASK { ?s ?p "é" }'.encode(),
                                           headers={"Content-Type": "application/sparql-query"}),
                    urllib.request.Request(endpoint, data=b"query=" + good.encode(),
                                           headers={"Content-Type": "application/x-www-form-urlencoded"})):
        request.add_header("Accept", "application/sparql-results+json")
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert json.loads(answer.read())["boolean"] is False


def test_serve_refuses_an_update_whatever_comes_with_it_and_names_the_dataset_parameter_sent(endpoint):
    import json
    import urllib.error
    import urllib.request

    insert = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    names = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")
    for name in names:
        for sent in ({"update": insert, name: "urn:x"}, {"query": insert, name: "urn:x"}):
            status, _, body = _post(endpoint, sent)
            assert status == 403 and "read-only" in json.loads(body)["message"], (sent, body)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(endpoint + f"?{name}=urn%3Ax", data=insert.encode(), headers={
                "Content-Type": "application/sparql-update"}), timeout=30)
        assert refused.value.code == 403
        # A query naming its dataset is refused with the parameter it sent, and that one alone.
        status, _, body = _post(endpoint, {"query": "ASK { ?s ?p ?o }", name: "urn:x"})
        message = json.loads(body)["message"]
        assert status == 400 and re.findall(r"[a-z-]*graph-uri", message) == [name], message
    status, _, body = _post(endpoint, {"query": "ASK { ?s ?p ?o }", "named-graph-uri": "urn:x",
                                       "default-graph-uri": "urn:y"})
    message = json.loads(body)["message"]
    assert status == 400 and "default-graph-uri and named-graph-uri are not" in message, message


def test_a_body_past_the_limit_is_refused_before_it_is_all_read(sample_graph):
    import asyncio

    from kg.query.serve import SparqlQueries

    app = SparqlQueries(graph_store(sample_graph), Limits(), {}, max_body=100)
    chunks = [{"type": "http.request", "body": b"q" * 60, "more_body": True} for _ in range(5)]
    taken, sent = [], []

    async def receive():
        taken.append(chunks.pop(0))
        return taken[-1]

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/sparql", "query_string": b"",
             "headers": [(b"content-type", b"application/sparql-query")]}
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413 and len(taken) == 2  # the second chunk went past 100 bytes


def test_serve_answers_a_graph_in_the_syntax_asked_for(endpoint, sample_graph):
    construct = "CONSTRUCT { ?e a schema:Event } WHERE { ?e a schema:Event } LIMIT 5"
    status, media, body = _post(endpoint, {"query": construct}, accept="text/turtle")
    assert status == 200 and media.startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=body.decode(), format="turtle")) == 5
    # Headed by the prefixes it uses, not by all twenty the endpoint binds.
    declared = {line.split()[1] for line in body.decode().splitlines() if line.startswith("@prefix")}
    assert "schema:" in declared and not declared & {"organization:", "publisher:", "xsd:", "prov:"}, declared
    status, media, body = _post(endpoint, {"query": construct}, accept="application/n-triples")
    assert status == 200 and media.startswith("application/n-triples") and len(body.splitlines()) == 5
    # Cut at the row limit (--max-rows 50): said in a header, as the results formats cannot say it.
    import urllib.request

    with urllib.request.urlopen(endpoint + "?query=" + "SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D",
                                timeout=30) as answer:
        assert answer.headers.get("X-KG-Truncated") == "50"


def _get(url: str, accept: str):
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=30) as answer:
            return answer.status, answer.headers.get("Content-Type"), answer.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type"), err.read()


def test_serve_takes_the_format_from_a_parameter_as_a_link_cannot_set_accept(endpoint):
    """``format=`` (Virtuoso's) or ``output=`` (Fuseki's) names the answer's format in place of ``Accept``:
    a link or a browser's address bar, which sends ``Accept: text/html, ...``, gets what it names."""
    import json
    import urllib.parse

    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    select = "SELECT ?e WHERE { ?e a schema:Event } ORDER BY ?e LIMIT 3"
    construct = "CONSTRUCT WHERE { ?e a schema:Event } LIMIT 4"

    def link(query: str | None = None, **named: str) -> str:
        return endpoint + "?" + urllib.parse.urlencode(({"query": query} if query else {}) | named)

    status, media, body = _get(link(select, format="csv"), browser)
    assert status == 200 and media.startswith("text/csv") and len(body.decode().splitlines()) == 4, body
    status, media, body = _get(link(select, output="JSON"), browser)
    assert status == 200 and media.startswith("application/sparql-results+json")
    assert len(json.loads(body)["results"]["bindings"]) == 3
    status, media, _ = _get(link(select, format="application/sparql-results+xml"), "text/csv")
    assert status == 200 and media.startswith("application/sparql-results+xml")
    # A name for both kinds of answer gives a graph in its graph syntax: JSON-LD, RDF/XML.
    status, media, body = _get(link(construct, format="json"), browser)
    assert status == 200 and media.startswith("application/ld+json")
    assert len(rdflib.Graph().parse(data=body.decode(), format="json-ld")) == 4
    status, media, body = _get(link(construct, format="ttl"), browser)
    assert status == 200 and media.startswith("text/turtle")
    # In a form's body too, and for the service description (no query: not the query page).
    status, media, _ = _post(endpoint, {"query": select, "format": "tsv"}, accept=browser)
    assert status == 200 and media.startswith("text/tab-separated-values")
    status, media, body = _get(link(format="nt"), browser)
    assert status == 200 and media.startswith("application/n-triples") and b"sparql-service-description" in body
    # Named but not written for that form: 406 saying so; a name kg does not know, or two formats, 400.
    status, _, said = _get(link(select, format="turtle"), browser)
    assert status == 406 and "SELECT answer as format=turtle" in said.decode(), said
    status, _, said = _get(link(select, format="excel"), browser)
    assert status == 400 and "format=excel names no format" in said.decode() and "csv" in said.decode(), said
    status, _, said = _get(link(select, format="csv", output="json"), browser)
    assert status == 400 and "format=csv and output=json" in said.decode(), said
    assert _get(link(select, format="csv", output="CSV"), browser)[0] == 200  # the same format, twice


def test_serve_describes_itself_and_offers_a_query_page(endpoint):
    import urllib.request

    with urllib.request.urlopen(urllib.request.Request(endpoint, headers={"Accept": "text/html"}), timeout=30) as page:
        text = page.read().decode()
        assert page.status == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
        assert "default-src 'none'" in page.headers["content-security-policy"]
        # Nothing to fetch from elsewhere (YASGUI, the usual endpoint page, loads a CDN's scripts).
        assert "<textarea" in text and not re.search(r"""(?:src|href)=["']?https?:""", text)
    with urllib.request.urlopen(urllib.request.Request(endpoint, headers={"Accept": "text/turtle"}),
                                timeout=30) as description:
        assert description.headers["content-type"] == "text/turtle; charset=utf-8"
        graph = rdflib.Graph().parse(data=description.read().decode(), format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = rdflib.Namespace("http://www.w3.org/ns/formats/")
    (service,) = graph.subjects(rdflib.RDF.type, sd.Service)
    # What it says is what it does: the endpoint as reached, query only, no SERVICE, nothing taken in,
    # every result format it writes (each asked for below), and the store's name, not its path.
    assert set(graph.objects(service, sd.endpoint)) == {rdflib.URIRef(endpoint)}
    assert set(graph.objects(service, sd.supportedLanguage)) == {sd.SPARQL11Query}
    assert not set(graph.objects(service, sd.feature)) and not set(graph.objects(service, sd.inputFormat))
    written = {formats.SPARQL_Results_JSON: ("SELECT", "application/sparql-results+json"),
               formats.SPARQL_Results_XML: ("SELECT", "application/sparql-results+xml"),
               formats.SPARQL_Results_CSV: ("SELECT", "text/csv"),
               formats["SPARQL_Results_TSV"]: ("SELECT", "text/tab-separated-values"),
               formats["JSON-LD"]: ("CONSTRUCT", "application/ld+json"),
               formats.RDF_XML: ("CONSTRUCT", "application/rdf+xml"),
               formats["N-Triples"]: ("CONSTRUCT", "application/n-triples"),
               formats.Turtle: ("CONSTRUCT", "text/turtle")}
    assert set(graph.objects(service, sd.resultFormat)) == set(written)
    for form, media in written.values():
        query = "SELECT ?s { ?s ?p ?o } LIMIT 1" if form == "SELECT" else "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"
        status, answered, _ = _post(endpoint, {"query": query}, accept=media)
        assert status == 200 and answered.split(";")[0] == media, (form, media, answered)
    (said,) = graph.objects(service, rdflib.namespace.DCTERMS.description)
    assert "graph.oxigraph" in said and "/tmp" not in said
    assert "timeout 2 s" in said and "at most 200 MB of memory" in said
    for media, syntax in (("application/rdf+xml", "xml"), ("application/ld+json", "json-ld"),
                          ("application/n-triples", "nt"), ("*/*", "turtle")):
        with urllib.request.urlopen(urllib.request.Request(endpoint, headers={"Accept": media}), timeout=30) as other:
            assert rdflib.Graph().parse(data=other.read().decode(), format=syntax).isomorphic(graph), media
    # Asked in nothing it writes: HTTP 406, for a query as for the description; elsewhere 404, PUT 405.
    assert _post(endpoint, {"query": "ASK { ?s ?p ?o }"}, accept="image/png")[0] == 406
    assert _get(endpoint, accept="image/png;q=1, text/turtle;q=0")[0] == 406
    # A POST without a query is malformed (the description is a GET's), not described.
    status, _, said = _post(endpoint, {})
    assert status == 400 and "carries a query: this one has none" in said.decode(), said
    # A type of the other kind of answer is not one it writes for that form: 406, not another type.
    for query, media in (("SELECT ?s { ?s ?p ?o } LIMIT 1", "application/n-triples"),
                         ("ASK { ?s ?p ?o }", "text/turtle"),
                         ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "text/csv"),
                         ("DESCRIBE ?s { ?s ?p ?o } LIMIT 1", "application/sparql-results+json")):
        status, _, said = _post(endpoint, {"query": query}, accept=media)
        assert status == 406 and query.split()[0] in said.decode(), (query, media)
    assert _post(endpoint, {"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"}, accept="text/*")[1].startswith(
        "text/turtle")
    assert _post(endpoint.removesuffix("sparql") + "elsewhere", {"query": "ASK {}"})[0] == 404
    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as put:
        urllib.request.urlopen(urllib.request.Request(endpoint, data=b"", method="PUT"), timeout=30)
    assert put.value.code == 405 and put.value.headers["allow"] == "GET, POST, HEAD, OPTIONS"
    # A body the protocol does not name is refused (415), not read as a form and described;
    # two queries in one request are malformed (400), not the first one answered.
    for media in ("text/plain", "application/json"):
        with pytest.raises(urllib.error.HTTPError) as other:
            urllib.request.urlopen(urllib.request.Request(endpoint, data=b"ASK { ?s ?p ?o }", headers={
                "Accept": "application/sparql-results+json", "Content-Type": media}), timeout=30)
        said = other.value.read().decode()
        assert other.value.code == 415 and media in said and "application/sparql-query" in said, said
    with pytest.raises(urllib.error.HTTPError) as twice:
        urllib.request.urlopen(endpoint + "?query=ASK%7B%7D&query=ASK%7B%7D", timeout=30)
    assert twice.value.code == 400 and "one query" in twice.value.read().decode()
    # A query that crashes the evaluator's process (a stack overflow) is the server's failure: 500, said so.
    status, _, said = _post(endpoint, {"query": "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000})
    assert status == 500 and "crashed" in said.decode(), said
    for url in (endpoint + "?query=ASK%7B%7D", endpoint + "?update=CLEAR%20ALL"):  # the body is the query
        with pytest.raises(urllib.error.HTTPError) as twice:
            urllib.request.urlopen(urllib.request.Request(url, data=b"SELECT * { ?s ?p ?o }", headers={
                "Content-Type": "application/sparql-query"}), timeout=30)
        assert twice.value.code == 400 and "in its URL" in twice.value.read().decode()
    # A POST whose form holds no query or update (its body read whole first) is malformed too.
    with pytest.raises(urllib.error.HTTPError) as formless:
        urllib.request.urlopen(urllib.request.Request(endpoint, data=b"x=1", headers={
            "Accept": "text/turtle", "Content-Type": "application/x-www-form-urlencoded"}), timeout=30)
    assert formless.value.code == 400 and "this one has none" in formless.value.read().decode()


def test_the_query_page_answers_in_a_browser_offline(endpoint, sample_graph):
    """In Chromium, with every request off the endpoint's origin refused: a query typed and run gives its table."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed")
    origin = endpoint.removesuffix("/sparql")
    elsewhere: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"], headless=True)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin)
                       else (elsewhere.append(route.request.url), route.abort()))
            page.on("pageerror", lambda err: errors.append(str(err)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.goto(origin + "/")  # the server's root leads to the endpoint's page
            assert page.url == endpoint
            page.click("#run")  # the example query: the contexts with most events
            page.wait_for_selector("#answer table")
            header = page.locator("#answer th").all_inner_texts()
            first = page.locator("#answer tbody tr").first.locator("td").all_inner_texts()
            assert header == ["context", "events"]
            top = kg.top_contexts(sample_graph, 1)  # (IRIs named as kg query's table names them)
            assert first[0].startswith("context:") and first[1] == str(top["events"].iloc[0])
            # An answer the server's --max-rows (50) cut says so; an error says the server's words.
            page.fill("#query", "SELECT ?e WHERE { ?e a schema:Event }")
            page.keyboard.press("Control+Enter")
            page.wait_for_selector("#status:has-text('rows')")  # (the page's policy forbids eval)
            assert "50 rows (cut at 50" in page.inner_text("#status")
            page.fill("#query", "SELEC ?x {}")
            page.click("#run")
            page.wait_for_selector("#status.error")
            assert page.inner_text("#status").startswith("HTTP 400: a query begins with SELECT")
            page.fill("#query", "ASK { ?e a schema:Event }")
            page.click("#run")
            page.wait_for_selector("#status:has-text('true')")
            # A run puts its query in the address; that link opened again gives the page with its answer.
            import urllib.parse

            link = page.url
            assert urllib.parse.parse_qs(urllib.parse.urlsplit(link).query) == {"query": ["ASK { ?e a schema:Event }"]}
            page.goto(origin + "/")
            page.goto(link)
            page.wait_for_selector("#status:has-text('true')")
            assert page.input_value("#query") == "ASK { ?e a schema:Event }"
            page.goto(endpoint + "?" + urllib.parse.urlencode({"query": "SELECT ?e WHERE { ?e a kg:Event } LIMIT 2"}))
            page.wait_for_selector("#answer table")
            assert page.locator("#answer tbody tr").count() == 2
            # A graph comes as Turtle (the form read past comments and the prologue, as kg reads it).
            page.fill("#query", "# SELECT\nPREFIX x: <http://x/#SELECT>\nDESCRIBE context:Iran")
            page.click("#run")
            page.wait_for_selector("#answer pre")
            described = rdflib.Graph().parse(data=page.inner_text("#answer pre"), format="turtle")
            iran = rdflib.URIRef(sample_graph.base_iri + "context/Iran")
            assert (iran, rdflib.URIRef("http://schema.org/name"), rdflib.Literal("Iran")) in described
        finally:
            browser.close()
    # (Chromium logs the 400 answer to the query that does not parse as a failed load)
    assert elsewhere == [] and [e for e in errors if "status of 400" not in e] == []


def test_the_query_page_names_iris_as_kg_query_does():
    """The page's prefixed names (its own script) are kg.query.pnames's, for odd names too."""
    import random

    from kg.query.pnames import prefixed_name
    from kg.query.querypage import query_page

    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed")
    prefixes = {"context": "https://kg.example.org/news/context/", "event": "https://kg.example.org/news/event/",
                "kg": "https://w3id.org/kg-news/ontology#"}
    pool = "aZ09_-.:%~/#()'!$&*+,;=?@ \u00e9\u00b7\u0301\u203f\u2460\u4e00\U00010000<>\"{}|^`\\"
    rng = random.Random(7)
    names = [ns + "".join(rng.choice(pool) for _ in range(rng.randint(0, 8)))
             for ns in prefixes.values() for _ in range(700)] + ["https://kg.example.org/news/context/%41%4"]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"], headless=True)
        try:
            page = browser.new_page()
            page.set_content(query_page(prefixes).decode())  # (no CSP header here: the test evaluates)
            shown = page.evaluate("(names) => names.map(short)", names)
        finally:
            browser.close()
    assert shown == [prefixed_name(name, prefixes) for name in names]


def test_serve_s_root_leads_a_query_to_the_endpoint(endpoint):
    """A query sent to the server's root is redirected with it: its URL's query string, and a POST's
    method and body (307), so that following the redirect answers it."""
    import http.client
    import json
    import urllib.parse
    import urllib.request

    port = urllib.parse.urlsplit(endpoint).port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/?query=ASK%7B%7D")
        answer = connection.getresponse()
        answer.read()
        assert (answer.status, answer.getheader("location")) == (307, "/sparql?query=ASK%7B%7D")
        connection.request("POST", "/", body="query=ASK%7B%7D",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        answer = connection.getresponse()
        answer.read()
        assert (answer.status, answer.getheader("location")) == (307, "/sparql")
        connection.request("GET", "/")
        answer = connection.getresponse()
        answer.read()
        assert (answer.status, answer.getheader("location")) == (307, "/sparql")
    finally:
        connection.close()
    root = endpoint.removesuffix("sparql") + "?query=" + urllib.parse.quote("ASK { ?s ?p ?o }")
    request = urllib.request.Request(root, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as followed:
        assert json.loads(followed.read())["boolean"] is True


def test_serve_answers_head_as_get_without_the_body(endpoint):
    import urllib.parse
    import urllib.request

    ask = endpoint + "?query=" + urllib.parse.quote("ASK { ?e a schema:Event }")
    for url, accept in ((ask, "application/sparql-results+json"), (endpoint, "text/turtle"), (endpoint, "text/html")):
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=30) as got:
            body, headers = got.read(), got.headers
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}, method="HEAD"),
                                    timeout=30) as head:
            assert head.status == 200 and head.read() == b""
            assert head.headers["content-type"] == headers["content-type"]
            assert int(head.headers["content-length"]) == len(body)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize("timeout", ["30", "0"])
def test_serve_stops_a_query_whose_client_went_away(built, timeout):
    """Not at its timeout (30 s; or never, 0): the query's process goes as soon as the connection does."""
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(built / "graph.oxigraph"),
                             "--port", "0", "--timeout", timeout],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        port = _serving_port(proc)
        import urllib.parse

        client = socket.create_connection(("127.0.0.1", port), timeout=10)
        client.sendall(f"GET /sparql?query={urllib.parse.quote(SLOW)} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        deadline = time.monotonic() + 10
        while not _children(proc.pid):  # the query's own process
            assert time.monotonic() < deadline, "no query process started"
            time.sleep(0.05)
        client.close()
        gone_by = time.monotonic() + 10
        while _children(proc.pid):
            assert time.monotonic() < gone_by, "the query ran on after its client went away"
            time.sleep(0.1)
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_serve_answers_a_quick_query_while_more_slow_ones_run_than_asyncio_has_threads(built):
    """asyncio's shared threads (cpu_count + 4) each waited on one slow query: the next client waited for
    one of them to end, an ASK {} 28 s on two cores. The endpoint's own threads wait on them now."""
    import json
    import urllib.parse
    import urllib.request

    from kg.query.serve import MAX_RUNNING

    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(built / "graph.oxigraph"),
                             "--port", "0", "--timeout", "60"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    slow = min(MAX_RUNNING - 1, (os.cpu_count() or 1) + 5)
    clients = []
    try:
        port = _serving_port(proc)
        for _ in range(slow):
            client = socket.create_connection(("127.0.0.1", port), timeout=10)
            client.sendall(f"GET /sparql?query={urllib.parse.quote(SLOW)} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            clients.append(client)
        deadline = time.monotonic() + 30
        while len(_children(proc.pid)) < slow:  # every slow query's process runs
            assert time.monotonic() < deadline, f"{len(_children(proc.pid))} of {slow} query processes started"
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/sparql?query={urllib.parse.quote('ASK {}')}"
        # Answered while they run: before the first of them would end at its timeout (60 s).
        with urllib.request.urlopen(url, timeout=50) as answer:
            assert json.loads(answer.read())["boolean"] is True
    finally:
        for client in clients:
            client.close()
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_serve_refuses_a_query_past_max_running_at_once_and_answers_again_after(built):
    import json
    import urllib.error
    import urllib.parse
    import urllib.request

    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(built / "graph.oxigraph"),
                             "--port", "0", "--timeout", "60", "--max-running", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    clients = []
    try:
        port = _serving_port(proc)
        for _ in range(2):
            client = socket.create_connection(("127.0.0.1", port), timeout=10)
            client.sendall(f"GET /sparql?query={urllib.parse.quote(SLOW)} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            clients.append(client)
        deadline = time.monotonic() + 30
        while len(_children(proc.pid)) < 2:  # both slow queries' processes run
            assert time.monotonic() < deadline, f"{len(_children(proc.pid))} of 2 query processes started"
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/sparql?query={urllib.parse.quote('ASK {}')}"
        with pytest.raises(urllib.error.HTTPError) as busy:  # the third: refused at once, not kept waiting
            urllib.request.urlopen(url, timeout=20)
        assert busy.value.code == 503 and busy.value.headers["retry-after"] == "1"
        assert json.loads(busy.value.read())["message"] == "busy: 2 queries are being answered; ask again later"
        for client in clients:  # the clients go: their queries are stopped, and the endpoint answers again
            client.close()
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=20) as answer:
                    assert answer.status == 200
                    break
            except urllib.error.HTTPError as err:
                assert err.code == 503 and time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        for client in clients:
            client.close()
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    bad = subprocess.run([sys.executable, "-m", "kg.cli", "serve", str(built / "graph.oxigraph"), "--max-running", "0"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--max-running" in bad.stderr


def test_serve_leaves_a_signal_it_inherits_ignored(built):
    """Started as a shell's background job (SIGINT ignored), kg serve exited 0 without a word at a Ctrl-C
    meant for the shell: uvicorn takes both signals.  It now leaves it ignored, as kg build does, and
    SIGTERM still stops it (exit 143, said)."""
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(built / "graph.oxigraph"),
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        port = _serving_port(proc)
        for _ in range(2):  # (answering: its handlers are set)
            status, _, body = _post(f"http://127.0.0.1:{port}/sparql", {"query": "ASK { ?s ?p ?o }"})
            assert status == 200 and b"true" in body
            os.kill(proc.pid, signal.SIGINT)
            with pytest.raises(subprocess.TimeoutExpired):  # (before, it was gone within a second, exit 0)
                proc.wait(timeout=3)
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=60) == 128 + signal.SIGTERM
        assert proc.stdout is not None and proc.stdout.read().decode() == "kg: terminated\n"
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_stopped_stops_the_queries_it_runs(built, sig):
    """Stopped while a query runs without a timeout, the server stops it (HTTP 503) rather than wait forever."""
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(built / "graph.oxigraph"),
                             "--port", "0", "--timeout", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    answers: list[tuple[int, str | None, bytes]] = []
    try:
        port = _serving_port(proc)
        import threading

        asking = threading.Thread(target=lambda: answers.append(
            _post(f"http://127.0.0.1:{port}/sparql", {"query": SLOW})))
        asking.start()
        deadline = time.monotonic() + 20
        while not _children(proc.pid):  # the query's own process
            assert time.monotonic() < deadline, "no query process started"
            time.sleep(0.05)
        (query,) = _children(proc.pid)
        os.kill(proc.pid, sig)
        assert proc.wait(timeout=60) == 128 + sig  # (before, it waited on the query: forever, with no timeout)
        asking.join(timeout=60)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)
    assert answers and answers[0][0] == 503 and b"stopping" in answers[0][2], answers
    assert not Path(f"/proc/{query}").exists()  # the query's process went with it


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_kg_query_without_a_timeout_stops_at_a_signal(built, sig):
    """The store's evaluator does not stop for a signal: its process is killed, and kg query exits 130/143."""
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", str(built / "graph.ttl"), SLOW,
                             "--timeout", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 60
        while not _children(proc.pid):
            assert time.monotonic() < deadline, "no query process started"
            time.sleep(0.05)
        (query,) = _children(proc.pid)
        os.kill(proc.pid, sig)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)
    assert proc.returncode == 128 + sig and err in ("kg: interrupted\n", "kg: terminated\n"), err
    assert not Path(f"/proc/{query}").exists()


def test_serve_says_in_one_line_that_the_port_is_in_use(endpoint, built):
    port = endpoint.split(":")[2].split("/")[0]
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "serve", str(built / "graph.oxigraph"), "--port", port],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == f"kg: error: cannot listen on 127.0.0.1:{port}: the port is in use\n"
    assert proc.stdout == ""  # said before "serving ..."
    # A source no read can take is said first: fixing the port would only lead to it.
    for source, said in ((built, "is a folder but not a store"), (Path(__file__), "cannot tell the format")):
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "serve", str(source), "--port", port],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and said in proc.stderr and "port" not in proc.stderr, proc.stderr


def test_serve_on_every_interface_says_so(built):
    """An endpoint with no authentication open to the network is said in its line, not as localhost, however
    the any-address is spelt ("0" is 0.0.0.0)."""
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(built / "graph.ttl"), "--port", "0",
                             "--host", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("kg: serving ") and line.endswith("/sparql (read-only on every interface)\n"), line
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_serve_on_port_0_names_the_port_it_took(built):
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(built / "graph.ttl"), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("kg: serving ") and line.endswith("/sparql (read-only)\n"), line
        url = line.split(" at ")[1].split(" ")[0]
        from SPARQLWrapper import JSON, SPARQLWrapper

        client = SPARQLWrapper(url)
        client.setReturnFormat(JSON)
        client.setQuery("ASK { ?s ?p ?o }")
        assert client.queryAndConvert()["boolean"] is True
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    # Stopped, it says so, and nothing of files: it writes none.
    assert proc.returncode == 143
    assert proc.stderr is not None and proc.stderr.read().strip() == "kg: terminated"


# ------------------------------------------------------------------ N-Quads and TriG: the graph in a named graph

EVENTS = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a schema:Event }"


@pytest.fixture(scope="module")
def datasets(tmp_path_factory) -> Path:
    out = _kg_build(tmp_path_factory.mktemp("datasets"), "nquads,trig")
    (out / "graph.nq.gz").write_bytes(gzip.compress((out / "graph.nq").read_bytes()))
    return out


@pytest.mark.parametrize("name", ["graph.nq", "graph.nq.gz", "graph.trig"])
def test_kg_query_sees_the_named_graph_and_the_description_together(datasets, sample_graph, capsys, name):
    """kg writes the graph into a named graph and its description into the default graph: a
    query that names no graph sees both (as over Turtle, plus the description)."""
    source = datasets / name
    assert main(["query", str(source), EVENTS, "--format", "tsv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split("^^")[0].strip('"') == str(len(sample_graph.event_records))
    described = "SELECT (COUNT(*) AS ?n) WHERE { ?d a <http://rdfs.org/ns/void#Dataset> }"
    assert main(["query", str(source), described, "--format", "tsv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split("^^")[0].strip('"') != "0"
    # The description's vocabulary is bound as void:, as the data's are.
    triples = "SELECT ?t WHERE { ?d a void:Dataset ; void:triples ?t }"
    assert main(["query", str(source), triples, "--format", "tsv"]) == 0
    assert int(capsys.readouterr().out.splitlines()[1].split("^^")[0].strip('"')) > len(sample_graph.event_records)
    # Asked inside GRAPH, as of the store (which keeps it in a named graph), it is not there: said, not silent.
    assert main(["query", str(source), "SELECT ?n { GRAPH ?g { ?d a void:Dataset ; void:triples ?n } }"]) == 0
    assert capsys.readouterr() == ("(no results)\n", "kg: note: void:Dataset is in the build's description, in the "
                                   "default graph: read it outside GRAPH { ... }\n")
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?e a schema:Event } }"
    assert main(["query", str(source), named, "--format", "tsv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2  # one named graph holds the events
    # A query that names its dataset gets that one, not the union: FROM that graph, or FROM no graph.
    for dataset, events in ((out[1], len(sample_graph.event_records)), ("<http://example.org/no-such-graph>", 0)):
        assert main(["query", str(source), EVENTS.replace("WHERE", f"FROM {dataset} WHERE"), "--format", "tsv"]) == 0
        assert capsys.readouterr().out.splitlines()[1].split("^^")[0].strip('"') == str(events), dataset
    assert main(["query", str(source), described.replace("WHERE", f"FROM {out[1]} WHERE"), "--format", "tsv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split("^^")[0].strip('"') == "0"  # (it is in the default graph)


def test_evaluate_without_union_sees_the_default_graph_only(datasets):
    store = open_store(datasets / "graph.nq")
    answer = evaluate(store, EVENTS, "tsv")
    assert answer.text.splitlines()[1].split("^^")[0].strip('"') == "0"
    assert evaluate(store, EVENTS, "tsv", union=True).text != answer.text


def test_serve_over_n_quads_answers_from_the_named_graph(datasets, sample_graph):
    from SPARQLWrapper import JSON, SPARQLWrapper

    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(datasets / "graph.nq"), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        client = SPARQLWrapper(line.split(" at ")[1].split(" ")[0])
        client.setReturnFormat(JSON)
        client.setQuery("PREFIX schema: <http://schema.org/>\n" + EVENTS)
        rows = client.queryAndConvert()["results"]["bindings"]
        assert int(rows[0]["n"]["value"]) == len(sample_graph.event_records)
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_a_query_that_does_not_parse_is_one_short_line(built, capsys):
    """Oxigraph's message lists every character class it expected; the user gets where and what."""
    assert main(["query", str(built / "graph.ttl"), "SELECT * WHERE { ?s undeclared:x ?o }"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("kg: error: SPARQL query failed: "
                          "at line 1, column 33, after '…ECT * WHERE { ?s undeclared:x': ")
    assert "Prefix not found" in err and len(err) < 250
    # Lines as the parser counts them (line feeds alone), not as str.splitlines would.
    assert main(["query", str(built / "graph.ttl"), 'SELECT * WHERE { ?s ?p "a\u2028b" . ?s undeclared:x ?o }']) == 2
    err = capsys.readouterr().err
    assert "column 47, after '…?s ?p \"a\\u2028b\" . ?s undeclared:x': " in err  # (repr shows it escaped)


@pytest.mark.parametrize(("query", "said"), [
    ("SELECT ?e { ?e schema:about context:United States }",
     "context:United States: a prefixed name holds no space; did you mean context:United_States?"),
    ("SELECT ?e { ?e schema:about context:Typhoon_Dujuan_(2015) }",
     "context:Typhoon_Dujuan_(2015): did you mean context:Typhoon_Dujuan_%282015%29 (the name 'Typhoon Dujuan "
     "(2015)')?"),
    ("SELECT ?h { event:2015-09-01/nowhere schema:name ?h }", "event:2015-09-01/nowhere: did you mean "
     "event:2015-09-01\\/nowhere?"),
    ("SELECT ?e { ?e shema:about ?c }", "shema: is declared nowhere: did you mean schema:?"),
    ("SELECT ?e { ?e a kg:Event } LIMT 2", "LIMT: no keyword of SPARQL; did you mean LIMIT?"),
    ('SELECT ?e { ?e schema:name ?h FILTER(CONTIANS(?h, "Iran")) }',
     "CONTIANS: no keyword of SPARQL; did you mean CONTAINS?"),
    # (a name written right that the graph does not hold is said to be so: the hint named it as if it were)
    ("SELECT ?e { ?e schema:about context:Nowhere Land }", "context:Nowhere Land: a prefixed name holds no space; "
     "did you mean context:Nowhere_Land (which the graph does not hold)?"),
    ("SELECT ?e { ?e schema:about context:Nowhere,_Utah }", "context:Nowhere,_Utah: did you mean "
     "context:Nowhere%2C_Utah (the name 'Nowhere, Utah', which the graph does not hold)?"),
    # (the parser says "should be a non negative integer" of a count past 64 bits)
    ("SELECT ?e { ?e a kg:Event } LIMIT 100000000000000000000", "LIMIT 100000000000000000000: past "
     "18,446,744,073,709,551,615, the largest the engine reads; leave LIMIT out for every row"),
    ("SELECT ?e { ?e a kg:Event } offset 18446744073709551616", "offset 18446744073709551616: past "
     "18,446,744,073,709,551,615, the largest the engine reads; no answer holds that many rows"),
])
def test_a_query_that_does_not_parse_for_a_name_typed_as_it_reads_is_told_how_to_write_it(built, capsys, query,
                                                                                          said):
    """The parser's "expected OPTIONAL" did not tell that a prefixed name holds no space, a comma or a slash
    unescaped, nor which prefix or keyword a misspelt one was."""
    assert main(["query", str(built / "graph.ttl"), query]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith(f"; {said}\n"), err


def test_a_name_with_a_comma_that_does_not_parse_is_said_to_be_its_parts(built, capsys):
    """The graph holds a Context line's names split on commas: "Hildale,_Utah" is two."""
    assert main(["query", str(built / "graph.ttl"), "ASK { ?e schema:about context:Hildale,_Utah }"]) == 2
    assert capsys.readouterr().err.endswith("; context:Hildale,_Utah: the graph holds context:Hildale and "
                                            "context:Utah (Context lines split names on commas)\n")


@pytest.mark.parametrize(("query", "said"), [
    ("SELECT ?e (COUNT(?x) AS ?n) WHERE { ?e a kg:Event ; schema:subjectOf ?x }",
     "The SELECT contains a variable that is unbound (with GROUP BY or an aggregate, SELECT names only what is "
     "grouped by: GROUP BY ?v, or GROUP BY (... AS ?v))"),
    ("SELECT (1 AS ?x) (2 AS ?x) {}", "Duplicated variable name in SELECT"),
])
def test_a_check_the_parser_makes_is_said_alone_and_whole(built, capsys, query, said):
    """Oxigraph lists a failed check among the tokens it expected, and the list cut it off."""
    assert main(["query", str(built / "graph.ttl"), query]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith(f": {said}\n") and "expected" not in err


@pytest.mark.parametrize(("query", "said"), [
    ("SELEC ?s WHERE { ?s ?p ?o }", "not 'SELEC': did you mean SELECT?"),
    ("# SELECT\nPREFIX ex: <http://x/#SELECT>\ndescibe ex:a", "not 'descibe': did you mean DESCRIBE?"),
    ("{ ?s ?p ?o }", "not '{'"),
])
def test_a_text_that_begins_with_no_query_form_says_which_forms_there_are(built, capsys, query, said):
    """The parser would say "expected CONSTRUCT" (for SELEC): every form is named, and the nearest one."""
    assert main(["query", str(built / "graph.ttl"), query]) == 2
    err = capsys.readouterr().err
    assert err == ("kg: error: a query begins with SELECT, ASK, CONSTRUCT or DESCRIBE (after any PREFIX and BASE "
                   f"declarations), {said}\n")


def test_an_empty_graph_file_is_said_to_hold_nothing_rather_than_each_term_unused(tmp_path, capsys):
    """An empty file (a wrong one, or an empty corpus's N-Triples) gave "(no results)" alone, or a note
    for every term of the query as if each were misspelt."""
    for name in ("graph.ttl", "graph.nt"):
        (tmp_path / name).write_bytes(b"")
        assert main(["query", str(tmp_path / name), "SELECT ?e { ?e schema:about context:Iran }"]) == 0
        assert capsys.readouterr() == ("(no results)\n", f"kg: note: {tmp_path / name} holds no triples\n")
    # An empty corpus's store holds the build's description, and no triple of a graph.
    (tmp_path / "empty" / "news").mkdir(parents=True)
    out = str(tmp_path / "out")
    assert main(["build", str(tmp_path / "empty"), "-o", out, "--formats", "oxigraph", "--quiet"]) == 0
    store = tmp_path / "out" / "graph.oxigraph"
    assert main(["query", str(store), "SELECT ?e { ?e schema:about context:Iran }"]) == 0
    assert capsys.readouterr() == ("(no results)\n", f"kg: note: {store} holds no triples\n")
    assert main(["query", str(store), "SELECT ?t { ?d void:triples ?t }"]) == 0  # (but its description)
    said = capsys.readouterr().err.splitlines()
    assert said[0] == f"kg: note: {store} holds no triples" and "is in the build's description" in said[1]


def test_a_from_graph_the_file_does_not_hold_is_said_rather_than_a_silent_zero(built, sample_graph, tmp_path, capsys):
    """A query written for a store that keeps the graph under a name (README's Virtuoso query) counted 0 events
    of a file or store that keeps its triples in the default graph, and said nothing of why."""
    query = ("PREFIX schema: <http://schema.org/> PREFIX g: <https://kg.example.org/> SELECT (COUNT(*) AS ?n) "
             "FROM <https://kg.example.org/news/> FROM NAMED g:other WHERE { ?e a schema:Event }")
    for source in ("graph.ttl", "graph.oxigraph"):
        assert main(["query", str(built / source), query]) == 0
        out, err = capsys.readouterr()
        assert out == "n\n0\n"
        assert err.splitlines() == [
            f"kg: note: {graph} names a graph that {built / source} does not hold: its triples are in the "
            "default graph, which a query without FROM reads" for graph in
            ("FROM <https://kg.example.org/news/>", "FROM NAMED <https://kg.example.org/other>")]
    # N-Quads keep the graph under the build's name: the note names it, and FROM it counts the events.
    nquads = _kg_build(tmp_path, "nquads") / "graph.nq"
    assert main(["query", str(nquads), query]) == 0
    _, err = capsys.readouterr()
    named = re.search(r"its data is in the graph <([^>]+)>, which a query without FROM reads\n", err)
    assert named is not None and err.count("kg: note:") == 2, err
    assert main(["query", str(nquads), query.replace("https://kg.example.org/news/", named.group(1))]) == 0
    assert capsys.readouterr() == ("n\n428\n", "")
    with pytest.warns(UserWarning) as caught:
        assert kg.sparql_query(sample_graph, query)["n"].tolist() == [0]
    assert [str(w.message) for w in caught] == [
        f"{graph} names a graph that the KnowledgeGraph does not hold: its triples are in the default graph, "
        "which a query without FROM reads" for graph in
        ("FROM <https://kg.example.org/news/>", "FROM NAMED <https://kg.example.org/other>")]
    # The graph as a relative IRI against BASE, or a prefixed name with an escape: the graph held is not said.
    graph = named.group(1)
    base, last = graph.rsplit("/", 1)
    escaped = "g:" + last.replace(".", "\\.")
    for query in (f"BASE <{base}/> ASK FROM <{last}> {{ ?s ?p <http://nothing/> }}",
                  f"PREFIX g: <{base}/> ASK FROM {escaped} {{ ?s ?p <http://nothing/> }}"):
        assert main(["query", str(nquads), query]) == 0
        out, err = capsys.readouterr()
        assert (out, err) == ("false\n", "")


def test_an_empty_answer_from_a_file_with_a_blank_node_graph_is_noted_as_before(tmp_path, capsys):
    """The FROM note looked at every graph's IRI, and a blank node's made it an internal error (exit 70)."""
    (tmp_path / "b.nq").write_text('<http://x/a> <http://x/b> "c" _:g1 .\n', encoding="utf-8")
    assert main(["query", str(tmp_path / "b.nq"), "SELECT * { ?s ?p <http://nothing/> }"]) == 0
    assert capsys.readouterr().out == "(no results)\n"
    assert main(["query", str(tmp_path / "b.nq"), "SELECT * FROM <http://x/g> { ?s ?p ?o }"]) == 0
    err = capsys.readouterr().err
    assert "kg: note: FROM <http://x/g> names a graph that" in err and "its data is in the graph _:" in err, err


def test_a_false_ask_names_the_terms_the_graph_never_uses_and_warnings_name_the_callers_line(built, sample_graph,
                                                                                            capsys):
    """ASK's false is its empty answer: a misspelt name is as likely the reason.  In Python each
    function's warning points at the line that called it, not into kg."""
    import warnings

    import kg

    graph = str(built / "graph.ttl")
    assert main(["query", graph, "ASK { ?e schema:about context:Irann }"]) == 0
    assert capsys.readouterr() == ("false\n", "kg: note: context:Irann names nothing in the graph: did you mean "
                                   "context:Iran?\n")
    assert main(["query", graph, "ASK { ?e schema:about context:Iran }"]) == 0
    assert capsys.readouterr() == ("true\n", "")
    missing = "{ ?e schema:about context:Irann }"
    for call, query in ((kg.sparql_query, f"SELECT ?e {missing}"), (kg.query_df, f"SELECT ?e {missing}"),
                        (kg.ask, f"ASK {missing}"), (kg.construct, f"CONSTRUCT {{ ?e a kg:Event }} WHERE {missing}")):
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            call(sample_graph, query)
        assert [(w.filename, str(w.message)) for w in said if issubclass(w.category, UserWarning)] == [
            (__file__, "context:Irann names nothing in the graph: did you mean context:Iran?")], call


def test_an_empty_answer_says_a_node_was_asked_for_as_a_property(built, sample_graph, capsys):
    """``?e context:Iran ?x`` parses and answers nothing: the context is a node, never a predicate."""
    import warnings

    import kg

    graph = str(built / "graph.ttl")
    base = sample_graph.base_iri
    query = (f"SELECT * {{ ?e context:Iran ?x ; <{base}day/2015-09-01> ?d . "
             "?a ^publisher:Reuters/schema:name ?n . ?e schema:about context:Syria }")
    assert main(["query", graph, query]) == 0
    assert capsys.readouterr() == ("(no results)\n", "".join(f"kg: note: {note}\n" for note in (
        "context:Iran is a node of the graph, not a property: no triple has it as a predicate (the events about "
        "it: ?e schema:about context:Iran)",
        "publisher:Reuters is a node of the graph, not a property: no triple has it as a predicate (the articles "
        "it is credited with: ?a schema:publisher publisher:Reuters)",
        f"<{base}day/2015-09-01> is a node of the graph, not a property: no triple has it as a predicate (the "
        f"events of it: ?e kg:onDay <{base}day/2015-09-01>)")))
    # A name the graph does not hold is said to name nothing, not to be a node of it too.
    assert main(["query", graph, "SELECT * { ?s context:Nowhere_Land ?o }"]) == 0
    assert capsys.readouterr() == ("(no results)\n", "kg: note: context:Nowhere_Land names nothing in the graph: "
                                                    "did you mean context:Northern_Ireland?\n")
    # A query too long to look into in good time (after the query's own limit), a program's, gets no note.
    from kg.query.querytext import MAX_NOTED_QUERY

    values = " ".join(f'"v{n}"' for n in range(MAX_NOTED_QUERY // 6))
    assert main(["query", graph, f"SELECT * {{ ?e context:Iran ?x }} VALUES ?z {{ {values} }}"]) == 0
    assert capsys.readouterr() == ("(no results)\n", "")
    assert main(["query", graph, f"SELECT * {{ ?e context:Irann ?x }} VALUES ?z {{ {values} }}"]) == 0
    assert capsys.readouterr() == ("(no results)\n", "")
    # A query in a form Oxigraph alone reads (ADJUST, SPARQL 1.2's) gets no such note, rather than a failure.
    adjusted = 'SELECT * { ?e context:Iran ?x FILTER(ADJUST(?x, "PT0S"^^xsd:dayTimeDuration) = ?x) }'
    assert main(["query", graph, adjusted]) == 0
    assert capsys.readouterr() == ("(no results)\n", "")
    # As an object, where it belongs, it gets no such note.
    assert main(["query", graph, "ASK { ?e schema:about context:Iran ; kg:onDay day:2015-09-02 . "
                                 "?e schema:about ?c FILTER(?c = context:Syria) }"]) == 0
    assert capsys.readouterr() == ("false\n", "")
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        assert kg.ask(sample_graph, "ASK { ?e organization:afp ?x }") is False
        # (as the organization's name is spelt, its IRI is not: the one it means is said)
        assert kg.ask(sample_graph, "ASK { ?p kg:madeBy organization:AFP }") is False
    assert [str(w.message) for w in said if issubclass(w.category, UserWarning)] == [
        "organization:afp is a node of the graph, not a property: no triple has it as a predicate (its publishers: "
        "?p kg:madeBy organization:afp)",
        "organization:AFP names nothing in the graph: did you mean organization:afp (an organization's IRI is made of "
        "its name's letters and digits, in lower case, less a leading \"The\" or a \"News\" after initials)?"]


def test_a_name_typed_in_short_is_offered_the_name_it_shortens(built, sample_graph, capsys):
    """publisher:NYTimes was offered publisher:NL_Times (one letter away) first, not the New York Times."""
    assert main(["query", str(built / "graph.ttl"), "ASK { ?a schema:publisher publisher:NYTimes }"]) == 0
    assert capsys.readouterr().err == (
        "kg: note: publisher:NYTimes names nothing in the graph: did you mean publisher:New_York_Times or "
        "publisher:The_New_York_Times or publisher:NL_Times?\n")
    with pytest.raises(kg.UnknownNameError, match="did you mean 'New York Times', 'The New York Times', 'NL Times'"):
        kg.events(sample_graph, publisher="NYTimes")
    # An organization's IRI, its name's letters alone, is offered the organizations of the publishers' names.
    assert main(["query", str(built / "graph.ttl"), "ASK { ?p kg:madeBy organization:nytimes }"]) == 0
    assert capsys.readouterr().err == (
        "kg: note: organization:nytimes names nothing in the graph: did you mean organization:newyorktimes or "
        "organization:nltimes or organization:nytimesblogs?\n")


def test_an_empty_answer_names_the_terms_the_graph_never_uses(built, sample_graph, capsys):
    """"(no results)" alone does not tell a misspelt or wrong term from an empty match."""
    graph = str(built / "graph.ttl")
    query = "SELECT ?e ?h WHERE { ?e schema:about context:Iran ; schema:headline ?h ; kg:onday ?d }"
    assert main(["query", graph, query]) == 0
    out, err = capsys.readouterr()
    assert out == "(no results)\n"
    assert err.splitlines() == [
        "kg: note: schema:headline is not a term of the graph (the schema: properties kg writes: about, "
        "alternateName, contentUrl, image, name, publisher, sameAs, startDate, subjectOf, url)",
        "kg: note: kg:onday is not a term of the graph: did you mean kg:onDay?"]
    assert main(["query", graph, "SELECT * { ?e schema:about context:Irann, context:Iran }", "--format", "csv"]) == 0
    assert capsys.readouterr().err == "kg: note: context:Irann names nothing in the graph: did you mean context:Iran?\n"
    # One of kg's prefixes bound to another namespace by the query: a count of nothing says so too.
    rebound = "PREFIX context: <urn:x/> SELECT (COUNT(*) AS ?n) { ?e schema:about context:Iran }"
    assert main(["query", graph, rebound, "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert out.split() == ["n", "0"]
    base = sample_graph.base_iri
    assert err == (f"kg: note: context:Iran names nothing in the graph: the query binds context: to <urn:x/>; "
                   f"in the graph context: is <{base}context/>\n")
    # Bound to a namespace inside kg's (a day's events): its names may be the graph's, and it is not blamed.
    day = f"{base}event/2015-09-01/"
    assert main(["query", graph, f"PREFIX event: <{day}> SELECT ?h {{ event:nosuch-slug schema:name ?h }}"]) == 0
    assert "binds" not in capsys.readouterr().err
    rebound = "PREFIX schema: <http://example.org/other/> SELECT * { ?e schema:headline ?h }"
    assert main(["query", graph, rebound]) == 0
    assert capsys.readouterr() == ("(no results)\n", "kg: note: schema:headline names nothing in the graph: the query "
                                   "binds schema: to <http://example.org/other/>; in the graph schema: is "
                                   "<http://schema.org/>\n")
    # A name typed as it reads: the IRI kg mints from it is suggested, and it is the context's.
    typed = "context:Typhoon_Dujuan_\\(2015\\)"
    assert main(["query", graph, f"SELECT * {{ ?e schema:about {typed} }}", "--format", "csv"]) == 0
    err = capsys.readouterr().err
    assert err == (f"kg: note: {typed} names nothing in the graph: did you mean context:Typhoon_Dujuan_%282015%29 "
                   "(the name 'Typhoon Dujuan (2015)')?\n")
    assert main(["query", graph, "SELECT ?e { ?e schema:about context:Typhoon_Dujuan_%282015%29 } LIMIT 1"]) == 0
    assert capsys.readouterr().out.count("event:") == 1
    # The same in a full IRI, with a name as it reads, letters outside ASCII too (kg's IRI is percent-encoded).
    typed = f"<{base}context/Otto_P\u00e9rez_Molina>"
    assert main(["query", graph, f"SELECT * {{ ?e schema:about {typed} }}", "--format", "csv"]) == 0
    assert capsys.readouterr().err == (f"kg: note: {typed} names nothing in the graph: did you mean "
                                       "context:Otto_P%C3%A9rez_Molina (the name 'Otto P\u00e9rez Molina')?\n")
    misspelt = f"<{base}context/Irann>"
    assert main(["query", graph, f"ASK {{ ?e schema:about {misspelt}, <{base}context/Iran> }}"]) == 0
    assert capsys.readouterr() == ("false\n", f"kg: note: {misspelt} names nothing in the graph: did you mean "
                                   "context:Iran?\n")
    # schema.org's https IRI (kg writes http://schema.org/), as a prefix or in full: said so.
    assert main(["query", graph, "PREFIX schema: <https://schema.org/> SELECT * { ?e schema:about ?c }"]) == 0
    assert capsys.readouterr() == ("(no results)\n", "kg: note: schema:about names nothing in the graph: schema: is "
                                   "bound to <https://schema.org/>, and the graph writes that vocabulary as "
                                   "<http://schema.org/>\n")
    assert main(["query", graph, "SELECT * { ?e <https://schema.org/about> ?c ; <http://schema.org/name> "
                                 "'<https://schema.org/x>' }"]) == 0
    assert capsys.readouterr() == ("(no results)\n", "kg: note: <https://schema.org/about> names nothing in the "
                                   "graph, which writes that vocabulary as <http://schema.org/>: did you mean "
                                   "<http://schema.org/about>?\n")
    # An empty answer of terms the graph uses, or a datatype's cast: no note.
    for quiet in ('SELECT ?e { ?e a kg:Event ; schema:name "no such headline" }',
                  'SELECT ?x { BIND(xsd:integer("1") AS ?x) FILTER(?x > 5) }',
                  f"SELECT * {{ <{kg.iri.context_iri(sample_graph.base_iri, 'Iran')}> <http://schema.org/name> "
                  "'no' ; a <http://www.w3.org/2004/02/skos/core#Concept> }"):
        assert main(["query", graph, quiet]) == 0
        assert capsys.readouterr() == ("(no results)\n", "")
    # Nor when there is an answer.
    assert main(["query", graph, "SELECT ?e { ?e schema:about context:Iran } LIMIT 1", "--format", "tsv"]) == 0
    assert capsys.readouterr().err == ""
    # A count of nothing is an empty answer too (one row, of zeros): the same note; a count of something,
    # or of nothing over terms the graph uses, has none.
    for counted in ("SELECT (COUNT(?e) AS ?n) WHERE { ?e schema:headline ?h }",
                    "SELECT (COUNT(?e) AS ?n) (SUM(0.0) AS ?s) (SAMPLE(?h) AS ?x) WHERE { ?e schema:headline ?h }"):
        assert main(["query", graph, counted, "--format", "csv"]) == 0
        out, err = capsys.readouterr()
        assert out.splitlines()[1].split(",")[0] == "0"
        assert err.startswith("kg: note: schema:headline is not a term of the graph"), err
    for quiet in ("SELECT (COUNT(?e) AS ?n) WHERE { ?e schema:about context:Iran }",
                  'SELECT (COUNT(?e) AS ?n) WHERE { ?e schema:name "no such headline" }'):
        assert main(["query", graph, quiet, "--format", "csv"]) == 0
        assert capsys.readouterr().err == ""
    with pytest.warns(UserWarning, match="schema:headline is not a term of the graph"):
        assert kg.query_df(sample_graph, "SELECT (COUNT(?e) AS ?n) WHERE { ?e schema:headline ?h }")["n"][0] == 0


def test_a_day_without_its_zeros_and_a_name_of_another_kind_are_pointed_to_the_graphs(built, sample_graph, capsys):
    """A day typed as the site's folders write it (2015-9-1) was offered days spelt nearly so (2015-09-21 ...),
    not its own; publisher:AFP, which no source writes alone, the publishers AP and CAF, not the organization
    AFP, whose property is another."""
    graph = str(built / "graph.oxigraph")
    assert main(["query", graph, "SELECT ?e { ?e kg:onDay day:2015-9-1 }"]) == 0
    assert capsys.readouterr().err == ("kg: note: day:2015-9-1 names nothing in the graph: "
                                       "did you mean day:2015-09-01?\n")
    # A day past the graph's last is said so, not offered the days that look like it (2015-09-01 ...).
    assert main(["query", graph, "SELECT ?e { ?e kg:onDay day:2015-10-01 }"]) == 0
    assert capsys.readouterr().err == ("kg: note: day:2015-10-01 names nothing in the graph: 2015-10-01 is outside "
                                       "the graph's days (2015-09-01 to 2015-09-30)\n")
    key = min(sample_graph.event_records, key=lambda k: len(k.slug))
    typed = f"event:{key.date.year}-{key.date.month}-{key.date.day}\\/{key.slug}"
    assert main(["query", graph, f"SELECT ?h {{ {typed} schema:name ?h }}"]) == 0
    assert capsys.readouterr().err == (f"kg: note: {typed} names nothing in the graph: did you mean "
                                       f"event:{key.date}\\/{key.slug}?\n")
    role = "(an organization: ?publisher kg:madeBy or kg:distributedBy it)"
    for typed in ("publisher:AFP", "context:afp", f"<{sample_graph.base_iri}publisher/AFP>"):
        assert main(["query", graph, f"SELECT ?e {{ ?e schema:subjectOf/schema:publisher {typed} }}"]) == 0
        assert capsys.readouterr().err == (f"kg: note: {typed} names nothing in the graph: did you mean "
                                           f"organization:afp {role}?\n")
    # What the query then asks answers.
    assert main(["query", graph, "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?p kg:madeBy organization:afp }",
                 "--format", "csv"]) == 0
    assert int(capsys.readouterr().out.split()[1]) > 1


def test_a_day_or_url_written_as_a_plain_string_is_said_to_match_nothing(built, sample_graph, capsys):
    """kg writes days as xsd:date and URLs as xsd:anyURI: a plain "2015-09-01" neither equals nor compares with
    them, and the empty answer said nothing of why."""
    import warnings

    import kg

    graph = str(built / "graph.oxigraph")
    day = 'FILTER(?d >= "2015-09-01")'
    assert main(["query", graph, f"SELECT ?e {{ ?e schema:startDate ?d {day} }}"]) == 0
    assert capsys.readouterr() == ("(no results)\n", 'kg: note: "2015-09-01" is a plain string: kg writes days as '
                                   'xsd:date, which no plain string equals or compares with; write '
                                   '"2015-09-01"^^xsd:date\n')
    # As it says, and as STR() compares: the events of the month.
    for fixed in ('FILTER(?d >= "2015-09-01"^^xsd:date)', 'FILTER(STR(?d) >= "2015-09-01")'):
        assert main(["query", graph, f"SELECT (COUNT(?e) AS ?n) {{ ?e schema:startDate ?d {fixed} }}",
                     "--format", "csv"]) == 0
        out, err = capsys.readouterr()
        assert (out.split()[1], err) == (str(len(sample_graph.event_records)), "")
    url = next(iter(sample_graph.articles))
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        assert kg.query_df(sample_graph, f'SELECT ?a {{ ?a schema:url "{url}" }}').empty
    assert [str(w.message) for w in said if issubclass(w.category, UserWarning)] == [
        f'"{url}" is a plain string: kg writes article URLs as xsd:anyURI, which no plain string equals or compares '
        f'with; write "{url}"^^xsd:anyURI']
    assert len(kg.query_df(sample_graph, f'SELECT ?a {{ ?a schema:url "{url}"^^xsd:anyURI }}')) == 1


def test_a_day_without_its_zeros_a_date_time_or_a_language_tag_is_said_to_match_nothing(built, sample_graph,
                                                                                          capsys):
    """The site's paths write days as 2015-9-1, which is no xsd:date; a dateTime does not compare with a date;
    kg's names carry no language tag: each such query answered nothing and said nothing of why."""
    graph = str(built / "graph.oxigraph")
    notes = {
        'FILTER(?d >= "2015-9-1")': '"2015-9-1" is a plain string: write "2015-09-01"^^xsd:date',
        # (compared with STR() of the days, a padded plain string: the typed one would match nothing again)
        'FILTER(STR(?d) >= "2015-9-1")': '"2015-9-1" is not a day as STR() of a day reads (YYYY-MM-DD): write '
                                        '"2015-09-01"',
        '. ?e schema:startDate "2015-9-1"^^xsd:date': '"2015-9-1"^^xsd:date is not a day as xsd:date writes it '
                                                      '(YYYY-MM-DD): write "2015-09-01"^^xsd:date',
        'FILTER(?d >= "2015-09-01T00:00:00"^^<http://www.w3.org/2001/XMLSchema#dateTime>)':
            '"2015-09-01T00:00:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> is a day and time: kg writes days '
            'as xsd:date, which SPARQL does not compare with an xsd:dateTime; write "2015-09-01"^^xsd:date',
        '. ?c schema:name "Iran"@en': '"Iran"@en has a language tag: kg writes names and headlines without one, '
                                      'and a tagged string equals no plain one: write "Iran"',
        # a name where its node is, a page's folder with other zeros than the site's
        '. ?e schema:about "Syria"': '"Syria" is a literal, and schema:about leads to a node, not to its name: '
                                     '?x schema:about ?node . ?node rdfs:label "Syria"',
        '. ?e kg:onDay "2015-09-01"': '"2015-09-01" is a literal, and kg:onDay leads to a day, a node: '
                                      'day:2015-09-01 (or ?x schema:startDate "2015-09-01"^^xsd:date)',
        '. ?c schema:sameAs "https://en.wikipedia.org/wiki/Syria"':
            '"https://en.wikipedia.org/wiki/Syria" is a literal, and schema:sameAs leads to a node: write it as an '
            'IRI, <https://en.wikipedia.org/wiki/Syria>',
        '. ?e kg:path ?p FILTER(STRSTARTS(?p, "news/2015/09/01/"))':
            '"news/2015/09/01/" is not a folder of pages as kg:path writes one, the month with its zero and the day '
            'without, as the site does: "news/2015/09/1/"',
        # a web domain as a browser shows it
        '; schema:subjectOf ?a . ?a kg:webDomain "www.Reuters.com"':
            '"www.Reuters.com" is not a web domain as kg writes one (the host, lower case, without www.): write '
            '"reuters.com"',
    }
    for part, note in notes.items():
        assert main(["query", graph, f"SELECT (COUNT(?e) AS ?n) {{ ?e schema:startDate ?d {part} }}",
                     "--format", "csv"]) == 0
        out, err = capsys.readouterr()
        assert (out.split()[1], err) == ("0", f"kg: note: {note}\n"), part
    # As the notes say: the answers.
    for fixed in ('FILTER(?d >= "2015-09-01"^^xsd:date)', '. ?c schema:name "Iran"', 'FILTER(STR(?d) >= "2015-09-01")',
                  '. ?e schema:about ?node . ?node rdfs:label "Syria"', ". ?e kg:onDay day:2015-09-01",
                  '. ?e kg:path ?p FILTER(STRSTARTS(?p, "news/2015/09/1/"))',
                  ". ?c schema:sameAs <https://en.wikipedia.org/wiki/Syria>",
                  '; schema:subjectOf ?a . ?a kg:webDomain "reuters.com"'):
        assert main(["query", graph, f"SELECT (COUNT(?e) AS ?n) {{ ?e schema:startDate ?d {fixed} }}",
                     "--format", "csv"]) == 0
        out, err = capsys.readouterr()
        assert int(out.split()[1]) > 0 and err == "", fixed
    # A name in another case than the graph's, as a pattern's object: said, in the shell and in Python (not a
    # function's argument, which may well be any text).
    said = ('"iran" is in no triple: the graph writes "Iran" (strings match case for case; '
            'FILTER(LCASE(?name) = "iran") matches any case)')
    query = 'SELECT ?e { ?c schema:name "iran" . ?e schema:about ?c ; schema:name ?h FILTER(CONTAINS(?h, "syria")) }'
    assert main(["query", graph, query]) == 0
    assert capsys.readouterr() == ("(no results)\n", f"kg: note: {said}\n")
    import warnings

    import kg

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert kg.query_df(sample_graph, query).empty
    assert [str(w.message) for w in caught if issubclass(w.category, UserWarning)] == [said]


def test_the_store_holds_the_build_s_description_in_a_named_graph_and_says_so(built, capsys, tmp_path):
    """The store held no VoID or PROV record, which graph.nq and graph.trig hold beside the graph: it now
    holds them in a named graph of their own, and void:triples there counts the default graph's triples,
    which a query reads alone.  Asked of the default graph, void:triples points to it."""
    store = str(built / "graph.oxigraph")
    assert main(["query", store, "SELECT ?t { ?d void:triples ?t }"]) == 0
    out, err = capsys.readouterr()
    named = re.fullmatch(r"kg: note: void:triples is in the build's description, the named graph "
                         r"<([^>]+/description)>: read it inside GRAPH <\1> \{ \.\.\. \}\n", err)
    assert out == "(no results)\n" and named, err
    assert main(["query", store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "--format", "csv"]) == 0
    triples = int(capsys.readouterr().out.split()[1])
    described = (f"SELECT ?t ?end {{ GRAPH <{named.group(1)}> {{ ?d a void:Dataset ; void:triples ?t ; "
                 "prov:wasGeneratedBy/prov:endedAtTime ?end } }")
    assert main(["query", store, described, "--format", "csv"]) == 0
    rows = capsys.readouterr().out.split()
    assert len(rows) == 2 and int(rows[1].split(",")[0]) == triples == (built / "graph.nt").read_bytes().count(b"\n")
    # In Python as README has it: evaluate() binds void: too (it was "declared nowhere" there alone).
    answer = evaluate(open_store(store), "SELECT ?n { GRAPH ?g { ?d a void:Dataset ; void:triples ?n } }", "csv",
                      Limits(timeout=30))
    assert answer.data.decode().split() == ["n", str(triples)]
    # Only what the description alone holds is pointed there: prov:wasDerivedFrom (an event's page) is the graph's
    # too; a full IRI and a PREFIX of one's own are read, a string or a comment is not.
    assert main(["query", store, "SELECT ?x { ?e schema:about context:Atlantis ; prov:wasDerivedFrom ?x }"]) == 0
    assert capsys.readouterr().err == "kg: note: context:Atlantis names nothing in the graph\n"
    for query in ("SELECT ?t { ?d <http://rdfs.org/ns/void#triples> ?t }",
                  "PREFIX v: <http://rdfs.org/ns/void#> SELECT ?graph { ?graph v:triples ?t }"):
        assert main(["query", store, query]) == 0
        assert f"is in the build's description, the named graph <{named.group(1)}>" in capsys.readouterr().err
    assert main(["query", store, 'SELECT ?e { ?e schema:name "void:triples" } # prov:used']) == 0
    assert capsys.readouterr() == ("(no results)\n", "")
    # Asked of the dataset itself, whose IRI holds "graph/": the note still comes.
    dataset = named.group(1).removesuffix("/description")
    assert main(["query", store, f"SELECT ?t {{ <{dataset}> void:triples ?t }}"]) == 0
    assert "void:triples is in the build's description" in capsys.readouterr().err
    # A user's N-Quads whose one graph ends in "/description" is no description: its terms are read as ever.
    mine = tmp_path / "mine.nq"
    mine.write_text('<http://x.org/a> <http://schema.org/name> "A" <http://x.org/docs/description> .\n', "utf-8")
    assert main(["query", str(mine), "SELECT ?n { ?s schema:nam ?n }"]) == 0
    assert "holds no triples" not in capsys.readouterr().err
    # (a Turtle file holds no description: said so)
    assert main(["query", str(built / "graph.ttl"), "SELECT ?t { ?d void:triples ?t }"]) == 0
    assert capsys.readouterr() == ("(no results)\n", "kg: note: void:triples names nothing in the graph: kg describes "
                                   "the dataset (void:, with its provenance) in graph.nq and graph.trig, beside the "
                                   "graph, and in a named graph of graph.oxigraph, not in the graph itself\n")
    # So is every term of the description but VoID's, and the graph's own terms are listed without them.
    for term in ("kg:Corpus", "kg:pagesRead", "prov:endedAtTime", "dcterms:hasVersion"):
        assert main(["query", str(built / "graph.ttl"), f"SELECT ?x {{ ?x {term} ?y }}"]) == 0
        assert capsys.readouterr().err.startswith(f"kg: note: {term} names nothing in the graph: kg describes the "
                                                  "dataset (void:, with its provenance) in graph.nq and graph.trig")
    assert main(["query", str(built / "graph.ttl"), "SELECT ?x { ?x a kg:Bogus }"]) == 0
    assert capsys.readouterr().err == ("kg: note: kg:Bogus is not a term of the graph (the kg: classes kg writes: "
                                       "Context, ContextSharing, Day, Event, Image, Organization, Page, Publisher, "
                                       "RelatedLink, SourceArticle)\n")


def test_the_terms_said_to_be_the_description_s_alone_are_those_the_graph_never_writes(sample_graph):
    from kg.export.provenance import DESCRIPTION_ONLY
    from kg.export.quads import description_quads

    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

    def terms(triples) -> set[str]:
        return {t.predicate.value for t in triples} | {t.object.value for t in triples if t.predicate == a}

    described = terms(list(description_quads(sample_graph, ox.DefaultGraph())))
    written = terms(list(kg.triples(sample_graph)))
    assert {t for t in described - written if not t.startswith("http://rdfs.org/ns/void#")} == DESCRIPTION_ONLY


def test_an_iri_typed_by_hand_under_another_base_with_a_space_or_relative_is_pointed_to_the_graph_s(
        built, sample_graph, capsys):
    """http: for https:, a folder left out, a space in an IRI, a relative IRI: each answered nothing with no
    note, or failed with "http: is declared nowhere" or a bare "IRI parsing failed"."""
    graph = str(built / "graph.oxigraph")
    base = sample_graph.base_iri  # (https://kg.example.org/news/)
    other = base.replace("https:", "http:")
    short = base.replace("/news/", "/")
    for typed, said in [(f"<{other}context/Syria>", "did you mean context:Syria?"),
                        (f"<{short}context/Syria>", "did you mean context:Syria?"),
                        (f"<{short}context/Syra>", "did you mean context:Syria or")]:
        assert main(["query", graph, f"SELECT ?e {{ ?e schema:about {typed} }}"]) == 0
        out, err = capsys.readouterr()
        assert out == "(no results)\n"
        assert err.startswith(f"kg: note: {typed} names nothing in the graph, whose IRIs begin <{base}>: {said}"), err
    for typed, said in [(f"<{base}context/Islamic State>",
                         "an IRI holds no space; did you mean context:Islamic_State?"),
                        ("<context/Syria>", "a relative IRI, and the query has no BASE; did you mean context:Syria?")]:
        assert main(["query", graph, f"SELECT ?e {{ ?e schema:about {typed} }}"]) == 2
        err = capsys.readouterr().err
        assert f"{typed}: {said}" in err and "declared nowhere" not in err, err


def test_the_hint_on_an_iri_with_a_space_reads_a_hostile_query_in_linear_time():
    """The pattern of an IRI with a space backtracked over every split of a run of spaces with no ">" after
    it: 0.4 s at 8 KB, 6.9 s at 32 KB, hours at a megabyte (a query kg serve takes). A child process, so that
    a slow pattern fails the test rather than hold up the suite."""
    code = ("from kg.query.hints import syntax_hints; from kg.namespace import PREFIXES; "
            "print(syntax_hints('SELECT * { ?s ?p <http://' + ' a' * 500_000 + ' }', PREFIXES))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout == "['<http://…: an IRI that no > closes (an IRI holds no space)']\n"


def test_a_relative_iri_is_no_mistake_where_the_query_has_a_base():
    """A BASE, or the base an endpoint reads its queries against (its URL), makes <context/Iran> an IRI; a
    variable named ?base is no BASE."""
    from kg.namespace import PREFIXES
    from kg.query.hints import syntax_hints

    bound = {**PREFIXES, "context": "https://kg.example.org/news/context/"}
    said = "<context/Iran>: a relative IRI, and the query has no BASE; did you mean context:Iran?"
    assert said in syntax_hints("SELECT ?base { ?base schema:about <context/Iran> ", bound)
    assert said not in syntax_hints("BASE <http://x/> SELECT * { ?e schema:about <context/Iran> ", bound)
    assert said not in syntax_hints("SELECT * { ?e schema:about <context/Iran> ", bound, based=True)


def test_a_data_name_the_graph_lacks_is_offered_the_closest_names_under_its_prefix(built, sample_graph, capsys,
                                                                                   monkeypatch):
    """A misspelt or mis-cased name is pointed at the graph's own, as the query would write them: its prefix, an
    event's "/" escaped; the names under a prefix are read in one pass, and only when a name is missing."""
    from kg.query import storelookups

    passes: list[set[str]] = []
    read = storelookups.names_under

    def names_under(searched, namespaces):
        passes.append(set(namespaces))
        return read(searched, namespaces)

    monkeypatch.setattr(storelookups, "names_under", names_under)
    graph = str(built / "graph.oxigraph")
    base = sample_graph.base_iri
    # The same name in another case alone; else the closest (at most 3), each once, under the prefix typed.
    query = (f"PREFIX c: <{base}context/> SELECT * {{ ?e schema:about context:iran, c:Syra ; "
             "schema:subjectOf/schema:publisher publisher:Reutres, publisher:EuroNews }")
    assert main(["query", graph, query]) == 0
    assert capsys.readouterr() == ("(no results)\n", (
        "kg: note: context:iran names nothing in the graph: did you mean context:Iran?\n"
        "kg: note: c:Syra names nothing in the graph: did you mean c:Syria or c:Syrian_Army or "
        "c:Syrian_Observatory_For_Human_Rights?\n"
        "kg: note: publisher:Reutres names nothing in the graph: did you mean publisher:Reuters or "
        "publisher:Reuters_via_ABC_News_Australia or publisher:Reuters_via_Al_Jazeera_English_Online?\n"))
    # (the organizations' names too: a publisher's name may be an organization's)
    assert passes == [{f"{base}context/", f"{base}publisher/", f"{base}organization/"}]
    # An event's name as the note writes it pastes back into a query, and finds the event.
    key = min(sample_graph.event_records, key=lambda k: len(k.slug))
    typed = f"event:{key.date}\\/{key.slug[:-1]}"
    assert main(["query", graph, f"SELECT ?h {{ {typed} schema:name ?h }}"]) == 0
    meant = f"event:{key.date}\\/{key.slug}"
    assert capsys.readouterr().err == f"kg: note: {typed} names nothing in the graph: did you mean {meant}?\n"
    assert main(["query", graph, f"SELECT ?h {{ {meant} schema:name ?h }}", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [sample_graph.event_records[key].headline]
    # Names the graph holds, or one it mints from a name typed as it reads: no pass over the graph.
    passes.clear()
    for query in ('SELECT * { ?e schema:about context:Iran ; schema:name "no such headline" }',
                  "SELECT * { ?e schema:about context:Typhoon_Dujuan_\\(2015\\) }"):
        assert main(["query", graph, query]) == 0
    assert passes == []
    # Of many names the graph lacks (a VALUES list from elsewhere), the first few alone are looked up.
    from kg.query.hints import MAX_SUGGESTED

    capsys.readouterr()
    many = [f"context:Irann{n}" for n in range(MAX_SUGGESTED + 2)]
    assert main(["query", graph, f"SELECT * {{ VALUES ?c {{ {' '.join(many)} }} ?e schema:about ?c }}"]) == 0
    notes = capsys.readouterr().err.splitlines()
    assert [note.split()[2] for note in notes] == many
    assert sum("did you mean context:Iran" in note for note in notes) == MAX_SUGGESTED
    # The library says it as kg query does.
    with pytest.warns(UserWarning, match=r"^context:iran names nothing in the graph: did you mean context:Iran\?$"):
        assert kg.query_df(sample_graph, "SELECT ?e { ?e schema:about context:iran }").empty


def test_an_answer_counts_its_rows(sample_graph):
    store = graph_store(sample_graph)
    context = f"<{kg.iri.context_iri(sample_graph.base_iri, 'Iran')}>"
    iran = f"SELECT ?e WHERE {{ ?e schema:about {context} }}"
    events = sum("Iran" in cs for cs in sample_graph.event_contexts.values())
    assert evaluate(store, iran, "csv").rows == events
    assert evaluate(store, iran, "json", Limits(max_rows=2)).rows == 2
    assert evaluate(store, f"CONSTRUCT {{ ?e schema:about {context} }} WHERE {{ ?e schema:about {context} }}",
                    "table").rows == events
    assert evaluate(store, "ASK { ?s ?p ?o }", "json").rows is None


def test_the_table_keeps_a_value_on_its_line_and_shows_control_characters(tmp_path, capsys):
    """A tab or line break would shift the columns; an escape sequence would act on the terminal."""
    source = tmp_path / "odd.nt"
    source.write_text('<http://x/a> <http://x/b> "tab\\there\\r\\nnext \\u001B[31mred" .\n'
                      '<http://x/a> <http://x/c> "short" .\n', encoding="utf-8")
    assert main(["query", str(source), "SELECT ?o ?p { ?s ?p ?o } ORDER BY ?p"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1] == "tab here  next \\x1b[31mred  http://x/b" and "\x1b" not in out


def test_the_table_aligns_its_columns_in_a_terminal_s_columns(tmp_path, capsys):
    """A CJK character takes two columns and a combining accent none: padded by characters, the next column
    was shifted on such a row."""
    source = tmp_path / "wide.nt"
    source.write_text('<http://x/a> <http://x/b> "\u65E5\u672C\u8A9E\u30C6\u30AD\u30B9\u30C8" .\n'
                      '<http://x/a> <http://x/c> "ab" .\n<http://x/a> <http://x/d> "e\u0301te" .\n', encoding="utf-8")
    assert main(["query", str(source), "SELECT ?o ?p { ?s ?p ?o } ORDER BY ?p"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["o               p", "日本語テキスト  http://x/b", "ab              http://x/c",
                     "e\u0301te" + " " * 13 + "http://x/d"]  # (14 columns, then 2)


def test_the_table_cuts_a_long_text_visibly_and_names_iris_whole_as_a_query_reads_them(built, sample_graph, capsys):
    longest = max(sample_graph.event_records, key=lambda k: len(sample_graph.event_records[k].headline))
    headline = sample_graph.event_records[longest].headline
    iri = kg.iri.event_iri(sample_graph.base_iri, longest)
    assert len(headline) > 100  # the table's width
    query = f"SELECT ?h ?e WHERE {{ ?e a schema:Event ; schema:name ?h . FILTER(?e = <{iri}>) }}"
    assert main(["query", str(built / "graph.ttl"), query, "--format", "table"]) == 0
    cut, name = capsys.readouterr().out.splitlines()[1].split("  ", 1)
    assert len(cut) == 100 and cut.endswith("…") and headline.startswith(cut[:-1])
    # The event's name is whole, escaped ("/" may not stand bare in a local name): pasted into a query, it is the event.
    name = name.strip()
    assert name.startswith("event:") and "\\/" in name
    query = f"SELECT ?h WHERE {{ {name} schema:name ?h }}"
    assert main(["query", str(built / "graph.ttl"), query, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [f'"{headline}"' if "," in headline else headline]


def test_select_star_lists_its_variables_in_the_order_the_query_names_them(sample_graph, built, capsys):
    """Oxigraph sorts a SELECT *'s variables by name; analysts expect them as the query has them."""
    query = "SELECT * WHERE { ?zed schema:about ?about . ?zed schema:name ?a } LIMIT 3"
    assert list(kg.query_df(sample_graph, query).columns) == ["zed", "about", "a"]
    assert list(kg.query_df(sample_graph, "SELECT ?a ?zed WHERE { ?zed schema:name ?a } LIMIT 1").columns) == \
        ["a", "zed"]  # a projection that names them keeps its own order
    for fmt in ("csv", "table"):
        assert main(["query", str(built / "graph.oxigraph"), query, "--format", fmt]) == 0
        assert capsys.readouterr().out.splitlines()[0].replace(",", " ").split() == ["zed", "about", "a"]


def test_no_headline_of_the_2026_corpus_hides_a_word_from_sparql() -> None:
    """kg.events(text=...) and SPARQL's CONTAINS find the same events (they did not, for 13 headlines)."""
    graph = kg.build(REPO / "examples" / "wcep-2026-05-to-2026-08")
    loose_joiner = "(?<![^\\x00-\\x7f\\s])[\u200c\u200d]|[\u200c\u200d](?![^\\x00-\\x7f\\s])"
    hidden = re.compile("[\u00ad\u200b\u2060\ufeff]|" + loose_joiner)
    assert [e.headline for e in graph.event_records.values() if hidden.search(e.headline)] == []
    said = kg.query_df(graph, 'SELECT ?e WHERE { ?e schema:name ?h FILTER(CONTAINS(?h, "sanctions on Russia")) }')
    assert len(said) == len(kg.events(graph, text="sanctions on Russia")) == 3


@pytest.mark.parametrize("function", [kg.query_df, kg.sparql_query, kg.ask, kg.construct])
def test_the_query_functions_name_their_default_limits_as_help_shows_them(function):
    """``help(kg.query_df)`` reads ``timeout=60.0, max_rows=100000``: the defaults themselves, those
    of kg.Limits(), not a marker object that prints as ``<object object at 0x…>``."""
    import inspect

    parameters = inspect.signature(function).parameters
    assert parameters["timeout"].default == kg.Limits().timeout == 60.0
    if "max_rows" in parameters:
        assert parameters["max_rows"].default == kg.Limits().max_rows == 100_000
    assert "object at" not in str(inspect.signature(function))


def test_a_duration_of_days_is_a_timedelta_column_and_one_of_months_stays_text(sample_graph):
    """Subtracting two days gives an xsd:dayTimeDuration: timedelta64[ns], as pandas' own differences of
    days; a duration in years or months (no fixed length), or not in the datatype's form, stays text."""
    frame = kg.query_df(sample_graph, """SELECT ?d (?d - "2015-09-01"^^xsd:date AS ?since)
        ("-P1DT2H0.5S"^^xsd:dayTimeDuration AS ?back) ("P1Y2M"^^xsd:duration AS ?months)
        ("PT"^^xsd:dayTimeDuration AS ?bad) ("P9999999D"^^xsd:dayTimeDuration AS ?far)
        WHERE { ?e schema:startDate ?d } ORDER BY DESC(?d) LIMIT 2""")
    assert str(frame["since"].dtype) == "timedelta64[ns]" and str(frame["back"].dtype) == "timedelta64[ns]"
    assert (frame["d"] - frame["since"] == pd.Timestamp("2015-09-01")).all()
    assert frame["back"][0] == -pd.Timedelta(days=1, hours=2, seconds=0.5)
    assert list(frame["months"]) == ["P1Y2M"] * 2 and list(frame["bad"]) == ["PT"] * 2
    # (past what timedelta64[ns] holds, about 292 years: the Python timedeltas)
    assert str(frame["far"].dtype) == "object" and frame["far"][0] == dt.timedelta(days=9999999)
