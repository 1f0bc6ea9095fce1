"""The model is a plain value: what is derived from a graph is kept beside it, not in it."""

from __future__ import annotations

import dataclasses
import gc
from pathlib import Path

import kg
from kg.export import provenance
from kg.query import analyst as query
from kg.query import eventrows

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "wcep-2015-09"


def test_the_graph_has_only_data_fields() -> None:
    names = [f.name for f in dataclasses.fields(kg.KnowledgeGraph)]
    # organizations, like publishers, says which nodes of a kind a graph holds: None (a built or
    # loaded graph) derives them from its publishers; only a view of a few subjects names them.
    # organization_labels, each organization's label by key, is data the build chose (by the pages that write
    # each spelling). provenance, the record of how it was made, is a plain value too (not compared).
    assert names == ["event_records", "days", "articles", "publishers", "images", "contexts",
                     "event_contexts", "related", "shared", "report", "base_iri", "organizations",
                     "organization_labels", "provenance"]
    assert not any(name.startswith("_") for name in names)


def test_derived_values_live_as_long_as_their_graph() -> None:
    g = kg.build(SAMPLE)
    store = query.store(g)
    assert query.store(g) is store  # computed once
    rows = eventrows.event_rows(g)
    copy = dataclasses.replace(g)
    assert copy == g and query.store(copy) is not store  # a new value starts afresh
    assert eventrows.event_rows(copy) == rows
    gc.collect()  # graphs of earlier tests waiting in cycles go first, not in the count below
    before = len(query._STORES), len(eventrows._ROWS)
    del g, copy, store
    gc.collect()
    assert (len(query._STORES), len(eventrows._ROWS)) == (before[0] - 2, before[1] - 2)


def test_the_build_record_is_part_of_the_value_but_not_compared() -> None:
    g = kg.build(SAMPLE)
    record = provenance.build_record(g)
    assert record == g.provenance and record.ended is not None and record.started <= record.ended
    noted = provenance.add_options(g, {"formats": "trig"})
    assert noted.provenance is not None and noted.provenance.options == (*record.options, ("formats", "trig"))
    assert g.provenance == record  # the graph it was made from is unchanged
    assert dataclasses.replace(g).provenance == record and noted == g  # kept by a copy; not compared
    # A graph made by hand gets a record once it is settled, the same for every file written from it.
    bare = dataclasses.replace(g, provenance=None)
    assert provenance.settled(bare).provenance is not None and bare.provenance is None
    # A subgraph is a dataset of its own: a record of its own, made when it was.
    part = kg.subgraph(g, context="Iran")
    assert part.provenance is not None and part.provenance.started > record.started


def test_a_build_notes_its_files_in_the_graph_it_returns(tmp_path) -> None:
    result = kg.build_files(SAMPLE, tmp_path / "out", ("turtle", "nquads"))
    assert result.graph is not None and result.graph.provenance is not None
    assert result.graph.provenance.options[-2:] == (("formats", "turtle,nquads"), ("gzip", "false"))
    import pyoxigraph as ox

    written = {q.object.value for q in ox.parse(path=str(tmp_path / "out" / "graph.nq"), format=ox.RdfFormat.N_QUADS)
               if q.predicate.value.endswith("#option")}
    assert written == {f"{k}={v}" for k, v in result.graph.provenance.options}
