"""Copy a byte range from one open file to another, in the kernel where it can; open a kept file to write over.

Both big-file writers need this: the parallel Turtle writer joins its parts,
and the incremental rebuild copies the unchanged runs of the old file.  A
gigabyte read into Python and written back costs seconds; ``copy_file_range``
moves it between the files' pages several times faster.  The rebuild writes
the new file over the previous one, kept in the cache folder
(:func:`open_spare`): freeing a gigabyte costs as much as writing it.  The
rebuild leaves its copies for later (:class:`RangeCopies`): they run in a
thread (:func:`copying_meanwhile`) while the build writes its other files,
since the kernel copies without holding Python's lock.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from kg.errors import OutputError

__all__ = ["copy_range", "open_spare", "RangeCopies", "copy_ranges", "copying_meanwhile", "COPY_CHUNK"]

#: Bytes copied by one call at most, so that a copy asked to stop does so soon.
COPY_CHUNK = 64 << 20


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


@dataclass(frozen=True, slots=True)
class RangeCopies:
    """Byte ranges of one file to copy into another, each to a place of its own.

    The ranges do not overlap in ``target``, so they can be copied in any
    order, and after the rest of ``target`` was written around them.
    """

    #: The file the bytes come from, and the one they go to (both exist).
    source: str
    target: str
    #: ``(offset in source, offset in target, length)`` of each range.
    ranges: tuple[tuple[int, int, int], ...]
    #: The source's ``(inode, size, mtime in ns)`` as it was read to plan the copies, if known: a source
    #: replaced or changed since is not copied from (:class:`~kg.errors.OutputError`).
    source_id: tuple[int, int, int] | None = None

    @property
    def size(self) -> int:
        """Bytes to copy in all."""
        return sum(length for _, _, length in self.ranges)


def copy_ranges(copies: RangeCopies, stop: threading.Event | None = None) -> None:
    """Copy the ranges of ``copies``, in the kernel where it can; give up between two chunks once ``stop`` is set.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a").write_bytes(b"0123456789"); _ = (d / "b").write_bytes(b"<.....>")
    >>> copy_ranges(RangeCopies(str(d / "a"), str(d / "b"), ((0, 1, 2), (7, 3, 3))))
    >>> (d / "b").read_bytes()
    b'<01789>'
    >>> import shutil; shutil.rmtree(d)
    """
    try:
        src = os.open(copies.source, os.O_RDONLY | _BINARY)
    except FileNotFoundError as err:
        raise _changed(copies.source, "removed") from err
    try:
        st = os.fstat(src)
        if copies.source_id is not None and (st.st_ino, st.st_size, st.st_mtime_ns) != copies.source_id:
            raise _changed(copies.source, "replaced or changed")
        dst = os.open(copies.target, os.O_WRONLY | _NOFOLLOW | _BINARY)
        try:
            copy = getattr(os, "copy_file_range", None)
            for start, at, length in copies.ranges:
                end = start + length
                while start < end:
                    if stop is not None and stop.is_set():
                        return
                    size = min(end - start, COPY_CHUNK)
                    if copy is not None:
                        try:
                            done = copy(src, dst, size, start, at)
                        except OSError as err:
                            if err.errno not in _NOT_IN_KERNEL:  # a full disk, an I/O error: said as it is
                                raise
                            copy = None  # not between these files (an old kernel, another file system)
                            continue
                    else:
                        done = _write_at(dst, os.pread(src, min(size, 1 << 22), start), at)
                    if done <= 0:
                        raise OSError(f"could not copy from {copies.source}")
                    start += done
                    at += done
        finally:
            os.close(dst)
    finally:
        os.close(src)


#: What copy_file_range says where the kernel cannot copy between two files: copied through Python instead.
_NOT_IN_KERNEL = frozenset({errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EBADF, errno.EPERM})


def _changed(path: str, how: str) -> OutputError:
    return OutputError(f"{path} was {how} while the build patched it: nothing was published; run the build "
                       f"again (it writes the file in full)")


def _write_at(fd: int, data: bytes, offset: int) -> int:
    """Write all of ``data`` at ``offset``; how much (0 when ``data`` is empty: the source ended)."""
    done = 0
    while done < len(data):
        done += os.pwrite(fd, data[done:], offset + done)
    return done


@contextmanager
def copying_meanwhile(copies: Sequence[RangeCopies]) -> Iterator[None]:
    """Run ``copies`` in a thread while the block runs; wait for them after it.

    An error of the copies is raised after the block (with its traceback);
    when the block raises, the copies are stopped (they are no longer
    wanted) and the block's error goes on.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a").write_bytes(b"0123456789"); _ = (d / "b").write_bytes(b"<..>")
    >>> with copying_meanwhile([RangeCopies(str(d / "a"), str(d / "b"), ((4, 1, 2),))]):
    ...     pass  # the caller's own work
    >>> (d / "b").read_bytes()
    b'<45>'
    >>> import shutil; shutil.rmtree(d)
    """
    work = [c for c in copies if c.ranges]
    if not work:
        yield
        return
    stop = threading.Event()
    failed: list[BaseException] = []

    def run() -> None:
        try:
            for c in work:
                copy_ranges(c, stop)
        except BaseException as error:  # raised in the caller's thread, after the block
            failed.append(error)

    thread = threading.Thread(target=run, name="kg-copy", daemon=True)
    thread.start()
    try:
        yield
    except BaseException:
        stop.set()
        raise
    finally:
        try:
            thread.join()
        except BaseException:  # (Ctrl-C while waiting)
            stop.set()
            raise
    if failed:
        raise failed[0]


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
