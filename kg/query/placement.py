"""Why an answer came back empty, continued: a node of the graph asked for as a property.

``?e context:Iran ?x`` asks for the triples whose *predicate* is the
context, which no triple has: the graph's properties are terms of its
vocabularies (``schema:about`` links an event to a context).  The query
parses and answers nothing; :func:`nodes_as_predicates` says why, with the
property that leads to such a node.

Examples
--------
>>> bound = {"schema": "http://schema.org/", "context": "http://x/context/", "day": "http://x/day/"}
>>> for note in nodes_as_predicates("SELECT * { ?e context:Iran ?x ; day:2026-06-01 ?d }", bound,
...                                 {"http://x/context/", "http://x/day/"}):
...     print(note)
context:Iran is a node of the graph, not a property: no triple has it as a predicate (the events about it: \
?e schema:about context:Iran)
day:2026-06-01 is a node of the graph, not a property: no triple has it as a predicate (the events of it: \
?e kg:onDay day:2026-06-01)
>>> nodes_as_predicates("SELECT * { ?e schema:about context:Iran }", bound, {"http://x/context/"})
[]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping

from kg.query.pnames import unescaped_local
from kg.query.querytext import MAX_NOTED_QUERY, PREFIXED_NAME, declared_prefixes, iris, skeleton

__all__ = ["nodes_as_predicates"]

#: a data folder -> how a query reaches its nodes ({node}: the node as the query wrote it)
_REACHED_BY = {
    "context/": "the events about it: ?e schema:about {node}",
    "day/": "the events of it: ?e kg:onDay {node}",
    "publisher/": "the articles it is credited with: ?a schema:publisher {node}",
    "organization/": "its publishers: ?p kg:madeBy {node}",
    "event/": "the events it is related to: {node} kg:relatedTo ?other",
    "article/": "the events citing it: ?e schema:subjectOf {node}",
}

#: what a query's skeleton may hold right before a predicate: a subject (a variable, a prefixed name or an
#: emptied IRI) just after ``{`` or ``.``, or a ``;`` (a cheap look, before the query is parsed to make sure)
_AFTER_SUBJECT = re.compile(r"(?:^|[{.])\s*(?:[?$]\w+|[\w.-]*:[\w%.-]*|<>)\s+$|;\s*$")


def nodes_as_predicates(query: str, prefixes: Mapping[str, str], data: Collection[str],
                        held: Callable[[str], bool] | None = None) -> list[str]:
    """A note on each name under a ``data`` namespace that ``query`` uses as a predicate: its prefixed names,
    then its full IRIs, each in query order.

    ``prefixes`` are those bound without a PREFIX line; ``held`` tells
    whether the graph holds an IRI (a name it does not hold is no node of
    it: another note says so).  A query that rdflib's SPARQL parser does not
    read (a form Oxigraph alone takes), or one longer than
    :data:`~kg.query.querytext.MAX_NOTED_QUERY`, gets no note.
    """
    if len(query) > MAX_NOTED_QUERY:
        return []
    namespaces = {**prefixes, **declared_prefixes(query)}
    written = list(_data_terms(query, namespaces, data))
    if not any(_AFTER_SUBJECT.search(before) for _, _, before in written):
        return []
    predicates = _predicates(query, namespaces)
    notes, seen = [], set()
    for name, full, _ in written:
        if full in predicates and full not in seen and (held is None or held(full)):
            seen.add(full)
            namespace = max((ns for ns in data if full.startswith(ns)), key=len)
            folder = namespace.rstrip("/").rpartition("/")[2] + "/"  # (kg's data namespaces: <base>context/ ...)
            how = f" ({_REACHED_BY[folder].format(node=name)})" if folder in _REACHED_BY else ""
            notes.append(f"{name} is a node of the graph, not a property: no triple has it as a predicate{how}")
    return notes


def _data_terms(query: str, namespaces: Mapping[str, str], data: Collection[str]) -> Iterator[tuple[str, str, str]]:
    """``(as written, full IRI, the skeleton's text before it)`` of each name of a data namespace in the query."""
    bare = skeleton(query)
    for match in PREFIXED_NAME.finditer(bare):
        namespace = namespaces.get(match.group(1) or "")
        if namespace is not None and namespace in data and match.group(2):
            before = bare[max(0, match.start() - 80):match.start()]
            yield match.group(0), namespace + unescaped_local(match.group(2)), before
    for at, full in iris(query):
        if any(full.startswith(namespace) for namespace in data):
            yield f"<{full}>", full, skeleton(query[max(0, at - 80):at])


def _predicates(query: str, namespaces: Mapping[str, str]) -> set[str]:
    """The IRIs that the query's triple patterns have as predicates, alone or in a path (not negated)."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        parsed = prepareQuery(query, initNs=dict(namespaces))
    except Exception:  # rdflib's reader, not kg's: it raises plain Exception too (a prefix)
        return set()  # (a query it cannot read, one in a form Oxigraph alone takes, gets no note)
    found: set[str] = set()
    _walk(parsed.algebra, found, set())
    return found


def _walk(value: object, found: set[str], seen: set[int]) -> None:
    """Gather the predicates of every triple pattern under ``value`` (rdflib's algebra, nested dicts)."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "triples" and isinstance(inner, list):
                for triple in inner:
                    _path_iris(triple[1], found)
            else:
                _walk(inner, found, seen)
    elif isinstance(value, list | tuple | set):
        for inner in value:
            _walk(inner, found, seen)


def _path_iris(predicate: object, found: set[str]) -> None:
    """The IRIs of a predicate: itself, or those of its path (``a/b``, ``a|b``, ``^a``, ``a*``), not ``!a``."""
    from rdflib import URIRef
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

    if isinstance(predicate, URIRef):
        found.add(str(predicate))
    elif isinstance(predicate, SequencePath | AlternativePath):
        for part in predicate.args:
            _path_iris(part, found)
    elif isinstance(predicate, InvPath):
        _path_iris(predicate.arg, found)
    elif isinstance(predicate, MulPath):
        _path_iris(predicate.path, found)
