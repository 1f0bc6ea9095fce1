"""The files a rebuild is about to read, read into the OS page cache meanwhile by a helper process."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from kg.read.files import prefetch

__all__ = ["reading_ahead", "READ_AHEAD_BYTES", "READ_AHEAD_WINDOW"]


#: Below this many bytes of cache and files the read-ahead is not worth a process.
READ_AHEAD_BYTES = 64 << 20
#: At most this much read-ahead queued at a time: the rebuild's own reads wait behind it.
READ_AHEAD_WINDOW = 32 << 20


@contextmanager
def reading_ahead(paths: list[str]) -> Iterator[int | None]:
    """Have the kernel read ``paths`` in while the rebuild works; yield the helper's pid.

    A rebuild copies the previous file around the changed subjects, writes
    over the spare (each partly written page of it is read first) and reads
    scattered cache rows.  If those files have left the OS page cache, the
    kernel would fetch them a page at a time as each is needed (a
    150,000-event rebuild took 15-17 s so); hinted up front they arrive in
    large reads meanwhile.  The hints wait while the disk's queue is full,
    hence a forked process.  It must not be this process: closing a file
    descriptor of the cache here would drop SQLite's locks on it.
    """
    sizes = 0
    for path in paths:
        with contextlib.suppress(OSError):
            sizes += os.stat(path).st_size
    if sizes < READ_AHEAD_BYTES or sys.platform != "linux" or not hasattr(os, "posix_fadvise"):
        yield None
        return
    from kg.interrupts import signals_held

    pid = 0
    try:
        with signals_held():  # until the helper has its own handlers, and this process the pid
            pid = os.fork()
            if pid == 0:  # the helper: no Ctrl-C traceback, no exit handlers or buffers of the parent's
                try:
                    signal.signal(signal.SIGINT, signal.SIG_IGN)
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # it holds nothing another process needs
                    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
                    prefetch(paths, in_flight=READ_AHEAD_WINDOW)
                finally:
                    os._exit(0)
        yield pid
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)  # what it has not hinted yet is no longer needed
            os.waitpid(pid, 0)
