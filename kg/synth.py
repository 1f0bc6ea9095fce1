"""Synthetic corpora at any size, shaped like the real sample.

:func:`measure_profile` reads a real corpus and returns a :class:`Profile` of
measured figures: events per day, sources / related lines / contexts per
page, the long tail of context and publisher popularity (a Zipf exponent and
a Heaps growth exponent each), headline lengths, the share of headlines with
non-ASCII text, a weighted headline vocabulary.  The figures of the sample
corpus are checked in as ``kg/synth_profile.json`` (a test keeps them equal
to a fresh measurement).

:func:`generate_corpus` writes ``N`` events in the page format from a profile
and a seed; the same seed gives the same bytes.  Related lines are consistent by
construction: every line points at a generated page, naming contexts of the page
that writes it, its target among the events that hold the line's first context.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import os
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from itertools import accumulate
from pathlib import Path
from typing import Any, Generic, TypeVar

__all__ = [
    "Profile",
    "SynthSummary",
    "measure_profile",
    "load_profile",
    "generate_corpus",
    "PROFILE_PATH",
]

T = TypeVar("T")

#: The measured figures of ``examples/wcep-2015-09``.
PROFILE_PATH = Path(__file__).with_name("synth_profile.json")

_START = dt.date(2000, 1, 1)
_WORD_OK = re.compile(r"^[^\[\]()*_`<>&\\#!|{}~=+^$\"]+$")
_TOP_WORDS = 1500


@dataclass(frozen=True, slots=True)
class Profile:
    """Measured figures of a corpus; histograms map a count to how many pages had it."""

    events: int
    day_sizes: tuple[int, ...]
    sources_per_event: dict[int, int]
    images_per_event: dict[int, int]
    related_per_event: dict[int, int]
    contexts_per_link: dict[int, int]
    own_contexts_per_event: dict[int, int]
    headline_lengths: tuple[int, ...]
    non_ascii_share: float
    url_reuse_share: float
    context_names: tuple[str, ...]
    context_popularity: tuple[int, ...]
    context_zipf: float
    context_heaps: float
    publisher_names: tuple[str, ...]
    publisher_popularity: tuple[int, ...]
    publisher_zipf: float
    publisher_heaps: float
    words: tuple[tuple[str, int], ...]
    non_ascii_words: tuple[tuple[str, int], ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping (histogram keys become strings)."""
        out = asdict(self)
        for name, value in out.items():
            if isinstance(value, dict):
                out[name] = {str(k): v for k, v in sorted(value.items())}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Profile:
        """Inverse of :meth:`to_dict`."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            v = data[f.name]
            if isinstance(v, dict):
                v = {int(k): int(n) for k, n in v.items()}
            elif isinstance(v, list):
                v = tuple(tuple(x) if isinstance(x, list) else x for x in v)
            values[f.name] = v
        return cls(**values)


@dataclass(frozen=True, slots=True)
class SynthSummary:
    """What :func:`generate_corpus` wrote."""

    events: int
    days: int
    files: int
    bytes: int


# ---------------------------------------------------------------- measuring

def _fit_slope(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0


def _zipf_exponent(counts: list[int]) -> float:
    """Slope of log(count) against log(rank), sign flipped."""
    ranked = sorted(counts, reverse=True)
    return -_fit_slope([math.log(r) for r in range(1, len(ranked) + 1)],
                       [math.log(c) for c in ranked])


def _heaps_exponent(stream: list[str]) -> float:
    """Growth of distinct names with occurrences: distinct ~ n ** beta."""
    seen: set[str] = set()
    xs, ys = [], []
    for i, name in enumerate(stream, start=1):
        seen.add(name)
        if i >= 10:
            xs.append(math.log(i))
            ys.append(math.log(len(seen)))
    return _fit_slope(xs, ys) if xs else 1.0


def _hist(values: Iterable[int]) -> dict[int, int]:
    return dict(sorted(Counter(values).items()))


def measure_profile(corpus: str | os.PathLike[str]) -> Profile:
    """Measure the figures that :func:`generate_corpus` reproduces.

    Examples
    --------
    >>> p = measure_profile("examples/wcep-2015-09")
    >>> p.events, sum(p.day_sizes), len(p.context_names)
    (428, 428, 194)
    """
    from kg.facts.build import build_graph
    from kg.facts.executors import parse_file
    from kg.parse.records import EventPage
    from kg.read.files import corpus_root, iter_page_paths

    root = corpus_root(corpus)
    parsed = [parse_file(rel, real) for rel, real, problem in iter_page_paths(root) if real is not None]
    graph = build_graph(parsed)
    pages = sorted((p.page for p in parsed if isinstance(p.page, EventPage)), key=lambda p: p.path)
    per_context = Counter(c for cs in graph.event_contexts.values() for c in cs)
    citations = [s for p in pages for s in p.sources]
    per_publisher = Counter(s.publisher for s in citations)
    seen_urls: set[str] = set()
    reused = 0
    for s in citations:
        reused += s.url in seen_urls
        seen_urls.add(s.url)
    words: Counter[str] = Counter()
    odd_words: Counter[str] = Counter()
    for p in pages:
        for w in p.headline.split():
            if _WORD_OK.match(w):
                (words if w.isascii() else odd_words)[w] += 1
    # Each page's own contexts, in page order: the draws the generator makes.
    context_stream = [c for p in pages for c in dict.fromkeys(c for r in p.related for c in r.contexts)]
    return Profile(
        events=len(pages),
        day_sizes=tuple(Counter(p.key.date for p in pages)[d] for d in sorted({p.key.date for p in pages})),
        sources_per_event=_hist(len(p.sources) for p in pages),
        images_per_event=_hist(len(p.images) for p in pages),
        related_per_event=_hist(len(p.related) for p in pages),
        contexts_per_link=_hist(len(r.contexts) for p in pages for r in p.related),
        own_contexts_per_event=_hist(len({c for r in p.related for c in r.contexts})
                                     for p in pages if p.related),
        headline_lengths=tuple(len(p.headline) for p in pages),
        non_ascii_share=round(sum(not p.headline.isascii() for p in pages) / len(pages), 6),
        url_reuse_share=round(reused / max(1, len(citations)), 6),
        context_names=tuple(n for n, _ in per_context.most_common()),
        context_popularity=tuple(c for _, c in per_context.most_common()),
        context_zipf=round(_zipf_exponent(list(per_context.values())), 6),
        context_heaps=round(_heaps_exponent(context_stream), 6),
        publisher_names=tuple(n for n, _ in per_publisher.most_common()),
        publisher_popularity=tuple(c for _, c in per_publisher.most_common()),
        publisher_zipf=round(_zipf_exponent(list(per_publisher.values())), 6),
        publisher_heaps=round(_heaps_exponent([s.publisher for s in citations]), 6),
        words=tuple(words.most_common(_TOP_WORDS)),
        non_ascii_words=tuple(odd_words.most_common()),
    )


def load_profile(path: str | os.PathLike[str] | None = None) -> Profile:
    """Load a profile written as JSON (default: the sample's, :data:`PROFILE_PATH`).

    Examples
    --------
    >>> load_profile().events
    428
    """
    with open(path or PROFILE_PATH, encoding="utf-8") as fh:
        return Profile.from_dict(json.load(fh))


def save_profile(profile: Profile, path: str | os.PathLike[str]) -> None:
    """Write a profile as JSON (stable key order, one figure list per line)."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(profile.to_dict(), fh, ensure_ascii=False, indent=1)
        fh.write("\n")


# ---------------------------------------------------------------- drawing

class _Urn(Generic[T]):
    """Weighted draws by bisecting cumulative weights (fast for big vocabularies)."""

    def __init__(self, items: list[T], weights: Sequence[float]) -> None:
        self.items = items
        self.cum = list(accumulate(weights))

    def draw(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


def _hist_urn(hist: dict[int, int]) -> _Urn[int]:
    keys = sorted(hist)
    return _Urn(keys, [hist[k] for k in keys])


def _zipf_vocabulary(names: tuple[str, ...], heaps: float, zipf: float, scale: float,
                     invent: Callable[[int], str]) -> _Urn[str]:
    """Contexts: the sample's names, grown by Heaps' law for a bigger corpus, Zipf-weighted.

    The sample's contexts are flatter than a Pitman-Yor tail (no context
    dominates), so a fixed Zipf law over a growing vocabulary fits them better.
    """
    size = max(len(names), round(len(names) * scale ** heaps))
    vocab = list(names) + [invent(i) for i in range(size - len(names))]
    return _Urn(vocab, [1.0 / (r ** zipf) for r in range(1, size + 1)])


def _expected_distinct(n: int, d: float, theta: float) -> float:
    """Expected distinct names after ``n`` draws of a Pitman-Yor process."""
    log_ratio = (math.lgamma(theta + d + n) - math.lgamma(theta + d)
                 - math.lgamma(theta + n) + math.lgamma(theta))
    return theta / d * (math.exp(log_ratio) - 1.0)


def _solve_theta(n: int, distinct: int, d: float) -> float:
    """The concentration that gives ``distinct`` names after ``n`` draws (bisection)."""
    lo, hi = 1e-6, 1e6
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        if _expected_distinct(n, d, mid) < distinct:
            lo = mid
        else:
            hi = mid
    return math.sqrt(lo * hi)


class _Names:
    """A Pitman-Yor process over names: a long tail that keeps growing.

    Distinct names grow as ``draws ** d`` (Heaps' law) and a share of about
    ``d`` of them are seen once, as in the sample.  The discount ``d`` is the
    measured Heaps exponent; the concentration is solved so that the sample's
    number of draws gives the sample's number of distinct names.  New names are
    the sample's, most popular first, then invented ones.
    """

    def __init__(self, names: tuple[str, ...], draws: int, heaps: float, invent: Callable[[int], str]) -> None:
        self.d = min(max(heaps, 0.05), 0.95)
        self.theta = _solve_theta(max(draws, 2), max(len(names), 1), self.d)
        self.names, self.invent = names, invent
        self.history: list[int] = []
        self.counts: list[int] = []

    def _name(self, k: int) -> str:
        return self.names[k] if k < len(self.names) else self.invent(k - len(self.names))

    def draw(self, rng: random.Random) -> str:
        n, tables = len(self.history), len(self.counts)
        if rng.random() * (self.theta + n) < self.theta + self.d * tables:
            k = tables
            self.counts.append(0)
        else:
            while True:  # pick in proportion to count - d: draw by count, thin
                k = self.history[rng.randrange(n)]
                if rng.random() * self.counts[k] < self.counts[k] - self.d:
                    break
        self.counts[k] += 1
        self.history.append(k)
        return self._name(k)


def _words_urn(pairs: tuple[tuple[str, int], ...]) -> _Urn[str]:
    return _Urn([w for w, _ in pairs], [n for _, n in pairs])


def _headline(rng: random.Random, length: int, words: _Urn[str], odd: _Urn[str] | None) -> str:
    out: list[str] = []
    size = 0
    odd_at = rng.randrange(max(1, length // 8)) if odd else -1
    while size < length:
        w = odd.draw(rng) if odd and len(out) == odd_at else words.draw(rng)
        out.append(w)
        size += len(w) + 1
    text = " ".join(out).rstrip(".,;:")
    return text[:1].upper() + text[1:] + "."


def _invented_name(prefix: str, words: list[str]) -> Callable[[int], str]:
    def invent(i: int) -> str:
        a, b = words[i % len(words)], words[(i // len(words)) % len(words)]
        return f"{a.capitalize()} {b.capitalize()} {prefix}{i}"
    return invent


def _page_path(date: dt.date, slug: str) -> str:
    return f"news/{date.year:04d}/{date.month:02d}/{date.day}/{slug}.md"


def _label(date: dt.date) -> str:
    return f"{date.year:04d}-{date.month:02d}-{date.day}"


@dataclass(slots=True)
class _Event:
    date: dt.date
    headline: str
    slug: str
    contexts: list[str]


def generate_corpus(out: str | os.PathLike[str], events: int, *, seed: int = 0,
                    profile: Profile | None = None) -> SynthSummary:
    """Write a corpus of ``events`` event pages (and their day pages) under ``out/news``.

    Parameters
    ----------
    out : path
        The corpus folder to write (created if needed).  One whose ``news/``
        already holds pages is refused: two corpora would mix.
    events : int
        How many event pages.
    seed : int
        Same seed, same bytes.
    profile : Profile, optional
        The figures to reproduce; default :func:`load_profile`.

    Raises
    ------
    OutputError
        If ``out/news`` already holds pages, ``out`` is a file, or it lies in a corpus's ``news/``.

    Examples
    --------
    >>> import tempfile
    >>> from kg.pipeline import build
    >>> folder = tempfile.mkdtemp()
    >>> generate_corpus(folder, 50, seed=1).events
    50
    >>> g = build(folder)
    >>> g.report.counts["events"], g.report.diagnostics
    (50, ())
    """
    from kg.arguments import whole_number
    from kg.parse.slug import slugify

    events = whole_number(events, "events", 1)
    news = Path(out) / "news"
    within = next((p for p in Path(os.path.abspath(out)).parents  # (a corpus's news/, its pages among these)
                   if p.name == "news" and next(p.rglob("*.md"), None) is not None), None)
    held = f"{out} is a file" if news.parent.exists() and not news.parent.is_dir() else \
        f"{news} already holds pages" if news.is_dir() and next(news.rglob("*.md"), None) is not None else \
        f"{out} is inside a corpus's news/ folder ({within})" if within is not None else None
    if held is not None:
        from kg.errors import OutputError

        raise OutputError(f"{held}: write the corpus into a new folder, or one that holds no pages")
    prof = profile or load_profile()
    rng = random.Random(seed)
    ascii_words = [w for w, _ in prof.words if w.isalpha() and w.islower()] or ["item"]
    words, odd = _words_urn(prof.words), _words_urn(prof.non_ascii_words) if prof.non_ascii_words else None
    contexts = _zipf_vocabulary(prof.context_names, prof.context_heaps, prof.context_zipf,
                                max(1.0, events / prof.events), _invented_name("Topic ", ascii_words))
    publishers = _Names(prof.publisher_names, sum(prof.publisher_popularity), prof.publisher_heaps,
                        _invented_name("News ", ascii_words))
    n_sources, n_images = _hist_urn(prof.sources_per_event), _hist_urn(prof.images_per_event)
    n_related, n_links = _hist_urn(prof.related_per_event), _hist_urn(prof.contexts_per_link)
    n_own = _hist_urn(prof.own_contexts_per_event)
    lengths = list(prof.headline_lengths)

    # Pass 1: days, headlines, slugs (with the -2, -3 rule), context sets.
    evs: list[_Event] = []
    day = _START
    while len(evs) < events:
        size = min(rng.choice(prof.day_sizes), events - len(evs))
        used: Counter[str] = Counter()
        for _ in range(size):
            headline = _headline(rng, rng.choice(lengths), words,
                                 odd if rng.random() < prof.non_ascii_share else None)
            base = slugify(headline) or "event"
            used[base] += 1
            slug = base if used[base] == 1 else f"{base}-{used[base]}"
            evs.append(_Event(day, headline, slug, []))
        day += dt.timedelta(days=1)
    # Each line's number of contexts first, so that a page holds at least as
    # many contexts as its widest line names.
    link_sizes = [[n_links.draw(rng) for _ in range(n_related.draw(rng))] for _ in evs]
    holders: dict[str, list[int]] = {}
    for i, ev in enumerate(evs):
        if link_sizes[i]:
            want = max(n_own.draw(rng), max(link_sizes[i]))
            while len(ev.contexts) < want:
                name = contexts.draw(rng)
                if name not in ev.contexts:
                    ev.contexts.append(name)
            for name in ev.contexts:
                holders.setdefault(name, []).append(i)

    # Pass 2: write pages; related lines point at events holding their context.
    root = Path(out)
    written = nbytes = 0
    pool: list[tuple[str, str]] = []  # recent (publisher, url) pairs, for reuse
    url_counter = 0
    by_day: dict[dt.date, list[int]] = {}
    for i, ev in enumerate(evs):
        by_day.setdefault(ev.date, []).append(i)
        sources: list[tuple[str, str]] = []
        for _ in range(n_sources.draw(rng)):
            if pool and rng.random() < prof.url_reuse_share:
                pair = rng.choice(pool)
            else:
                url_counter += 1
                pub = publishers.draw(rng)
                host = re.sub(r"[^a-z0-9]+", "", pub.lower())[:40] or "news"
                pair = (pub, f"https://www.{host}.com/{ev.date.year}/{ev.date.month:02d}/"
                             f"{ev.slug[:60]}-{url_counter}.html")
                pool.append(pair)
                if len(pool) > 500:
                    pool.pop(0)
            if pair not in sources:
                sources.append(pair)
        lines = [f"1. [{pub}]({url})" for pub, url in sources]
        for k in range(n_images.draw(rng)):
            lines.append(f"1. [Cover Image](https://img.example.org/{i}/{k}.jpg)")
        related = _related_lines(rng, i, evs, link_sizes[i], holders)
        text = (f"### [{_label(ev.date)}](/{_page_path(ev.date, 'index')})\n\n"
                f"# {ev.headline} \n\n\n\n\n### Source:\n\n"
                + "".join(line + "\n" for line in lines)
                + "\n### Related:\n\n"
                + "".join(line + "\n" for line in related))
        nbytes += _write(root / _page_path(ev.date, ev.slug), text)
        written += 1
    for date, members in by_day.items():
        text = f"# {_label(date)}\n\n" + "".join(
            f"{n}. [{evs[i].headline} ](/{_page_path(date, evs[i].slug)})\n"
            for n, i in enumerate(members, start=1))
        nbytes += _write(root / _page_path(date, "index"), text)
        written += 1
    return SynthSummary(len(evs), len(by_day), written, nbytes)


def _related_lines(rng: random.Random, i: int, evs: list[_Event], sizes: list[int],
                   holders: dict[str, list[int]]) -> list[str]:
    ev = evs[i]
    chosen: dict[int, list[str]] = {}
    for k in sizes[: len(evs) - 1]:
        names = rng.sample(ev.contexts, k)
        partners = holders.get(names[0], ())
        for attempt in range(8):
            # Prefer an event that holds the context; a rare context has no
            # partner left, then any event will do (it gains the context).
            j = rng.choice(partners) if attempt < 4 and len(partners) > 1 else rng.randrange(len(evs))
            if j != i and j not in chosen:
                chosen[j] = names
                break
    # Newest first, as the site lists them.
    order = sorted(chosen, key=lambda j: (evs[j].date, j), reverse=True)
    return [f"{rank}. [{evs[j].headline} ](/{_page_path(evs[j].date, evs[j].slug)}) "
            f"_Context: {', '.join(chosen[j])}_"
            for rank, j in enumerate(order, start=1)]


def _write(path: Path, text: str) -> int:
    data = text.encode("utf-8")
    try:
        path.write_bytes(data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return len(data)
