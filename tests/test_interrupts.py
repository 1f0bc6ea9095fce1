"""Ctrl-C and SIGTERM land past imports and out of weakref callbacks, in a real process each."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

import kg.interrupts

HERE = Path(__file__).resolve().parent

# Each script exits 130 when the interrupt was raised where the test wants it, 3 when it was
# raised too early (inside the import) and 4 when it was lost.
_PRELUDE = """
import os, signal, sys, weakref
from kg.interrupts import Terminated, interrupts_past_imports
def spin():
    for _ in range(10**8):
        pass
    sys.exit(4)
"""

_DURING_IMPORT = _PRELUDE + """
class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == "colorsys":
            os.kill(os.getpid(), signal.{sig})
            for _ in range(1000):  # room for the handler to run here, inside importlib
                pass
        return None
sys.meta_path.insert(0, Interrupt())
with interrupts_past_imports():
    try:
        import colorsys
        spin()
    except ({exc}) as err:
        sys.exit(130 if "colorsys" in sys.modules else 3)
"""

_IN_A_CALLBACK = _PRELUDE + """
class Thing:
    pass
def gone(ref):
    os.kill(os.getpid(), signal.{sig})
    for _ in range(1000):  # raised here, in the callback, it cannot propagate
        pass
with interrupts_past_imports():
    try:
        thing = Thing()
        ref = weakref.ref(thing, gone)
        del thing
        spin()
    except ({exc}) as err:
        sys.exit(130)
"""

SIGNALS = [("SIGINT", "KeyboardInterrupt"), ("SIGTERM", "Terminated")]


def _run(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", script], cwd=HERE.parent, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("sig,exc", SIGNALS)
def test_a_signal_during_an_import_is_raised_once_the_import_is_done(sig, exc):
    proc = _run(_DURING_IMPORT.format(sig=sig, exc=exc))
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == ""


@pytest.mark.parametrize("sig,exc", SIGNALS)
def test_a_signal_raised_in_a_weakref_callback_is_not_lost(sig, exc):
    # Python can only print what a callback raises ("Exception ignored in ..."): it is delivered again.
    proc = _run(_IN_A_CALLBACK.format(sig=sig, exc=exc))
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == ""


@pytest.mark.parametrize("sig,exc", SIGNALS)
def test_a_signal_delivered_again_waits_for_the_hook_to_return(sig, exc):
    # On a loaded machine the hook that has the signal delivered again may still run when it comes:
    # raised there, it would be lost once more ("Exception ignored in sys.unraisablehook").
    slow_hook = """
import time
import kg.interrupts
_deliver_later = kg.interrupts._deliver_later
def slowly(signum):
    _deliver_later(signum)
    time.sleep(0.3)  # (the delivery's own delay is 5 ms)
kg.interrupts._deliver_later = slowly
"""
    proc = _run(_IN_A_CALLBACK.format(sig=sig, exc=exc).replace("class Thing:", slow_hook + "class Thing:", 1))
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == ""


def test_a_block_entered_during_an_import_is_not_held_up_by_that_import(tmp_path):
    # A script that runs kg as it is imported: its own import is no reason to wait.
    (tmp_path / "runs_on_import.py").write_text(_PRELUDE + """
with interrupts_past_imports():
    try:
        os.kill(os.getpid(), signal.SIGINT)
        spin()
    except KeyboardInterrupt:
        sys.exit(130)
""", encoding="utf-8")
    proc = _run(f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import runs_on_import")
    assert proc.returncode == 130, proc.stderr


def test_other_unraisable_errors_still_reach_the_previous_hook():
    script = _PRELUDE + """
class Thing:
    def __del__(self):
        raise ValueError("kept")
with interrupts_past_imports():
    Thing()
"""
    proc = _run(script)
    assert proc.returncode == 0
    assert "ValueError: kept" in proc.stderr


def test_an_ignored_signal_stays_ignored():
    script = _PRELUDE + """
signal.signal(signal.SIGINT, signal.SIG_IGN)
with interrupts_past_imports():
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    os.kill(os.getpid(), signal.SIGINT)
    for _ in range(1000):
        pass
assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
"""
    proc = _run(script)
    assert proc.returncode == 0, proc.stderr


def test_outside_the_block_the_handlers_are_what_they_were():
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM), sys.unraisablehook
    with kg.interrupts.interrupts_past_imports():
        assert signal.getsignal(signal.SIGINT) is not before[0]
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM), sys.unraisablehook) == before


# A SIGTERM to the whole process group (as timeout(1) and supervisors send it) reaches the
# workers too.  Killed by it, one could die holding a queue's lock that ending the pool then
# waits on forever: they leave it to the parent, which ends them when the pool ends.
_GROUP_SIGTERM = _PRELUDE + """
import multiprocessing, time
from kg.interrupts import worker_pool
signal.signal(signal.SIGTERM, signal.SIG_IGN)  # this parent lets the pool finish its work
def task(n):
    time.sleep(0.5)
    return os.getpid()
with worker_pool(multiprocessing.get_context("fork"), 2) as pool:
    work = pool.map_async(task, range(4), chunksize=1)
    time.sleep(0.2)
    if os.fork() == 0:  # sent from another process, as timeout(1) sends it
        os.killpg(0, signal.SIGTERM)
        os._exit(0)
    os.wait()
    try:
        pids = set(work.get(timeout=20))
    except multiprocessing.TimeoutError:
        sys.exit(4)  # the workers died with their tasks
    ending = time.monotonic()
if time.monotonic() - ending > 4.0:  # (one that waits is joined for 5 s; a busy machine is slow, not that)
    sys.exit(7)  # the workers did not end at once on the pool's own SIGTERM
for pid in pids:
    for _ in range(200):
        if not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z":
            break
        time.sleep(0.05)
    else:
        sys.exit(5)  # the pool's end did not end them
sys.exit(130 if len(pids) == 2 else 6)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and /proc")
def test_workers_leave_a_group_sigterm_to_the_parent_and_end_with_the_pool():
    proc = subprocess.run([sys.executable, "-c", _GROUP_SIGTERM], cwd=HERE.parent, capture_output=True,
                          text=True, timeout=120, start_new_session=True)
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == ""


_DURING_A_STUCK_IMPORT = _PRELUDE + """
import time
class Stuck:
    def find_spec(self, name, path=None, target=None):
        if name == "colorsys":
            os.kill(os.getpid(), signal.{sig})
            while True:  # an import that never ends (a hung network file system, say)
                time.sleep(0.01)
        return None
sys.meta_path.insert(0, Stuck())
with interrupts_past_imports():
    try:
        import colorsys
    except ({exc}) as err:
        sys.exit(130 if "colorsys" not in sys.modules else 3)
"""


@pytest.mark.parametrize("sig,exc", SIGNALS)
def test_an_import_that_never_ends_is_interrupted_all_the_same(sig, exc):
    proc = _run(_DURING_A_STUCK_IMPORT.format(sig=sig, exc=exc))
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == ""


# A worker killed in the middle of a task (the kernel's out-of-memory killer sends SIGKILL),
# or ending on its own, loses that task: whoever waits for its result must not wait forever.
_WORKER_DIES = """
import multiprocessing, os, signal, sys
from kg.errors import WorkerDiedError
from kg.interrupts import worker_pool
def double(n):
    return 2 * n
def die(n):
    if {code} < 0:
        os.kill(os.getpid(), -{code})
    os._exit({code})
with worker_pool(multiprocessing.get_context("fork"), 2) as pool:
    assert pool.map(double, range(4)) == [0, 2, 4, 6]
    try:
        {wait}
    except WorkerDiedError as err:
        print(err)
        sys.exit(0)
    sys.exit(3)  # no error: the lost task came back?
"""

_WAITS = {
    "map": "pool.map(die, range(4), chunksize=1)",
    "imap": "list(pool.imap(die, range(4)))",
    "map_async": "pool.map_async(die, range(4), chunksize=1).get()",
    "apply_async": "pool.apply_async(die, (0,)).get()",
}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and /proc")
@pytest.mark.parametrize("wait", sorted(_WAITS))
@pytest.mark.parametrize("code,said", [(-signal.SIGKILL, "killed by SIGKILL (as the kernel's out-of-memory"),
                                       (3, "ended with status 3"),
                                       # (naming it raised in the pool's thread, which died: the wait hung)
                                       (-(signal.SIGRTMIN + 1), f"killed by signal {signal.SIGRTMIN + 1}")])
def test_a_worker_that_dies_mid_task_fails_the_wait_instead_of_hanging(wait: str, code: int, said: str) -> None:
    proc = subprocess.run([sys.executable, "-c", _WORKER_DIES.format(code=code, wait=_WAITS[wait])],
                          cwd=HERE.parent, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert said in proc.stdout


# Ended while its workers send results bigger than a pipe holds: the standard ending stops
# reading them, then waits for a queue's lock that a worker blocked writing one keeps.
_ENDED_MID_RESULTS = """
import multiprocessing, random, sys, time
from kg.interrupts import worker_pool
def big(n):
    time.sleep(random.random() * 0.004)
    return b"x" * 300_000
random.seed(7)
for attempt in range(80):
    with worker_pool(multiprocessing.get_context("fork"), 2) as pool:
        results = pool.imap(big, range(200))
        for _ in range(attempt % 7):
            next(results)
        time.sleep(random.random() * 0.01)
print("ended")
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork")
def test_a_pool_ended_while_its_workers_send_big_results_does_not_hang() -> None:
    proc = subprocess.run([sys.executable, "-c", _ENDED_MID_RESULTS], cwd=HERE.parent, capture_output=True,
                          text=True, timeout=100)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ended" and proc.stderr == ""


# Killed half-way through sending a result, a worker leaves the results' lock taken: the pool
# still ends, and leaves no thread of its own waiting on that lock.
_KILLED_MID_RESULT = """
import multiprocessing, os, signal, threading, time
from kg.errors import WorkerDiedError
from kg.interrupts import worker_pool
def huge(n):
    return b"x" * 300_000_000
with worker_pool(multiprocessing.get_context("fork"), 1) as pool:
    worker = pool._pool[0].pid
    result = pool.apply_async(huge, (0,))
    # Killed once this process has read part of its result (the bytes read, as Linux counts them: the
    # worker's one write of 300 MB is counted only once it returns), not after a guessed time: a fast
    # machine sent it all within the second the test once slept.
    def read():
        with open("/proc/self/io") as io:
            return next(int(line.split()[1]) for line in io if line.startswith("rchar:"))
    start = read()
    while read() - start < 4_000_000:
        time.sleep(0.001)
    os.kill(worker, signal.SIGKILL)
    assert not result.ready()
    try:
        result.get()
    except WorkerDiedError as err:
        print(err)
print([t.name for t in threading.enumerate() if t is not threading.main_thread()])
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork")
def test_a_worker_killed_mid_result_leaves_no_thread_waiting() -> None:
    proc = subprocess.run([sys.executable, "-c", _KILLED_MID_RESULT], cwd=HERE.parent, capture_output=True,
                          text=True, timeout=100)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["a worker process was killed by SIGKILL (as the kernel's out-of-memory "
                                        "killer does: fewer --jobs need less memory)", "[]"]


class _Held:
    """Stands for what a pool's workers start with (a build's node/edge table)."""


def _take(held: _Held) -> None:
    pass


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork")
def test_a_pool_lets_go_of_its_workers_arguments_when_it_ends_with_the_collector_paused() -> None:
    """A build keeps the cyclic collector paused: what the workers started with must not be held
    by the ended pool (whose objects live on in reference cycles) until the next fork."""
    import gc
    import multiprocessing
    import weakref

    from kg.interrupts import worker_pool

    held = _Held()
    ref = weakref.ref(held)
    was = gc.isenabled()
    gc.disable()
    try:
        with worker_pool(multiprocessing.get_context("fork"), 1, _take, (held,)) as pool:
            assert pool.map(abs, [-1, -2]) == [1, 2]
        del held
        assert ref() is None
    finally:
        if was:
            gc.enable()


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_a_handler_set_within_the_block_stays_after_it(sig):
    """The program ignores both signals once its build is done, inside the block: put back on leaving it,
    Python's own handler let a Ctrl-C during the exit kill the finished build by the signal (-2), which a
    test of killed builds met once on a busy machine."""
    proc = _run(f"""
import signal
from kg.interrupts import interrupts_past_imports
before = signal.getsignal(signal.{sig})
with interrupts_past_imports():
    assert signal.getsignal(signal.{sig}) is not before
    signal.signal(signal.{sig}, signal.SIG_IGN)
assert signal.getsignal(signal.{sig}) is signal.SIG_IGN, signal.getsignal(signal.{sig})
with interrupts_past_imports():
    pass
assert signal.getsignal(signal.{sig}) is signal.SIG_IGN  # (ignored before: left so)
signal.signal(signal.{sig}, before)
with interrupts_past_imports():
    pass
assert signal.getsignal(signal.{sig}) is before  # (the block's own handler: put back)
""")
    assert proc.returncode == 0, proc.stderr
