"""The ``kg`` program's entry point (its console script and ``python -m kg``): :func:`kg.cli.run`.

A Ctrl-C or SIGTERM while the command line's modules are imported, before kg's own handlers are set, is
said in the one line that kg says at any other time, not as a traceback of the import it landed in (nor, for
SIGTERM, as a death by the signal with no word, -15 to a supervisor).
"""

from __future__ import annotations

import signal
import sys

from kg.interrupts import Terminated, interrupts_past_imports, said_interrupted, said_terminated

__all__ = ["run", "program_settings"]


def program_settings() -> None:
    """Set what the program sets for itself, not the library for its callers, before numpy is imported:
    OpenBLAS on one thread, unless the user set it (the explorer's force layout, its one use of BLAS, took
    25.6 s at ``--max-nodes 1000`` with a thread a core on 2 cores, and 21.3 s with one: CPU 46 s against
    21 s, the same page; the threads wait on one another over matrices of a thousand rows)."""
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def run() -> None:
    """Import and run the ``kg`` program (:func:`kg.cli.run`); exit 130 if Ctrl-C lands while importing, 143
    if SIGTERM lands before the program's own handlers are set (each raised once the import it lands in is
    done, and neither if the program started with it ignored: see :func:`kg.interrupts.interrupts_past_imports`)."""
    program_settings()
    try:
        with interrupts_past_imports():
            from kg.cli import run as run_program

            run_program()  # (which sets its own handlers, and says what stopped it)
    except KeyboardInterrupt:
        said_interrupted("", True)
        sys.exit(128 + signal.SIGINT)
    except Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # (one more while this is said: the same end)
        said_terminated("", True)
        sys.exit(128 + signal.SIGTERM)
