"""Reading files: decoding and the safe walk."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from kg.read.files import decode_page, iter_page_paths, read_page


def test_decoding_hazards():
    assert decode_page(b"\xef\xbb\xbf# A\r\nb\rc\n", "p.md") == ("# A\nb\nc\n", [])
    assert [d.code for d in decode_page(b"", "p.md")[1]] == ["empty-file"]
    assert [d.code for d in decode_page(b" \n\t\r\n", "p.md")[1]] == ["empty-file"]
    assert [d.code for d in decode_page(b"# a\x00b", "p.md")[1]] == ["binary-file"]
    text, problems = decode_page(b"# a\n# b \xc3\xa9 \xff \xfe\n", "p.md")  # UTF-8 (its "\xe9"), damaged
    assert text == "# a\n# b \xe9 \ufffd \ufffd\n"
    assert [(d.code, d.line) for d in problems] == [("not-utf8", 2)]
    assert "2 invalid" in problems[0].message


def test_a_page_with_no_utf8_in_it_is_read_as_windows_1252():
    """Latin-1 and Windows-1252 pages keep their letters, the quotes and the euro sign of 0x80-0x9f
    included; the five bytes that Windows-1252 leaves undefined are replaced and counted."""
    text, problems = decode_page(b"# Caf\xe9 \x93na\xefve\x94 \x80\r\n\n\x81\x9d\n", "p.md")
    assert text == "# Caf\xe9 \u201cna\xefve\u201d \u20ac\n\n\ufffd\ufffd\n"
    assert [(d.code, d.line, d.level.value) for d in problems] == [("cp1252-file", 1, "warning")]
    assert "byte 5, 0xe9" in problems[0].message and "2 byte(s)" in problems[0].message
    # An accented letter before a curly quote is a lead byte and a continuation byte, not a whole sequence.
    text, problems = decode_page("# Café\u2019s «menu»\n".encode("cp1252"), "p.md")
    assert (text, [d.code for d in problems]) == ("# Café\u2019s «menu»\n", ["cp1252-file"])
    # A page that holds a whole UTF-8 sequence is UTF-8, damaged: its bad bytes are replaced.
    text, problems = decode_page(b"# Caf\xc3\xa9, truncated \xe2\x82 and \xe9\n", "p.md")
    assert (text, [d.code for d in problems]) == ("# Caf\xe9, truncated \ufffd and \ufffd\n", ["not-utf8"])


def test_what_is_said_of_a_page_s_bytes_names_the_line_and_byte_as_stored():
    """A bad byte's line was counted in LFs alone (a page with CR line ends said line 1 of line 7) and its
    byte after the byte-order mark (3 short); a mark alone was a page without a headline, not an empty file."""
    crs = b"### [2015-09-1](/x)\r\r# Caf\xc3\xa9 \r\n\r### Source:\r\r1. [B\xffB](http://example.org/b)\r"
    [said] = decode_page(crs, "cr.md")[1]
    assert (said.code, said.line) == ("not-utf8", 7) and f"at byte {crs.index(0xFF)} " in said.message
    assert decode_page(crs, "cr.md")[0].splitlines()[6] == "1. [B\ufffdB](http://example.org/b)"
    marked = b"\xef\xbb\xbf# Caf\xc3\xa9\n\n# \xff\n"
    [said] = decode_page(marked, "bom.md")[1]
    assert said.line == 3 and f"at byte {marked.index(0xFF)} " in said.message
    [said] = decode_page(b"\xef\xbb\xbf# Caf\xe9\r\r\xe9", "latin.md")[1]
    assert (said.code, said.line) == ("cp1252-file", 1) and "(byte 8, 0xe9" in said.message
    for empty in (b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n"):
        assert [d.code for d in decode_page(empty, "p.md")[1]] == ["empty-file"]


def test_a_utf32_page_with_a_damaged_unit_is_read_as_utf32():
    """It was read as UTF-16 (the marks begin alike), found to hold NUL characters, and lost whole."""
    page = "# Wide \n\n### Source:\n\n1. [B?B](http://example.org/b)\n".encode("utf-32-le")
    damaged = codecs.BOM_UTF32_LE + page.replace("?".encode("utf-32-le"), b"\x00\xd8\x00\x00")  # a surrogate
    text, [said] = decode_page(damaged, "p.md")
    assert text == "# Wide \n\n### Source:\n\n1. [B\ufffdB](http://example.org/b)\n"
    assert said.code == "utf16-file" and said.message.startswith("UTF-32 ") and "1 invalid sequence" in said.message
    # UTF-16 with a NUL character first (its mark then reads as UTF-32's) is still no page
    assert [d.code for d in decode_page(codecs.BOM_UTF16_LE + "\x00# Hi".encode("utf-16-le"), "p.md")[1]] \
        == ["binary-file"]


def test_walk_never_leaves_the_root(tmp_path):
    root = tmp_path / "corpus"
    day = root / "news" / "2015" / "09" / "1"
    day.mkdir(parents=True)
    (day / "a.md").write_text("# A\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# Secret\n", encoding="utf-8")
    (day / "out.md").symlink_to(outside / "secret.md")
    (day / "outdir").symlink_to(outside, target_is_directory=True)
    (day / "loop").symlink_to(root / "news", target_is_directory=True)
    (day / "folder.md").mkdir()
    seen = list(iter_page_paths(root.resolve()))
    problems = {rel: p.code for rel, real, p in seen if p}
    assert problems == {"news/2015/09/1/out.md": "symlink-skipped", "news/2015/09/1/outdir": "symlink-skipped",
                        "news/2015/09/1/loop": "symlink-loop"}
    reals = [real for _, real, _ in seen if real]
    assert all(str(r).startswith(str(root.resolve())) for r in reals)
    assert [rel for rel, real, _ in seen if real] == ["news/2015/09/1/a.md"]


def test_a_link_to_a_page_or_folder_of_news_is_not_walked_again(tmp_path):
    """Real paths are walked whatever the names sort as: a link sorted before or after its page or
    folder is reported, and reaches nothing (once, the link sorted first was the one read)."""
    root = tmp_path / "corpus"
    month = root / "news" / "2015" / "09"
    (month / "1").mkdir(parents=True)
    (month / "2").mkdir()
    (month / "1" / "zz-real.md").write_text("# Real\n", encoding="utf-8")
    (month / "2" / "b.md").write_text("# B\n", encoding="utf-8")
    (month / "1" / "aa-link.md").symlink_to("zz-real.md")
    (month / "1" / "zzz-link.md").symlink_to("zz-real.md")
    (month / "1" / "notes").symlink_to("zz-real.md")  # not a page by its name: nothing to say
    (month / "0").symlink_to("1", target_is_directory=True)
    (month / "10").symlink_to(month / "2", target_is_directory=True)
    seen = list(iter_page_paths(root.resolve()))
    assert [rel for rel, real, _ in seen if real] == ["news/2015/09/1/zz-real.md", "news/2015/09/2/b.md"]
    problems = {rel: (p.code, p.message) for rel, _, p in seen if p}
    page = "a page of the corpus read at its own path; not followed"
    folder = "a folder of the corpus walked at its own path; not followed"
    assert problems == {
        "news/2015/09/1/aa-link.md": ("symlink-skipped", f"symbolic link to news/2015/09/1/zz-real.md, {page}"),
        "news/2015/09/1/zzz-link.md": ("symlink-skipped", f"symbolic link to news/2015/09/1/zz-real.md, {page}"),
        "news/2015/09/0": ("symlink-skipped", f"symbolic link to news/2015/09/1, {folder}"),
        "news/2015/09/10": ("symlink-skipped", f"symbolic link to news/2015/09/2, {folder}"),
    }


def test_read_page_of_a_binary_file(tmp_path):
    path = tmp_path / "x.md"
    path.write_bytes(bytes(range(256)))
    page = read_page("news/2015/09/1/x.md", path)
    assert page.text is None and [d.code for d in page.diagnostics] == ["binary-file"]


def test_a_page_is_read_to_its_end_and_no_further_than_the_limit(tmp_path: Path) -> None:
    """A page grown between its size's check and its read is read whole, or said too large: never cut."""
    from kg.read.files import MAX_PAGE_BYTES, _read_to_end

    page = tmp_path / "a.md"
    for length, said_size in ((0, 0), (5, 5), (70_000, 10), (200_000, 199_999), (MAX_PAGE_BYTES + 5, 3)):
        page.write_bytes(bytes(range(256)) * (length // 256) + b"x" * (length % 256))
        fd = os.open(page, os.O_RDONLY)
        try:
            data = _read_to_end(fd, said_size)
        finally:
            os.close(fd)
        assert data == page.read_bytes()[:MAX_PAGE_BYTES + 1], length
    grown = read_page("news/2015/09/1/a.md", page)  # over the limit: said so, not read
    assert grown.text is None and [d.code for d in grown.diagnostics] == ["file-too-large"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_prefetch_never_blocks_or_raises(tmp_path: Path) -> None:
    """A FIFO, a folder and a missing file among the pages: the hint skips them at once."""
    import threading

    from kg.read.files import prefetch

    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    page = tmp_path / "a.md"
    page.write_text("# A\n", encoding="utf-8")
    done = threading.Event()
    worker = threading.Thread(target=lambda: (prefetch([fifo, tmp_path, tmp_path / "missing.md", page]),
                                              done.set()), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert done.is_set()
    assert read_page("a.md", page).text == "# A\n"


@pytest.fixture()
def hints(tmp_path: Path, monkeypatch) -> tuple[Path, list]:
    """A 20,000-byte file, hints of 4,096 bytes, and a log of hints and waits."""
    import kg.read.files

    if not hasattr(os, "posix_fadvise"):
        pytest.skip("no read-ahead hint here")
    big = tmp_path / "big.ttl"
    big.write_bytes(b"x" * 20_000)
    calls: list = []
    monkeypatch.setattr(kg.read.files, "HINT_BYTES", 4096)
    monkeypatch.setattr(os, "posix_fadvise", lambda fd, start, length, advice: calls.append(("hint", start)))
    real_pread = os.pread
    monkeypatch.setattr(os, "pread", lambda fd, n, at: calls.append(("wait", at)) or real_pread(fd, n, at))
    return big, calls


def test_prefetch_hints_a_big_file_step_by_step(hints) -> None:
    """The kernel reads at most the device's read-ahead per hint: a big file needs several."""
    from kg.read.files import prefetch

    big, calls = hints
    prefetch([big])
    assert calls == [("hint", n) for n in (0, 4096, 8192, 12288, 16384)]


def test_prefetch_in_flight_waits_for_each_part_before_the_next(hints) -> None:
    from kg.read.files import prefetch

    big, calls = hints
    for in_flight in (8192, 6000):  # 6000: not a multiple of the hint, waits as soon as it is over
        calls.clear()
        prefetch([big], in_flight=in_flight)
        assert calls == [("hint", 0), ("hint", 4096), ("wait", 8191), ("hint", 8192), ("hint", 12288),
                         ("wait", 16383), ("hint", 16384)]
