"""Events per period about each of some names: :func:`timeline`, a frame ready to plot.

A timeline counts the events that :func:`kg.query.questions.events` would give
for each name, day by day, then sums the days into periods (weeks, months, any
pandas offset of whole days; see :mod:`kg.query.frequencies`).  Its names are
contexts by default, or publishers, sources as written, distributors or web
hosts (``by=``); a prefixed name or IRI (``organization:AFP``) says its own kind.
The span is cut to the graph's days, which alone it can say anything of.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Any, Final

from kg import iri
from kg.arguments import day_range, did_you_mean
from kg.callsite import warn_at_caller
from kg.errors import ArgumentError, UnknownNameError
from kg.keywords import checks_keywords
from kg.model import KnowledgeGraph, check_graph
from kg.parse.publishers import organization_key
from kg.query.eventrows import TIMELINE_ADVICE, EventRow, event_rows, match_names, name_index, say_alike_names
from kg.query.frames import DAY_UNIT
from kg.query.frequencies import timeline_offset, whole_periods
from kg.query.names import AllOf, Match, name_list
from kg.query.questions import say_if_outside
from kg.table import organization_labels, organization_names

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["timeline"]


@checks_keywords
def timeline(graph: KnowledgeGraph, names: str | AllOf | Iterable[str | AllOf] | None = None, freq: str = "D",
             since: Any = None, until: Any = None, *, by: str = "context", whole: bool = False) -> pandas.DataFrame:
    """Events per period about each of ``names``: one column a name, zeros included.

    Parameters
    ----------
    names : str, kg.all_of(...), a list of them, or None
        None (the default): every event, one column ``events``.
        Context names (or publisher names with ``by="publisher"``, as the
        ``publisher=`` filter matches them; the names articles are credited
        under, as written, with ``by="source"``, as
        ``top_publishers(by="source")`` ranks them; with ``by="distributor"`` the
        events where the name carries another's article, as
        ``top_publishers(by="distributor")`` counts them; or the articles' web
        hosts with ``by="domain"``, ``"reuters.com"``); a prefixed name or IRI
        (``"publisher:Reuters"``, ``"organization:AFP"``) says its own kind.
        One column each, :func:`~kg.query.names.all_of` names together as ``"a & b"``.
    freq : str or pandas.DateOffset, default "D"
        Days (``"D"`` or ``"day"``), weeks (``"W"`` or ``"week"``, labelled by
        their last day, a Sunday) or months (``"MS"`` or ``"month"``, labelled
        by their first day); or any other pandas offset alias (or offset) of
        whole days, with pandas' meaning, as :meth:`pandas.DataFrame.resample`
        labels it: ``"W-MON"`` (weeks ending on, and labelled by, a Monday),
        ``"ME"`` or ``"M"`` (months, labelled by their last day), ``"QS"``,
        ``"YE"``, ``"2W"`` ... (see :func:`~kg.query.frequencies.timeline_offset`).
    since, until : date, str, optional
        The span, both included; by default the graph's first and last day.
        A month ``"YYYY-MM"`` or a year ``"YYYY"`` as ``since`` is its first
        day, as ``until`` its last, as the filters read them.  A span that
        reaches past the graph's days is cut to them: the graph says nothing
        of the days around it, which zeros would read as quiet.
    whole : bool, default False
        Keep only the periods that the span holds whole: a first week from a
        Wednesday, or a last month to its 22nd, would read as a fall.

    Returns
    -------
    pandas.DataFrame
        A :class:`~pandas.DatetimeIndex` named ``date`` (datetime64[ns], as
        :func:`kg.events` gives days), one integer column per name (the graph's
        spelling; a name of another kind than ``by`` prefixed by its kind,
        ``context:Iran``, an organization as its IRI ends, ``organization:afp``), ready for ``df.plot()``.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> df = timeline(g, ["syria", "Iran"], freq="W")
    >>> list(df.columns), str(df.index.dtype), int(df["Iran"].sum()) == len(kg.events(g, context="Iran"))
    (['Syria', 'Iran'], 'datetime64[ns]', True)
    >>> every = timeline(g, freq="W")  # every event: one column
    >>> list(every.columns), int(every["events"].sum()) == len(kg.events(g))
    (['events'], True)
    >>> list(timeline(g, ["Iran", "organization:AFP"]).columns)
    ['Iran', 'organization:afp']
    >>> [int(timeline(g, "Reuters", by=by)["Reuters"].sum()) for by in ("source", "publisher")]
    [63, 82]
    >>> [str(d.date()) for d in timeline(g, "Iran", freq="ME").index]  # pandas' month ends
    ['2015-09-30']
    >>> [str(d.date()) for d in timeline(g, "Iran", freq="W-MON", until="2015-09-15").index]
    ['2015-09-07', '2015-09-14', '2015-09-21']
    >>> [str(d.date()) for d in timeline(g, "Iran", freq="W-MON", until="2015-09-15", whole=True).index]
    ['2015-09-07', '2015-09-14']
    """
    check_graph(graph, "kg.timeline")
    from kg.extras import require

    require("pandas")
    import pandas as pd

    offset = timeline_offset(freq)
    if by not in _HOLDS:
        raise ArgumentError(f"a timeline is by one of {sorted(_HOLDS)}, not {by!r}{did_you_mean(by, _HOLDS)}")
    if names is None and by != "context":  # (every event, one column: no names for by= to read)
        raise ArgumentError(f"by={by!r} reads the names asked, and none were: kg.timeline(g, names, by={by!r}); "
                            "kg.timeline(g) counts every event")
    wanted = [] if names is None else name_list(names, "a timeline's names")
    if not wanted and names is not None:  # as the filters refuse an empty list: a frame of no column is a
        raise ArgumentError(f"a timeline of no {by} names: give one or more")  # question not asked
    first, last = _span(graph, since, until)
    lowest, highest = pd.Timestamp.min.date() + dt.timedelta(days=1), pd.Timestamp.max.date()
    # (the days of datetime64[ns], the dtype of every answer's days)
    if not lowest <= min(first, last) <= max(first, last) <= highest:
        raise ArgumentError(f"a timeline's days lie from {lowest} to {highest}, as pandas holds them: "
                            f"not {first} to {last}")
    days = pd.date_range(first, last, freq="D", name="date", unit=DAY_UNIT)
    columns: dict[str, Any] = {}
    kinds: dict[str, str] = {}
    asked: dict[tuple[str, str], str | AllOf] = {}  # what a column counts -> the name asked for it
    spellings = organization_labels(graph)
    # A publisher node's IRI matches that node alone, not the name's organization: its column is
    # named by its prefixed name ("publisher:Reuters"), beside a column "Reuters" for the name.
    nodes = {iri.publisher_iri(graph.base_iri, n): f"publisher:{iri.encode_name(n)}" for n in graph.publishers}
    contexts: set[str] = set()  # the contexts the columns count
    for name in wanted:
        kind = _kind_named(graph, name, by)
        match = _timeline_match(graph, name, kind)
        contexts.update(match.names if kind == "context" else ())
        # A column is named as the graph spells the name; kg.all_of(a, b) as "a & b".
        label = (next(iter(match.names)) if len(match.names) == 1
                 else " & ".join(name.names) if isinstance(name, AllOf) else name)
        label = nodes.get(label, label) if kind == "publisher" else label
        # (spellings of one organization count the same events: "Ansa" and "ANSA", "organization:ansa")
        counts = (kind, organization_key(label)) if kind == "publisher" and label in spellings else (kind, label)
        if kind != by and len(match.names) == 1 and label not in nodes.values():
            # ("organization:AFP" in a timeline by context): a bare "AFP" would read as a context's column;
            # an organization's is named as its IRI ends (organization:afp), whichever spelling names it now
            label = (f"organization:{iri.organization_iri(graph.base_iri, label).rpartition('/')[2]}"
                     if kind == "publisher" else f"{kind}:{iri.encode_name(label)}")
        if label in columns and kinds[label] != kind and isinstance(name, str):
            label = name  # ("Azerbaijan" and "organization:Azerbaijan": two kinds, each column named as asked)
        if counts in asked or label in columns:  # ("Iran" and "iran"): one column would stand for two names
            raise ArgumentError(f"{name!r} names the same {kind} as another name asked, "
                                f"{asked.get(counts, label)!r}: give it once")
        asked[counts] = name
        if kind == by == "context" and isinstance(name, str) and name in name_index(graph, "publisher"):
            warn_at_caller(f"{label!r} is a context and a publisher's name: its column counts the events about the "
                          f"context; by='publisher' counts those citing the publisher")
        kinds[label] = kind
        held = _HOLDS[kind]
        per_day = Counter(r.key.date for r in event_rows(graph)
                          if r.in_corpus and first <= r.key.date <= last and match.accepts(held(r)))
        columns[label] = pd.Series([per_day.get(d.date(), 0) for d in days], index=days, dtype="int64")
    if names is None:
        per_day = Counter(r.key.date for r in event_rows(graph) if r.in_corpus and first <= r.key.date <= last)
        columns["events"] = pd.Series([per_day.get(d.date(), 0) for d in days], index=days, dtype="int64")
    say_alike_names(graph, "context", contexts, wanted, TIMELINE_ADVICE)
    frame: pd.DataFrame = pd.DataFrame(columns, index=days)
    if offset != pd.offsets.Day():  # (days are the frame's rows already)
        try:
            frame = frame.resample(offset).sum().astype("int64")
        except (pd.errors.OutOfBoundsDatetime, OverflowError) as err:  # a period's label past 2262
            raise ArgumentError(f"periods of {freq!r} from {first} to {last} reach past the days pandas holds "
                                f"({lowest} to {highest})") from err
        frame.index.name = "date"
        if whole and not frame.empty:  # (empty: a period outside the graph's days, said already)
            frame = frame[whole_periods(offset, first, last).reindex(frame.index, fill_value=False).to_numpy()]
            if frame.empty:  # (an empty frame would read as no events)
                warn_at_caller(f"no period of {freq!r} lies whole between {first} and {last}: the frame is empty; "
                              f"whole=False keeps the periods the span cuts")
    return frame


#: what a timeline can be by -> the names an event holds for it
_HOLDS: dict[str, Callable[[EventRow], Collection[str]]] = {
    "context": lambda r: r.contexts,
    "publisher": lambda r: r.outlets,
    "source": lambda r: r.sources,
    "distributor": lambda r: r.distributors,
    "domain": lambda r: r.domains,
}

#: The prefixes of names, and folders of IRIs (see :mod:`kg.iri`), that say which kind of name a timeline counts.
_PREFIXED: Final = {"publisher": "publisher", "organization": "publisher", "context": "context"}
#: (a prefixed name's kind, by) that a column counts by ``by``: the names ``by`` names nodes of
_STAYS: Final = {("organization", "distributor"), ("publisher", "source")}


def _kind_named(graph: KnowledgeGraph, name: str | AllOf, by: str) -> str:
    """The kind of names a timeline's column counts: ``by``, unless its name is a prefixed name or
    an IRI of a kind (``publisher:Reuters``, ``organization:AFP``, ``context:Iran``).  An
    organization counted ``by="distributor"`` stays a distributor, as top_publishers' ``iri``
    column names it there; so does a publisher node ``by="source"``, the source as written."""
    first = name.names[0] if isinstance(name, AllOf) else name
    text = first if isinstance(first, str) else ""  # (what is not a name is refused by the index)
    if text.startswith(graph.base_iri):
        kind = text[len(graph.base_iri):].partition("/")[0]
    else:
        kind, colon, _ = text.partition(":")
        kind = kind if colon else ""
    return by if (kind, by) in _STAYS else _PREFIXED.get(kind, by)


def _timeline_match(graph: KnowledgeGraph, name: str | AllOf, kind: str) -> Match:
    """``name`` resolved among the names of ``kind``; a context asked for that is only a publisher's
    name is refused with the prefixed name that counts it."""
    try:
        return match_names(graph, kind, name, TIMELINE_ADVICE, say_alike=False)  # (said of all the names at once)
    except UnknownNameError as err:
        found = name_index(graph, "publisher").names(err.name) if kind == "context" else ()
        if len(found) != 1:  # (several spellings: no one prefixed name counts them all)
            raise
        known = found[0]
        if known in organization_names(graph):  # (its organization: "New York Times", 45 events, not 1 as written)
            node = iri.organization_iri(graph.base_iri, known)
            raise UnknownNameError(kind, err.name, (f"organization:{node.rpartition('/')[2]}",)) from err
        if known in graph.publishers:
            raise UnknownNameError(kind, err.name, (f"publisher:{iri.encode_name(known)}",)) from err
        raise


def _span(graph: KnowledgeGraph, since: Any, until: Any) -> tuple[dt.date, dt.date]:
    """A timeline's first and last day: ``since`` to ``until``, cut to the graph's days where they overlap.

    The graph says nothing of a day outside its own: a zero there would read as a quiet day (a
    month it covers from its 26th as a whole one, January as a month of no news)."""
    dates = [r.key.date for r in event_rows(graph) if r.in_corpus] + list(graph.days)
    since, until = day_range(since, until)
    if not dates:
        first = since or dt.date.today()
        return first, until or first
    lowest, highest = min(dates), max(dates)
    if say_if_outside(dates, since, until):  # (no day: an empty frame, whatever the period; the warning says why)
        return lowest, lowest - dt.timedelta(days=1)
    return max(since or lowest, lowest), min(until or highest, highest)
