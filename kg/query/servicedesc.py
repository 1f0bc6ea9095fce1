"""What ``kg serve`` says of itself: its SPARQL 1.1 service description.

An endpoint answers a request without a query with a description of what it
does (W3C, *SPARQL 1.1 Service Description*).  This one says only what kg's
endpoint does: SPARQL 1.1 Query, no update, no ``SERVICE`` (so no
``sd:BasicFederatedQuery``), no input formats (it loads nothing), the
result formats it writes, and, over an N-Quads or TriG dataset, that its
default graph is the union of the graphs.

Examples
--------
>>> text = describe("http://localhost:7878/sparql", "graph.oxigraph", union=False, limits="timeout 30 s")
>>> b"sd:SPARQL11Query" in text.data and b"BasicFederatedQuery" not in text.data, text.media_type
(True, 'text/turtle')
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pyoxigraph as ox

from kg.namespace import FORMATS

__all__ = ["DESCRIPTION_FORMATS", "DESCRIPTION_WILDCARDS", "RESULT_FORMAT_TERMS", "VOID_PATH", "Description",
           "describe", "void_description", "VOID_FORMATS", "VOID_WILDCARDS",
           "MAX_DESCRIPTION_TRIPLES"]

#: Media types a client may ask the description in -> ``(rdflib format, media type answered)``.
DESCRIPTION_FORMATS = {
    "text/turtle": ("turtle", "text/turtle"),
    "application/n-triples": ("nt", "application/n-triples"),
    "text/plain": ("nt", "application/n-triples"),
    "application/rdf+xml": ("xml", "application/rdf+xml"),
    "application/xml": ("xml", "application/rdf+xml"),
    "text/xml": ("xml", "application/rdf+xml"),
    "application/ld+json": ("json-ld", "application/ld+json"),
    "application/json": ("json-ld", "application/ld+json"),
}
#: What a wildcard gets: Turtle, as the most read; RDF/XML for any application type.
DESCRIPTION_WILDCARDS = {"*/*": "text/turtle", "text/*": "text/turtle", "application/*": "application/rdf+xml"}

#: The W3C format IRIs (``http://www.w3.org/ns/formats/``) of the answers kg's endpoint writes.
RESULT_FORMAT_TERMS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                       "JSON-LD", "RDF_XML", "N-Triples", "Turtle")

#: Where a client looks for a dataset's VoID description (VoID, section 7.2: a well-known URI, RFC 8615).
VOID_PATH = "/.well-known/void"

_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = FORMATS.iri


@dataclass(frozen=True, slots=True)
class Description:
    """The description in one syntax: its bytes and their media type."""

    data: bytes
    media_type: str


def describe(endpoint: str, name: str, *, union: bool, limits: str, media_type: str = "text/turtle") -> Description:
    """The service description of the endpoint at ``endpoint`` (an absolute URL) serving ``name``.

    Parameters
    ----------
    endpoint : str
        The endpoint's URL, as the client reached it (``sd:endpoint``).
    name : str
        What is served, as said in its description (a file or folder name, not its path).
    union : bool
        Whether the default graph is the union of the dataset's graphs (``sd:UnionDefaultGraph``).
    limits : str
        The endpoint's limits in words (its timeout and row limit), said in its description.
    media_type : str
        A key of :data:`DESCRIPTION_FORMATS`.

    Examples
    --------
    >>> import rdflib
    >>> d = describe("http://h/sparql", "g.nq", union=True, limits="", media_type="application/n-triples")
    >>> g = rdflib.Graph().parse(data=d.data, format="nt")
    >>> sd = rdflib.Namespace(_SD)
    >>> (None, sd.feature, sd.UnionDefaultGraph) in g, len(set(g.objects(None, sd.resultFormat)))
    (True, 8)
    """
    import rdflib
    from rdflib.namespace import DCTERMS, RDF, RDFS

    syntax, answered = DESCRIPTION_FORMATS[media_type]
    sd, formats = rdflib.Namespace(_SD), rdflib.Namespace(_FORMATS)
    graph = rdflib.Graph()
    graph.bind("sd", sd)
    graph.bind("formats", formats)
    graph.bind("ent", "http://www.w3.org/ns/entailment/")
    service = rdflib.URIRef(endpoint + "#service")
    dataset, default = rdflib.BNode("dataset"), rdflib.BNode("default")
    said = f"Read-only SPARQL 1.1 endpoint over {name}" + (f" ({limits})" if limits else "")
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, rdflib.URIRef(endpoint)))
    graph.add((service, RDFS.label, rdflib.Literal("kg SPARQL endpoint")))
    graph.add((service, DCTERMS.description, rdflib.Literal(said)))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    graph.add((service, sd.defaultEntailmentRegime, rdflib.URIRef("http://www.w3.org/ns/entailment/Simple")))
    for term in RESULT_FORMAT_TERMS:
        graph.add((service, sd.resultFormat, formats[term]))
    if union:
        graph.add((service, sd.feature, sd.UnionDefaultGraph))
    graph.add((service, sd.defaultDataset, dataset))
    graph.add((dataset, RDF.type, sd.Dataset))
    graph.add((dataset, sd.defaultGraph, default))
    graph.add((default, RDF.type, sd.Graph))
    return Description(graph.serialize(format=syntax, encoding="utf-8"), answered)


#: Media types the VoID description comes in -> pyoxigraph's format of it; a wildcard's choice.
VOID_FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
                "application/rdf+xml": ox.RdfFormat.RDF_XML}
VOID_WILDCARDS = {"*/*": "text/turtle", "text/*": "text/turtle", "application/*": "application/n-triples"}
#: A build's description holds a couple of hundred triples: a graph past this many is no description of kg's,
#: and is not written whole (outside a query's limits) for any client that asks.
MAX_DESCRIPTION_TRIPLES = 10_000


def void_description(store: ox.Store, media_type: str = "text/turtle") -> bytes | None:
    """The VoID and PROV-O description of the build whose graph ``store`` holds (``kg serve``'s
    :data:`VOID_PATH`), in a syntax of :data:`VOID_FORMATS`: a store's description graph
    (:func:`kg.query.described.is_description_graph`), or the default graph of a dataset whose named graph is
    the described one (N-Quads, TriG); ``None`` where ``store`` holds no description of kg's (a Turtle or
    N-Triples file; a user's ``void:Dataset``).

    Examples
    --------
    >>> import kg
    >>> from kg.export.quads import graph_quads
    >>> dataset = ox.Store()
    >>> dataset.extend(graph_quads(kg.build("examples/wcep-2015-09")))
    >>> b"void:triples 39059" in void_description(dataset), void_description(ox.Store())
    (True, None)
    """
    from itertools import islice

    from kg.export.prefixes import output_prefixes
    from kg.export.rdf import serialize_rdf
    from kg.iri import base_of_dataset_iri
    from kg.namespace import RDF, VOID
    from kg.query.described import is_description_graph

    for typed in store.quads_for_pattern(None, RDF.type, VOID.Dataset):
        dataset, graph = typed.subject, typed.graph_name
        if not isinstance(dataset, ox.NamedNode):
            continue
        kg_s = is_description_graph(store, graph) if isinstance(graph, ox.NamedNode) else \
            next(iter(store.quads_for_pattern(None, None, None, dataset)), None) is not None
        quads = list(islice(store.quads_for_pattern(None, None, None, graph), MAX_DESCRIPTION_TRIPLES + 1))
        if not kg_s or len(quads) > MAX_DESCRIPTION_TRIPLES:
            continue
        base = base_of_dataset_iri(dataset.value)
        prefixes = {**(output_prefixes(base) if base else {}), VOID.prefix: VOID.iri}
        out = io.BytesIO()
        serialize_rdf((ox.Triple(q.subject, q.predicate, q.object) for q in quads), out, VOID_FORMATS[media_type],
                      prefixes if VOID_FORMATS[media_type] != ox.RdfFormat.N_TRIPLES else None)
        return out.getvalue()
    return None
