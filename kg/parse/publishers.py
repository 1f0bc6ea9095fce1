"""Publishers as analysts count them: "X via Y" is X's story carried by Y.

Source names on WCEP pages mix the agency that wrote a story with the outlet
that carried it: "AFP via France 24".  :func:`split_publisher` reads such a
name as publishers ``("AFP",)`` and distributor ``"France 24"``; "AP and AFP
via Inquirer" and "Reuters/AFP via ABC" give two publishers.  Only the word
"via" between spaces splits on " and "; a name without it ("Via Rail",
"Viasat", and joint credits such as "AFP and CBS News", since " and " alone
also joins titles such as "Stars and Stripes") is one publisher, unless
" with " joins a news agency to another credit ("AFP with RFI": AFP and RFI;
"Last Week Tonight with John Oliver" stays whole).  A language note at a
name's end ("El Tiempo in Spanish", "BBC Persian (in Persian)") names no other
organization: it is dropped from the organization's name.

Spellings of one organization that differ only in case, accents, spaces,
punctuation or a leading "The" ("The New York Times", "New York Times";
"Al-Arabiya", "Al Arabiya"; "ANSA", "Ansa"; "El País", "El Pais"; "AccuWeather",
"Accu Weather"; "&" and "and": "Stars & Stripes", "Stars and Stripes"; a last
"Online", the outlet's website: "GMA News Online", "GMA News") are one
organization, as is a news service named by initials and "News" with those
initials ("BBC News" and "BBC", "AP News" and "AP"):
:func:`organization_key` is what they share, and :func:`organization_label`
the spelling its node is named by.
:func:`web_domain` is the outlet's host, without ``www.``.

The graph keeps the split (:mod:`kg.table`): a publisher node per name as
written, with made-by edges to its makers and a distributed-by edge to its
distributor, both organization nodes (:func:`organizations_of`), and a web
domain on each article.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

__all__ = ["Outlet", "split_publisher", "organizations_of", "organization_key", "organization_label",
           "label_organizations", "web_domain",
           "VIA_RULE", "LANGUAGES", "NEWS_AGENCIES"]

#: the rule, as documented: " via " (or ", via ") between words, any case; the
#: part before it split on " and ", ",", "&" and "/" into publishers
VIA_RULE = re.compile(r"\s*,?\s+via\s+", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+|\s*[,&/]\s*")
# A joining word left at a part's end ("AFP and via BBC", "AFP, and Reuters", "AFP via via BBC"):
# it joins nothing, and names no organization.
_LOOSE_AND = re.compile(r"^(?:and(?:\s+|$))+|(?:(?:^|\s+)and)+$")
_LOOSE_VIA = re.compile(r"^(?:via(?:\s+|$))+", re.IGNORECASE)
#: " with " between makers: a joint credit ("AFP with France 24"), split with or without a "via"
#: where one of its parts is a news agency of :data:`NEWS_AGENCIES` (a title reads so too)
_WITH = re.compile(r"\s+with\s+", re.IGNORECASE)
#: A language note at a name's end, " in Spanish" or " (in Persian)": the language of the outlet's
#: page, not another organization.  Only a language of :data:`LANGUAGES` is read so.
_LANGUAGE_NOTE = re.compile(r"\s*(?:\(\s*in\s+(\w+)\s*\)|\s+in\s+(\w+))\s*$", re.IGNORECASE)
# The words of a name, as an organization's key reads them: runs of letters and digits.
_WORD = re.compile(r"[^\W_]+")
#: The longest word read as initials before " News" ("BBC News" is the BBC's: :func:`organization_key`)
_INITIALS = 3

#: The news agencies whose joint credits " with " joins ("AFP with RFI"): the wire services the
#: WCEP pages credit, by the names they write.
NEWS_AGENCIES = frozenset({
    "AFP", "Agence France-Presse", "AP", "Associated Press", "Reuters", "ANSA", "EFE", "DPA", "Xinhua",
    "TASS", "RIA Novosti", "Interfax", "Kyodo", "Kyodo News", "Yonhap", "PTI", "ANI", "IANS", "UPI",
    "Anadolu Agency", "Bernama", "Antara", "Europa Press", "PAP", "APA", "Belga", "ANP", "NTB", "TT",
    "Ritzau", "STT", "CTK", "MTI", "BTA", "Agerpres", "Ukrinform", "IRNA", "WAFA", "SPA", "QNA", "MENA",
    "KUNA", "WAM", "APS", "SANA", "Petra", "NAN", "KCNA", "CNA", "Notimex", "Télam", "Prensa Latina",
})

#: The languages a note at a name's end may give (those of the WCEP corpora, and the world's most
#: written in news): a name ending in another word after " in " ("Made in Chelsea") stays whole.
LANGUAGES = frozenset({
    "Afrikaans", "Albanian", "Amharic", "Arabic", "Armenian", "Azerbaijani", "Basque", "Belarusian",
    "Bengali", "Bosnian", "Bulgarian", "Burmese", "Catalan", "Chinese", "Croatian", "Czech", "Danish",
    "Dari", "Dutch", "English", "Estonian", "Farsi", "Filipino", "Finnish", "French", "Georgian", "German",
    "Greek", "Gujarati", "Hausa", "Hebrew", "Hindi", "Hungarian", "Icelandic", "Indonesian", "Irish",
    "Italian", "Japanese", "Kazakh", "Khmer", "Korean", "Kurdish", "Kyrgyz", "Lao", "Latvian",
    "Lithuanian", "Macedonian", "Malay", "Maltese", "Marathi", "Mongolian", "Nepali", "Norwegian",
    "Pashto", "Persian", "Polish", "Portuguese", "Punjabi", "Romanian", "Russian", "Serbian", "Sinhala",
    "Slovak", "Slovenian", "Somali", "Spanish", "Swahili", "Swedish", "Tagalog", "Tajik", "Tamil",
    "Telugu", "Thai", "Tigrinya", "Turkish", "Turkmen", "Ukrainian", "Urdu", "Uzbek", "Vietnamese",
    "Welsh", "Yoruba", "Zulu",
})


@dataclass(frozen=True, slots=True)
class Outlet:
    """A source name read as publishers and, when "via" names one, a distributor."""

    name: str
    publishers: tuple[str, ...]
    distributor: str | None = None


@lru_cache(maxsize=65536)
def split_publisher(name: str) -> Outlet:
    """Read a source name as publishers and a distributor.

    Examples
    --------
    >>> split_publisher("AFP via France 24")
    Outlet(name='AFP via France 24', publishers=('AFP',), distributor='France 24')
    >>> split_publisher("AP and AFP via Philippine Daily Inquirer").publishers
    ('AP', 'AFP')
    >>> split_publisher("Reuters")
    Outlet(name='Reuters', publishers=('Reuters',), distributor=None)
    >>> split_publisher("Via Rail News").distributor is None
    True
    >>> split_publisher("Reuters/AFP via ABC News Australia").publishers, split_publisher("AP, via MSN").publishers
    (('Reuters', 'AFP'), ('AP',))
    >>> split_publisher("& via /"), split_publisher("AP & . via MSN").publishers
    (Outlet(name='& via /', publishers=('& via /',), distributor=None), ('AP',))
    >>> split_publisher("AFP and via via BBC"), split_publisher("AFP, and Reuters via BBC").publishers
    (Outlet(name='AFP and via via BBC', publishers=('AFP',), distributor='BBC'), ('AFP', 'Reuters'))
    >>> split_publisher("AFP with RFI").publishers, split_publisher("El Tiempo in Spanish").publishers
    (('AFP', 'RFI'), ('El Tiempo',))
    >>> split_publisher("Reuters via BBC Persian (in Persian)").distributor
    'BBC Persian'
    """
    parts = VIA_RULE.split(name.strip(), maxsplit=1)
    if len(parts) == 2:
        parts[1] = _LOOSE_AND.sub("", _LOOSE_VIA.sub("", parts[1]))
    if len(parts) != 2 or not _named(parts[0]) or not _named(parts[1]):  # ("& via &" names no one)
        return Outlet(name, _joint(name))
    makers = tuple(dict.fromkeys(p for p in (_LOOSE_AND.sub("", p) for p in _AND.split(parts[0])) if _named(p)))
    if not makers:  # ("and via BBC")
        return Outlet(name, _joint(name))
    makers = _one_each(m for maker in makers for m in _joint(maker))
    return Outlet(name, makers, _without_language(parts[1]))


def _joint(part: str) -> tuple[str, ...]:
    """The makers of ``part``: split on " with " where a news agency is among them, each without a
    language note (``part`` itself if no name is left).

    >>> _joint("AFP with RFI"), _joint("CNN in Spanish"), _joint("Made in Chelsea")
    (('AFP', 'RFI'), ('CNN',), ('Made in Chelsea',))
    >>> _joint("Last Week Tonight with John Oliver"), _joint("Politico Europe, with AFP")
    (('Last Week Tonight with John Oliver',), ('Politico Europe', 'AFP'))
    """
    parts = [p.strip(" ,;") for p in _WITH.split(part.strip())]
    if not any(_without_language(p) in NEWS_AGENCIES for p in parts):
        parts = [part]  # (a name left whole is kept as written)
    makers = _one_each(m for m in (_without_language(p) for p in parts) if _named(m))
    return makers or (part,)


def _one_each(makers: Iterable[str]) -> tuple[str, ...]:
    """``makers`` in order, each organization once (its first spelling: "AP and Ap" is one maker)."""
    first: dict[str, str] = {}
    for maker in makers:
        first.setdefault(organization_key(maker), maker)
    return tuple(first.values())


def _without_language(part: str) -> str:
    """``part`` without a language note at its end (``part`` itself if that would leave no name)."""
    note = _LANGUAGE_NOTE.search(part)
    if note is None or (note.group(1) or note.group(2)).capitalize() not in LANGUAGES:
        return part
    rest = part[:note.start()].strip()
    return rest if _named(rest) else part


def _named(part: str) -> bool:
    """Whether a part of a source name can name an organization: it holds a letter or a digit."""
    return any(ch.isalnum() for ch in part)


def organizations_of(names: Iterable[str]) -> tuple[str, ...]:
    """The organizations that source names resolve to: every maker and distributor, sorted.

    These are the graph's organization nodes (:mod:`kg.table`).

    Examples
    --------
    >>> organizations_of(["AFP via France 24", "AFP", "AP and Reuters via Yahoo"])
    ('AFP', 'AP', 'France 24', 'Reuters', 'Yahoo')
    """
    found: set[str] = set()
    for name in names:
        outlet = split_publisher(name)
        found.update(outlet.publishers)
        if outlet.distributor is not None:
            found.add(outlet.distributor)
    return tuple(sorted(found))


@lru_cache(maxsize=65536)
def organization_key(name: str) -> str:
    """What the spellings of one organization share: its letters and digits in lower case, without accents
    or a leading "The" (the organization's IRI is made of it: :mod:`kg.iri`).

    A key is its own key.

    Examples
    --------
    >>> organization_key("The New York Times"), organization_key("New York Times")
    ('newyorktimes', 'newyorktimes')
    >>> organization_key("Al-Arabiya") == organization_key("Al Arabiya"), organization_key("Ansa")
    (True, 'ansa')
    >>> organization_key("El País"), organization_key("U.S. News & World Report"), organization_key("ABC 15")
    ('elpais', 'usnewsworldreport', 'abc15')
    >>> organization_key("The The"), organization_key(organization_key("The Theatre"))
    ('thethe', 'theatre')
    >>> organization_key("Stars and Stripes"), organization_key("Stars & Stripes"), organization_key("GMA News Online")
    ('starsstripes', 'starsstripes', 'gma')

    A news service named by initials (words of three letters or fewer) and "News" is the organization of
    those initials; one named by a longer word and "News" is its own, and a "The" before a short word
    stays, so that "The Sun" is no "Sun News":

    >>> organization_key("BBC News"), organization_key("ABS-CBN News"), organization_key("i24NEWS")
    ('bbc', 'abscbn', 'i24')
    >>> organization_key("Star News"), organization_key("CNews"), organization_key("News")
    ('starnews', 'cnews', 'news')
    >>> organization_key("Sun News"), organization_key("The Sun")
    ('sun', 'thesun')
    """
    words = _key_words(name)
    return "".join(_initials(words) or words) or name  # (a name of no letter or digit is no organization's)


def _key_words(name: str) -> list[str]:
    """The words of ``name`` as its key reads them: in lower case, without accents, a leading "the" (but
    before one short word, which may be initials: "The Sun" is no "Sun News"), a last "online" (the
    outlet's website) or an "and" between words (which "&" is: "U.S. News & World Report")."""
    # (decomposed before case-folding too: "ᴬ" decomposes to a capital "A")
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", name).casefold())
    words = _WORD.findall("".join(ch for ch in folded if not unicodedata.combining(ch)))
    if len(words) > 1 and words[-1] == "online" and words[-2] != "the":  # ("BBC News Online" is the BBC's)
        del words[-1]
    while len(words) > 1 and words[0] == "the" and not (len(words) == 2 and len(words[1]) <= _INITIALS):
        del words[0]
    return [word for n, word in enumerate(words) if word != "and" or n in (0, len(words) - 1)]


def _initials(words: list[str]) -> list[str] | None:
    """The initials before "news" where ``words`` (of a name, in lower case) end in it ("bbc news",
    "abs cbn news", "i24news"): a news service of the organization of those initials; else ``None``.
    After a word ("star news", "yahoo news") or one letter ("cnews") "news" stays: "Star News" is no
    service of "The Star"."""
    last = words[-1] if words else ""
    if not last.endswith("news") or (last == "news" and len(words) == 1):
        return None
    initials = [*words[:-1], last[:-len("news")]] if last != "news" else words[:-1]
    initials = [word for word in initials if word]
    fits = all(len(word) <= _INITIALS for word in initials) and sum(map(len, initials)) >= 2
    return initials if fits else None


def organization_label(spellings: Iterable[str], pages: Mapping[str, int] | None = None) -> str:
    """The spelling an organization's node is named by, of those its sources write: the one with the most
    accented letters (as the outlet writes its name, "El País", "Türkiye Today", where keyboards drop them),
    then the one the most pages write, where ``pages`` counts them (a build does: "The Times of Israel",
    written on 47 pages, not "Times of Israel", on 8), and of those equally written (or without ``pages``)
    one not ending in the " News" of a news service ("BBC", not "BBC News": :func:`organization_key`),
    then the most capitals ("ANSA",
    "AccuWeather"; neither a leading "The" nor a word of five or more letters all in capitals counts:
    "REUTERS" shouts), the fewest spaces and hyphens (a brand written as one word, "AsiaOne"), one without
    a leading "The", and the first in code-point order ("Al Arabiya" before "Al-Arabiya").

    Examples
    --------
    >>> organization_label(["New York Times", "The New York Times"]), organization_label(["Ansa", "ANSA", "The Ansa"])
    ('New York Times', 'ANSA')
    >>> organization_label(["New York Times", "The New York Times"], {"New York Times": 1, "The New York Times": 44})
    'The New York Times'
    >>> organization_label(["Turkiye Today", "Türkiye Today"], {"Turkiye Today": 2, "Türkiye Today": 1})
    'Türkiye Today'
    >>> organization_label(["Al-Arabiya", "Al Arabiya"]), organization_label(["El Pais", "El País"])
    ('Al Arabiya', 'El País')
    >>> organization_label(["Accu Weather", "Accuweather", "AccuWeather"])
    'AccuWeather'
    >>> organization_label(["Reuters", "REUTERS", "reuters", "The Reuters"])
    'Reuters'
    >>> organization_label(["USA TODAY", "USA Today"]), organization_label(["AP News", "AP"])
    ('USA Today', 'AP')
    """
    written = pages or {}

    def rank(spelling: str) -> tuple[int, int, bool, int, int, bool, str]:
        accented, service, capitals, spaces, titled, text = _preference(spelling)
        return accented, -written.get(spelling, 0), service, capitals, spaces, titled, text

    return min(spellings, key=rank)


def label_organizations(pages: Mapping[str, int]) -> dict[str, str]:
    """Each organization's key and label (:func:`organization_label`), from the pages that write each
    spelling of it; in key order.

    >>> label_organizations({"Straits Times": 3, "StraitsTimes": 1, "AFP": 9})
    {'afp': 'AFP', 'straitstimes': 'Straits Times'}
    """
    spellings: dict[str, list[str]] = {}
    for name in pages:
        spellings.setdefault(organization_key(name), []).append(name)
    return {key: organization_label(names, pages) for key, names in sorted(spellings.items())}


def _preference(spelling: str) -> tuple[int, bool, int, int, bool, str]:
    """How :func:`organization_label` ranks a spelling: the least first."""
    accented = sum(1 for ch in unicodedata.normalize("NFD", spelling) if unicodedata.combining(ch))
    words = spelling.split()
    titled = len(words) > 1 and words[0].lower() == "the"
    capitals = sum(_capitals(word) for word in words[titled:])
    rest = " ".join(words[titled:])
    service = _initials(_key_words(spelling)) is not None
    return -accented, service, -capitals, rest.count(" ") + rest.count("-"), titled, spelling


def _capitals(word: str) -> int:
    """The capitals of ``word`` that :func:`organization_label` counts: none in a word of five or more
    letters all in capitals."""
    letters = [ch for ch in word if ch.isalpha()]
    shouted = len(letters) >= 5 and all(ch.isupper() for ch in letters)
    return 0 if shouted else sum(ch.isupper() for ch in letters)


def web_domain(url: str) -> str:
    """The host of an article's URL, lower case, without ``www.``.

    Examples
    --------
    >>> web_domain("https://www.BBC.co.uk/news/x")
    'bbc.co.uk'
    """
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
