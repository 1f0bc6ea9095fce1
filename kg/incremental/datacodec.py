"""What the cache stores, as plain data: JSON with a fixed shape, checked field by field on reading.

The cache used to hold pickles, and loading a pickle can run any code the
file names: a tampered cache row ran code at the next build with no visible
trace.  Everything the cache keeps (each page's facts, diagnostics, the
output index) is now JSON -- strings, numbers, lists -- read back by code that
knows each record's shape and builds our own frozen dataclasses from it.
Each value is led by a checksum of its bytes (:func:`dumps`): a row damaged on
disk is found even where it still reads as JSON of the right shape.  A row
that does not match its checksum, or does not have the expected shape, raises
:class:`CodecError`; the cache treats that as a miss (or a damaged cache) and
the page is parsed again.

Examples
--------
>>> from kg.facts import page_facts
>>> from kg.facts.executors import parse_file
>>> from pathlib import Path
>>> for rel in ("news/2015/09/1/index.md", "news/2015/09/1/a-law-affecting-online-personal-computer-data-storage"
...             "-comes-into-force-in-russia.md"):
...     facts = page_facts(parse_file(rel, Path("examples/wcep-2015-09") / rel))
...     assert decode_facts(encode_facts(facts)) == facts
>>> decode_facts(dumps([1, 2]))
Traceback (most recent call last):
...
kg.errors.CodecError: not the facts of a page
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kg import compactjson
from kg.diagnostics import CODES, Diagnostic, Level
from kg.errors import CodecError  # re-exported: its home was here
from kg.facts.records import DAY, RELATED, DayClaim, EventClaim, LinkFact, PageFacts

if TYPE_CHECKING:  # pragma: no cover
    from kg.export.order import SortKey

__all__ = ["CodecError", "dumps", "loads", "encode_facts", "decode_facts",
           "encode_diagnostics", "decode_diagnostics", "strings", "key_tuple"]


#: Bytes of the checksum that leads each stored value.
SEAL_SIZE = 16


def _seal(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=SEAL_SIZE).digest()


def dumps(value: object) -> bytes:
    """Compact JSON of plain data (tuples become lists), led by its checksum.

    A byte that changed on disk can leave valid JSON of the right shape (a
    headline with another letter, another day), which SQLite does not notice
    either: the checksum makes it a miss, and the page is parsed again.
    """
    data = compactjson.dumps(value)
    return _seal(data) + data


def loads(data: bytes) -> Any:
    """Check and parse what :func:`dumps` made; any failure is a :class:`CodecError`.

    Examples
    --------
    >>> loads(dumps(["Beijing", 1]))
    ['Beijing', 1]
    >>> loads(dumps(["Beijing", 1]).replace(b"B", b"X"))
    Traceback (most recent call last):
    ...
    kg.errors.CodecError: damaged: its checksum does not match
    """
    if type(data) is not bytes or len(data) < SEAL_SIZE:
        raise CodecError("damaged: not a stored value")
    body = data[SEAL_SIZE:]
    if _seal(body) != data[:SEAL_SIZE]:
        raise CodecError("damaged: its checksum does not match")
    try:
        return compactjson.loads(body)
    except (ValueError, TypeError, RecursionError) as err:
        raise CodecError(f"not JSON: {err}") from None


def _str(x: object) -> str:
    if type(x) is not str:
        raise CodecError("expected a string")
    return x


def _opt_str(x: object) -> str | None:
    return None if x is None else _str(x)


def _int(x: object) -> int:
    if type(x) is not int:
        raise CodecError("expected an integer")
    return x


def _list(x: object, size: int | None = None) -> list[Any]:
    if type(x) is not list or (size is not None and len(x) != size):
        raise CodecError("expected a list" + ("" if size is None else f" of {size}"))
    return x


def strings(x: object) -> tuple[str, ...]:
    """A stored list of strings, as a tuple."""
    return tuple(_str(s) for s in _list(x))


def key_tuple(x: object) -> SortKey:
    """A stored sort key: a string, or a flat list of strings and integers (as a tuple)."""
    if type(x) is str:
        return x
    return tuple(s if type(s) is str else _int(s) for s in _list(x))


# ---------------------------------------------------------------- diagnostics

_LEVELS = {level.value: level for level in Level}


def _diag_data(d: Diagnostic) -> list[str | int]:
    return [d.path, d.line, d.code, d.message, d.level.value]


def _diag(x: object) -> Diagnostic:
    path, line, code, message, level = _list(x, 5)
    if code not in CODES or level not in _LEVELS:
        raise CodecError("unknown diagnostic code or level")
    return Diagnostic(_str(path), _int(line), code, _str(message), _LEVELS[level])


def encode_diagnostics(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> bytes:
    """A page's diagnostics as JSON."""
    return dumps([_diag_data(d) for d in diagnostics])


def decode_diagnostics(data: bytes) -> list[Diagnostic]:
    """Inverse of :func:`encode_diagnostics`."""
    return [_diag(x) for x in _list(loads(data))]


# ---------------------------------------------------------------- facts

def _link_data(link: LinkFact) -> list[object]:
    return [link.target, link.via, link.source, link.path, link.line, link.rank, link.order, link.headline,
            list(link.contexts), link.written]


def _link(x: object, same: Callable[[object], str]) -> LinkFact:
    target, via, source, path, line, rank, order, headline, contexts, written = _list(x, 10)
    if via not in (RELATED, DAY):
        raise CodecError("unknown kind of link")
    kind = RELATED if via == RELATED else DAY  # the constant, not a string of its own for every link
    return LinkFact(same(target), kind, same(source), same(path), _int(line), _int(rank), _int(order),
                    same(headline), tuple(map(same, _list(contexts))), same(written))


def _sharing() -> Callable[[object], str]:
    """A checked string, one object for all equal strings (the pages that name one event repeat it)."""

    def same(x: object) -> str:
        return sys.intern(_str(x))

    return same


def _event_data(claim: EventClaim) -> list[object]:
    return [claim.key, claim.path, claim.headline, claim.content, claim.sources, claim.images,
            [_link_data(k) for k in claim.links],
            [_diag_data(d) for d in claim.link_diagnostics]]


def _pairs(x: object, same: Callable[[object], str]) -> tuple[tuple[str, str], ...]:
    return tuple((same(a), same(b)) for a, b in (_list(p, 2) for p in _list(x)))


def _event(x: object, same: Callable[[object], str]) -> EventClaim:
    key, path, headline, content, sources, images, links, problems = _list(x, 8)
    return EventClaim(same(key), same(path), same(headline), _str(content), _pairs(sources, same), strings(images),
                      tuple(_link(k, same) for k in _list(links)),
                      tuple(_diag(d) for d in _list(problems)))


def _day(x: object, same: Callable[[object], str]) -> DayClaim:
    date, path, label, links = _list(x, 4)
    return DayClaim(same(date), same(path), _opt_str(label), tuple(_link(k, same) for k in _list(links)))


def encode_facts(facts: PageFacts) -> bytes:
    """A page's facts (:class:`kg.facts.PageFacts`) as JSON."""
    return dumps([facts.path, [_diag_data(d) for d in facts.diagnostics],
                  None if facts.event is None else _event_data(facts.event),
                  None if facts.day is None else [facts.day.date, facts.day.path, facts.day.label,
                                                  [_link_data(k) for k in facts.day.links]]])


def decode_facts(data: bytes) -> PageFacts:
    """Inverse of :func:`encode_facts`; :class:`CodecError` unless ``data`` has its exact shape."""
    x = loads(data)
    if type(x) is not list or len(x) != 4:
        raise CodecError("not the facts of a page")
    path, diagnostics, event, day = x
    same = _sharing()
    return PageFacts(same(path), tuple(_diag(d) for d in _list(diagnostics)),
                     None if event is None else _event(event, same), None if day is None else _day(day, same))
