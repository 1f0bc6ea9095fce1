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
from typing import Any

__version__ = "0.1.0"

# public name -> "module" that defines it, or "module:name" where the API names it otherwise
_EXPORTS = {
    "build": "kg.pipeline",
    "build_files": "kg.pipeline",
    "BuildResult": "kg.pipeline",
    "parse_file": "kg.pipeline",
    "load": "kg.loader",
    "parse_page": "kg.parse",
    "build_graph": "kg.builder",
    "KnowledgeGraph": "kg.model",
    "Event": "kg.model",
    "Day": "kg.model",
    "Article": "kg.model",
    "RelatedLink": "kg.model",
    "SharedContext": "kg.model",
    "DEFAULT_BASE_IRI": "kg.model",
    "PageKey": "kg.records",
    "EventPage": "kg.records",
    "DayPage": "kg.records",
    "ParsedPage": "kg.records",
    "Diagnostic": "kg.diagnostics",
    "Level": "kg.diagnostics",
    "BuildReport": "kg.model",
    "slugify": "kg.slug",
    "EXPORTERS": "kg.export",
    "KgError": "kg.errors",
    "CorpusNotFoundError": "kg.errors",
    "UnknownFormatError": "kg.errors",
    "UnknownTermError": "kg.errors",
    "LoadError": "kg.errors",
    "QueryError": "kg.errors",
    "OutputError": "kg.errors",
    "OutputLockedError": "kg.errors",
    "MissingExtraError": "kg.errors",
    "UnknownNameError": "kg.errors",
    "UnknownEventError": "kg.errors",
    "ArgumentError": "kg.errors",
    "ArgumentTypeError": "kg.errors",
    "InvalidBaseIriError": "kg.errors",
    "ViewError": "kg.errors",
    "CodecError": "kg.errors",
    "all_of": "kg.names",
    "split_publisher": "kg.publishers",
    "subgraph": "kg.subgraphs",
    # what reads a graph: writers, converters, questions (the model holds no methods for them)
    "counts": "kg.report:count_graph",
    "triples": "kg.rdf:graph_triples",
    "write": "kg.export",
    "write_turtle": "kg.export",
    "write_ntriples": "kg.export",
    "to_rdflib": "kg.rdf",
    "to_networkx": "kg.export.nx",
    "event_projection": "kg.export.nx",
    "context_projection": "kg.export.nx",
    "node_path": "kg.export.nx",
    "to_igraph": "kg.export.igraph",
    "to_html": "kg.export.html",
    "contexts_of": "kg.query",
    "publishers_of": "kg.query",
    "events": "kg.questions",
    "timeline": "kg.questions",
    "cooccurring": "kg.questions",
    "top_contexts": "kg.questions",
    "top_publishers": "kg.questions",
    "around": "kg.questions",
    "sparql_query": "kg.query:sparql",
    "query_df": "kg.sparql_results",
    "ask": "kg.sparql_results",
    "construct": "kg.sparql_results",
    # SPARQL: bounded, read-only queries; on-disk stores; the endpoint
    "QueryTimeoutError": "kg.errors",
    "ReadOnlyQueryError": "kg.errors",
    "ServiceRefusedError": "kg.errors",
    "Limits": "kg.sparql",
    "open_store": "kg.store",
    "write_store": "kg.store",
    "serve": "kg.endpoint",
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
