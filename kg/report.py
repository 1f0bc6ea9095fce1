"""The build report: counts and diagnostics, written as ``report.json``."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.diagnostics import Diagnostic, Level

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph

__all__ = ["BuildReport", "count_graph", "write_report"]


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build read and what it could not.

    ``diagnostics`` are sorted by path, line and code.
    """

    corpus: str = ""
    pages_read: int = 0
    diagnostics: tuple[Diagnostic, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    def by_level(self) -> dict[str, int]:
        """Number of diagnostics per level."""
        found = Counter(d.level.value for d in self.diagnostics)
        return {level.value: found.get(level.value, 0) for level in Level}

    @property
    def has_errors(self) -> bool:
        """Whether any diagnostic is of error level."""
        return any(d.level is Level.ERROR for d in self.diagnostics)

    @property
    def has_warnings(self) -> bool:
        """Whether any diagnostic is of warning level."""
        return any(d.level is Level.WARNING for d in self.diagnostics)

    def to_dict(self) -> dict[str, object]:
        """Return the JSON-ready report."""
        return {
            "corpus": self.corpus,
            "pages_read": self.pages_read,
            "counts": dict(self.counts),
            "diagnostic_levels": self.by_level(),
            "diagnostic_codes": dict(sorted(Counter(d.code for d in self.diagnostics).items())),
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


def count_graph(graph: KnowledgeGraph) -> dict[str, int]:
    """Count nodes and edges of a graph by type.

    ``events`` counts events whose page was read; ``external_events`` those
    that only a link names.  ``unresolved_links`` counts links (related or
    day-page) whose target page is not in the corpus.
    """
    in_corpus = {k for k, e in graph.events.items() if e.in_corpus}
    unresolved = sum(1 for link in graph.related if link.target not in in_corpus)
    unresolved += sum(1 for day in graph.days.values() for k in day.listed if k not in in_corpus)
    return {
        "events": len(in_corpus),
        "external_events": len(graph.events) - len(in_corpus),
        "days": len(graph.days),
        "sources": len(graph.articles),
        "source_citations": sum(len(e.sources) for e in graph.events.values()),
        "publishers": len(graph.publishers),
        "images": len(graph.images),
        "contexts": len(graph.contexts),
        "related_links": len(graph.related),
        "unresolved_links": unresolved,
        "event_context_pairs": sum(len(v) for v in graph.event_contexts.values()),
        "shared_context_pairs": len(graph.shared),
        "day_entries": sum(len(d.listed) for d in graph.days.values()),
    }


def write_report(graph: KnowledgeGraph, path: str | os.PathLike[str]) -> None:
    """Write ``report.json`` (sorted keys, UTF-8, newline at the end)."""
    text = json.dumps(graph.report.to_dict(), indent=2, ensure_ascii=False)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text + "\n")
