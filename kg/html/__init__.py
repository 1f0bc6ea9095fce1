"""The explorer: an interactive, self-contained HTML page of a knowledge graph.

Modules, each one concept:

- :mod:`kg.html.archive`: the archive as compact columns, for drill-down.
- :mod:`kg.html.overview`: the first view: entities, co-occurrence, communities.
- :mod:`kg.html.layout`: room for every node and label (no overlaps).
- :mod:`kg.html.explorer`: the page's options and content (:func:`~kg.html.explorer.explore`).
- :mod:`kg.html.style`: node and edge types, their colours and shapes.
- :mod:`kg.html.page`: the self-contained page, rendered by pyvis.
- :mod:`kg.html.inline`: the page inline in a notebook.

The writer is :func:`kg.export.html.write_html` (format ``"html"``).
"""

__all__: list[str] = []
