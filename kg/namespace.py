"""Vocabularies, as closed namespaces: an unknown term is an error, not a typo.

Code names RDF terms only through this module (``KG.Event``, ``SCHEMA.name``).
:data:`KG` declares exactly the terms of ``ontology/kg.ttl``; a test keeps the
two in sync.  The other namespaces list only the terms ``kg`` uses.
"""

from __future__ import annotations

from functools import cached_property

import pyoxigraph as ox

from kg.errors import UnknownTermError

__all__ = [
    "Vocabulary",
    "KG",
    "SCHEMA",
    "SEM",
    "PROV",
    "DCTERMS",
    "SKOS",
    "RDF",
    "RDFS",
    "XSD",
    "OWL",
    "VOID",
    "SH",
    "ONTOLOGY_IRI",
    "PREFIXES",
]


class Vocabulary:
    """A namespace that knows its terms.

    Examples
    --------
    >>> EX = Vocabulary("ex", "http://example.org/", ["Thing"])
    >>> EX.Thing.value
    'http://example.org/Thing'
    >>> EX.Thimg
    Traceback (most recent call last):
    ...
    kg.errors.UnknownTermError: 'Thimg' is not a term of ex: (http://example.org/)
    """

    def __init__(self, prefix: str, iri: str, terms: list[str]) -> None:
        self.prefix = prefix
        self.iri = iri
        self.terms = frozenset(terms)

    @cached_property
    def _nodes(self) -> dict[str, ox.NamedNode]:
        return {t: ox.NamedNode(self.iri + t) for t in self.terms}

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._nodes[name]
        except KeyError:
            raise UnknownTermError(f"{name!r} is not a term of {self.prefix}: ({self.iri})") from None

    def __getitem__(self, name: str) -> ox.NamedNode:
        return self.__getattr__(name)

    def __contains__(self, name: object) -> bool:
        return name in self.terms

    def __repr__(self) -> str:
        return f"Vocabulary({self.prefix!r}, {self.iri!r}, {len(self.terms)} terms)"


ONTOLOGY_IRI = "https://w3id.org/kg-news/ontology"

KG = Vocabulary("kg", ONTOLOGY_IRI + "#", [
    # classes
    "Event", "Day", "SourceArticle", "Publisher", "Organization", "Image", "Context",
    "RelatedLink", "ContextSharing", "Page",
    # object properties
    "onDay", "listsEvent", "relatedTo", "sharesContext",
    "linkSource", "linkTarget", "context", "involves", "madeBy", "distributedBy",
    # datatype properties
    "inCorpus", "rank", "weight", "date", "path", "webDomain",
    # the record of a build
    "option", "pagesRead", "diagnostics",
])

SCHEMA = Vocabulary("schema", "http://schema.org/", [
    "Event", "NewsArticle", "NewsMediaOrganization", "Organization", "ImageObject", "Thing", "WebPage",
    "name", "startDate", "about", "subjectOf", "image", "url", "publisher",
    "contentUrl", "sameAs", "position",
])
SEM = Vocabulary("sem", "http://semanticweb.cs.vu.nl/2009/11/sem/", ["Event", "hasTimeStamp"])
PROV = Vocabulary("prov", "http://www.w3.org/ns/prov#", [
    "Entity", "wasDerivedFrom", "Activity", "SoftwareAgent", "startedAtTime", "endedAtTime", "used",
    "wasGeneratedBy", "wasAssociatedWith", "atLocation", "generatedAtTime"])
DCTERMS = Vocabulary("dcterms", "http://purl.org/dc/terms/", [
    "identifier", "date", "source", "title", "relation", "license", "created", "hasVersion", "description"])
SKOS = Vocabulary("skos", "http://www.w3.org/2004/02/skos/core#", ["Concept", "related", "prefLabel"])
RDF = Vocabulary("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", ["type"])
RDFS = Vocabulary("rdfs", "http://www.w3.org/2000/01/rdf-schema#", [
    "label", "comment", "subClassOf", "subPropertyOf", "domain", "range"])
XSD = Vocabulary("xsd", "http://www.w3.org/2001/XMLSchema#", [
    "date", "integer", "boolean", "anyURI", "string", "dateTime"])
VOID = Vocabulary("void", "http://rdfs.org/ns/void#", [
    "Dataset", "triples", "entities", "classes", "properties", "distinctSubjects", "distinctObjects",
    "exampleResource", "uriSpace", "vocabulary", "classPartition", "propertyPartition", "class",
    "property", "feature"])
OWL = Vocabulary("owl", "http://www.w3.org/2002/07/owl#", [
    "Ontology", "Class", "ObjectProperty", "DatatypeProperty", "SymmetricProperty"])
SH = Vocabulary("sh", "http://www.w3.org/ns/shacl#", ["NodeShape", "PropertyShape"])

#: Prefixes bound in Turtle output and SPARQL queries (vocabularies only;
#: data prefixes depend on the base IRI, see :data:`kg.iri.PREFIXES`).
PREFIXES = {v.prefix: v.iri for v in (KG, SCHEMA, SEM, PROV, DCTERMS, SKOS, RDF, RDFS, XSD)}
