"""Ask the graph: analyst tables, SPARQL, stores, the endpoint, loading written graphs."""

__all__: list[str] = []
