"""README tells the truth about what the code does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.cli import COMMANDS
from kg.diagnostics import describe_codes
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_diagnostic_table_matches_the_registry():
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning|info) \|", README, re.MULTILINE)
    assert rows == [(code, level) for code, level, _ in describe_codes()]


def test_every_command_is_documented():
    for name in COMMANDS:
        assert f"kg {name} " in README, name


def test_the_command_synopsis_names_every_option():
    """README's "Command line" block lists each command's options, as ``kg COMMAND --help`` does."""
    import argparse

    from kg.cli import make_parser

    synopsis = re.search(r"## Command line\n\n```sh\n(.*?)```", README, re.DOTALL)
    assert synopsis is not None
    subs = next(a for a in make_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, parser in subs.choices.items():
        block = synopsis[1].split(f"kg {name} ", 1)[1].split("\nkg ", 1)[0]
        for action in parser._actions:
            if action.option_strings and "--help" not in action.option_strings:
                assert any(re.search(re.escape(o) + r"(?![\w-])", block) for o in action.option_strings), \
                    (name, action.option_strings)


def test_the_two_setup_commands_are_there():
    assert "make sample" in README and "make test" in README
    assert (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().endswith("exec make test")


def _run_first_python_block(heading: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paste the first Python block under ``heading`` into ``folder``, beside the repository's examples, and run it."""
    code = re.search(r"```python\n(.*?)```", README.split(heading, 1)[1], re.DOTALL)
    assert code is not None
    (folder / "examples").symlink_to(REPO / "examples")
    monkeypatch.chdir(folder)
    exec(compile(code[1], "README.md", "exec"), {})  # our own README's example


def test_the_library_api_example_runs_as_written(tmp_path, monkeypatch):
    """Pasted into a fresh folder beside the repository's examples, README's first Python block runs."""
    _run_first_python_block("## Library API", tmp_path, monkeypatch)
    assert (tmp_path / "graph.ttl").stat().st_size > 0


def test_the_query_it_example_runs_as_written(tmp_path, monkeypatch):
    """README's first block under "Query it", pasted whole, runs: its "SELECT ..." placeholders stopped it at the
    first, and it wrote into an out/ folder that only the command line's examples had made."""
    _run_first_python_block("## Query it", tmp_path, monkeypatch)
    assert (tmp_path / "graph.graphml").stat().st_size > 0


def test_the_command_line_example_runs_as_written(tmp_path):
    """README's first shell block after the synopsis: each command, as a user pastes it, exits 0."""
    import shlex
    import subprocess
    import sys

    section = README.split("For example, on the bundled sample", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None
    (tmp_path / "examples").symlink_to(REPO / "examples")
    kg = [sys.executable, "-m", "kg"]
    commands = re.sub(r"\n  ", " ", block[1]).splitlines()  # (a line that goes on is indented)
    assert [c.split()[1] for c in commands] == ["build", "stats", "query", "html", "build"]
    for command in commands:
        words = shlex.split(command, comments=True)
        done = subprocess.run([*kg, *words[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (command, done.stderr)
        if words[1] == "query":
            assert done.stdout.splitlines()[0].split() == ["name", "events"] and len(done.stdout.splitlines()) == 6
    assert (tmp_path / "out" / "graph.graphml").stat().st_size > 0  # (the last: the defaults and GraphML)
    assert (tmp_path / "syria.html").stat().st_size > 0
