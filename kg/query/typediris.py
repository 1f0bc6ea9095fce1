"""IRIs typed by hand: under another base than the graph's, with a space, relative.

A query that names ``<http://…/news/context/Iran>`` (``http:`` for the
graph's ``https:``), ``<…/context/United States>`` or ``<context/Iran>``
answers nothing, or fails to parse with a message about something else;
:func:`under_another_base` and :func:`refused_iris` say which name was
meant, for :mod:`kg.query.hints`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping

from kg import iri
from kg.namespace import PREFIXES, VOID
from kg.query.pnames import prefixed_name
from kg.query.querytext import iris

__all__ = ["NAMED", "data_namespaces", "under_another_base", "refused_iris", "SPACED_IRI", "as_written"]

#: the data namespaces whose local names are minted from a name (kg.iri): what a name typed as it reads
#: (``context:Africa_Corps_(Russia)``) would be
NAMED: dict[str, Callable[[str, str], str]] = {"context/": iri.context_iri, "publisher/": iri.publisher_iri,
                                                "organization/": iri.organization_iri}


def as_written(value: str, prefixes: Mapping[str, str]) -> str:
    """An IRI as a query writes it: prefixed where it can be, else whole."""
    said = prefixed_name(value, dict(prefixes))
    return f"<{value}>" if said == value else said


def data_namespaces(prefixes: Mapping[str, str]) -> set[str]:
    """The data's own namespaces among ``prefixes`` (event:, context: ...): not a vocabulary's (xsd: and the like
    name datatypes and functions; void: the dataset's description)."""
    return set(prefixes.values()) - set(PREFIXES.values()) - {VOID.iri}


def under_another_base(full: str, data: Collection[str]) -> tuple[str, str] | None:
    """The data namespace and local name that an IRI under another base means (``http:`` for ``https:``, a
    folder more or less before ``context/``); ``None`` if it names none of the data's kinds.

    >>> data = {"https://kg.example.org/news/context/", "https://kg.example.org/news/event/"}
    >>> under_another_base("http://kg.example.org/news/context/Iran", data)
    ('https://kg.example.org/news/context/', 'Iran')
    >>> under_another_base("https://kg.example.org/event/2026-06-01/a", data)
    ('https://kg.example.org/news/event/', '2026-06-01/a')
    >>> under_another_base("http://example.com/x", data), under_another_base("https://en.wikipedia.org/wiki/x", data)
    (None, None)
    """
    if "://" not in full:
        return None
    host_and_path = full.partition("://")[2]
    for namespace in sorted(data, key=len, reverse=True):
        kind = "/" + namespace.rstrip("/").rpartition("/")[2] + "/"  # ("/context/")
        host = namespace.partition("://")[2].partition("/")[0]
        at = host_and_path.find(kind)
        # (on the graph's own host: another site's /context/ is not kg's)
        if at >= 0 and host_and_path.partition("/")[0] == host and len(host_and_path) > at + len(kind):
            return namespace, host_and_path[at + len(kind):]
    return None


#: An IRI in full with a space or a tab in it (no IRI holds one), where the parser stopped.  (Up to its first
#: space the IRI holds none: one way to match, so that a long run of spaces with no ">" costs linear time.)
SPACED_IRI = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>\"{}|^`\\\n \t]*[ \t][^<>\"{}|^`\\\n]*)>")
#: The BASE keyword of a query's skeleton (not a variable ?base)
_BASE = re.compile(r"(?<![?$\w])BASE\b", re.IGNORECASE)
#: A relative IRI that begins with a folder of kg's data (``context/Iran``)
_RELATIVE_IRI = re.compile(r"([a-z]+)/([^:/][^:]*)")


def refused_iris(query: str, bare: str, prefixes: Mapping[str, str], *, based: bool = False) -> list[str]:
    """Hints for the IRIs of a query (``bare``: its skeleton) that no parser reads: with a space, or relative with
    no BASE (unless ``based``: the query is read against a base IRI of its caller's, as an endpoint's URL)."""
    hints: list[str] = []
    for found in SPACED_IRI.finditer(bare):
        moved = under_another_base(found.group(1), data_namespaces(prefixes))
        meant = moved and NAMED.get(moved[0].rstrip("/").rpartition("/")[2] + "/")
        said = ""
        if moved and meant:
            namespace, local = moved
            name = iri.decode_name(local).replace("_", " ")
            base = namespace[:namespace.rstrip("/").rfind("/") + 1]
            said = f" did you mean {as_written(meant(base, name), prefixes)}?"
        hints.append(f"{found.group(0)}: an IRI holds no space;{said or ' write one as %20, or _ in a kg name'}")
    if not based and not _BASE.search(bare):
        for _, typed in iris(query):
            relative = _RELATIVE_IRI.fullmatch(typed)
            folder = relative and next((ns for ns in prefixes.values() if ns.endswith(f"/{relative.group(1)}/")), None)
            if relative and folder:
                prefix = next(p for p, ns in prefixes.items() if ns == folder)
                hints.append(f"<{typed}>: a relative IRI, and the query has no BASE; did you mean "
                             f"{as_written(folder + relative.group(2), {prefix: folder})}?")
    return hints
