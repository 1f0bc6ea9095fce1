"""Data that must not act: a tampered cache runs no code, refused characters reach no output, kg.load fails cleanly."""

from __future__ import annotations

import gzip
import os
import pickle
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg
from kg.errors import LoadError
from kg.incremental.cache import CACHE_FILE
from kg.incremental.datacodec import CodecError, decode_facts
from kg.parse.blocks import MAX_SAME_PER_LINE
from kg.pipeline import build_files
from tests.rdfcheck import pyoxigraph_count, rapper_count
from tests.robustdata import event_page

SAMPLE = Path("examples/wcep-2015-09")
EDITED = "news/2015/09/1/a-law-affecting-online-personal-computer-data-storage-comes-into-force-in-russia.md"


# ---------------------------------------------------------------- the cache

class _Payload:
    """Unpickling this creates ``marker``: proof that code ran."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.mkdir, (self.marker,))


def _tamper(db_file: Path, marker: Path) -> int:
    """Put a code-running pickle into every stored value of every table; return how many columns."""
    payload = pickle.dumps(_Payload(os.fspath(marker)))
    assert pickle.loads(payload) is None and marker.is_dir()  # it does run code...
    marker.rmdir()  # ...when unpickled
    columns = 0
    with sqlite3.connect(db_file) as db:
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            for _, name, kind, *_ in db.execute(f"PRAGMA table_info({table})").fetchall():
                if kind == "BLOB":
                    db.execute(f"UPDATE {table} SET {name} = ?", (payload,))
                    columns += 1
    return columns


@pytest.mark.parametrize("edit", [False, True])
def test_a_tampered_cache_runs_no_code_and_the_result_stays_exact(tmp_path: Path, edit: bool) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    out, cache, marker = tmp_path / "out", tmp_path / "cache", tmp_path / "code-ran"
    formats = ("turtle", "report")
    build_files(corpus, out, formats, cache_dir=cache, jobs=1)
    assert build_files(corpus, out, formats, cache_dir=cache, jobs=1).incremental  # the cache is in use
    assert _tamper(cache / CACHE_FILE, marker) >= 6  # records, diagnostics, the output index
    if edit:
        page = corpus / EDITED
        page.write_text(page.read_text(encoding="utf-8").replace("comes into force", "takes effect"),
                        encoding="utf-8")
    build_files(corpus, out, formats, cache_dir=cache, jobs=1)
    assert not marker.exists()
    clean = tmp_path / "clean"
    build_files(corpus, clean, formats, jobs=1)
    for name in ("graph.ttl", "report.json"):
        assert (out / name).read_bytes() == (clean / name).read_bytes()
    # ...and the cache, made again, serves the next build.
    assert build_files(corpus, out, formats, cache_dir=cache, jobs=1).incremental
    assert not marker.exists()


def test_the_codec_refuses_what_it_did_not_write() -> None:
    for data in (pickle.dumps(_Payload("/nonexistent/x")), b"", b"{}", b'["p", [], ["e"], null]',
                 b'["p", [["p", 1, "no-such-code", "m", "error"]], null, null]', b'["p", 5, null, null]',
                 b'["p", [], null, ["2015-09-01", "p", null, [["t", "sideways", "s", "p", 1, 1, 0, "h", [], "w"]]]]'):
        with pytest.raises(CodecError):
            decode_facts(data)


# ---------------------------------------------------------------- refused characters

# One of each class that XML 1.0 or N-Triples consumers refuse, and the invisible ones.
REFUSED = {
    "C0 control": "\x01\x0b\x1f",
    "DEL and C1": "\x7f\x85\x9f",
    "noncharacters": "\ufffe\uffff\ufdd0\ufdef\U0001fffe\U0010ffff",
    "line separators": "\u2028\u2029",
    "bidi overrides": "\u202e\u2066",
}
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\U000e0041\u00ad"
_IN_OUTPUT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U0001fffe"
                        "\U0010ffff\u2028\u2029\u202e\u2066\ud800-\udfff]")


def _refused_corpus(root: Path) -> None:
    day = root / "news/2015/09/1"
    day.mkdir(parents=True)
    odd = "".join(REFUSED.values())
    (day / "base.md").write_text(event_page(f"Base {odd} headline", "base", publisher=f"Reuters{odd}",
                                            contexts=f"Iran, Ir\u200ban, \ufeffIran, Syria{odd}"),
                                 encoding="utf-8")
    (day / "other.md").write_text(event_page(f"Other {INVISIBLE}", "other", publisher=INVISIBLE,
                                             contexts=f"{INVISIBLE}, Iraq"), encoding="utf-8")
    (day / "blank.md").write_text(event_page(INVISIBLE, "blank"), encoding="utf-8")
    (day / "links.md").write_text(event_page("Links", "links") + "2. [Odd \ufffe](/news/2015/09/1/odd\ufffe.md)"
                                  " _Context: Iran_\n", encoding="utf-8")
    (day / "name\uffff.md").write_text(event_page("Odd name", "odd"), encoding="utf-8")
    # RFC 3987 forbids bidi marks in IRIs: a URL holding them is percent-encoded, as a browser would.
    (day / "bidi-url.md").write_text(event_page("Bidi URL", "bidi-url").replace(
        "https://news.example/bidi-url", "https://news.example/evil\u202egpj.exe\u2066\u200f"), encoding="utf-8")
    long_a, long_b = "L" * 499 + "a" + "x" * 100, "L" * 499 + "b" + "x" * 100
    (day / "long.md").write_text(event_page("Long names", "long", contexts=f"{long_a}, {long_b}"),
                                 encoding="utf-8")


@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, kg.KnowledgeGraph]:
    base = tmp_path_factory.mktemp("refused")
    _refused_corpus(base / "corpus")
    result = build_files(base / "corpus", base / "out", ("turtle", "ntriples", "graphml", "gexf", "report"),
                         jobs=1)
    assert result.graph is not None
    return base / "out", result.graph


def test_refused_characters_reach_no_output(refused) -> None:
    out, _ = refused
    for name in ("graph.ttl", "graph.nt", "graph.graphml", "graph.gexf", "report.json"):
        text = (out / name).read_text(encoding="utf-8")
        found = _IN_OUTPUT.findall(text)
        assert not found, (name, found[:5])
    triples = pyoxigraph_count(out / "graph.ttl", ox.RdfFormat.TURTLE)
    assert triples == pyoxigraph_count(out / "graph.nt", ox.RdfFormat.N_TRIPLES)
    assert rapper_count(out / "graph.ttl", "turtle") == triples
    assert rapper_count(out / "graph.nt", "ntriples") == triples
    ET.parse(out / "graph.graphml")  # well-formed XML 1.0
    assert "https://news.example/evil%E2%80%AEgpj.exe%E2%81%A6%E2%80%8F" in (out / "graph.nt").read_text("utf-8")


def test_invisible_characters_do_not_split_a_name(refused) -> None:
    _, graph = refused
    names = set(graph.contexts)
    assert {"Iran", "Syria", "Iraq"} <= names
    assert not any(re.search(INVISIBLE[0] + "|\ufeff|\u200c|\u2060", n) for n in names)
    long_names = [n for n in names if n.startswith("LLL")]
    assert len(long_names) == 2 and all(len(n) == 500 for n in long_names)  # cut, still two
    codes = [(d.path.rsplit("/", 1)[1], d.code) for d in graph.report.diagnostics]
    assert codes.count(("base.md", "invisible-characters")) == 2  # "Ir\u200ban", "\ufeffIran"
    assert ("other.md", "empty-link-text") in codes  # a publisher of invisible characters only
    assert ("other.md", "empty-context") in codes  # a context of invisible characters only
    assert ("blank.md", "blank-text") in codes and ("blank.md", "missing-headline") in codes
    assert ("long.md", "long-text") in codes


# ---------------------------------------------------------------- kg.load

def _raises_load_error(path: Path) -> LoadError:
    with pytest.raises(LoadError) as caught:
        kg.load(path)
    return caught.value


def test_load_errors_are_load_errors_with_their_cause(tmp_path: Path, sample_turtle: Path) -> None:
    good = gzip.compress(sample_turtle.read_bytes())
    cut = tmp_path / "cut.ttl.gz"
    cut.write_bytes(good[: len(good) // 2])
    assert isinstance(_raises_load_error(cut).__cause__, EOFError)
    broken = tmp_path / "broken.ttl.gz"
    broken.write_bytes(good[:100] + bytes(200) + good[300:])
    assert _raises_load_error(broken).__cause__ is not None
    not_gzip = tmp_path / "plain.ttl.gz"
    not_gzip.write_bytes(b"@prefix a: <http://a/> .\n")
    assert _raises_load_error(not_gzip).__cause__ is not None
    latin1 = tmp_path / "latin1.nt"
    latin1.write_bytes(b'<http://a/b> <http://a/c> "caf\xe9" .\n')
    _raises_load_error(latin1)
    _raises_load_error(tmp_path / "missing.ttl")
    folder = tmp_path / "folder.ttl"
    folder.mkdir()
    _raises_load_error(folder)


def test_load_bounds_what_it_decompresses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.query.inputs

    bomb = tmp_path / "bomb.ttl.gz"
    with gzip.open(bomb, "wb") as fh:
        for _ in range(64):
            fh.write(b"# " + b"x" * (1 << 20) + b"\n")  # 64 MiB of comments, about 64 KiB compressed
    assert bomb.stat().st_size < (1 << 20)
    monkeypatch.setattr(kg.query.inputs, "DECOMPRESS_SLACK", 1 << 20)
    assert "expands to more than" in str(_raises_load_error(bomb))
    monkeypatch.setattr(kg.query.inputs, "DECOMPRESS_SLACK", 1 << 30)
    assert "no triple in" in str(_raises_load_error(bomb))  # read whole: still not an empty graph


def test_load_of_a_fifo_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "graph.ttl"
    os.mkfifo(fifo)
    done: list[BaseException] = []
    worker = threading.Thread(target=lambda: done.append(_raises_load_error(fifo)), daemon=True)
    worker.start()
    worker.join(30)
    assert done and "not a regular file" in str(done[0])


def test_kg_query_on_a_broken_file_is_exit_2_in_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00garbage")
    done = subprocess.run([str(Path(sys.executable).parent / "kg"), "query", str(broken), "ASK {}"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


# Default-ignorable characters the first list missed: each made a second node that looked the same.
MORE_INVISIBLE = ("\u200e", "\u200f", "\u061c", "\u3164", "\uffa0", "\u115f", "\u17b4", "\u206a", "\ufe0f",
                  "\ufff9", "\U0001d173", "\U000e0100")
FLAGS = ("\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # England
         "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f")  # Scotland
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
BLACK_CAT = "\U0001f408\u200d\u2b1b"  # (its second part lies outside the pictographs' main blocks)
EYE = "\U0001f441\u200d\U0001f5e8"


def test_every_default_ignorable_character_is_dropped_from_names_but_where_it_makes_an_emoji(tmp_path: Path) -> None:
    day = tmp_path / "news/2015/09/1"
    day.mkdir(parents=True)
    spelt = ", ".join(f"Ir{c}an" for c in MORE_INVISIBLE)
    emoji = ", ".join((*FLAGS, FAMILY, BLACK_CAT, EYE))
    (day / "base.md").write_text(event_page("Base", "base", publisher="Reuters\u200f",
                                            contexts=f"Iran, {spelt}, {emoji}"),
                                 encoding="utf-8")
    (day / "other.md").write_text(event_page("Other", "other", publisher="Reuters"), encoding="utf-8")
    graph = kg.build(tmp_path)
    assert set(graph.contexts) == {"Iran", *FLAGS, FAMILY, BLACK_CAT, EYE}
    assert {p for a in graph.articles.values() for p in a.publishers} == {"Reuters"}
    codes = [(d.path.rsplit("/", 1)[1], d.code) for d in graph.report.diagnostics]
    # One line's first ten, one that counts the rest, and the publisher's.
    assert codes.count(("base.md", "invisible-characters")) == MAX_SAME_PER_LINE + 1 + 1
    assert any(d.message == f"{len(MORE_INVISIBLE) - MAX_SAME_PER_LINE} more of the line's invisible-characters "
               f"diagnostics not listed ({len(MORE_INVISIBLE)} in all)" for d in graph.report.diagnostics)


@pytest.mark.skipif(sys.platform == "darwin", reason="a file name that is not UTF-8 needs a file system that takes one")
def test_a_link_s_escapes_of_bytes_that_are_not_utf8_name_the_file_as_the_walk_shows_it(tmp_path: Path) -> None:
    """Read as U+FFFD, "%FF.md" reached a page named "\ufffd.md" (another page), and "%ED%A0%80.md" and
    "%ED%A0%81.md" were one external event. Such escapes now name the file whose name has those bytes, which
    the walk shows as %XX; two such names stay two events."""
    day = tmp_path / "news" / "2015" / "09" / "1"
    day.mkdir(parents=True)
    head = ("### [2015-09-1](/news/2015/09/1/index.md)\n\n# {}\n\n### Source:\n\n1. [P](http://a.org/)\n\n"
            "### Related:\n\n")
    related = "".join(f"{n}. [T{n}](/news/2015/09/1/{target}.md) _Context: X_\n"
                      for n, target in enumerate(("%FF", "%ED%A0%80", "%ED%A0%81"), 1))
    (day / "a.md").write_text(head.format("A") + related, "utf-8")
    (day / "\ufffd.md").write_text(head.format("Replacement"), "utf-8")
    with open(os.path.join(os.fsencode(day), b"\xff.md"), "wb") as page:
        page.write(head.format("Byte").encode())
    index = "".join(f"1. [{h}](/news/2015/09/1/{p}.md)\n" for h, p in (("A", "a"), ("Replacement", "%EF%BF%BD")))
    (day / "index.md").write_text("# 2015-09-1\n\n" + index, "utf-8")
    graph = kg.build(tmp_path)
    byte_page = next(e for e in graph.event_records.values() if e.headline == "Byte")
    assert byte_page.page == "news/2015/09/1/%FF.md"
    source = next(k for k, e in graph.event_records.items() if e.headline == "A")
    targets = [r.target for r in graph.related if r.source == source]
    assert len(set(targets)) == 3 and targets[0] == byte_page.key
    assert [graph.event_records[t].in_corpus for t in targets] == [True, False, False]
    assert [t.slug for t in targets[1:]] == ["%ED%A0%80", "%ED%A0%81"]
