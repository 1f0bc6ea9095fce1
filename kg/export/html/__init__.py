"""The explorer: an interactive, self-contained HTML page of a knowledge graph.

Modules, each one concept:

- :mod:`kg.export.html.archive`: the archive as compact columns, for drill-down.
- :mod:`kg.export.html.overview`: the first view: entities, co-occurrence, communities.
- :mod:`kg.export.html.layout`: room for every node and label (no overlaps).
- :mod:`kg.export.html.explorer`: the page's options and content (:func:`~kg.export.html.explorer.explore`).
- :mod:`kg.export.html.style`: node and edge types, their colours and shapes.
- :mod:`kg.export.html.page`: the self-contained page, rendered by pyvis.
- :mod:`kg.export.html.inline`: the page inline in a notebook.

The writer is :func:`kg.export.html.exporter.write_html` (format ``"html"``).
"""

__all__: list[str] = []
