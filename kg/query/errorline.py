"""The query engine's message on a query that fails, made one line that says where.

Oxigraph's parser says what it expected at a line and column, listing every
token (and every character class) it would have taken; :func:`one_line` keeps
that to one line of bounded length that quotes the query where the parser
stopped, and says a check that failed (an unbound variable, a prefix not
declared) alone, where the parser lists it among the tokens.  The whole
message stays the error's cause.
"""

from __future__ import annotations

import re

from kg.query.querytext import query_head

__all__ = ["one_line"]


#: The longest parser message kept: past it, Oxigraph lists every character class it expected.
_MESSAGE_LENGTH = 160


#: A check of the parser's that failed, said among the tokens it expected: a phrase, where tokens are
#: quoted, bracketed or one word.
_FAILED_CHECK = re.compile(r"(?:(?<=expected one of )|(?<=expected )|(?<=, ))([A-Z][A-Za-z]*(?: [\w()?$-]+)+)(?=, |$)")
_AGGREGATE = re.compile(r"\b(?:GROUP\s+BY|COUNT|SUM|AVG|MIN|MAX|SAMPLE|GROUP_CONCAT)\b", re.IGNORECASE)
#: How much of the query's line before the parser's stop the message quotes.
_QUOTED = 30


def one_line(err: Exception, query: str = "") -> str:
    """The parser's message on one line and cut short (the whole of it stays the error's cause),
    with the end of the query's text where the parser stopped.

    A check that failed (an unbound variable, a prefix not declared) comes
    among the tokens the parser expected: it alone is said.

    >>> one_line(SyntaxError("error at 1:27: expected one of Prefix not found, ['%'],\\n['-']"))
    'error at 1:27: Prefix not found'
    >>> one_line(SyntaxError("error at 2:9: expected one of ABS, AVG"), "SELECT ?x\\nWHERE { ?x ?p ?o }")
    "at line 2, column 9, after 'WHERE { ': expected one of ABS, AVG"
    """
    text = " ".join(str(err).split())
    expected = text.find("expected ")
    # (a phrase with a word in lower case: "IRI parsing failed", not a keyword such as "GROUP BY")
    checks = [c for c in _FAILED_CHECK.findall(text[expected:]) if c != c.upper()] if expected >= 0 else []
    if checks:
        text = text[:expected] + "; ".join(dict.fromkeys(checks))
        if "unbound" in text and _AGGREGATE.search(query_head(query)):
            text += (" (with GROUP BY or an aggregate, SELECT names only what is grouped by: "
                     "GROUP BY ?v, or GROUP BY (... AS ?v))")
    where = re.match(r"error at (\d+):(\d+): ", text)
    lines = query.split("\n")  # (the parser counts lines by line feeds alone)
    if where and query and 0 < int(where[1]) <= len(lines):
        line, column = int(where[1]), int(where[2])
        before = lines[line - 1].removesuffix("\r")[:max(0, column - 1)]
        before = before if len(before) <= _QUOTED else "…" + before[1 - _QUOTED:]
        text = (f"at line {line}, column {column}" + (f", after {before!r}" if before else "")
                + f": {text[where.end():]}")
    return text if checks or len(text) <= _MESSAGE_LENGTH else text[:_MESSAGE_LENGTH - 2] + " …"
