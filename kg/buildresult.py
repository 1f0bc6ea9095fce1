"""What a build of files is asked and what it gives back: :class:`BuildRequest` and :class:`BuildResult`.

:func:`kg.pipeline.build_files` checks what it was given, then hands it to one
of its engines (:data:`kg.pipeline.ENGINES`) as a :class:`BuildRequest`; every
engine, on this machine's cores or on a Dask cluster, answers with a
:class:`BuildResult`, which the caller gets: the report, the files written, and
how the build went about it (patched or written anew, pages changed, files left
over from an earlier build).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kg.model import KnowledgeGraph
from kg.parse.options import ParseOptions
from kg.report import BuildReport

__all__ = ["BuildRequest", "BuildResult"]


@dataclass(frozen=True, slots=True)
class BuildRequest:
    """What :func:`~kg.pipeline.build_files` was asked, for the engine that does it."""

    corpus: str | os.PathLike[str]
    output: str | os.PathLike[str]
    formats: tuple[str, ...] | None
    base_iri: str
    jobs: int | None
    cache_dir: str | os.PathLike[str] | None
    cache: bool
    progress: bool
    reading: ParseOptions
    gzip: bool
    client: object
    scheduler: str | None
    workers: int | None
    partitions: int | None


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What :func:`~kg.pipeline.build_files` did.

    ``graph`` is the built graph, or ``None`` when the files were brought up
    to date without one (patched, or kept as they were, or written by the
    partitioned reduce: no whole graph was ever held);
    ``incremental`` says whether any file was patched, and then ``changed``
    how many pages were added, edited or removed since the previous build
    (0: the files were kept as they were).  ``left_over`` are files of kg's
    formats in the output folder that this build did not write and that are
    not up to date: an earlier build's, with other formats, made before pages
    changed (or of unknown age: without the cache); ``edited`` those of its files
    that had changed since a build with this cache published them (written again): edited, or written
    by a build without it (``--no-cache``, another ``--cache``), which the cache cannot tell apart.  ``cache_unused``
    says why the cache asked for was not used (another build holds it, its
    folder cannot be written); ``None`` when it was, or none was asked for.
    ``report`` is the build's :class:`~kg.model.BuildReport`, ``files`` the files written.

    Examples
    --------
    >>> import kg, tempfile
    >>> result = kg.build_files("examples/wcep-2015-09", tempfile.mkdtemp(), ["report"])
    >>> [p.name for p in result.files], result.incremental, result.left_over
    (['report.json'], False, ())
    >>> result.report.counts["events"], result.graph.report == result.report
    (428, True)
    """

    report: BuildReport
    files: tuple[Path | str, ...]  # paths, or URLs where the output is one
    graph: KnowledgeGraph | None = None
    incremental: bool = False
    changed: int | None = None
    left_over: tuple[Path, ...] = ()
    cache_unused: str | None = None
    edited: tuple[str, ...] = ()
