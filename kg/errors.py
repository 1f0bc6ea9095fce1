"""The exceptions of ``kg``: one small hierarchy, rooted at :class:`KgError`.

Bad *data* never raises: it becomes a :class:`~kg.diagnostics.Diagnostic`.
These exceptions are for misuse of the API and for conditions the caller
must handle (a missing corpus folder, an unknown export format, an output
folder that cannot be written).  Every class that ``kg`` raises on purpose
is defined here (older homes such as :mod:`kg.query.analyst` re-export theirs);
where callers may catch a builtin, the class keeps it as a second base.
The command line turns each into a one-line message and the exit status
that :data:`kg.cli.EXIT_STATUS` gives it (2 for all of them today).
"""

from __future__ import annotations

__all__ = [
    "KgError",
    "ArgumentError",
    "ArgumentTypeError",
    "NoSuchDayError",
    "CorpusNotFoundError",
    "UnknownFormatError",
    "UnknownTermError",
    "LoadError",
    "InputTooLargeError",
    "QueryError",
    "OutputError",
    "OutputLockedError",
    "ServeError",
    "QueryTimeoutError",
    "QueryMemoryError",
    "ReadOnlyQueryError",
    "ServiceRefusedError",
    "MissingExtraError",
    "UnknownNameError",
    "UnknownEventError",
    "InvalidBaseIriError",
    "ViewError",
    "CodecError",
    "IndexDamage",
    "JobFailedError",
    "PageTaskError",
    "WorkerDiedError",
]


class KgError(Exception):
    """Base class of every exception that ``kg`` raises on purpose."""


class ArgumentError(KgError, ValueError):
    """An argument that a public function cannot take: an empty list of names, an unknown kind."""


class ArgumentTypeError(ArgumentError, TypeError):
    """An argument of a type that a public function does not take (caught as TypeError too)."""


class NoSuchDayError(ArgumentError):
    """A day written as one (``2026-06-31``) that the calendar lacks: said so, not as a text of no form."""


class CorpusNotFoundError(KgError, FileNotFoundError):
    """The corpus folder does not exist or is not a folder."""


class UnknownFormatError(KgError, ValueError):
    """An export or input format name that no registry knows."""


class InvalidBaseIriError(KgError, ValueError):
    """A base IRI that is not absolute, or does not end with ``/`` or ``#``."""


class UnknownTermError(KgError, AttributeError):
    """A vocabulary term that the ontology does not declare."""


class LoadError(KgError, ValueError):
    """An RDF file that cannot be read back into a knowledge graph."""


class InputTooLargeError(LoadError):
    """A gzipped input that expands past its limit of bytes (``args[0]``), told apart from other damage."""


class QueryError(KgError, ValueError):
    """A SPARQL query that the store rejected."""


class QueryTimeoutError(QueryError, TimeoutError):
    """A SPARQL query that ran past its timeout and was stopped."""


class QueryMemoryError(QueryError, MemoryError):
    """A SPARQL query that needed more memory than its limit and was stopped."""


class ReadOnlyQueryError(QueryError):
    """A SPARQL Update sent where only queries run: kg's stores are read-only."""


class ServiceRefusedError(QueryError):
    """A SPARQL query with ``SERVICE``, which would reach another endpoint, without leave to."""


class OutputError(KgError, OSError):
    """The output folder cannot be written: a file in its place, no permission, a full disk ..."""


class OutputLockedError(OutputError):
    """Another build holds the output folder."""


class ServeError(KgError, OSError):
    """The endpoint cannot listen where it was asked: a port in use, no permission, no such address."""


class CodecError(KgError, ValueError):
    """Stored bytes that are not what the cache writes: a miss, never trusted."""


class IndexDamage(CodecError):
    """Rows of the cache's subject index that do not agree with its counts: changed behind its back."""


class ViewError(KgError, ValueError):
    """An explorer page that cannot be made: unknown kind, bad range, nothing to focus on."""


class MissingExtraError(KgError, ImportError):
    """A feature needs an optional dependency that is not installed (``pip install kg[extra]``)."""


class PageTaskError(KgError, RuntimeError):
    """Mapping a page raised (a bug: bad data gives diagnostics); names the page, keeps the cause."""


class WorkerDiedError(KgError, RuntimeError):
    """A worker process ended in the middle of its task: killed (the kernel's out-of-memory
    killer sends SIGKILL) or crashed; its task's result is lost, so the work it was part of fails."""


class JobFailedError(KgError, RuntimeError):
    """A distributed build that failed: its scheduler could not be reached, or its tasks failed (it
    names the tasks and pages); no output set was published.

    ``tasks`` are the keys of the tasks that failed first.
    """

    def __init__(self, message: str, tasks: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.tasks = tasks


# ---------------------------------------------------------------- analyst API
class UnknownNameError(KgError, KeyError):
    """A context, publisher or other name that the graph does not hold.

    ``suggestions`` are the closest known names (compared without regard to
    case or accents), best first; the message lists them, unless ``why``
    (its end, after the name) says more.
    """

    def __init__(self, kind: str, name: str, suggestions: tuple[str, ...] = (), why: str = "") -> None:
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        hint = why or (f"; did you mean {', '.join(map(repr, suggestions))}?" if suggestions else "")
        super().__init__(f"no {kind} {name!r} in the graph{hint}")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class UnknownEventError(KgError, KeyError):
    """An event that the graph does not hold."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""
