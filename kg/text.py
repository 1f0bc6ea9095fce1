"""Normalisation of the texts and URLs that pages carry.

One place decides what a name or a URL *is*, so that the same publisher,
context or article written two ways (NFD vs NFC, doubled spaces) becomes one
node, and so that no control character reaches an output.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

__all__ = [
    "clean_text",
    "bound_text",
    "check_url",
    "CheckedUrl",
    "MAX_HEADLINE",
    "MAX_NAME",
    "MAX_URL",
]

MAX_HEADLINE = 5_000
MAX_NAME = 500
MAX_URL = 4_096

# C0/C1 controls (tab and newline included: they become spaces), plus the
# invisible line/paragraph separators that break line-based tools.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Bidi embeddings, overrides and isolates reorder the text around them when
# shown ("evil\u202etxt.exe" displays as "evilexe.txt"); right-to-left
# scripts do not need them, so names drop them.  Marks (U+200E/F) stay.
_BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")
# What clean_text may change in an ASCII text, besides spaces at its ends.
_ASCII_ODD = re.compile(r"[\x00-\x1f\x7f]|  ").search


def clean_text(text: str) -> str:
    """Return ``text`` in NFC with controls removed and whitespace collapsed.

    Examples
    --------
    >>> clean_text("  Cafe\\u0301\\tde  Flore \\x00")
    'Café de Flore'
    >>> clean_text("evil\\u202etxt.exe")
    'eviltxt.exe'
    """
    if text.isascii() and _ASCII_ODD(text) is None:
        # Most texts: ASCII is NFC already, and with no control character and
        # no run of spaces only the ends can change.
        return text.strip(" ")
    text = unicodedata.normalize("NFC", text)
    text = _BIDI_CONTROL.sub("", _CONTROL.sub(" ", text))
    return _SPACE.sub(" ", text).strip()


def bound_text(text: str, limit: int) -> tuple[str, bool]:
    """Cut ``text`` to at most ``limit`` characters; say whether it was cut.

    Examples
    --------
    >>> bound_text("abcdef", 4)
    ('abc…', True)
    """
    if len(text) <= limit:
        return text, False
    return text[: limit - 1] + "…", True


@dataclass(frozen=True, slots=True)
class CheckedUrl:
    """A URL as kept (``url``), or the reason it was refused (``error``)."""

    url: str | None
    error: str | None = None
    detail: str = ""


_ALLOWED_SCHEMES = frozenset({"http", "https"})
# Characters that may not stand raw in an IRI (RFC 3987) and that a browser
# would percent-encode anyway.
_IRI_UNSAFE = re.compile(r'[\s"<>\\^`{|}]')
# Most URLs: a lower-case http(s) scheme, a plain host name (no user, port or
# IPv6 brackets) and ASCII that needs no escaping, with nothing to strip.
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#][!#-;=?-\[\]_a-z~]*)?").fullmatch


def check_url(raw: str) -> CheckedUrl:
    """Accept an http(s) URL, normalised; refuse anything else.

    The scheme is lower-cased and characters that cannot stand in an IRI
    (space, quotes, angle brackets...) are percent-encoded; the rest of the
    URL, even an empty ``#`` or ``?``, is kept as written: two URLs that
    differ there may be two articles.

    Examples
    --------
    >>> check_url(" HTTP://Example.com/a b?x=1#top ").url
    'http://Example.com/a%20b?x=1#top'
    >>> check_url("javascript:alert(1)").error
    'unsafe-url'
    >>> check_url("http:///nohost").error
    'invalid-url'
    """
    if _PLAIN_URL(raw) and len(raw) <= MAX_URL:
        return CheckedUrl(raw)  # what every step below would keep as it is
    text = unicodedata.normalize("NFC", raw).strip()
    if _CONTROL.search(text):
        return CheckedUrl(None, "invalid-url", "control characters in URL")
    if len(text) > MAX_URL:
        return CheckedUrl(None, "invalid-url", f"URL longer than {MAX_URL} characters")
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as err:
        return CheckedUrl(None, "invalid-url", f"malformed URL: {err}")
    if parts.scheme.lower() not in _ALLOWED_SCHEMES:
        shown = parts.scheme or "no scheme"
        return CheckedUrl(None, "unsafe-url", f"scheme {shown!r} is not http(s)")
    if not host:
        return CheckedUrl(None, "invalid-url", "URL without a host")
    url = parts.scheme.lower() + text[len(parts.scheme):]
    url = _IRI_UNSAFE.sub(lambda m: quote(m.group(), safe=""), url)
    return CheckedUrl(url)
