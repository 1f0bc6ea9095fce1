"""The exceptions of ``kg``: one small hierarchy, rooted at :class:`KgError`.

Bad *data* never raises: it becomes a :class:`~kg.diagnostics.Diagnostic`.
These exceptions are for misuse of the API and for conditions the caller
must handle (a missing corpus folder, an unknown export format).
"""

from __future__ import annotations

__all__ = [
    "KgError",
    "CorpusNotFoundError",
    "UnknownFormatError",
    "UnknownTermError",
    "LoadError",
    "QueryError",
    "QueryTimeoutError",
    "ReadOnlyQueryError",
    "ServiceRefusedError",
    "MissingExtraError",
]


class KgError(Exception):
    """Base class of every exception that ``kg`` raises on purpose."""


class CorpusNotFoundError(KgError, FileNotFoundError):
    """The corpus folder does not exist or is not a folder."""


class UnknownFormatError(KgError, ValueError):
    """An export or input format name that no registry knows."""


class UnknownTermError(KgError, AttributeError):
    """A vocabulary term that the ontology does not declare."""


class LoadError(KgError, ValueError):
    """An RDF file that cannot be read back into a knowledge graph."""


class QueryError(KgError, ValueError):
    """A SPARQL query that the store rejected."""


class QueryTimeoutError(QueryError, TimeoutError):
    """A SPARQL query that ran past its timeout and was stopped."""


class ReadOnlyQueryError(QueryError):
    """A SPARQL Update sent where only queries run: kg's stores are read-only."""


class ServiceRefusedError(QueryError):
    """A SPARQL query with ``SERVICE``, which would reach another endpoint, without leave to."""


class MissingExtraError(KgError, ImportError):
    """A feature whose optional dependencies (a pip extra) are not installed."""
