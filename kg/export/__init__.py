"""Exporters: a registry from format name to writer.

Every writer takes ``(graph, path, **options)``.  Heavy dependencies are
imported inside the writers, so listing the formats costs nothing.

Examples
--------
>>> sorted(EXPORTERS)[:3]
['gexf', 'graphml', 'html']
>>> format_for_path("out/graph.nt.gz"), format_for_path("out/graph.kg.json")
('ntriples', 'snapshot')
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.errors import KgError, OutputError, UnknownFormatError
from kg.model import check_graph
from kg.publish import output_error

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph

__all__ = ["Exporter", "EXPORTERS", "export", "write", "write_turtle", "write_ntriples", "format_for_path",
           "format_names", "register"]


@dataclass(frozen=True, slots=True)
class Exporter:
    """A named output format: its writer and its usual file name."""

    name: str
    module: str
    function: str
    filename: str
    suffixes: tuple[str, ...]
    #: The writer serializes on several cores itself: it takes ``jobs`` (see :mod:`kg.export.together`).
    parallel: bool = False
    #: The file depends on the build report's counts.  One that does not (it reads the corpus's
    #: name at most) is written by a rerun while the patched files settle them.
    reads_counts: bool = True

    #: A function of the writer's module that raises :class:`~kg.errors.OutputError` where the
    #: output may not be written (what it would replace is not its own); ``None``: the output is
    #: a file, and only a folder in its place is refused.
    check: str | None = None

    def load(self) -> Callable[..., None]:
        """Import and return the writer."""
        from importlib import import_module

        writer: Callable[..., None] = getattr(import_module(self.module), self.function)
        return writer

    def check_target(self, path: str | os.PathLike[str]) -> None:
        """Raise :class:`~kg.errors.OutputError` if this output may not be written at ``path``,
        before any work is done (a build would otherwise fail, or delete, at its end).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> EXPORTERS["turtle"].check_target(pathlib.Path(tempfile.mkdtemp()))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        kg.errors.OutputError: cannot write ...: it is a folder, not a file
        """
        if self.check is not None:
            from importlib import import_module

            getattr(import_module(self.module), self.check)(path)
        elif os.path.isdir(path) and not os.path.islink(path):  # (a link is replaced, not followed)
            raise OutputError(f"cannot write {os.fspath(path)}: it is a folder, not a file")


EXPORTERS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    """Add an exporter to :data:`EXPORTERS` (a later one replaces an earlier)."""
    EXPORTERS[exporter.name] = exporter
    return exporter


for _e in (
    Exporter("turtle", "kg.export.rdf", "write_turtle", "graph.ttl", (".ttl", ".ttl.gz"), parallel=True),
    Exporter("ntriples", "kg.export.rdf", "write_ntriples", "graph.nt", (".nt", ".nt.gz"), parallel=True),
    # Not any .json: kg.write(g, "graph.json") would write counts where the graph was meant.
    Exporter("report", "kg.report", "write_report", "report.json", ("report.json",)),
    Exporter("graphml", "kg.export.graphml", "write_graphml", "graph.graphml", (".graphml",)),
    Exporter("gexf", "kg.export.gexf", "write_gexf", "graph.gexf", (".gexf",)),
    Exporter("html", "kg.export.html.exporter", "write_html", "graph.html", (".html", ".htm"), reads_counts=False),
    Exporter("oxigraph", "kg.query.store", "write_store", "graph.oxigraph", (".oxigraph",),
             check="check_store_target"),
    Exporter("nquads", "kg.export.quads", "write_nquads", "graph.nq", (".nq",)),
    Exporter("trig", "kg.export.quads", "write_trig", "graph.trig", (".trig",)),
    # the records as JSON columns, for kg.load in a fraction of a build's time
    Exporter("snapshot", "kg.export.snapshot", "write_snapshot", "graph.kg.json", (".kg.json", ".kg.json.gz")),
):
    register(_e)


def format_names(names: str | Iterable[object], default: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Format names as :data:`EXPORTERS` has them, from names in any case (a string: a comma-separated
    list), or the ending of a file of that format (``nt``, ``ttl``, ``.kg.json``; not a gzipped one's,
    which would read as asking for gzip); unknown ones raise.  Given ``default`` (the formats written
    when none is asked), the name ``"default"`` stands for them, and each format is named once.

    Examples
    --------
    >>> format_names(["Turtle", " html "]), format_names("turtle, report"), format_names("nt,ttl")
    (('turtle', 'html'), ('turtle', 'report'), ('ntriples', 'turtle'))
    >>> format_names("Default, graphml, turtle", default=("turtle", "report"))
    ('turtle', 'report', 'graphml')
    >>> format_names(["turtel", "rdf"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.UnknownFormatError: unknown format 'turtel' (did you mean 'turtle'?), unknown format 'rdf'; known: ...
    >>> format_names("ttl.gz")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.UnknownFormatError: unknown format 'ttl.gz' (did you mean 'turtle'?); known: ...
    >>> format_names("graph.ttl,json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.UnknownFormatError: unknown format 'graph.ttl' (did you mean 'turtle'?), unknown format 'json' \
(did you mean 'report' or 'snapshot'?); known: ...
    """
    import difflib

    if isinstance(names, str):
        names = [name for name in names.split(",") if name.strip()]
    # a file's ending names its format too: "nt" is N-Triples, "kg.json" the snapshot
    endings = {suffix.lstrip(".").lower(): e.name for e in EXPORTERS.values() for suffix in e.suffixes}
    registered = {**{ending: name for ending, name in endings.items() if not ending.endswith(".gz")},
                  **{name.lower(): name for name in EXPORTERS}}
    known = sorted(EXPORTERS) + (["default"] if default is not None else [])
    if default is not None:
        names = [part for name in names for part in
                 (default if isinstance(name, str) and name.strip().lower() == "default" else (name,))]
    given = [(name, registered.get(name.strip().lower().lstrip(".")) if isinstance(name, str) else None)
             for name in names]
    unknown = [name for name, found in given if found is None]
    if unknown:
        said = []
        for name in unknown:
            typed = str(name).strip().lower().lstrip(".")
            # a file's name ("graph.ttl"), or a part of an ending ("json": the snapshot's, the report's)
            named = [format for ending, format in endings.items()
                     if typed.endswith("." + ending) or ending.endswith("." + typed) or typed == ending]
            near = " or ".join(map(repr, dict.fromkeys(named))) or \
                " or ".join(map(repr, difflib.get_close_matches(typed, known, n=2)))
            said.append(f"unknown format {name!r}" + (f" (did you mean {near}?)" if near else ""))
        raise UnknownFormatError(f"{', '.join(said)}; known: {', '.join(known)}")
    found_names = tuple(found for _, found in given if found is not None)
    return found_names if default is None else tuple(dict.fromkeys(found_names))


def format_for_path(path: str | os.PathLike[str]) -> str:
    """Guess the format from a file name.

    >>> format_for_path("out/graph.json")
    Traceback (most recent call last):
    ...
    kg.errors.UnknownFormatError: cannot tell the format of 'out/graph.json' (a name ending in .kg.json is ...)...
    """
    name = os.fspath(path).lower()
    # the longest suffix wins: "report.kg.json" is a snapshot, not a report
    matches = [(len(suffix), exporter.name) for exporter in EXPORTERS.values()
               for suffix in exporter.suffixes if name.endswith(suffix)]
    if matches:
        return max(matches)[1]
    hint = (" (a name ending in .kg.json is the snapshot, in report.json the report)"
            if name.endswith((".json", ".json.gz")) else "")
    # (the endings it tells, and the format= names, which are not the same words: .ttl, "turtle")
    endings = ", ".join(sorted({suffix for exporter in EXPORTERS.values() for suffix in exporter.suffixes}))
    raise UnknownFormatError(f"cannot tell the format of {os.fspath(path)!r}{hint}: a name ends in one of {endings}; "
                             f"or give format=, one of {', '.join(sorted(EXPORTERS))}")


def export(graph: KnowledgeGraph, path: str | os.PathLike[str], format: str | None = None,
           **options: Any) -> None:
    """Write ``graph`` to ``path`` in ``format`` (guessed from the name if omitted)."""
    from kg.keywords import check_options

    exporter = EXPORTERS[format_names([format])[0] if format else format_for_path(path)]
    writer = exporter.load()
    check_options(f"kg.write of {exporter.name}", writer, options)
    exporter.check_target(path)
    try:
        writer(graph, path, **options)
    except OSError as err:
        # The target (or its temporary file beside it) could not be written; anything else is no
        # output error of the caller's and goes on as it is.
        # (Compared as absolute paths: the temporary file's name is absolute, ``path`` may be relative.)
        where = os.path.dirname(os.path.abspath(path))
        beside = err.filename is None or os.path.dirname(os.path.abspath(os.fsdecode(err.filename))) == where
        if isinstance(err, KgError) or not beside:
            raise
        raise output_error(err, path) from err


def write(graph: KnowledgeGraph, path: str | os.PathLike[str], format: str | None = None,
          **options: Any) -> None:
    """Write ``graph`` with a registered exporter (``kg.write``); the format is guessed from the name if omitted.

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to write.
    path : path
        The file (or, for ``"oxigraph"``, the folder) to write; what is there is replaced.
    format : str, optional
        A name of :data:`EXPORTERS` (any case); by default guessed from ``path``'s ending
        (:func:`format_for_path`).
    **options
        Passed to the exporter's writer (``gzip=True`` for Turtle and N-Triples, the options of
        :func:`kg.to_html` for ``"html"``).

    Returns
    -------
    None
        The file is written whole, or not at all.

    Raises
    ------
    UnknownFormatError
        If no exporter is called ``format`` (or none writes such a name).
    OutputError
        If ``path`` cannot be written (no such folder, a file in the way, no
        permission, a full disk); nothing is left half written.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> g = kg.build("examples/wcep-2015-09")
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> kg.write(g, out / "graph.graphml"); kg.write(g, out / "counts.json", "report")
    >>> sorted(p.name for p in out.iterdir())
    ['counts.json', 'graph.graphml']
    """
    check_graph(graph, "kg.write")
    export(graph, path, format, **options)


def write_turtle(graph: KnowledgeGraph, path: str | os.PathLike[str], **options: Any) -> None:
    """Write Turtle (``kg.write_turtle``); ``gzip=True`` compresses.

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to write.
    path : path
        The file to write; what is there is replaced.
    **options
        ``gzip`` (bool; default: compress if ``path`` ends in ``.gz``) and ``jobs`` (int; processes that
        serialize a large uncompressed graph, default all cores).

    Returns
    -------
    None
        The file is written whole, or not at all.

    Raises
    ------
    OutputError
        If ``path`` cannot be written.

    Examples
    --------
    >>> import kg, tempfile, pathlib, gzip
    >>> g = kg.build("examples/wcep-2015-09")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.ttl.gz"
    >>> kg.write_turtle(g, out, gzip=True)
    >>> text = gzip.open(out, "rt", encoding="utf-8").read()
    >>> text.startswith("@prefix"), text.count(" a kg:Event ")
    (True, 428)
    """
    check_graph(graph, "kg.write_turtle")
    export(graph, path, "turtle", **options)


def write_ntriples(graph: KnowledgeGraph, path: str | os.PathLike[str], **options: Any) -> None:
    """Write N-Triples, one triple a line, for bulk loaders (``kg.write_ntriples``).

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to write.
    path : path
        The file to write; what is there is replaced.
    **options
        ``gzip`` and ``jobs``, as for :func:`write_turtle`.

    Returns
    -------
    None
        The file is written whole, or not at all.

    Raises
    ------
    OutputError
        If ``path`` cannot be written.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> g = kg.build("examples/wcep-2015-09")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.nt"
    >>> kg.write_ntriples(g, out)
    >>> sum(1 for _ in out.open(encoding="utf-8")) == sum(1 for _ in kg.triples(g))
    True
    """
    check_graph(graph, "kg.write_ntriples")
    export(graph, path, "ntriples", **options)
