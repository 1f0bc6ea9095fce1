"""Walk a corpus folder safely and decode its pages.

Only files below ``<root>/news/`` are pages.  Symbolic links are followed only
when they resolve to a place inside the corpus; files are opened by their
resolved path so that nothing outside the root is ever read.  Decoding strips
a byte-order mark, accepts CRLF and replaces bytes that are not UTF-8.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.diagnostics import Diagnostic, diagnostic
from kg.errors import CorpusNotFoundError

__all__ = [
    "PageFile",
    "corpus_root",
    "iter_page_paths",
    "read_page",
    "decode_page",
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
    news = root / "news"
    if not news.is_dir():
        return
    seen_dirs: set[Path] = set()
    yield from _walk(root, news, "news", seen_dirs)


def _inside(root: Path, real: Path) -> bool:
    try:
        real.relative_to(root)
    except ValueError:
        return False
    return True


def _walk(root: Path, folder: Path, rel: str, seen: set[Path]):
    real_folder = folder.resolve()
    if real_folder in seen:
        return
    seen.add(real_folder)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        yield rel, None, diagnostic(rel, 0, "unreadable-file", f"folder not readable: {err.strerror}")
        return
    for entry in entries:
        child_rel = f"{rel}/{entry.name}"
        try:
            is_link = entry.is_symlink()
            real = Path(entry.path).resolve() if is_link else Path(entry.path)
            if is_link and not _inside(root, real):
                yield child_rel, None, diagnostic(child_rel, 0, "symlink-skipped",
                                                  "symbolic link to a place outside the corpus")
                continue
            if real.is_dir():
                yield from _walk(root, real, child_rel, seen)
            elif entry.name.endswith(PAGE_SUFFIX) and real.is_file():
                yield child_rel, real, None
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


def read_page(rel: str, real: Path) -> PageFile:
    """Read and decode one page file; never raises on bad data."""
    try:
        size = real.stat().st_size
        if size > MAX_PAGE_BYTES:
            return PageFile(rel, None, "", (diagnostic(
                rel, 0, "file-too-large", f"{size} bytes, the limit is {MAX_PAGE_BYTES}"),))
        data = real.read_bytes()
    except OSError as err:
        return PageFile(rel, None, "", (diagnostic(rel, 0, "unreadable-file", str(err.strerror or err)),))
    digest = hashlib.sha256(data).hexdigest()
    text, problems = decode_page(data, rel)
    return PageFile(rel, text, digest, tuple(problems))
