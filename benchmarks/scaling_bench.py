"""How the cold build scales with cores: ``kg build CORPUS -o OUT --jobs N`` for each N.

On one ``kg synth`` corpus (cached in ``benchmarks/corpora/``) it runs, each in a
fresh process and a fresh output folder, the cold build with each set of formats
asked for, in the order given, and each number of jobs (``--jobs-list 16,8,4,2,1``,
the most first). ``--formats default`` is what ``kg build`` writes by default, the
cache filled; ``--formats turtle,report`` is that build without a cache, the
partitioned reduce. It prints wall time, peak memory and the speed-up over the fewest jobs
measured.

A run that the time left (``--budget`` seconds) cannot hold, judged from the
runs before it as if time fell with the number of jobs, is skipped and said, so
that the script ends within a lease of a borrowed machine. Results are written
after each run to ``benchmarks/results/scaling.json``.

Run ``.venv/bin/python benchmarks/scaling_bench.py --events 150000``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from core_bench import build  # noqa: E402
from run import RESULTS, corpus_for, machine  # noqa: E402

#: What each ``--formats`` word runs, after ``kg build CORPUS -o OUT --jobs N``.
VARIANTS = {
    "default": (),
    "turtle,report": ("--formats", "turtle,report", "--no-cache"),
}


def _estimate(done: list[dict[str, Any]], variant: str, jobs: int) -> float:
    """The time a run may take: the same formats' nearest run, scaled by the jobs as if perfectly
    parallel (the fewer jobs, the longer); 0 when none ran yet."""
    same = [r for r in done if r["formats"] == variant and "s" in r]
    if not same:
        return 0.0
    near = min(same, key=lambda r: abs(int(r["jobs"]) - jobs))
    return float(near["s"]) * max(1.0, int(near["jobs"]) / jobs)


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| formats | jobs | time | speed-up | peak memory, largest process (all together) |",
             "|---|---:|---:|---:|---:|"]
    for variant in dict.fromkeys(str(r["formats"]) for r in rows):
        same = [r for r in rows if r["formats"] == variant and "s" in r]
        base = max(same, key=lambda r: -int(r["jobs"]))
        for r in rows:
            if r["formats"] != variant:
                continue
            if "s" not in r:
                lines.append(f"| {variant} | {r['jobs']} | skipped ({r['skipped']}) | | |")
                continue
            ratio = float(base["s"]) / float(r["s"])
            lines.append(f"| {variant} | {r['jobs']} | {float(r['s']):.1f} s "
                         f"| {ratio:.2f}× over {base['jobs']} | {r['peak_mb']:,} MB ({r['all_mb']:,} MB) |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=150_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--jobs-list", default="16,8,4,2,1")
    p.add_argument("--formats", action="append", choices=sorted(VARIANTS),
                   help="formats to build with each number of jobs (repeatable; default: default)")
    p.add_argument("--budget", type=float, default=None, help="seconds the whole script may take")
    args = p.parse_args(argv)
    started = time.perf_counter()
    jobs_list = sorted({int(j) for j in args.jobs_list.split(",")}, reverse=True)
    corpus = corpus_for(args.events, args.seed)
    out = RESULTS / "scaling-out"
    doc: dict[str, Any] = {"machine": machine(), "events": args.events, "rows": []}
    rows: list[dict[str, Any]] = doc["rows"]
    RESULTS.mkdir(parents=True, exist_ok=True)
    for variant in args.formats or ["default"]:
        for jobs in jobs_list:
            row: dict[str, Any] = {"formats": variant, "jobs": jobs}
            left = None if args.budget is None else args.budget - (time.perf_counter() - started)
            guess = _estimate(rows, variant, jobs)
            if left is not None and guess > left:
                row["skipped"] = f"about {guess:.0f} s expected, {left:.0f} s left"
            else:
                print(f"bench: {args.events:,} events, {variant}, --jobs {jobs}", file=sys.stderr)
                shutil.rmtree(out, ignore_errors=True)
                row.update(build(corpus, out, "--jobs", str(jobs), *VARIANTS[variant]))
                shutil.rmtree(out, ignore_errors=True)
                print(f"bench:   {row['s']} s, {row['peak_mb']} MB ({row['all_mb']} MB)", file=sys.stderr)
            rows.append(row)
            (RESULTS / "scaling.json").write_text(json.dumps(doc, indent=1))
    print(f"Machine: {doc['machine']}; {args.events:,} events\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
