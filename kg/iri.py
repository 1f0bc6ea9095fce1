"""The one place where IRIs are minted.

Every IRI is a function of a stable key and the base IRI: an event's date and
slug, a day's date, an article's or image's URL, a publisher's or context's
name.  Nothing depends on counters or the order of reading, so IRIs survive
rebuilds and corpus edits.  Names are percent-encoded (space as ``_``, as
Wikipedia does, with ``_`` itself encoded) and long ones are cut and suffixed
with a hash, so every IRI is valid and bounded in length.

==============  =====================================================
node            IRI (after the base)
==============  =====================================================
event           ``event/2015-09-01/<slug>``
day             ``day/2015-09-01``
article         ``article/<sha256 of the URL, 32 hex>``
image           ``image/<sha256 of the URL, 32 hex>``
publisher       ``publisher/<name>`` (the source name as written)
organization    ``organization/<key>`` (a maker or distributor of a name;
                its spellings' key, ``newyorktimes``)
context         ``context/<name>``
related link    ``related/<sha256 of both page paths, 32 hex>``
shared context  ``shared/<sha256 of both page paths, 32 hex>``
page            ``page/news/2015/09/1/<slug>.md``
corpus          ``page/news``: its news/ folder, above its pages (a kg:Corpus)
dataset (graph) ``graph/<corpus>/<build time, 20150930T120000.123456Z>``
build activity  ``build/<corpus>/<build time>``
==============  =====================================================
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from urllib.parse import quote, unquote, urlsplit

from kg.errors import InvalidBaseIriError  # re-exported: its home was here
from kg.parse.publishers import organization_key
from kg.parse.records import PageKey

__all__ = [
    "description_iri",
    "base_of_dataset_iri",
    "InvalidBaseIriError",
    "check_base_iri",
    "encode_name",
    "decode_name",
    "event_iri",
    "event_folder_iri",
    "folder_iri",
    "day_iri",
    "base_of_day_iri",
    "base_of_event_iri",
    "article_iri",
    "image_iri",
    "publisher_iri",
    "organization_iri",
    "context_iri",
    "related_iri",
    "related_iri_of_paths",
    "shared_iri",
    "shared_iri_of_paths",
    "page_iri",
    "wikipedia_iri",
    "dataset_iri",
    "build_iri",
    "partition_iri",
    "KG_SOFTWARE_IRI",
    "PREFIXES",
    "MAX_NAME_SEGMENT",
]

#: Longest percent-encoded name segment kept whole; longer ones are cut and hashed.
MAX_NAME_SEGMENT = 180

#: Turtle prefix -> path under the base IRI.
PREFIXES = {
    "event": "event/",
    "day": "day/",
    "article": "article/",
    "image": "image/",
    "publisher": "publisher/",
    "organization": "organization/",
    "context": "context/",
    "related": "related/",
    "shared": "shared/",
    "page": "page/",
}

_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')
# What a base may not hold either, though RFC 3987's grammar lets some through: every other white space
# (NBSP, U+2028: rdflib's N-Triples reader refuses them), the C1 controls, the bidi formatting marks (RFC
# 3987 forbids them: an IRI would show as another) and invisible characters (two bases that look one).
_UNSEEN_IRI_CHARS = re.compile("[\\s\x80-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
                               "\u2060-\u2064\u2066-\u2069\ufeff]")
# Schemes a browser runs or reads inline, which a base would put in every IRI of the graph.
_UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})
# Names that percent-encoding leaves as they are: most slugs.
_PLAIN_NAME = re.compile(rf"[A-Za-z0-9-]{{1,{MAX_NAME_SEGMENT}}}")
# How a name cut short ends (encode_name): a name that encodes to such an ending is cut too, so that no
# name is spelt as another's cut form.
_CUT_END = re.compile(r"--[0-9a-f]{32}\Z")


def check_base_iri(base: str) -> str:
    """Return ``base`` if it can prefix our IRIs, else raise.

    Examples
    --------
    >>> check_base_iri("https://example.org/kg/")
    'https://example.org/kg/'
    >>> check_base_iri("example.org")
    Traceback (most recent call last):
    ...
    kg.errors.InvalidBaseIriError: base IRI must be absolute (scheme:...): 'example.org'
    >>> check_base_iri("https://example.org/\\u202e/")
    Traceback (most recent call last):
    ...
    kg.errors.InvalidBaseIriError: base IRI contains white space, control, bidi or invisible characters: ...
    >>> check_base_iri("https://example.org/%zz/")
    Traceback (most recent call last):
    ...
    kg.errors.InvalidBaseIriError: base IRI is not an IRI (...): 'https://example.org/%zz/'
    """
    if not isinstance(base, str):
        raise InvalidBaseIriError(f"base IRI must be a string, not {base!r}")
    if _BAD_IRI_CHARS.search(base):
        raise InvalidBaseIriError(f"base IRI contains characters not allowed in an IRI: {base!r}")
    if _UNSEEN_IRI_CHARS.search(base):
        raise InvalidBaseIriError(f"base IRI contains white space, control, bidi or invisible characters: {base!r}")
    try:
        scheme = urlsplit(base).scheme
    except ValueError as err:  # an unclosed IPv6 bracket ...
        raise InvalidBaseIriError(f"base IRI is not an IRI ({err}): {base!r}") from err
    if not scheme:
        raise InvalidBaseIriError(f"base IRI must be absolute (scheme:...): {base!r}")
    if scheme.lower() in _UNSAFE_SCHEMES:
        raise InvalidBaseIriError(f"base IRI must not be a {scheme.lower()}: IRI (a browser would run or "
                                  f"inline it): {base!r}")
    if not base.endswith(("/", "#")):
        raise InvalidBaseIriError(f"base IRI must end with '/' or '#': {base!r}")
    import pyoxigraph as ox

    try:  # the IRI syntax of RFC 3987, as every writer checks it: a bad %-escape, a second '#' ...
        ox.NamedNode(f"{base}{PREFIXES['event']}2015-09-01/a")
    except ValueError as err:
        raise InvalidBaseIriError(f"base IRI is not an IRI ({err}): {base!r}") from err
    return base


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def encode_name(name: str) -> str:
    """Percent-encode a name into one IRI path segment.

    Examples
    --------
    >>> encode_name("United States")
    'United_States'
    >>> encode_name("Hildale, Utah")
    'Hildale%2C_Utah'
    >>> encode_name("Inside Northern Va.")
    'Inside_Northern_Va%2E'
    >>> encode_name("a_b") != encode_name("a b")
    True
    >>> len(encode_name("x" * 1000)) <= 180
    True

    A long name is cut, with a digest of the whole; a name spelt as such a cut
    is cut too, so that two names never share a segment:

    >>> cut = encode_name("x" * 1000)
    >>> cut[-34:-32], encode_name(cut) != cut
    ('--', True)
    """
    if _PLAIN_NAME.fullmatch(name):
        encoded = name
    else:
        # "." and "~" are encoded too: a prefixed name ending in an escaped dot
        # is valid Turtle that some parsers (rdflib) reject.
        encoded = (quote(name, safe="").replace("_", "%5F").replace(".", "%2E")
                   .replace("~", "%7E").replace("%20", "_"))
    if len(encoded) <= MAX_NAME_SEGMENT and not (encoded[-34:-32] == "--" and _CUT_END.search(encoded)):
        return encoded
    head = encoded[:MAX_NAME_SEGMENT - 40]
    head = head[: head.rfind("%")] if "%" in head[-2:] else head  # never cut an escape
    return f"{head}--{_digest(name)}"


def decode_name(segment: str) -> str:
    """Invert :func:`encode_name` for segments that were not cut.

    >>> decode_name(encode_name("Floyd Mayweather, Jr._x"))
    'Floyd Mayweather, Jr._x'
    """
    return unquote(segment.replace("_", " "))


def _date(date: dt.date) -> str:
    return date.isoformat()


def folder_iri(base: str, kind: str) -> str:
    """The IRI that every IRI of ``kind`` (a key of :data:`PREFIXES`) under ``base`` starts with.

    >>> folder_iri("https://x.org/", "context")
    'https://x.org/context/'
    """
    return base + PREFIXES[kind]


def event_folder_iri(base: str) -> str:
    """The IRI that every :func:`event_iri` under ``base`` starts with.

    >>> event_folder_iri("https://x.org/")
    'https://x.org/event/'
    """
    return folder_iri(base, "event")


def event_iri(base: str, key: PageKey) -> str:
    """IRI of an event.

    >>> import datetime as dt
    >>> event_iri("https://x.org/", PageKey(dt.date(2015, 9, 1), "a-quake"))
    'https://x.org/event/2015-09-01/a-quake'
    """
    return f"{base}event/{_date(key.date)}/{encode_name(key.slug)}"


def day_iri(base: str, date: dt.date) -> str:
    """IRI of a day."""
    return f"{base}day/{_date(date)}"


def base_of_event_iri(value: str) -> str | None:
    """The base IRI that :func:`event_iri` made ``value`` under; ``None`` if it made no such IRI.

    >>> base_of_event_iri(event_iri("https://x.org/event/", PageKey(dt.date(2015, 9, 1), "a-quake")))
    'https://x.org/event/'
    >>> base_of_event_iri("https://x.org/event/2015-09-01/a/b") is None
    True
    """
    head, sep, segment = value.rpartition("/")
    base, sep, day = head.rpartition("event/")
    if not sep or not segment or not base.endswith(("/", "#")):
        return None
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        return None
    return base if _date(date) == day else None  # (a slug's segment holds no "/": it is percent-encoded)


def base_of_day_iri(value: str) -> str | None:
    """The base IRI that :func:`day_iri` made ``value`` under; ``None`` if it made no such IRI.

    What a file without prefixes (N-Triples, N-Quads) says of its graph's base.

    >>> base_of_day_iri(day_iri("https://x.org/kg/", dt.date(2015, 9, 1)))
    'https://x.org/kg/'
    >>> base_of_day_iri("https://x.org/kg/day/soon") is None
    True
    >>> base_of_day_iri("http://foo.org/holiday/2020-01-01") is None  # (no base ends "holi")
    True
    """
    base, sep, tail = value.rpartition("day/")
    if not sep or not base.endswith(("/", "#")):
        return None
    try:
        date = dt.date.fromisoformat(tail)
    except ValueError:
        return None
    return base if day_iri(base, date) == value else None


def article_iri(base: str, url: str) -> str:
    """IRI of a cited article, from its URL."""
    return f"{base}article/{_digest(url)}"


def image_iri(base: str, url: str) -> str:
    """IRI of an image, from its URL."""
    return f"{base}image/{_digest(url)}"


def publisher_iri(base: str, name: str) -> str:
    """IRI of a publisher, from its name."""
    return f"{base}publisher/{encode_name(name)}"


def organization_iri(base: str, name: str) -> str:
    """IRI of an organization that a publisher name resolves to, from any of its spellings or its key.

    Made of :func:`~kg.parse.publishers.organization_key` (letters and digits in
    lower case, no accents or leading "The"), so that every spelling of the
    organization names one node.

    >>> organization_iri("https://x.org/", "France 24")
    'https://x.org/organization/france24'
    >>> organization_iri("https://x.org/", "The New York Times") == organization_iri("https://x.org/", "New York times")
    True
    """
    return f"{base}organization/{encode_name(organization_key(name))}"


def context_iri(base: str, name: str) -> str:
    """IRI of a context entity, from its name."""
    return f"{base}context/{encode_name(name)}"


def related_iri(base: str, source: PageKey, target: PageKey) -> str:
    """IRI of a Related line, from the two pages it joins (in its direction)."""
    return related_iri_of_paths(base, source.path, target.path)


def related_iri_of_paths(base: str, source_path: str, target_path: str) -> str:
    """:func:`related_iri` from the two events' page paths (``PageKey.path``).

    >>> import datetime as dt
    >>> a, b = PageKey(dt.date(2015, 9, 1), "a"), PageKey(dt.date(2015, 9, 2), "b")
    >>> related_iri_of_paths("https://x.org/", a.path, b.path) == related_iri("https://x.org/", a, b)
    True
    """
    return f"{base}related/{_digest(source_path, target_path)}"


def shared_iri(base: str, first: PageKey, second: PageKey) -> str:
    """IRI of a shares-context edge, from its two events (any order)."""
    a, b = sorted((first, second))
    return shared_iri_of_paths(base, a.path, b.path)


def shared_iri_of_paths(base: str, first_path: str, second_path: str) -> str:
    """:func:`shared_iri` from the two events' page paths, the earlier event's first.

    >>> import datetime as dt
    >>> a, b = PageKey(dt.date(2015, 9, 1), "a"), PageKey(dt.date(2015, 9, 2), "b")
    >>> shared_iri_of_paths("https://x.org/", a.path, b.path) == shared_iri("https://x.org/", b, a)
    True
    """
    return f"{base}shared/{_digest(first_path, second_path, 'shared')}"


def page_iri(base: str, path: str) -> str:
    """IRI of a page of the corpus, from its corpus-relative path."""
    return f"{base}page/{quote(path, safe='/')}"


#: What MediaWiki leaves unencoded in an article's URL (its wfUrlencode), beside letters, digits and "-_.~"
WIKIPEDIA_SAFE = ";@$!*(),/:"


def wikipedia_iri(name: str) -> str:
    """The English Wikipedia article that a context name is the title of, as Wikipedia writes its URL.

    Percent-encoded as MediaWiki does (``(``, ``)``, ``,`` ... as they are),
    so that the IRI equals Wikipedia's and Wikidata's (DBpedia's, with http:, differs); a path
    segment of dots alone (a hostile name, ``..``) is encoded, lest a parser
    resolve it away.

    >>> wikipedia_iri("Rowan County, Kentucky"), wikipedia_iri("Africa Corps (Russia)")
    ('https://en.wikipedia.org/wiki/Rowan_County,_Kentucky', 'https://en.wikipedia.org/wiki/Africa_Corps_(Russia)')
    >>> wikipedia_iri("AT&T"), wikipedia_iri("Côte d'Ivoire"), wikipedia_iri("..")
    ('https://en.wikipedia.org/wiki/AT%26T', 'https://en.wikipedia.org/wiki/C%C3%B4te_d%27Ivoire', \
'https://en.wikipedia.org/wiki/%2E%2E')
    """
    path = quote(name.replace(" ", "_"), safe=WIKIPEDIA_SAFE)
    return "https://en.wikipedia.org/wiki/" + "/".join(
        part.replace(".", "%2E") if part in (".", "..") else part for part in path.split("/"))


#: kg itself, the software agent of every build.
KG_SOFTWARE_IRI = "https://w3id.org/kg-news/software"


def _stamp(corpus: str, moment: dt.datetime) -> str:
    """The corpus's name and the moment, to the microsecond: two builds started in one second, or of two
    corpora at once, are two graphs (loaded into one store, they stay apart)."""
    utc = moment.astimezone(dt.timezone.utc)
    fraction = f".{utc.microsecond:06d}" if utc.microsecond else ""
    return (f"{encode_name(corpus)}/" if corpus else "") + utc.strftime("%Y%m%dT%H%M%S") + fraction + "Z"


def dataset_iri(base: str, built: dt.datetime, corpus: str = "") -> str:
    """The named graph (and VoID dataset) of the build of ``corpus`` (its folder's name) that started at ``built``.

    Examples
    --------
    >>> dataset_iri("https://x.org/", dt.datetime(2015, 9, 30, 12, 0, 0, 250000, tzinfo=dt.timezone.utc), "wcep 2015")
    'https://x.org/graph/wcep_2015/20150930T120000.250000Z'
    >>> dataset_iri("https://x.org/", dt.datetime(2015, 9, 30, 12, tzinfo=dt.timezone.utc))
    'https://x.org/graph/20150930T120000Z'
    """
    return f"{base}graph/{_stamp(corpus, built)}"


def description_iri(dataset: str) -> str:
    """The named graph that holds the description (VoID, PROV-O) of ``dataset`` (:func:`dataset_iri`) where
    the dataset's triples are the default graph's, as in an Oxigraph store kg writes.

    Examples
    --------
    >>> description_iri("https://x.org/graph/wcep_2015/20150930T120000Z")
    'https://x.org/graph/wcep_2015/20150930T120000Z/description'
    """
    return f"{dataset}/description"


def base_of_dataset_iri(value: str) -> str | None:
    """The base IRI that :func:`dataset_iri` made ``value`` under; ``None`` if it made no such IRI.

    >>> built = dt.datetime(2015, 9, 30, 12, tzinfo=dt.timezone.utc)
    >>> base_of_dataset_iri(dataset_iri("https://x.org/kg/", built, "my graph")), base_of_dataset_iri("https://x.org/a")
    ('https://x.org/kg/', None)
    """
    found = _DATASET.fullmatch(value)
    return found.group("base") if found else None


#: What :func:`dataset_iri` writes: the base, ``graph/``, a corpus's name if any, the build's moment (:func:`_stamp`).
_DATASET = re.compile(r"(?P<base>.*?[/#])graph/(?:[^/]+/)?\d{8}T\d{6}(?:\.\d{6})?Z")


def build_iri(base: str, built: dt.datetime, corpus: str = "") -> str:
    """The PROV activity of the build of ``corpus`` that started at ``built``."""
    return f"{base}build/{_stamp(corpus, built)}"


def partition_iri(dataset: str, kind: str, number: int) -> str:
    """A VoID class or property partition of a dataset: ``<dataset>/class/0``."""
    return f"{dataset}/{kind}/{number}"
