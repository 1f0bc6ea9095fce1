"""Small pages for the robustness tests, in the site's canonical form."""

from __future__ import annotations

__all__ = ["event_page"]


def event_page(headline: str, slug: str, *, publisher: str = "BBC", contexts: str = "Iran",
               day: str = "2015/09/1") -> str:
    """An event page of ``day`` citing one source and relating to ``base.md`` (or, for it, ``other.md``)."""
    target, text = ("other", "Other") if slug == "base" else ("base", "Base")
    return (f"### [{day.replace('/', '-').replace('-09-', '-09-')}](/news/{day}/index.md)\n\n"
            f"# {headline}\n\n### Source:\n\n1. [{publisher}](https://news.example/{slug})\n\n"
            f"### Related:\n\n1. [{text}](/news/{day}/{target}.md) _Context: {contexts}_\n")
