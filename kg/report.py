"""The build report: counts and diagnostics, written as ``report.json``."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

from kg.keywords import checks_keywords_as
from kg.model import BuildReport, check_graph  # (BuildReport re-exported: the record is part of the model)
from kg.parse.publishers import split_publisher
from kg.table import graph_table

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import Event, KnowledgeGraph
    from kg.parse.records import PageKey

__all__ = ["BuildReport", "count_graph", "write_report", "report_bytes", "subject_tallies", "sum_tallies", "kind_tally",
           "corpus_beside", "COUNT_NAMES", "TALLY_NAMES"]


#: Count names in report order.
COUNT_NAMES = ("events", "external_events", "days", "sources", "source_citations", "publishers",
               "organizations", "made_by", "distributed_by", "images", "contexts", "related_links",
               "unresolved_links", "event_context_pairs", "shared_context_pairs", "day_entries")

#: Node kind -> the counts each of its subjects adds to (see :func:`subject_tallies`).
TALLY_NAMES: dict[str, tuple[str, ...]] = {
    "events": ("events", "external_events", "source_citations", "event_context_pairs"),
    "days": ("days", "day_entries", "unresolved_links"),
    "articles": ("sources",),
    "publishers": ("publishers", "made_by", "distributed_by"),
    "organizations": ("organizations",),
    "images": ("images",),
    "contexts": ("contexts",),
    "related": ("related_links", "unresolved_links"),
    "shared": ("shared_context_pairs",),
    "pages": (),
}


def subject_tallies(graph: KnowledgeGraph, kind: str, outside: Collection[PageKey] | None = None,
                    ) -> Iterator[tuple[int, ...]]:
    """What each subject of a node kind adds to the counts, in output order.

    The incremental build keeps these per subject, so that the counts of a
    graph it never holds whole are the sums :func:`count_graph` gives.
    ``outside`` are the events out of the corpus, for a part of a graph whose
    days and Related lines name events it does not hold (default: the
    external events of ``graph``).
    """
    tallies = _TALLIES.get(kind)
    if tallies is None:  # one subject counts one, or nothing
        from kg.export.triples import kind_size

        yield from repeat((1,) if TALLY_NAMES[kind] else (), kind_size(graph, kind))
        return
    yield from tallies(graph, outside)


_Tallies = Callable[["KnowledgeGraph", "Collection[PageKey] | None"], Iterator[tuple[int, ...]]]


def _links_out(graph: KnowledgeGraph, outside: Collection[PageKey] | None) -> tuple[bool, Callable[[PageKey], bool]]:
    """Whether no link leads out of the corpus; and whether a link's target is out of it."""
    events = graph.event_records
    if outside is None:
        return _all_in_corpus(events), partial(_not_in_corpus, events)
    return not outside, outside.__contains__


def _event_tallies(graph: KnowledgeGraph, outside: Collection[PageKey] | None) -> Iterator[tuple[int, ...]]:
    contexts = graph.event_contexts
    for key, e in graph.event_records.items():
        yield (1, 0, len(e.sources), len(contexts.get(key, ()))) if e.in_corpus else \
              (0, 1, len(e.sources), len(contexts.get(key, ())))


def _day_tallies(graph: KnowledgeGraph, outside: Collection[PageKey] | None) -> Iterator[tuple[int, ...]]:
    whole, external = _links_out(graph, outside)
    for day in graph.days.values():  # (its links out of the corpus counted only where there are any)
        yield 1, len(day.listed), 0 if whole else sum(1 for k in day.listed if external(k))


def _publisher_tallies(graph: KnowledgeGraph, outside: Collection[PageKey] | None) -> Iterator[tuple[int, ...]]:
    for name in graph.publishers:
        outlet = split_publisher(name)
        yield 1, len(outlet.publishers), 0 if outlet.distributor is None else 1


def _related_tallies(graph: KnowledgeGraph, outside: Collection[PageKey] | None) -> Iterator[tuple[int, ...]]:
    whole, external = _links_out(graph, outside)
    if whole:  # the usual case: no link leads out of the corpus
        yield from repeat((1, 0), len(graph.related))
        return
    for link in graph.related:
        yield 1, 1 if external(link.target) else 0


#: Node kinds whose subjects add more than one each: their tallies (the others: see subject_tallies).
_TALLIES: dict[str, _Tallies] = {
    "events": _event_tallies,
    "days": _day_tallies,
    "publishers": _publisher_tallies,
    "related": _related_tallies,
}


def kind_tally(graph: KnowledgeGraph, kind: str) -> tuple[int, ...]:
    """The sum of :func:`subject_tallies` over a node kind."""
    width = len(TALLY_NAMES[kind])
    return tuple(map(sum, zip(*subject_tallies(graph, kind), strict=True))) or (0,) * width


def _all_in_corpus(events: Mapping[PageKey, Event]) -> bool:
    """Whether every event is in the corpus (then every link target is: targets are events)."""
    return all(e.in_corpus for e in events.values())


def _in_corpus(events: Mapping[PageKey, Event], key: PageKey) -> bool:
    event = events.get(key)
    return event is not None and event.in_corpus


def _not_in_corpus(events: Mapping[PageKey, Event], key: PageKey) -> bool:
    return not _in_corpus(events, key)


def sum_tallies(tallies: Iterable[tuple[str, tuple[int, ...]]]) -> dict[str, int]:
    """Add up ``(kind, tally)`` pairs into counts, in report order."""
    total = dict.fromkeys(COUNT_NAMES, 0)
    for kind, tally in tallies:
        # a kind whose subjects were all removed keeps an empty tally
        for name, n in zip(TALLY_NAMES[kind], tally, strict=False):
            total[name] += n
    return total


@checks_keywords_as("kg.counts")
def count_graph(graph: KnowledgeGraph) -> dict[str, int]:
    """Count nodes and edges of a graph by type, from its node/edge table (:mod:`kg.table`).

    ``events`` counts events whose page was read; ``external_events`` those
    that only a link names.  ``unresolved_links`` counts links (related or
    day-page) whose target page is not in the corpus.

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to count.

    Returns
    -------
    dict of str to int
        One count per name of :data:`COUNT_NAMES`, in that order: the ``counts`` of ``report.json``.

    Examples
    --------
    >>> import kg
    >>> counts = kg.counts(kg.build("examples/wcep-2015-09"))
    >>> counts["events"], counts["related_links"], counts["event_context_pairs"]
    (428, 1925, 687)
    """
    check_graph(graph, "kg.counts")
    table = graph_table(graph)
    nodes, edges = table.nodes, table.edges
    events = nodes["event"]
    read = sum(events.in_corpus)
    links, listed = edges["related-to"], edges["lists-event"]
    if read == len(events):  # the usual case: no link leads out of the corpus
        unresolved = 0
    else:
        here = {key for key, in_corpus in zip(events.key, events.in_corpus, strict=True) if in_corpus}
        unresolved = sum(1 for key in (*links.target, *listed.target) if key not in here)
    counts = {
        "events": read,
        "external_events": len(events) - read,
        "days": len(nodes["day"]),
        "sources": len(nodes["article"]),
        "source_citations": len(edges["cites"]),
        "publishers": len(nodes["publisher"]),
        "organizations": len(nodes["organization"]),
        "made_by": len(edges["made-by"]),
        "distributed_by": len(edges["distributed-by"]),
        "images": len(nodes["image"]),
        "contexts": len(nodes["context"]),
        "related_links": len(links),
        "unresolved_links": unresolved,
        "event_context_pairs": len(edges["has-context"]),
        "shared_context_pairs": len(edges["shares-context"]),
        "day_entries": len(listed),
    }
    return {name: counts[name] for name in COUNT_NAMES}


def write_report(graph: KnowledgeGraph | BuildReport, path: str | os.PathLike[str]) -> None:
    """Write ``report.json`` (of a graph, or a report) as UTF-8 with a newline at the end."""
    report = graph if isinstance(graph, BuildReport) else graph.report
    text = report_bytes(report).decode("utf-8")
    from kg.publish import replacing

    with replacing(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)  # renamed into place whole: a full disk leaves the old file as it was


def report_bytes(report: BuildReport) -> bytes:
    """The bytes of ``report.json``: UTF-8 JSON with a newline at the end.

    >>> report_bytes(BuildReport(corpus="c"))[:17]
    b'{\\n  "corpus": "c"'
    """
    from kg.parse.text import REFUSED

    text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
    # A diagnostic may quote a noncharacter (a file name, a link); JSON keeps it as an escape.
    text = REFUSED.sub(lambda m: json.dumps(m.group())[1:-1], text)
    return (text + "\n").encode("utf-8")


def corpus_beside(path: str | os.PathLike[str], graph: KnowledgeGraph) -> str | None:
    """The corpus's name from the ``report.json`` that kg build wrote beside ``path``, if its counts are ``graph``'s.

    RDF does not say which corpus a graph came from; the report of the same
    build does (``kg html graph.ttl`` titles its page with it).

    >>> import kg, tempfile, pathlib
    >>> g = kg.build("examples/wcep-2015-09")
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> kg.write(g, out / "graph.nt"); kg.write(g, out / "report.json")
    >>> corpus_beside(out / "graph.nt", kg.load(out / "graph.nt"))
    'wcep-2015-09'
    """
    where = Path(path)
    report = where.parent / "report.json"
    if not where.is_file() or not report.is_file():
        return None
    try:
        data = json.loads(report.read_bytes())
    except (OSError, ValueError):
        return None
    name = data.get("corpus") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name or len(name) > 200 or data.get("counts") != graph.report.counts:
        return None
    return name
