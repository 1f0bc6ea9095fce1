"""The ``html`` exporter: the explorer, one self-contained interactive page.

Options (see :func:`kg.export.html.explorer.explore`): ``kinds`` (entity kinds of
the first view), ``since``, ``until``, ``max_nodes``, ``focus``, ``depth`` and
``title``.
"""

from __future__ import annotations

import os
import warnings
from typing import TYPE_CHECKING, Any

from kg.model import check_graph

if TYPE_CHECKING:  # pragma: no cover
    from kg.export.html.explorer import Explorer
    from kg.export.html.inline import InlinePage
    from kg.model import KnowledgeGraph

__all__ = ["inline_html", "page_path", "render_html", "to_html", "write_html"]


def render_html(graph: KnowledgeGraph, **options: Any) -> tuple[str, Explorer]:
    """Make the explorer of ``graph`` and render it; return the page and the explorer."""
    from kg.export.html.explorer import explore
    from kg.export.html.page import render_page
    from kg.keywords import check_options

    check_options("kg.to_html", explore, options, skip=1)

    explorer = explore(graph, **options)
    return render_page(explorer), explorer


def write_html(graph: KnowledgeGraph, path: str | os.PathLike[str], **options: Any) -> Explorer:
    """Write the explorer page of ``graph`` to ``path``; return what it holds.

    Parameters
    ----------
    graph : KnowledgeGraph
    path : path
        The ``.html`` file to write.
    **options
        ``kinds``, ``since``, ``until``, ``max_nodes``, ``focus``, ``depth``,
        ``title``: see :func:`kg.export.html.explorer.explore`.

    Returns
    -------
    Explorer
        Its repr is one line; ``counts()`` tells what the page draws and holds.

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> g = kg.build("examples/wcep-2015-09")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "iran.html"
    >>> write_html(g, out, focus="Iran", depth=1)
    <Explorer: 100 of 194 entities drawn, 428 events>
    >>> out.read_text(encoding="utf-8").count("<script src")
    0
    """
    from kg.errors import OutputError
    from kg.export.html.explorer import explore
    from kg.export.html.page import page_pieces
    from kg.keywords import check_options
    from kg.publish import output_error, replacing

    check_options("kg.to_html", explore, options, skip=1)
    target = page_path(path)
    explorer = explore(graph, **options)
    # Written beside the target and renamed, so a reader never sees half a file; piece by piece,
    # so that the page (29 MB at 150,000 events) is never held whole, as text or encoded.
    try:
        with replacing(target) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            for piece in page_pieces(explorer):
                fh.write(piece)
    except OutputError:
        raise
    except OSError as err:  # the caller's folder, not our bug: an OutputError (exit 2 in the CLI)
        raise output_error(err, target) from err
    return explorer


def page_path(path: str | os.PathLike[str]) -> str:
    """``path`` as the explorer writes it, refused unless it names a ``.html`` (or ``.htm``) file: a page
    written to ``graph.kg.json``, ``graph.ttl`` or a corpus's ``index.md`` replaced what was there.

    Examples
    --------
    >>> page_path("out/Iran.HTML")
    'out/Iran.HTML'
    >>> page_path("out/graph.kg.json")
    Traceback (most recent call last):
    ...
    kg.errors.ArgumentError: out/graph.kg.json: the explorer is a page: name a .html file (out/graph.html, say)
    >>> page_path("out/")
    Traceback (most recent call last):
    ...
    kg.errors.ArgumentError: out/: the explorer is a page: name a .html file (out/graph.html, say)
    """
    from kg.errors import ArgumentError
    from kg.export import EXPORTERS

    target = os.fspath(path)
    if target.lower().endswith(EXPORTERS["html"].suffixes) and not os.path.isdir(target):
        return target
    if target.endswith(("/", os.sep)) or os.path.isdir(target):
        instead = os.path.join(target, "graph.html")
    else:
        head, name = os.path.split(target)
        instead = os.path.join(head, (name.split(".")[0] or "graph") + ".html")
    raise ArgumentError(f"{target}: the explorer is a page: name a .html file ({instead}, say)")


def inline_html(graph: KnowledgeGraph, **options: Any) -> tuple[InlinePage, Explorer]:
    """Return the page as an object that a notebook displays inline, and what it holds."""
    from kg.export.html.inline import InlinePage as Inline

    page, explorer = render_html(graph, **options)
    return Inline(page, summary=repr(explorer)), explorer


def to_html(graph: KnowledgeGraph, path: str | os.PathLike[str] | None = None,
            **options: Any) -> Explorer | InlinePage:
    """Write the explorer page to ``path``, or return it for a notebook (``kg.to_html``).

    Options (``kinds``, ``since``, ``until``, ``max_nodes``, ``focus``,
    ``depth``, ``title``) are those of :func:`kg.export.html.explorer.explore`.
    With a path, return the :class:`~kg.export.html.explorer.Explorer` written;
    without, an object that Jupyter and VS Code display inline (a sandboxed
    iframe).  Both have a one-line repr.

    Parameters
    ----------
    graph : KnowledgeGraph
        The graph to draw.
    path : path, optional
        The ``.html`` file to write; by default none is written and the page is returned.
    **options
        ``kinds``, ``since``, ``until``, ``max_nodes``, ``focus``, ``depth``,
        ``title``: see :func:`kg.export.html.explorer.explore`.

    Returns
    -------
    Explorer or InlinePage
        With a path, the :class:`~kg.export.html.explorer.Explorer` written (``counts()`` tells what the page
        draws and holds); without, the page as an object that a notebook displays.

    Raises
    ------
    ViewError
        If an option is out of range, or ``focus`` names nothing in the page.
    OutputError
        If ``path`` cannot be written.

    Warns
    -----
    UserWarning
        If ``focus`` names no node exactly (its IRI, name or headline, in any case): the page opens on
        the one the search box suggests first, which the warning names (``"Irn"``: publisher "IRNA").

    Examples
    --------
    >>> import kg, tempfile, pathlib
    >>> g = kg.build("examples/wcep-2015-09")
    >>> kg.to_html(g, pathlib.Path(tempfile.mkdtemp()) / "graph.html", focus="Iran")
    <Explorer: 100 of 194 entities drawn, 428 events>
    >>> kg.to_html(g)  # doctest: +ELLIPSIS
    <InlinePage ... characters: <Explorer: 100 of 194 entities drawn, 428 events>>
    """
    check_graph(graph, "kg.to_html")
    result: Explorer | InlinePage
    if path is None:
        result, explorer = inline_html(graph, **options)
    else:
        result = explorer = write_html(graph, path, **options)
    if not explorer.focus_exact:  # (kg html says it on its own line: "opened on ...")
        warnings.warn(f"focus={explorer.options.focus!r} names no node exactly: the page opens on "
                      f"{explorer.focus_said()}, the one the search box suggests first", stacklevel=2)
    return result
