"""Text fit for a terminal: what a table of query results may print of a value.

A loaded file is anyone's: an escape sequence in a literal would recolour or
move the terminal's cursor, and a line break would break the table's row.
"""

from __future__ import annotations

import re

__all__ = ["cell_text"]

#: What breaks a table's line or column (a space instead), and the other control characters, which a
#: terminal would act on (an escape sequence recolours it): shown as ``\xNN``.
_BREAKS = re.compile(r"[\t\n\r\v\f\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def cell_text(text: str) -> str:
    r"""A value's text fit for one cell of a table printed to a terminal.

    Parameters
    ----------
    text : str
        A literal's value, as a query gave it.

    Returns
    -------
    str
        ``text`` on one line, its other control characters as ``\xNN``.

    Examples
    --------
    >>> cell_text("a\tb\r\nc \x1b[31mred")
    'a b  c \\x1b[31mred'
    """
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", _BREAKS.sub(" ", text))
