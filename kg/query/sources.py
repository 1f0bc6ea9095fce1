"""A graph from what a user names: a corpus folder (built) or a graph file that kg build wrote (loaded).

What ``kg stats`` and ``kg html`` read; ``kg query`` and ``kg serve`` read
stores too (:func:`kg.query.store.open_store`).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from kg.errors import ArgumentError, CorpusNotFoundError
from kg.iri import check_base_iri
from kg.model import DEFAULT_BASE_IRI, KnowledgeGraph
from kg.parse.commanames import CommaNames
from kg.pipeline import build
from kg.query.loader import INPUT_FORMATS, load, shards_of_folder
from kg.query.store import is_store, written_in
from kg.read.files import check_corpus_named

__all__ = ["graph_of"]


def graph_of(source: str | os.PathLike[str], base_iri: str | None = None,
             comma_names: CommaNames | None = None) -> KnowledgeGraph:
    """The graph of a corpus folder (built), or of a graph file that kg build wrote (loaded).

    Parameters
    ----------
    source : str or os.PathLike
        A corpus folder, a ``.kg.json``, Turtle, N-Triples, N-Quads or TriG file, or the output folder of
        a build on Dask (its shards).
    base_iri : str, optional
        The base of the graph's IRIs: a corpus's (default :data:`kg.DEFAULT_BASE_IRI`), or a
        file's instead of its own (they are minted from the records' keys).
    comma_names : CommaNames, optional
        A corpus's context names that hold a comma (:func:`kg.build`'s); a graph file was built
        with its own, and refuses them.

    Returns
    -------
    KnowledgeGraph

    Raises
    ------
    ArgumentError
        For a store (``--formats oxigraph``), which holds triples, not the records; for
        ``comma_names`` with a graph file.
    CorpusNotFoundError
        For a folder that is no corpus; a build's output folder is said to be one, with the
        graph files written there.
    LoadError
        For a graph file, or a build on Dask's shards, that :func:`kg.load` cannot read.

    Examples
    --------
    >>> graph_of("examples/wcep-2015-09") == graph_of("examples/wcep-2015-09", "https://kg.example.org/news/")
    True
    """
    check_corpus_named(source)  # (before Path(""), ".", is read as a graph file's folder)
    path = Path(source)
    # (a build on Dask's folder: every shard its manifest lists; a shard alone, a part, is refused by load)
    if path.is_file() or (path.is_dir() and path.name != "news" and shards_of_folder(path) is not None):
        if comma_names is not None:
            raise ArgumentError(f"{source} is a graph already built: the names with a comma are for a corpus "
                                "(kg build CORPUS --comma-names FILE)")
        graph = load(path)
        if base_iri is None:
            return graph
        check_base_iri(base_iri)
        return dataclasses.replace(graph, base_iri=base_iri)
    if is_store(path):
        raise ArgumentError(f"{source} is a store (kg build --formats oxigraph), which kg query and kg serve read: "
                            "give the corpus folder or a graph file (.ttl, .nt, .nq, .trig, .kg.json) instead")
    if not os.path.lexists(path) and path.name.lower().removesuffix(".gz").endswith((".kg.json", *INPUT_FORMATS)):
        raise CorpusNotFoundError(f"no such file: {source}")  # (a graph file's name: no corpus was meant)
    try:
        return build(source, base_iri=DEFAULT_BASE_IRI if base_iri is None else base_iri, comma_names=comma_names)
    except CorpusNotFoundError as err:  # a build's output folder: say which of its files to give
        if not (hint := written_in(path, stores=False) if path.is_dir() else ""):
            raise
        raise CorpusNotFoundError(f"{source} is not a corpus (it has no news/ folder){hint}") from err
