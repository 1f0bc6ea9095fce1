"""Small modules: every Python module of ``kg`` and every part of the explorer's script holds at
most 500 lines, one concept each; past that, a concept moves into a module (or part) of its own."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kg"
MAX_LINES = 500


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".js") and "__pycache__" not in p.parts)


def test_the_scan_finds_the_modules_and_the_script_parts() -> None:
    found = {p.relative_to(PACKAGE).as_posix() for p in _sources()}
    assert {"cli.py", "query/sparql.py", "export/html/assets/view/selection.js"} <= found


def test_every_module_and_script_part_is_at_most_500_lines() -> None:
    sizes = {p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines()) for p in _sources()}
    over = {name: lines for name, lines in sizes.items() if lines > MAX_LINES}
    assert not over, f"over {MAX_LINES} lines (move a concept into a module of its own): {over}"


def test_every_script_part_is_joined_into_the_page() -> None:
    # A part cut out of another is a file of its own: unless VIEW_PARTS names it, the page goes without it.
    from kg.export.html.page import VIEW_PARTS

    parts = {p.stem for p in (PACKAGE / "export" / "html" / "assets" / "view").glob("*.js")}
    assert parts == set(VIEW_PARTS)


def test_no_two_script_parts_declare_the_same_name() -> None:
    """The parts are joined into one closure: a name declared in two is one variable, the later part's value
    for both (search.js's GAP of 40 characters held panel.js's periods' boxes 40 units apart, not 2 px)."""
    import re
    from collections import defaultdict

    declared: defaultdict[str, list[str]] = defaultdict(list)
    for part in sorted((PACKAGE / "export" / "html" / "assets" / "view").glob("*.js")):
        for name in re.findall(r"^  (?:var|function) ([A-Za-z_$][\w$]*)", part.read_text(encoding="utf-8"), re.M):
            declared[name].append(part.stem)
    assert len(declared) > 100  # (the scan finds them)
    assert {name: parts for name, parts in declared.items() if len(parts) > 1} == {}
