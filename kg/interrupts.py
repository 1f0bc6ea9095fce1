"""Ctrl-C and SIGTERM for the command line: raised where Python can raise them.

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
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

__all__ = ["Terminated", "interrupts_past_imports"]

_IMPORTLIB = frozenset({"importlib._bootstrap", "importlib._bootstrap_external"})
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so that clean-up runs as for Ctrl-C.

    Like ``KeyboardInterrupt`` it is no error (it passes ``except Exception``),
    so it lives here rather than among :mod:`kg.errors`.
    """


_AGAIN_AFTER_S = 0.005


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


def _raise_past_imports(entered: frozenset[int], signum: int, frame: FrameType | None) -> None:
    if _in_import(frame, entered):
        _deliver_later(signal.Signals(signum))
        return
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

    Neither is raised inside an import: each waits for the import to end.
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
    handler = functools.partial(_raise_past_imports, frozenset(entered))
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
