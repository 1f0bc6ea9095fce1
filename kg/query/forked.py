"""Work run in a forked process of its own, killed by its PID at a timeout, a cancel or a signal.

Oxigraph's evaluator (native code) does not return to Python until it is
done: no signal handler, timer or thread can stop a query where it runs.
Run in a process of its own, it is stopped by killing that process; the
parent waits on a pipe, where Ctrl-C and SIGTERM reach it as they do anywhere.

Examples
--------
>>> run_forked(lambda: sum(range(10)), timeout=30)
45
>>> run_forked(lambda: 1 // 0, timeout=30)
Traceback (most recent call last):
...
ZeroDivisionError: integer division or modulo by zero
>>> run_forked(lambda: (_ for _ in ()).throw(MemoryError("no limit set")), timeout=30)
Traceback (most recent call last):
...
MemoryError: no limit set
>>> class Unpicklable(Exception):
...     def __reduce__(self):
...         raise TypeError("no")
>>> run_forked(lambda: (_ for _ in ()).throw(Unpicklable("held a lock")), timeout=30)
Traceback (most recent call last):
...
kg.errors.QueryError: Unpicklable: held a lock
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from kg.errors import QueryError, QueryMemoryError, QueryTimeoutError, WorkerDiedError

__all__ = ["run_forked"]

#: Seconds one wait for an answer lasts at most (the wait repeats until the timeout): select()
#: refuses a wait past the platform's time_t (``--timeout 1e10``).
_LONGEST_WAIT_S = 86_400.0
#: How often a cancellable run looks whether it was cancelled.
_CANCEL_POLL_S = 0.2
#: Held from a run's pipe to its fork, by the threads of an endpoint answering side by side.
_FORKING = threading.Lock()


def run_forked(work: Callable[[], object], *, timeout: float | None,
               cancelled: threading.Event | None = None, max_memory_mb: int | None = None) -> object:
    """What ``work()`` returns (or raises), computed in a forked process.

    Parameters
    ----------
    work : callable
        Run in the child; what it returns or raises must pickle (an
        exception's cause is kept).
    timeout : float or None
        Seconds before the child is killed (``None``: no limit).
    cancelled : threading.Event, optional
        Set by another thread, the child is killed within 0.2 s.
    max_memory_mb : int, optional
        Megabytes the child may allocate beyond what it shares with this
        process when forked (a store in memory); ``None``: no limit.  Set as
        the child's ``RLIMIT_DATA`` (on Linux, where ``/proc`` says how much
        the child holds when it starts).

    Raises
    ------
    QueryTimeoutError
        Past ``timeout``.
    QueryMemoryError
        When the child needed more than ``max_memory_mb``.
    QueryError
        When ``cancelled``.
    WorkerDiedError
        If the child ended without an answer (a crash of native code, or
        killed from outside).
    """
    with _FORKING:  # no other run's child may inherit this pipe's write end (its reader would wait for it)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid:
            os.close(write_end)
    if pid == 0:  # pragma: no cover - the child; its work is covered in the parent's tests
        code = 0
        try:
            os.close(read_end)
            # What the child has to say goes through the pipe.  Its standard error would only get
            # the evaluator's own last words as it aborts (Rust's "memory allocation of ... failed",
            # a stack overflow), before the one line that the parent says of it.
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 2)
            os.close(quiet)
            if max_memory_mb is not None:
                _limit_memory(max_memory_mb)
            try:
                sent = pickle.dumps(("answer", work()))
            except MemoryError as err:  # (Python's allocations; the evaluator's end the process: below)
                past = QueryMemoryError(_past_memory(max_memory_mb)) if max_memory_mb is not None else err
                sent = pickle.dumps(("error", past, None))
            except Exception as err:
                try:
                    sent = pickle.dumps(("error", err, err.__cause__))  # a pickled exception loses its cause
                except Exception:  # (one that does not pickle is said in words, not taken for a crash)
                    sent = pickle.dumps(("error", QueryError(f"{type(err).__name__}: {err}"), None))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(sent)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    chunks, status = _wait(pid, read_end, timeout, cancelled)
    try:
        payload: tuple[Any, ...] = pickle.loads(b"".join(chunks))
    except Exception as err:
        # Native code that cannot allocate aborts the process (Rust's allocation failure): under a
        # memory limit, that is the limit reached.
        if max_memory_mb is not None and os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGABRT:
            raise QueryMemoryError(_past_memory(max_memory_mb)) from err
        # The pipe closed before a whole answer: the process ended by itself (it was not
        # stopped by _wait), most often the evaluator crashing on a query nested too deep.
        raise WorkerDiedError(f"the query's process crashed ({_how_it_ended(status)}) without an answer: "
                              "the store's evaluator could not run this query (nested too deep, or too "
                              "large for its memory?)") from err
    if payload[0] == "error":
        raise payload[1] from payload[2]
    return payload[1]


def _past_memory(max_memory_mb: int) -> str:
    """What a query stopped at its memory limit is told."""
    return f"the query needed more than its {max_memory_mb:,} MB of memory and was stopped"


def _limit_memory(max_memory_mb: int) -> None:  # pragma: no cover - run in the child
    """Let this process allocate ``max_memory_mb`` more than it holds now (its data segment: heap and
    private mappings, not the files it maps), where the system says what it holds."""
    import faulthandler
    import resource

    # The evaluator aborts at the limit: that is an answer here (QueryMemoryError), not a crash for
    # faulthandler (PYTHONFAULTHANDLER, pytest) or Rust (RUST_BACKTRACE) to dump stacks of.
    faulthandler.disable()
    os.environ["RUST_BACKTRACE"] = "0"
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            held_kb = next(int(line.split()[1]) for line in status if line.startswith("VmData:"))
    except (OSError, StopIteration, ValueError, IndexError):
        return  # (no /proc: no limit rather than a wrong one)
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    # (never above a limit the system or the user set already; a limit past what the kernel counts is none)
    limit = min((held_kb << 10) + (max_memory_mb << 20), *(n for n in (soft, hard) if n != resource.RLIM_INFINITY),
                (1 << 62))
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def _wait(pid: int, read_end: int, timeout: float | None,
          cancelled: threading.Event | None) -> tuple[list[bytes], int]:
    """What the child wrote, and its wait status; it is killed on the way out, whatever ends the wait."""
    deadline = time.monotonic() + (math.inf if timeout is None else timeout)
    chunks = []
    try:
        with os.fdopen(read_end, "rb") as pipe:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise QueryTimeoutError(f"the query ran past its timeout of {timeout:g} s and was stopped")
                if cancelled is not None and cancelled.is_set():
                    raise QueryError("the query was cancelled and stopped")
                wait = min(left, _LONGEST_WAIT_S) if cancelled is None else min(left, _CANCEL_POLL_S)
                if not select.select([pipe], [], [], wait)[0]:
                    continue
                chunk = os.read(pipe.fileno(), 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        with contextlib.suppress(ProcessLookupError):  # it has exited already
            os.kill(pid, signal.SIGKILL)  # our own child: its pid cannot be another's yet
        status = os.waitpid(pid, 0)[1]
    return chunks, status


def _how_it_ended(status: int) -> str:
    """A process's wait status in words.

    >>> _how_it_ended(signal.SIGSEGV), _how_it_ended(1 << 8)
    ('killed by SIGSEGV', 'exit status 1')
    """
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"killed by {signal.Signals(number).name}"
        except ValueError:
            return f"killed by signal {number}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
