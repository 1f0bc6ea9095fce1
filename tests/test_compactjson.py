"""Compact JSON: orjson's bytes are the standard library's, whatever the data."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kg
from kg import compactjson
from kg.export.jsoncolumns import ColumnsEntry
from kg.export.snapshot import _sections

HERE = Path(__file__).parent
CORPORA = [HERE.parent / "examples" / "wcep-2015-09", HERE.parent / "examples" / "wcep-2026-05-to-2026-08",
           HERE / "data" / "hostile"]


def _stdlib(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


# Every code point, lone surrogates included; no floats: nothing we write holds one.
_text = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF))
_plain = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | _text,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(_plain)
def test_the_bytes_are_the_standard_librarys_and_read_back(value):
    data = compactjson.dumps(value)
    assert data == _stdlib(value)
    assert compactjson.loads(data) == json.loads(data)


def test_what_orjson_writes_its_own_way_goes_to_the_standard_library():
    class Name(str):
        pass

    assert compactjson.dumps({1: Name("x"), "s": "\ud800"}) == _stdlib({1: Name("x"), "s": "\ud800"})
    with pytest.raises(TypeError):
        compactjson.dumps({"when": object()})
    assert compactjson.loads(b'[NaN, "\\udc80"]')[1] == "\udc80"  # read as before
    with pytest.raises(ValueError):
        compactjson.loads(b"[1,")


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name)
def test_a_snapshot_has_the_standard_librarys_bytes(corpus, tmp_path, monkeypatch):
    from kg.export import jsoncolumns

    monkeypatch.setattr(jsoncolumns, "SLICE", 7)  # many slices a column, and a shorter last one
    g = kg.build(corpus)
    kg.write(g, tmp_path / "graph.kg.json")
    whole = {name: {column: list(values) for column, values in value.columns}
             if isinstance(value, ColumnsEntry) else value for name, value in _sections(g)}
    written = (tmp_path / "graph.kg.json").read_bytes()
    # Written a slice of a column at a time, each column on a line of its own (whitespace to JSON).
    assert written.replace(b"\n", b"") == _stdlib(whole)
    columns = sum(len(value.columns) for _, value in _sections(g) if isinstance(value, ColumnsEntry))
    assert written.count(b"\n") == 2 * columns
    assert all(line.startswith(b"[") and line.endswith(b"]") for line in written.split(b"\n")[1::2])


# Ctrl-C while orjson sets itself up (it imports uuid then): send SIGINT from that import.
_INTERRUPTED_IMPORT = """
import os, signal, sys
class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == "uuid":
            os.kill(os.getpid(), signal.SIGINT)
        return None
sys.meta_path.insert(0, Interrupt())
try:
    import kg.compactjson
except KeyboardInterrupt:
    sys.exit(130 if "orjson" in sys.modules else 3)
sys.exit(4)
"""


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signal masks")
def test_ctrl_c_while_orjson_loads_interrupts_instead_of_crashing():
    # Without the held-back SIGINT the process died of SIGSEGV (returncode -11).
    proc = subprocess.run([sys.executable, "-c", _INTERRUPTED_IMPORT], cwd=HERE.parent, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 130, proc.stderr
