"""Shared fixtures: the bundled sample corpus, built once per session."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import kg

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "examples" / "wcep-2015-09"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_graph():
    return kg.build(SAMPLE)


@pytest.fixture(scope="session")
def sample_turtle(sample_graph, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "graph.ttl"
    kg.write_turtle(sample_graph, out)
    return out


@pytest.fixture(scope="session")
def sample_ntriples(sample_graph, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample-nt") / "graph.nt"
    kg.write_ntriples(sample_graph, out)
    return out


def sample_with_an_unread_page(corpus: Path, unread: str):
    """The sample copied to ``corpus`` with its most linked page unreadable: binary data (the reader's problem)
    or a FIFO in its place (the walk's); its graph as built before, and that page's key."""
    shutil.copytree(SAMPLE, corpus)
    graph = kg.build(corpus)
    target = max(graph.event_records, key=lambda k: sum(r.target == k for r in graph.related))
    page = corpus / str(graph.event_records[target].page)
    if unread == "fifo":
        page.unlink()
        os.mkfifo(page)
    else:
        page.write_bytes(b"\x00 not text")
    return graph, target
