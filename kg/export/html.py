"""The ``html`` exporter: an interactive, self-contained network page.

Options select what the page draws (see :func:`kg.html.select.select_view`):
``focus``, ``depth``, ``since``, ``until``, ``types``, ``max_nodes``; and
``title``, the page's heading (the corpus name by default).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kg.html.select import DEFAULT_MAX_NODES, View, select_view

if TYPE_CHECKING:  # pragma: no cover
    from kg.html.inline import InlinePage
    from kg.model import KnowledgeGraph

__all__ = ["write_html", "render_html", "inline_html"]


def render_html(graph: KnowledgeGraph, *, focus: str | None = None, depth: int = 1,
                since: dt.date | str | None = None, until: dt.date | str | None = None,
                types: str | Iterable[str] | None = None, max_nodes: int | None = DEFAULT_MAX_NODES,
                title: str | None = None) -> tuple[str, View]:
    """Select a view of ``graph`` and render it; return the page and the view."""
    from kg.html.page import render_page

    view = select_view(graph, focus=focus, depth=depth, since=since, until=until, types=types,
                       max_nodes=max_nodes)
    heading = title if title is not None else f"kg · {graph.report.corpus or 'knowledge graph'}"
    return render_page(view, title=heading), view


def write_html(graph: KnowledgeGraph, path: str | os.PathLike[str], **options) -> View:
    """Write the network page of ``graph`` to ``path``; return the view drawn.

    Parameters
    ----------
    graph : KnowledgeGraph
    path : path
        The ``.html`` file to write.
    **options
        ``focus``, ``depth``, ``since``, ``until``, ``types``, ``max_nodes``,
        ``title``: see :func:`render_html`.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> g = kg.build("examples/wcep-2015-09")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "iran.html"
    >>> view = write_html(g, out, focus="Iran", depth=2)
    >>> view.notice, out.read_text(encoding="utf-8").count("<script src")
    ('', 0)
    """
    page, view = render_html(graph, **options)
    target = os.fspath(path)
    tmp = target + ".part"
    # Write beside the target and rename, so a reader never sees half a file.
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(page)
    os.replace(tmp, target)
    return view


def inline_html(graph: KnowledgeGraph, **options) -> InlinePage:
    """Return the page as an object that a notebook displays inline."""
    from kg.html.inline import InlinePage

    return InlinePage(render_html(graph, **options)[0])
