"""A file written from a snapshot by a fresh interpreter: ``python -m kg.export.fromsnapshot``.

A build writes its explorer beside other work.  A forked worker would hold
the build's whole heap (the map's and the reduce's memory, freed but not
given back to the system, stays with the process: 0.9 GB at 150,000 events
for a graph of 0.35 GB), and the explorer adds 0.25 GB to it.  A fresh
interpreter reads the snapshot the build has just written and holds only what
the explorer needs.  It is started as a command, not as a ``multiprocessing``
process, whose ``spawn`` runs the caller's main script again.

The request comes pickled on stdin from the build that started it (our own
process, never a file): the snapshot's path and the write
``(format, path, options)``.  Exit code 0 when the file is written; 1 for any
error, reported by nothing here: the build then writes the file itself, and
so raises the error once, with its cause (see :mod:`kg.export.together`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
from typing import Any

from kg.export import export

__all__ = ["start", "main"]


def start(snapshot: str | os.PathLike[str], write: tuple[str, str | os.PathLike[str], dict[str, Any]]
          ) -> subprocess.Popen[bytes] | None:
    """Start a fresh interpreter that writes ``write`` from the snapshot at ``snapshot``.

    It imports kg as this process does (this process's ``sys.path``), and is
    in this process's group: a signal sent to the group ends it too.  ``None``
    where no interpreter can be started (the caller then writes the file itself).
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p or os.curdir for p in sys.path)}
    try:
        process = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    except OSError:  # no executable to run (an embedded interpreter), no process left to start ...
        return None
    if process.stdin is not None:
        with contextlib.suppress(BrokenPipeError), process.stdin:  # (ended at once: its exit code tells)
            process.stdin.write(pickle.dumps((os.fspath(snapshot), write)))
    return process


def main() -> int:
    """Read the request on stdin and write the file; the exit code."""
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle: it ends this process
    gc.disable()  # acyclic records only, and a short life
    from kg.collector import return_large_blocks

    return_large_blocks()  # a program of ours, as the kg program sets it
    try:
        from kg.export.snapshot import read_snapshot

        snapshot, (name, path, options) = pickle.load(sys.stdin.buffer)  # from the build that started us
        export(read_snapshot(snapshot), path, name, **options)
    except BaseException:  # the build writes the file again, and reports why it fails
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
