"""Ctrl-C and SIGTERM: raised where Python can raise them, and taken calmly by workers.

A signal's Python handler runs at the next instruction, wherever that is, and
an import is a bad place for what it raises: importlib's weakref callbacks can
only print it ("Exception ignored in ...") and the interrupt is lost, and a C
extension's set-up may not check the imports it makes (orjson's crashed).
So while importlib is on the stack the handler does not raise: it has the
signal delivered again a moment later (by a short-lived thread; were the
handler to re-arm itself, it would run again within itself), until it lands
past the import.  What is still raised where it cannot propagate (a weakref
callback or a ``__del__`` elsewhere) reaches :data:`sys.unraisablehook`,
which has it delivered again the same way.

Worker processes (:func:`worker_pool`) leave both signals to the parent,
which ends the pool: a worker killed by one sent to the whole process group
could die holding the lock of a queue that the parent then waits on forever.
Signals are held while the pool forks, so that no worker meets one before its
handlers are set.  (On Linux: elsewhere a worker is ended by SIGTERM, as the
standard library's are.)

Examples
--------
>>> import signal
>>> with interrupts_past_imports():
...     signal.getsignal(signal.SIGTERM) is signal.getsignal(signal.SIGINT)
True
>>> signal.getsignal(signal.SIGINT) is signal.default_int_handler
True
"""

from __future__ import annotations

import _thread
import contextlib
import functools
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from collections import deque
    from multiprocessing.context import BaseContext
    from multiprocessing.pool import IMapIterator, Pool

    from kg.errors import WorkerDiedError

__all__ = ["Terminated", "interrupts_past_imports", "said_interrupted", "said_terminated", "signals_held",
           "worker_pool"]

_IMPORTLIB = frozenset({"importlib._bootstrap", "importlib._bootstrap_external"})
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so that clean-up runs as for Ctrl-C.

    Like ``KeyboardInterrupt`` it is no error (it passes ``except Exception``),
    so it lives here rather than among :mod:`kg.errors`.
    """


_AGAIN_AFTER_S = 0.005
#: An import that takes longer than this (one stuck on a network file system) is interrupted all the same.
_WAIT_AT_MOST_S = 1.0


def _in_import(frame: FrameType | None, entered: frozenset[int]) -> bool:
    """Whether an import began within the block (``entered``: the frames it began in)."""
    while frame is not None and id(frame) not in entered:
        if frame.f_globals.get("__name__") in _IMPORTLIB:
            return True
        frame = frame.f_back
    return False


def _signal_main_thread(signum: signal.Signals) -> None:
    # Not while the main thread still runs the hook that asked for it (a loaded machine can keep it there
    # past the delay): raised there, it would be lost again.  Once out of it, it raises in plain code.
    main = threading.main_thread().ident
    while _in_hook(sys._current_frames().get(main or 0)):
        time.sleep(_AGAIN_AFTER_S)
    if hasattr(signal, "pthread_kill"):  # a real signal: held while the main thread blocks it (publication)
        signal.pthread_kill(threading.main_thread().ident or 0, signum)
    else:  # pragma: no cover - not on POSIX
        _thread.interrupt_main(signum)


def _in_hook(frame: FrameType | None) -> bool:
    """Whether ``frame`` runs within :func:`_redeliver`."""
    while frame is not None:
        if frame.f_code is _redeliver.__code__:
            return True
        frame = frame.f_back
    return False


def _deliver_later(signum: signal.Signals) -> None:
    timer = threading.Timer(_AGAIN_AFTER_S, _signal_main_thread, (signum,))
    timer.daemon = True
    timer.start()


def _raise_past_imports(entered: frozenset[int], waiting: dict[int, float], signum: int,
                        frame: FrameType | None) -> None:
    since = waiting.setdefault(signum, time.monotonic())
    if _in_import(frame, entered) and time.monotonic() - since < _WAIT_AT_MOST_S:
        _deliver_later(signal.Signals(signum))
        return
    del waiting[signum]
    if signum == signal.SIGTERM:
        raise Terminated
    raise KeyboardInterrupt


def _redeliver(unraisable: Any, fallback: Callable[[Any], object]) -> None:
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        _deliver_later(signal.SIGINT)
    elif isinstance(unraisable.exc_value, Terminated):
        _deliver_later(signal.SIGTERM)
    else:
        fallback(unraisable)


@contextlib.contextmanager
def interrupts_past_imports() -> Iterator[None]:
    """Within the block, Ctrl-C raises ``KeyboardInterrupt`` and SIGTERM :class:`Terminated`.

    Neither is raised inside an import: each waits for the import to end (for
    a second at most).
    A signal the process ignores stays ignored (``nohup``, a shell's
    background job), and outside the main thread nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    # The frames the block began in live as long as it does, so their ids stay theirs.  An
    # import among them (a script that runs kg as it is imported) is not waited for.
    entered: set[int] = set()
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        entered.add(id(frame))
        frame = frame.f_back
    handler = functools.partial(_raise_past_imports, frozenset(entered), {})  # {}: signal -> waiting since
    previous = {sig: signal.getsignal(sig) for sig in _SIGNALS}
    for sig in _SIGNALS:
        if previous[sig] is not signal.SIG_IGN:
            signal.signal(sig, handler)
    hook = sys.unraisablehook
    sys.unraisablehook = functools.partial(_redeliver, fallback=hook)
    try:
        yield
    finally:
        sys.unraisablehook = hook
        for sig, was in previous.items():
            # None: set outside Python, and then left as it was.  A handler the block set (the program's end
            # ignores both signals) stays: put back, Python's own let a Ctrl-C in the exit that followed end the
            # finished build by the signal (-2), not with its status.
            if was is not None and signal.getsignal(sig) is handler:
                signal.signal(sig, was)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM in this thread: they wait, pending, until the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not on POSIX
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _wait_for_the_end(ending: Any) -> None:
    # Whoever sent a SIGTERM (timeout(1) or a supervisor sends one to the whole group, and
    # the pool its own when it ends), the worker ends only once the pool has begun to kill
    # its workers, which it does after its last use of their queues.  (Two SIGTERMs pending
    # at once make one, so the sender cannot tell them apart: the flag does.)
    while True:
        signal.sigwaitinfo({signal.SIGTERM})
        if ending.value:
            os._exit(128 + signal.SIGTERM)


def _start_worker(ending: Any, handover: list[Any]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent ends the pool; no traceback here
    if ending is not None:
        # SIGTERM stays held (as it was at the fork) in every thread of the worker but one,
        # which waits for it: a Python handler would run late after a long C call, and kill
        # the worker wherever it was then (holding a queue's lock, say).
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        threading.Thread(target=_wait_for_the_end, args=(ending,), daemon=True, name="kg-sigterm").start()
    else:  # pragma: no cover - not on Linux: SIGTERM as the standard library's workers take it
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
    initializer, initargs = handover
    if initializer is not None:
        initializer(*initargs)


def _pool_class(context: BaseContext, ending: Any) -> type[Pool]:
    """A Pool whose killing of its workers (its last step in ending) first raises ``ending``,
    and whose tasks fail with :class:`~kg.errors.WorkerDiedError` when a worker dies before."""
    from multiprocessing.pool import Pool

    pools: list[Pool] = []  # the one pool of this class

    class Worker(context.Process):  # type: ignore[name-defined,misc]  # the context's own kind
        def terminate(self) -> None:
            ending.value = 1
            super().terminate()

        def join(self, timeout: float | None = None) -> None:
            # The pool joins a worker that has ended, and starts another in its place; but the
            # task it had is lost, and whoever waits for its result would wait forever.
            super().join(timeout)
            code = self.exitcode
            if code is not None and code != 0 and not ending.value and pools:
                _fail_waiting(pools[0], _death(code))

    class EndingPool(Pool):
        def __init__(self, *args: Any, **kwds: Any) -> None:
            pools.append(self)
            super().__init__(*args, **kwds)

        @classmethod
        def _terminate_pool(cls, *state: Any) -> None:  # Pool's hook: how it ends (once)
            _end_pool(ending, *state)

        @staticmethod
        def Process(ctx: BaseContext, *args: Any, **kwds: Any) -> Any:  # Pool's hook
            return Worker(*args, **kwds)

    return EndingPool


def _end_pool(ending: Any, taskqueue: Any, inqueue: Any, outqueue: Any, pool: list[Any], change_notifier: Any,
              worker_handler: threading.Thread, task_handler: threading.Thread,
              result_handler: threading.Thread, cache: Any) -> None:
    """End a pool of :func:`worker_pool`: its workers first, then the threads that feed and read them.

    The standard ending stops reading results, then kills the workers: one
    that finishes its task meanwhile blocks writing a result bigger than the
    pipe holds, keeping the queue's lock that the ending then waits for, and
    one killed half-way through a result leaves the result thread waiting
    for the rest: forever.  Here this process takes the results' lock first
    (results are read meanwhile), so that no worker is killed holding it or
    half-way through a result; then the pipes' ends this process holds are
    closed, so that a thread blocked on one wakes (broken pipe, end of file).
    """
    from multiprocessing.pool import TERMINATE

    worker_handler._state = task_handler._state = TERMINATE  # type: ignore[attr-defined]  # Pool's state, kept on its threads
    change_notifier.put(None)  # wakes the worker handler, which then starts no other worker
    if threading.current_thread() is not worker_handler:
        worker_handler.join()
    # Results are read on meanwhile, so a worker that holds the lock lets go of it at once, unless
    # it died holding it (killed by the out-of-memory killer half-way through a result, say).
    outqueue._wlock.acquire(timeout=1)
    ending.value = 1
    for worker in pool:
        if worker.exitcode is None:
            worker.terminate()
    for worker in pool:
        worker.join(5)
        if worker.exitcode is None:  # pragma: no cover - a worker stuck in the kernel
            worker.kill()
            worker.join()
    result_handler._state = TERMINATE  # type: ignore[attr-defined]  # Pool's state, as above
    # Only this process holds the pipes now: the result thread reads the results left, then
    # the end of the file; a write to a worker fails, and so does the task thread's last one.
    for end in (inqueue._reader, outqueue._writer):
        with contextlib.suppress(OSError):
            end.close()
    # Held here, or by a dead worker (no thread of this process keeps it a second): let go of it,
    # for the task thread's last sentinel, which then fails on the closed pipe and lets go too.
    outqueue._wlock.release()
    for handler in (task_handler, result_handler):
        if threading.current_thread() is not handler:
            handler.join(5)


def _death(code: int) -> WorkerDiedError:
    from kg.errors import WorkerDiedError

    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:  # a real-time signal (SIGRTMIN + n) is valid but has no name in Signals
            name = f"signal {-code}"
        hint = " (as the kernel's out-of-memory killer does: fewer --jobs need less memory)" \
            if -code == signal.SIGKILL else ""
        return WorkerDiedError(f"a worker process was killed by {name}{hint}")
    return WorkerDiedError(f"a worker process ended with status {code} before finishing its task")


def _fail_waiting(pool: Pool, error: WorkerDiedError) -> None:
    """Have every result still awaited from ``pool`` raise ``error`` (a worker died with one of them)."""
    from multiprocessing.pool import IMapIterator

    # The pool's own bookkeeping (its cache of pending jobs and their _set), as its result
    # thread uses it; a result that comes meanwhile from a live worker finds its job gone.
    for job in list(pool._cache.values()):  # type: ignore[attr-defined]  # Pool's jobs: not in typeshed
        with contextlib.suppress(KeyError):  # the job ended meanwhile
            if isinstance(job, IMapIterator):  # (and its unordered kind): the next item raises
                _fail_next(job, error)
            else:  # an ApplyResult or a MapResult: ready, failed, once every chunk is accounted for
                for _ in range(max(1, getattr(job, "_number_left", 1))):
                    job._set(0, (False, error))


class _Items(Protocol):
    """What an :class:`~multiprocessing.pool.IMapIterator` keeps of its items, which typeshed leaves out."""

    _cond: threading.Condition
    _items: deque[tuple[bool, object]]
    _index: int


def _fail_next(job: IMapIterator[Any], error: WorkerDiedError) -> None:
    """Have the next item of ``job`` raise ``error``: put a failed one, as its ``_set`` would."""
    items: _Items = job  # type: ignore[assignment]  # its private fields, as _Items says them
    with items._cond:
        items._items.append((False, error))
        items._index += 1
        items._cond.notify()


@contextlib.contextmanager
def worker_pool(context: BaseContext, processes: int, initializer: Callable[..., object] | None = None,
                initargs: tuple[Any, ...] = ()) -> Iterator[Pool]:
    """A ``multiprocessing`` pool whose workers leave Ctrl-C and SIGTERM to this process.

    A worker killed at an arbitrary instruction by a signal sent to the whole
    process group (as ``timeout`` and supervisors send it) could die holding
    the lock of a queue that ``Pool.terminate`` then waits on forever; so the
    workers ignore Ctrl-C, and SIGTERM until the pool, ending on leaving the
    block, has begun to kill them (once it holds the results' lock: see
    :func:`_end_pool`).  A worker that dies on its own mid-task (killed by the
    out-of-memory killer, say) makes every result still awaited raise
    :class:`~kg.errors.WorkerDiedError`, where the standard pool waits forever
    for the task it lost.  With the ``fork`` start method on Linux; elsewhere
    the pool is the standard one.

    Examples
    --------
    >>> import multiprocessing, operator
    >>> with worker_pool(multiprocessing.get_context("fork"), 2) as pool:
    ...     pool.starmap(operator.mul, [(2, 3), (4, 5)])
    [6, 20]
    """
    # Where a worker is a fork with nothing to pickle; sigwaitinfo is Linux's.
    fork = context.get_start_method() == "fork" and hasattr(signal, "sigwaitinfo")
    ending = context.RawValue("b", 0) if fork else None
    pool: Pool | None = None
    # What the workers start with, emptied when the pool ends: a pool lives on in reference
    # cycles until the collector runs, which a build keeps paused, and with its arguments
    # (a whole node/edge table: 80 MB at 150,000 events) it was still held at the next fork.
    handover: list[Any] = [initializer, initargs]
    try:
        with signals_held():  # the workers fork with them held; _start_worker sets them
            if ending is not None:
                pool = _pool_class(context, ending)(processes, _start_worker, (ending, handover), context=context)
            else:  # pragma: no cover - not on Linux
                pool = context.Pool(processes, _start_worker, (None, handover))
        yield pool  # (a signal that came meanwhile was raised just above: the pool is ended all the same)
    finally:
        try:
            if pool is not None:
                pool.terminate()
        finally:
            handover.clear()


def said_terminated(left: str, program: bool) -> None:
    """Print that SIGTERM stopped kg (``left``: what became of its files); as the kg ``program``, the last
    line (see :func:`said_interrupted`)."""
    import logging
    import sys

    if program:
        logging.disable(logging.CRITICAL)
    print(f"kg: terminated{left}", file=sys.stderr)


def said_interrupted(left: str, program: bool) -> None:
    """Print that Ctrl-C stopped kg (``left``: what became of its files). As the kg ``program``, once: a
    SIGINT from here on (one sent again while an import held the first, say) is ignored, rather than the
    death by signal of a program that has cleaned up."""
    import logging
    import sys

    if program:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # A library's threads may still log as the program ends (Dask's scheduler, stopped as it started,
        # noted a plugin after this line): the one line is the last.
        logging.disable(logging.CRITICAL)
    print(f"kg: interrupted{left}", file=sys.stderr)
