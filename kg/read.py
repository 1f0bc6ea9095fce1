"""Walk a corpus folder safely and decode its pages.

Only files below ``<root>/news/`` are pages.  Symbolic links are followed only
when they resolve to a place inside the corpus; files are opened by their
resolved path so that nothing outside the root is ever read.  Decoding strips
a byte-order mark, accepts CRLF and replaces bytes that are not UTF-8.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.diagnostics import Diagnostic, diagnostic
from kg.errors import CorpusNotFoundError

__all__ = [
    "PageFile",
    "corpus_root",
    "iter_page_paths",
    "iter_page_files",
    "read_page",
    "decode_page",
    "prefetch",
    "HINT_BYTES",
    "MAX_PAGE_BYTES",
]

#: Pages larger than this are skipped with a diagnostic (no real page is near it).
MAX_PAGE_BYTES = 16 * 1024 * 1024

PAGE_SUFFIX = ".md"


@dataclass(frozen=True, slots=True)
class PageFile:
    """One decoded page.

    ``text`` is ``None`` when the file could not be read as a page; then
    ``diagnostics`` says why.  ``digest`` is the SHA-256 of the raw bytes
    (empty when unread), the key of the incremental build cache.
    """

    path: str
    text: str | None
    digest: str
    diagnostics: tuple[Diagnostic, ...] = ()


def corpus_root(folder: str | os.PathLike[str]) -> Path:
    """Return the corpus root: the folder that holds ``news/``.

    A path to the ``news`` folder itself is accepted too.

    Raises
    ------
    CorpusNotFoundError
        If ``folder`` is not an existing folder.
    """
    path = Path(folder)
    if not path.is_dir():
        raise CorpusNotFoundError(f"corpus folder not found: {path}")
    if not (path / "news").is_dir() and path.name == "news":
        return path.parent.resolve()
    return path.resolve()


def iter_page_paths(root: Path) -> Iterator[tuple[str, Path | None, Diagnostic | None]]:
    """Yield ``(relative path, real path, problem)`` for every page file, sorted.

    The walk is deterministic (sorted names) and never leaves ``root``: a
    symbolic link whose target lies outside is reported, not followed, and a
    folder reached twice through links is walked once.
    """
    for rel, real, problem in iter_page_files(root):
        yield rel, None if real is None else Path(real), problem


def iter_page_files(root: Path) -> Iterator[tuple[str, str | None, Diagnostic | None]]:
    """:func:`iter_page_paths` with the real paths as strings: the walk of a big archive.

    Entries are told apart by the type the directory listing gives, so a
    plain file or folder costs no system call of its own; only symbolic
    links are resolved.
    """
    news = os.path.join(root, "news")
    if not os.path.isdir(news):
        return
    yield from _walk(os.fspath(root), os.path.realpath(news), "news", set())


def _inside(root: str, real: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _walk(root: str, folder: str, rel: str, seen: set[str]):
    """Walk ``folder``, a real path (no link in it), known to the caller as ``rel``."""
    if folder in seen:
        return
    seen.add(folder)
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as err:
        yield rel, None, diagnostic(rel, 0, "unreadable-file", f"folder not readable: {err.strerror}")
        return
    for entry in entries:
        child_rel = f"{rel}/{entry.name}"
        try:
            if entry.is_symlink():
                real = os.path.realpath(entry.path)
                if not _inside(root, real):
                    yield child_rel, None, diagnostic(child_rel, 0, "symlink-skipped",
                                                      "symbolic link to a place outside the corpus")
                elif os.path.isdir(real):
                    yield from _walk(root, real, child_rel, seen)
                elif entry.name.endswith(PAGE_SUFFIX) and os.path.isfile(real):
                    yield child_rel, real, None
            elif entry.is_dir(follow_symlinks=False):
                yield from _walk(root, entry.path, child_rel, seen)
            elif entry.name.endswith(PAGE_SUFFIX) and entry.is_file(follow_symlinks=False):
                yield child_rel, entry.path, None
        except OSError as err:
            yield child_rel, None, diagnostic(child_rel, 0, "unreadable-file", str(err.strerror or err))


def decode_page(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode the bytes of a page; say what was wrong with them.

    Examples
    --------
    >>> decode_page(b"\\xef\\xbb\\xbf# Hi\\r\\n", "p.md")
    ('# Hi\\n', [])
    >>> text, problems = decode_page(b"# Caf\\xe9\\n", "p.md")
    >>> text, [d.code for d in problems]
    ('# Caf\\ufffd\\n', ['not-utf8'])
    """
    problems: list[Diagnostic] = []
    if not data.strip():
        return None, [diagnostic(path, 0, "empty-file", "no content")]
    if b"\x00" in data:
        return None, [diagnostic(path, 0, "binary-file", "NUL bytes: not a text page")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode())
        problems.append(diagnostic(path, line, "not-utf8",
                                   f"{bad} invalid UTF-8 sequence(s), the first at byte {err.start} "
                                   f"(0x{data[err.start]:02x}); replaced by U+FFFD"))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, problems


#: How much one read-ahead hint asks for: Linux reads at most the device's read-ahead
#: or largest request size per hint, and neither is commonly below 128 KiB.
HINT_BYTES = 128 << 10


def prefetch(paths: Iterable[str | os.PathLike[str]], *, in_flight: int | None = None) -> None:
    """Ask the kernel to start reading ``paths`` now, ahead of their use.

    Pages are small and many: read one after another from a disk they each
    wait for the disk (reading a 160,000-page archive that was not in memory
    took 18 s that way, 2 s after this).  A big file gets one hint per
    :data:`HINT_BYTES`, as the kernel reads no more for each.  The hints
    may wait while the disk's queue is full.  Where they are not available
    this does nothing; a file that cannot be opened is left for
    :func:`read_page` to report.

    With ``in_flight``, a big file is hinted that many bytes at a time,
    each part once the one before has arrived, so that other reads do not
    wait behind a whole file's.

    Examples
    --------
    >>> prefetch(["examples/wcep-2015-09/news/2015/09/1/index.md", "no/such/file.md"])
    """
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    # Non-blocking: a FIFO put where a page was must not stop the build here.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    for path in paths:
        try:
            fd = os.open(path, flags)
        except OSError:
            continue
        try:
            size, waited = os.fstat(fd).st_size, 0
            for start in range(0, max(size, 1), HINT_BYTES):
                advise(fd, start, HINT_BYTES, os.POSIX_FADV_WILLNEED)
                end = start + HINT_BYTES
                if in_flight and end - waited >= in_flight and end < size:
                    os.pread(fd, 1, end - 1)  # returns once that part is in
                    waited = end
        except OSError:
            pass
        finally:
            os.close(fd)


def read_page(rel: str, real: str | os.PathLike[str]) -> PageFile:
    """Read and decode one page file; never raises on bad data."""
    try:
        with open(real, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_PAGE_BYTES:
                return PageFile(rel, None, "", (diagnostic(
                    rel, 0, "file-too-large", f"{size} bytes, the limit is {MAX_PAGE_BYTES}"),))
            data = fh.read()
    except OSError as err:
        return PageFile(rel, None, "", (diagnostic(rel, 0, "unreadable-file", str(err.strerror or err)),))
    digest = hashlib.sha256(data).hexdigest()
    text, problems = decode_page(data, rel)
    return PageFile(rel, text, digest, tuple(problems))
