"""The interpreter's memory: pause the cyclic garbage collector around big acyclic
work, and hand freed heap pages back to the system."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

__all__ = ["LARGE_BLOCK", "paused_gc", "return_large_blocks", "trim_heap"]

#: Blocks of this many bytes or more are mapped apart, and unmapped once freed (see :func:`return_large_blocks`).
LARGE_BLOCK = 128 * 1024

# glibc's mallopt parameter for that threshold.
_M_MMAP_THRESHOLD = -3


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector, e.g. while building big acyclic structures.

    Records and graphs hold no reference cycles, yet every few thousand new
    objects the collector walks all live ones: at 150,000 events that was
    half of the building time.  Collection resumes (as it was) on leaving.

    Examples
    --------
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _c_function(name: str, args: list[Any], result: Any) -> Callable[..., int] | None:
    """The C library's function ``name`` with its argument and result types (``None`` where there is none)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes  # (optional in a Python build: kg runs without it)

        function = getattr(ctypes.CDLL(None), name)  # the C library the interpreter runs on
    except (ImportError, OSError, AttributeError):  # musl and others have no malloc_trim nor mallopt
        return None
    function.argtypes, function.restype = [getattr(ctypes, a) for a in args], getattr(ctypes, result)
    return cast("Callable[..., int]", function)


def trim_heap() -> bool:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``).

    Memory that objects freed stays in the process, free for its next
    allocations; a process about to fork workers gives it back first, since
    each worker starts with as much resident memory as its parent had.  At
    150,000 events a rebuild's heap held 144 MB of such pages.  ``False``
    where there is no ``malloc_trim`` (not Linux, or a C library without it),
    or nothing was given back.

    Examples
    --------
    >>> trim_heap() in (True, False)
    True
    """
    trim = _c_function("malloc_trim", ["c_size_t"], "c_int")
    return trim is not None and bool(trim(0))


def return_large_blocks() -> bool:
    """Have the C library give every block of :data:`LARGE_BLOCK` bytes or more back once freed.

    glibc maps such blocks apart from its heap, but each time one is freed
    it raises that threshold (up to 32 MiB): from then on the build's big
    lists and buffers come from the heap, and stay in the process once
    freed.  Setting the threshold keeps it where it starts.  At 150,000
    events a rerun's peak fell by 70 MB and the explorer's by 52 MB, for
    6-8% more time on a rerun (pages mapped anew rather than reused).
    Process-wide, so the ``kg`` program calls it, not the library; ``False``
    where there is no such setting.

    Examples
    --------
    >>> return_large_blocks() in (True, False)
    True
    """
    mallopt = _c_function("mallopt", ["c_int", "c_int"], "c_int")
    return mallopt is not None and bool(mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK))
