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

__all__ = ["DESCRIPTION_FORMATS", "DESCRIPTION_WILDCARDS", "RESULT_FORMAT_TERMS", "VOID_PATH", "Description",
           "describe", "void_description"]

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
_FORMATS = "http://www.w3.org/ns/formats/"


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


def void_description(store: ox.Store) -> bytes | None:
    """The VoID and PROV-O description of the build whose graph ``store`` holds, in Turtle (``kg serve``'s
    :data:`VOID_PATH`): the graph that holds its ``void:Dataset`` (a store's description graph, a dataset's
    default graph); ``None`` where ``store`` holds no description (a Turtle file's, an N-Triples file's).

    Examples
    --------
    >>> import kg
    >>> from kg.export.quads import graph_quads
    >>> dataset = ox.Store()
    >>> dataset.extend(graph_quads(kg.build("examples/wcep-2015-09")))
    >>> b"void:triples 39059" in void_description(dataset), void_description(ox.Store())
    (True, None)
    """
    from kg.export.prefixes import output_prefixes
    from kg.export.rdf import serialize_rdf
    from kg.namespace import RDF, VOID

    described = next(iter(store.quads_for_pattern(None, RDF.type, VOID.Dataset)), None)
    if described is None:
        return None
    base = described.subject.value.partition("graph/")[0] if isinstance(described.subject, ox.NamedNode) else ""
    prefixes = {**(output_prefixes(base) if base else {}), VOID.prefix: VOID.iri}
    out = io.BytesIO()
    serialize_rdf((ox.Triple(q.subject, q.predicate, q.object)
                   for q in store.quads_for_pattern(None, None, None, described.graph_name)), out, ox.RdfFormat.TURTLE,
                  prefixes)
    return out.getvalue()
