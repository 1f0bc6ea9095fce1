"""The ``kg`` program's entry point (its console script and ``python -m kg``): :func:`kg.cli.run`.

A Ctrl-C while the command line's modules are imported, before kg's own handlers are set, is said in the
one line that kg says at any other time, not as a traceback of the import it landed in.
"""

from __future__ import annotations

import sys

__all__ = ["run"]


def run() -> None:
    """Import and run the ``kg`` program (:func:`kg.cli.run`); exit 130 if Ctrl-C lands while importing."""
    try:
        from kg.cli import run as run_program
    except KeyboardInterrupt:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # (one more while this is said: the same end)
        print("kg: interrupted", file=sys.stderr)
        sys.exit(128 + signal.SIGINT)
    run_program()
