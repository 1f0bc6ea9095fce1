"""The model as RDF: one stream of triples, in a stable order.

:func:`graph_triples` is the single mapping from :class:`~kg.model.KnowledgeGraph`
to RDF; Turtle, N-Triples, the SPARQL store and rdflib all read it.  It writes
the nodes and edges of the graph's node/edge table (:mod:`kg.table`), which
decides what they are; this module decides only how RDF says them (classes,
predicates, literals, and the Related lines, shared-context pairs and pages
as subjects of their own).  Terms are pyoxigraph values (fast to make, and
pyoxigraph writes the files).  The order is by node kind, then by key, so
that the same graph gives the same bytes (the keys: :mod:`kg.export.order`).
Prefixes are in :mod:`kg.export.prefixes`, the rdflib copy in
:mod:`kg.export.rdflib_graph`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import chain
from operator import attrgetter
from typing import Any, TypeVar

import pyoxigraph as ox

from kg import iri
from kg.errors import ArgumentError
from kg.export.order import page_paths
from kg.export.terms import Minter, Terms
from kg.keywords import checks_keywords_as
from kg.model import KnowledgeGraph, check_graph
from kg.namespace import DCTERMS, KG, PROV, RDF, RDFS, SCHEMA, SEM, SKOS
from kg.parse.records import PageKey
from kg.table import Table, graph_table, organizations

__all__ = [
    "EMITTERS",
    "emit",
    "graph_triples_as_quads",
    "graph_triples",
    "kind_size",
]

#: A statement of the graph: a triple, or a quad (for a store or N-Quads, made so rather than copied),
#: or what a text writer gives back for the line it wrote (:mod:`kg.export.rdftext`).
_S = TypeVar("_S")
#: What an emitter makes each statement with, from its subject, predicate and object: ``ox.Triple``,
#: ``ox.Quad`` (the default graph), ``ox.Quad`` with a ``graph_name`` bound, or a text writer's method.
_Make = Callable[..., _S]
_Emit = Callable[[Table, KnowledgeGraph, Terms, slice, Callable[..., Any]], Iterator[Any]]
_ALL = slice(None)


def _events(t: Table, g: KnowledgeGraph, m: Terms, part: slice, T: _Make[_S]) -> Iterator[_S]:
    nodes = t.nodes["event"]
    # The links of each event, by the id of its key among the event nodes: every part
    # of a parallel write makes these anew, and PageKey's hash runs in Python.
    # A link that holds an equal key of its own is mapped to ours by value.
    ours = {id(key) for key in nodes.key}
    by_value: dict[PageKey, PageKey] = {}

    def our_id(key: PageKey) -> int | None:
        if not by_value:
            by_value.update((k, k) for k in nodes.key)
        mine = by_value.get(key)
        return None if mine is None else id(mine)

    related: dict[int | None, list[PageKey]] = defaultdict(list)
    links = t.edges["related-to"]
    for source, target in zip(links.source, links.target, strict=False):
        n = id(source)
        related[n if n in ours else our_id(source)].append(target)
    sharing: dict[int | None, list[PageKey]] = defaultdict(list)
    pairs = t.edges["shares-context"]
    for first, second in zip(pairs.source, pairs.target, strict=False):
        n, k = id(first), id(second)
        sharing[n if n in ours else our_id(first)].append(second)
        sharing[k if k in ours else our_id(second)].append(first)
    order = attrgetter("date", "slug")  # PageKey's order, compared in C
    # Terms bound once: a vocabulary lookup per triple costs more than the triple.
    a, name, label, start, stamp, path, in_corpus = m.vocabulary(RDF.type, SCHEMA.name, RDFS.label, SCHEMA.startDate,
                                                                 SEM.hasTimeStamp, KG.path, KG.inCorpus)
    kinds = m.vocabulary(KG.Event, SCHEMA.Event, SEM.Event)
    # schema:subjectOf (Thing -> CreativeWork): a cited article is about the event;
    # schema:citation is for CreativeWorks only, which an event is not.
    on_day, derived, cited, image, about = m.vocabulary(KG.onDay, PROV.wasDerivedFrom, SCHEMA.subjectOf,
                                                        SCHEMA.image, SCHEMA.about)
    related_to, shares = m.vocabulary(KG.relatedTo, KG.sharesContext)
    event, context, article, img, page, day = m.event, m.context, m.article, m.image, m.page, m.day
    literal, true, false = m.literal, m.true, m.false
    no_keys: tuple[PageKey, ...] = ()
    days, cites, images, contexts = t.edges["on-day"], t.edges["cites"], t.edges["has-image"], t.edges["has-context"]
    day_at, day_of, cite_at, cited_url = days.offsets, days.target, cites.offsets, cites.target
    image_at, image_url, context_at, context_name = images.offsets, images.target, contexts.offsets, contexts.target
    keys, headlines, pages, in_corpus_of = nodes.key, nodes.label, nodes.page, nodes.in_corpus
    for row in range(len(nodes))[part]:
        key = keys[row]
        s = event(key)
        date = m.date(key.date)
        for kind in kinds:
            yield T(s, a, kind)
        headline = literal(headlines[row])
        yield T(s, name, headline)
        yield T(s, label, headline)
        yield T(s, start, date)
        yield T(s, stamp, date)
        yield T(s, path, literal(key.path))
        here = in_corpus_of[row]
        yield T(s, in_corpus, true if here else false)
        for n in range(day_at[row], day_at[row + 1]):
            yield T(s, on_day, day(day_of[n]))
        if here:
            yield T(s, derived, page(pages[row] or key.path))
        for n in range(cite_at[row], cite_at[row + 1]):
            yield T(s, cited, article(cited_url[n]))
        for n in range(image_at[row], image_at[row + 1]):
            yield T(s, image, img(image_url[n]))
        for n in range(context_at[row], context_at[row + 1]):
            yield T(s, about, context(context_name[n]))
        targets = related.get(id(key), no_keys)
        for target in sorted(targets, key=order) if len(targets) > 1 else targets:
            yield T(s, related_to, event(target))
        others = sharing.get(id(key), no_keys)
        for other in sorted(others, key=order) if len(others) > 1 else others:
            yield T(s, shares, event(other))


def _pages(t: Table, g: KnowledgeGraph, m: Terms, part: slice, T: _Make[_S]) -> Iterator[_S]:
    # The corpus pages are RDF's own provenance subjects, not nodes of the table.
    a, kind, label, path_p = m.vocabulary(RDF.type, KG.Page, RDFS.label, KG.path)
    for path in page_paths(g)[part]:
        s = m.page(path)
        text = m.literal(path)
        yield T(s, a, kind)
        yield T(s, label, text)
        yield T(s, path_p, text)


def _days(t: Table, g: KnowledgeGraph, m: Terms, part: slice, T: _Make[_S]) -> Iterator[_S]:
    nodes, listed = t.nodes["day"], t.edges["lists-event"]
    dates, labels, headings, pages = nodes.date, nodes.label, nodes.heading, nodes.page
    at, events = listed.offsets, listed.target
    a, kind, label, kg_date, dc_date, title, derived, lists = m.vocabulary(
        RDF.type, KG.Day, RDFS.label, KG.date, DCTERMS.date, DCTERMS.title, PROV.wasDerivedFrom, KG.listsEvent)
    for row in range(len(nodes))[part]:
        date = dates[row]
        s = m.day(date)
        yield T(s, a, kind)
        yield T(s, label, m.literal(labels[row]))
        yield T(s, kg_date, m.date(date))
        yield T(s, dc_date, m.date(date))
        heading, page = headings[row], pages[row]
        if heading:
            # The day page's own heading ("2015-09-1"), kept so a reload loses nothing.
            yield T(s, title, m.literal(heading))
        if page:
            yield T(s, derived, m.page(page))
        for n in range(at[row], at[row + 1]):
            yield T(s, lists, m.event(events[n]))


def _articles(t: Table, g: KnowledgeGraph, m: Terms, part: slice, T: _Make[_S]) -> Iterator[_S]:
    a, url_p, publisher_p, domain_p, label = m.vocabulary(RDF.type, SCHEMA.url, SCHEMA.publisher, KG.webDomain,
                                                          RDFS.label)
    kinds = m.vocabulary(KG.SourceArticle, SCHEMA.NewsArticle)
    literal, uri = m.literal, m.uri
    nodes, published = t.nodes["article"], t.edges["published-by"]
    urls, at, names = nodes.url, published.offsets, published.target
    publisher, article = m.publisher, m.article
    rows = range(len(nodes))[part]
    for row, domain in zip(rows, nodes.domains(part), strict=True):
        url = urls[row]
        s = article(url)
        for kind in kinds:
            yield T(s, a, kind)
        yield T(s, label, literal(url))
        yield T(s, url_p, uri(url))
        if domain:  # a URL without a host has none
            yield T(s, domain_p, literal(domain))
        for n in range(at[row], at[row + 1]):
            yield T(s, publisher_p, publisher(names[n]))


def _publishers(t: Table, g: KnowledgeGraph, m: Terms, part: slice, T: _Make[_S]) -> Iterator[_S]:
    a, name_p, label, made_p, distributed_p = m.vocabulary(RDF.type, SCHEMA.name, RDFS.label, KG.madeBy,
                                                           KG.distributedBy)
    kinds = m.vocabulary(KG.Publisher, SCHEMA.NewsMediaOrganization)
    organization = m.organization
    nodes, made, distributed = t.nodes["publisher"], t.edges["made-by"], t.edges["distributed-by"]
    made_at, makers, distributed_at, distributors = made.offsets, made.target, distributed.offsets, distributed.target
    for row in range(len(nodes))[part]:
        name = nodes.label[row]
        s = m.publisher(name)  # memoised: articles name it too
        text = m.literal(name)
        for kind in kinds:
            yield T(s, a, kind)
        yield T(s, name_p, text)
        yield T(s, label, text)
        # Made of the name alone, so the block changes only when the name comes or goes.
        for n in range(made_at[row], made_at[row + 1]):
            yield T(s, made_p, organization(makers[n]))
        for n in range(distributed_at[row], distributed_at[row + 1]):
            yield T(s, distributed_p, organization(distributors[n]))


def _organizations(t: Table, g: KnowledgeGraph, m: Terms, part: slice, T: _Make[_S]) -> Iterator[_S]:
    a, name_p, label_p, other_p = m.vocabulary(RDF.type, SCHEMA.name, RDFS.label, SCHEMA.alternateName)
    kinds = m.vocabulary(KG.Organization, SCHEMA.Organization)
    nodes = t.nodes["organization"]
    for name, others in zip(nodes.label[part], nodes.spellings[part], strict=True):
        s = m.organization(name)
        text = m.literal(name)
        for kind in kinds:
            yield T(s, a, kind)
        yield T(s, name_p, text)
        yield T(s, label_p, text)
        for other in others:  # (the other names its sources write: "The New York Times")
            yield T(s, other_p, m.literal(other))


def _images(t: Table, g: KnowledgeGraph, m: Terms, part: slice, T: _Make[_S]) -> Iterator[_S]:
    nodes = t.nodes["image"]
    a, kind, image_kind, label, content = m.vocabulary(RDF.type, KG.Image, SCHEMA.ImageObject, RDFS.label,
                                                       SCHEMA.contentUrl)
    for node_iri, url in zip(nodes.iris(part), nodes.url[part], strict=False):
        s = m.iri(node_iri)
        yield T(s, a, kind)
        yield T(s, a, image_kind)
        yield T(s, label, m.literal(url))
        yield T(s, content, m.uri(url))


def _contexts(t: Table, g: KnowledgeGraph, m: Terms, part: slice, T: _Make[_S]) -> Iterator[_S]:
    nodes = t.nodes["context"]
    a, kind, concept, name_p, label, pref, same = m.vocabulary(RDF.type, KG.Context, SKOS.Concept, SCHEMA.name,
                                                               RDFS.label, SKOS.prefLabel, SCHEMA.sameAs)
    for name, article in zip(nodes.label[part], nodes.urls(part), strict=False):
        s = m.context(name)
        yield T(s, a, kind)
        yield T(s, a, concept)
        text = m.literal(name)
        yield T(s, name_p, text)
        yield T(s, label, text)
        yield T(s, pref, text)
        yield T(s, same, m.iri(article))


def _related(t: Table, g: KnowledgeGraph, m: Terms, part: slice, T: _Make[_S]) -> Iterator[_S]:
    # A related-to edge is also a subject of its own, with its rank and contexts.
    a, kind, label, source, target, rank, context = m.vocabulary(RDF.type, KG.RelatedLink, RDFS.label, KG.linkSource,
                                                                 KG.linkTarget, KG.rank, KG.context)
    event, ctx, base, related_iri, path = m.event, m.context, m.base, iri.related_iri_of_paths, m.event_path
    node, literal = m.iri, m.literal
    edges = t.edges["related-to"]
    for from_key, to_key, n, names in zip(edges.source[part], edges.target[part], edges.rank[part],
                                          edges.contexts[part], strict=False):
        source_path = path(from_key)
        s = node(related_iri(base, source_path, path(to_key)))
        yield T(s, a, kind)
        # Made of the subject's own key only, so an incremental rebuild remakes it when it changes.
        yield T(s, label, literal(f"Related line {n} of {source_path}"))
        yield T(s, source, event(from_key))
        yield T(s, target, event(to_key))
        yield T(s, rank, m.integer(n))
        for name in names:
            yield T(s, context, ctx(name))


def _shared(t: Table, g: KnowledgeGraph, m: Terms, part: slice, T: _Make[_S]) -> Iterator[_S]:
    # A shares-context edge is also a subject of its own, with its weight and contexts.
    a, kind, label, involves, weight, context = m.vocabulary(RDF.type, KG.ContextSharing, RDFS.label, KG.involves,
                                                             KG.weight, KG.context)
    event, ctx, base, shared_iri, path = m.event, m.context, m.base, iri.shared_iri_of_paths, m.event_path
    node, literal = m.iri, m.literal
    edges = t.edges["shares-context"]
    for one, other, n, names in zip(edges.source[part], edges.target[part], edges.weight[part],
                                    edges.contexts[part], strict=False):
        first, second = one, other
        if (first.date, first.slug) > (second.date, second.slug):  # PageKey's order, compared in C
            first, second = second, first
        first_path, second_path = path(first), path(second)
        s = node(shared_iri(base, first_path, second_path))
        yield T(s, a, kind)
        yield T(s, label, literal(f"Contexts shared by {first_path} and {second_path}"))
        yield T(s, involves, event(one))
        yield T(s, involves, event(other))
        yield T(s, weight, m.integer(n))
        for name in names:
            yield T(s, context, ctx(name))


#: Node kinds in output order; each yields the triples whose subject it owns.
EMITTERS: dict[str, _Emit] = {
    "events": _events,
    "days": _days,
    "articles": _articles,
    "publishers": _publishers,
    "organizations": _organizations,
    "images": _images,
    "contexts": _contexts,
    "related": _related,
    "shared": _shared,
    "pages": _pages,
}

#: RDF subject kind -> the node kinds and edge types of the table it writes.
_READS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "events": (("event",), ("on-day", "cites", "has-image", "has-context", "related-to", "shares-context")),
    "days": (("day",), ("lists-event",)),
    "articles": (("article",), ("published-by",)),
    "publishers": (("publisher",), ("made-by", "distributed-by")),
    "organizations": (("organization",), ()),
    "images": (("image",), ()),
    "contexts": (("context",), ()),
    "related": ((), ("related-to",)),
    "shared": ((), ("shares-context",)),
    "pages": ((), ()),
}


#: Node kind -> how many subjects it has (the unit a ``part`` slices).
_SIZES: dict[str, Callable[[KnowledgeGraph], int]] = {
    "events": lambda g: len(g.event_records),
    "days": lambda g: len(g.days),
    "articles": lambda g: len(g.articles),
    "publishers": lambda g: len(g.publishers),
    "organizations": lambda g: len(organizations(g)),
    "images": lambda g: len(g.images),
    "contexts": lambda g: len(g.contexts),
    "related": lambda g: len(g.related),
    "shared": lambda g: len(g.shared),
    "pages": lambda g: len(page_paths(g)),
}


def kind_size(graph: KnowledgeGraph, kind: str) -> int:
    """The number of subjects of a node kind, each with all its triples in one run.

    Examples
    --------
    >>> from kg.pipeline import build
    >>> kind_size(build("examples/wcep-2015-09"), "related")
    1925
    """
    return _SIZES[kind](graph)


@checks_keywords_as("kg.triples")
def graph_triples(graph: KnowledgeGraph, kinds: str | tuple[str, ...] | None = None,
                  part: slice | None = None, *, table: Table | None = None) -> Iterator[ox.Triple]:
    """Yield every triple of ``graph``, each once, in a stable order.

    ``kinds`` (keys of :data:`EMITTERS`, or one of them) limits the stream to
    those node kinds, in :data:`EMITTERS` order; ``part``, with a single kind, to a
    slice of its subjects (see :func:`kind_size`).  The parallel writer
    makes parts apart: a subject's triples never straddle two parts.
    The triples are those of the graph's node/edge table
    (:func:`kg.table.graph_table`), made here of the parts that ``kinds``
    write unless ``table`` (the whole graph's) is given.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> first = next(kg.triples(g))
    >>> first.predicate.value, first.object.value
    ('http://www.w3.org/1999/02/22-rdf-syntax-ns#type', 'https://w3id.org/kg-news/ontology#Event')
    >>> sum(1 for _ in kg.triples(g))
    39059
    >>> sum(1 for _ in kg.triples(g, "days"))
    608
    """
    # Checked now, when called, not at the first triple: the stream itself is a generator.
    return _triples(graph, _kind_names(graph, kinds, part, "kg.triples"), part, table, ox.Triple)


def _kind_names(graph: KnowledgeGraph, kinds: str | tuple[str, ...] | None, part: slice | None,
                caller: str) -> list[str]:
    """The emitters' names that ``kinds`` asks for, in output order, once the arguments are checked."""
    check_graph(graph, caller)
    if isinstance(kinds, str):  # one kind, not the letters of its name
        kinds = (kinds,)
    if kinds is not None and (unknown := sorted(set(kinds) - set(EMITTERS))):
        raise ArgumentError(f"no node kind {', '.join(map(repr, unknown))}; the kinds are {', '.join(EMITTERS)}")
    if part is not None and (kinds is None or len(kinds) != 1):
        raise ArgumentError("a part is a slice of one node kind: give one kind")
    return [name for name in EMITTERS if kinds is None or name in kinds]


def _table_for(graph: KnowledgeGraph, names: list[str], table: Table | None) -> Table:
    if table is not None:
        return table
    return graph_table(graph, kinds={k for name in names for k in _READS[name][0]},
                       types={t for name in names for t in _READS[name][1]})


def _triples(graph: KnowledgeGraph, names: list[str], part: slice | None, table: Table | None,
             make: _Make[_S]) -> Iterator[_S]:
    table = _table_for(graph, names, table)
    minter = Minter(graph.base_iri)
    for name in names:
        yield from EMITTERS[name](table, graph, minter, part or _ALL, make)


def emit(graph: KnowledgeGraph, kinds: str | tuple[str, ...] | None, part: slice | None, table: Table | None,
         terms: Terms, make: Callable[[Any, Any, Any], Any]) -> Iterator[Any]:
    """The statements of :func:`graph_triples`, each made by ``make`` from the terms of ``terms``.

    How a writer of RDF text reads the same emitters as every other output
    (:mod:`kg.export.rdftext`): ``terms`` spells each term, and ``make`` takes
    the three spellings of each statement in order; ``kinds`` and ``part`` are
    checked as :func:`graph_triples` checks them.  The node/edge table is
    made now (unless given), not at the first statement.
    """
    names = _kind_names(graph, kinds, part, "emit")
    table = _table_for(graph, names, table)
    # Chained in C: a generator around the emitters would cost a step per statement.
    return chain.from_iterable(EMITTERS[name](table, graph, terms, part or _ALL, make) for name in names)


def graph_triples_as_quads(graph: KnowledgeGraph, graph_name: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
    """:func:`graph_triples` as quads of the graph ``graph_name`` (``None``: the default graph), made so
    (a store and N-Quads take quads, and a copy of each triple as a quad cost as much as the triple).

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> [ox.Quad(*t) for t in kg.triples(g)] == list(graph_triples_as_quads(g))
    True
    >>> next(graph_triples_as_quads(g, ox.NamedNode("http://x.org/g"))).graph_name.value
    'http://x.org/g'
    """
    from functools import partial

    check_graph(graph, "graph_triples_as_quads")
    make = ox.Quad if graph_name is None else partial(ox.Quad, graph_name=graph_name)
    return _triples(graph, list(EMITTERS), None, None, make)

