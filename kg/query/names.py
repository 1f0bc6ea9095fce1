"""Names as analysts type them: matched without regard to case, accents or the dots of "U.S.".

A :class:`NameIndex` maps a typed name ("sao paulo", "IRAN", "US state") to the
names the graph holds ("São Paulo", "Iran", "U.S. state"), read as the explorer's
search box reads them (:func:`~kg.parse.text.typed_form`).  An unknown name raises
:class:`~kg.errors.UnknownNameError` with the closest known names.  A filter
value is one name, a list of names (*any* of them), or :func:`all_of` names
(*every* one of them).
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kg.errors import ArgumentError, ArgumentTypeError, UnknownNameError
from kg.iri import decode_name
from kg.keywords import checks_keywords
from kg.parse.publishers import organization_key
from kg.parse.text import closest_names, fold, typed_form  # re-exported: their home is kg.parse.text
from kg.ranking import WORDS, in_capitals, initials_of, order, rank

__all__ = ["fold", "typed_form", "AllOf", "all_of", "closest_names", "NameFilter", "NameIndex", "Match", "name_list",
           "MAX_GROUPS"]


#: The rank (:func:`~kg.ranking.rank`) of a name that holds a query only inside a word: no suggestion.
_INSIDE_A_WORD = 7

#: What joins the words of a name in one spelling and not in another: spaces, hyphens and dashes.
_JOINS = re.compile(r"[\s\-\u2010-\u2015]+")

#: A prefixed name's prefix, as kg's answers write them (``context:``, ``publisher:``, ``organization:``).
_PREFIX = re.compile(r"(?:context|publisher|organization):(?!/)")


@dataclass(frozen=True, slots=True)
class AllOf:
    """Names that must *all* hold (see :func:`all_of`); a list means any of them."""

    names: tuple[str, ...]


@checks_keywords
def all_of(*names: str | Iterable[str]) -> AllOf:
    """Ask for events that match every one of ``names``, not any of them.

    Parameters
    ----------
    *names : str
        The names, at least one, each as a filter takes it (any case, or a prefixed name); or one
        list of them.

    Returns
    -------
    AllOf
        A filter value for the questions' name filters (``context=``, ``publisher=`` ...).

    Raises
    ------
    ArgumentError
        If no name is given.
    ArgumentTypeError
        If a name is not a string (``all_of`` within ``all_of`` among them: give all the names to one).

    Examples
    --------
    >>> all_of("Russia", "Ukraine"), all_of(["Russia", "Ukraine"])
    (AllOf(names=('Russia', 'Ukraine')), AllOf(names=('Russia', 'Ukraine')))
    """
    given: tuple[object, ...] = names
    if len(names) == 1 and isinstance(names[0], Iterable) and not isinstance(names[0], (str, AllOf)):
        given = tuple(names[0])  # (a list of the names, as a filter of any of them is given)
    if not given:
        raise ArgumentError("all_of() needs at least one name")
    strings: list[str] = []
    for name in given:
        if isinstance(name, AllOf):
            raise ArgumentTypeError(f"kg.all_of takes names, not kg.all_of({', '.join(map(repr, name.names))}): "
                                    "give all the names to one kg.all_of")
        if not isinstance(name, str):
            raise ArgumentTypeError(f"kg.all_of takes names (str), not {type(name).__name__}: "
                                    "kg.all_of('Russia', 'Ukraine')")
        strings.append(name)
    return AllOf(tuple(strings))


#: what a filter accepts: a name, names (any of them), or all_of(names)
NameFilter = str | Iterable[str | AllOf] | AllOf


#: The most groups a filter of alternatives (a list holding kg.all_of names) may make.
MAX_GROUPS = 4096


@dataclass(frozen=True, slots=True)
class Match:
    """A filter resolved to the graph's names: groups of which one name each must hold.

    ``groups`` is one tuple per name asked for; an item matches when, for
    every group, it holds at least one name of the group.
    """

    groups: tuple[frozenset[str], ...]

    def accepts(self, held: Iterable[str]) -> bool:
        """Whether something that holds the names ``held`` matches."""
        have = set(held)
        return all(not group.isdisjoint(have) for group in self.groups)

    @property
    def names(self) -> frozenset[str]:
        """Every name the filter names."""
        return frozenset().union(*self.groups)


def name_list(value: object, what: str) -> list[str | AllOf]:
    """``value`` as a list of names: a name or :func:`all_of` names alone, else each of an iterable's.

    >>> name_list("Iran", "names"), name_list(("Iran", "Iraq"), "names")
    (['Iran'], ['Iran', 'Iraq'])
    >>> name_list(b"Iran", "a timeline's names")
    Traceback (most recent call last):
    ...
    kg.errors.ArgumentTypeError: a timeline's names are a name or a list of names, not b'Iran'
    """
    items: list[object] = [value] if isinstance(value, (str, AllOf, bytes, bytearray)) or \
        not isinstance(value, Iterable) else list(value)
    names = [name for name in items if isinstance(name, (str, AllOf))]
    if len(names) != len(items):
        raise ArgumentTypeError(f"{what} are a name or a list of names, not {value!r}")
    return names


#: How alike a name typed and a known one are (difflib's ratio) for one to be the other mistyped: "saudi arabai"
#: and "saudi arabia" 0.92, "associated press" and "financial express" 0.61.
_TYPO = 0.85
class NameIndex:
    """Known names of one kind, looked up as typed (:func:`~kg.parse.text.typed_form`): without regard
    to case, accents, a curly apostrophe or the dots of an abbreviation.

    Examples
    --------
    >>> index = NameIndex("context", ["Iran", "São Paulo", "Russia", "U.S. state"])
    >>> index.resolve("sao paulo"), index.resolve("US state")
    (('São Paulo',), ('U.S. state',))
    >>> index.resolve("Rusia")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownNameError: no context 'Rusia' in the graph; did you mean 'Russia'?
    >>> NameIndex("context", ["Iran"], {"context:Iran": "Iran"}).resolve("context:Iran")
    ('Iran',)
    >>> NameIndex("publisher", ["AFP"], {"organization:afp": "AFP"}).resolve("organization:AFP")  # (any case)
    ('AFP',)

    ``instead`` names, for a name it refuses, the one to give instead, suggested first:

    >>> NameIndex("publisher", ["AP"], instead={"publisher:AFP": "organization:AFP"}).resolve("publisher:AFP")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownNameError: no publisher 'publisher:AFP' in the graph; did you mean 'organization:AFP'?

    ``organizations`` maps organization keys to a name (a label), which any name of that key stands for,
    alone or as ``organization:NAME`` (:func:`~kg.parse.publishers.organization_key`: "NBC" for "NBC News"):

    >>> NameIndex("publisher", ["NBC News"], organizations={"nbc": "NBC News"}).resolve("organization:nbcnews")
    ('NBC News',)
    """

    __slots__ = ("kind", "_by_fold", "_by_joined", "_by_initials", "_aliases", "_folded_aliases", "_instead",
                 "_events", "_organizations")

    def __init__(self, kind: str, names: Iterable[str], aliases: Mapping[str, str] | None = None,
                 instead: Mapping[str, str] | None = None, events: Mapping[str, int] | None = None,
                 organizations: Mapping[str, str] | None = None) -> None:
        self.kind = kind
        self._organizations: Mapping[str, str] = organizations or {}
        self._by_fold: dict[str, list[str]] = {}
        for name in names:
            self._by_fold.setdefault(typed_form(name), []).append(name)
        # names spelt alike but for their spaces and hyphens ("El Obeid", "El-Obeid"): see alike()
        self._by_joined: dict[str, list[str]] = {}
        for key, spelt in self._by_fold.items():
            self._by_joined.setdefault(_JOINS.sub("", key), []).extend(spelt)
        # names of several words by their initials ("United States": "us"): see initialled()
        self._by_initials: dict[str, list[str]] = {}
        for key, spelt in self._by_fold.items():
            if short := initials_of(key):
                self._by_initials.setdefault(short, []).extend(spelt)
        # events per name, for suggestions ranked as the explorer's search box ranks them: busiest first
        self._events: Mapping[str, int] = events or {}
        # other spellings of a name, exact: its IRI, its prefixed name (what a query's answer shows)
        self._aliases: Mapping[str, str] = aliases or {}
        # ... and in any case, where only one name is so spelt (organization:NewYorkTimes, context:iran)
        folded: dict[str, set[str]] = {}
        for alias, known in self._aliases.items():
            folded.setdefault(alias.casefold(), set()).add(known)
        self._folded_aliases = {alias: next(iter(known)) for alias, known in folded.items() if len(known) == 1}
        # names refused, in any case, and what to give instead: an organization's, for publisher:AFP
        self._instead: Mapping[str, str] = {refused.casefold(): meant for refused, meant in (instead or {}).items()}

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and typed_form(name) in self._by_fold

    def names(self, name: str) -> tuple[str, ...]:
        """The names ``name`` stands for, as :meth:`resolve` gives them; none for an unknown one.

        >>> NameIndex("context", ["Iran"], {"context:Iran": "Iran"}).names("context:Iran")
        ('Iran',)
        """
        try:
            return self.resolve(name)
        except UnknownNameError:
            return ()

    def suggest(self, name: str, n: int = 5) -> tuple[str, ...]:
        """The known names ``name`` may mean, best first: those that hold it as the explorer's search box
        ranks them (its initials in capitals, "UK"; its words first, whole or at a word's start), then
        those spelt nearly so (see :func:`closest_names`).

        >>> NameIndex("context", ["United Kingdom", "Ukraine", "Gaza Strip", "Giza"]).suggest("UK")
        ('United Kingdom', 'Ukraine')
        >>> NameIndex("context", ["Russia", "Austria", "United States"]).suggest("U.S.")
        ('United States', 'Russia', 'Austria')
        >>> NameIndex("context", ["Strait of Hormuz", "Strait"]).suggest("hormuz strait")
        ('Strait of Hormuz', 'Strait')
        >>> NameIndex("context", ["President of the United States", "United States"]).suggest("the United States")
        ('United States', 'President of the United States')

        A name of several words is then the name its initials are, as a news agency is written by them:

        >>> NameIndex("publisher", ["AP", "Financial Express", "AFP"]).suggest("Associated Press")
        ('AP', 'Financial Express')
        >>> NameIndex("publisher", ["AFP", "FBI"]).suggest("Agence France-Presse"), NameIndex(
        ...     "context", ["FBI"]).suggest("Federal Bureau of Investigation")
        (('AFP',), ('FBI',))
        >>> NameIndex("context", ["U.S.", "United States"]).suggest("United States")  # (itself first)
        ('United States', 'U.S.')
        >>> NameIndex("context", ["SA", "Saudi Arabia", "South Africa"]).suggest("Saudi Arabai")  # (mistyped)
        ('Saudi Arabia', 'SA')
        """
        wanted = typed_form(name)
        if not wanted.strip():  # (every name holds nothing)
            return ()
        words = [w for w in WORDS.split(wanted) if w] if (" " in wanted or "-" in wanted) else None
        # (an abbreviation with its dots, "U.S.", where no name is spelt so: initials too)
        capitals = in_capitals(name) or (wanted not in self._by_fold and in_capitals(name.replace(".", "")))
        ranked = sorted((*order(held, self._events.get(known, 0)), known)
                        for key, knowns in self._by_fold.items()
                        if (held := rank(key, wanted, words or None, initials=capitals)) is not None
                        and held < _INSIDE_A_WORD for known in knowns)
        short = initials_of(wanted) if words else ""  # ("Associated Press": "ap")
        initialled = self._by_fold.get(short, []) if short else []
        close = closest_names(wanted, self._by_fold, n)
        # A name typed in a longer form that begins with the graph's ("United States of America", "the
        # United States"): that one first.
        bare = wanted.removeprefix("the ")
        whole = (known for key in close if f"{bare} ".startswith(f"{key} ") for known in self._by_fold[key])
        spelt = (known for key in close for known in self._by_fold[key])
        # A name mistyped ("Saudi Arabai") is offered the name it nearly spells before any initials ("SA").
        typo = (known for key in close[:1] if difflib.SequenceMatcher(None, wanted, key).ratio() >= _TYPO
                for known in self._by_fold[key])
        # A name typed in short ("NYTimes"): the one it shortens before one a letter away ("NL Times").
        shortened = (known for key in _contracted(wanted, self._by_fold) for known in self._by_fold[key])
        # A name of several words, each written otherwise ("Russia-Ukraine war": "Russo-Ukrainian war").
        stems = (known for key in _stemmed(words or [], self._by_fold) for known in self._by_fold[key])
        return tuple(dict.fromkeys((*self._by_fold.get(wanted, ()), *whole, *shortened, *typo, *initialled,
                                    *(known for *_, known in ranked), *stems, *spelt)))[:n]

    def alike(self, names: Iterable[str]) -> dict[str, tuple[str, int]]:
        """The other known names spelt as one of ``names`` but for case, accents, spaces and hyphens, each with
        that name and its own number of events: the corpus may write a place both ways, as two nodes, and
        a filter by one name would leave the other's events out without a word.

        >>> index = NameIndex("context", ["El Obeid", "El-Obeid", "Obeid", "Sudan"], events={"El-Obeid": 2})
        >>> index.alike(["El Obeid", "Sudan"])
        {'El-Obeid': ('El Obeid', 2)}
        """
        asked = set(names)
        return {other: (name, self._events.get(other, 0)) for name in sorted(asked)
                for other in self._by_joined.get(_JOINS.sub("", typed_form(name)), ()) if other not in asked}

    def initialled(self, names: Iterable[str]) -> dict[str, tuple[str, int]]:
        """The other known names whose initials one of ``names`` writes in capitals ("U.S.", "US": "United
        States"), or that write in capitals the initials of one of ``names``, each with that name and its own
        number of events: the corpus may name a place both ways, as two nodes, and a filter by one would leave
        the other's events out without a word.

        >>> index = NameIndex("context", ["U.S.", "United States", "US Open", "U.S. state", "us", "Iran"],
        ...                   events={"United States": 121})
        >>> index.initialled(["U.S."]), index.initialled(["United States"]), index.initialled(["us", "U.S. state"])
        ({'United States': ('U.S.', 121)}, {'U.S.': ('United States', 0)}, {})
        """
        asked = set(names)
        found: dict[str, tuple[str, int]] = {}
        for name in sorted(asked):
            key = typed_form(name)
            # (a name that holds the initials as a word is neither: "U.S. state" is no "U.S." in full)
            if in_capitals(name.replace(".", "")) and key.isalpha():  # initials: the names they shorten
                others = [o for o in self._by_initials.get(key, []) if key not in WORDS.split(typed_form(o))]
            elif (short := initials_of(key)) and short not in WORDS.split(key):  # a name: its initials, in capitals
                others = [o for o in self._by_fold.get(short, []) if in_capitals(o.replace(".", ""))]
            else:
                others = []
            found.update((other, (name, self._events.get(other, 0))) for other in others if other not in asked)
        return found

    def resolve(self, name: str) -> tuple[str, ...]:
        """The graph's names that ``name`` stands for: itself alone if the graph spells a name so, else
        every name it is as typed (any case, accents ...); unknown raises UnknownNameError.

        >>> index = NameIndex("publisher", ["ANSA", "Ansa"])
        >>> index.resolve("ANSA"), index.resolve("ansa")
        (('ANSA',), ('ANSA', 'Ansa'))
        """
        if not isinstance(name, str):
            raise ArgumentTypeError(f"a {self.kind} name is a str, not {type(name).__name__}")
        found = self._by_fold.get(typed_form(name))
        if found is None and not name.strip():
            raise UnknownNameError(self.kind, name, (), ": an empty name names nothing; give a name")
        if found is None and name in self._aliases:
            return (self._aliases[name],)
        if found is None and name.casefold() in self._folded_aliases:
            return (self._folded_aliases[name.casefold()],)
        prefix = _PREFIX.match(name)
        if found is None and self._organizations and (prefix is None or prefix.group(0) == "organization:"):
            # Any spelling of an organization's key: "NBC" where only "NBC News" is written, or the local
            # name of a spelling, "organization:bbcnews" ("BBC News" is the BBC's).
            label = self._organizations.get(organization_key(decode_name(name[prefix.end():]) if prefix else name))
            if label is not None:
                return (label,)
        if found is None:
            if name.casefold() in self._instead:  # the one name meant
                raise UnknownNameError(self.kind, name, (self._instead[name.casefold()],))
            # "Washington, D.C.": Context lines split names on commas, so the graph holds the pieces.
            parts = tuple(part.strip() for part in name.split(",")) if "," in name else ()
            known = tuple(self.resolve(part)[0] for part in parts if part in self)
            if parts and len(known) == len(parts):
                listed = ", ".join(map(repr, known))
                raise UnknownNameError(self.kind, name, known, f": a Context line cannot tell a name with a comma "
                                       f"from names apart, so the graph holds {' and '.join(map(repr, known))}; "
                                       f"kg.all_of({listed}) asks for the events about all of them")
            # A prefixed name ("publisher:Reutres") is compared by its local part, as a name is written; an
            # IRI of another base ("http:" for "https:") by its last part.
            typed = (decode_name(name.partition(":")[2]) if _PREFIX.match(name) else
                     decode_name(name.rstrip("/").rpartition("/")[2]).replace("_", " ") if "://" in name else name)
            raise UnknownNameError(self.kind, name, tuple(dict.fromkeys((*known, *self.suggest(typed))))[:5])
        # Two names may fold alike (a hyphen and an en dash, "ANSA" and "Ansa"): one typed exactly as the
        # graph spells it is that one alone, as its node is; typed otherwise, it stands for them all.
        return (name,) if name in found else tuple(found)

    def match(self, value: NameFilter) -> Match:
        """Resolve a filter value: a name, names (any of them) or :func:`all_of` names."""
        if isinstance(value, AllOf):
            return Match(tuple(frozenset(self.resolve(n)) for n in value.names))
        if isinstance(value, str):
            return Match((frozenset(self.resolve(value)),))
        if not isinstance(value, Iterable):
            raise ArgumentTypeError(f"{self.kind}= takes a name, a list of names or kg.all_of(...), "
                                    f"not {type(value).__name__}")
        names = list(value)
        if not names:
            raise ArgumentError(f"an empty list of {self.kind} names matches nothing")
        alternatives = [[frozenset(self.resolve(n)) for n in name.names] if isinstance(name, AllOf)
                        else [frozenset(self.resolve(name))] for name in names]
        if all(len(a) == 1 for a in alternatives):  # any of names: one group
            return Match((frozenset().union(*(a[0] for a in alternatives)),))
        # Any of [all_of(A, B), C]: (A and B) or C, which is (A or C) and (B or C): a group for each way
        # of taking one name of every alternative.
        ways = math.prod(len(a) for a in alternatives)
        if ways > MAX_GROUPS:
            raise ArgumentError(f"{self.kind}= of {len(names)} alternatives asks for {ways:,} combinations of names, "
                                f"more than {MAX_GROUPS:,}: ask for fewer names with kg.all_of")
        return Match(tuple(dict.fromkeys(frozenset().union(*way) for way in itertools.product(*alternatives))))


#: Letters that a word typed and a name's word must begin alike with (a shorter word: the same word)
#: for :func:`_stemmed`: "russia" and "russo", "ukraine" and "ukrainian".
_STEM = 4


def _stemmed(words: list[str], known: Iterable[str]) -> list[str]:
    """The known names (folded) that hold, for each of ``words`` (of two or more), a word that begins as it
    does (their first :data:`_STEM` letters; a shorter word, the same word), fewest words first.

    >>> _stemmed(["russia", "ukraine", "war"], ["russo-ukrainian war (2022-present)", "ukraine", "russian war"])
    ['russo-ukrainian war (2022-present)']
    """
    if len(words) < 2:
        return []
    found = []
    for key in known:
        if not all(any(_begin_alike(w, v) for v in WORDS.split(key) if v) for w in words):
            continue
        found.append((len(WORDS.split(key)), key))
    return [key for _, key in sorted(found)]


def _begin_alike(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= _STEM and a[:_STEM] == b[:_STEM])


#: Letters of a name typed in short, at least: fewer are initials, which :func:`~kg.ranking.rank` reads.
_CONTRACTED_MIN = 4


def _contracted(wanted: str, known: Iterable[str]) -> list[str]:
    """The known names of several words that ``wanted``, one word, shortens as a name is written in short:
    the initials of its words but the last (less a leading "the"), then that last word whole (``nytimes``:
    "new york times", "the new york times"; ``wpost``: "washington post").

    >>> _contracted("nytimes", ["new york times", "the new york times", "navy times", "nyasa times", "nl times"])
    ['new york times', 'the new york times']
    >>> _contracted("nyt", ["new york times"])  # (initials alone: the ranking's)
    []
    """
    if len(wanted) < _CONTRACTED_MIN or not wanted.isalnum():
        return []
    found = []
    for key in known:
        # (the cheap tests first: a suggestion reads every name of its kind, 200,000 of them in a large graph)
        bare = key[4:] if key.startswith("the ") else key
        if bare[:1] != wanted[0] or not (" " in bare or "-" in bare):
            continue
        words = [w for w in WORDS.split(bare) if w]
        if len(words) > 1 and "".join(w[0] for w in words[:-1]) + words[-1] == wanted:
            found.append(key)
    return found
