"""The events of a graph as the questions read them: one :class:`EventRow` each, and the names they are asked by.

:func:`event_rows` computes, once per graph (see :mod:`kg.memo`), what the
questions of :mod:`kg.query.questions` need of each event: its contexts,
its publishers as written, their makers and distributors, its headline's
words.  :func:`event_key` reads an event named by key, record, path or IRI;
:func:`name_index` the names of contexts and publishers that a filter may
give, IRIs and prefixed names included.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass

from kg import iri
from kg.arguments import a_kind_of
from kg.callsite import warn_at_caller
from kg.errors import ArgumentError, ArgumentTypeError, UnknownEventError, UnknownNameError
from kg.memo import GraphMemo
from kg.model import Event, KnowledgeGraph
from kg.parse.publishers import split_publisher, web_domain
from kg.parse.records import PageKey
from kg.query.names import AllOf, Match, NameFilter, NameIndex
from kg.query.pnames import unescaped_local
from kg.query.textsearch import headline_words, searchable
from kg.ranking import in_capitals
from kg.read.paths import padded_day, parse_page_path
from kg.table import organization_labels, organizations, organizations_not_written_alone

__all__ = ["EventRow", "FILTER_ADVICE", "TIMELINE_ADVICE", "event_rows", "event_key", "match_names", "name_index",
           "say_alike_names"]

#: per graph: its event rows, and the index of its names of each kind
_ROWS: GraphMemo[list[EventRow]] = GraphMemo("questions.rows")
_EVENT_IRIS: GraphMemo[dict[str, PageKey]] = GraphMemo("questions.event_iris")
#: per graph: each headline as typed (kg.parse.text.typed_form, no closing punctuation) -> the events it heads
_HEADLINES: GraphMemo[dict[str, list[PageKey]]] = GraphMemo("questions.event_headlines")
_INDEXES: dict[str, GraphMemo[NameIndex]] = {kind: GraphMemo(f"questions.{kind}_index")
                                             for kind in ("context", "publisher", "source", "distributor", "domain")}


@dataclass(frozen=True, slots=True)
class EventRow:
    """What the questions need of one event, computed once per graph."""

    key: PageKey
    headline: str
    in_corpus: bool
    contexts: tuple[str, ...]
    sources: tuple[str, ...]
    publishers: tuple[str, ...]  # the organizations that made its articles, each by its label
    distributors: tuple[str, ...]
    domains: tuple[str, ...]
    folded: str  # the headline as a text= filter reads it (see kg.query.textsearch)
    words: frozenset[str]  # its words, and each short plural's stem as "stem+s"
    #: every name a publisher filter may match: as written, publishers and distributors (each by every
    #: spelling of it), and the IRI of each publisher node as written (which a filter given that IRI
    #: matches alone)
    outlets: frozenset[str]


def _row(graph: KnowledgeGraph, event: Event, labels: dict[str, str],
         spellings: dict[str, tuple[str, ...]]) -> EventRow:
    names = tuple(sorted({p for url in event.sources for p in graph.articles[url].publishers}))
    outlets = [split_publisher(n) for n in names]
    # Each column sorted, as the events frame says (the tuples of one row do not pair up anyway: an
    # article may have two publishers, a publisher several articles).
    makers = tuple(sorted({labels.get(p, p) for o in outlets for p in o.publishers}))
    carriers = tuple(sorted({labels.get(o.distributor, o.distributor) for o in outlets if o.distributor}))
    return EventRow(
        event.key, event.headline, event.in_corpus, graph.event_contexts.get(event.key, ()), names,
        makers, carriers, tuple(sorted({web_domain(url) for url in event.sources})),
        (folded := searchable(event.headline)), headline_words(folded, event.headline),
        frozenset((*names, *(s for o in (*makers, *carriers) for s in spellings.get(o, (o,))),
                   *(iri.publisher_iri(graph.base_iri, n) for n in names))))


def event_rows(graph: KnowledgeGraph) -> list[EventRow]:
    """Every event as an :class:`EventRow`, by date, then in its day page's order, then by path (the
    events no day page lists) (cached per graph)."""
    def compute() -> list[EventRow]:
        labels = organization_labels(graph)  # (spellings of one organization count as one)
        spellings: dict[str, tuple[str, ...]] = {}
        for name, label in labels.items():
            spellings[label] = (*spellings.get(label, ()), name)
        rows = [_row(graph, e, labels, spellings) for e in graph.event_records.values()]
        listed = {key: at for day in graph.days.values() for at, key in reversed(list(enumerate(day.listed)))
                  if key.date == day.date}  # (an event listed on another day's page keeps its own day's place)
        rows.sort(key=lambda r: (r.key.date, listed.get(r.key, len(listed)), r.key.path))
        return rows

    return _ROWS.get(graph, compute)


def event_key(graph: KnowledgeGraph, event: PageKey | Event | str, *, headline: bool = True) -> PageKey:
    r"""The key of an event named by key, record, page path (with or without its ``news/``), IRI or
    headline (in any case, with or without its closing full stop, when only one event has it; not with
    ``headline=False``, where a name may be an entity's), or a row of an answer that has an ``iri``
    (``kg.events(g).iloc[0]``).

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> key = next(iter(g.event_records))
    >>> event_key(g, key.path) == event_key(g, g.event_records[key]) == key
    True
    >>> event_key(g, "event:" + key.date.isoformat() + "\\/" + key.slug) == key  # as kg query prints it
    True
    >>> d = key.date  # a day written as the site's folders write it, or with the zeros that they drop
    >>> event_key(g, f"event:{d.year}-{d.month}-{d.day}/{key.slug}") == key
    True
    >>> event_key(g, f"{d:%Y/%m/%d}/{key.slug}.md") == key
    True
    >>> event_key(g, g.event_records[key].headline.upper().rstrip(".")) == key
    True
    >>> event_key(g, kg.events(g).iloc[0]) == kg.events(g)["path"].map(lambda p: event_key(g, p)).iloc[0]
    True
    """
    key: PageKey | None
    row: object = event
    if not isinstance(row, (Event, PageKey, str)) and callable(getter := getattr(row, "get", None)) and \
            isinstance(named := getter("iri"), str):  # a row of an answer (a pandas Series, a dict): its IRI
        return event_key(graph, named, headline=False)
    if isinstance(event, Event):
        key = event.key
    elif isinstance(event, PageKey):
        key = event
    elif isinstance(event, str):
        text = event
        prefix = iri.event_folder_iri(graph.base_iri)
        if text.startswith("event:"):  # as kg query prints it (event:2015-09-30\/a-flag), or unescaped
            text = prefix + unescaped_local(text[len("event:"):])
        if text.startswith(prefix):
            iris = _EVENT_IRIS.get(graph, lambda: {
                iri.event_iri(graph.base_iri, k): k for k in graph.event_records})
            day, slash, slug = text[len(prefix):].partition("/")  # (its day as the site's folders write it too)
            key = iris.get(text) or iris.get(prefix + padded_day(day) + slash + slug)
        else:
            path = text.lstrip("/")
            # (the month and day with or without their zeros: a day has one page path, as the corpus writes it)
            key = parse_page_path(path if path.startswith("news/") else "news/" + path, exact=False).key
            if headline and (key is None or key not in graph.event_records):
                key = _headed(graph, text)
    else:
        raise ArgumentTypeError(f"cannot name an event by {a_kind_of(event)}")
    if key is None or key not in graph.event_records:
        raise UnknownEventError(f"no event {event!r} in the graph{_same_slug(graph, event, key)} (name one by its "
                                "page's path, its IRI, event:DATE/SLUG as kg query prints it, or its headline)")
    return key


def _same_slug(graph: KnowledgeGraph, event: object, key: PageKey | None) -> str:
    """A hint: the events of the slug that ``event`` names, on other days (a day mistyped)."""
    slug = key.slug if key is not None else str(event).rstrip("/").rpartition("/")[2].removesuffix(".md")
    others = sorted(k for k in graph.event_records if k.slug == slug)
    if not others:
        return ""
    said = " or ".join(f"event:{k.date.isoformat()}/{k.slug}" for k in others[:2])
    return f": did you mean {said}{' ...' if len(others) > 2 else ''}?"


def _headed(graph: KnowledgeGraph, text: str) -> PageKey | None:
    """The one event whose headline ``text`` is, read as typed; ``None`` if none; several are refused."""
    from kg.parse.text import typed_form

    def typed(headline: str) -> str:
        return typed_form(headline).strip().rstrip(" .!?;:")

    index = _HEADLINES.get(graph, lambda: _by_headline(graph, typed))
    keys = index.get(typed(text), [])
    if len(keys) > 1:
        raise UnknownEventError(f"{len(keys)} events have the headline {text!r} ({keys[0].path}, {keys[1].path}"
                                f"{', ...' if len(keys) > 2 else ''}): name one by its path or IRI")
    return keys[0] if keys else None


def _by_headline(graph: KnowledgeGraph, typed: Callable[[str], str]) -> dict[str, list[PageKey]]:
    index: dict[str, list[PageKey]] = {}
    for key, record in graph.event_records.items():
        index.setdefault(typed(record.headline), []).append(key)
    return index


#: per kind of name: the names of it that an event holds
_HELD: dict[str, Callable[[EventRow], Collection[str]]] = {
    "context": lambda r: r.contexts,
    "publisher": lambda r: {*r.sources, *r.publishers, *r.distributors},
    "source": lambda r: r.sources,
    "distributor": lambda r: r.distributors,
    "domain": lambda r: r.domains,
}


def name_index(graph: KnowledgeGraph, kind: str) -> NameIndex:
    """The known names of ``kind`` ("context", "publisher", "source": the names articles are credited
    under, as written, "distributor": the publishers that carry another's articles, or "domain": the web
    hosts of the articles cited), cached per graph."""
    memo = _INDEXES.get(kind)
    if memo is None:
        raise ArgumentError(f"no names of kind {kind!r}; known: {', '.join(_INDEXES)}")

    held = _HELD[kind]

    def compute() -> NameIndex:
        names: Collection[str] = (graph.contexts if kind == "context" else
                                  sorted({n for r in event_rows(graph) for n in held(r)}))
        # A name may be given as its IRI or prefixed name, as top_contexts' iri column or a query shows it.
        aliases = {}
        keyed: dict[str, str] = {}
        if kind == "context":
            for name in names:
                full = iri.context_iri(graph.base_iri, name)
                aliases[full] = aliases[f"context:{full.rpartition('/')[2]}"] = name
        elif kind == "publisher":  # a publisher node's IRI stands for itself: the events that cite it as written
            for name in graph.publishers:
                full = iri.publisher_iri(graph.base_iri, name)
                aliases[full] = aliases[f"publisher:{full.rpartition('/')[2]}"] = full
        elif kind == "source":  # a publisher node is a source as written: its IRI names it
            for name in graph.publishers:
                full = iri.publisher_iri(graph.base_iri, name)
                aliases[full] = aliases[f"publisher:{full.rpartition('/')[2]}"] = name
        if kind in ("publisher", "distributor"):
            # An organization's IRI or prefixed name, as top_publishers' iri column has it, and each of its
            # spellings, alone or prefixed (its label is among the names: "Al-Arabiya" stands for "Al Arabiya").
            known = set(names)
            # (and any name of an organization's key, written or not: "NBC" for "NBC News")
            keyed = {key: label for key, label in organizations(graph) if label in known}
            for name, label in organization_labels(graph).items():
                if label not in known:  # (a distributor filter knows the distributors only)
                    continue
                full = iri.organization_iri(graph.base_iri, name)
                aliases[full] = aliases[f"organization:{full.rpartition('/')[2]}"] = label
                if name != label:
                    aliases.setdefault(name, label)
                aliases.setdefault(f"organization:{iri.encode_name(name)}", label)  # (as a spelling ends an IRI)
        instead = {}
        if kind == "publisher":
            # publisher:AFP, which no source writes alone ("AFP via ..."), names no node: the organization does
            for name in organizations_not_written_alone(graph):
                full, node = iri.publisher_iri(graph.base_iri, name), iri.organization_iri(graph.base_iri, name)
                instead[full] = node
                instead[f"publisher:{full.rpartition('/')[2]}"] = f"organization:{node.rpartition('/')[2]}"
        rows = event_rows(graph)
        events = Counter(n for r in rows if r.in_corpus for n in held(r))  # (as the explorer counts them)
        return NameIndex(kind, names, aliases, instead, events, keyed)

    return memo.get(graph, compute)


#: For a filter's name that its kind does not hold but another does: per kind asked, the other kinds
#: looked in, each with what to say ({name}: as given; {known}: as the graph spells it).
FILTER_ADVICE: dict[str, dict[str, str]] = {
    "context": {"publisher": "{name!r} is a publisher's name: publisher={known!r} filters by it",
                "domain": "{name!r} is a web domain: top_publishers(by='domain') counts it, "
                          "and the events frame's domains column holds it"},
    "publisher": {"context": "{name!r} is a context: context={known!r} filters by it",
                  "domain": "{name!r} is a web domain, which publisher= does not match: "
                            "top_publishers(by='domain') counts it, and the events frame's domains column holds it"},
}

_DOMAIN, _CONTEXT = "{name!r} is a web domain: by='domain' counts it", "{name!r} is a context: by='context' counts it"
#: The same for a timeline's names, per ``by`` (a publisher's name asked as a context gets its prefixed name there).
TIMELINE_ADVICE: dict[str, dict[str, str]] = {
    "context": {"domain": _DOMAIN},
    "publisher": {"context": _CONTEXT, "domain": _DOMAIN},
    "source": {"publisher": "{name!r} is written only within other credits ('X via Y'): by='publisher' counts it",
               "context": _CONTEXT, "domain": _DOMAIN},
    "distributor": {"context": _CONTEXT, "domain": _DOMAIN},
    "domain": {"publisher": "{name!r} is a publisher's name: by='publisher' counts it", "context": _CONTEXT},
}


def match_names(graph: KnowledgeGraph, kind: str, value: NameFilter,
                advice: dict[str, dict[str, str]] = FILTER_ADVICE, *, say_alike: bool = True) -> Match:
    """``value`` matched among the names of ``kind`` (:meth:`NameIndex.match`); a name that kind does
    not hold but another kind does is refused saying so (``advice``), with the closest names of ``kind``.
    A context that the graph also writes otherwise but for case, accents, spaces or hyphens, as another
    node ("El Obeid", "El-Obeid"), is matched as asked, with a warning that names the other (unless
    ``say_alike`` is false: see :func:`say_alike_names`).

    Examples
    --------
    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> match_names(g, "context", "iran").names
    frozenset({'Iran'})
    >>> try:
    ...     match_names(g, "context", "The Guardian")
    ... except kg.UnknownNameError as err:
    ...     print(str(err).split("; ")[1])
    'The Guardian' is a publisher's name: publisher='The Guardian' filters by it
    """
    try:
        match = name_index(graph, kind).match(value)
    except UnknownNameError as err:
        name = err.name
        for other, said in advice.get(kind, {}).items():
            found = name_index(graph, other).names(name)  # (any spelling: a prefixed name, an IRI too)
            if found:
                # the one name it is; else the name as typed, which stands for every spelling it matched
                known = found[0] if len(found) == 1 else name
                closest = f"; or did you mean {', '.join(map(repr, err.suggestions))}?" if err.suggestions else ""
                raise UnknownNameError(kind, name, err.suggestions,
                                       "; " + said.format(name=name, known=known) + closest) from err
        host = web_domain(name if "://" in name else "http://" + name) if kind == "domain" and "/" in name else ""
        if host and host in name_index(graph, "domain"):  # (a URL: its host alone is a domain)
            raise UnknownNameError(kind, name, (host,), f"; domain= takes a web host, not a URL: domain={host!r} "
                                   "keeps the events citing an article of it") from err
        raise
    if say_alike:
        say_alike_names(graph, kind, match.names, value, advice)
    return match


def say_alike_names(graph: KnowledgeGraph, kind: str, names: Collection[str], value: object,
                    advice: dict[str, dict[str, str]] = FILTER_ADVICE) -> None:
    """Warn of the contexts that the graph writes as one of ``names`` but for case, accents, spaces or
    hyphens, and that ``names`` leave out, saying how to ask for them too, as ``advice``'s questions take
    names and as the filter ``value`` was given (one name, a list of any of them, or ``kg.all_of``).

    Examples
    --------
    >>> import kg, warnings
    >>> g = kg.build("examples/wcep-2015-09")
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error")
    ...     say_alike_names(g, "context", ["Iran"], "Iran")  # (written one way: nothing to say)
    """
    # (contexts only: a publisher's spellings are one organization, which a filter by one of them matches)
    if kind != "context":
        return
    index = name_index(graph, kind)
    alike = index.alike(names)
    # ("U.S." and "United States": a name and its initials in capitals, two nodes)
    initialled = {other: said for other, said in index.initialled(names).items() if other not in alike}
    if not alike and not initialled:
        return

    def events(n: int) -> str:
        return f"{n:,} event{'' if n == 1 else 's'}"

    spelt = "; ".join(f"{asked!r} as {other!r} too ({events(n)})" for other, (asked, n) in alike.items())
    written = [f"the graph writes {spelt}, alike but for case, accents, spaces or hyphens"] if alike else []
    for other, (asked, n) in initialled.items():
        written.append(f"{other!r} ({events(n)}) may be {asked!r} written "
                       f"{'in full' if in_capitals(asked.replace('.', '')) else 'in initials'}")
    others = [*alike, *initialled]
    one = len(others) == 1
    both = (f"name {'it' if one else 'them'} too for a column of {'its' if one else 'their'} own"
            if advice is TIMELINE_ADVICE else
            f"{kind}={sorted(names) + others!r} asks for them all" if isinstance(value, str) else
            "a list of kg.all_of(...), one of each spelling, asks for either" if isinstance(value, AllOf)
            else f"name {'it' if one else 'them'} too to ask for {'it' if one else 'them'}")
    warn_at_caller(f"{'; '.join(written)}: {f'another {kind}' if one else f'other {kind}s'}, left out; {both}")
