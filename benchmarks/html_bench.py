"""Benchmark of the HTML network view: file size, time to draw, memory.

Writes a synthetic corpus (a small generator below: events over days, each
citing two articles and naming related events with shared contexts), then
views of 500, 2,000 and 10,000 nodes of it and of the sample corpus, opens
each in headless Chromium and prints a markdown table:

- file size of the page;
- Python time to select, lay out and render it;
- time from navigation start until vis-network has drawn the network (the
  page runs no physics, so drawn is stable; the table says whether physics
  ran);
- the page's JS heap once drawn (Chromium's ``JSHeapUsedSize``).

Run: ``.venv/bin/python benchmarks/html_bench.py [--events 3500]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kg  # noqa: E402
from kg.slug import slugify  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "wcep-2015-09"


def write_corpus(root: Path, events: int, seed: int = 1) -> Path:
    """Write a synthetic corpus of ``events`` event pages; return its folder."""
    rng = random.Random(seed)
    start = dt.date(2016, 1, 1)
    contexts = [f"Place {i}" for i in range(max(50, events // 3))]
    publishers = [f"Outlet {i}" for i in range(300)]
    pages = []
    for i in range(events):
        date = start + dt.timedelta(days=i // 15)
        own = rng.sample(contexts[: 20 + i // 3], 3)
        headline = f"Event {i}: something happens in {own[0]} and {own[1]}."
        pages.append((date, slugify(headline), headline, own))
    for i, (date, slug, headline, own) in enumerate(pages):
        folder = root / "news" / f"{date.year:04d}" / f"{date.month:02d}" / str(date.day)
        folder.mkdir(parents=True, exist_ok=True)
        sources = "\n".join(
            f"1. [{rng.choice(publishers)}](https://news{rng.randrange(40)}.example/{i}/{k}.html)" for k in range(2))
        related = []
        for rank, j in enumerate(rng.sample(range(max(0, i - 200), i), min(i, 3)), 1):
            other = pages[j]
            shared = ", ".join(own[: rng.randint(1, 2)])
            path = f"/news/{other[0].year:04d}/{other[0].month:02d}/{other[0].day}/{other[1]}.md"
            related.append(f"{rank}. [{other[2]} ]({path}) _Context: {shared}_")
        day = f"{date.year:04d}-{date.month:02d}-{date.day}"
        (folder / f"{slug}.md").write_text(
            f"### [{day}](/news/{date.year:04d}/{date.month:02d}/{date.day}/index.md)\n\n# {headline} \n\n"
            f"### Source:\n\n{sources}\n\n### Related:\n\n" + "\n".join(related) + "\n", encoding="utf-8")
    return root


def measure(browser, path: Path) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.kgView && kgView.drawnAt !== null", timeout=300_000)
    drawn = page.evaluate("kgView.drawnAt")
    physics = page.evaluate("network.physics.physicsEnabled")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    context.close()
    return {"drawn_s": drawn / 1000, "heap_mb": metrics["JSHeapUsedSize"] / 2**20, "physics": physics}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3500, help="events of the synthetic corpus")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        started = time.perf_counter()
        corpus = write_corpus(tmp_path / "corpus", args.events)
        big = kg.build(corpus)
        print(f"synthetic corpus: {args.events:,} events, built in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
        cases = [("sample corpus", kg.build(SAMPLE), 2000)] + [
            (f"synthetic, cap {cap:,}", big, cap) for cap in (500, 2000, 10_000)]
        rows = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
            for i, (name, graph, cap) in enumerate(cases):
                out = tmp_path / f"view{i}.html"
                t0 = time.perf_counter()
                view = graph.to_html(out, max_nodes=cap)
                render = time.perf_counter() - t0
                seen = measure(browser, out)
                rows.append((name, len(view.nodes), len(view.edges), out.stat().st_size / 2**20, render,
                             seen["drawn_s"], seen["heap_mb"], seen["physics"]))
            browser.close()
    print("| view | nodes | edges | file (MB) | Python render (s) | drawn and stable (s) | JS heap (MB) | physics |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, n, e, size, render, drawn, heap, physics in rows:
        print(f"| {name} | {n:,} | {e:,} | {size:.1f} | {render:.2f} | {drawn:.2f} | {heap:.0f} | "
              f"{'on' if physics else 'off'} |")
    base = rows[1]
    for row in rows[2:]:
        print(f"{row[1]:,} vs {base[1]:,} nodes: x{row[1] / base[1]:.0f} nodes, x{row[5] / base[5]:.1f} draw time, "
              f"x{row[6] / base[6]:.1f} heap")
    return 0


if __name__ == "__main__":
    sys.exit(main())
