"""Shared fixtures: the bundled sample corpus, built once per session."""

from __future__ import annotations

import json
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
