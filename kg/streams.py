"""The ``kg`` program's standard streams, held so that a closed one or a reader gone away is no bug.

- A standard stream closed when the program starts (``kg build ... 2>&-``) gets ``/dev/null`` in its
  place, inherited by the programs kg starts, so that no file or pipe opened takes its number (a
  worker's messages would then be written into it).
- Standard error whose reader is gone (``kg build ... 2>&1 | true``), or that cannot be written, is
  dropped: what kg says there is for a person, and the exit status still tells the build's outcome.
- Standard output (or input) closed at the start refuses every write (or read), which the command
  says as an error (exit 2): a command's answer must not be lost without a word. A build writes none.

The library leaves the caller's streams alone: only the program (:func:`kg.cli.run`) holds them.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from typing import TextIO, cast

__all__ = ["hold_standard_streams"]


def hold_standard_streams() -> None:
    """Give closed standard streams ``/dev/null`` and hold standard error against its reader going away."""
    closed = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.append(fd)
    for fd in closed:  # (in order: the lowest free number is the one os.open gives)
        try:
            null = os.open(os.devnull, os.O_RDWR)
        except OSError:  # (no /dev/null, in a bare chroot: the stream stays closed, kg's use of it refused)
            continue
        if null != fd:
            os.dup2(null, fd)  # (inheritable, as dup2 makes it)
            os.close(null)
        else:  # (os.open makes it close-on-exec: a worker started afresh would find the number free again)
            os.set_inheritable(fd, True)
    if sys.stdin is None or 0 in closed:
        sys.stdin = cast(TextIO, _Refused("it was closed when kg started", "standard input"))
    if sys.stdout is None or 1 in closed:
        sys.stdout = cast(TextIO, _Refused("it was closed when kg started", "standard output"))
    if sys.stderr is None or 2 in closed:
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    if not isinstance(sys.stderr, _DroppedWhenGone):
        sys.stderr = cast(TextIO, _DroppedWhenGone(sys.stderr))


class _DroppedWhenGone(io.TextIOBase):
    """Standard error that, once a write or flush fails, drops what follows (and puts ``/dev/null`` on its
    file descriptor, so that the interpreter's flush at exit and the workers it started fail no more)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream
        self._gone = False

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                self._stream.write(text)
            except BlockingIOError:  # (a stream left non-blocking, full for now: this text dropped, not the rest)
                pass
            except OSError:
                self._went()
        return len(text)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except BlockingIOError:
                pass
            except OSError:
                self._went()

    def isatty(self) -> bool:
        return not self._gone and self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]  # (a str where TextIOBase says it may be None)
        return self._stream.encoding

    def _went(self) -> None:
        self._gone = True
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, self._stream.fileno())
            finally:
                os.close(null)
        except (OSError, ValueError):  # (no file descriptor, or a closed one: nothing more to quiet)
            pass


class _Refused(io.TextIOBase):
    """A stream that refuses every read and write with ``EBADF``: standard input or output closed when kg
    started (its file descriptor, ``/dev/null`` now, is left to the workers: this is kg's own use of it)."""

    def __init__(self, why: str, name: str) -> None:
        super().__init__()
        self._why, self._name = why, name

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, self._why, self._name)

    def read(self, size: int | None = -1) -> str:
        raise OSError(errno.EBADF, self._why, self._name)

    def flush(self) -> None:  # (nothing was written)
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, self._why, self._name)

    def writable(self) -> bool:
        return True
