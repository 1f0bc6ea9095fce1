"""The subjects one page's facts are about, and what the page says of each.

The map keys each fact by the subject it describes (:mod:`kg.facts.records`).
:func:`page_subjects` lists, for one page, every subject of the graph its
facts reach (:func:`page_subject_keys`: only those), each with a value that
changes exactly when what the page says about that subject changes.  That is
all an incremental build needs to know (:mod:`kg.incremental.rebuild`): the
subjects whose values differ between a changed page's old and new facts are
the ones to reduce again, and the pages that hold those subjects are what
they are reduced from.

A subject is ``(family, identity)``; the families are the node kinds of the
output files.  Each family is one of three sorts:

- :data:`HELD`: reduced again from every page that holds it (an event from its
  page and the links naming it; a day from its page and the events on it; an
  article from the pages that cite it), so the cache indexes who holds them;
- :data:`COUNTED`: there while any page holds it, and then the same whatever
  page does (a publisher, organization, context or image): a count is enough
  (an organization's label is the spelling that most pages hold:
  :func:`organization_pages`);
- :data:`OWN`: made from the pages already loaded for the others (a page's
  ``kg:Page`` node from that page; a pair of events from the two events' own
  pages, loaded since a change of the pair changes what the page says of the
  other event).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TypeAlias

from kg.facts.records import EventClaim, PageFacts
from kg.parse.publishers import organizations_of

__all__ = ["Subject", "page_subjects", "page_subject_keys", "pair_subject", "pair_keys", "organization_pages", "HELD",
           "COUNTED", "OWN", "FAMILIES"]

#: ``(family, identity)``: an event key, a date, a URL, a name, a page path or a pair of event keys.
Subject: TypeAlias = tuple[str, str]

HELD = ("events", "days", "articles")
COUNTED = ("publishers", "organizations", "contexts", "images")
OWN = ("shared", "pages")
FAMILIES = HELD + COUNTED + OWN

#: Between the two event keys of a ``shared`` subject: no key holds it (a file name cannot,
#: a link with it is refused), where a space may be in a slug.
_PAIR = "\x00"


def organization_pages(claims: Iterable[EventClaim]) -> Counter[str]:
    """How many of the pages of ``claims`` hold each organization spelling (an ``organizations`` subject of
    each): an organization is named by the spelling that most pages write
    (:func:`kg.parse.publishers.label_organizations`).

    >>> from kg.facts.records import EventClaim
    >>> claims = [EventClaim("2015-09-01/a", "a.md", "A", "", (("AFP via Straits Times", "u"),), ()),
    ...           EventClaim("2015-09-01/b", "b.md", "B", "", (("StraitsTimes", "v"), ("Straits Times", "w")), ())]
    >>> sorted(organization_pages(claims).items())
    [('AFP', 1), ('Straits Times', 2), ('StraitsTimes', 1)]
    """
    return Counter(o for claim in claims for o in _organizations(claim))


def _organizations(claim: EventClaim) -> tuple[str, ...]:
    return organizations_of(p for p, _ in claim.sources)


def pair_subject(first: str, second: str) -> str:
    """The identity of the pair of events ``first < second`` (a ``shared`` subject).

    >>> pair_keys(pair_subject("2015-09-01/a b", "2015-09-02/c"))
    ('2015-09-01/a b', '2015-09-02/c')
    """
    return f"{first}{_PAIR}{second}"


def pair_keys(identity: str) -> tuple[str, str]:
    """The two event keys of a ``shared`` subject's identity."""
    first, second = identity.split(_PAIR)
    return first, second


def page_subjects(facts: PageFacts) -> dict[Subject, object]:
    """Every subject one page's facts reach, with what the page says of it.

    Line numbers are left out of the values: they change the page's own
    diagnostics only, not any subject.

    Examples
    --------
    >>> import datetime as dt
    >>> from kg.facts.mapping import page_facts
    >>> from kg.parse.records import EventPage, PageKey, ParsedPage, RelatedItem, SourceItem
    >>> page = EventPage("news/2015/09/1/a.md", PageKey(dt.date(2015, 9, 1), "a"), "A", 1, None,
    ...                  sources=(SourceItem("AP via CNN", "https://cnn.example/a", 3),),
    ...                  related=(RelatedItem("B", "../2/b.md", ("Iran",), 1, 9),))
    >>> sorted(page_subjects(page_facts(ParsedPage(page.path, page))))  # doctest: +NORMALIZE_WHITESPACE
    [('articles', 'https://cnn.example/a'), ('contexts', 'Iran'), ('days', '2015-09-01'),
     ('events', '2015-09-01/a'), ('events', '2015-09-02/b'), ('organizations', 'AP'),
     ('organizations', 'CNN'), ('pages', 'news/2015/09/1/a.md'), ('publishers', 'AP via CNN'),
     ('shared', '2015-09-01/a\\x002015-09-02/b')]
    """
    found: dict[Subject, object] = {}
    gathered: defaultdict[Subject, list[object]] = defaultdict(list)
    if facts.event is not None:
        claim = facts.event
        found["pages", facts.path] = "event"
        found["events", claim.key] = (claim.path, claim.headline, claim.sources, claim.images,
                                      tuple((k.target, k.rank, k.order, k.headline, k.contexts) for k in claim.links))
        found["days", claim.key[:10]] = "an event"
        for link in claim.links:
            if link.target == claim.key:
                continue  # a self-link is dropped: it says nothing of any other subject
            gathered["events", link.target].append((link.rank, link.order, link.headline, link.contexts))
            first, second = sorted((claim.key, link.target))
            gathered["shared", pair_subject(first, second)].append(link.contexts)
            found.update((("contexts", c), True) for c in link.contexts)
        for publisher, url in claim.sources:
            gathered["articles", url].append(publisher)
            found["publishers", publisher] = True
        found.update((("organizations", o), True) for o in _organizations(claim))
        found.update((("images", url), True) for url in claim.images)
    elif facts.day is not None:
        day = facts.day
        found["pages", facts.path] = "day"
        found["days", day.date] = (day.path, day.label, tuple((k.target, k.order) for k in day.links))
        for link in day.links:
            gathered["events", link.target].append((link.source, link.order, link.headline))
    found.update((subject, tuple(values)) for subject, values in gathered.items())
    return found


def page_subject_keys(facts: PageFacts) -> set[Subject]:
    """The subjects of :func:`page_subjects`, without what the page says of them.

    What the cache indexes for every page it stores: a first build stores
    every page, and making the values too cost it a third more.

    Examples
    --------
    A day page of the sample holds its day, its own page and the events it lists:

    >>> from kg.facts.executors import parse_file
    >>> from kg.facts.mapping import page_facts
    >>> rel = "news/2015/09/1/index.md"
    >>> keys = page_subject_keys(page_facts(parse_file(rel, f"examples/wcep-2015-09/{rel}")))
    >>> sorted({family for family, _ in keys}), ("days", "2015-09-01") in keys
    (['days', 'events', 'pages'], True)
    """
    keys: set[Subject] = set()
    add = keys.add
    if facts.event is not None:
        claim = facts.event
        add(("pages", facts.path))
        add(("events", claim.key))
        add(("days", claim.key[:10]))
        for link in claim.links:
            if link.target == claim.key:
                continue
            add(("events", link.target))
            add(("shared", pair_subject(*sorted((claim.key, link.target)))))
            for context in link.contexts:
                add(("contexts", context))
        for publisher, url in claim.sources:
            add(("articles", url))
            add(("publishers", publisher))
        keys.update(("organizations", o) for o in _organizations(claim))
        keys.update(("images", url) for url in claim.images)
    elif facts.day is not None:
        add(("pages", facts.path))
        add(("days", facts.day.date))
        keys.update(("events", link.target) for link in facts.day.links)
    return keys
