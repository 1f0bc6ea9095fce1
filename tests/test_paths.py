"""Page paths and links between pages: nothing leaves news/."""

from __future__ import annotations

import pytest

from kg.read.paths import parse_page_path, resolve_link

FROM = "news/2015/09/3/page.md"


@pytest.mark.parametrize("link", [
    "../../../../../etc/passwd", "/news/%2e%2e/%2E%2E/etc/passwd", "/etc/passwd", "/news/../x.md",
    "/news/2015/09/1/..\\..\\x.md", "/news/2015/09/1/%00.md", "../../../../x.md",
])
def test_links_leaving_the_corpus_are_refused(link):
    assert resolve_link(link, FROM).error == "link-outside-corpus"


@pytest.mark.parametrize("link", ["file:///etc/passwd", "//evil.example.org/news/2015/09/1/a.md",
                                  "javascript:alert(1)", "/news/2015/09/1/", "/news/2015/02/30/x.md"])
def test_links_to_non_pages_are_refused(link):
    assert resolve_link(link, FROM).error == "link-not-event"


def test_relative_and_encoded_links_resolve_inside():
    assert resolve_link("../2/b.md", FROM).path == "news/2015/09/2/b.md"
    assert resolve_link("/news/2015/09/2/a%20b.md", FROM).key.slug == "a b"
    assert resolve_link("  /news/2015/09/1/index.md ", FROM).kind == "day"


@pytest.mark.parametrize("path,error", [
    ("news/2015/02/30/x.md", "invalid-date"), ("news/2015/13/1/x.md", "invalid-date"),
    ("news/misc/x.md", "unexpected-path"), ("news/2015/09/1/x.md/inner.md", "unexpected-path"),
    ("news/2015/09/1/esc\x1b[31m.md", "unexpected-path"), ("news/2015/09/1/new\nline.md", "unexpected-path"),
])
def test_bad_page_paths(path, error):
    assert parse_page_path(path).error == error


def test_a_link_names_a_page_as_its_file_name_keys_it_nfc_and_dates_are_ascii_digits():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "café")  # as macOS writes a file name, and a link copied from it
    for target in (f"/news/2015/09/1/{nfd}.md", f"{nfd}.md", "/news/2015/09/1/cafe%CC%81.md"):
        found = resolve_link(target, "news/2015/09/1/linker.md")
        assert found.kind == "event" and found.key is not None and found.key.slug == "café", target
    arabic_indic = "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in "2015/09/3")
    fullwidth = "".join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in "2015/09/3")
    for digits in (arabic_indic, fullwidth):  # digits all the same, but not a day of the layout
        assert parse_page_path(f"news/{digits}/x.md").error == "unexpected-path"
        assert resolve_link(f"/news/{digits}/x.md", "news/2015/09/1/a.md").kind is None


def test_a_name_with_a_bidi_control_is_no_page_path():
    # U+202E shows the rest of a name reversed: "news/.../\u202edm.exe" would read as another file.
    for name in ("\u202ez.md", "a\u2066b.md", "x\u200f.md"):
        assert parse_page_path(f"news/2015/09/1/{name}").error == "unexpected-path"
        assert resolve_link(f"/news/2015/09/1/{name}", "news/2015/09/1/a.md").kind is None
    assert parse_page_path("news/2015/09/1/café-\u05d0.md").kind == "event"  # right-to-left letters are text


def test_a_padded_day_folder_is_reported_not_read_as_another_path(tmp_path):
    """news/2015/09/01/x.md read as 2015-09-01 was named news/2015/09/1/x.md (a file not there), and
    beside that page it was merged into it, its headline and sources lost, with a warning only."""
    import kg

    for folder, headline in (("1", "The real page"), ("01", "A page in a padded folder")):
        day = tmp_path / "news" / "2015" / "09" / folder
        day.mkdir(parents=True)
        (day / "x.md").write_text(f"# {headline}\n\n## Sources\n\n1. [Reuters](https://www.reuters.com/{folder})\n",
                                  encoding="utf-8")
    g = kg.build(tmp_path)
    assert [e.headline for e in g.event_records.values()] == ["The real page"]
    said = [(d.code, d.path) for d in g.report.diagnostics if d.code in ("unexpected-path", "duplicate-page")]
    assert said == [("unexpected-path", "news/2015/09/01/x.md")]
    # A link may still pad its day: it names the date's page.
    assert resolve_link("/news/2015/09/01/x.md", FROM).path is not None
    assert resolve_link("/news/2015/09/01/x.md", FROM).key == parse_page_path("news/2015/09/1/x.md").key
