"""Whether a page file may have changed since the last build: its stat signature, and the hash that settles it.

As in git's index, a file whose size, mtime, ctime and inode are all
unchanged (:func:`stat_signature`) is not read again to learn its hash (the
ctime cannot be set back by tools that copy times); any other file is hashed
(:func:`file_digest`), and has changed only if its bytes did.  The page
cache (:mod:`kg.incremental.cache`) keeps both for every page; the map's
workers take a page's signature before they read it.
"""

from __future__ import annotations

import hashlib
import os
import stat

__all__ = ["stat_signature", "file_digest"]


def stat_signature(path: str) -> str | None:
    """Size, mtime, ctime and inode of a file: unchanged means the bytes are too.

    >>> stat_signature("/no/such/file") is None
    True
    """
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


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
