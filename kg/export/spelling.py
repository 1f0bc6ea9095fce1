"""How each RDF term of kg's graph is written in Turtle and N-Triples: pyoxigraph's spelling.

:class:`Spelling` is the :class:`~kg.export.terms.Terms` that kg's own writer
of Turtle and N-Triples text reads the emitters with (:mod:`kg.export.rdftext`):
each term is its text, spelt as pyoxigraph's serializer spells it, so that the
files are byte for byte the ones pyoxigraph writes from :func:`kg.triples` (a
test holds them equal on every corpus, and each rule here against pyoxigraph).
The rules:

- an IRI is a prefixed name when a declared namespace (the longest first)
  starts it and the rest is a local name that needs no escape; one that would
  need an escape is written whole, as :func:`kg.export.rdf.whole_iris` does
  with pyoxigraph's output; a rest that no local name can spell at all tries
  the next namespace;
- a string is quoted with ``\\b \\t \\n \\f \\r \\" \\\\`` and ``\\uXXXX`` for the
  other control characters, U+007F, U+FFFE and U+FFFF;
- in Turtle an ``xsd:integer`` and an ``xsd:boolean`` are written bare, any
  other typed literal as ``"..."^^datatype``.
"""

from __future__ import annotations

import datetime as dt
import re

import pyoxigraph as ox

from kg.errors import ArgumentError
from kg.export.terms import Minter
from kg.namespace import RDF, XSD

__all__ = ["Spelling", "local_name_kind", "quoted"]

# Turtle's PN_CHARS_BASE, PN_CHARS_U and PN_CHARS (the grammar's [163s]-[166s]), as pyoxigraph's Turtle
# writer reads them.  (kg.query.pnames writes names to paste into SPARQL, whose parser refuses some of
# these, and escapes "." everywhere: another purpose, other rules.)
_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
         "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
# A local name written as it is: a first character, then any with ":" and ".", not ending in ".".
_PLAIN = re.compile(f"[{_CHARS_U}:0-9](?:[{_CHARS}:.]*[{_CHARS}:])?")
# What a local name may hold escaped ("\\-", "\\%"): what pyoxigraph escapes rather than gives up on.
_ESCAPABLE = frozenset("_~.-!$&'()*+,;=/?#@%")
_FIRST = re.compile(f"[{_CHARS_U}:0-9]")
_LATER = re.compile(f"[{_CHARS}:.]")

# A prefix name as kg's are, and as whole_iris finds them (ASCII; empty too).
_PREFIX_NAME = re.compile(r"(?:[A-Za-z][\w.-]*)?", re.ASCII)

#: :func:`local_name_kind`'s answers.
PLAIN, ESCAPED, IMPOSSIBLE = "plain", "escaped", "impossible"

# A character an IRI never holds (Turtle's IRIREF): an IRI kg minted with one is a bug.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')

_ESCAPES: dict[int, str] = {c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)}
_ESCAPES.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"})
_NEEDS_ESCAPE = re.compile('[\x00-\x1f"\\\\\x7f\ufffe\uffff]')


def quoted(text: str) -> str:
    r"""``text`` as a quoted string of Turtle and N-Triples, escaped as pyoxigraph escapes it.

    Examples
    --------
    >>> print(quoted('He said "no"\n'))
    "He said \"no\"\n"
    >>> quoted("\x00\x7f")
    '"\\u0000\\u007F"'
    """
    return f'"{text.translate(_ESCAPES)}"' if _NEEDS_ESCAPE.search(text) else f'"{text}"'


def local_name_kind(local: str) -> str:
    """Whether ``local`` (not empty) is a Turtle local name as it is, only escaped, or not at all.

    Examples
    --------
    >>> local_name_kind("United_States"), local_name_kind("X_%28Y%29"), local_name_kind("a|b")
    ('plain', 'escaped', 'impossible')
    >>> local_name_kind("Va."), local_name_kind("-x"), local_name_kind("\u00b7x")
    ('escaped', 'escaped', 'impossible')
    """
    if _PLAIN.fullmatch(local):
        return PLAIN
    last = len(local) - 1
    for at, c in enumerate(local):
        fits = _FIRST.match(c) if at == 0 else (_LATER.match(c) and not (c == "." and at == last))
        if not fits and c not in _ESCAPABLE:
            return IMPOSSIBLE
    return ESCAPED


class Spelling(Minter):
    """Terms as their text in Turtle (``prefixes`` given) or N-Triples (``None``), memoised as :class:`Minter` does.

    The prefixes are as kg's are (:func:`kg.export.prefixes.output_prefixes`): names of ASCII
    letters, digits, ``_``, ``-`` and ``.``, a namespace each, which is what
    :func:`kg.export.rdf.whole_iris` reads back; others are refused.

    Examples
    --------
    >>> from kg.namespace import KG
    >>> t = Spelling("https://x.org/", {"kg": "https://w3id.org/kg-news/ontology#",
    ...                                 "xsd": "http://www.w3.org/2001/XMLSchema#"})
    >>> t.vocabulary(KG.Event), t.integer(3), t.date(dt.date(2015, 9, 1))
    (('kg:Event',), '3', '"2015-09-01"^^xsd:date')
    >>> Spelling("https://x.org/", None).integer(3)
    '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """

    def __init__(self, base: str, prefixes: dict[str, str] | None) -> None:
        super().__init__(base)
        odd = [name for name in prefixes or {} if not _PREFIX_NAME.fullmatch(name)]
        if odd or (prefixes and len(set(prefixes.values())) < len(prefixes)):
            raise ArgumentError(f"the text writer takes prefixes of ASCII names, one a namespace, not {prefixes!r}")
        # pyoxigraph tries the namespaces longest first (two of one length never start one IRI);
        # one pattern finds the first that starts an IRI (a loop over them all cost 2 µs an IRI).
        self._namespaces = sorted(((ns, name) for name, ns in (prefixes or {}).items()),
                                  key=lambda item: -len(item[0]))
        alternatives = "|".join(re.escape(ns) for ns, _ in self._namespaces) or "(?!)"
        self._first_namespace = re.compile(alternatives)
        # The common case at once: the first namespace that starts the IRI, then a plain local name
        # (the namespace taken in a lookahead, which never gives it back for a shorter one).
        self._prefixed = re.compile(f"(?=({alternatives}))\\1{_PLAIN.pattern}")
        self._name_of = dict(self._namespaces)
        self._rank = {ns: at for at, (ns, _) in enumerate(self._namespaces)}
        self._turtle = prefixes is not None
        self._vocabulary: dict[str, str] = {}
        self.true, self.false = self._typed("true", XSD.boolean), self._typed("false", XSD.boolean)
        self._any_uri = self.iri(XSD.anyURI.value)
        self._xsd_date = self.iri(XSD.date.value)

    def iri(self, value: str) -> str:
        """An IRI, a prefixed name where it can be one."""
        common = self._prefixed.fullmatch(value)
        if common is not None:
            namespace = common.group(1)
            return f"{self._name_of[namespace]}:{value[len(namespace):]}"
        if _NOT_IN_IRI.search(value):  # (the base is checked, the rest kg encodes: a bug)
            raise AssertionError(f"kg minted a string that is not an IRI: {value!r}")
        found = self._first_namespace.match(value)
        if found is not None:
            for namespace, name in self._namespaces[self._rank[found.group()]:]:
                if value.startswith(namespace):
                    local = value[len(namespace):]
                    if not local:
                        return f"{name}:"
                    kind = local_name_kind(local)
                    if kind is PLAIN:
                        return f"{name}:{local}"
                    if kind is ESCAPED:  # written whole (see kg.export.rdf)
                        break
                    # else no local name can spell it: pyoxigraph tries the next namespace
        return f"<{value}>"

    def vocabulary(self, *nodes: ox.NamedNode) -> tuple[str, ...]:
        """The terms' spellings (``rdf:type`` as the others: the writer says ``a`` for it)."""
        spelt = self._vocabulary
        for node in nodes:
            if node.value not in spelt:
                spelt[node.value] = self.iri(node.value)
        return tuple(spelt[node.value] for node in nodes)

    def literal(self, text: str) -> str:
        """A plain string literal."""
        return quoted(text)

    def uri(self, value: str) -> str:
        """An ``xsd:anyURI`` literal."""
        return f"{quoted(value)}^^{self._any_uri}"

    def typed_date(self, date: dt.date) -> str:
        """An ``xsd:date`` literal."""
        return f'"{date.isoformat()}"^^{self._xsd_date}'

    def typed_integer(self, value: int) -> str:
        """An ``xsd:integer`` literal: bare in Turtle."""
        return self._typed(str(value), XSD.integer)

    def _typed(self, value: str, datatype: ox.NamedNode) -> str:
        return value if self._turtle else f'"{value}"^^<{datatype.value}>'

    @property
    def rdf_type(self) -> str:
        """The spelling of ``rdf:type``, which Turtle writes ``a`` as a predicate."""
        return self.vocabulary(RDF.type)[0]
