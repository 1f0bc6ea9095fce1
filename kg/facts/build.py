"""Merge parsed pages into one :class:`~kg.model.KnowledgeGraph`: map, then reduce.

Each page is mapped to its keyed facts (:func:`kg.facts.page_facts`) and the
facts are reduced key by key (:func:`kg.facts.reduce_graph`): links between
pages are resolved there, a link to a page that is not in the corpus is kept
as an external event, each Related line's contexts go to both of its events,
and one shares-context edge is made per pair of events that a Related line
names.  Co-occurrence for all pairs of events of a context is never
materialised: that stays a two-hop query through the context node.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.collector import paused_gc
from kg.errors import ArgumentTypeError
from kg.facts import page_facts, reduce_graph
from kg.iri import check_base_iri
from kg.keywords import checks_keywords
from kg.model import DEFAULT_BASE_IRI, KnowledgeGraph
from kg.parse.records import ParsedPage

__all__ = ["build_graph", "paused_gc"]


@checks_keywords
def build_graph(parsed: Iterable[ParsedPage], *, base_iri: str = DEFAULT_BASE_IRI,
                corpus: str = "", count: bool = True) -> KnowledgeGraph:
    """Merge parsed pages into a knowledge graph.

    Parameters
    ----------
    parsed : iterable of ParsedPage
        The parser's output, in any order: the result does not depend on it.
    base_iri : str
        The base of data IRIs, kept on the graph for the exporters.
    corpus : str
        A name for the corpus, kept in the report.
    count : bool
        Count nodes and edges into the report; ``False`` leaves the counts
        empty, for a graph of some pages whose counts would mean nothing.

    Returns
    -------
    KnowledgeGraph
        With a :class:`~kg.report.BuildReport` of counts and diagnostics.

    Examples
    --------
    >>> import datetime as dt
    >>> from kg.parse.records import EventPage, PageKey, RelatedItem
    >>> a = EventPage("news/2015/09/1/a.md", PageKey(dt.date(2015, 9, 1), "a"), "A", 1, None,
    ...               related=(RelatedItem("B", "/news/2015/09/2/b.md", ("Iran",), 1, 5),))
    >>> g = build_graph([ParsedPage(a.path, a)])
    >>> [(e.key.slug, e.in_corpus) for e in g.event_records.values()]
    [('a', True), ('b', False)]
    >>> g.event_contexts[a.key]
    ('Iran',)
    """
    check_base_iri(base_iri)  # as build() and load() do: a graph's IRIs must be IRIs
    with paused_gc():
        pages = [page_facts(_parsed_page(p)) for p in parsed]
        return reduce_graph(pages, base_iri=base_iri, corpus=corpus, count=count)


def _parsed_page(page: object) -> ParsedPage:
    if not isinstance(page, ParsedPage):  # (a str is an iterable too: of characters)
        raise ArgumentTypeError(f"build_graph takes parsed pages (kg.parse_page's ParsedPage), not "
                                f"{type(page).__name__} {page!r:.40}")
    return page
