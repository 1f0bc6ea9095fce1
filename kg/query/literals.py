"""Why an answer came back empty, continued: literals written otherwise than the graph writes them.

kg writes days as ``xsd:date`` (``"2026-06-01"^^xsd:date``), article URLs as
``xsd:anyURI``, and names and headlines as plain strings, without a language
tag.  A plain string never equals, nor compares with, a typed value; a tagged
string never equals a plain one; and a day as the site's paths write it
(``2026-6-1``) is no ``xsd:date`` at all.  Such a query parses and answers
nothing: :func:`literal_notes` says why, with the literal to write.

Examples
--------
>>> for note in literal_notes('SELECT * { ?c rdfs:label "Syria"@en . ?e schema:startDate "2026-6-1"^^xsd:date }'):
...     print(note)
"Syria"@en has a language tag: kg writes names and headlines without one, and a tagged string equals no \
plain one: write "Syria"
"2026-6-1"^^xsd:date is not a day as xsd:date writes it (YYYY-MM-DD): write "2026-06-01"^^xsd:date
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping

from kg.namespace import XSD
from kg.parse.publishers import web_domain
from kg.query.querytext import skeleton, strings

__all__ = ["literal_notes", "NODE_VALUED"]

#: Plain strings that stand for a typed value of the graph's, which no plain string equals (nor compares with):
#: what they look like, what kg writes, its datatype.
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_TYPED_VALUES = ((re.compile(r"\d{4}-\d{2}-\d{2}"), "days", "xsd:date"), (_URL, "article URLs", "xsd:anyURI"))
_STR_CALL = re.compile(r"\bSTR\s*\(", re.IGNORECASE)
#: a day as people and the site's paths write it: the month and day without their zeros
_LOOSE_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
#: a page's path, or the start of one, with its month whole (a "/" after it: "news/2015/1" may start October's)
#: and maybe its day: as people write days, or as the site does
_PAGE_FOLDER = re.compile(r"/?news/([0-9]{4})/([0-9]{1,2})/(?:([0-9]{1,2})(/.*)?)?")
#: what follows a literal: its datatype (an XSD one, prefixed or in full) or its language tag
_XSD = XSD.iri
#: what a query's skeleton holds right before the object of a triple pattern: its predicate (a prefixed
#: name or an emptied IRI), or a comma after another object (not after a variable: a function's arguments)
_OBJECT = re.compile(r"(?:[\w.-]*:[\w%.-]*|<>)\s+$|(?:[\w.-]*:[\w%.-]*|<>|\"\")\s*,\s*$")
#: The graph's properties whose values are nodes (a context, a day, a publisher ...), as kg's prefixes write
#: them, right before an object of a triple pattern
NODE_VALUED = ("schema:about", "schema:subjectOf", "schema:publisher", "schema:image", "schema:sameAs",
               "kg:onDay", "kg:listsEvent", "kg:madeBy", "kg:distributedBy", "kg:relatedTo", "kg:sharesContext",
               "kg:linkSource", "kg:linkTarget", "kg:context", "kg:involves", "dcterms:relation",
               "prov:wasDerivedFrom")
_NODE_VALUED = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, NODE_VALUED)) + r")\s+$")
#: kg:webDomain right before an object of a triple pattern: its values are hosts as :func:`web_domain` writes them
_WEB_DOMAIN = re.compile(r"(?<![\w.-])kg:webDomain\s+$")
_AFTER = re.compile(r"\^\^(?:xsd:(\w+)|<" + re.escape(_XSD) + r"(\w+)>)|@([A-Za-z]+(?:-[A-Za-z0-9]+)*)")


def literal_notes(query: str, spelt: Callable[[Collection[str]], Mapping[str, str]] | None = None) -> list[str]:
    """Notes on the literals of ``query`` written otherwise than kg writes the values they stand for.

    - a plain string that looks like a day or a URL (unless the query compares ``STR(...)``): kg writes
      those typed;
    - a day without its zeros, plain or as ``xsd:date`` (``"2026-6-1"``): the padded ``xsd:date`` (the padded
      plain string where the query compares ``STR(...)``);
    - a day and time (``xsd:dateTime``), which SPARQL does not compare with a day: the day;
    - a string with a language tag (``"Iran"@en``): the plain string;
    - a plain string as the object of a property whose values are nodes (``?e schema:about "Iran"``);
    - a page's path written with other zeros than the site writes (``"news/2026/08/01"``): the site's;
    - a web domain with ``www.`` or capitals, or a whole URL, as the object of ``kg:webDomain``: the host;
    - a plain string that an object of a triple pattern is (``?c schema:name "syria"``), that the graph
      holds nowhere but spells in another case: ``spelt(strings)`` gives those names
      (:func:`kg.query.storelookups.names_spelt_otherwise`), asked once, only when there are such strings.

    Examples
    --------
    >>> literal_notes('SELECT * { ?e schema:startDate ?d FILTER(?d >= "2026-06-01") }')
    ['"2026-06-01" is a plain string: kg writes days as xsd:date, which no plain string equals or compares \
with; write "2026-06-01"^^xsd:date']
    >>> literal_notes('SELECT * { ?e schema:startDate "2026-06-01"^^xsd:date ; schema:url ?u }')
    []
    >>> literal_notes('SELECT * { ?e schema:startDate ?d FILTER(STR(?d) >= "2026-06-01") }')
    []
    >>> literal_notes('SELECT * { ?e schema:startDate ?d FILTER(STR(?d) >= "2026-6-1") }')
    ['"2026-6-1" is not a day as STR() of a day reads (YYYY-MM-DD): write "2026-06-01"']
    >>> literal_notes('SELECT ?e { ?e kg:path ?p FILTER(STRSTARTS(?p, "news/2026/8/01")) }')
    ['"news/2026/8/01" is not a folder of pages as kg:path writes one, the month with its zero and the day without, as \
the site does: "news/2026/08/1"']
    >>> literal_notes('SELECT ?e { ?e schema:about "Iran" }')
    ['"Iran" is a literal, and schema:about leads to a node, not to its name: ?x schema:about ?node . ?node \
rdfs:label "Iran"']
    >>> literal_notes('SELECT ?e { ?e schema:about "Iran"@en }')
    ['"Iran"@en is a literal, and schema:about leads to a node, not to its name: ?x schema:about ?node . ?node \
rdfs:label "Iran"']
    >>> literal_notes('SELECT ?e { ?e schema:startDate "2026-6-1" ; schema:name ?n FILTER(STR(?n) = "x") }')
    ['"2026-6-1" is a plain string: write "2026-06-01"^^xsd:date']
    >>> literal_notes('SELECT ?c { ?c schema:sameAs "https://en.wikipedia.org/wiki/Iran" }')
    ['"https://en.wikipedia.org/wiki/Iran" is a literal, and schema:sameAs leads to a node: write it as an IRI, \
<https://en.wikipedia.org/wiki/Iran>']
    >>> literal_notes('SELECT ?e { ?e kg:onDay "2026-6-1"^^xsd:date }')
    ['"2026-6-1"^^xsd:date is a literal, and kg:onDay leads to a day, a node: day:2026-06-01 (or ?x schema:startDate \
"2026-06-01"^^xsd:date)']
    >>> literal_notes('SELECT ?a { ?a kg:webDomain "www.Reuters.com" }')
    ['"www.Reuters.com" is not a web domain as kg writes one (the host, lower case, without www.): write "reuters.com"']
    >>> literal_notes('SELECT ?a { ?a kg:webDomain "[x" . ?b kg:webDomain "Reuters" }')  # (no host; a name)
    []
    >>> literal_notes('ASK { ?e schema:startDate ?d FILTER(?d >= "2026-06-01T00:00:00"^^xsd:dateTime) }')
    ['"2026-06-01T00:00:00"^^xsd:dateTime is a day and time: kg writes days as xsd:date, which SPARQL does \
not compare with an xsd:dateTime; write "2026-06-01"^^xsd:date']
    """
    compares_text = _STR_CALL.search(skeleton(query)) is not None
    notes: list[str] = []
    seen: set[str] = set()
    objects: list[tuple[int, str]] = []  # (where its note goes, the text): plain strings a pattern matches
    for end, text in strings(query):
        after = _AFTER.match(query, end)
        written = f'"{text}"' + (after.group(0) if after else "")
        if written in seen:
            continue
        seen.add(written)
        before = _before(query, end, text) if text.strip() else ""
        leads = _NODE_VALUED.search(before)
        # (the object of a triple pattern is matched, not compared with STR() of anything)
        compared = compares_text and not (before and _OBJECT.search(before))
        note = (_node_note(text, written, leads.group(1)) if leads
                else _domain_note(text, written) if after is None and _WEB_DOMAIN.search(before)
                else _note(text, written, after, compared))
        if note:
            notes.append(note)
        elif after is None and before and _OBJECT.search(before):
            objects.append((len(notes), text))
    if objects and spelt is not None:
        other = spelt([text for _, text in objects])
        for at, text in reversed(objects):  # (from the last, so that each earlier place stays where it was)
            if text in other:
                notes.insert(at, f'"{text}" is in no triple: the graph writes "{other[text]}" (strings match case for '
                                 f'case; FILTER(LCASE(?name) = "{text.lower()}") matches any case)')
    return notes


def _node_note(text: str, written: str, predicate: str) -> str:
    """The note on a literal written as the object of a property whose values are nodes (a name, a day)."""
    day = _day(_LOOSE_DAY.fullmatch(text))
    if _URL.fullmatch(text):  # (a URL: the node is named by it)
        return f"{written} is a literal, and {predicate} leads to a node: write it as an IRI, <{text}>"
    if predicate == "kg:onDay" and day is not None:
        return (f"{written} is a literal, and kg:onDay leads to a day, a node: day:{day} (or ?x schema:startDate "
                f'"{day}"^^xsd:date)')
    # (the name as kg writes it: a plain string, whatever tag or type the query gave it)
    return f"{written} is a literal, and {predicate} leads to a node, not to its name: ?x {predicate} ?node . " \
           f'?node rdfs:label "{text}"'


def _domain_note(text: str, written: str) -> str | None:
    """The note on a web domain written otherwise than kg writes one (``www.``, capitals, a whole URL)."""
    try:
        host = web_domain(text if "//" in text else "//" + text)
    except ValueError:  # ("[x": no host a URL could hold)
        return None
    if "." not in host or host == text:  # ("Reuters": a name, not a host written otherwise)
        return None
    return f'{written} is not a web domain as kg writes one (the host, lower case, without www.): write "{host}"'


def _note(text: str, written: str, after: re.Match[str] | None, compares_text: bool) -> str | None:
    """The note on one literal, ``written`` as the query writes it (``None``: it reads as kg writes it)."""
    datatype = after and (after.group(1) or after.group(2))
    if after and after.group(3):
        return (f"{written} has a language tag: kg writes names and headlines without one, and a tagged string "
                f'equals no plain one: write "{text}"')
    loose = _LOOSE_DAY.fullmatch(text)
    day = _day(loose) if loose else None
    if datatype == "dateTime" and (day := _day(_LOOSE_DAY.match(text))) is not None:
        return (f"{written} is a day and time: kg writes days as xsd:date, which SPARQL does not compare with "
                f'an xsd:dateTime; write "{day}"^^xsd:date')
    if day is not None and datatype is None and day != text and compares_text:
        # (the query compares STR(...) of its days: a padded plain string is what to write)
        return f'{written} is not a day as STR() of a day reads (YYYY-MM-DD): write "{day}"'
    if day is not None and datatype in (None, "date") and day != text:
        what = "a plain string" if datatype is None else "not a day as xsd:date writes it (YYYY-MM-DD)"
        return f'{written} is {what}: write "{day}"^^xsd:date'
    folder = _PAGE_FOLDER.fullmatch(text) if after is None else None
    if folder is not None and (canonical := _page_folder(folder)) is not None and canonical != text:
        return (f"{written} is not a folder of pages as kg:path writes one, the month with its zero and the day "
                f'without, as the site does: "{canonical}"')
    if after is None and not compares_text:
        for looks, what, typed in _TYPED_VALUES:
            if looks.fullmatch(text):
                return (f"{written} is a plain string: kg writes {what} as {typed}, which no plain string equals "
                        f'or compares with; write "{text}"^^{typed}')
    return None


def _before(query: str, end: int, text: str) -> str:
    """The skeleton of what a query holds before its string ``text`` that ends at ``end`` (quotes included)."""
    long = query[end - 3:end]
    quotes = 3 if long in ('"""', "'''") and query.startswith(long, end - len(text) - 6) else 1
    opened = end - len(text) - 2 * quotes
    return skeleton(query[max(0, opened - 90):opened])


def _page_folder(found: re.Match[str]) -> str | None:
    """A page's path (or the start of one) as kg:path writes it: ``news/2026/08/1/``; ``None`` if its month or
    day is none (``news/2026/00/``)."""
    year, month, day, rest = found.groups()
    if not 1 <= int(month) <= 12 or (day is not None and not 1 <= int(day) <= 31):
        return None
    return f"{found.group(0)[:found.start(1)]}{year}/{int(month):02d}/" + \
        (str(int(day)) if day is not None else "") + (rest or "")


def _day(loose: re.Match[str] | None) -> str | None:
    """The day a loosely written one stands for, as ``xsd:date`` writes it (``None``: no such day)."""
    if loose is None:
        return None
    try:
        return dt.date(int(loose.group(1)), int(loose.group(2)), int(loose.group(3))).isoformat()
    except ValueError:
        return None
