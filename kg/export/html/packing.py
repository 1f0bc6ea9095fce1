"""The archive packed for the page: typed arrays and texts in two binary buffers.

JSON would make the page parse tens of megabytes of digits and quotes, so
each column of an :class:`~kg.export.html.archive.Archive` becomes one or two
*sections* of a little-endian buffer, each 4-byte aligned so that the page
views it as a typed array without copying:

- integers as ``u8``, ``u16`` or ``u32``, the narrowest that holds them;
- CSR offsets as the lengths of their lists, and event days (sorted) as
  steps from the previous event's day; the page sums them up again;
- texts as one UTF-8 run and the length of each text, in UTF-16 units (what
  JavaScript's ``slice`` counts) for texts the page decodes at once, in
  UTF-8 bytes for those it decodes one by one when it shows them;
- IRIs and URLs *front-coded against a guess*: the number of leading UTF-16
  units the text shares with a guess, and the rest.  An event IRI is
  guessed as the ``event/DAY/SLUG`` IRI of its day and headline (the slug
  the corpus format defines, as far as ASCII goes: :func:`slug_guess`); an
  entity IRI and a Wikipedia link from the entity's name
  (:func:`name_guess`); an article URL as the previous one (they are sorted)
  within blocks of :data:`FRONT_BLOCK`, so that the page decodes one URL
  from at most that many pieces.  A guess that fails costs bytes, never a
  fact: the page recomputes the same guesses (``view.js``) and reads the rest;
- the related-event pairs grouped by source event (each event's links in
  their order): per event, its number of links, then the targets.

The headlines and the rest of the article URLs, three quarters of the bytes,
go to a second buffer (:attr:`Packed.texts`): the page draws the first view,
indexes the archive and draws the timeline from the first one, and inflates
the second meanwhile or after.  The :class:`Packed` manifest (sections, the
buffers' sizes, the guesses' prefixes) travels as JSON beside them.

Examples
--------
>>> import kg
>>> from kg.export.html.archive import archive_columns
>>> archive = archive_columns(kg.build("examples/wcep-2015-09"))
>>> packed = pack_archive(archive)
>>> back = unpack_archive(packed.data, packed.texts, packed.manifest)
>>> back.event_iri == archive.event_iri and back.article_url == archive.article_url
True
>>> len(packed.data) < len(str(archive)) // 2
True
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from itertools import accumulate
from typing import Any
from urllib.parse import quote

from kg import iri
from kg.export.html.archive import Archive
from kg.parse.records import PageKey

__all__ = ["FRONT_BLOCK", "Packed", "name_guess", "pack_archive", "slug_guess", "unpack_archive",
           "utf16_length"]

#: Integer section types, narrowest first: (name, largest value, array code).
_WIDTHS = (("u8", 0xFF, "B"), ("u16", 0xFFFF, "H"), ("u32", 0xFFFFFFFF, "I"))
_CODES = {name: code for name, _, code in _WIDTHS}

#: Article URLs are front-coded in blocks of this many, so that the page decodes any
#: one of them from at most this many pieces, when it shows it.
FRONT_BLOCK = 16

#: How many characters of a headline its slug is made from (the corpus format).
_SLUG_SOURCE = 140
_NOT_ASCII_ALNUM = re.compile(r"[^A-Za-z0-9]+")
#: Each byte that is not an ASCII letter or digit made a dash: the slug guess of an ASCII
#: headline through one table, in C (a third of the regular expression's time).
_DASHED = bytes(c if c < 128 and chr(c).isalnum() else ord("-") for c in range(256))


def utf16_length(text: str) -> int:
    """The length of ``text`` in UTF-16 code units (JavaScript's ``length``).

    >>> utf16_length("a\\U0001F600")
    3
    """
    return len(text.encode("utf-16-le")) // 2


def slug_guess(headline: str) -> str:
    """The slug of a headline as the page guesses it (ASCII letters and digits only).

    The corpus format lower-cases every letter; the guess keeps only ASCII
    ones, which JavaScript and Python lower-case alike.

    >>> slug_guess("The U.S. says it will not coordinate with Iran. ")
    'the-u-s-says-it-will-not-coordinate-with-iran'
    """
    head = headline[:_SLUG_SOURCE]
    if head.isascii():  # the same, faster: runs of dashes and the ends' dashes dropped by the split
        return "-".join(filter(None, head.encode("ascii").translate(_DASHED).decode("ascii").split("-"))).lower()
    return _NOT_ASCII_ALNUM.sub("-", head).lower().strip("-")


def name_guess(name: str) -> str:
    """A name as an IRI path segment, as the page guesses it (no cut for long names).

    ``kg.iri.encode_name`` and the Wikipedia link percent-encode the same way;
    the page does it with ``encodeURIComponent``.

    >>> name_guess("Hildale, Utah"), name_guess("Inside Northern Va.")
    ('Hildale%2C_Utah', 'Inside_Northern_Va%2E')
    """
    return (quote(name, safe="").replace("_", "%5F").replace(".", "%2E")
            .replace("~", "%7E").replace("%20", "_"))


def _front(text: str, guess: str) -> tuple[int, str]:
    """UTF-16 units that ``text`` shares with ``guess`` at the start, and the rest of it."""
    if text.startswith(guess):  # a guess that holds: most event and entity IRIs
        n = len(guess)
    else:  # the longest shared prefix, by halving (slices compare in C)
        low, high = 0, min(len(text), len(guess))
        while low < high:
            mid = (low + high + 1) // 2
            if text[:mid] == guess[:mid]:
                low = mid
            else:
                high = mid - 1
        n = low
    head = text[:n]
    return (n if head.isascii() else utf16_length(head)), text[n:]


@dataclass(frozen=True, slots=True)
class Packed:
    """The two buffers and their manifest (JSON-ready: what the page needs to read them).

    ``data`` holds what the page needs to draw and index the archive;
    ``texts`` the headlines and article URLs, which it needs only to show them.
    """

    data: memoryview  # read-only views of the buffers as written
    texts: memoryview
    manifest: dict[str, Any]

    def __repr__(self) -> str:
        return (f"<Packed: {len(self.data):,} + {len(self.texts):,} bytes, "
                f"{len(self.manifest['columns'])} columns>")


class _Writer:
    """Appends sections to one buffer, each 4-byte aligned."""

    def __init__(self) -> None:
        # One buffer grown in place: pieces joined at the end would stand beside the whole.
        self.buffer = bytearray()

    @property
    def size(self) -> int:
        return len(self.buffer)

    def _append(self, data: bytes | bytearray | array[int]) -> int:
        at = len(self.buffer)
        self.buffer += data
        self.buffer += b"\0" * (-len(self.buffer) % 4)
        return at

    def done(self) -> memoryview:
        """The buffer, as a read-only view (not a copy of it)."""
        return memoryview(self.buffer).toreadonly()

    def ints(self, values: Sequence[int]) -> dict[str, Any]:
        """An integer section of the narrowest type; numbers must be 0 to 2**32 - 1."""
        top = max(values, default=0)
        if min(values, default=0) < 0 or top > _WIDTHS[-1][1]:
            raise ValueError("a packed integer lies outside 0..2**32-1")
        kind, code = next((name, code) for name, limit, code in _WIDTHS if top <= limit)
        packed = array(code, values)
        if sys.byteorder == "big":  # pragma: no cover - the page reads little-endian
            packed.byteswap()
        return {"type": kind, "at": self._append(packed), "n": len(values)}

    def text(self, strings: Iterable[str], later: _Writer | None = None) -> dict[str, Any]:
        """One UTF-8 run of ``strings`` and their lengths.

        Without ``later``, lengths count UTF-16 units and the page decodes the
        run at once.  With it, the run goes to that (second) buffer, lengths
        count UTF-8 bytes, and the page decodes each text when it shows it.
        """
        # Each text encoded once, straight into the buffer it goes to: a join of them all
        # would stand, as text, beside the run, and a run of its own would be copied there.
        into = self if later is None else later
        buffer = into.buffer
        at = len(buffer)
        counts: list[int] = []
        for s in strings:
            encoded = s.encode("utf-8")
            buffer += encoded
            counts.append(len(encoded) if later is not None else len(s) if s.isascii() else utf16_length(s))
        size = len(buffer) - at
        buffer += b"\0" * (-size % 4)
        units, buf = ("utf16", 0) if later is None else ("utf8", 1)
        return {"type": "text", "units": units, "lengths": self.ints(counts), "buf": buf, "at": at, "bytes": size}


def _steps(values: Sequence[int]) -> list[int] | None:
    out = [b - a for a, b in zip([0, *values], values, strict=False)]
    return out if all(step >= 0 for step in out) else None


def _prefixes(archive: Archive) -> dict[str, str]:
    """The IRI prefixes of the guesses, found from the archive's own IRIs."""
    base = ""
    for name, kind, minted in zip(archive.entity_name, archive.entity_kind, archive.entity_iri,
                                  strict=True):
        tail = (iri.context_iri, iri.publisher_iri)[kind]("", name)
        if minted.endswith(tail):
            base = minted[: len(minted) - len(tail)]
            break
    sample = iri.event_iri(base, PageKey(_SAMPLE_DAY, ""))
    day_at = sample.rfind(_SAMPLE_DAY.isoformat())
    return {"event": sample[:day_at] if day_at >= 0 else "",
            "context": iri.context_iri(base, ""), "publisher": iri.publisher_iri(base, ""),
            "wikipedia": iri.wikipedia_iri("")}


def _guesses(archive: Archive, prefixes: dict[str, str]) -> dict[str, Callable[[int, str], str]]:
    """Per front-coded column: the guess for row ``i`` given the previous text."""
    kinds = ("context", "publisher")

    def event(i: int, previous: str) -> str:
        return (prefixes["event"] + archive.days[archive.event_day[i]] + "/"
                + slug_guess(archive.event_headline[i]))

    def entity(i: int, previous: str) -> str:
        return prefixes[kinds[archive.entity_kind[i]]] + name_guess(archive.entity_name[i])

    def link(i: int, previous: str) -> str:
        if archive.entity_kind[i] != 0:
            return ""
        return iri.wikipedia_iri(archive.entity_name[i])

    def url(i: int, previous: str) -> str:
        return previous if i % FRONT_BLOCK else ""

    return {"event_iri": event, "entity_iri": entity, "entity_link": link, "article_url": url}


#: How each column is packed (see the module's docstring); the page reads the same names.
_TEXT = ("days", "event_headline", "entity_name", "organization_key", "organization_label")
#: Texts that the page decodes one by one when it shows them (their lengths in UTF-8
#: bytes): decoding 150,000 headlines at once would hold up the start.
_LAZY_TEXT = ("event_headline", "article_url")
#: Sorted columns: CSR offsets (from 0, so the first step is 0) and event days.
_STEPS = ("event_sources_offsets", "event_entities_offsets", "article_publishers_offsets", "event_day",
          "entity_organizations_offsets")
_FRONT = ("event_iri", "article_url", "entity_iri", "entity_link")
_SAMPLE_DAY = dt.date(2000, 1, 1)


def _front_coded(values: Sequence[str], guess: Callable[[int, str], str], shared: list[int]) -> Iterator[str]:
    """The rest of each text after what it shares with its guess; the shared lengths go to ``shared``."""
    previous = ""
    for i, text in enumerate(values):
        n, tail = _front(text, guess(i, previous))
        shared.append(n)
        yield tail
        previous = text


def _grouped_by_source(pairs: Sequence[int], events: int) -> tuple[list[int], array[int]]:
    """Per event, its number of ``source, target`` pairs; and the targets, by source, each
    source's in their order (a counting sort: no list per event)."""
    lengths = [0] * events
    for k in range(0, len(pairs), 2):
        lengths[pairs[k]] += 1
    next_at = [0, *accumulate(lengths)]
    targets = array("I", bytes(4 * (len(pairs) // 2)))
    for k in range(0, len(pairs), 2):
        source = pairs[k]
        targets[next_at[source]] = pairs[k + 1]
        next_at[source] += 1
    return lengths, targets


def pack_archive(archive: Archive) -> Packed:
    """Pack every column of ``archive`` into two buffers (see the module's docstring)."""
    out, later = _Writer(), _Writer()
    columns: dict[str, Any] = {}
    prefixes = _prefixes(archive)
    guesses = _guesses(archive, prefixes)
    for field in fields(Archive):
        name = field.name
        values = getattr(archive, name)
        if name in _TEXT:
            columns[name] = {"enc": "text", "text": out.text(values, later if name in _LAZY_TEXT else None)}
        elif name in _FRONT:
            shared: list[int] = []
            rest = out.text(_front_coded(values, guesses[name], shared), later if name in _LAZY_TEXT else None)
            columns[name] = {"enc": "front", "shared": out.ints(shared), "rest": rest}
        elif name in _STEPS and (steps := _steps(values)) is not None:
            columns[name] = {"enc": "steps", "steps": out.ints(steps)}
        elif name == "related":
            lengths, targets = _grouped_by_source(values, len(archive.event_headline))
            columns[name] = {"enc": "pairs", "lengths": out.ints(lengths), "targets": out.ints(targets)}
        else:
            columns[name] = {"enc": "ints", "ints": out.ints(values)}
    # Whether every event IRI names its day after the prefix: then the page finds an
    # event by its IRI among the events of that day.
    regular = all(i.startswith(f"{prefixes['event']}{archive.days[d]}/")
                  for i, d in zip(archive.event_iri, archive.event_day, strict=True))
    manifest = {"version": 2, "bytes": [out.size, later.size], "prefixes": prefixes,
                "block": FRONT_BLOCK, "eventIriByDay": regular, "columns": columns}
    return Packed(out.done(), later.done(), manifest)


# ------------------------------------------------------------------ reading back (tests, tools)
def _read_ints(data: bytes, section: dict[str, Any]) -> list[int]:
    values = array(_CODES[section["type"]])
    width = values.itemsize
    values.frombytes(data[section["at"]: section["at"] + width * section["n"]])
    if sys.byteorder == "big":  # pragma: no cover
        values.byteswap()
    return values.tolist()


def _read_text(data: bytes, section: dict[str, Any], texts: bytes) -> list[str]:
    run = (data, texts)[section["buf"]][section["at"]: section["at"] + section["bytes"]]
    width, codec = (2, "utf-16-le") if section["units"] == "utf16" else (1, "utf-8")
    if width == 2:
        run = run.decode("utf-8").encode(codec)
    out, at = [], 0
    for n in _read_ints(data, section["lengths"]):
        out.append(run[width * at: width * (at + n)].decode(codec))
        at += n
    return out


def _sums(steps: list[int]) -> list[int]:
    return list(accumulate(steps))


def unpack_archive(data: bytes | memoryview, texts: bytes | memoryview, manifest: dict[str, Any]) -> Archive:
    """Read a packed buffer back into an :class:`Archive`, as the page does.

    The page's own reader is ``view.js``; this one states the format in
    Python and lets tests check that no fact is lost.
    """
    data, texts = bytes(data), bytes(texts)
    cols: dict[str, Any] = {}
    spec = manifest["columns"]
    # Plain columns first: the guesses of front-coded ones read them.
    for name, column in spec.items():
        enc = column["enc"]
        if enc == "text":
            cols[name] = tuple(_read_text(data, column["text"], texts))
        elif enc == "ints":
            cols[name] = tuple(_read_ints(data, column["ints"]))
        elif enc == "steps":
            cols[name] = tuple(_sums(_read_ints(data, column["steps"])))
        elif enc == "pairs":
            lengths, targets = _read_ints(data, column["lengths"]), _read_ints(data, column["targets"])
            pairs: list[int] = []
            at = 0
            for source, n in enumerate(lengths):
                for target in targets[at: at + n]:
                    pairs += (source, target)
                at += n
            cols[name] = tuple(pairs)
    partial = Archive(**{f.name: cols.get(f.name, ()) for f in fields(Archive)})
    guesses = _guesses(partial, manifest["prefixes"])
    for name, column in spec.items():
        if column["enc"] != "front":
            continue
        shared, rest = _read_ints(data, column["shared"]), _read_text(data, column["rest"], texts)
        decoded: list[str] = []
        previous = ""
        for i, (n, tail) in enumerate(zip(shared, rest, strict=True)):
            guess = guesses[name](i, previous).encode("utf-16-le")[: 2 * n].decode("utf-16-le")
            previous = guess + tail
            decoded.append(previous)
        cols[name] = tuple(decoded)
    return Archive(**{f.name: cols[f.name] for f in fields(Archive)})
