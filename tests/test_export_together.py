"""Formats written side by side in forked workers give the bytes of one writer after another."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import kg
from kg.errors import OutputError
from kg.export import EXPORTERS, export, together

FORMATS = ("html", "snapshot", "graphml", "report", "turtle")


def _writes(folder: Path, formats: tuple[str, ...] = FORMATS) -> list[together.Write]:
    folder.mkdir(exist_ok=True)
    return [(name, folder / EXPORTERS[name].filename, {}) for name in formats]


def test_side_by_side_gives_the_bytes_of_one_after_another(sample_graph: kg.KnowledgeGraph, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    for name, path, _ in _writes(tmp_path / "serial"):
        export(sample_graph, path, name, **({"jobs": 1} if name == "turtle" else {}))
    monkeypatch.setattr(together, "MIN_EVENTS_SIDE_BY_SIDE", 0)  # the sample is below the threshold
    forked: list[object] = []
    real = together._writing_in_workers
    monkeypatch.setattr(together, "_writing_in_workers", lambda *a: forked.append(a) or real(*a))
    together.export_all(sample_graph, _writes(tmp_path / "together"), jobs=2)
    assert len(forked) == 1 and [w[0] for w in forked[0][1]] == ["html"]  # a worker writes the explorer
    for name in FORMATS:
        file = EXPORTERS[name].filename
        assert (tmp_path / "together" / file).read_bytes() == (tmp_path / "serial" / file).read_bytes(), name
    assert sorted(p.name for p in (tmp_path / "together").iterdir()) == sorted(
        EXPORTERS[n].filename for n in FORMATS)  # no part file left behind


def test_a_writer_failing_in_a_worker_raises_its_own_error_here(sample_graph: kg.KnowledgeGraph, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(together, "MIN_EVENTS_SIDE_BY_SIDE", 0)
    writes = [("snapshot", tmp_path / "graph.kg.json", {}), ("html", tmp_path / "missing" / "graph.html", {})]
    with pytest.raises(OutputError, match=r"graph\.html") as caught:
        together.export_all(sample_graph, writes, jobs=2)
    assert isinstance(caught.value.__cause__, FileNotFoundError)  # the cause is kept, as in one process
    assert (tmp_path / "graph.kg.json").is_file() and not (tmp_path / "missing").exists()


def test_one_job_writes_turtle_in_this_process(sample_dir: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.export import rdf

    monkeypatch.setattr(rdf, "_PARALLEL_MIN_EVENTS", 0)
    monkeypatch.setattr(together, "MIN_EVENTS_SIDE_BY_SIDE", 0)

    def no_workers(*args: object) -> None:
        raise AssertionError("--jobs 1 started worker processes")

    monkeypatch.setattr(rdf, "_write_in_parts", no_workers)
    monkeypatch.setattr(together, "_writing_in_workers", no_workers)
    result = kg.build_files(sample_dir, tmp_path / "out", ("turtle", "html", "snapshot"), jobs=1, cache=False)
    assert {Path(p).name for p in result.files} == {"graph.ttl", "graph.html", "graph.kg.json"}


def test_the_block_runs_while_the_workers_write(sample_graph: kg.KnowledgeGraph, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Turtle is written before the block (which may read it), the explorer after it or beside it."""
    monkeypatch.setattr(together, "MIN_EVENTS_SIDE_BY_SIDE", 0)
    writes = _writes(tmp_path, ("turtle", "html"))
    with together.exporting(sample_graph, writes, jobs=2):
        assert (tmp_path / "graph.ttl").stat().st_size > 0
    assert (tmp_path / "graph.html").stat().st_size > 0
    with pytest.raises(KeyError), together.exporting(sample_graph, _writes(tmp_path / "b", ("html",)), jobs=2):
        raise KeyError("the block failed")  # the workers are stopped; the error is the block's


def test_files_written_side_by_side_tell_one_build_time(sample_dir: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """N-Quads and TriG name the build's dataset and its end: the same in every file, and as
    this process writes them afterwards (not each worker's own clock)."""
    monkeypatch.setattr(together, "MIN_EVENTS_SIDE_BY_SIDE", 0)
    graph = kg.build(sample_dir)  # no file written from it yet: no end recorded
    together.export_all(graph, _writes(tmp_path / "together", ("nquads", "trig")), jobs=2)
    kg.write(graph, tmp_path / "after.trig")
    kg.write(graph, tmp_path / "after.nq")
    assert (tmp_path / "after.trig").read_bytes() == (tmp_path / "together" / "graph.trig").read_bytes()
    assert (tmp_path / "after.nq").read_bytes() == (tmp_path / "together" / "graph.nq").read_bytes()


def test_a_worker_killed_while_writing_is_replaced_by_this_process(sample_graph: kg.KnowledgeGraph, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """As the out-of-memory killer ends a worker: its file is written here instead, the same bytes."""
    import os
    import signal

    export(sample_graph, tmp_path / "alone.html", "html")
    monkeypatch.setattr(together, "MIN_EVENTS_SIDE_BY_SIDE", 0)
    parent = os.getpid()

    def killed_in_a_worker(graph: kg.KnowledgeGraph, path: Path, name: str, **options: object) -> None:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        export(graph, path, name, **options)

    monkeypatch.setattr(together, "export", killed_in_a_worker)
    together.export_all(sample_graph, _writes(tmp_path / "out", ("html", "snapshot")), jobs=2)
    assert (tmp_path / "out" / "graph.html").read_bytes() == (tmp_path / "alone.html").read_bytes()
    assert (tmp_path / "out" / "graph.kg.json").stat().st_size > 0


def test_with_work_meanwhile_a_fresh_process_writes_the_explorer_from_the_snapshot(
        sample_graph: kg.KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a fork, which would hold the build's heap: the same bytes, read back from the snapshot."""
    from kg.export import fromsnapshot

    formats = ("html", "snapshot", "report")
    for name, path, _ in _writes(tmp_path / "serial", formats):
        export(sample_graph, path, name)
    monkeypatch.setattr(together, "MIN_EVENTS_SIDE_BY_SIDE", 0)

    def no_fork(*args: object) -> None:
        raise AssertionError("the explorer was written by a fork")

    monkeypatch.setattr(together, "_writing_in_workers", no_fork)
    started: list[subprocess.Popen[bytes] | None] = []
    real = fromsnapshot.start
    monkeypatch.setattr(fromsnapshot, "start", lambda *a: started.append(real(*a)) or started[-1])
    with together.exporting(sample_graph, _writes(tmp_path / "together", formats), jobs=2):
        assert (tmp_path / "together" / "graph.kg.json").stat().st_size > 0  # written before the block
    assert len(started) == 1 and started[0] is not None and started[0].returncode == 0  # it wrote the explorer
    for name in formats:
        file = EXPORTERS[name].filename
        assert (tmp_path / "together" / file).read_bytes() == (tmp_path / "serial" / file).read_bytes(), name
    with pytest.raises(KeyError), together.exporting(sample_graph, _writes(tmp_path / "b", formats), jobs=2):
        raise KeyError("the block failed")
    assert started[1] is not None and started[1].returncode is not None  # stopped with the block, and waited for


def test_an_explorer_the_fresh_process_could_not_write_is_left_to_this_one(tmp_path: Path) -> None:
    (tmp_path / "graph.kg.json").write_text("not a snapshot", encoding="utf-8")
    with together._writing_from_snapshot(tmp_path / "graph.kg.json", ("html", tmp_path / "graph.html", {})) as lost:
        pass
    assert lost == [True] and not (tmp_path / "graph.html").exists()


def test_a_default_build_with_the_cache_writes_its_explorer_by_a_fresh_process(
        sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end, as `kg build` runs: the explorer from the snapshot, the bytes of one process."""
    from kg.export import fromsnapshot

    alone = kg.build_files(sample_dir, tmp_path / "alone", ("turtle", "report", "html", "snapshot"), jobs=1)
    monkeypatch.setattr(together, "MIN_EVENTS_SIDE_BY_SIDE", 0)
    started: list[subprocess.Popen[bytes] | None] = []
    real = fromsnapshot.start
    monkeypatch.setattr(fromsnapshot, "start", lambda *a: started.append(real(*a)) or started[-1])
    kg.build_files(sample_dir, tmp_path / "out", ("turtle", "report", "html", "snapshot"), jobs=2)
    assert len(started) == 1 and started[0] is not None and started[0].returncode == 0
    for path in alone.files:
        name = Path(path).name
        assert (tmp_path / "out" / name).read_bytes() == Path(path).read_bytes(), name


@pytest.mark.parametrize("name", sorted(n for n, e in EXPORTERS.items() if not e.reads_counts))
def test_a_format_said_not_to_read_the_counts_does_not(name: str, sample_graph: kg.KnowledgeGraph,
                                                       tmp_path: Path) -> None:
    """A rerun writes such a file before the report's counts are settled (kg.incremental.patching)."""
    from dataclasses import replace

    other = replace(sample_graph, report=replace(sample_graph.report,
                                                 counts={k: v + 7 for k, v in sample_graph.report.counts.items()}))
    suffix = EXPORTERS[name].suffixes[0]  # (the page is written only to a .html name)
    export(sample_graph, tmp_path / f"a{suffix}", name)
    export(other, tmp_path / f"b{suffix}", name)
    assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"b{suffix}").read_bytes()
    assert EXPORTERS["snapshot"].reads_counts and EXPORTERS["report"].reads_counts
