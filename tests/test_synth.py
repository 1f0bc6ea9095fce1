"""The synthetic corpus generator: deterministic, valid, shaped like the sample."""

from __future__ import annotations

import hashlib
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

import kg
from kg.parse.slug import slugify
from kg.pipeline import build
from kg.synth import generate_corpus, load_profile, measure_profile

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "wcep-2015-09"


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.md")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus the size of the sample, to compare figures with it."""
    root = tmp_path_factory.mktemp("synth") / "corpus"
    generate_corpus(root, load_profile().events, seed=7)
    return root


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        generate_corpus(tmp_path / name, 120, seed=seed)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert tree_digest(tmp_path / "a") != tree_digest(tmp_path / "c")


def test_checked_in_profile_is_the_sample_measured() -> None:
    assert measure_profile(SAMPLE) == load_profile()


def test_synthetic_corpus_builds_without_diagnostics(synthetic: Path) -> None:
    graph = build(synthetic, jobs=1)
    counts = kg.counts(graph)
    assert graph.report.diagnostics == ()
    assert counts["events"] == load_profile().events
    assert counts["external_events"] == 0 and counts["unresolved_links"] == 0
    assert counts["day_entries"] == counts["events"]
    # Both ends of each Related line hold the contexts it names.
    for link in graph.related:
        for end in (link.source, link.target):
            assert set(link.contexts) <= set(graph.event_contexts[end])


def test_slugs_follow_the_format(synthetic: Path) -> None:
    graph = build(synthetic, jobs=1)
    for event in graph.events_in_corpus:
        base = slugify(event.headline)
        assert re.fullmatch(re.escape(base) + r"(-[2-9]|-[1-9][0-9]+)?", event.key.slug)


def test_duplicate_headlines_of_a_day_get_numbered_slugs(tmp_path: Path) -> None:
    profile = load_profile()
    # One word, one length: every headline of a day is the same.
    narrow = type(profile)(**{**{f: getattr(profile, f) for f in profile.__dataclass_fields__},
                              "words": (("quake", 1),), "headline_lengths": (10,), "non_ascii_share": 0.0})
    generate_corpus(tmp_path, 30, seed=1, profile=narrow)
    slugs = sorted(p.stem for p in tmp_path.rglob("*.md") if p.name != "index.md")
    assert "quake-quake" in slugs and "quake-quake-2" in slugs and "quake-quake-3" in slugs
    assert build(tmp_path, jobs=1).report.diagnostics == ()


def _mean(hist: dict[int, int]) -> float:
    return sum(k * n for k, n in hist.items()) / sum(hist.values())


def test_distributions_are_close_to_the_sample(synthetic: Path) -> None:
    real, synth = load_profile(), measure_profile(synthetic)
    for name in ("sources_per_event", "related_per_event", "contexts_per_link", "own_contexts_per_event"):
        a, b = _mean(getattr(real, name)), _mean(getattr(synth, name))
        assert abs(a - b) <= 0.15 * a, (name, a, b)
    for name in ("headline_lengths", "day_sizes"):
        a, b = statistics.mean(getattr(real, name)), statistics.mean(getattr(synth, name))
        assert abs(a - b) <= 0.15 * a, (name, a, b)
    assert abs(real.non_ascii_share - synth.non_ascii_share) <= 0.06
    # The long tails: popularity exponents and vocabulary growth.
    for name in ("context_zipf", "publisher_zipf", "context_heaps", "publisher_heaps"):
        a, b = getattr(real, name), getattr(synth, name)
        assert abs(a - b) <= 0.2, (name, a, b)
    singles = [sum(1 for c in p.publisher_popularity if c == 1) / len(p.publisher_popularity)
               for p in (real, synth)]
    assert abs(singles[0] - singles[1]) <= 0.15
    assert abs(len(synth.publisher_names) - len(real.publisher_names)) <= 0.25 * len(real.publisher_names)


def test_cli_synth(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "kg.cli", "synth", str(tmp_path / "c"), "--events", "40",
                           "--seed", "3"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len([p for p in (tmp_path / "c").rglob("*.md") if p.name != "index.md"]) == 40


def test_a_folder_that_holds_pages_is_refused(tmp_path: Path) -> None:
    """Two corpora in one folder would mix: the second run says so and writes nothing."""
    generate_corpus(tmp_path / "c", 20, seed=1)
    before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "c").rglob("*"))
    again = subprocess.run([sys.executable, "-m", "kg.cli", "synth", str(tmp_path / "c"), "--events", "20",
                            "--seed", "2"], capture_output=True, text=True)
    assert again.returncode == 2 and again.stderr.count("\n") == 1
    assert "already holds pages" in again.stderr
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "c").rglob("*")) == before
    generate_corpus(tmp_path / "empty", 5, seed=1)  # a new folder, or one without pages, is fine
    (tmp_path / "other" / "news").mkdir(parents=True)
    assert generate_corpus(tmp_path / "other", 5, seed=1).events == 5
    # A file where the folder would be (a graph file, say) is named, not a page's long path under it.
    (tmp_path / "graph.ttl").write_text("")
    onto = subprocess.run([sys.executable, "-m", "kg.cli", "synth", str(tmp_path / "graph.ttl"), "--events", "5"],
                          capture_output=True, text=True)
    assert onto.returncode == 2
    assert onto.stderr == (f"kg: error: {tmp_path / 'graph.ttl'} is a file: write the corpus into a new folder, or "
                           "one that holds no pages\n")
    # Nor inside another corpus's news/: its pages would lie among that corpus's, where it reads none.
    inside = subprocess.run([sys.executable, "-m", "kg.cli", "synth", str(tmp_path / "c" / "news" / "2000"),
                             "--events", "3"], capture_output=True, text=True)
    assert inside.returncode == 2 and inside.stderr == (
        f"kg: error: {tmp_path / 'c' / 'news' / '2000'} is inside a corpus's news/ folder ({tmp_path / 'c' / 'news'}): "
        "write the corpus into a new folder, or one that holds no pages\n")
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "c").rglob("*")) == before
    # A folder that is only named news, holding no pages, is no corpus's.
    (tmp_path / "named" / "news").mkdir(parents=True)
    assert generate_corpus(tmp_path / "named" / "news" / "mine", 3, seed=1).events == 3
