"""Edits a user makes to a corpus between two builds, for the incremental tests.

Each takes the corpus folder and a seeded ``random.Random`` and changes the
files in place, the way an editor or a nightly sync would.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

Edit = Callable[[Path, random.Random], None]

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "wcep-2015-09"


def ten_days(target: Path) -> Path:
    """Ten days of the sample copied to ``target``: links to the other twenty are links out of the corpus."""
    for day in range(1, 11):
        shutil.copytree(SAMPLE / "news/2015/09" / str(day), target / "news/2015/09" / str(day))
    return target


def event_pages(root: Path) -> list[Path]:
    return sorted(p for p in (root / "news").rglob("*.md") if p.name != "index.md")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="surrogateescape")


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", errors="surrogateescape")


def _pick(root: Path, rng: random.Random) -> Path:
    return rng.choice(event_pages(root))


def _related_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if "_Context:" in line]


def new_source(root: Path, rng: random.Random) -> None:
    page = _pick(root, rng)
    item = f"1. [Wire {rng.randint(0, 3)}](https://wire.example/{rng.randint(0, 5)})\n"
    _write(page, _read(page).replace("### Source:\n\n", "### Source:\n\n" + item, 1))


_SOURCE = re.compile(r"^(\d+\. \[)([^\]\n]+)(\]\(https?://)", re.M)


def via_source(root: Path, rng: random.Random) -> None:
    """A plain source name gets a distributor: "AFP" becomes "AFP via France 24"."""
    for page in rng.sample(event_pages(root), 40):
        text = _read(page)
        plain = [m for m in _SOURCE.finditer(text) if " via " not in m.group(2) and m.group(2) != "Cover Image"]
        if plain:
            m = rng.choice(plain)
            carrier = rng.choice(("France 24", "Yahoo News", f"Carrier {rng.randint(0, 3)}"))
            _write(page, text[:m.end(2)] + f" via {carrier}" + text[m.end(2):])
            return
    raise AssertionError("no plain source name to give a distributor")


def respell_source(root: Path, rng: random.Random) -> None:
    """A page not citing a source name that others cite cites it in lower case: "reuters" (the organization
    of "Reuters", whose node keeps that label, as the other pages write it)."""
    pages = event_pages(root)
    citing: dict[str, set[Path]] = {}
    for page in pages:
        for m in _SOURCE.finditer(_read(page)):
            citing.setdefault(m.group(2), set()).add(page)
    names = sorted(n for n, by in citing.items() if " via " not in n and n != "Cover Image" and n.lower() != n
                   and n.lower() not in citing and len(by) > 1)
    name = rng.choice(names)
    page = rng.choice([p for p in pages if p not in citing[name]])
    item = f"1. [{name.lower()}](https://wire.example/{rng.randint(0, 5)})\n"
    _write(page, _read(page).replace("### Source:\n\n", "### Source:\n\n" + item, 1))


def outnumber_spelling(root: Path, rng: random.Random) -> None:
    """More pages than cite a source name cite it with a leading "The": "The Reuters" becomes the label of the
    organization, which most pages now write so."""
    pages = event_pages(root)
    citing: dict[str, set[Path]] = {}
    for page in pages:
        for m in _SOURCE.finditer(_read(page)):
            citing.setdefault(m.group(2), set()).add(page)
    names = sorted(n for n, by in citing.items() if " via " not in n and n != "Cover Image"
                   and not n.lower().startswith("the ") and f"The {n}" not in citing
                   and len(by) < len(pages) - len(by))
    name = rng.choice(names)
    others = [p for p in pages if p not in citing[name]]
    for page in rng.sample(others, len(citing[name]) + 1):
        item = f"1. [The {name}](https://wire.example/the-{rng.randint(0, 5)})\n"
        _write(page, _read(page).replace("### Source:\n\n", "### Source:\n\n" + item, 1))


def drop_via(root: Path, rng: random.Random) -> None:
    """A name "X via Y" loses its distributor: "AP via CBS" becomes "AP"."""
    pages = [p for p in event_pages(root) if any(" via " in m.group(2) for m in _SOURCE.finditer(_read(p)))]
    page = rng.choice(pages)
    text = _read(page)
    m = rng.choice([m for m in _SOURCE.finditer(text) if " via " in m.group(2)])
    _write(page, text[:m.start(2)] + m.group(2).split(" via ", 1)[0] + text[m.end(2):])


def new_image(root: Path, rng: random.Random) -> None:
    page = _pick(root, rng)
    item = f"1. [Cover Image](https://img.example/{rng.randint(0, 3)}.jpg)\n"
    _write(page, _read(page).replace("### Source:\n\n", "### Source:\n\n" + item, 1))


def new_headline(root: Path, rng: random.Random) -> None:
    page = _pick(root, rng)
    _write(page, re.sub(r"^# ", "# Update: ", _read(page), count=1, flags=re.M))


def drop_related(root: Path, rng: random.Random) -> None:
    page = _pick(root, rng)
    lines = _read(page).split("\n")
    related = _related_lines(lines)
    if related:
        del lines[rng.choice(related)]
    _write(page, "\n".join(lines))


def swap_related(root: Path, rng: random.Random) -> None:
    """Change the ranks of two Related lines."""
    page = _pick(root, rng)
    lines = _read(page).split("\n")
    related = _related_lines(lines)
    if len(related) > 1:
        i, j = related[0], related[-1]
        lines[i], lines[j] = lines[j], lines[i]
    _write(page, "\n".join(lines))


def new_context(root: Path, rng: random.Random) -> None:
    page = _pick(root, rng)
    _write(page, _read(page).replace("_Context: ", f"_Context: Newland {rng.randint(0, 2)}, ", 1))


def drop_context(root: Path, rng: random.Random) -> None:
    """Take the first context off one Related line: only that link's events see it."""
    page = _pick(root, rng)
    lines = _read(page).split("\n")
    related = _related_lines(lines)
    if related:
        i = rng.choice(related)
        lines[i] = re.sub(r"_Context: [^,_]*(, )?", "_Context: ", lines[i], count=1)
    _write(page, "\n".join(lines))


def retarget_related(root: Path, rng: random.Random) -> None:
    """Point one Related line at another event, its text and contexts unchanged."""
    page, other = rng.sample(event_pages(root), 2)
    lines = _read(page).split("\n")
    related = _related_lines(lines)
    if related:
        i = rng.choice(related)
        target = "/" + other.relative_to(root).as_posix()
        lines[i] = re.sub(r"\]\([^)]*\)", f"]({target})", lines[i], count=1)
    _write(page, "\n".join(lines))


def repeat_related(root: Path, rng: random.Random) -> None:
    """Name one Related line's event again, with a context of its own (the two are merged)."""
    page = _pick(root, rng)
    lines = _read(page).split("\n")
    related = _related_lines(lines)
    if related:
        line = lines[rng.choice(related)]
        lines.insert(related[-1] + 1, re.sub(r"_Context: .*", f"_Context: Again {rng.randint(0, 2)}_", line))
    _write(page, "\n".join(lines))


def link_outside(root: Path, rng: random.Random) -> None:
    """A Related line to a page that is not in the corpus (an external event)."""
    page = _pick(root, rng)
    line = "1. [A story not here](/news/2015/09/3/not-here.md) _Context: Nowhere_\n"
    _write(page, _read(page).replace("### Related:\n\n", "### Related:\n\n" + line, 1))


def fill_outside(root: Path, rng: random.Random) -> None:
    """Add the page that :func:`link_outside` links to: an external event comes in."""
    text = _read(_pick(root, rng))
    text = re.sub(r"^### \[.*?\]\(.*?\)", "### [2015-09-3](/news/2015/09/3/index.md)", text,
                  count=1, flags=re.M)
    _write(root / "news/2015/09/3/not-here.md", text)


def retitle_outside(root: Path, rng: random.Random) -> None:
    """Reword the links to the event that :func:`link_outside` adds: it is named by their text."""
    for page in event_pages(root):
        text = _read(page)
        if "not-here.md" in text:
            _write(page, text.replace("[A story not here]", f"[The story, retold {rng.randint(0, 9)}]"))


def empty_outside(root: Path, rng: random.Random) -> None:
    (root / "news/2015/09/3/not-here.md").unlink(missing_ok=True)


def delete_page(root: Path, rng: random.Random) -> None:
    _pick(root, rng).unlink()


def add_page(root: Path, rng: random.Random) -> None:
    model = _pick(root, rng)
    text = re.sub(r"^# ", "# Fresh: ", _read(model), count=1, flags=re.M)
    _write(model.with_name(f"fresh-{rng.randint(0, 999)}.md"), text)


def rename_page(root: Path, rng: random.Random) -> None:
    page = _pick(root, rng)
    page.rename(page.with_name("renamed-" + page.name[:40] + ".md"))


def new_day(root: Path, rng: random.Random) -> None:
    """An event on a day the corpus did not have (no day page)."""
    folder = root / "news/2015/10/2"
    folder.mkdir(parents=True, exist_ok=True)
    text = re.sub(r"^### \[.*?\]\(.*?\)", "### [2015-10-2](/news/2015/10/2/index.md)",
                  _read(_pick(root, rng)), count=1, flags=re.M)
    _write(folder / f"new-{rng.randint(0, 99)}.md", text)


def add_day(root: Path, rng: random.Random) -> None:
    """A day's update: new events on a new day, linking to older ones, and their day page."""
    folder = root / "news/2015/10/5"
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for n, model in enumerate(rng.sample(event_pages(root), 3)):
        text = re.sub(r"^### \[.*?\]\(.*?\)", "### [2015-10-5](/news/2015/10/5/index.md)",
                      _read(model), count=1, flags=re.M)
        text = re.sub(r"^# ", f"# Day update {n}: ", text, count=1, flags=re.M)
        _write(folder / f"update-{n}.md", text)
        headline = re.search(r"^# (.*)$", text, flags=re.M).group(1)
        entries.append(f"{n + 1}. [{headline}](/news/2015/10/5/update-{n}.md)")
    _write(folder / "index.md", "# 2015-10-5\n\n" + "\n".join(entries) + "\n")


def edit_day_page(root: Path, rng: random.Random) -> None:
    days = sorted((root / "news").rglob("index.md"))
    if not days:
        return
    page = rng.choice(days)
    lines = _read(page).split("\n")
    entries = [i for i, line in enumerate(lines) if re.match(r"\d+\. \[", line)]
    if entries:
        del lines[rng.choice(entries)]
    _write(page, "\n".join(lines))


def move_listing(root: Path, rng: random.Random) -> None:
    """An entry leaves its day page for another day's: its event is listed on another day, none on its own."""
    days = sorted((root / "news").rglob("index.md"))
    if len(days) < 2:
        return
    source, target = rng.sample(days, 2)
    lines = _read(source).split("\n")
    entries = [i for i, line in enumerate(lines) if re.match(r"\d+\. \[", line)]
    if not entries:
        return
    entry = lines.pop(rng.choice(entries))
    _write(source, "\n".join(lines))
    _write(target, _read(target).rstrip("\n") + "\n" + entry + "\n")


def list_unlisted(root: Path, rng: random.Random) -> None:
    """A new event page, then every event page its day page does not list is listed there."""
    add_page(root, rng)
    for page in event_pages(root):
        day = page.with_name("index.md")
        if day.exists() and f"/{page.name})" not in _read(day):
            rel = page.relative_to(root).as_posix()
            headline = re.search(r"^# (.*)$", _read(page), flags=re.M)
            title = headline.group(1) if headline else page.stem
            _write(day, _read(day).rstrip("\n") + f"\n1. [{title}](/{rel})\n")


def delete_day_page(root: Path, rng: random.Random) -> None:
    days = sorted((root / "news").rglob("index.md"))
    if days:
        rng.choice(days).unlink()


def break_page(root: Path, rng: random.Random) -> None:
    page = _pick(root, rng)
    page.write_bytes(page.read_bytes()[:rng.randint(0, 400)] + b"\xff\xfe [half a link](")


def unread_page(root: Path, rng: random.Random) -> None:
    """A page that Related lines name can no longer be read (binary or empty): their links say so."""
    linked = [p for p in event_pages(root)
              if any(f"/{p.name})" in _read(q) for q in rng.sample(event_pages(root), min(20, len(event_pages(root)))))]
    page = rng.choice(linked or event_pages(root))
    page.write_bytes(rng.choice([b"\x00\x01 not text", b"", b" \n\t\n"]))


def edit_nothing_of_the_graph(root: Path, rng: random.Random) -> None:
    """A page's bytes change (a blank line at its end), not what it says."""
    page = _pick(root, rng)
    page.write_bytes(page.read_bytes() + b"\n")


def duplicate_page(root: Path, rng: random.Random) -> None:
    page = _pick(root, rng)
    shutil.copy(page, page.with_name("copy-of-" + page.name))


#: Edits the incremental build applies itself (a duplicate makes it build in full).
EDITS: dict[str, Edit] = {f.__name__: f for f in (
    new_source, via_source, respell_source, outnumber_spelling, drop_via, new_image, new_headline, drop_related,
    swap_related,
    new_context, drop_context, retarget_related, repeat_related, link_outside, retitle_outside,
    fill_outside, empty_outside, delete_page, add_page, rename_page, new_day, add_day, edit_day_page,
    move_listing, list_unlisted, delete_day_page, break_page, unread_page, edit_nothing_of_the_graph)}
