"""What a store holds, looked up for kg's notes on a query that found nothing.

An empty answer is often a query that names something the graph lacks: a
misspelt term, a name in other case.  These lookups read a pyoxigraph store
directly (no SPARQL, a few index scans each) so that the notes of
:mod:`kg.query.hints` can say so: :func:`holds_iri`, :func:`names_under`
(the local names under a namespace), :func:`events_about` (how busy each is)
and :func:`names_spelt_otherwise`; :func:`dataset_notes` says that a graph a
query's ``FROM`` names is none of the store's.  :func:`query_notes` puts them
together, for ``kg query`` (:func:`empty_answer_notes`) and ``kg.sparql_query``.
"""

from __future__ import annotations

from collections.abc import Collection

import pyoxigraph as ox

from kg import iri
from kg.namespace import KG, RDF, RDFS, SCHEMA
from kg.query.described import description_note, is_description_graph
from kg.query.querytext import MAX_NOTED_QUERY, dataset_iris

__all__ = ["empty_answer_notes", "query_notes", "dataset_notes", "is_empty", "holds_iri", "names_under", "events_about",
           "names_spelt_otherwise"]


def empty_answer_notes(store: ox.Store, query: str, prefixes: dict[str, str], where: str) -> list[str]:
    """What ``kg query`` says of an empty answer: that the graph (read from ``where``) holds nothing at
    all, else the terms of the query it never uses (:func:`kg.query.hints.unused_terms`).

    >>> empty_answer_notes(ox.Store(), "SELECT * { ?s ?p ?o }", {}, "empty.ttl")
    ['empty.ttl holds no triples']
    """
    if is_empty(store):  # (every term would be said unused)
        return [f"{where} holds no triples", *description_note(store, query, prefixes)]
    if len(query) > MAX_NOTED_QUERY:
        return []
    return query_notes(store, query, prefixes, where) + description_note(store, query, prefixes)


def query_notes(store: ox.Store, query: str, prefixes: dict[str, str], where: str) -> list[str]:
    """The graphs the query's ``FROM`` names that ``store`` does not hold (:func:`dataset_notes`), then the
    terms of the query it never uses (:func:`kg.query.hints.unused_terms`): a graph's name is none of those.
    None for a query longer than :data:`~kg.query.querytext.MAX_NOTED_QUERY`.

    >>> query_notes(ox.Store(), "SELECT * FROM <http://x/g> { ?s ?p ?o }", {}, "x.nq")[0][:40]
    'FROM <http://x/g> names a graph that x.n'
    """
    from kg.query.hints import unused_terms

    if len(query) > MAX_NOTED_QUERY:
        return []
    graphs = {name for _, name in dataset_iris(query, prefixes)}  # (a graph's name need be no term of its data)
    return dataset_notes(store, query, prefixes, where) + unused_terms(
        query, prefixes, lambda iri: iri in graphs or holds_iri(store, iri),
        lambda namespaces: names_under(store, namespaces),
        lambda texts: names_spelt_otherwise(store, texts),
        lambda namespace: events_about(store, namespace))


def dataset_notes(store: ox.Store, query: str, prefixes: dict[str, str], where: str) -> list[str]:
    """That a graph the query's ``FROM`` or ``FROM NAMED`` names is none of the store's graphs.

    The query then reads an empty graph: a file of triples, as a store kg
    writes, keeps its triples in the default graph.  ``where`` names the
    store (a file, "the KnowledgeGraph").

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b"), ox.Literal("c")))
    >>> for note in dataset_notes(store, "SELECT * FROM <http://x/> { ?s ?p ?o }", {}, "graph.ttl"):
    ...     print(note)
    FROM <http://x/> names a graph that graph.ttl does not hold: its triples are in the default graph,
    which a query without FROM reads
    """
    named = dataset_iris(query, prefixes)
    if not named:  # (most queries: the store's graphs are not looked at)
        return []
    graphs = list(store.named_graphs())
    held = {g.value for g in graphs if isinstance(g, ox.NamedNode)}
    # (a build's description, in a graph of its own in a store, is not where its data is)
    data = sorted(str(g) for g in graphs if not is_description_graph(store, g))
    if data:
        holds = (f"its data is in the graph{'s' if len(data) > 1 else ''} " + ", ".join(data[:3]) +
                 (f" and {len(data) - 3:,} more" if len(data) > 3 else "") + ", which a query without FROM reads")
    else:
        holds = "its triples are in the default graph, which a query without FROM reads"
    return [f"{keyword} <{name}> names a graph that {where} does not hold: {holds}"
            for keyword, name in dict.fromkeys(named) if name not in held]


def is_empty(store: ox.Store) -> bool:
    """Whether ``store`` holds no quad (an empty file, the store of an empty corpus) but a build's description in a
    graph of its own (:func:`kg.iri.description_iri`, where the store of an empty corpus keeps it), without
    counting them.  (An empty corpus's N-Quads hold its description in the default graph: not empty.)

    >>> from kg.namespace import VOID
    >>> described = ox.Store()
    >>> dataset = ox.NamedNode("http://x/g")
    >>> described.add(ox.Quad(dataset, RDF.type, VOID.Dataset, ox.NamedNode("http://x/g/description")))
    >>> mine = ox.Store()
    >>> mine.add(ox.Quad(dataset, RDF.type, ox.NamedNode("http://x/C"), ox.NamedNode("http://x/docs/description")))
    >>> is_empty(ox.Store()), is_empty(described), is_empty(mine)
    (True, True, False)
    """
    if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        return False
    return not any(next(iter(store.quads_for_pattern(None, None, None, graph)), None) is not None
                   for graph in store.named_graphs() if not is_description_graph(store, graph))


def holds_iri(store: ox.Store, iri: str) -> bool:
    """Whether a quad of ``store`` (in any graph) holds ``iri``, as subject, predicate or object.

    Examples
    --------
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b"), ox.Literal("c")))
    >>> holds_iri(store, "http://x/b"), holds_iri(store, "http://x/c"), holds_iri(store, "not an IRI")
    (True, False, False)
    """
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False
    return any(next(iter(store.quads_for_pattern(*pattern)), None) is not None
               for pattern in ((node, None, None), (None, node, None), (None, None, node)))


#: the prefix of a data namespace of kg's (its folder: kg.iri.PREFIXES) -> the class of its every node:
#: its type triples alone are read for it (not the edge nodes' -- Related lines, shared contexts --
#: which outnumber the rest)
_CLASS_OF = {"event": "Event", "context": "Context", "publisher": "Publisher", "organization": "Organization",
             "day": "Day", "article": "SourceArticle", "image": "Image", "page": "Page"}


def names_under(store: ox.Store, namespaces: Collection[str]) -> dict[str, set[str]]:
    """The local names (IRI ends) of the typed nodes of ``store`` (in any graph) under each of ``namespaces``.

    Every node kg writes has a type, and the type triples are few: a namespace of kg's data
    (``BASE/context/`` ...) reads those of its nodes' class alone; any other, one pass over the
    type triples (45,272 of the 291,204 quads of the 1,888-event store: 0.05 s, where a pass over
    every quad took 0.43 s).

    Examples
    --------
    >>> store = ox.Store()
    >>> for name in ("a", "b"):
    ...     store.add(ox.Quad(ox.NamedNode("http://x/c/" + name), RDF.type, ox.NamedNode("http://x/C")))
    >>> store.add(ox.Quad(ox.NamedNode("http://x/context/Iran"), RDF.type, KG.Context))
    >>> store.add(ox.Quad(ox.NamedNode("http://y/event/Summit"), RDF.type, ox.NamedNode("http://y/Meeting")))
    >>> found = names_under(store, ["http://x/c/", "http://x/d/", "http://x/context/", "http://y/event/"])
    >>> {ns: sorted(names) for ns, names in found.items()}
    {'http://x/c/': ['a', 'b'], 'http://x/d/': [], 'http://x/context/': ['Iran'], 'http://y/event/': ['Summit']}
    """
    found: dict[str, set[str]] = {namespace: set() for namespace in namespaces}
    by_folder = {iri.PREFIXES[prefix]: kind for prefix, kind in _CLASS_OF.items()}
    classes = {namespace: by_folder.get(namespace.rpartition("/")[0].rpartition("/")[2] + "/")
               for namespace in namespaces}
    for namespace, kind in classes.items():
        if kind is not None:
            names = found[namespace]
            for quad in store.quads_for_pattern(None, RDF.type, KG[kind]):
                if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(namespace):
                    names.add(quad.subject.value[len(namespace):])
    # (a folder named as kg's that holds no node of kg's class -- another file's ex:event/ -- is read in full)
    rest = {namespace: found[namespace] for namespace, kind in classes.items() if kind is None or not found[namespace]}
    if rest:
        for quad in store.quads_for_pattern(None, RDF.type, None):
            value = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
            for namespace, names in rest.items():
                if value.startswith(namespace):
                    names.add(value[len(namespace):])
    return found


def events_about(store: ox.Store, namespace: str) -> dict[str, int]:
    """How many events (subjects of ``schema:about``) name each local name under ``namespace``, in any graph:
    the busiest of several names is suggested first, as the analyst's filters suggest it.

    Examples
    --------
    >>> store = ox.Store()
    >>> for event, name in (("a", "Iran"), ("b", "Iran"), ("b", "Strait_of_Hormuz")):
    ...     store.add(ox.Quad(ox.NamedNode("http://x/e/" + event), SCHEMA.about, ox.NamedNode("http://x/c/" + name)))
    >>> sorted(events_about(store, "http://x/c/").items())
    [('Iran', 2), ('Strait_of_Hormuz', 1)]
    """
    counts: dict[str, set[str]] = {}
    for quad in store.quads_for_pattern(None, SCHEMA.about, None):
        if isinstance(quad.object, ox.NamedNode) and quad.object.value.startswith(namespace) \
                and isinstance(quad.subject, ox.NamedNode):  # (an event, in a triple of kg's)
            counts.setdefault(quad.object.value[len(namespace):], set()).add(quad.subject.value)
    return {name: len(events) for name, events in counts.items()}


def names_spelt_otherwise(store: ox.Store, texts: Collection[str]) -> dict[str, str]:
    """For each of ``texts`` that no quad of ``store`` holds as a plain string, a name (``schema:name``
    or ``rdfs:label``) that it spells in other case, if there is one: ``"syria"`` -> ``"Syria"``.

    Examples
    --------
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://x/c"), SCHEMA.name, ox.Literal("Syria")))
    >>> names_spelt_otherwise(store, ["syria", "Syria", "Iraq"])
    {'syria': 'Syria'}
    """
    missing = {text.casefold(): text for text in texts
               if next(iter(store.quads_for_pattern(None, None, ox.Literal(text))), None) is None}
    found: dict[str, str] = {}
    for predicate in (SCHEMA.name, RDFS.label):
        for quad in store.quads_for_pattern(None, predicate, None):
            value = quad.object.value if isinstance(quad.object, ox.Literal) else ""
            asked = missing.get(value.casefold())
            if asked is not None and asked not in found:
                found[asked] = value
        if len(found) == len(missing):
            break
    return found
