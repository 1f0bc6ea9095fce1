"""Fuzzing: generated and mutated pages through the whole pipeline.

Each example writes a small corpus, builds it, writes Turtle and N-Triples,
parses them back with rdflib and pyoxigraph, and checks the accounting.  Cases
that once failed are kept under tests/data/fuzz/ and replayed first.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg
from kg.accounting import account

FUZZ = Path(__file__).parent / "data" / "fuzz"

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_NASTY = st.sampled_from([
    "[", "]", "(", ")", "<", ">", "*", "_", "`", "\\", "&amp;", "&#0;", "\x00", "\r", "\t", "\u202e",
    "e\u0301", "javascript:", "%2e%2e", "../", "{{x}}", "<script>", "\ufeff", "#", "1.", "- ", "\n", "  ",
    "_Context:", ", ", "http://", "/news/2015/09/1/", ".md",
])
_FRAGMENT = st.one_of(_TEXT, _NASTY)
_WORDS = st.lists(_FRAGMENT, max_size=6).map("".join)
_URL = st.one_of(
    st.sampled_from(["http://example.org/a", "https://b.example/x?y=1#z", "javascript:alert(1)",
                     " HTTP://Example.org/sp ace", "data:,x", "http:///x", "file:///etc/passwd"]),
    _WORDS.map(lambda w: "http://example.org/" + w))
_TARGET = st.one_of(
    st.sampled_from(["/news/2015/09/1/a.md", "/news/2015/09/2/b.md", "/news/2015/09/1/index.md",
                     "../2/b.md", "/news/%2e%2e/x.md", "/etc/passwd", "/news/2015/02/30/x.md", "/news/2015/09/1/",
                     "http://[bad/", "//[::1", "http://a\uff03b/x"]),
    _WORDS.map(lambda w: f"/news/2015/09/1/{w}.md"))


@st.composite
def pages(draw) -> str:
    """A page in the format, then mutated: lines dropped, doubled, spliced."""
    lines = [f"### [2015-09-{draw(st.sampled_from(['1', '2', '30', 'x']))}](/news/2015/09/1/index.md)", "",
             f"# {draw(_WORDS)} ", "", "### Source:", ""]
    for _ in range(draw(st.integers(0, 4))):
        lines.append(f"1. [{draw(_WORDS)}]({draw(_URL)})")
    lines += ["", "### Related:", ""]
    for rank in range(1, draw(st.integers(0, 5)) + 1):
        contexts = ", ".join(draw(st.lists(_WORDS, max_size=4)))
        lines.append(f"{rank}. [{draw(_WORDS)} ]({draw(_TARGET)}) _Context: {contexts}_")
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(lines)))
        action = draw(st.sampled_from(["drop", "double", "insert", "indent"]))
        if action == "drop" and lines:
            lines.pop(min(i, len(lines) - 1))
        elif action == "double" and lines:
            lines.insert(i, lines[min(i, len(lines) - 1)])
        elif action == "insert":
            lines.insert(i, draw(_WORDS))
        elif lines:
            j = min(i, len(lines) - 1)
            lines[j] = draw(st.sampled_from(["   ", "    ", "> ", "\t"])) + lines[j]
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))


def _check_corpus(root: Path) -> None:
    graph = kg.build(root)
    with tempfile.TemporaryDirectory() as out:
        ttl, nt = Path(out) / "g.ttl", Path(out) / "g.nt"
        kg.write_turtle(graph, ttl)
        kg.write_ntriples(graph, nt)
        n = len(rdflib.Graph().parse(ttl, format="turtle"))
        assert n == len(rdflib.Graph().parse(nt, format="nt"))
        assert n == len(list(ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE)))
    result = account(root, graph)
    assert result.ok, result.unexplained
    for d in graph.report.diagnostics:
        assert d.path and d.line >= 0


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)


# (150 at least: more where the profile asks for more, --hypothesis-profile=explore)
@settings(max_examples=max(150, settings.default.max_examples), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(a=pages(), b=pages(), raw=st.binary(max_size=200))
def test_generated_pages_never_break_the_pipeline(a, b, raw):
    root = Path(tempfile.mkdtemp())
    try:
        _write(root, {"news/2015/09/1/a.md": a, "news/2015/09/2/b.md": b,
                      "news/2015/09/1/raw.md": raw, "news/2015/09/1/index.md": "# 2015-09-1\n\n1. [A](a.md)\n"})
        _check_corpus(root)
    finally:
        shutil.rmtree(root)


@pytest.mark.parametrize("case", sorted(p.name for p in FUZZ.iterdir() if p.is_dir()))
def test_regression_fixtures(case):
    _check_corpus(FUZZ / case)
