"""Cost of hostile pages: parse and build time of huge and pathological pages.

Prints one line per case: its size, the seconds to parse it, the seconds to
build a one-page corpus of it, and the diagnostics it gave.  Run:
``.venv/bin/python benchmarks/hostile_bench.py``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import kg
from kg.parse.markdown import parse_page

PATH = "news/2015/09/1/bench.md"
HEAD = ("### [2015-09-1](/news/2015/09/1/index.md)\n\n# A benchmark page. \n\n"
        "### Source:\n\n1. [AP](http://apnews.com/b)\n\n### Related:\n\n")


def _related(n: int, width: int = 60) -> str:
    return "".join(f"{i}. [Related event {i} {'x' * width} ](/news/2015/08/{1 + i % 28}/ev-{i}.md) "
                   f"_Context: Topic {i % 40}, Shared_\n" for i in range(1, n + 1))


def _contexts(names: str) -> str:
    return f"1. [X](/news/2015/09/1/x.md) _Context: {names}_\n"


CASES = {
    "500 related items": HEAD + _related(500),
    "5 MB of related items": HEAD + _related(40_000),
    "5 MB of text lines": HEAD + "lorem ipsum dolor sit amet\n" * 190_000,
    "5 MB one-line headline": "# " + "word " * 1_000_000 + "\n",
    "5 MB of '[' in items": HEAD + "".join("1. [" + "[" * 19_990 + "](http://x.org/)\n" for _ in range(250)),
    "5 MB of '*a ' in one paragraph": HEAD + ("*a " * 100 + "\n") * 16_000,
    "5 MB of headings": "### x\n" * 850_000,
    "5 MB of blank lines": "\n" * 5_000_000,
    # Context lists of empty, invisible or repeated names: each name read is one more diagnostic.
    "0.5 MB of ',' in context lists": HEAD + _contexts("," * 19_900) * 25,
    "0.5 MB of zero-width names": HEAD + _contexts((chr(0x200B) + ",") * 6_000) * 10,
    "0.5 MB of one name repeated": HEAD + _contexts(", ".join(["Iran"] * 3_000)) * 25,
}


def _best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    print(f"{'case':32} {'MB':>6} {'parse s':>8} {'build s':>8}  diagnostics")
    for name, text in CASES.items():
        parse_s = _best(lambda text=text: parse_page(text, PATH))
        with tempfile.TemporaryDirectory() as tmp:
            page = Path(tmp) / PATH
            page.parent.mkdir(parents=True)
            page.write_text(text, encoding="utf-8")
            build_s = _best(lambda: kg.build(tmp), repeat=1)
            graph = kg.build(tmp)
        codes = statistics.multimode(d.code for d in graph.report.diagnostics) if graph.report.diagnostics else []
        print(f"{name:32} {len(text.encode()) / 1e6:6.2f} {parse_s:8.3f} {build_s:8.3f}  "
              f"{len(graph.report.diagnostics)} ({', '.join(codes[:3])}...)")


if __name__ == "__main__":
    main()
