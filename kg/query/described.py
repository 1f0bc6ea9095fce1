"""A note for a query that asks a store kg wrote what only its build's description holds.

The store keeps the graph in its default graph, which a query reads, and the build's VoID and PROV-O record
in a named graph of its own (:func:`kg.iri.description_iri`): ``void:triples`` asked of the default graph
finds nothing, and the note says where it is.
"""

from __future__ import annotations

import re

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
    """
    asked = _NOT_ASKED.sub(lambda m: m.group("iri") or " ", query)
    # (GRAPH as a keyword: not in an IRI, a variable or a prefixed name, "?graph", "kg:graph", ".../graph/...")
    if re.search(r"(?<![?$\w:])GRAPH\b(?!:)", _NOT_ASKED.sub(" ", query), re.IGNORECASE):
        return []
    vocabularies = {p: n for p, n in prefixes.items() if n in (VOID.iri, PROV.iri)}
    for prefix, namespace in re.findall(r"(?i:PREFIX)\s+([\w.-]*):\s*<([^>]*)>", query):
        if namespace in (VOID.iri, PROV.iri):
            vocabularies[prefix] = namespace
        else:  # (the query's own binding of the prefix)
            vocabularies.pop(prefix, None)
    terms = [(f"{p}:{local}", vocabularies[p] + local)
             for p, local in re.findall(r"(?<![\w:?$-])([\w.-]*):([A-Za-z][\w-]*)", asked) if p in vocabularies]
    terms += [(f"<{value}>", value) for value in re.findall(r"<([^>\s]*)>", asked)
              if value.startswith((VOID.iri, PROV.iri))]
    default = ox.DefaultGraph()
    for written, value in dict.fromkeys(terms):
        node = ox.NamedNode(value)
        if next(iter(store.quads_for_pattern(None, node, None, default)), None) is not None or \
                next(iter(store.quads_for_pattern(None, None, node, default)), None) is not None:
            continue  # (the graph holds it too: prov:wasDerivedFrom)
        found = next(iter(store.quads_for_pattern(None, node, None)), None) or \
            next(iter(store.quads_for_pattern(None, None, node)), None)
        if found is not None and isinstance(found.graph_name, ox.NamedNode):
            named = found.graph_name.value
            return [f"{written} is in the build's description, the named graph <{named}>: "
                    f"read it inside GRAPH <{named}> {{ ... }}"]
    return []


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
