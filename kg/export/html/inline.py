"""A page shown inline in a notebook: an iframe whose ``srcdoc`` is the page.

The iframe is sandboxed (scripts and popups only): the page cannot reach
the notebook's document, and it stays self-contained, so a saved notebook
shows it offline too.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field

__all__ = ["InlinePage"]


@dataclass(frozen=True, slots=True)
class InlinePage:
    """A rendered page that Jupyter displays inline (``_repr_html_``).

    Examples
    --------
    >>> page = InlinePage("<!DOCTYPE html><p>a & b</p>")
    >>> page._repr_html_().startswith('<iframe sandbox="allow-scripts allow-popups')
    True
    >>> "&lt;p&gt;a &amp; b&lt;/p&gt;" in page._repr_html_()
    True
    >>> page
    <InlinePage 27 characters>
    """

    html: str = field(repr=False)
    height: int = 650
    summary: str = ""

    def __repr__(self) -> str:
        # The page is megabytes: a notebook without HTML output shows this line instead.
        return f"<InlinePage {len(self.html):,} characters{': ' + self.summary if self.summary else ''}>"

    def _repr_html_(self) -> str:
        return (f'<iframe sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
                f'style="width:100%;height:{self.height}px;border:1px solid #ddd" title="kg explorer" '
                f'srcdoc="{html.escape(self.html, quote=True)}"></iframe>')

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the page to a file."""
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(self.html)
