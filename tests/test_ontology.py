"""The ontology file, the namespace module and the output stay in sync."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import OWL, RDF

from kg.errors import UnknownTermError
from kg.namespace import KG, SCHEMA
from tests.conftest import REPO

ONTOLOGY = REPO / "ontology" / "kg.ttl"
KG_NS = KG.iri


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY)


def declared(ontology: rdflib.Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {str(s)[len(KG_NS):] for kind in kinds for s in ontology.subjects(RDF.type, kind)
            if str(s).startswith(KG_NS)}


def test_namespace_declares_exactly_the_ontology_terms(ontology):
    assert declared(ontology) == set(KG.terms)


def test_every_term_has_label_and_comment(ontology):
    for term in KG.terms:
        node = rdflib.URIRef(KG_NS + term)
        assert ontology.value(node, rdflib.RDFS.label), term
        assert ontology.value(node, rdflib.RDFS.comment), term


def test_related_to_is_a_skos_related(ontology):
    sub = rdflib.URIRef(KG_NS + "relatedTo")
    assert (sub, rdflib.RDFS.subPropertyOf, rdflib.SKOS.related) in ontology


def test_output_uses_only_declared_kg_terms(sample_turtle, ontology):
    graph = rdflib.Graph().parse(sample_turtle)
    used = {str(p) for p in graph.predicates()} | {str(o) for o in graph.objects(None, RDF.type)}
    ours = {u[len(KG_NS):] for u in used if u.startswith(KG_NS)}
    assert ours <= declared(ontology)
    assert "relatedTo" in ours and "sharesContext" in ours


def test_unknown_term_fails():
    with pytest.raises(UnknownTermError):
        KG.Evnet  # noqa: B018
    with pytest.raises(UnknownTermError):
        SCHEMA.nmae  # noqa: B018
