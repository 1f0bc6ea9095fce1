"""kg: a knowledge-graph builder for news-event corpora.

The public API, imported lazily so that ``import kg`` does no work.  The graph
is a plain value; the functions here read it::

    import kg
    g = kg.build("examples/wcep-2015-09")     # corpus folder -> KnowledgeGraph
    kg.write_turtle(g, "out/graph.ttl")      # kg.write(g, path[, format]) for any format
    G = kg.to_networkx(g)
    kg.events(g, context="Syria")            # the analyst questions: a DataFrame
    g2 = kg.load("out/graph.ttl")            # Turtle / N-Triples -> KnowledgeGraph
    kg.build_files("examples/wcep-2015-09", "out", cache_dir=".kg-cache")  # what `kg build` does
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover  # what type checkers see behind the lazy doors
    from kg.buildresult import BuildResult as BuildResult
    from kg.diagnostics import Diagnostic as Diagnostic
    from kg.diagnostics import Level as Level
    from kg.errors import ArgumentError as ArgumentError
    from kg.errors import ArgumentTypeError as ArgumentTypeError
    from kg.errors import CodecError as CodecError
    from kg.errors import CorpusNotFoundError as CorpusNotFoundError
    from kg.errors import IndexDamage as IndexDamage
    from kg.errors import InputTooLargeError as InputTooLargeError
    from kg.errors import InvalidBaseIriError as InvalidBaseIriError
    from kg.errors import JobFailedError as JobFailedError
    from kg.errors import KgError as KgError
    from kg.errors import LoadError as LoadError
    from kg.errors import MissingExtraError as MissingExtraError
    from kg.errors import NoSuchDayError as NoSuchDayError
    from kg.errors import OutputError as OutputError
    from kg.errors import OutputLockedError as OutputLockedError
    from kg.errors import PageTaskError as PageTaskError
    from kg.errors import QueryError as QueryError
    from kg.errors import QueryMemoryError as QueryMemoryError
    from kg.errors import QueryTimeoutError as QueryTimeoutError
    from kg.errors import ReadOnlyQueryError as ReadOnlyQueryError
    from kg.errors import ServeError as ServeError
    from kg.errors import ServiceRefusedError as ServiceRefusedError
    from kg.errors import UnknownEventError as UnknownEventError
    from kg.errors import UnknownFormatError as UnknownFormatError
    from kg.errors import UnknownNameError as UnknownNameError
    from kg.errors import UnknownTermError as UnknownTermError
    from kg.errors import ViewError as ViewError
    from kg.errors import WorkerDiedError as WorkerDiedError
    from kg.export import EXPORTERS as EXPORTERS
    from kg.export import write as write
    from kg.export import write_ntriples as write_ntriples
    from kg.export import write_turtle as write_turtle
    from kg.export.html.exporter import to_html as to_html
    from kg.export.igraph import to_igraph as to_igraph
    from kg.export.nx import context_projection as context_projection
    from kg.export.nx import event_chain as event_chain
    from kg.export.nx import event_projection as event_projection
    from kg.export.nx import to_networkx as to_networkx
    from kg.export.paths import node_path as node_path
    from kg.export.rdflib_graph import to_rdflib as to_rdflib
    from kg.export.triples import graph_triples as triples  # noqa: F401  # in __all__, built from _EXPORTS
    from kg.facts.build import build_graph as build_graph
    from kg.facts.executors import parse_file as parse_file
    from kg.model import DEFAULT_BASE_IRI as DEFAULT_BASE_IRI
    from kg.model import Article as Article
    from kg.model import BuildRecord as BuildRecord
    from kg.model import BuildReport as BuildReport
    from kg.model import Day as Day
    from kg.model import Event as Event
    from kg.model import KnowledgeGraph as KnowledgeGraph
    from kg.model import RelatedLink as RelatedLink
    from kg.model import SharedContext as SharedContext
    from kg.parse.commanames import CommaNames as CommaNames
    from kg.parse.commanames import read_comma_names as read_comma_names
    from kg.parse.markdown import parse_page as parse_page
    from kg.parse.publishers import split_publisher as split_publisher
    from kg.parse.records import DayPage as DayPage
    from kg.parse.records import EventPage as EventPage
    from kg.parse.records import PageKey as PageKey
    from kg.parse.records import ParsedPage as ParsedPage
    from kg.parse.slug import slugify as slugify
    from kg.pipeline import build as build
    from kg.pipeline import build_files as build_files
    from kg.query.analyst import contexts_of as contexts_of
    from kg.query.analyst import publishers_of as publishers_of
    from kg.query.analyst import sparql as sparql_query  # noqa: F401  # in __all__, built from _EXPORTS
    from kg.query.copublishing import publisher_projection as publisher_projection
    from kg.query.limits import Limits as Limits
    from kg.query.loader import load as load
    from kg.query.names import all_of as all_of
    from kg.query.questions import around as around
    from kg.query.questions import cooccurring as cooccurring
    from kg.query.questions import events as events
    from kg.query.questions import top_contexts as top_contexts
    from kg.query.questions import top_publishers as top_publishers
    from kg.query.results import ask as ask
    from kg.query.results import construct as construct
    from kg.query.results import query_df as query_df
    from kg.query.serve import serve as serve
    from kg.query.store import open_store as open_store
    from kg.query.store import write_store as write_store
    from kg.query.subgraph import subgraph as subgraph
    from kg.query.timeline import timeline as timeline
    from kg.report import count_graph as counts  # noqa: F401  # in __all__, built from _EXPORTS

__version__ = "0.1.0"

# public name -> "module" that defines it, or "module:name" where the API names it otherwise
_EXPORTS = {
    "build": "kg.pipeline",
    "build_files": "kg.pipeline",
    "BuildResult": "kg.buildresult",
    "parse_file": "kg.facts.executors",
    "load": "kg.query.loader",
    "parse_page": "kg.parse.markdown",
    "read_comma_names": "kg.parse.commanames",
    "CommaNames": "kg.parse.commanames",
    "build_graph": "kg.facts.build",
    "KnowledgeGraph": "kg.model",
    "Event": "kg.model",
    "Day": "kg.model",
    "Article": "kg.model",
    "RelatedLink": "kg.model",
    "SharedContext": "kg.model",
    "DEFAULT_BASE_IRI": "kg.model",
    "PageKey": "kg.parse.records",
    "EventPage": "kg.parse.records",
    "DayPage": "kg.parse.records",
    "ParsedPage": "kg.parse.records",
    "Diagnostic": "kg.diagnostics",
    "Level": "kg.diagnostics",
    "BuildReport": "kg.model",
    "BuildRecord": "kg.model",
    "slugify": "kg.parse.slug",
    "EXPORTERS": "kg.export",
    "KgError": "kg.errors",
    "CorpusNotFoundError": "kg.errors",
    "UnknownFormatError": "kg.errors",
    "UnknownTermError": "kg.errors",
    "LoadError": "kg.errors",
    "InputTooLargeError": "kg.errors",
    "QueryError": "kg.errors",
    "OutputError": "kg.errors",
    "OutputLockedError": "kg.errors",
    "ServeError": "kg.errors",
    "MissingExtraError": "kg.errors",
    "JobFailedError": "kg.errors",
    "PageTaskError": "kg.errors",
    "WorkerDiedError": "kg.errors",
    "UnknownNameError": "kg.errors",
    "UnknownEventError": "kg.errors",
    "ArgumentError": "kg.errors",
    "ArgumentTypeError": "kg.errors",
    "NoSuchDayError": "kg.errors",
    "InvalidBaseIriError": "kg.errors",
    "ViewError": "kg.errors",
    "CodecError": "kg.errors",
    "IndexDamage": "kg.errors",
    "all_of": "kg.query.names",
    "split_publisher": "kg.parse.publishers",
    "subgraph": "kg.query.subgraph",
    # what reads a graph: writers, converters, questions (the model holds no methods for them)
    "counts": "kg.report:count_graph",
    "triples": "kg.export.triples:graph_triples",
    "write": "kg.export",
    "write_turtle": "kg.export",
    "write_ntriples": "kg.export",
    "to_rdflib": "kg.export.rdflib_graph",
    "to_networkx": "kg.export.nx",
    "event_projection": "kg.export.nx",
    "event_chain": "kg.export.nx",
    "context_projection": "kg.export.nx",
    "publisher_projection": "kg.query.copublishing",
    "node_path": "kg.export.paths",
    "to_igraph": "kg.export.igraph",
    "to_html": "kg.export.html.exporter",
    "contexts_of": "kg.query.analyst",
    "publishers_of": "kg.query.analyst",
    "events": "kg.query.questions",
    "timeline": "kg.query.timeline",
    "cooccurring": "kg.query.questions",
    "top_contexts": "kg.query.questions",
    "top_publishers": "kg.query.questions",
    "around": "kg.query.questions",
    "sparql_query": "kg.query.analyst:sparql",
    "query_df": "kg.query.results",
    "ask": "kg.query.results",
    "construct": "kg.query.results",
    # SPARQL: bounded, read-only queries; on-disk stores; the endpoint
    "QueryTimeoutError": "kg.errors",
    "QueryMemoryError": "kg.errors",
    "ReadOnlyQueryError": "kg.errors",
    "ServiceRefusedError": "kg.errors",
    "Limits": "kg.query.limits",
    "open_store": "kg.query.store",
    "write_store": "kg.query.store",
    "serve": "kg.query.serve",
}

__all__ = [*sorted(_EXPORTS), "__version__"]


def __getattr__(name: str) -> Any:
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    module, _, attribute = target.partition(":")
    value = getattr(import_module(module), attribute or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
