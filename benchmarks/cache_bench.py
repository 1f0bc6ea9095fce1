"""How long a first build takes to fill the incremental cache, the map left out.

Takes every page's facts from the cache of an earlier build (``OUT/.kg`` of
``kg build CORPUS -o OUT``, this version of kg), then, in a fresh folder,
times (in ``OUT/.kg-cache-bench``, removed after) what a first build adds for the cache: ``PageCache.store_all`` (the
facts as JSON, what each page holds, the indexes made at the end) and
``close``, and the flush of the file to disk.  Prints wall and CPU time and
the file's size, and on Linux the memory the fill adds at its peak (the
process's high-water mark, reset before each run, less what it held
before; the largest of the runs, the first as a rule), best of ``--repeat`` runs; ``--batch`` sets how many pages go to
the cache at once (default: the build's).

    .venv/bin/python benchmarks/cache_bench.py benchmarks/results/out/150000/.kg

Run it under two checkouts (``PYTHONPATH=OTHER``) to compare them: it reads
the facts with the code it runs, so both must read the cache's layout.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("cache", type=Path, help="the cache folder of an earlier build (OUT/.kg)")
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--batch", type=int, default=None, help="pages stored at once (default: the build's)")
    args = p.parse_args(argv)
    from kg.graphbuild import STORE_BATCH
    from kg.incremental.cache import CACHE_FILE, PageCache
    from kg.incremental.datacodec import decode_facts

    batch = args.batch or STORE_BATCH

    gc.disable()  # as the build does while it stores: the facts hold no cycles
    with sqlite3.connect(args.cache / CACHE_FILE) as source:
        rows = [(path, digest, stat, decode_facts(blob)) for path, digest, stat, blob in source.execute(
            "SELECT path, digest, stat, facts FROM pages JOIN facts USING (path) ORDER BY path")]
    print(f"{len(rows):,} pages' facts read from {args.cache}")
    best: tuple[float, float, int, int] | None = None
    grew = 0  # the first run's: memory freed by a run stays with the process for the next
    for _ in range(args.repeat):
        folder = args.cache.parent / ".kg-cache-bench"  # beside the build's own cache: the same disk
        shutil.rmtree(folder, ignore_errors=True)
        try:
            os.sync()
            held = _reset_peak()
            wall, cpu = time.perf_counter(), time.process_time()
            cache = PageCache.open(folder)
            cache.store_all(iter(rows), batch)
            cache.close()
            os.sync()
            run = (time.perf_counter() - wall, time.process_time() - cpu, (folder / CACHE_FILE).stat().st_size,
                   _peak() - held)
            print(f"  fill, close and flush: {run[0]:.1f} s wall, {run[1]:.1f} s CPU, {run[2] / 1e6:,.0f} MB, "
                  f"{run[3]:,} MB more memory at the peak")
            best = run if best is None or run[0] < best[0] else best
            grew = max(grew, run[3])
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    assert best is not None
    print(f"best of {args.repeat} ({batch:,} pages at a time): {best[0]:.1f} s wall, {best[1]:.1f} s CPU, "
          f"{best[0] / len(rows) * 1e6:.0f} µs a page; at most {grew:,} MB more memory at the peak")
    return 0


def _status(field: str) -> int:
    """A ``/proc/self/status`` figure in MB (0 where there is none: not Linux)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _reset_peak() -> int:
    """Reset the high-water mark of resident memory (Linux); the resident memory now, in MB."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass
    return _status("VmRSS")


def _peak() -> int:
    return _status("VmHWM")


if __name__ == "__main__":
    sys.exit(main())
