"""The record of a build, as a PROV-O activity.

A build (:func:`kg.build`, ``kg build``) notes when it started, which corpus
it read and with which options (:func:`record_build`); the N-Quads and TriG
writers describe it beside the graph (:func:`build_triples`)::

    <…/build/20261130T120000Z> a prov:Activity ;
        prov:startedAtTime "…"^^xsd:dateTime ; prov:endedAtTime "…"^^xsd:dateTime ;
        prov:used <…/page/news> ;                 # the corpus, with prov:atLocation
        prov:wasAssociatedWith <https://w3id.org/kg-news/software> ;   # kg, its version
        kg:option "formats=nquads,trig" ; kg:pagesRead 430 ; kg:diagnostics 0 .
    <…/graph/20261130T120000Z> prov:wasGeneratedBy <…/build/…> .
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import iri
from kg.memo import GraphMemo
from kg.namespace import DCTERMS, KG, PROV, RDF, RDFS, XSD

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph

__all__ = ["BuildRecord", "record_build", "record_local_build", "add_options", "build_record", "build_ended",
           "build_triples"]



@dataclass(frozen=True, slots=True)
class BuildRecord:
    """When a build started, what it read and how (options as ``(name, value)`` pairs)."""

    started: dt.datetime
    corpus: str
    options: tuple[tuple[str, str], ...] = ()


# The record of a build is about the graph but not part of it (not in its triples, not
# compared): kept beside the graph object, for as long as it lives.
_RECORDS: GraphMemo[BuildRecord] = GraphMemo("provenance.build")
_ENDED: GraphMemo[dt.datetime] = GraphMemo("provenance.ended")


def record_build(graph: KnowledgeGraph, started: dt.datetime, corpus: str,
                 options: Mapping[str, object]) -> None:
    """Note how ``graph`` was built (kept beside the graph object, not in its triples)."""
    _RECORDS.put(graph, BuildRecord(started, corpus, tuple((k, str(v)) for k, v in options.items())))


def record_local_build(graph: KnowledgeGraph, started: dt.datetime, *, base_iri: str, jobs: int, fast_parse: bool,
                       cached: bool) -> None:
    """:func:`record_build` for a build on this machine, with the options it was given."""
    record_build(graph, started, graph.report.corpus,
                 {"base": base_iri, "jobs": jobs, "fast_parse": fast_parse, "cache": cached})


def add_options(graph: KnowledgeGraph, options: Mapping[str, object]) -> None:
    """Add options (``kg build``'s formats, say) to the build already recorded on ``graph``."""
    record = _RECORDS.peek(graph)
    if record is not None:
        _RECORDS.put(graph, replace(record, options=record.options + tuple((k, str(v)) for k, v in options.items())))


def build_record(graph: KnowledgeGraph, now: dt.datetime | None = None) -> BuildRecord:
    """The recorded build of ``graph``, or (a graph read back with :func:`kg.load`) one that starts now."""
    return _RECORDS.get(graph, lambda: BuildRecord(now or dt.datetime.now(dt.timezone.utc), graph.report.corpus))


def build_ended(graph: KnowledgeGraph) -> dt.datetime:
    """When the build ended: the first time it is described, then the same for every file written."""
    return _ENDED.get(graph, lambda: dt.datetime.now(dt.timezone.utc))


def _time(moment: dt.datetime) -> ox.Literal:
    return ox.Literal(moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
                      datatype=XSD.dateTime)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD.integer)


def build_triples(graph: KnowledgeGraph, dataset: ox.NamedNode, ended: dt.datetime) -> Iterator[ox.Triple]:
    """The PROV-O description of the build that made ``dataset``.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> record = build_record(g)
    >>> ds = ox.NamedNode(iri.dataset_iri(g.base_iri, record.started))
    >>> kinds = {t.object for t in build_triples(g, ds, record.started) if t.predicate == RDF.type}
    >>> PROV.Activity in kinds and PROV.SoftwareAgent in kinds
    True
    """
    from kg import __version__

    T = ox.Triple
    record = build_record(graph)
    activity = ox.NamedNode(iri.build_iri(graph.base_iri, record.started))
    agent = ox.NamedNode(iri.KG_SOFTWARE_IRI)
    corpus = ox.NamedNode(iri.page_iri(graph.base_iri, "news"))
    yield T(dataset, RDF.type, PROV.Entity)
    yield T(dataset, PROV.wasGeneratedBy, activity)
    yield T(dataset, PROV.generatedAtTime, _time(ended))
    yield T(dataset, PROV.wasDerivedFrom, corpus)
    yield T(activity, RDF.type, PROV.Activity)
    yield T(activity, RDFS.label, ox.Literal(f"kg build of {record.corpus or 'a corpus'}"))
    yield T(activity, PROV.startedAtTime, _time(record.started))
    yield T(activity, PROV.endedAtTime, _time(ended))
    yield T(activity, PROV.used, corpus)
    yield T(activity, PROV.wasAssociatedWith, agent)
    for name, value in record.options:
        yield T(activity, KG.option, ox.Literal(f"{name}={value}"))
    yield T(activity, KG.pagesRead, _int(graph.report.pages_read))
    yield T(activity, KG.diagnostics, _int(len(graph.report.diagnostics)))
    yield T(corpus, RDF.type, PROV.Entity)
    yield T(corpus, RDFS.label, ox.Literal(f"corpus {record.corpus}" if record.corpus else "corpus"))
    if record.corpus:
        yield T(corpus, PROV.atLocation, ox.Literal(record.corpus))
    yield T(agent, RDF.type, PROV.SoftwareAgent)
    yield T(agent, RDFS.label, ox.Literal(f"kg {__version__}"))
    yield T(agent, DCTERMS.hasVersion, ox.Literal(__version__))
