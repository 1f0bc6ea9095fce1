"""Benchmark: corpus -> Turtle + report at 1k, 10k, 50k and 150k events.

Run ``make bench`` (or ``.venv/bin/python benchmarks/run.py --sizes 1000,10000``).
For each size it generates a synthetic corpus (``kg synth``, cached in
``benchmarks/corpora/``), then measures, each build in a fresh subprocess:

- the cold build (no cache): seconds, pages/s, triples/s written, peak RSS;
- the build that primes the cache (``kg build --cache``), then rebuilds with
  it after 1% of the event pages changed, in two ways (a new source on each
  page; a new context on a Related line of each) and after a day's update (15
  new pages on a new day), each checked byte for byte against a cold build of
  the edited corpus;

and, on the 10k corpus, the baseline a user would otherwise write
(markdown-it-py's commonmark preset, an rdflib Graph, rdflib's Turtle
serializer) with the speed ratio.  It writes ``benchmarks/results/RESULTS.md``,
``results.json`` and ``scaling.png``, and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = HERE / "corpora"
RESULTS = HERE / "results"
SIZES = (1_000, 10_000, 50_000, 150_000)
CHANGED_SHARE = 0.01

TARGETS = {
    "cold_150k_s": 90.0,
    "peak_150k_mb": 3 * 1024,
    "warm_s": 5.0,
    "baseline_ratio": 10.0,
    "linearity": 1.3,
}


# ---------------------------------------------------------------- children
# Each measured build runs in its own process so that its peak memory is its own.

def child_build(corpus: str, out: str, cache: str | None, jobs: int | None, fast_parse: bool) -> None:
    """One measured build: in stages without a cache, as ``kg build`` does with one."""
    import hashlib
    import resource

    t0 = time.perf_counter()
    incremental = False
    if cache is None:
        import kg
        from kg.pipeline import build

        graph = build(corpus, jobs=jobs, fast_parse=fast_parse)
        t1 = time.perf_counter()
        Path(out).mkdir(parents=True, exist_ok=True)
        kg.write_turtle(graph, Path(out) / "graph.ttl")
        kg.write(graph, Path(out) / "report.json", "report")
        report = graph.report
    else:
        from kg.pipeline import build_files

        result = build_files(corpus, out, ("turtle", "report"), cache_dir=cache, jobs=jobs,
                             fast_parse=fast_parse)
        t1, incremental, report = time.perf_counter(), result.incremental, result.report
    t2 = time.perf_counter()
    digest = hashlib.sha256()
    with open(Path(out) / "graph.ttl", "rb") as fh:  # outside the timed part
        for block in iter(lambda: fh.read(1 << 22), b""):
            digest.update(block)
    digest.update((Path(out) / "report.json").read_bytes())
    print(json.dumps({
        "ttl_sha256": digest.hexdigest(),
        "pages": report.pages_read,
        "events": report.counts["events"],
        "incremental": incremental,
        "build_s": t1 - t0,
        "write_s": t2 - t1,
        "total_s": t2 - t0,
        "main_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }))


def child_baseline(corpus: str, out: str) -> None:
    """What a user would write without kg: commonmark tokens -> rdflib -> Turtle."""
    import rdflib
    from markdown_it import MarkdownIt
    from rdflib.namespace import RDF, XSD

    t0 = time.perf_counter()
    md = MarkdownIt("commonmark")
    schema = rdflib.Namespace("http://schema.org/")
    kgns = rdflib.Namespace("https://w3id.org/kg-news/ontology#")
    base = rdflib.Namespace("https://kg.example.org/news/")
    sem = rdflib.Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    g = rdflib.Graph()
    g.bind("schema", schema)
    g.bind("kg", kgns)
    root = Path(corpus)
    pages = 0
    for path in sorted(root.rglob("*.md")):
        pages += 1
        rel = path.relative_to(root).as_posix()
        if path.name == "index.md":
            continue
        tokens = md.parse(path.read_text(encoding="utf-8"))
        event = base["event/" + rel[5:-3]]
        y, m, d = rel.split("/")[1:4]
        g.add((event, RDF.type, kgns.Event))
        g.add((event, RDF.type, schema.Event))
        g.add((event, schema.startDate, rdflib.Literal(f"{y}-{m}-{int(d):02d}", datatype=XSD.date)))
        g.add((event, kgns.path, rdflib.Literal(rel)))
        # The same kinds of statements kg writes, so that the triple counts compare.
        day = base[f"day/{y}-{m}-{int(d):02d}"]
        page = base["page/" + rel]
        g.add((event, RDF.type, sem.Event))
        g.add((event, sem.hasTimeStamp, rdflib.Literal(f"{y}-{m}-{int(d):02d}", datatype=XSD.date)))
        g.add((event, kgns.inCorpus, rdflib.Literal(True)))
        g.add((event, kgns.onDay, day))
        g.add((event, prov.wasDerivedFrom, page))
        g.add((page, RDF.type, kgns.Page))
        g.add((page, kgns.path, rdflib.Literal(rel)))
        g.add((day, RDF.type, kgns.Day))
        section = None
        rank = 0
        for i, tok in enumerate(tokens):
            if tok.type == "heading_open":
                text = tokens[i + 1].content.strip()
                if tok.tag == "h1":
                    g.add((event, schema.name, rdflib.Literal(text)))
                else:
                    section = text.rstrip(":").lower()
            elif tok.type == "inline" and tokens[i - 1].type == "paragraph_open" and section:
                children = tok.children or []
                link = next((c for c in children if c.type == "link_open"), None)
                if link is None:
                    continue
                href = str(link.attrs["href"])
                label = "".join(c.content for c in children[children.index(link) + 1:]
                                if c.type == "text" and c is not children[-1]).strip()
                if section == "source":
                    article = base["article/" + str(abs(hash(href)))]
                    publisher = base["publisher/" + label.replace(" ", "_")]
                    g.add((event, schema.citation, article))
                    g.add((article, RDF.type, schema.NewsArticle))
                    g.add((article, schema.url, rdflib.Literal(href, datatype=XSD.anyURI)))
                    g.add((article, schema.publisher, publisher))
                    g.add((publisher, RDF.type, schema.NewsMediaOrganization))
                    g.add((publisher, schema.name, rdflib.Literal(label)))
                elif section == "related":
                    rank += 1
                    target = base["event/" + href.strip("/")[5:-3]]
                    g.add((event, kgns.relatedTo, target))
                    line = base[f"related/{rel[5:-3]}/{rank}"]
                    g.add((line, RDF.type, kgns.RelatedLink))
                    g.add((line, kgns.linkSource, event))
                    g.add((line, kgns.linkTarget, target))
                    g.add((line, kgns.rank, rdflib.Literal(rank)))
                    pair = base[f"shared/{'/'.join(sorted((rel[5:-3], href.strip('/')[5:-3])))}"]
                    g.add((pair, RDF.type, kgns.ContextSharing))
                    g.add((pair, kgns.involves, event))
                    g.add((pair, kgns.involves, target))
                    g.add((event, kgns.sharesContext, target))
                    g.add((target, kgns.sharesContext, event))
                    rest = children[-1].content if children[-1].type == "text" else ""
                    em = [c.content for c in children if c.type == "text"
                          and c.content.startswith("Context:")]
                    for name in (em[0] if em else rest).replace("Context:", "").split(", "):
                        if name.strip():
                            ctx = base["context/" + name.strip().replace(" ", "_")]
                            g.add((line, kgns.context, ctx))
                            g.add((pair, kgns.context, ctx))
                            g.add((event, schema.about, ctx))
                            g.add((target, schema.about, ctx))
                            g.add((ctx, RDF.type, kgns.Context))
                            g.add((ctx, schema.name, rdflib.Literal(name.strip())))
    t1 = time.perf_counter()
    Path(out).mkdir(parents=True, exist_ok=True)
    g.serialize(destination=str(Path(out) / "graph.ttl"), format="turtle")
    t2 = time.perf_counter()
    print(json.dumps({"pages": pages, "triples": len(g), "build_s": t1 - t0,
                      "write_s": t2 - t1, "total_s": t2 - t0}))


# ---------------------------------------------------------------- parent

def run_child(*args: str) -> dict:
    """Run a child measurement; add its wall time and peak RSS (from wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, cwd=HERE.parent)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child {args} failed with status {proc.returncode}")
    result = json.loads(out)
    result["wall_s"] = time.perf_counter() - start
    result["peak_rss_mb"] = usage.ru_maxrss / 1024  # largest of the child and its workers
    return result


def corpus_for(events: int, seed: int) -> Path:
    """Generate (once) the corpus of a size; a stamp file marks it complete."""
    from kg.synth import PROFILE_PATH, generate_corpus

    folder = CORPORA / f"events-{events}-seed-{seed}"
    stamp = folder / "synth.json"
    want = {"events": events, "seed": seed, "profile_bytes": PROFILE_PATH.stat().st_size,
            "generator_bytes": Path(sys.modules["kg.synth"].__file__).stat().st_size}
    if stamp.is_file() and json.loads(stamp.read_text()) == want:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    t0 = time.perf_counter()
    done = generate_corpus(folder, events, seed=seed)
    print(f"bench: generated {done.events:,} events ({done.files:,} files, {done.bytes / 1e6:,.0f} MB) "
          f"in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    stamp.write_text(json.dumps(want))
    return folder


def count_triples(path: Path) -> int:
    import pyoxigraph as ox

    with open(path, "rb") as fh:
        return sum(1 for _ in ox.parse(fh, ox.RdfFormat.TURTLE))


#: How the rebuild benchmark edits 1% of the event pages.  A new source
#: touches the page's event, article and publisher; a new context on a
#: Related line also touches the linked events, their pair and their links.
EDITS = {
    "source": (b"### Source:\n\n", "### Source:\n\n1. [Bench Wire](https://bench.example/{n})\n"),
    "context": (b"_Context: ", "_Context: Bench Topic {n}, "),
}


def change_pages(corpus: Path, share: float, edit: str = "source") -> dict[Path, bytes]:
    """Edit every n-th event page; return the old bytes."""
    pages = sorted(p for p in (corpus / "news").rglob("*.md") if p.name != "index.md")
    step = max(1, round(1 / share))
    find, replace = EDITS[edit]
    old = {}
    for n, page in enumerate(pages[::step]):
        data = page.read_bytes()
        old[page] = data
        page.write_bytes(data.replace(find, replace.format(n=n % 50).encode(), 1))
    return old


#: A day's update: this many new event pages on a new day, and its day page.
DAY_PAGES = 15


def add_day(corpus: Path, pages: int = DAY_PAGES) -> Path:
    """Add a new day at the end of the corpus; return its folder (to delete afterwards).

    Its pages copy the text of the corpus's first pages, Related lines and all,
    so that, like a real day's events, they link to older events.
    """
    import re

    folder = corpus / "news" / "2099" / "01" / "1"
    folder.mkdir(parents=True)
    models = sorted(p for p in (corpus / "news").rglob("*.md") if p.name != "index.md")[:pages]
    entries = []
    for n, model in enumerate(models):
        text = model.read_text(encoding="utf-8")
        text = re.sub(r"^### \[.*?\]\(.*?\)", "### [2099-01-1](/news/2099/01/1/index.md)", text,
                      count=1, flags=re.M)
        text = re.sub(r"^# ", f"# Update {n}: ", text, count=1, flags=re.M)
        (folder / f"update-{n}.md").write_text(text, encoding="utf-8")
        headline = re.search(r"^# (.*)$", text, flags=re.M).group(1)
        entries.append(f"{n + 1}. [{headline}](/news/2099/01/1/update-{n}.md)")
    (folder / "index.md").write_text("# 2099-01-1\n\n"
                                     + "\n".join(entries) + "\n", encoding="utf-8")
    return folder.parent.parent


def bench_size(events: int, seed: int, jobs: int | None, fast_parse: bool = True) -> dict:
    corpus = corpus_for(events, seed)
    out = RESULTS / "out" / str(events)
    check = RESULTS / "out" / f"{events}-check"
    cache = RESULTS / "cache" / str(events)
    shutil.rmtree(cache, ignore_errors=True)
    jobs_args = (["--jobs", str(jobs)] if jobs else []) + ([] if fast_parse else ["--no-fast-parse"])
    print(f"bench: {events:,} events: cold build", file=sys.stderr)
    cold = run_child("--child-build", str(corpus), str(out), *jobs_args)
    triples = count_triples(out / "graph.ttl")
    print(f"bench: {events:,} events: priming the cache", file=sys.stderr)
    primed = run_child("--child-build", str(corpus), str(out), "--cache", str(cache), *jobs_args)
    if primed["ttl_sha256"] != cold["ttl_sha256"]:
        raise SystemExit(f"bench: {events:,} events: the cached build wrote other files than the cold one")
    warm = {}
    for edit in EDITS:
        print(f"bench: {events:,} events: rebuild after 1% changed ({edit}), then a cold build to check it",
              file=sys.stderr)
        old = change_pages(corpus, CHANGED_SHARE, edit)
        try:
            warm[edit] = run_child("--child-build", str(corpus), str(out), "--cache", str(cache), *jobs_args)
            fresh = run_child("--child-build", str(corpus), str(check), *jobs_args)
        finally:
            for page, data in old.items():
                page.write_bytes(data)
        if warm[edit]["ttl_sha256"] != fresh["ttl_sha256"] or not warm[edit]["incremental"]:
            raise SystemExit(f"bench: {events:,} events: the rebuild ({edit}) differs from a cold build")
        back = run_child("--child-build", str(corpus), str(out), "--cache", str(cache), *jobs_args)
        if back["ttl_sha256"] != cold["ttl_sha256"]:
            raise SystemExit(f"bench: {events:,} events: undoing the edits did not give the cold files")
    print(f"bench: {events:,} events: a day's update ({DAY_PAGES} new pages), then a cold build to check it",
          file=sys.stderr)
    added = add_day(corpus)
    try:
        warm["day"] = run_child("--child-build", str(corpus), str(out), "--cache", str(cache), *jobs_args)
        fresh = run_child("--child-build", str(corpus), str(check), *jobs_args)
    finally:
        shutil.rmtree(added)
    if warm["day"]["ttl_sha256"] != fresh["ttl_sha256"] or not warm["day"]["incremental"]:
        raise SystemExit(f"bench: {events:,} events: the day's update differs from a cold build")
    back = run_child("--child-build", str(corpus), str(out), "--cache", str(cache), *jobs_args)
    if back["ttl_sha256"] != cold["ttl_sha256"]:
        raise SystemExit(f"bench: {events:,} events: removing the day did not give the cold files")
    shutil.rmtree(check, ignore_errors=True)
    return {
        "events": events,
        "pages": cold["pages"],
        "triples": triples,
        "cold_s": cold["total_s"],
        "cold_build_s": cold["build_s"],
        "cold_write_s": cold["write_s"],
        "pages_per_s": cold["pages"] / cold["build_s"],
        "triples_per_s": triples / cold["write_s"],
        "peak_rss_mb": cold["peak_rss_mb"],
        "main_rss_mb": cold["main_rss_mb"],
        "cold_with_cache_s": primed["total_s"],
        "changed_pages": len(old),
        "warm_s": warm["source"]["total_s"],
        "warm_context_s": warm["context"]["total_s"],
        "day_update_s": warm["day"]["total_s"],
        "warm_peak_rss_mb": max(w["peak_rss_mb"] for w in warm.values()),
    }


def bench_baseline(events: int, seed: int, ours: dict) -> dict:
    corpus = corpus_for(events, seed)
    print(f"bench: baseline (commonmark + rdflib) on {events:,} events", file=sys.stderr)
    base = run_child("--child-baseline", str(corpus), str(RESULTS / "out" / f"baseline-{events}"))
    return {"events": events, "baseline_s": base["total_s"], "baseline_triples": base["triples"],
            "baseline_rss_mb": base["peak_rss_mb"], "ours_s": ours["cold_s"],
            "ours_triples": ours["triples"], "ratio": base["total_s"] / ours["cold_s"]}


def table(rows: list[dict], baseline: dict | None) -> str:
    lines = [
        "| events | pages | triples | cold build (s) | pages/s | triples/s written | peak RSS (MB) "
        "| rebuild, 1% new sources (s) | rebuild, 1% new contexts (s) | a day's update (s) | s per 1k events |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['events']:,} | {r['pages']:,} | {r['triples']:,} | {r['cold_s']:.1f} "
                     f"| {r['pages_per_s']:,.0f} | {r['triples_per_s']:,.0f} | {r['peak_rss_mb']:,.0f} "
                     f"| {r['warm_s']:.1f} | {r['warm_context_s']:.1f} | {r['day_update_s']:.1f} "
                     f"| {1000 * r['cold_s'] / r['events']:.2f} |")
    out = "\n".join(lines) + "\n"
    if baseline:
        out += (f"\nBaseline (markdown-it commonmark + rdflib Graph + rdflib Turtle) on "
                f"{baseline['events']:,} events: {baseline['baseline_s']:.1f} s for "
                f"{baseline['baseline_triples']:,} triples; kg: {baseline['ours_s']:.1f} s for "
                f"{baseline['ours_triples']:,} triples: **{baseline['ratio']:.1f}x faster**.\n")
    by_size = {r["events"]: r for r in rows}
    if 10_000 in by_size and 150_000 in by_size:
        a, b = by_size[10_000], by_size[150_000]
        ratio = (b["cold_s"] / b["events"]) / (a["cold_s"] / a["events"])
        out += f"\nTime per event at 150k / at 10k: {ratio:.2f} (target <= {TARGETS['linearity']}).\n"
    return out


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["events"] for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(sizes, [r["cold_s"] for r in rows], "o-", label="cold build")
    left.plot(sizes, [r["warm_s"] for r in rows], "s-", label="rebuild, 1% new sources")
    left.plot(sizes, [r["warm_context_s"] for r in rows], "^-", label="rebuild, 1% new contexts")
    left.plot(sizes, [r["day_update_s"] for r in rows], "v-", label=f"a day's update ({DAY_PAGES} pages)")
    left.set(xlabel="events", ylabel="seconds", title="Time (corpus to Turtle + report)")
    left.legend()
    right.plot(sizes, [r["peak_rss_mb"] for r in rows], "o-", color="tab:red")
    right.set(xlabel="events", ylabel="MB", title="Peak memory (RSS)")
    from matplotlib.ticker import FuncFormatter

    for ax in (left, right):
        ax.grid(True, alpha=0.3)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x / 1000:g}k"))
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def machine() -> str:
    import platform

    from kg.facts.executors import default_jobs

    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (f"{platform.python_implementation()} {platform.python_version()}, {default_jobs()} cores, "
            f"{platform.machine()}{load}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default=",".join(map(str, SIZES)),
                   help="comma-separated corpus sizes in events (default 1000,10000,50000,150000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--jobs", type=int, default=None, help="parsing processes (default all cores)")
    p.add_argument("--baseline-events", type=int, default=10_000,
                   help="corpus size for the baseline (default 10000; 0 skips it)")
    p.add_argument("--fast-parse", action=argparse.BooleanOptionalAction, default=True,
                   help="measure kg build with the canonical line reader (the default) or, with "
                        "--no-fast-parse, with markdown-it for every page")
    p.add_argument("--child-build", nargs=2, metavar=("CORPUS", "OUT"), help=argparse.SUPPRESS)
    p.add_argument("--child-baseline", nargs=2, metavar=("CORPUS", "OUT"), help=argparse.SUPPRESS)
    p.add_argument("--cache", default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child_build:
        child_build(*args.child_build, args.cache, args.jobs, args.fast_parse)
        return 0
    if args.child_baseline:
        child_baseline(*args.child_baseline)
        return 0

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    RESULTS.mkdir(parents=True, exist_ok=True)
    before = machine()  # the load average says whether other work shared the cores
    rows = [bench_size(n, args.seed, args.jobs, args.fast_parse) for n in sizes]
    baseline = None
    if args.baseline_events:
        ours = next((r for r in rows if r["events"] == args.baseline_events), None)
        if ours is None:
            ours = bench_size(args.baseline_events, args.seed, args.jobs, args.fast_parse)
        baseline = bench_baseline(args.baseline_events, args.seed, ours)
    text = table(rows, baseline)
    (RESULTS / "results.json").write_text(json.dumps({"machine": before, "after": machine(), "sizes": rows,
                                                      "baseline": baseline}, indent=2) + "\n")
    plot(rows, RESULTS / "scaling.png")
    reading = ('by the canonical line reader where they qualify (the default)' if args.fast_parse
               else 'by markdown-it (--no-fast-parse)')
    (RESULTS / "RESULTS.md").write_text(
        f"# kg benchmark\n\nMachine: {before} (at the start; {machine().rsplit(', ', 1)[-1]} at the end).  "
        f"Synthetic corpora (`kg synth`, seed {args.seed}); pages read "
        f"{reading}.\n"
        f"Cold build = corpus to Turtle + report.json, no cache; rebuild = `kg build --cache` after "
        f"{CHANGED_SHARE:.0%} of the event pages changed (a new source on each, or a new context on "
        f"a Related line of each), and after a day's update ({DAY_PAGES} new pages on a new day, linking "
        f"to older events, and its day page); every rebuild's files were checked equal to a cold "
        f"build's.\n\n"
        f"{text}\n![scaling](scaling.png)\n")
    print(text)
    print(f"bench: wrote {RESULTS / 'RESULTS.md'} and {RESULTS / 'scaling.png'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
