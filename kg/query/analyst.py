"""Ask the graph questions: SPARQL over an embedded store, and everyday questions.

:func:`sparql` answers a SPARQL 1.1 query from a pyoxigraph
:class:`~pyoxigraph.Store` that is filled once per graph and kept in the
graph's cache; our prefixes (``kg:``, ``schema:``, ``event:``, ``context:``
...) are bound.  A SELECT gives a :class:`pandas.DataFrame` of Python values
(days, ``xsd:date``, as ``datetime64[ns]`` like the ``date`` of :func:`events`),
an ASK a ``bool``, a CONSTRUCT or DESCRIBE an :class:`rdflib.Graph`.

The everyday questions (:func:`contexts_of`, :func:`publishers_of`, and
:func:`events`, ... from :mod:`kg.query.questions`, :func:`timeline` from
:mod:`kg.query.timeline`) read the model directly: they need no store.  Events can be named by their
:class:`~kg.parse.records.PageKey`, :class:`~kg.model.Event`, page path or IRI.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kg.callsite import warn_at_caller
from kg.errors import ArgumentError, UnknownEventError
from kg.keywords import checks_keywords, checks_keywords_as
from kg.memo import GraphMemo
from kg.model import Event, KnowledgeGraph, check_graph
from kg.parse.records import PageKey
from kg.query.limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, Limits
from kg.query.questions import (  # the questions kept importable from here
    as_days,
    event_key,
    events,
    top_contexts,
    top_publishers,
)
from kg.query.terminal import cell_text
from kg.query.termvalues import to_python  # kept importable from here too
from kg.query.timeline import timeline  # kept importable from here too

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import pyoxigraph
    import rdflib

    from kg.query.sparql import Answer

__all__ = [
    "UnknownEventError",
    "store",
    "sparql",
    "to_python",
    "event_key",
    "events",
    "contexts_of",
    "publishers_of",
    "timeline",
    "top_contexts",
    "top_publishers",
    "format_result",
    "RESULT_FORMATS",
]

#: per graph: its SPARQL store
_STORES: GraphMemo[pyoxigraph.Store] = GraphMemo("query.store")

# ------------------------------------------------------------------ SPARQL

def store(graph: KnowledgeGraph) -> pyoxigraph.Store:
    """The in-memory pyoxigraph store holding ``graph``'s triples (see :func:`kg.query.sparql.graph_store`).

    It is filled on first use and kept beside the graph (see :mod:`kg.memo`),
    so later queries on the same graph cost only the query.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> store(g) is store(g), len(store(g)) > 20_000
    (True, True)
    """
    from kg.query.sparql import graph_store

    return _STORES.get(graph, lambda: graph_store(graph))


def _frame(solutions: Any, prefixes: dict[str, str] | None = None) -> pandas.DataFrame:
    """The solutions as a frame; with ``prefixes``, each IRI (and only an IRI: a text is not) as a prefixed name."""
    from kg.extras import require

    require("pandas")
    import pandas as pd
    import pyoxigraph as ox

    from kg.query.pnames import prefixed_name

    columns = [v.value for v in solutions.variables]
    rows = [[prefixed_name(t.value, prefixes) if prefixes is not None and isinstance(t, ox.NamedNode) else to_python(t)
             for t in (s[c] for c in columns)] for s in solutions]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=columns, dtype=object)
    for name in columns:
        values = [v for v in frame[name] if v is not None]
        if values and all(type(v) is int for v in values):
            # int64, as kg's questions give counts; nullable integers where a value is unbound (which
            # must not turn counts into floats); Python ints where one is past int64 (a literal of the query)
            if all(-(1 << 63) <= v < (1 << 63) for v in values):
                frame[name] = frame[name].astype("int64" if len(values) == len(frame) else "Int64")
        elif values and all(isinstance(v, float) for v in values):
            frame[name] = frame[name].astype(float)
        elif values and all(isinstance(v, bool) for v in values) and len(values) == len(frame):
            frame[name] = frame[name].astype(bool)
        elif values and any(isinstance(v, Decimal) for v in values) \
                and all(isinstance(v, (Decimal, float, int)) and not isinstance(v, bool) for v in values):
            # an AVG or a division gives xsd:decimal: a float column, as numpy and plotting take it
            frame[name] = frame[name].astype("float64")
        elif values and all(isinstance(v, dt.timedelta) for v in values):
            # a duration of days and times (subtracting two days gives one): timedelta64[ns], as pandas'
            # own differences of days; one past what that dtype holds leaves the Python timedeltas
            with contextlib.suppress(ValueError, OverflowError):
                frame[name] = pd.to_timedelta(frame[name]).astype("timedelta64[ns]")
        elif values and all(isinstance(v, dt.datetime) for v in values):
            # xsd:dateTime (NOW(), a cast): datetime64[ns], with its zone where all share one;
            # mixed zones, or a time past what that dtype holds, leave the Python datetimes
            with contextlib.suppress(ValueError, TypeError, pd.errors.OutOfBoundsDatetime):
                frame[name] = pd.to_datetime(frame[name]).dt.as_unit("ns")
        elif values and all(type(v) is dt.date for v in values):  # (a datetime is a date too: left alone)
            # days as kg.events and kg.timeline give them, so that answers merge on the day; a day that
            # datetime64[ns] cannot hold (year 1, 9999) leaves the column Python dates
            with contextlib.suppress(pd.errors.OutOfBoundsDatetime):
                frame[name] = as_days(frame[name])
    return frame


@checks_keywords_as("kg.sparql_query")
def sparql(graph: KnowledgeGraph, query: str, *, timeout: float | None = DEFAULT_TIMEOUT_S,
           max_rows: int | None = DEFAULT_MAX_ROWS, allow_service: bool = False, prefixed: bool = False,
           max_memory: int | None = None) -> pandas.DataFrame | bool | rdflib.Graph:
    """Answer a SPARQL 1.1 query over ``graph``.

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to query.
    query : str
        A SELECT, ASK, CONSTRUCT or DESCRIBE query.  The prefixes of
        :func:`kg.export.prefixes.turtle_prefixes` are bound (vocabularies such as
        ``kg:``, ``schema:``, ``skos:``, and data folders such as ``event:``,
        ``context:``, ``publisher:``); the query may declare its own.
        Updates are refused (the store is read-only).
    timeout : float or None, optional
        Seconds the query may run, by default :data:`kg.query.limits.DEFAULT_TIMEOUT_S`; ``None``: no limit.
    max_rows : int or None, optional
        Rows (or triples) kept, by default :data:`kg.query.limits.DEFAULT_MAX_ROWS` (a longer answer is cut,
        with a warning); ``None``: all.
    allow_service : bool, default False
        Let ``SERVICE`` reach other endpoints.
    prefixed : bool, default False
        Write a SELECT's IRIs as prefixed names (``context:Iran``), as :func:`kg.query_df` does.
    max_memory : int or None, optional
        Megabytes the query's process may allocate beyond the store it reads (on Linux);
        ``None`` (the default): no limit.  With ``timeout``, ``max_rows`` and ``allow_service``,
        the limits of :class:`kg.query.limits.Limits`.

    Returns
    -------
    pandas.DataFrame or bool or rdflib.Graph
        SELECT: one column per variable, one row per solution, values as
        Python objects (``str`` for IRIs and text, ``int``, ``bool``...;
        ``None`` when unbound), but a column of days (``xsd:date``) is
        ``datetime64[ns]`` (``NaT`` when unbound), as :func:`events` and
        :func:`timeline` give days; one holding a day before 1677 or after
        2262, which that dtype cannot, or other values too, keeps
        ``datetime.date`` objects.  A column of ``xsd:decimal`` (an ``AVG``,
        a division) is ``float64``; one of ``xsd:dateTime`` is
        ``datetime64[ns]`` (with its zone where all share one).  ASK: a ``bool``.
        CONSTRUCT and DESCRIBE: an :class:`rdflib.Graph`, prefixes bound.

    Raises
    ------
    QueryError
        If the query does not parse or cannot be evaluated; its subclasses
        :class:`~kg.errors.ReadOnlyQueryError`,
        :class:`~kg.errors.ServiceRefusedError`,
        :class:`~kg.errors.QueryTimeoutError` and
        :class:`~kg.errors.QueryMemoryError` for an update, a refused
        ``SERVICE``, a query that ran out of time and one that ran out of memory;
        a CONSTRUCT whose answer holds an RDF 1.2 triple term, which an
        :class:`rdflib.Graph` cannot hold.
    WorkerDiedError
        If the process the query ran in crashed without an answer (Oxigraph's
        evaluator on a query nested thousands deep): the query is valid, the
        evaluator could not run it.

    Notes
    -----
    The query runs in a process of its own (see :func:`kg.query.sparql.evaluate`):
    Ctrl-C, or a notebook's "interrupt", stops it, with or without a timeout.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> df = kg.sparql_query(g, '''
    ...     SELECT ?name (COUNT(?e) AS ?n) WHERE { ?e schema:about ?c . ?c schema:name ?name }
    ...     GROUP BY ?name ORDER BY DESC(?n) ?name LIMIT 3''')
    >>> list(df.columns), bool(df["n"].iloc[0] >= df["n"].iloc[1])
    (['name', 'n'], True)
    >>> kg.sparql_query(g, 'ASK { context:Iran a kg:Context }')
    True

    An empty answer warns of each term the graph never uses:

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     len(kg.sparql_query(g, 'SELECT ?e WHERE { ?e schema:about context:Irann }'))
    0
    >>> print(said[0].message)
    context:Irann names nothing in the graph: did you mean context:Iran?
    """
    check_graph(graph, "kg.sparql_query")
    return _sparql(graph, query, timeout, max_rows, allow_service, prefixed=prefixed, max_memory=max_memory)


def _sparql(graph: KnowledgeGraph, query: str, timeout: float | None, max_rows: int | None, allow_service: bool,
            *, prefixed: bool = False, max_memory: int | None = None) -> pandas.DataFrame | bool | rdflib.Graph:
    """:func:`sparql`, its warnings said at the line of the caller's code that asked, through :func:`sparql` or
    :mod:`kg.query.results`' functions."""
    from kg.export.prefixes import turtle_prefixes
    from kg.query import sparql as engine

    prefixes = turtle_prefixes(graph.base_iri)
    limits = Limits(timeout, max_rows, allow_service, max_memory)
    searched = store(graph)
    answer = engine.evaluate(searched, query, "tsv", limits, prefixes)
    if answer.truncated:
        warn_at_caller(f"{answer.cut_at(limits.max_rows)} (max_rows)")
    if answer.found_nothing:  # nothing, or a count of it: say which of its terms the graph never uses, as kg query does
        from kg.query.storelookups import query_notes

        for note in query_notes(searched, query, prefixes, "the KnowledgeGraph"):
            warn_at_caller(note)
    result = engine.solutions(answer)
    if isinstance(result, bool):
        return result
    if isinstance(result, list):
        import pyoxigraph as ox

        from kg.export.rdflib_graph import rdflib_graph

        if any(isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple) for t in result):
            from kg.errors import QueryError

            raise QueryError("the answer holds an RDF 1.2 triple term (TRIPLE(...), <<( ... )>>), which an "
                             "rdflib.Graph cannot hold: ask it through kg query, or of a pyoxigraph store "
                             "(kg.write_store, kg.open_store)")
        return rdflib_graph(result, prefixes)
    return _frame(result, prefixes if prefixed else None)


# ------------------------------------------------------------------ everyday questions

def _publishers(graph: KnowledgeGraph, event: Event) -> tuple[str, ...]:
    return tuple(sorted({p for url in event.sources for p in graph.articles[url].publishers}))


@checks_keywords
def contexts_of(graph: KnowledgeGraph, event: PageKey | Event | str) -> tuple[str, ...]:
    """The contexts an event is about (its own Related lines and those pointing at it).

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph that holds the event.
    event : PageKey, Event or str
        The event: its key, its record, its page path (``news/2015/09/25/<slug>.md``) or its IRI
        (or prefixed name, ``event:2015-09-25\\/<slug>``, as ``kg query`` prints it).

    Returns
    -------
    tuple of str
        The context names, sorted; empty for an event about none.

    Raises
    ------
    UnknownEventError
        If the graph holds no such event.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> key = next(k for k, cs in g.event_contexts.items() if "Iran" in cs)
    >>> "Iran" in contexts_of(g, key.path)
    True
    >>> contexts_of(g, "news/2015/09/25/croatia-reopens-its-border-with-serbia.md")
    ('Croatia', 'Serbia')
    """
    check_graph(graph, "kg.contexts_of")
    return graph.event_contexts.get(event_key(graph, event), ())


@checks_keywords
def publishers_of(graph: KnowledgeGraph, event: PageKey | Event | str) -> tuple[str, ...]:
    """The publishers of the articles an event cites, as the sources write them, sorted by name.

    Names as written (``"AFP via ABS-CBN News"``): the ``sources`` column of
    :func:`events`, not its ``publishers`` column, which splits such a name
    into the organizations that made the article (``"AFP"``).

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph that holds the event.
    event : PageKey, Event or str
        The event: its key, its record, its page path or its IRI (as for :func:`contexts_of`).

    Returns
    -------
    tuple of str
        The publisher names, each once; empty for an event that cites no article.

    Raises
    ------
    UnknownEventError
        If the graph holds no such event.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> key = next(k for k, e in g.event_records.items() if e.sources)
    >>> len(publishers_of(g, key)) > 0
    True
    >>> publishers_of(g, "news/2015/09/25/croatia-reopens-its-border-with-serbia.md")
    ('Reuters',)
    """
    check_graph(graph, "kg.publishers_of")
    return _publishers(graph, graph.event_records[event_key(graph, event)])


# ------------------------------------------------------------------ printing results

def _cell(value: Any) -> Any:
    import pandas as pd  # (a frame's value: pandas is there)

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        value = value.date()  # a day of a datetime64 column prints as xsd:date writes it
    if isinstance(value, (dt.date, Decimal)):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value.item() if hasattr(value, "item") else value  # numpy scalars


def _as_table(frame: pandas.DataFrame) -> str:
    if not len(frame):
        return "(no results)"
    # (pandas escapes a line break, not an escape sequence, which would act on the terminal)
    shown = frame.apply(lambda column: column.map(lambda v: cell_text(v) if isinstance(v, str) else v))
    text: str = shown.to_string(index=False, max_colwidth=100)
    return text


def _as_csv(frame: pandas.DataFrame) -> str:
    return frame.to_csv(index=False).rstrip("\n")


def _as_json(frame: pandas.DataFrame) -> str:
    import json

    rows = [{c: _cell(v) for c, v in zip(frame.columns, row, strict=True)} for row in frame.itertuples(index=False)]
    return json.dumps(rows, ensure_ascii=False, indent=1)


#: output format -> (how a table prints, the RDF syntax a graph result prints in)
RESULT_FORMATS: dict[str, tuple[Callable[[Any], str], str]] = {
    "table": (_as_table, "turtle"),
    "csv": (_as_csv, "nt"),
    "json": (_as_json, "json-ld"),
}


def format_result(result: pandas.DataFrame | bool | rdflib.Graph | Answer, fmt: str = "table") -> str:
    """Render a query's answer as text, for the command line.

    An :class:`kg.query.sparql.Answer` (what :func:`kg.query.sparql.evaluate` gives, in
    a W3C results format or as a table) is already text.  What
    :func:`sparql` returned prints as an aligned table, CSV or JSON records;
    an ASK answer as ``true``/``false``; a graph as Turtle, N-Triples or
    JSON-LD.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> print(format_result(kg.sparql_query(g, "SELECT (COUNT(*) AS ?n) WHERE { ?e a kg:Event }"), "csv"))
    n
    428
    >>> format_result(True, "json")
    'true'
    """
    import rdflib  # a core dependency: pandas is an extra

    from kg.query.sparql import Answer

    if isinstance(result, Answer):
        return result.text.rstrip("\n")
    try:
        as_text, rdf_syntax = RESULT_FORMATS[fmt]
    except KeyError:
        raise ArgumentError(f"unknown result format {fmt!r}; known: {sorted(RESULT_FORMATS)}") from None
    if isinstance(result, bool):
        return "true" if result else "false"
    if isinstance(result, rdflib.Graph):
        return result.serialize(format=rdf_syntax).rstrip("\n")
    return as_text(result)
