"""Set-up run in each worker process of the local Dask cluster (a Dask "preload" module).

Ctrl-C reaches the whole process group.  The parent stops the job and closes
the cluster, which ends its workers; a worker left to Python's default would
also raise ``KeyboardInterrupt`` and print its traceback beside kg's one line.
So a worker takes Ctrl-C as the news that the build is stopping, and says no
more (a heartbeat that finds the scheduler already closed logged its traceback).

Examples
--------
>>> import signal
>>> before = signal.getsignal(signal.SIGINT)
>>> dask_setup(None)
>>> signal.getsignal(signal.SIGINT) is _stopping
True
>>> _ = signal.signal(signal.SIGINT, before)
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

__all__ = ["dask_setup", "quiet_when_stopped", "quiet_from_the_signal"]


def dask_setup(worker: Any) -> None:
    """Leave Ctrl-C to the process that started the cluster (Dask calls this, by this name); and
    say nothing of the tasks that its closing cancels."""
    signal.signal(signal.SIGINT, _stopping)
    logging.getLogger("distributed.worker.state_machine").addFilter(_not_a_cancelled_task)


def _stopping(signum: int, frame: Any) -> None:
    """A worker's Ctrl-C: the process that started the cluster stops the job and closes it."""
    quiet_when_stopped()


def quiet_when_stopped() -> None:
    """After a signal stopped the build: what distributed says of the workers it stops mid-task or
    mid-start, or of a scheduler closed before them, and asyncio of their start's tasks left
    unfinished, is no news after kg's one line."""
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)


@contextlib.contextmanager
def quiet_from_the_signal() -> Iterator[None]:
    """Within the block, a Ctrl-C or SIGTERM first quiets distributed (:func:`quiet_when_stopped`), then
    does what it did before (raises, as a rule).

    Quieted where the exception is caught, a loaded machine let the scheduler, in its own thread,
    log the closed connections of the signalled workers first: tracebacks above kg's one line.  The
    handler runs at the main thread's next Python instruction: sooner, not at once (a long C call
    delays it), which narrows that window rather than closing it.

    >>> before = signal.getsignal(signal.SIGINT)
    >>> with quiet_from_the_signal():
    ...     signal.getsignal(signal.SIGINT) is before
    False
    >>> signal.getsignal(signal.SIGINT) is before
    True
    """
    if threading.current_thread() is not threading.main_thread():  # (signals reach the main thread alone)
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def quieted(signum: int, frame: FrameType | None) -> None:
        quiet_when_stopped()
        was = previous[signal.Signals(signum)]
        if callable(was):
            was(signum, frame)

    for sig, was in previous.items():
        if callable(was):  # (an ignored signal stays ignored; a default one kills, and says nothing)
            signal.signal(sig, quieted)
    try:
        yield
    finally:
        for sig, was in previous.items():
            if callable(was) and signal.getsignal(sig) is quieted:
                signal.signal(sig, was)


def _not_a_cancelled_task(record: logging.LogRecord) -> bool:
    """Whether a worker's log record says more than that a task was cancelled (as a stopped build's are).

    >>> _not_a_cancelled_task(logging.makeLogRecord({"msg": "Async instruction ... ended with CancelledError"}))
    False
    """
    return "ended with CancelledError" not in record.getMessage()
