"""A note for a query that asks a store kg wrote what only its build's description holds.

The store keeps the graph in its default graph, which a query reads, and the build's VoID and PROV-O record
in a named graph of its own (:func:`kg.iri.description_iri`): ``void:triples`` asked of the default graph
finds nothing, and the note says where it is.  N-Quads and TriG files are the other way round (the graph
in a named graph, the description in the default graph): ``void:triples`` asked inside ``GRAPH`` finds
nothing there, and the note says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyoxigraph as ox

from kg.iri import description_iri
from kg.namespace import PROV, RDF, VOID

__all__ = ["description_note", "is_description_graph"]


#: A query's PREFIX lines, strings and comments, which ask no term; and its IRIs, kept (a "#" in one is no comment).
_NOT_ASKED = re.compile(r"(?i:PREFIX)\s+[\w.-]*:\s*<[^>]*>|(?P<iri><[^<>\s]*>)|"
                        r'"""[\s\S]*?"""|' r"'''[\s\S]*?'''|" r'"(?:[^"\\\n]|\\.)*"|' r"'(?:[^'\\\n]|\\.)*'"
                        r"|#[^\n]*")


def description_note(store: ox.Store, query: str, prefixes: dict[str, str]) -> list[str]:
    """Where a store kg wrote keeps the build's description, for a query that reads the default graph alone and
    asks it a VoID or PROV-O term that only the description holds (``void:triples``; not ``prov:wasDerivedFrom``,
    which the graph holds too).

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://x/graph/1"), VOID.triples, ox.Literal("1"), ox.NamedNode("http://x/d")))
    >>> print(*description_note(store, "SELECT ?t { ?d void:triples ?t }", {"void": VOID.iri}))
    void:triples is in the build's description, the named graph <http://x/d>: read it inside GRAPH <http://x/d> { ... }
    >>> description_note(store, "SELECT ?t { GRAPH ?g { ?d void:triples ?t } }", {"void": VOID.iri})
    []
    >>> description_note(store, 'SELECT ?graph { ?graph void:triples ?t } # "void:x"', {"void": VOID.iri})[0][:12]
    'void:triples'
    >>> description_note(store, "SELECT ?t { ?d <http://rdfs.org/ns/void#triples> ?t }", {})[0][:34]
    '<http://rdfs.org/ns/void#triples> '
    >>> description_note(store, "SELECT ?t { <http://x/graph/1> void:triples ?t }", {"void": VOID.iri})[0][:12]
    'void:triples'
    >>> description_note(store, "PREFIX void: <http://x/> SELECT ?t { ?d void:triples ?t }", {"void": VOID.iri})
    []

    A file's description, in its default graph, asked inside ``GRAPH``:

    >>> nq = ox.Store()
    >>> nq.add(ox.Quad(ox.NamedNode("http://x/graph/1"), RDF.type, VOID.Dataset))
    >>> nq.add(ox.Quad(ox.NamedNode("http://x/graph/1"), VOID.triples, ox.Literal("1")))
    >>> print(*description_note(nq, "SELECT ?t { GRAPH ?g { ?d void:triples ?t } }", {"void": VOID.iri}))
    void:triples is in the build's description, in the default graph: read it outside GRAPH { ... }

    Each term where it is asked, inside GRAPH or not:

    >>> query = 'SELECT ?n { ?d void:triples ?n . GRAPH ?g { ?e ?p "x" } }'
    >>> description_note(nq, query, {"void": VOID.iri}), description_note(store, query, {"void": VOID.iri})[0][:12]
    ([], 'void:triples')
    >>> description_note(store, "SELECT ?t { ?x ex:named-graph ?y . OPTIONAL { ?d void:triples ?t } }",
    ...                  {"void": VOID.iri})[0][:12]
    'void:triples'
    """
    # (what asks no term as spaces, so that a position in it is one in the query; IRIs kept, or not)
    asked = _NOT_ASKED.sub(lambda m: m.group("iri") or " " * len(m.group()), query)
    bare = _NOT_ASKED.sub(lambda m: " " * len(m.group()), query)
    inside = _graph_spans(bare)
    vocabularies = {p: n for p, n in prefixes.items() if n in (VOID.iri, PROV.iri)}
    for prefix, namespace in re.findall(r"(?i:PREFIX)\s+([\w.-]*):\s*<([^>]*)>", query):
        if namespace in (VOID.iri, PROV.iri):
            vocabularies[prefix] = namespace
        else:  # (the query's own binding of the prefix)
            vocabularies.pop(prefix, None)
    # (each term as written, its IRI, and whether it is asked inside GRAPH)
    terms = [(f"{m[1]}:{m[2]}", vocabularies[m[1]] + m[2], _within(m.start(), inside))
             for m in re.finditer(r"(?<![\w:?$-])([\w.-]*):([A-Za-z][\w-]*)", asked) if m[1] in vocabularies]
    terms += [(f"<{m[1]}>", m[1], _within(m.start(), inside)) for m in re.finditer(r"<([^>\s]*)>", asked)
              if m[1].startswith((VOID.iri, PROV.iri))]
    default = ox.DefaultGraph()
    for written, value, in_graph in dict.fromkeys(terms):
        node = ox.NamedNode(value)
        in_default = next(iter(store.quads_for_pattern(None, node, None, default)), None) is not None or \
            next(iter(store.quads_for_pattern(None, None, node, default)), None) is not None
        if in_default != in_graph:
            continue  # (the graph holds it too, prov:wasDerivedFrom; or a query inside GRAPH finds it there)
        named = _named_graph_of(store, node)
        if in_graph:
            if named is None and _holds_a_description(store):
                return [f"{written} is in the build's description, in the default graph: read it outside "
                        "GRAPH { ... }"]
        elif isinstance(named, ox.NamedNode):
            return [f"{written} is in the build's description, the named graph <{named.value}>: "
                    f"read it inside GRAPH <{named.value}> {{ ... }}"]
    return []


def _graph_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` (a query, its strings, comments and IRIs blanked) has GRAPH's group patterns: from each
    one's ``{`` to its ``}``."""
    spans = []
    # (GRAPH as a keyword: not in a variable or a prefixed name, "?graph", "kg:graph")
    # (and followed by the graph it names: "ex:named-graph" is none)
    for keyword in re.finditer(r"(?<![?$\w:.-])GRAPH\s*(?:[?$]\w+|<[^>]*>|[\w.-]*:[\w.-]*)\s*(?=\{)", text,
                               re.IGNORECASE):
        depth, start = 0, text.find("{", keyword.end())
        if start < 0:
            continue
        for at in range(start, len(text)):
            depth += {"{": 1, "}": -1}.get(text[at], 0)
            if depth == 0:
                spans.append((start, at))
                break
    return spans


def _within(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < at < end for start, end in spans)


def _named_graph_of(store: ox.Store, node: ox.NamedNode) -> ox.NamedNode | ox.BlankNode | None:
    """A named graph that uses ``node`` as a predicate or an object (the first found), else ``None``."""
    for quad in (*_first_named(store.quads_for_pattern(None, node, None)),
                 *_first_named(store.quads_for_pattern(None, None, node))):
        assert not isinstance(quad.graph_name, ox.DefaultGraph)
        return quad.graph_name
    return None


def _first_named(quads: Iterator[ox.Quad]) -> tuple[ox.Quad, ...]:
    """The first of ``quads`` in a named graph (read lazily: a term the graph uses a million times)."""
    return next(((q,) for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)), ())


def _holds_a_description(store: ox.Store) -> bool:
    """Whether ``store``'s default graph types a ``void:Dataset`` (a build's description, as N-Quads hold it)."""
    return next(iter(store.quads_for_pattern(None, RDF.type, VOID.Dataset, ox.DefaultGraph())), None) is not None


def is_description_graph(store: ox.Store, graph: ox.NamedNode | ox.BlankNode) -> bool:
    """Whether ``graph`` is the description graph of a build kg wrote: ``D/description``, which types ``D`` a
    ``void:Dataset`` (a graph of a user's file that ends so is not).

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://x/g"), RDF.type, VOID.Dataset, ox.NamedNode("http://x/g/description")))
    >>> is_description_graph(store, ox.NamedNode("http://x/g/description"))
    True
    """
    if not isinstance(graph, ox.NamedNode):
        return False
    # (the IRI as kg.iri mints it, from the dataset the graph types: its template is written there alone)
    return any(isinstance(typed.subject, ox.NamedNode) and description_iri(typed.subject.value) == graph.value
               for typed in store.quads_for_pattern(None, RDF.type, VOID.Dataset, graph))
