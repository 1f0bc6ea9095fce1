"""Benchmark of the explorer page in headless Chromium: size, first view, interactions, memory.

Corpora: the real 1,888-event corpus beside the repository
(bundled as ``examples/wcep-2026-05-to-2026-08``) and ``kg synth`` corpora of 10,000
and 150,000 events (written once into ``benchmarks/corpora/``, which git ignores).
For each, the page that ``kg build`` writes (the default overview) is opened at
1400x900 in Debian's Chromium and the script prints a markdown table:

- file size, and the Python time to make the page (graph already built);
- first view drawn (navigation start to vis-network's first drawing: it pans
  and zooms), settled (the archive's entities, links and days unpacked and
  indexed, the timeline and counts drawn) and the whole archive ready (the
  headlines and URLs too: every action works; ``kgView``'s actions wait for it);
- search to settled: ``kgView.search(name)`` for five entity names (median);
- a filter (a legend box), a brush (one month), an expand (the largest entity),
  and, that entity selected, its depth set to 2 and back to 1, each to settled;
- the longest frame while the mouse drags the canvas (60 steps);
- the page's JS heap once settled (Chromium's ``JSHeapUsedSize``).

Then each figure next to its target.  Run:
``.venv/bin/python benchmarks/html_bench.py [--sizes 10000,150000] [--no-real]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

import kg

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
REAL = REPO / "examples" / "wcep-2026-05-to-2026-08"
TARGETS = {"settled_s": 1.5, "search_ms": 300, "filter_ms": 200, "brush_ms": 200, "expand_ms": 200,
           "frame_ms": 50, "file_mb": 30, "heap_mb": 400}

TIMED = """async () => {
  const ms = async (action) => { const a = performance.now(); await action(); await kgView.settle(); return performance.now() - a; };
  const names = kgView.state().drawn.slice(0, 5).map(id => nodes.get(id).title);
  const search = [];
  for (const name of names) { search.push(await ms(() => kgView.search(name))); }
  await kgView.clear();
  const box = document.querySelector('#kg-legend input[data-edge="co-occurs"]');
  const filter = await ms(async () => { box.click(); });
  box.click();
  const days = Array.from(document.querySelectorAll('#kg-timeline-chart rect title')).map(t => t.textContent.slice(0, 10));
  const month = days[Math.floor(days.length / 2)].slice(0, 7);
  const brush = await ms(() => kgView.setDateRange(month + '-01', month + '-28'));
  await kgView.setDateRange(null, null);
  const top = kgView.state().drawn[0];
  const expand = await ms(() => kgView.expand(top));
  await kgView.collapse(top);
  await kgView.select(top);
  const depth2 = await ms(() => kgView.setDepth(top, 2));
  const depth1 = await ms(() => kgView.setDepth(top, 1));
  await kgView.setDepth(top, 0);
  await kgView.clear();
  return {search: search, filter: filter, brush: brush, expand: expand, depth2: depth2, depth1: depth1};
}"""

FRAMES = """() => { window.__frames = []; let last = performance.now();
  const tick = (now) => { window.__frames.push(now - last); last = now; if (window.__frames.length < 400) requestAnimationFrame(tick); };
  requestAnimationFrame(tick); }"""


def corpus(events: int) -> Path:
    """A ``kg synth`` corpus of ``events`` events, written once."""
    folder = HERE / "corpora" / f"synth-{events}"
    if not (folder / "news").is_dir():
        subprocess.run([sys.executable, "-m", "kg.cli", "synth", str(folder), "--events", str(events)],
                       check=True, cwd=REPO)
    return folder


def measure(browser, path: Path) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(path.resolve().as_uri(), timeout=300_000)
    page.wait_for_function("window.kgView && kgView.readyAt !== null", timeout=300_000)
    page.evaluate("kgView.ready")
    drawn, settled, ready = page.evaluate("[kgView.drawnAt, kgView.settledAt, kgView.readyAt]")
    heap = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}["JSHeapUsedSize"]
    timed = page.evaluate(TIMED)
    page.evaluate(FRAMES)
    frame = page.locator("#mynetwork").bounding_box()
    x, y = frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(60):
        page.mouse.move(x + 4 * step, y + 2 * step)
        page.wait_for_timeout(16)
    page.mouse.up()
    frames = page.evaluate("window.__frames")
    context.close()
    return {"drawn_s": drawn / 1000, "settled_s": settled / 1000, "ready_s": ready / 1000, "heap_mb": heap / 2**20,
            "search_ms": statistics.median(timed["search"]), "filter_ms": timed["filter"],
            "brush_ms": timed["brush"], "expand_ms": timed["expand"], "depth2_ms": timed["depth2"],
            "depth1_ms": timed["depth1"], "frame_ms": max(frames[2:])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,150000", help="events of the kg synth corpora")
    parser.add_argument("--no-real", action="store_true", help="skip the real 1,888-event corpus")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    cases = [] if args.no_real or not REAL.is_dir() else [("real, 1,888 events", REAL)]
    cases += [(f"kg synth, {int(n):,} events", corpus(int(n))) for n in args.sizes.split(",") if n]
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
        for name, folder in cases:
            graph = kg.build(folder)
            out = out_dir / f"explorer-{folder.name}.html"
            started = time.perf_counter()
            explorer = kg.to_html(graph, out)
            render = time.perf_counter() - started
            seen = measure(browser, out)
            seen["file_mb"] = out.stat().st_size / 2**20
            rows.append((name, explorer, render, seen))
            print(f"{name}: done", file=sys.stderr)
        browser.close()
    print("| corpus | entities drawn | file | Python | first view drawn | settled | whole archive ready "
          "| search | filter | brush | expand | depth 2, back to 1 | longest frame, panning | JS heap |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, explorer, render, s in rows:
        print(f"| {name} | {len(explorer.overview.entities):,} | {s['file_mb']:.1f} MB | {render:.1f} s "
              f"| {s['drawn_s']:.2f} s | {s['settled_s']:.2f} s | {s['ready_s']:.2f} s | {s['search_ms']:.0f} ms | {s['filter_ms']:.0f} ms "
              f"| {s['brush_ms']:.0f} ms | {s['expand_ms']:.0f} ms | {s['depth2_ms']:.0f} ms, {s['depth1_ms']:.0f} ms "
              f"| {s['frame_ms']:.0f} ms | {s['heap_mb']:.0f} MB |")
    print()
    print("Against the targets (figure / target; at most 1.00 meets it):")
    for name, _, _, s in rows:
        ratios = ", ".join(f"{key} {s[key] / target:.2f}" for key, target in TARGETS.items())
        print(f"- {name}: {ratios}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
