"""Page paths: the corpus layout and the resolution of links between pages.

A page path is corpus-relative and POSIX: ``news/{YYYY}/{MM}/{D}/{slug}.md``,
the month zero-padded and the day not.  Links on pages are site-absolute
(``/news/...``) or relative to the page; either way they must stay inside
``news/``.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes, urlsplit

from kg.parse.records import PageKey
from kg.parse.text import strip_refused
from kg.read.files import safe_name

__all__ = [
    "PagePath",
    "parse_page_path",
    "resolve_link",
    "LinkTarget",
    "DAY_PAGE_NAME",
    "padded_day",
]

DAY_PAGE_NAME = "index.md"

# ASCII digits only: \d would read Arabic-Indic or fullwidth digits as a date too.
_PATH = re.compile(r"news/([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})/([^/]+)\.md")
# Bidi controls too: a name holding U+202E shows reordered (a path that reads as another's).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A site-absolute link to a page that urlsplit, unquote and normpath would
# all leave as it is: no scheme, host, query, fragment, escape, backslash,
# control character or space, and no "." or ".." segment or empty one.
_SITE_PAGE = re.compile(r"/news/[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}/[^/?#%\\\x00-\x20\x7f]+\.md").fullmatch


@dataclass(frozen=True, slots=True)
class PagePath:
    """What a page path says about its page.

    ``kind`` is ``"event"`` or ``"day"``; ``key`` is set for event pages;
    ``error`` names the problem (a diagnostic code) when the path does not fit
    the layout, and then ``date`` and ``key`` are ``None``.
    """

    path: str
    kind: str | None
    date: dt.date | None = None
    key: PageKey | None = None
    error: str | None = None
    detail: str = ""


def parse_page_path(path: str, *, exact: bool = True) -> PagePath:
    """Read the day and slug from a corpus-relative page path (``exact``: written as the format
    writes it, the month zero-padded and the day not, else ``unexpected-path``).

    Examples
    --------
    >>> p = parse_page_path("news/2015/09/1/some-event.md")
    >>> p.kind, p.key.slug, p.date.isoformat()
    ('event', 'some-event', '2015-09-01')
    >>> parse_page_path("news/2015/09/1/index.md").kind
    'day'
    >>> parse_page_path("news/2015/02/30/x.md").error
    'invalid-date'
    >>> parse_page_path("news/misc/x.md").error
    'unexpected-path'
    >>> parse_page_path("news/2015/09/01/x.md").detail, parse_page_path("news/2015/9/1/x.md").error
    ('the month is zero-padded and the day is not: news/YYYY/MM/D/<slug>.md', 'unexpected-path')
    """
    m = _PATH.fullmatch(path)
    if _CONTROL.search(path) or (not path.isascii() and strip_refused(path) != path):
        return PagePath(path, None, error="unexpected-path",
                        detail="control, bidi or noncharacters in the file name")
    if m is None:
        return PagePath(path, None, error="unexpected-path",
                        detail="expected news/YYYY/MM/D/<slug>.md")
    year, month, day, name = m.groups()
    if exact and (month != f"{int(month):02d}" or day != str(int(day))):
        # Read as its date, it would be named by another path (news/2015/09/1/x.md for
        # news/2015/09/01/x.md): a page that is not there, or another page's key.
        return PagePath(path, None, error="unexpected-path",
                        detail="the month is zero-padded and the day is not: news/YYYY/MM/D/<slug>.md")
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError as err:
        return PagePath(path, None, error="invalid-date", detail=str(err))
    if name + ".md" == DAY_PAGE_NAME:
        return PagePath(path, "day", date)
    return PagePath(path, "event", date, PageKey(date, name))


#: A day as the site's folders and people write it: the month and the day with or without their zeros.
_LOOSE_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def padded_day(text: str) -> str:
    """A day written without its zeros (``2026-6-1``, as the site's folders write it) as kg writes days, in
    IRIs and ``xsd:date`` (``2026-06-01``); any other text as it is.

    >>> padded_day("2026-6-1"), padded_day("2026-02-30"), padded_day("june")
    ('2026-06-01', '2026-02-30', 'june')
    """
    found = _LOOSE_DAY.fullmatch(text)
    if found is None:
        return text
    try:
        return dt.date(*map(int, found.groups())).isoformat()
    except ValueError:
        return text


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """A link resolved against the corpus layout.

    ``kind`` is ``"event"``, ``"day"``, or ``None`` when the link was refused;
    then ``error`` holds the diagnostic code and ``detail`` says why.
    """

    kind: str | None
    path: str | None = None
    key: PageKey | None = None
    date: dt.date | None = None
    error: str | None = None
    detail: str = ""


def resolve_link(target: str, from_path: str) -> LinkTarget:
    """Resolve a link written on page ``from_path`` to a page of the corpus.

    Site-absolute links (``/news/...``) and page-relative links are accepted;
    percent-encoding is decoded first, so ``%2e%2e`` is a ``..`` like any
    other.  Nothing that leaves ``news/`` is accepted.

    Examples
    --------
    >>> resolve_link("/news/2015/09/2/x.md", "news/2015/09/1/a.md").key.slug
    'x'
    >>> resolve_link("../2/y.md", "news/2015/09/1/a.md").path
    'news/2015/09/2/y.md'
    >>> resolve_link("/news/../../etc/passwd", "news/2015/09/1/a.md").error
    'link-outside-corpus'
    >>> resolve_link("http://[bad/", "news/2015/09/1/a.md").detail
    'not a page of the corpus (Invalid IPv6 URL): http://[bad/'
    >>> resolve_link("/news/2015/09/1/index.md", "news/2015/09/1/a.md").kind
    'day'
    >>> resolve_link("/news/2015/09/1/caf%E9.md", "news/2015/09/1/a.md").path  # (not UTF-8: as the walk shows it)
    'news/2015/09/1/caf%E9.md'
    >>> resolve_link("news/2015/09/2/x.md", "news/2015/09/1/a.md").detail  # doctest: +NORMALIZE_WHITESPACE
    "not an event page: news/2015/09/2/x.md (read from this page's folder: news/2015/09/1/news/2015/09/2/x.md;
     a link from the corpus's root begins with /news/)"
    """
    raw = target.strip()
    relative = False
    if _SITE_PAGE(raw):  # as the site writes them: nothing to split, decode or normalise
        normal = raw[1:]
    else:
        try:
            parts = urlsplit(raw)
        except ValueError as err:  # a host it refuses ("http://[bad/", a full-width "#"): off the corpus too
            return LinkTarget(None, error="link-not-event",
                              detail=f"not a page of the corpus ({_shorten(str(err), 80)}): {_shorten(raw)}")
        if parts.scheme or parts.netloc:
            return LinkTarget(None, error="link-not-event",
                              detail=f"not a page of the corpus: {_shorten(raw)}")
        # Escapes of bytes that are not UTF-8 name a file as the walk shows such a name, %XX: read as U+FFFD,
        # "%FF.md" reached a page named "\ufffd.md", and "%ED%A0%80.md" and "%ED%A0%81.md" were one event.
        decoded = unquote_to_bytes(parts.path.encode("utf-8", "surrogatepass")).decode("utf-8", "surrogateescape")
        if any("\udc80" <= ch <= "\udcff" for ch in decoded):
            decoded = safe_name(decoded)[0]
        if "\\" in decoded or "\x00" in decoded:
            return LinkTarget(None, error="link-outside-corpus",
                              detail=f"backslash or NUL in link: {_shorten(raw)}")
        if decoded.startswith("/"):
            joined = decoded.lstrip("/")
        else:
            joined = posixpath.join(posixpath.dirname(from_path), decoded)
            relative = True
        normal = posixpath.normpath(joined) if joined else ""
    if not normal.isascii():  # file names key events once NFC (kg.read.files): a link names them so too
        normal = unicodedata.normalize("NFC", normal)
    if normal in ("", ".") or normal.startswith("../") or normal == ".." \
            or not (normal == "news" or normal.startswith("news/")):
        return LinkTarget(None, error="link-outside-corpus",
                          detail=f"leaves the news/ folder: {_shorten(raw)}")
    page = parse_page_path(normal, exact=False)  # (a link may pad its day: it names the date's page)
    if page.error == "invalid-date":
        return LinkTarget(None, path=normal, error="link-not-event",
                          detail=f"invalid date in link: {_shorten(raw)}")
    if page.kind is None:
        # A relative link is read from the page's folder, which a link written from the root misses.
        where = (f" (read from this page's folder: {_shorten(normal)}; a link from the corpus's root "
                 "begins with /news/)" if relative else "")
        return LinkTarget(None, path=normal, error="link-not-event",
                          detail=f"not an event page: {_shorten(raw)}{where}")
    return LinkTarget(page.kind, normal, page.key, page.date)


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
