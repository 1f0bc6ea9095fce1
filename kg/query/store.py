"""Oxigraph stores of a graph: in memory, on disk (``kg build --formats oxigraph``), opened to query.

:func:`graph_store` fills an in-memory store from a
:class:`~kg.model.KnowledgeGraph`; :func:`write_store` writes an on-disk
store, marked with :data:`STORE_MARKER` (kg's version, the base IRI, the
number of triples); :func:`open_store` opens such a store read-only in
milliseconds, or loads a Turtle / N-Triples / N-Quads / TriG file into memory;
:func:`query_prefixes` gives the prefixes to bind for queries over either.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import iri
from kg.errors import ArgumentError, InputTooLargeError, OutputError, QueryError
from kg.keywords import checks_keywords
from kg.model import check_graph
from kg.namespace import KG, VOID
from kg.query.inputs import MAX_EXPANSION, open_input
from kg.query.loader import (  # (the marker and its test live with what reads folders: kg.load says what a store is)
    DATASET_FORMATS,
    INPUT_FORMATS,
    STORE_MARKER,
    graph_files_in,
    is_store,
    load,
)

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph

# (what a store holds, looked up for the notes on an empty answer: kg.query.storelookups)
__all__ = ["STORE_MARKER", "graph_store", "write_store", "check_store_target", "check_source", "is_store",
           "is_dataset", "written_in", "open_store", "query_prefixes"]



def _quads(graph: KnowledgeGraph) -> Iterable[ox.Quad]:
    from kg.export.triples import graph_triples_as_quads

    return graph_triples_as_quads(graph)


def graph_store(graph: KnowledgeGraph) -> ox.Store:
    """A new in-memory store holding ``graph``'s triples (in the default graph).

    Examples
    --------
    >>> import kg
    >>> len(graph_store(kg.build("examples/wcep-2015-09"))) > 20_000
    True
    """
    store = ox.Store()
    store.bulk_extend(_quads(graph))
    return store


@checks_keywords
def write_store(graph: KnowledgeGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as an on-disk Oxigraph store in the folder ``path``.

    The folder is built beside and renamed into place, so a reader never
    opens half a store; a previous store there is replaced.

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to write.
    path : path
        The store's folder (``graph.oxigraph``), made if missing; its parent must exist.

    Returns
    -------
    None
        The store is written, marked with :data:`STORE_MARKER`.

    Raises
    ------
    OutputError
        If ``path`` is a file, a folder with files that is not a store, or
        cannot be written (no permission, a full disk ...).

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> where = pathlib.Path(tempfile.mkdtemp()) / "graph.oxigraph"
    >>> write_store(kg.build("examples/wcep-2015-09"), where)
    >>> len(open_store(where)) > 20_000, is_store(where)
    (True, True)
    """
    check_graph(graph, "kg.write_store")
    import json
    import tempfile

    from kg import __version__
    from kg.export.provenance import settled
    from kg.export.quads import dataset_node, description_quads
    from kg.publish import current_umask, output_error

    target = Path(path)
    check_store_target(target)
    # A folder of its own beside the target: two writers never share it.  Readable as
    # mkdir would make it, not mkdtemp's 0700: a server run by another user reads the store.
    try:
        tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", suffix=".part", dir=target.parent))
        tmp.chmod(0o777 & ~current_umask())
    except OSError as err:
        raise output_error(err, target) from err
    try:
        store = ox.Store(str(tmp))
        store.bulk_extend(_quads(graph))
        triples = len(store)
        # The build's description beside the graph, as in N-Quads, but in a named graph of its own: the
        # graph's triples are the default graph's here, which a query reads (and counts) alone.
        graph = settled(graph)
        store.bulk_extend(description_quads(graph, ox.NamedNode(iri.description_iri(dataset_node(graph).value))))
        store.flush()
        store.optimize()
        del store  # closes the database before the folder moves
        (tmp / STORE_MARKER).write_text(json.dumps({"kg_version": __version__, "base_iri": graph.base_iri,
                                                    "triples": triples}), encoding="utf-8")
    except BaseException as err:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(err, OSError) and not isinstance(err, OutputError):
            raise output_error(err, target) from err
        raise
    try:
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=target.name + ".", suffix=".old", dir=target.parent))
            os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise output_error(err, target) from err


def _marked_base_iri(store: Path) -> str | None:
    """The base IRI that a store's marker records (None for a marker without one)."""
    import json

    marker = store / STORE_MARKER
    try:
        said = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:  # ValueError: bad JSON or bad UTF-8
        raise QueryError(f"cannot read {marker}: {err}; write the store again (kg build --formats oxigraph)") from err
    base = said.get("base_iri") if isinstance(said, dict) else 0
    if base is not None and not isinstance(base, str):
        raise QueryError(f"{marker}: not the marker kg writes (an object whose base_iri is a string); "
                         "write the store again")
    return base


def check_store_target(path: str | os.PathLike[str]) -> None:
    """Raise :class:`~kg.errors.OutputError` where a store may not be written: over a file, or
    over a folder of files that is not a store kg wrote (replacing it would delete them).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> mine = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (mine / "notes.txt").write_text("kept")
    >>> check_store_target(mine / "graph.oxigraph")  # none there yet: it may be written
    >>> check_store_target(mine)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.OutputError: cannot write ...: it is a folder that holds files but no store written by kg
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise OutputError(f"cannot write {target}: it is a file, and a store is a folder")
    if target.is_dir() and not is_store(target) and any(target.iterdir()):
        raise OutputError(f"cannot write {target}: it is a folder that holds files but no store written by kg")




def is_dataset(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is an N-Quads or TriG file (optionally ``.gz``): triples in named graphs.

    kg writes a build's graph into a named graph of its own there, and its
    description (VoID, PROV-O) into the default graph; a query over such a
    file sees them together (see :func:`kg.query.sparql.evaluate`'s ``union``).

    >>> is_dataset("out/graph.nq.gz"), is_dataset("out/graph.ttl")
    (True, False)
    """
    name = Path(path).name.lower().removesuffix(".gz")
    return INPUT_FORMATS.get(Path(name).suffix) in DATASET_FORMATS


@checks_keywords
def open_store(path: str | os.PathLike[str]) -> ox.Store:
    """A store to query: an on-disk store opened read-only, or an RDF file loaded into memory.

    Parameters
    ----------
    path : path
        A store folder written by :func:`write_store`, a data snapshot (``.kg.json``), a Turtle,
        N-Triples, N-Quads or TriG file (optionally ``.gz``), or the folder of a build on Dask (every
        shard its ``manifest.json`` lists, read into one store).

    Returns
    -------
    pyoxigraph.Store
        The store: read-only for a folder, in memory for a file.

    Raises
    ------
    QueryError
        If ``path`` is neither a store folder, a snapshot nor a readable
        ``.ttl``, ``.nt``, ``.nq`` or ``.trig`` file (optionally ``.gz``).
    LoadError
        If it is a data snapshot (``.kg.json``) that :func:`kg.load` cannot read.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.nt"
    >>> kg.write(kg.build("examples/wcep-2015-09"), out)
    >>> len(kg.open_store(out))
    39059
    """
    where = Path(path)
    fmt = check_source(where)
    if where.is_dir():
        from kg.query.shardset import shard_set, shard_store

        if not is_store(where) and (shards := shard_set(where)) is not None:  # (a store is read as one)
            return shard_store(shards)
        try:
            return ox.Store.read_only(str(where))
        except OSError as err:
            raise QueryError(f"cannot open the store {where}: {err}") from err
    if fmt is None:  # the data snapshot: kg.load reads it, the store is made from it
        return graph_store(load(where))
    import zlib

    # kg.load's reader: a gzipped file is expanded to a bounded size only.
    store = ox.Store()
    try:
        with open_input(where, where.name.lower().endswith(".gz")) as fh:
            store.bulk_load(fh.as_io(), fmt)
    except InputTooLargeError as err:
        raise QueryError(f"cannot read {where}: it expands to more than {MAX_EXPANSION} times its size") from err
    except (OSError, EOFError, zlib.error, SyntaxError, ValueError, MemoryError) as err:
        raise QueryError(f"cannot read {where}: {err}") from err
    return store


def check_source(path: str | os.PathLike[str]) -> ox.RdfFormat | None:
    """What :func:`open_store` refuses before it reads anything (:class:`~kg.errors.QueryError`), so that
    ``kg serve`` says it before it takes a port; the RDF syntax of a file (``None``: a store folder or a
    data snapshot).

    >>> check_source("examples/wcep-2015-09")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: examples/wcep-2015-09 is a corpus folder: kg build examples/wcep-2015-09 -o OUT writes \
the graphs that kg query and kg serve read (OUT/graph.kg.json ...)
    """
    where = Path(path)
    if where.is_dir():
        if not is_store(where):
            if (where / "news").is_dir() or where.name == "news":
                raise QueryError(f"{where} is a corpus folder: kg build {where} -o OUT writes the graphs "
                                 f"that kg query and kg serve read (OUT/graph.kg.json ...)")
            from kg.query.shardset import shard_set

            if shard_set(where) is not None:  # a build on Dask's shards, read together
                return ox.RdfFormat.N_TRIPLES
            raise QueryError(f"{where} is a folder but not a store written by kg build --formats oxigraph"
                             + written_in(where))
        return None
    name = where.name.lower().removesuffix(".gz")
    if name.endswith(".kg.json"):
        return None
    fmt = INPUT_FORMATS.get(Path(name).suffix)
    if not where.exists():
        raise QueryError(f"no such file or folder: {where}")
    if not where.is_file():  # a FIFO would block the read for good
        raise QueryError(f"{where}: not a regular file")
    if fmt is None:
        raise QueryError(f"cannot tell the format of {where}; give a store folder, a graph.kg.json "
                         f"snapshot or one of {sorted(INPUT_FORMATS)} (optionally .gz)")
    return fmt


def written_in(folder: Path, *, stores: bool = True) -> str:
    """What of a build's output folder a query reads (its store, snapshot or RDF files), as a hint;
    ``stores=False``: for what reads the graph files alone (``kg stats``, ``kg html``)."""
    try:
        found = sorted(entry for entry in folder.iterdir() if is_store(entry)) if stores else []
    except OSError:
        return ""
    found += graph_files_in(folder)
    return f"; give one of the graphs written there: {', '.join(map(str, found[:6]))}" if found else ""


_TURTLE_PREFIX = re.compile(rb"@prefix ([A-Za-z][\w.-]*|): <([^>]*)> \.")
# A statement of N-Triples or N-Quads opens a line (a literal's line breaks are escaped there), so a headline
# that quotes an IRI is never read as one: an event's type (every kg graph opens with its events) or a day's.
_TYPED = re.compile(rb"^<([^<>\s]+)> <http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type> <([^<>\s]+)>",
                    re.MULTILINE)


def _prefix_lines(head: bytes) -> bytes:
    """The ``@prefix`` lines that open a Turtle or TriG file (those further on may be a literal's text)."""
    end = 0
    while head.startswith(b"@prefix ", end) and (line_end := head.find(b"\n", end)) >= 0:
        end = line_end + 1
    return head[:end]


def _base_of_typed(head: bytes) -> str | None:
    """The base that the first event or day typed in N-Triples or N-Quads ``head`` was made under."""
    for found in _TYPED.finditer(head):
        value, kind = found.group(1).decode("utf-8", "replace"), found.group(2).decode("utf-8", "replace")
        base = iri.base_of_event_iri(value) if kind == KG.Event.value else \
            iri.base_of_day_iri(value) if kind == KG.Day.value else None
        if base is not None:
            return base
    return None


def query_prefixes(source: str | os.PathLike[str], base_iri: str | None = None) -> dict[str, str]:
    """The prefixes to bind for queries over ``source`` (a store folder or a graph file).

    The vocabularies' prefixes, and the data folders' (``event:``,
    ``context:`` ...) under the graph's base IRI: the one a store or a
    snapshot records or a Turtle file declares, else ``base_iri``, else
    the default.  A ``base_iri`` other than the one ``source`` records
    raises :class:`~kg.errors.ArgumentError`: its prefixes would name
    nothing in the graph, and every query would answer nothing.
    """
    from kg.export.prefixes import turtle_prefixes
    from kg.iri import check_base_iri
    from kg.model import DEFAULT_BASE_IRI

    if base_iri is not None:  # refused as kg build refuses it, not by the query engine after
        check_base_iri(base_iri)
    recorded, declared = _recorded_base(Path(source))
    if base_iri is not None and recorded is not None and base_iri != recorded:
        raise ArgumentError(f"{os.fspath(source)} was built with the base IRI {recorded!r}, not {base_iri!r}: "
                            "leave out --base (the graph's own is used)")
    # (void: too, for the description of the dataset that N-Quads and TriG hold beside the graph)
    prefixes = {**turtle_prefixes(recorded or base_iri or DEFAULT_BASE_IRI), VOID.prefix: VOID.iri}
    if base_iri is None:  # (a --base given for a file that records none: its prefixes, not the file's)
        prefixes.update(declared)
    return prefixes


def _declared(match: re.Match[bytes]) -> tuple[str, str] | None:
    """A ``@prefix`` line's name and IRI; ``None`` for bytes that are not UTF-8 (the parser refuses the file)."""
    try:
        return match.group(1).decode(), match.group(2).decode()
    except UnicodeDecodeError:
        return None


def _recorded_base(where: Path) -> tuple[str | None, dict[str, str]]:
    """The base IRI ``where`` was built with, as its store marker, snapshot, Turtle prefixes or first day's
    IRI says (``None``: it does not say), and the prefixes a Turtle or TriG file declares."""
    from kg.export.snapshot import snapshot_base_iri

    if is_store(where):
        return _marked_base_iri(where), {}
    if not where.is_file():
        from kg.query.shardset import shard_set

        shards = shard_set(where) if where.is_dir() else None  # (a build on Dask's: its manifest says it)
        return (shards.base_iri if shards is not None else None), {}
    try:
        with open(where, "rb") as fh:
            head = fh.read(1 << 16)
        if head.startswith(b"\x1f\x8b"):  # gzipped, whatever its name says (as the readers see it)
            with gzip.open(where, "rb") as fh:
                head = fh.read(1 << 16)
    except (OSError, EOFError, zlib.error):  # not ours to say: the store or the parser will
        return None, {}
    declared = dict(filter(None, map(_declared, _TURTLE_PREFIX.finditer(_prefix_lines(head)))))
    day = declared.get("day", "")
    if (snapshot := snapshot_base_iri(head)) is not None:
        return snapshot, declared
    if day.endswith("day/") and day[:-len("day/")].endswith(("/", "#")):
        return day[:-len("day/")], declared  # kg's own Turtle or TriG: its base gives every data prefix
    return _base_of_typed(head), declared  # N-Triples, N-Quads
