"""What a page opens on: the node that a focus names, found as the page's search finds it, or why none.

``kg html --focus NAME`` (``focus=`` of :func:`kg.export.html.explorer.explore`)
names an entity or event by its IRI, its prefixed name as ``kg query`` prints
it (:func:`named_as_kg_query_prints`), its name or headline in any case and
accents (:func:`find_exactly`), or part of them, as the search box ranks what
holds it (:func:`find`).  A focus that names nothing is told why
(:func:`not_found`): part of several headlines, outside the page's days, an
organization where the page draws publishers, or a misspelt name, with the
closest ones.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from kg.errors import ViewError
from kg.export.html.archive import ENTITY_KINDS, Archive, archive_columns
from kg.parse.publishers import organization_key
from kg.parse.text import bound_text, closest_names, typed_form
from kg.ranking import WORDS, in_capitals, order, rank

if TYPE_CHECKING:  # pragma: no cover
    from kg.export.html.explorer import ExplorerOptions
    from kg.model import KnowledgeGraph

__all__ = ["find", "find_exactly", "named_exactly", "spelt_as", "named_as_kg_query_prints", "not_found"]


def find(archive: Archive, focus: str) -> str | None:
    """The IRI of the entity or event that ``focus`` names, as the page will find it.

    An IRI; else a name or headline, read as the page's search box reads it
    (:func:`~kg.parse.text.typed_form`: without regard to case, accents or the dots of "U.S.")
    or without a closing full stop; else the entity whose name holds it that
    the search box suggests first (:func:`~kg.ranking.rank`, then most events); else
    the one event whose headline holds it.

    >>> import kg
    >>> a = archive_columns(kg.build("examples/wcep-2015-09"))
    >>> find(a, "iran") == find(a, "Iran") != None
    True
    >>> find(a, "Pope Francis releases a letter granting priests the ability to grant absolution").rsplit("/", 2)[1]
    '2015-09-01'
    """
    exact = find_exactly(archive, focus)
    if exact is not None:
        return exact
    wanted = typed_form(focus)
    names = [typed_form(name) for name in archive.entity_name]
    bare = _bare(wanted)
    headlines = [typed_form(headline) for headline in archive.event_headline]
    # A name holding it, ranked as the search box ranks its suggestions: itself or its initials, as a
    # whole word, at a word's start, holding each of its words, inside a word; then with more events;
    # then first seen.
    words = [w for w in WORDS.split(wanted) if w] if (" " in wanted or "-" in wanted) else None
    words = words or None  # (dashes alone hold no word)
    events = Counter(archive.event_entities)
    capitals = in_capitals(focus)
    ranked = [(*order(held, events[e]), e) for e, name in enumerate(names)
              if (held := rank(name, wanted, words, initials=capitals)) is not None]
    if ranked:
        return archive.entity_iri[min(ranked)[-1]]
    holding = [node_iri for node_iri, headline in zip(archive.event_iri, headlines, strict=True)
               if bare and bare in headline]
    return holding[0] if len(holding) == 1 else None  # several: said by not_found


def find_exactly(archive: Archive, focus: str) -> str | None:
    """The IRI of the entity or event that ``focus`` is the IRI, name or headline of (:func:`find`'s
    first rules: no name that merely holds it)."""
    if focus in archive.entity_iri or focus in archive.event_iri:
        return focus
    if in_capitals(focus):  # ("US": the name "U.S." and the initials of "United States" are ranked alike)
        return None
    for node_iri, name in zip(archive.entity_iri, archive.entity_name, strict=True):
        if name == focus:  # as written: two names may fold alike (a hyphen, an en dash)
            return node_iri
    wanted = typed_form(focus)
    bare = _bare(wanted)
    for node_iri, name in zip(archive.entity_iri, archive.entity_name, strict=True):
        if typed_form(name) in (wanted, bare):
            return node_iri
    for node_iri, headline in zip(archive.event_iri, archive.event_headline, strict=True):
        folded = typed_form(headline)
        if folded == wanted or _bare(folded) == bare:
            return node_iri
    return None


def named_exactly(graph: KnowledgeGraph, focus: str) -> bool:
    """Whether ``focus`` is the IRI, name or prefixed name of an entity, or the headline of an event,
    of ``graph``, whatever its days (as :func:`find_exactly` reads it)."""
    if focus.startswith(("http://", "https://")):
        return _in_graph(graph, focus)
    if focus.startswith(("context:", "publisher:", "event:")):
        return named_as_kg_query_prints(archive_columns(graph), graph.base_iri, focus) is not None
    wanted = typed_form(focus)
    bare = _bare(wanted)
    return (any(typed_form(name) in (wanted, bare) for name in (*graph.contexts, *graph.publishers))
            or any(_bare(typed_form(e.headline)) == bare for e in graph.event_records.values()))


def spelt_as(archive: Archive, node_iri: str, focus: str) -> bool:
    """Whether the name or headline of the node ``node_iri`` is ``focus`` as typed (any case, accents ...).

    >>> import kg
    >>> a = archive_columns(kg.build("examples/wcep-2015-09"))
    >>> spelt_as(a, find(a, "IRAN"), "IRAN"), spelt_as(a, find(a, "Ira"), "Ira")
    (True, False)
    """
    wanted = typed_form(focus)
    if node_iri in archive.entity_iri:
        return typed_form(archive.entity_name[archive.entity_iri.index(node_iri)]) in (wanted, _bare(wanted))
    headline = typed_form(archive.event_headline[archive.event_iri.index(node_iri)])
    return headline == wanted or _bare(headline) == _bare(wanted)


def _bare(headline: str) -> str:
    """A folded headline without the stop and spaces it ends with."""
    return headline.rstrip(" .!?;:")


def named_as_kg_query_prints(archive: Archive, base: str, focus: str) -> str | None:
    """The IRI of the entity or event that ``focus`` names as a prefixed name: as ``kg query``
    prints it (``context:U%2ES%2E_president``), as the explorer's links do (``context:U.S. president``,
    the name as written after its kind), or with its IRI's end unescaped; else ``None``.

    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> a = archive_columns(g)
    >>> [named_as_kg_query_prints(a, g.base_iri, name).rsplit("/", 1)[1]
    ...  for name in ("context:Iran", "publisher:Reuters", "context:European_Union")]
    ['Iran', 'Reuters', 'European_Union']
    >>> [named_as_kg_query_prints(a, g.base_iri, name) for name in ("Iran", "event:None", "context:")]
    [None, None, None]
    >>> named_as_kg_query_prints(a, g.base_iri, "context:european_union").rsplit("/", 1)[1]
    'European_Union'
    """
    from urllib.parse import unquote

    from kg import iri
    from kg.query.pnames import prefixed_name

    kind, colon, rest = focus.partition(":")
    if not colon or not rest or kind not in ("context", "publisher", "event"):
        return None
    namespaces = {k: iri.folder_iri(base, k) for k in ("context", "publisher", "event")}
    wanted = namespaces[kind]
    named = [*zip(archive.entity_iri, archive.entity_name, strict=True),
             *((i, None) for i in archive.event_iri)]
    typed, alike = typed_form(rest.replace("_", " ")), []
    for node_iri, name in named:
        if not node_iri.startswith(wanted):
            continue
        local = node_iri[len(wanted):]
        forms = {prefixed_name(node_iri, {kind: wanted}), f"{kind}:{unquote(local)}", f"{kind}:{local}"}
        if focus in forms or (name is not None and focus == f"{kind}:{name}"):
            return node_iri
        if name is not None and typed_form(name) == typed:
            alike.append(node_iri)
    # Typed otherwise ("context:iran", "context:united_states"): the one name it reads as, if only one.
    return alike[0] if len(alike) == 1 else None


def _in_graph(graph: KnowledgeGraph, focus: str) -> bool:
    """Whether ``focus`` names an entity or event of ``graph`` by :func:`find`'s rules, whatever its days."""
    from kg import iri

    base = graph.base_iri
    if focus.startswith(("http://", "https://")):
        return (focus in {iri.context_iri(base, name) for name in graph.contexts}
                or focus in {iri.publisher_iri(base, name) for name in graph.publishers}
                or focus in {iri.event_iri(base, key) for key in graph.event_records})
    wanted = typed_form(focus)
    bare = _bare(wanted)
    names = [typed_form(name) for name in (*graph.contexts, *graph.publishers)]
    return (any(wanted in name or (bare and bare in name) for name in names)
            or any(bare and bare in typed_form(e.headline) for e in graph.event_records.values()))


def not_found(graph: KnowledgeGraph, archive: Archive, focus: str, options: ExplorerOptions) -> ViewError:
    """Why ``focus`` names nothing in the page: part of several headlines, outside its days, or unknown
    (with the closest names)."""
    bare = _bare(typed_form(focus))
    holding = [headline for headline in archive.event_headline if bare and bare in typed_form(headline)]
    if len(holding) > 1:
        shown = "; ".join(repr(bound_text(h, 60)[0]) for h in holding[:3])
        return ViewError(f"{focus!r} is part of {len(holding):,} headlines in the page ({shown}"
                         f"{'; ...' if len(holding) > 3 else ''}): give more of the one to open on")
    if (options.since or options.until) and _in_graph(graph, focus):
        return ViewError(f"{focus!r} has no event between {options.since or 'the start'} and "
                         f"{options.until or 'the end'}")
    from kg.table.building import organization_named

    organization = organization_named(graph, focus)  # (organization:NAME in any spelling, or its IRI)
    if organization is not None:
        return _organization_not_drawn(archive, organization)
    organization = _organization_not_written_alone(graph, focus)
    if organization is not None:
        from kg import iri

        node = iri.organization_iri(graph.base_iri, organization)
        return _organization_not_drawn(archive, organization, f"no source writes {organization!r} alone, so "
                                       f"{focus!r} names no publisher (organization:{node.rpartition('/')[2]} "
                                       "names its organization), and ")
    kind, colon, rest = focus.partition(":")  # ("context:Irann": its name is what may be misspelt)
    prefixed = bool(colon) and kind in ("context", "publisher")
    wanted = kind if prefixed else "context"
    by_fold: dict[str, tuple[str, str]] = {}  # a name as typed -> its kind and name, the kind asked for first
    for name, k in zip(archive.entity_name, archive.entity_kind, strict=True):
        typed = typed_form(name)
        if typed not in by_fold or ENTITY_KINDS[k] == wanted:
            by_fold[typed] = (ENTITY_KINDS[k], name)
    close = closest_names(typed_form(rest.replace("_", " ") if prefixed else focus), by_fold, n=3)
    # (a name of another kind than the one asked for, a context where none is, says its kind)
    said = [("" if by_fold[c][0] == wanted else by_fold[c][0] + " ") + repr(by_fold[c][1]) for c in close]
    hint = f"; did you mean {' or '.join(said)}?" if said else ""
    return ViewError(f"no entity or event in the page is named {focus!r}{hint}")


def _organization_not_written_alone(graph: KnowledgeGraph, focus: str) -> str | None:
    """The organization that ``focus`` names as ``publisher:NAME`` or by that publisher IRI, where no source
    writes the name alone ("AFP", only in "AFP via ..."): no publisher node has it, the organization does.

    >>> import kg
    >>> g = kg.build("examples/wcep-2015-09")
    >>> [_organization_not_written_alone(g, f) for f in ("publisher:AFP", "publisher:afp", "publisher:Reuters", "AFP")]
    ['AFP', 'AFP', None, None]
    """
    from kg import iri
    from kg.table.building import organizations_not_written_alone

    names = organizations_not_written_alone(graph)
    kind, colon, rest = focus.partition(":")
    if kind == "publisher" and colon:  # as written, or as its IRI would end (publisher:Merck_%26_Co%2E); any case
        folded = {name.casefold(): name for name in sorted(names, reverse=True)}  # (of two alike, the first sorted)
        found = next((folded[n.casefold()] for n in (rest, iri.decode_name(rest)) if n.casefold() in folded), None)
        if found is not None:
            return found
    return next((name for name in names if iri.publisher_iri(graph.base_iri, name) == focus), None)


def _organization_not_drawn(archive: Archive, organization: str, lead: str = "") -> ViewError:
    """The page draws publishers, not the organizations their names resolve to: name its publishers, those
    the graph says it makes or distributes (after ``lead``, what was asked for)."""
    key = organization_key(organization)
    number = archive.organization_key.index(key) if key in archive.organization_key else None
    at, made = archive.entity_organizations_offsets, archive.entity_organizations
    names = sorted((name for e, name in enumerate(archive.entity_name) if number in made[at[e]:at[e + 1]]),
                   key=lambda name: (organization_key(name) != key, name))  # its own names first
    shown = ", ".join(repr(n) for n in names[:4]) + (", ..." if len(names) > 4 else "")
    which = f"one of the {len(names):,} publishers" if len(names) > 1 else "the one publisher"
    return ViewError(f"{lead}the page draws publishers, not organizations: give {which} "
                     f"of organization {organization!r} in it ({shown})" if names else
                     f"{lead}the page draws publishers, not organizations, and none of the publishers of "
                     f"organization {organization!r} is in it")
