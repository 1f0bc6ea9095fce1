"""How long a written graph takes to load, against building it from its pages.

Builds a corpus once, writes Turtle, N-Triples and the data snapshot, then
times (best of ``--repeat`` runs, each in a fresh process so that no cache
helps): ``kg.build(corpus)``, ``kg.load`` of each file.  Checks that every
loaded graph equals the built one.

    .venv/bin/python benchmarks/load_bench.py                       # the bundled 1,888-event corpus
    .venv/bin/python benchmarks/load_bench.py --synthetic 20000     # a synthetic corpus of 20,000 events
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / "examples" / "wcep-2026-05-to-2026-08"

# one timed step in a fresh interpreter: the modules are imported first, only the work is timed
_STEP = """
import sys, time, kg, kg.pipeline, kg.query.loader, kg.export.snapshot
kind, source = sys.argv[1], sys.argv[2]
start = time.perf_counter()
g = kg.build(source) if kind == "build" else kg.load(source)
print(time.perf_counter() - start)
"""


def _time(kind: str, source: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _STEP, kind, str(source)], check=True,
                             capture_output=True, text=True, cwd=ROOT)
        best = min(best, float(out.stdout.strip().splitlines()[-1]))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--synthetic", type=int, metavar="N", help="generate a synthetic corpus of N events")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    import kg

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        corpus = args.corpus
        if args.synthetic:
            from kg.synth import generate_corpus

            corpus = out / "corpus"
            generate_corpus(corpus, args.synthetic, seed=1)
        graph = kg.build(corpus)
        files = {"Turtle": out / "graph.ttl", "N-Triples": out / "graph.nt", "snapshot": out / "graph.kg.json"}
        for path in files.values():
            kg.write(graph, path)
        for name, path in files.items():
            back = kg.load(path)
            same = (back.event_records, back.related, back.shared, back.articles, back.days) == \
                   (graph.event_records, graph.related, graph.shared, graph.articles, graph.days)
            if not same:
                print(f"load_bench: {name} does not load back equal to the built graph", file=sys.stderr)
                return 1
        build = _time("build", corpus, args.repeat)
        print(f"corpus: {len(graph.events_in_corpus):,} events ({corpus.name})")
        print("| how | file size | time | vs building |")
        print("|---|---:|---:|---:|")
        print(f"| kg.build(corpus) from pages | | {build:.2f} s | 1.0× |")
        for path in files.values():
            took = _time("load", path, args.repeat)
            # (a load slower than the build is said so: "0.9× faster" read as faster)
            versus = f"{build / took:.1f}× faster" if took <= build else f"{took / build:.1f}× slower"
            print(f"| kg.load({path.name}) | {path.stat().st_size / 1e6:.1f} MB | {took:.2f} s | {versus} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
