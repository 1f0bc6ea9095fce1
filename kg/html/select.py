"""Choose what a page draws: types, a date range, an ego network, a size cap.

The steps run in this order, each on what the previous one kept:

1. **dates** (``since``/``until``): events and days in the range, and what
   they reach by following edges forward into undated nodes (their
   articles, images and contexts, and those articles' publishers);
2. **types**: only nodes of the listed types;
3. **focus** (``focus``/``depth``): nodes within ``depth`` hops of the nodes
   named ``focus``;
4. **cap** (``max_nodes``): the nodes nearest the focus, else the most
   connected ones, with a :attr:`View.notice` saying what was left out.

The page's own date filter follows rule 1 too, so both agree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.errors import KgError
from kg.html.network import NetEdge, NetNode, Network, to_network
from kg.html.style import NODE_TYPES

if TYPE_CHECKING:  # pragma: no cover
    from kg.model import KnowledgeGraph

__all__ = ["ViewError", "ViewOptions", "View", "select_view", "DEFAULT_MAX_NODES", "parse_types"]

#: Nodes a page draws unless told otherwise: enough for a month of news,
#: few enough that vis-network stays fluid without physics.
DEFAULT_MAX_NODES = 2000


class ViewError(KgError, ValueError):
    """A view that cannot be made: unknown type, nothing to focus on, bad range."""


@dataclass(frozen=True, slots=True)
class ViewOptions:
    """What to draw; see the module docstring for how each option acts.

    ``types`` ``None`` means every type; ``max_nodes`` ``None`` or 0 means no cap.
    """

    focus: str | None = None
    depth: int = 1
    since: dt.date | None = None
    until: dt.date | None = None
    types: tuple[str, ...] | None = None
    max_nodes: int | None = DEFAULT_MAX_NODES

    def describe(self) -> str:
        """A short text of the options that narrow the view ('' if none)."""
        parts = []
        if self.focus is not None:
            parts.append(f"focus {self.focus!r}, depth {self.depth}")
        if self.since or self.until:
            since = self.since.isoformat() if self.since else "…"
            until = self.until.isoformat() if self.until else "…"
            parts.append(f"{since} to {until}")
        if self.types is not None:
            parts.append("types " + ", ".join(self.types))
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class View:
    """The nodes and edges a page draws, and what the selection left out.

    ``total`` counts nodes per type in the whole graph, ``omitted`` those
    that passed the filters but not the cap; ``notice`` says so in words
    ('' when nothing was capped).
    """

    nodes: tuple[NetNode, ...]
    edges: tuple[NetEdge, ...]
    options: ViewOptions
    total: Mapping[str, int]
    omitted: Mapping[str, int]
    notice: str = ""

    def count(self) -> dict[str, int]:
        """Number of nodes per type, then of edges per type (one dict)."""
        return dict(Counter(n.kind for n in self.nodes) + Counter(e.kind for e in self.edges))


def parse_types(types: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """Check node type names (a list or a comma-separated string).

    >>> parse_types("event, context")
    ('event', 'context')
    >>> parse_types("events")
    Traceback (most recent call last):
    ...
    kg.html.select.ViewError: unknown node type(s) ['events']; known: event, day, article, publisher, image, context
    """
    if types is None:
        return None
    names = [t.strip() for t in (types.split(",") if isinstance(types, str) else types)]
    names = [t for t in names if t]
    unknown = [t for t in names if t not in NODE_TYPES]
    if unknown or not names:
        raise ViewError(f"unknown node type(s) {unknown}; known: {', '.join(NODE_TYPES)}")
    return tuple(dict.fromkeys(names))


def _date(value: dt.date | str | None, what: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as err:
        raise ViewError(f"{what} must be a date YYYY-MM-DD, not {value!r}") from err


def select_view(graph: KnowledgeGraph | Network, *, focus: str | None = None, depth: int = 1,
                since: dt.date | str | None = None, until: dt.date | str | None = None,
                types: str | Iterable[str] | None = None,
                max_nodes: int | None = DEFAULT_MAX_NODES) -> View:
    """Select the part of a graph that a page draws.

    Parameters
    ----------
    graph : KnowledgeGraph or Network
    focus : str, optional
        A node's name (a context, publisher, day ``YYYY-MM-DD``, headline or
        URL; case does not matter) or IRI.  If no name is equal, every node
        whose name contains ``focus`` is a centre.
    depth : int
        Hops from the focus (ignored without ``focus``).
    since, until : date or ISO string, optional
        The date range (inclusive) of events and days.
    types : str or list of str, optional
        Node types to keep (see :data:`kg.html.style.NODE_TYPES`).
    max_nodes : int, optional
        The cap; ``None`` or 0 for none.

    Returns
    -------
    View

    Raises
    ------
    ViewError
        For an unknown type, a reversed date range or a focus that names nothing.

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> view = select_view(g, focus="Iran", depth=1)
    >>> sorted(view.count().items())[:3]
    [('context', 1), ('event', 5), ('has-context', 5)]
    >>> select_view(g, max_nodes=100).notice.split(":")[0]
    'Showing the 100 most connected of 1,518 nodes'
    """
    options = ViewOptions(focus, depth, _date(since, "since"), _date(until, "until"),
                          parse_types(types), max_nodes)
    if options.since and options.until and options.since > options.until:
        raise ViewError(f"since ({options.since}) is after until ({options.until})")
    if depth < 0:
        raise ViewError(f"depth must be 0 or more, not {depth}")
    if max_nodes is not None and max_nodes < 0:
        raise ViewError(f"max_nodes must be 0 or more, not {max_nodes}")
    net = graph if isinstance(graph, Network) else to_network(graph)
    keep = _in_range(net, options.since, options.until)
    if options.types is not None:
        allowed = set(options.types)
        keep = {i for i in keep if net.nodes[i].kind in allowed}
    edges = [e for e in net.edges if e.source in keep and e.target in keep]
    distance: dict[str, int] = {}
    if focus is not None:
        distance = _ego(net, keep, edges, focus, depth)
        keep = set(distance)
        edges = [e for e in edges if e.source in keep and e.target in keep]
    keep, omitted = _cap(net, keep, edges, distance, max_nodes or 0)
    if omitted:
        edges = [e for e in edges if e.source in keep and e.target in keep]
    nodes = tuple(n for i, n in net.nodes.items() if i in keep)
    total = Counter(n.kind for n in net.nodes.values())
    return View(nodes, tuple(edges), options, dict(total), omitted,
                _notice(len(keep), len(keep) + sum(omitted.values()), omitted, bool(distance)))


def _in_range(net: Network, since: dt.date | None, until: dt.date | None) -> set[str]:
    if since is None and until is None:
        return set(net.nodes)
    low, high = since or dt.date.min, until or dt.date.max
    kept = {i for i, n in net.nodes.items() if n.date is not None and low <= n.date <= high}
    forward: dict[str, list[str]] = defaultdict(list)
    for e in net.edges:
        if net.nodes[e.target].date is None:
            forward[e.source].append(e.target)
    queue = deque(kept)
    while queue:
        for target in forward.get(queue.popleft(), ()):
            if target not in kept:
                kept.add(target)
                queue.append(target)
    return kept


def _centres(net: Network, keep: set[str], focus: str) -> list[str]:
    wanted = focus.casefold().strip()
    if focus in keep:
        return [focus]
    equal = [i for i in keep if net.nodes[i].name.casefold() == wanted]
    if equal:
        return equal
    return [i for i in keep if wanted in net.nodes[i].name.casefold()]


def _ego(net: Network, keep: set[str], edges: list[NetEdge], focus: str, depth: int) -> dict[str, int]:
    centres = _centres(net, keep, focus)
    if not centres:
        raise ViewError(f"no node in the view is named {focus!r} or has it in its name")
    neighbours: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        neighbours[e.source].append(e.target)
        neighbours[e.target].append(e.source)
    distance = {c: 0 for c in centres}
    queue = deque(centres)
    while queue:
        node = queue.popleft()
        if distance[node] == depth:
            continue
        for other in neighbours.get(node, ()):
            if other not in distance:
                distance[other] = distance[node] + 1
                queue.append(other)
    return distance


def _cap(net: Network, keep: set[str], edges: list[NetEdge], distance: dict[str, int],
         limit: int) -> tuple[set[str], dict[str, int]]:
    if not limit or len(keep) <= limit:
        return keep, {}
    degree: Counter[str] = Counter()
    for e in edges:
        degree[e.source] += 1
        degree[e.target] += 1
    ranked = sorted(keep, key=lambda i: (distance.get(i, 0), -degree[i], i))
    kept = set(ranked[:limit])
    omitted = Counter(net.nodes[i].kind for i in ranked[limit:])
    return kept, {k: omitted[k] for k in NODE_TYPES if omitted[k]}


def _notice(shown: int, candidates: int, omitted: Mapping[str, int], focused: bool) -> str:
    if not omitted:
        return ""
    which = "nearest the focus" if focused else "most connected"
    left = ", ".join(f"{n:,} {NODE_TYPES[k].label.lower()} nodes" for k, n in omitted.items())
    return (f"Showing the {shown:,} {which} of {candidates:,} nodes: left out {left}. "
            "To see them, narrow the view (focus and depth, since and until, types) "
            "or raise the node limit (max-nodes).")
