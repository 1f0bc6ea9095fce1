"""Why an answer came back empty: the terms a query names that the graph never uses.

A query that asks for ``schema:headline`` (the graph says ``schema:name``) or
``context:Irann`` answers nothing, and nothing says why.  When an answer is
empty, ``kg query`` lists such terms: a term of one of kg's vocabularies
(``kg:``, ``schema:`` ...) that is not among those the graph uses (the closed
namespaces of :mod:`kg.namespace`), with the nearest of them, and a name under
a data prefix (``context:``, ``event:`` ...) that no triple holds, with the
nearest names the graph holds under that prefix when it is given them.

Examples
--------
>>> from kg.namespace import PREFIXES
>>> for note in unused_terms("SELECT ?h { ?e schema:headline ?h ; kg:onday ?d }", PREFIXES, lambda iri: False):
...     print(note)
schema:headline is not a term of the graph (the schema: properties kg writes: about, alternateName, \
contentUrl, image, name, publisher, sameAs, startDate, subjectOf, url)
kg:onday is not a term of the graph: did you mean kg:onDay?
>>> unused_terms("SELECT ?h { ?e schema:headline ?h }", PREFIXES, lambda iri: True)  # a file that holds it
[]
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Mapping

from kg.export.provenance import DESCRIPTION_ONLY
from kg.namespace import DCTERMS, KG, PREFIXES, PROV, RDF, RDFS, SCHEMA, SEM, SKOS, VOID, Vocabulary
from kg.query.literals import literal_notes
from kg.query.nearnames import NameIndexes, named, named_kind, names_by_folder, nearest, other_kinds
from kg.query.placement import nodes_as_predicates
from kg.query.pnames import local_name, prefixed_name, unescaped_local
from kg.query.querytext import PREFIXED_NAME, declared_prefixes, iris, skeleton
from kg.query.typediris import NAMED, SPACED_IRI, as_written, data_namespaces, refused_iris, under_another_base

__all__ = ["unused_terms", "syntax_hints", "MAX_SUGGESTED"]

#: the vocabularies whose terms the graph uses are all known: a term outside them is used by no triple
_VOCABULARIES: tuple[Vocabulary, ...] = (KG, SCHEMA, SEM, PROV, DCTERMS, SKOS, RDF, RDFS)


def unused_terms(query: str, prefixes: dict[str, str], exists: Callable[[str], bool],
                 names: Callable[[Collection[str]], Mapping[str, Collection[str]]] | None = None,
                 spelt: Callable[[Collection[str]], Mapping[str, str]] | None = None,
                 busy: Callable[[str], Mapping[str, int]] | None = None) -> list[str]:
    """Notes on the prefixed names, then the full IRIs, of ``query`` that name nothing in the graph, one each,
    in query order.

    ``prefixes`` are those bound without a PREFIX line; ``exists(iri)`` says
    whether a triple holds the IRI (asked of a vocabulary's term only when kg
    does not use it: a file loaded may hold others).  A vocabulary's IRI
    written another way (``https://schema.org/``; kg writes ``http:``) is
    pointed out, as a prefix and in a full IRI.  ``names(namespaces)`` gives
    the local names that the graph holds under each data namespace asked
    (:func:`kg.query.storelookups.names_under`): asked once, of the namespaces of
    the data names missing, and only when one is, so that the closest of
    them (or the same name in another case) are suggested.  Then the notes of
    :func:`kg.query.placement.nodes_as_predicates` and :func:`kg.query.literals.literal_notes`, the
    latter with ``spelt`` (:func:`kg.query.storelookups.names_spelt_otherwise`).  ``busy(namespace)``, when
    given, counts the events about each context's local name (:func:`kg.query.storelookups.events_about`), so that
    the busiest of the names a missing one may mean comes first, as in the analyst's filters: asked only
    when a context's name is missing.

    Examples
    --------
    >>> unused_terms("PREFIX schema: <https://schema.org/> SELECT * { ?e schema:name ?n }", PREFIXES,
    ...              lambda iri: False)
    ['schema:name names nothing in the graph: schema: is bound to <https://schema.org/>, and the graph \
writes that vocabulary as <http://schema.org/>']
    >>> unused_terms("SELECT * { ?e <https://schema.org/name> ?n ; <http://schema.org/title> ?t }", PREFIXES,
    ...              lambda iri: False)  # doctest: +NORMALIZE_WHITESPACE
    ['<https://schema.org/name> names nothing in the graph, which writes that vocabulary as <http://schema.org/>:
      did you mean <http://schema.org/name>?',
     '<http://schema.org/title> is not a term of the graph (the schema: properties kg writes: about,
      alternateName, contentUrl, image, name, publisher, sameAs, startDate, subjectOf, url)']
    >>> bound, held = {**PREFIXES, "context": "http://x/context/"}, {"Iran", "Iraq", "U.S."}
    >>> unused_terms("SELECT * { ?e schema:about context:iran, context:Irann, context:Nowhere }", bound,
    ...              lambda iri: False, lambda ns: dict.fromkeys(ns, held))  # doctest: +NORMALIZE_WHITESPACE
    ['context:iran names nothing in the graph: did you mean context:Iran?',
     'context:Irann names nothing in the graph: did you mean context:Iran?',
     'context:Nowhere names nothing in the graph']
    >>> unused_terms("SELECT * { ?e schema:about <http://x/context/Irann> }", bound, lambda iri: False,
    ...              lambda ns: dict.fromkeys(ns, held))
    ['<http://x/context/Irann> names nothing in the graph: did you mean context:Iran?']
    >>> unused_terms("PREFIX context: <urn:x/> SELECT * { ?e schema:about context:Iran }", bound, lambda iri: False)
    ['context:Iran names nothing in the graph: the query binds context: to <urn:x/>; in the graph context: is \
<http://x/context/>']
    """
    declared = declared_prefixes(query)
    namespaces = {**prefixes, **declared}
    vocabulary = {v.iri: v for v in _VOCABULARIES}
    data = data_namespaces(prefixes)
    notes: list[str] = []
    seen: set[str] = set()
    missing: list[tuple[int, str, str, str]] = []  # (its note, prefix, namespace, local): for names() at the end
    for match in PREFIXED_NAME.finditer(skeleton(query)):
        prefix, local = match.group(1) or "", unescaped_local(match.group(2))
        namespace = namespaces.get(prefix)
        name = match.group(0)
        if namespace is None or not local or name in seen:
            continue
        seen.add(name)
        known = vocabulary.get(namespace)
        if (namespace == VOID.iri or namespace + local in DESCRIPTION_ONLY) and not exists(namespace + local):
            notes.append(_unknown_term(name, prefix, local, VOID) if namespace == VOID.iri
                         and local not in VOID.terms else
                         f"{name} names nothing in the graph: kg describes the dataset (void:, with its provenance) "
                         "in graph.nq and graph.trig, beside the graph, and in a named graph of graph.oxigraph, "
                         "not in the graph itself")
        elif known is not None:
            if local not in known.terms and not exists(namespace + local):  # (a file may hold others)
                notes.append(_unknown_term(name, prefix, local, known))
        elif namespace in data and not exists(namespace + local):
            minted = _minted(namespace, local, prefixes, exists)
            if not minted and names is not None:
                missing.append((len(notes), prefix, namespace, local))
            notes.append(f"{name} names nothing in the graph" + minted)
        elif (meant := _misspelt_vocabulary(namespace)) is not None and not exists(namespace + local):
            notes.append(f"{name} names nothing in the graph: {prefix}: is bound to <{namespace}>, "
                         f"and the graph writes that vocabulary as <{meant.iri}>")
        elif (prefix in declared and prefixes.get(prefix, namespace) != namespace and not exists(namespace + local)
              and not any(namespace.startswith(ns) or ns.startswith(namespace) for ns in prefixes.values())):
            # One of kg's prefixes bound by the query to a namespace apart from all of kg's (not a day's
            # events under event:, say, which holds names): its names are not the graph's.
            notes.append(f"{name} names nothing in the graph: the query binds {prefix}: to <{namespace}>; "
                         f"in the graph {prefix}: is <{prefixes[prefix]}>")
    for _, full in iris(query):
        if full in declared.values() or full in seen:
            continue
        seen.add(full)
        # A data name in full (an IRI typed with the name as it reads, "Pérez" for kg's "P%C3%A9rez"): as above.
        within = [namespace for namespace in data if full.startswith(namespace) and len(full) > len(namespace)]
        if within:
            namespace = max(within, key=len)
            if not exists(full):
                local = full[len(namespace):]
                minted = _minted(namespace, local, prefixes, exists)
                if not minted and names is not None:
                    prefix = next(p for p, ns in prefixes.items() if ns == namespace)
                    missing.append((len(notes), prefix, namespace, local))
                notes.append(f"<{full}> names nothing in the graph" + minted)
            continue
        moved = under_another_base(full, data)
        if moved is not None:
            namespace, local = moved
            prefix = next(p for p, ns in prefixes.items() if ns == namespace)
            base = namespace[:namespace.rstrip("/").rfind("/") + 1]
            note = f"<{full}> names nothing in the graph, whose IRIs begin <{base}>"
            if exists(namespace + local):
                note += f": did you mean {as_written(namespace + local, {prefix: namespace})}?"
            elif names is not None:
                missing.append((len(notes), prefix, namespace, local))
            notes.append(note)
            continue
        for known in _VOCABULARIES:
            local = full[len(known.iri):]
            if full.startswith(known.iri) and _LOCAL.fullmatch(local):
                if local not in known.terms and not exists(full):
                    notes.append(_unknown_term(f"<{full}>", _prefix_of(known), local, known))
                break
            written = next((alias for alias in _aliases(known.iri) if full.startswith(alias)), None)
            if written is not None and _LOCAL.fullmatch(full[len(written):]) and not exists(full):
                notes.append(f"<{full}> names nothing in the graph, which writes that vocabulary "
                             f"as <{known.iri}>: did you mean <{known.iri}{full[len(written):]}>?")
                break
    # The first few only: a query of many names the graph lacks (a VALUES list of an outside source's,
    # say) is not to wait on difflib for each of them, after its own timeout.
    missing = missing[:MAX_SUGGESTED]
    if missing and names is not None:  # (one pass over the graph for every namespace)
        asked = {namespace for _, _, namespace, _ in missing}
        # (a name of one kind may be another's: publisher:AFP is no publisher, organization:AFP is)
        held = names(asked | {other for namespace in asked for other in other_kinds(namespace, data)})
        by_folder = {namespace: names_by_folder(held.get(namespace, ())) for namespace in held}
        indexes = NameIndexes(held, busy)
        for at, prefix, namespace, local in missing:
            if named_kind(namespace) is None:
                notes[at] += nearest(prefix, namespace, local, by_folder.get(namespace, {}))
            else:
                notes[at] += named(prefix, namespace, local, indexes, namespaces, data)
    return notes + nodes_as_predicates(query, prefixes, data, exists) + literal_notes(query, spelt)


#: A prefixed name (in a query's skeleton) and what runs on from it to the next space or bracket, which a
#: name typed as it reads holds ("context:Azraq,_Jordan", "event:2026-07-25/slug", a bracketed part but not a
#: bracket that closes a call); then the word after a space.
_RUN_ON = re.compile(PREFIXED_NAME.pattern
                     + r"((?:[^\s{}()<>\"';]|\([^\s{}()<>\"';]*\))*)(?:[ \t]+([A-Z][a-z]+)(?![\w:(]))?")
_VOCABULARY_IRIS = frozenset(PREFIXES.values())
#: Words of SPARQL that may follow a term, in title case too
_KEYWORDS = frozenset({"filter", "optional", "union", "minus", "bind", "values", "graph", "service", "as", "by",
                       "limit", "offset", "order", "group", "having", "where", "from", "named", "in", "not",
                       "exists", "select", "construct", "describe", "ask", "true", "false", "undef", "a"})


def syntax_hints(query: str, prefixes: Mapping[str, str], exists: Callable[[str], bool] | None = None, *,
                 based: bool = False) -> list[str]:
    r"""What a query that the parser refused may have meant: a prefixed name typed as its name reads (with a
    space, a comma, a slash), a prefix declared nowhere that is one of the graph's misspelt, and a keyword
    misspelt (``LIMT``).

    ``prefixes`` are those bound without a PREFIX line; ``exists(iri)``, when given, says whether the graph
    holds an IRI: a name with a comma that it does not hold, but holds each part of, is said to be those
    parts (Context lines split names on commas).  ``based``: the query was read against a base IRI (an
    endpoint's URL), so that a relative IRI is no mistake.

    Examples
    --------
    >>> from kg.iri import PREFIXES as FOLDERS
    >>> bound = {**PREFIXES, **{prefix: "http://x/" + folder for prefix, folder in FOLDERS.items()}}
    >>> for hint in syntax_hints("SELECT * { ?e schema:about context:United States, context:Azraq,_Jordan . "
    ...                          "event:2026-07-25/a-flag shema:name ?h }", bound):
    ...     print(hint)
    context:United States: a prefixed name holds no space; did you mean context:United_States?
    context:Azraq,_Jordan: did you mean context:Azraq%2C_Jordan (the name 'Azraq, Jordan')?
    event:2026-07-25/a-flag: did you mean event:2026-07-25\/a-flag?
    shema: is declared nowhere: did you mean schema:?
    >>> syntax_hints("SELECT ?e { ?e a kg:Event } ORDR BY ?e LIMT 2", bound)
    ['ORDR: no keyword of SPARQL; did you mean ORDER?', 'LIMT: no keyword of SPARQL; did you mean LIMIT?']
    >>> syntax_hints("ASK { ?e schema:about context:Azraq,_Jordan }", bound,
    ...              lambda iri: iri in ("http://x/context/Azraq", "http://x/context/Jordan"))
    ['context:Azraq,_Jordan: the graph holds context:Azraq and context:Jordan (Context lines split names on commas)']
    >>> for hint in syntax_hints("ASK { ?e schema:about <http://x/context/United States>, <context/Iran> }", bound):
    ...     print(hint)
    <http://x/context/United States>: an IRI holds no space; did you mean context:United_States?
    <context/Iran>: a relative IRI, and the query has no BASE; did you mean context:Iran?
    """
    declared = {**prefixes, **declared_prefixes(query)}
    bare = skeleton(query)
    hints = refused_iris(query, bare, prefixes, based=based)
    # (an IRI with a space is not read again as a prefixed name "http:" declared nowhere)
    bare = SPACED_IRI.sub(lambda m: " " * len(m.group(0)), bare)
    unknown: list[str] = []
    for found in _RUN_ON.finditer(bare):
        prefix, local, more, word = found.group(1) or "", found.group(2), found.group(3), found.group(4)
        if prefix not in declared:
            if prefix not in unknown:
                unknown.append(prefix)
            continue
        namespace = declared[prefix]
        words = more + (" " + word if word and word.lower() not in _KEYWORDS else "")
        if not words or namespace in _VOCABULARY_IRIS:  # (a data name's, not a term's: "schema:about Iran")
            continue
        typed = unescaped_local(local) + words
        kind = named_kind(namespace)
        if kind is not None:
            base, mint = namespace[:-len(kind) - 1], NAMED[kind + "/"]
            name = typed.replace("_", " ")
            pieces = [mint(base, part.strip()) for part in name.split(",")]
            if exists is not None and len(pieces) > 1 and not exists(mint(base, name)) and all(map(exists, pieces)):
                held = " and ".join(as_written(value, {prefix: namespace}) for value in pieces)
                hints.append(f"{prefix}:{local}{words}: the graph holds {held} (Context lines split names on commas)")
                continue
            why = " a prefixed name holds no space;" if " " in words else ""
            # (how to write it, said whether or not the graph holds it: that it does not is said too)
            absent = ", which the graph does not hold" if exists is not None and not exists(mint(base, name)) else ""
            said = f" (the name {name!r}{absent})" if not why else f" ({absent[2:]})" if absent else ""
            meant = as_written(mint(base, name), {prefix: namespace})
            hints.append(f"{prefix}:{local}{words}:{why} did you mean {meant}{said}?")
        elif (written := local_name(typed.replace(" ", "_"))) is not None:
            hints.append(f"{prefix}:{local}{words}: did you mean {prefix}:{written}?")
    for prefix in unknown:
        if f"<{prefix}://" in bare:  # (an IRI's scheme read as a prefix: the IRI is not closed by a ">")
            hints.append(f"<{prefix}://…: an IRI that no > closes (an IRI holds no space)")
            continue
        close = difflib.get_close_matches(prefix, list(declared), n=1, cutoff=0.6)
        hints.append(f"{prefix}: is declared nowhere" + (f": did you mean {close[0]}:?" if close else
                                                         f" (PREFIX {prefix}: <...> declares it)"))
    return hints + _misspelt_keywords(bare, [found.span() for found in _RUN_ON.finditer(bare)]) + _past_counts(bare)


# A LIMIT or OFFSET, whose number the engine reads as an unsigned 64-bit count.
_COUNT = re.compile(r"(?<![\w?$:])(LIMIT|OFFSET)\s+([0-9]+)", re.IGNORECASE)


def _past_counts(bare: str) -> list[str]:
    """A hint for a LIMIT or OFFSET past 2**64 - 1, which the parser refuses as "not a non negative integer".

    >>> _past_counts("SELECT * { ?s ?p ?o } LIMIT 100000000000000000000 OFFSET 2")
    ['LIMIT 100000000000000000000: past 18,446,744,073,709,551,615, the largest the engine reads; leave LIMIT out \
for every row']
    """
    advice = {"LIMIT": "leave LIMIT out for every row", "OFFSET": "no answer holds that many rows"}
    return [f"{word} {number}: past {(1 << 64) - 1:,}, the largest the engine reads; {advice[word.upper()]}"
            for word, number in _COUNT.findall(bare) if int(number) >= 1 << 64]


#: SPARQL 1.1's keywords and built-in functions (upper case)
_SPARQL_WORDS = frozenset((
    "SELECT", "CONSTRUCT", "DESCRIBE", "ASK", "WHERE", "FROM", "NAMED", "PREFIX", "BASE", "DISTINCT", "REDUCED",
    "AS", "ORDER", "BY", "ASC", "DESC", "LIMIT", "OFFSET", "GROUP", "HAVING", "VALUES", "UNDEF", "OPTIONAL", "UNION",
    "MINUS", "FILTER", "BIND", "GRAPH", "SERVICE", "SILENT", "NOT", "EXISTS", "IN", "TRUE", "FALSE", "COUNT", "SUM",
    "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "SEPARATOR", "STR", "LANG", "LANGMATCHES", "DATATYPE", "BOUND",
    "IRI", "URI", "BNODE", "RAND", "ABS", "CEIL", "FLOOR", "ROUND", "CONCAT", "STRLEN", "UCASE", "LCASE",
    "ENCODE_FOR_URI", "CONTAINS", "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER", "YEAR", "MONTH", "DAY", "HOURS",
    "MINUTES", "SECONDS", "TIMEZONE", "TZ", "NOW", "UUID", "STRUUID", "MD5", "SHA1", "SHA256", "SHA384", "SHA512",
    "COALESCE", "IF", "STRLANG", "STRDT", "SAMETERM", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL", "ISNUMERIC", "REGEX",
    "SUBSTR", "REPLACE",
))
#: a word of a query's skeleton that is no variable, prefixed name, language tag or number
_WORD = re.compile(r"(?<![\w?$:@.\-/\\%#])([A-Za-z][A-Za-z_]{2,})(?![\w:.-])")


def _misspelt_keywords(bare: str, names: list[tuple[int, int]]) -> list[str]:
    """A hint for each word of a query's skeleton that is no SPARQL keyword but spells one nearly (``LIMT``),
    outside the ``names`` (spans of prefixed names and what runs on from them: ``event:2015-09-01/nowhere``)."""
    hints: list[str] = []
    for match in _WORD.finditer(bare):
        word = match.group(1)
        within = any(start <= match.start() < end for start, end in names)
        if within or word.upper() in _SPARQL_WORDS or any(h.startswith(word + ":") for h in hints):
            continue
        near = difflib.get_close_matches(word.upper(), _SPARQL_WORDS, n=1, cutoff=0.75)
        if near:
            hints.append(f"{word}: no keyword of SPARQL; did you mean {near[0]}?")
    return hints


#: the most names missing from the graph whose nearest names are looked for, in query order
MAX_SUGGESTED = 5


_LOCAL = re.compile(r"[A-Za-z][\w-]*")


def _aliases(namespace: str) -> tuple[str, ...]:
    """Another way people write a vocabulary's IRI: the other scheme (``https://schema.org/``)."""
    other = ("https://" + namespace[7:]) if namespace.startswith("http://") else ("http://" + namespace[8:])
    return (other,)


def _misspelt_vocabulary(namespace: str) -> Vocabulary | None:
    """The vocabulary of kg's that ``namespace`` is another spelling of (``https://schema.org/``), if any."""
    return next((v for v in _VOCABULARIES if namespace != v.iri and namespace in _aliases(v.iri)), None)


def _prefix_of(known: Vocabulary) -> str:
    return next((p for p, ns in PREFIXES.items() if ns == known.iri), "")


def _unknown_term(name: str, prefix: str, local: str, known: Vocabulary) -> str:
    near = difflib.get_close_matches(local, known.terms, n=1, cutoff=0.6) or \
        difflib.get_close_matches(local.lower(), {t.lower(): t for t in known.terms}, n=1, cutoff=0.6)
    if near:
        term = next(t for t in known.terms if t.lower() == near[0].lower())
        return f"{name} is not a term of the graph: did you mean {prefix}:{term}?"
    # Those of its kind: properties begin in lower case, classes in upper case.
    kind, same = ("properties", str.islower) if local[:1].islower() else ("classes", str.isupper)
    shown = sorted((t for t in known.terms if same(t[:1]) and known.iri + t not in DESCRIPTION_ONLY), key=str.lower)
    return f"{name} is not a term of the graph (the {prefix}: {kind} kg writes: {', '.join(shown) or 'none'})"


def _minted(namespace: str, local: str, prefixes: dict[str, str], exists: Callable[[str], bool]) -> str:
    """A hint: the IRI that kg mints from the name ``local`` reads as, when that one is in the graph."""
    for kind, mint in NAMED.items():
        if namespace.endswith(kind):
            name = local.replace("_", " ")
            minted = mint(namespace[:-len(kind)], name)
            if minted != namespace + local and exists(minted):
                # (an organization's local name is a key made of any of its spellings: the typed one is no help)
                why = ("an organization's IRI is made of its name's letters and digits, in lower case, less a "
                       "leading \"The\" or a \"News\" after initials"
                       if kind == "organization/" else f"the name {name!r}")
                return f": did you mean {prefixed_name(minted, prefixes)} ({why})?"
    return ""
