"""How a name holds a typed query: the one ranking of names that the explorer and the query layer share.

:func:`rank` says how a (typed) name holds a query, :func:`order` sorts by that and by events.
``kg html --focus`` opens on the name the explorer's search box suggests first (the page's script,
``suggestions`` and ``placeOf``, follows the same rules; a browser test keeps them equal), and an
unknown name in the query layer (:mod:`kg.query.names`) is answered with the same names first.
"""

from __future__ import annotations

import re

__all__ = ["WORDS", "MINOR_WORDS", "ALSO_INITIALS", "in_capitals", "initials_of", "leads", "rank", "order"]


#: Where a query is cut into words that a name holds in any order ("hormuz strait", "israel-hezbollah").
WORDS = re.compile(r"[ -]+")


#: Words that initials leave out ("Federal Bureau of Investigation": FBI); as the page's ``MINOR_WORDS``.
MINOR_WORDS = frozenset(("a", "an", "and", "at", "de", "del", "des", "du", "el", "et", "for", "in", "la", "le",
                         "of", "on", "the", "to", "y"))
_ABBREVIATION = re.compile(r"[^\W\d_]{2,5}")
_FIRST = re.compile(r"[^\W_]")


def in_capitals(focus: str) -> bool:
    """Whether ``focus`` is a short word typed in capitals, which may be a name's initials ("UK", "FBI")."""
    return _ABBREVIATION.fullmatch(focus.strip()) is not None and focus.strip().isupper()


def initials_of(name: str) -> str:
    """The initials of a (typed) name of two words or more, its minor words left out ("" for one word).

    >>> initials_of("united states"), initials_of("federal bureau of investigation"), initials_of("iran")
    ('us', 'fbi', '')
    """
    words = [w for w in WORDS.split(name) if w and w not in MINOR_WORDS]
    if len(words) < 2:
        return ""
    return "".join(m.group() if (m := _FIRST.search(w)) else "" for w in words)


def rank(name: str, wanted: str, words: list[str] | None, *, initials: bool = False) -> int | None:
    """How a (typed) name holds the query ``wanted``: 0 is it; typed in capitals (``initials``), 1 its
    first word is it ("JD": "JD Vance"), 2 its initials are it ("UK": "United Kingdom", "USA": "United
    States"); 3 it begins with the query's ``words`` (of two or more), in any order, after a year
    (:func:`leads`: "israel-hezbollah": "Hezbollah-Israel conflict"); 4 holds it as a whole word
    ("gaza": "Gaza Strip"); 5 at a word's start ("ukr": "Ukraine"); 6 holds each of its ``words``;
    7 only inside a word ("usa": "The Jerusalem Post"); ``None`` not at all. Ranks 0 to 2 are one
    tier, busiest first (:func:`order`; the page script's ``suggestions``).

    >>> [rank(n, "gaza", None) for n in ("gaza", "gaza strip", "gazan", "the (gaza) war", "megazap", "iran")]
    [0, 4, 5, 4, 7, None]
    >>> rank("united kingdom", "uk", None, initials=True), rank("ukraine", "uk", None, initials=True)
    (2, 5)
    >>> rank("united states", "usa", None, initials=True), rank("the jerusalem post", "usa", None)
    (2, 7)
    >>> rank("jd vance", "jd", None, initials=True), rank("jd vance", "jd", None)
    (1, 4)
    >>> rank("india today", "it", None) is None
    True
    >>> q, words = "israel-hezbollah", ["israel", "hezbollah"]
    >>> [rank(n, q, words) for n in ("hezbollah-israel conflict", "2026 israel-hezbollah war",
    ...                              "attacks during the israel-hezbollah conflict", "israel and hezbollah")]
    [3, 3, 4, 6]
    """
    if name == wanted:
        return 0
    place = _place(name, wanted)
    if initials and place == 1 and name.startswith(wanted) and not _word_char(name[len(wanted):len(wanted) + 1]):
        return 1
    if initials and (initials_of(name) == wanted or ALSO_INITIALS.get(wanted) == name):
        return 2
    if words and len(words) > 1 and leads(name, words):
        return 3
    rank = None if place is None else place + 3
    if (rank is None or rank > 6) and words and all(word in name for word in words):
        return 6
    return rank


def leads(name: str, words: list[str]) -> bool:
    """Whether a (typed) name's first words are ``words``, in any order, after a year that leads it: the
    name of the thing typed ("israel-hezbollah": "Hezbollah-Israel conflict", "2026 Israel-Hezbollah
    war"), not one that speaks of it further on (the page script's ``leads``).

    >>> leads("2026 israel-lebanon ceasefire", ["lebanon", "israel"]), leads("israeli-lebanon", ["israel", "lebanon"])
    (True, False)
    """
    held = [w for w in WORDS.split(name) if w]
    if held and _YEAR.fullmatch(held[0]) and held[0] not in words:
        held = held[1:]
    return sorted(held[:len(words)]) == sorted(words)


# A year that leads the name of an event ("2026 Israel-Lebanon ceasefire").
_YEAR = re.compile(r"[0-9]{4}")  # (ASCII digits, as the page's script reads \d)


def order(rank: int, events: int) -> tuple[int, int, int]:
    """The sort key of a name of ``rank`` (:func:`rank`) with ``events``: the name itself, its first word
    and its initials are one tier, busiest first ("US": "United States", 121 events, before "U.S.", 10)."""
    return max(rank, 2), -events, rank


#: Initialisms that are not the initials of the name they stand for; as the page's ``ALSO_INITIALS``.
ALSO_INITIALS = {"usa": "united states", "ussr": "soviet union", "dprk": "north korea"}


def _word_char(text: str) -> bool:
    return bool(text) and (text.isalpha() or text.isdigit() or text.isnumeric())


def _place(name: str, wanted: str) -> int | None:
    """Where ``name`` holds ``wanted``: 1 as a whole word (or words), 2 at a word's start, 4 only inside
    a word (after holding each word, 3), ``None`` not at all (the page script's ``placeOf``)."""
    best = None
    closed = not _word_char(wanted[-1:])  # (what is typed ends a word: "georgia (")
    at = name.find(wanted)
    while at >= 0:
        if at > 0 and _word_char(name[at - 1]) and _word_char(wanted[:1]):
            best = best or 4
        elif closed or not _word_char(name[at + len(wanted):at + len(wanted) + 1]):
            return 1
        else:
            best = 2
        at = name.find(wanted, at + 1)
    return best
