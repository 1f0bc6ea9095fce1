"""The names a graph holds nearest one that a query names and the graph lacks.

The notes on an empty answer (:func:`kg.query.hints.unused_terms`) end a
missing data name with what it may have meant.  A name of a context,
publisher or organization is looked up as the analyst's filters look names
up (:class:`~kg.query.names.NameIndex`: any case, accents, the busiest of
several first), under its own prefix and the other kinds' (``publisher:AFP``
is ``organization:afp``): :func:`named`.  Any other (an event's
``DAY/slug``, a day) is compared with the names of its folder and the two
spelt most like it: :func:`nearest`.  Both say it as a query writes it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Collection, Mapping

from kg import iri
from kg.parse.publishers import organization_key
from kg.query.names import NameIndex
from kg.query.pnames import local_name
from kg.query.typediris import NAMED, as_written
from kg.read.paths import padded_day

__all__ = ["named_kind", "other_kinds", "NameIndexes", "named", "names_by_folder", "nearest"]

#: A day as the graph's IRIs write it (an event's folder, a day's name), compared as text
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def named_kind(namespace: str) -> str | None:
    """The kind of name (``context`` ...) whose IRIs ``namespace`` holds, for a namespace of names (:data:`NAMED`)."""
    return next((kind[:-1] for kind in NAMED if namespace.endswith(kind)), None)


def other_kinds(namespace: str, data: Collection[str]) -> list[str]:
    """The data namespaces of the other kinds of names beside ``namespace`` (for context/, publisher/ and
    organization/), in :data:`NAMED`'s order."""
    kind = named_kind(namespace)
    if kind is None:
        return []
    base = namespace[:-len(kind) - 1]
    return [base + other for other in NAMED if other != kind + "/" and base + other in data]


class NameIndexes(dict[str, NameIndex]):
    """The names held under each namespace of names, as the analyst's filters look them up, made when asked."""

    def __init__(self, held: Mapping[str, Collection[str]], busy: Callable[[str], Mapping[str, int]] | None = None,
                 ) -> None:
        super().__init__()
        self.held = held
        self.busy = busy

    def __missing__(self, namespace: str) -> NameIndex:
        kind = named_kind(namespace) or ""
        # (sorted: the graph's names come as a set, and the closest are to be the same in every run)
        held = sorted(iri.decode_name(local) for local in self.held.get(namespace, ()))
        # (a context's events, as the analyst's filters rank names: the busiest of several first)
        counts = self.busy(namespace) if self.busy is not None and kind == "context" else {}
        events = {iri.decode_name(local): n for local, n in counts.items()}
        index = self[namespace] = NameIndex(kind, held, events=events)
        return index


#: what a name of each kind is to a query, for a name typed under another kind's prefix
_KIND_ROLE = {"context": "a context: ?event schema:about it",
              "publisher": "a publisher, as sources write it: ?event schema:subjectOf/schema:publisher it",
              "organization": "an organization: ?publisher kg:madeBy or kg:distributedBy it"}


def named(prefix: str, namespace: str, local: str, indexes: NameIndexes, prefixes: Mapping[str, str],
           data: Collection[str]) -> str:
    r"""A hint for a name under a namespace of names that the graph does not hold: the names it stands for as the
    analyst's filters read names (any case, accents, a short word's dot: ``U.S`` is "U.S."), those of the
    other kinds that it is (``publisher:AFP``: ``organization:AFP``), else the closest, at most 3.

    >>> held = {"http://x/context/": ["U%2ES%2E", "United_States", "Strait_of_Hormuz", "Iran"],
    ...         "http://x/organization/": ["afp"], "http://x/publisher/": ["AFP_via_France_24"]}
    >>> bound = {"context": "http://x/context/", "organization": "http://x/organization/",
    ...          "publisher": "http://x/publisher/"}
    >>> hint = lambda ns, local, prefix="": named(prefix or ns.split("/")[-2], ns, local, NameIndexes(held), bound,
    ...                                            set(held))
    >>> hint("http://x/context/", "U.S"), hint("http://x/context/", "Hormuz", "c")
    (': did you mean context:U%2ES%2E?', ': did you mean c:Strait_of_Hormuz?')
    >>> print(hint("http://x/publisher/", "AFP"))
    : did you mean organization:afp (an organization: ?publisher kg:madeBy or kg:distributedBy it)?
    """
    kind = named_kind(namespace) or ""
    base = namespace[:-len(kind) - 1]
    typed = iri.decode_name(local)
    index = indexes[namespace]
    same = [(kind, name) for name in index.names(typed)]
    others = [(named_kind(other) or "", name) for other in other_kinds(namespace, data)
              for name in indexes[other].names(typed)]
    near = [] if same or others else [(kind, name) for name in _suggested(kind, base, typed, indexes, data)]
    written = []
    for of_kind, name in (same + others + near)[:3]:
        value = NAMED[of_kind + "/"](base, name)
        if of_kind == kind:  # (under the prefix typed)
            written.append(as_written(value, {prefix: namespace}))
        else:
            written.append(f"{as_written(value, prefixes)} ({_KIND_ROLE[of_kind]})")
    return f": did you mean {' or '.join(written)}?" if written else ""


def _suggested(kind: str, base: str, typed: str, indexes: NameIndexes, data: Collection[str]) -> list[str]:
    """The names of ``kind`` closest to ``typed``, at most 3; for an organization, whose IRI is its name's letters
    alone (``organization:nytimes``), first those of the publishers' names suggested for it ("New York Times")."""
    index = indexes[base + kind + "/"]
    publishers = base + "publisher/"
    if kind != "organization" or publishers not in data:
        return list(index.suggest(typed, 3))
    via = [key for name in indexes[publishers].suggest(typed, 3) if (key := organization_key(name)) in index]
    return list(dict.fromkeys([*via, *index.suggest(typed, 3)]))[:3]


def names_by_folder(held: Collection[str]) -> dict[str, dict[str, list[str]]]:
    """``held`` names by folder, then by last part (an event's ``DAY/slug``; a context has no folder), case-folded."""
    folders: dict[str, dict[str, list[str]]] = {}
    for name in held:
        folder, _, last = name.lower().rpartition("/")
        folders.setdefault(folder, {}).setdefault(last, []).append(name)
    return folders


def _is_day(text: str) -> bool:
    """Whether ``text`` is a day of the calendar written as the graph writes days (not 2015-09-31)."""
    try:
        return _ISO_DAY.fullmatch(text) is not None and bool(dt.date.fromisoformat(text))
    except ValueError:
        return False


def nearest(prefix: str, namespace: str, local: str, folders: dict[str, dict[str, list[str]]]) -> str:
    r"""A hint: the names held under ``namespace`` (:func:`names_by_folder`) closest to ``local``, at most 3, as a query
    writes them.

    The same name in another case alone, if there is one (``iran``: ``Iran``); else the closest, compared
    without regard to case.  A name in a folder (an event's ``DAY/slug``) is compared by its last part
    with the names of its folder and of the two spelt most like it (a slug with those of three days).

    >>> held = names_by_folder(["U.S.", "UK", "Uk", "a b"])
    >>> nearest("c", "http://x/", "us", held), nearest("c", "http://x/", "uk", held)
    (': did you mean c:U\\.S\\.?', ': did you mean c:UK or c:Uk?')
    >>> nearest("c", "http://x/", "a_b", held)
    ': did you mean <http://x/a b>?'
    >>> events = names_by_folder(["2015-09-01/a-flag", "2015-09-02/a-flag", "2015-09-01/z"])
    >>> nearest("e", "http://x/", "2015-09-31/a-flag", events)
    ': did you mean e:2015-09-01\\/a-flag or e:2015-09-02\\/a-flag?'
    >>> nearest("e", "http://x/", "2015-9-1/a-flag", events), nearest("d", "http://x/", "2015-9-2", names_by_folder(
    ...     ["2015-09-22", "2015-09-02", "2015-09-21"]))
    (': did you mean e:2015-09-01\\/a-flag?', ': did you mean d:2015-09-02?')
    >>> nearest("e", "http://x/", "2015-10-01/a-flag", events)
    ": 2015-10-01 is outside the graph's days (2015-09-01 to 2015-09-02)"
    >>> nearest("d", "http://x/", "2014-9-1", names_by_folder(["2015-09-22", "2015-09-02"]))
    ": 2014-09-01 is outside the graph's days (2015-09-02 to 2015-09-22)"
    """
    folder, _, last = local.lower().rpartition("/")
    folder, last = (padded_day(folder), last) if folder else ("", padded_day(last))  # (an event's day, a day)
    day, days = (folder, folders) if folder else (last, folders.get("", {}))
    held_days = sorted(d for d in days if _ISO_DAY.fullmatch(d))
    if _is_day(day) and held_days and not held_days[0] <= day <= held_days[-1]:
        # (the nearest spellings would be days of the graph that look alike, 2026-08-01 for 2026-09-01)
        return f": {day} is outside the graph's days ({held_days[0]} to {held_days[-1]})"
    if last in folders.get(folder, {}):
        near = sorted(folders[folder][last])
    else:
        # Not every name: difflib over all the events of an archive takes long (1 s for the 1,888 of the
        # bundled corpus, 41 s for 75,000 such slugs), over three days' events a moment.
        by_last: dict[str, list[str]] = {}
        for nearby in difflib.get_close_matches(folder, folders, n=3, cutoff=0.6):  # (its own first)
            for part, names in folders[nearby].items():
                by_last.setdefault(part, []).extend(names)
        near = [name for part in difflib.get_close_matches(last, by_last, n=3, cutoff=0.6)
                for name in sorted(by_last[part])]
    # Escaped as a query takes it (U\.S\.); a name that no prefixed name can write (a space) as its whole IRI.
    written = [f"{prefix}:{escaped}" if (escaped := local_name(name)) else f"<{namespace}{name}>" for name in near[:3]]
    return f": did you mean {' or '.join(written)}?" if written else ""
