"""A hostile file system, made at test time: the build reports each problem once and never hangs.

FIFOs, sockets, device nodes (as root), symbolic link loops, a ``news/``
that is a link out of the corpus, names that are not UTF-8, NFC/NFD twins and
1,000 nested folders.  The build must end (a timeout fails the test), exit 1
without a traceback, write outputs that rapper, pyoxigraph and an XML parser
accept, and give exactly one diagnostic per problem.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.incremental.cache import file_digest
from kg.read.files import iter_page_files, read_page
from tests.rdfcheck import pyoxigraph_count, rapper_count
from tests.robustdata import event_page

KG = [str(Path(sys.executable).parent / "kg")]
DAY = "news/2015/09/1"
DEPTH = 1_050


def _page(headline: str, slug: str) -> bytes:
    return event_page(headline, slug).encode()


def _hostile_corpus(root: Path) -> dict[str, str]:
    """Make the corpus; return the diagnostics it must give, ``{path: code}``."""
    day = root / DAY
    day.mkdir(parents=True)
    (day / "base.md").write_bytes(_page("Base", "base"))
    (day / "other.md").write_bytes(_page("Other", "other"))
    # The day page lists the pages a link can name; the one whose name is not UTF-8 it cannot.
    (day / "index.md").write_text("# 2015-09-1\n\n1. [Base](/news/2015/09/1/base.md)\n"
                                  "1. [Other](/news/2015/09/1/other.md)\n"
                                  "1. [Twin](/news/2015/09/1/café-twin.md)\n", encoding="utf-8")
    expected: dict[str, str] = {}
    os.mkfifo(day / "fifo.md")
    expected[f"{DAY}/fifo.md"] = "not-regular-file"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(os.fspath(day / "socket.md"))
    finally:
        sock.close()
    expected[f"{DAY}/socket.md"] = "not-regular-file"
    if os.geteuid() == 0:
        os.mknod(day / "device.md", stat.S_IFCHR | 0o600, os.makedev(1, 3))
        expected[f"{DAY}/device.md"] = "not-regular-file"
    (day / "loop-a.md").symlink_to("loop-b.md")
    (day / "loop-b.md").symlink_to("loop-a.md")
    expected[f"{DAY}/loop-a.md"] = expected[f"{DAY}/loop-b.md"] = "symlink-loop"
    (day / "up").symlink_to("../..", target_is_directory=True)
    expected[f"{DAY}/up"] = "symlink-loop"
    (day / "dangling.md").symlink_to("nowhere.md")
    expected[f"{DAY}/dangling.md"] = "symlink-dangling"
    # A page whose name is not UTF-8 (Latin-1 "café"): read, under a safe name.
    with open(os.path.join(os.fsencode(day), b"caf\xe9-latin1.md"), "wb") as fh:
        fh.write(_page("A page with a Latin-1 name", "latin1"))
    expected[f"{DAY}/caf%E9-latin1.md"] = "non-utf8-name unlisted-event"
    # A folder whose name is not UTF-8: said once; its page is not on a day path.
    odd = os.path.join(os.fsencode(root / "news/2015/09"), b"\xff\xfe")
    os.mkdir(odd)
    with open(os.path.join(odd, b"x.md"), "wb") as fh:
        fh.write(_page("Lost", "x"))
    expected["news/2015/09/%FF%FE"] = "non-utf8-name"
    expected["news/2015/09/%FF%FE/x.md"] = "unexpected-path"
    os.mkfifo(os.path.join(os.fsencode(day), b"fifo-\xe9.md"))  # two problems: its name and its kind
    expected[f"{DAY}/fifo-%E9.md"] = "non-utf8-name not-regular-file"
    # Links to pages kept outside news/: the link's own name is the one said, not the page's it leads to.
    store = os.fsencode(root / "store")
    os.mkdir(store)
    for name, headline in ((b"r\xffal.md", "Kept under a Latin-1 name"), (b"good.md", "Kept under a good name")):
        with open(os.path.join(store, name), "wb") as fh:
            fh.write(_page(headline, name.decode("latin-1")[:-3]))
    os.symlink(os.path.join(store, b"r\xffal.md"), os.path.join(os.fsencode(day), b"hello.md"))
    os.symlink(os.path.join(store, b"good.md"), os.path.join(os.fsencode(day), b"o\xfeher.md"))
    expected[f"{DAY}/hello.md"] = "unlisted-event"
    expected[f"{DAY}/o%FEher.md"] = "non-utf8-name unlisted-event"
    # NFC and NFD spellings of one name: one page, one diagnostic.
    nfc = unicodedata.normalize("NFC", "café-twin.md")
    nfd = unicodedata.normalize("NFD", "café-twin.md")
    (day / nfc).write_bytes(_page("Twin", "twin"))
    (day / nfd).write_bytes(_page("Twin", "twin"))
    expected[f"{DAY}/{ascii(nfd)[1:-1]}"] = "duplicate-name"
    # 1,050 nested folders: walked without recursion.
    deep = os.fsencode(root / "news")
    for _ in range(DEPTH):  # os.makedirs itself recurses
        deep = os.path.join(deep, b"d")
        os.mkdir(deep)
    with open(os.path.join(deep, b"deep.md"), "wb") as fh:
        fh.write(_page("Deep", "deep"))
    expected["news/" + "d/" * DEPTH + "deep.md"] = "unexpected-path"
    return expected


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory,
            ) -> Iterator[tuple[Path, dict[str, str], subprocess.CompletedProcess[str]]]:
    base = tmp_path_factory.mktemp("hostile-fs")
    root = base / "corpus"
    expected = _hostile_corpus(root)
    proc = subprocess.run([*KG, "build", str(root), "-o", str(base / "out"), "-j", "2",
                           "-f", "turtle,ntriples,graphml,report"],
                          capture_output=True, text=True, timeout=300)
    yield base, expected, proc
    _remove_deep(os.fsencode(root / "news" / "d"))


def _remove_deep(top: bytes) -> None:
    """Remove the nested folders bottom up (shutil.rmtree, and so pytest's clean-up, recurses)."""
    chain = [top]
    while True:
        names = os.listdir(chain[-1])
        folders = [n for n in names if os.path.isdir(os.path.join(chain[-1], n))]
        for name in names:
            if name not in folders:
                os.unlink(os.path.join(chain[-1], name))
        if not folders:
            break
        chain.append(os.path.join(chain[-1], folders[0]))
    for folder in reversed(chain):
        os.rmdir(folder)


def test_hostile_file_system_exits_1_without_traceback(hostile) -> None:
    _, _, proc = hostile
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    # Every diagnostic line shows a safe path: no surrogate, no raw odd byte.
    proc.stderr.encode("utf-8")


def test_one_diagnostic_per_problem(hostile) -> None:
    base, expected, _ = hostile
    report = json.loads((base / "out" / "report.json").read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for d in report["diagnostics"]:
        found.setdefault(d["path"], []).append(d["code"])
    assert found == {path: codes.split() for path, codes in expected.items()}


def test_hostile_outputs_are_valid(hostile) -> None:
    base, _, _ = hostile
    out = base / "out"
    triples = pyoxigraph_count(out / "graph.ttl", ox.RdfFormat.TURTLE)
    assert rapper_count(out / "graph.ttl", "turtle") == triples
    assert rapper_count(out / "graph.nt", "ntriples") == triples
    assert pyoxigraph_count(out / "graph.nt", ox.RdfFormat.N_TRIPLES) == triples
    ET.parse(out / "graph.graphml")
    text = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "A page with a Latin-1 name" in text and 'kg:path "news/2015/09/1/caf%E9-latin1.md"' in text
    assert text.count('schema:name "Twin"') == 1  # the twins are one event
    assert sorted(p.name for p in out.iterdir()) == [".kg", ".kg-lock", "graph.graphml", "graph.nt", "graph.ttl",
                                                      "report.json"]


def test_news_folder_linked_out_of_the_corpus_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / DAY).mkdir(parents=True)
    (outside / DAY / "secret.md").write_bytes(_page("Secret headline", "secret"))
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "news").symlink_to(outside / "news", target_is_directory=True)
    seen = list(iter_page_files(root.resolve()))
    assert [(rel, real, p.code if p else None) for rel, real, p in seen] == [("news", None, "symlink-skipped")]
    proc = subprocess.run([*KG, "build", str(root), "-o", str(tmp_path / "out"), "-f", "turtle,report"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "symlink-skipped" in proc.stderr
    assert "Secret" not in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")


@pytest.mark.parametrize("link", ["1/aa-link.md", "1/zzz-link.md", "0", "2"])
def test_a_link_to_a_page_of_the_corpus_never_stands_for_it(link: str, tmp_path: Path) -> None:
    """A link beside a page, or to its folder, sorted before it or after: the graph of the corpus
    without the link, and one diagnostic on the link (it used to be the page kept when sorted first)."""
    import kg

    root = tmp_path / "corpus"
    day = root / DAY
    day.mkdir(parents=True)
    (day / "base.md").write_bytes(_page("Base", "base"))
    (day / "zz-real.md").write_bytes(_page("Real", "zz-real"))
    (day / "index.md").write_text("# 2015-09-1\n\n1. [Base](/news/2015/09/1/base.md)\n"
                                  "1. [Real](/news/2015/09/1/zz-real.md)\n", encoding="utf-8")
    alone = kg.build(root)
    place = root / "news/2015/09" / link
    place.symlink_to("zz-real.md" if link.endswith(".md") else "1", target_is_directory=not link.endswith(".md"))
    linked = kg.build(root)
    assert linked.event_records == alone.event_records and linked.related == alone.related
    assert [e.page for e in linked.event_records.values() if e.in_corpus] == [f"{DAY}/base.md", f"{DAY}/zz-real.md"]
    extra = set(linked.report.diagnostics) - set(alone.report.diagnostics)
    assert [(d.path, d.code) for d in extra] == [(f"news/2015/09/{link}", "symlink-skipped")]
    assert len(linked.report.diagnostics) == len(alone.report.diagnostics) + 1


def test_a_page_swapped_for_a_fifo_after_the_walk_does_not_block(tmp_path: Path) -> None:
    """The walk saw a file; by the time it is read it is a FIFO with no writer: no hang."""
    fifo = tmp_path / "page.md"
    os.mkfifo(fifo)
    page = read_page("news/2015/09/1/page.md", fifo)  # opened non-blocking, then fstat-checked
    assert page.text is None and [d.code for d in page.diagnostics] == ["not-regular-file"]
    assert file_digest(os.fspath(fifo)) is None  # the rebuild's hash check does not block either


def test_a_page_swapped_for_a_link_after_the_walk_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_bytes(_page("Secret", "secret"))
    link = tmp_path / "page.md"
    link.symlink_to(secret)
    page = read_page("news/2015/09/1/page.md", link)
    assert page.text is None and [d.code for d in page.diagnostics] == ["unreadable-file"]


def test_a_folder_swapped_for_a_link_after_the_walk_is_not_followed(tmp_path: Path) -> None:
    """The walk saw news/2015/09/1/page.md; then 1/ became a link to a folder outside."""
    root = tmp_path / "corpus"
    day = root / DAY
    day.mkdir(parents=True)
    (day / "page.md").write_bytes(_page("Inside", "page"))
    ((rel, real, _),) = list(iter_page_files(root.resolve()))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "page.md").write_bytes(_page("Secret", "page"))
    day.rename(tmp_path / "moved")
    day.symlink_to(outside, target_is_directory=True)
    page = read_page(rel, real, walked=True)
    assert page.text is None and [d.code for d in page.diagnostics] == ["unreadable-file"]
    assert "replaced by a link" in page.diagnostics[0].message


def test_a_corpus_folder_with_a_non_utf8_name(tmp_path: Path) -> None:
    from kg.pipeline import build_files

    root = os.path.join(os.fsencode(tmp_path), b"caf\xe9")
    os.makedirs(os.path.join(root, os.fsencode(DAY)))
    with open(os.path.join(root, os.fsencode(DAY), b"base.md"), "wb") as fh:
        fh.write(_page("Base", "base"))
    result = build_files(os.fsdecode(root), tmp_path / "out", ("turtle", "report"))
    assert result.report.corpus == "caf%E9"
    assert json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))["corpus"] == "caf%E9"


@pytest.mark.parametrize("name", [b"\xff\xfe.md", b"0.md", b"-.md"])
def test_a_copy_planted_under_a_name_that_sorts_first_is_merged_into_the_page(name: bytes, tmp_path: Path) -> None:
    """Pages of the same content are one event: the kept one was the first by name, so a copy planted
    as ``%FF%FE.md`` took the page's place (its IRI, its path) and the page was reported merged."""
    import kg

    real = Path("examples/wcep-2015-09/news/2015/09/1")
    page = sorted(p for p in real.iterdir() if p.name != "index.md")[0]
    day = tmp_path / "news/2015/09/1"
    day.mkdir(parents=True)
    (day / page.name).write_bytes(page.read_bytes())
    with open(os.path.join(os.fsencode(day), name), "wb") as fh:
        fh.write(page.read_bytes())
    graph = kg.build(tmp_path)
    assert [key.slug for key, event in graph.event_records.items() if event.in_corpus] == [page.stem]
    merged = [d for d in graph.report.diagnostics if d.code == "duplicate-page"]
    assert len(merged) == 1 and merged[0].path != f"news/2015/09/1/{page.name}"
    assert merged[0].message.endswith(f"as news/2015/09/1/{page.name}; merged into it")


def _without_root_s_override() -> list[str]:
    """A command prefix under which file permissions hold, as for a user (root reads any folder)."""
    if os.geteuid() != 0:  # pragma: no cover - CI runs as root
        return []
    import shutil

    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux) to drop root's permission override")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def test_a_corpus_folder_that_cannot_be_read_is_said_so(tmp_path: Path) -> None:
    """kg build said "cannot write c0/news: permission denied" of a corpus it only reads, and kg.build raised a bare
    PermissionError; a folder below that may not be searched hid the corpora beside it."""
    locked, parent = tmp_path / "c0", tmp_path / "parent"
    for folder in (locked / "news", parent / "locked" / "news", parent / "ok" / "news"):
        folder.mkdir(parents=True)
    (locked / "news").rmdir()
    locked.chmod(0)
    (parent / "locked").chmod(0)
    try:
        run = [*_without_root_s_override(), sys.executable, "-m", "kg"]
        unread, out = f"cannot read the corpus folder {locked}", str(tmp_path / "o")
        for argv, said in ((["build", str(locked), "-o", out], unread), (["stats", str(locked)], unread),
                           (["build", str(parent), "-o", out], f"the corpora below it: {parent / 'ok'}")):
            proc = subprocess.run(run + argv, capture_output=True, text=True, timeout=120,
                                  cwd=Path(__file__).parents[1])
            assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc.stderr
            assert said in proc.stderr and "write" not in proc.stderr, proc.stderr
        check = ("import kg, sys\ntry:\n    kg.build(sys.argv[1])\nexcept kg.errors.CorpusNotFoundError as err:\n"
                 "    print(type(err).__name__)")
        proc = subprocess.run([*run[:-2], "-c", check, str(locked)], capture_output=True, text=True, timeout=120,
                              cwd=Path(__file__).parents[1])
        assert proc.stdout == "CorpusNotFoundError\n", proc.stderr
    finally:
        locked.chmod(0o755)
        (parent / "locked").chmod(0o755)
