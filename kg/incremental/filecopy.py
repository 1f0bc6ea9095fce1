"""Copy a byte range from one open file to another, in the kernel where it can; open a kept file to write over.

Both big-file writers need this: the parallel Turtle writer joins its parts,
and the incremental rebuild copies the unchanged runs of the old file.  A
gigabyte read into Python and written back costs seconds; ``copy_file_range``
moves it between the files' pages several times faster.  The rebuild writes
the new file over the previous one, kept in the cache folder
(:func:`open_spare`): freeing a gigabyte costs as much as writing it.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

__all__ = ["copy_range", "open_spare"]


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


def open_spare(spare: str, dest: str, published: str) -> BinaryIO:
    """``dest`` to write, made of the spare file when it is on the same file system, else new.

    A spare that is the published file itself (a publication cut short) is never written over, nor
    one that is not a plain file of its own: a link planted in the cache folder (symbolic, or a
    second name of a file elsewhere) would have the new file written into what it names.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "elsewhere").write_bytes(b"a user's file"); (d / "kept").symlink_to(d / "elsewhere")
    >>> with open_spare(str(d / "kept"), str(d / "new"), str(d / "published")) as out:
    ...     _ = out.write(b"@prefix ...")
    >>> (d / "elsewhere").read_bytes(), (d / "new").read_bytes(), (d / "new").is_symlink()
    (b"a user's file", b'@prefix ...', False)
    >>> import shutil; shutil.rmtree(d)
    """
    try:
        mine, theirs = os.lstat(spare), os.stat(os.path.dirname(dest) or ".")
        if (_own_file(mine) and mine.st_dev == theirs.st_dev
                and not os.path.samefile(spare, published)):
            os.rename(spare, dest)
            # (O_NOFOLLOW: a link put in its place since the check is refused; a second name given to
            # it since is found on the file opened)
            fd = os.open(dest, os.O_RDWR | _NOFOLLOW | _BINARY)
            if _own_file(os.fstat(fd)):
                return os.fdopen(fd, "r+b")
            os.close(fd)
            os.remove(dest)
    except OSError:
        if os.path.islink(dest):
            os.remove(dest)
    return os.fdopen(os.open(dest, os.O_RDWR | os.O_CREAT | os.O_TRUNC | _NOFOLLOW | _BINARY, 0o666), "r+b")


def _own_file(st: os.stat_result) -> bool:
    """A plain file of one name: nothing elsewhere is written through it."""
    return stat.S_ISREG(st.st_mode) and st.st_nlink == 1


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # (not on Windows, where making a link takes privileges)
_BINARY = getattr(os, "O_BINARY", 0)  # (Windows: no newline translation of the bytes written)
