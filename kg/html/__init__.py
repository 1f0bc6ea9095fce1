"""The interactive HTML network view of a knowledge graph.

Modules, each one concept:

- :mod:`kg.html.style`: node and edge types, their colours and shapes.
- :mod:`kg.html.network`: the graph as typed nodes and edges with details.
- :mod:`kg.html.select`: which part of the network a page draws.
- :mod:`kg.html.layout`: node positions, computed in Python.
- :mod:`kg.html.page`: the self-contained page, rendered by pyvis.

The writer is :func:`kg.export.html.write_html` (format ``"html"``).
"""

__all__: list[str] = []
