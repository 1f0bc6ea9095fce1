"""SPARQL with one return type per call: a DataFrame, a bool or a graph.

:func:`kg.query.analyst.sparql` answers any query form with whatever it gives;
analysts' code reads better when the type is known from the call.
:func:`query_df` takes a SELECT, :func:`ask` an ASK, :func:`construct` a
CONSTRUCT or DESCRIBE; a query of another form raises
:class:`~kg.errors.QueryError` before it runs.  All three run through
:func:`kg.query.analyst.sparql` (same store, same bound prefixes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.errors import QueryError
from kg.keywords import checks_keywords
from kg.model import KnowledgeGraph, check_graph
from kg.query.analyst import _sparql
from kg.query.limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S
from kg.query.querytext import query_form

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import rdflib

__all__ = ["query_df", "ask", "construct"]


def _run(graph: KnowledgeGraph, query: str, forms: tuple[str, ...], method: str, timeout: float | None,
         max_rows: int | None, allow_service: bool, max_memory: int | None, prefixed: bool = False) -> Any:
    form = query_form(query)
    if form not in forms:
        article = "an" if forms[0][0] in "AEIOU" else "a"
        raise QueryError(f"{method}() takes {article} {' or '.join(forms)} query, not {form}")
    return _sparql(graph, query, timeout, max_rows, allow_service, prefixed=prefixed, max_memory=max_memory)


@checks_keywords
def query_df(graph: KnowledgeGraph, query: str, *, prefixed: bool = False, timeout: float | None = DEFAULT_TIMEOUT_S,
             max_rows: int | None = DEFAULT_MAX_ROWS, allow_service: bool = False,
             max_memory: int | None = None) -> pandas.DataFrame:
    """Answer a SELECT query as a DataFrame of Python values (days, ``xsd:date``, as ``datetime64[ns]``).

    With ``prefixed=True``, IRIs print as prefixed names (``context:Iran``,
    ``event:2015-09-30\\/slug``: escaped so that they paste into a query as
    they are, see :mod:`kg.query.pnames`) under the bound prefixes; otherwise
    they are full IRIs.

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to query.
    query : str
        A SELECT query; the prefixes of :func:`kg.sparql_query` are bound.
    prefixed : bool, default False
        Write IRIs as prefixed names rather than full IRIs.
    timeout, max_rows, allow_service, max_memory
        The limits, as :func:`kg.sparql_query` takes them: by default 60 s, 100,000 rows (a longer
        answer is cut, with a warning) and no memory limit; ``None``: no limit.

    Returns
    -------
    pandas.DataFrame
        One column per variable, one row per solution, as :func:`kg.sparql_query` gives a SELECT's answer.

    Raises
    ------
    QueryError
        If the query is not a SELECT, does not parse or cannot be evaluated.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> kg.query_df(g, "SELECT ?c WHERE { ?c schema:name 'Iran' ; a kg:Context }", prefixed=True)["c"][0]
    'context:Iran'
    >>> kg.query_df(g, "ASK { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: query_df() takes a SELECT query, not ASK
    """
    check_graph(graph, "kg.query_df")
    frame: pandas.DataFrame = _run(graph, query, ("SELECT",), "query_df", timeout, max_rows, allow_service,
                                   max_memory, prefixed)
    return frame


@checks_keywords
def ask(graph: KnowledgeGraph, query: str, *, timeout: float | None = DEFAULT_TIMEOUT_S,
        allow_service: bool = False, max_memory: int | None = None) -> bool:
    """Answer an ASK query.

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to query.
    query : str
        An ASK query; the prefixes of :func:`kg.sparql_query` are bound.
    timeout, allow_service, max_memory
        The limits, as :func:`kg.sparql_query` takes them (by default 60 s and no memory limit;
        ``None``: no limit).

    Returns
    -------
    bool
        Whether the query's pattern has a solution in the graph.

    Raises
    ------
    QueryError
        If the query is not an ASK, does not parse or cannot be evaluated.

    Examples
    --------
    >>> import kg
    >>> kg.ask(kg.build("examples/wcep-2015-09"), "ASK { context:Iran a kg:Context }")
    True
    """
    check_graph(graph, "kg.ask")
    return bool(_run(graph, query, ("ASK",), "ask", timeout, None, allow_service, max_memory))


@checks_keywords
def construct(graph: KnowledgeGraph, query: str, *, timeout: float | None = DEFAULT_TIMEOUT_S,
              max_rows: int | None = DEFAULT_MAX_ROWS, allow_service: bool = False,
              max_memory: int | None = None) -> rdflib.Graph:
    """Answer a CONSTRUCT or DESCRIBE query as an :class:`rdflib.Graph`, prefixes bound.

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to query.
    query : str
        A CONSTRUCT or DESCRIBE query; the prefixes of :func:`kg.sparql_query` are bound.
    timeout, max_rows, allow_service, max_memory
        The limits, as :func:`kg.sparql_query` takes them: by default 60 s, 100,000 triples (more are
        cut, with a warning) and no memory limit; ``None``: no limit.

    Returns
    -------
    rdflib.Graph
        The triples the query makes, with kg's prefixes bound.

    Raises
    ------
    QueryError
        If the query is of another form, does not parse or cannot be evaluated.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> len(kg.construct(g, "CONSTRUCT { ?e schema:about context:Iran } WHERE { ?e schema:about context:Iran }")) > 0
    True
    """
    check_graph(graph, "kg.construct")
    result: rdflib.Graph = _run(graph, query, ("CONSTRUCT", "DESCRIBE"), "construct", timeout, max_rows,
                                allow_service, max_memory)
    return result
