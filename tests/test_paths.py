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
