"""The record of a build, as a PROV-O activity.

A build (:func:`kg.build`, ``kg build``) notes when it started and ended,
which corpus it read and with which options (:func:`record_build`), in the
graph's value (``graph.provenance``, not compared); the N-Quads and TriG writers
describe it beside the graph (:func:`build_triples`)::

    <…/build/wcep-2015-09/20261130T120000.250000Z> a prov:Activity ;
        prov:startedAtTime "…"^^xsd:dateTime ; prov:endedAtTime "…"^^xsd:dateTime ;
        prov:used <…/page/news> ;                 # the corpus: a kg:Corpus, its name its dcterms:title
        prov:wasAssociatedWith <https://w3id.org/kg-news/software> ;   # kg, its version
        kg:option "formats=nquads,trig" ; kg:pagesRead 430 ; kg:diagnostics 0 .
    <…/graph/wcep-2015-09/20261130T120000.250000Z> prov:wasGeneratedBy <…/build/…> .
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from dataclasses import replace

import pyoxigraph as ox

from kg import iri
from kg.model import BuildRecord, KnowledgeGraph
from kg.namespace import DCTERMS, KG, PROV, RDF, RDFS, XSD
from kg.parse.commanames import CommaNames
from kg.parse.options import ParseOptions

__all__ = ["DESCRIPTION_ONLY", "BuildRecord", "record_build", "record_local_build", "add_options", "add_files",
           "settled", "build_record", "build_triples", "comma_names_text"]


def record_build(graph: KnowledgeGraph, started: dt.datetime, corpus: str, options: Mapping[str, object],
                 ended: dt.datetime | None = None) -> KnowledgeGraph:
    """``graph`` with the record of how it was built (:attr:`~kg.model.KnowledgeGraph.provenance`).

    Examples
    --------
    >>> import datetime as dt, kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> start = dt.datetime(2026, 11, 30, 12, tzinfo=dt.timezone.utc)
    >>> record_build(g, start, "sample", {"jobs": 2, "cache": True}).provenance.options
    (('jobs', '2'), ('cache', 'true'))
    """
    record = BuildRecord(started, corpus, tuple((k, _option_text(v)) for k, v in options.items()), ended)
    return replace(graph, provenance=record)


def _option_text(value: object) -> str:
    """An option's value as the record writes it: a flag as RDF and JSON write one (``true``), not as Python."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def record_local_build(graph: KnowledgeGraph, started: dt.datetime, *, base_iri: str, jobs: int,
                       reading: ParseOptions, cached: bool) -> KnowledgeGraph:
    """:func:`record_build` for a build on this machine that ends now, with the options it was given."""
    options: dict[str, object] = {"base": base_iri, "jobs": jobs, "fast_parse": reading.fast, "cache": cached}
    if reading.comma_names.names:  # (named only when given: a build without them is recorded as before)
        options["comma_names"] = comma_names_text(reading.comma_names)
    return record_build(graph, started, graph.report.corpus, options, dt.datetime.now(dt.timezone.utc))


def comma_names_text(names: CommaNames) -> str:
    """The names with a comma that a build joined, as its record says them: how many, and their digest.

    >>> from kg.parse.commanames import CommaNames
    >>> comma_names_text(CommaNames.of(["Hildale, Utah"]))[:24]
    '1 name, sha256 481bd7b61'
    """
    count = len(names.names)
    return f"{count:,} name{'' if count == 1 else 's'}, sha256 {names.digest}"


def add_options(graph: KnowledgeGraph, options: Mapping[str, object]) -> KnowledgeGraph:
    """``graph`` with ``options`` (``kg build``'s formats, say) added to its build's record."""
    record = _settled_record(graph)
    added = tuple((k, _option_text(v)) for k, v in options.items())
    return replace(graph, provenance=replace(record, options=record.options + added))


def add_files(graph: KnowledgeGraph, targets: Mapping[str, str | os.PathLike[str]]) -> KnowledgeGraph:
    """``graph`` with a build's files (format -> path) noted in its record: the formats, and whether gzipped.

    Examples
    --------
    >>> import kg
    >>> g = add_files(kg.build("examples/wcep-2015-09"), {"turtle": "out/graph.ttl.gz", "report": "out/report.json"})
    >>> g.provenance.options[-2:]
    (('formats', 'turtle,report'), ('gzip', 'true'))
    """
    return add_options(graph, {"formats": ",".join(targets),
                               "gzip": any(os.fspath(path).endswith(".gz") for path in targets.values())})


def settled(graph: KnowledgeGraph, now: dt.datetime | None = None) -> KnowledgeGraph:
    """``graph`` with a build record that has ended: its own, or (a graph made by hand) one of ``now``.

    Every file written from the result describes the same build, however many
    are written and by whichever process.  :func:`kg.build`, :func:`kg.load`
    and :func:`kg.subgraph` give graphs with a record; a graph made by hand
    without one is described as built at each write, unless settled first.

    Examples
    --------
    >>> import dataclasses, kg
    >>> g = settled(dataclasses.replace(kg.build("examples/wcep-2015-09"), provenance=None))
    >>> g.provenance.started == g.provenance.ended, settled(g) is g
    (True, True)
    """
    record = _settled_record(graph, now)
    return graph if record is graph.provenance else replace(graph, provenance=record)


def build_record(graph: KnowledgeGraph) -> BuildRecord:
    """The record of ``graph``'s build (as :func:`settled` gives it)."""
    return _settled_record(graph)


def _settled_record(graph: KnowledgeGraph, now: dt.datetime | None = None) -> BuildRecord:
    record = graph.provenance
    if record is not None and record.ended is not None:
        return record
    moment = now or dt.datetime.now(dt.timezone.utc)
    return BuildRecord(moment, graph.report.corpus, ended=moment) if record is None else replace(record, ended=moment)


def _time(moment: dt.datetime) -> ox.Literal:
    return ox.Literal(moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
                      datatype=XSD.dateTime)


#: The terms that only a build's description writes (besides those of VoID's namespace): a graph file
#: (Turtle, N-Triples, the snapshot) has none of them, its N-Quads, TriG and store have them beside the graph.
DESCRIPTION_ONLY: frozenset[str] = frozenset(term.value for term in (
    KG.Corpus, KG.option, KG.pagesRead, KG.diagnostics, PROV.Entity, PROV.Activity, PROV.SoftwareAgent,
    PROV.wasGeneratedBy, PROV.generatedAtTime, PROV.startedAtTime, PROV.endedAtTime, PROV.used,
    PROV.wasAssociatedWith, DCTERMS.hasVersion, DCTERMS.license, DCTERMS.description))


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD.integer)


def build_triples(graph: KnowledgeGraph, dataset: ox.NamedNode) -> Iterator[ox.Triple]:
    """The PROV-O description of the build that made ``dataset`` (settle ``graph`` first: :func:`settled`).

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> record = build_record(g)
    >>> ds = ox.NamedNode(iri.dataset_iri(g.base_iri, record.started, record.corpus))
    >>> kinds = {t.object for t in build_triples(g, ds) if t.predicate == RDF.type}
    >>> PROV.Activity in kinds and PROV.SoftwareAgent in kinds and KG.Corpus in kinds
    True
    """
    from kg import __version__

    T = ox.Triple
    record = _settled_record(graph)
    ended = record.ended if record.ended is not None else record.started  # (settled: never None)
    activity = ox.NamedNode(iri.build_iri(graph.base_iri, record.started, record.corpus))
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
    # The corpus's IRI is its news/ folder's, above its pages' (page/news/…), but it is no kg:Page.
    # prov:Entity stated too, for readers that do not infer it (SHACL's sh:class, in ontology/shapes.ttl).
    yield T(corpus, RDF.type, KG.Corpus)
    yield T(corpus, RDF.type, PROV.Entity)
    yield T(corpus, RDFS.label, ox.Literal(f"corpus {record.corpus}" if record.corpus else "corpus"))
    if record.corpus:  # (its name: prov:atLocation would need a prov:Location, not a text)
        yield T(corpus, DCTERMS.title, ox.Literal(record.corpus))
    yield T(agent, RDF.type, PROV.SoftwareAgent)
    yield T(agent, RDFS.label, ox.Literal(f"kg {__version__}"))
    yield T(agent, DCTERMS.hasVersion, ox.Literal(__version__))
