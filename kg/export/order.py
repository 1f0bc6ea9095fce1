"""The output order of RDF subjects: where each subject goes among those of its kind.

:func:`kg.export.triples.graph_triples` writes node kinds in
:data:`kg.export.triples.EMITTERS` order and, within a kind, subjects in the
order given here.  The sort keys are plain tuples of strings and ints, so that
a subject can be placed among others without the whole graph: the incremental
rebuild (:mod:`kg.incremental.outindex`) splices changed subjects into the
written files by these keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from kg.model import KnowledgeGraph
from kg.parse.records import PageKey
from kg.table import organizations

__all__ = [
    "SortKey",
    "SUBJECT_KEYS",
    "event_sort_key",
    "iter_subject_keys",
    "page_paths",
    "subject_keys",
]


#: Where a subject goes among those of its kind: a name, or a tuple of strings and ints.
SortKey = str | tuple[str | int, ...]


def page_paths(graph: KnowledgeGraph) -> list[str]:
    """The corpus pages that events and days were read from, in output order.

    Examples
    --------
    >>> from kg.pipeline import build
    >>> paths = page_paths(build("examples/wcep-2015-09"))
    >>> paths == sorted(paths) and len(paths) > 0
    True
    """
    return sorted({e.page for e in graph.event_records.values() if e.page}
                  | {d.page for d in graph.days.values() if d.page})


#: Node kind -> the sort keys of its subjects, in output order.  A key is a
#: tuple of strings and ints (dates as ISO strings, which sort as dates do)
#: that orders subjects as the emitters do, so that a subject can be placed
#: among others without the whole graph (see :mod:`kg.incremental.outindex`).
#: Made as they are read: 675,000 Related lines' keys held at once take 70 MB.
SUBJECT_KEYS: dict[str, Callable[[KnowledgeGraph], Iterable[SortKey]]] = {
    "events": lambda g: map(event_sort_key, g.event_records),
    "days": lambda g: map(dt.date.isoformat, g.days),
    "articles": lambda g: g.articles,
    "publishers": lambda g: g.publishers,
    "organizations": lambda g: (key for key, _ in organizations(g)),
    "images": lambda g: g.images,
    "contexts": lambda g: g.contexts,
    "related": lambda g: ((*event_sort_key(r.source), r.rank, *event_sort_key(r.target)) for r in g.related),
    "shared": lambda g: ((*event_sort_key(p.first), *event_sort_key(p.second)) for p in g.shared),
    "pages": page_paths,
}


def event_sort_key(key: PageKey) -> tuple[str, str]:
    """An event's place in the output: its day (ISO) and slug.

    Examples
    --------
    >>> import datetime as dt
    >>> event_sort_key(PageKey(dt.date(2015, 9, 1), "a"))
    ('2015-09-01', 'a')
    """
    return _iso_day(key.date), key.slug


@lru_cache(maxsize=1 << 16)
def _iso_day(date: dt.date) -> str:
    return date.isoformat()


def subject_keys(graph: KnowledgeGraph, kind: str) -> list[SortKey]:
    """The sort keys of a node kind's subjects, in the order they are written.

    Examples
    --------
    >>> from kg.pipeline import build
    >>> g = build("examples/wcep-2015-09")
    >>> keys = subject_keys(g, "events")
    >>> keys == sorted(keys) and len(keys) == len(g.event_records)
    True
    """
    return list(SUBJECT_KEYS[kind](graph))


def iter_subject_keys(graph: KnowledgeGraph, kind: str) -> Iterator[SortKey]:
    """:func:`subject_keys`, one at a time.

    Examples
    --------
    >>> from kg.pipeline import build
    >>> g = build("examples/wcep-2015-09")
    >>> next(iter_subject_keys(g, "days")) == subject_keys(g, "days")[0]
    True
    """
    return iter(SUBJECT_KEYS[kind](graph))
