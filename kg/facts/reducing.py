"""The reduce steps: all the facts of one key give that subject's part of the graph.

Each function here takes the facts of *one* key and nothing else but the
:class:`Identity` of events, a small table (one row per event) decided by
the first two reduces and then shared with every later one, as a broadcast
join would.  So any executor may run them, in any order and in any process,
one key at a time; :mod:`kg.facts.engine` chains them.

The rules are decided here, once: which page is kept for an event and which
duplicates merge into it (:func:`reduce_claims`, :func:`reduce_contents`),
whether a link names an event of the corpus or an external one
(:func:`reduce_links`), how repeated Related lines merge (:func:`reduce_pair`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from kg.diagnostics import Diagnostic, diagnostic
from kg.facts.records import DAY, RELATED, DayClaim, EventClaim, LinkFact, page_key
from kg.parse.slug import slugify

__all__ = [
    "Identity",
    "LinkOutcome",
    "PairLink",
    "reduce_claims",
    "reduce_contents",
    "reduce_links",
    "reduce_pair",
    "reduce_day",
    "link_order",
    "unlisted_diagnostics",
]


@dataclass(frozen=True, slots=True)
class Identity:
    """Which page stands for each event: what every later reduce needs to know.

    ``kept`` maps an event key to the claim of the page kept for it; ``alias``
    maps the key of an event merged into another (same content) to that one.
    """

    kept: dict[str, EventClaim]
    alias: dict[str, str]

    def resolve(self, key: str) -> str:
        """The key an event link lands on, after merging."""
        return self.alias.get(key, key)


@dataclass(frozen=True, slots=True)
class PairLink:
    """A Related line once its target is known: keyed by ``(source, target)``."""

    source: str
    target: str
    rank: int
    order: int
    contexts: tuple[str, ...]
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    """What the links naming one event give: the external event's headline
    (``None`` if the event is in the corpus), the Related lines to it, the
    day entries listing it (as ``(date, page path, order)``), and diagnostics."""

    key: str
    external: str | None
    pairs: tuple[PairLink, ...]
    listings: tuple[tuple[str, str, int], ...]
    diagnostics: tuple[Diagnostic, ...]


def reduce_claims(claims: Sequence[EventClaim]) -> tuple[EventClaim, tuple[EventClaim, ...]]:
    """The page kept for one event key (the first by path) and the duplicates."""
    ordered = sorted(claims, key=lambda c: c.path)
    return ordered[0], tuple(ordered[1:])


def reduce_contents(winners: Sequence[EventClaim]) -> tuple[EventClaim, list[tuple[str, str]], list[Diagnostic]]:
    """Event pages with the same content are one event: the one named as its headline reads is kept
    (its slug), else the first by key.

    A copy planted under a name that sorts first (``%FF%FE.md``, ``0.md``) is so merged into the
    page, not the page into it.  Returns the kept claim, ``(key, kept key)`` aliases and a
    diagnostic per page merged.
    """
    ordered = sorted(winners, key=lambda c: (page_key(c.key).slug != slugify(c.headline), c.key))
    first = ordered[0]
    aliases = [(c.key, first.key) for c in ordered[1:]]
    problems = [diagnostic(c.path, 0, "duplicate-page",
                           f"same headline, day and items as {first.path}; merged into it")
                for c in ordered[1:]]
    return first, aliases, problems


def duplicate_diagnostics(key: str, duplicates: Iterable[EventClaim], identity: Identity) -> list[Diagnostic]:
    """A diagnostic for each further page of one event key."""
    into = identity.kept[identity.resolve(key)].path
    return [diagnostic(c.path, 0, "duplicate-page", f"same event as {into}; merged into it")
            for c in duplicates]


def link_order(link: LinkFact) -> tuple[int, str, int]:
    """The order of the links that name one event: the first one's text names an external event."""
    # Related lines by their event, then day entries by their page: the order
    # in which the first link text names an external event.
    return (0, link.source, link.order) if link.via == RELATED else (1, link.path, link.order)


def reduce_links(key: str, links: Sequence[LinkFact], identity: Identity, *,
                 ordered: bool = False, unread: Collection[str] = ()) -> LinkOutcome:
    """All live links naming one event (``key``, already resolved through aliases).

    ``ordered`` says the links come in :func:`link_order` already; ``unread``
    are the keys of event pages that could not be read
    (:func:`kg.facts.mapping.unread_key`): a link to one is said to be so.
    """
    if not ordered and len(links) > 1:
        links = sorted(links, key=link_order)
    claim = identity.kept.get(key)
    problems: list[Diagnostic] = []
    pairs: list[PairLink] = []
    listings: list[tuple[str, str, int]] = []
    for link in links:
        if claim is None:
            # (unread: a page there that gave no event: binary, empty, too large, no headline ...)
            why = "whose page gave no event (its own diagnostics say why)" if key in unread \
                else "which is not in the corpus"
            problems.append(diagnostic(link.path, link.line, "unresolved-link",
                                       f"{link.via} link to {link.written}, {why}"))
        elif link.headline and link.headline != claim.headline:
            problems.append(diagnostic(link.path, link.line, "headline-mismatch",
                                       f"{link.via} link text differs from the headline of {claim.path}"))
        if link.via == DAY:
            listings.append((link.source, link.path, link.order))
            if not key.startswith(link.source + "/"):  # (a key is "date/slug")
                problems.append(diagnostic(link.path, link.line, "listed-on-other-day",
                                           f"the day page of {link.source} lists {link.written}, an event of "
                                           f"{key.split('/', 1)[0]}; kept as listed"))
        elif link.source == key:
            problems.append(diagnostic(link.path, link.line, "self-link", "related link to the page itself dropped"))
        else:
            pairs.append(PairLink(link.source, key, link.rank, link.order, link.contexts, link.path, link.line))
    external = links[0].headline if claim is None and links else None
    return LinkOutcome(key, external, tuple(pairs), tuple(listings), tuple(problems))


def unlisted_diagnostics(kept: Iterable[tuple[str, str]], listed: Collection[str]) -> list[Diagnostic]:
    """A diagnostic for each kept event ``(key, page path)`` whose key no day page lists.

    ``listed`` holds the keys (after merging) that some day page lists: the
    keys of the :class:`LinkOutcome` with listings.  An event listed on no
    day page stays on the day its path gives.

    Examples
    --------
    >>> [d] = unlisted_diagnostics([("2015-09-07/a", "news/2015/09/7/a.md"),
    ...                             ("2015-09-07/b", "news/2015/09/7/b.md")], {"2015-09-07/b"})
    >>> d.path, d.code
    ('news/2015/09/7/a.md', 'unlisted-event')
    >>> d.message
    'no day page lists this event (news/2015/09/7/index.md lists the events of 2015-09-07); kept on that day'
    """
    return [diagnostic(path, 0, "unlisted-event",
                       f"no day page lists this event ({posixpath.dirname(path)}/index.md lists the events of "
                       f"{key[:10]}); kept on that day")
            for key, path in kept if key not in listed]


def reduce_pair(links: Sequence[PairLink]) -> tuple[PairLink, list[Diagnostic]]:
    """The Related lines of one page to one event: the first, with every line's contexts."""
    ordered = sorted(links, key=lambda p: p.order)
    first = ordered[0]
    contexts = list(first.contexts)
    problems = []
    for later in ordered[1:]:
        contexts.extend(c for c in later.contexts if c not in contexts)
        problems.append(diagnostic(later.path, later.line, "duplicate-item",
                                   f"second related link to {page_key(first.target).path}; contexts merged"))
    if len(ordered) > 1:
        first = PairLink(first.source, first.target, first.rank, first.order, tuple(contexts), first.path,
                         first.line)
    return first, problems


def reduce_day(claims: Sequence[DayClaim]) -> tuple[DayClaim, list[Diagnostic]]:
    """The page kept for one day (the first by path) and a diagnostic per further one."""
    ordered = sorted(claims, key=lambda c: c.path)
    first = ordered[0]
    problems = [diagnostic(c.path, 0, "duplicate-page",
                           f"second day page for {c.date}; merged into {first.path}") for c in ordered[1:]]
    return first, problems
