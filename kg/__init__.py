"""kg: a knowledge-graph builder for news-event corpora.

The public API, imported lazily so that ``import kg`` does no work::

    import kg
    g = kg.build("examples/wcep-2015-09")     # corpus folder -> KnowledgeGraph
    g.write_turtle("out/graph.ttl")
    G = g.to_networkx()
    g2 = kg.load("out/graph.ttl")            # Turtle / N-Triples -> KnowledgeGraph
    kg.build_files("examples/wcep-2015-09", "out", cache_dir=".kg-cache")  # what `kg build` does
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
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
    "BuildReport": "kg.report",
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
    "subgraph": "kg.subgraph",
    # SPARQL: bounded, read-only queries; on-disk stores; the endpoint
    "QueryTimeoutError": "kg.errors",
    "ReadOnlyQueryError": "kg.errors",
    "ServiceRefusedError": "kg.errors",
    "Limits": "kg.sparql",
    "open_store": "kg.store",
    "write_store": "kg.store",
    "serve": "kg.serve",
}

__all__ = [*sorted(_EXPORTS), "__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
