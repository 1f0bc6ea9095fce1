"""The interpreter's memory settings (kg.collector), each tried in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's settings")

# A block of 4 MiB, then 200 of 1 MiB between small blocks that stay, which leaves
# glibc's heap holding them once freed; the resident memory (MiB) after they are all freed, over that before.
_PROBE = textwrap.dedent("""
    import sys
    from kg.collector import return_large_blocks, trim_heap

    def rss():
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) // 1024

    setting = {"large": return_large_blocks, "trim": lambda: True, "none": lambda: True}[sys.argv[1]]()
    big = bytearray(4 << 20)
    del big  # glibc raises its threshold to 4 MiB here, unless told not to
    before = rss()
    blocks, pins = [], []
    for _ in range(200):  # each block followed by a small one from the same heap, kept
        blocks.append(bytearray(1 << 20))
        pins.append(bytearray(1024))
    del blocks
    if sys.argv[1] == "trim":
        setting = trim_heap()
    print(int(setting), rss() - before)
""")


def _retained(how: str) -> tuple[bool, int]:
    # glibc's own settings left out: Dask's nannies put MALLOC_TRIM_THRESHOLD_ in the environment of the process
    # that starts a local cluster (a test's), and a probe started from it afterwards trimmed by itself (skipped).
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
    out = subprocess.run([sys.executable, "-c", _PROBE, how], capture_output=True, text=True, check=True,
                         env=env).stdout
    setting, retained = map(int, out.split())
    return bool(setting), retained


def test_freed_large_blocks_go_back_to_the_system() -> None:
    _, kept = _retained("none")
    if kept < 100:
        pytest.skip("this C library gives such blocks back by itself")
    done, retained = _retained("large")
    assert done and retained < 20, (kept, retained)


def test_trim_gives_back_the_heap_free_pages() -> None:
    _, kept = _retained("none")
    if kept < 100:
        pytest.skip("this C library gives such blocks back by itself")
    _, retained = _retained("trim")
    assert retained < 20, (kept, retained)
