"""Where a distributed build reads pages: a local folder or a folder of any fsspec file system.

The listing is made once (:func:`list_corpus`) and the pages are read on
the workers, a partition at a time (:func:`map_partition`).  A local folder
(or a ``file://`` URL) is walked by :mod:`kg.read.files`, with all its rules:
nothing outside the corpus is read, links out of it are reported, names are
made safe.  Another file system (``s3://``, ``gcs://`` ...; the user installs
its fsspec package) has no links: its files below ``news/`` ending in
``.md`` are the pages, names are made safe the same way, and each page is
held to the same size limit and decoded by the same function.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.diagnostics import diagnostic
from kg.errors import CorpusNotFoundError, MissingExtraError
from kg.facts.executors import map_file, no_pages, walk_corpus
from kg.facts.mapping import page_facts
from kg.facts.records import PageFacts
from kg.parse.markdown import parse_page
from kg.parse.options import DEFAULT_PARSE, ParseOptions
from kg.parse.records import ParsedPage
from kg.read.decoding import decode_page
from kg.read.files import (
    MAX_PAGE_BYTES,
    PAGE_SUFFIX,
    PageFile,
    corpus_root,
    is_page,
    prefetch,
    safe_name,
)

if TYPE_CHECKING:  # pragma: no cover
    from fsspec import AbstractFileSystem

__all__ = ["Corpus", "list_corpus", "map_partition", "read_url_page", "is_url", "local_path", "filesystem"]


def is_url(location: str) -> bool:
    """Whether ``location`` names a file system by protocol (``s3://...``), not a local path.

    >>> is_url("s3://bucket/archive"), is_url("archive/"), is_url("file:///tmp/a")
    (True, False, True)
    """
    return "://" in location


def local_path(location: str) -> str:
    """``location`` as a local path: a ``file://`` URL is one, and gets a local folder's rules (its
    walk, its output's lock); any other location is returned as it is.

    >>> local_path("file:///tmp/a"), local_path("archive/"), local_path("s3://bucket/a")
    ('/tmp/a', 'archive/', 's3://bucket/a')
    """
    return location[len("file://"):] if location.startswith("file://") else location


def filesystem(url: str) -> tuple[AbstractFileSystem, str]:
    """The fsspec file system of ``url`` and the path in it."""
    try:
        import fsspec
    except ImportError as err:
        raise MissingExtraError("reading or writing a URL needs fsspec: pip install 'kg[dask]'") from err
    try:
        fs, path = fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as err:  # no package for that protocol
        raise MissingExtraError(f"no file system for {url!r}: {err}") from err
    return fs, str(path)


@dataclass(frozen=True)
class Corpus:
    """A listed corpus: its name, the pages to read and the problems the listing found.

    ``files`` are ``(page path, where to read it)``: a real local path, or a
    path of ``fs``.  ``problems`` are diagnostics-only pages (a link out of
    the corpus, a FIFO ...), as the local build's walk reports them.
    """

    name: str
    files: tuple[tuple[str, str], ...]
    problems: tuple[ParsedPage, ...]
    fs: AbstractFileSystem | None = None

    @property
    def pages(self) -> int:
        """Page files read, as the local build counts them (each path once)."""
        return sum(map(is_page, {rel for rel, _ in self.files} | {p.path for p in self.problems}))


def list_corpus(location: str) -> Corpus:
    """List the pages of a corpus folder or URL.

    Raises
    ------
    CorpusNotFoundError
        If there is no such folder.

    Examples
    --------
    >>> corpus = list_corpus("examples/wcep-2015-09")
    >>> corpus.name, len(corpus.files), corpus.problems
    ('wcep-2015-09', 458, ())
    """
    location = local_path(location)
    if not is_url(location):
        root = corpus_root(location)
        problems, files = walk_corpus(root)
        return Corpus(safe_name(root.name)[0], tuple(files), tuple(problems))
    return _list_url(location)


def _list_url(url: str) -> Corpus:
    fs, root = filesystem(url)
    root = root.rstrip("/")
    if root.rsplit("/", 1)[-1] == "news" and not fs.isdir(f"{root}/news"):
        root = root.rsplit("/", 1)[0]
    if not fs.isdir(root):
        raise CorpusNotFoundError(f"corpus folder not found: {url}")
    listing = sorted(p for p in fs.find(f"{root}/news", withdirs=False) if p.endswith(PAGE_SUFFIX))
    files: dict[str, str] = {}
    problems: list[ParsedPage] = []
    for path in listing:
        rel = "/".join(safe_name(part)[0] for part in path[len(root) + 1:].split("/"))
        if rel in files:  # two names that are one once normalized: keep the one already in that form
            keep, drop = (path, files[rel]) if path[len(root) + 1:] == rel else (files[rel], path)
            files[rel] = keep
            shown = drop[len(root) + 1:]
            problems.append(ParsedPage(shown, None, (diagnostic(shown, 0, "duplicate-name",
                                                                f"the same name as {rel} once normalized; skipped"),)))
            continue
        files[rel] = path
    if not files and not problems:
        problems.append(ParsedPage("news", None, (no_pages(),)))
    return Corpus(safe_name(root.rsplit("/", 1)[-1])[0], tuple(files.items()), tuple(problems), fs)


def read_url_page(fs: AbstractFileSystem, rel: str, path: str) -> PageFile:
    """Read and decode one page of an fsspec file system, as :func:`kg.read.files.read_page` does a file."""
    try:
        size = fs.size(path)
        if size is not None and size > MAX_PAGE_BYTES:
            why = f"{size} bytes, the limit is {MAX_PAGE_BYTES}"
            return PageFile(rel, None, "", (diagnostic(rel, 0, "file-too-large", why),))
        data = fs.cat_file(path)
    except OSError as err:
        return PageFile(rel, None, "", (diagnostic(rel, 0, "unreadable-file", str(err.strerror or err)),))
    if len(data) > MAX_PAGE_BYTES:
        return PageFile(rel, None, "", (diagnostic(rel, 0, "file-too-large", f"over {MAX_PAGE_BYTES} bytes"),))
    text, found = decode_page(data, rel)
    return PageFile(rel, text, hashlib.sha256(data).hexdigest(), tuple(found))


def _url_facts(fs: AbstractFileSystem, rel: str, path: str, reading: ParseOptions) -> PageFacts:
    page_file = read_url_page(fs, rel, path)
    if page_file.text is None:
        return page_facts(ParsedPage(rel, None, page_file.diagnostics))
    parsed = parse_page(page_file.text, rel, fast=reading.fast, comma_names=reading.comma_names)
    return page_facts(ParsedPage(rel, parsed.page, page_file.diagnostics + parsed.diagnostics))


def map_partition(files: Sequence[tuple[str, str]], fs: AbstractFileSystem | None,
                  reading: ParseOptions = DEFAULT_PARSE) -> list[PageFacts]:
    """Read, parse and map one partition of pages (the map task of the distributed build).

    A page whose task raises (a bug: bad data only gives diagnostics) is
    named in the error, which keeps its cause.
    """
    from kg.errors import PageTaskError

    if fs is None:
        prefetch(real for _, real in files)
    facts: list[PageFacts] = []
    for rel, where in files:
        try:
            facts.append(map_file(rel, Path(where), reading)[2] if fs is None
                         else _url_facts(fs, rel, where, reading))
        except Exception as err:
            raise PageTaskError(f"page {rel}: {type(err).__name__}: {err}") from err
    return facts
