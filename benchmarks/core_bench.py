"""Benchmark of the core build as a user runs it: ``kg build CORPUS -o OUT``, default formats.

For each size (a ``kg synth`` corpus, cached in ``benchmarks/corpora/``) it
measures, each command in a fresh process, wall time and peak memory (the
largest resident set of the build and of any of its worker processes):

- the cold build with each number of jobs asked for (``--jobs-list 1,2``),
  with the cache kept in ``OUT/.kg`` as by default, and once with
  ``--no-cache``;
- the plain rerun of the same command with nothing changed, after 1% of
  the event pages changed (a new source on each), and after a day's update
  (15 new pages on a new day, and its day page); each rerun's files
  (Turtle, report, explorer, snapshot) are checked byte for byte against a
  cold build of the same corpus.

Memory is given twice: the peak RSS of the largest process, and in brackets the
peak of all the build's processes together (their PSS summed, sampled every
0.2 s, so that pages shared after a fork count once).

With ``--turtle-sizes 150000,600000`` it also measures ``--formats turtle,report``
alone at those sizes (without a cache, with it, and the rerun after 1% changed):
the build that reduces partition by partition, spilling to disk (``--sizes ""``
for that alone).

Run ``.venv/bin/python benchmarks/core_bench.py --sizes 10000,150000``; it
prints a Markdown table and writes ``benchmarks/results/core.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import RESULTS, add_day, change_pages, corpus_for, machine  # noqa: E402

KG = str(Path(sys.executable).with_name("kg"))


def _tree(root: int) -> list[int]:
    """``root`` and every process descended from it (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _pss_kb(pids: list[int]) -> int:
    """The proportional set size of these processes together: shared pages counted once.

    Where the kernel gives no ``smaps_rollup`` (some sandboxes), their resident sets are summed
    instead, which counts the pages a fork shares once per process."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith(b"Pss:")), 0)
        except FileNotFoundError:
            try:
                with open(f"/proc/{pid}/status", "rb") as fh:
                    total += next((int(line.split()[1]) for line in fh if line.startswith(b"VmRSS:")), 0)
            except OSError:
                continue  # gone meanwhile
        except OSError:
            continue
    return total


def timed(*args: str) -> dict[str, float]:
    """Run a command; its wall seconds, the peak RSS (MB) of it or any one of its children,
    and the peak of their memory together (PSS summed over the process tree, sampled)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err)
        together = 0
        while True:
            # wait4 gives the rusage of the command and of the children it waited for: the
            # largest resident set among them, as GNU time reports it.
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            together = max(together, _pss_kb(_tree(proc.pid)))
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode not in (0, 1):  # 1: the corpus has error diagnostics (not these)
        raise SystemExit(f"bench: {' '.join(args)} failed:\n{stderr[-2000:]}")
    return {"s": round(seconds, 2), "peak_mb": round(usage.ru_maxrss / 1024), "all_mb": round(together / 1024)}


def digest(path: Path) -> str:
    """The file's SHA-256, read a piece at a time.

    Read whole, the 1.74 GB Turtle grew this process, and every command it started afterwards
    reported that size as its own peak: the kernel folds the peak of the forked copy of this
    process into the child's maximum resident set when the child execs the command.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def build(corpus: Path, out: Path, *extra: str) -> dict[str, float]:
    return timed(KG, "build", str(corpus), "-o", str(out), "--quiet", *extra)


#: What ``kg build`` writes by default: a rerun must write each of them as a cold build does.
FILES = ("graph.ttl", "report.json", "graph.html", "graph.kg.json")


def rerun(row: dict[str, object], name: str, what: str, corpus: Path, work: Path, jobs: int) -> None:
    """The plain rerun into work/out, timed, and whether its files equal a cold build's."""
    print(f"bench: {row['events']:,} events, rerun {what}", file=sys.stderr)
    row[name] = build(corpus, work / "out", "--jobs", str(jobs))
    build(corpus, work / "check", "--no-cache", "--jobs", str(jobs))
    row[f"{name}_exact"] = all(digest(work / "out" / f) == digest(work / "check" / f) for f in FILES)
    shutil.rmtree(work / "check")


def bench_size(events: int, jobs_list: list[int], seed: int) -> dict[str, object]:
    corpus = corpus_for(events, seed)
    work = RESULTS / "core" / str(events)
    shutil.rmtree(work, ignore_errors=True)
    row: dict[str, object] = {"events": events}
    for jobs in jobs_list:
        out = work / f"cold-{jobs}"
        print(f"bench: {events:,} events, cold, --jobs {jobs}", file=sys.stderr)
        row[f"cold_j{jobs}"] = build(corpus, out, "--jobs", str(jobs))
        shutil.rmtree(out)
    jobs = max(jobs_list)
    print(f"bench: {events:,} events, cold, --no-cache", file=sys.stderr)
    row["cold_nocache"] = build(corpus, work / "nocache", "--no-cache", "--jobs", str(jobs))
    out = work / "out"
    row["cold"] = build(corpus, out, "--jobs", str(jobs))
    print(f"bench: {events:,} events, rerun unchanged", file=sys.stderr)
    row["rerun_same"] = build(corpus, out, "--jobs", str(jobs))
    old = change_pages(corpus, 0.01)
    try:
        rerun(row, "rerun_1pct", "after 1% changed", corpus, work, jobs)
    finally:
        for page, data in old.items():
            page.write_bytes(data)
    build(corpus, out, "--jobs", str(jobs))  # back to the corpus as generated
    year = add_day(corpus)
    try:
        rerun(row, "rerun_day", "after a day's update", corpus, work, jobs)
    finally:
        shutil.rmtree(year)
    row["cache_mb"] = round(sum(p.stat().st_size for p in (out / ".kg").rglob("*") if p.is_file()) / 2**20)
    shutil.rmtree(work, ignore_errors=True)
    return row


def bench_turtle_only(events: int, jobs: int, seed: int) -> dict[str, object]:
    """``--formats turtle,report``: from 20,000 pages the partitioned reduce, spilling to disk; without a
    cache, then with it, and the rerun after 1% changed (checked against a cold build)."""
    corpus = corpus_for(events, seed)
    out = RESULTS / "core" / f"turtle-{events}"
    shutil.rmtree(out, ignore_errors=True)
    print(f"bench: {events:,} events, Turtle and report only, --no-cache, --jobs {jobs}", file=sys.stderr)
    turtle = ("--formats", "turtle,report", "--jobs", str(jobs))
    row: dict[str, object] = {"events": events, "jobs": jobs,
                              "turtle_nocache": build(corpus, out, *turtle, "--no-cache")}
    row["turtle_mb"] = round((out / "graph.ttl").stat().st_size / 2**20)
    shutil.rmtree(out)
    print(f"bench: {events:,} events, Turtle and report only, the cache filled, then 1% changed", file=sys.stderr)
    row["turtle_cache"] = build(corpus, out, *turtle)
    old = change_pages(corpus, 0.01)
    try:
        row["turtle_1pct"] = build(corpus, out, *turtle)
        build(corpus, out.with_name("check"), *turtle, "--no-cache")
        row["turtle_1pct_exact"] = all(digest(out / f) == digest(out.with_name("check") / f)
                                       for f in ("graph.ttl", "report.json"))
    finally:
        for page, data in old.items():
            page.write_bytes(data)
        shutil.rmtree(out.with_name("check"), ignore_errors=True)
    shutil.rmtree(out)
    return row


def turtle_table(rows: list[dict[str, object]]) -> str:
    def fig(cell: object) -> str:
        assert isinstance(cell, dict)
        return f"{cell['s']:.1f} s / {cell['peak_mb']:,} MB ({cell['all_mb']:,} MB)"

    lines = ["| events | jobs | `--no-cache` | the cache filled | rerun, 1% changed | graph.ttl |",
             "|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['events']:,} | {r['jobs']} | {fig(r['turtle_nocache'])} | {fig(r['turtle_cache'])} | "
                     f"{fig(r['turtle_1pct'])}{'' if r['turtle_1pct_exact'] else ' (DIFFERS)'} | "
                     f"{r['turtle_mb']:,} MB |")
    return "\n".join(lines)


def table(rows: list[dict[str, object]], jobs_list: list[int]) -> str:
    def fig(cell: object) -> str:
        assert isinstance(cell, dict)
        return f"{cell['s']:.1f} s / {cell['peak_mb']:,} MB ({cell['all_mb']:,} MB)"

    head = ["events", *(f"cold, --jobs {j}" for j in jobs_list), "cold, --no-cache", "rerun, unchanged",
            "rerun, 1% changed", "rerun, a day's update", "cache"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)]
    for r in rows:
        cells = [f"{r['events']:,}", *(fig(r[f"cold_j{j}"]) for j in jobs_list), fig(r["cold_nocache"]),
                 fig(r["rerun_same"]), fig(r["rerun_1pct"]) + ("" if r["rerun_1pct_exact"] else " (DIFFERS)"),
                 fig(r["rerun_day"]) + ("" if r["rerun_day_exact"] else " (DIFFERS)"), f"{r['cache_mb']:,} MB"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,150000")
    p.add_argument("--jobs-list", default=",".join(str(j) for j in (1, 2, 4, 8, 16) if j <= (os.cpu_count() or 1)))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--turtle-sizes", default="",
                   help="sizes for the Turtle-and-report builds alone (e.g. 150000,600000)")
    args = p.parse_args(argv)
    jobs_list = [int(j) for j in args.jobs_list.split(",")]
    rows = [bench_size(int(n), jobs_list, args.seed) for n in args.sizes.split(",") if n]
    turtle = [bench_turtle_only(int(n), max(jobs_list), args.seed) for n in args.turtle_sizes.split(",") if n]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "core.json").write_text(json.dumps({"machine": machine(), "rows": rows, "turtle": turtle}, indent=1))
    print(f"Machine: {machine()}\n")
    if rows:
        print(table(rows, jobs_list))
    if turtle:
        print(turtle_table(turtle))
    return 0


if __name__ == "__main__":
    sys.exit(main())
