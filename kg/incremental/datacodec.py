"""What the cache stores, as plain data: JSON with a fixed shape, checked field by field on reading.

The cache used to hold pickles, and loading a pickle can run any code the
file names: a tampered cache row ran code at the next build with no visible
trace.  Everything the cache keeps (page records, diagnostics, the
output index) is now JSON -- strings, numbers, lists -- read back by code that
knows each record's shape and builds our own frozen dataclasses from it.
A row that does not have the expected shape raises :class:`CodecError`; the
cache treats that as a miss (or a damaged cache) and the page is parsed again.

Examples
--------
>>> from kg.facts.executors import parse_file
>>> from pathlib import Path
>>> rel = "news/2015/09/1/index.md"
>>> page = parse_file(rel, Path("examples/wcep-2015-09") / rel)
>>> decode_record(encode_record(page)) == page
True
>>> decode_record(b"[1, 2]")
Traceback (most recent call last):
...
kg.errors.CodecError: not a page record
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kg.diagnostics import CODES, Diagnostic, Level
from kg.errors import CodecError  # re-exported: its home was here
from kg.parse.records import DayEntry, DayPage, EventPage, ImageItem, PageKey, ParsedPage, RelatedItem, SourceItem

if TYPE_CHECKING:  # pragma: no cover
    from kg.export.triples import SortKey

__all__ = ["CodecError", "dumps", "loads", "encode_record", "decode_record",
           "encode_diagnostics", "decode_diagnostics", "strings", "key_tuple"]


def dumps(value: object) -> bytes:
    """Compact JSON of plain data (tuples become lists)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def loads(data: bytes | str) -> Any:
    """Parse JSON; any failure is a :class:`CodecError`."""
    try:
        return json.loads(data)
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


def _date(x: object) -> dt.date:
    try:
        return dt.date.fromisoformat(_str(x))
    except ValueError:
        raise CodecError("expected an ISO date") from None


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


# ---------------------------------------------------------------- records

def _page_data(page: EventPage | DayPage | None) -> list[object] | None:
    if page is None:
        return None
    if isinstance(page, EventPage):
        return ["e", page.path, page.key.date.isoformat(), page.key.slug, page.headline,
                page.headline_line, page.day_label,
                [[s.publisher, s.url, s.line] for s in page.sources],
                [[i.url, i.line] for i in page.images],
                [[r.headline, r.target, list(r.contexts), r.rank, r.line] for r in page.related]]
    return ["d", page.path, page.date.isoformat(), page.label,
            [[e.headline, e.target, e.rank, e.line] for e in page.entries]]


def _event(x: list[Any]) -> EventPage:
    _, path, date, slug, headline, headline_line, label, sources, images, related = _list(x, 10)
    return EventPage(
        _str(path), PageKey(_date(date), _str(slug)), _str(headline), _int(headline_line), _opt_str(label),
        tuple(SourceItem(_str(p), _str(u), _int(n)) for p, u, n in (_list(s, 3) for s in _list(sources))),
        tuple(ImageItem(_str(u), _int(n)) for u, n in (_list(i, 2) for i in _list(images))),
        tuple(RelatedItem(_str(h), _str(t), strings(c), _int(r), _int(n))
              for h, t, c, r, n in (_list(r, 5) for r in _list(related))))


def _day(x: list[Any]) -> DayPage:
    _, path, date, label, entries = _list(x, 5)
    return DayPage(_str(path), _date(date), _opt_str(label),
                   tuple(DayEntry(_str(h), _str(t), _int(r), _int(n))
                         for h, t, r, n in (_list(e, 4) for e in _list(entries))))


_PAGES: dict[str, Callable[[list[Any]], EventPage | DayPage]] = {"e": _event, "d": _day}


def encode_record(parsed: ParsedPage) -> bytes:
    """A parsed page as JSON."""
    return dumps([parsed.path, _page_data(parsed.page), [_diag_data(d) for d in parsed.diagnostics]])


def decode_record(data: bytes) -> ParsedPage:
    """Inverse of :func:`encode_record`; :class:`CodecError` unless ``data`` has its exact shape."""
    x = loads(data)
    if type(x) is not list or len(x) != 3:
        raise CodecError("not a page record")
    path, page, diagnostics = x
    if page is not None:
        kind = _list(page)[0] if page else None
        if kind not in _PAGES:
            raise CodecError("unknown page kind")
        page = _PAGES[kind](page)
    return ParsedPage(_str(path), page, tuple(_diag(d) for d in _list(diagnostics)))
