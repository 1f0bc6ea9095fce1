"""How a request of the SPARQL 1.1 Protocol is read: its operation, its parameters, the answer's format.

:func:`operation` takes the query (or update) and the dataset parameters out
of a GET or POST in any of the protocol's forms, a query that is not UTF-8
refused at the byte it is not; :func:`result_format` (over :func:`negotiate`)
chooses the answer's format from the ``Accept`` header (or the ``format=``
parameter that stands for it, :func:`format_ranges`), a type given ``q=0``
never answered in.  :mod:`kg.query.serve` answers the request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import unquote_to_bytes

from kg.query.sparql import RESULT_FORMATS

__all__ = ["ACCEPTED", "WILDCARDS", "ANSWER_KIND", "BODY_MEDIA", "DATASET_PARAMETERS", "FORMAT_PARAMETERS",
           "FORMAT_NAMES", "TOKEN", "Operation", "result_format", "negotiate", "operation", "format_ranges",
           "parameters", "query_text", "wants_html", "media_ranges"]

#: Media types a client may ask for (``Accept``) -> the format of :data:`kg.query.sparql.RESULT_FORMATS`
#: answered in, for each kind of answer: solutions and booleans (SELECT, ASK) in the results formats,
#: a graph (CONSTRUCT, DESCRIBE) in that format's graph syntax. A type of the other kind is HTTP 406.
#: Results asked as ``text/plain`` come as CSV, as for ``text/*``: kg's aligned table would cut long
#: values to fit a terminal, and a client asking for text (curl, a script) is owed every value whole.
ACCEPTED: dict[str, dict[str, str]] = {
    "results": {"application/sparql-results+json": "json", "application/json": "json",
                "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
                "text/csv": "csv", "text/tab-separated-values": "tsv", "text/plain": "csv"},
    "graph": {"application/ld+json": "json", "application/json": "json", "application/rdf+xml": "xml",
              "application/xml": "xml", "text/xml": "xml", "application/n-triples": "tsv",
              "text/turtle": "table", "text/plain": "table"},
}

#: What a wildcard media range gets first: JSON (results or JSON-LD) for anything or any application
#: type; for any text, CSV results or a Turtle graph. Where that type is given q=0, the other types the
#: wildcard matches follow, in the order of :data:`ACCEPTED`.
WILDCARDS: dict[str, dict[str, str]] = {
    "results": {"*/*": "json", "application/*": "json", "text/*": "csv"},
    "graph": {"*/*": "json", "application/*": "json", "text/*": "table"},
}

#: Query form -> the kind of answer it gives.
ANSWER_KIND = {"SELECT": "results", "ASK": "results", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def result_format(accept: str | None, form: str = "SELECT") -> str | None:
    """The answer's format for an ``Accept`` header and a query form: the first listed that kg writes
    for that form, by quality (``None``: the header names none of them, HTTP 406).

    A type given ``q=0`` is never answered in, though a wildcard matches it
    (RFC 9110, 12.5.1): each type takes the quality of the most specific
    range that matches it.

    >>> result_format("text/csv;q=0.5, application/sparql-results+xml")
    'xml'
    >>> result_format(None), result_format("*/*"), result_format("image/png"), result_format("text/*")
    ('json', 'json', None, 'csv')
    >>> result_format("application/sparql-results+xml;Q=0, text/csv"), result_format("text/plain")
    ('csv', 'csv')
    >>> result_format("application/sparql-results+json;q=0, */*"), result_format("text/csv;q=0, text/*")
    ('xml', 'tsv')
    >>> result_format("application/n-triples"), result_format("application/n-triples", "CONSTRUCT")
    (None, 'tsv')
    >>> result_format("text/csv", "DESCRIBE"), result_format("text/*", "CONSTRUCT")
    (None, 'table')
    """
    kind = ANSWER_KIND[form]
    media_type = (lambda f: RESULT_FORMATS[f].media_type) if kind == "results" else (
        lambda f: RESULT_FORMATS[f].graph_media_type)
    return negotiate(accept, ACCEPTED[kind], WILDCARDS[kind], media_type)


_Chosen = TypeVar("_Chosen")


def negotiate(accept: str | None, offered: Mapping[str, _Chosen], wildcards: Mapping[str, _Chosen],
               media_type: Callable[[_Chosen], str]) -> _Chosen | None:
    """What of ``offered`` an ``Accept`` header takes first, by quality; without a header, ``*/*``'s.

    ``media_type`` names the type a choice is answered in: a wildcard takes a
    choice only where it is the most specific range matching that type, so
    that a type's own ``q=0`` (or a narrower wildcard's) refuses it. An
    alias (``application/json`` for JSON results, answered as
    ``application/sparql-results+json``) is refused only where the type it
    is answered in is named with ``q=0``.
    """
    if not (accept or "").strip():
        return wildcards["*/*"]
    ranges = media_ranges(accept or "")
    named = {media for media, _ in ranges}
    refused = {media for media, quality in ranges if quality <= 0 and "*" not in media}

    def nearest(media: str) -> str | None:
        """The most specific range of the header that matches ``media``."""
        return next((r for r in (media, media.split("/")[0] + "/*", "*/*") if r in named), None)

    ranked: list[tuple[tuple[float, bool, int, int], _Chosen]] = []
    for n, (media, quality) in enumerate(ranges):
        if quality <= 0:
            continue
        if media in offered:
            choices = [offered[media]]
        elif media in wildcards:  # its first choice, then the others it matches
            choices = [wildcards[media], *offered.values()]
        else:
            continue
        for k, chosen in enumerate(choices):
            answered = media_type(chosen)
            if answered in refused or ("*" in media and nearest(answered) != media):
                continue
            # An exact type before a wildcard of the same quality, as RFC 9110 ranks them.
            ranked.append(((-quality, "*" in media, n, k), chosen))
    return min(ranked, key=lambda r: r[0])[1] if ranked else None


#: The media types of a POST body that carries a query or an update.
BODY_MEDIA = ("application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded")


@dataclass(frozen=True, slots=True)
class Operation:
    """What a request of the protocol carries, as :func:`operation` reads it."""

    #: the query's text (``None``: none; an empty ``query=`` is a query, which does not parse)
    query: str | None
    #: an update's text, refused by kg's endpoint whatever it holds
    update: str | None
    #: the parameters of :data:`DATASET_PARAMETERS` the request names
    dataset: tuple[str, ...] = ()
    #: the answer's format named by a parameter of :data:`FORMAT_PARAMETERS`, as media ranges that
    #: stand for the ``Accept`` header (:func:`format_ranges`); ``None``: none named
    accept: str | None = None
    #: that parameter as the request wrote it (``format=csv``), for messages
    asked: str | None = None
    #: ``(status, message)`` of a request the protocol calls malformed, else ``None``
    problem: tuple[int, str] | None = None


def operation(method: str, content_type: str, query_string: bytes, body: bytes) -> Operation:
    """The :class:`Operation` a request of the protocol carries: query or update, dataset, format, problem.

    ``problem`` is the ``(status, message)`` of a request the protocol calls
    malformed: a body of another media type (415), two queries or two updates, a
    query that is not UTF-8 (400); or of one whose ``format=`` (or ``output=``)
    names no format kg writes, or two (400).

    >>> asked = operation("GET", "", b"query=ASK%7B%7D&named-graph-uri=urn%3Ax", b"")
    >>> asked.query, asked.update, asked.dataset
    ('ASK{}', None, ('named-graph-uri',))
    >>> operation("POST", "text/plain", b"", b"ASK{}").problem
    (415, "a request body of type 'text/plain': this endpoint reads application/sparql-query, \
application/sparql-update and application/x-www-form-urlencoded")
    >>> operation("GET", "", b"query=ASK%7B%7D&query=ASK%7B%7D", b"").problem
    (400, 'a request carries one query: this one has 2')
    >>> operation("POST", "application/sparql-query", b"query=ASK%7B%7D", b"ASK{}").problem[0]
    400
    >>> print(operation("GET", "", b"query=ASK%20%22%FF%22%7B%7D", b"").problem[1])
    the query is not UTF-8, which the SPARQL protocol requires: byte 0xFF at offset 5, after 'ASK "'
    >>> chosen = operation("POST", "application/x-www-form-urlencoded", b"", b"query=ASK%7B%7D&output=CSV")
    >>> chosen.accept, chosen.asked
    ('text/csv', 'output=CSV')
    """
    params = parameters(query_string)
    dataset = tuple(name for name in DATASET_PARAMETERS if name in params)
    media = content_type.split(";")[0].strip().lower()
    if method == "POST" and media in BODY_MEDIA[:2]:
        # The body is the query (or update): one more in the URL would be a second, not to be ignored.
        if "query" in params or "update" in params:
            return Operation(None, None, dataset, problem=(400, "a request carries one query or update: this "
                                                                "one has one in its body and more in its URL"))
        accept, asked, problem = _format_asked(params)
        if media == "application/sparql-query":
            text, not_text = query_text(body)
            return Operation(text, None, dataset, accept, asked, not_text or problem)
        return Operation(None, body.decode("utf-8", "replace"), dataset, accept, asked)  # (refused, whatever it holds)
    if method == "POST" and media == "application/x-www-form-urlencoded":
        for name, values in parameters(body).items():
            params.setdefault(name, []).extend(values)
        dataset = tuple(name for name in DATASET_PARAMETERS if name in params)
    elif method == "POST" and body:
        # Read as a form it would lose its query: refused, as the protocol has it, not ignored.
        return Operation(None, None, dataset, problem=(415, f"a request body of type {media or 'unnamed'!r}: this "
                                                            f"endpoint reads {', '.join(BODY_MEDIA[:2])} and "
                                                            f"{BODY_MEDIA[2]}"))
    query, update = params.get("query", []), params.get("update", [])
    for kind, given in (("query", query), ("update", update)):
        if len(given) > 1:
            return Operation(None, None, dataset, problem=(400, f"a request carries one {kind}: this one has "
                                                                f"{len(given)}"))
    accept, asked, problem = _format_asked(params)
    text, not_text = query_text(query[0]) if query else (None, None)
    return Operation(text, update[0].decode("utf-8", "replace") if update else None, dataset, accept, asked,
                     not_text or problem)


#: An HTTP token (RFC 9110, 5.6.2): a header's name, either half of a media type
TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"

#: The parameters that may name the answer's format instead of the ``Accept`` header, as a link or a
#: browser's address bar cannot set a header: Virtuoso's endpoint reads ``format``, Fuseki's ``output``.
FORMAT_PARAMETERS = ("format", "output")

#: The names those parameters take (in any case) -> the media ranges they stand for: a results type, then
#: a graph type where the name fits both kinds of answer. A value with a ``/`` is a media type itself.
FORMAT_NAMES = {
    "json": "application/sparql-results+json, application/ld+json",
    "xml": "application/sparql-results+xml, application/rdf+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values", "text": "text/plain",
    "turtle": "text/turtle", "ttl": "text/turtle",
    "ntriples": "application/n-triples", "n-triples": "application/n-triples", "nt": "application/n-triples",
    "json-ld": "application/ld+json", "jsonld": "application/ld+json",
    "rdf/xml": "application/rdf+xml", "rdfxml": "application/rdf+xml",
}


def format_ranges(value: str) -> str | None:
    """The media ranges a ``format=`` value stands for (``None``: none that kg knows).

    >>> format_ranges("JSON"), format_ranges("text/csv"), format_ranges("excel")
    ('application/sparql-results+json, application/ld+json', 'text/csv', None)
    """
    value = value.strip()
    if value.lower() in FORMAT_NAMES:
        return FORMAT_NAMES[value.lower()]
    return value if re.fullmatch(TOKEN + "/" + TOKEN, value) else None


def _format_asked(params: Mapping[str, list[bytes]]) -> tuple[str | None, str | None, tuple[int, str] | None]:
    """``(media ranges, the parameter as written, problem)`` of the format a request's parameters name."""
    given = [(name, value.decode("utf-8", "replace")) for name in FORMAT_PARAMETERS for value in params.get(name, [])]
    if not given:
        return None, None, None
    asked = [f"{name}={value}" for name, value in given]
    ranges = {format_ranges(value) for _, value in given}
    if None in ranges:
        unknown = next(f"{name}={value}" for name, value in given if format_ranges(value) is None)
        return None, asked[0], (400, f"{unknown} names no format this endpoint writes: it takes "
                                     f"{', '.join(FORMAT_NAMES)} or a media type")
    if len(ranges) > 1:
        return None, asked[0], (400, f"a request names one format: this one names {' and '.join(asked)}")
    return ranges.pop(), asked[0], None


def parameters(encoded: bytes) -> dict[str, list[bytes]]:
    """The parameters of a URL's query string or a form's body, their values unescaped to bytes
    (decoded by their reader: a query must be UTF-8, :func:`query_text`).

    >>> parameters(b"query=ASK+%7B%7D&x&query=%FF")
    {'query': [b'ASK {}', b'\\xff'], 'x': [b'']}
    """
    params: dict[str, list[bytes]] = {}
    for field in encoded.split(b"&"):
        if field:
            name, _, value = field.replace(b"+", b" ").partition(b"=")
            params.setdefault(unquote_to_bytes(name).decode("utf-8", "replace"), []).append(unquote_to_bytes(value))
    return params


#: How much of the line before a byte that is not UTF-8 its message quotes.
_QUOTED = 30


def query_text(query: bytes) -> tuple[str | None, tuple[int, str] | None]:
    r"""``(text, None)`` of a query sent as UTF-8, as the protocol has it; else ``(None, (400, where it is not))``.

    >>> query_text(b"ASK { ?s ?p '\xc3\xa9' }")
    ("ASK { ?s ?p 'é' }", None)
    >>> status, message = query_text(b"ASK {\n?s ?p '\xe9' }")[1]
    >>> print(status, message)
    400 the query is not UTF-8, which the SPARQL protocol requires: byte 0xE9 at offset 13, after "?s ?p '"
    """
    try:
        return query.decode("utf-8"), None
    except UnicodeDecodeError as err:
        # The line it is on, up to the byte: the client's own text, decoded (all UTF-8 before the first error).
        before = query[:err.start].decode("utf-8").rsplit("\n", 1)[-1]
        before = before if len(before) <= _QUOTED else "…" + before[1 - _QUOTED:]
        return None, (400, f"the query is not UTF-8, which the SPARQL protocol requires: byte 0x{query[err.start]:02X} "
                           f"at offset {err.start}" + (f", after {before!r}" if before else ""))


def wants_html(accept: str) -> bool:
    """Whether a request comes from a browser (its ``Accept`` names HTML): it gets the query page.

    >>> wants_html("text/html,application/xhtml+xml,*/*;q=0.8"), wants_html("text/turtle")
    (True, False)
    """
    return any(media in ("text/html", "application/xhtml+xml") and quality > 0
               for media, quality in media_ranges(accept))


def media_ranges(accept: str) -> list[tuple[str, float]]:
    """The ``(media type, quality)`` of each range of an ``Accept`` header, in its order (q=0: not acceptable).

    A quality not written as RFC 9110 has it (0 to 1, three decimals at most: ``q=2``,
    ``q=nan``, ``q=abc``) makes its range not acceptable, as ``q=0`` does.

    >>> media_ranges("text/html, text/*;q=0.5, image/png;Q=0")
    [('text/html', 1.0), ('text/*', 0.5), ('image/png', 0.0)]
    >>> media_ranges("text/csv;q=nan, text/tsv;q=2, application/json;q=1.000")
    [('text/csv', 0.0), ('text/tsv', 0.0), ('application/json', 1.0)]
    """
    ranges = []
    for part in accept.split(","):
        media, *params = (p.strip().lower() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                value = value.strip()
                quality = float(value) if _QUALITY.fullmatch(value) else 0.0
        ranges.append((media, quality))
    return ranges


#: a quality value as RFC 9110 (12.4.2) writes it
_QUALITY = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")


#: The protocol's parameters that name a dataset (a query's, then an update's), which kg's endpoint
#: cannot honour: a query sent with one is refused, saying which, rather than answered over another.
DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")
