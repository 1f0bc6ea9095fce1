"""A VoID description of the dataset: what it holds, in numbers, and under which licence.

The dataset is the named graph of one build (:func:`kg.iri.dataset_iri`);
its description gives the counts that VoID defines (triples, entities,
classes, properties, distinct subjects and objects), a partition per class
and per property, a few example events, the IRI space and vocabularies, and
the licence of the source text (the corpus's, which the graph is derived from).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import iri
from kg.namespace import DCTERMS, FORMATS, PREFIXES, RDF, RDFS, VOID, XSD

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph

__all__ = ["DEFAULT_SOURCE_LICENSE", "EXAMPLES", "void_triples"]

#: The Wikipedia Current Events Portal's text licence, which its corpora inherit.
DEFAULT_SOURCE_LICENSE = "https://creativecommons.org/licenses/by-sa/4.0/"
#: Example resources named in the description.
EXAMPLES = 3


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD.integer)


def void_triples(graph: KnowledgeGraph, dataset: ox.NamedNode, *,
                 source_license: str = DEFAULT_SOURCE_LICENSE) -> Iterator[ox.Triple]:
    """The VoID description of ``graph`` as the dataset ``dataset``.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> ds = ox.NamedNode("https://kg.example.org/news/graph/x")
    >>> counts = {t.predicate.value.split("#")[1]: int(t.object.value) for t in void_triples(g, ds)
    ...           if t.subject == ds and isinstance(t.object, ox.Literal) and t.object.datatype == XSD.integer}
    >>> counts["triples"] == sum(1 for _ in kg.triples(g)), counts["classes"]
    (True, 15)
    """
    from collections import deque

    from kg.export.spelling import Spelling
    from kg.export.triples import emit

    # Counted over the statements' N-Triples text (one spelling a term), as the text writers read
    # them (kg.export.rdftext): making pyoxigraph's values cost two thirds of the description.
    subjects: set[str] = set()
    objects: set[str] = set()
    by_property: Counter[str] = Counter()
    by_class: dict[str, set[str]] = {}
    spelling = Spelling(graph.base_iri, None)
    a = spelling.rdf_type

    def tally(s: str, p: str, o: str) -> None:
        subjects.add(s)
        objects.add(o)
        by_property[p] += 1
        if p == a:
            by_class.setdefault(o, set()).add(s)

    deque(emit(graph, None, None, None, spelling, tally), maxlen=0)
    triples = by_property.total()
    by_class = {cls[1:-1]: members for cls, members in by_class.items()}  # ("<iri>": every class is an IRI)
    by_property = Counter({prop[1:-1]: n for prop, n in by_property.items()})
    T = ox.Triple
    yield T(dataset, RDF.type, VOID.Dataset)
    yield T(dataset, RDFS.label, ox.Literal(f"kg graph of {graph.report.corpus or 'a corpus'}"))
    yield T(dataset, DCTERMS.license, ox.NamedNode(source_license))
    yield T(dataset, DCTERMS.description, ox.Literal(
        "Events, days, cited articles, publishers, the organizations they name, images and context entities "
        "of a news-event corpus, built by kg; derived from the corpus text, under its licence."))
    yield T(dataset, VOID.triples, _int(triples))
    yield T(dataset, VOID.entities, _int(len(subjects)))
    yield T(dataset, VOID.distinctSubjects, _int(len(subjects)))
    yield T(dataset, VOID.distinctObjects, _int(len(objects)))
    yield T(dataset, VOID.classes, _int(len(by_class)))
    yield T(dataset, VOID.properties, _int(len(by_property)))
    yield T(dataset, VOID.uriSpace, ox.Literal(graph.base_iri))
    yield T(dataset, VOID.feature, FORMATS["N-Quads"])
    yield T(dataset, VOID.feature, FORMATS["TriG"])
    for ns in sorted(PREFIXES.values()):
        yield T(dataset, VOID.vocabulary, ox.NamedNode(ns))
    for key in islice(graph.event_records, EXAMPLES):
        yield T(dataset, VOID.exampleResource, ox.NamedNode(iri.event_iri(graph.base_iri, key)))
    for n, (cls, members) in enumerate(sorted(by_class.items())):
        part = ox.NamedNode(iri.partition_iri(dataset.value, "class", n))
        yield T(dataset, VOID.classPartition, part)
        yield T(part, VOID["class"], ox.NamedNode(cls))
        yield T(part, VOID.entities, _int(len(members)))
    for n, (prop, count) in enumerate(sorted(by_property.items())):
        part = ox.NamedNode(iri.partition_iri(dataset.value, "property", n))
        yield T(dataset, VOID.propertyPartition, part)
        yield T(part, VOID.property, ox.NamedNode(prop))
        yield T(part, VOID.triples, _int(count))
