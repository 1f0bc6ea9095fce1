r"""IRIs written as SPARQL/Turtle prefixed names that can be pasted back into a query.

An event's IRI ends in ``DAY/SLUG``; its local name under ``event:`` holds a
``/``, which a prefixed name may only hold escaped (``PN_LOCAL_ESC`` in the
SPARQL 1.1 and Turtle 1.1 grammars): ``event:2015-09-30\/slug``.  A local
name with a character that no escape can write (a space, ``<``, a quote)
has no prefixed form and stays a whole IRI.

Examples
--------
>>> ns = {"event": "https://kg.example.org/news/event/", "context": "https://kg.example.org/news/context/"}
>>> prefixed_name("https://kg.example.org/news/context/Iran", ns)
'context:Iran'
>>> prefixed_name("https://kg.example.org/news/event/2015-09-30/a-flag", ns)
'event:2015-09-30\\/a-flag'
"""

from __future__ import annotations

import re

__all__ = ["local_name", "prefixed_name", "unescaped_local"]

#: characters a local name may hold only escaped with a backslash (PN_LOCAL_ESC); ``-`` stands bare but
#: first, ``.`` is always escaped (the grammar lets it stand inside, but pyoxigraph's SPARQL parser
#: misreads ``a.b.c``, and ``0.0.0`` as ``0.0``)
_ESCAPABLE = frozenset("_~.-!$&'()*+,;=/?#@%")
#: PN_CHARS_BASE beyond ASCII letters (SPARQL 1.1, production 164), less #x10000-#xEFFFF: pyoxigraph's
#: SPARQL parser refuses those (its Turtle parser takes them), so such a name stays a whole IRI
_BASE_RANGES = ((0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x2FF), (0x370, 0x37D), (0x37F, 0x1FFF), (0x200C, 0x200D),
                (0x2070, 0x218F), (0x2C00, 0x2FEF), (0x3001, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFFD))
#: PN_CHARS that may not begin a local name (besides ``-``)
_INNER_RANGES = ((0xB7, 0xB7), (0x300, 0x36F), (0x203F, 0x2040))
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
#: a backslash and the character it escapes
_ESCAPE = re.compile(r"\\([" + re.escape("".join(sorted(_ESCAPABLE))) + "])")


def _in(ranges: tuple[tuple[int, int], ...], char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def _bare(char: str, first: bool) -> bool:
    """Whether ``char`` may stand unescaped in a local name (at its start when ``first``)."""
    if char.isascii():
        return char.isalnum() or char in "_:" or (char == "-" and not first)
    return _in(_BASE_RANGES, char) or (not first and _in(_INNER_RANGES, char))


def local_name(text: str) -> str | None:
    r"""``text`` written as a local name (PN_LOCAL), escapes added; ``None`` when it cannot be one.

    Examples
    --------
    >>> local_name("2015-09-30/a-flag"), local_name("Côte_d'Ivoire"), local_name("U.S.")
    ('2015-09-30\\/a-flag', "Côte_d\\'Ivoire", 'U\\.S\\.')
    >>> local_name("Caf%C3%A9"), local_name("100%"), local_name("-1")
    ('Caf%C3%A9', '100\\%', '\\-1')
    >>> local_name("two words") is None, local_name("")
    (True, '')
    """
    out: list[str] = []
    at, last = 0, len(text) - 1
    while at <= last:
        char = text[at]
        if char == "%" and _PERCENT.match(text, at):  # a percent-encoded byte stands as it is
            out.append(text[at:at + 3])
            at += 3
            continue
        if _bare(char, at == 0):
            out.append(char)
        elif char in _ESCAPABLE:
            out.append("\\" + char)
        else:
            return None
        at += 1
    return "".join(out)


def unescaped_local(text: str) -> str:
    r"""A local name as its IRI ends: :func:`local_name`'s escapes taken out.

    Examples
    --------
    >>> unescaped_local(r"2015-09-30\/a-flag"), unescaped_local(r"U\.S\."), unescaped_local("2015-09-30/a")
    ('2015-09-30/a-flag', 'U.S.', '2015-09-30/a')
    """
    return _ESCAPE.sub(r"\1", text)


def prefixed_name(value: str, prefixes: dict[str, str]) -> str:
    """``value`` as ``prefix:local`` under the longest namespace that gives it a local name, else as it is.

    The name reads back, in SPARQL and in Turtle, as the same IRI.

    Examples
    --------
    >>> prefixed_name("https://kg.example.org/news/context/Iran",
    ...               {"context": "https://kg.example.org/news/context/"})
    'context:Iran'
    >>> prefixed_name("Iran", {"context": "https://kg.example.org/news/context/"})
    'Iran'
    >>> prefixed_name("https://kg.example.org/news/context/a b", {"context": "https://kg.example.org/news/context/"})
    'https://kg.example.org/news/context/a b'
    """
    best: tuple[int, str] | None = None
    for prefix, namespace in prefixes.items():
        if value.startswith(namespace) and (best is None or len(namespace) > best[0]):
            local = local_name(value[len(namespace):])
            if local:
                best = (len(namespace), f"{prefix}:{local}")
    return value if best is None else best[1]
