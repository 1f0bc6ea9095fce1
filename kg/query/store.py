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
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import iri
from kg.errors import ArgumentError, InputTooLargeError, OutputError, QueryError
from kg.model import check_graph
from kg.namespace import KG, RDF, RDFS, SCHEMA, VOID
from kg.query.described import description_note, is_description_graph
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

__all__ = ["STORE_MARKER", "graph_store", "write_store", "check_store_target", "check_source", "is_store",
           "is_dataset", "written_in", "open_store", "query_prefixes", "holds_iri", "names_under", "events_about",
           "names_spelt_otherwise", "is_empty", "empty_answer_notes"]



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
    from kg.publish import output_error

    target = Path(path)
    check_store_target(target)
    # A folder of its own beside the target: two writers never share it.
    try:
        tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", suffix=".part", dir=target.parent))
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
_IRI = re.compile(rb"<([^<>\s]*day/[^<>\s]+)>")  # a day's IRI, in a file without prefixes


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
    declared = {m.group(1).decode(): m.group(2).decode() for m in _TURTLE_PREFIX.finditer(head)}
    day = declared.get("day", "")
    if (snapshot := snapshot_base_iri(head)) is not None:
        return snapshot, declared
    if day.endswith("day/") and day[:-len("day/")].endswith(("/", "#")):
        return day[:-len("day/")], declared  # kg's own Turtle or TriG: its base gives every data prefix
    # N-Triples, N-Quads: the base that the first day's IRI was made under
    found = (iri.base_of_day_iri(m.group(1).decode("utf-8", "replace")) for m in _IRI.finditer(head))
    return next((b for b in found if b is not None), None), declared


def empty_answer_notes(store: ox.Store, query: str, prefixes: dict[str, str], where: str) -> list[str]:
    """What ``kg query`` says of an empty answer: that the graph (read from ``where``) holds nothing at
    all, else the terms of the query it never uses (:func:`kg.query.hints.unused_terms`).

    >>> empty_answer_notes(ox.Store(), "SELECT * { ?s ?p ?o }", {}, "empty.ttl")
    ['empty.ttl holds no triples']
    """
    if is_empty(store):  # (every term would be said unused)
        return [f"{where} holds no triples", *description_note(store, query, prefixes)]
    from kg.query.hints import unused_terms

    return unused_terms(query, prefixes, lambda iri: holds_iri(store, iri),
                        lambda namespaces: names_under(store, namespaces),
                        lambda texts: names_spelt_otherwise(store, texts),
                        lambda namespace: events_about(store, namespace)) + description_note(store, query, prefixes)


def is_empty(store: ox.Store) -> bool:
    """Whether ``store`` holds no quad (an empty file, the store of an empty corpus) but a build's description in a
    graph of its own (:func:`kg.iri.description_iri`, where the store of an empty corpus keeps it), without
    counting them.  (An empty corpus's N-Quads hold its description in the default graph: not empty.)

    >>> described = ox.Store()
    >>> dataset = ox.NamedNode("http://x/g")
    >>> described.add(ox.Quad(dataset, RDF.type, VOID.Dataset, ox.NamedNode("http://x/g/description")))
    >>> mine = ox.Store()
    >>> mine.add(ox.Quad(dataset, RDF.type, ox.NamedNode("http://x/C"), ox.NamedNode("http://x/docs/description")))
    >>> is_empty(ox.Store()), is_empty(described), is_empty(mine)
    (True, True, False)
    """
    if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        return False
    return not any(next(iter(store.quads_for_pattern(None, None, None, graph)), None) is not None
                   for graph in store.named_graphs() if not is_description_graph(store, graph))


def holds_iri(store: ox.Store, iri: str) -> bool:
    """Whether a quad of ``store`` (in any graph) holds ``iri``, as subject, predicate or object.

    Examples
    --------
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b"), ox.Literal("c")))
    >>> holds_iri(store, "http://x/b"), holds_iri(store, "http://x/c"), holds_iri(store, "not an IRI")
    (True, False, False)
    """
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return False
    return any(next(iter(store.quads_for_pattern(*pattern)), None) is not None
               for pattern in ((node, None, None), (None, node, None), (None, None, node)))


#: the prefix of a data namespace of kg's (its folder: kg.iri.PREFIXES) -> the class of its every node:
#: its type triples alone are read for it (not the edge nodes' -- Related lines, shared contexts --
#: which outnumber the rest)
_CLASS_OF = {"event": "Event", "context": "Context", "publisher": "Publisher", "organization": "Organization",
             "day": "Day", "article": "SourceArticle", "image": "Image", "page": "Page"}


def names_under(store: ox.Store, namespaces: Collection[str]) -> dict[str, set[str]]:
    """The local names (IRI ends) of the typed nodes of ``store`` (in any graph) under each of ``namespaces``.

    Every node kg writes has a type, and the type triples are few: a namespace of kg's data
    (``BASE/context/`` ...) reads those of its nodes' class alone; any other, one pass over the
    type triples (45,272 of the 291,204 quads of the 1,888-event store: 0.05 s, where a pass over
    every quad took 0.43 s).

    Examples
    --------
    >>> store = ox.Store()
    >>> for name in ("a", "b"):
    ...     store.add(ox.Quad(ox.NamedNode("http://x/c/" + name), RDF.type, ox.NamedNode("http://x/C")))
    >>> store.add(ox.Quad(ox.NamedNode("http://x/context/Iran"), RDF.type, KG.Context))
    >>> store.add(ox.Quad(ox.NamedNode("http://y/event/Summit"), RDF.type, ox.NamedNode("http://y/Meeting")))
    >>> found = names_under(store, ["http://x/c/", "http://x/d/", "http://x/context/", "http://y/event/"])
    >>> {ns: sorted(names) for ns, names in found.items()}
    {'http://x/c/': ['a', 'b'], 'http://x/d/': [], 'http://x/context/': ['Iran'], 'http://y/event/': ['Summit']}
    """
    found: dict[str, set[str]] = {namespace: set() for namespace in namespaces}
    by_folder = {iri.PREFIXES[prefix]: kind for prefix, kind in _CLASS_OF.items()}
    classes = {namespace: by_folder.get(namespace.rpartition("/")[0].rpartition("/")[2] + "/")
               for namespace in namespaces}
    for namespace, kind in classes.items():
        if kind is not None:
            names = found[namespace]
            for quad in store.quads_for_pattern(None, RDF.type, KG[kind]):
                if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(namespace):
                    names.add(quad.subject.value[len(namespace):])
    # (a folder named as kg's that holds no node of kg's class -- another file's ex:event/ -- is read in full)
    rest = {namespace: found[namespace] for namespace, kind in classes.items() if kind is None or not found[namespace]}
    if rest:
        for quad in store.quads_for_pattern(None, RDF.type, None):
            value = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
            for namespace, names in rest.items():
                if value.startswith(namespace):
                    names.add(value[len(namespace):])
    return found


def events_about(store: ox.Store, namespace: str) -> dict[str, int]:
    """How many events (subjects of ``schema:about``) name each local name under ``namespace``, in any graph:
    the busiest of several names is suggested first, as the analyst's filters suggest it.

    Examples
    --------
    >>> store = ox.Store()
    >>> for event, name in (("a", "Iran"), ("b", "Iran"), ("b", "Strait_of_Hormuz")):
    ...     store.add(ox.Quad(ox.NamedNode("http://x/e/" + event), SCHEMA.about, ox.NamedNode("http://x/c/" + name)))
    >>> sorted(events_about(store, "http://x/c/").items())
    [('Iran', 2), ('Strait_of_Hormuz', 1)]
    """
    counts: dict[str, set[str]] = {}
    for quad in store.quads_for_pattern(None, SCHEMA.about, None):
        if isinstance(quad.object, ox.NamedNode) and quad.object.value.startswith(namespace) \
                and isinstance(quad.subject, ox.NamedNode):  # (an event, in a triple of kg's)
            counts.setdefault(quad.object.value[len(namespace):], set()).add(quad.subject.value)
    return {name: len(events) for name, events in counts.items()}


def names_spelt_otherwise(store: ox.Store, texts: Collection[str]) -> dict[str, str]:
    """For each of ``texts`` that no quad of ``store`` holds as a plain string, a name (``schema:name``
    or ``rdfs:label``) that it spells in other case, if there is one: ``"syria"`` -> ``"Syria"``.

    Examples
    --------
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://x/c"), SCHEMA.name, ox.Literal("Syria")))
    >>> names_spelt_otherwise(store, ["syria", "Syria", "Iraq"])
    {'syria': 'Syria'}
    """
    missing = {text.casefold(): text for text in texts
               if next(iter(store.quads_for_pattern(None, None, ox.Literal(text))), None) is None}
    found: dict[str, str] = {}
    for predicate in (SCHEMA.name, RDFS.label):
        for quad in store.quads_for_pattern(None, predicate, None):
            value = quad.object.value if isinstance(quad.object, ox.Literal) else ""
            asked = missing.get(value.casefold())
            if asked is not None and asked not in found:
                found[asked] = value
        if len(found) == len(missing):
            break
    return found
