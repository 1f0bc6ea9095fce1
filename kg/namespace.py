"""Vocabularies, as closed namespaces: an unknown term is an error, not a typo.

Code names RDF terms only through this module (``KG.Event``, ``SCHEMA.name``).
:data:`KG` declares exactly the terms of ``ontology/kg.ttl``; a test keeps the
two in sync.  The other namespaces list only the terms ``kg`` uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING

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
    "FORMATS",
    "ONTOLOGY_IRI",
    "PREFIXES",
]


class Vocabulary:
    """A namespace that knows its terms.

    A vocabulary of kg's is a subclass that declares each term as an
    annotated attribute (``Event: ox.NamedNode``), so that a type checker
    sees its terms too and flags a misspelt one; ``terms`` adds names that
    cannot be attributes (``void:class``), reached as ``VOID["class"]``.
    Nodes are made when first asked for, never at import.

    Examples
    --------
    >>> EX = Vocabulary("ex", "http://example.org/", ["Thing"])
    >>> EX.Thing.value
    'http://example.org/Thing'
    >>> EX.Thimg
    Traceback (most recent call last):
    ...
    kg.errors.UnknownTermError: 'Thimg' is not a term of ex: (http://example.org/)
    >>> class _EX(Vocabulary):
    ...     Thing: ox.NamedNode
    >>> sorted(_EX("ex", "http://example.org/", ["class"]).terms)
    ['Thing', 'class']
    """

    def __init__(self, prefix: str, iri: str, terms: Iterable[str] = ()) -> None:
        self.prefix = prefix
        self.iri = iri
        declared = (name for kind in type(self).__mro__ if kind not in (Vocabulary, object)
                    for name in vars(kind).get("__annotations__", {}))
        self.terms = frozenset((*declared, *terms))

    @cached_property
    def _nodes(self) -> dict[str, ox.NamedNode]:
        return {t: ox.NamedNode(self.iri + t) for t in self.terms}

    def _term(self, name: str) -> ox.NamedNode:
        try:
            return self._nodes[name]
        except KeyError:
            raise UnknownTermError(f"{name!r} is not a term of {self.prefix}: ({self.iri})") from None

    if not TYPE_CHECKING:  # hidden from the type checker, which then flags any undeclared term
        def __getattr__(self, name: str) -> ox.NamedNode:
            if name.startswith("_"):
                raise AttributeError(name)
            return self._term(name)

    def __getitem__(self, name: str) -> ox.NamedNode:
        return self._term(name)

    def __contains__(self, name: object) -> bool:
        return name in self.terms

    def __repr__(self) -> str:
        return f"Vocabulary({self.prefix!r}, {self.iri!r}, {len(self.terms)} terms)"


ONTOLOGY_IRI = "https://w3id.org/kg-news/ontology"

_Term = ox.NamedNode


class _KG(Vocabulary):
    """kg's own ontology: exactly the terms of ``ontology/kg.ttl``."""

    # classes
    Event: _Term
    Day: _Term
    SourceArticle: _Term
    Publisher: _Term
    Organization: _Term
    Image: _Term
    Context: _Term
    RelatedLink: _Term
    ContextSharing: _Term
    Page: _Term
    # object properties
    onDay: _Term
    listsEvent: _Term
    relatedTo: _Term
    sharesContext: _Term
    linkSource: _Term
    linkTarget: _Term
    context: _Term
    involves: _Term
    madeBy: _Term
    distributedBy: _Term
    # datatype properties
    inCorpus: _Term
    rank: _Term
    weight: _Term
    date: _Term
    path: _Term
    webDomain: _Term
    # the record of a build
    Corpus: _Term
    option: _Term
    pagesRead: _Term
    diagnostics: _Term


class _SCHEMA(Vocabulary):
    Event: _Term
    NewsArticle: _Term
    NewsMediaOrganization: _Term
    Organization: _Term
    ImageObject: _Term
    Thing: _Term
    name: _Term
    alternateName: _Term
    startDate: _Term
    about: _Term
    subjectOf: _Term
    image: _Term
    url: _Term
    publisher: _Term
    contentUrl: _Term
    sameAs: _Term


class _SEM(Vocabulary):
    Event: _Term
    hasTimeStamp: _Term


class _PROV(Vocabulary):
    Entity: _Term
    wasDerivedFrom: _Term
    Activity: _Term
    SoftwareAgent: _Term
    startedAtTime: _Term
    endedAtTime: _Term
    used: _Term
    wasGeneratedBy: _Term
    wasAssociatedWith: _Term
    generatedAtTime: _Term


class _DCTERMS(Vocabulary):
    date: _Term
    title: _Term
    relation: _Term
    license: _Term
    hasVersion: _Term
    description: _Term


class _SKOS(Vocabulary):
    Concept: _Term
    prefLabel: _Term


class _RDF(Vocabulary):
    type: _Term


class _RDFS(Vocabulary):
    label: _Term
    comment: _Term
    subClassOf: _Term
    subPropertyOf: _Term
    domain: _Term
    range: _Term


class _XSD(Vocabulary):
    date: _Term
    integer: _Term
    boolean: _Term
    anyURI: _Term
    string: _Term
    dateTime: _Term


class _VOID(Vocabulary):
    Dataset: _Term
    triples: _Term
    entities: _Term
    classes: _Term
    properties: _Term
    distinctSubjects: _Term
    distinctObjects: _Term
    exampleResource: _Term
    uriSpace: _Term
    vocabulary: _Term
    classPartition: _Term
    propertyPartition: _Term
    property: _Term
    feature: _Term


class _OWL(Vocabulary):
    Ontology: _Term
    Class: _Term
    ObjectProperty: _Term
    DatatypeProperty: _Term
    SymmetricProperty: _Term


class _SH(Vocabulary):
    NodeShape: _Term
    PropertyShape: _Term


class _FORMATS(Vocabulary):
    """W3C's IRIs of RDF syntaxes (``void:feature``): names with a hyphen, so given as terms."""


KG = _KG("kg", ONTOLOGY_IRI + "#")
SCHEMA = _SCHEMA("schema", "http://schema.org/")
SEM = _SEM("sem", "http://semanticweb.cs.vu.nl/2009/11/sem/")
PROV = _PROV("prov", "http://www.w3.org/ns/prov#")
DCTERMS = _DCTERMS("dcterms", "http://purl.org/dc/terms/")
SKOS = _SKOS("skos", "http://www.w3.org/2004/02/skos/core#")
RDF = _RDF("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = _RDFS("rdfs", "http://www.w3.org/2000/01/rdf-schema#")
XSD = _XSD("xsd", "http://www.w3.org/2001/XMLSchema#")
VOID = _VOID("void", "http://rdfs.org/ns/void#", ["class"])  # a Python keyword: VOID["class"]
OWL = _OWL("owl", "http://www.w3.org/2002/07/owl#")
SH = _SH("sh", "http://www.w3.org/ns/shacl#")
FORMATS = _FORMATS("formats", "http://www.w3.org/ns/formats/", ["N-Quads", "TriG"])

#: Prefixes bound in Turtle output and SPARQL queries (vocabularies only;
#: data prefixes depend on the base IRI, see :data:`kg.iri.PREFIXES`).
PREFIXES = {v.prefix: v.iri for v in (KG, SCHEMA, SEM, PROV, DCTERMS, SKOS, RDF, RDFS, XSD)}
