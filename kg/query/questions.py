"""The questions analysts ask, answered in one line as pandas DataFrames.

Every answer is a :class:`pandas.DataFrame` with ``datetime64[ns]`` dates
(:data:`DAY_DTYPE`, as :func:`kg.query.analyst.sparql` gives ``xsd:date`` values),
readable labels (headlines, names) and, where the row is a node, its IRI in
an ``iri`` column.  The functions read the model directly (no SPARQL store),
from a per-graph table of events kept in the graph's cache.

Filters are shared by :func:`events`, :func:`top_contexts` and
:func:`top_publishers`:

``context`` / ``publisher``
    A name, matched without regard to case or accents ("sao paulo" finds
    "São Paulo"); a list of names means *any* of them; ``kg.all_of(a, b)``
    means *all* of them (a list may hold such names: ``[kg.all_of(a, b), c]``
    is both a and b, or c).  An unknown name raises
    :class:`~kg.errors.UnknownNameError` (a ``KeyError``) naming the closest
    known names.  A publisher matches the source name as written ("AFP via
    France 24"), the publisher ("AFP") and the distributor ("France 24"), see
    :mod:`kg.parse.publishers`; so does an organization's IRI (``organization:AFP``,
    as :func:`top_publishers` names it). A publisher node's IRI (``publisher:Reuters``)
    matches that node alone: the name as written.
``since`` / ``until``
    Dates (``datetime.date``, ``pandas.Timestamp`` or ``"YYYY-MM-DD"``),
    both included; or a month ``"YYYY-MM"`` or a year ``"YYYY"``: ``since``
    from its first day, ``until`` to its last (see :func:`kg.arguments.as_period`).
``text``
    Words (a string, or a list of them) that must all appear in the headline,
    case, accents and punctuation ignored; a word matches the start of a longer
    one (``"drone"`` finds "drones", ``"iran"`` finds "Iranian", ``"ban"`` not "Lebanon"), but one of
    one or two characters, or a dotted abbreviation, only a whole word (or
    one with an "s"); two letters typed in capitals (``"UN"``), where some
    headline writes them so, only a whole word in capitals; and one of three
    or four letters typed in capitals (``"NATO"``), where some headline writes
    it so, only a whole word that begins with a capital: see
    :mod:`kg.query.textsearch`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Any, Final

from kg import iri
from kg.arguments import checks_keywords, day_range, whole_number
from kg.callsite import warn_at_caller
from kg.errors import ArgumentError, UnknownNameError
from kg.model import Event, KnowledgeGraph, check_graph
from kg.parse.publishers import organization_key
from kg.parse.records import PageKey
from kg.query.eventrows import (
    TIMELINE_ADVICE,
    EventRow,
    event_key,
    event_rows,
    match_names,
    name_index,
    say_alike_names,
)
from kg.query.frames import DAY_DTYPE, DAY_UNIT, answer_frame, as_days
from kg.query.frequencies import FREQUENCIES, timeline_offset, whole_periods
from kg.query.names import AllOf, Match, NameFilter, name_list
from kg.query.stats import ranked as top_counts
from kg.query.textsearch import filter_terms, holds_term, settle_capitals
from kg.table import organization_labels, organization_names

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["EventRow", "event_key", "event_rows", "name_index", "select", "events", "timeline", "timeline_offset",
           "cooccurring", "top_contexts", "top_publishers", "around", "as_days", "DAY_DTYPE", "FREQUENCIES", "RANK_BY",
           "RANKED_NODES"]


def select(graph: KnowledgeGraph, context: NameFilter | None = None,
           publisher: NameFilter | None = None, since: Any = None, until: Any = None,
           text: str | Iterable[str] | None = None, *, include_external: bool = False,
           domain: NameFilter | None = None) -> list[EventRow]:
    """The events matching every given filter (see the module's docstring), oldest first, a day's as its
    day page lists them.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> rows = select(g, context="iran", until="2015-09-10")
    >>> all("Iran" in r.contexts and r.key.date.day <= 10 for r in rows), len(rows) > 0
    (True, True)
    """
    first, last = day_range(since, until)
    if first or last:  # (external events' days count: an answer may hold them)
        _say_if_outside([r.key.date for r in event_rows(graph)] + list(graph.days), first, last)
    about: Match | None = match_names(graph, "context", context) if context is not None else None
    outlet: Match | None = match_names(graph, "publisher", publisher) if publisher is not None else None
    site: Match | None = match_names(graph, "domain", domain) if domain is not None else None
    words = settle_capitals(filter_terms(text), (row.words for row in event_rows(graph)))
    out = []
    for row in event_rows(graph):
        date = row.key.date
        if (not (row.in_corpus or include_external) or (first and date < first)
                or (last and date > last)):
            continue
        if about is not None and not about.accepts(row.contexts):
            continue
        if outlet is not None and not outlet.accepts(row.outlets):
            continue
        if site is not None and not site.accepts(row.domains):
            continue
        if words and not all(holds_term(row.words, row.folded, t) for t in words):
            continue
        out.append(row)
    return out


_EVENT_COLUMNS = ["date", "headline", "contexts", "publishers", "distributors", "domains",
                  "sources", "articles", "path", "iri"]


def _event_tuple(graph: KnowledgeGraph, row: EventRow) -> tuple[Any, ...]:
    return (row.key.date, row.headline, row.contexts, row.publishers, row.distributors,
            row.domains, row.sources, len(graph.event_records[row.key].sources), row.key.path,
            iri.event_iri(graph.base_iri, row.key))


@checks_keywords
def events(graph: KnowledgeGraph, context: NameFilter | None = None,
           publisher: NameFilter | None = None, since: Any = None, until: Any = None,
           text: str | Iterable[str] | None = None, *, include_external: bool = False,
           domain: NameFilter | None = None) -> pandas.DataFrame:
    """The events matching every given filter, oldest first, a day's as its day page lists them.

    ``domain`` keeps the events citing an article of a web host (``"reuters.com"``, without ``www.``),
    as ``top_publishers(by="domain")`` counts them; a list of them, any of them.

    Returns
    -------
    pandas.DataFrame
        ``date`` (datetime64[ns]), ``headline``, ``contexts``, ``publishers``,
        ``distributors``, ``domains``, ``sources`` (tuples of names, distinct and
        sorted: the names its articles are credited under, as written),
        ``articles`` (how many distinct articles, URLs, the event cites; a
        cover image is none), ``path`` and ``iri``.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> df = events(g, context=["Iran", "Iraq"], since="2015-09-10", text="nuclear")
    >>> str(df["date"].dtype), bool(df["headline"].str.lower().str.contains("nuclear").all())
    ('datetime64[ns]', True)
    >>> september = events(g, since="2015-09", until="2015-09")  # a month: from its first day to its last
    >>> september.equals(events(g, since="2015-09-01", until="2015-09-30")), len(september) == len(events(g))
    (True, True)
    >>> events(g, context="Irn")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownNameError: no context 'Irn' in the graph; did you mean 'Iran'...?
    """
    check_graph(graph, "kg.events")
    rows = select(graph, context, publisher, since, until, text, include_external=include_external, domain=domain)
    return answer_frame([_event_tuple(graph, r) for r in rows], _EVENT_COLUMNS, ["date"], ["articles"])


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
    if _say_if_outside(dates, since, until):  # (no day: an empty frame, whatever the period; the warning says why)
        return lowest, lowest - dt.timedelta(days=1)
    return max(since or lowest, lowest), min(until or highest, highest)


def _say_if_outside(dates: list[dt.date], since: dt.date | None, until: dt.date | None) -> bool:
    """Warn that a period asked for lies wholly outside the graph's days (and say whether it does): an
    answer of nothing then says nothing of the question (a mistyped year, a graph of another period)."""
    outside = bool(dates) and bool((since and since > max(dates)) or (until and until < min(dates)))
    if outside:
        warn_at_caller(f"the period asked for ({since or '...'} to {until or '...'}) is outside the graph's days "
                      f"({min(dates)} to {max(dates)}): nothing in it")
    return outside


@checks_keywords
def timeline(graph: KnowledgeGraph, names: str | AllOf | Iterable[str | AllOf], freq: str = "D",
             since: Any = None, until: Any = None, *, by: str = "context", whole: bool = False) -> pandas.DataFrame:
    """Events per period about each of ``names``: one column a name, zeros included.

    Parameters
    ----------
    names : str, kg.all_of(...), or a list of them
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
        ``"YE"``, ``"2W"`` ... (see :func:`timeline_offset`).
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
        :func:`events` gives days), one integer column per name (the graph's
        spelling; a name of another kind than ``by`` prefixed by its kind,
        ``context:Iran``, an organization as its IRI ends, ``organization:afp``), ready for ``df.plot()``.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> df = timeline(g, ["syria", "Iran"], freq="W")
    >>> list(df.columns), str(df.index.dtype), int(df["Iran"].sum()) == len(events(g, context="Iran"))
    (['Syria', 'Iran'], 'datetime64[ns]', True)
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
        raise ArgumentError(f"a timeline is by one of {sorted(_HOLDS)}, not {by!r}")
    wanted = name_list(names, "a timeline's names")
    if not wanted:  # as the filters refuse an empty list: a frame of no column is a question not asked
        raise ArgumentError(f"a timeline of no {by} names: give one or more")
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


@checks_keywords
def cooccurring(graph: KnowledgeGraph, name: NameFilter, since: Any = None, until: Any = None,
                n: int | None = None) -> pandas.DataFrame:
    """Contexts that share events with ``name``, most shared first.

    Returns
    -------
    pandas.DataFrame
        ``context``, ``events`` (events about both), ``share`` (of the events
        about ``name``), ``iri``.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> df = cooccurring(g, "Syria", n=3)
    >>> list(df.columns), "Syria" in set(df["context"])
    (['context', 'events', 'share', 'iri'], False)
    """
    check_graph(graph, "kg.cooccurring")
    if type(since) is int and 0 < since < 1000 and n is None:  # (a year is four digits)
        raise ArgumentError(f"cooccurring takes since and until before n: the number of rows is given by "
                                f"name, kg.cooccurring(g, {name!r}, n={since})")
    rows = select(graph, context=name, since=since, until=until)
    asked = name_index(graph, "context").match(name).names
    counts = Counter(c for r in rows for c in r.contexts if c not in asked)
    ranked = top_counts(counts, n)
    frame = answer_frame([(c, k, k / len(rows), iri.context_iri(graph.base_iri, c)) for c, k in ranked],
                   ["context", "events", "share", "iri"], counts=["events"])
    frame["share"] = frame["share"].astype("float64")  # a ratio, even when no row made it one
    return frame


@checks_keywords
def top_contexts(graph: KnowledgeGraph, n: int | None = 10, context: NameFilter | None = None,
                 publisher: NameFilter | None = None, since: Any = None, until: Any = None,
                 text: str | Iterable[str] | None = None) -> pandas.DataFrame:
    """Contexts ranked by the number of matching events about them (ties by name).

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> top_contexts(g, 2, publisher="Reuters", since="2015-09-15").columns.tolist()
    ['context', 'events', 'iri']
    """
    check_graph(graph, "kg.top_contexts")
    rows = select(graph, context, publisher, since, until, text)
    counts = Counter(c for r in rows for c in r.contexts)
    ranked = top_counts(counts, n)
    return answer_frame([(c, k, iri.context_iri(graph.base_iri, c)) for c, k in ranked],
                  ["context", "events", "iri"], counts=["events"])


#: what a timeline can be by -> the names an event holds for it
_HOLDS: dict[str, Callable[[EventRow], Collection[str]]] = {
    "context": lambda r: r.contexts,
    "publisher": lambda r: r.outlets,
    "source": lambda r: r.sources,
    "distributor": lambda r: r.distributors,
    "domain": lambda r: r.domains,
}

#: what top_publishers can group by -> the names an event holds for it
RANK_BY: dict[str, Callable[[EventRow], Collection[str]]] = {
    "publisher": lambda r: r.publishers,
    "distributor": lambda r: r.distributors,
    "domain": lambda r: r.domains,
    "source": lambda r: r.sources,
}

#: the nodes ranked names are, per grouping: (the graph's names that are nodes, their IRI)
RANKED_NODES: dict[str, tuple[Callable[[KnowledgeGraph], Collection[str]], Callable[[str, str], str]]] = {
    "publisher": (organization_names, iri.organization_iri),
    "distributor": (organization_names, iri.organization_iri),
    "source": (lambda g: g.publishers, iri.publisher_iri),
}


@checks_keywords
def top_publishers(graph: KnowledgeGraph, n: int | None = 10, context: NameFilter | None = None,
                   publisher: NameFilter | None = None, since: Any = None, until: Any = None,
                   text: str | Iterable[str] | None = None, *, by: str = "publisher") -> pandas.DataFrame:
    """Publishers ranked by the number of matching events citing them (ties by name).

    ``by`` groups by ``"publisher"`` ("AFP via France 24" counts for AFP),
    ``"distributor"`` (France 24), ``"domain"`` (the article's web host) or
    ``"source"`` (the name as written).  The ``iri`` column holds the node
    of that name (:data:`RANKED_NODES`): an organization for a publisher or
    distributor, a publisher node for a source name; none for a domain.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> top_publishers(g, 3, context="Syria", by="domain").columns.tolist()
    ['domain', 'events', 'iri']
    >>> top_publishers(g, 1)["iri"].str.rsplit("/", n=2).str[-2:].tolist()
    [['organization', 'reuters']]
    """
    check_graph(graph, "kg.top_publishers")
    try:
        held = RANK_BY[by]
    except KeyError:
        raise ArgumentError(f"cannot rank publishers by {by!r}; use one of {sorted(RANK_BY)}") from None
    rows = select(graph, context, publisher, since, until, text)
    counts = Counter(p for r in rows for p in held(r))
    ranked = top_counts(counts, n)
    nodes = RANKED_NODES.get(by)
    known, mint = (set(nodes[0](graph)), nodes[1]) if nodes else (set(), iri.publisher_iri)
    return answer_frame([(p, k, mint(graph.base_iri, p) if p in known else None)
                   for p, k in ranked], [by, "events", "iri"], counts=["events"])


@checks_keywords
def around(graph: KnowledgeGraph, event: PageKey | Event | str, days: int = 7, *,
           shared: bool = True) -> pandas.DataFrame:
    """The events within ``days`` days of ``event`` (itself left out), by date.

    With ``shared=True`` (the default) only those sharing a context with it.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`events` with two more: ``date`` (datetime64[ns]), ``offset`` (days
        after the event, negative before), ``headline``, ``shared`` (contexts in common),
        ``contexts``, ``publishers``, ``distributors``, ``domains``, ``sources``, ``articles``,
        ``path``, ``iri``.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> key = next(k for k, cs in g.event_contexts.items() if "Syria" in cs)
    >>> df = around(g, key, days=3)
    >>> bool(df["offset"].abs().max() <= 3), all(df["shared"].map(len) > 0)
    (True, True)
    >>> [c for c in df.columns if c not in ("offset", "shared")] == list(events(g).columns)
    True
    """
    check_graph(graph, "kg.around")
    days = whole_number(days, "days")  # (numpy's integers too: timedelta takes no other)
    key = event_key(graph, event)
    own = set(graph.event_contexts.get(key, ()))
    # A window past the calendar's ends (days=10**6) reaches to them: every event is within it.
    since = key.date - dt.timedelta(days=min(days, (key.date - dt.date.min).days))
    until = key.date + dt.timedelta(days=min(days, (dt.date.max - key.date).days))
    rows = select(graph, since=since, until=until)
    out = []
    for r in rows:
        common = tuple(c for c in r.contexts if c in own)
        if r.key == key or (shared and not common):
            continue
        date, headline, *rest = _event_tuple(graph, r)
        out.append((date, (r.key.date - key.date).days, headline, common, *rest))
    # (the columns of kg.events, with the offset and the contexts shared: frames of both concatenate)
    return answer_frame(out, [*_EVENT_COLUMNS[:1], "offset", _EVENT_COLUMNS[1], "shared", *_EVENT_COLUMNS[2:]],
                  ["date"], ["offset", "articles"])
