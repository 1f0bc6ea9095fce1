"""The whole pipeline, corpus folder to graph: read -> parse -> build."""

from __future__ import annotations

import os
from pathlib import Path

from kg.build import build_graph
from kg.model import DEFAULT_BASE_IRI, KnowledgeGraph
from kg.parse import parse_page
from kg.read import corpus_root, iter_page_paths, read_page
from kg.records import ParsedPage

__all__ = ["build", "parse_file"]


def parse_file(rel: str, real: Path) -> ParsedPage:
    """Read, decode and parse one page file; problems become diagnostics."""
    page_file = read_page(rel, real)
    if page_file.text is None:
        return ParsedPage(rel, None, page_file.diagnostics)
    parsed = parse_page(page_file.text, rel)
    return ParsedPage(rel, parsed.page, page_file.diagnostics + parsed.diagnostics)


def build(corpus: str | os.PathLike[str], *, base_iri: str = DEFAULT_BASE_IRI) -> KnowledgeGraph:
    """Build the knowledge graph of a corpus folder.

    Parameters
    ----------
    corpus : path
        The folder that holds ``news/`` (or the ``news`` folder itself).
    base_iri : str
        Base of the data IRIs; must end with ``/`` or ``#``.

    Returns
    -------
    KnowledgeGraph

    Raises
    ------
    CorpusNotFoundError
        If ``corpus`` is not a folder.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> g.counts()["related_links"], g.counts()["event_context_pairs"]
    (1925, 687)
    >>> g.report.diagnostics
    ()
    """
    from kg.iri import check_base_iri

    check_base_iri(base_iri)
    root = corpus_root(corpus)
    parsed: list[ParsedPage] = []
    for rel, real, problem in iter_page_paths(root):
        if problem is not None:
            parsed.append(ParsedPage(rel, None, (problem,)))
        elif real is not None:
            parsed.append(parse_file(rel, real))
    return build_graph(parsed, base_iri=base_iri, corpus=root.name)
