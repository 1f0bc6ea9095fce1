"""Walk a corpus folder safely and decode its pages.

Only files below ``<root>/news/`` are pages.  Symbolic links are followed only
when they resolve to a place inside the corpus but outside ``news/``: a page
or folder of ``news/`` is read at its own path, never again through a link.
Files are opened by their resolved path so that nothing outside the root is
ever read.  Decoding (:mod:`kg.read.decoding`) strips a byte-order mark,
accepts CRLF and replaces bytes that are not UTF-8; a page in UTF-16 or UTF-32
with its byte-order mark is read as such, and said to be.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.diagnostics import Diagnostic, diagnostic
from kg.errors import ArgumentTypeError, CorpusNotFoundError
from kg.read.decoding import decode_page, wide_codec  # (kept importable from here: they were this module's)

__all__ = ["PageFile", "check_corpus_named", "corpus_root", "is_page", "iter_page_paths", "iter_page_files",
           "read_page", "safe_name", "decode_page", "wide_codec", "prefetch", "HINT_BYTES", "MAX_PAGE_BYTES",
           "too_large_digest"]

#: Pages larger than this are skipped with a diagnostic (no real page is near it).
MAX_PAGE_BYTES = 16 * 1024 * 1024


def too_large_digest(size: int) -> str:
    """The digest of a page of ``size`` bytes, over :data:`MAX_PAGE_BYTES`, which is not read: the cache keeps
    its row (its diagnostic, which says the size) under it, so that a rerun does not read it again while its
    stat signature holds, and reads it again once it is of another size.

    >>> too_large_digest(17 << 20)
    'too-large:17825792'
    """
    return f"too-large:{size}"


PAGE_SUFFIX = ".md"


@dataclass(frozen=True, slots=True)
class PageFile:
    """One decoded page.

    ``text`` is ``None`` when the file could not be read as a page; then
    ``diagnostics`` says why.  ``digest`` is the SHA-256 of the raw bytes
    (empty when unread; :func:`too_large_digest` for a file too large to read), the key of the
    incremental build cache.
    """

    path: str
    text: str | None
    digest: str
    diagnostics: tuple[Diagnostic, ...] = ()


def is_page(rel: str) -> bool:
    """Whether a record of the walk counts as a page read: the ``news`` folder's own does not.

    (It reports a problem with the folder itself, or that it holds no page.)

    Examples
    --------
    >>> is_page("news/2015/09/1/a.md"), is_page("news")
    (True, False)
    """
    return rel != "news"


#: The names of the graph files kg build writes (a graph given where a corpus is asked for).
_GRAPH_FILE = re.compile(r".*\.(kg\.json|ttl|turtle|nt|nq|trig)(\.gz)?").fullmatch


def check_corpus_named(folder: str | os.PathLike[str]) -> None:
    """Refuse the empty string for a corpus: ``Path("")`` is ".", and an unset variable would read the
    current folder (what reads a corpus or a graph file calls this before anything else).

    Raises
    ------
    CorpusNotFoundError
        If ``folder`` is the empty string.

    Examples
    --------
    >>> check_corpus_named("examples/wcep-2015-09")
    >>> check_corpus_named("")
    Traceback (most recent call last):
    ...
    kg.errors.CorpusNotFoundError: the corpus is an empty path (an unset variable?): name the folder, '.' for this one
    >>> check_corpus_named(None)
    Traceback (most recent call last):
    ...
    kg.errors.ArgumentTypeError: the corpus is a folder's path (a str or os.PathLike), not None
    """
    if not isinstance(folder, (str, os.PathLike)):  # (None: an unset variable, as os.environ.get gives it)
        raise ArgumentTypeError(f"the corpus is a folder's path (a str or os.PathLike), not "
                                f"{'None' if folder is None else type(folder).__name__}")
    if isinstance(folder, str) and not folder:
        raise CorpusNotFoundError("the corpus is an empty path (an unset variable?): name the folder, '.' for this one")


def corpus_root(folder: str | os.PathLike[str]) -> Path:
    """Return the corpus root: the folder that holds ``news/``.

    A path to the ``news`` folder itself is accepted too.

    Raises
    ------
    CorpusNotFoundError
        If ``folder`` is not an existing folder, or has no ``news/`` folder, or
        is the empty string (:func:`check_corpus_named`).
    """
    check_corpus_named(folder)
    path = Path(folder)
    try:
        return _corpus_root(path)
    except OSError as err:
        if isinstance(err, CorpusNotFoundError):
            raise
        # (Python 3.11's exists() and is_dir() raise where a folder may not be searched; kg build said
        # "cannot write" of a corpus it only reads)
        where = err.filename if isinstance(err.filename, str) else str(path)
        raise CorpusNotFoundError(f"cannot read the corpus folder {where}: {err.strerror or err}") from err


def _corpus_root(path: Path) -> Path:
    if path.exists() and not path.is_dir():
        what = next((what for test, what in _KINDS if test(path.stat().st_mode)), "a file")
        graph = _GRAPH_FILE(path.name.lower()) is not None
        hint = ": a graph that kg build wrote, which kg.load, kg stats and kg query read" if graph else ""
        raise CorpusNotFoundError(f"{path} is {what}, not a corpus folder{hint}")
    if not path.is_dir():
        raise CorpusNotFoundError(f"corpus folder not found: {path}{_near_names(path)}")
    if (path / "news").is_dir():
        return path.resolve()
    if path.name == "news":
        return path.parent.resolve()
    resolved = path.resolve()
    if resolved.name == "news":  # (the news folder spelt otherwise: ".", "news/2026/..")
        return resolved.parent
    # Without news/ nothing would be read: an empty graph that looks like success.
    below = sorted(str(path / entry.name) for entry in os.scandir(path) if _holds_news(entry))
    above = next((up for up in resolved.parents if up.name == "news" and up.parent.joinpath("news").is_dir()), None)
    hint = (f"; the corpora below it: {', '.join(below[:5])}" if below else
            f"; it lies inside the corpus {above.parent}" if above is not None else "")
    raise CorpusNotFoundError(f"not a corpus (it has no news/ folder): {path}{hint}")


def _holds_news(entry: os.DirEntry[str]) -> bool:
    """Whether ``entry`` is a folder with ``news/`` in it (one that may not be searched: no)."""
    try:
        return entry.is_dir() and (Path(entry.path) / "news").is_dir()
    except OSError:
        return False


def _near_names(path: Path) -> str:
    """A hint naming what is beside a path that is not there, spelt nearly so (a mistyped file or folder)."""
    import difflib

    try:  # (what a corpus's reader reads: a folder, or a graph file; not graph.html, say)
        beside = [entry.name for entry in os.scandir(path.parent or ".")
                  if _GRAPH_FILE(entry.name.lower()) is not None or entry.is_dir()]
    except OSError:
        return ""
    near = difflib.get_close_matches(path.name, beside, n=2, cutoff=0.75)
    return f"; did you mean {' or '.join(repr(str(path.parent / name)) for name in near)}?" if near else ""


def iter_page_paths(root: Path) -> Iterator[tuple[str, Path | None, Diagnostic | None]]:
    """Yield ``(relative path, real path, problem)`` for every page file, sorted.

    The walk is deterministic (sorted names) and never leaves ``root``: a
    symbolic link whose target lies outside, or in ``news/`` (whose pages are
    read at their own paths), is reported, not followed, and a folder reached
    twice through links is walked once.
    """
    for rel, real, problem in iter_page_files(root):
        yield rel, None if real is None else Path(real), problem


def iter_page_files(root: Path) -> Iterator[tuple[str, str | None, Diagnostic | None]]:
    """:func:`iter_page_paths` with the real paths as strings: the walk of a big archive.

    Entries are told apart by the type the directory listing gives, so a
    plain file or folder costs no system call of its own; only symbolic
    links are resolved.  The walk is iterative (any depth) and every name is
    made safe to show (see :func:`safe_name`); FIFOs, sockets and devices,
    link loops and names that collide once normalized are reported, never
    read.  ``news`` itself is held to the corpus boundary like any folder.
    """
    top = os.fspath(root)
    news = os.path.join(top, "news")
    try:
        st = os.lstat(news)
    except OSError:
        return
    if stat.S_ISLNK(st.st_mode):
        real, problem = _follow(top, top, news, "news")
        if problem is not None:
            yield "news", None, problem
            return
        if real is None or not os.path.isdir(real):
            return
    elif stat.S_ISDIR(st.st_mode):
        real = os.path.realpath(news)
    else:
        return
    yield from _walk(top, real, "news")


def _inside(root: str, real: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def safe_name(name: str) -> tuple[str, bool]:
    """A file name as a page path holds it: NFC, with bytes that are not UTF-8 shown as ``%XX``.

    Returns the name and whether it had such bytes.  Python hands those
    bytes over as lone surrogates, which no output can hold.

    Examples
    --------
    >>> safe_name("caf\\udce9.md")
    ('caf%E9.md', True)
    >>> safe_name("cafe\\u0301.md")
    ('café.md', False)
    """
    if name.isascii():
        return name, False
    bad = False
    if any("\udc80" <= ch <= "\udcff" for ch in name):
        bad = True
        name = "".join(f"%{ord(ch) - 0xDC00:02X}" if "\udc80" <= ch <= "\udcff" else ch for ch in name)
    return unicodedata.normalize("NFC", name), bad


def _follow(root: str, folder: str, path: str, rel: str, news: str | None = None,
            ) -> tuple[str | None, Diagnostic | None]:
    """Resolve the symbolic link ``path`` (in real folder ``folder``); say why not to follow it.

    ``news`` is the real ``news`` folder being walked (``None`` for ``news`` itself).
    """
    try:
        os.stat(path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return None, diagnostic(rel, 0, "symlink-loop", "symbolic link loop")
        # A dangling link: nothing to read; said where it stands for a page, as every bad file is.
        said = "symbolic link to nothing (its target is not there)"
        return None, diagnostic(rel, 0, "symlink-dangling", said) if rel.lower().endswith(".md") else None
    real = os.path.realpath(path)
    if not _inside(root, real):
        return None, diagnostic(rel, 0, "symlink-skipped", "symbolic link to a place outside the corpus")
    if os.path.isdir(real) and _inside(real, folder):
        return None, diagnostic(rel, 0, "symlink-loop",
                                "symbolic link back to a folder above it; not walked again")
    if news is not None and _inside(news, real):
        # The walk reaches it at its own path: followed, it would be a second page (or folder of
        # pages), and the one kept whenever its name sorted first.
        there = safe_name("news" + real[len(news):])[0]
        if os.path.isdir(real):
            return None, diagnostic(rel, 0, "symlink-skipped", f"symbolic link to {there}, a folder of the "
                                                               "corpus walked at its own path; not followed")
        if rel.endswith(PAGE_SUFFIX) and real.endswith(PAGE_SUFFIX):
            return None, diagnostic(rel, 0, "symlink-skipped", f"symbolic link to {there}, a page of the "
                                                               "corpus read at its own path; not followed")
    return real, None


def _listing(folder: str, rel: str) -> list[tuple[os.DirEntry[str], str, bool, str | None]]:
    """``(entry, safe name, bad bytes, name it duplicates)`` per entry, sorted by name."""
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda e: e.name)
    named = [(entry, *safe_name(entry.name)) for entry in entries]
    # Of names that collide once made safe, keep the one already in that form.
    keeper: dict[str, str] = {}
    for entry, safe, _ in named:
        if safe not in keeper or entry.name == safe:
            keeper[safe] = entry.name
    return [(entry, safe, bad, None if keeper[safe] == entry.name else keeper[safe])
            for entry, safe, bad in named]


def _walk(root: str, top: str, top_rel: str) -> Iterator[tuple[str, str | None, Diagnostic | None]]:
    """Walk ``top``, a real path (no link in it), known to the caller as ``top_rel``.

    Depth first in name order, with a stack instead of recursion; a folder
    reached twice through links is walked once.
    """
    seen: set[str] = set()
    stack: list[tuple[str, str, Iterator[tuple[os.DirEntry[str], str, bool, str | None]]]] = []

    def enter(folder: str, rel: str) -> Diagnostic | None:
        if folder in seen:
            return None
        seen.add(folder)
        try:
            stack.append((folder, rel, iter(_listing(folder, rel))))
        except OSError as err:
            return diagnostic(rel, 0, "unreadable-file", f"folder not readable: {err.strerror or err}")
        return None

    problem = enter(top, top_rel)
    if problem is not None:
        yield top_rel, None, problem
    while stack:
        folder, rel, entries = stack[-1]
        item = next(entries, None)
        if item is None:
            stack.pop()
            continue
        entry, name, bad, twin = item
        child_rel = f"{rel}/{name}"
        if twin is not None:
            shown = f"{rel}/{ascii(entry.name)[1:-1]}"
            yield shown, None, diagnostic(shown, 0, "duplicate-name",
                                          f"the same name as {child_rel} once normalized; skipped")
            continue
        if bad and not (entry.name.endswith(PAGE_SUFFIX) and entry.is_file()):
            # A page's own name is reported with its page (by read_page), a link's too.
            yield child_rel, None, diagnostic(child_rel, 0, "non-utf8-name",
                                              f"the name is not UTF-8; shown as {name!r}")
        try:
            if entry.is_symlink():
                real, problem = _follow(root, folder, entry.path, child_rel, top)
                if problem is not None:
                    yield child_rel, None, problem
                elif real is None:
                    continue
                elif os.path.isdir(real):
                    problem = enter(real, child_rel)
                    if problem is not None:
                        yield child_rel, None, problem
                elif os.path.isfile(real):
                    if entry.name.endswith(PAGE_SUFFIX):
                        yield child_rel, real, None
                else:
                    yield child_rel, None, _not_regular(child_rel, os.stat(real).st_mode)
            elif entry.is_dir(follow_symlinks=False):
                problem = enter(entry.path, child_rel)
                if problem is not None:
                    yield child_rel, None, problem
            elif entry.is_file(follow_symlinks=False):
                if entry.name.endswith(PAGE_SUFFIX):
                    yield child_rel, entry.path, None
            else:
                yield child_rel, None, _not_regular(child_rel, entry.stat(follow_symlinks=False).st_mode)
        except OSError as err:
            yield child_rel, None, diagnostic(child_rel, 0, "unreadable-file", str(err.strerror or err))


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def _not_regular(rel: str, mode: int) -> Diagnostic:
    kind = next((what for test, what in _KINDS if test(mode)), "not a regular file")
    return diagnostic(rel, 0, "not-regular-file", f"{kind}, not a page or folder; skipped")


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
    for path in paths:
        try:
            fd = os.open(path, _NON_BLOCKING)  # a FIFO put where a page was must not stop the build here
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


#: A byte of a file name that is not UTF-8, as :func:`safe_name` shows it.
_ESCAPED_BYTE = re.compile(r"%[89A-F][0-9A-F]")


def read_page(rel: str, real: str | os.PathLike[str], *, walked: bool = False) -> PageFile:
    """Read and decode one page file; never raises on bad data.

    The file is opened without following a final symbolic link and without
    blocking, then checked to be a regular file: a page swapped for a link,
    a FIFO or a device after the walk is reported, and cannot hang the build.
    With ``walked`` (``real`` is a path the walk resolved, with no link in
    it), the file opened must be the one at that path (checked through
    ``/proc/self/fd`` where there is one): a folder on the way swapped for a
    link during the build cannot lead the read out of the corpus.
    """
    problems: tuple[Diagnostic, ...] = ()
    shown, bad = safe_name(os.path.basename(os.fspath(real)))
    if walked and shown != (name := rel.rpartition("/")[2]):
        # Read through a link: its own name is the page's, not the file's it leads to. The walk showed a byte
        # that is not UTF-8 as %XX (and so shows a name that holds "%FE" as written: one name to kg).
        bad = _ESCAPED_BYTE.search(name) is not None
    if bad:
        problems = (diagnostic(rel, 0, "non-utf8-name", f"the file name is not UTF-8; shown as {rel!r}"),)
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except OSError as err:
        why = "a symbolic link appeared in its place" if err.errno == errno.ELOOP else str(err.strerror or err)
        return PageFile(rel, None, "", (*problems, diagnostic(rel, 0, "unreadable-file", why)))
    try:
        if walked and _moved(fd, os.fspath(real)):
            why = "a folder on its path was replaced by a link during the build"
            return PageFile(rel, None, "", (*problems, diagnostic(rel, 0, "unreadable-file", why)))
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return PageFile(rel, None, "", (*problems, _not_regular(rel, st.st_mode)))
        if st.st_size > MAX_PAGE_BYTES:
            why = f"{st.st_size} bytes, the limit is {MAX_PAGE_BYTES}"
            return PageFile(rel, None, too_large_digest(st.st_size),
                            (*problems, diagnostic(rel, 0, "file-too-large", why)))
        data = _read_to_end(fd, st.st_size)
    except OSError as err:
        return PageFile(rel, None, "", (*problems, diagnostic(rel, 0, "unreadable-file", str(err.strerror or err))))
    finally:
        os.close(fd)
    if len(data) > MAX_PAGE_BYTES:  # grew since the fstat
        too_large = diagnostic(rel, 0, "file-too-large", f"over {MAX_PAGE_BYTES} bytes")
        return PageFile(rel, None, too_large_digest(st.st_size), (*problems, too_large))
    digest = hashlib.sha256(data).hexdigest()
    text, found = decode_page(data, rel)
    return PageFile(rel, text, digest, problems + tuple(found))


_READ_ON = 64 * 1024


def _read_to_end(fd: int, size: int) -> bytes:
    """The file's bytes to its end, :data:`MAX_PAGE_BYTES` and one more at most (read with no file object).

    ``size`` is the size the file had: a short read, or a file grown since, is read on, in small reads
    (each read's buffer is as long as it asks for: a buffer of the limit's length for every page
    cost a fifth of the build's reading and parsing).
    """
    data = os.read(fd, min(size, MAX_PAGE_BYTES) + 1)
    parts, total = [data], len(data)
    while data and total <= MAX_PAGE_BYTES:
        data = os.read(fd, min(_READ_ON, MAX_PAGE_BYTES + 1 - total))
        parts.append(data)
        total += len(data)
    return b"".join(parts)


def _moved(fd: int, real: str) -> bool:
    """Whether the open file ``fd`` is not at ``real`` (as far as ``/proc`` can tell)."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}") != os.path.abspath(real)
    except OSError:  # no /proc here: the final component was still checked
        return False


_NON_BLOCKING = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
#: How pages are opened: never blocking (a FIFO put in a page's place), never through a final link.
_OPEN_FLAGS = _NON_BLOCKING | getattr(os, "O_NOFOLLOW", 0)
