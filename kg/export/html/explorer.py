"""What a page shows: the options a user gives, and the explorer they make.

:func:`explore` is the one entry point: it takes a graph and the page's
options (entity kinds, date range, size of the first view, focus) and returns
an :class:`Explorer`, a plain value holding the archive's columns
(:mod:`kg.export.html.archive`) and the first view (:mod:`kg.export.html.overview`);
:mod:`kg.export.html.focus` finds the node a focus names.
:func:`kg.export.html.page.render_page` turns it into HTML.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.arguments import first_day, last_day
from kg.errors import ArgumentError, ViewError  # (ViewError re-exported: its home was here)
from kg.export.html.archive import ENTITY_KINDS, Archive, archive_columns
from kg.export.html.focus import find, find_exactly, named_as_kg_query_prints, named_exactly, not_found, spelt_as
from kg.export.html.layout import label_box
from kg.export.html.overview import DEFAULT_MAX_NODES, Overview, overview
from kg.parse.text import bound_text, clean_name, closest_names

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph

__all__ = [
    "DEFAULT_MAX_NODES",
    "LABEL_LENGTH",
    "MAX_NODES_LIMIT",
    "Explorer",
    "ExplorerOptions",
    "default_title",
    "ViewError",
    "explore",
    "parse_kinds",
]

#: Longest label drawn on the canvas; the side panel shows the whole name.
LABEL_LENGTH = 40
#: The largest first view: beyond it no label would be readable at a glance.
MAX_NODES_LIMIT = 1000


def default_title(corpus: str) -> str:
    """The page's heading for a corpus of that folder name: its control characters (a tab, a newline in a
    folder's name) shown as ``\\xNN`` escapes rather than refused, as a title given by hand is.

    >>> default_title("wcep-2015-09"), default_title("tab\\there"), default_title("")
    ('kg · wcep-2015-09', 'kg · tab\\\\x09here', 'kg · knowledge graph')
    """
    shown = "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) in ("Cc", "Cs") and ord(c) < 0x100
                    else "\ufffd" if unicodedata.category(c) in ("Cc", "Cs") else c for c in corpus)
    return f"kg · {shown or 'knowledge graph'}"


@dataclass(frozen=True, slots=True)
class ExplorerOptions:
    """The page's options.

    ``kinds`` are the entity kinds drawn (``context``, ``publisher``);
    ``since``/``until`` keep the events of those days; ``max_nodes`` bounds the
    first view; ``focus`` names a node that the page opens on, selected and
    expanded ``depth`` times (0: selected only).
    """

    kinds: tuple[str, ...] = ("context",)
    since: dt.date | None = None
    until: dt.date | None = None
    max_nodes: int = DEFAULT_MAX_NODES
    focus: str | None = None
    depth: int = 1
    title: str = "Knowledge graph"


@dataclass(frozen=True, slots=True)
class Explorer:
    """A page's content: the archive's columns and the first view.

    ``labels`` and ``boxes`` (left, right, top, bottom around the centre) are
    per entity of the first view; ``notice`` says what the first view leaves out.
    """

    options: ExplorerOptions
    archive: Archive
    overview: Overview
    labels: tuple[str, ...]
    boxes: tuple[tuple[float, float, float, float], ...]
    notice: str
    focus_iri: str | None = None
    #: whether the focus named its node exactly (its IRI, name or headline), not as the search box guesses
    focus_exact: bool = True

    def __repr__(self) -> str:
        return (f"<Explorer: {len(self.overview.entities):,} of {len(self.overview.ranked):,} "
                f"entities drawn, {len(self.archive.event_headline):,} events>")

    def focus_said(self) -> str | None:
        """What the page opens on, in words (``None`` without a focus): a ``--focus`` may name part
        of a name, and the user is told which it found.

        >>> import kg
        >>> explore(kg.build("examples/wcep-2015-09"), focus="zoran").focus_said()
        'context "Zoran Milanović"'
        """
        if self.focus_iri is None:
            return None
        a = self.archive
        if self.focus_iri in a.entity_iri:
            e = a.entity_iri.index(self.focus_iri)
            return f'{ENTITY_KINDS[a.entity_kind[e]]} "{a.entity_name[e]}"'
        ev = a.event_iri.index(self.focus_iri)
        return f'the event of {a.days[a.event_day[ev]]} "{bound_text(a.event_headline[ev], 80)[0]}"'

    def counts(self) -> dict[str, int]:
        """Entities drawn per kind, and events, articles and entities in the page's data.

        ``events`` counts the events the page lists, ``external_events`` those
        of them that only a link names (outside the corpus).

        >>> import kg
        >>> counts = explore(kg.build("examples/wcep-2015-09")).counts()
        >>> counts["events"], counts["external_events"]
        (428, 0)
        """
        drawn = Counter(ENTITY_KINDS[self.archive.entity_kind[e]] for e in self.overview.entities)
        counts = {f"drawn_{k}": drawn[k] for k in ENTITY_KINDS}
        counts.update(events=len(self.archive.event_headline),
                      external_events=self.archive.event_in_corpus.count(0),
                      articles=len(self.archive.article_url),
                      contexts=self.archive.entity_count("context"),
                      publishers=self.archive.entity_count("publisher"))
        return counts


def parse_kinds(kinds: str | Iterable[str] | None) -> tuple[str, ...]:
    """Check entity kind names (a list or a comma-separated string).

    >>> parse_kinds("context, publisher"), parse_kinds("Publisher,CONTEXT")
    (('context', 'publisher'), ('publisher', 'context'))
    >>> parse_kinds("event")
    Traceback (most recent call last):
    ...
    kg.errors.ViewError: unknown entity kind(s) ['event']; known: context, publisher
    >>> parse_kinds("contexts")
    Traceback (most recent call last):
    ...
    kg.errors.ViewError: unknown entity kind(s) ['contexts'] (did you mean 'context'?); known: context, publisher
    >>> parse_kinds(" , ")
    Traceback (most recent call last):
    ...
    kg.errors.ViewError: no entity kind named: name one or more of context, publisher
    """
    if kinds is None:
        return ("context",)
    names = [t.strip() for t in (kinds.split(",") if isinstance(kinds, str) else kinds)]
    # (in any case, as format names are read: "Publisher,CONTEXT")
    names = [t.lower() if t.lower() in ENTITY_KINDS else t for t in names if t]
    if not names:
        raise ViewError(f"no entity kind named: name one or more of {', '.join(ENTITY_KINDS)}")
    unknown = [t for t in names if t not in ENTITY_KINDS]
    if unknown:
        near = list(dict.fromkeys(k for t in unknown for k in closest_names(t.casefold(), ENTITY_KINDS, n=1)))
        hint = f" (did you mean {' or '.join(repr(k) for k in near)}?)" if near else ""
        raise ViewError(f"unknown entity kind(s) {unknown}{hint}; known: {', '.join(ENTITY_KINDS)}")
    return tuple(dict.fromkeys(names))


def _date(value: dt.date | str | None, what: str) -> dt.date | None:
    try:  # as the analyst's filters read it: since from a month's (year's) first day, until to its last
        return first_day(value) if what == "since" else last_day(value)
    except ArgumentError as err:
        raise ViewError(f"{what} must be a day YYYY-MM-DD, a week YYYY-Www, a month YYYY-MM, a quarter YYYY-Qn or a "
                        f"year YYYY, not {value!r}") from err


def explore(graph: KnowledgeGraph, *, kinds: str | Iterable[str] | None = None,
            since: dt.date | str | None = None, until: dt.date | str | None = None,
            max_nodes: int = DEFAULT_MAX_NODES, focus: str | None = None, depth: int = 1,
            title: str | None = None) -> Explorer:
    """Decide what a page of ``graph`` holds and draws first.

    Parameters
    ----------
    graph : KnowledgeGraph
    kinds : str or list of str, optional
        Entity kinds of the overview: ``"context"`` (default), ``"publisher"``.
    since, until : date or ISO string, optional
        Keep the events of these days (inclusive): a day, or a month ``"2026-07"`` or a
        year ``"2026"``, ``since`` from its first day and ``until`` to its last.
    max_nodes : int
        Entities in the first view, 1 to :data:`MAX_NODES_LIMIT`.
    focus : str, optional
        A name (entity or headline, any case), IRI or prefixed name (``context:Iran``, as
        ``kg query`` prints it) the page opens on.
    depth : int
        0 selects the focus, 1 expands it, 2 expands its events too.
    title : str, optional
        The page's heading (the corpus name by default): text without control characters, not blank.

    Returns
    -------
    Explorer

    Raises
    ------
    ViewError
        For an unknown kind, a reversed range, a bad size or depth, or a focus
        that names nothing in the page.

    Examples
    --------
    >>> import kg
    >>> ex = explore(kg.build("examples/wcep-2015-09"), focus="Iran", max_nodes=50)
    >>> ex.counts()["drawn_context"], ex.options.focus
    (50, 'Iran')
    """
    options = ExplorerOptions(parse_kinds(kinds), _date(since, "since"), _date(until, "until"),
                              max_nodes, focus, depth,
                              title if title is not None else default_title(graph.report.corpus))
    if options.since and options.until and options.since > options.until:
        raise ViewError(f"since ({options.since}) is after until ({options.until})")
    if not 0 <= depth <= 2:
        raise ViewError(f"depth must be 0, 1 or 2, not {depth}")
    if not 1 <= max_nodes <= MAX_NODES_LIMIT:
        raise ViewError(f"max_nodes must be 1 to {MAX_NODES_LIMIT}, not {max_nodes}")
    if title is not None and not title.strip():  # (an unset variable, most often: a page without a heading)
        raise ViewError(f"the title must hold some text, not {title!r}: leave it out for the corpus name")
    if any(unicodedata.category(c) in ("Cs", "Cc") for c in options.title):
        # (a byte that is no UTF-8 in a shell's argument reaches Python as a lone surrogate, which no
        # page can hold; a control character would hide in the heading)
        raise ViewError(f"the title must be text without control characters or bytes that are no UTF-8, "
                        f"not {options.title!r}")
    archive = archive_columns(graph, since=options.since, until=options.until)
    if not archive.event_iri and (options.since or options.until) and graph.days:
        raise ViewError(f"no event lies between {options.since or 'the start'} and {options.until or 'the end'}: "
                        f"the graph's days run from {min(graph.days)} to {max(graph.days)}")
    if focus is not None and not focus.strip():
        raise ViewError("an empty focus names nothing: give a name, a headline or an IRI")
    focus_iri = None
    exact = True
    if focus is not None:
        # As typed, then as names are keyed (invisible characters dropped: "Ir\u200ban" is "Iran").
        keyed = clean_name(focus)[0]
        for spelling in dict.fromkeys((focus, keyed) if keyed else (focus,)):
            focus_iri = (named_as_kg_query_prints(archive, graph.base_iri, spelling)
                         or find_exactly(archive, spelling))
            if focus_iri is not None:
                break
        focus = keyed or focus
    if focus is not None and focus_iri is None:
        if (options.since or options.until) and named_exactly(graph, focus):
            # Not another name that holds it: the one it names lies outside the period.
            raise ViewError(f"{focus!r} has no event between {options.since or 'the start'} and "
                            f"{options.until or 'the end'}")
        focus_iri = find(archive, focus)
        exact = focus_iri is not None and spelt_as(archive, focus_iri, focus)  # ("NATO", typed in capitals)
    if focus is not None and focus_iri is None:
        raise not_found(graph, archive, focus, options)
    ov = overview(archive, kinds=options.kinds, max_nodes=max_nodes)
    labels = tuple(bound_text(archive.entity_name[e], LABEL_LENGTH)[0] for e in ov.entities)
    boxes = tuple((b.left, b.right, b.top, b.bottom) for b in
                  (label_box(t, s, f) for t, s, f in zip(labels, ov.size, ov.font, strict=False)))
    left_out = len(ov.ranked) - len(ov.entities)
    drawn = len(ov.entities)
    # (months' leaders may stand in for the last of the busiest: so that a brushed month has its own)
    which = (f"the {drawn:,} entities with most events" if drawn > 1 else "the entity with most events") \
        if set(ov.entities) == set(ov.ranked[:drawn]) else \
        f"{drawn:,} entities, those with most events and the busiest of months,"
    notice = "" if not left_out else (
        f"The first view draws {which} of {len(ov.ranked):,}; search, click or expand to reach the other "
        f"{left_out:,}.")
    if not archive.event_in_corpus.count(1):
        notice = "The corpus has no events: there is nothing to draw." if not graph.days else \
            "The corpus has no event pages, only days: there is nothing to draw."
    return Explorer(options, archive, ov, labels, boxes, notice, focus_iri, exact)
