"""The build on a Dask cluster: exactly the local build's graph and report, in shards.

A real LocalCluster (two worker processes, one thread each) runs every test
of this file; the local build (``formats=("ntriples", "report")``) is the
reference, compared as sets of triples parsed by pyoxigraph.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
ox = pytest.importorskip("pyoxigraph")

import kg  # noqa: E402
from kg.distributed.partitioned import reduce_partitioned  # noqa: E402
from kg.distributed.shards import part_triples  # noqa: E402
from kg.errors import JobFailedError  # noqa: E402
from kg.publish import STAGING_PREFIX  # noqa: E402
from tests.conftest import REPO, SAMPLE, sample_with_an_unread_page  # noqa: E402

SHARED = REPO / "examples" / "wcep-2026-05-to-2026-08"  # the shared corpus, bundled
# One cluster for the whole file: its tests run in one xdist process (scripts/test.sh: --dist loadgroup).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dask-cluster")]


def test_the_file_runs_in_one_xdist_process(request):
    """Under scripts/test.sh's --dist loadgroup, xdist gives each test of a group its group in its node ID and
    one process the group.  With pytest 9.2, pytest-xdist 3.8 no longer could (pytest-xdist issue 1386): the
    groups were silently run apart, two clusters and two parses (pyproject.toml keeps pytest below 9.2)."""
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not run with --dist loadgroup")
    assert request.node.nodeid.endswith("@dask-cluster")


@pytest.fixture(scope="module")
def sample_triples(tmp_path_factory) -> int:
    """The number of triples of the local build of the sample (its graph.nt has one a line)."""
    out = tmp_path_factory.mktemp("local-sample")
    kg.build_files(SAMPLE, out, ("ntriples",), cache=False)
    return len((out / "graph.nt").read_bytes().splitlines())


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as made:
        yield made


def _triples(data: bytes) -> set:
    return set(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))


def _local(corpus: Path, out: Path, fast_parse: bool = False) -> tuple[set, dict]:
    kg.build_files(corpus, out, ("ntriples", "report"), cache=False, fast_parse=fast_parse)
    return _triples((out / "graph.nt").read_bytes()), json.loads((out / "report.json").read_text("utf-8"))


def _shards(out: Path) -> tuple[list[set], dict, dict]:
    listed = json.loads((out / "manifest.json").read_text("utf-8"))
    parts = [_triples(gzip.decompress((out / s["name"]).read_bytes())) for s in listed["shards"]]
    return parts, json.loads((out / "report.json").read_text("utf-8")), listed


def _same_as_local(corpus: Path, tmp_path: Path, client, **options) -> tuple[set, dict]:
    expected, report = _local(corpus, tmp_path / "local", options.get("fast_parse", False))
    result = kg.build_files(corpus, tmp_path / "dask", engine="dask", client=client, **options)
    parts, got_report, listed = _shards(tmp_path / "dask")
    assert sum(len(p) for p in parts) == len(set().union(*parts)), "a triple in two shards"
    assert set().union(*parts) == expected
    assert got_report == report
    assert result.report.to_dict() == report
    assert listed["triples"] == len(expected) == sum(s["triples"] for s in listed["shards"])
    names = sorted(p.name for p in (tmp_path / "dask").iterdir())
    assert names == sorted([".kg-lock", "manifest.json", "report.json", *(s["name"] for s in listed["shards"])])
    return expected, report


def test_the_sample_in_shards_is_the_local_build(tmp_path, client, capsys):
    _same_as_local(SAMPLE, tmp_path, client, progress=True)
    shown = capsys.readouterr().err
    assert "dashboard http" in shown and "tasks" in shown and "458/458 pages" in shown and "pages/s" in shown


def test_names_with_a_comma_are_joined_in_shards_as_by_the_local_build(tmp_path, client):
    """--comma-names travels with each map task: the shards hold "Rowan County, Kentucky" as one context."""
    truth = json.loads((SAMPLE / "truth.json").read_text("utf-8"))
    names = kg.CommaNames.of(truth["hazards"]["context_names_with_comma"])
    kg.build_files(SAMPLE, tmp_path / "local", ("ntriples", "report"), cache=False, comma_names=names)
    expected = _triples((tmp_path / "local" / "graph.nt").read_bytes())
    assert b"Rowan_County%2C_Kentucky" in (tmp_path / "local" / "graph.nt").read_bytes()
    kg.build_files(SAMPLE, tmp_path / "dask", engine="dask", client=client, partitions=3, comma_names=names)
    parts, report, _ = _shards(tmp_path / "dask")
    assert set().union(*parts) == expected
    assert report["counts"]["contexts"] == truth["counts"]["distinct_context_entities_visible_in_markdown"]


def test_quiet_shows_no_progress(tmp_path, client, capsys):
    kg.build_files(SAMPLE, tmp_path / "out", engine="dask", client=client, partitions=2, progress=False)
    assert capsys.readouterr().err == ""


def test_the_shared_corpus_in_shards_is_the_local_build(tmp_path, client):
    if not SHARED.is_dir():
        pytest.skip("the 1,888-event corpus is not bundled")
    _same_as_local(SHARED, tmp_path, client, partitions=5)


@pytest.mark.parametrize("unread", ["binary", "fifo"])
def test_links_to_a_page_that_cannot_be_read_in_shards_are_the_local_build_s(tmp_path, client, unread):
    """(a FIFO in the page's place, which the walk finds: its linkers were said to link out of the corpus)"""
    corpus = tmp_path / "corpus"
    sample_with_an_unread_page(corpus, unread)
    _, report = _same_as_local(corpus, tmp_path, client, partitions=3)
    said = "whose page gave no event (its own diagnostics say why)"
    assert any(d["message"].endswith(said) for d in report["diagnostics"])


def test_the_hostile_corpus_in_shards_is_the_local_build(tmp_path, client):
    from tests.test_hostile import _add_test_time_files, _copy

    root = _copy(tmp_path)
    _add_test_time_files(root, tmp_path / "outside")  # links out of the corpus, a huge page ...
    expected, report = _same_as_local(root, tmp_path, client, partitions=3)
    codes = report["diagnostic_codes"]
    assert codes["symlink-skipped"] == 3 and codes["duplicate-page"] and codes["unresolved-link"]  # (two out, one in)
    assert not any("Secret" in str(t.object) for t in expected)


def test_a_synthetic_archive_of_5000_events(tmp_path, client):
    from kg.synth import generate_corpus

    # Four partitions of over a thousand pages each, and twice the shared corpus's pages: what
    # the 1,888 real events do not reach (10,000 cost a minute and a half of the suite's time).
    generate_corpus(tmp_path / "synth", 5_000, seed=0)
    # Synthetic pages are in the canonical form: the line reader (proven equal to markdown-it by
    # tests/test_fast_path.py) reads them, in both builds, in a third of the time.
    _same_as_local(tmp_path / "synth", tmp_path, client, partitions=4, fast_parse=True)


def test_an_empty_corpus_gives_empty_shards_and_the_same_report(tmp_path, client):
    (tmp_path / "empty" / "news").mkdir(parents=True)
    _same_as_local(tmp_path / "empty", tmp_path, client, partitions=2)
    assert json.loads((tmp_path / "dask" / "manifest.json").read_text("utf-8"))["triples"] == 0


def test_the_partitioned_reduce_alone_gives_the_local_graph():
    """The stages in this process, for any number of partitions: the same triples, counts, diagnostics."""
    from kg.diagnostics import diagnostic_order
    from kg.distributed.source import list_corpus
    from kg.export.triples import graph_triples
    from kg.facts import page_facts

    graph = kg.build(SAMPLE)
    expected = set(graph_triples(graph))
    facts = [page_facts(kg.parse_file(rel, real)) for rel, real in list_corpus(str(SAMPLE)).files]
    for parts in (1, 2, 7):
        done = reduce_partitioned(facts, parts, base_iri=graph.base_iri)
        triples = [t for p in done for t in part_triples(p)]
        assert len(triples) == len(set(triples)) and set(triples) == expected
        assert {n: sum(p.counts[n] for p in done) for n in graph.report.counts} == graph.report.counts
        found = sorted((d for p in done for d in p.diagnostics), key=diagnostic_order)
        assert tuple(found) == graph.report.diagnostics


def test_shards_load_into_pyoxigraph_and_match_the_manifest(tmp_path, client, sample_triples):
    kg.build_files(SAMPLE, tmp_path / "out", engine="dask", client=client, partitions=3)
    listed = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    store = ox.Store(str(tmp_path / "store"))
    for shard in listed["shards"]:
        data = (tmp_path / "out" / shard["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == shard["sha256"] and len(data) == shard["bytes"]
        lines = gzip.decompress(data).splitlines()
        assert lines == sorted(lines) and len(lines) == shard["triples"]
        # As README says it: the opened file (pyoxigraph tells a syntax by a file's name, and knows no .gz).
        with gzip.open(tmp_path / "out" / shard["name"], "rb") as opened:
            store.bulk_load(opened, ox.RdfFormat.N_TRIPLES)
    assert len(store) == listed["triples"] == sample_triples


def test_kg_query_and_serve_read_the_folder_of_shards_as_one_graph(tmp_path, client, sample_triples, capsys):
    """Each shard is a part of the graph: the folder is read whole, a shard given alone is said to be a part."""
    from kg.cli import main
    from kg.errors import LoadError, QueryError
    from kg.query.serve import make_app

    out = tmp_path / "out"
    kg.build_files(SAMPLE, out, engine="dask", client=client, partitions=3)
    assert len(kg.open_store(out)) == sample_triples
    assert make_app(out).prefixes["context"] == "https://kg.example.org/news/context/"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?e a kg:Event ; kg:inCorpus true }"
    assert main(["query", str(out), count, "--format", "csv"]) == 0
    said = capsys.readouterr()
    assert said.out.split() == ["n", "428"] and said.err == ""
    assert main(["query", str(out / "graph-00001.nt.gz"), count, "--format", "csv"]) == 0
    said = capsys.readouterr()
    assert int(said.out.split()[1]) < 428
    assert said.err == (f"kg: note: graph-00001.nt.gz is one of the 3 shards of the graph in {out}: "
                        "give the folder to query them all\n")
    # What reads one whole graph's records reads the folder too: the local build's graph (its triples; the
    # shards' sorted lines keep no order among a subject's values), its counts and an explorer of it.
    local = _sample_turtle(tmp_path)
    loaded = kg.load(out)
    for graph, name in ((loaded, "shards.nt"), (kg.load(local), "local.nt")):
        kg.write_ntriples(graph, tmp_path / name)
    assert sorted((tmp_path / "shards.nt").read_bytes().splitlines()) == \
        sorted((tmp_path / "local.nt").read_bytes().splitlines())
    assert main(["stats", str(local)]) == 0
    from_local = capsys.readouterr().out
    assert main(["stats", str(out)]) == 0
    assert capsys.readouterr().out == from_local
    assert main(["html", str(out), "-o", str(tmp_path / "x.html")]) == 0
    assert "(100 entities drawn; 428 events" in capsys.readouterr().err
    # A shard alone is a part: refused, with the folder that reads them all.
    assert main(["html", str(out / "graph-00000.nt.gz"), "-o", str(tmp_path / "x.html")]) == 2
    assert capsys.readouterr().err == (f"kg: error: {out / 'graph-00000.nt.gz'} is one of the 3 N-Triples shards "
                                       f"of a build on Dask, a part of its graph: give their folder, {out}, to "
                                       "read them all\n")
    with pytest.raises(LoadError, match=r"is one of the 3 N-Triples shards of a build on Dask, a part of its "
                                        r"graph: give their folder"):
        kg.load(out / "graph-00001.nt.gz")
    # A build on this machine into the same folder: the shards still answer, and the note says so.
    shutil.copy(local, out / "graph.ttl")
    assert main(["query", str(out), count, "--format", "csv"]) == 0
    assert capsys.readouterr().err == (f"kg: note: {out} holds graph.ttl too, from another build: the answer is "
                                       "the shards' that manifest.json lists, written by a build on Dask; give "
                                       "graph.ttl to query that one\n")
    # A shard written again since (its size, or its count of triples), or gone, is said.
    listed = json.loads((out / "manifest.json").read_text("utf-8"))
    first = listed["shards"][0]
    (out / "manifest.json").write_text(json.dumps({**listed, "shards": [
        {**first, "bytes": first["bytes"] + 1}, *listed["shards"][1:]]}), "utf-8")
    with pytest.raises(QueryError, match=f"graph-00000.nt.gz holds {first['bytes']:,} bytes, and manifest.json "
                                         f"says {first['bytes'] + 1:,}: it was written again since the build"):
        kg.open_store(out)
    (out / "manifest.json").write_text(json.dumps({**listed, "triples": listed["triples"] + 1, "shards": [
        {**first, "triples": first["triples"] + 1}, *listed["shards"][1:]]}), "utf-8")
    with pytest.raises(QueryError, match=f"graph-00000.nt.gz holds {first['triples']:,} triples of its own, and "
                                         f"manifest.json says {first['triples'] + 1:,}: a shard was changed"):
        kg.open_store(out)
    # A manifest that is not kg's, a base IRI kg would refuse, a list nested a million deep: said in one line.
    for bad in ({**listed, "triples": True}, {**listed, "base_iri": "http://x.org/a b>"}):
        (out / "manifest.json").write_text(json.dumps(bad), "utf-8")
        with pytest.raises(QueryError, match=r"manifest\.json"):
            kg.open_store(out)
    (out / "manifest.json").write_text("[" * 200_000 + "]" * 200_000, "utf-8")
    assert main(["query", str(out), count]) == 2
    assert capsys.readouterr().err == f"kg: error: cannot read {out / 'manifest.json'}: RecursionError\n"
    (out / "manifest.json").write_text(json.dumps(listed), "utf-8")
    with pytest.raises(LoadError, match=f"graph-00000.nt.gz holds {first['triples']:,} triples, and manifest.json "
                                        f"says {first['triples'] + 1:,}: a shard was changed"):
        (out / "manifest.json").write_text(json.dumps({**listed, "triples": listed["triples"] + 1, "shards": [
            {**first, "triples": first["triples"] + 1}, *listed["shards"][1:]]}), "utf-8")
        kg.load(out)
    (out / "manifest.json").write_text(json.dumps(listed), "utf-8")
    (out / "graph-00002.nt.gz").unlink()
    missing = f"{out}: 1 of the 3 shards that manifest.json lists is missing (graph-00002.nt.gz)"
    assert main(["query", str(out), count]) == 2
    assert capsys.readouterr().err == f"kg: error: {missing}\n"
    assert main(["stats", str(out)]) == 2
    assert capsys.readouterr().err == f"kg: error: {missing}\n"


def _sample_turtle(tmp_path: Path) -> Path:
    kg.build_files(SAMPLE, tmp_path / "local-turtle", ("turtle",), cache=False)
    return tmp_path / "local-turtle" / "graph.ttl"


def test_a_manifest_beside_a_corpus_or_a_store_is_not_taken_for_shards(tmp_path, capsys):
    """A corpus or a store whose folder holds a manifest.json of its own is read as one, not as shards."""
    from kg.cli import main

    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE / "news", corpus / "news")
    (corpus / "manifest.json").write_text('{"name": "my corpus"}', "utf-8")
    assert main(["stats", str(corpus), "--top", "1"]) == 0
    capsys.readouterr()
    store = tmp_path / "graph.oxigraph"
    kg.write(kg.build(SAMPLE), store)
    (store / "manifest.json").write_text(json.dumps({"format": "application/n-triples+gzip", "shards": [],
                                                     "triples": 0, "base_iri": "https://kg.example.org/news/"}))
    assert len(kg.open_store(store)) > 39_000
    # A manifest that is not JSON, with no shard beside it, is another's: the folder is said as any other.
    other = tmp_path / "other"
    other.mkdir()
    (other / "manifest.json").write_text("{not json", "utf-8")
    with pytest.raises(kg.LoadError, match=f"^{other} is a folder; "):
        kg.load(other)


def test_the_one_shard_of_a_build_on_dask_is_its_whole_graph(tmp_path, client, sample_triples):
    """A build of one partition writes one shard: given alone, it is read as the graph it is."""
    out = tmp_path / "out"
    kg.build_files(SAMPLE, out, engine="dask", client=client, partitions=1)
    (shard,) = out.glob("graph-*.nt.gz")
    assert kg.load(shard).report.counts == kg.load(out).report.counts
    assert kg.load(shard).report.counts["events"] == 428


def test_shards_load_into_virtuoso_as_they_are(tmp_path, client, sample_triples):
    """README's Virtuoso recipe: ld_dir over the gzipped shards, rdf_loader_run."""
    from tests.virtuoso import ISQL, VIRTUOSO, Virtuoso

    if not (VIRTUOSO and ISQL):
        pytest.skip("Debian's virtuoso-opensource is not installed")
    out = tmp_path / "out"
    kg.build_files(SAMPLE, out, engine="dask", client=client, partitions=3)
    listed = json.loads((out / "manifest.json").read_text("utf-8"))
    (tmp_path / "virtuoso").mkdir()
    with Virtuoso(tmp_path / "virtuoso", out) as server:
        server.load("graph-*.nt.gz", "urn:kg:shards")
        _, rows = server.select("SELECT (COUNT(*) AS ?n) FROM <urn:kg:shards> WHERE { ?s ?p ?o }")
    assert int(rows[0]["n"]["value"]) == listed["triples"] == sample_triples


def test_a_rerun_replaces_the_set_whole(tmp_path, client, sample_triples):
    out = tmp_path / "out"
    kg.build_files(SAMPLE, out, engine="dask", client=client, partitions=6)
    assert len(list(out.glob("graph-*.nt.gz"))) == 6
    kg.build_files(SAMPLE, out, engine="dask", client=client, partitions=2)
    assert sorted(p.name for p in out.glob("graph-*.nt.gz")) == ["graph-00000.nt.gz", "graph-00001.nt.gz"]
    parts, _, listed = _shards(out)
    assert listed["partitions"] == 2 and sum(len(p) for p in parts) == sample_triples


def _fail_on(page: str) -> None:
    """Run in each worker: mapping ``page`` raises, as a bug would."""
    from kg.facts import executors

    real = executors.map_file

    def failing(rel, where, reading):
        if rel == page:
            raise ZeroDivisionError("a bug")
        return real(rel, where, reading)

    import kg.distributed.source as source

    source.map_file = failing  # what the map task calls


def _heal() -> None:
    import kg.distributed.source as source
    from kg.facts import executors

    source.map_file = executors.map_file


def test_a_failed_job_publishes_nothing_and_names_the_page(tmp_path, client):
    out = tmp_path / "out"
    kg.build_files(SAMPLE, out, engine="dask", client=client, partitions=2)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    page = "news/2015/09/14/index.md"
    client.run(_fail_on, page)
    try:
        with pytest.raises(JobFailedError) as err:
            kg.build_files(SAMPLE, out, engine="dask", client=client, partitions=5)
    finally:
        client.run(_heal)
    assert page in str(err.value) and "ZeroDivisionError" in str(err.value)
    assert err.value.tasks and err.value.tasks[0].startswith("kg-map-")
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before  # the old set, whole; no shard of the failed one
    assert not [p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)]


def test_the_cli_fails_with_status_2_and_one_line(tmp_path, client):
    from kg.cli import main

    address = client.scheduler.address
    client.run(_fail_on, "news/2015/09/14/index.md")
    try:
        status = main(["build", str(SAMPLE), "-o", str(tmp_path / "out"), "--engine", "dask",
                       "--scheduler", address, "-q"])
    finally:
        client.run(_heal)
    assert status == 2
    assert not list((tmp_path / "out").glob("graph-*"))


def test_the_build_says_the_cluster_s_workers_and_threads(tmp_path, client, capsys):
    """It said "2 worker threads" where --workers counts processes ("1 worker threads" with one). (Through
    the fixture's client: a second client of its scheduler, made right after another test's went, met
    distributed's own race once.)"""
    kg.build_files(SAMPLE, tmp_path / "out", engine="dask", client=client, partitions=3, progress=True)
    said = capsys.readouterr().err.splitlines()
    assert said[0].startswith("kg: dask: 2 workers (2 threads), 3 partitions; dashboard "), said


def test_a_local_cluster_leaves_nothing_in_the_temporary_folder(tmp_path):
    """distributed's dask-scratch-space/ (its lock files) stayed in $TMPDIR after every build."""
    import subprocess
    import sys

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SAMPLE), "-o", str(tmp_path / "out"),
                           "--engine", "dask", "--workers", "1", "-q"], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "TMPDIR": str(scratch)})
    assert done.returncode == 0, done.stderr
    assert list(scratch.iterdir()) == []


def test_a_worker_killed_mid_job_changes_nothing(tmp_path, client):
    corpus = SHARED if SHARED.is_dir() else SAMPLE
    expected, report = _local(corpus, tmp_path / "local")
    pids = list(client.run(os.getpid).values())
    result: dict[str, object] = {}

    def run() -> None:
        try:
            # small map tasks: the job is still running when the worker dies
            result["done"] = kg.build_files(corpus, tmp_path / "dask", engine="dask", client=client,
                                            partitions=4, progress=False)
        except BaseException as err:  # handed to the test thread
            result["error"] = err

    from kg.distributed import job as job_module

    old = job_module.PAGES_PER_TASK
    job_module.PAGES_PER_TASK = 50
    try:
        worker = threading.Thread(target=run)
        worker.start()
        deadline = time.monotonic() + 60
        # kill once the job's tasks are under way (some done, some not)
        while time.monotonic() < deadline:
            states = client.run_on_scheduler(
                lambda dask_scheduler: [t.state for k, t in dask_scheduler.tasks.items() if "kg-map-" in str(k)])
            if states and 3 <= states.count("memory") + states.count("released") < len(states):
                break
            time.sleep(0.02)
        finished_first = bool(result)
        os.kill(pids[0], signal.SIGKILL)
        worker.join(180)
    finally:
        job_module.PAGES_PER_TASK = old
    assert not finished_first, "the job ended before the worker was killed"
    assert "error" not in result, result.get("error")
    assert not worker.is_alive()
    client.wait_for_workers(2, timeout=60)  # the nanny restarts it, for the tests after
    assert pids[0] not in client.run(os.getpid).values()
    parts, got_report, _ = _shards(tmp_path / "dask")
    assert set().union(*parts) == expected and sum(len(p) for p in parts) == len(expected)
    assert got_report == report


def test_missing_extra_is_one_line_and_status_2(tmp_path):
    import subprocess
    import sys

    code = ("import sys; sys.modules['distributed'] = None\n"
            "from kg.cli import main\n"
            f"sys.exit(main(['build', {str(SAMPLE)!r}, '-o', {str(tmp_path / 'out')!r}, '--engine', 'dask']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "kg[dask]" in done.stderr


def test_a_scheduler_that_cannot_be_reached_is_said_in_one_line(tmp_path):
    import os
    import socket
    import subprocess
    import sys

    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    # A refusal is said at once, not after distributed's 30 s of trying again (a generous bound: the
    # interpreter's start and imports on a busy machine).
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SAMPLE), "-o", str(tmp_path / "out"),
                           "--engine", "dask", "--scheduler", address, "-q"], capture_output=True, text=True,
                          timeout=25)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr == (f"kg: error: cannot reach the Dask scheduler at {address}: nothing listens there "
                           "(connection refused)\n"), done.stderr
    for wrong in ("http://127.0.0.1:1", "tcp://127.0.0.1"):  # the dashboard's address; no port
        done = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SAMPLE), "-o", str(tmp_path / "out"),
                               "--engine", "dask", "--scheduler", wrong, "-q"], capture_output=True, text=True,
                              timeout=120, env={**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
        assert done.stderr.startswith(f"kg: error: cannot use the Dask scheduler address {wrong!r}: "), done.stderr


def test_other_formats_are_refused_with_the_dask_engine(tmp_path):
    with pytest.raises(kg.errors.ArgumentError, match=r"the report only \(ntriples, report\), not turtle, html$"):
        kg.build_files(SAMPLE, tmp_path, ("turtle", "html"), engine="dask")
    with pytest.raises(kg.errors.ArgumentError):
        kg.build_files(SAMPLE, tmp_path, engine="spark")
    with pytest.raises(kg.errors.ArgumentError):
        kg.build_files(SAMPLE, tmp_path, partitions=4)  # the local engine has none
    with pytest.raises(kg.errors.ArgumentError, match="--workers"):
        kg.build_files(SAMPLE, tmp_path, engine="dask", jobs=2)  # would be ignored: refused
    with pytest.raises(kg.errors.ArgumentError, match="--workers"):
        kg.build_files(SAMPLE, tmp_path, engine="dask", cache_dir=tmp_path / "cache")
    assert not any(tmp_path.iterdir())  # refused before any work


def test_an_fsspec_url_corpus_reads_as_the_folder(tmp_path):
    """Pages listed and read through fsspec (here its in-memory file system) give the same facts."""
    import fsspec

    from kg.distributed.source import list_corpus, map_partition

    fs = fsspec.filesystem("memory")
    for page in (SAMPLE / "news").rglob("*.md"):
        fs.pipe_file(f"/sample/{page.relative_to(SAMPLE).as_posix()}", page.read_bytes())
    fs.pipe_file("/sample/news/2015/09/1/notes.txt", b"not a page")
    fs.pipe_file("/sample/news/2015/09/1/empty.md", b"  \n")
    remote = list_corpus("memory://sample")
    local = list_corpus(str(SAMPLE))
    assert [rel for rel, _ in remote.files] == sorted([rel for rel, _ in local.files] + ["news/2015/09/1/empty.md"])
    got = {f.path: f for f in map_partition(remote.files, remote.fs)}
    want = {f.path: f for f in map_partition(local.files, None)}
    assert [d.code for d in got.pop("news/2015/09/1/empty.md").diagnostics] == ["empty-file"]
    assert got == want


def test_shards_to_an_fsspec_url(tmp_path, client, sample_triples):
    """Output through fsspec (its local:// file system stands for object storage here): the same set,
    staged and then moved into place."""
    url = f"local://{tmp_path / 'url-out'}"
    result = kg.build_files(SAMPLE, url, engine="dask", client=client, partitions=2)
    assert all(str(p).startswith("local://") for p in result.files)
    parts, report, listed = _shards(tmp_path / "url-out")
    assert sum(len(p) for p in parts) == listed["triples"] == sample_triples and report["counts"]["events"] == 428
    assert sorted(p.name for p in (tmp_path / "url-out").iterdir()) == [
        "graph-00000.nt.gz", "graph-00001.nt.gz", "manifest.json", "report.json"]


def test_a_file_url_output_is_a_local_folder_locked_while_written(tmp_path, client):
    """A file:// URL got no lock (two builds into one folder both published); it is written as the
    local folder it is, its files still named as the URL was given."""
    import threading

    from kg.errors import OutputLockedError
    from kg.publish import OutputFolder

    url = f"file://{tmp_path / 'out'}"
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with OutputFolder(tmp_path / "out"):
            taken.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert taken.wait(60)
        with pytest.raises(OutputLockedError):
            kg.build_files(SAMPLE, url, engine="dask", client=client, partitions=2)
    finally:
        release.set()
        holder.join(60)
    result = kg.build_files(SAMPLE, url, engine="dask", client=client, partitions=2)
    assert all(str(p).startswith("file://") for p in result.files)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        ".kg-lock", "graph-00000.nt.gz", "graph-00001.nt.gz", "manifest.json", "report.json"]


def _group_ends(pid: int) -> None:
    """Wait for every process of ``pid``'s group to end (the workers end with the cluster the build closed)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise AssertionError("a process of the build's group is still running")


@pytest.mark.parametrize("after_s", [0.4, 0.6, 0.8, 1.0, 1.3])
def test_sigint_while_the_local_cluster_starts_prints_one_line(tmp_path, after_s):
    """SIGINT to the build (``kill -INT PID``) while the cluster's workers were starting printed
    distributed's assertion at exit ("AssertionError: Status.init"), and later its notes of the tasks
    it cancelled. (The moments are a sweep: where one lands, in the imports, the start or the job, the
    same is said. Sent to the whole group instead, the workers may meet it as they start, before
    they can ignore it: README says so.)"""
    import subprocess
    import sys

    out = tmp_path / "out"
    build = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(SAMPLE), "-o", str(out),
                              "--engine", "dask", "--workers", "2"], cwd=REPO, stderr=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        time.sleep(after_s)
        os.kill(build.pid, signal.SIGINT)
        _, said = build.communicate(timeout=120)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
    if build.returncode == 0:  # (done before the signal came: nothing to say of it)
        return
    assert build.returncode == 130, said
    assert "Traceback" not in said and "WARNING" not in said and "ERROR" not in said, said
    # (one landing while the command line is read, on a loaded machine, finds no command yet to speak of)
    assert said.endswith(("kg: interrupted; nothing was half written\n", "kg: interrupted\n")), said
    _group_ends(build.pid)


def test_a_cluster_stopped_before_it_had_a_name_is_closed_and_forgotten(monkeypatch):
    """A SIGINT inside LocalCluster's start, before it had set its name (in uuid4, say), left a cluster whose ==
    raises; forgetting it through its WeakSet asked ==, and the build ended in that AttributeError's traceback
    instead of its one line (the sweep above met it once in CI)."""
    import weakref

    import distributed

    from kg.distributed.cluster import close_half_made

    class Nameless:
        closed = 0

        def close(self, timeout: float) -> None:
            Nameless.closed += 1

        def __eq__(self, other: object) -> bool:
            raise AttributeError("'LocalCluster' object has no attribute '_cluster_info'")

        __hash__ = object.__hash__

    half = Nameless()
    made: weakref.WeakSet[Nameless] = weakref.WeakSet([half])
    monkeypatch.setattr(distributed.deploy.spec.SpecCluster, "_instances", made)
    close_half_made(distributed)
    assert (len(made), Nameless.closed) == (0, 1)


def test_the_kg_program_ignores_ctrl_c_once_it_has_said_it_was_interrupted(capsys):
    """A second delivery of the one SIGINT (held while an import ran), landing after kg had said so and cleaned
    up, ended the build by signal (-2) rather than with 130; main() called in a process of the caller's (a
    test) leaves SIGINT as it was."""
    from kg.interrupts import said_interrupted

    before = signal.getsignal(signal.SIGINT)
    try:
        said_interrupted("; nothing was half written", False)
        assert signal.getsignal(signal.SIGINT) is before and logging.root.manager.disable == logging.NOTSET
        said_interrupted("", True)
        # (the program's last line: nothing logged after it)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN and logging.root.manager.disable == logging.CRITICAL
    finally:
        signal.signal(signal.SIGINT, before)
        logging.disable(logging.NOTSET)  # (this process goes on: its other tests log)
    assert capsys.readouterr().err == "kg: interrupted; nothing was half written\nkg: interrupted\n"


def test_ctrl_c_on_a_local_cluster_prints_one_line_and_leaves_no_process(tmp_path):
    import subprocess
    import sys

    corpus = SHARED if SHARED.is_dir() else SAMPLE
    out = tmp_path / "out"
    # Ctrl-C at a terminal reaches the whole process group: kg, its cluster's workers too.
    build = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(corpus), "-o", str(out),
                              "--engine", "dask", "--workers", "2"], cwd=REPO, stderr=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        assert build.stderr is not None
        lines = []
        for line in build.stderr:  # the first progress line: the workers run the job's tasks
            lines.append(line)
            if " tasks, " in line or line.startswith("kg: wrote"):
                break
        assert " tasks, " in lines[-1], "".join(lines)
        os.killpg(build.pid, signal.SIGINT)
        rest = build.stderr.read()
        assert build.wait(120) == 130
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest, rest
    assert rest.endswith("kg: interrupted; nothing was half written\n"), rest
    assert not out.exists() or not list(out.glob("graph-*"))
    _group_ends(build.pid)


def test_the_build_s_process_quiets_distributed_as_the_signal_lands_not_once_it_is_caught():
    """On a loaded machine the scheduler's thread logged the closed connections of the workers that the
    same Ctrl-C reached, before the build caught KeyboardInterrupt and quieted it: tracebacks above kg's
    one line. The handler itself now quiets distributed, then raises as before; leaving puts it back."""
    from kg.distributed.workersetup import quiet_from_the_signal
    from kg.interrupts import Terminated, interrupts_past_imports

    log, asyncio_log = logging.getLogger("distributed"), logging.getLogger("asyncio")
    levels = log.level, asyncio_log.level
    try:
        with interrupts_past_imports():
            before = signal.getsignal(signal.SIGINT)
            for sig, raised in ((signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, Terminated)):
                log.setLevel(logging.NOTSET)
                asyncio_log.setLevel(logging.NOTSET)
                with pytest.raises(raised), quiet_from_the_signal():
                    assert log.getEffectiveLevel() < logging.CRITICAL
                    signal.raise_signal(sig)
                    time.sleep(1)  # (the handler runs at the next instruction: never reached)
                assert log.level == logging.CRITICAL and asyncio_log.level == logging.CRITICAL
            assert signal.getsignal(signal.SIGINT) is before
    finally:
        log.setLevel(levels[0])
        asyncio_log.setLevel(levels[1])


def test_a_worker_says_nothing_after_ctrl_c_and_goes_on_until_it_is_closed():
    """A worker whose heartbeat found the scheduler closed (the parent closes the cluster on Ctrl-C) logged
    "Failed to communicate with scheduler during heartbeat" and its traceback after kg's one line, on a
    loaded machine: a worker takes Ctrl-C as the news that the build is stopping, and says no more."""
    import subprocess
    import sys

    code = ("import logging, os, signal, sys, time\n"
            "from kg.distributed.workersetup import dask_setup\n"
            "logging.basicConfig(stream=sys.stderr)\n"
            "log = logging.getLogger('distributed.worker')\n"
            "dask_setup(None)\n"
            "log.error('before: said')\n"
            "os.kill(os.getpid(), signal.SIGINT)\n"
            "time.sleep(0.2)\n"
            "log.error('Failed to communicate with scheduler during heartbeat.')\n"
            "logging.getLogger('distributed.worker.state_machine').error('nor this')\n"
            "print('still running')\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "still running\n", done
    assert done.stderr == "ERROR:distributed.worker:before: said\n", done.stderr


def test_ctrl_c_while_the_local_cluster_starts_waits_for_it_and_closes_it_whole():
    """A Ctrl-C that cut LocalCluster's start short left workers still starting, which printed a traceback
    once the build had exited; the start now runs in a thread that signals never reach, and the build waits
    for it to end and closes what it made (and no cluster of the caller's) before it stops."""
    import threading
    import types
    import weakref

    from kg.distributed.cluster import start_local_cluster

    events: list[str] = []

    class Cluster:
        def __init__(self, **options: object) -> None:
            events.append("starting")
            time.sleep(0.6)  # the Ctrl-C lands meanwhile
            events.append("started")

        def close(self, timeout: float) -> None:
            events.append(f"closed {'own' if self is not callers else 'caller'}")

    callers = object.__new__(Cluster)  # a cluster the caller made before, in distributed's register
    spec = types.SimpleNamespace(SpecCluster=types.SimpleNamespace(_instances=weakref.WeakSet([callers])))
    fake = types.SimpleNamespace(LocalCluster=Cluster, deploy=types.SimpleNamespace(spec=spec))
    threading.Timer(0.2, lambda: signal.raise_signal(signal.SIGINT)).start()
    with pytest.raises(KeyboardInterrupt):
        start_local_cluster(fake, 2)
    assert events == ["starting", "started", "closed own"]
