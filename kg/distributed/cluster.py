"""The local Dask cluster of a build without a scheduler: started whole, closed whole, even on Ctrl-C.

A signal that cut :class:`distributed.LocalCluster`'s start short left a
cluster half made: its worker processes still starting (unpickling their
start data) when the build exited found the build's locks gone and printed a
traceback after kg's one line.  So the start runs in a thread, which Python's
signals never reach: on Ctrl-C (or SIGTERM) the build waits for the start to
end, closes the whole cluster and only then goes on to say it was stopped.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Collection
from typing import Any

from kg.distributed import workersetup
from kg.distributed.workersetup import quiet_when_stopped
from kg.interrupts import Terminated

__all__ = ["start_local_cluster", "close_half_made", "refuses_connections", "START_WAIT_S"]

#: How long a stopped build waits for the cluster's start to end before it closes what there is.
START_WAIT_S = 60.0


def start_local_cluster(distributed: Any, workers: int, scratch: str | None = None) -> Any:
    """A local cluster of ``workers`` processes, one thread each, started whole (its workers' folders
    and lock files in ``scratch``, by default distributed's ``dask-scratch-space`` in the temporary folder).

    Raises what the start raised; on Ctrl-C or SIGTERM meanwhile, what
    interrupted the wait, once the cluster is started and closed again.
    """
    made: list[Any] = []
    failed: list[BaseException] = []
    others = {id(cluster) for cluster in list(_register(distributed))}  # (a caller's own: left alone)

    # Waited for by an event, not by joining the thread: a join that a signal interrupts marks the
    # thread as ended while it runs on (Python 3.11's threading).
    started = threading.Event()

    def start() -> None:
        # (the preload: Ctrl-C reaches every process of the group, and only the build should act on it)
        try:
            made.append(distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                 dashboard_address=":0", preload=[workersetup.__name__],
                                                 local_directory=scratch))
        except BaseException as err:  # handed to the waiting thread, which raises it
            failed.append(err)
        finally:
            started.set()

    threading.Thread(target=start, name="kg-cluster-start", daemon=True).start()
    try:
        while not started.wait(0.2):
            pass
    except (KeyboardInterrupt, Terminated):
        quiet_when_stopped()
        _wait_out(started)
        for cluster in made:
            with contextlib.suppress(Exception):
                cluster.close(timeout=10)
        if not started.is_set() or failed:  # (a start that hangs, or failed meanwhile: what it left)
            close_half_made(distributed, others)
        raise
    if failed:
        close_half_made(distributed, others)
        raise failed[0]
    return made[0]


def _wait_out(started: threading.Event) -> None:
    """Wait (at most :data:`START_WAIT_S`) for the start to end, whatever signal comes meanwhile."""
    deadline = time.monotonic() + START_WAIT_S
    while not started.is_set() and time.monotonic() < deadline:
        with contextlib.suppress(KeyboardInterrupt, Terminated):  # (said once: the first one stops the build)
            started.wait(0.2)


def _register(distributed: Any) -> Any:
    """distributed's register of its clusters (a WeakSet); none in a version that keeps no such register."""
    return getattr(getattr(distributed.deploy.spec, "SpecCluster", None), "_instances", set())


def close_half_made(distributed: Any, others: Collection[int] = ()) -> None:
    """Close the clusters that a failed start left (all but those whose ``id`` is in ``others``), and
    forget them: distributed's own closing at exit asserts that each worker has finished starting, and
    prints that assertion's traceback after kg's one line."""
    made = _register(distributed)
    for cluster in [c for c in list(made) if id(c) not in others]:
        with contextlib.suppress(Exception):
            cluster.close(timeout=5)
        # Forgotten by identity: a cluster stopped before it had a name cannot answer ==, which a WeakSet's
        # discard asks (AttributeError: no _cluster_info); its own weak reference is found without it.
        refs: Any = getattr(made, "data", None)
        if refs is None:  # (a plain set)
            made.discard(cluster)
            continue
        for ref in [r for r in refs if r() is cluster]:
            refs.discard(ref)


def refuses_connections(address: str) -> bool:
    """Whether nothing listens at a ``tcp://host:port`` scheduler ``address`` (the connection refused).

    distributed's client tries again and again for its connect timeout (30 s by default), as for a
    scheduler still starting; a refusal is told at once. Any other address, or answer, is left to it.

    >>> with socket.socket() as s:
    ...     s.bind(("127.0.0.1", 0))
    ...     free = s.getsockname()[1]
    >>> refuses_connections(f"tcp://127.0.0.1:{free}"), refuses_connections("inproc://x"), refuses_connections("x")
    (True, False, False)
    """
    scheme, _, rest = address.partition("://")
    host, colon, port = rest.rpartition(":")
    if scheme != "tcp" or not colon or not port.isdigit() or not host:
        return False
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=5):
            return False
    except ConnectionRefusedError:
        return True
    except (OSError, ValueError, OverflowError):  # (unreachable, a name not found, a port past 65535: distributed says)
        return False
