"""How a build reads its pages: :class:`ParseOptions`.

Examples
--------
>>> ParseOptions().fast, ParseOptions().comma_names.names
(True, frozenset())
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.parse.commanames import NO_COMMA_NAMES, CommaNames

__all__ = ["DEFAULT_PARSE", "ParseOptions"]


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """What a build's map reads pages with.

    ``fast``: canonical pages by the line reader (the same records as
    markdown-it's: :mod:`kg.parse.canonical`); ``comma_names``: the context
    names that hold a comma, joined again where a list's parts make one
    (:mod:`kg.parse.commanames`), which changes the records.
    """

    fast: bool = True
    comma_names: CommaNames = NO_COMMA_NAMES

    @property
    def facts_key(self) -> str:
        """What the facts of a page depend on beyond its bytes and kg's code (``""``: nothing).

        >>> ParseOptions(fast=False).facts_key
        ''
        """
        return f"comma names {self.comma_names.digest}" if self.comma_names.names else ""


#: A build's reading unless told otherwise: the fast route, every context list cut at each comma.
DEFAULT_PARSE = ParseOptions()
