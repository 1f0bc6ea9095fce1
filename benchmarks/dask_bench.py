"""Benchmark: the dask engine on a 2-worker LocalCluster against the local build on the same cores.

    .venv/bin/python benchmarks/dask_bench.py [--events 150000] [--workers 2] [--corpus DIR]

It generates (once) a synthetic corpus (``kg synth``, cached in
``benchmarks/corpora/``, as ``benchmarks/run.py`` does), then, each in a
fresh subprocess:

- the local build: ``kg build CORPUS -o OUT --formats ntriples,report --jobs N --no-cache``;
- the dask build on a ``LocalCluster`` of N worker processes (one thread
  each): ``kg.build_files(CORPUS, OUT, engine="dask", client=client)``,
  timed without the cluster's start-up (printed apart), with the peak RSS
  of each worker (``getrusage`` inside it) and of the client process.

It checks that both wrote the same number of triples and the same
``report.json``, then prints a table with the ratio dask / local (target
at most 1.5) and writes ``benchmarks/results/dask.json``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
TARGET_RATIO = 1.5

_DASK_RUN = r"""
import json, resource, sys, time
import distributed
import kg

corpus, out, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
t0 = time.perf_counter()
with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
    started = time.perf_counter() - t0
    t1 = time.perf_counter()
    kg.build_files(corpus, out, engine="dask", client=client)
    wall = time.perf_counter() - t1
    peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps({"wall_s": wall, "startup_s": started, "worker_peak_mb": sorted(peaks.values()),
                  "client_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _local(corpus: Path, out: Path, jobs: int) -> dict[str, float]:
    kg = Path(sys.executable).with_name("kg")
    start = time.perf_counter()
    subprocess.run([str(kg), "build", str(corpus), "-o", str(out), "--formats", "ntriples,report",
                    "--jobs", str(jobs), "--no-cache", "-q"], check=True)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall_s": wall, "peak_mb": usage.ru_maxrss / 1024}  # the largest of the build and its workers


def _dask(corpus: Path, out: Path, workers: int) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", _DASK_RUN, str(corpus), str(out), str(workers)],
                          check=True, capture_output=True, text=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _local_triples(out: Path) -> int:
    with open(out / "graph.nt", "rb") as fh:
        return sum(1 for _ in fh)


def _shard_triples(out: Path) -> int:
    listed = json.loads((out / "manifest.json").read_text("utf-8"))
    counted = sum(gzip.decompress((out / s["name"]).read_bytes()).count(b"\n") for s in listed["shards"])
    if counted != listed["triples"]:
        raise SystemExit(f"bench: the shards hold {counted} triples, the manifest says {listed['triples']}")
    return counted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2, help="dask workers, and the local build's --jobs")
    parser.add_argument("--corpus", type=Path, default=None, help="an existing corpus (default: generated)")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from run import corpus_for  # the cached synthetic corpora of the main benchmark

    corpus = args.corpus or corpus_for(args.events, args.seed)
    scratch = Path(tempfile.mkdtemp(prefix="kg-dask-bench-"))
    try:
        local = _local(corpus, scratch / "local", args.workers)
        dask = _dask(corpus, scratch / "dask", args.workers)
        same_report = (json.loads((scratch / "local" / "report.json").read_text("utf-8"))
                       == json.loads((scratch / "dask" / "report.json").read_text("utf-8")))
        triples = (_local_triples(scratch / "local"), _shard_triples(scratch / "dask"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    ratio = float(dask["wall_s"]) / local["wall_s"]  # type: ignore[arg-type]
    result = {"events": args.events, "workers": args.workers, "cpus": os.cpu_count(),
              "load_average": os.getloadavg(), "local": local, "dask": dask, "ratio": ratio,
              "target_ratio": TARGET_RATIO, "same_report": same_report, "triples": triples}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "dask.json").write_text(json.dumps(result, indent=2))
    peaks = ", ".join(f"{mb:,.0f}" for mb in dask["worker_peak_mb"])  # type: ignore[attr-defined]
    print(f"| events | local build, {args.workers} jobs | dask, {args.workers} workers | ratio (target <= "
          f"{TARGET_RATIO}) | peak MB local | peak MB per dask worker | client MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {args.events:,} | {local['wall_s']:.1f} s | {dask['wall_s']:.1f} s "  # type: ignore[str-format]
          f"(+{dask['startup_s']:.1f} s cluster start) | {ratio:.2f} | {local['peak_mb']:,.0f} | {peaks} | "
          f"{dask['client_peak_mb']:,.0f} |")
    print(f"bench: same report.json: {same_report}; triples local {triples[0]:,}, shards {triples[1]:,}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus", file=sys.stderr)
    if not same_report or triples[0] != triples[1]:
        raise SystemExit("bench: the dask build differs from the local build")


if __name__ == "__main__":
    main()
