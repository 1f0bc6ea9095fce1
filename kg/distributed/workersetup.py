"""Set-up run in each worker process of the local Dask cluster (a Dask "preload" module).

Ctrl-C reaches the whole process group.  The parent stops the job and closes
the cluster, which ends its workers; a worker left to Python's default would
also raise ``KeyboardInterrupt`` and print its traceback beside kg's one line.

Examples
--------
>>> import signal
>>> before = signal.getsignal(signal.SIGINT)
>>> dask_setup(None)
>>> signal.getsignal(signal.SIGINT) is signal.SIG_IGN
True
>>> _ = signal.signal(signal.SIGINT, before)
"""

from __future__ import annotations

import logging
import signal
from typing import Any

__all__ = ["dask_setup"]


def dask_setup(worker: Any) -> None:
    """Leave Ctrl-C to the process that started the cluster (Dask calls this, by this name); and
    say nothing of the tasks that its closing cancels."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("distributed.worker.state_machine").addFilter(_not_a_cancelled_task)


def _not_a_cancelled_task(record: logging.LogRecord) -> bool:
    """Whether a worker's log record says more than that a task was cancelled (as a stopped build's are).

    >>> _not_a_cancelled_task(logging.makeLogRecord({"msg": "Async instruction ... ended with CancelledError"}))
    False
    """
    return "ended with CancelledError" not in record.getMessage()
