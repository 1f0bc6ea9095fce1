"""Hypothesis properties of slugs and IRIs."""

from __future__ import annotations

import datetime as dt
import re

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import iri
from kg.parse.records import PageKey
from kg.parse.slug import slugify

BASE = "https://kg.example.org/news/"
names = st.text(min_size=1, max_size=400)
keys = st.builds(PageKey, st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
                 st.text(min_size=1, max_size=200).filter(lambda s: "/" not in s))


@given(st.text(max_size=500))
def test_slug_alphabet_and_idempotence(headline):
    slug = slugify(headline)
    assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slug)
    assert slugify(slug) == slug[:140].strip("-")


@given(names)
def test_encoded_names_are_valid_bounded_and_reversible(name):
    segment = iri.encode_name(name)
    assert len(segment) <= iri.MAX_NAME_SEGMENT
    assert re.fullmatch(r"[A-Za-z0-9_%\-]+", segment)
    ox.NamedNode(BASE + "context/" + segment)  # raises on an invalid IRI
    if "--" not in segment:
        assert iri.decode_name(segment) == name


@given(st.from_regex(r"[A-Za-z0-9-]{1,180}", fullmatch=True))
def test_plain_names_are_their_own_segment(name):
    assert iri.encode_name(name) == name
    assert iri.encode_name(name + "_") == name + "%5F"  # the slow way, one character on
    assert iri.decode_name(name) == name


@given(names, names)
def test_distinct_names_distinct_iris(a, b):
    if a != b:
        assert iri.context_iri(BASE, a) != iri.context_iri(BASE, b)
        assert iri.publisher_iri(BASE, a) != iri.publisher_iri(BASE, b)


@given(names)
def test_a_name_spelt_as_another_names_cut_has_a_segment_of_its_own(name):
    """A long name is cut to ``head--digest``, which is itself a plain name: spelt so, it once was that
    segment, and two events, contexts or publishers were one node in RDF and networkx."""
    cut = iri.encode_name(name * (400 // len(name) + 1))  # long enough to be cut
    assert cut[-34:-32] == "--"
    assert iri.encode_name(cut) != cut
    assert iri.context_iri(BASE, cut) != iri.context_iri(BASE, name * (400 // len(name) + 1))


@given(keys)
@settings(max_examples=200)
def test_event_iris_are_valid_stable_and_keyed(key):
    a = iri.event_iri(BASE, key)
    assert a == iri.event_iri(BASE, PageKey(key.date, key.slug))
    ox.NamedNode(a)
    assert key.date.isoformat() in a


@given(keys, keys)
def test_related_and_shared_iris(a, b):
    if a != b:
        assert iri.related_iri(BASE, a, b) != iri.related_iri(BASE, b, a)
        assert iri.shared_iri(BASE, a, b) == iri.shared_iri(BASE, b, a)


#: text that can end an IRI: anything but what an IRI may never hold
_IRI_TAIL = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='<>"{}|^`\\ '), max_size=60)


@given(_IRI_TAIL | st.from_regex(r"[\w.%/:#~-]{0,30}", fullmatch=True))
def test_a_prefixed_name_reads_back_as_its_iri_in_sparql_and_turtle(local):
    """What the query table and ``query_df(prefixed=True)`` print pastes into a query as the same IRI."""
    from kg.query.pnames import local_name, prefixed_name

    namespace = BASE + "event/"
    try:
        whole = ox.NamedNode(namespace + local)
    except ValueError:
        return  # not an IRI to begin with
    name = prefixed_name(whole.value, {"event": namespace})
    if local_name(local) is None or not local:
        assert name == whole.value  # no prefixed form: the IRI as it is
        return
    assert name.startswith("event:")
    store = ox.Store()
    store.load(f"@prefix event: <{namespace}> . {name} {name} {name} .".encode(), ox.RdfFormat.TURTLE)
    assert list(store.quads_for_pattern(None, None, None)) == [ox.Quad(whole, whole, whole, ox.DefaultGraph())]
    [row] = store.query(f"PREFIX event: <{namespace}> SELECT ?x WHERE {{ BIND({name} AS ?x) }}")
    assert row["x"] == whole
