"""Helpers that check RDF files with independent parsers."""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import rdflib
import rdflib.compare

RAPPER = shutil.which("rapper")


def rapper_count(path: Path, syntax: str) -> int:
    """Triples that Debian's raptor parser reads from ``path``."""
    assert RAPPER, "rapper is missing: `make test` installs raptor2-utils"
    proc = subprocess.run([RAPPER, "-i", syntax, "-c", str(path)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    for line in proc.stderr.splitlines():
        if "returned" in line:
            return int(line.split("returned")[1].split()[0])
    raise AssertionError(f"rapper said nothing about a count: {proc.stderr}")


def pyoxigraph_count(path: Path, fmt: ox.RdfFormat) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        return sum(1 for _ in ox.parse(fh, fmt))


def rdflib_graph(path: Path, fmt: str) -> rdflib.Graph:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        return rdflib.Graph().parse(fh, format=fmt)


def isomorphism_diff(got: rdflib.Graph, want: rdflib.Graph, limit: int = 40) -> str:
    """A readable diff of two graphs ('' when they are isomorphic)."""
    iso_got, iso_want = rdflib.compare.to_isomorphic(got), rdflib.compare.to_isomorphic(want)
    if iso_got == iso_want:
        return ""
    _, only_got, only_want = rdflib.compare.graph_diff(iso_got, iso_want)
    lines = ["graphs differ"]
    lines += [f"+ {line}" for line in sorted(only_got.serialize(format="nt").splitlines())[:limit]]
    lines += [f"- {line}" for line in sorted(only_want.serialize(format="nt").splitlines())[:limit]]
    return "\n".join(lines)
