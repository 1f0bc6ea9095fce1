"""Copy a byte range from one open file to another, in the kernel where it can.

Both big-file writers need this: the parallel Turtle writer joins its parts,
and the incremental rebuild copies the unchanged runs of the old file.  A
gigabyte read into Python and written back costs seconds; ``copy_file_range``
moves it between the files' pages several times faster.
"""

from __future__ import annotations

import os
from typing import BinaryIO

__all__ = ["copy_range"]


def copy_range(src: BinaryIO, dst: BinaryIO, start: int, end: int) -> None:
    """Append bytes ``start`` to ``end`` of ``src`` to ``dst`` (at its current position).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryFile() as a, tempfile.TemporaryFile() as b:
    ...     _ = a.write(b"0123456789"); a.flush()
    ...     _ = b.write(b">")
    ...     copy_range(a, b, 2, 5)
    ...     _ = b.seek(0); b.read()
    b'>234'
    """
    if end <= start:
        return
    dst.flush()  # what the file object holds must land before the kernel writes after it
    src_fd, dst_fd = src.fileno(), dst.fileno()
    copy = getattr(os, "copy_file_range", None)
    while start < end:
        if copy is not None:
            try:
                done = copy(src_fd, dst_fd, end - start, start)
            except OSError:  # not between these files (an old kernel, another file system)
                copy = None
                continue
        else:
            done = os.write(dst_fd, _read_at(src, min(end - start, 1 << 22), start))
        if done <= 0:
            raise OSError(f"could not copy from {getattr(src, 'name', src)}")
        start += done


def _read_at(fh: BinaryIO, size: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fh.fileno(), size, offset)
    fh.seek(offset)  # pragma: no cover - where there is no pread
    return fh.read(size)
