"""How a ``text=`` filter reads a headline: words, folded, abbreviations as one word.

Case, accents and punctuation are ignored; a word matches within a longer one
("drone" finds "drones"), but a word of one or two letters only a whole word
("AI" is not in "said"); a dotted abbreviation is one word, in the filter and
the headline alike ("U.S." finds "U.S." and "US").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kg.errors import ArgumentError, ArgumentTypeError
from kg.query.names import fold

__all__ = ["SHORT_WORD", "filter_words", "headline_words", "holds_word", "searchable"]

_WORD = re.compile(r"\w+")
#: A dotted abbreviation ("U.S.", "e.u."), read as one word without its dots.
_ABBREVIATION = re.compile(r"\b(?:\w\.){2,}")
#: Words of at most this many letters match only a whole word of a headline.
SHORT_WORD = 2


def searchable(text: str) -> str:
    """``text`` folded, its dotted abbreviations without their dots.

    >>> searchable("The U.S.-led coalition")
    'the us-led coalition'
    """
    return _ABBREVIATION.sub(lambda m: m.group().replace(".", ""), fold(text))


def headline_words(folded: str) -> frozenset[str]:
    """The words of a headline made :func:`searchable`.

    >>> sorted(headline_words(searchable("AI firms, said the U.S.")))
    ['ai', 'firms', 'said', 'the', 'us']
    """
    return frozenset(_WORD.findall(folded))


def filter_words(text: str | Iterable[str] | None) -> list[str]:
    """The words of a ``text=`` filter: folded, punctuation dropped.

    >>> filter_words("Strait of Hormuz?"), filter_words(["“São”", "Paulo,"]), filter_words(None)
    (['strait', 'of', 'hormuz'], ['sao', 'paulo'], [])
    >>> filter_words("U.S.-led")
    ['us', 'led']
    """
    if text is None:
        return []
    if not isinstance(text, str):
        if not isinstance(text, Iterable) or not all(isinstance(t, str) for t in text):
            raise ArgumentTypeError(f"text= takes a string or a list of strings, not {text!r}")
        text = " ".join(text)
    words = _WORD.findall(searchable(text))
    if text.strip() and not words:
        raise ArgumentError(f"text={text!r} holds no word to look for")
    return words


def holds_word(words: frozenset[str], folded: str, word: str) -> bool:
    """Whether a headline (its :func:`headline_words` and :func:`searchable` text) holds a filter's word.

    >>> folded = searchable("AI firms, said the U.S.")
    >>> [holds_word(headline_words(folded), folded, w) for w in ("ai", "sa", "us", "firm")]
    [True, False, True, True]
    """
    return word in words if len(word) <= SHORT_WORD else word in folded
