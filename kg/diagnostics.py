"""Diagnostics: what a build could not read, and why.

Every problem found in the *data* becomes a :class:`Diagnostic` naming the
file, the line and a stable code; the build goes on.  The codes and their
levels live in one registry, :data:`CODES`, so that the CLI, the report and
the documentation agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

__all__ = ["Level", "Diagnostic", "CODES", "diagnostic", "diagnostic_order", "describe_codes"]


class Level(str, Enum):
    """How bad a diagnostic is.

    ``error``: part of a page could not be read and a fact was lost.
    ``warning``: the data is odd but was read, or a link was dropped on purpose.
    ``info``: worth knowing, nothing lost.

    A ``str`` enum: each level equals its value, as ``report.json`` writes it.

    Examples
    --------
    >>> import kg
    >>> kg.Level("warning") is kg.Level.WARNING, kg.Level.ERROR == "error"
    (True, True)
    >>> kg.build("examples/wcep-2015-09").report.by_level()
    {'error': 0, 'warning': 0, 'info': 0}
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# code -> (level, what it means).  README's "Robustness" table is made from this.
CODES: dict[str, tuple[Level, str]] = {
    # reading files
    "unreadable-file": (Level.ERROR, "the file could not be opened or read"),
    "binary-file": (Level.ERROR, "the file holds NUL bytes (and is not UTF-16 or UTF-32 by its byte-order mark); "
                                 "it is not a text page"),
    "file-too-large": (Level.ERROR, "the file exceeds the size limit and was skipped"),
    "empty-file": (Level.ERROR, "the file is empty"),
    "not-utf8": (Level.WARNING, "bytes that are not UTF-8 were replaced by U+FFFD"),
    "utf16-file": (Level.WARNING, "a page in UTF-16 or UTF-32, as its byte-order mark says, read as such "
                                  "(the format's pages are UTF-8)"),
    "cp1252-file": (Level.WARNING, "a page that is not UTF-8 and holds none (no whole UTF-8 sequence), "
                                   "read as Windows-1252, Latin-1's superset (the format's pages are UTF-8)"),
    "symlink-skipped": (Level.WARNING, "a symbolic link leading outside the corpus, or to a page or folder of "
                                       "news/ (read at its own path), was not followed"),
    "unexpected-path": (Level.WARNING, "a .md file under news/ whose path is not news/YYYY/MM/D/<slug>.md "
                                         "(files of other kinds are not pages, and are passed over)"),
    "no-pages": (Level.WARNING, "the news/ folder holds no page (no .md file): the graph is empty"),
    "invalid-date": (Level.ERROR, "the date in the path is not a calendar date"),
    # the file system (issue 18): what the walk found that is not a page it may read
    "not-regular-file": (Level.ERROR, "a FIFO, socket or device node where a page or folder was expected; skipped"),
    "symlink-loop": (Level.ERROR, "a symbolic link that loops or leads back to a folder above it; not followed"),
    "symlink-dangling": (Level.WARNING, "a page (.md) that is a symbolic link to nothing: its target is not there"),
    "non-utf8-name": (Level.WARNING, "a file or folder name that is not UTF-8; its odd bytes are shown as %XX"),
    "duplicate-name": (Level.ERROR, "a name equal to another one of its folder once normalized to NFC "
                                    "(or decoded); skipped"),
    # texts (issue 18)
    "invisible-characters": (Level.WARNING, "invisible characters (zero-width, marks, tag, BOM ...) removed from "
                                            "a name"),
    "invisible-text": (Level.INFO, "invisible characters that split the words of a headline (zero-width space, "
                                   "word joiner, BOM, soft hyphen, a loose joiner) or spell hidden text (tag "
                                   "characters outside a flag) removed: it reads as it shows"),
    "blank-text": (Level.WARNING, "a headline made only of invisible characters; treated as empty"),
    "control-characters": (Level.WARNING, "control or bidi-override characters (which reorder or hide a text "
                                          "when shown), or noncharacters such as U+FFFF (which no output may hold), "
                                          "taken out of a headline or name"),
    # parsing pages
    "missing-headline": (Level.ERROR, "an event page without a '# headline'; the page was skipped"),
    "extra-headline": (Level.WARNING, "a second '# headline'; the first one was kept"),
    "missing-day-heading": (Level.WARNING, "no '### [date](day page)' heading"),
    "day-mismatch": (Level.WARNING, "the day heading disagrees with the date in the path"),
    "missing-section": (Level.INFO, "a 'Source' or 'Related' section is absent"),
    "duplicate-section": (Level.WARNING, "a section appears twice; both were read"),
    "unknown-section": (Level.WARNING, "a section this format does not define; its content was ignored (on a day "
                                       "page, the heading: the links listed under it are the day's events)"),
    "stray-content": (Level.WARNING, "content outside any known section was ignored"),
    "item-without-link": (Level.ERROR, "a list item without a markdown link; it was dropped"),
    "empty-link-text": (Level.ERROR, "a source link with empty text (no publisher); it was dropped"),
    "extra-link": (Level.ERROR, "a list item with more than one link; only the first was read"),
    "unsafe-url": (Level.ERROR, "a URL that is not http(s), or holds a login before its host; it was "
                                 "dropped"),
    "invalid-url": (Level.ERROR, "an http(s) URL without a host, or with spaces or control characters; it was dropped"),
    "duplicate-item": (Level.INFO, "the same source, related item or day entry twice on one page; counted once"),
    "missing-context": (Level.WARNING, "a related item without '_Context: ..._'"),
    "text-after-context": (Level.WARNING, "text after a related item's '_Context: ..._' list; it is not part of "
                                           "the last name"),
    "cut-context": (Level.WARNING, "a related item's line was cut inside its '_Context: ..._' list; its last name, "
                                   "a part of one, was dropped, and the names after it are lost"),
    "empty-context": (Level.WARNING, "an empty name in a '_Context: ..._' list; it was dropped"),
    "long-context-list": (Level.WARNING, "a '_Context: ..._' list of more than 1,000 names; those after the "
                                         "first 1,000 were not read"),
    "duplicate-context": (Level.INFO, "the same context twice in one list (most often a part of a name with a "
                                       "comma); counted once"),
    "self-link": (Level.WARNING, "a related item that links the page to itself; it was dropped"),
    "long-text": (Level.WARNING, "a text longer than the limit was cut"),
    "long-line": (Level.WARNING, "a line (or list item) longer than the limit was cut before parsing"),
    "page-truncated": (Level.ERROR, "the page exceeds the parsing limits; the rest of it was not read"),
    "nested-item": (Level.WARNING, "a list item nested in another one; the format has none, it was ignored"),
    # resolving links
    "unresolved-link": (Level.WARNING, "a link to an event page that is not in the corpus, or whose page gave no "
                                       "event (the message says which); kept as an external event"),
    "link-to-day-page": (Level.WARNING, "a related link to a day page, not an event; it was dropped"),
    "link-not-event": (Level.ERROR, "a link to something that is not an event page; it was dropped"),
    "link-outside-corpus": (Level.ERROR, "a link that leaves the corpus folder; it was dropped"),
    "duplicate-page": (Level.WARNING, "a page with the same day, headline, sources, images and Related lines "
                                      "(targets and contexts) as another; merged into it"),
    "listed-on-other-day": (Level.WARNING, "a day page lists an event of another day; kept as listed"),
    "unlisted-event": (Level.WARNING, "an event page that no day page lists (its day page is missing or leaves it "
                                      "out); kept on the day its path gives"),
    "headline-mismatch": (Level.INFO, "a link's text differs from the headline of the page it points at"),
}


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem in the data, located to a file and a line.

    Parameters
    ----------
    path : str
        The page, relative to the corpus root, with ``/`` separators.
    line : int
        1-based line number; 0 when the problem concerns the whole file.
    code : str
        A key of :data:`CODES`.
    message : str
        What was found, for a person.
    level : Level
        Taken from :data:`CODES` by :func:`diagnostic`.

    Examples
    --------
    >>> d = diagnostic("news/2015/09/1/x.md", 7, "unsafe-url", "javascript: link")
    >>> str(d)
    'news/2015/09/1/x.md:7: error: unsafe-url: javascript: link'
    >>> print(diagnostic("news/2015/09/1/a:1: error: x.md", 0, "missing-day-heading", "none"))
    news/2015/09/1/a\\x3a1\\x3a error\\x3a x.md:0: warning: missing-day-heading: none
    """

    path: str
    line: int
    code: str
    message: str
    level: Level = Level.WARNING

    def __str__(self) -> str:
        # Escaped: a file name or message must not drive the terminal, and a file name's colons must
        # not make a line of its own ("a:1: error: x.md") for a reader of path:line: level: to find (its
        # backslashes escaped first, so that a name holding "\x3a" is not read as one holding ":").
        path = _printable(self.path.replace("\\", r"\x5c")).replace(":", r"\x3a")
        return f"{path}:{self.line}: {self.level.value}: {self.code}: {_printable(self.message)}"

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        return {
            "path": self.path,
            "line": self.line,
            "level": self.level.value,
            "code": self.code,
            "message": self.message,
        }


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    r"""Escape control and bidi characters as ``\xNN`` / ``\uNNNN``.

    >>> print(_printable("a\x1b[31mb"))
    a\x1b[31mb
    """
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def diagnostic_order(d: Diagnostic) -> tuple[str, int, str, str, Level]:
    """The order of diagnostics in a report: by path, line, code, message and level."""
    return d.path, d.line, d.code, d.message, d.level


def diagnostic(path: str, line: int, code: str, message: str) -> Diagnostic:
    """Make a :class:`Diagnostic` whose level comes from :data:`CODES`.

    Raises
    ------
    KeyError
        For a code that is not registered: that is a bug, not bad data.
    """
    level, _ = CODES[code]
    return Diagnostic(path, line, code, message, level)


def describe_codes() -> list[tuple[str, str, str]]:
    """Return ``(code, level, meaning)`` rows for documentation."""
    return [(code, level.value, text) for code, (level, text) in CODES.items()]
