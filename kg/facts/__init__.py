"""Keyed facts: the build as a map over pages and a reduce over subjects.

:func:`~kg.facts.mapping.page_facts` maps one parsed page to facts, each
keyed by the subject it is about; :func:`~kg.facts.engine.reduce_graph`
reduces all the facts of each key to that subject's nodes, edges and
diagnostics.  The executors (:mod:`kg.facts.executors`) run the same two
steps in this process or on all cores.
"""

from kg.facts.engine import reduce_graph, reduce_identity
from kg.facts.mapping import page_content, page_facts
from kg.facts.records import DayClaim, EventClaim, LinkFact, PageFacts, event_key, page_key

__all__ = [
    "page_facts",
    "page_content",
    "reduce_graph",
    "reduce_identity",
    "PageFacts",
    "EventClaim",
    "DayClaim",
    "LinkFact",
    "event_key",
    "page_key",
]
