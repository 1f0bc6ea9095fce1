"""Text fit for a terminal: what a table of query results may print of a value.

A loaded file is anyone's: an escape sequence in a literal would recolour or
move the terminal's cursor, and a line break would break the table's row.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["cell_text", "display_width", "message_text", "padded"]

#: What breaks a table's line or column (a space instead), and the other control characters, which a
#: terminal would act on (an escape sequence recolours it), and the bidi controls, which reorder
#: what follows them on the line: shown as ``\xNN`` and ``\uNNNN``.
_BREAKS = re.compile(r"[\t\n\r\v\f\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: The same but for line breaks and tabs, which a message may hold as its own.
_ACTING = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def cell_text(text: str) -> str:
    r"""A value's text fit for one cell of a table printed to a terminal.

    Parameters
    ----------
    text : str
        A literal's value, as a query gave it.

    Returns
    -------
    str
        ``text`` on one line, its other control characters as ``\xNN``, its bidi
        controls as ``\uNNNN``.

    Examples
    --------
    >>> cell_text("a\tb\r\nc \x1b[31mred")
    'a b  c \\x1b[31mred'
    >>> cell_text("abc \u202edcba")
    'abc \\u202edcba'
    """
    return _CONTROLS.sub(_escaped, _BREAKS.sub(" ", text))


def _escaped(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def message_text(text: str) -> str:
    r"""A message fit for a terminal: its control characters but line breaks and tabs as ``\xNN``, its bidi
    controls as ``\uNNNN`` (an error that quotes a file's bytes quotes an escape sequence as it stands).

    >>> print(message_text("cannot read x.ttl: Invalid IRI code point '\x1b'\n(line 2)"))
    cannot read x.ttl: Invalid IRI code point '\x1b'
    (line 2)
    """
    return _ACTING.sub(_escaped, text)


def display_width(text: str) -> int:
    """The columns a terminal gives ``text``: two for a wide character (CJK, fullwidth forms), none for a
    combining mark or a format character, one for any other.

    >>> display_width("abc"), display_width("日本語"), display_width("e\u0301"), display_width("\uff21\uff22")
    (3, 6, 1, 4)
    """
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def padded(text: str, width: int) -> str:
    """``text`` and spaces after it, to fill ``width`` columns of a terminal (:func:`display_width`).

    >>> padded("日本", 6) + "|", padded("ab", 6) + "|"
    ('日本  |', 'ab    |')
    """
    return text + " " * (width - display_width(text))
