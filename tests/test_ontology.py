"""The ontology file, the namespace module and the output stay in sync."""

from __future__ import annotations

import pyoxigraph
import pytest
import rdflib
from rdflib.namespace import OWL, RDF

import kg
from kg.errors import UnknownTermError
from kg.model import DEFAULT_BASE_IRI
from kg.namespace import DCTERMS, KG, PROV, SCHEMA, VOID
from tests.conftest import DATA, REPO

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


def test_no_statement_on_another_vocabularys_terms_but_its_owl_kind(ontology):
    """Comments on schema:subjectOf, rdfs:label... would be claims about terms kg does not own
    (stores merge them into those terms' own descriptions): how kg uses them is said on the ontology."""
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    onto = rdflib.URIRef("https://w3id.org/kg-news/ontology")
    foreign = [(s, p, o) for s, p, o in ontology if isinstance(s, rdflib.URIRef) and s != onto
               and not str(s).startswith(KG_NS) and not (p == RDF.type and o in kinds)]
    assert foreign == []
    usage = str(ontology.value(onto, rdflib.DCTERMS.description))
    assert "schema:subjectOf: an event is the subject of a source article" in usage


def test_related_properties_have_no_unwanted_domain(ontology):
    # skos:related would make every related event a skos:Concept (SKOS's domain axioms).
    for name in ("relatedTo", "sharesContext"):
        sub = rdflib.URIRef(KG_NS + name)
        assert (sub, rdflib.RDFS.subPropertyOf, rdflib.DCTERMS.relation) in ontology
        assert not any(ontology.triples((sub, rdflib.RDFS.subPropertyOf, rdflib.SKOS.related)))


def test_ontology_metadata(ontology):
    onto = rdflib.URIRef("https://w3id.org/kg-news/ontology")
    assert ontology.value(onto, OWL.versionIRI) == rdflib.URIRef("https://w3id.org/kg-news/ontology/0.1.0")
    assert ontology.value(onto, rdflib.DCTERMS.license) and ontology.value(onto, rdflib.DCTERMS.creator)
    # OWL 2 DL reads the ontology's own statements as annotations only where their properties are:
    # a data property there (dcterms:title, which days and the corpus use) would make it an individual.
    annotations = set(ontology.subjects(RDF.type, OWL.AnnotationProperty)) | {
        RDF.type, OWL.versionIRI, OWL.versionInfo, rdflib.RDFS.label, rdflib.RDFS.comment}
    assert set(ontology.predicates(onto)) <= annotations, set(ontology.predicates(onto)) - annotations


#: OWL 2's datatype map (the datatypes OWL 2 DL allows), as far as kg could use them.
OWL2_DATATYPES = {str(rdflib.XSD[t]) for t in (
    "string", "boolean", "integer", "decimal", "double", "float", "anyURI", "dateTime", "dateTimeStamp",
    "nonNegativeInteger", "positiveInteger", "int", "long", "normalizedString", "token")} | {
    str(rdflib.RDFS.Literal), str(RDF.PlainLiteral), str(RDF.langString)}


def test_ontology_is_owl2_dl_but_for_the_documented_date_range(ontology):
    """Every entity an axiom names is declared with one OWL kind; only xsd:date is outside the datatype map."""
    kinds = {OWL.Class: "class", OWL.ObjectProperty: "object", OWL.DatatypeProperty: "data",
             OWL.AnnotationProperty: "annotation"}
    declared_as: dict[rdflib.term.Node, set[str]] = {}
    for kind, name in kinds.items():
        for s in ontology.subjects(RDF.type, kind):
            declared_as.setdefault(s, set()).add(name)
    assert all(len(v) == 1 for v in declared_as.values()), "a term declared as two kinds"
    classes = {s for s, v in declared_as.items() if "class" in v}
    for s, o in ontology.subject_objects(rdflib.RDFS.subClassOf):
        assert s in classes and o in classes, (s, o)
    for s, o in ontology.subject_objects(rdflib.RDFS.subPropertyOf):
        assert declared_as.get(s) == declared_as.get(o) and declared_as.get(s), (s, o)
    for s, o in ontology.subject_objects(rdflib.RDFS.domain):
        assert o in classes, (s, o)
    outside = set()
    for s, o in ontology.subject_objects(rdflib.RDFS.range):
        if declared_as.get(s) == {"object"}:
            assert o in classes, (s, o)
        else:
            assert declared_as.get(s) == {"data"}, s
            if str(o) not in OWL2_DATATYPES:
                outside.add((str(s)[len(KG_NS):], str(o)))
    assert outside == {("date", str(rdflib.XSD.date))}  # the one exception, documented in kg.ttl and README


def test_output_uses_only_declared_kg_terms(sample_turtle, ontology):
    graph = rdflib.Graph().parse(sample_turtle)
    used = {str(p) for p in graph.predicates()} | {str(o) for o in graph.objects(None, RDF.type)}
    ours = {u[len(KG_NS):] for u in used if u.startswith(KG_NS)}
    assert ours <= declared(ontology)
    assert "relatedTo" in ours and "sharesContext" in ours


def test_unknown_term_fails():
    with pytest.raises(UnknownTermError):
        KG.Evnet  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(UnknownTermError):
        SCHEMA.nmae  # type: ignore[attr-defined]  # noqa: B018


def test_a_misspelt_term_is_a_type_error(tmp_path):
    # The vocabularies declare their terms as attributes, so mypy sees the closed namespace too.
    from mypy import api

    (tmp_path / "uses.py").write_text("from kg.namespace import KG, SCHEMA\n"
                                      "good = (KG.Event, KG.sharesContext, SCHEMA.name)\n"
                                      "bad = KG.Evnet\n", encoding="utf-8")
    out, _, status = api.run(["--strict", "--no-incremental", "--follow-imports=silent",
                              "--cache-dir", str(tmp_path / "cache"), str(tmp_path / "uses.py")])
    assert status == 1 and out.count("error:") == 1, out
    assert 'uses.py:3: error: "_KG" has no attribute "Evnet"' in out


def test_every_node_has_one_label(sample_turtle):
    graph = rdflib.Graph().parse(sample_turtle)
    subjects = set(graph.subjects())
    unlabeled = [s for s in subjects if len(list(graph.objects(s, rdflib.RDFS.label))) != 1]
    assert not unlabeled, unlabeled[:5]
    # Every node of ours that is named as an object is a subject too, so it has its label.
    ours = {o for o in graph.objects() if isinstance(o, rdflib.URIRef) and str(o).startswith(DEFAULT_BASE_IRI)}
    assert ours <= subjects


SCHEMA_ORG = REPO / "tests" / "data" / "schemaorg" / "excerpt.ttl"


def test_schema_org_terms_are_used_within_their_domains(sample_turtle, ontology):
    """Each schema.org property on a node whose type (by our ontology and schema.org's classes) it is defined for."""
    vocab = rdflib.Graph().parse(SCHEMA_ORG)
    hierarchy = vocab + ontology
    schema = "http://schema.org/"
    includes = rdflib.URIRef(schema + "domainIncludes")
    graph = rdflib.Graph().parse(sample_turtle)

    def supertypes(t: rdflib.term.Node) -> set:
        return set(hierarchy.transitive_objects(t, rdflib.RDFS.subClassOf))

    types_of: dict = {}
    used = set()
    for s, p, _ in graph:
        if not str(p).startswith(schema):
            continue
        used.add(p)
        domains = set(vocab.objects(p, includes))
        assert domains, f"{p} is not a schema.org term kg checked"
        if s not in types_of:
            types_of[s] = set().union(*(supertypes(t) for t in graph.objects(s, RDF.type)))
        assert types_of[s] & domains, (s, p, types_of[s])
    for t in set(graph.objects(None, RDF.type)):
        if str(t).startswith(schema):
            assert (t, RDF.type, rdflib.RDFS.Class) in vocab, t
    assert rdflib.URIRef(schema + "citation") not in used
    assert rdflib.URIRef(schema + "subjectOf") in used


@pytest.fixture(scope="module", params=["sample", "hostile"])
def nquads(request, sample_graph, tmp_path_factory) -> list[pyoxigraph.Quad]:
    """Every quad of a corpus's N-Quads: the graph, and its VoID and PROV description in the default graph."""
    graph = sample_graph if request.param == "sample" else kg.build(DATA / "hostile")
    path = tmp_path_factory.mktemp(request.param) / "graph.nq"
    kg.write(graph, path)
    return list(pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.N_QUADS))


#: RDF's, RDFS's and OWL's own terms, which OWL 2 needs no declaration of.
BUILT_IN = (str(RDF), str(rdflib.RDFS), str(OWL))


def test_every_property_and_class_of_the_output_is_declared(nquads, ontology):
    """An OWL 2 DL tool reading the ontology with the data meets no undeclared term (beside OWL's own), and
    each property holds what its kind allows: an object property IRIs, a datatype property literals."""
    kinds = {OWL.ObjectProperty: "object", OWL.DatatypeProperty: "data", OWL.AnnotationProperty: "annotation"}
    kind_of: dict[str, set[str]] = {}
    for kind, name in kinds.items():
        for s in ontology.subjects(RDF.type, kind):
            kind_of.setdefault(str(s), set()).add(name)
    # (the ontology's own statements too: its header's licence and creator)
    used = [(q.predicate.value, isinstance(q.object, pyoxigraph.Literal)) for q in nquads]
    used += [(str(p), isinstance(o, rdflib.Literal)) for _, p, o in ontology]
    literal: dict[str, set[bool]] = {}
    for p, is_literal in used:
        if not p.startswith(BUILT_IN):
            literal.setdefault(p, set()).add(is_literal)
    assert {p for p in literal if len(kind_of.get(p, ())) != 1} == set(), "undeclared, or declared twice"
    assert {p for p, seen in literal.items() if kind_of[p] == {"object"} and True in seen} == set()
    assert {p for p, seen in literal.items() if kind_of[p] == {"data"} and False in seen} == set()
    assert {SCHEMA.subjectOf.value, PROV.used.value, VOID.classPartition.value, DCTERMS.license.value} <= set(literal)
    classes = {q.object.value for q in nquads if q.predicate.value == str(RDF.type)}
    assert {c for c in classes if (rdflib.URIRef(c), RDF.type, OWL.Class) not in ontology} == set()
    assert {KG.Event.value, PROV.Activity.value, VOID.Dataset.value} <= classes


def test_every_node_under_page_is_typed_as_what_it_is(nquads):
    """A page is a kg:Page; the corpus, whose IRI is its news/ folder's, a kg:Corpus."""
    page, corpus = DEFAULT_BASE_IRI + "page/", DEFAULT_BASE_IRI + "page/news"
    types: dict[str, set[str]] = {}
    for q in nquads:
        if q.predicate.value == str(RDF.type):
            types.setdefault(q.subject.value, set()).add(q.object.value)
    named = {t.value for q in nquads for t in (q.subject, q.object)
             if isinstance(t, pyoxigraph.NamedNode) and t.value.startswith(page)}
    assert len(named) > 1 and corpus in named
    assert {n for n in named - {corpus} if KG.Page.value not in types.get(n, ())} == set()
    assert KG.Corpus.value in types[corpus] and KG.Page.value not in types[corpus]


def test_every_term_of_the_closed_namespaces_is_used(sample_graph, ontology, tmp_path):
    """A term is declared because the graph, its build description or the ontology uses it: an empty
    answer's note (kg.query.hints) offers the declared terms as the ones to ask for."""
    from kg.namespace import RDF as KG_RDF
    from kg.namespace import RDFS, SEM, SKOS

    kg.write(sample_graph, tmp_path / "graph.nq")
    quads = pyoxigraph.parse(path=tmp_path / "graph.nq", format=pyoxigraph.RdfFormat.N_QUADS)
    used = {t.value for q in quads for t in (q.subject, q.predicate, q.object) if isinstance(t, pyoxigraph.NamedNode)}
    used |= {str(t) for triple in ontology for t in triple}
    for vocabulary in (SCHEMA, SEM, PROV, DCTERMS, SKOS, KG_RDF, RDFS):
        assert {t for t in vocabulary.terms if vocabulary.iri + t not in used} == set(), vocabulary.prefix


def test_the_properties_kg_query_says_lead_to_nodes_are_the_ontology_s_object_properties(ontology):
    """kg query's note on a literal where a node belongs ("?e schema:about "Iran"") names its own list of
    node-valued properties: each is an object property of the ontology, and every kg: or schema: one is listed."""
    from kg.namespace import PREFIXES
    from kg.query.literals import NODE_VALUED

    listed = {PREFIXES[prefix] + local for prefix, local in (name.split(":") for name in NODE_VALUED)}
    objects = {str(p) for p in ontology.subjects(RDF.type, OWL.ObjectProperty)}
    assert listed <= objects
    assert {p for p in objects if p.startswith((KG.iri, SCHEMA.iri))} <= listed
