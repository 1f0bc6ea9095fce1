"""Context names that hold a comma: "Barah, Sudan" is one entity, not "Barah" and "Sudan".

A ``_Context: A, B_`` list cannot say whether ``Barah, Sudan`` is one name or
two (FORMAT.md): read alone, it is two.  Given the names that hold ``", "``
(:func:`read_comma_names`: one a line, as a gazetteer of Wikipedia's titles
or an answer key lists them), the parts of a list that such a name is made of,
side by side, are that name again (:func:`join_comma_names`).

Examples
--------
>>> join_comma_names(["Barah", "Sudan", "Sudan", "Darfur"], CommaNames.of(["Barah, Sudan"]))
['Barah, Sudan', 'Sudan', 'Darfur']
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kg.errors import ArgumentError, ArgumentTypeError
from kg.keywords import checks_keywords
from kg.parse.text import clean_name

__all__ = ["MAX_COMMA_NAMES_BYTES", "MAX_NAME_PARTS", "NO_COMMA_NAMES", "CommaNames", "join_comma_names",
           "read_comma_names"]

#: The largest file of names read (bytes): every title of Wikipedia with a comma is some 20 MB.
MAX_COMMA_NAMES_BYTES = 64 << 20
#: The most parts (", " cuts) a name is read in: a join tries each run up to the longest name's (no
#: title has more than a few; one of 3,000 made a list of 999 take 1.5 s).
MAX_NAME_PARTS = 16


@dataclass(frozen=True, slots=True)
class CommaNames:
    """The context names that hold ``", "``, as the parser reads a name (NFC, spaces collapsed).

    ``parts`` is the most pieces a list's commas cut one of them into.  Make
    one with :meth:`of`; the empty one (the default) joins nothing.

    Examples
    --------
    >>> known = CommaNames.of(["Hildale, Utah", " Floyd  Mayweather, Jr. ", "Iran", "A, B, C"])
    >>> sorted(known.names), known.parts
    (['A, B, C', 'Floyd Mayweather, Jr.', 'Hildale, Utah'], 3)
    >>> CommaNames().digest, len(known.digest)
    ('', 64)
    """

    names: frozenset[str] = frozenset()
    parts: int = 1

    @classmethod
    def of(cls, names: Iterable[str]) -> CommaNames:
        """The names of ``names`` that hold a comma, read as the parser reads a name (invisible characters
        dropped too); one without is never split, and one with an empty part or more than
        :data:`MAX_NAME_PARTS` parts is no name: they are left out.

        >>> sorted(CommaNames.of([", Foo, Bar", "Foo, , Bar", "Hilda\u00adle, Utah\ufeff"]).names)
        ['Hildale, Utah']
        """
        held = frozenset(name for name in (clean_name(text)[0] for text in names)
                         if ", " in name and 2 <= len(pieces := name.split(", ")) <= MAX_NAME_PARTS
                         and all(piece.strip() for piece in pieces))
        return cls(held, 1 + max((name.count(", ") for name in held), default=0))

    @classmethod
    def given(cls, names: CommaNames | Iterable[str] | None) -> CommaNames:
        """``names`` as an argument gives them: none, names already read, or any iterable of names.

        >>> CommaNames.given(None) == CommaNames(), CommaNames.given(["Hildale, Utah"]).parts
        (True, 2)
        """
        if names is None:
            return NO_COMMA_NAMES
        if isinstance(names, CommaNames):
            return names
        if isinstance(names, str | bytes | os.PathLike):
            raise ArgumentTypeError("comma_names takes the names, not a file: kg.read_comma_names(path) reads one")
        return cls.of(names)

    @property
    def digest(self) -> str:
        """The SHA-256 of the names, one a line in order (``""`` for none): what a cache of facts depends on."""
        if not self.names:
            return ""
        return hashlib.sha256("\n".join(sorted(self.names)).encode("utf-8", "surrogatepass")).hexdigest()


#: None: every list is cut at each comma, as the format reads it.
NO_COMMA_NAMES = CommaNames()


@checks_keywords
def read_comma_names(path: str | os.PathLike[str]) -> CommaNames:
    """The names that hold a comma, from a UTF-8 text file of one name a line (others are skipped).

    Raises
    ------
    ArgumentError
        For a file that cannot be read, is over :data:`MAX_COMMA_NAMES_BYTES`,
        or is not UTF-8.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     names = pathlib.Path(folder) / "names.txt"
    ...     _ = names.write_text("Hildale, Utah\\nIran\\n\\nBarah, Sudan\\n", encoding="utf-8")
    ...     sorted(read_comma_names(names).names)
    ['Barah, Sudan', 'Hildale, Utah']
    """
    where = os.fspath(path)
    try:
        with open(where, "rb") as fh:
            data = fh.read(MAX_COMMA_NAMES_BYTES + 1)
    except OSError as err:
        raise ArgumentError(f"cannot read the names with a comma: {where}: {err.strerror or err}") from err
    if len(data) > MAX_COMMA_NAMES_BYTES:
        raise ArgumentError(f"the names with a comma, {where}, are over {MAX_COMMA_NAMES_BYTES >> 20} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ArgumentError(f"the names with a comma, {where}, are not UTF-8 (byte {err.start})") from err
    return CommaNames.of(text.splitlines())


def join_comma_names(parts: Sequence[str], known: CommaNames) -> list[str]:
    """``parts`` of a context list (split at its commas), each run of them that makes a ``known`` name joined.

    At each part, the longest run that makes one is taken ("Floyd Mayweather,
    Jr. vs. Andre Berto" before "Floyd Mayweather, Jr."); runs do not overlap.
    Parts are compared as the parser reads a name (invisible characters
    dropped), and joined as written.

    Examples
    --------
    >>> known = CommaNames.of(["Floyd Mayweather, Jr.", "Floyd Mayweather, Jr. vs. Andre Berto", "A, B, C"])
    >>> join_comma_names(["Floyd Mayweather", "Jr. vs. Andre Berto", "Las Vegas"], known)
    ['Floyd Mayweather, Jr. vs. Andre Berto', 'Las Vegas']
    >>> join_comma_names(["A", "B", "C", "D"], known), join_comma_names(["B", "C"], known)
    (['A, B, C', 'D'], ['B', 'C'])
    """
    if not known.names:
        return list(parts)
    keys = [clean_name(part)[0] for part in parts]  # (as the names: "Hilda\u00adle" is Hildale)
    joined: list[str] = []
    at = 0
    while at < len(parts):
        for end in range(min(len(parts), at + known.parts), at + 1, -1):
            if ", ".join(keys[at:end]) in known.names:
                joined.append(", ".join(parts[at:end]))  # (as written: the parser says what it drops)
                at = end
                break
        else:
            joined.append(parts[at])
            at += 1
    return joined
