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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from multiprocessing.context import BaseContext
    from multiprocessing.pool import Pool

__all__ = ["Terminated", "interrupts_past_imports", "signals_held", "worker_pool"]

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
    if hasattr(signal, "pthread_kill"):  # a real signal: held while the main thread blocks it (publication)
        signal.pthread_kill(threading.main_thread().ident or 0, signum)
    else:  # pragma: no cover - not on POSIX
        _thread.interrupt_main(signum)


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
            if was is not None:  # None: set outside Python, and then left as it was
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


def _start_worker(ending: Any, initializer: Callable[..., object] | None, initargs: tuple[Any, ...]) -> None:
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
    if initializer is not None:
        initializer(*initargs)


def _pool_class(context: BaseContext, ending: Any) -> type[Pool]:
    """A Pool whose killing of its workers (its last step in ending) first raises ``ending``."""
    from multiprocessing.pool import Pool

    class Worker(context.Process):  # type: ignore[name-defined,misc]  # the context's own kind
        def terminate(self) -> None:
            ending.value = 1
            super().terminate()

    class EndingPool(Pool):
        @staticmethod
        def Process(ctx: BaseContext, *args: Any, **kwds: Any) -> Any:  # Pool's hook
            return Worker(*args, **kwds)

    return EndingPool


@contextlib.contextmanager
def worker_pool(context: BaseContext, processes: int, initializer: Callable[..., object] | None = None,
                initargs: tuple[Any, ...] = ()) -> Iterator[Pool]:
    """A ``multiprocessing`` pool whose workers leave Ctrl-C and SIGTERM to this process.

    A worker killed at an arbitrary instruction by a signal sent to the whole
    process group (as ``timeout`` and supervisors send it) could die holding
    the lock of a queue that ``Pool.terminate`` then waits on forever; so the
    workers ignore Ctrl-C, and SIGTERM until the pool, ending on leaving the
    block, has begun to kill them (after its last use of the queues).  With
    the ``fork`` start method on Linux; elsewhere the pool is the standard one.

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
    try:
        with signals_held():  # the workers fork with them held; _start_worker sets them
            if ending is not None:
                pool = _pool_class(context, ending)(processes, _start_worker, (ending, initializer, initargs),
                                                    context=context)
            else:  # pragma: no cover - not on Linux
                pool = context.Pool(processes, _start_worker, (None, initializer, initargs))
        yield pool  # (a signal that came meanwhile was raised just above: the pool is ended all the same)
    finally:
        if pool is not None:
            pool.terminate()
