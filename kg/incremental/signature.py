"""Whether a page file may have changed since the last build: its stat signature, and the hash that settles it.

As in git's index, a file whose size, mtime, ctime and inode are all
unchanged (:func:`stat_signature`) is not read again to learn its hash (the
ctime cannot be set back by tools that copy times); any other file is hashed
(:func:`file_digest`), and has changed only if its bytes did.  The page
cache (:mod:`kg.incremental.cache`) keeps both for every page; the map's
workers take a page's signature before they read it.

A file changed within :data:`RACY_NS` of its signature being taken is
"racy", as git says: a second change of the same size in the same tick
of a coarse clock (file systems with one- or two-second times, the kernel's
own clock) would leave the signature as it was.  Its signature says so and
never matches, so that the next build hashes it again.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time

__all__ = ["RACY_NS", "stat_signature", "file_digest"]

#: A file whose mtime or ctime is this close to the moment its signature is taken (or after it) may change
#: again unseen: two seconds, FAT's granularity (ext3's and HFS+'s is one).
RACY_NS = 2_000_000_000


def stat_signature(path: str) -> str | None:
    """Size, mtime, ctime and inode of a file: unchanged means the bytes are too; ``:racy`` after them if the
    file changed too lately to tell (see the module's docstring), with the moment: one that no later one equals.

    >>> stat_signature("/no/such/file") is None
    True
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    now = time.time_ns()
    racy = now - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS  # (marked with the moment: two never match)
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}" + (f":racy {now}" if racy else "")


def file_digest(path: str) -> str | None:
    """SHA-256 of a file's bytes, as :func:`kg.read.files.read_page` computes it (its
    :func:`~kg.read.files.too_large_digest` for a file too large to read)."""
    from kg.read.files import _OPEN_FLAGS, MAX_PAGE_BYTES, too_large_digest

    try:
        fd = os.open(path, _OPEN_FLAGS)  # as read_page opens it: a FIFO cannot hang this
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None  # never cached: read_page skips it without reading
        if st.st_size > MAX_PAGE_BYTES:
            return too_large_digest(st.st_size)  # (cached with its diagnostic, as read_page gives it)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)
