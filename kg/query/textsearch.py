"""How a ``text=`` filter reads a headline: words, folded, abbreviations as one word.

Case, accents and punctuation are ignored; a word matches the start of a longer one
("drone" finds "drones"; "ban" finds "bans", not "Lebanon"), but a word of one or two characters only a whole
word, or one with a small "s" ("AI" is not in "said", "MP" finds "MPs", "US" not "USS"); one of two
letters typed in capitals ("UN", "EU"), where some headline writes it in capitals, only a whole word in
capitals, dotted too ("UN" and "U.N.", not the "Un" of "Kim Jong Un"), as two typed dotted in capitals
("U.N.", "U.S": "U.S." and "US", not the pronoun "us") are; and
one of three or four letters typed in capitals ("WHO", "NATO"), where some headline writes it in
capitals, only a whole word that begins with a capital, or a plural of capitals ("NGOs"): "WHO" is
not in "whose" or "who", "SAF" not in "safety" (:func:`settle_capitals`); a dotted
abbreviation is one word, in the filter and the headline alike, with or without
its last dot, and matches only a whole word ("u.s." and "u.s" find "U.S.", "US" and
the pronoun "us", not "USS"; "U.S.A." is not in "thousands").
Words that the filter writes joined by punctuation ("F-35", "Iran's")
must also be found so joined: "F-35" is not "F-16 ... 35".  A number matches
only a whole number, its decimals and thousands included ("1" is not in
"1.5" or "$1.5bn", "200" not in "2006" or "G200"; "100000" finds "100,000",
"1990" "1990s"), and with the currency sign the filter writes before it, if any ("$1" finds "$1 billion" and
"US$1", not "1 killed"; "1" finds them all).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from kg.errors import ArgumentError, ArgumentTypeError
from kg.query.names import fold

__all__ = ["SHORT_WORD", "CAPITALS_WORD", "Term", "filter_terms", "headline_words", "holds_term", "searchable",
           "settle_capitals"]

_WORD = re.compile(r"\w+")
#: A number of a headline, its decimals and thousands as one ("1.5", "100,000"), not after a letter ("G200"),
#: but before one ("1990s", "$1.5bn": 1.5, not the 1 of it): all the digits, dots and commas it runs on to are
#: taken (a lookahead then a backreference, as an atomic group would), never fewer.
_NUMBER = r"(?<![^\W_])(?=(?P<digits>\d+(?:[.,]\d+)*))(?P=digits)"
_HEADLINE_NUMBER = re.compile(_NUMBER)
#: The words of a filter, a number as one word, where no letter follows it ("1990s" is a word: found inside
#: "1990s" as any word is).
_TOKEN = re.compile(rf"(?P<number>{_NUMBER}(?![^\W_]))|\w+")
#: A number written with commas between its thousands ("100,000", "1,234.5").
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
#: A dotted abbreviation ("U.S.", "e.u.", "U.S" typed without its last dot; letters, not the digits of "5.6."),
#: read as one word without its dots.
_ABBREVIATION = re.compile(r"\b[^\W\d_](?:\.[^\W\d_])+\b\.?")
#: Words of at most this many characters match only a whole word of a headline (or one with an "s").
SHORT_WORD = 2
#: Words typed in capitals of more than SHORT_WORD characters and at most this many match only a whole word
#: that begins with a capital ("WHO", "NATO": not "whose", "senator").
CAPITALS_WORD = 4
#: A short word and a small "s", as a headline writes a plural ("MPs"; not "USS").
_SHORT_PLURAL = re.compile(rf"\b([^\W_]{{1,{SHORT_WORD}}})s\b")
#: A short word of letters that begins with a capital ("WHO", "Nato", "NGOs"), dotted too ("O.S.K."), where a
#: filter's word typed in capitals may be: its ``=`` form in a headline's words (one regex: a pass for the
#: dotted ones first made every headline's words a third slower to read).
_CAPITALIZED = re.compile(rf"\b[^\W\d_a-z](?:\.?[^\W\d_]){{1,{CAPITALS_WORD}}}\b")

#: A word of a filter, and how it matches a headline's: ``part`` of one, a whole ``word``
#: (or with an "s"), an ``abbreviation`` (whole), a whole ``number``, a whole word of ``capitals`` (beginning
#: with a capital, or a plural of capitals), a whole word of two ``initials`` (in capitals, dotted too), or a
#: ``joined`` group of words (as written).
Term = tuple[str, str]


#: Quotation marks typed as an apostrophe ("Iran\u2019s" is "Iran's").
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2018\u2019\u201b\u2032\u02bc\u00b4", "'"))
#: What joins two words into one group: a hyphen or dash (folded to "-"), a dot, an apostrophe; any other
#: punctuation parts them ("Iran,Iraq" and "Iran/Iraq" are two words).
_PARTING = re.compile(r"[^\w\s.'-]+")
#: The punctuation around a group of joined words ("(F-35)," is "F-35").
_AROUND = re.compile(r"^[\W_]+|[\W_]+$")


def searchable(text: str) -> str:
    """``text`` folded, its dotted abbreviations without their dots, its apostrophes straight.

    >>> searchable("The U.S.-led coalition, Iran\u2019s")
    "the us-led coalition, iran's"
    """
    return _ABBREVIATION.sub(lambda m: m.group().replace(".", ""), fold(text)).translate(_APOSTROPHES)


def _number(text: str) -> str:
    """A number as a headline's words hold it (see :func:`headline_words`): ``#`` and its digits, without
    commas between thousands ("100,000" is "100000"; "1,5" stays as written)."""
    return "#" + (text.replace(",", "") if _THOUSANDS.fullmatch(text) else text)


def _currency(text: str, at: int) -> str:
    """The currency sign written right before ``text[at]`` ("$" of "US$1.5"), or ""."""
    return text[at - 1] if at and unicodedata.category(text[at - 1]) == "Sc" else ""


def headline_words(folded: str, headline: str = "") -> frozenset[str]:
    """The words of a headline made :func:`searchable`, ``stem+s`` for each short plural of ``headline``,
    ``=word`` and ``^word`` for its short words that begin with a capital (see :func:`_capitalized`), and
    ``#number`` for each whole number (a number's digits are words too: "1.5" holds "1" and "5").

    A short plural is a word of one or two characters and a small "s" as
    the headline writes it ("MPs", "ads"): a short filter word matches it
    (``"MP"`` finds "MPs"), but not a word in capitals that ends in "S"
    (``"US"`` does not find "USS", a ship's prefix).

    >>> sorted(headline_words(searchable("AI firms, said the U.S.")))
    ['ai', 'firms', 'said', 'the', 'us']
    >>> sorted(headline_words(searchable(h := "MPs board the USS Ford"), h))
    ['=ford', '=mp', '=mps', '=uss', '^mp', '^uss', 'board', 'ford', 'mp+s', 'mps', 'the', 'uss']
    >>> sorted(headline_words(searchable("US$1.5 billion for 100,000 G200s")))
    ['#$1.5', '#1.5', '#100000', '000', '1', '100', '5', 'billion', 'for', 'g200s', 'us']
    >>> sorted(w for w in headline_words(searchable("$1.5bn for 1990s 737s")) if w.startswith("#"))
    ['#$1.5', '#1.5', '#1990', '#737']
    """
    words = _WORD.findall(folded)
    plurals = [fold(m.group(1)) + "+s" for m in _SHORT_PLURAL.finditer(headline)]
    numbers = []
    for m in _HEADLINE_NUMBER.finditer(folded):
        numbers.append(number := _number(m.group()))
        if sign := _currency(folded, m.start()):  # (an amount, "$1.5": which a filter that writes the sign asks for)
            numbers.append("#" + sign + number[1:])
    return frozenset((*words, *plurals, *numbers, *_capitalized(headline)))


def _capitalized(headline: str) -> Iterable[str]:
    """What a filter's word typed in capitals may match in ``headline``, folded: ``=word`` for each word (its dotted
    abbreviations as one, "O.S.K." "OSK") that begins with a capital ("WHO", "Nato", "MiG", "NGOs"), and the stem
    of a plural of capitals ("NGOs": "ngo"); ``^word`` for each in capitals alone ("WHO", the "NGO" of "NGOs"),
    which says that the headlines write the word so.  Longer words than such a filter's are left out."""
    for match in _CAPITALIZED.finditer(headline):
        word = match.group().replace(".", "")
        if not word[0].isupper():
            continue
        folded = word.lower() if word.isascii() else fold(word)  # (as the filter's words: fold is the slower)
        yield "=" + folded
        if word.isupper():
            yield "^" + folded
        elif word.endswith("s") and len(word) > 2 and word[:-1].isupper():
            yield "=" + folded[:-1]
            yield "^" + folded[:-1]


def settle_capitals(terms: list[Term], headlines: Iterable[frozenset[str]]) -> list[Term]:
    """``terms`` with each word typed in capitals that no headline writes in capitals (``"WAR"``, ``"IRAN"``, ``"IN"``:
    typed so, not a name's initials) read as any word is: capitals are kept for names the headlines write so.

    >>> words = [headline_words(searchable(h), h) for h in ("WHO warns", "Iran at war", "UN aid", "Iranian oil")]
    >>> settle_capitals(filter_terms("WHO WAR IRAN"), words), settle_capitals(filter_terms("UN IN"), words)
    ([('who', 'capitals'), ('war', 'part'), ('iran', 'part')], [('un', 'initials'), ('in', 'word')])
    """
    asked = [word for word, how in terms if how in _IN_CAPITALS]
    if not asked:
        return terms
    written: set[str] = set()
    for words in headlines:
        written.update(word for word in asked if "^" + word in words)
        if len(written) == len(asked):
            break
    return [(word, _IN_CAPITALS[how]) if how in _IN_CAPITALS and word not in written else (word, how)
            for word, how in terms]


#: How a filter's word typed in capitals matches where no headline writes it so: as it would in lower case.
_IN_CAPITALS = {"capitals": "part", "initials": "word"}


def filter_terms(text: str | Iterable[str] | None) -> list[Term]:
    """The words of a ``text=`` filter (folded, punctuation dropped), each with whether it must be whole.

    >>> [w for w, _ in filter_terms("Strait of Hormuz?")], [w for w, _ in filter_terms(["“São”", "Paulo,"])]
    (['strait', 'of', 'hormuz'], ['sao', 'paulo'])
    >>> filter_terms("U.S.A.-led AI"), filter_terms(None)
    ([('usa', 'abbreviation'), ('led', 'part'), ('ai', 'initials'), ('usa-led', 'joined')], [])
    >>> filter_terms("(F-35),"), filter_terms("Iran/Iraq")
    ([('f', 'word'), ('35', 'number'), ('f-35', 'joined')], [('iran', 'part'), ('iraq', 'part')])
    >>> filter_terms("$1.5 billion"), filter_terms("200 G7 1990s")
    ([('$1.5', 'number'), ('billion', 'part')], [('200', 'number'), ('g7', 'word'), ('1990s', 'part')])
    >>> filter_terms("WHO chief"), filter_terms("Who"), filter_terms("IRAN SANCTIONS")
    ([('who', 'capitals'), ('chief', 'part')], [('who', 'part')], [('iran', 'capitals'), ('sanctions', 'part')])
    >>> filter_terms("UN envoy"), filter_terms("Un"), filter_terms("U.N. envoy")
    ([('un', 'initials'), ('envoy', 'part')], [('un', 'word')], [('un', 'initials'), ('envoy', 'part')])
    >>> filter_terms("u.n"), filter_terms("U.S")
    ([('un', 'abbreviation')], [('us', 'initials')])
    """
    if text is None:
        return []
    if not isinstance(text, str):
        if not isinstance(text, Iterable) or not all(isinstance(t, str) for t in text):
            raise ArgumentTypeError(f"text= takes a string or a list of strings, not {text!r}")
        text = " ".join(text)
    folded = fold(text)
    dotted = {m.group().replace(".", "") for m in _ABBREVIATION.finditer(folded)}
    written = searchable(text)
    tokens = list(_TOKEN.finditer(written))
    if text.strip() and not tokens:
        raise ArgumentError(f"text={text!r} holds no word to look for")
    # (a group that is one number, "1.5", is that number's term)
    joined = [group for chunk in _PARTING.sub(" ", written).split()
              if len(_WORD.findall(group := _AROUND.sub("", chunk))) > 1 and len(_TOKEN.findall(group)) > 1]
    # (a short word typed in capitals, "WHO", is a name's initials: not a part of "whose"; a longer one,
    # "SANCTIONS", is a word typed in capitals, which "sanctions" matches)
    capitals = {fold(w) for w in _WORD.findall(text) if SHORT_WORD < len(w) <= CAPITALS_WORD and w.isalpha()
                and w.isupper()}
    # (two letters typed in capitals, "UN", are initials, written so: not the "Un" of a name, nor "us")
    initials = {fold(w) for w in _WORD.findall(text) if len(w) == SHORT_WORD and w.isalpha() and w.isupper()}
    # (so are two typed dotted, "U.N.": the initials "UN", not "Un"; "u.n." is any whole word)
    initials.update(fold(letters) for m in _ABBREVIATION.finditer(text)
                    if len(letters := m.group().replace(".", "")) == SHORT_WORD and letters.isupper())
    return [(_currency(written, m.start()) + _number(m.group())[1:], "number") if m.group("number") else
            (w, "initials" if w in initials else "abbreviation" if w in dotted else "word" if len(w) <= SHORT_WORD
             else "capitals" if w in capitals else "part")
            for m in tokens for w in (m.group(),)] + [(group, "joined") for group in dict.fromkeys(joined)]


def holds_term(words: frozenset[str], folded: str, term: Term) -> bool:
    """Whether a headline (its :func:`headline_words` and :func:`searchable` text) holds a filter's word.

    >>> folded = searchable(headline := "AI firms, MPs said the U.S. and thousands")
    >>> [holds_term(headline_words(folded, headline), folded, t) for t in filter_terms("ai sa mp us firm U.S.A.")]
    [True, False, True, True, True, False]
    >>> [holds_term(frozenset(), searchable("Lebanon bans drones"), t) for t in filter_terms("ban drone anon")]
    [True, True, False]
    >>> folded = searchable(headline := "An F-16 kills 35; Iran\u2019s envoy")
    >>> [all(holds_term(headline_words(folded, headline), folded, t) for t in filter_terms(text))
    ...  for text in ("F-35", "F-16", "Iran's", "iran s")]
    [False, True, True, True]
    >>> folded = searchable(headline := "Protesters, whose NGOs the Who backs, meet SAF staff on safety")
    >>> [holds_term(headline_words(folded, headline), folded, t) for t in filter_terms("WHO NGO SAF SAFE who")]
    [True, True, True, False, True]
    """
    word, how = term
    if how in ("part", "joined"):  # (at a word's start: "ban" finds "bans", not "Lebanon")
        at = folded.find(word)
        while at > 0 and (folded[at - 1].isalnum() or folded[at - 1] == "_"):
            at = folded.find(word, at + 1)
        return at >= 0
    if how == "number":
        return "#" + word in words
    if how == "capitals":
        return "=" + word in words
    if how == "initials":
        return "^" + word in words
    return word in words or (how == "word" and word + "+s" in words)
