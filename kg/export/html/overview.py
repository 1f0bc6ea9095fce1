"""The first view of an archive: the entities that matter, and how they meet.

Events are many and alike; what a reader grasps at a glance is which
entities (contexts, and publishers on request) the archive is about, how big
each is, and which occur together.  This module decides that in Python:

1. **importance**: an entity's number of events (in the page's date range);
2. **selection**: the most important entities, and the leaders of each
   period (month, or year for long archives) so that a brushed period has
   its own entities to show;
3. **co-occurrence**: a weighted graph (networkx) whose edge weight is the
   number of events that name both entities; each entity keeps its
   strongest edges, so the drawing is a skeleton, not a hairball;
4. **communities**: Louvain communities of that graph give the colours;
5. **layout**: a seeded spring layout, then no two nodes or labels overlap
   (:func:`kg.export.html.layout.separate`).

Examples
--------
>>> import kg
>>> from kg.export.html.archive import archive_columns
>>> ov = overview(archive_columns(kg.build("examples/wcep-2015-09")), max_nodes=40)
>>> len(ov.entities), ov.entities[0] == ov.ranked[0]
(40, True)
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, groupby

from kg.export.html.archive import ENTITY_KINDS, Archive
from kg.export.html.layout import Box, label_box, separate

__all__ = ["DEFAULT_MAX_NODES", "SIZING", "Overview", "font_size", "node_size", "overview"]

#: Entities drawn in the first view unless told otherwise: enough to read the
#: archive's themes, few enough that every label finds room.
DEFAULT_MAX_NODES = 100

# Each entity keeps at most this many of its strongest co-occurrence edges.
_EDGES_PER_NODE = 3
# Periods (months, or years for long archives) whose leaders join the overview.
_LEADERS_PER_PERIOD = 3
_MAX_PERIODS = 48
# Width over height of the first layout, as of a screen.
_ASPECT = 2.0
#: From this many nodes networkx 3.5 and later lay a graph out by minimizing its energy (its "auto" method).
_ENERGY_NODES = 500


@dataclass(frozen=True, slots=True)
class Overview:
    """Drawn entities (archive indices, most important first) and their drawing.

    ``ranked`` holds every entity of the drawn kinds by importance;
    ``x``, ``y``, ``size``, ``font`` and ``community`` are per drawn entity;
    ``edges`` are ``(i, j, weight)`` over positions in :attr:`entities`.
    """

    entities: tuple[int, ...]
    ranked: tuple[int, ...]
    events: tuple[int, ...]
    x: tuple[float, ...]
    y: tuple[float, ...]
    size: tuple[float, ...]
    font: tuple[float, ...]
    community: tuple[int, ...]
    edges: tuple[tuple[int, int, int], ...]
    largest: int


#: Radius and label size of an entity: base + span * sqrt(events / largest).  The page
#: sizes the nodes it adds with the same numbers.
SIZING = {"sizeBase": 6.0, "sizeSpan": 54.0, "fontBase": 10.0, "fontSpan": 50.0}


def node_size(events: int, largest: int) -> float:
    """Radius of an entity with ``events`` events, the largest having ``largest``.

    Area grows with the number of events.

    >>> node_size(100, 100), node_size(1, 100)
    (60.0, 11.4)
    """
    return round(SIZING["sizeBase"] + SIZING["sizeSpan"] * math.sqrt(events / max(largest, 1)), 1)


def font_size(events: int, largest: int) -> float:
    """Label size of an entity: the big ones readable from afar.

    >>> font_size(100, 100), font_size(1, 100)
    (60.0, 15.0)
    """
    return round(SIZING["fontBase"] + SIZING["fontSpan"] * math.sqrt(events / max(largest, 1)), 1)


def _kind_filter(archive: Archive, kinds: frozenset[int]) -> Callable[[Sequence[int]], Iterator[int]]:
    """A filter of entity numbers to those of ``kinds`` (in C: 640,000 of them at 150,000 events)."""
    wanted = [kind in kinds for kind in archive.entity_kind].__getitem__
    return lambda entities: compress(entities, map(wanted, entities))


def _event_counts(archive: Archive, kinds: frozenset[int]) -> Counter[int]:
    return Counter(_kind_filter(archive, kinds)(archive.event_entities))


def _period_leaders(archive: Archive, kinds: frozenset[int], limit: int) -> list[int]:
    """The top entities of each month (each year past 4 years of months)."""
    span = len({d[:7] for d in archive.days})
    width = 7 if span <= _MAX_PERIODS else 4
    # Events come in day order: a period's events are one run, their entities one slice.
    offsets, event_day, of_kinds = archive.event_entities_offsets, archive.event_day, _kind_filter(archive, kinds)
    leaders: list[int] = []
    for _, run in groupby(range(len(archive.days)), key=lambda day: archive.days[day][:width]):
        days = list(run)
        start, stop = bisect.bisect_left(event_day, days[0]), bisect.bisect_right(event_day, days[-1])
        counts = Counter(of_kinds(archive.event_entities[offsets[start]:offsets[stop]]))
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        leaders += [e for e, _ in ranked[:limit]]
    return leaders


def overview(archive: Archive, *, kinds: tuple[str, ...] = ("context",),
             max_nodes: int = DEFAULT_MAX_NODES) -> Overview:
    """Choose, connect, colour and lay out the entities of the first view.

    Parameters
    ----------
    archive : Archive
    kinds : tuple of str
        Entity kinds to draw (``"context"``, ``"publisher"``).
    max_nodes : int
        At most this many entities; 0 for all that have events.

    Returns
    -------
    Overview
    """
    import networkx as nx

    codes = frozenset(ENTITY_KINDS.index(k) for k in kinds)
    counts = _event_counts(archive, codes)
    ranked = sorted(counts, key=lambda e: (-counts[e], archive.entity_name[e].casefold(), e))
    limit = max_nodes if max_nodes > 0 else len(ranked)
    chosen = ranked[:limit]
    if len(ranked) > limit:
        # Leaders of periods replace the tail, so that a brushed month has its own entities.
        leaders = [e for e in dict.fromkeys(_period_leaders(archive, codes, _LEADERS_PER_PERIOD))
                   if e not in set(chosen)]
        keep = max(limit - len(leaders), -(-limit * 2 // 3))  # (two thirds, rounded up: a view of one is the top)
        chosen = chosen[:keep] + leaders[:limit - keep]
        chosen.sort(key=lambda e: (-counts[e], archive.entity_name[e].casefold(), e))
    position = {e: i for i, e in enumerate(chosen)}

    pairs: Counter[tuple[int, int]] = Counter()
    for event in range(len(archive.event_day)):
        named = sorted({position[e] for e in archive.entities_of(event) if e in position})
        for a in range(len(named)):
            for b in range(a + 1, len(named)):
                pairs[named[a], named[b]] += 1
    strongest: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for pair, weight in pairs.items():
        for end in pair:
            strongest.setdefault(end, []).append((weight, pair))
    kept: set[tuple[int, int]] = set()
    for items in strongest.values():
        items.sort(key=lambda item: (-item[0], item[1]))
        kept.update(pair for _, pair in items[:_EDGES_PER_NODE])
    edges = tuple(sorted((a, b, pairs[a, b]) for a, b in kept))

    G: nx.Graph[int] = nx.Graph()
    G.add_nodes_from(range(len(chosen)))
    G.add_weighted_edges_from((a, b, pairs[a, b]) for a, b in pairs)
    communities = nx.community.louvain_communities(G, weight="weight", seed=7) if pairs else []
    # Community 0 is the one with the most events, and so on.
    communities.sort(key=lambda c: (-sum(counts[chosen[i]] for i in c), min(c)))
    community = [0] * len(chosen)
    for number, members in enumerate(communities):
        for i in members:
            community[i] = number

    largest = counts[ranked[0]] if ranked else 1
    sizes = [node_size(counts[e], largest) for e in chosen]
    fonts = [font_size(counts[e], largest) for e in chosen]
    boxes = [label_box(archive.entity_name[e], s, f) for e, s, f in zip(chosen, sizes, fonts, strict=False)]
    x, y = _positions(edges, boxes)
    return Overview(tuple(chosen), tuple(ranked), tuple(counts[e] for e in chosen), x, y,
                    tuple(sizes), tuple(fonts), tuple(community), edges, largest)


def _positions(edges: tuple[tuple[int, int, int], ...],
               boxes: list[Box]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    import inspect

    import networkx as nx

    n = len(boxes)
    if n == 0:
        return (), ()
    # The layout follows the drawn skeleton (log weights, so one huge pair does not
    # collapse).  It is then shrunk until the boxes would fill the area twice over,
    # and `separate` pushes them apart: a compact drawing, wider than tall like a screen.
    skeleton: nx.Graph[int] = nx.Graph()
    skeleton.add_nodes_from(range(n))
    skeleton.add_weighted_edges_from((a, b, 1.0 + math.log(w)) for a, b, w in edges)
    # From 500 nodes networkx (3.5 and later: the one with a layout `method`) minimizes the layout's energy
    # over every pair of nodes at each step (0.1 s a step at 1,000): 60 steps draw the same communities as
    # 200, in under a third of the time.  An older one moves the nodes by forces: 200 steps.
    energy = n >= _ENERGY_NODES and "method" in inspect.signature(nx.spring_layout).parameters
    pos = nx.spring_layout(skeleton, weight="weight", seed=7, iterations=60 if energy else 200)
    area = sum(b.width * b.height for b in boxes)
    scale = math.sqrt(area / 2.0) / 2.0
    xs = [float(pos[i][0]) * scale * _ASPECT for i in range(n)]
    ys = [float(pos[i][1]) * scale for i in range(n)]
    return separate(xs, ys, boxes)
