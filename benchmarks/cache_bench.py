"""How long a first build takes to fill the incremental cache, the map left out.

Takes every page's facts from the cache of an earlier build (``OUT/.kg`` of
``kg build CORPUS -o OUT``, this version of kg), then, in a fresh folder,
times (in ``OUT/.kg-cache-bench``, removed after) what a first build adds for the cache: ``PageCache.store_all`` (the
facts as JSON, what each page holds, the indexes made at the end) and
``close``, and the flush of the file to disk.  Prints wall and CPU time and
the file's size, best of ``--repeat`` runs.

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
    args = p.parse_args(argv)
    from kg.incremental.cache import CACHE_FILE, PageCache
    from kg.incremental.datacodec import decode_facts
    from kg.pipeline import STORE_BATCH

    gc.disable()  # as the build does while it stores: the facts hold no cycles
    with sqlite3.connect(args.cache / CACHE_FILE) as source:
        rows = [(path, digest, stat, decode_facts(blob)) for path, digest, stat, blob in source.execute(
            "SELECT path, digest, stat, facts FROM pages JOIN facts USING (path) ORDER BY path")]
    print(f"{len(rows):,} pages' facts read from {args.cache}")
    best: tuple[float, float, int] | None = None
    for _ in range(args.repeat):
        folder = args.cache.parent / ".kg-cache-bench"  # beside the build's own cache: the same disk
        shutil.rmtree(folder, ignore_errors=True)
        try:
            os.sync()
            wall, cpu = time.perf_counter(), time.process_time()
            cache = PageCache.open(folder)
            cache.store_all(iter(rows), STORE_BATCH)
            cache.close()
            os.sync()
            run = (time.perf_counter() - wall, time.process_time() - cpu, (folder / CACHE_FILE).stat().st_size)
            print(f"  fill, close and flush: {run[0]:.1f} s wall, {run[1]:.1f} s CPU, {run[2] / 1e6:,.0f} MB")
            best = run if best is None or run[0] < best[0] else best
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    assert best is not None
    print(f"best of {args.repeat}: {best[0]:.1f} s wall, {best[1]:.1f} s CPU, "
          f"{best[0] / len(rows) * 1e6:.0f} µs a page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
