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

import signal
from typing import Any

__all__ = ["dask_setup"]


def dask_setup(worker: Any) -> None:
    """Leave Ctrl-C to the process that started the cluster (Dask calls this, by this name)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
