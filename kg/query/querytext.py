"""What a SPARQL query's text says before any parser reads it: its form, whether it is an update.

Strings, IRIs and comments are emptied first (:func:`skeleton`), so that a
``"SERVICE"`` in a string or an ``# INSERT`` in a comment says nothing; what
follows the prologue (``PREFIX`` and ``BASE`` declarations, :func:`query_head`)
begins with the query's form.  :func:`check_query` refuses updates, ``SERVICE``
calls unless allowed, and a text that begins with no query form, in words
of our own (the parser's would be "expected CONSTRUCT" for ``SELEC``).

Examples
--------
>>> skeleton('SELECT * WHERE { ?s <http://x/#y> "# not a comment" } # a comment')
'SELECT * WHERE { ?s <> "" } '
>>> query_form("PREFIX s: <http://schema.org/> # a comment\\n select ?x WHERE {}")
'SELECT'
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Iterator

from kg.errors import ArgumentError, ArgumentTypeError, QueryError, ReadOnlyQueryError, ServiceRefusedError

__all__ = ["FORMS", "MAX_NOTED_QUERY", "MAX_QUERY_BYTES", "PREFIXED_NAME", "check_query", "dataset_iris",
           "declared_prefixes", "declares_dataset", "iris", "query_form", "query_head", "read_query", "skeleton",
           "strings"]

#: the four forms a query takes
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: The longest query read, from a file, standard input or a request's body: real queries are kilobytes.
MAX_QUERY_BYTES = 16 << 20
#: The longest query (characters) that the notes on an empty answer look into: they run after the query,
#: outside its time limit, and rdflib's parser alone takes about 20 µs a character (a VALUES list of
#: 200,000 names took 39 s). A longer query is a program's, not one typed with a misspelt name.
MAX_NOTED_QUERY = 1 << 14

# Escapes (a local name's "\#" starts no comment), strings, IRIs and comments, whose text says nothing
# about the query's form; an IRI may hold \u escapes and any character but ASCII controls and spaces.
# A line (a string's, a comment's) ends at CR as at LF.
_LEXICAL = re.compile(r'''\\.|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
                      r'''|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*'|'''
                      r'''<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>|#[^\n\r]*''')
_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[^\s:]*:\s*|BASE\s*)<>\s*)*", re.IGNORECASE)
_FORM = re.compile(r"(?:SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_UPDATE = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
# Not the end of a prefixed name's local part (``event:2015-09-30\/returned-from``, ``ex:a.from``).
_FROM = re.compile(r"(?<![\w?$:\\/#.-])FROM(?![\w:-])", re.IGNORECASE)
_SERVICE = re.compile(r"SERVICE(?![\w:-])", re.IGNORECASE)
#: What may stand right before a SERVICE that is not the keyword: a variable's name, or a prefixed name's
#: local part, escapes included (``ex:a.SERVICE``, ``event:2026-07-13\/waf6-service`` are one name). Anything
#: else (``1SERVICE``, ``trueSERVICE``, ``?x.SERVICE``) the parser reads as a term, then the keyword.
_RUN_BEFORE = re.compile(r"(?:[\w.\-:%?$]|\\.)*\Z")
_VARIABLE_HEAD = re.compile(r"[?$]\w*\Z")


def _calls_service(bare: str) -> bool:
    """Whether the query's skeleton holds the keyword SERVICE, erring towards yes."""
    for m in _SERVICE.finditer(bare):
        run = _RUN_BEFORE.search(bare, 0, m.start())
        before = run.group(0) if run else ""
        if not (_VARIABLE_HEAD.fullmatch(before) or ":" in before):
            return True
    return False
_WORD = re.compile(r"[A-Za-z]+")


#: a prefixed name outside strings, IRIs and comments (in a :func:`skeleton`; its local name may hold escapes):
#: its prefix, then its local name as written
PREFIXED_NAME = re.compile(r"(?<![\w?$:\\/#.-])([A-Za-z][\w.-]*)?:((?:[\w-]|%[0-9A-Fa-f]{2}|\\.|\.(?=[\w%\\]))*)")
_DECLARED = re.compile(r"PREFIX\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)


def declared_prefixes(query: str) -> dict[str, str]:
    """The prefixes a query declares (``PREFIX p: <…>``) -> their namespaces.

    >>> declared_prefixes("PREFIX ex: <http://x/> prefix : <http://y/> # PREFIX ex: <http://wrong/>\\n ASK {}")
    {'ex': 'http://x/', '': 'http://y/'}
    """
    # (strings and comments emptied first: "# PREFIX g: <http://wrong/>" declares nothing)
    return dict(_DECLARED.findall(_LEXICAL.sub(lambda m: m.group(0) if m.group(0).startswith(("<", "\\")) else
                                               "" if m.group(0).startswith("#") else '""', query)))


def skeleton(query: str) -> str:
    """The query with every string, IRI and comment emptied (``<>``, ``""``, nothing), escapes kept."""
    return _LEXICAL.sub(lambda m: m.group(0) if m.group(0).startswith("\\") else "" if m.group(0).startswith("#")
                        else ("<>" if m.group(0).startswith("<") else '""'), query)


def declares_dataset(query: str) -> bool:
    """Whether a query names its dataset with ``FROM`` or ``FROM NAMED`` (outside its strings and IRIs).

    >>> declares_dataset("SELECT * FROM <http://x/g> { ?s ?p ?from }"), declares_dataset("ASK { ?s ex:from 'FROM' }")
    (True, False)
    """
    return _FROM.search(skeleton(query)) is not None


#: FROM or FROM NAMED, in a :func:`skeleton`, then the graph's name: an IRI (emptied there, ``<>``) or a
#: prefixed name (its prefix, its local name as written); not ``FROM`` inside a prefixed name (``g:x-FROM``)
_FROM_GRAPH = re.compile(r"(?<![\w?$:\\/#.-])FROM(\s+NAMED)?\s*(?:(<>)|" + PREFIXED_NAME.pattern + ")", re.IGNORECASE)
_BASE = re.compile(r"(?<![\w?$:\\/#.-])BASE\s*<>", re.IGNORECASE)
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def dataset_iris(query: str, prefixes: dict[str, str]) -> list[tuple[str, str]]:
    r"""The graphs that a query's ``FROM`` and ``FROM NAMED`` clauses name: ``(keyword, IRI)``, in order.

    An IRI is resolved against the ``BASE`` before it (a relative one without
    any is left out: the parser refuses it), a prefixed name read with the
    query's own prefixes, then ``prefixes`` (one declared nowhere is left out).

    >>> dataset_iris(r"PREFIX g: <http://x/g/> SELECT * FROM <http://x/a> FROM NAMED g:b\.c { ?s ?p 'FROM <c>' }", {})
    [('FROM', 'http://x/a'), ('FROM NAMED', 'http://x/g/b.c')]
    >>> dataset_iris("BASE <http://x/> ASK FROM <a\\u0062> # FROM <http://x/c>\n{ ?s ?p g:x-FROM }", {"g": "http://y/"})
    [('FROM', 'http://x/ab')]
    """
    from urllib.parse import urljoin

    from kg.query.pnames import unescaped_local

    bare = skeleton(query)
    # The skeleton empties each IRI to "<>", in order: the n-th "<>" there is the query's n-th IRI.
    written = [m.group(0)[1:-1] for m in _LEXICAL.finditer(query) if m.group(0).startswith("<")]
    iri_at = {m.start(): text for m, text in zip(re.finditer("<>", bare), written, strict=False)}
    bases = [(m.start(), iri_at.get(m.end() - 2, "")) for m in _BASE.finditer(bare)]
    known = {**prefixes, **declared_prefixes(query)}
    found: list[tuple[str, str]] = []
    for m in _FROM_GRAPH.finditer(bare):
        if m.group(2):
            iri = _UNICODE_ESCAPE.sub(lambda u: chr(int(u.group(1) or u.group(2), 16)), iri_at.get(m.start(2), ""))
            base = next((b for at, b in reversed(bases) if at < m.start()), None)
            iri = iri if base is None else urljoin(base, iri)
            if ":" not in iri:  # (relative, with no BASE)
                continue
        elif (m.group(3) or "") in known:
            iri = known[m.group(3) or ""] + unescaped_local(m.group(4))
        else:
            continue
        found.append(("FROM NAMED" if m.group(1) else "FROM", iri))
    return found


def iris(query: str) -> Iterator[tuple[int, str]]:
    """The IRIs written in full in a query (not in its strings or comments), with where each begins.

    >>> list(iris('SELECT * { ?s <http://x/a> "<http://x/b>" } # <http://x/c>'))
    [(14, 'http://x/a')]
    """
    for m in _LEXICAL.finditer(query):
        if m.group(0).startswith("<"):
            yield m.start(), m.group(0)[1:-1]


def strings(query: str) -> Iterator[tuple[int, str]]:
    """The strings of a query (not those in its comments), unquoted, each with where its closing quote ends.

    >>> list(strings('SELECT * { ?s ?p "a", "b" } # "c"'))
    [(20, 'a'), (25, 'b')]
    """
    for m in _LEXICAL.finditer(query):
        text = m.group(0)
        if text.startswith(('"', "'")):
            quotes = 3 if text[:3] in ('"""', "'''") else 1
            yield m.end(), text[quotes:-quotes]


def query_head(query: str) -> str:
    """The :func:`skeleton` of the query past its prologue: what begins with its form.

    Examples
    --------
    >>> query_head("BASE <http://x/> PREFIX : <y> ASK { :a :b 'c' }")
    'ASK { :a :b "" }'
    """
    bare = skeleton(query)
    return bare[_PROLOGUE.match(bare).end():]  # type: ignore[union-attr]  # it matches the empty string


def check_query(query: str, *, allow_service: bool = False) -> None:
    """Refuse an update, a ``SERVICE`` call unless it is allowed, and a text that is no query.

    Raises
    ------
    ReadOnlyQueryError
        If the text is a SPARQL Update request.
    ServiceRefusedError
        If the query calls another endpoint and ``allow_service`` is false.
    QueryError
        If there is no query (only blanks, comments or a prologue), or it
        does not begin with SELECT, ASK, CONSTRUCT or DESCRIBE.
    ArgumentTypeError
        If the query is not a str (bytes read from a file, say).

    Examples
    --------
    >>> check_query('SELECT * WHERE { ?s ?p "SERVICE" } # INSERT')
    >>> check_query("PREFIX ex: <http://x/> INSERT DATA { ex:a ex:b ex:c }")
    Traceback (most recent call last):
    ...
    kg.errors.ReadOnlyQueryError: updates are refused: the store is read-only (INSERT ...)
    >>> check_query("SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.errors.ServiceRefusedError: SERVICE is refused: it would query another endpoint (allowed by ...)
    >>> check_query("SELEC ?s WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: a query begins with SELECT, ASK, CONSTRUCT or DESCRIBE (after any PREFIX ...
    """
    if not isinstance(query, str):  # (from an untyped caller)
        hint = (" (bytes: decode them, query.decode('utf-8'))"  # type: ignore[unreachable]
                if isinstance(query, (bytes, bytearray)) else "")
        raise ArgumentTypeError(f"a query is a str, not {type(query).__name__}{hint}")
    bare = skeleton(query)
    head = bare[_PROLOGUE.match(bare).end():]  # type: ignore[union-attr]  # it matches the empty string
    if not head.strip():
        raise QueryError("the query is empty" + (" but for its prologue (PREFIX, BASE)" if bare.strip() else ""))
    update = _UPDATE.match(head)
    if update:
        raise ReadOnlyQueryError(f"updates are refused: the store is read-only ({update.group(0).upper()} ...)")
    if not _FORM.match(head):
        word = _WORD.match(head)
        said = repr(word.group(0)) if word else repr(head.split(maxsplit=1)[0][:20])
        close = difflib.get_close_matches(word.group(0).upper(), FORMS, n=1, cutoff=0.6) if word else []
        raise QueryError(f"a query begins with {', '.join(FORMS[:-1])} or {FORMS[-1]} (after any PREFIX and "
                         f"BASE declarations), not {said}" + (f": did you mean {close[0]}?" if close else ""))
    if not allow_service and _calls_service(bare):
        raise ServiceRefusedError("SERVICE is refused: it would query another endpoint (allowed by "
                                  "allow_service=True in Python, by --allow-service to kg query and kg serve)")


def query_form(query: str) -> str:
    """The form of a SPARQL query: ``"SELECT"``, ``"ASK"``, ``"CONSTRUCT"`` or ``"DESCRIBE"``.

    Raises what :func:`check_query` raises when the text is no query (``SERVICE`` aside).

    Examples
    --------
    >>> query_form("# ASK\\ndescribe <http://x/a>")
    'DESCRIBE'
    """
    check_query(query, allow_service=True)
    return _FORM.match(query_head(query)).group(0).upper()  # type: ignore[union-attr]  # checked above


def read_query(path: str | os.PathLike[str] | None) -> str:
    """The query in file ``path`` (``None``: standard input), UTF-8, bounded as kg serve bounds a request's body.

    Raises
    ------
    ArgumentError
        If it is longer than :data:`MAX_QUERY_BYTES` (``@/dev/zero`` would grow until the kernel ends kg).
    OSError, UnicodeDecodeError
        If it cannot be read, or is not UTF-8.

    >>> import tempfile, pathlib
    >>> where = pathlib.Path(tempfile.mkdtemp()) / "q.rq"
    >>> _ = where.write_bytes(b"\\xef\\xbb\\xbfASK {}")
    >>> read_query(where)
    'ASK {}'
    """
    with (open(sys.stdin.fileno(), "rb", closefd=False) if path is None else open(path, "rb")) as source:
        data = source.read(MAX_QUERY_BYTES + 1)
    if len(data) > MAX_QUERY_BYTES:
        raise ArgumentError(f"cannot read the query: it is longer than {MAX_QUERY_BYTES >> 20} MiB")
    return data.decode("utf-8-sig")  # (a byte-order mark is no part of the query)
