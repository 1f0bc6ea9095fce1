"""Normalisation of the texts and URLs that pages carry.

One place decides what a name or a URL *is*, so that the same publisher,
context or article written two ways (NFD vs NFC, doubled spaces) becomes one
node, and so that no control character reaches an output.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

__all__ = [
    "fold",
    "typed_form",
    "closest_names",
    "clean_text",
    "clean_running_text",
    "clean_name",
    "strip_refused",
    "stray_controls",
    "is_blank",
    "INVISIBLE",
    "HIDDEN_TAG",
    "REFUSED",
    "UNCLEAN",
    "UNCLEAN_UTF8",
    "bound_text",
    "bound_name",
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
# Code points that XML 1.0 and N-Triples consumers refuse or that Unicode
# reserves as never for interchange: surrogates (only a file name decoded with
# escapes holds them) and the 66 noncharacters (U+FFFE and U+FFFF make GraphML
# ill-formed and make rapper reject the RDF files).  They never reach an output.
_REFUSED = re.compile("[\ud800-\udfff\ufdd0-\ufdef" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)) + "]")
#: The pattern of :func:`strip_refused`, for writers that escape rather than drop.
REFUSED = _REFUSED
#: A character that no text :func:`clean_text` made holds (a control, a bidi override, a refused code
#: point): a graph read back with one was not written by kg.
UNCLEAN = re.compile("|".join(p.pattern for p in (_CONTROL, _BIDI_CONTROL, _REFUSED)))
#: :data:`UNCLEAN` (but for surrogates, which UTF-8 cannot hold) as the UTF-8 bytes of its characters: a long
#: text is searched a few times faster as its bytes than by the classes of :data:`UNCLEAN` (a test keeps the
#: two equal over every code point).
UNCLEAN_UTF8 = re.compile(rb"[\x00-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]"
                          rb"|\xef\xb7[\x90-\xaf]|\xef\xbf[\xbe\xbf]|[\xf0-\xf4][\x8f\x9f\xaf\xbf]\xbf[\xbe\xbf]")
#: Invisible characters that would make one name several keys ("Ir\u200ban",
#: "\ufeffIran", "Israel\u200f"): soft hyphen, combining grapheme joiner, the
#: Arabic letter mark, Hangul and halfwidth fillers, Khmer inherent vowels,
#: Mongolian vowel separator, zero-width space/joiners, left-to-right and
#: right-to-left marks, word joiner, invisible operators, deprecated format
#: characters, variation selectors, BOM, interlinear annotation marks, musical
#: format characters and the tag characters (Unicode's default-ignorable ones, but
#: for the bidi controls, which every text drops).  Names drop them (with a
#: diagnostic), but where they make one emoji (:data:`_EMOJI_PARTS`); headlines
#: keep them, as they key nothing and real pages use them.
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2064"
                       "\u206a-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U0001d173-\U0001d17a"
                       "\U000e0000-\U000e007f\U000e0100-\U000e01ef]")
# The invisible characters that make one emoji of several, which names keep: the tags of a
# subdivision flag (England's and Scotland's are one black flag without them) and a zero-width
# joiner between two pictographs (a family, a health worker).
# (Emoji_Presentation and Extended_Pictographic as they lie: the symbols' blocks, arrows, technical
# and miscellaneous symbols, and the few elsewhere, "\u00a9", "\u203c", "\u2b1b" of a black cat...)
_PICTOGRAPH = ("\u00a9\u00ae\u203c\u2049\u2122\u2139\u2190-\u21ff\u2300-\u23ff\u24c2\u25a0-\u27bf"
               "\u2900-\u297f\u2b00-\u2bff\u3030\u303d\u3297\u3299\U0001f000-\U0001faff")
_EMOJI_PARTS = re.compile(f"\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
                          f"|(?<=[{_PICTOGRAPH}\ufe0f])\u200d(?=[{_PICTOGRAPH}])")
# What clean_text may change in an ASCII text, besides spaces at its ends.
_ASCII_ODD = re.compile(r"[\x00-\x1f\x7f]|  ").search


#: Dashes read as a hyphen-minus when names are compared (what a keyboard types for them)
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"))


def fold(name: str) -> str:
    """The form names are compared in: no accents, case folded, spaces collapsed, dashes as ``-``.

    It decides no node (names key nodes as written): it matches what a user types.

    Examples
    --------
    >>> fold("  São   Paulo ") == fold("sao paulo")
    True
    >>> fold("Köln"), fold("Israel\u2013Lebanon")
    ('koln', 'israel-lebanon')
    """
    if name.isascii():  # nothing to decompose: 50 times faster over a graph's headlines
        return " ".join(name.casefold().split())
    decomposed = unicodedata.normalize("NFKD", name).translate(_DASHES)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


#: Quotation marks typed as an apostrophe (a curly one in "Ba\u2019athist" is the straight one).
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2018\u2019\u201b\u2032", "'"))
#: The dot after a short word standing alone (an abbreviation, an initial, a title): "U.S.", "Ph.D.", "Sgt.".
_SHORT_WORD_DOT = re.compile(r"(?<![^\W_])([^\W\d_]{1,3})\.")


def typed_form(name: str) -> str:
    """The form a typed name is looked up in: :func:`fold`, a curly quotation mark as an apostrophe, and
    the dot after a short word standing alone (one to three letters) dropped.

    The explorer's search box reads names so (its script's ``fold``), and so do ``kg html --focus``
    and the analyst's name filters: "US president" finds "U.S. president", "Merck & Co" "Merck & Co.".

    Examples
    --------
    >>> typed_form("U.S. President"), typed_form("Ph.D."), typed_form("Ba\u2019athist")
    ('us president', 'phd', "ba'athist")
    >>> typed_form("News.com.au"), typed_form("GPT-5.6")
    ('news.comau', 'gpt-5.6')
    """
    return _SHORT_WORD_DOT.sub(r"\1", fold(name).translate(_APOSTROPHES))


def closest_names(folded: str, known: Iterable[str], n: int = 5) -> list[str]:
    """The ``known`` (folded) names closest to ``folded``, best first: held whole by it, the longest
    first ("united states of america": "united states"), spelt nearly so, or with a word spelt nearly
    so ("zelenskiy": "volodymyr zelenskyy"), or holding it ("putin": "vladimir putin").

    Examples
    --------
    >>> closest_names("ukriane", ["ukraine", "ravine", "uk"])
    ['ukraine']
    >>> closest_names("zelenskiy", ["volodymyr zelenskyy", "zelenograd"])
    ['volodymyr zelenskyy']
    >>> closest_names("putin", ["vladimir putin", "putina"])
    ['putina', 'vladimir putin']
    >>> closest_names("the united states of america", ["united states dollar", "united states", "america"])
    ['united states', 'america', 'united states dollar']
    """
    names = list(dict.fromkeys(known))
    # Names the typed one holds as whole words: held in a longer or an official form of the name.
    padded = f" {folded} "
    held = sorted((k for k in names if len(k) >= 4 and k != folded and f" {k} " in padded), key=len, reverse=True)
    close = difflib.get_close_matches(folded, names, n=n, cutoff=0.6)
    if close:  # only those nearly as close as the closest: "Ravine" is no guess for "Ukriane"
        score = {k: difflib.SequenceMatcher(None, folded, k).ratio() for k in close}
        close = [k for k in close if score[k] >= score[close[0]] - 0.08]
    close = held + [k for k in close if k not in held]
    if len(close) < n and len(folded) >= 4:  # one word of a longer name, nearly
        words: dict[str, list[str]] = {}
        for name in names:
            for word in name.split():
                if len(word) >= 4 and word != name:
                    words.setdefault(word, []).append(name)
        for word in difflib.get_close_matches(folded, words, n=n, cutoff=0.8):
            close += [k for k in dict.fromkeys(words[word]) if k not in close]  # (a word twice in a name)
    if len(close) < n:  # a typed word that a longer name contains ("putin")
        close += sorted((k for k in names if folded and folded in k and k not in close), key=len)
    return close[:n]


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
    text = unicodedata.normalize("NFC", _REFUSED.sub("", text))
    text = _BIDI_CONTROL.sub("", _CONTROL.sub(" ", text))
    return _SPACE.sub(" ", text).strip()


#: Controls that no text needs (tabs and line breaks aside: a vertical tab, a form feed, the
#: separators \x1c-\x1f, NEL and U+2028/2029 are controls too, though Python counts them as
#: white space) and the bidi embeddings, overrides and isolates: :func:`clean_text` takes them out
#: (a control becomes a space), and a reader is told; so is one of the code points no output may hold
#: (:data:`REFUSED`: "Reu\uffffters" would otherwise be the publisher "Reuters" without a word).
_STRAY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]|" + _REFUSED.pattern)


def stray_controls(text: str) -> int:
    """How many control, bidi-override or refused characters :func:`clean_text` takes out of ``text`` (whitespace
    aside).

    >>> stray_controls("evil\\u202etxt.exe"), stray_controls("a\\tb\\r\\n"), stray_controls("bell\\x07")
    (1, 0, 1)
    >>> stray_controls("a\\x0bb\\x0cc\\x1cd\\u2028e")  # (white space to Python, controls all the same)
    4
    """
    if text.isascii() and _ASCII_ODD(text) is None:
        return 0
    return len(_STRAY.findall(text))


def strip_refused(text: str) -> str:
    """Remove the code points that XML 1.0 or N-Triples consumers refuse.

    Examples
    --------
    >>> strip_refused("a\\ufffeb\\uffff\\udce9c")
    'abc'
    """
    return _REFUSED.sub("", text)


def clean_name(text: str) -> tuple[str, int]:
    """:func:`clean_text` for a name that keys a node; also the number of invisible characters dropped.

    Examples
    --------
    >>> clean_name("\\ufeffIr\\u200ban\\U000e0041")
    ('Iran', 3)
    >>> clean_name("\\u200b\\u2060"), clean_name("Israel\\u200f")
    (('', 2), ('Israel', 1))
    >>> clean_name("\\U0001f468\\u200d\\u2695\\ufe0f")  # a health worker: the joiner is kept
    ('\U0001f468\\u200d\u2695', 1)
    """
    if text.isascii() or not INVISIBLE.search(text):
        return clean_text(text), 0
    at, parts = 0, []
    for emoji in _EMOJI_PARTS.finditer(text):
        parts.append(INVISIBLE.sub("", text[at:emoji.start()]) + emoji.group())
        at = emoji.end()
    kept = "".join(parts) + INVISIBLE.sub("", text[at:])
    return clean_text(kept), len(text) - len(kept)


#: Invisible characters that split a word of running text and show nothing: a zero-width space, a
#: word joiner, a BOM, a soft hyphen.  A search for "sanctions on Russia" misses "on \u200bRussia".
_WORD_SPLITTERS = "\u00ad\u200b\u2060\ufeff"
#: Those, and a zero-width (non-)joiner beside a space, an ASCII character or an end of the text, where
#: no script joins letters (Persian's, the Indic scripts' and emoji's between two of their own stay).
_LOOSE_INVISIBLE = re.compile(f"[{_WORD_SPLITTERS}]|(?<![^\\x00-\\x7f\\s])[\u200c\u200d]"
                              f"|[\u200c\u200d](?![^\\x00-\\x7f\\s])")
#: A subdivision flag (kept whole), else a tag character: outside a flag it shows nothing, and a run of them
#: spells hidden ASCII ("ignore previous instructions") that a reader never sees but a program reads.
_TAG_OR_FLAG = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f|([\U000e0000-\U000e007f])")
#: A tag character outside a subdivision flag (whose tags follow U+1F3F4, or another tag).
HIDDEN_TAG = re.compile("(?<![\U0001f3f4\U000e0020-\U000e007e])[\U000e0000-\U000e007f]")


def clean_running_text(text: str) -> tuple[str, int]:
    """:func:`clean_text` for running text (a headline); also the number of invisible characters dropped.

    Running text keeps its marks and joiners where a script needs them; the invisible characters that
    only split its words are dropped, and tag characters outside a flag, so that it reads as it shows.

    Examples
    --------
    >>> clean_running_text("four million \u200bbarrels, police \u2060said")
    ('four million barrels, police said', 2)
    >>> clean_running_text("laundering \u200cand Persian \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")
    ('laundering and Persian \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645', 1)
    >>> clean_running_text("Storm hits. \U000e0068\U000e0069")  # tags, hidden ASCII: dropped
    ('Storm hits.', 2)
    """
    if text.isascii():
        return clean_text(text), 0
    kept = _LOOSE_INVISIBLE.sub("", text)
    if _TAG_OR_FLAG.search(kept):
        kept = _TAG_OR_FLAG.sub(lambda m: "" if m.group(1) else m.group(0), kept)
    return clean_text(kept), len(text) - len(kept)


def is_blank(text: str) -> bool:
    """Whether ``text`` shows nothing: only spaces and invisible characters.

    >>> is_blank("\\u200b \\ufeff"), is_blank("a\\u200b")
    (True, False)
    """
    return not INVISIBLE.sub("", text).strip()


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


def bound_name(text: str, limit: int) -> tuple[str, bool]:
    """:func:`bound_text` for a name that keys a node: a cut name ends with a hash of the whole.

    Two long names that differ only past the cut stay two names.

    Examples
    --------
    >>> a, cut = bound_name("x" * 600 + "a", 500)
    >>> b, _ = bound_name("x" * 600 + "b", 500)
    >>> cut, len(a), a != b, a[-10:-8]
    (True, 500, True, '… ')
    """
    if len(text) <= limit:
        return text, False
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{text[: limit - 10]}… {digest}", True


@dataclass(frozen=True, slots=True)
class CheckedUrl:
    """A URL as kept (``url``), or the reason it was refused (``error``)."""

    url: str | None
    error: str | None = None
    detail: str = ""


_ALLOWED_SCHEMES = frozenset({"http", "https"})
# Characters that may not stand raw in an IRI (RFC 3987) and that a browser
# would percent-encode anyway; with them the bidi formatting marks, which RFC
# 3987 forbids in IRIs because they make one show as another.
# (the invisible characters too: raw, "a\u200bb" was another article than "a%E2%80%8Bb", its escape kept)
_IRI_UNSAFE = re.compile('[\\s"<>\\\\^`{|}\u202a-\u202e\u2066-\u2069' + INVISIBLE.pattern[1:-1] + ']')
# Most URLs: a lower-case http(s) scheme, a plain host name (no user, port or
# IPv6 brackets) and ASCII that needs no escaping, with nothing to strip.
# (No "%": an escape may be normalised; no host ending in a dot or holding an empty label.)
# (A path: an empty one is made "/".)
_PLAIN_URL = re.compile(r"https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*/[!#$&-;=?-\[\]_a-z~]*").fullmatch
# A percent-escape, and the characters RFC 3986 calls unreserved: escaped, they are the same URL.
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _shown_as_itself(char: str) -> bool:
    """Whether a decoded non-ASCII character may stand raw in a kept IRI: a letter, mark, number,
    symbol or punctuation (RFC 3987's ucschar), not a space, control, format or invisible one."""
    return (unicodedata.category(char)[0] in "LMNPS" and not INVISIBLE.match(char)
            and not _REFUSED.match(char) and not "\ufff0" <= char <= "\uffff")  # (the specials: not ucschar)


def _unescape(m: re.Match[str]) -> str:
    """A run of percent-escapes as RFC 3987 compares it: an unreserved ASCII character or a UTF-8
    encoded non-ASCII one that :func:`_shown_as_itself` decoded, every other byte escaped in capitals."""
    octets = bytes.fromhex(m.group().replace("%", ""))
    out, at = [], 0
    while at < len(octets):
        lead = octets[at]
        width = 1 if lead < 0x80 else 2 if 0xC2 <= lead < 0xE0 else 3 if 0xE0 <= lead < 0xF0 else 4
        try:
            char = octets[at:at + width].decode("utf-8")
        except UnicodeDecodeError:  # (a stray, overlong or cut sequence: bytes, not a character)
            char = ""
        if len(char) == 1 and (char in _UNRESERVED if lead < 0x80 else _shown_as_itself(char)):
            out.append(char)
            at += width
        else:
            out.append(f"%{lead:02X}")
            at += 1
    return "".join(out)


def _host(host: str) -> str:
    """A host name as compared: lower case, no final dot.  Punycode labels ("xn--...") stay as written:
    decoded, one can show as another site's ("xn--80ak6aa92e" is a Cyrillic "apple")."""
    host = host.lower()
    if host.startswith("["):  # an IPv6 address
        return host
    return host.rstrip(".") or host


def check_url(raw: str) -> CheckedUrl:
    """Accept an http(s) URL, normalised; refuse anything else.

    The scheme and host are lower-cased (neither tells two articles apart),
    the host without a final dot, a default or empty port dropped (and a port's leading zeros),
    percent-escapes in capitals and those of unreserved characters decoded (``%7E`` is ``~``: RFC
    3986's equivalent forms), as are those of UTF-8 encoded letters, marks, numbers, symbols and
    punctuation (``caf%C3%A9`` is ``café``, as RFC 3987 compares IRIs; an escaped space, control or
    invisible character stays escaped), characters that cannot stand in an IRI (space, quotes, angle
    brackets...) and invisible ones are percent-encoded, and an empty path is ``/``; the rest of the URL, even an empty
    ``#`` or ``?``, is kept as written: two URLs that differ there may be
    two articles.

    Examples
    --------
    >>> check_url(" HTTP://Example.COM/a b?x=1#top ").url
    'http://example.com/a%20b?x=1#top'
    >>> check_url("https://BBC.co.uk:8080/Path").url
    'https://bbc.co.uk:8080/Path'
    >>> check_url("http://bbc.co.uk@evil.example/a").error  # a look-alike: the host is evil.example
    'unsafe-url'
    >>> check_url("HTTP://Bücher.Example.:0080/%7euser/caf%c3%a9%C2%A0").url
    'http://bücher.example/~user/café%C2%A0'
    >>> check_url("https://example.com/evil\\u202etxt.exe").url
    'https://example.com/evil%E2%80%AEtxt.exe'
    >>> check_url("http://example.org").url, check_url("http://a.org?q=1").url, check_url("http://a.org/x\u200by").url
    ('http://example.org/', 'http://a.org/?q=1', 'http://a.org/x%E2%80%8By')
    >>> check_url("javascript:alert(1)").error
    'unsafe-url'
    >>> check_url("http:///nohost").error
    'invalid-url'
    """
    if _PLAIN_URL(raw) and len(raw) <= MAX_URL:
        return CheckedUrl(raw)  # what every step below would keep as it is
    # (escapes first: one in the host, "EX%41MPLE.com", is then lower-cased with it; and NFC after
    # them, "e%CC%81" being "é")
    text = unicodedata.normalize("NFC", _ESCAPES.sub(_unescape, raw) if "%" in raw else raw).strip()
    if _CONTROL.search(text):
        return CheckedUrl(None, "invalid-url", "control characters in URL")
    if _REFUSED.search(text):
        return CheckedUrl(None, "invalid-url", "a character that IRIs and XML refuse (noncharacter or surrogate)")
    if len(text) > MAX_URL:
        return CheckedUrl(None, "invalid-url", f"URL longer than {MAX_URL} characters")
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as err:
        return CheckedUrl(None, "invalid-url", f"malformed URL: {err}")
    if parts.scheme.lower() not in _ALLOWED_SCHEMES:
        return CheckedUrl(None, "unsafe-url", f"scheme {parts.scheme!r} is not http(s)" if parts.scheme
                          else "a URL without a scheme: only http(s) links are kept")
    if not host:
        return CheckedUrl(None, "invalid-url", "URL without a host")
    if "@" in parts.netloc:  # ("http://bbc.co.uk@evil.example/": a news link never holds a login)
        return CheckedUrl(None, "unsafe-url", "a URL with a user name or password before its host")
    if INVISIBLE.search(host) or _BIDI_CONTROL.search(host):  # shown as another host ("ex\u200bample.org")
        return CheckedUrl(None, "invalid-url", "invisible or bidi characters in the host")
    url = parts.scheme.lower() + text[len(parts.scheme):]
    at = len(parts.scheme) + 3  # past "://"
    if url[at - 3:at] == "://" and url[at:at + len(parts.netloc)] == parts.netloc:
        host_port = parts.netloc
        name, colon, port = host_port.rpartition(":") if not host_port.endswith("]") else (host_port, "", "")
        if not colon or (port and not port.isdigit()):  # (no port; an IPv6 address's colons are bracketed)
            name, colon, port = host_port, "", ""
        port = port.lstrip("0") or port[:1]  # (":0080" is port 80)
        if port in ("", _DEFAULT_PORTS[parts.scheme.lower()]):
            colon = port = ""
        authority = _host(name) + colon + port
        # (an empty path is "/": RFC 3986's equivalent forms for http, "http://a.org" and "http://a.org/")
        url = url[:at] + authority + ("" if parts.path else "/") + url[at + len(parts.netloc):]
    url = _IRI_UNSAFE.sub(lambda m: quote(m.group(), safe=""), url)
    return CheckedUrl(url)
